//! The JavaScript side (wasm only): what crosses between the host and the pure core.
//!
//! `bindings` (the `WasmClient` class and its error records), `options` (what callers
//! pass), `js_input` (JS values into the model), `declared` (JS values into a declared
//! action's fields), `credentials` (static keys or a provider,
//! cached), `pipeline` (retries, deadlines, abort), `transport` (the platform's `fetch`,
//! timers and abort signals, with `runtime.js`) and `answer` (answers read with the host's
//! `JSON.parse`).

pub(crate) mod answer;
pub mod bindings;
pub mod credentials;
pub(crate) mod declared;
pub(crate) mod error_record;
pub mod js_input;
pub(crate) mod options;
pub(crate) mod pipeline;
pub mod transport;
