// HTTP plumbing of the example Worker: bearer authentication, CORS, bounded JSON bodies and
// the JSON error shape shared by every route.

/** Largest request body accepted, in bytes (a signal's input or terminate's details are ≤ 32768 characters). */
export const MAX_BODY_BYTES = 256 * 1024;

/** A refusal of the request itself: answered as `{"error": message}` with `status`. */
export class RouteError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * The JSON form of an swf-edge error (swf-edge errors never carry secrets). `source` says
 * who named it: `"service"` (SWF's answer; `code` is SWF's error code) or `"client"`.
 */
export function describe({ name, message, statusCode, requestId, retryable, field, source, code }) {
  return { name, message, statusCode, requestId, retryable, field, source, code };
}

/** The HTTP status a failed SWF call is answered with: 400 if nothing was sent, else 502. */
export function statusOf(error) {
  return error?.name === "ValidationError" ? 400 : 502;
}

/** CORS headers for an allowed `Origin` (ALLOWED_ORIGINS, comma-separated, or `*`); none otherwise. */
export function corsHeaders(request, env) {
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

/** Whether the request carries `Authorization: Bearer <DASHBOARD_TOKEN>` (compared in constant time). */
export async function authorized(request, env) {
  return sameSecret(request.headers.get("authorization") ?? "", `Bearer ${env.DASHBOARD_TOKEN}`);
}

/** Compares two strings in time independent of where they differ (via their SHA-256). */
async function sameSecret(given, expected) {
  const digest = async (s) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** The body as a JSON object; RouteError 413 when it is too large, 400 when it is not an object. */
export async function readJsonObject(request) {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new RouteError(413, `the body must be at most ${MAX_BODY_BYTES} bytes`);
  const text = await request.text();
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES) {
    throw new RouteError(413, `the body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RouteError(400, "the body must be JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new RouteError(400, "the body must be a JSON object");
  return body;
}

/**
 * `swf` as `followCancellation`'s client, allowed at most `maxPages` history pages for one
 * request (each is a subrequest of the Worker's quota): past that a `RouteError` 422, and
 * nothing more is sent.
 */
export function withHistoryPageBudget(swf, maxPages) {
  let pages = 0;
  return {
    describeWorkflowExecution: (input, options) => swf.describeWorkflowExecution(input, options),
    countPendingDecisionTasks: (input, options) => swf.countPendingDecisionTasks(input, options),
    requestCancelWorkflowExecution: (input, options) => swf.requestCancelWorkflowExecution(input, options),
    async getWorkflowExecutionHistory(input, options) {
      if (++pages > maxPages) {
        throw new RouteError(422, `the history is longer than ${maxPages} pages: follow this execution with the library itself`);
      }
      return swf.getWorkflowExecutionHistory(input, options);
    },
  };
}

/**
 * The `fetch` handler of a JSON API over POST routes (`routes`: handlers by path): CORS and
 * preflights, the DASHBOARD_TOKEN bearer check, 404 for other methods and paths, bounded
 * JSON object bodies. `run(handler, env, body)` answers a route; a `RouteError` is answered
 * as `{"error": message}` with its status, any other error as `failure(error)` → `[status, body]`.
 */
export function jsonApi(routes, { run, failure }) {
  return async (request, env) => {
    const cors = corsHeaders(request, env);
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    const reply = (body, status = 200) => Response.json(body, { status, headers: cors });

    if (!env.DASHBOARD_TOKEN) return reply({ error: "DASHBOARD_TOKEN is not configured" }, 500);
    if (!(await authorized(request, env))) return reply({ error: "unauthorized" }, 401);
    const path = new URL(request.url).pathname;
    const handler = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (request.method !== "POST" || !handler) {
      return reply({ error: `not found: use POST with one of ${Object.keys(routes).join(", ")}` }, 404);
    }
    try {
      return reply(await run(handler, env, await readJsonObject(request)));
    } catch (error) {
      if (error instanceof RouteError) return reply({ error: error.message }, error.status);
      const [status, body] = failure(error);
      return reply(body, status);
    }
  };
}
