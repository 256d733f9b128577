// swf-edge (the built package, Node entry) against the signature-checking fake SWF:
// what goes on the wire, every error shape, validation before I/O, transport failures.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import {
  SwfClient,
  SwfError,
  ValidationError,
  TransportError,
  UnknownResourceFault,
  OperationNotPermittedFault,
} from "../../pkg/node.js";
import { startFakeSwf, FAKE_ACCESS_KEY, FAKE_SECRET, FAKE_REGION } from "../fake_swf/client.mjs";
import { rejection } from "../support/assert.mjs";

const SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token-0123456789";
let fake;
before(async () => {
  fake = await startFakeSwf();
});
after(() => fake?.stop());
beforeEach(() => fake.reset());

// One attempt per call here: retries have their own tests (reliability.test.mjs).
function client(overrides = {}) {
  return new SwfClient({
    region: FAKE_REGION,
    endpoint: fake.url,
    credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: FAKE_SECRET },
    maxAttempts: 1,
    ...overrides,
  });
}


test("sends a correctly signed RespondActivityTaskCanceled and resolves undefined", async () => {
  const result = await client().respondActivityTaskCanceled({ taskToken: "tok-1", details: "operator cancelled" });
  assert.equal(result, undefined);
  const [req, ...rest] = await fake.requests();
  assert.equal(rest.length, 0);
  assert.equal(req.method, "POST");
  assert.equal(req.path, "/");
  assert.equal(req.target, "SimpleWorkflowService.RespondActivityTaskCanceled");
  assert.deepEqual(req.json, { taskToken: "tok-1", details: "operator cancelled" });
  assert.deepEqual(req.signature, { ...req.signature, valid: true, error: null });
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  assert.equal(headers["content-type"], "application/x-amz-json-1.0");
  assert.equal(headers["x-amz-security-token"], undefined);
});

test("omits absent details and signs the session token", async () => {
  const swf = client({
    credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: FAKE_SECRET, sessionToken: SESSION_TOKEN },
  });
  await swf.respondActivityTaskCanceled({ taskToken: "tok-2" });
  const [req] = await fake.requests();
  assert.deepEqual(req.json, { taskToken: "tok-2" });
  assert.equal(req.signature.valid, true, req.signature.error);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  assert.equal(headers["x-amz-security-token"], SESSION_TOKEN);
  assert.match(headers.authorization, /SignedHeaders=[^,]*x-amz-security-token/);
});

test("every call is signed afresh (unicode details too)", async () => {
  const swf = client();
  for (const details of ["é中😀", "a\nb \"q\" \\", ""]) {
    await swf.respondActivityTaskCanceled({ taskToken: "t", details });
  }
  const log = await fake.requests();
  assert.equal(log.length, 3);
  assert.ok(log.every((r) => r.signature.valid), JSON.stringify(log.map((r) => r.signature)));
  assert.deepEqual(log.map((r) => r.json.details), ["é中😀", "a\nb \"q\" \\", ""]);
});

test("success bodies: empty, {} and a mislabelled content type all resolve", async () => {
  await fake.script([
    { status: 200, body: "" },
    { status: 200, body: {} },
    { status: 200, body: "{}", headers: { "content-type": "text/html" } },
  ]);
  const swf = client();
  for (let i = 0; i < 3; i++) assert.equal(await swf.respondActivityTaskCanceled({ taskToken: "t" }), undefined);
});

const errorShapes = [
  { status: 400, body: { __type: "com.amazonaws.swf.base.model#UnknownResourceFault", message: "Unknown activity" }, name: "UnknownResourceFault", cls: UnknownResourceFault, retryable: false },
  { status: 400, body: { __type: "com.amazonaws.swf.base.model#OperationNotPermittedFault", message: "not allowed" }, name: "OperationNotPermittedFault", cls: OperationNotPermittedFault, retryable: false },
  { status: 400, body: { __type: "com.amazon.coral.validate#ValidationException", message: "bad" }, name: "ValidationException", retryable: false },
  { status: 400, body: { __type: "com.amazon.coral.availability#ThrottlingException", message: "Rate exceeded" }, name: "ThrottlingException", retryable: true },
  { status: 400, body: { __type: "AccessDeniedException", Message: "denied" }, name: "AccessDeniedException", retryable: false },
  { status: 400, body: { __type: "com.amazon.coral.service#UnrecognizedClientException", message: "bad key" }, name: "UnrecognizedClientException", retryable: false },
  { status: 500, body: "", name: "InternalFailure", retryable: true },
  { status: 503, body: { __type: "ServiceUnavailable" }, name: "ServiceUnavailable", retryable: true },
  { status: 400, body: "<html>proxy says no</html>", headers: { "x-amzn-ErrorType": "ThrottlingException:http://internal.amazon.com/coral/" }, name: "ThrottlingException", retryable: true },
  { status: 500, action: "truncated", body: '{"__type": "Inter', name: "InternalFailure", retryable: true },
];

for (const shape of errorShapes) {
  test(`error shape: HTTP ${shape.status} → ${shape.name}`, async () => {
    const { name, cls, retryable, ...entry } = shape;
    await fake.script([entry]);
    const err = await rejection(client().respondActivityTaskCanceled({ taskToken: "t" }));
    assert.ok(err instanceof SwfError, `${err}`);
    assert.ok(err instanceof Error);
    if (cls) assert.ok(err instanceof cls, `${err.constructor.name} is not ${cls.name}`);
    assert.equal(err.name, name);
    assert.equal(err.statusCode, shape.status);
    assert.equal(err.retryable, retryable);
    assert.match(err.requestId, /^[0-9a-f-]{36}$/, "x-amzn-RequestId is surfaced");
    assert.equal(typeof err.message, "string");
    assert.ok(err.message.length > 0);
  });
}

test("a real signature mismatch (wrong secret) surfaces the service's error name", async () => {
  const swf = client({ credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: "not-the-secret-0000" } });
  const err = await rejection(swf.respondActivityTaskCanceled({ taskToken: "t" }));
  assert.equal(err.name, "InvalidSignatureException");
  assert.equal(err.statusCode, 403);
  assert.ok(!err.message.includes("not-the-secret-0000"));
  const [req] = await fake.requests();
  assert.equal(req.signature.valid, false);
});

test("a huge error body is read and its message cut", async () => {
  await fake.script([{ action: "large", status: 500, bytes: 2_000_000 }]);
  const err = await rejection(client().respondActivityTaskCanceled({ taskToken: "t" }));
  assert.ok(err instanceof SwfError);
  assert.equal(err.statusCode, 500);
  assert.ok(err.message.length <= 1100, `message length ${err.message.length}`);
});

test("invalid input rejects with ValidationError and sends nothing", async () => {
  const swf = client();
  const inputs = [
    undefined,
    null,
    "tok",
    42,
    [],
    {},
    { taskToken: "" },
    { taskToken: 7 },
    { taskToken: null },
    { taskToken: "x".repeat(1025) },
    { taskToken: "t", details: "d".repeat(32769) },
    { taskToken: "t", details: 5 },
    { taskToken: "t", detail: "typo" },
    { taskToken: "t\ud800" },
    { taskToken: "t", details: 10n },
  ];
  for (const input of inputs) {
    const err = await rejection(swf.respondActivityTaskCanceled(input));
    assert.ok(err instanceof ValidationError, `${JSON.stringify(String(input))}: ${err}`);
    assert.equal(err.name, "ValidationError");
    assert.equal(err.retryable, false);
    assert.equal(err.statusCode, undefined);
  }
  const checks = [
    [{ taskToken: "" }, "taskToken"],
    [{}, "taskToken"],
    [{ taskToken: "t", details: "d".repeat(32769) }, "details"],
    [{ taskToken: "t", detail: "typo" }, "detail"],
  ];
  for (const [input, field] of checks) {
    assert.equal((await rejection(swf.respondActivityTaskCanceled(input))).field, field);
  }
  assert.deepEqual(await fake.requests(), [], "no request reached the server");
  // The limits themselves are accepted.
  await swf.respondActivityTaskCanceled({ taskToken: "x".repeat(1024), details: "😀".repeat(32768) });
  assert.equal((await fake.requests()).length, 1);
});

test("bad options throw ValidationError synchronously, naming the field", () => {
  const cases = [
    [undefined, undefined],
    [{ credentials: { accessKeyId: "A", secretAccessKey: "S" } }, "region"],
    [{ region: "us-east-1" }, "credentials"],
    [{ region: "moon-1", credentials: { accessKeyId: "A", secretAccessKey: "S" } }, "region"],
    [{ region: "us-east-1", credentials: { accessKeyId: "A", secretAccessKey: "" } }, "credentials.secretAccessKey"],
    [{ region: "us-east-1", credentials: { accessKeyId: "A", secretAccessKey: "S" }, endpoint: "http://example.com" }, "endpoint"],
    [{ region: "us-east-1", credentials: { accessKeyId: "A", secretAccessKey: "S" }, endpoint: "https://x.test/path" }, "endpoint"],
    [{ region: "us-east-1", credentials: { accessKeyId: "A", secretAccessKey: "S" }, retries: 3 }, "retries"],
  ];
  for (const [options, field] of cases) {
    assert.throws(() => new SwfClient(options), (e) => e instanceof ValidationError && e.field === field, JSON.stringify(options));
  }
});

test("a connection reset rejects with a retryable TransportError", async () => {
  await fake.script([{ action: "reset" }, { action: "reset_mid_body", status: 200, body: { padding: "x".repeat(100_000) } }]);
  const swf = client();
  for (let i = 0; i < 2; i++) {
    const err = await rejection(swf.respondActivityTaskCanceled({ taskToken: "t" }));
    assert.ok(err instanceof TransportError, `${err}`);
    assert.equal(err.name, "TransportError");
    assert.equal(err.retryable, true);
    assert.equal(err.statusCode, undefined);
  }
});

test("nothing listening rejects with TransportError", async () => {
  const closed = await startFakeSwf();
  const url = closed.url;
  await closed.stop();
  const swf = new SwfClient({ region: FAKE_REGION, endpoint: url, credentials: { accessKeyId: "A", secretAccessKey: "S" }, maxAttempts: 1 });
  const err = await rejection(swf.respondActivityTaskCanceled({ taskToken: "t" }));
  assert.ok(err instanceof TransportError);
  assert.match(err.message, /ECONNREFUSED/);
});

test("secrets never appear in toString, JSON, inspect or any error", async () => {
  const secret = "SECRET-KEY-VALUE-1234567890";
  const token = "SESSION-TOKEN-VALUE-0987654321";
  const swf = client({ credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: secret, sessionToken: token } });
  const { inspect } = await import("node:util");
  const texts = [String(swf), JSON.stringify(swf), inspect(swf, { showHidden: true, depth: 5 })];
  await fake.script([
    { status: 403, body: { __type: "InvalidSignatureException", message: `echo ${secret} and ${token}` } },
    { action: "reset" },
  ]);
  for (let i = 0; i < 3; i++) {
    const err = await rejection(swf.respondActivityTaskCanceled({ taskToken: "t", ...(i === 2 ? { details: 1 } : {}) }));
    texts.push(String(err), err.stack, JSON.stringify(err), inspect(err, { showHidden: true, depth: 5 }));
  }
  for (const text of texts) {
    assert.ok(!text.includes(secret) && !text.includes(token), `leaked in: ${text}`);
  }
  assert.ok(texts.some((t) => t.includes("[redacted]")), "the echoed secret was redacted, not dropped silently");
});
