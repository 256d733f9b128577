//! Property tests over the plain-Rust layers (validation, request building, signing,
//! endpoints, retry arithmetic; error answers are pkg/answer.js's, tests/js/answers.test.mjs): none may panic on any input, and each
//! keeps its documented promises. Native only.
//!
//! Deterministic by default (seed [`DEFAULT_SEED`]); set `PROPTEST_RNG_SEED=<u64>` to use
//! another seed, `PROPTEST_CASES=<n>` for more cases. Failures are not persisted to files.
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::Value;

use swf_edge::endpoint::{self, Endpoint, EndpointConfig};
use swf_edge::error::Error;
use swf_edge::model::{
    self, CancelIfRequestedInput, Operation, PollForActivityTaskInput,
    RecordActivityTaskHeartbeatInput, RespondActivityTaskCanceledInput,
    RespondActivityTaskCompletedInput, RespondActivityTaskFailedInput, TaskList,
};
use swf_edge::request;
use swf_edge::retry::{self, RetryPolicy};
use swf_edge::sign::{self, Credentials};

/// The seed used unless `PROPTEST_RNG_SEED` says otherwise.
const DEFAULT_SEED: u64 = 0x5EED_5AF0_ED6E_0001;

fn config(cases: u32) -> Config {
    let mut config = Config::default(); // reads the PROPTEST_* environment variables
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(DEFAULT_SEED);
    }
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config.failure_persistence = None; // no proptest-regressions files in the tree
    config
}

// ---------------------------------------------------------------- generators

/// Characters of every UTF-8 width, plus the awkward ones (NUL, controls, quotes,
/// backslash, RTL mark, BOM, the replacement character, the last scalar value).
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        1 => proptest::char::range('\u{0}', '\u{1f}'),
        1 => Just('"'),
        1 => Just('\\'),
        1 => Just('#'),
        1 => Just(':'),
        2 => proptest::char::range('\u{80}', '\u{7ff}'),
        2 => proptest::char::range('\u{800}', '\u{ffff}'),
        2 => proptest::char::range('\u{10000}', '\u{10ffff}'),
        1 => prop::sample::select(vec!['\u{200f}', '\u{feff}', '\u{fffd}', '\u{10ffff}', '😀', 'é']),
        2 => any::<char>(),
    ]
}

/// A string of exactly `len` characters drawn from [`any_char`]. Long strings are filled
/// from a small random alphabet by a xorshift generator (a `vec` of 32768 character
/// strategies is far too slow to generate and shrink in a debug build).
fn string_of_chars(len: usize) -> BoxedStrategy<String> {
    if len <= 64 {
        return proptest::collection::vec(any_char(), len)
            .prop_map(|v| v.into_iter().collect())
            .boxed();
    }
    (proptest::collection::vec(any_char(), 1..12), any::<u64>())
        .prop_map(move |(alphabet, seed)| {
            let mut x = seed | 1;
            (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect()
        })
        .boxed()
}

/// A string whose character count is near `limit` (within `spread` either side).
fn string_near(limit: usize, spread: usize) -> impl Strategy<Value = String> {
    (limit.saturating_sub(spread)..=limit + spread).prop_flat_map(string_of_chars)
}

/// Arbitrary text, short or long.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::collection::vec(any_char(), 0..64).prop_map(|v| v.into_iter().collect::<String>()),
        1 => (64usize..3000).prop_flat_map(string_of_chars),
        1 => any::<String>(),
    ]
}

/// Well-formed region names (`us-east-1`, `us-gov-west-1`, `cn-north-1`, …).
fn region() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "us-east-1",
            "us-west-2",
            "eu-central-2",
            "ap-southeast-5",
            "cn-north-1",
            "cn-northwest-1",
            "us-gov-west-1",
            "us-gov-east-1",
            "us-iso-east-1",
            "us-isob-east-1",
        ])
        .prop_map(str::to_owned),
        "[a-z]{1,5}-[a-z]{1,9}(-[a-z]{1,5})?-[0-9]{1,2}",
    ]
}

/// Endpoint-like strings: arbitrary text, and URLs put together from awkward parts.
fn endpoint_text() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec![
        "https://", "http://", "HTTPS://", "ftp://", "", "//", "https:/", "http:",
    ]);
    let userinfo = prop::sample::select(vec!["", "", "", "user:pw@", "@", "a@b@"]);
    let host = prop_oneof![
        prop::sample::select(vec![
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.255.255.254",
            "[::1]",
            "[::]",
            "::1",
            "example.com",
            "Example.COM",
            "10.0.0.1",
            "127.1",
            "0x7f.0.0.1",
            "127.0.0.1.nip.io",
            "a.localhost",
            "localhost.",
            "",
            " ",
            "exa mple.com",
            "[",
            "]",
            "%00",
            "ß.de",
            "xn--zca.de",
            "2130706433",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z0-9.\\-]{0,20}",
        any_text(),
    ];
    let port = prop::sample::select(vec![
        "", "", ":443", ":0", ":65535", ":65536", ":99999", ":", ":-1", ":8080x", ":00080",
    ]);
    let tail = prop::sample::select(vec![
        "", "", "/", "//", "/path", "?q=1", "/?q", "#frag", "/#", "?", "\\", "/..", " ", "\n",
        "%2F",
    ]);
    prop_oneof![
        4 => (scheme, userinfo, host, port, tail).prop_map(|(s, u, h, p, t)| format!("{s}{u}{h}{p}{t}")),
        1 => any_text(),
    ]
}

/// Printable ASCII without spaces (what credentials may contain).
fn credential_part() -> impl Strategy<Value = String> {
    "[!-~]{1,60}"
}

/// A signing time between 1970 and 9999.
fn signing_time() -> impl Strategy<Value = SystemTime> {
    (0u64..253_402_300_799_000).prop_map(|ms| UNIX_EPOCH + Duration::from_millis(ms))
}

// ---------------------------------------------------------------- helpers

fn field_of(error: &Error) -> Option<&str> {
    match error {
        Error::Validation { field, .. } => field.as_deref(),
        _ => None,
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn within(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&chars(s))
}

fn optional_within(s: &Option<String>, max: usize) -> bool {
    s.as_deref().is_none_or(|s| within(s, 0, max))
}

fn endpoint_for(region: &str) -> Endpoint {
    endpoint::resolve(&EndpointConfig {
        region,
        ..EndpointConfig::default()
    })
    .expect("well-formed region")
}

/// Builds and signs `input`; checks the request's shape and returns the body as JSON.
fn build_and_sign<O>(
    input: &O,
    region: &str,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<Value, TestCaseError>
where
    O: Operation + PartialEq + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
{
    let endpoint = endpoint_for(region);
    let unsigned = request::build(&endpoint, input)
        .map_err(|e| TestCaseError::fail(format!("valid input refused: {e:?}")))?;
    prop_assert_eq!(&unsigned.url, &endpoint.url);
    prop_assert_eq!(unsigned.header("content-type"), Some(request::CONTENT_TYPE));
    let target = format!("{}{}", request::TARGET_PREFIX, O::NAME);
    prop_assert_eq!(unsigned.header("x-amz-target"), Some(target.as_str()));

    // The body round-trips through serde_json to the same fields.
    let back: O = serde_json::from_str(&unsigned.body)
        .map_err(|e| TestCaseError::fail(format!("body does not parse back: {e}")))?;
    prop_assert_eq!(&back, input);
    let body: Value = serde_json::from_str(&unsigned.body).unwrap();
    // Byte for byte what serde_json writes (src/json.rs replaces it in the wasm).
    prop_assert_eq!(&unsigned.body, &serde_json::to_string(input).unwrap());

    let mut signed = unsigned.clone();
    sign::sign(&mut signed, credentials, region, time)
        .map_err(|e| TestCaseError::fail(format!("signing failed: {e:?}")))?;
    prop_assert_eq!(
        &signed.body,
        &unsigned.body,
        "signing must not touch the body"
    );
    let authorization = signed
        .header("authorization")
        .expect("authorization header");
    let date = signed.header("x-amz-date").expect("x-amz-date header");
    prop_assert_eq!(date.len(), 16, "x-amz-date {}", date);
    let scope = format!(
        "AWS4-HMAC-SHA256 Credential={}/{}/{}/swf/aws4_request, SignedHeaders=",
        credentials.access_key_id(),
        &date[..8],
        region
    );
    prop_assert!(
        authorization.starts_with(&scope),
        "{} vs {}",
        authorization,
        scope
    );
    let signature = authorization.rsplit("Signature=").next().unwrap();
    prop_assert_eq!(signature.len(), 64);
    prop_assert!(signature.bytes().all(|b| b.is_ascii_hexdigit()));
    let token = credentials.secrets().nth(1);
    prop_assert_eq!(signed.header("x-amz-security-token"), token);
    // The secret key never appears in any header.
    let secret = credentials.secrets().next().unwrap();
    for (name, value) in &signed.headers {
        prop_assert!(!value.contains(secret), "secret in header {}", name);
    }

    // Signing is a pure function of its inputs, and agrees with aws-sigv4's own signer.
    let mut again = unsigned.clone();
    sign::sign(&mut again, credentials, region, time).unwrap();
    prop_assert_eq!(&again.headers, &signed.headers);
    prop_assert_eq!(
        added_headers(&unsigned, &signed),
        reference_sign(&unsigned, credentials, region, time)
    );
    Ok(body)
}

/// The headers `sign` added, sorted by name.
fn added_headers(
    unsigned: &request::HttpRequest,
    signed: &request::HttpRequest,
) -> Vec<(String, String)> {
    let mut added: Vec<(String, String)> = signed.headers[unsigned.headers.len()..]
        .iter()
        .map(|(n, v)| (n.to_string(), v.clone()))
        .collect();
    added.sort();
    added
}

/// What `aws-sigv4`'s general request signer (default settings) adds to `request`,
/// sorted by name: the reference for src/sign.rs's canonical request.
fn reference_sign(
    request: &request::HttpRequest,
    credentials: &Credentials,
    region: &str,
    time: SystemTime,
) -> Vec<(String, String)> {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    let mut secrets = credentials.secrets();
    let secret = secrets.next().unwrap().to_owned();
    let token = secrets.next().map(str::to_owned);
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        secret,
        token,
        None,
        "reference",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("swf")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let signable = SignableRequest::new(
        "POST",
        request.url.as_str(),
        request.headers.iter().map(|(n, v)| (*n, v.as_str())),
        SignableBody::Bytes(request.body.as_bytes()),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let (headers, _) = instructions.into_parts();
    let mut added: Vec<(String, String)> = headers
        .into_iter()
        .map(|h| (h.name().to_owned(), h.value().to_owned()))
        .collect();
    added.sort();
    added
}

// ---------------------------------------------------------------- model validation

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn check_length_counts_code_points(
        value in prop_oneof![any_text(), (0usize..300).prop_flat_map(string_of_chars)],
        min in 0usize..3,
        max in 0usize..300,
    ) {
        let result = model::check_length("field", &value, min, max);
        prop_assert_eq!(result.is_ok(), within(&value, min, max), "{} chars, {}..={}", chars(&value), min, max);
        if let Err(e) = result {
            prop_assert_eq!(field_of(&e), Some("field"));
        }
        let optional = model::check_optional_length("field", Some(&value), max);
        prop_assert_eq!(optional.is_ok(), chars(&value) <= max);
        prop_assert!(model::check_optional_length("field", None, max).is_ok());
    }

    #[test]
    fn task_tokens_of_1_to_1024_chars_and_no_others(token in string_near(model::MAX_TASK_TOKEN, 3)) {
        let ok = within(&token, 1, model::MAX_TASK_TOKEN);
        prop_assert_eq!(model::check_task_token(&token).is_ok(), ok);
        let input = RespondActivityTaskCanceledInput { task_token: token, details: None };
        let result = input.validate();
        prop_assert_eq!(result.is_ok(), ok);
        if let Err(e) = result {
            prop_assert_eq!(field_of(&e), Some("taskToken"));
        }
    }

    #[test]
    fn short_task_tokens(token in (0usize..4).prop_flat_map(string_of_chars)) {
        prop_assert_eq!(model::check_task_token(&token).is_ok(), !token.is_empty());
    }

    #[test]
    fn cancel_details_limit(details in string_near(model::MAX_DETAILS, 2)) {
        let ok = chars(&details) <= model::MAX_DETAILS;
        let input = RespondActivityTaskCanceledInput { task_token: "t".into(), details: Some(details) };
        let result = input.validate();
        prop_assert_eq!(result.is_ok(), ok);
        if let Err(e) = result {
            prop_assert_eq!(field_of(&e), Some("details"));
        }
    }

    #[test]
    fn each_action_accepts_exactly_the_strings_within_its_limits(
        token in prop_oneof![string_near(model::MAX_TASK_TOKEN, 2), (0usize..3).prop_flat_map(string_of_chars)],
        heartbeat_details in proptest::option::of(string_near(model::MAX_HEARTBEAT_DETAILS, 2)),
        reason in proptest::option::of(string_near(model::MAX_REASON, 2)),
        short in proptest::option::of((0usize..40).prop_flat_map(string_of_chars)),
        domain in prop_oneof![string_near(model::MAX_NAME, 2), (0usize..3).prop_flat_map(string_of_chars)],
    ) {
        let token_ok = within(&token, 1, model::MAX_TASK_TOKEN);

        let heartbeat = RecordActivityTaskHeartbeatInput { task_token: token.clone(), details: heartbeat_details.clone() };
        prop_assert_eq!(heartbeat.validate().is_ok(), token_ok && optional_within(&heartbeat_details, model::MAX_HEARTBEAT_DETAILS));

        let completed = RespondActivityTaskCompletedInput { task_token: token.clone(), result: short.clone() };
        prop_assert_eq!(completed.validate().is_ok(), token_ok);

        let failed = RespondActivityTaskFailedInput { task_token: token.clone(), reason: reason.clone(), details: short.clone() };
        prop_assert_eq!(failed.validate().is_ok(), token_ok && optional_within(&reason, model::MAX_REASON));

        let cancel_if = CancelIfRequestedInput { task_token: token.clone(), details: short.clone(), heartbeat_details: heartbeat_details.clone() };
        prop_assert_eq!(
            cancel_if.validate().is_ok(),
            token_ok && optional_within(&heartbeat_details, model::MAX_HEARTBEAT_DETAILS)
        );

        let poll = PollForActivityTaskInput { domain: domain.clone(), task_list: TaskList { name: token.clone() }, identity: reason.clone() };
        prop_assert_eq!(
            poll.validate().is_ok(),
            within(&domain, 1, model::MAX_NAME) && within(&token, 1, model::MAX_NAME) && optional_within(&reason, model::MAX_NAME)
        );
    }
}

// ---------------------------------------------------------------- endpoints

proptest! {
    #![proptest_config(config(4096))]

    #[test]
    fn resolve_never_panics_and_every_url_is_an_origin(
        region in prop_oneof![region(), any_text(), "[a-z0-9\\-]{0,40}"],
        endpoint in proptest::option::of(endpoint_text()),
        use_fips in any::<bool>(),
        use_dualstack in any::<bool>(),
        allow_insecure in any::<bool>(),
    ) {
        let config = EndpointConfig { region: &region, endpoint: endpoint.as_deref(), use_fips, use_dualstack, allow_insecure };
        match endpoint::resolve(&config) {
            Ok(resolved) => {
                prop_assert_eq!(&resolved.region, &region);
                let url = &resolved.url;
                let uri: http::Uri = url.parse().map_err(|e| TestCaseError::fail(format!("{url:?} does not parse: {e}")))?;
                let scheme = uri.scheme_str().unwrap_or_default();
                prop_assert!(scheme == "https" || scheme == "http", "{}", url);
                let authority = uri.authority().expect("a host").as_str();
                prop_assert!(!authority.is_empty() && !authority.contains('@'), "{}", url);
                prop_assert_eq!(uri.path(), "/");
                prop_assert!(uri.query().is_none());
                prop_assert_eq!(url, &format!("{scheme}://{authority}/"));
                prop_assert_eq!(url.to_ascii_lowercase(), url.clone(), "normalised to lowercase");
                if uri.port().is_some() {
                    prop_assert!(uri.port_u16().is_some(), "{} has a port that is not a u16", url);
                }
                if scheme == "http" && !allow_insecure {
                    let host = uri.host().unwrap_or_default();
                    let loopback = host == "localhost"
                        || host == "[::1]"
                        || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback());
                    prop_assert!(loopback, "plain http to {} without allowInsecureEndpoint", url);
                }
                if endpoint.is_none() {
                    prop_assert!(url.starts_with("https://swf"), "{}", url);
                    prop_assert!(url.contains(&format!(".{region}.")), "{}", url);
                }
            }
            Err(e) => {
                let field = field_of(&e);
                prop_assert!(
                    matches!(field, Some("region" | "endpoint" | "useFipsEndpoint" | "useDualstackEndpoint")),
                    "unexpected error {:?}", e
                );
            }
        }
    }

    #[test]
    fn well_formed_regions_resolve(region in region(), use_fips in any::<bool>(), use_dualstack in any::<bool>()) {
        // Every partition has FIPS and dual-stack endpoints (tests/endpoints.rs checks the URLs).
        let config = EndpointConfig { region: &region, use_fips, use_dualstack, ..EndpointConfig::default() };
        let result = endpoint::resolve(&config);
        prop_assert!(result.is_ok(), "{:?}", result);
    }
}

// ---------------------------------------------------------------- building and signing

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn build_and_sign_valid_inputs(
        region in region(),
        access_key_id in credential_part(),
        secret in credential_part(),
        session_token in proptest::option::of(credential_part()),
        time in signing_time(),
        token in prop_oneof![(1usize..40).prop_flat_map(string_of_chars), (1000usize..=1024).prop_flat_map(string_of_chars)],
        short in proptest::option::of((0usize..200).prop_flat_map(string_of_chars)),
        long in proptest::option::of((32_000usize..=model::MAX_DETAILS).prop_flat_map(string_of_chars)),
        reason in proptest::option::of((0usize..=256).prop_flat_map(string_of_chars)),
        heartbeat in proptest::option::of((0usize..=2048).prop_flat_map(string_of_chars)),
    ) {
        let secret = format!("SECRETMARK{secret}"); // recognisable, so the header check below means something
        let credentials = Credentials::new(&access_key_id, &secret, session_token.as_deref())
            .map_err(|e| TestCaseError::fail(format!("valid credentials refused: {e:?}")))?;

        let body = build_and_sign(&RespondActivityTaskCanceledInput { task_token: token.clone(), details: short.clone() }, &region, &credentials, time)?;
        prop_assert_eq!(body["taskToken"].as_str(), Some(token.as_str()));
        prop_assert_eq!(body.get("details").and_then(Value::as_str), short.as_deref());

        let body = build_and_sign(&RecordActivityTaskHeartbeatInput { task_token: token.clone(), details: heartbeat.clone() }, &region, &credentials, time)?;
        prop_assert_eq!(body.get("details").and_then(Value::as_str), heartbeat.as_deref());

        let body = build_and_sign(&RespondActivityTaskCompletedInput { task_token: token.clone(), result: long.clone() }, &region, &credentials, time)?;
        prop_assert_eq!(body.get("result").and_then(Value::as_str), long.as_deref());

        let body = build_and_sign(&RespondActivityTaskFailedInput { task_token: token.clone(), reason: reason.clone(), details: short.clone() }, &region, &credentials, time)?;
        prop_assert_eq!(body.get("reason").and_then(Value::as_str), reason.as_deref());

        let domain: String = token.chars().take(256).collect();
        build_and_sign(&PollForActivityTaskInput { domain: domain.clone(), task_list: TaskList { name: domain }, identity: reason }, &region, &credentials, time)?;
    }

    #[test]
    fn signatures_match_aws_sigv4_for_any_endpoint_override(
        scheme in prop::sample::select(vec!["https", "http"]),
        host in prop_oneof![
            "[a-zA-Z0-9]([a-zA-Z0-9-]{0,20}[a-zA-Z0-9])?(\\.[a-zA-Z0-9-]{1,10}){0,3}",
            Just("127.0.0.1".to_owned()),
            Just("[::1]".to_owned()),
            Just("[2001:DB8::a]".to_owned()),
        ],
        port in proptest::option::of(prop_oneof![Just(80u16), Just(443u16), any::<u16>()]),
        region in region(),
        access_key_id in credential_part(),
        secret in credential_part(),
        session_token in proptest::option::of(credential_part()),
        time in signing_time(),
        token in (1usize..300).prop_flat_map(string_of_chars),
        details in proptest::option::of((0usize..300).prop_flat_map(string_of_chars)),
    ) {
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let Ok(endpoint) = endpoint::resolve(&EndpointConfig {
            region: &region,
            endpoint: Some(&format!("{scheme}://{host}{port}")),
            allow_insecure: true,
            ..EndpointConfig::default()
        }) else {
            return Ok(()); // e.g. port 0 or a label the URL parser refuses
        };
        let credentials = Credentials::new(&access_key_id, &secret, session_token.as_deref()).unwrap();
        let input = RespondActivityTaskCanceledInput { task_token: token, details };
        let unsigned = request::build(&endpoint, &input).unwrap();
        let mut signed = unsigned.clone();
        sign::sign(&mut signed, &credentials, &region, time).unwrap();
        prop_assert_eq!(
            added_headers(&unsigned, &signed),
            reference_sign(&unsigned, &credentials, &region, time),
            "{}", endpoint.url
        );
    }

    #[test]
    fn credentials_accept_printable_ascii_only_and_never_quote_secrets(
        access_key_id in prop_oneof![credential_part(), any_text()],
        secret_tail in prop_oneof![credential_part(), any_text()],
        token_tail in proptest::option::of(prop_oneof![credential_part(), any_text()]),
    ) {
        let secret = format!("SECRETMARK{secret_tail}");
        let token = token_tail.map(|t| format!("TOKENMARK{t}"));
        let printable = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic());
        let ok = printable(&access_key_id) && printable(&secret) && token.as_deref().is_none_or(printable);
        match Credentials::new(&access_key_id, &secret, token.as_deref()) {
            Ok(c) => {
                prop_assert!(ok);
                let shown = format!("{c:?}");
                prop_assert!(!shown.contains("SECRETMARK") && !shown.contains("TOKENMARK"), "{}", shown);
                prop_assert_eq!(c.secrets().count(), 1 + usize::from(token.is_some()));
            }
            Err(e) => {
                prop_assert!(!ok);
                let shown = format!("{e} {e:?}");
                prop_assert!(!shown.contains("SECRETMARK") && !shown.contains("TOKENMARK"), "{}", shown);
                prop_assert!(field_of(&e).is_some_and(|f| f.starts_with("credentials.")));
            }
        }
    }
}

// ---------------------------------------------------------------- retry arithmetic

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn backoff_stays_within_zero_and_the_cap(
        failed_attempt in any::<u32>(),
        random in prop_oneof![any::<f64>(), 0.0f64..1.0, Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(-0.0), Just(1.0)],
        base_ms in prop_oneof![Just(retry::BACKOFF_BASE_MS), 0.0f64..1e6],
        cap_ms in prop_oneof![Just(retry::BACKOFF_CAP_MS), 0.0f64..1e9],
    ) {
        let policy = RetryPolicy { max_attempts: 3, base_ms, cap_ms };
        let wait = policy.backoff_ms(failed_attempt, random);
        prop_assert!(wait.is_finite() && (0.0..=cap_ms).contains(&wait), "{} not in [0, {}]", wait, cap_ms);
        let default = RetryPolicy::default().backoff_ms(failed_attempt, random);
        prop_assert!((0.0..=retry::BACKOFF_CAP_MS).contains(&default), "{}", default);
    }

    #[test]
    fn clock_correction_never_panics(
        server_ms in proptest::option::of(prop_oneof![
            any::<f64>(),
            -8.64e15f64..8.64e15,
            Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY),
        ]),
        local_now_ms in prop_oneof![any::<f64>(), 0.0f64..4e12],
        current_offset_ms in prop_oneof![Just(0.0f64), -1e8f64..1e8],
        skew_error in any::<bool>(),
    ) {
        let corrected = retry::clock_correction(server_ms, local_now_ms, current_offset_ms, skew_error);
        let signable = |t: f64| (0.0..=sign::LAST_SIGNABLE_SECOND as f64 * 1000.0).contains(&t);
        match server_ms {
            Some(server) if !signable(server) => {
                prop_assert_eq!(corrected, None, "a server time SigV4 cannot express is ignored")
            }
            Some(server) if local_now_ms.is_finite() => {
                let offset = server - local_now_ms;
                let expected = (offset.abs() <= retry::MAX_CLOCK_OFFSET_MS
                    && (skew_error || (offset - current_offset_ms).abs() > retry::MAX_CLOCK_SKEW_MS))
                    .then_some(offset);
                prop_assert_eq!(corrected, expected);
                if let Some(offset) = corrected {
                    prop_assert!(offset.abs() <= retry::MAX_CLOCK_OFFSET_MS, "offset {} out of bounds", offset);
                }
            }
            None => prop_assert_eq!(corrected, None),
            Some(server) if !server.is_finite() => prop_assert_eq!(corrected, None, "an unparsable Date (NaN) keeps the offset"),
            _ => {}
        }
        let _ = retry::corrected_time(local_now_ms, corrected.unwrap_or(0.0));
    }

    #[test]
    fn corrected_time_is_the_server_time(
        local_now_ms in 0.0f64..4e12,
        skew_ms in -retry::MAX_CLOCK_OFFSET_MS..retry::MAX_CLOCK_OFFSET_MS,
    ) {
        let server_ms = (local_now_ms + skew_ms).max(0.0);
        let offset = retry::clock_correction(Some(server_ms), local_now_ms, 0.0, true).expect("after a skew error");
        let corrected = retry::corrected_time(local_now_ms, offset);
        let ms = corrected.duration_since(UNIX_EPOCH).unwrap().as_millis() as f64;
        prop_assert!((ms - server_ms.floor()).abs() <= 1.0, "{} vs {}", ms, server_ms);
    }
}

// ---------------------------------------------------------------- signing at a learnt time

proptest! {
    #![proptest_config(config(256))]

    /// What `Date.parse` can make of a server's `Date` header (±8.64e15 ms, up to the
    /// year 275760) becomes, through `clock_correction` and `corrected_time`, the signing
    /// time: signing must not panic at any of them (a panic is a wasm trap).
    #[test]
    fn sign_at_any_learnt_time(
        server_ms in prop_oneof![
            -8.64e15f64..8.64e15,
            Just(8.64e15f64), Just(-8.64e15f64),
            253_402_300_799_000.0f64..253_402_300_801_000.0,
            0.0f64..4.2e12,
        ],
        local_now_ms in 1.7e12f64..1.9e12,
    ) {
        let offset = retry::clock_correction(Some(server_ms), local_now_ms, 0.0, true).unwrap_or(0.0);
        let time = retry::corrected_time(local_now_ms, offset);
        let credentials = Credentials::new("AKIDPROP", "SECRETMARK-prop", None).unwrap();
        let endpoint = endpoint_for("us-east-1");
        let mut request = request::build(
            &endpoint,
            &RespondActivityTaskCanceledInput { task_token: "t".into(), details: None },
        )
        .unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            sign::sign(&mut request, &credentials, "us-east-1", time)
        }));
        prop_assert!(outcome.is_ok(), "sign panicked at server time {} ms ({:?})", server_ms, time);
    }
}

/// The reproducer of what `sign_at_any_learnt_time` finds: an answer whose `Date` header
/// is `Mon, 01 Jan 10000 00:00:00 GMT` (`Date.parse` gives 253402300800000) moves the
/// corrected clock into the year 10000, and signing there panics inside the `time` crate
/// ("overflow adding duration to date"), which is a trap in the wasm build.
#[test]
fn sign_in_the_year_10000_does_not_panic() {
    let local_now_ms = 1_795_627_513_000.0;
    // Such a server time is not learnt (the clock keeps its offset)…
    assert_eq!(
        retry::clock_correction(Some(253_402_300_800_000.0), local_now_ms, 0.0, false),
        None
    );
    // …and signing at such a time is refused, not a panic.
    let time = retry::corrected_time(253_402_300_800_000.0, 0.0);
    let credentials = Credentials::new("AKIDPROP", "SECRETMARK-prop", None).unwrap();
    let endpoint = endpoint_for("us-east-1");
    let input = RespondActivityTaskCanceledInput {
        task_token: "t".into(),
        details: None,
    };
    let mut request = request::build(&endpoint, &input).unwrap();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        sign::sign(&mut request, &credentials, "us-east-1", time)
    }));
    assert!(
        matches!(outcome, Ok(Err(Error::Validation { .. }))),
        "sign at {time:?} must return an Error, not panic or sign"
    );
}
