// The executions view's pure helpers (www/js/executions.js) in Node: list inputs from the
// filter form (SWF's one-filter rule, time ranges), timestamps from either connection mode,
// execution states and the timeline's event lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  activityOutcome,
  describeEvent,
  epochSeconds,
  executionBadge,
  executionStatusText,
  listInput,
  shortRunId,
  toDate,
} from "../../www/js/executions.js";

const NOW = new Date(Date.UTC(2026, 11, 1, 12, 0, 0));
const nowSeconds = NOW.getTime() / 1000;

test("toDate accepts a Date, an ISO string (Worker JSON) or epoch seconds (raw SWF)", () => {
  const when = new Date("2026-12-01T12:00:00.250Z");
  assert.equal(toDate(when), when);
  assert.equal(toDate("2026-12-01T12:00:00.250Z").getTime(), when.getTime());
  assert.equal(toDate(when.getTime() / 1000).getTime(), when.getTime());
  for (const bad of [undefined, null, "", "yesterday", NaN, {}, new Date("x")]) assert.equal(toDate(bad), undefined, String(bad));
});

test("datetime-local values are read as local time into epoch seconds", () => {
  const local = new Date(2026, 10, 30, 9, 5);
  assert.equal(epochSeconds("2026-11-30T09:05", "From"), local.getTime() / 1000);
  assert.equal(epochSeconds("2026-11-30T09:05:30", "From"), local.getTime() / 1000 + 30);
  assert.equal(epochSeconds("", "From"), undefined);
  assert.throws(() => epochSeconds("30/11/2026", "To"), /^Error: To is not a date and time\.$/);
});

test("open executions: a start-time range (default: the last 7 days) and at most one filter", () => {
  assert.deepEqual(listInput({ status: "open", domain: " orders ", now: NOW }), {
    domain: "orders",
    startTimeFilter: { oldestDate: nowSeconds - 7 * 86400 },
  });
  const from = "2026-11-30T00:00";
  const to = "2026-12-01T00:00";
  assert.deepEqual(
    listInput({ status: "open", domain: "orders", from, to, filter: { kind: "type", value: "ship", version: "2" }, pageSize: 10, nextPageToken: "tok", now: NOW }),
    {
      domain: "orders",
      startTimeFilter: { oldestDate: epochSeconds(from), latestDate: epochSeconds(to) },
      typeFilter: { name: "ship", version: "2" },
      maximumPageSize: 10,
      nextPageToken: "tok",
    },
  );
  assert.deepEqual(listInput({ status: "open", domain: "d", filter: { kind: "type", value: "ship" }, now: NOW }).typeFilter, { name: "ship" });
  assert.deepEqual(listInput({ status: "open", domain: "d", filter: { kind: "workflowId", value: "wf-1" }, now: NOW }).executionFilter, { workflowId: "wf-1" });
  assert.deepEqual(listInput({ status: "open", domain: "d", filter: { kind: "tag", value: "blue" }, now: NOW }).tagFilter, { tag: "blue" });
  // Exactly one filter key ever: SWF refuses more than one.
  const keys = Object.keys(listInput({ status: "open", domain: "d", filter: { kind: "tag", value: "blue" }, now: NOW }));
  assert.deepEqual(keys.filter((k) => k.endsWith("Filter")), ["startTimeFilter", "tagFilter"]);
});

test("closed executions: the range filters close times; close status is a filter of its own", () => {
  const input = listInput({ status: "closed", domain: "d", filter: { kind: "closeStatus", value: "CANCELED" }, reverseOrder: true, now: NOW });
  assert.deepEqual(input, { domain: "d", closeTimeFilter: { oldestDate: nowSeconds - 7 * 86400 }, closeStatusFilter: { status: "CANCELED" }, reverseOrder: true });
});

test("listInput explains what is missing or wrong, before anything is sent", () => {
  const bad = [
    [{ status: "open", domain: "" }, /Choose a domain first/],
    [{ status: "paused", domain: "d" }, /open or closed/],
    [{ status: "open", domain: "d", filter: { kind: "tag", value: " " } }, /Enter the tag/],
    [{ status: "open", domain: "d", filter: { kind: "closeStatus", value: "FAILED" } }, /Only closed executions/],
    [{ status: "open", domain: "d", from: "2026-12-01T00:00", to: "2026-11-01T00:00" }, /To is before From/],
    [{ status: "open", domain: "d", filter: { kind: "both" } }, /Unknown filter/],
  ];
  for (const [args, message] of bad) assert.throws(() => listInput({ now: NOW, ...args }), message);
});

test("execution states in words and as badges", () => {
  assert.equal(executionStatusText({ executionStatus: "OPEN" }), "Open");
  assert.equal(executionStatusText({ executionStatus: "OPEN", cancelRequested: true }), "Open — cancel requested");
  assert.equal(executionStatusText({ executionStatus: "CLOSED", closeStatus: "TERMINATED" }), "Terminated");
  assert.equal(executionBadge({ executionStatus: "OPEN", cancelRequested: true }), "cancel-requested");
  assert.equal(executionBadge({ executionStatus: "CLOSED", closeStatus: "CANCELED" }), "canceled");
  assert.equal(shortRunId("22Kc9yK1ZqN3QZ2x5c3aB0qPzV8="), "22Kc9yK1…");
  assert.equal(shortRunId("short"), "short");
});

test("describeEvent: a readable line with the attributes that matter and the events referred to", () => {
  const scheduled = describeEvent({
    eventId: 5,
    eventType: "ActivityTaskScheduled",
    eventTimestamp: nowSeconds,
    activityTaskScheduledEventAttributes: {
      activityId: "resize-1",
      activityType: { name: "resize", version: "1" },
      taskList: { name: "images" },
      heartbeatTimeout: "NONE",
      decisionTaskCompletedEventId: 4,
    },
  });
  assert.deepEqual(scheduled, {
    id: 5,
    type: "ActivityTaskScheduled",
    at: NOW,
    summary: "activity resize-1 · resize v1 · on images · heartbeat timeout NONE · decided #4",
  });
  const canceled = describeEvent({
    eventId: 9,
    eventType: "ActivityTaskCanceled",
    eventTimestamp: "2026-12-01T12:00:05.000Z",
    activityTaskCanceledEventAttributes: { details: "rolled\nback", scheduledEventId: 5, startedEventId: 6, latestCancelRequestedEventId: 8 },
  });
  assert.equal(canceled.summary, "details rolled back · scheduled #5 · started #6 · cancel requested #8");
  // An event type the page does not know: its scalar attributes, nothing thrown.
  assert.equal(describeEvent({ eventId: 3, eventType: "LambdaFunctionStarted", lambdaFunctionStartedEventAttributes: { scheduledEventId: 2 } }).summary, "scheduledEventId 2 · scheduled #2");
  assert.deepEqual(describeEvent({}), { id: undefined, type: "Unknown", at: undefined, summary: "" });
  const long = describeEvent({ eventType: "ActivityTaskCompleted", activityTaskCompletedEventAttributes: { result: "x".repeat(500) } });
  assert.ok(Array.from(long.summary).length <= 160, "long values are cut");
});

test("activityOutcome lists the result, reason, details, timeout type and cause", () => {
  assert.equal(activityOutcome({ state: "failed", reason: "OutOfStock", details: "sku 42" }), "reason: OutOfStock · details: sku 42");
  assert.equal(activityOutcome({ state: "timed-out", timeoutType: "HEARTBEAT" }), "timeout: HEARTBEAT");
  assert.equal(activityOutcome({ state: "started" }), "");
});
