// Prints the shipped size of the package (wasm + glue + entry) raw, gzip -9 and brotli q11,
// and fails when the brotli total exceeds the budget in size-budget.json.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const files = ["pkg/dist/swf_edge_bg.wasm", "pkg/dist/swf_edge.js", "pkg/core.js", "pkg/init.js", "pkg/workerd.js"];
const budget = JSON.parse(readFileSync("size-budget.json", "utf8"));
const sizes = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const rows = files.map((f) => ({ file: f, ...sizes(readFileSync(f)) }));
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
console.log("| file | raw | gzip -9 | brotli 11 |\n|---|---:|---:|---:|");
for (const r of [...rows, { file: "total (unminified JS)", ...total }]) console.log(`| ${r.file} | ${r.raw} | ${r.gzip} | ${r.brotli} |`);
if (total.brotli > budget.maxBrotliBytes) {
  console.error(`size: brotli total ${total.brotli} B is over the budget of ${budget.maxBrotliBytes} B (size-budget.json)`);
  process.exit(1);
}
console.log(`size: ${total.brotli} B brotli, within the budget of ${budget.maxBrotliBytes} B`);
