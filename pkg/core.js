// swf-edge: the JavaScript face of the wasm client, shared by every runtime entry
// (node.js, workerd.js, browser.js). Hand-written; the wasm glue lives in ./dist/.
import { WasmClient } from "./dist/swf_edge.js";

/** Base class of every error swf-edge rejects with. */
export class SwfError extends Error {
  /** @param {{name: string, message: string, statusCode?: number, requestId?: string, retryable?: boolean, field?: string}} record */
  constructor(record) {
    super(record.message);
    Object.defineProperty(this, "name", { value: record.name, enumerable: false, configurable: true, writable: true });
    this.statusCode = record.statusCode;
    this.requestId = record.requestId;
    this.retryable = Boolean(record.retryable);
    this.attempts = record.attempts ?? 0;
    this.possiblyAlreadyClosed = Boolean(record.possiblyAlreadyClosed);
  }
}

/** The input or the options broke a documented rule; nothing was sent. */
export class ValidationError extends SwfError {
  constructor(record) {
    super(record);
    this.field = record.field;
  }
}

/** The request could not be sent or its answer could not be read (network, CORS, reset). */
export class TransportError extends SwfError {}

/** An attempt (`timeoutMs`) or the whole call (`deadlineMs`) ran out of time. */
export class TimeoutError extends SwfError {}

/** The call's `AbortSignal` fired; no further request was made. */
export class AbortError extends SwfError {}

/** The credentials provider threw or returned unusable credentials. */
export class CredentialsError extends SwfError {}

/** SWF does not know the task token, or the task is already closed. */
export class UnknownResourceFault extends SwfError {}

/** The caller is not allowed to perform the action (IAM). */
export class OperationNotPermittedFault extends SwfError {}

const classByName = { UnknownResourceFault, OperationNotPermittedFault };
const classByKind = {
  validation: ValidationError,
  transport: TransportError,
  timeout: TimeoutError,
  abort: AbortError,
  credentials: CredentialsError,
};

/** Turns what the wasm side threw into an SwfError (never loses the original kind). */
function toSwfError(thrown) {
  if (thrown instanceof SwfError) return thrown;
  if (thrown !== null && typeof thrown === "object" && typeof thrown.kind === "string") {
    return new (classByKind[thrown.kind] ?? classByName[thrown.name] ?? SwfError)(thrown);
  }
  const message = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  return new SwfError({ name: "InternalError", message: `swf-edge failed unexpectedly: ${message}` });
}

// Runtime initialisation: node.js and workerd.js instantiate the wasm synchronously at
// import; browser.js instantiates it on the first init() (explicit or implied by a call).
const runtime = { ready: false, promise: null, start: null };

/** @internal Called by an entry once the wasm is instantiated. */
export function _markReady() {
  runtime.ready = true;
  runtime.promise = Promise.resolve();
}

/** @internal Called by an entry that instantiates the wasm asynchronously. */
export function _setInitialiser(start) {
  runtime.start = start;
}

/**
 * Loads the WebAssembly module. Optional: every call waits for it. In browsers, calling it
 * first makes `new SwfClient()` validate its options synchronously, and lets you pass your
 * own `.wasm` URL, `Response`, bytes or `WebAssembly.Module`.
 */
export function init(moduleOrPath) {
  if (!runtime.promise) {
    runtime.promise = runtime.start(moduleOrPath).then(() => {
      runtime.ready = true;
    });
  }
  return runtime.promise;
}

function newWasmClient(options) {
  try {
    return new WasmClient(options);
  } catch (thrown) {
    throw toSwfError(thrown);
  }
}

/** A client for the activity-task actions of Amazon SWF. */
export class SwfClient {
  #wasm = null;
  #pending = null;

  /** @param {import("./index.d.ts").SwfClientOptions} options */
  constructor(options) {
    if (runtime.ready) {
      this.#wasm = newWasmClient(options);
    } else {
      this.#pending = init().then(() => {
        this.#wasm = newWasmClient(options);
      });
      this.#pending.catch(() => {}); // reported by the first call instead
    }
  }

  /** Closes an activity task as canceled. Resolves `undefined`. */
  respondActivityTaskCanceled(input, options) {
    return this.#run((wasm) => wasm.respondActivityTaskCanceled(input, options));
  }

  /** Records a heartbeat. Resolves `{ cancelRequested }`. */
  recordActivityTaskHeartbeat(input, options) {
    return this.#run((wasm) => wasm.recordActivityTaskHeartbeat(input, options));
  }

  /** Closes an activity task as completed. Resolves `undefined`. */
  respondActivityTaskCompleted(input, options) {
    return this.#run((wasm) => wasm.respondActivityTaskCompleted(input, options));
  }

  /** Closes an activity task as failed. Resolves `undefined`. */
  respondActivityTaskFailed(input, options) {
    return this.#run((wasm) => wasm.respondActivityTaskFailed(input, options));
  }

  async #run(call) {
    if (!this.#wasm) await this.#pending;
    try {
      return await call(this.#wasm);
    } catch (thrown) {
      throw toSwfError(thrown);
    }
  }

  /** The signing region (undefined until the wasm is loaded, in browsers). */
  get region() {
    return this.#wasm?.region;
  }

  /** The endpoint URL calls go to. */
  get endpoint() {
    return this.#wasm?.endpoint;
  }

  /** Milliseconds added to the local clock when signing, learnt from SWF's `Date` headers. */
  get clockOffsetMs() {
    return this.#wasm?.clockOffsetMs ?? 0;
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
