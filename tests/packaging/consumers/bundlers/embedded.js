// Bundler consumer of the embedded entry (`swf-edge/embedded`): the wasm travels inside the
// JavaScript, so bundlers that emit no wasm asset (esbuild, Rollup, `bun build`) work as is.
// Named imports, as apps write them: with tree shaking, `sideEffects` must keep the entry's
// wasm initialiser (webpack and Rollup drop it from a file listed as side-effect free).
import { SwfClient, SwfError, UnknownResourceFault, ValidationError, init } from "swf-edge/embedded";
import { runInto } from "./flow.js";

runInto({ SwfClient, SwfError, UnknownResourceFault, ValidationError, init }, document.getElementById("result"));
