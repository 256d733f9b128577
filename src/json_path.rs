//! Which field a serde_json error is about, found from the error's position in the JSON
//! text: a few dozen lines instead of `serde_path_to_error`, which doubled the size of
//! every deserializer in the wasm.

/// The keys leading to the byte `offset` of `json` (one per open object, the key being
/// read or last read in it), e.g. `["credentials", "accessKeyId"]`.
pub fn keys_at(json: &str, offset: usize) -> Vec<String> {
    let bytes = json.as_bytes();
    let end = offset.min(bytes.len());
    // Per open container: the last key read in it (arrays have none).
    let mut frames: Vec<Option<String>> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' | b'[' => frames.push(None),
            b'}' | b']' => {
                frames.pop();
            }
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let text = &json[start..i.min(json.len())];
                // A string followed by ':' is a key of the innermost object.
                let mut j = i + 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < bytes.len() && bytes[j] == b':' {
                    if let Some(frame) = frames.last_mut() {
                        *frame = Some(text.to_owned());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    frames.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        region: Option<String>,
        credentials: Option<Inner>,
        list: Option<Vec<u32>>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        access_key_id: String,
    }

    /// The keys at the position serde_json reports for `json`'s error.
    fn keys_of_error(json: &str) -> Vec<String> {
        let e = serde_json::from_str::<Outer>(json).unwrap_err();
        keys_at(json, e.column())
    }

    #[test]
    fn a_wrong_type_points_at_its_key() {
        assert_eq!(keys_of_error(r#"{"region":5}"#), ["region"]);
        assert_eq!(
            keys_of_error(r#"{"region":"x","credentials":{"accessKeyId":5}}"#),
            ["credentials", "accessKeyId"]
        );
        assert_eq!(
            keys_of_error(r#"{"credentials":{"accessKeyId":"a"},"region":true}"#),
            ["region"]
        );
        assert_eq!(keys_of_error(r#"{"list":[1,2,"x"]}"#), ["list"]);
    }

    #[test]
    fn missing_and_unknown_fields_point_into_their_object() {
        assert_eq!(
            keys_of_error(r#"{"region":"x","credentials":{}}"#),
            ["region", "credentials"][1..].to_vec()
        );
        assert_eq!(
            keys_of_error(r#"{"credentials":{"extra":1}}"#),
            ["credentials", "extra"]
        );
        assert_eq!(keys_of_error(r#"{"regoin":"x"}"#), ["regoin"]);
    }

    #[test]
    fn strings_with_quotes_braces_and_colons_do_not_confuse_it() {
        assert_eq!(
            keys_of_error(r#"{"region":"a\"}{:","credentials":{"accessKeyId":[]}}"#),
            ["credentials", "accessKeyId"]
        );
        assert_eq!(keys_at(r#"{"a":"é中😀","b":1}"#, 100), Vec::<String>::new());
    }
}
