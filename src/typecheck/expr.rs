//! Typing of scalar expressions: literals, column references (with ROW field, array and map
//! access), operators, CAST, CASE, the predicates, constructors (ARRAY, MAP, ROW) and
//! subqueries. Functions and aggregates are in `functions.rs` and `builtins.rs`.

use sqlparser::ast::{
    BinaryOperator, CastKind, DateTimeField, Expr, Ident, Spanned, TypedString, UnaryOperator, Value,
};
use sqlparser::tokenizer::Token;

use super::TimeAttr;
use super::builtins::Want;
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
            // `UNKNOWN` is the SQL boolean literal for NULL.
            Expr::Identifier(i) if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("UNKNOWN") => {
                Some(Typed::literal(DataType::boolean(), Lit::Other))
            }
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) => self.column_ref(e, env),
            Expr::Value(v) => self.value(&v.value, self.loc.span(v.span)),
            Expr::TypedString(ts) => self.typed_string(ts),
            Expr::Interval(iv) => self.interval(iv, e),
            Expr::Nested(inner) => self.expr(inner, env),
            Expr::UnaryOp { op, expr } => self.unary(*op, expr, e, env),
            Expr::BinaryOp { .. } => self.binary_chain(e, env),
            Expr::IsNull(x) | Expr::IsNotNull(x) => {
                if let Some(columns) = descriptor_columns(x) {
                    // A DESCRIPTOR is a list of columns, never NULL; Flink accepts the test.
                    for c in columns {
                        self.expr(c, env)?;
                    }
                } else {
                    self.expr(x, env)?;
                }
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
                for (bound, at) in [(&lo, low), (&hi, high)] {
                    if let Err(msg) = order_ok(&t, bound) {
                        self.error(
                            Code::E0305,
                            self.expr_span(at),
                            msg,
                            "type mismatch",
                            "CAST one side to the type of the other",
                        );
                        return None;
                    }
                }
                let nullable = t.ty.nullable || lo.ty.nullable || hi.ty.nullable;
                Some(Typed::of(DataType::boolean().with_nullable(nullable)))
            }
            Expr::Like { negated: _, any, expr, pattern, escape_char } => {
                if *any {
                    self.error(
                        Code::E0301,
                        self.expr_span(e),
                        "LIKE ANY is not Flink SQL",
                        "not Flink SQL",
                        "combine LIKE conditions with OR",
                    );
                    return None;
                }
                self.like(expr, pattern, escape_char.as_deref(), env)
            }
            Expr::SimilarTo { negated: _, expr, pattern, escape_char } => {
                self.like(expr, pattern, escape_char.as_ref().map(|_| pattern.as_ref()), env)
            }
            Expr::ILike { .. } | Expr::RLike { .. } => {
                // Flink: "No match found for function signature ILIKE".
                self.error(
                    Code::E0307,
                    self.expr_span(e),
                    "Flink 1.20 has no ILIKE or RLIKE",
                    "not a Flink operator",
                    "write LOWER(s) LIKE 'pattern', or REGEXP(s, 'regex')",
                );
                None
            }
            Expr::Cast { kind, expr, data_type, format } => {
                if format.is_some() {
                    self.error(
                        Code::E0301,
                        self.expr_span(e),
                        "CAST ... FORMAT is not Flink SQL",
                        "not Flink SQL",
                        "write CAST(x AS type)",
                    );
                    return None;
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
                    self.error(
                        Code::E0301,
                        self.expr_span(e),
                        "TRIM with a list of characters is not Flink SQL",
                        "not Flink SQL",
                        "write TRIM(BOTH 'x' FROM s)",
                    );
                    return None;
                }
                self.trim(expr, trim_what.as_deref(), env)
            }
            Expr::Ceil { expr, field } | Expr::Floor { expr, field } => self.ceil_floor(e, expr, field, env),
            Expr::Position { expr, r#in } => {
                let a = self.expr(expr, env);
                let b = self.expr(r#in, env);
                let (a, b) = (a?, b?);
                self.want("POSITION", Want::Str, &a, expr)?;
                self.want("POSITION", Want::Str, &b, r#in)?;
                Some(Typed::of(DataType::int().with_nullable(a.ty.nullable || b.ty.nullable)))
            }
            Expr::Overlay { expr, overlay_what, overlay_from, overlay_for } => {
                let mut parts: Vec<(&Expr, Want)> =
                    vec![(expr, Want::Str), (overlay_what, Want::Str), (overlay_from, Want::Int)];
                if let Some(f) = overlay_for {
                    parts.push((f, Want::Int));
                }
                let mut nullable = false;
                for (x, w) in parts {
                    let t = self.expr(x, env)?;
                    self.want("OVERLAY", w, &t, x)?;
                    nullable |= t.ty.nullable;
                }
                Some(Typed::of(DataType::string().with_nullable(nullable)))
            }
            Expr::IsJson { expr, .. } => {
                let t = self.expr(expr, env)?;
                self.want("IS JSON", Want::Str, &t, expr)?;
                Some(Typed::of(DataType::boolean().not_null()))
            }
            Expr::InSubquery { expr, subquery, negated } => self.in_subquery(e, expr, subquery, *negated, env),
            Expr::Exists { subquery, negated } => self.exists_subquery(e, subquery, *negated, env),
            Expr::Subquery(q) => self.scalar_subquery(e, q, env),
            Expr::AnyOp { left, compare_op, right, .. } => {
                self.quantified_subquery(e, left, compare_op, right, true, env)
            }
            Expr::AllOp { left, compare_op, right } => self.quantified_subquery(e, left, compare_op, right, false, env),
            Expr::Array(arr) => self.array_constructor(e, &arr.elem, env),
            Expr::Map(m) => self.map_constructor(e, m, env),
            Expr::Tuple(items) => {
                let mut typed = Vec::with_capacity(items.len());
                for x in items {
                    typed.push(self.expr(x, env)?);
                }
                let refs: Vec<&Expr> = items.iter().collect();
                self.row_of(&refs, &typed)
            }
            Expr::CompoundFieldAccess { root, access_chain } => self.field_access(e, root, access_chain, env),
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
        // A column of this query, or of an enclosing one (a correlated subquery).
        match locate(env.scope, &parts) {
            Ok((idx, used)) => {
                let col = env.scope.cols.get(idx)?;
                let base = Typed { ty: col.ty.clone(), time: col.time, col: Some(idx), lit: Lit::NotLiteral };
                return self.fields(base, parts.get(used..).unwrap_or(&[]));
            }
            Err(Located::Ambiguous) => {}
            Err(Located::Unknown) => {
                let outer: Option<(DataType, usize)> = self.outer.iter().rev().find_map(|scope| {
                    locate(scope, &parts).ok().and_then(|(idx, used)| scope.cols.get(idx).map(|c| (c.ty.clone(), used)))
                });
                if let Some((ty, used)) = outer {
                    return self.fields(Typed::of(ty), parts.get(used..).unwrap_or(&[]));
                }
                // PI is a function that Flink calls without parentheses too.
                if let [one] = parts.as_slice()
                    && one.quote_style.is_none()
                    && one.value.eq_ignore_ascii_case("PI")
                {
                    return Some(Typed::of(DataType::new(TypeKind::Double).not_null()));
                }
            }
        }
        // Report with the best message.
        let idx = match parts.as_slice() {
            [name] => self.resolve_column(None, name, env)?,
            [qualifier, name, ..] => self.resolve_column(Some(qualifier), name, env)?,
            [] => return None,
        };
        let col = env.scope.cols.get(idx)?;
        Some(Typed { ty: col.ty.clone(), time: col.time, col: Some(idx), lit: Lit::NotLiteral })
    }

    /// Reads ROW fields (`r.a.b`) from a typed value: a field is nullable when it or its row
    /// is.
    fn fields(&mut self, mut t: Typed, names: &[&Ident]) -> Option<Typed> {
        for f in names {
            let TypeKind::Row(fields) = &t.ty.kind else {
                self.error(
                    Code::E0303,
                    self.ident_span(f),
                    format!("`{}` is a field access on {}, which has no fields", f.value, t.ty.kind_name()),
                    "not a ROW",
                    "access fields of ROW columns only",
                );
                return None;
            };
            let Some(field) = fields.iter().find(|x| x.name == f.value) else {
                let names: Vec<&str> = fields.iter().map(|x| x.name.as_str()).collect();
                let mut help = format!("the fields are {}", list(&names));
                if let Some(s) = did_you_mean(&f.value, names.iter().copied()) {
                    help = format!("did you mean `{s}`? ({help})");
                }
                // Flink: "Column 'r.c' not found in table 't'".
                self.error(
                    Code::E0303,
                    self.ident_span(f),
                    format!("unknown field `{}`", f.value),
                    "no such field",
                    help,
                );
                return None;
            };
            let nullable = t.ty.nullable || field.ty.nullable;
            t = Typed::of(field.ty.clone().with_nullable(nullable));
        }
        Some(t)
    }

    /// `arr[i]`, `m[k]` and `.field` after any expression.
    fn field_access(
        &mut self,
        e: &Expr,
        root: &Expr,
        chain: &[sqlparser::ast::AccessExpr],
        env: &Env,
    ) -> Option<Typed> {
        use sqlparser::ast::{AccessExpr, Subscript};
        let mut t = self.expr(root, env)?;
        for a in chain {
            match a {
                AccessExpr::Dot(Expr::Identifier(i)) => t = self.fields(t, &[i])?,
                AccessExpr::Subscript(Subscript::Index { index }) => {
                    let it = self.expr(index, env)?;
                    t = match &t.ty.kind {
                        TypeKind::Array(el) => {
                            if !it.ty.is_integer() {
                                // Flink: "Cannot apply 'ITEM' to arguments of type
                                // 'ITEM(<ARRAY>, <CHAR(1)>)'".
                                self.error(
                                    Code::E0305,
                                    self.expr_span(index),
                                    format!("an array index is an integer, but this is {}", it.ty.kind_name()),
                                    "not an integer",
                                    "index arrays from 1: arr[1]",
                                );
                                return None;
                            }
                            if it.lit == Lit::Int(0) || matches!(it.lit, Lit::Int(n) if n < 0) {
                                // Flink: "Array element access needs an index starting at 1".
                                self.error(
                                    Code::E0305,
                                    self.expr_span(index),
                                    "Flink arrays are indexed from 1",
                                    "index below 1",
                                    "write arr[1] for the first element",
                                );
                                return None;
                            }
                            Typed::of((**el).clone().nullable())
                        }
                        TypeKind::Map(k, v) => {
                            if compare_ok(&Typed::of((**k).clone()), &it).is_err() {
                                self.error(
                                    Code::E0305,
                                    self.expr_span(index),
                                    format!("the map's keys are {}, but this is {}", k.kind_name(), it.ty.kind_name()),
                                    "wrong key type",
                                    "look the map up with a key of its key type",
                                );
                                return None;
                            }
                            Typed::of((**v).clone().nullable())
                        }
                        TypeKind::Row(fields) if it.lit == Lit::Str || matches!(it.lit, Lit::Int(_)) => {
                            let field = match (&it.lit, index) {
                                (Lit::Int(n), _) => {
                                    usize::try_from(*n).ok().and_then(|n| n.checked_sub(1)).and_then(|n| fields.get(n))
                                }
                                (_, Expr::Value(v)) => match &v.value {
                                    sqlparser::ast::Value::SingleQuotedString(s) => {
                                        fields.iter().find(|f| f.name == *s)
                                    }
                                    _ => None,
                                },
                                _ => None,
                            };
                            let Some(field) = field else {
                                self.error(
                                    Code::E0303,
                                    self.expr_span(index),
                                    "no such field",
                                    "unknown field",
                                    "name a field of the ROW",
                                );
                                return None;
                            };
                            let nullable = t.ty.nullable || field.ty.nullable;
                            Typed::of(field.ty.clone().with_nullable(nullable))
                        }
                        _ => {
                            self.error(
                                Code::E0305,
                                self.expr_span(root),
                                format!("`[...]` reads an ARRAY or a MAP, but this is {}", t.ty.kind_name()),
                                "not an array or map",
                                "index an array or look up a map",
                            );
                            return None;
                        }
                    };
                }
                _ => {
                    self.error(
                        Code::E0301,
                        self.expr_span(e),
                        "this element access is not Flink SQL",
                        "not Flink SQL",
                        "write arr[1], m['key'] or row_column.field",
                    );
                    return None;
                }
            }
        }
        Some(t)
    }

    /// `ARRAY[a, b, ...]`: an array of the elements' common type, NOT NULL.
    fn array_constructor(&mut self, e: &Expr, items: &[Expr], env: &Env) -> Option<Typed> {
        if items.is_empty() {
            self.error(
                Code::E0305,
                self.expr_span(e),
                "an empty ARRAY[] has no type",
                "no type",
                "write CAST(ARRAY[] ...) or give an element",
            );
            return None;
        }
        let mut typed = Vec::with_capacity(items.len());
        for x in items {
            typed.push(self.expr(x, env)?);
        }
        let types: Vec<&DataType> = typed.iter().map(|t| &t.ty).collect();
        let refs: Vec<&Expr> = items.iter().collect();
        let el = match rules::common_type(&types) {
            Err(NoCommonType::MixedTimestamps) => {
                let p = types
                    .iter()
                    .filter_map(|t| match t.kind {
                        TypeKind::Timestamp(p) | TypeKind::TimestampLtz(p) => Some(p),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(3);
                DataType { kind: TypeKind::TimestampLtz(p), nullable: types.iter().any(|t| t.nullable) }
            }
            _ => self.common_or_report(&types, &refs, e, "ARRAY[...]")?,
        };
        if el.is_null() {
            self.error(
                Code::E0305,
                self.expr_span(e),
                "an ARRAY of NULLs has no type",
                "no type",
                "CAST one element, e.g. CAST(NULL AS INT)",
            );
            return None;
        }
        Some(Typed::of(DataType::new(TypeKind::Array(Box::new(el))).not_null()))
    }

    /// `MAP[k1, v1, k2, v2, ...]`: a map of the keys' and the values' common types, NOT NULL.
    fn map_constructor(&mut self, e: &Expr, m: &sqlparser::ast::Map, env: &Env) -> Option<Typed> {
        let mut keys = Vec::new();
        let mut values = Vec::new();
        for entry in &m.entries {
            keys.push((self.expr(&entry.key, env)?, entry.key.as_ref()));
            values.push((self.expr(&entry.value, env)?, entry.value.as_ref()));
        }
        let mut out = Vec::new();
        for part in [&keys, &values] {
            let types: Vec<&DataType> = part.iter().map(|(t, _)| &t.ty).collect();
            let exprs: Vec<&Expr> = part.iter().map(|(_, x)| *x).collect();
            let ty = self.common_or_report(&types, &exprs, e, "MAP[...]")?;
            if ty.is_null() {
                self.error(
                    Code::E0305,
                    self.expr_span(e),
                    "a MAP of NULLs has no type",
                    "no type",
                    "CAST a key and a value",
                );
                return None;
            }
            out.push(ty);
        }
        let (Some(v), Some(k)) = (out.pop(), out.pop()) else { return None };
        Some(Typed::of(DataType::new(TypeKind::Map(Box::new(k), Box::new(v))).not_null()))
    }

    /// Finds a column in the scope: by name, or by qualifier and name.
    fn resolve_column(&mut self, qualifier: Option<&Ident>, name: &Ident, env: &Env) -> Option<usize> {
        let scope = env.scope;
        let span = self.ident_span(name);
        if let Some(q) = qualifier {
            let Some(table) = scope.tables.iter().find(|t| t.qualifier.as_deref() == Some(q.value.as_str())) else {
                // A qualifier that names no table may be an ambiguous ROW column.
                if scope.cols.iter().filter(|c| c.name == q.value).count() > 1 {
                    self.error(
                        Code::E0304,
                        self.ident_span(q),
                        format!("column `{}` is ambiguous", q.value),
                        "ambiguous column",
                        "qualify it with the table or alias, e.g. `t.col.field`",
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

    pub(crate) fn unknown_column(&mut self, name: &str, span: Span, candidates: &[&str], qualifier: Option<&str>) {
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
        // The leading field has a precision (2 digits unless given, as in DAY(3)): Flink
        // refuses `INTERVAL '100' DAY` ("Interval field value 100 exceeds precision of DAY(2)
        // field").
        let precision = iv.leading_precision.unwrap_or(2);
        let lead_digits: String =
            text.trim().trim_start_matches(['-', '+']).chars().take_while(|c| c.is_ascii_digit()).collect();
        let lead_value = lead_digits.parse::<u128>().unwrap_or(u128::MAX);
        if precision < 38 && lead_value >= 10u128.pow(precision as u32) {
            self.error(
                Code::E0305,
                value_span,
                format!(
                    "interval field value {lead_digits} exceeds the precision of {}({precision})",
                    unit_name(first)
                ),
                "too many digits",
                format!(
                    "give the unit a precision, e.g. INTERVAL '{lead_digits}' {}({}), or use a larger unit",
                    unit_name(first),
                    lead_digits.len().max(3)
                ),
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
        if matches!(arith, Some(Arith::Divide))
            && is_zero_number(right)
            && matches!(l.lit, Lit::Int(_) | Lit::Other)
            && l.ty.is_numeric()
        {
            // Flink folds a division of literals while planning, and fails on a zero
            // divisor ("Division by zero"; confirmed against Flink 1.20's planner: `1 / 0` and
            // `1.0 / 0`, `1 / 0.0` fail, `i / 0` and `1 % 0` plan).
            let span = self.operator_span(left, right, token_of(op));
            self.error(
                Code::E0305,
                span,
                "this division of literals by zero fails when Flink plans the query",
                "division by zero",
                "divide by a non-zero number",
            );
            return None;
        }
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
                let check =
                    if matches!(op, BinaryOperator::Eq | BinaryOperator::NotEq) { compare_ok } else { order_ok };
                if let Err(msg) = check(&l, &r) {
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
        if let Err(msg) = order_ok(&t, &literal_list) {
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
        let mut ty = match rules::case_timestamps(&types) {
            Some(t) => t,
            None => self.common_or_report(&types, &results.iter().map(|(_, x)| *x).collect::<Vec<_>>(), e, "CASE")?,
        };
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
                    if types.get(..=i).is_some_and(|prefix| rules::common_type(prefix).is_err()) {
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
pub(crate) fn compare_ok(a: &Typed, b: &Typed) -> Result<(), String> {
    rules::comparable(&a.ty, &b.ty)
}

/// Whether Flink orders two typed expressions (`<`, `<=`, `>`, `>=`, BETWEEN, an IN list):
/// as [`compare_ok`], and also a string with a number, which it converts (confirmed against
/// Flink 1.20's planner: `s > 1`, `s BETWEEN 1 AND 5` and `s IN (1, 2)` plan, while `s = 1`
/// fails with "implicit type conversion between VARCHAR and INTEGER is not supported now").
pub(crate) fn order_ok(a: &Typed, b: &Typed) -> Result<(), String> {
    if (a.ty.is_character() && b.ty.is_numeric()) || (a.ty.is_numeric() && b.ty.is_character()) {
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
            if !(y.len() == 4 && num(y, 0, 9999) && num(m, 1, 12) && num(d, 1, 31)) {
                return false;
            }
            // Flink refuses days beyond the month's end (`DATE '2020-02-30'`).
            let (year, month, day) =
                (y.parse::<u32>().unwrap_or(0), m.parse::<u32>().unwrap_or(1), d.parse::<u32>().unwrap_or(1));
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            day <= days
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

/// Why a name did not resolve.
enum Located {
    Unknown,
    Ambiguous,
}

/// Finds the column a dotted name starts with, without reporting: `t.c...` (a qualifier and a
/// column) or `c...` (a column); returns the column and how many parts name it.
fn locate(scope: &super::query::Scope, parts: &[&Ident]) -> Result<(usize, usize), Located> {
    let Some(first) = parts.first() else { return Err(Located::Unknown) };
    if let (Some(second), Some(t)) =
        (parts.get(1), scope.tables.iter().find(|t| t.qualifier.as_deref() == Some(first.value.as_str())))
    {
        let hits: Vec<usize> =
            (t.start..t.start + t.len).filter(|&i| scope.cols.get(i).is_some_and(|c| c.name == second.value)).collect();
        return match hits.as_slice() {
            [one] => Ok((*one, 2)),
            [] => Err(Located::Unknown),
            _ => Err(Located::Ambiguous),
        };
    }
    let hits: Vec<usize> = scope
        .cols
        .iter()
        .enumerate()
        .filter(|(i, c)| c.name == first.value && !scope.hidden.contains(i))
        .map(|(i, _)| i)
        .collect();
    match hits.as_slice() {
        [one] => Ok((*one, 1)),
        [] => Err(Located::Unknown),
        _ => Err(Located::Ambiguous),
    }
}

/// Whether an expression is a number literal equal to zero (`0`, `0.0`, `(0)`).
fn is_zero_number(e: &Expr) -> bool {
    match e {
        Expr::Nested(x) => is_zero_number(x),
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::Number(n, _) => n.parse::<f64>().is_ok_and(|x| x == 0.0),
            _ => false,
        },
        _ => false,
    }
}

/// The column operands of `DESCRIPTOR(a, b, ...)`, when the expression is one.
fn descriptor_columns(e: &Expr) -> Option<Vec<&Expr>> {
    let Expr::Function(f) = e else { return None };
    if !f.name.to_string().eq_ignore_ascii_case("DESCRIPTOR") {
        return None;
    }
    let sqlparser::ast::FunctionArguments::List(list) = &f.args else { return None };
    list.args
        .iter()
        .map(|a| match a {
            sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(x @ Expr::Identifier(_))) => {
                Some(x)
            }
            _ => None,
        })
        .collect()
}
