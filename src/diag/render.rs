//! Renderers: human (miette), json (versioned; `docs/diagnostics.md`), github (workflow
//! annotations), sarif (SARIF 2.1.0 for code scanning).

use std::fmt::Write as _;

use super::{Diagnostic, Severity};
use crate::source::Sources;

/// The version of the JSON diagnostics format; bumped on any incompatible change.
pub const JSON_FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

pub fn render(diags: &[&Diagnostic], sources: &Sources, format: Format, color: bool) -> String {
    match format {
        Format::Human => human(diags, sources, color),
        Format::Json => json(diags, sources),
        Format::Github => github(diags, sources),
        Format::Sarif => sarif(diags, sources),
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    src: miette::NamedSource<String>,
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.d.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity() {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        (!self.d.help.is_empty()).then(|| Box::new(&self.d.help) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let s = self.d.span;
        let mut labels =
            vec![miette::LabeledSpan::new_primary_with_span(Some(self.d.label.clone()), (s.start, s.len()))];
        for (span, label) in &self.d.related {
            if span.file == s.file {
                labels.push(miette::LabeledSpan::new_with_span(Some(label.clone()), (span.start, span.len())));
            }
        }
        Some(Box::new(labels.into_iter()))
    }
}

fn human(diags: &[&Diagnostic], sources: &Sources, color: bool) -> String {
    let theme = if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for d in diags {
        let file = sources.get(d.span.file);
        let report = Report { d, src: miette::NamedSource::new(file.path.clone(), file.text.clone()) };
        let _ = handler.render_report(&mut out, &report);
        // Related places in other files are named by position.
        for (span, label) in &d.related {
            if span.file != d.span.file {
                let f = sources.get(span.file);
                let (l, c) = f.line_col(span.start);
                let _ = writeln!(out, "  note: {}:{}:{}: {}", f.path, l, c, label);
            }
        }
    }
    let errors = diags.iter().filter(|d| d.severity() == Severity::Error).count();
    let warnings = diags.len() - errors;
    if !diags.is_empty() {
        let _ = writeln!(out, "{errors} error(s), {warnings} warning(s)");
    }
    out
}

fn location(d: &Diagnostic, sources: &Sources) -> (String, usize, usize, usize, usize) {
    let f = sources.get(d.span.file);
    let (l, c) = f.line_col(d.span.start);
    let (el, ec) = f.line_col(d.span.end);
    (f.path.clone(), l, c, el, ec)
}

fn json(diags: &[&Diagnostic], sources: &Sources) -> String {
    let items: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let (path, l, c, el, ec) = location(d, sources);
            let related: Vec<serde_json::Value> = d
                .related
                .iter()
                .map(|(s, label)| {
                    let f = sources.get(s.file);
                    let (l, c) = f.line_col(s.start);
                    serde_json::json!({"file": f.path, "line": l, "column": c, "label": label})
                })
                .collect();
            serde_json::json!({
                "code": d.code.as_str(),
                "severity": match d.severity() { Severity::Error => "error", Severity::Warning => "warning" },
                "message": d.message,
                "file": path,
                "line": l,
                "column": c,
                "endLine": el,
                "endColumn": ec,
                "byteStart": d.span.start,
                "byteEnd": d.span.end,
                "label": d.label,
                "help": d.help,
                "related": related,
            })
        })
        .collect();
    let doc = serde_json::json!({"version": JSON_FORMAT_VERSION, "diagnostics": items});
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn github_escape(s: &str, property: bool) -> String {
    let mut s = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        s = s.replace(':', "%3A").replace(',', "%2C");
    }
    s
}

fn github(diags: &[&Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    for d in diags {
        let (path, l, c, el, ec) = location(d, sources);
        let kind = match d.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut msg = format!("{}: {}", d.label, d.message);
        if !d.help.is_empty() {
            msg.push_str("\nhelp: ");
            msg.push_str(&d.help);
        }
        let _ = writeln!(
            out,
            "::{kind} file={},line={l},col={c},endLine={el},endColumn={ec},title={}::{}",
            github_escape(&path, true),
            github_escape(d.code.as_str(), true),
            github_escape(&msg, false)
        );
    }
    out
}

/// A file path as a relative URI reference: `/` separates segments, and every byte that a URI
/// path cannot hold as it is (space, `%`, `#`, `?`, brackets, quotes, control characters,
/// anything not ASCII) is percent-encoded.
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// SARIF 2.1.0, as GitHub code scanning reads it: one run, a rule per code used, a result per
/// diagnostic with its region (1-based lines and columns).
fn sarif(diags: &[&Diagnostic], sources: &Sources) -> String {
    let mut codes: Vec<super::Code> = diags.iter().map(|d| d.code).collect();
    codes.sort();
    codes.dedup();
    let level = |c: super::Code| match c.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let rules: Vec<serde_json::Value> = codes
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.as_str(),
                "name": c.summary(),
                "shortDescription": {"text": c.summary()},
                "fullDescription": {"text": c.explain()},
                "help": {"text": c.explain()},
                "defaultConfiguration": {"level": level(*c)},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let (path, l, c, el, ec) = location(d, sources);
            let mut text = d.message.clone();
            if !d.help.is_empty() {
                text.push_str("\nhelp: ");
                text.push_str(&d.help);
            }
            serde_json::json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": codes.iter().position(|x| *x == d.code).unwrap_or(0),
                "level": level(d.code),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_reference(&path)},
                        "region": {"startLine": l, "startColumn": c, "endLine": el, "endColumn": ec},
                    },
                    "message": {"text": d.label},
                }],
            })
        })
        .collect();
    let doc = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "columnKind": "unicodeCodePoints",
            "tool": {"driver": {
                "name": "pipec",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
