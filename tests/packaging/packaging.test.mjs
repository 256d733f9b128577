// Issues 5 and 13, "a real npm package" and "ready to publish": the tarball `npm pack` makes
// of pkg/, installed with `npm install --offline <tarball>` into throwaway consumer projects
// under tests/out/packaging/, each heartbeating a cancel-requested task, calling
// cancelIfRequested and closing it against the local SWF (moto + tests/swf_local), whose
// history must then show `ActivityTaskCanceled` with the consumer's details:
//   1. Node ESM (`import`, the `node` condition), 2. Node CommonJS (`require`),
//   3. TypeScript (tsc --strict under moduleResolution bundler and nodenext, then run),
//   4. a Vite app built with `vite build`, in headless Chromium (and the same app under
//      the Vite dev server, whose dependency pre-bundling moves browser.js),
//   5. a plain `<script type="module">` page importing node_modules/swf-edge/browser.js,
//   6. webpack (default entry), esbuild, Rollup and `bun build` (`swf-edge/embedded`)
//      bundles in the same Chromium, and an esbuild bundle for Node,
//   7. Bun (import and require) and Deno (node_modules, least permissions, deno check),
//   8. publint, attw and `npm publish --dry-run` on the tarball.
// Plus: every entry exports exactly the values index.d.ts declares, and the error classes
// behave as declared when a consumer constructs them (`new UnknownResourceFault("…")`).
// (workerd is tests/js/workerd.test.mjs.) Consumer sources are in ./consumers/.
// SWF_EDGE_TARBALL=<path.tgz> runs the consumers against that tarball instead of packing
// pkg/ (to check that a broken package really fails them).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { cpSync, copyFileSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, extname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { packPackage, startWorker } from "../support/worker.mjs";
import { startSwfLocal, eventsOf, LOCAL_CREDENTIALS } from "../support/swf-local.mjs";
import { launchChromium } from "../support/chromium.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUT = join(ROOT, "tests", "out", "packaging");
const CONSUMERS = fileURLToPath(new URL("./consumers/", import.meta.url));
const BIN = {
  tsc: join(ROOT, "node_modules", "typescript", "bin", "tsc"),
  vite: join(ROOT, "node_modules", "vite", "bin", "vite.js"),
};
const VERSION = JSON.parse(readFileSync(join(ROOT, "pkg", "package.json"), "utf8")).version;

const execFileAsync = promisify(execFile);

/** Runs a command; rejects with its output in the message. Resolves { stdout, stderr }. */
async function run(file, args, { cwd, timeout = 90_000, env } = {}) {
  try {
    return await execFileAsync(file, args, { cwd, timeout, env: env ?? process.env, maxBuffer: 32 * 1024 * 1024 });
  } catch (error) {
    throw new Error(
      `${basename(file)} ${args.join(" ")} (in ${cwd}) failed: ${error.message}\n--- stdout\n${error.stdout ?? ""}\n--- stderr\n${error.stderr ?? ""}`,
    );
  }
}

/** The last stdout line of a consumer, parsed as JSON. */
function lastJsonLine(stdout) {
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

let tarball;
let local;
let browser;
const servers = [];

before(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // Our own copy: other test files pack into the same tests/out/swf-edge-<v>.tgz.
  tarball = join(OUT, `swf-edge-${VERSION}.tgz`);
  copyFileSync(process.env.SWF_EDGE_TARBALL || packPackage(), tarball);
  local = await startSwfLocal();
});

after(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await local?.stop();
});

/**
 * A scratch project tests/out/packaging/<name>: the given consumer folders copied in, a
 * package.json, and the tarball installed with `npm install <tarball>` (no registry).
 */
async function scratchProject(name, { from, type }) {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const folder of from) cpSync(join(CONSUMERS, folder), dir, { recursive: true });
  const manifest = { name: `swf-edge-consumer-${name}`, version: "0.0.0", private: true };
  if (type) manifest.type = type;
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--no-package-lock", tarball], { cwd: dir });
  const installed = join(dir, "node_modules", "swf-edge");
  assert.ok(lstatSync(installed).isDirectory() && !lstatSync(installed).isSymbolicLink(), "swf-edge is unpacked, not linked to pkg/");
  assert.equal(JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).version, VERSION);
  const dependency = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).dependencies?.["swf-edge"];
  assert.match(dependency ?? "", /^file:.*\.tgz$/, "installed from the tarball");
  return dir;
}

/** One cancel-requested task and one running task, freshly prepared on the local SWF. */
async function prepareJob(details) {
  const { tasks } = await local.scenario("prepare", { count: 2, cancelRequested: 1 });
  const requested = tasks.find((t) => t.cancelRequested);
  const running = tasks.find((t) => !t.cancelRequested);
  assert.ok(requested && running, JSON.stringify(tasks));
  return {
    tasks: { requested, running },
    job: { endpoint: local.url, credentials: LOCAL_CREDENTIALS, requested: requested.taskToken, running: running.taskToken, details },
  };
}

/**
 * The runtime values the installed index.d.ts declares (`export declare class|function`):
 * every entry must export exactly these, so types and runtime cannot drift apart.
 */
function declaredValues(dir) {
  const dts = readFileSync(join(dir, "node_modules", "swf-edge", "index.d.ts"), "utf8");
  return [...dts.matchAll(/^export\s+declare\s+(?:abstract\s+)?(?:class|function|const|let|var)\s+(\w+)/gm)].map((m) => m[1]).sort();
}

/** The values the bundler consumers import by name (consumers/bundlers). */
const NAMED = ["SwfClient", "SwfError", "UnknownResourceFault", "ValidationError", "init"];

/**
 * What every runtime consumer reports for the shared flow (see consumers/node-esm). With
 * `named`, the consumer passed only the NAMED imports (tree-shaken bundles), not the namespace.
 */
function checkFlow(result, label, dir, { named = false } = {}) {
  const declared = declaredValues(dir);
  for (const name of NAMED) assert.ok(declared.includes(name), name);
  assert.deepEqual(result.exports, named ? [...NAMED].sort() : declared, `${label}: the entry exports what index.d.ts declares`);
  assert.deepEqual(result.heartbeat, { cancelRequested: true }, `${label}: heartbeat of the requested task`);
  assert.deepEqual(result.canceled, { canceled: true, cancelRequested: true }, `${label}: cancelIfRequested (requested)`);
  assert.deepEqual(result.running, { canceled: false, cancelRequested: false }, `${label}: cancelIfRequested (running)`);
  const { requestId, ...again } = result.again;
  assert.deepEqual(
    again,
    { swfError: true, unknownResource: true, name: "UnknownResourceFault", statusCode: 400, retryable: false },
    `${label}: cancelling the closed task again`,
  );
  assert.match(requestId ?? "", /^[0-9a-f-]{36}$/, `${label}: requestId`);
  assert.deepEqual(result.invalid, { validation: true, name: "ValidationError", field: "taskToken", attempts: 0 }, `${label}: empty token`);
  assert.equal(result.client.region, "us-east-1");
  assert.equal(result.client.endpoint, `${new URL(local.url).origin}/`, `${label}: endpoint (the README: the origin plus the path /)`);
}

/** The SWF history: the requested task canceled once with `details`, the running one not. */
async function checkHistory(tasks, details, label) {
  const canceled = await eventsOf(local, tasks.requested, "ActivityTaskCanceled");
  assert.equal(canceled.length, 1, `${label}: one ActivityTaskCanceled for the requested task`);
  assert.equal(canceled[0].activityTaskCanceledEventAttributes.details, details, `${label}: canceled details`);
  assert.deepEqual(await eventsOf(local, tasks.running, "ActivityTaskCanceled"), [], `${label}: the running task stays open`);
}

// --- 1. Node ESM -------------------------------------------------------------------------

test("Node ESM: import from the installed tarball cancels a requested task", { timeout: 60_000 }, async () => {
  const dir = await scratchProject("node-esm", { from: ["node-esm"], type: "module" });
  const details = "canceled by the Node ESM consumer";
  const { tasks, job } = await prepareJob(details);
  const { stdout } = await run(process.execPath, ["consumer.mjs", JSON.stringify(job)], { cwd: dir });
  const result = lastJsonLine(stdout);
  assert.equal(fileURLToPath(result.entry), join(dir, "node_modules", "swf-edge", "dist", "node.js"), "the `node` condition");
  checkFlow(result, "node-esm", dir);
  await checkHistory(tasks, details, "node-esm");
});

// --- 2. Node CommonJS --------------------------------------------------------------------

test("Node CommonJS: require() of the installed tarball cancels a requested task", { timeout: 60_000 }, async (t) => {
  if (!process.features.require_module) {
    t.skip(`require(esm) is off in this Node (${process.version}); it is on by default from 20.19 / 22.12`);
    return;
  }
  const dir = await scratchProject("node-cjs", { from: ["node-cjs"] }); // no "type": CommonJS
  const details = "canceled by the Node CommonJS consumer";
  const { tasks, job } = await prepareJob(details);
  const { stdout, stderr } = await run(process.execPath, ["consumer.cjs", JSON.stringify(job)], { cwd: dir });
  if (stderr.trim()) t.diagnostic(`stderr: ${stderr.trim()}`);
  const result = lastJsonLine(stdout);
  assert.equal(result.entry, join(dir, "node_modules", "swf-edge", "dist", "node.js"), "the `node` condition under require");
  checkFlow(result, "node-cjs", dir);
  await checkHistory(tasks, details, "node-cjs");
});

// --- 3. TypeScript -----------------------------------------------------------------------

/** tsc -p <config> with resolution tracing; returns the trace of `swf-edge`'s resolution. */
async function typecheck(dir, config) {
  let output;
  try {
    ({ stdout: output } = await execFileAsync(process.execPath, [BIN.tsc, "-p", config, "--noEmit", "--strict", "--traceResolution"], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 90_000,
    }));
  } catch (error) {
    const errors = String(error.stdout ?? "").split("\n").filter((line) => / error TS\d+/.test(line));
    assert.fail(`tsc -p ${config} failed:\n${errors.join("\n") || error.stderr || error.message}`);
  }
  const traces = [...output.matchAll(/======== Resolving module 'swf-edge' from [^\n]*\n([\s\S]*?)\n======== ([^\n]*)/g)];
  assert.ok(traces.length > 0, `${config}: tsc resolved swf-edge`);
  const full = [];
  for (const [, trace, verdict] of traces) {
    assert.match(verdict, /successfully resolved to '.*\/node_modules\/swf-edge\/index\.d\.ts'/, `${config}: ${verdict}`);
    if (/was found in cache/.test(trace)) continue; // a second file, same resolution mode
    assert.match(trace, /Entering conditional exports\./, `${config}: resolved through "exports"`);
    assert.match(trace, /Using 'exports' subpath '\.' with target '\.\/index\.d\.ts'\./, config);
    full.push(trace);
  }
  assert.ok(full.length > 0, `${config}: a full resolution trace`);
  return full;
}

test("TypeScript: the example type-checks (strict) under bundler and nodenext, and runs", { timeout: 120_000 }, async () => {
  const dir = await scratchProject("typescript", { from: ["typescript"], type: "module" });

  // Both resolutions in parallel; each must find index.d.ts through `exports`, under the
  // condition that also picks the runtime file (no fall-through to a later condition).
  const [bundler, nodenext] = await Promise.all([typecheck(dir, "tsconfig.bundler.json"), typecheck(dir, "tsconfig.nodenext.json")]);
  for (const trace of bundler) assert.match(trace, /Resolved under condition 'types'\.\nExiting conditional exports\.\nResolved under condition 'default'\./);
  for (const trace of nodenext) {
    const fellThrough = /Failed to resolve under condition[^\n]*/.exec(trace);
    assert.ok(!fellThrough, `nodenext: ${fellThrough?.[0]} (a condition without "types" made tsc fall through to a later one)`);
    assert.match(trace, /Resolved under condition 'types'\.\nExiting conditional exports\.\nResolved under condition 'node'\./);
  }
  // The .cts module resolves in CJS mode (require), the .ts one in ESM mode.
  assert.ok(nodenext.some((trace) => /Resolving in CJS mode/.test(trace)), "consumer.cts resolved as CommonJS");
  assert.ok(nodenext.some((trace) => /Resolving in ESM mode/.test(trace)), "example.ts resolved as ESM");

  // Compile (nodenext) and run the example for real: every method against the local SWF.
  await run(process.execPath, [BIN.tsc, "-p", "tsconfig.nodenext.json", "--noEmit", "false"], { cwd: dir });
  const details = "canceled by the TypeScript consumer";
  const { tasks } = await local.scenario("prepare", { count: 3, cancelRequested: 1 });
  const requested = tasks.find((t) => t.cancelRequested);
  const [running, toFail] = tasks.filter((t) => !t.cancelRequested);
  const { domain, taskList, tasks: [scheduled] } = await local.scenario("prepare", { count: 1, noPoll: true });
  const job = {
    endpoint: local.url,
    credentials: LOCAL_CREDENTIALS,
    requested: requested.taskToken,
    running: running.taskToken,
    toFail: toFail.taskToken,
    domain,
    taskList,
    details,
    closedPort: `http://127.0.0.1:${await closedPort()}`,
  };
  const { stdout } = await run(process.execPath, ["runner.mjs", JSON.stringify(job)], { cwd: dir });
  const report = lastJsonLine(stdout);
  assert.deepEqual(report.status, { cancelRequested: true });
  assert.deepEqual(report.canceled, { canceled: true, cancelRequested: true });
  assert.deepEqual(report.notRequested, { canceled: false, cancelRequested: false });
  assert.equal(report.closed.name, "UnknownResourceFault", JSON.stringify(report.closed));
  assert.equal(report.closed.statusCode, 400);
  assert.match(report.closed.requestId, /^[0-9a-f-]{36}$/);
  assert.equal(report.watchReason, "UnknownResourceFault");
  assert.deepEqual(report.many, [
    { status: "error", error: "UnknownResourceFault" },
    { status: "not-requested" },
    { status: "error", error: "ValidationError(taskToken)" },
  ]);
  assert.deepEqual(report.polled, { activityId: scheduled.activityId, workflowId: scheduled.workflowId });
  assert.deepEqual(report.activity, { status: "completed", result: { ok: true, input: scheduled.input } });
  assert.equal(report.transport, "TransportError");
  assert.equal(report.credentials, "CredentialsError");
  assert.equal(report.aborted, "AbortError");
  assert.equal(report.badRegion, "ValidationError(region)");
  assert.equal(report.providerCalls, 1, "the credentials provider is called once and shared");
  assert.equal(new URL(report.client.endpoint).origin, new URL(local.url).origin);
  assert.doesNotMatch(report.text, /local-secret|AKIDLOCAL/);

  await checkHistory({ requested, running }, details, "typescript");
  const [completed] = await eventsOf(local, running, "ActivityTaskCompleted");
  assert.equal(completed?.activityTaskCompletedEventAttributes.result, "done from TypeScript");
  const [failed] = await eventsOf(local, toFail, "ActivityTaskFailed");
  assert.equal(failed?.activityTaskFailedEventAttributes.reason, "ts-reason");
  assert.equal(failed?.activityTaskFailedEventAttributes.details, "failed from TypeScript");
  const [ran] = await eventsOf(local, scheduled, "ActivityTaskCompleted");
  assert.deepEqual(JSON.parse(ran?.activityTaskCompletedEventAttributes.result ?? "null"), { ok: true, input: scheduled.input });
  const [started] = await eventsOf(local, scheduled, "ActivityTaskStarted");
  assert.equal(started?.activityTaskStartedEventAttributes.identity, "ts-consumer");
});

test("TypeScript: error classes constructed as index.d.ts allows keep their declared name and message", { timeout: 30_000 }, async () => {
  // index.d.ts gives the error classes no constructor of their own, so TypeScript accepts
  // Error's `new UnknownResourceFault("task closed")` (consumers do this to fake SWF
  // failures in their own tests). The runtime constructor, though, expects an internal
  // record { name, message, … }. Uses build/errors.js compiled by the previous test.
  const dir = join(OUT, "typescript");
  assert.ok(statSync(join(dir, "build", "errors.js"), { throwIfNoEntry: false }), "build/errors.js (compiled by the TypeScript test)");
  const { stdout } = await run(process.execPath, ["errors-runner.mjs"], { cwd: dir });
  const report = lastJsonLine(stdout);
  const expected = (name, message) => ({ name, message, text: message ? `${name}: ${message}` : name, swfError: true });
  assert.deepEqual(
    report.map(({ expression, ...seen }) => `${expression} → ${JSON.stringify(seen)}`),
    [
      ["the declared name of new UnknownResourceFault(…)", { name: "UnknownResourceFault" }],
      ['new UnknownResourceFault("task closed")', expected("UnknownResourceFault", "task closed")],
      ['new ValidationError("bad input")', expected("ValidationError", "bad input")],
      ['new TransportError("connection reset", { cause })', expected("TransportError", "connection reset")],
      ['new SwfError("boom")', expected("SwfError", "boom")],
      ["new SwfError()", expected("SwfError", "")],
    ].map(([expression, seen]) => `${expression} → ${JSON.stringify(seen)}`),
    "what `new <ErrorClass>(message)` gives at runtime, against what index.d.ts declares",
  );
});

function closedPort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// --- 4 and 5. Browsers -------------------------------------------------------------------

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".map": "application/json",
  ".css": "text/css",
};

/** A static file server for `root` on loopback; logs every request. Resolves { url, log }. */
async function serveStatic(root) {
  const log = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(root, path));
    let status = 200;
    let body;
    try {
      if (relative(root, file).startsWith("..")) throw new Error("outside the root");
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      body = await readFile(file);
    } catch {
      status = 404;
    }
    const type = status === 200 ? (MIME[extname(file)] ?? "application/octet-stream") : "text/plain";
    log.push({ method: req.method, path, status, type });
    res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
    res.end(status === 200 ? body : "not found");
  });
  servers.push(server);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, log };
}

async function getBrowser() {
  browser ??= await launchChromium();
  return browser;
}

/**
 * Opens `url` with the job in the query string, waits for #result[data-done] and returns
 * { result, responses, problems } (responses from the page's own origin only).
 */
async function runPage(url, job) {
  const context = await (await getBrowser()).newContext();
  const page = await context.newPage();
  const problems = [];
  const console_ = [];
  const responses = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`requestfailed: ${request.url()} ${request.failure()?.errorText}`));
  page.on("console", (message) => console_.push(`${message.type()}: ${message.text()}`));
  page.on("response", (response) => {
    if (new URL(response.url()).origin === new URL(url).origin) {
      responses.push({ path: new URL(response.url()).pathname, status: response.status(), type: response.headers()["content-type"] });
    }
  });
  try {
    await page.goto(`${url}/?job=${encodeURIComponent(JSON.stringify(job))}`);
    await page.waitForSelector("#result[data-done]", { timeout: 30_000 }).catch((error) => {
      throw new Error(`the page never finished: ${error.message}\n${[...problems, ...console_].join("\n")}`);
    });
    const result = JSON.parse(await page.textContent("#result"));
    assert.equal(result.ok, true, `the page's flow failed: ${JSON.stringify(result.error)}\n${[...problems, ...console_].join("\n")}`);
    return { result, responses, problems, console: console_ };
  } finally {
    await context.close();
  }
}

const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** Checks what the page fetched from its own server: all 200, the wasm once as application/wasm. */
function checkServed({ responses, problems, console: messages }, server, wasmPath, label) {
  assert.deepEqual(problems, [], `${label}: page errors or failed requests`);
  const failed = (server?.log ?? responses).filter((entry) => entry.status >= 400);
  assert.deepEqual(failed, [], `${label}: every request to the page's server was found`);
  const wasm = responses.filter((r) => r.path.endsWith(".wasm"));
  assert.deepEqual(wasm, [{ path: wasmPath, status: 200, type: "application/wasm" }], `${label}: the wasm was loaded`);
  // wasm-bindgen falls back (with a console warning) when streaming instantiation fails.
  assert.deepEqual(messages.filter((m) => /instantiateStreaming/.test(m)), [], `${label}: console`);
}

test("Vite app: `vite build` emits the wasm as an asset and the app cancels from Chromium", { timeout: 120_000 }, async (t) => {
  const dir = await scratchProject("vite", { from: ["vite", "browser"], type: "module" });
  const { stdout, stderr } = await run(process.execPath, [BIN.vite, "build", "--config", join(dir, "vite.config.mjs")], { cwd: dir });
  const output = `${stdout}${stderr}`.trim();
  if (output) t.diagnostic(`vite build: ${output}`);

  // The bundle: one .wasm asset, byte-identical to the package's, referenced by the JS;
  // the browser entry was chosen (nothing of node.js or workerd.js came along).
  const assets = readdirSync(join(dir, "dist", "assets"));
  const wasmAssets = assets.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasmAssets.length, 1, `one wasm asset in dist/assets: ${assets.join(", ")}\n${output}`);
  const [wasmAsset] = wasmAssets;
  assert.equal(sha256(join(dir, "dist", "assets", wasmAsset)), sha256(join(dir, "node_modules", "swf-edge", "dist", "swf_edge_bg.wasm")));
  const scripts = assets.filter((f) => f.endsWith(".js"));
  const bundle = scripts.map((f) => readFileSync(join(dir, "dist", "assets", f), "utf8")).join("\n");
  assert.ok(bundle.includes(wasmAsset), `the JS bundle references ${wasmAsset}`);
  assert.ok(!/readFileSync|node:fs/.test(bundle), "no Node entry (node.js) in the browser bundle: the `browser` condition was not used");
  assert.ok(readFileSync(join(dir, "dist", "index.html"), "utf8").includes("/assets/"), "index.html loads the bundle");

  const server = await serveStatic(join(dir, "dist"));
  const details = "canceled by the Vite app in Chromium";
  const { tasks, job } = await prepareJob(details);
  const page = await runPage(server.url, job);
  checkFlow(page.result, "vite", dir);
  checkServed(page, server, `/assets/${wasmAsset}`, "vite");
  await checkHistory(tasks, details, "vite");
});

test("Vite dev server: the pre-bundled dependency still finds its wasm, in Chromium", { timeout: 90_000 }, async () => {
  // Not a shipped build, but the first thing a Vite user runs: dependency pre-bundling
  // moves browser.js into node_modules/.vite/deps/, where a naive
  // `new URL("./dist/swf_edge_bg.wasm", import.meta.url)` would point at nothing.
  const dir = await scratchProject("vite-dev", { from: ["vite", "browser"], type: "module" });
  const { createServer: createViteServer } = await import("vite");
  const vite = await createViteServer({
    configFile: join(dir, "vite.config.mjs"),
    server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false },
  });
  try {
    await vite.listen();
    const url = vite.resolvedUrls.local[0].replace(/\/$/, "");
    const details = "canceled by the Vite dev server app in Chromium";
    const { tasks, job } = await prepareJob(details);
    const page = await runPage(url, job);
    checkFlow(page.result, "vite-dev", dir);
    assert.ok(
      page.responses.some((r) => r.path.startsWith("/node_modules/.vite/deps/")),
      `swf-edge was pre-bundled: ${page.responses.map((r) => r.path).join(", ")}`,
    );
    checkServed(page, null, "/node_modules/swf-edge/dist/swf_edge_bg.wasm", "vite-dev");
    await checkHistory(tasks, details, "vite-dev");
  } finally {
    await vite.close();
  }
});

test("plain <script type=module>: node_modules/swf-edge/browser.js without a bundler, in Chromium", { timeout: 90_000 }, async () => {
  const dir = await scratchProject("plain", { from: ["plain", "browser"], type: "module" });
  const server = await serveStatic(dir);
  const details = "canceled by a plain module script in Chromium";
  const { tasks, job } = await prepareJob(details);
  const page = await runPage(server.url, { ...job, initFirst: true });
  assert.deepEqual(page.result.syncValidation, { threw: true, validation: true, field: "endpiont" }, "after init() the constructor throws");
  checkFlow(page.result, "plain", dir);
  checkServed(page, server, "/node_modules/swf-edge/dist/swf_edge_bg.wasm", "plain");
  assert.ok(server.log.some((e) => e.path === "/node_modules/swf-edge/browser.js"), "browser.js came from node_modules");
  await checkHistory(tasks, details, "plain");
});

// --- 6. More bundlers: webpack, esbuild, Rollup, `bun build` --------------------------------
// One scratch project (tarball installed once) feeds every bundler; all builds start together
// at the first of these tests and run in parallel, each into out/<bundler>/, then each page
// runs in the one Chromium. The commands are the README's snippets, verbatim but for paths.
// webpack bundles the default entry (it emits the .wasm asset); esbuild, Rollup and
// `bun build` do not emit `new URL("./x.wasm", import.meta.url)` assets, so their pages use
// `swf-edge/embedded` (the wasm inside the JS: nothing to fetch).

const BUNDLERS = {
  webpack: { source: "default.js", script: "classic", command: ["webpack", "./default.js", "--mode", "production", "--output-path", "out/webpack"] },
  esbuild: { source: "embedded.js", script: "module", command: ["esbuild", "embedded.js", "--bundle", "--format=esm", "--outfile=out/esbuild/main.js"] },
  rollup: { source: "embedded.js", script: "module", command: ["rollup", "embedded.js", "--plugin", "node-resolve", "--format", "es", "--file", "out/rollup/main.js"] },
  "bun build": { source: "embedded.js", script: "module", command: ["bun", "build", "./embedded.js", "--outfile", "out/bun/main.js"] },
};
const outDir = (name) => (name === "bun build" ? "bun" : name);

let bundlersProject;
const bundles = new Map();

/** Builds every bundler's page once, in parallel; resolves { dir, output } for `name`. */
function bundle(name) {
  bundlersProject ??= scratchProject("bundlers", { from: ["bundlers", "browser"], type: "module" });
  if (!bundles.size) {
    for (const [bundler, { script, command: [bin, ...args] }] of Object.entries(BUNDLERS)) {
      const job = bundlersProject.then(async (dir) => {
        const { stdout, stderr } = await run(join(ROOT, "node_modules", ".bin", bin), args, { cwd: dir });
        const out = join(dir, "out", outDir(bundler));
        const tag = script === "module" ? '<script type="module" src="./main.js"></script>' : '<script src="./main.js" defer></script>';
        writeFileSync(join(out, "index.html"), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><pre id="result"></pre>${tag}\n`);
        return { dir, out, output: `${stdout}${stderr}`.trim() };
      });
      job.catch(() => {}); // awaited (and reported) by its own test
      bundles.set(bundler, job);
    }
  }
  return bundles.get(name);
}

/** The files of a bundler's output folder, by extension. */
function outputFiles(out) {
  const files = readdirSync(out, { recursive: true }).map(String);
  return { js: files.filter((f) => f.endsWith(".js")), wasm: files.filter((f) => f.endsWith(".wasm")) };
}

test("webpack 5 (no config): the default entry's .wasm is emitted and the page cancels from Chromium", { timeout: 180_000 }, async (t) => {
  const { dir, out, output } = await bundle("webpack");
  if (output) t.diagnostic(`webpack: ${output.split("\n").slice(-3).join(" | ")}`);
  const { js, wasm } = outputFiles(out);
  assert.equal(wasm.length, 1, `one .wasm emitted: ${wasm.join(", ")}`);
  assert.equal(sha256(join(out, wasm[0])), sha256(join(dir, "node_modules", "swf-edge", "dist", "swf_edge_bg.wasm")));
  const code = js.map((f) => readFileSync(join(out, f), "utf8")).join("\n");
  assert.ok(!/readFileSync|node:fs/.test(code), "the browser entry, not the Node one");
  // sideEffects lists browser.js: its initialiser call survives tree shaking.
  assert.ok(code.includes("swf_edge_bg.wasm") || code.includes(wasm[0]), "the bundle points at the wasm asset");
  const server = await serveStatic(out);
  const details = "canceled by the webpack bundle in Chromium";
  const { tasks, job } = await prepareJob(details);
  const page = await runPage(server.url, job);
  checkFlow(page.result, "webpack", dir, { named: true });
  checkServed(page, server, `/${wasm[0]}`, "webpack");
  await checkHistory(tasks, details, "webpack");
});

for (const bundler of ["esbuild", "rollup", "bun build"]) {
  test(`${bundler} (no config): swf-edge/embedded bundles into one file that cancels from Chromium, fetching no wasm`, { timeout: 180_000 }, async (t) => {
    const { dir, out, output } = await bundle(bundler);
    if (output) t.diagnostic(`${bundler}: ${output.split("\n").slice(-3).join(" | ")}`);
    const { js, wasm } = outputFiles(out);
    assert.deepEqual(wasm, [], `${bundler} emitted no .wasm (the embedded entry needs none)`);
    assert.deepEqual(js, ["main.js"], `${bundler}: one JS file`);
    const code = readFileSync(join(out, "main.js"), "utf8");
    assert.equal(statSync(join(out, "main.js")).size > statSync(join(dir, "node_modules", "swf-edge", "dist", "swf_edge_bg.wasm")).size, true, `${bundler}: the wasm is in the bundle`);
    assert.ok(!/readFileSync|node:fs/.test(code), `${bundler}: no Node entry in the browser bundle`);
    const server = await serveStatic(out);
    const details = `canceled by the ${bundler} bundle in Chromium`;
    const { tasks, job } = await prepareJob(details);
    const page = await runPage(server.url, { ...job, syncWithoutInit: true });
    assert.deepEqual(page.result.syncValidation, { threw: true, validation: true, field: "endpiont" }, `${bundler}: ready at import (no init() needed)`);
    checkFlow(page.result, bundler, dir, { named: true });
    assert.deepEqual(page.problems, [], `${bundler}: page errors or failed requests`);
    assert.deepEqual(server.log.filter((entry) => entry.status >= 400 || entry.path.endsWith(".wasm")), [], `${bundler}: nothing missing, no wasm fetched`);
    await checkHistory(tasks, details, bundler);
  });
}

test("esbuild --platform=node: one bundled file with swf-edge/embedded runs in Node, ready at import", { timeout: 120_000 }, async () => {
  const dir = await (bundlersProject ??= scratchProject("bundlers", { from: ["bundlers", "browser"], type: "module" }));
  await run(join(ROOT, "node_modules", ".bin", "esbuild"), ["node-embedded.js", "--bundle", "--platform=node", "--format=esm", "--outfile=out/node/app.mjs"], { cwd: dir });
  // Run it somewhere the package is not installed: the bundle must stand alone.
  const alone = join(OUT, "node-bundle-alone");
  rmSync(alone, { recursive: true, force: true });
  mkdirSync(alone, { recursive: true });
  copyFileSync(join(dir, "out", "node", "app.mjs"), join(alone, "app.mjs"));
  const details = "canceled by an esbuild bundle in Node";
  const { tasks, job } = await prepareJob(details);
  const { stdout } = await run(process.execPath, ["app.mjs", JSON.stringify(job)], { cwd: alone });
  const report = lastJsonLine(stdout);
  assert.deepEqual(report.exports, declaredValues(dir), "the embedded entry exports what index.d.ts declares");
  assert.deepEqual(report.syncValidation, { threw: true, validation: true, field: "endpiont" });
  assert.deepEqual(report.canceled, { canceled: true, cancelRequested: true });
  assert.deepEqual(report.running, { canceled: false, cancelRequested: false });
  assert.deepEqual(report.again, { unknownResource: true, name: "UnknownResourceFault", statusCode: 400 });
  await checkHistory(tasks, details, "esbuild-node");
});

// --- 7. Bun and Deno (npm packages bun and deno, run from the installed tarball) ----------

const RUNTIME_BIN = { bun: join(ROOT, "node_modules", ".bin", "bun"), deno: join(ROOT, "node_modules", ".bin", "deno") };

/** A resolved entry as a path (Node, Bun and Deno return file: URLs or paths). */
const entryPath = (entry) => (String(entry).startsWith("file:") ? fileURLToPath(entry) : String(entry));

test("Bun: import and require of the installed tarball cancel a requested task (the `node` condition)", { timeout: 90_000 }, async () => {
  const esm = await scratchProject("bun-esm", { from: ["node-esm"], type: "module" });
  const cjs = await scratchProject("bun-cjs", { from: ["node-cjs"] });
  for (const [dir, file, label] of [
    [esm, "consumer.mjs", "bun-esm"],
    [cjs, "consumer.cjs", "bun-cjs"],
  ]) {
    const details = `canceled by the ${label} consumer`;
    const { tasks, job } = await prepareJob(details);
    const { stdout } = await run(RUNTIME_BIN.bun, ["run", file, JSON.stringify(job)], { cwd: dir });
    const result = lastJsonLine(stdout);
    assert.equal(entryPath(result.entry), join(dir, "node_modules", "swf-edge", "dist", "node.js"), `${label}: the \`node\` condition`);
    checkFlow(result, label, dir);
    await checkHistory(tasks, details, label);
  }
});

test("Deno: the installed tarball (node_modules, npm resolution) cancels a requested task with only net and read permissions; deno check passes the typed consumer", { timeout: 90_000 }, async () => {
  const dir = await scratchProject("deno", { from: ["node-esm", "typescript"], type: "module" });
  const env = { ...process.env, DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(OUT, "deno-cache"), NO_COLOR: "1" };
  // Deno's own TypeScript and globals (its lib has BufferSource and WebAssembly).
  await run(RUNTIME_BIN.deno, ["check", "example.ts", "errors.ts"], { cwd: dir, env });
  const details = "canceled by the Deno consumer";
  const { tasks, job } = await prepareJob(details);
  const { port } = new URL(local.url);
  const permissions = [`--allow-net=127.0.0.1:${port}`, `--allow-read=${dir}`];
  const { stdout } = await run(RUNTIME_BIN.deno, ["run", "--no-prompt", ...permissions, "consumer.mjs", JSON.stringify(job)], { cwd: dir, env });
  const result = lastJsonLine(stdout);
  assert.equal(entryPath(result.entry), join(dir, "node_modules", "swf-edge", "dist", "node.js"), "deno: the `node` condition");
  checkFlow(result, "deno", dir);
  await checkHistory(tasks, details, "deno");
});

// --- 7b. workerd (wrangler dev, the local SWF) and wrangler's deploy bundle ----------------

test("workerd: a Worker importing swf-edge and swf-edge/embedded cancels from wrangler dev; deploy --dry-run bundles one .wasm", { timeout: 180_000 }, async () => {
  const dir = await scratchProject("workerd", { from: ["workerd"], type: "module" });
  const wrangler = join(ROOT, "node_modules", ".bin", "wrangler");
  const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
  // What `wrangler deploy` would upload: the Worker, the glue and the wasm as a module;
  // swf-edge/embedded adds nothing under the `workerd` condition (no inline wasm).
  const bundled = join(OUT, "workerd-bundle");
  const deploying = run(wrangler, ["deploy", "--dry-run", "--outdir", bundled], { cwd: dir, env });
  const worker = await startWorker(dir, {
    vars: { SWF_ENDPOINT: local.url },
    secrets: { AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey },
  });
  try {
    const details = "canceled by the packaged Worker in workerd";
    const { tasks, job } = await prepareJob(details);
    const response = await fetch(worker.url, { method: "POST", body: JSON.stringify(job) });
    const text = await response.text();
    assert.equal(response.status, 200, `${text}\n${worker.output()}`);
    const result = JSON.parse(text);
    assert.equal(result.embeddedIsTheSameModule, true, "swf-edge/embedded is workerd.js under the workerd condition");
    checkFlow(result, "workerd", dir);
    await checkHistory(tasks, details, "workerd");
  } finally {
    await worker.stop();
  }
  await deploying;
  const files = readdirSync(bundled, { recursive: true }).map(String);
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one .wasm module in the deploy bundle: ${files.join(", ")}`);
  assert.equal(sha256(join(bundled, wasm[0])), sha256(join(dir, "node_modules", "swf-edge", "dist", "swf_edge_bg.wasm")));
  const code = files.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(bundled, f), "latin1")).join("\n");
  assert.ok(!code.includes("wasm_inline"), "no inline wasm in the Worker bundle");
  assert.ok(code.length < 200_000, `the Worker bundle is JS plus glue only (${code.length} bytes)`);
});

// --- 8. What users and registries lint: publint, attw, npm publish --dry-run --------------

const TOOL = (name) => join(ROOT, "node_modules", ".bin", name);

test("publint --strict on the packed tarball: all good (no error, warning or suggestion)", { timeout: 60_000 }, async () => {
  const { stdout, stderr } = await run(TOOL("publint"), ["run", tarball, "--strict", "--level", "suggestion"], { cwd: OUT });
  assert.match(stdout, /All good!/, `publint:\n${stdout}\n${stderr}`);
});

test("attw on the packed tarball: clean with the esm-only profile; the strict profile flags only CJSResolvesToESM (node16 from CJS)", { timeout: 60_000 }, async () => {
  // swf-edge is ESM only. `require("swf-edge")` works where require(esm) does (Node >=
  // 20.19, Bun: the CommonJS tests above), which attw's TypeScript does not model: the one
  // warning the README documents.
  await run(TOOL("attw"), [tarball, "--profile", "esm-only", "--format", "ascii"], { cwd: OUT });
  let report;
  try {
    await execFileAsync(TOOL("attw"), [tarball, "--format", "json"], { cwd: OUT, maxBuffer: 32 * 1024 * 1024 });
    assert.fail("attw's strict profile is expected to report CJSResolvesToESM");
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    report = JSON.parse(error.stdout);
  }
  const problems = report.analysis.problems.map(({ kind, entrypoint, resolutionKind }) => `${kind} ${entrypoint} ${resolutionKind}`).sort();
  assert.deepEqual(problems, ["CJSResolvesToESM . node16-cjs", "CJSResolvesToESM ./embedded node16-cjs", "CJSResolvesToESM ./worker node16-cjs"]);
  const entrypoints = Object.keys(report.analysis.entrypoints).sort();
  assert.deepEqual(entrypoints, [".", "./embedded", "./package.json", "./worker"], "attw saw every subpath");
});

test("npm publish --dry-run of the packed tarball: clean; the tarball holds the npm page's files and nothing stray", { timeout: 60_000 }, async () => {
  const { stdout, stderr } = await run("npm", ["publish", "--dry-run", "--json", tarball], { cwd: OUT });
  const warnings = stderr.split("\n").filter((line) => /npm (warn|error)/i.test(line) && !/requires you to be logged in/.test(line));
  assert.deepEqual(warnings, [], `npm publish --dry-run warned:\n${stderr}`);
  const { id, files } = JSON.parse(stdout.slice(stdout.indexOf("{")))["swf-edge"];
  assert.equal(id, `swf-edge@${VERSION}`);
  const paths = files.map((f) => f.path).sort();
  for (const file of ["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE", "embedded.js", "embedded.d.ts", "dist/wasm_inline.js", "worker.d.ts", "worker/index.js"]) {
    assert.ok(paths.includes(file), `${file} is published: ${paths.join(", ")}`);
  }
  for (const license of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    const shipped = join(OUT, "published", license);
    mkdirSync(join(OUT, "published"), { recursive: true });
    await run("tar", ["-xzf", tarball, "-C", join(OUT, "published"), "--strip-components=1", `package/${license}`], { cwd: OUT });
    assert.equal(readFileSync(shipped, "utf8"), readFileSync(join(ROOT, license), "utf8"), `${license} is the repository's`);
  }
  assert.deepEqual(paths.filter((p) => /\.(tgz|map|rs|ts)$/.test(p) && !p.endsWith(".d.ts")), [], "no stray files");
  const manifest = JSON.parse(readFileSync(join(ROOT, "pkg", "package.json"), "utf8"));
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  for (const field of ["repository", "homepage", "bugs"]) assert.ok(manifest[field], `package.json has ${field}`);
  assert.equal(manifest.browser, undefined, "no `browser` field (publint flags a string; the `browser` condition decides)");
  // The entries whose import initialises the wasm must not be dropped (webpack dropped
  // browser.js's initialiser with `"sideEffects": false`); each listed file exists.
  for (const entry of manifest.sideEffects) assert.ok(paths.includes(entry.replace(/^\.\//, "")), `${entry} is shipped`);
  for (const entry of ["./browser.js", "./embedded.js", "./workerd.js", "./dist/node.js"]) assert.ok(manifest.sideEffects.includes(entry), entry);
});
