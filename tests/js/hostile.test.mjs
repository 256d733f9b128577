// Hostile endpoints and answers, from small loopback servers in this process: redirects
// (never followed: a second listener must see nothing), huge and endless bodies (read up
// to the cap, then cut off; wasm memory stays flat), error codes that try to pose as
// client-side errors (the shared table tests/error_codes/table.json through the package),
// hostile `Date` headers, expired provider credentials and redaction of credentials a call
// signed with before a refresh.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  SwfClient,
  SwfError,
  ServiceError,
  RedirectError,
  ResponseError,
  ValidationError,
  AbortError,
  TimeoutError,
  TransportError,
  CredentialsError,
  InternalError,
  UnknownResourceFault,
} from "../../pkg/node.js";
import { initSync } from "../../pkg/dist/swf_edge.js";
import { startFakeSwf, FAKE_ACCESS_KEY, FAKE_SECRET, FAKE_REGION } from "../fake_swf/client.mjs";
import { rejection } from "../support/assert.mjs";
import { listener, redirectTo, stream } from "../support/hostile-server.mjs";

const TABLE = JSON.parse(readFileSync(new URL("../error_codes/table.json", import.meta.url), "utf8"));
const KEYS = { accessKeyId: "AKIDHOSTILE", secretAccessKey: "hostile-secret-0123456789" };
/** The wasm instance's exports (initSync returns the existing ones: node.js already ran it). */
const wasm = initSync({ module: readFileSync(new URL("../../pkg/dist/swf_edge_bg.wasm", import.meta.url)) });

let hostile;
let second;
let fake;
before(async () => {
  [hostile, second, fake] = await Promise.all([listener(), listener(), startFakeSwf()]);
});
after(async () => {
  await Promise.all([hostile?.stop(), second?.stop(), fake?.stop()]);
});
beforeEach(async () => {
  hostile.requests = second.requests = hostile.closed = second.closed = 0;
  second.handle = (req, res) => res.end("{}");
  await fake.reset();
});

const client = (options = {}) => new SwfClient({ region: "us-east-1", endpoint: hostile.url, credentials: KEYS, ...options });
const heartbeat = (swf, options) => swf.recordActivityTaskHeartbeat({ taskToken: "tok" }, options);
const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { "content-type": "application/x-amz-json-1.0", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ redirects

test("a 3xx is never followed: typed RedirectError naming the status and origin only; the target sees nothing", async () => {
  for (const status of [301, 302, 303, 307, 308]) {
    hostile.handle = redirectTo(status, second.url);
    const err = await rejection(client().respondActivityTaskCanceled({ taskToken: "tok", details: "d" }));
    assert.ok(err instanceof RedirectError, `${status}: ${err.name} ${err.message}`);
    assert.equal(err.name, "RedirectError");
    assert.equal(err.source, "client");
    assert.equal(err.retryable, false);
    assert.equal(err.attempts, 1);
    assert.equal(err.statusCode, undefined);
    assert.match(err.message, new RegExp(`HTTP ${status}`));
    assert.ok(err.message.includes(second.url), err.message);
    for (const hidden of ["steal", "token", "abc", "frag", "user", "pa55"]) assert.ok(!err.message.includes(hidden), `${hidden} in ${err.message}`);
  }
  assert.equal(hostile.requests, 5);
  assert.equal(second.requests, 0, "the redirect target got a request");
});

test("a 3xx without a Location (or with a relative one) is a RedirectError too", async () => {
  hostile.handle = (req, res) => {
    res.writeHead(300);
    res.end();
  };
  const err = await rejection(heartbeat(client()));
  assert.ok(err instanceof RedirectError);
  assert.match(err.message, /HTTP 300 redirect to unknown \(no Location header\)/);
  hostile.handle = (req, res) => {
    res.writeHead(307, { location: "/elsewhere?x=1" });
    res.end();
  };
  const relative = await rejection(heartbeat(client()));
  assert.ok(relative.message.includes(hostile.url) && !relative.message.includes("elsewhere"), relative.message);
  assert.equal(second.requests, 0);
});

// ------------------------------------------------------------------ bounded reads

/** Streams forever (until the client goes away). */
function endless(res, status) {
  stream(res, status, Infinity, { prefix: '{"__type":"InternalFailure","message":"' });
}

test("a 2xx body over the action's cap is a ResponseError (not retried); one at the cap is read", async () => {
  const cap = 64 * 1024;
  const answer = (bytes) => {
    const head = '{"cancelRequested":true,"pad":"';
    return head + "x".repeat(bytes - head.length - 2) + '"}';
  };
  hostile.handle = (req, res) => json(res, 200, answer(cap));
  assert.deepEqual(await heartbeat(client()), { cancelRequested: true });
  hostile.handle = (req, res) => json(res, 200, answer(cap + 1));
  const err = await rejection(heartbeat(client()));
  assert.ok(err instanceof ResponseError, `${err.name}: ${err.message}`);
  assert.equal(err.source, "client");
  assert.equal(err.retryable, false);
  assert.equal(err.attempts, 1);
  assert.match(err.message, /over 65536 bytes/);
  assert.equal(hostile.requests, 2);
});

test("the poll's cap is 256 KiB: a 200 KiB task is read, a 300 KiB one refused", async () => {
  const task = (inputChars) => ({
    taskToken: "t",
    activityId: "a",
    startedEventId: 3,
    workflowExecution: { workflowId: "w", runId: "r" },
    activityType: { name: "n", version: "1" },
    input: "i".repeat(inputChars),
  });
  hostile.handle = (req, res) => json(res, 200, task(200 * 1024));
  const polled = await client().pollForActivityTask({ domain: "d", taskList: { name: "l" } });
  assert.equal(polled.input.length, 200 * 1024);
  hostile.handle = (req, res) => json(res, 200, task(300 * 1024));
  const err = await rejection(client().pollForActivityTask({ domain: "d", taskList: { name: "l" } }));
  assert.ok(err instanceof ResponseError, err.message);
  assert.match(err.message, /over 262144 bytes/);
});

test("an endless 2xx body stops at the cap, not at the timeout, and the connection is dropped", async () => {
  hostile.handle = (req, res) => stream(res, 200, Infinity, { prefix: '{"cancelRequested":true,"pad":"' });
  const started = Date.now();
  const err = await rejection(heartbeat(client({ timeoutMs: 20_000 })));
  assert.ok(err instanceof ResponseError, `${err.name}: ${err.message}`);
  assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  for (let i = 0; i < 50 && hostile.closed < 1; i++) await sleep(20);
  assert.equal(hostile.closed, 1, "the server's response was not closed: the client kept reading");
});

test("an endless or oversize error body stops at 64 KiB; the error is named by the status and retried like any 5xx", async () => {
  hostile.handle = (req, res) => endless(res, 500);
  const started = Date.now();
  const err = await rejection(heartbeat(client({ timeoutMs: 20_000, maxAttempts: 2 })));
  assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  assert.ok(err instanceof ServiceError, `${err.name}: ${err.message}`);
  assert.equal(err.name, "InternalFailure");
  assert.equal(err.source, "service");
  assert.equal(err.statusCode, 500);
  assert.equal(err.retryable, true);
  assert.equal(err.attempts, 2);
  assert.match(err.message, /error body over 65536 bytes/);
  hostile.handle = (req, res) => {
    res.writeHead(400, { "x-amzn-ErrorType": "ThrottlingException:http://internal/" });
    res.end("y".repeat(70_000));
  };
  const throttled = await rejection(heartbeat(client({ maxAttempts: 1 })));
  assert.equal(throttled.name, "ThrottlingException");
  assert.equal(throttled.retryable, true);
});

test("wasm memory stays flat over 50 MB 2xx and 5xx answers (and an endless one)", async () => {
  const mb50 = 50 * 1024 * 1024;
  const swf = client({ maxAttempts: 1, timeoutMs: 30_000 });
  // Warm up: the first calls size the allocator's pools.
  hostile.handle = (req, res) => json(res, 200, { cancelRequested: false });
  for (let i = 0; i < 3; i++) await heartbeat(swf);
  const before = wasm.memory.buffer.byteLength;
  const cases = [
    ["2xx poll", (req, res) => stream(res, 200, mb50, { prefix: '{"taskToken":"t","input":"', suffix: '"}' }), () => swf.pollForActivityTask({ domain: "d", taskList: { name: "l" } })],
    ["2xx heartbeat", (req, res) => stream(res, 200, mb50, { prefix: '{"cancelRequested":true,"pad":"', suffix: '"}' }), () => heartbeat(swf)],
    ["5xx with a 50 MB message", (req, res) => stream(res, 500, mb50, { prefix: '{"__type":"InternalFailure","message":"', suffix: '"}' }), () => heartbeat(swf)],
    ["5xx with a 50 MB __type", (req, res) => stream(res, 503, mb50, { prefix: '{"__type":"', suffix: '"}' }), () => heartbeat(swf)],
    ["endless 5xx", (req, res) => endless(res, 502), () => heartbeat(swf)],
  ];
  for (const [what, handle, call] of cases) {
    hostile.handle = handle;
    const err = await rejection(call());
    assert.ok(err instanceof SwfError, `${what}: ${err}`);
    const grown = wasm.memory.buffer.byteLength - before;
    assert.ok(grown <= 1024 * 1024, `${what}: wasm memory grew by ${grown} bytes (${before} → ${wasm.memory.buffer.byteLength})`);
  }
  if (process.env.SWF_EDGE_TRACE) console.error("wasm memory", before, "→", wasm.memory.buffer.byteLength);
});

// ------------------------------------------------------------------ error codes

test("every answer of the shared error-code table gives its code and name through the package", async () => {
  const swf = client({ maxAttempts: 1 });
  for (const [i, row] of TABLE.rows.entries()) {
    hostile.handle = (req, res) => {
      res.writeHead(row.status, row.headers);
      res.end(row.body);
    };
    const err = await rejection(heartbeat(swf));
    const where = `row ${i}: ${JSON.stringify(row).slice(0, 200)}`;
    assert.ok(err instanceof ServiceError, `${where}: ${err.name} ${err.message}`);
    assert.equal(err.source, "service", where);
    assert.equal(err.code, row.code, where);
    assert.equal(err.name, row.name, where);
    assert.equal(err.statusCode, row.status, where);
    for (const posed of [ValidationError, AbortError, TimeoutError, TransportError, CredentialsError, ResponseError, RedirectError, InternalError]) {
      assert.ok(!(err instanceof posed), `${where}: a service answer became a ${posed.name}`);
    }
  }
});

test("a __type with a ':' suffix keeps the typed UnknownResourceFault class", async () => {
  hostile.handle = (req, res) =>
    json(res, 400, { __type: "com.amazonaws.swf.base.model#UnknownResourceFault:http://internal.amazon.com/coral/com.amazonaws.swf.base.model/", message: "closed" });
  const err = await rejection(client().respondActivityTaskCanceled({ taskToken: "tok" }));
  assert.ok(err instanceof UnknownResourceFault && err instanceof ServiceError);
  assert.equal(err.code, "UnknownResourceFault");
  assert.equal(err.retryable, false);
});

test("client-side errors say source 'client' and carry no code", async () => {
  const invalid = await rejection(client().respondActivityTaskCanceled({ taskToken: "" }));
  assert.ok(invalid instanceof ValidationError);
  assert.equal(invalid.source, "client");
  assert.equal(invalid.code, undefined);
  const refused = await rejection(new SwfClient({ region: "us-east-1", endpoint: "http://127.0.0.1:1", credentials: KEYS, maxAttempts: 1 }).respondActivityTaskCanceled({ taskToken: "t" }));
  assert.ok(refused instanceof TransportError);
  assert.equal(refused.source, "client");
});

// ------------------------------------------------------------------ clock

const fakeClient = (options = {}) => new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: FAKE_SECRET }, ...options });

test("a Date of 31 Dec 9999 (or garbage) is ignored: the client keeps working", async () => {
  const swf = fakeClient();
  for (const date of ["Fri, 31 Dec 9999 23:59:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "not a date", "Tue, 01 Dec 2026 99:99:99 GMT"]) {
    await fake.script([{ status: 200, body: {}, headers: { Date: date } }]);
    await swf.respondActivityTaskCanceled({ taskToken: "tok" });
    assert.equal(swf.clockOffsetMs, 0, date);
    await swf.respondActivityTaskCanceled({ taskToken: "tok" });
  }
  const log = await fake.requests();
  assert.equal(log.length, 8);
  assert.ok(log.every((r) => r.signature.valid), "every request was validly signed");
});

test("a hostile but in-bounds Date (+20 h) is undone by the next answer; calls succeed", async () => {
  const swf = fakeClient();
  const ahead = new Date(Date.now() + 20 * 3_600_000).toUTCString();
  await fake.script([{ status: 200, body: {}, headers: { Date: ahead } }]);
  await swf.respondActivityTaskCanceled({ taskToken: "tok" });
  assert.ok(Math.abs(swf.clockOffsetMs - 20 * 3_600_000) < 5_000, `offset ${swf.clockOffsetMs}`);
  // Signed 20 h ahead: the fake refuses it (Signature not yet current) with its real Date;
  // the client corrects and re-signs at once.
  await swf.respondActivityTaskCanceled({ taskToken: "tok" });
  assert.ok(Math.abs(swf.clockOffsetMs) < 5_000, `offset ${swf.clockOffsetMs}`);
  const log = await fake.requests();
  assert.equal(log.length, 3);
  assert.deepEqual(log.map((r) => r.signature.valid), [true, false, true]);
  assert.match(log[1].signature.error, /not yet current/);
  await swf.respondActivityTaskCanceled({ taskToken: "tok" });
  assert.equal((await fake.requests())[3].signature.valid, true);
});

// ------------------------------------------------------------------ credentials

test("a provider returning expired credentials is asked once more; still expired: CredentialsError, nothing sent", async () => {
  let calls = 0;
  const provider = async () => {
    calls += 1;
    return { ...KEYS, sessionToken: `expired-${calls}`, expiration: new Date(Date.now() - 1_000) };
  };
  const swf = client({ credentials: provider });
  const err = await rejection(heartbeat(swf));
  assert.ok(err instanceof CredentialsError, `${err.name}: ${err.message}`);
  assert.equal(err.attempts, 0);
  assert.match(err.message, /expired credentials twice/);
  assert.equal(calls, 2);
  assert.equal(hostile.requests, 0, "something was sent with expired credentials");
});

test("expired once, then fresh: the fresh ones sign; concurrent calls share the second refresh", async () => {
  let calls = 0;
  const tokens = [];
  hostile.handle = (req, res) => {
    tokens.push(req.headers["x-amz-security-token"]);
    json(res, 200, { cancelRequested: false });
  };
  const provider = async () => {
    calls += 1;
    await sleep(20);
    const expiration = calls === 1 ? Date.now() - 1 : Date.now() + 3_600_000;
    return { ...KEYS, sessionToken: `tok-${calls}`, expiration };
  };
  const swf = client({ credentials: provider });
  await Promise.all(Array.from({ length: 10 }, () => heartbeat(swf)));
  assert.equal(calls, 2);
  assert.equal(tokens.length, 10);
  assert.ok(tokens.every((t) => t === "tok-2"), tokens.join());
});

test("expiry is judged by the corrected clock: credentials expired in the server's time are refused", async () => {
  await fake.skew(3_600); // the server (and the credential issuer) is an hour ahead
  let calls = 0;
  let expiresInMs = 64 * 60_000; // by the local clock: 4 minutes left in server time
  const provider = () => {
    calls += 1;
    return { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: FAKE_SECRET, expiration: Date.now() + expiresInMs };
  };
  const swf = fakeClient({ credentials: provider });
  await swf.respondActivityTaskCanceled({ taskToken: "tok" }); // learns the offset (skew error, re-signed)
  assert.ok(Math.abs(swf.clockOffsetMs - 3_600_000) < 5_000, `offset ${swf.clockOffsetMs}`);
  const sent = (await fake.requests()).length;
  assert.equal(sent, 2);
  // Valid for 30 more minutes by the local clock, but expired 30 minutes ago in server time.
  expiresInMs = 30 * 60_000;
  const before = calls;
  const err = await rejection(swf.respondActivityTaskCanceled({ taskToken: "tok" }));
  assert.ok(err instanceof CredentialsError, `${err.name}: ${err.message}`);
  assert.equal(calls - before, 2, "asked once more, then refused");
  assert.equal((await fake.requests()).length, sent, "nothing more was sent");
});

test("an error quoting the session token of credentials replaced while the call was in flight is redacted", async () => {
  let calls = 0;
  const provider = () => {
    calls += 1;
    // Inside the 5-minute refresh window: every new call refreshes.
    return { ...KEYS, sessionToken: `SESSION-${calls}-9f8e7d6c5b4a`, expiration: Date.now() + 4 * 60_000 };
  };
  const swf = client({ credentials: provider, maxAttempts: 1 });
  hostile.handle = async (req, res) => {
    const token = req.headers["x-amz-security-token"];
    if (token.startsWith("SESSION-1-")) await sleep(400); // the first call is slow
    json(res, 400, { __type: "UnrecognizedClientException", message: `The security token ${token} is invalid` });
  };
  const first = rejection(heartbeat(swf));
  while (hostile.requests < 1) await sleep(5); // signed and sent with SESSION-1
  const second = await rejection(heartbeat(swf)); // refreshes: the client now holds SESSION-2
  const err = await first;
  assert.equal(calls, 2);
  assert.ok(!err.message.includes("SESSION-1-9f8e7d6c5b4a"), err.message);
  assert.ok(!second.message.includes("SESSION-2-9f8e7d6c5b4a"), second.message);
  assert.match(err.message, /\[redacted\]/);
});

// ------------------------------------------------------------------ the error classes

test("the error classes: hierarchy, names and sources (public constructors too)", async () => {
  const pkg = await import("../../pkg/node.js");
  const client = ["ValidationError", "TransportError", "TimeoutError", "AbortError", "CredentialsError", "ResponseError", "RedirectError", "InternalError", "WasmLoadError"];
  for (const name of client) {
    const Class = pkg[name];
    assert.equal(typeof Class, "function", `${name} is exported`);
    const e = new Class("m");
    assert.ok(e instanceof SwfError && e instanceof Error && !(e instanceof ServiceError), name);
    assert.equal(e.name, name);
    assert.equal(e.source, "client", name);
    assert.equal(e.code, undefined, name);
  }
  for (const name of ["UnknownResourceFault", "OperationNotPermittedFault"]) {
    const e = new pkg[name]("m");
    assert.ok(e instanceof ServiceError && e instanceof SwfError, name);
    assert.equal(e.name, name);
    assert.equal(e.source, "service");
    assert.equal(e.code, name);
  }
  const generic = new ServiceError("m", { code: "ThrottlingException", statusCode: 400, retryable: true });
  assert.deepEqual([generic.name, generic.source, generic.code, generic.statusCode, generic.retryable], ["ServiceError", "service", "ThrottlingException", 400, true]);
  assert.equal(new SwfError("m", { source: "service" }).source, "service");
});

test("odd failures are typed errors inside the returned promise, never thrown", async () => {
  // A fetch whose Response body getter throws a Symbol (not an Error): a TransportError; a
  // provider returning a revoked proxy: a CredentialsError.
  const original = globalThis.fetch;
  globalThis.fetch = async () => {
    const response = new Response("{}");
    Object.defineProperty(response, "body", { get() { throw Symbol("odd"); } });
    return response;
  };
  try {
    const err = await rejection(heartbeat(client()));
    assert.ok(err instanceof TransportError, `${err.name}: ${err.message}`);
    assert.equal(err.source, "client");
  } finally {
    globalThis.fetch = original;
  }
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const provided = await rejection(heartbeat(client({ credentials: () => proxy })));
  assert.ok(provided instanceof CredentialsError, `${provided.name}: ${provided.message}`);
});

test("huge header values are cut before they reach the wasm", async () => {
  hostile.handle = (req, res) => {
    res.writeHead(400, {
      "x-amzn-RequestId": "r".repeat(12_000),
      "x-amzn-ErrorType": `ThrottlingException:${"h".repeat(2_000)}`,
      date: `${new Date().toUTCString()}${" ".repeat(1_000)}`,
      "content-type": "application/x-amz-json-1.0",
    });
    res.end("{}");
  };
  const err = await rejection(heartbeat(client({ maxAttempts: 1 })));
  assert.equal(err.requestId, "r".repeat(256));
  assert.equal(err.code, "ThrottlingException");
  hostile.handle = (req, res) => {
    res.writeHead(400, { "x-amzn-ErrorType": "T".repeat(1_500), "content-type": "application/x-amz-json-1.0" });
    res.end("{}");
  };
  const long = await rejection(heartbeat(client({ maxAttempts: 1 })));
  assert.equal(long.code, "UnknownError", "a code over 128 characters is replaced");
});

test("a redirect whose Location host echoes the session token (lower-cased by URL parsing) is redacted", async () => {
  const token = "SESSIONTOKEN-ECHOED-7Q3Z";
  hostile.handle = (req, res) => {
    res.writeHead(302, { location: `http://${req.headers["x-amz-security-token"]}.evil.example/` });
    res.end();
  };
  const err = await rejection(heartbeat(client({ credentials: { ...KEYS, sessionToken: token } })));
  assert.ok(err instanceof RedirectError);
  assert.ok(!err.message.toLowerCase().includes(token.toLowerCase()), err.message);
  assert.match(err.message, /http:\/\/\[redacted\]\.evil\.example/);
});

test("a fetch that followed a redirect anyway (ignoring redirect: manual): its answer is refused, not taken for SWF's", async () => {
  const original = globalThis.fetch;
  let init;
  globalThis.fetch = async (url, options) => {
    init = options;
    const response = new Response('{"cancelRequested":true}', { status: 200, headers: { "content-type": "application/x-amz-json-1.0" } });
    Object.defineProperty(response, "redirected", { value: true });
    Object.defineProperty(response, "url", { value: `${second.url}/after?token=abc` });
    return response;
  };
  try {
    const err = await rejection(heartbeat(client()));
    assert.ok(err instanceof RedirectError, `${err.name}: ${err.message}`);
    assert.ok(err.message.includes(second.url) && !err.message.includes("token"), err.message);
    assert.equal(init.redirect, "manual");
  } finally {
    globalThis.fetch = original;
  }
});
