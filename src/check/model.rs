//! The checked model: the typed spec of every document plus what checking learned about it
//! (column types, relations, changelog modes). `plan` reads only this.

use crate::load::SourceMap;
use crate::source::FileId;
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
    pub map: SourceMap,
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
