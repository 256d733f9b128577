// Why the WebAssembly could not be loaded, as a WasmLoadError whose message says what to fix:
// shared by the entries that load it on demand (browser.js, embedded.js).
import { WasmLoadError } from "./errors.js";

/** What to do when the .wasm is not where the entry looks for it. */
export const FIX_LOCATION =
  'serve dist/swf_edge_bg.wasm from the package next to browser.js, or pass its location: init(new URL("/assets/swf_edge_bg.wasm", location.href))';

/** Why loading failed, as a WasmLoadError saying what to fix (`where`: what was loaded). */
export function loadError(error, where, contentType) {
  const text = (() => {
    try {
      return `${error?.name ?? "Error"}: ${error?.message ?? String(error)}`;
    } catch {
      return "an error that cannot be described";
    }
  })();
  let advice;
  if (/Content Security Policy|unsafe-eval|wasm-eval/i.test(text) || error?.name === "EvalError") {
    advice = "the page's Content Security Policy forbids compiling WebAssembly: allow it with 'wasm-unsafe-eval' in script-src";
  } else if (error?.name === "CompileError" || error?.name === "LinkError") {
    const served = contentType ? ` (it was served as ${contentType})` : "";
    advice = `the file at ${where} is not swf-edge's WebAssembly${served}: check that the URL serves dist/swf_edge_bg.wasm itself with Content-Type application/wasm (not an HTML fallback page), from the same build as dist/swf_edge.js`;
  } else {
    advice = `the WebAssembly could not be fetched from ${where}: ${FIX_LOCATION}`;
  }
  return new WasmLoadError({ name: "WasmLoadError", message: `swf-edge could not load its WebAssembly: ${advice} (${text})`, cause: error });
}
