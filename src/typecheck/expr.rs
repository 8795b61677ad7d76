//! Typing of scalar expressions: literals, column references, operators, CAST, CASE and the
//! predicates. Functions and aggregates are in `functions.rs`.

use sqlparser::ast::{
    BinaryOperator, CastKind, DateTimeField, Expr, Ident, Spanned, TypedString, UnaryOperator, Value,
};
use sqlparser::tokenizer::Token;

use super::TimeAttr;
use super::dialect::CastTarget;
use super::query::{AggMode, Env, QueryChecker};
use super::rules::{self, Arith, NoCommonType};
use super::types::{DataType, TypeKind};
use crate::diag::{Code, did_you_mean};
use crate::source::Span;

/// How deeply expressions may nest before pipec stops (the parser's limit is lower; long
/// operator chains nest without it).
const MAX_EXPR_DEPTH: usize = 150;

/// What a literal was, for rules that depend on it (a ROUND scale, an integer's range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lit {
    NotLiteral,
    Int(i128),
    /// A character string literal.
    Str,
    Null,
    Other,
}

/// A typed expression.
#[derive(Debug, Clone)]
pub(crate) struct Typed {
    pub(crate) ty: DataType,
    pub(crate) time: Option<TimeAttr>,
    /// The scope column, when the expression is a plain column reference.
    pub(crate) col: Option<usize>,
    pub(crate) lit: Lit,
}

impl Typed {
    pub(crate) fn of(ty: DataType) -> Typed {
        Typed { ty, time: None, col: None, lit: Lit::NotLiteral }
    }

    fn literal(ty: DataType, lit: Lit) -> Typed {
        Typed { ty, time: None, col: None, lit }
    }
}

impl QueryChecker<'_> {
    /// Types an expression, or reports why it cannot and returns `None`.
    pub(crate) fn expr(&mut self, e: &Expr, env: &Env) -> Option<Typed> {
        if self.depth >= MAX_EXPR_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.error(
                    Code::E0901,
                    self.expr_span(e),
                    "the expression is nested too deeply",
                    "too deep",
                    "split the expression",
                );
            }
            return None;
        }
        self.depth += 1;
        let r = self.expr_inner(e, env);
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self, e: &Expr, env: &Env) -> Option<Typed> {
        if let AggMode::Grouped(keys) = &env.agg {
            if let Some(k) = keys.iter().find(|k| k.expr == *e) {
                return Some(k.typed.clone());
            }
            if let Expr::Identifier(_) | Expr::CompoundIdentifier(_) = e {
                let t = self.column_ref(e, env)?;
                if let Some(k) = keys.iter().find(|k| k.typed.col.is_some() && k.typed.col == t.col) {
                    return Some(k.typed.clone());
                }
                let name = match e {
                    Expr::CompoundIdentifier(parts) => {
                        parts.iter().map(|p| p.value.as_str()).collect::<Vec<_>>().join(".")
                    }
                    _ => e.to_string(),
                };
                self.error(
                    Code::E0310,
                    self.expr_span(e),
                    format!("column `{name}` is neither grouped nor aggregated"),
                    "not in GROUP BY",
                    "add it to GROUP BY, or wrap it in an aggregate such as MAX(...)",
                );
                return None;
            }
        }
        match e {
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) => self.column_ref(e, env),
            Expr::Value(v) => self.value(&v.value, self.loc.span(v.span)),
            Expr::TypedString(ts) => self.typed_string(ts),
            Expr::Interval(iv) => self.interval(iv, e),
            Expr::Nested(inner) => self.expr(inner, env),
            Expr::UnaryOp { op, expr } => self.unary(*op, expr, e, env),
            Expr::BinaryOp { .. } => self.binary_chain(e, env),
            Expr::IsNull(x) | Expr::IsNotNull(x) => {
                self.expr(x, env)?;
                Some(Typed::of(DataType::boolean().not_null()))
            }
            Expr::IsTrue(x)
            | Expr::IsFalse(x)
            | Expr::IsNotTrue(x)
            | Expr::IsNotFalse(x)
            | Expr::IsUnknown(x)
            | Expr::IsNotUnknown(x) => {
                let t = self.expr(x, env)?;
                self.expect_boolean(&t, x, "IS TRUE / IS FALSE")?;
                Some(Typed::of(DataType::boolean().not_null()))
            }
            Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => {
                let ta = self.expr(a, env);
                let tb = self.expr(b, env);
                let (ta, tb) = (ta?, tb?);
                self.expect_comparable(&ta, &tb, b)?;
                Some(Typed::of(DataType::boolean().not_null()))
            }
            Expr::InList { expr, list, negated: _ } => self.in_list(expr, list, env),
            Expr::Between { expr, negated: _, low, high } => {
                let t = self.expr(expr, env)?;
                let lo = self.expr(low, env)?;
                let hi = self.expr(high, env)?;
                self.expect_comparable(&t, &lo, low)?;
                self.expect_comparable(&t, &hi, high)?;
                let nullable = t.ty.nullable || lo.ty.nullable || hi.ty.nullable;
                Some(Typed::of(DataType::boolean().with_nullable(nullable)))
            }
            Expr::Like { negated: _, any, expr, pattern, escape_char } => {
                if *any {
                    return self.unsupported(e, "LIKE ANY");
                }
                self.like(expr, pattern, escape_char.as_deref(), env)
            }
            Expr::Cast { kind, expr, data_type, format } => {
                if format.is_some() {
                    return self.unsupported(e, "CAST ... FORMAT");
                }
                self.cast(kind.clone(), expr, data_type, e, env)
            }
            Expr::Case { operand, conditions, else_result, .. } => {
                self.case(operand.as_deref(), conditions, else_result.as_deref(), e, env)
            }
            Expr::Extract { field, expr, .. } => self.extract(field, expr, env),
            Expr::Function(f) => self.function(f, e, env),
            Expr::Substring { expr, substring_from, substring_for, .. } => {
                self.substring(expr, substring_from.as_deref(), substring_for.as_deref(), env)
            }
            Expr::Trim { trim_where: _, trim_what, expr, trim_characters } => {
                if trim_characters.is_some() {
                    return self.unsupported(e, "TRIM with a list of characters");
                }
                self.trim(expr, trim_what.as_deref(), env)
            }
            Expr::Ceil { expr, field } | Expr::Floor { expr, field } => self.ceil_floor(e, expr, field, env),
            Expr::InSubquery { .. } | Expr::Exists { .. } | Expr::Subquery(_) => {
                self.unsupported_msg(e, "subqueries in expressions are not type-checked yet")
            }
            Expr::Map(_) => self.unsupported(e, "MAP[...]"),
            Expr::Array(_) => self.unsupported(e, "ARRAY[...]"),
            Expr::CompoundFieldAccess { .. } => {
                self.unsupported_msg(e, "element and field access is not type-checked yet")
            }
            Expr::Wildcard(_) | Expr::QualifiedWildcard(..) => self.unsupported_msg(e, "`*` is not allowed here"),
            _ => self.unsupported(e, &short(e)),
        }
    }

    /// E0306 for a construct pipec cannot type yet.
    pub(crate) fn unsupported(&mut self, e: &Expr, what: &str) -> Option<Typed> {
        self.unsupported_msg(e, &format!("pipec cannot type-check `{what}` yet"))
    }

    pub(crate) fn unsupported_msg(&mut self, e: &Expr, msg: &str) -> Option<Typed> {
        // A call is reported at its name.
        let span = match e {
            Expr::Function(f) => match f.name.0.first().and_then(|p| p.as_ident()) {
                Some(i) if i.span.start.line != 0 => self.ident_span(i),
                _ => self.expr_span(e),
            },
            _ => self.expr_span(e),
        };
        self.error(
            Code::E0306,
            span,
            msg,
            "not supported yet",
            "rewrite the expression with supported constructs, or report it so that pipec learns it",
        );
        None
    }

    /// The file span of an expression: the union of its tokens that sqlparser knows.
    pub(crate) fn expr_span(&self, e: &Expr) -> Span {
        match e {
            Expr::Function(f) => match f.name.0.first().and_then(|p| p.as_ident()) {
                Some(i) if i.span.start.line != 0 => self.loc.span(e.span().union(&i.span)),
                _ => self.loc.span(e.span()),
            },
            _ => self.loc.span(e.span()),
        }
    }

    pub(crate) fn ident_span(&self, i: &Ident) -> Span {
        self.loc.span(i.span)
    }

    /// The span of the operator token between two operands: the last token matching `pred`
    /// between them, or both operands when it cannot be found.
    fn operator_span(&self, left: &Expr, right: &Expr, pred: impl Fn(&Token) -> bool) -> Span {
        let (l, r) = (left.span(), right.span());
        if l.end.line != 0 && r.start.line != 0 {
            let found =
                self.tokens.iter().filter(|t| t.span.start >= l.end && t.span.end <= r.start && pred(&t.token)).last();
            if let Some(t) = found {
                return self.loc.span(t.span);
            }
        }
        self.loc.span(l.union(&r))
    }

    fn column_ref(&mut self, e: &Expr, env: &Env) -> Option<Typed> {
        let parts: Vec<&Ident> = match e {
            Expr::Identifier(i) => vec![i],
            Expr::CompoundIdentifier(p) => p.iter().collect(),
            _ => return None,
        };
        let idx = match parts.as_slice() {
            [name] => self.resolve_column(None, name, env)?,
            [qualifier, name] => self.resolve_column(Some(qualifier), name, env)?,
            _ => {
                self.error(
                    Code::E0306,
                    self.expr_span(e),
                    "nested field access is not type-checked yet",
                    "not supported yet",
                    "select the ROW column and access its fields in a later transform, or report it",
                );
                return None;
            }
        };
        let col = env.scope.cols.get(idx)?;
        Some(Typed { ty: col.ty.clone(), time: col.time, col: Some(idx), lit: Lit::NotLiteral })
    }

    /// Finds a column in the scope: by name, or by qualifier and name.
    fn resolve_column(&mut self, qualifier: Option<&Ident>, name: &Ident, env: &Env) -> Option<usize> {
        let scope = env.scope;
        let span = self.ident_span(name);
        if let Some(q) = qualifier {
            let Some(table) = scope.tables.iter().find(|t| t.qualifier.as_deref() == Some(q.value.as_str())) else {
                // A qualifier that names no table may be a ROW column with a field access.
                if scope.cols.iter().any(|c| c.name == q.value) {
                    self.error(
                        Code::E0306,
                        self.loc.span(q.span.union(&name.span)),
                        "nested field access is not type-checked yet",
                        "not supported yet",
                        "select the ROW column and access its fields in a later transform, or report it",
                    );
                    return None;
                }
                let quals: Vec<&str> = scope.tables.iter().filter_map(|t| t.qualifier.as_deref()).collect();
                let mut help = format!("tables in FROM: {}", list(&quals));
                if let Some(s) = did_you_mean(&q.value, quals.iter().copied()) {
                    help = format!("did you mean `{s}`? ({help})");
                }
                self.error(
                    Code::E0303,
                    self.ident_span(q),
                    format!("unknown table `{}` in `{}.{}`", q.value, q.value, name.value),
                    "no such table or alias in FROM",
                    help,
                );
                return None;
            };
            let hits: Vec<usize> = (table.start..table.start + table.len)
                .filter(|&i| scope.cols.get(i).is_some_and(|c| c.name == name.value))
                .collect();
            return match hits.as_slice() {
                [one] => Some(*one),
                [] => {
                    let names: Vec<&str> = (table.start..table.start + table.len)
                        .filter_map(|i| scope.cols.get(i).map(|c| c.name.as_str()))
                        .collect();
                    self.unknown_column(&name.value, span, &names, Some(&q.value));
                    None
                }
                _ => {
                    self.error(
                        Code::E0304,
                        span,
                        format!(
                            "column `{}.{}` is ambiguous: `{}` has more than one column with that name",
                            q.value, name.value, q.value
                        ),
                        "ambiguous column",
                        "give the columns distinct aliases in the subquery",
                    );
                    None
                }
            };
        }
        let hits: Vec<usize> =
            scope.cols.iter().enumerate().filter(|(_, c)| c.name == name.value).map(|(i, _)| i).collect();
        match hits.as_slice() {
            [one] => Some(*one),
            [] => {
                let names: Vec<&str> = scope.cols.iter().map(|c| c.name.as_str()).collect();
                self.unknown_column(&name.value, span, &names, None);
                None
            }
            _ => {
                let tables: Vec<String> = hits
                    .iter()
                    .filter_map(|&i| scope.table_of(i))
                    .map(|t| t.qualifier.clone().unwrap_or_else(|| "a subquery".to_string()))
                    .collect();
                self.error(
                    Code::E0304,
                    span,
                    format!("column `{}` is ambiguous: it is in {}", name.value, list_owned(&tables)),
                    "ambiguous column",
                    format!(
                        "qualify it with the table or alias, e.g. `{}.{}`",
                        tables.first().map_or("t", |s| s.as_str()),
                        name.value
                    ),
                );
                None
            }
        }
    }

    fn unknown_column(&mut self, name: &str, span: Span, candidates: &[&str], qualifier: Option<&str>) {
        let shown = match qualifier {
            Some(q) => format!("{q}.{name}"),
            None => name.to_string(),
        };
        let mut help = if candidates.is_empty() {
            "no table in FROM has columns".to_string()
        } else {
            format!("columns in scope: {}", list(candidates))
        };
        if let Some(s) = did_you_mean(name, candidates.iter().copied()) {
            help = format!("did you mean `{s}`? ({help})");
        }
        self.error(Code::E0303, span, format!("unknown column `{shown}`"), "not a column of the tables in FROM", help);
    }

    fn value(&mut self, v: &Value, span: Span) -> Option<Typed> {
        match v {
            Value::Number(s, _) => self.number(s, span),
            Value::SingleQuotedString(s) | Value::UnicodeStringLiteral(s) => {
                let n = u32::try_from(s.chars().count()).unwrap_or(u32::MAX);
                Some(Typed::literal(DataType::new(TypeKind::Char(n)).not_null(), Lit::Str))
            }
            Value::HexStringLiteral(s) => {
                if s.len() % 2 != 0 {
                    self.error(
                        Code::E0305,
                        span,
                        "a binary literal needs an even number of hex digits",
                        "odd length",
                        "write two hex digits per byte",
                    );
                    return None;
                }
                let n = u32::try_from(s.len() / 2).unwrap_or(u32::MAX).max(1);
                Some(Typed::literal(DataType::new(TypeKind::Binary(n)).not_null(), Lit::Other))
            }
            Value::Boolean(_) => Some(Typed::literal(DataType::boolean().not_null(), Lit::Other)),
            Value::Null => Some(Typed::literal(DataType::new(TypeKind::Null), Lit::Null)),
            _ => {
                self.error(
                    Code::E0306,
                    span,
                    format!("pipec cannot type-check the literal `{v}` yet"),
                    "not supported yet",
                    "write strings in single quotes",
                );
                None
            }
        }
    }

    /// Numeric literals as Flink types them: INT, else BIGINT, for integers; DECIMAL(digits,
    /// fraction digits) for decimals; DOUBLE with an exponent.
    fn number(&mut self, s: &str, span: Span) -> Option<Typed> {
        if s.contains(['e', 'E']) {
            return Some(Typed::literal(DataType::new(TypeKind::Double).not_null(), Lit::Other));
        }
        if let Some((int, frac)) = s.split_once('.') {
            let digits = (int.len() + frac.len()) as u32;
            let scale = frac.len() as u32;
            let precision = digits.max(scale).max(1);
            if precision > 38 {
                self.error(
                    Code::E0305,
                    span,
                    format!("the numeric literal `{s}` has more than 38 digits"),
                    "out of range",
                    "use a DOUBLE literal such as 1.5E40",
                );
                return None;
            }
            return Some(Typed::literal(DataType::decimal(precision as u8, scale as u8).not_null(), Lit::Other));
        }
        match s.parse::<i128>() {
            Ok(n) => match integer_type(n) {
                Some(kind) => Some(Typed::literal(DataType::new(kind).not_null(), Lit::Int(n))),
                None => {
                    self.literal_out_of_range(s, span);
                    None
                }
            },
            Err(_) => {
                self.literal_out_of_range(s, span);
                None
            }
        }
    }

    fn literal_out_of_range(&mut self, s: &str, span: Span) {
        self.error(
            Code::E0305,
            span,
            format!("the numeric literal `{s}` is out of range"),
            "larger than BIGINT",
            "write it as a DECIMAL literal (with a `.`) or a DOUBLE literal (with an exponent)",
        );
    }

    fn typed_string(&mut self, ts: &TypedString) -> Option<Typed> {
        use sqlparser::ast::DataType as A;
        let span = self.loc.span(ts.value.span);
        let Value::SingleQuotedString(text) = &ts.value.value else {
            self.error(
                Code::E0305,
                span,
                "a typed literal needs a string in single quotes",
                "not a string",
                "write e.g. DATE '2024-01-31'",
            );
            return None;
        };
        let (kind, what) = match &ts.data_type {
            A::Date => (check_date(text).then_some(TypeKind::Date), "DATE"),
            A::Time(None, _) => (check_time(text).map(|_| TypeKind::Time(0)), "TIME"),
            A::Timestamp(None, sqlparser::ast::TimezoneInfo::None) => {
                // Flink accepts a date alone as a TIMESTAMP literal.
                let p = match text.trim().split_once(' ') {
                    Some((d, t)) if check_date(d) => check_time(t),
                    Some(_) => None,
                    None => check_date(text).then_some(0),
                };
                (p.map(TypeKind::Timestamp), "TIMESTAMP")
            }
            other => {
                self.error(
                    Code::E0306,
                    span,
                    format!("pipec cannot type-check the literal `{other} '...'` yet"),
                    "not supported yet",
                    "use DATE '...', TIME '...' or TIMESTAMP '...', or CAST a string",
                );
                return None;
            }
        };
        match kind {
            Some(k) => Some(Typed::literal(DataType::new(k).not_null(), Lit::Other)),
            None => {
                self.error(
                    Code::E0305,
                    span,
                    format!("`{text}` is not a valid {what} literal"),
                    "invalid literal",
                    "write DATE 'yyyy-MM-dd', TIME 'HH:mm:ss' or TIMESTAMP 'yyyy-MM-dd HH:mm:ss[.fff]'",
                );
                None
            }
        }
    }

    fn interval(&mut self, iv: &sqlparser::ast::Interval, e: &Expr) -> Option<Typed> {
        let value_span = self.expr_span(&iv.value);
        let Some(lead) = &iv.leading_field else {
            self.error(
                Code::E0301,
                value_span,
                "an interval needs a unit",
                "no unit",
                "write e.g. INTERVAL '5' SECOND",
            );
            return None;
        };
        let Some(first) = interval_unit(lead) else {
            self.error(
                Code::E0301,
                value_span,
                format!("`{lead}` is not an interval unit in Flink"),
                "not a unit",
                "use YEAR, MONTH, DAY, HOUR, MINUTE or SECOND",
            );
            return None;
        };
        let last = match &iv.last_field {
            None => first,
            Some(f) => match interval_unit(f) {
                Some(u) if u > first && ((first <= 1) == (u <= 1)) => u,
                _ => {
                    self.error(
                        Code::E0301,
                        value_span,
                        format!("`{lead} TO {f}` is not a valid interval"),
                        "invalid interval",
                        "use e.g. DAY TO SECOND or YEAR TO MONTH",
                    );
                    return None;
                }
            },
        };
        let text = match iv.value.as_ref() {
            Expr::Value(v) => match &v.value {
                Value::SingleQuotedString(s) | Value::Number(s, _) => s.clone(),
                _ => String::new(),
            },
            Expr::UnaryOp { op: UnaryOperator::Minus, expr } => match expr.as_ref() {
                Expr::Value(v) => match &v.value {
                    Value::Number(s, _) => format!("-{s}"),
                    _ => String::new(),
                },
                _ => String::new(),
            },
            _ => {
                return self.unsupported_msg(e, "an interval must be a literal such as INTERVAL '5' SECOND");
            }
        };
        if !interval_format_ok(&text, first, last) {
            let unit = if first == last {
                unit_name(first).to_string()
            } else {
                format!("{} TO {}", unit_name(first), unit_name(last))
            };
            self.error(
                Code::E0305,
                value_span,
                format!("illegal interval literal format '{text}' for INTERVAL {unit}"),
                "invalid interval value",
                "write the number in quotes and the unit after it, e.g. INTERVAL '5' SECOND",
            );
            return None;
        }
        let kind = if last <= 1 { TypeKind::IntervalYearMonth } else { TypeKind::IntervalDaySecond };
        Some(Typed::literal(DataType::new(kind).not_null(), Lit::Other))
    }

    fn unary(&mut self, op: UnaryOperator, x: &Expr, e: &Expr, env: &Env) -> Option<Typed> {
        match op {
            UnaryOperator::Minus | UnaryOperator::Plus => {
                // A negative integer literal is one literal: -2147483648 is an INT.
                if let (UnaryOperator::Minus, Expr::Value(v)) = (op, x)
                    && let Value::Number(s, _) = &v.value
                    && !s.contains(['.', 'e', 'E'])
                {
                    let span = self.loc.span(v.span);
                    return match s.parse::<i128>().ok().map(|n| -n) {
                        Some(n) => match integer_type(n) {
                            Some(kind) => Some(Typed::literal(DataType::new(kind).not_null(), Lit::Int(n))),
                            None => {
                                self.literal_out_of_range(&format!("-{s}"), span);
                                None
                            }
                        },
                        None => {
                            self.literal_out_of_range(&format!("-{s}"), span);
                            None
                        }
                    };
                }
                let t = self.expr(x, env)?;
                if !(t.ty.is_numeric() || t.ty.is_interval()) {
                    self.error(
                        Code::E0305,
                        self.expr_span(e),
                        format!("Flink cannot apply unary `{op}` to {}", t.ty.kind_name()),
                        "not a number",
                        "apply it to a numeric or interval expression",
                    );
                    return None;
                }
                let lit = match (&t.lit, op) {
                    (Lit::Int(n), UnaryOperator::Minus) => Lit::Int(-n),
                    (l, _) => l.clone(),
                };
                Some(Typed { ty: t.ty, time: None, col: None, lit })
            }
            UnaryOperator::Not => {
                let t = self.expr(x, env)?;
                self.expect_boolean(&t, x, "NOT")?;
                Some(Typed::of(DataType::boolean().with_nullable(t.ty.nullable)))
            }
            _ => self.unsupported(e, &op.to_string()),
        }
    }

    /// Types a chain of binary operators (`a + b + c`, `x AND y AND z`) without recursing
    /// down its left spine, which is as deep as the chain is long.
    fn binary_chain(&mut self, e: &Expr, env: &Env) -> Option<Typed> {
        let mut spine: Vec<&Expr> = Vec::new();
        let mut cur = e;
        while let Expr::BinaryOp { left, .. } = cur {
            // Inside an aggregation, a part of the chain may be a grouped expression.
            if !spine.is_empty()
                && let AggMode::Grouped(keys) = &env.agg
                && keys.iter().any(|k| k.expr == *cur)
            {
                break;
            }
            spine.push(cur);
            cur = left;
        }
        let mut acc = self.expr(cur, env);
        for node in spine.iter().rev() {
            let Expr::BinaryOp { left, op, right } = node else {
                continue;
            };
            let r = self.expr(right, env);
            acc = match (acc, r) {
                (Some(l), Some(r)) => self.binary(left, op, right, node, l, r),
                _ => None,
            };
        }
        acc
    }

    fn binary(
        &mut self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
        e: &Expr,
        l: Typed,
        r: Typed,
    ) -> Option<Typed> {
        let arith = match op {
            BinaryOperator::Plus => Some(Arith::Plus),
            BinaryOperator::Minus => Some(Arith::Minus),
            BinaryOperator::Multiply => Some(Arith::Times),
            BinaryOperator::Divide => Some(Arith::Divide),
            BinaryOperator::Modulo => Some(Arith::Modulo),
            _ => None,
        };
        let supported = arith.is_some()
            || matches!(
                op,
                BinaryOperator::StringConcat
                    | BinaryOperator::Eq
                    | BinaryOperator::NotEq
                    | BinaryOperator::Lt
                    | BinaryOperator::LtEq
                    | BinaryOperator::Gt
                    | BinaryOperator::GtEq
                    | BinaryOperator::And
                    | BinaryOperator::Or
            );
        if !supported {
            return self.unsupported(e, &format!("{op}"));
        }
        let token_of = |op: &BinaryOperator| -> Box<dyn Fn(&Token) -> bool> {
            match op {
                BinaryOperator::Plus => Box::new(|t| *t == Token::Plus),
                BinaryOperator::Minus => Box::new(|t| *t == Token::Minus),
                BinaryOperator::Multiply => Box::new(|t| *t == Token::Mul),
                BinaryOperator::Divide => Box::new(|t| *t == Token::Div),
                BinaryOperator::Modulo => Box::new(|t| *t == Token::Mod),
                BinaryOperator::StringConcat => Box::new(|t| *t == Token::StringConcat),
                BinaryOperator::Eq => Box::new(|t| matches!(t, Token::Eq | Token::DoubleEq)),
                BinaryOperator::NotEq => Box::new(|t| *t == Token::Neq),
                BinaryOperator::Lt => Box::new(|t| *t == Token::Lt),
                BinaryOperator::LtEq => Box::new(|t| *t == Token::LtEq),
                BinaryOperator::Gt => Box::new(|t| *t == Token::Gt),
                BinaryOperator::GtEq => Box::new(|t| *t == Token::GtEq),
                BinaryOperator::And => Box::new(|t| matches!(t, Token::Word(w) if w.value.eq_ignore_ascii_case("AND"))),
                BinaryOperator::Or => Box::new(|t| matches!(t, Token::Word(w) if w.value.eq_ignore_ascii_case("OR"))),
                _ => Box::new(|_| false),
            }
        };
        if let Some(a) = arith {
            return match rules::arithmetic(a, &l.ty, &r.ty) {
                Ok(ty) => Some(Typed::of(ty)),
                Err(msg) => {
                    let span = self.operator_span(left, right, token_of(op));
                    self.error(Code::E0305, span, msg, "type mismatch", "CAST one operand to the type of the other");
                    None
                }
            };
        }
        match op {
            BinaryOperator::StringConcat => match rules::concat(&l.ty, &r.ty) {
                Ok(ty) => Some(Typed::of(ty)),
                Err(msg) => {
                    let span = self.operator_span(left, right, token_of(op));
                    self.error(Code::E0305, span, msg, "type mismatch", "CAST the operands to STRING");
                    None
                }
            },
            BinaryOperator::And | BinaryOperator::Or => {
                self.expect_boolean(&l, left, &op.to_string())?;
                self.expect_boolean(&r, right, &op.to_string())?;
                Some(Typed::of(DataType::boolean().with_nullable(l.ty.nullable || r.ty.nullable)))
            }
            _ => {
                if let Err(msg) = compare_ok(&l, &r) {
                    let span = self.operator_span(left, right, token_of(op));
                    self.error(Code::E0305, span, msg, "type mismatch", "CAST one side to the type of the other");
                    return None;
                }
                Some(Typed::of(DataType::boolean().with_nullable(l.ty.nullable || r.ty.nullable)))
            }
        }
    }

    pub(crate) fn expect_boolean(&mut self, t: &Typed, e: &Expr, what: &str) -> Option<()> {
        if t.ty.kind == TypeKind::Boolean || t.ty.is_null() {
            return Some(());
        }
        self.error(
            Code::E0305,
            self.expr_span(e),
            format!("{what} needs a BOOLEAN, but this is {}", t.ty.kind_name()),
            "not a condition",
            "write a comparison, e.g. `x > 0` or `x IS NOT NULL`",
        );
        None
    }

    fn expect_comparable(&mut self, a: &Typed, b: &Typed, at: &Expr) -> Option<()> {
        match compare_ok(a, b) {
            Ok(()) => Some(()),
            Err(msg) => {
                self.error(
                    Code::E0305,
                    self.expr_span(at),
                    msg,
                    "type mismatch",
                    "CAST one side to the type of the other",
                );
                None
            }
        }
    }

    fn in_list(&mut self, expr: &Expr, list: &[Expr], env: &Env) -> Option<Typed> {
        let t = self.expr(expr, env)?;
        // The values of the list need a common type among themselves, and the tested
        // expression must compare with it (Flink: "Values in expression list must have
        // compatible types").
        let mut items: Vec<DataType> = Vec::new();
        let mut failed = false;
        let mut all_strings = true;
        for item in list {
            let Some(it) = self.expr(item, env) else {
                failed = true;
                continue;
            };
            all_strings &= it.lit == Lit::Str;
            let mut with: Vec<&DataType> = items.iter().collect();
            with.push(&it.ty);
            if rules::common_type(&with).is_err() {
                let before: Vec<String> = items.iter().map(|t| t.kind_name()).collect();
                self.error(
                    Code::E0305,
                    self.expr_span(item),
                    format!("the IN list mixes {} with {}", it.ty.kind_name(), before.join(", ")),
                    "type mismatch",
                    "make every value of the list the same type",
                );
                failed = true;
                continue;
            }
            items.push(it.ty);
        }
        if failed {
            return None;
        }
        let refs: Vec<&DataType> = items.iter().collect();
        let common = rules::common_type(&refs).ok()?;
        let literal_list = Typed { lit: if all_strings { Lit::Str } else { Lit::NotLiteral }, ..Typed::of(common) };
        if let Err(msg) = compare_ok(&t, &literal_list) {
            self.error(
                Code::E0305,
                self.expr_span(expr),
                msg,
                "type mismatch",
                "make the list values the type of the tested expression",
            );
            return None;
        }
        let nullable = t.ty.nullable || items.iter().any(|t| t.nullable);
        Some(Typed::of(DataType::boolean().with_nullable(nullable)))
    }

    fn like(&mut self, expr: &Expr, pattern: &Expr, escape: Option<&Expr>, env: &Env) -> Option<Typed> {
        let t = self.expr(expr, env);
        let p = self.expr(pattern, env);
        let esc = match escape {
            Some(x) => Some(self.expr(x, env)?),
            None => None,
        };
        let (t, p) = (t?, p?);
        let mut nullable = t.ty.nullable || p.ty.nullable;
        for (typed, at) in [(Some(&t), expr), (Some(&p), pattern), (esc.as_ref(), escape.unwrap_or(pattern))] {
            let Some(typed) = typed else { continue };
            if !typed.ty.is_character() && !typed.ty.is_null() {
                self.error(
                    Code::E0305,
                    self.expr_span(at),
                    format!("LIKE needs strings, but this is {}", typed.ty.kind_name()),
                    "not a string",
                    "CAST it to STRING",
                );
                return None;
            }
            nullable |= typed.ty.nullable;
        }
        Some(Typed::of(DataType::boolean().with_nullable(nullable)))
    }

    fn cast(
        &mut self,
        kind: CastKind,
        x: &Expr,
        data_type: &sqlparser::ast::DataType,
        e: &Expr,
        env: &Env,
    ) -> Option<Typed> {
        let Some(target) = CastTarget::from_data_type(data_type) else {
            let what = match kind {
                CastKind::DoubleColon => "`::` casts are not Flink SQL; write CAST(x AS type)",
                _ => "this cast is not Flink SQL; write CAST(x AS type)",
            };
            self.error(
                Code::E0301,
                self.expr_span(e),
                what,
                "syntax error",
                "write CAST(x AS type) or TRY_CAST(x AS type)",
            );
            return None;
        };
        let target_span = self.loc.bytes(target.start, target.end);
        let Some(to) = target.data_type() else {
            self.error(
                Code::E0301,
                target_span,
                format!("`{}` is not a Flink type", target.text),
                "invalid type",
                "write a Flink type such as BIGINT or DECIMAL(10, 2)",
            );
            return None;
        };
        let from = self.expr(x, env)?;
        if let Err(msg) = rules::castable(&from.ty, &to) {
            self.error(Code::E0305, target_span, msg, "invalid cast", "cast to a type Flink converts this value to");
            return None;
        }
        let nullable = match kind {
            CastKind::TryCast | CastKind::SafeCast => true,
            _ => from.ty.nullable,
        };
        Some(Typed::of(to.with_nullable(nullable)))
    }

    fn case(
        &mut self,
        operand: Option<&Expr>,
        conditions: &[sqlparser::ast::CaseWhen],
        else_result: Option<&Expr>,
        e: &Expr,
        env: &Env,
    ) -> Option<Typed> {
        let op = match operand {
            Some(o) => Some(self.expr(o, env)?),
            None => None,
        };
        let mut results: Vec<(Typed, &Expr)> = Vec::new();
        let mut failed = false;
        for w in conditions {
            match (self.expr(&w.condition, env), &op) {
                (Some(c), Some(o)) => {
                    if self.expect_comparable(o, &c, &w.condition).is_none() {
                        failed = true;
                    }
                }
                (Some(c), None) => {
                    if self.expect_boolean(&c, &w.condition, "a WHEN condition").is_none() {
                        failed = true;
                    }
                }
                (None, _) => failed = true,
            }
            match self.expr(&w.result, env) {
                Some(r) => results.push((r, &w.result)),
                None => failed = true,
            }
        }
        if let Some(x) = else_result {
            match self.expr(x, env) {
                Some(r) => results.push((r, x)),
                None => failed = true,
            }
        }
        if failed {
            return None;
        }
        let types: Vec<&DataType> = results.iter().map(|(t, _)| &t.ty).collect();
        let mut ty = self.common_or_report(&types, &results.iter().map(|(_, x)| *x).collect::<Vec<_>>(), e, "CASE")?;
        if else_result.is_none() {
            ty.nullable = true;
        }
        if ty.is_null() {
            self.error(
                Code::E0305,
                self.expr_span(e),
                "every branch of the CASE is NULL, so it has no type",
                "no type",
                "CAST one branch, e.g. CAST(NULL AS STRING)",
            );
            return None;
        }
        Some(Typed::of(ty))
    }

    /// The common type of `types`, or an error at the first value that does not fit.
    pub(crate) fn common_or_report(
        &mut self,
        types: &[&DataType],
        exprs: &[&Expr],
        whole: &Expr,
        what: &str,
    ) -> Option<DataType> {
        match rules::common_type(types) {
            Ok(t) => Some(t),
            Err(NoCommonType::MixedTimestamps) => {
                self.unsupported_msg(
                    whole,
                    &format!("pipec cannot type-check {what} over both TIMESTAMP and TIMESTAMP_LTZ values yet"),
                )?;
                None
            }
            Err(NoCommonType::Mismatch) => {
                // Point at the first value that has no common type with the ones before it.
                let mut at = whole;
                for i in 1..types.len() {
                    if rules::common_type(&types[..=i]).is_err() {
                        at = exprs.get(i).copied().unwrap_or(whole);
                        break;
                    }
                }
                let kinds: Vec<String> = types.iter().filter(|t| !t.is_null()).map(|t| t.kind_name()).collect();
                self.error(
                    Code::E0305,
                    self.expr_span(at),
                    format!("the values of {what} have no common type ({})", kinds.join(", ")),
                    "type mismatch",
                    "CAST the values to one type",
                );
                None
            }
        }
    }

    fn extract(&mut self, field: &DateTimeField, x: &Expr, env: &Env) -> Option<Typed> {
        let t = self.expr(x, env)?;
        let time_of_day = matches!(
            field,
            DateTimeField::Hour
                | DateTimeField::Minute
                | DateTimeField::Second
                | DateTimeField::Millisecond
                | DateTimeField::Microsecond
                | DateTimeField::Nanosecond
        );
        let known = time_of_day
            || matches!(
                field,
                DateTimeField::Year
                    | DateTimeField::Quarter
                    | DateTimeField::Month
                    | DateTimeField::Week(None)
                    | DateTimeField::Day
                    | DateTimeField::Dow
                    | DateTimeField::Doy
                    | DateTimeField::Epoch
                    | DateTimeField::Century
                    | DateTimeField::Decade
                    | DateTimeField::Millennium
                    | DateTimeField::Isodow
                    | DateTimeField::Isoyear
            );
        if !known {
            return self.unsupported_msg(x, &format!("pipec cannot type-check EXTRACT({field} FROM ...) yet"));
        }
        let ok = match t.ty.kind {
            TypeKind::Date | TypeKind::Timestamp(_) | TypeKind::TimestampLtz(_) => true,
            TypeKind::Time(_) => time_of_day,
            _ => false,
        };
        if !ok {
            self.error(
                Code::E0305,
                self.expr_span(x),
                format!("Flink cannot extract {field} from {}", t.ty.kind_name()),
                "type mismatch",
                "extract from a DATE, TIME or TIMESTAMP value",
            );
            return None;
        }
        Some(Typed::of(DataType::bigint().with_nullable(t.ty.nullable)))
    }
}

/// Whether Flink compares two typed expressions: as [`rules::comparable`], and an integer
/// with a string literal too (Flink converts the literal: `i > '5'` plans, `i = s` does not).
fn compare_ok(a: &Typed, b: &Typed) -> Result<(), String> {
    if (a.ty.is_integer() && b.lit == Lit::Str) || (b.ty.is_integer() && a.lit == Lit::Str) {
        return Ok(());
    }
    rules::comparable(&a.ty, &b.ty)
}

/// The type of an integer literal: INT if it fits, else BIGINT, else none.
fn integer_type(n: i128) -> Option<TypeKind> {
    if i32::try_from(n).is_ok() {
        Some(TypeKind::Int)
    } else if i64::try_from(n).is_ok() {
        Some(TypeKind::BigInt)
    } else {
        None
    }
}

const UNIT_NAMES: [&str; 6] = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"];

fn unit_name(i: usize) -> &'static str {
    UNIT_NAMES.get(i).copied().unwrap_or("")
}

/// The interval unit of a field (plural spellings included), as an index into `UNIT_NAMES`.
fn interval_unit(f: &DateTimeField) -> Option<usize> {
    Some(match f {
        DateTimeField::Year | DateTimeField::Years => 0,
        DateTimeField::Month | DateTimeField::Months => 1,
        DateTimeField::Day | DateTimeField::Days => 2,
        DateTimeField::Hour | DateTimeField::Hours => 3,
        DateTimeField::Minute | DateTimeField::Minutes => 4,
        DateTimeField::Second | DateTimeField::Seconds => 5,
        _ => return None,
    })
}

/// Whether an interval literal's text fits its units, as Flink checks it.
fn interval_format_ok(text: &str, first: usize, last: usize) -> bool {
    let t = text.trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let seconds = |s: &str| match s.split_once('.') {
        Some((a, b)) => digits(a) && digits(b),
        None => digits(s),
    };
    match (first, last) {
        (f, l) if f == l && f == 5 => seconds(t),
        (f, l) if f == l => digits(t),
        (0, 1) => t.split_once('-').is_some_and(|(a, b)| digits(a) && digits(b)),
        (2, 3) => t.split_once(' ').is_some_and(|(a, b)| digits(a) && digits(b)),
        (2, 4) => t
            .split_once(' ')
            .is_some_and(|(a, b)| digits(a) && b.split_once(':').is_some_and(|(h, m)| digits(h) && digits(m))),
        (2, 5) => t.split_once(' ').is_some_and(|(a, b)| digits(a) && hms(b, &digits, &seconds)),
        (3, 4) => t.split_once(':').is_some_and(|(a, b)| digits(a) && digits(b)),
        (3, 5) => hms(t, &digits, &seconds),
        (4, 5) => t.split_once(':').is_some_and(|(a, b)| digits(a) && seconds(b)),
        _ => false,
    }
}

fn hms(s: &str, digits: &dyn Fn(&str) -> bool, seconds: &dyn Fn(&str) -> bool) -> bool {
    let mut parts = s.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(m), Some(sec)) => digits(h) && digits(m) && seconds(sec),
        _ => false,
    }
}

fn check_date(s: &str) -> bool {
    let parts: Vec<&str> = s.trim().split('-').collect();
    match parts.as_slice() {
        [y, m, d] => {
            let num = |x: &str, lo: u32, hi: u32| {
                x.chars().all(|c| c.is_ascii_digit()) && x.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v))
            };
            y.len() == 4 && num(y, 0, 9999) && num(m, 1, 12) && num(d, 1, 31)
        }
        _ => false,
    }
}

/// The fractional-second digits of a valid time literal.
fn check_time(s: &str) -> Option<u8> {
    let s = s.trim();
    let (hms, frac) = match s.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let num = |x: &str, hi: u32| {
        !x.is_empty()
            && x.len() <= 2
            && x.chars().all(|c| c.is_ascii_digit())
            && x.parse::<u32>().is_ok_and(|v| v <= hi)
    };
    let ok = match parts.as_slice() {
        [h, m, sec] => num(h, 23) && num(m, 59) && num(sec, 59),
        _ => false,
    };
    if !ok {
        return None;
    }
    match frac {
        None => Some(0),
        Some(f) if !f.is_empty() && f.len() <= 9 && f.chars().all(|c| c.is_ascii_digit()) => Some(f.len() as u8),
        Some(_) => None,
    }
}

/// A short description of an expression for messages.
pub(crate) fn short(e: &Expr) -> String {
    let s = e.to_string();
    if s.chars().count() > 60 { format!("{}...", s.chars().take(57).collect::<String>()) } else { s }
}

pub(crate) fn list(names: &[&str]) -> String {
    if names.is_empty() {
        return "none".to_string();
    }
    let shown: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
    let more = if names.len() > 12 { format!(" and {} more", names.len() - 12) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}

fn list_owned(names: &[String]) -> String {
    let v: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
    list(&v)
}
