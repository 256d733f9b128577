// Node entry: instantiates the wasm synchronously at import (no top-level await, so
// `require("swf-edge")` works too on Node >= 20.19). The package ships it bundled into one
// module, dist/node.js (scripts/bundle-node.mjs), which loads faster; this is its source.
import { readFileSync } from "node:fs";
import { initSync } from "./dist/swf_edge.js";
import { markReady } from "./init.js";

initSync({ module: readFileSync(new URL("./dist/swf_edge_bg.wasm", import.meta.url)) });
markReady();

export * from "./core.js";
