//! Actions as declarations: an action's input is a table of [`Member`]s (name, type,
//! limits, required) plus cross-member [`Rule`]s, and one generic validator and JSON
//! writer serve every table. The tables themselves are in [`crate::actions`]; a native
//! test holds them against botocore's `service-2.json`.
//!
//! A value read from a caller is a [`Fields`] list, one slot per member of its table, in
//! table order (`None`: absent). Readers fill it (the JavaScript one in the wasm, a
//! `serde_json` one natively); [`validate`] checks it; [`write`] sends it.

use crate::error::Error;
use crate::json::JsonObject;
use crate::model::check_length;
use crate::swf::text::{concat, int, join};

/// What a member may hold, with SWF's limits for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A string of `min..=max` characters (Unicode code points).
    Text {
        /// Fewest characters.
        min: usize,
        /// Most characters.
        max: usize,
    },
    /// A string that must be one of these values.
    Enum(&'static [&'static str]),
    /// A whole number in `min..=max`.
    Int {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// A boolean.
    Flag,
    /// A point in time, sent as whole epoch seconds (as SDK v3 sends awsJson1_0
    /// timestamps: `Math.round(date.getTime() / 1000)`).
    Time,
    /// A nested object with these members.
    Struct(&'static [Member]),
}

/// One member of an input shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// Its JSON name (lowerCamel, as in SWF's model).
    pub name: &'static str,
    /// What it holds.
    pub ty: Ty,
    /// Whether SWF requires it.
    pub required: bool,
}

impl Member {
    /// An optional string of `min..=max` characters.
    pub const fn text(name: &'static str, min: usize, max: usize) -> Self {
        Self::new(name, Ty::Text { min, max })
    }

    /// An optional string from a fixed set.
    pub const fn one_of(name: &'static str, values: &'static [&'static str]) -> Self {
        Self::new(name, Ty::Enum(values))
    }

    /// An optional whole number in `min..=max`.
    pub const fn int(name: &'static str, min: i64, max: i64) -> Self {
        Self::new(name, Ty::Int { min, max })
    }

    /// An optional boolean.
    pub const fn flag(name: &'static str) -> Self {
        Self::new(name, Ty::Flag)
    }

    /// An optional timestamp.
    pub const fn time(name: &'static str) -> Self {
        Self::new(name, Ty::Time)
    }

    /// An optional nested object.
    pub const fn object(name: &'static str, members: &'static [Member]) -> Self {
        Self::new(name, Ty::Struct(members))
    }

    /// The same member, required.
    pub const fn required(self) -> Self {
        Member {
            required: true,
            ..self
        }
    }

    const fn new(name: &'static str, ty: Ty) -> Self {
        Member {
            name,
            ty,
            required: false,
        }
    }
}

/// A rule across the top-level members of an input (SWF's own, checked before sending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// At most one of these members may be given.
    AtMostOne(&'static [&'static str]),
    /// Exactly one of these members must be given.
    ExactlyOne(&'static [&'static str]),
}

/// An action's input: its members and the rules across them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The members, in the order they are written.
    pub members: &'static [Member],
    /// Rules across members.
    pub rules: &'static [Rule],
}

/// A member's value, as read from a caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string (for [`Ty::Text`] and [`Ty::Enum`]).
    Text(String),
    /// A whole number.
    Int(i64),
    /// A boolean.
    Flag(bool),
    /// Whole epoch seconds.
    Time(i64),
    /// A nested object's fields.
    Struct(Fields),
}

/// One slot per member of a table, in table order; `None` when absent.
pub type Fields = Vec<Option<Value>>;

/// One declared action: what the tests and the bindings know about it.
#[derive(Debug, Clone, Copy)]
pub struct Declaration {
    /// The action name.
    pub name: &'static str,
    /// Its input.
    pub shape: &'static Shape,
}

/// An input declared as a table: what the one reader, validator and writer follow.
pub trait Declared {
    /// The input's table.
    const SHAPE: &'static Shape;
}

/// A declared input that is its fields (the operator actions' newtypes).
pub trait FromFields {
    /// Wraps fields read for the input's table.
    fn from_fields(fields: Fields) -> Self;
}

/// Checks `fields` against `shape`: required members, every limit, then the rules.
pub fn validate(shape: &Shape, fields: &[Option<Value>]) -> Result<(), Error> {
    check_members(shape.members, fields, "")?;
    check_rules(shape, fields)
}

/// Checks `shape`'s rules (SWF's "only one of" and "exactly one of").
pub fn check_rules(shape: &Shape, fields: &[Option<Value>]) -> Result<(), Error> {
    for rule in shape.rules {
        let (Rule::AtMostOne(names) | Rule::ExactlyOne(names)) = *rule;
        let exactly = matches!(rule, Rule::ExactlyOne(_));
        let mut given = names.iter().filter(|name| {
            let index = shape.members.iter().position(|m| m.name == **name);
            index
                .and_then(|i| fields.get(i))
                .is_some_and(Option::is_some)
        });
        let what = if exactly { "exactly" } else { "at most" };
        let list = join(names, ", ");
        let (field, message) = match (given.next(), given.next()) {
            (None, _) if exactly => (
                names[0],
                concat(&["exactly one of ", &list, " is required (got none)"]),
            ),
            (Some(first), Some(second)) => (
                *second,
                concat(&[
                    what,
                    " one of ",
                    &list,
                    " may be given (got ",
                    first,
                    " and ",
                    second,
                    ")",
                ]),
            ),
            _ => continue,
        };
        return Err(Error::invalid(field, message));
    }
    Ok(())
}

/// `path.name`, or `name` at the top.
pub fn label(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        concat(&[path, ".", name])
    }
}

/// The error for a required member that is absent.
pub fn missing(label: &str) -> Error {
    Error::invalid(label, concat(&[label, " is required"]))
}

fn check_members(members: &[Member], fields: &[Option<Value>], path: &str) -> Result<(), Error> {
    for (i, member) in members.iter().enumerate() {
        let label = label(path, member.name);
        match (fields.get(i).and_then(Option::as_ref), member.ty) {
            (None, _) if member.required => return Err(missing(&label)),
            (None, _) => {}
            (Some(Value::Struct(inner)), Ty::Struct(nested)) => {
                check_members(nested, inner, &label)?
            }
            (Some(value), ty) => check_scalar(ty, value, &label)?,
        }
    }
    Ok(())
}

/// Checks one value that is not an object against its type's limits (`label` names it).
pub fn check_scalar(ty: Ty, value: &Value, label: &str) -> Result<(), Error> {
    let message = match (ty, value) {
        (Ty::Text { min, max }, Value::Text(text)) => return check_length(label, text, min, max),
        (Ty::Enum(values), Value::Text(text)) if values.contains(&text.as_str()) => return Ok(()),
        (Ty::Enum(values), Value::Text(_)) => concat(&["must be one of ", &join(values, ", ")]),
        (Ty::Int { min, max }, Value::Int(n)) if (min..=max).contains(n) => return Ok(()),
        (Ty::Int { min, max }, Value::Int(n)) => concat(&[
            "must be from ",
            &int(min),
            " to ",
            &int(max),
            " (got ",
            &int(*n),
            ")",
        ]),
        (Ty::Flag, Value::Flag(_)) | (Ty::Time, Value::Time(_)) => return Ok(()),
        _ => "has the wrong type".to_owned(),
    };
    Err(Error::invalid(label, concat(&[label, " ", &message])))
}

/// Writes `fields` (already validated) as the members of a JSON object, in table order.
pub fn write(members: &[Member], fields: &[Option<Value>], json: &mut JsonObject) {
    for (member, value) in members.iter().zip(fields) {
        match (value, member.ty) {
            (None, _) => {}
            (Some(Value::Text(text)), _) => {
                json.string(member.name, text);
            }
            (Some(Value::Int(n) | Value::Time(n)), _) => {
                json.integer(member.name, *n);
            }
            (Some(Value::Flag(flag)), _) => {
                json.flag(member.name, *flag);
            }
            (Some(Value::Struct(inner)), Ty::Struct(nested)) => {
                json.object(member.name, |object| write(nested, inner, object));
            }
            (Some(Value::Struct(_)), _) => {}
        }
    }
}

/// Epoch seconds as SDK v3 sends a `Date` (`Math.round(ms / 1000)`), or `None` when the
/// time is not a valid JavaScript date (NaN, infinite, beyond ±8.64e15 ms).
pub fn seconds_from_ms(ms: f64) -> Option<i64> {
    const MAX_MS: f64 = 8.64e15;
    (ms.is_finite() && ms.abs() <= MAX_MS).then(|| (ms / 1000.0 + 0.5).floor() as i64)
}

/// Epoch seconds given as a number, rounded like [`seconds_from_ms`].
pub fn seconds_from_number(seconds: f64) -> Option<i64> {
    seconds_from_ms(seconds * 1000.0)
}

/// Reads `value` as an object of `members` (native reader: the wasm has its own, over
/// JavaScript values). Types are checked here; limits and rules by [`validate`].
#[cfg(not(target_arch = "wasm32"))]
pub fn from_json(
    members: &[Member],
    value: &serde_json::Value,
    path: &str,
) -> Result<Fields, Error> {
    let object = value.as_object().ok_or_else(|| {
        let what = if path.is_empty() { "the input" } else { path };
        Error::Validation {
            field: (!path.is_empty()).then(|| path.to_owned()),
            message: format!("{what} must be an object"),
        }
    })?;
    if let Some(unknown) = object
        .keys()
        .find(|k| !members.iter().any(|m| m.name == *k))
    {
        let label = label(path, unknown);
        return Err(Error::invalid(&label, format!("unknown option {label}")));
    }
    members
        .iter()
        .map(|member| {
            let label = label(path, member.name);
            let wrong = |what: &str| Error::invalid(&label, format!("{label} must be {what}"));
            let value = match object.get(member.name) {
                None | Some(serde_json::Value::Null) if member.required => {
                    return Err(missing(&label))
                }
                None | Some(serde_json::Value::Null) => return Ok(None),
                Some(value) => value,
            };
            Ok(Some(match member.ty {
                Ty::Text { .. } | Ty::Enum(_) => {
                    Value::Text(value.as_str().ok_or_else(|| wrong("a string"))?.to_owned())
                }
                Ty::Int { .. } => {
                    Value::Int(value.as_i64().ok_or_else(|| wrong("a whole number"))?)
                }
                Ty::Flag => Value::Flag(value.as_bool().ok_or_else(|| wrong("a boolean"))?),
                Ty::Time => Value::Time(
                    value
                        .as_f64()
                        .and_then(seconds_from_number)
                        .ok_or_else(|| wrong("epoch seconds"))?,
                ),
                Ty::Struct(nested) => Value::Struct(from_json(nested, value, &label)?),
            }))
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const INNER: &[Member] = &[
        Member::time("oldestDate").required(),
        Member::time("latestDate"),
    ];
    const MEMBERS: &[Member] = &[
        Member::text("domain", 1, 256).required(),
        Member::object("window", INNER),
        Member::object("other", INNER),
        Member::one_of("status", &["OPEN", "CLOSED"]),
        Member::int("size", 0, 1000),
        Member::flag("reverse"),
    ];
    const SHAPE: Shape = Shape {
        members: MEMBERS,
        rules: &[Rule::ExactlyOne(&["window", "other"])],
    };

    fn read(json: &str) -> Result<Fields, Error> {
        let fields = from_json(MEMBERS, &serde_json::from_str(json).unwrap(), "")?;
        validate(&SHAPE, &fields).map(|()| fields)
    }

    fn field_of(result: Result<Fields, Error>) -> String {
        match result {
            Err(Error::Validation { field, .. }) => field.unwrap_or_default(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    fn written(fields: &[Option<Value>]) -> String {
        let mut json = JsonObject::default();
        write(MEMBERS, fields, &mut json);
        json.finish()
    }

    #[test]
    fn writes_members_in_table_order_and_skips_absent_ones() {
        let fields = read(
            r#"{"reverse":true,"size":7,"window":{"latestDate":1.6,"oldestDate":1700000000.4},"domain":"d","status":"OPEN"}"#,
        )
        .unwrap();
        assert_eq!(
            written(&fields),
            r#"{"domain":"d","window":{"oldestDate":1700000000,"latestDate":2},"status":"OPEN","size":7,"reverse":true}"#
        );
    }

    #[test]
    fn limits_enums_ranges_and_nested_required_members() {
        assert_eq!(field_of(read(r#"{"window":{"oldestDate":1}}"#)), "domain");
        assert_eq!(
            field_of(read(r#"{"domain":"","window":{"oldestDate":1}}"#)),
            "domain"
        );
        assert_eq!(
            field_of(read(r#"{"domain":"d","window":{}}"#)),
            "window.oldestDate"
        );
        let status = read(r#"{"domain":"d","window":{"oldestDate":1},"status":"open"}"#);
        assert_eq!(field_of(status), "status");
        let size = read(r#"{"domain":"d","window":{"oldestDate":1},"size":1001}"#);
        assert_eq!(field_of(size), "size");
        assert!(read(r#"{"domain":"d","window":{"oldestDate":1},"size":1000}"#).is_ok());
        let unknown = read(r#"{"domain":"d","window":{"oldestDate":1,"x":1}}"#);
        assert_eq!(field_of(unknown), "window.x");
    }

    #[test]
    fn exactly_one_and_at_most_one() {
        let none = read(r#"{"domain":"d"}"#);
        assert_eq!(field_of(none), "window");
        let both = read(r#"{"domain":"d","window":{"oldestDate":1},"other":{"oldestDate":1}}"#);
        assert_eq!(field_of(both), "other");
        let at_most = Shape {
            members: MEMBERS,
            rules: &[Rule::AtMostOne(&["window", "other"])],
        };
        let fields = from_json(MEMBERS, &serde_json::json!({"domain": "d"}), "").unwrap();
        assert!(validate(&at_most, &fields).is_ok());
        let message = match validate(&SHAPE, &fields) {
            Err(e) => e.to_string(),
            Ok(()) => String::new(),
        };
        assert_eq!(
            message,
            "exactly one of window, other is required (got none)"
        );
    }

    #[test]
    fn seconds_round_like_sdk_v3() {
        assert_eq!(seconds_from_ms(1_700_000_000_499.0), Some(1_700_000_000));
        assert_eq!(seconds_from_ms(1_700_000_000_500.0), Some(1_700_000_001));
        assert_eq!(seconds_from_ms(-1_500.0), Some(-1)); // Math.round(-1.5) is -1
        assert_eq!(seconds_from_ms(f64::NAN), None);
        assert_eq!(seconds_from_ms(8.64e15 + 1.0), None);
        assert_eq!(seconds_from_number(1.5), Some(2));
    }
}
