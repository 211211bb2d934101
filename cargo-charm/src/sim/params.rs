//! Action parameters as `juju run` reads them (`cmd/juju/action/run.go`): each
//! `key.key...=value` argument's value is YAML as Go's `yaml.v2` reads it (YAML 1.1: `y`,
//! `yes`, `on` are `true`; `n`, `no`, `off` are `false`; `0x1f`, `0o17`-style `017` and
//! `0b101` are integers; `~` and `null` are null), and a dotted key builds nested maps.
//! A `--params` file's map comes first; the arguments override it.

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// YAML 1.1's booleans (`yaml.v2`'s resolve table).
const TRUE: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
];
const FALSE: &[&str] = &[
    "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
];
const NULL: &[&str] = &["~", "null", "Null", "NULL"];

/// A key of a `key.key...=value` argument: lowercase letters, digits and hyphens, starting
/// and ending with a letter or digit (Juju's `nameRule`).
fn valid_key(k: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    k.starts_with(ok) && k.ends_with(ok) && k.chars().all(|c| ok(c) || c == '-')
}

/// A YAML 1.1 integer in `yaml.v2`'s forms: decimal, `0b` binary, `0x` hex, leading-`0`
/// octal, `_` separators, an optional sign.
fn yaml11_int(s: &str) -> Option<i64> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if digits.is_empty() || digits.starts_with('_') {
        return None;
    }
    let clean = digits.replace('_', "");
    let parsed = if let Some(b) = clean.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if let Some(h) = clean.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if clean.len() > 1 && clean.starts_with('0') {
        i64::from_str_radix(&clean[1..], 8).ok()
    } else if clean.chars().all(|c| c.is_ascii_digit()) {
        clean.parse().ok()
    } else {
        None
    };
    parsed.map(|n| if neg { -n } else { n })
}

/// One value as `yaml.Unmarshal` reads it into an `interface{}`. An empty value stays the
/// empty string (`yaml.v2` leaves the Go string as it was).
pub fn yaml_value(raw: &str) -> Result<Value> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(Value::from(raw));
    }
    if TRUE.contains(&s) {
        return Ok(Value::Bool(true));
    }
    if FALSE.contains(&s) {
        return Ok(Value::Bool(false));
    }
    if NULL.contains(&s) {
        return Ok(Value::Null);
    }
    if let Some(n) = yaml11_int(s) {
        return Ok(Value::from(n));
    }
    let parsed: serde_yaml::Value = serde_yaml::from_str(raw)
        .map_err(|e| Error::msg(format!("cannot parse {raw:?} as YAML: {e}")))?;
    serde_json::to_value(parsed)
        .map_err(|e| Error::msg(format!("cannot use {raw:?} as a parameter: {e}")))
}

/// Sets `keys` (a dotted path) to `value` in `map`, making the maps on the way (a
/// non-map value on the way is replaced, as Juju's `addValueToMap` does).
fn insert_path(map: &mut Map<String, Value>, keys: &[&str], value: Value) {
    match keys {
        [] => {}
        [last] => {
            map.insert((*last).to_string(), value);
        }
        [first, rest @ ..] => {
            let entry = map
                .entry((*first).to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                insert_path(inner, rest, value);
            }
        }
    }
}

/// `key.key...=value` pairs (already split at the first `=`) on top of `base` (the
/// `--params` file's map, or empty).
pub fn from_pairs(
    base: Map<String, Value>,
    pairs: &[(String, String)],
) -> Result<Map<String, Value>> {
    let mut out = base;
    for (key, value) in pairs {
        let keys: Vec<&str> = key.split('.').collect();
        if let Some(bad) = keys.iter().find(|k| !valid_key(k)) {
            return Err(Error::usage(format!(
                "key {bad:?} must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric and hyphens"
            )));
        }
        insert_path(&mut out, &keys, yaml_value(value)?);
    }
    Ok(out)
}

/// `key.key...=value` arguments as `juju run` takes them.
pub fn parse_key_values(args: &[String]) -> Result<Map<String, Value>> {
    let pairs = args
        .iter()
        .map(|a| {
            a.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| {
                    Error::usage(format!(
                        "argument {a:?} must be of the form key.key.key...=value"
                    ))
                })
        })
        .collect::<Result<Vec<_>>>()?;
    from_pairs(Map::new(), &pairs)
}

/// A `--params` file: a YAML map with string keys.
pub fn from_file(text: &str) -> Result<Map<String, Value>> {
    let parsed: serde_yaml::Value = serde_yaml::from_str(text)
        .map_err(|e| Error::msg(format!("the params file is not YAML: {e}")))?;
    if parsed.is_null() {
        return Ok(Map::new());
    }
    match serde_json::to_value(parsed) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(Error::msg(
            "params must contain a YAML map with string keys",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(args: &[&str]) -> Result<Value> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_key_values(&args).map(Value::Object)
    }

    #[test]
    fn values_are_yaml_1_1_as_juju_reads_them() {
        let v = parse(&[
            "a=yes",
            "b=on",
            "c=y",
            "d=Off",
            "e=no",
            "f=3",
            "g=0x1f",
            "h=017",
            "i=0b101",
            "j=1_000",
            "k=-4",
            "l=2.5",
            "m=~",
            "n=hello",
            "o=",
            "p=[1, two]",
            "q=\"yes\"",
            "r=true",
            "s=1e3",
        ])
        .unwrap();
        assert_eq!(
            v,
            json!({
                "a": true, "b": true, "c": true, "d": false, "e": false, "f": 3, "g": 31,
                "h": 15, "i": 5, "j": 1000, "k": -4, "l": 2.5, "m": null, "n": "hello",
                "o": "", "p": [1, "two"], "q": "yes", "r": true, "s": 1000.0
            })
        );
    }

    #[test]
    fn dotted_keys_nest_and_later_arguments_win() {
        let v = parse(&["file.kind=xz", "file.quality=high", "out=a", "out=b"]).unwrap();
        assert_eq!(
            v,
            json!({"file": {"kind": "xz", "quality": "high"}, "out": "b"})
        );
        let base = from_file("out: x\nkeep: 1\n").unwrap();
        let v = from_pairs(base, &[("out".into(), "z".into())]).unwrap();
        assert_eq!(Value::Object(v), json!({"out": "z", "keep": 1}));
    }

    #[test]
    fn bad_arguments_are_refused_in_juju_words() {
        let e = parse(&["novalue"]).unwrap_err();
        assert_eq!(
            e.message,
            "argument \"novalue\" must be of the form key.key.key...=value"
        );
        let e = parse(&["Bad=1"]).unwrap_err();
        assert!(e
            .message
            .starts_with("key \"Bad\" must start and end with lowercase alphanumeric"));
        let e = parse(&["a..b=1"]).unwrap_err();
        assert!(
            e.message.starts_with("key \"\" must start"),
            "{}",
            e.message
        );
        assert!(from_file("- a\n").unwrap_err().message.contains("YAML map"));
    }
}
