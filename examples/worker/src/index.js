// swf-edge example Worker: an authenticated JSON API for checking and cancelling SWF
// activity tasks, e.g. for the operator dashboard in www/.
//
//   POST /tasks/check  {"taskTokens": ["…"]}
//     → {"results": [{"taskToken", "status": "cancel-requested" | "running" | "error", "error"?}]}
//   POST /tasks/cancel {"tasks": ["…" | {"taskToken", "details"?}], "details"?, "onlyIfRequested"?: true}
//     → {"results": [{"taskToken", "status": "canceled" | "not-requested" | "error", "error"?}]}
//
// Every request needs `Authorization: Bearer <DASHBOARD_TOKEN>`. Secrets (wrangler secret
// put): DASHBOARD_TOKEN, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional).
// Vars: AWS_REGION, SWF_ENDPOINT (optional), ALLOWED_ORIGINS (comma-separated, for browsers).
import { SwfClient } from "swf-edge";

/** Tasks per request: each costs one or two subrequests (plus retries) of the Worker's quota. */
const MAX_TASKS = 20;

export default {
  async fetch(request, env) {
    const cors = corsHeaders(request, env);
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    const reply = (body, status = 200) => Response.json(body, { status, headers: cors });

    if (!env.DASHBOARD_TOKEN) return reply({ error: "DASHBOARD_TOKEN is not configured" }, 500);
    if (!(await sameSecret(request.headers.get("authorization") ?? "", `Bearer ${env.DASHBOARD_TOKEN}`))) {
      return reply({ error: "unauthorized" }, 401);
    }
    const route = `${request.method} ${new URL(request.url).pathname}`;
    if (route !== "POST /tasks/check" && route !== "POST /tasks/cancel") {
      return reply({ error: "not found: use POST /tasks/check or POST /tasks/cancel" }, 404);
    }
    let body;
    try {
      body = await request.json();
    } catch {
      return reply({ error: "the body must be JSON" }, 400);
    }
    const swf = clientFor(env);
    if (route === "POST /tasks/check") {
      const tokens = body?.taskTokens;
      if (!Array.isArray(tokens) || tokens.length > MAX_TASKS) {
        return reply({ error: `taskTokens must be an array of at most ${MAX_TASKS} task tokens` }, 400);
      }
      return reply({ results: await check(swf, tokens) });
    }
    const { tasks, details, onlyIfRequested = true } = body ?? {};
    if (!Array.isArray(tasks) || tasks.length > MAX_TASKS || typeof onlyIfRequested !== "boolean") {
      return reply({ error: `tasks must be an array of at most ${MAX_TASKS} tasks; onlyIfRequested a boolean` }, 400);
    }
    const results = await swf.cancelMany(tasks, { details, onlyIfRequested, concurrency: 6 });
    return reply({ results: results.map(({ error, ...rest }) => (error ? { ...rest, error: describe(error) } : rest)) });
  },
};

/** Heartbeats each task and reports whether its cancellation was requested. */
async function check(swf, tokens) {
  const results = new Array(tokens.length);
  let next = 0;
  const worker = async () => {
    while (next < tokens.length) {
      const i = next++;
      try {
        const { cancelRequested } = await swf.recordActivityTaskHeartbeat({ taskToken: tokens[i] });
        results[i] = { taskToken: tokens[i], status: cancelRequested ? "cancel-requested" : "running" };
      } catch (error) {
        results[i] = { taskToken: tokens[i], status: "error", error: describe(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, tokens.length) }, worker));
  return results;
}

/** The JSON form of an error (swf-edge errors never carry secrets). */
function describe({ name, message, statusCode, requestId, retryable }) {
  return { name, message, statusCode, requestId, retryable };
}

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

function corsHeaders(request, env) {
  const origin = request.headers.get("origin");
  const allowed = (env.ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  if (!origin || !(allowed.includes("*") || allowed.includes(origin))) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": "authorization, content-type",
    "access-control-max-age": "600",
    vary: "origin",
  };
}

/** Compares two strings in time independent of where they differ (via their SHA-256). */
async function sameSecret(given, expected) {
  const digest = async (s) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
