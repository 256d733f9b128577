// Runs tests/swf_local/decider.py (a decider that honours or ignores cancel requests)
// against a local SWF, and a Node activity worker that runs tasks with the package's
// runActivity: the moving parts of an SWF-way cancellation, for tests and the demo.
import { fileURLToPath } from "node:url";
import { startPython } from "./swf-local.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Starts `python3 -m tests.swf_local.decider` on one decision task list; resolves
 * `{ taskList, mode, log(), stop() }` once it printed DECIDER_READY.
 */
export async function startDecider(local, { domain, taskList, mode = "honour" }) {
  const args = ["-m", "tests.swf_local.decider", "--endpoint", local.url, "--domain", domain, "--task-list", taskList, "--mode", mode];
  const decider = await startPython(args, { ready: /^DECIDER_READY /, what: "decider", cwd: ROOT });
  return { taskList, mode, log: decider.stderr, stop: decider.stop };
}

/** Polls `taskList` until a task comes (moto answers an empty poll after 1 s); rejects after `timeoutMs`. */
export async function pollTask(swf, { domain, taskList, identity = "swf-edge-worker", timeoutMs = 20_000 }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const task = await swf.pollForActivityTask({ domain, taskList: { name: taskList }, identity });
    if (task) return task;
  }
  throw new Error(`no activity task on ${taskList} within ${timeoutMs} ms`);
}

/**
 * Runs one polled task with `runActivity`: the handler works until its signal aborts
 * (SWF reported a cancel request), cleans up for `cleanupMs` and until the `cleanedUp`
 * promise (if any) settles (calling `onCancel` first), then throws, so runActivity responds
 * canceled. Resolves runActivity's outcome, or `{ status: "rejected", error }` if closing failed.
 */
export function workUntilCanceled(swf, task, { intervalMs = 200, cleanupMs = 0, cleanedUp, onCancel, cancelDetails = "cleaned up after the cancel request" } = {}) {
  const handler = ({ signal }) =>
    new Promise((_, reject) => {
      signal.addEventListener(
        "abort",
        () => {
          onCancel?.(signal.reason);
          const delay = new Promise((resolve) => setTimeout(resolve, cleanupMs));
          Promise.all([delay, cleanedUp]).finally(() => reject(signal.reason));
        },
        { once: true },
      );
    });
  return swf.runActivity(task, handler, { intervalMs, cancelDetails }).catch((error) => ({ status: "rejected", error }));
}
