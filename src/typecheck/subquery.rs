//! Subqueries in expressions: `x IN (SELECT ...)`, `EXISTS (SELECT ...)`, scalar subqueries
//! and `x = ANY (SELECT ...)`.
//!
//! Flink plans a WHERE conjunct `x IN (SELECT ...)` or `EXISTS (SELECT ...)` as a semi join,
//! which emits inserts only when both sides do; every other subquery (NOT IN, NOT EXISTS, a
//! scalar subquery, an IN inside an expression) becomes a join that retracts. All of them
//! materialize the time attributes of the outer query. The semantics are applied by the
//! SELECT block (`select.rs`) from the [`SubqueryUse`]s recorded here.

use sqlparser::ast::{self, BinaryOperator, Expr};

use super::expr::{Typed, compare_ok};
use super::query::{Env, QueryChecker, Rel, SubqueryUse};
use super::types::DataType;
use crate::diag::Code;

impl QueryChecker<'_> {
    /// Checks a subquery with the enclosing scope visible (correlation).
    fn subquery_rel(&mut self, q: &ast::Query, env: &Env) -> Option<Rel> {
        self.outer.push(env.scope.clone());
        let r = self.query(q);
        self.outer.pop();
        self.settle(r?)
    }

    fn record(&mut self, e: &Expr, rel: &Rel, what: &'static str, can_be_semi: bool) {
        let semi = can_be_semi && self.frame.semi_conjuncts.contains(&(e as *const Expr as usize));
        self.frame.subqueries.push(SubqueryUse { semi, changelog: rel.changelog, cause: rel.cause.clone(), what });
    }

    pub(crate) fn in_subquery(
        &mut self,
        e: &Expr,
        x: &Expr,
        q: &ast::Query,
        negated: bool,
        env: &Env,
    ) -> Option<Typed> {
        let left: Vec<(Typed, &Expr)> = match x {
            Expr::Tuple(items) => {
                let mut v = Vec::new();
                for i in items {
                    v.push((self.expr(i, env)?, i));
                }
                v
            }
            _ => vec![(self.expr(x, env)?, x)],
        };
        let rel = self.subquery_rel(q, env)?;
        let what = if negated { "NOT IN subquery" } else { "IN subquery" };
        self.record(e, &rel, what, !negated);
        if rel.cols.len() != left.len() {
            // Flink: "Values passed to IN operator must have compatible types".
            self.error(
                Code::E0305,
                self.expr_span(x),
                format!("the subquery returns {} columns for {} values", rel.cols.len(), left.len()),
                "column count mismatch",
                "select as many columns in the subquery as the IN tests",
            );
            return None;
        }
        let mut nullable = false;
        for ((t, at), c) in left.iter().zip(&rel.cols) {
            if let Err(msg) = compare_ok(t, &Typed::of(c.ty.clone())) {
                // Flink: "implicit type conversion between BIGINT and VARCHAR(2147483647) is
                // not supported on join's condition now".
                self.error(
                    Code::E0305,
                    self.expr_span(at),
                    msg,
                    "type mismatch",
                    "CAST one side to the type of the other",
                );
                return None;
            }
            nullable |= t.ty.nullable || c.ty.nullable;
        }
        Some(Typed::of(DataType::boolean().with_nullable(nullable)))
    }

    pub(crate) fn exists_subquery(&mut self, e: &Expr, q: &ast::Query, negated: bool, env: &Env) -> Option<Typed> {
        let rel = self.subquery_rel(q, env)?;
        let what = if negated { "NOT EXISTS subquery" } else { "EXISTS subquery" };
        self.record(e, &rel, what, !negated);
        Some(Typed::of(DataType::boolean().not_null()))
    }

    pub(crate) fn scalar_subquery(&mut self, e: &Expr, q: &ast::Query, env: &Env) -> Option<Typed> {
        let rel = self.subquery_rel(q, env)?;
        self.record(e, &rel, "scalar subquery", false);
        let [col] = rel.cols.as_slice() else {
            // Flink: "Cannot apply '$SCALAR_QUERY' to arguments of type ... Supported form(s):
            // '$SCALAR_QUERY(<RECORDTYPE(SINGLE FIELD)>)'".
            self.error(
                Code::E0305,
                self.expr_span(e),
                format!("a scalar subquery returns one column, but this one returns {}", rel.cols.len()),
                "not one column",
                "select exactly one column",
            );
            return None;
        };
        Some(Typed::of(col.ty.clone().nullable()))
    }

    /// `x op ANY (SELECT ...)` and `x op ALL (SELECT ...)`.
    pub(crate) fn quantified_subquery(
        &mut self,
        e: &Expr,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
        any: bool,
        env: &Env,
    ) -> Option<Typed> {
        let Expr::Subquery(q) = right else {
            self.error(
                Code::E0301,
                self.expr_span(e),
                "ANY, SOME and ALL take a subquery in Flink",
                "not a subquery",
                "write x = ANY (SELECT ...), or x IN (a, b)",
            );
            return None;
        };
        if !matches!(
            op,
            BinaryOperator::Eq
                | BinaryOperator::NotEq
                | BinaryOperator::Lt
                | BinaryOperator::LtEq
                | BinaryOperator::Gt
                | BinaryOperator::GtEq
        ) {
            self.error(
                Code::E0301,
                self.expr_span(e),
                format!("`{op}` does not compare with ANY or ALL"),
                "not a comparison",
                "use =, <>, <, <=, > or >=",
            );
            return None;
        }
        let t = self.expr(left, env)?;
        let rel = self.subquery_rel(q, env)?;
        // `x = ANY (SELECT ...)` is an IN: a semi join as a WHERE conjunct.
        let semi = any && *op == BinaryOperator::Eq;
        self.record(e, &rel, if any { "ANY subquery" } else { "ALL subquery" }, semi);
        let [col] = rel.cols.as_slice() else {
            self.error(
                Code::E0305,
                self.expr_span(right),
                "the subquery must return one column",
                "not one column",
                "select exactly one column",
            );
            return None;
        };
        if let Err(msg) = compare_ok(&t, &Typed::of(col.ty.clone())) {
            self.error(
                Code::E0305,
                self.expr_span(left),
                msg,
                "type mismatch",
                "CAST one side to the type of the other",
            );
            return None;
        }
        Some(Typed::of(DataType::boolean().with_nullable(t.ty.nullable || col.ty.nullable)))
    }
}
