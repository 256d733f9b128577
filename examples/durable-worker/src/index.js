// swf-edge durable activity worker: Durable Objects (one per shard of SWF_DOMAIN /
// SWF_TASK_LIST) poll SWF and run the activities of ./activities.js; this Worker answers
// the registry routes (README.md) and runs the Cron watchdog.
//
//   POST /workers/shards   /workers/tasks   /workers/task   /workers/drain   /workers/resume
//
// Every request needs `Authorization: Bearer <DASHBOARD_TOKEN>`; the auth, CORS and body
// rules are examples/worker's (its http.js `jsonApi`, shared).
import { ShardRouter, defineActivityWorker, workerOptionsFromEnv } from "swf-edge/worker";
import { jsonApi } from "../../worker/src/http.js";
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
  fetch: jsonApi(registryRoutes, {
    run: (handler, env, body) => handler(routerFor(env), body),
    failure: (error) => (error?.name === "ShardError" ? [error.status === 404 ? 404 : 502, { error: error.message }] : [502, { error: "the registry could not be read" }]),
  }),

  /** The watchdog (Cron Trigger): start every shard whose loop lost its alarm. */
  async scheduled(controller, env) {
    await routerFor(env).watchdog();
  },
};
