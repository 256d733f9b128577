// Node entry: instantiates the wasm synchronously at import (no top-level await, so
// `require("swf-edge")` works too on Node >= 20.19). The package ships it bundled into one
// module, dist/node.js (scripts/bundle-node.mjs), which loads faster; this is its source.
// `fs` comes from process.getBuiltinModule (Node >= 20.16): an ESM `import` of node:fs
// costs ~1 ms of every cold start.
import { initSync } from "./dist/swf_edge.js";
import { markReady } from "./init.js";

if (typeof process.getBuiltinModule !== "function") {
  throw new Error(`swf-edge needs Node >= 20.16 (process.getBuiltinModule); this is ${process.version}`);
}
const { readFileSync } = process.getBuiltinModule("fs");
initSync({ module: readFileSync(new URL("./dist/swf_edge_bg.wasm", import.meta.url)) });
markReady();

export * from "./core.js";
