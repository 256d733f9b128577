// The Workers view's pure helpers (www/js/workers.js) in Node.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MAX_GRACE_S,
  ageText,
  counterEntries,
  durationText,
  graceMs,
  isOpen,
  lastErrorText,
  recovered,
  shardBadge,
  taskBadge,
  taskStateText,
  untilText,
} from "../../www/js/workers.js";

const NOW = Date.parse("2026-12-03T06:00:00.000Z");
const iso = (ms) => new Date(NOW + ms).toISOString();

test("durations: seconds, minutes, hours, days; never negative", () => {
  assert.equal(durationText(0), "0 s");
  assert.equal(durationText(999), "0 s");
  assert.equal(durationText(59_999), "59 s");
  assert.equal(durationText(65_000), "1 min 5 s");
  assert.equal(durationText(2 * 3600_000 + 10 * 60_000 + 5_000), "2 h 10 min");
  assert.equal(durationText(3 * 86400_000 + 4 * 3600_000), "3 d 4 h");
  assert.equal(durationText(-5000), "0 s");
});

test("ages and countdowns from the registry's ISO times", () => {
  assert.equal(ageText(iso(-12_000), NOW), "12 s ago");
  assert.equal(ageText(null, NOW), "never");
  assert.equal(ageText("not a time", NOW), "never");
  assert.equal(untilText(iso(4_000), NOW), "in 4 s");
  assert.equal(untilText(iso(-4_000), NOW), "4 s overdue");
  assert.equal(untilText(null, NOW), "");
});

test("task states: a closed task is worded and coloured by its outcome", () => {
  assert.equal(taskStateText({ state: "started" }), "Running");
  assert.equal(taskStateText({ state: "cancel-requested" }), "Cancel requested");
  assert.equal(taskStateText({ state: "closed", outcome: { status: "canceled", reason: null } }), "Closed — canceled");
  assert.equal(taskStateText({ state: "closed", outcome: { status: "failed", reason: "worker drained" } }), "Closed — failed");
  assert.equal(taskStateText({ state: "lost", outcome: { status: "lost" } }), "Lost");
  assert.equal(taskStateText({ state: "something-new" }), "something-new");
  assert.equal(taskBadge({ state: "closed", outcome: { status: "completed" } }), "completed");
  assert.equal(taskBadge({ state: "cancel-requested", outcome: null }), "cancel-requested");
  assert.deepEqual(["started", "cancel-requested", "closing", "closed", "lost"].map((state) => isOpen({ state })), [true, true, true, false, false]);
});

test("shards: a shard that could not answer is an error; counters in a fixed order, unknown ones kept", () => {
  assert.equal(shardBadge({ shard: 1, error: "shard 1 could not be reached" }), "error");
  assert.equal(shardBadge({ shard: 0, state: "drained" }), "drained");
  const entries = counterEntries({ emptyPolls: 3, polled: 5, completed: 4, futureCounter: 2, note: "not a number" });
  assert.deepEqual(entries, [["polled", 5], ["completed", 4], ["empty polls", 3], ["futureCounter", 2]]);
  assert.deepEqual(counterEntries(undefined), []);
});

test("the last poll error and whether the loop polled again since", () => {
  const shard = { lastError: { name: "ThrottlingException", message: "Rate exceeded", at: iso(-10_000) }, lastPollAt: iso(-2_000) };
  assert.equal(lastErrorText(shard), "ThrottlingException: Rate exceeded");
  assert.equal(recovered(shard), true);
  assert.equal(recovered({ ...shard, lastPollAt: iso(-20_000) }), false);
  assert.equal(recovered({ ...shard, lastPollAt: null }), false);
  assert.equal(lastErrorText({ lastError: null }), "");
});

test("the drain grace: whole seconds 0–600 as graceMs; empty = the worker's default", () => {
  assert.equal(graceMs(""), undefined);
  assert.equal(graceMs("  "), undefined);
  assert.equal(graceMs("0"), 0);
  assert.equal(graceMs("30"), 30_000);
  assert.equal(graceMs(String(MAX_GRACE_S)), 600_000);
  for (const bad of ["601", "-1", "1.5", "1e3", "ten"]) assert.throws(() => graceMs(bad), /whole number of seconds from 0 to 600/, bad);
});
