//! Durations as Pebble reads and writes them: Go's `time.ParseDuration` syntax in, Go's
//! `time.Duration.String()` form out (`"500ms"`, `"30s"`, `"1m0s"`, `"1h2m3.5s"`).
//!
//! Pebble stores `backoff-delay`, `kill-delay`, a check's `period`/`timeout` and a
//! notice's `repeat-after`/`expire-after` this way (`internals/plan/types.go`
//! `OptionalDuration`, Go's `time/format.go`).

use std::fmt;
use std::time::Duration;

/// A duration text that Go's `time.ParseDuration` would reject (or that is negative, which
/// no Pebble duration field allows to be useful and [`Duration`] cannot hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError {
    /// The text as given.
    pub text: String,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Pebble's own wording (`OptionalDuration.UnmarshalYAML`).
        write!(f, "invalid duration {:?}", self.text)
    }
}

impl std::error::Error for DurationError {}

/// Formats `d` exactly as Go's `time.Duration.String()` does.
pub fn format_go(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos == 0 {
        return "0s".into();
    }
    if nanos < 1_000 {
        return format!("{nanos}ns");
    }
    if nanos < 1_000_000 {
        return format!("{}µs", frac(nanos, 3));
    }
    if nanos < 1_000_000_000 {
        return format!("{}ms", frac(nanos, 6));
    }
    let secs = nanos / 1_000_000_000;
    let sub = nanos % 1_000_000_000;
    let mut out = String::new();
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if secs >= 60 {
        out.push_str(&format!("{m}m"));
    }
    out.push_str(&frac(s * 1_000_000_000 + sub, 9));
    out.push('s');
    out
}

/// `v / 10^prec` with the fraction's trailing zeros (and a bare dot) dropped.
fn frac(v: u128, prec: u32) -> String {
    let scale = 10u128.pow(prec);
    let (int, mut fr) = (v / scale, v % scale);
    if fr == 0 {
        return int.to_string();
    }
    let mut digits = prec as usize;
    while fr % 10 == 0 {
        fr /= 10;
        digits -= 1;
    }
    format!("{int}.{fr:0digits$}")
}

/// Parses Go's duration syntax: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` with units `ns`, `us`,
/// `µs`, `μs`, `ms`, `s`, `m`, `h`, or a bare `0`. Negative durations other than zero and
/// values above Go's limit (about 292 years) are rejected.
pub fn parse_go(text: &str) -> Result<Duration, DurationError> {
    let err = || DurationError { text: text.into() };
    let mut s = text;
    let mut negative = false;
    if let Some(rest) = s.strip_prefix('-') {
        negative = true;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    }
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    if s.is_empty() {
        return Err(err());
    }
    let mut total: u128 = 0;
    while !s.is_empty() {
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let (int_digits, rest) = s.split_at(int_len);
        s = rest;
        let mut frac_digits = "";
        if let Some(rest) = s.strip_prefix('.') {
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            frac_digits = &rest[..n];
            s = &rest[n..];
        }
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(err());
        }
        let unit_len = s
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        let (unit, rest) = s.split_at(unit_len);
        s = rest;
        let unit_nanos: u128 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(err()),
        };
        let int: u128 = if int_digits.is_empty() {
            0
        } else {
            // More than 30 digits overflows Go's int64 long before u128.
            if int_digits.len() > 30 {
                return Err(err());
            }
            int_digits.parse().map_err(|_| err())?
        };
        total = int
            .checked_mul(unit_nanos)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(err)?;
        // Like Go, digits past what the arithmetic can carry are ignored.
        let kept = &frac_digits[..frac_digits.len().min(18)];
        if !kept.is_empty() {
            let num: u128 = kept.parse().map_err(|_| err())?;
            let den = 10u128.pow(kept.len() as u32);
            total += num * unit_nanos / den;
        }
        if total > i64::MAX as u128 {
            return Err(err());
        }
    }
    if negative && total != 0 {
        return Err(err());
    }
    let secs = (total / 1_000_000_000) as u64;
    Ok(Duration::new(secs, (total % 1_000_000_000) as u32))
}

/// Serde for `Option<Duration>` in Go's text form; a missing or null value is `None`.
/// Numbers are read as their text, as Pebble does (`10` is an error, no unit; `0` is zero).
pub mod option {
    use super::{format_go, parse_go};
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;
    use std::time::Duration;

    /// Writes `Some(d)` as Go's duration text (callers skip `None`).
    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&format_go(*d)),
            None => s.serialize_none(),
        }
    }

    /// Reads a duration text (or a number's text), null as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        d.deserialize_any(DurationVisitor)
    }

    struct DurationVisitor;

    impl DurationVisitor {
        fn parse<E: de::Error>(text: &str) -> Result<Option<Duration>, E> {
            parse_go(text).map(Some).map_err(E::custom)
        }
    }

    impl<'de> Visitor<'de> for DurationVisitor {
        type Value = Option<Duration>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a duration such as \"500ms\", \"30s\" or \"1m30s\"")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Self::parse(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Self::parse(&v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Self::parse(&v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Self::parse(&v.to_string())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(DurationVisitor)
        }
    }
}
