//! What the SQL runner would do to an author's SQL.
//!
//! The operator's example SQL runner removes `--` comments and `/* */` blocks with a regular
//! expression before it splits statements at lines that end in `;`, and it trims every line.
//! So a `--` or `/*` inside a string literal or quoted name is cut, a literal over several
//! lines loses its indentation and blank lines (a `;` at the end of one of its lines even splits
//! the statement), and `/*+ ... */` hints vanish. Its `--` comment ends at a Unicode line or
//! paragraph separator (U+0085, U+2028, U+2029), where Flink's comment goes on to the line
//! break; it does not know `//` comments, which Flink's lexer does. pipec warns at each such
//! place.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::TextOrigin;

/// One lexical piece of SQL text, as Flink's lexer sees it, by byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// A string literal (`'...'`) or quoted name (`` `...` ``), quotes included.
    Quoted { start: usize, end: usize },
    /// A `--` or `//` comment, up to (not including) the line break.
    LineComment { start: usize, end: usize },
    /// A `/* ... */` comment or `/*+ ... */` hint.
    Block { start: usize, end: usize },
}

/// Literals, quoted names and comments of `sql`, in order; everything else is code.
#[expect(
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "every index is below `b.len()` by the loop conditions, and `i + 2` follows the two ASCII bytes `/*`, a character boundary"
)]
pub fn pieces(sql: &str) -> Vec<Piece> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'`' | b'"' => {
                let quote = b[i];
                let start = i;
                i += 1;
                while i < b.len() {
                    if b[i] == quote {
                        if b.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                let end = (i + 1).min(b.len());
                out.push(Piece::Quoted { start, end });
                i = end;
            }
            b'-' | b'/' if b.get(i + 1) == Some(&b[i]) => {
                let start = i;
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                out.push(Piece::LineComment { start, end: i });
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = i;
                let end = sql[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                out.push(Piece::Block { start, end });
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// A `--` or `//` comment that runs to the end of `sql` (trailing white space aside), as a byte
/// range: what follows the text on its last line would be part of the comment.
pub fn trailing_line_comment(sql: &str) -> Option<(usize, usize)> {
    let len = sql.trim_end().len();
    pieces(sql).into_iter().find_map(|p| match p {
        Piece::LineComment { start, end } if sql.get(..end).is_some_and(|s| s.trim_end().len() == len) => {
            Some((start, end))
        }
        _ => None,
    })
}

/// Scans one SQL text and reports what the runner would change.
pub fn scan(sql: &str, origin: &TextOrigin, diags: &mut Diagnostics) {
    for piece in pieces(sql) {
        match piece {
            Piece::Quoted { start, end } => literal(sql, start, end, origin, diags),
            Piece::LineComment { start, end } => comment(sql, start, end, origin, diags),
            Piece::Block { start, end } => {
                if sql.get(start..).is_some_and(|s| s.starts_with("/*+")) {
                    diags.push(
                        Diagnostic::new(Code::W0301, origin.span_of(start, end), "the SQL runner removes this hint")
                            .label("removed before the statement runs")
                            .help("set options on the source or sink in the YAML instead of in a hint"),
                    );
                }
            }
        }
    }
}

fn comment(sql: &str, start: usize, end: usize, origin: &TextOrigin, diags: &mut Diagnostics) {
    let text = sql.get(start..end).unwrap_or_default();
    if let Some((at, c)) = text.char_indices().find(|(_, c)| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')) {
        let s = start + at;
        diags.push(
            Diagnostic::new(
                Code::W0301,
                origin.span_of(s, s + c.len_utf8()),
                format!(
                    "the SQL runner ends this comment at the line separator U+{:04X}; the rest of the line runs as SQL",
                    c as u32
                ),
            )
            .label("the runner's comment ends here, Flink's does not")
            .help("remove the separator from the comment"),
        );
    }
    if text.starts_with("//") {
        // The runner does not know `//` comments: their text is SQL to it.
        if let Some(at) = text.find("/*") {
            let s = start + at;
            diags.push(
                Diagnostic::new(
                    Code::W0301,
                    origin.span_of(s, s + 2),
                    "the SQL runner does not know `//` comments: it removes everything from this `/*` to the next `*/`",
                )
                .label("the runner's block comment starts here")
                .help("write the comment with `--`"),
            );
        } else if text.trim_end().ends_with(';') {
            let s = start + text.trim_end().len() - 1;
            diags.push(
                Diagnostic::new(
                    Code::W0301,
                    origin.span_of(s, s + 1),
                    "the SQL runner does not know `//` comments: it splits the statement at this `;`",
                )
                .label("the runner ends the statement here")
                .help("write the comment with `--`"),
            );
        }
    }
}

fn literal(sql: &str, start: usize, end: usize, origin: &TextOrigin, diags: &mut Diagnostics) {
    let text = sql.get(start..end).unwrap_or_default();
    let what = if text.starts_with('\'') { "string literal" } else { "quoted name" };
    // The runner keeps PEM certificate markers out of its comment removal; same length, so
    // offsets stay.
    let masked = ["-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"]
        .iter()
        .fold(text.to_string(), |t, marker| t.replace(marker, &"=".repeat(marker.len())));
    for marker in ["--", "/*"] {
        if let Some(at) = masked.find(marker) {
            let s = start + at;
            diags.push(
                Diagnostic::new(
                    Code::W0301,
                    origin.span_of(s, s + 2),
                    format!("the SQL runner strips `{marker}` comments even inside this {what}"),
                )
                .label("the runner cuts the text from here")
                .help("build the text without it, for example with CONCAT('-', '-') or CHR(45)"),
            );
        }
    }
    if let Some(at) = text.find('\n') {
        // A line of the literal (not its last) that ends with `;`: the runner ends the statement there.
        let mut offset = 0;
        let mut split = None;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end();
            if line.ends_with('\n') && body.ends_with(';') {
                split = Some(offset + body.len() - 1);
                break;
            }
            offset += line.len();
        }
        let diagnostic = match split {
            Some(semicolon) => Diagnostic::new(
                Code::W0301,
                origin.span_of(start + semicolon, start + semicolon + 1),
                format!("this {what} spans lines and this one ends with `;`: the SQL runner splits the statement here"),
            )
            .label("the runner ends the statement here"),
            None => Diagnostic::new(
                Code::W0301,
                origin.span_of(start, start + at),
                format!("this {what} spans lines: the SQL runner trims its lines and drops blank ones"),
            )
            .label("a line break inside"),
        };
        diags.push(diagnostic.help("keep literals on one line; use CHR(10) for a line break"));
    }
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
    use crate::source::{FileId, Span};

    fn run(sql: &str) -> Vec<String> {
        let origin = TextOrigin::verbatim(Span::new(FileId(0), 0, sql.len()));
        let mut d = Diagnostics::default();
        scan(sql, &origin, &mut d);
        d.into_vec().into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn finds_what_the_runner_mangles() {
        assert!(run("SELECT a -- fine\nFROM t /* fine */").is_empty());
        assert!(run("SELECT 'it''s; fine', `a;b`, \"x;y\" FROM t -- it's fine").is_empty());
        assert_eq!(run("SELECT 'a--b' FROM t").len(), 1);
        assert_eq!(run("SELECT `x/*y` FROM t").len(), 1);
        assert!(run("SELECT 'a;\nb' FROM t")[0].contains("splits"));
        assert!(run("SELECT 'a\nb' FROM t")[0].contains("trims"));
        assert!(run("SELECT /*+ hint */ a FROM t /*+ OPTIONS('k'='v') */")[0].contains("hint"));
        assert!(run("SELECT 'it''s -- here' FROM t")[0].contains("--"));
        assert!(run("SELECT '-----BEGIN CERTIFICATE-----\\nMII' FROM t").is_empty());
        assert!(run("SELECT a -- note\u{2028}FROM t\nFROM u")[0].contains("U+2028"));
        assert!(run("SELECT a // note /* x\nFROM t */")[0].contains("`//`"));
        assert!(run("SELECT a // note;\nFROM t")[0].contains("splits"));
    }

    #[test]
    fn finds_trailing_line_comments_outside_literals() {
        assert_eq!(trailing_line_comment("UPPER(s) -- x"), Some((9, 13)));
        assert_eq!(trailing_line_comment("CONCAT(s, '--') // y\n"), Some((16, 20)));
        assert_eq!(trailing_line_comment("UPPER(s -- x\n)"), None);
        assert_eq!(trailing_line_comment("CONCAT(s, '--', `a--b`) /* z */"), None);
    }
}
