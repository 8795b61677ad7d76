//! Postgres DDL for the tables of JDBC sinks.

use serde::Serialize;

use crate::check::model::{Model, PipelineModel};
use crate::typecheck::{DataType, TypeKind};

/// The DDL of one pipeline: one cluster, one or more databases.
#[derive(Debug, Serialize)]
pub struct PostgresDdl {
    pub cluster: String,
    pub databases: Vec<PgDatabase>,
}

#[derive(Debug, Serialize)]
pub struct PgDatabase {
    pub name: String,
    /// Schemas to create first (`public` exists already).
    pub schemas: Vec<String>,
    pub tables: Vec<PgTable>,
}

#[derive(Debug, Serialize)]
pub struct PgTable {
    /// `schema.table`, lower-case and unquoted: the JDBC connector never quotes names.
    pub name: String,
    pub sink: String,
    pub columns: Vec<PgColumn>,
    pub primary_key: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PgColumn {
    pub name: String,
    pub ty: String,
    pub not_null: bool,
}

/// The Postgres type of a Flink type; `None` for types the Postgres dialect cannot write.
pub fn pg_type(ty: &DataType) -> Option<String> {
    use TypeKind::*;
    Some(match &ty.kind {
        Boolean => "boolean".to_string(),
        TinyInt | SmallInt => "smallint".to_string(),
        Int => "integer".to_string(),
        BigInt => "bigint".to_string(),
        Float => "real".to_string(),
        Double => "double precision".to_string(),
        Decimal(p, s) => format!("numeric({p}, {s})"),
        Char(_) | VarChar(2147483647) => "text".to_string(),
        VarChar(n) => format!("varchar({n})"),
        VarBinary(_) => "bytea".to_string(),
        Date => "date".to_string(),
        Time(_) => "time".to_string(),
        Timestamp(p) if *p <= 6 => format!("timestamp({p})"),
        TimestampLtz(p) if *p <= 6 => format!("timestamptz({p})"),
        Array(e) => format!("{}[]", pg_type(e)?),
        _ => return None,
    })
}

/// The DDL for a pipeline's Postgres sinks, if it has any.
pub fn ddl(_model: &Model, p: &PipelineModel) -> Option<PostgresDdl> {
    let mut cluster: Option<String> = None;
    let mut dbs: Vec<PgDatabase> = Vec::new();
    for (sink, info) in p.doc.spec.sinks.iter().zip(&p.sinks) {
        let Some(t) = &sink.postgres else { continue };
        cluster.get_or_insert_with(|| t.cluster.clone());
        if !dbs.iter().any(|d| d.name == t.database) {
            dbs.push(PgDatabase { name: t.database.clone(), schemas: vec![], tables: vec![] });
        }
        let Some(db) = dbs.iter_mut().find(|d| d.name == t.database) else { continue };
        let schema = t.table.split_once('.').map_or("public", |x| x.0);
        if schema != "public" && !db.schemas.iter().any(|s| s == schema) {
            db.schemas.push(schema.to_string());
        }
        db.tables.push(PgTable {
            name: t.table.clone(),
            sink: sink.name.clone(),
            columns: info
                .columns
                .iter()
                .filter_map(|(n, ty)| Some(PgColumn { name: n.clone(), ty: pg_type(ty)?, not_null: !ty.nullable }))
                .collect(),
            primary_key: info.key.clone(),
        });
    }
    dbs.sort_by(|a, b| a.name.cmp(&b.name));
    Some(PostgresDdl { cluster: cluster?, databases: dbs })
}
