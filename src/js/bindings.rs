//! The JavaScript API: `WasmClient`, wrapped by the package's `SwfClient` (pkg/core.js).
//!
//! A method names its action; the action's table (`crate::actions`) drives reading,
//! checking and writing its input, then the request goes to the shared pipeline
//! ([`crate::pipeline`]). Every failure becomes one plain error record ([`error_record`])
//! that the JavaScript side turns into an `SwfError` subclass.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::future_to_promise;

use crate::actions::{
    CountPendingActivityTasks, CountPendingDecisionTasks, DescribeActivityType,
    DescribeWorkflowExecution, GetWorkflowExecutionHistory, ListClosedWorkflowExecutions,
    ListDomains, ListOpenWorkflowExecutions, RequestCancelWorkflowExecution,
    SignalWorkflowExecution, TerminateWorkflowExecution,
};
use crate::answer::Answer;
use crate::credentials::CredentialSource;
use crate::declared::read_fields;
use crate::endpoint::{self, EndpointConfig};
use crate::error::Error;
use crate::js::error_record::error_record;
use crate::model::{
    CancelIfRequestedInput, Operation, PollForActivityTaskInput, RecordActivityTaskHeartbeatInput,
    RespondActivityTaskCanceledInput, RespondActivityTaskCompletedInput,
    RespondActivityTaskFailedInput,
};
use crate::options::{read_static_credentials, ClientOptions};
use crate::pipeline::{Action, Failure, Shared};
use crate::request::{self, HttpRequest};
use crate::shape::{self, Declared, Shape};
use crate::sign::Credentials;

/// A configured SWF client (the wasm half of `SwfClient`).
#[wasm_bindgen]
pub struct WasmClient {
    shared: Rc<Shared>,
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

    /// Runs action number `action` of [`ACTIONS`] (pkg/core.js names them in the same
    /// order): resolves its answer, rejects with an error record.
    pub fn call(&self, action: usize, input: JsValue, options: JsValue) -> Promise {
        match ACTIONS.get(action) {
            Some(run) => run(self, input, options),
            None => {
                Promise::reject(&js_sys::Error::new("swf-edge: no action with this number").into())
            }
        }
    }

    /// Checks the input of the composite `cancelIfRequested` before its first request
    /// (pkg/core.js passes a plain copy, read once); throws a validation record.
    #[wasm_bindgen(js_name = checkCancelIfRequested)]
    pub fn check_cancel_if_requested(&self, input: JsValue) -> Result<(), JsValue> {
        read_fields(&input, "", CancelIfRequestedInput::SHAPE.members)
            .map(drop)
            .map_err(|e| error_record(&Failure::from(e.prefixed("cancelIfRequested")), &[]))
    }
}

/// A declared action's entry point in [`ACTIONS`].
type Run = fn(&WasmClient, JsValue, JsValue) -> Promise;

/// Every action, in the order of pkg/core.js's `ACTIONS` (which names the methods).
const ACTIONS: [Run; 16] = [
    |c, i, o| c.declared::<RespondActivityTaskCanceledInput>(i, o),
    |c, i, o| c.declared::<RecordActivityTaskHeartbeatInput>(i, o),
    |c, i, o| c.declared::<RespondActivityTaskCompletedInput>(i, o),
    |c, i, o| c.declared::<RespondActivityTaskFailedInput>(i, o),
    |c, i, o| c.declared::<PollForActivityTaskInput>(i, o),
    |c, i, o| c.declared::<ListDomains>(i, o),
    |c, i, o| c.declared::<ListOpenWorkflowExecutions>(i, o),
    |c, i, o| c.declared::<ListClosedWorkflowExecutions>(i, o),
    |c, i, o| c.declared::<DescribeWorkflowExecution>(i, o),
    |c, i, o| c.declared::<GetWorkflowExecutionHistory>(i, o),
    |c, i, o| c.declared::<CountPendingActivityTasks>(i, o),
    |c, i, o| c.declared::<CountPendingDecisionTasks>(i, o),
    |c, i, o| c.declared::<RequestCancelWorkflowExecution>(i, o),
    |c, i, o| c.declared::<SignalWorkflowExecution>(i, o),
    |c, i, o| c.declared::<TerminateWorkflowExecution>(i, o),
    |c, i, o| c.declared::<DescribeActivityType>(i, o),
];

impl WasmClient {
    /// `RespondActivityTaskCanceled` (what [`Self::call`] runs as action 0), for Rust callers.
    pub fn respond_activity_task_canceled(&self, input: JsValue, options: JsValue) -> Promise {
        self.call(0, input, options)
    }

    fn from_options(options: &JsValue) -> Result<Self, Error> {
        let prefix = |e: Error| e.prefixed("SwfClient options");
        let parsed = ClientOptions::read(options).map_err(prefix)?;
        let limits = parsed.limits.check().map_err(prefix)?;
        let credentials = match parsed.credentials.dyn_ref::<Function>() {
            Some(function) => CredentialSource::provider(function.clone()),
            None => {
                let (key_id, secret, token) =
                    read_static_credentials(&parsed.credentials, "credentials").map_err(prefix)?;
                let credentials =
                    Credentials::new(&key_id, &secret, token.as_deref()).map_err(prefix)?;
                CredentialSource::Static(credentials)
            }
        };
        let endpoint = endpoint::resolve(&EndpointConfig {
            region: &parsed.region,
            endpoint: parsed.endpoint.as_deref(),
            use_fips: parsed.use_fips_endpoint,
            use_dualstack: parsed.use_dualstack_endpoint,
            allow_insecure: parsed.allow_insecure_endpoint,
        })
        .map_err(prefix)?;
        Ok(WasmClient {
            shared: Rc::new(Shared {
                endpoint,
                credentials,
                limits,
                clock_offset_ms: Cell::new(0.0),
            }),
        })
    }

    /// Runs declared action `O`: its input read by the one table-driven reader, checked
    /// and written by the model's one validator and writer, then the shared pipeline.
    fn declared<O: Operation + Declared>(&self, input: JsValue, options: JsValue) -> Promise
    where
        O::Output: Answer,
    {
        self.run_declared(Action::of::<O>(), O::NAME, O::SHAPE, input, options)
    }

    /// The part of [`Self::declared`] that is the same for every declared action.
    fn run_declared(
        &self,
        action: Action,
        name: &'static str,
        shape: &'static Shape,
        input: JsValue,
        options: JsValue,
    ) -> Promise {
        let request = read_fields(&input, "", shape.members)
            .and_then(|fields| {
                shape::check_rules(shape, &fields)?;
                Ok(request::build_checked(
                    &self.shared.endpoint,
                    name,
                    shape,
                    &fields,
                ))
            })
            .map_err(|e| e.prefixed(name));
        self.run(action, request, options)
    }

    /// The part of [`Self::call`] that is the same for every operation.
    fn run(
        &self,
        action: Action,
        request: Result<HttpRequest, Error>,
        options: JsValue,
    ) -> Promise {
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            let request = request.map_err(|e| error_record(&Failure::from(e), &[]))?;
            shared
                .execute(&action, request, &options)
                .await
                .map_err(|failure| error_record(&failure, &shared.credentials.secrets()))
        })
    }
}
