//! JavaScript values in: plain objects read through `JSON.stringify` + serde_json into
//! the model's structs, with messages that name the field but never echo the value.

use js_sys::Reflect;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;
use crate::json_path;

/// Reads a JavaScript value into `T` through `JSON.stringify` and serde_json.
///
/// JSON, not serde-wasm-bindgen: it sees every key (so unknown options are refused;
/// serde-wasm-bindgen only looks up the fields it knows) and refuses lone surrogates
/// instead of silently replacing them. Messages name the field and the expected type
/// but never echo the value, which may be a secret.
pub fn read_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, Error> {
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
    serde_json::from_str(&json).map_err(|e| {
        let keys = json_path::keys_at(&json, e.column());
        describe_mismatch(&keys, &e.to_string(), value)
    })
}

/// A validation error for a deserialisation failure, without the offending value.
/// `keys` leads to where serde_json stopped: the bad value, the unknown key, or (for a
/// missing field) the object lacking it.
fn describe_mismatch(keys: &[String], reason: &str, root: &JsValue) -> Error {
    let path = keys.join(".");
    if let Some(missing) = between(reason, "missing field `", "`") {
        let field = if path.is_empty() {
            missing.to_owned()
        } else {
            format!("{path}.{missing}")
        };
        return Error::invalid(&field, format!("{field} is required"));
    }
    if path.is_empty() {
        return Error::Validation {
            field: None,
            message: "must be an object".into(),
        };
    }
    if reason.starts_with("unknown field") {
        let allowed = between(reason, "expected ", " at line").unwrap_or("none");
        return Error::invalid(&path, format!("unknown option {path} (allowed: {allowed})"));
    }
    let value = value_at(root, &path);
    if value
        .dyn_ref::<js_sys::JsString>()
        .is_some_and(|s| !s.is_valid_utf16())
    {
        return Error::invalid(
            &path,
            format!("{path} must be well-formed Unicode (it has a lone surrogate)"),
        );
    }
    let expected = between(reason, ", expected ", " at line").unwrap_or("a valid value");
    let got = js_type(&value);
    Error::invalid(&path, format!("{path} must be {expected} (got {got})"))
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
pub fn js_type(value: &JsValue) -> String {
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
