//! The bundled pipelines and the ok fixtures compile, deterministically, to snapshotted bytes,
//! and `generated/` is exactly what `pipec build` writes for `pipelines/`.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

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

/// Every credential-looking value in one generated file: a password that is not a `${NAME}`
/// placeholder, a URL with a user and password, an AWS access key id, a private key, a
/// credential option or configuration key with a literal value, or a credential environment
/// variable not taken from a Secret.
fn secret_findings(path: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let placeholder = |rest: &str| rest.trim_start_matches(['\\', '"', '\'']).starts_with("${");
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let l = line.to_ascii_lowercase();
        let mut report = |what: &str| found.push(format!("{path}:{}: {what}: {line}", i + 1));
        for (at, _) in l.match_indices("password=") {
            if !placeholder(&line[at + "password=".len()..]) {
                report("a password that is not a placeholder");
            }
        }
        for (at, _) in l.match_indices("://") {
            let authority: String =
                line[at + 3..].chars().take_while(|c| !matches!(c, '/' | '\'' | '"' | ' ' | '?' | '#')).collect();
            if authority.split_once('@').is_some_and(|(userinfo, _)| userinfo.contains(':')) {
                report("a URL with a user and password");
            }
        }
        let b = line.as_bytes();
        for (at, _) in line.match_indices("AKIA").chain(line.match_indices("ASIA")) {
            let key = b.get(at + 4..at + 20);
            if key.is_some_and(|k| k.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())) {
                report("an AWS access key id");
            }
        }
        if l.contains("private key-----") {
            report("a private key");
        }
        // A SQL option: 'key' = 'value'.
        if let Some((key, value)) = line.trim().trim_end_matches(',').split_once("' = '") {
            let key = key.trim_start_matches('\'');
            let user = matches!(key, "username" | "jdbc.user" | "user");
            if (user || pipec::check::rules::is_credential_key(key))
                && !(value.starts_with("${") || value.contains("=\"${"))
            {
                report("a credential option with a literal value");
            }
        }
        // A YAML or JSON entry with a credential key and a value on the same line; keys that
        // hold the names of Secrets are references, not credentials.
        let t = line.trim_start().trim_start_matches("- ");
        if let Some((key, value)) = t.split_once(": ") {
            let key = key.trim_matches('"');
            let reference = matches!(key, "secret" | "secretName" | "secrets" | "name" | "key");
            if !reference
                && pipec::check::rules::is_credential_key(key)
                && !value.trim().is_empty()
                && !placeholder(value)
            {
                report("a credential key with a literal value");
            }
            // An environment variable that carries a credential comes from a Secret.
            if key == "name"
                && ["PASSWORD", "SECRET", "ACCESS_KEY", "USERNAME", "PGUSER", "JDBC_USER"]
                    .iter()
                    .any(|w| value.contains(w))
            {
                let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or("");
                if !next.starts_with("valueFrom:") {
                    report("a credential environment variable not taken from a Secret");
                }
            }
        }
    }
    found
}

#[test]
fn the_secret_scan_finds_planted_secrets() {
    let planted = [
        "  'password' = 'hunter2',",
        "  'username' = 'app',",
        "  'properties.sasl.jaas.config' = 'org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\" password=\"hunter2\";',",
        "  'url' = 'jdbc:postgresql://app:hunter2@db:5432/shop',",
        "  'url' = 'jdbc:postgresql://db:5432/shop?user=app&password=hunter2',",
        "    s3.secret-key: hunter2",
        "    fs.s3a.access.key: AKIAIOSFODNN7EXAMPLE",
        "    \"s3.access-key\": \"AKIAIOSFODNN7EXAMPLE\"",
        "-----BEGIN RSA PRIVATE KEY-----",
    ];
    for line in planted {
        assert!(!secret_findings("planted", line).is_empty(), "not found: {line}");
    }
    let env = "        - name: FABRIC_POSTGRES_APP_PASSWORD\n          value: hunter2\n";
    assert!(!secret_findings("planted", env).is_empty());
    let fine = "  'password' = '${FABRIC_POSTGRES_APP_PASSWORD}',\n  'properties.sasl.jaas.config' = '... username=\"${U}\" password=\"${P}\";',\n        - name: AWS_SECRET_ACCESS_KEY\n          valueFrom:\n          \"secret\": \"fabric-postgres-app\"\n";
    assert_eq!(secret_findings("fine", fine), Vec::<String>::new());
}

#[test]
fn output_has_no_secret_values_and_no_absolute_paths() {
    let here = common::root().to_string_lossy().into_owned();
    let mut inputs = vec![pipec::load::read_dir(&common::root().join("pipelines")).expect("pipelines/ readable")];
    for dir in common::subdirs(&common::root().join("tests/fixtures/ok")) {
        inputs.push(common::ok_fixture_files(&dir));
    }
    let mut files = 0;
    for input in inputs {
        for (path, bytes) in &output_of(input) {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains(&here), "{path} holds the build machine's path");
            let found = secret_findings(path, &text);
            assert!(found.is_empty(), "{}", found.join("\n"));
            files += 1;
        }
    }
    assert!(files > 50, "only {files} files scanned");
}
