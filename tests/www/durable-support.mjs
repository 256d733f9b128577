// The durable activity worker (examples/durable-worker) under workerd with `wrangler dev`,
// using the packed swf-edge package, against the local SWF: for the dashboard's Workers
// view tests, `make demo` and `make bench`. The example imports examples/worker's http.js,
// so the scratch copy keeps the two side by side.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../support/swf-local.mjs";
import { startWorker } from "../support/worker.mjs";
import { swfBatch } from "../durable/support.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUT = join(ROOT, "tests", "out");

/**
 * Copies examples/durable-worker (and examples/worker/src, which it imports) to
 * tests/out/<name>/ with the packed swf-edge installed; returns the Worker's directory.
 */
export function scratchDurableWorker(name, tarball) {
  const base = join(OUT, name);
  rmSync(base, { recursive: true, force: true });
  mkdirSync(join(base, "worker"), { recursive: true });
  const skip = (src) => !/node_modules|\.wrangler|\.dev\.vars/.test(src);
  cpSync(join(ROOT, "examples", "worker", "src"), join(base, "worker", "src"), { recursive: true, filter: skip });
  const dir = join(base, "durable-worker");
  cpSync(join(ROOT, "examples", "durable-worker"), dir, { recursive: true, filter: skip });
  const pkgJson = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  pkgJson.dependencies["swf-edge"] = `file:${tarball}`;
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkgJson, null, 2));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock"], { cwd: dir, stdio: "pipe" });
  return dir;
}

/**
 * Starts the durable worker in `dir` (see scratchDurableWorker) with `wrangler dev` against
 * the SWF at `endpoint`: `{ url, call(path, body), stop(), output() }`. `call` sends the
 * bearer token and resolves `{ status, body }`. `options` goes to SWF_WORKER_OPTIONS.
 */
export async function startDurableWorker(dir, { endpoint, domain, taskList, token, shards = 1, allowedOrigins = "", options = {} }) {
  const worker = await startWorker(dir, {
    vars: {
      AWS_REGION: LOCAL_REGION,
      SWF_ENDPOINT: endpoint,
      SWF_DOMAIN: domain,
      SWF_TASK_LIST: taskList,
      SWF_SHARDS: String(shards),
      ALLOWED_ORIGINS: allowedOrigins,
      SWF_WORKER_OPTIONS: JSON.stringify(options), // --var keeps everything after the first colon
    },
    secrets: {
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      DASHBOARD_TOKEN: token,
    },
  });
  const call = async (path, body = {}) => {
    const response = await fetch(`${worker.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = { error: text };
    }
    return { status: response.status, body: json };
  };
  return { ...worker, call };
}

/** The counting, faulting, holding SWF proxy of tests/durable (`fault`, `hold`, `byAction`, `msByAction`, `maxInFlight`, `reset()`). */
export { startProxy as startSwfProxy } from "../durable/support.mjs";

/** An SWF fault answer (HTTP 400) the proxy can send: `{ status, body }`. */
export function swfFault(type, message) {
  return { status: 400, body: JSON.stringify({ __type: `com.amazonaws.swf.base.model#${type}`, message }) };
}

/** One activity of a decider plan (tests/durable's planItem): `type` "echo" | "sleep" (version 1) on a task list. */
export { planItem as activity } from "../durable/support.mjs";

/**
 * Starts workflows for the swf_local decider on decision task list `taskList` (tests/durable's
 * swfBatch): `workflows` = `[{ workflowId?, activities: [plan item] }]`; resolves `[{ workflowId, runId }]`.
 */
export async function startDecidedWorkflows(endpoint, taskList, workflows) {
  return (await swfBatch({ op: "start", endpoint, taskList, workflows })).executions;
}
