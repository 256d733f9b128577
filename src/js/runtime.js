// The few JavaScript helpers the wasm side awaits: the request, timers and abort signals,
// written to work alike in workerd, browsers, Node and Deno. Imported by src/transport.rs.

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

/**
 * One attempt: `POST`s `body` to `url` with `fetch` and reads the whole answer, so the
 * wasm side awaits one promise and reads one small object instead of crossing into
 * JavaScript for every header and step. `headers` is a JSON object `{ name: value, … }`.
 * Aborts when `outer` does or after `timeoutMs` (0 = never).
 * Resolves to `{ status, requestId, errorType, date, body }`; rejects with
 * `{ context, error, timedOut }`.
 */
export async function post(url, headers, body, outer, timeoutMs, maxBytes) {
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
  let context = "could not create request headers";
  try {
    const init = new Headers();
    for (const [name, value] of Object.entries(JSON.parse(headers))) {
      context = `could not set the ${name} header`;
      init.append(name, value);
    }
    context = "fetch failed";
    const pending = fetch(url, { method: "POST", headers: init, body, signal: controller?.signal });
    context = "network error";
    const response = await pending;
    if (!(response instanceof Response)) {
      context = "fetch resolved to something that is not a Response";
      throw undefined; // no JavaScript error to describe: the message is the context
    }
    context = "could not read the answer";
    const text = response.text();
    context = "the connection failed while reading the answer";
    const answer = await text;
    const got = response.headers;
    return {
      status: response.status,
      requestId: got.get("x-amzn-requestid"),
      errorType: got.get("x-amzn-errortype"),
      date: got.get("date"),
      body: answer,
    };
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
