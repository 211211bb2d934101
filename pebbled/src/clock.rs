//! Time as Pebble shows it: instants formatted the way Go's `time.Time` marshals to JSON
//! (RFC 3339 with nanoseconds, trailing zeros trimmed, UTC as `Z`), and an injectable
//! [`Clock`] so that a harness gets the same state from the same inputs.
//!
//! Hand-written rather than a date crate: only UTC is needed, and Go's exact layouts
//! (`RFC3339Nano` trims trailing zeros, `RFC3339` has none) are a few lines over the
//! days-from-civil conversion.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const NANOS_PER_SEC: i128 = 1_000_000_000;

/// An instant: nanoseconds since the Unix epoch, in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i128);

impl Timestamp {
    /// The instant `nanos` nanoseconds after the Unix epoch.
    pub fn from_unix_nanos(nanos: i128) -> Self {
        Timestamp(nanos)
    }

    /// The instant `secs` seconds after the Unix epoch.
    pub fn from_unix_secs(secs: i64) -> Self {
        Timestamp(i128::from(secs) * NANOS_PER_SEC)
    }

    /// Nanoseconds since the Unix epoch.
    pub fn unix_nanos(self) -> i128 {
        self.0
    }

    /// This instant plus `nanos` nanoseconds (negative goes back).
    pub fn add_nanos(self, nanos: i128) -> Self {
        Timestamp(self.0.saturating_add(nanos))
    }

    /// The instant of a [`SystemTime`] (a file's modification time, say).
    pub fn from_system_time(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => Timestamp(after.as_nanos() as i128),
            Err(before) => Timestamp(-(before.duration().as_nanos() as i128)),
        }
    }

    fn split(self) -> (i64, u32) {
        let secs = self.0.div_euclid(NANOS_PER_SEC);
        let nanos = self.0.rem_euclid(NANOS_PER_SEC) as u32;
        (secs.clamp(i64::MIN as i128, i64::MAX as i128) as i64, nanos)
    }

    /// Go's `time.RFC3339Nano` layout, as `time.Time` marshals to JSON:
    /// `2024-01-02T03:04:05.5Z` (fraction trimmed of trailing zeros, absent when zero).
    pub fn rfc3339_nano(self) -> String {
        let (secs, nanos) = self.split();
        let mut out = civil(secs);
        if nanos != 0 {
            let fraction = format!("{nanos:09}");
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }

    /// Go's `time.RFC3339` layout (whole seconds): `2024-01-02T03:04:05Z`, as Pebble
    /// writes a file's `last-modified` and the stamp of a task log line.
    pub fn rfc3339(self) -> String {
        let (secs, _) = self.split();
        let mut out = civil(secs);
        out.push('Z');
        out
    }

    /// Parses an RFC 3339 timestamp (`Z` or a `±hh:mm` offset, optional fraction), as Go's
    /// `time.Parse(time.RFC3339, s)` accepts it. The error is Go's wording for a layout
    /// mismatch.
    pub fn parse_rfc3339(text: &str) -> Result<Self, String> {
        parse_rfc3339(text).ok_or_else(|| {
            format!(
                "parsing time {text:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse {text:?} as \"2006\""
            )
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339_nano())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.rfc3339_nano())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of a Unix second, in UTC.
fn civil(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        of_day / 3600,
        (of_day / 60) % 60,
        of_day % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The day count since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn parse_rfc3339(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    let number = |from: usize, len: usize| -> Option<i64> {
        let part = text.get(from..from + len)?;
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    if bytes[10] != b'T' && bytes[10] != b't' {
        return None;
    }
    let (year, month, day) = (number(0, 4)?, number(5, 2)? as u32, number(8, 2)? as u32);
    let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut pos = 19;
    let mut nanos: i128 = 0;
    if bytes.get(pos) == Some(&b'.') {
        let start = pos + 1;
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        if end == start || end - start > 9 {
            return None;
        }
        let digits = &text[start..end];
        nanos = format!("{digits:0<9}").parse().ok()?;
        pos = end;
    }
    let offset_secs: i64 = match bytes.get(pos)? {
        b'Z' | b'z' if pos + 1 == bytes.len() => 0,
        sign @ (b'+' | b'-') if pos + 6 == bytes.len() && bytes[pos + 3] == b':' => {
            let hours = number(pos + 1, 2)?;
            let minutes = number(pos + 4, 2)?;
            let magnitude = hours * 3600 + minutes * 60;
            if *sign == b'+' {
                magnitude
            } else {
                -magnitude
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(Timestamp(i128::from(secs) * NANOS_PER_SEC + nanos))
}

/// Where the state gets "now" from: the system clock in a server, a [`ManualClock`] in a
/// test that wants the same output every run.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The system's real-time clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_system_time(SystemTime::now())
    }
}

/// A clock that moves only when told to: [`ManualClock::set`] and [`ManualClock::advance`].
/// Clones share the same instant.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<Mutex<Timestamp>>);

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: Timestamp) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    /// Moves the clock to `time`.
    pub fn set(&self, time: Timestamp) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = time;
    }

    /// Moves the clock forward by `nanos` nanoseconds.
    pub fn advance(&self, nanos: i128) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now = now.add_nanos(nanos);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        let t = Timestamp::from_unix_secs(1_700_000_000);
        assert_eq!(t.rfc3339_nano(), "2023-11-14T22:13:20Z");
        assert_eq!(
            t.add_nanos(500_000_000).rfc3339_nano(),
            "2023-11-14T22:13:20.5Z"
        );
        assert_eq!(t.add_nanos(123_456_789).rfc3339(), "2023-11-14T22:13:20Z");
        assert_eq!(
            Timestamp::from_unix_secs(0).rfc3339_nano(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix_secs(951_782_400).rfc3339(),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn parses_what_it_formats_and_offsets() {
        for nanos in [0i128, 1, 1_700_000_000_123_456_789, -86_400_000_000_000] {
            let t = Timestamp::from_unix_nanos(nanos);
            assert_eq!(Timestamp::parse_rfc3339(&t.rfc3339_nano()), Ok(t));
        }
        let with_offset = Timestamp::parse_rfc3339("2023-11-15T00:13:20+02:00").unwrap();
        assert_eq!(with_offset, Timestamp::from_unix_secs(1_700_000_000));
        assert!(Timestamp::parse_rfc3339("yesterday")
            .unwrap_err()
            .contains("cannot parse"));
        assert!(Timestamp::parse_rfc3339("2023-13-15T00:13:20Z").is_err());
    }

    #[test]
    fn manual_clock_moves_when_told() {
        let clock = ManualClock::new(Timestamp::from_unix_secs(10));
        let other = clock.clone();
        clock.advance(1_000_000_000);
        assert_eq!(other.now(), Timestamp::from_unix_secs(11));
        other.set(Timestamp::from_unix_secs(5));
        assert_eq!(clock.now(), Timestamp::from_unix_secs(5));
    }
}
