// Browser and bundler entry: the wasm is fetched on the first init() or call. A failure to
// load it rejects with a WasmLoadError that says what to fix.
import initWasm from "./dist/swf_edge.js";
import { setInitialiser } from "./init.js";
import { WasmLoadError } from "./core.js";

const FIX_LOCATION =
  'serve dist/swf_edge_bg.wasm from the package next to browser.js, or pass its location: init(new URL("/assets/swf_edge_bg.wasm", location.href))';

/** Why loading failed, as a WasmLoadError saying what to fix. */
function loadError(error, where, contentType) {
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

setInitialiser(async (moduleOrPath) => {
  const source = moduleOrPath ?? new URL("./dist/swf_edge_bg.wasm", import.meta.url);
  const where = typeof source === "string" || source instanceof URL ? String(source) : "the given module";
  let input = source;
  let contentType;
  if (typeof source === "string" || source instanceof URL) {
    try {
      input = await fetch(source);
    } catch (error) {
      throw loadError(error, where);
    }
    if (!input.ok) {
      throw new WasmLoadError({
        name: "WasmLoadError",
        message: `swf-edge could not load its WebAssembly: ${where} answered HTTP ${input.status}: ${FIX_LOCATION}`,
      });
    }
    contentType = input.headers.get("content-type") ?? undefined;
  }
  try {
    await initWasm({ module_or_path: input });
  } catch (error) {
    throw loadError(error, where, contentType);
  }
});

export * from "./core.js";
