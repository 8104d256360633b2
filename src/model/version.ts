import { readFileSync } from 'node:fs';

/** The package's version, from its package.json (two levels above dist/src/). @example VERSION // '0.3.0' */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
