//! swf-edge: Amazon Simple Workflow Service (SWF) for JavaScript runtimes (Cloudflare
//! Workers, browsers, Node), compiled to WebAssembly.
//!
//! Two halves:
//! - [`swf`]: the pure core — the model and its limits, the JSON 1.0 wire format, SigV4
//!   signing, endpoints and retry rules. Plain Rust, unit-tested natively.
//! - `js` (wasm only): the JavaScript side — the `WasmClient` class (synchronous: reading
//!   JS values, building and signing requests, redacting) and the credentials it signs
//!   with. The call around it (fetch, retries, timeouts) and the reading of answers are
//!   the package's JavaScript.
//!
//! The core's modules are re-exported at the crate root (`swf_edge::model`, …).
#![deny(missing_docs)]

pub mod swf;
pub use swf::{actions, endpoint, error, json, model, request, retry, shape, sign};

#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(target_arch = "wasm32")]
use js::declared;
#[cfg(target_arch = "wasm32")]
pub use js::{bindings, credentials};

pub use error::Error;

/// Talc instead of std's dlmalloc (about 4 KB less wasm).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
