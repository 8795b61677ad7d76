//! Source files and the mapping from text inside a YAML scalar back to bytes of its file.
//!
//! Positions flow through pipec in one form only: a [`Span`] of bytes in one [`SourceFile`].
//! Text taken out of a YAML scalar (a SQL block, a type string) carries a [`TextOrigin`] that
//! turns an offset in the scalar's value into an offset in the file.

use std::fmt;

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start, end: end.max(start) }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// One file pipec read: its path relative to the input folder (always with `/`) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { path, text, line_starts }
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        // `line_starts` starts with 0, so the search never lands before the first line.
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Byte offset of a 1-based line and 1-based character column; clamped to the file.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        // A line start is 0 or just after a `\n`: a character boundary.
        let rest = self.text.get(start..).unwrap_or_default();
        let line_text = rest.split('\n').next().unwrap_or("");
        line_text.char_indices().nth(col.saturating_sub(1)).map_or(start + line_text.len(), |(i, _)| start + i)
    }
}

/// Every file of one run, by id: a file's id is its position in discovery order. Files that
/// pipec does not read (YAML that is not a pipec document) keep their id but have no source
/// here, and are not listed.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<Option<SourceFile>>,
}

impl Sources {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        let id = self.next_id();
        self.put(id, path, text);
        id
    }

    /// Adds a file under an id taken in advance (files may be added out of order).
    pub fn put(&mut self, id: FileId, path: String, text: String) {
        let i = id.0 as usize;
        if self.files.len() <= i {
            self.files.resize(i + 1, None);
        }
        if let Some(slot) = self.files.get_mut(i) {
            *slot = Some(SourceFile::new(path, text));
        }
    }

    /// The id after the highest one taken: the id the next file gets.
    pub fn next_id(&self) -> FileId {
        FileId(self.files.len() as u32)
    }

    /// The file of an id that a span names. Ids come from [`Sources::next_id`] and
    /// [`Sources::add`]; a span only names a file that was put, so every such id has a file.
    #[expect(clippy::panic, reason = "a span naming no file is pipec's own bug, which exits 2 asking for a report")]
    pub fn get(&self, id: FileId) -> &SourceFile {
        match self.files.get(id.0 as usize) {
            Some(Some(f)) => f,
            _ => panic!("file {id} was skipped and has no source"),
        }
    }

    /// The same files with `prefix` before every path, so that diagnostics name files as the
    /// user's shell sees them (the folder given on the command line, then the path inside it).
    pub fn prefixed(&self, prefix: &str) -> Sources {
        let files = self
            .files
            .iter()
            .map(|f| f.as_ref().map(|f| SourceFile { path: format!("{prefix}{}", f.path), ..f.clone() }))
            .collect();
        Sources { files }
    }

    /// The files that were added, with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().filter_map(|(i, f)| Some((FileId(i as u32), f.as_ref()?)))
    }
}

/// Where the characters of a scalar's value stand in the file.
///
/// `segments` are `(value_offset, file_offset)` pairs sorted by `value_offset`: from each pair
/// on, bytes of the value map one to one onto bytes of the file, up to the next pair. A block
/// scalar has one segment per line; a scalar pipec cannot map exactly has one segment at its
/// start, so positions inside it fall on the scalar's first character.
///
/// `escapes` are the segments that hold one escaped character (`\u2603`, `\t` or `''` in a
/// quoted scalar), as `(value_offset, file_length)`, sorted: every byte of the character maps
/// onto the whole escape, so that a span over it covers the escape as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextOrigin {
    pub file: FileId,
    pub segments: Vec<(usize, usize)>,
    pub escapes: Vec<(usize, usize)>,
    /// The whole scalar in the file (quotes and block header excluded).
    pub span: Span,
}

impl TextOrigin {
    /// A value whose bytes stand unchanged at `span` in the file.
    pub fn verbatim(span: Span) -> TextOrigin {
        TextOrigin { file: span.file, segments: vec![(0, span.start)], escapes: Vec::new(), span }
    }

    /// The segment a byte of the value lies in: its value and file offsets, and its length in
    /// the file when it is an escape.
    fn segment(&self, value_offset: usize) -> Option<(usize, usize, Option<usize>)> {
        let i = match self.segments.binary_search_by_key(&value_offset, |s| s.0) {
            Ok(i) => i,
            Err(0) => return None,
            Err(i) => i - 1,
        };
        let &(v, f) = self.segments.get(i)?;
        let escape = self.escapes.binary_search_by_key(&v, |e| e.0).ok().and_then(|j| self.escapes.get(j)).map(|e| e.1);
        Some((v, f, escape))
    }

    fn clamp(&self, offset: usize) -> usize {
        offset.min(self.span.end.max(self.span.start))
    }

    /// The file offset of a byte offset in the value.
    pub fn file_offset(&self, value_offset: usize) -> usize {
        match self.segment(value_offset) {
            None => self.span.start,
            Some((_, f, Some(_))) => self.clamp(f),
            Some((v, f, None)) => self.clamp(f + (value_offset - v)),
        }
    }

    /// The file offset just after the byte of the value at `value_offset`.
    fn file_end(&self, value_offset: usize) -> usize {
        match self.segment(value_offset) {
            None => self.span.start,
            Some((_, f, Some(len))) => self.clamp(f + len),
            Some((v, f, None)) => self.clamp(f + (value_offset - v) + 1),
        }
    }

    /// The file span of a byte range of the value.
    pub fn span_of(&self, start: usize, end: usize) -> Span {
        let s = self.file_offset(start);
        let e = if end > start { self.file_end(end - 1) } else { s };
        Span::new(self.file, s, e.max(s))
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
