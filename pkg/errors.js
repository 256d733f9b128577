// The error classes every swf-edge failure is an instance of, and the one conversion of
// what the wasm side throws (a plain error record) into them. Imported by every other
// module of the package; imports none.

/**
 * `value`'s own enumerable properties, each read once, in a prototype-less object: an
 * error's record or options (none when they cannot be read, e.g. a revoked proxy).
 */
function ownFields(value) {
  const copy = Object.create(null);
  try {
    if (value !== null && typeof value === "object") for (const key of Object.keys(value)) copy[key] = value[key];
  } catch {}
  return copy;
}

/** Base class of every error swf-edge rejects with; `source` is "service" (an error answer) or "client". */
export class SwfError extends Error {
  /**
   * `new SwfError(message?, options?)` (public, like Error) or `new SwfError(record)`
   * (internal: what the wasm side throws, `{ name, message, statusCode, … }`).
   */
  constructor(messageOrRecord, options) {
    const isRecord = messageOrRecord !== null && typeof messageOrRecord === "object";
    const record = ownFields(isRecord ? messageOrRecord : options);
    if (!isRecord) record.message = messageOrRecord === undefined ? "" : String(messageOrRecord);
    super(record.message, record.cause === undefined ? undefined : { cause: record.cause });
    const name = record.name ?? new.target.errorName;
    Object.defineProperty(this, "name", { value: name, enumerable: false, configurable: true, writable: true });
    this.source = record.source === "service" || record.source === "client" ? record.source : new.target.errorSource;
    if (record.code !== undefined) this.code = record.code;
    this.statusCode = record.statusCode;
    this.requestId = record.requestId;
    this.retryable = Boolean(record.retryable);
    this.attempts = record.attempts ?? 0;
    this.possiblyAlreadyClosed = Boolean(record.possiblyAlreadyClosed);
  }

  /** The `name` of an error constructed without one (class names do not survive minifiers). */
  static errorName = "SwfError";
  /** The `source` of an error constructed without one. */
  static errorSource = "client";
}

/** An error answer; `code` is SWF's error code (`name` too, unless it is a client-side name). */
export class ServiceError extends SwfError {
  static errorName = "ServiceError";
  static errorSource = "service";
  constructor(messageOrRecord, options) {
    super(messageOrRecord, options);
    this.code ??= this.name;
  }
}

/** The input or the options broke a documented rule; nothing was sent. */
export class ValidationError extends SwfError {
  static errorName = "ValidationError";
  constructor(messageOrRecord, options) {
    super(messageOrRecord, options);
    this.field = ownFields(messageOrRecord !== null && typeof messageOrRecord === "object" ? messageOrRecord : options).field;
  }
}

/** The request could not be sent or its answer could not be read (network, CORS, reset). */
export class TransportError extends SwfError {
  static errorName = "TransportError";
}

/** An attempt (`timeoutMs`) or the whole call (`deadlineMs`) ran out of time. */
export class TimeoutError extends SwfError {
  static errorName = "TimeoutError";
}

/** The call's `AbortSignal` fired; no further request was made. */
export class AbortError extends SwfError {
  static errorName = "AbortError";
}

/** The credentials provider threw or returned unusable credentials. */
export class CredentialsError extends SwfError {
  static errorName = "CredentialsError";
}

/** A 2xx answer that is not what the action returns, or over its cap. */
export class ResponseError extends SwfError {
  static errorName = "ResponseError";
}

/** A 3xx answer (never followed). */
export class RedirectError extends SwfError {
  static errorName = "RedirectError";
}

/** An unforeseen failure (a bug). */
export class InternalError extends SwfError {
  static errorName = "InternalError";
}

/** The wasm could not be loaded; the message says what to fix. */
export class WasmLoadError extends SwfError {
  static errorName = "WasmLoadError";
}

/** SWF does not know the task token, or the task is already closed. */
export class UnknownResourceFault extends ServiceError {
  static errorName = "UnknownResourceFault";
}

/**
 * The reason of a `watchCancellation` / `runActivity` signal when SWF reports that
 * cancellation of the task was requested.
 */
export class ActivityCancelRequested extends SwfError {
  constructor(taskToken) {
    super({ name: "ActivityCancelRequested", message: "SWF reports that cancellation of this activity task was requested" });
    Object.defineProperty(this, "taskToken", { value: taskToken, enumerable: false });
  }
}

/** The caller is not allowed to perform the action (IAM). */
export class OperationNotPermittedFault extends ServiceError {
  static errorName = "OperationNotPermittedFault";
}

const classByName = { UnknownResourceFault, OperationNotPermittedFault };
const classByKind = {
  validation: ValidationError,
  transport: TransportError,
  timeout: TimeoutError,
  abort: AbortError,
  credentials: CredentialsError,
  response: ResponseError,
  redirect: RedirectError,
};

/** Turns what the wasm side threw into an SwfError; a service record only ever into a ServiceError. */
export function toSwfError(thrown) {
  if (thrown instanceof SwfError) return thrown;
  if (thrown !== null && typeof thrown === "object" && typeof thrown.kind === "string") {
    if (thrown.kind === "service") return new (classByName[thrown.name] ?? ServiceError)(thrown);
    return new (classByKind[thrown.kind] ?? InternalError)(thrown);
  }
  let message;
  try {
    message = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  } catch {
    message = "(an error that cannot be described)";
  }
  return new InternalError({ name: "InternalError", message: `swf-edge failed unexpectedly: ${message}` });
}

/** A `ValidationError` about `field` (undefined: the whole value). */
export function invalid(field, message) {
  return new ValidationError({ name: "ValidationError", message, field });
}
