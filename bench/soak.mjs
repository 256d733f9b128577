// Crash soak: the failing-calls scenario (bench/lib/failing-calls.mjs: stubbed fetch, 400
// UnknownResourceFault answers, every 5th fetch a TypeError("fetch failed"), every 7th call
// a validation failure) run many times, each run in a fresh runtime, one at a time; records
// each run's exit code, signal, time and any fatal output. Not part of `make test`.
//
//   node bench/soak.mjs --node <path-to-node> [--flags "<node/V8 flags>"] [--case C] [--runs N] [--calls N] [--in-flight K]
//   node bench/soak.mjs --workerd [--case C] [--runs N] [--calls N] [--in-flight K]
//   node bench/soak.mjs --summarize <runs.jsonl>          (a markdown table of the runs)
//   node bench/soak.mjs --child <calls> <inFlight>      (what one Node run executes)
//
// Appends one JSON line per run to <--out, default tests/out/soak>/runs.jsonl, and keeps the
// whole output of every run that did not end cleanly in <out>/crash-*.log. Prints one line
// per run and a summary; exits 1 when any run crashed or failed, 0 otherwise. bench/soak.sh
// runs the whole plan (Node 20/22/24, flag variants, workerd).
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH, "..");
const argv = process.argv.slice(2);

// ------------------------------------------------------------------ one Node run (child)
if (argv[0] === "--child") {
  const [calls, inFlight] = [Number(argv[1]), Number(argv[2] || 1)];
  const lib = await import(pathToFileURL(join(ROOT, "pkg", "dist", "node.js")).href);
  const { runFailingCalls } = await import("./lib/failing-calls.mjs");
  const t = performance.now();
  const counts = await runFailingCalls(lib, { calls, inFlight });
  console.log(JSON.stringify({ ...counts, ms: Math.round(performance.now() - t) }));
  process.exit(0);
}

// ------------------------------------------------------------------ summary of runs.jsonl
if (argv[0] === "--summarize") {
  const { readFileSync } = await import("node:fs");
  const rows = new Map();
  for (const line of readFileSync(argv[1], "utf8").split("\n").filter(Boolean)) {
    const r = JSON.parse(line);
    const calls = r.calls && r.calls !== 50_000 ? ` (${r.calls.toLocaleString("en")} calls)` : "";
    const key = `${r.runtime} | ${r.case ?? "scenario"}${calls} | ${r.flags || "(none)"}`;
    const row = rows.get(key) ?? { runs: 0, ok: 0, crash: 0, failed: 0, timeout: 0, refused: 0, ms: [] };
    if (r.outcome === "flags-refused") row.refused++;
    else {
      row.runs++;
      row[r.outcome]++;
      if (typeof r.ms === "number") row.ms.push(r.ms);
    }
    rows.set(key, row);
  }
  console.log("| runtime | case | flags | runs | ok | crash | failed | timeout | median ms |");
  console.log("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [key, r] of rows) {
    const ms = r.ms.sort((a, b) => a - b)[Math.floor(r.ms.length / 2)];
    if (r.refused) console.log(`| ${key} | — | flag refused by this runtime | | | | |`);
    else console.log(`| ${key} | ${r.runs} | ${r.ok} | ${r.crash ? `**${r.crash}**` : 0} | ${r.failed} | ${r.timeout} | ${ms ?? "—"} |`);
  }
  process.exit(0);
}

// ------------------------------------------------------------------ the orchestrator
function option(name, fallback) {
  const i = argv.lastIndexOf(name); // the last one wins (bench/soak.sh passes defaults first)
  return i === -1 ? fallback : argv[i + 1];
}
const RUNS = Number(option("--runs", 10));
const CALLS = Number(option("--calls", 50_000));
const IN_FLIGHT = Number(option("--in-flight", 1));
const OUT = option("--out", join(ROOT, "tests", "out", "soak"));
const NODE = option("--node", null);
const FLAGS = (option("--flags", "") || "").split(/\s+/).filter(Boolean);
const WORKERD = argv.includes("--workerd");
// "scenario" (the failing calls through swf-edge), "path" (bench/soak-path.mjs: a lazy
// deopt forced during swf-edge's wasm call; Node only) or the minimal case without
// swf-edge, "min-externref" / "min-i32" / "min-externref-pair" (bench/soak-min.mjs; the
// last two are the controls).
const CASE = option("--case", "scenario");
if (!["scenario", "path", "min-externref", "min-i32", "min-externref-pair"].includes(CASE)) {
  console.error(`bench/soak.mjs: unknown --case ${CASE}`);
  process.exit(2);
}
const RUN_TIMEOUT_MS = Number(option("--timeout-s", 600)) * 1000;
if (!NODE === !WORKERD) {
  console.error("bench/soak.mjs: give --node <path> or --workerd");
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });

/** What in a run's output means the runtime itself died (not the scenario failing). */
const FATAL = /Fatal error|V8 Fatal|unreachable code|Check failed|DCHECK|Segmentation fault|SIGSEGV|SIGILL|SIGABRT|Aborted|core dumped|Illegal instruction|FATAL ERROR|Debug check failed|Trace\/breakpoint|Bus error|Deoptimizer|internal error/i;

const tail = (text, n = 1500) => (text.length > n ? `…${text.slice(-n)}` : text);

function record(entry) {
  appendFileSync(join(OUT, "runs.jsonl"), `${JSON.stringify(entry)}\n`);
  const mark = entry.outcome === "ok" ? "ok" : `**${entry.outcome.toUpperCase()}**`;
  const detail = entry.outcome === "ok" ? `${entry.ms} ms` : `exit ${entry.exitCode} signal ${entry.signal} ${entry.note ?? ""} ${tail(entry.stderr ?? "", 300).replace(/\s+/g, " ")}`;
  console.log(`${entry.runtime} ${entry.case} ${entry.flags || "(no flags)"} run ${entry.run + 1}/${RUNS}: ${mark} ${detail}`);
}

function keepLog(entry, stdout, stderr) {
  const file = join(OUT, `crash-${entry.runtime.replace(/\W+/g, "_")}-${Date.now()}.log`);
  writeFileSync(file, `${JSON.stringify({ ...entry, stderr: undefined })}\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`);
  return file;
}

/** Spawns `cmd args`, collects its output, kills it after RUN_TIMEOUT_MS. */
function runProcess(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, RUN_TIMEOUT_MS);
    const t = performance.now();
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr, timedOut, wallMs: Math.round(performance.now() - t) });
    });
  });
}

async function nodeVersion(node) {
  const r = await runProcess(node, ["--version"]);
  return r.stdout.trim();
}

const summary = { ok: 0, crash: 0, failed: 0, timeout: 0 };

async function soakNode() {
  const version = await nodeVersion(NODE);
  const runtime = `node ${version}`;
  // A flag this Node does not know makes it exit 9 at once: check before soaking.
  const probe = await runProcess(NODE, [...FLAGS, "-e", "0"]);
  if (probe.exitCode !== 0) {
    console.log(`${runtime} ${FLAGS.join(" ")}: flags refused (exit ${probe.exitCode}: ${probe.stderr.trim().split("\n")[0]}); skipped`);
    appendFileSync(join(OUT, "runs.jsonl"), `${JSON.stringify({ runtime, case: CASE, flags: FLAGS.join(" "), outcome: "flags-refused", stderr: probe.stderr.slice(0, 500) })}\n`);
    return;
  }
  for (let run = 0; run < RUNS; run++) {
    const script =
      CASE === "scenario" ? [join(BENCH, "soak.mjs"), "--child", String(CALLS), String(IN_FLIGHT)] : CASE === "path" ? [join(BENCH, "soak-path.mjs")] : [join(BENCH, "soak-min.mjs"), CASE.slice(4)];
    const r = await runProcess(NODE, [...FLAGS, ...script]);
    const fatal = FATAL.test(r.stderr) || FATAL.test(r.stdout);
    let outcome = r.timedOut ? "timeout" : r.signal || fatal || (r.exitCode !== 0 && r.exitCode !== 1) ? "crash" : r.exitCode !== 0 ? "failed" : "ok";
    let counts = null;
    try {
      counts = JSON.parse(r.stdout.trim().split("\n").pop());
    } catch {}
    if (CASE !== "scenario" && outcome === "ok" && r.stdout.trim() !== "ok") outcome = "failed";
    const entry = { at: new Date().toISOString(), runtime, case: CASE, flags: FLAGS.join(" "), calls: CASE === "scenario" ? CALLS : null, inFlight: IN_FLIGHT, run, outcome, exitCode: r.exitCode, signal: r.signal, ms: counts?.ms ?? r.wallMs, wallMs: r.wallMs, counts };
    if (outcome !== "ok") {
      entry.stderr = tail(r.stderr, 4000);
      entry.log = keepLog(entry, r.stdout, r.stderr);
    }
    summary[outcome]++;
    record(entry);
  }
}

/** The scenario's Worker (bench/lib/soak-worker.mjs) bundled by esbuild, swf-edge's .wasm as CompiledWasm. */
async function scenarioWorker(esbuild, modulesRoot) {
  const built = await esbuild.build({
    absWorkingDir: BENCH,
    entryPoints: [join(BENCH, "lib", "soak-worker.mjs")],
    bundle: true,
    format: "esm",
    write: false,
    outdir: join(modulesRoot, "out"),
    loader: { ".wasm": "copy" },
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    logLevel: "silent",
  });
  return built.outputFiles
    .map((f) => (f.path.endsWith(".wasm") ? { type: "CompiledWasm", path: join(modulesRoot, basename(f.path)), contents: f.contents } : { type: "ESModule", path: join(modulesRoot, basename(f.path)), contents: f.text }))
    .sort((a, b) => (a.type === "ESModule" ? -1 : 1) - (b.type === "ESModule" ? -1 : 1)); // main module first
}

/**
 * The minimal case's Worker: GET /?kind=externref|i32|externref-pair runs bench/lib/deopt-wasm.mjs's
 * runDeoptCase on that module (workerd compiles no wasm from bytes: both are CompiledWasm
 * modules) and answers "ok".
 */
async function minimalWorker(modulesRoot) {
  const { deoptWasmBytes, runDeoptCase } = await import("./lib/deopt-wasm.mjs");
  const main = [
    'import externref from "./externref.wasm";',
    'import i32 from "./i32.wasm";',
    'import pair from "./externref-pair.wasm";',
    `const runDeoptCase = ${runDeoptCase.toString()};`,
    "export default {",
    "  fetch(request) {",
    '    const kind = new URL(request.url).searchParams.get("kind");',
    '    const module = { externref, i32, "externref-pair": pair }[kind];',
    "    return new Response(runDeoptCase((imports) => new WebAssembly.Instance(module, imports), kind));",
    "  },",
    "};",
  ].join("\n");
  return [
    { type: "ESModule", path: join(modulesRoot, "worker.mjs"), contents: main },
    { type: "CompiledWasm", path: join(modulesRoot, "externref.wasm"), contents: deoptWasmBytes("externref") },
    { type: "CompiledWasm", path: join(modulesRoot, "i32.wasm"), contents: deoptWasmBytes("i32") },
    { type: "CompiledWasm", path: join(modulesRoot, "externref-pair.wasm"), contents: deoptWasmBytes("externref-pair") },
  ];
}

async function soakWorkerd() {
  const rootRequire = createRequire(join(ROOT, "package.json"));
  const { Miniflare } = await import(pathToFileURL(rootRequire.resolve("miniflare")).href);
  const esbuild = await import(pathToFileURL(rootRequire.resolve("esbuild")).href);
  const workerdVersion = rootRequire("workerd/package.json").version;
  const runtime = `workerd ${workerdVersion}`;
  const modulesRoot = mkdtempSync(join(tmpdir(), "swf-edge-soak-"));
  try {
    const modules = CASE === "scenario" ? await scenarioWorker(esbuild, modulesRoot) : await minimalWorker(modulesRoot);
    // One workerd process per run, its whole output kept. The scenario runs in chunks of
    // at most 10,000 calls per request (one isolate, state kept between them).
    const chunk = Math.min(CALLS, 10_000);
    for (let run = 0; run < RUNS; run++) {
      let stdout = "";
      let stderr = "";
      const t = performance.now();
      const counts = CASE === "scenario" ? { calls: 0, fetches: 0, UnknownResourceFault: 0, TransportError: 0, ValidationError: 0 } : null;
      const mf = new Miniflare({
        modules,
        modulesRoot,
        compatibilityDate: "2025-09-01",
        handleRuntimeStdio(out, err) {
          out.on("data", (d) => (stdout += d));
          err.on("data", (d) => (stderr += d));
        },
      });
      let outcome = "ok";
      let note;
      try {
        await mf.ready;
        for (let done = 0; done < CALLS; done += chunk) {
          const n = Math.min(chunk, CALLS - done);
          const url = CASE === "scenario" ? `http://soak.local/?calls=${n}&inFlight=${IN_FLIGHT}` : `http://soak.local/?kind=${CASE.slice(4)}`;
          const res = await Promise.race([
            mf.dispatchFetch(url),
            new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), RUN_TIMEOUT_MS)),
          ]);
          const text = await res.text();
          if (res.status !== 200) {
            outcome = "failed";
            note = `HTTP ${res.status}: ${text.slice(0, 2000)}`;
            break;
          }
          if (CASE !== "scenario") {
            if (text !== "ok") [outcome, note] = ["failed", text];
            break;
          }
          for (const [k, v] of Object.entries(JSON.parse(text))) counts[k] += v;
        }
      } catch (error) {
        outcome = error.message === "timeout" ? "timeout" : "crash";
        note = String(error?.stack ?? error);
      }
      try {
        await mf.dispose();
      } catch (error) {
        outcome = "crash";
        note = `${note ?? ""} dispose: ${error}`;
      }
      if (FATAL.test(stderr) || FATAL.test(stdout)) outcome = "crash";
      const entry = { at: new Date().toISOString(), runtime, case: CASE, flags: "", calls: CASE === "scenario" ? CALLS : null, inFlight: IN_FLIGHT, run, outcome, exitCode: null, signal: null, ms: Math.round(performance.now() - t), counts };
      if (outcome !== "ok") {
        entry.note = note;
        entry.stderr = tail(stderr, 4000);
        entry.log = keepLog(entry, stdout, `${stderr}\n--- note\n${note}`);
      }
      summary[outcome]++;
      record(entry);
    }
  } finally {
    rmSync(modulesRoot, { recursive: true, force: true });
  }
}

if (WORKERD && CASE === "path") {
  console.error("bench/soak.mjs: --case path runs in Node only");
  process.exit(2);
}
if (WORKERD) await soakWorkerd();
else await soakNode();
console.log(`soak summary: ${Object.entries(summary).map(([k, v]) => `${k} ${v}`).join(", ")} (results in ${join(OUT, "runs.jsonl")})`);
process.exit(summary.crash || summary.failed || summary.timeout ? 1 : 0);
