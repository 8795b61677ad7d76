//! Typing of queries: FROM and joins, WHERE, GROUP BY and HAVING, the select list, DISTINCT,
//! UNION ALL and WITH, with the changelog mode and unique key of every intermediate relation.

use std::ops::ControlFlow;

use sqlparser::ast::{
    self, BinaryOperator, Distinct, Expr, GroupByExpr, JoinConstraint, JoinOperator, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, SetOperator, SetQuantifier, Spanned, TableAlias, TableFactor,
    TableWithJoins, Visit, Visitor, WildcardAdditionalOptions,
};
use sqlparser::tokenizer::TokenWithSpan;

use super::expr::{Lit, Typed, list};
use super::functions::is_aggregate_call;
use super::rules::{self, NoCommonType};
use super::types::DataType;
use super::{Changelog, Column, Locator, Relation, TimeAttr};
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::source::Span;

/// How deeply queries may nest (subqueries, CTEs, parenthesized set operations).
const MAX_QUERY_DEPTH: usize = 64;

/// A column of an intermediate relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Col {
    pub(crate) name: String,
    pub(crate) ty: DataType,
    pub(crate) time: Option<TimeAttr>,
}

/// An intermediate relation: columns, changelog mode, a unique key by column index, and the
/// operator that made it updating.
#[derive(Debug, Clone)]
pub(crate) struct Rel {
    cols: Vec<Col>,
    changelog: Changelog,
    key: Option<Vec<usize>>,
    cause: Option<String>,
}

/// A table of the FROM clause as expressions see it: its qualifier and its columns' place in
/// the joined row.
#[derive(Debug, Clone)]
pub(crate) struct ScopeTable {
    pub(crate) qualifier: Option<String>,
    pub(crate) start: usize,
    pub(crate) len: usize,
}

/// The columns visible to expressions: the joined row of the FROM clause.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    pub(crate) tables: Vec<ScopeTable>,
    pub(crate) cols: Vec<Col>,
}

impl Scope {
    /// The table a scope column belongs to.
    pub(crate) fn table_of(&self, col: usize) -> Option<&ScopeTable> {
        self.tables.iter().find(|t| col >= t.start && col < t.start + t.len)
    }
}

/// The FROM clause so far: its scope and the relation it forms.
struct Source {
    scope: Scope,
    rel: Rel,
}

/// A GROUP BY expression with its type.
#[derive(Debug, Clone)]
pub(crate) struct GroupKey {
    pub(crate) expr: Expr,
    pub(crate) typed: Typed,
}

/// What aggregation allows where an expression stands.
pub(crate) enum AggMode<'s> {
    /// A SELECT without aggregation.
    Plain,
    /// A clause where aggregates are not allowed; the text names it.
    Forbidden(&'static str),
    /// The select list or HAVING of an aggregation: columns must be grouped.
    Grouped(&'s [GroupKey]),
    /// The arguments of an aggregate call.
    InAggregate,
}

/// The environment of an expression: the columns in scope and the aggregation rules.
pub(crate) struct Env<'s> {
    pub(crate) scope: &'s Scope,
    pub(crate) agg: AggMode<'s>,
}

/// The kinds of regular join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JoinKind {
    Inner,
    Left,
    Right,
    Full,
}

impl JoinKind {
    fn keyword(self) -> &'static str {
        match self {
            JoinKind::Inner => "INNER JOIN",
            JoinKind::Left => "LEFT JOIN",
            JoinKind::Right => "RIGHT JOIN",
            JoinKind::Full => "FULL JOIN",
        }
    }
}

fn no_tables(_: &str) -> Option<Relation> {
    None
}

/// Checks one query; see [`super::check_query`].
pub(crate) struct QueryChecker<'a> {
    pub(crate) loc: Locator<'a>,
    pub(crate) tokens: &'a [TokenWithSpan],
    relations: &'a dyn Fn(&str) -> Option<Relation>,
    names: &'a [&'a str],
    owner: &'a str,
    diags: &'a mut Diagnostics,
    pub(crate) depth: usize,
    pub(crate) too_deep: bool,
    query_depth: usize,
    /// CTEs in scope, innermost last.
    ctes: Vec<(String, Rel)>,
    /// Spans already reported (unquoted reserved words): nothing more is said about them.
    pub(crate) quiet: Vec<Span>,
}

/// Types a computed column's expression against its table's columns.
pub(crate) fn check_computed(
    loc: Locator,
    tokens: &[TokenWithSpan],
    columns: &[Column],
    expr: &Expr,
    quiet: Vec<Span>,
    diags: &mut Diagnostics,
) -> Option<Typed> {
    let mut c = QueryChecker::new(loc, tokens, &no_tables, &[], "a computed column", diags);
    c.quiet = quiet;
    let cols: Vec<Col> = columns.iter().map(|c| Col { name: c.name.clone(), ty: c.ty.clone(), time: c.time }).collect();
    let scope = Scope { tables: vec![ScopeTable { qualifier: None, start: 0, len: cols.len() }], cols };
    let env = Env { scope: &scope, agg: AggMode::Forbidden("a computed column") };
    let t = c.expr(expr, &env)?;
    if t.ty.is_null() {
        c.error(
            Code::E0311,
            c.expr_span(expr),
            "a computed column cannot be a bare NULL",
            "no type",
            "write CAST(NULL AS type)",
        );
        return None;
    }
    Some(t)
}

impl<'a> QueryChecker<'a> {
    pub(crate) fn new(
        loc: Locator<'a>,
        tokens: &'a [TokenWithSpan],
        relations: &'a dyn Fn(&str) -> Option<Relation>,
        names: &'a [&'a str],
        owner: &'a str,
        diags: &'a mut Diagnostics,
    ) -> QueryChecker<'a> {
        QueryChecker {
            loc,
            tokens,
            relations,
            names,
            owner,
            diags,
            depth: 0,
            too_deep: false,
            query_depth: 0,
            ctes: Vec::new(),
            quiet: Vec::new(),
        }
    }

    /// Reports a diagnostic.
    pub(crate) fn error(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let covered = |q: &Span| q.file == span.file && q.start <= span.start && span.end <= q.end;
        if self.quiet.iter().any(covered) {
            return;
        }
        self.diags.push(Diagnostic::new(code, span, message).label(label).help(help));
    }

    fn unsupported_at(&mut self, span: Span, message: impl Into<String>) {
        self.error(
            Code::E0306,
            span,
            message,
            "not supported yet",
            "rewrite the query with supported constructs, or report it so that pipec learns it",
        );
    }

    /// The query's relation, with output names made unique as Flink makes them (`id`, `id0`).
    pub(crate) fn check_top(&mut self, q: &ast::Query) -> Option<Relation> {
        let rel = self.query(q)?;
        let mut used: Vec<String> = Vec::new();
        let mut columns = Vec::with_capacity(rel.cols.len());
        for c in &rel.cols {
            let mut name = c.name.clone();
            if used.contains(&name) {
                let mut i = 0usize;
                while used.contains(&format!("{}{i}", c.name))
                    || rel.cols.iter().any(|o| o.name == format!("{}{i}", c.name))
                {
                    i += 1;
                }
                name = format!("{}{i}", c.name);
            }
            used.push(name.clone());
            columns.push(Column { name, ty: c.ty.clone(), time: c.time });
        }
        let unique_key =
            rel.key.as_ref().map(|k| k.iter().filter_map(|&i| columns.get(i).map(|c| c.name.clone())).collect());
        Some(Relation {
            columns,
            changelog: rel.changelog,
            unique_key,
            updating_cause: if rel.changelog == Changelog::Insert { None } else { rel.cause },
        })
    }

    fn query(&mut self, q: &ast::Query) -> Option<Rel> {
        if self.query_depth >= MAX_QUERY_DEPTH {
            self.error(
                Code::E0901,
                self.loc.span(q.span()),
                "the query is nested too deeply",
                "too deep",
                "split the query into transforms",
            );
            return None;
        }
        self.query_depth += 1;
        let mark = self.ctes.len();
        let r = self.query_inner(q);
        self.ctes.truncate(mark);
        self.query_depth -= 1;
        r
    }

    fn query_inner(&mut self, q: &ast::Query) -> Option<Rel> {
        let mut ok = true;
        if let Some(ob) = &q.order_by {
            self.unsupported_at(self.loc.span(ob.span()), "ORDER BY is not type-checked yet");
            ok = false;
        }
        if let Some(l) = &q.limit_clause {
            self.unsupported_at(self.loc.span(l.span()), "LIMIT and OFFSET are not type-checked yet");
            ok = false;
        }
        if let Some(f) = &q.fetch {
            self.unsupported_at(self.loc.span(f.span()), "FETCH is not type-checked yet");
            ok = false;
        }
        if !q.locks.is_empty()
            || q.for_clause.is_some()
            || q.settings.is_some()
            || q.format_clause.is_some()
            || !q.pipe_operators.is_empty()
        {
            self.error(
                Code::E0301,
                self.loc.span(q.span()),
                "this query uses syntax that is not Flink SQL",
                "not Flink SQL",
                "write a plain SELECT query",
            );
            ok = false;
        }
        if let Some(with) = &q.with {
            if with.recursive {
                self.unsupported_at(self.loc.span(with.span()), "WITH RECURSIVE is not Flink SQL");
                return None;
            }
            for cte in &with.cte_tables {
                let name = cte.alias.name.value.clone();
                match self.query(&cte.query) {
                    Some(rel) => match self.apply_alias_columns(rel, &cte.alias) {
                        Some(rel) => self.ctes.push((name, rel)),
                        None => ok = false,
                    },
                    None => ok = false,
                }
            }
        }
        let body = self.set_expr(&q.body);
        if ok { body } else { None }
    }

    fn set_expr(&mut self, s: &SetExpr) -> Option<Rel> {
        match s {
            SetExpr::Select(sel) => self.select(sel),
            SetExpr::Query(q) => self.query(q),
            SetExpr::SetOperation { left, op, set_quantifier, right } => {
                if *op == SetOperator::Union && *set_quantifier == SetQuantifier::All {
                    return self.union_all(left, right);
                }
                let what = match op {
                    SetOperator::Union => "UNION without ALL",
                    SetOperator::Intersect => "INTERSECT",
                    SetOperator::Except | SetOperator::Minus => "EXCEPT",
                };
                self.unsupported_at(self.loc.span(right.span()), format!("{what} is not type-checked yet"));
                None
            }
            SetExpr::Values(v) => {
                self.unsupported_at(self.loc.span(s.span().union(&v.span())), "VALUES is not type-checked yet");
                None
            }
            _ => {
                self.error(
                    Code::E0309,
                    self.loc.span(s.span()),
                    "a transform or sink takes a query, not a statement",
                    "not a query",
                    "write a SELECT query",
                );
                None
            }
        }
    }

    fn union_all(&mut self, left: &SetExpr, right: &SetExpr) -> Option<Rel> {
        let l = self.set_expr(left);
        let r = self.set_expr(right);
        let (l, r) = (l?, r?);
        let right_span = self.loc.span(right.span());
        if l.cols.len() != r.cols.len() {
            self.error(
                Code::E0305,
                right_span,
                format!("the branches of UNION ALL have {} and {} columns", l.cols.len(), r.cols.len()),
                "column count mismatch",
                "select the same number of columns in every branch",
            );
            return None;
        }
        let right_items: Option<&Vec<SelectItem>> = match right {
            SetExpr::Select(sel) => Some(&sel.projection),
            _ => None,
        };
        let mut cols = Vec::with_capacity(l.cols.len());
        let mut failed = false;
        for (i, (a, b)) in l.cols.iter().zip(&r.cols).enumerate() {
            let at = right_items.and_then(|items| items.get(i)).map_or(right_span, |item| self.loc.span(item.span()));
            match rules::common_type(&[&a.ty, &b.ty]) {
                Ok(ty) => {
                    cols.push(Col { name: a.name.clone(), ty, time: if a.time == b.time { a.time } else { None } })
                }
                Err(NoCommonType::MixedTimestamps) => {
                    self.unsupported_at(
                        at,
                        format!(
                            "pipec cannot type-check UNION ALL of TIMESTAMP and TIMESTAMP_LTZ in column {} yet",
                            i + 1
                        ),
                    );
                    failed = true;
                }
                Err(NoCommonType::Mismatch) => {
                    self.error(
                        Code::E0305,
                        at,
                        format!(
                            "type mismatch in column {} (`{}`) of UNION ALL: {} and {}",
                            i + 1,
                            a.name,
                            a.ty.kind_name(),
                            b.ty.kind_name()
                        ),
                        "type mismatch",
                        "CAST the column to one type in every branch",
                    );
                    failed = true;
                }
            }
        }
        if failed {
            return None;
        }
        let (changelog, cause) =
            if r.changelog > l.changelog { (r.changelog, r.cause) } else { (l.changelog, l.cause.or(r.cause)) };
        Some(Rel { cols, changelog, key: None, cause })
    }

    fn apply_alias_columns(&mut self, mut rel: Rel, alias: &TableAlias) -> Option<Rel> {
        if alias.columns.is_empty() {
            return Some(rel);
        }
        if alias.columns.len() != rel.cols.len() {
            self.error(
                Code::E0305,
                self.ident_span(&alias.name),
                format!(
                    "the alias `{}` names {} columns, but the relation has {}",
                    alias.name.value,
                    alias.columns.len(),
                    rel.cols.len()
                ),
                "column count mismatch",
                "name every column of the relation",
            );
            return None;
        }
        for (c, a) in rel.cols.iter_mut().zip(&alias.columns) {
            if a.data_type.is_some() {
                self.unsupported_at(self.ident_span(&a.name), "typed column aliases are not Flink SQL");
                return None;
            }
            c.name = a.name.value.clone();
        }
        Some(rel)
    }

    fn rel_of_relation(r: Relation) -> Rel {
        let cols: Vec<Col> = r.columns.into_iter().map(|c| Col { name: c.name, ty: c.ty, time: c.time }).collect();
        let key = r.unique_key.and_then(|k| k.iter().map(|n| cols.iter().position(|c| c.name == *n)).collect());
        Rel { cols, changelog: r.changelog, key, cause: r.updating_cause }
    }

    fn source_of(rel: Rel, qualifier: Option<String>) -> Source {
        let scope =
            Scope { tables: vec![ScopeTable { qualifier, start: 0, len: rel.cols.len() }], cols: rel.cols.clone() };
        Source { scope, rel }
    }

    fn factor(&mut self, f: &TableFactor) -> Option<Source> {
        let span = self.loc.span(f.span());
        match f {
            TableFactor::Table {
                name,
                alias,
                args,
                with_hints: _,
                version,
                with_ordinality,
                partitions,
                json_path,
                sample,
                index_hints,
            } => {
                let parts: Vec<&ast::Ident> = name.0.iter().filter_map(|p| p.as_ident()).collect();
                let name_span = match (parts.first(), parts.last()) {
                    (Some(a), Some(b)) => self.loc.span(a.span.union(&b.span)),
                    _ => span,
                };
                if version.is_some() {
                    self.unsupported_at(
                        name_span,
                        "temporal and lookup joins (FOR SYSTEM_TIME AS OF) are not type-checked yet",
                    );
                    return None;
                }
                if args.is_some()
                    || *with_ordinality
                    || !partitions.is_empty()
                    || json_path.is_some()
                    || sample.is_some()
                    || !index_hints.is_empty()
                {
                    self.unsupported_at(span, "this table reference is not Flink SQL pipec can type-check");
                    return None;
                }
                let [single] = parts.as_slice() else {
                    self.error(
                        Code::E0302,
                        name_span,
                        format!("unknown table `{name}`"),
                        "not a source or transform",
                        "refer to a source or transform of this pipeline by its name",
                    );
                    return None;
                };
                let table = single.value.as_str();
                let rel = match self.ctes.iter().rev().find(|(n, _)| n == table) {
                    Some((_, rel)) => rel.clone(),
                    None => match (self.relations)(table) {
                        Some(r) => Self::rel_of_relation(r),
                        None => {
                            let mut candidates: Vec<&str> = self.names.to_vec();
                            candidates.extend(self.ctes.iter().map(|(n, _)| n.as_str()));
                            let mut help = format!("sources and transforms: {}", list(&candidates));
                            if let Some(s) = did_you_mean(table, candidates.iter().copied()) {
                                help = format!("did you mean `{s}`? ({help})");
                            }
                            self.error(
                                Code::E0302,
                                name_span,
                                format!("unknown table `{table}`"),
                                "not a source or transform",
                                help,
                            );
                            return None;
                        }
                    },
                };
                let (rel, qualifier) = match alias {
                    Some(a) => (self.apply_alias_columns(rel, a)?, a.name.value.clone()),
                    None => (rel, table.to_string()),
                };
                Some(Self::source_of(rel, Some(qualifier)))
            }
            TableFactor::Derived { lateral, subquery, alias, sample } => {
                if *lateral || sample.is_some() {
                    self.unsupported_at(span, "LATERAL subqueries are not type-checked yet");
                    return None;
                }
                let rel = self.query(subquery)?;
                match alias {
                    Some(a) => {
                        let rel = self.apply_alias_columns(rel, a)?;
                        Some(Self::source_of(rel, Some(a.name.value.clone())))
                    }
                    None => Some(Self::source_of(rel, None)),
                }
            }
            TableFactor::NestedJoin { table_with_joins, alias } => {
                if alias.is_some() {
                    self.unsupported_at(span, "an alias on a parenthesized join is not type-checked yet");
                    return None;
                }
                self.table_with_joins(table_with_joins)
            }
            TableFactor::TableFunction { expr, .. } => {
                let (fspan, name) = match expr {
                    Expr::Function(func) => {
                        let at = func.name.0.first().and_then(|p| p.as_ident()).map_or(span, |i| self.ident_span(i));
                        (at, func.name.to_string().to_ascii_uppercase())
                    }
                    _ => (span, String::new()),
                };
                if ["TUMBLE", "HOP", "CUMULATE", "SESSION"].contains(&name.as_str()) {
                    self.unsupported_at(fspan, format!("window table functions ({name}) are not type-checked yet"));
                } else {
                    self.unsupported_at(fspan, "table functions are not type-checked yet");
                }
                None
            }
            TableFactor::Function { .. } => {
                self.unsupported_at(span, "LATERAL TABLE(...) is not type-checked yet");
                None
            }
            TableFactor::UNNEST { .. } => {
                self.unsupported_at(span, "UNNEST is not type-checked yet");
                None
            }
            TableFactor::MatchRecognize { .. } => {
                self.unsupported_at(span, "MATCH_RECOGNIZE is not type-checked yet");
                None
            }
            _ => {
                self.unsupported_at(span, "this FROM item is not Flink SQL pipec can type-check");
                None
            }
        }
    }

    fn table_with_joins(&mut self, t: &TableWithJoins) -> Option<Source> {
        let mut acc = self.factor(&t.relation);
        for j in &t.joins {
            let right = self.factor(&j.relation);
            acc = match (acc, right) {
                (Some(l), Some(r)) => self.join(l, r, j),
                _ => None,
            };
        }
        acc
    }

    fn join(&mut self, left: Source, right: Source, j: &ast::Join) -> Option<Source> {
        let span = self.loc.span(j.relation.span());
        let (kind, constraint) = match &j.join_operator {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => (JoinKind::Inner, Some(c)),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (JoinKind::Left, Some(c)),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (JoinKind::Right, Some(c)),
            JoinOperator::FullOuter(c) => (JoinKind::Full, Some(c)),
            JoinOperator::CrossJoin(JoinConstraint::None) => (JoinKind::Inner, None),
            _ => {
                self.unsupported_at(span, "this kind of join is not type-checked yet");
                return None;
            }
        };
        let on = match constraint {
            None => None,
            Some(JoinConstraint::On(e)) => Some(e),
            Some(JoinConstraint::None) => {
                self.error(
                    Code::E0301,
                    span,
                    format!("{} needs an ON condition", kind.keyword()),
                    "no ON",
                    "add ON left.key = right.key",
                );
                return None;
            }
            Some(JoinConstraint::Using(_)) | Some(JoinConstraint::Natural) => {
                self.unsupported_at(span, "joins with USING or NATURAL are not type-checked yet; write ON a.k = b.k");
                return None;
            }
        };
        let offset = left.rel.cols.len();
        let mut scope = left.scope.clone();
        for t in &right.scope.tables {
            scope.tables.push(ScopeTable { qualifier: t.qualifier.clone(), start: t.start + offset, len: t.len });
        }
        scope.cols.extend(right.scope.cols.iter().cloned());
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        if let Some(on) = on {
            let env = Env { scope: &scope, agg: AggMode::Forbidden("a join condition") };
            let t = self.expr(on, &env)?;
            self.expect_boolean(&t, on, "ON")?;
            if let Some(at) = interval_condition(on, &scope, offset) {
                self.unsupported_at(
                    self.expr_span(at),
                    "interval joins (time bounds between the time attributes of both sides) are not type-checked yet",
                );
                return None;
            }
            for (a, b) in equalities(on, &scope) {
                match (a < offset, b < offset) {
                    (true, false) => pairs.push((a, b - offset)),
                    (false, true) => pairs.push((b, a - offset)),
                    _ => {}
                }
            }
        }
        let left_nullable = matches!(kind, JoinKind::Right | JoinKind::Full);
        let right_nullable = matches!(kind, JoinKind::Left | JoinKind::Full);
        // A regular join materializes time attributes: its output has none.
        for (i, c) in scope.cols.iter_mut().enumerate() {
            c.time = None;
            if (i < offset && left_nullable) || (i >= offset && right_nullable) {
                c.ty.nullable = true;
            }
        }
        let right_bound = right.rel.key.as_ref().is_some_and(|k| k.iter().all(|rk| pairs.iter().any(|(_, r)| r == rk)));
        let left_bound = left.rel.key.as_ref().is_some_and(|k| k.iter().all(|lk| pairs.iter().any(|(l, _)| l == lk)));
        let shifted_right = right.rel.key.as_ref().map(|k| k.iter().map(|i| i + offset).collect::<Vec<_>>());
        let key = match kind {
            JoinKind::Inner if right_bound => left.rel.key.clone(),
            JoinKind::Inner if left_bound => shifted_right,
            JoinKind::Inner => match (&left.rel.key, &shifted_right) {
                (Some(l), Some(r)) => Some(l.iter().chain(r).copied().collect()),
                _ => None,
            },
            JoinKind::Left if right_bound => left.rel.key.clone(),
            JoinKind::Right if left_bound => shifted_right,
            _ => None,
        };
        let both_insert = left.rel.changelog == Changelog::Insert && right.rel.changelog == Changelog::Insert;
        let (changelog, cause) = if kind == JoinKind::Inner && both_insert {
            (Changelog::Insert, None)
        } else if kind != JoinKind::Inner {
            (Changelog::Retract, Some(format!("the {} in {}", kind.keyword(), self.owner)))
        } else {
            let input = if left.rel.changelog != Changelog::Insert { &left.rel.cause } else { &right.rel.cause };
            let why = input.clone().unwrap_or_else(|| "an updating input".to_string());
            (Changelog::Retract, Some(format!("the join in {} (its input is updating: {why})", self.owner)))
        };
        let rel = Rel { cols: scope.cols.clone(), changelog, key, cause };
        Some(Source { scope, rel })
    }

    fn check_from(&mut self, from: &[TableWithJoins]) -> Option<Source> {
        if from.is_empty() {
            return Some(Source {
                scope: Scope::default(),
                rel: Rel { cols: Vec::new(), changelog: Changelog::Insert, key: None, cause: None },
            });
        }
        let mut acc: Option<Source> = None;
        let mut failed = false;
        for twj in from {
            let Some(next) = self.table_with_joins(twj) else {
                failed = true;
                continue;
            };
            acc = match acc {
                None => Some(next),
                // `FROM a, b` is an inner join whose condition is in WHERE.
                Some(prev) => Some(self.comma_join(prev, next)),
            };
        }
        if failed { None } else { acc }
    }

    fn comma_join(&mut self, left: Source, right: Source) -> Source {
        let offset = left.rel.cols.len();
        let mut scope = left.scope;
        for t in &right.scope.tables {
            scope.tables.push(ScopeTable { qualifier: t.qualifier.clone(), start: t.start + offset, len: t.len });
        }
        scope.cols.extend(right.scope.cols);
        for c in &mut scope.cols {
            c.time = None;
        }
        let both_insert = left.rel.changelog == Changelog::Insert && right.rel.changelog == Changelog::Insert;
        let (changelog, cause) = if both_insert {
            (Changelog::Insert, None)
        } else {
            let input = if left.rel.changelog != Changelog::Insert { left.rel.cause } else { right.rel.cause };
            let why = input.unwrap_or_else(|| "an updating input".to_string());
            (Changelog::Retract, Some(format!("the join in {} (its input is updating: {why})", self.owner)))
        };
        let key = match (&left.rel.key, &right.rel.key) {
            (Some(l), Some(r)) => Some(l.iter().copied().chain(r.iter().map(|i| i + offset)).collect()),
            _ => None,
        };
        let rel = Rel { cols: scope.cols.clone(), changelog, key, cause };
        Source { scope, rel }
    }

    fn select(&mut self, sel: &ast::Select) -> Option<Rel> {
        let sel_span = self.loc.span(sel.select_token.0.span);
        if sel.top.is_some()
            || sel.into.is_some()
            || !sel.lateral_views.is_empty()
            || sel.prewhere.is_some()
            || !sel.connect_by.is_empty()
            || !sel.cluster_by.is_empty()
            || !sel.distribute_by.is_empty()
            || !sel.sort_by.is_empty()
            || sel.value_table_mode.is_some()
            || sel.exclude.is_some()
            || sel.select_modifiers.is_some()
        {
            self.error(
                Code::E0301,
                sel_span,
                "this SELECT uses syntax that is not Flink SQL",
                "not Flink SQL",
                "write a plain SELECT query",
            );
            return None;
        }
        if !sel.named_window.is_empty() || sel.qualify.is_some() {
            self.unsupported_at(sel_span, "WINDOW and QUALIFY clauses are not type-checked yet");
            return None;
        }
        if let Some(Distinct::On(_)) = &sel.distinct {
            self.unsupported_at(sel_span, "DISTINCT ON is not Flink SQL");
            return None;
        }
        let distinct = matches!(sel.distinct, Some(Distinct::Distinct));
        let source = self.check_from(&sel.from)?;
        let scope = &source.scope;
        let mut ok = true;
        if let Some(w) = &sel.selection {
            let env = Env { scope, agg: AggMode::Forbidden("WHERE") };
            match self.expr(w, &env) {
                Some(t) => {
                    if t.ty.is_null() {
                        // `WHERE NULL` is accepted by Flink and filters every row.
                    } else if self.expect_boolean(&t, w, "WHERE").is_none() {
                        ok = false;
                    }
                }
                None => ok = false,
            }
        }
        let group_exprs: &[Expr] = match &sel.group_by {
            GroupByExpr::Expressions(exprs, modifiers) => {
                if !modifiers.is_empty() {
                    self.unsupported_at(
                        self.loc.span(sel.group_by.span()),
                        "GROUP BY modifiers are not type-checked yet",
                    );
                    return None;
                }
                exprs
            }
            GroupByExpr::All(_) => {
                self.unsupported_at(self.loc.span(sel.group_by.span()), "GROUP BY ALL is not Flink SQL");
                return None;
            }
        };
        let aggregating = !group_exprs.is_empty() || sel.having.is_some() || sel.projection.iter().any(has_aggregate);
        let mut keys: Vec<GroupKey> = Vec::new();
        if aggregating {
            for g in group_exprs {
                if let Expr::Value(v) = g {
                    self.unsupported_at(
                        self.loc.span(v.span),
                        "grouping by a literal or a select-list position is not type-checked yet",
                    );
                    ok = false;
                    continue;
                }
                let env = Env { scope, agg: AggMode::Forbidden("GROUP BY") };
                match self.expr(g, &env) {
                    Some(t) => {
                        let typed = Typed { ty: t.ty, time: None, col: t.col, lit: Lit::NotLiteral };
                        keys.push(GroupKey { expr: g.clone(), typed });
                    }
                    None => ok = false,
                }
            }
            if !ok {
                return None;
            }
        }
        let env =
            if aggregating { Env { scope, agg: AggMode::Grouped(&keys) } } else { Env { scope, agg: AggMode::Plain } };
        // Each output column, with the scope column it copies (for keys).
        let mut out: Vec<(Col, Option<usize>)> = Vec::new();
        for item in &sel.projection {
            match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    let Some(t) = self.expr(e, &env) else {
                        ok = false;
                        continue;
                    };
                    if t.ty.is_null() {
                        self.error(
                            Code::E0305,
                            self.expr_span(e),
                            "a bare NULL has no type",
                            "no type",
                            "write CAST(NULL AS type)",
                        );
                        ok = false;
                        continue;
                    }
                    let name = match item {
                        SelectItem::ExprWithAlias { alias, .. } => alias.value.clone(),
                        _ => derived_name(e).unwrap_or_else(|| format!("EXPR${}", out.len())),
                    };
                    out.push((Col { name, ty: t.ty, time: t.time }, t.col));
                }
                SelectItem::Wildcard(opts) => {
                    let all: Vec<usize> = (0..scope.cols.len()).collect();
                    if !self.wildcard(opts, &all, scope, &env, &mut out) {
                        ok = false;
                    }
                }
                SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(name), opts) => {
                    let q = name.to_string();
                    let Some(table) = scope.tables.iter().find(|t| t.qualifier.as_deref() == Some(q.as_str())) else {
                        let quals: Vec<&str> = scope.tables.iter().filter_map(|t| t.qualifier.as_deref()).collect();
                        let mut help = format!("tables in FROM: {}", list(&quals));
                        if let Some(s) = did_you_mean(&q, quals.iter().copied()) {
                            help = format!("did you mean `{s}`? ({help})");
                        }
                        self.error(
                            Code::E0303,
                            self.loc.span(name.span()),
                            format!("unknown table `{q}` in `{q}.*`"),
                            "no such table or alias in FROM",
                            help,
                        );
                        ok = false;
                        continue;
                    };
                    let cols: Vec<usize> = (table.start..table.start + table.len).collect();
                    if !self.wildcard(opts, &cols, scope, &env, &mut out) {
                        ok = false;
                    }
                }
                _ => {
                    self.unsupported_at(self.loc.span(item.span()), "this select item is not type-checked yet");
                    ok = false;
                }
            }
        }
        if let Some(h) = &sel.having {
            match self.expr(h, &env) {
                Some(t) => {
                    if self.expect_boolean(&t, h, "HAVING").is_none() {
                        ok = false;
                    }
                }
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let cols: Vec<Col> = out.iter().map(|(c, _)| c.clone()).collect();
        if aggregating {
            // The group keys that are selected form the result's unique key.
            let key = if keys.is_empty() {
                Some(Vec::new())
            } else {
                keys.iter().map(|k| key_position(k, sel, &out)).collect::<Option<Vec<usize>>>()
            };
            let what = if group_exprs.is_empty() { "an aggregate without GROUP BY" } else { "GROUP BY" };
            let mut rel = Rel {
                cols,
                changelog: Changelog::Retract,
                key,
                cause: Some(format!("the aggregation in {} ({what})", self.owner)),
            };
            if distinct && rel.key.is_none() {
                rel.key = Some((0..rel.cols.len()).collect());
            }
            return Some(rel);
        }
        if distinct {
            let mut cols = cols;
            for c in &mut cols {
                c.time = None;
            }
            let n = cols.len();
            return Some(Rel {
                cols,
                changelog: Changelog::Retract,
                key: Some((0..n).collect()),
                cause: Some(format!("the aggregation in {} (SELECT DISTINCT)", self.owner)),
            });
        }
        let key = source.rel.key.as_ref().and_then(|k| {
            k.iter().map(|sc| out.iter().position(|(_, src)| *src == Some(*sc))).collect::<Option<Vec<_>>>()
        });
        Some(Rel { cols, changelog: source.rel.changelog, key, cause: source.rel.cause.clone() })
    }

    /// Expands `*` or `t.*` over scope columns; in an aggregation each must be grouped.
    fn wildcard(
        &mut self,
        opts: &WildcardAdditionalOptions,
        cols: &[usize],
        scope: &Scope,
        env: &Env,
        out: &mut Vec<(Col, Option<usize>)>,
    ) -> bool {
        let star = self.loc.span(opts.wildcard_token.0.span);
        if opts.opt_ilike.is_some()
            || opts.opt_exclude.is_some()
            || opts.opt_except.is_some()
            || opts.opt_replace.is_some()
            || opts.opt_rename.is_some()
            || opts.opt_alias.is_some()
        {
            self.unsupported_at(star, "`*` with EXCEPT, REPLACE or other options is not Flink SQL");
            return false;
        }
        // A subquery with two columns of one name cannot be expanded (Flink: ambiguous).
        for &i in cols {
            let Some(c) = scope.cols.get(i) else { continue };
            let same_table = scope.table_of(i).map(|t| (t.start, t.len));
            let dup = cols.iter().any(|&j| {
                j != i
                    && scope.cols.get(j).is_some_and(|o| o.name == c.name)
                    && scope.table_of(j).map(|t| (t.start, t.len)) == same_table
            });
            if dup {
                self.error(
                    Code::E0304,
                    star,
                    format!("`*` is ambiguous: a subquery has more than one column named `{}`", c.name),
                    "ambiguous column",
                    "give the subquery's columns distinct aliases",
                );
                return false;
            }
        }
        for &i in cols {
            let Some(c) = scope.cols.get(i) else { continue };
            match &env.agg {
                AggMode::Grouped(keys) => {
                    let Some(k) = keys.iter().find(|k| k.typed.col == Some(i)) else {
                        self.error(
                            Code::E0310,
                            star,
                            format!("`*` selects `{}`, which is neither grouped nor aggregated", c.name),
                            "not in GROUP BY",
                            "list the grouped columns instead of `*`",
                        );
                        return false;
                    };
                    out.push((Col { name: c.name.clone(), ty: k.typed.ty.clone(), time: None }, Some(i)));
                }
                _ => out.push((c.clone(), Some(i))),
            }
        }
        true
    }
}

/// The output column of a group key: the column that copies a grouped column, or the select
/// item that repeats a grouped expression.
fn key_position(k: &GroupKey, sel: &ast::Select, out: &[(Col, Option<usize>)]) -> Option<usize> {
    if let Some(c) = k.typed.col
        && let Some(p) = out.iter().position(|(_, src)| *src == Some(c))
    {
        return Some(p);
    }
    // Select items and output columns line up only without wildcards.
    let plain =
        sel.projection.iter().all(|i| matches!(i, SelectItem::UnnamedExpr(_) | SelectItem::ExprWithAlias { .. }));
    if !plain {
        return None;
    }
    sel.projection.iter().position(|item| match item {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => *e == k.expr,
        _ => false,
    })
}

/// The name Flink derives for an unaliased select item: a column's name, else none.
fn derived_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(i.value.clone()),
        Expr::CompoundIdentifier(parts) => parts.last().map(|i| i.value.clone()),
        Expr::Nested(inner) => derived_name(inner),
        _ => None,
    }
}

/// Finds aggregate calls in a select item (not inside subqueries).
struct AggregateFinder {
    depth: usize,
}

impl Visitor for AggregateFinder {
    type Break = ();

    fn pre_visit_query(&mut self, _q: &ast::Query) -> ControlFlow<()> {
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _q: &ast::Query) -> ControlFlow<()> {
        self.depth = self.depth.saturating_sub(1);
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        if self.depth == 0
            && let Expr::Function(f) = e
            && is_aggregate_call(f)
        {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}

fn has_aggregate(item: &SelectItem) -> bool {
    let mut f = AggregateFinder { depth: 0 };
    item.visit(&mut f).is_break()
}

/// Resolves a plain column reference without reporting anything.
fn quiet_column(e: &Expr, scope: &Scope) -> Option<usize> {
    match e {
        Expr::Nested(inner) => quiet_column(inner, scope),
        Expr::Identifier(i) => {
            let hits: Vec<usize> =
                scope.cols.iter().enumerate().filter(|(_, c)| c.name == i.value).map(|(n, _)| n).collect();
            match hits.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        }
        Expr::CompoundIdentifier(parts) => {
            let [q, n] = parts.as_slice() else {
                return None;
            };
            let t = scope.tables.iter().find(|t| t.qualifier.as_deref() == Some(q.value.as_str()))?;
            let hits: Vec<usize> =
                (t.start..t.start + t.len).filter(|&i| scope.cols.get(i).is_some_and(|c| c.name == n.value)).collect();
            match hits.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The `a = b` column pairs among the top-level conjuncts of a condition.
fn equalities(e: &Expr, scope: &Scope) -> Vec<(usize, usize)> {
    match e {
        Expr::Nested(inner) => equalities(inner, scope),
        Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
            let mut v = equalities(left, scope);
            v.extend(equalities(right, scope));
            v
        }
        Expr::BinaryOp { left, op: BinaryOperator::Eq, right } => {
            match (quiet_column(left, scope), quiet_column(right, scope)) {
                (Some(a), Some(b)) => vec![(a, b)],
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// A range comparison in a join condition between time attributes of both sides: Flink plans
/// such a join as an interval join.
fn interval_condition<'e>(on: &'e Expr, scope: &Scope, offset: usize) -> Option<&'e Expr> {
    struct Finder<'s> {
        scope: &'s Scope,
        offset: usize,
        found: Option<Expr>,
    }
    impl Visitor for Finder<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            let range = matches!(
                e,
                Expr::BinaryOp {
                    op: BinaryOperator::Lt | BinaryOperator::LtEq | BinaryOperator::Gt | BinaryOperator::GtEq,
                    ..
                } | Expr::Between { .. }
            );
            if range {
                let mut cols = ColumnCollector { scope: self.scope, found: Vec::new() };
                let _ = e.visit(&mut cols);
                let timed = |i: &usize| self.scope.cols.get(*i).is_some_and(|c| c.time.is_some());
                let left = cols.found.iter().any(|i| *i < self.offset && timed(i));
                let right = cols.found.iter().any(|i| *i >= self.offset && timed(i));
                if left && right {
                    self.found = Some(e.clone());
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        }
    }
    struct ColumnCollector<'s> {
        scope: &'s Scope,
        found: Vec<usize>,
    }
    impl Visitor for ColumnCollector<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            if let Some(i) = quiet_column(e, self.scope) {
                self.found.push(i);
            }
            ControlFlow::Continue(())
        }
    }
    let mut f = Finder { scope, offset, found: None };
    let _ = on.visit(&mut f);
    let found = f.found?;
    // Return the node inside `on` (not the clone) so that its span is the user's text.
    let mut hit: Option<&'e Expr> = None;
    find_equal(on, &found, &mut hit);
    hit.or(Some(on))
}

fn find_equal<'e>(e: &'e Expr, target: &Expr, hit: &mut Option<&'e Expr>) {
    if hit.is_some() {
        return;
    }
    if e == target {
        *hit = Some(e);
        return;
    }
    match e {
        Expr::Nested(x) | Expr::UnaryOp { expr: x, .. } => find_equal(x, target, hit),
        Expr::BinaryOp { left, right, .. } => {
            find_equal(left, target, hit);
            find_equal(right, target, hit);
        }
        _ => {}
    }
}
