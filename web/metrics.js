// Live counters from GET /metrics: messages per second by outcome (from the
// rockets_messages_total counters) and the rockets_unapplied_messages gauge.

/** Outcomes always shown; the others appear once they have happened at least once. */
export const MAIN_OUTCOMES = ['accepted', 'duplicate', 'conflict'];

/**
 * Parses the lines this page needs from Prometheus text:
 * {outcomes: Map(outcome → count), unapplied: number|null}.
 */
export function parseMetrics(text) {
  const outcomes = new Map();
  let unapplied = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const outcome = /^rockets_messages_total\{outcome="([a-z_]+)"\}\s+(\S+)/.exec(line);
    if (outcome) {
      outcomes.set(outcome[1], Number(outcome[2]));
      continue;
    }
    const gauge = /^rockets_unapplied_messages(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (gauge) unapplied = (unapplied ?? 0) + Number(gauge[1]);
  }
  return { outcomes, unapplied };
}

/**
 * Rates per second between two samples ({outcomes, at} with `at` in ms).
 * A counter that went down (the server restarted) counts from zero.
 */
export function ratesBetween(previous, current) {
  const rates = new Map();
  const seconds = (current.at - previous.at) / 1000;
  if (seconds <= 0) return rates;
  for (const [outcome, count] of current.outcomes) {
    const before = previous.outcomes.get(outcome) ?? 0;
    const delta = count >= before ? count - before : count;
    rates.set(outcome, delta / seconds);
  }
  return rates;
}
