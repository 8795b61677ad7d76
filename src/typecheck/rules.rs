//! Flink's rules for combining types: numeric promotion and DECIMAL precision and scale, the
//! common type of CASE, COALESCE, IN and UNION ALL, comparability and casts.
//!
//! Every rule here was checked against Flink 1.20's planner; see the tests of this module and of
//! the checker.

use super::types::{DataType, MAX_DECIMAL_PRECISION, MAX_LENGTH, TypeKind};

/// Why no common type exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoCommonType {
    /// The types do not combine in Flink.
    Mismatch,
    /// TIMESTAMP and TIMESTAMP_LTZ mixed: Flink accepts it but types CASE and COALESCE
    /// differently, so pipec does not type it yet.
    MixedTimestamps,
}

/// The type of CASE over TIMESTAMP and TIMESTAMP_LTZ branches (None unless both kinds are
/// among them): Flink folds the branches in order, keeping the type so far when the next has
/// the same precision and taking the next one's kind with the larger precision otherwise
/// (confirmed: TIMESTAMP(3), TIMESTAMP_LTZ(3) is TIMESTAMP(3); TIMESTAMP_LTZ(3), TIMESTAMP(3)
/// is TIMESTAMP_LTZ(3); TIMESTAMP(6), TIMESTAMP_LTZ(3) is TIMESTAMP_LTZ(6); TIMESTAMP_LTZ(3),
/// TIMESTAMP(6) is TIMESTAMP(6)).
pub(crate) fn case_timestamps(types: &[&DataType]) -> Option<DataType> {
    let typed: Vec<&DataType> = types.iter().copied().filter(|t| !t.is_null()).collect();
    let has_plain = typed.iter().any(|t| matches!(t.kind, TypeKind::Timestamp(_)));
    let has_ltz = typed.iter().any(|t| matches!(t.kind, TypeKind::TimestampLtz(_)));
    if !(has_plain && has_ltz && typed.iter().all(|t| t.is_timestamp())) {
        return None;
    }
    let precision = |t: &TypeKind| match t {
        TypeKind::Timestamp(p) | TypeKind::TimestampLtz(p) => *p,
        _ => 0,
    };
    let mut kind = typed.first()?.kind.clone();
    for t in typed.iter().skip(1) {
        let (p, q) = (precision(&kind), precision(&t.kind));
        if p != q {
            let m = p.max(q);
            kind = match t.kind {
                TypeKind::TimestampLtz(_) => TypeKind::TimestampLtz(m),
                _ => TypeKind::Timestamp(m),
            };
        }
    }
    Some(DataType { kind, nullable: types.iter().any(|t| t.nullable) })
}

/// The precision and scale of an exact numeric type seen as a DECIMAL.
pub(crate) fn as_decimal(t: &DataType) -> Option<(u32, u32)> {
    match t.kind {
        TypeKind::TinyInt => Some((3, 0)),
        TypeKind::SmallInt => Some((5, 0)),
        TypeKind::Int => Some((10, 0)),
        TypeKind::BigInt => Some((19, 0)),
        TypeKind::Decimal(p, s) => Some((u32::from(p), u32::from(s))),
        _ => None,
    }
}

fn int_rank(t: &DataType) -> u8 {
    match t.kind {
        TypeKind::TinyInt => 1,
        TypeKind::SmallInt => 2,
        TypeKind::Int => 3,
        TypeKind::BigInt => 4,
        _ => 0,
    }
}

/// A DECIMAL from a precision and scale that may exceed 38: Flink keeps the integer digits and
/// cuts the scale, but never below min(scale, 6).
pub(crate) fn adjust_decimal(p: u32, s: u32) -> TypeKind {
    let max = u32::from(MAX_DECIMAL_PRECISION);
    if p <= max {
        return TypeKind::Decimal(p as u8, s.min(p) as u8);
    }
    let int_digits = p.saturating_sub(s);
    let min_scale = s.min(6);
    let s = max.saturating_sub(int_digits).max(min_scale);
    TypeKind::Decimal(max as u8, s as u8)
}

/// The arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arith {
    Plus,
    Minus,
    Times,
    Divide,
    Modulo,
}

impl Arith {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Arith::Plus => "+",
            Arith::Minus => "-",
            Arith::Times => "*",
            Arith::Divide => "/",
            Arith::Modulo => "%",
        }
    }
}

/// The result type of `l op r`, or why Flink refuses it.
pub(crate) fn arithmetic(op: Arith, l: &DataType, r: &DataType) -> Result<DataType, String> {
    let nullable = l.nullable || r.nullable;
    let refuse = || format!("Flink cannot apply `{}` to {} and {}", op.symbol(), l.kind_name(), r.kind_name());
    if l.is_null() || r.is_null() {
        return Err("a bare NULL has no type here".to_string());
    }
    // Date and time arithmetic with intervals.
    if l.is_datetime() || r.is_datetime() || l.is_interval() || r.is_interval() {
        let kind = match op {
            Arith::Plus | Arith::Minus if l.is_datetime() && r.is_interval() => l.kind.clone(),
            Arith::Plus if l.is_interval() && r.is_datetime() => r.kind.clone(),
            Arith::Plus | Arith::Minus if l.is_interval() && l.kind == r.kind => l.kind.clone(),
            Arith::Times if l.is_interval() && r.is_numeric() => l.kind.clone(),
            Arith::Times if l.is_numeric() && r.is_interval() => r.kind.clone(),
            Arith::Divide if l.is_interval() && r.is_numeric() => {
                return Err("Flink 1.20 cannot divide an interval (it fails to plan the division)".to_string());
            }
            _ => return Err(refuse()),
        };
        return Ok(DataType { kind, nullable });
    }
    if !l.is_numeric() || !r.is_numeric() {
        return Err(refuse());
    }
    if op == Arith::Modulo {
        return modulo(l, r, nullable);
    }
    // FLOAT and DOUBLE: with a DECIMAL the result is DOUBLE; two approximate types give the
    // left one's type (Flink's order-dependent rule); an integer takes the approximate type.
    if l.is_approx_numeric() || r.is_approx_numeric() {
        let kind = if matches!(l.kind, TypeKind::Decimal(..)) || matches!(r.kind, TypeKind::Decimal(..)) {
            TypeKind::Double
        } else if l.is_approx_numeric() {
            l.kind.clone()
        } else {
            r.kind.clone()
        };
        return Ok(DataType { kind, nullable });
    }
    if l.is_integer() && r.is_integer() {
        let kind = if int_rank(l) >= int_rank(r) { l.kind.clone() } else { r.kind.clone() };
        return Ok(DataType { kind, nullable });
    }
    let (Some((p1, s1)), Some((p2, s2))) = (as_decimal(l), as_decimal(r)) else {
        return Err(refuse());
    };
    let kind = match op {
        Arith::Plus | Arith::Minus => {
            let s = s1.max(s2);
            adjust_decimal(p1.saturating_sub(s1).max(p2.saturating_sub(s2)) + s + 1, s)
        }
        Arith::Times => adjust_decimal(p1 + p2 + 1, s1 + s2),
        Arith::Divide => {
            let s = (s1 + p2 + 1).max(6);
            adjust_decimal(p1.saturating_sub(s1) + s2 + s, s)
        }
        Arith::Modulo => return Err(refuse()),
    };
    Ok(DataType { kind, nullable })
}

/// `l % r` (and MOD): exact numerics only; the validator types it as the right operand, and
/// Flink 1.20 fails to plan it when its own DECIMAL rule disagrees with that type.
fn modulo(l: &DataType, r: &DataType, nullable: bool) -> Result<DataType, String> {
    if !l.is_exact_numeric() || !r.is_exact_numeric() {
        return Err(format!(
            "Flink applies `%` to exact numeric types only, not to {} and {}",
            l.kind_name(),
            r.kind_name()
        ));
    }
    let result = DataType { kind: r.kind.clone(), nullable };
    if matches!(l.kind, TypeKind::Decimal(..)) || matches!(r.kind, TypeKind::Decimal(..)) {
        let (Some((p1, s1)), Some((p2, s2))) = (as_decimal(l), as_decimal(r)) else {
            return Err("`%` needs numbers".to_string());
        };
        let s = s1.max(s2);
        let planned = adjust_decimal(p1.saturating_sub(s1).min(p2.saturating_sub(s2)) + s, s);
        let validated = match r.kind {
            TypeKind::Decimal(..) => r.kind.clone(),
            _ => TypeKind::Decimal(p2 as u8, s2 as u8),
        };
        if planned != validated || !matches!(r.kind, TypeKind::Decimal(..)) {
            return Err(format!(
                "Flink 1.20 fails to plan `%` of {} by {} (its validator and planner disagree on the type)",
                l.kind_name(),
                r.kind_name()
            ));
        }
    }
    Ok(result)
}

/// The common type of several types (CASE branches, COALESCE and IN arguments, UNION ALL
/// columns). Untyped NULLs take the others' type; the result is nullable if any input is.
pub(crate) fn common_type(types: &[&DataType]) -> Result<DataType, NoCommonType> {
    let nullable = types.iter().any(|t| t.nullable);
    let typed: Vec<&DataType> = types.iter().copied().filter(|t| !t.is_null()).collect();
    let Some(first) = typed.first() else {
        return Ok(DataType::new(TypeKind::Null));
    };
    let kind = if typed.iter().all(|t| t.is_numeric()) {
        common_numeric(&typed)
    } else if typed.iter().all(|t| t.is_character()) {
        common_length(&typed, TypeKind::Char, TypeKind::VarChar)
    } else if typed.iter().all(|t| t.is_binary()) {
        common_length(&typed, TypeKind::Binary, TypeKind::VarBinary)
    } else if typed.iter().all(|t| t.is_timestamp()) {
        let all_plain = typed.iter().all(|t| matches!(t.kind, TypeKind::Timestamp(_)));
        let all_ltz = typed.iter().all(|t| matches!(t.kind, TypeKind::TimestampLtz(_)));
        let p = typed
            .iter()
            .map(|t| match t.kind {
                TypeKind::Timestamp(p) | TypeKind::TimestampLtz(p) => p,
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        if all_plain {
            TypeKind::Timestamp(p)
        } else if all_ltz {
            TypeKind::TimestampLtz(p)
        } else {
            return Err(NoCommonType::MixedTimestamps);
        }
    } else if typed.iter().all(|t| same_kind_ignoring_nullability(t, first)) {
        first.kind.clone()
    } else {
        return Err(NoCommonType::Mismatch);
    };
    Ok(DataType { kind, nullable })
}

fn common_numeric(typed: &[&DataType]) -> TypeKind {
    let has_decimal = typed.iter().any(|t| matches!(t.kind, TypeKind::Decimal(..)));
    if let Some(approx) = typed.iter().find(|t| t.is_approx_numeric()) {
        // As in arithmetic: DECIMAL with FLOAT or DOUBLE is DOUBLE; otherwise the first
        // approximate type wins (confirmed: CASE f ELSE d is FLOAT, COALESCE(d, f) DOUBLE).
        return if has_decimal { TypeKind::Double } else { approx.kind.clone() };
    }
    if !has_decimal {
        return typed.iter().max_by_key(|t| int_rank(t)).map_or(TypeKind::Int, |t| t.kind.clone());
    }
    let mut int_digits = 0;
    let mut scale = 0;
    for t in typed {
        if let Some((p, s)) = as_decimal(t) {
            int_digits = int_digits.max(p.saturating_sub(s));
            scale = scale.max(s);
        }
    }
    let max = u32::from(MAX_DECIMAL_PRECISION);
    let int_digits = int_digits.min(max);
    if int_digits + scale > max {
        scale = max.saturating_sub(int_digits);
    }
    TypeKind::Decimal((int_digits + scale).max(1) as u8, scale as u8)
}

/// CHAR(n) and CHAR(n) stay CHAR(n); any other mix is VARCHAR of the longest length.
fn common_length(typed: &[&DataType], fixed: fn(u32) -> TypeKind, var: fn(u32) -> TypeKind) -> TypeKind {
    let len = |t: &DataType| match t.kind {
        TypeKind::Char(n) | TypeKind::VarChar(n) | TypeKind::Binary(n) | TypeKind::VarBinary(n) => n,
        _ => 0,
    };
    let all_fixed = typed.iter().all(|t| matches!(t.kind, TypeKind::Char(_) | TypeKind::Binary(_)));
    let first_len = typed.first().map_or(0, |t| len(t));
    if all_fixed && typed.iter().all(|t| len(t) == first_len) {
        return fixed(first_len);
    }
    var(typed.iter().map(|t| len(t)).max().unwrap_or(1).clamp(1, MAX_LENGTH))
}

/// Equal kinds, with nested types compared without their nullability.
fn same_kind_ignoring_nullability(a: &DataType, b: &DataType) -> bool {
    match (&a.kind, &b.kind) {
        (TypeKind::Array(x), TypeKind::Array(y)) | (TypeKind::Multiset(x), TypeKind::Multiset(y)) => {
            same_kind_ignoring_nullability(x, y)
        }
        (TypeKind::Map(k1, v1), TypeKind::Map(k2, v2)) => {
            same_kind_ignoring_nullability(k1, k2) && same_kind_ignoring_nullability(v1, v2)
        }
        (TypeKind::Row(f1), TypeKind::Row(f2)) => {
            f1.len() == f2.len()
                && f1.iter().zip(f2).all(|(x, y)| x.name == y.name && same_kind_ignoring_nullability(&x.ty, &y.ty))
        }
        (x, y) => x == y,
    }
}

/// Whether Flink compares `l` with `r` (`=`, `<`, BETWEEN, IN), or why not.
pub(crate) fn comparable(l: &DataType, r: &DataType) -> Result<(), String> {
    if l.is_null() || r.is_null() {
        return Ok(());
    }
    let ok = (l.is_numeric() && r.is_numeric())
        || (l.is_character() && r.is_character())
        || (l.is_binary() && r.is_binary())
        || (l.is_timestamp() && r.is_timestamp())
        || (l.kind == TypeKind::Date && r.kind == TypeKind::Date)
        || (matches!(l.kind, TypeKind::Time(_)) && matches!(r.kind, TypeKind::Time(_)))
        || (l.kind == TypeKind::Boolean && r.kind == TypeKind::Boolean)
        || (l.is_interval() && l.kind == r.kind)
        // Flink converts a string to a date, time, timestamp or boolean for a comparison.
        || (l.is_character() && (r.is_datetime() || r.kind == TypeKind::Boolean))
        || (r.is_character() && (l.is_datetime() || l.kind == TypeKind::Boolean))
        || (l.is_constructed() && same_kind_ignoring_nullability(l, r));
    if ok {
        return Ok(());
    }
    if (l.is_character() && r.is_numeric()) || (l.is_numeric() && r.is_character()) {
        return Err(format!(
            "Flink 1.20 does not test {} and {} for equality (it fails to plan the implicit conversion)",
            l.kind_name(),
            r.kind_name()
        ));
    }
    Err(format!("Flink cannot compare {} with {}", l.kind_name(), r.kind_name()))
}

/// The common type Flink's COALESCE, IFNULL, GREATEST and LEAST give a DATE or a TIME mixed
/// with plain TIMESTAMPs: the DATE (or TIME(0)) itself, nullable when any value is (the caller
/// refines nullability). Confirmed against Flink 1.20's planner: `COALESCE(dt, ts)` is DATE,
/// `COALESCE(tm, ts6)` is TIME(0), while a TIMESTAMP_LTZ, or a DATE with a TIME, has no common
/// type ("Invalid input arguments."). CASE, IF, NULLIF, IN and UNION reject the mix.
pub(crate) fn date_or_time_with_timestamps(types: &[&DataType]) -> Option<DataType> {
    let mut base: Option<TypeKind> = None;
    let mut saw_timestamp = false;
    for t in types {
        match &t.kind {
            TypeKind::Timestamp(_) => saw_timestamp = true,
            TypeKind::Date => match base {
                None | Some(TypeKind::Date) => base = Some(TypeKind::Date),
                _ => return None,
            },
            TypeKind::Time(_) => match base {
                None | Some(TypeKind::Time(_)) => base = Some(TypeKind::Time(0)),
                _ => return None,
            },
            TypeKind::Null => {}
            _ => return None,
        }
    }
    let kind = base.filter(|_| saw_timestamp)?;
    Some(DataType { kind, nullable: types.iter().any(|t| t.nullable) })
}

/// Whether Flink casts `from` to `to`, or why not (with Flink's advice where it gives one).
pub(crate) fn castable(from: &DataType, to: &DataType) -> Result<(), String> {
    use TypeKind as K;
    if from.is_null() {
        return Ok(());
    }
    let refuse = || Err(format!("Flink cannot cast {} to {}", from.kind_name(), to.kind_name()));
    let ok = match &to.kind {
        K::Char(_) | K::VarChar(_) => true,
        K::Binary(_) | K::VarBinary(_) => from.is_binary() || from.is_character(),
        K::Boolean => from.kind == K::Boolean || from.is_character() || from.is_numeric(),
        K::TinyInt | K::SmallInt | K::Int | K::BigInt | K::Float | K::Double | K::Decimal(..) => {
            if from.is_timestamp() {
                return Err(format!(
                    "Flink does not cast {} to a number; use UNIX_TIMESTAMP(CAST(ts AS STRING)) for seconds since the epoch",
                    from.kind_name()
                ));
            }
            from.is_numeric() || from.is_character() || from.kind == K::Boolean
        }
        K::Date => from.kind == K::Date || from.is_timestamp() || from.is_character(),
        K::Time(_) => matches!(from.kind, K::Time(_)) || from.is_timestamp() || from.is_character(),
        K::Timestamp(_) | K::TimestampLtz(_) => {
            if from.is_numeric() {
                let advice = if matches!(to.kind, K::TimestampLtz(_)) {
                    "use TO_TIMESTAMP_LTZ(value, precision)"
                } else {
                    "use TO_TIMESTAMP(FROM_UNIXTIME(seconds))"
                };
                return Err(format!("Flink does not cast a number to {}; {advice}", to.kind_name()));
            }
            from.is_datetime() || from.is_character()
        }
        K::IntervalYearMonth | K::IntervalDaySecond => {
            if from.is_character() {
                return Err(format!("Flink 1.20 cannot plan a cast from {} to an interval", from.kind_name()));
            }
            from.kind == to.kind || from.is_exact_numeric()
        }
        K::Array(te) => match &from.kind {
            K::Array(fe) => return castable(fe, te),
            _ => false,
        },
        K::Multiset(te) => match &from.kind {
            K::Multiset(fe) => return castable(fe, te),
            _ => false,
        },
        K::Map(tk, tv) => match &from.kind {
            K::Map(fk, fv) => {
                castable(fk, tk)?;
                return castable(fv, tv);
            }
            _ => false,
        },
        K::Row(tf) => match &from.kind {
            K::Row(ff) if ff.len() == tf.len() => {
                for (a, b) in ff.iter().zip(tf) {
                    castable(&a.ty, &b.ty)?;
                }
                return Ok(());
            }
            _ => false,
        },
        K::Null => false,
    };
    if ok { Ok(()) } else { refuse() }
}

/// The result of `a || b` for character strings: CHAR if both are CHAR, else VARCHAR, of the
/// summed length (STRING when it reaches the maximum).
pub(crate) fn concat(l: &DataType, r: &DataType) -> Result<DataType, String> {
    let len = |t: &DataType| match t.kind {
        TypeKind::Char(n) | TypeKind::VarChar(n) => Some(n),
        _ => None,
    };
    let (Some(a), Some(b)) = (len(l), len(r)) else {
        return Err(format!("Flink concatenates strings only, not {} and {}", l.kind_name(), r.kind_name()));
    };
    let n = a.saturating_add(b).min(MAX_LENGTH);
    let both_char = matches!(l.kind, TypeKind::Char(_)) && matches!(r.kind, TypeKind::Char(_));
    let kind = if both_char && n < MAX_LENGTH { TypeKind::Char(n) } else { TypeKind::VarChar(n) };
    Ok(DataType { kind, nullable: l.nullable || r.nullable })
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

    fn t(s: &str) -> DataType {
        DataType::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn ar(op: Arith, a: &str, b: &str) -> String {
        match arithmetic(op, &t(a), &t(b)) {
            Ok(r) => r.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn decimal_arithmetic_as_flink() {
        // All confirmed against Flink 1.20's planner with columns of these types.
        use Arith::*;
        assert_eq!(ar(Plus, "DECIMAL(10, 2)", "DECIMAL(10, 2)"), "DECIMAL(11, 2)");
        assert_eq!(ar(Minus, "DECIMAL(10, 2)", "DECIMAL(10, 2)"), "DECIMAL(11, 2)");
        assert_eq!(ar(Times, "DECIMAL(10, 2)", "DECIMAL(10, 2)"), "DECIMAL(21, 4)");
        assert_eq!(ar(Divide, "DECIMAL(10, 2)", "DECIMAL(10, 2)"), "DECIMAL(23, 13)");
        assert_eq!(ar(Modulo, "DECIMAL(10, 2)", "DECIMAL(10, 2)"), "DECIMAL(10, 2)");
        assert_eq!(ar(Plus, "DECIMAL(10, 2)", "INT"), "DECIMAL(13, 2)");
        assert_eq!(ar(Times, "DECIMAL(10, 2)", "INT"), "DECIMAL(21, 2)");
        assert_eq!(ar(Divide, "DECIMAL(10, 2)", "INT"), "DECIMAL(21, 13)");
        assert_eq!(ar(Plus, "DECIMAL(5, 3)", "DECIMAL(10, 2)"), "DECIMAL(12, 3)");
        assert_eq!(ar(Times, "DECIMAL(5, 3)", "DECIMAL(10, 2)"), "DECIMAL(16, 5)");
        assert_eq!(ar(Divide, "DECIMAL(5, 3)", "DECIMAL(10, 2)"), "DECIMAL(18, 14)");
        assert_eq!(ar(Plus, "DECIMAL(38, 10)", "DECIMAL(38, 10)"), "DECIMAL(38, 9)");
        assert_eq!(ar(Times, "DECIMAL(38, 10)", "DECIMAL(38, 10)"), "DECIMAL(38, 6)");
        assert_eq!(ar(Divide, "DECIMAL(38, 10)", "DECIMAL(10, 2)"), "DECIMAL(38, 8)");
        assert_eq!(ar(Divide, "INT", "DECIMAL(10, 2)"), "DECIMAL(23, 11)");
        assert_eq!(ar(Plus, "BIGINT", "DECIMAL(10, 2)"), "DECIMAL(22, 2)");
        assert_eq!(ar(Plus, "DECIMAL(10, 2)", "TINYINT"), "DECIMAL(11, 2)");
        assert_eq!(ar(Times, "DECIMAL(10, 2)", "BIGINT"), "DECIMAL(30, 2)");
        assert_eq!(ar(Plus, "DECIMAL(38, 10)", "INT"), "DECIMAL(38, 9)");
        assert_eq!(ar(Divide, "TINYINT", "DECIMAL(10, 2)"), "DECIMAL(16, 11)");
        assert_eq!(ar(Divide, "DECIMAL(10, 2)", "DECIMAL(2, 1)"), "DECIMAL(15, 6)");
        assert_eq!(ar(Times, "DECIMAL(2, 1) NOT NULL", "INT NOT NULL"), "DECIMAL(13, 1) NOT NULL");
        assert_eq!(ar(Plus, "DECIMAL(10, 2) NOT NULL", "DECIMAL(10, 2)"), "DECIMAL(11, 2)");
    }

    #[test]
    fn modulo_as_flink() {
        // Confirmed against Flink 1.20: `%` takes the right operand's type; DECIMAL % INT,
        // DECIMAL(10, 2) % DECIMAL(1, 0) and DECIMAL(5, 3) % DECIMAL(10, 2) fail to plan
        // ("Conversion to relational algebra failed to preserve datatypes").
        use Arith::*;
        assert_eq!(ar(Modulo, "BIGINT", "INT"), "INT");
        assert_eq!(ar(Modulo, "INT", "BIGINT"), "BIGINT");
        assert_eq!(ar(Modulo, "INT", "TINYINT"), "TINYINT");
        assert_eq!(ar(Modulo, "INT", "DECIMAL(10, 2)"), "DECIMAL(10, 2)");
        assert_eq!(ar(Modulo, "DECIMAL(10, 2)", "DECIMAL(5, 3)"), "DECIMAL(5, 3)");
        assert!(ar(Modulo, "DECIMAL(10, 2)", "INT").starts_with("error"));
        assert!(ar(Modulo, "DECIMAL(10, 2)", "DECIMAL(1, 0)").starts_with("error"));
        assert!(ar(Modulo, "DECIMAL(5, 3)", "DECIMAL(10, 2)").starts_with("error"));
        assert!(ar(Modulo, "DOUBLE", "INT").starts_with("error"));
    }

    #[test]
    fn integer_and_approximate_arithmetic_as_flink() {
        use Arith::*;
        assert_eq!(ar(Plus, "INT", "INT"), "INT");
        assert_eq!(ar(Plus, "INT", "BIGINT"), "BIGINT");
        assert_eq!(ar(Plus, "INT", "TINYINT"), "INT");
        assert_eq!(ar(Plus, "TINYINT", "TINYINT"), "TINYINT");
        assert_eq!(ar(Plus, "SMALLINT", "SMALLINT"), "SMALLINT");
        assert_eq!(ar(Divide, "INT", "INT"), "INT");
        assert_eq!(ar(Divide, "BIGINT", "INT"), "BIGINT");
        assert_eq!(ar(Plus, "INT", "FLOAT"), "FLOAT");
        assert_eq!(ar(Plus, "INT", "DOUBLE"), "DOUBLE");
        assert_eq!(ar(Plus, "FLOAT", "DOUBLE"), "FLOAT");
        assert_eq!(ar(Plus, "DOUBLE", "FLOAT"), "DOUBLE");
        assert_eq!(ar(Plus, "FLOAT", "BIGINT"), "FLOAT");
        assert_eq!(ar(Plus, "DECIMAL(10, 2)", "DOUBLE"), "DOUBLE");
        assert_eq!(ar(Plus, "DECIMAL(10, 2)", "FLOAT"), "DOUBLE");
        assert_eq!(ar(Times, "FLOAT", "DECIMAL(10, 2)"), "DOUBLE");
        assert_eq!(ar(Plus, "INT NOT NULL", "INT NOT NULL"), "INT NOT NULL");
        assert_eq!(ar(Plus, "INT NOT NULL", "INT"), "INT");
        assert!(ar(Plus, "INT", "STRING").starts_with("error"));
        assert!(ar(Plus, "BOOLEAN", "INT").starts_with("error"));
    }

    #[test]
    fn time_arithmetic_as_flink() {
        let iv = DataType::new(TypeKind::IntervalDaySecond).not_null();
        let ym = DataType::new(TypeKind::IntervalYearMonth).not_null();
        let r = |op, a: &DataType, b: &DataType| arithmetic(op, a, b).map(|t| t.to_string());
        assert_eq!(r(Arith::Plus, &t("TIMESTAMP(3)"), &iv).ok().as_deref(), Some("TIMESTAMP(3)"));
        assert_eq!(r(Arith::Minus, &t("TIMESTAMP_LTZ(3)"), &iv).ok().as_deref(), Some("TIMESTAMP_LTZ(3)"));
        assert_eq!(r(Arith::Plus, &iv, &t("TIMESTAMP(3)")).ok().as_deref(), Some("TIMESTAMP(3)"));
        assert_eq!(r(Arith::Plus, &t("DATE"), &iv).ok().as_deref(), Some("DATE"));
        assert_eq!(r(Arith::Minus, &t("DATE"), &ym).ok().as_deref(), Some("DATE"));
        assert_eq!(r(Arith::Plus, &t("TIME"), &iv).ok().as_deref(), Some("TIME(0)"));
        assert_eq!(r(Arith::Plus, &iv, &iv).ok().as_deref(), Some("INTERVAL SECOND(3) NOT NULL"));
        assert_eq!(r(Arith::Times, &iv, &t("INT NOT NULL")).ok().as_deref(), Some("INTERVAL SECOND(3) NOT NULL"));
        assert!(r(Arith::Minus, &t("TIMESTAMP(3)"), &t("TIMESTAMP(3)")).is_err());
        assert!(r(Arith::Divide, &iv, &t("INT")).is_err());
    }

    fn common(types: &[&str]) -> String {
        let ts: Vec<DataType> = types.iter().map(|s| t(s)).collect();
        let refs: Vec<&DataType> = ts.iter().collect();
        match common_type(&refs) {
            Ok(r) => r.to_string(),
            Err(e) => format!("{e:?}"),
        }
    }

    #[test]
    fn common_types_as_flink() {
        // Confirmed against Flink 1.20 with CASE and COALESCE over columns and literals.
        assert_eq!(common(&["INT", "BIGINT"]), "BIGINT");
        assert_eq!(common(&["INT", "DECIMAL(10, 2)"]), "DECIMAL(12, 2)");
        assert_eq!(common(&["INT NOT NULL", "DECIMAL(2, 1) NOT NULL"]), "DECIMAL(11, 1) NOT NULL");
        assert_eq!(common(&["DECIMAL(10, 2)", "DECIMAL(2, 1)"]), "DECIMAL(10, 2)");
        assert_eq!(common(&["DECIMAL(38, 0)", "DECIMAL(38, 10)"]), "DECIMAL(38, 0)");
        assert_eq!(common(&["DECIMAL(38, 0)", "DECIMAL(20, 10)"]), "DECIMAL(38, 0)");
        assert_eq!(common(&["FLOAT", "DOUBLE"]), "FLOAT");
        assert_eq!(common(&["DOUBLE", "FLOAT"]), "DOUBLE");
        assert_eq!(common(&["FLOAT", "INT"]), "FLOAT");
        assert_eq!(common(&["FLOAT", "DECIMAL(10, 2)"]), "DOUBLE");
        assert_eq!(common(&["STRING", "CHAR(1)"]), "STRING");
        assert_eq!(common(&["VARCHAR(20)", "CHAR(3)"]), "VARCHAR(20)");
        assert_eq!(common(&["CHAR(3)", "CHAR(6)"]), "VARCHAR(6)");
        assert_eq!(common(&["CHAR(3)", "CHAR(3)"]), "CHAR(3)");
        assert_eq!(common(&["CHAR(1) NOT NULL", "CHAR(3) NOT NULL"]), "VARCHAR(3) NOT NULL");
        assert_eq!(common(&["BYTES", "BINARY(3)"]), "BYTES");
        assert_eq!(common(&["TIMESTAMP(3)", "TIMESTAMP(6)"]), "TIMESTAMP(6)");
        assert_eq!(common(&["TIMESTAMP(3)", "TIMESTAMP_LTZ(3)"]), "MixedTimestamps");
        assert_eq!(common(&["DATE", "TIMESTAMP(3)"]), "Mismatch");
        assert_eq!(common(&["TIME", "TIMESTAMP(3)"]), "Mismatch");
        assert_eq!(common(&["INT", "STRING"]), "Mismatch");
        assert_eq!(common(&["ARRAY<STRING>", "ARRAY<STRING>"]), "ARRAY<STRING>");
    }

    #[test]
    fn casts_as_flink() {
        let c = |a: &str, b: &str| castable(&t(a), &t(b)).is_ok();
        // Accepted by Flink 1.20.
        for (a, b) in [
            ("INT", "BIGINT"),
            ("INT", "STRING"),
            ("STRING", "INT"),
            ("TIMESTAMP(3)", "DATE"),
            ("TIMESTAMP(3)", "STRING"),
            ("STRING", "TIMESTAMP(3)"),
            ("TIMESTAMP_LTZ(3)", "TIMESTAMP(3)"),
            ("TIMESTAMP(3)", "TIMESTAMP_LTZ(3)"),
            ("DATE", "TIMESTAMP(3)"),
            ("DATE", "TIMESTAMP_LTZ(3)"),
            ("BOOLEAN", "INT"),
            ("INT", "BOOLEAN"),
            ("DOUBLE", "BOOLEAN"),
            ("DECIMAL(10, 2)", "BOOLEAN"),
            ("STRING", "BOOLEAN"),
            ("STRING", "BYTES"),
            ("BYTES", "STRING"),
            ("ARRAY<STRING>", "STRING"),
            ("MAP<STRING, INT>", "STRING"),
            ("ROW<a INT, b STRING>", "STRING"),
            ("ARRAY<STRING>", "ARRAY<VARCHAR(10)>"),
            ("ARRAY<STRING>", "ARRAY<INT>"),
            ("MAP<STRING, INT>", "MAP<STRING, BIGINT>"),
            ("ROW<a INT, b STRING>", "ROW<x INT, y STRING>"),
            ("STRING", "DATE"),
            ("STRING", "TIME"),
            ("TIMESTAMP(3)", "TIME"),
            ("DOUBLE", "DECIMAL(10, 2)"),
            ("DECIMAL(10, 2)", "INT"),
        ] {
            assert!(c(a, b), "{a} -> {b}");
        }
        // Refused by Flink 1.20 (at validation or when planning).
        for (a, b) in [
            ("INT", "DATE"),
            ("INT", "TIME"),
            ("DATE", "INT"),
            ("TIMESTAMP(3)", "BIGINT"),
            ("TIMESTAMP(3)", "DOUBLE"),
            ("INT", "TIMESTAMP(3)"),
            ("BIGINT", "TIMESTAMP_LTZ(3)"),
            ("STRING", "ARRAY<INT>"),
            ("STRING", "ROW<a INT>"),
        ] {
            assert!(!c(a, b), "{a} -> {b}");
        }
    }

    #[test]
    fn comparisons_as_flink() {
        let c = |a: &str, b: &str| comparable(&t(a), &t(b)).is_ok();
        for (a, b) in [
            ("INT", "BIGINT"),
            ("DECIMAL(10, 2)", "DOUBLE"),
            ("STRING", "VARCHAR(20)"),
            ("STRING", "CHAR(3)"),
            ("TIMESTAMP(3)", "TIMESTAMP_LTZ(3)"),
            ("TIMESTAMP(3)", "TIMESTAMP(6)"),
            ("DATE", "STRING"),
            ("TIMESTAMP(3)", "STRING"),
            ("BOOLEAN", "STRING"),
            ("ARRAY<STRING>", "ARRAY<STRING>"),
            ("BYTES", "BYTES"),
        ] {
            assert!(c(a, b), "{a} = {b}");
        }
        for (a, b) in [
            ("INT", "STRING"),
            ("STRING", "INT"),
            ("STRING", "DECIMAL(10, 2)"),
            ("DATE", "TIMESTAMP(3)"),
            ("INT", "BOOLEAN"),
            ("STRING", "BYTES"),
        ] {
            assert!(!c(a, b), "{a} = {b}");
        }
    }

    #[test]
    fn concatenation_as_flink() {
        let c = |a: &str, b: &str| concat(&t(a), &t(b)).map(|t| t.to_string()).unwrap_or_else(|e| e);
        assert_eq!(c("STRING", "CHAR(1) NOT NULL"), "STRING");
        assert_eq!(c("VARCHAR(20)", "CHAR(1) NOT NULL"), "VARCHAR(21)");
        assert_eq!(c("CHAR(3)", "CHAR(2) NOT NULL"), "CHAR(5)");
        assert_eq!(c("STRING NOT NULL", "CHAR(1) NOT NULL"), "STRING NOT NULL");
        assert_eq!(c("VARCHAR(20)", "CHAR(3)"), "VARCHAR(23)");
        assert_eq!(c("CHAR(1) NOT NULL", "CHAR(2) NOT NULL"), "CHAR(3) NOT NULL");
        assert_eq!(c("VARCHAR(20)", "VARCHAR(20)"), "VARCHAR(40)");
        assert!(c("STRING", "INT").starts_with("Flink concatenates"));
    }
}
