// The live feed: an EventSource on GET /changes with the view's filters, and
// the connection state the indicator shows.

import { changesUrl } from './api.js';

/** Retry delay when the server refused the stream itself (EventSource gives up on non-200 answers). */
const REOPEN_DELAY_MS = 3000;

/**
 * Keeps one EventSource open for the current filters.
 * Callbacks: onRocket(rocket), onResync(reason), onOpen({fresh}), onState({state, reconnects, resyncs}).
 * `fresh` is true when the connection starts without a Last-Event-ID (first open, new filters,
 * re-created after the server refused it, or no event had an id yet): the server cannot tell
 * what this client missed, so the client reloads by itself; otherwise the server resumes or resyncs.
 */
export class ChangeStream {
  constructor(callbacks) {
    this.callbacks = callbacks;
    this.source = null;
    this.filters = null;
    this.reopenTimer = null;
    this.state = 'connecting';
    this.lost = false;   // the connection dropped or was refused; the next open is a reconnect
    this.reconnects = 0;
    this.resyncs = 0;
  }

  /** (Re)opens the stream for `filters` ({status, type, mission}). */
  open(filters) {
    this.filters = { ...filters };
    this.close();
    this.connect();
  }

  close() {
    clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    if (this.source) this.source.close();
    this.source = null;
  }

  connect() {
    const source = new EventSource(changesUrl(this.filters));
    this.source = source;
    let opened = false;
    let sawId = false;   // the browser sends Last-Event-ID on its reconnects only after an event with an id
    this.setState(this.lost ? 'reconnecting' : 'connecting');

    source.addEventListener('open', () => {
      if (this.source !== source) return;
      const fresh = !opened || !sawId;
      if (this.lost) this.reconnects += 1;
      opened = true;
      this.lost = false;
      this.setState('connected');
      this.callbacks.onOpen({ fresh });
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      this.lost = true;
      if (source.readyState === EventSource.CLOSED) {
        // Refused (HTTP error, wrong type, 503 over maxStreams): EventSource will not retry by itself.
        source.close();
        this.source = null;
        this.setState('reconnecting');
        this.reopenTimer = setTimeout(() => this.connect(), REOPEN_DELAY_MS);
      } else {
        this.setState('reconnecting');  // the browser retries after the server's `retry:` delay
      }
    });
    source.addEventListener('rocket', (event) => {
      if (this.source !== source) return;
      if (event.lastEventId) sawId = true;
      let rocket;
      try {
        rocket = JSON.parse(event.data);
      } catch {
        return;  // a malformed event cannot be placed; the next resync or re-query repairs the view
      }
      if (rocket && typeof rocket.channel === 'string') this.callbacks.onRocket(rocket);
    });
    source.addEventListener('resync', (event) => {
      if (this.source !== source) return;
      if (event.lastEventId) sawId = true;
      let reason = 'unknown';
      try {
        reason = JSON.parse(event.data).reason ?? reason;
      } catch { /* the reload does not depend on the reason */ }
      this.resyncs += 1;
      this.callbacks.onResync(reason);
      this.emitState();
    });
  }

  setState(state) {
    this.state = state;
    this.emitState();
  }

  emitState() {
    this.callbacks.onState({ state: this.state, reconnects: this.reconnects, resyncs: this.resyncs });
  }
}
