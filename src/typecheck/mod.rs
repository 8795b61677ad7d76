//! Temporary stand-in for the type checker's types (replaced by the real module).
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind { Boolean, TinyInt, SmallInt, Int, BigInt, Float, Double, Decimal(u8, u8),
    Char(u32), VarChar(u32), Binary(u32), VarBinary(u32),
    Date, Time(u8), Timestamp(u8), TimestampLtz(u8), IntervalYearMonth, IntervalDaySecond,
    Array(Box<DataType>), Map(Box<DataType>, Box<DataType>), Multiset(Box<DataType>), Row(Vec<RowField>), Null }
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowField { pub name: String, pub ty: DataType }
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataType { pub kind: TypeKind, pub nullable: bool }
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError { pub start: usize, pub end: usize, pub message: String }
impl DataType {
    pub fn parse(s: &str) -> Result<DataType, TypeError> {
        let t = s.trim();
        let (base, nullable) = match t.strip_suffix("NOT NULL") { Some(b) => (b.trim(), false), None => (t, true) };
        let kind = match base {
            "BIGINT" => TypeKind::BigInt, "INT" => TypeKind::Int, "STRING" => TypeKind::VarChar(2147483647),
            "BOOLEAN" => TypeKind::Boolean, "DOUBLE" => TypeKind::Double, "DATE" => TypeKind::Date,
            _ if base.starts_with("DECIMAL(") => {
                let inner = &base[8..base.len()-1];
                let mut it = inner.split(',');
                let p = it.next().and_then(|x| x.trim().parse().ok()).unwrap_or(10);
                let s = it.next().and_then(|x| x.trim().parse().ok()).unwrap_or(0);
                TypeKind::Decimal(p, s)
            }
            _ if base.starts_with("TIMESTAMP_LTZ(") => TypeKind::TimestampLtz(base[14..base.len()-1].parse().unwrap_or(6)),
            _ if base.starts_with("TIMESTAMP(") => TypeKind::Timestamp(base[10..base.len()-1].parse().unwrap_or(6)),
            _ => return Err(TypeError { start: 0, end: s.len(), message: format!("unknown type `{base}`") }),
        };
        Ok(DataType { kind, nullable })
    }
    pub fn not_null(mut self) -> Self { self.nullable = false; self }
}
impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TypeKind::BigInt => write!(f, "BIGINT")?, TypeKind::Int => write!(f, "INT")?,
            TypeKind::VarChar(2147483647) => write!(f, "STRING")?, TypeKind::Boolean => write!(f, "BOOLEAN")?,
            TypeKind::Double => write!(f, "DOUBLE")?, TypeKind::Date => write!(f, "DATE")?,
            TypeKind::Decimal(p, s) => write!(f, "DECIMAL({p}, {s})")?,
            TypeKind::Timestamp(p) => write!(f, "TIMESTAMP({p})")?,
            TypeKind::TimestampLtz(p) => write!(f, "TIMESTAMP_LTZ({p})")?,
            k => write!(f, "{k:?}")?,
        }
        if !self.nullable { write!(f, " NOT NULL")?; }
        Ok(())
    }
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeAttr { Rowtime, Proctime }
#[derive(Debug, Clone, PartialEq)]
pub struct Column { pub name: String, pub ty: DataType, pub time: Option<TimeAttr> }
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changelog { Insert, Upsert, Retract }
#[derive(Debug, Clone, PartialEq)]
pub struct Relation { pub columns: Vec<Column>, pub changelog: Changelog, pub unique_key: Option<Vec<String>>, pub updating_cause: Option<String> }
pub fn is_reserved(word: &str) -> bool { matches!(word.to_ascii_uppercase().as_str(), "VALUE" | "TIMESTAMP" | "USER" | "YEAR") }
use crate::diag::Diagnostics;
use crate::source::{Span, TextOrigin};
pub struct SqlText<'a> { pub text: &'a str, pub origin: &'a TextOrigin }
pub struct Query { refs: Vec<(String, Span)> }
pub fn parse_query(sql: &SqlText, _diags: &mut Diagnostics) -> Option<Query> {
    let lower = sql.text.to_lowercase();
    let mut refs = Vec::new();
    for kw in ["from ", "join "] {
        let mut i = 0;
        while let Some(p) = lower[i..].find(kw) {
            let start = i + p + kw.len();
            let name: String = sql.text[start..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() { refs.push((name.clone(), sql.origin.span_of(start, start + name.len()))); }
            i = start;
        }
    }
    Some(Query { refs })
}
impl Query { pub fn table_refs(&self) -> Vec<(String, Span)> { self.refs.clone() } }
pub fn check_query(q: &Query, _sql: &SqlText, scope: &dyn Fn(&str) -> Option<Relation>, _owner: &str, _diags: &mut Diagnostics) -> Option<Relation> {
    q.refs.first().and_then(|(n, _)| scope(n))
}
pub fn check_expr(_expr: &SqlText, _columns: &[Column], _diags: &mut Diagnostics) -> Option<Column> {
    Some(Column { name: String::new(), ty: DataType { kind: TypeKind::Timestamp(3), nullable: false }, time: Some(TimeAttr::Proctime) })
}
