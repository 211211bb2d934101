//! `juju debug-log`: the units' log lines, `unit-<app>-<n>: HH:MM:SS LEVEL
//! unit.<app>/<n>.<module> message`, as Juju 3.6 prints them. The simulator's log is
//! finite: the command prints and exits (it never follows the log).

use super::home::Home;
use super::opts::ModelOpt;
use super::sim_access;
use crate::error::{Error, Result};
use crate::sim::api;
use clap::Args;

/// `juju debug-log`.
#[derive(Debug, Args)]
pub struct DebugLogArgs {
    /// Exit once this many of the most recent (possibly filtered) lines are shown
    #[arg(long, value_name = "N", default_value = "0")]
    pub limit: usize,
    /// Show this many of the most recent lines
    #[arg(short = 'n', long = "lines", value_name = "N")]
    pub lines: Option<usize>,
    /// Only show log messages for these entities (unit-app-0, app/0, app)
    #[arg(short = 'i', long, value_name = "ENTITY")]
    pub include: Vec<String>,
    /// Do not show log messages for these entities
    #[arg(short = 'x', long, value_name = "ENTITY")]
    pub exclude: Vec<String>,
    /// Log level to show, one of [TRACE, DEBUG, INFO, WARNING, ERROR]
    #[arg(short = 'l', long, value_name = "LEVEL")]
    pub level: Option<String>,
    /// Show the entire (possibly filtered) log and continue to append
    #[arg(long)]
    pub replay: bool,
    /// Stop after returning existing log messages
    #[arg(long)]
    pub no_tail: bool,
    /// Wait for new logs
    #[arg(long)]
    pub tail: bool,
    /// Show times in UTC
    #[arg(long)]
    pub utc: bool,
    /// Show dates as well as times
    #[arg(long)]
    pub date: bool,
    /// Show times to millisecond precision
    #[arg(long)]
    pub ms: bool,
    /// Use ANSI color codes in output
    #[arg(long)]
    pub color: bool,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// Whether a log line of `unit` matches an entity (`unit-app-0`, `app/0`, `app`,
/// `application-app`).
fn matches(unit: &str, entity: &str) -> bool {
    let tag = format!("unit-{}", unit.replace('/', "-"));
    let app = unit.split('/').next().unwrap_or(unit);
    entity == unit
        || entity == tag
        || entity == app
        || entity.strip_prefix("application-") == Some(app)
}

/// Log levels, least severe first.
fn rank(level: &str) -> u8 {
    match level {
        "TRACE" => 0,
        "DEBUG" => 1,
        "INFO" => 2,
        "WARNING" => 3,
        "ERROR" => 4,
        _ => 5,
    }
}

pub fn debug_log(home: &Home, a: DebugLogArgs) -> Result<()> {
    let level = match a.level.as_deref().map(str::to_uppercase) {
        None => None,
        Some(l)
            if ["TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"].contains(&l.as_str()) =>
        {
            Some(l)
        }
        Some(l) => return Err(Error::usage(format!("unknown log level {l:?}"))),
    };
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    let min = level.as_deref().map_or(0, rank);
    let lines: Vec<String> = api::debug_log(&dir, None)?
        .iter()
        .filter(|l| rank(&l.level) >= min)
        .filter(|l| {
            (a.include.is_empty() || a.include.iter().any(|e| matches(&l.unit, e)))
                && !a.exclude.iter().any(|e| matches(&l.unit, e))
        })
        .map(api::log_line)
        .collect();
    let keep = match (a.limit, a.lines) {
        (0, None) => lines.len(),
        (0, Some(n)) => n,
        (l, _) => l,
    };
    for line in &lines[lines.len().saturating_sub(keep)..] {
        println!("{line}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert!(matches("a/0", "unit-a-0"));
        assert!(matches("a/0", "a/0"));
        assert!(matches("a/0", "a"));
        assert!(matches("a/0", "application-a"));
        assert!(!matches("a/0", "b"));
    }
}
