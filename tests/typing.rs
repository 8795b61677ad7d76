//! pipec's SQL type checker measured against Apache Flink 1.20's planner.
//!
//! `tests/typing/cases/*.yaml` hold queries (accepted and rejected by Flink) over realistic
//! sources; `tests/typing/expected/*.json` hold what Flink's planner said about each, recorded by
//! `tests/typing/record.py` (never written by hand; this test never calls Flink). For every case
//! the test compiles, in-process, the shared platform fixture plus a pipeline with the file's
//! sources, one transform `q` with the case's SQL and a sink `from: q` into a Kafka
//! `debezium-json` topic (which takes every changelog, so sink rules never interfere), then
//! compares pipec with Flink:
//!
//! * verdict: pipec accepts (no error diagnostic) exactly the queries Flink accepts (100%);
//! * columns, by position: name, type string with nullability, time attribute (as the planner sees
//!   it: a window over the column plans; see tests/typing/README.md). At least 98% agree,
//!   and every column that differs is listed with a reason in `tests/typing/known-differences.yaml`;
//!   a listed difference that no longer occurs fails too, so the list stays true;
//! * changelog mode (100%): Flink's mode of the query's root as a class, `I` (insert-only),
//!   updates without update-before (`I,UA`, `I,UA,D`: pipec's upsert) or with them
//!   (`I,UB,UA,D`: pipec's retract);
//! * a query pipec rejects is rejected at a line of its SQL (the first error diagnostic), and
//!   for a reason of its own: a rejection only by "not type-checked yet" (E0306) of a query
//!   Flink rejects does not count as agreement.
//!
//! `PIPEC_TYPING_REPORT=path` writes the whole comparison as JSON.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pipec::typecheck::{Changelog, Relation, TimeAttr};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The fewest cases the corpus may hold.
const MIN_CASES: usize = 220;
/// The least share of columns whose type, nullability, name and time attribute agree.
const MIN_COLUMN_AGREEMENT: f64 = 98.0;
/// The name of the transform holding the case's query.
const TRANSFORM: &str = "q";

// ------------------------------------------------------------------------------------------------
// inputs
// ------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct CaseFileDoc {
    sources: Vec<serde_json::Value>,
    cases: Vec<CaseDoc>,
}

#[derive(Deserialize)]
struct CaseDoc {
    name: String,
    sql: String,
}

struct CaseFile {
    file: String,
    stem: String,
    sources_text: String,
    cases: Vec<CaseDoc>,
}

#[derive(Deserialize)]
struct ExpectedFile {
    file: String,
    flink_version: String,
    cases: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    name: String,
    verdict: String,
    input_sha256: String,
    #[serde(default)]
    columns: Vec<Col>,
    changelog: Option<String>,
    error: Option<String>,
    phase: Option<String>,
}

#[derive(Deserialize, Serialize, Clone, PartialEq, Eq, Debug)]
struct Col {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    nullable: bool,
    time: Option<String>,
}

#[derive(Deserialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct KnownDifference {
    file: String,
    case: String,
    column: String,
    reason: String,
}

fn typing_dir() -> PathBuf {
    common::root().join("tests/typing")
}

/// The `sources:` section of a case file as written: the lines after the top-level `sources:`
/// line up to the next top-level key, trailing blank lines dropped (as record.py takes it).
fn sources_text(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let is_sources = |l: &str| {
        let Some(rest) = l.strip_prefix("sources") else { return false };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix(':') else { return false };
        let rest = rest.trim();
        rest.is_empty() || rest.starts_with('#')
    };
    let start = lines.iter().position(|l| is_sources(l))? + 1;
    let is_top_key = |l: &str| {
        let mut chars = l.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        first_ok && {
            let key: String = l.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
            l[key.len()..].trim_start().starts_with(':')
        }
    };
    let end = lines[start..].iter().position(|l| is_top_key(l)).map_or(lines.len(), |i| start + i);
    let mut body: Vec<&str> = lines[start..end].to_vec();
    while body.last().is_some_and(|l| l.trim().is_empty()) {
        body.pop();
    }
    Some(body.join("\n"))
}

/// The fingerprint record.py writes: the sources text and the SQL.
fn fingerprint(sources_text: &str, sql: &str) -> String {
    let mut bytes = sources_text.as_bytes().to_vec();
    bytes.extend_from_slice(b"\n\x00\n");
    bytes.extend_from_slice(sql.as_bytes());
    pipec::write::sha256_hex(&bytes)[..16].to_string()
}

fn load_case_files() -> Vec<CaseFile> {
    let dir = typing_dir().join("cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/typing/cases is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let file = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            let text = std::fs::read_to_string(p).expect("case file is readable");
            let doc: CaseFileDoc = pipec::load::yaml_value(&text)
                .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
                .unwrap_or_else(|e| panic!("{file}: not a case file: {e}"));
            assert!(!doc.sources.is_empty(), "{file}: no sources");
            let sources_text = sources_text(&text).unwrap_or_else(|| panic!("{file}: no top-level `sources:` block"));
            let mut seen = BTreeSet::new();
            for c in &doc.cases {
                assert!(seen.insert(c.name.clone()), "{file}: case {} appears twice", c.name);
                assert!(
                    c.name.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'),
                    "{file}: case name {} is not snake_case",
                    c.name
                );
            }
            CaseFile { stem: file.trim_end_matches(".yaml").to_string(), file, sources_text, cases: doc.cases }
        })
        .collect()
}

fn load_expected(stem: &str) -> Option<ExpectedFile> {
    let p = typing_dir().join("expected").join(format!("{stem}.json"));
    let text = std::fs::read_to_string(&p).ok()?;
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

fn load_known_differences() -> Vec<KnownDifference> {
    let p = typing_dir().join("known-differences.yaml");
    let text = std::fs::read_to_string(&p).expect("tests/typing/known-differences.yaml is readable");
    let list: Option<Vec<KnownDifference>> = pipec::load::yaml_value(&text)
        .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| panic!("known-differences.yaml: {e}"));
    let list = list.unwrap_or_default();
    for k in &list {
        assert!(
            !k.reason.trim().is_empty(),
            "known-differences.yaml: {}/{}/{} has no reason",
            k.file,
            k.case,
            k.column
        );
    }
    list
}

// ------------------------------------------------------------------------------------------------
// pipec's answer
// ------------------------------------------------------------------------------------------------

/// A pipeline with the file's sources, the case as transform `q` and a changelog sink; with the
/// 1-based lines of the file that hold the SQL.
fn pipeline(cf: &CaseFile, sql: &str) -> (String, std::ops::RangeInclusive<usize>) {
    let mut y = String::new();
    let name = format!("typing-{}", cf.stem.replace('_', "-"));
    let _ = writeln!(y, "apiVersion: pipec/v1alpha1\nkind: Pipeline\nmetadata: {{ name: {name}, owner: team-typing }}");
    y.push_str("spec:\n  sources:\n");
    for line in cf.sources_text.split('\n') {
        if line.trim().is_empty() {
            y.push('\n');
        } else {
            let _ = writeln!(y, "  {line}");
        }
    }
    let chomp = if sql.ends_with("\n\n") {
        "+"
    } else if sql.ends_with('\n') {
        ""
    } else {
        "-"
    };
    assert!(!sql.starts_with([' ', '\t']), "{}: a case's SQL starts at the start of its line", cf.file);
    let _ = writeln!(y, "  transforms:\n    - name: {TRANSFORM}\n      sql: |{chomp}");
    let first = y.lines().count() + 1;
    let body = sql.strip_suffix('\n').unwrap_or(sql);
    for line in body.split('\n') {
        if line.is_empty() {
            y.push('\n');
        } else {
            let _ = writeln!(y, "        {line}");
        }
    }
    let last = y.lines().count();
    let _ = writeln!(
        y,
        "  sinks:\n    - name: {TRANSFORM}_out\n      from: {TRANSFORM}\n      kafka: {{ cluster: main, topic: typing.{TRANSFORM}-out, format: debezium-json }}"
    );
    (y, first..=last)
}

struct PipecAnswer {
    /// `None` when pipec rejects the query.
    relation: Option<Relation>,
    /// The first error: code, message, file, line, and whether it falls on the SQL.
    first_error: Option<(String, String, String, usize, bool)>,
}

fn ask_pipec(cf: &CaseFile, case: &CaseDoc, platform: &[u8]) -> PipecAnswer {
    let (text, sql_lines) = pipeline(cf, &case.sql);
    let files =
        vec![("pipeline.yaml".to_string(), text.into_bytes()), ("platform.yaml".to_string(), platform.to_vec())];
    let c = pipec::compile(files, pipec::Stop::AfterCheck).expect("pipec does not fail internally");
    if !c.diagnostics.has_errors() {
        let model = c.model.as_ref().expect("a model without errors");
        let p = model.pipelines.first().expect("one pipeline");
        let idx = p.doc.spec.transforms.iter().position(|t| t.name == TRANSFORM).expect("transform q");
        return PipecAnswer { relation: Some(p.transforms[idx].clone()), first_error: None };
    }
    let first = c.diagnostics.sorted().into_iter().find(|d| d.severity() == pipec::diag::Severity::Error).map(|d| {
        let f = c.sources.get(d.span.file);
        let (line, _) = f.line_col(d.span.start);
        let inside = f.path == "pipeline.yaml" && sql_lines.contains(&line);
        (d.code.as_str().to_string(), d.message.clone(), f.path.clone(), line, inside)
    });
    PipecAnswer { relation: None, first_error: first }
}

fn changelog_str(c: Changelog) -> &'static str {
    match c {
        Changelog::Insert => "I",
        Changelog::Upsert => "I,UA,D",
        Changelog::Retract => "I,UB,UA,D",
    }
}

/// The class of a Flink changelog mode string: insert-only, updates without update-before, with.
fn changelog_class(mode: &str) -> &'static str {
    let kinds: Vec<&str> = mode.split(',').map(str::trim).collect();
    if kinds.iter().all(|k| *k == "I") {
        "insert-only"
    } else if kinds.contains(&"UB") {
        "retract"
    } else {
        "upsert"
    }
}

fn pipec_columns(rel: &Relation) -> Vec<Col> {
    rel.columns
        .iter()
        .map(|c| Col {
            name: c.name.clone(),
            ty: c.ty.to_string(),
            nullable: c.ty.nullable,
            time: c.time.map(|t| match t {
                TimeAttr::Rowtime => "rowtime".to_string(),
                TimeAttr::Proctime => "proctime".to_string(),
            }),
        })
        .collect()
}

fn show_col(c: Option<&Col>) -> String {
    match c {
        None => "(no column)".to_string(),
        Some(c) => match &c.time {
            Some(t) => format!("{} {} *{}*", c.name, c.ty, t.to_uppercase()),
            None => format!("{} {}", c.name, c.ty),
        },
    }
}

// ------------------------------------------------------------------------------------------------
// the comparison
// ------------------------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    cases: usize,
    verdict_agree: usize,
    both_accept: usize,
    flink_accept: usize,
    columns: usize,
    columns_agree: usize,
    changelog_agree: usize,
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 { 100.0 } else { 100.0 * n as f64 / d as f64 }
}

#[test]
fn type_checker_agrees_with_flink() {
    let platform = std::fs::read(common::root().join("tests/fixtures/platform.yaml")).expect("platform fixture");
    let files = load_case_files();
    let known = load_known_differences();
    let mut problems: Vec<String> = Vec::new(); // failures besides mismatches
    let mut verdict_mismatches: Vec<String> = Vec::new();
    let mut column_mismatches: Vec<(String, String, String, String)> = Vec::new(); // file, case, column, line
    let mut changelog_mismatches: Vec<String> = Vec::new();
    let mut outside_sql: Vec<String> = Vec::new();
    let mut unsupported_rejections: Vec<String> = Vec::new(); // Flink rejects, pipec only says E0306
    let mut t = Tally::default();
    let mut per_file = Vec::new();
    let mut report_cases = Vec::new();
    let mut flink_version = String::new();

    for cf in &files {
        let Some(exp) = load_expected(&cf.stem) else {
            problems
                .push(format!("{}: no tests/typing/expected/{}.json: run tests/typing/record.py", cf.file, cf.stem));
            continue;
        };
        assert_eq!(exp.file, cf.file, "expected/{}.json names another file", cf.stem);
        flink_version.clone_from(&exp.flink_version);
        let by_name: BTreeMap<&str, &Expected> = exp.cases.iter().map(|e| (e.name.as_str(), e)).collect();
        for e in &exp.cases {
            if !cf.cases.iter().any(|c| c.name == e.name) {
                problems.push(format!(
                    "{}: expectation for case {} that the file no longer has: re-record",
                    cf.file, e.name
                ));
            }
        }
        let (mut f_cases, mut f_accept) = (0, 0);
        for case in &cf.cases {
            let Some(e) = by_name.get(case.name.as_str()) else {
                problems.push(format!(
                    "{}/{}: no expectation: run tests/typing/record.py --only {}",
                    cf.file, case.name, cf.file
                ));
                continue;
            };
            if e.input_sha256 != fingerprint(&cf.sources_text, &case.sql) {
                problems.push(format!(
                    "{}/{}: the case changed since it was recorded: run tests/typing/record.py --case {}",
                    cf.file, case.name, case.name
                ));
                continue;
            }
            let flink_accepts = match e.verdict.as_str() {
                "accept" => true,
                "reject" => false,
                v => panic!("{}/{}: verdict {v}", cf.file, case.name),
            };
            t.cases += 1;
            f_cases += 1;
            if flink_accepts {
                t.flink_accept += 1;
                f_accept += 1;
            }
            let answer = ask_pipec(cf, case, &platform);
            let pipec_accepts = answer.relation.is_some();
            let id = format!("{}/{}", cf.file, case.name);
            let mut rc = json!({
                "file": cf.file, "case": case.name,
                "flink": { "verdict": e.verdict, "error": e.error, "phase": e.phase,
                           "changelog": e.changelog, "columns": e.columns },
            });
            if let Some((code, msg, path, line, inside)) = &answer.first_error {
                rc["pipec"] = json!({ "verdict": "reject", "code": code, "message": msg, "path": path, "line": line,
                                      "inside_sql": inside });
                if !inside {
                    outside_sql
                        .push(format!("{id}: pipec's first error {code} ({msg}) is at {path}:{line}, not in the SQL"));
                }
                if !flink_accepts && code == "E0306" {
                    unsupported_rejections.push(format!(
                        "{id}: pipec {msg} / Flink ({}): {}",
                        e.phase.as_deref().unwrap_or("?"),
                        e.error.as_deref().unwrap_or("")
                    ));
                }
            }
            if pipec_accepts != flink_accepts {
                let detail = match (&answer.first_error, flink_accepts) {
                    (Some((code, msg, _, _, _)), true) => format!("pipec rejects ({code}: {msg}), Flink accepts"),
                    (_, _) => format!(
                        "pipec accepts, Flink rejects ({}: {})",
                        e.phase.as_deref().unwrap_or("?"),
                        e.error.as_deref().unwrap_or("")
                    ),
                };
                verdict_mismatches.push(format!("{id}: {detail}"));
            } else {
                t.verdict_agree += 1;
            }
            rc["verdict_agrees"] = json!(pipec_accepts == flink_accepts);
            if let (Some(rel), true) = (&answer.relation, flink_accepts) {
                t.both_accept += 1;
                let mine = pipec_columns(rel);
                let mut cols = Vec::new();
                for i in 0..mine.len().max(e.columns.len()) {
                    let (p, f) = (mine.get(i), e.columns.get(i));
                    let agree = p == f;
                    t.columns += 1;
                    if agree {
                        t.columns_agree += 1;
                    } else {
                        let column = f.or(p).map(|c| c.name.clone()).unwrap_or_default();
                        column_mismatches.push((
                            cf.file.clone(),
                            case.name.clone(),
                            column.clone(),
                            format!("{id} column {column}: pipec {} / Flink {}", show_col(p), show_col(f)),
                        ));
                    }
                    cols.push(json!({ "pipec": p, "flink": f, "agrees": agree }));
                }
                let flink_mode = e.changelog.clone().unwrap_or_default();
                let mine_mode = changelog_str(rel.changelog);
                let cl_agree = changelog_class(&flink_mode) == changelog_class(mine_mode);
                if cl_agree {
                    t.changelog_agree += 1;
                } else {
                    changelog_mismatches.push(format!(
                        "{id}: pipec {mine_mode} ({}) / Flink {flink_mode} ({})",
                        changelog_class(mine_mode),
                        changelog_class(&flink_mode)
                    ));
                }
                rc["pipec"] = json!({ "verdict": "accept", "columns": mine, "changelog": mine_mode });
                rc["columns"] = json!(cols);
                rc["changelog_agrees"] = json!(cl_agree);
            } else if let Some(rel) = &answer.relation {
                rc["pipec"] = json!({ "verdict": "accept", "columns": pipec_columns(rel), "changelog": changelog_str(rel.changelog) });
            }
            report_cases.push(rc);
        }
        per_file.push((cf.file.clone(), f_cases, f_accept, f_cases - f_accept));
    }

    // Known differences: each listed one must occur, each occurring one must be listed.
    let occurring: BTreeSet<(String, String, String)> =
        column_mismatches.iter().map(|(f, c, col, _)| (f.clone(), c.clone(), col.clone())).collect();
    let listed: BTreeSet<(String, String, String)> =
        known.iter().map(|k| (k.file.clone(), k.case.clone(), k.column.clone())).collect();
    let unlisted: Vec<&String> = column_mismatches
        .iter()
        .filter(|(f, c, col, _)| !listed.contains(&(f.clone(), c.clone(), col.clone())))
        .map(|(_, _, _, line)| line)
        .collect();
    let stale: Vec<String> = known
        .iter()
        .filter(|k| !occurring.contains(&(k.file.clone(), k.case.clone(), k.column.clone())))
        .map(|k| {
            format!("{}/{} column {}: listed ({}) but pipec and Flink agree now", k.file, k.case, k.column, k.reason)
        })
        .collect();

    let verdict_pct = pct(t.verdict_agree, t.cases);
    let column_pct = pct(t.columns_agree, t.columns);
    let changelog_pct = pct(t.changelog_agree, t.both_accept);

    // The report.
    let mut r = String::new();
    let _ = writeln!(r, "pipec's type checker against Flink {flink_version} ({} case files)", files.len());
    let _ = writeln!(r, "{:<22} {:>6} {:>7} {:>7}", "file", "cases", "accept", "reject");
    for (f, n, a, j) in &per_file {
        let _ = writeln!(r, "{f:<22} {n:>6} {a:>7} {j:>7}");
    }
    let _ =
        writeln!(r, "cases: {} ({} accepted by Flink, {} rejected)", t.cases, t.flink_accept, t.cases - t.flink_accept);
    let _ = writeln!(r, "verdict agreement:   {verdict_pct:6.2}% ({}/{})", t.verdict_agree, t.cases);
    let _ = writeln!(
        r,
        "column agreement:    {column_pct:6.2}% ({}/{} columns of the {} cases both accept; {} of {} Flink-accepted cases compared)",
        t.columns_agree, t.columns, t.both_accept, t.both_accept, t.flink_accept
    );
    let _ = writeln!(
        r,
        "changelog agreement: {changelog_pct:6.2}% ({}/{} cases both accept; compared as classes: I / updates without UB / with UB)",
        t.changelog_agree, t.both_accept
    );
    let sections: [(&str, Vec<String>); 7] = [
        ("verdict mismatches", verdict_mismatches.clone()),
        ("column mismatches not in known-differences.yaml", unlisted.iter().map(|s| s.to_string()).collect()),
        (
            "column mismatches listed in known-differences.yaml",
            column_mismatches
                .iter()
                .filter(|(f, c, col, _)| listed.contains(&(f.clone(), c.clone(), col.clone())))
                .map(|(_, _, _, l)| l.clone())
                .collect(),
        ),
        ("known differences that no longer occur", stale.clone()),
        ("changelog mismatches (reported, not a failure)", changelog_mismatches.clone()),
        ("rejections not reported inside the SQL", outside_sql.clone()),
        (
            "Flink rejections pipec matches only as E0306 (not type-checked yet; agreement, reported)",
            unsupported_rejections.clone(),
        ),
    ];
    for (title, lines) in &sections {
        if !lines.is_empty() {
            let _ = writeln!(r, "\n{title} ({}):", lines.len());
            for l in lines {
                let _ = writeln!(r, "  {l}");
            }
        }
    }
    if !problems.is_empty() {
        let _ = writeln!(r, "\nproblems ({}):", problems.len());
        for p in &problems {
            let _ = writeln!(r, "  {p}");
        }
    }
    println!("{r}");

    if let Ok(path) = std::env::var("PIPEC_TYPING_REPORT") {
        let report = json!({
            "flink_version": flink_version,
            "summary": {
                "cases": t.cases, "flink_accepts": t.flink_accept, "both_accept": t.both_accept,
                "verdict_agreement_pct": verdict_pct, "verdict_agree": t.verdict_agree,
                "columns": t.columns, "columns_agree": t.columns_agree, "column_agreement_pct": column_pct,
                "changelog_agree": t.changelog_agree, "changelog_agreement_pct": changelog_pct,
            },
            "files": per_file.iter().map(|(f, n, a, j)| json!({"file": f, "cases": n, "flink_accepts": a, "flink_rejects": j})).collect::<Vec<_>>(),
            "verdict_mismatches": verdict_mismatches,
            "column_mismatches": column_mismatches.iter().map(|(f, c, col, l)| json!({
                "file": f, "case": c, "column": col, "detail": l,
                "listed": listed.contains(&(f.clone(), c.clone(), col.clone())) })).collect::<Vec<_>>(),
            "stale_known_differences": stale,
            "changelog_mismatches": changelog_mismatches,
            "rejections_outside_sql": outside_sql,
            "rejections_only_unsupported": unsupported_rejections,
            "problems": problems,
            "cases": report_cases,
        });
        let text = serde_json::to_string_pretty(&report).expect("report serialises");
        std::fs::write(Path::new(&path), text + "\n").unwrap_or_else(|e| panic!("PIPEC_TYPING_REPORT={path}: {e}"));
    }

    let mut failures = Vec::new();
    if t.cases < MIN_CASES {
        failures.push(format!("only {} cases; the corpus needs at least {MIN_CASES}", t.cases));
    }
    if !problems.is_empty() {
        failures.push(format!("{} problems with the corpus or its expectations", problems.len()));
    }
    if t.verdict_agree != t.cases {
        failures.push(format!("{} verdicts differ from Flink's", t.cases - t.verdict_agree));
    }
    if column_pct < MIN_COLUMN_AGREEMENT {
        failures.push(format!("column agreement {column_pct:.2}% is below {MIN_COLUMN_AGREEMENT}%"));
    }
    if t.changelog_agree != t.both_accept {
        failures.push(format!("{} changelog modes differ from Flink's", t.both_accept - t.changelog_agree));
    }
    if !unsupported_rejections.is_empty() {
        failures.push(format!(
            "{} Flink rejections that pipec matches only by not type-checking the query (E0306)",
            unsupported_rejections.len()
        ));
    }
    if !unlisted.is_empty() {
        failures.push(format!("{} column mismatches not in known-differences.yaml", unlisted.len()));
    }
    if !stale.is_empty() {
        failures.push(format!("{} known differences no longer occur: remove them", stale.len()));
    }
    if !outside_sql.is_empty() {
        failures.push(format!("{} rejections not reported inside the SQL", outside_sql.len()));
    }
    assert!(failures.is_empty(), "{}\n(the report above lists every mismatch)", failures.join("; "));
}

#[test]
fn sources_text_is_the_block_under_sources() {
    let text = "# c\nsources:\n  - name: a\n    kafka: {}\n\ncases:\n  - name: x\n";
    assert_eq!(sources_text(text).as_deref(), Some("  - name: a\n    kafka: {}"));
    assert_eq!(sources_text("cases: []\n"), None);
    // record.py computes the same fingerprint (sha256 of sources text, "\n\0\n", SQL; 16 hex digits)
    assert_eq!(fingerprint("a", "b"), pipec::write::sha256_hex(b"a\n\x00\nb")[..16].to_string());
}
