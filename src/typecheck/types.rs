//! Flink SQL data types: the model, a parser for every spelling Flink's DDL accepts, and a
//! printer that writes types exactly as Flink 1.20 prints them in a resolved schema.
//!
//! The same parser reads the type strings of YAML column declarations and the target types of
//! `CAST`; only `CAST` may name an `INTERVAL` type, because Flink's DDL refuses interval columns.

use std::fmt;

use crate::diag::did_you_mean;

/// The length of `STRING` (`VARCHAR(2147483647)`) and `BYTES` (`VARBINARY(2147483647)`).
pub const MAX_LENGTH: u32 = 2_147_483_647;

/// The largest precision of a `DECIMAL`.
pub const MAX_DECIMAL_PRECISION: u8 = 38;

/// How deeply types may nest (`ARRAY<ARRAY<...>>`) before the parser gives up.
const MAX_NESTING: usize = 64;

/// The kind of a Flink data type, without its nullability.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Boolean,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Float,
    Double,
    /// Precision and scale.
    Decimal(u8, u8),
    Char(u32),
    /// `STRING` is `VarChar(MAX_LENGTH)`.
    VarChar(u32),
    Binary(u32),
    /// `BYTES` is `VarBinary(MAX_LENGTH)`.
    VarBinary(u32),
    Date,
    Time(u8),
    Timestamp(u8),
    TimestampLtz(u8),
    IntervalYearMonth,
    IntervalDaySecond,
    Array(Box<DataType>),
    Map(Box<DataType>, Box<DataType>),
    Multiset(Box<DataType>),
    Row(Vec<RowField>),
    /// The type of an untyped `NULL` literal.
    Null,
}

/// A named field of a `ROW` type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowField {
    pub name: String,
    pub ty: DataType,
}

/// A Flink data type: a kind and whether it admits `NULL`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataType {
    pub kind: TypeKind,
    pub nullable: bool,
}

/// A problem in a type string: a byte range of the input and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

impl fmt::Display for TypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TypeError {}

impl DataType {
    /// A nullable type of `kind`.
    pub fn new(kind: TypeKind) -> DataType {
        DataType { kind, nullable: true }
    }

    /// Parses a Flink type string as Flink's DDL reads it (case-insensitive).
    pub fn parse(s: &str) -> Result<DataType, TypeError> {
        TypeParser::new(s, false)?.parse_all(true)
    }

    /// Parses the target type of a `CAST`: interval types are allowed, a top-level `NOT NULL`
    /// or `NULL` is not (Flink's parser refuses both there), a DECIMAL precision above 38 is
    /// capped at 38.
    pub(crate) fn parse_cast_target(s: &str) -> Result<DataType, TypeError> {
        TypeParser::new(s, true)?.parse_all(false)
    }

    /// The same type, refusing `NULL`.
    pub fn not_null(mut self) -> Self {
        self.nullable = false;
        self
    }

    /// The same type, admitting `NULL`.
    pub fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }

    /// The same type with the given nullability.
    pub fn with_nullable(mut self, nullable: bool) -> Self {
        self.nullable = nullable;
        self
    }

    /// `STRING` (nullable).
    pub fn string() -> DataType {
        DataType::new(TypeKind::VarChar(MAX_LENGTH))
    }

    /// `BOOLEAN` (nullable).
    pub fn boolean() -> DataType {
        DataType::new(TypeKind::Boolean)
    }

    /// `INT` (nullable).
    pub fn int() -> DataType {
        DataType::new(TypeKind::Int)
    }

    /// `BIGINT` (nullable).
    pub fn bigint() -> DataType {
        DataType::new(TypeKind::BigInt)
    }

    /// `DECIMAL(p, s)` (nullable).
    pub fn decimal(p: u8, s: u8) -> DataType {
        DataType::new(TypeKind::Decimal(p, s))
    }

    /// TINYINT, SMALLINT, INT or BIGINT.
    pub fn is_integer(&self) -> bool {
        matches!(self.kind, TypeKind::TinyInt | TypeKind::SmallInt | TypeKind::Int | TypeKind::BigInt)
    }

    /// An integer type or DECIMAL.
    pub fn is_exact_numeric(&self) -> bool {
        self.is_integer() || matches!(self.kind, TypeKind::Decimal(..))
    }

    /// FLOAT or DOUBLE.
    pub fn is_approx_numeric(&self) -> bool {
        matches!(self.kind, TypeKind::Float | TypeKind::Double)
    }

    /// Any numeric type.
    pub fn is_numeric(&self) -> bool {
        self.is_exact_numeric() || self.is_approx_numeric()
    }

    /// CHAR or VARCHAR (STRING).
    pub fn is_character(&self) -> bool {
        matches!(self.kind, TypeKind::Char(_) | TypeKind::VarChar(_))
    }

    /// BINARY or VARBINARY (BYTES).
    pub fn is_binary(&self) -> bool {
        matches!(self.kind, TypeKind::Binary(_) | TypeKind::VarBinary(_))
    }

    /// TIMESTAMP or TIMESTAMP_LTZ.
    pub fn is_timestamp(&self) -> bool {
        matches!(self.kind, TypeKind::Timestamp(_) | TypeKind::TimestampLtz(_))
    }

    /// DATE, TIME, TIMESTAMP or TIMESTAMP_LTZ.
    pub fn is_datetime(&self) -> bool {
        self.is_timestamp() || matches!(self.kind, TypeKind::Date | TypeKind::Time(_))
    }

    /// Either interval family.
    pub fn is_interval(&self) -> bool {
        matches!(self.kind, TypeKind::IntervalYearMonth | TypeKind::IntervalDaySecond)
    }

    /// The type of an untyped `NULL`.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, TypeKind::Null)
    }

    /// ARRAY, MAP, MULTISET or ROW.
    pub fn is_constructed(&self) -> bool {
        matches!(self.kind, TypeKind::Array(_) | TypeKind::Map(..) | TypeKind::Multiset(_) | TypeKind::Row(_))
    }

    /// The type without its nullability, as Flink prints it (`DECIMAL(10, 2)`).
    pub fn kind_name(&self) -> String {
        self.clone().nullable().to_string()
    }
}

fn quote_field(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TypeKind::Boolean => f.write_str("BOOLEAN")?,
            TypeKind::TinyInt => f.write_str("TINYINT")?,
            TypeKind::SmallInt => f.write_str("SMALLINT")?,
            TypeKind::Int => f.write_str("INT")?,
            TypeKind::BigInt => f.write_str("BIGINT")?,
            TypeKind::Float => f.write_str("FLOAT")?,
            TypeKind::Double => f.write_str("DOUBLE")?,
            TypeKind::Decimal(p, s) => write!(f, "DECIMAL({p}, {s})")?,
            TypeKind::Char(n) => write!(f, "CHAR({n})")?,
            TypeKind::VarChar(n) if *n == MAX_LENGTH => f.write_str("STRING")?,
            TypeKind::VarChar(n) => write!(f, "VARCHAR({n})")?,
            TypeKind::Binary(n) => write!(f, "BINARY({n})")?,
            TypeKind::VarBinary(n) if *n == MAX_LENGTH => f.write_str("BYTES")?,
            TypeKind::VarBinary(n) => write!(f, "VARBINARY({n})")?,
            TypeKind::Date => f.write_str("DATE")?,
            TypeKind::Time(p) => write!(f, "TIME({p})")?,
            TypeKind::Timestamp(p) => write!(f, "TIMESTAMP({p})")?,
            TypeKind::TimestampLtz(p) => write!(f, "TIMESTAMP_LTZ({p})")?,
            // Flink prints the types of interval literals and of interval arithmetic this way,
            // whatever units the literal named.
            TypeKind::IntervalYearMonth => f.write_str("INTERVAL MONTH")?,
            TypeKind::IntervalDaySecond => f.write_str("INTERVAL SECOND(3)")?,
            TypeKind::Array(t) => write!(f, "ARRAY<{t}>")?,
            TypeKind::Multiset(t) => write!(f, "MULTISET<{t}>")?,
            TypeKind::Map(k, v) => write!(f, "MAP<{k}, {v}>")?,
            TypeKind::Row(fields) => {
                f.write_str("ROW<")?;
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{} {}", quote_field(&field.name), field.ty)?;
                }
                f.write_str(">")?;
            }
            TypeKind::Null => return f.write_str("NULL"),
        }
        if !self.nullable {
            f.write_str(" NOT NULL")?;
        }
        Ok(())
    }
}

/// One token of a type string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Quoted(String),
    Number(String),
    Str,
    LParen,
    RParen,
    Lt,
    Gt,
    Comma,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

impl Token {
    fn describe(&self, src: &str) -> String {
        format!("`{}`", src.get(self.start..self.end).unwrap_or(""))
    }
}

/// Every base type name, for suggestions.
#[rustfmt::skip]
const TYPE_NAMES: &[&str] = &[
    "BOOLEAN", "TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL",
    "DEC", "NUMERIC", "CHAR", "CHARACTER", "VARCHAR", "STRING", "BINARY", "VARBINARY", "BYTES",
    "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ", "ARRAY", "MAP", "MULTISET", "ROW",
];

fn err(start: usize, end: usize, message: impl Into<String>) -> TypeError {
    TypeError { start, end, message: message.into() }
}

struct TypeParser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    /// Parsing the target of a CAST: interval types allowed, DECIMAL precision capped.
    cast_target: bool,
}

impl<'a> TypeParser<'a> {
    fn new(src: &'a str, cast_target: bool) -> Result<TypeParser<'a>, TypeError> {
        Ok(TypeParser { src, toks: tokenize(src)?, pos: 0, cast_target })
    }

    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    /// The position just after the last token, for errors at the end of the input.
    fn end_pos(&self) -> usize {
        self.toks.last().map_or(self.src.len(), |t| t.end)
    }

    fn error_here(&self, expected: &str) -> TypeError {
        match self.peek() {
            Some(t) => err(t.start, t.end, format!("expected {expected}, found {}", t.describe(self.src))),
            None => {
                let e = self.end_pos();
                err(e, e, format!("expected {expected}, found the end of the type"))
            }
        }
    }

    fn peek_word(&self) -> Option<String> {
        match self.peek() {
            Some(Token { tok: Tok::Word(w), .. }) => Some(w.to_ascii_uppercase()),
            _ => None,
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.peek_word().as_deref() == Some(w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_word(&mut self, w: &str) -> Result<Token, TypeError> {
        if self.peek_word().as_deref() == Some(w) {
            self.next().ok_or_else(|| self.error_here(&format!("`{w}`")))
        } else {
            Err(self.error_here(&format!("`{w}`")))
        }
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek().map(|t| &t.tok) == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> Result<Token, TypeError> {
        if self.peek().map(|t| &t.tok) == Some(tok) {
            self.next().ok_or_else(|| self.error_here(what))
        } else {
            Err(self.error_here(what))
        }
    }

    fn parse_all(mut self, allow_top_nullability: bool) -> Result<DataType, TypeError> {
        if self.toks.is_empty() {
            return Err(err(0, self.src.len(), "the type is empty"));
        }
        let ty = self.parse_type(0, allow_top_nullability)?;
        if let Some(t) = self.peek() {
            return Err(err(t.start, t.end, format!("unexpected {} after the type", t.describe(self.src))));
        }
        Ok(ty)
    }

    fn parse_type(&mut self, depth: usize, allow_nullability: bool) -> Result<DataType, TypeError> {
        if depth > MAX_NESTING {
            let (s, e) = self.peek().map_or((self.end_pos(), self.end_pos()), |t| (t.start, t.end));
            return Err(err(s, e, "the type is nested too deeply"));
        }
        let mut ty = self.parse_base(depth)?;
        let mut nullability_given = false;
        loop {
            match self.peek_word().as_deref() {
                Some("ARRAY") => {
                    self.pos += 1;
                    ty = DataType::new(TypeKind::Array(Box::new(ty)));
                    nullability_given = false;
                }
                Some("MULTISET") => {
                    self.pos += 1;
                    ty = DataType::new(TypeKind::Multiset(Box::new(ty)));
                    nullability_given = false;
                }
                Some(w @ ("NOT" | "NULL")) => {
                    let first = self.peek().cloned();
                    let not = w == "NOT";
                    self.pos += 1;
                    let last = if not {
                        self.expect_word("NULL")?
                    } else {
                        first.clone().ok_or_else(|| self.error_here("NULL"))?
                    };
                    let start = first.map_or(last.start, |t| t.start);
                    if !allow_nullability && depth == 0 {
                        return Err(err(
                            start,
                            last.end,
                            "Flink does not accept NOT NULL or NULL on the target type of a CAST",
                        ));
                    }
                    if nullability_given {
                        return Err(err(start, last.end, "nullability is given twice"));
                    }
                    nullability_given = true;
                    ty.nullable = !not;
                }
                _ => break,
            }
        }
        Ok(ty)
    }

    /// `( n )` if present: the number and its token.
    fn opt_length(&mut self) -> Result<Option<(u64, Token)>, TypeError> {
        if !self.eat(&Tok::LParen) {
            return Ok(None);
        }
        let n = self.number()?;
        self.expect(&Tok::RParen, "`)`")?;
        Ok(Some(n))
    }

    fn number(&mut self) -> Result<(u64, Token), TypeError> {
        match self.peek().cloned() {
            Some(t @ Token { tok: Tok::Number(_), .. }) => {
                self.pos += 1;
                let Tok::Number(digits) = &t.tok else {
                    return Err(self.error_here("a number"));
                };
                // A number too large for u64 is out of every range anyway.
                let n = digits.parse::<u64>().unwrap_or(u64::MAX);
                Ok((n, t))
            }
            _ => Err(self.error_here("a number")),
        }
    }

    fn length(&self, n: Option<(u64, Token)>, default: u32, what: &str) -> Result<u32, TypeError> {
        match n {
            None => Ok(default),
            Some((n, t)) => {
                if n < 1 || n > u64::from(MAX_LENGTH) {
                    Err(err(t.start, t.end, format!("the length of {what} must be between 1 and {MAX_LENGTH}")))
                } else {
                    Ok(n as u32)
                }
            }
        }
    }

    fn precision(&self, n: Option<(u64, Token)>, default: u8, what: &str) -> Result<u8, TypeError> {
        match n {
            None => Ok(default),
            Some((n, t)) => {
                if n > 9 {
                    Err(err(t.start, t.end, format!("the precision of {what} must be between 0 and 9")))
                } else {
                    Ok(n as u8)
                }
            }
        }
    }

    fn parse_base(&mut self, depth: usize) -> Result<DataType, TypeError> {
        let tok = match self.peek().cloned() {
            Some(t) => t,
            None => return Err(self.error_here("a type")),
        };
        let word = match &tok.tok {
            Tok::Word(w) => w.to_ascii_uppercase(),
            _ => return Err(self.error_here("a type")),
        };
        self.pos += 1;
        let kind = match word.as_str() {
            "BOOLEAN" => TypeKind::Boolean,
            "TINYINT" => TypeKind::TinyInt,
            "SMALLINT" => TypeKind::SmallInt,
            "INT" | "INTEGER" => TypeKind::Int,
            "BIGINT" => TypeKind::BigInt,
            "FLOAT" => TypeKind::Float,
            "DOUBLE" => {
                self.eat_word("PRECISION");
                TypeKind::Double
            }
            "REAL" => {
                return Err(err(tok.start, tok.end, "Flink does not support the type REAL; use FLOAT or DOUBLE"));
            }
            "DECIMAL" | "DEC" | "NUMERIC" => self.decimal()?,
            "CHAR" | "CHARACTER" => {
                if self.eat_word("VARYING") {
                    let n = self.opt_length()?;
                    TypeKind::VarChar(self.length(n, MAX_LENGTH, "VARCHAR")?)
                } else {
                    let n = self.opt_length()?;
                    TypeKind::Char(self.length(n, 1, "CHAR")?)
                }
            }
            // Flink's DDL reads a VARCHAR without a length as STRING, and a VARBINARY without a
            // length as BYTES (confirmed against Flink 1.20's planner).
            "VARCHAR" => {
                let n = self.opt_length()?;
                TypeKind::VarChar(self.length(n, MAX_LENGTH, "VARCHAR")?)
            }
            "STRING" => TypeKind::VarChar(MAX_LENGTH),
            "BINARY" => {
                let n = self.opt_length()?;
                TypeKind::Binary(self.length(n, 1, "BINARY")?)
            }
            "VARBINARY" => {
                let n = self.opt_length()?;
                TypeKind::VarBinary(self.length(n, MAX_LENGTH, "VARBINARY")?)
            }
            "BYTES" => TypeKind::VarBinary(MAX_LENGTH),
            "DATE" => TypeKind::Date,
            "TIME" => {
                let p = self.opt_length()?;
                self.precision(p, 0, "TIME")?;
                if self.eat_word("WITHOUT") {
                    self.expect_word("TIME")?;
                    self.expect_word("ZONE")?;
                }
                // Flink's planner supports TIME(0) only and reads every TIME(p) as TIME(0).
                TypeKind::Time(0)
            }
            "TIMESTAMP" => {
                let p = self.opt_length()?;
                let p = self.precision(p, 6, "TIMESTAMP")?;
                if self.peek_word().as_deref() == Some("WITHOUT") {
                    self.pos += 1;
                    self.expect_word("TIME")?;
                    self.expect_word("ZONE")?;
                    TypeKind::Timestamp(p)
                } else if self.peek_word().as_deref() == Some("WITH") {
                    let with = self.next().ok_or_else(|| self.error_here("WITH"))?;
                    if self.eat_word("LOCAL") {
                        self.expect_word("TIME")?;
                        self.expect_word("ZONE")?;
                        TypeKind::TimestampLtz(p)
                    } else {
                        let zone_end = self.peek().map_or(with.end, |t| t.end);
                        return Err(err(
                            with.start,
                            zone_end,
                            "Flink's planner does not support TIMESTAMP WITH TIME ZONE; use TIMESTAMP_LTZ",
                        ));
                    }
                } else {
                    TypeKind::Timestamp(p)
                }
            }
            "TIMESTAMP_LTZ" => {
                let p = self.opt_length()?;
                TypeKind::TimestampLtz(self.precision(p, 6, "TIMESTAMP_LTZ")?)
            }
            "ARRAY" => {
                self.expect(&Tok::Lt, "`<`")?;
                let t = self.parse_type(depth + 1, true)?;
                self.expect(&Tok::Gt, "`>`")?;
                TypeKind::Array(Box::new(t))
            }
            "MULTISET" => {
                self.expect(&Tok::Lt, "`<`")?;
                let t = self.parse_type(depth + 1, true)?;
                self.expect(&Tok::Gt, "`>`")?;
                TypeKind::Multiset(Box::new(t))
            }
            "MAP" => {
                self.expect(&Tok::Lt, "`<`")?;
                let k = self.parse_type(depth + 1, true)?;
                self.expect(&Tok::Comma, "`,`")?;
                let v = self.parse_type(depth + 1, true)?;
                self.expect(&Tok::Gt, "`>`")?;
                TypeKind::Map(Box::new(k), Box::new(v))
            }
            "ROW" => self.row(depth)?,
            "INTERVAL" if self.cast_target => self.interval()?,
            "INTERVAL" => {
                return Err(err(tok.start, tok.end, "Flink does not accept INTERVAL types for table columns"));
            }
            "RAW" => {
                return Err(err(tok.start, tok.end, "RAW types are not supported by pipec"));
            }
            _ => {
                let mut message = format!("unknown type `{}`", self.src.get(tok.start..tok.end).unwrap_or_default());
                if let Some(s) = did_you_mean(&word, TYPE_NAMES.iter().copied()) {
                    message.push_str(&format!("; did you mean `{s}`?"));
                }
                return Err(err(tok.start, tok.end, message));
            }
        };
        Ok(DataType::new(kind))
    }

    fn decimal(&mut self) -> Result<TypeKind, TypeError> {
        if !self.eat(&Tok::LParen) {
            return Ok(TypeKind::Decimal(10, 0));
        }
        let (p, pt) = self.number()?;
        let max = u64::from(MAX_DECIMAL_PRECISION);
        if p == 0 || (p > max && !self.cast_target) {
            return Err(err(pt.start, pt.end, "the precision of DECIMAL must be between 1 and 38"));
        }
        // In a CAST, Flink's SQL type system caps the precision at 38 (a column type cannot
        // exceed it); the scale must fit the capped precision.
        let p = p.min(max);
        let mut s = 0;
        if self.eat(&Tok::Comma) {
            let (sv, st) = self.number()?;
            if sv > p {
                return Err(err(
                    st.start,
                    st.end,
                    format!("the scale of DECIMAL must be between 0 and the precision {p}"),
                ));
            }
            s = sv;
        }
        self.expect(&Tok::RParen, "`)`")?;
        Ok(TypeKind::Decimal(p as u8, s as u8))
    }

    fn row(&mut self, depth: usize) -> Result<TypeKind, TypeError> {
        let close = if self.eat(&Tok::Lt) {
            Tok::Gt
        } else if self.eat(&Tok::LParen) {
            Tok::RParen
        } else {
            return Err(self.error_here("`<` or `(`"));
        };
        let mut fields: Vec<RowField> = Vec::new();
        if self.eat(&close) {
            return Ok(TypeKind::Row(fields));
        }
        loop {
            let name_tok = self.next().ok_or_else(|| self.error_here("a field name"))?;
            let name = match &name_tok.tok {
                Tok::Word(w) => w.clone(),
                Tok::Quoted(q) => q.clone(),
                _ => {
                    self.pos -= 1;
                    return Err(self.error_here("a field name"));
                }
            };
            if fields.iter().any(|f| f.name == name) {
                return Err(err(name_tok.start, name_tok.end, format!("the field `{name}` is declared twice")));
            }
            let ty = self.parse_type(depth + 1, true)?;
            // A field may carry a description, which the type does not keep.
            if matches!(self.peek(), Some(Token { tok: Tok::Str, .. })) {
                self.pos += 1;
            }
            fields.push(RowField { name, ty });
            if self.eat(&Tok::Comma) {
                continue;
            }
            let what = if close == Tok::Gt { "`,` or `>`" } else { "`,` or `)`" };
            self.expect(&close, what)?;
            return Ok(TypeKind::Row(fields));
        }
    }

    fn interval(&mut self) -> Result<TypeKind, TypeError> {
        const UNITS: &[&str] = &["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"];
        let unit = |p: &mut Self| -> Result<(usize, Token), TypeError> {
            let t = p.peek().cloned();
            match (p.peek_word(), t) {
                (Some(w), Some(t)) => match UNITS.iter().position(|u| *u == w) {
                    Some(i) => {
                        p.pos += 1;
                        Ok((i, t))
                    }
                    None => Err(p.error_here("an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)")),
                },
                _ => Err(p.error_here("an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)")),
            }
        };
        let (first, _) = unit(self)?;
        self.opt_length()?;
        let mut last = first;
        if self.eat_word("TO") {
            let (to, tt) = unit(self)?;
            self.opt_length()?;
            let year_month = first <= 1;
            if to <= first || (year_month && to > 1) || (!year_month && to <= 1) {
                return Err(err(tt.start, tt.end, "this interval range is not valid"));
            }
            last = to;
        }
        Ok(if last <= 1 { TypeKind::IntervalYearMonth } else { TypeKind::IntervalDaySecond })
    }
}

fn tokenize(src: &str) -> Result<Vec<Token>, TypeError> {
    let mut toks = Vec::new();
    let mut it = src.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let single = |tok: Tok| Token { tok, start: i, end: i + c.len_utf8() };
        match c {
            c if c.is_whitespace() => {}
            '(' => toks.push(single(Tok::LParen)),
            ')' => toks.push(single(Tok::RParen)),
            '<' => toks.push(single(Tok::Lt)),
            '>' => toks.push(single(Tok::Gt)),
            ',' => toks.push(single(Tok::Comma)),
            '`' => {
                let mut name = String::new();
                let mut end = None;
                while let Some((j, d)) = it.next() {
                    if d == '`' {
                        if matches!(it.peek(), Some((_, '`'))) {
                            it.next();
                            name.push('`');
                        } else {
                            end = Some(j + 1);
                            break;
                        }
                    } else {
                        name.push(d);
                    }
                }
                let Some(end) = end else {
                    return Err(err(i, src.len(), "the quoted name is not closed"));
                };
                if name.is_empty() {
                    return Err(err(i, end, "a field name cannot be empty"));
                }
                toks.push(Token { tok: Tok::Quoted(name), start: i, end });
            }
            '\'' => {
                let mut end = None;
                while let Some((j, d)) = it.next() {
                    if d == '\'' {
                        if matches!(it.peek(), Some((_, '\''))) {
                            it.next();
                        } else {
                            end = Some(j + 1);
                            break;
                        }
                    }
                }
                let Some(end) = end else {
                    return Err(err(i, src.len(), "the description is not closed"));
                };
                toks.push(Token { tok: Tok::Str, start: i, end });
            }
            c if c.is_ascii_digit() => {
                let mut end = i + 1;
                while let Some(&(j, d)) = it.peek() {
                    if d.is_ascii_digit() {
                        it.next();
                        end = j + 1;
                    } else {
                        break;
                    }
                }
                toks.push(Token { tok: Tok::Number(src.get(i..end).unwrap_or_default().to_string()), start: i, end });
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = it.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '$' {
                        it.next();
                        end = j + d.len_utf8();
                    } else {
                        break;
                    }
                }
                toks.push(Token { tok: Tok::Word(src.get(i..end).unwrap_or_default().to_string()), start: i, end });
            }
            _ => {
                return Err(err(i, i + c.len_utf8(), format!("unexpected character `{c}` in a type")));
            }
        }
    }
    Ok(toks)
}

#[cfg(test)]
#[allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]
mod tests {
    use super::*;

    fn round(s: &str) -> String {
        match DataType::parse(s) {
            Ok(t) => t.to_string(),
            Err(e) => panic!("{s}: {e:?}"),
        }
    }

    #[test]
    fn prints_as_flink_does() {
        // Each pair was confirmed against Flink 1.20's planner: a DDL column declared with the
        // left spelling appears in the resolved schema with the right one.
        let cases = [
            ("BIGINT NOT NULL", "BIGINT NOT NULL"),
            ("DECIMAL(10, 2)", "DECIMAL(10, 2)"),
            ("decimal(10,2) not null", "DECIMAL(10, 2) NOT NULL"),
            ("STRING", "STRING"),
            ("VARCHAR(20)", "VARCHAR(20)"),
            ("VARCHAR", "STRING"),
            ("VARCHAR(2147483647)", "STRING"),
            ("CHAR", "CHAR(1)"),
            ("CHAR(3)", "CHAR(3)"),
            ("CHAR(5) NOT NULL", "CHAR(5) NOT NULL"),
            ("BINARY", "BINARY(1)"),
            ("VARBINARY", "BYTES"),
            ("VARBINARY(2147483647)", "BYTES"),
            ("BYTES", "BYTES"),
            ("DECIMAL", "DECIMAL(10, 0)"),
            ("DEC(5,2)", "DECIMAL(5, 2)"),
            ("NUMERIC(7)", "DECIMAL(7, 0)"),
            ("DECIMAL(38, 38)", "DECIMAL(38, 38)"),
            ("INTEGER", "INT"),
            ("INT NULL", "INT"),
            ("DOUBLE PRECISION", "DOUBLE"),
            ("FLOAT", "FLOAT"),
            ("BOOLEAN", "BOOLEAN"),
            ("DATE", "DATE"),
            ("TIME", "TIME(0)"),
            ("TIME(3)", "TIME(0)"),
            ("TIMESTAMP", "TIMESTAMP(6)"),
            ("TIMESTAMP(0)", "TIMESTAMP(0)"),
            ("TIMESTAMP(9)", "TIMESTAMP(9)"),
            ("TIMESTAMP(3)", "TIMESTAMP(3)"),
            ("TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP(6)"),
            ("TIMESTAMP(2) WITHOUT TIME ZONE", "TIMESTAMP(2)"),
            ("TIMESTAMP(3) WITH LOCAL TIME ZONE", "TIMESTAMP_LTZ(3)"),
            ("TIMESTAMP_LTZ", "TIMESTAMP_LTZ(6)"),
            ("timestamp_ltz(3)", "TIMESTAMP_LTZ(3)"),
            ("TIMESTAMP_LTZ(0)", "TIMESTAMP_LTZ(0)"),
            ("ARRAY<STRING>", "ARRAY<STRING>"),
            ("ARRAY<MAP<STRING, ARRAY<INT>>>", "ARRAY<MAP<STRING, ARRAY<INT>>>"),
            ("INT ARRAY", "ARRAY<INT>"),
            ("STRING ARRAY ARRAY", "ARRAY<ARRAY<STRING>>"),
            ("INT MULTISET", "MULTISET<INT>"),
            ("MULTISET<STRING>", "MULTISET<STRING>"),
            ("ARRAY<INT NOT NULL> NOT NULL", "ARRAY<INT NOT NULL> NOT NULL"),
            ("MAP<STRING NOT NULL, INT NULL>", "MAP<STRING NOT NULL, INT>"),
            ("MAP<INT, ROW<a STRING>>", "MAP<INT, ROW<`a` STRING>>"),
            ("ROW(a INT, b STRING)", "ROW<`a` INT, `b` STRING>"),
            ("ROW<a INT NOT NULL, `b c` STRING 'desc'>", "ROW<`a` INT NOT NULL, `b c` STRING>"),
            ("Row<a int>", "ROW<`a` INT>"),
            ("ROW<>", "ROW<>"),
            ("ROW<a INT> NOT NULL", "ROW<`a` INT> NOT NULL"),
            ("ARRAY<ROW<x INT>>", "ARRAY<ROW<`x` INT>>"),
            ("ROW<a ARRAY<INT>, b MAP<STRING, STRING>>", "ROW<`a` ARRAY<INT>, `b` MAP<STRING, STRING>>"),
        ];
        for (input, printed) in cases {
            assert_eq!(round(input), printed, "{input}");
            // Printing is a fixed point: the printed form parses to the same type.
            assert_eq!(DataType::parse(printed).ok(), DataType::parse(input).ok(), "{printed}");
        }
    }

    #[test]
    fn quotes_field_names_with_backticks() {
        let t = DataType::parse("ROW<`a``b` INT>").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(t.to_string(), "ROW<`a``b` INT>");
    }

    #[test]
    fn literal_only_types_print() {
        // Types that no DDL spelling produces but expressions do, printed as Flink 1.20 prints
        // them: an empty string literal is CHAR(0), interval literals are INTERVAL MONTH or
        // INTERVAL SECOND(3).
        assert_eq!(DataType::new(TypeKind::Char(0)).not_null().to_string(), "CHAR(0) NOT NULL");
        assert_eq!(DataType::new(TypeKind::IntervalDaySecond).not_null().to_string(), "INTERVAL SECOND(3) NOT NULL");
        assert_eq!(DataType::new(TypeKind::IntervalYearMonth).not_null().to_string(), "INTERVAL MONTH NOT NULL");
        assert_eq!(DataType::new(TypeKind::Null).to_string(), "NULL");
    }

    fn error_at(s: &str) -> (String, String) {
        match DataType::parse(s) {
            Ok(t) => panic!("{s} parsed as {t}"),
            Err(e) => (s[e.start..e.end].to_string(), e.message),
        }
    }

    #[test]
    fn errors_point_at_the_offending_token() {
        assert_eq!(error_at("DECIMAL(40, 2)").0, "40");
        assert_eq!(error_at("DECIMAL(10, 12)").0, "12");
        assert_eq!(error_at("DECIMAL(0)").0, "0");
        assert_eq!(error_at("TIMESTAMP(10)").0, "10");
        assert_eq!(error_at("TIMESTAMP_LTZ(12)").0, "12");
        assert_eq!(error_at("VARCHAR(0)").0, "0");
        assert_eq!(error_at("CHAR(0)").0, "0");
        assert_eq!(error_at("VARCHAR(2147483648)").0, "2147483648");
        assert_eq!(error_at("ARRAY<STRIN>").0, "STRIN");
        assert!(error_at("ARRAY<STRIN>").1.contains("did you mean `STRING`"));
        assert_eq!(error_at("DECIMAL(10 2)").0, "2");
        assert_eq!(error_at("MAP<STRING>").0, ">");
        assert_eq!(error_at("BIGINT NOT").1, "expected `NULL`, found the end of the type");
        assert_eq!(error_at("INT NOT NULL NULL").0, "NULL");
        assert_eq!(error_at("ROW<a INT, a STRING>").0, "a");
        assert_eq!(error_at("INTERVAL DAY").0, "INTERVAL");
        assert_eq!(error_at("REAL").0, "REAL");
        assert_eq!(error_at("TIMESTAMP(3) WITH TIME ZONE").0, "WITH TIME");
        assert_eq!(error_at("INT)").0, ")");
        assert_eq!(error_at("INT;").0, ";");
        assert_eq!(error_at("ROW<`a INT>").1, "the quoted name is not closed");
        assert_eq!(error_at("").1, "the type is empty");
        let (_, m) = error_at("ARRAY<INT");
        assert_eq!(m, "expected `>`, found the end of the type");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let s = format!("{}INT{}", "ARRAY<".repeat(5000), ">".repeat(5000));
        assert!(DataType::parse(&s).is_err());
        let s = format!("INT{}", " ARRAY".repeat(200));
        assert!(DataType::parse(&s).is_ok());
    }

    #[test]
    fn cast_targets() {
        let p = |s: &str| DataType::parse_cast_target(s).map(|t| t.to_string());
        assert_eq!(p("INTERVAL DAY TO SECOND(3)").ok().as_deref(), Some("INTERVAL SECOND(3)"));
        assert_eq!(p("INTERVAL YEAR TO MONTH").ok().as_deref(), Some("INTERVAL MONTH"));
        assert_eq!(p("ARRAY<INT NOT NULL>").ok().as_deref(), Some("ARRAY<INT NOT NULL>"));
        assert!(p("INT NOT NULL").is_err());
        assert!(p("INTERVAL MONTH TO DAY").is_err());
    }
}
