// The crash soak's deterministic case through swf-edge's own call path:
//   node bench/soak-path.mjs [calls]      (default 20,000; stubbed fetch, nothing is sent)
// A hot loop of failing calls lets TurboFan optimize SwfClient's #run with the closure,
// WasmClient.prototype.call and the JS-to-wasm call of `wasmclient_call` inlined. Then,
// during one call, an input getter (run by the wasm while it reads the input) adds a
// property to WasmClient.prototype: #run's optimized code depended on that prototype's
// map, so it is deoptimized lazily while `wasmclient_call` is on the stack. When that export
// returns one externref (the Promise), Node 20/22's V8 dies in
// Deoptimizer::DoComputeBuiltinContinuation ("unreachable code", SIGTRAP, exit 133).
// Prints "ok" and exits 0 when the runtime survives. See bench/soak-findings.md.
// pkg/node.js (the unbundled Node entry) initialises the same glue module imported here.
import { SwfClient, UnknownResourceFault } from "../pkg/node.js";
import { WasmClient } from "../pkg/dist/swf_edge.js";

const calls = Number(process.argv[2] ?? 20_000);
const FAULT = JSON.stringify({ __type: "com.amazonaws.swf.base.model#UnknownResourceFault", message: "Unknown activity task" });
globalThis.fetch = async () => new Response(FAULT, { status: 400, headers: { "content-type": "application/x-amz-json-1.0" } });

const swf = new SwfClient({
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDSOAKEXAMPLE00000", secretAccessKey: "soak/SECRET+key0123456789abcdefEXAMPLE" },
  maxAttempts: 1,
});
let arm = false;
const input = {
  get taskToken() {
    if (arm) {
      arm = false;
      WasmClient.prototype.addedDuringCall = true; // a map change the optimized caller depends on
    }
    return "soak-task-token-0123456789";
  },
};
const expectFault = async () => {
  try {
    await swf.respondActivityTaskCanceled(input);
  } catch (error) {
    if (error instanceof UnknownResourceFault) return;
    throw error;
  }
  throw new Error("the call resolved; the stub answers UnknownResourceFault");
};
for (let i = 0; i < calls; i++) await expectFault();
arm = true;
await expectFault();
if (arm) throw new Error("the input getter was not read during the armed call");
console.log("ok");
