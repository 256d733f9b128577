// The Vite app's entry: the bare specifier resolves through the package's `exports`
// (the `browser` condition) and Vite has to emit the .wasm that browser.js points at.
import * as swfEdge from "swf-edge";
import { runInto } from "./flow.js";

runInto(swfEdge, document.getElementById("result"));
