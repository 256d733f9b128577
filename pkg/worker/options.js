// The durable worker's options: defaults, checks, and the conventional reading from a
// Worker's `env`. Every default here is written in docs/durable-worker.md next to its option.

/** Default value of every option that has one. */
export const DEFAULTS = Object.freeze({
  shards: 1,
  concurrency: 4,
  maxPolls: 1,
  maxConnections: 6,
  heartbeat: Object.freeze({ firstDelayMs: 1000, ratio: 0.5, defaultIntervalMs: 30_000, minIntervalMs: 1000, maxIntervalMs: 60_000 }),
  pollBackoff: Object.freeze({ baseMs: 1000, maxMs: 60_000, throttledMs: 10_000 }),
  drainGraceMs: 30_000,
  sessionMs: 600_000,
  keepAliveMs: 30_000,
  closedRetentionMs: 86_400_000,
  maxClosedRows: 1000,
  deadlineMarginMs: 1000,
  timeoutsFrom: "history",
  historyPages: 2,
  closeAttempts: 8,
});

const TOP = [
  "domain", "taskList", "region", "endpoint", "credentials", "identity", "shards", "concurrency", "maxPolls",
  "maxConnections", "heartbeat", "pollBackoff", "drainGraceMs", "sessionMs", "keepAliveMs", "closedRetentionMs",
  "maxClosedRows", "deadlineMarginMs", "timeoutsFrom", "historyPages", "closeAttempts", "client",
];
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A refusal of the worker's options (thrown by `defineActivityWorker` users' config at first use). */
export class WorkerOptionsError extends Error {
  constructor(message) {
    super(`swf-edge/worker: ${message}`);
    this.name = "WorkerOptionsError";
  }
}

function integer(value, name, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) throw new WorkerOptionsError(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function number(value, name, min, max) {
  if (typeof value !== "number" || !(value >= min && value <= max)) throw new WorkerOptionsError(`${name} must be a number from ${min} to ${max}`);
  return value;
}

function text(value, name, max) {
  if (typeof value !== "string" || value.length < 1 || value.length > max) throw new WorkerOptionsError(`${name} must be a string of 1 to ${max} characters`);
  return value;
}

function group(value, defaults, name) {
  if (value === undefined) return defaults;
  if (value === null || typeof value !== "object") throw new WorkerOptionsError(`${name} must be an object`);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(defaults, key)) throw new WorkerOptionsError(`${name}: unknown option ${key} (allowed: ${Object.keys(defaults).join(", ")})`);
  }
  return { ...defaults, ...value };
}

/**
 * Checks `raw` (what the definition's `options(env)` returned) and fills in the defaults;
 * throws a `WorkerOptionsError` naming the first bad option. The result is frozen.
 */
export function readWorkerOptions(raw) {
  if (raw === null || typeof raw !== "object") throw new WorkerOptionsError("options(env) must return an object");
  for (const key of Object.keys(raw)) {
    if (!TOP.includes(key)) throw new WorkerOptionsError(`unknown option ${key} (allowed: ${TOP.join(", ")})`);
  }
  const o = { ...DEFAULTS, ...raw };
  text(o.domain, "domain", 256);
  text(o.taskList, "taskList", 256);
  text(o.region, "region", 64);
  if (o.endpoint !== undefined) text(o.endpoint, "endpoint", 2048);
  if (o.credentials === null || (typeof o.credentials !== "object" && typeof o.credentials !== "function")) {
    throw new WorkerOptionsError("credentials must be { accessKeyId, secretAccessKey, sessionToken? } or a provider function");
  }
  if (o.identity !== undefined) text(o.identity, "identity", 200);
  integer(o.shards, "shards", 1, 256);
  integer(o.concurrency, "concurrency", 1, 64);
  integer(o.maxConnections, "maxConnections", 2, 6);
  integer(o.maxPolls, "maxPolls", 1, Math.min(2, o.maxConnections - 1));
  const heartbeat = group(o.heartbeat, DEFAULTS.heartbeat, "heartbeat");
  number(heartbeat.ratio, "heartbeat.ratio", 0.05, 0.95);
  for (const key of ["firstDelayMs", "defaultIntervalMs", "minIntervalMs", "maxIntervalMs"]) integer(heartbeat[key], `heartbeat.${key}`, 10, MAX_TIMER_MS);
  if (heartbeat.minIntervalMs > heartbeat.maxIntervalMs) throw new WorkerOptionsError("heartbeat.minIntervalMs must not exceed heartbeat.maxIntervalMs");
  const pollBackoff = group(o.pollBackoff, DEFAULTS.pollBackoff, "pollBackoff");
  for (const key of ["baseMs", "maxMs", "throttledMs"]) integer(pollBackoff[key], `pollBackoff.${key}`, 1, MAX_TIMER_MS);
  integer(o.drainGraceMs, "drainGraceMs", 0, 600_000);
  integer(o.sessionMs, "sessionMs", 1000, 840_000);
  integer(o.keepAliveMs, "keepAliveMs", 100, 60_000);
  integer(o.closedRetentionMs, "closedRetentionMs", 0, 30 * 86_400_000);
  integer(o.maxClosedRows, "maxClosedRows", 0, 100_000);
  integer(o.deadlineMarginMs, "deadlineMarginMs", 0, 60_000);
  if (o.timeoutsFrom !== "history" && o.timeoutsFrom !== "type") throw new WorkerOptionsError('timeoutsFrom must be "history" or "type"');
  integer(o.historyPages, "historyPages", 1, 10);
  integer(o.closeAttempts, "closeAttempts", 1, 100);
  if (o.client !== undefined && (o.client === null || typeof o.client !== "object")) throw new WorkerOptionsError("client must be an object of SwfClient options (maxAttempts, timeoutMs)");
  return Object.freeze({ ...o, heartbeat: Object.freeze(heartbeat), pollBackoff: Object.freeze(pollBackoff) });
}

/**
 * The conventional configuration from a Worker's `env`: vars `SWF_DOMAIN`, `SWF_TASK_LIST`,
 * `AWS_REGION`, `SWF_SHARDS` (default 1), `SWF_ENDPOINT` (local emulators only), secrets
 * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (optional).
 */
export function workerOptionsFromEnv(env) {
  const options = {
    domain: env.SWF_DOMAIN,
    taskList: env.SWF_TASK_LIST,
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      sessionToken: env.AWS_SESSION_TOKEN || undefined,
    },
  };
  if (env.SWF_ENDPOINT) options.endpoint = env.SWF_ENDPOINT;
  if (env.SWF_SHARDS !== undefined && env.SWF_SHARDS !== "") options.shards = Number(env.SWF_SHARDS);
  return options;
}

/** The object name of one shard: unambiguous for any domain and task list. */
export function shardName(domain, taskList, shard) {
  return JSON.stringify([domain, taskList, shard]);
}
