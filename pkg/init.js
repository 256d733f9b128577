// When the wasm is ready: node.js and workerd.js instantiate it synchronously at import;
// browser.js instantiates it on the first init() (explicit, or implied by a call).
const runtime = { ready: false, promise: null, start: null };

/** Called by an entry once the wasm is instantiated. */
export function markReady() {
  runtime.ready = true;
  runtime.promise = Promise.resolve();
}

/** Called by an entry that instantiates the wasm asynchronously, on demand. */
export function setInitialiser(start) {
  runtime.start = start;
}

/** Whether the wasm is instantiated. */
export function isReady() {
  return runtime.ready;
}

/**
 * Loads the WebAssembly module. Optional: every call waits for it. In browsers, calling it
 * first makes `new SwfClient()` validate its options synchronously, and lets you pass your
 * own `.wasm` URL, `Response`, bytes or `WebAssembly.Module`.
 */
export function init(moduleOrPath) {
  if (!runtime.promise) {
    const loading = runtime.start(moduleOrPath).then(() => {
      runtime.ready = true;
    });
    runtime.promise = loading;
    // A failed load may be retried (e.g. with init(url) once the cause is fixed).
    loading.catch(() => {
      if (runtime.promise === loading) runtime.promise = null;
    });
  }
  return runtime.promise;
}
