// Types of the swf-edge package. The inputs and answers of the activity-task actions are
// generated from the Rust model (src/swf/model.rs, via tsify) into dist/model.d.ts, those of
// the operator actions from AWS's model (scripts/swf-types.mjs) into dist/swf.d.ts; the
// client, its options, the helpers and the error classes are declared here.

import type {
  ActivityTypeDetail,
  CountPendingActivityTasksInput,
  CountPendingDecisionTasksInput,
  DescribeActivityTypeInput,
  DescribeWorkflowExecutionInput,
  DomainInfos,
  GetWorkflowExecutionHistoryInput,
  History,
  ListClosedWorkflowExecutionsInput,
  ListDomainsInput,
  ListOpenWorkflowExecutionsInput,
  PendingTaskCount,
  RequestCancelWorkflowExecutionInput,
  SignalWorkflowExecutionInput,
  TerminateWorkflowExecutionInput,
  WorkflowExecutionDetail,
  WorkflowExecutionInfos,
} from "./dist/swf.js";
import type {
  ActivityTask,
  ActivityTaskStatus,
  ActivityType,
  CancelIfRequestedInput,
  PollForActivityTaskInput,
  RecordActivityTaskHeartbeatInput,
  RespondActivityTaskCanceledInput,
  RespondActivityTaskCompletedInput,
  RespondActivityTaskFailedInput,
  TaskList,
  WorkflowExecution,
} from "./dist/model.js";

export type {
  ActivityTask,
  ActivityTaskStatus,
  ActivityType,
  CancelIfRequestedInput,
  PollForActivityTaskInput,
  RecordActivityTaskHeartbeatInput,
  RespondActivityTaskCanceledInput,
  RespondActivityTaskCompletedInput,
  RespondActivityTaskFailedInput,
  TaskList,
  WorkflowExecution,
};

// The operator actions' inputs and answers, generated from SWF's model (scripts/swf-types.mjs):
// every shape they use, and `HistoryEvent`, the union of one interface per `eventType`.
export type * from "./dist/swf.js";

/** Answer of `listDomains`: `{ domainInfos, nextPageToken? }`. */
export type ListDomainsOutput = DomainInfos;
/** Answer of `listOpenWorkflowExecutions`: `{ executionInfos, nextPageToken? }` (timestamps as `Date`s). */
export type ListOpenWorkflowExecutionsOutput = WorkflowExecutionInfos;
/** Answer of `listClosedWorkflowExecutions`: `{ executionInfos, nextPageToken? }` (timestamps as `Date`s). */
export type ListClosedWorkflowExecutionsOutput = WorkflowExecutionInfos;
/** Answer of `describeWorkflowExecution` (timestamps as `Date`s). */
export type DescribeWorkflowExecutionOutput = WorkflowExecutionDetail;
/** Answer of `getWorkflowExecutionHistory`: `{ events: HistoryEvent[], nextPageToken? }`. */
export type GetWorkflowExecutionHistoryOutput = History;
/** Answer of `countPendingActivityTasks` / `countPendingDecisionTasks`: `{ count, truncated? }`. */
export type CountPendingTasksOutput = PendingTaskCount;
/** Answer of `describeActivityType`: `{ typeInfo, configuration }` (timestamps as `Date`s; timeouts as SWF's strings of seconds or "NONE"). */
export type DescribeActivityTypeOutput = ActivityTypeDetail;

/** The first argument of the `paginate*` functions (SDK v3's shape). Unknown keys are rejected. */
export interface PaginationConfiguration {
  /** The client whose method fetches each page. */
  client: SwfClient;
  /** Sent as `maximumPageSize` (0–1000; SWF's default and maximum is 1000). Default: the input's. */
  pageSize?: number;
  /** The `nextPageToken` to start from. Default: the input's, else the first page. */
  startingToken?: string;
}

/** Pages of `listDomains`: `for await (const page of paginateListDomains({ client }, input))`. */
export declare function paginateListDomains(
  config: PaginationConfiguration,
  input: ListDomainsInput,
  options?: CallOptions,
): AsyncGenerator<ListDomainsOutput, void, undefined>;
/** Pages of `listOpenWorkflowExecutions`. */
export declare function paginateListOpenWorkflowExecutions(
  config: PaginationConfiguration,
  input: ListOpenWorkflowExecutionsInput,
  options?: CallOptions,
): AsyncGenerator<ListOpenWorkflowExecutionsOutput, void, undefined>;
/** Pages of `listClosedWorkflowExecutions`. */
export declare function paginateListClosedWorkflowExecutions(
  config: PaginationConfiguration,
  input: ListClosedWorkflowExecutionsInput,
  options?: CallOptions,
): AsyncGenerator<ListClosedWorkflowExecutionsOutput, void, undefined>;
/** Pages of `getWorkflowExecutionHistory` (oldest events first unless `reverseOrder`). */
export declare function paginateGetWorkflowExecutionHistory(
  config: PaginationConfiguration,
  input: GetWorkflowExecutionHistoryInput,
  options?: CallOptions,
): AsyncGenerator<GetWorkflowExecutionHistoryOutput, void, undefined>;

/** AWS credentials. Kept inside the client; never shown by errors, toString or JSON. */
export interface Credentials {
  /** The access key id, e.g. `AKIA…` or `ASIA…`. */
  accessKeyId: string;
  /** The secret access key. */
  secretAccessKey: string;
  /** The session token of temporary credentials. Default: none. */
  sessionToken?: string;
}

/** What a credentials provider resolves to. */
export interface ProvidedCredentials extends Credentials {
  /** When they expire (a `Date`, an ISO string or epoch ms); refreshed 5 minutes before. Default: never. */
  expiration?: Date | string | number;
}

/** An async (or sync) function returning credentials; called once per refresh, shared by concurrent calls. */
export type CredentialsProvider = () => ProvidedCredentials | Promise<ProvidedCredentials>;

/** Limits that apply to every call of a client; a call's options override them. */
export interface Limits {
  /** Attempts per call, 1–10 (1 disables retries). Default: 3. */
  maxAttempts?: number;
  /** Milliseconds one attempt may take, waiting for a credentials provider included (0 = no limit; at most 2147483647). Default: 10000 (70000 for pollForActivityTask, which ignores the client-wide value). */
  timeoutMs?: number;
  /** Milliseconds the whole call, retries included, may take (0 = no limit; at most 2147483647). Default: none. */
  deadlineMs?: number;
}

/** The second argument of every method. Unknown keys are rejected. */
export interface CallOptions extends Limits {
  /** Aborts the call: the request in flight and any backoff wait. Rejects with `AbortError`. */
  signal?: AbortSignal;
}

/** Options of `new SwfClient(options)`. Unknown keys are rejected. */
export interface SwfClientOptions extends Limits {
  /** The AWS region, e.g. `"us-east-1"`. Required; checked for shape, never guessed. */
  region: string;
  /** Static keys, or a provider function. Required. */
  credentials: Credentials | CredentialsProvider;
  /**
   * An endpoint origin overriding the region's (`https://host[:port]`, no path or query).
   * `http://` only where traffic cannot leave the machine: the name `localhost`, a literal
   * `127.x.y.z` or `[::1]` (not `*.localhost` or other names), unless
   * `allowInsecureEndpoint` is set. Not combinable with `useFipsEndpoint`/`useDualstackEndpoint`.
   * Default: the region's endpoint by AWS's endpoint rules, e.g. `https://swf.{region}.amazonaws.com`.
   */
  endpoint?: string;
  /** Use the region's FIPS endpoint (`https://swf-fips.{region}.{dnsSuffix}`; GovCloud: `https://swf.{region}.amazonaws.com`). Default: false. */
  useFipsEndpoint?: boolean;
  /** Use the region's dual-stack (IPv4 + IPv6) endpoint (`https://swf.{region}.api.aws` and the like). Default: false. */
  useDualstackEndpoint?: boolean;
  /** Allow a plain-http endpoint that is not loopback. Default: false. */
  allowInsecureEndpoint?: boolean;
}

/** Answer of `cancelIfRequested`. */
export interface CancelIfRequestedResult {
  /** Whether the task was closed as canceled by this call. */
  canceled: boolean;
  /** What the heartbeat said. */
  cancelRequested: boolean;
}

/** One task for `cancelMany`: a token, or a token with its own details. */
export type CancelManyTask = string | { taskToken: string; details?: string };

/** Options of `cancelMany`. */
export interface CancelManyOptions {
  /** Tasks worked on at once, 1–64. Default: 8. */
  concurrency?: number;
  /** Heartbeat first and cancel only tasks whose cancellation was requested. Default: true. */
  onlyIfRequested?: boolean;
  /** Details for tasks that give none. Default: none. */
  details?: string;
  /** Stops the batch: tasks not yet done get an `AbortError`. */
  signal?: AbortSignal;
}

/**
 * The outcome for one task of `cancelMany`, in input order. Narrow on `status`: only
 * `"error"` carries an `error` (and only there can `taskToken` be missing: an entry that is
 * not a task).
 */
export type CancelManyResult =
  | { taskToken: string; status: "canceled" | "not-requested"; error?: undefined }
  | { taskToken: string | undefined; status: "error"; error: SwfError };

/** Options of `watchCancellation`. */
export interface WatchCancellationOptions {
  /** Milliseconds between heartbeats (≥ 10); keep it below the task's heartbeat timeout. Default: 10000. */
  intervalMs?: number;
  /** Heartbeat details, or a function returning the current ones. Default: none. */
  details?: string | (() => string | undefined);
  /** Stops watching when it aborts (the returned signal then aborts with its reason). */
  signal?: AbortSignal;
}

/** A running watch: `signal` aborts when cancellation is requested. */
export interface CancellationWatch {
  /** Aborts with an `ActivityCancelRequested` reason (or the error if the task is closed/unknown). */
  signal: AbortSignal;
  /** Stops heartbeating. */
  stop(): void;
}

/** What the handler of `runActivity` gets. */
export interface ActivityContext {
  input: string | undefined;
  /** Aborts when SWF reports a cancel request: pass it to `fetch` and friends. */
  signal: AbortSignal;
  task: ActivityTask;
}

/** Options of `runActivity`. */
export interface RunActivityOptions {
  /** Milliseconds between heartbeats. Default: 10000. */
  intervalMs?: number;
  /** Heartbeat details, or a function returning the current ones. */
  heartbeatDetails?: string | (() => string | undefined);
  /** Details recorded when the task is canceled. Default: the handler's error message. */
  cancelDetails?: string;
}

/**
 * How `runActivity` closed the task. Narrow on `status`: `"completed"` carries the handler's
 * `result`; `"canceled"` and `"failed"` carry what the handler threw as `error` (or, for a
 * result that could not be recorded, the error saying why).
 */
export type RunActivityResult<T> =
  | { status: "completed"; result: T; error?: undefined }
  | { status: "canceled" | "failed"; error: unknown; result?: undefined };

/** A client for Amazon SWF: the activity-task actions, the operator actions and the helpers built on them. */
export declare class SwfClient {
  /** Throws `ValidationError` for bad options (in browsers: once the wasm is loaded). */
  constructor(options: SwfClientOptions);
  /**
   * RespondActivityTaskCanceled: closes the task as canceled. Only call it after a
   * heartbeat answered `cancelRequested: true`. Resolves `undefined`; rejects with
   * `ValidationError` (nothing sent), `UnknownResourceFault` (unknown token or task already
   * closed), `OperationNotPermittedFault`, another `SwfError`, or `TransportError`.
   */
  respondActivityTaskCanceled(input: RespondActivityTaskCanceledInput, options?: CallOptions): Promise<void>;
  /** RecordActivityTaskHeartbeat: reports liveness and learns whether cancellation was requested. */
  recordActivityTaskHeartbeat(input: RecordActivityTaskHeartbeatInput, options?: CallOptions): Promise<ActivityTaskStatus>;
  /** RespondActivityTaskCompleted: closes the task as completed. Resolves `undefined`. */
  respondActivityTaskCompleted(input: RespondActivityTaskCompletedInput, options?: CallOptions): Promise<void>;
  /** RespondActivityTaskFailed: closes the task as failed. Resolves `undefined`. */
  respondActivityTaskFailed(input: RespondActivityTaskFailedInput, options?: CallOptions): Promise<void>;
  /** PollForActivityTask: long-polls (up to 60 s) for a task; resolves it, or `null` when none came. */
  pollForActivityTask(input: PollForActivityTaskInput, options?: CallOptions): Promise<ActivityTask | null>;
  /** ListDomains: the domains with a registration status, a page at a time. */
  listDomains(input: ListDomainsInput, options?: CallOptions): Promise<ListDomainsOutput>;
  /** ListOpenWorkflowExecutions: open executions started in `startTimeFilter`; at most one of `typeFilter`, `tagFilter`, `executionFilter`. */
  listOpenWorkflowExecutions(input: ListOpenWorkflowExecutionsInput, options?: CallOptions): Promise<ListOpenWorkflowExecutionsOutput>;
  /** ListClosedWorkflowExecutions: exactly one of `startTimeFilter`, `closeTimeFilter`; at most one of `executionFilter`, `closeStatusFilter`, `typeFilter`, `tagFilter`. */
  listClosedWorkflowExecutions(input: ListClosedWorkflowExecutionsInput, options?: CallOptions): Promise<ListClosedWorkflowExecutionsOutput>;
  /** DescribeWorkflowExecution: an execution's info, configuration and open counts. */
  describeWorkflowExecution(input: DescribeWorkflowExecutionInput, options?: CallOptions): Promise<DescribeWorkflowExecutionOutput>;
  /** GetWorkflowExecutionHistory: one page of events (`paginateGetWorkflowExecutionHistory` walks them all). */
  getWorkflowExecutionHistory(input: GetWorkflowExecutionHistoryInput, options?: CallOptions): Promise<GetWorkflowExecutionHistoryOutput>;
  /** CountPendingActivityTasks: activity tasks waiting in a task list (`truncated` when SWF stopped counting). */
  countPendingActivityTasks(input: CountPendingActivityTasksInput, options?: CallOptions): Promise<CountPendingTasksOutput>;
  /** CountPendingDecisionTasks: decision tasks waiting in a task list. */
  countPendingDecisionTasks(input: CountPendingDecisionTasksInput, options?: CallOptions): Promise<CountPendingTasksOutput>;
  /** RequestCancelWorkflowExecution: records a cancel request; the decider decides what to cancel. Resolves `undefined`. */
  requestCancelWorkflowExecution(input: RequestCancelWorkflowExecutionInput, options?: CallOptions): Promise<void>;
  /** SignalWorkflowExecution: records a signal (name, input) for the decider. Resolves `undefined`. */
  signalWorkflowExecution(input: SignalWorkflowExecutionInput, options?: CallOptions): Promise<void>;
  /** TerminateWorkflowExecution: ends the execution at once (destructive). Resolves `undefined`. */
  terminateWorkflowExecution(input: TerminateWorkflowExecutionInput, options?: CallOptions): Promise<void>;
  /**
   * DescribeActivityType: a registered activity type's status and its defaults (task list,
   * priority, and the timeouts a polled task does not carry).
   */
  describeActivityType(input: DescribeActivityTypeInput, options?: CallOptions): Promise<DescribeActivityTypeOutput>;
  /** Heartbeat, then RespondActivityTaskCanceled only if cancellation was requested (SWF's rule, in one call). */
  cancelIfRequested(input: CancelIfRequestedInput, options?: CallOptions): Promise<CancelIfRequestedResult>;
  /** Cancels many tasks with bounded concurrency; never rejects for one task's failure. */
  cancelMany(tasks: CancelManyTask[], options?: CancelManyOptions): Promise<CancelManyResult[]>;
  /**
   * Heartbeats on an interval; the returned signal aborts when cancellation is requested.
   * Synchronous: invalid arguments (a forged `signal`, a wrong type) throw a `ValidationError`.
   */
  watchCancellation(taskToken: string, options?: WatchCancellationOptions): CancellationWatch;
  /** Runs a handler for a polled task and closes the task exactly once (completed, canceled or failed). */
  runActivity<T>(task: ActivityTask, handler: (context: ActivityContext) => T | Promise<T>, options?: RunActivityOptions): Promise<RunActivityResult<T>>;
  /** The signing region (undefined until the wasm is loaded, in browsers). */
  readonly region: string | undefined;
  /** Milliseconds added to the local clock when signing (learnt from SWF's `Date` headers). */
  readonly clockOffsetMs: number;
  /** The URL calls are POSTed to, path `/` included, e.g. `"https://swf.us-east-1.amazonaws.com/"` (undefined until the wasm is loaded, in browsers). */
  readonly endpoint: string | undefined;
  /** `SwfClient(region, endpoint)`: never any credential. */
  toString(): string;
  /** `{ region, endpoint }`: never any credential. */
  toJSON(): { region: string | undefined; endpoint: string | undefined };
}

/** Options of `new SwfError(message, options)` (to fake SWF failures, e.g. in tests). */
export interface SwfErrorOptions extends ErrorOptions {
  /** Who decided the error. Default: `"service"` for `ServiceError` and its subclasses, else `"client"`. */
  source?: SwfErrorSource;
  /** SWF's error code (service errors). */
  code?: string;
  statusCode?: number;
  requestId?: string;
  retryable?: boolean;
  attempts?: number;
  possiblyAlreadyClosed?: boolean;
}

/** The names of the errors swf-edge raises itself (`source: "client"`); no service answer ever has one of them. */
export type ClientErrorName =
  | "ValidationError"
  | "TransportError"
  | "TimeoutError"
  | "AbortError"
  | "CredentialsError"
  | "ResponseError"
  | "RedirectError"
  | "InternalError"
  | "WasmLoadError"
  | "ActivityCancelRequested";

/** Well-known SWF error codes (`source: "service"`); any other sane code may come too. */
export type ServiceErrorName =
  | "ServiceError"
  | "UnknownResourceFault"
  | "OperationNotPermittedFault"
  | "LimitExceededFault"
  | "DefaultUndefinedFault"
  | "DomainAlreadyExistsFault"
  | "DomainDeprecatedFault"
  | "TypeAlreadyExistsFault"
  | "TypeDeprecatedFault"
  | "TypeNotDeprecatedFault"
  | "WorkflowExecutionAlreadyStartedFault"
  | "TooManyTagsFault"
  | "ValidationException"
  | "ThrottlingException"
  | "Throttling"
  | "AccessDeniedException"
  | "UnrecognizedClientException"
  | "InvalidSignatureException"
  | "IncompleteSignature"
  | "MissingAuthenticationToken"
  | "ExpiredTokenException"
  | "RequestExpired"
  | "InternalFailure"
  | "ServiceUnavailable"
  | "UnknownError";

/** Every `name` an `SwfError` may have: the known ones, or another service code. */
export type SwfErrorName = ClientErrorName | ServiceErrorName | (string & {});

/** Who decided an error: swf-edge itself, or the service's answer. */
export type SwfErrorSource = "client" | "service";

/** Base class of every error swf-edge rejects with. */
export declare class SwfError extends Error {
  constructor(message?: string, options?: SwfErrorOptions);
  /** The SWF error code (e.g. `UnknownResourceFault`, `ThrottlingException`; `ServiceError` when
   * the code equals one of swf-edge's own names), or a client-side name such as `ValidationError`. */
  name: SwfErrorName;
  /** `"service"`: an error answer (a `ServiceError`); `"client"`: decided by swf-edge. */
  source: SwfErrorSource;
  /** SWF's error code, namespace stripped (service errors only). */
  code?: string;
  /** The HTTP status of SWF's error answer (service errors only); undefined for client-side errors (a `RedirectError`'s message gives the 3xx status). */
  statusCode: number | undefined;
  /** SWF's `x-amzn-RequestId`, when the answer had one. */
  requestId: string | undefined;
  /** Whether the same call may succeed if repeated (throttling, 5xx, network, attempt timeout). */
  retryable: boolean;
  /** How many attempts were made (0: rejected before any request). */
  attempts: number;
  /**
   * `UnknownResourceFault` after an earlier attempt of a closing call got no answer: that
   * attempt may have reached SWF and closed the task itself.
   */
  possiblyAlreadyClosed: boolean;
}

/** The input or the options broke a documented rule; no request was made. */
export declare class ValidationError extends SwfError {
  constructor(message?: string, options?: SwfErrorOptions & { field?: string });
  name: "ValidationError";
  /** The offending field, e.g. `taskToken` or `credentials.secretAccessKey`. */
  field: string | undefined;
}

/** The request could not be sent or its answer could not be read. Retryable. */
export declare class TransportError extends SwfError {
  name: "TransportError";
}

/** An attempt's `timeoutMs` (retryable) or the call's `deadlineMs` (not retryable) ran out. */
export declare class TimeoutError extends SwfError {
  name: "TimeoutError";
}

/** The call's `AbortSignal` fired. */
export declare class AbortError extends SwfError {
  name: "AbortError";
}

/** The credentials provider threw or returned unusable credentials, or (asked once more) credentials that had already expired. */
export declare class CredentialsError extends SwfError {
  name: "CredentialsError";
}

/** The reason of a `watchCancellation` / `runActivity` signal once cancellation is requested. */
export declare class ActivityCancelRequested extends SwfError {
  name: "ActivityCancelRequested";
  readonly taskToken: string;
}

/** SWF answered 2xx with a body that is not what the action returns, or one over its cap. Not retryable. */
export declare class ResponseError extends SwfError {
  name: "ResponseError";
  source: "client";
}

/** The endpoint answered with a redirect (3xx); never followed. The message names the status and the origin it pointed to. */
export declare class RedirectError extends SwfError {
  name: "RedirectError";
  source: "client";
}

/** swf-edge failed in a way it did not foresee (a bug; please report it). */
export declare class InternalError extends SwfError {
  name: "InternalError";
  source: "client";
}

/** The WebAssembly module could not be loaded (404, not WebAssembly, CSP); the message says what to fix. */
export declare class WasmLoadError extends SwfError {
  name: "WasmLoadError";
  source: "client";
}

/** SWF (or something in front of it) answered with an error. */
export declare class ServiceError extends SwfError {
  source: "service";
  /** SWF's error code, namespace stripped, e.g. `ThrottlingException`. */
  code: string;
}

/**
 * SWF does not know the task token, or the task is already closed; for the operator actions,
 * an unknown domain or execution, or a closed one asked to cancel, signalled or terminated.
 */
export declare class UnknownResourceFault extends ServiceError {
  name: "UnknownResourceFault";
}

/** The caller's IAM policy does not allow the action. */
export declare class OperationNotPermittedFault extends ServiceError {
  name: "OperationNotPermittedFault";
}

/**
 * Loads the WebAssembly module. Optional everywhere: calls wait for it. In browsers, call
 * it first to validate options synchronously or to pass your own `.wasm` location/module.
 */
export declare function init(
  moduleOrPath?: string | URL | Response | BufferSource | WebAssembly.Module,
): Promise<void>;

// ---- Operator side: activity states from a history (history.js) -------------------------

/** An activity's state, from its history events. */
export type ActivityState =
  | "scheduled"
  | "started"
  | "cancel-requested"
  | "canceled"
  | "completed"
  | "failed"
  | "timed-out"
  | "schedule-failed";

/**
 * What `activitiesFromHistory` reads of an event: its id, type, time (`Date`, epoch seconds
 * or ISO string) and its `<eventType>EventAttributes` object (any other keys are ignored).
 */
export interface HistoryEventLike {
  eventId: number;
  eventType: string;
  eventTimestamp?: Date | number | string;
}

/** One run of one activity, from a workflow history (`activitiesFromHistory`). */
export interface ActivityRecord {
  activityId: string;
  /** Undefined only if the event did not carry one. */
  activityType: ActivityType | undefined;
  /** 1 for the first run of this `activityId`, 2 when it was scheduled again after the first closed, … */
  attempt: number;
  state: ActivityState;
  taskList?: TaskList;
  taskPriority?: string;
  input?: string;
  control?: string;
  /** `ActivityTaskScheduled` (absent for `schedule-failed`). */
  scheduledEventId?: number;
  scheduledAt?: Date;
  /** `ActivityTaskStarted`: a worker polled the task. */
  startedEventId?: number;
  startedAt?: Date;
  /** The identity the worker gave when it polled. */
  identity?: string;
  /** `ActivityTaskCancelRequested`: the decider asked for the activity's cancellation. */
  cancelRequestedEventId?: number;
  cancelRequestedAt?: Date;
  /** The closing event (`ActivityTaskCanceled`/`Completed`/`Failed`/`TimedOut`, or `ScheduleActivityTaskFailed`). */
  closedEventId?: number;
  closedAt?: Date;
  /** Completed: the worker's result. */
  result?: string;
  /** Canceled, failed or timed out: the details the worker gave (last heartbeat's for a timeout). */
  details?: string;
  /** Failed: the worker's reason. */
  reason?: string;
  /** Timed out: which timeout fired. */
  timeoutType?: "START_TO_CLOSE" | "SCHEDULE_TO_START" | "SCHEDULE_TO_CLOSE" | "HEARTBEAT";
  /** Schedule failed: SWF's cause, e.g. `ACTIVITY_TYPE_DOES_NOT_EXIST`. */
  cause?: string;
  /** `RequestCancelActivityTaskFailed` events for this activity (they do not change `state`). */
  cancelFailures?: { eventId: number; at: Date | undefined; cause: string | undefined }[];
  /** The timeouts it was scheduled with, as SWF gives them: seconds, or `"NONE"`. */
  heartbeatTimeout?: string;
  scheduleToStartTimeout?: string;
  scheduleToCloseTimeout?: string;
  startToCloseTimeout?: string;
}

/**
 * One record per activity run, in scheduling order, from a workflow's events (all pages,
 * either order, duplicates tolerated). Pure; never throws on unknown event types or
 * missing attributes; throws `TypeError` if `events` is not iterable.
 */
export declare function activitiesFromHistory<E extends HistoryEventLike>(events: Iterable<E>): ActivityRecord[];

// ---- Operator side: follow a cancellation (follow.js) ------------------------------------

/** Where a cancellation is: the workflow's cancel was requested → the decider asked for the activities' cancellation → they are closed. */
export type CancellationPhase = "requested" | "decider-asked" | "closed";

/** What a diagnosis is about (see the README, "Operator side: follow a cancellation"). */
export type CancellationDiagnosisCode =
  | "not-requested"
  | "no-decider"
  | "decider-slow"
  | "decider-timed-out"
  | "decider-ignores-cancel"
  | "cancel-request-failed"
  | "no-heartbeat-timeout"
  | "worker-not-canceling"
  | "workflow-closed"
  | "closed-not-canceled"
  | "activity-not-found";

/** Why a cancellation has not happened (yet), worded for an operator. */
export interface CancellationDiagnosis {
  code: CancellationDiagnosisCode;
  /** What SWF shows and what to do next. */
  message: string;
  /** Since when the condition holds (e.g. the cancel request), when known. */
  since?: Date;
  /** The activity it is about, if it is about one. */
  activityId?: string;
  /** `worker-not-canceling` / `no-heartbeat-timeout`: by when SWF ends the activity on its own if its worker is gone (when known). */
  deadline?: Date;
}

/**
 * The execution as `describeWorkflowExecution` shows it (`executionInfo`); without a
 * description (`cancellationReport` from events only) just what the history says:
 * `executionStatus` and `closeStatus`.
 */
export type FollowedExecution = Pick<import("./dist/swf.js").WorkflowExecutionInfo, "executionStatus"> &
  Partial<import("./dist/swf.js").WorkflowExecutionInfo>;

/** One progress report of `followCancellation` / `cancellationReport`. */
export interface CancellationReport {
  phase: CancellationPhase;
  /** The targeted activity runs: those open when the cancel was requested, or `activityId`'s latest run. */
  activities: ActivityRecord[];
  /** Empty while nothing stalls. */
  diagnoses: CancellationDiagnosis[];
  /** `true` on the last report: every targeted activity is closed, or the execution is. */
  done: boolean;
  execution: FollowedExecution;
}

/** What `followCancellation` follows. */
export interface FollowCancellationTarget {
  domain: string;
  execution: WorkflowExecution;
  /** Follow only this activity (its latest run). Default: every activity open when the cancel was requested. */
  activityId?: string;
}

/** Options of `followCancellation`. Unknown keys are rejected. */
export interface FollowCancellationOptions {
  /** Ends following: the iteration rejects with `AbortError` (also during a poll). */
  signal?: AbortSignal;
  /** Milliseconds between polls, 200 to 2147483647. Default: 2000. */
  intervalMs?: number;
  /** How long a step may wait before a time-based diagnosis says why (milliseconds, 0 to 2147483647). Default: 30000. */
  stallAfterMs?: number;
  /** Send RequestCancelWorkflowExecution first. Default: false. */
  requestCancel?: boolean;
}

/** What `cancellationReport` reads (dashboards that fetch SWF's answers themselves pass them here). */
export interface CancellationSnapshot<E extends HistoryEventLike = HistoryEventLike> {
  /** The execution's history: all pages, either order. */
  events: Iterable<E>;
  /** The answer of describeWorkflowExecution. Default: judged from the history alone. */
  description?: {
    executionInfo?: { executionStatus?: string; closeStatus?: string; closeTimestamp?: Date | number | string; cancelRequested?: boolean };
    executionConfiguration?: { taskList?: { name?: string } };
  };
  /** countPendingDecisionTasks for the decision task list (answer or count). Default: unknown. */
  pendingDecisionTasks?: number | { count: number; truncated?: boolean };
  /** Named in the diagnoses. */
  domain?: string;
  activityId?: string;
  /** Default: now. */
  now?: Date | number;
  /** Default: 30000. */
  stallAfterMs?: number;
}

/** The report `followCancellation` would give for this snapshot. Pure; never throws on odd data. */
export declare function cancellationReport<E extends HistoryEventLike>(snapshot: CancellationSnapshot<E>): CancellationReport;

/** The client calls `followCancellation` makes (an `SwfClient`, or anything with these methods). */
export type FollowCancellationClient = Pick<
  SwfClient,
  "describeWorkflowExecution" | "getWorkflowExecutionHistory" | "countPendingDecisionTasks" | "requestCancelWorkflowExecution"
>;

/**
 * Follows a cancellation until every targeted activity (or the execution) is closed, in
 * the shape of SDK v3's paginators: `for await (const report of followCancellation({ client
 * }, target, options))`. One report whenever something changed, the last with `done: true`;
 * diagnoses say why it stalls. Invalid input rejects the first `next()` with
 * `ValidationError`; `signal` ends it with `AbortError`. (A function, not a method, so that
 * bundles which do not use it do not carry it.)
 */
export declare function followCancellation(
  config: { client: FollowCancellationClient },
  target: FollowCancellationTarget,
  options?: FollowCancellationOptions,
): AsyncGenerator<CancellationReport, void, undefined>;
