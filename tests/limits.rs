//! Hostile and oversized inputs get a diagnostic with its code, in bounded time, and nothing is
//! written; inputs just under the limits compile. `tests/limits/measure.py` measures the same
//! inputs on a release build (the figures are in docs/limits.md).
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::time::{Duration, Instant};

use pipec::Compiled;

const HEAD: &str = "apiVersion: pipec/v1alpha1\nkind: Pipeline\nmetadata: { name: limits, owner: team-limits }\n";

/// A generous bound for a debug build on a busy machine: a limit that does not hold takes
/// minutes or exhausts memory, not seconds.
const BOUND: Duration = Duration::from_secs(60);

/// A pipeline with one Kafka source of `columns`, transform `q` and a sink.
fn pipeline(columns: &[(String, &str)], sql: &str) -> String {
    let mut y = format!(
        "{HEAD}spec:\n  sources:\n    - name: events\n      kafka: {{ cluster: main, topic: limits.events, format: json }}\n      columns:\n"
    );
    for (n, t) in columns {
        y.push_str(&format!("        - {{ name: {n}, type: {t} }}\n"));
    }
    y.push_str("  transforms:\n    - name: q\n      sql: |-\n");
    for line in sql.split('\n') {
        y.push_str(&format!("        {line}\n"));
    }
    y.push_str("  sinks:\n    - name: out\n      from: q\n      kafka: { cluster: main, topic: limits.out, format: debezium-json }\n");
    y
}

fn simple(sql: &str) -> String {
    pipeline(&[("a".to_string(), "BIGINT"), ("b".to_string(), "STRING")], sql)
}

fn platform() -> (String, Vec<u8>) {
    let p = std::fs::read(common::root().join("pipelines/platform.yaml")).expect("platform");
    ("platform.yaml".to_string(), p)
}

/// Compiles the files with the bundled platform, on a thread with the main thread's usual
/// stack (8 MiB), within [`BOUND`].
fn compile(files: Vec<(String, Vec<u8>)>) -> Compiled {
    let mut files = files;
    files.push(platform());
    let started = Instant::now();
    let c = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || common::compile(files))
        .expect("thread")
        .join()
        .expect("pipec does not panic");
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    c
}

fn one(text: impl Into<Vec<u8>>) -> Compiled {
    compile(vec![("p.yaml".to_string(), text.into())])
}

/// The error codes, after asserting that an error means no output.
fn errors(c: &Compiled) -> Vec<&'static str> {
    let codes: Vec<&'static str> = c
        .diagnostics
        .sorted()
        .iter()
        .filter(|d| d.severity() == pipec::diag::Severity::Error)
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes.is_empty(), c.output.is_some(), "{}", common::rendered(c));
    codes
}

/// The single error: its code and message, and its line in the file.
fn the_error(c: &Compiled) -> (&'static str, String, usize) {
    let all: Vec<_> =
        c.diagnostics.sorted().into_iter().filter(|d| d.severity() == pipec::diag::Severity::Error).collect();
    assert_eq!(all.len(), 1, "{}", common::rendered(c));
    let d = all[0];
    let (line, _) = c.sources.get(d.span.file).line_col(d.span.start);
    assert!(c.output.is_none());
    (d.code.as_str(), d.message.clone(), line)
}

#[test]
fn an_alias_bomb_is_refused() {
    let mut text = format!("{HEAD}a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let (code, message, line) = the_error(&one(text));
    assert_eq!((code, message.as_str()), ("E0901", "document has more than 100000 nodes"));
    assert_eq!(line, 8, "at the alias that crosses the limit");
}

#[test]
fn deep_yaml_nesting_is_refused() {
    let text = format!("{HEAD}spec: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let (code, message, line) = the_error(&one(text));
    assert_eq!((code, message.as_str(), line), ("E0901", "nesting is deeper than 64 levels", 4));
    let block: String = (0..200).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    let (code, message, line) = the_error(&one(format!("{HEAD}{block}")));
    assert_eq!((code, message.as_str(), line), ("E0901", "nesting is deeper than 64 levels", 68));
    // 63 levels below the root are read (and then refused by the schema, not by the reader).
    let c = one(format!("{HEAD}spec: {{x: {}{}}}\n", "[".repeat(61), "]".repeat(61)));
    assert!(!errors(&c).contains(&"E0901"), "{}", common::rendered(&c));
}

#[test]
fn a_file_over_8_mib_is_refused_and_one_under_compiles() {
    let comment = format!("# {}\n", "x".repeat(97));
    let base = simple("SELECT a, b FROM events");
    let big = format!("{base}{}", comment.repeat(9 * 1024 * 1024 / 100));
    let (code, message, _) = the_error(&one(big));
    assert_eq!((code, message.as_str()), ("E0901", "file is larger than 8 MiB"));
    let under = format!("{base}{}", comment.repeat(8 * 1024 * 1024 / 100 - base.len() / 100 - 1));
    assert!(under.len() < 8 * 1024 * 1024);
    assert_eq!(errors(&one(under)), Vec::<&str>::new());
}

#[test]
fn a_document_over_100000_nodes_is_refused() {
    let text = format!("{HEAD}spec:\n  x: [{}]\n", vec!["1"; 100_001].join(", "));
    let (code, message, _) = the_error(&one(text));
    assert_eq!((code, message.as_str()), ("E0901", "document has more than 100000 nodes"));
}

#[test]
fn huge_sql_is_refused_at_its_block() {
    let sql = format!("SELECT a, b FROM events WHERE b <> '{}'", "x".repeat(1024 * 1024));
    let (code, message, line) = the_error(&one(simple(&sql)));
    assert_eq!((code, message.as_str(), line), ("E0901", "the SQL text is too long", 14));
    // Just under the size limit, a long literal is fine.
    let sql = format!("SELECT a, b FROM events WHERE b <> '{}'", "x".repeat(255 * 1024));
    assert_eq!(errors(&one(simple(&sql))), Vec::<&str>::new());
}

#[test]
fn sql_over_4000_tokens_is_refused() {
    let sql = format!("SELECT a{}, b FROM events", " + a".repeat(1999));
    let (code, message, _) = the_error(&one(simple(&sql)));
    assert_eq!((code, message.as_str()), ("E0901", "the query is too long"));
}

#[test]
fn long_operator_chains_under_the_token_limit_compile() {
    // A left-deep tree 1,996 operators deep: every walk over it recurses that deep.
    let sql = format!("SELECT a{} AS s FROM events", " + a".repeat(1996));
    assert_eq!(errors(&one(simple(&sql))), Vec::<&str>::new());
    let sql = format!("SELECT b{} AS s FROM events", " || b".repeat(1996));
    assert_eq!(errors(&one(simple(&sql))), Vec::<&str>::new());
    let sql = format!("SELECT a FROM events WHERE a > 0{}", " AND a > 0".repeat(990));
    assert_eq!(errors(&one(simple(&sql))), Vec::<&str>::new());
}

#[test]
fn deep_sql_nesting_is_refused() {
    for sql in [
        format!("SELECT {}a{} AS s FROM events", "(".repeat(1900), ")".repeat(1900)),
        format!("SELECT {}a AS s FROM events", "- ".repeat(1990)),
        format!("SELECT * FROM {}events{}", "(SELECT * FROM ".repeat(200), ") AS t".repeat(200)),
        format!("SELECT {}1{} AS s FROM events", "CASE WHEN a > 0 THEN ".repeat(600), " END".repeat(600)),
        format!("SELECT {}a{} AS s FROM events", "ABS(".repeat(1500), ")".repeat(1500)),
    ] {
        let (code, message, line) = the_error(&one(simple(&sql)));
        assert_eq!((code, line), ("E0901", 14), "{message}: {}", &sql[..60]);
    }
    // A CAST's target type has the type parser's own limit, reported at the type.
    let sql = format!("SELECT CAST(a AS {}BIGINT{}) AS s FROM events", "ARRAY<".repeat(1500), ">".repeat(1500));
    let (code, message, line) = the_error(&one(simple(&sql)));
    assert_eq!((code, message.as_str(), line), ("E0301", "the type is nested too deeply", 14));
    let columns = [("a".to_string(), format!("\"{}BIGINT{}\"", "ARRAY<".repeat(1500), ">".repeat(1500)))];
    let columns: Vec<(String, &str)> = columns.iter().map(|(n, t)| (n.clone(), t.as_str())).collect();
    let c = one(pipeline(&columns, "SELECT a FROM events"));
    let first = c.diagnostics.sorted()[0];
    assert_eq!(first.code.as_str(), "E0105");
    assert!(first.message.ends_with(": the type is nested too deeply"), "{}", first.message);
    assert!(errors(&c).iter().all(|c| matches!(*c, "E0105" | "E0303")), "{}", common::rendered(&c));
}

#[test]
fn deep_keyword_nesting_is_an_error_in_the_sql() {
    // When a construct that starts with a keyword (NOT, CASE, CAST) reaches sqlparser's
    // recursion limit, sqlparser retries the keyword as a column name and reports the token
    // after it; the error is still in the SQL, but it may not name the depth.
    for sql in [
        format!("SELECT a FROM events WHERE {}b IS NULL", "NOT ".repeat(1990)),
        format!("SELECT a FROM events WHERE {}b IS NULL", "NOT ".repeat(64)),
    ] {
        let (code, _, line) = the_error(&one(simple(&sql)));
        assert!(matches!(code, "E0901" | "E0301"), "{code}");
        assert_eq!(line, 14);
    }
}

#[test]
fn nesting_just_under_the_parser_limit_compiles() {
    for sql in [
        format!("SELECT * FROM {}events{}", "(SELECT * FROM ".repeat(20), ") AS t".repeat(20)),
        format!("SELECT {}a{} AS s FROM events", "(".repeat(40), ")".repeat(40)),
        format!("SELECT {}a{} AS s FROM events", "ABS(".repeat(30), ")".repeat(30)),
    ] {
        let c = one(simple(&sql));
        assert_eq!(errors(&c), Vec::<&str>::new(), "{}", &sql[..60]);
    }
}

#[test]
fn five_thousand_columns_compile() {
    let columns: Vec<(String, &str)> = (0..5000).map(|i| (format!("c{i}"), "BIGINT")).collect();
    let c = one(pipeline(&columns, "SELECT * FROM events"));
    assert_eq!(errors(&c), Vec::<&str>::new());
    let script = &c.output.as_ref().expect("output").files["limits/pipeline.sql"];
    assert!(String::from_utf8_lossy(script).contains("`c4999` BIGINT"));
    let named = columns.iter().take(1300).map(|c| c.0.as_str()).collect::<Vec<_>>().join(", ");
    let c = one(pipeline(&columns, &format!("SELECT {named} FROM events")));
    assert_eq!(errors(&c), Vec::<&str>::new());
}

#[test]
fn twenty_thousand_columns_are_over_the_node_limit() {
    let columns: Vec<(String, &str)> = (0..20_001).map(|i| (format!("c{i}"), "BIGINT")).collect();
    let (code, _, _) = the_error(&one(pipeline(&columns, "SELECT * FROM events")));
    assert_eq!(code, "E0901");
}

#[test]
fn non_utf8_is_reported_in_pipec_files_and_ignored_elsewhere() {
    let mut bytes = simple("SELECT a, b FROM events").into_bytes();
    let at = bytes.len();
    bytes.extend_from_slice(b"# \xff\xfe\n");
    let c = one(bytes);
    let (code, _, line) = the_error(&c);
    assert_eq!((code, line), ("E0004", 19));
    assert_eq!(c.diagnostics.sorted()[0].span.start, at + 2);
    let c = compile(vec![
        ("p.yaml".to_string(), simple("SELECT a, b FROM events").into_bytes()),
        ("binary.yaml".to_string(), (0..=255u8).cycle().take(100_000).collect()),
    ]);
    assert_eq!(errors(&c), Vec::<&str>::new());
}

#[test]
fn files_that_are_not_pipecs_are_ignored() {
    let mut files = vec![("p.yaml".to_string(), simple("SELECT a, b FROM events").into_bytes())];
    let foreign: [&[u8]; 7] = [
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata: { a: b }\n",
        b"apiVersion: apps/v1\nkind: Deployment\n---\napiVersion: v1\nkind: Service\n",
        b"resources: [a, b\n",
        b"",
        b"{{ .Values.image }}: [\n",
        b"- just\n- a list\n",
        b"\xef\xbb\xbfkey: value\n",
    ];
    for (i, f) in foreign.iter().enumerate() {
        files.push((format!("k8s/{i}.yaml"), f.to_vec()));
    }
    let c = compile(files);
    assert_eq!(errors(&c), Vec::<&str>::new());
    // Only the pipeline and the platform are read: no diagnostic names another file.
    for d in c.diagnostics.sorted() {
        let path = &c.sources.get(d.span.file).path;
        assert!(path == "p.yaml" || path == "platform.yaml", "{path}: {}", d.message);
    }
}

#[test]
fn a_chain_of_transforms_as_long_as_the_node_limit_allows() {
    // Five nodes per transform: about 19,000 fit in one document.
    let n = 19_000;
    let mut y = format!(
        "{HEAD}spec:\n  sources:\n    - name: t0\n      kafka: {{ cluster: main, topic: limits.events, format: json }}\n      columns:\n        - {{ name: a, type: BIGINT }}\n  transforms:\n"
    );
    for i in 1..=n {
        y.push_str(&format!("    - {{ name: t{i}, sql: SELECT a FROM t{} }}\n", i - 1));
    }
    y.push_str(&format!(
        "  sinks:\n    - name: out\n      from: t{n}\n      kafka: {{ cluster: main, topic: limits.out, format: json }}\n"
    ));
    let started = Instant::now();
    let c = one(y);
    assert_eq!(errors(&c), Vec::<&str>::new());
    eprintln!("{n} transforms: {:?}", started.elapsed());
}
