//! proptest generators shared by the property tests: JSON trees, hostile strings, and
//! replies a hook tool could print (valid ones, truncated ones, wrong types, garbage).

use proptest::prelude::*;
use serde_json::Value;

/// The marker planted in values that may be secret: no error text may contain it.
pub const SECRET: &str = "S3CRET-d0-not-leak";

/// Strings that stress a parser or a message: empty, huge, control characters, quotes,
/// non-BMP characters, flags, the secret marker, arbitrary unicode. A huge one (over every
/// bound a message or an argument has) is rare: its cost is paid in every use.
pub fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        3 => Just(String::new()),
        3 => Just(SECRET.to_string()),
        3 => Just(format!("\"{SECRET}\"")),
        3 => Just("-x".to_string()),
        3 => Just("--format=json".to_string()),
        3 => Just("a\u{7f}\u{85}\u{feff}😀\0\n\r\"\\".to_string()),
        1 => (1usize..200_000).prop_map(|n| "x".repeat(n)),
        3 => "[a-z0-9-]{1,12}",
        3 => any::<String>(),
        3 => ".{0,40}".prop_map(|s| format!("{SECRET}{s}")),
    ]
    .boxed()
}

/// JSON trees of depth at most 3, with hostile strings.
pub fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        hostile_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(hostile_string(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// What a tool could print: a valid-looking reply (`good`), that reply cut anywhere,
/// random JSON, random text, nothing, `null`, or a lot.
pub fn reply(good: &'static [&'static str]) -> BoxedStrategy<String> {
    let good_s = prop::sample::select(good.to_vec()).prop_map(str::to_string);
    let cut = (
        prop::sample::select(good.to_vec()),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(g, i)| {
            let mut n = i.index(g.len() + 1);
            while !g.is_char_boundary(n) {
                n -= 1;
            }
            g[..n].to_string()
        });
    // A huge reply is over every bound an error or argv has (the largest, Linux's
    // 131,071-byte argument) and costs time in every call of a case (debug builds parse
    // about 60 MB/s): rare, and one size. The process backend's own cap (64 MiB of
    // stdout) is checked by tests/process_tools.rs.
    prop_oneof![
        6 => good_s,
        6 => cut,
        6 => json_value().prop_map(|v| v.to_string()),
        2 => Just(String::new()),
        2 => Just("null".to_string()),
        2 => Just("  \n".to_string()),
        4 => hostile_string(),
        1 => Just(format!("[\"{}\"]", "y".repeat(140_000))),
    ]
    .boxed()
}

/// An exit code and stderr for a failing tool.
pub fn failure() -> BoxedStrategy<(i32, String)> {
    let stderr = prop_oneof![
        Just("ERROR relation not found".to_string()),
        Just("ERROR permission denied".to_string()),
        Just("ERROR secret not found".to_string()),
        Just("ERROR this unit is not the leader".to_string()),
        hostile_string(),
    ];
    (prop_oneof![Just(1), Just(2), -1i32..256], stderr).boxed()
}
