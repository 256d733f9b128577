// How the package reads SWF's answers (pkg/answer.js, with JSON.parse):
// every success shape of each action, malformed ones, and error bodies, through the built
// package with a stubbed global fetch (no server: the answers are exactly what is tested).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { SwfClient, SwfError } from "../../pkg/node.js";

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** A client whose every request is answered with `status`, `body` and `headers`. */
function answering(body, { status = 200, headers = {} } = {}) {
  globalThis.fetch = async () => new Response(body, { status, headers });
  return new SwfClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDANSWERS", secretAccessKey: "answers-secret" },
    maxAttempts: 1,
  });
}

const token = { taskToken: "tok" };
const poll = { domain: "d", taskList: { name: "l" } };

test("heartbeat answers: cancelRequested must be a boolean", async () => {
  for (const flag of [true, false]) {
    const status = await answering(JSON.stringify({ cancelRequested: flag, extra: 1 })).recordActivityTaskHeartbeat(token);
    assert.deepEqual(status, { cancelRequested: flag }, "only the documented field");
  }
  for (const body of ["", "{}", '{"cancelRequested":"true"}', '{"cancelRequested":1}', "[true]", "null", "<html>", '{"cancelRequested":tru']) {
    await assert.rejects(answering(body).recordActivityTaskHeartbeat(token), (e) => {
      assert.ok(e instanceof SwfError, body);
      assert.equal(e.name, "ResponseError", body);
      assert.match(e.message, /^SWF answered RecordActivityTaskHeartbeat with a body that is not the expected JSON: /, body);
      assert.equal(e.retryable, false);
      return true;
    });
  }
});

test("empty answers: any JSON or nothing resolves undefined; other text is a ResponseError", async () => {
  for (const body of ["", "  ", "{}", '{"extra":[1,2]}', "null", "[]"]) {
    assert.equal(await answering(body).respondActivityTaskCanceled(token), undefined, JSON.stringify(body));
  }
  await assert.rejects(answering("<html>").respondActivityTaskCanceled(token), { name: "ResponseError" });
});

const task = {
  taskToken: "AAAA-task",
  activityId: "a-1",
  startedEventId: 7,
  workflowExecution: { workflowId: "wf", runId: "run" },
  activityType: { name: "resize", version: "2" },
  input: "in",
};

test("poll answers: a task with only its documented fields, or null when empty", async () => {
  assert.deepEqual(await answering(JSON.stringify({ ...task, extra: true })).pollForActivityTask(poll), task);
  const { input, ...withoutInput } = task;
  assert.deepEqual(await answering(JSON.stringify(withoutInput)).pollForActivityTask(poll), withoutInput);
  for (const body of ["", "{}", '{"taskToken":""}', '{"taskToken":null}', '{"startedEventId":0,"previousStartedEventId":0}']) {
    assert.equal(await answering(body).pollForActivityTask(poll), null, body);
  }
});

test("poll answers missing or mistyping a field are ResponseErrors naming it", async () => {
  const cases = [
    [{ activityId: undefined }, /activityId/],
    [{ activityId: 5 }, /activityId/],
    [{ startedEventId: "7" }, /startedEventId/],
    [{ startedEventId: 7.5 }, /startedEventId/],
    [{ workflowExecution: { workflowId: "wf" } }, /workflowExecution\.runId/],
    [{ workflowExecution: "wf" }, /workflowExecution\.workflowId/],
    [{ activityType: { name: "n" } }, /activityType\.version/],
    [{ activityType: null }, /activityType\.name/],
    [{ input: 3 }, /input/],
    [{ taskToken: 42 }, /taskToken/],
    [{ taskToken: ["tok"] }, /taskToken/],
  ];
  for (const [change, pattern] of cases) {
    const body = JSON.stringify({ ...task, ...change });
    await assert.rejects(answering(body).pollForActivityTask(poll), (e) => {
      assert.equal(e.name, "ResponseError", body);
      assert.match(e.message, pattern, body);
      return true;
    });
  }
});

test("error bodies: __type, message/Message/errorMessage, else the header, else the status", async () => {
  const cases = [
    [{ __type: "com.amazonaws.swf.base.model#UnknownResourceFault", message: "Unknown activity" }, {}, 400, "UnknownResourceFault", "Unknown activity"],
    [{ __type: "OperationNotPermittedFault", Message: "denied" }, {}, 400, "OperationNotPermittedFault", "denied"],
    [{ __type: "ThrottlingException", message: "", errorMessage: "slow down" }, {}, 400, "ThrottlingException", "slow down"],
    [{ __type: 42, message: ["x"] }, { "x-amzn-ErrorType": "ValidationException:http://x/" }, 400, "ValidationException", /without an error message/],
    ["not json", {}, 503, "ServiceUnavailable", /HTTP 503/],
    [[1, 2], {}, 500, "InternalFailure", /HTTP 500/],
  ];
  for (const [body, headers, status, name, message] of cases) {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    await assert.rejects(answering(text, { status, headers: { "x-amzn-RequestId": "rid-9", ...headers } }).respondActivityTaskCanceled(token), (e) => {
      assert.equal(e.name, name, text);
      assert.equal(e.statusCode, status, text);
      assert.equal(e.requestId, "rid-9", text);
      if (message instanceof RegExp) assert.match(e.message, message, text);
      else assert.equal(e.message, message, text);
      return true;
    });
  }
});

test("lone surrogates are refused with and without String.prototype.isWellFormed", async () => {
  const own = Object.getOwnPropertyDescriptor(String.prototype, "isWellFormed");
  const check = async (label) => {
    const swf = answering("{}");
    for (const bad of ["a\uD800", "\uDC00b", "x\uDBFFy"]) {
      await assert.rejects(swf.respondActivityTaskCanceled({ taskToken: bad }), (e) => {
        assert.equal(e.name, "ValidationError", `${label}: ${JSON.stringify(bad)}`);
        assert.match(e.message, /lone surrogate/);
        return true;
      });
    }
    for (const good of ["😀", "\uD83D\uDE00 ok", "é"]) {
      assert.equal(await swf.respondActivityTaskCanceled({ taskToken: good }), undefined, `${label}: ${good}`);
    }
  };
  assert.ok(own, "this Node has isWellFormed");
  await check("isWellFormed");
  delete String.prototype.isWellFormed;
  try {
    await check("fallback");
  } finally {
    Object.defineProperty(String.prototype, "isWellFormed", own);
  }
});
