// The "Exploded" side list: the most recently exploded rockets within the
// type and mission filters, with their reasons, kept current from the stream.

import { listRockets } from './api.js';
import { debounce, el, flash, formatInteger, formatMessageTime, replaceChildren } from './dom.js';

const SHOWN = 30;
const $ = (id) => document.getElementById(id);

export class ExplodedList {
  /** `onSelect(rocket)` opens a rocket's details. */
  constructor({ onSelect }) {
    this.onSelect = onSelect;
    this.filters = {};
    this.shown = new Map();   // channel → rocket
    this.controller = null;
    this.reloadSoon = debounce(() => this.reload(), 300, 1000);
  }

  /** Shows the exploded rockets for these type/mission filters. */
  setFilters({ type, mission }) {
    this.filters = { type, mission };
    this.reload();
  }

  /** A change arrived on the stream. */
  onRocket(rocket) {
    if (rocket.status !== 'EXPLODED') return;
    if ((this.filters.type && rocket.type !== this.filters.type) ||
        (this.filters.mission && rocket.mission !== this.filters.mission)) return;
    // Known ones only advance lastMessageNumber (EXPLODED is terminal); a new one changes the order and count.
    if (!this.shown.has(rocket.channel)) this.reloadSoon();
  }

  async reload() {
    this.reloadSoon.cancel();
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    try {
      const { rockets, total } = await listRockets({
        ...this.filters, status: 'EXPLODED', sort: 'updatedAt', order: 'desc', limit: SHOWN, offset: 0,
      }, controller.signal);
      this.render(rockets, total);
    } catch {
      // The table shows list errors; this list keeps its last content until the next change or resync.
    }
  }

  render(rockets, total) {
    const before = this.shown;
    this.shown = new Map(rockets.map((r) => [r.channel, r]));
    $('exploded-count').textContent = formatInteger(total);
    $('exploded-empty').hidden = rockets.length > 0;
    const items = rockets.map((rocket) => {
      const button = el('button', { type: 'button', class: 'exploded-item', 'data-channel': rocket.channel,
        onclick: () => this.onSelect(rocket) },
      el('span', { class: 'exploded-channel mono' }, rocket.channel),
      el('span', { class: 'exploded-reason' }, rocket.reason || 'no reason given'),
      el('span', { class: 'exploded-meta' },
        `${rocket.type} · ${rocket.mission} · at ${formatInteger(rocket.speed)} · ${formatMessageTime(rocket.updatedAt)}`));
      return el('li', {}, button);
    });
    replaceChildren($('exploded-list'), items);
    if (before.size > 0) {
      rockets.forEach((rocket, i) => { if (!before.has(rocket.channel)) flash(items[i]); });
    }
  }
}
