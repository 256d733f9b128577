// The packed npm package (npm pack → installed into a scratch copy of examples/worker)
// running inside workerd (wrangler dev): the example Worker's authenticated API, through
// the signature-checking fake SWF.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { packPackage, scratchWorker, startWorker } from "../support/worker.mjs";
import { startFakeSwf, FAKE_ACCESS_KEY, FAKE_SECRET, FAKE_REGION } from "../fake_swf/client.mjs";

const TOKEN = "test-dashboard-token";
let fake;
let worker;
before(async () => {
  fake = await startFakeSwf();
  const dir = scratchWorker("worker-fake", packPackage());
  worker = await startWorker(dir, {
    vars: { AWS_REGION: FAKE_REGION, SWF_ENDPOINT: fake.url, ALLOWED_ORIGINS: "http://127.0.0.1:9999" },
    secrets: {
      DASHBOARD_TOKEN: TOKEN,
      AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: FAKE_SECRET,
      AWS_SESSION_TOKEN: "worker-session-token",
    },
  });
});
after(async () => {
  await worker?.stop();
  await fake?.stop();
});
beforeEach(() => fake.reset());

async function call(path, body, token = TOKEN) {
  const response = await fetch(`${worker.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

test("workerd: a signed cancel from the packed package reaches SWF", async () => {
  await fake.script([{ status: 200, body: { cancelRequested: true } }]);
  const { status, body } = await call("/tasks/cancel", { tasks: ["from-workerd"], details: "worker says stop" });
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(body, { results: [{ taskToken: "from-workerd", status: "canceled" }] });
  const [heartbeat, cancel, ...more] = await fake.requests();
  assert.equal(more.length, 0);
  for (const req of [heartbeat, cancel]) assert.equal(req.signature.valid, true, req.signature.error);
  assert.equal(heartbeat.target, "SimpleWorkflowService.RecordActivityTaskHeartbeat");
  assert.equal(cancel.target, "SimpleWorkflowService.RespondActivityTaskCanceled");
  assert.deepEqual(cancel.json, { taskToken: "from-workerd", details: "worker says stop" });
  const token = Object.entries(cancel.headers).find(([k]) => k.toLowerCase() === "x-amz-security-token");
  assert.equal(token?.[1], "worker-session-token");
});

test("workerd: check reports states and typed errors per task", async () => {
  await fake.script([
    { status: 200, body: { cancelRequested: true } },
    { status: 200, body: { cancelRequested: false } },
    { status: 400, body: { __type: "com.amazonaws.swf.base.model#UnknownResourceFault", message: "closed" } },
  ]);
  const { status, body } = await call("/tasks/check", { taskTokens: ["a", "b", "c"] });
  assert.equal(status, 200);
  // Concurrent heartbeats take the scripted answers in arrival order; compare as a set.
  const statuses = body.results.map((r) => r.status).sort();
  assert.deepEqual(statuses, ["cancel-requested", "error", "running"]);
  const failed = body.results.find((r) => r.status === "error");
  assert.equal(failed.error.name, "UnknownResourceFault");
  assert.equal(failed.error.statusCode, 400);
  assert.equal(failed.error.retryable, false);
  assert.match(failed.error.requestId, /^[0-9a-f-]{36}$/);
});

test("workerd: validation errors make no request", async () => {
  const { body } = await call("/tasks/cancel", { tasks: [""] });
  assert.equal(body.results[0].status, "error");
  assert.equal(body.results[0].error.name, "ValidationError");
  assert.deepEqual(await fake.requests(), []);
});

test("workerd: the API refuses wrong tokens, bad bodies and unknown routes", async () => {
  assert.equal((await call("/tasks/cancel", { tasks: ["t"] }, "wrong")).status, 401);
  assert.equal((await call("/tasks/cancel", "{not json")).status, 400);
  assert.equal((await call("/tasks/cancel", { tasks: "t" })).status, 400);
  assert.equal((await call("/tasks/check", { taskTokens: Array(21).fill("t") })).status, 400);
  assert.equal((await call("/nope", {})).status, 404);
  assert.deepEqual(await fake.requests(), []);
});

test("workerd: CORS only for the allowed origin", async () => {
  const preflight = (origin) =>
    fetch(`${worker.url}/tasks/check`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
  const allowed = await preflight("http://127.0.0.1:9999");
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get("access-control-allow-origin"), "http://127.0.0.1:9999");
  assert.match(allowed.headers.get("access-control-allow-headers"), /authorization/);
  const other = await preflight("http://evil.example");
  assert.equal(other.headers.get("access-control-allow-origin"), null);
});
