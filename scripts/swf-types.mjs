// Generates pkg/dist/swf.d.ts: the TypeScript inputs and answers of the operator actions,
// from AWS's own model (botocore's SWF service-2.json in .venv, which scripts/setup.sh
// installs; SWF_EDGE_SERVICE_MODEL names another copy). Timestamps are `Date` in answers
// and `Date | number` (epoch seconds) in inputs; `HistoryEvent` is the union of one
// interface per `eventType`, each with its `<eventType>EventAttributes`.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

const OPERATIONS = [
  "ListDomains",
  "ListOpenWorkflowExecutions",
  "ListClosedWorkflowExecutions",
  "DescribeWorkflowExecution",
  "GetWorkflowExecutionHistory",
  "CountPendingActivityTasks",
  "CountPendingDecisionTasks",
  "RequestCancelWorkflowExecution",
  "SignalWorkflowExecution",
  "TerminateWorkflowExecution",
  "DescribeActivityType",
];

function modelPath() {
  if (process.env.SWF_EDGE_SERVICE_MODEL) return process.env.SWF_EDGE_SERVICE_MODEL;
  const lib = ".venv/lib";
  for (const python of existsSync(lib) ? readdirSync(lib) : []) {
    const dir = join(lib, python, "site-packages/botocore/data/swf/2012-01-25");
    for (const name of ["service-2.json.gz", "service-2.json"]) if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error("swf-types: botocore's SWF service-2.json not found in .venv (run scripts/setup.sh) or SWF_EDGE_SERVICE_MODEL");
}

const file = modelPath();
const raw = readFileSync(file);
const model = JSON.parse((file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8"));
const shapes = model.shapes;

/** The first sentence of botocore's HTML documentation, as a one-line comment. */
function doc(html, indent) {
  if (!html) return "";
  const text = html.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();
  const sentence = (/^.*?[.!?](\s|$)/.exec(text)?.[0] ?? text).trim().replace(/\*\//g, "*\\/");
  return sentence ? `${indent}/** ${sentence.length > 240 ? `${sentence.slice(0, 237)}...` : sentence} */\n` : "";
}

/** Which structures each side reaches: inputs take `Date | number`, answers give `Date`. */
const side = new Map(); // shape name → "input" | "output"
function reach(name, where) {
  const shape = shapes[name];
  if (shape.type === "list") return reach(shape.member.shape, where);
  if (shape.type !== "structure") return;
  const seen = side.get(name);
  if (seen === where || seen === "both") return;
  side.set(name, seen ? "both" : where);
  for (const member of Object.values(shape.members)) reach(member.shape, where);
}
for (const op of OPERATIONS) {
  reach(model.operations[op].input.shape, "input");
  if (model.operations[op].output) reach(model.operations[op].output.shape, "output");
}

function hasTimestamp(name, seen = new Set()) {
  const shape = shapes[name];
  if (shape.type === "timestamp") return true;
  if (seen.has(name)) return false;
  seen.add(name);
  if (shape.type === "list") return hasTimestamp(shape.member.shape, seen);
  return shape.type === "structure" && Object.values(shape.members).some((m) => hasTimestamp(m.shape, seen));
}

function typeOf(name, where) {
  const shape = shapes[name];
  switch (shape.type) {
    case "string":
      return shape.enum ? shape.enum.map((v) => JSON.stringify(v)).join(" | ") : "string";
    case "integer":
    case "long":
    case "double":
    case "float":
      return "number";
    case "boolean":
      return "boolean";
    case "timestamp":
      return where === "input" ? "Date | number" : "Date";
    case "list": {
      const item = typeOf(shape.member.shape, where);
      return item.includes("|") ? `(${item})[]` : `${item}[]`;
    }
    case "structure":
      return name;
    default:
      throw new Error(`swf-types: unhandled shape type ${shape.type} (${name})`);
  }
}

function members(shape, where, skip = []) {
  const required = new Set(shape.required ?? []);
  return Object.entries(shape.members)
    .filter(([key]) => !skip.includes(key))
    .map(([key, member]) => `${doc(member.documentation ?? shapes[member.shape].documentation, "  ") || `  /** \`${key}\`: SWF's \`${member.shape}\`. */\n`}  ${key}${required.has(key) ? "" : "?"}: ${typeOf(member.shape, where)};\n`)
    .join("");
}

const blocks = [];
for (const [name, where] of [...side].sort(([a], [b]) => a.localeCompare(b))) {
  if (name === "HistoryEvent") continue;
  if (where === "both" && hasTimestamp(name)) throw new Error(`swf-types: ${name} has timestamps and is both an input and an answer`);
  const operation = OPERATIONS.find((op) => model.operations[op].input.shape === name);
  const fallback = operation ? `/** The input of \`${operation}\` (SWF's model: limits are checked before any request). */\n` : `/** SWF's \`${name}\` shape. */\n`;
  blocks.push(`${doc(shapes[name].documentation, "") || fallback}export interface ${name} {\n${members(shapes[name], where === "input" ? "input" : "output")}}\n`);
}

// The history event union, discriminated by eventType.
const event = shapes.HistoryEvent;
const base = ["eventTimestamp", "eventType", "eventId"];
blocks.push(
  `/** What every history event has; the union \`HistoryEvent\` adds its attributes by \`eventType\`. */\nexport interface HistoryEventBase {\n${members(
    { ...event, members: Object.fromEntries(base.map((k) => [k, event.members[k]])) },
    "output",
  )}}\n`,
);
const variants = [];
for (const type of shapes[event.members.eventType.shape].enum) {
  const attributes = `${type[0].toLowerCase()}${type.slice(1)}EventAttributes`;
  const member = event.members[attributes];
  const body = member ? `  /** The event's attributes (\`${member.shape}\`). */\n  ${attributes}: ${member.shape};\n` : "";
  blocks.push(`/** A \`${type}\` event. */\nexport interface ${type}Event extends HistoryEventBase {\n  eventType: "${type}";\n${body}}\n`);
  variants.push(`${type}Event`);
}
blocks.push(`/** One event of a workflow execution's history, discriminated by \`eventType\`. */\nexport type HistoryEvent =\n${variants.map((v) => `  | ${v}`).join("\n")};\n`);

writeFileSync(
  "pkg/dist/swf.d.ts",
  `// Generated by scripts/swf-types.mjs from botocore's SWF service-2.json (${model.metadata.apiVersion}): do not edit.\n\n${blocks.join("\n")}`,
);
console.log(`pkg/dist/swf.d.ts: ${blocks.length} declarations (${variants.length} history event types) from SWF's model`);
