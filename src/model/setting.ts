/** Numeric settings read from the environment (MANDEL_PAR_KEEP_FROM_MS, MANDEL_PAR_WASM_KEPT_MB). */

/**
 * A setting's value: `text` as a number of 0 or more, else `fallback` (unset, blank, not a number, negative). A blank
 * value is unset, not 0: `Number('')` is 0, and `MANDEL_PAR_KEEP_FROM_MS=` had sampled even a small render.
 *
 * @example numberSetting('2500', 3000) // 2500
 * @example numberSetting('', 3000) // 3000
 */
export function numberSetting(text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  return value >= 0 ? value : fallback;
}
