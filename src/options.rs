//! The options a caller passes: `new SwfClient(options)` and every method's second
//! argument `{ signal?, maxAttempts?, timeoutMs?, deadlineMs? }`.

use js_sys::Reflect;
use serde::{de::IgnoredAny, Deserialize};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use crate::error::Error;
use crate::js_input::{js_type, read_js};

/// The longest time a JavaScript timer can wait (2^31 − 1 ms, about 24.8 days): longer
/// `setTimeout`s fire at once.
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// The most attempts a caller may ask for.
pub const MAX_ATTEMPTS_LIMIT: u32 = 10;

/// `new SwfClient(options)` (a `credentials` function is taken apart, see `from_options`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ClientOptions {
    pub(crate) region: String,
    pub(crate) credentials: Option<StaticCredentials>,
    pub(crate) endpoint: Option<String>,
    #[serde(default)]
    pub(crate) use_fips_endpoint: bool,
    #[serde(default)]
    pub(crate) allow_insecure_endpoint: bool,
    pub(crate) max_attempts: Option<u32>,
    pub(crate) timeout_ms: Option<f64>,
    pub(crate) deadline_ms: Option<f64>,
}

/// `options.credentials` given as keys.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct StaticCredentials {
    pub(crate) access_key_id: String,
    pub(crate) secret_access_key: String,
    pub(crate) session_token: Option<String>,
}

/// Limits settable on the client and per call.
#[derive(Default, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_attempts: Option<u32>,
    pub(crate) timeout_ms: Option<f64>,
    pub(crate) deadline_ms: Option<f64>,
}

/// The second argument of every method.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CallOptions {
    /// Read separately (an `AbortSignal` is not JSON); listed so that the key is allowed.
    #[allow(dead_code)]
    pub(crate) signal: Option<IgnoredAny>,
    pub(crate) max_attempts: Option<u32>,
    pub(crate) timeout_ms: Option<f64>,
    pub(crate) deadline_ms: Option<f64>,
}

/// The limits in a client's or a call's options (serde's `flatten` would lose
/// `deny_unknown_fields`, so each options struct lists them).
macro_rules! limits_of {
    ($options:expr) => {
        Limits {
            max_attempts: $options.max_attempts,
            timeout_ms: $options.timeout_ms,
            deadline_ms: $options.deadline_ms,
        }
    };
}

impl ClientOptions {
    /// The client-wide limits.
    pub(crate) fn limits(&self) -> Limits {
        limits_of!(self)
    }
}

impl Limits {
    /// Checks the values (field names as the caller wrote them).
    pub(crate) fn check(self) -> Result<Self, Error> {
        if let Some(n) = self.max_attempts {
            if !(1..=MAX_ATTEMPTS_LIMIT).contains(&n) {
                return Err(Error::invalid(
                    "maxAttempts",
                    format!("maxAttempts must be 1 to {MAX_ATTEMPTS_LIMIT}"),
                ));
            }
        }
        for (field, value) in [
            ("timeoutMs", self.timeout_ms),
            ("deadlineMs", self.deadline_ms),
        ] {
            if value.is_some_and(|v| !(0.0..=MAX_TIMER_MS).contains(&v)) {
                return Err(Error::invalid(
                    field,
                    format!("{field} must be a number of milliseconds from 0 to {MAX_TIMER_MS}"),
                ));
            }
        }
        Ok(self)
    }

    /// These limits, with `defaults` where unset.
    pub(crate) fn or(self, defaults: Limits) -> Limits {
        Limits {
            max_attempts: self.max_attempts.or(defaults.max_attempts),
            timeout_ms: self.timeout_ms.or(defaults.timeout_ms),
            deadline_ms: self.deadline_ms.or(defaults.deadline_ms),
        }
    }
}

/// Reads a method's second argument: `{ signal?, maxAttempts?, timeoutMs?, deadlineMs? }`.
pub(crate) fn read_call_options(options: &JsValue) -> Result<(Limits, Option<AbortSignal>), Error> {
    if options.is_undefined() || options.is_null() {
        return Ok((Limits::default(), None));
    }
    let parsed: CallOptions = read_js(options).map_err(|e| e.prefixed("options"))?;
    let signal = match Reflect::get(options, &"signal".into()) {
        Ok(v) if v.is_undefined() || v.is_null() => None,
        Ok(v) => Some(v.dyn_into::<AbortSignal>().map_err(|v| {
            Error::invalid(
                "signal",
                format!(
                    "options: signal must be an AbortSignal (got {})",
                    js_type(&v)
                ),
            )
        })?),
        Err(_) => {
            return Err(Error::invalid(
                "signal",
                "options: signal could not be read",
            ))
        }
    };
    Ok((
        limits_of!(parsed)
            .check()
            .map_err(|e| e.prefixed("options"))?,
        signal,
    ))
}
