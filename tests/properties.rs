//! Property tests (proptest) of what pipec writes for others to read back: Flink type strings,
//! quoted Flink identifiers and string literals, unquoted Postgres names, and YAML scalars.
//! Each property reads the written text with the consumer's grammar (pipec's own type parser,
//! sqlparser with pipec's Flink dialect or the Postgres dialect, a YAML parser) and compares.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use pipec::check::rules::pg_name_problem;
use pipec::emit::yaml::to_yaml;
use pipec::emit::{quote_ident, quote_literal};
use pipec::typecheck::dialect::FlinkDialect;
use pipec::typecheck::types::MAX_LENGTH;
use pipec::typecheck::{DataType, RowField, TypeKind};
use proptest::prelude::*;
use serde_json::{Map, Value};
use sqlparser::ast::{Expr, SelectItem, SetExpr, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// Strings that stress quoting: any Unicode, and short strings of quote characters, YAML and
/// SQL indicators, white space, line breaks (YAML 1.1 counts NEL, LS and PS as breaks) and
/// words YAML reads as other types.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-:#&*!|>'\"%@` {}\\[\\],?\n\r\t .0-9a-zA-Z~\\\\\u{0}\u{7}\u{85}\u{a0}\u{feff}\u{2028}\u{2029}é]{0,12}",
        prop::sample::select(vec![
            "",
            " ",
            "null",
            "Null",
            "~",
            "true",
            "yes",
            "No",
            "on",
            "y",
            "1.20",
            "0x1f",
            "0o17",
            "1e3",
            ".inf",
            "-",
            "- a",
            "? a",
            "a: b",
            "a #b",
            "a:",
            "2024-01-01",
            "12:30:00",
            "<<",
            "=",
            "!x",
            "*a",
            "&a",
            "---",
            "...",
            "--",
            "/*",
            "'",
            "''",
            "`",
            "``",
            "\\",
            "\\'",
            "\u{85}",
            "\u{2028}",
            "a\u{2028}b",
            "a\nb",
            "a\n",
            "a\n\n",
            "\na",
            " a\nb",
            "a \nb",
            "a\tb\nc",
        ])
        .prop_map(str::to_string),
    ]
}

// ------------------------------------------------------------------------------------------
// Flink types: print, parse, compare.

fn leaf_kind() -> impl Strategy<Value = TypeKind> {
    prop_oneof![
        Just(TypeKind::Boolean),
        Just(TypeKind::TinyInt),
        Just(TypeKind::SmallInt),
        Just(TypeKind::Int),
        Just(TypeKind::BigInt),
        Just(TypeKind::Float),
        Just(TypeKind::Double),
        (1u8..=38).prop_flat_map(|p| (Just(p), 0..=p)).prop_map(|(p, s)| TypeKind::Decimal(p, s)),
        length().prop_map(TypeKind::Char),
        length().prop_map(TypeKind::VarChar),
        length().prop_map(TypeKind::Binary),
        length().prop_map(TypeKind::VarBinary),
        Just(TypeKind::Date),
        // The planner knows TIME(0) only; the parser reads every TIME(p) as TIME(0).
        Just(TypeKind::Time(0)),
        (0u8..=9).prop_map(TypeKind::Timestamp),
        (0u8..=9).prop_map(TypeKind::TimestampLtz),
    ]
}

fn length() -> impl Strategy<Value = u32> {
    prop_oneof![1u32..=10, Just(MAX_LENGTH), 1..=MAX_LENGTH]
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_][a-z0-9_]{0,8}",
        prop::sample::select(vec!["NOT", "NULL", "ARRAY", "ROW", "MAP", "value", "a b", "`", "a``b", ">", ","])
            .prop_map(str::to_string),
        tricky_string(),
    ]
    .prop_filter("a field has a name", |n| !n.is_empty())
}

fn data_type() -> impl Strategy<Value = DataType> {
    let leaf = (leaf_kind(), any::<bool>()).prop_map(|(kind, nullable)| DataType { kind, nullable });
    leaf.prop_recursive(5, 48, 4, |inner| {
        let kind = prop_oneof![
            inner.clone().prop_map(|t| TypeKind::Array(Box::new(t))),
            inner.clone().prop_map(|t| TypeKind::Multiset(Box::new(t))),
            (inner.clone(), inner.clone()).prop_map(|(k, v)| TypeKind::Map(Box::new(k), Box::new(v))),
            prop::collection::vec((field_name(), inner), 0..4).prop_map(|fields| {
                let mut out: Vec<RowField> = Vec::new();
                for (name, ty) in fields {
                    if !out.iter().any(|f| f.name == name) {
                        out.push(RowField { name, ty });
                    }
                }
                TypeKind::Row(out)
            }),
        ];
        (kind, any::<bool>()).prop_map(|(kind, nullable)| DataType { kind, nullable })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_printed_type_parses_back(ty in data_type()) {
        let printed = ty.to_string();
        prop_assert_eq!(DataType::parse(&printed), Ok(ty), "printed as {}", printed);
    }

    #[test]
    fn any_type_string_parses_or_fails_cleanly(s in tricky_string()) {
        // Never a panic; an error lies inside the text, on character boundaries.
        if let Err(e) = DataType::parse(&s) {
            prop_assert!(e.start <= e.end && e.end <= s.len(), "{:?} for {:?}", e, s);
            prop_assert!(s.is_char_boundary(e.start) && s.is_char_boundary(e.end), "{:?} for {:?}", e, s);
        }
    }
}

// ------------------------------------------------------------------------------------------
// Flink SQL quoting: what sqlparser with pipec's Flink dialect reads back.

/// The single expression of `SELECT <expr>` (and `FROM t`, when `from`).
fn select_expr(expr: &str, from: bool) -> Result<Expr, String> {
    let sql = if from { format!("SELECT {expr} FROM t") } else { format!("SELECT {expr}") };
    let dialect = FlinkDialect::new(&sql);
    let mut statements = Parser::parse_sql(&dialect, &sql).map_err(|e| format!("{sql}: {e}"))?;
    let Some(Statement::Query(q)) = statements.pop() else { return Err(format!("{sql}: not a query")) };
    let SetExpr::Select(select) = *q.body else { return Err(format!("{sql}: not a SELECT")) };
    match select.projection.into_iter().next() {
        Some(SelectItem::UnnamedExpr(e)) => Ok(e),
        other => Err(format!("{sql}: {other:?}")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_quoted_identifier_reads_back(name in tricky_string().prop_filter("identifiers have a name", |s| !s.is_empty())) {
        let quoted = quote_ident(&name);
        match select_expr(&quoted, true) {
            Ok(Expr::Identifier(ident)) => {
                prop_assert_eq!(ident.quote_style, Some('`'));
                prop_assert_eq!(ident.value, name);
            }
            other => prop_assert!(false, "{} read as {:?}", quoted, other),
        }
    }

    #[test]
    fn a_string_literal_reads_back(s in tricky_string()) {
        let quoted = quote_literal(&s);
        match select_expr(&quoted, false) {
            Ok(Expr::Value(v)) => prop_assert_eq!(v.value, sqlparser::ast::Value::SingleQuotedString(s)),
            other => prop_assert!(false, "{} read as {:?}", quoted, other),
        }
    }
}

// ------------------------------------------------------------------------------------------
// Postgres: the JDBC connector writes names unquoted, so pipec accepts only names that read
// back unchanged without quotes.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn an_accepted_postgres_name_reads_back_unquoted(name in prop_oneof![9 => "[a-z_][a-z0-9_]{0,62}", 1 => "[a-zA-Z_ 0-9\"é-]{1,3}"]) {
        prop_assume!(pg_name_problem(&name).is_none());
        let sql = format!("CREATE TABLE {name}.{name} ({name} integer)");
        let statements = Parser::parse_sql(&PostgreSqlDialect {}, &sql);
        let Ok(mut statements) = statements else {
            return Err(TestCaseError::fail(format!("{sql}: {statements:?}")));
        };
        let Some(Statement::CreateTable(t)) = statements.pop() else {
            return Err(TestCaseError::fail(format!("{sql}: not a CREATE TABLE")));
        };
        let parts: Vec<String> = t.name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.clone()).collect();
        prop_assert_eq!(parts, vec![name.clone(), name.clone()]);
        prop_assert_eq!(t.columns.len(), 1);
        prop_assert_eq!(&t.columns[0].name.value, &name);
        prop_assert_eq!(t.columns[0].name.quote_style, None);
        // Postgres folds unquoted names to lower case: an accepted name is its own folding.
        prop_assert_eq!(name.to_lowercase(), name);
    }
}

// ------------------------------------------------------------------------------------------
// The YAML writer: what a YAML parser reads back.

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        tricky_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((tricky_string(), inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn a_written_string_reads_back(s in tricky_string()) {
        let v = serde_json::json!({ "value": s, "list": [s], "nested": { "deeper": s } });
        let text = to_yaml(&v);
        let back = pipec::load::yaml_value(&text);
        prop_assert_eq!(back.as_ref(), Ok(&v), "written as:\n{}", text);
    }

    #[test]
    fn a_written_key_reads_back(k in tricky_string()) {
        let mut m = Map::new();
        m.insert(k.clone(), Value::from(1));
        m.insert("other".to_string(), serde_json::json!({ k: "x" }));
        let v = Value::Object(m);
        let text = to_yaml(&v);
        let back = pipec::load::yaml_value(&text);
        prop_assert_eq!(back.as_ref(), Ok(&v), "written as:\n{}", text);
    }

    #[test]
    fn a_written_document_reads_back(v in json_value()) {
        let text = to_yaml(&v);
        let back = pipec::load::yaml_value(&text);
        prop_assert_eq!(back.as_ref(), Ok(&v), "written as:\n{}", text);
    }
}
