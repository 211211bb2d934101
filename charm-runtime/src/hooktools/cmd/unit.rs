//! `config-get`, `is-leader`, `status-set`, `juju-log`, `application-version-set`.

use super::util::{ask, done, json, json_confidential, run};
use crate::hooktools::{HookTools, Reply, Request, ToolError};
use crate::log::LogLevel;
use crate::status::Status;

/// `config-get --format=json`: every option that is set or has a default.
pub fn config_get(
    tools: &mut dyn HookTools,
) -> Result<serde_json::Map<String, serde_json::Value>, ToolError> {
    let request = Request::ConfigGet;
    if let Some(m) = ask(tools, &request, |r| match r {
        Reply::Config(m) => Ok(m),
        other => Err(other),
    }) {
        return m;
    }
    let (call, out) = run(tools, request.call())?;
    let m: Option<serde_json::Map<String, serde_json::Value>> = json_confidential(&call, &out)?;
    Ok(m.unwrap_or_default())
}

/// `is-leader --format=json`.
pub fn is_leader(tools: &mut dyn HookTools) -> Result<bool, ToolError> {
    let request = Request::IsLeader;
    if let Some(leader) = ask(tools, &request, |r| match r {
        Reply::Bool(b) => Ok(b),
        other => Err(other),
    }) {
        return leader;
    }
    let (call, out) = run(tools, request.call())?;
    json(&call, &out)
}

/// `status-set --application=<True|False> <status> -- <message>`.
pub fn status_set(
    tools: &mut dyn HookTools,
    application: bool,
    status: &Status,
) -> Result<(), ToolError> {
    let request = Request::StatusSet {
        application,
        status,
    };
    if let Some(result) = ask(tools, &request, done) {
        return result;
    }
    tools.call(&request.call())?;
    Ok(())
}

/// The longest message ops passes to one `juju-log` (`MAX_LOG_LINE_LEN`, the Linux limit
/// on one argument): longer ones are split, as ops's `log_split` does.
pub const MAX_LOG_LINE_LEN: usize = 131_071;

/// `juju-log --log-level <LEVEL> -- <message>`. A message longer than
/// [`MAX_LOG_LINE_LEN`] bytes is sent in chunks (at character boundaries) after a line
/// saying so, as ops does.
pub fn juju_log(
    tools: &mut dyn HookTools,
    level: LogLevel,
    message: &str,
) -> Result<(), ToolError> {
    if message.len() > MAX_LOG_LINE_LEN {
        let note =
            format!("Log string greater than {MAX_LOG_LINE_LEN}. Splitting into multiple chunks: ");
        juju_log_line(tools, level, &note)?;
        let mut rest = message;
        while !rest.is_empty() {
            let mut cut = rest.len().min(MAX_LOG_LINE_LEN);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            juju_log_line(tools, level, &rest[..cut])?;
            rest = &rest[cut..];
        }
        return Ok(());
    }
    juju_log_line(tools, level, message)
}

fn juju_log_line(tools: &mut dyn HookTools, level: LogLevel, line: &str) -> Result<(), ToolError> {
    let request = Request::JujuLog {
        level,
        message: line,
    };
    if let Some(result) = ask(tools, &request, done) {
        return result;
    }
    tools.call(&request.call())?;
    Ok(())
}

/// `application-version-set -- <version>`.
pub fn application_version_set(tools: &mut dyn HookTools, version: &str) -> Result<(), ToolError> {
    let request = Request::ApplicationVersionSet { version };
    if let Some(result) = ask(tools, &request, done) {
        return result;
    }
    tools.call(&request.call())?;
    Ok(())
}
