// Small DOM and formatting helpers. Every string from the server reaches the
// page through textContent or setAttribute, never through HTML parsing.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an element: el('td', {class: 'num', title: t}, 'text', childNode, ...). */
export function el(tag, attributes = {}, ...children) {
  return build(document.createElement(tag), attributes, children);
}

/** Same as el() for SVG elements. */
export function svg(tag, attributes = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attributes, children);
}

function build(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `node`. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 12345 → "12,345". */
export function formatInteger(value) {
  return Number.isFinite(value) ? integer.format(value) : '—';
}

/** A rate: one decimal below 10, none above. */
export function formatRate(value) {
  if (!Number.isFinite(value)) return '—';
  return value < 10 ? oneDecimal.format(value) : integer.format(value);
}

/**
 * A message time as the rocket reported it ("2022-02-02T19:39:05.86337+01:00")
 * shortened to "2022-02-02 19:39:05": the rocket's own clock, no time-zone
 * conversion, so it matches what was sent.
 */
export function formatMessageTime(value) {
  if (typeof value !== 'string') return '—';
  const match = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})/.exec(value);
  return match ? `${match[1]} ${match[2]}` : value;
}

/** The same without the year ("11-27 19:39:05"), for narrow table columns. */
export function formatShortTime(value) {
  const full = formatMessageTime(value);
  return /^\d{4}-/.test(full) ? full.slice(5) : full;
}

/** A message time as sent, breakable between date and time ("2022-02-02 19:39:05.86337+01:00"). */
export function formatFullTime(value) {
  return typeof value === 'string' ? value.replace(/^(\d{4}-\d{2}-\d{2})[Tt]/, '$1 ') : '—';
}

const flashTimers = new WeakMap();
const FLASH_MS = 1200;
const reducedMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * Marks `node` as just changed: the class `flash` for FLASH_MS (restarted on each call) and a
 * fading highlight. The Web Animations API restarts without forcing a layout, so a burst of
 * changes costs no reflow per row.
 */
export function flash(node) {
  node.classList.add('flash');
  clearTimeout(flashTimers.get(node));
  flashTimers.set(node, setTimeout(() => node.classList.remove('flash'), FLASH_MS));
  if (reducedMotion || typeof node.animate !== 'function') return;
  node.animate([{ backgroundColor: 'rgba(92, 200, 255, 0.45)' }, { backgroundColor: 'rgba(92, 200, 255, 0)' }],
    { duration: FLASH_MS, easing: 'ease-out' });
}

/** Calls `fn` once `delayMs` after the last call, but at least every `maxWaitMs` while calls keep coming. */
export function debounce(fn, delayMs, maxWaitMs = Infinity) {
  let timer = null;
  let firstCall = 0;
  const run = () => {
    timer = null;
    firstCall = 0;
    fn();
  };
  const schedule = () => {
    const now = performance.now();
    if (!firstCall) firstCall = now;
    clearTimeout(timer);
    const wait = Math.max(0, Math.min(delayMs, firstCall + maxWaitMs - now));
    timer = setTimeout(run, wait);
  };
  schedule.cancel = () => {
    clearTimeout(timer);
    timer = null;
    firstCall = 0;
  };
  schedule.flush = () => {
    if (timer) {
      clearTimeout(timer);
      run();
    }
  };
  return schedule;
}
