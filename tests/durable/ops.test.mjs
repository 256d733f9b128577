// Operating the durable worker: drain under load (no poll starts after it, open polls
// accounted for, running tasks finish within the grace or fail "worker drained"), resume;
// poll faults (5xx, throttling, resets, hostile answers) → backoff, the loop goes on, the
// error is in the registry; SWF calls in flight never exceed maxConnections.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSwfLocal } from "../support/swf-local.mjs";
import { startDecider } from "../support/decider.mjs";
import { DOMAIN, allClosed, closings, localClient, persistDir, planItem, startProxy, startWorker, swfBatch, until } from "./support.mjs";

let local;
let decider;
let swf;
const DECISIONS = `durable-ops-decisions-${process.pid}`;
const FAST = { heartbeat: { firstDelayMs: 200, minIntervalMs: 100 }, keepAliveMs: 500, pollBackoff: { baseMs: 100, maxMs: 1000, throttledMs: 300 } };

before(async () => {
  local = await startSwfLocal();
  decider = await startDecider(local, { domain: DOMAIN, taskList: DECISIONS });
  swf = await localClient(local.url);
});
after(async () => {
  await decider?.stop();
  await local?.stop();
});

async function start(items) {
  const { executions } = await swfBatch({ op: "start", endpoint: local.url, taskList: DECISIONS, workflows: items.map((item) => ({ activities: [item] })) });
  return executions;
}

test("drain under load: no poll after it, running tasks finish within the grace or fail \"worker drained\"; resume runs the rest", async () => {
  const proxy = await startProxy(local.url);
  const pollTimes = [];
  proxy.fault = (action) => {
    if (action === "PollForActivityTask") pollTimes.push(Date.now());
    return null;
  };
  const taskList = `durable-drain-${process.pid}`;
  const worker = await startWorker({ persist: persistDir("drain"), endpoint: proxy.url, taskList, options: { ...FAST, concurrency: 4, maxPolls: 2 } });
  try {
    await worker.scheduled();
    // 2 that finish within the grace, 2 that cannot, 6 more queued behind them.
    const quick = [0, 1].map((i) => planItem(`quick${i}`, "sleep", "2500", taskList, { heartbeatTimeout: "4" }));
    const slow = [0, 1].map((i) => planItem(`slow${i}`, "sleep", "60000", taskList, { heartbeatTimeout: "4" }));
    const queued = Array.from({ length: 6 }, (_, i) => planItem(`queued${i}`, "echo", `q${i}`, taskList));
    const first = await start([...quick, ...slow]);
    // Every one of the 4 picked up, and the 2 slow ones running (the quick ones may be done).
    await until(async () => {
      const { tasks } = (await worker.post("/workers/tasks", {})).json;
      return tasks.length === 4 && tasks.filter((t) => t.activityId.startsWith("slow") && t.state === "started").length === 2;
    }, { timeoutMs: 60_000, what: "the 4 tasks picked up" });
    const later = await start(queued);

    const drained = await worker.post("/workers/drain", { graceMs: 3000 });
    const drainAnsweredAt = Date.now();
    assert.equal(drained.status, 200);
    const [answer] = drained.json.shards;
    assert.equal(answer.draining, true);
    assert.equal(answer.state, "draining");
    assert.ok(answer.drainDeadline);

    const done = await allClosed(swf, first, { timeoutMs: 30_000 });
    const outcome = (e) => Object.values(e.activities)[0].map((c) => `${c.type}${c.reason ? `:${c.reason}` : ""}`).join("+");
    assert.deepEqual(done.map(outcome), ["ActivityTaskCompleted", "ActivityTaskCompleted", "ActivityTaskFailed:worker drained", "ActivityTaskFailed:worker drained"]);
    const status = await until(async () => {
      const [s] = (await worker.post("/workers/shards", {})).json.shards;
      return s.state === "drained" ? s : null;
    }, { timeoutMs: 10_000, what: "drained" });
    assert.equal(status.pollsOpen, 0);
    assert.equal(status.running, 0);
    // Polls already open when drain answered may still arrive; none may start after.
    const after = pollTimes.filter((t) => t > drainAnsweredAt + 50).length;
    assert.ok(after <= answer.pollsOpen, `${after} polls after drain, ${answer.pollsOpen} were open`);
    const seen = pollTimes.length;
    // Queued tasks may have been taken before the drain (a quick task freed a slot), or by a
    // poll open at the drain; never by a later poll.
    const afterDrain = await closings(swf, later);
    const startedAfter = afterDrain.filter((e) => e.times.ActivityTaskStarted > drainAnsweredAt + 50).length;
    assert.ok(startedAfter <= answer.pollsOpen, `${startedAfter} queued tasks started after the drain, ${answer.pollsOpen} polls were open`);
    const startedWhileDraining = afterDrain.filter((e) => Object.keys(e.started).length).length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(pollTimes.length, seen, "no poll while drained");
    const stillQueued = (await closings(swf, later)).filter((e) => Object.keys(e.started).length === 0).length;
    assert.equal(stillQueued, later.length - startedWhileDraining, "the other queued activities wait in SWF while the worker is drained");

    const resumed = await worker.post("/workers/resume", {});
    assert.equal(resumed.json.shards[0].draining, false);
    const rest = await allClosed(swf, later, { timeoutMs: 30_000 });
    assert.ok(rest.every((e) => outcome(e) === "ActivityTaskCompleted"));
  } finally {
    await worker.dispose();
    await proxy.stop();
  }
});

test("poll faults: 5xx, throttling, a reset, hostile answers → backoff, the loop goes on, the last error is in the registry", async () => {
  const proxy = await startProxy(local.url);
  const faults = [
    { status: 500, body: JSON.stringify({ __type: "InternalFailure", message: "boom" }) },
    { status: 400, body: JSON.stringify({ __type: "com.amazonaws.swf.base.model#LimitExceededFault", message: "too many pollers" }) },
    "reset",
    { status: 200, body: "{not json" },
    { status: 200, body: JSON.stringify({ taskToken: 42, activityId: ["x"] }) },
    { status: 200, body: `{"taskToken": "${"A".repeat(5000)}"}` },
    { status: 503, body: JSON.stringify({ __type: "ThrottlingException", message: "slow down" }) },
  ];
  const pollTimes = [];
  proxy.fault = (action) => {
    if (action !== "PollForActivityTask") return null;
    pollTimes.push(Date.now());
    return pollTimes.length <= faults.length ? faults[pollTimes.length - 1] : null;
  };
  const taskList = `durable-faults-${process.pid}`;
  const worker = await startWorker({ persist: persistDir("faults"), endpoint: proxy.url, taskList, options: { ...FAST, maxPolls: 1 } });
  try {
    await worker.scheduled();
    const [s1] = (await until(async () => {
      const { json } = await worker.post("/workers/shards", {});
      return json.shards[0].counters.pollErrors >= 2 ? json.shards : null;
    }, { what: "two poll errors" }));
    assert.ok(s1.lastError?.name && s1.lastError.at, JSON.stringify(s1.lastError));
    await until(() => pollTimes.length > faults.length, { timeoutMs: 30_000, what: "the faults to pass" });
    const executions = await start([planItem("after-faults", "echo", "still here", taskList)]);
    const [found] = await allClosed(swf, executions, { timeoutMs: 20_000 });
    assert.deepEqual(Object.values(found.activities)[0].map((c) => c.type), ["ActivityTaskCompleted"]);

    const [shard] = (await worker.post("/workers/shards", {})).json.shards;
    // Every fault is a poll error (`{"taskToken": 42}` is a ResponseError, not an empty poll).
    assert.equal(shard.counters.pollErrors, faults.length, JSON.stringify(shard.counters));
    assert.equal(shard.counters.polled, 1, "no hostile answer was taken for a task");
    assert.ok(shard.lastError, "the last error stays visible after the loop recovered");
    assert.ok(Date.parse(shard.lastPollAt) >= Date.parse(shard.lastError.at));
    // Backoff: the wait after the n-th failure in a row is at least half of min(1000, base × 2^(n-1)),
    // base 100 ms, or 300 ms after throttling (the LimitExceededFault and the ThrottlingException).
    const gaps = pollTimes.slice(1, faults.length + 1).map((t, i) => t - pollTimes[i]);
    const floors = [50, 300, 200, 400, 500, 500, 300];
    gaps.forEach((gap, i) => assert.ok(gap >= floors[i] - 5, `gap ${i}: ${gap} ms (${JSON.stringify(gaps)})`));
    const { json } = await worker.post("/workers/tasks", {});
    assert.equal(json.tasks.length, 1);
  } finally {
    await worker.dispose();
    await proxy.stop();
  }
});

test("SWF calls in flight per object never exceed maxConnections, whatever the load", async () => {
  const proxy = await startProxy(local.url);
  const taskList = `durable-budget-${process.pid}`;
  const options = { ...FAST, concurrency: 12, maxPolls: 2, maxConnections: 4 };
  const worker = await startWorker({ persist: persistDir("budget"), endpoint: proxy.url, taskList, options });
  try {
    await worker.scheduled();
    const items = Array.from({ length: 12 }, (_, i) => planItem(`b${i}`, "sleep", "3000", taskList, { heartbeatTimeout: "4" }));
    const executions = await start(items);
    const found = await allClosed(swf, executions, { timeoutMs: 60_000 });
    const types = found.map((e) => Object.values(e.activities)[0].map((c) => c.type).join("+"));
    assert.deepEqual(types, Array(12).fill("ActivityTaskCompleted"));
    assert.ok(proxy.byAction.RecordActivityTaskHeartbeat >= 12, JSON.stringify(proxy.byAction));
    assert.ok(proxy.maxInFlight <= 4, `max in flight ${proxy.maxInFlight}`);
    assert.equal(proxy.maxInFlight, 4, "the load did reach the cap");
  } finally {
    await worker.dispose();
    await proxy.stop();
  }
});
