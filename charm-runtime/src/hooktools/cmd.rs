//! The typed hook-tool calls: each function builds the exact argv that ops sends
//! (juju-protocol.md §2) and parses the tool's output. Nothing else in the runtime
//! builds argv.

use super::backend::HookTools;
use super::call::ToolCall;
use super::error::ToolError;
use crate::log::LogLevel;
use crate::port::Port;
use crate::status::Status;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// A relation bag's contents: string keys to string values.
pub type BagData = BTreeMap<String, String>;

fn json<T: DeserializeOwned>(call: &ToolCall, out: &str) -> Result<T, ToolError> {
    // Juju 4 may print `null` for empty maps; callers that want maps use `json_map`.
    serde_json::from_str(out.trim()).map_err(|e| ToolError::BadOutput {
        call: call.to_string(),
        output: out.to_string(),
        problem: e.to_string(),
    })
}

fn json_map<T: DeserializeOwned>(
    call: &ToolCall,
    out: &str,
) -> Result<BTreeMap<String, T>, ToolError> {
    let v: Option<BTreeMap<String, T>> = json(call, out)?;
    Ok(v.unwrap_or_default())
}

fn run(tools: &mut dyn HookTools, call: ToolCall) -> Result<(ToolCall, String), ToolError> {
    let out = tools.call(&call)?;
    Ok((call, out))
}

/// The `-r` value: `<endpoint>:<id>`.
pub fn relation_arg(endpoint: &str, id: u64) -> String {
    format!("{endpoint}:{id}")
}

/// `relation-ids <endpoint> --format=json`: the ids of the endpoint's live relations.
pub fn relation_ids(tools: &mut dyn HookTools, endpoint: &str) -> Result<Vec<u64>, ToolError> {
    let (call, out) = run(
        tools,
        ToolCall::new("relation-ids", [endpoint, "--format=json"]),
    )?;
    let ids: Option<Vec<String>> = json(&call, &out)?;
    ids.unwrap_or_default()
        .iter()
        .map(|s| {
            s.rsplit(':')
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| ToolError::BadOutput {
                    call: call.to_string(),
                    output: out.clone(),
                    problem: format!("relation id {s:?} is not `<endpoint>:<int>`"),
                })
        })
        .collect()
}

/// `relation-list --format=json -r <ep>:<id>`: the remote units.
pub fn relation_list(
    tools: &mut dyn HookTools,
    endpoint: &str,
    id: u64,
) -> Result<Vec<String>, ToolError> {
    let (call, out) = run(
        tools,
        ToolCall::new(
            "relation-list",
            [
                "--format=json".to_string(),
                "-r".into(),
                relation_arg(endpoint, id),
            ],
        ),
    )?;
    let units: Option<Vec<String>> = json(&call, &out)?;
    Ok(units.unwrap_or_default())
}

/// `relation-list --format=json --app -r <ep>:<id>`: the remote application's name.
pub fn relation_app(
    tools: &mut dyn HookTools,
    endpoint: &str,
    id: u64,
) -> Result<String, ToolError> {
    let (call, out) = run(
        tools,
        ToolCall::new(
            "relation-list",
            [
                "--format=json".to_string(),
                "--app".into(),
                "-r".into(),
                relation_arg(endpoint, id),
            ],
        ),
    )?;
    json(&call, &out)
}

/// `relation-get --format=json -r <ep>:<id> [--app] - <unit-or-app>`: a whole bag.
pub fn relation_get(
    tools: &mut dyn HookTools,
    endpoint: &str,
    id: u64,
    owner: &str,
    app: bool,
) -> Result<BagData, ToolError> {
    let mut args = vec![
        "--format=json".to_string(),
        "-r".into(),
        relation_arg(endpoint, id),
    ];
    if app {
        args.push("--app".into());
    }
    args.push("-".into());
    args.push(owner.into());
    let (call, out) = run(tools, ToolCall::new("relation-get", args))?;
    json_map(&call, &out)
}

/// `relation-set -r <ep>:<id> [--app] --file -` with the changes as JSON on stdin.
/// A value of `""` deletes its key.
pub fn relation_set(
    tools: &mut dyn HookTools,
    endpoint: &str,
    id: u64,
    app: bool,
    changes: &BagData,
) -> Result<(), ToolError> {
    let mut args = vec!["-r".to_string(), relation_arg(endpoint, id)];
    if app {
        args.push("--app".into());
    }
    args.push("--file".into());
    args.push("-".into());
    let stdin = serde_json::to_string(changes).expect("a map of strings always serializes");
    tools.call(&ToolCall::new("relation-set", args).with_stdin(stdin))?;
    Ok(())
}

/// `config-get --format=json`: every option that is set or has a default.
pub fn config_get(
    tools: &mut dyn HookTools,
) -> Result<serde_json::Map<String, serde_json::Value>, ToolError> {
    let (call, out) = run(tools, ToolCall::new("config-get", ["--format=json"]))?;
    let m: Option<serde_json::Map<String, serde_json::Value>> = json(&call, &out)?;
    Ok(m.unwrap_or_default())
}

/// `is-leader --format=json`.
pub fn is_leader(tools: &mut dyn HookTools) -> Result<bool, ToolError> {
    let (call, out) = run(tools, ToolCall::new("is-leader", ["--format=json"]))?;
    json(&call, &out)
}

/// `status-set --application=<True|False> <status> -- <message>`.
pub fn status_set(
    tools: &mut dyn HookTools,
    application: bool,
    status: &Status,
) -> Result<(), ToolError> {
    let flag = if application {
        "--application=True"
    } else {
        "--application=False"
    };
    tools.call(&ToolCall::new(
        "status-set",
        [flag, status.name(), "--", status.message()],
    ))?;
    Ok(())
}

/// `juju-log --log-level <LEVEL> -- <message>`.
pub fn juju_log(
    tools: &mut dyn HookTools,
    level: LogLevel,
    message: &str,
) -> Result<(), ToolError> {
    tools.call(&ToolCall::new(
        "juju-log",
        ["--log-level", level.as_str(), "--", message],
    ))?;
    Ok(())
}

/// `application-version-set -- <version>`.
pub fn application_version_set(tools: &mut dyn HookTools, version: &str) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("application-version-set", ["--", version]))?;
    Ok(())
}

/// `open-port <port>/<protocol>` (or `open-port icmp`).
pub fn open_port(tools: &mut dyn HookTools, port: &Port) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("open-port", [port.to_string()]))?;
    Ok(())
}

/// `close-port <port>/<protocol>`.
pub fn close_port(tools: &mut dyn HookTools, port: &Port) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("close-port", [port.to_string()]))?;
    Ok(())
}

/// `opened-ports --format=json`.
pub fn opened_ports(tools: &mut dyn HookTools) -> Result<Vec<Port>, ToolError> {
    let (call, out) = run(tools, ToolCall::new("opened-ports", ["--format=json"]))?;
    let items: Option<Vec<String>> = json(&call, &out)?;
    items
        .unwrap_or_default()
        .iter()
        .map(|s| {
            s.parse().map_err(|problem| ToolError::BadOutput {
                call: call.to_string(),
                output: out.clone(),
                problem,
            })
        })
        .collect()
}

/// `action-get --format=json`: the action's parameters (Juju fills schema defaults).
pub fn action_get(
    tools: &mut dyn HookTools,
) -> Result<serde_json::Map<String, serde_json::Value>, ToolError> {
    let (call, out) = run(tools, ToolCall::new("action-get", ["--format=json"]))?;
    let m: Option<serde_json::Map<String, serde_json::Value>> = json(&call, &out)?;
    Ok(m.unwrap_or_default())
}

/// `action-set k1=v1 k2=v2 ...` (one argv item per pair; keys may be dotted).
pub fn action_set(
    tools: &mut dyn HookTools,
    results: &BTreeMap<String, String>,
) -> Result<(), ToolError> {
    let args: Vec<String> = results.iter().map(|(k, v)| format!("{k}={v}")).collect();
    tools.call(&ToolCall::new("action-set", args))?;
    Ok(())
}

/// `action-log -- <message>`.
pub fn action_log(tools: &mut dyn HookTools, message: &str) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("action-log", ["--", message]))?;
    Ok(())
}

/// `action-fail -- <message>`.
pub fn action_fail(tools: &mut dyn HookTools, message: &str) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("action-fail", ["--", message]))?;
    Ok(())
}

/// `state-get --format=json`: the unit's server-side state.
pub fn state_get(tools: &mut dyn HookTools) -> Result<BagData, ToolError> {
    let (call, out) = run(tools, ToolCall::new("state-get", ["--format=json"]))?;
    json_map(&call, &out)
}

/// `state-set --file -` with the values as JSON on stdin.
pub fn state_set(tools: &mut dyn HookTools, values: &BagData) -> Result<(), ToolError> {
    let stdin = serde_json::to_string(values).expect("a map of strings always serializes");
    tools.call(&ToolCall::new("state-set", ["--file", "-"]).with_stdin(stdin))?;
    Ok(())
}

/// `state-delete <key>`.
pub fn state_delete(tools: &mut dyn HookTools, key: &str) -> Result<(), ToolError> {
    tools.call(&ToolCall::new("state-delete", [key]))?;
    Ok(())
}

/// `secret-get --format=json <uri> [--refresh | --peek]`: a secret's content.
pub fn secret_get(
    tools: &mut dyn HookTools,
    uri: &str,
    mode: SecretRead,
) -> Result<BagData, ToolError> {
    let mut args = vec!["--format=json".to_string(), uri.to_string()];
    match mode {
        SecretRead::Tracked => {}
        SecretRead::Refresh => args.push("--refresh".into()),
        SecretRead::Peek => args.push("--peek".into()),
    }
    let (call, out) = run(tools, ToolCall::new("secret-get", args))?;
    json_map(&call, &out)
}

/// Which revision `secret-get` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretRead {
    /// The tracked revision.
    Tracked,
    /// Move tracking to the latest revision and read it.
    Refresh,
    /// Read the latest revision without tracking it.
    Peek,
}

/// `storage-get --format=json -s <name>/<index> location`: where a storage is mounted.
pub fn storage_location(tools: &mut dyn HookTools, storage_id: &str) -> Result<String, ToolError> {
    let (call, out) = run(
        tools,
        ToolCall::new(
            "storage-get",
            ["--format=json", "-s", storage_id, "location"],
        ),
    )?;
    json(&call, &out)
}

/// `resource-get <name>`: the local path of a file resource.
pub fn resource_get(tools: &mut dyn HookTools, name: &str) -> Result<String, ToolError> {
    let out = tools.call(&ToolCall::new("resource-get", [name]))?;
    Ok(out.trim_end().to_string())
}

/// `network-get --format=json <binding>`: the binding's addresses, as JSON.
pub fn network_get(
    tools: &mut dyn HookTools,
    binding: &str,
) -> Result<serde_json::Value, ToolError> {
    let (call, out) = run(
        tools,
        ToolCall::new("network-get", ["--format=json", binding]),
    )?;
    json(&call, &out)
}
