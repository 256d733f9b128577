// Black-box parity with AWS's own model of SWF: botocore's service-2.json is the oracle.
// For every SWF operation the built package exposes as a method (the lowerCamel of the
// operation's name, so actions added later are covered without touching this file),
// inputs are derived from the model and sent through the package with `fetch`
// intercepted (nothing leaves the process):
//   - the input with only the required members is sent, as the body SWF expects;
//   - each required member omitted is a ValidationError naming it, and nothing is sent;
//   - each string member at its min and max length (also in astral characters, 2 UTF-16
//     units each) is sent as given; max + 1 and (when min >= 1) min - 1 are refused;
//   - integers at their bounds are sent, one past each bound refused; a wrong enum value
//     is refused; booleans and timestamps (a Date) are sent;
//   - for each fault the operation lists in `errors`, an answer with that `__type` rejects
//     with an error whose `name` is the fault.
// SWF's documented rules that the model does not express (ListClosedWorkflowExecutions
// needs exactly one of startTimeFilter / closeTimeFilter; the list filters are exclusive)
// are applied when building inputs: see `RULES`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { SwfClient, SwfError, ValidationError } from "../../pkg/node.js";

function botocoreDir() {
  if (process.env.BOTOCORE_DIR) return process.env.BOTOCORE_DIR;
  const python = new URL("../../.venv/bin/python3", import.meta.url).pathname;
  return execFileSync(python, ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], { encoding: "utf8" }).trim();
}
const MODEL_DIR = path.join(botocoreDir(), "data/swf/2012-01-25");
const model = JSON.parse(gunzipSync(readFileSync(path.join(MODEL_DIR, "service-2.json.gz"))).toString("utf8"));
const shapes = model.shapes;

const lowerCamel = (name) => name[0].toLowerCase() + name.slice(1);
const exposed = Object.keys(model.operations).filter((op) => typeof SwfClient.prototype[lowerCamel(op)] === "function");

/** Client-side rules SWF documents outside the model: members to add, and which exclude which. */
const RULES = {
  ListClosedWorkflowExecutions: {
    base: { startTimeFilter: { oldestDate: new Date(1_700_000_000_000) } },
    exclusive: [["startTimeFilter", "closeTimeFilter"], ["executionFilter", "closeStatusFilter", "typeFilter", "tagFilter"]],
  },
  ListOpenWorkflowExecutions: { exclusive: [["typeFilter", "tagFilter", "executionFilter"]] },
};

// ------------------------------------------------------------------ fetch, intercepted

const sent = []; // { target, body } of every request the package made
let answer = () => ({ status: 400, body: { __type: "ProbeRefusal", message: "probe" } });
let realFetch;
before(() => {
  realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const headers = new Headers(init.headers);
    const target = headers.get("x-amz-target");
    sent.push({ url: String(url), target, body: JSON.parse(init.body) });
    const { status, body } = answer(target);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "probe" } });
  };
});
after(() => {
  globalThis.fetch = realFetch;
});

const client = new SwfClient({
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDPARITY", secretAccessKey: "parity-secret" },
  maxAttempts: 1,
});

/** Calls `op` with `input`; what was sent and how it settled. */
async function probe(op, input) {
  const before = sent.length;
  let error;
  try {
    await client[lowerCamel(op)](input);
  } catch (e) {
    error = e;
  }
  return { error, requests: sent.slice(before) };
}

// ------------------------------------------------------------------ inputs from the model

/** A minimal valid value of `shapeName` (required members only). */
function minimal(shapeName) {
  const shape = shapes[shapeName];
  switch (shape.type) {
    case "structure":
      return Object.fromEntries((shape.required ?? []).map((m) => [m, minimal(shape.members[m].shape)]));
    case "string":
      if (shape.enum) return shape.enum[0];
      return "s".repeat(Math.max(shape.min ?? 0, 1));
    case "integer":
    case "long":
      return shape.min ?? 0;
    case "boolean":
      return true;
    case "timestamp":
      return new Date(1_700_000_000_000);
    case "list":
      return Array.from({ length: shape.min ?? 0 }, () => minimal(shape.member.shape));
    default:
      throw new Error(`no minimal value for ${shapeName} (${shape.type})`);
  }
}

/** The base input of `op`: required members, plus what RULES adds. */
function baseInput(op) {
  return { ...minimal(model.operations[op].input.shape), ...structuredClone(RULES[op]?.base ?? {}) };
}

/** Every member path of a shape: [{ path: ["taskList", "name"], shape, required, parent }]. */
function members(shapeName, prefix = [], seen = new Set()) {
  const shape = shapes[shapeName];
  if (shape.type !== "structure" || seen.has(shapeName)) return [];
  const out = [];
  for (const [name, member] of Object.entries(shape.members)) {
    const p = [...prefix, name];
    out.push({ path: p, shape: shapes[member.shape], shapeName: member.shape, required: (shape.required ?? []).includes(name) });
    out.push(...members(member.shape, p, new Set([...seen, shapeName])));
  }
  return out;
}

/** `input` with `value` at `path` (creating the minimal parents), minus its exclusive rivals. */
function withValue(op, input, memberPath, value) {
  const copy = structuredClone(input);
  const top = memberPath[0];
  for (const group of RULES[op]?.exclusive ?? []) {
    if (group.includes(top)) for (const rival of group) if (rival !== top) delete copy[rival];
  }
  let at = copy;
  let shapeName = model.operations[op].input.shape;
  for (const key of memberPath.slice(0, -1)) {
    shapeName = shapes[shapeName].members[key].shape;
    at[key] ??= minimal(shapeName);
    at = at[key];
  }
  const last = memberPath.at(-1);
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

const get = (object, memberPath) => memberPath.reduce((o, k) => o?.[k], object);
const label = (memberPath) => memberPath.join(".");
/** What the body carries for a value we gave (a Date goes as epoch seconds). */
const wire = (value) =>
  value instanceof Date
    ? value.getTime() / 1000
    : value !== null && typeof value === "object"
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wire(v)]))
      : value;

function assertSent(op, result, memberPath, value, what) {
  assert.equal(result.error?.name === "ValidationError", false, `${op} ${what}: refused (${result.error?.message})`);
  assert.equal(result.requests.length, 1, `${op} ${what}: ${result.requests.length} requests`);
  const [request] = result.requests;
  assert.equal(request.target, `SimpleWorkflowService.${op}`);
  if (memberPath) assert.deepEqual(get(request.body, memberPath), wire(value), `${op} ${what}: body`);
}

function assertRefused(op, result, memberPath, what) {
  assert.ok(result.error instanceof ValidationError, `${op} ${what}: expected a ValidationError, got ${result.error?.name ?? "success"}`);
  assert.equal(result.error.field, label(memberPath), `${op} ${what}: field (${result.error.message})`);
  assert.equal(result.requests.length, 0, `${op} ${what}: sent ${result.requests.length} requests`);
}

// ------------------------------------------------------------------ the probes

test("the package exposes operations of the model (the parity test covers them)", () => {
  for (const op of ["RespondActivityTaskCanceled", "RecordActivityTaskHeartbeat", "RespondActivityTaskCompleted", "RespondActivityTaskFailed", "PollForActivityTask"]) {
    assert.ok(exposed.includes(op), op);
  }
  console.log(`model parity: ${exposed.length} exposed operations: ${exposed.join(", ")}`);
});

for (const op of exposed) {
  test(`${op}: required members, limits, enums and faults agree with service-2.json`, async () => {
    const inputShape = model.operations[op].input.shape;
    const base = baseInput(op);
    let probes = 0;

    assertSent(op, await probe(op, base), null, null, "required members only");
    probes++;

    for (const member of members(inputShape)) {
      const { path: p, shape } = member;
      const what = (s) => `${label(p)} ${s}`;
      if (member.required) {
        assertRefused(op, await probe(op, withValue(op, base, p, undefined)), p, what("omitted"));
        probes++;
      }
      if (shape.type === "string" && shape.enum) {
        for (const value of shape.enum) {
          assertSent(op, await probe(op, withValue(op, base, p, value)), p, value, what(`= ${value}`));
          probes++;
        }
        assertRefused(op, await probe(op, withValue(op, base, p, `${shape.enum[0]}_NOT`)), p, what("not in the enum"));
        probes++;
      } else if (shape.type === "string") {
        const min = shape.min ?? 0;
        const max = shape.max;
        assert.ok(Number.isInteger(max), `${op} ${label(p)}: the model gives no max`);
        for (const [n, unit] of [[min, "a"], [max, "a"], [max, "😀"], [Math.max(min, 1), "é"]]) {
          const value = unit.repeat(n);
          assertSent(op, await probe(op, withValue(op, base, p, value)), p, value, what(`of ${n} '${unit}'`));
          probes++;
        }
        assertRefused(op, await probe(op, withValue(op, base, p, "a".repeat(max + 1))), p, what(`of ${max + 1}`));
        assertRefused(op, await probe(op, withValue(op, base, p, "😀".repeat(max + 1))), p, what(`of ${max + 1} astral`));
        probes += 2;
        if (min >= 1) {
          assertRefused(op, await probe(op, withValue(op, base, p, "a".repeat(min - 1))), p, what(`of ${min - 1}`));
          probes++;
        }
      } else if (shape.type === "integer" || shape.type === "long") {
        for (const bound of [shape.min, shape.max]) {
          if (bound === undefined) continue;
          assertSent(op, await probe(op, withValue(op, base, p, bound)), p, bound, what(`= ${bound}`));
          probes++;
        }
        if (shape.min !== undefined) {
          assertRefused(op, await probe(op, withValue(op, base, p, shape.min - 1)), p, what(`= ${shape.min - 1}`));
          probes++;
        }
        if (shape.max !== undefined) {
          assertRefused(op, await probe(op, withValue(op, base, p, shape.max + 1)), p, what(`= ${shape.max + 1}`));
          probes++;
        }
      } else if (shape.type === "boolean") {
        for (const value of [true, false]) {
          assertSent(op, await probe(op, withValue(op, base, p, value)), p, value, what(`= ${value}`));
          probes++;
        }
      } else if (shape.type === "timestamp") {
        const value = new Date(1_600_000_000_000);
        assertSent(op, await probe(op, withValue(op, base, p, value)), p, value, what("= a Date"));
        probes++;
      } else if (shape.type === "structure" && !member.required) {
        const value = minimal(member.shapeName);
        assertSent(op, await probe(op, withValue(op, base, p, value)), p, value, what("(required members only)"));
        probes++;
      }
    }

    const faults = (model.operations[op].errors ?? []).map((e) => e.shape);
    assert.ok(faults.length > 0, `${op} lists no faults`);
    try {
      for (const fault of faults) {
        for (const type of [fault, `com.amazonaws.swf.base.model#${fault}`]) {
          answer = () => ({ status: 400, body: { __type: type, message: "from the model" } });
          const { error, requests } = await probe(op, base);
          assert.equal(requests.length, 1, `${op} ${type}: requests`);
          assert.ok(error instanceof SwfError, `${op} ${type}: ${error}`);
          assert.equal(error.name, fault, `${op} answered ${type}`);
          assert.equal(error.statusCode, 400);
          probes++;
        }
      }
    } finally {
      answer = () => ({ status: 400, body: { __type: "ProbeRefusal", message: "probe" } });
    }
    console.log(`${op}: ${probes} probes, faults ${faults.join(", ")}`);
  });
}
