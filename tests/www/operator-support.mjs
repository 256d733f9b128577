// Helpers of the operator tests (tests/www) and `make dashboard`: an activity worker in Node
// that keeps polling a task list and runs every task with swf-edge's runActivity until SWF
// asks to cancel it, and a small wait. (The decider is tests/support/decider.mjs.)

/**
 * Polls `taskList` and runs every activity task with `swf.runActivity`: the work waits until
 * SWF reports a cancel request (the watch signal aborts), then throws, so the task is closed
 * as canceled — the well-behaved worker of the issue. `outcomes` collects runActivity's results.
 */
export function startActivityWorker(swf, { domain, taskList, identity = "www-test-worker", intervalMs = 200 }) {
  const controller = new AbortController();
  const outcomes = [];
  const running = new Set();
  const loop = (async () => {
    while (!controller.signal.aborted) {
      let task;
      try {
        task = await swf.pollForActivityTask({ domain, taskList: { name: taskList }, identity }, { signal: controller.signal });
      } catch (error) {
        if (controller.signal.aborted) return;
        await sleep(200);
        continue;
      }
      if (!task) continue;
      const run = swf
        .runActivity(
          task,
          ({ signal }) =>
            new Promise((_, reject) => {
              // Ends when SWF asks to cancel (→ canceled), or when the test stops the worker (→ failed).
              const stop = () => reject(new Error(signal.aborted ? "cleaned up after the cancel request" : "the test stopped the worker"));
              if (signal.aborted || controller.signal.aborted) return stop();
              signal.addEventListener("abort", stop, { once: true });
              controller.signal.addEventListener("abort", stop, { once: true });
            }),
          { intervalMs, cancelDetails: "worker cleaned up" },
        )
        .then((outcome) => outcomes.push({ activityId: task.activityId, ...outcome }))
        .catch((error) => outcomes.push({ activityId: task.activityId, status: "error", error }));
      running.add(run);
      run.finally(() => running.delete(run));
    }
  })();
  return {
    outcomes,
    async stop() {
      controller.abort();
      await loop;
      await Promise.allSettled([...running]);
    },
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `probe()` every `everyMs` until it returns a truthy value (returned), or fails after `timeoutMs`. */
export async function eventually(probe, { timeoutMs = 20_000, everyMs = 200, what = "the condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}
