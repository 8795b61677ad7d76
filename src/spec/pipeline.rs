//! `kind: Pipeline`: one streaming job.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ApiVersion, Duration, Metadata};

/// `kind: Pipeline`: one streaming job made of sources, transforms and sinks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "pipec Pipeline")]
pub struct PipelineDoc {
    /// Always `pipec/v1alpha1`.
    pub api_version: ApiVersion,
    /// Always `Pipeline`.
    pub kind: PipelineKind,
    pub metadata: Metadata,
    pub spec: PipelineSpec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum PipelineKind {
    Pipeline,
}

/// The job: what it reads, how it transforms, where it writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PipelineSpec {
    /// The namespace of the job; defaults to the platform's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"), length(max = 63))]
    pub namespace: Option<String>,
    /// The tables the job reads.
    #[schemars(length(min = 1))]
    pub sources: Vec<Source>,
    /// Named queries over sources and other transforms (temporary views).
    #[serde(default)]
    pub transforms: Vec<Transform>,
    /// The tables and topics the job writes.
    #[schemars(length(min = 1))]
    pub sinks: Vec<Sink>,
    /// Resources and job settings; every key defaults from the platform.
    #[serde(default)]
    pub runtime: Runtime,
}

/// A table the job reads: exactly one of `kafka`, `postgresCdc`, `postgres`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Source {
    /// A SQL identifier, unique among the pipeline's sources and transforms.
    #[schemars(regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"), length(max = 63))]
    pub name: String,
    /// A Kafka topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kafka: Option<KafkaSource>,
    /// A table of a CloudNativePG database, read as a change stream (Flink CDC `postgres-cdc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres_cdc: Option<PostgresCdcSource>,
    /// A table of a CloudNativePG database read through JDBC: a bounded scan or a lookup dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<PostgresTable>,
    /// The columns: physical (`type`), connector metadata (`type` + `metadata`) or computed (`computed`).
    #[schemars(length(min = 1))]
    pub columns: Vec<Column>,
    /// The primary key; its columns become NOT NULL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub primary_key: Option<Vec<String>>,
    /// The event-time attribute: a TIMESTAMP(p) or TIMESTAMP_LTZ(p) column (p <= 3) and the
    /// bounded out-of-orderness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<Watermark>,
}

/// A source column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Column {
    /// The column's name.
    #[schemars(length(min = 1, max = 128))]
    pub name: String,
    /// A Flink SQL type: `BIGINT NOT NULL`, `DECIMAL(10, 2)`, `TIMESTAMP_LTZ(3)`, `ARRAY<STRING>`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// The connector metadata key this column reads (`timestamp`, `offset`, `partition`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
    /// A SQL expression over the other columns; its type is inferred (`PROCTIME()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<String>,
}

/// The watermark of a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Watermark {
    /// The rowtime column.
    pub column: String,
    /// How late events may arrive.
    pub delay: Duration,
}

/// A Kafka topic read by a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KafkaSource {
    /// A Kafka cluster of the platform.
    pub cluster: String,
    /// The topic.
    pub topic: String,
    /// The value format.
    pub format: KafkaFormat,
    /// Where a new job starts: `earliest-offset`, `latest-offset`, `group-offsets` or an RFC 3339 instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(
        pattern = r"^(earliest-offset|latest-offset|group-offsets|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))$"
    ))]
    pub startup: Option<String>,
    /// The consumer group id; defaults to `<pipeline>.<source>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]+$"))]
    pub group_id: Option<String>,
}

/// Kafka value formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum KafkaFormat {
    Json,
    AvroConfluent,
    DebeziumJson,
    CanalJson,
    Csv,
    Raw,
}

impl KafkaFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            KafkaFormat::Json => "json",
            KafkaFormat::AvroConfluent => "avro-confluent",
            KafkaFormat::DebeziumJson => "debezium-json",
            KafkaFormat::CanalJson => "canal-json",
            KafkaFormat::Csv => "csv",
            KafkaFormat::Raw => "raw",
        }
    }

    /// A changelog format encodes inserts, updates and deletes in the record.
    pub fn is_changelog(self) -> bool {
        matches!(self, KafkaFormat::DebeziumJson | KafkaFormat::CanalJson)
    }
}

/// A CDC source on a CloudNativePG table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PostgresCdcSource {
    /// A Postgres cluster of the platform.
    pub cluster: String,
    /// The database.
    #[schemars(regex(pattern = r"^[a-z_][a-z0-9_]*$"))]
    pub database: String,
    /// `schema.table`.
    #[schemars(regex(pattern = r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$"))]
    pub table: String,
}

/// A Postgres table of a CloudNativePG cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PostgresTable {
    /// A Postgres cluster of the platform.
    pub cluster: String,
    /// The database.
    #[schemars(regex(pattern = r"^[a-z_][a-z0-9_]*$"))]
    pub database: String,
    /// `schema.table`, lower-case (the JDBC connector never quotes names).
    #[schemars(regex(pattern = r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$"))]
    pub table: String,
}

/// A named query: a temporary view other transforms and sinks read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Transform {
    /// A SQL identifier, unique among the pipeline's sources and transforms.
    #[schemars(regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"), length(max = 63))]
    pub name: String,
    /// One Flink SQL query (SELECT, WITH, UNION ALL).
    #[schemars(length(min = 1))]
    pub sql: String,
}

/// Where the job writes: exactly one of `kafka`, `postgres`, `iceberg`, fed by exactly one of
/// `from` and `sql`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Sink {
    /// A SQL identifier, unique among the pipeline's sinks.
    #[schemars(regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"), length(max = 63))]
    pub name: String,
    /// A source or transform whose rows are written as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// A query whose rows are written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub sql: Option<String>,
    /// A Kafka topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kafka: Option<KafkaSink>,
    /// A Postgres table (JDBC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<PostgresTable>,
    /// An Iceberg table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iceberg: Option<IcebergSink>,
    /// The key: upsert on it. Without a key a sink takes inserts only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub primary_key: Option<Vec<String>>,
    /// An optional contract: the query must produce exactly these columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<SinkColumn>>,
}

/// A column of a sink's contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SinkColumn {
    /// The column's name.
    #[schemars(length(min = 1, max = 128))]
    pub name: String,
    /// A Flink SQL type.
    #[serde(rename = "type")]
    pub ty: String,
}

/// A Kafka topic written by a sink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KafkaSink {
    /// A Kafka cluster of the platform.
    pub cluster: String,
    /// The topic.
    pub topic: String,
    /// The value format; with a primary key and a plain format the table is `upsert-kafka`.
    pub format: KafkaFormat,
    /// Create and own the topic with a Strimzi KafkaTopic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage: Option<ManagedTopic>,
}

/// A KafkaTopic pipec owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ManagedTopic {
    /// Partitions (can grow, never shrink).
    #[schemars(range(min = 1, max = 100000))]
    pub partitions: u32,
    /// Replicas.
    #[schemars(range(min = 1, max = 32767))]
    pub replicas: u32,
    /// `delete`, `compact` or `compact,delete`; upsert topics should be compacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup_policy: Option<CleanupPolicy>,
    /// How long records are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Duration>,
    /// Further topic configs (`min.insync.replicas`, `compression.type`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub config: BTreeMap<String, ConfigValue>,
}

/// Kafka topic cleanup policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum CleanupPolicy {
    #[serde(rename = "delete")]
    Delete,
    #[serde(rename = "compact")]
    Compact,
    #[serde(rename = "compact,delete")]
    CompactDelete,
}

impl CleanupPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            CleanupPolicy::Delete => "delete",
            CleanupPolicy::Compact => "compact",
            CleanupPolicy::CompactDelete => "compact,delete",
        }
    }
}

/// A scalar configuration value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ConfigValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
}

impl ConfigValue {
    /// The value as Flink and Kafka read it from a string.
    pub fn render(&self) -> String {
        match self {
            ConfigValue::Bool(b) => b.to_string(),
            ConfigValue::Int(i) => i.to_string(),
            ConfigValue::Float(f) => f.to_string(),
            ConfigValue::String(s) => s.clone(),
        }
    }
}

/// An Iceberg table written by a sink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IcebergSink {
    /// An Iceberg catalog of the platform.
    pub catalog: String,
    /// The namespace (database).
    #[schemars(regex(pattern = r"^[a-z_][a-z0-9_]*$"))]
    pub namespace: String,
    /// The table.
    #[schemars(regex(pattern = r"^[a-z_][a-z0-9_]*$"))]
    pub table: String,
    /// Partition fields: a column (identity) or a transform: `year(c)`, `month(c)`, `day(c)`,
    /// `hour(c)`, `bucket(N, c)`, `truncate(W, c)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partition_by: Vec<String>,
    /// Upsert rows on the primary key (needs `primaryKey`; format version 2).
    #[serde(default)]
    pub upsert: bool,
    /// Iceberg table properties (`write.parquet.compression-codec`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
}

/// How a changed job is upgraded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UpgradeMode {
    Stateless,
    Savepoint,
    LastState,
}

impl UpgradeMode {
    pub fn as_str(self) -> &'static str {
        match self {
            UpgradeMode::Stateless => "stateless",
            UpgradeMode::Savepoint => "savepoint",
            UpgradeMode::LastState => "last-state",
        }
    }
}

/// Job settings; each defaults from the platform.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Runtime {
    /// Parallelism of every operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 32768))]
    pub parallelism: Option<u32>,
    /// How a changed job is upgraded: `stateless`, `savepoint` or `last-state`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade_mode: Option<UpgradeMode>,
    /// How often a checkpoint is taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_interval: Option<Duration>,
    /// The JobManager's resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_manager: Option<Resources>,
    /// The TaskManagers' resources and slots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_manager: Option<TaskManagerResources>,
    /// Further Flink configuration. Keys pipec owns (checkpoints, savepoints, state backend,
    /// S3, high availability, `parallelism.default`, `pipeline.name`) are refused.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub flink_configuration: BTreeMap<String, ConfigValue>,
}

/// CPU and memory of a JobManager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Resources {
    /// CPU cores.
    #[schemars(range(min = 0.1, max = 256.0))]
    pub cpu: f64,
    /// Memory such as `2048m` or `4g`.
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]+)?(k|m|g|t|Ki|Mi|Gi|Ti|K|M|G|T|kb|mb|gb)?$"))]
    pub memory: String,
}

/// CPU, memory and slots of each TaskManager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TaskManagerResources {
    /// CPU cores.
    #[schemars(range(min = 0.1, max = 256.0))]
    pub cpu: f64,
    /// Memory such as `4096m` or `8g`.
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]+)?(k|m|g|t|Ki|Mi|Gi|Ti|K|M|G|T|kb|mb|gb)?$"))]
    pub memory: String,
    /// Task slots per TaskManager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1024))]
    pub slots: Option<u32>,
}
