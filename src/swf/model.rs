//! The request model: one input struct per SWF action, each with its documented limits.
//!
//! Each activity-task action is a typed serde struct (the JSON it sends) plus an
//! [`Operation`] impl naming the action; its limits are its table in
//! [`crate::actions`], checked and written by [`crate::shape`] like every declared
//! action's. Lengths are counted in Unicode code points, as SWF's model (Smithy
//! `@length`) does.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::json::JsonObject;
use crate::shape::{self, Declared};
use crate::swf::text::{concat, int};

/// Longest task token SWF issues or accepts.
pub const MAX_TASK_TOKEN: usize = 1024;
/// Longest `details` of `RespondActivityTaskCanceled` and `RespondActivityTaskFailed`,
/// and `result` of `RespondActivityTaskCompleted`.
pub const MAX_DETAILS: usize = 32768;
/// Longest `details` of `RecordActivityTaskHeartbeat`.
pub const MAX_HEARTBEAT_DETAILS: usize = 2048;
/// Longest `reason` of `RespondActivityTaskFailed`.
pub const MAX_REASON: usize = 256;

/// One SWF action: its wire name, how its input is checked and written, and what the
/// JavaScript side needs to run it (its answer is read by pkg/answer.js).
pub trait Operation {
    /// The action name, as sent in `X-Amz-Target: SimpleWorkflowService.<NAME>`.
    const NAME: &'static str;
    /// Whether success closes the task (so a later `UnknownResourceFault` after a lost
    /// answer may mean our own earlier attempt closed it).
    const CLOSES_TASK: bool = true;
    /// How long one attempt may take unless the caller says otherwise (ms).
    const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
    /// A long poll: the client-wide `timeoutMs` does not apply, only a per-call one.
    const LONG_POLL: bool = false;
    /// The most bytes of a success answer's body read before it is refused (SWF's answers
    /// to the activity-task actions are small: `{}` or `{"cancelRequested":…}`).
    const MAX_ANSWER_BYTES: usize = 64 * 1024;
    /// Checks the documented limits; nothing is sent when this fails.
    fn validate(&self) -> Result<(), Error>;
    /// Writes the request body's fields (as serde would, in declaration order).
    fn write_json(&self, json: &mut JsonObject);
}

/// `validate` and `write_json` of an activity-task input: by its table in
/// [`crate::actions`], through [`crate::shape`], like every declared action.
macro_rules! checked_by_its_table {
    () => {
        fn validate(&self) -> Result<(), Error> {
            shape::validate(Self::SHAPE, &self.fields())
        }

        fn write_json(&self, json: &mut JsonObject) {
            shape::write(Self::SHAPE.members, &self.fields(), json)
        }
    };
}

/// Input of `RespondActivityTaskCanceled`: closes an activity task as canceled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RespondActivityTaskCanceledInput {
    /// The opaque token of the activity task (1–1024 characters).
    pub task_token: String,
    /// Optional information recorded in the `ActivityTaskCanceled` event (≤ 32768 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

impl Operation for RespondActivityTaskCanceledInput {
    const NAME: &'static str = "RespondActivityTaskCanceled";

    checked_by_its_table!();
}

/// Input of `RecordActivityTaskHeartbeat`: reports progress, learns of cancel requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordActivityTaskHeartbeatInput {
    /// The opaque token of the activity task (1–1024 characters).
    pub task_token: String,
    /// Progress information recorded in the heartbeat (≤ 2048 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

/// Answer of `RecordActivityTaskHeartbeat` (its TypeScript type; read by pkg/answer.js).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ActivityTaskStatus {
    /// Whether cancellation of the task was requested (then cancel it, if it can be undone).
    pub cancel_requested: bool,
}

impl Operation for RecordActivityTaskHeartbeatInput {
    const NAME: &'static str = "RecordActivityTaskHeartbeat";
    const CLOSES_TASK: bool = false;

    checked_by_its_table!();
}

/// Input of `RespondActivityTaskCompleted`: closes an activity task as completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RespondActivityTaskCompletedInput {
    /// The opaque token of the activity task (1–1024 characters).
    pub task_token: String,
    /// The result of the task, for the decider (≤ 32768 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
}

impl Operation for RespondActivityTaskCompletedInput {
    const NAME: &'static str = "RespondActivityTaskCompleted";

    checked_by_its_table!();
}

/// Input of `RespondActivityTaskFailed`: closes an activity task as failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RespondActivityTaskFailedInput {
    /// The opaque token of the activity task (1–1024 characters).
    pub task_token: String,
    /// A short reason for the failure (≤ 256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Details of the failure (≤ 32768 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

impl Operation for RespondActivityTaskFailedInput {
    const NAME: &'static str = "RespondActivityTaskFailed";

    checked_by_its_table!();
}

/// Input of `PollForActivityTask`: waits (up to 60 s) for an activity task to work on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PollForActivityTaskInput {
    /// The SWF domain (1–256 characters).
    pub domain: String,
    /// The task list to poll.
    pub task_list: TaskList,
    /// Who polls, recorded in the `ActivityTaskStarted` event (≤ 256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
}

/// A task list, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct TaskList {
    /// The task list's name (1–256 characters).
    pub name: String,
}

/// A workflow execution's ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct WorkflowExecution {
    /// The workflow id given when it was started.
    pub workflow_id: String,
    /// The run id SWF gave it.
    pub run_id: String,
}

/// An activity type's name and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ActivityType {
    /// The type's name.
    pub name: String,
    /// The type's version.
    pub version: String,
}

/// An activity task handed out by `PollForActivityTask` (its TypeScript type; read by
/// pkg/answer.js).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ActivityTask {
    /// The token for heartbeats and for closing the task.
    pub task_token: String,
    /// The activity's id in its workflow.
    pub activity_id: String,
    /// The id of the `ActivityTaskStarted` event.
    pub started_event_id: i64,
    /// The workflow execution the task belongs to.
    pub workflow_execution: WorkflowExecution,
    /// The activity's type.
    pub activity_type: ActivityType,
    /// The input the decider gave the activity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
}

/// Longest domain, task list name and identity.
pub const MAX_NAME: usize = 256;

impl Operation for PollForActivityTaskInput {
    const NAME: &'static str = "PollForActivityTask";
    const CLOSES_TASK: bool = false;
    /// SWF holds a poll open for up to 60 s.
    const DEFAULT_TIMEOUT_MS: f64 = 70_000.0;
    const LONG_POLL: bool = true;
    /// A task's `input` is up to 32768 characters (up to 131,072 bytes of UTF-8), plus
    /// its token and ids.
    const MAX_ANSWER_BYTES: usize = 256 * 1024;

    checked_by_its_table!();
}

/// Input of the composite `cancelIfRequested` (heartbeat, then cancel if requested):
/// checked as a whole before its first request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelIfRequestedInput {
    /// The task token (1–1024 characters).
    pub task_token: String,
    /// Recorded in `ActivityTaskCanceled` when canceled (≤ 32768 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Sent with the heartbeat (≤ 2048 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_details: Option<String>,
}

impl CancelIfRequestedInput {
    /// Checks every field's limits.
    pub fn validate(&self) -> Result<(), Error> {
        shape::validate(Self::SHAPE, &self.fields())
    }
}

/// Checks a task token: required, 1–1024 characters.
pub fn check_task_token(token: &str) -> Result<(), Error> {
    check_length("taskToken", token, 1, MAX_TASK_TOKEN)
}

/// Checks an optional string field against a maximum length.
pub fn check_optional_length(field: &str, value: Option<&str>, max: usize) -> Result<(), Error> {
    value.map_or(Ok(()), |v| check_length(field, v, 0, max))
}

/// Checks that `value` has between `min` and `max` characters (code points).
pub fn check_length(field: &str, value: &str, min: usize, max: usize) -> Result<(), Error> {
    // Bytes bound code points from above, so most values skip the count.
    let len = if value.len() <= max {
        value.len().min(value.chars().count())
    } else {
        value.chars().count()
    };
    if len < min {
        let message = if min == 1 {
            concat(&[field, " must not be empty"])
        } else {
            concat(&[
                field,
                " must have at least ",
                &int(min as i64),
                " characters",
            ])
        };
        return Err(Error::invalid(field, message));
    }
    if len > max {
        let message = concat(&[
            field,
            " must have at most ",
            &int(max as i64),
            " characters (got ",
            &int(len as i64),
            ")",
        ]);
        return Err(Error::invalid(field, message));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cancel(token: &str, details: Option<&str>) -> RespondActivityTaskCanceledInput {
        RespondActivityTaskCanceledInput {
            task_token: token.to_owned(),
            details: details.map(str::to_owned),
        }
    }

    fn field_of(err: Error) -> Option<String> {
        match err {
            Error::Validation { field, .. } => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn token_bounds() {
        assert!(cancel("t", None).validate().is_ok());
        assert!(cancel(&"t".repeat(1024), None).validate().is_ok());
        assert_eq!(
            field_of(cancel("", None).validate().unwrap_err()).as_deref(),
            Some("taskToken")
        );
        assert_eq!(
            field_of(cancel(&"t".repeat(1025), None).validate().unwrap_err()).as_deref(),
            Some("taskToken")
        );
    }

    #[test]
    fn details_bounds_count_code_points_not_bytes() {
        assert!(cancel("t", Some("")).validate().is_ok());
        assert!(cancel("t", Some(&"x".repeat(32768))).validate().is_ok());
        // 32768 four-byte characters are 131072 bytes but still within the limit.
        assert!(cancel("t", Some(&"😀".repeat(32768))).validate().is_ok());
        let err = cancel("t", Some(&"😀".repeat(32769)))
            .validate()
            .unwrap_err();
        assert!(err.to_string().contains("32769"), "{err}");
        assert_eq!(field_of(err).as_deref(), Some("details"));
    }

    #[test]
    fn serialises_camel_case_and_omits_absent_details() {
        let json = serde_json::to_string(&cancel("tok", None)).unwrap();
        assert_eq!(json, r#"{"taskToken":"tok"}"#);
        let json = serde_json::to_string(&cancel("tok", Some("why \"now\"\n"))).unwrap();
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["taskToken"], "tok");
        assert_eq!(back["details"], "why \"now\"\n");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = serde_json::from_str::<RespondActivityTaskCanceledInput>(
            r#"{"taskToken":"t","detail":"x"}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown field `detail`"), "{err}");
    }

    #[test]
    fn each_action_checks_its_own_limits() {
        let token = || "t".to_owned();
        let heartbeat = |d: usize| RecordActivityTaskHeartbeatInput {
            task_token: token(),
            details: Some("d".repeat(d)),
        };
        assert!(heartbeat(2048).validate().is_ok());
        assert_eq!(
            field_of(heartbeat(2049).validate().unwrap_err()).as_deref(),
            Some("details")
        );
        let completed = |r: usize| RespondActivityTaskCompletedInput {
            task_token: token(),
            result: Some("r".repeat(r)),
        };
        assert!(completed(32768).validate().is_ok());
        assert_eq!(
            field_of(completed(32769).validate().unwrap_err()).as_deref(),
            Some("result")
        );
        let failed = |r: usize, d: usize| RespondActivityTaskFailedInput {
            task_token: token(),
            reason: Some("r".repeat(r)),
            details: Some("d".repeat(d)),
        };
        assert!(failed(256, 32768).validate().is_ok());
        assert_eq!(
            field_of(failed(257, 0).validate().unwrap_err()).as_deref(),
            Some("reason")
        );
        assert_eq!(
            field_of(failed(0, 32769).validate().unwrap_err()).as_deref(),
            Some("details")
        );
        let no_token = RecordActivityTaskHeartbeatInput {
            task_token: String::new(),
            details: None,
        };
        assert_eq!(
            field_of(no_token.validate().unwrap_err()).as_deref(),
            Some("taskToken")
        );
    }

    #[test]
    fn poll_input_limits() {
        let poll = |domain: &str, list: &str| PollForActivityTaskInput {
            domain: domain.into(),
            task_list: TaskList { name: list.into() },
            identity: None,
        };
        assert!(poll("d", "l").validate().is_ok());
        assert_eq!(
            field_of(poll("", "l").validate().unwrap_err()).as_deref(),
            Some("domain")
        );
        assert_eq!(
            field_of(poll("d", &"l".repeat(257)).validate().unwrap_err()).as_deref(),
            Some("taskList.name")
        );
        let body = serde_json::to_string(&poll("d", "l")).unwrap();
        assert_eq!(body, r#"{"domain":"d","taskList":{"name":"l"}}"#);
    }

    #[test]
    fn cancel_if_requested_checks_both_details() {
        let input = |d: usize, h: usize| CancelIfRequestedInput {
            task_token: "t".into(),
            details: Some("d".repeat(d)),
            heartbeat_details: Some("h".repeat(h)),
        };
        assert!(input(32768, 2048).validate().is_ok());
        assert_eq!(
            field_of(input(32769, 0).validate().unwrap_err()).as_deref(),
            Some("details")
        );
        assert_eq!(
            field_of(input(0, 2049).validate().unwrap_err()).as_deref(),
            Some("heartbeatDetails")
        );
    }
}
