//! The language as users write it: the `Platform` and `Pipeline` kinds of `pipec/v1alpha1`.
//!
//! These types are the single source of the JSON Schemas in `schemas/` (through schemars) and
//! of the typed model (through serde). Doc comments become schema descriptions, so they are
//! written for pipeline authors. Every struct denies unknown fields; maps are `BTreeMap` so
//! that everything derived from them is ordered.

mod common;
mod pipeline;
mod platform;

pub use common::*;
pub use pipeline::*;
pub use platform::*;

/// The schema of one kind, as a JSON value (draft 2020-12).
pub fn schema_of(kind: crate::load::Kind) -> serde_json::Value {
    let settings = schemars::generate::SchemaSettings::draft2020_12().for_deserialize();
    let generator = settings.into_generator();
    let schema = match kind {
        crate::load::Kind::Platform => generator.into_root_schema_for::<PlatformDoc>(),
        crate::load::Kind::Pipeline => generator.into_root_schema_for::<PipelineDoc>(),
    };
    let mut value = schema.to_value();
    drop_null_types(&mut value);
    value
}

/// An absent key is the way to leave an optional field out: `null` is not accepted, so
/// `"type": ["string", "null"]` becomes `"type": "string"`.
fn drop_null_types(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".to_string(), only);
                }
            }
            for child in map.values_mut() {
                drop_null_types(child);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_null_types),
        _ => {}
    }
}
