//! Request bodies out: a JSON object writer for the model's fields. SWF's inputs are
//! objects of strings, integers and flags (some nest objects), so this replaces `serde_json`,
//! which cost the wasm ~30 KB; the output is byte for byte what `serde_json` writes
//! (checked natively by property tests).

/// A JSON object being written; [`JsonObject::finish`] closes it.
pub struct JsonObject {
    text: String,
    empty: bool,
}

impl Default for JsonObject {
    fn default() -> Self {
        JsonObject {
            text: String::from("{"),
            empty: true,
        }
    }
}

impl JsonObject {
    /// Writes `"key":"value"`.
    pub fn string(&mut self, key: &str, value: &str) -> &mut Self {
        self.key(key);
        push_string(&mut self.text, value);
        self
    }

    /// Writes `"key":"value"` when there is a value.
    pub fn optional(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.string(key, value);
        }
        self
    }

    /// Writes `"key":123` (integers are all SWF's inputs hold besides strings and flags).
    pub fn integer(&mut self, key: &str, value: i64) -> &mut Self {
        self.key(key);
        crate::swf::text::push_int(&mut self.text, value);
        self
    }

    /// Writes `"key":true` or `"key":false`.
    pub fn flag(&mut self, key: &str, value: bool) -> &mut Self {
        self.key(key);
        self.text.push_str(if value { "true" } else { "false" });
        self
    }

    /// Writes `"key":{…}` with the fields `write` adds.
    pub fn object(&mut self, key: &str, write: impl FnOnce(&mut JsonObject)) -> &mut Self {
        self.key(key);
        let mut inner = JsonObject::default();
        write(&mut inner);
        self.text.push_str(&inner.finish());
        self
    }

    /// The finished object's text.
    pub fn finish(mut self) -> String {
        self.text.push('}');
        self.text
    }

    fn key(&mut self, key: &str) {
        if !self.empty {
            self.text.push(',');
        }
        self.empty = false;
        push_string(&mut self.text, key);
        self.text.push(':');
    }
}

/// Appends `value` as a JSON string, escaped as `serde_json` escapes it.
fn push_string(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(value.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, byte) in value.bytes().enumerate() {
        let escaped: &str = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&value[start..i]);
        if escaped.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escaped);
        }
        start = i + 1;
    }
    out.push_str(&value[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_objects_and_skips_absent_fields() {
        let mut json = JsonObject::default();
        json.string("a", "x")
            .optional("b", None)
            .object("c", |c| {
                c.string("name", "n");
            })
            .optional("d", Some(""))
            .integer("e", -17)
            .flag("f", true)
            .flag("g", false);
        assert_eq!(
            json.finish(),
            r#"{"a":"x","c":{"name":"n"},"d":"","e":-17,"f":true,"g":false}"#
        );
        assert_eq!(JsonObject::default().finish(), "{}");
    }

    #[test]
    fn escapes_like_serde_json() {
        let all: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain(['é', '\u{2028}', '😀', '\u{7f}'])
            .collect();
        let mut json = JsonObject::default();
        json.string("k\"", &all);
        let expected = format!("{{\"k\\\"\":{}}}", serde_json::to_string(&all).unwrap());
        assert_eq!(json.finish(), expected);
    }
}
