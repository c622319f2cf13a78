// Mission control: the rockets table (server-side sort, filters and paging of
// GET /rockets), kept live by GET /changes, with the exploded list, the live
// counters and the detail panel around it.

import { ApiError, listRockets } from './api.js';
import { Counters } from './counters.js';
import { DetailPanel } from './detail.js';
import { debounce, el, flash, formatInteger, replaceChildren } from './dom.js';
import { ExplodedList } from './exploded.js';
import { ChangeStream } from './stream.js';
import { COLUMNS, SORT_KEYS, compareRockets, fillRow, matchesFilters, rocketRow } from './table.js';

const $ = (id) => document.getElementById(id);
const PAGE_SIZES = [25, 50, 100, 200];
/** How long a change seen on the stream may win over an older page answer (see `newest`). */
const SEEN_TTL_MS = 10000;
const SEEN_MAX = 5000;

// ---- the view: sort, filters and page, mirrored in the location hash --------------------------

const view = { sort: 'channel', order: 'asc', status: '', type: '', mission: '', limit: 50, offset: 0 };

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (SORT_KEYS.includes(params.get('sort'))) view.sort = params.get('sort');
  if (['asc', 'desc'].includes(params.get('order'))) view.order = params.get('order');
  if (['ACTIVE', 'EXPLODED'].includes(params.get('status'))) view.status = params.get('status');
  view.type = params.get('type') ?? '';
  view.mission = params.get('mission') ?? '';
  const limit = Number(params.get('limit'));
  if (PAGE_SIZES.includes(limit)) view.limit = limit;
  const offset = Number(params.get('offset'));
  if (Number.isInteger(offset) && offset >= 0) view.offset = offset - (offset % view.limit);
  return params.get('rocket');
}

function writeHash() {
  const params = new URLSearchParams();
  if (view.sort !== 'channel') params.set('sort', view.sort);
  if (view.order !== 'asc') params.set('order', view.order);
  for (const key of ['status', 'type', 'mission']) if (view[key]) params.set(key, view[key]);
  if (view.limit !== 50) params.set('limit', String(view.limit));
  if (view.offset) params.set('offset', String(view.offset));
  if (detail.isOpen) params.set('rocket', detail.channel);
  const hash = params.toString();
  history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
}

// ---- the page of rockets --------------------------------------------------------------------

const rows = new Map();   // channel → <tr> on the current page
let pageRockets = [];     // what the page shows, in order
let total = 0;
let listController = null;
/** Rockets seen on the stream recently: a page answer older than them must not roll a row back. */
const seen = new Map();   // channel → {rocket, at}

function newest(rocket) {
  const recent = seen.get(rocket.channel);
  return recent && recent.rocket.lastMessageNumber > rocket.lastMessageNumber ? recent.rocket : rocket;
}

async function loadPage() {
  requerySoon.cancel();
  requeryLater.cancel();
  listController?.abort();
  const controller = new AbortController();
  listController = controller;
  $('rockets-table').setAttribute('aria-busy', 'true');
  try {
    const result = await listRockets(view, controller.signal);
    if (controller.signal.aborted) return;
    if (view.offset > 0 && view.offset >= result.total) {
      // The page ran past the end (rockets left the filter): go to the last page that exists.
      view.offset = Math.max(0, Math.ceil(result.total / view.limit) - 1) * view.limit;
      writeHash();
      loadPage();
      return;
    }
    $('list-error').hidden = true;
    renderPage(result.rockets.map(newest), result.total);
  } catch (e) {
    if (controller.signal.aborted) return;
    $('list-error').hidden = false;
    $('list-error').textContent = e instanceof ApiError
      ? `The server refused the list: ${e.message} (${e.code}).`
      : 'The server did not answer; retrying when the connection is back.';
  } finally {
    if (listController === controller) $('rockets-table').removeAttribute('aria-busy');
  }
}

function renderPage(rockets, newTotal) {
  const focusedChannel = document.activeElement?.closest?.('tr.rocket-row')?.dataset.channel;
  const before = new Map([...rows].map(([channel, row]) => [channel, Number(row.dataset.version)]));
  rows.clear();
  pageRockets = rockets;
  total = newTotal;
  const fresh = rockets.map((rocket) => {
    const row = rocketRow(rocket);
    rows.set(rocket.channel, row);
    return row;
  });
  replaceChildren($('rockets-body'), fresh);
  if (before.size > 0) {
    for (const rocket of rockets) {
      if (before.get(rocket.channel) !== rocket.lastMessageNumber) flash(rows.get(rocket.channel));
    }
  }
  markSelected();
  const tabStop = rows.get(focusedChannel) ?? rows.get(rovingChannel) ?? fresh[0];
  if (tabStop) tabStop.tabIndex = 0;
  rovingChannel = tabStop?.dataset.channel ?? null;
  if (focusedChannel && rows.has(focusedChannel)) rows.get(focusedChannel).focus({ preventScroll: true });
  renderPager();
  rememberValues(rockets);
}

function renderPager() {
  const pages = Math.max(1, Math.ceil(total / view.limit));
  const page = Math.floor(view.offset / view.limit) + 1;
  const first = total === 0 ? 0 : view.offset + 1;
  const last = view.offset + pageRockets.length;
  $('page-indicator').textContent = `Page ${formatInteger(page)} of ${formatInteger(pages)}`;
  $('match-count').textContent = total === 0 ? 'none match'
    : `${formatInteger(first)}–${formatInteger(last)} of ${formatInteger(total)}`;
  $('page-first').disabled = $('page-prev').disabled = view.offset === 0;
  $('page-next').disabled = $('page-last').disabled = view.offset + view.limit >= total;
  const filtered = view.status || view.type || view.mission;
  $('empty').hidden = pageRockets.length > 0;
  $('empty').textContent = filtered ? 'No rocket matches these filters.'
    : 'No rocket yet. POST messages to /messages and they appear here as they are applied.';
}

/** Suggestions for the type and mission filters, from the rockets seen so far. */
const knownValues = { type: new Set(), mission: new Set() };
function rememberValues(rockets) {
  for (const [key, list] of [['type', 'known-types'], ['mission', 'known-missions']]) {
    const set = knownValues[key];
    const size = set.size;
    for (const rocket of rockets) if (set.size < 200 && rocket[key]) set.add(rocket[key]);
    if (set.size !== size) {
      replaceChildren($(list), [...set].sort().map((value) => el('option', { value })));
    }
  }
}

// Changes that cannot be placed exactly re-query the page: soon when it is visible, later when
// only the total (and so the page count) may have changed.
const requerySoon = debounce(loadPage, 150, 600);
const requeryLater = debounce(loadPage, 2000, 5000);

/** Changes wait for the next frame, the newest per channel: a burst updates each row once per frame. */
const pending = new Map();
let frameRequested = false;

function onRocket(rocket) {
  const waiting = pending.get(rocket.channel);
  if (!waiting || waiting.lastMessageNumber <= rocket.lastMessageNumber) pending.set(rocket.channel, rocket);
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(applyPending);
  }
}

function applyPending() {
  frameRequested = false;
  const batch = [...pending.values()];
  pending.clear();
  for (const rocket of batch) applyChange(rocket);
}

function applyChange(rocket) {
  remember(rocket);
  detail.onRocket(rocket);
  exploded.onRocket(rocket);

  const row = rows.get(rocket.channel);
  if (row) {
    const index = pageRockets.findIndex((r) => r.channel === rocket.channel);
    const previous = pageRockets[index];
    if (rocket.lastMessageNumber < previous.lastMessageNumber) return;   // an older change than the page shows
    pageRockets[index] = rocket;
    fillRow(row, rocket);
    flash(row);
    if (!matchesFilters(rocket, view) || compareRockets(previous, rocket, view) !== 0 && movedOutOfPlace(index)) {
      requerySoon();
    }
    return;
  }
  if (!matchesFilters(rocket, view)) return;
  const last = pageRockets[pageRockets.length - 1];
  const belongsHere = pageRockets.length < view.limit || compareRockets(rocket, last, view) < 0;
  if (belongsHere) requerySoon();
  else requeryLater();
}

/** Whether the rocket at `index` no longer sorts between its neighbours (or may now belong on another page). */
function movedOutOfPlace(index) {
  const rocket = pageRockets[index];
  const before = pageRockets[index - 1];
  const after = pageRockets[index + 1];
  if (before ? compareRockets(before, rocket, view) > 0 : view.offset > 0) return true;
  if (after ? compareRockets(rocket, after, view) > 0 : view.offset + pageRockets.length < total) return true;
  return false;
}

function remember(rocket) {
  seen.delete(rocket.channel);   // re-inserted last: the Map stays in order of arrival
  seen.set(rocket.channel, { rocket, at: performance.now() });
  if (seen.size > SEEN_MAX) seen.delete(seen.keys().next().value);
}

function forgetOldChanges() {
  const now = performance.now();
  for (const [channel, entry] of seen) {
    if (now - entry.at <= SEEN_TTL_MS) break;
    seen.delete(channel);
  }
}

// ---- selection and keyboard -----------------------------------------------------------------

let rovingChannel = null;   // the row that takes Tab focus in the table

function markSelected() {
  for (const [channel, row] of rows) {
    const selected = channel === detail.channel;
    row.classList.toggle('selected', selected);
    if (selected) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }
}

function focusRow(row) {
  if (!row) return;
  for (const other of rows.values()) other.tabIndex = -1;
  row.tabIndex = 0;
  rovingChannel = row.dataset.channel;
  row.focus();
}

function select(channel, rocket = null) {
  detail.open(channel, rocket ?? pageRockets.find((r) => r.channel === channel) ?? null);
  markSelected();
  writeHash();
}

function onTableKey(event) {
  const row = event.target.closest('tr.rocket-row');
  if (!row) return;
  const siblings = [...rows.values()];
  const index = siblings.indexOf(row);
  switch (event.key) {
    case 'Enter':
    case ' ':
      event.preventDefault();
      select(row.dataset.channel);
      break;
    case 'ArrowDown':
      event.preventDefault();
      focusRow(siblings[index + 1]);
      break;
    case 'ArrowUp':
      event.preventDefault();
      focusRow(siblings[index - 1]);
      break;
    case 'Home':
      event.preventDefault();
      focusRow(siblings[0]);
      break;
    case 'End':
      event.preventDefault();
      focusRow(siblings[siblings.length - 1]);
      break;
    case 'PageDown':
      event.preventDefault();
      if (!$('page-next').disabled) goTo(view.offset + view.limit);
      break;
    case 'PageUp':
      event.preventDefault();
      if (!$('page-prev').disabled) goTo(view.offset - view.limit);
      break;
    default:
      break;
  }
}

// ---- controls -------------------------------------------------------------------------------

function buildHeader() {
  replaceChildren($('rockets-head'), COLUMNS.map((column) => el('th', {
    scope: 'col', class: column.numeric ? 'num' : '', 'data-sort': column.key,
  }, el('button', { type: 'button', class: 'sort-button', title: column.title ?? `Sort by ${column.label.toLowerCase()}`,
    onclick: () => sortBy(column.key) }, column.label, el('span', { class: 'sort-arrow', 'aria-hidden': 'true' })))));
  renderSortState();
}

function renderSortState() {
  for (const th of $('rockets-head').children) {
    const active = th.dataset.sort === view.sort;
    if (active) th.setAttribute('aria-sort', view.order === 'asc' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
    th.querySelector('.sort-arrow').textContent = active ? (view.order === 'asc' ? '▲' : '▼') : '';
  }
}

function sortBy(key) {
  if (view.sort === key) view.order = view.order === 'asc' ? 'desc' : 'asc';
  else {
    view.sort = key;
    view.order = 'asc';
  }
  view.offset = 0;
  renderSortState();
  writeHash();
  loadPage();
}

function goTo(offset) {
  const lastOffset = Math.max(0, Math.ceil(total / view.limit) - 1) * view.limit;
  view.offset = Math.min(Math.max(0, offset), lastOffset);
  writeHash();
  loadPage();
}

/** New filters: a new stream (the server filters it) and the first page. */
function applyFilters() {
  const next = {
    status: $('filter-status').value,
    type: $('filter-type').value.trim(),
    mission: $('filter-mission').value.trim(),
  };
  if (next.status === view.status && next.type === view.type && next.mission === view.mission) return;
  Object.assign(view, next, { offset: 0 });
  writeHash();
  stream.open(view);
  exploded.setFilters(view);
  loadPage();
}
const applyFiltersSoon = debounce(applyFilters, 400);

function showFilters() {
  $('filter-status').value = view.status;
  $('filter-type').value = view.type;
  $('filter-mission').value = view.mission;
  $('page-size').value = String(view.limit);
}

function wireControls() {
  buildHeader();
  showFilters();
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    applyFiltersSoon.cancel();
    applyFilters();
  });
  $('filter-status').addEventListener('change', applyFilters);
  for (const id of ['filter-type', 'filter-mission']) {
    $(id).addEventListener('input', applyFiltersSoon);
    $(id).addEventListener('change', () => {
      applyFiltersSoon.cancel();
      applyFilters();
    });
  }
  $('clear-filters').addEventListener('click', () => {
    $('filter-status').value = '';
    $('filter-type').value = '';
    $('filter-mission').value = '';
    applyFilters();
  });
  $('page-size').addEventListener('change', () => {
    view.limit = Number($('page-size').value);
    view.offset = 0;
    writeHash();
    loadPage();
  });
  $('page-first').addEventListener('click', () => goTo(0));
  $('page-prev').addEventListener('click', () => goTo(view.offset - view.limit));
  $('page-next').addEventListener('click', () => goTo(view.offset + view.limit));
  $('page-last').addEventListener('click', () => goTo(Infinity));

  const body = $('rockets-body');
  body.addEventListener('click', (event) => {
    const row = event.target.closest('tr.rocket-row');
    if (!row) return;
    focusRow(row);
    select(row.dataset.channel);
  });
  body.addEventListener('keydown', onTableKey);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && detail.isOpen) {
      event.preventDefault();
      detail.close();
    }
  });
}

function showConnection({ state, reconnects, resyncs }) {
  const box = $('connection');
  box.dataset.state = state;
  box.dataset.reconnects = String(reconnects);
  box.dataset.resyncs = String(resyncs);
  $('connection-label').textContent = { connecting: 'Connecting…', connected: 'Live', reconnecting: 'Reconnecting…' }[state];
  $('connection-detail').textContent = reconnects === 0 ? '' : `${formatInteger(reconnects)} reconnect${reconnects === 1 ? '' : 's'}`;
  box.title = `Change stream: ${state}; ${reconnects} reconnects, ${resyncs} resyncs since the page opened`;
}

// ---- start ----------------------------------------------------------------------------------

const detail = new DetailPanel({
  onClose: (channel, opener) => {
    markSelected();
    writeHash();
    // Back where the user was: the row (re-rendered rows are new elements) or the Exploded entry.
    const row = rows.get(channel);
    if (row && (!opener?.isConnected || opener.closest('#rockets-body'))) focusRow(row);
    else if (opener?.isConnected) opener.focus();
  },
});
const exploded = new ExplodedList({
  onSelect: (rocket) => select(rocket.channel, rocket),
});
const stream = new ChangeStream({
  onRocket,
  onResync: () => {
    // Changes were missed (server restarted, or this client fell behind): reload what is shown.
    seen.clear();
    pending.clear();
    loadPage();
    exploded.reload();
    detail.reload();
  },
  onOpen: ({ fresh }) => {
    // A connection without Last-Event-ID may have missed changes since the last answer.
    if (fresh) {
      seen.clear();
      pending.clear();
    }
    // A list that failed while the server was away is retried as soon as it is back.
    if (fresh || !$('list-error').hidden) loadPage();
  },
  onState: showConnection,
});

const initialRocket = readHash();
wireControls();
loadPage();
exploded.setFilters(view);
stream.open(view);
new Counters().start();
setInterval(forgetOldChanges, SEEN_TTL_MS);
if (initialRocket) select(initialRocket);
