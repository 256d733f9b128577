//! Errors: one enum for everything that can go wrong on the Rust side. Error answers
//! (SWF's codes, messages, retryable and clock-skew names) are read by pkg/answer.js.

use crate::swf::text::concat;

/// The longest message shown to callers.
pub const MAX_MESSAGE_CHARS: usize = 1024;
/// The most bytes of an error answer's body (any status but 2xx) that are read; a longer
/// body is not read further and the error is named from the status and headers alone.
pub const MAX_ERROR_ANSWER_BYTES: usize = 64 * 1024;

/// What the wasm can fail with: the failures found in JavaScript (network, timeouts, abort,
/// redirects, error answers, unexpected bodies) are records built by pkg/call.js and
/// pkg/answer.js, so only these two are Rust's.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The caller's input or options break a documented rule; nothing was sent.
    Validation {
        /// The offending option or input field, e.g. `taskToken`.
        field: Option<String>,
        /// What is wrong, in plain words.
        message: String,
    },
    /// The credentials provider returned something unusable.
    Credentials {
        /// What went wrong (never a secret).
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

    /// What went wrong, in plain words (neither kind may be retried as it is).
    pub fn message(&self) -> &str {
        match self {
            Error::Validation { message, .. } | Error::Credentials { message } => message,
        }
    }

    /// The JavaScript `name` of the error.
    pub fn name(&self) -> &str {
        match self {
            Error::Validation { .. } => "ValidationError",
            Error::Credentials { .. } => "CredentialsError",
        }
    }
}

/// The message (written without `core::fmt` where the wasm needs it: [`Error::message`]).
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_cut_by_characters_and_marked() {
        let long = "é".repeat(MAX_MESSAGE_CHARS + 5);
        let cut = truncate_chars(long, MAX_MESSAGE_CHARS);
        assert_eq!(cut.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(cut.ends_with("é…"));
        let short = "é".repeat(MAX_MESSAGE_CHARS);
        assert_eq!(truncate_chars(short.clone(), MAX_MESSAGE_CHARS), short);
    }
}
