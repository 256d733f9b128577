// The operator actions' wire details through the built package with a stubbed global
// fetch that plays SWF (no server: the exact requests and answers are what is tested):
// timestamps in inputs (Date or epoch seconds, sent as SDK v3 sends them) and in answers
// (turned into Dates at exactly the model's paths), malformed answers, and the four
// paginators (token following, pageSize/startingToken, abort mid-walk, validation first).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import {
  SwfClient,
  SwfError,
  ValidationError,
  AbortError,
  paginateListDomains,
  paginateListOpenWorkflowExecutions,
  paginateListClosedWorkflowExecutions,
  paginateGetWorkflowExecutionHistory,
} from "../../pkg/node.js";

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** Stubs fetch with `answer(target, body) → JSON value | string`; returns the requests seen. */
function playing(answer) {
  const seen = [];
  globalThis.fetch = async (url, init) => {
    const target = new Headers(init.headers).get("x-amz-target").replace("SimpleWorkflowService.", "");
    const body = JSON.parse(init.body);
    seen.push({ target, body });
    const reply = await answer(target, body, seen.length);
    return new Response(typeof reply === "string" ? reply : JSON.stringify(reply), { status: 200 });
  };
  return seen;
}

const client = () =>
  new SwfClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDPAGING", secretAccessKey: "paging-secret" }, maxAttempts: 1 });
const execution = { workflowId: "w", runId: "r" };

test("input timestamps: a Date or epoch seconds, sent as whole seconds like SDK v3 (Math.round(ms / 1000))", async () => {
  const seen = playing(() => ({ executionInfos: [] }));
  const swf = client();
  await swf.listOpenWorkflowExecutions({ domain: "d", startTimeFilter: { oldestDate: new Date(1_700_000_000_499), latestDate: new Date(1_700_000_000_500) } });
  await swf.listOpenWorkflowExecutions({ domain: "d", startTimeFilter: { oldestDate: 1_700_000_000, latestDate: 1_700_000_000.5 } });
  await swf.listClosedWorkflowExecutions({ domain: "d", closeTimeFilter: { oldestDate: 0 }, closeStatusFilter: { status: "CANCELED" }, reverseOrder: true });
  assert.deepEqual(seen, [
    { target: "ListOpenWorkflowExecutions", body: { domain: "d", startTimeFilter: { oldestDate: 1_700_000_000, latestDate: 1_700_000_001 } } },
    { target: "ListOpenWorkflowExecutions", body: { domain: "d", startTimeFilter: { oldestDate: 1_700_000_000, latestDate: 1_700_000_001 } } },
    { target: "ListClosedWorkflowExecutions", body: { domain: "d", closeTimeFilter: { oldestDate: 0 }, closeStatusFilter: { status: "CANCELED" }, reverseOrder: true } },
  ]);
});

test("answers: epoch seconds become Dates at the model's timestamp paths, nothing else changes", async () => {
  const info = (n) => ({ execution: { workflowId: `w${n}`, runId: "r" }, workflowType: { name: "t", version: "1" }, startTimestamp: 1_700_000_000.125 + n, executionStatus: "CLOSED", closeTimestamp: 1_700_000_100 + n, cancelRequested: false });
  playing((target) => {
    if (target === "ListClosedWorkflowExecutions") return { executionInfos: [info(0), info(1)], nextPageToken: "next" };
    if (target === "DescribeWorkflowExecution") return { executionInfo: info(2), executionConfiguration: { taskStartToCloseTimeout: "60" }, openCounts: { openActivityTasks: 1 }, latestActivityTaskTimestamp: 1_700_000_200, latestExecutionContext: "ctx" };
    if (target === "GetWorkflowExecutionHistory") {
      return { events: [{ eventId: 1, eventType: "WorkflowExecutionStarted", eventTimestamp: 1_700_000_000.001, workflowExecutionStartedEventAttributes: { input: "1700000000", parentInitiatedEventId: 0 } }] };
    }
    if (target === "CountPendingActivityTasks") return { count: 3, truncated: false };
    return { domainInfos: [{ name: "d", status: "REGISTERED", arn: "arn:aws:swf:us-east-1:1:/domain/d" }] };
  });
  const swf = client();
  const closed = await swf.listClosedWorkflowExecutions({ domain: "d", startTimeFilter: { oldestDate: 1 } });
  assert.equal(closed.nextPageToken, "next");
  assert.deepEqual(closed.executionInfos[1], { ...info(1), startTimestamp: new Date(1_700_000_001_125), closeTimestamp: new Date(1_700_000_101_000) });
  const detail = await swf.describeWorkflowExecution({ domain: "d", execution });
  assert.deepEqual(detail, {
    executionInfo: { ...info(2), startTimestamp: new Date(1_700_000_002_125), closeTimestamp: new Date(1_700_000_102_000) },
    executionConfiguration: { taskStartToCloseTimeout: "60" },
    openCounts: { openActivityTasks: 1 },
    latestActivityTaskTimestamp: new Date(1_700_000_200_000),
    latestExecutionContext: "ctx",
  });
  const { events } = await swf.getWorkflowExecutionHistory({ domain: "d", execution });
  assert.deepEqual(events, [{ eventId: 1, eventType: "WorkflowExecutionStarted", eventTimestamp: new Date(1_700_000_000_001), workflowExecutionStartedEventAttributes: { input: "1700000000", parentInitiatedEventId: 0 } }]);
  assert.deepEqual(await swf.countPendingActivityTasks({ domain: "d", taskList: { name: "l" } }), { count: 3, truncated: false });
  assert.deepEqual(await swf.listDomains({ registrationStatus: "REGISTERED" }), { domainInfos: [{ name: "d", status: "REGISTERED", arn: "arn:aws:swf:us-east-1:1:/domain/d" }] });
});

test("answers that are not what the action returns reject with ResponseError (not retryable)", async () => {
  const bodies = ["<html>", "[]", "null", '{"events":{}}', '{"events":[{"eventTimestamp":"2026-01-01"}]}'];
  for (const body of bodies) {
    playing(() => body);
    await assert.rejects(client().getWorkflowExecutionHistory({ domain: "d", execution }), (e) => {
      assert.ok(e instanceof SwfError, body);
      assert.equal(e.name, "ResponseError", body);
      assert.equal(e.retryable, false);
      return true;
    });
  }
  playing(() => '{"executionInfo":{"startTimestamp":null},"latestActivityTaskTimestamp":null}');
  assert.deepEqual(await client().describeWorkflowExecution({ domain: "d", execution }), { executionInfo: { startTimestamp: null }, latestActivityTaskTimestamp: null });
  playing(() => "");
  assert.equal(await client().signalWorkflowExecution({ domain: "d", workflowId: "w", signalName: "s" }), undefined);
});

/** SWF paging over `items`: pages of maximumPageSize (default 1000), tokens "p<offset>". */
function pages(listKey, items) {
  return playing((target, body) => {
    const start = body.nextPageToken ? Number(body.nextPageToken.slice(1)) : 0;
    const size = body.maximumPageSize || 1000;
    const page = { [listKey]: items.slice(start, start + size) };
    if (start + size < items.length) page.nextPageToken = `p${start + size}`;
    return page;
  });
}

test("paginators follow nextPageToken to the end; pageSize is maximumPageSize; startingToken starts later", async () => {
  const events = Array.from({ length: 7 }, (_, i) => ({ eventId: i + 1, eventType: "MarkerRecorded", eventTimestamp: 1_700_000_000 + i }));
  const seen = pages("events", events);
  const swf = client();
  const got = [];
  for await (const page of paginateGetWorkflowExecutionHistory({ client: swf, pageSize: 3 }, { domain: "d", execution })) got.push(page);
  assert.deepEqual(got.map((p) => p.events.map((e) => e.eventId)), [[1, 2, 3], [4, 5, 6], [7]]);
  assert.ok(got[2].events[0].eventTimestamp instanceof Date);
  assert.deepEqual(seen.map((r) => [r.target, r.body.maximumPageSize, r.body.nextPageToken]), [
    ["GetWorkflowExecutionHistory", 3, undefined],
    ["GetWorkflowExecutionHistory", 3, "p3"],
    ["GetWorkflowExecutionHistory", 3, "p6"],
  ]);

  const domains = Array.from({ length: 5 }, (_, i) => ({ name: `d${i}`, status: "REGISTERED" }));
  pages("domainInfos", domains);
  const names = [];
  for await (const page of paginateListDomains({ client: swf, pageSize: 2, startingToken: "p1" }, { registrationStatus: "REGISTERED" })) {
    names.push(...page.domainInfos.map((d) => d.name));
  }
  assert.deepEqual(names, ["d1", "d2", "d3", "d4"]);

  const infos = Array.from({ length: 3 }, (_, i) => ({ execution: { workflowId: `w${i}`, runId: "r" }, startTimestamp: 1 }));
  for (const paginate of [paginateListOpenWorkflowExecutions, paginateListClosedWorkflowExecutions]) {
    const seenLists = pages("executionInfos", infos);
    const ids = [];
    for await (const page of paginate({ client: swf }, { domain: "d", startTimeFilter: { oldestDate: 1 }, maximumPageSize: 1 })) {
      ids.push(...page.executionInfos.map((i) => i.execution.workflowId));
    }
    assert.deepEqual(ids, ["w0", "w1", "w2"]);
    assert.equal(seenLists.length, 3);
  }
});

test("a paginator stops when options.signal aborts mid-walk (AbortError, no further request)", async () => {
  const events = Array.from({ length: 10 }, (_, i) => ({ eventId: i + 1, eventTimestamp: 1 }));
  const seen = pages("events", events);
  const controller = new AbortController();
  const got = [];
  await assert.rejects(
    (async () => {
      for await (const page of paginateGetWorkflowExecutionHistory({ client: client(), pageSize: 2 }, { domain: "d", execution }, { signal: controller.signal })) {
        got.push(page);
        if (got.length === 2) controller.abort();
      }
    })(),
    (e) => e instanceof AbortError && e.attempts === 0,
  );
  assert.equal(got.length, 2);
  assert.equal(seen.length, 2, "no request after the abort");

  // Aborted while a page is in flight: that call itself rejects.
  const slow = new AbortController();
  globalThis.fetch = (url, init) =>
    new Promise((resolve, reject) => {
      init.signal?.addEventListener("abort", () => reject(init.signal.reason));
      setTimeout(() => slow.abort(), 20);
    });
  const walk = paginateListDomains({ client: client() }, { registrationStatus: "REGISTERED" }, { signal: slow.signal });
  await assert.rejects(walk.next(), AbortError);
});

test("a paginator validates the first page's input before any I/O, and stops on a repeated token", async () => {
  const seen = playing(() => ({ events: [], nextPageToken: "same" }));
  const swf = client();
  const bad = paginateGetWorkflowExecutionHistory({ client: swf, pageSize: 5000 }, { domain: "d", execution });
  await assert.rejects(bad.next(), (e) => e instanceof ValidationError && e.field === "maximumPageSize");
  await assert.rejects(paginateListDomains({ client: {} }, { registrationStatus: "REGISTERED" }).next(), (e) => e instanceof ValidationError && e.field === "client");
  await assert.rejects(paginateListDomains({ client: swf, pageSise: 1 }, {}).next(), (e) => e instanceof ValidationError && e.field === "pageSise");
  assert.equal(seen.length, 0, "nothing was sent");
  let count = 0;
  for await (const page of paginateGetWorkflowExecutionHistory({ client: swf }, { domain: "d", execution })) count += 1 + page.events.length;
  assert.equal(count, 2, "the first page, then the one whose token repeated, then stop");
});

test("each of the 16 methods sends its own action (the method table and the wasm's action table agree)", async () => {
  const seen = playing(() => ({}));
  const methods = [
    "respondActivityTaskCanceled",
    "recordActivityTaskHeartbeat",
    "respondActivityTaskCompleted",
    "respondActivityTaskFailed",
    "pollForActivityTask",
    "listDomains",
    "listOpenWorkflowExecutions",
    "listClosedWorkflowExecutions",
    "describeWorkflowExecution",
    "getWorkflowExecutionHistory",
    "countPendingActivityTasks",
    "countPendingDecisionTasks",
    "requestCancelWorkflowExecution",
    "signalWorkflowExecution",
    "terminateWorkflowExecution",
    "describeActivityType",
  ];
  const swf = client();
  for (const method of methods) {
    assert.equal(typeof swf[method], "function", method);
    // An input without its required members: the error names the action before any I/O.
    const err = await swf[method]({}).catch((e) => e);
    assert.ok(err instanceof ValidationError, `${method}: ${err}`);
    assert.ok(err.message.startsWith(`${method[0].toUpperCase()}${method.slice(1)}: `), err.message);
  }
  assert.equal(seen.length, 0);
  const timeFilter = { oldestDate: 1 };
  const inputs = {
    respondActivityTaskCanceled: { taskToken: "t" },
    recordActivityTaskHeartbeat: { taskToken: "t" },
    respondActivityTaskCompleted: { taskToken: "t" },
    respondActivityTaskFailed: { taskToken: "t" },
    pollForActivityTask: { domain: "d", taskList: { name: "l" } },
    listDomains: { registrationStatus: "REGISTERED" },
    listOpenWorkflowExecutions: { domain: "d", startTimeFilter: timeFilter },
    listClosedWorkflowExecutions: { domain: "d", startTimeFilter: timeFilter },
    describeWorkflowExecution: { domain: "d", execution },
    getWorkflowExecutionHistory: { domain: "d", execution },
    countPendingActivityTasks: { domain: "d", taskList: { name: "l" } },
    countPendingDecisionTasks: { domain: "d", taskList: { name: "l" } },
    requestCancelWorkflowExecution: { domain: "d", workflowId: "w" },
    signalWorkflowExecution: { domain: "d", workflowId: "w", signalName: "s" },
    terminateWorkflowExecution: { domain: "d", workflowId: "w" },
    describeActivityType: { domain: "d", activityType: { name: "a", version: "1" } },
  };
  for (const method of methods) {
    const requests = playing((target) => (target === "RecordActivityTaskHeartbeat" ? { cancelRequested: false } : {}));
    await swf[method](inputs[method]);
    assert.deepEqual(requests, [{ target: `${method[0].toUpperCase()}${method.slice(1)}`, body: inputs[method] }]);
  }
});

test("answer caps: a history page may be up to 8 MiB, one byte more is refused (ResponseError, not retried)", async () => {
  const pad = (bytes) => JSON.stringify({ events: [], pad: "x".repeat(bytes - '{"events":[],"pad":""}'.length) });
  const limit = 8 * 1024 * 1024;
  for (const [bytes, ok] of [[limit, true], [limit + 1, false]]) {
    let calls = 0;
    globalThis.fetch = async () => {
      calls += 1;
      return new Response(pad(bytes), { status: 200 });
    };
    const result = await client()
      .getWorkflowExecutionHistory({ domain: "d", execution }, { maxAttempts: 3 })
      .then((page) => page, (error) => error);
    if (ok) assert.deepEqual(result.events, [], `${bytes} B is read`);
    else {
      assert.ok(result instanceof SwfError && result.name === "ResponseError", `${bytes} B: ${result}`);
      assert.equal(calls, 1, "not retried: the action happened");
    }
  }
  // A count's cap is the default 64 KiB.
  globalThis.fetch = async () => new Response(JSON.stringify({ count: 1, pad: "x".repeat(70_000) }), { status: 200 });
  await assert.rejects(client().countPendingActivityTasks({ domain: "d", taskList: { name: "l" } }), { name: "ResponseError" });
});
