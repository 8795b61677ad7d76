//! Walks over a parsed query that need no scope: the table names it reads, and the unquoted
//! reserved words it uses as identifiers.

use std::collections::HashSet;
use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, Query, Select, SetExpr, TableFactor, TableWithJoins,
    Visit, Visitor,
};
use sqlparser::tokenizer::Span as TokSpan;

use super::reserved::is_reserved;

/// Functions called without parentheses.
pub(crate) const NILADIC: &[&str] =
    &["CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME", "LOCALTIMESTAMP"];

/// Functions whose first argument is a time unit keyword, not a column.
const UNIT_FIRST_FUNCTIONS: &[&str] = &["TIMESTAMPADD", "TIMESTAMPDIFF"];

/// Collects unquoted reserved words in identifier positions. Function names and keyword-like
/// arguments are not identifiers and are skipped.
#[derive(Default)]
struct ReservedFinder {
    skip: HashSet<(u64, u64)>,
    found: Vec<Ident>,
}

impl Visitor for ReservedFinder {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        // `UNKNOWN` alone is the boolean literal.
        if let Expr::Identifier(i) = expr
            && i.value.eq_ignore_ascii_case("UNKNOWN")
        {
            self.skip.insert((i.span.start.line, i.span.start.column));
        }
        if let Expr::Function(f) = expr {
            // A name without parentheses that is not a niladic function is an identifier
            // (sqlparser reads `user` as a function call).
            let bare = matches!(f.args, FunctionArguments::None)
                && !NILADIC.iter().any(|n| f.name.to_string().eq_ignore_ascii_case(n));
            for part in f.name.0.iter().filter(|_| !bare) {
                if let Some(i) = part.as_ident() {
                    self.skip.insert((i.span.start.line, i.span.start.column));
                }
            }
            let name = f.name.to_string().to_ascii_uppercase();
            if let FunctionArguments::List(list) = &f.args {
                for (n, arg) in list.args.iter().enumerate() {
                    match arg {
                        FunctionArg::Named { name, .. } => {
                            self.skip.insert((name.span.start.line, name.span.start.column));
                        }
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(i)))
                            if n == 0 && UNIT_FIRST_FUNCTIONS.contains(&name.as_str()) =>
                        {
                            self.skip.insert((i.span.start.line, i.span.start.column));
                        }
                        _ => {}
                    }
                }
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_ident(&mut self, ident: &Ident) -> ControlFlow<()> {
        let key = (ident.span.start.line, ident.span.start.column);
        if ident.quote_style.is_none() && key.0 != 0 && !self.skip.contains(&key) && is_reserved(&ident.value) {
            self.found.push(ident.clone());
        }
        ControlFlow::Continue(())
    }
}

/// Unquoted reserved words used as identifiers in a query, in order of appearance.
pub(crate) fn reserved_identifiers(q: &Query) -> Vec<Ident> {
    let mut f = ReservedFinder::default();
    let _ = q.visit(&mut f);
    dedup(f.found)
}

/// Unquoted reserved words used as identifiers in an expression.
pub(crate) fn reserved_identifiers_in_expr(e: &Expr) -> Vec<Ident> {
    let mut f = ReservedFinder::default();
    let _ = e.visit(&mut f);
    dedup(f.found)
}

fn dedup(mut v: Vec<Ident>) -> Vec<Ident> {
    let mut seen = HashSet::new();
    v.retain(|i| seen.insert((i.span.start.line, i.span.start.column)));
    v.sort_by_key(|i| (i.span.start.line, i.span.start.column));
    v
}

/// Table names read by a query (not CTE names), with the span of each name.
pub(crate) fn table_refs(q: &Query) -> Vec<(String, TokSpan)> {
    let mut w = RefWalker { ctes: Vec::new(), out: Vec::new(), depth: 0 };
    w.query(q);
    w.out
}

struct RefWalker {
    /// The CTE names visible at this point, innermost last.
    ctes: Vec<String>,
    out: Vec<(String, TokSpan)>,
    depth: usize,
}

impl RefWalker {
    fn query(&mut self, q: &Query) {
        // The walk follows the query's nesting; the parser bounds that nesting already, and
        // this guard keeps the walk safe even without it.
        if self.depth > 256 {
            return;
        }
        self.depth += 1;
        let mark = self.ctes.len();
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                self.query(&cte.query);
                self.ctes.push(cte.alias.name.value.clone());
            }
        }
        self.set_expr(&q.body);
        self.ctes.truncate(mark);
        self.depth -= 1;
    }

    fn set_expr(&mut self, s: &SetExpr) {
        match s {
            SetExpr::Select(sel) => self.select(sel),
            SetExpr::Query(q) => self.query(q),
            SetExpr::SetOperation { left, right, .. } => {
                self.set_expr(left);
                self.set_expr(right);
            }
            _ => {}
        }
    }

    fn select(&mut self, sel: &Select) {
        for twj in &sel.from {
            self.table_with_joins(twj);
        }
        // Subqueries in expressions read tables too.
        let mut subqueries = SubqueryFinder::default();
        for item in &sel.projection {
            let _ = item.visit(&mut subqueries);
        }
        if let Some(e) = &sel.selection {
            let _ = e.visit(&mut subqueries);
        }
        if let Some(e) = &sel.having {
            let _ = e.visit(&mut subqueries);
        }
        let _ = sel.group_by.visit(&mut subqueries);
        for q in subqueries.found {
            self.query(&q);
        }
    }

    fn table_with_joins(&mut self, twj: &TableWithJoins) {
        self.factor(&twj.relation);
        for j in &twj.joins {
            self.factor(&j.relation);
            let mut subqueries = SubqueryFinder::default();
            let _ = j.join_operator.visit(&mut subqueries);
            for q in subqueries.found {
                self.query(&q);
            }
        }
    }

    fn name(&mut self, parts: Vec<&Ident>) {
        let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
            return;
        };
        let name = parts.iter().map(|i| i.value.as_str()).collect::<Vec<_>>().join(".");
        if parts.len() == 1 && self.ctes.contains(&name) {
            return;
        }
        self.out.push((name, TokSpan::new(first.span.start, last.span.end)));
    }

    fn factor(&mut self, f: &TableFactor) {
        match f {
            TableFactor::Table { name, .. } => {
                let parts: Vec<&Ident> = name.0.iter().filter_map(|p| p.as_ident()).collect();
                self.name(parts);
            }
            TableFactor::Derived { subquery, .. } => self.query(subquery),
            TableFactor::NestedJoin { table_with_joins, .. } => self.table_with_joins(table_with_joins),
            TableFactor::TableFunction { expr, .. } => {
                let mut tables = TableArgFinder::default();
                let _ = expr.visit(&mut tables);
                for parts in tables.found {
                    self.name(parts.iter().collect());
                }
            }
            _ => {}
        }
    }
}

/// Finds the outermost subqueries of an expression.
#[derive(Default)]
struct SubqueryFinder {
    depth: usize,
    found: Vec<Query>,
}

impl Visitor for SubqueryFinder {
    type Break = ();

    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
        if self.depth == 0 {
            self.found.push(q.clone());
        }
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _q: &Query) -> ControlFlow<()> {
        self.depth = self.depth.saturating_sub(1);
        ControlFlow::Continue(())
    }
}

/// Finds `TABLE name` arguments of window table functions.
#[derive(Default)]
struct TableArgFinder {
    found: Vec<Vec<Ident>>,
}

impl Visitor for TableArgFinder {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        if let Expr::Function(f) = expr
            && f.name.0.len() == 1
            && f.name.to_string() == "TABLE"
            && let FunctionArguments::List(list) = &f.args
            && let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(e))) = list.args.first()
        {
            match e {
                Expr::Identifier(i) => self.found.push(vec![i.clone()]),
                Expr::CompoundIdentifier(parts) => self.found.push(parts.clone()),
                _ => {}
            }
        }
        ControlFlow::Continue(())
    }
}
