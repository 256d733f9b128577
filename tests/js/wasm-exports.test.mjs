// Guards against the V8 bug the crash soak found (bench/soak-findings.md): on Node 20 and
// 22, a wasm export whose only result is one externref, once TurboFan inlined a call to it,
// kills the process when that caller is deoptimized lazily during the call. The shipped wasm
// must have no such export (built without the multivalue feature, scripts/build.sh, every
// export returns its results through memory and so nothing at all); the checker itself must
// flag the shape, shown on the minimal module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deoptWasmBytes } from "../../bench/lib/deopt-wasm.mjs";

const CHECKER = new URL("../../bench/soak-exports.mjs", import.meta.url).pathname;

test("no export of the shipped wasm returns exactly one externref", () => {
  const listing = execFileSync(process.execPath, [CHECKER], { encoding: "utf8" });
  assert.match(listing, /\(/, "the checker listed the exports");
});

test("the checker flags a module whose export returns one externref, and passes (externref, i32) and i32", () => {
  const dir = mkdtempSync(join(tmpdir(), "swf-edge-exports-"));
  try {
    for (const [kind, status] of [["externref", 1], ["externref-pair", 0], ["i32", 0]]) {
      const file = join(dir, `${kind}.wasm`);
      writeFileSync(file, deoptWasmBytes(kind));
      const run = spawnSync(process.execPath, [CHECKER, file], { encoding: "utf8" });
      assert.equal(run.status, status, `${kind}: ${run.stdout}${run.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
