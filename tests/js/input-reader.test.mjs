// An action's input is read in JavaScript (pkg/read.js `readInput`, by the table the wasm
// describes) and checked against the model in the wasm: the package's Node entry with
// `fetch` intercepted (nothing leaves the process) shows what is sent and what is refused.
// The rounding of timestamps is SDK v3's (`Math.round(date.getTime() / 1000)`), as the wasm
// rounded them before the reading moved (src/swf/shape.rs `seconds_from_ms`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import { SwfClient, ValidationError } from "../../pkg/node.js";
import { inputTable } from "../../pkg/read.js";

const sent = [];
let realFetch;
before(() => {
  realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    sent.push(JSON.parse(init.body));
    return new Response("{}", { status: 200 });
  };
});
after(() => {
  globalThis.fetch = realFetch;
});

const swf = new SwfClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDINPUT", secretAccessKey: "input-secret-key" } });

/** The body sent for `listOpenWorkflowExecutions` with this `startTimeFilter`. */
async function sentWindow(startTimeFilter) {
  sent.length = 0;
  await swf.listOpenWorkflowExecutions({ domain: "d", startTimeFilter });
  assert.equal(sent.length, 1);
  return sent[0].startTimeFilter;
}

test("timestamps are sent as whole epoch seconds, rounded half up like SDK v3", async () => {
  assert.deepEqual(await sentWindow({ oldestDate: new Date(1_700_000_000_499), latestDate: 1_700_000_100.5 }), {
    oldestDate: 1_700_000_000,
    latestDate: 1_700_000_101,
  });
  assert.deepEqual(await sentWindow({ oldestDate: new Date(1_700_000_000_500) }), { oldestDate: 1_700_000_001 });
  assert.deepEqual(await sentWindow({ oldestDate: -0.5 }), { oldestDate: 0 });
  assert.deepEqual(await sentWindow({ oldestDate: -1.5 }), { oldestDate: -1 });
  const otherRealm = runInNewContext("new Date(1700000000000)");
  assert.deepEqual(await sentWindow({ oldestDate: otherRealm }), { oldestDate: 1_700_000_000 }, "a Date from another realm is a Date");
});

test("what is not a timestamp is refused by name and type, before any request", async () => {
  sent.length = 0;
  const cases = [
    [{ oldestDate: "2023-11-14" }, "startTimeFilter.oldestDate must be a Date or epoch seconds (got string)"],
    [{ oldestDate: new Date(NaN) }, "startTimeFilter.oldestDate must be a valid Date (got object)"],
    [{ oldestDate: Infinity }, "startTimeFilter.oldestDate must be finite epoch seconds (got number)"],
    [{ oldestDate: 8.64e12 + 1 }, "startTimeFilter.oldestDate must be finite epoch seconds (got number)"],
    [{ oldestDate: Object.create(Date.prototype) }, "startTimeFilter.oldestDate must be a Date or epoch seconds (got object)"],
    [{ oldestDate: 1, latestDate: 2n }, "startTimeFilter.latestDate must be a Date or epoch seconds (got bigint)"],
  ];
  for (const [window, message] of cases) {
    await assert.rejects(swf.listOpenWorkflowExecutions({ domain: "d", startTimeFilter: window }), (error) => {
      assert.ok(error instanceof ValidationError, String(error));
      assert.equal(error.message, `ListOpenWorkflowExecutions: ${message}`);
      assert.equal(error.field, message.split(" ")[0]);
      return true;
    });
  }
  assert.equal(sent.length, 0, "nothing was sent");
});

test("whole numbers: beyond 2^53 - 1 or fractional is refused; the model's range is the wasm's", async () => {
  for (const [size, message] of [
    [2 ** 53, "maximumPageSize must be a whole number (got number)"],
    [1.5, "maximumPageSize must be a whole number (got number)"],
    [1001, "maximumPageSize must be from 0 to 1000 (got 1001)"],
  ]) {
    await assert.rejects(swf.listDomains({ registrationStatus: "REGISTERED", maximumPageSize: size }), { name: "ValidationError", message: `ListDomains: ${message}` });
  }
});

test("every type is checked before the model's limits, at any depth", async () => {
  // domain is over its limit (256 characters) and a nested member has the wrong type: the
  // type is reported (the native reader, shape::from_json + validate, orders them alike).
  await assert.rejects(swf.pollForActivityTask({ domain: "d".repeat(300), taskList: { name: 7 } }), {
    message: "PollForActivityTask: taskList.name must be a string (got number)",
  });
  await assert.rejects(swf.pollForActivityTask({ domain: "d".repeat(300), taskList: { name: "q" } }), {
    message: "PollForActivityTask: domain must have at most 256 characters (got 300)",
  });
});

test("the table reader follows the wasm's description, nested objects included", () => {
  const table = inputTable("domain s,startTimeFilter{oldestDate t,latestDate t},maximumPageSize i,reverseOrder b,executionFilter{workflowId s}");
  assert.deepEqual(
    table.map(([name, kind]) => [name, kind]),
    [["domain", "s"], ["startTimeFilter", "{"], ["maximumPageSize", "i"], ["reverseOrder", "b"], ["executionFilter", "{"]],
  );
  assert.deepEqual(table.kinds, { domain: "string", startTimeFilter: "any", maximumPageSize: "number", reverseOrder: "boolean", executionFilter: "any" });
  assert.deepEqual(table[1][2].map(([name, kind]) => [name, kind]), [["oldestDate", "t"], ["latestDate", "t"]]);
  assert.deepEqual(table[4][2].kinds, { workflowId: "string" });
});
