// The rockets table: its columns, how a row shows a rocket, and the sort order
// GET /rockets applies (used to tell whether a change belongs on the page).

import { el, formatInteger, formatShortTime, replaceChildren } from './dom.js';

/** The columns in display order; `key` is the GET /rockets sort field. */
export const COLUMNS = [
  { key: 'channel', label: 'Channel' },
  { key: 'type', label: 'Type' },
  { key: 'mission', label: 'Mission' },
  { key: 'speed', label: 'Speed', numeric: true },
  { key: 'status', label: 'Status' },
  { key: 'launchedAt', label: 'Launched' },
  { key: 'updatedAt', label: 'Updated' },
  { key: 'lastMessageNumber', label: 'Msg #', numeric: true, title: 'Last applied message number' },
];

export const SORT_KEYS = COLUMNS.map((c) => c.key);

/** Whether `rocket` passes the exact-match filters of the view. */
export function matchesFilters(rocket, view) {
  return (!view.status || rocket.status === view.status) &&
    (!view.type || rocket.type === view.type) &&
    (!view.mission || rocket.mission === view.mission);
}

function compareValues(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders two rockets as GET /rockets does for `view.sort`/`view.order` (ties by channel, ascending). */
export function compareRockets(a, b, view) {
  const primary = compareValues(a[view.sort], b[view.sort]);
  if (primary !== 0) return view.order === 'desc' ? -primary : primary;
  return compareValues(a.channel, b.channel);
}

function cell(column, rocket) {
  const value = rocket[column.key];
  switch (column.key) {
    case 'channel':
      return el('td', { class: 'mono channel', title: value }, value);
    case 'speed':
    case 'lastMessageNumber':
      return el('td', { class: 'num' }, formatInteger(value));
    case 'status': {
      const exploded = value === 'EXPLODED';
      return el('td', { class: 'status' },
        el('span', { class: exploded ? 'badge badge-exploded' : 'badge badge-active' }, exploded ? 'Exploded' : 'Active'),
        exploded ? el('span', { class: 'reason', title: rocket.reason ?? '' }, rocket.reason || 'no reason given') : null);
    }
    case 'launchedAt':
    case 'updatedAt':
      return el('td', { class: 'time', title: value ?? '' }, formatShortTime(value));
    default:
      return el('td', { class: 'text', title: value ?? '' }, value ?? '—');
  }
}

/** A new table row for `rocket`. */
export function rocketRow(rocket) {
  const row = el('tr', { class: 'rocket-row', tabindex: '-1' });
  fillRow(row, rocket);
  return row;
}

/** Shows `rocket` in an existing row (keeps the row element, so focus and selection stay). */
export function fillRow(row, rocket) {
  row.dataset.channel = rocket.channel;
  row.dataset.version = String(rocket.lastMessageNumber);
  row.classList.toggle('exploded', rocket.status === 'EXPLODED');
  row.setAttribute('aria-label', `${rocket.channel}, ${rocket.type}, ${rocket.status === 'EXPLODED' ? 'exploded' : 'active'}`);
  replaceChildren(row, COLUMNS.map((column) => cell(column, rocket)));
}
