// `make demo`: a whole activity-task lifecycle on this machine, no AWS account needed.
// The local SWF (moto + tests/swf_local) plays AWS; a Cloudflare Worker using the packed
// swf-edge package runs under workerd (wrangler dev) and cancels the task.
import { SwfClient } from "../pkg/node.js";
import { startSwfLocal, eventsOf, LOCAL_CREDENTIALS, LOCAL_REGION } from "../tests/support/swf-local.mjs";
import { packPackage, scratchWorker, startWorker } from "../tests/support/worker.mjs";

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

  console.log("\ndemo: ok — every process started here is being stopped.");
}

try {
  await main();
} catch (err) {
  console.error(`\ndemo: FAILED: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  for (const service of running.reverse()) await service.stop();
}
