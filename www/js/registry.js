// The durable activity worker's registry (examples/durable-worker, swf-edge/worker): its
// bearer-authenticated routes, with the same rules as Worker mode (worker-mode.js): the
// URL https:// or loopback http://, the token held in this closure only, sent as
// `Authorization: Bearer …`, no cookies, no referrer. Contract:
//
//   POST {worker}/workers/shards  {}                        → {domain, taskList, shardCount, shards: [Shard]}
//   POST {worker}/workers/tasks   {shard?, state?, limit?}  → {tasks: [Task], truncated}
//   POST {worker}/workers/drain   {shard?, graceMs?}        → {shards: [Shard]}
//   POST {worker}/workers/resume  {shard?}                  → {shards: [Shard]}
//   refusals: HTTP 4xx/5xx {error: "text"}
import { call } from "./worker-mode.js";
import { TASKS_PER_SHARD } from "./workers.js";
import { workerBase } from "./tasks.js";

/**
 * Checks the URL and the token by reading the shards (network errors and 401/403 reject);
 * resolves the registry: `{ label, shards(), tasks(state), drain(shard?, graceMs?), resume(shard?) }`.
 */
export async function createRegistry({ url, token }) {
  const base = workerBase(url);
  if (!token) throw new Error("Enter the durable worker's dashboard token (its DASHBOARD_TOKEN).");
  const ask = (path, body, signal) => call(base, path, token, body, signal);
  const first = await ask("workers/shards", {});
  if (!Array.isArray(first?.shards)) throw new Error("The Worker answered without {shards: [...]}: is it the durable worker (examples/durable-worker)?");
  const where = new URL(base);
  const shardOf = (shard) => (shard === undefined ? {} : { shard });
  return {
    label: `${where.origin}${where.pathname === "/" ? "" : where.pathname}`,
    /** The answer the connection check read (shown at once). */
    first,
    shards: ({ signal } = {}) => ask("workers/shards", {}, signal),
    /** The newest tasks of every shard, `state` "open" | "closed" | "all". */
    tasks: (state = "all", { signal } = {}) => ask("workers/tasks", { state, limit: TASKS_PER_SHARD }, signal),
    drain: (shard, graceMs) => ask("workers/drain", { ...shardOf(shard), ...(graceMs === undefined ? {} : { graceMs }) }),
    resume: (shard) => ask("workers/resume", shardOf(shard)),
  };
}
