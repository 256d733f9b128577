// Shortens the names the wasm and its wasm-bindgen glue agree on, after wasm-opt:
// - the glue module's import names (`__wbg_hasOwn_19cf56c2a374e9e5` → `a`, …), in the wasm's
//   import section and as keys of the glue's imports object;
// - every import module name (`./swf_edge_bg.js`, and a snippet's path if the glue has one) → `a`, `b`, …,
//   in the wasm and as keys of the object __wbg_get_imports returns (a snippet's own export
//   names stay: the glue hands it over as a whole module namespace);
// - the export names the glue reads as `wasm.<name>` (`wasmclient_call`, the closure shims'
//   300-character names, …); `memory` and `__wbindgen_externrefs` keep theirs (tests and the
//   bench read them through initSync()); an export the glue never reads is dropped.
// The mapping is derived from the wasm itself, so it follows whatever imports the Rust side
// has. It fails the build when the glue does not match the wasm exactly (an import with no
// key, a key used twice, a name read some other way than `wasm.<name>`), and at the end it
// instantiates the rewritten pair in a fresh Node process through the glue's own initSync.
// Measured on main b6cb139: -3,961 B raw / -1,192 B brotli of wasm, -787 B brotli of glue.
//   node scripts/wasm-names.mjs pkg/dist/swf_edge_bg.wasm pkg/dist/swf_edge.js
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) throw new Error("usage: node scripts/wasm-names.mjs <x_bg.wasm> <x.js>");
const KEEP_EXPORTS = new Set(["memory", "__wbindgen_externrefs"]);
const fail = (why) => {
  throw new Error(`wasm-names: ${why} (${gluePath} and ${wasmPath} do not match as expected; is this wasm-bindgen's --target web output?)`);
};

const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");
const glueModule = `./${basename(wasmPath, ".wasm")}.js`; // wasm-bindgen: "./swf_edge_bg.js"

// ---------------------------------------------------------------- wasm reading/writing
function reader(bytes, at = 0) {
  const r = {
    at,
    u32() {
      let value = 0;
      let shift = 0;
      let byte;
      do {
        byte = bytes[r.at++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80);
      return value;
    },
    name() {
      const length = r.u32();
      const text = bytes.subarray(r.at, r.at + length).toString("utf8");
      r.at += length;
      return text;
    },
  };
  return r;
}
function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}
const name = (text) => Buffer.concat([u32(Buffer.byteLength(text)), Buffer.from(text)]);
const section = (id, body) => Buffer.concat([Buffer.from([id]), u32(body.length), body]);

if (wasm.readUInt32LE(0) !== 0x6d736100 || wasm.readUInt32LE(4) !== 1) fail("not a wasm module (version 1)");
const sections = [];
for (const r = reader(wasm, 8); r.at < wasm.length; ) {
  const header = r.at;
  const id = wasm[r.at++];
  const size = r.u32();
  sections.push({ id, header, start: r.at, end: r.at + size });
  r.at += size;
}
const only = (id) => {
  const found = sections.filter((s) => s.id === id);
  if (found.length !== 1) fail(`expected one section ${id} in the wasm, found ${found.length}`);
  return found[0];
};

/** Import entries: module, field and the raw bytes of the description that follows. */
function readImports({ start, end }) {
  const r = reader(wasm, start);
  const imports = [];
  for (let n = r.u32(); n > 0; n--) {
    const module = r.name();
    const field = r.name();
    const descStart = r.at;
    const kind = wasm[r.at++];
    if (kind === 0) r.u32(); // function: type index
    else if (kind === 1 || kind === 2) {
      if (kind === 1) r.at++; // table: element type
      const flags = wasm[r.at++];
      r.u32();
      if (flags & 1) r.u32();
    } else if (kind === 3) r.at += 2; // global: value type, mutability
    else if (kind === 4) (r.at++, r.u32()); // tag
    else fail(`unknown import kind ${kind}`);
    imports.push({ module, field, desc: wasm.subarray(descStart, r.at) });
  }
  if (r.at !== end) fail("the import section did not parse to its end");
  return imports;
}
function readExports({ start, end }) {
  const r = reader(wasm, start);
  const exports = [];
  for (let n = r.u32(); n > 0; n--) {
    const field = r.name();
    const descStart = r.at;
    r.at++;
    r.u32();
    exports.push({ field, desc: wasm.subarray(descStart, r.at) });
  }
  if (r.at !== end) fail("the export section did not parse to its end");
  return exports;
}

// ----------------------------------------------------------------------- names
/** a…z, A…Z, then aa, ab, …: short and valid as JS property names. */
function shortName(i) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  i += 1;
  while (i > 0) {
    i -= 1;
    s = letters[i % letters.length] + s;
    i = Math.floor(i / letters.length);
  }
  return s;
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const count = (re) => (glue.match(re) ?? []).length;

const importSection = only(2);
const exportSection = only(7);
const imports = readImports(importSection);
const exports = readExports(exportSection);

// The glue's imports object: the body of __wbg_get_imports.
const getImports = /\nfunction __wbg_get_imports\(\) \{\n[\s\S]*?\n\}\n/.exec(glue);
if (!getImports) fail("no __wbg_get_imports() in the glue");
let body = getImports[0];

// Import modules → a, b, … (keys of the returned object, quoted in wasm-bindgen's output).
const modules = [...new Set(imports.map((i) => i.module))];
if (!modules.includes(glueModule)) fail(`the wasm imports nothing from ${glueModule}`);
const moduleName = new Map(modules.map((m, i) => [m, shortName(i)]));
for (const [long, short] of moduleName) {
  const key = new RegExp(`(\\n\\s+)${escape(JSON.stringify(long))}:`, "g");
  if (!key.test(body)) fail(`the glue's imports object has no key for module ${long}`);
  body = body.replace(key, `$1${short}:`);
}

// The glue module's own imports → a, b, … (one key each in its imports object).
const keyPattern = /\n {8}([A-Za-z_$][\w$]*): function\b/g;
const keys = [...body.matchAll(keyPattern)].map((m) => m[1]);
const fieldName = new Map();
for (const { module, field } of imports) {
  if (module !== glueModule) continue;
  if (fieldName.has(field)) fail(`the wasm imports ${field} twice`);
  const uses = count(new RegExp(`(?<![\\w$])${escape(field)}(?![\\w$])`, "g"));
  if (uses !== 1 || !keys.includes(field)) fail(`import ${field}: expected it exactly once in the glue, as a key of its imports object; found ${uses} uses`);
  fieldName.set(field, shortName(fieldName.size));
}
// Keys of imports wasm-opt removed (nothing calls them): their functions go too.
for (const key of keys) {
  if (fieldName.has(key)) continue;
  const fn = new RegExp(`\\n {8}${escape(key)}: function\\b[\\s\\S]*?\\n {8}\\},?(?=\\n)`);
  if (!fn.test(body)) fail(`cannot find the end of the unused import function ${key}`);
  body = body.replace(fn, "");
}
body = body.replace(keyPattern, (whole, key) => whole.replace(key, fieldName.get(key)));
glue = glue.replace(getImports[0], body);

// Exports: renamed where the glue reads them as wasm.<name>, dropped where it never does.
const exportName = new Map();
let nextExport = 0;
const keptExports = [];
for (const e of exports) {
  if (KEEP_EXPORTS.has(e.field)) {
    keptExports.push({ ...e, short: e.field });
    continue;
  }
  const dotted = new RegExp(`(?<![\\w$])wasm\\.${escape(e.field)}(?![\\w$])`, "g");
  const reads = count(dotted);
  const quoted = count(new RegExp(`["'\`]${escape(e.field)}["'\`]`, "g"));
  if (quoted) fail(`export ${e.field} is named in a string in the glue; only wasm.${e.field} reads can be renamed`);
  if (!reads) continue; // unused by the glue: dropped
  let short;
  do short = shortName(nextExport++);
  while (KEEP_EXPORTS.has(short));
  exportName.set(e.field, short);
  keptExports.push({ ...e, short });
  glue = glue.replace(dotted, `wasm.${short}`);
}
// Every remaining wasm.<name> in the glue must be an export of the rewritten wasm.
const exported = new Set(keptExports.map((e) => e.short));
for (const [, read] of glue.matchAll(/(?<![\w$])wasm\.([A-Za-z_$][\w$]*)/g)) {
  if (!exported.has(read)) fail(`the glue reads wasm.${read}, which the wasm does not export`);
}

// ------------------------------------------------------------------ write both
const vec = (items) => Buffer.concat([u32(items.length), ...items]);
const newImports = vec(
  imports.map((i) =>
    Buffer.concat([name(moduleName.get(i.module)), name(i.module === glueModule ? fieldName.get(i.field) : i.field), i.desc]),
  ),
);
const newExports = vec(keptExports.map((e) => Buffer.concat([name(e.short), e.desc])));
const out = [wasm.subarray(0, 8)];
for (const s of sections) {
  if (s === importSection) out.push(section(2, newImports));
  else if (s === exportSection) out.push(section(7, newExports));
  else out.push(wasm.subarray(s.header, s.end));
}
const rewritten = Buffer.concat(out);
WebAssembly.validate(rewritten) || fail("the rewritten wasm does not validate");
writeFileSync(wasmPath, rewritten);
writeFileSync(gluePath, glue);

// The rewritten pair must link: the glue's initSync instantiates the wasm with its own imports.
const check = `const g = await import(${JSON.stringify(pathToFileURL(gluePath).href)});
const w = g.initSync({ module: (await import("node:fs")).readFileSync(${JSON.stringify(wasmPath)}) });
if (!(w.memory instanceof WebAssembly.Memory)) throw new Error("no memory export");`;
try {
  execFileSync(process.execPath, ["--input-type=module", "-e", check], { stdio: ["ignore", "ignore", "pipe"] });
} catch (e) {
  fail(`the rewritten glue cannot instantiate the rewritten wasm: ${e.stderr}`);
}
const dropped = exports.length - keptExports.length;
console.log(
  `wasm-names: ${fieldName.size} imports, ${moduleName.size} modules, ${exportName.size} exports renamed` +
    `${dropped ? `, ${dropped} unused export(s) dropped` : ""}; wasm ${wasm.length} → ${rewritten.length} B`,
);
