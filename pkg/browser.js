// Browser and bundler entry: the wasm is fetched on the first init() or call. A failure to
// load it rejects with a WasmLoadError that says what to fix.
import initWasm from "./dist/swf_edge.js";
import { setInitialiser } from "./init.js";
import { WasmLoadError } from "./errors.js";
import { FIX_LOCATION, loadError } from "./load-error.js";

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
