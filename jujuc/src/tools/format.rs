//! Output and input formats as Juju's tools use them: Go's `encoding/json` (`--format=json`),
//! `gopkg.in/yaml.v2` (`--format=yaml`), juju/cmd's "smart" format (the default of most
//! tools), Go's `%q` quoting in messages, the YAML/JSON maps `--file` reads, and base64.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, PAD_INDIFFERENT};
use base64::Engine;
use serde_json::Value;

use crate::world::BagData;

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// juju/cmd `FormatSmart`: strings bare, bools `True`/`False`, string lists one per
    /// line, `nil` nothing, anything else YAML.
    Smart,
    /// `FormatYaml`.
    Yaml,
    /// `FormatJson`.
    Json,
}

/// A document to print: like a JSON value, but maps keep their order, so Go structs
/// (whose fields print in declaration order) can be rendered as Go renders them. Go maps
/// print with sorted keys: [`Node::from`] a [`Value`] sorts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// A scalar (null, bool, number or string).
    Scalar(Value),
    /// A sequence.
    Seq(Vec<Node>),
    /// A map, in printing order.
    Map(Vec<(String, Node)>),
}

impl From<&Value> for Node {
    fn from(v: &Value) -> Node {
        ordered(v, &[])
    }
}

/// Converts a value, putting the keys named in `order` first and in that order (Go
/// struct fields), and the rest sorted (Go map keys).
pub(crate) fn ordered(v: &Value, order: &[&str]) -> Node {
    match v {
        Value::Array(items) => Node::Seq(items.iter().map(|i| ordered(i, order)).collect()),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by_key(|k| {
                (
                    order.iter().position(|o| o == k).unwrap_or(usize::MAX),
                    k.as_str(),
                )
            });
            Node::Map(
                keys.into_iter()
                    .map(|k| (k.clone(), ordered(&m[k], order)))
                    .collect(),
            )
        }
        scalar => Node::Scalar(scalar.clone()),
    }
}

/// What a tool prints for `value` in `format`: juju/cmd's `Output.Write` appends one
/// newline to any non-empty formatter output.
pub(crate) fn render(format: Format, value: &Value) -> String {
    render_node(format, &Node::from(value))
}

/// [`render`] for an ordered document.
pub(crate) fn render_node(format: Format, node: &Node) -> String {
    let body = match format {
        Format::Json => go_json(node),
        Format::Yaml => yaml(node),
        Format::Smart => smart(node),
    };
    if body.is_empty() {
        body
    } else {
        body + "\n"
    }
}

fn smart(node: &Node) -> String {
    match node {
        Node::Scalar(Value::Null) => String::new(),
        Node::Scalar(Value::String(s)) => s.clone(),
        Node::Scalar(Value::Bool(true)) => "True".into(),
        Node::Scalar(Value::Bool(false)) => "False".into(),
        Node::Scalar(Value::Number(n)) => n.to_string(),
        // Juju passes `[]string` for lists of names (relation-ids, relation-list,
        // opened-ports, storage-list): smart joins them with newlines.
        Node::Seq(items)
            if items
                .iter()
                .all(|i| matches!(i, Node::Scalar(Value::String(_)))) =>
        {
            items
                .iter()
                .filter_map(|i| match i {
                    Node::Scalar(Value::String(s)) => Some(s.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
        other => yaml(other),
    }
}

// ----- Go's encoding/json -----
// Hand-written: serde_json escapes differently from Go (`<`, `>`, `&`, U+2028/9) and a
// `Node` keeps Go's struct field order, so the writer is Go's, not serde_json's.

/// `json.Marshal`: compact, and `<`, `>`, `&`, U+2028 and U+2029 escaped as Go does.
pub(crate) fn go_json(node: &Node) -> String {
    let mut out = String::new();
    write_json(&mut out, node);
    out
}

fn write_json(out: &mut String, node: &Node) {
    match node {
        Node::Scalar(Value::String(s)) => write_json_string(out, s),
        Node::Scalar(Value::Null) => out.push_str("null"),
        Node::Scalar(other) => out.push_str(&other.to_string()),
        Node::Seq(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, v);
            }
            out.push(']');
        }
        Node::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(out, k);
                out.push(':');
                write_json(out, v);
            }
            out.push('}');
        }
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

// ----- gopkg.in/yaml.v2 (as juju/cmd FormatYaml uses it) -----
// Hand-written: yaml_serde (libyaml) quotes, indents sequences and chooses block scalars
// differently from Go's yaml.v2, and the tools' output must match Juju's byte for byte.

/// YAML as yaml.v2 marshals it (block style, sequences not indented under their key),
/// without the trailing newline (juju/cmd trims it; [`render`] adds one).
pub(crate) fn yaml(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Scalar(Value::Null) => return String::new(),
        Node::Map(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Node::Seq(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        scalar => {
            let (text, block) = yaml_scalar(scalar, 0);
            out.push_str(&text);
            out.push('\n');
            if let Some(block) = block {
                out.push_str(&block);
            }
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

fn write_map(out: &mut String, entries: &[(String, Node)], indent: usize) {
    for (k, v) in entries {
        out.push_str(&" ".repeat(indent));
        out.push_str(&yaml_string(k, indent).0);
        out.push(':');
        write_child(out, v, indent, indent + 2);
    }
}

fn write_seq(out: &mut String, items: &[Node], indent: usize) {
    for v in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match v {
            Node::Map(m) if !m.is_empty() => {
                // The first key goes on the dash's line, the others under it.
                let mut inner = String::new();
                write_map(&mut inner, m, indent + 2);
                out.push(' ');
                out.push_str(&inner[indent + 2..]);
            }
            Node::Seq(a) if !a.is_empty() => {
                let mut inner = String::new();
                write_seq(&mut inner, a, indent + 2);
                out.push(' ');
                out.push_str(&inner[indent + 2..]);
            }
            scalar => write_child(out, scalar, indent, indent + 2),
        }
    }
}

/// Writes what follows `key:` or `-`: a scalar on the same line, or a nested block.
fn write_child(out: &mut String, v: &Node, indent: usize, nested: usize) {
    match v {
        Node::Map(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, nested);
        }
        // yaml.v2 does not indent a sequence under its mapping key.
        Node::Seq(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(out, a, indent);
        }
        scalar => {
            let (text, block) = yaml_scalar(scalar, nested);
            out.push(' ');
            out.push_str(&text);
            out.push('\n');
            if let Some(block) = block {
                out.push_str(&block);
            }
        }
    }
}

/// A scalar's text, and for multi-line strings the literal block's lines (indented by
/// `indent`).
fn yaml_scalar(v: &Node, indent: usize) -> (String, Option<String>) {
    match v {
        Node::Scalar(Value::Null) => ("null".into(), None),
        Node::Scalar(Value::String(s)) => yaml_string(s, indent),
        Node::Scalar(other) => (other.to_string(), None),
        Node::Map(_) => ("{}".into(), None),
        Node::Seq(_) => ("[]".into(), None),
    }
}

fn yaml_string(s: &str, indent: usize) -> (String, Option<String>) {
    if s.contains('\n') && !s.chars().any(|c| c != '\n' && c.is_control() && c != '\t') {
        let trailing = s.len() - s.trim_end_matches('\n').len();
        let header = match trailing {
            0 => "|-",
            1 => "|",
            _ => "|+",
        };
        let pad = " ".repeat(indent.max(2));
        let mut block = String::new();
        let body = if trailing == 0 { s } else { &s[..s.len() - 1] };
        for line in body.split('\n') {
            if !line.is_empty() {
                block.push_str(&pad);
                block.push_str(line);
            }
            block.push('\n');
        }
        return (header.into(), Some(block));
    }
    if resolves_to_non_string(s) {
        return (double_quoted(s), None);
    }
    if plain_allowed(s) {
        (s.to_string(), None)
    } else if s.chars().any(|c| c.is_control() && c != '\t') {
        (double_quoted(s), None)
    } else {
        (format!("'{}'", s.replace('\'', "''")), None)
    }
}

/// Whether yaml.v2 would read this plain scalar as something other than a string (so it
/// must be quoted to stay one).
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN", "<<",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let body_nu = body.replace('_', "");
    if !body_nu.is_empty() && body_nu.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(d) = body_nu.strip_prefix(prefix) {
            if !d.is_empty() && d.chars().all(|c| c.is_digit(radix)) {
                return true;
            }
        }
    }
    // Floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    let (mantissa, exp) = match body_nu.find(['e', 'E']) {
        Some(i) => (&body_nu[..i], Some(&body_nu[i + 1..])),
        None => (body_nu.as_str(), None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            a.chars().all(|c| c.is_ascii_digit())
                && b.chars().all(|c| c.is_ascii_digit())
                && (!a.is_empty() || !b.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.chars().all(|c| c.is_ascii_digit()),
    };
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
        }
    };
    mantissa_ok && exp_ok
}

fn plain_allowed(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with('\t') || s.ends_with('\t') {
        return false;
    }
    if ",[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if matches!(first, '-' | '?' | ':') {
        let second = s.chars().nth(1);
        if second.is_none() || second == Some(' ') {
            return false;
        }
    }
    !(s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control() && c != '\t'))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ----- Go's %q -----
// Hand-written: Go's `strconv.Quote` escaping; Rust's `{:?}` escapes differently and no
// crate reproduces Go's.

/// Go's `%q` for a string (what Juju's messages quote names with).
pub(crate) fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%q` for a `[]string`: `["a" "b"]`.
pub(crate) fn q_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", inner.join(" "))
}

// ----- input: the YAML (or JSON) map `--file` reads -----
// Hand-written: yaml.v2 into `map[string]string` keeps YAML 1.1 scalars' text and fails with
// yaml.v2's own messages (`line N: cannot unmarshal !!seq into string`), which Juju prints.

/// Reads a map of strings as Juju's `relation-set --file` / `state-set --file` do (Go
/// yaml.v2 into `map[string]string`): JSON objects (JSON is YAML), flow maps
/// (`{a: b, c: d}`) and block maps (`key: value` lines, quoted scalars, `|` literal
/// blocks, comments). Scalars become their text; `null`/`~`/nothing become `""`. An empty
/// document is an empty map. Anchors, tags and nested collections are not supported.
pub(crate) fn parse_settings(text: &str) -> Result<BagData, String> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return match v {
            Value::Object(m) => m
                .into_iter()
                .map(|(k, v)| {
                    let s = match v {
                        Value::String(s) => s,
                        Value::Null => String::new(),
                        Value::Bool(b) => b.to_string(),
                        Value::Number(n) => n.to_string(),
                        _ => {
                            return Err(unmarshal_error(
                                1,
                                &format!("cannot unmarshal !!map into string (key {})", q(&k)),
                            ))
                        }
                    };
                    Ok((k, s))
                })
                .collect(),
            Value::Null => Ok(BagData::new()),
            Value::Array(_) => Err(unmarshal_error(
                1,
                "cannot unmarshal !!seq into map[string]string",
            )),
            other => Err(unmarshal_error(
                1,
                &format!(
                    "cannot unmarshal !!str `{}` into map[string]string",
                    short(&other.to_string())
                ),
            )),
        };
    }
    let lines: Vec<&str> = text.lines().collect();
    // Skip blank and comment lines to find the document's first token.
    let content: String = lines
        .iter()
        .map(|l| strip_comment(l))
        .collect::<Vec<_>>()
        .join("\n");
    let trimmed = content.trim();
    if trimmed.is_empty() || trimmed == "---" || trimmed == "~" || trimmed == "null" {
        return Ok(BagData::new());
    }
    if trimmed.starts_with('{') {
        return parse_flow_map(trimmed);
    }
    if trimmed.starts_with('[') || trimmed.starts_with("- ") || trimmed == "-" {
        return Err(unmarshal_error(
            1,
            "cannot unmarshal !!seq into map[string]string",
        ));
    }
    parse_block_map(&lines)
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 10 {
        format!("{}...", s.chars().take(7).collect::<String>())
    } else {
        s.to_string()
    }
}

fn unmarshal_error(line: usize, msg: &str) -> String {
    format!("yaml: unmarshal errors:\n  line {line}: {msg}")
}

/// Removes a `#` comment (at the start or after whitespace, outside quotes).
fn strip_comment(line: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for c in line.chars() {
        match quote {
            Some(qc) => {
                if c == qc {
                    quote = None;
                }
            }
            None => {
                if c == '#' && prev_space {
                    break;
                }
                if c == '\'' || c == '"' {
                    quote = Some(c);
                }
            }
        }
        prev_space = c.is_whitespace();
        out.push(c);
    }
    out.trim_end().to_string()
}

/// A scalar's value: quoted strings unquoted, plain ones trimmed, null as "".
fn scalar_text(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if let Some(inner) = s.strip_prefix('\'') {
        let inner = inner
            .strip_suffix('\'')
            .ok_or_else(|| format!("yaml: found unexpected end of stream in {s}"))?;
        return Ok(inner.replace("''", "'"));
    }
    if let Some(inner) = s.strip_prefix('"') {
        let inner = inner
            .strip_suffix('"')
            .ok_or_else(|| format!("yaml: found unexpected end of stream in {s}"))?;
        return unescape_double(inner);
    }
    if matches!(s, "" | "~" | "null" | "Null" | "NULL") {
        return Ok(String::new());
    }
    Ok(s.to_string())
}

fn unescape_double(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some(' ') => out.push(' '),
            Some(k @ ('x' | 'u' | 'U')) => {
                let n = match k {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.by_ref().take(n).collect();
                let code = u32::from_str_radix(&hex, 16)
                    .map_err(|_| format!("yaml: invalid escape \\{k}{hex}"))?;
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            Some(other) => return Err(format!("yaml: found unknown escape character \\{other}")),
            None => return Err("yaml: found unexpected end of stream".into()),
        }
    }
    Ok(out)
}

/// Splits at top-level `sep` (outside quotes and brackets).
fn split_top(s: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut depth = 0i32;
    for c in s.chars() {
        match quote {
            Some(qc) => {
                if c == qc {
                    quote = None;
                }
                cur.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    cur.push(c);
                }
                '{' | '[' => {
                    depth += 1;
                    cur.push(c);
                }
                '}' | ']' => {
                    depth -= 1;
                    cur.push(c);
                }
                c if c == sep && depth == 0 => parts.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            },
        }
    }
    parts.push(cur);
    parts
}

/// Finds the `:` that separates key from value (followed by a space or the end, outside
/// quotes).
fn split_key(s: &str) -> Option<(String, String)> {
    let chars: Vec<char> = s.chars().collect();
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        match quote {
            Some(qc) => {
                if c == qc {
                    quote = None;
                }
            }
            None => {
                if (c == '\'' || c == '"') && chars[..i].iter().all(|c| c.is_whitespace()) {
                    quote = Some(c);
                } else if c == ':' && chars.get(i + 1).is_none_or(|n| n.is_whitespace()) {
                    let key: String = chars[..i].iter().collect();
                    let value: String = chars[i + 1..].iter().collect();
                    return Some((key, value));
                }
            }
        }
    }
    None
}

fn parse_flow_map(s: &str) -> Result<BagData, String> {
    // A second document after the first map is ignored, as yaml.v2 reads one document.
    let end = {
        let mut depth = 0i32;
        let mut quote: Option<char> = None;
        let mut end = None;
        for (i, c) in s.char_indices() {
            match quote {
                Some(qc) if c == qc => quote = None,
                Some(_) => {}
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    '{' | '[' => depth += 1,
                    '}' | ']' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i);
                            break;
                        }
                    }
                    _ => {}
                },
            }
        }
        end.ok_or_else(|| "yaml: line 1: did not find expected ',' or '}'".to_string())?
    };
    let inner = &s[1..end];
    let mut out = BagData::new();
    for part in split_top(inner, ',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (k, v) = split_key(part).unwrap_or((part.to_string(), String::new()));
        let v = v.trim();
        if v.starts_with('{') || v.starts_with('[') {
            return Err(unmarshal_error(
                1,
                "cannot unmarshal a collection into string",
            ));
        }
        out.insert(scalar_text(&k)?, scalar_text(v)?);
    }
    Ok(out)
}

fn parse_block_map(lines: &[&str]) -> Result<BagData, String> {
    let mut out = BagData::new();
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let line = strip_comment(raw);
        i += 1;
        if line.trim().is_empty() || line.trim() == "---" {
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            return Err(format!(
                "yaml: line {i}: mapping values are not allowed in this context"
            ));
        }
        let Some((k, v)) = split_key(&line) else {
            return Err(unmarshal_error(
                i,
                &format!(
                    "cannot unmarshal !!str `{}` into map[string]string",
                    short(line.trim())
                ),
            ));
        };
        let key = scalar_text(&k)?;
        let v = v.trim();
        if let Some(chomp) = v.strip_prefix(['|', '>']) {
            // A block scalar: the following more-indented lines.
            let folded = v.starts_with('>');
            let mut block: Vec<String> = Vec::new();
            let mut indent: Option<usize> = None;
            while i < lines.len() {
                let l = lines[i];
                if l.trim().is_empty() {
                    block.push(String::new());
                    i += 1;
                    continue;
                }
                let n = l.len() - l.trim_start_matches(' ').len();
                if n == 0 {
                    break;
                }
                let ind = *indent.get_or_insert(n);
                if n < ind {
                    break;
                }
                block.push(l[ind..].to_string());
                i += 1;
            }
            while block.last().is_some_and(|l| l.is_empty()) {
                block.pop();
            }
            let mut text = if folded {
                block.join(" ")
            } else {
                block.join("\n")
            };
            match chomp.trim() {
                "-" => {}
                _ if text.is_empty() => {}
                _ => text.push('\n'),
            }
            out.insert(key, text);
        } else if v.starts_with('{') || v.starts_with('[') {
            return Err(unmarshal_error(
                i,
                "cannot unmarshal a collection into string",
            ));
        } else if v.is_empty() {
            // A nested block map or sequence is not a string.
            if i < lines.len() && lines[i].starts_with([' ', '-']) && !lines[i].trim().is_empty() {
                return Err(unmarshal_error(
                    i,
                    "cannot unmarshal a collection into string",
                ));
            }
            out.insert(key, String::new());
        } else {
            out.insert(key, scalar_text(v)?);
        }
    }
    Ok(out)
}

// ----- base64 -----

/// Juju's `encoding/base64.StdEncoding` as the tools use it: the standard alphabet,
/// padding written on encode; on decode padding is optional (as this module has always
/// accepted) and non-zero trailing bits are allowed (Go's non-strict decoding).
const B64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    PAD_INDIFFERENT.with_decode_allow_trailing_bits(true),
);

/// Standard base64 with padding.
pub(crate) fn b64_encode(data: &[u8]) -> String {
    B64.encode(data)
}

/// Standard base64, padding optional; `None` if `s` is not base64.
pub(crate) fn b64_decode(s: &str) -> Option<Vec<u8>> {
    B64.decode(s).ok()
}

#[cfg(test)]
mod tests {
    use super::{b64_decode, b64_encode};

    #[test]
    fn base64_is_the_standard_alphabet_with_optional_padding() {
        assert_eq!(b64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(b64_encode(b"\xfb\xff"), "+/8=");
        assert_eq!(b64_encode(b""), "");
        assert_eq!(b64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(b64_decode("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(b64_decode("+/8=").as_deref(), Some(&b"\xfb\xff"[..]));
        // Non-zero trailing bits are accepted, as Go's (non-strict) StdEncoding does.
        assert_eq!(b64_decode("aGVsbG9=").as_deref(), Some(&b"hello"[..]));
        // Not the URL-safe alphabet, not arbitrary text.
        assert_eq!(b64_decode("-_8="), None);
        assert_eq!(b64_decode("not base64!"), None);
    }
}
