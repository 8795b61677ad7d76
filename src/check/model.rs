//! The checked model: the typed spec of every document plus what checking learned about it
//! (column types, relations, changelog modes). `plan` reads only this.

use crate::load::SourceMap;
use crate::source::{FileId, Span};
use crate::spec::{PipelineDoc, PlatformDoc};
use crate::typecheck::{DataType, Relation};

/// The platform document.
#[derive(Debug)]
pub struct PlatformModel {
    pub file: FileId,
    pub path: String,
    pub doc: PlatformDoc,
    pub map: SourceMap,
}

/// One pipeline after resolution and type checking.
#[derive(Debug)]
pub struct PipelineModel {
    pub file: FileId,
    /// The file's path relative to the input folder.
    pub path: String,
    pub doc: PipelineDoc,
    /// Where later stages report about this pipeline. Its source map is not kept: it is large,
    /// and only checking needs every position.
    pub places: Places,
    /// In the order of `spec.sources`.
    pub sources: Vec<SourceInfo>,
    /// In the order of `spec.transforms`.
    pub transforms: Vec<Relation>,
    /// Transform indexes in dependency order.
    pub transform_order: Vec<usize>,
    /// The sources and transforms each transform reads, in order of appearance.
    pub transform_inputs: Vec<Vec<String>>,
    /// In the order of `spec.sinks`.
    pub sinks: Vec<SinkInfo>,
}

/// The positions in a pipeline's file that stages after checking report at.
#[derive(Debug, Clone)]
pub struct Places {
    /// `metadata.name`.
    pub name: Span,
    /// In the order of `spec.sources`.
    pub sources: Vec<SourcePlaces>,
    /// In the order of `spec.sinks`.
    pub sinks: Vec<SinkPlaces>,
}

#[derive(Debug, Clone)]
pub struct SourcePlaces {
    /// The connector's mapping: `kafka`, `postgresCdc` or `postgres`.
    pub connector: Span,
    /// The Kafka topic (the connector where there is none).
    pub topic: Span,
}

#[derive(Debug, Clone)]
pub struct SinkPlaces {
    /// The connector's mapping: `kafka`, `postgres` or `iceberg`.
    pub connector: Span,
    /// What it writes: the Kafka topic, the Postgres table or the Iceberg table.
    pub target: Span,
    /// The Iceberg catalog (the connector for other sinks).
    pub catalog: Span,
}

impl Places {
    /// Looks the places up in a pipeline's source map.
    pub fn of(doc: &PipelineDoc, map: &SourceMap) -> Places {
        let sources = doc
            .spec
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let connector = if s.kafka.is_some() {
                    "kafka"
                } else if s.postgres_cdc.is_some() {
                    "postgresCdc"
                } else {
                    "postgres"
                };
                SourcePlaces {
                    connector: map.locate(&format!("/spec/sources/{i}/{connector}")),
                    topic: map.locate(&format!("/spec/sources/{i}/{connector}/topic")),
                }
            })
            .collect();
        let sinks = doc
            .spec
            .sinks
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (connector, target) = if s.kafka.is_some() {
                    ("kafka", "topic")
                } else if s.postgres.is_some() {
                    ("postgres", "table")
                } else {
                    ("iceberg", "table")
                };
                SinkPlaces {
                    connector: map.locate(&format!("/spec/sinks/{i}/{connector}")),
                    target: map.locate(&format!("/spec/sinks/{i}/{connector}/{target}")),
                    catalog: map.locate(&format!("/spec/sinks/{i}/{connector}/catalog")),
                }
            })
            .collect();
        Places { name: map.locate("/metadata/name"), sources, sinks }
    }
}

/// How a source column is declared.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnKind {
    Physical,
    /// Connector metadata read from `key`.
    Metadata {
        key: String,
    },
    /// `name AS expr`.
    Computed {
        expr: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceColumn {
    pub name: String,
    pub ty: DataType,
    pub kind: ColumnKind,
}

#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub columns: Vec<SourceColumn>,
    /// The relation the source offers to queries.
    pub relation: Relation,
}

#[derive(Debug, Clone)]
pub struct SinkInfo {
    /// What the sink's query (or `from`) produces.
    pub input: Relation,
    /// The columns of the sink table as Flink declares them, in order.
    pub columns: Vec<(String, DataType)>,
    /// The primary key, if any.
    pub key: Vec<String>,
    /// The sources and transforms the sink reads.
    pub inputs: Vec<String>,
}

/// Everything `plan` needs.
#[derive(Debug)]
pub struct Model {
    pub platform: PlatformModel,
    pub pipelines: Vec<PipelineModel>,
}
