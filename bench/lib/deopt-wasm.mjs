// The wasm module of the crash soak's minimal case (bench/soak-min.mjs), written out byte by
// byte (no toolchain needed):
//   (module
//     (import "m" "g" (func $g))
//     (func (export "f") (param T) (result T) call $g local.get 0))
// with T = externref (what wasm-bindgen's reference-types glue returns, e.g. a Promise) or
// i32 (the control); "externref-pair" returns (externref, i32), the shape of a wasm-bindgen
// `Result<JsValue, JsValue>` export, which V8 does not inline.

/** The module's bytes for `kind` "externref", "i32" or "externref-pair" (results externref, i32). */
export function deoptWasmBytes(kind) {
  if (kind === "externref-pair") {
    // (func (export "f") (param externref) (result externref i32) call $g local.get 0 i32.const 0)
    return new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x0a, 0x02, 0x60, 0x01, 0x6f, 0x02, 0x6f, 0x7f, 0x60, 0x00, 0x00,
      0x02, 0x07, 0x01, 0x01, 0x6d, 0x01, 0x67, 0x00, 0x01,
      0x03, 0x02, 0x01, 0x00,
      0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01,
      0x0a, 0x0a, 0x01, 0x08, 0x00, 0x10, 0x00, 0x20, 0x00, 0x41, 0x00, 0x0b,
    ]);
  }
  const t = { externref: 0x6f, i32: 0x7f }[kind];
  if (t === undefined) throw new Error(`deoptWasmBytes: kind must be externref, i32 or externref-pair, not ${kind}`);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    0x01, 0x09, 0x02, 0x60, 0x01, t, 0x01, t, 0x60, 0x00, 0x00, // types: (T) -> T, () -> ()
    0x02, 0x07, 0x01, 0x01, 0x6d, 0x01, 0x67, 0x00, 0x01, // import "m" "g": func of type 1
    0x03, 0x02, 0x01, 0x00, // one function of type 0
    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01, // export "f" = function 1
    0x0a, 0x08, 0x01, 0x06, 0x00, 0x10, 0x00, 0x20, 0x00, 0x0b, // body: call 0; local.get 0; end
  ]);
}

/**
 * The minimal case on an instantiated module: `caller` (plain JS) calls the export f in a
 * hot loop until TurboFan has optimized it (and inlined the JS-to-wasm call); then the
 * import g, while f is running, changes a global the optimized `caller` depends on, which
 * deoptimizes `caller` lazily with the wasm frame on the stack. Returns "ok" when the
 * runtime survives and the value came back intact.
 */
export function runDeoptCase(instantiate, kind, iterations = 200_000) {
  globalThis.SOAK_FLAG = 0;
  let flip = false;
  const { exports } = instantiate({ m: { g: () => void (flip && (globalThis.SOAK_FLAG = 1)) } });
  const f = exports.f;
  const caller = (x) => {
    const r = f(x);
    return globalThis.SOAK_FLAG === 0 ? r : r;
  };
  const arg = kind === "i32" ? 7 : { a: 1 };
  const value = (r) => (kind === "externref-pair" ? r[0] : r); // several results come back as an array
  for (let i = 0; i < iterations; i++) caller(arg);
  flip = true;
  return value(caller(arg)) === arg ? "ok" : "wrong value";
}
