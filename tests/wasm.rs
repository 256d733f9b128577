//! wasm-bindgen tests: the same file runs in Node and (with WASM_BINDGEN_USE_BROWSER=1)
//! in headless Chromium. The call tests need the fake SWF's URL at compile time:
//! `SWF_EDGE_FAKE_URL=http://127.0.0.1:PORT` (scripts/test.sh starts it). They drive the
//! synchronous exports the way pkg/call.js does: `prepare` (validate, build, sign), then
//! the platform's `fetch` (the answer is pkg/answer.js's to read: tests/js).
#![cfg(target_arch = "wasm32")]

use std::time::{Duration, UNIX_EPOCH};

use js_sys::{Promise, Reflect, JSON};
use serde_json::Value;
use swf_edge::bindings::WasmClient;
use swf_edge::endpoint::Endpoint;
use swf_edge::model::RespondActivityTaskCanceledInput;
use swf_edge::{request, sign};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with(url: &str, init: &JsValue) -> Promise;
}

/// The fake SWF (tests/fake_swf) that checks signatures; its keys are fixed.
#[allow(clippy::option_env_unwrap)] // unset means the test was built wrongly: fail loudly
fn fake_url() -> &'static str {
    option_env!("SWF_EDGE_FAKE_URL").expect("build the wasm tests with SWF_EDGE_FAKE_URL set")
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON parses")
}

/// A client as pkg/core.js makes one from the options it has read: region, endpoint,
/// the three endpoint flags and the keys (`undefined` ones for a provider).
fn new_client(region: &str, key_id: &str, secret: &str) -> Result<WasmClient, JsValue> {
    WasmClient::new(
        region.into(),
        fake_url().into(),
        false,
        false,
        false,
        key_id.into(),
        secret.into(),
        JsValue::UNDEFINED,
    )
}

fn client() -> WasmClient {
    new_client(
        "us-east-1",
        "AKIDFAKESWF",
        "fake-secret/KEY+1234567890abcdefEXAMPLE",
    )
    .expect("valid options")
}

async fn control(path: &str, body: &str) {
    let init = json(r#"{"method":"POST","headers":{"content-type":"application/json"}}"#);
    Reflect::set(&init, &"body".into(), &body.into()).unwrap();
    JsFuture::from(fetch_with(
        &format!("{}/__control/{path}", fake_url()),
        &init,
    ))
    .await
    .expect("control API reachable");
}

fn field(record: &JsValue, key: &str) -> JsValue {
    Reflect::get(record, &key.into()).unwrap()
}

/// One attempt of action `action`, as pkg/call.js makes it: prepared and signed now, sent
/// with `fetch`: the answer's status and parsed JSON body (`Err`: the validation record of
/// `prepare`).
async fn send(swf: &WasmClient, action: usize, input: JsValue) -> Result<(u16, JsValue), JsValue> {
    let prepared = swf.prepare(action, input, js_sys::Date::now())?;
    let parts: Vec<&str> = prepared.splitn(4, '\n').collect();
    let target = [
        "SimpleWorkflowService.",
        match action {
            0 => "RespondActivityTaskCanceled",
            6 => "ListOpenWorkflowExecutions",
            _ => unreachable!("add the action's name"),
        },
    ]
    .concat();
    let headers = js_sys::Object::new();
    for (name, value) in [
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", &target),
        ("x-amz-date", parts[0]),
        ("authorization", parts[1]),
    ] {
        Reflect::set(&headers, &name.into(), &value.into()).unwrap();
    }
    let init = json(r#"{"method":"POST"}"#);
    Reflect::set(&init, &"headers".into(), &headers).unwrap();
    Reflect::set(&init, &"body".into(), &parts[3].into()).unwrap();
    let response = JsFuture::from(fetch_with(&swf.endpoint(), &init))
        .await
        .expect("the fake SWF is reachable");
    let status = field(&response, "status").as_f64().unwrap() as u16;
    let text: js_sys::Function = Reflect::get(&response, &"text".into()).unwrap().into();
    let body = JsFuture::from(Promise::from(text.call0(&response).unwrap()))
        .await
        .unwrap()
        .as_string()
        .unwrap();
    let body = if body.trim().is_empty() { "{}" } else { &body };
    Ok((status, json(body)))
}

#[wasm_bindgen_test]
fn signatures_in_wasm_match_botocore_vectors() {
    let vectors: Vec<Value> = serde_json::from_str(include_str!("sigv4/vectors.json")).unwrap();
    for v in vectors {
        let input: RespondActivityTaskCanceledInput =
            serde_json::from_value(v["body"].clone()).unwrap();
        let endpoint = Endpoint {
            url: v["url"].as_str().unwrap().into(),
            region: v["region"].as_str().unwrap().into(),
        };
        let mut req = request::build(&endpoint, &input).unwrap();
        let creds = sign::Credentials::new(
            v["access_key_id"].as_str().unwrap(),
            v["secret_access_key"].as_str().unwrap(),
            v["session_token"].as_str(),
        )
        .unwrap();
        let time =
            UNIX_EPOCH + Duration::from_secs(v["expected"]["epoch_seconds"].as_u64().unwrap());
        sign::sign(&mut req, &creds, &endpoint.region, time).unwrap();
        assert_eq!(
            req.header("authorization"),
            v["expected"]["authorization"].as_str()
        );
    }
}

#[wasm_bindgen_test]
fn prepare_signs_at_the_time_it_is_given() {
    // 2023-11-14T22:13:20.750Z: SigV4 uses the whole second.
    let prepared = client()
        .prepare(0, json(r#"["t"]"#), 1_700_000_000_750.0)
        .expect("valid input");
    let parts: Vec<&str> = prepared.splitn(4, '\n').collect();
    assert_eq!(parts[0], "20231114T221320Z");
    assert!(parts[1].starts_with("AWS4-HMAC-SHA256 Credential=AKIDFAKESWF/20231114/us-east-1/swf/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="));
    assert_eq!(parts[2], "", "no session token");
    assert_eq!(parts[3], r#"{"taskToken":"t"}"#);
    let unsigned = client().prepare(0, json(r#"["t"]"#), f64::NAN).unwrap();
    assert_eq!(unsigned, "\n\n\n{\"taskToken\":\"t\"}");
    let again = client()
        .sign(0, parts[3].into(), 1_700_000_000_750.0)
        .unwrap();
    assert_eq!(
        again,
        [parts[0], "\n", parts[1], "\n\n"].concat(),
        "sign gives what prepare did"
    );
}

#[wasm_bindgen_test]
fn bad_options_throw_a_validation_record() {
    let err = new_client("nowhere", "A", "S").err().expect("rejected");
    assert_eq!(field(&err, "kind"), "validation");
    assert_eq!(field(&err, "name"), "ValidationError");
    assert_eq!(field(&err, "field"), "region");
    let err = new_client("us-east-1", "A", "S x").err().expect("rejected");
    assert_eq!(field(&err, "field"), "credentials.secretAccessKey");
    assert_eq!(
        field(&err, "message"),
        "SwfClient options: credentials.secretAccessKey must be printable ASCII without spaces"
    );
}

#[wasm_bindgen_test]
async fn a_signed_cancel_reaches_the_fake_swf() {
    control("reset", "{}").await;
    let swf = client();
    let (status, body) = send(&swf, 0, json(r#"["wasm-test","from wasm"]"#))
        .await
        .expect("valid input");
    assert_eq!(
        status,
        200,
        "the fake SWF accepted the signature: {:?}",
        JSON::stringify(&body)
    );
}

#[wasm_bindgen_test]
async fn invalid_input_rejects_before_any_request() {
    control("reset", "{}").await;
    let err = send(&client(), 0, json(r#"[""]"#))
        .await
        .expect_err("rejected");
    assert_eq!(field(&err, "kind"), "validation");
    assert_eq!(field(&err, "field"), "taskToken");
    assert_eq!(requests().await.length(), 0, "nothing was sent");
}

/// What the fake SWF recorded of the last signed request (its target and JSON body).
async fn last_request() -> JsValue {
    let log = requests().await;
    log.get(log.length() - 1)
}

/// Every signed request the fake SWF recorded since its last reset.
async fn requests() -> js_sys::Array {
    let init = json(r#"{"method":"GET"}"#);
    let response = JsFuture::from(fetch_with(
        &format!("{}/__control/requests", fake_url()),
        &init,
    ))
    .await
    .expect("control API reachable");
    let json_method: js_sys::Function = Reflect::get(&response, &"json".into()).unwrap().into();
    let log = JsFuture::from(Promise::from(json_method.call0(&response).unwrap()))
        .await
        .unwrap();
    log.into()
}

#[wasm_bindgen_test]
async fn nested_members_are_written_in_table_order() {
    control("reset", "{}").await;
    // ListOpenWorkflowExecutions (action 6 of bindings.rs's table) as pkg/read.js's
    // readInput passes it: domain, startTimeFilter [oldestDate, latestDate] (epoch seconds),
    // typeFilter, tagFilter, nextPageToken, maximumPageSize, reverseOrder.
    let input = json(r#"["d",[1700000000,1700000101],null,null,null,5,true]"#);
    let values: &js_sys::Array = input.unchecked_ref();
    for absent in 2..5 {
        values.set(absent, JsValue::UNDEFINED);
    }
    let (status, _) = send(&client(), 6, input).await.expect("valid input");
    assert_eq!(status, 200, "the fake SWF accepted the signature");
    let sent = last_request().await;
    assert_eq!(
        field(&sent, "target"),
        "SimpleWorkflowService.ListOpenWorkflowExecutions"
    );
    let body = JSON::stringify(&field(&sent, "json")).unwrap();
    assert_eq!(
        String::from(body),
        r#"{"domain":"d","startTimeFilter":{"oldestDate":1700000000,"latestDate":1700000101},"maximumPageSize":5,"reverseOrder":true}"#
    );
}

#[wasm_bindgen_test]
fn actions_describe_their_input_tables() {
    let swf = client();
    assert_eq!(
        swf.action(0),
        "1 0 10000 65536 65536 ;taskToken s,details s"
    );
    let list_open = swf.action(6);
    assert!(
        list_open.ends_with(";domain s,startTimeFilter{oldestDate t,latestDate t},typeFilter{name s,version s},tagFilter{tag s},nextPageToken s,maximumPageSize i,reverseOrder b,executionFilter{workflowId s}"),
        "{list_open}"
    );
    assert_eq!(
        swf.action(16),
        "0 0 0 0 65536 ;taskToken s,details s,heartbeatDetails s"
    );
    // The composite cancelIfRequested: prepare checks its whole input (nothing is sent).
    let too_long = json(r#"["t",null,"0123456789"]"#);
    let values: &js_sys::Array = too_long.unchecked_ref();
    values.set(1, JsValue::UNDEFINED);
    values.set(2, JsValue::from_str(&"h".repeat(2049)));
    let err = swf
        .prepare(16, too_long, f64::NAN)
        .expect_err("over the heartbeat's limit");
    assert_eq!(field(&err, "field"), "heartbeatDetails");
    assert_eq!(
        field(&err, "message"),
        "cancelIfRequested: heartbeatDetails must have at most 2048 characters (got 2049)"
    );
    assert_eq!(swf.action(17), "", "no such action");
}
