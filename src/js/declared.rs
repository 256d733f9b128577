//! A declared action's input, as pkg/read.js's `readInput` has read it, into its
//! [`Fields`]; and the description of each table that `readInput` reads by.
//!
//! pkg/read.js reads the caller's object by the rules every plain argument of the package
//! is read by (own enumerable keys only, unknown keys, types, lone surrogates, strings far
//! over every limit, throwing getters and proxies; whole numbers and timestamps as epoch
//! seconds) and passes an array in table order: a string, a number or a boolean per
//! member, a nested array per object member, `undefined` when absent. What is left, the
//! model's own checks (required members, limits, rules), is [`crate::shape::validate`]'s,
//! as for the native reader.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::shape::{Fields, Member, Ty, Value};

/// `values` (pkg/read.js's reading of an input, see the module doc) as the [`Fields`]
/// of `members`. Whatever else it holds reads as empty or zero: only the package calls it.
pub(crate) fn fields_from(values: &JsValue, members: &[Member]) -> Fields {
    let values: &Array = values.unchecked_ref();
    let mut fields = Vec::with_capacity(members.len());
    for (index, member) in members.iter().enumerate() {
        let raw = values.get(index as u32);
        fields.push((!raw.is_undefined()).then(|| match member.ty {
            Ty::Text { .. } | Ty::Enum(_) => Value::Text(raw.as_string().unwrap_or_default()),
            Ty::Int { .. } => Value::Int(raw.as_f64().unwrap_or_default() as i64),
            Ty::Time => Value::Time(raw.as_f64().unwrap_or_default() as i64),
            Ty::Flag => Value::Flag(raw.as_bool().unwrap_or_default()),
            Ty::Struct(nested) => Value::Struct(fields_from(&raw, nested)),
        }));
    }
    fields
}

/// The table pkg/read.js reads by: each member's name and kind (`s` a string, `i` a whole
/// number, `b` a boolean, `t` a timestamp), an object member as its name and its members
/// in braces, separated by commas: `domain s,typeFilter{name s,version s}`.
pub(crate) fn describe(members: &[Member], out: &mut String) {
    for (index, member) in members.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(member.name);
        match member.ty {
            Ty::Struct(nested) => {
                out.push('{');
                describe(nested, out);
                out.push('}');
            }
            ty => out.push_str(match ty {
                Ty::Int { .. } => " i",
                Ty::Flag => " b",
                Ty::Time => " t",
                _ => " s",
            }),
        }
    }
}
