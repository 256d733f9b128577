// Types of the swf-edge package (the public API; the wasm glue's own types are internal).

/** AWS credentials. Kept inside the client; never shown by errors, toString or JSON. */
export interface Credentials {
  /** The access key id, e.g. `AKIA…` or `ASIA…`. */
  accessKeyId: string;
  /** The secret access key. */
  secretAccessKey: string;
  /** The session token of temporary credentials. Default: none. */
  sessionToken?: string;
}

/** Options of `new SwfClient(options)`. Unknown keys are rejected. */
export interface SwfClientOptions {
  /** The AWS region, e.g. `"us-east-1"`. Required; checked for shape, never guessed. */
  region: string;
  /** The credentials that sign every request. Required. */
  credentials: Credentials;
  /**
   * An endpoint origin overriding the region's (`https://host[:port]`, no path or query).
   * `http://` is allowed for loopback hosts only, unless `allowInsecureEndpoint` is set.
   * Default: `https://swf.{region}.amazonaws.com` (`.amazonaws.com.cn` in China).
   */
  endpoint?: string;
  /** Use `https://swf-fips.{region}.amazonaws.com` (US and GovCloud regions). Default: false. */
  useFipsEndpoint?: boolean;
  /** Allow a plain-http endpoint that is not loopback. Default: false. */
  allowInsecureEndpoint?: boolean;
}

/** Input of `respondActivityTaskCanceled`. Unknown keys are rejected. */
export interface RespondActivityTaskCanceledInput {
  /** The task token from PollForActivityTask (1–1024 characters). */
  taskToken: string;
  /** Recorded in the `ActivityTaskCanceled` event (at most 32768 characters). Default: none. */
  details?: string;
}

/** Input of `recordActivityTaskHeartbeat`. Unknown keys are rejected. */
export interface RecordActivityTaskHeartbeatInput {
  /** The task token (1–1024 characters). */
  taskToken: string;
  /** Progress information (at most 2048 characters). Default: none. */
  details?: string;
}

/** Answer of `recordActivityTaskHeartbeat`. */
export interface ActivityTaskStatus {
  /** Whether cancellation was requested: then close the task with `respondActivityTaskCanceled`. */
  cancelRequested: boolean;
}

/** Input of `respondActivityTaskCompleted`. Unknown keys are rejected. */
export interface RespondActivityTaskCompletedInput {
  /** The task token (1–1024 characters). */
  taskToken: string;
  /** The task's result, for the decider (at most 32768 characters). Default: none. */
  result?: string;
}

/** Input of `respondActivityTaskFailed`. Unknown keys are rejected. */
export interface RespondActivityTaskFailedInput {
  /** The task token (1–1024 characters). */
  taskToken: string;
  /** A short reason (at most 256 characters). Default: none. */
  reason?: string;
  /** Details of the failure (at most 32768 characters). Default: none. */
  details?: string;
}

/** A client for the activity-task actions of Amazon SWF. */
export declare class SwfClient {
  /** Throws `ValidationError` for bad options (in browsers: once the wasm is loaded). */
  constructor(options: SwfClientOptions);
  /**
   * RespondActivityTaskCanceled: closes the task as canceled. Only call it after a
   * heartbeat answered `cancelRequested: true`. Resolves `undefined`; rejects with
   * `ValidationError` (nothing sent), `UnknownResourceFault` (unknown token or task already
   * closed), `OperationNotPermittedFault`, another `SwfError`, or `TransportError`.
   */
  respondActivityTaskCanceled(input: RespondActivityTaskCanceledInput): Promise<void>;
  /** RecordActivityTaskHeartbeat: reports liveness and learns whether cancellation was requested. */
  recordActivityTaskHeartbeat(input: RecordActivityTaskHeartbeatInput): Promise<ActivityTaskStatus>;
  /** RespondActivityTaskCompleted: closes the task as completed. Resolves `undefined`. */
  respondActivityTaskCompleted(input: RespondActivityTaskCompletedInput): Promise<void>;
  /** RespondActivityTaskFailed: closes the task as failed. Resolves `undefined`. */
  respondActivityTaskFailed(input: RespondActivityTaskFailedInput): Promise<void>;
  /** The signing region (undefined until the wasm is loaded, in browsers). */
  readonly region: string | undefined;
  /** The endpoint URL calls go to (undefined until the wasm is loaded, in browsers). */
  readonly endpoint: string | undefined;
  /** `SwfClient(region, endpoint)`: never any credential. */
  toString(): string;
  /** `{ region, endpoint }`: never any credential. */
  toJSON(): { region: string | undefined; endpoint: string | undefined };
}

/** Base class of every error swf-edge rejects with. */
export declare class SwfError extends Error {
  /** The SWF error name (e.g. `UnknownResourceFault`, `ThrottlingException`), or
   * `ValidationError` / `TransportError` / `InternalError` for client-side failures. */
  name: string;
  /** The HTTP status of SWF's answer; undefined when there was no answer. */
  statusCode: number | undefined;
  /** SWF's `x-amzn-RequestId`, when the answer had one. */
  requestId: string | undefined;
  /** Whether the same call may succeed if repeated (throttling, 5xx, network). */
  retryable: boolean;
}

/** The input or the options broke a documented rule; no request was made. */
export declare class ValidationError extends SwfError {
  name: "ValidationError";
  /** The offending field, e.g. `taskToken` or `credentials.secretAccessKey`. */
  field: string | undefined;
}

/** The request could not be sent or its answer could not be read. Retryable. */
export declare class TransportError extends SwfError {
  name: "TransportError";
}

/** SWF does not know the task token, or the task is already closed. */
export declare class UnknownResourceFault extends SwfError {
  name: "UnknownResourceFault";
}

/** The caller's IAM policy does not allow the action. */
export declare class OperationNotPermittedFault extends SwfError {
  name: "OperationNotPermittedFault";
}

/**
 * Loads the WebAssembly module. Optional everywhere: calls wait for it. In browsers, call
 * it first to validate options synchronously or to pass your own `.wasm` location/module.
 */
export declare function init(
  moduleOrPath?: string | URL | Response | BufferSource | WebAssembly.Module,
): Promise<void>;
