// The example Worker's operator routes in workerd (the packed package in a scratch copy of
// examples/worker, wrangler dev) against the local SWF with a live decider: same bearer
// auth, CORS, limits and error shape as the token routes; each route's answer checked
// against what SWF (boto3, via scenario.py) shows.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { SwfClient } from "../../pkg/node.js";
import { packPackage, scratchWorker, startWorker } from "../support/worker.mjs";
import { startSwfLocal, LOCAL_CREDENTIALS, LOCAL_REGION } from "../support/swf-local.mjs";
import { startDecider } from "../support/decider.mjs";
import { startActivityWorker, eventually } from "./operator-support.mjs";

const TOKEN = `routes-bearer-${randomBytes(8).toString("hex")}`;
const ORIGIN = "http://127.0.0.1:9999";
const DOMAIN = "swf-edge-routes";
const DECISIONS = "routes-decisions";
const ACTIVITIES = "routes-activities";
/** An activity task list nobody polls: its activities stay scheduled, the workflow open. */
const IDLE = "routes-nobody-polls";

let local;
let worker;
let decider;
let activityWorker;
let swf;

before(async () => {
  local = await startSwfLocal();
  swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
  // The decider registers the domain and the types before it says it is ready.
  [worker, decider] = await Promise.all([
    startWorker(scratchWorker("worker-operator", packPackage()), {
      vars: { AWS_REGION: LOCAL_REGION, SWF_ENDPOINT: local.url, ALLOWED_ORIGINS: ORIGIN },
      secrets: { DASHBOARD_TOKEN: TOKEN, AWS_ACCESS_KEY_ID: "AKIDROUTES", AWS_SECRET_ACCESS_KEY: "routes-secret" },
    }),
    startDecider(local, { domain: DOMAIN, taskList: DECISIONS, mode: "honour" }),
  ]);
  activityWorker = startActivityWorker(swf, { domain: DOMAIN, taskList: ACTIVITIES });
});

after(async () => {
  await activityWorker?.stop();
  await decider?.stop();
  await worker?.stop();
  await local?.stop();
});

async function call(path, body, { token = TOKEN, method = "POST", raw } = {}) {
  const response = await fetch(`${worker.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: method === "GET" ? undefined : (raw ?? JSON.stringify(body)),
  });
  return { status: response.status, body: await response.json() };
}

const OPERATOR_ROUTES = [
  "/domains",
  "/executions/open",
  "/executions/closed",
  "/execution/describe",
  "/execution/history",
  "/execution/activities",
  "/execution/request-cancel",
  "/execution/signal",
  "/execution/terminate",
  "/execution/cancellation",
];

const start = (args = {}) => local.scenario("start-workflow", { domain: DOMAIN, taskList: DECISIONS, activityTaskList: ACTIVITIES, ...args });
const anHourAgo = () => Math.floor(Date.now() / 1000) - 3600;

test("every operator route: bearer auth, POST only, JSON object bodies, size cap, CORS", async () => {
  for (const path of OPERATOR_ROUTES) {
    assert.equal((await call(path, {}, { token: "wrong" })).status, 401, path);
    assert.equal((await call(path, undefined, { method: "GET" })).status, 404, path);
    const notJson = await call(path, undefined, { raw: "{not json" });
    assert.deepEqual(notJson, { status: 400, body: { error: "the body must be JSON" } }, path);
    assert.equal((await call(path, undefined, { raw: "[1]" })).status, 400, path);
  }
  const huge = await call("/execution/signal", { domain: DOMAIN, workflowId: "w", signalName: "s", input: "x".repeat(300_000) });
  assert.equal(huge.status, 413);
  const preflight = await fetch(`${worker.url}/execution/cancellation`, {
    method: "OPTIONS",
    headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), ORIGIN);
  const answered = await fetch(`${worker.url}/domains`, {
    method: "POST",
    headers: { origin: ORIGIN, authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ registrationStatus: "REGISTERED" }),
  });
  assert.equal(answered.status, 200);
  assert.equal(answered.headers.get("access-control-allow-origin"), ORIGIN);
  await answered.json();
});

test("inputs are checked by swf-edge against AWS's model before any request: 400 ValidationError with the field", async () => {
  const twoFilters = await call("/executions/open", {
    domain: DOMAIN,
    startTimeFilter: { oldestDate: anHourAgo() },
    tagFilter: { tag: "a" },
    executionFilter: { workflowId: "b" },
  });
  assert.equal(twoFilters.status, 400);
  assert.equal(twoFilters.body.error.name, "ValidationError");
  const noFilter = await call("/executions/closed", { domain: DOMAIN });
  assert.equal(noFilter.status, 400);
  assert.equal(noFilter.body.error.name, "ValidationError");
  const unknownKey = await call("/execution/describe", { domain: DOMAIN, execution: { workflowId: "w", runId: "r" }, extra: 1 });
  assert.equal(unknownKey.status, 400);
  assert.equal(unknownKey.body.error.name, "ValidationError");
  const badSize = await call("/execution/history", { domain: DOMAIN, execution: { workflowId: "w", runId: "r" }, maximumPageSize: 500 });
  assert.deepEqual(badSize, { status: 400, body: { error: "maximumPageSize must be 1 to 200 here" } });
  // 0 means SWF's default of 1000 events a page: past the Worker's cap too.
  const zeroSize = await call("/executions/open", { domain: DOMAIN, startTimeFilter: { oldestDate: 0 }, maximumPageSize: 0 });
  assert.deepEqual(zeroSize, { status: 400, body: { error: "maximumPageSize must be 1 to 200 here" } });
  // SWF's own refusal is relayed as 502 with SWF's name, status and request id.
  const unknown = await call("/execution/describe", { domain: DOMAIN, execution: { workflowId: "nope", runId: "00000000000000000000000000000000" } });
  assert.equal(unknown.status, 502);
  assert.equal(unknown.body.error.name, "UnknownResourceFault");
  assert.equal(unknown.body.error.statusCode, 400);
  assert.match(unknown.body.error.requestId, /^[0-9a-f-]{36}$/);
});

test("domains and executions: listed with filters and paged past one page", async () => {
  const domains = await call("/domains", { registrationStatus: "REGISTERED" });
  assert.equal(domains.status, 200);
  assert.ok(domains.body.domainInfos.some((d) => d.name === DOMAIN && d.status === "REGISTERED"), JSON.stringify(domains.body));
  const tag = `batch-${randomBytes(4).toString("hex")}`;
  const started = [];
  for (let i = 0; i < 3; i++) started.push(await start({ tag, activityTaskList: IDLE }));
  const ids = new Set(started.map((s) => s.workflowId));
  const seen = [];
  let nextPageToken;
  let pages = 0;
  do {
    const page = await call("/executions/open", {
      domain: DOMAIN,
      startTimeFilter: { oldestDate: anHourAgo() },
      tagFilter: { tag },
      maximumPageSize: 2,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.ok(page.body.executionInfos.length <= 2);
    for (const info of page.body.executionInfos) {
      seen.push(info.execution.workflowId);
      assert.match(info.startTimestamp, /^\d{4}-\d{2}-\d{2}T/, "timestamps are ISO strings in the Worker's JSON");
      assert.equal(info.executionStatus, "OPEN");
    }
    nextPageToken = page.body.nextPageToken;
    pages++;
  } while (nextPageToken && pages < 5);
  assert.equal(pages, 2, "three executions in pages of two");
  assert.deepEqual(new Set(seen), ids);
  const one = await call("/executions/open", { domain: DOMAIN, startTimeFilter: { oldestDate: anHourAgo() }, executionFilter: { workflowId: started[0].workflowId } });
  assert.deepEqual(one.body.executionInfos.map((i) => i.execution.runId), [started[0].runId]);
});

test("describe, history, activities; request cancel → decider → heartbeat → canceled, followed by snapshots", async () => {
  const run = await start({ activities: 1 });
  const execution = { workflowId: run.workflowId, runId: run.runId };
  const target = { domain: DOMAIN, execution };
  // The worker has started the activity.
  const started = await eventually(async () => {
    const { body } = await call("/execution/activities", target);
    return body.activities?.[0]?.state === "started" && body;
  }, { what: "the activity to start" });
  assert.equal(started.truncated, false);
  assert.equal(started.activities[0].activityId, run.activityIds[0]);
  assert.equal(started.activities[0].identity, "www-test-worker");
  const described = await call("/execution/describe", target);
  assert.equal(described.status, 200);
  assert.equal(described.body.executionInfo.execution.runId, run.runId);
  assert.equal(described.body.executionInfo.executionStatus, "OPEN");
  assert.equal(described.body.executionConfiguration.taskList.name, DECISIONS);
  // History: pages of one event follow each other, oldest first, and match SWF's own history.
  const { events: truth } = await local.scenario("history", { domain: DOMAIN, workflowId: run.workflowId, runId: run.runId });
  const first = await call("/execution/history", { ...target, maximumPageSize: 1 });
  assert.equal(first.body.events.length, 1);
  assert.equal(first.body.events[0].eventType, "WorkflowExecutionStarted");
  const second = await call("/execution/history", { ...target, maximumPageSize: 1, nextPageToken: first.body.nextPageToken });
  assert.equal(second.body.events[0].eventId, 2);
  assert.equal(second.body.events[0].eventType, truth[1].eventType);

  // Before any request: a snapshot says so and is not done.
  const cancel = await call("/execution/request-cancel", { domain: DOMAIN, workflowId: run.workflowId, runId: run.runId });
  assert.deepEqual(cancel, { status: 200, body: { ok: true } });
  const reports = [];
  const last = await eventually(async () => {
    const { status, body } = await call("/execution/cancellation", target);
    assert.equal(status, 200, JSON.stringify(body));
    reports.push(body);
    return body.done && body;
  }, { what: "the cancellation to finish", everyMs: 300 });
  assert.equal(last.phase, "closed");
  assert.deepEqual(last.activities.map((a) => [a.activityId, a.state]), [[run.activityIds[0], "canceled"]]);
  assert.equal(last.activities[0].details, "worker cleaned up");
  const { events } = await local.scenario("history", { domain: DOMAIN, workflowId: run.workflowId, runId: run.runId });
  const types = events.map((e) => e.eventType);
  for (const type of ["WorkflowExecutionCancelRequested", "ActivityTaskCancelRequested", "ActivityTaskCanceled"]) assert.ok(types.includes(type), type);
  await eventually(async () => (await call("/execution/describe", target)).body.executionInfo.closeStatus === "CANCELED", { what: "the workflow to close as canceled" });
  const closed = await call("/executions/closed", { domain: DOMAIN, closeTimeFilter: { oldestDate: anHourAgo() }, closeStatusFilter: { status: "CANCELED" } });
  assert.ok(closed.body.executionInfos.some((i) => i.execution.runId === run.runId));
});

test("signal and terminate (terminate only with the repeated workflow id)", async () => {
  const run = await start({ activityTaskList: IDLE });
  const execution = { workflowId: run.workflowId, runId: run.runId };
  const signal = await call("/execution/signal", { domain: DOMAIN, workflowId: run.workflowId, runId: run.runId, signalName: "poke", input: "{\"n\":1}" });
  assert.deepEqual(signal, { status: 200, body: { ok: true } });
  const { events } = await local.scenario("history", { domain: DOMAIN, workflowId: run.workflowId, runId: run.runId });
  const signaled = events.find((e) => e.eventType === "WorkflowExecutionSignaled");
  assert.equal(signaled.workflowExecutionSignaledEventAttributes.signalName, "poke");
  assert.equal(signaled.workflowExecutionSignaledEventAttributes.input, "{\"n\":1}");

  const input = { domain: DOMAIN, workflowId: run.workflowId, runId: run.runId, reason: "stuck", details: "ops ticket 7" };
  for (const confirmWorkflowId of [undefined, "", `${run.workflowId} `]) {
    const refused = await call("/execution/terminate", { ...input, confirmWorkflowId });
    assert.equal(refused.status, 400, String(confirmWorkflowId));
    assert.match(refused.body.error, /confirmWorkflowId must repeat workflowId/);
  }
  assert.equal((await call("/execution/describe", { domain: DOMAIN, execution })).body.executionInfo.executionStatus, "OPEN", "nothing was terminated");
  const done = await call("/execution/terminate", { ...input, confirmWorkflowId: run.workflowId });
  assert.deepEqual(done, { status: 200, body: { ok: true } });
  const after = await call("/execution/describe", { domain: DOMAIN, execution });
  assert.equal(after.body.executionInfo.closeStatus, "TERMINATED");
  const history = await local.scenario("history", { domain: DOMAIN, workflowId: run.workflowId, runId: run.runId });
  const terminated = history.events.find((e) => e.eventType === "WorkflowExecutionTerminated");
  assert.equal(terminated.workflowExecutionTerminatedEventAttributes.reason, "stuck");
  assert.equal(terminated.workflowExecutionTerminatedEventAttributes.details, "ops ticket 7");
});

test("one snapshot is enough to diagnose a stall: SWF's own timestamps say how long nobody decided", async () => {
  const nobody = "routes-nobody-decides";
  const run = await start({ taskList: nobody, activityTaskList: IDLE });
  const target = { domain: DOMAIN, execution: { workflowId: run.workflowId, runId: run.runId } };
  assert.deepEqual((await call("/execution/request-cancel", { domain: DOMAIN, workflowId: run.workflowId })).body, { ok: true });
  const report = await eventually(async () => {
    const { status, body } = await call("/execution/cancellation", { ...target, stallAfterMs: 1000 });
    assert.equal(status, 200, JSON.stringify(body));
    return body.diagnoses.some((d) => d.code === "no-decider") && body;
  }, { what: "the no-decider diagnosis", everyMs: 400 });
  assert.equal(report.done, false);
  assert.equal(report.phase, "requested");
  const [diagnosis] = report.diagnoses.filter((d) => d.code === "no-decider");
  assert.ok(diagnosis.message.includes(nobody), `names the decision task list: ${diagnosis.message}`);
  assert.match(diagnosis.since, /^\d{4}-\d{2}-\d{2}T/, "since: the cancel request's time, as an ISO string");
  // Before stallAfterMs has passed, the same snapshot does not call it a stall.
  const early = await call("/execution/cancellation", { ...target, stallAfterMs: 600_000 });
  assert.deepEqual(early.body.diagnoses.filter((d) => d.code === "no-decider"), []);
});
