//! Answers in: a success or error body parsed with the host's `JSON.parse` and read with
//! `Reflect` (a `serde_json` reader cost the wasm ~30 KB). Each answer is rebuilt as a
//! fresh object holding only its documented fields. The native serde readers in
//! `model.rs`/`error.rs` follow the same rules; the JavaScript suites check this one.

use js_sys::{JsString, Object, Reflect};
use wasm_bindgen::{prelude::*, JsCast};

use crate::actions::Passed;
use crate::error::{oversize_service_error, service_error, Error, ErrorBody};
use crate::model::{ActivityTaskStatus, Empty, PolledTask};
use crate::shape::DatePaths;

/// Turns an answer into what the call resolves to, or the error it rejects with: a 2xx
/// `body` (`null` when it was over the action's cap of `max_bytes`) read by `output`,
/// any other status an SWF service error.
pub(crate) fn settle(
    name: &str,
    output: fn(&JsString) -> Result<JsValue, String>,
    max_bytes: f64,
    status: u16,
    body: &JsValue,
    request_id: Option<String>,
    error_type: Option<String>,
) -> Result<JsValue, Error> {
    let body = body.dyn_ref::<JsString>();
    if (200..300).contains(&status) {
        let read = match body {
            Some(body) => output(body),
            None => Err(format!(
                "it is over {} bytes, this action's cap",
                max_bytes as u64
            )),
        };
        return read.map_err(|why| Error::Response {
            message: format!(
                "SWF answered {name} with a body that is not the expected JSON: {why}"
            ),
        });
    }
    Err(Error::Service(match body {
        Some(body) => service_error(status, error_type.as_deref(), request_id, error_body(body)),
        None => oversize_service_error(status, error_type.as_deref(), request_id),
    }))
}

/// An action's answer, turned from its body into the value its promise resolves to.
pub(crate) trait Answer {
    /// The value for `body`, or why the body is not the expected JSON.
    fn from_body(body: &JsString) -> Result<JsValue, String>;
}

impl Answer for Empty {
    /// Any JSON (SWF sends `{}` or nothing); resolves `undefined`.
    fn from_body(body: &JsString) -> Result<JsValue, String> {
        parse(body).map(|_| JsValue::UNDEFINED)
    }
}

impl Answer for ActivityTaskStatus {
    /// `{ cancelRequested: boolean }`.
    fn from_body(body: &JsString) -> Result<JsValue, String> {
        let answer = parse(body)?;
        let cancel_requested = get(&answer, "cancelRequested")
            .as_bool()
            .ok_or("cancelRequested is missing or not a boolean")?;
        Ok(object(&[("cancelRequested", cancel_requested.into())]))
    }
}

impl Answer for PolledTask {
    /// The task, or `null` when the poll ended empty (no, a null or an empty `taskToken`);
    /// a `taskToken` of another type is not SWF's answer.
    fn from_body(body: &JsString) -> Result<JsValue, String> {
        let answer = parse(body)?;
        let task_token = get(&answer, "taskToken");
        if task_token.is_undefined() || task_token.is_null() {
            return Ok(JsValue::NULL);
        }
        // Looked at in place: copying a token of up to 1 KB into the wasm only to see
        // whether it is empty would be waste.
        match task_token.dyn_ref::<JsString>() {
            None => return Err("taskToken is not a string".into()),
            Some(token) if token.length() == 0 => return Ok(JsValue::NULL),
            Some(_) => {}
        }
        let execution = get(&answer, "workflowExecution");
        let activity_type = get(&answer, "activityType");
        let started_event_id = get(&answer, "startedEventId");
        if !started_event_id.as_f64().is_some_and(|n| n.fract() == 0.0) {
            return Err("startedEventId is missing or not a whole number".into());
        }
        let mut fields = vec![
            ("taskToken", task_token),
            ("activityId", text(&answer, "activityId", "activityId")?),
            ("startedEventId", started_event_id),
            (
                "workflowExecution",
                object(&[
                    (
                        "workflowId",
                        text(&execution, "workflowId", "workflowExecution.workflowId")?,
                    ),
                    (
                        "runId",
                        text(&execution, "runId", "workflowExecution.runId")?,
                    ),
                ]),
            ),
            (
                "activityType",
                object(&[
                    ("name", text(&activity_type, "name", "activityType.name")?),
                    (
                        "version",
                        text(&activity_type, "version", "activityType.version")?,
                    ),
                ]),
            ),
        ];
        let input = get(&answer, "input");
        if input.is_string() {
            fields.push(("input", input));
        } else if !input.is_undefined() && !input.is_null() {
            return Err("input is not a string".into());
        }
        Ok(object(&fields))
    }
}

impl<P: DatePaths> Answer for Passed<P> {
    /// The body as SWF sent it (a JSON object), its timestamps turned into `Date`s.
    fn from_body(body: &JsString) -> Result<JsValue, String> {
        passed(body, P::DATE_PATHS)
    }
}

/// [`Passed`]'s answer, one copy for every path list.
fn passed(body: &JsString, paths: &[&[&str]]) -> Result<JsValue, String> {
    let answer = parse(body)?;
    if !answer.is_object() || js_sys::Array::is_array(&answer) {
        return Err("the body is not a JSON object".into());
    }
    for path in paths {
        dates_at(&answer, path)?;
    }
    Ok(answer)
}

/// Turns the epoch seconds at `path` under `value` into `Date`s in place (`"*"`: each
/// element of an array). Absent members are fine; a timestamp that is not a number is not.
fn dates_at(value: &JsValue, path: &[&str]) -> Result<(), String> {
    let Some((step, rest)) = path.split_first() else {
        return Ok(());
    };
    if *step == "*" {
        let Some(items) = value.dyn_ref::<js_sys::Array>() else {
            return Err("a list in the answer is not an array".into());
        };
        return items.iter().try_for_each(|item| dates_at(&item, rest));
    }
    let member = get(value, step);
    if member.is_undefined() || member.is_null() {
        return Ok(());
    }
    if !rest.is_empty() {
        return dates_at(&member, rest);
    }
    let seconds = member
        .as_f64()
        .ok_or_else(|| format!("{step} is not a number of epoch seconds"))?;
    let date = js_sys::Date::new(&JsValue::from_f64(seconds * 1000.0));
    let _ = Reflect::set(value, &JsValue::from_str(step), &date);
    Ok(())
}

/// The fields of an error body that name and describe the error (all absent when the
/// body is not a JSON object).
fn error_body(body: &JsString) -> ErrorBody {
    let Ok(answer) = parse(body) else {
        return ErrorBody::default();
    };
    ErrorBody::from_fields(|key| get(&answer, key).as_string())
}

/// `JSON.parse(body)` (an empty or all-blank body is `{}`). The body stays in JavaScript:
/// it is never copied into the wasm's memory.
fn parse(body: &JsString) -> Result<JsValue, String> {
    let body = body.trim();
    if body.length() == 0 {
        return Ok(Object::new().into());
    }
    json_parse(&body).map_err(|_| "the body is not JSON".into())
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a string that stays in JavaScript (js-sys's takes a Rust `&str`).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

/// `value[key]` if `value` is an object with that own property (`JSON.parse` makes only
/// own data properties: an inherited one, from a polluted `Object.prototype`, is not
/// SWF's), else `undefined`.
fn get(value: &JsValue, key: &str) -> JsValue {
    let key = JsValue::from_str(key);
    if !value.is_object() || !Object::has_own(value.unchecked_ref::<Object>(), &key) {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &key).unwrap_or(JsValue::UNDEFINED)
}

/// `value[key]`, required to be a string; `label` names it in the message.
fn text(value: &JsValue, key: &str, label: &str) -> Result<JsValue, String> {
    let field = get(value, key);
    if field.is_string() {
        Ok(field)
    } else {
        Err(format!("{label} is missing or not a string"))
    }
}

/// A plain object with `fields`.
pub(crate) fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}
