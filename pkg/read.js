// The one reader of the package's plain arguments (options, configs, task items, a
// credentials provider's answers) and the one `AbortSignal` check, shared by core.js,
// call.js, credentials.js and follow.js. Imports only errors.js.
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

/** The longest string checked: twice SWF's largest limit (32768 characters) in UTF-16 units, so no valid value is refused here; the exact limit of each field (in code points) is the wasm's. */
const MAX_TEXT_UNITS = 2 * 32768;
/** The longest key compared with the field names (longer ones are unknown, not quoted). */
const MAX_KEY_UNITS = 64;

/** A short description of a value's type, as the package's messages give it. */
export function typeOf(value) {
  try {
    if (Array.isArray(value)) return "an array";
  } catch {} // a revoked proxy
  return value === null ? "null" : typeof value;
}

/**
 * What `value` should have been when it is not of `kind` ("string", "number": finite,
 * "count": a whole number from 0 to 2^32 − 1, "boolean"; "any" takes anything), else `false`.
 */
export function unlike(kind, value) {
  return kind === "string" ? typeof value !== "string" && "a string"
    : kind === "number" ? !Number.isFinite(value) && "a finite number"
    : kind === "count" ? !(Number.isInteger(value) && value >= 0 && value <= 2 ** 32 - 1) && "a whole number"
    : kind === "boolean" && typeof value !== "boolean" && "a boolean";
}

/** The name of member `name` of the object at `path` in messages (`taskList.name`; `name` at the top). */
const labelOf = (path, name) => (path ? `${path}.${name}` : name);

/** A lone surrogate (a paired one is one code point, not of category Cs). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Reads `value` by the rules every plain argument is read by (the constructor's options, a
 * provider's answers, each action's input through `readInput`): an object, not an array, whose own
 * enumerable keys are all in `kinds` (`{ name: kind }`); each one present is read once, in
 * the order of `kinds`, and checked: "string" (well-formed, at most MAX_TEXT_UNITS units),
 * "number" (finite), "count" (a whole number from 0 to 2^32 − 1), "boolean" or "any". Returns
 * the values in that order, `undefined` for absent or `null` ones. `path` names the object in
 * messages (empty at the top); `fail(field, message)` makes what is thrown. Messages name
 * fields and types, never a value.
 */
export function readFields(value, path, kinds, fail) {
  const names = Object.keys(kinds);
  const label = (name) => labelOf(path, name);
  const unreadable = (field) => fail(field || undefined, `${field || "the input"} could not be read (a getter or proxy threw)`);
  let array;
  let keys;
  try {
    array = Array.isArray(value);
  } catch {
    throw unreadable(path);
  }
  if (array || value === null || typeof value !== "object") {
    throw fail(path || undefined, `${path || "the input"} must be an object (got ${typeOf(value)})`);
  }
  try {
    keys = Object.keys(value);
  } catch {
    throw unreadable(path);
  }
  for (const key of keys) {
    if (key.length > MAX_KEY_UNITS || !names.includes(key)) {
      // Quoted as the wasm quoted it: lone surrogates replaced, long keys not at all.
      const field = label(key.length > MAX_KEY_UNITS ? "(a long key)" : key.replace(/\p{Cs}/gu, "\ufffd"));
      throw fail(field, `unknown option ${field} (allowed: ${names.join(", ")})`);
    }
  }
  return names.map((name) => {
    const field = label(name);
    if (!keys.includes(name)) return undefined; // absent, whatever the prototype chain holds
    let v;
    try {
      v = value[name];
    } catch {
      throw unreadable(field);
    }
    if (v === undefined || v === null) return undefined;
    const kind = kinds[name];
    const expected = unlike(kind, v);
    if (expected) throw fail(field, `${field} must be ${expected} (got ${typeOf(v)})`);
    if (kind === "string" && v.length > MAX_TEXT_UNITS) throw fail(field, `${field} is far over every SWF limit (32768 characters)`);
    if (kind === "string" && LONE_SURROGATE.test(v)) throw fail(field, `${field} must be well-formed Unicode (it has a lone surrogate)`);
    return v;
  });
}

/** What `readFields` checks for each kind of an input table's member (the rest is readInput's). */
const INPUT_KINDS = { s: "string", i: "number", b: "boolean", t: "any", "{": "any" };

/**
 * An action's input table from the wasm's description of it (src/js/declared.rs
 * `describe`: `domain s,typeFilter{name s,version s}`): `[[name, kind, members?], …]` with
 * `kinds`, its `readFields` kinds.
 */
export function inputTable(text) {
  let at = 0;
  const level = () => {
    const table = [];
    while (at < text.length && text[at] !== "}") {
      const name = /^[A-Za-z]+/.exec(text.slice(at))[0];
      at += name.length;
      if (text[at] === "{") {
        at++;
        table.push([name, "{", level()]);
        at++; // the closing brace
      } else {
        table.push([name, text[at + 1]]);
        at += 2;
      }
      if (text[at] === ",") at++;
    }
    table.kinds = Object.fromEntries(table.map(([name, kind]) => [name, INPUT_KINDS[kind]]));
    return table;
  };
  return level();
}

const getTime = Date.prototype.getTime;
/** The furthest a JavaScript `Date` reaches from 1970, in ms. */
const MAX_DATE_MS = 8.64e15;

/**
 * Reads an action's input by its `table` (`inputTable`) as `readFields` reads options, then
 * checks what the model needs before its limits: whole numbers (`i`, at most 2^53 − 1 either
 * way) and timestamps (`t`: a `Date`, from any realm, or epoch seconds; sent as whole epoch
 * seconds, rounded as SDK v3 rounds a `Date`), each object member read the same way in its
 * turn. Returns what the wasm's `prepare` takes: the values in table order, a nested array
 * per object member, `undefined` for absent ones. The model's own checks (required members,
 * limits, rules) are the wasm's.
 */
export function readInput(value, path, table, fail) {
  const values = readFields(value, path, table.kinds, fail);
  values.forEach((v, i) => {
    const [name, kind, members] = table[i];
    // Strings and booleans are checked in full by readFields (and are most members).
    if (v === undefined || kind === "s" || kind === "b") return;
    const field = labelOf(path, name);
    const wrong = (what) => fail(field, `${field} must be ${what} (got ${typeOf(v)})`);
    if (kind === "i" && !Number.isSafeInteger(v)) throw wrong("a whole number");
    if (kind === "t") values[i] = epochSeconds(v, wrong);
    if (kind === "{") values[i] = readInput(v, field, members, fail);
  });
  return values;
}

/** A `Date`'s or a number of epoch seconds' whole epoch seconds (`Math.round(ms / 1000)`). */
function epochSeconds(value, wrong) {
  let ms;
  let what = "a valid Date";
  try {
    ms = getTime.call(value); // throws for anything but a real Date
  } catch {
    if (typeof value !== "number") throw wrong("a Date or epoch seconds");
    ms = value * 1000;
    what = "finite epoch seconds";
  }
  if (!(Math.abs(ms) <= MAX_DATE_MS)) throw wrong(what);
  return Math.floor(ms / 1000 + 0.5);
}

/** `value`, or `fail(field, "<field> is required")` thrown when it is `undefined`. */
export function required(value, field, fail) {
  if (value === undefined) throw fail(field, `${field} is required`);
  return value;
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
