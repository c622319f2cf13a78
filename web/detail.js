// The detail panel of one rocket: its fields, a speed-over-time chart rebuilt
// from its history, and its stored messages paged through from the server.

import { ApiError, getHistory, getRocket } from './api.js';
import { speedChart } from './chart.js';
import { debounce, el, flash, formatFullTime, formatInteger, formatMessageTime, replaceChildren } from './dom.js';
import { describeMessage, speedSeries } from './history.js';

const HISTORY_PAGE = 25;
/** The largest `limit` GET /rockets/{channel}/messages accepts. */
const FETCH_CHUNK = 1000;
/** The chart reads at most this many messages (a test-program rocket has about 6,500). */
const CHART_CAP = 20000;

const $ = (id) => document.getElementById(id);

export class DetailPanel {
  /** `onClose(channel, opener)` is called after the panel closed, to give focus back (`opener` had it before). */
  constructor({ onClose }) {
    this.onClose = onClose;
    this.root = $('detail');
    this.channel = null;
    this.rocket = null;
    this.chartMessages = [];   // the applied prefix 1..n of the history, for the chart
    this.chartTruncated = false;
    this.historyFrom = 1;
    this.historyAtEnd = true;  // the history page shows the newest messages: follow live changes
    this.appliedVersion = 0;
    this.controller = null;
    this.opener = null;
    this.refreshLive = debounce(() => this.refresh(), 300, 1000);

    $('detail-close').addEventListener('click', () => this.close());
    $('history-first').addEventListener('click', () => this.showHistory(1));
    $('history-prev').addEventListener('click', () => this.showHistory(Math.max(1, this.historyFrom - HISTORY_PAGE)));
    $('history-next').addEventListener('click', () => this.showHistory(this.historyFrom + HISTORY_PAGE));
    $('history-latest').addEventListener('click', () => this.showLatestHistory());
  }

  get isOpen() {
    return this.channel !== null;
  }

  /** Opens the panel on `channel`; `rocket` is shown at once when the caller already has it. */
  open(channel, rocket = null) {
    this.controller?.abort();
    this.controller = new AbortController();
    this.refreshLive.cancel();
    if (!this.isOpen) this.opener = document.activeElement;
    this.channel = channel;
    this.rocket = rocket;
    this.chartMessages = [];
    this.chartTruncated = false;
    this.appliedVersion = rocket?.lastMessageNumber ?? 0;
    this.root.hidden = false;
    $('detail-title').textContent = channel;
    this.renderFields();
    replaceChildren($('detail-chart'), el('p', { class: 'muted small' }, 'Loading the history…'));
    $('chart-note').textContent = '';
    replaceChildren($('history-body'));
    $('detail-title').focus();
    this.load(this.controller.signal);
  }

  close() {
    if (!this.isOpen) return;
    const channel = this.channel;
    this.controller?.abort();
    this.refreshLive.cancel();
    this.channel = null;
    this.rocket = null;
    this.root.hidden = true;
    this.onClose(channel, this.opener);
    this.opener = null;
  }

  /** A change of this rocket arrived on the stream. */
  onRocket(rocket) {
    if (rocket.channel !== this.channel) return;
    if (this.rocket && rocket.lastMessageNumber < this.rocket.lastMessageNumber) return;
    this.rocket = rocket;
    this.renderFields();
    flash($('detail-fields'));
    this.refreshLive();
  }

  /** Reloads everything (after a resync: the store may have changed under us). */
  reload() {
    if (this.isOpen) this.open(this.channel, null);
  }

  async load(signal) {
    try {
      const rocket = await getRocket(this.channel, signal);
      if (signal.aborted) return;
      if (rocket) {
        this.rocket = rocket;
        this.appliedVersion = rocket.lastMessageNumber;
      }
      this.renderFields();
      await this.extendChart(signal);
      await this.showLatestHistory(signal);
    } catch (e) {
      if (!signal.aborted) this.showError(e);
    }
  }

  /** After live changes: new fields are shown already; extend the chart and the newest history page. */
  async refresh() {
    if (!this.isOpen) return;
    const signal = this.controller.signal;
    try {
      await this.extendChart(signal);
      if (this.historyAtEnd) await this.showLatestHistory(signal);
    } catch (e) {
      if (!signal.aborted) this.showError(e);
    }
  }

  /** Reads the applied messages after the ones the chart has, and redraws it. */
  async extendChart(signal) {
    while (!this.chartTruncated) {
      const from = this.chartMessages.length + 1;
      const { messages, appliedVersion } = await getHistory(this.channel, from, FETCH_CHUNK, signal);
      if (signal.aborted) return;
      if (appliedVersion !== null) this.appliedVersion = Math.max(this.appliedVersion, appliedVersion);
      const applied = messages.filter((m) => m.applied);
      this.chartMessages.push(...applied);
      if (this.chartMessages.length >= CHART_CAP) {
        this.chartMessages.length = CHART_CAP;
        this.chartTruncated = true;
      }
      if (messages.length < FETCH_CHUNK || applied.length < messages.length) break;
    }
    this.renderChart();
  }

  renderChart() {
    const points = speedSeries(this.chartMessages);
    replaceChildren($('detail-chart'), speedChart(points));
    const last = points[points.length - 1];
    $('chart-note').textContent = this.chartMessages.length === 0
      ? 'No applied message in the history.'
      : `Speed after each of ${formatInteger(this.chartMessages.length)} applied messages` +
        (this.chartTruncated ? ` (the first ${formatInteger(CHART_CAP)} only)` : '') +
        (last ? `; now ${formatInteger(last.speed)}.` : '.');
  }

  async showLatestHistory(signal = this.controller?.signal) {
    const newest = Math.max(this.appliedVersion, this.chartMessages.length);
    await this.showHistory(Math.max(1, newest - HISTORY_PAGE + 1), signal, true);
  }

  async showHistory(from, signal = this.controller?.signal, latest = false) {
    if (!this.isOpen) return;
    try {
      // One more than a page tells whether there is a later page.
      const { messages, appliedVersion } = await getHistory(this.channel, from, HISTORY_PAGE + 1, signal);
      if (signal?.aborted) return;
      if (appliedVersion !== null) this.appliedVersion = Math.max(this.appliedVersion, appliedVersion);
      const page = messages.slice(0, HISTORY_PAGE);
      const hasLater = messages.length > HISTORY_PAGE;
      this.historyFrom = from;
      this.historyAtEnd = latest || !hasLater;
      $('history-error').hidden = true;
      replaceChildren($('history-body'), page.map((m) => el('tr', { class: m.applied ? '' : 'pending' },
        el('td', { class: 'num' }, formatInteger(m.messageNumber)),
        el('td', { class: 'message-cell' }, el('span', { class: 'message-type' }, shortType(m.messageType)), ' ', describeMessage(m)),
        el('td', { class: 'time', title: m.messageTime }, formatMessageTime(m.messageTime).slice(11)),
        el('td', { class: m.applied ? 'applied' : 'not-applied' }, m.applied ? 'yes' : 'waiting'))));
      if (page.length === 0) {
        replaceChildren($('history-body'), el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No stored messages.')));
      }
      $('history-indicator').textContent = page.length
        ? `#${formatInteger(page[0].messageNumber)}–#${formatInteger(page[page.length - 1].messageNumber)} · ${formatInteger(this.appliedVersion)} applied`
        : '';
      $('history-first').disabled = from <= 1;
      $('history-prev').disabled = from <= 1;
      $('history-next').disabled = !hasLater;
      $('history-latest').disabled = !hasLater;
    } catch (e) {
      if (!signal?.aborted) this.showError(e);
    }
  }

  renderFields() {
    const r = this.rocket;
    const rows = r ? [
      ['Type', r.type],
      ['Mission', r.mission],
      ['Status', el('span', { class: r.status === 'EXPLODED' ? 'badge badge-exploded' : 'badge badge-active' },
        r.status === 'EXPLODED' ? 'Exploded' : 'Active')],
      r.status === 'EXPLODED' ? ['Reason', r.reason || 'no reason given'] : null,
      ['Speed', formatInteger(r.speed)],
      ['Launched', formatFullTime(r.launchedAt)],
      ['Updated', formatFullTime(r.updatedAt)],
      ['Last message', `#${formatInteger(r.lastMessageNumber)}`],
    ] : [['State', 'Not launched yet (no applied RocketLaunched)']];
    replaceChildren($('detail-fields'), rows.filter(Boolean).map(([name, value]) =>
      el('div', { class: 'field' }, el('dt', {}, name), el('dd', { class: name === 'Reason' ? 'reason' : '' }, value))));
    this.root.classList.toggle('is-exploded', r?.status === 'EXPLODED');
  }

  showError(e) {
    const box = $('history-error');
    box.hidden = false;
    box.textContent = e instanceof ApiError
      ? `Could not read the history: ${e.message} (${e.code})`
      : 'Could not read the history: the server did not answer.';
  }
}

function shortType(messageType) {
  return String(messageType ?? '').replace(/^Rocket/, '');
}
