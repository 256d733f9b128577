//! The JavaScript API: `WasmClient`, wrapped by the package's `SwfClient` (pkg/core.js).
//!
//! Every method goes through [`Shared::call`]: read the input → validate → build → sign →
//! fetch → parse, and every failure becomes one plain error record ([`error_record`])
//! that the JavaScript side turns into an `SwfError` subclass.

use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::future_to_promise;

use crate::endpoint::{self, Endpoint, EndpointConfig};
use crate::error::{parse_service_error, Error};
use crate::model::{
    Operation, RecordActivityTaskHeartbeatInput, RespondActivityTaskCanceledInput,
    RespondActivityTaskCompletedInput, RespondActivityTaskFailedInput,
};
use crate::request;
use crate::sign::{self, Credentials};
use crate::transport;

/// `new SwfClient(options)`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientOptions {
    region: String,
    credentials: CredentialOptions,
    endpoint: Option<String>,
    #[serde(default)]
    use_fips_endpoint: bool,
    #[serde(default)]
    allow_insecure_endpoint: bool,
}

/// `options.credentials`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CredentialOptions {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

/// A configured SWF client (the wasm half of `SwfClient`).
#[wasm_bindgen]
pub struct WasmClient {
    shared: Rc<Shared>,
}

/// What every call needs; shared with the futures of calls in flight.
struct Shared {
    endpoint: Endpoint,
    credentials: Credentials,
}

#[wasm_bindgen]
impl WasmClient {
    /// Checks the options; throws an error record when they are invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WasmClient, JsValue> {
        Self::from_options(&options).map_err(|e| error_record(&e, &[]))
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

    /// The access key id in use (not a secret).
    #[wasm_bindgen(getter, js_name = accessKeyId)]
    pub fn access_key_id(&self) -> String {
        self.shared.credentials.access_key_id().to_owned()
    }

    /// `RespondActivityTaskCanceled`: resolves `undefined`, rejects with an error record.
    #[wasm_bindgen(js_name = respondActivityTaskCanceled)]
    pub fn respond_activity_task_canceled(&self, input: JsValue) -> Promise {
        self.call::<RespondActivityTaskCanceledInput>(input)
    }

    /// `RecordActivityTaskHeartbeat`: resolves `{ cancelRequested }`.
    #[wasm_bindgen(js_name = recordActivityTaskHeartbeat)]
    pub fn record_activity_task_heartbeat(&self, input: JsValue) -> Promise {
        self.call::<RecordActivityTaskHeartbeatInput>(input)
    }

    /// `RespondActivityTaskCompleted`: resolves `undefined`.
    #[wasm_bindgen(js_name = respondActivityTaskCompleted)]
    pub fn respond_activity_task_completed(&self, input: JsValue) -> Promise {
        self.call::<RespondActivityTaskCompletedInput>(input)
    }

    /// `RespondActivityTaskFailed`: resolves `undefined`.
    #[wasm_bindgen(js_name = respondActivityTaskFailed)]
    pub fn respond_activity_task_failed(&self, input: JsValue) -> Promise {
        self.call::<RespondActivityTaskFailedInput>(input)
    }
}

impl WasmClient {
    fn from_options(options: &JsValue) -> Result<Self, Error> {
        let options: ClientOptions =
            read_js(options).map_err(|e| e.prefixed("SwfClient options"))?;
        let endpoint = endpoint::resolve(&EndpointConfig {
            region: &options.region,
            endpoint: options.endpoint.as_deref(),
            use_fips: options.use_fips_endpoint,
            allow_insecure: options.allow_insecure_endpoint,
        })?;
        let c = &options.credentials;
        let credentials = Credentials::new(
            &c.access_key_id,
            &c.secret_access_key,
            c.session_token.as_deref(),
        )?;
        Ok(WasmClient {
            shared: Rc::new(Shared {
                endpoint,
                credentials,
            }),
        })
    }

    /// Runs operation `O` with a JavaScript input, as a promise.
    fn call<O: Operation + 'static>(&self, input: JsValue) -> Promise {
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            match shared.call::<O>(&input).await {
                Ok(output) => to_js(&output),
                Err(e) => Err(error_record(&e, &shared.secrets())),
            }
        })
    }
}

impl Shared {
    async fn call<O: Operation>(&self, input: &JsValue) -> Result<O::Output, Error> {
        let input: O = read_js(input).map_err(|e| e.prefixed(O::NAME))?;
        let mut request =
            request::build(&self.endpoint, &input).map_err(|e| e.prefixed(O::NAME))?;
        sign::sign(
            &mut request,
            &self.credentials,
            &self.endpoint.region,
            transport::now(),
        )?;
        let response = transport::send(&request).await?;
        if response.is_success() {
            return request::parse_output::<O>(&response.body);
        }
        Err(Error::Service(parse_service_error(
            response.status,
            response.error_type.as_deref(),
            response.request_id,
            &response.body,
        )))
    }

    /// The strings that must never be shown: secret key, session token.
    fn secrets(&self) -> Vec<String> {
        self.credentials.secrets().map(str::to_owned).collect()
    }
}

/// Reads a JavaScript value into `T` through `JSON.stringify` and serde_json.
///
/// JSON, not serde-wasm-bindgen: it sees every key (so unknown options are refused;
/// serde-wasm-bindgen only looks up the fields it knows) and refuses lone surrogates
/// instead of silently replacing them. Messages name the field and the expected type
/// but never echo the value, which may be a secret.
fn read_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, Error> {
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(Error::Validation {
            field: None,
            message: format!("must be an object (got {})", js_type(value)),
        });
    }
    let json = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::Validation {
            field: None,
            message: "must be plain data (JSON.stringify failed on it)".into(),
        })?;
    let mut deserializer = serde_json::Deserializer::from_str(&json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        describe_mismatch(
            (path != ".").then_some(path.as_str()),
            &e.inner().to_string(),
            value,
        )
    })
}

/// A validation error for a deserialisation failure at `path`, without the offending value.
fn describe_mismatch(path: Option<&str>, reason: &str, root: &JsValue) -> Error {
    if let Some(missing) = between(reason, "missing field `", "`") {
        let field = path.map_or_else(|| missing.to_owned(), |p| format!("{p}.{missing}"));
        return Error::invalid(&field, format!("{field} is required"));
    }
    let Some(field) = path else {
        return Error::Validation {
            field: None,
            message: "must be an object".into(),
        };
    };
    if reason.starts_with("unknown field") {
        let allowed = between(reason, "expected ", " at line").unwrap_or("none");
        return Error::invalid(
            field,
            format!("unknown option {field} (allowed: {allowed})"),
        );
    }
    let value = value_at(root, field);
    if value
        .dyn_ref::<js_sys::JsString>()
        .is_some_and(|s| !s.is_valid_utf16())
    {
        return Error::invalid(
            field,
            format!("{field} must be well-formed Unicode (it has a lone surrogate)"),
        );
    }
    let expected = between(reason, ", expected ", " at line").unwrap_or("a valid value");
    let got = js_type(&value);
    Error::invalid(field, format!("{field} must be {expected} (got {got})"))
}

/// The text of `s` between `start` and the next `end`.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The value at a dotted path like `credentials.accessKeyId` (undefined when absent).
fn value_at(root: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(root.clone(), |v, key| {
        if v.is_object() {
            Reflect::get(&v, &key.into()).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    })
}

/// A short description of a JavaScript value's type.
fn js_type(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if js_sys::Array::is_array(value) {
        "an array".into()
    } else {
        value
            .js_typeof()
            .as_string()
            .unwrap_or_else(|| "unknown".into())
    }
}

/// An output as a JavaScript value, through JSON (`Empty` becomes `undefined`).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let fail = |message: String| error_record(&Error::Transport { message }, &[]);
    let json = serde_json::to_string(value).map_err(|e| fail(e.to_string()))?;
    if json == "null" {
        return Ok(JsValue::UNDEFINED);
    }
    js_sys::JSON::parse(&json).map_err(|_| fail("could not convert the answer".into()))
}

/// The plain record `{ kind, name, message, statusCode?, requestId?, retryable, field? }`
/// that pkg/core.js turns into an error object. Secrets are cut out of the message.
fn error_record(error: &Error, secrets: &[String]) -> JsValue {
    let record = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&record, &key.into(), &value);
    };
    let (kind, name) = match error {
        Error::Validation { field, .. } => {
            if let Some(field) = field {
                set("field", field.into());
            }
            ("validation", "ValidationError")
        }
        Error::Service(e) => {
            set("statusCode", e.status.into());
            if let Some(id) = &e.request_id {
                set("requestId", id.into());
            }
            ("service", e.name.as_str())
        }
        Error::Transport { .. } => ("transport", "TransportError"),
    };
    let message = match error {
        Error::Service(e) => e.message.clone(),
        other => other.to_string(),
    };
    set("kind", kind.into());
    set("name", name.into());
    set("message", redact(message, secrets).into());
    set("retryable", error.retryable().into());
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
