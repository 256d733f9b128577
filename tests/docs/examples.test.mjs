// Issue 18: every code example of the docs runs. Each js/javascript/ts/typescript block of
// README.md and docs/**/*.md is
//   1. type-checked with tsc --strict against the packed tarball (installed into a scratch
//      project under tests/out/docs), the names of prelude.d.ts being the only free ones —
//      plus one mutant (an example with an option renamed) that must fail, so a renamed
//      option breaks this build and not a user;
//   2. run with Node against the local SWF, unless a `<!-- not-run: reason -->` comment
//      stands right before it (a reason is required). prelude.mjs gives the free names real
//      values (fresh tasks per example, prepared with swf-local-scenario) and keeps every
//      fetch on loopback; a block that `export default`s a Worker has its `fetch` called.
// The local SWF here is the `swf-local` package itself, installed from tests/swf_local into
// a fresh venv (pyproject.toml, console scripts): that install is tested first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { createServer } from "node:http";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { packPackage } from "../support/worker.mjs";
import { codeBlocks } from "./markdown.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HERE = fileURLToPath(new URL(".", import.meta.url));
const OUT = join(ROOT, "tests", "out", "docs");
const VENV = join(OUT, "swf-local-venv");
const BIN = join(VENV, "bin");
const run = promisify(execFile);
const LANGS = new Set(["js", "javascript", "ts", "typescript", "mjs"]);

/** Every runnable-language block of the docs: `{ file, line, lang, code, marker, id }`. */
function docBlocks() {
  const docs = readdirSync(join(ROOT, "docs"), { recursive: true }).filter((f) => f.endsWith(".md")).map((f) => join("docs", f));
  return ["README.md", ...docs.sort()].flatMap((file) =>
    codeBlocks(readFileSync(join(ROOT, file), "utf8"))
      .filter((block) => LANGS.has(block.lang))
      .map((block) => ({ ...block, file })),
  ).map((block, index) => ({ ...block, id: `ex${String(index).padStart(2, "0")}` }));
}

/** Spawns a console script of the venv and resolves its ready line's match; `stop()` ends it. */
async function startScript(name, args, ready) {
  const child = spawn(join(BIN, name), args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const match = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${stderr}`)), 30_000);
    child.once("exit", (code) => reject(new Error(`${name} exited (${code}):\n${stderr}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const found = ready.exec(line);
      if (found) clearTimeout(timer), resolve(found);
    });
  });
  const stop = () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", resolve), child.kill("SIGTERM"))));
  return { match, stop };
}

let project; // the scratch project with the tarball installed
let server; // swf-local, started by its console script
let decider;
let webServer; // the runner's web server for *.example hosts and longJobUrl
let endpoint;

async function scenario(...args) {
  const { stdout } = await run(join(BIN, "swf-local-scenario"), ["--endpoint", endpoint, ...args], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout);
}

before(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // The swf-local package, installed from a copy of its folder (pip builds in place) into a
  // fresh venv. Its dependencies (moto[server]==5.2.1, boto3, botocore) are the ones
  // scripts/setup.sh installed into .venv, reached by a .pth file instead of downloaded
  // again; `pip check` proves they satisfy what pyproject.toml declares.
  const source = join(OUT, "swf_local");
  cpSync(join(ROOT, "tests", "swf_local"), source, { recursive: true, filter: (src) => !/__pycache__|\.pytest_cache/.test(src) });
  const python = join(ROOT, ".venv", "bin", "python3");
  await run(python, ["-m", "venv", "--without-pip", VENV]);
  const purelib = (bin) => run(bin, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).then(({ stdout }) => stdout.trim());
  writeFileSync(join(await purelib(join(BIN, "python3")), "swf-edge-deps.pth"), `${await purelib(python)}\n`);
  const pip = (...args) => run(python, ["-m", "pip", "--python", join(BIN, "python3"), "--disable-pip-version-check", ...args], { maxBuffer: 16 << 20 });
  await pip("install", "-q", "--no-deps", "--no-build-isolation", source);
  await pip("check");

  const tarball = packPackage();
  project = join(OUT, "project");
  mkdirSync(join(project, "ex"), { recursive: true });
  writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "swf-edge-docs-examples", private: true, type: "module" }, null, 2)}\n`);
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--no-package-lock", tarball], { cwd: project });

  webServer = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    if (req.url === "/long-job") {
      const timer = setTimeout(() => res.end("done"), 10_000);
      req.socket.once("close", () => clearTimeout(timer));
      return;
    }
    res.setHeader("content-type", "text/plain");
    res.end(`shipped: ${body}`);
  });
  await new Promise((resolve) => webServer.listen(0, "127.0.0.1", resolve));
});

after(async () => {
  await decider?.stop();
  await server?.stop();
  await new Promise((resolve) => (webServer ? webServer.close(resolve) : resolve()));
});

test("swf-local installs from tests/swf_local as a package; its console script starts the server on a free port and answers", async () => {
  for (const script of ["swf-local", "swf-local-scenario", "swf-local-decider"]) assert.ok(existsSync(join(BIN, script)), script);
  server = await startScript("swf-local", ["--port", "0"], /^SWF_LOCAL_READY (http:\/\/127\.0\.0\.1:\d+)$/);
  endpoint = server.match[1];
  const answer = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": "SimpleWorkflowService.ListDomains",
      authorization: "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/swf/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: JSON.stringify({ registrationStatus: "REGISTERED" }),
  });
  assert.equal(answer.status, 200);
  assert.deepEqual(await answer.json(), { domainInfos: [] });
  decider = await startScript("swf-local-decider", ["--endpoint", endpoint, "--task-list", "docs-deciders", "--domain", "orders"], /^DECIDER_READY /);
});

test("every code example of README.md and docs/ type-checks against the packed package; a renamed option fails", { timeout: 120_000 }, async () => {
  const blocks = docBlocks();
  assert.ok(blocks.length >= 20, `found ${blocks.length} examples`);
  for (const block of blocks) writeFileSync(join(project, "ex", `${block.id}.ts`), block.code);
  // The mutant: the first example passing `intervalMs`, with the option renamed.
  const original = blocks.find((block) => /\bintervalMs:/.test(block.code));
  writeFileSync(join(project, "ex", "mutant.ts"), original.code.replace(/\bintervalMs:/, "intervalMS:"));
  cpSync(join(HERE, "prelude.d.ts"), join(project, "prelude.d.ts"));
  const config = {
    compilerOptions: {
      strict: true,
      noImplicitAny: false, // the JavaScript examples carry no annotations
      useUnknownInCatchVariables: false,
      noEmit: true,
      target: "ES2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      moduleDetection: "force",
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      types: ["node"],
      typeRoots: [join(ROOT, "node_modules", "@types")],
      skipLibCheck: true, // the package's own .d.ts files are checked by tests/packaging; here: the examples
    },
    files: ["prelude.d.ts", ...blocks.map((b) => `ex/${b.id}.ts`), "ex/mutant.ts"],
  };
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify(config, null, 2));
  let output = "";
  try {
    await run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: project });
  } catch (error) {
    output = `${error.stdout}${error.stderr}`;
  }
  const errors = output.split("\n").filter((line) => /error TS\d+/.test(line));
  const where = (line) => {
    const found = /^ex\/(ex\d+)\.ts\((\d+),\d+\)/.exec(line);
    const block = found && blocks.find((b) => b.id === found[1]);
    return block ? `${block.file}:${block.line + Number(found[2])}: ${line.replace(/^[^:]*: /, "")}` : line;
  };
  const unexpected = errors.filter((line) => !line.startsWith("ex/mutant.ts"));
  assert.deepEqual(unexpected.map(where), [], "every example type-checks");
  assert.ok(errors.some((line) => line.startsWith("ex/mutant.ts") && /intervalMS/.test(line)), `the renamed option is a type error:\n${output}`);
  console.log(`# ${blocks.length} examples type-checked (${blocks.filter((b) => b.marker).length} of them marked not-run)`);
});

/** The free names (prelude.d.ts) a block uses, each needing a fixture. */
function needs(code) {
  const uses = (name) => new RegExp(`\\b${name}\\b`).test(code);
  return {
    taskToken: uses("taskToken"),
    tokens: uses("tokens"),
    execution: uses("execution") || uses("listOpenWorkflowExecutions"),
    runId: uses("runId") && code.includes('"order-42"'),
    poll: uses("pollForActivityTask"),
  };
}

/**
 * The fixtures of all `blocks` at once (few scenario calls: each starts Python), one per
 * block that needs it, prepared fresh on domain "orders" of the local SWF.
 */
async function fixturesFor(blocks) {
  const wanted = blocks.map((block) => needs(block.code));
  const count = (key) => wanted.filter((w) => w[key]).length;
  const prepare = async (n, ...args) => (n ? (await scenario("prepare", "--count", String(n), "--domain", "orders", ...args)).tasks : []);
  const requested = await prepare(count("taskToken") + 2 * count("tokens"), "--cancel-requested", String(count("taskToken") + 2 * count("tokens")));
  const running = await prepare(count("tokens") + count("execution"));
  await prepare(count("poll"), "--no-poll", "--task-list", "ship");
  const decided = count("runId") ? await scenario("start-workflow", "--domain", "orders", "--task-list", "docs-deciders", "--workflow-id", "order-42", "--heartbeat-timeout", "30") : undefined;
  const web = `http://127.0.0.1:${webServer.address().port}`;
  return wanted.map((w) => {
    const fixture = { endpoint, web };
    if (w.taskToken) fixture.taskToken = requested.shift().taskToken;
    if (w.tokens) fixture.tokens = [requested.shift(), requested.shift(), running.shift()].map((t) => t.taskToken);
    if (w.execution) {
      const task = running.shift();
      fixture.execution = { workflowId: task.workflowId, runId: task.runId };
    }
    if (w.runId) fixture.runId = decided.runId;
    return fixture;
  });
}

/** `env` less the variable that makes a child `node --test` process report to this runner. */
function withoutTestContext(env) {
  const { NODE_TEST_CONTEXT, ...rest } = env;
  return rest;
}

/** Runs `jobs` (functions returning promises), at most `limit` at once. */
async function pool(jobs, limit) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

test("every example not marked not-run runs against the local SWF", { timeout: 300_000 }, async () => {
  const blocks = docBlocks();
  const marked = blocks.filter((b) => b.marker);
  for (const block of marked) assert.ok(block.marker.reason.length > 3, `${block.file}:${block.line}: a not-run marker needs its reason`);
  const prelude = join(project, "prelude.mjs");
  cpSync(join(HERE, "prelude.mjs"), prelude);
  const failures = [];
  let ran = 0;
  const runnable = blocks.filter((b) => !b.marker);
  const fixtures = await fixturesFor(runnable);
  const outputs = [];
  const jobs = runnable.map((block, index) => async () => {
    const { outputText } = ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(project, "ex", `${block.id}.mjs`), outputText);
    writeFileSync(
      join(project, "ex", `${block.id}.run.mjs`),
      `import * as example from "./${block.id}.mjs";\n` +
        `if (typeof example.default?.fetch === "function") {\n` +
        `  const request = new Request("https://worker.example/", { method: "POST", body: JSON.stringify({ taskToken: globalThis.taskToken }) });\n` +
        `  const response = await example.default.fetch(request, globalThis.env);\n` +
        `  console.log("the Worker answered", response.status, await response.text());\n` +
        `  if (!response.ok) process.exitCode = 1;\n` +
        `}\n`,
    );
    try {
      const { stdout } = await run(process.execPath, ["--import", prelude, join(project, "ex", `${block.id}.run.mjs`)], {
        cwd: project,
        timeout: 60_000,
        // (without NODE_TEST_CONTEXT, a node:test example reports as a test run of its own)
        env: { ...withoutTestContext(process.env), PATH: `${BIN}:${process.env.PATH}`, SWF_EDGE_DOCS_FIXTURE: JSON.stringify(fixtures[index]), AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIDLOCAL", AWS_SECRET_ACCESS_KEY: "local-secret" },
      });
      outputs[index] = `== ${block.file}:${block.line}\n${stdout}`;
      ran++;
    } catch (error) {
      failures.push(`${block.file}:${block.line} (${relative(ROOT, join(project, "ex", `${block.id}.mjs`))}): ${error.message}\n${error.stdout}${error.stderr}`);
    }
  });
  await pool(jobs, 3);
  writeFileSync(join(OUT, "examples.log"), outputs.join("\n")); // what each example printed
  assert.deepEqual(failures, [], failures.join("\n\n"));
  console.log(`# ${ran} examples executed against the local SWF; ${marked.length} marked not-run: ${marked.map((b) => `${b.file}:${b.line} (${b.marker.reason})`).join("; ") || "none"}`);
});
