//! Our endpoints against botocore's: every region botocore knows and made-up regions of
//! every partition's pattern, each standard, FIPS, dual-stack and FIPS + dual-stack, as
//! botocore's endpoint-rules engine resolves them (tests/endpoints/gen_endpoints.py writes
//! the table; `--check` in scripts/test.sh fails when botocore's data changes).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use swf_edge::endpoint::{self, EndpointConfig};
use swf_edge::error::Error;

fn rows() -> Vec<Value> {
    let table: Value = serde_json::from_str(include_str!("endpoints/botocore.json")).unwrap();
    table["rows"].as_array().unwrap().clone()
}

fn resolve(row: &Value) -> Result<String, Error> {
    endpoint::resolve(&EndpointConfig {
        region: row["region"].as_str().unwrap(),
        use_fips: row["fips"].as_bool().unwrap(),
        use_dualstack: row["dualstack"].as_bool().unwrap(),
        ..EndpointConfig::default()
    })
    .map(|e| e.url)
}

#[test]
fn every_region_and_variant_matches_botocore() {
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for row in rows().iter().filter(|r| r["kind"] != "pseudo") {
        let want = row["url"].as_str().unwrap();
        match resolve(row) {
            Ok(got) if got == want => compared += 1,
            got => mismatches.push(format!("{row}: got {got:?}")),
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // 48 known regions in botocore 1.44.8, 13 made up, 4 variants each.
    assert!(compared >= 4 * 60, "only {compared} rows compared");
    println!("{compared} region x variant rows match botocore");
}

#[test]
fn pseudo_regions_are_refused_with_the_region_field() {
    let pseudo: Vec<Value> = rows()
        .into_iter()
        .filter(|r| r["kind"] == "pseudo")
        .collect();
    assert!(!pseudo.is_empty());
    for row in pseudo {
        match resolve(&row) {
            Err(Error::Validation { field, .. }) => assert_eq!(field.as_deref(), Some("region")),
            other => panic!("{row}: expected a region error, got {other:?}"),
        }
    }
}

#[test]
fn signing_region_is_the_configured_region() {
    for row in rows().iter().filter(|r| r["kind"] == "known") {
        let region = row["region"].as_str().unwrap();
        let config = EndpointConfig {
            region,
            use_fips: row["fips"].as_bool().unwrap(),
            ..EndpointConfig::default()
        };
        assert_eq!(endpoint::resolve(&config).unwrap().region, region);
    }
}
