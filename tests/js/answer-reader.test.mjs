// pkg/answer.js on its own: the answer table against botocore's model of SWF (every
// action the package exposes has a reader; each operator answer's timestamp paths are
// exactly the model's), the error-answer rules (code sources and their order, namespaces
// and ':' suffixes, bounded codes, the generic names, client-side names, retryable and
// clock-skew names, the oversize answer), redaction of every string taken from an answer,
// and seeded properties over generated answers. tests/error_codes runs the same reader
// over the table botocore's parser reads; tests/js/answers.test.mjs goes through the package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { ANSWERS, readAnswer, serviceRecord } from "../../pkg/answer.js";
import * as swfEdge from "../../pkg/node.js";

function botocoreDir() {
  if (process.env.BOTOCORE_DIR) return process.env.BOTOCORE_DIR;
  const python = new URL("../../.venv/bin/python3", import.meta.url).pathname;
  return execFileSync(python, ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], { encoding: "utf8" }).trim();
}
const model = JSON.parse(gunzipSync(readFileSync(path.join(botocoreDir(), "data/swf/2012-01-25/service-2.json.gz"))).toString("utf8"));

const same = (text) => text;
const error = (status, body, { requestId = null, errorType = null, redact = same } = {}) =>
  serviceRecord(status, body, requestId, errorType, 65536, redact);

/** Every timestamp path in the output shape `name` (`"*"` for list elements). */
function timestampPaths(name, at = [], found = []) {
  const shape = model.shapes[name];
  if (shape.type === "timestamp") found.push(at);
  else if (shape.type === "structure" && at.length <= 8) {
    for (const [member, { shape: target }] of Object.entries(shape.members)) timestampPaths(target, [...at, member], found);
  } else if (shape.type === "list") timestampPaths(shape.member.shape, [...at, "*"], found);
  return found;
}
const sorted = (paths) => paths.map((p) => p.join(".")).sort();

test("every action of the package has a reader, and each answer's timestamp paths are botocore's", () => {
  const methods = Object.getOwnPropertyNames(swfEdge.SwfClient.prototype);
  const exposed = Object.keys(model.operations).filter((op) => methods.includes(op[0].toLowerCase() + op.slice(1)));
  assert.deepEqual(Object.keys(ANSWERS).sort(), exposed.sort(), "one reader per exposed SWF operation");
  assert.equal(exposed.length, 16);
  for (const name of exposed) {
    const how = ANSWERS[name];
    assert.ok(typeof how === "function" || Array.isArray(how), name);
    const output = model.operations[name].output?.shape;
    const theirs = output ? sorted(timestampPaths(output)) : [];
    assert.deepEqual(Array.isArray(how) ? sorted(how) : [], theirs, `${name}: the answer's timestamp paths`);
  }
});

test("operator answers: timestamps become Dates in place, absent ones are fine, anything else is refused", () => {
  const page = readAnswer(
    "ListOpenWorkflowExecutions",
    JSON.stringify({ executionInfos: [{ startTimestamp: 1700000000.25, closeTimestamp: null }, { startTimestamp: 1 }], nextPageToken: "n" }),
    8 << 20,
    same,
  );
  assert.ok(page.executionInfos[0].startTimestamp instanceof Date);
  assert.equal(page.executionInfos[0].startTimestamp.getTime(), 1_700_000_000_250);
  assert.equal(page.executionInfos[0].closeTimestamp, null);
  assert.equal(page.executionInfos[1].startTimestamp.getTime(), 1000);
  assert.equal(page.nextPageToken, "n");
  assert.deepEqual(readAnswer("CountPendingActivityTasks", " ", 65536, same), {}, "a blank body is {}");
  const refused = [
    ["ListOpenWorkflowExecutions", "[]", /the body is not a JSON object/],
    ["ListOpenWorkflowExecutions", "null", /the body is not a JSON object/],
    ["ListOpenWorkflowExecutions", '{"executionInfos":{}}', /a list in the answer is not an array/],
    ["GetWorkflowExecutionHistory", '{"events":[{"eventTimestamp":"soon"}]}', /eventTimestamp is not a number of epoch seconds/],
    ["DescribeActivityType", "{oops", /the body is not JSON/],
  ];
  for (const [name, body, why] of refused) {
    assert.throws(
      () => readAnswer(name, body, 65536, same),
      (record) => {
        assert.deepEqual(Object.keys(record).sort(), ["kind", "message", "name", "retryable"]);
        assert.equal(record.kind, "response");
        assert.equal(record.name, "ResponseError");
        assert.equal(record.retryable, false);
        assert.match(record.message, new RegExp(`^SWF answered ${name} with a body that is not the expected JSON: `));
        assert.match(record.message, why);
        return true;
      },
      body,
    );
  }
  assert.throws(() => readAnswer("ListDomains", null, 8 << 20, same), { message: "SWF answered ListDomains with a body that is not the expected JSON: it is over 8388608 bytes, this action's cap" });
});

test("a polluted Object.prototype adds nothing to an answer", () => {
  Object.prototype.cancelRequested = true;
  Object.prototype.taskToken = "polluted";
  Object.prototype.__type = "ThrottlingException";
  try {
    assert.throws(() => readAnswer("RecordActivityTaskHeartbeat", "{}", 65536, same), { kind: "response" });
    assert.equal(readAnswer("PollForActivityTask", "{}", 65536, same), null);
    const record = error(400, "{}");
    assert.equal(record.code, "UnknownError");
    assert.equal(record.retryable, false);
  } finally {
    delete Object.prototype.cancelRequested;
    delete Object.prototype.taskToken;
    delete Object.prototype.__type;
  }
  const status = readAnswer("RecordActivityTaskHeartbeat", '{"cancelRequested":false,"__proto__":{"x":1}}', 65536, same);
  assert.deepEqual(Object.keys(status), ["cancelRequested"], "a fresh object with only the documented field");
  assert.equal(Object.getPrototypeOf(status), Object.prototype);
});

test("error codes: __type, then code, then the header; cut at ':', namespace dropped; else the status's name", () => {
  const code = (status, body, errorType) => error(status, body, { errorType }).code;
  assert.equal(code(400, '{"__type":"com.amazonaws.swf.base.model#UnknownResourceFault:http://internal.amazon.com/"}'), "UnknownResourceFault");
  assert.equal(code(400, '{"__type":"com.amazon.coral.validate#ValidationException","code":"Other"}', "Other:x"), "ValidationException");
  assert.equal(code(400, '{"code":"AccessDeniedException"}', "Other"), "AccessDeniedException");
  assert.equal(code(400, "{}", "Other:x"), "Other");
  assert.equal(code(400, "<html>oops</html>", "ThrottlingException:http://internal.amazon.com/coral/"), "ThrottlingException");
  assert.equal(code(400, "{}", ""), "UnknownError");
  assert.equal(code(400, '{"__type":"","code":"Named"}'), "Named", "an empty __type counts as absent");
  assert.equal(code(503, '{"__type":{"a":[1,2]},"Message":"m"}'), "ServiceUnavailable", "a __type that is not a string counts as absent");
  for (const [status, name] of [[503, "ServiceUnavailable"], [500, "InternalFailure"], [502, "InternalFailure"], [599, "InternalFailure"], [429, "Throttling"], [403, "AccessDeniedException"], [418, "UnknownError"], [400, "UnknownError"]]) {
    for (const body of ["", "{}", '{"__ty', "[1]", "null"]) assert.equal(code(status, body), name, `${status} ${body}`);
  }
  // Bounded and plain: 1 to 128 of [A-Za-z0-9_.], else the status's name (the next source is not tried).
  assert.equal(code(400, JSON.stringify({ __type: "A".repeat(128) })), "A".repeat(128));
  assert.equal(code(503, JSON.stringify({ __type: "A".repeat(129) })), "ServiceUnavailable");
  for (const bad of ["a b", "a<b>", "é", "a\n", "a-b", "a/b", "ns#"]) {
    assert.equal(code(400, JSON.stringify({ __type: bad }), "Fine"), "UnknownError", JSON.stringify(bad));
  }
  assert.equal(code(400, '{"__type":"com.amazon.Fault_1"}'), "com.amazon.Fault_1", "dots are kept when there is no '#'");
});

test("error messages: message, Message, errorMessage (the first non-empty string), else a generic one", () => {
  const message = (body, status = 400) => error(status, body).message;
  assert.equal(message('{"__type":"X","message":"lower","Message":"upper"}'), "lower");
  assert.equal(message('{"Message":"upper","errorMessage":"e"}'), "upper");
  assert.equal(message('{"message":"","errorMessage":"slow down"}'), "slow down");
  assert.equal(message('{"__type":"UnknownResourceFault","message":5}'), "SWF answered HTTP 400 without an error message");
  assert.equal(message("not json", 503), "SWF answered HTTP 503 without an error message");
  const oversize = serviceRecord(500, null, "rid", "ThrottlingException:x", 65536, same);
  assert.deepEqual(oversize, {
    kind: "service",
    name: "ThrottlingException",
    code: "ThrottlingException",
    message: "SWF answered with an error body over 65536 bytes (not read)",
    statusCode: 500,
    retryable: true,
    requestId: "rid",
  });
  assert.equal(serviceRecord(400, null, null, null, 65536, same).retryable, false);
  assert.equal(serviceRecord(500, null, null, null, 65536, same).code, "InternalFailure");
});

test("the record: only its documented fields; an empty request id is left out", () => {
  const record = error(400, '{"__type":"UnknownResourceFault","message":"gone","extra":1}', { requestId: "rid-1" });
  assert.deepEqual(record, { kind: "service", name: "UnknownResourceFault", code: "UnknownResourceFault", message: "gone", statusCode: 400, retryable: false, requestId: "rid-1" });
  assert.ok(!("requestId" in error(500, "", { requestId: "" })));
  assert.ok(!("requestId" in error(500, "")));
});

test("a service code never poses as one of swf-edge's own errors: every exported error class's name becomes ServiceError", () => {
  const names = Object.values(swfEdge)
    .filter((value) => typeof value === "function" && value.prototype instanceof Error)
    .map((Class) => (Class === swfEdge.ActivityCancelRequested ? "ActivityCancelRequested" : Class.errorName))
    .filter((name) => !["UnknownResourceFault", "OperationNotPermittedFault"].includes(name));
  assert.ok(names.length >= 12, names.join());
  for (const name of names) {
    const record = error(400, JSON.stringify({ __type: `ns#${name}`, message: "m" }));
    assert.equal(record.name, "ServiceError", name);
    assert.equal(record.code, name, "the code keeps the real one");
  }
  assert.equal(error(400, '{"__type":"UnknownResourceFault"}').name, "UnknownResourceFault", "SWF's own faults keep their names");
});

test("retryable: 500, 502, 503, 504 and the standard mode's names; clock skew: its names, InvalidSignatureException only when the message says so", () => {
  for (const status of [500, 502, 503, 504]) assert.equal(error(status, "").retryable, true, `${status}`);
  for (const status of [400, 403, 404, 501, 505, 429]) assert.equal(error(status, "{}", { errorType: "Fault" }).retryable, false, `${status}`);
  for (const name of ["ThrottlingException", "Throttling", "RequestLimitExceeded", "ServiceUnavailable", "InternalFailure", "SlowDown", "RequestTimeout"]) {
    assert.equal(error(400, JSON.stringify({ __type: name })).retryable, true, name);
  }
  for (const name of ["UnknownResourceFault", "OperationNotPermittedFault", "AccessDeniedException", "ValidationException"]) {
    assert.equal(error(400, JSON.stringify({ __type: name })).retryable, false, name);
  }
  const skew = (body) => error(403, JSON.stringify(body)).clockSkew === true;
  assert.ok(skew({ __type: "InvalidSignatureException", message: "Signature expired: 20200101T000000Z is now earlier than ..." }));
  assert.ok(skew({ __type: "InvalidSignatureException", message: "Signature not yet current: 20300101T000000Z is still later than ..." }));
  assert.ok(!skew({ __type: "InvalidSignatureException", message: "The request signature we calculated does not match" }));
  assert.ok(!("clockSkew" in error(403, '{"__type":"InvalidSignatureException"}')));
  for (const name of ["RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "SignatureDoesNotMatch", "AuthFailure"]) assert.ok(skew({ __type: name }), name);
  assert.ok(!skew({ __type: "UnknownResourceFault", message: "expired" }));
});

test("every string taken from an answer goes through redact: code, name, message and request id", () => {
  const seen = [];
  const redact = (text) => {
    seen.push(text);
    return text.replaceAll("SECRET", "[redacted]").slice(0, 1024);
  };
  const record = error(400, JSON.stringify({ __type: "SECRETFault", message: `key SECRET ${"x".repeat(5000)}` }), { requestId: "rid-SECRET", redact });
  assert.equal(record.code, "[redacted]Fault");
  assert.equal(record.name, "[redacted]Fault");
  assert.equal(record.requestId, "rid-[redacted]");
  assert.ok(record.message.startsWith("key [redacted] x") && record.message.length === 1024);
  assert.ok(seen.includes("SECRETFault") && seen.includes("rid-SECRET"));
  assert.throws(() => readAnswer("RecordActivityTaskHeartbeat", "{}", 65536, () => "redacted!"), { message: "redacted!" });
});

// ------------------------------------------------------------------ seeded properties

/** A small seeded generator (mulberry32): reproducible answers. */
function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (items) => items[int(items.length)];
  const CHARS = ["a", "Z", "0", "_", ".", "#", ":", " ", "é", "😀", "\n", "\u0000", "\uD800", '"', "\\", "-", "/"];
  const text = (max = 40) => Array.from({ length: int(max) }, () => pick(CHARS)).join("");
  const json = (depth = 0) => {
    const kind = int(depth > 2 ? 4 : 6);
    if (kind === 0) return null;
    if (kind === 1) return next() < 0.5;
    if (kind === 2) return pick([0, -1, 1.5, 1e300, int(1e9)]);
    if (kind === 3) return text();
    if (kind === 4) return Array.from({ length: int(4) }, () => json(depth + 1));
    return Object.fromEntries(Array.from({ length: int(4) }, () => [text(8), json(depth + 1)]));
  };
  return { next, int, pick, text, json };
}

const SEED = 0x5eed0017;
const SANE = /^[A-Za-z0-9_.]{1,128}$/;

test("properties: any error answer gives a sane code, a message, its status and a boolean retryable", () => {
  const g = generator(SEED);
  for (let i = 0; i < 3000; i++) {
    const object = {};
    if (g.next() < 0.7) object.__type = g.pick([g.text(), `com.amazonaws.swf.base.model#${g.text(20)}`, "ThrottlingException", g.json()]);
    if (g.next() < 0.3) object.code = g.pick([g.text(), "AccessDeniedException"]);
    if (g.next() < 0.7) object[g.pick(["message", "Message", "errorMessage"])] = g.pick([g.text(), g.json()]);
    const body = g.pick([JSON.stringify(object), JSON.stringify(object), JSON.stringify(g.json()), g.text(), "", null]);
    const status = g.int(1000);
    const errorType = g.pick([null, "", g.text(), `${g.text(10)}:http://x/`]);
    const requestId = g.pick([null, "", g.text(10)]);
    const record = serviceRecord(status, body, requestId, errorType, 65536, same);
    const where = JSON.stringify({ status, body, errorType });
    assert.match(record.code, SANE, where);
    assert.ok(record.name === record.code || record.name === "ServiceError", where);
    assert.ok(typeof record.message === "string" && record.message !== "", where);
    assert.equal(record.statusCode, status);
    assert.equal(typeof record.retryable, "boolean");
    if (requestId) assert.equal(record.requestId, requestId);
    else assert.ok(!("requestId" in record), where);
  }
});

test("properties: a well-formed answer's __type wins (namespace dropped) and its message is kept", () => {
  const g = generator(SEED + 1);
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (let i = 0; i < 2000; i++) {
    const name = letters[g.int(26)] + Array.from({ length: g.int(40) }, () => letters[g.int(52)]).join("");
    const namespace = g.pick(["", "com.amazonaws.swf.base.model#", "a.b#c#", "x#"]);
    const message = g.text(60);
    const key = g.pick(["message", "Message", "errorMessage"]);
    const status = 400 + g.int(200);
    const record = serviceRecord(status, JSON.stringify({ __type: `${namespace}${name}${g.pick(["", ":http://internal/"])}`, [key]: message }), null, g.pick([null, "Header:x"]), 65536, same);
    assert.equal(record.code, name);
    assert.equal(record.message, message === "" ? `SWF answered HTTP ${status} without an error message` : message);
  }
});

test("properties: no answer body makes a reader throw anything but its response record", () => {
  const g = generator(SEED + 2);
  for (let i = 0; i < 3000; i++) {
    const body = g.next() < 0.5 ? JSON.stringify(g.json()) : g.pick([g.text(), "", "{}", '{"taskToken":"t"}', '{"cancelRequested":true}']);
    for (const name of Object.keys(ANSWERS)) {
      try {
        readAnswer(name, body, 65536, same);
      } catch (record) {
        assert.equal(record?.kind, "response", `${name}: ${body}`);
        assert.equal(record.retryable, false);
      }
    }
  }
});
