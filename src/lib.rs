//! swf-edge: the activity-task side of Amazon Simple Workflow Service (SWF) for
//! JavaScript runtimes (Cloudflare Workers, browsers, Node), compiled to WebAssembly.
//!
//! The pipeline every call goes through, one module a step:
//! [`model`] (validate the input) → [`request`] (serialise it to SWF's JSON 1.0 protocol)
//! → [`sign`] (SigV4, with the time passed in) → `transport` (the platform's `fetch`)
//! → [`error`] (map a failure to a typed error). [`endpoint`] turns a region or an
//! endpoint override into the URL to call; `bindings` is the JavaScript API.
//!
//! Everything except `transport` and `bindings` is plain Rust and unit-tested natively.
#![deny(missing_docs)]

pub mod endpoint;
pub mod error;
pub mod json_path;
pub mod model;
pub mod request;
pub mod retry;
pub mod sign;

#[cfg(target_arch = "wasm32")]
pub mod bindings;
#[cfg(target_arch = "wasm32")]
pub mod credentials;
#[cfg(target_arch = "wasm32")]
pub mod js_input;
#[cfg(target_arch = "wasm32")]
pub mod transport;

pub use error::{Error, ServiceError};
