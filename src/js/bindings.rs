//! The JavaScript API: `WasmClient`, wrapped by the package's `SwfClient` (pkg/core.js).
//!
//! Synchronous: the wasm validates an action's input against its table, builds and signs
//! the request ([`WasmClient::prepare`], [`WasmClient::sign`]); pkg/call.js runs the call
//! around them (fetch, retries, timeouts, deadline, abort, clock correction, the
//! credentials provider) and pkg/answer.js reads the answers, its strings redacted by
//! [`WasmClient::redact`]. Every failure found here is thrown as one plain error record
//! ([`error_record`]) that the JavaScript side turns into an `SwfError` subclass.

use wasm_bindgen::prelude::*;

use crate::actions::{
    CountPendingActivityTasks, CountPendingDecisionTasks, DescribeActivityType,
    DescribeWorkflowExecution, GetWorkflowExecutionHistory, ListClosedWorkflowExecutions,
    ListDomains, ListOpenWorkflowExecutions, RequestCancelWorkflowExecution,
    SignalWorkflowExecution, TerminateWorkflowExecution,
};
use crate::credentials::Keys;
use crate::declared::{describe, fields_from};
use crate::endpoint::{self, Endpoint, EndpointConfig};
use crate::error::Error;
use crate::js::error_record::{error_record, message_of};
use crate::model::{
    CancelIfRequestedInput, Operation, PollForActivityTaskInput, RecordActivityTaskHeartbeatInput,
    RespondActivityTaskCanceledInput, RespondActivityTaskCompletedInput,
    RespondActivityTaskFailedInput,
};
use crate::request::{self, HttpRequest, CONTENT_TYPE, TARGET_PREFIX};
use crate::retry;
use crate::shape::{self, Declared, Shape};
use crate::sign::{self, Credentials};
use crate::swf::text::concat;

/// A configured SWF client (the wasm half of `SwfClient`).
#[wasm_bindgen]
pub struct WasmClient {
    endpoint: Endpoint,
    keys: Keys,
}

#[wasm_bindgen]
impl WasmClient {
    /// The client for `region` (`endpoint`: an override, or `undefined`) signing with the
    /// keys `key_id`, `secret` and `token`, or, with `key_id` `undefined`, with what the
    /// credentials provider answers ([`Self::use_credentials`]). pkg/core.js has read the
    /// options and checked their types (strings given as JS values are not copied by the
    /// glue); this checks the keys ([`Credentials::new`]) and resolves the endpoint, and
    /// throws a validation record (prefixed `SwfClient options: `) when they are invalid.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)] // one per option: a JS object would need reading
    pub fn new(
        region: JsValue,
        endpoint: JsValue,
        use_fips: bool,
        use_dualstack: bool,
        allow_insecure: bool,
        key_id: JsValue,
        secret: JsValue,
        token: JsValue,
    ) -> Result<WasmClient, JsValue> {
        let keys = match key_id.as_string() {
            Some(key_id) => Credentials::new(
                &key_id,
                &secret.as_string().unwrap_or_default(),
                token.as_string().as_deref(),
            )
            .map(Keys::fixed),
            None => Ok(Keys::default()),
        };
        keys.and_then(|keys| {
            let endpoint = endpoint::resolve(&EndpointConfig {
                region: &region.as_string().unwrap_or_default(),
                endpoint: endpoint.as_string().as_deref(),
                use_fips,
                use_dualstack,
                allow_insecure,
            })?;
            Ok(WasmClient { endpoint, keys })
        })
        .map_err(|e| error_record(&e.prefixed("SwfClient options"), &[]))
    }

    /// The signing region.
    #[wasm_bindgen(getter)]
    pub fn region(&self) -> String {
        self.endpoint.region.clone()
    }

    /// The endpoint URL requests go to.
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.endpoint.url.clone()
    }

    /// Action number `action` of [`ACTIONS`] (pkg/core.js names them in the same order):
    /// `closesTask longPoll defaultTimeoutMs maxAnswerBytes maxErrorAnswerBytes;` (flags
    /// as 0 or 1) followed by its input's table as pkg/read.js reads it
    /// ([`describe`](crate::declared::describe)). Number `ACTIONS.len()` is the composite
    /// `cancelIfRequested` ([`COMPOSITE`]); empty for any other number.
    pub fn action(&self, action: usize) -> String {
        let mut out = String::new();
        if let Ok(a) = entry(action) {
            for n in [
                f64::from(u8::from(a.closes_task)),
                f64::from(u8::from(a.long_poll)),
                a.default_timeout_ms,
                a.max_answer_bytes as f64,
                crate::error::MAX_ERROR_ANSWER_BYTES as f64,
            ] {
                crate::swf::text::push_int(&mut out, n as i64);
                out.push(' ');
            }
            out.push(';');
            describe(a.shape.members, &mut out);
        }
        out
    }

    /// Checks action `action`'s input (`values`: as pkg/read.js read it, by the table
    /// [`Self::action`] describes) against the model and builds its request; throws a
    /// validation record. With `time_ms` (the corrected clock, epoch ms; NaN: not yet) it
    /// is signed too: returns `x-amz-date`, `authorization`, `x-amz-security-token` (or
    /// empty) and the body, each but the last followed by a newline (none of the first
    /// three can hold one, and the JSON body has none either).
    pub fn prepare(&self, action: usize, values: JsValue, time_ms: f64) -> Result<String, JsValue> {
        let a = entry(action)?;
        let fields = fields_from(&values, a.shape.members);
        shape::validate(a.shape, &fields).map_err(|e| error_record(&e.prefixed(a.name), &[]))?;
        let request = request::build_checked(&self.endpoint, a.name, a.shape, &fields);
        if time_ms.is_nan() {
            let mut unsigned = String::from("\n\n\n");
            unsigned.push_str(&request.body);
            return Ok(unsigned);
        }
        self.signed(request, time_ms, true)
    }

    /// Signs `body` (as [`Self::prepare`] built it) for action `action` again at `time_ms`
    /// (a retry, or the first attempt once a provider answered): returns what `prepare`
    /// does without the body.
    pub fn sign(&self, action: usize, body: String, time_ms: f64) -> Result<String, JsValue> {
        let a = entry(action)?;
        let request = HttpRequest {
            url: String::new(),
            headers: vec![
                ("content-type", CONTENT_TYPE.to_owned()),
                ("x-amz-target", concat(&[TARGET_PREFIX, a.name])),
            ],
            body,
        };
        self.signed(request, time_ms, false)
    }

    /// Takes a credentials provider's answer, read by pkg/credentials.js: the keys, and
    /// when they expire (`expires_ms`, epoch ms: `Infinity` for never, NaN for an
    /// unusable expiration; `now_ms`: the corrected clock). Signs with them from now on
    /// unless they have expired; throws a credentials record for unusable keys.
    #[wasm_bindgen(js_name = useCredentials)]
    pub fn use_credentials(
        &self,
        key_id: JsValue,
        secret: JsValue,
        token: JsValue,
        expires_ms: f64,
        now_ms: f64,
    ) -> Result<(), JsValue> {
        let text = |value: JsValue| value.as_string().unwrap_or_default();
        let token = token.as_string();
        let credentials = Credentials::new(&text(key_id), &text(secret), token.as_deref())
            .map_err(|e| {
                // A validation error (the only kind `Credentials::new` returns) becomes a
                // credentials error with the same words after the prefix.
                let e = match e.prefixed("the credentials provider returned unusable credentials") {
                    Error::Validation { message, .. } => Error::Credentials { message },
                    other => other,
                };
                error_record(&e, &self.keys.secrets())
            })?;
        self.keys.provided(credentials, expires_ms, now_ms);
        Ok(())
    }

    /// Forgets all but the newest `keep` replaced credentials (kept for redaction while a
    /// call that signed with them is in flight).
    #[wasm_bindgen(js_name = forgetCredentials)]
    pub fn forget_credentials(&self, keep: usize) {
        self.keys.forget(keep);
    }

    /// A string built in JavaScript (a message, or an answer's code, message or request id,
    /// pkg/answer.js), redacted of every secret held and cut to length.
    pub fn redact(&self, text: String) -> String {
        message_of(text, &self.keys.secrets())
    }
}

/// What the JavaScript side needs of one action, and how its input is read (its answer
/// is read by pkg/answer.js).
struct Action {
    name: &'static str,
    shape: &'static Shape,
    closes_task: bool,
    long_poll: bool,
    default_timeout_ms: f64,
    /// The most bytes of an answer body read before the answer is refused.
    max_answer_bytes: usize,
}

/// Action `O`'s entry in [`ACTIONS`].
const fn of<O: Operation + Declared>() -> Action {
    Action {
        name: O::NAME,
        shape: O::SHAPE,
        closes_task: O::CLOSES_TASK,
        long_poll: O::LONG_POLL,
        default_timeout_ms: O::DEFAULT_TIMEOUT_MS,
        max_answer_bytes: O::MAX_ANSWER_BYTES,
    }
}

/// Every action, in the order of pkg/core.js's `ACTIONS` (which names the methods).
static ACTIONS: [Action; 16] = [
    of::<RespondActivityTaskCanceledInput>(),
    of::<RecordActivityTaskHeartbeatInput>(),
    of::<RespondActivityTaskCompletedInput>(),
    of::<RespondActivityTaskFailedInput>(),
    of::<PollForActivityTaskInput>(),
    of::<ListDomains>(),
    of::<ListOpenWorkflowExecutions>(),
    of::<ListClosedWorkflowExecutions>(),
    of::<DescribeWorkflowExecution>(),
    of::<GetWorkflowExecutionHistory>(),
    of::<CountPendingActivityTasks>(),
    of::<CountPendingDecisionTasks>(),
    of::<RequestCancelWorkflowExecution>(),
    of::<SignalWorkflowExecution>(),
    of::<TerminateWorkflowExecution>(),
    of::<DescribeActivityType>(),
];

/// The composite `cancelIfRequested` (a heartbeat, then a cancel only if requested), number
/// `ACTIONS.len()`: `prepare` checks its whole input before the heartbeat (pkg/core.js
/// discards the unsigned body; nothing is ever sent for it).
static COMPOSITE: Action = Action {
    name: "cancelIfRequested",
    shape: CancelIfRequestedInput::SHAPE,
    closes_task: false,
    long_poll: false,
    default_timeout_ms: 0.0,
    max_answer_bytes: 0,
};

/// Action number `action` (the composite after [`ACTIONS`]), or the error a caller outside
/// the package gets for a wrong one.
fn entry(action: usize) -> Result<&'static Action, JsValue> {
    ACTIONS
        .get(action)
        .or((action == ACTIONS.len()).then_some(&COMPOSITE))
        .ok_or_else(|| js_sys::Error::new("swf-edge: no action with this number").into())
}

impl WasmClient {
    /// `request` signed at `time_ms` with the current credentials, as [`Self::prepare`]
    /// returns it (`with_body`) or [`Self::sign`] does.
    fn signed(
        &self,
        mut request: HttpRequest,
        time_ms: f64,
        with_body: bool,
    ) -> Result<String, JsValue> {
        if request.url.is_empty() {
            request.url.clone_from(&self.endpoint.url);
        }
        let time = retry::corrected_time(time_ms, 0.0);
        self.keys
            .with_current(|keys| sign::sign(&mut request, keys, &self.endpoint.region, time))
            .ok_or_else(|| js_sys::Error::new("swf-edge: no credentials to sign with yet"))?
            .map_err(|e| error_record(&e, &self.keys.secrets()))?;
        let header = |name: &str| request.header(name).unwrap_or_default();
        let mut out = String::with_capacity(256 + if with_body { request.body.len() } else { 0 });
        for part in [
            header("x-amz-date"),
            "\n",
            header("authorization"),
            "\n",
            header("x-amz-security-token"),
            "\n",
        ] {
            out.push_str(part);
        }
        if with_body {
            out.push_str(&request.body);
        }
        Ok(out)
    }
}
