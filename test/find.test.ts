/** mandel-par find: the minibrot nearest a view, its nucleus to every printed digit against known nuclei. */
import { afterAll, describe, expect, it } from 'vitest';
import { decimalOf } from '../dist/src/cli/find-command.js';
import { closeSharedRenderer, runMain } from './helpers.js';

afterAll(closeSharedRenderer);

/** Nuclei computed independently (Newton's method in 1000-bit arithmetic; bench/deep-views.sh lists them). */
const P3 =
  '-1.754877666246692760049508896358528691894606617772793143989283970646080655128081090738227092842250303648377367912813';
const P44 =
  '-1.99500000000003321820860947216733713147259218682561978752770152011167987737134359132451613562828050206572977333749313525130601572545202941493961031769907482257803341856292266641046840603447607238602274';
const P8007 = [
  '-0.74364388703715870475219150611477977821525620794818128981688390181856073578379647863478782276214446187918642038936880299662817286545110520767960840151961612169600011410978855834453298496505671358565521',
  '0.13182590420531197049313205638514067897295227932891896620912767746551348173829833723473896418036763808191262395427428298644579017388714892904528969956399105812795657463829735478902461512624313210666268',
];

/**
 * Misiurewicz points computed independently: c = i (z_2 = z_4) and c = -2 (z_2 = z_3) by hand; M(3,1), the real root
 * of c^3 + 2c^2 + 2c + 2 (z_3 = z_4), by Newton's method in Python's decimal module at 60 digits; M(4,1) as
 * ../shared/anchors/fraktaler-3/bench.sh gives it (270 digits).
 */
const M31 = '-1.54368901269207636157085597180174798652520329765098393524080';
const M41 = [
  '-0.1010963638456221610257854457386225654638054428262534838769311776607808407404705842748212198105167790334045319085567411939715461442609',
  '0.9562865108091415007710960577299774358098333365105291700343143215005246590657167325269784107873398072043444724926469284366752406567465',
];

/** A long decimal rounded to `decimals` places, as find prints it (through the same fixed-point rounding). */
function rounded(text: string, decimals: number): string {
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const bits = 4 * (whole.length + fraction.length) + 64;
  const scaled = BigInt(whole + fraction) << BigInt(bits);
  const value = scaled / 10n ** BigInt(fraction.length);
  return decimalOf(text.startsWith('-') ? -value : value, bits, decimals);
}

/** |a - b| of two decimals, exactly to 60 places, as a number (f64 cannot subtract 0.74... and 0.74... 1e-36 apart). */
function offset(a: string, b: string): number {
  const scaled = (t: string) => {
    const [whole, fraction = ''] = t.replace('-', '').split('.');
    const v = BigInt(whole + fraction.padEnd(60, '0').slice(0, 60));
    return t.startsWith('-') ? -v : v;
  };
  const d = scaled(a) - scaled(b);
  return Number(d < 0n ? -d : d) / 1e60;
}

async function find(args: string[]) {
  const run = await runMain(['find', ...args]);
  const m = /^period (\d+), size ([\d.]+e-?\d+)\n--center=(\S+),(\S+) --zoom ([\d.]+e\d+)\n$/.exec(run.stdout);
  expect(m, run.stdout + run.stderr).not.toBeNull();
  const [, period, size, re, im, zoom] = m as RegExpExecArray;
  return { period: Number(period), size, re, im, zoom, status: run.status };
}

describe('mandel-par find', () => {
  it('the period-3 minibrot from a view around it, to every printed digit', async () => {
    const f = await find(['--center=-1.75,0', '--zoom', '100']);
    expect(f).toEqual({ period: 3, size: '1.9e-2', re: '-1.75488', im: '0.00000', zoom: '1.6e1', status: 0 });
    expect(f.re).toBe(rounded(P3, 5));
  });

  it('the period-44 minibrot at 1e27 and the period-8007 one in the seahorse valley at 1e31', async () => {
    const p44 = await find(['--center=-1.995000000000033218208609472167,0', '--zoom', '1e27']);
    expect([p44.period, p44.size]).toEqual([44, '3.5e-28']);
    expect(p44.re).toBe(rounded(P44, p44.re.split('.')[1].length));
    const sea = ['--center=-0.743643887037158704752191506114774,0.131825904205311970493132056385139', '--zoom', '1e31'];
    const p8007 = await find(sea);
    expect([p8007.period, p8007.size]).toEqual([8007, '8.9e-33']);
    const decimals = p8007.re.split('.')[1].length;
    expect(decimals).toBeGreaterThanOrEqual(35); // down to a thousandth of its size
    expect([p8007.re, p8007.im]).toEqual([rounded(P8007[0], decimals), rounded(P8007[1], decimals)]);
    // The period given skips the search and lands on the same nucleus.
    expect(await find([...sea, '--period', '8007'])).toEqual(p8007);
  });

  it('a root of z_p out of the view (the period-3 nucleus for p = 33) is not taken: the nucleus in the view', async () => {
    // Newton's method from this centre used to settle on the period-3 nucleus, 0.014 away, and print its size by the
    // period-33 formula: "period 33, size 7.6e364, --center=-2,0 --zoom 3.9e-366".
    const view = ['--center=-1.7685,0.0038', '--zoom', '1000'];
    const f = await find(view);
    expect(f.period).toBe(33);
    // In the view (1.5e-3 either side of its centre), and smaller than it.
    expect(offset(f.re, '-1.7685')).toBeLessThan(1.5e-3);
    expect(offset(f.im, '0.0038')).toBeLessThan(1.5e-3);
    expect(Number(f.size)).toBeLessThan(3e-3);
    // The same nucleus from a view around it, and with the period given.
    expect(await find([`--center=${f.re},${f.im}`, '--zoom', '1e5'])).toEqual(f);
    expect(await find([...view, '--period', '33'])).toEqual(f);
  });

  it('a view inside a minibrot, with no nucleus in it: the component that holds it (a bulb of the period-8007 one)', async () => {
    // 3e-33 wide, every sample inside the period-2 bulb of the period-8007 minibrot: it said "no minibrot".
    const centre = ['-0.743643887037158704752191506114774', '0.131825904205311970493132056385139'];
    const f = await find([`--center=${centre.join(',')}`, '--zoom', '1e33']);
    expect(f.period).toBe(2 * 8007);
    // Just out of the view (1.5e-33 either side), and nearer than the period-8007 nucleus (6e-33 away).
    const away = (re: string, im: string) => Math.hypot(offset(re, centre[0]), offset(im, centre[1]));
    expect(away(f.re, f.im)).toBeLessThan(4e-33);
    expect(away(f.re, f.im)).toBeLessThan(away(P8007[0], P8007[1]) / 1.5);
    // A nucleus of that period indeed: found again from a view a thousand times deeper around it.
    expect(await find([`--center=${f.re},${f.im}`, '--zoom', '1e36'])).toEqual(f);
  });

  it.each([
    [['--zoom', '100'], /^mandel-par: --center, --zoom: find needs the view to search/],
    [['--center=2,2', '--zoom', '1'], /^mandel-par: find: no minibrot of period up to 100000 in this view/],
    [['--center=-1.75,0', '--zoom', '100', '--period', '0'], /^mandel-par: --period: expected a whole number from 1/],
    // Each value first: it said "give both" and "find needs the view".
    [['--misiurewicz', '--period', '0'], /^mandel-par: --period: expected a whole number from 1/],
    [
      ['--center=-1.75,0', '--zoom', '100', '--period', '3', '--max-period', '2'],
      /^mandel-par: --period, --max-period: --period 3 is past --max-period 2\n$/,
    ],
    // It printed the period-3 minibrot, exit 0.
    [
      ['--center=-1.75,0', '--zoom', '100', '--period', '6'],
      /^mandel-par: find: from this centre Newton's method settled on a nucleus of period 3, not 6 \(a root of z_6 too/,
    ],
  ])('refuses %j in one line, exit status 2', async (args, message) => {
    const run = await runMain(['find', ...args]);
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
  });

  describe('--misiurewicz', () => {
    async function findPoint(args: string[]) {
      const run = await runMain(['find', '--misiurewicz', ...args]);
      const m = /^preperiod (\d+), period (\d+)\n--center=(\S+),(\S+) --zoom (\S+)\n$/.exec(run.stdout);
      expect(m, run.stdout + run.stderr).not.toBeNull();
      const [, preperiod, period, re, im, zoom] = m as RegExpExecArray;
      return { preperiod: Number(preperiod), period: Number(period), re, im, zoom };
    }
    const digits = (text: string) => text.split('.')[1].length;

    it.each([
      ['c = i', ['--center=0.0001,1.0002', '--zoom', '1e3'], [2, 2], ['0', '1']],
      ['c = -2', ['--center=-1.99,0', '--zoom', '10'], [2, 1], ['-2', '0']],
      ['M(3,1)', ['--center=-1.5437,0', '--zoom', '1e3'], [3, 1], [M31, '0']],
      ['M(4,1) at 1e12', ['--center=-0.10109636384562,0.95628651080914', '--zoom', '1e12'], [4, 1], M41],
    ] as const)('%s: preperiod, period and every printed digit', async (_, args, kind, point) => {
      const f = await findPoint([...args]);
      expect([f.preperiod, f.period]).toEqual(kind);
      // 30 digits past the view's own.
      expect(digits(f.re)).toBeGreaterThanOrEqual(30 + Math.round(Math.log10(Number(args[2]))));
      expect([f.re, f.im]).toEqual([rounded(point[0], digits(f.re)), rounded(point[1], digits(f.im))]);
      expect(f.zoom).toBe(args[2] === '10' ? '1.0e1' : `1.0e${args[2].slice(2)}`);
    });

    it('given preperiod and period, lands on the same point', async () => {
      const args = ['--center=-0.10109636384562,0.95628651080914', '--zoom', '1e12'];
      expect(await findPoint([...args, '--preperiod', '4', '--period', '1'])).toEqual(await findPoint(args));
    });

    it.each([
      [['--center=-1.5437,0', '--zoom', '1e3', '--preperiod', '3'], /--preperiod, --period: a Misiurewicz point/],
      [['--center=2,2', '--zoom', '1'], /^mandel-par: find: no Misiurewicz point with preperiod \+ period up to/],
    ])('refuses %j in one line, exit status 2', async (args, message) => {
      const run = await runMain(['find', '--misiurewicz', ...args]);
      expect(run.stderr).toMatch(message);
      expect(run.status).toBe(2);
    });

    it('refuses --preperiod without --misiurewicz', async () => {
      const run = await runMain(['find', '--center=-1.5437,0', '--zoom', '1e3', '--preperiod', '3', '--period', '1']);
      expect(run.stderr).toMatch(/--preperiod: is for Misiurewicz points: give --misiurewicz/);
      expect(run.status).toBe(2);
    });
  });
});
