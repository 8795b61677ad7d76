//! Built-in functions and aggregates: the ones pipec types, and the names of all of Flink's
//! built-ins, so that an unknown name gets a suggestion and a known but untyped one is
//! reported as not supported yet rather than unknown.

use sqlparser::ast::{
    CeilFloorKind, DateTimeField, DuplicateTreatment, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments,
};

use super::TimeAttr;
use super::expr::{Lit, Typed};
use super::names::NILADIC;
use super::query::{AggMode, Env, QueryChecker};
use super::rules::{self, Arith};
use super::types::{DataType, TypeKind};
use crate::diag::{Code, did_you_mean};

/// Functions pipec types.
#[rustfmt::skip]
const TYPED: &[&str] = &[
    "COUNT", "SUM", "AVG", "MIN", "MAX", "UPPER", "LOWER", "TRIM", "LTRIM", "RTRIM", "CONCAT",
    "CHAR_LENGTH", "CHARACTER_LENGTH", "SUBSTRING", "SUBSTR", "ABS", "ROUND", "FLOOR", "CEIL",
    "CEILING", "MOD", "COALESCE", "IFNULL", "NULLIF", "CURRENT_TIMESTAMP", "NOW", "LOCALTIMESTAMP",
    "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME", "PROCTIME", "TO_TIMESTAMP_LTZ", "TO_TIMESTAMP",
    "DATE_FORMAT",
];

/// Aggregate functions (typed or not): their presence makes a SELECT an aggregation.
#[rustfmt::skip]
pub(crate) const AGGREGATES: &[&str] = &[
    "COUNT", "SUM", "AVG", "MIN", "MAX", "STDDEV_POP", "STDDEV_SAMP", "VAR_POP", "VAR_SAMP",
    "VARIANCE", "STDDEV", "COLLECT", "LISTAGG", "FIRST_VALUE", "LAST_VALUE", "ARRAY_AGG",
    "JSON_OBJECTAGG", "JSON_ARRAYAGG", "SUM0", "BIT_AND", "BIT_OR", "BIT_XOR", "GROUPING",
    "GROUPING_ID", "GROUP_ID",
];

/// Flink 1.20's other built-in functions, known by name only.
#[rustfmt::skip]
const KNOWN: &[&str] = &[
    // Numeric.
    "SQRT", "LN", "LOG10", "LOG2", "LOG", "EXP", "POWER", "SIN", "SINH", "COS", "COSH", "TAN",
    "TANH", "COT", "ASIN", "ACOS", "ATAN", "ATAN2", "DEGREES", "RADIANS", "SIGN", "PI", "E", "RAND",
    "RAND_INTEGER", "UUID", "BIN", "HEX", "UNHEX", "TRUNCATE",
    // Strings.
    "POSITION", "REPEAT", "REGEXP_REPLACE", "OVERLAY", "REPLACE", "REGEXP_EXTRACT",
    "REGEXP_EXTRACT_ALL", "REGEXP_COUNT", "REGEXP_INSTR", "REGEXP_SUBSTR", "INITCAP", "CONCAT_WS",
    "LPAD", "RPAD", "FROM_BASE64", "TO_BASE64", "ASCII", "CHR", "DECODE", "ENCODE", "INSTR", "LEFT",
    "RIGHT", "LOCATE", "PARSE_URL", "REGEXP", "REVERSE", "SPLIT_INDEX", "STR_TO_MAP", "ELT",
    "BTRIM", "PRINTF", "URL_DECODE", "URL_ENCODE", "SPLIT", "TRANSLATE",
    // Time.
    "EXTRACT", "YEAR", "QUARTER", "MONTH", "WEEK", "DAYOFYEAR", "DAYOFMONTH", "DAYOFWEEK", "HOUR",
    "MINUTE", "SECOND", "TIMESTAMPADD", "TIMESTAMPDIFF", "CONVERT_TZ", "FROM_UNIXTIME",
    "UNIX_TIMESTAMP", "TO_DATE", "CURRENT_WATERMARK", "CURRENT_ROW_TIMESTAMP", "DATE_ADD",
    "DATE_SUB", "DATEDIFF", "SOURCE_WATERMARK",
    // Conditions and types.
    "IF", "IS_ALPHA", "IS_DECIMAL", "IS_DIGIT", "GREATEST", "LEAST", "TYPEOF", "CAST", "TRY_CAST",
    // Collections and values.
    "CARDINALITY", "ELEMENT", "ARRAY_APPEND", "ARRAY_CONTAINS", "ARRAY_DISTINCT", "ARRAY_POSITION",
    "ARRAY_PREPEND", "ARRAY_REMOVE", "ARRAY_REVERSE", "ARRAY_SLICE", "ARRAY_SORT", "ARRAY_UNION",
    "ARRAY_CONCAT", "ARRAY_EXCEPT", "ARRAY_INTERSECT", "ARRAY_MAX", "ARRAY_MIN", "ARRAY_JOIN",
    "MAP_KEYS", "MAP_VALUES", "MAP_ENTRIES", "MAP_FROM_ARRAYS", "MAP_UNION", "ROW", "ARRAY", "MAP",
    // JSON.
    "JSON_EXISTS", "JSON_STRING", "JSON_VALUE", "JSON_QUERY", "JSON_OBJECT", "JSON_ARRAY",
    "JSON_QUOTE", "JSON_UNQUOTE",
    // Hashes.
    "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA2",
    // Window and ranking functions.
    "RANK", "DENSE_RANK", "ROW_NUMBER", "LEAD", "LAG", "CUME_DIST", "PERCENT_RANK", "NTILE",
    "TUMBLE", "HOP", "CUMULATE", "SESSION", "TUMBLE_START", "TUMBLE_END", "TUMBLE_ROWTIME",
    "TUMBLE_PROCTIME", "HOP_START", "HOP_END", "HOP_ROWTIME", "HOP_PROCTIME", "SESSION_START",
    "SESSION_END", "SESSION_ROWTIME", "SESSION_PROCTIME", "DESCRIPTOR", "TABLE",
];

/// Every function name Flink knows, for suggestions.
fn all_names() -> impl Iterator<Item = &'static str> {
    TYPED.iter().chain(AGGREGATES).chain(KNOWN).copied()
}

/// Whether a call names an aggregate function (and is not a window function with OVER).
pub(crate) fn is_aggregate_call(f: &Function) -> bool {
    let name = f.name.to_string().to_ascii_uppercase();
    f.over.is_none() && f.name.0.len() == 1 && AGGREGATES.contains(&name.as_str())
}

impl QueryChecker<'_> {
    pub(crate) fn function(&mut self, f: &Function, e: &Expr, env: &Env) -> Option<Typed> {
        let name = f.name.to_string().to_ascii_uppercase();
        let name_span = match f.name.0.first().and_then(|p| p.as_ident()) {
            Some(i) => self.ident_span(i),
            None => self.expr_span(e),
        };
        if f.name.0.len() != 1 {
            return self.unsupported_msg(e, &format!("pipec cannot type-check the catalog function `{}` yet", f.name));
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
            self.error(
                Code::E0306,
                name_span,
                format!("OVER windows (`{name}(...) OVER (...)`) are not type-checked yet"),
                "not supported yet",
                "ROW_NUMBER deduplication, Top-N and OVER aggregations come with window support",
            );
            return None;
        }
        if !f.within_group.is_empty() || f.null_treatment.is_some() || !matches!(f.parameters, FunctionArguments::None)
        {
            return self.unsupported(e, &name);
        }
        if let FunctionArguments::List(list) = &f.args
            && !list.clauses.is_empty()
        {
            return self.unsupported_msg(
                e,
                &format!("pipec cannot type-check `{name}` with ORDER BY, SEPARATOR or other clauses yet"),
            );
        }
        if matches!(f.args, FunctionArguments::Subquery(_)) {
            return self.unsupported_msg(e, "subqueries in expressions are not type-checked yet");
        }
        if is_aggregate_call(f) {
            if !TYPED.contains(&name.as_str()) {
                return self.unsupported_msg(e, &format!("pipec cannot type-check the aggregate `{name}` yet"));
            }
            return self.aggregate(&name, f, e, env);
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
        if !TYPED.contains(&name.as_str()) {
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
    fn plain_args<'f>(&mut self, f: &'f Function, e: &Expr) -> Option<Vec<&'f Expr>> {
        match &f.args {
            FunctionArguments::None => Some(Vec::new()),
            FunctionArguments::List(list) => {
                let mut out = Vec::with_capacity(list.args.len());
                for a in &list.args {
                    match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => out.push(x),
                        FunctionArg::Unnamed(_) => {
                            self.unsupported_msg(e, &format!("`{}` does not take `*`", f.name));
                            return None;
                        }
                        _ => {
                            self.unsupported_msg(e, "named arguments are not type-checked yet");
                            return None;
                        }
                    }
                }
                Some(out)
            }
            FunctionArguments::Subquery(_) => {
                self.unsupported_msg(e, "subqueries in expressions are not type-checked yet");
                None
            }
        }
    }

    fn arity(
        &mut self,
        name: &str,
        span: crate::source::Span,
        got: usize,
        min: usize,
        max: usize,
        what: &str,
    ) -> Option<()> {
        if (min..=max).contains(&got) {
            return Some(());
        }
        self.error(
            Code::E0305,
            span,
            format!("`{name}` takes {what}, not {got} argument{}", if got == 1 { "" } else { "s" }),
            "wrong number of arguments",
            format!("call it as {}", signature(name)),
        );
        None
    }

    /// An error unless `t` is a character string.
    fn expect_string(&mut self, name: &str, t: &Typed, at: &Expr) -> Option<()> {
        if t.ty.is_character() {
            return Some(());
        }
        self.error(
            Code::E0305,
            self.expr_span(at),
            format!("`{name}` takes a string here, but this is {}", t.ty.kind_name()),
            "type mismatch",
            "CAST it to STRING",
        );
        None
    }

    fn expect_numeric(&mut self, name: &str, t: &Typed, at: &Expr, integer: bool) -> Option<()> {
        if (integer && t.ty.is_integer()) || (!integer && t.ty.is_numeric()) {
            return Some(());
        }
        let want = if integer { "an integer" } else { "a number" };
        self.error(
            Code::E0305,
            self.expr_span(at),
            format!("`{name}` takes {want} here, but this is {}", t.ty.kind_name()),
            "type mismatch",
            format!("pass {want}"),
        );
        None
    }

    fn scalar(
        &mut self,
        name: &str,
        span: crate::source::Span,
        args: &[&Expr],
        t: &[Typed],
        e: &Expr,
    ) -> Option<Typed> {
        let nn = |ty: DataType| Some(Typed::of(ty.not_null()));
        // The arguments by position; the arity checks below make them present.
        let (t0, t1) = (t.first(), t.get(1));
        let (a0, a1) = (args.first().copied(), args.get(1).copied());
        match name {
            "CURRENT_TIMESTAMP" | "NOW" => {
                self.arity(name, span, t.len(), 0, 0, "no arguments")?;
                nn(DataType::new(TypeKind::TimestampLtz(3)))
            }
            "LOCALTIMESTAMP" => {
                self.arity(name, span, t.len(), 0, 0, "no arguments")?;
                nn(DataType::new(TypeKind::Timestamp(3)))
            }
            "CURRENT_DATE" => {
                self.arity(name, span, t.len(), 0, 0, "no arguments")?;
                nn(DataType::new(TypeKind::Date))
            }
            "CURRENT_TIME" | "LOCALTIME" => {
                self.arity(name, span, t.len(), 0, 0, "no arguments")?;
                nn(DataType::new(TypeKind::Time(0)))
            }
            "PROCTIME" => {
                self.arity(name, span, t.len(), 0, 0, "no arguments")?;
                Some(Typed {
                    ty: DataType::new(TypeKind::TimestampLtz(3)).not_null(),
                    time: Some(TimeAttr::Proctime),
                    col: None,
                    lit: Lit::NotLiteral,
                })
            }
            "UPPER" | "LOWER" => {
                self.arity(name, span, t.len(), 1, 1, "one string")?;
                self.expect_string(name, t0?, a0?)?;
                Some(Typed::of(t0?.ty.clone()))
            }
            "TRIM" | "LTRIM" | "RTRIM" => {
                self.arity(name, span, t.len(), 1, 1, "one string")?;
                self.expect_string(name, t0?, a0?)?;
                Some(Typed::of(trimmed(&t0?.ty)))
            }
            "CONCAT" => {
                self.arity(name, span, t.len(), 1, usize::MAX, "one or more strings")?;
                for (ti, a) in t.iter().zip(args) {
                    self.expect_string(name, ti, a)?;
                }
                let nullable = t.iter().any(|x| x.ty.nullable);
                Some(Typed::of(DataType::string().with_nullable(nullable)))
            }
            "CHAR_LENGTH" | "CHARACTER_LENGTH" => {
                self.arity(name, span, t.len(), 1, 1, "one string")?;
                self.expect_string(name, t0?, a0?)?;
                Some(Typed::of(DataType::int().with_nullable(t0?.ty.nullable)))
            }
            "SUBSTRING" | "SUBSTR" => {
                self.arity(name, span, t.len(), 2, 3, "a string, a start and an optional length")?;
                self.substring_typed(name, args, t)
            }
            "ABS" => {
                self.arity(name, span, t.len(), 1, 1, "one number")?;
                self.expect_numeric(name, t0?, a0?, false)?;
                Some(Typed::of(t0?.ty.clone()))
            }
            "ROUND" => {
                self.arity(name, span, t.len(), 1, 2, "a number and an optional scale")?;
                self.round(args, t)
            }
            "FLOOR" | "CEIL" | "CEILING" => {
                self.arity(name, span, t.len(), 1, 1, "one number")?;
                self.expect_numeric(name, t0?, a0?, false)?;
                Some(Typed::of(floor_ceil(&t0?.ty)))
            }
            "MOD" => {
                self.arity(name, span, t.len(), 2, 2, "two numbers")?;
                match rules::arithmetic(Arith::Modulo, &t0?.ty, &t1?.ty) {
                    Ok(ty) => Some(Typed::of(ty)),
                    Err(msg) => {
                        self.error(Code::E0305, span, msg, "type mismatch", "pass exact numbers of fitting types");
                        None
                    }
                }
            }
            "COALESCE" | "IFNULL" => {
                if name == "IFNULL" {
                    self.arity(name, span, t.len(), 2, 2, "two values")?;
                } else {
                    self.arity(name, span, t.len(), 1, usize::MAX, "one or more values")?;
                }
                let types: Vec<&DataType> = t.iter().map(|x| &x.ty).collect();
                let mut ty = self.common_or_report(&types, args, e, name)?;
                if ty.is_null() {
                    self.error(
                        Code::E0305,
                        span,
                        format!("every argument of `{name}` is NULL, so it has no type"),
                        "no type",
                        "CAST one argument, e.g. CAST(NULL AS STRING)",
                    );
                    return None;
                }
                ty.nullable = t.iter().all(|x| x.ty.nullable);
                Some(Typed::of(ty))
            }
            "NULLIF" => {
                self.arity(name, span, t.len(), 2, 2, "two values")?;
                if let Err(msg) = rules::comparable(&t0?.ty, &t1?.ty) {
                    self.error(
                        Code::E0305,
                        self.expr_span(a1?),
                        msg,
                        "type mismatch",
                        "CAST the second value to the type of the first",
                    );
                    return None;
                }
                if t0?.ty.is_null() {
                    self.error(
                        Code::E0305,
                        self.expr_span(a0?),
                        "a bare NULL has no type here",
                        "no type",
                        "write CAST(NULL AS type)",
                    );
                    return None;
                }
                Some(Typed::of(t0?.ty.clone().nullable()))
            }
            "TO_TIMESTAMP_LTZ" => {
                self.arity(name, span, t.len(), 2, 2, "a number and a precision")?;
                self.expect_numeric(name, t0?, a0?, false)?;
                // Flink 1.20 plans only an INT precision ("Unsupported call:
                // TO_TIMESTAMP_LTZ(BIGINT, BIGINT)").
                if t1?.ty.kind != TypeKind::Int {
                    self.error(
                        Code::E0305,
                        self.expr_span(a1?),
                        format!("the precision of `{name}` must be an INT, not {}", t1?.ty.kind_name()),
                        "type mismatch",
                        "write the precision as a number: 0 for seconds, 3 for milliseconds",
                    );
                    return None;
                }
                Some(Typed::of(DataType::new(TypeKind::TimestampLtz(3))))
            }
            "TO_TIMESTAMP" => {
                self.arity(name, span, t.len(), 1, 2, "a string and an optional format")?;
                for (ti, a) in t.iter().zip(args) {
                    self.expect_string(name, ti, a)?;
                }
                Some(Typed::of(DataType::new(TypeKind::Timestamp(3))))
            }
            "DATE_FORMAT" => {
                self.arity(name, span, t.len(), 2, 2, "a timestamp and a format")?;
                if !(t0?.ty.is_timestamp() || t0?.ty.is_character()) {
                    self.error(
                        Code::E0305,
                        self.expr_span(a0?),
                        format!("`DATE_FORMAT` takes a TIMESTAMP or a string, but this is {}", t0?.ty.kind_name()),
                        "type mismatch",
                        "CAST a DATE to TIMESTAMP(3) first",
                    );
                    return None;
                }
                self.expect_string(name, t1?, a1?)?;
                Some(Typed::of(DataType::string()))
            }
            _ => self.unsupported(e, name),
        }
    }

    /// SUBSTRING and SUBSTR: CHAR(n) becomes VARCHAR(n); the result is always nullable.
    fn substring_typed(&mut self, name: &str, args: &[&Expr], t: &[Typed]) -> Option<Typed> {
        let (first, rest) = t.split_first()?;
        self.expect_string(name, first, args.first()?)?;
        for (ti, a) in rest.iter().zip(args.iter().skip(1)) {
            self.expect_numeric(name, ti, a, true)?;
        }
        Some(Typed::of(trimmed(&first.ty).nullable()))
    }

    pub(crate) fn substring(&mut self, x: &Expr, from: Option<&Expr>, len: Option<&Expr>, env: &Env) -> Option<Typed> {
        let mut args = vec![x];
        args.extend(from);
        args.extend(len);
        let mut typed = Vec::new();
        for a in &args {
            typed.push(self.expr(a, env)?);
        }
        if typed.len() < 2 {
            self.error(
                Code::E0305,
                self.expr_span(x),
                "`SUBSTRING` needs a start position",
                "missing argument",
                "write SUBSTRING(s FROM start [FOR length])",
            );
            return None;
        }
        self.substring_typed("SUBSTRING", &args, &typed)
    }

    pub(crate) fn trim(&mut self, x: &Expr, what: Option<&Expr>, env: &Env) -> Option<Typed> {
        let t = self.expr(x, env)?;
        if let Some(w) = what {
            let tw = self.expr(w, env)?;
            self.expect_string("TRIM", &tw, w)?;
        }
        self.expect_string("TRIM", &t, x)?;
        Some(Typed::of(trimmed(&t.ty)))
    }

    pub(crate) fn ceil_floor(&mut self, e: &Expr, x: &Expr, field: &CeilFloorKind, env: &Env) -> Option<Typed> {
        let name = if matches!(e, Expr::Ceil { .. }) { "CEIL" } else { "FLOOR" };
        match field {
            CeilFloorKind::DateTimeField(DateTimeField::NoDateTime) => {}
            CeilFloorKind::DateTimeField(unit) => {
                return self.unsupported_msg(e, &format!("pipec cannot type-check `{name}(... TO {unit})` yet"));
            }
            CeilFloorKind::Scale(_) => {
                return self.unsupported_msg(e, &format!("pipec cannot type-check `{name}` with a scale yet"));
            }
        }
        let t = self.expr(x, env)?;
        self.expect_numeric(name, &t, x, false)?;
        Some(Typed::of(floor_ceil(&t.ty)))
    }

    /// ROUND: integers and approximate numbers keep their type; DECIMAL(p, s) rounded to r
    /// digits is DECIMAL(p - s + r + 1, r) for 0 <= r < s, DECIMAL(p - s + 1, 0) for r < 0,
    /// and unchanged for r >= s.
    fn round(&mut self, args: &[&Expr], t: &[Typed]) -> Option<Typed> {
        let x = t.first()?;
        self.expect_numeric("ROUND", x, args.first()?, false)?;
        let digits = match t.get(1) {
            None => 0,
            Some(d) => {
                self.expect_numeric("ROUND", d, args.get(1)?, true)?;
                match d.lit {
                    Lit::Int(n) => n,
                    // With a scale that is not a literal, Flink keeps the type (confirmed:
                    // ROUND(DECIMAL(10, 2), i) is DECIMAL(10, 2)).
                    _ => return Some(Typed::of(x.ty.clone())),
                }
            }
        };
        let kind = match x.ty.kind {
            TypeKind::Decimal(p, s) => {
                let (p, s) = (i128::from(p), i128::from(s));
                if digits >= s {
                    TypeKind::Decimal(p as u8, s as u8)
                } else if digits < 0 {
                    TypeKind::Decimal((p - s + 1).clamp(1, 38) as u8, 0)
                } else {
                    TypeKind::Decimal((p - s + digits + 1).clamp(1, 38) as u8, digits as u8)
                }
            }
            ref k => k.clone(),
        };
        Some(Typed::of(DataType { kind, nullable: x.ty.nullable }))
    }

    fn aggregate(&mut self, name: &str, f: &Function, e: &Expr, env: &Env) -> Option<Typed> {
        let span = match f.name.0.first().and_then(|p| p.as_ident()) {
            Some(i) => self.ident_span(i),
            None => self.expr_span(e),
        };
        let global = match &env.agg {
            AggMode::Grouped(keys) => keys.is_empty(),
            AggMode::InAggregate => {
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
        let inner = Env { scope: env.scope, agg: AggMode::InAggregate };
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
            self.expect_boolean(&c, filter, "FILTER (WHERE ...)")?;
        }
        let distinct = list.duplicate_treatment == Some(DuplicateTreatment::Distinct);
        if name == "COUNT" {
            match list.args.as_slice() {
                [FunctionArg::Unnamed(FunctionArgExpr::Wildcard)] if !distinct => {}
                [FunctionArg::Unnamed(FunctionArgExpr::Expr(x))] => {
                    self.expr(x, &inner)?;
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
                [_, _, ..] => {
                    self.error(
                        Code::E0310,
                        span,
                        "Flink 1.20 counts one expression only",
                        "several arguments",
                        "count one column, or concatenate the columns",
                    );
                    return None;
                }
                _ => return self.unsupported(e, "COUNT"),
            }
            return Some(Typed::of(DataType::bigint().not_null()));
        }
        let x = match list.args.as_slice() {
            [FunctionArg::Unnamed(FunctionArgExpr::Expr(x))] => x,
            _ => {
                self.error(
                    Code::E0305,
                    span,
                    format!("`{name}` takes one argument"),
                    "wrong number of arguments",
                    format!("write {name}(column)"),
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
        let nullable = global || t.ty.nullable;
        let kind = match name {
            "SUM" | "AVG" => {
                if !t.ty.is_numeric() {
                    self.error(
                        Code::E0305,
                        self.expr_span(x),
                        format!("`{name}` takes a number, but this is {}", t.ty.kind_name()),
                        "type mismatch",
                        "aggregate a numeric column",
                    );
                    return None;
                }
                match (name, &t.ty.kind) {
                    ("SUM", TypeKind::Decimal(_, s)) => TypeKind::Decimal(38, *s),
                    ("AVG", TypeKind::Decimal(_, s)) => TypeKind::Decimal(38, (*s).max(6)),
                    (_, k) => k.clone(),
                }
            }
            _ => {
                if t.ty.is_constructed() {
                    self.error(
                        Code::E0305,
                        self.expr_span(x),
                        format!("Flink 1.20 cannot compute `{name}` of {}", t.ty.kind_name()),
                        "type mismatch",
                        "aggregate a column of a primitive type",
                    );
                    return None;
                }
                t.ty.kind.clone()
            }
        };
        Some(Typed::of(DataType { kind, nullable }))
    }
}

/// TRIM and SUBSTRING turn CHAR(n) into VARCHAR(n).
fn trimmed(t: &DataType) -> DataType {
    match t.kind {
        TypeKind::Char(n) => DataType { kind: TypeKind::VarChar(n), nullable: t.nullable },
        _ => t.clone(),
    }
}

/// FLOOR and CEIL of a number: DECIMAL(p, s) becomes DECIMAL(p, 0); other types stay.
fn floor_ceil(t: &DataType) -> DataType {
    match t.kind {
        TypeKind::Decimal(p, _) => DataType { kind: TypeKind::Decimal(p, 0), nullable: t.nullable },
        _ => t.clone(),
    }
}

/// How a function is called, for help texts.
fn signature(name: &str) -> String {
    let args = match name {
        "CURRENT_TIMESTAMP" | "LOCALTIMESTAMP" | "CURRENT_DATE" | "CURRENT_TIME" | "LOCALTIME" => {
            return name.to_string();
        }
        "NOW" | "PROCTIME" => "",
        "UPPER" | "LOWER" | "TRIM" | "LTRIM" | "RTRIM" | "CHAR_LENGTH" | "CHARACTER_LENGTH" => "string",
        "CONCAT" => "string, ...",
        "SUBSTRING" | "SUBSTR" => "string, start [, length]",
        "ABS" | "FLOOR" | "CEIL" | "CEILING" => "number",
        "ROUND" => "number [, digits]",
        "MOD" => "number, divisor",
        "COALESCE" => "value, ...",
        "IFNULL" => "value, fallback",
        "NULLIF" => "value, value",
        "TO_TIMESTAMP_LTZ" => "epoch, precision",
        "TO_TIMESTAMP" => "string [, format]",
        "DATE_FORMAT" => "timestamp, format",
        _ => "...",
    };
    format!("{name}({args})")
}
