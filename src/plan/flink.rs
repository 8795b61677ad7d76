//! The Flink side of a pipeline: the SQL script, the FlinkDeployment, topics and prefixes.

use std::collections::{BTreeMap, BTreeSet};

use super::names::{dir_uri, env_name, jdbc_url, pg_host, pg_object_name, pg_secret, topic_object_name};
use super::{
    CatalogDdl, ColumnDdl, ConfigValue, DDL_DIR, Deployment, EnvValue, EnvVar, ICEBERG_DIR, InitContainer, InsertPlan,
    KAFKA_CA_DIR, PrefixUse, SCRIPT_DIR, Script, SecretUse, SelectItem, TableDdl, Targets, TopicPlan, ViewDdl,
    VolumePlan, iceberg, postgres::PostgresDdl,
};
use crate::check::model::{ColumnKind, Model, PipelineModel};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{CatalogType, KafkaCluster, KafkaFormat, KafkaSource, PlatformSpec, PostgresCluster, PostgresTable};
use crate::typecheck::{Changelog, DataType};

/// Collects the Secret keys a pipeline needs and the environment variables that carry them.
pub struct SecretSink<'a> {
    pub env: &'a mut BTreeSet<EnvVar>,
    pub secrets: &'a mut BTreeSet<SecretUse>,
}

impl SecretSink<'_> {
    /// A `${NAME}` placeholder for `key` of `secret`, wired into the pod environment.
    fn placeholder(&mut self, secret: &str, key: &str, purpose: &str) -> String {
        let name = env_name(secret, key);
        self.env.insert(EnvVar {
            name: name.clone(),
            value: EnvValue::Secret { secret: secret.to_string(), key: key.to_string() },
        });
        self.secrets.insert(SecretUse {
            secret: secret.to_string(),
            key: key.to_string(),
            purpose: purpose.to_string(),
        });
        format!("${{{name}}}")
    }
}

fn opt(k: &str, v: impl Into<String>) -> (String, String) {
    (k.to_string(), v.into())
}

fn kafka_cluster<'a>(platform: &'a PlatformSpec, name: &str) -> Option<&'a KafkaCluster> {
    platform.kafka.iter().find(|k| k.name == name)
}

/// Connection and security options of a Kafka cluster.
fn kafka_connection(k: &KafkaCluster, s: &mut SecretSink<'_>, purpose: &str) -> Vec<(String, String)> {
    let mut o = vec![opt("properties.bootstrap.servers", &k.bootstrap_servers)];
    let protocol = match (&k.tls, &k.scram) {
        (Some(_), Some(_)) => Some("SASL_SSL"),
        (Some(_), None) => Some("SSL"),
        (None, Some(_)) => Some("SASL_PLAINTEXT"),
        (None, None) => None,
    };
    if let Some(p) = protocol {
        o.push(opt("properties.security.protocol", p));
    }
    if k.tls.is_some() {
        o.push(opt("properties.ssl.truststore.type", "PEM"));
        o.push(opt("properties.ssl.truststore.location", format!("{KAFKA_CA_DIR}/{}/ca.crt", k.name)));
    }
    if let Some(scram) = &k.scram {
        let user = s.placeholder(&scram.secret, "username", purpose);
        let password = s.placeholder(&scram.secret, "password", purpose);
        o.push(opt("properties.sasl.mechanism", "SCRAM-SHA-512"));
        // The SQL connector jar relocates the Kafka client, and its login module with it.
        o.push(opt(
            "properties.sasl.jaas.config",
            format!(
                "org.apache.flink.kafka.shaded.org.apache.kafka.common.security.scram.ScramLoginModule required username=\"{user}\" password=\"{password}\";"
            ),
        ));
    }
    o
}

/// Options of a JDBC table on a CloudNativePG cluster, with the sink role's credentials.
fn jdbc_options(
    cluster: &PostgresCluster,
    t: &PostgresTable,
    s: &mut SecretSink<'_>,
    purpose: &str,
) -> Vec<(String, String)> {
    let secret = pg_secret(cluster);
    vec![
        opt("connector", "jdbc"),
        opt("url", jdbc_url(cluster, &t.database)),
        opt("table-name", &t.table),
        opt("username", s.placeholder(&secret, "username", purpose)),
        opt("password", s.placeholder(&secret, "password", purpose)),
    ]
}

/// Format options under a `key.`/`value.` prefix.
fn format_options(prefix: &str, format: KafkaFormat, k: &KafkaCluster) -> Vec<(String, String)> {
    let mut o = vec![opt(&format!("{prefix}format"), format.as_str())];
    if format == KafkaFormat::AvroConfluent {
        if let Some(url) = &k.schema_registry {
            o.push(opt(&format!("{prefix}avro-confluent.url"), url));
        }
    }
    o
}

/// `scan.startup.*` options of a Kafka source.
fn startup_options(src: &KafkaSource) -> Vec<(String, String)> {
    match src.startup.as_deref() {
        None => vec![opt("scan.startup.mode", "group-offsets"), opt("properties.auto.offset.reset", "earliest")],
        Some(mode @ ("earliest-offset" | "latest-offset" | "group-offsets")) => {
            let mut o = vec![opt("scan.startup.mode", mode)];
            if mode == "group-offsets" {
                o.push(opt("properties.auto.offset.reset", "earliest"));
            }
            o
        }
        Some(instant) => match rfc3339_millis(instant) {
            Some(ms) => {
                vec![opt("scan.startup.mode", "timestamp"), opt("scan.startup.timestamp-millis", ms.to_string())]
            }
            None => vec![opt("scan.startup.mode", "earliest-offset")],
        },
    }
}

/// Milliseconds since the epoch of an RFC 3339 instant (`2026-01-31T12:00:00Z`, offsets too).
pub fn rfc3339_millis(s: &str) -> Option<i64> {
    let (date, rest) = s.split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    let (time, offset_min) = if let Some(t) = rest.strip_suffix('Z') {
        (t, 0)
    } else {
        let i = rest.rfind(['+', '-'])?;
        let (t, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off.get(1..)?.split_once(':')?;
        (t, sign * (oh.parse::<i64>().ok()? * 60 + om.parse::<i64>().ok()?))
    };
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':');
    let (h, mi, sec): (i64, i64, i64) = (t.next()?.parse().ok()?, t.next()?.parse().ok()?, t.next()?.parse().ok()?);
    let millis: i64 = format!("{:0<3}", frac.get(..frac.len().min(3))?).parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = if y2 >= 0 { y2 } else { y2 - 399 } / 400;
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    Some(((days * 86400 + h * 3600 + mi * 60 + sec) - offset_min * 60) * 1000 + millis)
}

/// The SQL script.
pub fn script(
    model: &Model,
    p: &PipelineModel,
    env: &mut BTreeSet<EnvVar>,
    secrets: &mut BTreeSet<SecretUse>,
    diags: &mut Diagnostics,
) -> Script {
    let platform = &model.platform.doc.spec;
    let pipeline = &p.doc.metadata.name;
    let mut s = SecretSink { env, secrets };
    let mut script = Script::default();
    let mut needs_cdc_duplicates = false;
    let mut credential_uses: Vec<(String, crate::source::Span)> = Vec::new();

    for ((src, info), place) in p.doc.spec.sources.iter().zip(&p.sources).zip(&p.places.sources) {
        let columns = info
            .columns
            .iter()
            .map(|c| match &c.kind {
                ColumnKind::Physical => {
                    ColumnDdl { name: c.name.clone(), ty: Some(c.ty.to_string()), metadata: None, computed: None }
                }
                ColumnKind::Metadata { key } => ColumnDdl {
                    name: c.name.clone(),
                    ty: Some(c.ty.to_string()),
                    metadata: Some(key.clone()),
                    computed: None,
                },
                ColumnKind::Computed { expr } => {
                    ColumnDdl { name: c.name.clone(), ty: None, metadata: None, computed: Some(expr.clone()) }
                }
            })
            .collect();
        let key = src.primary_key.clone().unwrap_or_default();
        // Check refuses delays with no interval literal (1000 days and more), so every
        // watermark is written.
        let watermark = src.watermark.as_ref().and_then(|w| {
            let (v, u) = w.delay.as_interval()?;
            Some((w.column.clone(), v, u.to_string()))
        });
        let purpose = format!("source `{}`", src.name);
        let mut options = Vec::new();
        let comment;
        if let Some(k) = &src.kafka {
            let Some(cluster) = kafka_cluster(platform, &k.cluster) else { continue };
            comment = format!("source `{}`: Kafka topic {} ({})", src.name, k.topic, k.format.as_str());
            let group = k.group_id.clone().unwrap_or_else(|| format!("{pipeline}.{}", src.name));
            if !key.is_empty() && !k.format.is_changelog() {
                options.push(opt("connector", "upsert-kafka"));
                options.extend(format_options("key.", k.format, cluster));
                options.extend(format_options("value.", k.format, cluster));
            } else {
                options.push(opt("connector", "kafka"));
                options.extend(startup_options(k));
                options.extend(format_options("value.", k.format, cluster));
                if k.format.is_changelog() && !key.is_empty() {
                    needs_cdc_duplicates = true;
                }
            }
            options.push(opt("properties.group.id", group));
            options.push(opt("topic", &k.topic));
            if cluster.scram.is_some() {
                credential_uses.push((format!("source `{}`", src.name), place.connector));
            }
            options.extend(kafka_connection(cluster, &mut s, &purpose));
        } else if let Some(c) = &src.postgres_cdc {
            let Some(cluster) = platform.postgres.iter().find(|x| x.name == c.cluster) else { continue };
            comment = format!(
                "source `{}`: change stream of {} in database {} of {}",
                src.name, c.table, c.database, c.cluster
            );
            let secret = cluster.cdc_credentials.as_ref().map_or_else(|| pg_secret(cluster), |x| x.secret.clone());
            let (schema, table) = c.table.split_once('.').unwrap_or(("public", &c.table));
            let slot = pg_object_name("pipec", pipeline, &src.name);
            options.push(opt("connector", "postgres-cdc"));
            options.push(opt("hostname", pg_host(cluster)));
            options.push(opt("port", "5432"));
            options.push(opt("username", s.placeholder(&secret, "username", &purpose)));
            options.push(opt("password", s.placeholder(&secret, "password", &purpose)));
            options.push(opt("database-name", &c.database));
            options.push(opt("schema-name", schema));
            options.push(opt("table-name", table));
            options.push(opt("slot.name", &slot));
            options.push(opt("decoding.plugin.name", "pgoutput"));
            options.push(opt("debezium.publication.name", &slot));
            options.push(opt("debezium.publication.autocreate.mode", "filtered"));
            if !key.is_empty() {
                options.push(opt("changelog-mode", "upsert"));
            }
            credential_uses.push((format!("source `{}`", src.name), place.connector));
        } else if let Some(t) = &src.postgres {
            let Some(cluster) = platform.postgres.iter().find(|x| x.name == t.cluster) else { continue };
            comment = format!("source `{}`: table {} in database {} of {}", src.name, t.table, t.database, t.cluster);
            options.extend(jdbc_options(cluster, t, &mut s, &purpose));
            credential_uses.push((format!("source `{}`", src.name), place.connector));
        } else {
            continue;
        }
        options.sort();
        script.tables.push(TableDdl { name: src.name.clone(), comment, columns, watermark, primary_key: key, options });
    }

    // Sink tables (Kafka and Postgres); Iceberg tables exist before the job.
    let mut catalogs: BTreeSet<String> = BTreeSet::new();
    let mut databases: BTreeSet<Vec<String>> = BTreeSet::new();
    let taken: BTreeSet<&str> = p
        .doc
        .spec
        .sources
        .iter()
        .map(|x| x.name.as_str())
        .chain(p.doc.spec.transforms.iter().map(|x| x.name.as_str()))
        .chain(p.doc.spec.sinks.iter().map(|x| x.name.as_str()))
        .collect();
    for ((sink, info), place) in p.doc.spec.sinks.iter().zip(&p.sinks).zip(&p.places.sinks) {
        let purpose = format!("sink `{}`", sink.name);
        let columns: Vec<ColumnDdl> = info
            .columns
            .iter()
            .map(|(n, t)| ColumnDdl { name: n.clone(), ty: Some(t.to_string()), metadata: None, computed: None })
            .collect();
        let mut options = Vec::new();
        let target: Vec<String>;
        let mut target_types: Vec<DataType> = info.columns.iter().map(|c| c.1.clone()).collect();
        if let Some(k) = &sink.kafka {
            let Some(cluster) = kafka_cluster(platform, &k.cluster) else { continue };
            if !info.key.is_empty() && !k.format.is_changelog() {
                options.push(opt("connector", "upsert-kafka"));
                options.extend(format_options("key.", k.format, cluster));
                options.extend(format_options("value.", k.format, cluster));
            } else {
                options.push(opt("connector", "kafka"));
                options.extend(format_options("value.", k.format, cluster));
                if !info.key.is_empty() {
                    options.push(opt("key.format", "json"));
                    options.push(opt("key.fields", info.key.join(";")));
                }
            }
            options.push(opt("topic", &k.topic));
            if cluster.scram.is_some() {
                credential_uses.push((purpose.clone(), place.connector));
            }
            options.extend(kafka_connection(cluster, &mut s, &purpose));
            options.sort();
            script.tables.push(TableDdl {
                name: sink.name.clone(),
                comment: format!("sink `{}`: Kafka topic {} ({})", sink.name, k.topic, k.format.as_str()),
                columns,
                watermark: None,
                primary_key: info.key.clone(),
                options,
            });
            target = vec![sink.name.clone()];
        } else if let Some(t) = &sink.postgres {
            let Some(cluster) = platform.postgres.iter().find(|x| x.name == t.cluster) else { continue };
            options.extend(jdbc_options(cluster, t, &mut s, &purpose));
            options.sort();
            credential_uses.push((purpose.clone(), place.connector));
            script.tables.push(TableDdl {
                name: sink.name.clone(),
                comment: format!("sink `{}`: table {} in database {} of {}", sink.name, t.table, t.database, t.cluster),
                columns,
                watermark: None,
                primary_key: info.key.clone(),
                options,
            });
            target = vec![sink.name.clone()];
        } else if let Some(ice) = &sink.iceberg {
            let Some(catalog) = platform.iceberg.iter().find(|c| c.name == ice.catalog) else { continue };
            if catalog.catalog_type == CatalogType::Jdbc {
                let secret = catalog
                    .catalog_database
                    .as_ref()
                    .and_then(|d| platform.postgres.iter().find(|x| x.name == d.postgres))
                    .map(pg_secret);
                if let Some(secret) = secret {
                    s.placeholder(&secret, "username", &format!("Iceberg catalog `{}`", catalog.name));
                    s.placeholder(&secret, "password", &format!("Iceberg catalog `{}`", catalog.name));
                    credential_uses.push((purpose.clone(), place.catalog));
                }
            }
            catalogs.insert(catalog.name.clone());
            databases.insert(vec![catalog.name.clone(), ice.namespace.clone()]);
            target = vec![catalog.name.clone(), ice.namespace.clone(), ice.table.clone()];
            target_types = info.columns.iter().map(|c| iceberg::flink_view_type(&c.1)).collect();
        } else {
            continue;
        }
        // The input: `from` as it is, or the sink's own query as a view.
        let from = match (&sink.from, &sink.sql) {
            (Some(f), _) => f.clone(),
            (None, Some(sql)) => {
                let mut name = format!("{}_query", sink.name);
                while taken.contains(name.as_str()) {
                    name.push('_');
                }
                script.views.push(ViewDdl {
                    name: name.clone(),
                    comment: format!("the query of sink `{}`", sink.name),
                    sql: clean_sql(sql),
                });
                name
            }
            (None, None) => continue,
        };
        let select = insert_select(info, &target_types);
        script.inserts.push(InsertPlan {
            target,
            columns: info.columns.iter().map(|c| c.0.clone()).collect(),
            select,
            from,
        });
    }

    // Iceberg catalogs, with their connection options.
    for name in &catalogs {
        let Some(c) = platform.iceberg.iter().find(|c| &c.name == name) else { continue };
        let mut options = vec![opt("type", "iceberg"), opt("warehouse", dir_uri(&c.warehouse))];
        match c.catalog_type {
            CatalogType::Jdbc => {
                options.push(opt("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog"));
                if let Some(db) = &c.catalog_database {
                    if let Some(cluster) = platform.postgres.iter().find(|x| x.name == db.postgres) {
                        let secret = pg_secret(cluster);
                        let purpose = format!("Iceberg catalog `{}`", c.name);
                        options.push(opt("uri", jdbc_url(cluster, &db.database)));
                        options.push(opt("jdbc.user", s.placeholder(&secret, "username", &purpose)));
                        options.push(opt("jdbc.password", s.placeholder(&secret, "password", &purpose)));
                    }
                }
            }
            CatalogType::Rest => {
                options.push(opt("catalog-type", "rest"));
                options.extend(c.uri.iter().map(|u| opt("uri", u)));
            }
            CatalogType::Hive => {
                options.push(opt("catalog-type", "hive"));
                options.extend(c.uri.iter().map(|u| opt("uri", u)));
            }
            CatalogType::Hadoop => options.push(opt("catalog-type", "hadoop")),
        }
        let store = &platform.object_storage;
        options.push(opt("io-impl", "org.apache.iceberg.aws.s3.S3FileIO"));
        options.push(opt("s3.endpoint", store.endpoint.trim_end_matches('/')));
        options.push(opt("s3.path-style-access", store.path_style_access.to_string()));
        options.push(opt("client.region", &store.region));
        options.sort();
        script.catalogs.push(CatalogDdl { name: c.name.clone(), options });
    }
    script.databases = databases.into_iter().collect();

    // Transforms as views, in dependency order, placed before the sinks' own queries.
    let mut views: Vec<ViewDdl> = p
        .transform_order
        .iter()
        .filter_map(|&i| p.doc.spec.transforms.get(i))
        .map(|t| ViewDdl { name: t.name.clone(), comment: format!("transform `{}`", t.name), sql: clean_sql(&t.sql) })
        .collect();
    views.append(&mut script.views);
    script.views = views;

    if needs_cdc_duplicates {
        // Debezium delivers at least once; with a key Flink deduplicates the changes.
        script.sets.push(("table.exec.source.cdc-events-duplicate".to_string(), "true".to_string()));
    }

    if !platform.flink.sql_runner.substitutes_env {
        for (what, span) in credential_uses {
            diags.push(
                Diagnostic::new(
                    Code::E0504,
                    span,
                    format!("{what} needs a credential in its SQL options, but the SQL runner does not substitute `${{NAME}}` placeholders"),
                )
                .label("needs a credential")
                .help("use a SQL runner that replaces ${NAME} from the environment and set `flink.sqlRunner.substitutesEnv: true` in the platform"),
            );
        }
    }
    script
}

/// The author's SQL without trailing whitespace and a final `;`.
pub fn clean_sql(sql: &str) -> String {
    let t = sql.trim_end();
    let t = t.strip_suffix(';').unwrap_or(t).trim_end();
    t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
}

/// The select list of an INSERT: each target column from the input column of that name,
/// cast where the input's type differs from the target's (nullability aside).
fn insert_select(info: &crate::check::model::SinkInfo, target_types: &[DataType]) -> Vec<SelectItem> {
    info.columns
        .iter()
        .zip(target_types)
        .map(|((name, _), target)| {
            let input = info.input.columns.iter().find(|c| &c.name == name);
            let differs = input.is_none_or(|c| c.ty.kind != target.kind);
            let cast = differs.then(|| DataType { nullable: true, ..target.clone() }.to_string());
            SelectItem { column: name.clone(), cast }
        })
        .collect()
}

/// Strimzi KafkaTopics of the sinks with `manage`.
pub fn topics(model: &Model, p: &PipelineModel, targets: Targets) -> Vec<TopicPlan> {
    let platform = &model.platform.doc.spec;
    let mut out = Vec::new();
    for sink in &p.doc.spec.sinks {
        let Some(k) = &sink.kafka else { continue };
        let Some(m) = &k.manage else { continue };
        let Some(cluster) = kafka_cluster(platform, &k.cluster) else { continue };
        let mut config: BTreeMap<String, String> = m.config.iter().map(|(k, v)| (k.clone(), v.render())).collect();
        // An upsert topic keeps the latest value of every key: compacted unless the author says otherwise.
        let upsert = sink.primary_key.as_ref().is_some_and(|k| !k.is_empty()) && !k.format.is_changelog();
        let policy = m.cleanup_policy.or(upsert.then_some(crate::spec::CleanupPolicy::Compact));
        if let Some(cp) = policy {
            config.insert("cleanup.policy".to_string(), cp.as_str().to_string());
        }
        // Check refuses retentions that do not fit in milliseconds.
        if let Some(ms) = m.retention.as_ref().and_then(|r| r.millis()) {
            config.insert("retention.ms".to_string(), ms.to_string());
        }
        out.push(TopicPlan {
            object_name: topic_object_name(&k.topic),
            topic: k.topic.clone(),
            namespace: cluster.namespace.clone(),
            strimzi_cluster: cluster.strimzi_cluster.clone(),
            api_version: targets.kafka_topic_api().to_string(),
            partitions: m.partitions,
            replicas: m.replicas,
            config,
        });
    }
    out
}

/// Where a pipeline's state lives in the buckets.
pub struct StatePaths {
    pub checkpoints: String,
    pub savepoints: String,
    pub ha: String,
}

pub fn state_paths(platform: &PlatformSpec, namespace: &str, name: &str) -> StatePaths {
    let b = &platform.object_storage.buckets;
    StatePaths {
        checkpoints: format!("s3://{}/{namespace}/{name}/checkpoints", b.checkpoints),
        savepoints: format!("s3://{}/{namespace}/{name}/savepoints", b.savepoints),
        ha: format!("s3://{}/{namespace}/{name}/ha", b.checkpoints),
    }
}

/// Every bucket prefix a pipeline writes.
pub fn prefixes(model: &Model, p: &PipelineModel, namespace: &str) -> Vec<PrefixUse> {
    let platform = &model.platform.doc.spec;
    let name = &p.doc.metadata.name;
    let paths = state_paths(platform, namespace, name);
    let mut out = vec![
        PrefixUse { uri: dir_uri(&paths.checkpoints), pipeline: name.clone(), purpose: "checkpoints".to_string() },
        PrefixUse { uri: dir_uri(&paths.savepoints), pipeline: name.clone(), purpose: "savepoints".to_string() },
    ];
    if platform.flink.high_availability {
        out.push(PrefixUse {
            uri: dir_uri(&paths.ha),
            pipeline: name.clone(),
            purpose: "high availability".to_string(),
        });
    }
    for sink in &p.doc.spec.sinks {
        let Some(ice) = &sink.iceberg else { continue };
        if let Some(loc) = iceberg::location(platform, ice) {
            out.push(PrefixUse {
                uri: dir_uri(&loc),
                pipeline: name.clone(),
                purpose: format!("Iceberg table {}.{}", ice.namespace, ice.table),
            });
        }
    }
    out.sort();
    out
}

/// The FlinkDeployment.
#[allow(clippy::too_many_arguments)]
pub fn deployment(
    model: &Model,
    p: &PipelineModel,
    targets: Targets,
    namespace: &str,
    env: &mut BTreeSet<EnvVar>,
    secrets: &mut BTreeSet<SecretUse>,
    postgres: Option<&PostgresDdl>,
    iceberg_tables: &[serde_json::Value],
) -> Deployment {
    let platform = &model.platform.doc.spec;
    let flink = &platform.flink;
    let rt = &p.doc.spec.runtime;
    let name = &p.doc.metadata.name;
    let store = &platform.object_storage;
    let paths = state_paths(platform, namespace, name);
    let mut s = SecretSink { env, secrets };

    let typed = targets.typed_configuration();
    let mut conf: BTreeMap<String, ConfigValue> = BTreeMap::new();
    let mut set = |k: &str, v: ConfigValue| {
        conf.insert(k.to_string(), v);
    };
    let st = |v: &str| ConfigValue::String(v.to_string());
    set("pipeline.name", st(name));
    let interval = rt.checkpoint_interval.as_ref().unwrap_or(&flink.defaults.checkpoint_interval);
    set("execution.checkpointing.interval", st(&interval.0));
    set("state.backend.type", st("rocksdb"));
    if targets.new_checkpoint_keys() {
        set("execution.checkpointing.dir", st(&paths.checkpoints));
        set("execution.checkpointing.savepoint-dir", st(&paths.savepoints));
        set("execution.checkpointing.incremental", ConfigValue::Bool(true));
    } else {
        set("state.checkpoints.dir", st(&paths.checkpoints));
        set("state.savepoints.dir", st(&paths.savepoints));
        set("state.backend.incremental", ConfigValue::Bool(true));
    }
    if flink.high_availability {
        set("high-availability.type", st("kubernetes"));
        set("high-availability.storageDir", st(&paths.ha));
    }
    set("s3.endpoint", st(store.endpoint.trim_end_matches('/')));
    set("s3.path.style.access", ConfigValue::Bool(store.path_style_access));
    let tm = rt.task_manager.as_ref();
    set("taskmanager.numberOfTaskSlots", ConfigValue::Int(i64::from(tm.and_then(|t| t.slots).unwrap_or(1))));
    for (k, v) in &rt.flink_configuration {
        let v = match v {
            crate::spec::ConfigValue::Bool(b) => ConfigValue::Bool(*b),
            crate::spec::ConfigValue::Int(i) => ConfigValue::Int(*i),
            crate::spec::ConfigValue::Float(f) => ConfigValue::Float(*f),
            crate::spec::ConfigValue::String(x) => ConfigValue::String(x.clone()),
        };
        set(k, v);
    }
    if !typed {
        for v in conf.values_mut() {
            *v = ConfigValue::String(v.render());
        }
    }

    // S3 credentials for checkpoints and Iceberg's S3FileIO: the AWS default chain reads these.
    let s3 = &store.credentials;
    s.placeholder(&s3.secret, &s3.access_key_key, "S3 access for checkpoints, savepoints and tables");
    s.placeholder(&s3.secret, &s3.secret_key_key, "S3 access for checkpoints, savepoints and tables");
    let mut main_env: BTreeSet<EnvVar> = s.env.clone();
    // The S3 pair under the names the AWS SDK reads.
    main_env.retain(|e| !matches!(&e.value, EnvValue::Secret { secret, .. } if secret == &s3.secret));
    let aws = |name: &str, key: &str| EnvVar {
        name: name.to_string(),
        value: EnvValue::Secret { secret: s3.secret.clone(), key: key.to_string() },
    };
    main_env.insert(aws("AWS_ACCESS_KEY_ID", &s3.access_key_key));
    main_env.insert(aws("AWS_SECRET_ACCESS_KEY", &s3.secret_key_key));
    main_env.insert(EnvVar { name: "AWS_REGION".to_string(), value: EnvValue::Literal(store.region.clone()) });

    let script_cm = format!("{name}-sql");
    let mut volumes = vec![VolumePlan {
        name: "pipec-sql".to_string(),
        config_map: Some(script_cm.clone()),
        secret: None,
        key: "pipeline.sql".to_string(),
        mount_path: SCRIPT_DIR.to_string(),
        main: true,
    }];
    let mut ca: BTreeSet<(String, String)> = BTreeSet::new();
    for k in p
        .doc
        .spec
        .sources
        .iter()
        .filter_map(|x| x.kafka.as_ref().map(|k| &k.cluster))
        .chain(p.doc.spec.sinks.iter().filter_map(|x| x.kafka.as_ref().map(|k| &k.cluster)))
    {
        if let Some(c) = kafka_cluster(platform, k) {
            if let Some(tls) = &c.tls {
                ca.insert((c.name.clone(), tls.ca_secret.clone()));
            }
        }
    }
    for (cluster, secret) in &ca {
        volumes.push(VolumePlan {
            name: format!("kafka-ca-{cluster}"),
            config_map: None,
            secret: Some(secret.clone()),
            key: "ca.crt".to_string(),
            mount_path: format!("{KAFKA_CA_DIR}/{cluster}"),
            main: true,
        });
    }

    let mut init = Vec::new();
    if let Some(pg) = postgres {
        if let Some(cluster) = platform.postgres.iter().find(|c| c.name == pg.cluster) {
            let secret = pg_secret(cluster);
            volumes.push(VolumePlan {
                name: "pipec-ddl".to_string(),
                config_map: Some(format!("{name}-postgres-ddl")),
                secret: None,
                key: "postgres.sql".to_string(),
                mount_path: DDL_DIR.to_string(),
                main: false,
            });
            s.secrets.insert(SecretUse {
                secret: secret.clone(),
                key: "username".to_string(),
                purpose: "Postgres table DDL".to_string(),
            });
            s.secrets.insert(SecretUse {
                secret: secret.clone(),
                key: "password".to_string(),
                purpose: "Postgres table DDL".to_string(),
            });
            init.push(InitContainer {
                name: "postgres-ddl".to_string(),
                image: cluster.psql_image.clone(),
                command: vec![
                    "psql".into(),
                    "-v".into(),
                    "ON_ERROR_STOP=1".into(),
                    "-f".into(),
                    format!("{DDL_DIR}/postgres.sql"),
                ],
                args: vec![],
                env: vec![
                    EnvVar { name: "PGHOST".into(), value: EnvValue::Literal(pg_host(cluster)) },
                    EnvVar { name: "PGPORT".into(), value: EnvValue::Literal("5432".into()) },
                    EnvVar {
                        name: "PGDATABASE".into(),
                        value: EnvValue::Literal(pg.databases.first().map(|d| d.name.clone()).unwrap_or_default()),
                    },
                    EnvVar {
                        name: "PGUSER".into(),
                        value: EnvValue::Secret { secret: secret.clone(), key: "username".into() },
                    },
                    EnvVar { name: "PGPASSWORD".into(), value: EnvValue::Secret { secret, key: "password".into() } },
                ],
                volumes: vec!["pipec-ddl".to_string()],
            });
        }
    }
    if !iceberg_tables.is_empty() {
        volumes.push(VolumePlan {
            name: "pipec-iceberg".to_string(),
            config_map: Some(format!("{name}-iceberg-tables")),
            secret: None,
            key: "iceberg-tables.json".to_string(),
            mount_path: ICEBERG_DIR.to_string(),
            main: false,
        });
        let mut used: Vec<&str> =
            p.doc.spec.sinks.iter().filter_map(|x| x.iceberg.as_ref().map(|i| i.catalog.as_str())).collect();
        used.sort();
        used.dedup();
        for cat in used {
            let Some(c) = platform.iceberg.iter().find(|c| c.name == cat) else { continue };
            let mut e = vec![
                EnvVar { name: "ICEBERG_CATALOG_NAME".into(), value: EnvValue::Literal(c.name.clone()) },
                EnvVar { name: "ICEBERG_WAREHOUSE".into(), value: EnvValue::Literal(dir_uri(&c.warehouse)) },
                EnvVar {
                    name: "ICEBERG_S3_ENDPOINT".into(),
                    value: EnvValue::Literal(store.endpoint.trim_end_matches('/').to_string()),
                },
                EnvVar {
                    name: "ICEBERG_S3_PATH_STYLE_ACCESS".into(),
                    value: EnvValue::Literal(store.path_style_access.to_string()),
                },
                aws("AWS_ACCESS_KEY_ID", &s3.access_key_key),
                aws("AWS_SECRET_ACCESS_KEY", &s3.secret_key_key),
                EnvVar { name: "AWS_REGION".into(), value: EnvValue::Literal(store.region.clone()) },
            ];
            match c.catalog_type {
                CatalogType::Jdbc => {
                    e.push(EnvVar {
                        name: "ICEBERG_CATALOG_IMPL".into(),
                        value: EnvValue::Literal("org.apache.iceberg.jdbc.JdbcCatalog".into()),
                    });
                    if let Some(db) = &c.catalog_database {
                        if let Some(cluster) = platform.postgres.iter().find(|x| x.name == db.postgres) {
                            let secret = pg_secret(cluster);
                            e.push(EnvVar {
                                name: "ICEBERG_URI".into(),
                                value: EnvValue::Literal(jdbc_url(cluster, &db.database)),
                            });
                            e.push(EnvVar {
                                name: "ICEBERG_JDBC_USER".into(),
                                value: EnvValue::Secret { secret: secret.clone(), key: "username".into() },
                            });
                            e.push(EnvVar {
                                name: "ICEBERG_JDBC_PASSWORD".into(),
                                value: EnvValue::Secret { secret, key: "password".into() },
                            });
                        }
                    }
                }
                other => {
                    let t = match other {
                        CatalogType::Rest => "rest",
                        CatalogType::Hive => "hive",
                        _ => "hadoop",
                    };
                    e.push(EnvVar { name: "ICEBERG_CATALOG_TYPE".into(), value: EnvValue::Literal(t.into()) });
                    if let Some(u) = &c.uri {
                        e.push(EnvVar { name: "ICEBERG_URI".into(), value: EnvValue::Literal(u.clone()) });
                    }
                }
            }
            e.sort();
            init.push(InitContainer {
                name: format!("iceberg-tables-{}", c.name.replace('_', "-")),
                image: c.table_provisioner.image.clone(),
                command: vec![],
                args: vec![format!("{ICEBERG_DIR}/iceberg-tables.json")],
                env: e,
                volumes: vec!["pipec-iceberg".to_string()],
            });
        }
    }

    let jm = rt.job_manager.as_ref().map_or((1.0, "2048m".to_string()), |r| (r.cpu, r.memory.clone()));
    let tmr = tm.map_or((1.0, "2048m".to_string()), |r| (r.cpu, r.memory.clone()));
    Deployment {
        image: flink.image.clone(),
        flink_version: match flink.version {
            crate::spec::FlinkVersion::V1_19 => "v1_19".to_string(),
            crate::spec::FlinkVersion::V1_20 => "v1_20".to_string(),
        },
        service_account: flink.service_account.clone(),
        flink_configuration: conf,
        typed_configuration: typed,
        job_manager: jm,
        task_manager: tmr,
        jar_uri: flink.sql_runner.jar.clone(),
        args: vec![format!("{SCRIPT_DIR}/pipeline.sql")],
        parallelism: rt.parallelism.unwrap_or(flink.defaults.parallelism),
        upgrade_mode: rt.upgrade_mode.unwrap_or(flink.defaults.upgrade_mode).as_str().to_string(),
        env: main_env.into_iter().collect(),
        script_config_map: script_cm,
        volumes,
        init_containers: init,
    }
}

fn changelog_name(c: Changelog) -> &'static str {
    match c {
        Changelog::Insert => "insert-only",
        Changelog::Upsert => "upsert",
        Changelog::Retract => "retract",
    }
}

fn columns_json(cols: impl Iterator<Item = (String, String)>) -> serde_json::Value {
    serde_json::Value::Array(
        cols.map(|(n, t)| object([("name", serde_json::Value::String(n)), ("type", serde_json::Value::String(t))]))
            .collect(),
    )
}

/// A JSON object of these fields. Unlike `json!`, which serializes a `Value` it is given into a
/// copy, this moves the values in.
fn object<const N: usize>(fields: [(&str, serde_json::Value); N]) -> serde_json::Value {
    serde_json::Value::Object(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// The pipeline's entry in `manifest.json`.
pub fn lineage(model: &Model, p: &PipelineModel, topics: &[TopicPlan]) -> serde_json::Value {
    use serde_json::{Value, json};
    let platform = &model.platform.doc.spec;
    let sources: Vec<Value> = p
        .doc
        .spec
        .sources
        .iter()
        .zip(&p.sources)
        .map(|(s, info)| {
            let reads = if let Some(k) = &s.kafka {
                json!({"kind": "kafka", "cluster": k.cluster, "topic": k.topic, "format": k.format.as_str()})
            } else if let Some(c) = &s.postgres_cdc {
                json!({"kind": "postgres-cdc", "cluster": c.cluster, "database": c.database, "table": c.table,
                    "slot": pg_object_name("pipec", &p.doc.metadata.name, &s.name)})
            } else if let Some(t) = &s.postgres {
                json!({"kind": "postgres", "cluster": t.cluster, "database": t.database, "table": t.table})
            } else {
                Value::Null
            };
            object([
                ("name", json!(s.name)),
                ("columns", columns_json(info.relation.columns.iter().map(|c| (c.name.clone(), c.ty.to_string())))),
                ("changelog", json!(changelog_name(info.relation.changelog))),
                ("primaryKey", json!(s.primary_key.as_deref().unwrap_or_default())),
                ("reads", reads),
                ("becomes", json!({"kind": "table", "name": s.name})),
            ])
        })
        .collect();
    let transforms: Vec<Value> = p
        .doc
        .spec
        .transforms
        .iter()
        .zip(&p.transforms)
        .enumerate()
        .map(|(i, (t, r))| {
            object([
                ("name", json!(t.name)),
                ("inputs", json!(p.transform_inputs.get(i).map(Vec::as_slice).unwrap_or_default())),
                ("columns", columns_json(r.columns.iter().map(|c| (c.name.clone(), c.ty.to_string())))),
                ("changelog", json!(changelog_name(r.changelog))),
                ("becomes", json!({"kind": "view", "name": t.name})),
            ])
        })
        .collect();
    let sinks: Vec<Value> = p
        .doc
        .spec
        .sinks
        .iter()
        .zip(&p.sinks)
        .map(|(s, info)| {
            let becomes = if let Some(k) = &s.kafka {
                let managed = topics.iter().any(|t| t.topic == k.topic);
                json!({"kind": "kafka", "cluster": k.cluster, "topic": k.topic, "format": k.format.as_str(),
                    "connector": if !info.key.is_empty() && !k.format.is_changelog() { "upsert-kafka" } else { "kafka" },
                    "managedTopic": managed})
            } else if let Some(t) = &s.postgres {
                json!({"kind": "postgres", "cluster": t.cluster, "database": t.database, "table": t.table})
            } else if let Some(i) = &s.iceberg {
                json!({"kind": "iceberg", "catalog": i.catalog, "namespace": i.namespace, "table": i.table,
                    "location": iceberg::location(platform, i), "upsert": i.upsert, "partitionBy": i.partition_by})
            } else {
                Value::Null
            };
            object([
                ("name", json!(s.name)),
                ("inputs", json!(info.inputs)),
                ("columns", columns_json(info.columns.iter().map(|(n, t)| (n.clone(), t.to_string())))),
                ("changelog", json!(changelog_name(info.input.changelog))),
                ("primaryKey", json!(info.key)),
                ("becomes", becomes),
            ])
        })
        .collect();
    object([
        ("sources", Value::Array(sources)),
        ("transforms", Value::Array(transforms)),
        ("sinks", Value::Array(sinks)),
    ])
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
    fn instants() {
        assert_eq!(rfc3339_millis("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(rfc3339_millis("1970-01-01T01:00:00+01:00"), Some(0));
        // Never a panic on text the schema's pattern would refuse.
        assert_eq!(rfc3339_millis("1970-01-01T00:00:00.11éZ"), None);
        assert_eq!(rfc3339_millis("1970-01-01T00:00:00+é"), None);
    }
}
