//! Errors: one enum for everything that can go wrong on the Rust side. Error answers
//! (SWF's codes, messages, retryable and clock-skew names) are read by pkg/answer.js.

use crate::swf::text::concat;

/// The longest message shown to callers.
pub const MAX_MESSAGE_CHARS: usize = 1024;
/// The most bytes of an error answer's body (any status but 2xx) that are read; a longer
/// body is not read further and the error is named from the status and headers alone.
pub const MAX_ERROR_ANSWER_BYTES: usize = 64 * 1024;

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

    /// The JavaScript `name` of the error.
    pub fn name(&self) -> &str {
        match self {
            Error::Validation { .. } => "ValidationError",
            Error::Transport { .. } => "TransportError",
            Error::Timeout { .. } => "TimeoutError",
            Error::Aborted { .. } => "AbortError",
            Error::Credentials { .. } => "CredentialsError",
            Error::Response { .. } => "ResponseError",
            Error::Redirect { .. } => "RedirectError",
        }
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
