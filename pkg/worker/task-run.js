// One activity task inside the durable worker: its handler, its heartbeats (throttled, the
// latest details coalesced), its cancellation the SWF way, its local start-to-close
// deadline, and the one answer that closes it. Every state change is a row update.
import { errorSummary, isUnknownResource, taskTimeouts } from "./calls.js";

/** Heartbeat details are at most this many characters (SWF's limit). */
export const MAX_DETAILS = 2048;
const MAX_RESULT = 32768;
const MAX_REASON = 256;

/** The signal reason when SWF answered a heartbeat with `cancelRequested: true`. */
export class ActivityCancelRequested extends Error {
  constructor() {
    super("SWF reports that cancellation of this activity task was requested");
    this.name = "ActivityCancelRequested";
  }
}

/** The signal reason when the worker stops the handler itself (deadline, drain, lost task). */
export class ActivityStopped extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

function cut(text, max) {
  const chars = Array.from(String(text));
  return chars.length <= max ? String(text) : chars.slice(0, max).join("");
}

function detailsText(details) {
  if (details === undefined || details === null) return undefined;
  if (typeof details === "string") return cut(details, MAX_DETAILS);
  try {
    return cut(JSON.stringify(details) ?? String(details), MAX_DETAILS);
  } catch {
    return cut(String(details), MAX_DETAILS);
  }
}

function resultText(result) {
  if (result === undefined || typeof result === "string") return result;
  const text = JSON.stringify(result);
  if (text === undefined) throw new TypeError(`the result (${typeof result}) cannot be written as JSON`);
  return text;
}

/**
 * The milliseconds between two heartbeats of a task whose heartbeat timeout is `timeout`
 * (seconds text, "NONE" or null): `ratio` of it, within [minIntervalMs, maxIntervalMs];
 * `defaultIntervalMs` when there is none.
 */
export function heartbeatInterval(timeout, { ratio, defaultIntervalMs, minIntervalMs, maxIntervalMs }) {
  const seconds = Number(timeout);
  if (timeout === null || timeout === undefined || timeout === "NONE" || !(seconds > 0)) return defaultIntervalMs;
  return Math.min(maxIntervalMs, Math.max(minIntervalMs, Math.round(seconds * 1000 * ratio)));
}

/** The deadline (epoch ms) of a task started at `startedAt` with start-to-close `timeout`, or null. */
export function localDeadline(startedAt, timeout, marginMs) {
  const seconds = Number(timeout);
  if (timeout === null || timeout === undefined || timeout === "NONE" || !(seconds > 0)) return null;
  return startedAt + seconds * 1000 - marginMs;
}

/**
 * Runs the handler of one task row. `worker` is the object (store, options, client, call,
 * respond, now); `activity` is `{ handler, resumable }` or undefined (an unknown type).
 */
export class TaskRun {
  constructor(worker, row, activity, { resumed }) {
    this.worker = worker;
    this.id = row.id;
    this.token = row.token;
    this.row = row;
    this.activity = activity;
    this.resumed = resumed;
    this.controller = new AbortController();
    this.timers = new Set();
    this.details = row.details ?? undefined; // the latest the handler gave (coalesced)
    this.sentDetails = row.details ?? undefined;
    this.cancelRequested = row.cancel_requested === 1;
    this.settled = false;
    this.forced = null;
    this.force = null; // set in run(): ends the task with an outcome the handler cannot change
  }

  /** Ends the task now with a failure (`reason`), whatever the handler does: drain, deadline. */
  stop(name, reason, message) {
    this.force?.({ status: "failed", reason, details: message, abort: new ActivityStopped(name, message) });
  }

  #later(ms, fn) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    this.timers.add(timer);
  }

  /** The task's whole life; resolves when its row is closed, lost or left closing for a retry. */
  async run() {
    const w = this.worker;
    const { options, store } = w;
    const forced = new Promise((resolve) => (this.force = (outcome) => resolve(outcome)));
    if (!this.activity) {
      return this.#close({ status: "failed", reason: "UnknownActivityType", details: `this worker has no handler for ${this.row.type_name}/${this.row.type_version}` });
    }
    const task = {
      domain: options.domain,
      taskList: options.taskList,
      activityId: this.row.activity_id,
      activityType: { name: this.row.type_name, version: this.row.type_version },
      workflowExecution: { workflowId: this.row.workflow_id, runId: this.row.run_id },
      startedEventId: this.row.started_event_id,
    };
    let { hb_timeout: hbTimeout, stc_timeout: stcTimeout, deadline_at: deadline } = this.row;
    if (!this.resumed) {
      const timeouts = await taskTimeouts({
        client: w.client, call: w.call, domain: options.domain, task, from: options.timeoutsFrom, pages: options.historyPages, typeCache: w.typeCache,
      });
      hbTimeout = timeouts.heartbeatTimeout;
      stcTimeout = timeouts.startToCloseTimeout;
      deadline = localDeadline(this.row.started_at, stcTimeout, options.deadlineMarginMs);
    }
    this.interval = heartbeatInterval(hbTimeout, options.heartbeat);
    const firstBeat = w.now() + Math.min(options.heartbeat.firstDelayMs, this.interval);
    store.update(this.id, { hb_timeout: hbTimeout, stc_timeout: stcTimeout, deadline_at: deadline, next_hb_at: firstBeat });
    this.#later(firstBeat - w.now(), () => this.#beat());
    if (deadline !== null) {
      this.#later(deadline - w.now(), () =>
        this.stop("StartToCloseDeadline", "start-to-close deadline", `the handler ran past the task's start-to-close timeout (${stcTimeout} s)`),
      );
    }
    const handled = Promise.resolve()
      .then(() =>
        this.activity.handler({
          input: this.row.input ?? undefined,
          signal: this.controller.signal,
          task,
          attempt: this.row.attempt,
          checkpoint: this.resumed ? (this.row.details ?? undefined) : undefined,
          heartbeat: (details) => {
            this.details = detailsText(details);
          },
        }),
      )
      .then(
        (result) => ({ status: "completed", result }),
        (error) => ({ status: "failed", error }),
      );
    const outcome = await Promise.race([handled, forced]);
    this.settled = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (outcome.abort && !this.controller.signal.aborted) this.controller.abort(outcome.abort);
    if (outcome.status === "lost") return;
    // The latest details are flushed to the row: the registry shows them, a restart resumes from them.
    if (this.details !== this.sentDetails) store.update(this.id, { details: this.details ?? null });
    return this.#close(this.#answer(outcome));
  }

  /** The outcome of a settled handler as the answer SWF gets. */
  #answer(outcome) {
    if (outcome.status === "completed") {
      try {
        const result = resultText(outcome.result);
        if (result === undefined || Array.from(result).length <= MAX_RESULT) return { status: "completed", result };
        return { status: "failed", reason: "ResultTooLong", details: `the result has more than ${MAX_RESULT} characters` };
      } catch (error) {
        return { status: "failed", reason: "ResultNotJson", details: errorSummary(error).message };
      }
    }
    if (outcome.status !== "failed" || !outcome.error) return outcome; // forced: already an answer
    const { name, message } = errorSummary(outcome.error);
    if (this.cancelRequested) return { status: "canceled", details: cut(message || name, MAX_RESULT) };
    return { status: "failed", reason: cut(name, MAX_REASON), details: cut(message, MAX_RESULT) };
  }

  #close(answer) {
    const { status, result, reason, details } = answer;
    const call = { status, result, reason, details };
    this.worker.store.update(this.id, { state: "closing", close_call: JSON.stringify(call) });
    return this.worker.respond(this.id, this.token, call, { repeated: false });
  }

  async #beat() {
    if (this.settled) return;
    const w = this.worker;
    const details = this.details;
    let answer;
    let cancelRequested = false;
    try {
      ({ cancelRequested } = await w.call(() => {
        w.store.count("heartbeats");
        return w.client.recordActivityTaskHeartbeat({ taskToken: this.token, details }, { maxAttempts: 1 });
      }));
      answer = cancelRequested ? "cancel-requested" : "ok";
      this.sentDetails = details;
    } catch (error) {
      if (this.settled) return;
      if (isUnknownResource(error)) {
        // Timed out or closed elsewhere: stop the handler, answer nothing.
        this.settled = true;
        w.store.update(this.id, { last_hb_at: w.now(), last_hb_answer: "unknown-resource", details: this.details ?? null });
        w.store.close(this.id, "lost", "lost", "SWF no longer knows the task (UnknownResourceFault on a heartbeat: timed out or closed elsewhere)", w.now());
        w.store.count("lost");
        this.force({ status: "lost", abort: new ActivityStopped("ActivityTaskLost", "SWF no longer knows this task (timed out or closed elsewhere)") });
        return;
      }
      answer = "error";
    }
    if (this.settled) return;
    // One interval after this one's answer: SWF never sees two within an interval, whatever
    // the latency (which, in turn, adds to the gap: keep ratio × timeout + latency < timeout).
    const now = w.now();
    const next = now + this.interval;
    const fields = { last_hb_at: now, last_hb_answer: answer, next_hb_at: next, heartbeats: (this.beats = (this.beats ?? this.row.heartbeats) + 1) };
    if (answer !== "error") fields.details = details ?? null;
    if (cancelRequested && !this.cancelRequested) {
      this.cancelRequested = true;
      fields.cancel_requested = 1;
      fields.state = "cancel-requested";
    }
    w.store.update(this.id, fields);
    if (cancelRequested && !this.controller.signal.aborted) this.controller.abort(new ActivityCancelRequested());
    this.#later(next - w.now(), () => this.#beat());
  }
}
