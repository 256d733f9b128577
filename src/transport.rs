//! The platform's own `fetch`, bound globally (no `window`), so the same build runs in
//! workerd, browsers, Node and Deno; plus the one place that reads the clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use js_sys::{Promise, Reflect};
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestInit, Response};

use crate::error::Error;
use crate::request::HttpRequest;

#[wasm_bindgen]
extern "C" {
    /// `globalThis.fetch`, looked up when called.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

#[wasm_bindgen(module = "/src/runtime.js")]
extern "C" {
    /// Resolves after `ms`; rejects when `signal` aborts.
    fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Promise;

    /// Settles like `promise`, or rejects after `ms` (0 = never) or when `signal` aborts.
    #[wasm_bindgen(js_name = limited)]
    pub fn limited(promise: &Promise, ms: f64, signal: Option<&AbortSignal>) -> Promise;

    /// One attempt's abort signal: the caller's signal plus a timeout.
    type AttemptSignal;
    #[wasm_bindgen(constructor)]
    fn new(outer: Option<&AbortSignal>, timeout_ms: f64) -> AttemptSignal;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &AttemptSignal) -> AbortSignal;
    #[wasm_bindgen(method, getter, js_name = timedOut)]
    fn timed_out(this: &AttemptSignal) -> bool;
    #[wasm_bindgen(method)]
    fn done(this: &AttemptSignal);
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
    /// The body, as text.
    pub body: String,
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

/// Sends `request` with `fetch` and reads the whole answer, within `timeout_ms`
/// (0 = no limit) and until `signal` aborts.
pub async fn send(
    request: &HttpRequest,
    signal: Option<&AbortSignal>,
    timeout_ms: f64,
) -> Result<HttpResponse, SendError> {
    let attempt = AttemptSignal::new(signal, timeout_ms);
    let result = fetch_and_read(request, &attempt.signal()).await;
    attempt.done();
    result.map_err(|error| {
        if signal.is_some_and(|s| s.aborted()) {
            SendError::Aborted
        } else if attempt.timed_out() {
            SendError::TimedOut
        } else {
            SendError::Network(error)
        }
    })
}

/// One `fetch` and the reading of its body.
async fn fetch_and_read(
    request: &HttpRequest,
    signal: &AbortSignal,
) -> Result<HttpResponse, Error> {
    let headers = Headers::new().map_err(|e| failure("could not create request headers", &e))?;
    for (name, value) in &request.headers {
        headers
            .append(name, value)
            .map_err(|e| failure(&format!("could not set the {name} header"), &e))?;
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&request.body));
    init.set_signal(Some(signal));

    let pending = global_fetch(&request.url, &init).map_err(|e| failure("fetch failed", &e))?;
    let response: Response = JsFuture::from(pending)
        .await
        .map_err(|e| failure("network error", &e))?
        .dyn_into()
        .map_err(|_| Error::Transport {
            message: "fetch resolved to something that is not a Response".into(),
        })?;
    let text = response
        .text()
        .map_err(|e| failure("could not read the answer", &e))?;
    let body = JsFuture::from(text)
        .await
        .map_err(|e| failure("the connection failed while reading the answer", &e))?
        .as_string()
        .unwrap_or_default();
    let header = |name: &str| response.headers().get(name).ok().flatten();
    Ok(HttpResponse {
        status: response.status(),
        request_id: header("x-amzn-requestid"),
        error_type: header("x-amzn-errortype"),
        date: header("date"),
        body,
    })
}

/// A transport error from a JavaScript exception: its message, and its cause's if any
/// (Node puts `ECONNREFUSED` and the like there).
fn failure(context: &str, error: &JsValue) -> Error {
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
