//! Inputs that once broke pipec or made it write what its consumers reject, found by fuzzing,
//! property tests and the audit of numbers from the YAML; each now gets a diagnostic or
//! correct output.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use pipec::Compiled;

fn platform() -> Vec<u8> {
    std::fs::read(common::root().join("pipelines/platform.yaml")).expect("platform")
}

/// A pipeline with one source watermarked with `delay`, `extra` appended to the source, a
/// managed topic with `retention` and `runtime`.
fn pipeline(delay: &str, retention: &str, runtime: &str) -> String {
    format!(
        "apiVersion: pipec/v1alpha1
kind: Pipeline
metadata: {{ name: robust, owner: team-robust }}
spec:
  sources:
    - name: events
      kafka: {{ cluster: main, topic: robust.events, format: json }}
      columns:
        - {{ name: k, type: BIGINT }}
        - {{ name: ts, type: TIMESTAMP(3) }}
      watermark: {{ column: ts, delay: {delay} }}
  transforms:
    - name: q
      sql: SELECT k, ts FROM events
  sinks:
    - name: out
      from: q
      kafka: {{ cluster: main, topic: robust.out, format: json, manage: {{ partitions: 1, replicas: 1, retention: {retention} }} }}
  runtime: {runtime}
"
    )
}

fn compile(pipeline: &str, platform: Vec<u8>) -> Compiled {
    common::compile(vec![("p.yaml".to_string(), pipeline.as_bytes().to_vec()), ("platform.yaml".to_string(), platform)])
}

/// The errors as (code, line, message).
fn errors(c: &Compiled) -> Vec<(&'static str, usize, String)> {
    let errors: Vec<_> = c
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity() == pipec::diag::Severity::Error)
        .map(|d| (d.code.as_str(), c.sources.get(d.span.file).line_col(d.span.start).0, d.message.clone()))
        .collect();
    assert_eq!(errors.is_empty(), c.output.is_some());
    errors
}

fn file(c: &Compiled, path: &str) -> String {
    let out = c.output.as_ref().expect("output");
    String::from_utf8(out.files[path].clone()).expect("UTF-8")
}

#[test]
fn watermark_delays_of_three_digits_are_written_as_flink_reads_them() {
    // `INTERVAL '100' SECOND` fails in Flink: "Interval field value 100 exceeds precision of
    // SECOND(2) field".
    for (delay, literal) in [
        ("100s", "INTERVAL '100' SECOND(3)"),
        ("1000s", "INTERVAL '0 00:16:40.000' DAY TO SECOND(3)"),
        ("100500ms", "INTERVAL '100.500' SECOND(3, 3)"),
        ("999d", "INTERVAL '999' DAY(3)"),
        ("5s", "INTERVAL '5' SECOND"),
    ] {
        let c = compile(&pipeline(delay, "7d", "{}"), platform());
        assert_eq!(errors(&c), vec![]);
        let script = file(&c, "robust/pipeline.sql");
        assert!(script.contains(&format!("AS `ts` - {literal}\n")), "{delay}:\n{script}");
    }
}

#[test]
fn durations_flink_or_kafka_cannot_read_are_errors() {
    let too_long = |why: &str| why.contains("is longer than Flink and Kafka can read");
    // A watermark delay of 1000 days or more has no interval literal; one past 64 bits of
    // milliseconds was silently dropped, as was such a retention.
    let c = compile(&pipeline("1000d", "7d", "{}"), platform());
    let e = errors(&c);
    assert_eq!((e.len(), e[0].0, e[0].1), (1, "E0104", 11));
    assert!(e[0].2.contains("Flink's interval literals hold at most 999 days"), "{}", e[0].2);
    let c = compile(&pipeline("99999999999999999999d", "7d", "{}"), platform());
    let e = errors(&c);
    assert_eq!((e.len(), e[0].0, e[0].1), (1, "E0104", 11));
    assert!(too_long(&e[0].2), "{}", e[0].2);
    for retention in ["106751991167301d", "99999999999999999999ms"] {
        let c = compile(&pipeline("5s", retention, "{}"), platform());
        let e = errors(&c);
        assert_eq!((e.len(), e[0].0, e[0].1), (1, "E0104", 18), "{retention}");
        assert!(too_long(&e[0].2), "{}", e[0].2);
    }
    // The longest retention that fits is written in full.
    let c = compile(&pipeline("5s", "9223372036854775807ms", "{}"), platform());
    assert!(file(&c, "robust/kafkatopics.yaml").contains("retention.ms: \"9223372036854775807\""));
    let c = compile(&pipeline("5s", "7d", "{ checkpointInterval: 9999999999999999999999s }"), platform());
    let e = errors(&c);
    assert_eq!((e.len(), e[0].0, e[0].1), (1, "E0104", 19));
    let platform = String::from_utf8(platform())
        .expect("UTF-8")
        .replace("checkpointInterval: 60s", "checkpointInterval: 106751991167301d");
    let c = compile(&pipeline("5s", "7d", "{}"), platform.into_bytes());
    let e = errors(&c);
    assert_eq!((e.len(), e[0].0), (1, "E0104"), "{e:?}");
    assert!(too_long(&e[0].2), "{}", e[0].2);
}

#[test]
fn configuration_values_with_yaml_line_separators_read_back() {
    // NEL, LS and PS are line breaks to YAML 1.1 readers: written raw they came back as spaces.
    let runtime = "{ flinkConfiguration: { pipeline.operator-chaining.note: \"a\\Nb\\Lc\\Pd\\x7fe\" } }";
    let c = compile(&pipeline("5s", "7d", runtime), platform());
    assert_eq!(errors(&c), vec![]);
    let text = file(&c, "robust/flinkdeployment.yaml");
    let body = text.split_once('\n').map_or("", |(_, b)| b);
    let back = pipec::load::yaml_value(body).expect("reads back");
    let value = &back["spec"]["flinkConfiguration"]["pipeline.operator-chaining.note"];
    assert_eq!(value, "a\u{85}b\u{2028}c\u{2029}d\u{7f}e", "{text}");
}
