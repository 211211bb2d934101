//! The argv of each typed [`Request`]: [`Request::call`], the one place it is built.

use crate::hooktools::{Request, ToolCall};

/// The `-r` value: `<endpoint>:<id>`.
pub fn relation_arg(endpoint: &str, id: u64) -> String {
    format!("{endpoint}:{id}")
}

/// `relation-set -r <ep>:<id> [--app] --file -`, without its stdin.
pub(crate) fn relation_set_call(endpoint: &str, id: u64, app: bool) -> ToolCall {
    let mut args = Vec::with_capacity(5);
    args.push("-r".to_string());
    args.push(relation_arg(endpoint, id));
    if app {
        args.push("--app".into());
    }
    args.push("--file".into());
    args.push("-".into());
    ToolCall::new("relation-set", args)
}

impl Request<'_> {
    /// The call this request stands for: the exact argv (and stdin) ops sends for it,
    /// which the process backend runs and every backend records.
    pub fn call(&self) -> ToolCall {
        match *self {
            Request::RelationIds { endpoint } => {
                ToolCall::new("relation-ids", [endpoint, "--format=json"])
            }
            Request::RelationList { endpoint, id } => ToolCall::new(
                "relation-list",
                [
                    "--format=json".to_string(),
                    "-r".into(),
                    relation_arg(endpoint, id),
                ],
            ),
            Request::RelationGet {
                endpoint,
                id,
                owner,
                app,
            } => {
                let mut args = Vec::with_capacity(6);
                args.push("--format=json".to_string());
                args.push("-r".into());
                args.push(relation_arg(endpoint, id));
                if app {
                    args.push("--app".into());
                }
                args.push("-".into());
                args.push(owner.into());
                ToolCall::new("relation-get", args)
            }
            Request::RelationSet {
                endpoint,
                id,
                app,
                changes,
            } => relation_set_call(endpoint, id, app).with_stdin(
                crate::json::to_tool_input(changes).expect("a map of strings always serializes"),
            ),
            Request::ConfigGet => ToolCall::new("config-get", ["--format=json"]),
            Request::IsLeader => ToolCall::new("is-leader", ["--format=json"]),
            Request::StatusSet {
                application,
                status,
            } => {
                let flag = if application {
                    "--application=True"
                } else {
                    "--application=False"
                };
                ToolCall::new("status-set", [flag, status.name(), "--", status.message()])
            }
            Request::JujuLog { level, message } => {
                ToolCall::new("juju-log", ["--log-level", level.as_str(), "--", message])
            }
            Request::ApplicationVersionSet { version } => {
                ToolCall::new("application-version-set", ["--", version])
            }
            Request::StateGet => ToolCall::new("state-get", ["--format=json"]),
            Request::StateSet { values } => ToolCall::new("state-set", ["--file", "-"]).with_stdin(
                crate::json::to_tool_input(values).expect("a map of strings always serializes"),
            ),
            Request::StateDelete { key } => ToolCall::new("state-delete", [key]),
        }
    }
}
