// Pure helpers of the Workers view (no DOM, no network): the durable worker's shard and
// task states in words, ages and countdowns, counters, the drain grace.

/** How often the view reads the registry again while auto-refresh is on, in ms. */
export const REFRESH_MS = 2000;
/** Tasks listed per shard (the registry's `limit`, at most 200). */
export const TASKS_PER_SHARD = 50;
/** Longest drain grace the registry accepts, in seconds (its `graceMs` ≤ 600000). */
export const MAX_GRACE_S = 600;

/** A shard's `state` in words. */
export const SHARD_STATE_TEXT = {
  polling: "Polling",
  backoff: "Backing off",
  draining: "Draining",
  drained: "Drained — safe to deploy",
  idle: "Idle",
};

/** A task's `state` in words (a closed task is worded by its outcome: taskStateText). */
export const TASK_STATE_TEXT = {
  started: "Running",
  "cancel-requested": "Cancel requested",
  closing: "Closing",
  closed: "Closed",
  lost: "Lost",
};

const OUTCOME_TEXT = { completed: "Completed", failed: "Failed", canceled: "Canceled", lost: "Lost" };

/** The words of a task's state: "Running", "Cancel requested", "Closed — canceled", … */
export function taskStateText(task) {
  if (task?.state === "closed" && task.outcome?.status) return `Closed — ${(OUTCOME_TEXT[task.outcome.status] ?? task.outcome.status).toLowerCase()}`;
  return TASK_STATE_TEXT[task?.state] ?? String(task?.state ?? "?");
}

/**
 * The badge state (CSS `data-state`) of a task: its outcome once closed (completed, failed,
 * canceled, lost), else its state (started, cancel-requested, closing).
 */
export function taskBadge(task) {
  if (task?.state === "closed" && task.outcome?.status) return task.outcome.status;
  return task?.state ?? "new";
}

/** The badge state of a shard (its `state`; "error" for a shard that could not answer). */
export function shardBadge(shard) {
  if (shard?.error !== undefined) return "error";
  return shard?.state ?? "new";
}

/** Whether a task is still held by the worker (not closed or lost). */
export function isOpen(task) {
  return task?.state === "started" || task?.state === "cancel-requested" || task?.state === "closing";
}

/** A duration in words: "0 s", "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function durationText(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** How long ago the ISO time `at` was, seen at `now` (ms): "12 s ago"; "never" for null. */
export function ageText(at, now = Date.now()) {
  const t = at ? Date.parse(at) : NaN;
  if (Number.isNaN(t)) return "never";
  return `${durationText(now - t)} ago`;
}

/** How far the ISO time `at` is: "in 4 s", or "4 s overdue" once past; "" for null. */
export function untilText(at, now = Date.now()) {
  const t = at ? Date.parse(at) : NaN;
  if (Number.isNaN(t)) return "";
  return t >= now ? `in ${durationText(t - now)}` : `${durationText(now - t)} overdue`;
}

/** A heartbeat's answer (`lastHeartbeatAnswer`) in words. */
export const HEARTBEAT_ANSWER_TEXT = {
  ok: "SWF answered: keep going",
  "cancel-requested": "SWF answered: cancel requested",
  "unknown-resource": "SWF no longer knows the task",
  error: "the call failed (retried next window)",
};

/** The counters in the order and the words the view shows them. */
export const COUNTER_LABELS = [
  ["polled", "polled"],
  ["completed", "completed"],
  ["failed", "failed"],
  ["canceled", "canceled"],
  ["lost", "lost"],
  ["pollErrors", "poll errors"],
  ["emptyPolls", "empty polls"],
  ["heartbeats", "heartbeats"],
  ["restarted", "restarted"],
  ["orphanedPolls", "orphaned polls"],
  ["watchdogRearms", "watchdog re-arms"],
];

/** `[label, value]` of every counter the shard reports, known ones first, then any other. */
export function counterEntries(counters = {}) {
  const known = new Set(COUNTER_LABELS.map(([key]) => key));
  const out = COUNTER_LABELS.filter(([key]) => typeof counters[key] === "number").map(([key, label]) => [label, counters[key]]);
  for (const [key, value] of Object.entries(counters)) if (!known.has(key) && typeof value === "number") out.push([key, value]);
  return out;
}

/**
 * The drain grace typed in seconds ("" = the worker's default) as the registry's `graceMs`
 * (undefined for the default). Throws an Error for anything but 0–MAX_GRACE_S whole seconds.
 */
export function graceMs(text) {
  const value = String(text ?? "").trim();
  if (value === "") return undefined;
  if (!/^\d+$/.test(value) || Number(value) > MAX_GRACE_S) throw new Error(`The grace must be a whole number of seconds from 0 to ${MAX_GRACE_S}.`);
  return Number(value) * 1000;
}

/** The shard's last poll error in words, or "" for none: "Name: message". */
export function lastErrorText(shard) {
  const error = shard?.lastError;
  if (!error) return "";
  return `${error.name ?? "Error"}: ${error.message ?? ""}`;
}

/** Whether the shard polled successfully after its last error (the loop recovered). */
export function recovered(shard) {
  const at = Date.parse(shard?.lastError?.at ?? "");
  const polled = Date.parse(shard?.lastPollAt ?? "");
  return !Number.isNaN(at) && !Number.isNaN(polled) && polled > at;
}
