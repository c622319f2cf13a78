// The change stream survives a server restart: the page reconnects by itself,
// gets `event: resync` (the new server does not know the old stream id),
// reloads what it shows, and keeps showing new changes, all without a reload.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, openPage } from './support/browser.js';
import { artifactPath, rowCells, waitForTableChannels } from './support/dashboard.js';
import { increased, launched } from './support/messages.js';
import { RocketsServer } from './support/server.js';

/** What Chromium logs while the server is down: failed connections, nothing from the page itself. */
const CONNECTION_REFUSED = /ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET|ERR_INCOMPLETE_CHUNKED_ENCODING/;

describe('dashboard across a server restart', () => {
  let server;
  let browser;
  let page;
  let problems;

  before(async () => {
    server = await new RocketsServer().start();
    browser = await launchBrowser();
    ({ page, problems } = await openPage(browser.context, server.baseUrl));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    server?.remove();
  });

  test('after a restart on the same port the page resyncs and shows new changes without reload', async () => {
    const before = 'aaaaaaaa-0000-4000-a000-000000000001';
    assert.equal(await server.post(launched(before, 1, 'Falcon-9', 600, 'ARTEMIS')), 202);
    await server.waitApplied(before, 1);

    const response = await page.goto(server.baseUrl + '/');
    assert.equal(response.status(), 200, 'GET / serves the dashboard page');
    await waitForTableChannels(page, [before]);
    await page.waitForSelector('#connection[data-state="connected"]', { timeout: 5000 });
    await page.evaluate(() => { window.__sameDocument = true; });
    // A change seen on the stream gives the page an event id to resume from.
    assert.equal(await server.post(increased(before, 2, 100)), 202);
    await page.waitForFunction((channel) =>
      document.querySelector('#rockets-body tr')?.dataset.version === '2', before, { timeout: 2000 });

    // Same port, fresh memory store: only a resync can make the old rocket disappear from the page.
    assert.equal(await server.stop(), 0);
    await page.waitForSelector('#connection[data-state="reconnecting"]', { timeout: 10000 });
    await page.screenshot({ path: artifactPath('dashboard-reconnecting.png') });
    await server.start();
    await page.waitForSelector('#connection[data-state="connected"][data-reconnects="1"]', { timeout: 15000 });
    await page.waitForFunction(() => Number(document.querySelector('#connection').dataset.resyncs) >= 1, null,
      { timeout: 5000 });
    await waitForTableChannels(page, []);

    const after = 'bbbbbbbb-0000-4000-a000-000000000002';
    assert.equal(await server.post(launched(after, 1, 'Saturn-V', 800, 'APOLLO')), 202);
    await waitForTableChannels(page, [after], 2000);
    assert.equal(await server.post(increased(after, 2, 200)), 202);
    await page.waitForFunction((channel) => {
      const row = [...document.querySelectorAll('#rockets-body tr')].find((r) => r.dataset.channel === channel);
      return row?.dataset.version === '2';
    }, after, { timeout: 2000 });
    assert.equal((await rowCells(page, after))[3], '1,000');
    assert.match(await page.locator('#connection').innerText(), /1 reconnect\b/);

    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors.filter((e) => !CONNECTION_REFUSED.test(e)), []);
    assert.deepEqual(problems.foreignRequests, []);
  });
});
