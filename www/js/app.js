// The dashboard's UI. Everything is kept in this module's memory: task tokens, the chosen
// backend (which alone holds the credentials or the dashboard token). Nothing goes to
// localStorage/sessionStorage, cookies, the URL or the console.
import {
  MAX_CANCEL_DETAILS,
  codePoints,
  describeError,
  mergeTasks,
  parseTaskFile,
  parseTokenLines,
  shortToken,
} from "./tasks.js";
import { createWorkerBackend } from "./worker-mode.js";
import { createExecutionsView } from "./executions-view.js";
import { createWorkersView } from "./workers-view.js";

const $ = (id) => document.getElementById(id);

const ui = {
  modeInputs: document.querySelectorAll('input[name="mode"]'),
  workerSettings: $("worker-settings"),
  directSettings: $("direct-settings"),
  workerUrl: $("worker-url"),
  workerToken: $("worker-token"),
  region: $("region"),
  endpoint: $("endpoint"),
  accessKeyId: $("access-key-id"),
  secretAccessKey: $("secret-access-key"),
  sessionToken: $("session-token"),
  connect: $("connect"),
  disconnect: $("disconnect"),
  connectionStatus: $("connection-status"),
  paste: $("paste"),
  addTokens: $("add-tokens"),
  file: $("file"),
  tasksStatus: $("tasks-status"),
  selectRequested: $("select-requested"),
  removeSelected: $("remove-selected"),
  clearTasks: $("clear-tasks"),
  table: $("task-table"),
  summary: $("table-summary"),
  selectAll: $("select-all"),
  rows: $("task-rows"),
  check: $("check"),
  details: $("details"),
  detailsCount: $("details-count"),
  force: $("force"),
  cancel: $("cancel"),
  progressArea: $("progress-area"),
  progressLabel: $("progress-label"),
  progress: $("progress"),
  stop: $("stop"),
  runStatus: $("run-status"),
  dialog: $("confirm-dialog"),
  confirmText: $("confirm-text"),
  confirmYes: $("confirm-yes"),
  confirmNo: $("confirm-no"),
};

const state = {
  /** { mode, label, check(), cancel() } or null. Holds the only reference to credentials. */
  backend: null,
  /** [{ id, taskToken, label, selected, pending?, result? }] */
  tasks: [],
  nextId: 1,
  busy: false,
  controller: null,
  connecting: false,
};

/** The executions view (its own module); it reaches SWF through state.backend only. */
const executions = createExecutionsView({ backend: () => state.backend });

/** The Workers view (the durable worker's registry, its own connection); opens executions through the view above. */
const workers = createWorkersView({ openExecution: (domain, execution) => executions.open(domain, execution), canOpen: () => Boolean(state.backend) });

/** Row elements by task id. */
const rowsById = new Map();

const STATE_TEXT = {
  new: "Not checked",
  queued: "Queued",
  checking: "Checking…",
  canceling: "Cancelling…",
  "cancel-requested": "Cancel requested",
  running: "Running",
  closed: "Closed or unknown",
  error: "Error",
  canceled: "Canceled",
  "not-requested": "Not requested — left running",
};

function stateKey(task) {
  if (task.pending) return task.pending;
  return task.result?.state ?? "new";
}

function stateText(task) {
  const key = stateKey(task);
  if (key === "stopped") return task.result.inFlight ? "Stopped in flight — check again" : "Stopped — not sent";
  return STATE_TEXT[key] ?? key;
}

function timeText(date) {
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

// ---------------------------------------------------------------- connection

function selectedMode() {
  return [...ui.modeInputs].find((input) => input.checked)?.value ?? "worker";
}

function showMode() {
  const mode = selectedMode();
  ui.workerSettings.hidden = mode !== "worker";
  ui.directSettings.hidden = mode !== "direct";
}

function setConnectionStatus(text, kind = "") {
  ui.connectionStatus.textContent = text;
  ui.connectionStatus.dataset.kind = kind;
}

async function connect() {
  if (state.busy || state.connecting) return;
  state.connecting = true;
  state.backend = null; // a new attempt replaces the old connection, whatever its outcome
  executions.disconnected();
  workers.connectionChanged();
  refresh();
  const mode = selectedMode();
  setConnectionStatus(mode === "direct" ? "Loading swf-edge…" : "Contacting the Worker…");
  try {
    let backend;
    if (mode === "worker") {
      backend = await createWorkerBackend({ url: ui.workerUrl.value, token: ui.workerToken.value.trim() });
      ui.workerToken.value = "";
    } else {
      const { createDirectBackend } = await import("./direct.js");
      backend = await createDirectBackend({
        region: ui.region.value.trim(),
        endpoint: ui.endpoint.value.trim(),
        accessKeyId: ui.accessKeyId.value.trim(),
        secretAccessKey: ui.secretAccessKey.value.trim(),
        sessionToken: ui.sessionToken.value.trim(),
      });
      ui.secretAccessKey.value = "";
      ui.sessionToken.value = "";
    }
    state.backend = backend;
    setConnectionStatus(`Connected. ${backend.label}.`, "ok");
    executions.connected({ domain: new URLSearchParams(location.hash.slice(1)).get("domain") ?? undefined });
  } catch (error) {
    const { name, message } = describeError(error);
    const field = error?.field ? ` (${error.field})` : "";
    setConnectionStatus(`Could not connect: ${name}${field}: ${message}`, "error");
  } finally {
    state.connecting = false;
    workers.connectionChanged();
    refresh();
  }
}

function disconnect() {
  if (state.busy) return;
  state.backend = null;
  executions.disconnected();
  workers.connectionChanged();
  ui.workerToken.value = "";
  ui.secretAccessKey.value = "";
  ui.sessionToken.value = "";
  setConnectionStatus("Not connected. The credentials and the dashboard token are forgotten.");
  refresh();
}

// ---------------------------------------------------------------- the task list

function addTasks(incoming, source) {
  const { added, duplicates, empty } = mergeTasks(state.tasks, incoming);
  for (const task of added) state.tasks.push({ id: state.nextId++, taskToken: task.taskToken, label: task.label, selected: true });
  const parts = [`${added.length} task${added.length === 1 ? "" : "s"} added from ${source}`];
  if (duplicates) parts.push(`${duplicates} already listed`);
  if (empty) parts.push(`${empty} without a token`);
  ui.tasksStatus.textContent = `${parts.join(", ")}.`;
  ui.tasksStatus.dataset.kind = added.length ? "ok" : "";
  renderTable();
}

function addPasted() {
  const tasks = parseTokenLines(ui.paste.value);
  if (!tasks.length) {
    ui.tasksStatus.textContent = "Paste at least one task token (one per line).";
    ui.tasksStatus.dataset.kind = "error";
    return;
  }
  addTasks(tasks, "the pasted text");
  ui.paste.value = "";
}

async function loadFile() {
  const [file] = ui.file.files;
  if (!file) return;
  try {
    if (file.size > 10 * 1024 * 1024) throw new Error("The file is larger than 10 MB.");
    addTasks(parseTaskFile(await file.text()), file.name);
  } catch (error) {
    ui.tasksStatus.textContent = `Could not load ${file.name}: ${error.message}`;
    ui.tasksStatus.dataset.kind = "error";
  } finally {
    ui.file.value = "";
  }
}

function removeSelected() {
  if (state.busy) return;
  const before = state.tasks.length;
  state.tasks = state.tasks.filter((t) => !t.selected);
  ui.tasksStatus.textContent = `${before - state.tasks.length} removed.`;
  ui.tasksStatus.dataset.kind = "";
  renderTable();
}

function clearTasks() {
  if (state.busy) return;
  state.tasks = [];
  ui.tasksStatus.textContent = "The list is empty.";
  ui.tasksStatus.dataset.kind = "";
  renderTable();
}

function selectRequested() {
  for (const task of state.tasks) task.selected = stateKey(task) === "cancel-requested";
  for (const task of state.tasks) updateRow(task);
  const n = state.tasks.filter((t) => t.selected).length;
  ui.tasksStatus.textContent = `${n} cancel-requested task${n === 1 ? "" : "s"} selected.`;
  ui.tasksStatus.dataset.kind = "";
  refresh();
}

function renderTable() {
  rowsById.clear();
  ui.rows.replaceChildren();
  for (const task of state.tasks) {
    const row = document.createElement("tr");
    const selectCell = document.createElement("td");
    selectCell.className = "select";
    const checkbox = document.createElement("input");
    checkbox.type = "checkbox";
    checkbox.setAttribute("aria-label", `Select task ${task.label || shortToken(task.taskToken)}`);
    checkbox.addEventListener("change", () => {
      task.selected = checkbox.checked;
      refresh();
    });
    selectCell.append(checkbox);

    const taskCell = document.createElement("td");
    taskCell.dataset.label = "Task";
    if (task.label) {
      const label = document.createElement("span");
      label.className = "task-label";
      label.textContent = task.label;
      taskCell.append(label, " ");
    }
    const code = document.createElement("code");
    code.className = "token";
    code.textContent = shortToken(task.taskToken);
    taskCell.append(code);

    const stateCell = document.createElement("td");
    stateCell.dataset.label = "State";
    const badge = document.createElement("span");
    badge.className = "badge";
    stateCell.append(badge);

    const detailsCell = document.createElement("td");
    detailsCell.dataset.label = "Details";
    detailsCell.className = "details";

    const timeCell = document.createElement("td");
    timeCell.dataset.label = "Checked at";

    row.append(selectCell, taskCell, stateCell, detailsCell, timeCell);
    ui.rows.append(row);
    rowsById.set(task.id, { row, checkbox, badge, detailsCell, timeCell });
    updateRow(task);
  }
  refresh();
}

function updateRow(task) {
  const parts = rowsById.get(task.id);
  if (!parts) return;
  const key = stateKey(task);
  parts.row.dataset.state = key;
  parts.row.dataset.inFlight = String(Boolean(task.result?.inFlight && key === "stopped"));
  parts.checkbox.checked = task.selected;
  parts.badge.textContent = stateText(task);
  parts.badge.dataset.state = key;

  parts.detailsCell.replaceChildren();
  const result = task.pending ? undefined : task.result;
  if (result?.error) {
    const { name, message, statusCode, requestId } = result.error;
    const head = document.createElement("strong");
    head.className = "error-name";
    head.textContent = name;
    const text = document.createElement("span");
    text.className = "error-message";
    text.textContent = ` ${message}`;
    parts.detailsCell.append(head, text);
    const meta = [];
    if (statusCode !== undefined) meta.push(`HTTP ${statusCode}`);
    if (requestId) meta.push(`request id ${requestId}`);
    if (meta.length) {
      const small = document.createElement("span");
      small.className = "request-id";
      small.textContent = meta.join(" · ");
      parts.detailsCell.append(small);
    }
  }
  if (result?.hint) {
    const hint = document.createElement("span");
    hint.className = "hint";
    hint.textContent = result.hint;
    parts.detailsCell.append(hint);
  }
  if (result?.state === "canceled" && result.forced) {
    const note = document.createElement("span");
    note.className = "hint";
    note.textContent = "Closed without a cancel request (forced).";
    parts.detailsCell.append(note);
  }

  parts.timeCell.replaceChildren();
  if (result?.at) {
    const time = document.createElement("time");
    time.dateTime = result.at.toISOString();
    time.textContent = timeText(result.at);
    parts.timeCell.append(time);
  }
}

// ---------------------------------------------------------------- check and cancel

function selectedTasks() {
  return state.tasks.filter((t) => t.selected);
}

function detailsTooLong() {
  return codePoints(ui.details.value) > MAX_CANCEL_DETAILS;
}

function updateCounter() {
  const n = codePoints(ui.details.value);
  const over = n - MAX_CANCEL_DETAILS;
  ui.detailsCount.textContent =
    over > 0
      ? `${n} / ${MAX_CANCEL_DETAILS} characters — ${over} over SWF's limit`
      : `${n} / ${MAX_CANCEL_DETAILS} characters`;
  ui.detailsCount.dataset.kind = over > 0 ? "error" : "";
  ui.details.setAttribute("aria-invalid", String(over > 0));
  refresh();
}

function summarise(kind, batch, stopped) {
  const counts = new Map();
  for (const task of batch) {
    const key = task.result?.state === "stopped" ? (task.result.inFlight ? "stopped-in-flight" : "stopped") : task.result?.state;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const names = {
    "cancel-requested": "cancel requested",
    running: "running",
    canceled: "canceled",
    "not-requested": "not requested (left running)",
    closed: "closed or unknown",
    error: "errors",
    stopped: "not sent",
    "stopped-in-flight": "stopped in flight (check again)",
  };
  const parts = [];
  for (const [key, label] of Object.entries(names)) {
    const n = counts.get(key);
    if (n) parts.push(`${n} ${key === "error" && n === 1 ? "error" : label}`);
  }
  const what = kind === "check" ? "Check" : "Cancel";
  return `${what} ${stopped ? "stopped" : "finished"} at ${timeText(new Date())}: ${parts.join(", ") || "nothing to do"}.`;
}

async function runBatch(kind, batch, options = {}) {
  if (!state.backend || state.busy || !batch.length) return;
  const backend = state.backend;
  const controller = new AbortController();
  state.busy = true;
  state.controller = controller;
  const verb = kind === "check" ? "Checking" : "Cancelling";
  for (const task of batch) {
    task.pending = "queued";
    updateRow(task);
  }
  let done = 0;
  const showProgress = () => {
    ui.progress.max = batch.length;
    ui.progress.value = done;
    ui.progressLabel.textContent = `${verb}: ${done} of ${batch.length} done`;
  };
  showProgress();
  ui.progressArea.hidden = false;
  document.body.classList.add("busy");
  ui.table.setAttribute("aria-busy", "true");
  ui.runStatus.dataset.kind = "";
  ui.runStatus.textContent = `${verb} ${batch.length} task${batch.length === 1 ? "" : "s"}…`;
  refresh();
  const starter = document.activeElement;

  const onStart = (i) => {
    batch[i].pending = kind === "check" ? "checking" : "canceling";
    updateRow(batch[i]);
  };
  const onResult = (i, result) => {
    const task = batch[i];
    if (!task.pending) return; // already settled (never expected)
    task.pending = undefined;
    const notSent = result.state === "stopped" && !result.inFlight;
    task.result = { ...result, kind, at: notSent ? undefined : new Date(), forced: kind === "cancel" && options.onlyIfRequested === false };
    done++;
    updateRow(task);
    showProgress();
  };
  try {
    await backend[kind](
      batch.map((t) => t.taskToken),
      { ...options, signal: controller.signal, onStart, onResult },
    );
  } catch (error) {
    for (const task of batch) {
      if (task.pending) {
        task.pending = undefined;
        task.result = { state: "error", error: describeError(error, task.taskToken), kind, at: new Date() };
        updateRow(task);
      }
    }
  } finally {
    for (const task of batch) {
      if (task.pending) {
        task.pending = undefined;
        task.result = { state: "stopped", inFlight: true, kind, at: new Date() };
        updateRow(task);
      }
    }
    const stopped = controller.signal.aborted;
    state.busy = false;
    state.controller = null;
    const hadFocus = ui.progressArea.contains(document.activeElement);
    ui.progressArea.hidden = true;
    document.body.classList.remove("busy");
    ui.table.removeAttribute("aria-busy");
    ui.runStatus.textContent = summarise(kind, batch, stopped);
    refresh();
    if (hadFocus) (kind === "check" ? ui.check : ui.cancel).focus();
    else if (starter instanceof HTMLElement && !starter.disabled && document.activeElement === document.body) starter.focus();
  }
}

function check() {
  const selected = selectedTasks();
  runBatch("check", selected.length ? selected : state.tasks);
}

/** The in-page confirmation: resolves true only for the explicit "Cancel them anyway". */
function confirmForce(count) {
  ui.confirmText.textContent =
    `${count} selected task${count === 1 ? "" : "s"} will be closed as canceled whether or not ` +
    "SWF reports a cancel request for them.";
  return new Promise((resolve) => {
    const finish = (answer) => {
      ui.confirmYes.removeEventListener("click", yes);
      ui.confirmNo.removeEventListener("click", no);
      ui.dialog.removeEventListener("close", closed);
      if (ui.dialog.open) ui.dialog.close();
      resolve(answer);
    };
    const yes = () => finish(true);
    const no = () => finish(false);
    const closed = () => finish(false); // Escape
    ui.confirmYes.addEventListener("click", yes);
    ui.confirmNo.addEventListener("click", no);
    ui.dialog.addEventListener("close", closed);
    ui.dialog.showModal();
    ui.confirmNo.focus();
  });
}

async function cancel() {
  const batch = selectedTasks();
  if (!batch.length || detailsTooLong()) return;
  const details = ui.details.value === "" ? undefined : ui.details.value;
  if (ui.force.checked) {
    const confirmed = await confirmForce(batch.length);
    ui.cancel.focus();
    if (!confirmed) {
      ui.runStatus.dataset.kind = "";
      ui.runStatus.textContent = "Nothing was sent: the forced cancel was not confirmed.";
      return;
    }
    await runBatch("cancel", batch, { details, onlyIfRequested: false });
    ui.force.checked = false; // a forced cancel is confirmed batch by batch
    refresh();
    return;
  }
  await runBatch("cancel", batch, { details, onlyIfRequested: true });
}

function stop() {
  if (!state.controller) return;
  state.controller.abort();
  ui.progressLabel.textContent = "Stopping…";
  ui.stop.disabled = true;
}

// ---------------------------------------------------------------- enabling controls

function refresh() {
  const total = state.tasks.length;
  const selected = selectedTasks().length;
  const connected = Boolean(state.backend);
  const busy = state.busy;

  ui.summary.textContent = total
    ? `${total} task${total === 1 ? "" : "s"}, ${selected} selected.`
    : "No tasks yet: paste tokens or load a file above.";
  ui.selectAll.checked = total > 0 && selected === total;
  ui.selectAll.indeterminate = selected > 0 && selected < total;
  ui.selectAll.disabled = total === 0;

  ui.check.textContent = selected ? `Check selected (${selected})` : `Check all (${total})`;
  ui.check.disabled = !connected || busy || total === 0;
  ui.cancel.textContent = ui.force.checked ? `Cancel selected (${selected}) even if not requested…` : `Cancel selected (${selected})`;
  ui.cancel.disabled = !connected || busy || selected === 0 || detailsTooLong();

  ui.removeSelected.disabled = busy || selected === 0;
  ui.clearTasks.disabled = busy || total === 0;
  ui.selectRequested.disabled = !state.tasks.some((t) => stateKey(t) === "cancel-requested");
  ui.connect.disabled = busy || state.connecting;
  ui.disconnect.disabled = busy || !connected;
  for (const input of ui.modeInputs) input.disabled = busy || state.connecting;
  ui.stop.disabled = !busy || state.controller?.signal.aborted;
  for (const parts of rowsById.values()) parts.checkbox.disabled = busy;
}

// ---------------------------------------------------------------- wiring

for (const input of ui.modeInputs) input.addEventListener("change", showMode);
$("connection-form").addEventListener("submit", (event) => {
  event.preventDefault(); // Connect, or Enter in any field
  connect();
});
ui.disconnect.addEventListener("click", disconnect);
ui.addTokens.addEventListener("click", addPasted);
ui.file.addEventListener("change", loadFile);
ui.selectRequested.addEventListener("click", selectRequested);
ui.removeSelected.addEventListener("click", removeSelected);
ui.clearTasks.addEventListener("click", clearTasks);
ui.selectAll.addEventListener("change", () => {
  for (const task of state.tasks) task.selected = ui.selectAll.checked;
  for (const task of state.tasks) updateRow(task);
  refresh();
});
ui.check.addEventListener("click", check);
ui.cancel.addEventListener("click", cancel);
ui.stop.addEventListener("click", stop);
ui.details.addEventListener("input", updateCounter);
ui.force.addEventListener("change", refresh);

// Pre-fill from the URL fragment's *non-secret* settings only (e.g. #worker=http://127.0.0.1:8787
// or #endpoint=…&region=…, #domain=… for the executions view and #durable=… for the Workers
// view's durable worker), so a link can point the
// page at a Worker or a local SWF. Secrets are never read from the URL.
(() => {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("worker")) ui.workerUrl.value = params.get("worker");
  if (params.get("endpoint")) ui.endpoint.value = params.get("endpoint");
  if (params.get("region")) ui.region.value = params.get("region");
  workers.prefill({ url: params.get("durable") ?? undefined });
  const mode = params.get("mode");
  if (mode === "direct" || mode === "worker") for (const input of ui.modeInputs) input.checked = input.value === mode;
})();

document.documentElement.dataset.ready = "true";
showMode();
updateCounter();
renderTable();
