//! Typing of a SELECT block: WHERE, GROUP BY (regular and window aggregation), HAVING, the
//! select list, DISTINCT, OVER windows, and the changelog mode and unique key of the result.

use std::ops::ControlFlow;

use sqlparser::ast::{
    self, BinaryOperator, Distinct, Expr, GroupByExpr, SelectItem, SelectItemQualifiedWildcardKind, Spanned, Visit,
    Visitor, WildcardAdditionalOptions,
};

use super::Changelog;
use super::expr::{Lit, Typed, list};
use super::functions::is_aggregate_call;
use super::joins::columns_in;
use super::over::{self, RankFilter};
use super::query::{AggMode, Col, Env, GroupKey, LegacyWindow, QueryChecker, Rel, Scope, WinTag, WindowKind};
use crate::diag::{Code, did_you_mean};

impl QueryChecker<'_> {
    /// Types a SELECT block; returns its relation and its FROM scope (for ORDER BY).
    pub(crate) fn select(&mut self, sel: &ast::Select) -> Option<(Rel, Scope)> {
        let saved = std::mem::take(&mut self.frame);
        let r = self.select_inner(sel);
        self.frame = saved;
        r
    }

    fn select_inner(&mut self, sel: &ast::Select) -> Option<(Rel, Scope)> {
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
            || sel.qualify.is_some()
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
        if let Some(Distinct::On(_)) = &sel.distinct {
            self.error(
                Code::E0301,
                sel_span,
                "DISTINCT ON is not Flink SQL",
                "not Flink SQL",
                "deduplicate with ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) = 1",
            );
            return None;
        }
        for w in &sel.named_window {
            let ast::NamedWindowDefinition(name, expr) = w;
            match expr {
                ast::NamedWindowExpr::WindowSpec(spec) => {
                    self.frame.named_windows.push((name.value.clone(), spec.clone()))
                }
                ast::NamedWindowExpr::NamedWindow(_) => {
                    self.unsupported_at(
                        self.ident_span(name),
                        "a window defined as another window is not type-checked yet",
                    );
                    return None;
                }
            }
        }
        let distinct = matches!(sel.distinct, Some(Distinct::Distinct));
        let conjuncts: Vec<&Expr> = sel.selection.as_ref().map(conjuncts_of).unwrap_or_default();
        let mut source = self.check_from(&sel.from, &conjuncts)?;

        // Whether the FROM relation is a changelog as its table emits it (a filter on it then
        // corrupts a temporal join's versions).
        let raw_changelog = source.rel.raw && source.rel.changelog != Changelog::Insert;
        // A ROW_NUMBER of the FROM relation becomes a Top-N or a deduplication when WHERE
        // filters on it; otherwise it is an OVER aggregation.
        let mut rank_col = None;
        if let Some(pending) = source.rel.rank.take() {
            let filter = over::rank_filter(&conjuncts, &source.scope, pending.col);
            if !matches!(filter, RankFilter::None) {
                rank_col = Some(pending.col);
            }
            source.rel = match filter {
                RankFilter::None => self.settle_over(source.rel, *pending)?,
                f => self.settle_rank(source.rel, *pending, f)?,
            };
        }
        self.frame.semi_conjuncts = conjuncts
            .iter()
            .filter(|c| {
                matches!(
                    c,
                    Expr::InSubquery { negated: false, .. }
                        | Expr::Exists { negated: false, .. }
                        | Expr::AnyOp { compare_op: BinaryOperator::Eq, .. }
                )
            })
            .map(|c| *c as *const Expr as usize)
            .collect();

        let mut ok = true;
        if let Some(w) = &sel.selection {
            let scope = &source.scope;
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
        // A filter of updating rows needs their update-before rows: an update that stops
        // passing it must retract the old row (Flink's changelog inference, FLINK-9528). The
        // conditions on a rank are the Top-N's own; semi joins and conditions over several
        // tables (an inner join's) are joins; a condition on pushable columns goes below the
        // operator that updates.
        let semi = &self.frame.semi_conjuncts;
        let filters = conjuncts.iter().any(|c| {
            let cols = columns_in(c, &source.scope);
            let mut tables: Vec<usize> =
                cols.iter().filter_map(|&i| source.scope.table_of(i)).map(|t| t.start).collect();
            tables.sort_unstable();
            tables.dedup();
            let pushed = !cols.is_empty() && cols.iter().all(|i| source.rel.pushdown.contains(i));
            let is_semi = semi.contains(&(*c as *const Expr as usize));
            let on_rank = rank_col.is_some_and(|col| cols.contains(&col));
            !is_semi && !on_rank && !pushed && tables.len() <= 1
        });
        if filters && source.rel.changelog == Changelog::Upsert {
            source.rel.changelog = Changelog::Retract;
        }
        // Subqueries in WHERE join the FROM relation: their changelog joins in, and the join
        // materializes its time attributes.
        let where_subqueries = self.frame.subqueries.len();
        if where_subqueries > 0 {
            self.apply_subqueries(&mut source.rel, 0);
            for c in &mut source.scope.cols {
                c.time = None;
            }
        }
        let scope = &source.scope;
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
                self.error(
                    Code::E0301,
                    self.loc.span(sel.group_by.span()),
                    "GROUP BY ALL is not Flink SQL",
                    "not Flink SQL",
                    "list the grouped columns",
                );
                return None;
            }
        };
        let aggregating = !group_exprs.is_empty() || sel.having.is_some() || sel.projection.iter().any(has_aggregate);
        let mut keys: Vec<GroupKey> = Vec::new();
        if aggregating {
            keys = self.group_keys(group_exprs, scope)?;
        }
        let env =
            if aggregating { Env { scope, agg: AggMode::Grouped(&keys) } } else { Env { scope, agg: AggMode::Plain } };
        // Each output column, with the scope column it copies (for keys and window columns).
        let mut out: Vec<(Col, Option<usize>)> = Vec::new();
        // The output position of each select item that is exactly an OVER call.
        let mut over_items: Vec<(usize, usize)> = Vec::new();
        for item in &sel.projection {
            match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    let overs_before = self.frame.overs.len();
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
                    if self.frame.overs.len() == overs_before + 1 && matches!(e, Expr::Function(f) if f.over.is_some())
                    {
                        over_items.push((out.len(), overs_before));
                    }
                    let name = match item {
                        SelectItem::ExprWithAlias { alias, .. } => alias.value.clone(),
                        _ => derived_name(e).unwrap_or_else(|| format!("EXPR${}", out.len())),
                    };
                    out.push((Col { name, ty: t.ty, time: t.time, win: None }, t.col));
                }
                SelectItem::Wildcard(opts) => {
                    let all: Vec<usize> = match &scope.star {
                        Some(order) => order.clone(),
                        None => (0..scope.cols.len()).filter(|i| !scope.hidden.contains(i)).collect(),
                    };
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
            let overs_before = self.frame.overs.len();
            let typed = self.expr(h, &env);
            if let Some(o) = self.frame.overs.get(overs_before) {
                // Calcite: "Windowed aggregate expression is illegal in HAVING clause".
                let at = o.span;
                self.error(
                    Code::E0310,
                    at,
                    "OVER windows are not allowed in HAVING",
                    "OVER here",
                    "compute the OVER window in the select list, and filter it in an outer query",
                );
                return None;
            }
            match typed {
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
        let late_subqueries = self.frame.subqueries.len() > where_subqueries;
        // A projection of one table keeps it a lookup table unless it filters (Flink cannot
        // plan a lookup join on a filtered view); a filter of an updating relation is marked.
        let single = source.scope.tables.len() == 1 && where_subqueries == 0;
        source.rel.lookup &= single && sel.selection.is_none();
        if sel.selection.is_some() && raw_changelog {
            source.rel.filtered = true;
        }
        // Flink computes the OVER windows of a SELECT DISTINCT before removing duplicates.
        let distinct_over = distinct && !aggregating && !self.frame.overs.is_empty();
        let mut rel = if aggregating {
            self.aggregate_rel(sel, group_exprs, &keys, &out, scope, distinct)?
        } else if distinct && !distinct_over {
            self.distinct_rel(&out, scope)
        } else {
            self.project_rel(&out, scope, &source.rel)
        };
        if !self.frame.overs.is_empty() {
            rel = self.over_rel(rel, &out, scope, &over_items, aggregating)?;
            if distinct_over {
                let deduplicated = self.distinct_rel(&out, scope);
                match rel.rank.as_mut() {
                    Some(p) => p.then = Some(Box::new(deduplicated)),
                    None => rel = deduplicated,
                }
            }
        }
        if late_subqueries {
            self.apply_subqueries(&mut rel, where_subqueries);
            rel.materialize_time();
        }
        Some((rel, source.scope))
    }

    /// A projection: the FROM relation's changelog, its key where the select list keeps it,
    /// and the time attributes and window columns of plainly copied columns.
    fn project_rel(&mut self, out: &[(Col, Option<usize>)], scope: &Scope, from: &Rel) -> Rel {
        let cols: Vec<Col> = out
            .iter()
            .map(|(c, src)| {
                let win = src.and_then(|s| scope.cols.get(s)).and_then(|sc| sc.win);
                Col { win, ..c.clone() }
            })
            .collect();
        let key = from.key.as_ref().and_then(|k| {
            k.iter().map(|sc| out.iter().position(|(_, src)| *src == Some(*sc))).collect::<Option<Vec<_>>>()
        });
        let pushdown = (0..out.len())
            .filter(|&i| out.get(i).and_then(|(_, src)| *src).is_some_and(|sc| from.pushdown.contains(&sc)))
            .collect();
        Rel {
            cols,
            changelog: from.changelog,
            key,
            cause: from.cause.clone(),
            lookup: from.lookup,
            filtered: from.filtered,
            raw: from.raw,
            rank: None,
            pushdown,
        }
    }

    /// SELECT DISTINCT without aggregates: a grouping by every selected column, which is a
    /// window aggregation when it keeps a window's start and end.
    fn distinct_rel(&mut self, out: &[(Col, Option<usize>)], scope: &Scope) -> Rel {
        let srcs: Vec<Option<usize>> = out.iter().map(|(_, s)| *s).collect();
        let window = window_of_groups(&srcs, scope, |id| self.window(id).cloned());
        let n = out.len();
        let mut cols: Vec<Col> = out.iter().map(|(c, _)| Col { time: None, win: None, ..c.clone() }).collect();
        if let Some(id) = window {
            keep_window_columns(&mut cols, &srcs, scope, id);
            return Rel::insert_only(cols);
        }
        Rel {
            cols,
            changelog: Changelog::Upsert,
            key: Some((0..n).collect()),
            cause: Some(format!("the SELECT DISTINCT in {}", self.owner)),
            lookup: false,
            filtered: false,
            raw: false,
            rank: None,
            pushdown: Vec::new(),
        }
    }

    /// An aggregation's relation: a window aggregation (GROUP BY window_start, window_end of
    /// one window, and for a SESSION window its PARTITION BY keys) is insert-only; any other
    /// aggregation updates, keyed on its group keys.
    #[allow(clippy::too_many_arguments)]
    fn aggregate_rel(
        &mut self,
        sel: &ast::Select,
        group_exprs: &[Expr],
        keys: &[GroupKey],
        out: &[(Col, Option<usize>)],
        scope: &Scope,
        distinct: bool,
    ) -> Option<Rel> {
        if keys.iter().any(|k| k.legacy.is_some()) {
            // A legacy group window (GROUP BY TUMBLE(ts, ...)) is a window aggregation; its
            // *_ROWTIME and *_PROCTIME columns are time attributes.
            let cols: Vec<Col> = out.iter().map(|(c, _)| Col { win: None, ..c.clone() }).collect();
            return Some(Rel::insert_only(cols));
        }
        let group_cols: Vec<Option<usize>> = keys.iter().filter(|k| k.always).map(|k| k.typed.col).collect();
        let window = window_of_groups(&group_cols, scope, |id| self.window(id).cloned());
        let mut cols: Vec<Col> = out.iter().map(|(c, _)| Col { time: None, win: None, ..c.clone() }).collect();
        if let Some(id) = window {
            if let Some(spec) = self.window(id)
                && spec.hop_not_multiple
            {
                // Flink: "HOP table function based aggregate requires size must be an integral
                // multiple of slide".
                let at = group_exprs.first().map_or(self.loc.span(sel.select_token.0.span), |g| self.expr_span(g));
                self.streaming_error(
                    at,
                    "a HOP window aggregation needs a size that is a whole multiple of the slide",
                    "size not a multiple of the slide",
                    "make the window size a multiple of the slide, e.g. slide 1 minute and size 5 minutes",
                );
                return None;
            }
            let srcs: Vec<Option<usize>> = out.iter().map(|(_, s)| *s).collect();
            keep_window_columns(&mut cols, &srcs, scope, id);
            return Some(Rel::insert_only(cols));
        }
        // The group keys that are selected form the result's unique key; constant keys do not
        // count.
        let varying: Vec<&GroupKey> = keys.iter().filter(|k| k.typed.lit == Lit::NotLiteral).collect();
        let sets = keys.iter().any(|k| !k.always);
        let mut key = if sets {
            // Grouping sets repeat a group key across the sets' rows.
            None
        } else if varying.is_empty() {
            Some(Vec::new())
        } else {
            varying.iter().map(|k| key_position(k, sel, out)).collect::<Option<Vec<usize>>>()
        };
        if distinct {
            key = Some((0..cols.len()).collect());
        }
        let what = if group_exprs.is_empty() {
            "the aggregation without GROUP BY".to_string()
        } else {
            let shown: Vec<String> = group_exprs.iter().map(|g| g.to_string()).collect();
            let mut text = shown.join(", ");
            if text.chars().count() > 60 {
                text = format!("{}...", text.chars().take(57).collect::<String>());
            }
            format!("the aggregation (GROUP BY {text})")
        };
        for c in &mut cols {
            c.time = None;
        }
        // An aggregation updates its rows by key without update-before rows, unless HAVING
        // filters on an aggregate: Flink then needs the update-before row to retract a row that
        // no longer passes (a condition on group keys only goes below the aggregation).
        let having_aggregates =
            sel.having.as_ref().is_some_and(|h| conjuncts_of(h).iter().any(|c| expr_has_aggregate(c)));
        let changelog = if having_aggregates { Changelog::Retract } else { Changelog::Upsert };
        let pushdown = key.clone().unwrap_or_default();
        Some(Rel {
            cols,
            changelog,
            key,
            cause: Some(format!("{what} in {}", self.owner)),
            lookup: false,
            filtered: false,
            raw: false,
            rank: None,
            pushdown,
        })
    }

    /// Applies the subqueries typed since `from` to a relation's changelog: a semi join
    /// updates only with its subquery; any other subquery is a join that retracts.
    pub(crate) fn apply_subqueries(&mut self, rel: &mut Rel, from: usize) {
        let uses: Vec<_> = self.frame.subqueries.iter().skip(from).cloned().collect();
        for u in uses {
            if u.semi {
                if u.changelog > rel.changelog {
                    let why = u.cause.clone().unwrap_or_else(|| "an updating input".to_string());
                    rel.changelog = u.changelog;
                    rel.cause = Some(format!("the {} in {} (its input is updating: {why})", u.what, self.owner));
                }
            } else {
                if rel.changelog == Changelog::Insert || rel.cause.is_none() {
                    rel.cause = Some(format!("the {} in {}", u.what, self.owner));
                }
                // The join needs update-before rows from an input that sends them, or from an
                // updating outer relation without a key.
                let retracts = rel.changelog == Changelog::Retract
                    || u.changelog == Changelog::Retract
                    || (rel.changelog == Changelog::Upsert && rel.key.is_none());
                rel.changelog = if retracts { Changelog::Retract } else { Changelog::Upsert };
                rel.key = None;
            }
        }
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
            self.error(
                Code::E0301,
                star,
                "`*` with EXCEPT, REPLACE or other options is not Flink SQL",
                "not Flink SQL",
                "list the columns",
            );
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
                    out.push((Col::new(c.name.clone(), k.typed.ty.clone()), Some(i)));
                }
                _ => out.push((Col { win: None, ..c.clone() }, Some(i))),
            }
        }
        true
    }
}

impl QueryChecker<'_> {
    /// The group keys of GROUP BY: plain expressions, the expressions of GROUPING SETS, ROLLUP
    /// and CUBE (nullable unless every set has them), and legacy group windows
    /// (`TUMBLE(ts, INTERVAL ...)`).
    fn group_keys(&mut self, group_exprs: &[Expr], scope: &Scope) -> Option<Vec<GroupKey>> {
        let env = Env { scope, agg: AggMode::Forbidden("GROUP BY") };
        // Each construct's sets; a plain expression is a construct with one set.
        let mut constructs: Vec<Vec<Vec<&Expr>>> = Vec::new();
        for g in group_exprs {
            match g {
                Expr::GroupingSets(sets) => constructs.push(sets.iter().map(|s| s.iter().collect()).collect()),
                Expr::Rollup(lists) => {
                    // Every prefix, the empty one included.
                    let sets = (0..=lists.len()).rev().map(|i| lists.iter().take(i).flatten().collect()).collect();
                    constructs.push(sets);
                }
                Expr::Cube(lists) => {
                    // Every subset, the empty one included: no item is in all of them.
                    let mut sets: Vec<Vec<&Expr>> = vec![lists.iter().flatten().collect()];
                    sets.push(Vec::new());
                    constructs.push(sets);
                }
                _ => constructs.push(vec![vec![g]]),
            }
        }
        let mut keys: Vec<GroupKey> = Vec::new();
        let mut ok = true;
        for c in &constructs {
            for set in c {
                for g in set {
                    if keys.iter().any(|k| k.expr == **g) {
                        continue;
                    }
                    let always = constructs.iter().any(|c2| c2.iter().all(|s| s.contains(g)));
                    if let Some(legacy) = self.legacy_window(g, scope) {
                        match legacy {
                            Some(l) => keys.push(GroupKey {
                                expr: (*g).clone(),
                                typed: Typed::of(l.ty.clone()),
                                always,
                                legacy: Some(l),
                            }),
                            None => ok = false,
                        }
                        continue;
                    }
                    match self.expr(g, &env) {
                        Some(t) => {
                            let ty = if always { t.ty } else { t.ty.nullable() };
                            let typed = Typed { ty, time: None, col: t.col, lit: t.lit };
                            keys.push(GroupKey { expr: (*g).clone(), typed, always, legacy: None });
                        }
                        None => ok = false,
                    }
                }
            }
        }
        if ok { Some(keys) } else { None }
    }

    /// `TUMBLE(ts, size [, offset])`, `HOP(ts, slide, size)` or `SESSION(ts, gap)` in GROUP BY:
    /// None if `g` is not one, Some(None) after an error.
    fn legacy_window(&mut self, g: &Expr, scope: &Scope) -> Option<Option<LegacyWindow>> {
        let Expr::Function(f) = g else { return None };
        let name = f.name.to_string().to_ascii_uppercase();
        let kind = match name.as_str() {
            "TUMBLE" => WindowKind::Tumble,
            "HOP" => WindowKind::Hop,
            "SESSION" => WindowKind::Session,
            _ => return None,
        };
        if f.over.is_some() {
            return None;
        }
        let span = self.call_span(f, g);
        let Some(args) = self.plain_args(f, g) else { return Some(None) };
        let (min, max) = match kind {
            WindowKind::Tumble => (2, 3),
            WindowKind::Hop => (3, 4),
            _ => (2, 2),
        };
        if self.arity(&name, span, args.len(), min, max).is_none() {
            return Some(None);
        }
        let env = Env { scope, agg: AggMode::Forbidden("GROUP BY") };
        let Some((time_arg, sizes)) = args.split_first() else { return Some(None) };
        let Some(t) = self.expr(time_arg, &env) else { return Some(None) };
        let Some(attr) = t.time.filter(|_| t.ty.is_timestamp()) else {
            // Flink: "Window aggregate can only be defined over a time attribute column".
            self.error(
                Code::E0314,
                self.expr_span(time_arg),
                format!("a group window is defined over a time attribute, but this is {}", t.ty.kind_name()),
                "not a time attribute",
                "window on the event-time (watermark) or a processing-time column",
            );
            return Some(None);
        };
        for s in sizes {
            let Some(st) = self.expr(s, &env) else { return Some(None) };
            if !st.ty.is_interval() {
                self.error(
                    Code::E0305,
                    self.expr_span(s),
                    format!("the sizes of `{name}` are intervals, but this is {}", st.ty.kind_name()),
                    "not an interval",
                    "write e.g. INTERVAL '1' MINUTE",
                );
                return Some(None);
            }
        }
        Some(Some(LegacyWindow {
            kind,
            time: attr,
            ty: t.ty.clone(),
            args: args.iter().map(|a| (*a).clone()).collect(),
        }))
    }
}

/// The window whose start and end are among the grouped columns (and, for a SESSION window
/// with PARTITION BY, its keys too): the grouping is a window aggregation.
fn window_of_groups(
    groups: &[Option<usize>],
    scope: &Scope,
    spec: impl Fn(usize) -> Option<super::query::WindowSpec>,
) -> Option<usize> {
    let tags: Vec<WinTag> = groups.iter().flatten().filter_map(|&c| scope.cols.get(c).and_then(|c| c.win)).collect();
    for t in &tags {
        let WinTag::Start(id) = *t else { continue };
        if !tags.contains(&WinTag::End(id)) {
            continue;
        }
        let Some(spec) = spec(id) else { continue };
        if spec.kind == WindowKind::Session && spec.session_keys > 0 {
            let mut grouped: Vec<usize> = groups
                .iter()
                .flatten()
                .copied()
                .filter(|&c| scope.cols.get(c).is_some_and(|c| c.win == Some(WinTag::SessionKey(id))))
                .collect();
            grouped.sort_unstable();
            grouped.dedup();
            if grouped.len() < spec.session_keys {
                continue;
            }
        }
        return Some(id);
    }
    None
}

/// A window aggregation keeps the window's start, end and time columns as window columns, and
/// its time column as a time attribute.
fn keep_window_columns(cols: &mut [Col], srcs: &[Option<usize>], scope: &Scope, id: usize) {
    for (c, src) in cols.iter_mut().zip(srcs) {
        let Some(sc) = src.and_then(|s| scope.cols.get(s)) else { continue };
        match sc.win {
            Some(WinTag::Start(w) | WinTag::End(w)) if w == id => c.win = sc.win,
            Some(WinTag::Time(w)) if w == id => {
                c.win = sc.win;
                c.time = sc.time;
            }
            _ => {}
        }
    }
}

/// The top-level AND conjuncts of a condition.
pub(crate) fn conjuncts_of(e: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(x) = stack.pop() {
        match x {
            Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
                stack.push(right);
                stack.push(left);
            }
            Expr::Nested(inner) => stack.push(inner),
            _ => out.push(x),
        }
    }
    out
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

/// The name Flink derives for an unaliased select item: a column's or field's name, else none.
pub(crate) fn derived_name(e: &Expr) -> Option<String> {
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

fn expr_has_aggregate(e: &Expr) -> bool {
    let mut f = AggregateFinder { depth: 0 };
    e.visit(&mut f).is_break()
}

/// Resolves a plain column reference without reporting anything.
pub(crate) fn quiet_column(e: &Expr, scope: &Scope) -> Option<usize> {
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
