//! What an error may say about a value that may be confidential: a config option, an
//! action parameter, a relation databag field. Never the value itself: its JSON type and
//! size (numbers, booleans and `null` are shown: they are shapes, not secrets), and a
//! parser's message with the strings it quotes taken out.

use serde_json::Value;

/// `n` bytes, for messages (`1 byte`, `7 bytes`).
pub(crate) fn bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{n} bytes")
    }
}

/// `value` described without its text: `a string (7 bytes)`, `an array of 2 items`, `an
/// object with 3 keys`; numbers, booleans and `null` as they are.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("a string ({})", bytes(s.len())),
        Value::Array(a) => format!("an array of {} items", a.len()),
        Value::Object(o) => format!("an object with {} keys", o.len()),
        other => other.to_string(),
    }
}

/// What serde puts between backquotes that is a value, not a name of the type: the
/// variant in `unknown variant `hunter2`, expected one of ...` (the expected variants,
/// and fields, are the charm's own names and stay).
const BACKQUOTED_VALUES: &[&str] = &["unknown variant `"];

/// A serde_json message with every value it quotes taken out: double-quoted parts (the
/// offending string: `invalid type: string "hunter2", expected u16`) become `"…"`, an
/// unknown enum variant (`unknown variant `hunter2``) becomes `` `…` ``; at most 200
/// bytes.
pub(crate) fn serde_problem(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let mut out = String::with_capacity(msg.len().min(256));
    let mut chars = msg.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '"' {
            // Skip to the closing quote (serde escapes quotes inside with `\`).
            let mut escaped = false;
            for c in chars.by_ref() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => break,
                    _ => escaped = false,
                }
            }
            out.push_str("…\"");
        } else if c == '`' && BACKQUOTED_VALUES.iter().any(|p| out.ends_with(p)) {
            // serde writes the value as it is, backquotes included, then `, expected ...`
            // (or `, there are no variants`): skip to the last of those.
            let rest = chars.as_str();
            let end = rest
                .rfind("`, expected ")
                .or_else(|| rest.rfind("`, there are no variants"))
                .map_or(rest.len(), |i| i + 1);
            chars = rest[end..].chars();
            out.push_str("…`");
        }
        if out.len() > 200 {
            out.push_str("...");
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_described_not_shown() {
        assert_eq!(describe(&json!("hunter2")), "a string (7 bytes)");
        assert_eq!(describe(&json!("x")), "a string (1 byte)");
        assert_eq!(describe(&json!([1, "pw"])), "an array of 2 items");
        assert_eq!(describe(&json!({"pw": "x"})), "an object with 1 keys");
        assert_eq!(describe(&json!(8000)), "8000");
        assert_eq!(describe(&json!(null)), "null");
        let e = serde_json::from_str::<u16>(r#""hun\"ter2""#).unwrap_err();
        let p = serde_problem(&e);
        assert_eq!(
            p,
            "invalid type: string \"…\", expected u16 at line 1 column 11"
        );
        assert!(!p.contains("hun"));
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "lowercase")]
    #[allow(dead_code)]
    enum Mode {
        Fast,
        Safe,
    }

    /// An enum field holding a value it does not know: serde quotes the value between
    /// backquotes (`unknown variant `hunter2``), which went into the error as it was.
    #[test]
    fn an_unknown_variant_is_not_quoted() {
        for value in ["hunter2", "pa`ss`, expected `word", ""] {
            let e =
                serde_json::from_str::<Mode>(&serde_json::to_string(&value).unwrap()).unwrap_err();
            let p = serde_problem(&e);
            assert!(
                p.starts_with("unknown variant `…`, expected `fast` or `safe` at line 1"),
                "{value:?}: {p}"
            );
            if !value.is_empty() {
                assert!(!p.contains("hunter2") && !p.contains("pa`ss"), "{p}");
            }
        }
    }
}
