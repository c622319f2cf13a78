// Makes docs/images/dashboard.png, the README's picture of the dashboard during a
// test-program run: the real rockets-server (memory backend, any free port), the
// real rockets-sim sending to it, Debian's chromium at 1440x900 with one rocket
// selected so its history and speed chart show.
//
//   node tests/browser/screenshot.mjs [OUTPUT.png]
//
// Needs build/bin/rockets-server and build/bin/rockets-sim (or $ROCKETS_SERVER and
// $ROCKETS_SIM) and `npm ci` in tests/browser. Not a test: nothing is asserted
// beyond the page having no console errors.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser, openPage } from './support/browser.js';
import { RocketsServer } from './support/server.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const output = resolve(process.argv[2] || join(repoRoot, 'docs/images/dashboard.png'));
const simBinary = process.env.ROCKETS_SIM || join(repoRoot, 'build/bin/rockets-sim');
const VIEWPORT = { width: 1440, height: 900 };
/** Enough rockets to fill the table's first page (50 rows), each with a history worth a chart. */
const ROCKETS = 60;
/** Deadline of each wait on the page. */
const WAIT_MS = 30000;

if (!existsSync(simBinary)) throw new Error(`${simBinary} is missing: build the rockets-sim target first`);

const server = await new RocketsServer().start();
// A paced run (about 200 messages/s): the table keeps updating while the picture is taken.
const sim = spawn(simBinary, ['launch', `${server.baseUrl}/messages`, `--rockets=${ROCKETS}`, '--max-messages=40000',
  '--message-delay=20ms', '--concurrency-level=4', '--reorder-window=20', '--duplicate-rate=0.02', '--progress=none',
  '--retry-for=5s'], { stdio: 'ignore' });
const browser = await launchBrowser({ viewport: VIEWPORT });
try {
  const { page, problems } = await openPage(browser.context, server.baseUrl);
  await page.goto(`${server.baseUrl}/`);
  // A full first page, live counters, and a rocket whose history is long enough to draw.
  await page.waitForFunction((rows) => document.querySelectorAll('#rockets-body tr.rocket-row').length >= rows,
    50, { timeout: WAIT_MS });
  await page.waitForFunction(() => document.querySelector('#connection')?.dataset.state === 'connected', null,
    { timeout: WAIT_MS });
  // Counters show rates once /metrics has been polled twice.
  await page.waitForFunction(() => parseFloat(document.querySelector('[data-outcome="accepted"] .counter-value')
    ?.textContent) > 0, null, { timeout: WAIT_MS });
  // A few seconds of accepted/s in the sparkline (one point per poll of /metrics).
  await page.waitForFunction(() => (document.querySelector('#sparkline polyline')?.getAttribute('points') ?? '')
    .split(' ').length >= 4, null, { timeout: WAIT_MS });
  await page.locator('#rockets-body tr.rocket-row').nth(2).click();
  await page.locator('#detail-chart svg.chart').waitFor({ timeout: WAIT_MS });
  await page.waitForFunction(() => document.querySelectorAll('#history-body tr').length >= 10, null,
    { timeout: WAIT_MS });
  // The chart follows the fields a moment after each change: the picture is taken again
  // until the selected rocket did not change while it was taken and the two agree.
  const detailState = () => page.evaluate(() => {
    const field = (name) => [...document.querySelectorAll('#detail-fields dt')]
      .find((dt) => dt.textContent === name)?.nextElementSibling?.textContent;
    const speed = field('Speed');
    const agree = speed !== undefined && document.querySelector('#chart-note')?.textContent.endsWith(`now ${speed}.`);
    return agree ? `${field('Last message')} ${speed}` : null;
  });
  mkdirSync(dirname(output), { recursive: true });
  for (let attempt = 1; ; attempt += 1) {
    const before = await detailState();
    if (before !== null && await page.locator('#rockets-body tr.rocket-row.flash').count() > 0) {
      await page.screenshot({ path: output });
      if (await detailState() === before) break;
    }
    if (attempt === 100) throw new Error('the selected rocket never held still for a picture');
    await page.waitForTimeout(100);  // the next change of a live run; nothing to await in the page
  }
  const errors = [...problems.consoleErrors, ...problems.pageErrors, ...problems.foreignRequests];
  if (errors.length > 0) throw new Error(`the page had problems:\n${errors.join('\n')}`);
  console.log(`${output}: ${VIEWPORT.width}x${VIEWPORT.height}, ${Math.round(statSync(output).size / 1024)} KiB`);
} finally {
  await browser.close();
  sim.kill('SIGTERM');
  await server.stop();
  server.remove();
}
