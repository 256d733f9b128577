//! The JavaScript side (wasm only): what crosses between the host and the pure core.
//!
//! `bindings` (the `WasmClient` class: prepare, sign, redact), `declared` (an input as
//! pkg/input.js read it into a declared action's fields), `credentials` (the
//! keys signed with, held in the wasm) and `error_record` (failures as plain records,
//! secrets redacted). The call around them (fetch, retries, timeouts, abort, the
//! credentials provider) is pkg/call.js's, the reading of answers pkg/answer.js's; the
//! constructor's options and a provider's answers are read by pkg/core.js and
//! pkg/credentials.js (with pkg/read.js).

pub mod bindings;
pub mod credentials;
pub(crate) mod declared;
pub(crate) mod error_record;
