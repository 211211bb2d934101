//! A small block-style YAML emitter for the metadata files.
//!
//! yaml_serde quotes strings by YAML 1.2 rules, so it writes `on`, `yes`, `2024-01-01`,
//! `1:20` or `1_000` plain; the readers of these files (PyYAML in charmcraft and ops, and
//! Go's yaml.v2 in Juju) use YAML 1.1 rules and would read those as booleans, dates or
//! numbers. This emitter writes a string plain only when every common resolver reads it
//! back as the same string; otherwise it quotes it. Multi-line strings become literal
//! blocks. Mapping entries whose value is null are written as `key:` (charmcraft's
//! `platforms: {amd64: }` shorthand).

use serde_yaml::Value;

/// Recursively sorts every mapping's keys, as Python's `yaml.safe_dump(sort_keys=True)`.
pub(super) fn sorted(value: Value) -> Value {
    match value {
        Value::Mapping(map) => {
            let mut entries: Vec<(Value, Value)> = map.into_iter().collect();
            entries.sort_by_key(|(k, _)| key_order(k));
            Value::Mapping(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Sequence(items) => Value::Sequence(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn key_order(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => scalar(other),
    }
}

/// The whole document, ending with a newline.
pub(super) fn document(value: &Value) -> String {
    let mut lines = Vec::new();
    match value {
        Value::Mapping(m) if !m.is_empty() => mapping(&mut lines, m, 0),
        Value::Sequence(s) if !s.is_empty() => sequence(&mut lines, s, 0),
        other => lines.push(scalar(other)),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Mapping(m) => !m.is_empty(),
        Value::Sequence(s) => !s.is_empty(),
        Value::Tagged(t) => is_block(&t.value),
        _ => false,
    }
}

fn mapping(lines: &mut Vec<String>, map: &serde_yaml::Mapping, indent: usize) {
    for (key, value) in map {
        let key = format!("{}{}:", pad(indent), scalar(key));
        match value {
            Value::Mapping(m) if !m.is_empty() => {
                lines.push(key);
                mapping(lines, m, indent + 2);
            }
            // Block sequences sit at their key's indentation, as PyYAML writes them.
            Value::Sequence(s) if !s.is_empty() => {
                lines.push(key);
                sequence(lines, s, indent);
            }
            Value::Null => lines.push(key),
            Value::String(s) if literal_ok(s) => {
                lines.push(format!("{key} {}", literal_header(s)));
                literal_body(lines, s, indent + 2);
            }
            other => lines.push(format!("{key} {}", scalar(other))),
        }
    }
}

fn sequence(lines: &mut Vec<String>, items: &[Value], indent: usize) {
    for item in items {
        match item {
            v if is_block(v) => {
                // Render the collection one level deeper, then put the dash on its
                // first line: `- key: value` / `  other: value`.
                let mut sub = Vec::new();
                match v {
                    Value::Mapping(m) => mapping(&mut sub, m, indent + 2),
                    Value::Sequence(s) => sequence(&mut sub, s, indent + 2),
                    _ => unreachable!("is_block"),
                }
                if let Some(first) = sub.first_mut() {
                    first.replace_range(indent..indent + 2, "- ");
                }
                lines.extend(sub);
            }
            Value::String(s) if literal_ok(s) => {
                lines.push(format!("{}- {}", pad(indent), literal_header(s)));
                literal_body(lines, s, indent + 2);
            }
            other => lines.push(format!("{}- {}", pad(indent), scalar(other))),
        }
    }
}

/// Whether `s` can be written as a literal block scalar that reads back unchanged.
fn literal_ok(s: &str) -> bool {
    s.contains('\n')
        && s.chars().all(|c| c == '\n' || c == '\t' || printable(c))
        // A line of only blanks can be taken for indentation or an empty line.
        && s.split('\n').all(|l| l.is_empty() || !l.trim().is_empty())
        // Trailing blank lines need `|+` and are easy to get subtly wrong: quote those.
        && !s.ends_with("\n\n")
}

fn literal_header(s: &str) -> String {
    // An explicit indentation indicator when the first line starts with a blank (or
    // is empty) so the parser does not guess the indentation from it.
    let indicator = if s.starts_with([' ', '\t', '\n']) {
        "2"
    } else {
        ""
    };
    let chomp = if s.ends_with('\n') { "" } else { "-" };
    format!("|{indicator}{chomp}")
}

fn literal_body(lines: &mut Vec<String>, s: &str, indent: usize) {
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if line.is_empty() {
            lines.push(String::new());
        } else {
            lines.push(format!("{}{line}", pad(indent)));
        }
    }
}

fn printable(c: char) -> bool {
    !c.is_control() && c != '\u{feff}' && c != '\u{2028}' && c != '\u{2029}'
}

/// A scalar (or an empty collection) on one line.
fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => string(s),
        Value::Sequence(s) if s.is_empty() => "[]".to_string(),
        Value::Mapping(m) if m.is_empty() => "{}".to_string(),
        // Only scalars and empty collections reach here from the callers above;
        // fall back to a flow rendering for anything else.
        Value::Sequence(s) => {
            let items: Vec<String> = s.iter().map(scalar).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k), scalar(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Tagged(t) => scalar(&t.value),
    }
}

fn number(n: &serde_yaml::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f.is_nan() {
        ".nan".to_string()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.to_string()
    } else {
        // Rust's `Display` for f64 never uses an exponent; YAML 1.1 needs a `.` in a
        // float, so `3` becomes `3.0`.
        let s = f.to_string();
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// A string: plain when safe, else single-quoted, else double-quoted with escapes.
fn string(s: &str) -> String {
    if plain_ok(s) {
        s.to_string()
    } else if s.chars().all(printable) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        double_quoted(s)
    }
}

/// Words that YAML 1.1 or 1.2 resolves to booleans, nulls or special floats.
const RESERVED: &[&str] = &[
    "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "=", "<<",
];

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let last = s.chars().next_back().unwrap_or(first);
    // Indicators that cannot start a plain scalar, and `-`, `+` and digits, which may
    // start a number, a date or `-.inf`: quote those too, to be safe.
    if "-?:,[]{}#&*!|>'\"%@`+ \t".contains(first) || first.is_ascii_digit() {
        return false;
    }
    // `.5`, `.inf`, `.NaN` are floats; `.` or `./src` are strings.
    if first == '.' && s[1..].starts_with(|c: char| c.is_ascii_digit() || "iInN".contains(c)) {
        return false;
    }
    if last == ' ' || last == '\t' || last == ':' {
        return false;
    }
    if RESERVED.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains(":\t") || s.contains('\t') {
        return false;
    }
    s.chars().all(printable)
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if printable(c) => out.push(c),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}
