#!/usr/bin/env bash
# The deep views of issue 18 in this checkout against another build of mandel-par (0.3.0, say), whole process on 2
# threads, interleaved, medians; ratio base / this (above 1: this checkout is faster), and whether the NumPy output's
# bytes are the same. Run from the project's root after `npm run build`.
# Usage: bench/deep-views.sh BASE_DIR [REPS]   BASE_DIR: a built checkout, e.g.
#   git clone -q . /tmp/base && git -C /tmp/base checkout -q v0.3.0-commit && (cd /tmp/base && npm ci)
# env: CASES (names to run)
set -u
BASE=${1:?usage: bench/deep-views.sh BASE_DIR [REPS]}
REPS=${2:-1}
SEA=-0.743643887037158704752191506114774,0.131825904205311970493132056385139
# Minibrot nuclei found by Newton's method in 1000-bit arithmetic (periods 3, 44 and 8007, the last the minibrot that
# holds the seahorse point).
P3=-1.754877666246692760049508896358528691894606617772793143989283970646080655128081090738227092842250303648377367912813,0
P44=-1.99500000000003321820860947216733713147259218682561978752770152011167987737134359132451613562828050206572977333749313525130601572545202941493961031769907482257803341856292266641046840603447607238602274,0
M8007=-0.74364388703715870475219150611477977821525620794818128981688390181856073578379647863478782276214446187918642038936880299662817286545110520767960840151961612169600011410978855834453298496505671358565521,0.13182590420531197049313205638514067897295227932891896620912767746551348173829833723473896418036763808191262395427428298644579017388714892904528969956399105812795657463829735478902461512624313210666268
ALL=(
  "seahorse|--center=$SEA --zoom 1e30 --width 640 --height 360 --max-iter 100000"
  "nucleus3|--center=$P3 --zoom 1e100 --width 640 --height 360 --max-iter 100000"
  "minibrot8007|--center=$M8007 --scale 3e-32 --width 320 --height 180 --max-iter 100000"
  "minibrot8007-1M|--center=$M8007 --scale 3e-32 --width 160 --height 90 --max-iter 1000000"
  "minibrot44|--center=$P44 --scale 1.2e-27 --width 640 --height 360 --max-iter 100000"
  "needle|--center=-1.99999999999999999999,0 --zoom 1e18 --width 960 --height 540 --max-iter 5000"
)
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
now() { date +%s.%N; }
for r in $(seq 1 "$REPS"); do
  for c in "${ALL[@]}"; do
    n=${c%%|*}; a=${c#*|}
    [ -z "${CASES:-}" ] || [[ " $CASES " == *" $n "* ]] || continue
    t=$(now); (cd "$BASE" && node dist/src/bin/mandel-par.js $a --threads 2 --quiet --out npy -o "$w/$n-base.npy")
    b=$(echo "$(now) - $t" | bc)
    t=$(now); node dist/src/bin/mandel-par.js $a --threads 2 --quiet --out npy -o "$w/$n-this.npy"
    h=$(echo "$(now) - $t" | bc)
    cmp -s "$w/$n-base.npy" "$w/$n-this.npy" && same=same || same=differ
    echo "$n $b $h $same" >> "$w/times"
  done
done
python3 - "$w/times" <<'PY'
import sys, statistics as st, collections
d = collections.defaultdict(lambda: ([], [], ''))
for l in open(sys.argv[1]):
    n, b, h, s = l.split(); d[n][0].append(float(b)); d[n][1].append(float(h)); d[n] = (d[n][0], d[n][1], s)
print(f"{'view':14} {'base s':>8} {'this s':>8} {'ratio':>7}  npy bytes")
for n, (b, h, s) in d.items():
    print(f"{n:14} {st.median(b):8.2f} {st.median(h):8.2f} {st.median(b)/st.median(h):7.1f}  {s}")
PY
