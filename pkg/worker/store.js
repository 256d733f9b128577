// The durable worker's registry in the object's SQLite storage (`ctx.storage.sql`): one row
// per task it holds (token kept here only while the task is open), one per poll, the
// counters, and a few settings (shard, draining, last error). Every call is synchronous:
// a write lands before the caller's next await.

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS swf_meta (k TEXT PRIMARY KEY, v TEXT)`,
  `CREATE TABLE IF NOT EXISTS swf_counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS swf_tasks (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     token TEXT UNIQUE,
     activity_id TEXT, type_name TEXT, type_version TEXT, workflow_id TEXT, run_id TEXT, started_event_id INTEGER,
     input TEXT,
     state TEXT NOT NULL,
     attempt INTEGER NOT NULL DEFAULT 1,
     instance TEXT,
     started_at INTEGER, last_hb_at INTEGER, last_hb_answer TEXT, next_hb_at INTEGER,
     hb_timeout TEXT, stc_timeout TEXT, deadline_at INTEGER,
     cancel_requested INTEGER NOT NULL DEFAULT 0, heartbeats INTEGER NOT NULL DEFAULT 0,
     details TEXT, outcome TEXT, reason TEXT, close_call TEXT, closed_at INTEGER)`,
  `CREATE INDEX IF NOT EXISTS swf_tasks_state ON swf_tasks (state)`,
  `CREATE TABLE IF NOT EXISTS swf_polls (id INTEGER PRIMARY KEY AUTOINCREMENT, instance TEXT, started_at INTEGER, ended_at INTEGER, outcome TEXT)`,
];

/** The counters every shard reports, in the order the registry shows them. */
export const COUNTERS = ["polled", "emptyPolls", "pollErrors", "completed", "failed", "canceled", "lost", "restarted", "orphanedPolls", "heartbeats", "watchdogRearms"];

/** Task states that still hold a task token (the task is open in SWF as far as the worker knows). */
export const OPEN_STATES = ["started", "cancel-requested", "closing"];
const OPEN_SQL = `('started', 'cancel-requested', 'closing')`;

const iso = (ms) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** The registry of one worker object. */
export class TaskStore {
  constructor(sql) {
    this.sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
  }

  #one(query, ...bindings) {
    return this.sql.exec(query, ...bindings).toArray()[0];
  }

  /** A setting (string) or `undefined`. */
  get(key) {
    return this.#one(`SELECT v FROM swf_meta WHERE k = ?`, key)?.v ?? undefined;
  }

  /** Stores a setting (`null` deletes it). */
  set(key, value) {
    if (value === null || value === undefined) this.sql.exec(`DELETE FROM swf_meta WHERE k = ?`, key);
    else this.sql.exec(`INSERT INTO swf_meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, key, String(value));
  }

  /** Adds `by` to counter `name`. */
  count(name, by = 1) {
    if (by === 0) return;
    this.sql.exec(`INSERT INTO swf_counters (name, n) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET n = n + excluded.n`, name, by);
  }

  /** Every counter, 0 for those never counted. */
  counters() {
    const out = Object.fromEntries(COUNTERS.map((name) => [name, 0]));
    for (const { name, n } of this.sql.exec(`SELECT name, n FROM swf_counters`)) if (Object.hasOwn(out, name)) out[name] = n;
    return out;
  }

  /** Records a poll about to be sent; returns its id. */
  pollStarted(instance, now) {
    return this.#one(`INSERT INTO swf_polls (instance, started_at) VALUES (?, ?) RETURNING id`, instance, now).id;
  }

  /** Records how a poll ended: "task", "empty" or "error". */
  pollEnded(id, outcome, now) {
    this.sql.exec(`UPDATE swf_polls SET ended_at = ?, outcome = ? WHERE id = ?`, now, outcome, id);
  }

  /** Marks the polls another instance left open as possibly orphaned; returns how many. */
  orphanPolls(instance, now) {
    const rows = this.sql.exec(`UPDATE swf_polls SET ended_at = ?, outcome = 'possibly-orphaned' WHERE ended_at IS NULL AND instance != ? RETURNING id`, now, instance).toArray();
    return rows.length;
  }

  /**
   * How many polls started after `since` were left open by a reset (SWF may still hand them
   * a task): marked possibly orphaned, or still open from another instance (not yet marked).
   */
  recentOrphans(since, instance) {
    return this.#one(
      `SELECT count(*) AS n FROM swf_polls WHERE started_at > ? AND (outcome = 'possibly-orphaned' OR (ended_at IS NULL AND instance != ?))`,
      since, instance,
    ).n;
  }

  /** The task's row, written the moment the poll answered (before any other await). Returns its id. */
  insertTask(task, instance, now) {
    const { activityType = {}, workflowExecution = {} } = task;
    return this.#one(
      `INSERT INTO swf_tasks (token, activity_id, type_name, type_version, workflow_id, run_id, started_event_id, input, state, instance, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'started', ?, ?) RETURNING id`,
      task.taskToken, task.activityId ?? null, activityType.name ?? null, activityType.version ?? null,
      workflowExecution.workflowId ?? null, workflowExecution.runId ?? null, task.startedEventId ?? null, task.input ?? null, instance, now,
    ).id;
  }

  /** Updates some columns of a task row (`fields` by column name). */
  update(id, fields) {
    const keys = Object.keys(fields);
    if (!keys.length) return;
    this.sql.exec(`UPDATE swf_tasks SET ${keys.map((k) => `${k} = ?`).join(", ")} WHERE id = ?`, ...keys.map((k) => fields[k]), id);
  }

  /** Closes a row for good: outcome, reason, time; the token, input and pending call are forgotten. */
  close(id, state, outcome, reason, now) {
    this.sql.exec(
      `UPDATE swf_tasks SET state = ?, outcome = ?, reason = ?, closed_at = ?, token = NULL, input = NULL, close_call = NULL, next_hb_at = NULL WHERE id = ?`,
      state, outcome, reason, now, id,
    );
  }

  /** The full row (token included: for the worker's own use only). */
  row(id) {
    return this.#one(`SELECT * FROM swf_tasks WHERE id = ?`, id);
  }

  /** Every open row (the caller skips those whose handler runs). */
  openRows() {
    return this.sql.exec(`SELECT * FROM swf_tasks WHERE state IN ${OPEN_SQL} ORDER BY id`).toArray();
  }

  /** How many tasks are open. */
  openCount() {
    return this.#one(`SELECT count(*) AS n FROM swf_tasks WHERE state IN ${OPEN_SQL}`).n;
  }

  /** Deletes closed rows older than `retentionMs`, and all but the newest `maxRows` of them. */
  prune(now, retentionMs, maxRows) {
    this.sql.exec(`DELETE FROM swf_tasks WHERE state IN ('closed', 'lost') AND closed_at < ?`, now - retentionMs);
    this.sql.exec(
      `DELETE FROM swf_tasks WHERE state IN ('closed', 'lost') AND id NOT IN (SELECT id FROM swf_tasks WHERE state IN ('closed', 'lost') ORDER BY id DESC LIMIT ?)`,
      maxRows,
    );
    this.sql.exec(`DELETE FROM swf_polls WHERE ended_at IS NOT NULL AND id NOT IN (SELECT id FROM swf_polls ORDER BY id DESC LIMIT 100)`);
  }

  /** Up to `limit` rows, newest first, of "open", "closed" or "all"; plus whether more exist. */
  list(state, limit) {
    const where = state === "open" ? `WHERE state IN ${OPEN_SQL}` : state === "closed" ? `WHERE state IN ('closed', 'lost')` : "";
    const rows = this.sql.exec(`SELECT * FROM swf_tasks ${where} ORDER BY started_at DESC, id DESC LIMIT ?`, limit + 1).toArray();
    return { rows: rows.slice(0, limit), truncated: rows.length > limit };
  }
}

/** A task row as the registry shows it: no token, no input, no result. */
export function publicTask(row, shard, domain) {
  return {
    shard,
    id: row.id,
    domain,
    activityId: row.activity_id,
    activityType: { name: row.type_name, version: row.type_version },
    workflowExecution: { workflowId: row.workflow_id, runId: row.run_id },
    startedEventId: row.started_event_id,
    state: row.state,
    attempt: row.attempt,
    startedAt: iso(row.started_at),
    lastHeartbeatAt: iso(row.last_hb_at),
    lastHeartbeatAnswer: row.last_hb_answer ?? null,
    nextHeartbeatAt: iso(row.next_hb_at),
    heartbeatTimeout: row.hb_timeout ?? null,
    startToCloseTimeout: row.stc_timeout ?? null,
    deadlineAt: iso(row.deadline_at),
    cancelRequested: row.cancel_requested === 1,
    heartbeats: row.heartbeats,
    details: row.details ?? null,
    outcome: row.outcome ? { status: row.outcome, reason: row.reason ?? null } : null,
    closedAt: iso(row.closed_at),
  };
}

export { iso };
