// Worker mode: the example Worker (examples/worker) holds the AWS credentials as secrets;
// this page only sends a dashboard token as `Authorization: Bearer …`. Contract:
//
//   POST {worker}/tasks/check  {taskTokens: [...]}
//     → {results: [{taskToken, status: "cancel-requested" | "running" | "error", error?}]}
//   POST {worker}/tasks/cancel {tasks: [{taskToken}], details, onlyIfRequested}
//     → {results: [{taskToken, status: "canceled" | "not-requested" | "error",
//                   error?: {name, message, statusCode, requestId, retryable}}]}
//
// Tokens go in batches of BATCH_SIZE per request (a Worker has a subrequest budget; a safe
// cancel costs two SWF calls per task), one batch at a time, so that progress moves and a
// stop takes effect between batches.
import { describeError, isClosedOrUnknown, workerBase } from "./tasks.js";

export const BATCH_SIZE = 10;

/** An error from talking to the Worker itself (not from SWF). */
class WorkerCallError extends Error {
  constructor(name, message, statusCode) {
    super(message);
    this.name = name;
    if (statusCode !== undefined) this.statusCode = statusCode;
  }
}

async function post(base, path, token, body, signal) {
  let response;
  try {
    response = await fetch(new URL(path, base), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    throw new WorkerCallError(
      "WorkerUnreachable",
      "The Worker could not be reached, or it does not allow this page's origin (CORS).",
    );
  }
  let answer;
  try {
    answer = await response.json();
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    answer = undefined;
  }
  if (response.status === 401 || response.status === 403) {
    throw new WorkerCallError("Unauthorized", `The Worker refused the dashboard token (HTTP ${response.status}).`, response.status);
  }
  if (!response.ok || !answer || !Array.isArray(answer.results)) {
    const said = typeof answer?.error === "string" ? answer.error : answer?.error?.message;
    throw new WorkerCallError(
      answer?.error?.name ?? "WorkerError",
      `The Worker answered HTTP ${response.status}${said ? `: ${said}` : " without the expected {results: [...]}"}.`,
      response.status,
    );
  }
  return answer.results;
}

/** Checks the URL and the token with an empty check: 401/403 and network errors reject. */
export async function createWorkerBackend({ url, token }) {
  const base = workerBase(url);
  if (!token) throw new Error("Enter the dashboard token the Worker was given (DASHBOARD_TOKEN).");
  try {
    await post(base, "tasks/check", token, { taskTokens: [] });
  } catch (error) {
    // Anything but "unreachable" or "unauthorized" means the Worker is there and let us in
    // (it may refuse an empty batch).
    if (error?.name === "WorkerUnreachable" || error?.name === "Unauthorized") throw error;
  }

  async function batches(tokens, signal, onStart, onResult, send, map) {
    for (let from = 0; from < tokens.length; from += BATCH_SIZE) {
      const indices = [];
      for (let i = from; i < Math.min(from + BATCH_SIZE, tokens.length); i++) indices.push(i);
      if (signal.aborted) {
        for (const i of indices) onResult(i, { state: "stopped", inFlight: false });
        continue;
      }
      for (const i of indices) onStart(i);
      let results;
      try {
        results = await send(indices.map((i) => tokens[i]));
      } catch (error) {
        for (const i of indices) {
          if (error?.name === "AbortError") onResult(i, { state: "stopped", inFlight: true });
          else onResult(i, { state: "error", error: describeError(error, tokens[i]), hint: hintFor(error) });
        }
        continue;
      }
      // Results come in input order; match by token in case a Worker reorders them.
      indices.forEach((i, k) => {
        const taskToken = tokens[i];
        const result = results[k]?.taskToken === taskToken ? results[k] : results.find((r) => r?.taskToken === taskToken);
        if (!result) {
          onResult(i, { state: "error", error: { name: "WorkerError", message: "The Worker's answer did not include this task." } });
        } else {
          onResult(i, map(result, taskToken));
        }
      });
    }
  }

  function fromError(result, taskToken) {
    const error = describeError(result.error ?? { name: "Error", message: "The Worker reported an error without details." }, taskToken);
    return isClosedOrUnknown(error) ? { state: "closed", error } : { state: "error", error };
  }

  return {
    mode: "worker",
    label: `Via the Worker at ${new URL(base).origin}${new URL(base).pathname === "/" ? "" : new URL(base).pathname} (dashboard token held in this tab only)`,
    check(tokens, { signal, onStart, onResult }) {
      return batches(
        tokens,
        signal,
        onStart,
        onResult,
        (taskTokens) => post(base, "tasks/check", token, { taskTokens }, signal),
        (result, taskToken) => {
          if (result.status === "cancel-requested") return { state: "cancel-requested" };
          if (result.status === "running") return { state: "running" };
          return fromError(result, taskToken);
        },
      );
    },
    cancel(tokens, { details, onlyIfRequested, signal, onStart, onResult }) {
      return batches(
        tokens,
        signal,
        onStart,
        onResult,
        (taskTokens) =>
          post(base, "tasks/cancel", token, { tasks: taskTokens.map((taskToken) => ({ taskToken })), details, onlyIfRequested }, signal),
        (result, taskToken) => {
          if (result.status === "canceled") return { state: "canceled" };
          if (result.status === "not-requested") return { state: "not-requested" };
          return fromError(result, taskToken);
        },
      );
    },
  };
}

function hintFor(error) {
  if (error?.name === "WorkerUnreachable") return "Is the Worker running, and is this page's origin allowed by its CORS settings?";
  if (error?.name === "Unauthorized") return "Reconnect with the right dashboard token.";
  return undefined;
}
