//! Function calls: the dispatch from a call to its typing, the names of Flink 1.20's built-in
//! functions (so that an unknown name gets a suggestion, and a known one pipec does not type is
//! reported as not supported rather than unknown), and the aggregate functions. The scalar
//! built-ins are typed in `builtins.rs`, OVER windows in `over.rs`.

use sqlparser::ast::{
    DuplicateTreatment, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause, FunctionArguments,
};

use super::expr::{Lit, Typed};
use super::names::NILADIC;
use super::query::{AggMode, Env, QueryChecker};
use super::types::{DataType, TypeKind};
use crate::diag::{Code, did_you_mean};
use crate::source::Span;

/// Aggregate functions (typed or not): their presence makes a SELECT an aggregation.
#[rustfmt::skip]
pub(crate) const AGGREGATES: &[&str] = &[
    "COUNT", "SUM", "AVG", "MIN", "MAX", "STDDEV_POP", "STDDEV_SAMP", "VAR_POP", "VAR_SAMP",
    "VARIANCE", "STDDEV", "COLLECT", "LISTAGG", "FIRST_VALUE", "LAST_VALUE", "ARRAY_AGG",
    "JSON_OBJECTAGG", "JSON_ARRAYAGG", "GROUPING", "GROUPING_ID", "GROUP_ID",
];

/// The scalar built-ins pipec types (see `builtins.rs`).
#[rustfmt::skip]
pub(crate) const SCALARS: &[&str] = &[
    // Strings.
    "UPPER", "LOWER", "INITCAP", "TRIM", "LTRIM", "RTRIM", "CONCAT", "CONCAT_WS", "CHAR_LENGTH",
    "CHARACTER_LENGTH", "SUBSTRING", "SUBSTR", "REPLACE", "REGEXP_EXTRACT", "REGEXP_REPLACE",
    "SPLIT_INDEX", "LPAD", "RPAD", "LOCATE", "INSTR", "REPEAT", "REVERSE", "LEFT", "RIGHT",
    "TO_BASE64", "FROM_BASE64", "ASCII", "CHR", "MD5", "SHA1", "SHA224", "SHA256", "SHA384",
    "SHA512", "SHA2", "HASH_CODE", "UUID", "PARSE_URL", "STR_TO_MAP", "REGEXP", "SPLIT", "ENCODE",
    "DECODE", "BIN", "HEX",
    // Numbers.
    "ABS", "SIGN", "MOD", "POWER", "SQRT", "LN", "LOG10", "LOG2", "LOG", "EXP", "SIN", "COS", "TAN",
    "COT", "ASIN", "ACOS", "ATAN", "ATAN2", "SINH", "COSH", "TANH", "DEGREES", "RADIANS", "ROUND",
    "TRUNCATE", "FLOOR", "CEIL", "CEILING", "RAND", "RAND_INTEGER", "PI", "E",
    // Time.
    "CURRENT_TIMESTAMP", "NOW", "LOCALTIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME",
    "PROCTIME", "CURRENT_ROW_TIMESTAMP", "CURRENT_WATERMARK", "SOURCE_WATERMARK", "TO_TIMESTAMP_LTZ", "TO_TIMESTAMP",
    "TO_DATE", "DATE_FORMAT", "TIMESTAMPADD", "TIMESTAMPDIFF", "YEAR", "QUARTER", "MONTH", "WEEK",
    "DAYOFYEAR", "DAYOFMONTH", "DAYOFWEEK", "HOUR", "MINUTE", "SECOND", "UNIX_TIMESTAMP",
    "FROM_UNIXTIME", "CONVERT_TZ",
    // JSON.
    "JSON_VALUE", "JSON_QUERY", "JSON_EXISTS", "JSON_STRING", "JSON_OBJECT", "JSON_ARRAY",
    // Conditions.
    "COALESCE", "IFNULL", "NULLIF", "IF", "GREATEST", "LEAST", "IS_ALPHA", "IS_DIGIT",
    "IS_DECIMAL", "TYPEOF",
    // Collections and rows.
    "ROW", "CARDINALITY", "ELEMENT", "ARRAY_CONTAINS", "ARRAY_JOIN", "MAP_KEYS", "MAP_VALUES",
    "ARRAY_DISTINCT", "ARRAY_POSITION", "ARRAY_REMOVE", "ARRAY_REVERSE", "ARRAY_SLICE",
    "ARRAY_UNION", "ARRAY_CONCAT", "ARRAY_MAX", "ARRAY_MIN", "ARRAY_APPEND", "ARRAY_PREPEND",
    "ARRAY_SORT", "ARRAY_EXCEPT", "ARRAY_INTERSECT", "MAP_ENTRIES", "MAP_FROM_ARRAYS", "MAP_UNION",
];

/// Flink 1.20's other built-in functions and keywords that read like functions, known by
/// name only.
#[rustfmt::skip]
const KNOWN: &[&str] = &[
    "OVERLAY", "POSITION", "EXTRACT", "CAST", "TRY_CAST", "ARRAY", "MAP", "DESCRIPTOR", "TABLE",
    "RANK", "DENSE_RANK", "ROW_NUMBER", "LEAD", "LAG", "CUME_DIST", "PERCENT_RANK", "NTILE",
    "TUMBLE", "HOP", "CUMULATE", "SESSION", "TUMBLE_START", "TUMBLE_END", "TUMBLE_ROWTIME",
    "TUMBLE_PROCTIME", "HOP_START", "HOP_END", "HOP_ROWTIME", "HOP_PROCTIME", "SESSION_START",
    "SESSION_END", "SESSION_ROWTIME", "SESSION_PROCTIME",
];

/// Every function name Flink knows, for suggestions.
fn all_names() -> impl Iterator<Item = &'static str> {
    SCALARS.iter().chain(AGGREGATES).chain(KNOWN).copied()
}

/// Whether a call names an aggregate function (and is not a window function with OVER).
pub(crate) fn is_aggregate_call(f: &Function) -> bool {
    let name = f.name.to_string().to_ascii_uppercase();
    f.over.is_none() && f.name.0.len() == 1 && AGGREGATES.contains(&name.as_str())
}

impl QueryChecker<'_> {
    pub(crate) fn function(&mut self, f: &Function, e: &Expr, env: &Env) -> Option<Typed> {
        let name = f.name.to_string().to_ascii_uppercase();
        let name_span = self.call_span(f, e);
        if f.name.0.len() != 1 {
            self.error(
                Code::E0307,
                name_span,
                format!("unknown function `{}`", f.name),
                "not a Flink built-in function",
                "pipec checks built-in functions only; catalog functions are not supported",
            );
            return None;
        }
        // sqlparser reads some bare words (`user`) as calls without parentheses; unless they
        // are niladic functions, Flink reads them as column names.
        if matches!(f.args, FunctionArguments::None)
            && !NILADIC.contains(&name.as_str())
            && let Some(ident) = f.name.0.first().and_then(|p| p.as_ident())
        {
            return self.expr(&Expr::Identifier(ident.clone()), env);
        }
        if f.over.is_some() {
            return self.over_call(&name, f, e, env);
        }
        if !f.within_group.is_empty() || f.null_treatment.is_some() || !matches!(f.parameters, FunctionArguments::None)
        {
            self.error(
                Code::E0301,
                name_span,
                format!("this form of `{name}` is not Flink SQL"),
                "not Flink SQL",
                format!("call it as {}", signature(&name)),
            );
            return None;
        }
        if let FunctionArguments::List(list) = &f.args {
            let json_clause = |c: &FunctionArgumentClause| {
                matches!(c, FunctionArgumentClause::JsonReturningClause(_) | FunctionArgumentClause::JsonNullClause(_))
            };
            if list.clauses.iter().any(|c| !json_clause(c)) {
                self.error(
                    Code::E0301,
                    name_span,
                    format!("`{name}` with ORDER BY, SEPARATOR or other clauses is not Flink SQL"),
                    "not Flink SQL",
                    format!("call it as {}", signature(&name)),
                );
                return None;
            }
        }
        if matches!(f.args, FunctionArguments::Subquery(_)) {
            self.error(
                Code::E0301,
                name_span,
                format!("`{name}` does not take a subquery"),
                "subquery argument",
                "pass a scalar subquery in parentheses: f((SELECT ...))",
            );
            return None;
        }
        if is_aggregate_call(f) {
            return self.aggregate(&name, f, e, env, None);
        }
        let distinct = matches!(&f.args, FunctionArguments::List(l) if l.duplicate_treatment.is_some());
        if distinct || f.filter.is_some() {
            self.error(
                Code::E0310,
                name_span,
                format!("`{name}` is not an aggregate function, so it takes no DISTINCT or FILTER"),
                "not an aggregate",
                "remove DISTINCT or FILTER",
            );
            return None;
        }
        if !SCALARS.contains(&name.as_str()) {
            if ["TUMBLE_", "HOP_", "SESSION_"].iter().any(|p| name.starts_with(p)) && KNOWN.contains(&name.as_str()) {
                return self.group_window_property(&name, name_span, f, e, env);
            }
            if matches!(name.as_str(), "TUMBLE" | "HOP" | "SESSION" | "CUMULATE") {
                self.error(
                    Code::E0310,
                    name_span,
                    format!("`{name}(...)` is a group window: it stands in GROUP BY, or as a table function in FROM"),
                    "not a scalar function",
                    "write FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL ...)) GROUP BY window_start, window_end",
                );
                return None;
            }
            if all_names().any(|n| n == name) {
                return self.unsupported_msg(e, &format!("pipec cannot type-check `{name}` yet"));
            }
            let mut help = "check the spelling; user-defined functions are not supported".to_string();
            if let Some(s) = did_you_mean(&name, all_names()) {
                help = format!("did you mean `{s}`?");
            }
            self.error(
                Code::E0307,
                name_span,
                format!("unknown function `{}`", f.name),
                "not a Flink built-in function",
                help,
            );
            return None;
        }
        // Flink writes the SQL standard's niladic functions without parentheses and its own
        // (NOW, PROCTIME) with them ("No match found for function signature
        // CURRENT_TIMESTAMP()").
        let bare = matches!(f.args, FunctionArguments::None);
        if NILADIC.contains(&name.as_str()) != bare {
            let (message, help) = if bare {
                (format!("`{name}` needs parentheses"), format!("write {name}()"))
            } else {
                (format!("`{name}` takes no parentheses in Flink"), format!("write {name}"))
            };
            self.error(Code::E0305, name_span, message, "wrong call", help);
            return None;
        }
        if matches!(name.as_str(), "JSON_VALUE" | "JSON_QUERY" | "JSON_EXISTS" | "JSON_OBJECT" | "JSON_ARRAY") {
            return self.json_function(&name, name_span, f, env);
        }
        if matches!(name.as_str(), "TIMESTAMPADD" | "TIMESTAMPDIFF") {
            return self.timestamp_add_diff(&name, name_span, f, e, env);
        }
        let args = self.plain_args(f, e)?;
        let mut typed = Vec::with_capacity(args.len());
        let mut failed = false;
        for a in &args {
            match self.expr(a, env) {
                Some(t) => typed.push(t),
                None => failed = true,
            }
        }
        if failed {
            return None;
        }
        self.scalar(&name, name_span, &args, &typed, e)
    }

    /// The arguments of a call that takes plain expressions.
    pub(crate) fn plain_args<'f>(&mut self, f: &'f Function, e: &Expr) -> Option<Vec<&'f Expr>> {
        match &f.args {
            FunctionArguments::None => Some(Vec::new()),
            FunctionArguments::List(list) => {
                let mut out = Vec::with_capacity(list.args.len());
                for a in &list.args {
                    match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => out.push(x),
                        FunctionArg::Unnamed(_) => {
                            self.error(
                                Code::E0305,
                                self.call_span(f, e),
                                format!("`{}` does not take `*`", f.name),
                                "`*` argument",
                                format!("call it as {}", signature(&f.name.to_string().to_ascii_uppercase())),
                            );
                            return None;
                        }
                        _ => {
                            self.error(
                                Code::E0305,
                                self.call_span(f, e),
                                format!("`{}` takes no named arguments", f.name),
                                "named argument",
                                format!("call it as {}", signature(&f.name.to_string().to_ascii_uppercase())),
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            }
            FunctionArguments::Subquery(_) => None,
        }
    }

    pub(crate) fn arity(&mut self, name: &str, span: Span, got: usize, min: usize, max: usize) -> Option<()> {
        if (min..=max).contains(&got) {
            return Some(());
        }
        let what = match (min, max) {
            (0, 0) => "no arguments".to_string(),
            (a, b) if a == b => format!("{a} argument{}", if a == 1 { "" } else { "s" }),
            (a, usize::MAX) => format!("{a} or more arguments"),
            (a, b) => format!("{a} to {b} arguments"),
        };
        self.error(
            Code::E0305,
            span,
            format!("`{name}` takes {what}, not {got}"),
            "wrong number of arguments",
            format!("call it as {}", signature(name)),
        );
        None
    }

    /// Types an aggregate call. `over` is set for an OVER aggregate, true when its window may
    /// be empty (a lower bound of n PRECEDING: Calcite's `isAlwaysNonEmpty`), which makes the
    /// result nullable; otherwise an OVER aggregate has its argument's nullability.
    pub(crate) fn aggregate(
        &mut self,
        name: &str,
        f: &Function,
        e: &Expr,
        env: &Env,
        over: Option<bool>,
    ) -> Option<Typed> {
        let span = self.call_span(f, e);
        let global = match &env.agg {
            AggMode::Grouped(keys) => (keys.is_empty() && over.is_none()) || over == Some(true),
            AggMode::InAggregate => {
                // Flink: "Aggregate expressions cannot be nested".
                self.error(
                    Code::E0310,
                    span,
                    "aggregate functions cannot be nested",
                    "nested aggregate",
                    "compute the inner aggregate in a subquery",
                );
                return None;
            }
            AggMode::Forbidden(clause) => {
                let clause = *clause;
                self.error(
                    Code::E0310,
                    span,
                    format!("aggregate functions are not allowed in {clause}"),
                    "aggregate here",
                    if clause == "WHERE" {
                        "filter aggregates with HAVING"
                    } else {
                        "move the aggregate into the SELECT list"
                    },
                );
                return None;
            }
            AggMode::Plain => {
                self.error(
                    Code::E0310,
                    span,
                    "aggregate functions are not allowed here",
                    "aggregate here",
                    "aggregate in the SELECT list or HAVING",
                );
                return None;
            }
        };
        if matches!(name, "GROUPING" | "GROUPING_ID" | "GROUP_ID") {
            // Each argument must be a group key.
            let keys: &[super::query::GroupKey] = match &env.agg {
                AggMode::Grouped(keys) => keys,
                _ => &[],
            };
            let args = self.plain_args(f, e)?;
            if name == "GROUP_ID" {
                self.arity(name, span, args.len(), 0, 0)?;
            } else {
                self.arity(name, span, args.len(), 1, usize::MAX)?;
            }
            for a in args {
                if !keys.iter().any(|k| k.expr == *a) {
                    self.error(
                        Code::E0310,
                        self.expr_span(a),
                        format!("the arguments of `{name}` must be GROUP BY expressions"),
                        "not grouped",
                        "pass a grouped column",
                    );
                    return None;
                }
            }
            return Some(Typed::of(DataType::bigint().not_null()));
        }
        // The arguments of an OVER aggregate in the select list of an aggregation are
        // expressions over its groups (group keys and aggregates); others are plain.
        let inner = match &env.agg {
            AggMode::Grouped(keys) if over.is_some() && !keys.is_empty() => {
                Env { scope: env.scope, agg: AggMode::Grouped(keys) }
            }
            _ => Env { scope: env.scope, agg: AggMode::InAggregate },
        };
        let FunctionArguments::List(list) = &f.args else {
            self.error(
                Code::E0305,
                span,
                format!("`{name}` needs an argument"),
                "missing argument",
                format!("write {name}(column)"),
            );
            return None;
        };
        if let Some(filter) = &f.filter {
            let c = self.expr(filter, &inner)?;
            // Flink: "FILTER clause must be a condition".
            self.expect_boolean(&c, filter, "FILTER (WHERE ...)")?;
        }
        let distinct = list.duplicate_treatment == Some(DuplicateTreatment::Distinct);
        if name == "COUNT" {
            match list.args.as_slice() {
                [FunctionArg::Unnamed(FunctionArgExpr::Wildcard)] if !distinct => {}
                [FunctionArg::Unnamed(FunctionArgExpr::Expr(x))] => {
                    let t = self.expr(x, &inner)?;
                    if distinct && (t.ty.is_binary() || matches!(t.ty.kind, TypeKind::Map(..) | TypeKind::Multiset(_)))
                    {
                        // Flink: "Distinct aggregate function does not support type: MAP."
                        self.error(
                            Code::E0305,
                            self.expr_span(x),
                            format!("Flink 1.20 cannot count DISTINCT values of {}", t.ty.kind_name()),
                            "type not supported",
                            "count distinct values of a primitive type, e.g. CAST to STRING",
                        );
                        return None;
                    }
                }
                [] => {
                    self.error(
                        Code::E0305,
                        span,
                        "`COUNT` needs an argument",
                        "missing argument",
                        "write COUNT(*) or COUNT(column)",
                    );
                    return None;
                }
                [_, _, ..] if !distinct && over.is_none() => {
                    // Flink drops the arguments that are never NULL from COUNT(a, b, ...) and
                    // counts the rows where the one left is not NULL (confirmed against Flink
                    // 1.20's planner); two nullable arguments fail: "We now only support the
                    // count of one field."
                    let mut nullable = 0;
                    for a in &list.args {
                        let FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) = a else {
                            self.error(
                                Code::E0305,
                                span,
                                "this form of COUNT is not Flink SQL",
                                "not Flink SQL",
                                "write COUNT(*), COUNT(x) or COUNT(DISTINCT x)",
                            );
                            return None;
                        };
                        let t = self.expr(x, &inner)?;
                        if t.ty.is_null() {
                            self.error(
                                Code::E0305,
                                self.expr_span(x),
                                "a bare NULL has no type here",
                                "no type",
                                "write CAST(NULL AS type)",
                            );
                            return None;
                        }
                        nullable += usize::from(t.ty.nullable);
                    }
                    if nullable > 1 {
                        self.error(
                            Code::E0310,
                            span,
                            "Flink 1.20 counts one nullable expression only",
                            "several nullable arguments",
                            "count one column, or concatenate the columns",
                        );
                        return None;
                    }
                }
                [_, _, ..] => {
                    // Flink: "We now only support the count of one field."
                    self.error(
                        Code::E0310,
                        span,
                        "Flink 1.20 counts one expression only",
                        "several arguments",
                        "count one column, or concatenate the columns",
                    );
                    return None;
                }
                _ => {
                    self.error(
                        Code::E0305,
                        span,
                        "this form of COUNT is not Flink SQL",
                        "not Flink SQL",
                        "write COUNT(*), COUNT(x) or COUNT(DISTINCT x)",
                    );
                    return None;
                }
            }
            return Some(Typed::of(DataType::bigint().not_null()));
        }
        let args: Vec<&Expr> = list
            .args
            .iter()
            .filter_map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => Some(x),
                _ => None,
            })
            .collect();
        if args.len() != list.args.len() {
            self.error(
                Code::E0305,
                span,
                format!("`{name}` takes expressions, not `*` or named arguments"),
                "wrong argument",
                format!("write {name}(column)"),
            );
            return None;
        }
        if name == "JSON_OBJECTAGG" || name == "JSON_ARRAYAGG" {
            for a in &args {
                self.expr(a, &inner)?;
            }
            return Some(Typed::of(DataType::new(TypeKind::VarChar(2000)).not_null()));
        }
        let max_args = if name == "LISTAGG" { 2 } else { 1 };
        let (x, rest) = match args.split_first() {
            Some((x, rest)) if rest.len() < max_args => (*x, rest),
            _ => {
                self.error(
                    Code::E0305,
                    span,
                    if max_args == 1 {
                        format!("`{name}` takes one argument")
                    } else {
                        format!("`{name}` takes a value and an optional separator")
                    },
                    "wrong number of arguments",
                    format!("write {}", signature(name)),
                );
                return None;
            }
        };
        let t = self.expr(x, &inner)?;
        if t.ty.is_null() {
            self.error(
                Code::E0305,
                self.expr_span(x),
                "a bare NULL has no type here",
                "no type",
                "write CAST(NULL AS type)",
            );
            return None;
        }
        if distinct && (t.ty.is_binary() || matches!(t.ty.kind, TypeKind::Map(..) | TypeKind::Multiset(_))) {
            // Flink: "Distinct aggregate function does not support type: MAP."
            self.error(
                Code::E0305,
                self.expr_span(x),
                format!("Flink 1.20 cannot aggregate DISTINCT values of {}", t.ty.kind_name()),
                "type not supported",
                "aggregate distinct values of a primitive type, e.g. CAST to STRING",
            );
            return None;
        }
        // With FILTER an aggregate may see no row, so it is nullable (COUNT is not); LISTAGG
        // keeps its argument's nullability even without GROUP BY.
        let nullable = if name == "LISTAGG" { t.ty.nullable } else { global || t.ty.nullable || f.filter.is_some() };
        let ty = match name {
            "SUM" | "AVG" | "STDDEV_POP" | "STDDEV_SAMP" | "VAR_POP" | "VAR_SAMP" | "VARIANCE" | "STDDEV" => {
                if !t.ty.is_numeric() {
                    // Flink: "Cannot apply 'SUM' to arguments of type 'SUM(<VARCHAR>)'".
                    self.error(
                        Code::E0305,
                        self.expr_span(x),
                        format!("`{name}` takes a number, but this is {}", t.ty.kind_name()),
                        "type mismatch",
                        "aggregate a numeric column",
                    );
                    return None;
                }
                let kind = match (name, &t.ty.kind) {
                    ("SUM", TypeKind::Decimal(_, s)) => TypeKind::Decimal(38, *s),
                    (_, TypeKind::Decimal(_, s)) if name != "SUM" => TypeKind::Decimal(38, (*s).max(6)),
                    (_, k) => k.clone(),
                };
                DataType { kind, nullable }
            }
            "MIN" | "MAX" => {
                if t.ty.is_constructed() || t.ty.is_binary() {
                    // Flink: "Max aggregate function does not support type: 'VARBINARY'".
                    self.error(
                        Code::E0305,
                        self.expr_span(x),
                        format!("Flink 1.20 cannot compute `{name}` of {}", t.ty.kind_name()),
                        "type mismatch",
                        "aggregate a column of a comparable primitive type",
                    );
                    return None;
                }
                t.ty.clone().with_nullable(nullable)
            }
            "FIRST_VALUE" | "LAST_VALUE" => {
                let supported = matches!(
                    t.ty.kind,
                    TypeKind::TinyInt
                        | TypeKind::SmallInt
                        | TypeKind::Int
                        | TypeKind::BigInt
                        | TypeKind::Float
                        | TypeKind::Double
                        | TypeKind::Decimal(..)
                        | TypeKind::Boolean
                        | TypeKind::VarChar(_)
                );
                if !supported {
                    // Flink: "FIRST_VALUE aggregate function does not support type: 'DATE'".
                    self.error(
                        Code::E0305,
                        self.expr_span(x),
                        format!("Flink 1.20 cannot compute `{name}` of {}", t.ty.kind_name()),
                        "type not supported",
                        "FIRST_VALUE and LAST_VALUE take numbers, BOOLEAN and VARCHAR; CAST the column, e.g. to STRING",
                    );
                    return None;
                }
                t.ty.clone().with_nullable(nullable)
            }
            "LISTAGG" => {
                if !t.ty.is_character() {
                    // Flink: "Supported form(s): 'LISTAGG(<CHARACTER>)'".
                    self.error(
                        Code::E0305,
                        self.expr_span(x),
                        format!("`LISTAGG` takes a string, but this is {}", t.ty.kind_name()),
                        "type mismatch",
                        "CAST it to STRING",
                    );
                    return None;
                }
                if let Some(sep) = rest.first() {
                    let st = self.expr(sep, &inner)?;
                    if st.lit != Lit::Str {
                        self.error(
                            Code::E0305,
                            self.expr_span(sep),
                            "the separator of `LISTAGG` must be a string literal",
                            "not a string literal",
                            "write LISTAGG(column, ', ')",
                        );
                        return None;
                    }
                }
                t.ty.clone().with_nullable(nullable)
            }
            "COLLECT" => DataType::new(TypeKind::Multiset(Box::new(t.ty.clone()))).not_null(),
            "ARRAY_AGG" => DataType::new(TypeKind::Array(Box::new(t.ty.clone()))).with_nullable(t.ty.nullable),
            _ => return self.unsupported_msg(e, &format!("pipec cannot type-check the aggregate `{name}` yet")),
        };
        Some(Typed::of(ty))
    }
}

impl QueryChecker<'_> {
    /// `TUMBLE_START(ts, size)` and the other properties of a legacy group window: the GROUP BY
    /// must have the window with the same arguments.
    fn group_window_property(&mut self, name: &str, span: Span, f: &Function, e: &Expr, env: &Env) -> Option<Typed> {
        let (prefix, property) = name.split_once('_')?;
        let args = self.plain_args(f, e)?;
        let keys: &[super::query::GroupKey] = match &env.agg {
            AggMode::Grouped(keys) => keys,
            _ => &[],
        };
        let window = keys.iter().filter_map(|k| k.legacy.as_ref()).find(|w| {
            w.kind.name() == prefix && w.args.len() == args.len() && w.args.iter().zip(&args).all(|(a, b)| a == *b)
        });
        let Some(w) = window else {
            self.error(
                Code::E0310,
                span,
                format!("`{name}` needs `GROUP BY {prefix}(...)` with the same arguments"),
                "no such group window",
                format!(
                    "group by {prefix}({}) or use a window table function",
                    args.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")
                ),
            );
            return None;
        };
        let ts3 = DataType::new(TypeKind::Timestamp(3)).not_null();
        match property {
            "START" | "END" => Some(Typed::of(ts3)),
            "ROWTIME" if w.time == super::TimeAttr::Rowtime => {
                Some(Typed { ty: w.ty.clone(), time: Some(super::TimeAttr::Rowtime), col: None, lit: Lit::NotLiteral })
            }
            "PROCTIME" if w.time == super::TimeAttr::Proctime => Some(Typed {
                ty: DataType::new(TypeKind::TimestampLtz(3)).not_null(),
                time: Some(super::TimeAttr::Proctime),
                col: None,
                lit: Lit::NotLiteral,
            }),
            _ => {
                self.error(
                    Code::E0314,
                    span,
                    format!("`{name}` does not fit the window's time attribute"),
                    "wrong time property",
                    "use *_ROWTIME for an event-time window and *_PROCTIME for a processing-time one",
                );
                None
            }
        }
    }
}

/// How a function is called, for help texts.
pub(crate) fn signature(name: &str) -> String {
    let args = match name {
        "CURRENT_TIMESTAMP" | "LOCALTIMESTAMP" | "CURRENT_DATE" | "CURRENT_TIME" | "LOCALTIME" => {
            return name.to_string();
        }
        "NOW" | "PROCTIME" | "UUID" | "PI" | "E" | "CURRENT_ROW_TIMESTAMP" => "",
        "UPPER" | "LOWER" | "INITCAP" | "TRIM" | "LTRIM" | "RTRIM" | "CHAR_LENGTH" | "CHARACTER_LENGTH" | "REVERSE"
        | "ASCII" | "FROM_BASE64" | "MD5" | "SHA1" | "SHA224" | "SHA256" | "SHA384" | "SHA512" | "TO_BASE64" => {
            "string"
        }
        "CONCAT" => "string, ...",
        "CONCAT_WS" => "separator, string, ...",
        "SUBSTRING" | "SUBSTR" => "string, start [, length]",
        "REPLACE" => "string, search, replacement",
        "REGEXP_EXTRACT" => "string, regex [, group]",
        "REGEXP_REPLACE" => "string, regex, replacement",
        "SPLIT_INDEX" => "string, separator, index",
        "LPAD" | "RPAD" => "string, length, padding",
        "LOCATE" => "search, string [, start]",
        "INSTR" => "string, search",
        "REPEAT" => "string, times",
        "LEFT" | "RIGHT" => "string, length",
        "SHA2" => "string, bits",
        "ABS" | "SIGN" | "FLOOR" | "CEIL" | "CEILING" | "SQRT" | "LN" | "LOG10" | "LOG2" | "EXP" => "number",
        "ROUND" | "TRUNCATE" => "number [, digits]",
        "MOD" => "number, divisor",
        "POWER" => "base, exponent",
        "LOG" => "[base,] number",
        "COALESCE" => "value, ...",
        "IFNULL" => "value, fallback",
        "NULLIF" => "value, value",
        "IF" => "condition, then, else",
        "GREATEST" | "LEAST" => "value, value, ...",
        "TO_TIMESTAMP_LTZ" => "epoch, precision",
        "TO_TIMESTAMP" => "string [, format]",
        "TO_DATE" => "string [, format]",
        "DATE_FORMAT" => "timestamp, format",
        "TIMESTAMPADD" => "unit, amount, timestamp",
        "TIMESTAMPDIFF" => "unit, from, to",
        "UNIX_TIMESTAMP" => "[string [, format]]",
        "FROM_UNIXTIME" => "seconds [, format]",
        "CONVERT_TZ" => "string, from_zone, to_zone",
        "JSON_VALUE" => "json, path [RETURNING type]",
        "JSON_QUERY" => "json, path",
        "JSON_EXISTS" => "json, path",
        "CARDINALITY" => "array_or_map",
        "ELEMENT" => "array",
        "LISTAGG" => "LISTAGG(value [, ', '])",
        "COUNT" | "SUM" | "AVG" | "MIN" | "MAX" => "column",
        _ => "...",
    };
    if name == "LISTAGG" {
        return args.to_string();
    }
    format!("{name}({args})")
}
