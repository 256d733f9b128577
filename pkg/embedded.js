// Entry with the wasm embedded in the JavaScript (`swf-edge/embedded`), for bundlers that do not
// emit `new URL("./x.wasm", import.meta.url)` assets (esbuild, Rollup, `bun build`) and for
// single-file bundles: nothing to fetch, no asset to copy. The wasm is instantiated
// synchronously at import; where a platform refuses that (a browser limiting synchronous
// compiles on its main thread), on the first init() or call instead, like browser.js.
import initWasm, { initSync } from "./dist/swf_edge.js";
import wasmText from "./dist/wasm_inline.js";
import { markReady, setInitialiser } from "./init.js";
import { loadError } from "./load-error.js";

// dist/wasm_inline.js holds one character (U+0000–U+00FF) per byte of the wasm.
const bytes = new Uint8Array(wasmText.length);
for (let i = 0; i < wasmText.length; i++) bytes[i] = wasmText.charCodeAt(i);

setInitialiser(async (moduleOrPath) => {
  try {
    await initWasm({ module_or_path: moduleOrPath ?? bytes });
  } catch (error) {
    throw loadError(error, moduleOrPath === undefined ? "the embedded module" : "the given module");
  }
});
try {
  initSync({ module: bytes });
  markReady();
} catch {
  // Not allowed synchronously here: init() (explicit, or implied by the first call) loads it.
}

export * from "./core.js";
