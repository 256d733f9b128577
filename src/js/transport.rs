//! The platform's own `fetch`, bound globally (no `window`), so the same build runs in
//! workerd, browsers, Node and Deno; plus the one place that reads the clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use js_sys::{JsString, Promise, Reflect};
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::error::{Error, MAX_ERROR_ANSWER_BYTES};
use crate::json::JsonObject;
use crate::request::HttpRequest;

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// Resolves after `ms`; rejects when `signal` aborts.
    fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Promise;

    /// Settles like `promise`, or rejects after `ms` (0 = never) or when `signal` aborts.
    #[wasm_bindgen(js_name = limited)]
    pub fn limited(promise: &Promise, ms: f64, signal: Option<&AbortSignal>) -> Promise;

    /// One attempt with `globalThis.fetch` (looked up when called), redirects not
    /// followed, the body read up to `max_bytes` (2xx) or `max_error_bytes`; resolves to
    /// an [`Answer`], rejects with a [`Failed`].
    fn post(
        url: &str,
        headers: &str,
        body: &str,
        outer: Option<&AbortSignal>,
        timeout_ms: f64,
        max_bytes: f64,
        max_error_bytes: f64,
    ) -> Promise;

    /// What `post` read.
    type Answer;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Answer) -> u16;
    #[wasm_bindgen(method, getter, js_name = requestId)]
    fn request_id(this: &Answer) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = errorType)]
    fn error_type(this: &Answer) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn date(this: &Answer) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn body(this: &Answer) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn redirect(this: &Answer) -> Option<String>;

    /// Why `post` failed: at which step, the JavaScript error, whether the timeout fired.
    type Failed;
    #[wasm_bindgen(method, getter)]
    fn context(this: &Failed) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn error(this: &Failed) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = timedOut)]
    fn timed_out(this: &Failed) -> bool;
}

/// Why an attempt produced no answer.
#[derive(Debug)]
pub enum SendError {
    /// The caller's signal aborted it.
    Aborted,
    /// The attempt's timeout fired.
    TimedOut,
    /// The network failed (the request may or may not have reached the server).
    Network(Error),
}

/// Waits `ms`; `Err(())` when `signal` aborts first.
pub async fn wait(ms: f64, signal: Option<&AbortSignal>) -> Result<(), ()> {
    JsFuture::from(sleep(ms, signal))
        .await
        .map(drop)
        .map_err(drop)
}

/// What came back: the status, the headers swf-edge reads, and the body text.
#[derive(Debug)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// `x-amzn-RequestId`.
    pub request_id: Option<String>,
    /// `x-amzn-ErrorType`.
    pub error_type: Option<String>,
    /// `Date`, to correct for clock skew.
    pub date: Option<String>,
    /// The body, as text. It stays in JavaScript (a handle, never copied into the wasm's
    /// memory): answers are parsed there with `JSON.parse`. Empty for a redirect or an
    /// oversize body.
    pub body: JsString,
    /// For a 3xx answer (never followed): the origin its `Location` pointed to, or a
    /// description when that is unknown (browsers hide it).
    pub redirect: Option<String>,
    /// Whether the body was larger than the cap and not read further.
    pub oversize: bool,
}

impl HttpResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The current time, from the JavaScript clock (`SystemTime::now()` panics on wasm32).
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(js_sys::Date::now().max(0.0) as u64)
}

/// Sends `request` with `fetch` and reads the answer (at most `max_bytes` of a 2xx body,
/// [`MAX_ERROR_ANSWER_BYTES`] of any other), within `timeout_ms` (0 = no limit) and until
/// `signal` aborts. A redirect is not followed.
pub async fn send(
    request: &HttpRequest,
    signal: Option<&AbortSignal>,
    timeout_ms: f64,
    max_bytes: f64,
) -> Result<HttpResponse, SendError> {
    let mut headers = JsonObject::default();
    for (name, value) in &request.headers {
        headers.string(name, value);
    }
    let headers = headers.finish();
    let pending = post(
        &request.url,
        &headers,
        &request.body,
        signal,
        timeout_ms,
        max_bytes,
        MAX_ERROR_ANSWER_BYTES as f64,
    );
    match JsFuture::from(pending).await {
        Ok(answer) => {
            let answer: Answer = answer.unchecked_into();
            // `body` is `null` when the body was over the cap and not read.
            let body = answer.body();
            Ok(HttpResponse {
                status: answer.status(),
                request_id: answer.request_id(),
                error_type: answer.error_type(),
                date: answer.date(),
                oversize: body.is_null(),
                body: body.dyn_into().unwrap_or_else(|_| JsString::from("")),
                redirect: answer.redirect(),
            })
        }
        Err(failed) => {
            let failed: Failed = failed.unchecked_into();
            Err(if signal.is_some_and(|s| s.aborted()) {
                SendError::Aborted
            } else if failed.timed_out() {
                SendError::TimedOut
            } else {
                let context = failed.context().unwrap_or_else(|| "network error".into());
                SendError::Network(failure(&context, &failed.error()))
            })
        }
    }
}

/// A transport error from a JavaScript exception (none: `context` alone): its message, and
/// its cause's if any (Node puts `ECONNREFUSED` and the like there).
fn failure(context: &str, error: &JsValue) -> Error {
    if error.is_undefined() {
        return Error::Transport {
            message: context.into(),
        };
    }
    let mut message = format!("{context}: {}", describe(error));
    if let Some(cause) = Reflect::get(error, &"cause".into())
        .ok()
        .filter(|c| c.is_object())
    {
        message.push_str(&format!(" ({})", describe(&cause)));
    }
    Error::Transport { message }
}

/// `name: message` of a JavaScript error, or its string form.
pub fn describe(error: &JsValue) -> String {
    let field = |key: &str| {
        Reflect::get(error, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    match (field("name"), field("message"), field("code")) {
        (Some(name), Some(message), Some(code)) => format!("{name}: {message} [{code}]"),
        (Some(name), Some(message), None) => format!("{name}: {message}"),
        (_, Some(message), _) => message,
        _ => error.as_string().unwrap_or_else(|| "unknown error".into()),
    }
}
