// 200 activities of mixed outcome through 2 shards (complete, fail, cancel requested
// mid-run), then the same with the objects reset at ≥ 20 random points: SWF's histories must
// show exactly one closing event per activity (or SWF's own timeout, counted and explained).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSwfLocal } from "../support/swf-local.mjs";
import { startDecider } from "../support/decider.mjs";
import { DOMAIN, allClosed, localClient, persistDir, planItem, startProxy, startWorker, swfBatch } from "./support.mjs";

let local;
let proxy;
let decider;
let swf;
const DECISIONS = `durable-load-decisions-${process.pid}`;
const OPTIONS = {
  concurrency: 10,
  maxPolls: 2,
  heartbeat: { firstDelayMs: 300, minIntervalMs: 100, ratio: 0.3 },
  keepAliveMs: 500,
  pollBackoff: { baseMs: 100, maxMs: 1000, throttledMs: 300 },
};

before(async () => {
  local = await startSwfLocal();
  proxy = await startProxy(local.url);
  decider = await startDecider(local, { domain: DOMAIN, taskList: DECISIONS });
  swf = await localClient(local.url);
});
after(async () => {
  await decider?.stop();
  await proxy?.stop();
  await local?.stop();
});

/** What each activity of the mix must end as (index mod 10). */
function kindOf(i) {
  const k = i % 10;
  if (k < 4) return { kind: "echo", type: "echo", input: `echo ${i}`, expect: "ActivityTaskCompleted" };
  if (k < 7) return { kind: "short", type: "sleep", input: String(100 + (i % 5) * 50), expect: "ActivityTaskCompleted" };
  if (k < 8) return { kind: "bad", type: "sleep", input: `bad ${i}`, expect: "ActivityTaskFailed" };
  return { kind: "cancel", type: "sleep", input: "150000", expect: "ActivityTaskCanceled" };
}

async function startMix(count, taskList, heartbeatTimeout) {
  const workflows = Array.from({ length: count }, (_, i) => {
    const { type, input } = kindOf(i);
    return { activities: [planItem(`a${i}`, type, input, taskList, { heartbeatTimeout: String(heartbeatTimeout), startToCloseTimeout: "300" })] };
  });
  const { executions } = await swfBatch({ op: "start", endpoint: local.url, taskList: DECISIONS, workflows });
  return executions;
}

/**
 * Requests cancellation of each "cancel" activity once the worker's registry shows it running
 * (mid-run); `current()` is the worker of the moment (the restart test replaces it).
 */
function cancelWhenStarted(executions, stop, current) {
  const wanted = new Map(executions.filter((_, i) => kindOf(i).kind === "cancel").map((e) => [e.runId, e]));
  const asked = new Set();
  return (async () => {
    while (!stop.done && asked.size < wanted.size) {
      try {
        const { tasks } = (await current().post("/workers/tasks", { state: "open", limit: 200 })).json;
        for (const { workflowExecution: { runId } } of tasks) {
          if (!wanted.has(runId) || asked.has(runId)) continue;
          await swf.requestCancelWorkflowExecution({ domain: DOMAIN, ...wanted.get(runId) });
          asked.add(runId); // only once SWF recorded it (a failed request is tried again)
        }
      } catch {
        // the worker is restarting, or the local SWF is slow: next round
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })();
}

test("200 mixed activities through 2 shards: exactly one closing event each, the expected one; nothing lost; calls in flight within budget", async () => {
  const taskList = `durable-load-${process.pid}`;
  const worker = await startWorker({ persist: persistDir("load"), endpoint: proxy.url, taskList, shards: 2, options: OPTIONS });
  const started = Date.now();
  proxy.maxInFlight = proxy.inFlight;
  try {
    await worker.scheduled();
    const executions = await startMix(200, taskList, 10);
    const stop = { done: false };
    const canceller = cancelWhenStarted(executions, stop, () => worker);
    const found = await allClosed(swf, executions, { timeoutMs: 150_000 });
    stop.done = true;
    await canceller;
    const mismatches = [];
    found.forEach((e, i) => {
      const [closingEvents] = Object.values(e.activities);
      const types = closingEvents.map((c) => c.type);
      if (types.length !== 1 || types[0] !== kindOf(i).expect) mismatches.push({ i, kind: kindOf(i).kind, types: types.join("+") });
    });
    if (mismatches.length) console.log("# slowest", JSON.stringify(proxy.slowest), "# mismatches", JSON.stringify(mismatches), JSON.stringify((await worker.post("/workers/shards", {})).json));
    assert.deepEqual(mismatches, []);
    const avg = (f) => Math.round(found.reduce((n, e) => n + f(e.times), 0) / found.length);
    console.log(`# latency (avg ms): start→scheduled ${avg((t) => t.ActivityTaskScheduled - t.WorkflowExecutionStarted)}, scheduled→started ${avg((t) => t.ActivityTaskStarted - t.ActivityTaskScheduled)}, started→closed ${avg((t) => t.closed - t.ActivityTaskStarted)}`);

    const { json } = await worker.post("/workers/shards", {});
    const sum = (name) => json.shards.reduce((n, s) => n + s.counters[name], 0);
    assert.equal(sum("polled"), 200);
    assert.equal(sum("completed"), 140);
    assert.equal(sum("failed"), 20);
    assert.equal(sum("canceled"), 40);
    assert.equal(sum("lost"), 0);
    assert.ok(json.shards.every((s) => s.counters.polled > 0), "both shards worked");
    const { json: open } = await worker.post("/workers/tasks", { state: "open" });
    assert.deepEqual(open.tasks, []);
    // Two objects, each at most maxConnections (6) SWF calls in flight.
    assert.ok(proxy.maxInFlight <= 12, `max in flight ${proxy.maxInFlight}`);
    console.log(`# 200 activities, 2 shards: ${Date.now() - started} ms; calls ${JSON.stringify(proxy.byAction)}; slowest ${JSON.stringify(proxy.slowest)}; max in flight ${proxy.maxInFlight}`);
  } finally {
    await worker.dispose();
  }
});

test("the same mix with the objects reset at 20+ random points: one closing event each, or SWF's own timeout (counted, explained)", async () => {
  const taskList = `durable-restart-${process.pid}`;
  const persist = persistDir("restart");
  const options = { ...OPTIONS, drainGraceMs: 1000 };
  let worker = await startWorker({ persist, endpoint: proxy.url, taskList, shards: 2, options });
  let restarts = 0;
  let watchdogRuns = 0;
  try {
    await worker.scheduled();
    const executions = await startMix(200, taskList, 5);
    const stop = { done: false };
    const canceller = cancelWhenStarted(executions, stop, () => worker);
    const restarter = (async () => {
      while (!stop.done || restarts < 20) {
        await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 1200));
        await worker.dispose();
        worker = await startWorker({ persist, endpoint: proxy.url, taskList, shards: 2, options });
        restarts += 1;
        // Half the time the loop must come back by itself (its alarm), half by the watchdog.
        if (restarts % 2 === 0) {
          await worker.scheduled();
          watchdogRuns += 1;
        }
      }
    })();
    const found = await allClosed(swf, executions, { timeoutMs: 180_000 });
    stop.done = true;
    await Promise.all([canceller, restarter]);
    await worker.scheduled();

    const tally = {};
    const wrong = [];
    found.forEach((e, i) => {
      const [closingEvents] = Object.values(e.activities);
      const types = closingEvents.map((c) => (c.type === "ActivityTaskFailed" && c.reason === "worker restarted" ? "restarted" : c.type));
      const key = types.join("+");
      tally[key] = (tally[key] ?? 0) + 1;
      const ok = types.length === 1 && [kindOf(i).expect, "restarted", "ActivityTaskTimedOut", ...(kindOf(i).kind === "cancel" ? ["ActivityTaskCanceled"] : [])].includes(types[0]);
      if (!ok) wrong.push({ i, kind: kindOf(i).kind, types });
    });
    assert.deepEqual(wrong, [], "exactly one closing event each");
    const { json } = await worker.post("/workers/shards", {});
    const sum = (name) => json.shards.reduce((n, s) => n + s.counters[name], 0);
    const timedOut = tally.ActivityTaskTimedOut ?? 0;
    // A timeout is explained by a poll the reset left open (SWF gave it a task nobody ran) or
    // by a task the worker found SWF had already timed out while the object was down.
    assert.ok(timedOut <= sum("orphanedPolls") + sum("lost"), `timed out ${timedOut}, orphaned polls ${sum("orphanedPolls")}, lost ${sum("lost")}`);
    assert.ok(restarts >= 20);
    const { json: open } = await worker.post("/workers/tasks", { state: "open" });
    assert.deepEqual(open.tasks, [], "no task left open in the registry");
    console.log(`# restarts ${restarts} (watchdog after ${watchdogRuns}); outcomes ${JSON.stringify(tally)}; counters ${JSON.stringify(Object.fromEntries(["polled", "restarted", "orphanedPolls", "lost", "watchdogRearms"].map((n) => [n, sum(n)])))}`);
  } finally {
    await worker.dispose();
  }
});
