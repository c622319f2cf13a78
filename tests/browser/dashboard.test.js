// The dashboard in a real browser (Debian's chromium) against the real
// rockets-server: stored rockets, live changes, sort, filters, paging, the
// detail panel with history and chart, and a screenshot for people to look at.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';

import { launchBrowser, openPage } from './support/browser.js';
import { artifactPath, rowCells, rowOf, tableChannels, waitForTableChannels } from './support/dashboard.js';
import { decreased, exploded, increased, launched, missionChanged } from './support/messages.js';
import { RocketsServer } from './support/server.js';

const TYPES = ['Falcon-9', 'Falcon-Heavy', 'Saturn-V'];
const MISSIONS = ['ARTEMIS', 'APOLLO', 'GEMINI', 'MERCURY'];
const REASONS = ['PRESSURE_VESSEL_FAILURE', 'engine fire on stage 2', 'lost contact', 'struck by lightning'];
/** A channel that needs percent-encoding and would run script if inserted as HTML. */
const HOSTILE_CHANNEL = 'weird <img src=x onerror="window.__xss=1"> /ü?#&%';
const HOSTILE_TYPE = '<b onmouseover="window.__xss=2">Soyuz</b>';
const FLEET_SIZE = 30;   // more than one page of 25
/** A rocket with a long life: 60 messages, more than two pages of history. */
const VETERAN = 'c0ffee00-1969-4716-a000-000000000011';

function uuid(seed) {
  const h = createHash('sha1').update(String(seed)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Every message of the fleet: 30 rockets with speed changes, mission changes and 4 explosions. */
function fleetMessages() {
  const rockets = [];
  for (let i = 0; i < FLEET_SIZE; i += 1) {
    const channel = uuid(i);
    const messages = [launched(channel, 1, TYPES[i % 3], 500 + ((i * 137) % 900), MISSIONS[i % 4])];
    for (let k = 0; k < i % 5; k += 1) {
      const n = messages.length + 1;
      messages.push(k % 2 === 0 ? increased(channel, n, 100 + 10 * i) : decreased(channel, n, 40 + i));
    }
    if (i % 7 === 3) messages.push(missionChanged(channel, messages.length + 1, 'VOYAGER'));
    if (i % 8 === 5) messages.push(exploded(channel, messages.length + 1, REASONS[(i >> 3) % 4]));
    rockets.push({ channel, messages });
  }
  const veteran = [launched(VETERAN, 1, 'Saturn-V', 800, 'APOLLO')];
  for (let n = 2; n < 60; n += 1) {
    if (n === 30) veteran.push(missionChanged(VETERAN, n, 'APOLLO-13'));
    else veteran.push(n % 3 === 0 ? decreased(VETERAN, n, 35 + n) : increased(VETERAN, n, 60 + ((n * 7) % 50)));
  }
  veteran.push(exploded(VETERAN, 60, 'oxygen tank rupture'));
  rockets.push({ channel: VETERAN, messages: veteran });
  rockets.push({
    channel: HOSTILE_CHANNEL,
    messages: [launched(HOSTILE_CHANNEL, 1, HOSTILE_TYPE, 700, 'MIR'), increased(HOSTILE_CHANNEL, 2, 300),
      decreased(HOSTILE_CHANNEL, 3, 150), increased(HOSTILE_CHANNEL, 4, 25)],
  });
  return rockets;
}

async function seed(server, rockets) {
  for (const { messages } of rockets) {
    for (const m of messages) assert.equal(await server.post(m), 202, `POST ${JSON.stringify(m)}`);
  }
  for (const { channel, messages } of rockets) await server.waitApplied(channel, messages.length);
}

/** The channels GET /rockets returns for `query`. */
async function apiChannels(server, query) {
  const { status, body } = await server.getJson(`/rockets?${new URLSearchParams(query)}`);
  assert.equal(status, 200);
  return body.map((r) => r.channel);
}

describe('dashboard', () => {
  let server;
  let browser;
  let page;
  let problems;
  const fleet = fleetMessages();

  before(async () => {
    server = await new RocketsServer().start();
    await seed(server, fleet);
    browser = await launchBrowser();
    ({ page, problems } = await openPage(browser.context, server.baseUrl));
    const response = await page.goto(server.baseUrl + '/');
    assert.equal(response.status(), 200, 'GET / serves the dashboard page');
  });

  beforeEach(async () => {
    // Each test starts from the table: a detail panel left open by a failed test is closed.
    if (page && await page.locator('#detail').isVisible()) await page.keyboard.press('Escape');
  });

  after(async () => {
    await browser?.close();
    const code = await server?.stop();
    assert.equal(code, 0, `rockets-server exit code; log:\n${server?.log()}`);
    server?.remove();
  });

  test('the page loads without console errors and shows the rockets already stored', async () => {
    const firstPage = await apiChannels(server, { limit: 50 });
    assert.equal(firstPage.length, FLEET_SIZE + 2);
    await waitForTableChannels(page, firstPage);
    await page.waitForSelector('#connection[data-state="connected"]', { timeout: 5000 });

    const { body: rocket } = await server.getJson(`/rockets/${encodeURIComponent(fleet[4].channel)}`);
    const cells = await rowCells(page, rocket.channel);
    assert.deepEqual(cells.slice(0, 4), [rocket.channel, rocket.type, rocket.mission, rocket.speed.toLocaleString('en-US')]);
    assert.match(cells[7], new RegExp(`^${rocket.lastMessageNumber}$`));

    // Exploded rockets stand apart: their row style and reason in the table, and the Exploded list.
    const { body: explodedRockets } = await server.getJson('/rockets?status=EXPLODED&sort=updatedAt&order=desc');
    assert.ok(explodedRockets.length >= 3);
    for (const r of explodedRockets) {
      const row = rowOf(page, r.channel);
      assert.match(await row.getAttribute('class'), /\bexploded\b/);
      assert.ok((await row.innerText()).includes(r.reason), `row of ${r.channel} shows its reason`);
    }
    await page.waitForFunction((n) => document.querySelectorAll('#exploded-list .exploded-item').length === n,
      explodedRockets.length, { timeout: 5000 });
    const listed = await page.$$eval('#exploded-list .exploded-item', (items) => items.map((i) => i.dataset.channel));
    assert.deepEqual(listed, explodedRockets.map((r) => r.channel));

    // Server strings are text, never markup.
    assert.equal(await rowOf(page, HOSTILE_CHANNEL).locator('td').nth(1).innerText(), HOSTILE_TYPE);
    assert.equal(await page.locator('#rockets-body img, #rockets-body b').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);

    // Live counters come from /metrics: the seeding was all accepted.
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-outcome="accepted"] .counter-value')?.textContent ?? ''),
      null, { timeout: 8000 });

    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
  });

  test('a message posted after load shows in its row within 1 s, without reload', async () => {
    await page.evaluate(() => { window.__sameDocument = true; });
    const target = fleet[1];   // active: not exploded in the fleet
    const n = target.messages.length + 1;
    const { body: beforeChange } = await server.getJson(`/rockets/${encodeURIComponent(target.channel)}`);
    assert.equal(beforeChange.status, 'ACTIVE');

    assert.equal(await server.post(increased(target.channel, n, 1234)), 202);
    await page.waitForFunction(({ channel, n }) => {
      const row = [...document.querySelectorAll('#rockets-body tr')].find((r) => r.dataset.channel === channel);
      return row && row.dataset.version === String(n) && row.classList.contains('flash');
    }, { channel: target.channel, n }, { timeout: 1000 });
    const cells = await rowCells(page, target.channel);
    assert.equal(cells[3], (beforeChange.speed + 1234).toLocaleString('en-US'));

    // A new rocket that belongs on the page (it sorts first by channel) appears as well.
    const newcomer = '00000000-0000-4000-a000-000000000001';
    assert.equal(await server.post(launched(newcomer, 1, 'Electron', 950, 'ARTEMIS')), 202);
    await page.waitForFunction((channel) =>
      document.querySelector('#rockets-body tr.rocket-row')?.dataset.channel === channel, newcomer, { timeout: 1000 });
    assert.equal(await page.evaluate(() => window.__sameDocument), true);
    fleet.push({ channel: newcomer, messages: [null] });
    assert.deepEqual(problems.consoleErrors, []);
  });

  test('column headers sort like GET /rockets, both ways, by mouse and keyboard', async () => {
    await page.getByRole('button', { name: 'Speed' }).click();
    await waitForTableChannels(page, await apiChannels(server, { sort: 'speed', order: 'asc', limit: 50 }));
    assert.equal(await page.locator('th[data-sort="speed"]').getAttribute('aria-sort'), 'ascending');

    await page.getByRole('button', { name: 'Speed' }).click();
    await waitForTableChannels(page, await apiChannels(server, { sort: 'speed', order: 'desc', limit: 50 }));
    assert.equal(await page.locator('th[data-sort="speed"]').getAttribute('aria-sort'), 'descending');

    await page.getByRole('button', { name: 'Updated' }).focus();
    await page.keyboard.press('Enter');
    await waitForTableChannels(page, await apiChannels(server, { sort: 'updatedAt', order: 'asc', limit: 50 }));
    await page.keyboard.press('Enter');
    await waitForTableChannels(page, await apiChannels(server, { sort: 'updatedAt', order: 'desc', limit: 50 }));

    await page.getByRole('button', { name: 'Channel' }).click();
    await waitForTableChannels(page, await apiChannels(server, { sort: 'channel', order: 'asc', limit: 50 }));
  });

  test('filters and paging show what GET /rockets returns for them', async () => {
    await page.selectOption('#filter-status', 'EXPLODED');
    await waitForTableChannels(page, await apiChannels(server, { status: 'EXPLODED', limit: 50 }));

    await page.selectOption('#filter-status', '');
    await page.fill('#filter-type', 'Falcon-9');
    await page.press('#filter-type', 'Enter');
    const falcons = await apiChannels(server, { type: 'Falcon-9', limit: 50 });
    assert.ok(falcons.length > 0 && falcons.length < FLEET_SIZE);
    await waitForTableChannels(page, falcons);

    await page.fill('#filter-mission', 'ARTEMIS');
    await page.press('#filter-mission', 'Enter');
    await waitForTableChannels(page, await apiChannels(server, { type: 'Falcon-9', mission: 'ARTEMIS', limit: 50 }));
    assert.match(page.url(), /type=Falcon-9/);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.selectOption('#page-size', '25');
    await waitForTableChannels(page, await apiChannels(server, { limit: 25 }));
    const total = (await server.getJson('/rockets?limit=1')).headers.get('X-Total-Count');
    assert.equal(await page.locator('#page-indicator').innerText(), `Page 1 of ${Math.ceil(Number(total) / 25)}`);

    await page.getByRole('button', { name: 'Next ›' }).click();
    await waitForTableChannels(page, await apiChannels(server, { limit: 25, offset: 25 }));
    assert.equal(await page.locator('#page-indicator').innerText(), 'Page 2 of 2');
    assert.equal(await page.getByRole('button', { name: 'Next ›' }).isDisabled(), true);

    await page.getByRole('button', { name: '‹ Prev' }).click();
    await waitForTableChannels(page, await apiChannels(server, { limit: 25 }));
    await page.selectOption('#page-size', '50');
    await waitForTableChannels(page, await apiChannels(server, { limit: 50 }));
  });

  test('selecting a rocket by keyboard shows its fields, history and speed chart; Escape closes it', async () => {
    const { body: rocket } = await server.getJson(`/rockets/${encodeURIComponent(HOSTILE_CHANNEL)}`);
    const row = rowOf(page, HOSTILE_CHANNEL);
    await row.focus();
    await page.keyboard.press('Enter');

    const panel = page.locator('#detail');
    await panel.waitFor({ state: 'visible', timeout: 2000 });
    assert.equal(await page.locator('#detail-title').innerText(), HOSTILE_CHANNEL);
    assert.match(await row.getAttribute('class'), /\bselected\b/);
    await page.waitForFunction((speed) => document.querySelector('#detail-fields')?.textContent.includes(speed),
      rocket.speed.toLocaleString('en-US'), { timeout: 2000 });

    // The history, in number order, as GET /rockets/{channel}/messages has it.
    const { status, body: history } = await server.getJson(`/rockets/${encodeURIComponent(HOSTILE_CHANNEL)}/messages`);
    assert.equal(status, 200);
    assert.deepEqual(history.map((m) => m.messageNumber), [1, 2, 3, 4]);
    await page.waitForFunction((n) => document.querySelectorAll('#history-body tr').length === n, history.length,
      { timeout: 3000 });
    const numbers = await page.locator('#history-body tr td:first-child').allInnerTexts();
    assert.deepEqual(numbers, ['1', '2', '3', '4']);
    assert.equal(await page.locator('#history-body td.applied').count(), 4);

    // The chart: one point per applied message, 700 → 1000 → 850 → 875 as the fold says.
    const chart = page.locator('#detail-chart svg.chart');
    await chart.waitFor({ timeout: 3000 });
    assert.equal(await chart.getAttribute('aria-label'), 'Speed over time: 4 points, from 700 to 875');
    assert.equal(await chart.locator('path.chart-line').count(), 1);
    assert.equal(await chart.locator('circle.chart-point').count(), 4);
    assert.equal(rocket.speed, 875);

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden', timeout: 2000 });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.channel), HOSTILE_CHANNEL);
    assert.deepEqual(problems.consoleErrors, []);
  });

  test('a long history pages through GET /rockets/{channel}/messages and the chart follows the fold', async () => {
    const { body: rocket } = await server.getJson(`/rockets/${VETERAN}`);
    const messages = fleet.find((r) => r.channel === VETERAN).messages;
    let speed = 0;
    for (const m of messages) {
      if (m.metadata.messageType === 'RocketLaunched') speed = m.message.launchSpeed;
      if (m.metadata.messageType === 'RocketSpeedIncreased') speed += m.message.by;
      if (m.metadata.messageType === 'RocketSpeedDecreased') speed -= m.message.by;
    }
    assert.equal(rocket.speed, speed);

    await rowOf(page, VETERAN).click();
    const indicator = page.locator('#history-indicator');
    const waitIndicator = (text) => page.waitForFunction((t) =>
      document.querySelector('#history-indicator')?.textContent === t, text, { timeout: 3000 });
    await waitIndicator('#36–#60 · 60 applied');
    const chart = page.locator('#detail-chart svg.chart');
    assert.equal(await chart.getAttribute('aria-label'), `Speed over time: 60 points, from 800 to ${speed.toLocaleString('en-US')}`);
    assert.equal(await chart.locator('path.chart-explosion').count(), 1);
    assert.equal(await page.locator('#history-latest').isDisabled(), true);

    await page.getByRole('button', { name: '« First' }).click();
    await waitIndicator('#1–#25 · 60 applied');
    assert.deepEqual((await page.locator('#history-body tr td:first-child').allInnerTexts()).slice(0, 3), ['1', '2', '3']);
    await page.getByRole('button', { name: 'Later ›' }).click();
    await waitIndicator('#26–#50 · 60 applied');
    await page.getByRole('button', { name: 'Latest »' }).click();
    await waitIndicator('#36–#60 · 60 applied');
    assert.match(await indicator.innerText(), /#36/);
    await page.keyboard.press('Escape');
    await page.locator('#detail').waitFor({ state: 'hidden', timeout: 2000 });
  });

  test('an exploded rocket opens from the Exploded list with its reason', async () => {
    const { body: [newest] } = await server.getJson('/rockets?status=EXPLODED&sort=updatedAt&order=desc&limit=1');
    await page.locator('#exploded-list .exploded-item').first().click();
    await page.locator('#detail').waitFor({ state: 'visible', timeout: 2000 });
    assert.equal(await page.locator('#detail-title').innerText(), newest.channel);
    await page.waitForFunction((reason) => document.querySelector('#detail-fields dd.reason')?.textContent === reason,
      newest.reason, { timeout: 2000 });
    await page.locator('#detail-chart svg.chart path.chart-explosion').waitFor({ timeout: 3000 });
    await page.keyboard.press('Escape');
    await page.locator('#detail').waitFor({ state: 'hidden', timeout: 2000 });
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('exploded-item') &&
      document.activeElement.dataset.channel), newest.channel, 'focus goes back to the entry that opened the panel');
  });

  test('screenshots of the dashboard are written for people to look at', async () => {
    // Some live traffic so the counters and the flash show.
    const target = fleet[2];
    for (let k = 0; k < 3; k += 1) {
      assert.equal(await server.post(increased(target.channel, target.messages.length + 1 + k, 50)), 202);
    }
    await page.waitForFunction(() => Number(document.querySelector('[data-outcome="accepted"] .counter-value')?.textContent) > 0,
      null, { timeout: 8000 });
    const table = artifactPath('dashboard.png');
    await page.screenshot({ path: table });

    await rowOf(page, VETERAN).click();
    await page.locator('#detail-chart svg.chart').waitFor({ timeout: 3000 });
    await page.waitForFunction(() => document.querySelectorAll('#history-body tr').length > 0, null, { timeout: 3000 });
    const withDetail = artifactPath('dashboard-detail.png');
    await page.screenshot({ path: withDetail });
    await page.keyboard.press('Escape');

    await page.setViewportSize({ width: 1920, height: 1080 });
    const large = artifactPath('dashboard-1920.png');
    await page.screenshot({ path: large });
    await page.setViewportSize({ width: 1366, height: 768 });

    for (const file of [table, withDetail, large]) assert.ok(statSync(file).size > 10000, `${file} has a picture`);
    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
  });
});
