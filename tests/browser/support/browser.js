// Debian's chromium driven by playwright-core: never a downloaded browser.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  throw new Error('playwright-core is missing: run `npm ci` in tests/browser (scripts/setup.sh does)');
}

export const CHROMIUM = process.env.ROCKETS_CHROMIUM || '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A fresh browser profile. Returns {context, close}; `close` also removes the profile.
 * The viewport is a laptop screen unless given.
 */
export async function launchBrowser({ viewport = { width: 1366, height: 768 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'rockets-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a page and records what must not happen on it: console errors, uncaught exceptions,
 * and requests to any origin but `baseUrl`.
 */
export async function openPage(context, baseUrl) {
  const page = await context.newPage();
  const problems = { consoleErrors: [], pageErrors: [], foreignRequests: [] };
  const origin = new URL(baseUrl).origin;
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && new URL(url).origin !== origin) problems.foreignRequests.push(url);
  });
  return { page, problems };
}
