//! pipec compiles a folder of streaming pipeline YAML into deployable artefacts.

pub mod diag;
pub mod source;
pub mod spec;
pub mod load;
pub mod typecheck;
pub mod write;
pub mod plan;
pub mod check;
pub mod emit;
