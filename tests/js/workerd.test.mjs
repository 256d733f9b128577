// The packed npm package (npm pack → installed into a scratch copy of examples/worker)
// running inside workerd (wrangler dev), cancelling through the signature-checking fake SWF.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { packPackage, scratchWorker, startWorker } from "../support/worker.mjs";
import { startFakeSwf, FAKE_ACCESS_KEY, FAKE_SECRET, FAKE_REGION } from "../fake_swf/client.mjs";

let fake;
let worker;
before(async () => {
  fake = await startFakeSwf();
  const dir = scratchWorker("worker-fake", packPackage());
  worker = await startWorker(dir, {
    vars: { AWS_REGION: FAKE_REGION, SWF_ENDPOINT: fake.url },
    secrets: { AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY, AWS_SECRET_ACCESS_KEY: FAKE_SECRET, AWS_SESSION_TOKEN: "worker-session-token" },
  });
});
after(async () => {
  await worker?.stop();
  await fake?.stop();
});

async function cancel(body) {
  const response = await fetch(`${worker.url}/tasks/cancel`, { method: "POST", body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

test("workerd: a signed cancel from the packed package reaches SWF", async () => {
  await fake.reset();
  const { status, body } = await cancel({ taskToken: "from-workerd", details: "worker says stop" });
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(body, { status: "canceled" });
  const [req, ...more] = await fake.requests();
  assert.equal(more.length, 0);
  assert.equal(req.signature.valid, true, req.signature.error);
  assert.equal(req.target, "SimpleWorkflowService.RespondActivityTaskCanceled");
  assert.deepEqual(req.json, { taskToken: "from-workerd", details: "worker says stop" });
  const token = Object.entries(req.headers).find(([k]) => k.toLowerCase() === "x-amz-security-token");
  assert.equal(token?.[1], "worker-session-token");
});

test("workerd: service errors arrive as typed SwfError instances", async () => {
  await fake.reset();
  await fake.script([{ status: 400, body: { __type: "com.amazonaws.swf.base.model#UnknownResourceFault", message: "closed" } }]);
  const { status, body } = await cancel({ taskToken: "closed-task" });
  assert.equal(status, 502);
  assert.equal(body.error.name, "UnknownResourceFault");
  assert.equal(body.error.statusCode, 400);
  assert.equal(body.error.retryable, false);
  assert.match(body.error.requestId, /^[0-9a-f-]{36}$/);
});

test("workerd: validation errors make no request", async () => {
  await fake.reset();
  const { body } = await cancel({ taskToken: "" });
  assert.equal(body.error.name, "ValidationError");
  assert.deepEqual(await fake.requests(), []);
});
