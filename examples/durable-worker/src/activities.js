// The example's activity types. A handler gets `{ input, signal, task, heartbeat, attempt,
// checkpoint }` and returns the result (a string, or anything JSON can write).

/** Longest `sleep` input accepted, in milliseconds (one hour). */
export const MAX_SLEEP_MS = 3_600_000;
/** `sleep` wakes at least this often to heartbeat and to look at its signal. */
export const SLEEP_STEP_MS = 250;

/** `echo` / `1`: the input, unchanged. */
export function echo({ input }) {
  return input ?? "";
}

/**
 * `sleep` / `1`: sleeps `input` milliseconds in steps, heartbeating "<done>/<total>"; stops
 * when `signal` aborts. Resumable: after a restart it goes on from its checkpoint.
 */
export async function sleep({ input, signal, heartbeat, checkpoint }) {
  if (typeof input !== "string" || !/^\d{1,7}$/.test(input) || Number(input) > MAX_SLEEP_MS) {
    throw new RangeError(`sleep needs a number of milliseconds from 0 to ${MAX_SLEEP_MS} as its input, not ${JSON.stringify(input)?.slice(0, 40)}`);
  }
  const total = Number(input);
  const resumedAt = /^(\d+)\/(\d+)$/.exec(checkpoint ?? "");
  let done = resumedAt && Number(resumedAt[2]) === total ? Math.min(total, Number(resumedAt[1])) : 0;
  while (done < total) {
    signal.throwIfAborted();
    const step = Math.min(SLEEP_STEP_MS, total - done);
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, step);
      signal.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    });
    done += step;
    heartbeat(`${done}/${total}`);
  }
  return `slept ${total}`;
}

/** The handlers by "name/version". */
export const activities = { "echo/1": echo, "sleep/1": { handler: sleep, resumable: true } };
