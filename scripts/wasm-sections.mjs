// The sections of a wasm module: name, where each starts (its id byte) and ends. Used by
// bench/bench.mjs (section 1's parts table) and scripts/anatomy.sh.
const NAMES = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "data count", "tag"];

/** Each section of `bytes` (a wasm module) as `{ name, start, end }`. */
export function wasmSections(bytes) {
  const out = [];
  for (let at = 8; at < bytes.length; ) {
    const start = at;
    const id = bytes[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      size += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) break;
    }
    at += size;
    out.push({ name: NAMES[id] ?? `#${id}`, start, end: at });
  }
  return out;
}
