//! Every folder in `tests/fixtures/err/` is named after the code it must produce
//! (`E0101-unknown-field`); its rendered diagnostics are snapshotted. Error fixtures produce no
//! output; warning fixtures still compile. Every diagnostic of every fixture has one primary
//! span inside its file, a label, a help line, and a file, line and column in every format.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::collections::BTreeMap;

use pipec::diag::render::{Format, render};
use pipec::diag::{Code, Stage};

#[test]
fn error_fixtures_report_their_code() {
    let dirs = common::subdirs(&common::root().join("tests/fixtures/err"));
    assert!(dirs.len() >= 80, "expected at least 80 error and warning fixtures, found {}", dirs.len());
    let mut failures = Vec::new();
    for dir in dirs {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("fixture").to_string();
        let code = name.split('-').next().unwrap_or("");
        let c = common::compile(common::fixture_files(&dir));
        let codes: Vec<&str> = c.diagnostics.sorted().iter().map(|d| d.code.as_str()).collect();
        if !codes.contains(&code) {
            failures.push(format!("{name}: expected {code}, got {codes:?}\n{}", common::rendered(&c)));
            continue;
        }
        if code.starts_with('E') {
            assert!(c.output.is_none(), "{name}: an error fixture produced output");
        } else {
            // A warning fixture renders warnings only, and still compiles.
            assert!(!c.diagnostics.has_errors(), "{name}: a warning fixture has errors\n{}", common::rendered(&c));
            assert!(c.output.is_some(), "{name}: a warning fixture produced no output");
        }
        failures.extend(shape_problems(&name, &c));
        insta::with_settings!({snapshot_path => "snapshots/errors", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, common::rendered(&c));
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_code_has_an_explanation_a_fix_and_a_fixture() {
    let fixtures: Vec<String> = common::subdirs(&common::root().join("tests/fixtures/err"))
        .iter()
        .filter_map(|d| d.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .collect();
    for c in pipec::diag::Code::ALL {
        assert!(c.explain().len() > 40, "{} has no real explanation", c.as_str());
        assert!(c.explain().contains("Fix: "), "{}'s explanation gives no fix", c.as_str());
        assert!(!c.summary().is_empty());
        assert!(
            fixtures.iter().any(|f| f.starts_with(&format!("{}-", c.as_str()))),
            "{} has no fixture in tests/fixtures/err",
            c.as_str()
        );
    }
}

/// What is wrong with the shape of a fixture's diagnostics: each has one primary span inside
/// its file (the SARIF result has exactly one location), a label, a help line, and a file,
/// 1-based line and column in the JSON and GitHub formats.
fn shape_problems(name: &str, c: &pipec::Compiled) -> Vec<String> {
    let mut problems = Vec::new();
    let sorted = c.diagnostics.sorted();
    for d in &sorted {
        let what = format!("{name}: {} `{}`", d.code.as_str(), d.message);
        let file = c.sources.get(d.span.file);
        if d.label.trim().is_empty() || d.help.trim().is_empty() {
            problems.push(format!("{what} lacks a label or a help line"));
        }
        if !(d.span.start <= d.span.end && d.span.end <= file.text.len()) {
            problems.push(format!("{what}: its span {}..{} is outside its file", d.span.start, d.span.end));
        }
        // An empty span is an insertion point (where a missing key or token belongs).
        if !file.text.is_char_boundary(d.span.start.min(file.text.len())) {
            problems.push(format!("{what}: its span starts inside a character"));
        }
        // A span over a whole document is no token.
        if file.text.len() > 40 && d.span.len() >= file.text.trim().len() {
            problems.push(format!("{what}: its span is the whole file"));
        }
        for (span, label) in &d.related {
            let f = c.sources.get(span.file);
            if span.end > f.text.len() || label.trim().is_empty() {
                problems.push(format!("{what}: a related span is outside its file or unlabelled"));
            }
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&render(&sorted, &c.sources, Format::Json, false)).expect("json diagnostics");
    for d in json["diagnostics"].as_array().into_iter().flatten() {
        let ok = d["file"].as_str().is_some_and(|f| !f.is_empty())
            && d["line"].as_u64().is_some_and(|l| l >= 1)
            && d["column"].as_u64().is_some_and(|c| c >= 1)
            && d["endLine"].as_u64() >= d["line"].as_u64();
        if !ok {
            problems.push(format!("{name}: a json diagnostic lacks a file, line or column: {d}"));
        }
    }
    let github = render(&sorted, &c.sources, Format::Github, false);
    if github.lines().count() != sorted.len()
        || !github.lines().all(|l| {
            (l.starts_with("::error file=") || l.starts_with("::warning file="))
                && l.contains(",line=")
                && l.contains(",col=")
        })
    {
        problems.push(format!("{name}: github annotations are not one per diagnostic:\n{github}"));
    }
    let sarif: serde_json::Value =
        serde_json::from_str(&render(&sorted, &c.sources, Format::Sarif, false)).expect("sarif is json");
    let results = sarif["runs"][0]["results"].as_array().cloned().unwrap_or_default();
    if results.len() != sorted.len() || results.iter().any(|r| r["locations"].as_array().map(Vec::len) != Some(1)) {
        problems.push(format!("{name}: a SARIF result has not exactly one location"));
    }
    problems
}

/// Fixtures by stage, as a Markdown table: the stage, its codes with fixtures, the count.
fn fixtures_by_stage() -> String {
    let mut by_stage: BTreeMap<Stage, (BTreeMap<&str, usize>, usize)> = BTreeMap::new();
    for dir in common::subdirs(&common::root().join("tests/fixtures/err")) {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let code = Code::parse(name.split('-').next().unwrap_or("")).unwrap_or_else(|| panic!("{name}: no code"));
        let entry = by_stage.entry(code.stage()).or_default();
        *entry.0.entry(code.as_str()).or_default() += 1;
        entry.1 += 1;
    }
    let mut out = String::from("| stage | fixtures | codes (fixtures) |\n| --- | ---: | --- |\n");
    let mut total = 0;
    for stage in Stage::ALL {
        let (codes, n) = by_stage.remove(stage).unwrap_or_default();
        let codes: Vec<String> =
            codes.iter().map(|(c, k)| if *k > 1 { format!("{c} ({k})") } else { (*c).to_string() }).collect();
        out.push_str(&format!("| {} | {n} | {} |\n", stage.name(), codes.join(", ")));
        total += n;
    }
    out.push_str(&format!("| **total** | **{total}** | |\n"));
    out
}

#[test]
fn the_fixtures_by_stage_table_in_the_docs_is_current() {
    let table = fixtures_by_stage();
    println!("{table}");
    let doc = std::fs::read_to_string(common::root().join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    let start = "<!-- fixtures by stage: generated by tests/errors.rs -->\n";
    let documented = doc
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once("<!-- end -->"))
        .map(|(t, _)| t)
        .expect("docs/diagnostics.md has the fixtures-by-stage markers");
    assert_eq!(documented, table, "docs/diagnostics.md's fixtures by stage is stale; the current table:\n{table}");
    for stage in Stage::ALL {
        assert!(
            table.lines().any(|l| l.starts_with(&format!("| {} | ", stage.name())) && !l.contains(" | 0 | ")),
            "no fixture for stage {}",
            stage.name()
        );
    }
}
