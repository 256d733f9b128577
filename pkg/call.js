// The one pipeline every action goes through, around the synchronous wasm: the input is
// read (read.js `readInput`), checked against the model and the request built and signed
// by the wasm (before any I/O), then per
// attempt: credentials → sign with the corrected clock → fetch → answer.js reads the
// answer; retrying what a retry can cure (AWS standard mode), within each attempt's
// timeout, the call's deadline and its AbortSignal. Rejects with a plain error record
// (errors.js turns it into an SwfError), every message redacted by the wasm.
import { readAnswer, serviceRecord } from "./answer.js";
import { inputTable, isSignal, readInput, readOptions, typeOf, unlike } from "./read.js";
import { failureMessage, post, sleep } from "./transport.js";

// The rules of src/swf/retry.rs, ported (its unit tests pin them natively;
// tests/js/reliability.test.mjs checks this copy's behaviour end to end).
/** Attempts per call unless configured. */
const DEFAULT_MAX_ATTEMPTS = 3;
/** Backoff: the first retry waits up to BASE ms, none longer than CAP ms (full jitter). */
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 20_000;
/** A server clock this far from the corrected one (either way) is corrected for. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** The largest clock offset ever applied: a `Date` further off is ignored as broken or hostile. */
const MAX_CLOCK_OFFSET_MS = 24 * 60 * 60 * 1000;
/** The last time SigV4 can express (9999-12-31T23:59:59Z). */
const LAST_SIGNABLE_MS = 253_402_300_799_000;
/** The most attempts a caller may ask for, and the longest JavaScript timer. */
const MAX_ATTEMPTS_LIMIT = 10;
const MAX_TIMER_MS = 2_147_483_647;

const CALL_OPTIONS = ["signal", "maxAttempts", "timeoutMs", "deadlineMs"];
const NO_OPTIONS = { maxAttempts: undefined, timeoutMs: undefined, deadlineMs: undefined, signal: undefined };

/** Whether `value` claims to be an `AbortSignal` (by its prototype) without being one. */
function forged(value) {
  try {
    return value instanceof AbortSignal;
  } catch {
    return false;
  }
}

const given = (value) => value !== undefined && value !== null;

/**
 * The `[field, message]` of the first limit out of range (`maxAttempts` 1 to 10, the times 0
 * to the longest timer), if any: the client's options and a call's are checked alike.
 */
export function limitOutOfRange(maxAttempts, timeoutMs, deadlineMs) {
  if (given(maxAttempts) && !(maxAttempts >= 1 && maxAttempts <= MAX_ATTEMPTS_LIMIT)) {
    return ["maxAttempts", `maxAttempts must be 1 to ${MAX_ATTEMPTS_LIMIT}`];
  }
  for (const [field, value] of [["timeoutMs", timeoutMs], ["deadlineMs", deadlineMs]]) {
    if (given(value) && !(value >= 0 && value <= MAX_TIMER_MS)) return [field, `${field} must be a number of milliseconds from 0 to ${MAX_TIMER_MS}`];
  }
}

/** The validation record of `field` (errors.js makes it a ValidationError). */
const validationRecord = (field, message) => ({ kind: "validation", name: "ValidationError", message, field, retryable: false });

/** A validation record about `field` of a call's options. */
const invalidOption = (name, field, message) => validationRecord(field, `${name}: options: ${message}`);

/** Reads a method's second argument, `{ signal?, maxAttempts?, timeoutMs?, deadlineMs? }`. */
function readCallOptions(options, name) {
  if (options === undefined || options === null) return NO_OPTIONS;
  const { signal, maxAttempts, timeoutMs, deadlineMs } = readOptions(options, `${name}: options`, CALL_OPTIONS);
  for (const [field, kind, value] of [["maxAttempts", "count", maxAttempts], ["timeoutMs", "number", timeoutMs], ["deadlineMs", "number", deadlineMs]]) {
    const expected = given(value) && unlike(kind, value);
    if (expected) throw invalidOption(name, field, `${field} must be ${expected} (got ${typeOf(value)})`);
  }
  if (given(signal) && !isSignal(signal)) throw invalidOption(name, "signal", `signal must be an AbortSignal (got ${forged(signal) ? "a forged AbortSignal" : typeOf(signal)})`);
  const outOfRange = limitOutOfRange(maxAttempts, timeoutMs, deadlineMs);
  if (outOfRange) throw invalidOption(name, ...outOfRange);
  return {
    maxAttempts: given(maxAttempts) ? maxAttempts : undefined,
    timeoutMs: given(timeoutMs) ? timeoutMs : undefined,
    deadlineMs: given(deadlineMs) ? deadlineMs : undefined,
    signal: given(signal) ? signal : undefined,
  };
}

/** The wait before attempt `failed + 1`: full jitter, `random × min(cap, base × 2^(failed − 1))`. */
function backoffMs(failed, random) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(Math.max(failed - 1, 0), 30));
  return (Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0) * ceiling;
}

/**
 * The new clock offset from a `Date` header (`undefined` keeps the current one): after a
 * skew error, or when the server's time is more than MAX_CLOCK_SKEW_MS from the clock as
 * corrected now; a `Date` more than MAX_CLOCK_OFFSET_MS from the local clock, or one SigV4
 * cannot express, is ignored.
 */
function clockCorrection(date, localMs, currentOffsetMs, skewError) {
  if (date === null || date === undefined) return undefined;
  const serverMs = Date.parse(date);
  if (!(serverMs >= 0 && serverMs <= LAST_SIGNABLE_MS)) return undefined;
  const offset = serverMs - localMs;
  if (Math.abs(offset) > MAX_CLOCK_OFFSET_MS) return undefined;
  return skewError || Math.abs(offset - currentOffsetMs) > MAX_CLOCK_SKEW_MS ? offset : undefined;
}

/** Per wasm action number: its name, limits and input table, read from the wasm once. */
const actions = [];

function actionOf(wasm, index, method) {
  let action = actions[index];
  if (!action) {
    const text = wasm.action(index);
    const cut = text.indexOf(";");
    const [closesTask, longPoll, defaultTimeoutMs, maxBytes, maxErrorBytes] = text.slice(0, cut).trim().split(" ").map(Number);
    const name = method[0].toUpperCase() + method.slice(1);
    action = { name, target: `SimpleWorkflowService.${name}`, closesTask: closesTask === 1, longPoll: longPoll === 1, defaultTimeoutMs, maxBytes, maxErrorBytes, table: inputTable(text.slice(cut + 1)) };
    actions[index] = action;
  }
  return action;
}

/** `input` read by `action`'s table (read.js `readInput`); throws the validation record `name: …` of a bad one. */
function readActionInput(wasm, action, name, input) {
  const fail = (field, message) => validationRecord(field, wasm.redact(`${name}: ${message}`));
  return readInput(input, "", action.table, fail);
}

/**
 * What every call of one client shares: the wasm, the endpoint, the options' limits
 * (`{ maxAttempts, timeoutMs, deadlineMs }`, checked, unset ones `undefined`), the
 * credentials provider (null for static keys) and the clock offset learnt from answers.
 */
export class Client {
  constructor(wasm, limits, provider) {
    this.wasm = wasm;
    this.url = wasm.endpoint;
    this.limits = limits;
    this.provider = provider;
    /** Server time minus local time (ms), learnt from `Date` headers. */
    this.clockOffsetMs = 0;
  }

  /** Updates the clock offset from a `Date` header; whether it changed. */
  learnClock(date, skewError) {
    const offset = clockCorrection(date, Date.now(), this.clockOffsetMs, skewError);
    if (offset === undefined) return false;
    this.clockOffsetMs = offset;
    return true;
  }

  /**
   * Checks the whole input of the composite `name` (wasm action number `index`, after the
   * actions: the wasm describes and checks it like one) before its first request; throws
   * its validation record. The unsigned body `prepare` returns is not used.
   */
  checkComposite(index, name, input) {
    const wasm = this.wasm;
    wasm.prepare(index, readActionInput(wasm, actionOf(wasm, index, name), name, input), NaN);
  }

  /**
   * Runs wasm action `index` (method name `method`) with `input` and `options`: returns
   * the promise of its answer, which rejects with an error record. Throws the validation
   * record of an invalid input (before any I/O).
   */
  call(index, method, input, options) {
    const wasm = this.wasm;
    const action = actionOf(wasm, index, method);
    const provider = this.provider;
    // Signed at once when the keys are at hand (static, or cached and fresh).
    const signNow = provider === null || provider.fresh(Date.now() + this.clockOffsetMs);
    const values = readActionInput(wasm, action, action.name, input);
    const prepared = wasm.prepare(index, values, signNow ? Date.now() + this.clockOffsetMs : NaN);
    if (provider === null) return this.#attempts(index, action, prepared, signNow, options);
    const ticket = provider.enter();
    return this.#attempts(index, action, prepared, signNow, options).finally(() => provider.leave(ticket));
  }

  async #attempts(index, action, prepared, signed, options) {
    const { wasm, provider } = this;
    const started = Date.now();
    const name = action.name;
    const own = readCallOptions(options, name);
    const { signal } = own;
    const maxAttempts = own.maxAttempts ?? this.limits.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const timeoutMs = (action.longPoll ? own.timeoutMs : (own.timeoutMs ?? this.limits.timeoutMs)) ?? action.defaultTimeoutMs;
    const deadlineMs = own.deadlineMs ?? this.limits.deadlineMs;
    const deadline = deadlineMs > 0 ? started + deadlineMs : Infinity;
    const remaining = () => deadline - Date.now();
    // How long one attempt (credentials, then the request) may wait: its own timeout, or
    // what is left of the deadline if that is shorter (0 = no limit).
    const attemptLimit = () => {
      const left = remaining();
      return left !== Infinity && (timeoutMs === 0 || left < timeoutMs) ? Math.max(left, 1) : timeoutMs;
    };
    const now = () => Date.now() + this.clockOffsetMs;
    // The signed parts of the first attempt (or only the body) from prepare.
    const cut1 = prepared.indexOf("\n");
    const cut2 = prepared.indexOf("\n", cut1 + 1);
    const cut3 = prepared.indexOf("\n", cut2 + 1);
    const body = prepared.slice(cut3 + 1);
    let signature = signed ? prepared.slice(0, cut3 + 1) : undefined;

    let maybeDelivered = false;
    const fail = (record, attempts) => {
      record.attempts = attempts;
      record.possiblyAlreadyClosed = action.closesTask && maybeDelivered && record.kind === "service" && record.code === "UnknownResourceFault";
      return record;
    };
    const redact = (text) => wasm.redact(text);
    const clientError = (kind, errorName, message, retryable) => ({ kind, name: errorName, message: redact(message), retryable });
    const aborted = (attempts) => fail(clientError("abort", "AbortError", `${name} was aborted by its AbortSignal after ${attempts} attempt(s)`, false), attempts);
    const pastDeadline = (attempts) =>
      fail(clientError("timeout", "TimeoutError", `${name} did not finish within its deadline of ${Math.trunc(deadlineMs)} ms (${attempts} attempt(s))`, false), attempts);

    for (let attempt = 1; ; attempt++) {
      const sent = attempt - 1;
      if (signal?.aborted) throw aborted(sent);
      if (remaining() <= 0) throw pastDeadline(sent);
      if (provider !== null && !(attempt === 1 && signature)) {
        try {
          await provider.get(now, attemptLimit(), signal);
        } catch (error) {
          if (signal?.aborted) throw aborted(sent);
          if (remaining() <= 0) throw pastDeadline(sent);
          throw fail(clientError("credentials", "CredentialsError", error?.message ?? "the credentials provider failed", false), sent);
        }
      }
      if (attempt > 1 || !signature) signature = wasm.sign(index, body, now());
      const s1 = signature.indexOf("\n");
      const s2 = signature.indexOf("\n", s1 + 1);
      const headers = {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": action.target,
        "x-amz-date": signature.slice(0, s1),
        authorization: signature.slice(s1 + 1, s2),
      };
      const token = signature.slice(s2 + 1, -1);
      if (token) headers["x-amz-security-token"] = token;

      let error;
      let answer;
      try {
        answer = await post(this.url, headers, body, signal, attemptLimit(), action.maxBytes, action.maxErrorBytes);
      } catch (failed) {
        if (signal?.aborted) throw aborted(attempt);
        maybeDelivered = true; // it may have reached SWF without us seeing the answer
        if (failed?.timedOut) {
          if (remaining() <= 0) throw pastDeadline(attempt);
          error = clientError("timeout", "TimeoutError", `${name}: attempt ${attempt} got no answer within ${Math.trunc(timeoutMs)} ms`, true);
        } else {
          error = clientError("transport", "TransportError", failureMessage(failed ?? {}), true);
        }
      }
      if (answer) {
        if (answer.redirect !== undefined) {
          const message = `${name}: HTTP ${answer.status} redirect to ${answer.redirect} not followed (requests go only to the endpoint)`;
          throw fail(clientError("redirect", "RedirectError", message, false), attempt);
        }
        const { status } = answer;
        if (status >= 200 && status < 300) {
          this.learnClock(answer.date, false);
          try {
            return readAnswer(name, answer.body, action.maxBytes, redact);
          } catch (record) {
            throw fail(record, attempt);
          }
        }
        error = serviceRecord(status, answer.body, answer.requestId, answer.errorType, action.maxErrorBytes, redact);
        const skew = error.clockSkew === true;
        const corrected = this.learnClock(answer.date, skew);
        if (skew && corrected && attempt < maxAttempts) continue; // re-sign at once with the corrected clock
      }
      if (!(attempt < maxAttempts && error?.retryable === true)) throw fail(error, attempt);
      const delay = backoffMs(attempt, Math.random());
      if (delay >= remaining()) throw fail(error, attempt);
      try {
        await sleep(delay, signal);
      } catch {
        throw aborted(attempt);
      }
    }
  }
}
