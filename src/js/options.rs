//! The options of `new SwfClient(options)`. (Every method's second argument, `{ signal?,
//! maxAttempts?, timeoutMs?, deadlineMs? }`, is read by pkg/call.js, which runs the call.)

use wasm_bindgen::JsValue;

use crate::error::Error;
use crate::js_input::{read_object, Field, Fields, Kind};

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

/// The client's limits (pkg/call.js applies them, and a call's own).
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
}
