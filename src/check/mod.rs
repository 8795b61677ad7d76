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
use crate::load::{Document, Kind, SourceMap};
use crate::par;
use crate::source::{FileId, Sources, Span};
use crate::spec::{PipelineDoc, PlatformDoc};

pub use model::Model;

/// A document read into its type, without its parsed value: what [`check`] works on.
pub struct Read {
    pub file: FileId,
    pub kind: Kind,
    pub map: SourceMap,
    /// The typed document, or the diagnostic to report if `check` reaches it.
    doc: Result<TypedDoc, Box<Diagnostic>>,
}

enum TypedDoc {
    Platform(Box<PlatformDoc>),
    Pipeline(Box<PipelineDoc>),
}

/// Reads a schema-valid document into its type; its parsed value is dropped. This runs right
/// after validation, on the thread that loaded the document.
pub fn read(doc: Document) -> Read {
    let typed = match doc.kind {
        Kind::Platform => typed::<PlatformDoc>(&doc).map(|d| TypedDoc::Platform(Box::new(d))),
        Kind::Pipeline => typed::<PipelineDoc>(&doc).map(|d| TypedDoc::Pipeline(Box::new(d))),
    };
    Read { file: doc.file, kind: doc.kind, map: doc.map, doc: typed }
}

/// Deserialize a schema-valid document into its type. A failure here means the schema and the
/// model disagree, which is pipec's bug; it is still reported at the document.
fn typed<T: serde::de::DeserializeOwned>(doc: &Document) -> Result<T, Box<Diagnostic>> {
    T::deserialize(&doc.value).map_err(|e| {
        Box::new(
            Diagnostic::new(Code::E0103, doc.map.locate(""), format!("the document does not fit the model: {e}"))
                .help("this is a pipec bug if the document passed the schema; please report it"),
        )
    })
}

/// The typed platform, reporting a typing failure.
fn into_platform(doc: Result<TypedDoc, Box<Diagnostic>>, diags: &mut Diagnostics) -> Option<PlatformDoc> {
    match doc {
        Ok(TypedDoc::Platform(d)) => Some(*d),
        Ok(TypedDoc::Pipeline(_)) => None,
        Err(d) => {
            diags.push(*d);
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

/// Whether a file's bytes may hold a `kind: Platform` document: only one that spells
/// `Platform` or hides it in an escape (`\x50latform`). Files that cannot are pipelines (or not
/// pipec's), so they can be checked as soon as they are read once the platform is known.
pub fn may_hold_platform(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"Platform").is_some() || memchr::memchr(b'\\', bytes).is_some()
}

/// What the platform documents of a repository give.
pub enum Platform {
    /// There is none.
    Missing,
    /// The first one does not fit the model (reported).
    Unusable,
    /// The first one, checked.
    Found(Box<model::PlatformModel>),
}

/// A pipeline on its way to the model: read, or checked already (see [`pipeline`]).
pub enum Pending {
    Read(Read),
    Checked(Box<Checked>),
}

impl Pending {
    fn file(&self) -> FileId {
        match self {
            Pending::Read(r) => r.file,
            Pending::Checked(c) => c.file,
        }
    }
}

/// One pipeline checked against the platform, with its own diagnostics.
pub struct Checked {
    file: FileId,
    /// Its name and the name's span, for the repository-wide name rule; the typing failure
    /// when the document does not fit the model.
    name: Result<(String, Span), Box<Diagnostic>>,
    model: Option<model::PipelineModel>,
    diags: Diagnostics,
}

/// Takes the platform documents out of `docs`: the first is the platform, typed and checked;
/// any other is reported.
pub fn platform(docs: &mut Vec<Read>, sources: &Sources, diags: &mut Diagnostics) -> Platform {
    let (mut platforms, pipelines): (Vec<Read>, Vec<Read>) =
        std::mem::take(docs).into_iter().partition(|d| d.kind == Kind::Platform);
    *docs = pipelines;
    if platforms.is_empty() {
        return Platform::Missing;
    }
    if let Some((first, extras)) = platforms.split_first() {
        for extra in extras {
            diags.push(
                Diagnostic::new(Code::E0007, extra.map.locate("/kind"), "a second `kind: Platform` document")
                    .label("second platform")
                    .related(first.map.locate("/kind"), "the first platform")
                    .help("keep exactly one platform document"),
            );
        }
    }
    let Read { file, map, doc, .. } = platforms.swap_remove(0);
    let Some(doc) = into_platform(doc, diags) else { return Platform::Unusable };
    let platform = model::PlatformModel { file, path: sources.get(file).path.clone(), doc, map };
    check_platform(&platform, diags);
    Platform::Found(Box::new(platform))
}

/// Checks one pipeline against the platform. Its source map is dropped: the model keeps the
/// few places later stages report at.
pub fn pipeline(platform: &model::PlatformModel, read: Read) -> Checked {
    let Read { file, map, doc, .. } = read;
    let mut diags = Diagnostics::default();
    let doc = match doc {
        Ok(TypedDoc::Pipeline(doc)) => *doc,
        Ok(TypedDoc::Platform(_)) => {
            // Not a pipeline: [`finish`] reports a platform document found this late.
            let d = Diagnostic::new(Code::E0007, map.locate("/kind"), "a second `kind: Platform` document")
                .label("second platform")
                .related(platform.map.locate("/kind"), "the first platform")
                .help("keep exactly one platform document");
            return Checked { file, name: Err(Box::new(d)), model: None, diags };
        }
        Err(d) => return Checked { file, name: Err(d), model: None, diags },
    };
    let name = (doc.metadata.name.clone(), map.locate("/metadata/name"));
    let model = pipeline::check_pipeline(platform, file, map, doc, &mut diags);
    Checked { file, name: Ok(name), model, diags }
}

/// Check every document; `None` when there is nothing to plan (no platform or fatal errors).
pub fn check(mut docs: Vec<Read>, sources: &Sources, diags: &mut Diagnostics) -> Option<Model> {
    let platform = platform(&mut docs, sources, diags);
    let pending = match &platform {
        // Pipelines are checked on every core; their diagnostics are kept in document order.
        Platform::Found(p) => par::map(docs, |d| Pending::Checked(Box::new(pipeline(p, d)))),
        _ => docs.into_iter().map(Pending::Read).collect(),
    };
    finish(platform, pending, sources, diags)
}

/// The repository-wide rules over checked pipelines, and the model.
pub fn finish(
    platform: Platform,
    mut pipelines: Vec<Pending>,
    sources: &Sources,
    diags: &mut Diagnostics,
) -> Option<Model> {
    pipelines.sort_by_key(Pending::file);
    let platform = match platform {
        Platform::Found(p) => *p,
        Platform::Unusable => return None,
        Platform::Missing => {
            let first = pipelines.iter().find_map(|p| match p {
                Pending::Read(r) => Some(r),
                Pending::Checked(_) => None,
            });
            if let Some(first) = first {
                diags.push(
                    Diagnostic::new(Code::E0006, first.map.locate("/kind"), "no `kind: Platform` document was found")
                        .label("this pipeline needs a platform")
                        .help("add a platform.yaml with `kind: Platform` that declares the clusters and buckets"),
                );
            }
            return None;
        }
    };
    let mut out = Vec::new();
    let mut names: BTreeMap<String, Span> = BTreeMap::new();
    for p in pipelines {
        let c = match p {
            Pending::Checked(c) => *c,
            Pending::Read(r) => pipeline(&platform, r),
        };
        let (name, span) = match c.name {
            Ok(n) => n,
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        // The first pipeline of a name is kept; a later one is reported, and what checking it
        // found is dropped.
        if let Some(first) = names.get(&name) {
            diags.push(
                Diagnostic::new(Code::E0202, span, format!("a second pipeline named `{name}`"))
                    .label("duplicate pipeline name")
                    .related(*first, "the first pipeline of this name")
                    .help("pipeline names become FlinkDeployment names and output folders: rename one"),
            );
            continue;
        }
        names.insert(name, span);
        diags.extend(c.diags.into_vec());
        if let Some(mut model) = c.model {
            model.path = sources.get(c.file).path.clone();
            out.push(model);
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
    // Addresses carry no credentials: the platform names Secrets for them.
    let mut urls: Vec<(String, &str)> = vec![
        ("/spec/flink/sqlRunner/jar".to_string(), &spec.flink.sql_runner.jar),
        ("/spec/objectStorage/endpoint".to_string(), &store.endpoint),
    ];
    for (i, k) in spec.kafka.iter().enumerate() {
        urls.extend(k.schema_registry.as_deref().map(|u| (format!("/spec/kafka/{i}/schemaRegistry"), u)));
    }
    for (i, c) in spec.iceberg.iter().enumerate() {
        urls.extend(c.uri.as_deref().map(|u| (format!("/spec/iceberg/{i}/uri"), u)));
    }
    for (ptr, url) in urls {
        if let Some((start, end)) = rules::credential_in_value(url) {
            let span = match p.map.text(&ptr) {
                Some(origin) => origin.span_of(start, end),
                None => p.map.locate(&ptr),
            };
            diags.push(
                Diagnostic::new(Code::E0601, span, "this address holds a credential")
                    .label("a credential in plain text")
                    .help("remove the user and password from the address; credentials are Kubernetes Secrets that the platform names"),
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
