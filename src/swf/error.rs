//! Errors: one enum for everything that can go wrong, and the parser that turns an SWF
//! error answer (status, headers, JSON body) into a [`ServiceError`].

use crate::swf::text::{concat, push_int};

/// The longest service message kept while parsing (an error body can be megabytes long);
/// the message shown is cut further, after secrets are redacted ([`truncate_chars`]).
pub const MAX_PARSED_MESSAGE_CHARS: usize = 65536;
/// The longest message shown to callers.
pub const MAX_MESSAGE_CHARS: usize = 1024;
/// The most bytes of an error answer's body (any status but 2xx) that are read; a longer
/// body is not read further and the error is named from the status and headers alone.
pub const MAX_ERROR_ANSWER_BYTES: usize = 64 * 1024;
/// The longest error code kept from an answer; a longer one (or one with characters
/// outside `[A-Za-z0-9_.]`) is replaced by the generic name for the status.
pub const MAX_CODE_CHARS: usize = 128;

/// The names of the errors swf-edge itself raises. A service error whose code is one of
/// these is named `ServiceError` (its `code` keeps the real one), so that no answer can
/// pose as a client-side failure.
pub const CLIENT_ERROR_NAMES: &[&str] = &[
    "SwfError",
    "ServiceError",
    "ValidationError",
    "TransportError",
    "TimeoutError",
    "AbortError",
    "CredentialsError",
    "ResponseError",
    "RedirectError",
    "InternalError",
    "WasmLoadError",
    "ActivityCancelRequested",
];

/// Anything a call can fail with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The caller's input or options break a documented rule; nothing was sent.
    #[error("{message}")]
    Validation {
        /// The offending option or input field, e.g. `taskToken`.
        field: Option<String>,
        /// What is wrong, in plain words.
        message: String,
    },
    /// SWF (or something in front of it) answered with an error.
    #[error("{0}")]
    Service(ServiceError),
    /// The request could not be sent, or the answer could not be read: it may or may
    /// not have reached SWF.
    #[error("{message}")]
    Transport {
        /// What failed, without any secret.
        message: String,
    },
    /// An attempt, or the whole call, ran out of time.
    #[error("{message}")]
    Timeout {
        /// Which limit, and after how many attempts.
        message: String,
        /// Whether the call's overall deadline (not one attempt's timeout) was reached.
        deadline: bool,
    },
    /// The caller's `AbortSignal` fired.
    #[error("{message}")]
    Aborted {
        /// When it fired.
        message: String,
    },
    /// The credentials provider failed or returned something unusable.
    #[error("{message}")]
    Credentials {
        /// What went wrong (never a secret).
        message: String,
    },
    /// SWF answered 2xx, but with a body that is not what the action returns (or one
    /// larger than the action's cap).
    #[error("{message}")]
    Response {
        /// What was wrong with it.
        message: String,
    },
    /// The endpoint answered with a redirect (3xx), which is never followed.
    #[error("{message}")]
    Redirect {
        /// The status and the origin it pointed to (never a path, query or credential).
        message: String,
    },
}

impl Error {
    /// A validation error about one named field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::Validation {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    /// The same error with `context: ` before a validation message (other kinds unchanged).
    pub fn prefixed(self, context: &str) -> Self {
        match self {
            Error::Validation { field, message } => Error::Validation {
                field,
                message: concat(&[context, ": ", &message]),
            },
            other => other,
        }
    }

    /// Whether repeating the same call may succeed.
    pub fn retryable(&self) -> bool {
        match self {
            Error::Service(e) => e.retryable(),
            Error::Transport { .. } => true,
            Error::Timeout { deadline, .. } => !deadline,
            Error::Validation { .. }
            | Error::Aborted { .. }
            | Error::Credentials { .. }
            | Error::Response { .. }
            | Error::Redirect { .. } => false,
        }
    }

    /// Whether the request may have reached SWF without us seeing the answer.
    pub fn maybe_delivered(&self) -> bool {
        matches!(self, Error::Transport { .. } | Error::Timeout { .. })
    }

    /// The JavaScript `name` of the error: the SWF error code for service errors (or
    /// `ServiceError`, see [`ServiceError::name`]).
    pub fn name(&self) -> &str {
        match self {
            Error::Validation { .. } => "ValidationError",
            Error::Service(e) => e.name(),
            Error::Transport { .. } => "TransportError",
            Error::Timeout { .. } => "TimeoutError",
            Error::Aborted { .. } => "AbortError",
            Error::Credentials { .. } => "CredentialsError",
            Error::Response { .. } => "ResponseError",
            Error::Redirect { .. } => "RedirectError",
        }
    }
}

/// An error answer from SWF, already parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ServiceError {
    /// The SWF error code, e.g. `UnknownResourceFault` (namespace and `:` suffix cut,
    /// checked by [`sane_code`]).
    pub code: String,
    /// The service's message (or a generic one when the answer had none).
    pub message: String,
    /// The HTTP status code.
    pub status: u16,
    /// The `x-amzn-RequestId` of the answer, when present.
    pub request_id: Option<String>,
}

/// Error names that a retry may cure (AWS "standard" retry mode's list).
const RETRYABLE_NAMES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalFailure",
    "InternalError",
    "ServiceUnavailable",
];

/// Error names that mean the local clock is off (a retry with a corrected clock may cure).
const CLOCK_SKEW_NAMES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

impl ServiceError {
    /// The JavaScript `name`: the code, or `ServiceError` when the code is one of
    /// swf-edge's own names ([`CLIENT_ERROR_NAMES`]).
    pub fn name(&self) -> &str {
        if CLIENT_ERROR_NAMES.contains(&self.code.as_str()) {
            "ServiceError"
        } else {
            &self.code
        }
    }

    /// Whether repeating the same call may succeed: throttling, 5xx, transient names.
    pub fn retryable(&self) -> bool {
        matches!(self.status, 500 | 502 | 503 | 504)
            || RETRYABLE_NAMES.contains(&self.code.as_str())
    }

    /// Whether the answer says the request's time was too far from the server's.
    pub fn is_clock_skew(&self) -> bool {
        CLOCK_SKEW_NAMES.contains(&self.code.as_str())
            && (self.code != "InvalidSignatureException"
                || self.message.contains("expired")
                || self.message.contains("not yet current"))
    }
}

/// What an SWF (JSON 1.0 protocol) error body says: its `__type` and `code`, and its
/// message (`message`, `Message` or `errorMessage`, the first that is a non-empty string).
/// Fields of another type count as absent rather than losing the whole body.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// `__type`, e.g. `com.amazonaws.swf.base.model#UnknownResourceFault`.
    pub error_type: Option<String>,
    /// `code`, which some awsJson1_0 services send instead of `__type`.
    pub code: Option<String>,
    /// The message.
    pub message: Option<String>,
}

/// The keys an error message may come under, in order of preference.
const MESSAGE_KEYS: [&str; 3] = ["message", "Message", "errorMessage"];

impl ErrorBody {
    /// Picks the fields from a parsed body: `field(key)` is the string under `key`, if
    /// the body is an object and that value is a string. Empty strings count as absent.
    pub fn from_fields(field: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| field(key).filter(|s| !s.is_empty());
        ErrorBody {
            error_type: text("__type"),
            code: text("code"),
            message: MESSAGE_KEYS.iter().find_map(|key| text(key)),
        }
    }

    /// Reads an error body with `serde_json` (native; the wasm parses it with the host's
    /// `JSON.parse`, in `answer.rs`). Anything but a JSON object is empty.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(body: &str) -> Self {
        let value: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        Self::from_fields(|key| {
            value
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        })
    }
}

/// Turns an error answer into a [`ServiceError`] (native: the body read by
/// [`ErrorBody::from_json`]).
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_service_error(
    status: u16,
    error_type_header: Option<&str>,
    request_id: Option<String>,
    body: &str,
) -> ServiceError {
    service_error(
        status,
        error_type_header,
        request_id,
        ErrorBody::from_json(body),
    )
}

/// Turns an error answer (its status, headers and body fields) into a [`ServiceError`].
///
/// The code follows Smithy's awsJson1_0 rules, as botocore reads them: the body's
/// `__type`, else its `code`, else the `x-amzn-ErrorType` header; each cut at the first
/// `:` and stripped of a namespace up to the last `#`
/// (`com.amazonaws.swf.base.model#UnknownResourceFault:http://…` → `UnknownResourceFault`).
/// A code that is not [`sane_code`], or none at all, gives the generic name for the status.
pub fn service_error(
    status: u16,
    error_type_header: Option<&str>,
    request_id: Option<String>,
    parsed: ErrorBody,
) -> ServiceError {
    let code = parsed
        .error_type
        .as_deref()
        .or(parsed.code.as_deref())
        .or(error_type_header.filter(|h| !h.is_empty()))
        .map(sanitize_code)
        .filter(|c| sane_code(c))
        .map(str::to_owned)
        .unwrap_or_else(|| name_for_status(status).to_owned());
    let message = parsed.message.filter(|m| !m.is_empty()).unwrap_or_else(|| {
        let mut message = String::from("SWF answered HTTP ");
        push_int(&mut message, status.into());
        message.push_str(" without an error message");
        message
    });
    ServiceError {
        code,
        message: truncate_chars(message, MAX_PARSED_MESSAGE_CHARS),
        status,
        request_id: request_id.filter(|id| !id.is_empty()),
    }
}

/// An error answer whose body was larger than [`MAX_ERROR_ANSWER_BYTES`] and not read:
/// named from the `x-amzn-ErrorType` header or the status alone.
pub fn oversize_service_error(
    status: u16,
    error_type_header: Option<&str>,
    request_id: Option<String>,
) -> ServiceError {
    let body = ErrorBody {
        message: Some(OVERSIZE_ERROR_MESSAGE.into()),
        ..ErrorBody::default()
    };
    service_error(status, error_type_header, request_id, body)
}

/// The message of an error answer too large to read (the number is [`MAX_ERROR_ANSWER_BYTES`]).
const OVERSIZE_ERROR_MESSAGE: &str = "SWF answered with an error body over 65536 bytes (not read)";

/// The awsJson1_0 rule: everything before the first `:`, after the last `#`.
pub fn sanitize_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    before_colon.rsplit('#').next().unwrap_or(before_colon)
}

/// Whether a (sanitized) code may be shown as an error name: 1 to [`MAX_CODE_CHARS`]
/// characters from `[A-Za-z0-9_.]`.
pub fn sane_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_CODE_CHARS
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

/// The name used when an answer names no error.
fn name_for_status(status: u16) -> &'static str {
    match status {
        503 => "ServiceUnavailable",
        500..=599 => "InternalFailure",
        429 => "Throttling",
        403 => "AccessDeniedException",
        _ => "UnknownError",
    }
}

/// Cuts `text` to at most `max` characters, marking the cut.
pub fn truncate_chars(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => {
            let mut text = text;
            text.truncate(cut);
            text.push('…');
            text
        }
        None => text,
    }
}

// Native only: they use the serde reference readers, which the wasm does not have.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn name_from_namespaced_type_in_body() {
        let e = parse_service_error(
            400,
            None,
            Some("rid-1".into()),
            r#"{"__type":"com.amazonaws.swf.base.model#UnknownResourceFault","message":"Unknown activity"}"#,
        );
        assert_eq!(e.code, "UnknownResourceFault");
        assert_eq!(e.message, "Unknown activity");
        assert_eq!(e.status, 400);
        assert_eq!(e.request_id.as_deref(), Some("rid-1"));
        assert!(!e.retryable());
    }

    #[test]
    fn capitalised_message_and_plain_type() {
        let e = parse_service_error(
            400,
            None,
            None,
            r#"{"__type":"OperationNotPermittedFault","Message":"not allowed"}"#,
        );
        assert_eq!(e.code, "OperationNotPermittedFault");
        assert_eq!(e.message, "not allowed");
        assert_eq!(e.request_id, None);
    }

    #[test]
    fn name_from_header_when_body_is_not_json() {
        let e = parse_service_error(
            400,
            Some("ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/"),
            None,
            "<html>oops</html>",
        );
        assert_eq!(e.code, "ThrottlingException");
        assert!(e.retryable());
        assert!(e.message.contains("400"));
    }

    #[test]
    fn body_type_wins_over_header() {
        let e = parse_service_error(
            400,
            Some("Other:x"),
            None,
            r#"{"__type":"com.amazon.coral.validate#ValidationException","message":"m"}"#,
        );
        assert_eq!(e.code, "ValidationException");
    }

    #[test]
    fn status_decides_without_any_name() {
        assert_eq!(
            parse_service_error(503, None, None, "").code,
            "ServiceUnavailable"
        );
        assert_eq!(
            parse_service_error(500, None, None, "{}").code,
            "InternalFailure"
        );
        assert_eq!(
            parse_service_error(502, None, None, "{\"__ty").code,
            "InternalFailure"
        );
        assert_eq!(
            parse_service_error(418, None, None, "").code,
            "UnknownError"
        );
        assert!(parse_service_error(504, None, None, "").retryable());
        assert!(!parse_service_error(418, None, None, "").retryable());
    }

    #[test]
    fn retryable_by_name_not_only_status() {
        for name in [
            "ThrottlingException",
            "RequestLimitExceeded",
            "ServiceUnavailable",
        ] {
            let body = format!(r#"{{"__type":"{name}"}}"#);
            assert!(
                parse_service_error(400, None, None, &body).retryable(),
                "{name}"
            );
        }
        for name in [
            "UnknownResourceFault",
            "OperationNotPermittedFault",
            "AccessDeniedException",
            "ValidationException",
        ] {
            let body = format!(r#"{{"__type":"{name}"}}"#);
            assert!(
                !parse_service_error(400, None, None, &body).retryable(),
                "{name}"
            );
        }
    }

    #[test]
    fn clock_skew_recognised() {
        let expired = parse_service_error(
            403,
            None,
            None,
            r#"{"__type":"InvalidSignatureException","message":"Signature expired: 20200101T000000Z is now earlier than ..."}"#,
        );
        assert!(expired.is_clock_skew());
        let bad_sig = parse_service_error(
            403,
            None,
            None,
            r#"{"__type":"InvalidSignatureException","message":"The request signature we calculated does not match"}"#,
        );
        assert!(!bad_sig.is_clock_skew());
        let future = parse_service_error(
            403,
            None,
            None,
            r#"{"__type":"InvalidSignatureException","message":"Signature not yet current: 20300101T000000Z is still later than ..."}"#,
        );
        assert!(future.is_clock_skew());
        assert!(
            parse_service_error(400, None, None, r#"{"__type":"RequestTimeTooSkewed"}"#)
                .is_clock_skew()
        );
    }

    #[test]
    fn huge_messages_are_cut() {
        let long = "é".repeat(100_000);
        let body = format!(r#"{{"__type":"InternalFailure","message":"{long}"}}"#);
        let e = parse_service_error(500, None, None, &body);
        assert_eq!(e.message.chars().count(), MAX_PARSED_MESSAGE_CHARS + 1);
        assert_eq!(
            truncate_chars(e.message, MAX_MESSAGE_CHARS).chars().count(),
            MAX_MESSAGE_CHARS + 1
        );
    }

    #[test]
    fn odd_field_types_keep_the_error_name() {
        let e = parse_service_error(
            400,
            None,
            None,
            r#"{"__type":"UnknownResourceFault","message":5}"#,
        );
        assert_eq!(e.code, "UnknownResourceFault");
        assert!(e.message.contains("400"));
        let both = r#"{"__type":"X","message":"lower","Message":"upper"}"#;
        assert_eq!(parse_service_error(400, None, None, both).message, "lower");
        let nested = r#"{"__type":{"a":[1,2]},"Message":"m"}"#;
        let e = parse_service_error(503, None, None, nested);
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("ServiceUnavailable", "m")
        );
    }

    #[test]
    fn empty_request_id_is_none() {
        assert_eq!(
            parse_service_error(500, None, Some(String::new()), "").request_id,
            None
        );
    }

    /// The shared table (tests/error_codes/table.json, whose `botocore` column
    /// tests/error_codes/test_botocore_parity.py checks with botocore's own parser):
    /// every answer gives the table's code and JavaScript name here.
    #[test]
    fn codes_agree_with_the_shared_table() {
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/error_codes/table.json")).unwrap();
        let rows = table["rows"].as_array().unwrap();
        assert!(rows.len() >= 40);
        for (i, row) in rows.iter().enumerate() {
            let header = row["headers"]
                .as_object()
                .unwrap()
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("x-amzn-errortype"))
                .and_then(|(_, v)| v.as_str());
            let status = row["status"].as_u64().unwrap() as u16;
            let e = parse_service_error(status, header, None, row["body"].as_str().unwrap());
            assert_eq!(e.code, row["code"].as_str().unwrap(), "row {i}: {row}");
            assert_eq!(
                Error::Service(e.clone()).name(),
                row["name"].as_str().unwrap(),
                "row {i}: {row}"
            );
        }
    }

    #[test]
    fn a_colon_suffix_keeps_the_typed_code() {
        let e = parse_service_error(
            400,
            None,
            None,
            r#"{"__type":"com.amazonaws.swf.base.model#UnknownResourceFault:http://internal.amazon.com/"}"#,
        );
        assert_eq!(e.code, "UnknownResourceFault");
        assert_eq!(e.name(), "UnknownResourceFault");
    }

    #[test]
    fn the_code_field_then_the_header() {
        let body = r#"{"code":"AccessDeniedException"}"#;
        assert_eq!(
            parse_service_error(400, Some("Other"), None, body).code,
            "AccessDeniedException"
        );
        assert_eq!(
            parse_service_error(400, Some("Other:x"), None, "{}").code,
            "Other"
        );
        assert_eq!(
            parse_service_error(400, Some(""), None, "{}").code,
            "UnknownError"
        );
    }

    #[test]
    fn a_service_code_never_poses_as_a_client_error() {
        for name in CLIENT_ERROR_NAMES {
            let body = format!(r#"{{"__type":"ns#{name}","message":"m"}}"#);
            let e = Error::Service(parse_service_error(400, None, None, &body));
            assert_eq!(e.name(), "ServiceError", "{name}");
            assert!(matches!(&e, Error::Service(s) if s.code == *name));
        }
        // Every name the client raises itself is in the list.
        for client in [
            Error::invalid("f", "m"),
            Error::Transport {
                message: "m".into(),
            },
            Error::Timeout {
                message: "m".into(),
                deadline: false,
            },
            Error::Aborted {
                message: "m".into(),
            },
            Error::Credentials {
                message: "m".into(),
            },
            Error::Response {
                message: "m".into(),
            },
            Error::Redirect {
                message: "m".into(),
            },
        ] {
            assert!(
                CLIENT_ERROR_NAMES.contains(&client.name()),
                "{}",
                client.name()
            );
        }
    }

    #[test]
    fn codes_are_bounded_and_plain() {
        assert!(sane_code(&"A".repeat(MAX_CODE_CHARS)));
        assert!(!sane_code(&"A".repeat(MAX_CODE_CHARS + 1)));
        for bad in ["", "a b", "a<b>", "é", "a\n", "a-b", "a/b"] {
            assert!(!sane_code(bad), "{bad:?}");
        }
        assert!(sane_code("com.amazon.Fault_1"));
        let huge = format!(r#"{{"__type":"{}"}}"#, "x".repeat(100_000));
        assert_eq!(
            parse_service_error(503, None, None, &huge).code,
            "ServiceUnavailable"
        );
    }

    #[test]
    fn an_oversize_error_answer_is_named_by_header_or_status() {
        let e = oversize_service_error(500, None, Some("rid".into()));
        assert_eq!(e.code, "InternalFailure");
        assert!(e.retryable());
        assert!(e
            .message
            .contains(&format!(" {MAX_ERROR_ANSWER_BYTES} bytes")));
        let e = oversize_service_error(400, Some("ThrottlingException:x"), None);
        assert_eq!(e.code, "ThrottlingException");
        assert!(e.retryable());
        assert!(!oversize_service_error(400, None, None).retryable());
    }
}
