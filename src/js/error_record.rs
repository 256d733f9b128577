//! Error records: every failure of a call as one plain object that pkg/core.js turns
//! into an `SwfError` subclass, with every secret the call used redacted.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use crate::error::{truncate_chars, Error, MAX_MESSAGE_CHARS};
use crate::pipeline::Failure;

/// The plain record `{ kind, name, code?, message, statusCode?, requestId?, retryable,
/// field?, attempts, possiblyAlreadyClosed }` that pkg/core.js turns into an error object:
/// kind `"service"` (an error answer, whose `code` is SWF's error code) becomes a
/// `ServiceError` (`source: "service"`), every other kind a client-side class. The secrets
/// given and those of every credentials the call signed with are cut out of every string.
pub(crate) fn error_record(failure: &Failure, current_secrets: &[String]) -> JsValue {
    let mut secrets = failure.secrets.clone();
    secrets.extend(current_secrets.iter().cloned());
    let secrets = &secrets[..];
    let record = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&record, &key.into(), &value);
    };
    let error = &failure.error;
    let kind = match error {
        Error::Validation { field, .. } => {
            if let Some(field) = field {
                set("field", field.into());
            }
            "validation"
        }
        Error::Service(e) => {
            set("code", redact(e.code.clone(), secrets).into());
            set("statusCode", e.status.into());
            if let Some(id) = &e.request_id {
                set("requestId", redact(id.clone(), secrets).into());
            }
            "service"
        }
        Error::Transport { .. } => "transport",
        Error::Timeout { .. } => "timeout",
        Error::Aborted { .. } => "abort",
        Error::Credentials { .. } => "credentials",
        Error::Response { .. } => "response",
        Error::Redirect { .. } => "redirect",
    };
    let message = match error {
        Error::Service(e) => e.message.clone(),
        other => other.to_string(),
    };
    set("kind", kind.into());
    set("name", redact(error.name().to_owned(), secrets).into());
    let message = truncate_chars(redact(message, secrets), MAX_MESSAGE_CHARS);
    set("message", message.into());
    set("retryable", error.retryable().into());
    set("attempts", failure.attempts.into());
    set(
        "possiblyAlreadyClosed",
        failure.possibly_already_closed.into(),
    );
    record.into()
}

/// Replaces every occurrence of a secret (as is or ASCII-lower-cased) in `text`, and every
/// run of 64 hex digits (a SigV4 signature, should an answer echo one).
fn redact(mut text: String, secrets: &[String]) -> String {
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        // Also lower-cased, as a URL's host is (a redirect's origin is quoted).
        let lower = secret.to_ascii_lowercase();
        for form in [secret.as_str(), lower.as_str()] {
            if text.contains(form) {
                text = text.replace(form, "[redacted]");
            }
        }
    }
    redact_signatures(&text)
}

/// `text` with each run of exactly 64 hex digits replaced.
fn redact_signatures(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_hexdigit() {
            i += 1;
            continue;
        }
        let run = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        if run == 64 {
            out.push_str(&text[start..i]);
            out.push_str("[redacted]");
            start = i + run;
        }
        i += run;
    }
    out.push_str(&text[start..]);
    out
}
