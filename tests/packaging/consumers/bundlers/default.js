// Bundler consumer of the default entry (`swf-edge`, the `browser` condition): the bundler
// has to emit the .wasm that browser.js points at with new URL(…, import.meta.url).
// Named imports, as apps write them: with tree shaking, `sideEffects` must keep the entry's
// wasm initialiser (webpack and Rollup drop it from a file listed as side-effect free).
import { SwfClient, SwfError, UnknownResourceFault, ValidationError, init } from "swf-edge";
import { runInto } from "./flow.js";

runInto({ SwfClient, SwfError, UnknownResourceFault, ValidationError, init }, document.getElementById("result"));
