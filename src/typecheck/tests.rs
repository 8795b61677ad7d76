//! Tests of the checker: parsing, typing, changelog modes and diagnostic positions.
//!
//! Unless a comment says otherwise, every expected type, nullability, name and changelog mode
//! below was observed in Flink 1.20's planner (the resolved schema of the same query over
//! tables declared like the ones in `scope`), and is hard-coded here so that the tests need no
//! Flink.

use super::*;
use crate::diag::Code;
use crate::source::{FileId, SourceFile};

/// A SQL text as a YAML literal block places it: from line 10, column 8 of a file.
pub(super) struct Block {
    pub(super) file: SourceFile,
    pub(super) origin: TextOrigin,
    pub(super) sql: String,
}

pub(super) fn block(sql: &str) -> Block {
    let mut text = String::new();
    for i in 1..10 {
        text.push_str(&format!("# filler line {i}\n"));
    }
    let mut segments = Vec::new();
    let mut value_offset = 0;
    let start = text.len() + 7;
    for line in sql.split_inclusive('\n') {
        text.push_str("       ");
        segments.push((value_offset, text.len()));
        text.push_str(line);
        value_offset += line.len();
    }
    let end = text.len();
    text.push_str("\nnext: key\n");
    let origin = TextOrigin { file: FileId(0), segments, escapes: Vec::new(), span: Span::new(FileId(0), start, end) };
    Block { file: SourceFile::new("pipeline.yaml".to_string(), text), origin, sql: sql.to_string() }
}

fn column(name: &str, ty: &str, time: Option<TimeAttr>) -> Column {
    let ty = DataType::parse(ty).unwrap_or_else(|e| panic!("{ty}: {e:?}"));
    Column { name: name.to_string(), ty, time, window: None }
}

fn relation(cols: &[(&str, &str)], changelog: Changelog, key: Option<&[&str]>, cause: Option<&str>) -> Relation {
    Relation {
        columns: cols
            .iter()
            .map(|(n, t)| match *t {
                "ROWTIME" => column(n, "TIMESTAMP(3)", Some(TimeAttr::Rowtime)),
                "PROCTIME" => column(n, "TIMESTAMP_LTZ(3) NOT NULL", Some(TimeAttr::Proctime)),
                "ROWTIME_NN" => column(n, "TIMESTAMP(3) NOT NULL", Some(TimeAttr::Rowtime)),
                "ROWTIME_LTZ" => column(n, "TIMESTAMP_LTZ(3)", Some(TimeAttr::Rowtime)),
                _ => column(n, t, None),
            })
            .collect(),
        changelog,
        unique_key: key.map(|k| k.iter().map(|s| s.to_string()).collect()),
        updating_cause: cause.map(str::to_string),
        lookup: false,
        row_number: None,
    }
}

/// The tables of the tests. `t`, `u`, `c` and `up` are the tables the expectations were
/// observed on in Flink (`t`, `u`: Kafka/JSON; `c`: Kafka/debezium-json with a primary key;
/// `up`: upsert-kafka).
fn scope(name: &str) -> Option<Relation> {
    Some(match name {
        "t" => relation(
            &[
                ("i", "INT"),
                ("i_nn", "INT NOT NULL"),
                ("ti", "TINYINT"),
                ("si", "SMALLINT"),
                ("bi", "BIGINT"),
                ("bi_nn", "BIGINT NOT NULL"),
                ("f", "FLOAT"),
                ("d", "DOUBLE"),
                ("de", "DECIMAL(10, 2)"),
                ("dec_nn", "DECIMAL(10, 2) NOT NULL"),
                ("dec2", "DECIMAL(5, 3)"),
                ("dec38", "DECIMAL(38, 10)"),
                ("s", "STRING"),
                ("s_nn", "STRING NOT NULL"),
                ("vc", "VARCHAR(20)"),
                ("ch", "CHAR(3)"),
                ("b", "BOOLEAN"),
                ("byt", "BYTES"),
                ("dt", "DATE"),
                ("tm", "TIME"),
                ("ts", "ROWTIME"),
                ("ts6", "TIMESTAMP"),
                ("ltz", "TIMESTAMP_LTZ(3)"),
                ("arr", "ARRAY<STRING>"),
                ("m", "MAP<STRING, INT>"),
                ("r", "ROW<a INT, b STRING>"),
                ("pt", "PROCTIME"),
            ],
            Changelog::Insert,
            None,
            None,
        ),
        "u" => relation(
            &[("id", "BIGINT NOT NULL"), ("name", "STRING"), ("amount", "DECIMAL(10, 2)"), ("ts", "ROWTIME")],
            Changelog::Insert,
            None,
            None,
        ),
        "c" => relation(
            &[("id", "BIGINT NOT NULL"), ("country", "STRING")],
            Changelog::Upsert,
            Some(&["id"]),
            Some("the CDC source `c`"),
        ),
        "up" => relation(
            &[("id", "BIGINT NOT NULL"), ("v", "INT")],
            Changelog::Upsert,
            Some(&["id"]),
            Some("the upsert source `up`"),
        ),
        "orders" => relation(
            &[
                ("order_id", "BIGINT NOT NULL"),
                ("customer_id", "BIGINT"),
                ("amount", "DECIMAL(10, 2)"),
                ("status", "STRING"),
                ("created_at", "ROWTIME"),
                ("proc_time", "PROCTIME"),
            ],
            Changelog::Insert,
            Some(&["order_id"]),
            None,
        ),
        "customers" => relation(
            &[("id", "BIGINT NOT NULL"), ("country", "STRING")],
            Changelog::Upsert,
            Some(&["id"]),
            Some("the CDC source `customers`"),
        ),
        other => {
            return diff_scope(other).filter(|_| !matches!(other, "t" | "u" | "c" | "up" | "orders" | "customers"));
        }
    })
}

const NAMES: &[&str] = &[
    "t",
    "u",
    "c",
    "up",
    "orders",
    "customers",
    "customers_all",
    "rates",
    "rates_up",
    "dim",
    "dimnk",
    "pv",
    "n",
    "fx",
];

/// A reported diagnostic: code, file line and column, the text under the span, the message.
pub(super) type Reported = (Code, usize, usize, String, String);

fn run(sql: &str) -> Result<Relation, Vec<Reported>> {
    let b = block(sql);
    let text = SqlText { text: &b.sql, origin: &b.origin };
    let mut d = Diagnostics::default();
    let rel = parse_query(&text, &mut d).and_then(|q| check_query(&q, &text, &scope, NAMES, "transform `x`", &mut d));
    let reported: Vec<Reported> = d
        .sorted()
        .into_iter()
        .map(|x| {
            let (l, c) = b.file.line_col(x.span.start);
            (x.code, l, c, b.file.text[x.span.start..x.span.end].to_string(), x.message.clone())
        })
        .collect();
    match rel {
        Some(r) if reported.is_empty() => Ok(r),
        Some(r) => panic!("{sql}: a relation {r:?} with diagnostics {reported:?}"),
        None => {
            assert!(!reported.is_empty(), "{sql}: no relation and no diagnostic");
            Err(reported)
        }
    }
}

fn ok(sql: &str) -> Relation {
    run(sql).unwrap_or_else(|e| panic!("{sql}: {e:?}"))
}

fn err(sql: &str) -> Vec<Reported> {
    match run(sql) {
        Ok(r) => panic!("{sql}: expected an error, got {r:?}"),
        Err(e) => e,
    }
}

/// The first diagnostic's code and the text it points at.
fn first_err(sql: &str) -> (Code, String) {
    let e = err(sql);
    (e[0].0, e[0].3.clone())
}

/// The printed type of one expression over `t`.
fn ty(expr: &str) -> String {
    let r = ok(&format!("SELECT {expr} AS x FROM t"));
    r.columns[0].ty.to_string()
}

/// Every output column as `name TYPE`, with the time attribute if any.
fn schema(sql: &str) -> Vec<String> {
    ok(sql)
        .columns
        .iter()
        .map(|c| {
            let attr = match c.time {
                Some(TimeAttr::Rowtime) => " *ROWTIME*",
                Some(TimeAttr::Proctime) => " *PROCTIME*",
                None => "",
            };
            format!("{} {}{attr}", c.name, c.ty)
        })
        .collect()
}

#[test]
fn literal_types() {
    let cases = [
        ("1", "INT NOT NULL"),
        ("2147483648", "BIGINT NOT NULL"),
        ("-1", "INT NOT NULL"),
        ("-2147483648", "INT NOT NULL"),
        ("-2147483649", "BIGINT NOT NULL"),
        ("9223372036854775807", "BIGINT NOT NULL"),
        ("-9223372036854775808", "BIGINT NOT NULL"),
        ("007", "INT NOT NULL"),
        ("1.5", "DECIMAL(2, 1) NOT NULL"),
        ("-1.5", "DECIMAL(2, 1) NOT NULL"),
        ("0.05", "DECIMAL(3, 2) NOT NULL"),
        ("100.00", "DECIMAL(5, 2) NOT NULL"),
        ("1.50", "DECIMAL(3, 2) NOT NULL"),
        (".5", "DECIMAL(1, 1) NOT NULL"),
        ("1e3", "DOUBLE NOT NULL"),
        ("1.5E2", "DOUBLE NOT NULL"),
        ("'abc'", "CHAR(3) NOT NULL"),
        ("''", "CHAR(0) NOT NULL"),
        ("'it''s'", "CHAR(4) NOT NULL"),
        ("'a\\b'", "CHAR(3) NOT NULL"),
        ("TRUE", "BOOLEAN NOT NULL"),
        ("FALSE", "BOOLEAN NOT NULL"),
        ("CAST(NULL AS INT)", "INT"),
        ("X'0AFF'", "BINARY(2) NOT NULL"),
        ("DATE '2020-01-01'", "DATE NOT NULL"),
        ("TIMESTAMP '2020-01-01 00:00:00'", "TIMESTAMP(0) NOT NULL"),
        ("TIMESTAMP '2020-01-01 00:00:00.123'", "TIMESTAMP(3) NOT NULL"),
        ("TIME '10:00:00'", "TIME(0) NOT NULL"),
        ("TIMESTAMP '2020-01-01'", "TIMESTAMP(0) NOT NULL"),
        ("DATE '2020-1-5'", "DATE NOT NULL"),
        ("INTERVAL '-5' SECOND", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '+5' MINUTE", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '1 02:03:04.5' DAY TO SECOND", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '1 02' DAY TO HOUR", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '5' SECOND", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '2' MINUTE", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '10' MINUTES", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '1' HOUR", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '3' DAY", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '1.5' SECOND", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL 5 SECONDS", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '1:30' HOUR TO MINUTE", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '1' YEAR", "INTERVAL MONTH NOT NULL"),
        ("INTERVAL '2' MONTHS", "INTERVAL MONTH NOT NULL"),
        ("INTERVAL '1-2' YEAR TO MONTH", "INTERVAL MONTH NOT NULL"),
    ];
    for (e, want) in cases {
        assert_eq!(ty(e), want, "{e}");
    }
}

#[test]
fn literal_errors() {
    // Flink: "Illegal TIMESTAMP literal '2020-01-01 10:00': not in format 'yyyy-MM-dd HH:mm:ss'",
    // "Illegal TIME literal '10:00'", "Binary literal string must contain an even number of
    // hexits".
    assert_eq!(first_err("SELECT TIMESTAMP '2020-01-01 10:00' AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT TIME '10:00' AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT X'0A0' AS x FROM t").0, Code::E0305);
    // Flink: "Unsupported call: TO_TIMESTAMP_LTZ(BIGINT, BIGINT)".
    assert_eq!(first_err("SELECT TO_TIMESTAMP_LTZ(bi, bi) AS x FROM t"), (Code::E0305, "bi".to_string()));
    // Flink: "Cannot apply 'ROUND' to arguments of type 'ROUND(<DECIMAL(10, 2)>, <DECIMAL(2,
    // 1)>)'" and the like for the other functions.
    for sql in [
        "SELECT ROUND(de, 1.5) AS x FROM t",
        "SELECT ABS(s) AS x FROM t",
        "SELECT UPPER(i) AS x FROM t",
        "SELECT SUBSTRING(s, '1') AS x FROM t",
        "SELECT CHAR_LENGTH(i) AS x FROM t",
        "SELECT TO_TIMESTAMP(i) AS x FROM t",
        "SELECT DATE_FORMAT(ts, i) AS x FROM t",
    ] {
        assert_eq!(first_err(sql).0, Code::E0305, "{sql}");
    }
    // Flink: "Numeric literal '12345678901234567890' out of range".
    assert_eq!(first_err("SELECT 12345678901234567890 AS x FROM t").0, Code::E0305);
    // Flink: "Illegal use of 'NULL'".
    assert_eq!(first_err("SELECT NULL AS x FROM t"), (Code::E0305, "NULL".to_string()));
    // Flink: "Illegal interval literal format '1' for INTERVAL DAY TO HOUR".
    assert_eq!(first_err("SELECT INTERVAL '1' DAY TO HOUR AS x FROM t"), (Code::E0305, "'1'".to_string()));
    assert_eq!(first_err("SELECT INTERVAL 'five' SECOND AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT DATE '2020-13-01' AS x FROM t").0, Code::E0305);
}

#[test]
fn arithmetic_types() {
    let cases = [
        ("i + i", "INT"),
        ("i + bi", "BIGINT"),
        ("i + ti", "INT"),
        ("ti + ti", "TINYINT"),
        ("si + si", "SMALLINT"),
        ("i + f", "FLOAT"),
        ("i + d", "DOUBLE"),
        ("f + d", "FLOAT"),
        ("d + f", "DOUBLE"),
        ("i_nn + i_nn", "INT NOT NULL"),
        ("i_nn + i", "INT"),
        ("i * 2", "INT"),
        ("i / 2", "INT"),
        ("i % 2", "INT"),
        ("bi / i", "BIGINT"),
        ("-i", "INT"),
        ("-i_nn", "INT NOT NULL"),
        ("- - i", "INT"),
        ("+i", "INT"),
        ("-ti", "TINYINT"),
        ("5 / 2", "INT NOT NULL"),
        ("de + de", "DECIMAL(11, 2)"),
        ("de * de", "DECIMAL(21, 4)"),
        ("de / de", "DECIMAL(23, 13)"),
        ("de % de", "DECIMAL(10, 2)"),
        ("de + i", "DECIMAL(13, 2)"),
        ("de + 1", "DECIMAL(13, 2)"),
        ("de * 2", "DECIMAL(21, 2)"),
        ("de + 1.5", "DECIMAL(11, 2)"),
        ("de / 3", "DECIMAL(21, 13)"),
        ("de / 2.0", "DECIMAL(15, 6)"),
        ("1.5 * 2", "DECIMAL(13, 1) NOT NULL"),
        ("1.5 + 1.5", "DECIMAL(3, 1) NOT NULL"),
        ("dec38 + dec38", "DECIMAL(38, 9)"),
        ("dec38 * dec38", "DECIMAL(38, 6)"),
        ("dec38 / de", "DECIMAL(38, 8)"),
        ("dec_nn + dec_nn", "DECIMAL(11, 2) NOT NULL"),
        ("-de", "DECIMAL(10, 2)"),
        ("de + d", "DOUBLE"),
        ("de + f", "DOUBLE"),
        ("bi % i", "INT"),
        ("i % bi", "BIGINT"),
        ("MOD(bi, i)", "INT"),
        ("i % de", "DECIMAL(10, 2)"),
        ("de % dec2", "DECIMAL(5, 3)"),
        ("ts + INTERVAL '1' HOUR", "TIMESTAMP(3)"),
        ("ltz - INTERVAL '1' MINUTE", "TIMESTAMP_LTZ(3)"),
        ("ts6 + INTERVAL '1' HOUR", "TIMESTAMP(6)"),
        ("INTERVAL '1' HOUR + ts", "TIMESTAMP(3)"),
        ("dt + INTERVAL '1' DAY", "DATE"),
        ("dt - INTERVAL '1' YEAR", "DATE"),
        ("tm + INTERVAL '1' HOUR", "TIME(0)"),
        ("CURRENT_TIMESTAMP - INTERVAL '1' DAY", "TIMESTAMP_LTZ(3) NOT NULL"),
        ("INTERVAL '1' HOUR * 2", "INTERVAL SECOND(3) NOT NULL"),
        ("2 * INTERVAL '1' HOUR", "INTERVAL SECOND(3) NOT NULL"),
        ("INTERVAL '1' HOUR + INTERVAL '1' MINUTE", "INTERVAL SECOND(3) NOT NULL"),
        ("-INTERVAL '1' HOUR", "INTERVAL SECOND(3) NOT NULL"),
    ];
    for (e, want) in cases {
        assert_eq!(ty(e), want, "{e}");
    }
}

#[test]
fn arithmetic_errors_point_at_the_operator() {
    // Flink: "Cannot apply '+' to arguments of type '<INTEGER> + <VARCHAR(2147483647)>'".
    assert_eq!(first_err("SELECT i + s AS x FROM t"), (Code::E0305, "+".to_string()));
    assert_eq!(first_err("SELECT b + 1 AS x FROM t"), (Code::E0305, "+".to_string()));
    assert_eq!(first_err("SELECT ts - ts AS x FROM t"), (Code::E0305, "-".to_string()));
    assert_eq!(first_err("SELECT CAST(i AS INT) * s AS x FROM t"), (Code::E0305, "*".to_string()));
    // Flink: "Cannot apply '%' to arguments of type '<DOUBLE> % <INTEGER>'".
    assert_eq!(first_err("SELECT d % 2 AS x FROM t"), (Code::E0305, "%".to_string()));
    // Flink 1.20 fails to plan these ("Conversion to relational algebra failed to preserve
    // datatypes").
    assert_eq!(first_err("SELECT de % i AS x FROM t"), (Code::E0305, "%".to_string()));
    assert_eq!(first_err("SELECT dec2 % de AS x FROM t"), (Code::E0305, "%".to_string()));
    // Flink: "Unsupported call: /(INTERVAL SECOND(3) NOT NULL, INT NOT NULL)".
    assert_eq!(first_err("SELECT INTERVAL '1' HOUR / 2 AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT -s AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT s || i AS x FROM t"), (Code::E0305, "||".to_string()));
}

#[test]
fn predicate_types() {
    let cases = [
        ("i = 1", "BOOLEAN"),
        ("i_nn = 1", "BOOLEAN NOT NULL"),
        ("s = 'x'", "BOOLEAN"),
        ("i < bi", "BOOLEAN"),
        ("de > 1.5", "BOOLEAN"),
        ("ts > TIMESTAMP '2020-01-01 00:00:00'", "BOOLEAN"),
        ("NOT b", "BOOLEAN"),
        ("b AND i > 1", "BOOLEAN"),
        ("b OR TRUE", "BOOLEAN"),
        ("i IS NULL", "BOOLEAN NOT NULL"),
        ("i IS NOT NULL", "BOOLEAN NOT NULL"),
        ("b IS TRUE", "BOOLEAN NOT NULL"),
        ("b IS NOT FALSE", "BOOLEAN NOT NULL"),
        ("i IN (1, 2, 3)", "BOOLEAN"),
        ("i_nn IN (1, 2)", "BOOLEAN NOT NULL"),
        ("i IN (1, 2, NULL)", "BOOLEAN"),
        ("i IN (1, 2.5)", "BOOLEAN"),
        ("s IN ('a', 'bb')", "BOOLEAN"),
        ("dt IN ('2020-01-01', '2020-01-02')", "BOOLEAN"),
        ("i NOT IN (1, 2)", "BOOLEAN"),
        ("i BETWEEN 1 AND 5", "BOOLEAN"),
        ("i_nn BETWEEN 1 AND 2", "BOOLEAN NOT NULL"),
        ("ts BETWEEN ts AND ts6", "BOOLEAN"),
        ("s LIKE 'a%'", "BOOLEAN"),
        ("s NOT LIKE 'a%'", "BOOLEAN"),
        ("s_nn LIKE 'x'", "BOOLEAN NOT NULL"),
        ("s LIKE vc", "BOOLEAN"),
        ("s = ch", "BOOLEAN"),
        ("i = de", "BOOLEAN"),
        ("de = d", "BOOLEAN"),
        ("ts = ltz", "BOOLEAN"),
        ("ts > pt", "BOOLEAN"),
        ("dt = s", "BOOLEAN"),
        ("b = s", "BOOLEAN"),
        ("arr = arr", "BOOLEAN"),
        ("r = r", "BOOLEAN"),
        ("i > '5'", "BOOLEAN"),
        ("'5' < i", "BOOLEAN"),
        ("i IN ('1', '2')", "BOOLEAN"),
        ("i BETWEEN 1 AND 'a'", "BOOLEAN"),
        ("i = NULL", "BOOLEAN"),
        ("i IS NOT DISTINCT FROM bi", "BOOLEAN NOT NULL"),
        ("i IS DISTINCT FROM 1", "BOOLEAN NOT NULL"),
    ];
    for (e, want) in cases {
        assert_eq!(ty(e), want, "{e}");
    }
}

#[test]
fn predicate_errors() {
    // Flink plans these with "implicit type conversion between INTEGER and VARCHAR is not
    // supported now" (or the DECIMAL and CHAR variant).
    assert_eq!(first_err("SELECT i = s AS x FROM t"), (Code::E0305, "=".to_string()));
    assert_eq!(first_err("SELECT s = 1 AS x FROM t"), (Code::E0305, "=".to_string()));
    assert_eq!(first_err("SELECT de = '1.5' AS x FROM t").0, Code::E0305);
    // Flink: "Cannot apply '=' to arguments of type '<DATE> = <TIMESTAMP(3) *ROWTIME*>'".
    assert_eq!(first_err("SELECT dt = ts AS x FROM t"), (Code::E0305, "=".to_string()));
    assert_eq!(first_err("SELECT i = b AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT s = byt AS x FROM t").0, Code::E0305);
    // Flink: "Values in expression list must have compatible types".
    assert_eq!(first_err("SELECT i IN (1, 'a') AS x FROM t"), (Code::E0305, "'a'".to_string()));
    assert_eq!(first_err("SELECT s IN ('a', 1) AS x FROM t"), (Code::E0305, "1".to_string()));
    // Flink: "Cannot apply 'LIKE' to arguments of type 'LIKE(<INTEGER>, <CHAR(1)>)'".
    assert_eq!(first_err("SELECT i LIKE 'a' AS x FROM t"), (Code::E0305, "i".to_string()));
    assert_eq!(first_err("SELECT i AND b AS x FROM t"), (Code::E0305, "i".to_string()));
    assert_eq!(first_err("SELECT NOT i AS x FROM t"), (Code::E0305, "i".to_string()));
    // Flink: "WHERE clause must be a condition".
    assert_eq!(first_err("SELECT i FROM t WHERE i"), (Code::E0305, "i".to_string()));
    // `WHERE NULL` is accepted by Flink.
    ok("SELECT i FROM t WHERE NULL");
}

#[test]
fn cast_types() {
    let cases = [
        ("CAST(i AS BIGINT)", "BIGINT"),
        ("CAST(i_nn AS STRING)", "STRING NOT NULL"),
        ("CAST(s AS INT)", "INT"),
        ("TRY_CAST(s AS INT)", "INT"),
        ("TRY_CAST(s_nn AS INT)", "INT"),
        ("TRY_CAST(i_nn AS BIGINT)", "BIGINT"),
        ("CAST(ts AS DATE)", "DATE"),
        ("CAST(pt AS DATE)", "DATE NOT NULL"),
        ("CAST(ts AS STRING)", "STRING"),
        ("CAST(de AS DECIMAL(5, 1))", "DECIMAL(5, 1)"),
        ("CAST(s AS TIMESTAMP(3))", "TIMESTAMP(3)"),
        ("CAST(ltz AS TIMESTAMP(3))", "TIMESTAMP(3)"),
        ("CAST(ts AS TIMESTAMP_LTZ(3))", "TIMESTAMP_LTZ(3)"),
        ("CAST(ts AS TIMESTAMP(3) WITH LOCAL TIME ZONE)", "TIMESTAMP_LTZ(3)"),
        ("CAST(i AS DECIMAL)", "DECIMAL(10, 0)"),
        ("CAST(i AS VARCHAR)", "STRING"),
        ("CAST(i AS CHAR)", "CHAR(1)"),
        ("CAST(b AS INT)", "INT"),
        ("CAST(s AS BOOLEAN)", "BOOLEAN"),
        ("CAST(dt AS TIMESTAMP(3))", "TIMESTAMP(3)"),
        ("CAST(s AS TIME)", "TIME(0)"),
        ("CAST(s AS TIME(3))", "TIME(0)"),
        ("CAST(pt AS TIMESTAMP(3))", "TIMESTAMP(3) NOT NULL"),
        ("CAST(arr AS STRING)", "STRING"),
        ("CAST(arr AS ARRAY<VARCHAR(10)>)", "ARRAY<VARCHAR(10)>"),
        ("CAST(m AS MAP<STRING, BIGINT>)", "MAP<STRING, BIGINT>"),
        ("CAST(r AS ROW<x INT, y STRING>)", "ROW<`x` INT, `y` STRING>"),
        ("CAST(i AS INTERVAL DAY)", "INTERVAL SECOND(3)"),
        ("CAST(i AS STRING) || 'x'", "STRING"),
    ];
    for (e, want) in cases {
        assert_eq!(ty(e), want, "{e}");
    }
}

#[test]
fn cast_errors_point_at_the_target_type() {
    // Flink: "Cast function cannot convert value of type INTEGER to type DATE".
    assert_eq!(first_err("SELECT CAST(i AS DATE) AS x FROM t"), (Code::E0305, "DATE".to_string()));
    // Flink: "The cast from TIMESTAMP type to NUMERIC type is not allowed."
    assert_eq!(first_err("SELECT CAST(ts AS BIGINT) AS x FROM t"), (Code::E0305, "BIGINT".to_string()));
    // Flink: "The cast from NUMERIC type to TIMESTAMP_LTZ type is not allowed."
    let e = err("SELECT CAST(bi AS TIMESTAMP_LTZ(3)) AS x FROM t");
    assert_eq!((e[0].0, e[0].3.as_str()), (Code::E0305, "TIMESTAMP_LTZ(3)"));
    assert!(e[0].4.contains("TO_TIMESTAMP_LTZ"));
    assert_eq!(first_err("SELECT CAST(s AS ARRAY<INT>) AS x FROM t"), (Code::E0305, "ARRAY<INT>".to_string()));
    assert_eq!(first_err("SELECT CAST(s AS INTERVAL SECOND) AS x FROM t").0, Code::E0305);
    // Flink: `Encountered "NOT"` (NOT NULL is not accepted on a CAST target).
    assert_eq!(first_err("SELECT CAST(i AS INT NOT NULL) AS x FROM t"), (Code::E0301, "NOT".to_string()));
    // Flink caps a CAST's DECIMAL precision at 38; a precision of 0 is refused.
    assert_eq!(schema("SELECT CAST(i AS DECIMAL(40, 2)) AS x FROM t"), ["x DECIMAL(38, 2)"]);
    assert_eq!(first_err("SELECT CAST(i AS DECIMAL(0)) AS x FROM t"), (Code::E0301, "0".to_string()));
    assert_eq!(first_err("SELECT CAST(i AS STRIN) AS x FROM t"), (Code::E0301, "STRIN".to_string()));
}

#[test]
fn conditional_types() {
    let cases = [
        ("COALESCE(s, 'a')", "STRING NOT NULL"),
        ("COALESCE(s, s)", "STRING"),
        ("COALESCE(i, 1)", "INT NOT NULL"),
        ("COALESCE(i, bi)", "BIGINT"),
        ("COALESCE(i, de)", "DECIMAL(12, 2)"),
        ("COALESCE(i_nn, i)", "INT NOT NULL"),
        ("COALESCE(s, vc)", "STRING"),
        ("COALESCE(vc, 'abc')", "VARCHAR(20) NOT NULL"),
        ("COALESCE(ch, 'abcdef')", "VARCHAR(6) NOT NULL"),
        ("COALESCE(ch, 'abc')", "CHAR(3) NOT NULL"),
        ("COALESCE(i, NULL)", "INT"),
        ("COALESCE(s)", "STRING"),
        ("COALESCE(i, 1, bi)", "BIGINT NOT NULL"),
        ("COALESCE(de, 1.5)", "DECIMAL(10, 2) NOT NULL"),
        ("COALESCE(ts, ts6)", "TIMESTAMP(6)"),
        ("COALESCE(d, f)", "DOUBLE"),
        ("IFNULL(s, 'a')", "STRING NOT NULL"),
        ("IFNULL(i, 1)", "INT NOT NULL"),
        ("IFNULL(i, bi)", "BIGINT"),
        ("IFNULL(vc, 'abc')", "VARCHAR(20) NOT NULL"),
        ("NULLIF(i, 1)", "INT"),
        ("NULLIF(i_nn, 1)", "INT"),
        ("NULLIF(s_nn, 'a')", "STRING"),
        ("NULLIF(i, bi)", "INT"),
        ("CASE WHEN b THEN 1 ELSE 2 END", "INT NOT NULL"),
        ("CASE WHEN b THEN 1 END", "INT"),
        ("CASE WHEN b THEN i ELSE 2 END", "INT"),
        ("CASE WHEN b THEN 'a' ELSE 'bcd' END", "VARCHAR(3) NOT NULL"),
        ("CASE WHEN b THEN 'a' ELSE 'b' END", "CHAR(1) NOT NULL"),
        ("CASE WHEN b THEN 'a' ELSE s END", "STRING"),
        ("CASE i WHEN 1 THEN 'x' WHEN 2 THEN 'yy' ELSE 'z' END", "VARCHAR(2) NOT NULL"),
        ("CASE WHEN b THEN 1 ELSE bi END", "BIGINT"),
        ("CASE WHEN b THEN 1 ELSE 1.5 END", "DECIMAL(11, 1) NOT NULL"),
        ("CASE WHEN b THEN de ELSE 0 END", "DECIMAL(12, 2)"),
        ("CASE WHEN b THEN NULL ELSE 1 END", "INT"),
        ("CASE WHEN b THEN 1 ELSE d END", "DOUBLE"),
        ("CASE WHEN b THEN vc ELSE 'x' END", "VARCHAR(20)"),
        ("CASE WHEN b THEN ch ELSE 'xxxxx' END", "VARCHAR(5)"),
        ("CASE WHEN b THEN ch ELSE 'abc' END", "CHAR(3)"),
        ("CASE WHEN b THEN ch ELSE vc END", "VARCHAR(20)"),
        ("CASE WHEN b THEN ts ELSE ts6 END", "TIMESTAMP(6)"),
        ("CASE WHEN b THEN i_nn ELSE 2 END", "INT NOT NULL"),
        ("CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' ELSE 'zero' END", "VARCHAR(4) NOT NULL"),
        ("CASE WHEN b THEN f ELSE 1 END", "FLOAT"),
        ("CASE WHEN b THEN f ELSE d END", "FLOAT"),
        ("CASE WHEN b THEN f ELSE de END", "DOUBLE"),
        ("CASE WHEN b THEN byt ELSE CAST(byt AS BINARY(3)) END", "BYTES"),
        ("CASE WHEN b THEN arr ELSE arr END", "ARRAY<STRING>"),
        ("CASE s WHEN 'a' THEN 1 END", "INT"),
        ("CASE WHEN b THEN CAST(i AS DECIMAL(38, 0)) ELSE dec38 END", "DECIMAL(38, 0)"),
    ];
    for (e, want) in cases {
        assert_eq!(ty(e), want, "{e}");
    }
}

#[test]
fn conditional_errors() {
    // Flink: "Illegal use of 'NULL'" and "ELSE clause or at least one THEN clause must be
    // non-NULL".
    assert_eq!(first_err("SELECT COALESCE(NULL, NULL) AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT CASE WHEN b THEN NULL END AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT SUM(NULL) AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT NULL + 1 AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT NULLIF(NULL, 1) AS x FROM t").0, Code::E0305);
    assert_eq!(ty("IFNULL(NULL, 1)"), "INT NOT NULL");
    // Flink: "Illegal mixing of types in CASE or COALESCE statement".
    assert_eq!(first_err("SELECT CASE WHEN b THEN 1 ELSE 'a' END AS x FROM t"), (Code::E0305, "'a'".to_string()));
    assert_eq!(first_err("SELECT CASE WHEN b THEN dt ELSE ts END AS x FROM t"), (Code::E0305, "ts".to_string()));
    // Flink: "Invalid input arguments."
    assert_eq!(first_err("SELECT COALESCE(i, 'a') AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT IFNULL(s, 1) AS x FROM t").0, Code::E0305);
    // Flink: "Expected a boolean type".
    assert_eq!(first_err("SELECT CASE WHEN i THEN 1 ELSE 2 END AS x FROM t"), (Code::E0305, "i".to_string()));
    // Flink plans it with "implicit type conversion between INTEGER and CHAR".
    assert_eq!(first_err("SELECT NULLIF(i, 'a') AS x FROM t"), (Code::E0305, "'a'".to_string()));
    // Flink types CASE over TIMESTAMP and TIMESTAMP_LTZ by the order of the branches, and
    // COALESCE always as TIMESTAMP_LTZ.
    assert_eq!(ty("COALESCE(ts, ltz)"), "TIMESTAMP_LTZ(3)");
    assert_eq!(ty("COALESCE(ltz, ts6)"), "TIMESTAMP_LTZ(6)");
    assert_eq!(ty("CASE WHEN b THEN ts ELSE ltz END"), "TIMESTAMP(3)");
    assert_eq!(ty("CASE WHEN b THEN ltz ELSE ts END"), "TIMESTAMP_LTZ(3)");
    assert_eq!(ty("CASE WHEN b THEN ts6 ELSE ltz END"), "TIMESTAMP_LTZ(6)");
    assert_eq!(ty("CASE WHEN b THEN ltz ELSE ts6 END"), "TIMESTAMP(6)");
    assert_eq!(ty("IF(b, ltz, ts6)"), "TIMESTAMP_LTZ(3)");
    assert_eq!(ty("IF(b, ts, ts6)"), "TIMESTAMP(3)");
}

#[test]
fn string_function_types() {
    let cases = [
        ("UPPER(s)", "STRING"),
        ("UPPER(s_nn)", "STRING NOT NULL"),
        ("UPPER(vc)", "VARCHAR(20)"),
        ("UPPER(ch)", "CHAR(3)"),
        ("UPPER('abc')", "CHAR(3) NOT NULL"),
        ("LOWER(vc)", "VARCHAR(20)"),
        ("TRIM(s)", "STRING"),
        ("TRIM(vc)", "VARCHAR(20)"),
        ("TRIM(ch)", "VARCHAR(3)"),
        ("TRIM(BOTH 'x' FROM s)", "STRING"),
        ("TRIM(LEADING FROM s)", "STRING"),
        ("LTRIM(s)", "STRING"),
        ("LTRIM(ch)", "VARCHAR(3)"),
        ("TRIM('')", "VARCHAR(0) NOT NULL"),
        ("RTRIM(vc)", "VARCHAR(20)"),
        ("CONCAT(s, 'a')", "STRING"),
        ("CONCAT(vc, 'a')", "STRING"),
        ("CONCAT(vc, ch)", "STRING"),
        ("CONCAT(s_nn, 'a')", "STRING NOT NULL"),
        ("CONCAT(vc, vc, vc)", "STRING"),
        ("CONCAT('a', 'bc')", "STRING NOT NULL"),
        ("s || 'a'", "STRING"),
        ("vc || 'a'", "VARCHAR(21)"),
        ("ch || 'ab'", "CHAR(5)"),
        ("s_nn || 'x'", "STRING NOT NULL"),
        ("vc || ch", "VARCHAR(23)"),
        ("'a' || 'bc'", "CHAR(3) NOT NULL"),
        ("vc || vc", "VARCHAR(40)"),
        ("ch || ch", "CHAR(6)"),
        ("'a' || s", "STRING"),
        ("CHAR_LENGTH(s)", "INT"),
        ("CHAR_LENGTH(s_nn)", "INT NOT NULL"),
        ("CHARACTER_LENGTH(vc)", "INT"),
        ("SUBSTRING(s FROM 2)", "STRING"),
        ("SUBSTRING(s FROM 2 FOR 3)", "STRING"),
        ("SUBSTRING(vc, 2, 3)", "VARCHAR(20)"),
        ("SUBSTRING(s_nn, 1, 2)", "STRING"),
        ("SUBSTRING(s_nn FROM 1)", "STRING"),
        ("SUBSTRING(ch FROM 1)", "VARCHAR(3)"),
        ("SUBSTRING('abc' FROM 1)", "VARCHAR(3)"),
        ("SUBSTR(s, 2)", "STRING"),
    ];
    for (e, want) in cases {
        assert_eq!(ty(e), want, "{e}");
    }
    // Flink: "Cannot apply 'CONCAT' to arguments of type 'CONCAT(<VARCHAR(2147483647)>,
    // <INTEGER>)'".
    assert_eq!(first_err("SELECT CONCAT(s, i) AS x FROM t"), (Code::E0305, "i".to_string()));
}

#[test]
fn numeric_function_types() {
    let cases = [
        ("ABS(i)", "INT"),
        ("ABS(i_nn)", "INT NOT NULL"),
        ("ABS(de)", "DECIMAL(10, 2)"),
        ("ABS(d)", "DOUBLE"),
        ("ABS(ti)", "TINYINT"),
        ("ABS(f)", "FLOAT"),
        ("ROUND(de, 1)", "DECIMAL(10, 1)"),
        ("ROUND(de, i)", "DECIMAL(10, 2)"),
        ("ROUND(de)", "DECIMAL(9, 0)"),
        ("ROUND(de, 0)", "DECIMAL(9, 0)"),
        ("ROUND(de, -1)", "DECIMAL(9, 0)"),
        ("ROUND(de, 5)", "DECIMAL(10, 2)"),
        ("ROUND(dec_nn, 1)", "DECIMAL(10, 1) NOT NULL"),
        ("ROUND(d, 2)", "DOUBLE"),
        ("ROUND(i, 1)", "INT"),
        ("ROUND(bi, 1)", "BIGINT"),
        ("ROUND(ti, 1)", "TINYINT"),
        ("ROUND(f, 1)", "FLOAT"),
        ("FLOOR(de)", "DECIMAL(10, 0)"),
        ("FLOOR(dec2)", "DECIMAL(5, 0)"),
        ("FLOOR(d)", "DOUBLE"),
        ("FLOOR(i)", "INT"),
        ("FLOOR(f)", "FLOAT"),
        ("CEIL(de)", "DECIMAL(10, 0)"),
        ("CEIL(dec_nn)", "DECIMAL(10, 0) NOT NULL"),
        ("CEILING(d)", "DOUBLE"),
        ("CEIL(i)", "INT"),
    ];
    for (e, want) in cases {
        assert_eq!(ty(e), want, "{e}");
    }
}

#[test]
fn time_function_types() {
    let cases = [
        ("CURRENT_TIMESTAMP", "TIMESTAMP_LTZ(3) NOT NULL"),
        ("NOW()", "TIMESTAMP_LTZ(3) NOT NULL"),
        ("LOCALTIMESTAMP", "TIMESTAMP(3) NOT NULL"),
        ("CURRENT_DATE", "DATE NOT NULL"),
        ("CURRENT_TIME", "TIME(0) NOT NULL"),
        ("LOCALTIME", "TIME(0) NOT NULL"),
        ("PROCTIME()", "TIMESTAMP_LTZ(3) NOT NULL"),
        ("TO_TIMESTAMP_LTZ(bi, 3)", "TIMESTAMP_LTZ(3)"),
        ("TO_TIMESTAMP_LTZ(bi_nn, 3)", "TIMESTAMP_LTZ(3)"),
        ("TO_TIMESTAMP_LTZ(bi, 0)", "TIMESTAMP_LTZ(3)"),
        ("TO_TIMESTAMP_LTZ(i, 3)", "TIMESTAMP_LTZ(3)"),
        ("TO_TIMESTAMP_LTZ(de, 3)", "TIMESTAMP_LTZ(3)"),
        ("TO_TIMESTAMP_LTZ(d, 3)", "TIMESTAMP_LTZ(3)"),
        ("TO_TIMESTAMP(s)", "TIMESTAMP(3)"),
        ("TO_TIMESTAMP(s_nn)", "TIMESTAMP(3)"),
        ("TO_TIMESTAMP(s, 'yyyy-MM-dd')", "TIMESTAMP(3)"),
        ("DATE_FORMAT(ts, 'yyyy-MM-dd')", "STRING"),
        ("DATE_FORMAT(s, 'yyyy')", "STRING"),
        ("DATE_FORMAT(ltz, 'yyyy')", "STRING"),
        ("DATE_FORMAT(pt, 'yyyy')", "STRING"),
        ("EXTRACT(YEAR FROM ts)", "BIGINT"),
        ("EXTRACT(HOUR FROM ts)", "BIGINT"),
        ("EXTRACT(DAY FROM dt)", "BIGINT"),
        ("EXTRACT(HOUR FROM dt)", "BIGINT"),
        ("EXTRACT(YEAR FROM pt)", "BIGINT NOT NULL"),
        ("EXTRACT(MONTH FROM ltz)", "BIGINT"),
        ("EXTRACT(EPOCH FROM ts)", "BIGINT"),
        ("EXTRACT(DOW FROM ts)", "BIGINT"),
        ("EXTRACT(QUARTER FROM ts)", "BIGINT"),
        ("EXTRACT(HOUR FROM tm)", "BIGINT"),
    ];
    for (e, want) in cases {
        assert_eq!(ty(e), want, "{e}");
    }
    // Flink: "No match found for function signature CURRENT_TIMESTAMP()"; `PROCTIME` without
    // parentheses is a column name.
    assert_eq!(first_err("SELECT CURRENT_TIMESTAMP() AS x FROM t"), (Code::E0305, "CURRENT_TIMESTAMP".to_string()));
    assert_eq!(first_err("SELECT PROCTIME AS x FROM t"), (Code::E0303, "PROCTIME".to_string()));
    // Flink: "No match found for function signature LENGTH(<CHARACTER>)".
    assert_eq!(first_err("SELECT LENGTH(s) AS x FROM t").0, Code::E0307);
    // Flink: "Invalid number of arguments to function 'TO_TIMESTAMP_LTZ'. Was expecting 2".
    assert_eq!(first_err("SELECT TO_TIMESTAMP_LTZ(bi) AS x FROM t"), (Code::E0305, "TO_TIMESTAMP_LTZ".to_string()));
    // Flink 1.20: "Supported form(s): 'TO_TIMESTAMP_LTZ(<NUMERIC>, <INTEGER>)'".
    assert_eq!(first_err("SELECT TO_TIMESTAMP_LTZ(s_nn, 3) AS x FROM t"), (Code::E0305, "s_nn".to_string()));
    // Flink: "Cannot apply 'DATE_FORMAT' to arguments of type 'DATE_FORMAT(<DATE>, ...)'".
    assert_eq!(first_err("SELECT DATE_FORMAT(dt, 'yyyy') AS x FROM t"), (Code::E0305, "dt".to_string()));
    // Flink plans it with "unit YEAR can not be applied to time variable".
    assert_eq!(first_err("SELECT EXTRACT(YEAR FROM tm) AS x FROM t").0, Code::E0305);
    assert_eq!(first_err("SELECT EXTRACT(DAY FROM s) AS x FROM t").0, Code::E0305);
}

#[test]
fn aggregate_types() {
    let r = schema(
        "SELECT COUNT(*) AS c, COUNT(i) AS ci, COUNT(DISTINCT s) AS cd, SUM(i) AS si, SUM(i_nn) AS sinn, \
         SUM(ti) AS sti, SUM(si) AS ssi, SUM(bi) AS sbi, SUM(de) AS sde, SUM(dec2) AS sdec2, SUM(d) AS sd, \
         SUM(f) AS sf, AVG(i) AS ai, AVG(ti) AS ati, AVG(de) AS ade, AVG(dec2) AS adec2, AVG(d) AS ad, \
         AVG(bi) AS abi, AVG(f) AS af, MIN(s) AS mins, MAX(i_nn) AS maxinn, MIN(ts) AS mints, \
         MAX(pt) AS maxpt, MAX(vc) AS maxvc, MIN(de) AS minde, SUM(dec38) AS sdec38, AVG(dec38) AS adec38, \
         COUNT(1) AS c1, SUM(DISTINCT i) AS sdi, MAX(ch) AS mch, MIN(b) AS mb FROM t",
    );
    let want = [
        "c BIGINT NOT NULL",
        "ci BIGINT NOT NULL",
        "cd BIGINT NOT NULL",
        "si INT",
        "sinn INT",
        "sti TINYINT",
        "ssi SMALLINT",
        "sbi BIGINT",
        "sde DECIMAL(38, 2)",
        "sdec2 DECIMAL(38, 3)",
        "sd DOUBLE",
        "sf FLOAT",
        "ai INT",
        "ati TINYINT",
        "ade DECIMAL(38, 6)",
        "adec2 DECIMAL(38, 6)",
        "ad DOUBLE",
        "abi BIGINT",
        "af FLOAT",
        "mins STRING",
        "maxinn INT",
        // The resolved schema still marks these as time attributes, but the planner
        // materializes them: a window over them fails with "The window function requires the
        // timecol is a time attribute type".
        "mints TIMESTAMP(3)",
        "maxpt TIMESTAMP_LTZ(3)",
        "maxvc VARCHAR(20)",
        "minde DECIMAL(10, 2)",
        "sdec38 DECIMAL(38, 10)",
        "adec38 DECIMAL(38, 10)",
        "c1 BIGINT NOT NULL",
        "sdi INT",
        "mch CHAR(3)",
        "mb BOOLEAN",
    ];
    assert_eq!(r, want);
    // With GROUP BY the aggregates of NOT NULL columns are NOT NULL.
    assert_eq!(
        schema("SELECT s, SUM(i_nn) AS y, MIN(i_nn) AS z, AVG(i_nn) AS w, COUNT(i) AS v FROM t GROUP BY s"),
        ["s STRING", "y INT NOT NULL", "z INT NOT NULL", "w INT NOT NULL", "v BIGINT NOT NULL"]
    );
    assert_eq!(
        schema("SELECT SUM(dec_nn) AS x, AVG(dec_nn) AS y FROM t GROUP BY s"),
        ["x DECIMAL(38, 2) NOT NULL", "y DECIMAL(38, 6) NOT NULL"]
    );
    assert_eq!(schema("SELECT SUM(1) AS x, SUM(1.5) AS y, AVG(1) AS z FROM t"), ["x INT", "y DECIMAL(38, 1)", "z INT"]);
    assert_eq!(schema("SELECT COUNT(*) + 1 AS x, 1 + SUM(i) AS y FROM t"), ["x BIGINT NOT NULL", "y INT"]);
    assert_eq!(schema("SELECT COUNT(*) FILTER (WHERE i > 0) AS x FROM t"), ["x BIGINT NOT NULL"]);
    assert_eq!(
        schema("SELECT s, SUM(de * 2) AS x, SUM(i + 1) AS y, AVG(de) AS z, AVG(d) AS w FROM t GROUP BY s"),
        ["s STRING", "x DECIMAL(38, 2)", "y INT", "z DECIMAL(38, 6)", "w DOUBLE"]
    );
    assert_eq!(schema("SELECT SUM(DISTINCT de) AS x FROM t"), ["x DECIMAL(38, 2)"]);
}

#[test]
fn grouping() {
    assert_eq!(
        schema("SELECT s_nn, i, SUM(de) AS total FROM t GROUP BY s_nn, i"),
        ["s_nn STRING NOT NULL", "i INT", "total DECIMAL(38, 2)"]
    );
    assert_eq!(schema("SELECT i + 1 AS x FROM t GROUP BY i + 1"), ["x INT"]);
    assert_eq!(schema("SELECT i + 1 AS x FROM t GROUP BY i"), ["x INT"]);
    assert_eq!(schema("SELECT UPPER(s) AS x, COUNT(*) AS c FROM t GROUP BY s"), ["x STRING", "c BIGINT NOT NULL"]);
    assert_eq!(
        schema("SELECT UPPER(s) AS us, COUNT(*) AS c FROM t GROUP BY UPPER(s)"),
        ["us STRING", "c BIGINT NOT NULL"]
    );
    assert_eq!(schema("SELECT s, COUNT(*) AS c FROM t GROUP BY s HAVING s = 'x'"), ["s STRING", "c BIGINT NOT NULL"]);
    assert_eq!(schema("SELECT COUNT(*) AS c FROM t HAVING COUNT(*) > 1"), ["c BIGINT NOT NULL"]);
    assert_eq!(schema("SELECT s, COUNT(*) AS c FROM t GROUP BY s, s"), ["s STRING", "c BIGINT NOT NULL"]);
    assert_eq!(schema("SELECT t.s, COUNT(*) AS c FROM t GROUP BY s"), ["s STRING", "c BIGINT NOT NULL"]);
    // Grouping drops time attributes (the planner materializes them).
    assert_eq!(schema("SELECT ts, COUNT(*) AS c FROM t GROUP BY ts"), ["ts TIMESTAMP(3)", "c BIGINT NOT NULL"]);
    assert_eq!(
        schema("SELECT pt, COUNT(*) AS c FROM t GROUP BY pt"),
        ["pt TIMESTAMP_LTZ(3) NOT NULL", "c BIGINT NOT NULL"]
    );
    assert_eq!(schema("SELECT DISTINCT s, i FROM t"), ["s STRING", "i INT"]);
    assert_eq!(schema("SELECT DISTINCT ts FROM t"), ["ts TIMESTAMP(3)"]);
    assert_eq!(schema("WITH x (a, b) AS (SELECT i, s FROM t) SELECT a, b FROM x"), ["a INT", "b STRING"]);
    assert_eq!(schema("SELECT s, COUNT(*) FROM t GROUP BY s, i"), ["s STRING", "EXPR$1 BIGINT NOT NULL"]);
    // Flink: "Column 'c' not found in any table" (HAVING does not see select aliases).
    assert_eq!(first_err("SELECT COUNT(*) AS c, s FROM t GROUP BY s HAVING c > 1"), (Code::E0303, "c".to_string()));
}

#[test]
fn aggregate_misuse() {
    // Flink: "Expression 's' is not being grouped".
    assert_eq!(first_err("SELECT s, COUNT(*) AS c FROM t GROUP BY UPPER(s)"), (Code::E0310, "s".to_string()));
    assert_eq!(first_err("SELECT s, i FROM t GROUP BY s"), (Code::E0310, "i".to_string()));
    assert_eq!(first_err("SELECT t.i FROM t GROUP BY s"), (Code::E0310, "t.i".to_string()));
    assert_eq!(first_err("SELECT * FROM t GROUP BY s"), (Code::E0310, "*".to_string()));
    assert_eq!(first_err("SELECT s FROM t HAVING COUNT(*) > 1"), (Code::E0310, "s".to_string()));
    assert_eq!(first_err("SELECT s, COUNT(*) AS c FROM t GROUP BY s HAVING i > 1"), (Code::E0310, "i".to_string()));
    // Flink: "Aggregate expressions cannot be nested".
    assert_eq!(first_err("SELECT SUM(COUNT(*)) AS x FROM t"), (Code::E0310, "COUNT".to_string()));
    // Flink: "Aggregate expression is illegal in WHERE clause".
    assert_eq!(first_err("SELECT s FROM t WHERE COUNT(*) > 1"), (Code::E0310, "COUNT".to_string()));
    assert_eq!(first_err("SELECT COUNT(*) AS c FROM t GROUP BY COUNT(*)"), (Code::E0310, "COUNT".to_string()));
    // Flink: "Column 'k' not found in any table" (GROUP BY does not see select aliases).
    assert_eq!(first_err("SELECT s AS k, COUNT(*) AS c FROM t GROUP BY k"), (Code::E0303, "k".to_string()));
    // Flink plans it with "We now only support the count of one field."
    assert_eq!(first_err("SELECT COUNT(DISTINCT s, i) AS x FROM t"), (Code::E0310, "COUNT".to_string()));
    // Flink: "Cannot apply 'SUM' to arguments of type 'SUM(<VARCHAR(2147483647)>)'".
    assert_eq!(first_err("SELECT SUM(s) AS x FROM t"), (Code::E0305, "s".to_string()));
    assert_eq!(first_err("SELECT AVG(s) AS x FROM t"), (Code::E0305, "s".to_string()));
    assert_eq!(first_err("SELECT SUM(b) AS x FROM t"), (Code::E0305, "b".to_string()));
    // Flink plans it with "Max aggregate function does not support type: ''ARRAY''".
    assert_eq!(first_err("SELECT MAX(arr) AS x FROM t"), (Code::E0305, "arr".to_string()));
    assert_eq!(first_err("SELECT UPPER(DISTINCT s) AS x FROM t").0, Code::E0310);
}

#[test]
fn names_of_output_columns() {
    // Unaliased expressions are named EXPR$<position>; duplicate names get a numeric suffix.
    assert_eq!(
        ok("SELECT i + 1, UPPER(s), CAST(i AS BIGINT), t.i, s FROM t")
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>(),
        ["EXPR$0", "EXPR$1", "EXPR$2", "i", "s"]
    );
    assert_eq!(
        schema("SELECT s, COUNT(*), SUM(i) FROM t GROUP BY s"),
        ["s STRING", "EXPR$1 BIGINT NOT NULL", "EXPR$2 INT"]
    );
    assert_eq!(schema("SELECT i, i FROM t"), ["i INT", "i0 INT"]);
    assert_eq!(schema("SELECT i AS x, i AS y FROM t"), ["x INT", "y INT"]);
    assert_eq!(schema("SELECT s AS `my col` FROM t"), ["my col STRING"]);
    assert_eq!(
        schema("SELECT a.id, b.id, c.id FROM u AS a JOIN u AS b ON a.id = b.id JOIN c ON c.id = a.id"),
        ["id BIGINT NOT NULL", "id0 BIGINT NOT NULL", "id1 BIGINT NOT NULL"]
    );
    assert_eq!(
        schema("SELECT * FROM u AS a JOIN c AS b ON a.id = b.id"),
        [
            "id BIGINT NOT NULL",
            "name STRING",
            "amount DECIMAL(10, 2)",
            "ts TIMESTAMP(3)",
            "id0 BIGINT NOT NULL",
            "country STRING"
        ]
    );
    assert_eq!(schema("SELECT 1 AS x"), ["x INT NOT NULL"]);
}

#[test]
fn scopes_and_qualifiers() {
    assert_eq!(schema("SELECT x.s FROM t AS x"), ["s STRING"]);
    assert_eq!(schema("SELECT s FROM t x"), ["s STRING"]);
    assert_eq!(schema("SELECT `s` FROM `t`"), ["s STRING"]);
    assert_eq!(schema("SELECT a FROM (SELECT i, s FROM t) AS sub (a, b)"), ["a INT"]);
    assert_eq!(schema("SELECT x.* FROM (SELECT i AS a, i AS a2 FROM t) AS x"), ["a INT", "a2 INT"]);
    assert_eq!(schema("WITH a AS (SELECT i FROM t), b AS (SELECT i FROM a) SELECT * FROM b"), ["i INT"]);
    // A CTE hides a table of the same name.
    assert_eq!(schema("WITH t AS (SELECT id AS i FROM u) SELECT * FROM t"), ["i BIGINT NOT NULL"]);
    assert_eq!(schema("SELECT i FROM t, u"), ["i INT"]);
    assert_eq!(schema("SELECT id FROM t, u"), ["id BIGINT NOT NULL"]);
    assert_eq!(schema("SELECT i, s FROM (SELECT i, s FROM t)"), ["i INT", "s STRING"]);
    // Flink: "Table 't' not found" (the alias hides the table's name).
    assert_eq!(first_err("SELECT t.s FROM t AS x"), (Code::E0303, "t".to_string()));
    // Flink: "Column 'ts' is ambiguous".
    assert_eq!(first_err("SELECT ts FROM t, u"), (Code::E0304, "ts".to_string()));
    // Flink: "Column 'i' not found in any table" (the alias list renames the columns).
    assert_eq!(first_err("SELECT i, s FROM (SELECT i, s FROM t) AS sub (a, b)"), (Code::E0303, "i".to_string()));
    // Flink: "Column 'i' is ambiguous".
    assert_eq!(first_err("SELECT * FROM (SELECT i, i FROM t)"), (Code::E0304, "*".to_string()));
    // Flink: "Column 'S' not found in any table; did you mean 's'?" (names are case-sensitive).
    let e = err("SELECT S FROM t");
    assert_eq!((e[0].0, e[0].3.as_str()), (Code::E0303, "S"));
    assert!(e[0].4.contains("unknown column `S`"));
    // Flink: "Object 'T' not found within 'default_catalog.default_database'; did you mean 't'?".
    assert_eq!(first_err("SELECT s FROM T"), (Code::E0302, "T".to_string()));
}

#[test]
fn joins_nullability_and_time_attributes() {
    assert_eq!(
        schema("SELECT a.id, b.id FROM u AS a LEFT JOIN u AS b ON a.id = b.id"),
        ["id BIGINT NOT NULL", "id0 BIGINT"]
    );
    assert_eq!(
        schema("SELECT a.id, b.name FROM u AS a RIGHT JOIN u AS b ON a.id = b.id"),
        ["id BIGINT", "name STRING"]
    );
    assert_eq!(
        schema("SELECT a.id, b.id AS bid FROM u AS a FULL JOIN u AS b ON a.id = b.id"),
        ["id BIGINT", "bid BIGINT"]
    );
    assert_eq!(
        schema("SELECT a.id, b.id AS bid FROM u AS a FULL OUTER JOIN c AS b ON a.id = b.id"),
        ["id BIGINT", "bid BIGINT"]
    );
    // Regular joins drop time attributes: a window over these columns fails in Flink with
    // "The window function requires the timecol is a time attribute type".
    assert_eq!(
        schema("SELECT a.ts, b.ts AS bts FROM u AS a JOIN u AS b ON a.id = b.id"),
        ["ts TIMESTAMP(3)", "bts TIMESTAMP(3)"]
    );
    assert_eq!(schema("SELECT pt FROM t AS a JOIN u AS b ON a.i = b.id"), ["pt TIMESTAMP_LTZ(3) NOT NULL"]);
    assert_eq!(
        schema("SELECT u.id, u.ts, c.country FROM u, c WHERE u.id = c.id"),
        ["id BIGINT NOT NULL", "ts TIMESTAMP(3)", "country STRING"]
    );
    assert_eq!(
        schema("SELECT a.*, b.country FROM u AS a JOIN c AS b ON a.id = b.id"),
        ["id BIGINT NOT NULL", "name STRING", "amount DECIMAL(10, 2)", "ts TIMESTAMP(3)", "country STRING"]
    );
}

#[test]
fn time_attributes_through_projections() {
    // Selected unchanged, a time attribute stays one; through a subquery, a filter or UNION ALL
    // too (a window over these works in Flink).
    assert_eq!(
        schema("SELECT ts, pt FROM t"),
        ["ts TIMESTAMP(3) *ROWTIME*", "pt TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*"]
    );
    assert_eq!(
        schema("SELECT * FROM (SELECT ts, id FROM u WHERE id > 0)"),
        ["ts TIMESTAMP(3) *ROWTIME*", "id BIGINT NOT NULL"]
    );
    assert_eq!(schema("SELECT ts FROM u UNION ALL SELECT ts FROM u"), ["ts TIMESTAMP(3) *ROWTIME*"]);
    assert_eq!(schema("SELECT PROCTIME() AS p FROM t"), ["p TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*"]);
    // Any expression drops it (CAST, arithmetic, COALESCE): Flink then refuses a window on it.
    assert_eq!(schema("SELECT CAST(ts AS TIMESTAMP(3)) AS ts FROM u"), ["ts TIMESTAMP(3)"]);
    assert_eq!(schema("SELECT ts + INTERVAL '1' HOUR AS ts FROM u"), ["ts TIMESTAMP(3)"]);
    assert_eq!(schema("SELECT COALESCE(ts, ts) AS ts FROM u"), ["ts TIMESTAMP(3)"]);
}

#[test]
fn union_all() {
    assert_eq!(
        schema("SELECT i, 'x' AS k FROM t UNION ALL SELECT bi, 'yy' FROM t"),
        ["i BIGINT", "k VARCHAR(2) NOT NULL"]
    );
    assert_eq!(schema("SELECT i_nn FROM t UNION ALL SELECT i_nn FROM t"), ["i_nn INT NOT NULL"]);
    assert_eq!(schema("SELECT i_nn FROM t UNION ALL SELECT i FROM t"), ["i_nn INT"]);
    assert_eq!(schema("(SELECT i FROM t) UNION ALL (SELECT i FROM t)"), ["i INT"]);
    assert_eq!(
        schema("SELECT id, name FROM u UNION ALL SELECT id, country FROM c"),
        ["id BIGINT NOT NULL", "name STRING"]
    );
    // Flink: "Type mismatch in column 1 of UNION ALL".
    assert_eq!(first_err("SELECT i FROM t UNION ALL SELECT s FROM t"), (Code::E0305, "s".to_string()));
    // Flink: "Column count mismatch in UNION ALL".
    assert_eq!(first_err("SELECT i FROM t UNION ALL SELECT i, s FROM t").0, Code::E0305);
    // UNION (without ALL) is an aggregation over every column.
    assert_eq!(mode("SELECT i FROM t UNION SELECT i_nn FROM t"), (Changelog::Upsert, key(&["i"])));
    assert_eq!(schema("SELECT i FROM t UNION SELECT i_nn FROM t"), ["i INT"]);
}

fn mode(sql: &str) -> (Changelog, Option<Vec<String>>) {
    let r = ok(sql);
    (r.changelog, r.unique_key)
}

fn key(names: &[&str]) -> Option<Vec<String>> {
    Some(names.iter().map(|s| s.to_string()).collect())
}

#[test]
fn changelog_modes() {
    use Changelog::*;
    // Flink reports I for all of these.
    assert_eq!(mode("SELECT name, ts FROM u").0, Insert);
    assert_eq!(mode("SELECT a.id, b.name FROM u AS a JOIN u AS b ON a.id = b.id").0, Insert);
    assert_eq!(mode("SELECT id FROM u UNION ALL SELECT id FROM u").0, Insert);
    assert_eq!(mode("SELECT 1 AS x").0, Insert);
    // Aggregations update by their group keys, without update-before rows unless a filter
    // after them needs those.
    assert_eq!(mode("SELECT s, COUNT(*) AS c FROM t GROUP BY s"), (Upsert, key(&["s"])));
    assert_eq!(mode("SELECT COUNT(*) AS c FROM t"), (Upsert, key(&[])));
    assert_eq!(mode("SELECT DISTINCT s, i FROM t"), (Upsert, key(&["s", "i"])));
    assert_eq!(mode("SELECT UPPER(s) AS us, COUNT(*) AS c FROM t GROUP BY UPPER(s)"), (Upsert, key(&["us"])));
    assert_eq!(mode("SELECT COUNT(*) AS c FROM t GROUP BY s"), (Upsert, None));
    assert_eq!(mode("SELECT country, COUNT(*) AS c FROM c GROUP BY country"), (Upsert, key(&["country"])));
    assert_eq!(
        mode("SELECT s, c FROM (SELECT s, COUNT(*) AS c FROM t GROUP BY s) WHERE c > 5"),
        (Retract, key(&["s"]))
    );
    // Sources pass their mode and key through projections; a filter needs update-before rows.
    assert_eq!(mode("SELECT id, country FROM c WHERE id > 5"), (Retract, key(&["id"])));
    assert_eq!(mode("SELECT id AS cid, country FROM c"), (Upsert, key(&["cid"])));
    assert_eq!(mode("SELECT country FROM c"), (Upsert, None));
    assert_eq!(mode("SELECT * FROM up"), (Upsert, key(&["id"])));
    // Joins: outer joins and joins with an updating input update; without update-before rows
    // while each updating input's join keys lie within its unique key.
    assert_eq!(mode("SELECT u.id, u.name, c.country FROM u JOIN c ON u.id = c.id").0, Upsert);
    assert_eq!(mode("SELECT a.id, b.name FROM u AS a LEFT JOIN u AS b ON a.id = b.id").0, Upsert);
    assert_eq!(mode("SELECT a.id, b.id AS bid FROM u AS a FULL JOIN u AS b ON a.id = b.id").0, Upsert);
    assert_eq!(
        mode("SELECT u.id, x.c FROM u JOIN (SELECT s, COUNT(*) AS c FROM t GROUP BY s) AS x ON u.name = x.s").0,
        Upsert
    );
    // UNION ALL takes the most updating input.
    assert_eq!(mode("SELECT id, name FROM u UNION ALL SELECT id, country FROM c"), (Upsert, None));
    // A join keeps the left key when the right side's key is bound by the condition.
    assert_eq!(
        mode("SELECT o.order_id, c.country FROM orders AS o LEFT JOIN customers AS c ON o.customer_id = c.id"),
        (Upsert, key(&["order_id"]))
    );
    assert_eq!(
        mode("SELECT o.order_id, c.country FROM orders AS o JOIN customers AS c ON o.status = c.country").1,
        None
    );
}

#[test]
fn updating_causes() {
    let r = ok("SELECT s, COUNT(*) AS c FROM t GROUP BY s");
    assert_eq!(r.updating_cause.as_deref(), Some("the aggregation (GROUP BY s) in transform `x`"));
    let r = ok("SELECT COUNT(*) AS c FROM t");
    assert_eq!(r.updating_cause.as_deref(), Some("the aggregation without GROUP BY in transform `x`"));
    let r = ok("SELECT DISTINCT s FROM t");
    assert_eq!(r.updating_cause.as_deref(), Some("the SELECT DISTINCT in transform `x`"));
    let r = ok(
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY amount DESC) AS rn FROM u) WHERE rn <= 3",
    );
    assert_eq!(r.updating_cause.as_deref(), Some("the Top-N (ROW_NUMBER) in transform `x`"));
    let r =
        ok("SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) AS rn FROM u) WHERE rn = 1");
    assert_eq!(r.updating_cause.as_deref(), Some("the deduplication (ROW_NUMBER, keep the last row) in transform `x`"));
    let r = ok("SELECT id FROM u WHERE id NOT IN (SELECT id FROM c)");
    assert_eq!(r.updating_cause.as_deref(), Some("the NOT IN subquery in transform `x`"));
    let r = ok("SELECT a.id FROM u AS a LEFT JOIN u AS b ON a.id = b.id");
    assert_eq!(r.updating_cause.as_deref(), Some("the LEFT JOIN in transform `x`"));
    let r = ok("SELECT u.id FROM u JOIN customers ON u.id = customers.id");
    assert_eq!(
        r.updating_cause.as_deref(),
        Some("the join in transform `x` (its input is updating: the CDC source `customers`)")
    );
    let r = ok("SELECT id FROM c WHERE id > 1");
    assert_eq!(r.updating_cause.as_deref(), Some("the CDC source `c`"));
    assert_eq!(ok("SELECT id FROM u").updating_cause, None);
}

#[test]
fn design_doc_queries() {
    let r = schema(
        "SELECT o.order_id, o.customer_id, o.amount, o.status, c.country,\n       o.created_at, CAST(o.created_at AS DATE) AS order_date\nFROM orders AS o\nLEFT JOIN customers AS c ON o.customer_id = c.id",
    );
    assert_eq!(
        r,
        [
            "order_id BIGINT NOT NULL",
            "customer_id BIGINT",
            "amount DECIMAL(10, 2)",
            "status STRING",
            "country STRING",
            "created_at TIMESTAMP(3)",
            "order_date DATE"
        ]
    );
    let r = schema("SELECT order_id, amount, status FROM orders WHERE amount > 1000");
    assert_eq!(r, ["order_id BIGINT NOT NULL", "amount DECIMAL(10, 2)", "status STRING"]);
    let r = ok(
        "SELECT COALESCE(country, 'unknown') AS country,\n       COUNT(*) AS orders, SUM(amount) AS revenue\nFROM (SELECT c.country, o.amount FROM orders AS o LEFT JOIN customers AS c ON o.customer_id = c.id)\nGROUP BY COALESCE(country, 'unknown')",
    );
    let cols: Vec<String> = r.columns.iter().map(|c| format!("{} {}", c.name, c.ty)).collect();
    assert_eq!(cols, ["country STRING NOT NULL", "orders BIGINT NOT NULL", "revenue DECIMAL(38, 2)"]);
    assert_eq!((r.changelog, r.unique_key), (Changelog::Upsert, key(&["country"])));
}

#[test]
fn not_supported_yet() {
    // Flink accepts these; pipec does not type them yet and says so (E0306), never guesses.
    let cases = [
        ("SELECT x.id, y.n FROM u AS x, LATERAL (SELECT COUNT(*) AS n FROM c WHERE c.id = x.id) AS y", "LATERAL"),
        (
            "SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts MEASURES A.i AS ai PATTERN (A) DEFINE A AS A.i > 0)",
            "MATCH_RECOGNIZE",
        ),
    ];
    for (sql, at) in cases {
        match run(sql) {
            Err(e) => assert_eq!((e[0].0, e[0].3.as_str()), (Code::E0306, at), "{sql}: {e:?}"),
            Ok(r) => panic!("{sql}: {r:?}"),
        }
    }
}

#[test]
fn unknown_functions_get_suggestions() {
    let e = err("SELECT UPPR(s) AS x FROM t");
    assert_eq!((e[0].0, e[0].3.as_str()), (Code::E0307, "UPPR"));
    assert!(e[0].4.contains("unknown function `UPPR`"));
    let e = err("SELECT COALESC(s, 'a') AS x FROM t");
    assert_eq!(e[0].0, Code::E0307);
    // A known built-in that pipec does not type is E0306, not E0307.
    // A group window property without its GROUP BY window.
    assert_eq!(
        first_err("SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE) AS x FROM t"),
        (Code::E0310, "TUMBLE_START".to_string())
    );
    // Names that Flink 1.20 does not know either are E0307.
    assert_eq!(first_err("SELECT URL_DECODE(s) AS x FROM t").0, Code::E0307);
}

#[test]
fn suggestions_for_names() {
    let b = block("SELECT amount FROM ordres");
    let text = SqlText { text: &b.sql, origin: &b.origin };
    let mut d = Diagnostics::default();
    let q = parse_query(&text, &mut d).unwrap_or_else(|| panic!("parse"));
    assert!(check_query(&q, &text, &scope, NAMES, "transform `x`", &mut d).is_none());
    let items = d.into_vec();
    assert_eq!(items[0].code, Code::E0302);
    assert!(items[0].help.contains("did you mean `orders`?"), "{}", items[0].help);
    let b = block("SELECT amout FROM orders");
    let text = SqlText { text: &b.sql, origin: &b.origin };
    let mut d = Diagnostics::default();
    let q = parse_query(&text, &mut d).unwrap_or_else(|| panic!("parse"));
    assert!(check_query(&q, &text, &scope, NAMES, "transform `x`", &mut d).is_none());
    let items = d.into_vec();
    assert_eq!(items[0].code, Code::E0303);
    assert!(items[0].help.contains("did you mean `amount`?"), "{}", items[0].help);
}

#[test]
fn reserved_words() {
    let e = err("SELECT value, timestamp, `date`, user, year FROM t");
    let got: Vec<(Code, &str)> = e.iter().map(|x| (x.0, x.3.as_str())).filter(|x| x.0 == Code::E0308).collect();
    assert_eq!(got, [(Code::E0308, "value"), (Code::E0308, "timestamp"), (Code::E0308, "user"), (Code::E0308, "year")]);
    assert!(e.iter().any(|x| x.0 == Code::E0308 && x.4 == "`value` is a reserved word in Flink SQL"));
    // Reserved words as aliases and table names, and words that are not reserved.
    assert_eq!(first_err("SELECT s AS views FROM t"), (Code::E0308, "views".to_string()));
    assert_eq!(first_err("SELECT s FROM t AS value"), (Code::E0308, "value".to_string()));
    let b = block("SELECT name, `value` FROM x");
    let mut d = Diagnostics::default();
    assert!(parse_query(&SqlText { text: &b.sql, origin: &b.origin }, &mut d).is_some());
    assert!(d.is_empty(), "{:?}", d.into_vec());
    // Functions and keywords that are reserved words are not identifiers.
    let b = block("SELECT COUNT(*), CURRENT_TIMESTAMP, TIMESTAMPADD(HOUR, 1, ts), CAST(a AS TIMESTAMP(3)) FROM x");
    let mut d = Diagnostics::default();
    assert!(parse_query(&SqlText { text: &b.sql, origin: &b.origin }, &mut d).is_some());
    assert!(d.is_empty(), "{:?}", d.into_vec());
}

#[test]
fn statements_that_are_not_queries() {
    assert_eq!(first_err("INSERT INTO t SELECT * FROM u"), (Code::E0309, "INSERT".to_string()));
    assert_eq!(first_err("CREATE TABLE x (a INT)"), (Code::E0309, "CREATE".to_string()));
    assert_eq!(first_err("SELECT i FROM t;"), (Code::E0309, ";".to_string()));
    assert_eq!(first_err("   ").0, Code::E0309);
    assert_eq!(schema("VALUES (1)"), ["EXPR$0 INT NOT NULL"]);
}

#[test]
fn syntax_errors() {
    assert_eq!(first_err("SELECT a, b + FROM t"), (Code::E0301, "FROM".to_string()));
    let e = err("SELECT a, b + FROM t");
    assert_eq!(e[0].4, "expected an expression, found `FROM`");
    assert_eq!(first_err("SELECT \"s\" FROM t"), (Code::E0301, "\"s\"".to_string()));
    assert_eq!(first_err("SELECT s FROM t WHERE s = 'abc").0, Code::E0301);
    assert_eq!(first_err("SELECT s FROM t WHERE").0, Code::E0301);
    assert_eq!(first_err("SELECT s FROM t x y").0, Code::E0301);
    assert_eq!(first_err("SELECT s FROM t JOIN u").0, Code::E0301);
    assert_eq!(first_err("SELECT INTERVAL '5' FROM t").0, Code::E0301);
    assert_eq!(first_err("SELECT s::INT FROM t").0, Code::E0301);
    // A reserved word where a name is expected is E0308.
    assert_eq!(first_err("SELECT s AS select FROM t"), (Code::E0308, "select".to_string()));
}

/// The sixteen query shapes of the sqlparser feasibility study all parse with the dialect.
#[test]
fn dialect_parses_flink_query_shapes() {
    let queries = [
        "SELECT `order_id`, 'O''Brien' AS who, CAST(amount AS DECIMAL(10, 2)) AS amount FROM `orders`",
        "SELECT window_start, window_end, COUNT(*) FROM TABLE(TUMBLE(TABLE page_views, DESCRIPTOR(ts), INTERVAL '5' MINUTES)) GROUP BY window_start, window_end",
        "SELECT window_start, COUNT(*) FROM TABLE(HOP(TABLE page_views, DESCRIPTOR(ts), INTERVAL '5' MINUTES, INTERVAL '10' MINUTES)) GROUP BY window_start, window_end",
        "SELECT window_start, COUNT(*) FROM TABLE(CUMULATE(TABLE page_views, DESCRIPTOR(ts), INTERVAL '2' MINUTES, INTERVAL '10' MINUTES)) GROUP BY window_start, window_end",
        "SELECT o.order_id, c.country FROM orders AS o JOIN customers FOR SYSTEM_TIME AS OF o.proc_time AS c ON o.customer_id = c.id",
        "SELECT o.id, s.id FROM orders o, shipments s WHERE o.id = s.order_id AND o.ts BETWEEN s.ts - INTERVAL '4' HOUR AND s.ts",
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) AS rn FROM orders) WHERE rn = 1",
        "SELECT id, SUM(amount) OVER (PARTITION BY id ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) AS s FROM orders",
        "SELECT TIMESTAMPADD(HOUR, 1, ts), TIMESTAMPDIFF(DAY, ts, ts2), EXTRACT(YEAR FROM ts), FLOOR(ts TO HOUR), JSON_VALUE(payload, '$.a' RETURNING INT) FROM t",
        "SELECT * FROM t WHERE ts > CURRENT_TIMESTAMP - INTERVAL '1' DAY AND a IS NOT DISTINCT FROM b",
        "SELECT COALESCE(a, 'x'), COUNT(DISTINCT b), LISTAGG(c, ',') FROM t GROUP BY a",
        "WITH x AS (SELECT a FROM t) SELECT a FROM x UNION ALL SELECT a FROM t",
        "SELECT CAST(r AS ROW<a INT, b STRING>), CAST(m AS MAP<STRING, INT>), CAST(arr AS ARRAY<MAP<STRING, ARRAY<INT>>>), CAST(ts AS TIMESTAMP_LTZ(3)) FROM t",
        "SELECT * FROM TABLE(SESSION(TABLE page_views PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '5' MINUTES))",
        "SELECT * FROM orders /*+ OPTIONS('scan.startup.mode'='earliest-offset') */",
        "SELECT INTERVAL '5' SECOND, INTERVAL '10' MINUTES, INTERVAL '1' HOUR, INTERVAL '2' DAY, INTERVAL '1-2' YEAR TO MONTH, INTERVAL 5 SECONDS FROM t",
    ];
    for sql in queries {
        let b = block(sql);
        let mut d = Diagnostics::default();
        let q = parse_query(&SqlText { text: &b.sql, origin: &b.origin }, &mut d);
        assert!(q.is_some() && d.is_empty(), "{sql}: {:?}", d.into_vec());
    }
    // Also: MAP[...], ROW(...) casts, backslashes and named TVF arguments.
    for sql in [
        "SELECT MAP['a', 1, 'b', 2] FROM t",
        "SELECT CAST(x AS ROW(a INT, b STRING)) FROM t",
        "SELECT 'C:\\temp\\' AS p FROM t",
        "SELECT * FROM TABLE(TUMBLE(DATA => TABLE page_views, TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL '5' MINUTES))",
    ] {
        let b = block(sql);
        let mut d = Diagnostics::default();
        let q = parse_query(&SqlText { text: &b.sql, origin: &b.origin }, &mut d);
        assert!(q.is_some() && d.is_empty(), "{sql}: {:?}", d.into_vec());
    }
}

#[test]
fn backslashes_are_literal() {
    // Flink keeps a backslash in a string literal: 'a\' is the two characters `a\`.
    assert_eq!(ty("'a\\'"), "CHAR(2) NOT NULL");
    assert_eq!(first_err("SELECT 'a\\'' AS x FROM t").0, Code::E0301);
}

#[test]
fn table_refs_skip_ctes_and_find_window_tables() {
    let b = block(
        "WITH recent AS (SELECT * FROM orders)\nSELECT * FROM recent JOIN customers AS c ON recent.customer_id = c.id\nJOIN TABLE(TUMBLE(TABLE page_views, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) AS w ON TRUE\nWHERE recent.order_id IN (SELECT order_id FROM refunds)",
    );
    let mut d = Diagnostics::default();
    let q = parse_query(&SqlText { text: &b.sql, origin: &b.origin }, &mut d)
        .unwrap_or_else(|| panic!("{:?}", d.into_vec()));
    let refs: Vec<(String, (usize, usize), String)> = q
        .table_refs()
        .into_iter()
        .map(|(n, s)| (n, b.file.line_col(s.start), b.file.text[s.start..s.end].to_string()))
        .collect();
    assert_eq!(
        refs,
        [
            ("orders".to_string(), (10, 38), "orders".to_string()),
            ("customers".to_string(), (11, 34), "customers".to_string()),
            ("page_views".to_string(), (12, 32), "page_views".to_string()),
            ("refunds".to_string(), (13, 55), "refunds".to_string()),
        ]
    );
}

/// Diagnostics point at the exact token in the file: the SQL block starts at line 10,
/// column 8, and its second line is file line 11.
#[test]
fn diagnostic_positions_in_the_file() {
    let cases: &[(&str, Code, (usize, usize), &str)] = &[
        ("SELECT order_id,\n       amout\nFROM orders", Code::E0303, (11, 15), "amout"),
        ("SELECT order_id\nFROM ordres", Code::E0302, (11, 13), "ordres"),
        ("SELECT o.order_id\nFROM orders AS o\nWHERE x.status = 'a'", Code::E0303, (12, 14), "x"),
        ("SELECT id\nFROM u, c", Code::E0304, (10, 15), "id"),
        ("SELECT order_id,\n  value\nFROM orders", Code::E0308, (11, 10), "value"),
        ("SELECT order_id,\n  amount +\nFROM orders", Code::E0301, (12, 8), "FROM"),
        ("SELECT order_id\nFROM orders\nWHERE amount + status > 1", Code::E0305, (12, 21), "+"),
        ("SELECT order_id,\n  UPPR(status)\nFROM orders", Code::E0307, (11, 10), "UPPR"),
        ("SELECT status,\n  amount\nFROM orders\nGROUP BY status", Code::E0310, (11, 10), "amount"),
        ("SELECT CAST(order_id\n  AS DATE)\nFROM orders", Code::E0305, (11, 13), "DATE"),
        (
            "SELECT i\nFROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts6), INTERVAL '1' MINUTE))",
            Code::E0314,
            (11, 35),
            "DESCRIPTOR(ts6",
        ),
        ("SELECT s\nFROM t\nORDER BY s", Code::E0315, (12, 17), "s"),
        (
            "SELECT currency, SUM(rate)\n  OVER (PARTITION BY currency ORDER BY upd ROWS 2 PRECEDING) AS s\nFROM rates",
            Code::E0409,
            (10, 25),
            "SUM",
        ),
        ("SELECT 'é' AS e,\n  amout\nFROM orders", Code::E0303, (11, 10), "amout"),
        ("INSERT INTO x\nSELECT 1", Code::E0309, (10, 8), "INSERT"),
    ];
    for (sql, code, (line, col), text) in cases {
        let b = block(sql);
        let sqltext = SqlText { text: &b.sql, origin: &b.origin };
        let mut d = Diagnostics::default();
        if let Some(q) = parse_query(&sqltext, &mut d) {
            check_query(&q, &sqltext, &scope, NAMES, "transform `x`", &mut d);
        }
        let items = d.sorted();
        let first = items.iter().find(|x| x.code == *code).unwrap_or_else(|| panic!("{sql}: no {code:?} in {items:?}"));
        let got = b.file.line_col(first.span.start);
        let under = &b.file.text[first.span.start..first.span.end];
        assert_eq!(
            (first.code, got, under.starts_with(text)),
            (*code, (*line, *col), true),
            "{sql}: {} at {got:?} on `{under}`",
            first.message
        );
    }
}

#[test]
fn computed_columns() {
    let cols = vec![
        column("ts", "BIGINT", None),
        column("amount", "DECIMAL(10, 2)", None),
        column("created", "TIMESTAMP(3)", None),
    ];
    let check = |e: &str| {
        let b = block(e);
        let mut d = Diagnostics::default();
        let c = check_expr(&SqlText { text: &b.sql, origin: &b.origin }, &cols, &mut d);
        let first = d
            .sorted()
            .first()
            .map(|x| (x.code, b.file.line_col(x.span.start), b.file.text[x.span.start..x.span.end].to_string()));
        (c, first)
    };
    let (c, _) = check("PROCTIME()");
    let c = c.unwrap_or_else(|| panic!("PROCTIME()"));
    assert_eq!(
        (c.name.as_str(), c.ty.to_string(), c.time),
        ("", "TIMESTAMP_LTZ(3) NOT NULL".to_string(), Some(TimeAttr::Proctime))
    );
    let (c, _) = check("TO_TIMESTAMP_LTZ(ts, 3)");
    let c = c.unwrap_or_else(|| panic!("TO_TIMESTAMP_LTZ"));
    assert_eq!((c.ty.to_string(), c.time), ("TIMESTAMP_LTZ(3)".to_string(), None));
    let (c, _) = check("amount * 2");
    assert_eq!(c.map(|c| c.ty.to_string()).as_deref(), Some("DECIMAL(21, 2)"));
    let (c, _) = check("CAST(created AS DATE)");
    assert_eq!(c.map(|c| c.ty.to_string()).as_deref(), Some("DATE"));
    let (c, e) = check("amout * 2");
    assert!(c.is_none());
    assert_eq!(e, Some((Code::E0303, (10, 8), "amout".to_string())));
    let (c, e) = check("SUM(amount)");
    assert!(c.is_none());
    assert_eq!(e.map(|x| x.0), Some(Code::E0310));
    let (c, e) = check("amount +");
    assert!(c.is_none());
    assert_eq!(e.map(|x| x.0), Some(Code::E0301));
    let (c, e) = check("NULL");
    assert!(c.is_none());
    assert_eq!(e.map(|x| x.0), Some(Code::E0311));
    let (c, e) = check("amount 2");
    assert!(c.is_none());
    assert_eq!(e.map(|x| x.0), Some(Code::E0301));
}

#[test]
fn no_panic_on_truncated_or_odd_input() {
    let queries = [
        "SELECT o.order_id, CAST(o.created_at AS DATE) AS d, COALESCE(c.country, 'x') FROM orders AS o LEFT JOIN customers AS c ON o.customer_id = c.id WHERE o.amount > 1.5 GROUP BY o.order_id",
        "WITH x AS (SELECT `s`, MAP['a', 1] AS m FROM t) SELECT * FROM x UNION ALL SELECT s, m FROM x",
        "SELECT CASE WHEN i > 0 THEN 'é' ELSE NULL END, INTERVAL '1-2' YEAR TO MONTH, X'0A', TIMESTAMP '2020-01-01 00:00:00.5' FROM t",
        "SELECT * FROM TABLE(SESSION(TABLE t PARTITION BY (a, b), DESCRIPTOR(ts), INTERVAL '5' MINUTES))",
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY i DESC) AS rn FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE))) WHERE rn <= 3",
        "SELECT o.order_id, JSON_VALUE(o.status, '$.a' RETURNING INT DEFAULT 0 ON EMPTY) AS j FROM orders AS o LEFT JOIN dim FOR SYSTEM_TIME AS OF o.proc_time AS d ON o.customer_id = d.id WHERE o.order_id IN (SELECT id FROM dim) ORDER BY o.created_at",
        "SELECT i, x, SUM(i) OVER w AS s FROM t CROSS JOIN UNNEST(arr) AS z(x) WINDOW w AS (ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) UNION SELECT 1, 'a', 2",
    ];
    for q in queries {
        let mut boundaries: Vec<usize> = q.char_indices().map(|(i, _)| i).collect();
        boundaries.push(q.len());
        for &end in &boundaries {
            let _ = run_quiet(&q[..end]);
            let _ = run_quiet(&q[end..]);
        }
    }
    for odd in [
        "",
        ")",
        "SELECT",
        "SELECT (",
        "SELECT CAST(",
        "SELECT CAST(a AS",
        "SELECT CAST(a AS )",
        "SELECT MAP[",
        "SELECT MAP[1]",
        "\u{0}",
        "SELECT `",
        "SELECT 'a",
        "SELECT 1e",
        "SELECT 99999999999999999999999999999999999999999999.5",
    ] {
        let _ = run_quiet(odd);
    }
}

fn run_quiet(sql: &str) -> usize {
    let b = block(sql);
    let text = SqlText { text: &b.sql, origin: &b.origin };
    let mut d = Diagnostics::default();
    if let Some(q) = parse_query(&text, &mut d) {
        let _ = q.table_refs();
        let _ = check_query(&q, &text, &scope, NAMES, "transform `x`", &mut d);
    }
    let _ = check_expr(&text, &[], &mut d);
    d.len()
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("SELECT {}1{} FROM t", "(".repeat(2000), ")".repeat(2000));
    assert!(run_quiet(&deep) > 0);
    let chain = format!("SELECT {} AS x FROM t", vec!["1"; 1900].join(" + "));
    let _ = run_quiet(&chain);
    let long = format!("SELECT {} AS x FROM t", vec!["1"; 5000].join(" + "));
    assert_eq!(first_err(&long).0, Code::E0901);
    let nested = format!("SELECT * FROM {}t{}", "(SELECT * FROM ".repeat(300), ")".repeat(300));
    assert!(run_quiet(&nested) > 0);
    let cases = format!("SELECT {} 1 {} FROM t", "CASE WHEN b THEN".repeat(500), " END".repeat(500));
    let _ = run_quiet(&cases);
    // Long chains in join conditions and WHERE, where time bounds are looked for.
    let bound = format!(
        "SELECT a.id FROM u AS a JOIN u AS b ON a.id = b.id AND a.ts BETWEEN b.ts{} AND b.ts WHERE a.ts > b.ts{}",
        " - INTERVAL '1' SECOND".repeat(400),
        " + INTERVAL '1' SECOND".repeat(400)
    );
    let _ = run_quiet(&bound);
}

/// Random token soups from SQL's vocabulary: nothing may panic.
#[test]
fn no_panic_on_token_soup() {
    let words = [
        "SELECT",
        "FROM",
        "WHERE",
        "GROUP",
        "BY",
        "HAVING",
        "JOIN",
        "LEFT",
        "ON",
        "AS",
        "CAST",
        "(",
        ")",
        ",",
        "+",
        "-",
        "*",
        "/",
        "%",
        "||",
        "=",
        "<",
        ">",
        "AND",
        "OR",
        "NOT",
        "NULL",
        "CASE",
        "WHEN",
        "THEN",
        "ELSE",
        "END",
        "i",
        "s",
        "de",
        "ts",
        "t",
        "u",
        "c",
        "1",
        "1.5",
        "'a'",
        "INTERVAL",
        "'5'",
        "SECOND",
        "COUNT",
        "SUM",
        "COALESCE",
        "DISTINCT",
        "UNION",
        "ALL",
        "WITH",
        "x",
        "IN",
        "BETWEEN",
        "LIKE",
        "IS",
        "TRY_CAST",
        "DECIMAL(10, 2)",
        "ARRAY<INT>",
        "ROW<a INT>",
        "TABLE",
        "TUMBLE",
        "DESCRIPTOR",
        "OVER",
        "MAP",
        "[",
        "]",
        "`v`",
        "value",
        ".",
        "e",
        "EXTRACT",
        "YEAR",
        "TRIM",
        "LEADING",
        "ROW_NUMBER()",
        "PARTITION",
        "ORDER",
        "LIMIT",
        "rn",
        "window_start",
        "window_end",
        "window_time",
        "DESCRIPTOR(ts)",
        "TABLE(TUMBLE(TABLE u,",
        "HOP",
        "SESSION",
        "FOR SYSTEM_TIME AS OF",
        "dim",
        "rates",
        "pv",
        "proc",
        "UNNEST(arr)",
        "CROSS",
        "EXISTS",
        "JSON_VALUE(",
        "RETURNING",
        "ON EMPTY",
        "ROWS",
        "RANGE",
        "PRECEDING",
        "CURRENT ROW",
        "VALUES",
        "GROUPING SETS",
        "ROLLUP",
        "USING",
        "arr[1]",
        "r.a",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let n = 1 + (next() % 24) as usize;
        let mut sql = String::from("SELECT ");
        for _ in 0..n {
            let w = words[(next() % words.len() as u64) as usize];
            sql.push_str(w);
            sql.push(' ');
        }
        let _ = run_quiet(&sql);
    }
}

/// The tables of the differential harness: the same tables as the DDL they were probed with in
/// Flink (Kafka/JSON, debezium-json, upsert-kafka, postgres-cdc, JDBC). A keyed changelog source
/// updates without update-before rows: Flink drops them when nothing downstream needs them.
pub(super) fn diff_scope(name: &str) -> Option<Relation> {
    use Changelog::*;
    let mut r = match name {
        "c" => relation(
            &[("id", "BIGINT NOT NULL"), ("country", "STRING")],
            Upsert,
            Some(&["id"]),
            Some("the debezium-json source `c`"),
        ),
        "up" => relation(
            &[("id", "BIGINT NOT NULL"), ("v", "INT")],
            Upsert,
            Some(&["id"]),
            Some("the upsert-kafka source `up`"),
        ),
        "orders" => relation(
            &[
                ("order_id", "BIGINT NOT NULL"),
                ("customer_id", "BIGINT"),
                ("amount", "DECIMAL(10, 2)"),
                ("status", "STRING"),
                ("created_at", "ROWTIME_NN"),
                ("proc_time", "PROCTIME"),
            ],
            Insert,
            None,
            None,
        ),
        "customers" => relation(
            &[("id", "BIGINT NOT NULL"), ("country", "STRING"), ("name", "STRING")],
            Upsert,
            Some(&["id"]),
            Some("the CDC source `customers`"),
        ),
        "customers_all" => relation(
            &[("id", "BIGINT NOT NULL"), ("country", "STRING")],
            Upsert,
            Some(&["id"]),
            Some("the CDC source `customers_all`"),
        ),
        "rates" => relation(
            &[("currency", "STRING NOT NULL"), ("rate", "DECIMAL(10, 4)"), ("upd", "ROWTIME")],
            Upsert,
            Some(&["currency"]),
            Some("the debezium-json source `rates`"),
        ),
        "rates_up" => relation(
            &[("currency", "STRING NOT NULL"), ("rate", "DECIMAL(10, 4)"), ("upd", "ROWTIME")],
            Upsert,
            Some(&["currency"]),
            Some("the upsert-kafka source `rates_up`"),
        ),
        "dim" => relation(
            &[("id", "BIGINT NOT NULL"), ("label", "STRING"), ("region", "STRING")],
            Insert,
            Some(&["id"]),
            None,
        ),
        "dimnk" => relation(&[("id", "BIGINT"), ("label", "STRING")], Insert, None, None),
        "pv" => relation(
            &[("user_id", "BIGINT"), ("page", "STRING"), ("ts", "ROWTIME_LTZ"), ("proc", "PROCTIME")],
            Insert,
            None,
            None,
        ),
        "n" => relation(
            &[
                ("s", "STRING NOT NULL"),
                ("i", "INT NOT NULL"),
                ("bi", "BIGINT NOT NULL"),
                ("de", "DECIMAL(10, 2) NOT NULL"),
                ("d", "DOUBLE NOT NULL"),
                ("f", "FLOAT NOT NULL"),
                ("ts", "TIMESTAMP(3) NOT NULL"),
                ("ltz", "TIMESTAMP_LTZ(3) NOT NULL"),
                ("dt", "DATE NOT NULL"),
                ("tm", "TIME NOT NULL"),
                ("byt", "BYTES NOT NULL"),
                ("arr", "ARRAY<STRING NOT NULL> NOT NULL"),
                ("arrn", "ARRAY<STRING> NOT NULL"),
                ("m", "MAP<STRING NOT NULL, INT NOT NULL> NOT NULL"),
                ("b", "BOOLEAN NOT NULL"),
                ("vc", "VARCHAR(20) NOT NULL"),
                ("ch", "CHAR(3) NOT NULL"),
                ("r", "ROW<a INT NOT NULL, b STRING> NOT NULL"),
                ("ar", "ARRAY<ROW<x INT, y STRING>>"),
                ("mm", "MAP<STRING, BIGINT>"),
                ("ts2", "ROWTIME"),
            ],
            Insert,
            None,
            None,
        ),
        "fx" => relation(
            &[("cur", "STRING NOT NULL"), ("rate", "DECIMAL(10, 4)"), ("upd", "ROWTIME_LTZ")],
            Upsert,
            Some(&["cur"]),
            Some("the upsert-kafka source `fx`"),
        ),
        "t" | "u" => return scope(name),
        _ => return None,
    };
    r.lookup = matches!(name, "dim" | "dimnk");
    Some(r)
}

/// Runs a query over the tables of `diff_scope`; the error list holds code, file line and
/// column, the text under the span and the message of each diagnostic.
pub(super) fn diff_run(sql: &str) -> Result<Relation, Vec<Reported>> {
    let b = block(sql);
    let t = SqlText { text: &b.sql, origin: &b.origin };
    let mut d = Diagnostics::default();
    let rel = parse_query(&t, &mut d).and_then(|q| check_query(&q, &t, &diff_scope, NAMES, "transform `x`", &mut d));
    let reported: Vec<Reported> = d
        .sorted()
        .into_iter()
        .map(|x| {
            let (l, c) = b.file.line_col(x.span.start);
            (x.code, l, c, b.file.text[x.span.start..x.span.end].to_string(), x.message.clone())
        })
        .collect();
    match rel {
        Some(r) if reported.is_empty() => Ok(r),
        _ => Err(reported),
    }
}

/// As `diff_run`, for queries expected to pass.
pub(super) fn diff_relation(sql: &str) -> Result<Relation, Vec<Reported>> {
    diff_run(sql)
}

/// Differential harness: `PIPEC_DIFF=file cargo test --lib diff_harness -- --nocapture` prints
/// pipec's verdict, types and changelog for each query of the file (separated by `---` lines),
/// in the format of the Flink probe, so that the two can be compared.
#[test]
fn diff_harness() {
    let Ok(path) = std::env::var("PIPEC_DIFF") else { return };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    for sql in text.split("\n---\n") {
        let sql = sql.trim();
        if sql.is_empty() {
            continue;
        }
        let b = block(sql);
        let t = SqlText { text: &b.sql, origin: &b.origin };
        let mut d = Diagnostics::default();
        let rel =
            parse_query(&t, &mut d).and_then(|q| check_query(&q, &t, &diff_scope, NAMES, "transform `x`", &mut d));
        println!("=== {}", sql.replace('\n', " "));
        match rel {
            Some(r) if d.error_count() == 0 => {
                for c in &r.columns {
                    let attr = match c.time {
                        Some(TimeAttr::Rowtime) => " *ROWTIME*",
                        Some(TimeAttr::Proctime) => " *PROCTIME*",
                        None => "",
                    };
                    println!("   {:<20} {}{attr}", c.name, c.ty);
                }
                let mode = match r.changelog {
                    Changelog::Insert => "I",
                    Changelog::Upsert => "I,UA,D",
                    Changelog::Retract => "I,UB,UA,D",
                };
                println!("   mode: {mode} key={:?} cause={:?}", r.unique_key, r.updating_cause);
            }
            _ => {
                for x in d.sorted() {
                    let (l, c) = b.file.line_col(x.span.start);
                    println!(
                        "   ERROR {:?} {}:{} `{}` {}",
                        x.code,
                        l,
                        c,
                        &b.file.text[x.span.start..x.span.end],
                        x.message
                    );
                }
            }
        }
    }
}
