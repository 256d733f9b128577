// The Durable Object class of one worker shard: the alarm-driven poll loop (a slot reserved
// before each poll, at most `maxPolls` polls and `maxConnections` SWF calls in flight), the
// wake-up recovery of tasks a reset left behind, drain/resume, and the registry answers.
import { SwfClient } from "swf-edge";
import { Budget, backoffMs, errorSummary, isThrottling, isUnknownResource, sleep } from "./calls.js";
import { readWorkerOptions, workerOptionsFromEnv } from "./options.js";
import { TaskStore, iso, publicTask } from "./store.js";
import { TaskRun } from "./task-run.js";

/** How long SWF may still hand a task to a poll that was open when the object was reset. */
export const ORPHAN_WINDOW_MS = 70_000;
/** The header the router names the shard with. */
export const SHARD_HEADER = "x-swf-edge-shard";
const RESTART_REASON = "worker restarted";
const DRAIN_REASON = "worker drained";

/** `{ "name/version": handler | { handler, resumable } }` checked into a Map. */
function readActivities(activities) {
  if (activities === null || typeof activities !== "object") throw new TypeError("swf-edge/worker: activities must be an object of handlers by \"name/version\"");
  const table = new Map();
  for (const [key, value] of Object.entries(activities)) {
    if (!/^[^/]+\/[^/]+$/.test(key)) throw new TypeError(`swf-edge/worker: activity key ${JSON.stringify(key)} must be "name/version"`);
    const entry = typeof value === "function" ? { handler: value, resumable: false } : value;
    if (typeof entry?.handler !== "function") throw new TypeError(`swf-edge/worker: activity ${key} needs a handler function`);
    table.set(key, { handler: entry.handler, resumable: entry.resumable === true });
  }
  return table;
}

/**
 * Turns handlers into a Durable Object class that is an SWF activity worker for one shard
 * of (domain, task list). `definition`: `{ activities, options?(env) }` (options default to
 * `workerOptionsFromEnv`). Bind the class with a `new_sqlite_classes` migration; route to
 * it with `ShardRouter`.
 */
export function defineActivityWorker(definition) {
  const activities = readActivities(definition?.activities);
  const optionsOf = definition?.options ?? workerOptionsFromEnv;
  if (typeof optionsOf !== "function") throw new TypeError("swf-edge/worker: options must be a function (env) => options");

  return class ActivityWorker {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
      this.store = new TaskStore(ctx.storage.sql);
      this.instance = crypto.randomUUID();
      this.runs = new Map();
      this.pollsOpen = 0;
      this.session = null;
      this.failures = 0;
      this.typeCache = new Map();
      this.kick = new AbortController();
      this.drainTimer = null;
      this.recovered = false;
      try {
        this.options = readWorkerOptions(optionsOf(env));
        const { region, endpoint, credentials, client = {} } = this.options;
        this.client = new SwfClient({ ...client, region, credentials, ...(endpoint ? { endpoint } : {}) });
      } catch (error) {
        this.configError = errorSummary(error);
      }
      this.budget = new Budget(this.options?.maxConnections ?? 1);
      this.call = (fn, options) => this.budget.run(fn, options);
    }

    now() {
      return Date.now();
    }

    get shard() {
      return Number(this.store.get("shard") ?? 0);
    }

    get identity() {
      const { identity, taskList } = this.options;
      return `${identity ?? `swf-edge/${taskList}`}/${this.shard}`.slice(0, 256);
    }

    get draining() {
      return this.store.get("draining") === "1";
    }

    /** Wakes every wait (poll loops, slot waits): something changed. */
    #notify() {
      const kick = this.kick;
      this.kick = new AbortController();
      kick.abort();
    }

    #recordError(error, now = this.now()) {
      const { name, message } = errorSummary(error);
      this.store.set("last_error", JSON.stringify({ name, message, at: iso(now) }));
    }

    /** The alarm: one session of the poll loop (alarms never overlap, so neither do sessions). */
    async alarm() {
      if (this.configError || this.session) return;
      try {
        await this.#runSession();
      } catch (error) {
        this.#recordError(error);
        this.session = null;
        await this.ctx.storage.setAlarm(this.now() + backoffMs(++this.failures, this.options.pollBackoff, false));
      }
    }

    async #runSession() {
      const { keepAliveMs, sessionMs } = this.options;
      const session = { startedAt: this.now() };
      this.session = session;
      this.store.set("session_started_at", session.startedAt);
      // A dead man's switch: if this invocation is cut off, this alarm starts the next session.
      const keepAlive = () => {
        this.ctx.storage.setAlarm(this.now() + 2 * keepAliveMs).catch(() => {});
        this.store.prune(this.now(), this.options.closedRetentionMs, this.options.maxClosedRows);
      };
      keepAlive();
      const ticker = setInterval(keepAlive, keepAliveMs);
      try {
        this.#recover();
        this.#armDrainTimer();
        const stop = () => this.draining || this.now() - session.startedAt >= sessionMs;
        await Promise.all(Array.from({ length: this.options.maxPolls }, () => this.#pollLoop(stop)));
        while (this.runs.size) await Promise.allSettled([...this.runs.values()].map((run) => run.done));
      } finally {
        clearInterval(ticker);
        this.session = null;
        this.store.set("session_started_at", null);
      }
      if (this.draining) await this.ctx.storage.deleteAlarm();
      else await this.ctx.storage.setAlarm(Math.max(this.now() + 1, Number(this.store.get("backoff_until") ?? 0)));
    }

    /**
     * Open tasks nothing in this instance works on: those a reset left (resumed, or answered
     * as documented) and answers an earlier session could not send (sent again).
     */
    #recover() {
      const now = this.now();
      if (!this.recovered) {
        this.recovered = true;
        this.store.count("orphanedPolls", this.store.orphanPolls(this.instance, now));
      }
      for (const row of this.store.openRows()) {
        if (this.runs.has(row.id)) continue;
        if (row.instance !== this.instance) this.store.count("restarted");
        this.store.update(row.id, { instance: this.instance });
        if (row.state === "closing" && row.close_call) {
          this.#track(row.id, this.respond(row.id, row.token, JSON.parse(row.close_call), { repeated: true }));
          continue;
        }
        const activity = activities.get(`${row.type_name}/${row.type_version}`);
        if (activity?.resumable && !this.draining && row.state === "started") {
          this.store.update(row.id, { attempt: row.attempt + 1 });
          this.#start({ ...row, attempt: row.attempt + 1, instance: this.instance }, activity, true);
          continue;
        }
        const answer = row.cancel_requested === 1
          ? { status: "canceled", details: "the worker restarted after the cancel request" }
          : { status: "failed", reason: this.draining ? DRAIN_REASON : RESTART_REASON, details: `the worker's Durable Object was reset while the handler ran (attempt ${row.attempt})` };
        this.store.update(row.id, { state: "closing", close_call: JSON.stringify(answer) });
        this.#track(row.id, this.respond(row.id, row.token, answer, { repeated: false }));
      }
    }

    #track(id, promise) {
      const entry = { done: promise.finally(() => {
        if (this.runs.get(id) === entry) this.runs.delete(id);
        this.#notify();
      }) };
      this.runs.set(id, entry);
      return entry;
    }

    #start(row, activity, resumed) {
      const run = new TaskRun(this, row, activity, { resumed });
      const entry = this.#track(row.id, run.run().catch((error) => this.#recordError(error)));
      entry.run = run;
    }

    #armDrainTimer() {
      clearTimeout(this.drainTimer);
      if (!this.draining) return;
      const deadline = Number(this.store.get("drain_deadline") ?? 0);
      this.drainTimer = setTimeout(() => {
        for (const entry of this.runs.values()) entry.run?.stop("WorkerDrained", DRAIN_REASON, "the worker was drained before the handler finished");
      }, Math.max(0, deadline - this.now()));
    }

    async #pollLoop(stop) {
      const { concurrency, domain, taskList, pollBackoff, keepAliveMs } = this.options;
      while (!stop()) {
        if (this.runs.size + this.pollsOpen >= concurrency) {
          await sleep(keepAliveMs, this.kick.signal); // a slot frees, or drain/resume
          continue;
        }
        const wait = Number(this.store.get("backoff_until") ?? 0) - this.now();
        if (wait > 0) {
          await sleep(wait, this.kick.signal);
          continue;
        }
        this.pollsOpen += 1; // the slot is reserved before the poll
        const pollId = this.store.pollStarted(this.instance, this.now());
        try {
          const task = await this.call(async () => {
            const polled = await this.client.pollForActivityTask({ domain, taskList: { name: taskList }, identity: this.identity }, { maxAttempts: 1 });
            if (polled) this.#accept(polled, pollId); // the row is written before anything else is awaited
            return polled;
          }, { low: true });
          const now = this.now();
          if (!task) {
            this.store.pollEnded(pollId, "empty", now);
            this.store.count("emptyPolls");
          }
          this.failures = 0;
          this.store.set("last_poll_at", now);
        } catch (error) {
          const now = this.now();
          this.store.pollEnded(pollId, "error", now);
          this.store.count("pollErrors");
          this.#recordError(error, now);
          this.failures += 1;
          this.store.set("backoff_until", now + backoffMs(this.failures, pollBackoff, isThrottling(error)));
        } finally {
          this.pollsOpen -= 1;
        }
      }
    }

    #accept(task, pollId) {
      const now = this.now();
      const id = this.store.insertTask(task, this.instance, now);
      this.store.pollEnded(pollId, "task", now);
      this.store.count("polled");
      const activity = activities.get(`${task.activityType?.name}/${task.activityType?.version}`);
      this.#start(this.store.row(id), activity, false);
    }

    /**
     * Sends the answer that closes task `id` (`call`: `{ status, result?, reason?, details? }`),
     * retrying with backoff up to `closeAttempts` times; the row ends closed or lost, or stays
     * closing (retried on the next wake-up) if SWF could not be reached.
     */
    async respond(id, taskToken, call, { repeated }) {
      const { status, result, reason, details } = call;
      const send = () => {
        if (status === "completed") return this.client.respondActivityTaskCompleted({ taskToken, result });
        if (status === "canceled") return this.client.respondActivityTaskCanceled({ taskToken, details });
        return this.client.respondActivityTaskFailed({ taskToken, reason, details });
      };
      for (let attempt = 1; attempt <= this.options.closeAttempts; attempt++) {
        try {
          await this.call(send);
          this.store.close(id, "closed", status, status === "failed" ? (reason ?? null) : null, this.now());
          this.store.count(status);
          return;
        } catch (error) {
          if (isUnknownResource(error)) {
            const why = repeated
              ? "SWF no longer knew the task when its answer was repeated after a restart (the first answer may have landed)"
              : "SWF no longer knew the task when it was answered (timed out or closed elsewhere)";
            this.store.close(id, "lost", "lost", why, this.now());
            this.store.count("lost");
            return;
          }
          if (error?.name === "ValidationError" && status !== "failed") {
            // SWF's model refused the answer (e.g. a result too long): fail the task, saying why.
            return this.respond(id, taskToken, { status: "failed", reason: "AnswerRefused", details: errorSummary(error).message }, { repeated });
          }
          this.store.update(id, { reason: `${errorSummary(error).name} while answering (attempt ${attempt})` });
          if (!error?.retryable && error?.name !== "TransportError" && error?.name !== "TimeoutError") return;
          await sleep(backoffMs(attempt, this.options.pollBackoff, isThrottling(error)));
        }
      }
    }

    /** The shard's summary for the registry. */
    #status() {
      const now = this.now();
      const open = this.store.openCount();
      const draining = this.draining;
      const backoffUntil = Number(this.store.get("backoff_until") ?? 0);
      const recentOrphans = this.store.recentOrphans(now - ORPHAN_WINDOW_MS, this.instance);
      let state = "idle";
      if (draining) state = this.pollsOpen === 0 && open === 0 && recentOrphans === 0 ? "drained" : "draining";
      else if (this.session) state = backoffUntil > now ? "backoff" : "polling";
      const lastError = this.store.get("last_error");
      const started = this.store.get("session_started_at");
      const drainDeadline = this.store.get("drain_deadline");
      const lastPoll = this.store.get("last_poll_at");
      return {
        shard: this.shard,
        domain: this.options.domain,
        taskList: this.options.taskList,
        identity: this.identity,
        state,
        draining,
        drainDeadline: draining && drainDeadline ? iso(Number(drainDeadline)) : null,
        pollsOpen: this.pollsOpen,
        running: open,
        concurrency: this.options.concurrency,
        maxPolls: this.options.maxPolls,
        sessionStartedAt: this.session && started ? iso(Number(started)) : null,
        alarmAt: null,
        lastPollAt: lastPoll ? iso(Number(lastPoll)) : null,
        backoffUntil: backoffUntil > now ? iso(backoffUntil) : null,
        lastError: lastError ? JSON.parse(lastError) : null,
        counters: this.store.counters(),
      };
    }

    async #summary() {
      const status = this.#status();
      const alarm = await this.ctx.storage.getAlarm();
      status.alarmAt = alarm === null ? null : iso(alarm);
      return status;
    }

    async #startSoon() {
      if (!this.session) await this.ctx.storage.setAlarm(this.now() + 1);
    }

    /** The registry's operations (the router's requests): `POST /<op>` with a JSON body. */
    async fetch(request) {
      if (this.configError) return Response.json({ error: `the worker's options are wrong: ${this.configError.message}` }, { status: 500 });
      const shard = request.headers.get(SHARD_HEADER);
      if (shard !== null && /^\d{1,3}$/.test(shard) && this.store.get("shard") !== shard) this.store.set("shard", shard);
      const op = new URL(request.url).pathname.slice(1);
      const body = request.method === "POST" ? await request.json().catch(() => ({})) : {};
      const now = this.now();
      switch (op) {
        case "status":
          return Response.json(await this.#summary());
        case "tasks": {
          const limit = Number.isInteger(body.limit) ? Math.min(Math.max(body.limit, 1), 1000) : 100;
          const { rows, truncated } = this.store.list(body.state ?? "all", limit);
          return Response.json({ tasks: rows.map((row) => publicTask(row, this.shard, this.options.domain)), truncated });
        }
        case "task": {
          const row = Number.isInteger(body.id) ? this.store.row(body.id) : undefined;
          if (!row) return Response.json({ error: "no such task in this shard" }, { status: 404 });
          return Response.json({ task: publicTask(row, this.shard, this.options.domain) });
        }
        case "drain": {
          const graceMs = body.graceMs ?? this.options.drainGraceMs;
          if (!this.draining) {
            this.store.set("draining", "1");
            this.store.set("drain_deadline", now + graceMs);
          } else if (body.graceMs !== undefined) {
            this.store.set("drain_deadline", now + graceMs);
          }
          if (this.session) this.#armDrainTimer();
          else if (this.store.openCount()) await this.ctx.storage.setAlarm(now + 1); // answer what a reset left
          else await this.ctx.storage.deleteAlarm();
          this.#notify();
          return Response.json(await this.#summary());
        }
        case "resume":
          this.store.set("draining", null);
          this.store.set("drain_deadline", null);
          clearTimeout(this.drainTimer);
          await this.#startSoon();
          this.#notify();
          return Response.json(await this.#summary());
        case "ensure": {
          // The watchdog: a loop whose alarm was lost (or is long overdue) is started again.
          if (!this.draining && !this.session) {
            const alarm = await this.ctx.storage.getAlarm();
            if (alarm === null || alarm < now - 60_000) {
              await this.ctx.storage.setAlarm(now + 1);
              this.store.count("watchdogRearms");
            }
          }
          return Response.json(await this.#summary());
        }
        default:
          return Response.json({ error: `unknown operation ${op}` }, { status: 404 });
      }
    }
  };
}
