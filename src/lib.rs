//! pipec compiles a folder of streaming pipeline YAML into deployable artefacts.
//!
//! The stages run in one direction, each in its own module:
//!
//! 1. [`load`] reads the folder (the only module besides [`write`] that touches the file
//!    system), parses YAML and builds the source map from JSON pointers to byte spans.
//! 2. [`schema`] validates each document against the JSON Schema generated from [`spec`],
//!    reporting every structural error at its line.
//! 3. [`check`] reads the typed [`spec`], resolves every name, orders transforms, and
//!    type-checks SQL through [`typecheck`], producing the checked [`check::Model`].
//! 4. [`plan`] makes every decision about the output.
//! 5. [`emit`] renders the plan into files (templates and Kubernetes objects).
//! 6. [`write`] puts the files in place atomically, or compares them for `--check`.
//!
//! Every stage reports into one [`diag::Diagnostics`]; nothing is written when there is an error.

pub mod check;
pub mod diag;
pub mod emit;
pub mod graph;
pub mod load;
pub mod par;
pub mod plan;
pub mod schema;
pub mod source;
pub mod spec;
pub mod synth;
pub mod typecheck;
pub mod write;

use diag::Diagnostics;
use source::Sources;

/// The result of compiling a folder.
pub struct Compiled {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    /// The checked model, when checking got that far without errors.
    pub model: Option<check::Model>,
    /// The files to write; `None` when there are errors (or nothing to compile).
    pub output: Option<write::Output>,
}

/// Stops after checking: what `pipec check` needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    AfterCheck,
    AfterEmit,
}

/// Compile raw files (relative path, bytes). `Err` is pipec's own failure, never the input's.
pub fn compile(files: Vec<(String, Vec<u8>)>, stop: Stop) -> Result<Compiled, String> {
    let validator =
        schema::Validator::new(&spec::schema_of(load::Kind::Platform), &spec::schema_of(load::Kind::Pipeline))?;
    compile_with(&validator, files, stop)
}

/// [`compile`] with a schema validator built beforehand, for callers that compile many times
/// in one process (building the validator is most of the time of a small compilation).
pub fn compile_with(
    validator: &schema::Validator,
    files: Vec<(String, Vec<u8>)>,
    stop: Stop,
) -> Result<Compiled, String> {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    // Each document is validated and typed right after it is read, on the thread that read it,
    // so that its parsed value is dropped early.
    let read = |doc: load::Document, found: &mut Diagnostics| validator.validate(&doc, found).then(|| check::read(doc));
    // Files that may hold the platform are read first. With the platform at hand, every other
    // pipeline is checked as soon as it is read, and its source map dropped.
    let (first, rest): (Vec<load::Input>, Vec<load::Input>) =
        load::number(files, &sources).into_iter().partition(|f| check::may_hold_platform(&f.bytes));
    let mut docs = load::load_each(first, &mut sources, &mut diags, |doc, found| read(doc, found));
    let platform = check::platform(&mut docs, &sources, &mut diags);
    let mut pending: Vec<check::Pending> = docs.into_iter().map(check::Pending::Read).collect();
    pending.extend(load::load_each(rest, &mut sources, &mut diags, |doc, found| {
        let doc = read(doc, found)?;
        Some(match &platform {
            check::Platform::Found(p) => check::Pending::Checked(Box::new(check::pipeline(p, doc))),
            _ => check::Pending::Read(doc),
        })
    }));
    let model = check::finish(platform, pending, &sources, &mut diags);
    let mut output = None;
    if let Some(model) = &model {
        if !diags.has_errors() {
            match stop {
                Stop::AfterCheck => plan::check(model, &mut diags),
                Stop::AfterEmit => {
                    if let Some(plan) = plan::plan(model, &mut diags) {
                        if !diags.has_errors() {
                            output = Some(emit::emit(&plan)?);
                        }
                    }
                }
            }
        }
    }
    if diags.has_errors() {
        output = None;
    }
    let model = if diags.has_errors() { None } else { model };
    Ok(Compiled { sources, diagnostics: diags, model, output })
}
