//! OVER windows, and the ROW_NUMBER patterns Flink plans as Top-N and deduplication.
//!
//! `ROW_NUMBER() OVER (PARTITION BY k ORDER BY x) AS rn` in a subquery means nothing yet: when
//! the outer query filters on `rn` (`WHERE rn <= 3`, `rn = 1`) Flink plans a Top-N, or a
//! deduplication when the order is a time attribute and only the first row is kept; when it
//! does not, the ROW_NUMBER is an OVER aggregation, with the OVER window's rules. So the select
//! that computes it hands a [`PendingRank`] to its consumer, which settles it.

use sqlparser::ast::{
    self, BinaryOperator, Expr, Function, FunctionArguments, WindowFrameBound, WindowFrameUnits, WindowType,
};

use super::expr::{Lit, Typed};
use super::query::{AggMode, Col, Deferred, Env, QueryChecker, Rel, Scope, WinTag};
use super::select::quiet_column;
use super::types::DataType;
use super::{Changelog, TimeAttr};
use crate::diag::Code;
use crate::source::Span;

/// An OVER call of a SELECT block.
#[derive(Debug, Clone)]
pub(crate) struct OverUse {
    /// The window, written out, to check that every OVER call of a block uses the same one.
    pub(crate) window: String,
    /// The function's name, upper-case.
    pub(crate) func: String,
    pub(crate) span: Span,
    /// What is wrong with the window for an OVER aggregation (Flink accepts it as a Top-N).
    pub(crate) errors: Vec<Deferred>,
    /// The scope columns of PARTITION BY (None for an expression).
    pub(crate) partition: Vec<Option<usize>>,
    /// The ORDER BY keys: the time attribute of each, and whether it is ascending.
    pub(crate) order: Vec<(Option<TimeAttr>, bool)>,
}

/// A ROW_NUMBER column waiting for its consumer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PendingRank {
    /// The column's position in the relation.
    pub(crate) col: usize,
    pub(crate) func: String,
    pub(crate) span: Span,
    /// The output positions of the PARTITION BY keys (None where a key is not selected).
    pub(crate) partition: Vec<Option<usize>>,
    /// The window whose start and end are both PARTITION BY keys (a window Top-N).
    pub(crate) window: Option<usize>,
    pub(crate) order: Vec<(Option<TimeAttr>, bool)>,
    /// The errors to report if it turns out to be an OVER aggregation.
    pub(crate) errors: Vec<Deferred>,
    /// Computed in the select list of an aggregation: as an OVER aggregation, Flink reports
    /// the aggregation's updates before any problem of the window.
    pub(crate) after_aggregation: bool,
    /// The relation that follows the ranking once it is settled: the SELECT DISTINCT of the
    /// select that computes the row number (Flink numbers the rows before removing
    /// duplicates).
    pub(crate) then: Option<Box<Rel>>,
}

/// What a WHERE clause keeps of a ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RankFilter {
    /// No condition on the rank.
    None,
    /// Conditions on the rank: the lowest and highest rank kept (None: unbounded).
    Range(i128, Option<i128>),
}

/// Reads the WHERE conjuncts on a rank column: `rn = n`, `rn <= n`, `rn < n`, `rn >= n`,
/// `rn > n`, `rn BETWEEN a AND b`, either way round.
pub(crate) fn rank_filter(conjuncts: &[&Expr], scope: &Scope, col: usize) -> RankFilter {
    let mut lo: i128 = 1;
    let mut hi: Option<i128> = None;
    let mut any = false;
    let int = |e: &Expr| -> Option<i128> {
        match e {
            Expr::Value(v) => match &v.value {
                ast::Value::Number(n, _) => n.parse::<i128>().ok(),
                _ => None,
            },
            Expr::Nested(x) => match x.as_ref() {
                Expr::Value(v) => match &v.value {
                    ast::Value::Number(n, _) => n.parse::<i128>().ok(),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    };
    let is_rank = |e: &Expr| quiet_column(e, scope) == Some(col);
    let upper = |n: i128, hi: &mut Option<i128>| *hi = Some(hi.map_or(n, |h| h.min(n)));
    for c in conjuncts {
        match c {
            Expr::BinaryOp { left, op, right } => {
                let (op, n) = if is_rank(left) {
                    match int(right) {
                        Some(n) => (op.clone(), n),
                        None => continue,
                    }
                } else if is_rank(right) {
                    let flipped = match op {
                        BinaryOperator::Lt => BinaryOperator::Gt,
                        BinaryOperator::LtEq => BinaryOperator::GtEq,
                        BinaryOperator::Gt => BinaryOperator::Lt,
                        BinaryOperator::GtEq => BinaryOperator::LtEq,
                        o => o.clone(),
                    };
                    match int(left) {
                        Some(n) => (flipped, n),
                        None => continue,
                    }
                } else {
                    continue;
                };
                any = true;
                match op {
                    BinaryOperator::Eq => {
                        lo = lo.max(n);
                        upper(n, &mut hi);
                    }
                    BinaryOperator::LtEq => upper(n, &mut hi),
                    BinaryOperator::Lt => upper(n - 1, &mut hi),
                    BinaryOperator::GtEq => lo = lo.max(n),
                    BinaryOperator::Gt => lo = lo.max(n + 1),
                    _ => {}
                }
            }
            Expr::Between { expr, negated: false, low, high } if is_rank(expr) => {
                if let (Some(a), Some(b)) = (int(low), int(high)) {
                    any = true;
                    lo = lo.max(a);
                    upper(b, &mut hi);
                }
            }
            _ => {}
        }
    }
    if any { RankFilter::Range(lo, hi) } else { RankFilter::None }
}

impl QueryChecker<'_> {
    /// Settles a relation's pending ROW_NUMBER as an OVER aggregation (its consumer does not
    /// filter on it).
    pub(crate) fn settle(&mut self, mut rel: Rel) -> Option<Rel> {
        match rel.rank.take() {
            None => Some(rel),
            Some(p) => self.settle_over(rel, *p),
        }
    }

    /// A ROW_NUMBER that is an OVER aggregation: the OVER window's rules apply, and the input
    /// must be insert-only.
    pub(crate) fn settle_over(&mut self, rel: Rel, mut p: PendingRank) -> Option<Rel> {
        let then = p.then.take();
        let settled = self.settle_over_inner(rel, p)?;
        Some(then.map_or(settled, |d| *d))
    }

    fn settle_over_inner(&mut self, mut rel: Rel, p: PendingRank) -> Option<Rel> {
        if p.after_aggregation && rel.changelog != Changelog::Insert {
            self.over_on_updating(&rel, p.span);
            return None;
        }
        if !p.errors.is_empty() {
            for d in p.errors {
                self.report(d);
            }
            return None;
        }
        if rel.changelog != Changelog::Insert {
            self.over_on_updating(&rel, p.span);
            return None;
        }
        rel.key = None;
        rel.cause = None;
        rel.raw = false;
        rel.lookup = false;
        Some(rel)
    }

    fn over_on_updating(&mut self, rel: &Rel, at: Span) {
        let cause = rel.cause.clone().unwrap_or_else(|| "its input".to_string());
        // Flink: "StreamPhysicalOverAggregate doesn't support consuming update and delete
        // changes".
        self.error(
            Code::E0409,
            at,
            format!("an OVER window takes inserts only, but its input is updated by {cause}"),
            "updating input",
            "compute the OVER window on an append-only relation",
        );
    }

    /// A ROW_NUMBER filtered by WHERE: a Top-N, or a deduplication when it orders by a time
    /// attribute and keeps the first row; per window (insert-only) when it partitions by a
    /// window's start and end.
    pub(crate) fn settle_rank(&mut self, rel: Rel, mut p: PendingRank, filter: RankFilter) -> Option<Rel> {
        let then = p.then.take();
        let settled = self.settle_rank_inner(rel, p, filter)?;
        Some(then.map_or(settled, |d| *d))
    }

    fn settle_rank_inner(&mut self, mut rel: Rel, p: PendingRank, filter: RankFilter) -> Option<Rel> {
        let RankFilter::Range(lo, hi) = filter else { return self.settle_over(rel, p) };
        rel.raw = false;
        rel.lookup = false;
        if p.func != "ROW_NUMBER" {
            // Flink: "RANK() on streaming table is not supported currently".
            self.streaming_error(
                p.span,
                format!("{}() is not supported on a stream as a Top-N", p.func),
                "use ROW_NUMBER",
                "write ROW_NUMBER() OVER (...)",
            );
            return None;
        }
        let Some(hi) = hi else {
            // Flink: "Rank end is not specified. Currently rank only support TopN".
            self.streaming_error(
                p.span,
                "a Top-N needs an upper bound on the row number",
                "no upper bound",
                "filter with rn <= N (or rn = 1 to deduplicate)",
            );
            return None;
        };
        if p.order.is_empty() {
            self.streaming_error(
                p.span,
                "a Top-N or deduplication needs ORDER BY in its OVER window",
                "no ORDER BY",
                "order the rows, e.g. ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC)",
            );
            return None;
        }
        let partition_key: Option<Vec<usize>> = p.partition.iter().copied().collect();
        if p.window.is_some() {
            if rel.changelog != Changelog::Insert {
                let cause = rel.cause.clone().unwrap_or_else(|| "its input".to_string());
                // Flink: "StreamPhysicalWindowRank doesn't support consuming update and delete
                // changes".
                self.error(
                    Code::E0409,
                    p.span,
                    format!("a window Top-N takes inserts only, but its input is updated by {cause}"),
                    "updating input",
                    "rank the windows of an append-only relation, or of a window aggregation",
                );
                return None;
            }
            // A window Top-N or deduplication emits each window's rows once.
            rel.changelog = Changelog::Insert;
            rel.key = None;
            rel.cause = None;
            return Some(rel);
        }
        let first_only = hi <= 1 && lo <= 1;
        let dedup_order = match p.order.as_slice() {
            [(Some(attr), asc)] => Some((*attr, *asc)),
            _ => None,
        };
        if let (true, Some((attr, asc))) = (first_only, dedup_order) {
            if rel.changelog != Changelog::Insert {
                let cause = rel.cause.clone().unwrap_or_else(|| "its input".to_string());
                // Flink: "StreamPhysicalDeduplicate doesn't support consuming update and
                // delete changes".
                self.error(
                    Code::E0409,
                    p.span,
                    format!("a deduplication takes inserts only, but its input is updated by {cause}"),
                    "updating input",
                    "deduplicate an append-only relation; a CDC or upsert source is already unique on its key",
                );
                return None;
            }
            rel.key = partition_key;
            if attr == TimeAttr::Proctime && asc {
                // Keeping the first row by processing time never revises it.
                rel.changelog = Changelog::Insert;
                rel.cause = None;
            } else {
                let which = if asc { "first" } else { "last" };
                rel.changelog = Changelog::Upsert;
                rel.cause = Some(format!("the deduplication (ROW_NUMBER, keep the {which} row) in {}", self.owner));
            }
            return Some(rel);
        }
        rel.key = match partition_key {
            Some(mut k) if hi <= 1 => {
                k.sort_unstable();
                Some(k)
            }
            // One rank other than the first (`rn = 2`): Flink derives no key.
            Some(_) if lo == hi => None,
            Some(mut k) => {
                k.push(p.col);
                Some(k)
            }
            None => None,
        };
        rel.changelog = Changelog::Upsert;
        rel.cause = Some(format!("the Top-N (ROW_NUMBER) in {}", self.owner));
        Some(rel)
    }

    /// The relation of a SELECT block with OVER calls: a pending ROW_NUMBER, or an OVER
    /// aggregation (one window for all calls, an insert-only input, an insert-only result
    /// that keeps the time attributes).
    pub(crate) fn over_rel(
        &mut self,
        mut rel: Rel,
        out: &[(Col, Option<usize>)],
        scope: &Scope,
        over_items: &[(usize, usize)],
        aggregating: bool,
    ) -> Option<Rel> {
        let overs = std::mem::take(&mut self.frame.overs);
        let Some(first) = overs.first() else { return Some(rel) };
        if let (Some(o), [(col, 0)]) = (overs.first(), over_items)
            && overs.len() == 1
            && matches!(o.func.as_str(), "ROW_NUMBER" | "RANK" | "DENSE_RANK")
        {
            // Where the PARTITION BY keys stand in the output.
            let partition: Vec<Option<usize>> =
                o.partition.iter().map(|p| p.and_then(|sc| out.iter().position(|(_, src)| *src == Some(sc)))).collect();
            let win_tags: Vec<WinTag> =
                o.partition.iter().flatten().filter_map(|&sc| scope.cols.get(sc).and_then(|c| c.win)).collect();
            let window = win_tags.iter().find_map(|t| match t {
                WinTag::Start(id) if win_tags.contains(&WinTag::End(*id)) => Some(*id),
                _ => None,
            });
            rel.rank = Some(Box::new(PendingRank {
                col: *col,
                func: o.func.clone(),
                span: o.span,
                partition,
                window,
                order: o.order.clone(),
                errors: o.errors.clone(),
                after_aggregation: aggregating,
                then: None,
            }));
            return Some(rel);
        }
        if aggregating && rel.changelog != Changelog::Insert {
            // Flink reports the aggregation's updates first.
            self.over_on_updating(&rel, first.span);
            return None;
        }
        let mut failed = false;
        for o in &overs {
            if o.window != first.window {
                // Flink: "Over Agg: Unsupported use of OVER windows. All aggregates must be
                // computed on the same window."
                self.streaming_error(
                    o.span,
                    "every OVER aggregate of a SELECT must use the same window",
                    "another window",
                    "compute aggregates over different windows in separate transforms, or share one WINDOW w AS (...)",
                );
                return None;
            }
            if !o.errors.is_empty() {
                for d in o.errors.clone() {
                    self.report(d);
                }
                failed = true;
            }
        }
        if failed {
            return None;
        }
        if rel.changelog != Changelog::Insert {
            self.over_on_updating(&rel, first.span);
            return None;
        }
        rel.key = None;
        rel.cause = None;
        Some(rel)
    }

    /// Types `f(...) OVER (...)`.
    pub(crate) fn over_call(&mut self, name: &str, f: &Function, e: &Expr, env: &Env) -> Option<Typed> {
        let span = self.call_span(f, e);
        // In the select list of an aggregation, the OVER window reads the aggregation's rows:
        // its keys and arguments are group keys and aggregates.
        let grouped = match &env.agg {
            AggMode::Plain => None,
            AggMode::Grouped(keys) => Some(*keys),
            AggMode::Forbidden(clause) => {
                let clause = *clause;
                self.error(
                    Code::E0310,
                    span,
                    format!("OVER windows are not allowed in {clause}"),
                    "OVER here",
                    "compute the OVER window in the select list of a subquery",
                );
                return None;
            }
            AggMode::InAggregate => {
                self.error(
                    Code::E0310,
                    span,
                    "an OVER window cannot be an aggregate's argument",
                    "nested",
                    "compute it in a subquery",
                );
                return None;
            }
        };
        if f.filter.is_some() {
            // Flink: "OVER must be applied to aggregate function".
            self.error(
                Code::E0310,
                span,
                "FILTER is not allowed with OVER",
                "FILTER with OVER",
                "filter inside the aggregate instead, e.g. SUM(CASE WHEN c THEN x END) OVER (...)",
            );
            return None;
        }
        let spec = match f.over.as_ref()? {
            WindowType::WindowSpec(s) => s.clone(),
            WindowType::NamedWindow(n) => match self.frame.named_windows.iter().find(|(w, _)| *w == n.value) {
                Some((_, s)) => s.clone(),
                None => {
                    self.error(
                        Code::E0303,
                        self.ident_span(n),
                        format!("unknown window `{}`", n.value),
                        "no such window",
                        "define it in the WINDOW clause: WINDOW w AS (PARTITION BY ... ORDER BY ...)",
                    );
                    return None;
                }
            },
        };
        if spec.window_name.is_some() {
            self.unsupported_at(span, "an OVER window that extends a named window is not type-checked yet");
            return None;
        }
        // The window's partition and order keys.
        let plain = match grouped {
            Some(keys) => Env { scope: env.scope, agg: AggMode::Grouped(keys) },
            None => Env { scope: env.scope, agg: AggMode::Plain },
        };
        let key_env = &plain;
        let mut partition = Vec::new();
        for p in &spec.partition_by {
            let t = self.expr(p, key_env)?;
            partition.push(t.col);
        }
        let mut order = Vec::new();
        let mut order_typed = Vec::new();
        for o in &spec.order_by {
            let mut t = self.expr(&o.expr, key_env)?;
            if grouped.is_some() {
                // An aggregation materializes its time attributes, except a window
                // aggregation's window_time.
                t.time = t
                    .col
                    .and_then(|c| env.scope.cols.get(c))
                    .filter(|c| matches!(c.win, Some(WinTag::Time(_))))
                    .and_then(|c| c.time);
            }
            order.push((t.time, !matches!(o.options.sort, Some(ast::OrderBySort::Desc))));
            order_typed.push((t, o));
        }
        // What Flink requires of an OVER aggregation's window.
        let mut errors = Vec::new();
        match order_typed.as_slice() {
            [(t, o)] => {
                if t.time.is_none() {
                    // Flink: "OVER windows' ordering in stream mode must be defined on a time
                    // attribute."
                    errors.push(Deferred {
                        code: Code::E0314,
                        span: self.expr_span(&o.expr),
                        message: "an OVER window on a stream must be ordered by a time attribute".into(),
                        label: "not a time attribute".into(),
                        help: "order by the event-time (watermark) or a processing-time column; for a Top-N, filter on the row number in an outer query".into(),
                    });
                } else if matches!(o.options.sort, Some(ast::OrderBySort::Desc)) {
                    // Flink: "The window can only be ordered in ASCENDING mode."
                    errors.push(Deferred {
                        code: Code::E0315,
                        span: self.expr_span(&o.expr),
                        message: "an OVER window is ordered ascending only".into(),
                        label: "descending".into(),
                        help: "remove DESC; for the latest row per key, filter ROW_NUMBER() ... ORDER BY ts DESC on = 1 in an outer query".into(),
                    });
                }
            }
            _ => {
                // Flink: "The window can only be ordered by a single time column."
                errors.push(Deferred {
                    code: Code::E0315,
                    span,
                    message: "an OVER window on a stream is ordered by exactly one time attribute".into(),
                    label: if order_typed.is_empty() { "no ORDER BY".into() } else { "several sort keys".into() },
                    help: "write OVER (PARTITION BY ... ORDER BY time_column ...)".into(),
                });
            }
        }
        if let Some(frame) = &spec.window_frame {
            let end_following = match &frame.end_bound {
                None => false,
                Some(WindowFrameBound::CurrentRow) => false,
                Some(WindowFrameBound::Following(_)) => true,
                Some(WindowFrameBound::Preceding(_)) => false,
            };
            let start_bad = matches!(frame.start_bound, WindowFrameBound::CurrentRow | WindowFrameBound::Following(_));
            if end_following || start_bad {
                // Flink: "OVER RANGE FOLLOWING windows are not supported yet."
                errors.push(Deferred {
                    code: Code::E0315,
                    span,
                    message: "an OVER window on a stream ends at the current row and starts before it".into(),
                    label: "FOLLOWING or CURRENT ROW start".into(),
                    help: "write ROWS|RANGE BETWEEN n PRECEDING AND CURRENT ROW".into(),
                });
            }
            if let WindowFrameBound::Preceding(Some(b)) = &frame.start_bound {
                let is_interval = matches!(**b, Expr::Interval(_));
                match frame.units {
                    WindowFrameUnits::Range if !is_interval && order.first().is_some_and(|(t, _)| t.is_some()) => {
                        // Flink: "Data Type mismatch between ORDER BY and RANGE clause".
                        self.error(
                            Code::E0305,
                            self.expr_span(b),
                            "a RANGE window over a time column is bounded by an interval",
                            "not an interval",
                            "write RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW, or ROWS BETWEEN n PRECEDING",
                        );
                        return None;
                    }
                    WindowFrameUnits::Groups => {
                        self.error(
                            Code::E0301,
                            span,
                            "GROUPS windows are not Flink SQL",
                            "not Flink SQL",
                            "use ROWS or RANGE",
                        );
                        return None;
                    }
                    _ => {}
                }
            }
        }
        // The function.
        let ranking = matches!(name, "ROW_NUMBER" | "RANK" | "DENSE_RANK" | "PERCENT_RANK" | "CUME_DIST" | "NTILE");
        if ranking && spec.window_frame.is_some() {
            // Flink: "ROW/RANGE not allowed with RANK, DENSE_RANK or ROW_NUMBER functions".
            self.error(
                Code::E0305,
                span,
                format!("`{name}` takes no ROWS or RANGE frame"),
                "frame on a ranking function",
                "remove the ROWS/RANGE clause from its window",
            );
            return None;
        }
        let typed = match name {
            "ROW_NUMBER" | "RANK" | "DENSE_RANK" | "PERCENT_RANK" | "CUME_DIST" | "NTILE" => {
                if name != "NTILE" && !matches!(&f.args, FunctionArguments::List(l) if l.args.is_empty()) {
                    self.error(
                        Code::E0305,
                        span,
                        format!("`{name}` takes no arguments"),
                        "arguments",
                        format!("write {name}()"),
                    );
                    return None;
                }
                match name {
                    "ROW_NUMBER" | "RANK" | "DENSE_RANK" => Typed::of(DataType::bigint().not_null()),
                    _ => {
                        // Flink: "CUME_DIST Function is not supported in stream mode."
                        self.streaming_error(
                            span,
                            format!("{name} is not supported on a stream"),
                            "not in stream mode",
                            "use ROW_NUMBER, RANK or an aggregate over the window",
                        );
                        return None;
                    }
                }
            }
            "LEAD" => {
                // Flink: "LEAD Function is not supported in stream mode."
                self.streaming_error(
                    span,
                    "LEAD is not supported on a stream",
                    "LEAD",
                    "use LAG, which looks at earlier rows",
                );
                return None;
            }
            "LAG" => {
                let args = self.plain_args(f, e)?;
                let Some((first_arg, rest)) = args.split_first() else {
                    self.error(
                        Code::E0305,
                        span,
                        "`LAG` takes a value",
                        "no argument",
                        "write LAG(column [, offset [, default]])",
                    );
                    return None;
                };
                let t = self.expr(first_arg, &plain)?;
                let mut typed_rest = Vec::new();
                for a in rest {
                    typed_rest.push(self.expr(a, &plain)?);
                }
                match (typed_rest.get(1), rest.get(1)) {
                    (Some(d), Some(at)) if !d.ty.is_null() => {
                        // Flink's LAG keeps the value and the default in one Java class: a
                        // default of another class fails at planning ("Please explicitly cast
                        // default value ...").
                        if internal_class(&d.ty) != internal_class(&t.ty) {
                            self.error(
                                Code::E0305,
                                self.expr_span(at),
                                format!(
                                    "the default of `LAG` has type {}, which Flink cannot hold with a value of type {}",
                                    d.ty, t.ty
                                ),
                                "default of another type",
                                format!(
                                    "CAST the default to the value's type, e.g. CAST({at} AS {})",
                                    t.ty.clone().nullable()
                                ),
                            );
                            return None;
                        }
                        // A NOT NULL default makes the result NOT NULL.
                        Typed::of(DataType { nullable: d.ty.nullable, ..t.ty })
                    }
                    _ => Typed::of(t.ty.nullable()),
                }
            }
            _ if super::functions::AGGREGATES.contains(&name) => {
                let agg_env = Env { scope: env.scope, agg: AggMode::Grouped(grouped.unwrap_or(&[])) };
                let maybe_empty = matches!(
                    spec.window_frame.as_ref().map(|w| &w.start_bound),
                    Some(WindowFrameBound::Preceding(Some(_)))
                );
                let mut t = self.aggregate(name, f, e, &agg_env, Some(maybe_empty))?;
                t.lit = Lit::NotLiteral;
                t
            }
            _ => {
                self.error(
                    Code::E0310,
                    span,
                    format!("`{name}` is not an aggregate or window function, so it takes no OVER"),
                    "not a window function",
                    "remove OVER",
                );
                return None;
            }
        };
        self.frame.overs.push(OverUse {
            window: format!("{spec}"),
            func: name.to_string(),
            span,
            errors,
            partition,
            order,
        });
        Some(typed)
    }

    /// The span of a call's name.
    pub(crate) fn call_span(&self, f: &Function, e: &Expr) -> Span {
        match f.name.0.first().and_then(|p| p.as_ident()) {
            Some(i) => self.ident_span(i),
            None => self.expr_span(e),
        }
    }
}

/// The Java class in which Flink's runtime holds a value of the type (its internal data
/// structure): types of one class are interchangeable where Flink compares classes.
fn internal_class(t: &DataType) -> u8 {
    use super::types::TypeKind::*;
    match &t.kind {
        Boolean => 0,
        TinyInt => 1,
        SmallInt => 2,
        Int | Date | Time(_) | IntervalYearMonth => 3,
        BigInt | IntervalDaySecond => 4,
        Float => 5,
        Double => 6,
        Decimal(..) => 7,
        Char(_) | VarChar(_) => 8,
        Binary(_) | VarBinary(_) => 9,
        Timestamp(_) | TimestampLtz(_) => 10,
        Array(_) => 11,
        Map(..) | Multiset(_) => 12,
        Row(_) => 13,
        Null => 14,
    }
}
