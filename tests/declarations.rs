//! The declared actions (src/swf/actions.rs) against AWS's own model: botocore's
//! `service-2.json` for SWF, loaded by botocore itself (it ships the file gzipped). Every
//! member of every declared input, recursively: name, required flag, type, string
//! min/max, integer range, enum values. (The answers' timestamp paths, pkg/answer.js's,
//! are checked against the same model by tests/js/answers.test.mjs.)
//!
//! botocore comes from the project's `.venv` (tests/requirements.txt); `SWF_EDGE_PYTHON`
//! names another interpreter that has it.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use swf_edge::actions::DECLARED;
use swf_edge::shape::{Member, Ty};

/// SWF's `service-2.json`, as botocore loads it.
fn service_model() -> Value {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python3");
    let python = std::env::var("SWF_EDGE_PYTHON").unwrap_or_else(|_| {
        if venv.exists() {
            venv.display().to_string()
        } else {
            "python3".into()
        }
    });
    let script = "import json, botocore.loaders; \
        print(json.dumps(botocore.loaders.Loader().load_service_model('swf', 'service-2')))";
    let out = Command::new(&python)
        .args(["-c", script])
        .output()
        .unwrap_or_else(|e| panic!("{python} could not run: {e}"));
    assert!(
        out.status.success(),
        "botocore did not load SWF's model with {python}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("botocore printed JSON")
}

/// Compares a declared member table with a botocore structure shape, recursively.
fn compare(model: &Value, shape_name: &str, members: &[Member], path: &str, checked: &mut usize) {
    let shapes = &model["shapes"];
    let shape = &shapes[shape_name];
    assert_eq!(shape["type"], "structure", "{path}: {shape_name}");
    let theirs: BTreeSet<&str> = shape["members"]
        .as_object()
        .unwrap_or_else(|| panic!("{shape_name} has members"))
        .keys()
        .map(String::as_str)
        .collect();
    let ours: BTreeSet<&str> = members.iter().map(|m| m.name).collect();
    assert_eq!(
        ours, theirs,
        "{path}: every member of {shape_name}, no other"
    );
    let required: BTreeSet<&str> = shape["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for member in members {
        let label = format!("{path}.{}", member.name);
        *checked += 1;
        assert_eq!(
            member.required,
            required.contains(member.name),
            "{label}: required"
        );
        let target = shape["members"][member.name]["shape"]
            .as_str()
            .expect("a member names its shape");
        let target_shape = &shapes[target];
        let kind = target_shape["type"].as_str().unwrap_or_default();
        let min = target_shape["min"].as_i64();
        let max = target_shape["max"].as_i64();
        match member.ty {
            Ty::Text { min: lo, max: hi } => {
                assert_eq!(kind, "string", "{label}");
                assert!(
                    target_shape.get("enum").is_none(),
                    "{label}: an enum in the model"
                );
                assert_eq!(lo as i64, min.unwrap_or(0), "{label}: min");
                assert_eq!(Some(hi as i64), max, "{label}: max");
            }
            Ty::Enum(values) => {
                assert_eq!(kind, "string", "{label}");
                let theirs: Vec<&str> = target_shape["enum"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{label}: the model has no enum"))
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                assert_eq!(values, theirs.as_slice(), "{label}: enum values");
            }
            Ty::Int { min: lo, max: hi } => {
                assert_eq!(kind, "integer", "{label}");
                assert_eq!((Some(lo), Some(hi)), (min, max), "{label}: range");
            }
            Ty::Flag => assert_eq!(kind, "boolean", "{label}"),
            Ty::Time => assert_eq!(kind, "timestamp", "{label}"),
            Ty::Struct(nested) => compare(model, target, nested, &label, checked),
        }
    }
}

#[test]
fn declarations_match_botocores_service_model() {
    let model = service_model();
    assert_eq!(model["metadata"]["targetPrefix"], "SimpleWorkflowService");
    assert_eq!(DECLARED.len(), 16);
    let mut checked = 0;
    for declared in DECLARED {
        let operation = &model["operations"][declared.name];
        let input = operation["input"]["shape"]
            .as_str()
            .unwrap_or_else(|| panic!("{} is an SWF operation with an input", declared.name));
        compare(
            &model,
            input,
            declared.shape.members,
            declared.name,
            &mut checked,
        );
        for rule in declared.shape.rules {
            let (swf_edge::shape::Rule::AtMostOne(names)
            | swf_edge::shape::Rule::ExactlyOne(names)) = rule;
            for name in names.iter() {
                assert!(
                    declared
                        .shape
                        .members
                        .iter()
                        .any(|m| m.name == *name && !m.required),
                    "{}: rule member {name} is an optional member",
                    declared.name
                );
            }
        }
    }
    assert!(checked >= 80, "compared {checked} members");
}
