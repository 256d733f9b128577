// `make demo`: a whole activity-task lifecycle on this machine, no AWS account needed.
// The local SWF (moto + tests/swf_local) plays AWS; a Cloudflare Worker using the packed
// swf-edge package runs under workerd (wrangler dev) and cancels the task; then the SWF way
// with a decider; last, the durable activity worker (scripts/demo-durable.mjs).
import { SwfClient, followCancellation } from "../pkg/node.js";
import { startSwfLocal, eventsOf, LOCAL_CREDENTIALS, LOCAL_REGION } from "../tests/support/swf-local.mjs";
import { packPackage, scratchWorker, startWorker } from "../tests/support/worker.mjs";
import { startDecider, pollTask, workUntilCanceled } from "../tests/support/decider.mjs";
import { durableWorkerDemo } from "./demo-durable.mjs";

const DASHBOARD_TOKEN = "demo-dashboard-token";
const callWorker = async (worker, path, body) => {
  const response = await fetch(`${worker.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${DASHBOARD_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};

let n = 0;
const step = (text) => console.log(`\n[${++n}] ${text}`);
const show = (label, value) => console.log(`    ${label}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
const short = (token) => `${token.slice(0, 12)}…${token.slice(-6)} (${token.length} chars)`;

const running = [];
async function main() {
  step("Start the local SWF (moto + swf-edge's cancellation extension) on loopback");
  const local = await startSwfLocal();
  running.push(local);
  show("endpoint", local.url);

  step("Pack swf-edge (npm pack) and start examples/worker with it under workerd");
  const tarball = packPackage();
  show("package", tarball.replace(`${process.cwd()}/`, ""));
  const worker = await startWorker(scratchWorker("demo-worker", tarball), {
    vars: { AWS_REGION: LOCAL_REGION, SWF_ENDPOINT: local.url },
    secrets: {
      DASHBOARD_TOKEN,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    },
  });
  running.push(worker);
  show("worker", worker.url);

  step("Register a domain and types, start a workflow, schedule and poll an activity task");
  const { domain, tasks: [task] } = await local.scenario("prepare", { count: 1 });
  show("domain", domain);
  show("workflow", `${task.workflowId} / ${task.runId}`);
  show("task token", short(task.taskToken));

  const swf = new SwfClient({ region: LOCAL_REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS });
  step("The activity heartbeats (swf-edge in Node): no cancellation requested yet");
  show("RecordActivityTaskHeartbeat", await swf.recordActivityTaskHeartbeat({ taskToken: task.taskToken, details: "10%" }));

  step("An operator asks to cancel the workflow; the decider requests cancellation of the activity");
  await local.scenario("request-cancel", { workflowId: task.workflowId, runId: task.runId });
  const status = await swf.recordActivityTaskHeartbeat({ taskToken: task.taskToken, details: "20%" });
  show("RecordActivityTaskHeartbeat", status);
  if (!status.cancelRequested) throw new Error("the heartbeat should now say cancelRequested: true");

  step("The Worker (swf-edge in workerd) checks the task, then cancels it with details");
  const checked = await callWorker(worker, "/tasks/check", { taskTokens: [task.taskToken] });
  show(`POST /tasks/check → ${checked.status}`, checked.body.results.map((r) => r.status));
  const details = "cancelled by the operator from the swf-edge demo";
  const answer = await callWorker(worker, "/tasks/cancel", { tasks: [task.taskToken], details });
  show(`POST /tasks/cancel → ${answer.status}`, answer.body.results.map((r) => r.status));
  if (answer.body.results?.[0]?.status !== "canceled") throw new Error("the Worker did not cancel the task");

  step("The workflow history records ActivityTaskCanceled with those details");
  const [canceled] = await eventsOf(local, task, "ActivityTaskCanceled");
  if (!canceled) throw new Error("no ActivityTaskCanceled event in the history");
  show("ActivityTaskCanceled", canceled.activityTaskCanceledEventAttributes);
  if (canceled.activityTaskCanceledEventAttributes.details !== details) throw new Error("details differ");

  step("Cancelling again is refused: the task is closed");
  const again = await callWorker(worker, "/tasks/cancel", { tasks: [task.taskToken], onlyIfRequested: false });
  show(`POST /tasks/cancel → ${again.status}`, again.body.results.map((r) => `${r.status}: ${r.error?.name}`));
  if (again.body.results?.[0]?.error?.name !== "UnknownResourceFault") throw new Error("expected UnknownResourceFault");

  await swfWayCancellation(local, swf, running);
  await durableWorkerDemo({ local, tarball, step, show, running });
  console.log("\ndemo: ok — every process started here is being stopped.");
}

/** One line per report of followCancellation: the phase, each activity's state, each diagnosis. */
function showReport(report, index) {
  const step = (a) =>
    a.closedEventId ? `event ${a.closedEventId}` : a.cancelRequestedEventId ? `event ${a.cancelRequestedEventId}` : a.startedEventId ? `worker ${a.identity}` : "not started";
  const activities = report.activities.map((a) => `${a.activityId} ${a.state} (${step(a)})`);
  show(`report ${index}`, `phase ${report.phase}${report.done ? " (done)" : ""}; ${activities.join(", ") || "no open activity"}`);
  for (const { code, message } of report.diagnoses) show(`  diagnosis ${code}`, message);
}

/**
 * The SWF way, as an operator without task tokens does it: a decider that honours cancel
 * requests, a worker running the activity with runActivity, and the operator asking SWF to
 * cancel the workflow and following it (followCancellation) to ActivityTaskCanceled.
 */
async function swfWayCancellation(local, swf, running) {
  const domain = "swf-edge-local";
  const taskList = `demo-decisions-${Date.now().toString(36)}`;
  step("The SWF way, without tokens: start a decider that honours cancel requests, then a workflow");
  const started = await local.scenario("start-workflow", { domain, taskList, heartbeatTimeout: 30, startToCloseTimeout: 600 });
  const decider = await startDecider(local, { domain, taskList, mode: "honour" });
  running.push(decider);
  const execution = { workflowId: started.workflowId, runId: started.runId };
  show("decider", `polls decision task list ${taskList}`);
  show("workflow", `${execution.workflowId} / ${execution.runId}`);

  step("A worker (swf-edge in Node) polls the activity and runs it with runActivity, heartbeating");
  const task = await pollTask(swf, { domain, taskList: started.activityTaskList, identity: "demo-worker" });
  show("activity", `${task.activityId} started (task token held by the worker only)`);
  // The worker's cleanup lasts until the operator's report has shown the decider's request
  // (at most 5 s), so the demo shows every step whatever the machine's load.
  let askedSeen;
  const cleanedUp = Promise.race([new Promise((resolve) => (askedSeen = resolve)), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  const outcome = workUntilCanceled(swf, task, {
    intervalMs: 250,
    cleanupMs: 300,
    cleanedUp,
    onCancel: () => show("worker", "the heartbeat answered cancelRequested: true; cleaning up, then RespondActivityTaskCanceled"),
    cancelDetails: "worker cleaned up: the operator canceled the workflow",
  });

  step("The operator requests cancellation of the workflow and follows it (followCancellation)");
  let index = 0;
  let last;
  for await (const report of followCancellation({ client: swf }, { domain, execution }, { requestCancel: true, intervalMs: 250, signal: AbortSignal.timeout(30_000) })) {
    showReport(report, ++index);
    if (report.phase === "decider-asked") askedSeen();
    last = report;
  }
  const [activity] = last.activities;
  if (activity?.state !== "canceled") throw new Error(`the activity should end canceled, not ${activity?.state}`);
  const { status } = await outcome;
  show("runActivity", `${status}: ${activity.details}`);
  if (status !== "canceled") throw new Error("the worker should have canceled the task");

  step("The history: the decider closes the workflow as canceled once its activity is");
  const deadline = Date.now() + 10_000;
  let info;
  do {
    ({ executionInfo: info } = await swf.describeWorkflowExecution({ domain, execution }));
    if (info.executionStatus !== "CLOSED") await new Promise((resolve) => setTimeout(resolve, 100));
  } while (info.executionStatus !== "CLOSED" && Date.now() < deadline);
  const events = [];
  let nextPageToken;
  do {
    const page = await swf.getWorkflowExecutionHistory({ domain, execution, ...(nextPageToken && { nextPageToken }) });
    events.push(...page.events);
    nextPageToken = page.nextPageToken;
  } while (nextPageToken);
  const wanted = ["WorkflowExecutionCancelRequested", "ActivityTaskCancelRequested", "ActivityTaskCanceled", "WorkflowExecutionCanceled"];
  for (const event of events.filter((e) => wanted.includes(e.eventType))) {
    show(`event ${event.eventId}`, `${event.eventType} at ${event.eventTimestamp.toISOString()}`);
  }
  if (info.closeStatus !== "CANCELED" || !events.some((e) => e.eventType === "WorkflowExecutionCanceled")) {
    throw new Error(`the workflow should close as CANCELED, not ${info.closeStatus}`);
  }
}

try {
  await main();
} catch (err) {
  console.error(`\ndemo: FAILED: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  for (const service of running.reverse()) await service.stop();
}
