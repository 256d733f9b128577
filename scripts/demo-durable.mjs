// The last part of `make demo`: the durable activity worker (examples/durable-worker,
// swf-edge/worker in a SQLite Durable Object) under workerd with `wrangler dev`, against
// the local SWF. A decider schedules an `echo` and a `sleep`; the worker polls and runs
// them; the operator requests cancellation of the sleep's workflow; the registry shows the
// task go started → cancel requested → canceled, and the history ActivityTaskCanceled.
import { SwfClient } from "../pkg/node.js";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../tests/support/swf-local.mjs";
import { startDecider } from "../tests/support/decider.mjs";
import { activity, scratchDurableWorker, startDecidedWorkflows, startDurableWorker, startSwfProxy } from "../tests/www/durable-support.mjs";

const DOMAIN = "swf-edge-local";
const TOKEN = "demo-durable-dashboard-token";
/**
 * The demo's loopback proxy holds RespondActivityTaskCanceled this long, so the cancel-requested
 * step is visible; less than the heartbeat timeout (5 s): nothing heartbeats a task being closed.
 */
const HOLD_CANCELED_MS = 1500;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `probe()` every `everyMs` until it returns a truthy value (returned); throws after `timeoutMs`. */
async function until(probe, what, { timeoutMs = 30_000, everyMs = 150 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A registry task in one line: state, the cancel flag, heartbeats, outcome. */
function taskLine(task) {
  const parts = [`state ${task.state}`, `cancelRequested ${task.cancelRequested}`, `heartbeats ${task.heartbeats} (last: ${task.lastHeartbeatAnswer ?? "none"})`];
  if (task.details) parts.push(`details ${task.details}`);
  if (task.outcome) parts.push(`outcome ${task.outcome.status}${task.outcome.reason ? ` (${task.outcome.reason})` : ""}`);
  return parts.join(", ");
}

/**
 * Runs the durable-worker part of the demo with `step(text)` / `show(label, value)` for
 * output; pushes what it starts onto `running` (stopped by the caller).
 */
export async function durableWorkerDemo({ local, tarball, step, show, running }) {
  const run = Date.now().toString(36);
  const taskList = `demo-durable-${run}`;
  const decisions = `demo-durable-decisions-${run}`;

  step("The durable worker: examples/durable-worker (swf-edge/worker in a SQLite Durable Object) under wrangler dev");
  const proxy = await startSwfProxy(local.url);
  running.push(proxy);
  proxy.hold = (action) => (action === "RespondActivityTaskCanceled" ? HOLD_CANCELED_MS : 0);
  const dir = scratchDurableWorker("demo-durable-worker", tarball);
  const worker = await startDurableWorker(dir, {
    endpoint: proxy.url,
    domain: DOMAIN,
    taskList,
    token: TOKEN,
    options: { heartbeat: { firstDelayMs: 300, minIntervalMs: 500 } },
  });
  running.push(worker);
  show("worker", `${worker.url} (registry routes behind the bearer token; SWF calls through a counting proxy ${proxy.url})`);
  running.push(await startDecider(local, { domain: DOMAIN, taskList: decisions, mode: "honour" })); // registers the domain
  // wrangler dev runs no Cron Trigger by itself: its /cdn-cgi/handler/scheduled route fires
  // the one in wrangler.toml, whose watchdog starts every shard's loop (no loop, no alarm).
  const cron = await fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("* * * * *")}`);
  if (!cron.ok) throw new Error(`the Cron trigger answered HTTP ${cron.status}`);
  const { body: status } = await worker.call("/workers/shards");
  const [shard] = status.shards;
  show("Cron watchdog", `shard ${shard.shard} ${shard.identity}: ${shard.state}, watchdog re-arms ${shard.counters.watchdogRearms}, concurrency ${shard.concurrency}, at most ${shard.maxPolls} poll open`);

  step("A decider schedules an echo and a 60 s sleep (heartbeat timeout 5 s) in two workflows; the worker runs them");
  const [echoRun, sleepRun] = await startDecidedWorkflows(local.url, decisions, [
    { workflowId: `demo-echo-${run}`, activities: [activity("echo-1", "echo", "hello from the edge", taskList)] },
    { workflowId: `demo-sleep-${run}`, activities: [activity("sleep-1", "sleep", "60000", taskList, { heartbeatTimeout: "5", startToCloseTimeout: "600" })] },
  ]);
  const taskOf = async (activityId) => (await worker.call("/workers/tasks", { state: "all" })).body.tasks?.find((t) => t.activityId === activityId);
  const echo = await until(async () => {
    const task = await taskOf("echo-1");
    return task?.state === "closed" && task;
  }, "the echo to close");
  show("registry echo-1", `${echo.workflowExecution.workflowId}: ${taskLine(echo)}`);
  const started = await until(async () => {
    const task = await taskOf("sleep-1");
    return task?.heartbeats >= 2 && task;
  }, "the sleep's heartbeats");
  show("registry sleep-1", `${started.workflowExecution.workflowId}: ${taskLine(started)}`);

  step("The operator requests cancellation of the sleep's workflow (RequestCancelWorkflowExecution); the registry follows the task");
  const swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
  await swf.requestCancelWorkflowExecution({ domain: DOMAIN, ...sleepRun });
  const seen = [];
  const final = await until(
    async () => {
      const { body } = await worker.call("/workers/task", { shard: started.shard, id: started.id });
      const task = body.task;
      const phase = task.state === "closed" ? `closed (${task.outcome?.status})` : task.cancelRequested ? `cancel requested (${task.state})` : task.state;
      if (seen.at(-1) !== phase) {
        seen.push(phase);
        show(`registry sleep-1 at ${new Date().toISOString().slice(11, 23)}`, taskLine(task));
      }
      return task.state === "closed" && task;
    },
    "the sleep to close",
    { everyMs: 100 },
  );
  show("progression", seen.join(" → "));
  if (final.outcome?.status !== "canceled" || !seen.some((p) => p.startsWith("cancel requested"))) {
    throw new Error(`the sleep should go started → cancel requested → canceled, not ${seen.join(" → ")}`);
  }

  step("The history records ActivityTaskCanceled; the decider closes the workflow as canceled");
  const events = await until(async () => {
    const { events } = await swf.getWorkflowExecutionHistory({ domain: DOMAIN, execution: sleepRun, maximumPageSize: 1000 });
    return events.some((e) => e.eventType === "WorkflowExecutionCanceled") && events;
  }, "the workflow to close as canceled");
  const wanted = ["ActivityTaskStarted", "WorkflowExecutionCancelRequested", "ActivityTaskCancelRequested", "ActivityTaskCanceled", "WorkflowExecutionCanceled"];
  for (const event of events.filter((e) => wanted.includes(e.eventType))) {
    const who = event.activityTaskStartedEventAttributes?.identity;
    const details = event.activityTaskCanceledEventAttributes?.details;
    show(`event ${event.eventId}`, `${event.eventType}${who ? ` by ${who}` : ""}${details ? ` (details ${JSON.stringify(details)})` : ""}`);
  }
  if (!events.some((e) => e.eventType === "ActivityTaskCanceled")) throw new Error("no ActivityTaskCanceled in the history");
  const echoEvents = (await swf.getWorkflowExecutionHistory({ domain: DOMAIN, execution: echoRun })).events.map((e) => e.eventType);
  show("echo workflow", echoEvents.includes("ActivityTaskCompleted") ? "ActivityTaskCompleted" : echoEvents.join(", "));

  const { body: shards } = await worker.call("/workers/shards");
  const counters = shards.shards[0].counters;
  show("shard counters", `polled ${counters.polled}, completed ${counters.completed}, canceled ${counters.canceled}, heartbeats ${counters.heartbeats}, empty polls ${counters.emptyPolls}, poll errors ${counters.pollErrors}`);
  show("SWF calls seen by the proxy", Object.entries(proxy.byAction).map(([a, n]) => `${a} ${n}`).join(", "));
  const { body: drained } = await worker.call("/workers/drain", { graceMs: 0 });
  show("POST /workers/drain", `shard 0: ${drained.shards[0].state} (an open poll ends within SWF's 60 s; the demo stops here)`);
}
