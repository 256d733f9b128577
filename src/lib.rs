//! swf-edge: Amazon Simple Workflow Service (SWF) for JavaScript runtimes (Cloudflare
//! Workers, browsers, Node), compiled to WebAssembly.
//!
//! Two halves:
//! - [`swf`]: the pure core — the model and its limits, the JSON 1.0 wire format, SigV4
//!   signing, endpoints, retry rules and error parsing. Plain Rust, unit-tested natively.
//! - `js` (wasm only): the JavaScript side — the `WasmClient` class, reading JS values,
//!   credentials, the one request pipeline and the platform's `fetch`.
//!
//! The core's modules are re-exported at the crate root (`swf_edge::model`, …).
#![deny(missing_docs)]

pub mod swf;
pub use swf::{actions, endpoint, error, json, model, request, retry, shape, sign};

#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(target_arch = "wasm32")]
use js::{answer, declared, options, pipeline};
#[cfg(target_arch = "wasm32")]
pub use js::{bindings, credentials, js_input, transport};

pub use error::{Error, ServiceError};

/// Talc instead of std's dlmalloc (about 4 KB less wasm).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
