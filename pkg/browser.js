// Browser and bundler entry: the wasm is fetched on the first init() or call.
import initWasm from "./dist/swf_edge.js";
import { setInitialiser } from "./init.js";

setInitialiser((moduleOrPath) =>
  initWasm({ module_or_path: moduleOrPath ?? new URL("./dist/swf_edge_bg.wasm", import.meta.url) }),
);

export * from "./core.js";
