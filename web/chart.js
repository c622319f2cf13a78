// The speed-over-time chart of the detail panel, drawn as inline SVG.

import { formatInteger, formatMessageTime, svg } from './dom.js';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 64, right: 16, top: 14, bottom: 30 };
/** Above this many points the markers would only add noise (and DOM nodes). */
const MAX_MARKERS = 150;

/**
 * An <svg> step chart of `points` (from speedSeries): x is the message time when every
 * point has one and they never go back, the message number otherwise.
 */
export function speedChart(points) {
  const useTime = points.length > 1 && points.every((p, i) =>
    Number.isFinite(p.time) && (i === 0 || p.time >= points[i - 1].time)) &&
    points[points.length - 1].time > points[0].time;
  const xOf = (p) => (useTime ? p.time : p.messageNumber);

  const root = svg('svg', {
    class: 'chart',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': describe(points),
  });
  root.append(svg('title', {}, describe(points)));
  if (points.length === 0) {
    root.append(svg('text', { x: WIDTH / 2, y: HEIGHT / 2, class: 'chart-empty', 'text-anchor': 'middle' },
      'No applied speed yet'));
    return root;
  }

  const { low, high, step } = niceScale(points.map((p) => p.speed));
  const x0 = xOf(points[0]);
  const x1 = points.length > 1 ? xOf(points[points.length - 1]) : x0 + 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const sx = (x) => PAD.left + (x1 === x0 ? plotW / 2 : ((x - x0) / (x1 - x0)) * plotW);
  const sy = (y) => PAD.top + (1 - (y - low) / (high - low)) * plotH;

  // Horizontal grid lines with round speed labels.
  for (let value = low; value <= high + step / 2; value += step) {
    const y = sy(value);
    root.append(svg('line', { class: 'chart-grid', x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y }));
    root.append(svg('text', { class: 'chart-label', x: PAD.left - 8, y: y + 4, 'text-anchor': 'end' },
      formatInteger(value)));
  }
  // The speed holds until the next message changes it: a step line.
  let d = `M${sx(xOf(points[0])).toFixed(1)},${sy(points[0].speed).toFixed(1)}`;
  for (let i = 1; i < points.length; i += 1) {
    d += `H${sx(xOf(points[i])).toFixed(1)}V${sy(points[i].speed).toFixed(1)}`;
  }
  if (points.length === 1) d += `H${(WIDTH - PAD.right).toFixed(1)}`;
  const baseline = PAD.top + plotH;
  root.append(svg('path', { class: 'chart-area', d: `${d}V${baseline}H${sx(x0).toFixed(1)}Z` }));
  root.append(svg('path', { class: 'chart-line', d }));

  if (points.length <= MAX_MARKERS) {
    for (const p of points) {
      if (p.exploded) continue;
      root.append(svg('circle', { class: 'chart-point', cx: sx(xOf(p)), cy: sy(p.speed), r: 2.5 },
        svg('title', {}, `#${p.messageNumber}: ${formatInteger(p.speed)}`)));
    }
  }
  const last = points[points.length - 1];
  if (last.exploded) {
    const cx = sx(xOf(last));
    const cy = sy(last.speed);
    root.append(svg('path', { class: 'chart-explosion', d: `M${cx - 6},${cy - 6}L${cx + 6},${cy + 6}M${cx - 6},${cy + 6}L${cx + 6},${cy - 6}` },
      svg('title', {}, `#${last.messageNumber}: exploded`)));
  }

  // X axis: where the series starts and ends.
  const label = (p) => (useTime ? formatMessageTime(p.timeText).slice(11) : `#${p.messageNumber}`);
  root.append(svg('line', { class: 'chart-axis', x1: PAD.left, x2: WIDTH - PAD.right, y1: baseline, y2: baseline }));
  root.append(svg('text', { class: 'chart-label', x: PAD.left, y: HEIGHT - 8, 'text-anchor': 'start' }, label(points[0])));
  if (points.length > 1) {
    root.append(svg('text', { class: 'chart-label', x: WIDTH - PAD.right, y: HEIGHT - 8, 'text-anchor': 'end' }, label(last)));
  }
  root.append(svg('text', { class: 'chart-label chart-axis-name', x: WIDTH / 2, y: HEIGHT - 8, 'text-anchor': 'middle' },
    useTime ? 'message time' : 'message number'));
  return root;
}

/** A y range on round numbers (steps of 1, 2 or 5 × 10^k) with about four intervals. */
function niceScale(values) {
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    const margin = Math.max(1, Math.abs(min) * 0.1);
    min -= margin;
    max += margin;
  }
  const rough = (max - min) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough));   // speeds are integers
  return { low: Math.floor(min / step) * step, high: Math.ceil(max / step) * step, step };
}

function describe(points) {
  if (points.length === 0) return 'Speed over time: no applied speed yet';
  const first = points[0].speed;
  const last = points[points.length - 1].speed;
  return `Speed over time: ${points.length} points, from ${formatInteger(first)} to ${formatInteger(last)}`;
}
