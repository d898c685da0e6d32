// What run.mjs and journeys.mjs share: the system Chromium and how it is launched, and axe-core.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The system Chromium (playwright-core never downloads one of its own). */
export const CHROMIUM = process.env.HEALTHPRESS_CHROMIUM || '/usr/bin/chromium';

/** Flags for a headless Chromium in a container: no sandbox, no GPU, no network of its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Launches the system Chromium headless. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The rules axe-core checks: WCAG 2.0, 2.1 and 2.2 A and AA, and best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Runs axe-core on `page` (whose context must have `bypassCSP`, as the site's CSP allows no inline script) and
 * returns its violations and the results it could not decide.
 */
export async function runAxe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] }),
    AXE_TAGS,
  );
}

/** One node axe flagged, in a line: its selector and why. */
export function describeNode(node) {
  return `${node.target.join(' ')}${node.failureSummary ? ` (${node.failureSummary.replace(/\s+/g, ' ').trim()})` : ''}`;
}
