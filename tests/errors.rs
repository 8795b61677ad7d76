//! Every folder in `tests/fixtures/err/` is named after the code it must produce
//! (`E0101-unknown-field`); its rendered diagnostics are snapshotted. Error fixtures produce no
//! output; warning fixtures still compile.

mod common;

#[test]
fn error_fixtures_report_their_code() {
    let dirs = common::subdirs(&common::root().join("tests/fixtures/err"));
    assert!(dirs.len() >= 25, "expected at least 25 error fixtures, found {}", dirs.len());
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
        }
        // Every diagnostic names a code with an explanation and has a label and a help line.
        for d in c.diagnostics.sorted() {
            if d.label.is_empty() || d.help.is_empty() {
                failures.push(format!("{name}: {} lacks a label or help", d.code.as_str()));
            }
        }
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
