// The HTTP API the page reads (DESIGN §2 and the issue-12 endpoints). URLs are
// relative so the page also works behind a path prefix.

/** An answer other than 2xx, with the code and message of the JSON error body. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function getJson(url, signal) {
  const response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!response.ok) throw await errorOf(response);
  return { body: await response.json(), headers: response.headers };
}

async function errorOf(response) {
  try {
    const { error } = await response.json();
    return new ApiError(response.status, error.code, error.message);
  } catch {
    return new ApiError(response.status, 'http_' + response.status, response.statusText || 'request failed');
  }
}

/** The filters of GET /rockets and GET /changes, without the empty ones. */
export function filterParams({ status, type, mission }) {
  const params = new URLSearchParams();
  if (status) params.set('status', status);
  if (type) params.set('type', type);
  if (mission) params.set('mission', mission);
  return params;
}

/** One page of GET /rockets: {rockets, total}. */
export async function listRockets(view, signal) {
  const params = filterParams(view);
  params.set('sort', view.sort);
  params.set('order', view.order);
  params.set('limit', String(view.limit));
  params.set('offset', String(view.offset));
  const { body, headers } = await getJson('rockets?' + params, signal);
  const total = Number.parseInt(headers.get('X-Total-Count') ?? '', 10);
  return { rockets: body, total: Number.isFinite(total) ? total : body.length };
}

/** GET /rockets/{channel}, or null when it is not (yet) visible. */
export async function getRocket(channel, signal) {
  try {
    return (await getJson('rockets/' + encodeURIComponent(channel), signal)).body;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** GET /rockets/{channel}/messages: {messages, appliedVersion}; no messages when the channel has none. */
export async function getHistory(channel, from, limit, signal) {
  const params = new URLSearchParams({ from: String(from), limit: String(limit) });
  try {
    const { body, headers } = await getJson(`rockets/${encodeURIComponent(channel)}/messages?${params}`, signal);
    const applied = Number.parseInt(headers.get('X-Applied-Version') ?? '', 10);
    return { messages: body, appliedVersion: Number.isFinite(applied) ? applied : null };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && e.code === 'not_found') return { messages: [], appliedVersion: 0 };
    throw e;
  }
}

/** The Prometheus text of GET /metrics. */
export async function getMetricsText(signal) {
  const response = await fetch('metrics', { signal, headers: { Accept: 'text/plain' } });
  if (!response.ok) throw new ApiError(response.status, 'http_' + response.status, 'metrics unavailable');
  return response.text();
}

/** The URL of GET /changes for these filters. */
export function changesUrl(filters) {
  const params = filterParams(filters);
  const query = params.toString();
  return query ? 'changes?' + query : 'changes';
}
