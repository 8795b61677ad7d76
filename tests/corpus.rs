//! The bundled pipelines and the ok fixtures compile, deterministically, to snapshotted bytes,
//! and `generated/` is exactly what `pipec build` writes for `pipelines/`.

mod common;

use std::collections::BTreeMap;

fn output_of(files: Vec<(String, Vec<u8>)>) -> BTreeMap<String, Vec<u8>> {
    let c = common::compile(files);
    assert!(!c.diagnostics.has_errors(), "errors:\n{}", common::rendered(&c));
    c.output.expect("an output when there are no errors").files
}

fn snapshot_all(prefix: &str, files: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in files {
        let name = format!("{prefix}__{}", path.replace('/', "__"));
        let text = String::from_utf8_lossy(bytes).into_owned();
        insta::with_settings!({snapshot_path => "snapshots/artefacts", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, text);
        });
    }
}

#[test]
fn pipelines_compile_and_generated_is_current() {
    let files = pipec::load::read_dir(&common::root().join("pipelines")).expect("pipelines/ readable");
    let out = output_of(files);
    snapshot_all("pipelines", &out);
    let drift = pipec::write::check(&common::root().join("generated"), &pipec::write::Output { files: out })
        .expect("generated/ readable");
    assert!(drift.is_empty(), "generated/ is stale: {drift:?}; run `cargo run -- build pipelines -o generated`");
}

#[test]
fn ok_fixtures_compile() {
    for dir in common::subdirs(&common::root().join("tests/fixtures/ok")) {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("fixture").to_string();
        let out = output_of(common::ok_fixture_files(&dir));
        snapshot_all(&name, &out);
    }
}

#[test]
fn output_is_deterministic_whatever_the_discovery_order() {
    let files = pipec::load::read_dir(&common::root().join("pipelines")).expect("pipelines/ readable");
    let first = output_of(files.clone());
    let mut reversed = files.clone();
    reversed.reverse();
    let mut rotated = files;
    rotated.rotate_left(2);
    assert_eq!(first, output_of(reversed));
    assert_eq!(first, output_of(rotated));
}

#[test]
fn output_has_no_secret_values_and_no_absolute_paths() {
    let files = pipec::load::read_dir(&common::root().join("pipelines")).expect("pipelines/ readable");
    let out = output_of(files);
    let here = common::root().to_string_lossy().into_owned();
    for (path, bytes) in &out {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(&here), "{path} holds the build machine's path");
        for line in text.lines() {
            let l = line.to_ascii_lowercase();
            // Every credential option is a ${NAME} placeholder filled from a Secret at run time.
            if l.contains("'password'")
                || l.contains("'username'")
                || l.contains("'jdbc.password'")
                || l.contains("'jdbc.user'")
            {
                assert!(line.contains("'${"), "{path}: a credential option without a placeholder: {line}");
            }
            if l.contains("password=") {
                assert!(line.contains("password=\\\"${") || line.contains("password=\"${"), "{path}: {line}");
            }
            assert!(!l.contains("begin private key"), "{path}: a private key");
        }
    }
    // Secrets reach pods only as references.
    for (path, bytes) in out.iter().filter(|(p, _)| p.ends_with("flinkdeployment.yaml")) {
        let text = String::from_utf8_lossy(bytes);
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start().trim_start_matches("- ");
            if let Some(name) = t.strip_prefix("name: ") {
                let credential = ["PASSWORD", "SECRET", "ACCESS_KEY", "USERNAME", "PGUSER", "JDBC_USER"]
                    .iter()
                    .any(|w| name.contains(w));
                if credential {
                    let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or("");
                    assert!(next.starts_with("valueFrom:"), "{path}: env {name} is not taken from a Secret");
                }
            }
        }
    }
}
