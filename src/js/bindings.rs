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
    CountPendingActivityTasks, CountPendingDecisionTasks, DescribeWorkflowExecution,
    GetWorkflowExecutionHistory, ListClosedWorkflowExecutions, ListDomains,
    ListOpenWorkflowExecutions, RequestCancelWorkflowExecution, SignalWorkflowExecution,
    TerminateWorkflowExecution,
};
use crate::answer::{object, Answer};
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
use crate::shape::{self, Declared, Shape, Value};
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

    /// `RespondActivityTaskCanceled`: resolves `undefined`, rejects with an error record.
    #[wasm_bindgen(js_name = respondActivityTaskCanceled)]
    pub fn respond_activity_task_canceled(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<RespondActivityTaskCanceledInput>(input, options)
    }

    /// `RecordActivityTaskHeartbeat`: resolves `{ cancelRequested }`.
    #[wasm_bindgen(js_name = recordActivityTaskHeartbeat)]
    pub fn record_activity_task_heartbeat(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<RecordActivityTaskHeartbeatInput>(input, options)
    }

    /// `RespondActivityTaskCompleted`: resolves `undefined`.
    #[wasm_bindgen(js_name = respondActivityTaskCompleted)]
    pub fn respond_activity_task_completed(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<RespondActivityTaskCompletedInput>(input, options)
    }

    /// `PollForActivityTask`: resolves the task, or `null` when the long poll ended empty.
    #[wasm_bindgen(js_name = pollForActivityTask)]
    pub fn poll_for_activity_task(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<PollForActivityTaskInput>(input, options)
    }

    /// Checks the input of the composite `cancelIfRequested` before its first request and
    /// returns it as plain data (read once); throws a validation record.
    #[wasm_bindgen(js_name = checkCancelIfRequested)]
    pub fn check_cancel_if_requested(&self, input: JsValue) -> Result<JsValue, JsValue> {
        let shape = CancelIfRequestedInput::SHAPE;
        read_fields(&input, "", shape.members)
            .and_then(|fields| {
                shape::validate(shape, &fields)?;
                let copy = shape.members.iter().zip(fields).map(|(member, value)| {
                    let value = match value {
                        Some(Value::Text(text)) => text.into(),
                        _ => JsValue::UNDEFINED,
                    };
                    (member.name, value)
                });
                Ok(object(&copy.collect::<Vec<_>>()))
            })
            .map_err(|e| error_record(&Failure::from(e.prefixed("cancelIfRequested")), &[]))
    }

    /// `RespondActivityTaskFailed`: resolves `undefined`.
    #[wasm_bindgen(js_name = respondActivityTaskFailed)]
    pub fn respond_activity_task_failed(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<RespondActivityTaskFailedInput>(input, options)
    }

    /// `ListDomains`: resolves `{ domainInfos, nextPageToken? }`.
    #[wasm_bindgen(js_name = listDomains)]
    pub fn list_domains(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<ListDomains>(input, options)
    }

    /// `ListOpenWorkflowExecutions`: resolves `{ executionInfos, nextPageToken? }` (dates as `Date`s).
    #[wasm_bindgen(js_name = listOpenWorkflowExecutions)]
    pub fn list_open_workflow_executions(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<ListOpenWorkflowExecutions>(input, options)
    }

    /// `ListClosedWorkflowExecutions`: resolves `{ executionInfos, nextPageToken? }`.
    #[wasm_bindgen(js_name = listClosedWorkflowExecutions)]
    pub fn list_closed_workflow_executions(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<ListClosedWorkflowExecutions>(input, options)
    }

    /// `DescribeWorkflowExecution`: resolves the execution's detail.
    #[wasm_bindgen(js_name = describeWorkflowExecution)]
    pub fn describe_workflow_execution(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<DescribeWorkflowExecution>(input, options)
    }

    /// `GetWorkflowExecutionHistory`: resolves `{ events, nextPageToken? }`.
    #[wasm_bindgen(js_name = getWorkflowExecutionHistory)]
    pub fn get_workflow_execution_history(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<GetWorkflowExecutionHistory>(input, options)
    }

    /// `CountPendingActivityTasks`: resolves `{ count, truncated? }`.
    #[wasm_bindgen(js_name = countPendingActivityTasks)]
    pub fn count_pending_activity_tasks(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<CountPendingActivityTasks>(input, options)
    }

    /// `CountPendingDecisionTasks`: resolves `{ count, truncated? }`.
    #[wasm_bindgen(js_name = countPendingDecisionTasks)]
    pub fn count_pending_decision_tasks(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<CountPendingDecisionTasks>(input, options)
    }

    /// `RequestCancelWorkflowExecution`: resolves `undefined`.
    #[wasm_bindgen(js_name = requestCancelWorkflowExecution)]
    pub fn request_cancel_workflow_execution(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<RequestCancelWorkflowExecution>(input, options)
    }

    /// `SignalWorkflowExecution`: resolves `undefined`.
    #[wasm_bindgen(js_name = signalWorkflowExecution)]
    pub fn signal_workflow_execution(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<SignalWorkflowExecution>(input, options)
    }

    /// `TerminateWorkflowExecution`: resolves `undefined`.
    #[wasm_bindgen(js_name = terminateWorkflowExecution)]
    pub fn terminate_workflow_execution(&self, input: JsValue, options: JsValue) -> Promise {
        self.declared::<TerminateWorkflowExecution>(input, options)
    }
}

impl WasmClient {
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
            .and_then(|fields| request::build_declared(&self.shared.endpoint, name, shape, &fields))
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
