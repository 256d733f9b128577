// Follow a cancellation the SWF way: what SWF shows about an execution (its description,
// its history, the pending decision tasks) turned into progress reports and, when the
// cancellation stalls, diagnoses an operator can act on. `cancellationReport` is pure
// (dashboards that fetch the data themselves use it); `followCancellation` polls.
import { AbortError, SwfError, ValidationError } from "./core.js";
import { activitiesFromHistory, isClosed, normalizeEvents, toDate } from "./history.js";

/** The longest JavaScript timer (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const FOLLOW_OPTIONS = ["signal", "intervalMs", "stallAfterMs", "requestCancel"];
const TARGET_KEYS = ["domain", "execution", "activityId"];
/** Consecutive polls that may fail with a retryable error (after the client's own retries) before following gives up. */
const MAX_FAILED_POLLS = 3;
/** Page size when reading the newest events (newest first) on later polls. */
const NEW_EVENTS_PAGE = 100;

const WORKFLOW_CLOSINGS = {
  WorkflowExecutionCompleted: "COMPLETED",
  WorkflowExecutionFailed: "FAILED",
  WorkflowExecutionCanceled: "CANCELED",
  WorkflowExecutionTerminated: "TERMINATED",
  WorkflowExecutionTimedOut: "TIMED_OUT",
  WorkflowExecutionContinuedAsNew: "CONTINUED_AS_NEW",
};

const isObject = (value) => value !== null && typeof value === "object";
const iso = (date) => (date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : "an unknown time");
const seconds = (ms) => `${Math.max(0, Math.round(ms / 1000))} s`;
const quoted = (name) => `"${name}"`;
/** Seconds from an SWF timeout string (`"30"`), `null` for `"NONE"`, `undefined` when unknown. */
function timeoutSeconds(value) {
  if (value === "NONE") return null;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

function read(object, path) {
  let value = object;
  for (const key of path) {
    if (!isObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** What the history and the description say about the workflow as a whole. */
function workflowFacts(events, description) {
  let cancelRequest;
  let closing;
  let decisionTaskList = read(description, ["executionConfiguration", "taskList", "name"]);
  let startedTaskList;
  for (const event of events) {
    if (event.eventType === "WorkflowExecutionCancelRequested") cancelRequest ??= event;
    else if (Object.hasOwn(WORKFLOW_CLOSINGS, event.eventType)) closing ??= event;
    else if (event.eventType === "WorkflowExecutionStarted") startedTaskList = read(event.attributes, ["taskList", "name"]);
    else if (event.eventType === "DecisionTaskScheduled") {
      const name = read(event.attributes, ["taskList", "name"]);
      if (typeof name === "string") decisionTaskList = name;
    }
  }
  const info = read(description, ["executionInfo"]);
  const closed = info?.executionStatus === "CLOSED" || closing !== undefined;
  const closeStatus = info?.closeStatus ?? (closing ? WORKFLOW_CLOSINGS[closing.eventType] : undefined);
  return {
    info,
    cancelRequest,
    cancelRequested: cancelRequest !== undefined || info?.cancelRequested === true,
    closed,
    closeStatus,
    closedAt: toDate(info?.closeTimestamp) ?? closing?.eventTimestamp,
    decisionTaskList: typeof decisionTaskList === "string" ? decisionTaskList : startedTaskList,
  };
}

/** The activity runs a cancellation is about. */
function targetsOf(records, activityId, cancelRequest) {
  if (activityId !== undefined) {
    const runs = records.filter((r) => r.activityId === activityId);
    return runs.length ? [runs[runs.length - 1]] : undefined;
  }
  if (!cancelRequest) return records.filter((r) => !isClosed(r));
  // Those open when the workflow's cancellation was requested.
  return records.filter(
    (r) => r.scheduledEventId !== undefined && r.scheduledEventId < cancelRequest.eventId && !(r.closedEventId < cancelRequest.eventId),
  );
}

/** The decider's side after the cancel request: completed, timed-out and still-running decision tasks. */
function deciderFacts(events, after) {
  const completed = [];
  const timedOut = [];
  const started = new Map(); // DecisionTaskStarted eventId → event, until completed or timed out
  for (const event of events) {
    if (event.eventId <= after) continue;
    if (event.eventType === "DecisionTaskStarted") started.set(event.eventId, event);
    else if (event.eventType === "DecisionTaskCompleted" || event.eventType === "DecisionTaskTimedOut") {
      const startedEventId = event.attributes.startedEventId;
      const sawRequest = !Number.isSafeInteger(startedEventId) || startedEventId > after;
      if (sawRequest) (event.eventType === "DecisionTaskCompleted" ? completed : timedOut).push(event);
      started.delete(startedEventId);
    }
  }
  return { completed, timedOut, running: [...started.values()] };
}

function diagnosis(code, message, since, activityId) {
  const found = { code, message };
  if (since) found.since = since;
  if (activityId !== undefined) found.activityId = activityId;
  return found;
}

const who = (record) => (record.identity ? `worker ${quoted(record.identity)}` : "its worker");
const named = (record) => `activity ${quoted(record.activityId)}`;
const Named = (record) => `Activity ${quoted(record.activityId)}`;

/** Why a started, cancel-requested activity is still open: what its timeouts let SWF do. */
function workerDiagnosis(record, now) {
  const heartbeat = timeoutSeconds(record.heartbeatTimeout);
  const startToClose = timeoutSeconds(record.startToCloseTimeout);
  const waited = seconds(now - record.cancelRequestedAt.getTime());
  const endsAt = startToClose && record.startedAt ? new Date(record.startedAt.getTime() + startToClose * 1000) : undefined;
  const otherwise =
    startToClose === null
      ? "its start-to-close timeout is NONE too, so SWF will never end it on its own: if the worker is gone, terminate the workflow execution."
      : endsAt
        ? `SWF ends it only at its start-to-close timeout, at ${iso(endsAt)} (${startToClose} s after it started).`
        : "SWF ends it only at its start-to-close timeout, which the history does not show (the activity type's default applies).";
  const heartbeatHint = `${who(record)} learns of the request only when it calls RecordActivityTaskHeartbeat (the answer says cancelRequested: true; runActivity and watchCancellation act on it), then it should clean up and call RespondActivityTaskCanceled.`;
  if (heartbeat === null) {
    return diagnosis(
      "no-heartbeat-timeout",
      `${Named(record)} is still open ${waited} after the decider asked for its cancellation, and it has no heartbeat timeout: ${heartbeatHint} If the worker is gone or never heartbeats, SWF cannot tell: ${otherwise}`,
      record.cancelRequestedAt,
      record.activityId,
    );
  }
  if (heartbeat === undefined) {
    return diagnosis(
      "heartbeat-timeout-unknown",
      `${Named(record)} is still open ${waited} after the decider asked for its cancellation; the history does not show its heartbeat timeout (the activity type's default applies). ${heartbeatHint} If the activity has no heartbeat timeout and the worker is gone, ${otherwise}`,
      record.cancelRequestedAt,
      record.activityId,
    );
  }
  const latest = new Date(now + heartbeat * 1000);
  const by = endsAt && endsAt < latest ? endsAt : latest;
  return diagnosis(
    "worker-not-canceling",
    `${Named(record)} is still open ${waited} after the decider asked for its cancellation. If ${who(record)} is running and heartbeating, SWF has told it cancelRequested: true and it does not act on it: fix the worker to call RespondActivityTaskCanceled. If the worker is gone, SWF times the activity out ${heartbeat} s after its last heartbeat: by ${iso(by)} at the latest.`,
    record.cancelRequestedAt,
    record.activityId,
  );
}

const CLOSED_WORDING = {
  completed: "completed instead of being canceled (the worker finished, or did not act on the request): its result stands",
  failed: "failed instead of being canceled",
  "timed-out": "timed out instead of being canceled (SWF ended it: its worker stopped heartbeating or ran out of time)",
  "schedule-failed": "was never scheduled (SWF refused to schedule it)",
};

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
  const { events: rawEvents, description, pendingDecisionTasks, domain, activityId } = isObject(snapshot) ? snapshot : {};
  const at = snapshot?.now;
  const now = at instanceof Date && Number.isFinite(at.getTime()) ? at.getTime() : Number.isFinite(at) ? at : Date.now();
  const stallAfterMs = typeof snapshot?.stallAfterMs === "number" && snapshot.stallAfterMs >= 0 ? snapshot.stallAfterMs : 30_000;
  const events = normalizeEvents(rawEvents ?? []);
  const records = activitiesFromHistory(rawEvents ?? []);
  const workflow = workflowFacts(events, description);
  const execution = workflow.info ?? { executionStatus: workflow.closed ? "CLOSED" : "OPEN", ...(workflow.closeStatus && { closeStatus: workflow.closeStatus }) };
  const diagnoses = [];
  const targets = targetsOf(records, activityId, workflow.cancelRequest);
  if (!targets) {
    const known = [...new Set(records.map((r) => r.activityId))];
    diagnoses.push(
      diagnosis(
        "activity-not-found",
        `No activity ${quoted(activityId)} in this execution's history (${known.length ? `its activities: ${known.map(quoted).join(", ")}` : "it has no activities"}): check the activity id.`,
        undefined,
        activityId,
      ),
    );
    return { phase: workflow.closed ? "closed" : "requested", activities: [], diagnoses, done: true, execution };
  }
  const open = targets.filter((r) => !isClosed(r));
  const closedAll = targets.length > 0 ? open.length === 0 : workflow.closed;
  const phase = closedAll || workflow.closed ? "closed" : open.every((r) => r.cancelRequestedEventId !== undefined) && open.length > 0 ? "decider-asked" : "requested";

  // Outcomes other than canceled.
  for (const record of targets) {
    if (isClosed(record) && record.state !== "canceled" && (workflow.cancelRequested || record.cancelRequestedEventId !== undefined)) {
      diagnoses.push(diagnosis("closed-not-canceled", `${Named(record)} ${CLOSED_WORDING[record.state]}.`, record.closedAt, record.activityId));
    }
  }
  if (workflow.closed) {
    if (open.length) {
      diagnoses.push(
        diagnosis(
          "workflow-closed",
          `The workflow execution closed (${workflow.closeStatus ?? "closed"} at ${iso(workflow.closedAt)}) while ${open.map(named).join(", ")} ${open.length > 1 ? "were" : "was"} still open: SWF accepts nothing more for ${open.length > 1 ? "them" : "it"} (a worker's next heartbeat or response gets UnknownResourceFault). Nothing is left to cancel.`,
          workflow.closedAt,
        ),
      );
    } else if (targets.length === 0 && workflow.cancelRequested && workflow.closeStatus !== "CANCELED") {
      diagnoses.push(
        diagnosis(
          "workflow-closed",
          `The workflow execution closed as ${workflow.closeStatus ?? "closed"} at ${iso(workflow.closedAt)}, not as canceled.`,
          workflow.closedAt,
        ),
      );
    }
    return { phase, activities: targets, diagnoses, done: true, execution };
  }
  if (closedAll) return { phase, activities: targets, diagnoses, done: true, execution };

  const unasked = open.filter((r) => r.cancelRequestedEventId === undefined);
  if (!workflow.cancelRequested && (unasked.length || targets.length === 0)) {
    diagnoses.push(
      diagnosis(
        "not-requested",
        "Nobody has asked SWF to cancel this workflow execution: call requestCancelWorkflowExecution (or followCancellation with requestCancel: true). Until then its decider has no reason to cancel anything.",
      ),
    );
  } else if (workflow.cancelRequest && (unasked.length || targets.length === 0)) {
    const request = workflow.cancelRequest;
    const since = request.eventTimestamp;
    const list = workflow.decisionTaskList ? `decision task list ${quoted(workflow.decisionTaskList)}` : "this workflow's decision task list";
    const where = domain ? `${list} in domain ${quoted(domain)}` : list;
    const decider = deciderFacts(events, request.eventId);
    const refused = new Set();
    for (const record of unasked) {
      for (const failure of record.cancelFailures ?? []) {
        if (failure.eventId > request.eventId) refused.add(record.activityId);
      }
      if (refused.has(record.activityId)) {
        const cause = record.cancelFailures[record.cancelFailures.length - 1].cause ?? "unknown";
        diagnoses.push(
          diagnosis(
            "cancel-request-failed",
            `The decider asked to cancel ${named(record)}, but SWF refused (cause ${cause}): ${cause === "ACTIVITY_ID_UNKNOWN" ? "the id it used is not an open activity of this execution; check the ids the decider uses" : "check the decider's IAM permissions"}.`,
            record.cancelFailures[record.cancelFailures.length - 1].at,
            record.activityId,
          ),
        );
      }
    }
    const ignored = unasked.filter((r) => !refused.has(r.activityId));
    if (decider.completed.length && (ignored.length || targets.length === 0)) {
      const last = decider.completed[decider.completed.length - 1];
      const what = ignored.length ? `without deciding RequestCancelActivityTask for ${ignored.map(named).join(", ")}` : "without closing the workflow (CancelWorkflowExecution)";
      diagnoses.push(
        diagnosis(
          "decider-ignores-cancel",
          `The cancel request was recorded at ${iso(since)}; since then the decider completed ${decider.completed.length} decision task${decider.completed.length > 1 ? "s" : ""} (the last at ${iso(last.eventTimestamp)}) ${what}: it ignores cancel requests. Fix the decider polling ${where} to handle WorkflowExecutionCancelRequested; meanwhile terminateWorkflowExecution ends the workflow for good.`,
          since,
        ),
      );
    } else if (!decider.completed.length) {
      const stalled = since && now - since.getTime() >= stallAfterMs;
      const timedOut = decider.timedOut[decider.timedOut.length - 1];
      const running = decider.running[decider.running.length - 1];
      if (timedOut) {
        diagnoses.push(
          diagnosis(
            "decider-timed-out",
            `A decider took a decision task after the cancel request but did not complete it in time (DecisionTaskTimedOut at ${iso(timedOut.eventTimestamp)}): the decider polling ${where} fails or hangs when it handles the cancel request. Check its logs.`,
            timedOut.eventTimestamp,
          ),
        );
      } else if (running && stalled && now - (running.eventTimestamp?.getTime() ?? now) >= stallAfterMs) {
        const identity = typeof running.attributes.identity === "string" ? ` ${quoted(running.attributes.identity)}` : "";
        diagnoses.push(
          diagnosis(
            "decider-slow",
            `Decider${identity} started a decision task at ${iso(running.eventTimestamp)} (after the cancel request) and has not completed it for ${seconds(now - running.eventTimestamp.getTime())}: it is slow or stuck; SWF times the task out at its start-to-close timeout and schedules another.`,
            running.eventTimestamp,
          ),
        );
      } else if (!running && stalled) {
        const count = typeof pendingDecisionTasks === "number" ? pendingDecisionTasks : pendingDecisionTasks?.count;
        const pending = typeof count === "number" ? `${count}${pendingDecisionTasks?.truncated ? "+" : ""} pending decision task${count === 1 ? "" : "s"}` : "pending decision tasks unknown";
        diagnoses.push(
          diagnosis(
            "no-decider",
            `The cancel request was recorded at ${iso(since)}, but no decider has started a decision task for ${seconds(now - since.getTime())} (${pending}): nobody seems to poll ${where}. Start a decider that polls it (check its domain, task list name, region and credentials).`,
            since,
          ),
        );
      }
    }
  }
  for (const record of open) {
    if (record.cancelRequestedAt && record.startedEventId !== undefined && now - record.cancelRequestedAt.getTime() >= stallAfterMs) {
      diagnoses.push(workerDiagnosis(record, now));
    }
  }
  return { phase, activities: targets, diagnoses, done: false, execution };
}

/** Whether a report shows anything new compared with the previous one. */
function fingerprint(report) {
  return JSON.stringify([
    report.phase,
    report.done,
    report.execution?.executionStatus,
    report.activities.map((r) => [r.activityId, r.attempt, r.state, r.startedEventId, r.cancelRequestedEventId, r.closedEventId]),
    report.diagnoses.map((d) => [d.code, d.activityId]),
  ]);
}

function invalid(field, message) {
  return new ValidationError({ name: "ValidationError", message, field });
}

function aborted(signal) {
  const reason = signal.reason;
  if (reason instanceof SwfError && reason.name === "AbortError") return reason;
  return new AbortError({ name: "AbortError", message: "followCancellation was aborted", cause: reason });
}

/** Own enumerable keys of an options-like object, each getter read once; unknown keys rejected. */
function ownCopy(value, what, allowed, required = false) {
  if (!required && (value === undefined || value === null)) return {};
  if (!isObject(value)) throw invalid(undefined, `${what} must be an object`);
  const copy = {};
  try {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) throw invalid(key, `${what}: unknown key ${key} (allowed: ${allowed.join(", ")})`);
      copy[key] = value[key];
    }
  } catch (error) {
    if (error instanceof SwfError) throw error;
    throw invalid(undefined, `${what} could not be read (a getter or proxy threw)`);
  }
  return copy;
}

function readPlan(target, options) {
  const { domain, execution, activityId } = ownCopy(target, "followCancellation target", TARGET_KEYS, true);
  if (typeof domain !== "string") throw invalid("domain", "followCancellation: domain must be a string");
  const { workflowId, runId } = ownCopy(execution, "followCancellation execution", ["workflowId", "runId"], true);
  if (typeof workflowId !== "string") throw invalid("execution.workflowId", "followCancellation: execution.workflowId must be a string");
  if (typeof runId !== "string") throw invalid("execution.runId", "followCancellation: execution.runId must be a string");
  if (activityId !== undefined && typeof activityId !== "string") throw invalid("activityId", "followCancellation: activityId must be a string");
  const what = "followCancellation options";
  const { signal, intervalMs = 2000, stallAfterMs = 30_000, requestCancel = false } = ownCopy(options, what, FOLLOW_OPTIONS);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalid("signal", `${what}: signal must be an AbortSignal`);
  if (typeof intervalMs !== "number" || !(intervalMs >= 200 && intervalMs <= MAX_TIMER_MS)) {
    throw invalid("intervalMs", `${what}: intervalMs must be a number from 200 to ${MAX_TIMER_MS}`);
  }
  if (typeof stallAfterMs !== "number" || !(stallAfterMs >= 0 && stallAfterMs <= MAX_TIMER_MS)) {
    throw invalid("stallAfterMs", `${what}: stallAfterMs must be a number from 0 to ${MAX_TIMER_MS}`);
  }
  if (typeof requestCancel !== "boolean") throw invalid("requestCancel", `${what}: requestCancel must be a boolean`);
  return { domain, execution: { workflowId, runId }, activityId, signal, intervalMs, stallAfterMs, requestCancel };
}

/** Waits `ms`, or rejects with an `AbortError` as soon as `signal` aborts. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** An execution's history, read in full once, then only its new events (newest first) on each poll. */
class HistoryReader {
  #byId = new Map();
  #newest = 0;

  constructor(client, domain, execution, signal) {
    this.call = (input) => client.getWorkflowExecutionHistory({ domain, execution, ...input }, { signal });
  }

  async read() {
    const first = this.#newest === 0;
    let nextPageToken;
    do {
      const input = first ? {} : { reverseOrder: true, maximumPageSize: NEW_EVENTS_PAGE };
      if (nextPageToken !== undefined) input.nextPageToken = nextPageToken;
      const page = await this.call(input);
      const events = Array.isArray(page?.events) ? page.events : [];
      let reachedSeen = false;
      for (const event of events) {
        const id = event?.eventId;
        if (!Number.isSafeInteger(id)) continue;
        if (id <= this.#newest) reachedSeen = true;
        else if (!this.#byId.has(id)) this.#byId.set(id, event);
      }
      nextPageToken = !first && reachedSeen ? undefined : page?.nextPageToken;
    } while (nextPageToken);
    for (const id of this.#byId.keys()) if (id > this.#newest) this.#newest = id;
    return [...this.#byId.values()];
  }
}

/** Whether a decider has yet to start a decision task after the workflow's cancel request. */
function waitingForDecider(events) {
  const normalized = normalizeEvents(events);
  const request = normalized.find((e) => e.eventType === "WorkflowExecutionCancelRequested");
  return request !== undefined && !normalized.some((e) => e.eventId > request.eventId && e.eventType === "DecisionTaskStarted");
}

async function* follow(client, plan, failure) {
  if (failure) throw failure;
  const { domain, execution, activityId, signal, intervalMs, stallAfterMs, requestCancel } = plan;
  const options = { signal };
  const check = () => {
    if (signal?.aborted) throw aborted(signal);
  };
  check();
  if (requestCancel) {
    try {
      await client.requestCancelWorkflowExecution({ domain, ...execution }, options);
    } catch (error) {
      // A closed execution cannot be asked to cancel: report it closed instead.
      if (error?.name !== "UnknownResourceFault") throw error;
      const { executionInfo } = await client.describeWorkflowExecution({ domain, execution }, options);
      if (executionInfo?.executionStatus !== "CLOSED") throw error;
    }
  }
  const history = new HistoryReader(client, domain, execution, signal);
  let last;
  let failures = 0;
  for (;;) {
    check();
    let report;
    try {
      const description = await client.describeWorkflowExecution({ domain, execution }, options);
      const events = await history.read();
      let pendingDecisionTasks;
      const taskList = read(description, ["executionConfiguration", "taskList", "name"]);
      if (typeof taskList === "string" && description?.executionInfo?.executionStatus !== "CLOSED" && waitingForDecider(events)) {
        pendingDecisionTasks = await client.countPendingDecisionTasks({ domain, taskList: { name: taskList } }, options);
      }
      report = cancellationReport({ events, description, pendingDecisionTasks, domain, activityId, stallAfterMs, now: Date.now() });
      failures = 0;
    } catch (error) {
      check();
      if (!error?.retryable || ++failures >= MAX_FAILED_POLLS) throw error;
    }
    if (report) {
      const print = fingerprint(report);
      if (print !== last || report.done) {
        last = print;
        yield report;
      }
      if (report.done) return;
    }
    await sleep(intervalMs, signal);
  }
}

/**
 * Follows the cancellation of an execution's activities (all that were open when the
 * cancel was requested, or `target.activityId`'s latest run): an async iterable of
 * progress reports (see `cancellationReport`), one whenever something changed, the last
 * with `done: true`. Options `{ signal?, intervalMs = 2000 (≥ 200), stallAfterMs = 30000,
 * requestCancel = false }`. Invalid input rejects the first `next()` with a
 * `ValidationError`; `signal` ends it with an `AbortError`.
 */
export function followCancellation(client, target, options) {
  let plan;
  let failure;
  try {
    plan = readPlan(target, options);
  } catch (error) {
    failure = error;
  }
  return follow(client, plan, failure);
}
