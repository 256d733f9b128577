// Follow a cancellation the SWF way: what SWF shows about an execution (its description,
// its history, the pending decision tasks) turned into progress reports and, when the
// cancellation stalls, diagnoses an operator can act on. `cancellationReport` is pure
// (dashboards that fetch the data themselves use it); `followCancellation` polls.
import { AbortError, ValidationError } from "./errors.js";
import { isSignal, readOptions } from "./read.js";
import { activitiesFromHistory, isClosed, normalizeEvents, toDate } from "./history.js";

/** The longest JavaScript timer (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Consecutive polls that may fail with a retryable error (after the client's own retries) before following gives up. */
const MAX_FAILED_POLLS = 3;
/** How each closing event of a workflow execution sets its close status. */
const WORKFLOW_CLOSINGS = {
  WorkflowExecutionCompleted: "COMPLETED",
  WorkflowExecutionFailed: "FAILED",
  WorkflowExecutionCanceled: "CANCELED",
  WorkflowExecutionTerminated: "TERMINATED",
  WorkflowExecutionTimedOut: "TIMED_OUT",
  WorkflowExecutionContinuedAsNew: "CONTINUED_AS_NEW",
};
const INSTEAD = { completed: "completed (its result stands)", failed: "failed", "timed-out": "timed out", "schedule-failed": "could not be scheduled" };

const isObject = (value) => value !== null && typeof value === "object";
const iso = (date) => (date ? date.toISOString().replace(/\.\d+Z$/, "Z") : "an unknown time");
const secondsSince = (date, now) => `${Math.max(0, Math.round((now - date) / 1000))} s`;
const quote = (name) => `"${name}"`;
const named = (record) => `activity ${quote(record.activityId)}`;
const taskListName = (attributes) => attributes?.taskList?.name;
/** Seconds of an SWF timeout (`"30"`), `null` for `"NONE"`, `undefined` when not known. */
const timeout = (value) => (value === "NONE" ? null : /^\d+$/.test(value) ? Number(value) : undefined);

function diagnosis(code, message, since, activityId, deadline) {
  return { code, message, ...(since && { since }), ...(activityId !== undefined && { activityId }), ...(deadline && { deadline }) };
}

/** Why an activity the decider asked to cancel is still open, and when SWF ends it otherwise. */
function workerDiagnosis(record, now) {
  const heartbeat = timeout(record.heartbeatTimeout);
  const startToClose = timeout(record.startToCloseTimeout);
  const endsAt = startToClose && record.startedAt && new Date(record.startedAt.getTime() + startToClose * 1000);
  let deadline = endsAt || undefined;
  let message = `Activity ${quote(record.activityId)} is still open ${secondsSince(record.cancelRequestedAt, now)} after the decider asked to cancel it. ${record.identity ? `Its worker ${quote(record.identity)}` : "Its worker"} learns of that only when it heartbeats (RecordActivityTaskHeartbeat answers cancelRequested: true; runActivity and watchCancellation act on it), and should then call RespondActivityTaskCanceled.`;
  if (heartbeat === null) {
    message += ` It has no heartbeat timeout, so SWF cannot tell whether the worker is gone: ${
      startToClose === null
        ? "nor a start-to-close timeout, so SWF never ends it; if the worker is gone, terminate the workflow execution."
        : `SWF ends it only at its start-to-close timeout${endsAt ? `, at ${iso(endsAt)}` : ""}.`
    }`;
  } else if (heartbeat) {
    const latest = new Date(now + heartbeat * 1000);
    if (!(endsAt instanceof Date && endsAt < latest)) deadline = latest;
    message += ` If the worker is gone, SWF times the activity out by ${iso(deadline)} at the latest (heartbeat timeout ${heartbeat} s).`;
  }
  return diagnosis(heartbeat === null ? "no-heartbeat-timeout" : "worker-not-canceling", message, record.cancelRequestedAt, record.activityId, deadline);
}

/** Why the decider has not asked for the cancellation of `unasked` (all targets when none is open). */
function deciderDiagnoses(events, request, unasked, where, pending, now, stallAfterMs) {
  const found = [];
  const completed = [];
  let timedOut;
  const running = new Map(); // DecisionTaskStarted after the request, until completed or timed out
  for (const event of events) {
    if (event.eventId <= request.eventId) continue;
    const { startedEventId } = event.attributes;
    if (event.eventType === "DecisionTaskStarted") running.set(event.eventId, event);
    else if (event.eventType === "DecisionTaskCompleted" || event.eventType === "DecisionTaskTimedOut") {
      running.delete(startedEventId);
      // Only a decision task started after the request saw it.
      if (startedEventId > request.eventId || !Number.isSafeInteger(startedEventId)) {
        if (event.eventType === "DecisionTaskCompleted") completed.push(event);
        else timedOut = event;
      }
    }
  }
  const ignored = unasked.filter((record) => {
    const refusal = record.cancelFailures?.findLast((failure) => failure.eventId > request.eventId);
    if (refusal) {
      found.push(
        diagnosis(
          "cancel-request-failed",
          `SWF refused the decider's RequestCancelActivityTask for ${named(record)} (cause ${refusal.cause}): check the activity ids and IAM permissions the decider uses.`,
          refusal.at,
          record.activityId,
        ),
      );
    }
    return !refusal;
  });
  const since = request.eventTimestamp;
  const stalled = since && now - since >= stallAfterMs;
  const busy = [...running.values()].pop();
  if (completed.length) {
    if (ignored.length || !unasked.length) {
      const what = ignored.length ? `RequestCancelActivityTask for ${ignored.map(named).join(", ")}` : "CancelWorkflowExecution";
      found.push(
        diagnosis(
          "decider-ignores-cancel",
          `Since the cancel request (${iso(since)}) the decider completed ${completed.length} decision task(s), the last at ${iso(completed.at(-1).eventTimestamp)}, without deciding ${what}: it ignores cancel requests. Fix the decider polling ${where} to handle WorkflowExecutionCancelRequested; meanwhile terminateWorkflowExecution ends the workflow for good.`,
          since,
        ),
      );
    }
  } else if (timedOut) {
    found.push(
      diagnosis(
        "decider-timed-out",
        `A decider took a decision task after the cancel request but let it time out (${iso(timedOut.eventTimestamp)}): the decider polling ${where} fails or hangs on the cancel request; check its logs.`,
        timedOut.eventTimestamp,
      ),
    );
  } else if (busy && stalled && now - busy.eventTimestamp >= stallAfterMs) {
    const identity = typeof busy.attributes.identity === "string" ? ` ${quote(busy.attributes.identity)}` : "";
    found.push(
      diagnosis(
        "decider-slow",
        `Decider${identity} took a decision task ${secondsSince(busy.eventTimestamp, now)} ago (after the cancel request) and has not completed it: it is stuck or slow; SWF times the task out at its start-to-close timeout and schedules another.`,
        busy.eventTimestamp,
      ),
    );
  } else if (!busy && stalled) {
    const count = pending?.count ?? pending;
    found.push(
      diagnosis(
        "no-decider",
        `The cancel request was recorded at ${iso(since)}, but no decider has started a decision task for ${secondsSince(since, now)} (${
          typeof count === "number" ? `${count}${pending?.truncated ? "+" : ""} pending` : "pending count unknown"
        }): nobody seems to poll ${where}. Start a decider that polls it (check its domain, task list name, region and credentials).`,
        since,
      ),
    );
  }
  return found;
}

/**
 * A progress report from what SWF shows: `{ phase, activities, diagnoses, done, execution }`.
 * `snapshot`: `{ events, description?, pendingDecisionTasks?, domain?, activityId?, now?,
 * stallAfterMs? }` — `events` the execution's history (all pages, any order, timestamps as
 * `Date`s, epoch seconds or ISO strings), `description` the answer of
 * describeWorkflowExecution, `pendingDecisionTasks` the answer of countPendingDecisionTasks
 * for its decision task list (or the count), `now` a `Date` or epoch ms. Pure; never throws
 * on odd data.
 */
export function cancellationReport(snapshot) {
  let fields = {};
  let raw = [];
  let info;
  let decisionTaskList;
  try {
    fields = isObject(snapshot) ? { ...snapshot } : {};
    const { events, description } = fields;
    if (typeof events?.[Symbol.iterator] === "function" && typeof events !== "string") raw = Array.from(events);
    if (isObject(description?.executionInfo)) info = { ...description.executionInfo };
    decisionTaskList = taskListName(description?.executionConfiguration);
  } catch {
    // a throwing getter or a revoked proxy: judged on what could be read
  }
  const { pendingDecisionTasks, domain, activityId, now: at, stallAfterMs: stall } = fields;
  const given = at instanceof Date || typeof at === "number" ? +at : NaN;
  const now = Number.isFinite(given) ? given : Date.now();
  const stallAfterMs = stall >= 0 ? stall : 30_000;
  const history = normalizeEvents(raw);
  const records = activitiesFromHistory(raw);

  let request;
  let closing;
  for (const event of history) {
    if (event.eventType === "WorkflowExecutionCancelRequested") request ??= event;
    else if (WORKFLOW_CLOSINGS[event.eventType]) closing ??= event;
    else if (event.eventType === "DecisionTaskScheduled" || (event.eventType === "WorkflowExecutionStarted" && !decisionTaskList)) {
      decisionTaskList = taskListName(event.attributes) ?? decisionTaskList;
    }
  }
  const closed = info?.executionStatus === "CLOSED" || !!closing;
  const closeStatus = info?.closeStatus ?? WORKFLOW_CLOSINGS[closing?.eventType];
  const execution = info ?? { executionStatus: closed ? "CLOSED" : "OPEN", ...(closeStatus && { closeStatus }) };
  const cancelRequested = !!request || info?.cancelRequested === true;
  const report = (phase, activities, diagnoses, done) => ({ phase, activities, diagnoses, done, execution });

  // The targets: activityId's latest run, else the activities open at the cancel request (or now).
  const runs = activityId === undefined ? records : records.filter((r) => r.activityId === activityId);
  if (!runs.length && activityId !== undefined) {
    const known = [...new Set(records.map((r) => quote(r.activityId)))].join(", ") || "none";
    const message = `No activity ${quote(activityId)} in this execution's history (its activities: ${known}): check the activity id.`;
    return report(closed ? "closed" : "requested", [], [diagnosis("activity-not-found", message, undefined, activityId)], true);
  }
  const targets =
    activityId !== undefined
      ? runs.slice(-1)
      : records.filter((r) => (request ? r.scheduledEventId < request.eventId && !(r.closedEventId < request.eventId) : !isClosed(r)));
  const open = targets.filter((r) => !isClosed(r));
  const unasked = open.filter((r) => r.cancelRequestedEventId === undefined);
  const done = closed || (targets.length > 0 && !open.length);
  const phase = done ? "closed" : open.length && !unasked.length ? "decider-asked" : "requested";

  const diagnoses = [];
  for (const record of targets) {
    if (isClosed(record) && record.state !== "canceled" && (cancelRequested || record.cancelRequestedEventId)) {
      diagnoses.push(diagnosis("closed-not-canceled", `Activity ${quote(record.activityId)} ${INSTEAD[record.state]} instead of being canceled.`, record.closedAt, record.activityId));
    }
  }
  if (closed) {
    const closedAt = toDate(info?.closeTimestamp) ?? closing?.eventTimestamp;
    if (open.length || (cancelRequested && !targets.length && closeStatus !== "CANCELED")) {
      const still = open.length ? ` with ${open.map(named).join(", ")} still open: SWF accepts nothing more for it (a worker's next heartbeat gets UnknownResourceFault)` : ", not as canceled";
      diagnoses.push(diagnosis("workflow-closed", `The workflow execution closed (${closeStatus ?? "closed"} at ${iso(closedAt)})${still}. Nothing is left to cancel.`, closedAt));
    }
  } else if (!done) {
    if (!cancelRequested && (unasked.length || !targets.length)) {
      diagnoses.push(
        diagnosis("not-requested", "Nobody has asked SWF to cancel this workflow execution: call requestCancelWorkflowExecution (or followCancellation with requestCancel: true)."),
      );
    } else if (request && (unasked.length || !targets.length)) {
      const list = decisionTaskList ? `decision task list ${quote(decisionTaskList)}` : "the workflow's decision task list";
      const where = domain ? `${list} in domain ${quote(domain)}` : list;
      diagnoses.push(...deciderDiagnoses(history, request, unasked, where, pendingDecisionTasks, now, stallAfterMs));
    }
    for (const record of open) {
      if (record.cancelRequestedAt && record.startedEventId !== undefined && now - record.cancelRequestedAt >= stallAfterMs) {
        diagnoses.push(workerDiagnosis(record, now));
      }
    }
  }
  return report(phase, targets, diagnoses, done);
}

// ---- polling ------------------------------------------------------------------------------

const invalid = (field, message) => new ValidationError({ name: "ValidationError", message: `followCancellation: ${message}`, field });

/** `readOptions` for followCancellation's arguments (messages start "followCancellation <what>"). */
const own = (value, what, allowed, optional) => readOptions(value, `followCancellation ${what}`, allowed, !optional);

/** What followCancellation calls on its client. */
const CLIENT_METHODS = ["describeWorkflowExecution", "getWorkflowExecutionHistory", "countPendingDecisionTasks", "requestCancelWorkflowExecution"];

function readPlan(config, target, options) {
  const { client } = own(config, "config", ["client"]);
  if (!CLIENT_METHODS.every((method) => typeof client?.[method] === "function")) {
    throw invalid("client", `config.client must be an SwfClient (or have its methods ${CLIENT_METHODS.join(", ")})`);
  }
  const { domain, execution, activityId } = own(target, "target", ["domain", "execution", "activityId"]);
  const { workflowId, runId } = own(execution, "execution", ["workflowId", "runId"]);
  const { signal, intervalMs = 2000, stallAfterMs = 30_000, requestCancel = false } = own(options, "options", ["signal", "intervalMs", "stallAfterMs", "requestCancel"], true);
  const checks = [
    ["domain", typeof domain === "string", "a string"],
    ["execution.workflowId", typeof workflowId === "string", "a string"],
    ["execution.runId", typeof runId === "string", "a string"],
    ["activityId", activityId === undefined || typeof activityId === "string", "a string"],
    ["signal", signal === undefined || isSignal(signal), "an AbortSignal"],
    ["intervalMs", typeof intervalMs === "number" && intervalMs >= 200 && intervalMs <= MAX_TIMER_MS, `a number from 200 to ${MAX_TIMER_MS}`],
    ["stallAfterMs", typeof stallAfterMs === "number" && stallAfterMs >= 0 && stallAfterMs <= MAX_TIMER_MS, `a number from 0 to ${MAX_TIMER_MS}`],
    ["requestCancel", typeof requestCancel === "boolean", "a boolean"],
  ];
  for (const [field, ok, rule] of checks) {
    if (!ok) throw invalid(field, `${field} must be ${rule}`);
  }
  return { client, domain, execution: { workflowId, runId }, activityId, signal, intervalMs, stallAfterMs, requestCancel };
}

function abortError(signal) {
  const reason = signal.reason;
  return reason instanceof AbortError ? reason : new AbortError({ name: "AbortError", message: "followCancellation was aborted", cause: reason });
}

/** Waits `ms`, or rejects with an `AbortError` as soon as `signal` aborts. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** What changed between two reports (a new report is yielded only then). */
const fingerprint = (report) =>
  JSON.stringify([
    report.phase,
    report.execution.executionStatus,
    report.activities.map((r) => [r.state, r.startedEventId, r.cancelRequestedEventId, r.closedEventId]),
    report.diagnoses.map((d) => [d.code, d.activityId]),
  ]);

async function* follow(plan) {
  const { client, domain, execution, activityId, signal, intervalMs, stallAfterMs, requestCancel } = plan;
  const options = { signal };
  const check = () => {
    if (signal?.aborted) throw abortError(signal);
  };
  const describe = () => client.describeWorkflowExecution({ domain, execution }, options);
  check();
  if (requestCancel) {
    try {
      await client.requestCancelWorkflowExecution({ domain, ...execution }, options);
    } catch (error) {
      // A closed execution cannot be asked to cancel any more: report it closed instead.
      if (error?.name !== "UnknownResourceFault" || (await describe()).executionInfo?.executionStatus !== "CLOSED") throw error;
    }
  }
  const seen = new Map(); // eventId → event
  let newest = 0;
  let last;
  let failures = 0;
  for (;;) {
    check();
    try {
      const description = await describe();
      // The whole history once, then only the new events, newest first, page by page until a seen one.
      let nextPageToken;
      do {
        const input = { domain, execution, ...(newest && { reverseOrder: true, maximumPageSize: 100 }), ...(nextPageToken && { nextPageToken }) };
        const page = await client.getWorkflowExecutionHistory(input, options);
        nextPageToken = page?.nextPageToken;
        for (const event of Array.isArray(page?.events) ? page.events : []) {
          if (event?.eventId <= newest) nextPageToken = undefined;
          else if (Number.isSafeInteger(event?.eventId)) seen.set(event.eventId, event);
        }
      } while (nextPageToken);
      newest = Math.max(newest, ...seen.keys());
      const events = [...seen.values()];
      let report = cancellationReport({ events, description, domain, activityId, stallAfterMs, now: Date.now() });
      const taskList = taskListName(description?.executionConfiguration);
      if (taskList && report.diagnoses.some((d) => d.code === "no-decider")) {
        const pendingDecisionTasks = await client.countPendingDecisionTasks({ domain, taskList: { name: taskList } }, options);
        report = cancellationReport({ events, description, pendingDecisionTasks, domain, activityId, stallAfterMs, now: Date.now() });
      }
      failures = 0;
      const print = fingerprint(report);
      if (print !== last || report.done) yield report;
      if (report.done) return;
      last = print;
    } catch (error) {
      check();
      if (!error?.retryable || ++failures >= MAX_FAILED_POLLS) throw error;
    }
    await sleep(intervalMs, signal);
  }
}

/**
 * Follows the cancellation of an execution's activities (all that were open when the
 * cancel was requested, or `target.activityId`'s latest run), in the shape of SDK v3's
 * paginators: `for await (const report of followCancellation({ client }, target, options))`.
 * An async iterable of progress reports (see `cancellationReport`), one whenever something
 * changed, the last with `done: true`. Options `{ signal?, intervalMs = 2000 (≥ 200),
 * stallAfterMs = 30000, requestCancel = false }`. Invalid input rejects the first `next()`
 * with a `ValidationError`; `signal` ends it with an `AbortError`. A function, not a client
 * method, so that bundles which do not use it do not carry it.
 */
export function followCancellation(config, target, options) {
  try {
    return follow(readPlan(config, target, options));
  } catch (error) {
    return (async function* () {
      throw error;
    })();
  }
}
