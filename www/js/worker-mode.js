// Worker mode: the example Worker (examples/worker) holds the AWS credentials as secrets;
// this page only sends a dashboard token as `Authorization: Bearer …`. Contract:
//
//   POST {worker}/tasks/check  {taskTokens: [...]}
//     → {results: [{taskToken, status: "cancel-requested" | "running" | "error", error?}]}
//   POST {worker}/tasks/cancel {tasks: [{taskToken}], details, onlyIfRequested}
//     → {results: [{taskToken, status: "canceled" | "not-requested" | "error",
//                   error?: {name, message, statusCode, requestId, retryable}}]}
//   POST {worker}/domains, /executions/open, /executions/closed, /execution/describe,
//        /execution/history, /execution/activities, /execution/request-cancel,
//        /execution/signal, /execution/terminate, /execution/cancellation
//     → SWF's answer (timestamps as ISO strings), or HTTP 400/502 {error: {name, message, …}}
//
// Tokens go in batches of BATCH_SIZE per request (a Worker has a subrequest budget; a safe
// cancel costs two SWF calls per task), one batch at a time, so that progress moves and a
// stop takes effect between batches. A cancellation is followed by polling
// /execution/cancellation (one snapshot per request: a Worker request holds no long loop).
import { describeError, isClosedOrUnknown, workerBase } from "./tasks.js";

export const BATCH_SIZE = 10;
/** Failed snapshots in a row after which following a cancellation gives up. */
export const MAX_FAILED_POLLS = 3;

/** An error from talking to the Worker itself (not from SWF). */
class WorkerCallError extends Error {
  constructor(name, message, statusCode) {
    super(message);
    this.name = name;
    if (statusCode !== undefined) this.statusCode = statusCode;
  }
}

/** An error SWF (or swf-edge in the Worker) reported, as the Worker relayed it. */
class RelayedError extends Error {
  constructor({ name, message, statusCode, requestId, retryable, field, source, code }) {
    super(typeof message === "string" ? message : "");
    this.name = typeof name === "string" && name ? name : "Error";
    // "service" (SWF said so) or "client" (swf-edge in the Worker); never the page's own.
    if (source === "service" || source === "client") this.source = source;
    if (typeof code === "string") this.code = code;
    if (statusCode !== undefined) this.statusCode = statusCode;
    if (requestId !== undefined) this.requestId = requestId;
    if (retryable !== undefined) this.retryable = retryable;
    if (field !== undefined) this.field = field;
  }
}

/**
 * Whether `error` is the page's own `name` error about talking to the Worker: a relayed
 * error (whatever SWF or the Worker named it) never is.
 */
function isOwn(error, name) {
  return error instanceof WorkerCallError && error.name === name;
}

/**
 * POSTs `body` to the Worker's `path` with the bearer `token`; resolves the JSON answer of a
 * 2xx, rejects otherwise (also used by the Workers view for the durable worker's routes).
 */
export async function call(base, path, token, body, signal) {
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
  // An SWF or swf-edge error the Worker relays: shown as SWF's (its statusCode is SWF's).
  if (!response.ok && answer?.error && typeof answer.error === "object") throw new RelayedError(answer.error);
  if (!response.ok || !answer || typeof answer !== "object") {
    const said = typeof answer?.error === "string" ? answer.error : undefined;
    throw new WorkerCallError(
      "WorkerError",
      `The Worker answered HTTP ${response.status}${said ? `: ${said}` : " without a JSON answer"}.`,
      response.status,
    );
  }
  return answer;
}

/** A task route's `results` array. */
async function post(base, path, token, body, signal) {
  const answer = await call(base, path, token, body, signal);
  if (!Array.isArray(answer.results)) {
    throw new WorkerCallError("WorkerError", "The Worker answered without the expected {results: [...]}.");
  }
  return answer.results;
}

/** Waits `ms`, or rejects with an AbortError as soon as `signal` aborts. */
function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(new DOMException("Stopped", "AbortError"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    if (signal?.aborted) abort();
    else signal?.addEventListener("abort", abort, { once: true });
  });
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
    if (isOwn(error, "WorkerUnreachable") || isOwn(error, "Unauthorized")) throw error;
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
          if (error?.name === "AbortError" && !(error instanceof RelayedError)) onResult(i, { state: "stopped", inFlight: true });
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

  const ask = (path) => (input, { signal } = {}) => call(base, path, token, input, signal);

  return {
    mode: "worker",
    listDomains: ask("domains"),
    listExecutions: (status, input, options) => ask(status === "closed" ? "executions/closed" : "executions/open")(input, options),
    describeExecution: ask("execution/describe"),
    historyPage: ask("execution/history"),
    activities: ask("execution/activities"),
    requestCancel: ask("execution/request-cancel"),
    signalExecution: ask("execution/signal"),
    /** The Worker checks that `confirmWorkflowId` repeats `workflowId` before it sends anything. */
    terminate: (input, confirmWorkflowId, options) => ask("execution/terminate")({ ...input, confirmWorkflowId }, options),
    /**
     * Polls one snapshot per `intervalMs` until `done` (or `signal` aborts: AbortError). A
     * retryable failure (SWF throttling, the Worker unreachable) is retried at the next
     * tick, up to MAX_FAILED_POLLS in a row.
     */
    async *followCancellation(target, { signal, intervalMs = 2000, stallAfterMs } = {}) {
      let failures = 0;
      for (;;) {
        let report;
        try {
          report = await call(base, "execution/cancellation", token, { ...target, stallAfterMs }, signal);
          failures = 0;
        } catch (error) {
          const transient = error?.retryable === true || isOwn(error, "WorkerUnreachable");
          if (signal?.aborted || !transient || ++failures >= MAX_FAILED_POLLS) throw error;
        }
        if (report) {
          yield report;
          if (report.done) return;
        }
        await pause(intervalMs, signal);
      }
    },
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
  if (isOwn(error, "WorkerUnreachable")) return "Is the Worker running, and is this page's origin allowed by its CORS settings?";
  if (isOwn(error, "Unauthorized")) return "Reconnect with the right dashboard token.";
  return undefined;
}
