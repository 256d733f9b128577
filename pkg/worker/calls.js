// The durable worker's outbound plumbing: a cap on SWF calls in flight per object (a
// Durable Object has a handful of outbound connections), jittered exponential backoff,
// error classification, and reading a task's timeouts (SWF's ActivityTask has none).

/**
 * A counting semaphore: `run(fn, { low })` waits for one of `size` permits. Waiters are
 * served in arrival order, except that `low` ones (polls) go after every other waiter, so
 * heartbeats and answers are never queued behind a poll that may hold its permit for 60 s.
 */
export class Budget {
  constructor(size) {
    this.size = size;
    this.inUse = 0;
    this.waiting = [];
    this.waitingLow = [];
  }

  async run(fn, { low = false } = {}) {
    if (this.inUse >= this.size) await new Promise((resolve) => (low ? this.waitingLow : this.waiting).push(resolve));
    else this.inUse += 1;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift() ?? this.waitingLow.shift();
      if (next) next();
      else this.inUse -= 1;
    }
  }
}

/** Whether an error says SWF is throttling or the task list's poller limit was reached. */
export function isThrottling(error) {
  const code = String(error?.code ?? error?.name ?? "");
  return /Throttl|LimitExceeded|TooManyRequests|RequestLimitExceeded/i.test(code) || error?.statusCode === 429;
}

/** Whether SWF says the task is unknown or closed (timed out, closed elsewhere). */
export function isUnknownResource(error) {
  return error?.name === "UnknownResourceFault" || error?.code === "UnknownResourceFault";
}

/**
 * The wait before the next try after `failures` consecutive failures: exponential from
 * `baseMs` (throttling: from `throttledMs`), capped at `maxMs`, uniformly jittered over its
 * upper half (never 0, so a failing loop never spins).
 */
export function backoffMs(failures, { baseMs, maxMs, throttledMs }, throttled) {
  const start = throttled ? Math.max(baseMs, throttledMs) : baseMs;
  const ceiling = Math.min(maxMs, start * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** A promise resolved after `ms`, or at once when `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** `{ name, message }` of anything thrown, short, never with a token or a credential. */
export function errorSummary(error) {
  let name = "Error";
  let message = "";
  try {
    name = typeof error?.name === "string" && error.name ? error.name : "Error";
    message = error instanceof Error ? String(error.message) : String(error);
  } catch {
    message = "(an error that cannot be described)";
  }
  return { name: name.slice(0, 100), message: message.slice(0, 500) };
}

/** Seconds text ("30", "NONE") of a timeout, or null when absent or malformed. */
function timeoutText(value) {
  if (value === "NONE") return "NONE";
  return typeof value === "string" && /^\d{1,10}$/.test(value) ? value : null;
}

/**
 * The task's heartbeat and start-to-close timeouts, as SWF's seconds strings or "NONE"
 * (null: unknown). With `from: "history"`, from the task's own ActivityTaskScheduled event
 * (the effective values, overrides included), reading at most `pages` history pages newest
 * first; then, or with `from: "type"`, from `describeActivityType`'s defaults (cached in
 * `typeCache` by type), when the client has that action.
 */
export async function taskTimeouts({ client, call, domain, task, from, pages, typeCache }) {
  if (from === "history") {
    try {
      const found = await scheduledFromHistory(client, call, domain, task, pages);
      if (found) {
        return {
          heartbeatTimeout: timeoutText(found.heartbeatTimeout),
          startToCloseTimeout: timeoutText(found.startToCloseTimeout),
        };
      }
    } catch {
      // fall back to the type's defaults
    }
  }
  if (typeof client.describeActivityType !== "function") return { heartbeatTimeout: null, startToCloseTimeout: null };
  const key = JSON.stringify([task.activityType?.name, task.activityType?.version]);
  if (!typeCache.has(key)) {
    const described = call(() => client.describeActivityType({ domain, activityType: task.activityType })).then(
      ({ configuration = {} }) => ({
        heartbeatTimeout: timeoutText(configuration.defaultTaskHeartbeatTimeout),
        startToCloseTimeout: timeoutText(configuration.defaultTaskStartToCloseTimeout),
      }),
    );
    typeCache.set(key, described);
    described.catch(() => typeCache.delete(key)); // not cached: asked again next time
  }
  try {
    return await typeCache.get(key);
  } catch {
    return { heartbeatTimeout: null, startToCloseTimeout: null };
  }
}

async function scheduledFromHistory(client, call, domain, task, pages) {
  let scheduledId;
  let nextPageToken;
  for (let page = 0; page < pages; page++) {
    const input = { domain, execution: task.workflowExecution, reverseOrder: true, maximumPageSize: 1000 };
    if (nextPageToken) input.nextPageToken = nextPageToken;
    const answer = await call(() => client.getWorkflowExecutionHistory(input));
    for (const event of answer?.events ?? []) {
      if (event.eventId === task.startedEventId && event.eventType === "ActivityTaskStarted") {
        scheduledId = event.activityTaskStartedEventAttributes?.scheduledEventId;
      }
      if (scheduledId !== undefined && event.eventId === scheduledId) return event.activityTaskScheduledEventAttributes ?? null;
    }
    nextPageToken = answer?.nextPageToken;
    if (!nextPageToken) return null;
  }
  return null;
}
