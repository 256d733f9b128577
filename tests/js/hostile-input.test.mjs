// Hostile inputs and options against the built package (Node entry), with `fetch`
// intercepted (nothing leaves the process):
//   - a polluted Object.prototype / Array.prototype (every member name of every exposed
//     operation in botocore's model, every option name) changes nothing that is sent or
//     where it goes;
//   - forged AbortSignals and revoked proxies are ValidationErrors; every call settles;
//     nothing is thrown outside the returned promise (watchCancellation, synchronous,
//     throws the ValidationError);
//   - a 100 MB string input is refused before it is copied into wasm memory.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { SwfClient, SwfError, ValidationError } from "../../pkg/node.js";
import { initSync } from "../../pkg/dist/swf_edge.js";

const KEYS = { accessKeyId: "AKIDHOSTILE", secretAccessKey: "hostile-secret" };

// ------------------------------------------------------------------ fetch, intercepted

const sent = [];
let realFetch;
before(() => {
  realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const headers = new Headers(init.headers);
    sent.push({
      url: String(url),
      target: headers.get("x-amz-target"),
      sessionToken: headers.get("x-amz-security-token"),
      body: init.body,
    });
    const target = headers.get("x-amz-target") ?? "";
    const body = target.endsWith("RecordActivityTaskHeartbeat") ? { cancelRequested: true } : {};
    return new Response(JSON.stringify(body), { status: 200, headers: { "x-amzn-requestid": "hostile" } });
  };
});
after(() => {
  globalThis.fetch = realFetch;
});

let unexpected = [];
const onUnexpected = (error) => unexpected.push(error);
before(() => {
  process.on("uncaughtException", onUnexpected);
  process.on("unhandledRejection", onUnexpected);
});
after(() => {
  process.off("uncaughtException", onUnexpected);
  process.off("unhandledRejection", onUnexpected);
  assert.deepEqual(unexpected, [], "nothing escapes the returned promises");
});

/** Settles `promise` within 5 s: `{ value }` or `{ error }`. */
async function settle(promise) {
  let timer;
  const hang = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("the call never settled")), 5000);
  });
  try {
    return { value: await Promise.race([promise, hang]) };
  } catch (error) {
    if (error?.message === "the call never settled") throw error;
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

// ------------------------------------------------------------------ the model's names

function botocoreDir() {
  if (process.env.BOTOCORE_DIR) return process.env.BOTOCORE_DIR;
  const python = new URL("../../.venv/bin/python3", import.meta.url).pathname;
  return execFileSync(python, ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], { encoding: "utf8" }).trim();
}
const model = JSON.parse(gunzipSync(readFileSync(path.join(botocoreDir(), "data/swf/2012-01-25/service-2.json.gz"))).toString("utf8"));
const lowerCamel = (name) => name[0].toLowerCase() + name.slice(1);
const exposed = Object.keys(model.operations).filter((op) => typeof SwfClient.prototype[lowerCamel(op)] === "function");

/** Every member name of the input shapes of `ops`, nested ones included. */
function memberNames(ops) {
  const names = new Set();
  const walk = (shapeName, seen) => {
    const shape = model.shapes[shapeName];
    if (seen.has(shapeName)) return;
    seen.add(shapeName);
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      names.add(name);
      walk(member.shape, seen);
    }
    if (shape.member) walk(shape.member.shape, seen);
  };
  for (const op of ops) walk(model.operations[op].input.shape, new Set());
  return names;
}

/** A minimal valid input of `op` (required members only; ListClosed needs a time filter). */
function minimal(shapeName) {
  const shape = model.shapes[shapeName];
  if (shape.type === "structure") return Object.fromEntries((shape.required ?? []).map((m) => [m, minimal(shape.members[m].shape)]));
  if (shape.type === "string") return shape.enum ? shape.enum[0] : "s".repeat(Math.max(shape.min ?? 0, 1));
  if (shape.type === "timestamp") return new Date(1_700_000_000_000);
  if (shape.type === "boolean") return false;
  if (shape.type === "list") return [];
  return shape.min ?? 0;
}
const inputOf = (op) => ({
  ...minimal(model.operations[op].input.shape),
  ...(op === "ListClosedWorkflowExecutions" ? { startTimeFilter: { oldestDate: new Date(1_700_000_000_000) } } : {}),
});

const OPTION_VALUES = {
  region: "eu-west-1",
  endpoint: "https://polluted.example",
  credentials: { accessKeyId: "AKIDPOLLUTED", secretAccessKey: "polluted" },
  accessKeyId: "AKIDPOLLUTED",
  secretAccessKey: "polluted-secret",
  sessionToken: "polluted-session-token",
  expiration: 0,
  useFipsEndpoint: true,
  useDualstackEndpoint: true,
  allowInsecureEndpoint: true,
  maxAttempts: 7,
  timeoutMs: 1,
  deadlineMs: 1,
  signal: AbortSignal.abort(),
  concurrency: 1,
  onlyIfRequested: false,
  intervalMs: 10,
  heartbeatDetails: "polluted-heartbeat",
  cancelDetails: "polluted-cancel",
  input: "polluted-input",
  taskList: { name: "polluted-list" },
  reverseOrder: true,
  maximumPageSize: 7,
  registrationStatus: "DEPRECATED",
};

/** What to pollute with: every model member name and every option name. */
function pollution() {
  const values = { ...OPTION_VALUES };
  for (const name of memberNames(exposed)) values[name] ??= `polluted-${name}`;
  return values;
}

/** Runs `work` with Object.prototype (and Array.prototype[0..2]) polluted; always restores. */
async function polluted(work) {
  const values = pollution();
  const added = [];
  try {
    for (const [name, value] of Object.entries(values)) {
      if (Object.hasOwn(Object.prototype, name)) continue;
      Object.defineProperty(Object.prototype, name, { value, configurable: true, writable: true, enumerable: false });
      added.push([Object.prototype, name]);
    }
    for (const index of ["0", "1", "2"]) {
      Object.defineProperty(Array.prototype, index, { value: "polluted-element", configurable: true, writable: true, enumerable: false });
      added.push([Array.prototype, index]);
    }
    return await work();
  } finally {
    for (const [target, name] of added) delete target[name];
  }
}

/** Every call the package makes for a fixed scenario: each exposed action, the helpers. */
async function scenario() {
  const start = sent.length;
  const outcomes = [];
  const record = async (what, promise) => {
    const { value, error } = await settle(promise);
    outcomes.push({ what, value: JSON.stringify(value), error: error && `${error.name}: ${error.message} (${error.field})` });
  };
  const client = new SwfClient({ region: "us-east-1", credentials: { ...KEYS } });
  outcomes.push({ what: "endpoint", value: client.endpoint, region: client.region });
  for (const op of exposed) await record(op, client[lowerCamel(op)](inputOf(op), {}));
  await record("cancelIfRequested", client.cancelIfRequested({ taskToken: "t1" }));
  const sparse = [];
  sparse[3] = "t3";
  await record("cancelMany", client.cancelMany(["t0", { taskToken: "t1" }, , sparse[3]], {}));
  await record("runActivity", client.runActivity({ taskToken: "t2" }, async () => "done", {}));
  const watch = client.watchCancellation("t4", {});
  await new Promise((resolve) => watch.signal.addEventListener("abort", resolve, { __proto__: null, once: true }));
  outcomes.push({ what: "watch", reason: watch.signal.reason?.name });
  const provided = new SwfClient({ region: "us-east-1", credentials: async () => ({ ...KEYS }) });
  await record("provider", provided.recordActivityTaskHeartbeat({ taskToken: "t5" }));
  return { outcomes, requests: sent.slice(start) };
}

test("a polluted Object.prototype and Array.prototype change nothing that is sent or where", async () => {
  const clean = await scenario();
  const dirty = await polluted(scenario);
  assert.ok(clean.requests.length >= exposed.length + 5, `${clean.requests.length} requests`);
  assert.deepEqual(dirty.outcomes, clean.outcomes);
  assert.deepEqual(dirty.requests, clean.requests);
  for (const request of dirty.requests) {
    assert.equal(request.url, "https://swf.us-east-1.amazonaws.com/");
    assert.equal(request.sessionToken, null);
    assert.doesNotMatch(request.body, /polluted/);
  }
  console.log(`pollution: ${Object.keys(pollution()).length} names on Object.prototype, ${dirty.requests.length} requests compared`);
});

test("a polluted prototype does not redirect a new client or set its options", async () => {
  await polluted(async () => {
    const client = new SwfClient({ region: "us-east-1", credentials: KEYS });
    assert.equal(client.endpoint, "https://swf.us-east-1.amazonaws.com/");
    assert.equal(client.region, "us-east-1");
  });
});

test("a polluted prototype does not change the errors' fields", async () => {
  const fields = { statusCode: 418, requestId: "polluted", source: "service", code: "Polluted", retryable: true, attempts: 99, possiblyAlreadyClosed: true, field: "polluted", cause: "polluted" };
  const client = new SwfClient({ region: "us-east-1", credentials: KEYS });
  const added = [];
  let error;
  let made;
  try {
    for (const [name, value] of Object.entries(fields)) {
      if (Object.hasOwn(Object.prototype, name)) continue;
      Object.defineProperty(Object.prototype, name, { value, configurable: true, writable: true });
      added.push(name);
    }
    ({ error } = await settle(client.respondActivityTaskCanceled({ details: "no token" })));
    made = new ValidationError("made by hand", {});
  } finally {
    for (const name of added) delete Object.prototype[name];
  }
  for (const e of [error, made]) {
    assert.ok(e instanceof ValidationError);
    assert.equal(Object.hasOwn(e, "cause"), false);
    assert.deepEqual(
      { statusCode: e.statusCode, requestId: e.requestId, source: e.source, code: Object.hasOwn(e, "code"), retryable: e.retryable, possiblyAlreadyClosed: e.possiblyAlreadyClosed },
      { statusCode: undefined, requestId: undefined, source: "client", code: false, retryable: false, possiblyAlreadyClosed: false },
    );
  }
  assert.equal(error.field, "taskToken");
  assert.equal(error.attempts, 0);
  assert.equal(made.field, undefined);
});

// ------------------------------------------------------------------ forged and revoked values

/** [what, value, refused]: refused unless `aborted` reads as a boolean (then it must still settle, typed). */
function forgedSignals() {
  const { proxy, revoke } = Proxy.revocable(new AbortController().signal, {});
  revoke();
  return [
    ["Object.create(AbortSignal.prototype)", Object.create(AbortSignal.prototype), true],
    ["a revoked Proxy of a signal", proxy, true],
    ["a Proxy whose get trap throws", new Proxy(new AbortController().signal, { get: () => { throw new Error("trap"); } }), true],
    ["a Proxy of a real signal (works in Node)", new Proxy(new AbortController().signal, {}), false],
    ["a forged signal with an own aborted: false", Object.create(AbortSignal.prototype, { aborted: { value: false } }), true],
  ];
}

function revoked() {
  const { proxy, revoke } = Proxy.revocable({ taskToken: "t" }, {});
  revoke();
  return proxy;
}

test("a forged AbortSignal is a ValidationError in every method; every call settles", async () => {
  const client = new SwfClient({ region: "us-east-1", credentials: KEYS });
  const start = sent.length;
  for (const [what, signal, refused] of forgedSignals()) {
    for (const op of exposed) {
      const { error } = await settle(client[lowerCamel(op)](inputOf(op), { signal }));
      if (!refused) {
        // aborted reads as a boolean: accepted as a signal; whatever then fails must be typed.
        assert.ok(error === undefined || error instanceof SwfError, `${op} with ${what}: ${error}`);
        continue;
      }
      assert.ok(error instanceof ValidationError, `${op} with ${what}: ${error?.name} ${error?.message}`);
      assert.equal(error.field, "signal");
    }
    const many = await settle(client.cancelMany(["t"], { signal }));
    const ifRequested = await settle(client.cancelIfRequested({ taskToken: "t" }, { signal }));
    if (refused) {
      assert.ok(many.error instanceof ValidationError, `cancelMany with ${what}: ${many.error}`);
      assert.ok(ifRequested.error instanceof ValidationError, `cancelIfRequested with ${what}: ${ifRequested.error}`);
      assert.throws(() => client.watchCancellation("t", { signal }), ValidationError, `watchCancellation with ${what}`);
    }
    else {
      assert.ok(many.error === undefined || many.error instanceof SwfError, `cancelMany with ${what}: ${many.error}`);
      assert.ok(ifRequested.error === undefined || ifRequested.error instanceof SwfError, `cancelIfRequested with ${what}: ${ifRequested.error}`);
    }
  }
});

test("a forged signal sends nothing", async () => {
  const client = new SwfClient({ region: "us-east-1", credentials: KEYS });
  const start = sent.length;
  await settle(client.respondActivityTaskCanceled({ taskToken: "t" }, { signal: Object.create(AbortSignal.prototype) }));
  await settle(client.cancelMany(["t"], { signal: Object.create(AbortSignal.prototype) }));
  assert.equal(sent.length, start);
});

test("revoked proxies as inputs, nested members, options and client options are ValidationErrors", async () => {
  const client = new SwfClient({ region: "us-east-1", credentials: KEYS });
  const start = sent.length;
  for (const op of exposed) {
    const { error } = await settle(client[lowerCamel(op)](revoked()));
    assert.ok(error instanceof ValidationError, `${op}(revoked): ${error?.name} ${error?.message}`);
    const options = await settle(client[lowerCamel(op)](inputOf(op), revoked()));
    assert.ok(options.error instanceof ValidationError, `${op}(input, revoked): ${options.error?.name} ${options.error?.message}`);
    const input = inputOf(op);
    for (const [name, value] of Object.entries(input)) {
      if (value === null || typeof value !== "object" || value instanceof Date) continue;
      const nested = await settle(client[lowerCamel(op)]({ ...input, [name]: revoked() }));
      assert.ok(nested.error instanceof ValidationError, `${op} ${name}: revoked: ${nested.error?.name} ${nested.error?.message}`);
    }
  }
  for (const [what, call] of [
    ["cancelIfRequested", () => client.cancelIfRequested(revoked())],
    ["cancelMany tasks", () => client.cancelMany(revoked())],
    ["cancelMany item", () => client.cancelMany([revoked()]).then((r) => { if (r[0].status === "error") throw r[0].error; })],
    ["cancelMany options", () => client.cancelMany(["t"], revoked())],
    ["runActivity task", () => client.runActivity(revoked(), async () => 1)],
    ["runActivity options", () => client.runActivity({ taskToken: "t" }, async () => 1, revoked())],
  ]) {
    const { error } = await settle(call());
    assert.ok(error instanceof ValidationError, `${what}: ${error?.name} ${error?.message}`);
  }
  assert.throws(() => client.watchCancellation("t", revoked()), ValidationError);
  for (const options of [revoked(), { region: "us-east-1", credentials: revoked() }]) {
    assert.throws(() => new SwfClient(options), ValidationError);
  }
  assert.equal(sent.length, start, "nothing was sent");
});

// ------------------------------------------------------------------ oversize strings

test("a 100 MB taskToken is refused before it is copied into wasm memory", async () => {
  const { memory } = initSync({ module: new Uint8Array() }); // the instance already loaded: returns its exports
  const client = new SwfClient({ region: "us-east-1", credentials: KEYS });
  const huge = "x".repeat(100 * 1024 * 1024);
  const hugeEmoji = "😀".repeat(50 * 1024 * 1024);
  await settle(client.respondActivityTaskCanceled({ taskToken: "t" })); // warm up
  const before = memory.buffer.byteLength;
  const start = sent.length;
  for (const op of exposed) {
    const input = inputOf(op);
    for (const name of Object.keys(input).filter((k) => typeof input[k] === "string")) {
      for (const value of [huge, hugeEmoji]) {
        const { error } = await settle(client[lowerCamel(op)]({ ...input, [name]: value }));
        assert.ok(error instanceof ValidationError, `${op} ${name}: ${error?.name}`);
        assert.equal(error.field, name);
      }
    }
  }
  const { error } = await settle(client.respondActivityTaskCanceled({ taskToken: "t", details: huge }));
  assert.ok(error instanceof ValidationError);
  const keyed = await settle(client.respondActivityTaskCanceled({ taskToken: "t", [huge]: 1 }));
  assert.ok(keyed.error instanceof ValidationError);
  assert.ok(keyed.error.message.length < 1000, "the key is not echoed");
  assert.equal(sent.length, start);
  const afterBytes = memory.buffer.byteLength;
  console.log(`wasm memory: ${before} B before, ${afterBytes} B after 100 MB string inputs`);
  assert.equal(afterBytes, before, "wasm memory did not grow");
});

test("strings at twice the largest SWF limit are still copied and checked exactly", async () => {
  const client = new SwfClient({ region: "us-east-1", credentials: KEYS });
  // 32768 astral characters = 65536 UTF-16 units: within the limit, accepted.
  const ok = await settle(client.respondActivityTaskCanceled({ taskToken: "t", details: "😀".repeat(32768) }));
  assert.equal(ok.error, undefined);
  const over = await settle(client.respondActivityTaskCanceled({ taskToken: "t", details: "😀".repeat(32768) + "a" }));
  assert.ok(over.error instanceof ValidationError);
  assert.equal(over.error.field, "details");
});
