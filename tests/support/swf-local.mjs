// Starts the local SWF (moto + tests/swf_local's extension) on a free loopback port and
// runs tests/swf_local/scenario.py against it to prepare and inspect activity tasks.
import { spawn, execFile } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const SERVER = fileURLToPath(new URL("../swf_local/server.py", import.meta.url));
const SCENARIO = fileURLToPath(new URL("../swf_local/scenario.py", import.meta.url));
const run = promisify(execFile);

/** Credentials the local SWF accepts (it routes by the signature's scope, checks no secret). */
export const LOCAL_CREDENTIALS = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" };
export const LOCAL_REGION = "us-east-1";

/**
 * Spawns `python3 args…` (in `cwd`) and resolves once a line of its stdout matches `ready`:
 * `{ match, stderr(), stop() }` (`stop` sends SIGTERM and waits; the process is killed if
 * Node exits first). `what` names it in errors.
 */
export async function startPython(args, { ready, what, cwd }) {
  const child = spawn("python3", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const match = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${stderr}`)), 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}):\n${stderr}`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      const found = ready.exec(line.trim());
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      process.off("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { match, stderr: () => stderr, stop };
}

/** Starts the server; returns { url, scenario(command, args) → JSON, stop() }. */
export async function startSwfLocal() {
  const server = await startPython([SERVER, "--port", "0"], { ready: /^SWF_LOCAL_READY (\S+)$/, what: "local SWF" });
  const url = server.match[1];
  const scenario = async (command, args = {}) => {
    const argv = [SCENARIO, "--endpoint", url, command];
    for (const [key, value] of Object.entries(args)) {
      const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      if (value === true) argv.push(flag);
      else argv.push(flag, String(value));
    }
    const { stdout } = await run("python3", argv, { maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout);
  };
  return { url, scenario, stop: server.stop };
}

/** The events of one type in a workflow's history. */
export async function eventsOf(local, task, type) {
  const { events } = await local.scenario("history", { workflowId: task.workflowId, runId: task.runId });
  return events.filter((e) => e.eventType === type);
}
