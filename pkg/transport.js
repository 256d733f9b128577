// The platform's own `fetch` (looked up when called, so the same code runs in workerd,
// browsers, Node and Deno), timers and abort signals: what call.js awaits.

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { __proto__: null, once: true });
  });
}

// Per caller signal, its attempts in flight and the one listener that aborts them all:
// a listener per attempt would make Node walk the whole list on every add and remove
// (and warn past 10) when many calls share a signal.
const inFlight = new WeakMap();

/** Makes `outer` abort `controller`; returns the function that stops it. */
function follow(outer, controller) {
  let entry = inFlight.get(outer);
  if (!entry) {
    const attempts = new Set();
    entry = { attempts, onAbort: () => attempts.forEach((c) => c.abort(outer.reason)) };
    inFlight.set(outer, entry);
    outer.addEventListener("abort", entry.onAbort, { __proto__: null, once: true });
  }
  entry.attempts.add(controller);
  return () => {
    entry.attempts.delete(controller);
    if (entry.attempts.size === 0) {
      inFlight.delete(outer);
      outer.removeEventListener("abort", entry.onAbort);
    }
  };
}

/** The origin a redirect pointed to: scheme, host and port only (never a path, query or credential). */
function redirectOrigin(response, url) {
  if (response.type === "opaqueredirect") return "unknown (the browser hides it)";
  // A fetch that followed it anyway (one ignoring redirect: "manual") says where it ended.
  const location = response.redirected ? response.url : response.headers.get("location");
  if (location === null) return "unknown (no Location header)";
  try {
    const origin = new URL(location, url).origin;
    return origin === "null" ? "a location without an origin" : origin.slice(0, 256);
  } catch {
    return "an unparsable location";
  }
}

/**
 * Reads `response`'s body as text, at most `maxBytes` bytes of it: the stream (unless its
 * declared length is within the cap) is read
 * chunk by chunk, counted, decoded as it comes (UTF-8, streaming) and cancelled as soon as
 * the count passes `maxBytes`. Returns the text, or `undefined` when the body is larger.
 */
async function readCapped(response, maxBytes) {
  const stream = response.body;
  if (stream === null) return "";
  // A body whose length is declared, not encoded (so the declared length is the read one)
  // and within the cap is read whole: HTTP framing stops the read at that length. The
  // check after it refuses what a fetch that does not hold to it (a polyfill) returned.
  const length = response.headers.get("content-length");
  if (length !== null && /^\d{1,9}$/.test(length) && +length <= maxBytes && !response.headers.has("content-encoding")) {
    const text = await response.text();
    return text.length > maxBytes ? undefined : text;
  }
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * One attempt: `POST`s `body` to `url` with `fetch` and reads the answer. `headers` is a
 * plain object `{ name: value, … }` (the signed request's).
 * Redirects are never followed (`redirect: "manual"`): a 3xx resolves with `redirect`, the
 * origin it pointed to, and no body. A body is read up to `maxBytes` (2xx) or
 * `maxErrorBytes` (any other status); a longer one is cut off there (`body: null`).
 * Aborts when `outer` does or after `timeoutMs` (0 = never), reading included.
 * Resolves to `{ status, requestId, errorType, date, body, redirect? }`; rejects
 * with `{ context, error, timedOut }`.
 */
export async function post(url, headers, body, outer, timeoutMs, maxBytes, maxErrorBytes) {
  // A signal of its own per attempt, and only when something can abort it: creating one
  // is costly (Node), and fetch leaves a listener on the signal it is given until the
  // request is garbage-collected, which must not pile up on the caller's signal.
  let controller, timer, unfollow;
  let timedOut = false;
  if (outer || timeoutMs > 0) {
    controller = new AbortController();
    if (outer?.aborted) controller.abort(outer.reason);
    else if (outer) unfollow = follow(outer, controller);
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error("attempt timed out"));
      }, timeoutMs);
    }
  }
  let context = "fetch failed";
  try {
    const pending = fetch(url, { method: "POST", headers, body, redirect: "manual", signal: controller?.signal });
    context = "network error";
    const response = await pending;
    if (!(response instanceof Response)) {
      context = "fetch resolved to something that is not a Response";
      throw undefined; // no JavaScript error to describe: the message is the context
    }
    const got = response.headers;
    const status = response.status;
    // The header values answer.js and call.js read, each cut short (a hostile server can send huge ones).
    const header = (name, max) => got.get(name)?.slice(0, max) ?? null;
    const answer = {
      status,
      requestId: header("x-amzn-requestid", 256),
      errorType: header("x-amzn-errortype", 1024),
      date: header("date", 64),
      body: "",
    };
    if (response.redirected || response.type === "opaqueredirect" || (status >= 300 && status < 400)) {
      answer.redirect = redirectOrigin(response, url);
      response.body?.cancel().catch(() => {});
      return answer;
    }
    context = "the connection failed while reading the answer";
    const text = await readCapped(response, status >= 200 && status < 300 ? maxBytes : maxErrorBytes);
    answer.body = text ?? null;
    return answer;
  } catch (error) {
    throw { context, error, timedOut };
  } finally {
    clearTimeout(timer);
    unfollow?.();
  }
}

/** Settles like `promise`, or rejects once `ms` pass (0 = never) or `signal` aborts. */
export function limited(promise, ms, signal) {
  if (!(ms > 0) && !signal) return promise;
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      stop();
      reject(signal.reason);
    };
    const timer =
      ms > 0
        ? setTimeout(() => {
            stop();
            reject(new Error(`no answer within ${ms} ms`));
          }, ms)
        : undefined;
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { __proto__: null, once: true });
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error) => {
        stop();
        reject(error);
      },
    );
  });
}

/** `name: message [code]` of a JavaScript error, or its string form; never throws. */
export function describe(error) {
  const field = (key) => {
    try {
      const value = error?.[key];
      return typeof value === "string" ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const [name, message, code] = [field("name"), field("message"), field("code")];
  if (name !== undefined && message !== undefined) return code === undefined ? `${name}: ${message}` : `${name}: ${message} [${code}]`;
  if (message !== undefined) return message;
  return typeof error === "string" ? error : "unknown error";
}

/**
 * What a failed `post` says: its step (`context`), the JavaScript error's description and
 * its cause's (Node puts `ECONNREFUSED` and the like there).
 */
export function failureMessage({ context, error }) {
  if (error === undefined) return context ?? "network error";
  let message = `${context ?? "network error"}: ${describe(error)}`;
  let cause;
  try {
    cause = error?.cause;
  } catch {}
  if (cause !== null && typeof cause === "object") message += ` (${describe(cause)})`;
  return message;
}
