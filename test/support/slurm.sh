#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for test/slurm.test.ts: no systemd, daemons started by hand and stopped
# by the pids recorded in the work folder. Run as root (CI does). Debian 12 packages, installed by .ci/run:
#   apt-get install -y --no-install-recommends slurmctld slurmd slurm-client slurm-wlm-basic-plugins munge
#
#   test/support/slurm.sh start WORKDIR   writes WORKDIR/slurm.conf, starts munged, slurmctld and slurmd in the
#                                         background (pids in WORKDIR/*.pid), waits until sinfo shows the node idle
#                                         (at most SLURM_TEST_START_S, 30 s); exit 1 with the daemons' logs otherwise
#   test/support/slurm.sh stop WORKDIR    cancels the cluster's jobs, stops the daemons by their pids, waits for them
#
# Clients reach the cluster with SLURM_CONF=WORKDIR/slurm.conf. munged listens on its own socket under WORKDIR
# (named in slurm.conf's AuthInfo), so a munged already running on the machine is neither needed nor disturbed.
# Ports: SLURM_TEST_PORT (slurmctld, default 6817) and the next one (slurmd).
set -uo pipefail

die() {
  echo "slurm.sh: $*" >&2
  exit 1
}

usage() { die "usage: $0 start|stop WORKDIR"; }

[ $# -eq 2 ] || usage
command=$1
work=$2
[ -n "$work" ] || usage

# The binaries and the Debian packages that hold them.
require_binaries() {
  local missing=() pair binary package
  for pair in munged:munge slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client sinfo:slurm-client \
    scontrol:slurm-client squeue:slurm-client scancel:slurm-client setpriv:util-linux; do
    binary=${pair%%:*}
    package=${pair#*:}
    command -v "$binary" >/dev/null 2>&1 || missing+=("$binary (Debian package $package)")
  done
  # slurmd loads its plugins from slurm-wlm-basic-plugins (select/cons_tres among them).
  if ! compgen -G '/usr/lib/*/slurm-wlm/select_cons_tres.so' >/dev/null; then
    missing+=("the select/cons_tres plugin (Debian package slurm-wlm-basic-plugins)")
  fi
  [ -r /etc/munge/munge.key ] || missing+=("/etc/munge/munge.key (made by the Debian package munge)")
  if [ ${#missing[@]} -gt 0 ]; then
    printf 'slurm.sh: Slurm is not installed: missing %s\n' "${missing[@]}" >&2
    die "install with: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client slurm-wlm-basic-plugins munge"
  fi
}

pid_of() { [ -s "$work/$1.pid" ] && cat "$work/$1.pid"; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Stops the daemons recorded in WORKDIR/NAME.pid, all at once (each takes about 2 s): SIGTERM, then SIGKILL to any
# still running after 10 s; waits until they are gone.
stop_daemons() {
  local name pid i pids=() names=() left signal stuck=0
  for name in "$@"; do
    pid=$(pid_of "$name") || continue
    alive "$pid" && kill -TERM "$pid" 2>/dev/null && pids+=("$pid") && names+=("$name")
  done
  for signal in KILL none; do
    for ((i = 0; i < 100; i++)); do
      left=0
      for pid in "${pids[@]}"; do alive "$pid" && left=1; done
      ((left)) || break
      sleep 0.1
    done
    ((left)) || break
    for i in "${!pids[@]}"; do
      alive "${pids[$i]}" || continue
      if [ "$signal" = KILL ]; then
        echo "slurm.sh: ${names[$i]} (pid ${pids[$i]}) did not stop on SIGTERM in 10 s: SIGKILL" >&2
        kill -KILL "${pids[$i]}" 2>/dev/null
      else
        echo "slurm.sh: ${names[$i]} (pid ${pids[$i]}) is still running after SIGKILL" >&2
        stuck=1
      fi
    done
  done
  ((stuck)) && return 1
  for name in "$@"; do rm -f "$work/$name.pid"; done
}

stop_all() {
  local pid i
  export SLURM_CONF="$work/slurm.conf"
  # Jobs first (their slurmstepd and the commands under it are not the daemons' children): only if slurmctld is up.
  if pid=$(pid_of slurmctld) && alive "$pid" && alive "$(pid_of slurmd)"; then
    scancel --quiet --full --user="$(id -un)" >/dev/null 2>&1
    for ((i = 0; i < 100; i++)); do
      [ -z "$(squeue -h -t running,completing -o %i 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
  stop_daemons slurmd slurmctld munged || die "could not stop the cluster of $work"
}

show_logs() {
  local log
  for log in munge/munged.log slurmctld.log slurmd.log munged.out slurmctld.out slurmd.out; do
    [ -s "$work/$log" ] && { echo "--- $work/$log (last 25 lines)" >&2; tail -25 "$work/$log" >&2; }
  done
}

start() {
  require_binaries
  [ "$(id -u)" -eq 0 ] || die "start must run as root (slurmd does; CI does)"
  mkdir -p "$work" || die "cannot make $work"
  work=$(cd "$work" && pwd)
  local existing name
  for name in munged slurmctld slurmd; do
    existing=$(pid_of "$name") && alive "$existing" && die "$name is already running for $work (pid $existing): stop it first"
  done

  local host cpus mem_mb port
  host=$(hostname -s)
  # At least 4 CPUs, so that a 4-task array runs at once on a 2-core machine (slurmd is told to take the
  # configured count: SlurmdParameters=config_overrides); SLURM_TEST_CPUS sets it.
  cpus=$(nproc)
  cpus=${SLURM_TEST_CPUS:-$((cpus > 4 ? cpus : 4))}
  mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
  port=${SLURM_TEST_PORT:-6817}
  # Another cluster on these ports would answer our clients (and our slurmctld would not start).
  local p
  for p in "$port" "$((port + 1))"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      die "port $p is taken (another Slurm? stop it, or set SLURM_TEST_PORT to another pair of free ports)"
    fi
  done
  mkdir -p "$work/state" "$work/spool" "$work/munge" || die "cannot make folders under $work"
  # munged runs as munge: it must reach its folder (mktemp -d and mkdtemp make 0700 folders).
  chmod 0755 "$work" || die "cannot open $work to the munge user"
  # munged runs as munge and checks that its folder is its own, writable by it alone and open to all (the socket).
  chown munge:munge "$work/munge" && chmod 0755 "$work/munge" || die "cannot give $work/munge to the munge user"

  cat >"$work/slurm.conf" <<EOF
# Written by test/support/slurm.sh: a one-node cluster for tests.
ClusterName=mandeltest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.daemon.pid
SlurmdPidFile=$work/slurmd.daemon.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$work/slurm.conf"

  setpriv --reuid munge --regid munge --clear-groups /usr/sbin/munged --foreground \
    --socket="$work/munge/munge.socket" --pid-file="$work/munge/munged.pid" \
    --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed" \
    </dev/null >"$work/munged.out" 2>&1 &
  echo $! >"$work/munged.pid"
  local i
  for ((i = 0; i < 50; i++)); do
    [ -S "$work/munge/munge.socket" ] && break
    alive "$(pid_of munged)" || break
    sleep 0.1
  done
  if [ ! -S "$work/munge/munge.socket" ]; then
    show_logs
    stop_all
    die "munged did not start (no socket $work/munge/munge.socket after 5 s)"
  fi

  slurmctld -D -i -f "$work/slurm.conf" </dev/null >"$work/slurmctld.out" 2>&1 &
  echo $! >"$work/slurmctld.pid"
  slurmd -D -f "$work/slurm.conf" </dev/null >"$work/slurmd.out" 2>&1 &
  echo $! >"$work/slurmd.pid"

  local limit=${SLURM_TEST_START_S:-30} state='' deadline up=0
  deadline=$((SECONDS + limit))
  while ((SECONDS < deadline)); do
    for name in munged slurmctld slurmd; do
      if ! alive "$(pid_of "$name")"; then
        show_logs
        stop_all
        die "$name exited while the cluster was starting (logs above; work folder $work)"
      fi
    done
    state=$(sinfo -h -N -n "$host" -o %T 2>/dev/null)
    # Still up a moment after (a slurmctld that could not bind its port dies at once).
    [ "$state" = idle ] && sleep 0.3 && alive "$(pid_of slurmctld)" && alive "$(pid_of slurmd)" && up=1 && break
    sleep 0.3
  done
  if ((!up)); then
    sinfo -N -l >&2 2>&1
    show_logs
    stop_all
    die "the node $host is not idle after ${limit} s (sinfo says '${state:-nothing}'; work folder $work)"
  fi
  echo "slurm.sh: one-node cluster up: node $host idle, $cpus CPUs, SLURM_CONF=$work/slurm.conf"
}

case $command in
start) start ;;
stop)
  [ -d "$work" ] || die "no work folder $work"
  work=$(cd "$work" && pwd)
  stop_all
  ;;
*) usage ;;
esac
