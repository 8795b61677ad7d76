//! Placeholder until the validator lands.
use crate::diag::Diagnostics;
use crate::load::Document;
pub struct Validator;
impl Validator {
    pub fn new(_a: &serde_json::Value, _b: &serde_json::Value) -> Result<Validator, String> { Ok(Validator) }
    pub fn validate(&self, _doc: &Document, _diags: &mut Diagnostics) -> bool { true }
}
