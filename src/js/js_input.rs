//! JavaScript values in: the plain objects callers pass, read key by key with `Reflect`
//! against a table of fields. One small reader serves every action's input (a serde
//! deserializer per type cost the wasm ~25 KB; pkg/read.js's `readFields` reads the
//! constructor's options and a provider's answers by the same rules). Only the object's own enumerable keys
//! (`Object.keys`, as `{ ...value }` sees them) are read: nothing inherited — a polluted
//! `Object.prototype` — can add a field. Unknown keys, wrong types, lone surrogates,
//! strings far over any SWF limit (refused before they are copied into wasm memory) and
//! throwing getters or (revoked) proxies are validation errors whose messages name the
//! field and the expected type but never echo the value, which may be a secret.

use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::{prelude::*, JsCast};

use crate::error::Error;
use crate::swf::text::{concat, join};

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, catching what a proxy's trap throws.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(object: &JsValue) -> Result<Array, JsValue>;

    /// `Array.isArray`, catching the `TypeError` it throws for a revoked proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;

    /// `String.prototype.isWellFormed.call(text)` (ES2024); `Err` where the runtime lacks it.
    #[wasm_bindgen(js_namespace = ["String", "prototype", "isWellFormed"], js_name = call, catch)]
    fn is_well_formed(text: &JsString) -> Result<bool, JsValue>;
}

/// Whether `text` has no lone surrogate: one host call where the runtime has
/// `isWellFormed`, else a walk over its UTF-16 units (one host call each).
fn well_formed(text: &JsString) -> bool {
    is_well_formed(text).unwrap_or_else(|_| text.is_valid_utf16())
}

/// The longest string (in UTF-16 units) that is copied into wasm memory to be checked:
/// twice SWF's largest string limit (32768 characters, each at most 2 UTF-16 units), so
/// no valid value is refused here. A longer one is refused from its `length` alone, before
/// any copy; the exact limit of each field (in code points) is checked by the model.
pub const MAX_TEXT_UNITS: u32 = 2 * 32768;

/// The longest key compared with the field names (longer ones are unknown, not copied).
const MAX_KEY_UNITS: u32 = 64;

/// What a field may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A well-formed string.
    Text,
    /// A finite number.
    Number,
    /// A boolean.
    Flag,
    /// Anything; the caller checks it (nested objects, functions, signals).
    Any,
}

/// One field of a plain object: its name and what it may hold.
pub struct Field(pub &'static str, pub Kind);

/// The fields of one object, read and type-checked; absent, `undefined` and `null`
/// fields are `None`.
pub struct Fields<'a> {
    path: String,
    names: &'a [Field],
    values: Vec<Option<JsValue>>,
}

impl Fields<'_> {
    fn take(&mut self, name: &str) -> Option<JsValue> {
        let index = self.names.iter().position(|f| f.0 == name)?;
        self.values[index].take()
    }

    /// The full name of a field, e.g. `taskList.name`.
    pub fn label(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        }
    }

    /// A field of any kind, as given.
    pub fn any(&mut self, name: &str) -> Option<JsValue> {
        self.take(name)
    }
}

/// Reads `value` as an object with only the keys in `fields`, from its own enumerable
/// properties only; `path` names it in messages (empty for a top-level input).
pub fn read_object<'a>(
    value: &JsValue,
    path: &str,
    fields: &'a [Field],
) -> Result<Fields<'a>, Error> {
    let mut read = Fields {
        path: path.to_owned(),
        names: fields,
        values: Vec::with_capacity(fields.len()),
    };
    let what = if path.is_empty() { "the input" } else { path };
    let unreadable = |label: &str| Error::Validation {
        field: Some(label.to_owned()).filter(|l| !l.is_empty()),
        message: format!(
            "{} could not be read (a getter or proxy threw)",
            if label.is_empty() { what } else { label }
        ),
    };
    if !value.is_object() || is_array(value).map_err(|_| unreadable(path))? {
        let field = (!path.is_empty()).then(|| path.to_owned());
        let message = format!("{what} must be an object (got {})", js_type(value));
        return Err(Error::Validation { field, message });
    }
    // Bit i: fields[i] is an own key (tables have far fewer than 64 fields).
    let mut own = 0u64;
    for key in object_keys(value).map_err(|_| unreadable(path))?.iter() {
        // Object.keys gives strings; a long one is no field name and is not copied.
        let short = key.unchecked_ref::<JsString>().length() <= MAX_KEY_UNITS;
        let name = if short { key.as_string() } else { None };
        match name
            .as_deref()
            .and_then(|name| fields.iter().position(|f| f.0 == name))
        {
            Some(index) => own |= 1 << index,
            None => {
                let label = read.label(name.as_deref().unwrap_or("(a long key)"));
                let allowed: Vec<&str> = fields.iter().map(|f| f.0).collect();
                let message = concat(&[
                    "unknown option ",
                    &label,
                    " (allowed: ",
                    &join(&allowed, ", "),
                    ")",
                ]);
                return Err(Error::invalid(&label, message));
            }
        }
    }
    for (index, Field(name, kind)) in fields.iter().enumerate() {
        let label = read.label(name);
        let raw = if own & (1 << index) != 0 {
            Reflect::get(value, &JsValue::from_str(name)).map_err(|_| unreadable(&label))?
        } else {
            JsValue::UNDEFINED // absent, whatever the prototype chain holds
        };
        let present = !(raw.is_undefined() || raw.is_null());
        read.values.push(if present {
            Some(check(raw, *kind, &label)?)
        } else {
            None
        });
    }
    Ok(read)
}

/// Checks that `value` is of `kind`.
fn check(value: JsValue, kind: Kind, label: &str) -> Result<JsValue, Error> {
    let mismatch = |expected: &str| {
        let got = js_type(&value);
        Error::invalid(label, format!("{label} must be {expected} (got {got})"))
    };
    match kind {
        Kind::Text => match value.dyn_ref::<JsString>() {
            None => return Err(mismatch("a string")),
            Some(s) if s.length() > MAX_TEXT_UNITS => {
                return Err(Error::invalid(
                    label,
                    format!("{label} is far over every SWF limit (32768 characters)"),
                ))
            }
            Some(s) if !well_formed(s) => {
                return Err(Error::invalid(
                    label,
                    format!("{label} must be well-formed Unicode (it has a lone surrogate)"),
                ))
            }
            Some(_) => {}
        },
        Kind::Number if !value.as_f64().is_some_and(f64::is_finite) => {
            return Err(mismatch("a finite number"))
        }
        Kind::Flag if value.as_bool().is_none() => return Err(mismatch("a boolean")),
        _ => {}
    }
    Ok(value)
}

/// A short description of a JavaScript value's type.
pub fn js_type(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if is_array(value).unwrap_or(false) {
        "an array".into()
    } else {
        value
            .js_typeof()
            .as_string()
            .unwrap_or_else(|| "unknown".into())
    }
}
