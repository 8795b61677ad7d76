//! Checks of one pipeline (sources, transforms, sinks) and across pipelines.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{ColumnKind, Model, PipelineModel, Places, PlatformModel, SinkInfo, SourceColumn, SourceInfo};
use super::{rules, unknown};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::SourceMap;
use crate::plan::iceberg_rules as ice;
use crate::source::{FileId, Span, TextOrigin};
use crate::spec::{ConfigValue, KafkaFormat, PipelineDoc, Sink, Source};
use crate::typecheck::{self, Changelog, Column, DataType, Relation, SqlText, TimeAttr, TypeKind};

/// Metadata keys each connector offers, with the type it reads them as.
fn metadata_keys(src: &Source) -> Vec<(&'static str, &'static str)> {
    if let Some(k) = &src.kafka {
        let mut v = vec![
            ("topic", "STRING NOT NULL"),
            ("partition", "INT NOT NULL"),
            ("headers", "MAP<STRING, BYTES> NOT NULL"),
            ("leader-epoch", "INT"),
            ("offset", "BIGINT NOT NULL"),
            ("timestamp", "TIMESTAMP_LTZ(3) NOT NULL"),
            ("timestamp-type", "STRING NOT NULL"),
        ];
        if k.format == KafkaFormat::DebeziumJson {
            v.extend([
                ("value.ingestion-timestamp", "TIMESTAMP_LTZ(3)"),
                ("value.source.timestamp", "TIMESTAMP_LTZ(3)"),
                ("value.source.database", "STRING"),
                ("value.source.schema", "STRING"),
                ("value.source.table", "STRING"),
                ("value.source.properties", "MAP<STRING, STRING>"),
            ]);
        }
        if k.format == KafkaFormat::CanalJson {
            v.extend([
                ("value.database", "STRING"),
                ("value.table", "STRING"),
                ("value.sql-type", "MAP<STRING, INT>"),
                ("value.pk-names", "ARRAY<STRING>"),
                ("value.ingestion-timestamp", "TIMESTAMP_LTZ(3)"),
                ("value.event-timestamp", "TIMESTAMP_LTZ(3)"),
            ]);
        }
        v
    } else if src.postgres_cdc.is_some() {
        vec![
            ("database_name", "STRING NOT NULL"),
            ("schema_name", "STRING NOT NULL"),
            ("table_name", "STRING NOT NULL"),
            ("op_ts", "TIMESTAMP_LTZ(3) NOT NULL"),
            ("row_kind", "STRING NOT NULL"),
        ]
    } else {
        vec![]
    }
}

/// Parses a type string at a pointer, reporting at the exact characters.
fn parse_type(text: &str, map: &SourceMap, ptr: &str, diags: &mut Diagnostics) -> Option<DataType> {
    match DataType::parse(text) {
        Ok(t) => Some(t),
        Err(e) => {
            let span = match map.text(ptr) {
                Some(o) => o.span_of(e.start, e.end.max(e.start + 1).min(text.len().max(e.start))),
                None => map.locate(ptr),
            };
            diags.push(Diagnostic::new(Code::E0105, span, format!("invalid type `{text}`: {}", e.message)).label("not a Flink type").help("write a Flink SQL type such as `BIGINT NOT NULL`, `DECIMAL(10, 2)`, `STRING`, `TIMESTAMP_LTZ(3)`"));
            None
        }
    }
}

fn origin(map: &SourceMap, ptr: &str) -> TextOrigin {
    map.text(ptr).unwrap_or_else(|| TextOrigin::verbatim(map.locate(ptr)))
}

/// Reports a duration Flink or Kafka cannot read, with why (see [`rules::duration_problem`]).
pub(crate) fn check_duration(why: Option<String>, span: crate::source::Span, diags: &mut Diagnostics) {
    if let Some(why) = why {
        diags.push(Diagnostic::new(Code::E0104, span, why).label("too long").help("use a shorter duration"));
    }
}

fn dup_check<'a>(names: impl Iterator<Item = (&'a str, Span)>, what: &str, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for (n, span) in names {
        if let Some(first) = seen.get(n) {
            diags.push(
                Diagnostic::new(Code::E0202, span, format!("`{n}` is declared twice"))
                    .label(format!("a second {what} named `{n}`"))
                    .related(*first, "first declared here")
                    .help("names of sources, transforms and sinks are unique within a pipeline: rename one"),
            );
        } else {
            seen.insert(n, span);
        }
    }
}

pub fn check_pipeline(
    platform: &PlatformModel,
    file: FileId,
    map: SourceMap,
    doc: PipelineDoc,
    diags: &mut Diagnostics,
) -> Option<PipelineModel> {
    let spec = &doc.spec;
    let pspec = &platform.doc.spec;
    let errors_before = diags.error_count();

    // Names are unique across sources, transforms and sinks: all become Flink tables or views.
    dup_check(
        spec.sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), map.locate(&format!("/spec/sources/{i}/name"))))
            .chain(
                spec.transforms
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.name.as_str(), map.locate(&format!("/spec/transforms/{i}/name")))),
            )
            .chain(
                spec.sinks
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.name.as_str(), map.locate(&format!("/spec/sinks/{i}/name")))),
            ),
        "table",
        diags,
    );

    if let Some(d) = &spec.runtime.checkpoint_interval {
        let span = map.locate("/spec/runtime/checkpointInterval");
        check_duration(rules::duration_problem(d), span, diags);
    }

    // Runtime configuration: no owned keys, no credentials.
    for (k, v) in &spec.runtime.flink_configuration {
        let ptr = format!("/spec/runtime/flinkConfiguration/{}", k.replace('~', "~0").replace('/', "~1"));
        let key_span = map.key(&ptr).unwrap_or_else(|| map.locate(&ptr));
        if let Some(span) = credential_span(k, v, &map, &ptr) {
            diags.push(Diagnostic::new(Code::E0601, span, format!("`{k}` holds a credential")).label("a credential in plain text").help("credentials are never written in the YAML: reference a Kubernetes Secret through the platform (credentials, scram, cdcCredentials)"));
        } else if rules::is_owned_flink_key(k) {
            diags.push(Diagnostic::new(Code::E0602, key_span, format!("`{k}` is set by pipec")).label("owned by pipec").help("pipec sets checkpoints, savepoints, state backend, S3, high availability, parallelism and the pipeline name; use `runtime.parallelism`, `runtime.checkpointInterval` or the platform settings"));
        }
    }

    placeholder_rules(pspec.flink.sql_runner.substitutes_env, spec, &map, diags);
    label_rules(&doc.metadata, &map, diags);

    // Sources.
    let kafka_names: Vec<&str> = pspec.kafka.iter().map(|k| k.name.as_str()).collect();
    let pg_names: Vec<&str> = pspec.postgres.iter().map(|k| k.name.as_str()).collect();
    let mut sources = Vec::new();
    let mut failed_sources: BTreeSet<String> = BTreeSet::new();
    for (i, src) in spec.sources.iter().enumerate() {
        let base = format!("/spec/sources/{i}");
        exactly_one(
            [src.kafka.is_some(), src.postgres_cdc.is_some(), src.postgres.is_some()],
            &format!("source `{}`", src.name),
            "connector",
            "`kafka`, `postgresCdc`, `postgres`",
            map.locate(&format!("{base}/name")),
            diags,
        );
        if let Some(k) = &src.kafka {
            if !kafka_names.contains(&k.cluster.as_str()) {
                diags.push(unknown(
                    "kafka cluster",
                    &k.cluster,
                    map.locate(&format!("{base}/kafka/cluster")),
                    &kafka_names,
                ));
            }
            topic_rules(&k.topic, &map, &format!("{base}/kafka/topic"), diags);
            let physical = src.columns.iter().filter(|c| c.metadata.is_none() && c.computed.is_none()).count();
            format_rules(pspec, &k.cluster, k.format, physical, &map, &format!("{base}/kafka/format"), diags);
        }
        for (ptr, cluster, cdc) in [
            (format!("{base}/postgresCdc/cluster"), src.postgres_cdc.as_ref().map(|c| &c.cluster), true),
            (format!("{base}/postgres/cluster"), src.postgres.as_ref().map(|c| &c.cluster), false),
        ] {
            let Some(cluster) = cluster else { continue };
            match pspec.postgres.iter().find(|c| &c.name == cluster) {
                None => diags.push(unknown("postgres cluster", cluster, map.locate(&ptr), &pg_names)),
                Some(c) if cdc && c.cdc_credentials.is_none() => diags.push(Diagnostic::new(Code::E0505, map.locate(&ptr), format!("cluster `{cluster}` declares no `cdcCredentials`")).label("CDC needs a replication role").help("add `cdcCredentials: { secret: ... }` to the cluster in the platform: a role with REPLICATION (CNPG's app role has none)")),
                Some(_) => {}
            }
        }
        if let Some(info) = check_source(src, &map, &base, diags) {
            sources.push(info);
        } else {
            failed_sources.insert(src.name.clone());
            sources.push(SourceInfo { columns: vec![], relation: empty_relation() });
        }
    }

    // Transforms: parse, resolve names, order, type.
    let mut known: BTreeMap<String, usize> = BTreeMap::new(); // name -> index in `all`
    let source_names: Vec<String> = spec.sources.iter().map(|s| s.name.clone()).collect();
    let transform_names: Vec<String> = spec.transforms.iter().map(|t| t.name.clone()).collect();
    for (i, n) in source_names.iter().chain(&transform_names).enumerate() {
        known.entry(n.clone()).or_insert(i);
    }
    let candidates: Vec<&str> = known.keys().map(String::as_str).collect();
    let origins: Vec<TextOrigin> =
        (0..spec.transforms.len()).map(|i| origin(&map, &format!("/spec/transforms/{i}/sql"))).collect();
    let mut parsed = Vec::new();
    let mut inputs: Vec<Vec<String>> = Vec::new();
    for (t, origin) in spec.transforms.iter().zip(&origins) {
        let sql = SqlText { text: &t.sql, origin };
        super::runner::scan(&t.sql, origin, diags);
        let mut q = typecheck::parse_query(&sql, diags);
        let mut ins = Vec::new();
        let mut resolved = true;
        if let Some(query) = &q {
            for (name, span) in query.table_refs() {
                if !known.contains_key(&name) {
                    diags.push(table_unknown(&name, span, &candidates));
                    resolved = false;
                } else if !ins.contains(&name) {
                    ins.push(name);
                }
            }
        }
        if !resolved {
            // Reported here; the type checker would report the same table again.
            q = None;
        }
        inputs.push(ins);
        parsed.push(q);
    }
    let order = topo_order(spec, &inputs, &map, diags);

    let mut relations: BTreeMap<String, Relation> = BTreeMap::new();
    // A source that failed to check is left out, so that what reads it is not checked against
    // a relation without columns.
    for (s, info) in spec.sources.iter().zip(&sources) {
        if !failed_sources.contains(&s.name) {
            relations.insert(s.name.clone(), info.relation.clone());
        }
    }
    let mut transforms: Vec<Option<Relation>> = vec![None; spec.transforms.len()];
    for &i in &order {
        // `order` holds indices of the transforms, as do `parsed`, `inputs` and `origins`.
        let (Some(t), Some(Some(q)), Some(ins), Some(origin)) =
            (spec.transforms.get(i), parsed.get(i), inputs.get(i), origins.get(i))
        else {
            continue;
        };
        if ins.iter().any(|n| !relations.contains_key(n)) {
            continue; // an input failed to check; its error is reported already
        }
        let sql = SqlText { text: &t.sql, origin };
        let scope = |n: &str| relations.get(n).cloned();
        if let Some(mut r) =
            typecheck::check_query(q, &sql, &scope, &candidates, &format!("transform `{}`", t.name), diags)
        {
            if r.changelog != Changelog::Insert && r.updating_cause.is_none() {
                r.updating_cause = Some(format!("transform `{}`", t.name));
            }
            relations.insert(t.name.clone(), r.clone());
            if let Some(slot) = transforms.get_mut(i) {
                *slot = Some(r);
            }
        }
    }

    // Sinks.
    let mut sinks = Vec::new();
    for (i, sink) in spec.sinks.iter().enumerate() {
        let base = format!("/spec/sinks/{i}");
        match check_sink(platform, sink, &base, &map, &relations, &candidates, diags) {
            Some(s) => sinks.push(s),
            None => sinks.push(SinkInfo { input: empty_relation(), columns: vec![], key: vec![], inputs: vec![] }),
        }
    }

    // Unused sources and transforms.
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = sinks.iter().flat_map(|s| s.inputs.clone()).collect();
    while let Some(n) = stack.pop() {
        if used.insert(n.clone()) {
            if let Some(ins) = transform_names.iter().position(|t| t == &n).and_then(|j| inputs.get(j)) {
                stack.extend(ins.iter().cloned());
            }
        }
    }
    for (kind, names) in [("source", &source_names), ("transform", &transform_names)] {
        for (i, n) in names.iter().enumerate() {
            if !used.contains(n) && diags.error_count() == errors_before {
                diags.push(
                    Diagnostic::new(
                        Code::W0202,
                        map.locate(&format!("/spec/{kind}s/{i}/name")),
                        format!("{kind} `{n}` is not read by any sink"),
                    )
                    .label("unused")
                    .help(format!("remove the {kind}, or read it from a sink or transform")),
                );
            }
        }
    }

    if diags.error_count() > errors_before {
        return None;
    }
    Some(PipelineModel {
        file,
        path: String::new(),
        transforms: transforms.into_iter().map(|t| t.unwrap_or(empty_relation())).collect(),
        transform_order: order,
        transform_inputs: inputs,
        sources,
        sinks,
        places: Places::of(&doc, &map),
        doc,
    })
}

/// Where a configuration entry holds a credential, if it does: its key when the key names one,
/// else its value when the value is one.
fn credential_span(key: &str, value: &ConfigValue, map: &SourceMap, ptr: &str) -> Option<Span> {
    if rules::is_credential_key(key) {
        return Some(map.key(ptr).unwrap_or_else(|| map.locate(ptr)));
    }
    match value {
        ConfigValue::String(s) => {
            rules::credential_in_value(s).map(|(start, end)| origin(map, ptr).span_of(start, end))
        }
        _ => None,
    }
}

/// Text pipec writes into the SQL script holds no `${` when the SQL runner substitutes
/// placeholders: it would replace it with a value of the pod's environment.
fn placeholder_rules(substitutes: bool, spec: &crate::spec::PipelineSpec, map: &SourceMap, diags: &mut Diagnostics) {
    if !substitutes {
        return;
    }
    let mut texts: Vec<(String, &str)> = Vec::new();
    for (i, s) in spec.sources.iter().enumerate() {
        for (j, c) in s.columns.iter().enumerate() {
            let cb = format!("/spec/sources/{i}/columns/{j}");
            texts.push((format!("{cb}/name"), &c.name));
            texts.extend(c.ty.as_deref().map(|t| (format!("{cb}/type"), t)));
            texts.extend(c.computed.as_deref().map(|e| (format!("{cb}/computed"), e)));
        }
    }
    for (i, t) in spec.transforms.iter().enumerate() {
        texts.push((format!("/spec/transforms/{i}/sql"), &t.sql));
    }
    for (i, s) in spec.sinks.iter().enumerate() {
        texts.extend(s.sql.as_deref().map(|q| (format!("/spec/sinks/{i}/sql"), q)));
        for (j, c) in s.columns.iter().flatten().enumerate() {
            texts.push((format!("/spec/sinks/{i}/columns/{j}/name"), &c.name));
            texts.push((format!("/spec/sinks/{i}/columns/{j}/type"), &c.ty));
        }
    }
    for (ptr, text) in texts {
        if let Some(at) = rules::placeholder_at(text) {
            diags.push(
                Diagnostic::new(
                    Code::E0603,
                    origin(map, &ptr).span_of(at, at + 2),
                    "the SQL runner would replace `${...}` here with an environment variable of the job",
                )
                .label("`${` in text pipec writes into the SQL script"),
            );
        }
    }
}

/// Labels become Kubernetes labels of every object: keys and values follow Kubernetes' syntax.
fn label_rules(meta: &crate::spec::Metadata, map: &SourceMap, diags: &mut Diagnostics) {
    for (k, v) in &meta.labels {
        let ptr = format!("/metadata/labels/{}", crate::load::escape_segment(k));
        if let Some(why) = rules::label_key_problem(k) {
            diags.push(
                Diagnostic::new(Code::E0204, map.key(&ptr).unwrap_or_else(|| map.locate(&ptr)), format!("invalid label key `{}`", k.escape_debug()))
                    .label(why)
                    .help("a label key is an optional DNS subdomain and `/`, then at most 63 letters, digits, `-`, `_` and `.`"),
            );
        } else if let Some(why) = rules::label_value_problem(v) {
            diags.push(
                Diagnostic::new(Code::E0204, map.locate(&ptr), format!("invalid label value `{}`", v.escape_debug()))
                    .label(why)
                    .help("a label value is at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit"),
            );
        }
    }
}

/// What a Kafka format needs: a schema registry for Avro, a single column for `raw`.
fn format_rules(
    platform: &crate::spec::PlatformSpec,
    cluster: &str,
    format: KafkaFormat,
    physical_columns: usize,
    map: &SourceMap,
    ptr: &str,
    diags: &mut Diagnostics,
) {
    let registry = platform.kafka.iter().find(|k| k.name == cluster).map(|k| k.schema_registry.is_some());
    if format == KafkaFormat::AvroConfluent && registry == Some(false) {
        diags.push(
            Diagnostic::new(
                Code::E0505,
                map.locate(ptr),
                format!("`avro-confluent` needs a schema registry, and cluster `{cluster}` declares none"),
            )
            .label("no schema registry")
            .help(format!("add `schemaRegistry: <url>` to the kafka cluster `{cluster}` in the platform")),
        );
    }
    if format == KafkaFormat::Raw && physical_columns != 1 {
        diags.push(
            Diagnostic::new(
                Code::E0405,
                map.locate(ptr),
                format!("the `raw` format reads and writes one column; this table has {physical_columns}"),
            )
            .label("raw takes exactly one physical column")
            .help("declare one physical column (STRING or BYTES), or use `json`"),
        );
    }
}

/// The relation of something that failed to check: no columns, inserts only.
fn empty_relation() -> Relation {
    Relation {
        columns: vec![],
        changelog: Changelog::Insert,
        unique_key: None,
        updating_cause: None,
        lookup: false,
        row_number: None,
    }
}

/// E0108 unless exactly one of the options is set.
fn exactly_one(set: [bool; 3], owner: &str, what: &str, options: &str, span: Span, diags: &mut Diagnostics) {
    let n = set.iter().filter(|x| **x).count();
    if n != 1 {
        diags.push(
            Diagnostic::new(Code::E0108, span, format!("{owner} names {n} {what}s"))
                .label(format!("needs exactly one {what}"))
                .help(format!("give it exactly one of {options}")),
        );
    }
}

fn table_unknown(name: &str, span: Span, candidates: &[&str]) -> Diagnostic {
    let d = Diagnostic::new(Code::E0302, span, format!("unknown table `{name}`"))
        .label("not a source or transform of this pipeline");
    match crate::diag::did_you_mean(name, candidates.iter().copied()) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d.help(format!(
            "the pipeline declares: {}",
            candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        )),
    }
}

fn topic_rules(topic: &str, map: &SourceMap, ptr: &str, diags: &mut Diagnostics) {
    if let Some(why) = rules::topic_problem(topic) {
        diags.push(
            Diagnostic::new(Code::E0501, map.locate(ptr), format!("invalid topic name `{topic}`"))
                .label(why)
                .help("use letters, digits, `.`, `_` and `-`, at most 249 characters"),
        );
    } else if topic.contains('.') && topic.contains('_') {
        diags.push(
            Diagnostic::new(Code::W0501, map.locate(ptr), format!("topic `{topic}` mixes `.` and `_`"))
                .label("collides in Kafka metric names")
                .help("use one separator, `.` or `_`"),
        );
    }
}

/// Dependency order of transforms; a cycle is reported once with its members.
#[expect(
    clippy::indexing_slicing,
    reason = "every index is a position in `names`, which `deps`, `state` and `inputs` match in length, and a cycle is a non-empty part of the path"
)]
fn topo_order(
    spec: &crate::spec::PipelineSpec,
    inputs: &[Vec<String>],
    map: &SourceMap,
    diags: &mut Diagnostics,
) -> Vec<usize> {
    let names: Vec<&str> = spec.transforms.iter().map(|t| t.name.as_str()).collect();
    let deps: Vec<Vec<usize>> =
        inputs.iter().map(|ins| ins.iter().filter_map(|n| names.iter().position(|t| t == n)).collect()).collect();
    let mut state = vec![0u8; names.len()]; // 0 new, 1 on stack, 2 done
    let mut order = Vec::new();
    let mut reported = false;
    fn visit(
        i: usize,
        deps: &[Vec<usize>],
        state: &mut [u8],
        order: &mut Vec<usize>,
        path: &mut Vec<usize>,
        cycle: &mut Option<Vec<usize>>,
    ) {
        if state[i] == 2 {
            return;
        }
        if state[i] == 1 {
            if cycle.is_none() {
                let start = path.iter().position(|&p| p == i).unwrap_or(0);
                *cycle = Some(path[start..].to_vec());
            }
            return;
        }
        state[i] = 1;
        path.push(i);
        for &d in &deps[i] {
            visit(d, deps, state, order, path, cycle);
        }
        path.pop();
        state[i] = 2;
        order.push(i);
    }
    for i in 0..names.len() {
        let mut cycle = None;
        visit(i, &deps, &mut state, &mut order, &mut Vec::new(), &mut cycle);
        if let (Some(c), false) = (cycle, reported) {
            reported = true;
            let members: Vec<String> = c.iter().map(|&j| format!("`{}`", names[j])).collect();
            let first = c[0];
            let mut d = Diagnostic::new(
                Code::E0203,
                map.locate(&format!("/spec/transforms/{first}/sql")),
                format!("transforms form a cycle: {} -> `{}`", members.join(" -> "), names[first]),
            )
            .label("part of a cycle")
            .help("a transform cannot read itself, directly or through others: break the cycle");
            for &j in c.iter().skip(1) {
                d = d.related(
                    map.locate(&format!("/spec/transforms/{j}/sql")),
                    format!("`{}` is part of the cycle", names[j]),
                );
            }
            diags.push(d);
        }
    }
    order
}

fn check_source(src: &Source, map: &SourceMap, base: &str, diags: &mut Diagnostics) -> Option<SourceInfo> {
    let errors = diags.error_count();
    dup_check(
        src.columns.iter().enumerate().map(|(j, c)| (c.name.as_str(), map.locate(&format!("{base}/columns/{j}/name")))),
        "column",
        diags,
    );
    let key = src.primary_key.clone().unwrap_or_default();
    let meta = metadata_keys(src);
    let mut cols: Vec<SourceColumn> = Vec::new();
    let mut proctime: Vec<String> = Vec::new();
    for (j, c) in src.columns.iter().enumerate() {
        let cb = format!("{base}/columns/{j}");
        if let Some(why) = rules::column_name_problem(&c.name) {
            diags.push(
                Diagnostic::new(
                    Code::E0204,
                    map.locate(&format!("{cb}/name")),
                    format!("invalid column name `{}`", c.name.escape_debug()),
                )
                .label(why)
                .help("rename the column"),
            );
            continue;
        }
        match (&c.ty, &c.computed, &c.metadata) {
            (Some(_), Some(_), _) | (None, Some(_), Some(_)) => {
                diags.push(
                    Diagnostic::new(
                        Code::E0107,
                        map.locate(&format!("{cb}/computed")),
                        format!("column `{}` is both computed and declared", c.name),
                    )
                    .label("computed columns take no `type` or `metadata`")
                    .help("remove `computed`, or remove `type` and `metadata`"),
                );
            }
            (None, None, _) => {
                diags.push(
                    Diagnostic::new(
                        Code::E0102,
                        map.locate(&format!("{cb}/name")),
                        format!("column `{}` has no `type`", c.name),
                    )
                    .label("missing type")
                    .help("add `type:` (a Flink SQL type), or `computed:` with an expression"),
                );
            }
            (Some(t), None, m) => {
                let Some(mut ty) = parse_type(t, map, &format!("{cb}/type"), diags) else { continue };
                if let Some((field, why)) = rules::type_name_problem(&ty) {
                    let ptr = format!("{cb}/type");
                    let span = match (t.find(&field), map.text(&ptr)) {
                        (Some(at), Some(o)) => o.span_of(at, at + field.len()),
                        _ => map.locate(&ptr),
                    };
                    diags.push(
                        Diagnostic::new(
                            Code::E0204,
                            span,
                            format!("invalid ROW field name `{}`", field.escape_debug()),
                        )
                        .label(why)
                        .help("rename the field"),
                    );
                }
                if key.contains(&c.name) {
                    ty.nullable = false;
                }
                let kind = match m {
                    None => ColumnKind::Physical,
                    Some(k) => {
                        if !meta.iter().any(|(mk, _)| mk == k) {
                            let keys: Vec<&str> = meta.iter().map(|m| m.0).collect();
                            let help = match crate::diag::did_you_mean(k, keys.iter().copied()) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None if keys.is_empty() => "this connector offers no metadata".to_string(),
                                None => format!("this connector offers: {}", keys.join(", ")),
                            };
                            diags.push(
                                Diagnostic::new(
                                    Code::E0313,
                                    map.locate(&format!("{cb}/metadata")),
                                    format!("unknown metadata key `{k}`"),
                                )
                                .label("not offered by the connector")
                                .help(help),
                            );
                        }
                        ColumnKind::Metadata { key: k.clone() }
                    }
                };
                cols.push(SourceColumn { name: c.name.clone(), ty, kind });
            }
            (None, Some(expr), None) => {
                let o = origin(map, &format!("{cb}/computed"));
                super::runner::scan(expr, &o, diags);
                if let Some((start, end)) = super::runner::trailing_line_comment(expr) {
                    diags.push(
                        Diagnostic::new(
                            Code::E0311,
                            o.span_of(start, end),
                            format!("the expression of computed column `{}` ends in a line comment", c.name),
                        )
                        .label("would swallow the rest of the column list")
                        .help("remove the comment: pipec writes the expression inside CREATE TABLE, where a line comment hides the `,` or `)` after it"),
                    );
                }
                let scope: Vec<Column> = cols
                    .iter()
                    .map(|c| Column { name: c.name.clone(), ty: c.ty.clone(), time: None, window: None })
                    .collect();
                if let Some(col) = typecheck::check_expr(&SqlText { text: expr, origin: &o }, &scope, diags) {
                    cols.push(SourceColumn {
                        name: c.name.clone(),
                        ty: col.ty,
                        kind: ColumnKind::Computed { expr: expr.trim().to_string() },
                    });
                    if col.time == Some(TimeAttr::Proctime) {
                        proctime.push(c.name.clone());
                    }
                }
            }
        }
    }
    for (j, k) in key.iter().enumerate() {
        match cols.iter().find(|c| &c.name == k) {
            None => diags.push(unknown(
                "column",
                k,
                map.locate(&format!("{base}/primaryKey/{j}")),
                &cols.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            )),
            Some(c) if c.kind != ColumnKind::Physical => diags.push(
                Diagnostic::new(
                    Code::E0404,
                    map.locate(&format!("{base}/primaryKey/{j}")),
                    format!("key column `{k}` is not a physical column"),
                )
                .label("metadata and computed columns cannot be keys")
                .help("key the source on physical columns"),
            ),
            Some(_) => {}
        }
    }
    let mut rowtime = None;
    if let Some(w) = &src.watermark {
        match cols.iter().find(|c| c.name == w.column) {
            None => diags.push(unknown("column", &w.column, map.locate(&format!("{base}/watermark/column")), &cols.iter().map(|c| c.name.as_str()).collect::<Vec<_>>())),
            Some(c) => match c.ty.kind {
                TypeKind::Timestamp(p) | TypeKind::TimestampLtz(p) if p <= 3 => rowtime = Some(c.name.clone()),
                _ => diags.push(Diagnostic::new(Code::E0312, map.locate(&format!("{base}/watermark/column")), format!("watermark column `{}` is {}", c.name, c.ty)).label("not a TIMESTAMP(p) or TIMESTAMP_LTZ(p) with p <= 3").help("use a TIMESTAMP(3) or TIMESTAMP_LTZ(3) column, or declare one: `computed: TO_TIMESTAMP_LTZ(epoch_ms, 3)`")),
            },
        }
    }
    if diags.error_count() > errors {
        return None;
    }
    // The source stays usable with a delay that is too long: later queries check as usual.
    if let Some(w) = &src.watermark {
        let span = map.locate(&format!("{base}/watermark/delay"));
        check_duration(rules::watermark_delay_problem(&w.delay), span, diags);
    }
    let columns: Vec<Column> = cols
        .iter()
        .map(|c| {
            let time = if Some(&c.name) == rowtime.as_ref() {
                Some(TimeAttr::Rowtime)
            } else if proctime.contains(&c.name) {
                Some(TimeAttr::Proctime)
            } else {
                None
            };
            Column { name: c.name.clone(), ty: c.ty.clone(), time, window: None }
        })
        .collect();
    let (changelog, cause) = if let Some(k) = &src.kafka {
        if k.format.is_changelog() {
            // With a primary key Flink drops the update-before rows nothing downstream needs.
            let mode = if key.is_empty() { Changelog::Retract } else { Changelog::Upsert };
            (mode, Some(format!("the {} source `{}`", k.format.as_str(), src.name)))
        } else if !key.is_empty() {
            (Changelog::Upsert, Some(format!("the upsert-kafka source `{}`", src.name)))
        } else {
            (Changelog::Insert, None)
        }
    } else if src.postgres_cdc.is_some() {
        let mode = if key.is_empty() { Changelog::Retract } else { Changelog::Upsert };
        (mode, Some(format!("the CDC source `{}`", src.name)))
    } else {
        (Changelog::Insert, None)
    };
    Some(SourceInfo {
        columns: cols,
        relation: Relation {
            columns,
            changelog,
            unique_key: (!key.is_empty()).then_some(key),
            updating_cause: cause,
            lookup: src.postgres.is_some(),
            row_number: None,
        },
    })
}

/// Whether Flink can write a value of `from` into a column of `to` (an implicit widening).
fn assignable(from: &DataType, to: &DataType) -> bool {
    use TypeKind::*;
    if from.kind == to.kind {
        return true;
    }
    let int_rank = |k: &TypeKind| match k {
        TinyInt => Some(1),
        SmallInt => Some(2),
        Int => Some(3),
        BigInt => Some(4),
        _ => None,
    };
    match (&from.kind, &to.kind) {
        (a, b) if int_rank(a).is_some() && int_rank(b).is_some() => int_rank(a) <= int_rank(b),
        (a, Decimal(p, s)) if int_rank(a).is_some() => {
            let digits = match a {
                TinyInt => 3,
                SmallInt => 5,
                Int => 10,
                _ => 19,
            };
            i32::from(*p) - i32::from(*s) >= digits
        }
        (Decimal(p1, s1), Decimal(p2, s2)) => {
            s2 >= s1 && i32::from(*p2) - i32::from(*s2) >= i32::from(*p1) - i32::from(*s1)
        }
        (a, Double) if int_rank(a).is_some() || matches!(a, Float | Decimal(..)) => true,
        (a, Float) if int_rank(a).is_some() => true,
        (Char(_) | VarChar(_), VarChar(n)) => match &from.kind {
            Char(m) | VarChar(m) => m <= n,
            _ => false,
        },
        (Timestamp(_), Timestamp(_)) | (TimestampLtz(_), TimestampLtz(_)) => true,
        (Binary(_) | VarBinary(_), VarBinary(_)) => true,
        _ => false,
    }
}

#[allow(clippy::too_many_arguments)]
fn check_sink(
    platform: &PlatformModel,
    sink: &Sink,
    base: &str,
    map: &SourceMap,
    relations: &BTreeMap<String, Relation>,
    candidates: &[&str],
    diags: &mut Diagnostics,
) -> Option<SinkInfo> {
    let pspec = &platform.doc.spec;
    let errors = diags.error_count();
    exactly_one(
        [sink.kafka.is_some(), sink.postgres.is_some(), sink.iceberg.is_some()],
        &format!("sink `{}`", sink.name),
        "target",
        "`kafka`, `postgres`, `iceberg`",
        map.locate(&format!("{base}/name")),
        diags,
    );
    // The input.
    let (input, inputs) = match (&sink.from, &sink.sql) {
        (Some(f), None) => match relations.get(f) {
            Some(r) => (Some(r.clone()), vec![f.clone()]),
            None => {
                if !candidates.contains(&f.as_str()) {
                    diags.push(unknown("source or transform", f, map.locate(&format!("{base}/from")), candidates));
                }
                (None, vec![])
            }
        },
        (None, Some(sql)) => {
            let o = origin(map, &format!("{base}/sql"));
            let text = SqlText { text: sql, origin: &o };
            super::runner::scan(sql, &o, diags);
            let mut ins = Vec::new();
            let r = typecheck::parse_query(&text, diags).and_then(|q| {
                let mut ok = true;
                for (name, span) in q.table_refs() {
                    if !candidates.contains(&name.as_str()) {
                        diags.push(table_unknown(&name, span, candidates));
                        ok = false;
                    } else if !relations.contains_key(&name) {
                        ok = false;
                    } else if !ins.contains(&name) {
                        ins.push(name);
                    }
                }
                if !ok {
                    return None;
                }
                let scope = |n: &str| relations.get(n).cloned();
                let mut r =
                    typecheck::check_query(&q, &text, &scope, candidates, &format!("sink `{}`", sink.name), diags)?;
                if r.changelog != Changelog::Insert && r.updating_cause.is_none() {
                    r.updating_cause = Some(format!("the query of sink `{}`", sink.name));
                }
                Some(r)
            });
            (r, ins)
        }
        _ => {
            diags.push(
                Diagnostic::new(
                    Code::E0108,
                    map.locate(&format!("{base}/name")),
                    format!("sink `{}` needs exactly one of `from` and `sql`", sink.name),
                )
                .label("no single input")
                .help("write `from: <source or transform>` or `sql: SELECT ...`"),
            );
            (None, vec![])
        }
    };
    let input = input?;

    // The sink's columns: the contract, or the input's.
    let mut columns: Vec<(String, DataType)> = Vec::new();
    if let Some(contract) = &sink.columns {
        dup_check(
            contract
                .iter()
                .enumerate()
                .map(|(j, c)| (c.name.as_str(), map.locate(&format!("{base}/columns/{j}/name")))),
            "column",
            diags,
        );
        for (j, c) in contract.iter().enumerate() {
            let cb = format!("{base}/columns/{j}");
            let Some(ty) = parse_type(&c.ty, map, &format!("{cb}/type"), diags) else { continue };
            match input.columns.iter().find(|ic| ic.name == c.name) {
                None => diags.push(
                    Diagnostic::new(
                        Code::E0402,
                        map.locate(&format!("{cb}/name")),
                        format!("the query produces no column `{}`", c.name),
                    )
                    .label("missing in the query")
                    .help(format!(
                        "the query produces: {}",
                        input.columns.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ")
                    )),
                ),
                Some(ic) if !assignable(&ic.ty, &ty) => diags.push(
                    Diagnostic::new(
                        Code::E0402,
                        map.locate(&format!("{cb}/type")),
                        format!("column `{}` is {} in the query, which Flink cannot write into {}", c.name, ic.ty, ty),
                    )
                    .label("type does not fit")
                    .help("CAST the column in the query, or change the contract"),
                ),
                Some(ic) if ic.ty.nullable && !ty.nullable => diags.push(
                    Diagnostic::new(
                        Code::E0402,
                        map.locate(&format!("{cb}/type")),
                        format!("column `{}` is nullable in the query but NOT NULL in the contract", c.name),
                    )
                    .label("may be null")
                    .help("make it NOT NULL in the query (COALESCE), or drop NOT NULL from the contract"),
                ),
                Some(_) => {}
            }
            columns.push((c.name.clone(), ty));
        }
        for ic in &input.columns {
            if !contract.iter().any(|c| c.name == ic.name) {
                diags.push(
                    Diagnostic::new(
                        Code::E0402,
                        map.locate(&format!("{base}/columns")),
                        format!("the query produces `{}`, which the contract lacks", ic.name),
                    )
                    .label("extra column")
                    .help(format!("add `{}` to `columns:` or drop it from the query", ic.name)),
                );
            }
        }
    } else {
        columns = input.columns.iter().map(|c| (c.name.clone(), c.ty.clone())).collect();
    }
    for (name, ty) in &columns {
        if let Some(why) = rules::column_name_problem(name) {
            diags.push(
                Diagnostic::new(
                    Code::E0204,
                    column_span(sink, name, base, map),
                    format!("column `{}` cannot be written", name.escape_debug()),
                )
                .label(why)
                .help("rename the column with AS in the query"),
            );
        } else if let Some((_, why)) = rules::type_name_problem(ty) {
            diags.push(
                Diagnostic::new(
                    Code::E0204,
                    column_span(sink, name, base, map),
                    format!("column `{}` is {ty}, which cannot be written", name.escape_debug()),
                )
                .label(why)
                .help("CAST the column to a ROW type with other field names"),
            );
        }
    }

    // The key.
    let key = sink.primary_key.clone().unwrap_or_default();
    for (j, k) in key.iter().enumerate() {
        let ptr = format!("{base}/primaryKey/{j}");
        match columns.iter_mut().find(|c| &c.0 == k) {
            None => diags.push(unknown(
                "column",
                k,
                map.locate(&ptr),
                &columns.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            )),
            Some(c) => {
                if k.contains(';') && sink.kafka.as_ref().is_some_and(|kafka| kafka.format.is_changelog()) {
                    diags.push(
                        Diagnostic::new(Code::E0204, map.locate(&ptr), format!("`{k}` cannot be a key column of this Kafka sink"))
                            .label("holds `;`")
                            .help("the connector's `key.fields` option separates columns with `;`: rename the column with AS in the query"),
                    );
                }
                if input.columns.iter().any(|ic| &ic.name == k && ic.ty.nullable) {
                    diags.push(Diagnostic::new(Code::E0403, map.locate(&ptr), format!("key column `{k}` may be null in the query")).label("nullable key column").help("the sink's not-null enforcer would fail the job at the first null: make the column NOT NULL in the query, e.g. COALESCE(col, <default>), or key on NOT NULL columns"));
                }
                c.1.nullable = false;
                if matches!(c.1.kind, TypeKind::Float | TypeKind::Double) && sink.iceberg.is_some() {
                    diags.push(
                        Diagnostic::new(Code::E0404, map.locate(&ptr), format!("key column `{k}` is {}", c.1))
                            .label("Iceberg identifier fields cannot be FLOAT or DOUBLE")
                            .help("key on an integer, string, date or decimal column"),
                    );
                }
            }
        }
    }
    if input.changelog != Changelog::Insert && !key.is_empty() {
        if let Some(uk) = &input.unique_key {
            if !uk.iter().all(|k| key.contains(k)) {
                diags.push(
                    Diagnostic::new(
                        Code::E0408,
                        map.locate(&format!("{base}/primaryKey")),
                        format!(
                            "the key ({}) does not hold the input's unique key ({})",
                            key.join(", "),
                            uk.join(", ")
                        ),
                    )
                    .label("rows of one key would overwrite each other")
                    .help(format!(
                        "key the sink on ({}), the key of {}",
                        uk.join(", "),
                        input.updating_cause.clone().unwrap_or_else(|| "its input".to_string())
                    )),
                );
            }
        }
    }
    let updating = input.changelog != Changelog::Insert;
    let cause = input.updating_cause.clone().unwrap_or_else(|| "its input".to_string());
    let append_only = |what: &str, fix: &str, diags: &mut Diagnostics| {
        diags.push(
            Diagnostic::new(
                Code::E0401,
                map.locate(&format!("{base}/name")),
                format!("sink `{}` takes inserts only, but its input is updated by {cause}", sink.name),
            )
            .label(format!("{what} is append-only"))
            .help(fix.to_string()),
        );
    };

    // The target.
    if let Some(k) = &sink.kafka {
        let kafka_names: Vec<&str> = pspec.kafka.iter().map(|k| k.name.as_str()).collect();
        if !kafka_names.contains(&k.cluster.as_str()) {
            diags.push(unknown(
                "kafka cluster",
                &k.cluster,
                map.locate(&format!("{base}/kafka/cluster")),
                &kafka_names,
            ));
        }
        topic_rules(&k.topic, map, &format!("{base}/kafka/topic"), diags);
        format_rules(pspec, &k.cluster, k.format, columns.len(), map, &format!("{base}/kafka/format"), diags);
        if updating && key.is_empty() && !k.format.is_changelog() {
            append_only(
                "a Kafka sink with a plain format and no key",
                "declare `primaryKey` (the sink becomes upsert-kafka on a compacted topic), use a changelog format such as `debezium-json`, or make the input append-only",
                diags,
            );
        }
        if let Some(m) = &k.manage {
            if let Some(r) = &m.retention {
                let span = map.locate(&format!("{base}/kafka/manage/retention"));
                check_duration(rules::duration_problem(r), span, diags);
            }
            for (key, value) in &m.config {
                let ptr = format!("{base}/kafka/manage/config/{}", crate::load::escape_segment(key));
                if let Some(span) = credential_span(key, value, map, &ptr) {
                    diags.push(
                        Diagnostic::new(Code::E0601, span, format!("`{key}` holds a credential"))
                            .label("a credential in plain text")
                            .help("topic configuration holds no credentials"),
                    );
                }
            }
            if !key.is_empty()
                && !k.format.is_changelog()
                && m.cleanup_policy == Some(crate::spec::CleanupPolicy::Delete)
            {
                diags.push(Diagnostic::new(Code::E0404, map.locate(&format!("{base}/kafka/manage/cleanupPolicy")), "an upsert topic with `cleanupPolicy: delete` loses the latest value of keys once retention passes").label("should be compacted").help("use `cleanupPolicy: compact` for an upsert-kafka sink"));
            }
        }
    } else if let Some(t) = &sink.postgres {
        let pg_names: Vec<&str> = pspec.postgres.iter().map(|k| k.name.as_str()).collect();
        if !pg_names.contains(&t.cluster.as_str()) {
            diags.push(unknown(
                "postgres cluster",
                &t.cluster,
                map.locate(&format!("{base}/postgres/cluster")),
                &pg_names,
            ));
        }
        for part in t.table.split('.') {
            if let Some(why) = rules::pg_name_problem(part) {
                diags.push(
                    Diagnostic::new(
                        Code::E0204,
                        map.locate(&format!("{base}/postgres/table")),
                        format!("invalid Postgres table name `{}`", t.table),
                    )
                    .label(why)
                    .help("use lower-case, non-reserved names"),
                );
            }
        }
        for (n, ty) in &columns {
            if let Some(why) = rules::pg_name_problem(n) {
                diags.push(
                    Diagnostic::new(
                        Code::E0204,
                        column_span(sink, n, base, map),
                        format!("column `{n}` cannot be a Postgres column"),
                    )
                    .label(why)
                    .help("rename it with AS in the query (lower case, not reserved)"),
                );
            }
            if crate::plan::pg_type(ty).is_none() {
                diags.push(
                    Diagnostic::new(
                        Code::E0405,
                        column_span(sink, n, base, map),
                        format!("column `{n}` is {ty}, which the JDBC connector cannot write to Postgres"),
                    )
                    .label("type not supported by Postgres")
                    .help("CAST it to a supported type (STRING for MAP, ROW and MULTISET; TIMESTAMP(6) at most)"),
                );
            }
        }
        if updating && key.is_empty() {
            append_only(
                "a Postgres sink without a key",
                "declare `primaryKey` (the sink upserts with INSERT ... ON CONFLICT), or make the input append-only",
                diags,
            );
        }
    } else if let Some(ice_sink) = &sink.iceberg {
        let names: Vec<&str> = pspec.iceberg.iter().map(|c| c.name.as_str()).collect();
        if !names.contains(&ice_sink.catalog.as_str()) {
            diags.push(unknown(
                "iceberg catalog",
                &ice_sink.catalog,
                map.locate(&format!("{base}/iceberg/catalog")),
                &names,
            ));
        }
        for (n, ty) in &columns {
            if ice::iceberg_type(ty, &mut 0).is_none() {
                diags.push(
                    Diagnostic::new(
                        Code::E0405,
                        column_span(sink, n, base, map),
                        format!("column `{n}` is {ty}, which Iceberg cannot store"),
                    )
                    .label("type not supported by Iceberg")
                    .help(
                        "CAST it: Iceberg stores timestamps up to microseconds (TIMESTAMP(6)) and no INTERVAL or RAW",
                    ),
                );
            }
        }
        for (j, entry) in ice_sink.partition_by.iter().enumerate() {
            let ptr = format!("{base}/iceberg/partitionBy/{j}");
            match ice::parse_partition(entry) {
                Err(why) => diags.push(Diagnostic::new(Code::E0406, map.locate(&ptr), format!("invalid partition `{entry}`")).label(why).help(if entry.contains('(') && !entry.contains(')') { "in a flow sequence `[...]` a comma splits items: quote the entry, as in `\"bucket(16, id)\"`, or use a block sequence" } else { "write a column, or year(c), month(c), day(c), hour(c), bucket(N, c), truncate(W, c)" })),
                Ok(pf) => match columns.iter().find(|c| c.0 == pf.column) {
                    None => diags.push(unknown("column", &pf.column, map.locate(&ptr), &columns.iter().map(|c| c.0.as_str()).collect::<Vec<_>>())),
                    Some((_, ty)) if !ice::transform_fits(&pf.transform, ty) => diags.push(Diagnostic::new(Code::E0406, map.locate(&ptr), format!("`{}` does not apply to `{}`, which is {ty}", pf.transform, pf.column)).label("transform does not fit the type").help("day/month/year apply to dates and timestamps, hour to timestamps, bucket to integers, decimals, strings, dates and timestamps, truncate to integers, decimals and strings")),
                    Some(_) => {
                        if !key.is_empty() && !key.contains(&pf.column) {
                            diags.push(Diagnostic::new(Code::E0404, map.locate(&ptr), format!("partition source column `{}` is not in the key ({})", pf.column, key.join(", "))).label("the key must hold every partition source column").help(format!("add `{}` to `primaryKey`; Iceberg's equality deletes and upserts are scoped to a partition", pf.column)));
                        }
                    }
                },
            }
        }
        if ice_sink.upsert && key.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::E0407,
                    map.locate(&format!("{base}/iceberg/upsert")),
                    "`upsert: true` needs a primary key",
                )
                .label("no key to upsert on")
                .help("declare `primaryKey` on the sink"),
            );
        }
        if updating && key.is_empty() {
            append_only(
                "an Iceberg sink without a key",
                "declare `primaryKey` (updates become equality deletes, or upserts with `upsert: true`), or make the input append-only; without a key Iceberg stores every change as a new row",
                diags,
            );
        }
        for (k, v) in &ice_sink.properties {
            let ptr = format!("{base}/iceberg/properties/{}", crate::load::escape_segment(k));
            if let Some(span) = credential_span(k, &ConfigValue::String(v.clone()), map, &ptr) {
                diags.push(
                    Diagnostic::new(Code::E0601, span, format!("`{k}` holds a credential"))
                        .label("a credential in plain text")
                        .help("table properties hold no credentials"),
                );
            }
        }
    }
    if diags.error_count() > errors {
        return None;
    }
    Some(SinkInfo { input, columns, key, inputs })
}

fn column_span(sink: &Sink, name: &str, base: &str, map: &SourceMap) -> Span {
    if let Some(j) = sink.columns.as_ref().and_then(|c| c.iter().position(|c| c.name == name)) {
        return map.locate(&format!("{base}/columns/{j}/name"));
    }
    if sink.sql.is_some() {
        if let (Some(o), Some(sql)) = (map.text(&format!("{base}/sql")), &sink.sql) {
            if let Some(at) = sql.find(name) {
                return o.span_of(at, at + name.len());
            }
        }
        return map.locate(&format!("{base}/sql"));
    }
    map.locate(&format!("{base}/from"))
}

/// Rules across pipelines: one writer per topic and table; topics nobody produces.
pub fn check_across(model: &Model, diags: &mut Diagnostics) {
    let mut writers: BTreeMap<String, Span> = BTreeMap::new();
    let mut produced: BTreeSet<(String, String)> = BTreeSet::new();
    for p in &model.pipelines {
        for (s, place) in p.doc.spec.sinks.iter().zip(&p.places.sinks) {
            let target = if let Some(k) = &s.kafka {
                produced.insert((k.cluster.clone(), k.topic.clone()));
                format!("Kafka topic `{}` on `{}`", k.topic, k.cluster)
            } else if let Some(t) = &s.postgres {
                format!("Postgres table `{}` in `{}` on `{}`", t.table, t.database, t.cluster)
            } else if let Some(t) = &s.iceberg {
                format!("Iceberg table `{}.{}` in `{}`", t.namespace, t.table, t.catalog)
            } else {
                continue;
            };
            let span = place.target;
            if let Some(first) = writers.get(&target) {
                diags.push(
                    Diagnostic::new(Code::E0205, span, format!("{target} is written by two sinks"))
                        .label("second writer")
                        .related(*first, "first writer")
                        .help(
                            "write each topic or table from one sink; merge the queries with UNION ALL if both feed it",
                        ),
                );
            } else {
                writers.insert(target, span);
            }
        }
    }
    for p in &model.pipelines {
        for (s, place) in p.doc.spec.sources.iter().zip(&p.places.sources) {
            let Some(k) = &s.kafka else { continue };
            if !produced.contains(&(k.cluster.clone(), k.topic.clone())) {
                diags.push(
                    Diagnostic::new(
                        Code::W0201,
                        place.topic,
                        format!("no pipeline in this repository writes topic `{}`", k.topic),
                    )
                    .label("produced elsewhere?")
                    .help("fine if Debezium or an application produces it; pipec cannot check its schema"),
                );
            }
        }
    }
}
