// swf-edge: the JavaScript face of the wasm client, shared by every runtime entry
// (node.js, workerd.js, browser.js). Hand-written; the wasm glue lives in ./dist/.
import { WasmClient } from "./dist/swf_edge.js";
import { Client, limitOutOfRange } from "./call.js";
import { Provider } from "./credentials.js";
import { init, isReady } from "./init.js";
import { ActivityCancelRequested, invalid, toSwfError, ValidationError } from "./errors.js";
import { checkSignal, readArray, readFields, readOptions, required } from "./read.js";

export { init } from "./init.js";
export { activitiesFromHistory } from "./history.js";
export { cancellationReport, followCancellation } from "./follow.js";
export {
  AbortError,
  ActivityCancelRequested,
  CredentialsError,
  InternalError,
  OperationNotPermittedFault,
  RedirectError,
  ResponseError,
  ServiceError,
  SwfError,
  TimeoutError,
  TransportError,
  UnknownResourceFault,
  ValidationError,
  WasmLoadError,
} from "./errors.js";

/**
 * The SWF actions, as `SwfClient` methods, in the order of the wasm's table. Each resolves
 * SWF's answer (timestamps as `Date`s) or `undefined` / `{ cancelRequested }` / a task or
 * `null`, as index.d.ts says.
 */
const ACTIONS = [
  "respondActivityTaskCanceled",
  "recordActivityTaskHeartbeat",
  "respondActivityTaskCompleted",
  "respondActivityTaskFailed",
  "pollForActivityTask",
  "listDomains",
  "listOpenWorkflowExecutions",
  "listClosedWorkflowExecutions",
  "describeWorkflowExecution",
  "getWorkflowExecutionHistory",
  "countPendingActivityTasks",
  "countPendingDecisionTasks",
  "requestCancelWorkflowExecution",
  "signalWorkflowExecution",
  "terminateWorkflowExecution",
  "describeActivityType",
];

const CANCEL_MANY_OPTIONS = ["concurrency", "onlyIfRequested", "signal", "details"];
const WATCH_OPTIONS = ["intervalMs", "details", "signal"];
const RUN_OPTIONS = ["intervalMs", "heartbeatDetails", "cancelDetails"];
/** The longest JavaScript timer (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function checkInterval(intervalMs, what) {
  if (typeof intervalMs !== "number" || !(intervalMs >= 10 && intervalMs <= MAX_TIMER_MS)) {
    throw invalid("intervalMs", `${what}: intervalMs must be a number from 10 to ${MAX_TIMER_MS}`);
  }
}

/** The handler's result as the task's result text, or an Error saying why it cannot be. */
function resultText(result) {
  if (result === undefined || typeof result === "string") return result;
  try {
    const text = JSON.stringify(result);
    return text === undefined ? new TypeError(`the result (${typeof result}) cannot be written as JSON`) : text;
  } catch (error) {
    return error instanceof Error ? error : new TypeError("the result cannot be written as JSON");
  }
}

function errorName(error) {
  try {
    return typeof error?.name === "string" && error.name ? error.name : "Error";
  } catch {
    return "Error";
  }
}

function truncate(text, max) {
  const chars = Array.from(String(text));
  return chars.length <= max ? String(text) : chars.slice(0, max).join("");
}

function describeThrown(error) {
  try {
    if (error instanceof Error) return String(error.message || error.name);
    return typeof error === "string" ? error : (JSON.stringify(error) ?? String(error));
  } catch {
    return "(an error that cannot be described)";
  }
}

/** `new SwfClient(options)`'s options and what each holds (see read.js `readFields`). */
const CLIENT_OPTIONS = {
  region: "string",
  credentials: "any",
  endpoint: "string",
  useFipsEndpoint: "boolean",
  useDualstackEndpoint: "boolean",
  allowInsecureEndpoint: "boolean",
  maxAttempts: "count",
  timeoutMs: "number",
  deadlineMs: "number",
};
/** `options.credentials` given as keys. */
const STATIC_KEYS = { accessKeyId: "string", secretAccessKey: "string", sessionToken: "string" };

/** A ValidationError about the constructor's options. */
const badOption = (field, message) => invalid(field, `SwfClient options: ${message}`);

/**
 * The wasm client for `options` and what its calls share; throws an SwfError when they are
 * invalid. The options are read and their types and limits checked here; the wasm checks
 * the keys and resolves the endpoint (and holds the keys, which no JS object keeps).
 */
function newClient(options) {
  const [region, credentials, endpoint, fips, dualstack, insecure, maxAttempts, timeoutMs, deadlineMs] = readFields(options, "", CLIENT_OPTIONS, badOption);
  if (credentials === undefined) {
    throw badOption("credentials", "credentials is required: { accessKeyId, secretAccessKey, sessionToken? } or an async function returning them");
  }
  required(region, "region", badOption);
  const outOfRange = limitOutOfRange(maxAttempts, timeoutMs, deadlineMs);
  if (outOfRange) throw badOption(...outOfRange);
  const provider = typeof credentials === "function" ? credentials : null;
  const [keyId, secret, token] = provider ? [] : readFields(credentials, "credentials", STATIC_KEYS, badOption);
  if (!provider) {
    required(keyId, "credentials.accessKeyId", badOption);
    required(secret, "credentials.secretAccessKey", badOption);
  }
  let wasm;
  try {
    wasm = new WasmClient(region, endpoint, !!fips, !!dualstack, !!insecure, keyId, secret, token);
  } catch (thrown) {
    throw toSwfError(thrown);
  }
  return new Client(wasm, { maxAttempts, timeoutMs, deadlineMs }, provider && new Provider(wasm, provider));
}

/** A client for Amazon SWF: the activity-task actions, the operator actions and the helpers built on them. */
export class SwfClient {
  #client = null;
  #pending = null;

  /** @param {import("./index.d.ts").SwfClientOptions} options */
  constructor(options) {
    if (isReady()) {
      this.#client = newClient(options);
    } else {
      this.#pending = init().then(() => {
        this.#client = newClient(options);
      });
      this.#pending.catch(() => {}); // reported by the first call instead
    }
  }

  /**
   * SWF's rule as one call: heartbeat, and respond canceled only if SWF says that
   * cancellation was requested. Resolves `{ canceled, cancelRequested }`.
   */
  async cancelIfRequested(input, options) {
    // Copied (getters read once), then checked as a whole before the heartbeat.
    const copy = input !== null && typeof input === "object" ? readOptions(input, "cancelIfRequested input", null) : input;
    await this.#run(async (client) => client.checkComposite(ACTIONS.length, "cancelIfRequested", copy));
    const { taskToken, details, heartbeatDetails } = copy;
    const { cancelRequested } = await this.recordActivityTaskHeartbeat({ taskToken, details: heartbeatDetails }, options);
    if (!cancelRequested) return { canceled: false, cancelRequested };
    await this.respondActivityTaskCanceled({ taskToken, details }, options);
    return { canceled: true, cancelRequested };
  }

  /**
   * Cancels many tasks with bounded concurrency. Never rejects for one task's failure:
   * resolves one `{ taskToken, status: "canceled" | "not-requested" | "error", error? }`
   * per task, in input order.
   */
  async cancelMany(tasks, options) {
    const what = "cancelMany options";
    const { concurrency = 8, onlyIfRequested = true, signal, details } = readOptions(options, what, CANCEL_MANY_OPTIONS);
    checkSignal(signal, what);
    const items = readArray(tasks, "tasks", "cancelMany: tasks must be an array of task tokens or { taskToken, details? }");
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw invalid("concurrency", "cancelMany: concurrency must be an integer from 1 to 64");
    }
    if (typeof onlyIfRequested !== "boolean") throw invalid("onlyIfRequested", "cancelMany: onlyIfRequested must be a boolean");
    const results = new Array(items.length);
    const one = async (input) => {
      if (signal?.aborted) throw toSwfError({ kind: "abort", name: "AbortError", message: "cancelMany was aborted before this task" });
      if (!onlyIfRequested) {
        await this.respondActivityTaskCanceled(input, { signal });
        return "canceled";
      }
      const { canceled } = await this.cancelIfRequested(input, { signal });
      return canceled ? "canceled" : "not-requested";
    };
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const index = next++;
        let taskToken;
        try {
          const item = items[index];
          const own = typeof item === "string" ? { __proto__: null, taskToken: item } : readOptions(item, `tasks[${index}]`, ["taskToken", "details"]);
          taskToken = own.taskToken;
          results[index] = { taskToken, status: await one({ taskToken, details: own.details ?? details }) };
        } catch (error) {
          results[index] = { taskToken, status: "error", error: toSwfError(error) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    return results;
  }

  /**
   * Heartbeats every `intervalMs` and returns `{ signal, stop }`: `signal` aborts with an
   * `ActivityCancelRequested` reason as soon as SWF reports a cancel request (or with the
   * error if the task turns out closed or unknown).
   */
  watchCancellation(taskToken, options) {
    const what = "watchCancellation options";
    const { intervalMs = 10_000, details, signal: outer } = readOptions(options, what, WATCH_OPTIONS);
    checkSignal(outer, what);
    if (typeof taskToken !== "string") throw invalid("taskToken", "watchCancellation: taskToken must be a string");
    checkInterval(intervalMs, "watchCancellation");
    if (details !== undefined && typeof details !== "string" && typeof details !== "function") {
      throw invalid("details", "watchCancellation: details must be a string or a function returning one");
    }
    const controller = new AbortController();
    const stopper = new AbortController(); // aborts a heartbeat in flight on stop()
    let timer;
    let stopped = false;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      stopper.abort();
      outer?.removeEventListener("abort", onOuterAbort);
    };
    const onOuterAbort = () => {
      stop();
      controller.abort(outer.reason);
    };
    outer?.addEventListener("abort", onOuterAbort, { __proto__: null, once: true });
    const beat = async () => {
      if (stopped) return;
      try {
        const progress = typeof details === "function" ? details() : details;
        const { cancelRequested } = await this.recordActivityTaskHeartbeat({ taskToken, details: progress }, { signal: stopper.signal });
        if (cancelRequested) {
          stop();
          controller.abort(new ActivityCancelRequested(taskToken));
          return;
        }
      } catch (error) {
        if (stopped) return;
        const failure = toSwfError(error);
        if (!failure.retryable && failure.name !== "AbortError") {
          stop(); // closed, unknown, not permitted, bad details: heartbeating further cannot help
          controller.abort(failure);
          return;
        }
      }
      if (!stopped) timer = setTimeout(beat, intervalMs);
    };
    if (outer?.aborted) onOuterAbort();
    else beat();
    return { signal: controller.signal, stop };
  }

  /**
   * Runs `handler({ input, signal, task })` for an activity task from `pollForActivityTask`
   * while heartbeating, then closes the task exactly once: completed with the handler's
   * result, canceled when the handler ended because cancellation was requested, failed
   * when it threw. Resolves `{ status: "completed" | "canceled" | "failed", result?, error? }`.
   */
  async runActivity(task, handler, options) {
    const { intervalMs, heartbeatDetails, cancelDetails } = readOptions(options, "runActivity options", RUN_OPTIONS);
    const { taskToken, input } = readOptions(task, "runActivity task", null);
    if (typeof taskToken !== "string") {
      throw invalid("task", "runActivity: task must be an activity task ({ taskToken, input?, … })");
    }
    if (typeof handler !== "function") throw invalid("handler", "runActivity: handler must be a function");
    if (cancelDetails !== undefined && typeof cancelDetails !== "string") {
      throw invalid("cancelDetails", "runActivity: cancelDetails must be a string");
    }
    const watch = this.watchCancellation(taskToken, { intervalMs, details: heartbeatDetails });
    let outcome;
    try {
      outcome = { status: "completed", result: await handler({ input, signal: watch.signal, task }) };
    } catch (error) {
      outcome = { status: "failed", error };
    } finally {
      watch.stop();
    }
    if (watch.signal.aborted && watch.signal.reason instanceof ActivityCancelRequested && outcome.status === "failed") {
      await this.respondActivityTaskCanceled({ taskToken, details: cancelDetails ?? truncate(describeThrown(outcome.error), 32768) });
      return { status: "canceled", error: outcome.error };
    }
    if (outcome.status === "completed") {
      const result = resultText(outcome.result);
      try {
        if (result instanceof Error) throw result;
        await this.respondActivityTaskCompleted({ taskToken, result });
        return outcome;
      } catch (error) {
        // A result that cannot be recorded (not JSON, too long) fails the task, saying why.
        if (!(error instanceof ValidationError || error === result)) throw error;
        outcome = { status: "failed", error };
      }
    }
    const error = outcome.error;
    await this.respondActivityTaskFailed({
      taskToken,
      reason: truncate(errorName(error), 256),
      details: truncate(describeThrown(error), 32768),
    });
    return outcome;
  }

  /**
   * One method per SWF action, each `(input, options?)` → the action's answer: the names
   * of the wasm's action table, in its order (src/js/bindings.rs `ACTIONS`).
   */
  static {
    ACTIONS.forEach((name, index) => {
      Object.defineProperty(this.prototype, name, {
        value: function (input, options) {
          return this.#run((client) => client.call(index, name, input, options));
        },
        writable: true,
        configurable: true,
      });
    });
  }

  async #run(call) {
    try {
      if (!this.#client) await this.#pending;
      return await call(this.#client);
    } catch (thrown) {
      throw toSwfError(thrown);
    }
  }

  /** The signing region (undefined until the wasm is loaded, in browsers). */
  get region() {
    return this.#client?.wasm.region;
  }

  /** The endpoint URL calls go to. */
  get endpoint() {
    return this.#client?.url;
  }

  /** Milliseconds added to the local clock when signing, learnt from SWF's `Date` headers. */
  get clockOffsetMs() {
    return this.#client?.clockOffsetMs ?? 0;
  }

  toString() {
    return `SwfClient(${this.region ?? "loading"}, ${this.endpoint ?? "loading"})`;
  }

  toJSON() {
    return { region: this.region, endpoint: this.endpoint };
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString();
  }
}

const PAGINATOR_CONFIG = ["client", "pageSize", "startingToken"];

/**
 * An async iterable of the pages of `method` (SDK v3's paginator shape): `pageSize`
 * becomes `maximumPageSize`, `startingToken` the first `nextPageToken`; each page's
 * `nextPageToken` is followed until there is none (or it repeats). Each call goes
 * through the client's pipeline, so the first page's input is validated before any I/O
 * and `options.signal` stops the walk with an `AbortError`.
 */
async function* paginate(method, config, input, options) {
  const what = `paginate${method[0].toUpperCase()}${method.slice(1)}`;
  const { client, pageSize, startingToken } = readOptions(config, `${what} config`, PAGINATOR_CONFIG);
  if (!(client instanceof SwfClient)) throw invalid("client", `${what}: config.client must be an SwfClient`);
  const base = readOptions(input, `${what} input`, null);
  if (pageSize !== undefined) base.maximumPageSize = pageSize;
  let token = startingToken ?? base.nextPageToken;
  for (;;) {
    const page = await client[method]({ ...base, nextPageToken: token }, options);
    yield page;
    const next = page?.nextPageToken;
    if (typeof next !== "string" || next === "" || next === token) return;
    token = next;
  }
}

/** Pages of `listDomains`: `for await (const page of paginateListDomains({ client }, input))`. */
export function paginateListDomains(config, input, options) {
  return paginate("listDomains", config, input, options);
}

/** Pages of `listOpenWorkflowExecutions`. */
export function paginateListOpenWorkflowExecutions(config, input, options) {
  return paginate("listOpenWorkflowExecutions", config, input, options);
}

/** Pages of `listClosedWorkflowExecutions`. */
export function paginateListClosedWorkflowExecutions(config, input, options) {
  return paginate("listClosedWorkflowExecutions", config, input, options);
}

/** Pages of `getWorkflowExecutionHistory` (events oldest first unless `reverseOrder`). */
export function paginateGetWorkflowExecutionHistory(config, input, options) {
  return paginate("getWorkflowExecutionHistory", config, input, options);
}
