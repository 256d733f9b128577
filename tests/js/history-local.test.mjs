// activitiesFromHistory on histories produced by the local SWF (moto + tests/swf_local),
// driven with boto3 like a decider and workers would (tests/support/operator_scenarios.py):
// every state, including the scheduled-only cancel, a heartbeat timeout, a failure and a
// schedule failure (unregistered activity type).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { activitiesFromHistory } from "../../pkg/history.js";
import { SwfClient, paginateGetWorkflowExecutionHistory } from "../../pkg/node.js";
import { startSwfLocal, LOCAL_CREDENTIALS, LOCAL_REGION } from "../support/swf-local.mjs";

const SCENARIOS = fileURLToPath(new URL("../support/operator_scenarios.py", import.meta.url));
const run = promisify(execFile);

let local;
let everyState;
before(async () => {
  local = await startSwfLocal();
  const { stdout } = await run("python3", [SCENARIOS, "--endpoint", local.url, "every-state"], { maxBuffer: 16 << 20 });
  everyState = JSON.parse(stdout);
});
after(() => local?.stop());

/** The one event of a type whose attributes match `pick`. */
function only(events, type, pick = () => true) {
  const key = `${type[0].toLowerCase()}${type.slice(1)}EventAttributes`;
  const found = events.filter((e) => e.eventType === type && pick(e[key] ?? {}));
  assert.equal(found.length, 1, `exactly one ${type}`);
  return found[0];
}

test("local SWF: one record per activity with the state SWF's history implies", () => {
  const records = activitiesFromHistory(everyState.events);
  assert.deepEqual(
    records.map((r) => [r.activityId, r.state, r.attempt]),
    [
      ["scheduled", "scheduled", 1],
      ["started", "started", 1],
      ["cancel-requested", "cancel-requested", 1],
      ["canceled", "canceled", 1],
      ["canceled-unstarted", "canceled", 1],
      ["completed", "completed", 1],
      ["failed", "failed", 1],
      ["timed-out", "timed-out", 1],
      ["schedule-failed", "schedule-failed", 1],
    ],
  );
});

test("local SWF: event ids and times of each step come from the matching events", () => {
  const { events, did } = everyState;
  const byId = Object.fromEntries(activitiesFromHistory(events).map((r) => [r.activityId, r]));
  const seconds = (date) => date.getTime() / 1000;
  for (const record of Object.values(byId)) {
    if (record.state === "schedule-failed") continue;
    const scheduled = only(events, "ActivityTaskScheduled", (a) => a.activityId === record.activityId);
    assert.equal(record.scheduledEventId, scheduled.eventId);
    assert.ok(Math.abs(seconds(record.scheduledAt) - scheduled.eventTimestamp) < 0.001);
    assert.deepEqual(record.taskList, scheduled.activityTaskScheduledEventAttributes.taskList);
    assert.deepEqual(record.activityType, scheduled.activityTaskScheduledEventAttributes.activityType);
    assert.equal(record.input, JSON.stringify({ activity: record.activityId }).replace(":", ": "));
    if (did[record.activityId]) {
      const start = only(events, "ActivityTaskStarted", (a) => a.scheduledEventId === record.scheduledEventId);
      assert.equal(record.startedEventId, start.eventId);
      assert.ok(Math.abs(seconds(record.startedAt) - start.eventTimestamp) < 0.001);
      assert.equal(record.identity, did[record.activityId].identity);
    } else {
      assert.equal(record.startedEventId, undefined, record.activityId);
    }
  }
  assert.equal(byId.completed.result, did.completed.result);
  assert.deepEqual([byId.failed.reason, byId.failed.details], [did.failed.reason, did.failed.details]);
  assert.equal(byId.canceled.details, did.canceled.details);
  assert.equal(byId["timed-out"].timeoutType, "HEARTBEAT");
  assert.equal(byId["timed-out"].heartbeatTimeout, "2");
  assert.equal(byId["schedule-failed"].cause, "ACTIVITY_TYPE_DOES_NOT_EXIST");
  assert.deepEqual(byId["schedule-failed"].activityType, { name: "not-registered", version: "0" });
  assert.equal(byId["schedule-failed"].closedEventId, only(events, "ScheduleActivityTaskFailed").eventId);

  // Closing events point back at the records.
  for (const [state, type] of [
    ["completed", "ActivityTaskCompleted"],
    ["failed", "ActivityTaskFailed"],
    ["timed-out", "ActivityTaskTimedOut"],
  ]) {
    const closing = only(events, type);
    assert.equal(byId[state].closedEventId, closing.eventId, state);
    assert.ok(byId[state].closedAt >= byId[state].startedAt, state);
  }
  // Both cancellations: the cancel request and the ActivityTaskCanceled SWF linked to it.
  for (const id of ["canceled", "canceled-unstarted"]) {
    const canceled = only(events, "ActivityTaskCanceled", (a) => a.scheduledEventId === byId[id].scheduledEventId);
    assert.equal(byId[id].closedEventId, canceled.eventId, id);
    assert.equal(byId[id].cancelRequestedEventId, canceled.activityTaskCanceledEventAttributes.latestCancelRequestedEventId, id);
  }
  // Still open: cancel requested, not closed.
  const open = byId["cancel-requested"];
  assert.equal(open.cancelRequestedEventId, only(events, "ActivityTaskCancelRequested", (a) => a.activityId === "cancel-requested").eventId);
  assert.equal(open.closedEventId, undefined);
  // The refused cancel request of an already completed activity is on its record.
  const refused = only(events, "RequestCancelActivityTaskFailed");
  assert.deepEqual(
    byId.completed.cancelFailures.map((f) => [f.eventId, f.cause]),
    [[refused.eventId, refused.requestCancelActivityTaskFailedEventAttributes.cause]],
  );
  assert.equal(byId.completed.state, "completed");
});

test("local SWF: the same records from reversed pages and from the history as JSON of Dates", () => {
  const { events } = everyState;
  const expected = activitiesFromHistory(events);
  assert.deepEqual(activitiesFromHistory([...events].reverse()), expected);
  const asDates = events.map((e) => ({ ...e, eventTimestamp: new Date(e.eventTimestamp * 1000) }));
  assert.deepEqual(activitiesFromHistory(asDates), expected);
  assert.deepEqual(activitiesFromHistory(JSON.parse(JSON.stringify(asDates))), expected);
});

test("local SWF through the package: pages of Dates, oldest or newest first, give the same records as boto3's raw read", async () => {
  const swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
  const expected = activitiesFromHistory(everyState.events);
  for (const reverseOrder of [false, true]) {
    const events = [];
    let pages = 0;
    const input = { domain: everyState.domain, execution: everyState.execution, reverseOrder };
    for await (const page of paginateGetWorkflowExecutionHistory({ client: swf, pageSize: 7 }, input)) {
      pages++;
      events.push(...page.events);
    }
    assert.ok(pages > 1, "more than one page");
    assert.equal(events.length, everyState.events.length);
    assert.ok(events.every((e) => e.eventTimestamp instanceof Date));
    assert.deepEqual(activitiesFromHistory(events), expected, `reverseOrder: ${reverseOrder}`);
  }
});
