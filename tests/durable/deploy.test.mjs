// The example as a user deploys it: the packed package installed from its tarball, then
// `wrangler deploy --dry-run` reads wrangler.toml (Durable Object binding, SQLite migration,
// Cron) and bundles it. swf-edge/worker reaches the client through the package's own name,
// so the bundle must hold one copy of the client and one .wasm.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packPackage } from "../support/worker.mjs";
import { OUT } from "./support.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

test("examples/durable-worker deploys from the packed package: bindings, migration and Cron read; one client, one wasm", { timeout: 240_000 }, () => {
  const tarball = packPackage();
  const base = join(OUT, `deploy-${process.pid}`);
  rmSync(base, { recursive: true, force: true });
  const dir = join(base, "examples", "durable-worker");
  cpSync(join(ROOT, "examples", "durable-worker"), dir, { recursive: true, filter: (src) => !/node_modules|\.wrangler|\.dev\.vars/.test(src) });
  cpSync(join(ROOT, "examples", "worker", "src"), join(base, "examples", "worker", "src"), { recursive: true }); // its http.js
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  manifest.dependencies["swf-edge"] = `file:${tarball}`;
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock"], { cwd: dir, stdio: "pipe" });
  const outdir = join(base, "out");
  mkdirSync(outdir, { recursive: true });
  const output = execFileSync(join(ROOT, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
  });
  assert.match(output, /env\.ACTIVITY_WORKER \(ActivityWorker\)\s+Durable Object/);
  const files = readdirSync(outdir);
  assert.equal(files.filter((f) => f.endsWith(".wasm")).length, 1, files.join(", "));
  const bundle = readFileSync(join(outdir, "index.js"), "utf8");
  assert.equal(bundle.split("cancelIfRequested input").length - 1, 1, "one copy of the client");
  assert.ok(bundle.includes("CREATE TABLE IF NOT EXISTS swf_tasks"), "the worker's registry is in the bundle");
  rmSync(base, { recursive: true, force: true });
});
