//! A sqlparser [`Dialect`] for Flink SQL.
//!
//! It reports the Generic dialect's `TypeId`, so the parser keeps Generic's special cases, and
//! changes what Flink needs:
//!
//! - identifiers are quoted with backticks only (`"x"` is neither an identifier nor a string in
//!   Flink), and a backslash in a string literal is an ordinary character;
//! - `FOR SYSTEM_TIME AS OF` parses (temporal and lookup joins);
//! - `CAST` and `TRY_CAST` read their target with pipec's Flink type parser, so `ROW<..>`,
//!   `MAP<..>`, nested `ARRAY<..>` and `TIMESTAMP(3) WITH LOCAL TIME ZONE` parse; the AST keeps
//!   the type's source text (see [`CastTarget`]);
//! - `MAP[k, v, ...]` builds a map;
//! - the JSON functions read their SQL-standard clauses (RETURNING, ON EMPTY, ON ERROR,
//!   WRAPPER, KEY ... VALUE, ON NULL);
//! - `TABLE name [PARTITION BY ...]` is accepted as a function argument (window table functions)
//!   and becomes a function named `TABLE` whose first argument is the table name;
//! - clause keywords (`FROM`, `WHERE`, `GROUP`, ...) are refused where an expression is expected,
//!   so `SELECT a, b + FROM t` is a syntax error as in Flink, not an alias.

use std::any::TypeId;

use sqlparser::ast::{
    self, CastKind, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident, Map,
    MapEntry, ObjectName, TrimWhereField,
};
use sqlparser::dialect::{Dialect, GenericDialect};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token};

use super::LineIndex;
use super::types::DataType;

/// The name of the custom data type that carries a Flink type in a `CAST` node.
const CAST_TARGET_MARKER: &str = "__pipec_flink_type";

/// The JSON functions whose clauses the dialect reads.
const JSON_FUNCTIONS: &[&str] =
    &["JSON_VALUE", "JSON_QUERY", "JSON_EXISTS", "JSON_OBJECT", "JSON_ARRAY", "JSON_OBJECTAGG", "JSON_ARRAYAGG"];

/// Keywords that start a clause and so can never begin an expression.
const CLAUSE_KEYWORDS: &[Keyword] = &[
    Keyword::FROM,
    Keyword::WHERE,
    Keyword::GROUP,
    Keyword::HAVING,
    Keyword::ORDER,
    Keyword::UNION,
    Keyword::INTERSECT,
    Keyword::EXCEPT,
    Keyword::MINUS,
    Keyword::JOIN,
    Keyword::ON,
    Keyword::LIMIT,
    Keyword::FETCH,
    Keyword::WINDOW,
    Keyword::SELECT,
    Keyword::AS,
    Keyword::THEN,
    Keyword::ELSE,
    Keyword::WHEN,
];

/// The Flink SQL dialect. It holds the text being parsed, because `CAST` targets are read from
/// the source text by pipec's own type parser.
#[derive(Debug)]
pub struct FlinkDialect {
    text: String,
    lines: LineIndex,
}

/// The target type of a `CAST`, as the dialect stores it in the AST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CastTarget {
    /// The type as written.
    pub text: String,
    /// Byte range of the type in the SQL text.
    pub start: usize,
    pub end: usize,
}

impl CastTarget {
    /// The cast target carried by `data_type`, if the dialect made it.
    pub fn from_data_type(data_type: &ast::DataType) -> Option<CastTarget> {
        let ast::DataType::Custom(name, modifiers) = data_type else {
            return None;
        };
        let marker = name.0.first().and_then(|p| p.as_ident());
        let marker = marker.filter(|m| m.value == CAST_TARGET_MARKER && name.0.len() == 1)?;
        let [text] = modifiers.as_slice() else {
            return None;
        };
        let start = usize::try_from(marker.span.start.column).ok()?;
        let end = usize::try_from(marker.span.end.column).ok()?;
        Some(CastTarget { text: text.clone(), start, end })
    }

    /// The AST form: the text is the type's only modifier, and the byte range rides in the
    /// marker name's span, which AST comparisons ignore, so that `GROUP BY CAST(x AS INT)`
    /// equals the `CAST(x AS INT)` of the select list.
    fn to_data_type(&self) -> ast::DataType {
        let carrier =
            sqlparser::tokenizer::Span::new(Location::new(1, self.start as u64), Location::new(1, self.end as u64));
        ast::DataType::Custom(
            ObjectName::from(vec![Ident::with_span(carrier, CAST_TARGET_MARKER)]),
            vec![self.text.clone()],
        )
    }

    /// The Flink type.
    pub fn data_type(&self) -> Option<DataType> {
        DataType::parse_cast_target(&self.text).ok()
    }
}

impl FlinkDialect {
    /// A dialect for parsing `text`.
    pub fn new(text: &str) -> FlinkDialect {
        FlinkDialect { text: text.to_string(), lines: LineIndex::new(text) }
    }

    fn error_at(&self, offset: usize, message: &str) -> ParserError {
        let (line, column) = self.lines.location(&self.text, offset);
        ParserError::ParserError(format!("{message} at Line: {line}, Column: {column}"))
    }

    fn offset(&self, loc: Location) -> usize {
        self.lines.offset(&self.text, loc)
    }

    fn parse_cast(&self, parser: &mut Parser, kind: CastKind) -> Result<Expr, ParserError> {
        parser.next_token();
        parser.expect_token(&Token::LParen)?;
        let expr = parser.parse_expr()?;
        parser.expect_keyword_is(Keyword::AS)?;
        let mut depth = 0usize;
        let mut first: Option<Location> = None;
        let mut last: Option<Location> = None;
        loop {
            let t = parser.peek_token();
            match t.token {
                Token::EOF => return parser.expected("`)`", t),
                Token::RParen if depth == 0 => {
                    if first.is_none() {
                        return parser.expected("a data type", t);
                    }
                    parser.next_token();
                    break;
                }
                Token::LParen => depth += 1,
                Token::RParen => depth -= 1,
                _ => {}
            }
            first.get_or_insert(t.span.start);
            last = Some(t.span.end);
            parser.next_token();
        }
        let (Some(first), Some(last)) = (first, last) else {
            return Err(ParserError::ParserError("Expected: a data type".to_string()));
        };
        let start = self.offset(first);
        let end = self.offset(last).max(start);
        let text = self.text.get(start..end).unwrap_or("").to_string();
        if let Err(e) = DataType::parse_cast_target(&text) {
            return Err(self.error_at(start + e.start, &e.message));
        }
        let target = CastTarget { text, start, end };
        Ok(Expr::Cast { kind, expr: Box::new(expr), data_type: target.to_data_type(), format: None })
    }

    fn parse_map(&self, parser: &mut Parser) -> Result<Expr, ParserError> {
        let map_token = parser.next_token();
        parser.expect_token(&Token::LBracket)?;
        let items = if parser.consume_token(&Token::RBracket) {
            Vec::new()
        } else {
            let items = parser.parse_comma_separated(Parser::parse_expr)?;
            parser.expect_token(&Token::RBracket)?;
            items
        };
        if items.is_empty() || items.len() % 2 != 0 {
            let offset = self.offset(map_token.span.start);
            return Err(self.error_at(offset, "MAP[...] needs key and value pairs"));
        }
        let mut entries = Vec::with_capacity(items.len() / 2);
        let mut it = items.into_iter();
        while let (Some(key), Some(value)) = (it.next(), it.next()) {
            entries.push(MapEntry { key: Box::new(key), value: Box::new(value) });
        }
        Ok(Expr::Map(Map { entries }))
    }

    /// `TRIM([[BOTH | LEADING | TRAILING] [characters] FROM] s)`, including Flink's form
    /// without characters (`TRIM(LEADING FROM s)`), which sqlparser does not read.
    fn parse_trim(parser: &mut Parser) -> Result<Expr, ParserError> {
        parser.next_token();
        parser.expect_token(&Token::LParen)?;
        let trim_where = if parser.parse_keyword(Keyword::BOTH) {
            Some(TrimWhereField::Both)
        } else if parser.parse_keyword(Keyword::LEADING) {
            Some(TrimWhereField::Leading)
        } else if parser.parse_keyword(Keyword::TRAILING) {
            Some(TrimWhereField::Trailing)
        } else {
            None
        };
        let (expr, trim_what) = if parser.parse_keyword(Keyword::FROM) {
            (parser.parse_expr()?, None)
        } else {
            let first = parser.parse_expr()?;
            if parser.parse_keyword(Keyword::FROM) {
                (parser.parse_expr()?, Some(Box::new(first)))
            } else {
                if trim_where.is_some() {
                    return parser.expected("FROM", parser.peek_token());
                }
                (first, None)
            }
        };
        parser.expect_token(&Token::RParen)?;
        Ok(Expr::Trim { expr: Box::new(expr), trim_where, trim_what, trim_characters: None })
    }

    /// Flink's JSON functions with their SQL-standard clauses, which sqlparser does not read:
    /// `JSON_VALUE(j, path [RETURNING type] [{NULL | ERROR | DEFAULT e} ON {EMPTY | ERROR}]...)`,
    /// `JSON_QUERY(j, path [RETURNING type] [WITH|WITHOUT ... WRAPPER] [... ON EMPTY|ERROR])`,
    /// `JSON_EXISTS(j, path [{TRUE | FALSE | UNKNOWN | ERROR} ON ERROR])`,
    /// `JSON_OBJECT([KEY] k VALUE v, ... [{NULL | ABSENT} ON NULL])`, `JSON_ARRAY(v, ...)` and
    /// the aggregates `JSON_OBJECTAGG` and `JSON_ARRAYAGG`.
    ///
    /// The result is a function whose plain arguments are the JSON text and path (or the keys
    /// and values, alternating), whose `DEFAULT` expressions are named arguments (`ON_EMPTY`,
    /// `ON_ERROR`), and whose RETURNING type is a [`CastTarget`] in a returning clause.
    fn parse_json(&self, parser: &mut Parser, upper: &str) -> Result<Expr, ParserError> {
        let name_token = parser.next_token();
        let name_text = match &name_token.token {
            Token::Word(w) => w.value.clone(),
            _ => upper.to_string(),
        };
        parser.expect_token(&Token::LParen)?;
        let mut args: Vec<FunctionArg> = Vec::new();
        let mut clauses: Vec<ast::FunctionArgumentClause> = Vec::new();
        let unnamed = |e: Expr| FunctionArg::Unnamed(FunctionArgExpr::Expr(e));
        match upper {
            "JSON_VALUE" | "JSON_QUERY" | "JSON_EXISTS" => {
                args.push(unnamed(parser.parse_expr()?));
                parser.expect_token(&Token::Comma)?;
                args.push(unnamed(parser.parse_expr()?));
                loop {
                    if parser.peek_token().token == Token::RParen {
                        break;
                    }
                    if upper != "JSON_EXISTS" && parser.parse_keyword(Keyword::RETURNING) {
                        let target = self.json_returning_type(parser)?;
                        clauses.push(ast::FunctionArgumentClause::JsonReturningClause(ast::JsonReturningClause {
                            data_type: target.to_data_type(),
                        }));
                        continue;
                    }
                    if upper == "JSON_QUERY" && self.json_wrapper(parser)? {
                        continue;
                    }
                    // The behavior, then ON EMPTY or ON ERROR.
                    let default = if parser.parse_keyword(Keyword::DEFAULT) {
                        if upper != "JSON_VALUE" {
                            return parser.expected("NULL, ERROR or ON", parser.peek_token());
                        }
                        Some(parser.parse_expr()?)
                    } else {
                        let ok = match upper {
                            "JSON_VALUE" => parser.parse_one_of_keywords(&[Keyword::NULL, Keyword::ERROR]).is_some(),
                            "JSON_QUERY" => {
                                if parser.parse_keyword(Keyword::EMPTY) {
                                    parser.parse_one_of_keywords(&[Keyword::ARRAY, Keyword::OBJECT]).is_some()
                                } else {
                                    parser.parse_one_of_keywords(&[Keyword::NULL, Keyword::ERROR]).is_some()
                                }
                            }
                            _ => parser
                                .parse_one_of_keywords(&[
                                    Keyword::TRUE,
                                    Keyword::FALSE,
                                    Keyword::UNKNOWN,
                                    Keyword::ERROR,
                                ])
                                .is_some(),
                        };
                        if !ok {
                            return parser.expected("a JSON clause or `)`", parser.peek_token());
                        }
                        None
                    };
                    parser.expect_keyword_is(Keyword::ON)?;
                    let on = if parser.parse_keyword(Keyword::EMPTY) && upper != "JSON_EXISTS" {
                        "ON_EMPTY"
                    } else if parser.parse_keyword(Keyword::ERROR) {
                        "ON_ERROR"
                    } else {
                        return parser.expected("EMPTY or ERROR", parser.peek_token());
                    };
                    if let Some(d) = default {
                        args.push(FunctionArg::Named {
                            name: Ident::new(on),
                            arg: FunctionArgExpr::Expr(d),
                            operator: ast::FunctionArgOperator::Equals,
                        });
                    }
                }
            }
            "JSON_OBJECT" | "JSON_OBJECTAGG" => {
                if parser.peek_token().token != Token::RParen {
                    loop {
                        if Self::parse_on_null(parser)? {
                            break;
                        }
                        let _ = parser.parse_keyword(Keyword::KEY);
                        args.push(unnamed(parser.parse_expr()?));
                        if !(parser.parse_keyword(Keyword::VALUE) || parser.consume_token(&Token::Colon)) {
                            return parser.expected("VALUE", parser.peek_token());
                        }
                        args.push(unnamed(parser.parse_expr()?));
                        if upper == "JSON_OBJECTAGG" || !parser.consume_token(&Token::Comma) {
                            Self::parse_on_null(parser)?;
                            break;
                        }
                    }
                }
            }
            _ => {
                if parser.peek_token().token != Token::RParen && !Self::parse_on_null(parser)? {
                    loop {
                        args.push(unnamed(parser.parse_expr()?));
                        if upper == "JSON_ARRAYAGG" || !parser.consume_token(&Token::Comma) {
                            Self::parse_on_null(parser)?;
                            break;
                        }
                    }
                }
            }
        }
        parser.expect_token(&Token::RParen)?;
        Ok(Expr::Function(Function {
            name: ObjectName::from(vec![Ident::with_span(name_token.span, name_text)]),
            uses_odbc_syntax: false,
            parameters: FunctionArguments::None,
            args: FunctionArguments::List(FunctionArgumentList { duplicate_treatment: None, args, clauses }),
            filter: None,
            null_treatment: None,
            over: None,
            within_group: vec![],
        }))
    }

    /// `{NULL | ABSENT} ON NULL`, if it comes next.
    fn parse_on_null(parser: &mut Parser) -> Result<bool, ParserError> {
        let is_null = matches!(&parser.peek_token().token, Token::Word(w) if w.keyword == Keyword::NULL || w.keyword == Keyword::ABSENT)
            && matches!(&parser.peek_nth_token(1).token, Token::Word(w) if w.keyword == Keyword::ON);
        if !is_null {
            return Ok(false);
        }
        parser.next_token();
        parser.expect_keyword_is(Keyword::ON)?;
        parser.expect_keyword_is(Keyword::NULL)?;
        Ok(true)
    }

    /// `WITHOUT [ARRAY] WRAPPER` or `WITH [CONDITIONAL | UNCONDITIONAL] [ARRAY] WRAPPER`.
    fn json_wrapper(&self, parser: &mut Parser) -> Result<bool, ParserError> {
        if parser.parse_keyword(Keyword::WITHOUT) {
            let _ = parser.parse_keyword(Keyword::ARRAY);
        } else if parser.parse_keyword(Keyword::WITH) {
            if matches!(&parser.peek_token().token, Token::Word(w)
                if w.value.eq_ignore_ascii_case("CONDITIONAL") || w.value.eq_ignore_ascii_case("UNCONDITIONAL"))
            {
                parser.next_token();
            }
            let _ = parser.parse_keyword(Keyword::ARRAY);
        } else {
            return Ok(false);
        }
        let t = parser.next_token();
        match &t.token {
            Token::Word(w) if w.value.eq_ignore_ascii_case("WRAPPER") => Ok(true),
            _ => parser.expected("WRAPPER", t),
        }
    }

    /// The type after RETURNING, up to the next clause keyword or `)`.
    fn json_returning_type(&self, parser: &mut Parser) -> Result<CastTarget, ParserError> {
        let mut depth = 0usize;
        let mut first: Option<Location> = None;
        let mut last: Option<Location> = None;
        loop {
            let t = parser.peek_token();
            let stop = match &t.token {
                Token::EOF => true,
                Token::RParen if depth == 0 => true,
                Token::Word(w) if depth == 0 => matches!(
                    w.keyword,
                    Keyword::DEFAULT
                        | Keyword::NULL
                        | Keyword::ERROR
                        | Keyword::EMPTY
                        | Keyword::WITH
                        | Keyword::WITHOUT
                        | Keyword::ON
                ),
                _ => false,
            };
            if stop {
                break;
            }
            match t.token {
                Token::LParen | Token::Lt => depth += 1,
                Token::RParen | Token::Gt => depth = depth.saturating_sub(1),
                Token::ShiftRight => depth = depth.saturating_sub(2),
                _ => {}
            }
            first.get_or_insert(t.span.start);
            last = Some(t.span.end);
            parser.next_token();
        }
        let (Some(first), Some(last)) = (first, last) else {
            return parser.expected("a data type", parser.peek_token());
        };
        let start = self.offset(first);
        let end = self.offset(last).max(start);
        let text = self.text.get(start..end).unwrap_or("").to_string();
        if let Err(e) = DataType::parse_cast_target(&text) {
            return Err(self.error_at(start + e.start, &e.message));
        }
        Ok(CastTarget { text, start, end })
    }

    fn parse_table_argument(&self, parser: &mut Parser) -> Result<Expr, ParserError> {
        let table_token = parser.next_token();
        let name = parser.parse_object_name(false)?;
        let parts: Vec<Ident> = name.0.iter().filter_map(|p| p.as_ident().cloned()).collect();
        let name_expr = match parts.as_slice() {
            [single] => Expr::Identifier(single.clone()),
            _ => Expr::CompoundIdentifier(parts),
        };
        let mut args = vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(name_expr))];
        if parser.parse_keywords(&[Keyword::PARTITION, Keyword::BY]) {
            let keys = if parser.consume_token(&Token::LParen) {
                let keys = parser.parse_comma_separated(Parser::parse_expr)?;
                parser.expect_token(&Token::RParen)?;
                keys
            } else {
                vec![parser.parse_expr()?]
            };
            args.extend(keys.into_iter().map(|k| FunctionArg::Unnamed(FunctionArgExpr::Expr(k))));
        }
        Ok(Expr::Function(Function {
            name: ObjectName::from(vec![Ident::with_span(table_token.span, "TABLE")]),
            uses_odbc_syntax: false,
            parameters: FunctionArguments::None,
            args: FunctionArguments::List(FunctionArgumentList { duplicate_treatment: None, args, clauses: vec![] }),
            filter: None,
            null_treatment: None,
            over: None,
            within_group: vec![],
        }))
    }
}

impl Dialect for FlinkDialect {
    fn dialect(&self) -> TypeId {
        TypeId::of::<GenericDialect>()
    }

    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_alphabetic() || ch == '_'
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_alphanumeric() || ch == '_' || ch == '$'
    }

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '`'
    }

    fn identifier_quote_style(&self, _identifier: &str) -> Option<char> {
        Some('`')
    }

    fn supports_string_literal_backslash_escape(&self) -> bool {
        false
    }

    fn supports_table_versioning(&self) -> bool {
        true
    }

    fn supports_filter_during_aggregation(&self) -> bool {
        true
    }

    fn supports_named_fn_args_with_rarrow_operator(&self) -> bool {
        true
    }

    fn supports_match_recognize(&self) -> bool {
        true
    }

    fn supports_group_by_expr(&self) -> bool {
        true
    }

    fn supports_unicode_string_literal(&self) -> bool {
        true
    }

    /// Flink requires a unit after an interval's value: `INTERVAL '5' SECS` fails at `SECS`.
    fn require_interval_qualifier(&self) -> bool {
        true
    }

    /// `x [NOT] BETWEEN SYMMETRIC|ASYMMETRIC a AND b`, which Flink accepts (a BOOLEAN like
    /// plain BETWEEN).
    fn parse_infix(&self, parser: &mut Parser, expr: &Expr, _precedence: u8) -> Option<Result<Expr, ParserError>> {
        let keyword = |n: usize| match parser.peek_nth_token(n).token {
            Token::Word(w) if w.quote_style.is_none() => Some(w.keyword),
            _ => None,
        };
        let symmetric = |k: Option<Keyword>| matches!(k, Some(Keyword::SYMMETRIC | Keyword::ASYMMETRIC));
        let negated = match (keyword(0), keyword(1), keyword(2)) {
            (Some(Keyword::BETWEEN), k, _) if symmetric(k) => false,
            (Some(Keyword::NOT), Some(Keyword::BETWEEN), k) if symmetric(k) => true,
            _ => return None,
        };
        for _ in 0..(if negated { 3 } else { 2 }) {
            parser.next_token();
        }
        Some(parser.parse_between(expr.clone(), negated))
    }

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        let tok = parser.peek_token();
        let Token::Word(word) = &tok.token else {
            return None;
        };
        if word.quote_style.is_some() {
            return None;
        }
        let next = parser.peek_nth_token(1).token;
        match word.keyword {
            Keyword::CAST if next == Token::LParen => Some(self.parse_cast(parser, CastKind::Cast)),
            Keyword::TRY_CAST if next == Token::LParen => Some(self.parse_cast(parser, CastKind::TryCast)),
            Keyword::MAP if next == Token::LBracket => Some(self.parse_map(parser)),
            Keyword::TABLE if matches!(next, Token::Word(_)) => Some(self.parse_table_argument(parser)),
            Keyword::TRIM if next == Token::LParen => Some(Self::parse_trim(parser)),
            _ if next == Token::LParen && JSON_FUNCTIONS.iter().any(|f| f.eq_ignore_ascii_case(&word.value)) => {
                let upper = word.value.to_ascii_uppercase();
                Some(self.parse_json(parser, &upper))
            }
            kw if CLAUSE_KEYWORDS.contains(&kw) => Some(parser.expected("an expression", tok)),
            _ => None,
        }
    }
}
