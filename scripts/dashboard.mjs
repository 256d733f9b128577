// `node scripts/dashboard.mjs` (or scripts/dashboard.sh): the operator dashboard (www/) on
// this machine, against a local SWF, no AWS account needed.
//
//   1. starts the local SWF (moto + tests/swf_local) on loopback;
//   2. packs swf-edge (npm pack pkg/) and serves www/ plus the packed files at
//      /vendor/swf-edge/ with node:http (correct MIME types, application/wasm included);
//   3. with --worker, starts the example Worker (examples/worker, packed package, wrangler
//      dev) holding the AWS credentials and a random dashboard token;
//   4. prepares demo tasks (some with cancel requested, one closed) and prints the URL and
//      the tokens to paste (also written to a JSON file the page can load);
//   5. for the executions view: starts a decider (tests/swf_local/decider.py, honouring
//      cancel requests), an activity worker (swf-edge's runActivity: works until SWF asks
//      it to cancel) and a few workflow executions in domain swf-edge-dashboard;
//   6. with --durable, starts the durable activity worker (examples/durable-worker, packed
//      package, wrangler dev, 2 shards, a random dashboard token) for the Activity workers
//      view, with a decider and a few workflows whose sleep activities it runs;
//   7. runs until Ctrl-C, then stops everything it started.
//
// Options: --port N (default 8790; 0 = any free port), --worker, --durable, --count N
// (default 6), --cancel-requested K (default 2), --executions N (default 3). The module also exports
// the pieces the browser tests use (preparePackage, startDashboardServer).
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WWW = join(ROOT, "www");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/**
 * Packs pkg/ with `npm pack` into a fresh temporary directory and unpacks it: the same files
 * an `npm install swf-edge` would give. Returns { dir (the unpacked package), tarball, cleanup() }.
 */
export function preparePackage() {
  const work = mkdtempSync(join(tmpdir(), "swf-edge-dashboard-"));
  const stdout = execFileSync("npm", ["pack", join(ROOT, "pkg"), "--pack-destination", work, "--json"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [{ filename }] = JSON.parse(stdout);
  const tarball = join(work, filename);
  execFileSync("tar", ["-xzf", tarball, "-C", work]);
  const dir = join(work, "package");
  for (const needed of ["browser.js", "core.js", "dist/swf_edge.js", "dist/swf_edge_bg.wasm"]) {
    if (!existsSync(join(dir, needed))) throw new Error(`the packed package lacks ${needed}`);
  }
  return { dir, tarball, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

/** Resolves a URL path inside `base`, or null if it escapes it or names a dotfile. */
function inside(base, urlPath) {
  const target = normalize(join(base, urlPath));
  const rel = relative(base, target);
  if (rel.startsWith("..") || rel.split(sep).some((part) => part.startsWith("."))) return null;
  return target;
}

/**
 * Serves `www/` at `/` and the unpacked package at `/vendor/swf-edge/` on loopback.
 * GET/HEAD only; no directory listings; `Cache-Control: no-store`. Returns { url, stop() }.
 */
export function startDashboardServer({ packageDir, port = 0, host = "127.0.0.1", wwwDir = WWW } = {}) {
  const server = createServer((req, res) => {
    const headers = {
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      "content-security-policy": "frame-ancestors 'none'",
      "cross-origin-opener-policy": "same-origin",
    };
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...headers, allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      return res.end("method not allowed\n");
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      res.writeHead(400, { ...headers, "content-type": "text/plain; charset=utf-8" });
      return res.end("bad request\n");
    }
    let file = null;
    if (path.includes("\0")) file = null;
    else if (path.startsWith("/vendor/swf-edge/")) file = inside(packageDir, path.slice("/vendor/swf-edge/".length));
    else file = inside(wwwDir, path.endsWith("/") ? `${path}index.html` : path);
    let stat;
    try {
      stat = file && statSync(file);
    } catch {
      stat = null;
    }
    if (!stat || !stat.isFile()) {
      res.writeHead(404, { ...headers, "content-type": "text/plain; charset=utf-8" });
      return res.end("not found\n");
    }
    res.writeHead(200, {
      ...headers,
      "content-type": MIME[extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": stat.size,
    });
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const { port: actual } = server.address();
      resolve({
        url: `http://${host}:${actual}`,
        stop: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

function parseArgs(argv) {
  const options = { port: 8790, worker: false, durable: false, count: 6, cancelRequested: 2, executions: 3 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${arg} needs a whole number`);
      return v;
    };
    if (arg === "--port") options.port = value();
    else if (arg === "--worker") options.worker = true;
    else if (arg === "--durable") options.durable = true;
    else if (arg === "--count") options.count = Math.max(1, value());
    else if (arg === "--cancel-requested") options.cancelRequested = value();
    else if (arg === "--executions") options.executions = value();
    else if (arg === "--help" || arg === "-h") {
      console.log("usage: node scripts/dashboard.mjs [--port N] [--worker] [--durable] [--count N] [--cancel-requested K] [--executions N]");
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (see --help)`);
  }
  options.cancelRequested = Math.min(options.cancelRequested, options.count);
  return options;
}

async function listen(packageDir, port) {
  try {
    return await startDashboardServer({ packageDir, port });
  } catch (error) {
    if (error.code !== "EADDRINUSE" || port === 0) throw error;
    console.log(`    port ${port} is taken; using a free one`);
    return startDashboardServer({ packageDir, port: 0 });
  }
}

/** The domain of the executions view's demo. */
const DEMO_DOMAIN = "swf-edge-dashboard";

/**
 * A decider honouring cancel requests, an activity worker in this process (runActivity:
 * works until SWF asks it to cancel, then cleans up) and `count` workflow executions, one
 * activity each. Pushes what it started onto `running`; returns the executions.
 */
async function startExecutionsDemo(local, count, running) {
  const { LOCAL_CREDENTIALS, LOCAL_REGION } = await import("../tests/support/swf-local.mjs");
  const { startDecider } = await import("../tests/support/decider.mjs");
  const { startActivityWorker } = await import("../tests/www/operator-support.mjs");
  const { SwfClient } = await import("../pkg/node.js");
  const decisions = "dashboard-decisions";
  const activities = "dashboard-activities";
  running.push(await startDecider(local, { domain: DEMO_DOMAIN, taskList: decisions, mode: "honour" }));
  const swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
  running.push(startActivityWorker(swf, { domain: DEMO_DOMAIN, taskList: activities, identity: "dashboard-demo-worker", intervalMs: 1000 }));
  const runs = [];
  for (let i = 0; i < count; i++) {
    runs.push(await local.scenario("start-workflow", { domain: DEMO_DOMAIN, taskList: decisions, activityTaskList: activities, tag: "demo", heartbeatTimeout: 60 }));
  }
  return runs;
}

/**
 * The durable activity worker (2 shards) with its own decider and three workflows in
 * swf-edge-local: two long sleeps (heartbeating, to cancel from their execution's page) and
 * an echo. Pushes what it started onto `running`; returns `{ worker, token }`.
 */
async function startDurableDemo(local, tarball, origin, running) {
  const { startDecider } = await import("../tests/support/decider.mjs");
  const { activity, scratchDurableWorker, startDecidedWorkflows, startDurableWorker } = await import("../tests/www/durable-support.mjs");
  const domain = "swf-edge-local";
  const taskList = "dashboard-durable";
  const decisions = "dashboard-durable-decisions";
  const token = randomBytes(18).toString("base64url");
  const worker = await startDurableWorker(scratchDurableWorker("dashboard-durable-worker", tarball), {
    endpoint: local.url, domain, taskList, token, shards: 2, allowedOrigins: origin,
  });
  running.push(worker);
  running.push(await startDecider(local, { domain, taskList: decisions, mode: "honour" }));
  await worker.call("/workers/resume"); // wrangler dev runs no Cron Trigger: start the loops
  const hour = activity("sleep-1h", "sleep", "3600000", taskList, { heartbeatTimeout: "30", startToCloseTimeout: "7200" });
  await startDecidedWorkflows(local.url, decisions, [
    { activities: [{ ...hour, activityId: "sleep-a" }] },
    { activities: [{ ...hour, activityId: "sleep-b" }] },
    { activities: [activity("echo-1", "echo", "hello", taskList)] },
  ]);
  return { worker, token };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { startSwfLocal, LOCAL_CREDENTIALS, LOCAL_REGION } = await import("../tests/support/swf-local.mjs");
  const running = [];
  let stopping = null;
  const stopAll = () =>
    (stopping ??= (async () => {
      for (const service of running.reverse()) {
        try {
          await service.stop();
        } catch {}
      }
    })());
  const onSignal = async () => {
    console.log("\nStopping everything this script started…");
    await stopAll();
    process.exit(0);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    console.log("[1] Starting the local SWF (moto + swf-edge's cancellation extension)…");
    const local = await startSwfLocal();
    running.push(local);
    console.log(`    ${local.url}`);

    console.log("[2] Packing swf-edge and serving www/ with it…");
    const pkg = preparePackage();
    running.push({ stop: async () => pkg.cleanup() });
    const site = await listen(pkg.dir, options.port);
    running.push(site);
    console.log(`    ${site.url}  (package files at ${site.url}/vendor/swf-edge/)`);

    let worker = null;
    let dashboardToken = null;
    if (options.worker) {
      dashboardToken = randomBytes(18).toString("base64url");
      const secrets = {
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        DASHBOARD_TOKEN: dashboardToken,
      };
      console.log("[3] Starting examples/worker (packed package, wrangler dev)…");
      const { scratchWorker, startWorker } = await import("../tests/support/worker.mjs");
      worker = await startWorker(scratchWorker("dashboard-worker", pkg.tarball), {
        vars: { AWS_REGION: LOCAL_REGION, SWF_ENDPOINT: local.url, ALLOWED_ORIGINS: site.url },
        secrets,
      });
      running.push(worker);
      console.log(`    ${worker.url}`);
    }

    console.log(`[${options.worker ? 4 : 3}] Preparing ${options.count + 1} demo tasks…`);
    const { tasks } = await local.scenario("prepare", { count: options.count + 1, cancelRequested: options.cancelRequested });
    const closed = tasks.pop();
    await local.scenario("close", { how: "completed", taskToken: closed.taskToken });
    const demo = [
      ...tasks.map((t, i) => ({
        taskToken: t.taskToken,
        label: t.cancelRequested ? `cancel requested #${i + 1}` : `running #${i + 1 - options.cancelRequested}`,
      })),
      { taskToken: closed.taskToken, label: "closed (completed)" },
      { taskToken: "not-a-task-token", label: "garbage" },
    ];
    const outDir = join(ROOT, "tests", "out", "www");
    mkdirSync(outDir, { recursive: true });
    const jsonFile = join(outDir, "demo-tasks.json");
    writeFileSync(jsonFile, `${JSON.stringify(demo, null, 2)}\n`);

    console.log(`[${options.worker ? 5 : 4}] Starting a decider, an activity worker and ${options.executions} workflow executions in ${DEMO_DOMAIN}…`);
    const executions = await startExecutionsDemo(local, options.executions, running);
    let durable = null;
    if (options.durable) {
      console.log(`[${options.worker ? 6 : 5}] Starting the durable activity worker (examples/durable-worker, 2 shards, wrangler dev) and its workflows…`);
      durable = await startDurableDemo(local, pkg.tarball, site.url, running);
      console.log(`    ${durable.worker.url}`);
    }

    const durableHash = durable ? `&durable=${encodeURIComponent(durable.worker.url)}` : "";
    const link = worker
      ? `${site.url}/#mode=worker&worker=${encodeURIComponent(worker.url)}&domain=${DEMO_DOMAIN}${durableHash}`
      : `${site.url}/#mode=direct&endpoint=${encodeURIComponent(local.url)}&region=${LOCAL_REGION}&domain=${DEMO_DOMAIN}${durableHash}`;
    console.log("\n==== The dashboard is ready\n");
    console.log(`  Open:  ${link}\n`);
    if (worker) {
      console.log("  Connection: Via the example Worker (pre-filled)");
      console.log(`    Worker URL       ${worker.url}`);
      console.log(`    Dashboard token  ${dashboardToken}   (random, for this run only)\n`);
    }
    console.log(`  ${worker ? "Or directly" : "Connection: Directly"} (the local SWF checks no signature; these are its fixed local keys):`);
    console.log(`    Region ${LOCAL_REGION}   Endpoint ${local.url}`);
    console.log(`    Access key id ${LOCAL_CREDENTIALS.accessKeyId}   Secret ${LOCAL_CREDENTIALS.secretAccessKey}   Session token (empty)\n`);
    console.log(`  Tasks to paste (${demo.length}; or load ${relative(process.cwd(), jsonFile)}):`);
    for (const task of demo) console.log(`    ${task.taskToken}`);
    console.log("\n  Legend:");
    for (const task of demo) console.log(`    ${task.taskToken.slice(0, 8)}…  ${task.label}`);
    console.log(`\n  Executions view: domain ${DEMO_DOMAIN}, List executions, Open one, Request cancel:`);
    for (const run of executions) console.log(`    ${run.workflowId}`);
    console.log("    (the decider honours the request; the worker learns of it by heartbeat and cancels)");
    if (durable) {
      console.log("\n  Activity workers view (section 6; the URL is pre-filled):");
      console.log(`    Durable worker URL  ${durable.worker.url}`);
      console.log(`    Dashboard token     ${durable.token}   (random, for this run only)`);
      console.log("    Its executions are in domain swf-edge-local: Open execution, then Request cancel.");
    }
    console.log("\nPress Ctrl-C to stop the local SWF, the server and anything else started here.");
    await new Promise(() => {}); // until a signal
  } catch (error) {
    console.error(`\ndashboard: FAILED: ${error.stack ?? error}`);
    if (error.output) console.error(error.output);
    await stopAll();
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
