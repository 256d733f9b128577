//! The operator actions, as declarations: each is its input table (members, limits,
//! required flags and rules, as in SWF's `service-2.json`). [`crate::shape`] validates and
//! writes every one of them; pkg/answer.js passes their answers on as SWF sends them,
//! timestamps turned into dates.

use crate::error::Error;
use crate::json::JsonObject;
use crate::model::{
    CancelIfRequestedInput, Operation, PollForActivityTaskInput, RecordActivityTaskHeartbeatInput,
    RespondActivityTaskCanceledInput, RespondActivityTaskCompletedInput,
    RespondActivityTaskFailedInput, MAX_DETAILS, MAX_HEARTBEAT_DETAILS, MAX_NAME, MAX_REASON,
    MAX_TASK_TOKEN,
};
use crate::shape::{self, Declaration, Declared, Fields, FromFields, Member, Rule, Shape, Value};

/// Longest page token SWF issues or accepts.
pub const MAX_PAGE_TOKEN: usize = 2048;
/// Largest `maximumPageSize` (SWF's default and maximum: 1000).
pub const MAX_PAGE_SIZE: i64 = 1000;
/// Longest `input` of a signal, and `details` of a termination.
pub const MAX_DATA: usize = 32768;
/// The most bytes of a list or history page read before it is refused. SWF returns up
/// to 1000 items a page and keeps its answers near its 1 MB request quota (it cuts pages
/// and counts short, "internally reach[ing] the 1 MB quota"); 8 MiB leaves 8x headroom
/// and stays far below a Worker's 128 MB. The body never enters wasm memory.
pub const MAX_PAGE_ANSWER_BYTES: usize = 8 * 1024 * 1024;

const DOMAIN: Member = Member::text("domain", 1, 256).required();
const WORKFLOW_ID: Member = Member::text("workflowId", 1, 256).required();
const RUN_ID_OPTIONAL: Member = Member::text("runId", 0, 64);
const NEXT_PAGE_TOKEN: Member = Member::text("nextPageToken", 0, MAX_PAGE_TOKEN);
const MAXIMUM_PAGE_SIZE: Member = Member::int("maximumPageSize", 0, MAX_PAGE_SIZE);
const REVERSE_ORDER: Member = Member::flag("reverseOrder");
const TIME_FILTER: &[Member] = &[
    Member::time("oldestDate").required(),
    Member::time("latestDate"),
];
const EXECUTION: &[Member] = &[WORKFLOW_ID, Member::text("runId", 1, 64).required()];
const TASK_LIST: &[Member] = &[Member::text("name", 1, 256).required()];
const TYPE_FILTER: Member = Member::object(
    "typeFilter",
    &[
        Member::text("name", 1, 256).required(),
        Member::text("version", 0, 64),
    ],
);
const TAG_FILTER: Member = Member::object("tagFilter", &[Member::text("tag", 0, 256).required()]);
const EXECUTION_FILTER: Member = Member::object("executionFilter", &[WORKFLOW_ID]);
const CLOSE_STATUSES: &[&str] = &[
    "COMPLETED",
    "FAILED",
    "CANCELED",
    "TERMINATED",
    "CONTINUED_AS_NEW",
    "TIMED_OUT",
];

/// Declares one action: a newtype over its [`Fields`], its table, its answer's cap.
macro_rules! declare {
    (
        $(#[$doc:meta])*
        $name:ident, max_answer_bytes: $max:expr,
        members: $members:expr, rules: $rules:expr $(,)?
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub Fields);

        impl Declared for $name {
            const SHAPE: &'static Shape = &Shape {
                members: $members,
                rules: $rules,
            };
        }

        impl FromFields for $name {
            fn from_fields(fields: Fields) -> Self {
                $name(fields)
            }
        }

        impl Operation for $name {
            const NAME: &'static str = stringify!($name);
            const CLOSES_TASK: bool = false;
            const MAX_ANSWER_BYTES: usize = $max;

            fn validate(&self) -> Result<(), Error> {
                shape::validate(Self::SHAPE, &self.0)
            }

            fn write_json(&self, json: &mut JsonObject) {
                shape::write(Self::SHAPE.members, &self.0, json)
            }
        }
    };
}

declare!(
    /// `ListDomains`: the domains with a registration status, a page at a time.
    ListDomains, max_answer_bytes: MAX_PAGE_ANSWER_BYTES,
    members: &[
        NEXT_PAGE_TOKEN,
        Member::one_of("registrationStatus", &["REGISTERED", "DEPRECATED"]).required(),
        MAXIMUM_PAGE_SIZE,
        REVERSE_ORDER,
    ],
    rules: &[],
);

declare!(
    /// `ListOpenWorkflowExecutions`: open executions started in a time window, optionally
    /// filtered by type, tag or workflow id (at most one of them).
    ListOpenWorkflowExecutions,
    max_answer_bytes: MAX_PAGE_ANSWER_BYTES,
    members: &[
        DOMAIN,
        Member::object("startTimeFilter", TIME_FILTER).required(),
        TYPE_FILTER,
        TAG_FILTER,
        NEXT_PAGE_TOKEN,
        MAXIMUM_PAGE_SIZE,
        REVERSE_ORDER,
        EXECUTION_FILTER,
    ],
    rules: &[Rule::AtMostOne(&["typeFilter", "tagFilter", "executionFilter"])],
);

declare!(
    /// `ListClosedWorkflowExecutions`: closed executions by start or close time (exactly
    /// one), optionally filtered by workflow id, close status, type or tag (at most one).
    ListClosedWorkflowExecutions,
    max_answer_bytes: MAX_PAGE_ANSWER_BYTES,
    members: &[
        DOMAIN,
        Member::object("startTimeFilter", TIME_FILTER),
        Member::object("closeTimeFilter", TIME_FILTER),
        EXECUTION_FILTER,
        Member::object(
            "closeStatusFilter",
            &[Member::one_of("status", CLOSE_STATUSES).required()],
        ),
        TYPE_FILTER,
        TAG_FILTER,
        NEXT_PAGE_TOKEN,
        MAXIMUM_PAGE_SIZE,
        REVERSE_ORDER,
    ],
    rules: &[
        Rule::ExactlyOne(&["startTimeFilter", "closeTimeFilter"]),
        Rule::AtMostOne(&["executionFilter", "closeStatusFilter", "typeFilter", "tagFilter"]),
    ],
);

declare!(
    /// `DescribeWorkflowExecution`: an execution's info, configuration and open counts.
    DescribeWorkflowExecution,
    // latestExecutionContext is up to 32768 characters (up to 128 KiB of UTF-8), plus
    // the execution's info, configuration and counts.
    max_answer_bytes: 256 * 1024,
    members: &[DOMAIN, Member::object("execution", EXECUTION).required()],
    rules: &[],
);

declare!(
    /// `GetWorkflowExecutionHistory`: a page of an execution's events.
    GetWorkflowExecutionHistory,
    max_answer_bytes: MAX_PAGE_ANSWER_BYTES,
    members: &[
        DOMAIN,
        Member::object("execution", EXECUTION).required(),
        NEXT_PAGE_TOKEN,
        MAXIMUM_PAGE_SIZE,
        REVERSE_ORDER,
    ],
    rules: &[],
);

declare!(
    /// `DescribeActivityType`: an activity type's status and its default timeouts, task
    /// list and priority (what a worker needs, since a polled task carries no timeouts).
    DescribeActivityType, max_answer_bytes: 64 * 1024,
    members: &[
        DOMAIN,
        Member::object(
            "activityType",
            &[
                Member::text("name", 1, 256).required(),
                Member::text("version", 1, 64).required(),
            ],
        )
        .required(),
    ],
    rules: &[],
);

declare!(
    /// `CountPendingActivityTasks`: how many activity tasks wait in a task list.
    CountPendingActivityTasks, max_answer_bytes: 64 * 1024,
    members: &[DOMAIN, Member::object("taskList", TASK_LIST).required()],
    rules: &[],
);

declare!(
    /// `CountPendingDecisionTasks`: how many decision tasks wait in a task list.
    CountPendingDecisionTasks, max_answer_bytes: 64 * 1024,
    members: &[DOMAIN, Member::object("taskList", TASK_LIST).required()],
    rules: &[],
);

declare!(
    /// `RequestCancelWorkflowExecution`: records a cancel request for the decider.
    RequestCancelWorkflowExecution, max_answer_bytes: 64 * 1024,
    members: &[DOMAIN, WORKFLOW_ID, RUN_ID_OPTIONAL],
    rules: &[],
);

declare!(
    /// `SignalWorkflowExecution`: sends a named signal (with input) to an execution.
    SignalWorkflowExecution, max_answer_bytes: 64 * 1024,
    members: &[
        DOMAIN,
        WORKFLOW_ID,
        RUN_ID_OPTIONAL,
        Member::text("signalName", 1, 256).required(),
        Member::text("input", 0, MAX_DATA),
    ],
    rules: &[],
);

declare!(
    /// `TerminateWorkflowExecution`: ends an execution at once (destructive).
    TerminateWorkflowExecution, max_answer_bytes: 64 * 1024,
    members: &[
        DOMAIN,
        WORKFLOW_ID,
        RUN_ID_OPTIONAL,
        Member::text("reason", 0, 256),
        Member::text("details", 0, MAX_DATA),
        Member::one_of("childPolicy", &["TERMINATE", "REQUEST_CANCEL", "ABANDON"]),
    ],
    rules: &[],
);

// The activity-task actions: typed structs (model.rs) whose limits are these tables.

const TASK_TOKEN: Member = Member::text("taskToken", 1, MAX_TASK_TOKEN).required();

/// The activity-task inputs' tables, and their fields in table order.
macro_rules! tabled {
    ($name:ty, [$($member:expr),+ $(,)?], |$input:ident| [$($field:expr),+ $(,)?]) => {
        impl Declared for $name {
            const SHAPE: &'static Shape = &Shape {
                members: &[$($member),+],
                rules: &[],
            };
        }

        impl $name {
            /// The input as its table's fields (what the model's validator and writer take).
            pub fn fields(&self) -> Fields {
                let $input = self;
                vec![$($field),+]
            }
        }
    };
}

fn text(value: &str) -> Option<Value> {
    Some(Value::Text(value.to_owned()))
}

fn optional(value: &Option<String>) -> Option<Value> {
    value.as_deref().and_then(text)
}

tabled!(
    RespondActivityTaskCanceledInput,
    [TASK_TOKEN, Member::text("details", 0, MAX_DETAILS)],
    |input| [text(&input.task_token), optional(&input.details)]
);
tabled!(
    RecordActivityTaskHeartbeatInput,
    [
        TASK_TOKEN,
        Member::text("details", 0, MAX_HEARTBEAT_DETAILS)
    ],
    |input| [text(&input.task_token), optional(&input.details)]
);
tabled!(
    RespondActivityTaskCompletedInput,
    [TASK_TOKEN, Member::text("result", 0, MAX_DETAILS)],
    |input| [text(&input.task_token), optional(&input.result)]
);
tabled!(
    RespondActivityTaskFailedInput,
    [
        TASK_TOKEN,
        Member::text("reason", 0, MAX_REASON),
        Member::text("details", 0, MAX_DETAILS),
    ],
    |input| [
        text(&input.task_token),
        optional(&input.reason),
        optional(&input.details),
    ]
);
tabled!(
    PollForActivityTaskInput,
    [
        Member::text("domain", 1, MAX_NAME).required(),
        Member::object("taskList", TASK_LIST).required(),
        Member::text("identity", 0, MAX_NAME),
    ],
    |input| [
        text(&input.domain),
        Some(Value::Struct(vec![text(&input.task_list.name)])),
        optional(&input.identity),
    ]
);
tabled!(
    CancelIfRequestedInput,
    [
        TASK_TOKEN,
        Member::text("details", 0, MAX_DETAILS),
        Member::text("heartbeatDetails", 0, MAX_HEARTBEAT_DETAILS),
    ],
    |input| [
        text(&input.task_token),
        optional(&input.details),
        optional(&input.heartbeat_details),
    ]
);

/// One entry of [`DECLARED`].
const fn entry<O: Operation + Declared>() -> Declaration {
    Declaration {
        name: O::NAME,
        shape: O::SHAPE,
    }
}

/// Every declared action (for the tests that compare them with SWF's model).
pub const DECLARED: &[Declaration] = &[
    entry::<RespondActivityTaskCanceledInput>(),
    entry::<RecordActivityTaskHeartbeatInput>(),
    entry::<RespondActivityTaskCompletedInput>(),
    entry::<RespondActivityTaskFailedInput>(),
    entry::<PollForActivityTaskInput>(),
    entry::<ListDomains>(),
    entry::<ListOpenWorkflowExecutions>(),
    entry::<ListClosedWorkflowExecutions>(),
    entry::<DescribeWorkflowExecution>(),
    entry::<GetWorkflowExecutionHistory>(),
    entry::<CountPendingActivityTasks>(),
    entry::<CountPendingDecisionTasks>(),
    entry::<RequestCancelWorkflowExecution>(),
    entry::<SignalWorkflowExecution>(),
    entry::<TerminateWorkflowExecution>(),
    entry::<DescribeActivityType>(),
];

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::endpoint::Endpoint;
    use crate::request;

    fn endpoint() -> Endpoint {
        Endpoint {
            url: "https://swf.us-east-1.amazonaws.com/".into(),
            region: "us-east-1".into(),
        }
    }

    fn input<O: Declared + FromFields>(json: serde_json::Value) -> Result<O, Error> {
        shape::from_json(O::SHAPE.members, &json, "").map(O::from_fields)
    }

    fn body<O: Declared + FromFields + Operation>(
        json: serde_json::Value,
    ) -> Result<String, Error> {
        request::build(&endpoint(), &input::<O>(json)?).map(|r| r.body)
    }

    fn field(result: Result<String, Error>) -> String {
        match result {
            Err(Error::Validation { field, .. }) => field.unwrap_or_default(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn list_closed_needs_exactly_one_time_filter_and_at_most_one_other() {
        let ok = body::<ListClosedWorkflowExecutions>(serde_json::json!({
            "domain": "d", "closeTimeFilter": {"oldestDate": 1}, "closeStatusFilter": {"status": "CANCELED"},
            "maximumPageSize": 10, "reverseOrder": false
        }));
        assert_eq!(
            ok.unwrap(),
            r#"{"domain":"d","closeTimeFilter":{"oldestDate":1},"closeStatusFilter":{"status":"CANCELED"},"maximumPageSize":10,"reverseOrder":false}"#
        );
        let none = body::<ListClosedWorkflowExecutions>(serde_json::json!({"domain": "d"}));
        assert_eq!(field(none), "startTimeFilter");
        let two = body::<ListClosedWorkflowExecutions>(serde_json::json!({
            "domain": "d", "startTimeFilter": {"oldestDate": 1}, "typeFilter": {"name": "t"}, "tagFilter": {"tag": "x"}
        }));
        assert_eq!(field(two), "tagFilter");
    }

    #[test]
    fn list_open_filters_and_page_limits() {
        let two = body::<ListOpenWorkflowExecutions>(serde_json::json!({
            "domain": "d", "startTimeFilter": {"oldestDate": 1}, "executionFilter": {"workflowId": "w"}, "tagFilter": {"tag": ""}
        }));
        assert_eq!(field(two), "executionFilter");
        let size = body::<ListOpenWorkflowExecutions>(serde_json::json!({
            "domain": "d", "startTimeFilter": {"oldestDate": 1}, "maximumPageSize": 1001
        }));
        assert_eq!(field(size), "maximumPageSize");
        let token = body::<GetWorkflowExecutionHistory>(serde_json::json!({
            "domain": "d", "execution": {"workflowId": "w", "runId": "r"}, "nextPageToken": "t".repeat(2049)
        }));
        assert_eq!(field(token), "nextPageToken");
        let no_run = body::<GetWorkflowExecutionHistory>(serde_json::json!({
            "domain": "d", "execution": {"workflowId": "w"}
        }));
        assert_eq!(field(no_run), "execution.runId");
    }

    #[test]
    fn the_closing_actions_write_swf_json() {
        let signal = body::<SignalWorkflowExecution>(serde_json::json!({
            "domain": "d", "workflowId": "w", "signalName": "go", "input": "{\"a\":1}"
        }));
        assert_eq!(
            signal.unwrap(),
            r#"{"domain":"d","workflowId":"w","signalName":"go","input":"{\"a\":1}"}"#
        );
        let policy = body::<TerminateWorkflowExecution>(serde_json::json!({
            "domain": "d", "workflowId": "w", "childPolicy": "KILL"
        }));
        assert_eq!(field(policy), "childPolicy");
        let reason = body::<TerminateWorkflowExecution>(serde_json::json!({
            "domain": "d", "workflowId": "w", "reason": "r".repeat(257)
        }));
        assert_eq!(field(reason), "reason");
        let cancel = body::<RequestCancelWorkflowExecution>(serde_json::json!({
            "domain": "d", "workflowId": "w", "runId": ""
        }));
        assert_eq!(
            cancel.unwrap(),
            r#"{"domain":"d","workflowId":"w","runId":""}"#
        );
    }

    #[test]
    fn every_declared_action_is_listed_once() {
        let mut names: Vec<&str> = DECLARED.iter().map(|d| d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 16);
    }
}
