// The operator actions end to end through the built package (Node entry) against the
// local SWF (moto + tests/swf_local): listing, describing, history, counts, cancel
// requests, signals, termination; Dates in answers (checked against boto3's parse of the
// same history), Date or epoch seconds in inputs, and validation before any I/O.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  SwfClient,
  ValidationError,
  AbortError,
  paginateGetWorkflowExecutionHistory,
  paginateListOpenWorkflowExecutions,
  paginateListClosedWorkflowExecutions,
  paginateListDomains,
} from "../../pkg/node.js";
import { startSwfLocal, LOCAL_CREDENTIALS, LOCAL_REGION } from "../support/swf-local.mjs";
import { rejection } from "../support/assert.mjs";

let local;
let swf;
before(async () => {
  local = await startSwfLocal();
  swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
});
after(() => local?.stop());

const anHourAgo = () => new Date(Date.now() - 3_600_000);

/** One running execution with one started activity (prepared with boto3). */
async function execution(args = {}) {
  const { domain, tasks: [task] } = await local.scenario("prepare", { count: 1, ...args });
  return { domain, task, execution: { workflowId: task.workflowId, runId: task.runId } };
}

test("listDomains: the local domain, as SWF sends it", async () => {
  const { domain } = await execution();
  const { domainInfos, nextPageToken } = await swf.listDomains({ registrationStatus: "REGISTERED" });
  assert.equal(nextPageToken, undefined);
  const mine = domainInfos.find((d) => d.name === domain);
  assert.equal(mine?.status, "REGISTERED");
  const deprecated = await swf.listDomains({ registrationStatus: "DEPRECATED", maximumPageSize: 10, reverseOrder: true });
  assert.ok(!deprecated.domainInfos.some((d) => d.name === domain));
});

test("listOpenWorkflowExecutions: filters, and start times as Dates (input as Date or epoch seconds)", async () => {
  const { domain, execution: mine } = await execution();
  const before = Date.now();
  for (const oldestDate of [anHourAgo(), Math.floor(anHourAgo().getTime() / 1000)]) {
    const { executionInfos } = await swf.listOpenWorkflowExecutions({ domain, startTimeFilter: { oldestDate } });
    const info = executionInfos.find((i) => i.execution.runId === mine.runId);
    assert.ok(info, "the execution is listed");
    assert.equal(info.executionStatus, "OPEN");
    assert.ok(info.startTimestamp instanceof Date, "startTimestamp is a Date");
    assert.ok(Math.abs(info.startTimestamp.getTime() - before) < 120_000, `${info.startTimestamp.toISOString()} is recent`);
  }
  const byId = await swf.listOpenWorkflowExecutions({
    domain,
    startTimeFilter: { oldestDate: anHourAgo(), latestDate: new Date(Date.now() + 60_000) },
    executionFilter: { workflowId: mine.workflowId },
  });
  assert.deepEqual(byId.executionInfos.map((i) => i.execution), [mine]);
  const byType = await swf.listOpenWorkflowExecutions({
    domain,
    startTimeFilter: { oldestDate: anHourAgo() },
    typeFilter: { name: "swf-edge-workflow", version: "1" },
  });
  assert.ok(byType.executionInfos.some((i) => i.execution.runId === mine.runId));
  const otherType = await swf.listOpenWorkflowExecutions({ domain, startTimeFilter: { oldestDate: anHourAgo() }, typeFilter: { name: "no-such-type" } });
  assert.deepEqual(otherType.executionInfos, []);
  const future = await swf.listOpenWorkflowExecutions({ domain, startTimeFilter: { oldestDate: new Date(Date.now() + 3_600_000) } });
  assert.ok(!future.executionInfos.some((i) => i.execution.runId === mine.runId), "a window in the future lists nothing of ours");
});

test("describeWorkflowExecution and getWorkflowExecutionHistory: Dates equal boto3's parse of the same answer", async () => {
  const { domain, execution: mine, task } = await execution();
  const detail = await swf.describeWorkflowExecution({ domain, execution: mine });
  assert.deepEqual(detail.executionInfo.execution, mine);
  assert.ok(detail.executionInfo.startTimestamp instanceof Date);
  assert.ok(Math.abs(detail.executionInfo.startTimestamp.getTime() - Date.now()) < 120_000, "started just now");
  assert.equal(detail.executionInfo.executionStatus, "OPEN");
  assert.equal(detail.openCounts.openActivityTasks, 1);
  assert.equal(detail.executionConfiguration.taskList.name, `${mine.workflowId}.decisions`);

  const { events, nextPageToken } = await swf.getWorkflowExecutionHistory({ domain, execution: mine });
  assert.equal(nextPageToken, undefined);
  const { events: oracle } = await local.scenario("history", { workflowId: mine.workflowId, runId: mine.runId });
  assert.deepEqual(
    events.map((e) => [e.eventId, e.eventType]),
    oracle.map((e) => [e.eventId, e.eventType]),
  );
  for (const [i, event] of events.entries()) {
    assert.ok(event.eventTimestamp instanceof Date, `event ${event.eventId} has a Date`);
    assert.ok(Math.abs(event.eventTimestamp.getTime() - new Date(oracle[i].eventTimestamp).getTime()) <= 1, "same instant as boto3 parsed");
  }
  const started = events.find((e) => e.eventType === "ActivityTaskStarted");
  assert.equal(typeof started.activityTaskStartedEventAttributes.scheduledEventId, "number");
  const scheduled = events.find((e) => e.eventType === "ActivityTaskScheduled");
  assert.equal(scheduled.activityTaskScheduledEventAttributes.activityId, task.activityId);
  const reversed = await swf.getWorkflowExecutionHistory({ domain, execution: mine, reverseOrder: true });
  assert.deepEqual(reversed.events.map((e) => e.eventId), events.map((e) => e.eventId).reverse());
});

test("describeActivityType: the registered type's status, defaults and creation date (a Date); an unknown type is UnknownResourceFault", async () => {
  const { domain } = await execution();
  const detail = await swf.describeActivityType({ domain, activityType: { name: "swf-edge-activity", version: "1" } });
  assert.deepEqual(detail.typeInfo.activityType, { name: "swf-edge-activity", version: "1" });
  assert.equal(detail.typeInfo.status, "REGISTERED");
  assert.ok(detail.typeInfo.creationDate instanceof Date, "creationDate is a Date");
  assert.ok(Number.isFinite(detail.typeInfo.creationDate.getTime()), "a valid date (moto reports a fixed one)");
  assert.equal(detail.configuration.defaultTaskHeartbeatTimeout, "NONE");
  assert.equal(detail.configuration.defaultTaskStartToCloseTimeout, "NONE");
  const unknown = await swf.describeActivityType({ domain, activityType: { name: "no-such-activity", version: "9" } }).catch((e) => e);
  assert.equal(unknown.name, "UnknownResourceFault", String(unknown));
});

test("requestCancelWorkflowExecution records the request; a decision task is then pending", async () => {
  const { domain, execution: mine } = await execution();
  const taskList = { name: `${mine.workflowId}.decisions` };
  assert.deepEqual(await swf.countPendingDecisionTasks({ domain, taskList }), { count: 0, truncated: false });
  assert.equal(await swf.requestCancelWorkflowExecution({ domain, workflowId: mine.workflowId, runId: mine.runId }), undefined);
  const { events } = await swf.getWorkflowExecutionHistory({ domain, execution: mine });
  assert.ok(events.some((e) => e.eventType === "WorkflowExecutionCancelRequested"));
  const detail = await swf.describeWorkflowExecution({ domain, execution: mine });
  assert.equal(detail.executionInfo.cancelRequested, true);
  assert.equal((await swf.countPendingDecisionTasks({ domain, taskList })).count, 1);
  const activities = await swf.countPendingActivityTasks({ domain, taskList: { name: "no-tasks-here" } });
  assert.equal(activities.count, 0);
});

test("signalWorkflowExecution: the signal and its input are in the history", async () => {
  const { domain, execution: mine } = await execution();
  const input = JSON.stringify({ reason: "operator", note: "é中😀" });
  await swf.signalWorkflowExecution({ domain, workflowId: mine.workflowId, signalName: "operator-note", input });
  const { events } = await swf.getWorkflowExecutionHistory({ domain, execution: mine });
  const signaled = events.find((e) => e.eventType === "WorkflowExecutionSignaled");
  assert.equal(signaled.workflowExecutionSignaledEventAttributes.signalName, "operator-note");
  assert.equal(signaled.workflowExecutionSignaledEventAttributes.input, input);
});

test("terminateWorkflowExecution closes it; listClosedWorkflowExecutions finds it by close status and close time", async () => {
  const { domain, execution: mine } = await execution();
  await swf.terminateWorkflowExecution({ domain, workflowId: mine.workflowId, runId: mine.runId, reason: "operator", details: "stop", childPolicy: "TERMINATE" });
  const detail = await swf.describeWorkflowExecution({ domain, execution: mine });
  assert.equal(detail.executionInfo.executionStatus, "CLOSED");
  assert.equal(detail.executionInfo.closeStatus, "TERMINATED");
  assert.ok(detail.executionInfo.closeTimestamp instanceof Date);
  assert.ok(detail.executionInfo.closeTimestamp >= detail.executionInfo.startTimestamp);

  const closed = await swf.listClosedWorkflowExecutions({ domain, startTimeFilter: { oldestDate: anHourAgo() } });
  const info = closed.executionInfos.find((i) => i.execution.runId === mine.runId);
  assert.ok(info?.startTimestamp instanceof Date, "listed as closed, with a start Date");
  const open = await swf.listOpenWorkflowExecutions({ domain, startTimeFilter: { oldestDate: anHourAgo() } });
  assert.ok(!open.executionInfos.some((i) => i.execution.runId === mine.runId), "no longer open");
  const byStatus = await swf.listClosedWorkflowExecutions({ domain, startTimeFilter: { oldestDate: anHourAgo() }, closeStatusFilter: { status: "TERMINATED" } });
  const terminated = byStatus.executionInfos.find((i) => i.execution.runId === mine.runId);
  assert.equal(terminated?.closeStatus, "TERMINATED");
  assert.ok(terminated.closeTimestamp instanceof Date);
  const completed = await swf.listClosedWorkflowExecutions({ domain, startTimeFilter: { oldestDate: anHourAgo() }, closeStatusFilter: { status: "COMPLETED" } });
  assert.ok(!completed.executionInfos.some((i) => i.execution.runId === mine.runId));
  const byCloseTime = await swf.listClosedWorkflowExecutions({
    domain,
    closeTimeFilter: { oldestDate: Math.floor(Date.now() / 1000) - 600 },
    executionFilter: { workflowId: mine.workflowId },
  });
  assert.deepEqual(byCloseTime.executionInfos.map((i) => i.execution), [mine]);
  const { events } = await swf.getWorkflowExecutionHistory({ domain, execution: mine, reverseOrder: true });
  assert.equal(events[0].eventType, "WorkflowExecutionTerminated");
  assert.equal(events[0].workflowExecutionTerminatedEventAttributes.reason, "operator");
});

test("validation before any I/O: SWF's filter rules, limits, enums, timestamps", async () => {
  // A client whose endpoint nobody listens on: anything but a ValidationError would mean I/O.
  const offline = new SwfClient({ region: LOCAL_REGION, endpoint: "http://127.0.0.1:9", credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const window = { oldestDate: new Date() };
  const cases = [
    ["listDomains", {}, "registrationStatus"],
    ["listDomains", { registrationStatus: "registered" }, "registrationStatus"],
    ["listDomains", { registrationStatus: "REGISTERED", maximumPageSize: 1001 }, "maximumPageSize"],
    ["listDomains", { registrationStatus: "REGISTERED", maximumPageSize: 2.5 }, "maximumPageSize"],
    ["listDomains", { registrationStatus: "REGISTERED", nextPageToken: "t".repeat(2049) }, "nextPageToken"],
    ["listDomains", { registrationStatus: "REGISTERED", reverseOrder: "yes" }, "reverseOrder"],
    ["listOpenWorkflowExecutions", { domain: "d" }, "startTimeFilter"],
    ["listOpenWorkflowExecutions", { domain: "d", startTimeFilter: {} }, "startTimeFilter.oldestDate"],
    ["listOpenWorkflowExecutions", { domain: "d", startTimeFilter: { oldestDate: "2026-01-01" } }, "startTimeFilter.oldestDate"],
    ["listOpenWorkflowExecutions", { domain: "d", startTimeFilter: { oldestDate: new Date(NaN) } }, "startTimeFilter.oldestDate"],
    ["listOpenWorkflowExecutions", { domain: "d", startTimeFilter: { oldestDate: Infinity } }, "startTimeFilter.oldestDate"],
    ["listOpenWorkflowExecutions", { domain: "d", startTimeFilter: window, typeFilter: { name: "t" }, tagFilter: { tag: "x" } }, "tagFilter"],
    ["listOpenWorkflowExecutions", { domain: "d", startTimeFilter: window, executionFilter: { workflowId: "" } }, "executionFilter.workflowId"],
    ["listOpenWorkflowExecutions", { domain: "d", startTimeFilter: window, typeFilter: { name: "t", version: "v".repeat(65) } }, "typeFilter.version"],
    ["listOpenWorkflowExecutions", { domain: "d", startTimeFilter: window, closeStatusFilter: { status: "FAILED" } }, "closeStatusFilter"],
    ["listClosedWorkflowExecutions", { domain: "d" }, "startTimeFilter"],
    ["listClosedWorkflowExecutions", { domain: "d", startTimeFilter: window, closeTimeFilter: window }, "closeTimeFilter"],
    ["listClosedWorkflowExecutions", { domain: "d", closeTimeFilter: window, closeStatusFilter: { status: "TERMINATED" }, tagFilter: { tag: "" } }, "tagFilter"],
    ["listClosedWorkflowExecutions", { domain: "d", closeTimeFilter: window, closeStatusFilter: { status: "OPEN" } }, "closeStatusFilter.status"],
    ["describeWorkflowExecution", { domain: "d", execution: { workflowId: "w" } }, "execution.runId"],
    ["describeWorkflowExecution", { domain: "d", execution: { workflowId: "w", runId: "r".repeat(65) } }, "execution.runId"],
    ["getWorkflowExecutionHistory", { domain: "d".repeat(257), execution: { workflowId: "w", runId: "r" } }, "domain"],
    ["countPendingActivityTasks", { domain: "d", taskList: "list" }, "taskList"],
    ["countPendingDecisionTasks", { domain: "d", taskList: { name: "" } }, "taskList.name"],
    ["requestCancelWorkflowExecution", { domain: "d" }, "workflowId"],
    ["signalWorkflowExecution", { domain: "d", workflowId: "w" }, "signalName"],
    ["signalWorkflowExecution", { domain: "d", workflowId: "w", signalName: "s", input: "i".repeat(32769) }, "input"],
    ["terminateWorkflowExecution", { domain: "d", workflowId: "w", childPolicy: "KILL" }, "childPolicy"],
    ["describeActivityType", { domain: "d", activityType: { name: "a" } }, "activityType.version"],
    ["describeActivityType", { domain: "d", activityType: { name: "a", version: "" } }, "activityType.version"],
    ["describeActivityType", { domain: "d", activityType: { name: "a".repeat(257), version: "1" } }, "activityType.name"],
    ["terminateWorkflowExecution", { domain: "d", workflowId: "w", reason: "r".repeat(257) }, "reason"],
    ["terminateWorkflowExecution", { domain: "d", workflowId: "w", runId: "\ud800" }, "runId"],
  ];
  for (const [method, input, field] of cases) {
    const err = await rejection(offline[method](input));
    assert.ok(err instanceof ValidationError, `${method} ${JSON.stringify(input)}: ${err}`);
    assert.equal(err.field, field, `${method}: ${err.message}`);
    assert.equal(err.attempts, 0);
    assert.match(err.message, new RegExp(`^${method[0].toUpperCase()}${method.slice(1)}: `));
  }
});

test("paginators walk the local SWF's real pages: history, open and closed lists, domains", async () => {
  const { domain, execution: mine } = await execution();
  await swf.signalWorkflowExecution({ domain, workflowId: mine.workflowId, signalName: "one" });
  await swf.signalWorkflowExecution({ domain, workflowId: mine.workflowId, signalName: "two" });
  const { events: oracle } = await local.scenario("history", { workflowId: mine.workflowId, runId: mine.runId });
  assert.ok(oracle.length >= 7, `${oracle.length} events`);
  for (const reverseOrder of [false, true]) {
    const pages = [];
    for await (const page of paginateGetWorkflowExecutionHistory({ client: swf, pageSize: 2 }, { domain, execution: mine, reverseOrder })) {
      assert.ok(page.events.length <= 2);
      pages.push(page);
    }
    assert.equal(pages.length, Math.ceil(oracle.length / 2), "one page per two events");
    const ids = pages.flatMap((p) => p.events.map((e) => e.eventId));
    const expected = oracle.map((e) => e.eventId);
    assert.deepEqual(ids, reverseOrder ? expected.reverse() : expected);
    assert.ok(pages.every((p) => p.events.every((e) => e.eventTimestamp instanceof Date)));
  }

  const { tasks } = await local.scenario("prepare", { count: 3 });
  const started = new Set(tasks.map((t) => t.runId));
  const window = { oldestDate: anHourAgo() };
  const listed = [];
  let openPages = 0;
  for await (const page of paginateListOpenWorkflowExecutions({ client: swf, pageSize: 1 }, { domain, startTimeFilter: window })) {
    assert.ok(page.executionInfos.length <= 1);
    openPages += 1;
    listed.push(...page.executionInfos.map((i) => i.execution.runId));
  }
  assert.ok(openPages >= 4, `${openPages} pages of one`);
  assert.equal(new Set(listed).size, listed.length, "no execution twice");
  for (const runId of [...started, mine.runId]) assert.ok(listed.includes(runId), "every open execution is on some page");

  for (const task of tasks) await swf.terminateWorkflowExecution({ domain, workflowId: task.workflowId, runId: task.runId });
  const closed = [];
  for await (const page of paginateListClosedWorkflowExecutions({ client: swf, pageSize: 2 }, { domain, closeTimeFilter: window, closeStatusFilter: { status: "TERMINATED" } })) {
    closed.push(...page.executionInfos.map((i) => i.execution.runId));
  }
  for (const runId of started) assert.ok(closed.includes(runId));

  const domains = [];
  for await (const page of paginateListDomains({ client: swf, pageSize: 1 }, { registrationStatus: "REGISTERED" })) domains.push(...page.domainInfos);
  assert.ok(domains.some((d) => d.name === domain));
});

test("a paginator aborted mid-walk against the local SWF rejects with AbortError and stops", async () => {
  const { domain, execution: mine } = await execution();
  const controller = new AbortController();
  let pages = 0;
  const err = await (async () => {
    try {
      for await (const page of paginateGetWorkflowExecutionHistory({ client: swf, pageSize: 1 }, { domain, execution: mine }, { signal: controller.signal })) {
        pages += 1;
        assert.equal(page.events.length, 1);
        if (pages === 2) controller.abort();
      }
    } catch (error) {
      return error;
    }
    return null;
  })();
  assert.ok(err instanceof AbortError, `${err}`);
  assert.equal(pages, 2);
});
