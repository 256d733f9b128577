// The crash soak's minimal case, no swf-edge and no flags needed:
//   node bench/soak-min.mjs [externref|i32|externref-pair]
// Prints "ok" and exits 0 on a runtime without the bug; Node 20.20.2 and 22.23.3 die in
// V8's Deoptimizer::DoComputeBuiltinContinuation ("Fatal error … unreachable code",
// SIGTRAP, exit 133) for externref; i32 and externref-pair (two results: not inlined) are
// the controls. See bench/soak-findings.md.
import { deoptWasmBytes, runDeoptCase } from "./lib/deopt-wasm.mjs";

const kind = process.argv[2] ?? "externref"; // externref | i32 | externref-pair
const module = new WebAssembly.Module(deoptWasmBytes(kind));
console.log(runDeoptCase((imports) => new WebAssembly.Instance(module, imports), kind));
