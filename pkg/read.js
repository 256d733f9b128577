// The one reader of the package's plain arguments (options, configs, task items) and the
// one `AbortSignal` check, shared by core.js and follow.js. Imports only errors.js.
import { invalid, SwfError } from "./errors.js";

/**
 * Copies an options object's own keys (`allowed`, or any when null), each getter read
 * once, into a prototype-less object (so defaults never read a polluted prototype).
 * `undefined`/`null` is an empty object unless `required`. Unknown keys, non-objects,
 * throwing getters or proxies are `ValidationError`s whose messages start with `what`.
 */
export function readOptions(value, what, allowed, required = false) {
  if ((value === undefined || value === null) && !required) return Object.create(null);
  if (value === null || typeof value !== "object") throw invalid(undefined, `${what} must be an object`);
  const copy = Object.create(null);
  try {
    for (const key of Object.keys(value)) {
      if (allowed && !allowed.includes(key)) {
        throw invalid(key, `${what}: unknown option ${key} (allowed: ${allowed.join(", ")})`);
      }
      copy[key] = value[key];
    }
  } catch (error) {
    if (error instanceof SwfError) throw error;
    throw invalid(undefined, `${what} could not be read (a getter or proxy threw)`);
  }
  return copy;
}

/** A copy of an array argument's own elements (a throwing proxy is a `ValidationError`). */
export function readArray(value, field, message) {
  try {
    if (Array.isArray(value)) {
      return Array.from({ length: value.length }, (_, i) => (Object.hasOwn(value, i) ? value[i] : undefined));
    }
  } catch {
    // fall through
  }
  throw invalid(field, message);
}

/**
 * `AbortSignal.prototype`'s own `aborted` getter: it checks that it is called on a real
 * signal (from any realm), so a forged
 * `Object.create(AbortSignal.prototype, { aborted: { value: false } })` is refused.
 */
const abortedGetter = Object.getOwnPropertyDescriptor(globalThis.AbortSignal?.prototype ?? {}, "aborted")?.get;

/** Whether `value` is a real `AbortSignal` (aborted or not). Never throws. */
export function isSignal(value) {
  try {
    return typeof abortedGetter.call(value) === "boolean";
  } catch {
    return false;
  }
}

/** Checks an optional `signal` (see `isSignal`); `what` starts the message. */
export function checkSignal(signal, what) {
  if (signal !== undefined && !isSignal(signal)) throw invalid("signal", `${what}: signal must be an AbortSignal`);
}
