// The activity-task surface against the local SWF: polling, cancelIfRequested,
// cancelMany over mixed states, watchCancellation and runActivity with real awaited work.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SwfClient, SwfError, ValidationError, ActivityCancelRequested } from "../../pkg/node.js";
import { startSwfLocal, eventsOf, LOCAL_CREDENTIALS, LOCAL_REGION } from "../support/swf-local.mjs";

let local;
let swf;
before(async () => {
  local = await startSwfLocal();
  swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
});
after(() => local?.stop());

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

async function pollOne(domain, taskList) {
  const task = await swf.pollForActivityTask({ domain, taskList: { name: taskList }, identity: "swf-edge-test" });
  assert.ok(task, "a task was waiting");
  return task;
}

test("pollForActivityTask returns the scheduled task, then null when none is left", async () => {
  const { domain, taskList, tasks: [scheduled] } = await local.scenario("prepare", { count: 1, noPoll: true });
  const task = await pollOne(domain, taskList);
  assert.equal(typeof task.taskToken, "string");
  assert.equal(task.activityId, scheduled.activityId);
  assert.equal(task.input, scheduled.input);
  assert.deepEqual(task.workflowExecution, { workflowId: scheduled.workflowId, runId: scheduled.runId });
  assert.equal(task.activityType.name.length > 0, true);
  assert.equal(typeof task.startedEventId, "number");
  const [started] = await eventsOf(local, scheduled, "ActivityTaskStarted");
  assert.equal(started.activityTaskStartedEventAttributes.identity, "swf-edge-test");
  assert.equal(await swf.pollForActivityTask({ domain, taskList: { name: taskList } }), null);
  await assert.rejects(swf.pollForActivityTask({ domain, taskList: {} }), { name: "ValidationError", field: "taskList.name" });
});

test("cancelIfRequested cancels only when SWF says so", async () => {
  const { tasks: [requested, running] } = await local.scenario("prepare", { count: 2, cancelRequested: 1 });
  assert.deepEqual(await swf.cancelIfRequested({ taskToken: running.taskToken, details: "x" }), { canceled: false, cancelRequested: false });
  assert.deepEqual(await swf.cancelIfRequested({ taskToken: requested.taskToken, details: "safe cancel", heartbeatDetails: "90%" }), {
    canceled: true,
    cancelRequested: true,
  });
  const [canceled] = await eventsOf(local, requested, "ActivityTaskCanceled");
  assert.equal(canceled.activityTaskCanceledEventAttributes.details, "safe cancel");
  assert.deepEqual(await eventsOf(local, running, "ActivityTaskCanceled"), []);
  // Validated as a whole before the heartbeat: an oversize cancel detail sends nothing.
  const err = await swf.cancelIfRequested({ taskToken: running.taskToken, details: "d".repeat(32769) }).catch((e) => e);
  assert.ok(err instanceof ValidationError);
  assert.equal(err.field, "details");
  assert.equal(err.attempts, 0);
});

test("cancelMany over 60 tasks in mixed states: exact per-item results in input order", async () => {
  const { tasks } = await local.scenario("prepare", { count: 55, cancelRequested: 20 });
  const requested = tasks.slice(0, 20);
  const running = tasks.slice(20, 45);
  const closed = tasks.slice(45, 55);
  for (const task of closed) await swf.respondActivityTaskCompleted({ taskToken: task.taskToken });
  const garbage = ["garbage-1", "garbage-2", "", "x".repeat(2000), "garbage-5"];
  // Interleave so that input order matters.
  const input = [];
  const expected = [];
  const groups = [
    [requested, "canceled"],
    [running, "not-requested"],
    [closed, "UnknownResourceFault"],
  ];
  for (let i = 0; i < 25; i++) {
    for (const [group, outcome] of groups) {
      if (group[i]) {
        input.push(i % 2 ? group[i].taskToken : { taskToken: group[i].taskToken, details: `own ${i}` });
        expected.push(outcome);
      }
    }
    if (garbage[i] !== undefined) {
      input.push(garbage[i]);
      expected.push(garbage[i] === "" || garbage[i].length > 1024 ? "ValidationError" : "ValidationException");
    }
  }
  assert.equal(input.length, 60);
  const results = await swf.cancelMany(input, { concurrency: 8, details: "batch cancel" });
  assert.equal(results.length, 60);
  results.forEach((result, i) => {
    const token = typeof input[i] === "string" ? input[i] : input[i].taskToken;
    assert.equal(result.taskToken, token, `item ${i}`);
    if (expected[i] === "canceled" || expected[i] === "not-requested") {
      assert.equal(result.status, expected[i], `item ${i}: ${result.error}`);
      assert.equal(result.error, undefined);
    } else {
      assert.equal(result.status, "error", `item ${i}`);
      assert.ok(result.error instanceof SwfError);
      assert.equal(result.error.name, expected[i], `item ${i}`);
    }
  });
  for (const [k, task] of requested.entries()) {
    const [event] = await eventsOf(local, task, "ActivityTaskCanceled");
    const i = input.findIndex((x) => (typeof x === "string" ? x : x.taskToken) === task.taskToken);
    const own = typeof input[i] === "string" ? "batch cancel" : input[i].details;
    assert.equal(event.activityTaskCanceledEventAttributes.details, own, `requested task ${k}`);
  }
});

test("cancelMany with onlyIfRequested: false cancels running tasks too; bad arguments reject", async () => {
  const { tasks } = await local.scenario("prepare", { count: 3 });
  const results = await swf.cancelMany(tasks.map((t) => t.taskToken), { onlyIfRequested: false, concurrency: 2 });
  assert.deepEqual(results.map((r) => r.status), ["canceled", "canceled", "canceled"]);
  await assert.rejects(swf.cancelMany("tok"), { name: "ValidationError", field: "tasks" });
  await assert.rejects(swf.cancelMany([], { concurrency: 0 }), { name: "ValidationError", field: "concurrency" });
  await assert.rejects(swf.cancelMany([], { concurency: 2 }), { name: "ValidationError", field: "concurency" });
  assert.deepEqual(await swf.cancelMany([]), []);
});

test("cancelMany stops when its signal aborts: unfinished tasks report AbortError", async () => {
  const { tasks } = await local.scenario("prepare", { count: 6, cancelRequested: 6 });
  const controller = new AbortController();
  controller.abort();
  const results = await swf.cancelMany(tasks.map((t) => t.taskToken), { signal: controller.signal, concurrency: 2 });
  assert.deepEqual(results.map((r) => r.error?.name), Array(6).fill("AbortError"));
  for (const task of tasks) assert.deepEqual(await eventsOf(local, task, "ActivityTaskCanceled"), []);
});

test("watchCancellation: the signal aborts with ActivityCancelRequested after the cancel request", async () => {
  const { tasks: [task] } = await local.scenario("prepare", { count: 1 });
  const watch = swf.watchCancellation(task.taskToken, { intervalMs: 50, details: () => "working" });
  await sleep(200);
  assert.equal(watch.signal.aborted, false);
  await local.scenario("request-cancel", { workflowId: task.workflowId, runId: task.runId });
  const started = Date.now();
  while (!watch.signal.aborted && Date.now() - started < 5000) await sleep(20);
  assert.equal(watch.signal.aborted, true);
  assert.ok(watch.signal.reason instanceof ActivityCancelRequested);
  assert.equal(watch.signal.reason.name, "ActivityCancelRequested");
  watch.stop();
});

test("watchCancellation on a closed task aborts with UnknownResourceFault; stop() stops", async () => {
  const { tasks: [a, b] } = await local.scenario("prepare", { count: 2 });
  await swf.respondActivityTaskCompleted({ taskToken: a.taskToken });
  const watch = swf.watchCancellation(a.taskToken, { intervalMs: 50 });
  const started = Date.now();
  while (!watch.signal.aborted && Date.now() - started < 5000) await sleep(20);
  assert.equal(watch.signal.reason?.name, "UnknownResourceFault");
  const stopped = swf.watchCancellation(b.taskToken, { intervalMs: 20 });
  stopped.stop();
  await local.scenario("request-cancel", { workflowId: b.workflowId, runId: b.runId });
  await sleep(200);
  assert.equal(stopped.signal.aborted, false, "a stopped watch no longer heartbeats");
});

test("runActivity: real work canceled mid-way closes the task as canceled, exactly once", async () => {
  const { domain, taskList, tasks: [scheduled] } = await local.scenario("prepare", { count: 1, noPoll: true });
  const task = await pollOne(domain, taskList);
  let steps = 0;
  const run = swf.runActivity(
    task,
    async ({ input, signal }) => {
      assert.equal(input, scheduled.input);
      for (;;) {
        await sleep(30, signal); // real awaited work that honours the signal
        steps += 1;
      }
    },
    { intervalMs: 50, cancelDetails: "stopped at the operator's request" },
  );
  await sleep(250);
  await local.scenario("request-cancel", { workflowId: scheduled.workflowId, runId: scheduled.runId });
  const outcome = await run;
  assert.equal(outcome.status, "canceled");
  assert.ok(outcome.error instanceof ActivityCancelRequested);
  assert.ok(steps > 3, `the handler worked before the cancel (${steps} steps)`);
  const events = await eventsOf(local, scheduled, "ActivityTaskCanceled");
  assert.equal(events.length, 1);
  assert.equal(events[0].activityTaskCanceledEventAttributes.details, "stopped at the operator's request");
  assert.deepEqual(await eventsOf(local, scheduled, "ActivityTaskCompleted"), []);
  assert.deepEqual(await eventsOf(local, scheduled, "ActivityTaskFailed"), []);
});

test("runActivity: a result completes the task; a throw fails it", async () => {
  const { domain, taskList, tasks: [first, second] } = await local.scenario("prepare", { count: 2, noPoll: true });
  const t1 = await pollOne(domain, taskList);
  const t2 = await pollOne(domain, taskList);
  const byRun = new Map([[first.runId, first], [second.runId, second]]);
  const done = await swf.runActivity(t1, async () => ({ ok: true, n: 42 }), { intervalMs: 50 });
  assert.deepEqual(done, { status: "completed", result: { ok: true, n: 42 } });
  const [completed] = await eventsOf(local, byRun.get(t1.workflowExecution.runId), "ActivityTaskCompleted");
  assert.equal(completed.activityTaskCompletedEventAttributes.result, '{"ok":true,"n":42}');

  const failed = await swf.runActivity(t2, async () => {
    await sleep(20);
    throw new RangeError("out of widgets");
  });
  assert.equal(failed.status, "failed");
  const [event] = await eventsOf(local, byRun.get(t2.workflowExecution.runId), "ActivityTaskFailed");
  assert.equal(event.activityTaskFailedEventAttributes.reason, "RangeError");
  assert.equal(event.activityTaskFailedEventAttributes.details, "out of widgets");
  await assert.rejects(swf.runActivity({}, () => 1), { name: "ValidationError", field: "task" });
  await assert.rejects(swf.runActivity(t2, "not a function"), { name: "ValidationError", field: "handler" });
});
