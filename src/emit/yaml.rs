//! A small, deterministic YAML writer for generated objects.
//!
//! Objects are built as `serde_json::Value` (whose maps are sorted) and written in block style.
//! Strings are plain when YAML reads them back as the same string, double-quoted (JSON escapes,
//! which YAML accepts) otherwise, and multi-line strings are literal blocks when that is exact.

use serde_json::Value;

/// One YAML document (no `---`), ending in a newline.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        _ => {
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, m: &serde_json::Map<String, Value>, ind: usize) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            indent(out, ind);
        }
        out.push_str(&key(k));
        out.push(':');
        write_value_after_key(out, v, ind);
    }
}

fn write_value_after_key(out: &mut String, v: &Value, ind: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            indent(out, ind + 2);
            write_map(out, m, ind + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            indent(out, ind);
            write_seq(out, a, ind);
        }
        Value::String(s) if literal_block_ok(s) => {
            out.push_str(" |");
            if !s.ends_with('\n') {
                out.push('-');
            }
            out.push('\n');
            for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
                if !line.is_empty() {
                    indent(out, ind + 2);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, a: &[Value], ind: usize) {
    for (i, v) in a.iter().enumerate() {
        if i > 0 {
            indent(out, ind);
        }
        out.push_str("- ");
        match v {
            Value::Object(m) if !m.is_empty() => write_map(out, m, ind + 2),
            Value::Array(inner) if !inner.is_empty() => write_seq(out, inner, ind + 2),
            _ => {
                out.push_str(&scalar(v));
                out.push('\n');
            }
        }
    }
}

/// A literal block keeps the string exactly when it has line breaks, no trailing spaces on its
/// lines, no tabs, no carriage returns, does not start with a space and ends with at most one newline.
fn literal_block_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && !s.ends_with("\n\n")
        && !s.contains(['\r', '\t'])
        && s.split('\n').all(|l| !l.ends_with(' '))
        && s.chars().all(|c| c == '\n' || plain_char(c))
}

/// A character that YAML readers take as itself in plain and block scalars: printable (YAML's
/// `c-printable`), and none of NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR, which YAML 1.1
/// readers (and libyaml, PyYAML and go-yaml today) take as line breaks, nor a byte order mark.
fn plain_char(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

fn key(k: &str) -> String {
    if plain_ok(k) { k.to_string() } else { quoted(k) }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            if plain_ok(s) {
                s.clone()
            } else {
                quoted(s)
            }
        }
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

/// A double-quoted scalar: JSON's escapes, which YAML reads too, and `\uXXXX` for every other
/// character that is not plain (JSON leaves DEL, C1 controls and the separators as they are).
fn quoted(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if plain_char(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        }
    }
    out
}

/// Whether a string can be written without quotes and reads back as the same string (and not
/// as a number, boolean, null or timestamp under YAML 1.1 or 1.2 rules).
fn plain_ok(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    const SPECIAL: &[&str] =
        &["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".nan", ".inf", "-.inf", "+.inf"];
    if SPECIAL.contains(&lower.as_str()) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    // Numbers, dates, versions like 1.20 and leading indicators: quote them all.
    if first.is_ascii_digit() || matches!(first, '-' | '+' | '.') {
        return false;
    }
    if "!&*?|>'\"%@`{}[],#".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    s.chars().all(plain_char)
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
    use serde_json::json;

    #[test]
    fn every_string_reads_back_as_itself() {
        let hostile = [
            "a\u{2028}b",
            "a\u{2029}b\nc",
            "line\u{85}next",
            "x\u{7f}y\u{9b}z",
            "\u{feff}bom",
            "tab\there",
            "SELECT 'a';\n  -- c\n",
            "key: value # not a comment",
            "${X} `q` \"d\" 'mixed' \\ end",
            "grüße ☃\nzwei",
            "trailing space \nline",
            "- item",
            "",
        ];
        for s in hostile {
            let doc = json!({ s: s, "list": [s] });
            let text = to_yaml(&doc);
            let back: serde_json::Value = match serde_yaml::from_str(&text) {
                Ok(v) => v,
                Err(e) => panic!("{s:?} does not read back: {e}\n{text}"),
            };
            assert_eq!(back, doc, "{s:?} changed:\n{text}");
        }
    }

    #[test]
    fn writes_block_style_with_safe_scalars() {
        let v = json!({
            "apiVersion": "v1",
            "data": {"pipeline.sql": "SELECT 1\nFROM t;\n", "n": "2", "v": "1.20", "b": "true", "s": "a: b"},
            "items": [{"name": "a", "value": 1}, "x"],
            "empty": [],
        });
        let y = to_yaml(&v);
        assert_eq!(
            y,
            "apiVersion: v1\ndata:\n  b: \"true\"\n  \"n\": \"2\"\n  pipeline.sql: |\n    SELECT 1\n    FROM t;\n  s: \"a: b\"\n  v: \"1.20\"\nempty: []\nitems:\n- name: a\n  value: 1\n- x\n"
        );
    }
}
