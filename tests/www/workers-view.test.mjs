// The dashboard's Workers view in headless Chromium: the durable activity worker
// (examples/durable-worker, the packed package under workerd with `wrangler dev`, 2 shards)
// runs activities a decider schedules against the local SWF, through a loopback proxy that
// refuses the first polls (the last poll error) and holds RespondActivityTaskCanceled
// (so the cancel-requested step is visible). The page shows shards and tasks with live
// heartbeat ages, opens a task's execution, where Request cancel makes the task go cancel
// requested → canceled, drains and resumes the shards, and keeps the token to itself.
//
// SWF_EDGE_UPDATE_SCREENSHOT=1 also refreshes the committed www/screenshot-workers.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { startSwfLocal, LOCAL_CREDENTIALS, LOCAL_REGION } from "../support/swf-local.mjs";
import { preparePackage, startDashboardServer } from "../../scripts/dashboard.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { startDecider } from "../support/decider.mjs";
import { eventually } from "./operator-support.mjs";
import { activity, scratchDurableWorker, startDecidedWorkflows, startDurableWorker, startSwfProxy, swfFault } from "./durable-support.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUT = join(ROOT, "tests", "out", "www");
const DOMAIN = "swf-edge-local";
const TASKS = `www-durable-${process.pid}`;
const DECISIONS = `www-durable-decisions-${process.pid}`;
const TOKEN = `durable-bearer-${randomBytes(12).toString("hex")}`;
const REFUSED = 2;
// Longer than two reads of the view (2 s apart), shorter than the sleeps' heartbeat timeout
// (10 s): nothing heartbeats a task while its answer is on its way.
const HOLD_CANCELED_MS = 4000;

let local;
let proxy;
let pkg;
let site;
let browser;
let worker;
let decider;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  pkg = preparePackage();
  [local, browser] = await Promise.all([startSwfLocal(), launchChromium()]);
  [site, proxy] = await Promise.all([startDashboardServer({ packageDir: pkg.dir }), startSwfProxy(local.url)]);
  let refused = 0;
  proxy.fault = (action) => (action === "PollForActivityTask" && refused++ < REFUSED ? swfFault("OperationNotPermittedFault", "injected by the test: poll refused") : null);
  proxy.hold = (action) => (action === "RespondActivityTaskCanceled" ? HOLD_CANCELED_MS : 0);
  const dir = scratchDurableWorker("www-durable-worker", pkg.tarball);
  [worker, decider] = await Promise.all([
    startDurableWorker(dir, {
      endpoint: proxy.url,
      domain: DOMAIN,
      taskList: TASKS,
      token: TOKEN,
      shards: 2,
      allowedOrigins: site.url,
      options: { heartbeat: { firstDelayMs: 200, minIntervalMs: 500 }, pollBackoff: { baseMs: 200, maxMs: 1000, throttledMs: 300 } },
    }),
    startDecider(local, { domain: DOMAIN, taskList: DECISIONS, mode: "honour" }),
  ]);
});

after(async () => {
  await browser?.close();
  await decider?.stop();
  await worker?.stop();
  await proxy?.stop();
  await site?.stop();
  await local?.stop();
  pkg?.cleanup();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function openDashboard(hash = "") {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const log = { console: [], errors: [], requests: [] };
  page.on("console", (message) => log.console.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => log.errors.push(String(error)));
  page.on("request", (request) => log.requests.push({ url: request.url(), headers: request.headers(), body: request.postData() ?? "" }));
  await page.goto(`${site.url}/${hash}`);
  await page.waitForSelector("html[data-ready='true']");
  return { context, page, log };
}

async function connectWorkers(page, token = TOKEN) {
  await page.getByLabel("Its bearer token").fill(token);
  await page.getByRole("button", { name: "Connect to the workers" }).click();
  await page.waitForFunction(() => !/^Contacting/.test(document.getElementById("workers-status").textContent));
  return page.locator("#workers-status").textContent();
}

/** The shard rows: `{ shard, state, error, counters: {label: n} }`. */
function shardRows(page) {
  return page.$$eval("#shard-rows tr", (trs) =>
    trs.map((tr) => ({
      shard: Number(tr.dataset.shard),
      state: tr.dataset.state,
      error: tr.querySelector("td.last-error")?.textContent ?? "",
      counters: Object.fromEntries([...tr.querySelectorAll("[data-counter]")].map((li) => [li.dataset.counter, Number(li.querySelector("strong").textContent)])),
    })),
  );
}

/** The task rows by activity id: `{ state, flag, heartbeat, since, details, text }`. */
function taskRows(page) {
  return page.$$eval("#worker-task-rows tr", (trs) =>
    Object.fromEntries(
      trs.map((tr) => [
        tr.dataset.activityId,
        {
          state: tr.dataset.state,
          badge: tr.querySelector(".badge").textContent,
          flag: Boolean(tr.querySelector('[data-flag="cancel-requested"]')),
          heartbeat: tr.querySelector(".heartbeat-age")?.textContent ?? "",
          since: tr.querySelector(".heartbeat-age [data-since]")?.dataset.since ?? "",
          details: tr.querySelector("td.details").textContent,
          text: tr.textContent,
        },
      ]),
    ),
  );
}

async function showTasks(page, which) {
  const reads = Number((await page.locator("#worker-task-table").getAttribute("data-reads")) ?? 0);
  await page.locator(`input[name="worker-task-state"][value="${which}"]`).check();
  await page.waitForFunction((n) => Number(document.getElementById("worker-task-table").dataset.reads ?? 0) > n, reads);
}

test("the Workers view: shards with the last poll error, running tasks with live heartbeat ages, cancel via the execution page, drain and resume", async () => {
  const { context, page, log } = await openDashboard(`#durable=${encodeURIComponent(worker.url)}`);
  assert.equal(await page.getByLabel("URL of the durable worker").inputValue(), worker.url, "the URL fragment pre-fills the durable worker's URL");
  assert.match(await connectWorkers(page), /^Connected to the durable worker at http:\/\/127\.0\.0\.1:\d+/);
  assert.equal(await page.getByLabel("Its bearer token").inputValue(), "", "the token field is cleared once connected");
  assert.match(await page.locator("#shard-summary").textContent(), new RegExp(`task list ${TASKS}: 2 shards`));
  // wrangler dev runs no Cron Trigger: no loop runs until Resume (or the watchdog) starts one.
  assert.deepEqual((await shardRows(page)).map((s) => s.state), ["idle", "idle"]);

  await page.getByRole("button", { name: "Resume all shards" }).click();
  // The first polls are refused: the error is shown with its shard, and the loop goes on.
  const withErrors = await eventually(async () => {
    const shards = await shardRows(page);
    return shards.filter((s) => /OperationNotPermittedFault injected by the test: poll refused/.test(s.error)).length >= 1 &&
      shards.every((s) => s.state === "polling") && shards;
  }, { timeoutMs: 30_000, what: "a shard showing the refused poll while polling" });
  assert.ok(withErrors.reduce((n, s) => n + (s.counters["poll errors"] ?? 0), 0) >= 1);

  const executions = await startDecidedWorkflows(local.url, DECISIONS, [
    { workflowId: `www-echo-${process.pid}`, activities: [activity("echo-1", "echo", "hello", TASKS)] },
    { workflowId: `www-sleep-a-${process.pid}`, activities: [activity("sleep-a", "sleep", "120000", TASKS, { heartbeatTimeout: "10", startToCloseTimeout: "600" })] },
    { workflowId: `www-sleep-b-${process.pid}`, activities: [activity("sleep-b", "sleep", "120000", TASKS, { heartbeatTimeout: "10", startToCloseTimeout: "600" })] },
  ]);
  // Running tasks (the default filter): both sleeps, heartbeating, with their execution.
  const running = await eventually(async () => {
    const rows = await taskRows(page);
    const progressing = (row) => row?.since && /^\d+\/120000$/.test(row.details);
    return progressing(rows["sleep-a"]) && progressing(rows["sleep-b"]) && rows;
  }, { timeoutMs: 30_000, what: "both sleeps heartbeating their progress in the view" });
  assert.equal(running["echo-1"], undefined, "a closed task is not among the running ones");
  for (const id of ["sleep-a", "sleep-b"]) {
    assert.equal(running[id].state, "started");
    assert.equal(running[id].badge, "Running");
    assert.equal(running[id].flag, false);
    assert.match(running[id].heartbeat, /^\d+ s ago$/);
    assert.match(running[id].text, /SWF answered: keep going/);
  }
  assert.match(running["sleep-a"].text, new RegExp(`www-sleep-a-${process.pid}`));

  // Live ages: with auto-refresh off, the heartbeat age keeps counting up on its own.
  await page.getByLabel("Refresh every 2 s").uncheck();
  const frozen = (await taskRows(page))["sleep-b"];
  await sleep(2600);
  const later = (await taskRows(page))["sleep-b"];
  assert.equal(later.since, frozen.since, "no new read while auto-refresh is off");
  assert.ok(parseInt(later.heartbeat, 10) >= parseInt(frozen.heartbeat, 10) + 2, `${frozen.heartbeat} → ${later.heartbeat}`);
  await page.getByLabel("Refresh every 2 s").check();

  // All tasks: the echo closed as completed.
  await showTasks(page, "all");
  const all = await eventually(async () => (await taskRows(page))["echo-1"]?.state === "completed" && (await taskRows(page)), { what: "the echo completed" });
  assert.equal(all["echo-1"].badge, "Closed — completed");

  // Without an SWF connection the execution cannot be opened; connected directly, it can.
  const openA = page.getByRole("button", { name: "Open the execution of sleep-a" });
  assert.equal(await openA.isDisabled(), true);
  await page.getByLabel("Directly").check();
  await page.getByLabel("Region").fill(LOCAL_REGION);
  await page.getByLabel("Endpoint").fill(local.url);
  await page.getByLabel("Access key id").fill(LOCAL_CREDENTIALS.accessKeyId);
  await page.getByLabel("Secret access key").fill(LOCAL_CREDENTIALS.secretAccessKey);
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.waitForFunction(() => document.getElementById("connection-status").textContent.startsWith("Connected"));
  await eventually(async () => openA.isEnabled(), { what: "Open execution enabled" });
  await openA.click();
  await page.waitForFunction((id) => !document.getElementById("execution-panel").hidden && document.getElementById("execution-title").textContent === id, executions[1].workflowId);
  await page.waitForFunction(() => !document.getElementById("request-cancel").disabled);

  // Request cancel on the execution's page: the task in the Workers view goes cancel
  // requested (while its answer is on its way) → closed as canceled.
  const seen = [];
  const watching = (async () => {
    for (const deadline = Date.now() + 45_000; Date.now() < deadline; ) {
      const row = (await taskRows(page))["sleep-a"];
      const phase = row ? `${row.state}${row.flag ? "+flag" : ""}` : "absent";
      if (seen.at(-1) !== phase) seen.push(phase);
      if (row?.state === "canceled") return row;
      await sleep(100);
    }
    return null;
  })();
  await page.getByRole("button", { name: "Request cancel" }).click();
  const canceled = await watching;
  assert.ok(canceled, `sleep-a never showed canceled: ${seen.join(" → ")}`);
  assert.equal(canceled.badge, "Closed — canceled");
  assert.equal(canceled.flag, true, "the closed task still says its cancel was requested");
  const i = seen.findIndex((p) => /^(cancel-requested|closing)\+flag$/.test(p));
  assert.ok(i > 0 && seen.slice(0, i).includes("started"), `started → cancel requested → canceled: ${seen.join(" → ")}`);
  await page.waitForSelector('#timeline li[data-event-type="ActivityTaskCanceled"]', { timeout: 30_000 });
  await page.waitForSelector('#activity-rows tr[data-activity-id="sleep-a"][data-state="canceled"]');

  await page.locator("#workers-panel").scrollIntoViewIfNeeded();
  await page.locator("#workers-panel").screenshot({ path: join(OUT, "workers-view.png") });
  if (process.env.SWF_EDGE_UPDATE_SCREENSHOT === "1") await page.locator("#workers-panel").screenshot({ path: join(ROOT, "www", "screenshot-workers.png") });

  // Drain every shard with no grace: no new polls, the running sleep-b is failed "worker
  // drained", and once the open polls end the shards are drained (safe to deploy).
  await page.getByLabel("Drain grace").fill("0");
  await page.getByRole("button", { name: "Drain all shards" }).click();
  const drained = await eventually(async () => {
    const shards = await shardRows(page);
    return shards.every((s) => s.state === "drained") && shards;
  }, { timeoutMs: 30_000, what: "both shards drained" });
  assert.equal(drained.length, 2);
  assert.equal(await page.getByRole("button", { name: "Drain shard 0" }).isDisabled(), true);
  const b = await eventually(async () => (await taskRows(page))["sleep-b"]?.state === "failed" && (await taskRows(page))["sleep-b"], { what: "sleep-b failed by the drain" });
  assert.match(b.text, /worker drained/);
  const pollsAtDrain = proxy.byAction.PollForActivityTask;
  await sleep(1500);
  assert.equal(proxy.byAction.PollForActivityTask, pollsAtDrain, "no poll starts after the drain");

  // Resume one shard, then all.
  await page.getByRole("button", { name: "Resume shard 1" }).click();
  await eventually(async () => {
    const shards = await shardRows(page);
    return shards[0].state === "drained" && shards[1].state === "polling";
  }, { what: "shard 1 polling, shard 0 still drained" });
  await page.getByRole("button", { name: "Resume all shards" }).click();
  await eventually(async () => (await shardRows(page)).every((s) => s.state === "polling"), { what: "both shards polling again" });
  await eventually(() => proxy.byAction.PollForActivityTask > pollsAtDrain, { what: "polls again after resume" });

  // The token: only in the Authorization header of requests to the durable worker.
  const dom = await page.evaluate(() => [document.documentElement.outerHTML, document.body.innerText, ...[...document.querySelectorAll("input, textarea")].map((e) => e.value)].join("\n"));
  assert.ok(!dom.includes(TOKEN), "the token is not in the DOM");
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length), 0);
  assert.ok(!log.console.join("\n").includes(TOKEN), "the token is not in a console message");
  const toWorker = log.requests.filter((r) => r.url.startsWith(worker.url));
  assert.ok(toWorker.length > 5);
  for (const r of log.requests) {
    assert.ok(!r.url.includes(TOKEN) && !r.body.includes(TOKEN), `the token is in ${r.url}`);
    for (const [name, value] of Object.entries(r.headers)) {
      if (value.includes(TOKEN)) {
        assert.equal(name, "authorization");
        assert.ok(r.url.startsWith(worker.url), "the token goes to the durable worker only");
      }
    }
  }
  assert.deepEqual(log.errors, [], "no uncaught page errors");
  assert.ok(!/Content Security Policy/i.test(log.console.join("\n")), log.console.join("\n"));

  await page.getByRole("button", { name: "Disconnect from the workers" }).click();
  assert.equal(await page.locator("#workers-area").isHidden(), true);
  await context.close();
});

test("the Workers view refuses a wrong token and a plain-http URL that is not loopback, and sends nothing for the latter", async () => {
  const { context, page, log } = await openDashboard();
  await page.getByLabel("URL of the durable worker").fill(worker.url);
  assert.match(await connectWorkers(page, "not-the-token"), /Could not connect to the durable worker: Unauthorized: The Worker refused the dashboard token \(HTTP 401\)/);
  assert.equal(await page.locator("#workers-area").isHidden(), true);
  await page.getByLabel("URL of the durable worker").fill("http://127.0.0.1.nip.io:8787");
  const before = log.requests.length;
  assert.match(await connectWorkers(page), /must use https:\/\//);
  assert.equal(log.requests.length, before, "nothing was sent");
  await context.close();
});
