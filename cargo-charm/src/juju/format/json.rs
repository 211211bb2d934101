//! JSON as Go's `encoding/json` writes it (Juju's `--format json`): compact, and with
//! `<`, `>`, `&`, U+2028 and U+2029 escaped inside strings (`json.Marshal` escapes them
//! for HTML safety).

use serde::Serialize;

/// `value` as Go's `json.Marshal` would encode the same structure.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let plain = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    go_escape(&plain)
}

/// Escapes what Go escapes and serde_json does not. These characters can only occur inside
/// JSON strings, so replacing them everywhere is exact.
fn go_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_go_does_and_round_trips() {
        let v = serde_json::json!({"b": "a<b>&c\u{2028}", "a": [1, true]});
        let s = to_string(&v);
        assert_eq!(s, r#"{"a":[1,true],"b":"a\u003cb\u003e\u0026c\u2028"}"#);
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
