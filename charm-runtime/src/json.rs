//! JSON the way Python's `json.dumps` writes it (`", "` and `": "` separators, non-ASCII
//! and DEL escaped as `\uXXXX`), so values written by a Rust charm are byte-for-byte what an ops
//! charm writes (`{"started_counter": 1}`), plus lenient number decoding.

use serde::de::{self, Deserializer, Visitor};
use serde::Serialize;
use std::fmt;
use std::io;

/// Python's `json.dumps` formatting; with `raw_astral`, characters above U+FFFF are
/// written as they are instead of as a surrogate-pair escape.
struct PythonFormatter {
    raw_astral: bool,
}

impl serde_json::ser::Formatter for PythonFormatter {
    /// `", "` between items (and, through `begin_object_key`, between members).
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.begin_array_value(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // ASCII but DEL goes through as it is, as Python's `json.dumps` (which escapes
        // all but ` `..`~`), written a run at a time.
        let mut rest = fragment;
        while !rest.is_empty() {
            let plain = rest
                .bytes()
                .position(|b| !b.is_ascii() || b == 0x7f)
                .unwrap_or(rest.len());
            w.write_all(&rest.as_bytes()[..plain])?;
            rest = &rest[plain..];
            let Some(c) = rest.chars().next() else {
                break;
            };
            rest = &rest[c.len_utf8()..];
            if self.raw_astral && u32::from(c) > 0xFFFF {
                let mut buf = [0u8; 4];
                w.write_all(c.encode_utf8(&mut buf).as_bytes())?;
            } else {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

/// Serializes `value` as Python's `json.dumps(value)` would.
///
/// ```
/// use std::collections::BTreeMap;
/// let v = BTreeMap::from([("started_counter", 1)]);
/// assert_eq!(charm_runtime::json::to_string(&v).unwrap(), r#"{"started_counter": 1}"#);
/// assert_eq!(charm_runtime::json::to_string(&"é").unwrap(), r#""\u00e9""#);
/// ```
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(64);
    let mut ser =
        serde_json::Serializer::with_formatter(&mut out, PythonFormatter { raw_astral: false });
    value.serialize(&mut ser)?;
    // The formatter only writes ASCII.
    Ok(String::from_utf8(out).expect("ASCII output"))
}

/// JSON for a hook tool's `--file -` (`relation-set`, `state-set`), which Juju reads with
/// a YAML parser (go-yaml v2): as [`to_string`], but a character above U+FFFF is written
/// as it is. go-yaml refuses a raw DEL or C1 control character ("control characters are
/// not allowed", `readerc.go`) and a `\u` escape of a surrogate ("found invalid Unicode
/// character escape code", `scannerc.go`), and folds a raw NEL into a space; it reads
/// every other `\uXXXX` escape and a raw character above U+FFFF unchanged. So every
/// string goes through as it is (Python's `json.dumps`, which ops uses, escapes an emoji
/// as a surrogate pair that Juju refuses).
pub(crate) fn to_tool_input<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(64);
    let mut ser =
        serde_json::Serializer::with_formatter(&mut out, PythonFormatter { raw_astral: true });
    value.serialize(&mut ser)?;
    Ok(String::from_utf8(out).expect("ASCII and whole characters"))
}

/// A serde `deserialize_with` helper that accepts a JSON integer or a string holding one,
/// as the tutorial's Python code did with `int(counter)`.
///
/// ```
/// #[charm_runtime::json_value]
/// struct Stats {
///     #[serde(deserialize_with = "charm_runtime::json::int_or_string")]
///     started_counter: u64,
/// }
/// let a: Stats = charm_runtime::serde_json::from_str(r#"{"started_counter": "7"}"#).unwrap();
/// let b: Stats = charm_runtime::serde_json::from_str(r#"{"started_counter": 7}"#).unwrap();
/// assert_eq!(a.started_counter, b.started_counter);
/// ```
pub fn int_or_string<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128> + std::str::FromStr,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<T: TryFrom<i128> + std::str::FromStr> Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an integer or a string holding an integer")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            T::try_from(v as i128).map_err(|_| E::custom(format!("integer {v} out of range")))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            T::try_from(v as i128).map_err(|_| E::custom(format!("integer {v} out of range")))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            v.trim()
                .parse()
                .map_err(|_| E::custom(format!("{v:?} is not an integer")))
        }
    }
    deserializer.deserialize_any(V(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_python_json_dumps() {
        // Expected strings are what CPython 3.11's json.dumps prints.
        assert_eq!(
            to_string(&json!({"a": [1, 2], "b": {"c": null}})).unwrap(),
            r#"{"a": [1, 2], "b": {"c": null}}"#
        );
        assert_eq!(to_string(&json!("x\"y\n")).unwrap(), r#""x\"y\n""#);
        assert_eq!(to_string(&json!("😀")).unwrap(), r#""\ud83d\ude00""#);
        assert_eq!(to_string(&json!(1.5)).unwrap(), "1.5");
        assert_eq!(to_string(&json!([])).unwrap(), "[]");
        assert_eq!(to_string(&json!({})).unwrap(), "{}");
    }
}
