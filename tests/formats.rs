//! The machine-readable formats: `--format json` fits its documented, versioned schema
//! (`schemas/diagnostics.schema.json`), `--format github` prints one workflow command per
//! diagnostic, and `--format sarif` is valid SARIF 2.1.0 (the schema in `tests/sarif/`) with what
//! GitHub code scanning needs. Every fixture's diagnostics go through all three.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::process::Command;

use pipec::diag::render::{Format, render};

fn validator(path: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(common::root().join(path)).expect("schema readable");
    let mut schema: serde_json::Value = serde_json::from_str(&text).expect("schema is json");
    // The SARIF schema's pattern for `language` (of a run and of a tool component) has an
    // unbalanced `]`, so the draft-07 meta-schema (`format: regex`) refuses the schema itself.
    // Its intent is kept here, in memory; pipec writes no `language`.
    fn fix_language(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("pattern").and_then(|p| p.as_str()) == Some("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$") {
                    m.insert("pattern".to_string(), serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"));
                }
                m.values_mut().for_each(fix_language);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(fix_language),
            _ => {}
        }
    }
    fix_language(&mut schema);
    // Formats are asserted: `uri`, `uri-reference`, `date-time`.
    jsonschema::options().should_validate_formats(true).build(&schema).expect("schema compiles")
}

fn errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    v.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// Every fixture's diagnostics (and a clean compile's none), rendered in `format`.
fn rendered_fixtures(format: Format) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in common::subdirs(&common::root().join("tests/fixtures/err")) {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("fixture").to_string();
        let c = common::compile(common::fixture_files(&dir));
        out.push((name, render(&c.diagnostics.sorted(), &c.sources, format, false)));
    }
    let clean = common::compile(pipec::load::read_dir(&common::root().join("pipelines")).expect("pipelines/"));
    out.push(("pipelines".to_string(), render(&clean.diagnostics.sorted(), &clean.sources, format, false)));
    out
}

#[test]
fn json_fits_its_documented_versioned_schema() {
    let v = validator("schemas/diagnostics.schema.json");
    // The schema is no formality: a missing field or another version fails it.
    let bad = serde_json::json!({"version": 2, "diagnostics": [{"code": "E0401"}]});
    assert!(errors(&v, &bad).len() >= 2);
    let mut diagnostics = 0;
    for (name, text) in rendered_fixtures(Format::Json) {
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not json: {e}"));
        let found = errors(&v, &doc);
        assert!(found.is_empty(), "{name}:\n{}", found.join("\n"));
        diagnostics += doc["diagnostics"].as_array().map_or(0, Vec::len);
    }
    assert!(diagnostics >= 100, "only {diagnostics} diagnostics checked");
    let doc = std::fs::read_to_string(common::root().join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    for key in ["version", "code", "severity", "endColumn", "byteStart", "related", "schemas/diagnostics.schema.json"] {
        assert!(doc.contains(&format!("`{key}`")), "docs/diagnostics.md does not document `{key}`");
    }
}

#[test]
fn github_annotations_are_workflow_commands() {
    for (name, text) in rendered_fixtures(Format::Github) {
        for line in text.lines() {
            let (command, message) =
                line.split_once("::").and_then(|(_, rest)| rest.split_once("::")).unwrap_or(("", ""));
            let (kind, properties) = command.split_once(' ').unwrap_or(("", ""));
            assert!(matches!(kind, "error" | "warning"), "{name}: {line}");
            let keys: Vec<&str> = properties.split(',').map(|p| p.split_once('=').map_or("", |(k, _)| k)).collect();
            assert_eq!(keys, ["file", "line", "col", "endLine", "endColumn", "title"], "{name}: {line}");
            for p in properties.split(',') {
                let (k, v) = p.split_once('=').unwrap_or(("", ""));
                if matches!(k, "line" | "col" | "endLine" | "endColumn") {
                    assert!(v.parse::<u32>().is_ok_and(|n| n >= 1), "{name}: {k}={v}");
                }
                assert!(!v.contains([':', '\n', '\r']), "{name}: an unescaped property value: {line}");
            }
            assert!(!message.is_empty() && !message.contains(['\n', '\r']), "{name}: {line}");
        }
    }
}

#[test]
fn sarif_is_valid_sarif_2_1_0_for_code_scanning() {
    let v = validator("tests/sarif/sarif-schema-2.1.0.json");
    // The schema catches what code scanning would refuse.
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"results": [{"message": {"text": "x"}, "locations": "here"}]}]});
    assert!(!errors(&v, &bad).is_empty());
    let mut results = 0;
    for (name, text) in rendered_fixtures(Format::Sarif) {
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not json: {e}"));
        let found = errors(&v, &doc);
        assert!(found.is_empty(), "{name}:\n{}", found.join("\n"));
        // What GitHub code scanning reads.
        assert_eq!(doc["version"], "2.1.0");
        assert!(doc["$schema"].as_str().is_some_and(|s| s.starts_with("https://")));
        let run = &doc["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "pipec");
        let rules = run["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
        for r in run["results"].as_array().into_iter().flatten() {
            let rule = r["ruleId"].as_str().unwrap_or_default();
            let index = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
            assert_eq!(rules.get(index).map(|x| &x["id"]), Some(&serde_json::json!(rule)), "{name}");
            assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{name}");
            let location = &r["locations"][0]["physicalLocation"];
            let uri = location["artifactLocation"]["uri"].as_str().unwrap_or_default();
            assert!(
                !uri.is_empty() && !uri.starts_with('/') && !uri.contains("://"),
                "{name}: `{uri}` is not relative"
            );
            assert!(location["region"]["startLine"].as_u64().is_some_and(|l| l >= 1), "{name}");
            assert!(location["region"]["startColumn"].as_u64().is_some_and(|c| c >= 1), "{name}");
            results += 1;
        }
    }
    assert!(results >= 100, "only {results} results checked");
}

#[test]
fn paths_that_are_no_uri_are_percent_encoded_in_sarif() {
    let dir = std::env::temp_dir().join(format!("pipec-formats-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let input = dir.join("pipe lines #1");
    std::fs::create_dir_all(&input).expect("temp dir");
    let src = common::root().join("tests/fixtures/err/E0201-unknown-kafka-cluster/pipeline.yaml");
    std::fs::copy(src, input.join("grüße [1].yaml")).expect("copy");
    std::fs::copy(common::root().join("tests/fixtures/platform.yaml"), input.join("platform.yaml")).expect("copy");
    let out = Command::new(env!("CARGO_BIN_EXE_pipec"))
        .current_dir(&dir)
        .args(["check", "pipe lines #1", "--format", "sarif"])
        .output()
        .expect("pipec runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif is json");
    assert!(errors(&validator("tests/sarif/sarif-schema-2.1.0.json"), &doc).is_empty());
    let uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone();
    assert_eq!(uri, "pipe%20lines%20%231/gr%C3%BC%C3%9Fe%20%5B1%5D.yaml");
    // A clean folder still prints a SARIF log (no results) and a JSON document.
    for (format, key) in [("sarif", "runs"), ("json", "diagnostics")] {
        let out = Command::new(env!("CARGO_BIN_EXE_pipec"))
            .args(["check", common::root().join("pipelines").to_str().expect("utf-8"), "--format", format])
            .output()
            .expect("pipec runs");
        assert_eq!(out.status.code(), Some(0));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a document");
        assert!(doc.get(key).is_some(), "{format}: {doc}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
