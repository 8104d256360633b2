#!/usr/bin/env node
/**
 * The mandel-par command. `-v` is answered at Node's own start-up (the renderer's modules take about 40 ms to load);
 * everything else goes on in cli/start.ts.
 */
import { VERSION } from '../model/version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '-v' || argv[0] === '--version')) process.stdout.write(`${VERSION}\n`);
else await import('./start.js');
