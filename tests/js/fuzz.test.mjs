// Fuzzing the built package (Node entry) with generated JavaScript values of every shape:
// every exported function and constructor, every method's input and its second argument.
// The contract checked for every single call: it returns / resolves normally, or it
// throws / rejects with an instance of the exported SwfError (string `name` and
// `message`, boolean `retryable`): never a TypeError, RangeError, WebAssembly trap or
// plain object, never an uncaught exception or unhandled rejection, never a hang.
//
// Valid-looking inputs really go through the whole pipeline (sign, fetch, parse) against
// the loopback fake SWF. Reproducible: the generator is seeded (FUZZ_SEED=<uint32>
// chooses another seed; FUZZ_SEED=random a fresh one; the seed is printed).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import * as swfEdge from "../../pkg/node.js";
import { startFakeSwf, FAKE_ACCESS_KEY, FAKE_SECRET, FAKE_REGION } from "../fake_swf/client.mjs";

const { SwfClient, SwfError, init } = swfEdge;

const SEED =
  process.env.FUZZ_SEED === "random"
    ? (Math.random() * 2 ** 32) >>> 0
    : process.env.FUZZ_SEED
      ? Number(process.env.FUZZ_SEED) >>> 0
      : 0x5eed2026;
console.log(`fuzz seed: ${SEED} (reproduce with FUZZ_SEED=${SEED})`);

const CALL_HANG_MS = 10_000; // a call still pending after this long counts as hung
const CONCURRENCY = 8;
const KEYS = { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: FAKE_SECRET };

let fake;
let fakeEndpoint; // what client.endpoint reports for the fake
let reentry; // a valid client that hostile getters call back into
before(async () => {
  fake = await startFakeSwf();
  fakeEndpoint = `${fake.url}/`;
  reentry = new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: KEYS, maxAttempts: 1, timeoutMs: 2000 });
});
after(() => fake?.stop());

/** The fake, after checking that it is still serving (a dead fake would fail every call alike). */
function fakeAlive() {
  return {
    ...fake,
    requests: () => fake.requests().catch((e) => assert.fail(`the fake SWF no longer answers its control API (${e.cause?.code ?? e.message})`)),
  };
}

// ------------------------------------------------------------------ the generator

/** mulberry32: a small seeded PRNG with a uniform float in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What hostile objects throw: a user's own error, recognisable as such. */
class HostileError extends Error {}
const hostile = (where) => {
  throw new HostileError(`hostile ${where}`);
};

/** A generated value `v` with a short description `d` (printed when a call misbehaves). */
const G = (v, d) => ({ v, d });

function makeGen(seed) {
  const random = prng(seed);
  const int = (n) => Math.floor(random() * n);
  const chance = (p) => random() < p;
  const pick = (items) => items[int(items.length)];

  const HUGE = "x".repeat(100_000);
  const HUGE_EMOJI = "😀".repeat(50_000);
  const deepObject = (levels, leaf) => {
    let v = leaf;
    for (let i = 0; i < levels; i++) v = { a: v };
    return v;
  };
  const deepArray = (levels) => {
    let v = [];
    for (let i = 0; i < levels; i++) v = [v];
    return v;
  };
  const DEEP_1000 = deepObject(1000, "t");
  const DEEP_ARRAY_1000 = deepArray(1000);
  const WIDE = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));

  const CHAR_POOL = ["a", "Z", "0", " ", "\0", "\x01", "\x1f", "\x7f", "\n", "\t", '"', "\\", "/", "é", "中", "😀", "\u202e", "\u200f", "\ufeff", "\u2028", "\ud800", "\udc00", "\udbff\udfff", "\u0301", "ß", "#", ":", "%", "<", "&"];
  const randomChars = (n) => Array.from({ length: n }, () => pick(CHAR_POOL)).join("");
  const repeatTo = (unit, codePoints) => unit.repeat(codePoints);

  function string() {
    switch (int(22)) {
      case 0: return G("", "''");
      case 1: return G("t", "'t'");
      case 2: return G(`tok-${int(1e6)}`, "'tok-N'");
      case 3: return G(HUGE, "'x'*100000");
      case 4: return G(HUGE_EMOJI, "'😀'*50000");
      case 5: return G("\ud800", "lone high surrogate");
      case 6: return G("a\udc00b", "lone low surrogate");
      case 7: return G("\0", "NUL");
      case 8: return G("\x01\x02\x1b[31m\x7f", "control chars");
      case 9: return G("😀👩‍👩‍👧‍👦🏳️‍🌈", "emoji");
      case 10: return G("\u202eשלום عربى\u200f", "RTL");
      case 11: return G(pick(["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"]), "magic name");
      case 12: {
        const [unit, limit] = pick([["t", 1024], ["😀", 1024], ["é", 2048], ["😀", 2048], ["d", 256], ["😀", 256], ["x", 32768], ["😀", 32768]]);
        const n = limit + pick([-1, 0, 1]);
        return G(repeatTo(unit, n), `'${unit}'*${n}`);
      }
      case 13: return G(randomChars(int(40)), "random chars");
      case 14: return G(String(int(1e9)), "digits");
      case 15: return G(pick(["undefined", "null", "true", "NaN", "{}", "[]", '{"taskToken":"t"}']), "JSON-ish text");
      case 16: return G("\u2028\u2029", "line separators");
      case 17: return G(" \t\n ", "whitespace");
      case 18: return G("a".repeat(int(3000)), "'a'*N");
      case 19: return G("AKIA" + "A".repeat(16), "access-key-like");
      default: return G(`ok-${int(1000)}`, "'ok-N'");
    }
  }

  function number() {
    const v = pick([0, -0, NaN, Infinity, -Infinity, 1e308, -1, 0.5, 2 ** 53 + 1, Number.MIN_VALUE, 2 ** 32, 2 ** 31, 1, 3, 10, 11, 1e-300, 100, 65, -(2 ** 31)]);
    return G(v, `number ${Object.is(v, -0) ? "-0" : v}`);
  }

  function signal() {
    switch (int(11)) {
      case 7: return G(Object.create(AbortSignal.prototype), "forged AbortSignal (Object.create)");
      case 8: return G(Object.create(AbortSignal.prototype, { aborted: { value: false } }), "forged AbortSignal with an own aborted: false");
      case 9: {
        const { proxy, revoke } = Proxy.revocable(new AbortController().signal, {});
        revoke();
        return G(proxy, "revoked proxy of an AbortSignal");
      }
      case 10: return G(new Proxy(new AbortController().signal, {}), "proxy of an AbortSignal");
      case 0: return G(new AbortController().signal, "AbortSignal");
      case 1: return G(AbortSignal.abort(), "aborted AbortSignal");
      case 2: return G(AbortSignal.abort(new HostileError("reason")), "aborted AbortSignal (Error reason)");
      case 3: return G(AbortSignal.timeout(1 + int(20)), "AbortSignal.timeout");
      case 4: return G({ aborted: true, addEventListener() {}, removeEventListener() {} }, "signal look-alike");
      case 5: return G(new EventTarget(), "EventTarget");
      default: return G(AbortSignal.abort(Symbol("why")), "aborted AbortSignal (symbol reason)");
    }
  }

  /** A hostile or exotic object. `inner` gives values for its properties. */
  function exotic(inner) {
    const proxyTraps = ["get", "ownKeys", "getOwnPropertyDescriptor", "has", "getPrototypeOf", "defineProperty", "set", "isExtensible", "preventExtensions", "apply"];
    switch (int(30)) {
      case 0: return G({ get taskToken() { return hostile("getter"); } }, "getter throws");
      case 1: {
        const trap = pick(proxyTraps);
        return G(new Proxy({ taskToken: "t" }, { [trap]: () => hostile(`${trap} trap`) }), `Proxy(${trap} throws)`);
      }
      case 2: {
        const traps = Object.fromEntries(proxyTraps.map((t) => [t, () => hostile(`${t} trap`)]));
        return G(new Proxy({}, traps), "Proxy(every trap throws)");
      }
      case 3: return G({ taskToken: "t", toJSON: () => hostile("toJSON") }, "toJSON throws");
      case 4: {
        const odd = pick([
          [undefined, "undefined"], [Symbol("s"), "symbol"], [() => 1, "function"], [10n, "BigInt"],
          [{ taskToken: "t" }, "valid input"], ["t", "string"], [null, "null"], [NaN, "NaN"],
          [new Proxy({}, { ownKeys: () => hostile("ownKeys") }), "Proxy"], [{ toJSON: () => ({ taskToken: "t" }) }, "nested toJSON"],
        ]);
        return G({ taskToken: 5, toJSON: () => odd[0] }, `toJSON returns ${odd[1]}`);
      }
      case 5: {
        const cyclic = { taskToken: "t" };
        cyclic.details = cyclic;
        return G(cyclic, "cyclic");
      }
      case 6: return G(Object.freeze({ taskToken: "t", details: "frozen" }), "frozen valid input");
      case 7: {
        const o = Object.create(null);
        o.taskToken = "t";
        return G(o, "Object.create(null) with taskToken");
      }
      case 8: {
        class Input {
          taskToken = "t";
          details = "d";
          method() {}
        }
        return G(new Input(), "class instance");
      }
      case 9: return G(pick([new Date(), new Date(NaN)]), "Date");
      case 10: return G(new Map([["taskToken", "t"]]), "Map");
      case 11: return G(pick([new Uint8Array(8), new Float64Array([NaN]), new ArrayBuffer(4), new DataView(new ArrayBuffer(2)), new BigInt64Array(1)]), "typed array / buffer");
      case 12: return G(pick([new Set(["t"]), new WeakMap(), /re/g, new Error("e"), Promise.resolve({ taskToken: "t" }), new WeakRef({})]), "built-in object");
      case 13: return G(DEEP_1000, "object nested 1000 deep");
      case 14: return G(DEEP_ARRAY_1000, "array nested 1000 deep");
      case 15: return G(WIDE, "object with 5000 keys");
      case 16: {
        let n = 0;
        return G({ get taskToken() { return n++ < 1 ? "t" : hostile("getter on its 2nd read"); } }, "getter that throws from its 2nd read");
      }
      case 17: return G({ get taskToken() { return this.taskToken; } }, "self-recursive getter (stack overflow)");
      case 18: {
        return G(
          {
            get taskToken() {
              reentry.respondActivityTaskCanceled({ taskToken: "re" }).catch(() => {});
              reentry.recordActivityTaskHeartbeat(undefined).catch(() => {});
              return "t";
            },
          },
          "getter that calls back into a client",
        );
      }
      case 19: {
        return G(
          {
            get taskToken() {
              new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: KEYS });
              return "t";
            },
          },
          "getter that constructs a client",
        );
      }
      case 20: return G({ taskToken: "t", [Symbol("k")]: "symbol key" }, "symbol key");
      case 21: return G(Object.assign([], { taskToken: "t" }), "array with taskToken property");
      case 22: return G(Object.assign(() => {}, { taskToken: "t" }), "function with taskToken property");
      case 23: {
        const o = { taskToken: "t" };
        Object.defineProperty(o, "details", { value: "hidden", enumerable: false });
        return G(o, "non-enumerable extra key");
      }
      case 24: {
        const proto = { taskToken: "inherited" };
        return G(Object.create(proto), "inherited taskToken");
      }
      case 25: return G(signal().v, "AbortSignal as input");
      case 26: return G({ taskToken: "t", details: DEEP_1000 }, "details nested 1000 deep");
      case 27: return G(JSON.parse('{"taskToken":"t","__proto__":{"x":1}}'), "own __proto__ key");
      case 28: return G(new Proxy({ taskToken: "t" }, {}), "transparent Proxy of a valid input");
      default: return G(Object.seal({ taskToken: inner().v }), "sealed");
    }
  }

  /** Any value at all. */
  function any(depth = 0) {
    switch (int(depth > 2 ? 12 : 16)) {
      case 0: return G(undefined, "undefined");
      case 1: return G(null, "null");
      case 2: return G(chance(0.5), "boolean");
      case 3: return number();
      case 4: return G(pick([0n, -1n, 10n, 2n ** 64n]), "BigInt");
      case 5: return G(pick([Symbol("s"), Symbol.iterator, Symbol.for("x")]), "symbol");
      case 6: return G(pick([() => {}, async () => "t", function named() {}, class C {}, Math.max.bind(null)]), "function");
      case 7:
      case 8:
      case 9: return string();
      case 10: return signal();
      case 11: return exotic(() => any(depth + 1));
      case 12: {
        const items = Array.from({ length: int(4) }, () => any(depth + 1));
        return G(items.map((i) => i.v), `[${items.map((i) => i.d).join(", ")}]`);
      }
      case 13:
      case 14: {
        const keys = Array.from({ length: int(4) }, () => pick(["a", "taskToken", "details", "x", "", "__proto__", "0"]));
        const entries = keys.map((k) => [k, any(depth + 1)]);
        const o = {};
        for (const [k, g] of entries) Object.defineProperty(o, k, { value: g.v, enumerable: true, configurable: true, writable: true });
        return G(o, `{${entries.map(([k, g]) => `${k}: ${g.d}`).join(", ")}}`);
      }
      default: return exotic(() => any(depth + 1));
    }
  }

  /** A value for a string field: mostly strings (valid or not), else anything. */
  const fieldValue = () => (chance(0.75) ? string() : any(1));

  /** An object with (some of) the right keys, wrong or right values, maybe extra keys, maybe exotic. */
  function shaped(keys, value = fieldValue) {
    if (chance(0.12)) return any();
    if (chance(0.1)) return exotic(() => value());
    const entries = [];
    for (const key of keys) if (key === keys[0] ? chance(0.9) : chance(0.5)) entries.push([key, value()]);
    if (chance(0.12)) entries.push([pick(["detail", "TaskToken", "extra", "__proto__", "", "toJSON"]), any(1)]);
    const container = chance(0.1) ? Object.create(null) : {};
    for (const [k, g] of entries) Object.defineProperty(container, k, { value: g.v, enumerable: true, configurable: true, writable: true });
    return G(container, `{${entries.map(([k, g]) => `${k}: ${g.d}`).join(", ")}}`);
  }

  /** A valid-looking action input: short valid strings, often. */
  function validish(keys) {
    const o = {};
    const parts = [];
    for (const key of keys) {
      if (key === keys[0] || chance(0.5)) {
        const g = chance(0.85) ? G(`v-${int(1000)}`, "'v-N'") : string();
        o[key] = g.v;
        parts.push(`${key}: ${g.d}`);
      }
    }
    return G(o, `{${parts.join(", ")}}`);
  }

  /** A valid action input. */
  function strictlyValid(keys) {
    const o = Object.fromEntries(keys.filter((k, i) => i === 0 || chance(0.5)).map((k) => [k, `v-${int(1000)}`]));
    return G(o, JSON.stringify(o));
  }

  function callOptions() {
    if (chance(0.45)) return G(undefined, "undefined");
    if (chance(0.15)) return any();
    const o = {};
    const parts = [];
    const add = (k, g) => {
      o[k] = g.v;
      parts.push(`${k}: ${g.d}`);
    };
    if (chance(0.4)) add("signal", chance(0.8) ? signal() : any(1));
    if (chance(0.4)) add("maxAttempts", chance(0.7) ? number() : any(1));
    if (chance(0.4)) add("timeoutMs", chance(0.7) ? number() : any(1));
    if (chance(0.3)) add("deadlineMs", chance(0.7) ? number() : any(1));
    if (chance(0.1)) add(pick(["retries", "timeout", "Signal", ""]), any(1));
    return G(o, `{${parts.join(", ")}}`);
  }

  /** Credentials: static keys (right or wrong) or a provider function of every kind. */
  function credentials() {
    const expirations = [
      [undefined, "none"], [new Date(Date.now() + 3600e3), "in an hour"], [new Date(0), "1970"], [new Date(NaN), "Invalid Date"],
      ["garbage", "'garbage'"], [Date.now() + 3600e3, "epoch ms"], [-1, "-1"], [1e300, "1e300"], [{}, "{}"], [true, "true"], ["2099-01-01T00:00:00Z", "ISO string"],
    ];
    const thrown = () => pick([
      [new HostileError("provider failed"), "Error"], [null, "null"], [undefined, "undefined"], ["text", "a string"], [Symbol("s"), "a symbol"],
      [new Proxy({}, { get: () => hostile("get"), getPrototypeOf: () => hostile("getPrototypeOf") }), "a hostile Proxy"],
      [{ get message() { return hostile("message getter"); } }, "an object whose message getter throws"], [10n, "a BigInt"],
    ]);
    switch (int(14)) {
      case 0: return G(KEYS, "valid keys");
      case 1: return G({ ...KEYS, sessionToken: string().v }, "valid keys + fuzzed sessionToken");
      case 2: return shaped(["accessKeyId", "secretAccessKey", "sessionToken"]);
      case 3: return any();
      case 4: {
        const [e, d] = pick(expirations);
        return G(async () => ({ ...KEYS, expiration: e }), `async provider, expiration ${d}`);
      }
      case 5: {
        const [e, d] = pick(expirations);
        return G(() => ({ ...KEYS, expiration: e }), `sync provider, expiration ${d}`);
      }
      case 6: {
        const [t, d] = thrown();
        return G(() => { throw t; }, `provider throws ${d}`);
      }
      case 7: {
        const [t, d] = thrown();
        return G(async () => { throw t; }, `async provider rejects with ${d}`);
      }
      case 8: {
        const g = any();
        return G(async () => g.v, `provider resolves ${g.d}`);
      }
      case 9: {
        const g = shaped(["accessKeyId", "secretAccessKey", "sessionToken", "expiration"]);
        return G(async () => g.v, `provider resolves ${g.d}`);
      }
      case 10: return G(() => ({ then: () => hostile("then") }), "provider returns a thenable whose then throws");
      case 11: return G(() => ({ then: (resolve) => resolve(KEYS) }), "provider returns a thenable resolving keys");
      case 12: return G(new Proxy(async () => KEYS, { apply: () => hostile("apply") }), "provider Proxy whose apply throws");
      default: return G(() => Promise.reject(thrown()[0]), "provider returns a rejected promise");
    }
  }

  /** Client options: pinned to the fake (so a client built from them can be called) or free. */
  function clientOptions() {
    if (chance(0.08)) return { ...any(), pinned: false };
    const pinned = chance(0.5);
    const o = {};
    const parts = [];
    const add = (k, g) => {
      o[k] = g.v;
      parts.push(`${k}: ${g.d}`);
    };
    if (pinned) {
      o.region = FAKE_REGION;
      o.endpoint = fake.url;
      parts.push("region, endpoint: the fake");
    } else {
      if (chance(0.9)) add("region", chance(0.6) ? G(pick(["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1", "moon-1", "US-EAST-1", "us-east-1 ", "", "us-east-1.evil.com", "a-b-99", "x".repeat(40)]), "region") : any(1));
      if (chance(0.5)) add("endpoint", chance(0.7) ? G(pick([fake.url, "https://example.com", "http://example.com", "http://localhost:9", "http://[::1]:9", "javascript:alert(1)", "https://u:p@example.com", "https://example.com/path", "", "https://", "http://127.0.0.1:99999", "file:///etc/passwd"]), "endpoint") : any(1));
    }
    if (chance(0.9)) add("credentials", credentials());
    if (chance(0.2)) add("useFipsEndpoint", chance(0.7) ? G(chance(0.5), "boolean") : any(1));
    if (chance(0.2)) add("allowInsecureEndpoint", chance(0.7) ? G(chance(0.5), "boolean") : any(1));
    if (chance(0.2)) add("maxAttempts", chance(0.7) ? number() : any(1));
    if (chance(0.2)) add("timeoutMs", chance(0.7) ? number() : any(1));
    if (chance(0.15)) add("deadlineMs", chance(0.7) ? number() : any(1));
    if (chance(0.08)) add(pick(["endpiont", "retries", "Region", ""]), any(1));
    return { v: o, d: `{${parts.join(", ")}}`, pinned };
  }

  /** A task-list input for cancelMany. */
  function tasks() {
    if (chance(0.15)) return any();
    const items = Array.from({ length: int(4) }, () =>
      chance(0.4) ? (chance(0.7) ? G(`v-${int(100)}`, "'v-N'") : string()) : shaped(["taskToken", "details"]),
    );
    return G(items.map((i) => i.v), `[${items.map((i) => i.d).join(", ")}]`);
  }

  /** A handler for runActivity. */
  function handler() {
    const value = any();
    switch (int(6)) {
      case 0: return G(async () => value.v, `async handler returning ${value.d}`);
      case 1: return G(() => { throw value.v; }, `handler throwing ${value.d}`);
      case 2: return G(async () => "done", "async handler returning 'done'");
      case 3: return G(() => undefined, "handler returning undefined");
      case 4: return G(async () => { throw new HostileError("work failed"); }, "async handler throwing an Error");
      default: return value;
    }
  }

  return { random, int, chance, pick, any, string, number, signal, shaped, validish, strictlyValid, callOptions, clientOptions, credentials, tasks, handler };
}

// ------------------------------------------------------------------ the checks

/** Whether `e` is an error this package may throw: an SwfError with the documented fields. */
function isTypedError(e) {
  return e instanceof SwfError && typeof e.name === "string" && e.name.length > 0 && typeof e.message === "string" && typeof e.retryable === "boolean";
}

/**
 * For the public error constructors, which take what the caller gives: the arguments' own
 * failures may pass through (a hostile getter's error, its stack overflow) and, as with
 * `new Error(Symbol())` or `new Error(Object.create(null))`, a value that has no string
 * form cannot become a message.
 */
function argumentsOwnFailure(e) {
  return (
    e instanceof HostileError ||
    (e instanceof RangeError && /call stack/.test(e.message)) ||
    (e instanceof TypeError && /Symbol value to a string|Cannot convert object to primitive value/.test(e.message))
  );
}

function describeThrown(e) {
  try {
    if (e instanceof Error || e instanceof WebAssembly.RuntimeError) return `${e.constructor?.name}(${e.name}): ${String(e.message).slice(0, 160)}`;
    return `${typeof e} ${util.inspect(e, { depth: 1 }).slice(0, 160)}`;
  } catch {
    return typeof e;
  }
}

/**
 * Runs jobs (functions returning `{ fn, what, accept? }`) with bounded concurrency; each
 * `fn()` may throw synchronously or return a value or a promise. Returns the violations.
 */
async function runAll(jobs, { concurrency = CONCURRENCY } = {}) {
  const violations = [];
  let next = 0;
  let calls = 0;
  const one = async (job) => {
    const { fn, what, accept = isTypedError, check } = job;
    calls++;
    let result;
    try {
      result = fn();
    } catch (e) {
      if (!accept(e)) violations.push(`${what}: threw ${describeThrown(e)}`);
      return;
    }
    if (!(result instanceof Promise)) {
      if (check) check(result, violations, what);
      return;
    }
    let timer;
    const HUNG = Symbol("hung");
    const hung = new Promise((resolve) => {
      timer = setTimeout(() => resolve(HUNG), CALL_HANG_MS);
    });
    try {
      const settled = await Promise.race([result, hung]);
      if (settled === HUNG) violations.push(`${what}: still pending after ${CALL_HANG_MS} ms`);
      else if (check) check(settled, violations, what);
    } catch (e) {
      if (!accept(e)) violations.push(`${what}: rejected with ${describeThrown(e)}`);
    } finally {
      clearTimeout(timer);
    }
  };
  const worker = async () => {
    while (next < jobs.length) await one(jobs[next++]());
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { violations, calls };
}

/**
 * Captures uncaught exceptions and unhandled rejections while `body` runs. With
 * `instantBackoff`, Math.random (the retry jitter) returns 0 meanwhile, so that calls whose
 * fuzzed options make every attempt time out retry at once instead of backing off for
 * seconds.
 */
async function watchingProcess(body, { instantBackoff = false } = {}) {
  const random = Math.random;
  if (instantBackoff) Math.random = () => 0;
  const stray = [];
  const onError = (e) => stray.push(`uncaught exception: ${describeThrown(e)}`);
  const onRejection = (e) => stray.push(`unhandled rejection: ${describeThrown(e)}`);
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onRejection);
  try {
    const outcome = await body();
    await new Promise((r) => setTimeout(r, 50)); // let late rejections surface
    return { ...outcome, stray };
  } finally {
    process.off("uncaughtException", onError);
    process.off("unhandledRejection", onRejection);
    Math.random = random;
  }
}

function report(t, name, { violations, calls, stray }) {
  t.diagnostic(`${name}: ${calls} calls, seed ${SEED}`);
  const all = [...violations, ...stray];
  if (all.length === 0) return;
  // Group by what went wrong (ignoring the input) so that one bug prints once.
  const groups = new Map();
  for (const v of all) {
    const key = v.replace(/^.*?: (threw|rejected with|still pending|uncaught|unhandled)/, "$1");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(v);
  }
  const lines = [...groups.values()].map((vs) => `  (${vs.length}×) ${vs[0]}`);
  assert.fail(`${name}: ${all.length} call(s) broke the contract (seed ${SEED}):\n${lines.slice(0, 30).join("\n")}`);
}

const resolvesUndefined = (v, violations, what) => {
  if (v !== undefined) violations.push(`${what}: resolved ${util.inspect(v)} instead of undefined`);
};
const resolvesStatus = (v, violations, what) => {
  if (v === null || typeof v !== "object" || typeof v.cancelRequested !== "boolean") violations.push(`${what}: resolved ${util.inspect(v)}`);
};

const ACTIONS = [
  { method: "respondActivityTaskCanceled", keys: ["taskToken", "details"], check: resolvesUndefined },
  { method: "recordActivityTaskHeartbeat", keys: ["taskToken", "details"], check: resolvesStatus },
  { method: "respondActivityTaskCompleted", keys: ["taskToken", "result"], check: resolvesUndefined },
  { method: "respondActivityTaskFailed", keys: ["taskToken", "reason", "details"], check: resolvesUndefined },
];

// ------------------------------------------------------------------ the tests

test("fuzz: the constructor, init, every action and the error classes keep the error contract", async (t) => {
  const gen = makeGen(SEED);
  const client = new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: KEYS, maxAttempts: 1, timeoutMs: 2000 });
  const jobs = [];

  // new SwfClient(options): 3000 options; String/JSON/inspect of every client; one call on
  // each client that points at the fake (never at anything else).
  for (let i = 0; i < 3000; i++) {
    jobs.push(() => {
      const { v, d, pinned } = gen.clientOptions();
      return {
        what: `new SwfClient(${d})`,
        fn: () => {
          const c = new SwfClient(v);
          for (const text of [String(c), JSON.stringify(c), util.inspect(c, { showHidden: true })]) assert.equal(typeof text, "string");
          if (pinned) assert.equal(c.endpoint, fakeEndpoint, "a client pinned to the fake reports another endpoint");
          if (c.endpoint !== fakeEndpoint) return undefined; // never call anything but the fake
          return c.respondActivityTaskCanceled({ taskToken: "t" }, { maxAttempts: 1, timeoutMs: 2000 });
        },
      };
    });
  }

  // init(anything): already initialised in Node.
  for (let i = 0; i < 200; i++) {
    jobs.push(() => {
      const g = gen.any();
      return { what: `init(${g.d})`, fn: () => init(g.v) };
    });
  }

  // Each action: 1400 inputs with a second argument, a quarter of them valid-looking.
  for (const { method, keys, check } of ACTIONS) {
    for (let i = 0; i < 1400; i++) {
      jobs.push(() => {
        const input = gen.chance(0.25) ? gen.validish(keys) : gen.shaped(keys);
        const options = gen.callOptions();
        return { what: `${method}(${input.d}, ${options.d})`, fn: () => client[method](input.v, options.v) };
      });
    }
  }
  // Valid inputs must resolve with the documented value.
  for (const { method, keys, check } of ACTIONS) {
    for (let i = 0; i < 25; i++) {
      jobs.push(() => {
        const input = gen.strictlyValid(keys);
        return {
          what: `${method}(${input.d}) [valid]`,
          fn: () => client[method](input.v, { maxAttempts: 1 }),
          check: method === "recordActivityTaskHeartbeat" ? undefined : check, // the fake answers {} (a ResponseError for a heartbeat)
          accept: method === "recordActivityTaskHeartbeat" ? (e) => isTypedError(e) && e.name === "ResponseError" : () => false,
        };
      });
    }
  }
  // pollForActivityTask: the fake answers {} at once, which is "no task" (null).
  for (let i = 0; i < 600; i++) {
    jobs.push(() => {
      const input = gen.chance(0.3) ? G({ domain: "d", taskList: { name: "l" } }, "valid") : gen.shaped(["domain", "taskList", "identity"], () => (gen.chance(0.3) ? gen.shaped(["name"]) : gen.string()));
      const options = gen.callOptions();
      return { what: `pollForActivityTask(${input.d}, ${options.d})`, fn: () => client.pollForActivityTask(input.v, options.v) };
    });
  }

  // Every exported error class, with anything as its arguments: an instance of the class,
  // or the argument's own error (a hostile getter's) passed through.
  const errorClasses = Object.entries(swfEdge).filter(([, v]) => typeof v === "function" && (v === SwfError || v.prototype instanceof SwfError));
  assert.ok(errorClasses.length >= 6, errorClasses.map(([n]) => n).join());
  for (const [name, ErrorClass] of errorClasses) {
    for (let i = 0; i < 120; i++) {
      jobs.push(() => {
        const a = gen.chance(0.5) ? gen.any() : gen.shaped(["name", "message", "statusCode", "retryable", "field", "cause"]);
        const b = gen.any();
        return {
          what: `new ${name}(${a.d}, ${b.d})`,
          fn: () => {
            const e = new ErrorClass(a.v, b.v);
            assert.ok(e instanceof ErrorClass && e instanceof SwfError && e instanceof Error);
            assert.equal(typeof e.retryable, "boolean");
          },
          accept: argumentsOwnFailure,
        };
      });
    }
  }

  assert.ok(jobs.length >= 10_000, `${jobs.length} inputs`);
  const outcome = await watchingProcess(() => runAll(jobs), { instantBackoff: true });
  t.diagnostic(`the fake SWF answered ${(await fakeAlive().requests()).length} requests`);
  await fake.reset();
  report(t, "constructor, init, actions, error classes", outcome);
});

test("fuzz: the composite helpers (cancelIfRequested, cancelMany, watchCancellation, runActivity) keep the error contract", async (t) => {
  const gen = makeGen(SEED ^ 0x9e3779b9);
  const client = new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: KEYS, maxAttempts: 1, timeoutMs: 2000 });
  const jobs = [];
  for (let i = 0; i < 400; i++) {
    jobs.push(() => {
      const input = gen.chance(0.2) ? gen.validish(["taskToken", "details", "heartbeatDetails"]) : gen.shaped(["taskToken", "details", "heartbeatDetails"]);
      const options = gen.callOptions();
      return { what: `cancelIfRequested(${input.d}, ${options.d})`, fn: () => client.cancelIfRequested(input.v, options.v) };
    });
    jobs.push(() => {
      const list = gen.tasks();
      const options = gen.chance(0.3) ? G(undefined, "undefined") : gen.shaped(["concurrency", "onlyIfRequested", "signal", "details"], () => (gen.chance(0.5) ? gen.number() : gen.any(1)));
      return { what: `cancelMany(${list.d}, ${options.d})`, fn: () => client.cancelMany(list.v, options.v) };
    });
    jobs.push(() => {
      const token = gen.chance(0.6) ? gen.string() : gen.any();
      const options = gen.chance(0.3) ? G(undefined, "undefined") : gen.shaped(["intervalMs", "details", "signal"], () => gen.any(1));
      return {
        what: `watchCancellation(${token.d}, ${options.d})`,
        fn: () => {
          const watch = client.watchCancellation(token.v, options.v);
          watch.stop();
          assert.ok(watch.signal instanceof AbortSignal);
        },
      };
    });
    jobs.push(() => {
      const task = gen.chance(0.5) ? G({ taskToken: `v-${gen.int(100)}`, input: gen.string().v }, "{taskToken: 'v-N', input}") : gen.shaped(["taskToken", "input"]);
      const h = gen.handler();
      const options = gen.chance(0.4) ? G(undefined, "undefined") : gen.shaped(["intervalMs", "heartbeatDetails", "cancelDetails"], () => (gen.chance(0.5) ? gen.number() : gen.any(1)));
      return { what: `runActivity(${task.d}, ${h.d}, ${options.d})`, fn: () => client.runActivity(task.v, h.v, options.v) };
    });
  }
  const outcome = await watchingProcess(() => runAll(jobs), { instantBackoff: true });
  await fake.reset();
  report(t, "composite helpers", outcome);
});

test("fuzz: arbitrary answers from the server are read into typed errors or results", async (t) => {
  const gen = makeGen(SEED ^ 0x51f15e);
  const client = new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: KEYS, maxAttempts: 1, timeoutMs: 250 });
  const bodies = () =>
    gen.pick([
      {}, "", "null", "[]", "true", "<html>oops</html>", '{"__type": "Inter', "\u0000\u0001", "x".repeat(50_000),
      { cancelRequested: gen.pick([true, false, "maybe", null, 1, {}, []]) }, { cancelRequested: true, extra: [1, 2] },
      { __type: gen.pick(["", "#", "a#", "com.amazonaws.swf.base.model#UnknownResourceFault", "ThrottlingException", " ", "💥", "x".repeat(5000)]), message: gen.pick(["", "m", null, 5, {}, "😀".repeat(3000), "\ud800"]) },
      { __type: "InvalidSignatureException", message: "Signature expired: 20200101T000000Z is now earlier than 20260101T000000Z" },
      { message: "no type", Message: "both" }, { errorMessage: ["not", "a", "string"] },
      { taskToken: gen.pick(["", "tt", 5]), activityId: "a", startedEventId: gen.pick([1, -1, 1.5, "x", 2 ** 63]), workflowExecution: { workflowId: "w", runId: "r" }, activityType: { name: "n", version: "1" } },
    ]);
  const entry = () => {
    switch (gen.int(8)) {
      case 0: return { action: "reset" };
      case 1: return { action: "truncated", status: gen.pick([200, 400, 500]), body: gen.pick(['{"__type": "Inter', '{"cancelRequested": tr', ""]) };
      case 2: return { action: "reset_mid_body", status: 200, body: { pad: "x".repeat(20_000) } };
      case 3: return { action: "hang", seconds: 0.5 };
      case 4: return { action: "large", status: gen.pick([200, 400, 500]), bytes: gen.pick([43, 1000, 200_000]) };
      default: {
        const headers = {};
        if (gen.chance(0.3)) headers["x-amzn-ErrorType"] = gen.pick(["", ":", "ThrottlingException:http://x", "Ünïcode", "a".repeat(3000)]);
        if (gen.chance(0.3)) headers["x-amzn-RequestId"] = gen.pick(["", "rid", null, "x".repeat(3000)]);
        if (gen.chance(0.3)) headers["content-type"] = gen.pick(["text/html", "application/json", null]);
        // Dates the client can learn from (the year 10000 and beyond have their own test below).
        if (gen.chance(0.4)) headers.Date = gen.pick(["garbage", "", "Thu, 01 Jan 1970 00:00:00 GMT", "Mon, 01 Jan 2001 00:00:00 GMT", new Date(Date.now() + gen.int(1e9)).toUTCString(), "Fri, 31 Dec 8999 23:59:59 GMT"]);
        return { status: gen.pick([200, 200, 200, 201, 204, 299, 300, 304, 400, 401, 403, 404, 413, 429, 500, 502, 503, 504, 599]), body: bodies(), headers };
      }
    }
  };
  const methods = [
    ["respondActivityTaskCanceled", { taskToken: "t", details: "d" }],
    ["recordActivityTaskHeartbeat", { taskToken: "t" }],
    ["respondActivityTaskFailed", { taskToken: "t", reason: "r" }],
    ["pollForActivityTask", { domain: "d", taskList: { name: "l" } }],
  ];
  const ROUNDS = 25;
  const PER_ROUND = 16;
  const outcome = await watchingProcess(async () => {
    const violations = [];
    let calls = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const entries = Array.from({ length: PER_ROUND }, entry);
      await fake.script(entries);
      const batch = entries.map((e) => {
        const [method, input] = gen.pick(methods);
        return () => ({ what: `${method} answered ${JSON.stringify(e).slice(0, 200)}`, fn: () => client[method](input) });
      });
      const r = await runAll(batch, { concurrency: PER_ROUND });
      violations.push(...r.violations);
      calls += r.calls;
    }
    return { violations, calls };
  });
  await fake.reset();
  report(t, "server answers", outcome);
});

test("after the fuzzing the wasm instance still works: a valid cancel resolves, validly signed", async () => {
  await fake.reset();
  const client = new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: KEYS, maxAttempts: 1 });
  assert.equal(await client.respondActivityTaskCanceled({ taskToken: "after-fuzz", details: "still fine" }), undefined);
  const log = await fake.requests();
  assert.equal(log.length, 1);
  assert.equal(log[0].signature.valid, true, log[0].signature.error);
  assert.deepEqual(log[0].json, { taskToken: "after-fuzz", details: "still fine" });
});

// ------------------------------------------------------------------ bugs the fuzzing found
// Each is a minimal reproducer of a broken contract; they fail until the bug is fixed.

/** Settles `promise` into a description, or "pending" after `ms`. */
async function settle(promise, ms = 2000) {
  let timer;
  const pending = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ state: "pending" }), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ state: "resolved", value }),
        (error) => ({ state: "rejected", error }),
      ),
      pending,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const typedRejection = (outcome) => outcome.state === "rejected" && isTypedError(outcome.error);
const show = (outcome) => (outcome.state === "rejected" ? `rejected with ${describeThrown(outcome.error)}` : outcome.state);

test("composite helpers reject with SwfError, never raw TypeErrors or the caller's own errors", async () => {
  await fake.reset();
  const client = new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: KEYS, maxAttempts: 1 });
  const cyclic = {};
  cyclic.self = cyclic;
  const cases = {
    "watchCancellation('t', { signal: {} })": () => client.watchCancellation("t", { signal: {} }).stop(),
    "runActivity({ taskToken: 't' }, async () => 10n)": () => client.runActivity({ taskToken: "t" }, async () => 10n),
    "runActivity({ taskToken: 't' }, async () => cyclic)": () => client.runActivity({ taskToken: "t" }, async () => cyclic),
    "cancelMany([{ get taskToken() { throw } }])": () => client.cancelMany([{ get taskToken() { return hostile("getter"); } }]),
    "cancelMany([], { get concurrency() { throw } })": () => client.cancelMany([], { get concurrency() { return hostile("getter"); } }),
  };
  const broken = [];
  for (const [what, call] of Object.entries(cases)) {
    let outcome;
    try {
      outcome = await settle(Promise.resolve(call()));
    } catch (error) {
      outcome = { state: "rejected", error };
    }
    if (outcome.state !== "resolved" && !typedRejection(outcome)) broken.push(`${what}: ${show(outcome)}`);
  }
  assert.deepEqual(broken, [], broken.join("\n"));
});

test("timeouts and intervals beyond what a JavaScript timer can wait (2^31 ms) are refused, not fired at once", async () => {
  await fake.reset();
  const client = new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: KEYS, maxAttempts: 1 });
  for (const options of [{ timeoutMs: 2 ** 31 }, { deadlineMs: 2 ** 31 }]) {
    const outcome = await settle(client.respondActivityTaskCanceled({ taskToken: "t" }, options), 5000);
    assert.ok(typedRejection(outcome) && outcome.error.name === "ValidationError", show(outcome));
    assert.equal(outcome.error.field, Object.keys(options)[0]);
  }
  assert.throws(() => new SwfClient({ region: FAKE_REGION, credentials: KEYS, timeoutMs: 2 ** 31 }), { name: "ValidationError", field: "timeoutMs" });
  assert.throws(() => client.watchCancellation("t", { intervalMs: 2 ** 31 }), { name: "ValidationError", field: "intervalMs" });
  // The largest timer that works is accepted and does not fire early.
  const outcome = await settle(client.respondActivityTaskCanceled({ taskToken: "t" }, { timeoutMs: 2 ** 31 - 1 }), 5000);
  assert.equal(outcome.state, "resolved", show(outcome));
  assert.equal((await fake.requests()).length, 1);
});

test("a credentials provider that never settles still honours the deadline and the AbortSignal", async () => {
  const client = new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: () => new Promise(() => {}), maxAttempts: 1 });
  const byDeadline = await settle(client.respondActivityTaskCanceled({ taskToken: "t" }, { deadlineMs: 200 }), 1500);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const byAbort = await settle(client.respondActivityTaskCanceled({ taskToken: "t" }, { signal: controller.signal }), 1500);
  assert.ok(typedRejection(byDeadline) && byDeadline.error.name === "TimeoutError", `deadlineMs 200: ${show(byDeadline)} after 1.5 s`);
  assert.ok(typedRejection(byAbort) && byAbort.error.name === "AbortError", `aborted after 100 ms: ${show(byAbort)} after 1.5 s`);
});

test("a Date header in the year 10000 is not learnt and does not trap the wasm", async () => {
  await fake.reset();
  const client = new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: KEYS, maxAttempts: 1 });
  await fake.script([{ status: 200, body: {}, headers: { Date: "Mon, 01 Jan 10000 00:00:00 GMT" } }]);
  const { value: outcome, stray } = await watchingProcess(async () => {
    assert.equal(await client.respondActivityTaskCanceled({ taskToken: "t" }), undefined); // learns the clock
    return { value: await settle(client.respondActivityTaskCanceled({ taskToken: "t" }), 2000) };
  });
  assert.deepEqual(stray, [], "no uncaught exception (a wasm trap) while signing");
  assert.notEqual(outcome.state, "pending", "the call settles");
  assert.ok(outcome.state === "resolved" || typedRejection(outcome), show(outcome));
});
