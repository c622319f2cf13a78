// The live counters in the top bar: messages per second by outcome and the
// unapplied-messages gauge, polled from GET /metrics every 2 s.

import { getMetricsText } from './api.js';
import { el, formatInteger, formatRate, replaceChildren, svg } from './dom.js';
import { MAIN_OUTCOMES, parseMetrics, ratesBetween } from './metrics.js';

const POLL_MS = 2000;
const SPARK_POINTS = 60;   // two minutes of accepted/s
const $ = (id) => document.getElementById(id);

export class Counters {
  constructor() {
    this.previous = null;
    this.history = [];
    this.timer = null;
  }

  start() {
    this.poll();
  }

  async poll() {
    try {
      const sample = { ...parseMetrics(await getMetricsText()), at: performance.now() };
      this.render(sample, this.previous ? ratesBetween(this.previous, sample) : null);
      this.previous = sample;
    } catch {
      $('counters').classList.add('stale');   // keeps the last figures, greyed, until /metrics answers again
    }
    this.timer = setTimeout(() => this.poll(), POLL_MS);
  }

  render(sample, rates) {
    $('counters').classList.remove('stale');
    const outcomes = [...MAIN_OUTCOMES, ...[...sample.outcomes.keys()].filter((o) =>
      !MAIN_OUTCOMES.includes(o) && sample.outcomes.get(o) > 0)];
    replaceChildren($('counters'), outcomes.map((outcome) => {
      const rate = rates?.get(outcome);
      const total = sample.outcomes.get(outcome);
      return el('li', { class: `counter outcome-${outcome}`, 'data-outcome': outcome,
        title: `${outcome}: ${formatInteger(total ?? 0)} in total since the server started` },
      el('span', { class: 'counter-value' }, rates ? formatRate(rate ?? 0) : '…'),
      el('span', { class: 'counter-label' }, `${outcome.replace('_', ' ')}/s`));
    }));
    $('unapplied').textContent = sample.unapplied === null ? '—' : formatInteger(sample.unapplied);
    $('unapplied').parentElement.classList.toggle('warn', (sample.unapplied ?? 0) > 0);
    if (rates) {
      this.history.push(rates.get('accepted') ?? 0);
      if (this.history.length > SPARK_POINTS) this.history.shift();
      this.renderSparkline();
    }
  }

  renderSparkline() {
    const peak = Math.max(1, ...this.history);
    const step = 120 / (SPARK_POINTS - 1);
    const offset = SPARK_POINTS - this.history.length;
    const points = this.history.map((v, i) => `${((offset + i) * step).toFixed(1)},${(30 - (v / peak) * 28).toFixed(1)}`);
    const first = (offset * step).toFixed(1);
    replaceChildren($('sparkline'),
      svg('polygon', { class: 'sparkline-area', points: `${first},32 ${points.join(' ')} 120,32` }),
      svg('polyline', { class: 'sparkline-line', points: points.join(' ') }));
  }
}
