// Issue 18: the API reference is generated from the package's types (TypeDoc over
// every pkg/*.d.ts — the types of each entry: index.d.ts, embedded.d.ts, … — with
// tests/docs/typedoc.json; `make docs` writes it to
// build/api/), and every exported name — class, function, interface, type, method,
// property, option — has a doc comment: TypeDoc's validation.notDocumented with warnings as
// errors. The same options must fail on a declaration file with one undocumented export.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TYPEDOC = join(ROOT, "node_modules", "typedoc", "bin", "typedoc");
const OPTIONS = join(ROOT, "tests", "docs", "typedoc.json");
const run = promisify(execFile);

async function typedoc(args, cwd = ROOT) {
  try {
    const { stdout, stderr } = await run(process.execPath, [TYPEDOC, ...args], { cwd, maxBuffer: 16 << 20 });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    return { ok: false, output: `${error.stdout}${error.stderr}` };
  }
}

test("TypeDoc builds the reference of pkg/index.d.ts with every export documented", { timeout: 120_000 }, async () => {
  const out = join(ROOT, "tests", "out", "docs-api");
  const { ok, output } = await typedoc(["--options", OPTIONS, "--out", out, "--json", join(out, "api.json")]);
  assert.ok(ok, `TypeDoc failed (an export without a doc comment, a broken {@link}, …):\n${output}`);
  const api = JSON.parse(readFileSync(join(out, "api.json"), "utf8"));
  const names = new Set();
  const walk = (node) => {
    names.add(node.name);
    for (const child of node.children ?? []) walk(child);
  };
  walk(api);
  for (const name of ["SwfClient", "SwfClientOptions", "UnknownResourceFault", "followCancellation", "cancelMany", "paginateListDomains", "HistoryEvent"]) {
    assert.ok(names.has(name), `the reference has ${name}`);
  }
  console.log(`# API reference: ${names.size} documented names`);
});

test("the reference covers every entry's types: each `types` of pkg/package.json's exports is a pkg/*.d.ts (typedoc.json's entry points)", () => {
  const { exports } = JSON.parse(readFileSync(join(ROOT, "pkg", "package.json"), "utf8"));
  const types = new Set();
  const walk = (node) => {
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) key === "types" ? types.add(value) : walk(value);
  };
  walk(exports);
  assert.ok(types.size >= 2, [...types].join(", "));
  for (const file of types) assert.match(file, /^\.\/[^/]+\.d\.ts$/, `${file} is matched by the entry point glob pkg/*.d.ts`);
});

test("the same options fail on an export without a doc comment", { timeout: 120_000 }, async () => {
  const dir = join(ROOT, "tests", "out", "docs-api-undocumented");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.d.ts"), "/** Documented. */\nexport declare function documented(): void;\nexport declare function forgotten(): void;\n");
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, lib: ["ES2015"], types: [], skipLibCheck: true }, files: ["index.d.ts"] }));
  // typedoc.json's own options, but for the entry point and its tsconfig.
  const options = { ...JSON.parse(readFileSync(OPTIONS, "utf8")), entryPoints: ["./index.d.ts"], tsconfig: "./tsconfig.json", out: "./api" };
  writeFileSync(join(dir, "typedoc.json"), JSON.stringify(options));
  const { ok, output } = await typedoc(["--options", join(dir, "typedoc.json"), "--emit", "none"]);
  assert.equal(ok, false, output);
  assert.match(output, /forgotten.*does not have any documentation|does not have any documentation.*forgotten/s);
  assert.doesNotMatch(output, /\bdocumented\b[^\n]*does not have any documentation/);
});
