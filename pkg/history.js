// Activity states from a workflow history: pure, no I/O, no wasm. Used by
// followCancellation (follow.js) and by dashboards that fetch the history themselves.

/** The `…EventAttributes` key of an event type: `ActivityTaskStarted` → `activityTaskStartedEventAttributes`. */
const attributesKey = (eventType) => `${eventType[0].toLowerCase()}${eventType.slice(1)}EventAttributes`;

/** SWF's event timestamps as a `Date`: a `Date`, epoch seconds (raw SWF JSON) or an ISO string (JSON of a `Date`). */
export function toDate(value) {
  let date;
  if (value instanceof Date) date = new Date(value.getTime());
  else if (typeof value === "number") date = new Date(value * 1000);
  else if (typeof value === "string") date = new Date(value);
  return date && Number.isFinite(date.getTime()) ? date : undefined;
}

const isObject = (value) => value !== null && typeof value === "object";
const text = (value) => (typeof value === "string" ? value : undefined);
const integer = (value) => (Number.isSafeInteger(value) ? value : undefined);

/**
 * A workflow's events (any iterable, all pages, either order, duplicates tolerated) as
 * plain `{ eventId, eventType, eventTimestamp: Date | undefined, attributes }` sorted by
 * `eventId`. Events without an integer `eventId` or a string `eventType` are dropped;
 * a throwing getter or proxy drops only its event.
 */
export function normalizeEvents(events) {
  if (!isObject(events) || typeof events[Symbol.iterator] !== "function") {
    throw new TypeError("activitiesFromHistory: events must be an array (or iterable) of history events");
  }
  const byId = new Map();
  for (const event of events) {
    try {
      if (!isObject(event)) continue;
      const eventId = integer(event.eventId);
      const eventType = text(event.eventType);
      if (eventId === undefined || !eventType || byId.has(eventId)) continue;
      const attributes = event[attributesKey(eventType)];
      byId.set(eventId, {
        eventId,
        eventType,
        eventTimestamp: toDate(event.eventTimestamp),
        attributes: isObject(attributes) ? attributes : {},
      });
    } catch {
      // an unreadable event is skipped: the rest of the history still counts
    }
  }
  return [...byId.values()].sort((a, b) => a.eventId - b.eventId);
}

/** The timeouts an activity was scheduled with (SWF's strings: seconds or `"NONE"`). */
const TIMEOUTS = ["heartbeatTimeout", "scheduleToStartTimeout", "scheduleToCloseTimeout", "startToCloseTimeout"];

/** How each closing event type maps to a state and which of its attributes the record keeps. */
const CLOSINGS = {
  ActivityTaskCompleted: { state: "completed", keep: ["result"] },
  ActivityTaskFailed: { state: "failed", keep: ["reason", "details"] },
  ActivityTaskTimedOut: { state: "timed-out", keep: ["timeoutType", "details"] },
  ActivityTaskCanceled: { state: "canceled", keep: ["details"] },
};

/** The states of a closed activity. */
export const CLOSED_STATES = ["canceled", "completed", "failed", "timed-out", "schedule-failed"];

/** Whether an activity record (from `activitiesFromHistory`) is closed. */
export const isClosed = (record) => CLOSED_STATES.includes(record.state);

/** Copies the string-valued `keys` of SWF's attributes (anything else is not what SWF sends: left out). */
function copyText(target, source, keys) {
  for (const key of keys) {
    if (typeof source[key] === "string") target[key] = source[key];
  }
}

function typeOf(attributes) {
  const type = attributes.activityType;
  return isObject(type) && typeof type.name === "string" && typeof type.version === "string"
    ? { name: type.name, version: type.version }
    : undefined;
}

/**
 * One record per activity (per run of an activity id: an id scheduled again after its
 * first run closed gives a second record, `attempt` 2), in scheduling order:
 * `{ activityId, activityType, attempt, state, taskList, input?, control?, scheduledEventId,
 * scheduledAt, startedEventId?, startedAt?, identity?, cancelRequestedEventId?,
 * cancelRequestedAt?, closedEventId?, closedAt?, result?, details?, reason?, timeoutType?,
 * cause?, cancelFailures?, heartbeatTimeout?, scheduleToStartTimeout?,
 * scheduleToCloseTimeout?, startToCloseTimeout? }`.
 *
 * `state` is one of `scheduled`, `started`, `cancel-requested`, `canceled`, `completed`,
 * `failed`, `timed-out`, `schedule-failed`. A `RequestCancelActivityTaskFailed` is listed
 * in `cancelFailures` and does not change the state. Unknown event types, missing
 * attributes and events of activities whose scheduling is not in `events` are ignored.
 * Timestamps may be `Date`s, epoch seconds or ISO strings; the records carry `Date`s.
 */
export function activitiesFromHistory(events) {
  const records = [];
  const byScheduledId = new Map();
  const latestById = new Map(); // activityId → its latest ActivityTaskScheduled record
  const attempts = new Map(); // activityId → records so far
  const recordFor = (attributes) => byScheduledId.get(integer(attributes.scheduledEventId));
  for (const { eventId, eventType, eventTimestamp: at, attributes } of normalizeEvents(events)) {
    if (eventType === "ActivityTaskScheduled" || eventType === "ScheduleActivityTaskFailed") {
      const activityId = text(attributes.activityId);
      if (activityId === undefined) continue;
      const attempt = (attempts.get(activityId) ?? 0) + 1;
      attempts.set(activityId, attempt);
      const record = { activityId, activityType: typeOf(attributes), attempt };
      if (eventType === "ActivityTaskScheduled") {
        Object.assign(record, { state: "scheduled", scheduledEventId: eventId, scheduledAt: at });
        if (isObject(attributes.taskList) && typeof attributes.taskList.name === "string") record.taskList = { name: attributes.taskList.name };
        copyText(record, attributes, ["taskPriority", "input", "control", ...TIMEOUTS]);
        byScheduledId.set(eventId, record);
        latestById.set(activityId, record);
      } else {
        Object.assign(record, { state: "schedule-failed", closedEventId: eventId, closedAt: at });
        copyText(record, attributes, ["cause"]);
      }
      records.push(record);
    } else if (eventType === "ActivityTaskStarted") {
      const record = recordFor(attributes);
      if (!record || isClosed(record) || record.startedEventId !== undefined) continue;
      Object.assign(record, { startedEventId: eventId, startedAt: at });
      if (record.state === "scheduled") record.state = "started";
      copyText(record, attributes, ["identity"]);
    } else if (eventType === "ActivityTaskCancelRequested") {
      const record = latestById.get(text(attributes.activityId));
      if (!record || isClosed(record)) continue;
      Object.assign(record, { state: "cancel-requested", cancelRequestedEventId: eventId, cancelRequestedAt: at });
    } else if (eventType === "RequestCancelActivityTaskFailed") {
      const record = latestById.get(text(attributes.activityId));
      if (!record) continue;
      (record.cancelFailures ??= []).push({ eventId, at, cause: text(attributes.cause) });
    } else if (Object.hasOwn(CLOSINGS, eventType)) {
      const record = recordFor(attributes);
      if (!record || isClosed(record)) continue;
      const { state, keep } = CLOSINGS[eventType];
      Object.assign(record, { state, closedEventId: eventId, closedAt: at });
      copyText(record, attributes, keep);
    }
  }
  return records;
}
