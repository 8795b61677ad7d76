//! JSON Schema validation of loaded documents, with every error mapped to a source span.
//!
//! The schemas come from the model (schemars, draft 2020-12). jsonschema reports errors by
//! instance path, which is a JSON pointer into the document, so each error is placed through
//! the document's [`SourceMap`]. Errors are rewritten into pipec's own words: an unknown key
//! points at the key and suggests the closest known one; a failed `oneOf`/`anyOf` reports the
//! errors of the branch the value was meant for, or says what the branches accept.

use std::collections::{BTreeSet, HashSet};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::load::{Document, Kind, SourceMap, escape_segment};
use crate::source::Span;

/// The compiled schemas of both document kinds.
pub struct Validator {
    platform: Compiled,
    pipeline: Compiled,
}

/// One compiled schema, with its JSON kept to look up property names and branches.
struct Compiled {
    schema: Value,
    validator: jsonschema::Validator,
}

impl Compiled {
    fn new(name: &str, schema: &Value) -> Result<Compiled, String> {
        let validator =
            jsonschema::options().build(schema).map_err(|e| format!("the {name} schema does not compile: {e}"))?;
        Ok(Compiled { schema: schema.clone(), validator })
    }
}

impl Validator {
    /// Compile from the two JSON Schemas (draft 2020-12, using `$defs` + `$ref`).
    pub fn new(platform_schema: &Value, pipeline_schema: &Value) -> Result<Validator, String> {
        Ok(Validator {
            platform: Compiled::new("platform", platform_schema)?,
            pipeline: Compiled::new("pipeline", pipeline_schema)?,
        })
    }

    /// Validate a document against its kind's schema; push every structural error to diags.
    /// Returns true if valid.
    pub fn validate(&self, doc: &Document, diags: &mut Diagnostics) -> bool {
        let compiled = match doc.kind {
            Kind::Platform => &self.platform,
            Kind::Pipeline => &self.pipeline,
        };
        let mut reporter = Reporter {
            schema: &compiled.schema,
            map: &doc.map,
            value: &doc.value,
            diags: Vec::new(),
            seen: HashSet::new(),
            paths: Vec::new(),
            deferred: Vec::new(),
            conflicts: HashSet::new(),
        };
        let mut valid = true;
        for error in compiled.validator.iter_errors(&doc.value) {
            valid = false;
            reporter.report(&error);
        }
        reporter.finish();
        if !valid && reporter.diags.is_empty() {
            // Every error was explained away; still say that the document is rejected.
            let d = Diagnostic::new(Code::E0104, doc.map.locate(""), "the document does not match its schema")
                .help("check the fields of this document");
            reporter.diags.push(d);
        }
        diags.extend(reporter.diags);
        valid
    }
}

/// A property that the schema knows but that no successful branch evaluated.
struct Deferred {
    object: String,
    name: String,
    schema_at: String,
}

/// Turns jsonschema errors of one document into diagnostics.
struct Reporter<'a> {
    schema: &'a Value,
    map: &'a SourceMap,
    value: &'a Value,
    diags: Vec<Diagnostic>,
    seen: HashSet<(Code, Span, String)>,
    /// Instance paths that received a diagnostic.
    paths: Vec<String>,
    deferred: Vec<Deferred>,
    /// Mappings already reported for setting several variant tags.
    conflicts: HashSet<String>,
}

impl<'a> Reporter<'a> {
    fn push(&mut self, path: &str, d: Diagnostic) {
        if self.seen.insert((d.code, d.span, d.message.clone())) {
            self.paths.push(path.to_string());
            self.diags.push(d);
        }
    }

    /// Where to report a problem with a whole mapping: its key, or the start of its value.
    fn object_span(&self, path: &str) -> Span {
        self.map.key(path).unwrap_or_else(|| {
            let v = self.map.locate(path);
            Span::new(v.file, v.start, v.start)
        })
    }

    fn report(&mut self, e: &ValidationError<'_>) {
        let path = e.instance_path().as_str();
        let value_span = self.map.locate(path);
        let shown = show(e.instance());
        let (code, message, label, help) = match e.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                return self.unexpected(path, parent(e.schema_path().as_str()), unexpected, false);
            }
            ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                return self.unexpected(path, parent(e.schema_path().as_str()), unexpected, true);
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().map_or_else(|| property.to_string(), str::to_string);
                let d = Diagnostic::new(Code::E0102, self.object_span(path), format!("missing field `{name}`"))
                    .label(format!("`{name}` is missing here"))
                    .help(format!("add `{name}:` to this mapping"));
                return self.push(path, d);
            }
            ValidationErrorKind::Type { kind } => {
                let expected: Vec<JsonType> = match kind {
                    TypeKind::Single(t) => vec![*t],
                    TypeKind::Multiple(set) => set.iter().collect(),
                };
                let names: Vec<String> = expected_types(&expected).into_iter().map(str::to_string).collect();
                return self.wrong_type(path, &names, e.instance());
            }
            ValidationErrorKind::Enum { options } => {
                let values: Vec<String> = options.as_array().map(|a| a.iter().map(show).collect()).unwrap_or_default();
                return self.invalid_value(path, e.instance(), &values, &[]);
            }
            ValidationErrorKind::Constant { expected_value } => {
                return self.invalid_value(path, e.instance(), &[show(expected_value)], &[]);
            }
            ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
                return self.alternatives(e, context);
            }
            ValidationErrorKind::OneOfMultipleValid { .. } => return self.ambiguous(e),
            ValidationErrorKind::Pattern { pattern } => (
                Code::E0104,
                format!("invalid value `{shown}`"),
                "does not match the required pattern".to_string(),
                format!("the value must match the regular expression `{pattern}`"),
            ),
            ValidationErrorKind::Format { format } => (
                Code::E0104,
                format!("invalid value `{shown}`"),
                format!("not a valid {format}"),
                format!("write a valid {format}"),
            ),
            ValidationErrorKind::Minimum { limit } => bound(&shown, "small", format!("the minimum is {limit}")),
            ValidationErrorKind::ExclusiveMinimum { limit } => {
                bound(&shown, "small", format!("the value must be greater than {limit}"))
            }
            ValidationErrorKind::Maximum { limit } => bound(&shown, "large", format!("the maximum is {limit}")),
            ValidationErrorKind::ExclusiveMaximum { limit } => {
                bound(&shown, "large", format!("the value must be less than {limit}"))
            }
            ValidationErrorKind::MinLength { limit } => {
                bound(&shown, "short", format!("write at least {limit} characters"))
            }
            ValidationErrorKind::MaxLength { limit } => {
                bound(&shown, "long", format!("write at most {limit} characters"))
            }
            ValidationErrorKind::MinItems { limit } => count("few items", format!("list at least {limit} items")),
            ValidationErrorKind::MaxItems { limit } => count("many items", format!("list at most {limit} items")),
            ValidationErrorKind::MinProperties { limit } => count("few fields", format!("set at least {limit} fields")),
            ValidationErrorKind::MaxProperties { limit } => count("many fields", format!("set at most {limit} fields")),
            ValidationErrorKind::UniqueItems => count("items repeated", "list each item once".to_string()),
            ValidationErrorKind::FalseSchema => match self.map.key(path) {
                Some(_) => {
                    let name = path.rsplit('/').next().unwrap_or_default().replace("~1", "/").replace("~0", "~");
                    let d = Diagnostic::new(
                        Code::E0101,
                        self.object_span(path),
                        format!("field `{name}` is not allowed here"),
                    )
                    .label("not allowed here")
                    .help("remove this field");
                    return self.push(path, d);
                }
                None => (
                    Code::E0104,
                    "value not allowed here".to_string(),
                    "not allowed".to_string(),
                    "remove this value".to_string(),
                ),
            },
            ValidationErrorKind::PropertyNames { error } => {
                let name = show(error.instance());
                let d = Diagnostic::new(Code::E0104, self.object_span(path), format!("invalid field name `{name}`"))
                    .label("invalid field name")
                    .help("rename the field");
                return self.push(path, d);
            }
            // The remaining kinds do not arise from schemars schemas; describe them plainly.
            other => (
                Code::E0104,
                format!("invalid value `{shown}`"),
                "invalid value".to_string(),
                format!("the value breaks the schema's `{}` rule", other.keyword()),
            ),
        };
        let d = Diagnostic::new(code, value_span, message).label(label).help(help);
        self.push(path, d);
    }

    /// Unknown keys of a mapping: each is reported at its key, with a suggestion.
    fn unexpected(&mut self, path: &str, schema_at: &str, unexpected: &[String], unevaluated: bool) {
        let known = self.property_names(schema_at);
        for name in unexpected {
            if unevaluated && known.contains(name) {
                // A known key left unevaluated by a failed branch; explained later if need be.
                let deferred =
                    Deferred { object: path.to_string(), name: name.clone(), schema_at: schema_at.to_string() };
                self.deferred.push(deferred);
                continue;
            }
            let pointer = format!("{path}/{}", escape_segment(name));
            let span = self.map.key(&pointer).unwrap_or_else(|| self.map.locate(&pointer));
            let help = match suggest(name, &known) {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => "remove this field".to_string(),
                None => format!("the known fields here are {}", list(known.iter())),
            };
            let d =
                Diagnostic::new(Code::E0101, span, format!("unknown field `{name}`")).label("unknown field").help(help);
            self.push(&pointer, d);
        }
    }

    /// Reports known keys that no branch accepted and that nothing else explains.
    fn finish(&mut self) {
        for Deferred { object, name, schema_at } in std::mem::take(&mut self.deferred) {
            let pointer = format!("{object}/{}", escape_segment(&name));
            let inner = format!("{pointer}/");
            if self.paths.iter().any(|p| *p == pointer || p.starts_with(&inner)) {
                continue;
            }
            let span = self.map.key(&pointer).unwrap_or_else(|| self.map.locate(&pointer));
            let tags = self.tags(&schema_at);
            if tags.contains(&name) && self.conflict(&object, &tags) {
                continue;
            }
            let d = Diagnostic::new(
                Code::E0107,
                span,
                format!("field `{name}` conflicts with other fields of this mapping"),
            )
            .label("conflicting field")
            .help("remove this field or the one it conflicts with");
            self.push(&pointer, d);
        }
    }

    fn wrong_type(&mut self, path: &str, expected: &[String], found: &Value) {
        let expected = expected.join(" or ");
        let help = match found {
            Value::Number(_) | Value::Bool(_) if expected == "a string" => {
                "quote the value to make it a string, for example `version: \"1.20\"`".to_string()
            }
            Value::Null => "give this field a value, or remove it".to_string(),
            _ => format!("write {expected} here"),
        };
        let d = Diagnostic::new(
            Code::E0103,
            self.map.locate(path),
            format!("expected {expected}, found {}", describe(found)),
        )
        .label(format!("expected {expected}"))
        .help(help);
        self.push(path, d);
    }

    /// A value outside the listed values (and outside the other forms, if any).
    fn invalid_value(&mut self, path: &str, found: &Value, values: &[String], forms: &[String]) {
        let shown = show(found);
        let mut help = String::new();
        if found.is_string() {
            if let Some(s) = suggest(&shown, values) {
                help = format!("did you mean `{s}`? ");
            }
        }
        let mut allowed = match values {
            [one] => format!("`{one}`"),
            _ => format!("one of {}", list(values.iter())),
        };
        for form in forms.iter().filter(|f| *f != "null") {
            allowed.push_str(&format!(", or {form}"));
        }
        help.push_str(&format!("expected {allowed}"));
        let d = Diagnostic::new(Code::E0104, self.map.locate(path), format!("invalid value `{shown}`"))
            .label("not an allowed value")
            .help(help);
        self.push(path, d);
    }

    /// A value that fits none of the branches of a `oneOf`/`anyOf`.
    fn alternatives(&mut self, e: &ValidationError<'_>, context: &[Vec<ValidationError<'static>>]) {
        let path = e.instance_path().as_str();
        let instance: &Value = e.instance();
        let branches = self.branches(e.schema_path().as_str());
        // An externally tagged enum: the tags present in the mapping decide.
        // Only the branches that accept a mapping count: a string enum may sit beside them.
        let mut objects = branches.iter().filter(|b| b.get("type").is_none_or(|t| fits_type(t, instance)));
        let tagged = objects.clone().next().is_some() && objects.all(|b| tag_of(b).is_some());
        if tagged && instance.is_object() {
            let tags: BTreeSet<String> = branches.iter().filter_map(|b| tag_of(b)).map(str::to_string).collect();
            if self.conflict(path, &tags) {
                return;
            }
            if self.present(path, &tags).is_empty() {
                let d = Diagnostic::new(
                    Code::E0102,
                    self.object_span(path),
                    format!("missing one of {}", list(tags.iter())),
                )
                .label("needs one of these fields")
                .help(format!("add exactly one of {}", list(tags.iter())));
                return self.push(path, d);
            }
        }
        // First the branches the value was clearly meant for; then, if none, every branch
        // that accepts the value's shape (missing fields aside).
        for strict in [true, false] {
            let best = context
                .iter()
                .enumerate()
                .filter(|(i, errors)| plausible(path, instance, branches.get(*i).copied(), errors, strict))
                .min_by_key(|(_, errors)| errors.len());
            if let Some((_, errors)) = best {
                for error in errors {
                    self.report(error);
                }
                return;
            }
        }
        // A value of the wrong type for the mapping that holds the alternatives is reported
        // by that mapping's own `type`.
        let holder = self.schema.pointer(parent(e.schema_path().as_str()));
        if holder.and_then(|h| h.get("type")).is_some_and(|t| !fits_type(t, instance)) {
            return;
        }
        // No branch fits: say what the branches accept.
        let (mut values, mut forms, mut tags) = (Vec::new(), Vec::new(), Vec::new());
        for branch in &branches {
            self.describe_branch(branch, &mut values, &mut forms, &mut tags, 0);
        }
        match tags.as_slice() {
            [] => {}
            [tag] => forms.push(format!("a mapping with `{tag}`")),
            _ => forms.push(format!("a mapping with one of {}", list(tags.iter()))),
        }
        let scalar = matches!(instance, Value::String(_) | Value::Number(_) | Value::Bool(_));
        if scalar && !values.is_empty() {
            return self.invalid_value(path, instance, &values, &forms);
        }
        if !values.is_empty() {
            forms.insert(0, format!("one of {}", list(values.iter())));
        }
        if forms.len() > 1 {
            forms.retain(|f| f != "null");
        }
        forms.dedup();
        self.wrong_type(path, &forms, instance);
    }

    /// A value that fits more than one branch of a `oneOf`.
    fn ambiguous(&mut self, e: &ValidationError<'_>) {
        let path = e.instance_path().as_str();
        if self.conflict(path, &self.tags(parent(e.schema_path().as_str()))) {
            return;
        }
        let d = Diagnostic::new(Code::E0104, self.map.locate(path), "the value fits more than one form of this field")
            .label("ambiguous value")
            .help("make the value more specific");
        self.push(path, d);
    }

    /// Reports a mapping that sets several variant tags, once; false if it sets at most one.
    fn conflict(&mut self, path: &str, tags: &BTreeSet<String>) -> bool {
        let present = self.present(path, tags);
        let Some(second) = present.get(1) else {
            return false;
        };
        if self.conflicts.insert(path.to_string()) {
            let pointer = format!("{path}/{}", escape_segment(second));
            let span = self.map.key(&pointer).unwrap_or_else(|| self.object_span(path));
            let d = Diagnostic::new(Code::E0108, span, format!("{} cannot be used together", both(&present)))
                .label("conflicting field")
                .help(format!("keep exactly one of {}", list(tags.iter())));
            self.push(&pointer, d);
        }
        true
    }

    /// Which of `names` the mapping at `path` sets.
    fn present(&self, path: &str, names: &BTreeSet<String>) -> Vec<String> {
        let object = self.value.pointer(path).and_then(Value::as_object);
        names.iter().filter(|n| object.is_some_and(|o| o.contains_key(n.as_str()))).cloned().collect()
    }

    /// Collects the listed values and other forms a branch accepts, in readable words.
    fn describe_branch(
        &self,
        branch: &Value,
        values: &mut Vec<String>,
        forms: &mut Vec<String>,
        tags: &mut Vec<String>,
        depth: usize,
    ) {
        let branch = self.resolve(branch);
        if depth > 8 {
            return;
        }
        if let Some(c) = branch.get("const") {
            values.push(show(c));
        } else if let Some(options) = branch.get("enum").and_then(Value::as_array) {
            values.extend(options.iter().map(show));
        } else if let Some(tag) = tag_of(branch) {
            tags.push(tag.to_string());
        } else if let Some(nested) = ["oneOf", "anyOf"].iter().find_map(|k| branch.get(*k).and_then(Value::as_array)) {
            for b in nested {
                self.describe_branch(b, values, forms, tags, depth + 1);
            }
        } else {
            let types: Vec<JsonType> = match branch.get("type") {
                Some(Value::String(t)) => json_type(t).into_iter().collect(),
                Some(Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str().and_then(json_type)).collect(),
                _ if branch.get("properties").is_some() => vec![JsonType::Object],
                _ => Vec::new(),
            };
            forms.extend(types.iter().map(|t| type_name(*t).to_string()));
        }
    }

    /// Follows `$ref`s within the schema document.
    fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..16 {
            let Some(target) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| self.schema.pointer(p))
            else {
                break;
            };
            schema = target;
        }
        schema
    }

    /// The branches of the `oneOf`/`anyOf` at a schema location, with `$ref`s followed.
    fn branches(&self, at: &str) -> Vec<&'a Value> {
        let list = self.schema.pointer(at).and_then(Value::as_array);
        list.map(|l| l.iter().map(|b| self.resolve(b)).collect()).unwrap_or_default()
    }

    /// Every property name the schema at a location allows, through `$ref`s and combinators.
    fn property_names(&self, at: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        if let Some(schema) = self.schema.pointer(at) {
            self.collect(schema, &mut names, &mut |s, names| {
                if let Some(props) = s.get("properties").and_then(Value::as_object) {
                    names.extend(props.keys().cloned());
                }
            });
        }
        names
    }

    /// The variant tags of the tagged `oneOf`/`anyOf` branches at a location.
    fn tags(&self, at: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        if let Some(schema) = self.schema.pointer(at) {
            self.collect(schema, &mut names, &mut |s, names| {
                for k in ["anyOf", "oneOf"] {
                    for branch in s.get(k).and_then(Value::as_array).into_iter().flatten() {
                        if let Some(tag) = tag_of(self.resolve(branch)) {
                            names.insert(tag.to_string());
                        }
                    }
                }
            });
        }
        names
    }

    /// Visits a schema and its subschemas through `$ref`, `allOf`, `anyOf` and `oneOf`.
    fn collect(
        &self,
        schema: &Value,
        out: &mut BTreeSet<String>,
        visit: &mut dyn FnMut(&Value, &mut BTreeSet<String>),
    ) {
        let mut stack = vec![(schema, 0)];
        while let Some((s, depth)) = stack.pop() {
            let s = self.resolve(s);
            visit(s, out);
            if depth < 8 {
                for k in ["allOf", "anyOf", "oneOf"] {
                    for b in s.get(k).and_then(Value::as_array).into_iter().flatten() {
                        stack.push((b, depth + 1));
                    }
                }
            }
        }
    }
}

/// Whether a branch's errors leave it a candidate for the value at `path`. Errors about the
/// value itself (its type, its value, a missing variant tag) rule a branch out; in the relaxed
/// pass, missing fields do not.
fn plausible(
    path: &str,
    instance: &Value,
    branch: Option<&Value>,
    errors: &[ValidationError<'_>],
    strict: bool,
) -> bool {
    !errors.iter().any(|e| {
        e.instance_path().as_str() == path
            && match e.kind() {
                ValidationErrorKind::Type { .. }
                | ValidationErrorKind::Constant { .. }
                | ValidationErrorKind::Enum { .. } => true,
                ValidationErrorKind::Required { .. } => {
                    strict && branch.and_then(tag_of).is_none_or(|tag| instance.get(tag).is_none())
                }
                ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
                    !context.iter().any(|b| plausible(path, instance, None, b, false))
                }
                _ => false,
            }
    })
}

/// The tag of an externally tagged variant: an object schema with exactly one required key.
fn tag_of(schema: &Value) -> Option<&str> {
    match schema.get("required").and_then(Value::as_array).map(Vec::as_slice) {
        Some([tag]) if schema.get("properties").is_some() => tag.as_str(),
        _ => None,
    }
}

/// The closest known name to a misspelt one: [`did_you_mean`], or else a name that differs by
/// two swapped neighbouring letters (`form` for `from`).
fn suggest<'k>(name: &str, known: impl IntoIterator<Item = &'k String> + Clone) -> Option<&'k str> {
    let names = known.clone().into_iter().map(String::as_str);
    did_you_mean(name, names).or_else(|| {
        let a: Vec<char> = name.to_lowercase().chars().collect();
        known.into_iter().map(String::as_str).find(|k| {
            let b: Vec<char> = k.to_lowercase().chars().collect();
            if a.len() != b.len() {
                return false;
            }
            let diff: Vec<(usize, (char, char))> =
                a.iter().zip(&b).map(|(x, y)| (*x, *y)).enumerate().filter(|(_, (x, y))| x != y).collect();
            matches!(diff.as_slice(), [(i, (x1, y1)), (j, (x2, y2))] if *j == i + 1 && x1 == y2 && x2 == y1)
        })
    })
}

/// The schema location that holds a keyword: the location without its last segment.
fn parent(schema_path: &str) -> &str {
    schema_path.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// Whether a value fits a schema's `type` keyword (a name or a list of names).
fn fits_type(types: &Value, value: &Value) -> bool {
    let fits = |name: &str| match name {
        "integer" => value.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    };
    match types {
        Value::String(t) => fits(t),
        Value::Array(ts) => ts.iter().any(|t| t.as_str().is_none_or(fits)),
        _ => true,
    }
}

fn json_type(name: &str) -> Option<JsonType> {
    Some(match name {
        "array" => JsonType::Array,
        "boolean" => JsonType::Boolean,
        "integer" => JsonType::Integer,
        "null" => JsonType::Null,
        "number" => JsonType::Number,
        "object" => JsonType::Object,
        "string" => JsonType::String,
        _ => return None,
    })
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Array => "a list",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "a mapping",
        JsonType::String => "a string",
    }
}

/// The readable names of expected types; `null` (an optional field) is left out when there
/// is anything else, and `integer` when `number` is there.
fn expected_types(types: &[JsonType]) -> Vec<&'static str> {
    let kept: Vec<JsonType> = types
        .iter()
        .copied()
        .filter(|t| types.len() == 1 || *t != JsonType::Null)
        .filter(|t| *t != JsonType::Integer || !types.contains(&JsonType::Number))
        .collect();
    kept.into_iter().map(type_name).collect()
}

/// What a value is, in words.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "an empty value",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A value as the user wrote it, shortened: strings without quotes, others as JSON.
fn show(value: &Value) -> String {
    let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", text.get(..i).unwrap_or_default()),
        None => text,
    }
}

fn list<'s>(names: impl Iterator<Item = &'s String>) -> String {
    names.map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Names joined as `a`, `b` and `c`.
fn both(names: &[String]) -> String {
    match names {
        [rest @ .., last] if !rest.is_empty() => format!("{} and `{last}`", list(rest.iter())),
        _ => list(names.iter()),
    }
}

fn bound(shown: &str, what: &str, help: String) -> (Code, String, String, String) {
    (Code::E0104, format!("value `{shown}` is too {what}"), format!("too {what}"), help)
}

fn count(what: &str, help: String) -> (Code, String, String, String) {
    (Code::E0104, format!("too {what}"), format!("too {what}"), help)
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
    use crate::diag::Diagnostics;
    use crate::load::load;
    use crate::source::Sources;
    use serde_json::json;

    /// A pipeline schema shaped like schemars 1.x output.
    fn pipeline_schema() -> Value {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "PipelineDocument",
            "type": "object",
            "additionalProperties": false,
            "required": ["apiVersion", "kind", "metadata", "spec"],
            "properties": {
                "apiVersion": { "type": "string" },
                "kind": { "type": "string" },
                "metadata": { "$ref": "#/$defs/Metadata" },
                "spec": { "$ref": "#/$defs/PipelineSpec" }
            },
            "$defs": {
                "Metadata": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name"],
                    "properties": {
                        "name": { "type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" },
                        "owner": { "type": ["string", "null"] }
                    }
                },
                "PipelineSpec": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["sources"],
                    "properties": {
                        "sources": { "type": "array", "items": { "$ref": "#/$defs/Source" } },
                        "sinks": { "type": "array", "items": { "$ref": "#/$defs/Sink" } },
                        "runtime": { "anyOf": [{ "$ref": "#/$defs/Runtime" }, { "type": "null" }] }
                    }
                },
                "Source": {
                    "type": "object",
                    "required": ["name"],
                    "properties": { "name": { "type": "string" } },
                    "oneOf": [
                        { "type": "object", "required": ["kafka"], "properties": { "kafka": { "$ref": "#/$defs/KafkaSource" } } },
                        { "type": "object", "required": ["postgresCdc"], "properties": { "postgresCdc": { "$ref": "#/$defs/PostgresCdc" } } }
                    ],
                    "unevaluatedProperties": false
                },
                "KafkaSource": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["cluster", "topic", "format"],
                    "properties": {
                        "cluster": { "type": "string" },
                        "topic": { "type": "string" },
                        "format": { "$ref": "#/$defs/Format" },
                        "partitions": { "type": ["integer", "null"], "format": "uint32", "minimum": 1 }
                    }
                },
                "PostgresCdc": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["cluster", "table"],
                    "properties": { "cluster": { "type": "string" }, "table": { "type": "string" } }
                },
                "Format": { "type": "string", "enum": ["json", "avro-confluent", "debezium-json", "csv"] },
                "Sink": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name"],
                    "properties": {
                        "name": { "type": "string" },
                        "from": { "type": ["string", "null"] },
                        "partition": { "anyOf": [{ "$ref": "#/$defs/Partition" }, { "type": "null" }] }
                    }
                },
                "Partition": {
                    "oneOf": [
                        { "type": "string", "enum": ["identity", "day"] },
                        {
                            "type": "object",
                            "required": ["bucket"],
                            "properties": { "bucket": { "type": "integer", "format": "uint32", "minimum": 0 } },
                            "additionalProperties": false
                        },
                        {
                            "type": "object",
                            "required": ["truncate"],
                            "properties": { "truncate": { "type": "integer" } },
                            "additionalProperties": false
                        }
                    ]
                },
                "Runtime": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "parallelism": { "type": ["integer", "null"], "format": "uint32", "minimum": 1 },
                        "upgradeMode": { "anyOf": [{ "$ref": "#/$defs/UpgradeMode" }, { "type": "null" }] },
                        "checkpointInterval": { "type": ["string", "null"], "pattern": "^[0-9]+(ms|s|m|h|d)$" }
                    }
                },
                "UpgradeMode": {
                    "oneOf": [
                        { "type": "string", "const": "stateless", "description": "Start from scratch." },
                        { "type": "string", "const": "savepoint", "description": "Take a savepoint." },
                        { "type": "string", "const": "last-state", "description": "Use the last checkpoint." }
                    ]
                }
            }
        })
    }

    fn platform_schema() -> Value {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "additionalProperties": false,
            "required": ["apiVersion", "kind", "spec"],
            "properties": {
                "apiVersion": { "type": "string" },
                "kind": { "type": "string" },
                "spec": { "type": "object", "properties": { "namespace": { "type": "string" } }, "additionalProperties": false }
            }
        })
    }

    const GOOD: &str = "apiVersion: pipec/v1alpha1
kind: Pipeline
metadata: { name: orders }
spec:
  sources:
    - name: orders
      kafka: { cluster: main, topic: t, format: json }
  sinks:
    - name: out
      from: orders
  runtime:
    parallelism: 2
    upgradeMode: savepoint
";

    /// Validates a pipeline text; returns the diagnostics as (code, line, column, text at span, message, help).
    fn check(text: &str) -> Vec<(Code, usize, usize, String, String, String)> {
        let validator = Validator::new(&platform_schema(), &pipeline_schema()).expect("schemas compile");
        let mut sources = Sources::default();
        let mut diags = Diagnostics::default();
        let docs = load(vec![("p.yaml".to_string(), text.as_bytes().to_vec())], &mut sources, &mut diags);
        assert!(diags.is_empty(), "{:?}", diags.into_vec());
        let valid = validator.validate(&docs[0], &mut diags);
        assert_eq!(valid, diags.is_empty());
        let file = sources.get(docs[0].file);
        let mut out: Vec<_> = diags
            .into_vec()
            .into_iter()
            .map(|d| {
                let (line, col) = file.line_col(d.span.start);
                (d.code, line, col, file.text[d.span.start..d.span.end].to_string(), d.message, d.help)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn valid_documents_pass() {
        assert!(check(GOOD).is_empty());
        let validator = Validator::new(&platform_schema(), &pipeline_schema()).expect("schemas compile");
        let mut sources = Sources::default();
        let mut diags = Diagnostics::default();
        let text = b"apiVersion: pipec/v1alpha1\nkind: Platform\nspec: { namespace: data, nmespace: x }\n";
        let docs = load(vec![("platform.yaml".to_string(), text.to_vec())], &mut sources, &mut diags);
        assert!(!validator.validate(&docs[0], &mut diags));
        assert_eq!(diags.into_vec()[0].help, "did you mean `namespace`?");
    }

    #[test]
    fn unknown_field_points_at_the_key_with_a_suggestion() {
        let got = check(&GOOD.replace("      from: orders", "      form: orders"));
        assert_eq!(got.len(), 1, "{got:?}");
        let (code, line, col, at, message, help) = &got[0];
        assert_eq!((*code, *line, *col, at.as_str()), (Code::E0101, 10, 7, "form"));
        assert_eq!((message.as_str(), help.as_str()), ("unknown field `form`", "did you mean `from`?"));
    }

    #[test]
    fn errors_inside_a_tagged_variant_are_reported_from_that_variant() {
        let got = check(
            &GOOD.replace("{ cluster: main, topic: t, format: json }", "{ cluster: main, topc: t, format: json }"),
        );
        let codes: Vec<_> = got.iter().map(|g| (g.0, g.3.as_str(), g.4.as_str(), g.5.as_str())).collect();
        assert_eq!(
            codes,
            [
                (Code::E0101, "topc", "unknown field `topc`", "did you mean `topic`?"),
                (Code::E0102, "kafka", "missing field `topic`", "add `topic:` to this mapping"),
            ]
        );
    }

    #[test]
    fn missing_fields() {
        let got = check(&GOOD.replace("    - name: orders\n      kafka", "    - kafka"));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1, got[0].2), (Code::E0102, 6, 7));
        assert_eq!(got[0].4, "missing field `name`");
        let got = check(&GOOD.replace("metadata: { name: orders }", "metadata: { owner: me }"));
        assert_eq!((got[0].0, got[0].3.as_str()), (Code::E0102, "metadata"));
    }

    #[test]
    fn wrong_types() {
        let got = check(&GOOD.replace("parallelism: 2", "parallelism: four"));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].3.as_str()), (Code::E0103, "four"));
        assert_eq!(got[0].4, "expected an integer, found a string");
        let got = check(&GOOD.replace("topic: t", "topic: 1.20"));
        assert_eq!(got[0].4, "expected a string, found a number");
        assert!(got[0].5.starts_with("quote the value"));
        let got =
            check(&GOOD.replace("  runtime:\n    parallelism: 2\n    upgradeMode: savepoint\n", "  runtime: 5\n"));
        assert_eq!((got[0].0, got[0].4.as_str()), (Code::E0103, "expected a mapping, found a number"));
    }

    #[test]
    fn enum_and_pattern_values() {
        let got = check(&GOOD.replace("format: json", "format: jsn"));
        assert_eq!((got[0].0, got[0].3.as_str()), (Code::E0104, "jsn"));
        assert_eq!(got[0].5, "did you mean `json`? expected one of `json`, `avro-confluent`, `debezium-json`, `csv`");
        let got = check(&GOOD.replace("upgradeMode: savepoint", "upgradeMode: savepont"));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].5, "did you mean `savepoint`? expected one of `stateless`, `savepoint`, `last-state`");
        let got = check(&GOOD.replace("name: orders }", "name: Orders_ }"));
        assert_eq!((got[0].0, got[0].3.as_str()), (Code::E0104, "Orders_"));
        let got = check(&GOOD.replace("parallelism: 2", "parallelism: 0"));
        assert_eq!((got[0].0, got[0].4.as_str()), (Code::E0104, "value `0` is too small"));
    }

    #[test]
    fn connector_count() {
        let none = check(&GOOD.replace("      kafka: { cluster: main, topic: t, format: json }\n", ""));
        assert_eq!(none.len(), 1, "{none:?}");
        assert_eq!((none[0].0, none[0].4.as_str()), (Code::E0102, "missing one of `kafka`, `postgresCdc`"));
        let two =
            check(&GOOD.replace("format: json }", "format: json }\n      postgresCdc: { cluster: pg, table: t }"));
        assert_eq!(two.len(), 1, "{two:?}");
        assert_eq!((two[0].0, two[0].3.as_str()), (Code::E0108, "postgresCdc"));
        let bad = check(&GOOD.replace("format: json }", "format: json }\n      postgresCdc: { cluster: pg }"));
        assert_eq!(bad.iter().map(|b| b.0).collect::<Vec<_>>(), [Code::E0108], "{bad:?}");
    }

    #[test]
    fn several_errors_in_one_file_are_all_reported() {
        let text = GOOD
            .replace("format: json", "format: jsn")
            .replace("from: orders", "form: orders")
            .replace("parallelism: 2", "parallelism: many")
            .replace("upgradeMode: savepoint", "upgradeMode: savepont\n    extra: 1");
        let got = check(&text);
        let codes: Vec<Code> = got.iter().map(|g| g.0).collect();
        assert_eq!(codes, [Code::E0101, Code::E0101, Code::E0103, Code::E0104, Code::E0104], "{got:?}");
        assert!(got.iter().all(|g| !g.4.contains("schemas") && !g.4.ends_with('.')));
    }

    #[test]
    fn enums_with_unit_and_data_variants() {
        let sink = |p: &str| GOOD.replace("      from: orders", &format!("      from: orders\n      partition: {p}"));
        assert!(check(&sink("day")).is_empty());
        assert!(check(&sink("{ bucket: 4 }")).is_empty());
        let got = check(&sink("dya"));
        assert_eq!((got[0].0, got[0].3.as_str()), (Code::E0104, "dya"));
        assert_eq!(
            got[0].5,
            "did you mean `day`? expected one of `identity`, `day`, or a mapping with one of `bucket`, `truncate`"
        );
        let got = check(&sink("{ bucket: x }"));
        assert_eq!((got.len(), got[0].0, got[0].4.as_str()), (1, Code::E0103, "expected an integer, found a string"));
        let got = check(&sink("{ bucket: 4, truncate: 2 }"));
        assert_eq!((got.len(), got[0].0, got[0].3.as_str()), (1, Code::E0108, "truncate"));
        let got = check(&sink("[day]"));
        assert_eq!(
            got[0].4,
            "expected one of `identity`, `day` or a mapping with one of `bucket`, `truncate`, found a list"
        );
    }
}
