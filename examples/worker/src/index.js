// swf-edge example Worker: an authenticated JSON API over Amazon SWF for operators, e.g. the
// dashboard in www/. Every route is `POST` with a JSON object body (see README.md):
//
//   /tasks/check, /tasks/cancel                       task tokens the caller holds (tasks.js)
//   /domains, /executions/open, /executions/closed    find executions (operator.js)
//   /execution/describe, /execution/history, /execution/activities
//   /execution/request-cancel, /execution/signal, /execution/terminate
//   /execution/cancellation                           one snapshot of a cancellation's progress
//
// Every request needs `Authorization: Bearer <DASHBOARD_TOKEN>`. Secrets (wrangler secret
// put): DASHBOARD_TOKEN, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional).
// Vars: AWS_REGION, SWF_ENDPOINT (optional), ALLOWED_ORIGINS (comma-separated, for browsers).
import { SwfClient } from "swf-edge";
import { describe, jsonApi, statusOf } from "./http.js";
import { cancelTasks, checkTasks } from "./tasks.js";
import { operatorRoutes } from "./operator.js";

/** Handlers by path: `(client, body) → answer` (a JSON-able object). */
const ROUTES = { "/tasks/check": checkTasks, "/tasks/cancel": cancelTasks, ...operatorRoutes };

export default {
  fetch: jsonApi(ROUTES, {
    run: (handler, env, body) => handler(clientFor(env), body),
    failure: (error) => [statusOf(error), { error: describe(error) }],
  }),
};

// One client per configuration, kept across requests: it keeps the learnt clock offset.
const clients = new Map();
function clientFor(env) {
  const key = [env.AWS_REGION, env.SWF_ENDPOINT, env.AWS_ACCESS_KEY_ID, env.AWS_SESSION_TOKEN].join("|");
  if (!clients.has(key)) {
    clients.set(
      key,
      new SwfClient({
        region: env.AWS_REGION,
        endpoint: env.SWF_ENDPOINT || undefined,
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          sessionToken: env.AWS_SESSION_TOKEN || undefined,
        },
      }),
    );
  }
  return clients.get(key);
}
