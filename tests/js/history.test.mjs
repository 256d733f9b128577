// activitiesFromHistory on hand-written histories: every state, both orders, attempts,
// timestamp forms, and garbage that must not throw. (Histories produced by the local SWF:
// history-local.test.mjs.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { activitiesFromHistory } from "../../pkg/history.js";
import * as pkg from "../../pkg/node.js";

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0) / 1000; // epoch seconds, like SWF sends

/** A history builder: `e("ActivityTaskScheduled", { … })` appends an event with the next id. */
function history() {
  const events = [];
  const e = (eventType, attributes = {}, at = T0 + events.length) => {
    const key = `${eventType[0].toLowerCase()}${eventType.slice(1)}EventAttributes`;
    events.push({ eventId: events.length + 1, eventType, eventTimestamp: at, [key]: attributes });
    return events.length;
  };
  return { events, e };
}

const TYPE = { name: "ship", version: "1" };
function schedule(e, activityId, extra = {}) {
  return e("ActivityTaskScheduled", {
    activityType: TYPE,
    activityId,
    taskList: { name: "ship-tasks" },
    decisionTaskCompletedEventId: 4,
    heartbeatTimeout: "30",
    scheduleToStartTimeout: "NONE",
    scheduleToCloseTimeout: "NONE",
    startToCloseTimeout: "600",
    input: `{"order":"${activityId}"}`,
    ...extra,
  });
}

/** A workflow with one activity in each state. */
function everyState() {
  const { events, e } = history();
  e("WorkflowExecutionStarted", { taskList: { name: "decisions" }, childPolicy: "TERMINATE" });
  e("DecisionTaskScheduled", { taskList: { name: "decisions" } });
  e("DecisionTaskStarted", { scheduledEventId: 2 });
  e("DecisionTaskCompleted", { scheduledEventId: 2, startedEventId: 3 });
  const ids = {};
  for (const id of ["scheduled", "started", "cancel-requested", "canceled", "canceled-unstarted", "completed", "failed", "timed-out"]) {
    ids[id] = schedule(e, id);
  }
  e("ScheduleActivityTaskFailed", { activityType: { name: "nope", version: "9" }, activityId: "schedule-failed", cause: "ACTIVITY_TYPE_DOES_NOT_EXIST", decisionTaskCompletedEventId: 4 });
  const started = {};
  for (const id of ["started", "cancel-requested", "canceled", "completed", "failed", "timed-out"]) {
    started[id] = e("ActivityTaskStarted", { scheduledEventId: ids[id], identity: `worker-${id}` });
  }
  e("ActivityTaskCancelRequested", { activityId: "cancel-requested", decisionTaskCompletedEventId: 4 });
  const cr = e("ActivityTaskCancelRequested", { activityId: "canceled", decisionTaskCompletedEventId: 4 });
  e("ActivityTaskCanceled", { scheduledEventId: ids.canceled, startedEventId: started.canceled, details: "rolled back", latestCancelRequestedEventId: cr });
  const cr2 = e("ActivityTaskCancelRequested", { activityId: "canceled-unstarted", decisionTaskCompletedEventId: 4 });
  e("ActivityTaskCanceled", { scheduledEventId: ids["canceled-unstarted"], latestCancelRequestedEventId: cr2 });
  e("ActivityTaskCompleted", { scheduledEventId: ids.completed, startedEventId: started.completed, result: "shipped" });
  e("ActivityTaskFailed", { scheduledEventId: ids.failed, startedEventId: started.failed, reason: "OutOfStock", details: "sku 42" });
  e("ActivityTaskTimedOut", { scheduledEventId: ids["timed-out"], startedEventId: started["timed-out"], timeoutType: "HEARTBEAT", details: "40%" });
  return { events, ids, started };
}

test("one record per activity, in scheduling order, with the right state", () => {
  const { events } = everyState();
  const records = activitiesFromHistory(events);
  assert.deepEqual(
    records.map((r) => [r.activityId, r.state]),
    [
      ["scheduled", "scheduled"],
      ["started", "started"],
      ["cancel-requested", "cancel-requested"],
      ["canceled", "canceled"],
      ["canceled-unstarted", "canceled"],
      ["completed", "completed"],
      ["failed", "failed"],
      ["timed-out", "timed-out"],
      ["schedule-failed", "schedule-failed"],
    ],
  );
});

test("each step's event id and time, identity, outcome and scheduled timeouts", () => {
  const { events, ids, started } = everyState();
  const byId = Object.fromEntries(activitiesFromHistory(events).map((r) => [r.activityId, r]));
  const at = (eventId) => new Date((T0 + eventId - 1) * 1000);
  const eventOf = (type, pick) => events.find((ev) => ev.eventType === type && pick(ev));

  const canceled = byId.canceled;
  const cancelRequest = eventOf("ActivityTaskCancelRequested", (ev) => ev.activityTaskCancelRequestedEventAttributes.activityId === "canceled");
  const cancelEvent = eventOf("ActivityTaskCanceled", (ev) => ev.activityTaskCanceledEventAttributes.scheduledEventId === ids.canceled);
  assert.deepEqual(canceled, {
    activityId: "canceled",
    activityType: TYPE,
    attempt: 1,
    state: "canceled",
    scheduledEventId: ids.canceled,
    scheduledAt: at(ids.canceled),
    taskList: { name: "ship-tasks" },
    input: '{"order":"canceled"}',
    heartbeatTimeout: "30",
    scheduleToStartTimeout: "NONE",
    scheduleToCloseTimeout: "NONE",
    startToCloseTimeout: "600",
    startedEventId: started.canceled,
    startedAt: at(started.canceled),
    identity: "worker-canceled",
    cancelRequestedEventId: cancelRequest.eventId,
    cancelRequestedAt: at(cancelRequest.eventId),
    closedEventId: cancelEvent.eventId,
    closedAt: at(cancelEvent.eventId),
    details: "rolled back",
  });
  assert.ok(canceled.scheduledAt instanceof Date);

  assert.equal(byId["canceled-unstarted"].startedEventId, undefined);
  assert.equal(typeof byId["canceled-unstarted"].cancelRequestedEventId, "number");
  assert.equal(byId.completed.result, "shipped");
  assert.equal(byId.completed.identity, "worker-completed");
  assert.deepEqual([byId.failed.reason, byId.failed.details], ["OutOfStock", "sku 42"]);
  assert.deepEqual([byId["timed-out"].timeoutType, byId["timed-out"].details], ["HEARTBEAT", "40%"]);
  assert.deepEqual(
    { ...byId["schedule-failed"], closedAt: undefined },
    {
      activityId: "schedule-failed",
      activityType: { name: "nope", version: "9" },
      attempt: 1,
      state: "schedule-failed",
      closedEventId: ids["timed-out"] + 1,
      closedAt: undefined,
      cause: "ACTIVITY_TYPE_DOES_NOT_EXIST",
    },
  );
  for (const open of ["scheduled", "started", "cancel-requested"]) {
    assert.equal(byId[open].closedEventId, undefined, open);
    assert.equal(byId[open].closedAt, undefined, open);
  }
  assert.equal(byId.scheduled.startedEventId, undefined);
});

test("pages in either order, concatenated with overlaps, give the same records", () => {
  const { events } = everyState();
  const forward = activitiesFromHistory(events);
  assert.deepEqual(activitiesFromHistory([...events].reverse()), forward);
  const pages = [events.slice(0, 10), events.slice(8, 20), events.slice(19)]; // overlapping pages
  assert.deepEqual(activitiesFromHistory(pages.flat()), forward);
  // Any iterable works.
  assert.deepEqual(activitiesFromHistory(new Set(events)), forward);
});

test("timestamps: Dates (as the package answers), epoch seconds (raw SWF JSON) and ISO strings (JSON of a Date)", () => {
  const { events } = everyState();
  const asDates = events.map((ev) => ({ ...ev, eventTimestamp: new Date(ev.eventTimestamp * 1000) }));
  const asIso = JSON.parse(JSON.stringify(asDates));
  assert.equal(typeof asIso[0].eventTimestamp, "string");
  const expected = activitiesFromHistory(events);
  assert.deepEqual(activitiesFromHistory(asDates), expected);
  assert.deepEqual(activitiesFromHistory(asIso), expected);
  // Fractional epoch seconds (SWF sends them) keep their milliseconds.
  const [record] = activitiesFromHistory([{ ...events[4], eventTimestamp: 1764590400.123 }]);
  assert.equal(record.scheduledAt.getTime(), 1764590400123);
  // The records' Dates are copies: mutating one does not touch the caller's events.
  const [again] = activitiesFromHistory(asDates.slice(4, 5));
  again.scheduledAt.setTime(0);
  assert.notEqual(asDates[4].eventTimestamp.getTime(), 0);
});

test("an activity id reused after its first run closed gives a second record (attempt 2)", () => {
  const { events, e } = history();
  const first = schedule(e, "charge");
  const firstStart = e("ActivityTaskStarted", { scheduledEventId: first, identity: "w1" });
  e("ActivityTaskTimedOut", { scheduledEventId: first, startedEventId: firstStart, timeoutType: "START_TO_CLOSE" });
  const second = schedule(e, "charge", { heartbeatTimeout: "NONE" });
  const secondStart = e("ActivityTaskStarted", { scheduledEventId: second, identity: "w2" });
  e("ActivityTaskCancelRequested", { activityId: "charge", decisionTaskCompletedEventId: 1 });
  const records = activitiesFromHistory(events);
  assert.deepEqual(
    records.map((r) => [r.activityId, r.attempt, r.state, r.identity, r.scheduledEventId, r.startedEventId, r.heartbeatTimeout]),
    [
      ["charge", 1, "timed-out", "w1", first, firstStart, "30"],
      ["charge", 2, "cancel-requested", "w2", second, secondStart, "NONE"],
    ],
  );
  // The cancel request went to the open run, not the closed one.
  assert.equal(records[0].cancelRequestedEventId, undefined);
});

test("RequestCancelActivityTaskFailed is recorded on the record but does not change its state", () => {
  const { events, e } = history();
  const id = schedule(e, "a");
  const start = e("ActivityTaskStarted", { scheduledEventId: id });
  e("ActivityTaskCompleted", { scheduledEventId: id, startedEventId: start, result: "ok" });
  const failed = e("RequestCancelActivityTaskFailed", { activityId: "a", cause: "ACTIVITY_ID_UNKNOWN", decisionTaskCompletedEventId: 9 });
  const [record] = activitiesFromHistory(events);
  assert.equal(record.state, "completed");
  assert.deepEqual(record.cancelFailures, [{ eventId: failed, at: new Date((T0 + failed - 1) * 1000), cause: "ACTIVITY_ID_UNKNOWN" }]);
  // For an id never scheduled there is no record to put it on.
  assert.deepEqual(activitiesFromHistory([events[3]]), []);
});

test("a closed activity stays closed; a second closing event or start is ignored", () => {
  const { events, e } = history();
  const id = schedule(e, "a");
  const start = e("ActivityTaskStarted", { scheduledEventId: id, identity: "first" });
  const done = e("ActivityTaskCompleted", { scheduledEventId: id, startedEventId: start, result: "1" });
  e("ActivityTaskFailed", { scheduledEventId: id, startedEventId: start, reason: "late" });
  e("ActivityTaskStarted", { scheduledEventId: id, identity: "second" });
  e("ActivityTaskCancelRequested", { activityId: "a", decisionTaskCompletedEventId: 1 });
  const [record] = activitiesFromHistory(events);
  assert.deepEqual([record.state, record.closedEventId, record.result, record.reason, record.identity, record.cancelRequestedEventId], ["completed", done, "1", undefined, "first", undefined]);
});

test("a cancel request that was granted but then completed anyway keeps both facts", () => {
  const { events, e } = history();
  const id = schedule(e, "a");
  const start = e("ActivityTaskStarted", { scheduledEventId: id });
  const request = e("ActivityTaskCancelRequested", { activityId: "a", decisionTaskCompletedEventId: 1 });
  e("ActivityTaskCompleted", { scheduledEventId: id, startedEventId: start });
  const [record] = activitiesFromHistory(events);
  assert.equal(record.state, "completed");
  assert.equal(record.cancelRequestedEventId, request);
});

test("never throws on unknown event types, missing attributes or garbage events", () => {
  const { events, e } = history();
  const id = schedule(e, "a");
  e("SomethingNew2030", { scheduledEventId: id });
  e("ActivityTaskStarted"); // no attributes at all
  e("ActivityTaskCompleted", { scheduledEventId: 999 }); // an activity whose scheduling is on another page
  events.push({ eventId: 100, eventType: "ActivityTaskStarted", activityTaskStartedEventAttributes: null });
  events.push({ eventId: 101, eventType: "ActivityTaskScheduled" }); // scheduled without an activityId
  events.push({ eventId: "102", eventType: "ActivityTaskCompleted" }, { eventType: "x" }, null, 7, "text", [], {});
  events.push({ eventId: 103, eventType: "" }, { eventId: 1.5, eventType: "ActivityTaskStarted" });
  events.push({ eventId: 104, eventType: "ActivityTaskScheduled", activityTaskScheduledEventAttributes: { activityId: "b", activityType: "not an object", taskList: null } });
  events.push({ eventId: 105, eventType: "ActivityTaskStarted", eventTimestamp: "not a date", activityTaskStartedEventAttributes: { scheduledEventId: 104, identity: 42 } });
  const throwing = {
    eventId: 106,
    eventType: "ActivityTaskStarted",
    get activityTaskStartedEventAttributes() {
      throw new Error("getter");
    },
  };
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  events.push(throwing, revoked.proxy);
  const records = activitiesFromHistory(events);
  assert.deepEqual(
    records.map((r) => [r.activityId, r.state, r.activityType, r.startedEventId, r.startedAt, r.identity, r.taskList]),
    [
      ["a", "scheduled", TYPE, undefined, undefined, undefined, { name: "ship-tasks" }],
      ["b", "started", undefined, 105, undefined, undefined, undefined],
    ],
  );
  assert.deepEqual(activitiesFromHistory([]), []);
});

test("a non-iterable argument is a TypeError, not a silent empty list", () => {
  for (const bad of [undefined, null, 42, "events", { events: [] }]) {
    assert.throws(() => activitiesFromHistory(bad), TypeError);
  }
});

test("exported from the package entry", () => {
  assert.equal(pkg.activitiesFromHistory, activitiesFromHistory);
});
