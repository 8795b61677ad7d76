//! Correctness at scale on generated repositories (`pipec dev generate`): 10,000 pipelines
//! check clean, and builds (of 300 pipelines, to keep the debug test short) are complete and
//! deterministic. How fast is measured by the benchmarks (`benches/`), never here.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::collections::BTreeSet;

use pipec::{Stop, synth};

fn files(pipelines: usize, seed: u64) -> Vec<(String, Vec<u8>)> {
    synth::repository(pipelines, seed).into_iter().map(|(p, t)| (p, t.into_bytes())).collect()
}

fn compile(files: Vec<(String, Vec<u8>)>, stop: Stop) -> pipec::Compiled {
    let c = pipec::compile(files, stop).expect("pipec does not fail internally");
    if !c.diagnostics.is_empty() {
        let first: Vec<_> = c.diagnostics.sorted().into_iter().take(5).cloned().collect();
        let text = pipec::diag::render::render(
            &first.iter().collect::<Vec<_>>(),
            &c.sources,
            pipec::diag::render::Format::Human,
            false,
        );
        panic!("{} diagnostic(s), the first:\n{text}", c.diagnostics.len());
    }
    c
}

#[test]
fn ten_thousand_pipelines_check_clean() {
    let files = files(10_000, 1);
    assert_eq!(files.len(), 10_001);
    let c = compile(files, Stop::AfterCheck);
    let model = c.model.expect("a model");
    assert_eq!(model.pipelines.len(), 10_000);
    let names: BTreeSet<&str> = model.pipelines.iter().map(|p| p.doc.metadata.name.as_str()).collect();
    assert_eq!(names.len(), 10_000);
    // Every pipeline reads and writes: 2 to 5 sources, 1 to 4 transforms, 1 to 3 sinks.
    for p in &model.pipelines {
        let spec = &p.doc.spec;
        assert!((1..=5).contains(&spec.sources.len()), "{}", p.path);
        assert!((1..=4).contains(&spec.transforms.len()), "{}", p.path);
        assert!((1..=3).contains(&spec.sinks.len()), "{}", p.path);
    }
}

#[test]
fn the_generator_is_deterministic() {
    let a = synth::repository(10_000, 7);
    assert_eq!(a, synth::repository(10_000, 7));
    assert_ne!(a, synth::repository(10_000, 8));
}

#[test]
fn builds_are_complete_and_deterministic() {
    let files = files(300, 2);
    let first = compile(files.clone(), Stop::AfterEmit).output.expect("an output");
    let mut reversed = files;
    reversed.reverse();
    let second = compile(reversed, Stop::AfterEmit).output.expect("an output");
    assert!(first == second, "the output depends on the discovery order");

    let manifest: serde_json::Value =
        serde_json::from_slice(&first.files["manifest.json"]).expect("manifest.json is JSON");
    let pipelines = manifest["pipelines"].as_array().expect("pipelines");
    assert_eq!(pipelines.len(), 300);
    let listed = manifest["files"].as_object().expect("files");
    assert_eq!(listed.len(), first.files.len() - 1, "the manifest lists every other file");
    for p in pipelines {
        let name = p["name"].as_str().expect("name");
        for file in ["pipeline.sql", "flinkdeployment.yaml", "configmap.yaml", "buckets.yaml", "kustomization.yaml"] {
            assert!(first.files.contains_key(&format!("{name}/{file}")), "{name}/{file}");
        }
        for file in p["files"].as_array().expect("files") {
            assert!(listed.contains_key(file.as_str().expect("a path")), "{file}");
        }
    }
}
