// What the tests read off the dashboard page, and waiting for it to show something.

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where screenshots go: $ROCKETS_BROWSER_ARTIFACTS or build/browser-artifacts. */
export const artifactsDir = process.env.ROCKETS_BROWSER_ARTIFACTS ||
  join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'build/browser-artifacts');

export function artifactPath(name) {
  mkdirSync(artifactsDir, { recursive: true });
  return join(artifactsDir, name);
}

/** The channels of the table rows, top to bottom. */
export function tableChannels(page) {
  return page.$$eval('#rockets-body tr.rocket-row', (rows) => rows.map((row) => row.dataset.channel));
}

/** Waits until the table shows exactly `expected` channels in this order; the error names both lists. */
export async function waitForTableChannels(page, expected, timeout = 5000) {
  try {
    await page.waitForFunction((want) => {
      const got = [...document.querySelectorAll('#rockets-body tr.rocket-row')].map((row) => row.dataset.channel);
      return JSON.stringify(got) === JSON.stringify(want);
    }, expected, { timeout });
  } catch (e) {
    throw new Error(`table rows ${JSON.stringify(await tableChannels(page))} never became ${JSON.stringify(expected)}: ${e.message}`);
  }
}

/** The row of `channel` (a CSS attribute selector, so any channel text works). */
export function rowOf(page, channel) {
  return page.locator(`#rockets-body tr[data-channel="${cssString(channel)}"]`);
}

function cssString(text) {
  return text.replace(/["\\]/g, '\\$&');
}

/** The visible text of each cell of `channel`'s row. */
export function rowCells(page, channel) {
  return rowOf(page, channel).locator('td').allInnerTexts();
}
