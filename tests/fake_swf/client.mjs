// Node helper for the fake SWF server (tests/fake_swf/server.py).
// ES module, Node >= 20 (global fetch), no dependencies.
//
//   const fake = await startFakeSwf();
//   await fake.script([{ status: 500, body: { __type: 'InternalFailure' } }]);
//   ... point the library at fake.url with FAKE_ACCESS_KEY / FAKE_SECRET / FAKE_REGION ...
//   const log = await fake.requests();
//   await fake.stop();

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const FAKE_ACCESS_KEY = 'AKIDFAKESWF';
export const FAKE_SECRET = 'fake-secret/KEY+1234567890abcdefEXAMPLE';
export const FAKE_REGION = 'us-east-1';

const SERVER_PY = fileURLToPath(new URL('./server.py', import.meta.url));
const READY = /^FAKE_SWF_READY (http:\/\/127\.0\.0\.1:\d+)$/;
const START_TIMEOUT_MS = 15_000;

/** Resolve with the server URL once the READY line appears; reject on exit/timeout. */
function waitForReady(child, stderr) {
  return new Promise((resolve, reject) => {
    const fail = (why) => reject(new Error(`fake SWF did not start: ${why}\n${stderr.join('')}`));
    const timer = setTimeout(() => fail(`no READY line after ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once('error', (err) => { clearTimeout(timer); fail(err.message); });
    child.once('exit', (code, signal) => { clearTimeout(timer); fail(`exited (${code ?? signal})`); });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const match = READY.exec(line.trim());
      if (match) resolve(match[1]);
      else fail(`unexpected first line ${JSON.stringify(line)}`);
    });
  });
}

/** Call the control API and return its decoded JSON (throws on non-2xx). */
async function control(url, method, path, payload) {
  const response = await fetch(`${url}/__control/${path}`, {
    method,
    headers: payload === undefined ? {} : { 'content-type': 'application/json' },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  const reply = await response.json();
  if (!response.ok) throw new Error(`fake SWF control ${path}: ${response.status} ${JSON.stringify(reply)}`);
  return reply;
}

/** Stop the child with SIGTERM (SIGKILL after 5 s) and wait for it to exit. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => { clearTimeout(killer); resolve(); });
    child.kill('SIGTERM');
  });
}

/**
 * Spawn `python3 server.py --port 0` (override the interpreter with $FAKE_SWF_PYTHON)
 * and return { url, script(responses, {append}), requests({includePreflight}),
 * reset(), skew(seconds), stop() }.
 */
export async function startFakeSwf() {
  const python = process.env.FAKE_SWF_PYTHON ?? 'python3';
  const child = spawn(python, [SERVER_PY, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL'); // a forgotten stop() must not leak the server
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const stderr = [];
  child.stderr.setEncoding('utf8').on('data', (chunk) => stderr.push(chunk));
  let url;
  try {
    url = await waitForReady(child, stderr);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    url,
    script: (responses, { append = false } = {}) => control(url, 'POST', 'script', { responses, append }),
    requests: ({ includePreflight = false } = {}) =>
      control(url, 'GET', `requests${includePreflight ? '?include_preflight=1' : ''}`),
    reset: () => control(url, 'POST', 'reset', {}),
    skew: (seconds) => control(url, 'POST', 'skew', { seconds }),
    stop: () => stopChild(child),
  };
}
