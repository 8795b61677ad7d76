//! Typing of joins as Flink 1.20 plans them in a stream:
//!
//! - an **interval join** bounds the time attributes of both sides from below and from above
//!   (`a.ts BETWEEN b.ts - INTERVAL '1' HOUR AND b.ts`): it takes inserts only, emits inserts
//!   only (outer joins too) and keeps both sides' time attributes;
//! - a **window join** equates `window_start` and `window_end` of the same windows on both
//!   sides: insert-only, time attributes kept;
//! - a **temporal join** (`JOIN v FOR SYSTEM_TIME AS OF o.rowtime`) reads a versioned table (a
//!   primary key and an event-time attribute); a **lookup join** (`AS OF o.proctime`) reads a
//!   lookup table (JDBC). Both keep the probe side's changelog, key and time attributes;
//! - every other join is a **regular join**: it materializes time attributes, emits inserts
//!   only when it is an inner join of insert-only inputs, and retracts otherwise.

use sqlparser::ast::{self, BinaryOperator, Expr, JoinConstraint, JoinOperator, Spanned, TableFactor};

use super::query::{AggMode, Col, Env, QueryChecker, Rel, Scope, ScopeTable, Source, WinTag};
use super::select::{conjuncts_of, quiet_column};
use super::{Changelog, TimeAttr};
use crate::diag::Code;
use crate::source::Span;

/// The kinds of join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JoinKind {
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

/// How Flink plans a join of two relations.
enum Plan<'e> {
    Regular,
    /// With the time bound to point at.
    Interval(&'e Expr),
    Window,
}

impl QueryChecker<'_> {
    /// Joins the FROM clause so far with the next JOIN.
    pub(crate) fn join(&mut self, left: Source, j: &ast::Join, conjuncts: &[&Expr]) -> Option<Source> {
        let span = self.loc.span(j.relation.span());
        let (kind, constraint) = match &j.join_operator {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => (JoinKind::Inner, Some(c)),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (JoinKind::Left, Some(c)),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (JoinKind::Right, Some(c)),
            JoinOperator::FullOuter(c) => (JoinKind::Full, Some(c)),
            JoinOperator::CrossJoin(JoinConstraint::None) => (JoinKind::Inner, None),
            _ => {
                self.error(
                    Code::E0301,
                    span,
                    "this kind of join is not Flink SQL",
                    "not Flink SQL",
                    "write [INNER | LEFT | RIGHT | FULL] JOIN ... ON, or CROSS JOIN",
                );
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
            Some(JoinConstraint::Using(names)) => {
                let names: Vec<ast::Ident> = names.iter().filter_map(|n| n.0.last()?.as_ident().cloned()).collect();
                return self.using_join(left, j, kind, Some(&names), conjuncts, span);
            }
            Some(JoinConstraint::Natural) => {
                return self.using_join(left, j, kind, None, conjuncts, span);
            }
        };
        if let TableFactor::UNNEST { .. } = &j.relation {
            return self.unnest_join(left, &j.relation, kind, on);
        }
        if let TableFactor::Derived { lateral: true, .. } = &j.relation {
            return self.lateral_join(left, &j.relation, kind, on);
        }
        if let TableFactor::Table { version: Some(version), .. } = &j.relation {
            return self.temporal_join(left, &j.relation, version, kind, on, span);
        }
        let right = self.factor(&j.relation)?;
        let right = Source { rel: self.settle(right.rel)?, scope: right.scope };
        let left = Source { rel: self.settle(left.rel)?, scope: left.scope };
        // WHERE conjuncts join an inner join's condition.
        let mut conds: Vec<&Expr> = on.map(conjuncts_of).unwrap_or_default();
        if kind == JoinKind::Inner {
            conds.extend(conjuncts.iter().copied());
        }
        self.combine(left, right, kind, on, &conds, &[], span)
    }

    /// `JOIN t USING (k, ...)` and NATURAL JOIN (`names` None: every common column):
    /// equalities on the named columns; `*` and unqualified names see each USING column once,
    /// the left side's, first.
    fn using_join(
        &mut self,
        left: Source,
        j: &ast::Join,
        kind: JoinKind,
        names: Option<&[ast::Ident]>,
        conjuncts: &[&Expr],
        span: Span,
    ) -> Option<Source> {
        let right = self.factor(&j.relation)?;
        let right = Source { rel: self.settle(right.rel)?, scope: right.scope };
        let left = Source { rel: self.settle(left.rel)?, scope: left.scope };
        let offset = left.rel.cols.len();
        let common: Vec<ast::Ident> = match names {
            Some(n) => n.to_vec(),
            None => left
                .scope
                .cols
                .iter()
                .filter(|c| right.scope.cols.iter().any(|r| r.name == c.name))
                .map(|c| ast::Ident::new(c.name.clone()))
                .collect(),
        };
        let mut pairs = Vec::new();
        for ident in &common {
            let find = |s: &Scope| {
                let hits: Vec<usize> =
                    (0..s.cols.len()).filter(|&i| s.cols.get(i).is_some_and(|c| c.name == ident.value)).collect();
                match hits.as_slice() {
                    [one] => Some(*one),
                    _ => None,
                }
            };
            let (Some(l), Some(r)) = (find(&left.scope), find(&right.scope)) else {
                self.error(
                    Code::E0303,
                    self.ident_span(ident),
                    format!("USING column `{}` is not a column of both sides", ident.value),
                    "not on both sides",
                    "name a column that both tables have, or write ON a.x = b.y",
                );
                return None;
            };
            let (lt, rt) = (left.scope.cols.get(l)?.ty.clone(), right.scope.cols.get(r)?.ty.clone());
            if let Err(msg) = super::rules::comparable(&lt, &rt) {
                self.error(Code::E0305, self.ident_span(ident), msg, "type mismatch", "CAST one side in a subquery");
                return None;
            }
            pairs.push((l, r + offset));
        }
        let mut conds: Vec<&Expr> = Vec::new();
        if kind == JoinKind::Inner {
            conds.extend(conjuncts.iter().copied());
        }
        let mut s = self.combine(left, right, kind, None, &conds, &pairs, span)?;
        // The merged column is the left one, typed as COALESCE(left, right): NOT NULL if either
        // side's copy is.
        for &(l, r) in &pairs {
            let (Some(lt), Some(rt)) =
                (s.scope.cols.get(l).map(|c| c.ty.clone()), s.scope.cols.get(r).map(|c| c.ty.clone()))
            else {
                continue;
            };
            if let Ok(mut merged) = super::rules::common_type(&[&lt, &rt]) {
                merged.nullable = lt.nullable && rt.nullable;
                for c in [s.scope.cols.get_mut(l), s.rel.cols.get_mut(l)].into_iter().flatten() {
                    c.ty = merged.clone();
                }
            }
        }
        let rights: Vec<usize> = pairs.iter().map(|(_, r)| *r).collect();
        // An unqualified USING column is the merged one; in a NATURAL join Flink finds it
        // ambiguous ("Column 'id' is ambiguous"), so both copies stay visible there.
        if names.is_some() {
            s.scope.hidden.extend(rights.iter().copied());
        }
        // `*` lists the USING columns first, once.
        let first: Vec<usize> = pairs.iter().map(|(l, _)| *l).collect();
        let rest: Vec<usize> = (0..s.scope.cols.len())
            .filter(|i| !first.contains(i) && !rights.contains(i) && !s.scope.hidden.contains(i))
            .collect();
        let star: Vec<usize> = first.into_iter().chain(rest).collect();
        s.scope.star = Some(star);
        Some(s)
    }

    /// `FROM a, b`: an inner join whose condition is in WHERE.
    pub(crate) fn comma_join(&mut self, left: Source, right: Source, conjuncts: &[&Expr], at: Span) -> Option<Source> {
        let right = Source { rel: self.settle(right.rel)?, scope: right.scope };
        let left = Source { rel: self.settle(left.rel)?, scope: left.scope };
        self.combine(left, right, JoinKind::Inner, None, conjuncts, &[], at)
    }

    /// A join of two relations: regular, interval or window join. `using` are the column
    /// pairs of a USING clause (scope indexes).
    #[allow(clippy::too_many_arguments)]
    fn combine(
        &mut self,
        left: Source,
        right: Source,
        kind: JoinKind,
        on: Option<&Expr>,
        conds: &[&Expr],
        using: &[(usize, usize)],
        span: Span,
    ) -> Option<Source> {
        let offset = left.rel.cols.len();
        let mut scope = left.scope.clone();
        for t in &right.scope.tables {
            scope.tables.push(ScopeTable { qualifier: t.qualifier.clone(), start: t.start + offset, len: t.len });
        }
        scope.cols.extend(right.scope.cols.iter().cloned());
        scope.joined_time.extend(right.scope.joined_time.iter().map(|&(i, t)| (i + offset, t)));
        if let Some(on) = on {
            let env = Env { scope: &scope, agg: AggMode::Forbidden("a join condition") };
            let t = self.expr(on, &env)?;
            self.expect_boolean(&t, on, "ON")?;
            if !self.frame.subqueries.is_empty() {
                self.unsupported_at(self.expr_span(on), "subqueries in a join condition are not type-checked yet");
                return None;
            }
        }
        let mut pairs = equalities(conds, &scope, offset);
        pairs.extend(using.iter().copied());
        let plan = if let Some(id) = window_join(&pairs, &scope) {
            if self.window(id).is_some_and(|w| w.time == TimeAttr::Proctime) {
                // Flink: "Processing time Window Join is not supported yet."
                self.streaming_error(
                    on.map_or(span, |e| self.expr_span(e)),
                    "Flink 1.20 cannot join windows of processing time",
                    "processing-time windows",
                    "window both sides on their event-time (watermark) columns",
                );
                return None;
            }
            Plan::Window
        } else {
            match interval_bounds(conds, &scope, offset) {
                Bounds::None => Plan::Regular,
                Bounds::Both(at, l, r) => {
                    let (lt, rt) = (scope.cols.get(l).map(|c| c.ty.clone()), scope.cols.get(r).map(|c| c.ty.clone()));
                    if let (Some(lt), Some(rt)) = (lt, rt)
                        && std::mem::discriminant(&lt.kind) != std::mem::discriminant(&rt.kind)
                    {
                        // Flink: "Interval join with rowtime attribute requires same rowtime
                        // types, but the types are TIMESTAMP(3) *ROWTIME* and
                        // TIMESTAMP_LTZ(3) *ROWTIME*".
                        self.error(
                            Code::E0314,
                            self.expr_span(at),
                            format!(
                                "an interval join needs event-time attributes of one type, but these are {} and {}",
                                lt.kind_name(),
                                rt.kind_name()
                            ),
                            "time attribute types differ",
                            "declare both watermark columns as TIMESTAMP(3), or both as TIMESTAMP_LTZ(3)",
                        );
                        return None;
                    }
                    Plan::Interval(at)
                }
            }
        };
        let left_nullable = matches!(kind, JoinKind::Right | JoinKind::Full);
        let right_nullable = matches!(kind, JoinKind::Left | JoinKind::Full);
        let mut cols: Vec<Col> = scope.cols.clone();
        for (i, c) in cols.iter_mut().enumerate() {
            if (i < offset && left_nullable) || (i >= offset && right_nullable) {
                c.ty.nullable = true;
            }
        }
        let rel = match plan {
            Plan::Interval(_) | Plan::Window => {
                let what = if matches!(plan, Plan::Interval(_)) { "an interval join" } else { "a window join" };
                for side in [&left.rel, &right.rel] {
                    if side.changelog != Changelog::Insert {
                        let cause = side.cause.clone().unwrap_or_else(|| "its input".to_string());
                        let at = match plan {
                            Plan::Interval(bound) => self.expr_span(bound),
                            _ => on.map_or(span, |e| self.expr_span(e)),
                        };
                        self.error(
                            Code::E0409,
                            at,
                            format!("{what} takes inserts only, but an input is updated by {cause}"),
                            "updating input",
                            "join append-only relations, or use a regular join (equality only) or a temporal join (FOR SYSTEM_TIME AS OF)",
                        );
                        return None;
                    }
                }
                if matches!(plan, Plan::Interval(_)) {
                    for c in &mut cols {
                        c.win = None;
                    }
                }
                Rel::insert_only(cols)
            }
            Plan::Regular => {
                // A regular join materializes time attributes.
                for (i, c) in cols.iter_mut().enumerate() {
                    if let Some(t) = c.time {
                        scope.joined_time.push((i, t));
                    }
                    c.time = None;
                    c.win = None;
                }
                let key = regular_join_key(kind, &left.rel, &right.rel, &pairs, offset);
                let both_insert = left.rel.changelog == Changelog::Insert && right.rel.changelog == Changelog::Insert;
                // Like Flink's changelog inference: the join updates without update-before rows
                // unless an updating input must send them, because it already does or because
                // its equi-join keys are not within its unique key.
                let (left_keys, right_keys) = equi_join_keys(conds, &scope, offset, using);
                let retracts =
                    needs_update_before(&left.rel, &left_keys) || needs_update_before(&right.rel, &right_keys);
                let updating = if retracts { Changelog::Retract } else { Changelog::Upsert };
                // A filter after the join goes below it to a side that does not generate nulls:
                // every column of an insert-only side, the pushable ones of an updating side.
                let side_pushdown = |rel: &Rel, at: usize, outer: bool| -> Vec<usize> {
                    if outer {
                        Vec::new()
                    } else if rel.changelog == Changelog::Insert {
                        (at..at + rel.cols.len()).collect()
                    } else {
                        rel.pushdown.iter().map(|i| i + at).collect()
                    }
                };
                let mut pushdown = side_pushdown(&left.rel, 0, matches!(kind, JoinKind::Right | JoinKind::Full));
                pushdown.extend(side_pushdown(&right.rel, offset, matches!(kind, JoinKind::Left | JoinKind::Full)));
                let (changelog, cause) = if kind == JoinKind::Inner && both_insert {
                    (Changelog::Insert, None)
                } else if kind != JoinKind::Inner {
                    (updating, Some(format!("the {} in {}", kind.keyword(), self.owner)))
                } else {
                    let input =
                        if left.rel.changelog != Changelog::Insert { &left.rel.cause } else { &right.rel.cause };
                    let why = input.clone().unwrap_or_else(|| "an updating input".to_string());
                    (updating, Some(format!("the join in {} (its input is updating: {why})", self.owner)))
                };
                Rel { cols, changelog, key, cause, lookup: false, filtered: false, raw: false, rank: None, pushdown }
            }
        };
        for (sc, c) in scope.cols.iter_mut().zip(&rel.cols) {
            sc.ty = c.ty.clone();
            sc.time = c.time;
            sc.win = c.win;
        }
        Some(Source { scope, rel })
    }

    /// `JOIN t FOR SYSTEM_TIME AS OF left.time_attribute [AS a] ON ...`: an event-time temporal
    /// join of a versioned table, or a lookup join of a lookup table on processing time.
    fn temporal_join(
        &mut self,
        left: Source,
        relation: &TableFactor,
        version: &ast::TableVersion,
        kind: JoinKind,
        on: Option<&Expr>,
        span: Span,
    ) -> Option<Source> {
        let TableFactor::Table { name, alias, .. } = relation else { return None };
        let ast::TableVersion::ForSystemTimeAsOf(as_of) = version else {
            self.error(
                Code::E0301,
                span,
                "this table version clause is not Flink SQL",
                "not Flink SQL",
                "write FOR SYSTEM_TIME AS OF left.time_column",
            );
            return None;
        };
        let left = Source { rel: self.settle(left.rel)?, scope: left.scope };
        // The time: a time attribute of the left side.
        let env = Env { scope: &left.scope, agg: AggMode::Forbidden("FOR SYSTEM_TIME AS OF") };
        let t = self.expr(as_of, &env)?;
        if !t.ty.is_timestamp() {
            // Flink: "The system time period specification expects Timestamp type but is
            // 'BIGINT'".
            self.error(
                Code::E0305,
                self.expr_span(as_of),
                format!("FOR SYSTEM_TIME AS OF takes a timestamp, but this is {}", t.ty.kind_name()),
                "not a timestamp",
                "name the left table's event-time or processing-time column",
            );
            return None;
        }
        let attr = match (t.col, t.time) {
            (Some(_), Some(a)) => a,
            (Some(c), None) if let Some(&(_, a)) = left.scope.joined_time.iter().find(|(i, _)| *i == c) => a,
            _ => {
                // Flink: "Temporal table join currently only supports 'FOR SYSTEM_TIME AS OF'
                // left table's time attribute field".
                self.error(
                    Code::E0314,
                    self.expr_span(as_of),
                    "FOR SYSTEM_TIME AS OF takes a time attribute of the left table",
                    "not a time attribute",
                    "name the left table's watermark column (temporal join) or a PROCTIME() column (lookup join)",
                );
                return None;
            }
        };
        if !matches!(kind, JoinKind::Inner | JoinKind::Left) {
            // Flink: "Unknown join type RIGHT".
            self.streaming_error(
                span,
                format!("a temporal or lookup join is an INNER JOIN or a LEFT JOIN, not a {}", kind.keyword()),
                "unsupported join type",
                "write JOIN or LEFT JOIN",
            );
            return None;
        }
        let whole = self.loc.span(name.span());
        let (table, right) = self.lookup_table(name, whole)?;
        let right = match alias {
            Some(a) => self.apply_alias_columns(right, a)?,
            None => right,
        };
        let qualifier = alias.as_ref().map_or(table.clone(), |a| a.name.value.clone());
        let offset = left.rel.cols.len();
        let mut scope = left.scope.clone();
        scope.tables.push(ScopeTable { qualifier: Some(qualifier), start: offset, len: right.cols.len() });
        scope.cols.extend(right.cols.iter().cloned());
        let Some(on) = on else {
            self.streaming_error(
                span,
                "a temporal or lookup join needs an ON condition",
                "no ON",
                "add ON left.key = versioned.key",
            );
            return None;
        };
        let env = Env { scope: &scope, agg: AggMode::Forbidden("a join condition") };
        let ct = self.expr(on, &env)?;
        self.expect_boolean(&ct, on, "ON")?;
        // The right columns an equality binds to the left side (or to a constant).
        let bound = bound_right_columns(&conjuncts_of(on), &scope, offset);
        match attr {
            TimeAttr::Proctime => {
                if !right.lookup {
                    // Flink: "Processing-time temporal join is not supported yet."
                    self.error(
                        Code::E0316,
                        self.expr_span(as_of),
                        format!("`{table}` is not a lookup table, so it cannot be joined on processing time"),
                        "processing-time temporal join",
                        "lookup joins read `postgres` (JDBC) sources; for a versioned table, join FOR SYSTEM_TIME AS OF the left table's event-time column",
                    );
                    return None;
                }
                if bound.is_empty() {
                    // Flink: "Temporal table join requires an equality condition on fields of
                    // table".
                    self.error(
                        Code::E0316,
                        self.expr_span(on),
                        format!("a lookup join needs an equality on a column of `{table}`"),
                        "no equality on the lookup table",
                        format!(
                            "join on a key: ON left.x = {}.id",
                            alias.as_ref().map_or(table.as_str(), |a| a.name.value.as_str())
                        ),
                    );
                    return None;
                }
            }
            TimeAttr::Rowtime => {
                let right_time = right.cols.iter().find(|c| c.time == Some(TimeAttr::Rowtime)).map(|c| c.ty.clone());
                let key = right.key.clone().filter(|k| !k.is_empty());
                if key.is_none() || right_time.is_none() {
                    let missing = match (key.is_none(), right_time.is_none()) {
                        (true, true) => "neither a primary key nor an event-time attribute",
                        (true, false) => "no primary key",
                        _ => "no event-time attribute (watermark)",
                    };
                    // Flink: "Event-Time Temporal Table Join requires both primary key and row
                    // time attribute in versioned table".
                    self.error(
                        Code::E0316,
                        self.loc.span(name.span()),
                        format!("`{table}` is not a versioned table: it has {missing}"),
                        "not a versioned table",
                        "a temporal join reads a table with a primary key and a watermark (or a deduplicated view of one); for a JDBC table, join FOR SYSTEM_TIME AS OF a PROCTIME() column",
                    );
                    return None;
                }
                if let (Some(rt), true) = (&right_time, t.ty.is_timestamp())
                    && std::mem::discriminant(&rt.kind) != std::mem::discriminant(&t.ty.kind)
                {
                    // Flink: "Event-Time Temporal Table Join requires same rowtime type in left
                    // table and versioned table".
                    self.error(
                        Code::E0316,
                        self.expr_span(as_of),
                        format!(
                            "the left table's event time is {}, the versioned table's is {}",
                            t.ty.kind_name(),
                            rt.kind_name()
                        ),
                        "time attribute types differ",
                        "declare both watermark columns as TIMESTAMP(3), or both as TIMESTAMP_LTZ(3)",
                    );
                    return None;
                }
                if bound.iter().all(|c| *c < 0) {
                    // Flink: "Currently the join key in Temporal Table Join can not be empty."
                    self.error(
                        Code::E0316,
                        self.expr_span(on),
                        format!("a temporal join needs an equality between the left table and `{table}`"),
                        "no join key",
                        "join on the versioned table's primary key: ON left.x = v.key",
                    );
                    return None;
                }
                if right.filtered {
                    // Flink: "Filter is not allowed for right changelog input of event time
                    // temporal join, it will corrupt the versioning of data."
                    self.error(
                        Code::E0316,
                        self.loc.span(name.span()),
                        format!("`{table}` filters the rows of a changelog, so it cannot be the versioned side of a temporal join"),
                        "filtered changelog",
                        "join the unfiltered table and filter after the join",
                    );
                    return None;
                }
                let keys = key.unwrap_or_default();
                if !keys.iter().all(|k| bound.contains(&(*k as isize))) {
                    let names: Vec<String> =
                        keys.iter().filter_map(|k| right.cols.get(*k).map(|c| format!("`{}`", c.name))).collect();
                    // Flink: "Temporal Table Join requires primary key in versioned table, but
                    // no primary key can be found."
                    self.error(
                        Code::E0316,
                        self.expr_span(on),
                        format!(
                            "a temporal join must join on the versioned table's primary key ({})",
                            names.join(", ")
                        ),
                        "primary key not joined",
                        "equate every primary key column of the versioned table with the left side",
                    );
                    return None;
                }
            }
        }
        let mut cols: Vec<Col> = scope.cols.clone();
        for (i, c) in cols.iter_mut().enumerate() {
            if i >= offset {
                // The build side's time attributes are materialized.
                c.time = None;
                c.win = None;
                if kind == JoinKind::Left {
                    c.ty.nullable = true;
                }
            }
        }
        for (sc, c) in scope.cols.iter_mut().zip(&cols) {
            sc.ty = c.ty.clone();
            sc.time = c.time;
            sc.win = c.win;
        }
        let rel = Rel {
            cols,
            changelog: left.rel.changelog,
            key: left.rel.key.clone(),
            cause: left.rel.cause.clone(),
            lookup: false,
            filtered: false,
            raw: false,
            rank: None,
            pushdown: Vec::new(),
        };
        Some(Source { scope, rel })
    }
}

/// The unique key of a regular join's result: a side's key survives when the other side's key
/// is bound by the equalities (at most one match per row); an inner join is unique on both
/// keys together.
fn regular_join_key(
    kind: JoinKind,
    left: &Rel,
    right: &Rel,
    pairs: &[(usize, usize)],
    offset: usize,
) -> Option<Vec<usize>> {
    let right_bound =
        right.key.as_ref().is_some_and(|k| k.iter().all(|rk| pairs.iter().any(|(_, r)| *r == rk + offset)));
    let left_bound = left.key.as_ref().is_some_and(|k| k.iter().all(|lk| pairs.iter().any(|(l, _)| l == lk)));
    let shifted_right = right.key.as_ref().map(|k| k.iter().map(|i| i + offset).collect::<Vec<_>>());
    match kind {
        JoinKind::Inner if right_bound => left.key.clone(),
        JoinKind::Inner if left_bound => shifted_right,
        JoinKind::Inner => match (&left.key, &shifted_right) {
            (Some(l), Some(r)) => Some(l.iter().chain(r).copied().collect()),
            _ => None,
        },
        JoinKind::Left if right_bound => left.key.clone(),
        JoinKind::Right if left_bound => shifted_right,
        _ => None,
    }
}

/// The equi-join keys of each side (Flink's join keys): for every equality between an
/// expression of the left side only and one of the right side only, the column it names on each
/// side (as an index into that side's relation), or `None` for an expression that is not a
/// plain column.
fn equi_join_keys(
    conds: &[&Expr],
    scope: &Scope,
    offset: usize,
    using: &[(usize, usize)],
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut left = Vec::new();
    let mut right = Vec::new();
    for &(l, r) in using {
        left.push(Some(l));
        right.push(r.checked_sub(offset));
    }
    for c in conds {
        let Expr::BinaryOp { left: a, op: BinaryOperator::Eq, right: b } = strip(c) else { continue };
        let side = |e: &Expr| {
            let refs = columns_in(e, scope);
            if refs.is_empty() {
                None
            } else if refs.iter().all(|&i| i < offset) {
                Some(true)
            } else if refs.iter().all(|&i| i >= offset) {
                Some(false)
            } else {
                None
            }
        };
        let (l, r) = match (side(a), side(b)) {
            (Some(true), Some(false)) => (a, b),
            (Some(false), Some(true)) => (b, a),
            _ => continue,
        };
        left.push(quiet_column(l, scope));
        right.push(quiet_column(r, scope).and_then(|i| i.checked_sub(offset)));
    }
    (left, right)
}

/// Whether a join input must send update-before rows: it is updating and either sends them
/// already or its join keys are not all within its unique key (Flink's
/// `inputUniqueKeyContainsJoinKey`).
fn needs_update_before(input: &Rel, keys: &[Option<usize>]) -> bool {
    match input.changelog {
        Changelog::Insert => false,
        Changelog::Retract => true,
        Changelog::Upsert => {
            !input.key.as_ref().is_some_and(|k| keys.iter().all(|c| c.is_some_and(|c| k.contains(&c))))
        }
    }
}

/// The `left = right` column pairs among the conditions (scope indexes, left side first).
fn equalities(conds: &[&Expr], scope: &Scope, offset: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for c in conds {
        let Expr::BinaryOp { left, op: BinaryOperator::Eq, right } = strip(c) else { continue };
        match (quiet_column(left, scope), quiet_column(right, scope)) {
            (Some(a), Some(b)) if a < offset && b >= offset => out.push((a, b)),
            (Some(a), Some(b)) if b < offset && a >= offset => out.push((b, a)),
            _ => {}
        }
    }
    out
}

/// The right side's columns (as indexes into the right relation) that an equality binds to an
/// expression of the left side or to a constant. A -1 marks an equality bound only to a
/// constant.
fn bound_right_columns(conds: &[&Expr], scope: &Scope, offset: usize) -> Vec<isize> {
    let mut out = Vec::new();
    for c in conds {
        let Expr::BinaryOp { left, op: BinaryOperator::Eq, right } = strip(c) else { continue };
        for (mine, other) in [(left, right), (right, left)] {
            let Some(col) = quiet_column(mine, scope) else { continue };
            if col < offset {
                continue;
            }
            let refs = columns_in(other, scope);
            if refs.iter().any(|&r| r >= offset) {
                continue;
            }
            if refs.is_empty() {
                out.push(-1);
            }
            out.push((col - offset) as isize);
        }
    }
    out
}

/// The windows whose `window_start` and `window_end` the equalities join, if they do (the
/// same windows on both sides).
fn window_join(pairs: &[(usize, usize)], scope: &Scope) -> Option<usize> {
    let tag = |i: usize| scope.cols.get(i).and_then(|c| c.win);
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for &(l, r) in pairs {
        match (tag(l), tag(r)) {
            (Some(WinTag::Start(a)), Some(WinTag::Start(b))) if a == b => starts.push(a),
            (Some(WinTag::End(a)), Some(WinTag::End(b))) if a == b => ends.push(a),
            _ => {}
        }
    }
    starts.into_iter().find(|s| ends.contains(s))
}

/// What the time bounds of a join condition make of it.
enum Bounds<'e> {
    None,
    /// A lower and an upper bound between two time attributes of one kind (left and right
    /// scope column), with the condition to point at.
    Both(&'e Expr, usize, usize),
}

/// Finds time bounds between time attributes of both sides among the conditions: a lower and
/// an upper bound make an interval join (Flink's `IntervalJoinUtil`).
fn interval_bounds<'e>(conds: &[&'e Expr], scope: &Scope, offset: usize) -> Bounds<'e> {
    // (left column, right column, kind of bound on the left column, condition)
    let mut found: Vec<(usize, usize, bool, bool, &Expr)> = Vec::new();
    let mut add = |l: &Expr, op: &BinaryOperator, r: &Expr, cond: &'e Expr| {
        let (Some(a), Some(b)) = (time_ref(l, scope), time_ref(r, scope)) else { return };
        let (lower, upper) = match op {
            BinaryOperator::Gt | BinaryOperator::GtEq => (true, false),
            BinaryOperator::Lt | BinaryOperator::LtEq => (false, true),
            BinaryOperator::Eq => (true, true),
            _ => return,
        };
        if a < offset && b >= offset {
            found.push((a, b, lower, upper, cond));
        } else if b < offset && a >= offset {
            found.push((b, a, upper, lower, cond));
        }
    };
    for c in conds {
        match strip(c) {
            Expr::BinaryOp { left, op, right } => add(left, op, right, c),
            Expr::Between { expr, negated: false, low, high } => {
                add(expr, &BinaryOperator::GtEq, low, c);
                add(expr, &BinaryOperator::LtEq, high, c);
            }
            _ => {}
        }
    }
    for (l, r, lower, upper, at) in &found {
        let same_kind = |x: usize, y: usize| {
            scope.cols.get(x).and_then(|c| c.time).is_some()
                && scope.cols.get(x).and_then(|c| c.time) == scope.cols.get(y).and_then(|c| c.time)
        };
        if !same_kind(*l, *r) {
            continue;
        }
        let has_lower = *lower || found.iter().any(|(l2, r2, lo, _, _)| l2 == l && r2 == r && *lo);
        let has_upper = *upper || found.iter().any(|(l2, r2, _, up, _)| l2 == l && r2 == r && *up);
        if has_lower && has_upper {
            return Bounds::Both(at, *l, *r);
        }
    }
    Bounds::None
}

/// How deeply the bound analysis looks into an expression (time bounds are shallow; long
/// operator chains are not bounds).
const MAX_BOUND_DEPTH: usize = 16;

/// The time attribute column an expression stands for: the column itself, plus or minus
/// constant intervals, or a CAST of it.
fn time_ref(e: &Expr, scope: &Scope) -> Option<usize> {
    time_ref_at(e, scope, 0)
}

fn time_ref_at(e: &Expr, scope: &Scope, depth: usize) -> Option<usize> {
    if depth > MAX_BOUND_DEPTH {
        return None;
    }
    match e {
        Expr::Nested(x) => time_ref_at(x, scope, depth + 1),
        Expr::Cast { expr, .. } => time_ref_at(expr, scope, depth + 1),
        Expr::BinaryOp { left, op: BinaryOperator::Plus | BinaryOperator::Minus, right } => {
            if is_constant_interval(right, depth + 1) {
                time_ref_at(left, scope, depth + 1)
            } else if is_constant_interval(left, depth + 1) {
                time_ref_at(right, scope, depth + 1)
            } else {
                None
            }
        }
        _ => {
            let c = quiet_column(e, scope)?;
            scope.cols.get(c).and_then(|col| col.time).map(|_| c)
        }
    }
}

fn is_constant_interval(e: &Expr, depth: usize) -> bool {
    if depth > MAX_BOUND_DEPTH {
        return false;
    }
    match e {
        Expr::Interval(_) => true,
        Expr::Nested(x) => is_constant_interval(x, depth + 1),
        Expr::UnaryOp { expr, .. } => is_constant_interval(expr, depth + 1),
        Expr::BinaryOp { left, right, .. } => {
            (is_constant_interval(left, depth + 1) && is_constant_interval(right, depth + 1))
                || (is_constant_interval(left, depth + 1) && matches!(**right, Expr::Value(_)))
                || (matches!(**left, Expr::Value(_)) && is_constant_interval(right, depth + 1))
        }
        _ => false,
    }
}

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(x) => strip(x),
        _ => e,
    }
}

/// The scope columns an expression reads.
pub(crate) fn columns_in(e: &Expr, scope: &Scope) -> Vec<usize> {
    use sqlparser::ast::{Visit, Visitor};
    use std::ops::ControlFlow;
    struct Collect<'s> {
        scope: &'s Scope,
        found: Vec<usize>,
    }
    impl Visitor for Collect<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            if let Some(i) = quiet_column(e, self.scope) {
                self.found.push(i);
            } else if let Expr::CompoundIdentifier(parts) = e {
                // A field of a ROW column: `t.col.field` or `col.field`.
                let prefix = |n: usize| parts.get(..n).map(|p| Expr::CompoundIdentifier(p.to_vec()));
                let column = match (prefix(2), parts.first()) {
                    (Some(q), _) if quiet_column(&q, self.scope).is_some() => quiet_column(&q, self.scope),
                    (_, Some(first)) => quiet_column(&Expr::Identifier(first.clone()), self.scope),
                    _ => None,
                };
                self.found.extend(column);
            }
            ControlFlow::Continue(())
        }
    }
    let mut c = Collect { scope, found: Vec::new() };
    let _ = e.visit(&mut c);
    c.found
}
