//! Iceberg table specs in the shape of the REST catalog's create-table request.

use serde_json::{Value, json};

use super::names::dir_uri;
use crate::check::model::{Model, PipelineModel};
use crate::spec::{CatalogType, IcebergSink, PlatformSpec};
use crate::typecheck::{DataType, TypeKind};

/// The table's location, when the catalog's layout is known (not for REST: the server decides).
pub fn location(platform: &PlatformSpec, sink: &IcebergSink) -> Option<String> {
    let c = platform.iceberg.iter().find(|c| c.name == sink.catalog)?;
    let w = dir_uri(&c.warehouse);
    match c.catalog_type {
        CatalogType::Hive => Some(format!("{w}{}.db/{}", sink.namespace, sink.table)),
        CatalogType::Jdbc | CatalogType::Hadoop => Some(format!("{w}{}/{}", sink.namespace, sink.table)),
        CatalogType::Rest => None,
    }
}

/// A partition field parsed from `partitionBy`: `col`, `day(col)`, `bucket(16, col)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionField {
    pub column: String,
    /// Iceberg's transform string: `identity`, `day`, `bucket[16]`, `truncate[4]`.
    pub transform: String,
    /// The partition field's name.
    pub name: String,
}

/// Parses one `partitionBy` entry; `Err` says what is wrong.
pub fn parse_partition(s: &str) -> Result<PartitionField, String> {
    let s = s.trim();
    let Some((func, rest)) = s.split_once('(') else {
        return Ok(PartitionField { column: s.to_string(), transform: "identity".to_string(), name: s.to_string() });
    };
    let func = func.trim().to_ascii_lowercase();
    let inner = rest.strip_suffix(')').ok_or_else(|| format!("`{s}` lacks a closing parenthesis"))?;
    let args: Vec<&str> = inner.split(',').map(str::trim).collect();
    let one = |args: &[&str]| -> Result<String, String> {
        match args {
            [c] if !c.is_empty() => Ok(c.to_string()),
            _ => Err(format!("`{func}` takes one column, as in `{func}(created_at)`")),
        }
    };
    let two = |args: &[&str]| -> Result<(u32, String), String> {
        match args {
            [n, c] => {
                let n: u32 =
                    n.parse().map_err(|_| format!("`{func}` takes a whole number first, as in `{func}(16, id)`"))?;
                // Iceberg reads the number as a Java int.
                if n == 0 || i32::try_from(n).is_err() {
                    return Err(format!("`{func}` needs a number from 1 to {}", i32::MAX));
                }
                Ok((n, c.to_string()))
            }
            _ => Err(format!("`{func}` takes a number and a column, as in `{func}(16, id)`")),
        }
    };
    match func.as_str() {
        "year" | "month" | "day" | "hour" => {
            let c = one(&args)?;
            Ok(PartitionField { name: format!("{c}_{func}"), column: c, transform: func })
        }
        "bucket" => {
            let (n, c) = two(&args)?;
            Ok(PartitionField { name: format!("{c}_bucket"), column: c, transform: format!("bucket[{n}]") })
        }
        "truncate" => {
            let (n, c) = two(&args)?;
            Ok(PartitionField { name: format!("{c}_trunc"), column: c, transform: format!("truncate[{n}]") })
        }
        "identity" => {
            let c = one(&args)?;
            Ok(PartitionField { name: c.clone(), column: c, transform: "identity".to_string() })
        }
        other => {
            Err(format!("`{other}` is not an Iceberg partition transform (year, month, day, hour, bucket, truncate)"))
        }
    }
}

/// Whether a transform applies to a Flink type (Iceberg's partition transform rules).
pub fn transform_fits(transform: &str, ty: &DataType) -> bool {
    use TypeKind::*;
    let t = transform.split('[').next().unwrap_or(transform);
    match t {
        "identity" => !matches!(ty.kind, Array(_) | Map(..) | Multiset(_) | Row(_)),
        "year" | "month" | "day" => matches!(ty.kind, Date | Timestamp(_) | TimestampLtz(_)),
        "hour" => matches!(ty.kind, Timestamp(_) | TimestampLtz(_)),
        "bucket" => matches!(
            ty.kind,
            TinyInt
                | SmallInt
                | Int
                | BigInt
                | Decimal(..)
                | Date
                | Time(_)
                | Timestamp(_)
                | TimestampLtz(_)
                | Char(_)
                | VarChar(_)
                | Binary(_)
                | VarBinary(_)
        ),
        "truncate" => {
            matches!(ty.kind, TinyInt | SmallInt | Int | BigInt | Decimal(..) | Char(_) | VarChar(_) | VarBinary(_))
        }
        _ => false,
    }
}

/// The Iceberg type of a Flink type; `None` for types Iceberg cannot store.
pub fn iceberg_type(ty: &DataType, next_id: &mut i64) -> Option<Value> {
    use TypeKind::*;
    Some(match &ty.kind {
        Boolean => json!("boolean"),
        TinyInt | SmallInt | Int => json!("int"),
        BigInt => json!("long"),
        Float => json!("float"),
        Double => json!("double"),
        Decimal(p, s) => json!(format!("decimal({p}, {s})")),
        Char(_) | VarChar(_) => json!("string"),
        Binary(n) => json!(format!("fixed[{n}]")),
        VarBinary(_) => json!("binary"),
        Date => json!("date"),
        Time(_) => json!("time"),
        Timestamp(p) if *p <= 6 => json!("timestamp"),
        TimestampLtz(p) if *p <= 6 => json!("timestamptz"),
        Array(e) => {
            let id = take(next_id);
            json!({"type": "list", "element-id": id, "element": iceberg_type(e, next_id)?, "element-required": !e.nullable})
        }
        Map(k, v) => {
            let (kid, vid) = (take(next_id), take(next_id));
            json!({"type": "map", "key-id": kid, "key": iceberg_type(k, next_id)?, "value-id": vid,
                   "value": iceberg_type(v, next_id)?, "value-required": !v.nullable})
        }
        Multiset(e) => {
            let (kid, vid) = (take(next_id), take(next_id));
            json!({"type": "map", "key-id": kid, "key": iceberg_type(e, next_id)?, "value-id": vid, "value": "int", "value-required": true})
        }
        Row(fields) => {
            let ids: Vec<i64> = fields.iter().map(|_| take(next_id)).collect();
            let mut out = Vec::new();
            for (f, id) in fields.iter().zip(ids) {
                out.push(json!({"id": id, "name": f.name, "type": iceberg_type(&f.ty, next_id)?, "required": !f.ty.nullable}));
            }
            json!({"type": "struct", "fields": out})
        }
        _ => return None,
    })
}

fn take(next: &mut i64) -> i64 {
    let id = *next;
    *next += 1;
    id
}

/// The type Flink sees when it reads the column back through the Iceberg catalog.
pub fn flink_view_type(ty: &DataType) -> DataType {
    use TypeKind::*;
    let kind = match &ty.kind {
        TinyInt | SmallInt => Int,
        Char(_) | VarChar(_) => VarChar(2147483647),
        Timestamp(_) => Timestamp(6),
        TimestampLtz(_) => TimestampLtz(6),
        Array(e) => Array(Box::new(flink_view_type(e))),
        Map(k, v) => Map(Box::new(flink_view_type(k).not_null()), Box::new(flink_view_type(v))),
        Multiset(e) => Map(Box::new(flink_view_type(e).not_null()), Box::new(DataType { kind: Int, nullable: false })),
        Row(fields) => Row(fields
            .iter()
            .map(|f| crate::typecheck::RowField { name: f.name.clone(), ty: flink_view_type(&f.ty) })
            .collect()),
        other => other.clone(),
    };
    DataType { kind, nullable: ty.nullable }
}

/// The table specs of a pipeline's Iceberg sinks.
pub fn tables(model: &Model, p: &PipelineModel) -> Vec<Value> {
    let platform = &model.platform.doc.spec;
    let mut out = Vec::new();
    for (sink, info) in p.doc.spec.sinks.iter().zip(&p.sinks) {
        let Some(ice) = &sink.iceberg else { continue };
        let n = info.columns.len() as i64;
        let mut next_id = n + 1;
        let mut fields = Vec::new();
        for (i, (name, ty)) in info.columns.iter().enumerate() {
            let required = !ty.nullable;
            let Some(t) = iceberg_type(ty, &mut next_id) else { continue };
            fields.push(json!({"id": i as i64 + 1, "name": name, "type": t, "required": required}));
        }
        let id_of = |col: &str| info.columns.iter().position(|c| c.0 == col).map(|i| i as i64 + 1);
        let identifier: Vec<i64> = info.key.iter().filter_map(|k| id_of(k)).collect();
        let mut pfields = Vec::new();
        for (j, entry) in ice.partition_by.iter().enumerate() {
            let Ok(pf) = parse_partition(entry) else { continue };
            let Some(src) = id_of(&pf.column) else { continue };
            pfields.push(
                json!({"source-id": src, "field-id": 1000 + j as i64, "name": pf.name, "transform": pf.transform}),
            );
        }
        let mut props: serde_json::Map<String, Value> =
            ice.properties.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        props.insert("format-version".to_string(), json!("2"));
        if ice.upsert {
            props.insert("write.upsert.enabled".to_string(), json!("true"));
        }
        let mut table = json!({
            "name": ice.table,
            "namespace": [ice.namespace],
            "schema": {"type": "struct", "schema-id": 0, "fields": fields, "identifier-field-ids": identifier},
            "partition-spec": {"spec-id": 0, "fields": pfields},
            "write-order": {"order-id": 0, "fields": []},
            "properties": props,
        });
        if let (Some(loc), Some(obj)) = (location(platform, ice), table.as_object_mut()) {
            obj.insert("location".to_string(), json!(loc));
        }
        out.push(table);
    }
    out
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

    #[test]
    fn partitions_parse() {
        assert_eq!(parse_partition("day(created_at)").map(|p| p.transform), Ok("day".to_string()));
        assert_eq!(
            parse_partition("bucket(16, id)").map(|p| (p.transform, p.name)),
            Ok(("bucket[16]".to_string(), "id_bucket".to_string()))
        );
        assert_eq!(parse_partition("order_date").map(|p| p.transform), Ok("identity".to_string()));
        assert!(parse_partition("days(ts)").is_err());
        assert!(parse_partition("bucket(x, id)").is_err());
        // Iceberg reads the number as a Java int.
        assert!(parse_partition("bucket(2147483647, id)").is_ok());
        assert_eq!(
            parse_partition("truncate(2147483648, id)").map(|p| p.transform),
            Err("`truncate` needs a number from 1 to 2147483647".to_string())
        );
        assert!(parse_partition("bucket(0, id)").is_err());
    }
}
