// Retries, deadlines, AbortSignal, clock skew and credential providers, against the
// fault-injecting fake SWF. Each test checks the outcome, how many requests the server
// saw, and that every one carried a valid signature.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { SwfClient, SwfError, TimeoutError, AbortError, CredentialsError, TransportError, UnknownResourceFault } from "../../pkg/node.js";
import { startFakeSwf, FAKE_ACCESS_KEY, FAKE_SECRET, FAKE_REGION } from "../fake_swf/client.mjs";
import { rejection } from "../support/assert.mjs";

let fake;
before(async () => {
  fake = await startFakeSwf();
});
after(() => fake?.stop());
beforeEach(() => fake.reset());

const keys = { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: FAKE_SECRET };
const client = (options = {}) => new SwfClient({ region: FAKE_REGION, endpoint: fake.url, credentials: keys, ...options });
const cancel = (swf, options) => swf.respondActivityTaskCanceled({ taskToken: "tok", details: "d" }, options);
const header = (req, name) => Object.entries(req.headers).find(([k]) => k.toLowerCase() === name)?.[1];


/** The SWF requests the server saw; asserts every one was validly signed. */
async function seen() {
  const log = await fake.requests();
  for (const r of log) assert.equal(r.signature.valid, true, `request ${r.n}: ${r.signature.error}`);
  return log;
}

test("500 then 503 then success: resolves after 3 validly signed attempts", async () => {
  await fake.script([{ status: 500, body: "" }, { status: 503, body: { __type: "ServiceUnavailable" } }]);
  assert.equal(await cancel(client()), undefined);
  assert.equal((await seen()).length, 3);
});

test("throttling then success", async () => {
  await fake.script([{ status: 400, body: { __type: "com.amazon.coral.availability#ThrottlingException", message: "Rate exceeded" } }]);
  await cancel(client());
  assert.equal((await seen()).length, 2);
});

test("truncated and non-JSON error bodies are retried like any 5xx", async () => {
  await fake.script([
    { action: "truncated", status: 500, body: '{"__type": "Inter' },
    { status: 502, body: "<html>bad gateway</html>", headers: { "content-type": "text/html" } },
  ]);
  await cancel(client());
  assert.equal((await seen()).length, 3);
});

test("a connection reset mid-response is retried", async () => {
  await fake.script([{ action: "reset_mid_body", status: 200, body: { pad: "x".repeat(50_000) } }, { action: "reset" }]);
  await cancel(client());
  assert.equal((await seen()).length, 3);
});

test("an error body over 1 MB is read, cut and retried", async () => {
  await fake.script([{ action: "large", status: 500, bytes: 1_500_000 }, { action: "large", status: 500, bytes: 1_500_000 }, { action: "large", status: 500, bytes: 1_500_000 }]);
  const err = await rejection(cancel(client()));
  assert.equal(err.name, "InternalFailure");
  assert.equal(err.attempts, 3);
  assert.ok(err.message.length <= 1100);
  assert.equal((await seen()).length, 3);
});

test("never retried: validation, UnknownResourceFault, OperationNotPermittedFault, AccessDenied", async () => {
  for (const type of ["UnknownResourceFault", "OperationNotPermittedFault", "AccessDeniedException", "ValidationException"]) {
    await fake.reset();
    await fake.script([{ status: 400, body: { __type: `com.amazonaws.swf.base.model#${type}`, message: "no" } }]);
    const err = await rejection(cancel(client()));
    assert.equal(err.name, type);
    assert.equal(err.attempts, 1);
    assert.equal(err.possiblyAlreadyClosed, false);
    assert.equal((await seen()).length, 1, type);
  }
  await fake.reset();
  await rejection(client().respondActivityTaskCanceled({ taskToken: "" }));
  assert.equal((await seen()).length, 0);
});

test("maxAttempts bounds the attempts (1 disables retries), per client and per call", async () => {
  await fake.script(Array(5).fill({ status: 503, body: "" }));
  const err = await rejection(cancel(client({ maxAttempts: 2 })));
  assert.equal(err.name, "ServiceUnavailable");
  assert.equal(err.attempts, 2);
  assert.equal(err.retryable, true);
  assert.equal((await seen()).length, 2);
  const once = await rejection(cancel(client({ maxAttempts: 2 }), { maxAttempts: 1 }));
  assert.equal(once.attempts, 1);
  assert.equal((await seen()).length, 3);
});

test("a transport failure then UnknownResourceFault is reported as possibly already closed", async () => {
  await fake.script([{ action: "reset" }, { status: 400, body: { __type: "com.amazonaws.swf.base.model#UnknownResourceFault", message: "closed" } }]);
  const err = await rejection(cancel(client()));
  assert.ok(err instanceof UnknownResourceFault);
  assert.equal(err.possiblyAlreadyClosed, true);
  assert.equal(err.attempts, 2);
  // A heartbeat closes nothing: the same sequence is not "possibly already closed".
  await fake.reset();
  await fake.script([{ action: "reset" }, { status: 400, body: { __type: "UnknownResourceFault", message: "closed" } }]);
  const hb = await rejection(client().recordActivityTaskHeartbeat({ taskToken: "tok" }));
  assert.equal(hb.name, "UnknownResourceFault");
  assert.equal(hb.possiblyAlreadyClosed, false);
});

test("a hung server: each attempt times out, then the call rejects TimeoutError", async () => {
  await fake.script([{ action: "hang", seconds: 10 }, { action: "hang", seconds: 10 }]);
  const started = Date.now();
  const err = await rejection(cancel(client({ timeoutMs: 300, maxAttempts: 2 })));
  const took = Date.now() - started;
  assert.ok(err instanceof TimeoutError, `${err}`);
  assert.equal(err.attempts, 2);
  assert.ok(took >= 600 && took < 3000, `took ${took} ms`);
  assert.equal((await seen()).length, 2);
});

test("the overall deadline stops retries and rejects TimeoutError (not retryable)", async () => {
  await fake.script([{ action: "hang", seconds: 10 }, { action: "hang", seconds: 10 }]);
  const started = Date.now();
  const err = await rejection(cancel(client({ timeoutMs: 5000 }), { deadlineMs: 400 }));
  const took = Date.now() - started;
  assert.ok(err instanceof TimeoutError);
  assert.equal(err.retryable, false);
  assert.ok(took >= 350 && took < 2000, `took ${took} ms`);
  assert.equal((await seen()).length, 1);
});

test("abort before the call: AbortError, no request", async () => {
  const controller = new AbortController();
  controller.abort();
  const err = await rejection(cancel(client(), { signal: controller.signal }));
  assert.ok(err instanceof AbortError, `${err}`);
  assert.equal(err.name, "AbortError");
  assert.equal(err.attempts, 0);
  assert.equal((await seen()).length, 0);
});

test("abort during fetch: rejects promptly, no further request", async () => {
  await fake.script([{ action: "hang", seconds: 10 }]);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  const started = Date.now();
  const err = await rejection(cancel(client(), { signal: controller.signal }));
  assert.ok(err instanceof AbortError);
  assert.ok(Date.now() - started < 1500);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await seen()).length, 1);
});

test("abort during backoff: rejects promptly, no further request", async () => {
  const random = Math.random;
  Math.random = () => 0.99; // the first backoff is then ~99 ms of the 100 ms base… make it long:
  try {
    await fake.script(Array(9).fill({ status: 503, body: "" }));
    const controller = new AbortController();
    const swf = client({ maxAttempts: 10 });
    const pending = cancel(swf, { signal: controller.signal });
    // Attempts 1–4 take ~0.1+0.2+0.4 s of backoff; the 4th backoff is ~0.8 s. Abort inside it.
    while ((await fake.requests()).length < 4) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    controller.abort();
    const err = await rejection(pending);
    assert.ok(err instanceof AbortError, `${err}`);
    assert.ok(Date.now() - started < 200, "rejected without waiting out the backoff");
    await new Promise((r) => setTimeout(r, 900));
    assert.equal((await seen()).length, 4);
  } finally {
    Math.random = random;
  }
});

test("clock skew: a 'Signature expired' answer corrects the clock and the retry is signed right", async () => {
  await fake.skew(600); // the server's clock is 10 minutes ahead
  const swf = client();
  await cancel(swf);
  const log = await fake.requests();
  assert.equal(log.length, 2);
  assert.equal(log[0].signature.valid, false);
  assert.equal(log[0].response_status, 403);
  assert.equal(log[1].signature.valid, true, log[1].signature.error);
  assert.ok(Math.abs(swf.clockOffsetMs - 600_000) < 5_000, `offset ${swf.clockOffsetMs}`);
  const firstDate = header(log[0], "x-amz-date");
  const secondDate = header(log[1], "x-amz-date");
  assert.notEqual(firstDate, secondDate, "the retry was signed afresh with the corrected time");
  // The next call is signed with the corrected clock at once.
  await cancel(swf);
  assert.equal((await fake.requests()).length, 3);
});

test("a skewed Date header on a success is learnt too", async () => {
  await fake.script([{ status: 200, body: {}, date_offset_seconds: -900 }]);
  const swf = client();
  await cancel(swf);
  assert.ok(Math.abs(swf.clockOffsetMs + 900_000) < 5_000, `offset ${swf.clockOffsetMs}`);
});

test("credentials provider: cached, refreshed 5 minutes before expiry", async () => {
  let calls = 0;
  const provider = async () => {
    calls += 1;
    return { ...keys, sessionToken: `token-${calls}`, expiration: new Date(Date.now() + 5 * 60_000 + 400) };
  };
  const swf = client({ credentials: provider });
  await cancel(swf);
  await cancel(swf);
  assert.equal(calls, 1, "cached while fresh");
  await new Promise((r) => setTimeout(r, 500));
  await cancel(swf);
  assert.equal(calls, 2, "refreshed once it is within 5 minutes of expiry");
  const tokens = (await seen()).map((r) => header(r, "x-amz-security-token"));
  assert.deepEqual(tokens, ["token-1", "token-1", "token-2"]);
});

test("credentials provider: 50 concurrent calls share one refresh", async () => {
  let calls = 0;
  const provider = async () => {
    calls += 1;
    await new Promise((r) => setTimeout(r, 50));
    return { ...keys, expiration: Date.now() + 3_600_000 };
  };
  const swf = client({ credentials: provider });
  await Promise.all(Array.from({ length: 50 }, () => cancel(swf)));
  assert.equal(calls, 1);
  assert.equal((await seen()).length, 50);
});

test("credentials provider failure rejects CredentialsError, sends nothing, and is retried next call", async () => {
  let calls = 0;
  const provider = async () => {
    calls += 1;
    if (calls === 1) throw new Error("metadata service down");
    if (calls === 2) return { accessKeyId: "A" };
    return keys;
  };
  const swf = client({ credentials: provider });
  const first = await rejection(cancel(swf));
  assert.ok(first instanceof CredentialsError, `${first}`);
  assert.match(first.message, /metadata service down/);
  assert.equal(first.attempts, 0);
  const second = await rejection(cancel(swf));
  assert.ok(second instanceof CredentialsError);
  assert.equal((await seen()).length, 0);
  await cancel(swf);
  assert.equal(calls, 3);
  assert.equal((await seen()).length, 1);
});

test("a synchronous provider and a throwing one are handled the same way", async () => {
  await cancel(client({ credentials: () => keys }));
  const err = await rejection(cancel(client({ credentials: () => { throw new TypeError("boom"); } })));
  assert.ok(err instanceof CredentialsError);
  assert.ok(err instanceof SwfError);
});

test("endpoints: plain http only for loopback unless allowed; no credentials, paths or queries", () => {
  const make = (endpoint, extra = {}) => () => new SwfClient({ region: "us-east-1", credentials: keys, endpoint, ...extra });
  assert.throws(make("http://swf.example.com"), { name: "ValidationError", field: "endpoint" });
  assert.doesNotThrow(make("http://swf.example.com", { allowInsecureEndpoint: true }));
  assert.doesNotThrow(make("http://localhost:8080"));
  for (const bad of ["https://user:pw@swf.example.com", "https://swf.example.com/v1", "https://swf.example.com/?a=1"]) {
    assert.throws(make(bad), { name: "ValidationError", field: "endpoint" }, bad);
  }
});

test("bad limits are refused", () => {
  for (const [options, field] of [[{ maxAttempts: 0 }, "maxAttempts"], [{ maxAttempts: 11 }, "maxAttempts"], [{ timeoutMs: -1 }, "timeoutMs"], [{ deadlineMs: "soon" }, "deadlineMs"]]) {
    assert.throws(() => client(options), { name: "ValidationError", field }, JSON.stringify(options));
  }
});

test("transport errors keep their kind through retries", async () => {
  await fake.script([{ action: "reset" }, { action: "reset" }, { action: "reset" }]);
  const err = await rejection(cancel(client()));
  assert.ok(err instanceof TransportError);
  assert.equal(err.attempts, 3);
  assert.equal(err.retryable, true);
});
