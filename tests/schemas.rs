//! The committed JSON Schemas in `schemas/` are what the model generates.
//! `PIPEC_UPDATE_SCHEMAS=1 cargo test --test schemas` rewrites them.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use pipec::load::Kind;

#[test]
fn committed_schemas_match_the_model() {
    let update = std::env::var_os("PIPEC_UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (kind, file) in [(Kind::Platform, "platform.schema.json"), (Kind::Pipeline, "pipeline.schema.json")] {
        let mut text = serde_json::to_string_pretty(&pipec::spec::schema_of(kind)).expect("schema serializes");
        text.push('\n');
        let path = common::root().join("schemas").join(file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != text {
            if update {
                std::fs::create_dir_all(path.parent().expect("schemas folder")).expect("create schemas/");
                std::fs::write(&path, &text).expect("write schema");
            } else {
                stale.push(file);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "schemas/{stale:?} differ from the model; run PIPEC_UPDATE_SCHEMAS=1 cargo test --test schemas"
    );
}
