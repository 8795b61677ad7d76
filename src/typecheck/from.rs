//! Typing of FROM items: tables, CTEs, subqueries, window table functions (TUMBLE, HOP,
//! CUMULATE, SESSION) and UNNEST. Joins are in `joins.rs`.

use sqlparser::ast::{
    self, Expr, FunctionArg, FunctionArgExpr, FunctionArgOperator, FunctionArguments, Spanned, TableFactor,
    TableWithJoins,
};

use super::expr::list;
use super::query::{Col, QueryChecker, Rel, Scope, ScopeTable, Source, WinTag, WindowKind, WindowSpec};
use super::types::{DataType, TypeKind};
use crate::diag::{Code, did_you_mean};
use crate::source::Span;

impl QueryChecker<'_> {
    /// The FROM clause: its items joined. `conjuncts` are the WHERE clause's top-level AND
    /// conjuncts, which Flink pushes into inner joins (an interval join's time bounds may stand
    /// there).
    pub(crate) fn check_from(&mut self, from: &[TableWithJoins], conjuncts: &[&Expr]) -> Option<Source> {
        if from.is_empty() {
            return Some(Source { scope: Scope::default(), rel: Rel::insert_only(Vec::new()) });
        }
        let mut acc: Option<Source> = None;
        let mut failed = false;
        for twj in from {
            // `FROM t, UNNEST(t.arr) AS u(x)` and `FROM t, LATERAL (...)` read the tables
            // before them.
            let correlated = match &twj.relation {
                TableFactor::UNNEST { .. } => Some(false),
                TableFactor::Derived { lateral: true, .. } => Some(true),
                _ => None,
            };
            if let Some(lateral) = correlated
                && let Some(prev) = acc.take()
            {
                let inner = super::joins::JoinKind::Inner;
                let joined = if lateral {
                    self.lateral_join(prev, &twj.relation, inner, None)
                } else {
                    self.unnest_join(prev, &twj.relation, inner, None)
                };
                match joined {
                    Some(s) => acc = Some(s),
                    None => failed = true,
                }
                if !failed {
                    for j in &twj.joins {
                        let Some(prev) = acc.take() else { break };
                        acc = self.join(prev, j, conjuncts);
                    }
                }
                continue;
            }
            let Some(next) = self.table_with_joins(twj, conjuncts) else {
                failed = true;
                continue;
            };
            acc = match acc {
                None => Some(next),
                // `FROM a, b` is an inner join whose condition is in WHERE.
                Some(prev) => {
                    let at = self.loc.span(twj.relation.span());
                    self.comma_join(prev, next, conjuncts, at)
                }
            };
            if acc.is_none() {
                failed = true;
            }
        }
        if failed { None } else { acc }
    }

    pub(crate) fn table_with_joins(&mut self, t: &TableWithJoins, conjuncts: &[&Expr]) -> Option<Source> {
        let mut acc = self.factor(&t.relation)?;
        if !t.joins.is_empty() {
            acc.rel = self.settle(acc.rel)?;
            acc.scope.cols.clone_from(&acc.rel.cols);
        }
        for j in &t.joins {
            acc = self.join(acc, j, conjuncts)?;
        }
        Some(acc)
    }

    /// Finds a table or CTE by name.
    pub(crate) fn lookup_table(&mut self, name: &ast::ObjectName, whole: Span) -> Option<(String, Rel)> {
        let parts: Vec<&ast::Ident> = name.0.iter().filter_map(|p| p.as_ident()).collect();
        let name_span = match (parts.first(), parts.last()) {
            (Some(a), Some(b)) => self.loc.span(a.span.union(&b.span)),
            _ => whole,
        };
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
                Some(r) => self.rel_of_relation(r),
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
        Some((table.to_string(), rel))
    }

    pub(crate) fn factor(&mut self, f: &TableFactor) -> Option<Source> {
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
                if version.is_some() {
                    // Flink reads FOR SYSTEM_TIME AS OF only on the right side of a join.
                    self.streaming_error(
                        self.loc.span(name.span()),
                        "FOR SYSTEM_TIME AS OF needs a left table to join with",
                        "not the right side of a join",
                        "write `FROM probe JOIN versioned FOR SYSTEM_TIME AS OF probe.time_attribute ON ...`",
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
                    self.error(
                        Code::E0301,
                        span,
                        "this table reference is not Flink SQL",
                        "not Flink SQL",
                        "name a source, transform or CTE",
                    );
                    return None;
                }
                let (table, rel) = self.lookup_table(name, span)?;
                let (rel, qualifier) = match alias {
                    Some(a) => (self.apply_alias_columns(rel, a)?, a.name.value.clone()),
                    None => (rel, table),
                };
                Some(Source::of(rel, Some(qualifier)))
            }
            TableFactor::Derived { lateral, subquery, alias, sample } => {
                if *lateral || sample.is_some() {
                    let at = self.keyword_before(f.span(), "LATERAL").unwrap_or(span);
                    self.unsupported_at(at, "LATERAL subqueries are not type-checked yet");
                    return None;
                }
                let mut rel = self.query(subquery)?;
                rel.lookup = false;
                match alias {
                    Some(a) => {
                        let rel = self.apply_alias_columns(rel, a)?;
                        Some(Source::of(rel, Some(a.name.value.clone())))
                    }
                    None => Some(Source::of(rel, None)),
                }
            }
            TableFactor::NestedJoin { table_with_joins, alias } => {
                if alias.is_some() {
                    self.unsupported_at(span, "an alias on a parenthesized join is not type-checked yet");
                    return None;
                }
                let mut s = self.table_with_joins(table_with_joins, &[])?;
                s.rel.lookup = false;
                Some(s)
            }
            TableFactor::TableFunction { expr, alias } => {
                let Expr::Function(func) = expr else {
                    self.unsupported_at(span, "this table function is not type-checked yet");
                    return None;
                };
                let fname = func.name.to_string().to_ascii_uppercase();
                let kind = match fname.as_str() {
                    "TUMBLE" => WindowKind::Tumble,
                    "HOP" => WindowKind::Hop,
                    "CUMULATE" => WindowKind::Cumulate,
                    "SESSION" => WindowKind::Session,
                    _ => {
                        let at = func.name.0.first().and_then(|p| p.as_ident()).map_or(span, |i| self.ident_span(i));
                        self.unsupported_at(
                            at,
                            format!("the table function `{}` is not type-checked yet; pipec knows the window functions TUMBLE, HOP, CUMULATE and SESSION", func.name),
                        );
                        return None;
                    }
                };
                let rel = self.window_tvf(kind, func, span)?;
                let qualifier = alias.as_ref().map(|a| a.name.value.clone());
                let rel = match alias {
                    Some(a) => self.apply_alias_columns(rel, a)?,
                    None => rel,
                };
                Some(Source::of(rel, qualifier))
            }
            TableFactor::UNNEST { .. } => {
                // UNNEST alone reads no table: Flink accepts `FROM UNNEST(ARRAY[1, 2])`.
                let empty = Source { scope: Scope::default(), rel: Rel::insert_only(Vec::new()) };
                let s = self.unnest_join(empty, f, super::joins::JoinKind::Inner, None)?;
                Some(s)
            }
            TableFactor::Function { .. } => {
                self.error(
                    Code::E0307,
                    span,
                    "LATERAL TABLE(...) calls a user-defined table function, which pipec does not know",
                    "unknown table function",
                    "pipec checks built-in functions only; use UNNEST for arrays and maps",
                );
                None
            }
            TableFactor::MatchRecognize { .. } => {
                let at = self.keyword_span(f.span(), "MATCH_RECOGNIZE").unwrap_or(span);
                self.unsupported_at(at, "MATCH_RECOGNIZE is not type-checked yet");
                None
            }
            _ => {
                self.error(
                    Code::E0301,
                    span,
                    "this FROM item is not Flink SQL",
                    "not Flink SQL",
                    "read a source, transform, CTE, subquery or window table function",
                );
                None
            }
        }
    }

    /// A window table function: the table's columns, then `window_start` and `window_end`
    /// (TIMESTAMP(3) NOT NULL) and `window_time` (the time column's type, NOT NULL, a time
    /// attribute of the same kind), as Flink 1.20 derives them.
    fn window_tvf(&mut self, kind: WindowKind, func: &ast::Function, whole: Span) -> Option<Rel> {
        let name_span = func.name.0.first().and_then(|p| p.as_ident()).map_or(whole, |i| self.ident_span(i));
        let fname = kind.name();
        let signature = match kind {
            WindowKind::Tumble => "TUMBLE(TABLE t, DESCRIPTOR(time_col), size [, offset])",
            WindowKind::Hop => "HOP(TABLE t, DESCRIPTOR(time_col), slide, size [, offset])",
            WindowKind::Cumulate => "CUMULATE(TABLE t, DESCRIPTOR(time_col), step, size [, offset])",
            WindowKind::Session => "SESSION(TABLE t [PARTITION BY k], DESCRIPTOR(time_col), gap)",
        };
        let FunctionArguments::List(list) = &func.args else {
            self.error(
                Code::E0305,
                name_span,
                format!("`{fname}` needs arguments"),
                "no arguments",
                format!("call it as {signature}"),
            );
            return None;
        };
        // Arguments by position or by name (DATA =>, TIMECOL =>, SIZE => ...).
        let names: &[&str] = match kind {
            WindowKind::Tumble => &["DATA", "TIMECOL", "SIZE", "OFFSET"],
            WindowKind::Hop => &["DATA", "TIMECOL", "SLIDE", "SIZE", "OFFSET"],
            WindowKind::Cumulate => &["DATA", "TIMECOL", "STEP", "SIZE", "OFFSET"],
            WindowKind::Session => &["DATA", "TIMECOL", "GAP"],
        };
        let mut slots: Vec<Option<&Expr>> = vec![None; names.len()];
        for (i, a) in list.args.iter().enumerate() {
            let (slot, e) = match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => (Some(i), Some(e)),
                FunctionArg::Named {
                    name,
                    arg: FunctionArgExpr::Expr(e),
                    operator: FunctionArgOperator::RightArrow,
                } => (names.iter().position(|n| n.eq_ignore_ascii_case(&name.value)), Some(e)),
                _ => (None, None),
            };
            match (slot.and_then(|s| slots.get_mut(s)), e) {
                (Some(place), Some(e)) if place.is_none() => *place = Some(e),
                _ => {
                    self.error(
                        Code::E0305,
                        self.loc.span(a.span()),
                        format!("unexpected argument of `{fname}`"),
                        "unexpected argument",
                        format!("call it as {signature}"),
                    );
                    return None;
                }
            }
        }
        let required = match kind {
            WindowKind::Tumble | WindowKind::Session => 3,
            WindowKind::Hop | WindowKind::Cumulate => 4,
        };
        if slots.iter().take(required).any(Option::is_none) {
            self.error(
                Code::E0305,
                name_span,
                format!("`{fname}` takes {required} or more arguments"),
                "missing argument",
                format!("call it as {signature}"),
            );
            return None;
        }
        // The table.
        let Some(Expr::Function(table_fn)) = slots.first().copied().flatten() else {
            let at = slots.first().copied().flatten().map_or(name_span, |e| self.expr_span(e));
            self.error(
                Code::E0305,
                at,
                format!("the first argument of `{fname}` must be `TABLE name`"),
                "not a table",
                format!("call it as {signature}"),
            );
            return None;
        };
        if table_fn.name.to_string() != "TABLE" {
            self.error(
                Code::E0305,
                self.expr_span(&Expr::Function(table_fn.clone())),
                format!("the first argument of `{fname}` must be `TABLE name`"),
                "not a table",
                format!("call it as {signature}; a subquery goes into a CTE first: WITH x AS (...)"),
            );
            return None;
        }
        let table_args: Vec<&Expr> = match &table_fn.args {
            FunctionArguments::List(l) => l
                .args
                .iter()
                .filter_map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let (table_name, partition) = table_args.split_first()?;
        let object = match table_name {
            Expr::Identifier(i) => ast::ObjectName::from(vec![i.clone()]),
            Expr::CompoundIdentifier(p) => ast::ObjectName::from(p.clone()),
            _ => return None,
        };
        let (_, input) = self.lookup_table(&object, self.expr_span(table_name))?;
        let input = self.settle(input)?;
        if let (Some(first_key), true) = (partition.first(), kind != WindowKind::Session) {
            self.error(
                Code::E0305,
                self.expr_span(first_key),
                format!("`{fname}` takes no PARTITION BY"),
                "PARTITION BY",
                "only SESSION windows are partitioned",
            );
            return None;
        }
        let mut cols: Vec<Col> = input.cols.iter().map(|c| Col { win: None, ..c.clone() }).collect();
        // The partition keys of a SESSION window.
        let mut keys: Vec<usize> = Vec::new();
        for k in partition {
            let found = match k {
                Expr::Identifier(i) => cols.iter().position(|c| c.name == i.value),
                _ => None,
            };
            let Some(i) = found else {
                let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
                self.error(
                    Code::E0303,
                    self.expr_span(k),
                    format!("`{k}` is not a column of the table"),
                    "unknown column",
                    format!("partition by columns of the table: {}", super::expr::list(&names)),
                );
                return None;
            };
            if !keys.contains(&i) {
                keys.push(i);
            }
        }
        // The time column.
        let time_arg = slots.get(1).copied().flatten()?;
        let time_col = self.descriptor(time_arg, &cols, fname, signature)?;
        let (time_ty, time_attr) = {
            let c = cols.get(time_col)?;
            (c.ty.clone(), c.time)
        };
        if !time_ty.is_timestamp() {
            // Flink: "requires the timecol to be TIMESTAMP or TIMESTAMP_LTZ, but is BIGINT".
            self.error(
                Code::E0305,
                self.expr_span(time_arg),
                format!(
                    "the time column of `{fname}` must be a TIMESTAMP or TIMESTAMP_LTZ, but `{}` is {}",
                    cols.get(time_col).map_or("", |c| c.name.as_str()),
                    time_ty.kind_name()
                ),
                "not a timestamp",
                "name the table's event-time (watermark) or processing-time column",
            );
            return None;
        }
        let Some(attr) = time_attr else {
            // Flink: "The window function requires the timecol is a time attribute type".
            self.error(
                Code::E0314,
                self.expr_span(time_arg),
                format!(
                    "`{}` is not a time attribute, so `{fname}` cannot window on it",
                    cols.get(time_col).map_or("", |c| c.name.as_str())
                ),
                "not a time attribute",
                "window on the column that has the watermark (event time) or a PROCTIME() column; a time column loses its attribute in expressions, aggregations and regular joins",
            );
            return None;
        };
        // The intervals.
        let mut sizes: Vec<i128> = Vec::new();
        for (i, slot) in slots.iter().enumerate().skip(2) {
            let Some(e) = slot else { continue };
            let what = names.get(i).copied().unwrap_or("SIZE");
            let ms = self.window_interval(e, fname, what, signature)?;
            sizes.push(ms);
        }
        let mut hop_not_multiple = false;
        match kind {
            WindowKind::Hop => {
                if let (Some(&slide), Some(&size)) = (sizes.first(), sizes.get(1))
                    && slide > 0
                    && size % slide != 0
                {
                    hop_not_multiple = true;
                }
            }
            WindowKind::Cumulate => {
                if let (Some(&step), Some(&size)) = (sizes.first(), sizes.get(1))
                    && step > 0
                    && size % step != 0
                {
                    // Flink: "CumulativeWindowAssigner requires size must be an integral
                    // multiple of step".
                    let at = slots.get(3).copied().flatten().map_or(name_span, |e| self.expr_span(e));
                    self.streaming_error(
                        at,
                        "a CUMULATE window's size must be a whole multiple of its step",
                        "size not a multiple of the step",
                        "choose a size that is a multiple of the step, e.g. step 1 hour and size 1 day",
                    );
                    return None;
                }
            }
            _ => {}
        }
        let spec = WindowSpec {
            kind,
            sizes,
            time: attr,
            time_type: time_ty.clone(),
            session_keys: keys.len(),
            hop_not_multiple,
        };
        let id = self.intern_window(spec);
        for &k in &keys {
            if let Some(c) = cols.get_mut(k) {
                c.win = Some(WinTag::SessionKey(id));
            }
        }
        let bound = DataType::new(TypeKind::Timestamp(3)).not_null();
        cols.push(Col { name: "window_start".into(), ty: bound.clone(), time: None, win: Some(WinTag::Start(id)) });
        cols.push(Col { name: "window_end".into(), ty: bound, time: None, win: Some(WinTag::End(id)) });
        cols.push(Col {
            name: "window_time".into(),
            ty: time_ty.not_null(),
            time: Some(attr),
            win: Some(WinTag::Time(id)),
        });
        // A row is in one tumbling or session window, but in several hopping or cumulating
        // windows: only the former keep the table's key.
        let key = match kind {
            WindowKind::Tumble | WindowKind::Session => input.key.clone(),
            _ => None,
        };
        Some(Rel {
            cols,
            changelog: input.changelog,
            key,
            cause: input.cause,
            lookup: false,
            filtered: false,
            raw: false,
            rank: None,
            pushdown: Vec::new(),
        })
    }

    /// `DESCRIPTOR(col)`: the column's index.
    fn descriptor(&mut self, e: &Expr, cols: &[Col], fname: &str, signature: &str) -> Option<usize> {
        let name = match e {
            Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("DESCRIPTOR") => match &f.args {
                FunctionArguments::List(l) => match l.args.as_slice() {
                    [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(i)))] => Some(i),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let Some(ident) = name else {
            self.error(
                Code::E0305,
                self.expr_span(e),
                format!("the time column of `{fname}` is given as DESCRIPTOR(column)"),
                "not a DESCRIPTOR",
                format!("call it as {signature}"),
            );
            return None;
        };
        match cols.iter().position(|c| c.name == ident.value) {
            Some(i) => Some(i),
            None => {
                let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
                self.unknown_column(&ident.value, self.ident_span(ident), &names, None);
                None
            }
        }
    }

    /// A window size: an interval literal of days, hours, minutes or seconds, in milliseconds.
    fn window_interval(&mut self, e: &Expr, fname: &str, what: &str, signature: &str) -> Option<i128> {
        let scope = Scope::default();
        let env = super::query::Env { scope: &scope, agg: super::query::AggMode::Forbidden("a window size") };
        let t = self.expr(e, &env)?;
        if !t.ty.is_interval() {
            self.error(
                Code::E0305,
                self.expr_span(e),
                format!(
                    "the {} of `{fname}` must be an interval, but this is {}",
                    what.to_ascii_lowercase(),
                    t.ty.kind_name()
                ),
                "not an interval",
                format!("write e.g. INTERVAL '5' MINUTE; call it as {signature}"),
            );
            return None;
        }
        if t.ty.kind == TypeKind::IntervalYearMonth {
            // Flink: "Window aggregate only support SECOND, MINUTE, HOUR, DAY as the time unit".
            self.streaming_error(
                self.expr_span(e),
                "window sizes in months or years are not supported",
                "MONTH or YEAR",
                "use SECOND, MINUTE, HOUR or DAY, e.g. INTERVAL '30' DAY",
            );
            return None;
        }
        let ms = interval_millis(e);
        if what != "OFFSET" && ms.is_some_and(|m| m <= 0) {
            // Flink: "TumblingWindowAssigner parameters must satisfy size > 0".
            self.streaming_error(
                self.expr_span(e),
                format!("the {} of `{fname}` must be positive", what.to_ascii_lowercase()),
                "not positive",
                "give the window a positive size",
            );
            return None;
        }
        Some(ms.unwrap_or(0))
    }

    /// `CROSS JOIN UNNEST(arr) AS t(x)`, `LEFT JOIN UNNEST(arr) AS t(x) ON TRUE` and
    /// `FROM t, UNNEST(arr)`: a row per element (an array), per entry (a map, as key and
    /// value) or per row's fields (an array of rows), correlated with the tables before it.
    pub(crate) fn unnest_join(
        &mut self,
        left: Source,
        f: &TableFactor,
        kind: super::joins::JoinKind,
        on: Option<&Expr>,
    ) -> Option<Source> {
        let TableFactor::UNNEST { alias, array_exprs, with_offset, with_offset_alias: _, with_ordinality } = f else {
            return None;
        };
        let span = self.loc.span(f.span());
        if *with_offset {
            self.error(
                Code::E0301,
                span,
                "UNNEST ... WITH OFFSET is not Flink SQL",
                "not Flink SQL",
                "remove WITH OFFSET",
            );
            return None;
        }
        if *with_ordinality {
            // Flink 1.20 fails to plan it ("Cannot add expression of different type to set").
            self.streaming_error(
                span,
                "Flink 1.20 cannot plan UNNEST ... WITH ORDINALITY",
                "WITH ORDINALITY",
                "unnest without the ordinality",
            );
            return None;
        }
        let [arr] = array_exprs.as_slice() else {
            // Flink 1.20 fails to plan several arrays ("Index 1 out of bounds").
            self.streaming_error(
                span,
                "Flink 1.20 cannot plan UNNEST of several arrays",
                "several arrays",
                "unnest one array per UNNEST",
            );
            return None;
        };
        let left = Source { rel: self.settle(left.rel)?, scope: left.scope };
        let env = super::query::Env { scope: &left.scope, agg: super::query::AggMode::Forbidden("UNNEST") };
        let t = self.expr(arr, &env)?;
        let mut cols: Vec<Col> = match &t.ty.kind {
            TypeKind::Array(elem) | TypeKind::Multiset(elem) => match &elem.kind {
                TypeKind::Row(fields) => fields.iter().map(|fl| Col::new(fl.name.clone(), fl.ty.clone())).collect(),
                _ => vec![Col::new("EXPR$0", (**elem).clone())],
            },
            TypeKind::Map(k, v) => vec![Col::new("KEY", (**k).clone()), Col::new("VALUE", (**v).clone())],
            _ => {
                // Flink: "Cannot apply 'UNNEST' to arguments of type 'UNNEST(<VARCHAR>)'".
                self.error(
                    Code::E0305,
                    self.expr_span(arr),
                    format!("UNNEST takes an ARRAY, MAP or MULTISET, but this is {}", t.ty.kind_name()),
                    "not a collection",
                    "unnest an array or map column",
                );
                return None;
            }
        };
        let mut qualifier = None;
        if let Some(a) = alias {
            qualifier = Some(a.name.value.clone());
            if !a.columns.is_empty() {
                if a.columns.len() != cols.len() {
                    self.error(
                        Code::E0305,
                        self.ident_span(&a.name),
                        format!(
                            "the alias `{}` names {} columns, but UNNEST gives {}",
                            a.name.value,
                            a.columns.len(),
                            cols.len()
                        ),
                        "column count mismatch",
                        "name every column UNNEST gives",
                    );
                    return None;
                }
                for (c, n) in cols.iter_mut().zip(&a.columns) {
                    c.name = n.name.value.clone();
                }
            }
        }
        self.correlate(left, cols, qualifier, kind, on, span, "UNNEST")
    }

    /// `CROSS JOIN LATERAL (SELECT ... FROM UNNEST(t.arr) ...) AS x` and its LEFT JOIN with
    /// `ON TRUE`: a subquery over the collections of the left row, planned as a correlation.
    pub(crate) fn lateral_join(
        &mut self,
        left: Source,
        f: &TableFactor,
        kind: super::joins::JoinKind,
        on: Option<&Expr>,
    ) -> Option<Source> {
        let TableFactor::Derived { subquery, alias, sample, .. } = f else {
            return None;
        };
        let span = self.loc.span(f.span());
        let at = self.keyword_before(f.span(), "LATERAL").unwrap_or(span);
        if sample.is_some() || !super::names::table_refs(subquery).is_empty() {
            self.unsupported_at(at, "LATERAL subqueries that read tables are not type-checked yet");
            return None;
        }
        if let ast::SetExpr::Select(sel) = subquery.body.as_ref() {
            for item in &sel.projection {
                let e = match item {
                    ast::SelectItem::UnnamedExpr(e) | ast::SelectItem::ExprWithAlias { expr: e, .. } => e,
                    _ => continue,
                };
                if !matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Value(_)) {
                    // Flink 1.20 fails planning it (a NullPointerException in its Calc rewrite).
                    self.streaming_error(
                        self.expr_span(e),
                        "Flink 1.20 cannot plan a LATERAL subquery that computes a column",
                        "computed column",
                        "select the unnested columns as they are, and compute in the outer query",
                    );
                    return None;
                }
            }
        }
        let left = Source { rel: self.settle(left.rel)?, scope: left.scope };
        self.outer.push(left.scope.clone());
        let sub = self.query(subquery);
        self.outer.pop();
        let mut rel = self.settle(sub?)?;
        rel.lookup = false;
        let qualifier = match alias {
            Some(a) => {
                rel = self.apply_alias_columns(rel, a)?;
                Some(a.name.value.clone())
            }
            None => None,
        };
        self.correlate(left, rel.cols, qualifier, kind, on, span, "a LATERAL subquery")
    }

    /// Joins the rows a correlated table factor gives for each left row: the left side's
    /// changelog and time attributes stay; its key is lost (a row becomes several).
    #[allow(clippy::too_many_arguments)]
    fn correlate(
        &mut self,
        left: Source,
        mut cols: Vec<Col>,
        qualifier: Option<String>,
        kind: super::joins::JoinKind,
        on: Option<&Expr>,
        span: Span,
        what: &str,
    ) -> Option<Source> {
        if let Some(on) = on {
            let ok = matches!(on, Expr::Value(v) if matches!(v.value, ast::Value::Boolean(true)));
            if !ok {
                self.unsupported_at(
                    self.expr_span(on),
                    format!("a join with {what} is type-checked with `ON TRUE` only"),
                );
                return None;
            }
        }
        if kind == super::joins::JoinKind::Left {
            for c in &mut cols {
                c.ty.nullable = true;
            }
        } else if !matches!(kind, super::joins::JoinKind::Inner) {
            self.unsupported_at(span, format!("only CROSS JOIN and LEFT JOIN with {what} are type-checked"));
            return None;
        }
        let offset = left.rel.cols.len();
        let mut scope = left.scope;
        scope.tables.push(ScopeTable { qualifier, start: offset, len: cols.len() });
        scope.cols.extend(cols.iter().cloned());
        let mut all = left.rel.cols;
        all.extend(cols);
        let rel = Rel {
            cols: all,
            changelog: left.rel.changelog,
            key: None,
            cause: left.rel.cause,
            lookup: false,
            filtered: false,
            raw: false,
            rank: None,
            pushdown: Vec::new(),
        };
        Some(Source { scope, rel })
    }
}

/// The length of an interval literal in milliseconds (day-time intervals only).
pub(crate) fn interval_millis(e: &Expr) -> Option<i128> {
    let Expr::Interval(iv) = e else {
        return match e {
            Expr::Nested(x) => interval_millis(x),
            Expr::UnaryOp { op: ast::UnaryOperator::Minus, expr } => interval_millis(expr).map(|m| -m),
            _ => None,
        };
    };
    let text = match iv.value.as_ref() {
        Expr::Value(v) => match &v.value {
            ast::Value::SingleQuotedString(s) | ast::Value::Number(s, _) => s.clone(),
            _ => return None,
        },
        _ => return None,
    };
    let unit_ms = |f: &ast::DateTimeField| -> Option<i128> {
        Some(match f {
            ast::DateTimeField::Day | ast::DateTimeField::Days => 86_400_000,
            ast::DateTimeField::Hour | ast::DateTimeField::Hours => 3_600_000,
            ast::DateTimeField::Minute | ast::DateTimeField::Minutes => 60_000,
            ast::DateTimeField::Second | ast::DateTimeField::Seconds => 1_000,
            _ => return None,
        })
    };
    let lead = unit_ms(iv.leading_field.as_ref()?)?;
    let t = text.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    // Split into the units' parts: "1 02:03:04.5" is day, hour, minute, second.
    let parts: Vec<&str> = t.split([' ', ':']).collect();
    let units = [86_400_000i128, 3_600_000, 60_000, 1_000];
    let first = units.iter().position(|&u| u == lead)?;
    let mut total: i128 = 0;
    for (i, p) in parts.iter().enumerate() {
        let unit = *units.get(first + i)?;
        let v: f64 = p.parse().ok()?;
        total += (v * unit as f64).round() as i128;
    }
    Some(if neg { -total } else { total })
}
