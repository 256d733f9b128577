// followCancellation end to end through the package against the local SWF (moto +
// tests/swf_local) with its decider (tests/swf_local/decider.py) and a Node activity
// worker using runActivity: (a) honoured, followed to ActivityTaskCanceled; a scheduled-only
// activity canceled at once; (b) a decider that ignores the request; (c) no decider at all.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SwfClient, activitiesFromHistory, followCancellation } from "../../pkg/node.js";
import { startSwfLocal, LOCAL_CREDENTIALS, LOCAL_REGION } from "../support/swf-local.mjs";
import { startDecider, pollTask, workUntilCanceled } from "../support/decider.mjs";

const DOMAIN = "swf-edge-follow";
const RUN = Math.random().toString(36).slice(2, 8);
const FAST = { intervalMs: 200 };

let local;
let swf;
const deciders = {};
before(async () => {
  local = await startSwfLocal();
  swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
  // Registers the domain and types, so the deciders can start on it.
  await local.scenario("start-workflow", { domain: DOMAIN, taskList: `follow-${RUN}-warmup` });
  const [honour, ignore] = await Promise.all([
    startDecider(local, { domain: DOMAIN, taskList: `follow-${RUN}-honour`, mode: "honour" }),
    startDecider(local, { domain: DOMAIN, taskList: `follow-${RUN}-ignore`, mode: "ignore" }),
  ]);
  Object.assign(deciders, { honour, ignore });
});
after(async () => {
  await Promise.all(Object.values(deciders).map((decider) => decider.stop()));
  await local?.stop();
});

/** A workflow for the decider on `taskList` with one activity; resolves its execution and activity task list. */
async function startWorkflow(taskList, extra = {}) {
  const started = await local.scenario("start-workflow", { domain: DOMAIN, taskList, ...extra });
  return { execution: { workflowId: started.workflowId, runId: started.runId }, activityTaskList: started.activityTaskList, activityId: started.activityIds[0] };
}

async function history(execution) {
  const events = [];
  let nextPageToken;
  do {
    const page = await swf.getWorkflowExecutionHistory({ domain: DOMAIN, execution, ...(nextPageToken && { nextPageToken }) });
    events.push(...page.events);
    nextPageToken = page.nextPageToken;
  } while (nextPageToken);
  return events;
}

/** Waits until the execution is closed (the decider closes it after the activity); resolves its close status. */
async function closeStatusOf(execution, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { executionInfo } = await swf.describeWorkflowExecution({ domain: DOMAIN, execution });
    if (executionInfo.executionStatus === "CLOSED" || Date.now() > deadline) return executionInfo.closeStatus;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const codes = (report) => report.diagnoses.map((d) => d.code);

test("(a) honoured: request → decider asks → the heartbeat says so → canceled, followed to the end", async () => {
  const { execution, activityTaskList, activityId } = await startWorkflow(deciders.honour.taskList, { heartbeatTimeout: 30 });
  const task = await pollTask(swf, { domain: DOMAIN, taskList: activityTaskList, identity: "follow-worker" });
  assert.equal(task.activityId, activityId);
  // The worker's cleanup lasts until the operator has seen the decider's request (at most
  // 10 s), so that step is reported whatever the machine's load.
  let seen;
  const askedSeen = new Promise((resolve) => (seen = resolve));
  const cleanedUp = Promise.race([askedSeen, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  const outcome = workUntilCanceled(swf, task, { cleanedUp });

  const reports = [];
  for await (const report of followCancellation({ client: swf }, { domain: DOMAIN, execution }, { ...FAST, requestCancel: true })) {
    reports.push(report);
    if (report.phase === "decider-asked") seen();
  }

  const phases = reports.map((r) => r.phase);
  assert.deepEqual(phases.filter((p, i) => p !== phases[i - 1]), phases, "one report per change");
  const order = ["requested", "decider-asked", "closed"];
  assert.ok(phases.every((p, i) => i === 0 || order.indexOf(p) >= order.indexOf(phases[i - 1])), `phases in order: ${phases}`);
  assert.equal(phases.at(-1), "closed");
  assert.ok(phases.includes("decider-asked"), `decider-asked reported: ${phases}`);
  const last = reports.at(-1);
  assert.equal(last.done, true);
  assert.deepEqual(codes(last), []);
  const [record] = last.activities;
  assert.equal(record.activityId, activityId);
  assert.equal(record.state, "canceled");
  assert.equal(record.identity, "follow-worker");
  assert.equal(record.details, "cleaned up after the cancel request");
  assert.ok(record.cancelRequestedEventId > record.startedEventId && record.closedEventId > record.cancelRequestedEventId);
  assert.ok(record.closedAt instanceof Date);
  assert.equal((await outcome).status, "canceled");

  // The reports' records, read incrementally, match one read of the whole history.
  const whole = activitiesFromHistory(await history(execution));
  assert.deepEqual(last.activities, whole);

  // What SWF recorded: the cancel request, the decider's RequestCancelActivityTask, the
  // canceled activity and (the honouring decider closing the workflow) WorkflowExecutionCanceled.
  assert.equal(await closeStatusOf(execution), "CANCELED");
  const types = (await history(execution)).map((e) => e.eventType);
  const at = (type) => types.indexOf(type);
  assert.ok(at("WorkflowExecutionCancelRequested") < at("ActivityTaskCancelRequested"));
  assert.ok(at("ActivityTaskCancelRequested") < at("ActivityTaskCanceled"));
  assert.ok(at("ActivityTaskCanceled") < at("WorkflowExecutionCanceled"));
});

test("(a) honoured: an activity no worker has started is canceled by SWF at once", async () => {
  const { execution, activityId } = await startWorkflow(deciders.honour.taskList);
  // Wait until the decider scheduled it.
  for (let i = 0; i < 100 && !(await history(execution)).some((e) => e.eventType === "ActivityTaskScheduled"); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const reports = [];
  for await (const report of followCancellation({ client: swf }, { domain: DOMAIN, execution, activityId }, { ...FAST, requestCancel: true })) reports.push(report);
  const [record] = reports.at(-1).activities;
  assert.deepEqual([reports.at(-1).phase, record.state, record.startedEventId], ["closed", "canceled", undefined]);
  assert.equal(typeof record.cancelRequestedEventId, "number");
});

test("(b) ignored: the decider completes decisions without RequestCancelActivityTask: the diagnosis says so", async () => {
  const { execution, activityTaskList } = await startWorkflow(deciders.ignore.taskList, { heartbeatTimeout: 30 });
  const task = await pollTask(swf, { domain: DOMAIN, taskList: activityTaskList });
  const outcome = workUntilCanceled(swf, task);
  let diagnosed;
  const seen = [];
  const signal = AbortSignal.timeout(15_000);
  for await (const report of followCancellation({ client: swf }, { domain: DOMAIN, execution }, { ...FAST, requestCancel: true, signal })) {
    seen.push(report.phase);
    if (report.diagnoses.length) {
      diagnosed = report;
      break;
    }
  }
  assert.ok(diagnosed, `a diagnosis came (phases: ${seen})`);
  assert.equal(diagnosed.phase, "requested");
  assert.deepEqual(codes(diagnosed), ["decider-ignores-cancel"]);
  assert.match(diagnosed.diagnoses[0].message, new RegExp(`"${deciders.ignore.taskList}"`));
  assert.equal(diagnosed.activities[0].state, "started");
  // The operator's way out: terminate. The worker's next heartbeat learns that the task is gone.
  await swf.terminateWorkflowExecution({ domain: DOMAIN, ...execution, reason: "decider ignores cancel requests" });
  const final = [];
  for await (const report of followCancellation({ client: swf }, { domain: DOMAIN, execution }, FAST)) final.push(report);
  assert.equal(final.length, 1);
  assert.deepEqual([final[0].done, final[0].execution.closeStatus, codes(final[0])], [true, "TERMINATED", ["workflow-closed"]]);
  const result = await outcome;
  assert.notEqual(result.status, "canceled");
});

test("(c) no decider polls the task list: the diagnosis names it and counts the waiting decision tasks", async () => {
  const taskList = `follow-${RUN}-nobody`;
  const { execution } = await startWorkflow(taskList);
  const iterator = followCancellation({ client: swf }, { domain: DOMAIN, execution }, { ...FAST, requestCancel: true, stallAfterMs: 600 });
  let report;
  for await (const next of iterator) {
    report = next;
    if (codes(report).length) break;
  }
  assert.deepEqual(codes(report), ["no-decider"]);
  assert.equal(report.phase, "requested");
  const { message, since } = report.diagnoses[0];
  assert.ok(message.includes(`nobody seems to poll decision task list "${taskList}" in domain "${DOMAIN}"`), message);
  const { count } = await swf.countPendingDecisionTasks({ domain: DOMAIN, taskList: { name: taskList } });
  assert.ok(count >= 1);
  assert.ok(message.includes(`(${count} pending)`), message);
  assert.ok(since instanceof Date && Date.now() - since.getTime() >= 600);
  await swf.terminateWorkflowExecution({ domain: DOMAIN, ...execution });
});

test("worker gone, heartbeat timeout: the diagnosis's deadline holds — SWF times the activity out by then", async () => {
  const { execution, activityTaskList } = await startWorkflow(deciders.honour.taskList, { heartbeatTimeout: 5 });
  const task = await pollTask(swf, { domain: DOMAIN, taskList: activityTaskList, identity: "vanishing-worker" });
  await swf.recordActivityTaskHeartbeat({ taskToken: task.taskToken }); // then the worker is gone
  const reports = [];
  for await (const report of followCancellation({ client: swf }, { domain: DOMAIN, execution }, { ...FAST, requestCancel: true, stallAfterMs: 300 })) {
    reports.push(report);
  }
  const stalled = reports.find((r) => codes(r).includes("worker-not-canceling"));
  assert.ok(stalled, `a worker-not-canceling diagnosis came: ${reports.map((r) => `${r.phase} ${codes(r)}`).join("; ")}`);
  assert.equal(stalled.phase, "decider-asked");
  const { deadline, message } = stalled.diagnoses.find((d) => d.code === "worker-not-canceling");
  assert.match(message, /"vanishing-worker"/);
  const last = reports.at(-1);
  const [record] = last.activities;
  assert.deepEqual([last.phase, last.done, record.state, record.timeoutType], ["closed", true, "timed-out", "HEARTBEAT"]);
  assert.deepEqual(codes(last), ["closed-not-canceled"]);
  assert.ok(record.closedAt <= deadline, `timed out at ${record.closedAt.toISOString()}, by ${deadline.toISOString()} as diagnosed`);
});

test("no heartbeat timeout: the diagnosis says only a heartbeat tells the worker, and when start-to-close ends it", async () => {
  const { execution, activityTaskList } = await startWorkflow(deciders.honour.taskList, { heartbeatTimeout: "NONE", startToCloseTimeout: 600 });
  await pollTask(swf, { domain: DOMAIN, taskList: activityTaskList }); // a worker that never heartbeats
  let stalled;
  for await (const report of followCancellation({ client: swf }, { domain: DOMAIN, execution }, { ...FAST, requestCancel: true, stallAfterMs: 300 })) {
    if (codes(report).length) {
      stalled = report;
      break;
    }
  }
  assert.deepEqual([stalled.phase, codes(stalled)], ["decider-asked", ["no-heartbeat-timeout"]]);
  const [record] = stalled.activities;
  assert.equal(record.heartbeatTimeout, "NONE");
  assert.equal(stalled.diagnoses[0].deadline.getTime(), record.startedAt.getTime() + 600_000);
  assert.match(stalled.diagnoses[0].message, /RecordActivityTaskHeartbeat/);
  await swf.terminateWorkflowExecution({ domain: DOMAIN, ...execution });
});

test("abort: a signal ends following with AbortError", async () => {
  const { execution } = await startWorkflow(`follow-${RUN}-abort`);
  const controller = new AbortController();
  const reports = [];
  const following = (async () => {
    for await (const report of followCancellation({ client: swf }, { domain: DOMAIN, execution }, { intervalMs: 10_000, signal: controller.signal })) reports.push(report);
  })();
  setTimeout(() => controller.abort(), 300);
  await assert.rejects(following, { name: "AbortError" });
  assert.ok(reports.length <= 1);
  await swf.terminateWorkflowExecution({ domain: DOMAIN, ...execution });
});
