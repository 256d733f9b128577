// followCancellation against a scripted fake client (SWF's answers for one execution whose
// history grows as a script says), and cancellationReport's diagnoses on hand-written
// histories. End to end against the local SWF: follow-local.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { followCancellation, cancellationReport } from "../../pkg/follow.js";
import { AbortError, SwfClient, SwfError, UnknownResourceFault, ValidationError, cancellationReport as exportedReport, followCancellation as exportedFollow } from "../../pkg/node.js";

const DOMAIN = "orders";
const EXECUTION = { workflowId: "order-42", runId: "run-1" };
const DECISIONS = "order-42.decisions";
const FAST = { intervalMs: 200 };

const key = (type) => `${type[0].toLowerCase()}${type.slice(1)}EventAttributes`;

/**
 * One execution as SWF would show it, for the four calls followCancellation makes. `steps`
 * run one per describeWorkflowExecution call (the start of each poll): each appends events
 * (`h.e(type, attributes)`) or changes the description. Pages hold `pageSize` events.
 */
function fakeSwf({ heartbeatTimeout = "30", startToCloseTimeout = "600", steps = [], pageSize = 4, pending = 1 } = {}) {
  const events = [];
  const calls = [];
  let status = { executionStatus: "OPEN" };
  let cancelRequested = false;
  const e = (eventType, attributes = {}, at = new Date()) => {
    events.push({ eventId: events.length + 1, eventType, eventTimestamp: at, [key(eventType)]: attributes });
    return events.length;
  };
  const h = {
    events,
    calls,
    e,
    close(closeStatus, eventType) {
      e(eventType);
      status = { executionStatus: "CLOSED", closeStatus, closeTimestamp: new Date() };
    },
  };
  e("WorkflowExecutionStarted", { taskList: { name: DECISIONS }, childPolicy: "TERMINATE" });
  const d1 = e("DecisionTaskScheduled", { taskList: { name: DECISIONS } });
  const d2 = e("DecisionTaskStarted", { scheduledEventId: d1, identity: "decider-1" });
  const d3 = e("DecisionTaskCompleted", { scheduledEventId: d1, startedEventId: d2 });
  h.scheduled = e("ActivityTaskScheduled", {
    activityType: { name: "ship", version: "1" },
    activityId: "ship-1",
    taskList: { name: "ship" },
    decisionTaskCompletedEventId: d3,
    heartbeatTimeout,
    startToCloseTimeout,
    scheduleToStartTimeout: "NONE",
    scheduleToCloseTimeout: "NONE",
  });
  h.started = e("ActivityTaskStarted", { scheduledEventId: h.scheduled, identity: "worker-7" });
  /** The decider's answer to the cancel request: one decision task with these decisions' events. */
  h.decide = (decide = () => {}) => {
    const scheduled = events.findLast((ev) => ev.eventType === "DecisionTaskScheduled").eventId;
    const started = e("DecisionTaskStarted", { scheduledEventId: scheduled, identity: "decider-1" });
    const completed = e("DecisionTaskCompleted", { scheduledEventId: scheduled, startedEventId: started });
    decide(completed);
  };
  h.askCancel = () => h.decide((completed) => e("ActivityTaskCancelRequested", { activityId: "ship-1", decisionTaskCompletedEventId: completed }));
  h.client = {
    async requestCancelWorkflowExecution(input, options) {
      calls.push(["requestCancel", input, options]);
      if (status.executionStatus === "CLOSED") throw new UnknownResourceFault({ message: "closed", statusCode: 400 });
      cancelRequested = true;
      e("WorkflowExecutionCancelRequested");
      e("DecisionTaskScheduled", { taskList: { name: DECISIONS } });
    },
    async describeWorkflowExecution(input, options) {
      calls.push(["describe", input, options]);
      const step = steps.shift();
      if (step instanceof Error) throw step;
      step?.(h);
      return {
        executionInfo: { execution: EXECUTION, workflowType: { name: "order", version: "1" }, startTimestamp: events[0].eventTimestamp, cancelRequested, ...status },
        executionConfiguration: { taskList: { name: DECISIONS }, childPolicy: "TERMINATE", taskStartToCloseTimeout: "60", executionStartToCloseTimeout: "3600" },
        openCounts: { openActivityTasks: 1, openDecisionTasks: 1, openTimers: 0, openChildWorkflowExecutions: 0 },
      };
    },
    async getWorkflowExecutionHistory(input, options) {
      calls.push(["history", input, options]);
      const ordered = input.reverseOrder ? [...events].reverse() : events;
      const from = input.nextPageToken ? Number(input.nextPageToken) : 0;
      const size = input.maximumPageSize ?? pageSize;
      const page = ordered.slice(from, from + Math.min(size, pageSize));
      const next = from + page.length;
      return next < ordered.length ? { events: page, nextPageToken: String(next) } : { events: page };
    },
    async countPendingDecisionTasks(input, options) {
      calls.push(["count", input, options]);
      return { count: pending };
    },
  };
  return h;
}

async function collect(iterable) {
  const reports = [];
  for await (const report of iterable) reports.push(report);
  return reports;
}

const codes = (report) => report.diagnoses.map((d) => d.code);

test("honoured: requested → decider-asked → closed as canceled, with requestCancel sent first", async () => {
  const h = fakeSwf({
    steps: [
      () => {}, // first poll: the request is recorded, the decider has not answered yet
      (h) => h.askCancel(),
      () => {}, // nothing new: no report
      (h) => h.e("ActivityTaskCanceled", { scheduledEventId: h.scheduled, startedEventId: h.started, details: "rolled back" }),
    ],
  });
  const signal = new AbortController().signal;
  const reports = await collect(followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { ...FAST, requestCancel: true, signal }));
  assert.deepEqual(
    reports.map((r) => [r.phase, r.done, r.activities.map((a) => a.state), codes(r)]),
    [
      ["requested", false, ["started"], []],
      ["decider-asked", false, ["cancel-requested"], []],
      ["closed", true, ["canceled"], []],
    ],
  );
  assert.equal(reports[2].activities[0].details, "rolled back");
  assert.equal(reports[2].execution.executionStatus, "OPEN");
  // The request went first, with the execution and the caller's signal.
  assert.deepEqual(h.calls[0].slice(0, 2), ["requestCancel", { domain: DOMAIN, ...EXECUTION }]);
  assert.equal(h.calls[0][2].signal, signal);
  // Four polls, one full history read (paged), then only the newest events.
  const histories = h.calls.filter(([name]) => name === "history").map(([, input]) => input);
  const firstPoll = histories.filter((input) => !input.reverseOrder);
  assert.ok(firstPoll.length >= 2, "the first read pages through the whole history");
  assert.ok(firstPoll.slice(1).every((input) => typeof input.nextPageToken === "string"));
  assert.ok(!("nextPageToken" in firstPoll[0]), "no undefined keys in the input");
  const later = histories.filter((input) => input.reverseOrder);
  assert.ok(later.length >= 3);
  assert.ok(later.every((input) => input.maximumPageSize === 100));
  assert.equal(h.calls.filter(([name]) => name === "describe").length, 4);
});

test("a later poll reads pages of new events until it reaches the ones it has seen", async () => {
  const h = fakeSwf({
    pageSize: 2,
    steps: [
      () => {},
      (h) => {
        for (let i = 0; i < 5; i++) h.e("MarkerRecorded", { markerName: `m${i}` });
        h.askCancel();
      },
    ],
  });
  const iterator = followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { ...FAST, requestCancel: true });
  await iterator.next();
  const before = h.calls.length;
  const { value } = await iterator.next();
  assert.equal(value.phase, "decider-asked");
  const reads = h.calls.slice(before).filter(([name]) => name === "history").map(([, input]) => input);
  // 8 new events, 2 per page: 4 pages of new ones, the 5th reaches a seen event.
  assert.deepEqual(reads.map((input) => [input.reverseOrder, input.nextPageToken]), [
    [true, undefined],
    [true, "2"],
    [true, "4"],
    [true, "6"],
    [true, "8"],
  ]);
  await iterator.return();
});

test("ignored: the decider completes a decision task without RequestCancelActivityTask", async () => {
  const h = fakeSwf({ steps: [() => {}, (h) => h.decide()] });
  const reports = [];
  for await (const report of followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { ...FAST, requestCancel: true })) {
    reports.push(report);
    if (report.diagnoses.length) break; // an operator would act now
  }
  const last = reports.at(-1);
  assert.equal(last.phase, "requested");
  assert.deepEqual(codes(last), ["decider-ignores-cancel"]);
  assert.match(last.diagnoses[0].message, /ignores cancel requests/);
  assert.match(last.diagnoses[0].message, /"ship-1"/);
  assert.match(last.diagnoses[0].message, new RegExp(`"${DECISIONS}" in domain "${DOMAIN}"`));
  assert.ok(last.diagnoses[0].since instanceof Date);
});

test("no decider: nothing starts the decision task; says which task list and how many tasks wait", async () => {
  const h = fakeSwf({ pending: 1 });
  const iterator = followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { ...FAST, requestCancel: true, stallAfterMs: 0 });
  const { value } = await iterator.next();
  await iterator.return();
  assert.deepEqual(codes(value), ["no-decider"]);
  assert.match(value.diagnoses[0].message, new RegExp(`nobody seems to poll decision task list "${DECISIONS}" in domain "${DOMAIN}"`));
  assert.match(value.diagnoses[0].message, /\(1 pending\)/);
  const count = h.calls.find(([name]) => name === "count");
  assert.deepEqual(count[1], { domain: DOMAIN, taskList: { name: DECISIONS } });
});

test("before stallAfterMs there is no stall diagnosis", async () => {
  const h = fakeSwf();
  const iterator = followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { ...FAST, requestCancel: true, stallAfterMs: 60_000 });
  const { value } = await iterator.next();
  await iterator.return();
  assert.deepEqual(codes(value), []);
});

test("decider asked, no heartbeat timeout: only a heartbeat tells the worker; when SWF ends it otherwise", async () => {
  const h = fakeSwf({ heartbeatTimeout: "NONE", startToCloseTimeout: "600", steps: [(h) => h.askCancel()] });
  const iterator = followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { ...FAST, requestCancel: true, stallAfterMs: 0 });
  const { value } = await iterator.next();
  await iterator.return();
  assert.equal(value.phase, "decider-asked");
  assert.deepEqual(codes(value), ["no-heartbeat-timeout"]);
  const startedAt = h.events[h.started - 1].eventTimestamp;
  const endsAt = new Date(startedAt.getTime() + 600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  assert.match(value.diagnoses[0].message, /RecordActivityTaskHeartbeat/);
  assert.match(value.diagnoses[0].message, /worker "worker-7"/);
  assert.ok(value.diagnoses[0].message.includes(endsAt), value.diagnoses[0].message);
  assert.equal(value.diagnoses[0].activityId, "ship-1");
});

test("decider asked, no heartbeat nor start-to-close timeout: SWF will never end it", () => {
  const h = fakeSwf({ heartbeatTimeout: "NONE", startToCloseTimeout: "NONE" });
  h.client.requestCancelWorkflowExecution({});
  h.askCancel();
  const report = cancellationReport({ events: h.events, stallAfterMs: 0 });
  assert.deepEqual(codes(report), ["no-heartbeat-timeout"]);
  assert.match(report.diagnoses[0].message, /SWF never ends it/);
});

test("decider asked, heartbeat timeout: by when SWF times it out if the worker is gone", () => {
  const h = fakeSwf({ heartbeatTimeout: "30", startToCloseTimeout: "NONE" });
  h.client.requestCancelWorkflowExecution({});
  h.askCancel();
  const now = Date.now() + 5000;
  const report = cancellationReport({ events: h.events, now, stallAfterMs: 1000 });
  assert.deepEqual(codes(report), ["worker-not-canceling"]);
  const by = new Date(now + 30_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  assert.ok(report.diagnoses[0].message.includes(`by ${by} at the latest`), report.diagnoses[0].message);
  assert.equal(report.diagnoses[0].deadline.getTime(), now + 30_000);
  // An earlier start-to-close deadline wins.
  const h2 = fakeSwf({ heartbeatTimeout: "3600", startToCloseTimeout: "10" });
  h2.client.requestCancelWorkflowExecution({});
  h2.askCancel();
  const early = cancellationReport({ events: h2.events, now, stallAfterMs: 0 });
  const startedAt = h2.events[h2.started - 1].eventTimestamp.getTime();
  assert.ok(early.diagnoses[0].message.includes(new Date(startedAt + 10_000).toISOString().replace(/\.\d{3}Z$/, "Z")));
  assert.equal(early.diagnoses[0].deadline.getTime(), startedAt + 10_000);
});

test("the workflow closes (terminated) with the activity open: done, with the reason", async () => {
  const h = fakeSwf({ steps: [() => {}, (h) => h.close("TERMINATED", "WorkflowExecutionTerminated")] });
  const reports = await collect(followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { ...FAST, requestCancel: true }));
  const last = reports.at(-1);
  assert.equal(last.done, true);
  assert.equal(last.phase, "closed");
  assert.equal(last.execution.closeStatus, "TERMINATED");
  assert.deepEqual(codes(last), ["workflow-closed"]);
  assert.match(last.diagnoses[0].message, /TERMINATED/);
  assert.equal(last.activities[0].state, "started");
});

test("the activity completes instead of being canceled: done, saying so", async () => {
  const h = fakeSwf({ steps: [(h) => h.askCancel(), (h) => h.e("ActivityTaskCompleted", { scheduledEventId: h.scheduled, startedEventId: h.started, result: "shipped" })] });
  const reports = await collect(followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { ...FAST, requestCancel: true }));
  assert.deepEqual(reports.map((r) => r.phase), ["decider-asked", "closed"]);
  assert.deepEqual(codes(reports[1]), ["closed-not-canceled"]);
  assert.equal(reports[1].activities[0].result, "shipped");
});

test("activityId: follows only that activity; an unknown id ends at once with a diagnosis", async () => {
  const h = fakeSwf({ steps: [(h) => h.askCancel()] });
  const iterator = followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION, activityId: "ship-1" }, FAST);
  const { value } = await iterator.next();
  await iterator.return();
  assert.deepEqual(value.activities.map((a) => a.activityId), ["ship-1"]);

  const missing = await collect(followCancellation({ client: fakeSwf().client }, { domain: DOMAIN, execution: EXECUTION, activityId: "nope" }, FAST));
  assert.equal(missing.length, 1);
  assert.equal(missing[0].done, true);
  assert.deepEqual(codes(missing[0]), ["activity-not-found"]);
  assert.match(missing[0].diagnoses[0].message, /"ship-1"/);
});

test("without requestCancel and without a request: says nobody asked", async () => {
  const h = fakeSwf();
  const iterator = followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, FAST);
  const { value } = await iterator.next();
  await iterator.return();
  assert.deepEqual(codes(value), ["not-requested"]);
  assert.equal(h.calls.filter(([name]) => name === "requestCancel").length, 0);
});

test("requestCancel on a closed execution reports it closed instead of rejecting", async () => {
  const h = fakeSwf();
  h.close("COMPLETED", "WorkflowExecutionCompleted");
  const reports = await collect(followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { ...FAST, requestCancel: true }));
  assert.equal(reports.length, 1);
  assert.equal(reports[0].done, true);
  assert.equal(reports[0].execution.closeStatus, "COMPLETED");
});

test("an UnknownResourceFault for an execution that is not closed (unknown) rejects", async () => {
  const client = {
    async requestCancelWorkflowExecution() {
      throw new UnknownResourceFault({ message: "unknown execution", statusCode: 400 });
    },
    async describeWorkflowExecution() {
      throw new UnknownResourceFault({ message: "unknown execution", statusCode: 400 });
    },
  };
  await assert.rejects(collect(followCancellation({ client: { ...client, getWorkflowExecutionHistory() {}, countPendingDecisionTasks() {} } }, { domain: DOMAIN, execution: EXECUTION }, { requestCancel: true })), UnknownResourceFault);
});

test("a retryable failure skips a poll; a non-retryable one rejects", async () => {
  const flaky = new SwfError({ name: "ThrottlingException", message: "slow down", retryable: true, statusCode: 400 });
  const h = fakeSwf({ steps: [flaky, (h) => h.askCancel(), (h) => h.e("ActivityTaskCanceled", { scheduledEventId: h.scheduled, startedEventId: h.started })] });
  const reports = await collect(followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { ...FAST, requestCancel: true }));
  assert.deepEqual(reports.map((r) => r.phase), ["decider-asked", "closed"]);

  const always = fakeSwf({ steps: [flaky, flaky, flaky, flaky] });
  await assert.rejects(collect(followCancellation({ client: always.client }, { domain: DOMAIN, execution: EXECUTION }, FAST)), (error) => error === flaky);
  assert.equal(always.calls.filter(([name]) => name === "describe").length, 3);

  const denied = new SwfError({ name: "OperationNotPermittedFault", message: "no", statusCode: 400 });
  const h3 = fakeSwf({ steps: [denied] });
  await assert.rejects(collect(followCancellation({ client: h3.client }, { domain: DOMAIN, execution: EXECUTION }, FAST)), (error) => error === denied);
});

test("abort: while waiting between polls it rejects at once with AbortError and stops polling", async () => {
  const h = fakeSwf();
  const controller = new AbortController();
  const iterator = followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { intervalMs: 60_000, signal: controller.signal, requestCancel: true });
  await iterator.next();
  const started = Date.now();
  const pending = iterator.next();
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, AbortError);
  assert.ok(Date.now() - started < 5000, "no wait for the interval");
  const polls = h.calls.length;
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(h.calls.length, polls);
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
});

test("abort: an already aborted signal rejects the first next() without any call", async () => {
  const h = fakeSwf();
  const iterable = followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, { signal: AbortSignal.abort(), requestCancel: true });
  await assert.rejects(collect(iterable), AbortError);
  assert.equal(h.calls.length, 0);
});

test("invalid input and options reject the first next() with ValidationError, before any call", async () => {
  const h = fakeSwf();
  const target = { domain: DOMAIN, execution: EXECUTION };
  const cases = [
    [undefined, {}, undefined],
    [{ ...target, domain: 7 }, {}, "domain"],
    [{ ...target, execution: { workflowId: "w" } }, {}, "execution.runId"],
    [{ domain: DOMAIN }, {}, undefined],
    [{ ...target, activityId: 1 }, {}, "activityId"],
    [{ ...target, typo: 1 }, {}, "typo"],
    [target, { intervalMs: 199 }, "intervalMs"],
    [target, { intervalMs: 2 ** 31 }, "intervalMs"],
    [target, { intervalMs: Number.NaN }, "intervalMs"],
    [target, { intervalMs: "500" }, "intervalMs"],
    [target, { stallAfterMs: "5" }, "stallAfterMs"],
    [target, { stallAfterMs: -1 }, "stallAfterMs"],
    [target, { requestCancel: "yes" }, "requestCancel"],
    [target, { signal: { aborted: false } }, "signal"],
    [target, { signal: Object.create(AbortSignal.prototype) }, "signal"],
    [target, { intervalMS: 500 }, "intervalMS"],
    [target, "fast", undefined],
    [
      target,
      {
        get intervalMs() {
          throw new Error("getter");
        },
      },
      undefined,
    ],
  ];
  for (const [input, options, field] of cases) {
    let iterable;
    assert.doesNotThrow(() => {
      iterable = followCancellation({ client: h.client }, input, options);
    });
    await assert.rejects(collect(iterable), (error) => error instanceof ValidationError && error.field === field, JSON.stringify({ input, field }));
  }
  assert.equal(h.calls.length, 0);
});

test("options are read once, when followCancellation is called", async () => {
  const h = fakeSwf({ steps: [(h) => h.askCancel(), (h) => h.e("ActivityTaskCanceled", { scheduledEventId: h.scheduled, startedEventId: h.started })] });
  const options = { intervalMs: 200, requestCancel: true };
  const iterable = followCancellation({ client: h.client }, { domain: DOMAIN, execution: EXECUTION }, options);
  options.intervalMs = 1; // too late to matter
  options.requestCancel = false;
  const reports = await collect(iterable);
  assert.equal(reports.at(-1).done, true);
  assert.equal(h.calls[0][0], "requestCancel");
});

// ---- cancellationReport on hand-written histories ------------------------------------

function requested(options) {
  const h = fakeSwf(options);
  h.client.requestCancelWorkflowExecution({});
  return h;
}

test("report: a decision task that timed out after the request", () => {
  const h = requested();
  const scheduled = h.events.length;
  const started = h.e("DecisionTaskStarted", { scheduledEventId: scheduled, identity: "decider-1" });
  h.e("DecisionTaskTimedOut", { scheduledEventId: scheduled, startedEventId: started, timeoutType: "START_TO_CLOSE" });
  h.e("DecisionTaskScheduled", { taskList: { name: DECISIONS } });
  assert.deepEqual(codes(cancellationReport({ events: h.events, stallAfterMs: 0 })), ["decider-timed-out"]);
});

test("report: a decider holding a decision task too long", () => {
  const h = requested();
  const longAgo = new Date(Date.now() - 120_000);
  h.events.forEach((ev) => (ev.eventTimestamp = longAgo));
  h.e("DecisionTaskStarted", { scheduledEventId: h.events.length, identity: "slow-decider" }, longAgo);
  const report = cancellationReport({ events: h.events, stallAfterMs: 60_000 });
  assert.deepEqual(codes(report), ["decider-slow"]);
  assert.match(report.diagnoses[0].message, /"slow-decider"/);
});

test("report: SWF refused the decider's RequestCancelActivityTask", () => {
  const h = requested();
  h.decide((completed) => h.e("RequestCancelActivityTaskFailed", { activityId: "ship-1", cause: "ACTIVITY_ID_UNKNOWN", decisionTaskCompletedEventId: completed }));
  const report = cancellationReport({ events: h.events });
  assert.deepEqual(codes(report), ["cancel-request-failed"]);
  assert.match(report.diagnoses[0].message, /ACTIVITY_ID_UNKNOWN/);
});

test("report: the targets are the activities open when the cancel was requested", () => {
  const h = fakeSwf();
  // A second activity closed before the request, a third scheduled after it.
  const done = h.e("ActivityTaskScheduled", { activityId: "early", activityType: { name: "x", version: "1" }, taskList: { name: "t" } });
  h.e("ActivityTaskCompleted", { scheduledEventId: done, startedEventId: 0 });
  h.client.requestCancelWorkflowExecution({});
  h.e("ActivityTaskScheduled", { activityId: "late", activityType: { name: "x", version: "1" }, taskList: { name: "t" } });
  const report = cancellationReport({ events: h.events });
  assert.deepEqual(report.activities.map((a) => a.activityId), ["ship-1"]);
  // Raw SWF JSON (epoch seconds) and JSON of Dates give the same report.
  const raw = h.events.map((ev) => ({ ...ev, eventTimestamp: ev.eventTimestamp.getTime() / 1000 }));
  const now = Date.now();
  assert.deepEqual(cancellationReport({ events: raw, now }), cancellationReport({ events: h.events, now }));
  assert.deepEqual(cancellationReport({ events: JSON.parse(JSON.stringify(h.events)), now }), cancellationReport({ events: h.events, now }));
});

test("report: no open activity: follows the workflow until it closes canceled", () => {
  const h = fakeSwf();
  h.e("ActivityTaskCompleted", { scheduledEventId: h.scheduled, startedEventId: h.started });
  h.client.requestCancelWorkflowExecution({});
  const waiting = cancellationReport({ events: h.events });
  assert.deepEqual([waiting.phase, waiting.done, waiting.activities], ["requested", false, []]);
  h.decide();
  assert.deepEqual(codes(cancellationReport({ events: h.events })), ["decider-ignores-cancel"]);
  h.e("WorkflowExecutionCanceled", {});
  const closed = cancellationReport({ events: h.events });
  assert.deepEqual([closed.phase, closed.done, codes(closed), closed.execution], ["closed", true, [], { executionStatus: "CLOSED", closeStatus: "CANCELED" }]);
});

test("report: events from any iterable, even a one-shot generator", () => {
  const h = requested();
  h.decide();
  const expected = cancellationReport({ events: h.events, now: 1 });
  assert.deepEqual(codes(expected), ["decider-ignores-cancel"]);
  assert.deepEqual(cancellationReport({ events: (function* () { yield* h.events; })(), now: 1 }), expected);
});

test("report: garbage never throws", () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const throwing = {
    get events() {
      throw new Error("getter");
    },
  };
  for (const snapshot of [revoked.proxy, throwing, { events: revoked.proxy }, undefined, null, 5, {}, { events: [null, 1, { eventId: "x" }] }, { events: [], description: "x", now: "later", stallAfterMs: -5 }, { events: 5 }, { events: "text" }, { events: { length: 2 } }]) {
    const report = cancellationReport(snapshot);
    assert.equal(typeof report.phase, "string");
    assert.ok(Array.isArray(report.diagnoses));
  }
});

test("exported from the package, and works with an SwfClient; the config must hold a client", async () => {
  assert.equal(exportedReport, cancellationReport);
  assert.equal(exportedFollow, followCancellation);
  const client = new SwfClient({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "secret" } });
  const iterable = exportedFollow({ client }, { domain: DOMAIN, execution: EXECUTION }, { intervalMs: 5 });
  assert.equal(typeof iterable[Symbol.asyncIterator], "function");
  await assert.rejects(iterable.next(), (error) => error instanceof ValidationError && error.field === "intervalMs");
  for (const config of [undefined, client, {}, { client: {} }, { client, pageSize: 5 }]) {
    await assert.rejects(
      collect(followCancellation(config, { domain: DOMAIN, execution: EXECUTION })),
      (error) => error instanceof ValidationError && ["client", "pageSize", undefined].includes(error.field),
    );
  }
});

test("size: a bundle that does not use followCancellation (nor activitiesFromHistory) does not carry them", async () => {
  const { build } = await import("esbuild");
  const { fileURLToPath } = await import("node:url");
  const pkg = fileURLToPath(new URL("../../pkg/", import.meta.url));
  const bundle = async (names) => {
    const contents = `import { ${names} } from "./browser.js"; globalThis.used = [${names}];`;
    const result = await build({ stdin: { contents, resolveDir: pkg, loader: "js" }, bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "silent" });
    return result.outputFiles[0].text;
  };
  const [plain, history, follow] = await Promise.all([bundle("SwfClient"), bundle("SwfClient, activitiesFromHistory"), bundle("SwfClient, followCancellation")]);
  for (const marker of ["decider-ignores-cancel", "schedule-failed"]) assert.ok(!plain.includes(marker), `${marker} not in a plain client's bundle`);
  assert.ok(history.includes("schedule-failed") && !history.includes("decider-ignores-cancel"));
  assert.ok(follow.includes("decider-ignores-cancel") && follow.includes("schedule-failed"));
});

test("report: activityId follows that id's latest run (a retried activity's second attempt)", () => {
  const h = fakeSwf();
  h.e("ActivityTaskTimedOut", { scheduledEventId: h.scheduled, startedEventId: h.started, timeoutType: "HEARTBEAT" });
  const again = h.e("ActivityTaskScheduled", { activityId: "ship-1", activityType: { name: "ship", version: "1" }, taskList: { name: "ship" }, heartbeatTimeout: "30" });
  h.e("ActivityTaskStarted", { scheduledEventId: again, identity: "worker-8" });
  h.client.requestCancelWorkflowExecution({});
  h.askCancel();
  const report = cancellationReport({ events: h.events, activityId: "ship-1" });
  assert.deepEqual(report.activities.map((a) => [a.attempt, a.state, a.identity]), [[2, "cancel-requested", "worker-8"]]);
  assert.equal(report.phase, "decider-asked");
});
