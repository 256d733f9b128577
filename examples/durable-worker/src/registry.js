// The registry routes: bodies checked (unknown fields, ranges) before any shard is asked.
import { RouteError } from "../../worker/src/http.js";

/** Most tasks one `/workers/tasks` answer lists per shard. */
export const MAX_TASKS = 200;
/** Tasks listed per shard when the body gives no `limit`. */
export const DEFAULT_TASKS = 100;
/** Longest drain grace a caller may ask for, in milliseconds. */
export const MAX_GRACE_MS = 600_000;

function only(body, allowed, route) {
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new RouteError(400, `${route}: unknown field ${unknown.slice(0, 40)} (allowed: ${allowed.join(", ") || "none"})`);
}

function shardOf(router, value, required) {
  if (value === undefined && !required) return undefined;
  if (!Number.isInteger(value) || value < 0 || value >= router.shards) throw new RouteError(400, `shard must be an integer from 0 to ${router.shards - 1}`);
  return value;
}

/** The routes by path: `(router, body) → answer`. */
export const registryRoutes = {
  "/workers/shards": async (router, body) => {
    only(body, [], "/workers/shards");
    return { domain: router.domain, taskList: router.taskList, shardCount: router.shards, shards: await router.status() };
  },
  "/workers/tasks": (router, body) => {
    only(body, ["shard", "state", "limit"], "/workers/tasks");
    const { state = "all", limit = DEFAULT_TASKS } = body;
    if (!["open", "closed", "all"].includes(state)) throw new RouteError(400, 'state must be "open", "closed" or "all"');
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TASKS) throw new RouteError(400, `limit must be an integer from 1 to ${MAX_TASKS}`);
    return router.tasks({ shard: shardOf(router, body.shard, false), state, limit });
  },
  "/workers/task": (router, body) => {
    only(body, ["shard", "id"], "/workers/task");
    if (!Number.isSafeInteger(body.id) || body.id < 1) throw new RouteError(400, "id must be a positive integer");
    return router.task(shardOf(router, body.shard, true), body.id);
  },
  "/workers/drain": async (router, body) => {
    only(body, ["shard", "graceMs"], "/workers/drain");
    const { graceMs } = body;
    if (graceMs !== undefined && (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_GRACE_MS)) {
      throw new RouteError(400, `graceMs must be an integer from 0 to ${MAX_GRACE_MS}`);
    }
    return { shards: await router.drain({ shard: shardOf(router, body.shard, false), graceMs }) };
  },
  "/workers/resume": async (router, body) => {
    only(body, ["shard"], "/workers/resume");
    return { shards: await router.resume({ shard: shardOf(router, body.shard, false) }) };
  },
};
