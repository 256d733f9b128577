// Prints the shipped size of the package raw, gzip -9 and brotli q11: the wasm, and the
// JavaScript of the Workers entry (pkg/workerd.js and everything it imports: the glue,
// core.js and its modules, follow.js, history.js) bundled and minified by esbuild, as a
// Worker ships it with every export kept. Each module unminified is listed too (for
// comparison only). Fails when wasm + bundle brotli exceeds the budget in size-budget.json.
//   node scripts/size.mjs            the budget check (make test)
//   node scripts/size.mjs --bundles  also what users ship: bench/entries' one-cancel-call and
//                                    operator Workers bundled by esbuild (minified), JS + wasm,
//                                    for browsers and workerd, as bench section 1 measures them
import { mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { build } from "esbuild";

const budget = JSON.parse(readFileSync("size-budget.json", "utf8"));
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length;
const sizes = (bytes) => ({ raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotli(bytes) });
const bundled = await build({
  entryPoints: ["pkg/workerd.js"],
  bundle: true,
  minify: true,
  format: "esm",
  write: false,
  outdir: "build/size",
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  loader: { ".wasm": "copy" },
  logLevel: "silent",
});
const js = bundled.outputFiles.find((f) => f.path.endsWith(".js")).contents;
const shipped = [
  { file: "pkg/dist/swf_edge_bg.wasm", ...sizes(readFileSync("pkg/dist/swf_edge_bg.wasm")) },
  { file: "pkg/workerd.js bundled (esbuild, minified)", ...sizes(js) },
];
const total = shipped.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const modules = ["dist/swf_edge.js", "core.js", "call.js", "answer.js", "credentials.js", "errors.js", "read.js", "transport.js", "init.js", "workerd.js", "follow.js", "history.js"];
console.log("| file | raw | gzip -9 | brotli 11 |\n|---|---:|---:|---:|");
for (const r of [...shipped, { file: "**shipped total**", ...total }]) console.log(`| ${r.file} | ${r.raw} | ${r.gzip} | ${r.brotli} |`);
for (const m of modules) console.log(`| (unminified) pkg/${m} | ${Object.values(sizes(readFileSync(`pkg/${m}`))).join(" | ")} |`);
if (process.argv.includes("--bundles")) await bundles();

if (total.brotli > budget.maxBrotliBytes) {
  console.error(`size: brotli total ${total.brotli} B is over the budget of ${budget.maxBrotliBytes} B (size-budget.json)`);
  process.exit(1);
}
console.log(`size: ${total.brotli} B brotli, within the budget of ${budget.maxBrotliBytes} B`);

/** bench/entries' swf-edge Workers bundled as bench/bench.mjs section 1 bundles them. */
async function bundles() {
  // "swf-edge" resolves to this checkout's pkg/ through a node_modules-like folder.
  const modules = "build/size-modules";
  rmSync(modules, { recursive: true, force: true });
  mkdirSync(modules, { recursive: true });
  symlinkSync(`${process.cwd()}/pkg`, `${modules}/swf-edge`, "dir");
  const targets = { browser: ["browser"], workerd: ["workerd", "worker", "browser"] };
  const wasm = sizes(readFileSync("pkg/dist/swf_edge_bg.wasm"));
  console.log("\n| bundle (esbuild, minified) | JS raw | JS brotli 11 | wasm raw | wasm brotli 11 | total brotli 11 |\n|---|---:|---:|---:|---:|---:|");
  for (const entry of ["swf-edge", "swf-edge-operator"]) {
    for (const [target, conditions] of Object.entries(targets)) {
      const result = await build({
        entryPoints: [`bench/entries/${entry}.mjs`],
        bundle: true,
        minify: true,
        format: "esm",
        write: false,
        outdir: "build/size-out",
        loader: { ".wasm": "copy" },
        external: ["node:*"],
        nodePaths: [modules],
        logLevel: "silent",
        platform: "browser",
        conditions,
      });
      const js = Buffer.concat(result.outputFiles.filter((f) => /\.m?js$/.test(f.path)).map((f) => Buffer.from(f.contents)));
      const s = sizes(js);
      console.log(`| ${entry} ${target} | ${s.raw} | ${s.brotli} | ${wasm.raw} | ${wasm.brotli} | ${s.brotli + wasm.brotli} |`);
    }
  }
  rmSync(modules, { recursive: true, force: true });
}
