// swf-edge durable activity worker: Durable Objects (one per shard of SWF_DOMAIN /
// SWF_TASK_LIST) poll SWF and run the activities of ./activities.js; this Worker answers
// the registry routes (README.md) and runs the Cron watchdog.
//
//   POST /workers/shards   /workers/tasks   /workers/task   /workers/drain   /workers/resume
//
// Every request needs `Authorization: Bearer <DASHBOARD_TOKEN>`; the auth, CORS and body
// rules are examples/worker's (its http.js).
import { ShardRouter, defineActivityWorker, workerOptionsFromEnv } from "swf-edge/worker";
import { RouteError, authorized, corsHeaders, readJsonObject } from "../../worker/src/http.js";
import { activities } from "./activities.js";
import { registryRoutes } from "./registry.js";

/**
 * The worker's options: the conventional env vars and secrets, plus any option of
 * docs/durable-worker.md given as JSON in the var SWF_WORKER_OPTIONS (e.g. `{"concurrency": 8}`).
 */
export function optionsOf(env) {
  let extra = {};
  if (env.SWF_WORKER_OPTIONS) extra = JSON.parse(env.SWF_WORKER_OPTIONS);
  return { ...workerOptionsFromEnv(env), ...extra };
}

/** The Durable Object class bound as ACTIVITY_WORKER (wrangler.toml). */
export const ActivityWorker = defineActivityWorker({ activities, options: optionsOf });

/** The router over this Worker's shards. */
export function routerFor(env) {
  const { domain, taskList, shards = 1 } = optionsOf(env);
  return new ShardRouter(env.ACTIVITY_WORKER, { domain, taskList, shards });
}

export default {
  async fetch(request, env) {
    const cors = corsHeaders(request, env);
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    const reply = (body, status = 200) => Response.json(body, { status, headers: cors });

    if (!env.DASHBOARD_TOKEN) return reply({ error: "DASHBOARD_TOKEN is not configured" }, 500);
    if (!(await authorized(request, env))) return reply({ error: "unauthorized" }, 401);
    const path = new URL(request.url).pathname;
    const handler = Object.hasOwn(registryRoutes, path) ? registryRoutes[path] : undefined;
    if (request.method !== "POST" || !handler) {
      return reply({ error: `not found: use POST with one of ${Object.keys(registryRoutes).join(", ")}` }, 404);
    }
    try {
      return reply(await handler(routerFor(env), await readJsonObject(request)));
    } catch (error) {
      if (error instanceof RouteError) return reply({ error: error.message }, error.status);
      if (error?.name === "ShardError") return reply({ error: error.message }, error.status === 404 ? 404 : 502);
      return reply({ error: "the registry could not be read" }, 502);
    }
  },

  /** The watchdog (Cron Trigger): start every shard whose loop lost its alarm. */
  async scheduled(controller, env) {
    await routerFor(env).watchdog();
  },
};
