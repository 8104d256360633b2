/**
 * Debian's headless Chromium through puppeteer-core, for the browser tests (installed by .ci/run): a test that
 * needs it fails, loudly, without it.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';

const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  return puppeteer.launch({
    executablePath: CHROMIUM,
    // As root (CI) Chromium needs --no-sandbox; the rest keeps it off a network it cannot reach.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
}
