// The checker itself: what the document does not say must fail.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { check, loadDocument } from './validate.js';

const loaded = loadDocument(fileURLToPath(new URL('../../docs/openapi.json', import.meta.url)));
const json = (value) => Buffer.from(JSON.stringify(value)).toString('base64');
const rocket = { channel: 'c', type: 'T', speed: 1, mission: 'M', status: 'ACTIVE', reason: null,
  launchedAt: '2022-01-01T00:00:00Z', updatedAt: '2022-01-01T00:00:00Z', lastMessageNumber: 1 };
const list = (overrides = {}) => ({ method: 'GET', target: '/rockets?sort=speed', status: 200,
  headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Total-Count': '1' },
  bodyBase64: json([rocket]), ...overrides });

describe('the OpenAPI check', () => {
  it('passes a documented exchange', () => {
    assert.deepEqual(check(loaded, list()).problems, []);
  });
  it('fails an undocumented status', () => {
    assert.match(check(loaded, list({ status: 418 })).problems.join(), /status 418 is not documented/);
  });
  it('fails an undocumented header and a missing required one', () => {
    const problems = check(loaded, list({ headers: { 'Content-Type': 'application/json', 'X-Debug': '1' } })).problems;
    assert.match(problems.join(), /header X-Debug is not documented/);
    assert.match(problems.join(), /required header x-total-count is missing/);
  });
  it('fails a body of another shape', () => {
    assert.match(check(loaded, list({ bodyBase64: json([{ ...rocket, speed: '1' }]) })).problems.join(), /speed/);
    assert.match(check(loaded, list({ bodyBase64: json([{ ...rocket, extra: 1 }]) })).problems.join(),
      /additional properties/);
  });
  it('fails an error code the response does not list', () => {
    const exchange = { method: 'POST', target: '/messages', status: 400, headers: { 'Content-Type': 'application/json' },
      bodyBase64: json({ error: { code: 'nope', message: 'x' } }) };
    assert.match(check(loaded, exchange).problems.join(), /allowed values/);
  });
  it('fails a body on a HEAD answer and an undocumented content type', () => {
    assert.match(check(loaded, list({ method: 'HEAD', bodyBase64: json([]) })).problems.join(), /a body where none/);
    assert.match(check(loaded, list({ headers: { 'Content-Type': 'text/html', 'X-Total-Count': '1' } })).problems.join(),
      /Content-Type 'text\/html' is not documented/);
  });
  it('checks requests that reach no operation against the unrouted answers', () => {
    const notFound = { method: 'GET', target: '/nope', status: 404, headers: { 'Content-Type': 'application/json' },
      bodyBase64: json({ error: { code: 'not_found', message: 'no such path' } }) };
    assert.deepEqual(check(loaded, notFound).problems, []);
    assert.match(check(loaded, { ...notFound, status: 200 }).problems.join(), /status 200 is not documented/);
    const wrongMethod = { method: 'DELETE', target: '/rockets', status: 405,
      headers: { 'Content-Type': 'application/json', Allow: 'GET, HEAD, OPTIONS' },
      bodyBase64: json({ error: { code: 'method_not_allowed', message: 'x' } }) };
    assert.deepEqual(check(loaded, wrongMethod).problems, []);
  });
});
