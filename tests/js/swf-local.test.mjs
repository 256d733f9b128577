// End to end through the built package (Node entry) against the local SWF: moto plus
// tests/swf_local's cancellation semantics. Asserts error names, never message text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SwfClient, SwfError, UnknownResourceFault } from "../../pkg/node.js";
import { startSwfLocal, eventsOf, LOCAL_CREDENTIALS, LOCAL_REGION } from "../support/swf-local.mjs";
import { rejection } from "../support/assert.mjs";

let local;
let swf;
before(async () => {
  local = await startSwfLocal();
  swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
});
after(() => local?.stop());


test("lifecycle: cancel requested → heartbeat says so → canceled with details → history", async () => {
  const { tasks } = await local.scenario("prepare", { count: 2, cancelRequested: 1 });
  const [requested, running] = tasks;

  assert.deepEqual(await swf.recordActivityTaskHeartbeat({ taskToken: running.taskToken }), { cancelRequested: false });
  assert.deepEqual(await swf.recordActivityTaskHeartbeat({ taskToken: requested.taskToken, details: "50%" }), {
    cancelRequested: true,
  });

  const details = "operator cancelled: é中😀";
  assert.equal(await swf.respondActivityTaskCanceled({ taskToken: requested.taskToken, details }), undefined);

  const [canceled, ...more] = await eventsOf(local, requested, "ActivityTaskCanceled");
  assert.equal(more.length, 0);
  const attrs = canceled.activityTaskCanceledEventAttributes;
  assert.equal(attrs.details, details);
  const [cancelRequest] = await eventsOf(local, requested, "ActivityTaskCancelRequested");
  const [started] = await eventsOf(local, requested, "ActivityTaskStarted");
  const [scheduled] = await eventsOf(local, requested, "ActivityTaskScheduled");
  assert.equal(attrs.latestCancelRequestedEventId, cancelRequest.eventId);
  assert.equal(attrs.startedEventId, started.eventId);
  assert.equal(attrs.scheduledEventId, scheduled.eventId);
  assert.deepEqual(await eventsOf(local, running, "ActivityTaskCanceled"), [], "the other task is untouched");
});

test("canceling twice rejects UnknownResourceFault the second time", async () => {
  const { tasks: [task] } = await local.scenario("prepare", { count: 1, cancelRequested: 1 });
  await swf.respondActivityTaskCanceled({ taskToken: task.taskToken });
  const err = await rejection(swf.respondActivityTaskCanceled({ taskToken: task.taskToken, details: "again" }));
  assert.ok(err instanceof UnknownResourceFault, `${err}`);
  assert.ok(err instanceof SwfError);
  assert.equal(err.name, "UnknownResourceFault");
  assert.equal(err.statusCode, 400);
  assert.equal(err.retryable, false);
  assert.equal(typeof err.requestId, "string");
  assert.equal((await eventsOf(local, task, "ActivityTaskCanceled")).length, 1);
});

test("a task closed another way cannot be canceled", async () => {
  const { tasks: [completed, failed] } = await local.scenario("prepare", { count: 2 });
  await swf.respondActivityTaskCompleted({ taskToken: completed.taskToken, result: "done" });
  await swf.respondActivityTaskFailed({ taskToken: failed.taskToken, reason: "boom", details: "stack" });
  for (const task of [completed, failed]) {
    const err = await rejection(swf.respondActivityTaskCanceled({ taskToken: task.taskToken }));
    assert.equal(err.name, "UnknownResourceFault");
    const err2 = await rejection(swf.recordActivityTaskHeartbeat({ taskToken: task.taskToken }));
    assert.equal(err2.name, "UnknownResourceFault");
  }
  const [done] = await eventsOf(local, completed, "ActivityTaskCompleted");
  assert.equal(done.activityTaskCompletedEventAttributes.result, "done");
  const [fail] = await eventsOf(local, failed, "ActivityTaskFailed");
  assert.equal(fail.activityTaskFailedEventAttributes.reason, "boom");
  assert.equal(fail.activityTaskFailedEventAttributes.details, "stack");
});

test("a garbage token rejects with the service's typed error", async () => {
  const err = await rejection(swf.respondActivityTaskCanceled({ taskToken: "not-a-real-token" }));
  assert.ok(err instanceof SwfError, `${err}`);
  assert.equal(err.name, "ValidationException"); // what the local SWF (moto) names it
  assert.equal(err.statusCode, 400);
  assert.equal(err.retryable, false);
});
