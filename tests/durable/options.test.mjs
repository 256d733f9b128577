// The pure parts of swf-edge/worker, in Node: option checks and defaults, the heartbeat
// interval and deadline rules, the poll backoff's bounds, the connection budget's order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULTS, WorkerOptionsError, backoffMs, heartbeatInterval, localDeadline, readWorkerOptions, workerOptionsFromEnv, shardName } from "../../pkg/worker/index.js";
import { Budget, isThrottling } from "../../pkg/worker/calls.js";

const BASE = { domain: "d", taskList: "t", region: "us-east-1", credentials: { accessKeyId: "A", secretAccessKey: "S" } };

test("defaults fill in; the result is frozen", () => {
  const options = readWorkerOptions(BASE);
  assert.equal(options.concurrency, 4);
  assert.equal(options.maxPolls, 1);
  assert.equal(options.maxConnections, 6);
  assert.deepEqual(options.heartbeat, DEFAULTS.heartbeat);
  assert.equal(options.timeoutsFrom, "history");
  assert.ok(Object.isFrozen(options) && Object.isFrozen(options.heartbeat));
  assert.deepEqual(readWorkerOptions({ ...BASE, heartbeat: { ratio: 0.8 } }).heartbeat, { ...DEFAULTS.heartbeat, ratio: 0.8 });
});

test("a wrong option is refused by name", () => {
  const cases = [
    [{ domain: "" }, /domain/],
    [{ taskList: undefined }, /taskList/],
    [{ credentials: null }, /credentials/],
    [{ concurrency: 0 }, /concurrency/],
    [{ maxPolls: 3 }, /maxPolls/],
    [{ maxConnections: 2, maxPolls: 2 }, /maxPolls/],
    [{ maxConnections: 7 }, /maxConnections/],
    [{ heartbeat: { ratio: 1 } }, /heartbeat.ratio/],
    [{ heartbeat: { everyMs: 5 } }, /unknown option everyMs/],
    [{ heartbeat: { minIntervalMs: 5000, maxIntervalMs: 1000 } }, /minIntervalMs/],
    [{ pollBackoff: { baseMs: 0 } }, /pollBackoff.baseMs/],
    [{ sessionMs: 900_000 }, /sessionMs/],
    [{ timeoutsFrom: "event" }, /timeoutsFrom/],
    [{ shard: 1 }, /unknown option shard/],
  ];
  for (const [bad, message] of cases) {
    assert.throws(() => readWorkerOptions({ ...BASE, ...bad }), (error) => error instanceof WorkerOptionsError && message.test(error.message), JSON.stringify(bad));
  }
});

test("workerOptionsFromEnv reads the conventional vars and secrets", () => {
  const env = { SWF_DOMAIN: "d", SWF_TASK_LIST: "t", AWS_REGION: "eu-west-1", SWF_SHARDS: "3", AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: "S", AWS_SESSION_TOKEN: "" };
  assert.deepEqual(workerOptionsFromEnv(env), { domain: "d", taskList: "t", region: "eu-west-1", shards: 3, credentials: { accessKeyId: "A", secretAccessKey: "S", sessionToken: undefined } });
  assert.equal(workerOptionsFromEnv({ ...env, SWF_ENDPOINT: "http://127.0.0.1:1" }).endpoint, "http://127.0.0.1:1");
  assert.notEqual(shardName("a/b", "c", 0), shardName("a", "b/c", 0), "names are unambiguous");
});

test("heartbeat interval: ratio of the timeout within bounds, the default when NONE; the deadline", () => {
  const h = DEFAULTS.heartbeat;
  assert.equal(heartbeatInterval("60", h), 30_000);
  assert.equal(heartbeatInterval("1", h), 1000, "at least minIntervalMs");
  assert.equal(heartbeatInterval("600", h), 60_000, "at most maxIntervalMs");
  for (const none of ["NONE", null, undefined, "0", "abc"]) assert.equal(heartbeatInterval(none, h), 30_000);
  assert.equal(localDeadline(1000, "10", 500), 10_500);
  assert.equal(localDeadline(1000, "NONE", 500), null);
});

test("poll backoff: within [ceiling/2, ceiling], doubling to maxMs; throttling starts higher", () => {
  const b = { baseMs: 100, maxMs: 1000, throttledMs: 400 };
  for (let i = 0; i < 200; i++) {
    for (const [failures, ceiling] of [[1, 100], [2, 200], [3, 400], [4, 800], [5, 1000], [40, 1000]]) {
      const ms = backoffMs(failures, b, false);
      assert.ok(ms >= ceiling / 2 && ms <= ceiling, `${failures}: ${ms}`);
    }
    const throttled = backoffMs(1, b, true);
    assert.ok(throttled >= 200 && throttled <= 400, `throttled ${throttled}`);
  }
  assert.ok(isThrottling({ name: "ServiceError", code: "ThrottlingException" }));
  assert.ok(isThrottling({ name: "LimitExceededFault" }));
  assert.ok(isThrottling({ statusCode: 429 }));
  assert.ok(!isThrottling({ name: "TransportError" }));
});

test("the connection budget: never more than its size at once; polls wait behind other calls", async () => {
  const budget = new Budget(2);
  let inFlight = 0;
  let most = 0;
  const order = [];
  const call = (name, low) =>
    budget.run(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      order.push(name);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight -= 1;
    }, { low });
  await Promise.all([call("a"), call("b"), call("poll1", true), call("poll2", true), call("c"), call("d")]);
  assert.equal(most, 2);
  assert.deepEqual(order, ["a", "b", "c", "d", "poll1", "poll2"]);
});
