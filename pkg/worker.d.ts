// Types of swf-edge/worker: SWF activity workers in Cloudflare Durable Objects.
// The guide, with every option's meaning and the guarantees: docs/durable-worker.md.
import type { ActivityType, Credentials, CredentialsProvider, WorkflowExecution } from "./index.js";

/** What a handler is told about its task (never the task token). */
export interface WorkerTask {
  domain: string;
  taskList: string;
  activityId: string;
  activityType: ActivityType;
  workflowExecution: WorkflowExecution;
  startedEventId: number;
}

/** The argument of an activity handler. */
export interface ActivityContext {
  /** The task's input (SWF's string), or undefined. */
  input: string | undefined;
  /**
   * Aborts when the handler should stop: reason `ActivityCancelRequested` (a heartbeat said
   * so; throw and the task is answered canceled, return and it completes) or `ActivityStopped`
   * (name `StartToCloseDeadline`, `WorkerDrained` or `ActivityTaskLost`: the task is already
   * being answered failed, or not at all; the handler's result is ignored).
   */
  signal: AbortSignal;
  task: WorkerTask;
  /** Records progress details (≤ 2048 characters; non-strings as JSON); sent with the next heartbeat, coalesced. */
  heartbeat(details?: unknown): void;
  /** 1, plus one per restart of a resumable handler. */
  attempt: number;
  /** For a resumed handler: the last heartbeat details recorded before the restart. */
  checkpoint: string | undefined;
}

/** A handler: resolves the result (a string, or anything JSON can write; ≤ 32768 characters). */
export type ActivityHandler = (context: ActivityContext) => unknown | Promise<unknown>;

/** A handler with its restart policy. */
export interface ActivityDefinition {
  handler: ActivityHandler;
  /** Run the handler again (with `checkpoint`) when the object restarted under it; else the task fails "worker restarted". Default: false. */
  resumable?: boolean;
}

/** Heartbeat throttling. */
export interface HeartbeatOptions {
  /** Delay of the first heartbeat after the task starts (capped at the interval). Default: 1000. */
  firstDelayMs?: number;
  /** Interval as a fraction of the task's heartbeat timeout. Default: 0.5. */
  ratio?: number;
  /** Interval when the heartbeat timeout is NONE or unknown. Default: 30000. */
  defaultIntervalMs?: number;
  /** Shortest interval. Default: 1000. */
  minIntervalMs?: number;
  /** Longest interval. Default: 60000. */
  maxIntervalMs?: number;
}

/** Backoff of the poll loop (and of answers that could not be sent). */
export interface PollBackoffOptions {
  /** First wait after an error. Default: 1000. */
  baseMs?: number;
  /** Longest wait. Default: 60000. */
  maxMs?: number;
  /** First wait after throttling or LimitExceededFault. Default: 10000. */
  throttledMs?: number;
}

/** The options of one worker (what `options(env)` returns). */
export interface WorkerOptions {
  domain: string;
  taskList: string;
  region: string;
  credentials: Credentials | CredentialsProvider;
  /** Local SWF emulators only (loopback http). Default: the region's endpoint. */
  endpoint?: string;
  /** Identity prefix; the shard number is appended. Default: `swf-edge/<taskList>`. */
  identity?: string;
  /** Shards (objects) of this task list. Default: 1. */
  shards?: number;
  /** Tasks running plus polls open, per object, 1–64. Default: 4. */
  concurrency?: number;
  /** Polls in flight per object, 1–2 (and below maxConnections). Default: 1. */
  maxPolls?: number;
  /** SWF calls in flight per object, 2–6. Default: 6. */
  maxConnections?: number;
  heartbeat?: HeartbeatOptions;
  pollBackoff?: PollBackoffOptions;
  /** Time running tasks get after `drain` before they are failed "worker drained". Default: 30000. */
  drainGraceMs?: number;
  /** Length of one alarm session before polling pauses and the next alarm takes over. Default: 600000. */
  sessionMs?: number;
  /** How often a running session re-arms its dead man's alarm (at twice this ahead). Default: 30000. */
  keepAliveMs?: number;
  /** How long closed and lost rows are kept. Default: 86400000 (24 h). */
  closedRetentionMs?: number;
  /** Most closed and lost rows kept per object. Default: 1000. */
  maxClosedRows?: number;
  /** The local deadline is start-to-close minus this. Default: 1000. */
  deadlineMarginMs?: number;
  /** Where the task's timeouts are read: its ActivityTaskScheduled event ("history", then the type) or the type's defaults ("type"). Default: "history". */
  timeoutsFrom?: "history" | "type";
  /** History pages (newest first) read to find the ActivityTaskScheduled event, 1–10. Default: 2. */
  historyPages?: number;
  /** Tries to send a task's answer before leaving it to the next wake-up. Default: 8. */
  closeAttempts?: number;
  /** SwfClient limits for every call (`maxAttempts`, `timeoutMs`, `deadlineMs`). Default: the client's. */
  client?: { maxAttempts?: number; timeoutMs?: number; deadlineMs?: number };
}

/** What `defineActivityWorker` takes. */
export interface WorkerDefinition<Env = Record<string, unknown>> {
  /** Handlers by `"name/version"`. */
  activities: Record<string, ActivityHandler | ActivityDefinition>;
  /** The options from the Worker's env. Default: `workerOptionsFromEnv`. */
  options?: (env: Env) => WorkerOptions;
}

/** The Durable Object class `defineActivityWorker` returns. */
export interface ActivityWorkerClass {
  new (ctx: unknown, env: unknown): { fetch(request: Request): Promise<Response>; alarm(): Promise<void> };
}

/** Turns handlers into a Durable Object class that is an SWF activity worker (bind it with `new_sqlite_classes`). */
export function defineActivityWorker<Env = Record<string, unknown>>(definition: WorkerDefinition<Env>): ActivityWorkerClass;

/** Options from env: SWF_DOMAIN, SWF_TASK_LIST, AWS_REGION, SWF_SHARDS, SWF_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN. */
export function workerOptionsFromEnv(env: Record<string, unknown>): WorkerOptions;

/** Checks options and fills in the defaults (throws `WorkerOptionsError`). */
export function readWorkerOptions(options: WorkerOptions): Readonly<Required<Omit<WorkerOptions, "endpoint" | "identity" | "client">>> & WorkerOptions;

/** The defaults of every option that has one. */
export const DEFAULTS: Readonly<Required<Pick<WorkerOptions, "shards" | "concurrency" | "maxPolls" | "maxConnections" | "drainGraceMs" | "sessionMs" | "keepAliveMs" | "closedRetentionMs" | "maxClosedRows" | "deadlineMarginMs" | "timeoutsFrom" | "historyPages" | "closeAttempts">> & { heartbeat: Required<HeartbeatOptions>; pollBackoff: Required<PollBackoffOptions> }>;

/** A wrong option. */
export class WorkerOptionsError extends Error {}

/** The name of shard `shard`'s object. */
export function shardName(domain: string, taskList: string, shard: number): string;

/** How long SWF may still hand a task to a poll open when the object was reset (70000 ms). */
export const ORPHAN_WINDOW_MS: number;

/** The counters every shard reports. */
export const COUNTERS: readonly string[];

/** Heartbeat details are at most this many characters. */
export const MAX_DETAILS: number;

/** The signal's reason when a heartbeat answered `cancelRequested: true`. */
export class ActivityCancelRequested extends Error {}

/** The signal's reason when the worker stops the handler itself. */
export class ActivityStopped extends Error {}

/** The heartbeat interval (ms) for a heartbeat timeout (seconds text, "NONE" or null). */
export function heartbeatInterval(timeout: string | null | undefined, heartbeat: Required<HeartbeatOptions>): number;

/** The local deadline (epoch ms) of a task, or null. */
export function localDeadline(startedAt: number, startToCloseTimeout: string | null | undefined, marginMs: number): number | null;

/** The poll loop's wait after `failures` consecutive errors. */
export function backoffMs(failures: number, backoff: Required<PollBackoffOptions>, throttled: boolean): number;

/** A shard's summary (see examples/durable-worker/README.md). */
export interface ShardStatus {
  shard: number;
  domain: string;
  taskList: string;
  identity: string;
  state: "polling" | "backoff" | "draining" | "drained" | "idle";
  draining: boolean;
  drainDeadline: string | null;
  pollsOpen: number;
  running: number;
  concurrency: number;
  maxPolls: number;
  sessionStartedAt: string | null;
  alarmAt: string | null;
  lastPollAt: string | null;
  backoffUntil: string | null;
  lastError: { name: string; message: string; at: string } | null;
  counters: Record<string, number>;
}

/** A task as the registry shows it (no token, input or result). */
export interface RegistryTask {
  shard: number;
  id: number;
  domain: string;
  activityId: string;
  activityType: ActivityType;
  workflowExecution: WorkflowExecution;
  startedEventId: number;
  state: "started" | "cancel-requested" | "closing" | "closed" | "lost";
  attempt: number;
  startedAt: string | null;
  lastHeartbeatAt: string | null;
  lastHeartbeatAnswer: "ok" | "cancel-requested" | "unknown-resource" | "error" | null;
  nextHeartbeatAt: string | null;
  heartbeatTimeout: string | null;
  startToCloseTimeout: string | null;
  deadlineAt: string | null;
  cancelRequested: boolean;
  heartbeats: number;
  details: string | null;
  outcome: { status: "completed" | "failed" | "canceled" | "lost"; reason: string | null } | null;
  closedAt: string | null;
}

/** A shard that could not answer. */
export interface ShardFailure {
  shard: number;
  error: string;
}

/** A registry operation on one shard failed. */
export class ShardError extends Error {
  shard: number;
  status: number;
}

/** The shards of one (domain, task list) behind a Durable Object namespace binding. */
export class ShardRouter {
  constructor(namespace: unknown, options: { domain: string; taskList: string; shards?: number });
  readonly domain: string;
  readonly taskList: string;
  readonly shards: number;
  stub(shard: number): unknown;
  call(shard: number, op: string, body?: object): Promise<any>;
  status(): Promise<Array<ShardStatus | ShardFailure>>;
  tasks(query?: { shard?: number; state?: "open" | "closed" | "all"; limit?: number }): Promise<{ tasks: RegistryTask[]; truncated: boolean }>;
  task(shard: number, id: number): Promise<{ task: RegistryTask }>;
  drain(options?: { shard?: number; graceMs?: number }): Promise<Array<ShardStatus | ShardFailure>>;
  resume(options?: { shard?: number }): Promise<Array<ShardStatus | ShardFailure>>;
  /** The Cron watchdog: starts every shard whose loop is not running and has no alarm. */
  watchdog(): Promise<Array<ShardStatus | ShardFailure>>;
}
