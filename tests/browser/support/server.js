// The real rockets-server as a child process for the browser tests: started on
// a free port (or a given one, to restart in place), stopped with SIGTERM.

import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** build/bin/rockets-server, or $ROCKETS_SERVER (CTest passes the built target's path). */
export const serverBinary = process.env.ROCKETS_SERVER || join(repoRoot, 'build/bin/rockets-server');

const STARTUP_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 20000;

/** Whether this build of the server can report the port it bound (--port-file, with --port=0). */
function supportsPortFile() {
  try {
    return execFileSync(serverBinary, ['--help'], { encoding: 'utf8' }).includes('port-file');
  } catch (e) {
    return String(e.stdout ?? '').includes('port-file');
  }
}

/** A port nobody listens on right now (only used when the server cannot report its own). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

export class RocketsServer {
  /**
   * `defines`: config keys passed as -D key=value; the default is the memory backend.
   * `port`: 0 for any free port, or a fixed one (a restart binds the same port again).
   */
  constructor({ defines = memoryBackend(), port = 0, dir = mkdtempSync(join(tmpdir(), 'rockets-browser-')) } = {}) {
    if (!existsSync(serverBinary)) throw new Error(`${serverBinary} is missing: build the rockets-server target first`);
    this.defines = defines;
    this.port = port;
    this.dir = dir;
    this.child = null;
    this.starts = 0;
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  get logFile() {
    return join(this.dir, `server-${this.starts}.log`);
  }

  async start() {
    this.starts += 1;
    const args = [];
    for (const [key, value] of Object.entries(this.defines)) args.push('-D', `${key}=${value}`);
    const portFile = join(this.dir, `port-${this.starts}`);
    if (this.port === 0 && supportsPortFile()) {
      args.push('--port=0', `--port-file=${portFile}`);
    } else {
      if (this.port === 0) this.port = await freePort();
      args.push(`--port=${this.port}`);
    }
    const log = createWriteStream(this.logFile);
    await new Promise((r) => log.once('open', r));
    const child = spawn(serverBinary, args, { stdio: ['ignore', log, log] });
    this.child = child;
    const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
    this.exited = exited;
    let gone = null;
    exited.then((status) => { gone = status; });

    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    // Waiting on another process's readiness: nothing to await but its port file and /healthz.
    while (Date.now() < deadline) {
      if (gone) throw new Error(`rockets-server exited during start-up (${JSON.stringify(gone)}):\n${this.log()}`);
      if (this.port === 0 && existsSync(portFile)) {
        const text = readFileSync(portFile, 'utf8').trim();
        if (/^\d+$/.test(text)) this.port = Number(text);
      }
      if (this.port !== 0 && await this.healthy()) return this;
      await delay(50);
    }
    await this.stop();
    throw new Error(`rockets-server did not become healthy within ${STARTUP_TIMEOUT_MS} ms:\n${this.log()}`);
  }

  async healthy() {
    try {
      const response = await fetch(`${this.baseUrl}/healthz`);
      return response.status === 200;
    } catch {
      return false;
    }
  }

  /** SIGTERM and wait for the exit; returns the exit code. A server that hangs is killed and reported. */
  async stop() {
    if (!this.child) return null;
    const child = this.child;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    let timer;
    const hung = new Promise((r) => { timer = setTimeout(() => r(null), STOP_TIMEOUT_MS); });
    const status = await Promise.race([this.exited, hung]);
    clearTimeout(timer);
    if (status === null) {
      child.kill('SIGKILL');
      await this.exited;
      throw new Error(`rockets-server did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM:\n${this.log()}`);
    }
    return status.code;
  }

  /** Removes the temporary folder (logs, port files); the server must be stopped. */
  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  log() {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '(no log)';
    }
  }

  /** POST /messages; returns the HTTP status. */
  async post(message) {
    const response = await fetch(`${this.baseUrl}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(message),
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** GET a JSON path: {status, headers, body}. */
  async getJson(path) {
    const response = await fetch(this.baseUrl + path);
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  /** Waits until GET /rockets/{channel} shows lastMessageNumber >= `number` (the consumer is asynchronous). */
  async waitApplied(channel, number, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    let last = null;
    while (Date.now() < deadline) {
      const { status, body } = await this.getJson(`/rockets/${encodeURIComponent(channel)}`);
      last = body;
      if (status === 200 && body.lastMessageNumber >= number) return body;
      await delay(20);
    }
    throw new Error(`${channel} did not reach message ${number}: ${JSON.stringify(last)}`);
  }
}

/** -D keys for the memory backend (nothing on disk). */
export function memoryBackend() {
  const defines = { 'rockets.store.events': 'memory', 'rockets.store.rockets': 'memory' };
  if (process.env.ROCKETS_PLUGIN_DIR) defines['rockets.plugins.dir'] = process.env.ROCKETS_PLUGIN_DIR;
  return defines;
}
