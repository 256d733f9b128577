//! SWF's JSON 1.0 wire format: an input becomes `POST /` with a JSON body and the
//! `X-Amz-Target` header; a success body becomes the action's output.

use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::json::JsonObject;
use crate::model::Operation;
use crate::shape::{self, Shape, Value};
use crate::swf::text::concat;

/// The content type of every SWF request.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.0";
/// The prefix of `X-Amz-Target`.
pub const TARGET_PREFIX: &str = "SimpleWorkflowService.";

/// An HTTP request ready to sign and send (always `POST`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The full URL (`https://swf.us-east-1.amazonaws.com/`).
    pub url: String,
    /// Header names (lowercase) and values, in the order they are sent.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body.
    pub body: String,
}

impl HttpRequest {
    /// The value of a header, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Validates `input` and builds the unsigned request for it.
pub fn build<O: Operation>(endpoint: &Endpoint, input: &O) -> Result<HttpRequest, Error> {
    input.validate()?;
    let mut body = JsonObject::default();
    input.write_json(&mut body);
    Ok(post(endpoint, O::NAME, body.finish()))
}

/// Validates a declared action's `fields` against its `shape` and builds the unsigned
/// request for action `name` (one non-generic copy for every declared action).
pub fn build_declared(
    endpoint: &Endpoint,
    name: &str,
    shape: &Shape,
    fields: &[Option<Value>],
) -> Result<HttpRequest, Error> {
    shape::validate(shape, fields)?;
    Ok(build_checked(endpoint, name, shape, fields))
}

/// The unsigned request of declared action `name` for `fields` already checked against
/// `shape` (as the wasm's reader does while reading).
pub fn build_checked(
    endpoint: &Endpoint,
    name: &str,
    shape: &Shape,
    fields: &[Option<Value>],
) -> HttpRequest {
    let mut body = JsonObject::default();
    shape::write(shape.members, fields, &mut body);
    post(endpoint, name, body.finish())
}

/// The request of action `name` with `body`.
fn post(endpoint: &Endpoint, name: &str, body: String) -> HttpRequest {
    HttpRequest {
        url: endpoint.url.clone(),
        headers: vec![
            ("content-type", CONTENT_TYPE.to_owned()),
            ("x-amz-target", concat(&[TARGET_PREFIX, name])),
        ],
        body,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::RespondActivityTaskCanceledInput;

    fn endpoint() -> Endpoint {
        Endpoint {
            url: "https://swf.us-east-1.amazonaws.com/".into(),
            region: "us-east-1".into(),
        }
    }

    #[test]
    fn builds_the_json_protocol_request() {
        let input = RespondActivityTaskCanceledInput {
            task_token: "AAAA-token".into(),
            details: Some("operator cancelled".into()),
        };
        let req = build(&endpoint(), &input).unwrap();
        assert_eq!(req.url, "https://swf.us-east-1.amazonaws.com/");
        assert_eq!(
            req.header("content-type"),
            Some("application/x-amz-json-1.0")
        );
        assert_eq!(
            req.header("x-amz-target"),
            Some("SimpleWorkflowService.RespondActivityTaskCanceled")
        );
        let body: serde_json::Value = serde_json::from_str(&req.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"taskToken": "AAAA-token", "details": "operator cancelled"})
        );
    }

    #[test]
    fn invalid_input_builds_nothing() {
        let input = RespondActivityTaskCanceledInput {
            task_token: String::new(),
            details: None,
        };
        assert!(matches!(
            build(&endpoint(), &input),
            Err(Error::Validation { .. })
        ));
    }
}
