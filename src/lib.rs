//! swf-edge: the activity-task side of Amazon Simple Workflow Service (SWF) for
//! JavaScript runtimes (Cloudflare Workers, browsers, Node), compiled to WebAssembly.
//!
//! One module a step of the pipeline every call goes through:
//! [`model`] (the actions' inputs and their limits) → [`request`] (SWF's JSON 1.0 wire
//! format; bodies written by [`json`]) → [`sign`] (SigV4 with `aws-sigv4`'s key derivation
//! and signature, the time passed in) → `transport` (the platform's `fetch`, timers and
//! abort signals) → `answer` (answers read with the host's `JSON.parse`) → [`error`] (a
//! failure as a typed error).
//! [`endpoint`] turns a region or an override into the URL; [`retry`] decides what to try
//! again and corrects for clock skew.
//!
//! The JavaScript side (wasm only): `bindings` (the `WasmClient` class and its error
//! records), `options` (what callers pass), `js_input` (JS values into the model),
//! `credentials` (static keys or a provider, cached), `pipeline` (retries, deadlines,
//! abort) and `transport`.
//!
//! Everything that is not JavaScript glue is plain Rust and unit-tested natively.
#![deny(missing_docs)]

pub mod endpoint;
pub mod error;
pub mod json;
pub mod model;
pub mod request;
pub mod retry;
pub mod sign;

#[cfg(target_arch = "wasm32")]
mod answer;
#[cfg(target_arch = "wasm32")]
pub mod bindings;
#[cfg(target_arch = "wasm32")]
pub mod credentials;
#[cfg(target_arch = "wasm32")]
pub mod js_input;
#[cfg(target_arch = "wasm32")]
mod options;
#[cfg(target_arch = "wasm32")]
mod pipeline;
#[cfg(target_arch = "wasm32")]
pub mod transport;

pub use error::{Error, ServiceError};

/// Talc instead of std's dlmalloc (about 4 KB less wasm).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
