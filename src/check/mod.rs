//! Check: from loaded documents to the checked [`Model`].
//!
//! The typed spec is read from each document, then every reference is resolved (clusters,
//! catalogs, `from`, table names in SQL), names are checked, transforms are ordered (a cycle is
//! an error naming its members), SQL is type-checked, and each sink's input is held against
//! its target's rules. Problems are pushed as diagnostics and checking goes on, so one run
//! reports as much as it can.

pub mod model;
mod pipeline;
pub mod rules;
mod runner;

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::load::{Document, Kind};
use crate::source::{Sources, Span};
use crate::spec::{PipelineDoc, PlatformDoc};

pub use model::Model;

/// Deserialize a schema-valid document into its type. A failure here means the schema and the
/// model disagree, which is pipec's bug; it is still reported at the document.
fn typed<T: serde::de::DeserializeOwned>(doc: &Document, diags: &mut Diagnostics) -> Option<T> {
    match serde_json::from_value::<T>(doc.value.clone()) {
        Ok(t) => Some(t),
        Err(e) => {
            diags.push(
                Diagnostic::new(Code::E0103, doc.map.locate(""), format!("the document does not fit the model: {e}"))
                    .help("this is a pipec bug if the document passed the schema; please report it"),
            );
            None
        }
    }
}

/// A name reference that resolves against `candidates`, reported with a suggestion if not.
pub fn unknown(what: &str, name: &str, span: Span, candidates: &[&str]) -> Diagnostic {
    let d =
        Diagnostic::new(Code::E0201, span, format!("unknown {what} `{name}`")).label(format!("no {what} of this name"));
    match did_you_mean(name, candidates.iter().copied()) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None if candidates.is_empty() => d.help(format!("declare a {what} first")),
        None => {
            d.help(format!("declared: {}", candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")))
        }
    }
}

/// Check every document; `None` when there is nothing to plan (no platform or fatal errors).
pub fn check(docs: Vec<Document>, sources: &Sources, diags: &mut Diagnostics) -> Option<Model> {
    let mut platforms = Vec::new();
    let mut pipelines = Vec::new();
    for d in docs {
        match d.kind {
            Kind::Platform => platforms.push(d),
            Kind::Pipeline => pipelines.push(d),
        }
    }
    if platforms.is_empty() {
        if let Some(first) = pipelines.first() {
            diags.push(
                Diagnostic::new(Code::E0006, first.map.locate("/kind"), "no `kind: Platform` document was found")
                    .label("this pipeline needs a platform")
                    .help("add a platform.yaml with `kind: Platform` that declares the clusters and buckets"),
            );
        }
        return None;
    }
    for extra in platforms.iter().skip(1) {
        diags.push(
            Diagnostic::new(Code::E0007, extra.map.locate("/kind"), "a second `kind: Platform` document")
                .label("second platform")
                .related(platforms[0].map.locate("/kind"), "the first platform")
                .help("keep exactly one platform document"),
        );
    }
    let pdoc = platforms.swap_remove(0);
    let platform_doc: PlatformDoc = typed(&pdoc, diags)?;
    let platform = model::PlatformModel {
        file: pdoc.file,
        path: sources.get(pdoc.file).path.clone(),
        doc: platform_doc,
        map: pdoc.map,
    };
    check_platform(&platform, diags);

    let mut out = Vec::new();
    let mut names: BTreeMap<String, Span> = BTreeMap::new();
    for d in pipelines {
        let Some(doc) = typed::<PipelineDoc>(&d, diags) else { continue };
        let span = d.map.locate("/metadata/name");
        if let Some(first) = names.get(&doc.metadata.name) {
            diags.push(
                Diagnostic::new(Code::E0202, span, format!("a second pipeline named `{}`", doc.metadata.name))
                    .label("duplicate pipeline name")
                    .related(*first, "the first pipeline of this name")
                    .help("pipeline names become FlinkDeployment names and output folders: rename one"),
            );
            continue;
        }
        names.insert(doc.metadata.name.clone(), span);
        let path = sources.get(d.file).path.clone();
        if let Some(mut p) = pipeline::check_pipeline(&platform, d, doc, diags) {
            p.path = path;
            out.push(p);
        }
    }
    out.sort_by(|a, b| a.doc.metadata.name.cmp(&b.doc.metadata.name));
    let model = Model { platform, pipelines: out };
    pipeline::check_across(&model, diags);
    Some(model)
}

fn check_platform(p: &model::PlatformModel, diags: &mut Diagnostics) {
    let spec = &p.doc.spec;
    let _ = crate::plan::targets(p, diags);
    let interval = &spec.flink.defaults.checkpoint_interval;
    let span = p.map.locate("/spec/flink/defaults/checkpointInterval");
    pipeline::check_duration(rules::duration_problem(interval), span, diags);
    let store = &spec.object_storage;
    for (ptr, b) in [
        ("/spec/objectStorage/buckets/checkpoints", &store.buckets.checkpoints),
        ("/spec/objectStorage/buckets/savepoints", &store.buckets.savepoints),
    ] {
        if let Some(why) = rules::bucket_problem(b) {
            diags.push(
                Diagnostic::new(Code::E0502, p.map.locate(ptr), format!("invalid bucket name `{b}`"))
                    .label(why)
                    .help("use 3 to 63 lower-case letters, digits and `-`, such as `flink-checkpoints`"),
            );
        }
    }
    let mut seen: BTreeMap<(&str, &str), Span> = BTreeMap::new();
    let groups: [(&str, Vec<&str>); 3] = [
        ("kafka", spec.kafka.iter().map(|k| k.name.as_str()).collect()),
        ("postgres", spec.postgres.iter().map(|k| k.name.as_str()).collect()),
        ("iceberg", spec.iceberg.iter().map(|k| k.name.as_str()).collect()),
    ];
    for (group, names) in &groups {
        for (i, n) in names.iter().enumerate() {
            let span = p.map.locate(&format!("/spec/{group}/{i}/name"));
            if let Some(first) = seen.insert((group, n), span) {
                diags.push(
                    Diagnostic::new(Code::E0202, span, format!("a second {group} cluster named `{n}`"))
                        .related(first, "the first one")
                        .help("rename one of them"),
                );
            }
        }
    }
    let pg_names: Vec<&str> = spec.postgres.iter().map(|c| c.name.as_str()).collect();
    for (i, c) in spec.iceberg.iter().enumerate() {
        let base = format!("/spec/iceberg/{i}");
        match c.catalog_type {
            crate::spec::CatalogType::Jdbc => match &c.catalog_database {
                None => diags.push(
                    Diagnostic::new(
                        Code::E0505,
                        p.map.locate(&format!("{base}/catalogType")),
                        format!("the JDBC catalog `{}` has no `catalogDatabase`", c.name),
                    )
                    .label("needs a catalog database")
                    .help("add `catalogDatabase: { postgres: <cluster>, database: <db> }`"),
                ),
                Some(db) if !pg_names.contains(&db.postgres.as_str()) => diags.push(unknown(
                    "postgres cluster",
                    &db.postgres,
                    p.map.locate(&format!("{base}/catalogDatabase/postgres")),
                    &pg_names,
                )),
                Some(_) => {}
            },
            crate::spec::CatalogType::Rest | crate::spec::CatalogType::Hive if c.uri.is_none() => diags.push(
                Diagnostic::new(
                    Code::E0505,
                    p.map.locate(&format!("{base}/catalogType")),
                    format!("the catalog `{}` needs a `uri`", c.name),
                )
                .label("no uri")
                .help("add `uri:` with the catalog's address"),
            ),
            _ => {}
        }
        if let Some(b) = crate::plan::names_bucket_of(&c.warehouse) {
            if let Some(why) = rules::bucket_problem(b) {
                diags.push(
                    Diagnostic::new(
                        Code::E0502,
                        p.map.locate(&format!("{base}/warehouse")),
                        format!("invalid bucket name `{b}`"),
                    )
                    .label(why)
                    .help("use 3 to 63 lower-case letters, digits and `-`"),
                );
            }
        }
    }
}
