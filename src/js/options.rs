//! The options a caller passes: `new SwfClient(options)` and every method's second
//! argument `{ signal?, maxAttempts?, timeoutMs?, deadlineMs? }`.

use js_sys::Reflect;
use wasm_bindgen::{prelude::*, JsCast, JsValue};
use web_sys::AbortSignal;

use crate::error::Error;
use crate::js_input::{js_type, read_object, Field, Fields, Kind};

/// The longest time a JavaScript timer can wait (2^31 − 1 ms, about 24.8 days): longer
/// `setTimeout`s fire at once.
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// The most attempts a caller may ask for.
pub const MAX_ATTEMPTS_LIMIT: u32 = 10;

/// `new SwfClient(options)`.
pub(crate) struct ClientOptions {
    pub(crate) region: String,
    /// Keys (`{ accessKeyId, … }`, see [`read_static_credentials`]) or a provider function.
    pub(crate) credentials: JsValue,
    pub(crate) endpoint: Option<String>,
    pub(crate) use_fips_endpoint: bool,
    pub(crate) use_dualstack_endpoint: bool,
    pub(crate) allow_insecure_endpoint: bool,
    pub(crate) limits: Limits,
}

impl ClientOptions {
    /// Reads the constructor's options.
    pub(crate) fn read(value: &JsValue) -> Result<Self, Error> {
        const FIELDS: &[Field] = &[
            Field("region", Kind::Text),
            Field("credentials", Kind::Any),
            Field("endpoint", Kind::Text),
            Field("useFipsEndpoint", Kind::Flag),
            Field("useDualstackEndpoint", Kind::Flag),
            Field("allowInsecureEndpoint", Kind::Flag),
            Field("maxAttempts", Kind::Count),
            Field("timeoutMs", Kind::Number),
            Field("deadlineMs", Kind::Number),
        ];
        let mut f = read_object(value, "", FIELDS)?;
        let credentials = f.any("credentials").ok_or_else(|| {
            Error::invalid(
                "credentials",
                "credentials is required: { accessKeyId, secretAccessKey, sessionToken? } or an async function returning them",
            )
        })?;
        Ok(ClientOptions {
            region: f.required("region", Fields::text)?,
            credentials,
            endpoint: f.text("endpoint"),
            use_fips_endpoint: f.flag("useFipsEndpoint").unwrap_or(false),
            use_dualstack_endpoint: f.flag("useDualstackEndpoint").unwrap_or(false),
            allow_insecure_endpoint: f.flag("allowInsecureEndpoint").unwrap_or(false),
            limits: read_limits(&mut f),
        })
    }
}

/// `options.credentials` given as keys: (access key id, secret, session token).
pub(crate) fn read_static_credentials(
    value: &JsValue,
    path: &str,
) -> Result<(String, String, Option<String>), Error> {
    const FIELDS: &[Field] = &[
        Field("accessKeyId", Kind::Text),
        Field("secretAccessKey", Kind::Text),
        Field("sessionToken", Kind::Text),
    ];
    let mut f = read_object(value, path, FIELDS)?;
    Ok((
        f.required("accessKeyId", Fields::text)?,
        f.required("secretAccessKey", Fields::text)?,
        f.text("sessionToken"),
    ))
}

/// The limits among an options object's fields.
fn read_limits(f: &mut Fields) -> Limits {
    Limits {
        max_attempts: f.count("maxAttempts"),
        timeout_ms: f.number("timeoutMs"),
        deadline_ms: f.number("deadlineMs"),
    }
}

/// Limits settable on the client and per call.
#[derive(Default, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_attempts: Option<u32>,
    pub(crate) timeout_ms: Option<f64>,
    pub(crate) deadline_ms: Option<f64>,
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
                    format!("{field} must be a number of milliseconds from 0 to 2147483647"),
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
    const FIELDS: &[Field] = &[
        Field("signal", Kind::Any),
        Field("maxAttempts", Kind::Count),
        Field("timeoutMs", Kind::Number),
        Field("deadlineMs", Kind::Number),
    ];
    if options.is_undefined() || options.is_null() {
        return Ok((Limits::default(), None));
    }
    let prefix = |e: Error| e.prefixed("options");
    let mut f = read_object(options, "", FIELDS).map_err(prefix)?;
    let signal = match f.any("signal") {
        None => None,
        Some(v) => Some(check_signal(v).map_err(prefix)?),
    };
    Ok((read_limits(&mut f).check().map_err(prefix)?, signal))
}

/// A caller's `signal`, if it is a real `AbortSignal`. `AbortSignal.prototype.throwIfAborted`
/// refuses anything else (a forged `Object.create(AbortSignal.prototype)` passes
/// `instanceof`, then throws from `aborted` or `addEventListener`); it also throws for an
/// aborted signal, which is accepted when its `aborted` reads `true` (the pipeline then
/// rejects with `AbortError` before touching it further). Every read catches.
fn check_signal(value: JsValue) -> Result<AbortSignal, Error> {
    let refuse = |got: &str| {
        Error::invalid(
            "signal",
            format!("signal must be an AbortSignal (got {got})"),
        )
    };
    let signal = value
        .dyn_into::<AbortSignal>()
        .map_err(|v| refuse(&js_type(&v)))?;
    let aborted = || Reflect::get(&signal, &JsValue::from_str("aborted")).ok();
    match throw_if_aborted(&signal) {
        Ok(()) if aborted().is_some_and(|a| a.as_bool() == Some(false)) => Ok(signal),
        Err(_) if aborted().is_some_and(|a| a.as_bool() == Some(true)) => Ok(signal),
        _ => Err(refuse("a forged AbortSignal")),
    }
}

#[wasm_bindgen]
extern "C" {
    /// `AbortSignal.prototype.throwIfAborted.call(signal)` (every runtime since 2022).
    #[wasm_bindgen(js_namespace = ["AbortSignal", "prototype", "throwIfAborted"], js_name = call, catch)]
    fn throw_if_aborted(signal: &AbortSignal) -> Result<(), JsValue>;
}
