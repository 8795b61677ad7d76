//! The binary as a user runs it: exit codes, what is written and what is printed.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn pipec(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pipec")).args(args).env("NO_COLOR", "1").output().expect("pipec runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pipec-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dest");
    for e in std::fs::read_dir(from).expect("src").flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
        }
    }
}

#[test]
fn check_ok_exits_zero_and_writes_nothing() {
    let dir = temp("check-ok");
    copy_dir(&common::root().join("pipelines"), &dir.join("pipelines"));
    let p = dir.join("pipelines");
    let (code, _, err) = pipec(&["check", p.to_str().expect("utf-8 path")]);
    assert_eq!(code, 0, "{err}");
    assert!(!dir.join("generated").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn build_writes_then_check_is_clean_then_drift_is_found() {
    let dir = temp("build");
    copy_dir(&common::root().join("pipelines"), &dir.join("pipelines"));
    let (p, g) = (dir.join("pipelines"), dir.join("generated"));
    let (ps, gs) = (p.to_str().expect("utf-8"), g.to_str().expect("utf-8"));
    let (code, _, err) = pipec(&["build", ps, "-o", gs]);
    assert_eq!(code, 0, "{err}");
    assert!(g.join("manifest.json").exists() && g.join("orders-to-lake/pipeline.sql").exists());
    let (code, _, err) = pipec(&["build", ps, "-o", gs, "--check"]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(g.join("orders-to-lake/pipeline.sql"), "edited").expect("edit");
    let (code, _, err) = pipec(&["build", ps, "-o", gs, "--check"]);
    assert_eq!(code, 1);
    assert!(err.contains("orders-to-lake/pipeline.sql"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_exit_one_and_write_nothing() {
    let dir = temp("errors");
    let src = common::root().join("tests/fixtures/err/E0201-unknown-kafka-cluster");
    copy_dir(&src, &dir.join("pipelines"));
    std::fs::copy(common::root().join("tests/fixtures/platform.yaml"), dir.join("pipelines/platform.yaml"))
        .expect("platform");
    let (p, g) = (dir.join("pipelines"), dir.join("generated"));
    let (code, _, err) = pipec(&["build", p.to_str().expect("utf-8"), "-o", g.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("E0201"), "{err}");
    assert!(!g.exists());
    let (code, out, _) = pipec(&["check", p.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json diagnostics");
    assert_eq!(v["version"], 1);
    assert_eq!(v["diagnostics"][0]["code"], "E0201");
    let (code, out, _) = pipec(&["check", p.to_str().expect("utf-8"), "--format", "github"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("::error file=") && out.contains("pipeline.yaml,line="), "{out}");
    let (code, out, _) = pipec(&["check", p.to_str().expect("utf-8"), "--format", "sarif"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("sarif is json");
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "E0201");
    assert_eq!(v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_folder_is_pipecs_failure() {
    let (code, _, err) = pipec(&["check", "/nonexistent/pipec/input"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn explain_and_schema() {
    let (code, out, _) = pipec(&["explain", "E0401"]);
    assert_eq!(code, 0);
    assert!(out.contains("append-only"));
    let (code, _, _) = pipec(&["explain", "E9999"]);
    assert_eq!(code, 1);
    let (code, out, _) = pipec(&["schema", "pipeline"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("schema is json");
    assert_eq!(v["title"], "pipec Pipeline");
}

#[test]
fn a_removed_pipeline_is_pruned_and_other_files_are_kept() {
    let dir = temp("prune");
    copy_dir(&common::root().join("pipelines"), &dir.join("pipelines"));
    let (p, g) = (dir.join("pipelines"), dir.join("generated"));
    let (ps, gs) = (p.to_str().expect("utf-8"), g.to_str().expect("utf-8"));
    assert_eq!(pipec(&["build", ps, "-o", gs]).0, 0);
    std::fs::write(g.join("README.md"), "kept").expect("user file");
    std::fs::write(g.join("page-view-counts/NOTES.md"), "kept too").expect("user file");
    std::fs::remove_file(p.join("page-view-counts.yaml")).expect("remove pipeline");
    let (code, _, err) = pipec(&["build", ps, "-o", gs]);
    assert_eq!(code, 0, "{err}");
    assert!(!g.join("page-view-counts/pipeline.sql").exists());
    assert!(g.join("orders-to-lake/pipeline.sql").exists());
    assert_eq!(std::fs::read_to_string(g.join("README.md")).expect("kept"), "kept");
    assert_eq!(std::fs::read_to_string(g.join("page-view-counts/NOTES.md")).expect("kept"), "kept too");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn graph_shows_lineage() {
    let p = common::root().join("pipelines");
    let (code, out, err) = pipec(&["graph", p.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("flowchart LR"));
    assert!(out.contains("orders_to_lake__enriched_orders --> orders_to_lake__lake_orders"), "{out}");
    let (code, out, _) = pipec(&["graph", p.to_str().expect("utf-8"), "--format", "dot"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("digraph pipec {"));
}

#[test]
fn a_pipeline_name_that_is_a_path_is_refused_before_anything_is_written() {
    for (i, name) in ["../escape", "a/b", "..", "/etc", "manifest.json", "_platform"].iter().enumerate() {
        let dir = temp(&format!("name-{i}"));
        copy_dir(&common::root().join("pipelines"), &dir.join("pipelines"));
        let file = dir.join("pipelines/page-view-counts.yaml");
        let text = std::fs::read_to_string(&file).expect("pipeline");
        std::fs::write(&file, text.replace("name: page-view-counts", &format!("name: \"{name}\""))).expect("edit");
        let (p, g) = (dir.join("pipelines"), dir.join("generated"));
        let (code, _, err) = pipec(&["build", p.to_str().expect("utf-8"), "-o", g.to_str().expect("utf-8")]);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(err.contains("E0104") && err.contains("page-view-counts.yaml:5:"), "{name}: {err}");
        assert!(!g.exists(), "{name}: the output folder was created");
        let beside: Vec<String> = std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(beside, vec!["pipelines".to_string()], "{name}: something was written beside the output folder");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_symbolic_link_in_the_output_folder_is_refused_and_nothing_changes() {
    use std::os::unix::fs::symlink;
    let dir = temp("symlink");
    copy_dir(&common::root().join("pipelines"), &dir.join("pipelines"));
    let (p, g) = (dir.join("pipelines"), dir.join("generated"));
    let (ps, gs) = (p.to_str().expect("utf-8"), g.to_str().expect("utf-8"));
    assert_eq!(pipec(&["build", ps, "-o", gs]).0, 0);
    // A link to a folder outside, and a pipeline's folder replaced by a link to it.
    let outside = dir.join("outside");
    std::fs::create_dir(&outside).expect("outside");
    std::fs::write(outside.join("precious.txt"), "keep me").expect("outside file");
    symlink(&outside, g.join("link")).expect("link");
    std::fs::remove_dir_all(g.join("page-view-counts")).expect("remove");
    symlink(&outside, g.join("page-view-counts")).expect("link");
    let listing = |d: &Path| {
        let mut v: Vec<String> = walkdir_list(d);
        v.sort();
        v
    };
    let before = listing(&g);
    // A change that rewrites files, so that the build would write through the link if it followed it.
    let file = p.join("page-view-counts.yaml");
    let text = std::fs::read_to_string(&file).expect("pipeline");
    std::fs::write(&file, text.replace("parallelism: 2", "parallelism: 3")).expect("edit");
    let (code, _, err) = pipec(&["build", ps, "-o", gs]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("refusing to write") && err.contains("symbolic link"), "{err}");
    assert_eq!(listing(&g), before);
    let outside_now: Vec<String> = listing(&outside);
    assert_eq!(outside_now, vec!["precious.txt: 7".to_string()]);
    assert_eq!(std::fs::read_to_string(outside.join("precious.txt")).expect("kept"), "keep me");
    let (code, _, err) = pipec(&["build", ps, "-o", gs, "--check"]);
    assert_eq!(code, 2, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Paths under `dir` (links not followed, shown with their targets), files with their sizes.
fn walkdir_list(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("readable").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let kind = e.file_type().expect("type");
        if kind.is_symlink() {
            out.push(format!("{name} -> {}", std::fs::read_link(e.path()).expect("link").display()));
        } else if kind.is_dir() {
            out.extend(walkdir_list(&e.path()).into_iter().map(|p| format!("{name}/{p}")));
        } else {
            out.push(format!("{name}: {}", String::from_utf8_lossy(&std::fs::read(e.path()).expect("file")).len()));
        }
    }
    out
}
