// Checks every HTTP exchange the api tests recorded (one JSON object per line in
// <dir>/*.jsonl, written by tests/support/ExchangeRecorder) against docs/openapi.json:
// the request must reach a documented operation (or the document's
// x-unrouted-responses), and the response's status, headers and body must be the ones
// documented for it. Anything undocumented fails, so the document cannot drift.
//   node validate.js --document docs/openapi.json --exchanges build/openapi-exchanges
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

let Ajv2020;
try {
  ({ default: Ajv2020 } = await import('ajv/dist/2020.js'));
} catch {
  console.error('ajv is missing: run `npm ci` in tests/openapi (scripts/setup.sh does)');
  process.exit(1);
}

/** Headers of HTTP itself, not of the API: never documented per response. */
const PROTOCOL_HEADERS = new Set(['date', 'server', 'connection', 'content-length', 'content-type',
  'transfer-encoding', 'keep-alive']);
const METHODS = ['get', 'head', 'post', 'put', 'delete', 'options', 'patch', 'trace'];

export function loadDocument(path) {
  const document = JSON.parse(readFileSync(path, 'utf8'));
  // The document holds more than schemas (paths, info): not strict about keywords here...
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addSchema(document, 'openapi.json');
  // ...but strict about the schemas themselves, so a misspelt keyword cannot pass silently.
  const strict = new Ajv2020({ strict: true });
  const defs = JSON.parse(JSON.stringify(document.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/'));
  strict.addSchema({ $id: 'schemas.json', $defs: defs });
  for (const name of Object.keys(defs)) strict.compile({ $ref: `schemas.json#/$defs/${name}` });
  return { document, ajv, validators: new Map() };
}

function resolve(document, object) {
  let current = object;
  while (current && current.$ref) {
    const parts = current.$ref.replace(/^#\//, '').split('/');
    current = parts.reduce((node, part) => node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], document);
    if (!current) throw new Error(`unresolvable $ref ${object.$ref}`);
  }
  return current;
}

/** The path of a request target (origin or absolute form), without query or fragment. */
function pathOf(target) {
  let rest = target;
  const scheme = /^https?:\/\/[^/?#]*/i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length) || '/';
  rest = rest.split('#')[0].split('?')[0];
  return rest === '' ? '/' : rest;
}

/** The document's path template that `path` matches: exact first, then templated. */
function matchPath(document, path) {
  if (document.paths[path]) return path;
  const segments = path.split('/');
  for (const template of Object.keys(document.paths)) {
    const parts = template.split('/');
    if (parts.length !== segments.length) continue;
    if (parts.every((part, i) => (/^\{[^}]+\}$/.test(part) ? segments[i] !== '' : part === segments[i]))) return template;
  }
  return null;
}

/** The responses an exchange must be found in, and what the request reached. */
function responsesFor(document, exchange) {
  const unrouted = { where: 'unrouted request', responses: document['x-unrouted-responses'].responses };
  if (!exchange.method || !exchange.target) return unrouted;
  const template = matchPath(document, pathOf(exchange.target));
  if (!template) return unrouted;
  const operation = document.paths[template][exchange.method.toLowerCase()];
  if (!operation || !METHODS.includes(exchange.method.toLowerCase())) {
    return { ...unrouted, where: `${exchange.method} ${template} (no such operation)` };
  }
  return { where: `${exchange.method} ${template}`, responses: operation.responses, operation: operation.operationId };
}

function mediaType(contentType) {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function headerValue(headers, name) {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** Problems of one exchange (empty when it matches the document). */
export function check(loaded, exchange) {
  const { document, ajv } = loaded;
  const problems = [];
  const { where, responses, operation } = responsesFor(document, exchange);
  const documented = responses[String(exchange.status)];
  if (!documented) {
    return { operation, problems: [`${where}: status ${exchange.status} is not documented`] };
  }
  const response = resolve(document, documented);
  const corsHeaders = new Set(document['x-cors-headers'].headers.map((h) => h.toLowerCase()));
  const declared = Object.fromEntries(Object.entries(response.headers ?? {}).map(
    ([name, header]) => [name.toLowerCase(), resolve(document, header)]));
  for (const [name, value] of Object.entries(exchange.headers)) {
    const lower = name.toLowerCase();
    if (PROTOCOL_HEADERS.has(lower) || corsHeaders.has(lower)) continue;
    const header = declared[lower];
    if (!header) {
      problems.push(`${where} ${exchange.status}: header ${name} is not documented`);
      continue;
    }
    if (header.schema && !ajv.validate(header.schema, value)) {
      problems.push(`${where} ${exchange.status}: header ${name}: '${value}' ${ajv.errorsText(ajv.errors)}`);
    }
  }
  for (const [name, header] of Object.entries(declared)) {
    if (header.required && headerValue(exchange.headers, name) === undefined) {
      problems.push(`${where} ${exchange.status}: required header ${name} is missing`);
    }
  }
  const body = Buffer.from(exchange.bodyBase64 ?? '', 'base64');
  if (!response.content) {
    if (body.length > 0 && !exchange.streamed) problems.push(`${where} ${exchange.status}: a body where none is documented`);
    return { operation, problems };
  }
  const type = mediaType(headerValue(exchange.headers, 'Content-Type'));
  const media = Object.entries(response.content).find(([key]) => mediaType(key) === type);
  if (!media) {
    problems.push(`${where} ${exchange.status}: Content-Type '${type}' is not documented ` +
                  `(${Object.keys(response.content).join(', ')})`);
    return { operation, problems };
  }
  if (exchange.method === 'HEAD' || exchange.streamed) return { operation, problems };
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    problems.push(`${where} ${exchange.status}: the body is not valid UTF-8`);
    return { operation, problems };
  }
  if (type === 'application/json') {
    let value;
    try {
      value = JSON.parse(text);
    } catch (e) {
      problems.push(`${where} ${exchange.status}: the body is not JSON (${e.message})`);
      return { operation, problems };
    }
    const validate = validatorFor(loaded, media[1].schema ?? {});
    if (!validate(value)) {
      problems.push(`${where} ${exchange.status}: body ${ajv.errorsText(validate.errors)}: ${text.slice(0, 300)}`);
    }
  }
  return { operation, problems };
}

/** A compiled validator of `schema`, whose local $refs point into the document. */
function validatorFor({ ajv, validators }, schema) {
  const text = JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"openapi.json#/');
  if (!validators.has(text)) validators.set(text, ajv.compile(JSON.parse(text)));
  return validators.get(text);
}

export function readExchanges(directory) {
  const exchanges = [];
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(join(directory, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
    for (const line of lines) exchanges.push({ file, ...JSON.parse(line) });
  }
  return exchanges;
}

function main() {
  const { values } = parseArgs({ options: { document: { type: 'string' }, exchanges: { type: 'string' } } });
  if (!values.document || !values.exchanges) {
    console.error('usage: node validate.js --document docs/openapi.json --exchanges DIR');
    process.exit(2);
  }
  const loaded = loadDocument(values.document);
  let exchanges;
  try {
    exchanges = readExchanges(values.exchanges);
  } catch (e) {
    console.error(`cannot read the recorded exchanges in ${values.exchanges}: ${e.message} (run the api tests first)`);
    process.exit(1);
  }
  if (exchanges.length === 0) {
    console.error(`no exchanges recorded in ${values.exchanges}: the api tests did not run or did not record`);
    process.exit(1);
  }
  const failures = new Map();
  const covered = new Set();
  let failed = 0;
  for (const exchange of exchanges) {
    const { operation, problems } = check(loaded, exchange);
    if (operation) covered.add(operation);
    if (problems.length > 0) ++failed;
    for (const problem of problems) {
      if (!failures.has(problem)) {
        failures.set(problem, `${problem}\n    (${exchange.test ?? exchange.file}: ${exchange.method ?? '?'} ${exchange.target ?? '?'})`);
      }
    }
  }
  const operations = Object.values(loaded.document.paths).flatMap((item) =>
    METHODS.filter((m) => item[m]).map((m) => item[m].operationId));
  const uncovered = operations.filter((o) => !covered.has(o));
  console.log(`${exchanges.length} exchanges checked against ${values.document}; ` +
              `${covered.size} of ${operations.length} operations exercised` +
              (uncovered.length ? ` (not exercised: ${uncovered.join(', ')})` : ''));
  for (const failure of failures.values()) console.log(`FAIL ${failure}`);
  console.log(`${exchanges.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
