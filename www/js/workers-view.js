// The Workers view: the durable activity worker's registry (registry.js) — its shards
// (state, load, last poll and its error, counters, drain/resume) and its tasks (state and
// cancel-requested flag, live heartbeat age, next heartbeat, deadline, details, outcome),
// each with a link to its execution's page in the executions view, where Request cancel
// lives. Read again every REFRESH_MS while auto-refresh is on; ages tick every second.
import { toDate, typeText } from "./executions.js";
import { createRegistry } from "./registry.js";
import { describeError } from "./tasks.js";
import {
  HEARTBEAT_ANSWER_TEXT,
  REFRESH_MS,
  SHARD_STATE_TEXT,
  ageText,
  counterEntries,
  graceMs,
  isOpen,
  lastErrorText,
  recovered,
  shardBadge,
  taskBadge,
  taskStateText,
  untilText,
} from "./workers.js";

const $ = (id) => document.getElementById(id);

function setStatus(element, text, kind = "") {
  element.textContent = text;
  element.dataset.kind = kind;
}

function errorText(error) {
  const { name, message, statusCode } = describeError(error);
  return `${name}: ${message}${statusCode !== undefined ? ` (HTTP ${statusCode})` : ""}`;
}

function el(tag, { className, text, data } = {}, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [key, value] of Object.entries(data ?? {})) node.dataset[key] = value;
  node.append(...children);
  return node;
}

function clock(iso) {
  const date = toDate(iso);
  const time = el("time");
  if (date) {
    time.dateTime = date.toISOString();
    time.textContent = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }
  return time;
}

/** A live "12 s ago" (ticks every second). */
const since = (iso) => el("span", { className: "age", text: ageText(iso), data: { since: iso ?? "" } });
/** A live "in 4 s" / "4 s overdue". */
const until = (iso) => el("span", { className: "age", text: untilText(iso), data: { until: iso ?? "" } });

function badge(state, text) {
  return el("span", { className: "badge", text, data: { state } });
}

function cell(row, label, ...content) {
  const td = el("td", { data: { label } }, ...content);
  row.append(td);
  return td;
}

/**
 * Wires the view. `openExecution(domain, execution)` opens an execution's page (the
 * executions view); `canOpen()` tells whether the page is connected to SWF so it can.
 * Returns `{ connectionChanged() }` for app.js to call when that connection changes.
 */
export function createWorkersView({ openExecution, canOpen }) {
  const ui = {
    form: $("workers-form"),
    url: $("durable-url"),
    token: $("durable-token"),
    connect: $("workers-connect"),
    disconnect: $("workers-disconnect"),
    status: $("workers-status"),
    area: $("workers-area"),
    refresh: $("workers-refresh"),
    auto: $("workers-auto"),
    grace: $("drain-grace"),
    drainAll: $("drain-all"),
    resumeAll: $("resume-all"),
    shardSummary: $("shard-summary"),
    shardRows: $("shard-rows"),
    taskSummary: $("worker-task-summary"),
    taskRows: $("worker-task-rows"),
    taskTable: $("worker-task-table"),
    stateInputs: document.querySelectorAll('input[name="worker-task-state"]'),
  };

  const view = {
    /** The connected registry (holds the only reference to the token), or null. */
    registry: null,
    connecting: false,
    loading: null,
    acting: false,
    timer: null,
    ticker: null,
    last: null,
    /** A read was asked for while one was in flight (e.g. another task filter). */
    again: false,
    /** The last /workers/shards answer rendered. */
    lastShards: null,
  };

  const taskState = () => [...ui.stateInputs].find((input) => input.checked)?.value ?? "open";

  // ------------------------------------------------------------------ connection

  async function connect(event) {
    event?.preventDefault();
    if (view.connecting) return;
    const token = ui.token.value.trim();
    disconnect({ quiet: true }); // a new attempt replaces the old connection, whatever its outcome
    view.connecting = true;
    refreshControls();
    setStatus(ui.status, "Contacting the durable worker…");
    try {
      const registry = await createRegistry({ url: ui.url.value, token });
      ui.token.value = "";
      view.registry = registry;
      ui.area.hidden = false;
      renderShards(registry.first);
      setStatus(ui.status, `Connected to the durable worker at ${registry.label} (dashboard token held in this tab only).`, "ok");
      view.timer = setInterval(() => {
        if (ui.auto.checked) reload();
      }, REFRESH_MS);
      view.ticker = setInterval(tick, 1000);
      await reload();
    } catch (error) {
      const field = error?.field ? ` (${error.field})` : "";
      setStatus(ui.status, `Could not connect to the durable worker: ${describeError(error).name}${field}: ${describeError(error).message}`, "error");
    } finally {
      view.connecting = false;
      refreshControls();
    }
  }

  function disconnect({ quiet = false } = {}) {
    clearInterval(view.timer);
    clearInterval(view.ticker);
    view.timer = view.ticker = null;
    view.registry = null;
    view.loading?.abort();
    view.loading = null;
    view.last = null;
    ui.token.value = "";
    ui.area.hidden = true;
    ui.shardRows.replaceChildren();
    ui.taskRows.replaceChildren();
    if (!quiet) setStatus(ui.status, "Not connected. The durable worker's dashboard token is forgotten.");
    refreshControls();
  }

  // ------------------------------------------------------------------ reading the registry

  /** Reads the shards and the tasks again: one read at a time; asked during one, it reads once more after it. */
  async function reload() {
    const registry = view.registry;
    if (!registry) return;
    if (view.loading) {
      view.again = true;
      return;
    }
    view.again = false;
    const controller = new AbortController();
    view.loading = controller;
    ui.taskTable.setAttribute("aria-busy", "true");
    try {
      const [shards, tasks] = await Promise.all([registry.shards({ signal: controller.signal }), registry.tasks(taskState(), { signal: controller.signal })]);
      if (view.registry !== registry) return;
      renderShards(shards);
      renderTasks(tasks);
      view.last = new Date();
      if (ui.status.dataset.kind === "error" || ui.status.dataset.stale === "true") {
        setStatus(ui.status, `Connected to the durable worker at ${registry.label}; read again at ${clock(view.last.toISOString()).textContent}.`, "ok");
        ui.status.dataset.stale = "false";
      }
    } catch (error) {
      if (view.registry !== registry || controller.signal.aborted) return;
      const at = view.last ? ` The lists are from ${clock(view.last.toISOString()).textContent}.` : "";
      setStatus(ui.status, `Could not read the registry: ${errorText(error)}.${at}`, "error");
      ui.status.dataset.stale = "true";
    } finally {
      if (view.loading === controller) view.loading = null;
      ui.taskTable.removeAttribute("aria-busy");
      // Counts finished reads (lets a test or a screen reader user tell a new answer from the last).
      ui.taskTable.dataset.reads = String(Number(ui.taskTable.dataset.reads ?? 0) + 1);
      if (view.again && view.registry === registry) reload();
    }
  }

  /** Keeps the focus on the same control (by its data-key) across a re-render of `body`. */
  function keepingFocus(body, render) {
    const key = body.contains(document.activeElement) ? document.activeElement?.dataset?.key : undefined;
    render();
    if (key) body.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
  }

  function renderShards(answer) {
    view.lastShards = answer; // so that a drain/resume answer can update it in place
    ui.shardSummary.textContent = `Domain ${answer.domain}, task list ${answer.taskList}: ${answer.shardCount} shard${answer.shardCount === 1 ? "" : "s"}.`;
    keepingFocus(ui.shardRows, () => {
      ui.shardRows.replaceChildren();
      for (const shard of answer.shards ?? []) ui.shardRows.append(shardRow(shard));
    });
  }

  function shardRow(shard) {
    const row = el("tr", { data: { shard: String(shard.shard), state: shardBadge(shard) } });
    cell(row, "Shard", el("strong", { text: `#${shard.shard}` }), " ", el("code", { className: "token", text: shard.identity ?? "" }));
    if (shard.error !== undefined) {
      cell(row, "State", badge("error", "Could not answer"), " ", el("span", { className: "hint", text: shard.error }));
      row.append(el("td"), el("td"), el("td"), el("td"));
      return row;
    }
    const state = cell(row, "State", badge(shardBadge(shard), SHARD_STATE_TEXT[shard.state] ?? shard.state));
    state.append(
      el("span", { className: "load", text: `${shard.running} running of ${shard.concurrency}` }),
      el("span", { className: "hint", text: `${shard.pollsOpen} poll${shard.pollsOpen === 1 ? "" : "s"} open (at most ${shard.maxPolls})` }),
    );
    if (shard.state === "backoff" && shard.backoffUntil) state.append(el("span", { className: "hint" }, "polls again ", until(shard.backoffUntil)));
    if (shard.draining && shard.drainDeadline) state.append(el("span", { className: "hint" }, "running tasks fail ", until(shard.drainDeadline)));
    cell(row, "Last poll", shard.lastPollAt ? clock(shard.lastPollAt) : "never", " ", shard.lastPollAt ? since(shard.lastPollAt) : "");
    const error = cell(row, "Last poll error");
    error.className = "details last-error";
    if (shard.lastError) {
      error.append(el("strong", { className: "error-name", text: shard.lastError.name ?? "Error" }), el("span", { className: "error-message", text: ` ${shard.lastError.message ?? ""}` }));
      error.append(el("span", { className: "hint" }, "at ", clock(shard.lastError.at), " (", since(shard.lastError.at), ")", recovered(shard) ? " — polling again since" : ""));
      error.title = lastErrorText(shard);
    } else error.append(el("span", { className: "hint", text: "none" }));
    const counters = el("ul", { className: "counters" });
    for (const [label, value] of counterEntries(shard.counters)) counters.append(el("li", { data: { counter: label } }, el("strong", { text: String(value) }), ` ${label}`));
    cell(row, "Counters", counters);
    const drain = el("button", { text: "Drain", data: { key: `drain-${shard.shard}` } });
    drain.type = "button";
    drain.className = "danger";
    drain.disabled = shard.draining || view.acting;
    drain.setAttribute("aria-label", `Drain shard ${shard.shard}`);
    drain.addEventListener("click", () => act(`Drain shard ${shard.shard}`, (registry) => registry.drain(shard.shard, graceMs(ui.grace.value))));
    const resume = el("button", { text: "Resume", data: { key: `resume-${shard.shard}` } });
    resume.type = "button";
    resume.disabled = !shard.draining || view.acting;
    resume.setAttribute("aria-label", `Resume shard ${shard.shard}`);
    resume.addEventListener("click", () => act(`Resume shard ${shard.shard}`, (registry) => registry.resume(shard.shard)));
    cell(row, "", el("span", { className: "row-buttons" }, drain, resume)).className = "row-action";
    return row;
  }

  function renderTasks({ tasks = [], truncated }) {
    const state = taskState();
    const what = { open: "running", closed: "closed", all: "" }[state];
    ui.taskSummary.textContent = tasks.length
      ? `${tasks.length}${what ? ` ${what}` : ""} task${tasks.length === 1 ? "" : "s"}, newest first${truncated ? " (some shards hold more)" : ""}.`
      : `No${what ? ` ${what}` : ""} tasks.`;
    keepingFocus(ui.taskRows, () => {
      ui.taskRows.replaceChildren();
      for (const task of tasks) ui.taskRows.append(taskRow(task));
    });
  }

  function taskRow(task) {
    const row = el("tr", { data: { activityId: task.activityId ?? "", state: taskBadge(task), shard: String(task.shard), taskId: String(task.id) } });
    cell(
      row,
      "Task",
      el("strong", { text: task.activityId ?? "" }),
      " ",
      typeText(task.activityType),
      el("span", { className: "hint", text: `shard ${task.shard} · #${task.id} · attempt ${task.attempt}` }),
      el("span", { className: "hint" }, "started ", clock(task.startedAt)),
    );
    const execution = task.workflowExecution ?? {};
    const open = el("button", { text: "Open execution", data: { key: `open-${task.shard}-${task.id}` } });
    open.type = "button";
    open.className = "open-execution";
    open.disabled = !canOpen();
    open.title = canOpen() ? "" : "Connect to SWF above (Worker or direct) to open the execution.";
    open.setAttribute("aria-label", `Open the execution of ${task.activityId}`);
    open.addEventListener("click", () => openExecution(task.domain, { workflowId: execution.workflowId, runId: execution.runId }));
    cell(row, "Execution", el("code", { className: "workflow-id", text: execution.workflowId ?? "" }), el("span", { className: "row-buttons" }, open));
    const state = cell(row, "State", badge(taskBadge(task), taskStateText(task)));
    if (task.cancelRequested) state.append(" ", el("span", { className: "flag", text: "cancel requested", data: { flag: "cancel-requested" } }));
    if (task.outcome?.reason) state.append(el("span", { className: "hint", text: task.outcome.reason }));
    const beat = cell(row, "Heartbeat");
    if (task.lastHeartbeatAt) beat.append(el("span", { className: "heartbeat-age" }, since(task.lastHeartbeatAt)));
    else beat.append(el("span", { className: "heartbeat-age", text: "no heartbeat yet" }));
    if (task.lastHeartbeatAnswer) beat.append(el("span", { className: "hint", text: HEARTBEAT_ANSWER_TEXT[task.lastHeartbeatAnswer] ?? task.lastHeartbeatAnswer }));
    beat.append(el("span", { className: "hint", text: `${task.heartbeats ?? 0} sent · timeout ${task.heartbeatTimeout ?? "unknown"}` }));
    if (isOpen(task) && task.nextHeartbeatAt) beat.append(el("span", { className: "hint" }, "next ", until(task.nextHeartbeatAt)));
    const deadline = cell(row, "Deadline");
    if (isOpen(task) && task.deadlineAt) deadline.append(until(task.deadlineAt));
    else if (task.closedAt) deadline.append(el("span", { className: "hint" }, "closed ", clock(task.closedAt)));
    else deadline.append(el("span", { className: "hint", text: "none" }));
    deadline.append(el("span", { className: "hint", text: `start-to-close ${task.startToCloseTimeout ?? "unknown"}` }));
    cell(row, "Details", task.details ?? "").className = "details";
    return row;
  }

  /** Updates every live age and countdown in the view. */
  function tick() {
    const now = Date.now();
    for (const node of ui.area.querySelectorAll("[data-since]")) if (node.dataset.since) node.textContent = ageText(node.dataset.since, now);
    for (const node of ui.area.querySelectorAll("[data-until]")) if (node.dataset.until) node.textContent = untilText(node.dataset.until, now);
  }

  // ------------------------------------------------------------------ drain and resume

  async function act(what, work) {
    const registry = view.registry;
    if (!registry || view.acting) return;
    view.acting = true;
    refreshControls();
    setStatus(ui.status, `${what}…`);
    try {
      const { shards } = await work(registry);
      if (view.registry !== registry) return;
      setStatus(ui.status, `${what}: done at ${clock(new Date().toISOString()).textContent}.`, "ok");
      ui.status.dataset.stale = "false";
      if (view.lastShards) renderShards({ ...view.lastShards, shards: mergeShards(view.lastShards.shards, shards) });
    } catch (error) {
      setStatus(ui.status, `${what} failed: ${errorText(error)}`, "error");
    } finally {
      view.acting = false;
      refreshControls();
      await reload();
    }
  }

  function mergeShards(all = [], changed = []) {
    const byShard = new Map(all.map((s) => [s.shard, s]));
    for (const s of changed) byShard.set(s.shard, s);
    return [...byShard.values()].sort((a, b) => a.shard - b.shard);
  }

  // ------------------------------------------------------------------ enabling controls

  function refreshControls() {
    const connected = Boolean(view.registry);
    ui.connect.disabled = view.connecting;
    ui.disconnect.disabled = !connected;
    ui.refresh.disabled = !connected;
    ui.drainAll.disabled = !connected || view.acting;
    ui.resumeAll.disabled = !connected || view.acting;
    for (const button of ui.shardRows.querySelectorAll("button")) if (view.acting) button.disabled = true;
  }

  // ------------------------------------------------------------------ wiring

  ui.form.addEventListener("submit", connect);
  ui.disconnect.addEventListener("click", () => disconnect());
  ui.refresh.addEventListener("click", reload);
  for (const input of ui.stateInputs) input.addEventListener("change", reload);
  ui.drainAll.addEventListener("click", () => {
    let grace;
    try {
      grace = graceMs(ui.grace.value);
    } catch (error) {
      setStatus(ui.status, error.message, "error");
      return;
    }
    act("Drain all shards", (registry) => registry.drain(undefined, grace));
  });
  ui.resumeAll.addEventListener("click", () => act("Resume all shards", (registry) => registry.resume(undefined)));
  refreshControls();

  return {
    /** After the SWF connection changed: the "Open execution" buttons follow it. */
    connectionChanged() {
      for (const button of ui.taskRows.querySelectorAll("button.open-execution")) {
        button.disabled = !canOpen();
        button.title = canOpen() ? "" : "Connect to SWF above (Worker or direct) to open the execution.";
      }
    },
    /** Pre-fills the durable worker's URL (never a token). */
    prefill({ url }) {
      if (url) ui.url.value = url;
    },
  };
}
