// The example's registry routes: bearer auth, CORS, bounded and checked inputs, and no task
// token, credential or dashboard token in any answer (tokens captured at the proxy).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSwfLocal } from "../support/swf-local.mjs";
import { startDecider } from "../support/decider.mjs";
import { DASHBOARD_TOKEN, DOMAIN, SECRET, allClosed, localClient, persistDir, planItem, startProxy, startWorker, swfBatch, until } from "./support.mjs";
import { LOCAL_CREDENTIALS } from "../support/swf-local.mjs";

let local;
let decider;
let proxy;
let worker;
let swf;
const tokens = new Set();
const DECISIONS = `durable-routes-decisions-${process.pid}`;
const taskList = `durable-routes-${process.pid}`;
const answers = [];

before(async () => {
  local = await startSwfLocal();
  decider = await startDecider(local, { domain: DOMAIN, taskList: DECISIONS });
  swf = await localClient(local.url);
  proxy = await startProxy(local.url);
  const forward = proxy.fault;
  proxy.fault = (action, body) => {
    if (typeof body.taskToken === "string") tokens.add(body.taskToken);
    return forward(action, body);
  };
  worker = await startWorker({
    persist: persistDir("routes"),
    endpoint: proxy.url,
    taskList,
    shards: 2,
    options: { heartbeat: { firstDelayMs: 100, minIntervalMs: 100 }, keepAliveMs: 500 },
  });
  await worker.scheduled();
  const { executions } = await swfBatch({
    op: "start",
    endpoint: local.url,
    taskList: DECISIONS,
    workflows: [
      { activities: [planItem("done", "echo", "x", taskList)] },
      { activities: [planItem("running", "sleep", "600000", taskList, { heartbeatTimeout: "2" })] },
    ],
  });
  await allClosed(swf, [executions[0]], { timeoutMs: 30_000 });
  await until(async () => (await post("/workers/tasks", { state: "open" })).json.tasks[0]?.heartbeats >= 1, { what: "a heartbeat of the running task" });
});
after(async () => {
  await worker?.dispose();
  await proxy?.stop();
  await decider?.stop();
  await local?.stop();
  // Every answer any test got: no task token, credential or dashboard token in any of them.
  assert.ok(tokens.size >= 2, "the proxy saw the task tokens");
  const everything = answers.join("\n");
  for (const token of tokens) assert.ok(!everything.includes(token), "a task token leaked into an answer");
  for (const secret of [SECRET, DASHBOARD_TOKEN, LOCAL_CREDENTIALS.accessKeyId]) assert.ok(!everything.includes(secret), `${secret.slice(0, 4)}… leaked`);
});

async function post(path, body, options) {
  const answer = await worker.post(path, body, options);
  answers.push(answer.text, JSON.stringify([...answer.headers]));
  return answer;
}

test("every route answers with the contract's shapes", async () => {
  const { status, json } = await post("/workers/shards", {});
  assert.equal(status, 200);
  assert.deepEqual(Object.keys(json), ["domain", "taskList", "shardCount", "shards"]);
  assert.equal(json.shardCount, 2);
  assert.deepEqual(json.shards.map((s) => s.shard), [0, 1]);
  for (const s of json.shards) {
    assert.deepEqual(Object.keys(s), ["shard", "domain", "taskList", "identity", "state", "draining", "drainDeadline", "pollsOpen", "running", "concurrency", "maxPolls", "sessionStartedAt", "alarmAt", "lastPollAt", "backoffUntil", "lastError", "counters"]);
    assert.deepEqual(Object.keys(s.counters), ["polled", "emptyPolls", "pollErrors", "completed", "failed", "canceled", "lost", "restarted", "orphanedPolls", "heartbeats", "watchdogRearms"]);
    assert.equal(s.state, "polling");
  }
  const { json: all } = await post("/workers/tasks", {});
  assert.equal(all.tasks.length, 2);
  assert.equal(all.truncated, false);
  const running = all.tasks.find((t) => t.activityId === "running");
  assert.deepEqual(Object.keys(running), ["shard", "id", "domain", "activityId", "activityType", "workflowExecution", "startedEventId", "state", "attempt", "startedAt", "lastHeartbeatAt", "lastHeartbeatAnswer", "nextHeartbeatAt", "heartbeatTimeout", "startToCloseTimeout", "deadlineAt", "cancelRequested", "heartbeats", "details", "outcome", "closedAt"]);
  assert.equal(running.state, "started");
  assert.equal(running.outcome, null);
  assert.ok(Date.parse(running.nextHeartbeatAt) > Date.parse(running.lastHeartbeatAt));
  const { json: closedOnly } = await post("/workers/tasks", { state: "closed", limit: 1 });
  assert.deepEqual(closedOnly.tasks.map((t) => t.activityId), ["done"]);
  const { json: one } = await post("/workers/task", { shard: running.shard, id: running.id });
  assert.equal(one.task.activityId, "running");
  const missing = await post("/workers/task", { shard: 0, id: 999999 });
  assert.equal(missing.status, 404);
  assert.match(missing.json.error, /no such task/);
  const { json: limited } = await post("/workers/tasks", { shard: running.shard, limit: 1 });
  assert.equal(limited.tasks.length, 1);
});

test("auth: no token, a wrong one, another scheme → 401; no DASHBOARD_TOKEN configured → 500", async () => {
  for (const token of [null, "wrong", `${DASHBOARD_TOKEN}x`, ""]) {
    const answer = await post("/workers/shards", {}, { token });
    assert.equal(answer.status, 401, `token ${token}`);
    assert.deepEqual(answer.json, { error: "unauthorized" });
  }
  const basic = await post("/workers/shards", {}, { token: null, headers: { authorization: `Basic ${DASHBOARD_TOKEN}` } });
  assert.equal(basic.status, 401);
  const unconfigured = await startWorker({ persist: persistDir("routes-unconfigured"), endpoint: proxy.url, taskList, vars: { DASHBOARD_TOKEN: "" } });
  try {
    const answer = await unconfigured.post("/workers/shards", {});
    answers.push(answer.text);
    assert.equal(answer.status, 500);
    assert.match(answer.json.error, /DASHBOARD_TOKEN/);
  } finally {
    await unconfigured.dispose();
  }
});

test("CORS: an allowed origin gets the headers and a 204 preflight; others get none", async () => {
  const preflight = await post("/workers/drain", undefined, { method: "OPTIONS", token: null, headers: { origin: "http://dashboard.test", "access-control-request-method": "POST" } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "http://dashboard.test");
  assert.match(preflight.headers.get("access-control-allow-headers"), /authorization/);
  const allowed = await post("/workers/shards", {}, { headers: { origin: "http://dashboard.test" } });
  assert.equal(allowed.headers.get("access-control-allow-origin"), "http://dashboard.test");
  const other = await post("/workers/shards", {}, { headers: { origin: "http://evil.test" } });
  assert.equal(other.status, 200);
  assert.equal(other.headers.get("access-control-allow-origin"), null);
  const refused = await post("/workers/shards", {}, { token: "wrong", headers: { origin: "http://dashboard.test" } });
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get("access-control-allow-origin"), "http://dashboard.test", "the page can read the 401");
});

test("bounded inputs: size, JSON, unknown fields, ranges, methods, paths", async () => {
  const cases = [
    ["/workers/shards", { extra: 1 }, 400, /unknown field extra/],
    ["/workers/tasks", { shard: 2 }, 400, /shard must be/],
    ["/workers/tasks", { shard: -1 }, 400, /shard must be/],
    ["/workers/tasks", { shard: "0" }, 400, /shard must be/],
    ["/workers/tasks", { limit: 0 }, 400, /limit/],
    ["/workers/tasks", { limit: 201 }, 400, /limit/],
    ["/workers/tasks", { state: "running" }, 400, /state/],
    ["/workers/task", { shard: 0 }, 400, /id must be/],
    ["/workers/task", { id: 1 }, 400, /shard must be/],
    ["/workers/task", { shard: 0, id: 1.5 }, 400, /id must be/],
    ["/workers/drain", { graceMs: 600_001 }, 400, /graceMs/],
    ["/workers/drain", { graceMs: -1 }, 400, /graceMs/],
    ["/workers/resume", { graceMs: 1 }, 400, /unknown field graceMs/],
    ["/workers/nope", {}, 404, /not found/],
    ["/tasks/check", {}, 404, /not found/],
  ];
  for (const [path, body, status, message] of cases) {
    const answer = await post(path, body);
    assert.equal(answer.status, status, `${path} ${JSON.stringify(body)}: ${answer.text}`);
    assert.match(answer.json.error, message);
  }
  assert.equal((await post("/workers/shards", {}, { raw: "[1]" })).status, 400);
  assert.equal((await post("/workers/shards", {}, { raw: "{nope" })).status, 400);
  const big = await post("/workers/shards", {}, { raw: JSON.stringify({ pad: "x".repeat(300 * 1024) }) });
  assert.equal(big.status, 413);
  const get = await post("/workers/shards", undefined, { method: "GET" });
  assert.equal(get.status, 404);
});

test("drain and resume of one shard through the routes", async () => {
  const { json: drained } = await post("/workers/drain", { shard: 1, graceMs: 0 });
  assert.equal(drained.shards.length, 1);
  assert.equal(drained.shards[0].shard, 1);
  assert.equal(drained.shards[0].draining, true);
  const { json: status } = await post("/workers/shards", {});
  assert.equal(status.shards[0].draining, false, "shard 0 untouched");
  const { json: resumed } = await post("/workers/resume", { shard: 1 });
  assert.equal(resumed.shards[0].draining, false);
});
