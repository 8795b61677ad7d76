//! The SQL type checker: Flink SQL queries of transforms and sinks become typed relations.
//!
//! [`parse_query`] reads one query with sqlparser and the [`dialect::FlinkDialect`];
//! [`check_query`] resolves its tables and columns against the relations in scope and derives
//! every output column's Flink type, nullability and time attribute, and the changelog mode of
//! the result; [`check_expr`] types one computed-column expression. Every problem is reported
//! into the [`Diagnostics`] sink at the exact token in the YAML file, through the
//! [`TextOrigin`] of the SQL text.
//!
//! The typing rules follow Flink 1.20's planner, streaming semantics included: time
//! attributes (which operations keep them and which materialize them), window table functions
//! and window aggregation, OVER windows, Top-N and deduplication, interval, temporal, lookup
//! and window joins, subqueries, and the changelog mode and unique key of every relation. The
//! unit tests hold what was observed there (`tests_flink.rs` replays over a thousand queries
//! planned by Flink). Constructs whose typing pipec does not know yet are reported (E0306)
//! rather than guessed; constructs Flink's streaming planner refuses have their own codes
//! (E0314 time attributes, E0315 streaming limits, E0316 temporal joins, E0409 updating
//! inputs).
//!
//! The checker's parts: `query.rs` (the relation model, WITH, set operations, VALUES, ORDER
//! BY and LIMIT), `select.rs` (a SELECT block and its aggregation), `from.rs` (FROM items,
//! window table functions, UNNEST), `joins.rs`, `over.rs` (OVER windows, Top-N,
//! deduplication), `subquery.rs`, `expr.rs` (expressions), `functions.rs` and `builtins.rs`
//! (function calls), `rules.rs` (type combination rules), `types.rs` (the type model).

mod builtins;
pub mod dialect;
mod expr;
mod from;
mod functions;
mod joins;
mod names;
mod over;
mod query;
pub mod reserved;
mod rules;
mod select;
mod subquery;
pub mod types;

#[cfg(test)]
#[allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]
mod tests;
#[cfg(test)]
#[allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]
mod tests_flink;
#[cfg(test)]
#[allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]
mod tests_streaming;

pub use reserved::is_reserved;
pub use types::{DataType, RowField, TypeError, TypeKind};

use sqlparser::ast;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{Span, TextOrigin};

use dialect::FlinkDialect;

/// The parser's recursion limit: deep enough for any query a person writes, small enough that
/// parsing never exhausts the stack.
const RECURSION_LIMIT: usize = 64;

/// The help of syntax errors.
const SYNTAX_HELP: &str = "correct the SQL at this token: Flink's parser rejects it here too";

/// The longest SQL text pipec reads, in bytes.
const MAX_SQL_BYTES: usize = 256 * 1024;

/// The most tokens (words, literals, operators) one SQL text may have. Long operator chains
/// nest the syntax tree as deep as they are long, so this bounds the tree's depth too.
const MAX_TOKENS: usize = 4_000;

/// A time attribute of a column: event time (with a watermark) or processing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeAttr {
    Rowtime,
    Proctime,
}

/// A column of a relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: DataType,
    pub time: Option<TimeAttr>,
    /// The column's part in a window table function's windows (`window_start`, `window_end`,
    /// `window_time`, a SESSION window's partition key), if any: a window aggregation, window
    /// Top-N or window join in a later query recognizes its windows by it, as Flink does
    /// through views. Sources have none.
    pub window: Option<WindowColumn>,
}

/// The part a column plays in the windows of a window table function. Opaque: only the type
/// checker makes and reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowColumn {
    pub(crate) part: query::WindowPart,
    pub(crate) spec: query::WindowSpec,
}

/// A `ROW_NUMBER() OVER (...)` column whose meaning the next query decides: filtered on (`WHERE
/// rn <= 3`), Flink plans a Top-N or a deduplication; otherwise an OVER aggregation. Opaque:
/// only the type checker makes and reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowNumber {
    pub(crate) rank: over::PendingRank,
    pub(crate) window: Option<query::WindowSpec>,
}

/// The kinds of change a relation emits, from the least to the most updating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Changelog {
    /// Inserts only (`I`).
    Insert,
    /// Inserts, updates after and deletes by a unique key (`I,UA,D`).
    Upsert,
    /// Every kind of change (`I,UB,UA,D`).
    Retract,
}

/// A typed relation: a source, a transform, or a query's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub columns: Vec<Column>,
    pub changelog: Changelog,
    /// A known unique key (primary key, group keys). `Some(vec![])` means the relation has at
    /// most one row (a global aggregate).
    pub unique_key: Option<Vec<String>>,
    /// For updating relations: the operator that made it updating, as a phrase, e.g. "the
    /// aggregation (GROUP BY page) in transform `revenue`" or "the CDC source `customers`".
    pub updating_cause: Option<String>,
    /// Whether lookup joins can read the relation (`JOIN t FOR SYSTEM_TIME AS OF o.proc_time`):
    /// a table whose connector looks rows up by key, which in a pipeline is a `postgres` (JDBC)
    /// source, or a query that only projects one such table (Flink inlines it).
    pub lookup: bool,
    /// A ROW_NUMBER column of the result that a later query may filter on (a Top-N or a
    /// deduplication split over two transforms); the relation's changelog is the one of an
    /// OVER aggregation until then. Sources have none.
    pub row_number: Option<RowNumber>,
}

/// A SQL text taken from the YAML, with the map from its bytes to the file's.
#[derive(Debug, Clone, Copy)]
pub struct SqlText<'a> {
    pub text: &'a str,
    pub origin: &'a TextOrigin,
}

/// A parsed query.
#[derive(Debug, Clone)]
pub struct Query {
    ast: ast::Query,
    tokens: Vec<TokenWithSpan>,
    text: String,
    origin: TextOrigin,
    lines: LineIndex,
    /// Whether parsing reported an error (a reserved word) that Flink would reject.
    rejected: bool,
    /// The spans of the reserved words reported.
    reserved: Vec<sqlparser::tokenizer::Span>,
}

impl Query {
    /// Table names read in FROM and JOIN clauses (CTE names excluded), each with the file span
    /// of the name, in order of appearance.
    pub fn table_refs(&self) -> Vec<(String, Span)> {
        let loc = Locator { text: &self.text, lines: &self.lines, origin: &self.origin };
        names::table_refs(&self.ast).into_iter().map(|(name, span)| (name, loc.span(span))).collect()
    }
}

/// Parses one user query: a SELECT, a WITH ... SELECT or a UNION ALL of them.
///
/// Anything else is E0309; a syntax error is E0301 at its token. An unquoted Flink reserved
/// word used as an identifier is E0308 at that word; the query is still returned then, so that
/// its table names can be resolved and its types checked.
pub fn parse_query(sql: &SqlText, diags: &mut Diagnostics) -> Option<Query> {
    let lines = LineIndex::new(sql.text);
    let loc = Locator { text: sql.text, lines: &lines, origin: sql.origin };
    if sql.text.len() > MAX_SQL_BYTES {
        diags.push(Diagnostic::new(Code::E0901, loc.bytes(0, 0), "the SQL text is too long").help(format!(
            "pipec reads SQL texts of up to {} KiB; split the query into transforms",
            MAX_SQL_BYTES / 1024
        )));
        return None;
    }
    let dialect = FlinkDialect::new(sql.text);
    let tokens = match Tokenizer::new(&dialect, sql.text).tokenize_with_location() {
        Ok(t) => t,
        Err(e) => {
            let at = loc.byte(e.location);
            let end = sql.text.get(at..).and_then(|rest| rest.chars().next()).map_or(at, |c| at + c.len_utf8());
            diags.push(
                Diagnostic::new(Code::E0301, loc.bytes(at, end), lowercase_first(&e.message))
                    .label("syntax error")
                    .help(SYNTAX_HELP),
            );
            return None;
        }
    };
    let significant: Vec<&TokenWithSpan> =
        tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF)).collect();
    if significant.len() > MAX_TOKENS {
        diags.push(
            Diagnostic::new(Code::E0901, loc.bytes(0, 0), "the query is too long")
                .help(format!("pipec reads queries of up to {MAX_TOKENS} tokens; split the query into transforms")),
        );
        return None;
    }
    let mut ok = true;
    for t in &significant {
        if let Token::DoubleQuotedString(_) = t.token {
            diags.push(
                Diagnostic::new(Code::E0301, loc.span(t.span), "Flink SQL has no double-quoted strings or identifiers")
                    .label("double quotes")
                    .help("write strings in single quotes ('text') and quote identifiers with backticks (`name`)"),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let Some(first) = significant.first() else {
        diags.push(
            Diagnostic::new(Code::E0309, loc.bytes(0, sql.text.len()), "the SQL is empty")
                .label("no query")
                .help("write a SELECT query"),
        );
        return None;
    };
    let starts_query = match &first.token {
        Token::LParen => true,
        Token::Word(w) => {
            w.quote_style.is_none()
                && matches!(
                    w.keyword,
                    sqlparser::keywords::Keyword::SELECT
                        | sqlparser::keywords::Keyword::WITH
                        | sqlparser::keywords::Keyword::VALUES
                )
        }
        _ => false,
    };
    if !starts_query {
        diags.push(
            Diagnostic::new(Code::E0309, loc.span(first.span), format!("`{}` does not start a query", first.token))
                .label("not a SELECT")
                .help(
                    "a transform or sink takes one SELECT query; pipec writes the INSERT and CREATE statements itself",
                ),
        );
        return None;
    }
    let mut parser =
        Parser::new(&dialect).with_recursion_limit(RECURSION_LIMIT).with_tokens_with_locations(tokens.clone());
    let ast = match parser.parse_query() {
        Ok(q) => q,
        Err(e) => {
            report_parse_error(&e, &loc, &tokens, diags);
            return None;
        }
    };
    let after = parser.peek_token();
    match after.token {
        Token::EOF => {}
        Token::SemiColon => {
            diags.push(
                Diagnostic::new(Code::E0309, loc.span(after.span), "the query ends with `;`")
                    .label("statement terminator")
                    .help("remove the `;`: the query is one statement, and pipec writes the terminators itself"),
            );
            return None;
        }
        _ => {
            diags.push(
                Diagnostic::new(
                    Code::E0301,
                    loc.span(after.span),
                    format!("unexpected `{}` after the query", after.token),
                )
                .label("syntax error")
                .help(SYNTAX_HELP),
            );
            return None;
        }
    }
    let reserved_idents = names::reserved_identifiers(&ast);
    let rejected = !reserved_idents.is_empty();
    let reserved: Vec<sqlparser::tokenizer::Span> = reserved_idents.iter().map(|i| i.span).collect();
    for ident in reserved_idents {
        diags.push(
            Diagnostic::new(
                Code::E0308,
                loc.span(ident.span),
                format!("`{}` is a reserved word in Flink SQL", ident.value),
            )
            .label("reserved word used as an identifier")
            .help(format!("quote it with backticks: `{}`", ident.value)),
        );
    }
    Some(Query { ast: *ast, tokens, text: sql.text.to_string(), origin: sql.origin.clone(), lines, rejected, reserved })
}

/// Type-checks a parsed query against the relations in scope.
///
/// `scope` finds sources and transforms by name (case-sensitive); `names` lists every name
/// `scope` knows, for "did you mean" suggestions. `owner` names what is checked, for messages
/// ("transform `enriched_orders`"). Returns the query's relation, or `None` when the query has
/// an error (reported here, or a reserved word reported by [`parse_query`]).
pub fn check_query(
    q: &Query,
    sql: &SqlText,
    scope: &dyn Fn(&str) -> Option<Relation>,
    names: &[&str],
    owner: &str,
    diags: &mut Diagnostics,
) -> Option<Relation> {
    // The query carries its own copy of the text; the caller's is used when it is the same.
    let (text, origin) = if sql.text == q.text { (sql.text, sql.origin) } else { (q.text.as_str(), &q.origin) };
    let loc = Locator { text, lines: &q.lines, origin };
    let before = diags.error_count();
    let mut checker = query::QueryChecker::new(loc, &q.tokens, scope, names, owner, diags);
    checker.quiet = q.reserved.iter().map(|s| loc.span(*s)).collect();
    let rel = checker.check_top(&q.ast);
    if diags.error_count() > before || q.rejected {
        return None;
    }
    rel
}

/// Types a computed-column expression (`PROCTIME()`, `TO_TIMESTAMP_LTZ(ts, 3)`, `amount * 2`)
/// against the table's other columns. The returned column has an empty name.
pub fn check_expr(expr: &SqlText, columns: &[Column], diags: &mut Diagnostics) -> Option<Column> {
    let lines = LineIndex::new(expr.text);
    let loc = Locator { text: expr.text, lines: &lines, origin: expr.origin };
    let dialect = FlinkDialect::new(expr.text);
    let tokens = match Tokenizer::new(&dialect, expr.text).tokenize_with_location() {
        Ok(t) => t,
        Err(e) => {
            let at = loc.byte(e.location);
            let end = expr.text.get(at..).and_then(|rest| rest.chars().next()).map_or(at, |c| at + c.len_utf8());
            diags.push(
                Diagnostic::new(Code::E0301, loc.bytes(at, end), lowercase_first(&e.message))
                    .label("syntax error")
                    .help(SYNTAX_HELP),
            );
            return None;
        }
    };
    if tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF)).count() > MAX_TOKENS {
        diags.push(Diagnostic::new(Code::E0901, loc.bytes(0, 0), "the expression is too long"));
        return None;
    }
    if tokens.iter().all(|t| matches!(t.token, Token::Whitespace(_) | Token::EOF)) {
        diags.push(Diagnostic::new(
            Code::E0311,
            loc.bytes(0, expr.text.len()),
            "the computed column's expression is empty",
        ));
        return None;
    }
    let mut parser =
        Parser::new(&dialect).with_recursion_limit(RECURSION_LIMIT).with_tokens_with_locations(tokens.clone());
    let ast = match parser.parse_expr() {
        Ok(e) => e,
        Err(e) => {
            report_parse_error(&e, &loc, &tokens, diags);
            return None;
        }
    };
    let after = parser.peek_token();
    if after.token != Token::EOF {
        diags.push(
            Diagnostic::new(
                Code::E0301,
                loc.span(after.span),
                format!("unexpected `{}` after the expression", after.token),
            )
            .label("syntax error")
            .help(SYNTAX_HELP),
        );
        return None;
    }
    let before = diags.error_count();
    let reserved_idents = names::reserved_identifiers_in_expr(&ast);
    let quiet: Vec<Span> = reserved_idents.iter().map(|i| loc.span(i.span)).collect();
    for ident in reserved_idents {
        diags.push(
            Diagnostic::new(
                Code::E0308,
                loc.span(ident.span),
                format!("`{}` is a reserved word in Flink SQL", ident.value),
            )
            .label("reserved word used as an identifier")
            .help(format!("quote it with backticks: `{}`", ident.value)),
        );
    }
    let typed = query::check_computed(loc, &tokens, columns, &ast, quiet, diags);
    if diags.error_count() > before {
        return None;
    }
    typed.map(|t| Column { name: String::new(), ty: t.ty, time: t.time, window: None })
}

/// Reports a sqlparser error as E0301 at its token, or E0308 when the token is a reserved word
/// where a name was expected.
fn report_parse_error(e: &ParserError, loc: &Locator, tokens: &[TokenWithSpan], diags: &mut Diagnostics) {
    let raw = match e {
        ParserError::RecursionLimitExceeded => {
            diags.push(
                Diagnostic::new(Code::E0901, loc.bytes(0, 0), "the query is nested too deeply")
                    .help("split the query into transforms"),
            );
            return;
        }
        ParserError::ParserError(s) | ParserError::TokenizerError(s) => s.as_str(),
    };
    let (message, position) = split_position(raw);
    let token =
        position.and_then(|p| tokens.iter().find(|t| t.span.start == p && !matches!(t.token, Token::Whitespace(_))));
    let span = match (token, position) {
        (Some(t), _) => loc.span(t.span),
        (None, Some(p)) => {
            let b = loc.byte(p);
            loc.bytes(b, b)
        }
        // Errors at the end of the input carry no position: point after the last token.
        (None, None) => {
            let end = tokens
                .iter()
                .rev()
                .find(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
                .map_or(0, |t| loc.byte(t.span.end));
            loc.bytes(end, end)
        }
    };
    if let Some(TokenWithSpan { token: Token::Word(w), .. }) = token
        && w.quote_style.is_none()
        && is_reserved(&w.value)
        && !is_clause_keyword(&w.value)
        && (message.contains("identifier") || message.contains("an expression"))
    {
        diags.push(
            Diagnostic::new(Code::E0308, span, format!("`{}` is a reserved word in Flink SQL", w.value))
                .label("reserved word used as an identifier")
                .help(format!("quote it with backticks: `{}`", w.value)),
        );
        return;
    }
    diags.push(Diagnostic::new(Code::E0301, span, clean_message(message)).label("syntax error").help(SYNTAX_HELP));
}

/// Keywords that start clauses: a syntax error at one of them is not about quoting.
fn is_clause_keyword(word: &str) -> bool {
    const CLAUSES: &[&str] = &[
        "SELECT",
        "FROM",
        "WHERE",
        "GROUP",
        "HAVING",
        "ORDER",
        "BY",
        "UNION",
        "INTERSECT",
        "EXCEPT",
        "MINUS",
        "JOIN",
        "ON",
        "LIMIT",
        "FETCH",
        "OFFSET",
        "WINDOW",
        "AS",
        "WITH",
        "AND",
        "OR",
        "NOT",
        "THEN",
        "ELSE",
        "WHEN",
        "END",
        "CASE",
        "LEFT",
        "RIGHT",
        "FULL",
        "INNER",
        "OUTER",
        "CROSS",
        "IN",
        "IS",
        "BETWEEN",
        "LIKE",
        "ALL",
        "DISTINCT",
        "USING",
        "NATURAL",
        "OVER",
        "PARTITION",
        "FOR",
        "VALUES",
        "INTERVAL",
        "CAST",
        "TABLE",
    ];
    CLAUSES.iter().any(|c| c.eq_ignore_ascii_case(word))
}

/// Splits sqlparser's " at Line: L, Column: C" suffix off a message.
fn split_position(raw: &str) -> (&str, Option<Location>) {
    let Some((message, rest)) = raw.rsplit_once(" at Line: ") else {
        return (raw, None);
    };
    let mut parts = rest.splitn(2, ", Column: ");
    let line = parts.next().and_then(|l| l.trim().parse::<u64>().ok());
    let col = parts.next().and_then(|c| c.trim().parse::<u64>().ok());
    match (line, col) {
        (Some(line), Some(column)) => (message, Some(Location::new(line, column))),
        _ => (raw, None),
    }
}

/// Turns "Expected: X, found: Y" into "expected X, found `Y`".
fn clean_message(message: &str) -> String {
    if message.starts_with("INTERVAL requires a unit") {
        return "an interval needs a unit here: SECOND, MINUTE, HOUR, DAY, MONTH or YEAR (or their plurals)"
            .to_string();
    }
    if let Some(rest) = message.strip_prefix("Expected: ")
        && let Some((expected, found)) = rest.rsplit_once(", found: ")
    {
        let found = if found == "EOF" { "the end of the query".to_string() } else { format!("`{found}`") };
        return format!("expected {expected}, found {found}");
    }
    lowercase_first(message)
}

/// Lower-cases the first letter of a sentence-like message (not of a name such as `Flink`).
fn lowercase_first(s: &str) -> String {
    if s.starts_with("Flink") || s.chars().nth(1).is_some_and(|c| c.is_uppercase()) {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The byte offset of every line start of a text, to turn sqlparser's (line, column in
/// characters) locations into byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The byte offset of a 1-based line and 1-based character column, clamped to the text.
    pub(crate) fn offset(&self, text: &str, loc: Location) -> usize {
        let Some(&start) =
            usize::try_from(loc.line).ok().and_then(|l| l.checked_sub(1)).and_then(|l| self.starts.get(l))
        else {
            return text.len();
        };
        let line = text.get(start..).unwrap_or("");
        let line = line.split('\n').next().unwrap_or("");
        let col = usize::try_from(loc.column).unwrap_or(usize::MAX).saturating_sub(1);
        line.char_indices().nth(col).map_or(start + line.len(), |(i, _)| start + i)
    }

    /// The 1-based line and 1-based character column of a byte offset.
    pub(crate) fn location(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let col = text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

/// Maps sqlparser spans of one SQL text to file spans.
#[derive(Clone, Copy)]
pub(crate) struct Locator<'a> {
    pub(crate) text: &'a str,
    pub(crate) lines: &'a LineIndex,
    pub(crate) origin: &'a TextOrigin,
}

impl Locator<'_> {
    /// The byte offset in the SQL text of a location.
    pub(crate) fn byte(&self, loc: Location) -> usize {
        self.lines.offset(self.text, loc)
    }

    /// The file span of a byte range of the SQL text.
    pub(crate) fn bytes(&self, start: usize, end: usize) -> Span {
        let start = start.min(self.text.len());
        let end = end.clamp(start, self.text.len());
        self.origin.span_of(start, end)
    }

    /// The file span of a sqlparser span; an unknown span falls on the whole text.
    pub(crate) fn span(&self, s: sqlparser::tokenizer::Span) -> Span {
        if s.start.line == 0 {
            return self.bytes(0, self.text.len());
        }
        let start = self.byte(s.start);
        let end = if s.end.line == 0 { start } else { self.byte(s.end) };
        self.bytes(start, end.max(start))
    }
}
