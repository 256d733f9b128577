//! JavaScript values into a declared action's [`Fields`]: one reader for every table in
//! [`crate::actions`], on top of [`crate::js_input::read_object`] (unknown keys, types,
//! lone surrogates, throwing getters), checking each value with the model's own
//! [`check_scalar`] as it goes. Timestamps accept a `Date` or epoch seconds.

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::js_input::{js_type, read_object, Field, Kind};
use crate::shape::{
    check_scalar, missing, seconds_from_ms, seconds_from_number, Fields, Member, Ty, Value,
};

#[wasm_bindgen]
extern "C" {
    /// `Date.prototype.getTime.call(value)`: the time of a real `Date` (from any realm),
    /// `Err` for anything else (a look-alike object, a proxy, a subclass's override).
    #[wasm_bindgen(js_namespace = ["Date", "prototype", "getTime"], js_name = call, catch)]
    fn date_time(value: &JsValue) -> Result<f64, JsValue>;
}

/// Reads `value` as an object of `members` and checks it: types, required members (all
/// of a level before its values), then each value's limits, in table order. `path` names
/// it in messages (empty at the top). What is left is the shape's rules
/// ([`crate::shape::check_rules`]).
pub(crate) fn read_fields(
    value: &JsValue,
    path: &str,
    members: &[Member],
) -> Result<Fields, Error> {
    let table: Vec<Field> = members
        .iter()
        .map(|m| Field(m.name, kind_of(m.ty)))
        .collect();
    let mut read = read_object(value, path, &table)?;
    let mut raw = Vec::with_capacity(members.len());
    for member in members {
        let value = read.any(member.name);
        if member.required && value.is_none() {
            return Err(missing(&read.label(member.name)));
        }
        raw.push(value);
    }
    let mut fields = Vec::with_capacity(members.len());
    for (member, value) in members.iter().zip(raw) {
        fields.push(match value {
            None => None,
            Some(value) => Some(convert(member.ty, &value, &read.label(member.name))?),
        });
    }
    Ok(fields)
}

/// What `read_object` checks for each type (the rest is checked by [`convert`]).
fn kind_of(ty: Ty) -> Kind {
    match ty {
        Ty::Text { .. } | Ty::Enum(_) => Kind::Text,
        Ty::Int { .. } => Kind::Number,
        Ty::Flag => Kind::Flag,
        Ty::Time | Ty::Struct(_) => Kind::Any,
    }
}

/// `raw` as a value of type `ty`, checked against its limits.
fn convert(ty: Ty, raw: &JsValue, label: &str) -> Result<Value, Error> {
    let wrong = |what: &str| {
        let got = js_type(raw);
        Error::invalid(label, format!("{label} must be {what} (got {got})"))
    };
    let value = match ty {
        Ty::Text { .. } | Ty::Enum(_) => Value::Text(raw.as_string().unwrap_or_default()),
        Ty::Int { .. } => {
            let n = raw.as_f64().unwrap_or(f64::NAN);
            // Beyond 2^53 a number is not a whole number JavaScript can hold exactly.
            if n.fract() != 0.0 || n.abs() > 9_007_199_254_740_991.0 {
                return Err(wrong("a whole number"));
            }
            Value::Int(n as i64)
        }
        Ty::Flag => Value::Flag(raw.as_bool().unwrap_or_default()),
        Ty::Time => {
            let seconds = match date_time(raw) {
                Ok(ms) => seconds_from_ms(ms).ok_or_else(|| wrong("a valid Date"))?,
                Err(_) => match raw.as_f64() {
                    Some(n) => {
                        seconds_from_number(n).ok_or_else(|| wrong("finite epoch seconds"))?
                    }
                    None => return Err(wrong("a Date or epoch seconds")),
                },
            };
            Value::Time(seconds)
        }
        Ty::Struct(members) => return Ok(Value::Struct(read_fields(raw, label, members)?)),
    };
    check_scalar(ty, &value, label).map(|()| value)
}
