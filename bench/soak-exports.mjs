// Lists the wasm's exported functions whose result is exactly one externref: the shape whose
// lazy deoptimization kills Node 20 and 22 once TurboFan has inlined a call to it (see
// bench/soak-findings.md). Several results (a wasm-bindgen `Result`), numbers or none are
// safe: V8 handles those, and it never inlines calls with more than one result.
//   node bench/soak-exports.mjs [path/to.wasm]   (default pkg/dist/swf_edge_bg.wasm)
// Prints every exported function's signature; exits 1 when any returns one externref.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const file = process.argv[2] ?? fileURLToPath(new URL("../pkg/dist/swf_edge_bg.wasm", import.meta.url));
const bytes = readFileSync(file);
const VALUE = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };

let at = 8; // after magic and version
const u32 = () => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    result |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) return result >>> 0;
    shift += 7;
  }
};
const name = () => {
  const length = u32();
  const text = bytes.toString("utf8", at, at + length);
  at += length;
  return text;
};
const valueType = () => {
  const byte = bytes[at++];
  if (!(byte in VALUE)) throw new Error(`${file}: value type 0x${byte.toString(16)} at ${at - 1} is not handled by this checker`);
  return VALUE[byte];
};
const limits = () => {
  const flags = bytes[at++];
  u32();
  if (flags & 1) u32();
};

const types = [];
const functionTypes = []; // function index → type index (imports first)
const exports = [];
while (at < bytes.length) {
  const id = bytes[at++];
  const size = u32();
  const end = at + size;
  if (id === 1) {
    for (let n = u32(); n > 0; n--) {
      if (bytes[at++] !== 0x60) throw new Error(`${file}: a type that is not a function type`);
      const params = Array.from({ length: u32() }, valueType);
      const results = Array.from({ length: u32() }, valueType);
      types.push({ params, results });
    }
  } else if (id === 2) {
    for (let n = u32(); n > 0; n--) {
      name();
      name();
      const kind = bytes[at++];
      if (kind === 0) functionTypes.push(u32());
      else if (kind === 1) (at++, limits());
      else if (kind === 2) limits();
      else if (kind === 3) (valueType(), at++);
      else throw new Error(`${file}: import kind ${kind} is not handled by this checker`);
    }
  } else if (id === 3) {
    for (let n = u32(); n > 0; n--) functionTypes.push(u32());
  } else if (id === 7) {
    for (let n = u32(); n > 0; n--) {
      const exportName = name();
      const kind = bytes[at++];
      const index = u32();
      if (kind === 0) exports.push({ name: exportName, type: types[functionTypes[index]] });
    }
  }
  at = end;
}

const risky = exports.filter((e) => e.type.results.length === 1 && e.type.results[0] === "externref");
for (const e of exports) {
  const mark = risky.includes(e) ? "  <- one externref result: crashes Node 20/22 when deoptimized lazily after inlining" : "";
  console.log(`${e.name.length > 60 ? `${e.name.slice(0, 57)}...` : e.name}: (${e.type.params.join(", ")}) -> (${e.type.results.join(", ")})${mark}`);
}
console.log(risky.length ? `${risky.length} export(s) return one externref` : "no export returns one externref");
process.exit(risky.length ? 1 : 0);
