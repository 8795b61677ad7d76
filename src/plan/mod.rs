//! The plan: every decision about the output, made once, from the checked model.
//!
//! Names of Kubernetes objects, ConfigMap keys, mount paths, environment variables for secrets,
//! connector options, checkpoint keys by version, bucket prefixes, Iceberg field ids: all are
//! decided here. `emit` renders a plan and decides nothing.

mod flink;
pub mod iceberg;
mod names;
mod postgres;

pub use iceberg as iceberg_rules;
pub use postgres::pg_type;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::check::model::{Model, PipelineModel, PlatformModel};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{ConfigValue, FlinkVersion, major_minor};

pub use names::bucket_of as names_bucket_of;
pub use names::env_name;

/// Where the script, DDL and table specs are mounted in the pods.
pub const SCRIPT_DIR: &str = "/opt/flink/usrlib/sql-scripts";
pub const DDL_DIR: &str = "/opt/pipec/ddl";
pub const ICEBERG_DIR: &str = "/opt/pipec/iceberg";
pub const KAFKA_CA_DIR: &str = "/opt/pipec/kafka-ca";
/// The annotation that carries the content hash of everything the job runs.
pub const HASH_ANNOTATION: &str = "pipec.dev/content-sha256";

/// The whole output, decided.
#[derive(Debug, Serialize)]
pub struct Plan {
    pub pipelines: Vec<PipelinePlan>,
    pub platform: PlatformPlan,
}

/// The repository-level objects: buckets and their lifecycle.
#[derive(Debug, Serialize)]
pub struct PlatformPlan {
    pub buckets: Vec<BucketPlan>,
    /// `seaweed.seaweedfs.com/v1`.
    pub seaweed_api_version: String,
    /// Every prefix of every pipeline, sorted: proven disjoint.
    pub prefixes: Vec<PrefixUse>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BucketPlan {
    /// The S3 bucket name, also the object's name.
    pub name: String,
    pub namespace: Option<String>,
    pub cluster: Option<String>,
    pub identity: Option<String>,
    /// What it holds: checkpoints, savepoints, warehouse.
    pub purpose: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct PrefixUse {
    /// `s3://bucket/prefix/`.
    pub uri: String,
    pub pipeline: String,
    pub purpose: String,
}

/// One pipeline's artefacts.
#[derive(Debug, Serialize)]
pub struct PipelinePlan {
    pub name: String,
    pub namespace: String,
    /// The YAML file it came from, relative to the input folder.
    pub source_path: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub script: Script,
    pub deployment: Deployment,
    pub topics: Vec<TopicPlan>,
    pub postgres: Option<postgres::PostgresDdl>,
    pub iceberg_tables: Vec<serde_json::Value>,
    pub prefixes: Vec<PrefixUse>,
    pub secrets: Vec<SecretUse>,
    /// The lineage record of `manifest.json` for this pipeline.
    pub lineage: serde_json::Value,
}

/// The Flink SQL script, in the SQL runner's shape.
#[derive(Debug, Serialize, Default)]
pub struct Script {
    pub sets: Vec<(String, String)>,
    pub tables: Vec<TableDdl>,
    pub catalogs: Vec<CatalogDdl>,
    /// Iceberg databases `catalog`.`namespace`, as identifier paths.
    pub databases: Vec<Vec<String>>,
    pub views: Vec<ViewDdl>,
    pub inserts: Vec<InsertPlan>,
}

#[derive(Debug, Serialize)]
pub struct TableDdl {
    pub name: String,
    /// What it is for, written as a comment above it.
    pub comment: String,
    pub columns: Vec<ColumnDdl>,
    /// `(column, delay value, delay unit)`.
    pub watermark: Option<(String, String, String)>,
    pub primary_key: Vec<String>,
    pub options: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct ColumnDdl {
    pub name: String,
    /// The Flink type, for physical and metadata columns.
    pub ty: Option<String>,
    /// The metadata key, for metadata columns.
    pub metadata: Option<String>,
    /// The expression, for computed columns (as the author wrote it).
    pub computed: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CatalogDdl {
    pub name: String,
    pub options: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct ViewDdl {
    pub name: String,
    pub comment: String,
    /// The author's query, as written (trailing whitespace and `;` removed).
    pub sql: String,
}

#[derive(Debug, Serialize)]
pub struct InsertPlan {
    /// The target's identifier path (`[sink]` or `[catalog, namespace, table]`).
    pub target: Vec<String>,
    pub columns: Vec<String>,
    /// One select item per column: the source column, or a CAST of it to the target's type.
    pub select: Vec<SelectItem>,
    pub from: String,
}

#[derive(Debug, Serialize)]
pub struct SelectItem {
    pub column: String,
    pub cast: Option<String>,
}

/// The FlinkDeployment and what goes into its pods.
#[derive(Debug, Serialize)]
pub struct Deployment {
    pub image: String,
    pub flink_version: String,
    pub service_account: String,
    /// Values typed as YAML (operator >= 1.13) or all strings (before).
    pub flink_configuration: BTreeMap<String, ConfigValue>,
    pub typed_configuration: bool,
    pub job_manager: (f64, String),
    pub task_manager: (f64, String),
    pub jar_uri: String,
    pub args: Vec<String>,
    pub parallelism: u32,
    pub upgrade_mode: String,
    pub env: Vec<EnvVar>,
    pub script_config_map: String,
    pub volumes: Vec<VolumePlan>,
    pub init_containers: Vec<InitContainer>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub enum EnvValue {
    Literal(String),
    Secret { secret: String, key: String },
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct EnvVar {
    pub name: String,
    pub value: EnvValue,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct VolumePlan {
    pub name: String,
    /// A ConfigMap or a Secret, with the one key to project.
    pub config_map: Option<String>,
    pub secret: Option<String>,
    pub key: String,
    pub mount_path: String,
    /// Mounted into the main container (else only init containers use it).
    pub main: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct InitContainer {
    pub name: String,
    pub image: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub env: Vec<EnvVar>,
    pub volumes: Vec<String>,
}

/// A KafkaTopic.
#[derive(Debug, Serialize)]
pub struct TopicPlan {
    pub object_name: String,
    pub topic: String,
    pub namespace: String,
    pub strimzi_cluster: String,
    pub api_version: String,
    pub partitions: u32,
    pub replicas: u32,
    pub config: BTreeMap<String, String>,
}

/// A Secret key a pipeline needs.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretUse {
    pub secret: String,
    pub key: String,
    pub purpose: String,
}

/// The output versions the platform asks for.
#[derive(Debug, Clone, Copy)]
pub struct Targets {
    pub flink: FlinkVersion,
    pub operator: (u32, u32),
    pub strimzi: (u32, u32),
}

impl Targets {
    /// Checkpoint keys both Flink and the operator understand: the 1.20 names need Flink 1.20
    /// and an operator that knows them (1.11 on).
    pub fn new_checkpoint_keys(&self) -> bool {
        self.flink >= FlinkVersion::V1_20 && self.operator >= (1, 11)
    }

    /// Operators before 1.13 type `flinkConfiguration` values as strings.
    pub fn typed_configuration(&self) -> bool {
        self.operator >= (1, 13)
    }

    /// Strimzi serves KafkaTopic `v1` from 0.49 and only `v1` from 1.0.
    pub fn kafka_topic_api(&self) -> &'static str {
        if self.strimzi >= (0, 49) { "kafka.strimzi.io/v1" } else { "kafka.strimzi.io/v1beta2" }
    }
}

/// Versions pipec generates output for.
pub const OPERATOR_VERSIONS: ((u32, u32), (u32, u32)) = ((1, 10), (1, 15));
pub const STRIMZI_VERSIONS: ((u32, u32), (u32, u32)) = ((0, 45), (1, 2));
pub const CNPG_VERSIONS: ((u32, u32), (u32, u32)) = ((1, 25), (1, 30));

/// Reads the platform's versions; an unsupported one is reported at its line.
pub fn targets(platform: &PlatformModel, diags: &mut Diagnostics) -> Option<Targets> {
    let v = &platform.doc.spec.versions;
    let mut ok = true;
    let mut read = |value: &str, field: &str, range: ((u32, u32), (u32, u32)), what: &str| {
        let mm = major_minor(value);
        match mm {
            Some(mm) if mm >= range.0 && mm <= range.1 => mm,
            _ => {
                ok = false;
                diags.push(
                    Diagnostic::new(
                        Code::E0503,
                        platform.map.locate(&format!("/spec/versions/{field}")),
                        format!("{what} {value} is not supported"),
                    )
                    .label("unsupported version")
                    .help(format!(
                        "pipec generates output for {what} {}.{} to {}.{}",
                        range.0.0, range.0.1, range.1.0, range.1.1
                    )),
                );
                range.1
            }
        }
    };
    let operator = read(&v.flink_operator, "flinkOperator", OPERATOR_VERSIONS, "Flink Kubernetes Operator");
    let strimzi = read(&v.strimzi, "strimzi", STRIMZI_VERSIONS, "Strimzi");
    read(&v.cnpg, "cnpg", CNPG_VERSIONS, "CloudNativePG");
    read(&v.seaweedfs_operator, "seaweedfsOperator", ((1, 0), (1, 0)), "SeaweedFS operator");
    ok.then_some(Targets { flink: platform.doc.spec.flink.version, operator, strimzi })
}

/// Decide everything. Diagnostics here are the few facts only visible across the whole
/// output (prefix overlaps, credentials the runner cannot substitute).
pub fn plan(model: &Model, diags: &mut Diagnostics) -> Option<Plan> {
    let targets = targets(&model.platform, diags)?;
    let planned = crate::par::map(model.pipelines.iter().collect(), |p| {
        let mut found = Diagnostics::default();
        (plan_pipeline(model, p, targets, &mut found), found)
    });
    let mut pipelines = Vec::with_capacity(planned.len());
    for (p, found) in planned {
        diags.extend(found.into_vec());
        pipelines.push(p);
    }
    let prefixes = pipelines.iter().flat_map(|p| p.prefixes.iter().cloned()).collect();
    let platform = plan_platform(model, prefixes, diags);
    Some(Plan { pipelines, platform })
}

/// What `pipec check` needs of the plan: the diagnostics [`plan`] reports, without the
/// artefacts. Of a pipeline's decisions only two can fail: its prefixes (overlaps are found
/// across pipelines) and, when the SQL runner does not substitute placeholders, the
/// credentials its script needs.
pub fn check(model: &Model, diags: &mut Diagnostics) {
    if targets(&model.platform, diags).is_none() {
        return;
    }
    let substitutes = model.platform.doc.spec.flink.sql_runner.substitutes_env;
    let planned = crate::par::map(model.pipelines.iter().collect(), |p| {
        let mut found = Diagnostics::default();
        if !substitutes {
            flink::script(model, p, &mut BTreeSet::new(), &mut BTreeSet::new(), &mut found);
        }
        (flink::prefixes(model, p, &namespace(model, p)), found)
    });
    let mut prefixes = Vec::new();
    for (p, found) in planned {
        diags.extend(found.into_vec());
        prefixes.extend(p);
    }
    plan_platform(model, prefixes, diags);
}

/// The Kubernetes namespace of a pipeline: its own, else the platform's.
fn namespace(model: &Model, p: &PipelineModel) -> String {
    p.doc.spec.namespace.clone().unwrap_or_else(|| model.platform.doc.spec.namespace.clone())
}

fn plan_pipeline(model: &Model, p: &PipelineModel, targets: Targets, diags: &mut Diagnostics) -> PipelinePlan {
    let meta = &p.doc.metadata;
    let namespace = namespace(model, p);
    let mut secrets = BTreeSet::new();
    let mut env = BTreeSet::new();
    let script = flink::script(model, p, &mut env, &mut secrets, diags);
    let postgres = postgres::ddl(model, p);
    let iceberg_tables = iceberg::tables(model, p);
    let topics = flink::topics(model, p, targets);
    let prefixes = flink::prefixes(model, p, &namespace);
    let deployment =
        flink::deployment(model, p, targets, &namespace, &mut env, &mut secrets, postgres.as_ref(), &iceberg_tables);
    let mut labels = meta.labels.clone();
    labels.insert("app.kubernetes.io/managed-by".to_string(), "pipec".to_string());
    labels.insert("app.kubernetes.io/name".to_string(), meta.name.clone());
    if let Some(owner) = &meta.owner {
        labels.insert("pipec.dev/owner".to_string(), owner.clone());
    }
    let lineage = flink::lineage(model, p, &topics);
    PipelinePlan {
        name: meta.name.clone(),
        namespace,
        source_path: p.path.clone(),
        owner: meta.owner.clone(),
        description: meta.description.clone(),
        labels,
        script,
        deployment,
        topics,
        postgres,
        iceberg_tables,
        prefixes,
        secrets: secrets.into_iter().collect(),
        lineage,
    }
}

fn plan_platform(model: &Model, mut prefixes: Vec<PrefixUse>, diags: &mut Diagnostics) -> PlatformPlan {
    let spec = &model.platform.doc.spec;
    let store = &spec.object_storage;
    let sw = store.seaweedfs.as_ref();
    let mut buckets: BTreeMap<String, BucketPlan> = BTreeMap::new();
    let mut add = |name: &str, purpose: &str| {
        buckets
            .entry(name.to_string())
            .and_modify(|b| {
                if !b.purpose.split(", ").any(|p| p == purpose) {
                    b.purpose = format!("{}, {purpose}", b.purpose);
                }
            })
            .or_insert_with(|| BucketPlan {
                name: name.to_string(),
                namespace: sw.map(|s| s.namespace.clone()),
                cluster: sw.map(|s| s.cluster.clone()),
                identity: sw.map(|s| s.identity.clone()),
                purpose: purpose.to_string(),
            });
    };
    add(&store.buckets.checkpoints, "checkpoints");
    add(&store.buckets.savepoints, "savepoints");
    for c in &spec.iceberg {
        if let Some(b) = names::bucket_of(&c.warehouse) {
            add(b, "iceberg warehouse");
        }
    }
    prefixes.sort();
    // Two uses of one prefix, or one inside another, would mix state of two jobs or tables.
    // Sorted, the prefixes that start with a prefix follow it directly, so each prefix is
    // compared with its run of followers only.
    for (w, a) in prefixes.iter().enumerate() {
        for b in prefixes.iter().skip(w + 1) {
            if !b.uri.starts_with(&a.uri) {
                break;
            }
            let span = model
                .pipelines
                .binary_search_by(|p| p.doc.metadata.name.as_str().cmp(b.pipeline.as_str()))
                .ok()
                .and_then(|i| model.pipelines.get(i))
                .map(|p| p.places.name)
                .unwrap_or_else(|| model.platform.map.locate(""));
            diags.push(
                Diagnostic::new(
                    Code::E0506,
                    span,
                    format!(
                        "the {} prefix {} of pipeline `{}` lies inside the {} prefix {} of pipeline `{}`",
                        b.purpose, b.uri, b.pipeline, a.purpose, a.uri, a.pipeline
                    ),
                )
                .label("overlapping prefix")
                .help("give the pipelines different names or namespaces, or write different tables"),
            );
        }
    }
    PlatformPlan {
        buckets: buckets.into_values().collect(),
        seaweed_api_version: "seaweed.seaweedfs.com/v1".to_string(),
        prefixes,
    }
}
