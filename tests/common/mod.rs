//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use pipec::diag::render::{Format, render};
use pipec::{Compiled, Stop};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of a fixture folder; the shared fixture platform is added when the folder has none.
pub fn fixture_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = pipec::load::read_dir(dir).expect("fixture folder is readable");
    let has_platform = files.iter().any(|(_, b)| String::from_utf8_lossy(b).contains("kind: Platform"));
    // A fixture about a missing platform says so with a hidden marker file pipec does not read.
    if !has_platform && !dir.join(".no-platform").exists() {
        let p = root().join("tests/fixtures/platform.yaml");
        files.push(("platform.yaml".to_string(), std::fs::read(p).expect("shared platform fixture")));
        files.sort();
    }
    files
}

/// An ok fixture: a folder with pipelines compiles as it is; a folder with only a platform
/// compiles the pipelines of `pipelines/` against that platform.
pub fn ok_fixture_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = fixture_files(dir);
    let has_pipeline = files.iter().any(|(_, b)| String::from_utf8_lossy(b).contains("kind: Pipeline"));
    if !has_pipeline {
        let corpus = pipec::load::read_dir(&root().join("pipelines")).expect("pipelines/ readable");
        files.extend(corpus.into_iter().filter(|(_, b)| !String::from_utf8_lossy(b).contains("kind: Platform")));
        files.sort();
    }
    files
}

pub fn compile(files: Vec<(String, Vec<u8>)>) -> Compiled {
    pipec::compile(files, Stop::AfterEmit).expect("pipec does not fail internally")
}

pub fn rendered(c: &Compiled) -> String {
    render(&c.diagnostics.sorted(), &c.sources, Format::Human, false)
}

/// Subfolders of a folder, sorted.
pub fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    v.sort();
    v
}
