//! The JavaScript API: `WasmClient`, wrapped by the package's `SwfClient` (pkg/core.js).
//!
//! Every method goes through [`Shared::call`]: read and validate the input once, then per
//! attempt: credentials → sign (with the corrected clock) → fetch → parse; retry what a
//! retry can cure. Every failure becomes one plain error record ([`error_record`]) that the
//! JavaScript side turns into an `SwfError` subclass.

use std::any::TypeId;
use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use serde::{de::IgnoredAny, Deserialize, Serialize};
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use crate::credentials::CredentialSource;
use crate::endpoint::{self, Endpoint, EndpointConfig};
use crate::error::{parse_service_error, Error};
use crate::js_input::{js_type, read_js};
use crate::model::{
    CancelIfRequestedInput, Empty, Operation, PollForActivityTaskInput,
    RecordActivityTaskHeartbeatInput, RespondActivityTaskCanceledInput,
    RespondActivityTaskCompletedInput, RespondActivityTaskFailedInput,
};
use crate::request::{self, HttpRequest};
use crate::retry::{self, RetryPolicy};
use crate::sign::{self, Credentials};
use crate::transport::{self, SendError};

/// The most attempts a caller may ask for.
pub const MAX_ATTEMPTS_LIMIT: u32 = 10;

/// `new SwfClient(options)` (a `credentials` function is taken apart, see `from_options`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientOptions {
    region: String,
    credentials: Option<StaticCredentials>,
    endpoint: Option<String>,
    #[serde(default)]
    use_fips_endpoint: bool,
    #[serde(default)]
    allow_insecure_endpoint: bool,
    max_attempts: Option<u32>,
    timeout_ms: Option<f64>,
    deadline_ms: Option<f64>,
}

/// `options.credentials` given as keys.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StaticCredentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

/// Limits settable on the client and per call.
#[derive(Default, Clone, Copy)]
struct Limits {
    max_attempts: Option<u32>,
    timeout_ms: Option<f64>,
    deadline_ms: Option<f64>,
}

/// The second argument of every method.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CallOptions {
    /// Read separately (an `AbortSignal` is not JSON); listed so that the key is allowed.
    #[allow(dead_code)]
    signal: Option<IgnoredAny>,
    max_attempts: Option<u32>,
    timeout_ms: Option<f64>,
    deadline_ms: Option<f64>,
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

impl Limits {
    /// Checks the values (field names as the caller wrote them).
    fn check(self) -> Result<Self, Error> {
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
            if value.is_some_and(|v| !(v.is_finite() && v >= 0.0)) {
                return Err(Error::invalid(
                    field,
                    format!("{field} must be a number of milliseconds ≥ 0"),
                ));
            }
        }
        Ok(self)
    }

    /// These limits, with `defaults` where unset.
    fn or(self, defaults: Limits) -> Limits {
        Limits {
            max_attempts: self.max_attempts.or(defaults.max_attempts),
            timeout_ms: self.timeout_ms.or(defaults.timeout_ms),
            deadline_ms: self.deadline_ms.or(defaults.deadline_ms),
        }
    }
}

/// A configured SWF client (the wasm half of `SwfClient`).
#[wasm_bindgen]
pub struct WasmClient {
    shared: Rc<Shared>,
}

/// What every call needs; shared with the futures of calls in flight.
struct Shared {
    endpoint: Endpoint,
    credentials: CredentialSource,
    limits: Limits,
    /// Server time minus local time (ms), learnt from `Date` headers.
    clock_offset_ms: Cell<f64>,
}

/// A failed call: the error, and how it came about.
struct Failure {
    error: Error,
    attempts: u32,
    possibly_already_closed: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            attempts: 0,
            possibly_already_closed: false,
        }
    }
}

#[wasm_bindgen]
impl WasmClient {
    /// Checks the options; throws an error record when they are invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WasmClient, JsValue> {
        Self::from_options(&options).map_err(|e| error_record(&Failure::from(e), &[]))
    }

    /// The signing region.
    #[wasm_bindgen(getter)]
    pub fn region(&self) -> String {
        self.shared.endpoint.region.clone()
    }

    /// The endpoint URL requests go to.
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.shared.endpoint.url.clone()
    }

    /// The clock correction in use (ms to add to the local clock).
    #[wasm_bindgen(getter, js_name = clockOffsetMs)]
    pub fn clock_offset_ms(&self) -> f64 {
        self.shared.clock_offset_ms.get()
    }

    /// `RespondActivityTaskCanceled`: resolves `undefined`, rejects with an error record.
    #[wasm_bindgen(js_name = respondActivityTaskCanceled)]
    pub fn respond_activity_task_canceled(&self, input: JsValue, options: JsValue) -> Promise {
        self.call::<RespondActivityTaskCanceledInput>(input, options)
    }

    /// `RecordActivityTaskHeartbeat`: resolves `{ cancelRequested }`.
    #[wasm_bindgen(js_name = recordActivityTaskHeartbeat)]
    pub fn record_activity_task_heartbeat(&self, input: JsValue, options: JsValue) -> Promise {
        self.call::<RecordActivityTaskHeartbeatInput>(input, options)
    }

    /// `RespondActivityTaskCompleted`: resolves `undefined`.
    #[wasm_bindgen(js_name = respondActivityTaskCompleted)]
    pub fn respond_activity_task_completed(&self, input: JsValue, options: JsValue) -> Promise {
        self.call::<RespondActivityTaskCompletedInput>(input, options)
    }

    /// `PollForActivityTask`: resolves the task, or `null` when the long poll ended empty.
    #[wasm_bindgen(js_name = pollForActivityTask)]
    pub fn poll_for_activity_task(&self, input: JsValue, options: JsValue) -> Promise {
        self.call::<PollForActivityTaskInput>(input, options)
    }

    /// Checks the input of the composite `cancelIfRequested` before its first request;
    /// throws a validation record.
    #[wasm_bindgen(js_name = checkCancelIfRequested)]
    pub fn check_cancel_if_requested(&self, input: JsValue) -> Result<(), JsValue> {
        read_js::<CancelIfRequestedInput>(&input)
            .and_then(|i| i.validate())
            .map_err(|e| error_record(&Failure::from(e.prefixed("cancelIfRequested")), &[]))
    }

    /// `RespondActivityTaskFailed`: resolves `undefined`.
    #[wasm_bindgen(js_name = respondActivityTaskFailed)]
    pub fn respond_activity_task_failed(&self, input: JsValue, options: JsValue) -> Promise {
        self.call::<RespondActivityTaskFailedInput>(input, options)
    }
}

impl WasmClient {
    fn from_options(options: &JsValue) -> Result<Self, Error> {
        let prefix = |e: Error| e.prefixed("SwfClient options");
        let parsed: ClientOptions = read_js(options).map_err(prefix)?;
        let provider = Reflect::get(options, &"credentials".into())
            .ok()
            .and_then(|c| c.dyn_into::<Function>().ok());
        let credentials = match (provider, parsed.credentials) {
            (Some(function), _) => CredentialSource::provider(function),
            (None, Some(c)) => CredentialSource::Static(
                Credentials::new(&c.access_key_id, &c.secret_access_key, c.session_token.as_deref()).map_err(prefix)?,
            ),
            (None, None) => {
                return Err(prefix(Error::invalid(
                    "credentials",
                    "credentials is required: { accessKeyId, secretAccessKey, sessionToken? } or an async function returning them",
                )))
            }
        };
        let endpoint = endpoint::resolve(&EndpointConfig {
            region: &parsed.region,
            endpoint: parsed.endpoint.as_deref(),
            use_fips: parsed.use_fips_endpoint,
            allow_insecure: parsed.allow_insecure_endpoint,
        })
        .map_err(prefix)?;
        let limits = limits_of!(parsed).check().map_err(prefix)?;
        Ok(WasmClient {
            shared: Rc::new(Shared {
                endpoint,
                credentials,
                limits,
                clock_offset_ms: Cell::new(0.0),
            }),
        })
    }

    /// Runs operation `O`: the input is read and checked now (generic, small), the rest
    /// goes through the one shared pipeline (not generic, so not copied per operation).
    fn call<O: Operation + 'static>(&self, input: JsValue, options: JsValue) -> Promise {
        let request = read_js::<O>(&input)
            .and_then(|input| request::build(&self.shared.endpoint, &input))
            .map_err(|e| e.prefixed(O::NAME));
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            let request = request.map_err(|e| error_record(&Failure::from(e), &[]))?;
            shared
                .execute(&Action::of::<O>(), request, &options)
                .await
                .map_err(|failure| error_record(&failure, &shared.credentials.secrets()))
        })
    }
}

/// What an operation contributes to the shared pipeline.
struct Action {
    name: &'static str,
    closes_task: bool,
    long_poll: bool,
    default_timeout_ms: f64,
    /// Turns a success body into the value the promise resolves to.
    output: fn(&str) -> Result<JsValue, Error>,
}

impl Action {
    fn of<O: Operation + 'static>() -> Self {
        Action {
            name: O::NAME,
            closes_task: O::CLOSES_TASK,
            long_poll: O::LONG_POLL,
            default_timeout_ms: O::DEFAULT_TIMEOUT_MS,
            output: output_to_js::<O>,
        }
    }
}

/// A success body as the JavaScript value of `O`'s answer (`undefined` when it holds nothing).
fn output_to_js<O: Operation + 'static>(body: &str) -> Result<JsValue, Error> {
    let output = request::parse_output::<O>(body)?;
    if TypeId::of::<O::Output>() == TypeId::of::<Empty>() {
        return Ok(JsValue::UNDEFINED);
    }
    to_js(&output)
}

impl Shared {
    /// Sends `unsigned` with retries, deadlines, abort and clock correction; resolves the
    /// action's output.
    async fn execute(
        &self,
        action: &Action,
        unsigned: HttpRequest,
        options: &JsValue,
    ) -> Result<JsValue, Failure> {
        let started_ms = js_sys::Date::now();
        let (call_limits, signal) =
            read_call_options(options).map_err(|e| e.prefixed(action.name))?;
        let limits = call_limits.or(self.limits);
        let policy = RetryPolicy {
            max_attempts: limits.max_attempts.unwrap_or(retry::DEFAULT_MAX_ATTEMPTS),
            ..RetryPolicy::default()
        };
        let timeout_ms = if action.long_poll {
            call_limits.timeout_ms
        } else {
            limits.timeout_ms
        }
        .unwrap_or(action.default_timeout_ms);
        let deadline_ms = limits
            .deadline_ms
            .filter(|d| *d > 0.0)
            .map(|d| started_ms + d);
        let remaining = |now: f64| deadline_ms.map_or(f64::INFINITY, |d| d - now);

        let mut maybe_delivered = false;
        // `attempts`: requests actually sent (0 when the call ends before its first).
        let fail = |error: Error, attempts: u32, maybe_delivered: bool| Failure {
            possibly_already_closed: action.closes_task
                && maybe_delivered
                && matches!(&error, Error::Service(e) if e.name == "UnknownResourceFault"),
            error,
            attempts,
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let sent = attempt - 1;
            if signal.as_ref().is_some_and(AbortSignal::aborted) {
                return Err(fail(aborted(action.name, sent), sent, maybe_delivered));
            }
            let now = js_sys::Date::now();
            if remaining(now) <= 0.0 {
                return Err(fail(
                    deadline_exceeded(action.name, &limits, sent),
                    sent,
                    maybe_delivered,
                ));
            }
            let credentials = self
                .credentials
                .get(now)
                .await
                .map_err(|e| fail(e, sent, maybe_delivered))?;
            let mut request = unsigned.clone();
            let time = retry::corrected_time(js_sys::Date::now(), self.clock_offset_ms.get());
            sign::sign(&mut request, &credentials, &self.endpoint.region, time)
                .map_err(|e| fail(e, sent, maybe_delivered))?;

            let attempt_timeout = match (timeout_ms, remaining(js_sys::Date::now())) {
                (t, r) if r.is_finite() && (t == 0.0 || r < t) => r.max(1.0),
                (t, _) => t,
            };
            let error = match transport::send(&request, signal.as_ref(), attempt_timeout).await {
                Ok(response) => {
                    let skew = |e: &Error| retry::is_clock_skew(e);
                    if response.is_success() {
                        self.learn_clock(response.date.as_deref(), false);
                        return (action.output)(&response.body)
                            .map_err(|e| fail(e, attempt, false));
                    }
                    let error = Error::Service(parse_service_error(
                        response.status,
                        response.error_type.as_deref(),
                        response.request_id,
                        &response.body,
                    ));
                    let corrected = self.learn_clock(response.date.as_deref(), skew(&error));
                    if skew(&error) && corrected && policy.should_retry(attempt, &error, true) {
                        continue; // re-sign at once with the corrected clock
                    }
                    error
                }
                Err(SendError::Aborted) => {
                    return Err(fail(aborted(action.name, attempt), attempt, true))
                }
                Err(SendError::TimedOut) if remaining(js_sys::Date::now()) <= 0.0 => {
                    return Err(fail(
                        deadline_exceeded(action.name, &limits, attempt),
                        attempt,
                        true,
                    ))
                }
                Err(SendError::TimedOut) => Error::Timeout {
                    message: format!(
                        "{}: attempt {attempt} got no answer within {} ms",
                        action.name, timeout_ms as u64
                    ),
                    deadline: false,
                },
                Err(SendError::Network(error)) => error,
            };
            maybe_delivered |= error.maybe_delivered();
            if !policy.should_retry(attempt, &error, false) {
                return Err(fail(error, attempt, maybe_delivered));
            }
            let delay = policy.backoff_ms(attempt, js_sys::Math::random());
            if delay >= remaining(js_sys::Date::now()) {
                return Err(fail(error, attempt, maybe_delivered));
            }
            if transport::wait(delay, signal.as_ref()).await.is_err() {
                return Err(fail(
                    aborted(action.name, attempt),
                    attempt,
                    maybe_delivered,
                ));
            }
        }
    }

    /// Updates the clock offset from a `Date` header; whether it changed.
    fn learn_clock(&self, date: Option<&str>, skew_error: bool) -> bool {
        let local = js_sys::Date::now();
        let server = date.map(js_sys::Date::parse);
        match retry::clock_correction(server, local, skew_error) {
            Some(offset) => {
                self.clock_offset_ms.set(offset);
                true
            }
            None => false,
        }
    }
}

/// The abort error, saying how many attempts were made.
fn aborted(action: &str, attempts: u32) -> Error {
    Error::Aborted {
        message: format!("{action} was aborted by its AbortSignal after {attempts} attempt(s)"),
    }
}

/// The overall-deadline error.
fn deadline_exceeded(action: &str, limits: &Limits, attempts: u32) -> Error {
    Error::Timeout {
        message: format!(
            "{action} did not finish within its deadline of {} ms ({attempts} attempt(s))",
            limits.deadline_ms.unwrap_or_default() as u64
        ),
        deadline: true,
    }
}

/// Reads a method's second argument: `{ signal?, maxAttempts?, timeoutMs?, deadlineMs? }`.
fn read_call_options(options: &JsValue) -> Result<(Limits, Option<AbortSignal>), Error> {
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

/// An output as a JavaScript value, through JSON.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    let fail = |message: String| Error::Response { message };
    let json = serde_json::to_string(value).map_err(|e| fail(e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| fail("could not convert the answer".into()))
}

/// The plain record `{ kind, name, message, statusCode?, requestId?, retryable, field?,
/// attempts, possiblyAlreadyClosed }` that pkg/core.js turns into an error object.
/// Secrets are cut out of the message.
fn error_record(failure: &Failure, secrets: &[String]) -> JsValue {
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
            set("statusCode", e.status.into());
            if let Some(id) = &e.request_id {
                set("requestId", id.into());
            }
            "service"
        }
        Error::Transport { .. } => "transport",
        Error::Timeout { .. } => "timeout",
        Error::Aborted { .. } => "abort",
        Error::Credentials { .. } => "credentials",
        Error::Response { .. } => "response",
    };
    let message = match error {
        Error::Service(e) => e.message.clone(),
        other => other.to_string(),
    };
    set("kind", kind.into());
    set("name", error.name().into());
    set("message", redact(message, secrets).into());
    set("retryable", error.retryable().into());
    set("attempts", failure.attempts.into());
    set(
        "possiblyAlreadyClosed",
        failure.possibly_already_closed.into(),
    );
    record.into()
}

/// Replaces every occurrence of a secret in `text`.
fn redact(mut text: String, secrets: &[String]) -> String {
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), "[redacted]");
        }
    }
    text
}
