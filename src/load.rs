//! Reading the input folder and turning YAML files into documents with a source map.
//!
//! This is the only module that reads input files. [`read_dir`] collects the YAML files of the
//! input folder; [`load`] parses each one twice: once with granit-parser's event stream, which
//! yields a [`SourceMap`] from JSON pointers to byte spans and checks what serde cannot see
//! (duplicate keys, merge keys, limits), and once with the serde YAML backend, which yields the
//! `serde_json::Value` that later stages validate and deserialize.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use granit_parser::{Event, Options, Parser, ScalarStyle, StructureStyle};

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::source::{FileId, Sources, Span, TextOrigin};

/// Files larger than this are refused.
const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// Collections nested deeper than this are refused.
const MAX_DEPTH: usize = 64;
/// Documents with more nodes than this (counting every use of an alias in full) are refused.
const MAX_NODES: usize = 100_000;
/// Text that marks a file as meant for pipec.
const PIPEC_PREFIX: &str = "pipec/";
const API_VERSION: &str = "pipec/v1alpha1";
const KINDS: [&str; 2] = ["Platform", "Pipeline"];

/// The kind of a pipec document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Platform,
    Pipeline,
}

/// One pipec document: its file, kind, value and source map.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: FileId,
    pub kind: Kind,
    pub value: serde_json::Value,
    pub map: SourceMap,
}

/// Where every node of a document stands in its file, keyed by JSON pointer.
#[derive(Debug, Clone)]
pub struct SourceMap {
    file: FileId,
    nodes: HashMap<String, Entry>,
}

/// The positions recorded for one node.
#[derive(Debug, Clone)]
struct Entry {
    key: Option<Span>,
    value: Span,
    text: Option<TextOrigin>,
}

impl SourceMap {
    /// Span of the value at a JSON pointer ("" = root, "/spec/sources/0/name"). None if absent.
    pub fn value(&self, pointer: &str) -> Option<Span> {
        self.nodes.get(pointer).map(|e| e.value)
    }

    /// Span of the KEY whose value is at `pointer` (None for sequence items and root).
    pub fn key(&self, pointer: &str) -> Option<Span> {
        self.nodes.get(pointer).and_then(|e| e.key)
    }

    /// Best span for a pointer: the value if present, else the key (or value) of the nearest
    /// existing ancestor, else the start of the file.
    pub fn locate(&self, pointer: &str) -> Span {
        if let Some(e) = self.nodes.get(pointer) {
            return e.value;
        }
        let mut p = pointer;
        while let Some((parent, _)) = p.rsplit_once('/') {
            p = parent;
            if let Some(e) = self.nodes.get(p) {
                return e.key.unwrap_or(e.value);
            }
        }
        Span::new(self.file, 0, 0)
    }

    /// For a scalar: where each byte of its parsed value stands in the file.
    ///
    /// Literal blocks, one-line scalars and quoted scalars map exactly. Folded blocks and
    /// multi-line plain or quoted scalars are rebuilt line by line and checked against the value;
    /// if the check fails the origin is one segment at the scalar's start. For an alias, the
    /// origin is that of the anchored scalar. None if there is no scalar at `pointer`.
    pub fn text(&self, pointer: &str) -> Option<TextOrigin> {
        self.nodes.get(pointer).and_then(|e| e.text.clone())
    }

    /// The file this map belongs to.
    pub fn file(&self) -> FileId {
        self.file
    }
}

/// Escapes one JSON pointer segment: `~` becomes `~0` and `/` becomes `~1`.
pub(crate) fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Read the input folder: every `*.yaml`/`*.yml` file below `root`, skipping hidden entries and
/// directories named `generated` at any depth, sorted by relative path (with `/`).
pub fn read_dir(root: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(root).into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(name.starts_with('.') || (e.file_type().is_dir() && name == "generated"))
    });
    for entry in walker {
        let entry = entry?;
        let is_yaml = entry
            .path()
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("yaml") || x.eq_ignore_ascii_case("yml"));
        if !entry.file_type().is_file() || !is_yaml {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let name: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        // Read one byte past the limit, so that `load` can refuse an oversized file without
        // this function reading all of it.
        // Sized to the file, so that the text kept for diagnostics holds no spare capacity.
        let limit = MAX_FILE_BYTES as u64 + 1;
        let mut bytes = Vec::with_capacity(entry.metadata().map_or(0, |m| m.len().min(limit)) as usize);
        std::fs::File::open(entry.path())?.take(limit).read_to_end(&mut bytes)?;
        files.push((name.join("/"), bytes));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// A file to read: its id (its position in discovery order), path and bytes.
pub struct Input {
    pub id: FileId,
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Numbers files in their order, after the ids `sources` has taken.
pub fn number(files: Vec<(String, Vec<u8>)>, sources: &Sources) -> Vec<Input> {
    let first = sources.next_id().0;
    files.into_iter().zip(first..).map(|((path, bytes), id)| Input { id: FileId(id), path, bytes }).collect()
}

/// Turn raw files into documents. Files that are not pipec documents are skipped silently;
/// only a file that yields a document or a diagnostic gets a source.
pub fn load(files: Vec<(String, Vec<u8>)>, sources: &mut Sources, diags: &mut Diagnostics) -> Vec<Document> {
    let files = number(files, sources);
    load_each(files, sources, diags, |doc, _| Some(doc))
}

/// Like [`load`], but hands each document to `then` on the thread that read it, so that the
/// next stages run while the document is at hand and its parsed value lives no longer than
/// they need it. Files are read on every core; results and diagnostics keep the files' order.
pub fn load_each<T: Send>(
    files: Vec<Input>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    then: impl Fn(Document, &mut Diagnostics) -> Option<T> + Sync,
) -> Vec<T> {
    let loaded = crate::par::map(files, |Input { id, path, bytes }| {
        let (text, result) = load_file(bytes, id);
        let mut found = Diagnostics::default();
        let out = match result {
            Ok(None) => return (id, path, None, found, None),
            Ok(Some(doc)) => then(doc, &mut found),
            Err(errors) => {
                found.extend(errors);
                None
            }
        };
        (id, path, Some(text), found, out)
    });
    let mut out = Vec::new();
    for (id, path, text, found, item) in loaded {
        if let Some(text) = text {
            sources.put(id, path, text);
        }
        diags.extend(found.into_vec());
        out.extend(item);
    }
    out
}

/// Loads one file's bytes as `file`: its text, and its document or diagnostics.
fn load_file(bytes: Vec<u8>, file: FileId) -> (String, Result<Option<Document>, Vec<Diagnostic>>) {
    let looks_pipec = memchr::memmem::find(&bytes, PIPEC_PREFIX.as_bytes()).is_some();
    if bytes.len() > MAX_FILE_BYTES {
        let d = Diagnostic::new(Code::E0901, Span::new(file, 0, 0), "file is larger than 8 MiB")
            .label("file too large")
            .help("split the file; pipec reads files of at most 8 MiB");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return (text, if looks_pipec { Err(vec![d]) } else { Ok(None) });
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let result = load_text(&text, file);
            (text, result)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let d = Diagnostic::new(Code::E0004, char_at(&text, file, at), "file is not valid UTF-8")
                .label("invalid byte")
                .help("re-encode the file as UTF-8");
            (text, if looks_pipec { Err(vec![d]) } else { Ok(None) })
        }
    }
}

/// The one place that names the serde YAML backend, so that swapping it is a one-line change.
/// Errors carry the message and the byte offset where the backend stopped.
/// Reads any YAML text into a JSON value, for tools and tests that read YAML which is not a
/// pipec document (such as test corpora); keeps serde_yaml inside this module.
pub fn yaml_value(text: &str) -> Result<serde_json::Value, String> {
    yaml_to_json(text).map_err(|e| e.0)
}

fn yaml_to_json(text: &str) -> Result<serde_json::Value, (String, Option<usize>)> {
    serde_yaml::from_str(text).map_err(|e| (e.to_string(), e.location().map(|l| l.index())))
}

/// Loads one UTF-8 file: `Ok(None)` if it is not a pipec document, `Err` with its diagnostics.
fn load_text(text: &str, file: FileId) -> Result<Option<Document>, Vec<Diagnostic>> {
    let scan = scan(text, file);
    // Decide whether the file is meant for pipec before reporting anything: by its
    // `apiVersion` if the event pass saw one, else by the text.
    let looks_pipec = match &scan.api_version {
        Some(v) => v.starts_with(PIPEC_PREFIX),
        None => text.contains(PIPEC_PREFIX),
    };
    if !scan.errors.is_empty() {
        return if looks_pipec { Err(scan.errors) } else { Ok(None) };
    }
    let value = match yaml_to_json(text) {
        Ok(v) => v,
        Err(_) if !looks_pipec => return Ok(None),
        Err((message, offset)) => {
            // The backend appends its own position; the span carries it instead.
            let message = message.split(" at line ").next().unwrap_or(&message).to_string();
            return Err(vec![yaml_error_at(text, file, offset.unwrap_or(0), message)]);
        }
    };
    let map = scan.map;
    // The two readers must agree on the structure, or spans would point at the wrong place.
    if let Some(pointer) = unmapped(&value, &map, &mut String::new()) {
        if looks_pipec {
            let d = invalid_yaml(map.locate(&pointer), "YAML readers disagree on how to read this")
                .help("write this part more plainly: quote unusual keys and values");
            return Err(vec![d]);
        }
        return Ok(None);
    }
    let Some(api) = value.get("apiVersion").and_then(|v| v.as_str()) else {
        return Ok(None);
    };
    if !api.starts_with(PIPEC_PREFIX) {
        return Ok(None);
    }
    if api != API_VERSION {
        let d = Diagnostic::new(Code::E0008, map.locate("/apiVersion"), format!("unsupported apiVersion `{api}`"))
            .label("unsupported apiVersion")
            .help(format!("use `apiVersion: {API_VERSION}`"));
        return Err(vec![d]);
    }
    let kind = match value.get("kind") {
        None => {
            let span = map.key("/apiVersion").unwrap_or_else(|| map.locate("/apiVersion"));
            let d = Diagnostic::new(Code::E0102, span, "missing field `kind`")
                .label("this document has no `kind`")
                .help("add `kind: Platform` or `kind: Pipeline`");
            return Err(vec![d]);
        }
        Some(serde_json::Value::String(k)) if k == "Platform" => Kind::Platform,
        Some(serde_json::Value::String(k)) if k == "Pipeline" => Kind::Pipeline,
        Some(other) => {
            let shown = other.as_str().map_or_else(|| other.to_string(), str::to_string);
            let help = match did_you_mean(&shown, KINDS) {
                Some(k) => format!("did you mean `{k}`?"),
                None => "use `Platform` or `Pipeline`".to_string(),
            };
            let d = Diagnostic::new(Code::E0005, map.locate("/kind"), format!("unknown kind `{shown}`"))
                .label("unknown kind")
                .help(help);
            return Err(vec![d]);
        }
    };
    Ok(Some(Document { file, kind, value, map }))
}

/// The first pointer of `value` that the source map does not know, if any.
fn unmapped(value: &serde_json::Value, map: &SourceMap, pointer: &mut String) -> Option<String> {
    if map.value(pointer).is_none() {
        return Some(pointer.clone());
    }
    let len = pointer.len();
    let children: Box<dyn Iterator<Item = (String, &serde_json::Value)>> = match value {
        serde_json::Value::Object(o) => Box::new(o.iter().map(|(k, v)| (escape_segment(k), v))),
        serde_json::Value::Array(a) => Box::new(a.iter().enumerate().map(|(i, v)| (i.to_string(), v))),
        _ => return None,
    };
    for (segment, child) in children {
        pointer.push('/');
        pointer.push_str(&segment);
        let found = unmapped(child, map, pointer);
        pointer.truncate(len);
        if found.is_some() {
            return found;
        }
    }
    None
}

fn invalid_yaml(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::E0001, span, message)
        .label("invalid YAML here")
        .help("check the indentation, the brackets and the quoting of values that contain `: ` or `#`")
}

/// A YAML reader's error at a byte offset. Readers report a tab at the token it interrupts; the
/// span goes to the tab itself, with the fix for it.
fn yaml_error_at(text: &str, file: FileId, offset: usize, message: impl Into<String>) -> Diagnostic {
    let message = message.into();
    if message.contains("found a tab") {
        let from = offset.min(text.len());
        let from = (0..=from).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        if let Some(at) = text.get(from..).and_then(|rest| rest.find('\t')) {
            return invalid_yaml(char_at(text, file, from + at), message)
                .label("a tab")
                .help("YAML indents with spaces only: replace the tab with spaces");
        }
    }
    invalid_yaml(char_at(text, file, offset), message)
}

/// The span of the character at a byte offset (empty at the end of the text).
fn char_at(text: &str, file: FileId, offset: usize) -> Span {
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let len = text.get(start..).and_then(|rest| rest.chars().next()).map_or(0, char::len_utf8);
    Span::new(file, start, start + len)
}

/// What the event pass found.
struct Scan {
    map: SourceMap,
    errors: Vec<Diagnostic>,
    /// The root `apiVersion` scalar, if the pass got that far.
    api_version: Option<String>,
}

/// A node recorded by the event pass. Nodes are kept in document order, so the subtree of a
/// node is the contiguous run of nodes after it whose pointers extend its pointer.
#[derive(Clone)]
struct Node {
    pointer: String,
    /// Number of pointer segments: 0 for the root.
    level: usize,
    collection: bool,
    entry: Entry,
}

/// An open collection.
struct Frame {
    node: usize,
    mapping: bool,
    flow: bool,
    anchor: usize,
    /// The next sequence index.
    index: usize,
    /// The key read in a mapping whose value comes next.
    key: Option<(String, Span)>,
    /// Keys of the mapping so far, for duplicate detection.
    keys: HashMap<String, Span>,
    /// The end of the last complete child, which ends a block collection.
    last_end: usize,
}

/// A completed anchored node: `nodes[first..end]`, or an anchored mapping key (empty range).
struct Anchor {
    first: usize,
    end: usize,
    scalar: Option<String>,
}

/// A diagnostic that stops the event pass (boxed: diagnostics are large).
type Stop = Box<Diagnostic>;

struct Builder<'t> {
    text: &'t str,
    file: FileId,
    nodes: Vec<Node>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchor>,
    count: usize,
    documents: usize,
    /// Depth inside a complex (collection) mapping key, whose events are skipped.
    skip: usize,
    skip_start: usize,
    errors: Vec<Diagnostic>,
    api_version: Option<String>,
}

/// Runs the event pass over one file.
fn scan(text: &str, file: FileId) -> Scan {
    let mut options = Options::default();
    options.set_emit_comments(false);
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut b = Builder {
        text,
        file,
        nodes: Vec::new(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        count: 0,
        documents: 0,
        skip: 0,
        skip_start: 0,
        errors: Vec::new(),
        api_version: None,
    };
    while let Some(next) = parser.next_event() {
        let step = match next {
            Ok((event, span)) => {
                let range = span.byte_range().unwrap_or(0..0);
                if let Some(tag) = event.tag().filter(|t| t.is_custom()) {
                    let at = span.tag_span().and_then(|t| t.byte_range()).unwrap_or(range.clone());
                    let d = Diagnostic::new(
                        Code::E0001,
                        b.span(at.start, at.end),
                        format!("tag `{}` is not supported", tag.original()),
                    )
                    .label("tag")
                    .help("remove the tag; pipec reads plain YAML values");
                    b.errors.push(d);
                }
                b.event(event, range.start, range.end)
            }
            Err(e) => {
                let offset = e.marker().byte_offset().unwrap_or(0);
                // The reader's own nesting limit: its scanner runs ahead of the events, so it
                // can stop deep flow collections before the depth check below sees them.
                if matches!(e.kind(), granit_parser::ErrorKind::RecursionLimitExceeded) {
                    Err(Box::new(too_deep(char_at(text, file, offset))))
                } else {
                    Err(Box::new(yaml_error_at(text, file, offset, e.info())))
                }
            }
        };
        if let Err(d) = step {
            b.errors.push(*d);
            break;
        }
    }
    let nodes = b.nodes.into_iter().map(|n| (n.pointer, n.entry)).collect();
    Scan { map: SourceMap { file, nodes }, errors: b.errors, api_version: b.api_version }
}

impl Builder<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// Handles one event; an `Err` stops the pass.
    fn event(&mut self, event: Event<'_>, start: usize, end: usize) -> Result<(), Stop> {
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    let span = self.span(start, end);
                    let d = Diagnostic::new(Code::E0009, span, "more than one document in this file")
                        .label("second document starts here")
                        .help("split the file; pipec reads one document per file");
                    return Err(d.into());
                }
                Ok(())
            }
            Event::Scalar(value, style, anchor, _) => self.scalar(&value, style, anchor, start, end),
            Event::Alias(id) => self.alias(id, start, end),
            Event::SequenceStart(style, anchor, _) => self.open(false, style, anchor, start, end),
            Event::MappingStart(style, anchor, _) => self.open(true, style, anchor, start, end),
            Event::SequenceEnd | Event::MappingEnd => {
                self.close(end);
                Ok(())
            }
            Event::UnresolvedAlias(_) => Err(Box::new(invalid_yaml(self.span(start, end), "unknown anchor"))),
            _ => Ok(()),
        }
    }

    /// Counts one node (or `n` nodes of an alias), refusing documents that grow too large.
    fn count(&mut self, n: usize, start: usize, end: usize) -> Result<(), Stop> {
        self.count += n;
        if self.count > MAX_NODES {
            let message = format!("document has more than {MAX_NODES} nodes");
            let d = Diagnostic::new(Code::E0901, self.span(start, end), message)
                .label("limit reached here")
                .help("split the document; every use of an alias counts its whole subtree");
            return Err(d.into());
        }
        Ok(())
    }

    /// True if the next node is a mapping key.
    fn expects_key(&self) -> bool {
        self.stack.last().is_some_and(|f| f.mapping && f.key.is_none())
    }

    /// Records a mapping key, reporting merge keys and duplicates.
    fn key(&mut self, name: String, span: Span, plain: bool) {
        if plain && name == "<<" {
            self.errors.push(
                Diagnostic::new(Code::E0003, span, "merge keys (`<<`) are not supported")
                    .label("merge key")
                    .help("repeat the keys, or alias a whole value such as `runtime: *defaults`"),
            );
        }
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        if let Some(first) = frame.keys.get(&name) {
            self.errors.push(
                Diagnostic::new(Code::E0002, span, format!("duplicate key `{name}`"))
                    .label("duplicate key")
                    .related(*first, "first defined here")
                    .help("remove one of the two keys"),
            );
        } else {
            frame.keys.insert(name.clone(), span);
        }
        frame.key = Some((name, span));
    }

    /// Where the next value goes: its pointer, key span and level.
    fn place(&mut self) -> (String, Option<Span>, usize) {
        let Some(frame) = self.stack.last_mut() else {
            return (String::new(), None, 0);
        };
        let parent = self.nodes.get(frame.node).map_or("", |n| n.pointer.as_str());
        let level = self.nodes.get(frame.node).map_or(0, |n| n.level) + 1;
        if frame.mapping {
            let (name, span) = frame.key.take().map_or((String::new(), None), |(n, s)| (n, Some(s)));
            (format!("{parent}/{}", escape_segment(&name)), span, level)
        } else {
            frame.index += 1;
            (format!("{parent}/{}", frame.index - 1), None, level)
        }
    }

    /// Marks the current child of the innermost collection as complete.
    fn done(&mut self, end: usize) {
        if let Some(frame) = self.stack.last_mut() {
            frame.last_end = frame.last_end.max(end);
        }
    }

    fn scalar(&mut self, value: &str, style: ScalarStyle, anchor: usize, start: usize, end: usize) -> Result<(), Stop> {
        self.count(1, start, end)?;
        if self.skip > 0 {
            return Ok(());
        }
        if self.expects_key() {
            if anchor != 0 {
                self.anchors.insert(anchor, Anchor { first: 0, end: 0, scalar: Some(value.to_string()) });
            }
            // An empty key (`? ` alone) is reported by the parser as `~`; serde reads it as "".
            let name = if start == end { "" } else { value };
            self.key(name.to_string(), self.span(start, end), style == ScalarStyle::Plain);
            return Ok(());
        }
        let (pointer, key, level) = self.place();
        let end = match style {
            // A block scalar's span runs to the next token; keep only its text.
            ScalarStyle::Literal | ScalarStyle::Folded => {
                start + self.text.get(start..end).map_or(0, |s| s.trim_end().len())
            }
            _ => end,
        };
        if pointer == "/apiVersion" {
            self.api_version = Some(value.to_string());
        }
        let text = Some(scalar_origin(self.text, self.file, style, value, start, end));
        let entry = Entry { key, value: self.span(start, end), text };
        if anchor != 0 {
            let first = self.nodes.len();
            self.anchors.insert(anchor, Anchor { first, end: first + 1, scalar: Some(value.to_string()) });
        }
        self.nodes.push(Node { pointer, level, collection: false, entry });
        self.done(end);
        Ok(())
    }

    fn alias(&mut self, id: usize, start: usize, end: usize) -> Result<(), Stop> {
        let span = self.span(start, end);
        let Some(anchor) = self.anchors.get(&id) else {
            // The anchored node is still open: the alias would contain itself.
            return Err(invalid_yaml(span, "an alias cannot refer to a node that contains it").into());
        };
        let (first, last, scalar) = (anchor.first, anchor.end, anchor.scalar.clone());
        self.count(last.saturating_sub(first).max(1), start, end)?;
        if self.skip > 0 {
            return Ok(());
        }
        if self.expects_key() {
            let name = scalar.unwrap_or_else(|| self.text.get(start..end).unwrap_or_default().to_string());
            self.key(name, span, false);
            return Ok(());
        }
        let (pointer, key, level) = self.place();
        let Some(root) = self.nodes.get(first).filter(|_| first < last).cloned() else {
            // An anchored mapping key: a plain scalar with no recorded text.
            let entry = Entry { key, value: span, text: None };
            self.nodes.push(Node { pointer, level, collection: false, entry });
            self.done(end);
            return Ok(());
        };
        // Copy the anchored subtree under the alias; below the alias, spans point at the
        // definition.
        if root.collection && level + 1 > MAX_DEPTH {
            return Err(Box::new(too_deep(span)));
        }
        let entry = Entry { key, value: span, text: root.entry.text.clone() };
        self.nodes.push(Node { pointer: pointer.clone(), level, collection: root.collection, entry });
        for i in first + 1..last {
            let Some(node) = self.nodes.get(i).cloned() else {
                break;
            };
            let nested = level + node.level.saturating_sub(root.level);
            if node.collection && nested + 1 > MAX_DEPTH {
                return Err(Box::new(too_deep(span)));
            }
            let suffix = node.pointer.get(root.pointer.len()..).unwrap_or_default();
            self.nodes.push(Node { pointer: format!("{pointer}{suffix}"), level: nested, ..node });
        }
        self.done(end);
        Ok(())
    }

    fn open(
        &mut self,
        mapping: bool,
        style: StructureStyle,
        anchor: usize,
        start: usize,
        end: usize,
    ) -> Result<(), Stop> {
        self.count(1, start, end)?;
        if self.skip > 0 || self.expects_key() {
            // A complex key: skip its events and use its text as the key.
            if self.skip == 0 {
                self.skip_start = start;
            }
            self.skip += 1;
            return Ok(());
        }
        let (pointer, key, level) = self.place();
        if level + 1 > MAX_DEPTH {
            return Err(Box::new(too_deep(self.span(start, end))));
        }
        let flow = style == StructureStyle::Flow;
        let mut start = start;
        // An indentless block sequence starts after its first `- `; point at the dash.
        if !flow && !mapping && self.text.as_bytes().get(start) != Some(&b'-') {
            let before = self.text.get(..start).unwrap_or_default().trim_end_matches(' ');
            if before.ends_with('-') {
                start = before.len() - 1;
            }
        }
        let entry = Entry { key, value: self.span(start, end), text: None };
        self.nodes.push(Node { pointer, level, collection: true, entry });
        self.stack.push(Frame {
            node: self.nodes.len() - 1,
            mapping,
            flow,
            anchor,
            index: 0,
            key: None,
            keys: HashMap::new(),
            last_end: end,
        });
        Ok(())
    }

    fn close(&mut self, end: usize) {
        if self.skip > 0 {
            self.skip -= 1;
            if self.skip == 0 {
                let name = self.text.get(self.skip_start..end).unwrap_or_default().trim().to_string();
                let span = self.span(self.skip_start, end);
                self.errors.push(
                    Diagnostic::new(Code::E0001, span, "a mapping key must be a plain value, not a list or a mapping")
                        .label("complex key")
                        .help("use a string key"),
                );
                self.key(name, span, false);
            }
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let end = if frame.flow { end } else { frame.last_end };
        if let Some(node) = self.nodes.get_mut(frame.node) {
            node.entry.value = Span::new(self.file, node.entry.value.start, end);
        }
        if frame.anchor != 0 {
            self.anchors.insert(frame.anchor, Anchor { first: frame.node, end: self.nodes.len(), scalar: None });
        }
        self.done(end);
    }
}

fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0901, span, format!("nesting is deeper than {MAX_DEPTH} levels"))
        .label("too deep")
        .help("flatten the structure")
}

/// Where the bytes of a scalar's value stand in the file. `start..end` is the scalar's span
/// (quotes included, block header excluded, trailing whitespace trimmed).
fn scalar_origin(text: &str, file: FileId, style: ScalarStyle, value: &str, start: usize, end: usize) -> TextOrigin {
    let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
    let (from, to) = if quoted && end >= start + 2 { (start + 1, end - 1) } else { (start, end) };
    let span = Span::new(file, from, to);
    if text.get(from..to) == Some(value) {
        return TextOrigin::verbatim(span);
    }
    match rebuild(text, style, value, from, to) {
        Some((segments, escapes)) => TextOrigin { file, segments, escapes, span },
        None => TextOrigin::verbatim(span),
    }
}

/// A piece of a scalar's value taken from one place in the file: its text, its file offset,
/// and for an escaped character the escape's length in the file.
type Chunk = (String, usize, Option<usize>);

/// Rebuilds the value of a multi-line or escaped scalar from its lines in the file and returns
/// its segments, or None if the rebuilt value does not match the parser's.
///
/// Each line yields chunks of value text (indentation, quotes and escapes removed). The chunks
/// must appear in the value in order; what lies between lines may only be whitespace, which is
/// what line folding produces.
fn rebuild(text: &str, style: ScalarStyle, value: &str, from: usize, to: usize) -> Option<Segments> {
    let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
    // A block scalar's lines start at the line of its first content; its indentation is the
    // column at which that content starts.
    let first_line = if block { text.get(..from)?.rfind('\n').map_or(0, |i| i + 1) } else { from };
    let indent = from - first_line;
    let raw = text.get(first_line..to)?;
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = first_line;
    for line in raw.split('\n') {
        lines.push((offset, line.strip_suffix('\r').unwrap_or(line)));
        offset += line.len() + 1;
    }
    let last = lines.len().saturating_sub(1);
    let mut chunked: Vec<Vec<Chunk>> = Vec::new();
    for (i, &(at, line)) in lines.iter().enumerate() {
        if block {
            match line.get(..indent) {
                Some(lead) if lead.bytes().all(|b| b == b' ') => {
                    chunked.push(vec![(line.get(indent..)?.to_string(), at + indent, None)]);
                }
                _ if line.trim().is_empty() => {}
                _ => return None,
            }
            continue;
        }
        // Flow scalars fold the white space around line breaks, except inside the quotes
        // at the very start and end.
        let escaped_break =
            style == ScalarStyle::DoubleQuoted && (line.len() - line.trim_end_matches('\\').len()) % 2 == 1;
        let head = if i == 0 { line } else { line.trim_start_matches([' ', '\t']) };
        let mut body = if i == last || escaped_break { head } else { head.trim_end_matches([' ', '\t']) };
        if escaped_break {
            body = body.strip_suffix('\\')?;
        }
        let at = at + (line.len() - head.len());
        chunked.push(match style {
            ScalarStyle::SingleQuoted => single_quoted(body, at),
            ScalarStyle::DoubleQuoted => double_quoted(body, at)?,
            _ => vec![(body.to_string(), at, None)],
        });
    }
    match_chunks(value, &chunked)
}

/// Splits a single-quoted line at its `''` escapes.
fn single_quoted(mut rest: &str, mut at: usize) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    while let Some((run, after)) = rest.split_once("''") {
        chunks.push((run.to_string(), at, None));
        chunks.push(("'".to_string(), at + run.len(), Some(2)));
        rest = after;
        at += run.len() + 2;
    }
    chunks.push((rest.to_string(), at, None));
    chunks
}

/// Splits a double-quoted line into literal runs and decoded escapes.
fn double_quoted(line: &str, at: usize) -> Option<Vec<Chunk>> {
    let mut chunks = Vec::new();
    let mut run_start = 0;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        chunks.push((line.get(run_start..i)?.to_string(), at + run_start, None));
        let (_, e) = chars.next()?;
        let decoded = match e {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            't' | '\t' => '\t',
            'n' => '\n',
            'v' => '\u{b}',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            ' ' => ' ',
            '"' | '/' | '\\' => e,
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            'x' | 'u' | 'U' => {
                let digits = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.by_ref().take(digits).map(|(_, h)| h).collect();
                char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
            }
            _ => return None,
        };
        run_start = chars.clone().next().map_or(line.len(), |(j, _)| j);
        chunks.push((decoded.to_string(), at + i, Some(run_start - i)));
    }
    chunks.push((line.get(run_start..)?.to_string(), at + run_start, None));
    Some(chunks)
}

/// The `segments` and `escapes` of a [`TextOrigin`].
type Segments = (Vec<(usize, usize)>, Vec<(usize, usize)>);

fn is_fold_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Places the chunks of each line in the value; see [`rebuild`].
fn match_chunks(value: &str, lines: &[Vec<Chunk>]) -> Option<Segments> {
    let mut segments = Vec::new();
    let mut escapes = Vec::new();
    let mut cur = 0;
    for chunks in lines {
        let joined: String = chunks.iter().map(|c| c.0.as_str()).collect();
        if joined.chars().all(is_fold_space) {
            continue;
        }
        // The line starts where the value's next non-space text starts, less the line's own
        // leading spaces (kept in literal blocks and quoted scalars).
        let lead = joined.len() - joined.trim_start_matches(is_fold_space).len();
        let rest = value.get(cur..)?;
        let next_text = cur + rest.len() - rest.trim_start_matches(is_fold_space).len();
        let at = next_text.checked_sub(lead).filter(|&at| at >= cur)?;
        if !value.get(at..)?.starts_with(&joined) {
            return None;
        }
        cur = at;
        for (piece, file_offset, escape) in chunks {
            if !piece.is_empty() {
                segments.push((cur, *file_offset));
                if let Some(len) = escape {
                    escapes.push((cur, *len));
                }
                cur += piece.len();
            }
        }
    }
    value.get(cur..)?.chars().all(is_fold_space).then_some((segments, escapes))
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

    fn load_one(text: &str) -> (Sources, Diagnostics, Vec<Document>) {
        load_bytes(text.as_bytes().to_vec())
    }

    fn load_bytes(bytes: Vec<u8>) -> (Sources, Diagnostics, Vec<Document>) {
        let mut sources = Sources::default();
        let mut diags = Diagnostics::default();
        let docs = load(vec![("p.yaml".to_string(), bytes)], &mut sources, &mut diags);
        (sources, diags, docs)
    }

    /// Loads a valid document and returns it with its text.
    fn doc(text: &str) -> Document {
        let (_, diags, mut docs) = load_one(text);
        assert!(diags.is_empty(), "{:?}", diags.into_vec());
        docs.pop().expect("one document")
    }

    fn slice(text: &str, span: Option<Span>) -> &str {
        let span = span.expect("span");
        &text[span.start..span.end]
    }

    /// The single diagnostic of a file, with its 1-based line and column.
    fn single(text: &str) -> (Diagnostic, (usize, usize), Sources) {
        let (sources, diags, docs) = load_one(text);
        assert!(docs.is_empty());
        let mut all = diags.into_vec();
        assert_eq!(all.len(), 1, "{all:?}");
        let d = all.remove(0);
        let lc = sources.get(d.span.file).line_col(d.span.start);
        (d, lc, sources)
    }

    const HEAD: &str = "apiVersion: pipec/v1alpha1\nkind: Pipeline\n";

    #[test]
    fn spans_of_keys_and_values_in_block_and_flow_style() {
        let text = format!(
            "{HEAD}metadata:\n  name: ünïcode-ñame\nspec:\n  cols:\n    - {{ name: a, type: BIGINT }}\n    - {{name: b,type: \"DECIMAL(10, 2)\"}}\n  tags:\n  - x\n"
        );
        let d = doc(&text);
        assert_eq!(d.kind, Kind::Pipeline);
        assert_eq!(slice(&text, d.map.key("/metadata/name")), "name");
        assert_eq!(slice(&text, d.map.value("/metadata/name")), "ünïcode-ñame");
        assert_eq!(slice(&text, d.map.value("/spec/cols/0")), "{ name: a, type: BIGINT }");
        assert_eq!(slice(&text, d.map.key("/spec/cols/1/type")), "type");
        assert_eq!(slice(&text, d.map.value("/spec/cols/1/type")), "\"DECIMAL(10, 2)\"");
        assert_eq!(d.map.key("/spec/cols/0"), None);
        assert_eq!(slice(&text, d.map.value("/spec/tags")), "- x");
        assert!(slice(&text, d.map.value("/spec")).starts_with("cols:"));
        assert!(slice(&text, d.map.value("/spec")).ends_with("- x"));
        // Missing pointers fall back to the nearest ancestor's key.
        assert_eq!(slice(&text, Some(d.map.locate("/spec/cols/1/nope/deeper"))), "{name: b,type: \"DECIMAL(10, 2)\"}");
        assert_eq!(slice(&text, Some(d.map.locate("/metadata/owner"))), "metadata");
        assert_eq!(Some(d.map.locate("/absent")), d.map.value(""));
        let origin = d.map.text("/spec/cols/1/type").expect("scalar");
        assert_eq!(&text[origin.span.start..origin.span.end], "DECIMAL(10, 2)");
        assert_eq!(d.map.text("/spec"), None);
    }

    #[test]
    fn escaped_pointer_segments() {
        let text = format!("{HEAD}spec:\n  flinkConfiguration: {{ a/b~c: 1 }}\n");
        let d = doc(&text);
        assert_eq!(slice(&text, d.map.key("/spec/flinkConfiguration/a~1b~0c")), "a/b~c");
        assert_eq!(d.value["spec"]["flinkConfiguration"]["a/b~c"], 1);
    }

    #[test]
    fn literal_sql_block_maps_identifiers_to_file_offsets() {
        let text = format!("{HEAD}spec:\n  sql: |\n    SELECT é, x\n      FROM orders\n    WHERE b = 1\n  next: 1\n");
        let d = doc(&text);
        let sql = d.value["spec"]["sql"].as_str().expect("string");
        let origin = d.map.text("/spec/sql").expect("origin");
        let in_sql = sql.find("orders").expect("orders");
        let at = origin.file_offset(in_sql);
        assert_eq!(&text[at..at + 6], "orders");
        let span = origin.span_of(sql.find("b =").expect("b"), sql.find("b =").expect("b") + 1);
        assert_eq!(&text[span.start..span.end], "b");
        // The value span excludes the trailing line break and the next key's indentation.
        assert!(slice(&text, d.map.value("/spec/sql")).ends_with("WHERE b = 1"));
    }

    #[test]
    fn a_span_over_an_escaped_character_covers_the_escape() {
        let text = format!("{HEAD}spec:\n  q: \"a \\u2603\\tb\\u00e9 \\x41\"\n  r: 'it''s'\n");
        let d = doc(&text);
        let q = d.value["spec"]["q"].as_str().expect("string");
        assert_eq!(q, "a \u{2603}\tb\u{e9} A");
        let origin = d.map.text("/spec/q").expect("q");
        let cover = |from: &str, to: &str| {
            let (s, e) = (q.find(from).expect("from"), q.find(to).expect("to") + to.len());
            let span = origin.span_of(s, e);
            text[span.start..span.end].to_string()
        };
        assert_eq!(cover("\u{2603}", "\u{2603}"), "\\u2603");
        assert_eq!(cover("\u{2603}", "\t"), "\\u2603\\t");
        assert_eq!(cover("b", "\u{e9}"), "b\\u00e9");
        assert_eq!(cover("A", "A"), "\\x41");
        let r = d.map.text("/spec/r").expect("r");
        let span = r.span_of(0, 4);
        assert_eq!(&text[span.start..span.end], "it''s");
    }

    #[test]
    fn literal_with_indent_indicator_chomping_and_crlf() {
        let text = format!("{HEAD}spec:\n  a: |2\n      x\n    y\n  b: |-\n\n    lead\n  c: |+\n    keep\n\n");
        let d = doc(&text);
        assert_eq!(d.value["spec"]["a"], "  x\ny\n");
        let a = d.map.text("/spec/a").expect("a");
        assert_eq!(&text[a.file_offset(2)..a.file_offset(2) + 1], "x");
        assert_eq!(&text[a.file_offset(4)..a.file_offset(4) + 1], "y");
        let b = d.map.text("/spec/b").expect("b");
        assert_eq!(d.value["spec"]["b"], "\nlead");
        assert_eq!(&text[b.file_offset(1)..b.file_offset(1) + 4], "lead");
        let c = d.map.text("/spec/c").expect("c");
        assert_eq!(&text[c.file_offset(0)..c.file_offset(0) + 4], "keep");

        let crlf = format!("{HEAD}spec:\n  sql: |\n    SELECT a\n    FROM t\n").replace('\n', "\r\n");
        let d = doc(&crlf);
        let origin = d.map.text("/spec/sql").expect("sql");
        let at = origin.file_offset("SELECT a\nFROM t".find('t').expect("t"));
        assert_eq!(&crlf[at..at + 1], "t");
        assert_eq!(slice(&crlf, d.map.key("/spec/sql")), "sql");
    }

    #[test]
    fn folded_and_multi_line_flow_scalars() {
        let text = format!(
            "{HEAD}spec:\n  f: >\n    one\n    two\n\n    three\n  p: plain\n    more   words\n  q: \"a\\tb\n    c\\\n    d\"\n  s: 'it''s\n    here'\n  odd: >\n    x\n     y\n"
        );
        let d = doc(&text);
        for (pointer, word) in [("/spec/f", "three"), ("/spec/p", "words"), ("/spec/q", "c"), ("/spec/s", "here")] {
            let value = d.value.pointer(pointer).and_then(|v| v.as_str()).expect("string");
            let origin = d.map.text(pointer).expect("origin");
            let at = origin.file_offset(value.rfind(word).expect("word"));
            assert_eq!(&text[at..at + word.len()], word, "{pointer}");
        }
        assert_eq!(d.value["spec"]["q"], "a\tb cd");
        let s = d.map.text("/spec/s").expect("s");
        assert_eq!(&text[s.file_offset(3)..s.file_offset(3) + 1], "s");
        // Whatever the folding, an origin never points outside its scalar.
        let odd = d.map.text("/spec/odd").expect("odd");
        assert!(odd.file_offset(0) >= odd.span.start && odd.file_offset(100) <= odd.span.end);
    }

    #[test]
    fn unmappable_scalar_falls_back_to_its_start() {
        // An escaped line break followed by an escape that decodes to a line break cannot be
        // placed between folded lines; the origin falls back to the scalar's start.
        let text = format!("{HEAD}spec:\n  q: \"a\\\n\n    \\n\"\n");
        let d = doc(&text);
        let origin = d.map.text("/spec/q").expect("q");
        assert_eq!(origin.segments.len(), 1);
        assert_eq!(origin.segments[0].1, origin.span.start);
    }

    #[test]
    fn anchors_and_aliases() {
        let text =
            format!("{HEAD}spec:\n  base: &rt {{ parallelism: 2, mode: x }}\n  runtime: *rt\n  names: [&n a, *n]\n");
        let d = doc(&text);
        assert_eq!(d.value["spec"]["runtime"]["parallelism"], 2);
        assert_eq!(slice(&text, d.map.value("/spec/runtime")), "*rt");
        assert_eq!(slice(&text, d.map.key("/spec/runtime")), "runtime");
        // Below the alias, spans point at the definition.
        assert_eq!(d.map.value("/spec/runtime/parallelism"), d.map.value("/spec/base/parallelism"));
        assert_eq!(slice(&text, d.map.value("/spec/names/1")), "*n");
        assert_eq!(d.map.text("/spec/names/1").map(|t| t.span), d.map.value("/spec/names/0"));
    }

    #[test]
    fn duplicate_key_at_the_second_key() {
        let text = format!("{HEAD}spec:\n  kafka: {{ cluster: main, topic: t }}\n  kafka: {{}}\n  x: {{a: 1, a: 2}}\n");
        let (sources, diags, docs) = load_one(&text);
        assert!(docs.is_empty());
        let all = diags.into_vec();
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|d| d.code == Code::E0002));
        let f = sources.get(all[0].span.file);
        assert_eq!(f.line_col(all[0].span.start), (5, 3));
        assert_eq!(f.line_col(all[0].related[0].0.start), (4, 3));
        assert_eq!(all[0].related[0].1, "first defined here");
        assert_eq!(f.line_col(all[1].span.start), (6, 13));
    }

    #[test]
    fn merge_key_refused() {
        let (d, lc, _) = single(&format!("{HEAD}d: &d {{a: 1}}\nspec:\n  <<: *d\n"));
        assert_eq!((d.code, lc), (Code::E0003, (5, 3)));
    }

    #[test]
    fn syntax_error_position() {
        let (d, lc, _) = single(&format!("{HEAD}spec:\n  cols: [ {{ name: id, type: BIGINT ]\n"));
        // The parser stops at the flow mapping that `]` fails to close.
        assert_eq!((d.code, lc), (Code::E0001, (4, 11)));
        assert!(!d.message.contains("line"), "{}", d.message);
    }

    #[test]
    fn several_documents_refused() {
        let (d, lc, _) = single(&format!("{HEAD}spec: {{}}\n---\n{HEAD}"));
        assert_eq!((d.code, lc), (Code::E0009, (4, 1)));
    }

    #[test]
    fn non_utf8_reported_at_the_first_bad_byte() {
        let mut bytes = format!("{HEAD}spec:\n  x: ").into_bytes();
        let at = bytes.len();
        bytes.extend([0xff, b'\n']);
        let (sources, diags, _) = load_bytes(bytes);
        let all = diags.into_vec();
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].code, all[0].span.start), (Code::E0004, at));
        assert!(sources.get(all[0].span.file).text.contains('\u{fffd}'));
    }

    #[test]
    fn alias_bomb_rejected_fast() {
        let mut text = format!("{HEAD}a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let (d, _, _) = single(&text);
        assert_eq!(d.code, Code::E0901);
        assert!(started.elapsed().as_secs() < 2);
    }

    #[test]
    fn deep_nesting_rejected() {
        let text = format!("{HEAD}spec: {}{}\n", "[".repeat(70), "]".repeat(70));
        let (d, _, _) = single(&text);
        assert_eq!(d.code, Code::E0901);
        assert!(d.message.contains("deeper"));
        // Deeper than the YAML reader's own limit: the same diagnostic.
        for open in ["[", "{a: "] {
            let text = format!("{HEAD}spec: {}\n", open.repeat(10_000));
            let (d, _, _) = single(&text);
            assert_eq!((d.code, d.message.as_str()), (Code::E0901, "nesting is deeper than 64 levels"));
        }
    }

    #[test]
    fn recognition() {
        // Not pipec files: skipped silently, even when broken.
        let (s, d, docs) = load_one("apiVersion: v1\nkind: ConfigMap\n---\nkind: x\n");
        assert!(docs.is_empty() && d.is_empty() && s.iter().count() == 0);
        let (_, d, _) = load_one("resources: [a, b\n");
        assert!(d.is_empty());
        let (_, d, _) = load_one("");
        assert!(d.is_empty());
        let (d, _, _) = single("apiVersion: pipec/v2\nkind: Pipeline\n");
        assert_eq!(d.code, Code::E0008);
        let (d, _, s) = single("apiVersion: pipec/v1alpha1\nkind: Pipline\n");
        assert_eq!((d.code, d.help.as_str()), (Code::E0005, "did you mean `Pipeline`?"));
        assert_eq!(&s.get(d.span.file).text[d.span.start..d.span.end], "Pipline");
        let (d, lc, _) = single("metadata: {}\napiVersion: pipec/v1alpha1\n");
        assert_eq!((d.code, lc), (Code::E0102, (2, 1)));
        let (_, _, docs) = load_one("apiVersion: pipec/v1alpha1\nkind: Platform\n");
        assert_eq!(docs[0].kind, Kind::Platform);
    }

    #[test]
    fn tags_and_complex_keys_refused() {
        let (d, lc, _) = single(&format!("{HEAD}spec: !Foo x\n"));
        assert_eq!((d.code, lc, d.message.as_str()), (Code::E0001, (3, 7), "tag `!Foo` is not supported"));
        let (d, lc, _) = single(&format!("{HEAD}? [a, b]\n: c\n"));
        assert_eq!((d.code, lc), (Code::E0001, (3, 3)));
        let (d, lc, _) = single(&format!("{HEAD}x: &a [1, *a]\n"));
        assert_eq!((d.code, lc), (Code::E0001, (3, 11)));
        let _ = doc(&format!("{HEAD}a: !!str 12\n"));
    }

    #[test]
    fn readers_that_disagree_are_reported() {
        // granit-parser reads `aname:` as the anchor's name; libyaml reads a key `aname`.
        let (d, lc, _) = single(&format!("{HEAD}metadata: {{ &aname: x }}\n"));
        assert_eq!((d.code, lc), (Code::E0001, (3, 1)));
        assert!(d.message.contains("disagree"), "{}", d.message);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "apiVersion: pipec/v1alpha1\n? [a, b]\n: c\n",
            "apiVersion: pipec/v1alpha1\nkind: Pipeline\nx: &a [1, *a]\n",
            "apiVersion: pipec/v1alpha1\nkind: Pipeline\nx: *nope\n",
            "apiVersion: pipec/v1alpha1\nkind: !Pipeline x\n",
            "\u{feff}apiVersion: pipec/v1alpha1\nkind: Pipeline\nk: &k key\n*k : 1\ny: *k\n",
            "apiVersion: pipec/v1alpha1\nkind: Pipeline\na: \"\\",
            "apiVersion: pipec/v1alpha1\nkind: Pipeline\na: |\n",
            "pipec/\n\t- \"",
        ] {
            let _ = load_one(text);
        }
    }

    #[test]
    fn skipped_files_keep_their_id_but_no_source() {
        let mut sources = Sources::default();
        let mut diags = Diagnostics::default();
        let files = vec![
            ("a.yaml".to_string(), b"apiVersion: v1\nkind: ConfigMap\n".to_vec()),
            ("b.yaml".to_string(), b"apiVersion: pipec/v1alpha1\nkind: Pipline\n".to_vec()),
            ("c.yaml".to_string(), format!("{HEAD}metadata: {{ name: x }}\n").into_bytes()),
        ];
        let docs = load(files, &mut sources, &mut diags);
        let all = diags.into_vec();
        assert_eq!(sources.iter().count(), 2);
        assert_eq!(sources.get(all[0].span.file).path, "b.yaml");
        assert_eq!(sources.get(docs[0].file).path, "c.yaml");
        assert_eq!(docs[0].map.file(), docs[0].file);
        assert_eq!(docs[0].map.value("/metadata/name").map(|s| s.file), Some(docs[0].file));
    }

    #[test]
    fn reads_a_folder() {
        let dir = std::env::temp_dir().join(format!("pipec-load-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for path in ["b.yaml", "a/c.yml", "a/readme.md", ".hidden/x.yaml", "generated/y.yaml", "a/generated/z.yaml"] {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "x: 1\n").expect("write");
        }
        let files = read_dir(&dir).expect("read");
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["a/c.yml", "b.yaml"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
