//! `kind: Platform`: the clusters, buckets, catalogs and defaults shared by every pipeline.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ApiVersion, Duration, Metadata, SecretRef, UpgradeMode};

/// `kind: Platform`: exactly one per repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "pipec Platform")]
pub struct PlatformDoc {
    /// Always `pipec/v1alpha1`.
    pub api_version: ApiVersion,
    /// Always `Platform`.
    pub kind: PlatformKind,
    pub metadata: Metadata,
    pub spec: PlatformSpec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum PlatformKind {
    Platform,
}

/// What the cluster runs and how pipelines reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PlatformSpec {
    /// The default namespace of pipelines' FlinkDeployments and ConfigMaps.
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"), length(max = 63))]
    pub namespace: String,
    pub flink: FlinkPlatform,
    pub object_storage: ObjectStorage,
    /// Kafka clusters, referenced by name from sources and sinks.
    #[serde(default)]
    pub kafka: Vec<KafkaCluster>,
    /// CloudNativePG clusters, referenced by name.
    #[serde(default)]
    pub postgres: Vec<PostgresCluster>,
    /// Iceberg catalogs, referenced by name from Iceberg sinks.
    #[serde(default)]
    pub iceberg: Vec<IcebergCatalog>,
    /// The operator versions the cluster runs; output follows these. Defaults are the newest.
    #[serde(default)]
    pub versions: Versions,
}

/// Flink: the version, the image and the SQL runner, and defaults for every job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FlinkPlatform {
    /// The Flink minor version of the image: `1.19` or `1.20`.
    pub version: FlinkVersion,
    /// The image: Flink with the connectors pipelines use and the SQL runner jar.
    #[schemars(length(min = 1))]
    pub image: String,
    pub sql_runner: SqlRunner,
    /// The Kubernetes service account of the jobs.
    #[serde(default = "default_service_account")]
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"))]
    pub service_account: String,
    /// Kubernetes high availability, stored under the checkpoints bucket. On by default.
    #[serde(default = "yes")]
    pub high_availability: bool,
    #[serde(default)]
    pub defaults: RuntimeDefaults,
}

fn default_service_account() -> String {
    "flink".to_string()
}

fn yes() -> bool {
    true
}

/// The Flink minor version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum FlinkVersion {
    #[serde(rename = "1.19")]
    V1_19,
    #[serde(rename = "1.20")]
    V1_20,
}

/// The job jar that runs `pipeline.sql`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SqlRunner {
    /// The jar URI inside the image, such as `local:///opt/flink/usrlib/sql-runner.jar`.
    #[schemars(regex(pattern = r"^(local|file|https?|s3)://\S+$"))]
    pub jar: String,
    /// Whether the runner replaces `${NAME}` in the script from the environment. Pipelines
    /// that need a credential in SQL options (JDBC, CDC, Kafka SASL) require it.
    #[serde(default)]
    pub substitutes_env: bool,
}

/// Defaults for every pipeline's `runtime`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RuntimeDefaults {
    /// Parallelism of every operator.
    #[serde(default = "default_parallelism")]
    #[schemars(range(min = 1, max = 32768))]
    pub parallelism: u32,
    /// How often a checkpoint is taken.
    #[serde(default = "default_checkpoint_interval")]
    pub checkpoint_interval: Duration,
    /// How a changed job is upgraded.
    #[serde(default = "default_upgrade_mode")]
    pub upgrade_mode: UpgradeMode,
}

impl Default for RuntimeDefaults {
    fn default() -> Self {
        RuntimeDefaults {
            parallelism: default_parallelism(),
            checkpoint_interval: default_checkpoint_interval(),
            upgrade_mode: default_upgrade_mode(),
        }
    }
}

fn default_parallelism() -> u32 {
    1
}

fn default_checkpoint_interval() -> Duration {
    Duration("60s".to_string())
}

fn default_upgrade_mode() -> UpgradeMode {
    UpgradeMode::Savepoint
}

/// The S3 gateway (SeaweedFS) for checkpoints, savepoints and Iceberg warehouses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObjectStorage {
    /// The S3 endpoint URL.
    #[schemars(regex(pattern = r"^https?://[^\s/]+(:[0-9]+)?/?$"))]
    pub endpoint: String,
    /// Path-style addressing (`endpoint/bucket/key`); SeaweedFS needs it unless a domain is set.
    #[serde(default = "yes")]
    pub path_style_access: bool,
    /// The region S3 clients are given (SeaweedFS ignores it, clients need one).
    #[serde(default = "default_region")]
    #[schemars(regex(pattern = r"^[a-z0-9-]+$"))]
    pub region: String,
    pub credentials: S3Credentials,
    pub buckets: Buckets,
    /// The SeaweedFS operator's cluster, for `Bucket` objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seaweedfs: Option<SeaweedFs>,
}

fn default_region() -> String {
    "us-east-1".to_string()
}

/// Where the S3 access key pair is: a Secret and its two keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct S3Credentials {
    /// The Secret's name.
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"))]
    pub secret: String,
    /// The key holding the access key id.
    #[serde(default = "default_access_key_key")]
    pub access_key_key: String,
    /// The key holding the secret access key.
    #[serde(default = "default_secret_key_key")]
    pub secret_key_key: String,
}

fn default_access_key_key() -> String {
    "access-key".to_string()
}

fn default_secret_key_key() -> String {
    "secret-key".to_string()
}

/// The buckets Flink writes state into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Buckets {
    /// Checkpoints and high-availability metadata.
    pub checkpoints: String,
    /// Savepoints.
    pub savepoints: String,
}

/// The SeaweedFS operator objects pipec generates buckets for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SeaweedFs {
    /// The `Seaweed` cluster's name (the Bucket's `clusterRef`).
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub cluster: String,
    /// The namespace of the SeaweedFS cluster.
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: String,
    /// The S3 identity of Flink, given read and write access to the buckets.
    pub identity: String,
}

/// A Kafka cluster run by Strimzi.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KafkaCluster {
    /// The name sources and sinks use.
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub name: String,
    /// The Strimzi `Kafka` resource's name: the `strimzi.io/cluster` label of KafkaTopics.
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub strimzi_cluster: String,
    /// The namespace of the Kafka cluster; its KafkaTopics go there.
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: String,
    /// `host:port[,host:port]` of the bootstrap service.
    #[schemars(regex(pattern = r"^[A-Za-z0-9.-]+:[0-9]+(,[A-Za-z0-9.-]+:[0-9]+)*$"))]
    pub bootstrap_servers: String,
    /// TLS to the brokers, trusting the cluster CA from a Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<KafkaTls>,
    /// SCRAM-SHA-512 authentication with a KafkaUser's Secret (keys `username` and `password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scram: Option<SecretRef>,
    /// The Confluent schema registry URL, for `avro-confluent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^https?://\S+$"))]
    pub schema_registry: Option<String>,
}

/// TLS settings of a Kafka cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KafkaTls {
    /// The Secret with the cluster CA certificate (Strimzi's `<cluster>-cluster-ca-cert`, key `ca.crt`).
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"))]
    pub ca_secret: String,
}

/// A CloudNativePG cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PostgresCluster {
    /// The `Cluster` resource's name; its primary is `<name>-rw.<namespace>.svc`.
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub name: String,
    /// The namespace of the cluster.
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: String,
    /// The Secret (keys `username`, `password`) of the role sinks write with; default `<name>-app`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<SecretRef>,
    /// The Secret of a role with REPLICATION, for `postgresCdc` sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cdc_credentials: Option<SecretRef>,
    /// The image whose `psql` creates sink tables before the job.
    #[serde(default = "default_psql_image")]
    pub psql_image: String,
}

fn default_psql_image() -> String {
    "ghcr.io/cloudnative-pg/postgresql:17".to_string()
}

/// An Iceberg catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IcebergCatalog {
    /// The name Iceberg sinks use; also the Flink catalog's name.
    #[schemars(regex(pattern = r"^[a-z_][a-z0-9_]*$"))]
    pub name: String,
    /// The catalog implementation.
    pub catalog_type: CatalogType,
    /// For `jdbc`: the Postgres cluster and database that hold the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_database: Option<CatalogDatabase>,
    /// For `rest` and `hive`: the catalog's URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^(https?|thrift)://\S+$"))]
    pub uri: Option<String>,
    /// The warehouse location, `s3://<bucket>/[prefix/]`.
    #[schemars(regex(pattern = r"^s3://[a-z0-9][a-z0-9.-]*[a-z0-9](/[A-Za-z0-9._/-]*)?$"))]
    pub warehouse: String,
    /// The image that creates tables from `iceberg-tables.json` before the job.
    pub table_provisioner: TableProvisioner,
}

/// Iceberg catalog implementations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CatalogType {
    Jdbc,
    Rest,
    Hive,
    Hadoop,
}

/// The database of a JDBC catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CatalogDatabase {
    /// A Postgres cluster of this platform.
    pub postgres: String,
    /// The database name.
    #[schemars(regex(pattern = r"^[a-z_][a-z0-9_]*$"))]
    pub database: String,
}

/// The job that creates Iceberg tables before a pipeline starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TableProvisioner {
    /// Its image; it takes the path of `iceberg-tables.json` as its argument.
    #[schemars(length(min = 1))]
    pub image: String,
}

/// Operator versions, as `major.minor`. Output follows these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Versions {
    /// Flink Kubernetes Operator: 1.10 to 1.15.
    #[serde(default = "default_flink_operator")]
    #[schemars(regex(pattern = r"^[0-9]+\.[0-9]+(\.[0-9]+)?$"))]
    pub flink_operator: String,
    /// Strimzi: 0.45 to 1.2.
    #[serde(default = "default_strimzi")]
    #[schemars(regex(pattern = r"^[0-9]+\.[0-9]+(\.[0-9]+)?$"))]
    pub strimzi: String,
    /// CloudNativePG: 1.25 to 1.30.
    #[serde(default = "default_cnpg")]
    #[schemars(regex(pattern = r"^[0-9]+\.[0-9]+(\.[0-9]+)?$"))]
    pub cnpg: String,
    /// SeaweedFS operator: 1.0.
    #[serde(default = "default_seaweedfs_operator")]
    #[schemars(regex(pattern = r"^[0-9]+\.[0-9]+(\.[0-9]+)?$"))]
    pub seaweedfs_operator: String,
}

impl Default for Versions {
    fn default() -> Self {
        Versions {
            flink_operator: default_flink_operator(),
            strimzi: default_strimzi(),
            cnpg: default_cnpg(),
            seaweedfs_operator: default_seaweedfs_operator(),
        }
    }
}

fn default_flink_operator() -> String {
    "1.15".to_string()
}

fn default_strimzi() -> String {
    "1.2".to_string()
}

fn default_cnpg() -> String {
    "1.30".to_string()
}

fn default_seaweedfs_operator() -> String {
    "1.0".to_string()
}

/// `major.minor` of a version string (`1.20.3` -> (1, 20)); `None` if it is not one.
pub fn major_minor(v: &str) -> Option<(u32, u32)> {
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}
