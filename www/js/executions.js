// Pure helpers of the executions view (no DOM, no network): list inputs from the filter
// form, timestamps in either connection mode, activity states and a readable event line.

/** Events per page of the timeline. */
export const HISTORY_PAGE_SIZE = 100;
/** Default start of the time range: executions started (or closed) in the last 7 days. */
export const DEFAULT_RANGE_DAYS = 7;
/** SWF's limits the page checks before sending (Unicode code points, as SWF counts). */
export const LIMITS = { signalName: 256, signalInput: 32768, reason: 256, details: 32768 };

/**
 * A timestamp as a Date, whatever carried it: a Date (swf-edge in the page), an ISO 8601
 * string (the Worker's JSON) or epoch seconds (raw SWF). Anything else → undefined.
 */
export function toDate(value) {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value * 1000);
  if (typeof value === "string" && value) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

/**
 * The value of an `<input type="datetime-local">` (local time, "YYYY-MM-DDTHH:MM[:SS]") as
 * epoch seconds; "" → undefined. Throws an Error naming `what` for anything else.
 */
export function epochSeconds(text, what) {
  if (text === undefined || text === null || String(text).trim() === "") return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(text).trim());
  const date = match && new Date(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +(match[6] ?? 0));
  if (!date || Number.isNaN(date.getTime())) throw new Error(`${what} is not a date and time.`);
  return Math.floor(date.getTime() / 1000);
}

/**
 * The input of ListOpenWorkflowExecutions (`status: "open"`, the range filters start times)
 * or ListClosedWorkflowExecutions (`"closed"`, the range filters close times), from the
 * filter form. SWF allows at most one of the type, tag, workflow id (and close status)
 * filters: `filter.kind` picks it. Throws an Error with an operator-readable message.
 */
export function listInput({ status, domain, from, to, filter = {}, pageSize, nextPageToken, reverseOrder, now = new Date() }) {
  if (status !== "open" && status !== "closed") throw new Error("Choose open or closed executions.");
  const name = String(domain ?? "").trim();
  if (!name) throw new Error("Choose a domain first.");
  const oldestDate = epochSeconds(from, "From") ?? Math.floor(now.getTime() / 1000) - DEFAULT_RANGE_DAYS * 86400;
  const latestDate = epochSeconds(to, "To");
  if (latestDate !== undefined && latestDate < oldestDate) throw new Error("To is before From.");
  const range = latestDate === undefined ? { oldestDate } : { oldestDate, latestDate };
  const input = { domain: name, [status === "open" ? "startTimeFilter" : "closeTimeFilter"]: range };
  const value = String(filter.value ?? "").trim();
  const needValue = (what) => {
    if (!value) throw new Error(`Enter the ${what} to filter by.`);
    return value;
  };
  switch (filter.kind ?? "") {
    case "":
      break;
    case "workflowId":
      input.executionFilter = { workflowId: needValue("workflow id") };
      break;
    case "type": {
      const version = String(filter.version ?? "").trim();
      input.typeFilter = version ? { name: needValue("workflow type name"), version } : { name: needValue("workflow type name") };
      break;
    }
    case "tag":
      input.tagFilter = { tag: needValue("tag") };
      break;
    case "closeStatus":
      if (status !== "closed") throw new Error("Only closed executions have a close status.");
      input.closeStatusFilter = { status: needValue("close status") };
      break;
    default:
      throw new Error(`Unknown filter ${filter.kind}.`);
  }
  if (pageSize !== undefined) input.maximumPageSize = pageSize;
  if (nextPageToken) input.nextPageToken = nextPageToken;
  if (reverseOrder) input.reverseOrder = true;
  return input;
}

/** How an execution is doing, in words: "Open", "Open — cancel requested", "Canceled", … */
export function executionStatusText(info) {
  if (!info) return "";
  if (info.executionStatus === "OPEN") return info.cancelRequested ? "Open — cancel requested" : "Open";
  const close = { COMPLETED: "Completed", FAILED: "Failed", CANCELED: "Canceled", TERMINATED: "Terminated", CONTINUED_AS_NEW: "Continued as new", TIMED_OUT: "Timed out" };
  return close[info.closeStatus] ?? "Closed";
}

/** The badge state (CSS `data-state`) of an execution. */
export function executionBadge(info) {
  if (!info) return "new";
  if (info.executionStatus === "OPEN") return info.cancelRequested ? "cancel-requested" : "running";
  return { COMPLETED: "completed", FAILED: "failed", CANCELED: "canceled", TERMINATED: "terminated", TIMED_OUT: "timed-out" }[info.closeStatus] ?? "closed";
}

/** Badge text of each activity state (activitiesFromHistory's `state`). */
export const ACTIVITY_STATE_TEXT = {
  scheduled: "Scheduled",
  started: "Running",
  "cancel-requested": "Cancel requested",
  canceled: "Canceled",
  completed: "Completed",
  failed: "Failed",
  "timed-out": "Timed out",
  "schedule-failed": "Could not be scheduled",
};

/** Phase of a cancellation (followCancellation's `phase`), in words. */
export const PHASE_TEXT = {
  requested: "Cancellation requested: waiting for the decider to ask the activity to cancel",
  "decider-asked": "The decider asked the activity to cancel: waiting for its worker to close it",
  closed: "Closed",
};

/** A short form of a run id (first 8 characters). */
export function shortRunId(runId) {
  const chars = Array.from(String(runId ?? ""));
  return chars.length <= 12 ? chars.join("") : `${chars.slice(0, 8).join("")}…`;
}

/** A type `{name, version}` as "name v1". */
export function typeText(type) {
  return type?.name ? `${type.name} v${type.version ?? "?"}` : "";
}

const oneLine = (text, max = 120) => {
  const flat = String(text).replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : flat;
};

/** The `<eventType>EventAttributes` object of an event (SWF's naming), or {}. */
export function attributesOf(event) {
  const type = String(event?.eventType ?? "");
  const attributes = event?.[`${type.charAt(0).toLowerCase()}${type.slice(1)}EventAttributes`];
  return attributes && typeof attributes === "object" ? attributes : {};
}

const SUMMARY = {
  WorkflowExecutionStarted: (a) => [typeText(a.workflowType), a.taskList?.name && `decisions on ${a.taskList.name}`, a.tagList?.length && `tags ${a.tagList.join(", ")}`],
  WorkflowExecutionCancelRequested: (a) => [a.cause && `cause ${a.cause}`, a.externalWorkflowExecution && `by ${a.externalWorkflowExecution.workflowId}`],
  WorkflowExecutionSignaled: (a) => [`signal ${a.signalName}`, a.input && `input ${a.input}`],
  WorkflowExecutionTerminated: (a) => [a.reason && `reason ${a.reason}`, a.details && `details ${a.details}`, a.cause && `cause ${a.cause}`, a.childPolicy && `child policy ${a.childPolicy}`],
  WorkflowExecutionCanceled: (a) => [a.details && `details ${a.details}`],
  WorkflowExecutionCompleted: (a) => [a.result && `result ${a.result}`],
  WorkflowExecutionFailed: (a) => [a.reason && `reason ${a.reason}`, a.details && `details ${a.details}`],
  WorkflowExecutionTimedOut: (a) => [a.timeoutType && `timeout ${a.timeoutType}`],
  DecisionTaskScheduled: (a) => [a.taskList?.name && `on ${a.taskList.name}`],
  DecisionTaskStarted: (a) => [a.identity && `by ${a.identity}`],
  DecisionTaskCompleted: () => [],
  DecisionTaskTimedOut: (a) => [a.timeoutType && `timeout ${a.timeoutType}`],
  ActivityTaskScheduled: (a) => [`activity ${a.activityId}`, typeText(a.activityType), a.taskList?.name && `on ${a.taskList.name}`, a.heartbeatTimeout && `heartbeat timeout ${a.heartbeatTimeout}`],
  ActivityTaskStarted: (a) => [a.identity && `by ${a.identity}`],
  ActivityTaskCancelRequested: (a) => [`activity ${a.activityId}`],
  ActivityTaskCanceled: (a) => [a.details && `details ${a.details}`],
  ActivityTaskCompleted: (a) => [a.result && `result ${a.result}`],
  ActivityTaskFailed: (a) => [a.reason && `reason ${a.reason}`, a.details && `details ${a.details}`],
  ActivityTaskTimedOut: (a) => [a.timeoutType && `timeout ${a.timeoutType}`, a.details && `last heartbeat ${a.details}`],
  ScheduleActivityTaskFailed: (a) => [`activity ${a.activityId}`, a.cause && `cause ${a.cause}`],
  RequestCancelActivityTaskFailed: (a) => [`activity ${a.activityId}`, a.cause && `cause ${a.cause}`],
  MarkerRecorded: (a) => [a.markerName && `marker ${a.markerName}`],
  TimerStarted: (a) => [a.timerId && `timer ${a.timerId}`, a.startToFireTimeout && `fires after ${a.startToFireTimeout} s`],
  TimerFired: (a) => [a.timerId && `timer ${a.timerId}`],
};

/** Ids of the events an event refers to (`scheduledEventId`, `startedEventId`, …), in words. */
function references(attributes) {
  const names = { scheduledEventId: "scheduled", startedEventId: "started", latestCancelRequestedEventId: "cancel requested", decisionTaskCompletedEventId: "decided" };
  return Object.entries(names)
    .filter(([key]) => Number.isInteger(attributes[key]) && attributes[key] > 0)
    .map(([key, word]) => `${word} #${attributes[key]}`);
}

/**
 * One line of the timeline: `{ id, type, at (Date|undefined), summary }`. Known event types
 * get their important attributes; others the attributes' scalar values.
 */
export function describeEvent(event) {
  const type = String(event?.eventType ?? "Unknown");
  const attributes = attributesOf(event);
  const parts = SUMMARY[type]
    ? SUMMARY[type](attributes)
    : Object.entries(attributes)
        .filter(([, v]) => v !== null && typeof v !== "object")
        .map(([k, v]) => `${k} ${v}`);
  const summary = [...parts.filter(Boolean), ...references(attributes)].map((p) => oneLine(p, 160)).join(" · ");
  return { id: event?.eventId, type, at: toDate(event?.eventTimestamp), summary };
}

/** What the page shows of an activity record beyond its state (result, reason, details, timeout, cause). */
export function activityOutcome(activity) {
  const parts = [];
  if (activity?.result) parts.push(`result: ${activity.result}`);
  if (activity?.reason) parts.push(`reason: ${activity.reason}`);
  if (activity?.details) parts.push(`details: ${activity.details}`);
  if (activity?.timeoutType) parts.push(`timeout: ${activity.timeoutType}`);
  if (activity?.cause) parts.push(`cause: ${activity.cause}`);
  return parts.map((p) => oneLine(p, 200)).join(" · ");
}
