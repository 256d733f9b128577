// The fan-out side of the durable worker: one object per (domain, task list, shard), named
// so any Worker with the binding reaches the same ones; the registry operations and the
// Cron watchdog over every shard.
import { shardName } from "./options.js";
import { SHARD_HEADER } from "./object.js";

/** A shard's registry operation failed (the object answered an error, or could not be reached). */
export class ShardError extends Error {
  constructor(shard, status, message) {
    super(message);
    this.name = "ShardError";
    this.shard = shard;
    this.status = status;
  }
}

/** The shards of one (domain, task list) behind a Durable Object namespace binding. */
export class ShardRouter {
  /** `options`: `{ domain, taskList, shards = 1 }` (the worker's own options do). */
  constructor(namespace, { domain, taskList, shards = 1 }) {
    if (!namespace || typeof namespace.idFromName !== "function") throw new TypeError("ShardRouter: namespace must be a Durable Object namespace binding");
    if (typeof domain !== "string" || typeof taskList !== "string") throw new TypeError("ShardRouter: domain and taskList must be strings");
    if (!Number.isInteger(shards) || shards < 1 || shards > 256) throw new TypeError("ShardRouter: shards must be an integer from 1 to 256");
    this.namespace = namespace;
    this.domain = domain;
    this.taskList = taskList;
    this.shards = shards;
  }

  /** The stub of shard `shard` (0 ≤ shard < shards). */
  stub(shard) {
    return this.namespace.get(this.namespace.idFromName(shardName(this.domain, this.taskList, shard)));
  }

  /** One operation on one shard; resolves its JSON answer or rejects with a `ShardError`. */
  async call(shard, op, body = {}) {
    let response;
    try {
      response = await this.stub(shard).fetch(`https://swf-edge-worker/${op}`, {
        method: "POST",
        headers: { "content-type": "application/json", [SHARD_HEADER]: String(shard) },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new ShardError(shard, 503, `shard ${shard} could not be reached: ${error?.message ?? error}`);
    }
    const answer = await response.json().catch(() => ({ error: "the shard's answer is not JSON" }));
    if (!response.ok) throw new ShardError(shard, response.status, String(answer.error ?? "the shard refused"));
    return answer;
  }

  /** `op` on `shard`, or on every shard when it is undefined: answers in shard order, failures as `{ shard, error }`. */
  async each(op, body = {}, shard) {
    const shards = shard === undefined ? Array.from({ length: this.shards }, (_, i) => i) : [shard];
    return Promise.all(shards.map((s) => this.call(s, op, body).catch((error) => ({ shard: s, error: String(error.message) }))));
  }

  /** Every shard's summary. */
  status() {
    return this.each("status");
  }

  /** The newest tasks of one shard or of all: `{ tasks, truncated }`. */
  async tasks({ shard, state = "all", limit = 100 } = {}) {
    const answers = await this.each("tasks", { state, limit }, shard);
    const failed = answers.find((a) => a.error !== undefined && !a.tasks);
    if (failed) throw new ShardError(failed.shard, 502, failed.error);
    const tasks = answers.flatMap((a) => a.tasks).sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)) || b.id - a.id);
    return { tasks, truncated: answers.some((a) => a.truncated) };
  }

  /** One task: `{ task }` (a `ShardError` 404 when the shard has no such task). */
  task(shard, id) {
    return this.call(shard, "task", { id });
  }

  /** Drains one shard or all (no new polls; running tasks get `graceMs`, then fail as "worker drained"). */
  drain({ shard, graceMs } = {}) {
    return this.each("drain", graceMs === undefined ? {} : { graceMs }, shard);
  }

  /** Undoes `drain` and starts the poll loop again. */
  resume({ shard } = {}) {
    return this.each("resume", {}, shard);
  }

  /** The Cron watchdog: starts every shard whose loop is not running and has no alarm. */
  watchdog() {
    return this.each("ensure");
  }
}
