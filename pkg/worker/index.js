// swf-edge/worker: SWF activity workers that live in Cloudflare Durable Objects (see
// docs/durable-worker.md). `defineActivityWorker` makes the object class, `ShardRouter`
// reaches its shards (registry, drain, resume, the Cron watchdog).
export { defineActivityWorker, ORPHAN_WINDOW_MS } from "./object.js";
export { ShardRouter, ShardError } from "./router.js";
export { DEFAULTS, WorkerOptionsError, readWorkerOptions, workerOptionsFromEnv, shardName } from "./options.js";
export { ActivityCancelRequested, ActivityStopped, heartbeatInterval, localDeadline, MAX_DETAILS } from "./task-run.js";
export { backoffMs } from "./calls.js";
export { COUNTERS } from "./store.js";
