// The durable worker end to end, in Miniflare (workerd, SQLite Durable Objects, alarms,
// Cron) against the local SWF through a counting loopback proxy, with the swf_local decider
// scheduling the activities: the happy paths, heartbeats, cancellation, the deadline.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSwfLocal } from "../support/swf-local.mjs";
import { startDecider } from "../support/decider.mjs";
import { allClosed, localClient, persistDir, planItem, startProxy, startWorker, swfBatch, until } from "./support.mjs";

let local;
let proxy;
let decider;
let swf;
const DECISIONS = `durable-basic-decisions-${process.pid}`;

before(async () => {
  local = await startSwfLocal();
  proxy = await startProxy(local.url);
  decider = await startDecider(local, { domain: "swf-edge-local", taskList: DECISIONS });
  swf = await localClient(local.url);
});
after(async () => {
  await decider?.stop();
  await proxy?.stop();
  await local?.stop();
});

/** Fast windows for tests: heartbeats every 0.5 × timeout (≥ 100 ms), quick backoff. */
const FAST = { heartbeat: { firstDelayMs: 200, minIntervalMs: 100 }, keepAliveMs: 1000, pollBackoff: { baseMs: 100, maxMs: 1000, throttledMs: 300 } };

async function start(workflows, taskList) {
  const { executions } = await swfBatch({ op: "start", endpoint: local.url, taskList: DECISIONS, workflows });
  return executions;
}

const closed = (executions, timeoutMs) => allClosed(swf, executions, { timeoutMs });

test("echo, sleep and a failing sleep: one closing event each, the registry shows them closed, no token in any answer", async () => {
  const taskList = `durable-basic-${process.pid}`;
  const worker = await startWorker({ persist: persistDir("basic"), endpoint: proxy.url, taskList, options: FAST });
  try {
    assert.deepEqual((await worker.scheduled()).outcome, "ok");
    const executions = await start(
      [
        { activities: [planItem("echo", "echo", "hello é中😀", taskList)] },
        { activities: [planItem("sleep", "sleep", "1500", taskList, { heartbeatTimeout: "2", startToCloseTimeout: "60" })] },
        { activities: [planItem("bad", "sleep", "not a number", taskList)] },
      ],
      taskList,
    );
    const found = await closed(executions);
    assert.deepEqual(found.map((e) => Object.values(e.activities)[0].map((c) => c.type)), [["ActivityTaskCompleted"], ["ActivityTaskCompleted"], ["ActivityTaskFailed"]]);
    assert.equal(Object.values(found[2].activities)[0][0].reason, "RangeError");

    const { json: list, status } = await worker.post("/workers/tasks", {});
    assert.equal(status, 200);
    assert.equal(list.tasks.length, 3);
    const byActivity = Object.fromEntries(list.tasks.map((t) => [t.activityId, t]));
    assert.deepEqual(byActivity.echo.outcome, { status: "completed", reason: null });
    assert.equal(byActivity.echo.state, "closed");
    assert.deepEqual(byActivity.bad.outcome, { status: "failed", reason: "RangeError" });
    const sleep = byActivity.sleep;
    assert.equal(sleep.heartbeatTimeout, "2", "read from the ActivityTaskScheduled event");
    assert.equal(sleep.startToCloseTimeout, "60");
    assert.ok(sleep.deadlineAt, "a start-to-close deadline is armed");
    assert.ok(sleep.heartbeats >= 1, `heartbeats: ${sleep.heartbeats}`);
    assert.equal(sleep.lastHeartbeatAnswer, "ok");
    assert.match(sleep.details, /^\d+\/1500$/, "the latest details are flushed to the row at close");
    assert.deepEqual(sleep.workflowExecution, executions[1]);

    const { json: shards } = await worker.post("/workers/shards", {});
    assert.equal(shards.shardCount, 1);
    const [shard] = shards.shards;
    assert.equal(shard.counters.polled, 3);
    assert.equal(shard.counters.completed, 2);
    assert.equal(shard.counters.failed, 1);
    assert.equal(shard.running, 0);
    assert.equal(shard.state, "polling");
    assert.equal(shard.identity, `swf-edge/${taskList}/0`);

    const { json: one } = await worker.post("/workers/task", { shard: 0, id: sleep.id });
    assert.deepEqual(one.task, sleep);

    // Heartbeats as SWF saw them: spaced by at least the window (0.5 × 2 s), details coalesced.
    const beats = [...proxy.heartbeats.values()].find((b) => b.some((x) => /\/1500$/.test(x.details ?? "")));
    assert.ok(beats && beats.length >= 2, `beats: ${JSON.stringify(beats)}`);
    // Coalesced: sleep records progress every 250 ms, a heartbeat carries only the latest.
    const done = beats.map((b) => Number(/^(\d+)\//.exec(b.details ?? "0/")?.[1] ?? 0));
    assert.ok(beats.length < 1500 / 250, `${beats.length} heartbeats for 6 progress records`);
    for (let i = 1; i < done.length; i++) assert.ok(done[i] > done[i - 1], `details ${JSON.stringify(done)}`);
    // (measured at the proxy; the worker sends the next one an interval after the last answer)
    for (let i = 1; i < beats.length; i++) assert.ok(beats[i].at - beats[i - 1].at >= 1000 - 5, `gap ${beats[i].at - beats[i - 1].at}`);
  } finally {
    await worker.dispose();
  }
});

test("cancel requested mid-run: the signal aborts within one heartbeat window, the task is answered canceled", async () => {
  const taskList = `durable-cancel-${process.pid}`;
  const worker = await startWorker({ persist: persistDir("cancel"), endpoint: proxy.url, taskList, options: FAST });
  try {
    await worker.scheduled();
    const executions = await start([{ activities: [planItem("long", "sleep", "60000", taskList, { heartbeatTimeout: "2" })] }], taskList);
    await until(async () => (await worker.post("/workers/tasks", { state: "open" })).json.tasks[0]?.heartbeats >= 1, { what: "a first heartbeat" });
    await swf.requestCancelWorkflowExecution({ domain: "swf-edge-local", ...executions[0] });
    const [found] = await closed(executions, 30_000);
    assert.deepEqual(Object.values(found.activities)[0].map((c) => c.type), ["ActivityTaskCanceled"]);
    const { json } = await worker.post("/workers/tasks", {});
    const [task] = json.tasks;
    assert.equal(task.cancelRequested, true);
    assert.equal(task.outcome.status, "canceled");
    assert.equal(task.lastHeartbeatAnswer, "cancel-requested");
    // Seen within one window (0.5 × 2 s) of SWF recording the request (plus the call's own time).
    const seenAfter = Date.parse(task.lastHeartbeatAt) - found.cancelRequestedAt.long;
    assert.ok(seenAfter >= 0 && seenAfter <= 1000 + 500, `seen ${seenAfter} ms after ActivityTaskCancelRequested`);
    const { json: shards } = await worker.post("/workers/shards", {});
    assert.equal(shards.shards[0].counters.canceled, 1);
  } finally {
    await worker.dispose();
  }
});

test("a handler past its start-to-close deadline is aborted and the task failed with the reason", async () => {
  const taskList = `durable-deadline-${process.pid}`;
  const worker = await startWorker({ persist: persistDir("deadline"), endpoint: proxy.url, taskList, options: { ...FAST, deadlineMarginMs: 0 } });
  try {
    await worker.scheduled();
    const executions = await start([{ activities: [planItem("slow", "sleep", "30000", taskList, { heartbeatTimeout: "10", startToCloseTimeout: "2" })] }], taskList);
    const [found] = await closed(executions, 20_000);
    const [closing] = Object.values(found.activities)[0];
    assert.equal(closing.type, "ActivityTaskFailed");
    assert.equal(closing.reason, "start-to-close deadline");
  } finally {
    await worker.dispose();
  }
});

test('timeoutsFrom "type": the timeouts come from DescribeActivityType, asked once per type and cached', async () => {
  const counting = await startProxy(local.url);
  const taskList = `durable-type-${process.pid}`;
  const worker = await startWorker({ persist: persistDir("type"), endpoint: counting.url, taskList, options: { ...FAST, timeoutsFrom: "type" } });
  try {
    await worker.scheduled();
    const executions = await start(
      [0, 1, 2].map((i) => ({ activities: [planItem(`t${i}`, "sleep", "200", taskList, { heartbeatTimeout: "7", startToCloseTimeout: "60" })] })),
      taskList,
    );
    await closed(executions);
    const { json } = await worker.post("/workers/tasks", {});
    // The type is registered with every default NONE (the event's overrides are not read).
    assert.deepEqual(json.tasks.map((t) => [t.heartbeatTimeout, t.startToCloseTimeout, t.deadlineAt]), Array(3).fill(["NONE", "NONE", null]));
    assert.equal(counting.byAction.DescribeActivityType, 1, JSON.stringify(counting.byAction));
    assert.equal(counting.byAction.GetWorkflowExecutionHistory, undefined);
  } finally {
    await worker.dispose();
    await counting.stop();
  }
});
