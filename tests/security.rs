//! Hostile names and literals: what pipec accepts reaches Flink meaning what the author wrote,
//! and the SQL runner splits every generated script exactly where Flink does; what it cannot
//! write safely it refuses with a diagnostic. `${...}` in user text never becomes a secret
//! reference.
//!
//! The runner is the Flink Kubernetes Operator's example SQL runner, as the platform runs it:
//! it trims the script and appends `;` unless it ends with one, removes every match of its
//! comment expression `(--.*)|(((\/\*)+?[\w\W]+?(\*\/)+))` (inside literals too; `.` stops at
//! `\n`, `\r`, U+0085, U+2028 and U+2029), keeps PEM certificate markers out of that removal,
//! then splits at `\n`, trims every line, skips blank ones, and ends a statement at a line
//! that ends with `;` (inside a block opened by a line starting `EXECUTE STATEMENT SET`, only at
//! a line that is exactly `END;`). A statement matching `SET\s+'(\S+)'\s+=\s+'(.*)';` is applied
//! to the configuration; every other one goes to Flink.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::collections::BTreeMap;

use pipec::diag::{Code, Severity};
use serde::Deserialize;

// ---------------------------------------------------------------------------------------------
// The SQL runner, re-implemented from its documented behaviour.
// ---------------------------------------------------------------------------------------------

/// Java's `String.trim()`: drops characters up to U+0020 at both ends.
fn jtrim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// Java's `String.isBlank()`: empty or only `Character.isWhitespace` characters.
fn jblank(s: &str) -> bool {
    s.chars().all(|c| {
        matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | '\u{1c}'..='\u{1f}' | ' ')
            || (c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{85}'))
    })
}

/// Whether Java's `.` (without DOTALL) stops at `c`.
fn java_line_end(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// `replaceAll` of the runner's comment expression.
fn runner_strip_comments(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize, s: &str| s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if at(i, "--") {
            while i < chars.len() && !java_line_end(chars[i]) {
                i += 1;
            }
            continue;
        }
        if at(i, "/*") {
            // `(/\*)+?` takes one `/*`, `[\w\W]+?` at least one character, `(\*/)+` every `*/`
            // in a row; without a `*/` after the first character there is no match here.
            if let Some(close) = (i + 3..chars.len()).find(|&k| at(k, "*/")) {
                let mut end = close;
                while at(end, "*/") {
                    end += 2;
                }
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

const PEM: [(&str, &str); 2] = [
    ("-----BEGIN CERTIFICATE-----", "======BEGIN CERTIFICATE====="),
    ("-----END CERTIFICATE-----", "=====END CERTIFICATE====="),
];

/// What the runner sends: its statements, each its trimmed lines joined with `\n`; `Err` names
/// a statement it would never run.
fn runner_statements(script: &str) -> Result<Vec<String>, String> {
    let mut text = jtrim(script).to_string();
    if !text.ends_with(';') {
        text.push(';');
    }
    text.push('\n');
    for (plain, escaped) in PEM {
        text = text.replace(plain, escaped);
    }
    text = runner_strip_comments(&text);
    for (plain, escaped) in PEM {
        text = text.replace(escaped, plain);
    }
    let mut statements = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut in_set = false;
    for raw in text.split('\n') {
        let line = jtrim(raw);
        if jblank(line) {
            continue;
        }
        if line.starts_with("EXECUTE STATEMENT SET") {
            in_set = true;
        }
        current.push(line);
        if line.ends_with(';') && (!in_set || line == "END;") {
            statements.push(current.join("\n"));
            current.clear();
            in_set = false;
        }
    }
    if !current.is_empty() {
        return Err(format!("the runner never runs: {}", current.join("\n")));
    }
    Ok(statements)
}

/// The runner's SET form: `SET\s+'(\S+)'\s+=\s+'(.*)';` on the whole trimmed statement.
fn runner_set(statement: &str) -> Option<(String, String)> {
    let s = jtrim(statement);
    let rest = s.get(..3).filter(|w| w.eq_ignore_ascii_case("SET")).map(|_| &s[3..])?;
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r');
    let rest = rest.strip_prefix(ws)?.trim_start_matches(ws).strip_prefix('\'')?;
    let close = rest.find('\'')?;
    let key = &rest[..close];
    if key.is_empty() || key.contains(ws) {
        return None;
    }
    let rest = rest[close + 1..].strip_prefix(ws)?.trim_start_matches(ws).strip_prefix('=')?;
    let rest = rest.strip_prefix(ws)?.trim_start_matches(ws).strip_prefix('\'')?;
    let value = rest.strip_suffix("';")?;
    if value.contains(java_line_end) {
        return None;
    }
    Some((key.to_string(), value.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Flink's view: tokens (comments and white space dropped) and statements split at top-level `;`.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    /// A string literal or quoted name, quotes included, exactly as written.
    Quoted(String),
    /// A `/*+ ... */` hint, which Flink reads and the runner removes.
    Hint(String),
    Symbol(char),
}

fn tokens(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let at = |i: usize, s: &str| s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if at(i, "--") || at(i, "//") {
            while i < chars.len() && !matches!(chars[i], '\n' | '\r') {
                i += 1;
            }
        } else if at(i, "/*") {
            let start = i;
            i += 2;
            while i < chars.len() && !at(i, "*/") {
                i += 1;
            }
            i = (i + 2).min(chars.len());
            if at(start, "/*+") {
                out.push(Token::Hint(chars[start..i].iter().collect()));
            }
        } else if matches!(c, '\'' | '`' | '"') {
            let start = i;
            i += 1;
            while i < chars.len() {
                if chars[i] == c {
                    if chars.get(i + 1) == Some(&c) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            out.push(Token::Quoted(chars[start..i].iter().collect()));
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '$' | '.')) {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        } else if c.is_whitespace() {
            i += 1;
        } else {
            out.push(Token::Symbol(c));
            i += 1;
        }
    }
    out
}

fn is_word(t: Option<&Token>, w: &str) -> bool {
    matches!(t, Some(Token::Word(x)) if x.eq_ignore_ascii_case(w))
}

/// Statements as Flink splits the script: at `;` outside literals and comments, an
/// `EXECUTE STATEMENT SET BEGIN ... END;` block being one statement.
fn flink_statements(script: &str) -> Vec<Vec<Token>> {
    let mut statements = Vec::new();
    let mut current: Vec<Token> = Vec::new();
    let mut in_set = false;
    for t in tokens(script) {
        let ends = t == Token::Symbol(';');
        current.push(t);
        if current.len() == 4
            && ["EXECUTE", "STATEMENT", "SET", "BEGIN"].iter().enumerate().all(|(k, w)| is_word(current.get(k), w))
        {
            in_set = true;
        }
        if ends && (!in_set || is_word(current.len().checked_sub(2).and_then(|k| current.get(k)), "END")) {
            statements.push(std::mem::take(&mut current));
            in_set = false;
        }
    }
    assert!(current.is_empty(), "a statement without `;` at the end of the script: {current:?}");
    statements
}

/// Every difference between the runner's statements and Flink's, for one script.
fn runner_findings(script: &str) -> Vec<String> {
    let runner = match runner_statements(script) {
        Ok(r) => r,
        Err(e) => return vec![e],
    };
    let flink = flink_statements(script);
    let mut findings = Vec::new();
    if runner.len() != flink.len() {
        findings.push(format!("the runner sends {} statements, Flink reads {}", runner.len(), flink.len()));
    }
    for (k, (r, f)) in runner.iter().zip(&flink).enumerate() {
        let sent = tokens(r);
        if &sent != f {
            findings.push(format!("statement {} differs as the runner sends it:\n{r}\n{sent:?}\n{f:?}", k + 1));
        }
        if is_word(f.first(), "SET") {
            match runner_set(r) {
                Some((key, value)) if !key.contains('\'') && !value.contains('\'') => {}
                _ => findings.push(format!("statement {} is a SET the runner does not apply as written: {r}", k + 1)),
            }
        }
    }
    findings
}

// ---------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_runner_emulation_finds_what_it_mangles() {
    // Scripts the runner mis-splits or changes: each must be found, or this emulation proves nothing.
    let broken = [
        "SELECT 'a--b' FROM t;\n",
        "SELECT 'a;\nb' FROM t;\n",
        "SELECT 'a\n  b' FROM t;\n",
        "SELECT /*+ OPTIONS('k'='v') */ a FROM t;\n",
        "SELECT `x/*y` FROM t /* z */;\n",
        "SELECT a -- c\u{2028}, b\nFROM t;\n",
        "SET 'a' = 'b'; SET 'c' = 'd';\n",
        "SET 'a'='b';\n",
        "SELECT 1 FROM t; -- x\nSELECT 2 FROM t -- y",
        "EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT 1 FROM t; END;\n",
    ];
    for script in broken {
        assert!(!runner_findings(script).is_empty(), "not found: {script:?}");
    }
    let fine = "-- header; with ${X}\nSET 'k' = 'v';\n\nCREATE TABLE `a;` (\n  `b--` INT\n) WITH ('x' = 'it''s');\n\
                /* block;\n over lines; */\nCREATE VIEW v AS\nSELECT 'a; b' FROM t -- end;\n;\n\
                EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO `a;` SELECT 1 FROM v;\nEND;\n";
    // A quoted name with `--` is mangled: the emulation must see it.
    assert_eq!(runner_findings(fine).len(), 1, "{:?}", runner_findings(fine));
    assert!(runner_findings(&fine.replace("`b--`", "`b`")).is_empty());
}

/// Every generated `pipeline.sql` of the bundled pipelines and of every ok fixture.
fn all_scripts() -> Vec<(String, BTreeMap<String, Vec<u8>>)> {
    let mut outputs = Vec::new();
    let corpus = pipec::load::read_dir(&common::root().join("pipelines")).expect("pipelines/ readable");
    outputs.push(("pipelines".to_string(), corpus));
    for dir in common::subdirs(&common::root().join("tests/fixtures/ok")) {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("fixture").to_string();
        outputs.push((name, common::ok_fixture_files(&dir)));
    }
    outputs
        .into_iter()
        .map(|(name, files)| {
            let c = common::compile(files);
            assert!(!c.diagnostics.has_errors(), "{name}:\n{}", common::rendered(&c));
            (name, c.output.expect("output").files)
        })
        .collect()
}

#[test]
fn the_runner_splits_every_generated_script_where_flink_does() {
    let mut scripts = 0;
    for (name, files) in all_scripts() {
        for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with("pipeline.sql")) {
            let script = String::from_utf8(bytes.clone()).expect("utf-8 script");
            let findings = runner_findings(&script);
            assert!(findings.is_empty(), "{name}/{path}:\n{}", findings.join("\n"));
            scripts += 1;
        }
    }
    assert!(scripts >= 8, "only {scripts} scripts checked");
}

#[test]
fn the_hostile_fixture_reaches_flink_as_written() {
    let dir = common::root().join("tests/fixtures/ok/hostile");
    let c = common::compile(common::ok_fixture_files(&dir));
    assert!(!c.diagnostics.has_errors(), "{}", common::rendered(&c));
    let out = c.output.expect("output").files;
    let script = String::from_utf8(out["hostile-names/pipeline.sql"].clone()).expect("utf-8");
    // Each hostile name is one quoted token, as pipec's quoting writes it.
    for name in ["we`ird", "it's", "dq\"x", "semi;", "grüße ☃ 🚀", "event time", "offset;", "line\u{2028}sep\u{202e}"]
    {
        let quoted = pipec::emit::quote_ident(name);
        assert!(tokens(&script).contains(&Token::Quoted(quoted.clone())), "{quoted} is not in the script");
    }
    assert!(script.contains("'key.fields' = 'it''s'"), "the key option is escaped");
    assert!(script.contains("ROW<`f;` INT, `g``h` STRING, `ü ☃` STRING>"));
    // The file name reaches the header comment, escaped: no line break, no `${`.
    assert!(script.starts_with("-- Code generated by pipec from hostile; -- \\u{24}{X} names.yaml. DO NOT EDIT.\n"));
    // Statements as Flink reads them: four tables, the catalog, its database, four views and the
    // statement set.
    assert_eq!(flink_statements(&script).len(), 11);
    assert!(runner_findings(&script).is_empty());
    // The configuration map holds the script exactly.
    let scripts: Vec<String> = serde_yaml::Deserializer::from_slice(&out["hostile-names/configmap.yaml"])
        .map(|doc| serde_json::Value::deserialize(doc).expect("configmap.yaml is YAML"))
        .filter_map(|cm| cm["data"]["pipeline.sql"].as_str().map(str::to_string))
        .collect();
    assert_eq!(scripts, vec![script.clone()]);
}

/// A YAML double-quoted scalar that reads back as exactly `s`: JSON's escapes are not enough,
/// since YAML readers take a raw U+0085, U+2028 or U+2029 as a line break.
fn yq(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c < ' ' || matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A pipeline around one hostile source column `name`, read by a transform and written to Kafka.
fn column_pipeline(name: &str) -> Vec<(String, Vec<u8>)> {
    let yaml_name = yq(name);
    let sql_name = pipec::emit::quote_ident(name);
    let text = format!(
        "apiVersion: pipec/v1alpha1\nkind: Pipeline\nmetadata: {{ name: hostile-column }}\nspec:\n  sources:\n    - name: src\n      \
         kafka: {{ cluster: main, topic: sec.in, format: json }}\n      columns:\n        - {{ name: id, type: BIGINT NOT NULL }}\n        \
         - {{ name: {yaml_name}, type: STRING }}\n  transforms:\n    - name: t\n      sql: {}\n  sinks:\n    - name: out\n      from: t\n      \
         kafka: {{ cluster: main, topic: sec.out, format: json }}\n",
        yq(&format!("SELECT id, {sql_name} FROM src"))
    );
    let mut files = vec![("p.yaml".to_string(), text.into_bytes())];
    files.push((
        "platform.yaml".to_string(),
        std::fs::read(common::root().join("tests/fixtures/platform.yaml")).expect("platform"),
    ));
    files
}

/// A pipeline whose transform selects one hostile string literal, `value` as the author means it.
fn literal_pipeline(value: &str, substitutes: bool) -> Vec<(String, Vec<u8>)> {
    let literal = format!("'{}'", value.replace('\'', "''"));
    let text = format!(
        "apiVersion: pipec/v1alpha1\nkind: Pipeline\nmetadata: {{ name: hostile-literal }}\nspec:\n  sources:\n    - name: src\n      \
         kafka: {{ cluster: plain, topic: sec.in, format: json }}\n      columns:\n        - {{ name: id, type: BIGINT NOT NULL }}\n  \
         transforms:\n    - name: t\n      sql: {}\n  sinks:\n    - name: out\n      from: t\n      \
         kafka: {{ cluster: plain, topic: sec.out, format: json }}\n",
        yq(&format!("SELECT id, {literal} AS v FROM src"))
    );
    let platform = std::fs::read_to_string(common::root().join("tests/fixtures/platform.yaml"))
        .expect("platform")
        .replace("substitutesEnv: true", &format!("substitutesEnv: {substitutes}"))
        .replace(
            "  kafka:\n",
            "  kafka:\n    - { name: plain, strimziCluster: plain, namespace: databases, bootstrapServers: plain-kafka-bootstrap.databases.svc:9092 }\n",
        );
    vec![("p.yaml".to_string(), text.into_bytes()), ("platform.yaml".to_string(), platform.into_bytes())]
}

const HOSTILE: &[&str] = &[
    "a`b",
    "``",
    "it's",
    "''",
    "\"",
    "semi;",
    ";",
    "x;\ny",
    "a--b",
    "--",
    "/*",
    "*/",
    "a/*b*/c",
    "//",
    "tab\there",
    "cr\rhere",
    "nel\u{85}here",
    "ls\u{2028}here",
    "ps\u{2029}here",
    "rtl\u{202e}here",
    "bom\u{feff}here",
    "grüße ☃ 🚀",
    "${X}",
    "${FABRIC_POSTGRES_APP_PASSWORD}",
    "$X {Y}",
    " lead",
    "trail ",
    "-----BEGIN CERTIFICATE-----",
    "DROP TABLE x; --",
    "\\",
    "%0A",
];

#[test]
fn hostile_column_names_are_refused_or_written_as_they_are() {
    for name in HOSTILE {
        let c = common::compile(column_pipeline(name));
        let errors: Vec<_> = c.diagnostics.sorted().into_iter().filter(|d| d.severity() == Severity::Error).collect();
        if !errors.is_empty() {
            // Refused: by a name rule or the placeholder rule, at the name.
            for d in &errors {
                assert!(matches!(d.code, Code::E0204 | Code::E0603), "{name:?}: {}", common::rendered(&c));
            }
            continue;
        }
        let out = c.output.unwrap_or_else(|| panic!("{name:?}: no output"));
        let script = String::from_utf8(out.files["hostile-column/pipeline.sql"].clone()).expect("utf-8");
        let findings = runner_findings(&script);
        assert!(findings.is_empty(), "{name:?}:\n{}\n{script}", findings.join("\n"));
        let quoted = Token::Quoted(pipec::emit::quote_ident(name));
        // In the source table, the sink table, the INSERT's column list and its SELECT.
        let count = tokens(&script).iter().filter(|t| **t == quoted).count();
        assert!(count >= 4, "{name:?} appears {count} times quoted:\n{script}");
        assert!(!script.contains("${X}") && !script.contains("${FABRIC"), "{name:?} became a placeholder");
    }
}

#[test]
fn hostile_literals_are_warned_about_or_run_as_written() {
    for value in HOSTILE {
        for substitutes in [true, false] {
            let c = common::compile(literal_pipeline(value, substitutes));
            let codes: Vec<Code> = c.diagnostics.sorted().iter().map(|d| d.code).collect();
            if codes.contains(&Code::E0603) {
                assert!(substitutes && value.contains("${"), "{value:?}: {}", common::rendered(&c));
                continue;
            }
            assert!(!c.diagnostics.has_errors(), "{value:?}: {}", common::rendered(&c));
            let out = c.output.expect("output");
            let script = String::from_utf8(out.files["hostile-literal/pipeline.sql"].clone()).expect("utf-8");
            let findings = runner_findings(&script);
            // What the runner would change, pipec warns about at the literal (W0301); a warning
            // may also be cautious (a `/*` the runner would cut only if a `*/` followed).
            if !findings.is_empty() {
                assert!(codes.contains(&Code::W0301), "{value:?}: findings {findings:?} without W0301\n{script}");
            }
            // Without a warning the literal reaches Flink as written.
            if !codes.contains(&Code::W0301) {
                let literal = format!("'{}'", value.replace('\'', "''"));
                assert!(
                    findings.is_empty() && tokens(&script).contains(&Token::Quoted(literal)),
                    "{value:?}:\n{script}"
                );
            }
        }
    }
}

#[test]
fn placeholder_text_is_refused_where_the_runner_substitutes_and_never_becomes_a_secret() {
    // Where the runner substitutes, `${` in SQL text is an error at the `${`.
    let c = common::compile(literal_pipeline("${FABRIC_POSTGRES_APP_PASSWORD}", true));
    let d = c.diagnostics.sorted().into_iter().find(|d| d.code == Code::E0603).expect("E0603");
    let file = c.sources.get(d.span.file);
    assert_eq!(&file.text[d.span.start..d.span.end], "${");
    assert!(c.output.is_none());
    // Where it does not, the text stays text: no Secret, no environment variable.
    let c = common::compile(literal_pipeline("${FABRIC_POSTGRES_APP_PASSWORD}", false));
    assert!(!c.diagnostics.has_errors(), "{}", common::rendered(&c));
    let out = c.output.expect("output").files;
    let script = String::from_utf8_lossy(&out["hostile-literal/pipeline.sql"]);
    assert!(script.contains("'${FABRIC_POSTGRES_APP_PASSWORD}' AS v"));
    let deployment = String::from_utf8_lossy(&out["hostile-literal/flinkdeployment.yaml"]);
    assert!(!deployment.contains("FABRIC_POSTGRES_APP_PASSWORD"), "{deployment}");
    let manifest: serde_json::Value = serde_json::from_slice(&out["manifest.json"]).expect("manifest");
    // Only the object storage's Secret, which every pipeline needs.
    let secrets = manifest["pipelines"][0]["secrets"].as_array().cloned().unwrap_or_default();
    assert!(secrets.iter().all(|s| s["secret"] == "seaweedfs-s3"), "{secrets:?}");
}

#[test]
fn every_placeholder_in_a_script_is_a_secret_pipec_wires() {
    for (name, files) in all_scripts() {
        for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with("pipeline.sql")) {
            let script = String::from_utf8_lossy(bytes);
            let deployment_path = path.replace("pipeline.sql", "flinkdeployment.yaml");
            let deployment: serde_json::Value =
                serde_yaml::from_slice(&files[&deployment_path]).expect("flinkdeployment.yaml is YAML");
            let containers =
                deployment["spec"]["podTemplate"]["spec"]["containers"].as_array().cloned().unwrap_or_default();
            let env: Vec<serde_json::Value> =
                containers.iter().flat_map(|c| c["env"].as_array().cloned().unwrap_or_default()).collect();
            let mut rest = script.as_ref();
            while let Some(at) = rest.find("${") {
                let end =
                    rest[at..].find('}').map(|e| at + e).unwrap_or_else(|| panic!("{name}/{path}: unclosed `${{`"));
                let var = &rest[at + 2..end];
                let wired = env.iter().any(|e| e["name"] == var && e["valueFrom"]["secretKeyRef"]["name"].is_string());
                assert!(wired, "{name}/{path}: `${{{var}}}` is not taken from a Secret in {deployment_path}");
                rest = &rest[end..];
            }
        }
    }
}
