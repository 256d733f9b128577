// Shared pieces of the durable-worker tests: the example Worker bundled for Miniflare (the
// package's own files, workerd entry), Miniflare with persisted SQLite Durable Objects (so a
// dispose + new Miniflare is an object reset), a loopback proxy in front of the local SWF
// that counts calls in flight and can inject faults, and batch SWF helpers in Python.
import { build } from "esbuild";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, copyFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../support/swf-local.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const OUT = join(ROOT, "tests", "out", "durable");
export const DOMAIN = "swf-edge-local";
export const DASHBOARD_TOKEN = "dashboard-token-for-tests-0123456789";
export const SECRET = "local-secret";

// This process's scratch space (test files run in parallel), removed when it exits.
const SCRATCH = join(OUT, String(process.pid));
process.once("exit", () => rmSync(SCRATCH, { recursive: true, force: true }));

let bundled;
/** Bundles examples/durable-worker for workerd once: `{ dir, script }` (the wasm beside it). */
export async function bundleWorker() {
  bundled ??= (async () => {
    const dir = join(SCRATCH, "bundle");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await build({
      entryPoints: [join(ROOT, "examples/durable-worker/src/index.js")],
      bundle: true,
      format: "esm",
      platform: "neutral",
      outfile: join(dir, "worker.js"),
      logLevel: "silent",
      plugins: [
        {
          name: "swf-edge-from-pkg",
          setup(b) {
            // The package as installed: "swf-edge" (workerd condition) and "swf-edge/worker".
            b.onResolve({ filter: /^swf-edge$/ }, () => ({ path: join(ROOT, "pkg/workerd.js") }));
            b.onResolve({ filter: /^swf-edge\/worker$/ }, () => ({ path: join(ROOT, "pkg/worker/index.js") }));
            b.onResolve({ filter: /\.wasm$/ }, () => ({ path: "./swf_edge_bg.wasm", external: true }));
          },
        },
      ],
    });
    copyFileSync(join(ROOT, "pkg/dist/swf_edge_bg.wasm"), join(dir, "swf_edge_bg.wasm"));
    return { dir, script: readFileSync(join(dir, "worker.js"), "utf8") };
  })();
  return bundled;
}

/**
 * Starts the example Worker in Miniflare with its objects persisted in `persist` (a new
 * Miniflare on the same dir = the objects reset, state kept). `vars` override the defaults.
 * Returns `{ mf, post(path, body, {token, headers}), scheduled(), dispose() }`.
 */
export async function startWorker({ persist, endpoint, taskList, shards = 1, options = {}, vars = {} }) {
  const { dir } = await bundleWorker();
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: join(dir, "worker.js") },
      { type: "CompiledWasm", path: join(dir, "swf_edge_bg.wasm") },
    ],
    modulesRoot: dir,
    compatibilityDate: "2026-04-01",
    durableObjects: { ACTIVITY_WORKER: { className: "ActivityWorker", useSQLite: true } },
    durableObjectsPersist: persist,
    bindings: {
      SWF_DOMAIN: DOMAIN,
      SWF_TASK_LIST: taskList,
      SWF_SHARDS: String(shards),
      SWF_ENDPOINT: endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SECRET,
      DASHBOARD_TOKEN,
      ALLOWED_ORIGINS: "http://dashboard.test",
      SWF_WORKER_OPTIONS: JSON.stringify(options),
      ...vars,
    },
  });
  await mf.ready;
  const post = async (path, body = {}, { token = DASHBOARD_TOKEN, headers = {}, method = "POST", raw } = {}) => {
    const response = await mf.dispatchFetch(`http://worker.test${path}`, {
      method,
      headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), "content-type": "application/json", ...headers },
      body: method === "GET" || method === "OPTIONS" ? undefined : (raw ?? JSON.stringify(body)),
    });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, text, json };
  };
  const scheduled = async () => (await mf.getWorker()).scheduled({ cron: "* * * * *" });
  return { mf, post, scheduled, dispose: () => mf.dispose() };
}

/**
 * A loopback proxy in front of `target` (the local SWF). Counts calls in flight (now and at
 * most), calls by action, their total and slowest time by action (`msByAction`, `slowest`),
 * heartbeat send times by task token; `fault(action, body)` may answer instead of SWF:
 * `{ status, body, headers? }`, `"reset"` (destroy the socket) or `null` (forward);
 * `hold(action, body)` may delay forwarding (ms). `reset()` clears the counts.
 */
export async function startProxy(target) {
  const upstream = new URL(target);
  const state = {
    inFlight: 0,
    maxInFlight: 0,
    byAction: {},
    heartbeats: new Map(),
    slowest: {},
    msByAction: {},
    fault: () => null,
    hold: () => 0,
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const action = String(req.headers["x-amz-target"] ?? "").replace(/^SimpleWorkflowService\./, "");
      state.byAction[action] = (state.byAction[action] ?? 0) + 1;
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      let ended = false;
      const began = Date.now();
      const end = () => {
        if (!ended) {
          ended = true;
          state.inFlight -= 1;
          state.slowest[action] = Math.max(state.slowest[action] ?? 0, Date.now() - began);
          state.msByAction[action] = (state.msByAction[action] ?? 0) + (Date.now() - began);
        }
      };
      res.on("close", end);
      let parsed = {};
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {}
      if (action === "RecordActivityTaskHeartbeat" && typeof parsed.taskToken === "string") {
        if (!state.heartbeats.has(parsed.taskToken)) state.heartbeats.set(parsed.taskToken, []);
        state.heartbeats.get(parsed.taskToken).push({ at: Date.now(), details: parsed.details });
      }
      const fault = state.fault(action, parsed);
      if (fault === "reset") return req.socket.destroy();
      if (fault) {
        res.writeHead(fault.status, { "content-type": "application/x-amz-json-1.0", ...(fault.headers ?? {}) });
        return res.end(fault.body);
      }
      const ms = state.hold(action, parsed);
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${server.address().port}`;
  state.reset = () => {
    state.byAction = {};
    state.msByAction = {};
    state.maxInFlight = state.inFlight;
  };
  state.stop = () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)));
  return state;
}

const BATCH = fileURLToPath(new URL("./swf_batch.py", import.meta.url));
/** Runs tests/durable/swf_batch.py with `command` (JSON on stdin); resolves its JSON answer. */
export function swfBatch(command) {
  return new Promise((resolve, reject) => {
    const child = execFile("python3", [BATCH], { maxBuffer: 64 * 1024 * 1024, cwd: ROOT }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`swf_batch ${command.op} failed: ${stderr}`));
      resolve(JSON.parse(stdout));
    });
    child.stdin.end(JSON.stringify(command));
  });
}

/** A Node SwfClient for the local SWF (the tests' own view of SWF's histories). */
export async function localClient(url) {
  const { SwfClient } = await import("../../pkg/node.js");
  return new SwfClient({ region: LOCAL_REGION, endpoint: url, credentials: LOCAL_CREDENTIALS });
}

const CLOSING = {
  ActivityTaskCompleted: "activityTaskCompletedEventAttributes",
  ActivityTaskFailed: "activityTaskFailedEventAttributes",
  ActivityTaskCanceled: "activityTaskCanceledEventAttributes",
  ActivityTaskTimedOut: "activityTaskTimedOutEventAttributes",
};

/**
 * Each execution's activities as its history tells them: `{ ...execution, activities:
 * { activityId: [{ type, reason?, timeoutType? }] }, started: { activityId: n },
 * cancelRequestedAt: { activityId: epoch ms } }` (closing events in order).
 */
export async function closings(swf, executions, concurrency = 8) {
  const out = new Array(executions.length);
  let next = 0;
  const one = async (execution) => {
    const events = [];
    let nextPageToken;
    do {
      const page = await swf.getWorkflowExecutionHistory({ domain: DOMAIN, execution, maximumPageSize: 1000, ...(nextPageToken ? { nextPageToken } : {}) });
      events.push(...page.events);
      nextPageToken = page.nextPageToken;
    } while (nextPageToken);
    const byId = new Map(events.map((e) => [e.eventId, e]));
    const idOf = (scheduledEventId) => byId.get(scheduledEventId)?.activityTaskScheduledEventAttributes?.activityId;
    const activities = {};
    const started = {};
    const cancelRequestedAt = {};
    const times = {};
    for (const e of events) {
      if (["WorkflowExecutionStarted", "ActivityTaskScheduled", "ActivityTaskStarted"].includes(e.eventType)) times[e.eventType] ??= e.eventTimestamp.getTime();
      if (CLOSING[e.eventType]) times.closed ??= e.eventTimestamp.getTime();
      if (e.eventType === "ActivityTaskScheduled") activities[e.activityTaskScheduledEventAttributes.activityId] ??= [];
      else if (e.eventType === "ActivityTaskStarted") {
        const id = idOf(e.activityTaskStartedEventAttributes.scheduledEventId);
        started[id] = (started[id] ?? 0) + 1;
      } else if (e.eventType === "ActivityTaskCancelRequested") {
        cancelRequestedAt[e.activityTaskCancelRequestedEventAttributes.activityId] ??= e.eventTimestamp.getTime();
      } else if (CLOSING[e.eventType]) {
        const attrs = e[CLOSING[e.eventType]];
        const entry = { type: e.eventType };
        if (attrs.reason !== undefined) entry.reason = attrs.reason;
        if (attrs.timeoutType !== undefined) entry.timeoutType = attrs.timeoutType;
        (activities[idOf(attrs.scheduledEventId)] ??= []).push(entry);
      }
    }
    return { ...execution, activities, started, cancelRequestedAt, times };
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, executions.length) }, async () => {
      while (next < executions.length) {
        const i = next++;
        out[i] = await one(executions[i]);
      }
    }),
  );
  return out;
}

/**
 * Resolves the executions' closings once every scheduled activity has at least one closing
 * event: only the executions still open are read again each round (a history read is the
 * local SWF's costliest call), then all of them once more at the end.
 */
export async function allClosed(swf, executions, { timeoutMs = 60_000, everyMs = 500 } = {}) {
  const done = (e) => Object.keys(e.activities).length > 0 && Object.values(e.activities).every((c) => c.length >= 1);
  let pending = executions;
  await until(
    async () => {
      const found = await closings(swf, pending);
      pending = pending.filter((_, i) => !done(found[i]));
      return pending.length === 0;
    },
    { timeoutMs, everyMs, what: "every activity to close" },
  );
  return closings(swf, executions);
}

/** One activity of the decider's plan: `type` "echo" | "sleep", on `taskList`. */
export function planItem(activityId, type, input, taskList, { heartbeatTimeout = "NONE", startToCloseTimeout = "NONE" } = {}) {
  return {
    activityId,
    activityType: { name: type, version: "1" },
    taskList: { name: taskList },
    input,
    heartbeatTimeout,
    startToCloseTimeout,
    scheduleToStartTimeout: "NONE",
    scheduleToCloseTimeout: "NONE",
  };
}

/** Resolves once `check()` returns a truthy value (polled every `everyMs`), or rejects after `timeoutMs`. */
export async function until(check, { timeoutMs = 30_000, everyMs = 200, what = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A fresh directory for one Miniflare's persisted state. */
export function persistDir(name) {
  const dir = join(SCRATCH, "state", `${name}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}
