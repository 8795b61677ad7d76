//! Pipelines are checked as soon as they are read once the platform is known; these cases
//! make sure that reading the platform first changes nothing a user sees.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use pipec::diag::Code;

/// The bundled pipelines, with the platform file's text replaced.
fn corpus_with_platform(edit: impl Fn(&str) -> String) -> Vec<(String, Vec<u8>)> {
    let files = pipec::load::read_dir(&common::root().join("pipelines")).expect("pipelines/ readable");
    files
        .into_iter()
        .map(|(path, bytes)| {
            if path == "platform.yaml" {
                let text = String::from_utf8(bytes).expect("utf-8");
                (path, edit(&text).into_bytes())
            } else {
                (path, bytes)
            }
        })
        .collect()
}

fn codes(c: &pipec::Compiled) -> Vec<Code> {
    c.diagnostics.sorted().iter().map(|d| d.code).filter(|c| *c != Code::W0201).collect()
}

#[test]
fn a_platform_whose_kind_is_escaped_is_still_the_platform() {
    let plain = common::compile(corpus_with_platform(str::to_string));
    let escaped = common::compile(corpus_with_platform(|t| t.replace("kind: Platform", "kind: \"Pl\\x61tform\"")));
    assert!(codes(&escaped).is_empty(), "{}", common::rendered(&escaped));
    assert_eq!(plain.output, escaped.output);
}

#[test]
fn a_pipeline_that_mentions_the_platform_is_checked_like_any_other() {
    let mut files = corpus_with_platform(str::to_string);
    let first = files.iter().position(|(p, _)| p != "platform.yaml").expect("a pipeline");
    let text = String::from_utf8(files[first].1.clone()).expect("utf-8");
    files[first].1 = text.replacen("kind: Pipeline\n", "kind: Pipeline # not the Platform\n", 1).into_bytes();
    let c = common::compile(files);
    assert!(codes(&c).is_empty(), "{}", common::rendered(&c));
    assert!(c.output.is_some());
}

#[test]
fn a_second_pipeline_of_a_name_is_reported_and_not_checked() {
    let mut files = corpus_with_platform(str::to_string);
    let (_, orders) = files.iter().find(|(p, _)| p == "orders-to-lake.yaml").expect("orders-to-lake").clone();
    // The copy comes later in discovery order and has an error of its own, which is not reported.
    let copy = String::from_utf8(orders).expect("utf-8").replace("FROM orders AS o", "FROM nowhere AS o");
    files.push(("zz/orders-again.yaml".to_string(), copy.into_bytes()));
    let c = common::compile(files);
    assert_eq!(codes(&c), vec![Code::E0202], "{}", common::rendered(&c));
    let d = c.diagnostics.sorted().into_iter().find(|d| d.code == Code::E0202).expect("E0202").clone();
    assert_eq!(c.sources.get(d.span.file).path, "zz/orders-again.yaml");
}

#[test]
fn a_second_platform_is_reported_wherever_it_is() {
    let mut files = corpus_with_platform(str::to_string);
    let (_, platform) = files.iter().find(|(p, _)| p == "platform.yaml").expect("platform").clone();
    files.push(("aa/platform.yaml".to_string(), platform));
    files.sort();
    let c = common::compile(files);
    assert_eq!(codes(&c), vec![Code::E0007], "{}", common::rendered(&c));
    let d = c.diagnostics.sorted().into_iter().find(|d| d.code == Code::E0007).expect("E0007").clone();
    assert_eq!(c.sources.get(d.span.file).path, "platform.yaml");
}

#[test]
fn without_a_platform_the_first_pipeline_is_named() {
    let files: Vec<_> =
        corpus_with_platform(str::to_string).into_iter().filter(|(p, _)| p != "platform.yaml").collect();
    let c = common::compile(files);
    assert_eq!(codes(&c), vec![Code::E0006], "{}", common::rendered(&c));
    let d = c.diagnostics.sorted().into_iter().next().expect("E0006").clone();
    assert_eq!(c.sources.get(d.span.file).path, "customers-to-analytics.yaml");
}

/// `pipec check` plans only what can fail; it must report exactly what `pipec build` reports.
#[test]
fn check_reports_what_build_reports() {
    let mut cases = vec![pipec::load::read_dir(&common::root().join("pipelines")).expect("pipelines/ readable")];
    for kind in ["ok", "err"] {
        for dir in common::subdirs(&common::root().join("tests/fixtures").join(kind)) {
            cases.push(common::fixture_files(&dir));
        }
    }
    for files in cases {
        let build = common::compile(files.clone());
        let check = pipec::compile(files, pipec::Stop::AfterCheck).expect("pipec does not fail internally");
        assert_eq!(common::rendered(&check), common::rendered(&build));
    }
}
