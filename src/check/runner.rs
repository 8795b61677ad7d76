//! What the SQL runner would do to an author's SQL.
//!
//! The operator's example SQL runner removes `--` comments and `/* */` blocks with a regular
//! expression before it splits statements at lines that end in `;`, and it trims every line.
//! So a `--` or `/*` inside a string literal or quoted name is cut, a literal over several
//! lines loses its indentation and blank lines (a `;` at the end of one of its lines even splits
//! the statement), and `/*+ ... */` hints vanish. pipec warns at each such place.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::TextOrigin;

/// Scans one SQL text and reports what the runner would change.
pub fn scan(sql: &str, origin: &TextOrigin, diags: &mut Diagnostics) {
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'`' => {
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
                literal(sql, start, end, origin, diags);
                i = end;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = i;
                let end = sql[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                if b.get(i + 2) == Some(&b'+') {
                    diags.push(
                        Diagnostic::new(Code::W0301, origin.span_of(start, end), "the SQL runner removes this hint")
                            .label("removed before the statement runs")
                            .help("set options on the source or sink in the YAML instead of in a hint"),
                    );
                }
                i = end;
            }
            _ => i += 1,
        }
    }
}

fn literal(sql: &str, start: usize, end: usize, origin: &TextOrigin, diags: &mut Diagnostics) {
    let text = &sql[start..end];
    let what = if text.starts_with('`') { "quoted name" } else { "string literal" };
    for marker in ["--", "/*"] {
        if let Some(at) = text.find(marker) {
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
        let ends_with_semicolon = text.lines().any(|l| l.trim_end().ends_with(';'));
        let msg = if ends_with_semicolon {
            format!("this {what} spans lines and one ends with `;`: the SQL runner splits the statement there")
        } else {
            format!("this {what} spans lines: the SQL runner trims its lines and drops blank ones")
        };
        let s = start + at;
        diags.push(
            Diagnostic::new(Code::W0301, origin.span_of(start, s), msg)
                .label("a line break inside")
                .help("keep literals on one line; use CHR(10) for a line break"),
        );
    }
}

#[cfg(test)]
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
        assert_eq!(run("SELECT 'a--b' FROM t").len(), 1);
        assert_eq!(run("SELECT `x/*y` FROM t").len(), 1);
        assert!(run("SELECT 'a;\nb' FROM t")[0].contains("splits"));
        assert!(run("SELECT 'a\nb' FROM t")[0].contains("trims"));
        assert!(run("SELECT /*+ hint */ a FROM t /*+ OPTIONS('k'='v') */")[0].contains("hint"));
        assert!(run("SELECT 'it''s -- here' FROM t")[0].contains("--"));
    }
}
