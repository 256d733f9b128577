// The executions view: pick a domain, list open or recently closed executions (filters,
// paging), open one (its activities with state badges, an event timeline), and act on it —
// Request cancel (then follow the cancellation live, with a diagnosis when it stalls),
// Signal, Terminate (behind a typed confirmation). It talks to SWF only through the
// connected backend (direct.js or worker-mode.js), which alone holds the credentials.
import {
  ACTIVITY_STATE_TEXT,
  HISTORY_PAGE_SIZE,
  LIMITS,
  PHASE_TEXT,
  activityOutcome,
  describeEvent,
  executionBadge,
  executionStatusText,
  listInput,
  shortRunId,
  toDate,
  typeText,
} from "./executions.js";
import { codePoints, describeError } from "./tasks.js";

const $ = (id) => document.getElementById(id);

/** Poll interval while following a cancellation, in ms. */
const FOLLOW_INTERVAL_MS = 1000;

function timeText(value) {
  const date = toDate(value);
  if (!date) return "";
  return date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function timeElement(value) {
  const date = toDate(value);
  const time = document.createElement("time");
  if (date) {
    time.dateTime = date.toISOString();
    time.textContent = timeText(date);
  }
  return time;
}

/** Appends a `<td>` holding `content` to `row`; `label` heads it in the narrow layout. */
function appendCell(row, label, ...content) {
  const td = document.createElement("td");
  td.dataset.label = label;
  td.append(...content);
  row.append(td);
  return td;
}

function badge(state, text) {
  const span = document.createElement("span");
  span.className = "badge";
  span.dataset.state = state;
  span.textContent = text;
  return span;
}

function errorText(error) {
  const { name, message, statusCode, requestId } = describeError(error);
  const field = error?.field ? ` (${error.field})` : "";
  const meta = [statusCode !== undefined ? `HTTP ${statusCode}` : "", requestId ? `request id ${requestId}` : ""].filter(Boolean).join(" · ");
  return `${name}${field}: ${message}${meta ? ` (${meta})` : ""}`;
}

function setStatus(element, text, kind = "") {
  element.textContent = text;
  element.dataset.kind = kind;
}

/**
 * Wires the view. `backend()` returns the connected backend or null. Returns
 * `{ connected(params), disconnected() }` for app.js to call.
 */
export function createExecutionsView({ backend }) {
  const ui = {
    form: $("executions-form"),
    domain: $("domain"),
    domainOptions: $("domain-options"),
    statusInputs: document.querySelectorAll('input[name="exec-status"]'),
    fromLabel: $("range-from-label"),
    from: $("range-from"),
    to: $("range-to"),
    filterKind: $("filter-kind"),
    filterValueField: $("filter-value-field"),
    filterValueLabel: $("filter-value-label"),
    filterValue: $("filter-value"),
    filterVersionField: $("filter-version-field"),
    filterVersion: $("filter-version"),
    filterStatusField: $("filter-status-field"),
    filterStatus: $("filter-status"),
    pageSize: $("page-size"),
    list: $("list-executions"),
    listStatus: $("executions-status"),
    table: $("execution-table"),
    summary: $("execution-summary"),
    rows: $("execution-rows"),
    prev: $("prev-page"),
    next: $("next-page"),
    pageNumber: $("page-number"),
    panel: $("execution-panel"),
    heading: $("execution-heading"),
    title: $("execution-title"),
    facts: $("execution-facts"),
    refresh: $("refresh-execution"),
    requestCancel: $("request-cancel"),
    follow: $("follow-cancel"),
    stallAfter: $("stall-after"),
    followArea: $("follow-area"),
    followPhase: $("follow-phase"),
    diagnoses: $("diagnoses"),
    followStop: $("follow-stop"),
    executionStatus: $("execution-status"),
    activitySummary: $("activity-summary"),
    activityRows: $("activity-rows"),
    signalForm: $("signal-form"),
    signalName: $("signal-name"),
    signalInput: $("signal-input"),
    terminateForm: $("terminate-form"),
    terminateReason: $("terminate-reason"),
    terminateDetails: $("terminate-details"),
    childPolicy: $("terminate-child-policy"),
    timeline: $("timeline"),
    moreEvents: $("more-events"),
    dialog: $("terminate-dialog"),
    dialogText: $("terminate-text"),
    confirmInput: $("terminate-confirm"),
    confirmYes: $("terminate-yes"),
    confirmNo: $("terminate-no"),
  };

  const view = {
    /** The listing being paged: its input without a token, and the token of each page. */
    listing: null,
    /** `{ domain, execution: { workflowId, runId }, detail }` of the open execution, or null. */
    current: null,
    historyToken: undefined,
    /** AbortController of the cancellation being followed, or null. */
    following: null,
    loading: 0,
    acting: false,
  };

  const status = () => [...ui.statusInputs].find((input) => input.checked)?.value ?? "open";

  // ------------------------------------------------------------------ the filter form

  function showFilter() {
    const closed = status() === "closed";
    ui.fromLabel.textContent = closed ? "Closed from" : "Started from";
    const closeStatus = ui.filterKind.querySelector('option[value="closeStatus"]');
    closeStatus.disabled = !closed;
    if (!closed && ui.filterKind.value === "closeStatus") ui.filterKind.value = "";
    const kind = ui.filterKind.value;
    ui.filterValueField.hidden = kind === "" || kind === "closeStatus";
    ui.filterVersionField.hidden = kind !== "type";
    ui.filterStatusField.hidden = kind !== "closeStatus";
    ui.filterValueLabel.textContent = { workflowId: "Workflow id", type: "Workflow type name", tag: "Tag" }[kind] ?? "Value";
  }

  function formInput() {
    const kind = ui.filterKind.value;
    return listInput({
      status: status(),
      domain: ui.domain.value,
      from: ui.from.value,
      to: ui.to.value,
      filter: { kind, value: kind === "closeStatus" ? ui.filterStatus.value : ui.filterValue.value, version: ui.filterVersion.value },
      pageSize: Number(ui.pageSize.value),
    });
  }

  // ------------------------------------------------------------------ domains

  async function loadDomains() {
    const connected = backend();
    if (!connected) return;
    ui.domainOptions.replaceChildren();
    try {
      const names = [];
      let nextPageToken;
      for (let page = 0; page < 5; page++) {
        const input = { registrationStatus: "REGISTERED", maximumPageSize: 100, ...(nextPageToken ? { nextPageToken } : {}) };
        const answer = await connected.listDomains(input);
        for (const info of answer.domainInfos ?? []) names.push(info.name);
        nextPageToken = answer.nextPageToken;
        if (!nextPageToken) break;
      }
      if (backend() !== connected) return;
      for (const name of names) {
        const option = document.createElement("option");
        option.value = name;
        ui.domainOptions.append(option);
      }
      if (!ui.domain.value && names.length === 1) ui.domain.value = names[0];
      setStatus(ui.listStatus, `${names.length} registered domain${names.length === 1 ? "" : "s"}${names.length ? `: ${names.join(", ")}` : ""}.`);
    } catch (error) {
      setStatus(ui.listStatus, `Could not list the domains (type one instead): ${errorText(error)}`, "error");
    }
  }

  // ------------------------------------------------------------------ listing executions

  async function listExecutions(event) {
    event?.preventDefault();
    if (!backend()) return;
    let input;
    try {
      input = formInput();
    } catch (error) {
      setStatus(ui.listStatus, error.message, "error");
      return;
    }
    view.listing = { status: status(), input, tokens: [undefined], page: 0 };
    await showPage();
  }

  async function showPage() {
    const connected = backend();
    const listing = view.listing;
    if (!connected || !listing) return;
    const token = listing.tokens[listing.page];
    const input = token ? { ...listing.input, nextPageToken: token } : listing.input;
    const ticket = ++view.loading;
    refresh();
    ui.table.setAttribute("aria-busy", "true");
    setStatus(ui.listStatus, `Listing ${listing.status} executions in ${input.domain}…`);
    try {
      const answer = await connected.listExecutions(listing.status, input);
      if (ticket !== view.loading) return;
      const infos = answer.executionInfos ?? [];
      if (answer.nextPageToken) listing.tokens[listing.page + 1] = answer.nextPageToken;
      else listing.tokens.length = listing.page + 1;
      renderExecutions(infos, listing);
      const more = answer.nextPageToken ? " More on the next page." : "";
      setStatus(ui.listStatus, `${infos.length} ${listing.status} execution${infos.length === 1 ? "" : "s"} on page ${listing.page + 1}.${more}`, "ok");
    } catch (error) {
      if (ticket !== view.loading) return;
      setStatus(ui.listStatus, `Could not list the executions: ${errorText(error)}`, "error");
    } finally {
      if (ticket === view.loading) {
        view.loading = 0;
        ui.table.removeAttribute("aria-busy");
        // Counts finished listings (lets a test or a screen reader user tell a new answer from the last).
        ui.table.dataset.listings = String(Number(ui.table.dataset.listings ?? 0) + 1);
      }
      refresh();
    }
  }

  function renderExecutions(infos, listing) {
    ui.rows.replaceChildren();
    for (const info of infos) {
      const row = document.createElement("tr");
      row.dataset.workflowId = info.execution?.workflowId ?? "";
      const cell = (label, ...content) => appendCell(row, label, ...content);
      const id = document.createElement("strong");
      id.textContent = info.execution?.workflowId ?? "";
      cell("Workflow id", id);
      const run = document.createElement("code");
      run.className = "token";
      run.title = info.execution?.runId ?? "";
      run.textContent = shortRunId(info.execution?.runId);
      cell("Run", run);
      cell("Type", typeText(info.workflowType));
      cell("Started", timeElement(info.startTimestamp));
      const state = cell("Status", badge(executionBadge(info), executionStatusText(info)));
      if (info.closeTimestamp) state.append(" ", timeElement(info.closeTimestamp));
      cell("Tags", (info.tagList ?? []).join(", "));
      const open = document.createElement("button");
      open.type = "button";
      open.textContent = "Open";
      open.setAttribute("aria-label", `Open ${info.execution?.workflowId ?? "execution"}`);
      open.addEventListener("click", () => openExecution(listing.input.domain, info.execution));
      cell("", open).className = "row-action";
      ui.rows.append(row);
    }
    ui.summary.textContent = infos.length
      ? `${listing.status === "open" ? "Open" : "Closed"} executions in ${listing.input.domain}, page ${listing.page + 1}.`
      : `No ${listing.status} executions in ${listing.input.domain} match.`;
    ui.pageNumber.textContent = `Page ${listing.page + 1}`;
  }

  // ------------------------------------------------------------------ one execution

  async function openExecution(domain, execution) {
    stopFollowing();
    view.current = { domain, execution: { workflowId: execution.workflowId, runId: execution.runId }, detail: null };
    ui.panel.hidden = false;
    ui.title.textContent = execution.workflowId;
    ui.facts.replaceChildren();
    ui.activityRows.replaceChildren();
    ui.timeline.replaceChildren();
    ui.followArea.hidden = true;
    setStatus(ui.executionStatus, "");
    await loadExecution();
    ui.heading.focus();
  }

  async function loadExecution() {
    const connected = backend();
    const current = view.current;
    if (!connected || !current) return;
    const { domain, execution } = current;
    setStatus(ui.executionStatus, "Loading the execution…");
    try {
      const [detail, { activities, eventCount, truncated }, page] = await Promise.all([
        connected.describeExecution({ domain, execution }),
        connected.activities({ domain, execution }),
        connected.historyPage({ domain, execution, maximumPageSize: HISTORY_PAGE_SIZE }),
      ]);
      if (view.current !== current) return;
      current.detail = detail;
      renderFacts(detail);
      const more = truncated ? " The history is longer than the page reads: later activities are missing." : "";
      renderActivities(activities, `${activities.length} activit${activities.length === 1 ? "y" : "ies"} from ${eventCount} events.${more}`);
      ui.timeline.replaceChildren();
      appendEvents(page.events ?? []);
      view.historyToken = page.nextPageToken;
      setStatus(ui.executionStatus, `Loaded at ${timeText(new Date())}.`);
    } catch (error) {
      if (view.current !== current) return;
      setStatus(ui.executionStatus, `Could not load the execution: ${errorText(error)}`, "error");
    }
    refresh();
  }

  function renderFacts(detail) {
    const info = detail.executionInfo ?? {};
    const config = detail.executionConfiguration ?? {};
    const counts = detail.openCounts ?? {};
    const facts = [
      ["Status", badge(executionBadge(info), executionStatusText(info))],
      ["Run id", Object.assign(document.createElement("code"), { textContent: info.execution?.runId ?? "" })],
      ["Type", typeText(info.workflowType)],
      ["Started", timeElement(info.startTimestamp)],
      info.closeTimestamp ? ["Closed", timeElement(info.closeTimestamp)] : null,
      ["Decision task list", config.taskList?.name ?? ""],
      ["Open activity tasks", String(counts.openActivityTasks ?? 0)],
      ["Open decision tasks", String(counts.openDecisionTasks ?? 0)],
      detail.latestActivityTaskTimestamp ? ["Latest activity scheduled", timeElement(detail.latestActivityTaskTimestamp)] : null,
      info.tagList?.length ? ["Tags", info.tagList.join(", ")] : null,
      ["Child policy", config.childPolicy ?? ""],
    ].filter(Boolean);
    ui.facts.replaceChildren();
    for (const [term, value] of facts) {
      const wrap = document.createElement("div");
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.append(value);
      wrap.append(dt, dd);
      ui.facts.append(wrap);
    }
  }

  function steps(activity) {
    const list = document.createElement("span");
    list.className = "steps";
    const step = (word, id, at) => {
      if (id === undefined && !at) return;
      const part = document.createElement("span");
      part.className = "step-item";
      part.append(`${word}${id !== undefined ? ` #${id}` : ""} `, timeElement(at));
      list.append(part);
    };
    step("scheduled", activity.scheduledEventId, activity.scheduledAt);
    step("started", activity.startedEventId, activity.startedAt);
    step("cancel requested", activity.cancelRequestedEventId, activity.cancelRequestedAt);
    step("closed", activity.closedEventId, activity.closedAt);
    return list;
  }

  function renderActivities(activities, caption) {
    ui.activityRows.replaceChildren();
    for (const activity of activities) {
      const row = document.createElement("tr");
      row.dataset.activityId = activity.activityId ?? "";
      row.dataset.state = activity.state ?? "";
      const cell = (label, ...content) => appendCell(row, label, ...content);
      const id = document.createElement("strong");
      id.textContent = activity.activityId ?? "";
      cell("Activity", id, " ", typeText(activity.activityType));
      cell("State", badge(activity.state, ACTIVITY_STATE_TEXT[activity.state] ?? activity.state ?? "?"));
      cell("Worker", activity.identity ?? "");
      cell("Steps", steps(activity));
      cell("Outcome", activityOutcome(activity)).className = "details";
      ui.activityRows.append(row);
    }
    ui.activitySummary.textContent = caption;
  }

  function appendEvents(events) {
    for (const event of events) {
      const { id, type, at, summary } = describeEvent(event);
      const item = document.createElement("li");
      item.dataset.eventType = type;
      const number = document.createElement("span");
      number.className = "event-id";
      number.textContent = `#${id}`;
      const name = document.createElement("strong");
      name.textContent = type;
      item.append(number, " ", timeElement(at), " ", name);
      if (summary) {
        const text = document.createElement("span");
        text.className = "event-summary";
        text.textContent = summary;
        item.append(" ", text);
      }
      ui.timeline.append(item);
    }
  }

  async function moreEvents() {
    const connected = backend();
    const current = view.current;
    if (!connected || !current || !view.historyToken) return;
    try {
      const page = await connected.historyPage({ domain: current.domain, execution: current.execution, maximumPageSize: HISTORY_PAGE_SIZE, nextPageToken: view.historyToken });
      if (view.current !== current) return;
      appendEvents(page.events ?? []);
      view.historyToken = page.nextPageToken;
    } catch (error) {
      setStatus(ui.executionStatus, `Could not load more events: ${errorText(error)}`, "error");
    }
    refresh();
  }

  // ------------------------------------------------------------------ actions

  async function act(what, work) {
    const connected = backend();
    const current = view.current;
    if (!connected || !current || view.acting) return false;
    view.acting = true;
    refresh();
    setStatus(ui.executionStatus, `${what}…`);
    try {
      await work(connected, current);
      setStatus(ui.executionStatus, `${what}: done at ${timeText(new Date())}.`, "ok");
      return true;
    } catch (error) {
      setStatus(ui.executionStatus, `${what} failed: ${errorText(error)}`, "error");
      return false;
    } finally {
      view.acting = false;
      refresh();
    }
  }

  async function requestCancel() {
    const done = await act("Request cancel", (connected, { domain, execution }) =>
      connected.requestCancel({ domain, workflowId: execution.workflowId, runId: execution.runId }),
    );
    if (done) follow();
  }

  async function sendSignal(event) {
    event.preventDefault();
    const signalName = ui.signalName.value.trim();
    const signalInput = ui.signalInput.value;
    if (!signalName || codePoints(signalName) > LIMITS.signalName) {
      setStatus(ui.executionStatus, `Enter a signal name (1–${LIMITS.signalName} characters).`, "error");
      return;
    }
    if (codePoints(signalInput) > LIMITS.signalInput) {
      setStatus(ui.executionStatus, `The signal's input is over SWF's ${LIMITS.signalInput} characters.`, "error");
      return;
    }
    const sent = await act(`Signal ${signalName}`, (connected, { domain, execution }) =>
      connected.signalExecution({ domain, workflowId: execution.workflowId, runId: execution.runId, signalName, ...(signalInput ? { input: signalInput } : {}) }),
    );
    if (sent) {
      ui.signalInput.value = "";
      await afterChange();
    }
  }

  /** The typed confirmation: resolves true only when the workflow id was typed and confirmed. */
  function confirmTerminate(workflowId) {
    const id = document.createElement("code");
    id.textContent = workflowId;
    ui.dialogText.replaceChildren("Execution ", id, ` (run ${shortRunId(view.current.execution.runId)}) will be closed as terminated.`);
    ui.confirmInput.value = "";
    ui.confirmYes.disabled = true;
    return new Promise((resolve) => {
      const typed = () => {
        ui.confirmYes.disabled = ui.confirmInput.value !== workflowId;
      };
      const finish = (answer) => {
        ui.confirmInput.removeEventListener("input", typed);
        ui.confirmYes.removeEventListener("click", yes);
        ui.confirmNo.removeEventListener("click", no);
        ui.dialog.removeEventListener("close", closed);
        if (ui.dialog.open) ui.dialog.close();
        resolve(answer);
      };
      const yes = () => finish(ui.confirmInput.value === workflowId ? ui.confirmInput.value : false);
      const no = () => finish(false);
      const closed = () => finish(false); // Escape
      ui.confirmInput.addEventListener("input", typed);
      ui.confirmYes.addEventListener("click", yes);
      ui.confirmNo.addEventListener("click", no);
      ui.dialog.addEventListener("close", closed);
      ui.dialog.showModal();
      ui.confirmInput.focus();
    });
  }

  async function terminate(event) {
    event.preventDefault();
    const current = view.current;
    if (!current || !backend()) return;
    const reason = ui.terminateReason.value;
    const details = ui.terminateDetails.value;
    if (codePoints(reason) > LIMITS.reason || codePoints(details) > LIMITS.details) {
      setStatus(ui.executionStatus, `The reason (≤ ${LIMITS.reason}) or details (≤ ${LIMITS.details}) are over SWF's limits.`, "error");
      return;
    }
    const confirmed = await confirmTerminate(current.execution.workflowId);
    ui.terminateForm.querySelector("button[type=submit]").focus();
    if (!confirmed) {
      setStatus(ui.executionStatus, "Nothing was sent: terminating was not confirmed.");
      return;
    }
    stopFollowing();
    const input = {
      domain: current.domain,
      workflowId: current.execution.workflowId,
      runId: current.execution.runId,
      ...(reason ? { reason } : {}),
      ...(details ? { details } : {}),
      ...(ui.childPolicy.value ? { childPolicy: ui.childPolicy.value } : {}),
    };
    const done = await act("Terminate", (connected) => connected.terminate(input, confirmed));
    if (done) {
      ui.terminateReason.value = "";
      ui.terminateDetails.value = "";
      await afterChange();
    }
  }

  /** After the execution changed: reloads it, and the page of the list it was opened from. */
  async function afterChange() {
    await Promise.all([loadExecution(), view.listing ? showPage() : undefined]);
  }

  // ------------------------------------------------------------------ following a cancellation

  function renderReport(report) {
    const phase = report.phase;
    const closed = (report.activities ?? []).map((a) => `${a.activityId}: ${ACTIVITY_STATE_TEXT[a.state] ?? a.state}`);
    const text = PHASE_TEXT[phase] ?? String(phase ?? "");
    ui.followPhase.textContent = report.done ? `Done — ${closed.length ? closed.join(", ") : "no activity to cancel"}.` : `${text}.`;
    ui.followArea.dataset.phase = report.done ? "done" : (phase ?? "");
    ui.diagnoses.replaceChildren();
    for (const diagnosis of report.diagnoses ?? []) {
      const item = document.createElement("li");
      item.dataset.code = diagnosis.code ?? "";
      const code = document.createElement("code");
      code.textContent = diagnosis.code ?? "";
      item.append(code, " ", diagnosis.message ?? "");
      const since = toDate(diagnosis.since);
      if (since) item.append(" (since ", timeElement(since), ")");
      ui.diagnoses.append(item);
    }
    if (report.activities) renderActivities(report.activities, `${report.activities.length} activit${report.activities.length === 1 ? "y" : "ies"}, live from the cancellation's progress at ${timeText(new Date())}.`);
  }

  async function follow() {
    const connected = backend();
    const current = view.current;
    if (!connected || !current || view.following) return;
    const controller = new AbortController();
    view.following = controller;
    ui.followArea.hidden = false;
    ui.followPhase.textContent = "Following the cancellation…";
    ui.diagnoses.replaceChildren();
    refresh();
    const stallAfterMs = Math.min(Math.max(Number(ui.stallAfter.value) || 30, 1), 3600) * 1000;
    let last;
    try {
      const reports = connected.followCancellation(
        { domain: current.domain, execution: current.execution },
        { signal: controller.signal, intervalMs: FOLLOW_INTERVAL_MS, stallAfterMs },
      );
      for await (const report of reports) {
        if (view.current !== current) break;
        last = report;
        renderReport(report);
        if (report.done) break;
      }
      if (last?.done) await afterChange();
    } catch (error) {
      if (error?.name === "AbortError" || controller.signal.aborted) {
        ui.followPhase.textContent = "Stopped following. The cancellation itself goes on in SWF: follow again to see it.";
        ui.followArea.dataset.phase = "stopped";
      } else {
        ui.followPhase.textContent = `Following failed: ${errorText(error)}`;
        ui.followArea.dataset.phase = "error";
      }
    } finally {
      if (view.following === controller) view.following = null;
      refresh();
    }
  }

  function stopFollowing() {
    view.following?.abort();
  }

  // ------------------------------------------------------------------ enabling controls

  function refresh() {
    const connected = Boolean(backend());
    const current = view.current;
    const open = current?.detail?.executionInfo?.executionStatus === "OPEN";
    ui.list.disabled = !connected || Boolean(view.loading);
    ui.prev.disabled = !connected || Boolean(view.loading) || !view.listing || view.listing.page === 0;
    ui.next.disabled = !connected || Boolean(view.loading) || !view.listing?.tokens[view.listing.page + 1];
    ui.refresh.disabled = !connected || !current;
    ui.requestCancel.disabled = !connected || !open || view.acting;
    ui.follow.disabled = !connected || !current || Boolean(view.following);
    ui.followStop.disabled = !view.following;
    for (const button of [ui.signalForm.querySelector("button"), ui.terminateForm.querySelector("button")]) {
      button.disabled = !connected || !open || view.acting;
    }
    ui.moreEvents.hidden = !view.historyToken;
  }

  // ------------------------------------------------------------------ wiring

  for (const radio of ui.statusInputs) radio.addEventListener("change", showFilter);
  ui.filterKind.addEventListener("change", showFilter);
  ui.form.addEventListener("submit", listExecutions);
  ui.prev.addEventListener("click", () => {
    if (view.listing?.page > 0) {
      view.listing.page--;
      showPage();
    }
  });
  ui.next.addEventListener("click", () => {
    if (view.listing?.tokens[view.listing.page + 1]) {
      view.listing.page++;
      showPage();
    }
  });
  ui.refresh.addEventListener("click", loadExecution);
  ui.requestCancel.addEventListener("click", requestCancel);
  ui.follow.addEventListener("click", follow);
  ui.followStop.addEventListener("click", stopFollowing);
  ui.signalForm.addEventListener("submit", sendSignal);
  ui.terminateForm.addEventListener("submit", terminate);
  ui.moreEvents.addEventListener("click", moreEvents);
  showFilter();
  refresh();

  return {
    /** After a (re)connection: offers the registered domains; `domain` pre-fills one. */
    connected({ domain } = {}) {
      if (domain && !ui.domain.value) ui.domain.value = domain;
      refresh();
      loadDomains();
    },
    /** After "Disconnect": stops following and forgets what was listed. */
    disconnected() {
      stopFollowing();
      view.listing = null;
      view.current = null;
      view.historyToken = undefined;
      ui.rows.replaceChildren();
      ui.panel.hidden = true;
      ui.summary.textContent = "Connect, choose a domain and list its executions.";
      ui.pageNumber.textContent = "";
      refresh();
    },
    /** Opens an execution's page (e.g. from the Workers view) and moves the focus to it. */
    open: (domain, execution) => openExecution(domain, execution),
    refresh,
  };
}
