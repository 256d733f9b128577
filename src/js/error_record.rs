//! Error records: every failure the wasm finds (invalid input or options, unusable
//! credentials) as one plain object that pkg/errors.js turns into an `SwfError` subclass,
//! with every secret held redacted. pkg/call.js adds `attempts` and
//! `possiblyAlreadyClosed`, and builds the records of the failures it finds itself
//! (network, timeouts, abort, redirects; pkg/answer.js: error answers and unexpected
//! bodies) with their strings passed through [`message_of`] too.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use crate::error::{truncate_chars, Error, MAX_MESSAGE_CHARS};

/// The plain record `{ kind, name, message, retryable, field? }` that pkg/errors.js turns
/// into an error object of the client-side class for `kind` (pkg/answer.js builds the
/// `"service"` records of error answers). The `secrets` are cut out of every string.
pub(crate) fn error_record(error: &Error, secrets: &[String]) -> JsValue {
    let record = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&record, &key.into(), &value);
    };
    let kind = match error {
        Error::Validation { field, .. } => {
            if let Some(field) = field {
                set("field", field.into());
            }
            "validation"
        }
        Error::Credentials { .. } => "credentials",
    };
    set("kind", kind.into());
    set("name", redact(error.name().to_owned(), secrets).into());
    set(
        "message",
        message_of(error.message().to_owned(), secrets).into(),
    );
    set("retryable", false.into());
    record.into()
}

/// `text` redacted of `secrets` and cut to [`MAX_MESSAGE_CHARS`]: every message shown.
pub(crate) fn message_of(text: String, secrets: &[String]) -> String {
    truncate_chars(redact(text, secrets), MAX_MESSAGE_CHARS)
}

/// Replaces every occurrence of a secret (as is or ASCII-lower-cased) in `text`, and every
/// run of 64 hex digits (a SigV4 signature, should an answer echo one).
fn redact(mut text: String, secrets: &[String]) -> String {
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        // Also lower-cased, as a URL's host is (a redirect's origin is quoted).
        let lower = secret.to_ascii_lowercase();
        for form in [secret.as_str(), lower.as_str()] {
            text = replace_all(&text, form);
        }
    }
    redact_signatures(&text)
}

/// `text` with every occurrence of `secret` replaced, left to right: a plain byte search
/// (`str::replace`'s two-way searcher cost the wasm ~1.5 KB; secrets are short and
/// messages a few KB). A match of a whole `&str` starts and ends on char boundaries.
fn replace_all(text: &str, secret: &str) -> String {
    let (bytes, needle) = (text.as_bytes(), secret.as_bytes());
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    let mut i = 0;
    while i + needle.len() <= bytes.len() {
        if bytes[i..].starts_with(needle) {
            out.push_str(&text[start..i]);
            out.push_str("[redacted]");
            i += needle.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[start..]);
    out
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
