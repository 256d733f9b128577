//! Our signatures against SigV4 vectors computed by an independent implementation
//! (botocore's `SigV4Auth`, see `tests/sigv4/gen_vectors.py`).
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, UNIX_EPOCH};

use serde_json::Value;
use swf_edge::endpoint::Endpoint;
use swf_edge::model::RespondActivityTaskCanceledInput;
use swf_edge::request::{build, HttpRequest};
use swf_edge::sign::{sign, Credentials};

fn vectors() -> Vec<Value> {
    let text = include_str!("sigv4/vectors.json");
    serde_json::from_str(text).expect("vectors.json is valid JSON")
}

/// The request of vector `v`, signed at the vector's time plus `extra_seconds`.
fn signed(v: &Value, extra_seconds: u64) -> HttpRequest {
    let input: RespondActivityTaskCanceledInput =
        serde_json::from_value(v["body"].clone()).unwrap();
    let endpoint = Endpoint {
        url: v["url"].as_str().unwrap().to_owned(),
        region: v["region"].as_str().unwrap().to_owned(),
    };
    let mut request = build(&endpoint, &input).unwrap();
    let credentials = Credentials::new(
        v["access_key_id"].as_str().unwrap(),
        v["secret_access_key"].as_str().unwrap(),
        v["session_token"].as_str(),
    )
    .unwrap();
    let seconds = v["expected"]["epoch_seconds"].as_u64().unwrap() + extra_seconds;
    sign(
        &mut request,
        &credentials,
        &endpoint.region,
        UNIX_EPOCH + Duration::from_secs(seconds),
    )
    .unwrap();
    request
}

#[test]
fn signatures_match_botocore() {
    let vectors = vectors();
    assert!(vectors.len() >= 3);
    for v in &vectors {
        let name = v["name"].as_str().unwrap();
        let expected = &v["expected"];
        let request = signed(v, 0);
        assert_eq!(
            request.body,
            expected["body"].as_str().unwrap(),
            "{name}: body"
        );
        for (header, key) in [
            ("authorization", "authorization"),
            ("x-amz-date", "x_amz_date"),
            ("x-amz-security-token", "x_amz_security_token"),
        ] {
            assert_eq!(
                request.header(header),
                expected[key].as_str(),
                "{name}: {header}"
            );
        }
        assert_eq!(
            request.header("host"),
            None,
            "{name}: host comes from the URL"
        );
    }
}

#[test]
fn a_different_time_gives_a_different_signature() {
    let v = &vectors()[0];
    assert_ne!(
        signed(v, 1).header("authorization"),
        v["expected"]["authorization"].as_str()
    );
    assert_eq!(
        signed(v, 0).header("authorization"),
        v["expected"]["authorization"].as_str()
    );
}
