// Cloudflare Workers entry: wrangler bundles the .wasm as a compiled module.
import wasmModule from "./dist/swf_edge_bg.wasm";
import { initSync } from "./dist/swf_edge.js";
import { markReady } from "./init.js";

initSync({ module: wasmModule });
markReady();

export * from "./core.js";
