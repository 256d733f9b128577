//! The one request pipeline every operation goes through: the input was read and built
//! by the caller; per attempt: credentials → sign (with the corrected clock) → fetch →
//! parse, retrying what a retry can cure, within the timeouts, the deadline and the
//! caller's `AbortSignal`.

use std::cell::Cell;

use js_sys::JsString;
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use crate::answer::{self, Answer};
use crate::credentials::CredentialSource;
use crate::endpoint::Endpoint;
use crate::error::{oversize_service_error, service_error, Error};
use crate::model::Operation;
use crate::options::{read_call_options, Limits};
use crate::request::HttpRequest;
use crate::retry::{self, RetryPolicy};
use crate::sign;
use crate::transport::{self, SendError};

/// What every call needs; shared with the futures of calls in flight.
pub(crate) struct Shared {
    pub(crate) endpoint: Endpoint,
    pub(crate) credentials: CredentialSource,
    pub(crate) limits: Limits,
    /// Server time minus local time (ms), learnt from `Date` headers.
    pub(crate) clock_offset_ms: Cell<f64>,
}

/// A failed call: the error, and how it came about.
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) attempts: u32,
    pub(crate) possibly_already_closed: bool,
    /// The secrets of every set of credentials this call signed with, to be redacted
    /// from its error (the client may hold newer ones by the time it fails).
    pub(crate) secrets: Vec<String>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            attempts: 0,
            possibly_already_closed: false,
            secrets: Vec::new(),
        }
    }
}

/// What an operation contributes to the shared pipeline.
pub(crate) struct Action {
    name: &'static str,
    closes_task: bool,
    long_poll: bool,
    default_timeout_ms: f64,
    /// Turns a success body into the value the promise resolves to.
    output: fn(&JsString) -> Result<JsValue, String>,
    /// The most bytes of an answer body read before the answer is refused.
    max_answer_bytes: f64,
}

impl Action {
    pub(crate) fn of<O: Operation>() -> Self
    where
        O::Output: Answer,
    {
        Action {
            name: O::NAME,
            closes_task: O::CLOSES_TASK,
            long_poll: O::LONG_POLL,
            default_timeout_ms: O::DEFAULT_TIMEOUT_MS,
            output: O::Output::from_body,
            max_answer_bytes: O::MAX_ANSWER_BYTES as f64,
        }
    }
}

impl Shared {
    /// Sends `unsigned` with retries, deadlines, abort and clock correction; resolves the
    /// action's output.
    pub(crate) async fn execute(
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
        // How long one attempt (credentials, then the request) may wait: its own timeout,
        // or what is left of the deadline if that is shorter (0 = no limit).
        let attempt_limit = |now: f64| match (timeout_ms, remaining(now)) {
            (t, r) if r.is_finite() && (t == 0.0 || r < t) => r.max(1.0),
            (t, _) => t,
        };

        let mut maybe_delivered = false;
        // The secrets of every set of credentials an attempt signed with.
        let used: std::cell::RefCell<Vec<String>> = Default::default();
        // `attempts`: requests actually sent (0 when the call ends before its first).
        let fail = |error: Error, attempts: u32, maybe_delivered: bool| Failure {
            possibly_already_closed: action.closes_task
                && maybe_delivered
                && matches!(&error, Error::Service(e) if e.code == "UnknownResourceFault"),
            error,
            attempts,
            secrets: used.take(),
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
            let credentials = match self
                .credentials
                .get(
                    self.clock_offset_ms.get(),
                    attempt_limit(now),
                    signal.as_ref(),
                )
                .await
            {
                Ok(credentials) => credentials,
                Err(_) if signal.as_ref().is_some_and(AbortSignal::aborted) => {
                    return Err(fail(aborted(action.name, sent), sent, maybe_delivered))
                }
                Err(_) if remaining(js_sys::Date::now()) <= 0.0 => {
                    let error = deadline_exceeded(action.name, &limits, sent);
                    return Err(fail(error, sent, maybe_delivered));
                }
                Err(e) => return Err(fail(e, sent, maybe_delivered)),
            };
            for secret in credentials.secrets() {
                if !used.borrow().iter().any(|s| s == secret) {
                    used.borrow_mut().push(secret.to_owned());
                }
            }
            let mut request = unsigned.clone();
            let time = retry::corrected_time(js_sys::Date::now(), self.clock_offset_ms.get());
            sign::sign(&mut request, &credentials, &self.endpoint.region, time)
                .map_err(|e| fail(e, sent, maybe_delivered))?;

            let attempt_timeout = attempt_limit(js_sys::Date::now());
            let error = match transport::send(
                &request,
                signal.as_ref(),
                attempt_timeout,
                action.max_answer_bytes,
            )
            .await
            {
                Ok(response) => {
                    let skew = |e: &Error| retry::is_clock_skew(e);
                    if let Some(origin) = &response.redirect {
                        return Err(fail(
                            redirected(action.name, &response, origin),
                            attempt,
                            false,
                        ));
                    }
                    if response.is_success() {
                        self.learn_clock(response.date.as_deref(), false);
                        let output = if response.oversize {
                            Err(format!(
                                "it is over {} bytes, this action's cap",
                                action.max_answer_bytes as u64
                            ))
                        } else {
                            (action.output)(&response.body)
                        };
                        return output.map_err(|why| {
                            let message = format!(
                                "SWF answered {} with a body that is not the expected JSON: {why}",
                                action.name
                            );
                            fail(Error::Response { message }, attempt, false)
                        });
                    }
                    let error = Error::Service(if response.oversize {
                        oversize_service_error(
                            response.status,
                            response.error_type.as_deref(),
                            response.request_id,
                        )
                    } else {
                        service_error(
                            response.status,
                            response.error_type.as_deref(),
                            response.request_id,
                            answer::error_body(&response.body),
                        )
                    });
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

    /// Updates the clock offset from a `Date` header (within bounds, see
    /// [`retry::clock_correction`]); whether it changed.
    fn learn_clock(&self, date: Option<&str>, skew_error: bool) -> bool {
        let local = js_sys::Date::now();
        let server = date.map(js_sys::Date::parse);
        match retry::clock_correction(server, local, self.clock_offset_ms.get(), skew_error) {
            Some(offset) => {
                self.clock_offset_ms.set(offset);
                true
            }
            None => false,
        }
    }
}

/// The error for a 3xx answer: its status and the origin it pointed to.
fn redirected(action: &str, response: &transport::HttpResponse, origin: &str) -> Error {
    Error::Redirect {
        message: format!(
            "{action}: HTTP {} redirect to {origin} not followed (requests go only to the endpoint)",
            response.status
        ),
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
