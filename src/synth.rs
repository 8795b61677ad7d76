//! Synthetic pipeline repositories for benchmarks and scale tests (`pipec dev generate`).
//!
//! [`repository`] writes one platform and any number of realistic, valid pipelines, as a
//! function of the count and a seed only: the same arguments give the same bytes. Each pipeline
//! belongs to a business domain and has 2 to 5 sources (Kafka event streams with watermarks,
//! Postgres CDC tables, sometimes a JDBC lookup table), 1 to 4 transforms (regular, lookup and
//! interval joins, window and group aggregates, unions) and 1 to 3 sinks (Kafka, Postgres,
//! Iceberg). Names, topics and tables carry the pipeline's number, so the repository-wide
//! rules hold at any size.
//!
//! Every pipeline republishes its events on a topic of its own, and the event sources of a
//! pipeline read the topics of other pipelines of its domain (or of its neighbours), with the
//! producer's columns: every topic read has a producer, so checking reports nothing. A
//! repository of one pipeline has no other producer; its event source reads a topic that pipec
//! warns about, as it would for a topic Debezium or an application writes.

#![allow(
    clippy::indexing_slicing,
    reason = "the generator indexes its own tables with indices it takes modulo their lengths; no input reaches it but a count and a seed"
)]

use std::fmt::Write as _;

/// A business domain: the vocabulary of its pipelines.
struct Domain {
    /// Kubernetes-safe and SQL-safe name: namespace, database, topic prefix, owner team.
    name: &'static str,
    /// What an event is about (singular, SQL identifier).
    entity: &'static str,
    /// Dimension tables, singular; events carry the ids of the first two.
    dims: [&'static str; 3],
    /// A categorical attribute of events.
    attr: &'static str,
    /// A decimal measure of events.
    metric: &'static str,
}

#[rustfmt::skip]
const DOMAINS: &[Domain] = &[
    Domain { name: "sales", entity: "order", dims: ["customer", "product", "store"], attr: "channel", metric: "amount" },
    Domain { name: "logistics", entity: "shipment", dims: ["warehouse", "carrier", "route"], attr: "status", metric: "weight_kg" },
    Domain { name: "web", entity: "visit", dims: ["page", "campaign", "device"], attr: "referrer", metric: "duration_s" },
    Domain { name: "finance", entity: "payment", dims: ["account", "merchant", "branch"], attr: "pay_method", metric: "settled" },
    Domain { name: "crm", entity: "interaction", dims: ["customer", "agent", "segment"], attr: "channel", metric: "score" },
    Domain { name: "inventory", entity: "movement", dims: ["item", "warehouse", "supplier"], attr: "reason", metric: "unit_cost" },
    Domain { name: "marketing", entity: "impression", dims: ["campaign", "creative", "audience"], attr: "placement", metric: "cost" },
    Domain { name: "support", entity: "ticket", dims: ["customer", "agent", "product"], attr: "priority", metric: "handle_time" },
    Domain { name: "iot", entity: "reading", dims: ["sensor", "site", "gateway"], attr: "unit", metric: "measurement" },
    Domain { name: "billing", entity: "invoice", dims: ["account", "plan", "region"], attr: "currency", metric: "total_due" },
    Domain { name: "fraud", entity: "alert", dims: ["account", "device", "merchant"], attr: "rule_name", metric: "risk" },
    Domain { name: "ads", entity: "click", dims: ["advertiser", "campaign", "publisher"], attr: "placement", metric: "bid" },
    Domain { name: "search", entity: "query", dims: ["shopper", "store", "category"], attr: "locale", metric: "latency_ms" },
    Domain { name: "payroll", entity: "payslip", dims: ["employee", "department", "site"], attr: "grade", metric: "gross" },
    Domain { name: "catalog", entity: "price_change", dims: ["product", "brand", "category"], attr: "origin", metric: "price" },
    Domain { name: "energy", entity: "meter_read", dims: ["meter", "site", "tariff"], attr: "phase", metric: "kwh" },
];

/// splitmix64: small, fast and good enough to pick shapes; no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The domain of pipeline `i`: a function of the seed and `i` only.
fn domain_of(seed: u64, i: usize) -> usize {
    Rng::new(seed, i as u64 * 2 + 1).below(DOMAINS.len())
}

/// The columns of the events topic pipeline `i` writes, which its readers declare.
fn event_columns(d: &Domain) -> Vec<(String, &'static str)> {
    vec![
        ("event_id".to_string(), "STRING NOT NULL"),
        (format!("{}_id", d.dims[0]), "BIGINT"),
        (format!("{}_id", d.dims[1]), "BIGINT"),
        (d.attr.to_string(), "STRING"),
        (d.metric.to_string(), "\"DECIMAL(12, 2)\""),
        ("quantity".to_string(), "INT"),
        ("occurred_at".to_string(), "TIMESTAMP(3) NOT NULL"),
    ]
}

fn pipeline_name(d: &Domain, i: usize) -> String {
    format!("{}-{}-{i}", d.name, d.entity.replace('_', "-"))
}

fn events_topic(d: &Domain, i: usize) -> String {
    format!("{}.{}-events-{i}", d.name, d.entity.replace('_', "-"))
}

/// The files of a repository of `pipelines` pipelines: `platform.yaml` and one file per
/// pipeline under a folder per domain, as (relative path, text), sorted by path.
pub fn repository(pipelines: usize, seed: u64) -> Vec<(String, String)> {
    let domains: Vec<usize> = (0..pipelines).map(|i| domain_of(seed, i)).collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); DOMAINS.len()];
    for (i, d) in domains.iter().enumerate() {
        members[*d].push(i);
    }
    let mut files = vec![("platform.yaml".to_string(), PLATFORM.to_string())];
    for i in 0..pipelines {
        let d = &DOMAINS[domains[i]];
        let producers = producers_of(i, &domains, &members);
        let text = pipeline(seed, i, d, &producers, &domains);
        files.push((format!("{}/{}.yaml", d.name, pipeline_name(d, i)), text));
    }
    files.sort();
    files
}

/// The pipelines whose events topics pipeline `i` reads: the previous two of its domain (in a
/// ring), else its neighbours in the repository; empty when it is alone.
fn producers_of(i: usize, domains: &[usize], members: &[Vec<usize>]) -> Vec<usize> {
    let n = domains.len();
    let mine = &members[domains[i]];
    let at = mine.iter().position(|&m| m == i).unwrap_or(0);
    let ring: Vec<usize> = if mine.len() >= 2 {
        (1..mine.len()).map(|k| mine[(at + mine.len() - k) % mine.len()]).collect()
    } else {
        (1..n).map(|k| (i + n - k) % n).collect()
    };
    ring.into_iter().take(2).collect()
}

const PLATFORM: &str = r#"# yaml-language-server: $schema=../schemas/platform.schema.json
apiVersion: pipec/v1alpha1
kind: Platform
metadata: { name: synthetic }
spec:
  namespace: data-platform
  flink:
    version: "1.20"
    image: harbor.example.com/platform/flink-sql:1.20
    sqlRunner:
      jar: local:///opt/flink/usrlib/sql-runner.jar
      substitutesEnv: true
    serviceAccount: flink
    highAvailability: true
    defaults: { parallelism: 2, checkpointInterval: 60s, upgradeMode: savepoint }
  objectStorage:
    endpoint: http://seaweedfs.storage.svc:8333
    pathStyleAccess: true
    region: us-east-1
    credentials: { secret: seaweedfs-s3, accessKeyKey: access-key, secretKeyKey: secret-key }
    buckets: { checkpoints: flink-checkpoints, savepoints: flink-savepoints }
    seaweedfs: { cluster: seaweedfs, namespace: storage, identity: flink }
  kafka:
    - name: main
      strimziCluster: strimzi
      namespace: kafka
      bootstrapServers: strimzi-kafka-bootstrap.kafka.svc:9093
      tls: { caSecret: strimzi-cluster-ca-cert }
      scram: { secret: pipelines-kafka-user }
  postgres:
    - name: platform-postgres
      namespace: databases
      credentials: { secret: platform-postgres-app }
      cdcCredentials: { secret: platform-postgres-cdc }
      psqlImage: ghcr.io/cloudnative-pg/postgresql:17
  iceberg:
    - name: lake
      catalogType: jdbc
      catalogDatabase: { postgres: platform-postgres, database: iceberg_catalog }
      warehouse: s3://iceberg-warehouse/
      tableProvisioner: { image: harbor.example.com/platform/iceberg-tables:1 }
  versions:
    flinkOperator: "1.15"
    strimzi: "1.2"
    cnpg: "1.30"
    seaweedfsOperator: "1.0"
"#;

/// What a pipeline computes besides republishing its events.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Feature {
    /// Events joined with CDC dimensions, aggregated by region into Postgres.
    Region,
    /// Events joined with CDC dimensions, as a changelog topic.
    Changelog,
    /// Tumbling or hopping window aggregates into Iceberg.
    Window,
    /// A lookup join with a JDBC table into Iceberg.
    Lookup,
    /// An interval join of two event streams into Kafka.
    Interval,
}

/// An event source as the pipeline declares it.
struct EventSource {
    name: String,
    producer: usize,
    columns: Vec<(String, &'static str)>,
}

impl EventSource {
    fn col(&self, k: usize) -> &str {
        &self.columns[k].0
    }
}

/// One pipeline's YAML.
fn pipeline(seed: u64, i: usize, d: &Domain, producers: &[usize], domains: &[usize]) -> String {
    let mut rng = Rng::new(seed, i as u64 * 2 + 2);
    let name = pipeline_name(d, i);

    // What it computes: 0 to 2 features besides the events sink, so 1 to 3 sinks.
    let mut features = Vec::new();
    let extra = match rng.below(100) {
        0..15 => 0,
        15..60 => 1,
        _ => 2,
    };
    // Weighted: joins with aggregates are the most common shape.
    let mut pool = vec![
        (Feature::Region, 30),
        (Feature::Window, 25),
        (Feature::Changelog, 15),
        (Feature::Lookup, 15),
        (Feature::Interval, 15),
    ];
    while features.len() < extra {
        let total: usize = pool.iter().map(|(_, w)| w).sum();
        let mut at = rng.below(total);
        let k = pool
            .iter()
            .position(|(_, w)| {
                at < *w || {
                    at -= w;
                    false
                }
            })
            .unwrap_or(0);
        features.push(pool.remove(k).0);
    }
    let has = |f: Feature| features.contains(&f);
    let needs_dims = has(Feature::Region) || has(Feature::Changelog);
    let mut n_events = if has(Feature::Interval) || rng.chance(35) { 2 } else { 1 };
    if n_events == 1 && !needs_dims && !has(Feature::Lookup) {
        // At least two sources: merge a second stream.
        n_events = 2;
    }
    let n_events = n_events.min(producers.len().max(1));

    // Event sources, with the columns their producers write.
    let mut events: Vec<EventSource> = Vec::new();
    for k in 0..n_events {
        let (producer, pd) = match producers.get(k) {
            Some(&p) => (p, &DOMAINS[domains[p]]),
            // Alone in the repository: a topic written outside it.
            None => (usize::MAX, d),
        };
        let mut source_name = format!("{}_events", pd.entity);
        if events.iter().any(|e| e.name == source_name) {
            source_name.push_str("_replay");
        }
        events.push(EventSource { name: source_name, producer, columns: event_columns(pd) });
    }
    let lookup_proc_time = has(Feature::Lookup);

    let mut y = String::with_capacity(4096);
    let _ = writeln!(y, "# yaml-language-server: $schema=../../schemas/pipeline.schema.json");
    let _ = writeln!(y, "apiVersion: pipec/v1alpha1\nkind: Pipeline\nmetadata:\n  name: {name}");
    let _ = writeln!(y, "  owner: team-{}", d.name);
    let _ = writeln!(
        y,
        "  description: {} events of the {} domain, enriched and aggregated (pipeline {i}).",
        cap(d.entity),
        d.name
    );
    if rng.chance(30) {
        let _ =
            writeln!(y, "  labels: {{ tier: {}, cost-center: cc-{} }}", rng.pick(&["gold", "silver"]), 100 + i % 50);
    }
    let _ = writeln!(y, "spec:");
    if rng.chance(50) {
        let _ = writeln!(y, "  namespace: {}", d.name);
    }
    let _ = writeln!(y, "  sources:");
    for (k, e) in events.iter().enumerate() {
        let topic = if e.producer == usize::MAX {
            format!("{}.{}-events-external", d.name, d.entity.replace('_', "-"))
        } else {
            events_topic(&DOMAINS[domains[e.producer]], e.producer)
        };
        let _ = writeln!(y, "    - name: {}", e.name);
        let _ = writeln!(y, "      kafka:\n        cluster: main\n        topic: {topic}\n        format: json");
        match rng.below(4) {
            0 => {
                let _ = writeln!(y, "        startup: latest-offset");
            }
            1 => {
                let _ = writeln!(y, "        startup: earliest-offset");
            }
            2 => {
                let _ = writeln!(y, "        groupId: {name}-{k}");
            }
            _ => {}
        }
        let _ = writeln!(y, "      columns:");
        for (c, t) in &e.columns {
            let _ = writeln!(y, "        - {{ name: {c}, type: {t} }}");
        }
        if k == 0 && rng.chance(40) {
            let _ = writeln!(y, "        - {{ name: kafka_offset, type: BIGINT NOT NULL, metadata: offset }}");
        }
        if k == 0 && lookup_proc_time {
            let _ = writeln!(y, "        - {{ name: proc_time, computed: PROCTIME() }}");
        }
        let delay = rng.pick(&["5s", "10s", "30s", "1m"]);
        let _ = writeln!(y, "      watermark: {{ column: occurred_at, delay: {delay} }}");
    }
    // CDC dimensions, joined on the ids the first event source carries.
    let n_dims = if needs_dims { 1 + rng.below(2) } else { 0 };
    let first = &events[0];
    let dim_names: Vec<&str> = (0..n_dims).map(|k| first.col(1 + k).trim_end_matches("_id")).collect();
    for dim in &dim_names {
        let _ = writeln!(y, "    - name: {dim}s");
        let _ = writeln!(
            y,
            "      postgresCdc: {{ cluster: platform-postgres, database: {}, table: public.{dim}s }}",
            d.name
        );
        let _ = writeln!(y, "      columns:");
        let _ = writeln!(y, "        - {{ name: id, type: BIGINT NOT NULL }}");
        let _ = writeln!(y, "        - {{ name: display_name, type: STRING }}");
        let _ = writeln!(y, "        - {{ name: region, type: STRING }}");
        let _ = writeln!(y, "        - {{ name: tier, type: \"VARCHAR(16)\" }}");
        let _ = writeln!(y, "        - {{ name: updated_at, type: TIMESTAMP(3) }}");
        let _ = writeln!(y, "      primaryKey: [id]");
    }
    // A JDBC table for the lookup join, on the second id.
    let lookup_dim = first.col(2).trim_end_matches("_id").to_string();
    if has(Feature::Lookup) {
        let _ = writeln!(y, "    - name: {lookup_dim}_directory");
        let _ = writeln!(
            y,
            "      postgres: {{ cluster: platform-postgres, database: {}, table: public.{lookup_dim}_directory }}",
            d.name
        );
        let _ = writeln!(y, "      columns:");
        let _ = writeln!(y, "        - {{ name: id, type: BIGINT NOT NULL }}");
        let _ = writeln!(y, "        - {{ name: label, type: STRING }}");
        let _ = writeln!(y, "        - {{ name: active, type: BOOLEAN }}");
        let _ = writeln!(y, "      primaryKey: [id]");
    }

    // Transforms and sinks.
    let entity = d.entity;
    let mut transforms = String::new();
    let mut sinks = String::new();
    let enriched = format!("{entity}_enriched");
    if needs_dims {
        let e = first;
        let mut sql = format!(
            "SELECT e.event_id, e.{k0} AS {d0}_id, d0.display_name AS {d0}_name,\n               COALESCE(d0.region, 'unknown') AS region,",
            k0 = e.col(1),
            d0 = dim_names[0]
        );
        if n_dims > 1 {
            let _ = write!(sql, " d1.tier AS {}_tier,", dim_names[1]);
        }
        let _ = write!(
            sql,
            "\n               e.{attr} AS {my_attr}, e.{metric} AS {my_metric}, e.quantity, e.occurred_at\n        FROM {src} AS e\n        LEFT JOIN {d0}s AS d0 ON e.{k0} = d0.id",
            attr = e.col(3),
            my_attr = d.attr,
            metric = e.col(4),
            my_metric = d.metric,
            src = e.name,
            d0 = dim_names[0],
            k0 = e.col(1)
        );
        if n_dims > 1 {
            let _ = write!(sql, "\n        LEFT JOIN {d1}s AS d1 ON e.{k1} = d1.id", d1 = dim_names[1], k1 = e.col(2));
        }
        transform(&mut transforms, &enriched, &sql);
    }
    if has(Feature::Region) {
        let by_region = format!("{entity}_by_region");
        transform(
            &mut transforms,
            &by_region,
            &format!(
                "SELECT region,\n               COUNT(*) AS events,\n               SUM({m}) AS total_{m},\n               SUM(CAST(quantity AS BIGINT)) AS total_quantity,\n               MAX(occurred_at) AS last_seen_at\n        FROM {enriched}\n        GROUP BY region",
                m = d.metric
            ),
        );
        let _ = write!(
            sinks,
            "    - name: {by_region}_pg\n      from: {by_region}\n      postgres: {{ cluster: platform-postgres, database: analytics, table: public.{entity}_by_region_{i} }}\n      primaryKey: [region]\n"
        );
    }
    if has(Feature::Changelog) {
        let _ = write!(
            sinks,
            "    - name: {enriched}_changelog\n      from: {enriched}\n      kafka:\n        cluster: main\n        topic: {}.{}-enriched-{i}\n        format: debezium-json\n        manage: {{ partitions: {}, replicas: 3, retention: 7d }}\n",
            d.name,
            entity.replace('_', "-"),
            rng.pick(&[3, 6, 12])
        );
    }
    if has(Feature::Window) {
        let e = &events[events.len() - 1];
        let per = format!("{entity}_per_window");
        let window = if rng.chance(50) {
            format!("TUMBLE(TABLE {}, DESCRIPTOR(occurred_at), INTERVAL '{}' MINUTES)", e.name, rng.pick(&[1, 5, 15]))
        } else {
            format!("HOP(TABLE {}, DESCRIPTOR(occurred_at), INTERVAL '1' MINUTES, INTERVAL '10' MINUTES)", e.name)
        };
        transform(
            &mut transforms,
            &per,
            &format!(
                "SELECT window_start, window_end, {attr} AS {my_attr},\n               COUNT(*) AS events,\n               SUM({metric}) AS total_{my_metric},\n               AVG({metric}) AS avg_{my_metric},\n               COUNT(DISTINCT {k0}) AS distinct_{my_d0}s\n        FROM TABLE({window})\n        GROUP BY window_start, window_end, {attr}",
                attr = e.col(3),
                my_attr = d.attr,
                metric = e.col(4),
                my_metric = d.metric,
                k0 = e.col(1),
                my_d0 = d.dims[0],
            ),
        );
        let _ = write!(
            sinks,
            "    - name: {per}_lake\n      from: {per}\n      iceberg:\n        catalog: lake\n        namespace: {}\n        table: {entity}_per_window_{i}\n        partitionBy: [day(window_start)]\n",
            d.name
        );
        if rng.chance(50) {
            let _ = writeln!(sinks, "        properties: {{ write.parquet.compression-codec: zstd }}");
        }
    }
    if has(Feature::Lookup) {
        let e = first;
        let labelled = format!("{entity}_labelled");
        transform(
            &mut transforms,
            &labelled,
            &format!(
                "SELECT e.event_id, e.{k} AS {ld}_id, l.label AS {ld}_label, e.{metric} AS {my_metric}, e.occurred_at\n        FROM {src} AS e\n        JOIN {ld}_directory FOR SYSTEM_TIME AS OF e.proc_time AS l ON e.{k} = l.id\n        WHERE l.active IS TRUE",
                k = e.col(2),
                ld = lookup_dim,
                metric = e.col(4),
                my_metric = d.metric,
                src = e.name,
            ),
        );
        let _ = write!(
            sinks,
            "    - name: {labelled}_lake\n      from: {labelled}\n      iceberg:\n        catalog: lake\n        namespace: {}\n        table: {entity}_labelled_{i}\n        partitionBy: [day(occurred_at), \"bucket(8, event_id)\"]\n",
            d.name
        );
    }
    if has(Feature::Interval) && events.len() > 1 {
        let (a, b) = (&events[0], &events[1]);
        let matched = format!("{entity}_matches");
        transform(
            &mut transforms,
            &matched,
            &format!(
                "SELECT a.event_id, b.event_id AS matched_event_id, a.{ka} AS {my_d0}_id,\n               a.{ma} - b.{mb} AS {my_metric}_delta, a.occurred_at\n        FROM {an} AS a\n        JOIN {bn} AS b\n          ON a.{ka} = b.{kb}\n         AND b.occurred_at BETWEEN a.occurred_at - INTERVAL '10' MINUTE AND a.occurred_at + INTERVAL '10' MINUTE",
                ka = a.col(1),
                kb = b.col(1),
                ma = a.col(4),
                mb = b.col(4),
                an = a.name,
                bn = b.name,
                my_d0 = d.dims[0],
                my_metric = d.metric,
            ),
        );
        let _ = write!(
            sinks,
            "    - name: {matched}_out\n      from: {matched}\n      kafka:\n        cluster: main\n        topic: {}.{}-matches-{i}\n        format: json\n        manage: {{ partitions: 6, replicas: 3, retention: 3d }}\n",
            d.name,
            entity.replace('_', "-")
        );
    }

    // The events sink: the first stream (and the second unless a feature reads it),
    // renamed to this domain's columns, through a cleaning transform when there is none yet.
    let mine = event_columns(d);
    let select_of = |e: &EventSource| {
        let items: Vec<String> = (0..mine.len())
            .map(
                |k| if e.col(k) == mine[k].0 { e.col(k).to_string() } else { format!("{} AS {}", e.col(k), mine[k].0) },
            )
            .collect();
        format!("SELECT {}\n        FROM {}\n        WHERE quantity > 0", items.join(", "), e.name)
    };
    let mut events_sql = select_of(first);
    let second_unused = events.len() > 1 && !(has(Feature::Interval) || has(Feature::Window));
    if second_unused {
        let _ = write!(events_sql, "\n        UNION ALL\n        {}", select_of(&events[1]));
    }
    let through_transform = transforms.is_empty() || rng.chance(30);
    let events_sink = format!("{entity}_events_out");
    if through_transform {
        let clean = format!("{entity}_events_clean");
        transform(&mut transforms, &clean, &events_sql);
        let _ = write!(sinks, "    - name: {events_sink}\n      from: {clean}\n");
    } else {
        let _ = write!(sinks, "    - name: {events_sink}\n      sql: |\n        {events_sql}\n");
    }
    let _ = write!(
        sinks,
        "      kafka:\n        cluster: main\n        topic: {}\n        format: json\n        manage: {{ partitions: {}, replicas: 3, retention: 7d }}\n",
        events_topic(d, i),
        rng.pick(&[6, 12, 24])
    );

    if !transforms.is_empty() {
        let _ = writeln!(y, "  transforms:");
        y.push_str(&transforms);
    }
    let _ = writeln!(y, "  sinks:");
    y.push_str(&sinks);
    let _ = writeln!(y, "  runtime:");
    let _ = writeln!(y, "    parallelism: {}", rng.pick(&[1, 2, 4, 8]));
    let _ = writeln!(y, "    upgradeMode: {}", rng.pick(&["savepoint", "last-state"]));
    if rng.chance(50) {
        let _ = writeln!(
            y,
            "    taskManager: {{ cpu: {}, memory: {}m, slots: 2 }}",
            rng.pick(&[1, 2]),
            rng.pick(&[2048, 4096])
        );
    }
    if rng.chance(40) {
        let _ = writeln!(y, "    flinkConfiguration: {{ table.exec.state.ttl: {} }}", rng.pick(&["1h", "1d", "7d"]));
    }
    y
}

/// Appends a transform with its SQL as a literal block.
fn transform(out: &mut String, name: &str, sql: &str) {
    let _ = write!(out, "    - name: {name}\n      sql: |\n        {sql}\n");
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>().replace('_', " "),
        None => String::new(),
    }
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
    fn same_seed_same_bytes_other_seed_other_bytes() {
        assert_eq!(repository(20, 7), repository(20, 7));
        assert_ne!(repository(20, 7), repository(20, 8));
    }

    #[test]
    fn one_platform_and_one_file_per_pipeline() {
        let files = repository(30, 1);
        assert_eq!(files.len(), 31);
        assert_eq!(files.iter().filter(|(_, t)| t.contains("kind: Platform")).count(), 1);
    }
}
