// The token routes: check and cancel activity tasks whose task tokens the caller holds.
//
//   POST /tasks/check  {"taskTokens": ["…"]}
//     → {"results": [{"taskToken", "status": "cancel-requested" | "running" | "error", "error"?}]}
//   POST /tasks/cancel {"tasks": ["…" | {"taskToken", "details"?}], "details"?, "onlyIfRequested"?: true}
//     → {"results": [{"taskToken", "status": "canceled" | "not-requested" | "error", "error"?}]}
import { RouteError, describe } from "./http.js";

/** Tasks per request: each costs one or two subrequests (plus retries) of the Worker's quota. */
export const MAX_TASKS = 20;

/** POST /tasks/check: heartbeats each task and reports whether its cancellation was requested. */
export async function checkTasks(swf, body) {
  const tokens = body.taskTokens;
  if (!Array.isArray(tokens) || tokens.length > MAX_TASKS) {
    throw new RouteError(400, `taskTokens must be an array of at most ${MAX_TASKS} task tokens`);
  }
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
  return { results };
}

/** POST /tasks/cancel: the safe cancel (heartbeat first) unless onlyIfRequested is false. */
export async function cancelTasks(swf, body) {
  const { tasks, details, onlyIfRequested = true } = body;
  if (!Array.isArray(tasks) || tasks.length > MAX_TASKS || typeof onlyIfRequested !== "boolean") {
    throw new RouteError(400, `tasks must be an array of at most ${MAX_TASKS} tasks; onlyIfRequested a boolean`);
  }
  const results = await swf.cancelMany(tasks, { details, onlyIfRequested, concurrency: 6 });
  return { results: results.map(({ error, ...rest }) => (error ? { ...rest, error: describe(error) } : rest)) };
}
