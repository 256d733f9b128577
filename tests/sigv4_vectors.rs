//! Our signatures against SigV4 vectors computed by an independent implementation
//! (botocore's `SigV4Auth`, see `tests/sigv4/gen_vectors.py`).
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, UNIX_EPOCH};

use serde_json::Value;
use swf_edge::endpoint::Endpoint;
use swf_edge::model::RespondActivityTaskCanceledInput;
use swf_edge::request::build;
use swf_edge::sign::{sign, Credentials};

fn vectors() -> Vec<Value> {
    let text = include_str!("sigv4/vectors.json");
    serde_json::from_str(text).expect("vectors.json is valid JSON")
}

#[test]
fn signatures_match_botocore() {
    let vectors = vectors();
    assert!(vectors.len() >= 3);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let expected = &v["expected"];
        let input: RespondActivityTaskCanceledInput =
            serde_json::from_value(v["body"].clone()).unwrap();
        let endpoint = Endpoint {
            url: v["url"].as_str().unwrap().to_owned(),
            region: v["region"].as_str().unwrap().to_owned(),
        };
        let mut request = build(&endpoint, &input).unwrap();
        assert_eq!(
            request.body,
            expected["body"].as_str().unwrap(),
            "{name}: body"
        );

        let credentials = Credentials::new(
            v["access_key_id"].as_str().unwrap(),
            v["secret_access_key"].as_str().unwrap(),
            v["session_token"].as_str(),
        )
        .unwrap();
        let time = UNIX_EPOCH + Duration::from_secs(expected["epoch_seconds"].as_u64().unwrap());
        sign(&mut request, &credentials, &endpoint.region, time).unwrap();

        assert_eq!(
            request.header("authorization"),
            expected["authorization"].as_str(),
            "{name}: authorization"
        );
        assert_eq!(
            request.header("x-amz-date"),
            expected["x_amz_date"].as_str(),
            "{name}: x-amz-date"
        );
        assert_eq!(
            request.header("x-amz-security-token"),
            expected["x_amz_security_token"].as_str(),
            "{name}: x-amz-security-token"
        );
        assert_eq!(
            request.header("host"),
            None,
            "{name}: host comes from the URL, not a header"
        );
    }
}

#[test]
fn a_different_time_gives_a_different_signature() {
    let v = &vectors()[0];
    let input: RespondActivityTaskCanceledInput =
        serde_json::from_value(v["body"].clone()).unwrap();
    let endpoint = Endpoint {
        url: v["url"].as_str().unwrap().to_owned(),
        region: v["region"].as_str().unwrap().to_owned(),
    };
    let mut request = build(&endpoint, &input).unwrap();
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
    .unwrap();
    let time =
        UNIX_EPOCH + Duration::from_secs(v["expected"]["epoch_seconds"].as_u64().unwrap() + 1);
    sign(&mut request, &credentials, &endpoint.region, time).unwrap();
    assert_ne!(
        request.header("authorization"),
        v["expected"]["authorization"].as_str()
    );
}
