// Pure helpers of the dashboard (no DOM, no network): parsing task lists, shortening and
// redacting tokens, counting characters the way SWF does, describing errors.

/** SWF's limits, counted in Unicode code points. */
export const MAX_TOKEN_LENGTH = 1024;
export const MAX_CANCEL_DETAILS = 32768;

/** Number of Unicode code points (what SWF counts), not UTF-16 units. */
export function codePoints(text) {
  let n = 0;
  for (const _ of String(text)) n++;
  return n;
}

/**
 * A token as the page shows it: the first 8 and last 6 characters. Short strings (which
 * cannot be real task tokens) are shown as they are.
 */
export function shortToken(token) {
  const chars = Array.from(String(token));
  if (chars.length <= 16) return chars.join("");
  return `${chars.slice(0, 8).join("")}…${chars.slice(-6).join("")}`;
}

/** Replaces every occurrence of `token` in `text` by its short form (SWF messages may quote it). */
export function redactToken(text, token) {
  if (typeof text !== "string" || !token || Array.from(token).length <= 16) return text;
  return text.split(token).join(shortToken(token));
}

/** One token per line; blank lines and surrounding spaces are ignored. */
export function parseTokenLines(text) {
  return String(text)
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((taskToken) => ({ taskToken, label: "" }));
}

/**
 * A JSON export of tasks: `[{ taskToken, label? }]` (strings are accepted as bare tokens,
 * and `{ tasks: [...] }` as a wrapper). Throws an Error with an operator-readable message.
 */
export function parseTaskFile(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`The file is not valid JSON (${error.message}).`);
  }
  if (data && !Array.isArray(data) && Array.isArray(data.tasks)) data = data.tasks;
  if (!Array.isArray(data)) throw new Error("The file must hold a JSON array of { taskToken, label? } objects.");
  return data.map((item, i) => {
    if (typeof item === "string") return { taskToken: item.trim(), label: "" };
    if (!item || typeof item !== "object" || typeof item.taskToken !== "string") {
      throw new Error(`Item ${i + 1} has no taskToken string.`);
    }
    const label = item.label === undefined || item.label === null ? "" : String(item.label);
    return { taskToken: item.taskToken.trim(), label: label.slice(0, 200) };
  });
}

/**
 * Merges new tasks into a list, skipping empty tokens and tokens already present.
 * Returns { added, duplicates, empty }.
 */
export function mergeTasks(existing, incoming) {
  const seen = new Set(existing.map((t) => t.taskToken));
  const added = [];
  let duplicates = 0;
  let empty = 0;
  for (const task of incoming) {
    if (!task.taskToken) {
      empty++;
      continue;
    }
    if (seen.has(task.taskToken)) {
      duplicates++;
      continue;
    }
    seen.add(task.taskToken);
    added.push(task);
  }
  return { added, duplicates, empty };
}

/** A plain record of an error (SwfError, a Worker's error object, or anything thrown). */
export function describeError(error, token) {
  if (error === null || typeof error !== "object") {
    return { name: "Error", message: redactToken(String(error), token) };
  }
  const record = {
    name: typeof error.name === "string" && error.name ? error.name : "Error",
    message: redactToken(typeof error.message === "string" ? error.message : String(error.message ?? ""), token),
  };
  if (error.statusCode !== undefined && error.statusCode !== null) record.statusCode = Number(error.statusCode);
  if (typeof error.requestId === "string" && error.requestId) record.requestId = error.requestId;
  if (typeof error.retryable === "boolean") record.retryable = error.retryable;
  return record;
}

/** Whether an error means "SWF does not know this task (any more)". */
export function isClosedOrUnknown(error) {
  return error?.name === "UnknownResourceFault";
}

/**
 * Checks a Worker URL: https, or http on a loopback host; no user:pass@, query or fragment.
 * Returns the base URL (ending in "/") to resolve `tasks/check` against.
 */
export function workerBase(text) {
  let url;
  try {
    url = new URL(String(text).trim());
  } catch {
    throw new Error("The Worker URL is not a valid URL (e.g. https://swf-edge-example.example.workers.dev).");
  }
  // The library's rule: only where traffic cannot leave the machine (the name localhost,
  // a literal 127.x.y.z, [::1]); not 127.0.0.1.nip.io, 127.evil.example or *.localhost.
  // Judged on the host as typed: `new URL` would turn shorthands such as 127.1 into
  // 127.0.0.1, which the library refuses.
  const typed = /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i.exec(String(text).trim())?.[1] ?? "";
  const host = typed.replace(/^.*@/, "").replace(/:\d*$/, "").toLowerCase();
  const loopback = ["localhost", "[::1]"].includes(host) || /^127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new Error("The Worker URL must use https:// (http:// only for localhost / 127.0.0.1).");
  }
  if (url.username || url.password) throw new Error("The Worker URL must not contain a user name or password.");
  if (url.search || url.hash) throw new Error("The Worker URL must not have a query or fragment.");
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}
