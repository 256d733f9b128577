// SWF's answers, read: a 2xx body into what the call resolves to (each action's reader in
// ANSWERS), any other status into the plain error record of a service error, following
// the awsJson1_0 rules botocore follows (tests/error_codes checks both on one table).
// Bodies are parsed with JSON.parse and read through own properties only (a polluted
// Object.prototype adds nothing); each activity-task answer is rebuilt as a fresh object
// holding only its documented fields. Every string of an answer that reaches a record
// goes through `redact` (the wasm's: it holds the secrets, and cuts to length).

/** The names of swf-edge's own errors: a service code among them is named `ServiceError`. */
const CLIENT_ERROR_NAMES = new Set([
  "SwfError",
  "ServiceError",
  "ValidationError",
  "TransportError",
  "TimeoutError",
  "AbortError",
  "CredentialsError",
  "ResponseError",
  "RedirectError",
  "InternalError",
  "WasmLoadError",
  "ActivityCancelRequested",
]);

/** Codes a retry may cure (AWS "standard" retry mode's list); 500, 502, 503 and 504 are too. */
const RETRYABLE_NAMES = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalFailure",
  "InternalError",
  "ServiceUnavailable",
]);

/** Codes that blame the local clock (a retry with a corrected clock may cure). */
const CLOCK_SKEW_NAMES = new Set([
  "RequestTimeTooSkewed",
  "RequestExpired",
  "RequestInTheFuture",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "AuthFailure",
]);

/** The keys an error message may come under, in order of preference. */
const MESSAGE_KEYS = ["message", "Message", "errorMessage"];

/** A code that may be shown as an error name: 1 to 128 characters from `[A-Za-z0-9_.]`. */
const SANE_CODE = /^[A-Za-z0-9_.]{1,128}$/;

const hasOwn = Object.hasOwn;

/** `value[key]` if `value` is an object with that own property, else `undefined`. */
function get(value, key) {
  return value !== null && typeof value === "object" && hasOwn(value, key) ? value[key] : undefined;
}

/** `JSON.parse(body)`, an empty or all-blank body being `{}`; throws why it is not JSON. */
function parse(body) {
  const text = body.trim();
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw "the body is not JSON";
  }
}

/** `value[key]`, required to be a string; `label` names it in the message. */
function text(value, key, label) {
  const field = get(value, key);
  if (typeof field !== "string") throw `${label} is missing or not a string`;
  return field;
}

/** Any JSON (SWF sends `{}` or nothing): resolves `undefined`. */
function nothing(body) {
  parse(body);
  return undefined;
}

/** `{ cancelRequested: boolean }`. */
function activityTaskStatus(body) {
  const cancelRequested = get(parse(body), "cancelRequested");
  if (typeof cancelRequested !== "boolean") throw "cancelRequested is missing or not a boolean";
  return { cancelRequested };
}

/**
 * The task, or `null` when the poll ended empty (no, a null or an empty `taskToken`); a
 * `taskToken` of another type is not SWF's answer.
 */
function polledTask(body) {
  const answer = parse(body);
  const taskToken = get(answer, "taskToken");
  if (taskToken === undefined || taskToken === null || taskToken === "") return null;
  if (typeof taskToken !== "string") throw "taskToken is not a string";
  const startedEventId = get(answer, "startedEventId");
  if (!Number.isInteger(startedEventId)) throw "startedEventId is missing or not a whole number";
  const execution = get(answer, "workflowExecution");
  const type = get(answer, "activityType");
  const task = {
    taskToken,
    activityId: text(answer, "activityId", "activityId"),
    startedEventId,
    workflowExecution: {
      workflowId: text(execution, "workflowId", "workflowExecution.workflowId"),
      runId: text(execution, "runId", "workflowExecution.runId"),
    },
    activityType: { name: text(type, "name", "activityType.name"), version: text(type, "version", "activityType.version") },
  };
  const input = get(answer, "input");
  if (typeof input === "string") task.input = input;
  else if (input !== undefined && input !== null) throw "input is not a string";
  return task;
}

/**
 * How each action's success answer is read (by SWF's name): the activity-task answers by
 * their reader, each operator answer passed on as SWF sent it (a JSON object) with the
 * epoch seconds at these paths turned into `Date`s (`"*"`: each element of an array).
 * tests/js/answer-reader.test.mjs checks the paths against botocore's model of SWF.
 */
export const ANSWERS = {
  RespondActivityTaskCanceled: nothing,
  RecordActivityTaskHeartbeat: activityTaskStatus,
  RespondActivityTaskCompleted: nothing,
  RespondActivityTaskFailed: nothing,
  PollForActivityTask: polledTask,
  ListDomains: [],
  ListOpenWorkflowExecutions: [
    ["executionInfos", "*", "startTimestamp"],
    ["executionInfos", "*", "closeTimestamp"],
  ],
  ListClosedWorkflowExecutions: [
    ["executionInfos", "*", "startTimestamp"],
    ["executionInfos", "*", "closeTimestamp"],
  ],
  DescribeWorkflowExecution: [["executionInfo", "startTimestamp"], ["executionInfo", "closeTimestamp"], ["latestActivityTaskTimestamp"]],
  GetWorkflowExecutionHistory: [["events", "*", "eventTimestamp"]],
  CountPendingActivityTasks: [],
  CountPendingDecisionTasks: [],
  RequestCancelWorkflowExecution: nothing,
  SignalWorkflowExecution: nothing,
  TerminateWorkflowExecution: nothing,
  DescribeActivityType: [["typeInfo", "creationDate"], ["typeInfo", "deprecationDate"]],
};

/** An operator answer: the JSON object, its timestamps at `paths` turned into `Date`s. */
function passed(body, paths) {
  const answer = parse(body);
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) throw "the body is not a JSON object";
  for (const path of paths) datesAt(answer, path, 0);
  return answer;
}

/** Turns the epoch seconds at `path` (from step `at`) under `value` into `Date`s in place; absent members are fine. */
function datesAt(value, path, at) {
  if (at === path.length) return;
  const step = path[at];
  if (step === "*") {
    if (!Array.isArray(value)) throw "a list in the answer is not an array";
    for (const item of value) datesAt(item, path, at + 1);
    return;
  }
  const member = get(value, step);
  if (member === undefined || member === null) return;
  if (at + 1 < path.length) return datesAt(member, path, at + 1);
  if (typeof member !== "number") throw `${step} is not a number of epoch seconds`;
  value[step] = new Date(member * 1000);
}

/**
 * What a 2xx answer's `body` (`null`: over the action's cap of `maxBytes`, not read)
 * resolves action `name` to; throws the response record (its message through `redact`)
 * when it is not the expected JSON.
 */
export function readAnswer(name, body, maxBytes, redact) {
  const how = ANSWERS[name];
  try {
    if (typeof body !== "string") throw `it is over ${maxBytes} bytes, this action's cap`;
    return typeof how === "function" ? how(body) : passed(body, how);
  } catch (why) {
    if (typeof why !== "string") throw why; // not a reader's verdict (a bug): InternalError
    const message = redact(`SWF answered ${name} with a body that is not the expected JSON: ${why}`);
    throw { kind: "response", name: "ResponseError", message, retryable: false };
  }
}

/** The name given when an answer names no error. */
function nameForStatus(status) {
  if (status === 503) return "ServiceUnavailable";
  if (status >= 500 && status <= 599) return "InternalFailure";
  if (status === 429) return "Throttling";
  return status === 403 ? "AccessDeniedException" : "UnknownError";
}

/**
 * The record `{ kind: "service", name, code, message, statusCode, requestId?, retryable,
 * clockSkew? }` of an error answer: HTTP `status`, `body` (`null`: over `maxErrorBytes`,
 * not read), `requestId` and `errorType` (the `x-amzn-RequestId` and `x-amzn-ErrorType`
 * headers, or null). The code is the body's `__type`, else its `code`, else the header,
 * each cut at the first `:` and stripped of a namespace up to the last `#`; one that is not
 * 1 to 128 of `[A-Za-z0-9_.]`, or none, gives the generic name for the status. Its `name`
 * is the code, or `ServiceError` when the code is one of swf-edge's own names.
 */
export function serviceRecord(status, body, requestId, errorType, maxErrorBytes, redact) {
  let type, codeField, message;
  if (typeof body === "string") {
    let answer;
    try {
      answer = parse(body);
    } catch {} // not JSON: named from the header or the status
    const field = (key) => {
      const value = get(answer, key);
      return typeof value === "string" && value !== "" ? value : undefined;
    };
    type = field("__type");
    codeField = field("code");
    message = MESSAGE_KEYS.map(field).find((text) => text !== undefined);
  } else {
    message = `SWF answered with an error body over ${maxErrorBytes} bytes (not read)`;
  }
  const raw = type ?? codeField ?? (errorType || undefined);
  let code = nameForStatus(status);
  if (raw !== undefined) {
    const beforeColon = raw.split(":", 1)[0];
    const cut = beforeColon.slice(beforeColon.lastIndexOf("#") + 1);
    if (SANE_CODE.test(cut)) code = cut;
  }
  message ??= `SWF answered HTTP ${status} without an error message`;
  const shown = redact(code);
  const record = {
    kind: "service",
    name: CLIENT_ERROR_NAMES.has(code) ? "ServiceError" : shown,
    code: shown,
    message: redact(message),
    statusCode: status,
    retryable: status === 500 || status === 502 || status === 503 || status === 504 || RETRYABLE_NAMES.has(code),
  };
  if (requestId) record.requestId = redact(requestId);
  // InvalidSignatureException blames the clock only when its message says so.
  if (CLOCK_SKEW_NAMES.has(code) && (code !== "InvalidSignatureException" || message.includes("expired") || message.includes("not yet current"))) {
    record.clockSkew = true;
  }
  return record;
}
