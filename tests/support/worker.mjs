// Packs pkg/ with `npm pack`, installs the tarball into a scratch copy of
// examples/worker, and runs that Worker under workerd with `wrangler dev` (local mode,
// no login). Used by the workerd tests and by `make demo`.
import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUT = join(ROOT, "tests", "out");

/** `npm pack pkg/` into tests/out; returns the tarball's path. */
export function packPackage() {
  mkdirSync(OUT, { recursive: true });
  const stdout = execFileSync("npm", ["pack", join(ROOT, "pkg"), "--pack-destination", OUT, "--json"], {
    encoding: "utf8",
  });
  const [{ filename, files }] = JSON.parse(stdout);
  const names = files.map((f) => f.path);
  for (const needed of ["dist/swf_edge_bg.wasm", "dist/swf_edge.js", "workerd.js", "index.d.ts"]) {
    if (!names.includes(needed)) throw new Error(`packed package lacks ${needed}: ${names.join(", ")}`);
  }
  return join(OUT, filename);
}

/** Copies examples/worker to tests/out/<name> with the packed swf-edge installed. */
export function scratchWorker(name, tarball) {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(ROOT, "examples", "worker"), dir, {
    recursive: true,
    filter: (src) => !/node_modules|\.wrangler|\.dev\.vars/.test(src),
  });
  const pkgJson = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  pkgJson.dependencies["swf-edge"] = `file:${tarball}`;
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkgJson, null, 2));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock"], { cwd: dir, stdio: "pipe" });
  return dir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `wrangler dev` in `dir` with `vars` (plain) and `secrets` (written to .dev.vars).
 * Returns { url, stop(), output() }.
 */
export async function startWorker(dir, { vars = {}, secrets = {} } = {}) {
  writeFileSync(
    join(dir, ".dev.vars"),
    Object.entries(secrets).map(([k, v]) => `${k}=${JSON.stringify(v)}\n`).join(""),
  );
  const port = await freePort();
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort())];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawn(join(ROOT, "node_modules", ".bin", "wrangler"), args, {
    cwd: dir,
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      try {
        process.kill(-child.pid, "SIGTERM"); // wrangler and its workerd
      } catch {
        resolve();
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, 5000).unref();
    });
  process.once("exit", () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      await fetch(url);
      return { url, stop, output: () => log };
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await stop();
  throw new Error(`wrangler dev did not start:\n${log}`);
}
