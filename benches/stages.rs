//! Per-stage benchmarks on a generated repository of 100 pipelines (`cargo bench`).
//!
//! Each stage is timed alone, on inputs the earlier stages produced outside the timing; the
//! last two time the whole compile as `pipec check` and `pipec build` run it (without reading
//! or writing files). `PIPEC_THREADS=1 cargo bench` times the stages on one thread.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use divan::Bencher;
use pipec::diag::Diagnostics;
use pipec::source::Sources;
use pipec::{Stop, check, emit, load, plan, schema, spec, synth};

fn main() {
    divan::main();
}

const PIPELINES: usize = 100;

fn files() -> Vec<(String, Vec<u8>)> {
    synth::repository(PIPELINES, 1).into_iter().map(|(p, t)| (p, t.into_bytes())).collect()
}

fn validator() -> schema::Validator {
    schema::Validator::new(&spec::schema_of(load::Kind::Platform), &spec::schema_of(load::Kind::Pipeline))
        .expect("the schemas compile")
}

/// The documents, read and typed.
fn reads() -> (Vec<check::Read>, Sources) {
    let v = validator();
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let files = load::number(files(), &sources);
    let reads =
        load::load_each(files, &mut sources, &mut diags, |d, found| v.validate(&d, found).then(|| check::read(d)));
    (reads, sources)
}

fn model() -> check::Model {
    let (reads, sources) = reads();
    let mut diags = Diagnostics::default();
    check::check(reads, &sources, &mut diags).expect("the generated repository checks")
}

/// The JSON Schemas compiled into validators: once per run.
#[divan::bench]
fn schema_compile() -> schema::Validator {
    validator()
}

/// YAML parsing and the source map.
#[divan::bench]
fn load(b: Bencher) {
    b.with_inputs(files).bench_values(|f| {
        let mut sources = Sources::default();
        let mut diags = Diagnostics::default();
        load::load(f, &mut sources, &mut diags)
    });
}

/// JSON Schema validation of loaded documents.
#[divan::bench]
fn validate(b: Bencher) {
    let v = validator();
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let docs = load::load(files(), &mut sources, &mut diags);
    b.bench(|| {
        let mut found = Diagnostics::default();
        docs.iter().filter(|d| v.validate(d, &mut found)).count()
    });
}

/// Typing, name resolution, SQL type checking and the rules, for every pipeline.
#[divan::bench]
fn check(b: Bencher) {
    b.with_inputs(reads).bench_values(|(reads, sources)| {
        let mut diags = Diagnostics::default();
        check::check(reads, &sources, &mut diags)
    });
}

/// Every decision about the output.
#[divan::bench]
fn plan(b: Bencher) {
    let model = model();
    b.bench(|| {
        let mut diags = Diagnostics::default();
        plan::plan(&model, &mut diags)
    });
}

/// Rendering: templates, Kubernetes objects, the manifest.
#[divan::bench]
fn emit(b: Bencher) {
    let model = model();
    let mut diags = Diagnostics::default();
    let plan = plan::plan(&model, &mut diags).expect("a plan");
    b.bench(|| emit::emit(&plan));
}

/// The whole of `pipec check`, files in memory.
#[divan::bench(sample_count = 20)]
fn compile_check(b: Bencher) {
    b.with_inputs(files).bench_values(|f| pipec::compile(f, Stop::AfterCheck));
}

/// The whole of `pipec build` up to the files to write.
#[divan::bench(sample_count = 20)]
fn compile_build(b: Bencher) {
    b.with_inputs(files).bench_values(|f| pipec::compile(f, Stop::AfterEmit));
}
