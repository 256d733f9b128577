// The operator dashboard (www/) in headless Chromium against the local SWF, with the
// packed swf-edge package served as the page's /vendor/swf-edge/ — both connection modes:
// direct (temporary credentials in the tab) and via examples/worker (the packed package
// under workerd with wrangler dev, bearer token, ALLOWED_ORIGINS = the page's origin).
//
// The executions view against the same local SWF, with a decider honouring cancel requests,
// one ignoring them and an activity worker in Node (runActivity).
//
// Screenshots go to tests/out/www/; SWF_EDGE_UPDATE_SCREENSHOT=1 also refreshes the
// committed www/screenshot.png (the execution's page after a cancellation via the Worker).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { startSwfLocal, eventsOf, LOCAL_CREDENTIALS, LOCAL_REGION } from "../support/swf-local.mjs";
import { scratchWorker, startWorker } from "../support/worker.mjs";
import { preparePackage, startDashboardServer } from "../../scripts/dashboard.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { SwfClient } from "../../pkg/node.js";
import { startDecider } from "../support/decider.mjs";
import { startActivityWorker, eventually } from "./operator-support.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUT = join(ROOT, "tests", "out", "www");

// Distinctive values, so that any leak is unmistakable. The local SWF checks no signature.
const hex = () => randomBytes(12).toString("hex");
const ACCESS_KEY_ID = "ASIADASHBOARDTEST";
const SECRET = `dash-secret-${hex()}`;
const SESSION_TOKEN = `dash-session-${hex()}`;
const DASHBOARD_TOKEN = `dash-bearer-${hex()}`;
const WORKER_SECRET = `worker-secret-${hex()}`;

// The executions view's world: one domain, a decider honouring cancel requests, one ignoring
// them, an activity worker in Node (runActivity) polling ACTIVITIES, and a task list nobody
// polls (its activities stay scheduled, their workflows open).
const DOMAIN = "swf-edge-www";
const HONOUR = "www-decider-honours";
const IGNORE = "www-decider-ignores";
const ACTIVITIES = "www-activities";
const IDLE = "www-nobody-polls";

let local;
let pkg;
let site;
let browser;
let worker;
let deciders = [];
let activityWorker;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  pkg = preparePackage();
  [local, browser] = await Promise.all([
    startSwfLocal(),
    launchChromium(),
  ]);
  site = await startDashboardServer({ packageDir: pkg.dir });
  const secrets = { AWS_ACCESS_KEY_ID: "AKIDWORKER", AWS_SECRET_ACCESS_KEY: WORKER_SECRET, DASHBOARD_TOKEN };
  [worker, ...deciders] = await Promise.all([
    startWorker(scratchWorker("www-worker", pkg.tarball), {
      vars: { AWS_REGION: LOCAL_REGION, SWF_ENDPOINT: local.url, ALLOWED_ORIGINS: site.url },
      secrets,
    }),
    startDecider(local, { domain: DOMAIN, taskList: HONOUR, mode: "honour" }),
    startDecider(local, { domain: DOMAIN, taskList: IGNORE, mode: "ignore" }),
  ]);
  const swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
  activityWorker = startActivityWorker(swf, { domain: DOMAIN, taskList: ACTIVITIES });
});

after(async () => {
  await activityWorker?.stop();
  await Promise.all(deciders.map((d) => d.stop()));
  await browser?.close();
  await worker?.stop();
  await site?.stop();
  await local?.stop();
  pkg?.cleanup();
});

// ------------------------------------------------------------------------- helpers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh page on the dashboard that records console messages, errors, requests and answers. */
async function openDashboard({ viewport = { width: 1200, height: 900 }, hash = "" } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const log = { console: [], errors: [], requests: [], responses: [] };
  page.on("console", (message) => log.console.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => log.errors.push(String(error)));
  page.on("request", (request) =>
    log.requests.push({ url: request.url(), method: request.method(), headers: request.headers(), body: request.postData() ?? "" }),
  );
  page.on("response", async (response) => {
    try {
      log.responses.push({ url: response.url(), body: await response.text() });
    } catch {
      // bodies of redirects and aborted requests are not available
    }
  });
  // The page must never fall back to window.confirm/alert/prompt.
  await page.addInitScript(() => {
    for (const name of ["confirm", "alert", "prompt"]) {
      window[name] = () => {
        window.__nativeDialogs = (window.__nativeDialogs ?? 0) + 1;
        return false;
      };
    }
  });
  await page.goto(`${site.url}/${hash}`);
  await page.waitForSelector("html[data-ready='true']");
  return { context, page, log };
}

async function connectDirect(page, { sessionToken = SESSION_TOKEN } = {}) {
  await page.getByLabel("Directly").check();
  await page.getByLabel("Region").fill(LOCAL_REGION);
  await page.getByLabel("Endpoint").fill(local.url);
  await page.getByLabel("Access key id").fill(ACCESS_KEY_ID);
  await page.getByLabel("Secret access key").fill(SECRET);
  await page.getByLabel("Session token").fill(sessionToken);
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.waitForFunction(() => document.getElementById("connection-status").textContent.startsWith("Connected"));
}

async function connectWorker(page, token = DASHBOARD_TOKEN) {
  await page.getByLabel("Via the example Worker").check();
  await page.getByLabel("Worker URL").fill(worker.url);
  await page.getByLabel("Dashboard token").fill(token);
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.waitForFunction(() => !/^(Contacting|Loading)/.test(document.getElementById("connection-status").textContent));
  return page.locator("#connection-status").textContent();
}

async function pasteTokens(page, tokens) {
  await page.getByLabel("Task tokens, one per line").fill(`${tokens.join("\n")}\n\n`);
  await page.getByRole("button", { name: "Add tokens" }).click();
}

async function loadFile(page, tasks) {
  await page.locator("#file").setInputFiles({
    name: "exported-tasks.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(tasks)),
  });
  await page.waitForFunction(() => /exported-tasks\.json/.test(document.getElementById("tasks-status").textContent));
}

/** Waits until no batch is in flight. */
async function waitIdle(page) {
  await page.waitForFunction(
    () =>
      document.getElementById("progress-area").hidden &&
      !document.querySelector('#task-rows tr[data-state="queued"], #task-rows tr[data-state="checking"], #task-rows tr[data-state="canceling"]'),
    null,
    { timeout: 30_000 },
  );
}

/** What each row shows, in list order. */
function rows(page) {
  return page.$$eval("#task-rows tr", (trs) =>
    trs.map((tr) => ({
      state: tr.dataset.state,
      inFlight: tr.dataset.inFlight === "true",
      badge: tr.querySelector(".badge").textContent,
      token: tr.querySelector(".token").textContent,
      details: tr.querySelector("td.details").textContent,
      requestId: tr.querySelector(".request-id")?.textContent ?? "",
      time: tr.querySelector("time")?.getAttribute("datetime") ?? "",
    })),
  );
}

const shortOf = (token) => `${token.slice(0, 8)}…${token.slice(-6)}`;

async function screenshot(page, name, { fullPage = true } = {}) {
  await page.screenshot({ path: join(OUT, name), fullPage });
}

/** SWF calls the page made (direct mode), by X-Amz-Target. */
function swfCalls(log, action) {
  return log.requests.filter((r) => r.url.startsWith(local.url) && r.method === "POST" && r.headers["x-amz-target"]?.endsWith(`.${action}`));
}

/**
 * No secret in the DOM (markup, text, form values), web storage, cookies, IndexedDB, Cache
 * Storage, console messages, or any request URL; the secret key never leaves swf-edge (no
 * header or body carries it); the session token / dashboard token only in their own header.
 */
async function assertNoLeaks(page, log, { tokens = [] } = {}) {
  const everywhere = [SECRET, SESSION_TOKEN, DASHBOARD_TOKEN, WORKER_SECRET];
  const dom = await page.evaluate(() => {
    const values = [...document.querySelectorAll("input, textarea")].map((el) => el.value);
    return [document.documentElement.outerHTML, document.body.innerText, ...values].join("\n");
  });
  const storage = await page.evaluate(async () => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    localLength: localStorage.length,
    sessionLength: sessionStorage.length,
    cookie: document.cookie,
    idb: JSON.stringify(await indexedDB.databases()),
    caches: JSON.stringify(await caches.keys()),
  }));
  assert.equal(storage.localLength, 0, "localStorage is empty");
  assert.equal(storage.sessionLength, 0, "sessionStorage is empty");
  assert.equal(storage.cookie, "");
  assert.equal(storage.idb, "[]");
  assert.equal(storage.caches, "[]");
  assert.deepEqual(await page.context().cookies(), []);
  const consoleText = log.console.join("\n");
  for (const secret of everywhere) {
    assert.ok(!dom.includes(secret), "a secret is in the DOM");
    assert.ok(!consoleText.includes(secret), "a secret is in a console message");
    for (const r of log.requests) assert.ok(!r.url.includes(secret), `a secret is in the URL ${r.url}`);
  }
  for (const r of log.requests) {
    const headers = Object.entries(r.headers);
    for (const [name, value] of headers) {
      assert.ok(!value.includes(SECRET) && !value.includes(WORKER_SECRET), `the secret key is in the ${name} header`);
      if (value.includes(SESSION_TOKEN)) assert.equal(name, "x-amz-security-token");
      if (value.includes(DASHBOARD_TOKEN)) {
        assert.equal(name, "authorization");
        assert.ok(r.url.startsWith(worker.url), "the dashboard token goes to the Worker only");
      }
    }
    for (const secret of everywhere) assert.ok(!r.body.includes(secret), `a secret is in the body sent to ${r.url}`);
  }
  for (const r of log.responses) assert.ok(!r.body.includes(WORKER_SECRET), "the Worker's AWS secret reached the page");
  for (const token of tokens) {
    if (token.length > 16) assert.ok(!consoleText.includes(token), "a full task token is in a console message");
  }
  assert.deepEqual(log.errors, [], "no uncaught page errors");
  assert.ok(!/Content Security Policy/i.test(consoleText), `no CSP violation:\n${consoleText}`);
  assert.ok(!/status of 404/.test(consoleText), `no missing file:\n${consoleText}`);
  assert.equal(await page.evaluate(() => window.__nativeDialogs ?? 0), 0, "no confirm()/alert()/prompt()");
}

// --------------------------------------------------------------------------- tests

test("direct mode: pasted and file-loaded tokens are checked into the right states", async () => {
  const { tasks } = await local.scenario("prepare", { count: 5, cancelRequested: 2 });
  const [req1, req2, run1, run2, closed] = tasks;
  await local.scenario("close", { how: "completed", taskToken: closed.taskToken });
  const neverIssued = "0c5e1a3b-7d2f-4e8a-9b6c-1f2e3d4c5b6a";
  const garbage = "not-a-task-token";
  const oversize = "x".repeat(1100);

  const { context, page, log } = await openDashboard();
  await connectDirect(page);
  await pasteTokens(page, [req1.taskToken, run1.taskToken, garbage, req1.taskToken]);
  assert.match(await page.locator("#tasks-status").textContent(), /3 tasks added from the pasted text, 1 already listed/);
  await loadFile(page, [
    { taskToken: req2.taskToken, label: "resize images #2" },
    { taskToken: run2.taskToken, label: "send newsletter" },
    { taskToken: closed.taskToken, label: "export report (closed)" },
    { taskToken: neverIssued, label: "never issued" },
    { taskToken: oversize, label: "oversize token" },
  ]);
  const before = await rows(page);
  assert.equal(before.length, 8);
  assert.deepEqual(before.map((r) => r.state), Array(8).fill("new"));
  assert.equal(before[0].token, shortOf(req1.taskToken), "tokens are shown as first 8…last 6");

  await page.getByRole("button", { name: /^Check selected \(8\)$/ }).click();
  await waitIdle(page);
  const after = await rows(page);
  assert.deepEqual(
    after.map((r) => r.state),
    ["cancel-requested", "running", "error", "cancel-requested", "running", "closed", "closed", "error"],
  );
  assert.deepEqual(after.map((r) => r.badge).slice(0, 2), ["Cancel requested", "Running"]);
  // A token the server refuses: its error name, message and request id.
  assert.match(after[2].details, /^ValidationException Invalid token/);
  assert.match(after[2].requestId, /HTTP 400 · request id [0-9a-f-]{36}/);
  // Closed, and never issued: UnknownResourceFault with the request id.
  for (const row of [after[5], after[6]]) {
    assert.equal(row.badge, "Closed or unknown");
    assert.match(row.details, /^UnknownResourceFault /);
    assert.match(row.requestId, /request id [0-9a-f-]{36}/);
  }
  // SWF quotes the unknown token in its message: the page shows it shortened.
  assert.ok(after[6].details.includes(shortOf(neverIssued)), after[6].details);
  assert.ok(!(await page.content()).includes(neverIssued), "full tokens are never rendered");
  // Rejected in the browser: no request id, and nothing was sent for it.
  assert.match(after[7].details, /^ValidationError /);
  assert.equal(after[7].requestId, "");
  for (const row of after) assert.ok(!Number.isNaN(Date.parse(row.time)), "each row shows when it was checked");
  assert.equal(swfCalls(log, "RecordActivityTaskHeartbeat").length, 7, "one heartbeat per sendable task");
  assert.match(await page.locator("#run-status").textContent(), /Check finished at .*: 2 cancel requested, 2 running, 2 closed or unknown, 2 errors\./);
  await page.getByRole("button", { name: "Select cancel-requested" }).click();
  assert.equal(await page.getByRole("button", { name: /^Cancel selected \(2\)$/ }).isEnabled(), true);
  await screenshot(page, "01-direct-checked.png");

  // Nothing was canceled by a check.
  for (const task of [req1, req2, run1, run2]) assert.deepEqual(await eventsOf(local, task, "ActivityTaskCanceled"), []);
  await assertNoLeaks(page, log, { tokens: [...tasks.map((t) => t.taskToken), neverIssued] });
  // The access key id went out in the signature; the session token in its own header.
  const [beat] = swfCalls(log, "RecordActivityTaskHeartbeat");
  assert.match(beat.headers.authorization, new RegExp(`Credential=${ACCESS_KEY_ID}/`));
  assert.equal(beat.headers["x-amz-security-token"], SESSION_TOKEN);
  await context.close();
});

test("direct mode: Cancel closes exactly the requested tasks, with the typed details", async () => {
  const { tasks } = await local.scenario("prepare", { count: 5, cancelRequested: 2 });
  const [req1, req2, run1, run2, closed] = tasks;
  await local.scenario("close", { how: "failed", taskToken: closed.taskToken });
  const { context, page, log } = await openDashboard();
  await connectDirect(page, { sessionToken: "" });
  await pasteTokens(page, [req1.taskToken, run1.taskToken, closed.taskToken, req2.taskToken, run2.taskToken, "garbage-token"]);

  // The details counter counts code points (as SWF does) and blocks oversize details.
  const details = page.getByLabel(/Cancellation details/);
  await details.fill("d".repeat(32769));
  assert.match(await page.locator("#details-count").textContent(), /32769 \/ 32768 characters — 1 over/);
  assert.equal(await details.getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByRole("button", { name: /^Cancel selected/ }).isDisabled(), true);
  const typed = "Stopped from the dashboard — ünïcödé ✓ 🚦🚦 (ticket OPS-42)";
  await details.fill("");
  await details.pressSequentially(typed);
  assert.equal(await page.locator("#details-count").textContent(), `${[...typed].length} / 32768 characters`);
  assert.equal(await details.getAttribute("aria-invalid"), "false");

  await page.getByRole("button", { name: /^Cancel selected \(6\)$/ }).click();
  await waitIdle(page);
  const after = await rows(page);
  assert.deepEqual(after.map((r) => r.state), ["canceled", "not-requested", "closed", "canceled", "not-requested", "error"]);
  assert.equal(after[1].badge, "Not requested — left running");
  assert.match(after[5].details, /^ValidationException Invalid token/);
  assert.match(after[5].requestId, /request id [0-9a-f-]{36}/);
  assert.match(await page.locator("#run-status").textContent(), /Cancel finished at .*: 2 canceled, 2 not requested \(left running\), 1 closed or unknown, 1 error\./);
  // The safe flow: a heartbeat per task, RespondActivityTaskCanceled only for the requested two.
  assert.equal(swfCalls(log, "RespondActivityTaskCanceled").length, 2);
  for (const task of [req1, req2]) {
    const [event, ...more] = await eventsOf(local, task, "ActivityTaskCanceled");
    assert.equal(more.length, 0);
    assert.equal(event.activityTaskCanceledEventAttributes.details, typed);
  }
  for (const task of [run1, run2]) assert.deepEqual(await eventsOf(local, task, "ActivityTaskCanceled"), []);
  await screenshot(page, "02-direct-canceled.png");

  // A second check: the canceled tasks are now closed; the running ones still run.
  await page.getByRole("button", { name: /^Check selected/ }).click();
  await waitIdle(page);
  assert.deepEqual((await rows(page)).map((r) => r.state), ["closed", "running", "closed", "closed", "running", "error"]);
  await assertNoLeaks(page, log, { tokens: tasks.map((t) => t.taskToken) });
  await context.close();
});

test("direct mode: cancel even if not requested needs the in-page confirmation", async () => {
  const { tasks } = await local.scenario("prepare", { count: 2 });
  const { context, page, log } = await openDashboard();
  await connectDirect(page);
  await pasteTokens(page, tasks.map((t) => t.taskToken));
  await page.getByLabel(/Cancellation details/).fill("forced by the on-call operator");
  await page.getByLabel(/Cancel even if not requested/).check();
  const cancelButton = page.getByRole("button", { name: /^Cancel selected \(2\) even if not requested/ });
  const dialog = page.getByRole("dialog", { name: "Cancel tasks that SWF did not ask to cancel?" });

  // "Go back": nothing is sent.
  await cancelButton.click();
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /2 selected tasks will be closed as canceled/);
  assert.equal(await page.evaluate(() => document.activeElement.id), "confirm-no", "the safe answer has the focus");
  await screenshot(page, "03-confirm-dialog.png", { fullPage: false });
  await page.getByRole("button", { name: "Go back" }).click();
  await dialog.waitFor({ state: "hidden" });
  assert.match(await page.locator("#run-status").textContent(), /Nothing was sent/);

  // Escape: nothing is sent either.
  await cancelButton.click();
  await dialog.waitFor();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  // (The executions view lists the domains once connected: that is the only SWF call so far.)
  const sent = log.requests.filter((r) => r.url.startsWith(local.url) && r.method === "POST" && !r.headers["x-amz-target"]?.endsWith(".ListDomains"));
  assert.equal(sent.length, 0, "no task request without confirmation");
  assert.deepEqual((await rows(page)).map((r) => r.state), ["new", "new"]);

  // Confirmed: RespondActivityTaskCanceled without a heartbeat first.
  await cancelButton.click();
  await dialog.waitFor();
  await page.getByRole("button", { name: "Cancel them anyway" }).click();
  await waitIdle(page);
  const after = await rows(page);
  assert.deepEqual(after.map((r) => r.state), ["canceled", "canceled"]);
  assert.match(after[0].details, /Closed without a cancel request \(forced\)/);
  assert.equal(swfCalls(log, "RecordActivityTaskHeartbeat").length, 0);
  assert.equal(swfCalls(log, "RespondActivityTaskCanceled").length, 2);
  for (const task of tasks) {
    const [event] = await eventsOf(local, task, "ActivityTaskCanceled");
    assert.equal(event.activityTaskCanceledEventAttributes.details, "forced by the on-call operator");
    assert.equal(event.activityTaskCanceledEventAttributes.latestCancelRequestedEventId, undefined);
  }
  // Forcing is confirmed batch by batch: the box is unticked again.
  assert.equal(await page.getByLabel(/Cancel even if not requested/).isChecked(), false);
  await assertNoLeaks(page, log, { tokens: tasks.map((t) => t.taskToken) });
  await context.close();
});

test("direct mode: an in-flight batch shows progress and can be stopped", async () => {
  const { tasks } = await local.scenario("prepare", { count: 12, cancelRequested: 12 });
  const { context, page, log } = await openDashboard();
  await connectDirect(page);
  await pasteTokens(page, tasks.map((t) => t.taskToken));
  // The first four tasks (one per worker of the pool) reach SWF after a short delay; every
  // later request is held in the browser until the batch has been stopped. So the outcome
  // is exact: 4 canceled, the next 4 stopped in flight, the last 4 never sent.
  const swfOrigin = new URL(local.url).origin;
  const isSwf = (url) => url.origin === swfOrigin;
  const first = new Set(tasks.slice(0, 4).map((t) => t.taskToken));
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(isSwf, async (route) => {
    const { taskToken } = JSON.parse(route.request().postData() ?? "{}");
    if (first.has(taskToken)) await sleep(100);
    else await held;
    await route.continue().catch(() => {}); // the page aborted it meanwhile
  });
  await page.getByLabel(/Cancellation details/).fill("stopped batch");
  await page.getByRole("button", { name: /^Cancel selected \(12\)$/ }).click();
  const progress = page.locator("#progress-area");
  await progress.waitFor();
  assert.equal(await page.locator("#task-table").getAttribute("aria-busy"), "true");
  assert.equal(await page.getByRole("button", { name: "Check selected (12)" }).isDisabled(), true, "no second batch meanwhile");
  await page.waitForFunction(
    () =>
      document.querySelectorAll('#task-rows tr[data-state="canceled"]').length === 4 &&
      document.querySelectorAll('#task-rows tr[data-state="canceling"]').length === 4,
    null,
    { timeout: 15_000 },
  );
  assert.equal(await page.locator("#progress-label").textContent(), "Cancelling: 4 of 12 done");
  assert.equal(await page.$eval("#progress", (p) => [p.value, p.max].join("/")), "4/12");
  assert.equal(await progress.isVisible(), true, "the progress bar is in view while the list is");
  await screenshot(page, "04-in-flight.png");
  await page.getByRole("button", { name: "Stop" }).click();
  await waitIdle(page);
  release();
  await page.unroute(isSwf);
  assert.equal(await progress.isHidden(), true);

  const after = await rows(page);
  assert.deepEqual(after.map((r) => (r.state === "stopped" ? (r.inFlight ? "in-flight" : "not-sent") : r.state)), [
    ...Array(4).fill("canceled"),
    ...Array(4).fill("in-flight"),
    ...Array(4).fill("not-sent"),
  ]);
  assert.equal(after[4].badge, "Stopped in flight — check again");
  assert.equal(after[8].badge, "Stopped — not sent");
  assert.equal(after[8].time, "", "a task never sent shows no time");
  assert.match(await page.locator("#run-status").textContent(), /^Cancel stopped at .*: 4 canceled, 4 not sent, 4 stopped in flight \(check again\)\.$/);
  await screenshot(page, "05-stopped.png");
  // The page and SWF agree: only the first four were canceled; nothing else was even sent.
  const canceled = [0, 1, 2, 3];
  const notSent = [4, 5, 6, 7, 8, 9, 10, 11];
  for (const i of canceled) assert.equal((await eventsOf(local, tasks[i], "ActivityTaskCanceled")).length, 1, `task ${i}`);
  for (const i of notSent) assert.deepEqual(await eventsOf(local, tasks[i], "ActivityTaskCanceled"), [], `task ${i}`);
  assert.equal(swfCalls(log, "RespondActivityTaskCanceled").length, 4);

  // What was stopped can be checked and canceled again.
  await page.getByLabel("Select all tasks").check();
  await page.getByRole("button", { name: "Check selected (12)" }).click();
  await waitIdle(page);
  const rechecked = await rows(page);
  for (const i of notSent) assert.equal(rechecked[i].state, "cancel-requested", `task ${i}`);
  for (const i of canceled) assert.equal(rechecked[i].state, "closed", `task ${i}`);
  await assertNoLeaks(page, log, { tokens: tasks.map((t) => t.taskToken) });
  await context.close();
});

test("Worker mode: bearer token, batched check and cancel through the Worker", async () => {
  const { tasks } = await local.scenario("prepare", { count: 10, cancelRequested: 5 });
  const closed = tasks.pop();
  await local.scenario("close", { how: "completed", taskToken: closed.taskToken });
  const requested = tasks.slice(0, 5);
  const running = tasks.slice(5);
  const labels = ["resize images #1", "resize images #2", "transcode video 7", "send newsletter", "rebuild search index",
    "export report", "sync CRM", "thumbnail batch", "archive logs", "nightly backup"];
  const list = [...requested, ...running, closed].map((t, i) => ({ taskToken: t.taskToken, label: labels[i] }));
  list.push({ taskToken: "garbage-1", label: "garbage" }, { taskToken: "garbage-2", label: "garbage" });

  const { context, page, log } = await openDashboard({ hash: `#mode=worker&worker=${encodeURIComponent(worker.url)}` });
  assert.equal(await page.getByLabel("Worker URL").inputValue(), worker.url, "the non-secret URL is pre-filled from the fragment");
  // A wrong token is refused by the Worker and nothing connects.
  const refused = await connectWorker(page, "wrong-token");
  assert.match(refused, /Could not connect: Unauthorized: The Worker refused the dashboard token \(HTTP 401\)/);
  assert.equal(await page.getByRole("button", { name: /^Check/ }).isDisabled(), true);
  const status = await connectWorker(page);
  assert.match(status, /^Connected\. Via the Worker at http:\/\/127\.0\.0\.1:\d+/);
  assert.equal(await page.getByLabel("Dashboard token").inputValue(), "", "the token field is cleared once connected");

  await loadFile(page, list);
  await page.getByRole("button", { name: "Check selected (12)" }).click();
  await waitIdle(page);
  assert.deepEqual(
    (await rows(page)).map((r) => r.state),
    [...Array(5).fill("cancel-requested"), ...Array(4).fill("running"), "closed", "error", "error"],
  );
  const garbageRow = (await rows(page))[10];
  assert.match(garbageRow.details, /^ValidationException Invalid token/);
  assert.match(garbageRow.requestId, /HTTP 400 · request id [0-9a-f-]{36}/);

  await page.getByLabel(/Cancellation details/).fill("cancelled via the Worker — ✓");
  await page.getByLabel("Select all tasks").check();
  await page.getByRole("button", { name: "Cancel selected (12)" }).click();
  await waitIdle(page);
  const after = await rows(page);
  assert.deepEqual(after.map((r) => r.state), [...Array(5).fill("canceled"), ...Array(4).fill("not-requested"), "closed", "error", "error"]);
  assert.match(after[9].details, /^UnknownResourceFault /);
  await screenshot(page, "06-worker-canceled.png");
  for (const task of requested) {
    const [event] = await eventsOf(local, task, "ActivityTaskCanceled");
    assert.equal(event?.activityTaskCanceledEventAttributes.details, "cancelled via the Worker — ✓");
  }
  for (const task of running) assert.deepEqual(await eventsOf(local, task, "ActivityTaskCanceled"), []);

  // The page talked to the Worker only, in batches of at most 10 tokens, with the bearer token.
  assert.equal(log.requests.filter((r) => r.url.startsWith(local.url)).length, 0, "no direct SWF call in Worker mode");
  const posts = log.requests.filter((r) => r.method === "POST" && r.url.startsWith(worker.url));
  const checks = posts.filter((r) => r.url === `${worker.url}/tasks/check`).map((r) => JSON.parse(r.body));
  const cancels = posts.filter((r) => r.url === `${worker.url}/tasks/cancel`).map((r) => JSON.parse(r.body));
  assert.deepEqual(checks.map((b) => b.taskTokens.length), [0, 0, 10, 2], "two connection probes, then two batches");
  assert.deepEqual(cancels.map((b) => b.tasks.length), [10, 2]);
  assert.deepEqual(cancels[0].tasks[0], { taskToken: requested[0].taskToken });
  assert.equal(cancels[0].onlyIfRequested, true);
  assert.equal(cancels[0].details, "cancelled via the Worker — ✓");
  for (const r of posts.slice(1)) assert.equal(r.headers.authorization, `Bearer ${DASHBOARD_TOKEN}`);
  await assertNoLeaks(page, log, { tokens: list.map((t) => t.taskToken) });

  // Disconnecting forgets the token: nothing can be sent any more.
  await page.getByRole("button", { name: "Disconnect and forget" }).click();
  assert.equal(await page.getByRole("button", { name: /^Check/ }).isDisabled(), true);
  await context.close();
});

test("narrow screen, keyboard and input errors: usable at 390 px, labelled controls, visible focus", async () => {
  const { tasks } = await local.scenario("prepare", { count: 3, cancelRequested: 1 });
  const { context, page, log } = await openDashboard({ viewport: { width: 390, height: 844 } });
  // Every form control has an accessible name.
  const unlabeled = await page.$$eval("input, textarea, button, progress", (els) =>
    els.filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.textContent.trim())).map((el) => el.id || el.outerHTML),
  );
  assert.deepEqual(unlabeled, []);
  // Keyboard only: the first Tab reaches the skip link, with a visible focus ring.
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { text: el.textContent, outline: style.outlineStyle, width: style.outlineWidth };
  });
  assert.equal(focused.text, "Skip to the task list");
  assert.notEqual(focused.outline, "none");
  assert.notEqual(focused.width, "0px");
  // Input errors are explained in place: no credentials, a bad file.
  await page.getByLabel("Directly").check();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.waitForFunction(() => document.getElementById("connection-status").textContent.startsWith("Could not connect"));
  assert.match(await page.locator("#connection-status").textContent(), /^Could not connect: ValidationError \(credentials\.accessKeyId\): /);
  await page.locator("#file").setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from("[{") });
  await page.waitForFunction(() => document.getElementById("tasks-status").dataset.kind === "error");
  assert.match(await page.locator("#tasks-status").textContent(), /^Could not load broken\.json: The file is not valid JSON/);
  // Connect and check with the keyboard: Enter in the secret field connects.
  await page.getByLabel("Endpoint").fill(local.url);
  await page.getByLabel("Access key id").fill(ACCESS_KEY_ID);
  await page.getByLabel("Secret access key").fill(SECRET);
  await page.getByLabel("Secret access key").press("Enter");
  await page.waitForFunction(() => document.getElementById("connection-status").textContent.startsWith("Connected"));
  assert.equal(await page.getByLabel("Secret access key").inputValue(), "", "the secret field is cleared once connected");
  await pasteTokens(page, tasks.map((t) => t.taskToken));
  await page.getByRole("button", { name: "Check selected (3)" }).focus();
  await page.keyboard.press("Enter");
  await waitIdle(page);
  assert.deepEqual((await rows(page)).map((r) => r.state), ["cancel-requested", "running", "running"]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
  await screenshot(page, "07-narrow.png");
  await assertNoLeaks(page, log, { tokens: tasks.map((t) => t.taskToken) });
  await context.close();
});

// ------------------------------------------------------------ the executions view

/** Starts a workflow for a decider (`taskList`), its one activity on `activityTaskList`. */
const startWorkflow = (taskList, activityTaskList, extra = {}) =>
  local.scenario("start-workflow", { domain: DOMAIN, taskList, activityTaskList, ...extra });

const historyOf = async (run) => (await local.scenario("history", { domain: DOMAIN, workflowId: run.workflowId, runId: run.runId })).events;

/** Lists executions with the form: open or closed, an optional filter, a page size. */
async function listExecutions(page, { status = "open", filter, value, pageSize } = {}) {
  await page.getByLabel(status === "open" ? "Open" : "Recently closed", { exact: true }).check();
  if (filter) {
    await page.getByLabel("Filter by").selectOption(filter);
    await page.locator("#filter-value").fill(value);
  }
  if (pageSize) await page.getByLabel("Per page").selectOption(String(pageSize));
  await page.getByRole("button", { name: "List executions" }).click();
  await waitListed(page);
}

/** Waits for the listing in flight to finish (the table counts finished listings). */
async function waitListed(page) {
  const done = await page.$eval("#execution-table", (t) => Number(t.dataset.listings ?? 0));
  const busy = await page.$eval("#execution-table", (t) => t.getAttribute("aria-busy") === "true");
  await page.waitForFunction((n) => Number(document.getElementById("execution-table").dataset.listings ?? 0) >= n, busy ? done + 1 : done);
  return page.locator("#executions-status").textContent();
}

/** The rows of the executions table. */
const executionRows = (page) =>
  page.$$eval("#execution-rows tr", (trs) => trs.map((tr) => ({ workflowId: tr.dataset.workflowId, status: tr.querySelector(".badge").textContent })));

/** The rows of the activities table. */
const activityRows = (page) =>
  page.$$eval("#activity-rows tr", (trs) =>
    trs.map((tr) => ({ activityId: tr.dataset.activityId, state: tr.dataset.state, badge: tr.querySelector(".badge").textContent, worker: tr.children[2].textContent })),
  );

/** Opens an execution from the list (filtered by its workflow id) and waits for its page. */
async function openExecution(page, run) {
  await listExecutions(page, { filter: "workflowId", value: run.workflowId });
  assert.match(await page.locator("#executions-status").textContent(), /^1 open execution on page 1\.$/);
  await page.getByRole("button", { name: `Open ${run.workflowId}` }).click();
  await page.waitForFunction(() => /^Loaded at/.test(document.getElementById("execution-status").textContent));
  assert.equal(await page.locator("#execution-title").textContent(), run.workflowId);
}

/** Clicks Refresh until the activity shows `state`. */
async function refreshUntil(page, state) {
  await eventually(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.waitForFunction(() => /^Loaded at|failed|Could not/.test(document.getElementById("execution-status").textContent));
    return (await activityRows(page))[0]?.state === state;
  }, { what: `the activity to be ${state}`, everyMs: 300 });
}

test("executions view, both modes: an activity canceled end to end through the page", async () => {
  for (const mode of ["worker", "direct"]) {
    const run = await startWorkflow(HONOUR, ACTIVITIES, { tag: "www-e2e" });
    const hash =
      mode === "worker"
        ? `#mode=worker&worker=${encodeURIComponent(worker.url)}&domain=${DOMAIN}`
        : `#mode=direct&endpoint=${encodeURIComponent(local.url)}&region=${LOCAL_REGION}&domain=${DOMAIN}`;
    const { context, page, log } = await openDashboard({ hash });
    if (mode === "worker") await connectWorker(page);
    else await connectDirect(page);
    // The registered domains are offered, and the fragment's domain is filled in.
    await page.waitForFunction((d) => [...document.querySelectorAll("#domain-options option")].some((o) => o.value === d), DOMAIN);
    assert.equal(await page.getByLabel("Domain", { exact: true }).inputValue(), DOMAIN);
    await openExecution(page, run);
    await refreshUntil(page, "started");
    const [running] = await activityRows(page);
    assert.deepEqual(running, { activityId: run.activityIds[0], state: "started", badge: "Running", worker: "www-test-worker" });
    assert.match(await page.locator("#execution-facts").textContent(), new RegExp(`Decision task list${HONOUR}`));
    assert.deepEqual(await page.$$eval("#timeline li", (lis) => lis.slice(0, 2).map((li) => li.dataset.eventType)), ["WorkflowExecutionStarted", "DecisionTaskScheduled"]);

    // Request cancel: SWF's way, then the page follows it to the end (Worker mode: snapshots
    // from the Worker; direct mode: followCancellation in the page).
    await page.getByRole("button", { name: "Request cancel" }).click();
    await page.locator("#follow-area").waitFor();
    await page.waitForSelector('#follow-area[data-phase="done"]', { timeout: 30_000 });
    assert.match(await page.locator("#follow-phase").textContent(), new RegExp(`^Done — ${run.activityIds[0]}: Canceled\\.$`));
    assert.deepEqual((await activityRows(page)).map((r) => [r.state, r.badge]), [["canceled", "Canceled"]]);
    await eventually(async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.waitForFunction(() => /^Loaded at/.test(document.getElementById("execution-status").textContent));
      return /Canceled/.test(await page.locator("#execution-facts").textContent());
    }, { what: "the workflow to close as canceled" });
    const timeline = await page.$$eval("#timeline li", (lis) => lis.map((li) => li.dataset.eventType));
    for (const type of ["WorkflowExecutionCancelRequested", "ActivityTaskCancelRequested", "ActivityTaskCanceled", "WorkflowExecutionCanceled"]) {
      assert.ok(timeline.includes(type), `${mode}: ${type} in the timeline: ${timeline.join(", ")}`);
    }
    assert.match(await page.locator('#timeline li[data-event-type="ActivityTaskCanceled"]').textContent(), /details worker cleaned up/);
    // SWF agrees: the worker (runActivity) learnt of it by heartbeat and closed it as canceled.
    const events = await historyOf(run);
    const canceled = events.find((e) => e.eventType === "ActivityTaskCanceled");
    assert.equal(canceled.activityTaskCanceledEventAttributes.details, "worker cleaned up");
    assert.ok(activityWorker.outcomes.some((o) => o.activityId === run.activityIds[0] && o.status === "canceled"));

    if (mode === "worker") {
      await screenshot(page, "08-execution-canceled.png");
      await page.locator("#executions-panel").screenshot({ path: join(OUT, "09-executions.png") });
      if (process.env.SWF_EDGE_UPDATE_SCREENSHOT === "1") await screenshotForReadme(page);
      // Only the Worker was called; the follow polled its snapshot route.
      assert.equal(log.requests.filter((r) => r.url.startsWith(local.url)).length, 0, "no direct SWF call in Worker mode");
      const snapshots = log.requests.filter((r) => r.url === `${worker.url}/execution/cancellation` && r.method === "POST");
      assert.ok(snapshots.length >= 1);
      assert.deepEqual(JSON.parse(snapshots[0].body), { domain: DOMAIN, execution: { workflowId: run.workflowId, runId: run.runId }, stallAfterMs: 30_000 });
    } else {
      // swf-edge in the page made the calls itself, the Worker none.
      assert.equal(log.requests.filter((r) => r.url.startsWith(worker.url)).length, 0, "no Worker call in direct mode");
      assert.equal(swfCalls(log, "RequestCancelWorkflowExecution").length, 1);
      assert.ok(swfCalls(log, "DescribeWorkflowExecution").length >= 2, "followed by describing the execution");
    }
    await assertNoLeaks(page, log);
    await context.close();
  }
});

/** The README's screenshot: the execution's page after the cancellation, down to its timeline. */
async function screenshotForReadme(page) {
  const box = (selector) =>
    page.$eval(selector, (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY };
    });
  const top = await box("#execution-panel");
  const bottom = await box("#timeline");
  await page.screenshot({ path: join(ROOT, "www", "screenshot.png"), fullPage: true, clip: { x: 0, y: top.top - 8, width: 1200, height: bottom.bottom - top.top + 24 } });
}

test("executions view, direct mode: a stalled cancellation shows the diagnosis; Stop; Signal", async () => {
  const run = await startWorkflow(IGNORE, ACTIVITIES);
  const { context, page, log } = await openDashboard();
  await connectDirect(page);
  await page.getByLabel("Domain", { exact: true }).fill(DOMAIN);
  await openExecution(page, run);
  await refreshUntil(page, "started");
  await page.getByLabel("Call it a stall after").fill("1");
  await page.getByRole("button", { name: "Request cancel" }).click();
  // The decider completes the decision task the request caused without asking the activity
  // to cancel: the diagnosis names it and says what to do.
  const diagnosis = page.locator('#diagnoses li[data-code="decider-ignores-cancel"]');
  await diagnosis.waitFor({ timeout: 30_000 });
  // (Its wording is followCancellation's, tested there; the page shows it whole, with its code.)
  const text = await diagnosis.textContent();
  assert.ok(text.startsWith("decider-ignores-cancel "), text);
  assert.ok(text.includes(IGNORE), `the decision task list is named: ${text}`);
  assert.ok(text.includes(run.activityIds[0]), `the activity is named: ${text}`);
  assert.equal(await page.locator("#follow-area").getAttribute("data-phase"), "requested");
  assert.match(await page.locator("#follow-phase").textContent(), /waiting for the decider/);
  assert.deepEqual((await activityRows(page)).map((r) => r.state), ["started"]);
  await screenshot(page, "10-stalled.png");

  // Stop ends the following at once, and nothing more is asked of SWF.
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await page.waitForSelector('#follow-area[data-phase="stopped"]');
  assert.match(await page.locator("#follow-phase").textContent(), /^Stopped following\. The cancellation itself goes on/);
  const polls = () => swfCalls(log, "DescribeWorkflowExecution").length;
  const afterStop = polls();
  await sleep(2500);
  assert.equal(polls(), afterStop, "no poll after Stop");
  assert.ok(swfCalls(log, "GetWorkflowExecutionHistory").length >= 2, "the page read the history itself");
  assert.equal(swfCalls(log, "RequestCancelWorkflowExecution").length, 1);

  // Signal: name and input, recorded in the history.
  await page.getByLabel("Signal name").fill("operator-note");
  await page.getByLabel(/^Input/).fill("{\"reason\":\"stuck\"}");
  await page.getByRole("button", { name: "Send signal" }).click();
  await page.waitForFunction(() => /^Loaded at/.test(document.getElementById("execution-status").textContent));
  const signaled = (await historyOf(run)).find((e) => e.eventType === "WorkflowExecutionSignaled");
  assert.deepEqual(
    [signaled.workflowExecutionSignaledEventAttributes.signalName, signaled.workflowExecutionSignaledEventAttributes.input],
    ["operator-note", "{\"reason\":\"stuck\"}"],
  );
  assert.match(await page.locator('#timeline li[data-event-type="WorkflowExecutionSignaled"]').textContent(), /signal operator-note/);
  // The execution's page works on a phone too: no horizontal scrolling at 390 px.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
  await page.locator("#execution-panel").screenshot({ path: join(OUT, "12-execution-narrow.png") });
  await assertNoLeaks(page, log);
  await context.close();
});

test("executions view: paging past one page (both modes), terminate behind the typed workflow id", async () => {
  const tag = `page-${hex().slice(0, 8)}`;
  const runs = [];
  // Seven open executions: pages of 5 + 2; after the Worker-mode pass terminates one, 5 + 1.
  for (let i = 0; i < 7; i++) runs.push(await startWorkflow(HONOUR, IDLE, { tag }));
  const open = new Set(runs.map((r) => r.workflowId));

  for (const mode of ["worker", "direct"]) {
    const { context, page, log } = await openDashboard();
    if (mode === "worker") await connectWorker(page);
    else await connectDirect(page);
    await page.getByLabel("Domain", { exact: true }).fill(DOMAIN);
    await listExecutions(page, { filter: "tag", value: tag, pageSize: 5 });
    const first = await executionRows(page);
    assert.equal(first.length, 5, mode);
    assert.match(await page.locator("#executions-status").textContent(), /^5 open executions on page 1\. More on the next page\./);
    assert.equal(await page.getByRole("button", { name: "Previous page" }).isDisabled(), true);
    await page.getByRole("button", { name: "Next page" }).click();
    assert.match(await waitListed(page), new RegExp(`^${open.size - 5} open executions? on page 2\\.$`));
    const second = await executionRows(page);
    assert.equal(second.length, open.size - 5, mode);
    assert.equal(await page.getByRole("button", { name: "Next page" }).isDisabled(), true, "the last page");
    assert.deepEqual([...first, ...second].map((r) => r.workflowId).sort(), [...open].sort(), `${mode}: every open execution once`);
    await page.getByRole("button", { name: "Previous page" }).click();
    assert.match(await waitListed(page), /^5 open executions on page 1\. More on the next page\.$/);
    assert.deepEqual(await executionRows(page), first, "page 1 again, the same rows");
    // What went out: the tag filter alone (SWF's one-filter rule), the page size, the token.
    const bodies =
      mode === "worker"
        ? log.requests.filter((r) => r.url === `${worker.url}/executions/open`).map((r) => JSON.parse(r.body))
        : swfCalls(log, "ListOpenWorkflowExecutions").map((r) => JSON.parse(r.body));
    assert.equal(bodies.length, 3);
    assert.deepEqual(Object.keys(bodies[0]).sort(), ["domain", "maximumPageSize", "startTimeFilter", "tagFilter"]);
    assert.equal(bodies[0].maximumPageSize, 5);
    assert.equal(typeof bodies[1].nextPageToken, "string");
    assert.equal(bodies[2].nextPageToken, undefined);

    // Terminate one of them: the typed workflow id is the confirmation.
    const victim = runs.find((r) => r.workflowId === first[mode === "worker" ? 0 : 1].workflowId); // on the page shown
    await page.getByRole("button", { name: `Open ${victim.workflowId}` }).click();
    await page.waitForFunction(() => /^Loaded at/.test(document.getElementById("execution-status").textContent));
    await page.getByLabel(/^Reason/).fill(`terminated from the dashboard (${mode})`);
    const dialog = page.getByRole("dialog", { name: "Terminate this workflow execution?" });
    const confirm = page.getByRole("button", { name: "Terminate the execution" });
    await page.getByRole("button", { name: "Terminate…" }).click();
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), "terminate-confirm");
    assert.equal(await confirm.isDisabled(), true, "nothing typed yet");
    await page.getByLabel("Type the workflow id to confirm").fill(victim.workflowId.slice(0, -1));
    assert.equal(await confirm.isDisabled(), true, "a near miss does not confirm");
    if (mode === "direct") await screenshot(page, "11-terminate-confirm.png", { fullPage: false });
    await page.getByRole("button", { name: "Go back" }).click();
    await dialog.waitFor({ state: "hidden" });
    assert.match(await page.locator("#execution-status").textContent(), /^Nothing was sent: terminating was not confirmed\./);
    await page.getByRole("button", { name: "Terminate…" }).click();
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    const terminateCalls = () =>
      mode === "worker" ? log.requests.filter((r) => r.url === `${worker.url}/execution/terminate`) : swfCalls(log, "TerminateWorkflowExecution");
    assert.equal(terminateCalls().length, 0, "nothing sent without the typed confirmation");
    assert.equal((await historyOf(victim)).some((e) => e.eventType === "WorkflowExecutionTerminated"), false);
    await page.getByRole("button", { name: "Terminate…" }).click();
    await dialog.waitFor();
    await page.getByLabel("Type the workflow id to confirm").fill(victim.workflowId);
    await confirm.click();
    await page.waitForFunction(() => /Terminated/.test(document.getElementById("execution-facts").textContent));
    const [sent] = terminateCalls();
    const body = JSON.parse(sent.body);
    assert.equal(body.workflowId, victim.workflowId);
    if (mode === "worker") assert.equal(body.confirmWorkflowId, victim.workflowId, "the Worker checks the typed id too");
    open.delete(victim.workflowId);
    const terminated = (await historyOf(victim)).find((e) => e.eventType === "WorkflowExecutionTerminated");
    assert.equal(terminated.workflowExecutionTerminatedEventAttributes.reason, `terminated from the dashboard (${mode})`);
    assert.equal(await page.getByRole("button", { name: "Request cancel" }).isDisabled(), true, "a closed execution offers no actions");
    await assertNoLeaks(page, log);
    await context.close();
  }
});

test("the static server: MIME types, the packed package, no escaping the roots", async () => {
  const get = (path, init) => fetch(`${site.url}${path}`, init);
  const types = {
    "/": "text/html; charset=utf-8",
    "/js/app.js": "text/javascript; charset=utf-8",
    "/styles.css": "text/css; charset=utf-8",
    "/vendor/swf-edge/browser.js": "text/javascript; charset=utf-8",
    "/vendor/swf-edge/dist/swf_edge_bg.wasm": "application/wasm",
    "/vendor/swf-edge/package.json": "application/json; charset=utf-8",
  };
  for (const [path, type] of Object.entries(types)) {
    const response = await get(path);
    assert.equal(response.status, 200, path);
    assert.equal(response.headers.get("content-type"), type, path);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    await response.arrayBuffer();
  }
  // Raw paths (fetch would normalise the dots away before sending).
  const raw = (path) =>
    new Promise((resolve, reject) => {
      const req = request(`${site.url}/`, { path }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end();
    });
  // Dot segments (plain or %2e) are resolved by the URL parser inside the root; encoded
  // slashes survive it and must be refused after decoding.
  for (const path of [
    "/../Cargo.toml",
    "/%2e%2e/Cargo.toml",
    "/..%2fCargo.toml",
    "/..%2F..%2Fetc%2Fpasswd",
    "/vendor/swf-edge/..%2f..%2f..%2fCargo.toml",
    "/vendor/swf-edge/%2e%2e%2f%2e%2e%2fpackage.json",
    "/.gitignore",
    "/nope.js",
  ]) {
    assert.equal(await raw(path), 404, path);
  }
  assert.equal((await get("/", { method: "POST" })).status, 405);
});
