//! The argv of each typed [`Request`]: [`Request::call`], the one place it is built.

use crate::hooktools::{Request, ToolCall};

/// The `-r` value: `<endpoint>:<id>`.
pub fn relation_arg(endpoint: &str, id: u64) -> String {
    use std::fmt::Write;
    // Sized once: the endpoint, the colon and at most 20 digits.
    let mut arg = String::with_capacity(endpoint.len() + 21);
    arg.push_str(endpoint);
    arg.push(':');
    let _ = write!(arg, "{id}");
    arg
}

/// `relation-set -r <ep>:<id> [--app] --file -`, without its stdin.
pub(crate) fn relation_set_call(endpoint: &str, id: u64, app: bool) -> ToolCall {
    let mut args = Vec::with_capacity(5);
    push_relation_set_args(&mut args, endpoint, id, app);
    ToolCall::new("relation-set", args)
}

/// The arguments of `relation-set -r <ep>:<id> [--app] --file -`.
fn push_relation_set_args(args: &mut Vec<String>, endpoint: &str, id: u64, app: bool) {
    args.push("-r".to_string());
    args.push(relation_arg(endpoint, id));
    if app {
        args.push("--app".into());
    }
    args.push("--file".into());
    args.push("-".into());
}

impl Request<'_> {
    /// The call this request stands for: the exact argv (and stdin) ops sends for it,
    /// which the process backend runs and every backend records.
    pub fn call(&self) -> ToolCall {
        let mut args = Vec::with_capacity(6);
        self.push_args(&mut args);
        ToolCall {
            tool: self.tool(),
            args,
            stdin: self.stdin(),
            shown: None,
        }
    }

    /// [`Request::call`] as one command line, the tool first, and its stdin: what a
    /// backend that records calls as command lines keeps (built once, into the vector it
    /// keeps).
    pub fn argv(&self) -> (Vec<String>, Option<String>) {
        let mut argv = Vec::with_capacity(7);
        argv.push(self.tool().to_string());
        self.push_args(&mut argv);
        (argv, self.stdin())
    }

    /// The tool this request runs.
    pub fn tool(&self) -> &'static str {
        match self {
            Request::RelationIds { .. } => "relation-ids",
            Request::RelationList { .. } => "relation-list",
            Request::RelationGet { .. } => "relation-get",
            Request::RelationSet { .. } => "relation-set",
            Request::ConfigGet => "config-get",
            Request::IsLeader => "is-leader",
            Request::StatusSet { .. } => "status-set",
            Request::JujuLog { .. } => "juju-log",
            Request::ApplicationVersionSet { .. } => "application-version-set",
            Request::StateGet => "state-get",
            Request::StateSet { .. } => "state-set",
            Request::StateDelete { .. } => "state-delete",
        }
    }

    /// What the call writes to the tool's stdin.
    fn stdin(&self) -> Option<String> {
        match *self {
            Request::RelationSet { changes, .. } => Some(
                crate::json::to_tool_input(changes).expect("a map of strings always serializes"),
            ),
            Request::StateSet { values } => Some(
                crate::json::to_tool_input(values).expect("a map of strings always serializes"),
            ),
            _ => None,
        }
    }

    /// Appends the call's arguments (after the tool) to `args`.
    fn push_args(&self, args: &mut Vec<String>) {
        match *self {
            Request::RelationIds { endpoint } => {
                push_str(args, endpoint);
                push_str(args, "--format=json");
            }
            Request::RelationList { endpoint, id } => {
                push_str(args, "--format=json");
                push_str(args, "-r");
                args.push(relation_arg(endpoint, id));
            }
            Request::RelationGet {
                endpoint,
                id,
                owner,
                app,
            } => {
                push_str(args, "--format=json");
                push_str(args, "-r");
                args.push(relation_arg(endpoint, id));
                if app {
                    args.push("--app".into());
                }
                args.push("-".into());
                args.push(owner.into());
            }
            Request::RelationSet {
                endpoint, id, app, ..
            } => push_relation_set_args(args, endpoint, id, app),
            Request::ConfigGet | Request::IsLeader | Request::StateGet => {
                push_str(args, "--format=json")
            }
            Request::StatusSet {
                application,
                status,
            } => {
                push_str(
                    args,
                    if application {
                        "--application=True"
                    } else {
                        "--application=False"
                    },
                );
                push_str(args, status.name());
                push_str(args, "--");
                push_str(args, status.message());
            }
            Request::JujuLog { level, message } => {
                push_str(args, "--log-level");
                push_str(args, level.as_str());
                push_str(args, "--");
                push_str(args, message);
            }
            Request::ApplicationVersionSet { version } => {
                push_str(args, "--");
                push_str(args, version);
            }
            Request::StateSet { .. } => {
                push_str(args, "--file");
                push_str(args, "-");
            }
            Request::StateDelete { key } => push_str(args, key),
        }
    }
}

/// Appends a copy of `arg`.
fn push_str(args: &mut Vec<String>, arg: &str) {
    args.push(arg.to_owned());
}
