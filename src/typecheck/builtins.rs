//! The scalar built-in functions pipec types, with their result types and nullability as Flink
//! 1.20 derives them. Many results are nullable whatever the arguments (SUBSTRING,
//! REGEXP_EXTRACT, DATE_FORMAT, JSON_VALUE...); the others are nullable when an argument is.

use sqlparser::ast::{
    CeilFloorKind, DateTimeField, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgOperator,
    FunctionArgumentClause, FunctionArguments,
};

use super::TimeAttr;
use super::dialect::CastTarget;
use super::expr::{Lit, Typed};
use super::functions::signature;
use super::query::{Env, QueryChecker};
use super::rules::{self, NoCommonType};
use super::types::{DataType, RowField, TypeKind};
use crate::diag::Code;
use crate::source::Span;

/// What an argument must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// CHAR or VARCHAR.
    Str,
    /// A string or a byte string.
    StrOrBytes,
    /// Any number.
    Num,
    /// An integer.
    Int,
    /// TINYINT, SMALLINT or INT (Flink's functions on the new type stack refuse BIGINT there).
    SmallInt,
    /// DATE, TIME, TIMESTAMP or TIMESTAMP_LTZ.
    Datetime,
    Bool,
    Array,
    Map,
    Bytes,
}

impl Want {
    fn fits(self, t: &DataType) -> bool {
        match self {
            Want::Str => t.is_character(),
            Want::StrOrBytes => t.is_character() || t.is_binary(),
            Want::Num => t.is_numeric(),
            Want::Int => t.is_integer(),
            Want::SmallInt => matches!(t.kind, TypeKind::TinyInt | TypeKind::SmallInt | TypeKind::Int),
            Want::Datetime => t.is_datetime(),
            Want::Bool => t.kind == TypeKind::Boolean,
            Want::Array => matches!(t.kind, TypeKind::Array(_)),
            Want::Map => matches!(t.kind, TypeKind::Map(..)),
            Want::Bytes => t.is_binary(),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Want::Str => "a string",
            Want::StrOrBytes => "a string or bytes",
            Want::Num => "a number",
            Want::Int | Want::SmallInt => "an integer",
            Want::Datetime => "a date, time or timestamp",
            Want::Bool => "a BOOLEAN",
            Want::Array => "an ARRAY",
            Want::Map => "a MAP",
            Want::Bytes => "bytes",
        }
    }

    fn fix(self) -> &'static str {
        match self {
            Want::Str | Want::StrOrBytes => "CAST it to STRING",
            Want::Num => "pass a number, or CAST the value",
            Want::Int | Want::SmallInt => "pass an INT, or CAST the value to INT",
            Want::Datetime => "pass a date or timestamp, e.g. TO_TIMESTAMP(string)",
            Want::Bool => "pass a condition",
            Want::Array => "pass an ARRAY",
            Want::Map => "pass a MAP",
            Want::Bytes => "pass BYTES",
        }
    }
}

/// The nullability of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nulls {
    /// Nullable if an argument is.
    Any,
    /// Always nullable.
    Always,
    /// Never null.
    Never,
}

fn nulls(mode: Nulls, t: &[Typed], ty: DataType) -> Option<Typed> {
    let nullable = match mode {
        Nulls::Any => t.iter().any(|x| x.ty.nullable),
        Nulls::Always => true,
        Nulls::Never => false,
    };
    Some(Typed::of(ty.with_nullable(nullable)))
}

fn string() -> DataType {
    DataType::string()
}

fn double() -> DataType {
    DataType::new(TypeKind::Double)
}

fn int() -> DataType {
    DataType::int()
}

/// TRIM and SUBSTRING turn CHAR(n) into VARCHAR(n).
pub(crate) fn trimmed(t: &DataType) -> DataType {
    match t.kind {
        TypeKind::Char(n) => DataType { kind: TypeKind::VarChar(n), nullable: t.nullable },
        _ => t.clone(),
    }
}

/// FLOOR and CEIL of a number: DECIMAL(p, s) becomes DECIMAL(p, 0); other types stay.
fn floor_ceil(t: &DataType) -> DataType {
    match t.kind {
        TypeKind::Decimal(p, _) => DataType { kind: TypeKind::Decimal(p, 0), nullable: t.nullable },
        _ => t.clone(),
    }
}

impl QueryChecker<'_> {
    /// An error unless argument `t` (at `at`) is what `want` says.
    pub(crate) fn want(&mut self, name: &str, want: Want, t: &Typed, at: &Expr) -> Option<()> {
        if t.ty.is_null() {
            // Flink: "Illegal use of 'NULL'".
            self.error(
                Code::E0305,
                self.expr_span(at),
                format!("a bare NULL has no type as an argument of `{name}`"),
                "no type",
                "write CAST(NULL AS type)",
            );
            return None;
        }
        if want.fits(&t.ty) {
            return Some(());
        }
        // Flink: "Cannot apply 'UPPER' to arguments of type 'UPPER(<INTEGER>)'".
        self.error(
            Code::E0305,
            self.expr_span(at),
            format!("`{name}` takes {} here, but this is {}", want.describe(), t.ty.kind_name()),
            "type mismatch",
            want.fix(),
        );
        None
    }

    /// Checks the arguments against a list of wants (the last repeats for longer lists).
    fn wants(&mut self, name: &str, wants: &[Want], args: &[&Expr], t: &[Typed]) -> Option<()> {
        for (i, (a, ti)) in args.iter().zip(t).enumerate() {
            let w = wants.get(i).or(wants.last()).copied()?;
            self.want(name, w, ti, a)?;
        }
        Some(())
    }

    fn type_error(&mut self, at: Span, message: String, help: &str) -> Option<Typed> {
        self.error(Code::E0305, at, message, "type mismatch", help);
        None
    }

    /// Types a call of a scalar built-in on typed arguments.
    pub(crate) fn scalar(&mut self, name: &str, span: Span, args: &[&Expr], t: &[Typed], e: &Expr) -> Option<Typed> {
        use Want::*;
        let n = t.len();
        let (t0, t1) = (t.first(), t.get(1));
        let (a0, a1) = (args.first().copied(), args.get(1).copied());
        match name {
            "SOURCE_WATERMARK" => {
                self.arity(name, span, n, 0, 0)?;
                nulls(Nulls::Always, t, DataType::new(TypeKind::TimestampLtz(3)))
            }
            "CURRENT_TIMESTAMP" | "NOW" | "CURRENT_ROW_TIMESTAMP" => {
                self.arity(name, span, n, 0, 0)?;
                nulls(Nulls::Never, t, DataType::new(TypeKind::TimestampLtz(3)))
            }
            "LOCALTIMESTAMP" => {
                self.arity(name, span, n, 0, 0)?;
                nulls(Nulls::Never, t, DataType::new(TypeKind::Timestamp(3)))
            }
            "CURRENT_DATE" => {
                self.arity(name, span, n, 0, 0)?;
                nulls(Nulls::Never, t, DataType::new(TypeKind::Date))
            }
            "CURRENT_TIME" | "LOCALTIME" => {
                self.arity(name, span, n, 0, 0)?;
                nulls(Nulls::Never, t, DataType::new(TypeKind::Time(0)))
            }
            "PROCTIME" => {
                self.arity(name, span, n, 0, 0)?;
                Some(Typed {
                    ty: DataType::new(TypeKind::TimestampLtz(3)).not_null(),
                    time: Some(TimeAttr::Proctime),
                    col: None,
                    lit: Lit::NotLiteral,
                })
            }
            "UUID" => {
                self.arity(name, span, n, 0, 0)?;
                nulls(Nulls::Never, t, DataType::new(TypeKind::Char(36)))
            }
            "PI" | "E" => {
                self.arity(name, span, n, 0, 0)?;
                nulls(Nulls::Never, t, double())
            }
            // Strings.
            "UPPER" | "LOWER" | "INITCAP" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Str], args, t)?;
                Some(Typed::of(t0?.ty.clone()))
            }
            "TRIM" | "LTRIM" | "RTRIM" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Str], args, t)?;
                Some(Typed::of(trimmed(&t0?.ty)))
            }
            "CONCAT" => {
                self.arity(name, span, n, 1, usize::MAX)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Any, t, string())
            }
            "CONCAT_WS" => {
                self.arity(name, span, n, 1, usize::MAX)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Any, t, string())
            }
            "CHAR_LENGTH" | "CHARACTER_LENGTH" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Any, t, int())
            }
            "SUBSTRING" | "SUBSTR" => {
                self.arity(name, span, n, 2, 3)?;
                self.wants(name, &[Str, Int], args, t)?;
                Some(Typed::of(trimmed(&t0?.ty).nullable()))
            }
            "REPLACE" | "REGEXP_REPLACE" => {
                self.arity(name, span, n, 3, 3)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Any, t, string())
            }
            "REGEXP_EXTRACT" => {
                self.arity(name, span, n, 2, 3)?;
                self.wants(name, &[Str, Str, Int], args, t)?;
                nulls(Nulls::Always, t, string())
            }
            "SPLIT_INDEX" => {
                self.arity(name, span, n, 3, 3)?;
                self.wants(name, &[Str, Str, Int], args, t)?;
                nulls(Nulls::Always, t, string())
            }
            "LPAD" | "RPAD" => {
                self.arity(name, span, n, 3, 3)?;
                self.wants(name, &[Str, Int, Str], args, t)?;
                nulls(Nulls::Any, t, string())
            }
            "LOCATE" => {
                self.arity(name, span, n, 2, 3)?;
                self.wants(name, &[Str, Str, Int], args, t)?;
                nulls(Nulls::Any, t, int())
            }
            "INSTR" => {
                self.arity(name, span, n, 2, 4)?;
                self.wants(name, &[Str, Str, Int], args, t)?;
                nulls(Nulls::Any, t, int())
            }
            "REPEAT" => {
                self.arity(name, span, n, 2, 2)?;
                self.wants(name, &[Str, Int], args, t)?;
                nulls(Nulls::Any, t, string())
            }
            "REVERSE" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Always, t, string())
            }
            "LEFT" | "RIGHT" => {
                self.arity(name, span, n, 2, 2)?;
                self.wants(name, &[Str, Int], args, t)?;
                Some(Typed::of(trimmed(&t0?.ty).nullable()))
            }
            "TO_BASE64" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[StrOrBytes], args, t)?;
                nulls(Nulls::Any, t, string())
            }
            "FROM_BASE64" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[StrOrBytes], args, t)?;
                nulls(Nulls::Any, t, string())
            }
            "ASCII" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Any, t, int())
            }
            "CHR" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Int], args, t)?;
                nulls(Nulls::Always, t, string())
            }
            "MD5" | "SHA1" | "SHA224" | "SHA256" | "SHA384" | "SHA512" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[StrOrBytes], args, t)?;
                let len = match name {
                    "MD5" => 32,
                    "SHA1" => 40,
                    "SHA224" => 56,
                    "SHA256" => 64,
                    "SHA384" => 96,
                    _ => 128,
                };
                nulls(Nulls::Any, t, DataType::new(TypeKind::Char(len)))
            }
            "SHA2" => {
                self.arity(name, span, n, 2, 2)?;
                self.wants(name, &[StrOrBytes, Int], args, t)?;
                nulls(Nulls::Any, t, DataType::new(TypeKind::VarChar(128)))
            }
            "HASH_CODE" => {
                self.arity(name, span, n, 1, 1)?;
                let x = t0?;
                // Flink 1.20 fails to plan it on TIMESTAMP_LTZ ("Unsupported call").
                let ok = x.ty.kind == TypeKind::Boolean
                    || x.ty.is_numeric()
                    || x.ty.is_character()
                    || (x.ty.is_datetime() && !matches!(x.ty.kind, TypeKind::TimestampLtz(_)));
                if !ok {
                    return self.type_error(
                        self.expr_span(a0?),
                        format!("`HASH_CODE` takes a primitive value, but this is {}", x.ty.kind_name()),
                        "pass a number, string, boolean or time value",
                    );
                }
                nulls(Nulls::Any, t, int())
            }
            "PARSE_URL" => {
                self.arity(name, span, n, 2, 3)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Always, t, string())
            }
            "STR_TO_MAP" => {
                if n == 2 {
                    // Flink: "Invalid number of arguments to function 'STR_TO_MAP'".
                    self.arity(name, span, n, 1, 1)?;
                }
                self.arity(name, span, n, 1, 3)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Always, t, DataType::new(TypeKind::Map(Box::new(string()), Box::new(string()))))
            }
            "REGEXP" => {
                self.arity(name, span, n, 2, 2)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Any, t, DataType::boolean())
            }
            "SPLIT" => {
                self.arity(name, span, n, 2, 2)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Any, t, DataType::new(TypeKind::Array(Box::new(string()))))
            }
            "ENCODE" => {
                self.arity(name, span, n, 2, 2)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Always, t, DataType::new(TypeKind::Binary(1)))
            }
            "DECODE" => {
                self.arity(name, span, n, 2, 2)?;
                self.wants(name, &[Bytes, Str], args, t)?;
                nulls(Nulls::Always, t, string())
            }
            "BIN" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Int], args, t)?;
                nulls(Nulls::Any, t, string())
            }
            "HEX" => {
                self.arity(name, span, n, 1, 1)?;
                let x = t0?;
                if !(x.ty.is_integer() || x.ty.is_character()) {
                    return self.type_error(
                        self.expr_span(a0?),
                        format!("`HEX` takes an integer or a string, but this is {}", x.ty.kind_name()),
                        "pass an integer or a string",
                    );
                }
                nulls(Nulls::Any, t, string())
            }
            // Numbers.
            "ABS" | "SIGN" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Num], args, t)?;
                Some(Typed::of(t0?.ty.clone()))
            }
            "FLOOR" | "CEIL" | "CEILING" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Num], args, t)?;
                Some(Typed::of(floor_ceil(&t0?.ty)))
            }
            "MOD" => {
                self.arity(name, span, n, 2, 2)?;
                let (l, r) = (&t0?.ty, &t1?.ty);
                if !l.is_exact_numeric() || !r.is_exact_numeric() {
                    // Flink: "Cannot apply 'MOD' to arguments of type 'MOD(<DOUBLE>, <INTEGER>)'".
                    return self.type_error(
                        span,
                        format!("`MOD` takes exact numbers, not {} and {}", l.kind_name(), r.kind_name()),
                        "pass integers or decimals",
                    );
                }
                // The function (unlike `%`) takes a DECIMAL dividend's type, else the divisor's.
                let kind = if matches!(l.kind, TypeKind::Decimal(..)) { l.kind.clone() } else { r.kind.clone() };
                nulls(Nulls::Any, t, DataType::new(kind))
            }
            "POWER" | "ATAN2" => {
                self.arity(name, span, n, 2, 2)?;
                self.wants(name, &[Num], args, t)?;
                nulls(Nulls::Any, t, double())
            }
            "LOG" => {
                self.arity(name, span, n, 1, 2)?;
                self.wants(name, &[Num], args, t)?;
                nulls(Nulls::Any, t, double())
            }
            "SQRT" | "LN" | "LOG10" | "LOG2" | "EXP" | "SIN" | "COS" | "TAN" | "COT" | "ASIN" | "ACOS" | "ATAN"
            | "SINH" | "COSH" | "TANH" | "DEGREES" | "RADIANS" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Num], args, t)?;
                nulls(Nulls::Any, t, double())
            }
            "ROUND" | "TRUNCATE" => {
                self.arity(name, span, n, 1, 2)?;
                self.round(name, args, t)
            }
            "RAND" => {
                // Flink 1.20 plans INT seeds only ("Unsupported call: RAND(BIGINT)").
                self.arity(name, span, n, 0, 1)?;
                self.wants(name, &[SmallInt], args, t)?;
                nulls(Nulls::Any, t, double())
            }
            "RAND_INTEGER" => {
                self.arity(name, span, n, 1, 2)?;
                self.wants(name, &[SmallInt], args, t)?;
                nulls(Nulls::Any, t, int())
            }
            // Time.
            "TO_TIMESTAMP_LTZ" => {
                self.arity(name, span, n, 2, 2)?;
                self.wants(name, &[Num], args.get(..1)?, t.get(..1)?)?;
                // Flink 1.20 plans only an INT precision ("Unsupported call:
                // TO_TIMESTAMP_LTZ(BIGINT, BIGINT)").
                if t1?.ty.kind != TypeKind::Int {
                    return self.type_error(
                        self.expr_span(a1?),
                        format!("the precision of `{name}` must be an INT, not {}", t1?.ty.kind_name()),
                        "write the precision as a number: 0 for seconds, 3 for milliseconds",
                    );
                }
                nulls(Nulls::Always, t, DataType::new(TypeKind::TimestampLtz(3)))
            }
            "TO_TIMESTAMP" => {
                self.arity(name, span, n, 1, 2)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Always, t, DataType::new(TypeKind::Timestamp(3)))
            }
            "TO_DATE" => {
                self.arity(name, span, n, 1, 2)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Always, t, DataType::new(TypeKind::Date))
            }
            "DATE_FORMAT" => {
                self.arity(name, span, n, 2, 2)?;
                if !(t0?.ty.is_timestamp() || t0?.ty.is_character()) {
                    return self.type_error(
                        self.expr_span(a0?),
                        format!("`DATE_FORMAT` takes a TIMESTAMP or a string, but this is {}", t0?.ty.kind_name()),
                        "CAST a DATE to TIMESTAMP(3) first",
                    );
                }
                self.want(name, Str, t1?, a1?)?;
                nulls(Nulls::Always, t, string())
            }
            "YEAR" | "QUARTER" | "MONTH" | "WEEK" | "DAYOFYEAR" | "DAYOFMONTH" | "DAYOFWEEK" | "HOUR" | "MINUTE"
            | "SECOND" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Datetime], args, t)?;
                let time_of_day = matches!(name, "HOUR" | "MINUTE" | "SECOND");
                if matches!(t0?.ty.kind, TypeKind::Time(_)) && !time_of_day {
                    return self.type_error(
                        self.expr_span(a0?),
                        format!("Flink cannot extract {name} from {}", t0?.ty.kind_name()),
                        "extract from a DATE or TIMESTAMP",
                    );
                }
                nulls(Nulls::Any, t, DataType::bigint())
            }
            "UNIX_TIMESTAMP" => {
                self.arity(name, span, n, 0, 2)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Any, t, DataType::bigint())
            }
            "FROM_UNIXTIME" => {
                self.arity(name, span, n, 1, 2)?;
                self.wants(name, &[Int, Str], args, t)?;
                nulls(Nulls::Always, t, string())
            }
            "CONVERT_TZ" => {
                self.arity(name, span, n, 3, 3)?;
                self.wants(name, &[Str], args, t)?;
                nulls(Nulls::Always, t, string())
            }
            "CURRENT_WATERMARK" => {
                self.arity(name, span, n, 1, 1)?;
                let x = t0?;
                if x.time != Some(TimeAttr::Rowtime) || x.col.is_none() {
                    // Flink: "The argument of CURRENT_WATERMARK() must be a rowtime attribute".
                    self.error(
                        Code::E0314,
                        self.expr_span(a0?),
                        "the argument of CURRENT_WATERMARK() must be an event-time attribute",
                        "not a rowtime attribute",
                        "pass the column that has the table's watermark",
                    );
                    return None;
                }
                Some(Typed::of(x.ty.clone().nullable()))
            }
            "JSON_STRING" => {
                self.arity(name, span, n, 1, 1)?;
                if matches!(t0?.ty.kind, TypeKind::Date | TypeKind::Time(_)) || t0?.ty.is_null() {
                    // Flink: "Unsupported argument type ... actual type was 'DATE'".
                    return self.type_error(
                        self.expr_span(a0?),
                        format!("`JSON_STRING` does not take {}", t0?.ty.kind_name()),
                        "CAST it to STRING first",
                    );
                }
                nulls(Nulls::Any, t, string())
            }
            // Conditions.
            "COALESCE" | "IFNULL" => {
                if name == "IFNULL" {
                    self.arity(name, span, n, 2, 2)?;
                } else {
                    self.arity(name, span, n, 1, usize::MAX)?;
                }
                let types: Vec<&DataType> = t.iter().map(|x| &x.ty).collect();
                let mut ty = self.common_or_report_ltz(&types, args, e, name)?;
                if ty.is_null() {
                    self.error(
                        Code::E0305,
                        span,
                        format!("every argument of `{name}` is NULL, so it has no type"),
                        "no type",
                        "CAST one argument, e.g. CAST(NULL AS STRING)",
                    );
                    return None;
                }
                ty.nullable = t.iter().all(|x| x.ty.nullable);
                // Calcite drops the values after the first one that is never NULL; when that
                // one is a processing-time attribute after nullable values and the result is
                // TIMESTAMP_LTZ(3), Flink 1.20 fails to plan ("Mismatch of function's argument
                // data type 'TIMESTAMP_LTZ(3) NOT NULL' and actual argument type
                // 'TIMESTAMP_LTZ(3)'"; confirmed against its planner: COALESCE(ltz, pt) and
                // COALESCE(ts, pt) fail, COALESCE(pt, ts) and COALESCE(ts6, pt) plan).
                let first_not_null = t.iter().position(|x| !x.ty.nullable);
                if let Some(k) = first_not_null
                    && k > 0
                    && ty.kind == TypeKind::TimestampLtz(3)
                    && t.get(k).is_some_and(|x| x.time == Some(TimeAttr::Proctime))
                {
                    let at = args.get(k).copied().unwrap_or(e);
                    self.error(
                        Code::E0315,
                        self.expr_span(at),
                        format!(
                            "Flink 1.20 fails to plan `{name}` with a processing-time attribute after a nullable value"
                        ),
                        "processing time here",
                        "use CURRENT_TIMESTAMP for the current time, or put the processing-time column first",
                    );
                    return None;
                }
                // A first value that is never NULL is the result: Calcite simplifies the call
                // to it, so a time attribute there stays one.
                if first_not_null == Some(0)
                    && let Some(first) = t.first()
                    && first.ty.kind == ty.kind
                {
                    return Some(Typed { lit: Lit::NotLiteral, ..first.clone() });
                }
                Some(Typed::of(ty))
            }
            "NULLIF" => {
                self.arity(name, span, n, 2, 2)?;
                if matches!(t0?.ty.kind, TypeKind::Array(_)) {
                    // Flink: "Illegal mixing of types in CASE or COALESCE statement" (arrays
                    // only; maps and rows pass).
                    return self.type_error(
                        self.expr_span(a0?),
                        format!("Flink 1.20 cannot compute `NULLIF` of {}", t0?.ty.kind_name()),
                        "compare the values with CASE WHEN instead",
                    );
                }
                if let Err(msg) = rules::comparable(&t0?.ty, &t1?.ty) {
                    return self.type_error(self.expr_span(a1?), msg, "CAST the second value to the type of the first");
                }
                if t0?.ty.is_null() {
                    self.error(
                        Code::E0305,
                        self.expr_span(a0?),
                        "a bare NULL has no type here",
                        "no type",
                        "write CAST(NULL AS type)",
                    );
                    return None;
                }
                Some(Typed::of(t0?.ty.clone().nullable()))
            }
            "IF" => {
                self.arity(name, span, n, 3, 3)?;
                self.want(name, Bool, t0?, a0?)?;
                let (b1, b2) = (t1?, t.get(2)?);
                let (e1, e2) = (a1?, args.get(2).copied()?);
                for (x, at) in [(b1, e1), (b2, e2)] {
                    if x.ty.is_null() {
                        self.error(
                            Code::E0305,
                            self.expr_span(at),
                            "a bare NULL has no type here",
                            "no type",
                            "write CAST(NULL AS type)",
                        );
                        return None;
                    }
                }
                let family = |d: &DataType| -> u8 {
                    if d.is_numeric() {
                        1
                    } else if d.is_character() {
                        2
                    } else if d.kind == TypeKind::Boolean {
                        3
                    } else if d.is_binary() {
                        4
                    } else if d.kind == TypeKind::Date {
                        5
                    } else if d.is_timestamp() {
                        6
                    } else if matches!(d.kind, TypeKind::Time(_)) {
                        7
                    } else {
                        0
                    }
                };
                if family(&b1.ty) == 0 || family(&b1.ty) != family(&b2.ty) {
                    // Flink: "Cannot apply 'IF' to arguments of type 'IF(<BOOLEAN>, <INTEGER>,
                    // <CHAR(1)>)'".
                    return self.type_error(
                        self.expr_span(e2),
                        format!(
                            "`IF` takes two values of one kind, but these are {} and {}",
                            b1.ty.kind_name(),
                            b2.ty.kind_name()
                        ),
                        "CAST the values to one type, or use CASE",
                    );
                }
                // Of two timestamps IF takes the first's type (confirmed: IF(b, TIMESTAMP(3),
                // TIMESTAMP(6)) is TIMESTAMP(3), IF(b, TIMESTAMP_LTZ(3), TIMESTAMP(6)) is
                // TIMESTAMP_LTZ(3)).
                let ty = if b1.ty.is_timestamp() && b2.ty.is_timestamp() {
                    b1.ty.clone()
                } else {
                    self.common_or_report(&[&b1.ty, &b2.ty], &[e1, e2], e, name)?
                };
                nulls(Nulls::Any, t, ty)
            }
            "GREATEST" | "LEAST" => {
                self.arity(name, span, n, 1, usize::MAX)?;
                for (x, a) in t.iter().zip(args) {
                    if x.ty.is_null() {
                        self.error(
                            Code::E0305,
                            self.expr_span(a),
                            "a bare NULL has no type here",
                            "no type",
                            "write CAST(NULL AS type)",
                        );
                        return None;
                    }
                }
                let types: Vec<&DataType> = t.iter().map(|x| &x.ty).collect();
                let head = types.first().copied()?;
                let bad = types.iter().enumerate().skip(1).find(|(_, ty)| {
                    (rules::comparable(head, ty).is_err() && rules::date_or_time_with_timestamps(&[head, ty]).is_none())
                        || ty.is_constructed()
                });
                if let Some((i, other)) = bad {
                    // Flink: "All types in a comparison should support both 'EQUALS' and
                    // 'ORDER' comparison with each other."
                    let at = args.get(i).copied().unwrap_or(e);
                    return self.type_error(
                        self.expr_span(at),
                        format!(
                            "`{name}` compares values of one kind, but these are {} and {}",
                            head.kind_name(),
                            other.kind_name()
                        ),
                        "CAST the values to one type",
                    );
                }
                let ty = self.common_or_report_ltz(&types, args, e, name)?;
                nulls(Nulls::Any, t, ty)
            }
            "IS_ALPHA" | "IS_DIGIT" | "IS_DECIMAL" => {
                self.arity(name, span, n, 1, 1)?;
                if !(t0?.ty.is_character() || t0?.ty.is_numeric()) {
                    // Flink: "Supported form(s): 'IS_ALPHA(<CHARACTER>)' | 'IS_ALPHA(<NUMERIC>)'"
                    // ("Illegal use of 'NULL'" for a bare NULL).
                    return self.type_error(
                        self.expr_span(a0?),
                        format!("`{name}` takes a string or a number, but this is {}", t0?.ty.kind_name()),
                        "CAST it to STRING",
                    );
                }
                nulls(Nulls::Never, t, DataType::boolean())
            }
            "TYPEOF" => {
                self.arity(name, span, n, 1, 2)?;
                nulls(Nulls::Always, t, string())
            }
            // Collections and rows.
            "ROW" => {
                if n == 0 {
                    return self.type_error(span, "`ROW` needs a value".into(), "write ROW(a, b)");
                }
                self.row_of(args, t)
            }
            _ => self.collection_function(name, span, args, t, e),
        }
    }

    /// The functions on arrays and maps.
    fn collection_function(&mut self, name: &str, span: Span, args: &[&Expr], t: &[Typed], e: &Expr) -> Option<Typed> {
        use Want::*;
        let n = t.len();
        let (t0, a0) = (t.first(), args.first().copied());
        let elem_of = |d: &DataType| -> Option<DataType> {
            match &d.kind {
                TypeKind::Array(x) | TypeKind::Multiset(x) => Some((**x).clone()),
                _ => None,
            }
        };
        match name {
            "CARDINALITY" => {
                self.arity(name, span, n, 1, 1)?;
                let x = t0?;
                if !matches!(x.ty.kind, TypeKind::Array(_) | TypeKind::Map(..) | TypeKind::Multiset(_)) {
                    return self.type_error(
                        self.expr_span(a0?),
                        format!("`CARDINALITY` takes an ARRAY, MAP or MULTISET, but this is {}", x.ty.kind_name()),
                        "pass an array or map; CHAR_LENGTH counts a string's characters",
                    );
                }
                nulls(Nulls::Any, t, int())
            }
            "ELEMENT" => {
                self.arity(name, span, n, 1, 1)?;
                let x = t0?;
                let Some(el) = elem_of(&x.ty) else {
                    return self.type_error(
                        self.expr_span(a0?),
                        format!("`ELEMENT` takes an ARRAY or MULTISET, but this is {}", x.ty.kind_name()),
                        "pass an array",
                    );
                };
                let nullable = el.nullable || x.ty.nullable;
                Some(Typed::of(el.with_nullable(nullable)))
            }
            "MAP_KEYS" | "MAP_VALUES" | "MAP_ENTRIES" => {
                self.arity(name, span, n, 1, 1)?;
                self.wants(name, &[Map], args, t)?;
                let TypeKind::Map(k, v) = &t0?.ty.kind else { return None };
                let ty = match name {
                    "MAP_KEYS" => TypeKind::Array(k.clone()),
                    "MAP_VALUES" => TypeKind::Array(v.clone()),
                    _ => TypeKind::Array(Box::new(DataType::new(TypeKind::Row(vec![
                        RowField { name: "key".into(), ty: (**k).clone() },
                        RowField { name: "value".into(), ty: (**v).clone() },
                    ])))),
                };
                nulls(Nulls::Any, t, DataType::new(ty))
            }
            "MAP_FROM_ARRAYS" => {
                self.arity(name, span, n, 2, 2)?;
                self.wants(name, &[Array], args, t)?;
                let k = elem_of(&t0?.ty)?;
                let v = elem_of(&t.get(1)?.ty)?;
                nulls(Nulls::Any, t, DataType::new(TypeKind::Map(Box::new(k), Box::new(v))))
            }
            "MAP_UNION" => {
                self.arity(name, span, n, 1, usize::MAX)?;
                self.wants(name, &[Map], args, t)?;
                let types: Vec<&DataType> = t.iter().map(|x| &x.ty).collect();
                let ty = self.common_or_report(&types, args, e, name)?;
                nulls(Nulls::Any, t, ty)
            }
            "ARRAY_DISTINCT" | "ARRAY_REVERSE" | "ARRAY_SORT" => {
                self.arity(name, span, n, 1, if name == "ARRAY_SORT" { 3 } else { 1 })?;
                self.want(name, Array, t0?, a0?)?;
                nulls(Nulls::Any, t, t0?.ty.clone())
            }
            "ARRAY_REMOVE" | "ARRAY_CONTAINS" | "ARRAY_POSITION" | "ARRAY_APPEND" | "ARRAY_PREPEND" => {
                self.arity(name, span, n, 2, 2)?;
                self.want(name, Array, t0?, a0?)?;
                let el = elem_of(&t0?.ty)?;
                let (v, av) = (t.get(1)?, args.get(1).copied()?);
                if !v.ty.is_null() && rules::common_type(&[&el, &v.ty]).is_err() {
                    // Flink: "Invalid input arguments."
                    return self.type_error(
                        self.expr_span(av),
                        format!(
                            "`{name}` takes a value of the array's element type {}, but this is {}",
                            el.kind_name(),
                            v.ty.kind_name()
                        ),
                        "CAST the value to the element type",
                    );
                }
                match name {
                    "ARRAY_CONTAINS" => nulls(Nulls::Any, t.get(..1)?, DataType::boolean()),
                    "ARRAY_POSITION" => nulls(Nulls::Any, t.get(..1)?, int()),
                    "ARRAY_REMOVE" => Some(Typed::of(t0?.ty.clone())),
                    _ => {
                        let elem = el.clone().with_nullable(el.nullable || v.ty.nullable);
                        let arr = DataType::new(TypeKind::Array(Box::new(elem))).with_nullable(t0?.ty.nullable);
                        Some(Typed::of(arr))
                    }
                }
            }
            "ARRAY_SLICE" => {
                self.arity(name, span, n, 2, 3)?;
                self.wants(name, &[Array, SmallInt], args, t)?;
                nulls(Nulls::Any, t, t0?.ty.clone())
            }
            "ARRAY_MAX" | "ARRAY_MIN" => {
                self.arity(name, span, n, 1, 1)?;
                self.want(name, Array, t0?, a0?)?;
                Some(Typed::of(elem_of(&t0?.ty)?.nullable()))
            }
            "ARRAY_JOIN" => {
                self.arity(name, span, n, 2, 3)?;
                self.wants(name, &[Array, Str], args, t)?;
                if !elem_of(&t0?.ty).is_some_and(|el| el.is_character()) {
                    return self.type_error(
                        self.expr_span(a0?),
                        format!("`ARRAY_JOIN` joins an array of strings, but this is {}", t0?.ty.kind_name()),
                        "CAST the array to ARRAY<STRING>",
                    );
                }
                nulls(Nulls::Any, t, string())
            }
            "ARRAY_UNION" | "ARRAY_CONCAT" | "ARRAY_EXCEPT" | "ARRAY_INTERSECT" => {
                let max = if name == "ARRAY_CONCAT" { usize::MAX } else { 2 };
                self.arity(name, span, n, if name == "ARRAY_CONCAT" { 1 } else { 2 }, max)?;
                self.wants(name, &[Array], args, t)?;
                let elems: Vec<DataType> = t.iter().filter_map(|x| elem_of(&x.ty)).collect();
                let refs: Vec<&DataType> = elems.iter().collect();
                let el = self.common_or_report(&refs, args, e, name)?;
                nulls(Nulls::Any, t, DataType::new(TypeKind::Array(Box::new(el))))
            }
            _ => self.unsupported(e, name),
        }
    }

    /// ROUND and TRUNCATE: integers and approximate numbers keep their type; DECIMAL(p, s) to
    /// r digits is DECIMAL(p - s + r + 1, r) for 0 <= r < s, DECIMAL(p - s + 1, 0) for r < 0,
    /// and unchanged for r >= s.
    fn round(&mut self, name: &str, args: &[&Expr], t: &[Typed]) -> Option<Typed> {
        let x = t.first()?;
        self.want(name, Want::Num, x, args.first()?)?;
        let digits = match t.get(1) {
            None => 0,
            Some(d) => {
                self.want(name, Want::Int, d, args.get(1)?)?;
                if matches!(x.ty.kind, TypeKind::Decimal(..)) && d.ty.kind != TypeKind::Int {
                    // Flink: "Unsupported call: ROUND(DECIMAL(10, 2), BIGINT)".
                    return self.type_error(
                        self.expr_span(args.get(1)?),
                        format!("Flink 1.20 cannot plan `{name}` of a DECIMAL to {} digits", d.ty.kind_name()),
                        "write the digits as an INT literal",
                    );
                }
                match d.lit {
                    Lit::Int(n) => n,
                    // With a scale that is not a literal, Flink keeps the type (confirmed:
                    // ROUND(DECIMAL(10, 2), i) is DECIMAL(10, 2)).
                    _ => return Some(Typed::of(x.ty.clone())),
                }
            }
        };
        let kind = match x.ty.kind {
            TypeKind::Decimal(p, s) => {
                let (p, s) = (i128::from(p), i128::from(s));
                if digits >= s {
                    TypeKind::Decimal(p as u8, s as u8)
                } else if digits < 0 {
                    TypeKind::Decimal((p - s + 1).clamp(1, 38) as u8, 0)
                } else {
                    TypeKind::Decimal((p - s + digits + 1).clamp(1, 38) as u8, digits as u8)
                }
            }
            ref k => k.clone(),
        };
        Some(Typed::of(DataType { kind, nullable: x.ty.nullable }))
    }

    /// `ROW(a, b)` and `(a, b)`: a ROW with fields EXPR$0, EXPR$1, ..., NOT NULL.
    pub(crate) fn row_of(&mut self, args: &[&Expr], t: &[Typed]) -> Option<Typed> {
        let mut fields = Vec::with_capacity(t.len());
        for (i, (x, a)) in t.iter().zip(args).enumerate() {
            if x.ty.is_null() {
                self.error(
                    Code::E0305,
                    self.expr_span(a),
                    "a bare NULL has no type here",
                    "no type",
                    "write CAST(NULL AS type)",
                );
                return None;
            }
            fields.push(RowField { name: format!("EXPR${i}"), ty: x.ty.clone() });
        }
        Some(Typed::of(DataType::new(TypeKind::Row(fields)).not_null()))
    }

    /// `TIMESTAMPADD(unit, n, t)` and `TIMESTAMPDIFF(unit, a, b)`.
    pub(crate) fn timestamp_add_diff(
        &mut self,
        name: &str,
        span: Span,
        f: &Function,
        e: &Expr,
        env: &Env,
    ) -> Option<Typed> {
        let args = self.plain_args(f, e)?;
        self.arity(name, span, args.len(), 3, 3)?;
        let unit = match args.first().copied() {
            Some(Expr::Identifier(i)) => i.value.to_ascii_uppercase(),
            _ => String::new(),
        };
        const UNITS: &[&str] =
            &["YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MICROSECOND", "NANOSECOND"];
        if !UNITS.contains(&unit.as_str()) {
            // Flink's parser: `Encountered "MILLISECOND"`.
            let at = args.first().map_or(span, |a| self.expr_span(a));
            self.error(
                Code::E0301,
                at,
                format!("`{}` is not a unit of {name}", args.first().map(|a| a.to_string()).unwrap_or_default()),
                "not a unit",
                "use YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MICROSECOND or NANOSECOND",
            );
            return None;
        }
        let (Some(b), Some(c)) = (args.get(1).copied(), args.get(2).copied()) else { return None };
        let tb = self.expr(b, env);
        let tc = self.expr(c, env);
        let (tb, tc) = (tb?, tc?);
        if name == "TIMESTAMPADD" {
            self.want(name, Want::Int, &tb, b)?;
            self.want(name, Want::Datetime, &tc, c)?;
            let below_day = matches!(unit.as_str(), "HOUR" | "MINUTE" | "SECOND" | "MICROSECOND" | "NANOSECOND");
            let kind = match tc.ty.kind {
                // Flink adds hours to a date as TIMESTAMP(6).
                TypeKind::Date if below_day => TypeKind::Timestamp(6),
                ref k => k.clone(),
            };
            let nullable = tb.ty.nullable || tc.ty.nullable;
            return Some(Typed::of(DataType { kind, nullable }));
        }
        self.want(name, Want::Datetime, &tb, b)?;
        self.want(name, Want::Datetime, &tc, c)?;
        for (x, at) in [(&tb, b), (&tc, c)] {
            if matches!(x.ty.kind, TypeKind::Time(_)) {
                // Flink 1.20 fails to plan a TIME argument.
                return self.type_error(
                    self.expr_span(at),
                    "`TIMESTAMPDIFF` takes dates and timestamps, not TIME".into(),
                    "CAST the value to TIMESTAMP(3)",
                );
            }
        }
        let ltz = |d: &DataType| matches!(d.kind, TypeKind::TimestampLtz(_));
        if ltz(&tb.ty) != ltz(&tc.ty) && (tb.ty.is_timestamp() && tc.ty.is_timestamp()) {
            // Flink: "TIMESTAMP_LTZ only supports diff between the same type."
            return self.type_error(
                self.expr_span(c),
                format!(
                    "`TIMESTAMPDIFF` of {} and {} fails to plan in Flink 1.20",
                    tb.ty.kind_name(),
                    tc.ty.kind_name()
                ),
                "CAST both to TIMESTAMP(3) or both to TIMESTAMP_LTZ(3)",
            );
        }
        let nullable = tb.ty.nullable || tc.ty.nullable;
        Some(Typed::of(DataType::int().with_nullable(nullable)))
    }

    /// JSON_VALUE, JSON_QUERY, JSON_EXISTS, JSON_OBJECT and JSON_ARRAY, as the dialect encodes
    /// them (see `dialect.rs`).
    pub(crate) fn json_function(&mut self, name: &str, span: Span, f: &Function, env: &Env) -> Option<Typed> {
        let FunctionArguments::List(list) = &f.args else { return None };
        let mut plain: Vec<&Expr> = Vec::new();
        let mut defaults: Vec<&Expr> = Vec::new();
        for a in &list.args {
            match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => plain.push(x),
                FunctionArg::Named { arg: FunctionArgExpr::Expr(x), operator: FunctionArgOperator::Equals, .. } => {
                    defaults.push(x)
                }
                FunctionArg::Named { arg: FunctionArgExpr::Expr(x), operator: FunctionArgOperator::Value, .. } => {
                    // sqlparser's `'key' VALUE v` form of JSON_OBJECT: the key is a literal.
                    plain.push(x);
                }
                _ => {
                    self.error(
                        Code::E0301,
                        span,
                        format!("this argument of `{name}` is not Flink SQL"),
                        "not Flink SQL",
                        format!("call it as {}", signature(name)),
                    );
                    return None;
                }
            }
        }
        let mut typed = Vec::with_capacity(plain.len());
        for a in &plain {
            typed.push(self.expr(a, env)?);
        }
        for d in &defaults {
            self.expr(d, env)?;
        }
        let returning = list.clauses.iter().find_map(|c| match c {
            FunctionArgumentClause::JsonReturningClause(r) => Some(r.data_type.clone()),
            _ => None,
        });
        match name {
            "JSON_OBJECT" | "JSON_ARRAY" => {
                if name == "JSON_OBJECT" {
                    // Keys are strings.
                    for (i, (x, a)) in typed.iter().zip(&plain).enumerate() {
                        if i % 2 == 0
                            && !x.ty.is_character()
                            && list.args.iter().all(|a| !matches!(a, FunctionArg::Named { .. }))
                        {
                            return self.type_error(
                                self.expr_span(a),
                                format!("a key of `JSON_OBJECT` must be a string, but this is {}", x.ty.kind_name()),
                                "CAST the key to STRING",
                            );
                        }
                    }
                }
                Some(Typed::of(string().not_null()))
            }
            _ => {
                self.arity(name, span, typed.len(), 2, 2)?;
                let (j, p) = (typed.first()?, typed.get(1)?);
                self.want(name, Want::Str, p, plain.get(1)?)?;
                if name == "JSON_EXISTS" && !j.ty.is_character() {
                    // Flink: "Unsupported call: JSON_EXISTS(INT, CHAR(3) NOT NULL)".
                    return self.type_error(
                        self.expr_span(plain.first()?),
                        format!("`JSON_EXISTS` reads a JSON string, but this is {}", j.ty.kind_name()),
                        "pass the JSON text as a STRING",
                    );
                }
                if name == "JSON_EXISTS" {
                    return Some(Typed::of(DataType::boolean()));
                }
                let ty = match returning {
                    None => string(),
                    Some(dt) => {
                        let Some(target) = CastTarget::from_data_type(&dt) else {
                            self.error(
                                Code::E0301,
                                span,
                                "this RETURNING type is not Flink SQL",
                                "invalid type",
                                "write e.g. RETURNING INT",
                            );
                            return None;
                        };
                        let at = self.loc.bytes(target.start, target.end);
                        let Some(ty) = target.data_type() else {
                            self.error(
                                Code::E0301,
                                at,
                                format!("`{}` is not a Flink type", target.text),
                                "invalid type",
                                "write a Flink type such as INT",
                            );
                            return None;
                        };
                        let ok = if name == "JSON_VALUE" {
                            matches!(
                                ty.kind,
                                TypeKind::VarChar(_) | TypeKind::Int | TypeKind::Double | TypeKind::Boolean
                            )
                        } else {
                            ty.is_character() || matches!(&ty.kind, TypeKind::Array(el) if el.is_character())
                        };
                        if !ok {
                            // Flink: "Unsupported type 'BIGINT' for RETURNING in JSON_VALUE()".
                            self.error(
                                Code::E0305,
                                at,
                                format!("Flink 1.20 cannot plan {name}(... RETURNING {})", ty.kind_name()),
                                "unsupported RETURNING type",
                                if name == "JSON_VALUE" {
                                    "return STRING, VARCHAR, INT, DOUBLE or BOOLEAN, and CAST the result"
                                } else {
                                    "return STRING or ARRAY<STRING>"
                                },
                            );
                            return None;
                        }
                        ty
                    }
                };
                Some(Typed::of(ty.nullable()))
            }
        }
    }

    /// SUBSTRING(s FROM start [FOR length]).
    pub(crate) fn substring(&mut self, x: &Expr, from: Option<&Expr>, len: Option<&Expr>, env: &Env) -> Option<Typed> {
        let mut args = vec![x];
        args.extend(from);
        args.extend(len);
        let mut typed = Vec::new();
        for a in &args {
            typed.push(self.expr(a, env)?);
        }
        if typed.len() < 2 {
            self.error(
                Code::E0305,
                self.expr_span(x),
                "`SUBSTRING` needs a start position",
                "missing argument",
                "write SUBSTRING(s FROM start [FOR length])",
            );
            return None;
        }
        self.wants("SUBSTRING", &[Want::Str, Want::Int], &args, &typed)?;
        Some(Typed::of(trimmed(&typed.first()?.ty).nullable()))
    }

    pub(crate) fn trim(&mut self, x: &Expr, what: Option<&Expr>, env: &Env) -> Option<Typed> {
        let t = self.expr(x, env)?;
        if let Some(w) = what {
            let tw = self.expr(w, env)?;
            self.want("TRIM", Want::Str, &tw, w)?;
        }
        self.want("TRIM", Want::Str, &t, x)?;
        Some(Typed::of(trimmed(&t.ty)))
    }

    /// FLOOR and CEIL of a number, or of a date or time to a unit (`FLOOR(ts TO HOUR)`).
    pub(crate) fn ceil_floor(&mut self, e: &Expr, x: &Expr, field: &CeilFloorKind, env: &Env) -> Option<Typed> {
        let name = if matches!(e, Expr::Ceil { .. }) { "CEIL" } else { "FLOOR" };
        match field {
            CeilFloorKind::DateTimeField(DateTimeField::NoDateTime) => {
                let t = self.expr(x, env)?;
                self.want(name, Want::Num, &t, x)?;
                Some(Typed::of(floor_ceil(&t.ty)))
            }
            CeilFloorKind::DateTimeField(unit) => {
                let known = matches!(
                    unit,
                    DateTimeField::Year
                        | DateTimeField::Quarter
                        | DateTimeField::Month
                        | DateTimeField::Week(None)
                        | DateTimeField::Day
                        | DateTimeField::Hour
                        | DateTimeField::Minute
                        | DateTimeField::Second
                        | DateTimeField::Millisecond
                        | DateTimeField::Microsecond
                );
                if !known {
                    self.error(
                        Code::E0301,
                        self.expr_span(x),
                        format!("`{unit}` is not a unit of {name}(... TO unit)"),
                        "not a unit",
                        "use YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND or MILLISECOND",
                    );
                    return None;
                }
                let t = self.expr(x, env)?;
                if !t.ty.is_datetime() {
                    // Flink: "Cannot apply 'FLOOR' to arguments of type 'FLOOR(<VARCHAR>,
                    // <INTERVAL HOUR>)'".
                    return self.type_error(
                        self.expr_span(x),
                        format!(
                            "{name}(... TO {unit}) takes a date, time or timestamp, but this is {}",
                            t.ty.kind_name()
                        ),
                        "pass a date or timestamp",
                    );
                }
                Some(Typed::of(t.ty))
            }
            CeilFloorKind::Scale(_) => {
                self.error(
                    Code::E0301,
                    self.expr_span(e),
                    format!("`{name}` takes no scale in Flink"),
                    "not Flink SQL",
                    format!("write {name}(x) or ROUND(x, digits)"),
                );
                None
            }
        }
    }

    /// The common type of `types` for COALESCE, IFNULL, GREATEST and LEAST, which make
    /// TIMESTAMP_LTZ of TIMESTAMP and TIMESTAMP_LTZ values (confirmed: COALESCE(ts, ltz) and
    /// COALESCE(ltz, ts) are TIMESTAMP_LTZ(3), COALESCE(TIMESTAMP(6), ltz) is TIMESTAMP_LTZ(6)).
    fn common_or_report_ltz(
        &mut self,
        types: &[&DataType],
        exprs: &[&Expr],
        whole: &Expr,
        what: &str,
    ) -> Option<DataType> {
        if let Some(ty) = rules::date_or_time_with_timestamps(types) {
            return Some(ty);
        }
        match rules::common_type(types) {
            Err(NoCommonType::MixedTimestamps) => {
                let p = types
                    .iter()
                    .filter_map(|t| match t.kind {
                        TypeKind::Timestamp(p) | TypeKind::TimestampLtz(p) => Some(p),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(3);
                let nullable = types.iter().any(|t| t.nullable);
                Some(DataType { kind: TypeKind::TimestampLtz(p), nullable })
            }
            _ => self.common_or_report(types, exprs, whole, what),
        }
    }
}
