// swf-edge memory over a long run of calls with a stubbed fetch, in its own process:
//   node --expose-gc bench/lib/memory.mjs <calls>
// Prints one JSON line with samples at 0/25/50/75/100 % of the run.
// pkg/node.js, the unbundled source of the package's Node entry (dist/node.js bundles
// the same modules): the glue module it initialises is the one imported below.
import { SwfClient } from "../../pkg/node.js";
// The same module instance pkg/node.js initialised: once initialised, the glue's initSync()
// returns the wasm exports, memory included.
import { initSync } from "../../pkg/dist/swf_edge.js";
import { CREDENTIALS, INPUT, REGION } from "./clients.mjs";

const calls = Number(process.argv[2]);
let exportsOfWasm;
try {
  exportsOfWasm = initSync();
} catch (e) {
  throw new Error(`could not reach the initialised wasm instance through pkg/dist/swf_edge.js: ${e.message}`);
}
if (!(exportsOfWasm?.memory instanceof WebAssembly.Memory)) throw new Error("the wasm exports have no memory");

const reply = { status: 200, headers: { "content-type": "application/x-amz-json-1.0" } };
let fetched = 0;
globalThis.fetch = () => {
  fetched++;
  return Promise.resolve(new Response("{}", reply));
};

const swf = new SwfClient({ region: REGION, credentials: CREDENTIALS });
const samples = [];
const sample = (done) => {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  samples.push({
    calls: done,
    wasmBytes: exportsOfWasm.memory.buffer.byteLength,
    externrefs: exportsOfWasm.__wbindgen_externrefs?.length ?? null,
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external + m.arrayBuffers,
  });
};
const marks = [0.25, 0.5, 0.75, 1].map((f) => Math.round(calls * f));
sample(0);
const t = performance.now();
for (let i = 1; i <= calls; i++) {
  await swf.respondActivityTaskCanceled(INPUT);
  if (marks.includes(i)) {
    // let FinalizationRegistry callbacks (wasm-bindgen closures) run before measuring
    await new Promise((r) => setImmediate(r));
    sample(i);
  }
}
const elapsedMs = performance.now() - t;
if (fetched !== calls) throw new Error(`fetch stub saw ${fetched} calls, expected ${calls}`);
console.log(JSON.stringify({ calls, elapsedMs, gc: typeof globalThis.gc === "function", samples }));
