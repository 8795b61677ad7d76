//! Typing of queries: the relation model (columns, time attributes, window columns, changelog
//! mode and unique key), WITH, set operations, VALUES, ORDER BY and LIMIT. SELECT blocks are in
//! `select.rs`, FROM items in `from.rs`, joins in `joins.rs`, OVER windows and Top-N in
//! `over.rs`.
//!
//! Time attributes follow what Flink 1.20's planner accepts, not its resolved schema: the
//! schema keeps `*ROWTIME*` on columns that the planner has materialized into plain timestamps
//! (after a regular join, an aggregation, any expression), and a window over such a column
//! fails to plan. pipec drops the attribute where the planner materializes it.

use sqlparser::ast::{self, Expr, OrderByKind, SetExpr, SetOperator, SetQuantifier, Spanned, TableAlias};
use sqlparser::tokenizer::TokenWithSpan;

use super::expr::{Lit, Typed};
use super::over::PendingRank;
use super::rules::{self, NoCommonType};
use super::types::DataType;
use super::{Changelog, Column, Locator, Relation, TimeAttr};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::Span;

/// How deeply queries may nest (subqueries, CTEs, parenthesized set operations).
const MAX_QUERY_DEPTH: usize = 64;

/// The part a column plays in a window table function's output, by window (an index into
/// [`QueryChecker::windows`]). Window aggregation, window Top-N and window joins recognize
/// their windows by these tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WinTag {
    Start(usize),
    End(usize),
    Time(usize),
    /// A PARTITION BY key of a SESSION window.
    SessionKey(usize),
}

/// The part of a window column, as the public [`super::WindowColumn`] records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WindowPart {
    Start,
    End,
    Time,
    SessionKey,
}

impl WinTag {
    fn split(self) -> (WindowPart, usize) {
        match self {
            WinTag::Start(id) => (WindowPart::Start, id),
            WinTag::End(id) => (WindowPart::End, id),
            WinTag::Time(id) => (WindowPart::Time, id),
            WinTag::SessionKey(id) => (WindowPart::SessionKey, id),
        }
    }

    fn join(part: WindowPart, id: usize) -> WinTag {
        match part {
            WindowPart::Start => WinTag::Start(id),
            WindowPart::End => WinTag::End(id),
            WindowPart::Time => WinTag::Time(id),
            WindowPart::SessionKey => WinTag::SessionKey(id),
        }
    }
}

/// The kinds of window table function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WindowKind {
    Tumble,
    Hop,
    Cumulate,
    Session,
}

impl WindowKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            WindowKind::Tumble => "TUMBLE",
            WindowKind::Hop => "HOP",
            WindowKind::Cumulate => "CUMULATE",
            WindowKind::Session => "SESSION",
        }
    }
}

/// A window table function's windows: two windows are the same when their kind, sizes and time
/// attribute are (a window join needs the same windows on both sides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WindowSpec {
    pub(crate) kind: WindowKind,
    /// The interval arguments in milliseconds, in order (size; slide and size; step and size;
    /// gap), then the offset if given.
    pub(crate) sizes: Vec<i128>,
    pub(crate) time: TimeAttr,
    /// The time column's type with its nullability: Flink plans a window join only when both
    /// sides window on time columns of one type (confirmed against Flink 1.20's planner: a
    /// nullable `TIMESTAMP(3)` and a `TIMESTAMP(3) NOT NULL` make a regular join).
    pub(crate) time_type: DataType,
    /// The number of PARTITION BY keys of a SESSION window.
    pub(crate) session_keys: usize,
    /// A HOP window whose size is not a multiple of its slide: Flink cannot aggregate it.
    pub(crate) hop_not_multiple: bool,
}

/// A column of an intermediate relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Col {
    pub(crate) name: String,
    pub(crate) ty: DataType,
    pub(crate) time: Option<TimeAttr>,
    pub(crate) win: Option<WinTag>,
}

impl Col {
    pub(crate) fn new(name: impl Into<String>, ty: DataType) -> Col {
        Col { name: name.into(), ty, time: None, win: None }
    }
}

/// An intermediate relation: columns, changelog mode, a unique key by column index, and the
/// operator that made it updating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rel {
    pub(crate) cols: Vec<Col>,
    pub(crate) changelog: Changelog,
    pub(crate) key: Option<Vec<usize>>,
    pub(crate) cause: Option<String>,
    /// A table that lookup joins can read: a JDBC source, or a projection of one.
    pub(crate) lookup: bool,
    /// A WHERE filtered an updating relation's rows: Flink refuses it as the versioned side
    /// of a temporal join ("Filter is not allowed for right changelog input").
    pub(crate) filtered: bool,
    /// The rows as a source or transform emits them, at most projected and filtered.
    pub(crate) raw: bool,
    /// A ROW_NUMBER column whose meaning depends on the consumer: filtered on it, the
    /// relation is a Top-N or a deduplication; otherwise it is an OVER aggregation.
    pub(crate) rank: Option<Box<PendingRank>>,
    /// Columns on which Flink pushes a filter below the operator that makes the relation
    /// updating, so that the filter needs no update-before rows: the group keys of an
    /// aggregation, and every column of an insert-only side of a join.
    pub(crate) pushdown: Vec<usize>,
}

impl Rel {
    /// An insert-only relation without key.
    pub(crate) fn insert_only(cols: Vec<Col>) -> Rel {
        Rel {
            cols,
            changelog: Changelog::Insert,
            key: None,
            cause: None,
            lookup: false,
            filtered: false,
            raw: false,
            rank: None,
            pushdown: Vec::new(),
        }
    }

    /// The relation's columns with their time attributes materialized (a regular join, an
    /// aggregation, a subquery join).
    pub(crate) fn materialize_time(&mut self) {
        for c in &mut self.cols {
            c.time = None;
        }
    }
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
    /// Columns that only a qualified name reaches: the right side's copies of a join's USING
    /// columns.
    pub(crate) hidden: Vec<usize>,
    /// The columns `*` lists, in order, when not all in scope order (a USING join).
    pub(crate) star: Option<Vec<usize>>,
    /// Time attributes that a regular join of this FROM clause materialized: Flink recognizes a
    /// temporal or lookup join on them before it materializes them.
    pub(crate) joined_time: Vec<(usize, TimeAttr)>,
}

impl Scope {
    /// The table a scope column belongs to.
    pub(crate) fn table_of(&self, col: usize) -> Option<&ScopeTable> {
        self.tables.iter().find(|t| col >= t.start && col < t.start + t.len)
    }

    /// A scope of one relation under a qualifier.
    pub(crate) fn of(cols: &[Col], qualifier: Option<String>) -> Scope {
        Scope {
            tables: vec![ScopeTable { qualifier, start: 0, len: cols.len() }],
            cols: cols.to_vec(),
            hidden: Vec::new(),
            star: None,
            joined_time: Vec::new(),
        }
    }
}

/// The FROM clause so far: its scope and the relation it forms.
pub(crate) struct Source {
    pub(crate) scope: Scope,
    pub(crate) rel: Rel,
}

impl Source {
    pub(crate) fn of(rel: Rel, qualifier: Option<String>) -> Source {
        Source { scope: Scope::of(&rel.cols, qualifier), rel }
    }
}

/// A GROUP BY expression with its type.
#[derive(Debug, Clone)]
pub(crate) struct GroupKey {
    pub(crate) expr: Expr,
    pub(crate) typed: Typed,
    /// Whether every grouping set has the key (always for a plain GROUP BY); otherwise it is
    /// NULL in some rows.
    pub(crate) always: bool,
    /// A legacy group window (`GROUP BY TUMBLE(ts, INTERVAL ...)`).
    pub(crate) legacy: Option<LegacyWindow>,
}

/// A legacy group window: its kind, time attribute and arguments (its auxiliary functions,
/// `TUMBLE_START(ts, INTERVAL ...)`, repeat them).
#[derive(Debug, Clone)]
pub(crate) struct LegacyWindow {
    pub(crate) kind: WindowKind,
    pub(crate) time: TimeAttr,
    pub(crate) ty: DataType,
    pub(crate) args: Vec<Expr>,
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

/// A diagnostic that is reported only if a later decision needs it (the OVER checks of a
/// ROW_NUMBER that may turn out to be a Top-N).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Deferred {
    pub(crate) code: Code,
    pub(crate) span: Span,
    pub(crate) message: String,
    pub(crate) label: String,
    pub(crate) help: String,
}

/// What typing the current SELECT block found out about its subqueries and OVER calls.
#[derive(Debug, Default)]
pub(crate) struct SelectFrame {
    /// Addresses of the WHERE conjuncts `x IN (subquery)` and `EXISTS (subquery)`, which Flink
    /// plans as semi joins.
    pub(crate) semi_conjuncts: Vec<usize>,
    /// The subqueries typed in this block.
    pub(crate) subqueries: Vec<SubqueryUse>,
    /// The OVER calls typed in this block.
    pub(crate) overs: Vec<super::over::OverUse>,
    /// The named windows of the block's WINDOW clause.
    pub(crate) named_windows: Vec<(String, ast::WindowSpec)>,
}

/// A subquery in an expression, and how Flink plans it.
#[derive(Debug, Clone)]
pub(crate) struct SubqueryUse {
    /// A semi join (a WHERE conjunct IN or EXISTS): the result updates only if the subquery
    /// does. Anything else is a join that retracts.
    pub(crate) semi: bool,
    pub(crate) changelog: Changelog,
    pub(crate) cause: Option<String>,
    /// What it is, for messages: "IN subquery", "scalar subquery", ...
    pub(crate) what: &'static str,
}

fn no_tables(_: &str) -> Option<Relation> {
    None
}

/// Checks one query; see [`super::check_query`].
pub(crate) struct QueryChecker<'a> {
    pub(crate) loc: Locator<'a>,
    pub(crate) tokens: &'a [TokenWithSpan],
    pub(crate) relations: &'a dyn Fn(&str) -> Option<Relation>,
    pub(crate) names: &'a [&'a str],
    pub(crate) owner: &'a str,
    diags: &'a mut Diagnostics,
    pub(crate) depth: usize,
    pub(crate) too_deep: bool,
    pub(crate) query_depth: usize,
    /// CTEs in scope, innermost last.
    pub(crate) ctes: Vec<(String, Rel)>,
    /// Spans already reported (unquoted reserved words): nothing more is said about them.
    pub(crate) quiet: Vec<Span>,
    /// The scopes of enclosing queries, for correlated subqueries; innermost last.
    pub(crate) outer: Vec<Scope>,
    /// The current SELECT block's findings.
    pub(crate) frame: SelectFrame,
    /// The window specs of the window table functions seen so far.
    pub(crate) windows: Vec<WindowSpec>,
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
    let cols: Vec<Col> =
        columns.iter().map(|c| Col { name: c.name.clone(), ty: c.ty.clone(), time: c.time, win: None }).collect();
    let scope = Scope::of(&cols, None);
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
    if !c.frame.subqueries.is_empty() {
        c.error(
            Code::E0311,
            c.expr_span(expr),
            "a computed column cannot hold a subquery",
            "subquery",
            "compute the value in a transform instead",
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
            outer: Vec::new(),
            frame: SelectFrame::default(),
            windows: Vec::new(),
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

    /// Reports a deferred diagnostic.
    pub(crate) fn report(&mut self, d: Deferred) {
        self.error(d.code, d.span, d.message, d.label, d.help);
    }

    pub(crate) fn unsupported_at(&mut self, span: Span, message: impl Into<String>) {
        self.error(
            Code::E0306,
            span,
            message,
            "not supported yet",
            "rewrite the query with supported constructs, or report it so that pipec learns it",
        );
    }

    /// E0315: Flink's streaming planner refuses this construct.
    pub(crate) fn streaming_error(
        &mut self,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.error(Code::E0315, span, message, label, help);
    }

    /// The file span of the first token `word` (a keyword, any case) within a sqlparser span.
    pub(crate) fn keyword_span(&self, within: sqlparser::tokenizer::Span, word: &str) -> Option<Span> {
        self.tokens
            .iter()
            .find(|t| {
                t.span.start >= within.start
                    && t.span.end <= within.end
                    && matches!(&t.token, sqlparser::tokenizer::Token::Word(w) if w.value.eq_ignore_ascii_case(word))
            })
            .map(|t| self.loc.span(t.span))
    }

    /// The file span of the last token `word` (any case) that ends before a sqlparser span
    /// starts (a keyword the AST does not keep, as LATERAL).
    pub(crate) fn keyword_before(&self, node: sqlparser::tokenizer::Span, word: &str) -> Option<Span> {
        self.tokens
            .iter()
            .rev()
            .find(|t| {
                t.span.end <= node.start
                    && matches!(&t.token, sqlparser::tokenizer::Token::Word(w) if w.value.eq_ignore_ascii_case(word))
            })
            .map(|t| self.loc.span(t.span))
    }

    /// The window spec of an index.
    pub(crate) fn window(&self, id: usize) -> Option<&WindowSpec> {
        self.windows.get(id)
    }

    /// The index of a window spec, adding it if it is new.
    pub(crate) fn intern_window(&mut self, spec: WindowSpec) -> usize {
        if let Some(i) = self.windows.iter().position(|w| *w == spec) {
            return i;
        }
        self.windows.push(spec);
        self.windows.len() - 1
    }

    /// The query's relation, with output names made unique as Flink makes them (`id`, `id0`).
    ///
    /// A pending ROW_NUMBER is an OVER aggregation here; when that is valid, the relation
    /// carries it on, so that a later query may still filter on it (Flink inlines views).
    pub(crate) fn check_top(&mut self, q: &ast::Query) -> Option<Relation> {
        let mut rel = self.query_at_top(q, true)?;
        let pending = rel.rank.clone();
        let carried = match pending {
            Some(p) if p.errors.is_empty() && rel.changelog == Changelog::Insert && p.then.is_none() => {
                let window = p.window.and_then(|id| self.window(id).cloned());
                Some(super::RowNumber { rank: *p, window })
            }
            _ => None,
        };
        if carried.is_none() {
            rel = self.settle(rel)?;
        } else {
            rel.rank = None;
            rel.key = None;
            rel.cause = None;
        }
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
            let window = c.win.and_then(|t| {
                let (part, id) = t.split();
                self.window(id).map(|spec| super::WindowColumn { part, spec: spec.clone() })
            });
            columns.push(Column { name, ty: c.ty.clone(), time: c.time, window });
        }
        let unique_key =
            rel.key.as_ref().map(|k| k.iter().filter_map(|&i| columns.get(i).map(|c| c.name.clone())).collect());
        Some(Relation {
            columns,
            changelog: rel.changelog,
            unique_key,
            updating_cause: if rel.changelog == Changelog::Insert { None } else { rel.cause },
            lookup: rel.lookup,
            row_number: carried,
        })
    }

    /// A nested query (a subquery, a CTE, a parenthesized branch).
    pub(crate) fn query(&mut self, q: &ast::Query) -> Option<Rel> {
        self.query_at_top(q, false)
    }

    fn query_at_top(&mut self, q: &ast::Query, top: bool) -> Option<Rel> {
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
        let r = self.query_inner(q, top);
        self.ctes.truncate(mark);
        self.query_depth -= 1;
        r
    }

    fn query_inner(&mut self, q: &ast::Query, top: bool) -> Option<Rel> {
        let mut ok = true;
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
        let (rel, order_scope) = self.body(&q.body)?;
        if !ok {
            return None;
        }
        self.order_and_limit(q, rel, order_scope.as_ref(), top)
    }

    /// The body of a query, with the FROM scope of a plain SELECT (ORDER BY may name its
    /// columns).
    fn body(&mut self, s: &SetExpr) -> Option<(Rel, Option<Scope>)> {
        match s {
            SetExpr::Select(sel) => self.select(sel).map(|(r, scope)| (r, Some(scope))),
            _ => self.set_expr(s).map(|r| (r, None)),
        }
    }

    pub(crate) fn set_expr(&mut self, s: &SetExpr) -> Option<Rel> {
        match s {
            SetExpr::Select(sel) => self.select(sel).map(|(r, _)| r),
            SetExpr::Query(q) => self.query(q),
            SetExpr::SetOperation { left, op, set_quantifier, right } => {
                self.set_operation(left, *op, *set_quantifier, right)
            }
            SetExpr::Values(v) => self.values(v, s),
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

    /// UNION [ALL], INTERSECT [ALL] and EXCEPT [ALL]: the branches need as many columns and a
    /// common type per column (Flink: "Type mismatch in column 1 of UNION ALL").
    fn set_operation(
        &mut self,
        left: &SetExpr,
        op: SetOperator,
        quantifier: SetQuantifier,
        right: &SetExpr,
    ) -> Option<Rel> {
        let all = matches!(quantifier, SetQuantifier::All);
        let what = match (op, all) {
            (SetOperator::Union, true) => "UNION ALL",
            (SetOperator::Union, false) => "UNION",
            (SetOperator::Intersect, true) => "INTERSECT ALL",
            (SetOperator::Intersect, false) => "INTERSECT",
            (SetOperator::Except, true) => "EXCEPT ALL",
            (SetOperator::Except, false) => "EXCEPT",
            (SetOperator::Minus, _) => {
                // Flink: "MINUS is not allowed under the current SQL conformance level".
                self.error(
                    Code::E0301,
                    self.set_keyword_span(left, right),
                    "Flink SQL has no MINUS",
                    "not Flink SQL",
                    "write EXCEPT",
                );
                return None;
            }
        };
        if matches!(quantifier, SetQuantifier::ByName | SetQuantifier::AllByName | SetQuantifier::DistinctByName) {
            self.error(
                Code::E0301,
                self.set_keyword_span(left, right),
                format!("{what} BY NAME is not Flink SQL"),
                "not Flink SQL",
                "match the columns by position",
            );
            return None;
        }
        let l = self.set_expr(left).and_then(|r| self.settle(r));
        let r = self.set_expr(right).and_then(|r| self.settle(r));
        let (l, r) = (l?, r?);
        let right_span = self.loc.span(right.span());
        if l.cols.len() != r.cols.len() {
            self.error(
                Code::E0305,
                right_span,
                format!("the branches of {what} have {} and {} columns", l.cols.len(), r.cols.len()),
                "column count mismatch",
                "select the same number of columns in every branch",
            );
            return None;
        }
        let right_items: Option<&Vec<ast::SelectItem>> = match right {
            SetExpr::Select(sel) => Some(&sel.projection),
            _ => None,
        };
        let mut cols = Vec::with_capacity(l.cols.len());
        let mut failed = false;
        for (i, (a, b)) in l.cols.iter().zip(&r.cols).enumerate() {
            let at = right_items.and_then(|items| items.get(i)).map_or(right_span, |item| self.loc.span(item.span()));
            let common = match rules::common_type(&[&a.ty, &b.ty]) {
                // TIMESTAMP and TIMESTAMP_LTZ combine as in CASE (confirmed with UNION ALL).
                Err(NoCommonType::MixedTimestamps) => {
                    rules::case_timestamps(&[&a.ty, &b.ty]).ok_or(NoCommonType::Mismatch)
                }
                other => other,
            };
            match common {
                Ok(ty) => {
                    // UNION ALL keeps the first branch's time attribute when the column keeps
                    // its type (confirmed: a rowtime column over a plain TIMESTAMP_LTZ(3) one
                    // still windows; under it, or widened to TIMESTAMP(6), it does not).
                    let keep = all && op == SetOperator::Union;
                    let time = if keep && ty.kind == a.ty.kind { a.time } else { None };
                    let win = if keep && a.win == b.win { a.win } else { None };
                    cols.push(Col { name: a.name.clone(), ty, time, win })
                }
                Err(NoCommonType::MixedTimestamps) => failed = true,
                Err(NoCommonType::Mismatch) => {
                    self.error(
                        Code::E0305,
                        at,
                        format!(
                            "type mismatch in column {} (`{}`) of {what}: {} and {}",
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
        if op == SetOperator::Union && all {
            let (changelog, cause) =
                if r.changelog > l.changelog { (r.changelog, r.cause) } else { (l.changelog, l.cause.or(r.cause)) };
            return Some(Rel {
                cols,
                changelog,
                key: None,
                cause,
                lookup: false,
                filtered: false,
                raw: false,
                rank: None,
                pushdown: Vec::new(),
            });
        }
        // The others are aggregations: UNION, INTERSECT and EXCEPT group by every column;
        // INTERSECT ALL and EXCEPT ALL count duplicates per row.
        let n = cols.len();
        let key = if all { None } else { Some((0..n).collect()) };
        let cause = Some(format!("the {what} in {}", self.owner));
        Some(Rel {
            cols,
            changelog: Changelog::Upsert,
            key,
            cause,
            lookup: false,
            filtered: false,
            raw: false,
            rank: None,
            pushdown: Vec::new(),
        })
    }

    /// The span of the set operator keyword between two branches.
    fn set_keyword_span(&self, left: &SetExpr, right: &SetExpr) -> Span {
        let (l, r) = (left.span(), right.span());
        let found = self.tokens.iter().find(|t| {
            t.span.start >= l.end
                && t.span.end <= r.start
                && !matches!(t.token, sqlparser::tokenizer::Token::Whitespace(_))
        });
        match found {
            Some(t) => self.loc.span(t.span),
            None => self.loc.span(r),
        }
    }

    /// `VALUES (..), (..)`: every row has as many values, each column a common type; a bare
    /// NULL is refused (Flink: "Illegal use of 'NULL'").
    fn values(&mut self, v: &ast::Values, whole: &SetExpr) -> Option<Rel> {
        let scope = Scope::default();
        let env = Env { scope: &scope, agg: AggMode::Forbidden("VALUES") };
        let mut rows: Vec<Vec<(Typed, &Expr)>> = Vec::new();
        let mut failed = false;
        for row in &v.rows {
            let mut typed = Vec::new();
            for e in &row.content {
                match self.expr(e, &env) {
                    Some(t) => {
                        if t.lit == Lit::Null {
                            self.error(
                                Code::E0305,
                                self.expr_span(e),
                                "a bare NULL in VALUES has no type",
                                "no type",
                                "write CAST(NULL AS type)",
                            );
                            failed = true;
                        }
                        typed.push((t, e));
                    }
                    None => failed = true,
                }
            }
            rows.push(typed);
        }
        if failed {
            return None;
        }
        let Some(width) = rows.first().map(Vec::len) else {
            self.error(
                Code::E0301,
                self.loc.span(whole.span()),
                "VALUES needs a row",
                "empty",
                "write VALUES (1, 'a')",
            );
            return None;
        };
        let mut cols = Vec::with_capacity(width);
        for (i, row) in rows.iter().enumerate() {
            if row.len() != width {
                let at = row.first().map_or(self.loc.span(whole.span()), |(_, e)| self.expr_span(e));
                // Flink: "Values passed to VALUES operator must have compatible types".
                self.error(
                    Code::E0305,
                    at,
                    format!("row {} of VALUES has {} values, the first has {width}", i + 1, row.len()),
                    "column count mismatch",
                    "give every row the same number of values",
                );
                return None;
            }
        }
        for c in 0..width {
            let types: Vec<&DataType> = rows.iter().filter_map(|r| r.get(c)).map(|(t, _)| &t.ty).collect();
            let exprs: Vec<&Expr> = rows.iter().filter_map(|r| r.get(c)).map(|(_, e)| *e).collect();
            let Some(first) = exprs.first().copied() else { continue };
            let ty = self.common_or_report(&types, &exprs, first, "VALUES")?;
            cols.push(Col::new(format!("EXPR${c}"), ty));
        }
        Some(Rel::insert_only(cols))
    }

    /// ORDER BY, LIMIT, OFFSET and FETCH of a query.
    ///
    /// In a stream Flink sorts only on a time attribute, ascending, first; with a LIMIT the
    /// query is a Top-N instead, which sorts on anything and updates. A subquery's ORDER BY
    /// without LIMIT is dropped by the planner.
    fn order_and_limit(&mut self, q: &ast::Query, rel: Rel, scope: Option<&Scope>, top: bool) -> Option<Rel> {
        let mut limit: Option<&Expr> = None;
        let mut offset: Option<&Expr> = None;
        match &q.limit_clause {
            None => {}
            Some(ast::LimitClause::LimitOffset { limit: l, offset: o, limit_by }) => {
                if !limit_by.is_empty() {
                    self.error(
                        Code::E0301,
                        self.loc.span(q.limit_clause.as_ref().map_or(q.span(), |l| l.span())),
                        "LIMIT BY is not Flink SQL",
                        "not Flink SQL",
                        "remove BY",
                    );
                    return None;
                }
                limit = l.as_ref();
                offset = o.as_ref().map(|o| &o.value);
            }
            Some(ast::LimitClause::OffsetCommaLimit { .. }) => {
                self.error(
                    Code::E0301,
                    self.loc.span(q.limit_clause.as_ref().map_or(q.span(), |l| l.span())),
                    "`LIMIT offset, count` is not Flink SQL",
                    "not Flink SQL",
                    "write LIMIT count OFFSET offset",
                );
                return None;
            }
        }
        if let Some(f) = &q.fetch {
            if f.with_ties || f.percent {
                self.error(
                    Code::E0301,
                    self.loc.span(f.span()),
                    "FETCH ... WITH TIES and PERCENT are not Flink SQL",
                    "not Flink SQL",
                    "write FETCH FIRST n ROWS ONLY",
                );
                return None;
            }
            limit = limit.or(f.quantity.as_ref());
        }
        for x in [limit, offset].into_iter().flatten() {
            let ok = match x {
                Expr::Value(v) => matches!(&v.value, ast::Value::Number(n, _) if n.parse::<u64>().is_ok()),
                _ => false,
            };
            if !ok {
                self.error(
                    Code::E0305,
                    self.expr_span(x),
                    "LIMIT and OFFSET take a whole number",
                    "not a count",
                    "write a number such as LIMIT 10",
                );
                return None;
            }
        }
        if offset.is_some() && limit.is_none() {
            // Flink: "FETCH is missed, which on streaming table is not supported currently".
            let at = offset.map_or(self.loc.span(q.span()), |o| self.expr_span(o));
            self.streaming_error(
                at,
                "OFFSET without LIMIT is not supported on a stream",
                "no LIMIT",
                "add LIMIT n (or FETCH FIRST n ROWS ONLY)",
            );
            return None;
        }
        let order = match &q.order_by {
            None => None,
            Some(ob) => match &ob.kind {
                OrderByKind::Expressions(exprs) if !exprs.is_empty() => Some(exprs),
                OrderByKind::Expressions(_) => None,
                OrderByKind::All(_) => {
                    self.error(
                        Code::E0301,
                        self.loc.span(ob.span()),
                        "ORDER BY ALL is not Flink SQL",
                        "not Flink SQL",
                        "name the columns to sort on",
                    );
                    return None;
                }
            },
        };
        let Some(order) = order else {
            if limit.is_some() {
                // A LIMIT without ORDER BY keeps the input's changelog (Flink: I for an
                // insert-only input).
                let rel = self.settle(rel)?;
                return Some(rel);
            }
            return Some(rel);
        };
        // Type the sort keys: output columns (by name or position) first, then the SELECT's
        // FROM columns.
        let mut keys: Vec<(Typed, &ast::OrderByExpr)> = Vec::new();
        for o in order {
            if o.with_fill.is_some() {
                self.error(
                    Code::E0301,
                    self.loc.span(o.span()),
                    "WITH FILL is not Flink SQL",
                    "not Flink SQL",
                    "remove WITH FILL",
                );
                return None;
            }
            let t = self.order_key(&o.expr, &rel, scope)?;
            keys.push((t, o));
        }
        let rel = self.settle(rel)?;
        if limit.is_some() {
            // A Top-N without partition keeps the input's key when it sorts on key columns
            // (confirmed: a CDC table sorted on its key keeps it; an aggregation sorted on a
            // count does not).
            let mut rel = rel;
            let on_key =
                keys.iter().all(|(t, _)| t.col.is_some_and(|c| rel.key.as_ref().is_some_and(|k| k.contains(&c))));
            if !on_key {
                rel.key = None;
            }
            rel.changelog = Changelog::Upsert;
            rel.cause = Some(format!("the Top-N (ORDER BY ... LIMIT) in {}", self.owner));
            return Some(rel);
        }
        if !top {
            return Some(rel);
        }
        let Some((first, o)) = keys.first() else { return Some(rel) };
        let desc = matches!(o.options.sort, Some(ast::OrderBySort::Desc));
        if first.time.is_none() || desc {
            // Flink: "Sort on a non-time-attribute field is not supported."
            let message = if desc && first.time.is_some() {
                "a stream is sorted on a time attribute in ascending order only"
            } else {
                "a stream is sorted only on a time attribute first (Flink: \"Sort on a non-time-attribute field is not supported\")"
            };
            self.streaming_error(
                self.expr_span(&o.expr),
                message,
                "not an ascending time attribute",
                "sort on the event or processing time column ascending, add LIMIT n for a Top-N, or sort in the sink's database",
            );
            return None;
        }
        if rel.changelog != Changelog::Insert {
            let cause = rel.cause.clone().unwrap_or_else(|| "its input".to_string());
            self.error(
                Code::E0409,
                self.expr_span(&o.expr),
                format!("ORDER BY on a time attribute takes inserts only, but its input is updated by {cause}"),
                "updating input",
                "sort an append-only relation, or drop the ORDER BY",
            );
            return None;
        }
        Some(rel)
    }

    /// Types an ORDER BY key.
    fn order_key(&mut self, e: &Expr, rel: &Rel, scope: Option<&Scope>) -> Option<Typed> {
        // A position in the select list.
        if let Expr::Value(v) = e
            && let ast::Value::Number(n, _) = &v.value
        {
            let idx = n.parse::<usize>().ok().filter(|&i| i >= 1 && i <= rel.cols.len());
            let Some(i) = idx else {
                self.error(
                    Code::E0303,
                    self.expr_span(e),
                    format!("ORDER BY {n} names no column of the select list"),
                    "no such column",
                    format!("use a position from 1 to {}", rel.cols.len()),
                );
                return None;
            };
            let c = rel.cols.get(i - 1)?;
            return Some(Typed { ty: c.ty.clone(), time: c.time, col: Some(i - 1), lit: Lit::NotLiteral });
        }
        // An output column by name.
        if let Expr::Identifier(id) = e
            && let Some(i) = rel.cols.iter().position(|c| c.name == id.value)
            && let Some(c) = rel.cols.get(i)
        {
            return Some(Typed { ty: c.ty.clone(), time: c.time, col: Some(i), lit: Lit::NotLiteral });
        }
        let out = Scope::of(&rel.cols, None);
        let scope = scope.unwrap_or(&out);
        let env = Env { scope, agg: AggMode::Forbidden("ORDER BY") };
        // Columns of the FROM scope are not output positions.
        self.expr(e, &env).map(|t| Typed { col: None, ..t })
    }

    pub(crate) fn apply_alias_columns(&mut self, mut rel: Rel, alias: &TableAlias) -> Option<Rel> {
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

    /// The relation of a source, transform or CTE, with its window columns and pending
    /// ROW_NUMBER.
    pub(crate) fn rel_of_relation(&mut self, r: Relation) -> Rel {
        let mut cols = Vec::with_capacity(r.columns.len());
        for c in r.columns {
            let win = c.window.map(|w| WinTag::join(w.part, self.intern_window(w.spec)));
            cols.push(Col { name: c.name, ty: c.ty, time: c.time, win });
        }
        let key = r.unique_key.and_then(|k| k.iter().map(|n| cols.iter().position(|c| c.name == *n)).collect());
        let rank = r.row_number.map(|rn| {
            let mut p = rn.rank;
            p.window = rn.window.map(|spec| self.intern_window(spec));
            Box::new(p)
        });
        Rel {
            cols,
            changelog: r.changelog,
            key,
            cause: r.updating_cause,
            lookup: r.lookup,
            filtered: false,
            raw: true,
            rank,
            pushdown: Vec::new(),
        }
    }
}
