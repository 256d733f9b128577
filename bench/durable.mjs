// The durable activity worker (swf-edge/worker, examples/durable-worker) measured:
//   node bench/durable.mjs [--smoke|--full]   (bench/run.sh calls it after bench.mjs)
//
// 1. Throughput: W workflows × K `echo` activities are scheduled by the swf_local decider
//    first; then the shards' loops start (the Cron watchdog) and the clock runs until the
//    registry counts every task completed. Tasks/s through 1, 2 and 4 shards (objects),
//    in Miniflare (workerd, SQLite Durable Objects) against the local SWF (moto) on loopback.
// 2. SWF calls per task, counted by a loopback proxy between the worker and SWF: for the
//    echo runs, and for `sleep` tasks that heartbeat (3 s, heartbeat timeout 2 s).
// 3. Memory per object: workerd's resident set (RSS, /proc) with the objects alive after
//    a run minus right after start-up, divided by the shards — what Miniflare lets one see.
// 4. Added bundle size of the worker export: esbuild --bundle --minify (workerd
//    conditions) of a Worker importing swf-edge/worker vs one importing only SwfClient,
//    brotli -q 11 (the wasm is the same file in both).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zc } from "node:zlib";
import { startSwfLocal, LOCAL_CREDENTIALS, LOCAL_REGION } from "../tests/support/swf-local.mjs";
import { startDecider } from "../tests/support/decider.mjs";
import { activity, startDecidedWorkflows, startSwfProxy } from "../tests/www/durable-support.mjs";

const BENCH = fileURLToPath(new URL(".", import.meta.url));
const ROOT = join(BENCH, "..");
const SMOKE = process.argv.includes("--smoke");
const DOMAIN = "swf-edge-local";
const PLAN = SMOKE
  ? { shards: [1], workflows: 2, perWorkflow: 2, sleeps: 0 }
  : { shards: [1, 2, 4], workflows: 12, perWorkflow: 10, sleeps: 4 };

const out = (line = "") => console.log(line);
const table = (head, rows) =>
  [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe, what, timeoutMs = 120_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`bench/durable: timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Resident set (kB) of the workerd processes started by this process (Miniflare's). */
function workerdRssKb() {
  let total = 0;
  const ps = execFileSync("ps", ["-e", "-o", "pid=,ppid=,rss=,comm="], { encoding: "utf8" });
  const rows = ps.trim().split("\n").map((line) => line.trim().split(/\s+/));
  const mine = new Set([String(process.pid)]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of rows) if (mine.has(ppid) && !mine.has(pid)) (mine.add(pid), (grew = true));
  }
  for (const [pid, , rss, comm] of rows) if (mine.has(pid) && /workerd/.test(comm)) total += Number(rss);
  return total;
}

const perTask = (calls, n) => (calls / n).toFixed(2);
/** SWF calls per second the proxy saw during a run. */
const callsPerSecond = (r) => Object.values(r.calls).reduce((a, b) => a + b, 0) / r.seconds;
const br = (text) => brotliCompressSync(Buffer.from(text), { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** Bundle size of the worker export vs SwfClient alone (JS only; both load the same wasm). */
async function bundleSizes() {
  const esbuild = await import("esbuild");
  const entries = {
    "SwfClient only": `import { SwfClient } from "swf-edge";
export default { async fetch(request, env) {
  const swf = new SwfClient({ region: env.AWS_REGION, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } });
  return Response.json(await swf.pollForActivityTask({ domain: env.SWF_DOMAIN, taskList: { name: env.SWF_TASK_LIST } }));
} };`,
    "swf-edge/worker": `import { ShardRouter, defineActivityWorker, workerOptionsFromEnv } from "swf-edge/worker";
export const ActivityWorker = defineActivityWorker({ activities: { "echo/1": ({ input }) => input } });
export default {
  fetch(request, env) { const o = workerOptionsFromEnv(env); return new ShardRouter(env.ACTIVITY_WORKER, o).status().then((s) => Response.json(s)); },
  scheduled(controller, env) { const o = workerOptionsFromEnv(env); return new ShardRouter(env.ACTIVITY_WORKER, o).watchdog(); },
};`,
  };
  const sizes = {};
  for (const [name, contents] of Object.entries(entries)) {
    const result = await esbuild.build({
      stdin: { contents, resolveDir: BENCH, sourcefile: "entry.mjs", loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      write: false,
      outdir: join(BENCH, ".out", "durable"),
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      loader: { ".wasm": "copy" },
      external: ["node:*"],
      logLevel: "silent",
    });
    const js = result.outputFiles.filter((f) => f.path.endsWith(".js"));
    const wasm = result.outputFiles.filter((f) => f.path.endsWith(".wasm"));
    const text = js.map((f) => f.text).join("");
    sizes[name] = { raw: Buffer.byteLength(text), brotli: br(text), wasm: wasm.reduce((n, f) => n + f.contents.length, 0) };
  }
  return sizes;
}

/** One throughput run through `shards` objects: tasks/s, calls per task, memory per object. */
async function throughput({ local, proxy, startWorker, persistDir, decisions, shards, workflows, perWorkflow, swf }) {
  const taskList = `bench-durable-${shards}-${process.pid}-${Date.now().toString(36)}`;
  const total = workflows * perWorkflow;
  const plans = Array.from({ length: workflows }, (_, w) => ({
    activities: Array.from({ length: perWorkflow }, (_, k) => activity(`e${w}-${k}`, "echo", `task ${w}/${k}`, taskList)),
  }));
  await startDecidedWorkflows(local.url, decisions, plans);
  await until(async () => (await swf.countPendingActivityTasks({ domain: DOMAIN, taskList: { name: taskList } })).count >= total, "every activity scheduled");
  const worker = await startWorker({ persist: persistDir(`bench-${shards}`), endpoint: proxy.url, taskList, shards, options: { concurrency: 8 } });
  try {
    const idleKb = workerdRssKb();
    proxy.reset();
    const t0 = performance.now();
    await worker.scheduled(); // the watchdog starts every shard's loop
    const status = await until(async () => {
      const { json } = await worker.post("/workers/shards", {});
      const done = json.shards.reduce((n, s) => n + (s.counters?.completed ?? 0), 0);
      return done >= total && json;
    }, `${total} tasks completed through ${shards} shard(s)`, 300_000, 50);
    const seconds = (performance.now() - t0) / 1000;
    const calls = { ...proxy.byAction };
    const ms = { ...proxy.msByAction };
    const liveKb = workerdRssKb();
    const perShard = status.shards.map((s) => s.counters.completed);
    return { shards, total, seconds, calls, ms, perShard, maxInFlight: proxy.maxInFlight, idleKb, liveKb };
  } finally {
    await worker.dispose();
  }
}

/** `sleeps` 3 s sleeps (heartbeat timeout 2 s) through one object: SWF calls per task with heartbeats. */
async function heartbeatRun({ local, proxy, startWorker, persistDir, decisions, sleeps, swf }) {
  const taskList = `bench-durable-hb-${process.pid}-${Date.now().toString(36)}`;
  const plans = [{ activities: Array.from({ length: sleeps }, (_, k) => activity(`s${k}`, "sleep", "3000", taskList, { heartbeatTimeout: "2", startToCloseTimeout: "60" })) }];
  await startDecidedWorkflows(local.url, decisions, plans);
  await until(async () => (await swf.countPendingActivityTasks({ domain: DOMAIN, taskList: { name: taskList } })).count >= sleeps, "every sleep scheduled");
  const worker = await startWorker({ persist: persistDir("bench-hb"), endpoint: proxy.url, taskList, shards: 1, options: { concurrency: sleeps + 1 } });
  try {
    proxy.reset();
    await worker.scheduled();
    await until(async () => (await worker.post("/workers/shards", {})).json.shards[0].counters.completed >= sleeps, "the sleeps completed", 120_000, 100);
    return { total: sleeps, calls: { ...proxy.byAction }, ms: { ...proxy.msByAction } };
  } finally {
    await worker.dispose();
  }
}

function callsRow(label, { total, calls, ms }) {
  const n = (action) => calls[action] ?? 0;
  const all = Object.values(calls).reduce((a, b) => a + b, 0);
  const mean = (action) => (n(action) ? ` (${(ms[action] / n(action)).toFixed(0)} ms)` : "");
  return [
    label,
    String(total),
    perTask(n("PollForActivityTask"), total) + mean("PollForActivityTask"),
    perTask(n("GetWorkflowExecutionHistory") + n("DescribeActivityType"), total) + mean("GetWorkflowExecutionHistory"),
    perTask(n("RecordActivityTaskHeartbeat"), total) + mean("RecordActivityTaskHeartbeat"),
    perTask(n("RespondActivityTaskCompleted") + n("RespondActivityTaskFailed") + n("RespondActivityTaskCanceled"), total) + mean("RespondActivityTaskCompleted"),
    perTask(all, total),
  ];
}

async function main() {
  out(`## Durable worker (swf-edge/worker) — ${SMOKE ? "smoke" : "full"} run`);
  out();
  const sizes = await bundleSizes();
  const base = sizes["SwfClient only"];
  const work = sizes["swf-edge/worker"];
  out("### Added bundle size of the worker export (esbuild --bundle --minify, workerd conditions; JS, brotli -q 11)");
  out();
  out(table(["entry", "JS raw B", "JS brotli B", "wasm B (same file)"], Object.entries(sizes).map(([name, s]) => [name, String(s.raw), String(s.brotli), String(s.wasm)])));
  out();
  out(`added by swf-edge/worker: ${work.raw - base.raw} B raw, ${work.brotli - base.brotli} B brotli; wasm ${work.wasm === base.wasm ? "unchanged" : `differs (${work.wasm - base.wasm} B)`}`);
  if (!(work.brotli > base.brotli) || work.wasm !== base.wasm) throw new Error("bench/durable: the worker bundle should add JS only");
  out();

  const { startWorker, persistDir } = await import("../tests/durable/support.mjs");
  const { SwfClient } = await import("../pkg/node.js");
  const local = await startSwfLocal();
  const proxy = await startSwfProxy(local.url);
  const decisions = `bench-durable-decisions-${process.pid}`;
  const decider = await startDecider(local, { domain: DOMAIN, taskList: decisions, mode: "honour" });
  const swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
  const ctx = { local, proxy, startWorker, persistDir, decisions, swf };
  try {
    const runs = [];
    for (const shards of PLAN.shards) runs.push(await throughput({ ...ctx, shards, workflows: PLAN.workflows, perWorkflow: PLAN.perWorkflow }));
    out(`### Throughput: ${PLAN.workflows} workflows × ${PLAN.perWorkflow} echo tasks, pre-scheduled; Miniflare (one workerd) against the local SWF (moto, one Python process) on loopback; concurrency 8, 1 poll in flight per object`);
    out();
    out(table(
      ["shards", "tasks", "seconds", "tasks/s", "tasks/s per shard", "completed per shard", "SWF calls/s served", "SWF calls in flight (max)", "workerd RSS idle → with the objects (MB)", "growth (MB)"],
      runs.map((r) => [String(r.shards), String(r.total), r.seconds.toFixed(2), (r.total / r.seconds).toFixed(1), (r.total / r.seconds / r.shards).toFixed(1), r.perShard.join(" / "), callsPerSecond(r).toFixed(0), String(r.maxInFlight), `${(r.idleKb / 1024).toFixed(1)} → ${(r.liveKb / 1024).toFixed(1)}`, ((r.liveKb - r.idleKb) / 1024).toFixed(1)]),
    ));
    out();
    // Memory: the first object brings the isolate's working set (the wasm instance, SQLite);
    // each further object of the same class in that workerd adds the difference.
    const first = runs[0];
    const most = runs.at(-1);
    const growth = (r) => (r.liveKb - r.idleKb) / 1024;
    out(`memory: workerd grew ${growth(first).toFixed(1)} MB with ${first.shards} object${first.shards === 1 ? "" : "s"} at work` +
      (most.shards > first.shards ? `; each further object added ${((growth(most) - growth(first)) / (most.shards - first.shards)).toFixed(2)} MB (${most.shards} vs ${first.shards} shards; RSS, noisy at ±1 MB)` : ""));
    out();
    // One poll in flight per object returns at most one task: an object's ceiling is about
    // maxPolls / (poll round trip), whatever its concurrency, until its tasks' durations fill
    // the slots. The local SWF answers one request at a time: when its calls/s stay flat as
    // shards are added (and each call gets slower), it is the limit, not the worker.
    const pollMs = first.ms.PollForActivityTask / first.calls.PollForActivityTask;
    const served = runs.map((r) => callsPerSecond(r).toFixed(0)).join(" / ");
    out(`sizing: one object sustained ${(first.total / first.seconds).toFixed(1)} tasks/s (${perTask(Object.values(first.calls).reduce((a, b) => a + b, 0), first.total)} SWF calls each) with polls of ${pollMs.toFixed(0)} ms; ` +
      `the local SWF served ${served} calls/s through ${runs.map((r) => r.shards).join(" / ")} shard${runs.at(-1).shards === 1 ? "" : "s"}${runs.length > 1 ? " (each call slower as shards are added: the local SWF, not the worker, is the limit here)" : ""}; ` +
      `per object, expect at most maxPolls × 1000 / (poll round trip in ms) tasks/s: shards ≥ peak tasks/s ÷ that, and ≥ peak tasks running ÷ concurrency`);
    out();
    const rows = runs.map((r) => callsRow(`echo, ${r.shards} shard${r.shards === 1 ? "" : "s"}`, r));
    if (PLAN.sleeps) rows.push(callsRow("sleep 3 s, heartbeat timeout 2 s, 1 shard", await heartbeatRun({ ...ctx, sleeps: PLAN.sleeps })));
    out("### SWF calls per task (counted by the loopback proxy; polls include empty ones)");
    out();
    out(table(["run", "tasks", "PollForActivityTask", "timeouts read (history / type)", "RecordActivityTaskHeartbeat", "Respond…", "all"], rows));
    out();
    for (const r of runs) {
      const responds = (r.calls.RespondActivityTaskCompleted ?? 0) + (r.calls.RespondActivityTaskFailed ?? 0);
      if (responds < r.total) throw new Error(`bench/durable: ${r.total} tasks but ${responds} respond calls through ${r.shards} shards`);
    }
  } finally {
    await decider.stop();
    await proxy.stop();
    await local.stop();
  }
}

await main();
