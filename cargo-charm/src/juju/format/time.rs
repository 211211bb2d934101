//! The time formats Juju prints, in UTC (the simulator's clock is the host's).

use crate::fsutil;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `24 Feb 2025 12:03:17Z`: status `since` times (Go layout `02 Jan 2006 15:04:05Z07:00`,
/// `common.FormatTime`).
pub fn since(secs: i64) -> String {
    let iso = fsutil::rfc3339(secs);
    // `2025-02-24T12:03:17Z`
    let month: usize = iso[5..7].parse().unwrap_or(1);
    format!(
        "{} {} {} {}Z",
        &iso[8..10],
        MONTHS[month.clamp(1, 12) - 1],
        &iso[0..4],
        &iso[11..19]
    )
}

/// `12:03:17Z`: the status timestamp (Go layout `15:04:05Z07:00`).
pub fn clock(secs: i64) -> String {
    format!("{}Z", fsutil::hms(secs))
}

/// `2025-02-24T12:03:17Z`: secret times (RFC 3339).
pub fn rfc3339(secs: i64) -> String {
    fsutil::rfc3339(secs)
}

/// `2025-02-24 12:03:17 +0000 UTC`: Go's `time.Time.String()`, as `juju run` prints task
/// timings and log lines.
pub fn go_string(secs: i64) -> String {
    let iso = fsutil::rfc3339(secs);
    format!("{} {} +0000 UTC", &iso[0..10], &iso[11..19])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = 1_767_508_186; // 2026-01-04T06:29:46Z
        assert_eq!(since(t), "04 Jan 2026 06:29:46Z");
        assert_eq!(clock(t), "06:29:46Z");
        assert_eq!(rfc3339(t), "2026-01-04T06:29:46Z");
        assert_eq!(go_string(t), "2026-01-04 06:29:46 +0000 UTC");
    }
}
