// The few JavaScript helpers the wasm side awaits: timers and abort signals, written to
// work alike in workerd, browsers, Node and Deno. Imported by src/transport.rs.

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
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * One attempt's signal: aborts when the caller's `outer` signal does, or after
 * `timeoutMs` (0 = never). Call `done()` when the attempt is over.
 */
export class AttemptSignal {
  constructor(outer, timeoutMs) {
    const controller = new AbortController();
    this.signal = controller.signal;
    this.timedOut = false;
    this.onAbort = () => controller.abort(outer.reason);
    this.outer = outer;
    if (outer?.aborted) controller.abort(outer.reason);
    else outer?.addEventListener("abort", this.onAbort, { once: true });
    this.timer =
      timeoutMs > 0
        ? setTimeout(() => {
            this.timedOut = true;
            controller.abort(new Error("attempt timed out"));
          }, timeoutMs)
        : undefined;
  }

  done() {
    clearTimeout(this.timer);
    this.outer?.removeEventListener("abort", this.onAbort);
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
    signal?.addEventListener("abort", onAbort, { once: true });
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
