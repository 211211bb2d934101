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
    relation_set_args(endpoint, id, app, &mut |parts: &[&str]| {
        args.push(parts.concat())
    });
    ToolCall::new("relation-set", args)
}

/// The arguments of `relation-set -r <ep>:<id> [--app] --file -`, one `arg` call each.
fn relation_set_args(endpoint: &str, id: u64, app: bool, arg: &mut dyn FnMut(&[&str])) {
    arg(&["-r"]);
    arg(&[endpoint, ":", decimal(id, &mut [0; 20])]);
    if app {
        arg(&["--app"]);
    }
    arg(&["--file"]);
    arg(&["-"]);
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

    /// What [`Request::call`] writes to the tool's stdin.
    pub fn stdin(&self) -> Option<String> {
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
        self.each_arg(&mut |parts: &[&str]| args.push(parts.concat()));
    }

    /// Calls `arg` once per argument of [`Request::call`] after the tool, in order, each
    /// given as the pieces it is made of (the argument is their concatenation): the argv
    /// without a `String` per argument, for a backend that records it elsewhere.
    pub fn each_arg(&self, arg: &mut dyn FnMut(&[&str])) {
        match *self {
            Request::RelationIds { endpoint } => {
                arg(&[endpoint]);
                arg(&["--format=json"]);
            }
            Request::RelationList { endpoint, id } => {
                arg(&["--format=json"]);
                arg(&["-r"]);
                arg(&[endpoint, ":", decimal(id, &mut [0; 20])]);
            }
            Request::RelationGet {
                endpoint,
                id,
                owner,
                app,
            } => {
                arg(&["--format=json"]);
                arg(&["-r"]);
                arg(&[endpoint, ":", decimal(id, &mut [0; 20])]);
                if app {
                    arg(&["--app"]);
                }
                arg(&["-"]);
                arg(&[owner]);
            }
            Request::RelationSet {
                endpoint, id, app, ..
            } => relation_set_args(endpoint, id, app, arg),
            Request::ConfigGet | Request::IsLeader | Request::StateGet => arg(&["--format=json"]),
            Request::StatusSet {
                application,
                status,
            } => {
                arg(&[if application {
                    "--application=True"
                } else {
                    "--application=False"
                }]);
                arg(&[status.name()]);
                arg(&["--"]);
                arg(&[status.message()]);
            }
            Request::JujuLog { level, message } => {
                arg(&["--log-level"]);
                arg(&[level.as_str()]);
                arg(&["--"]);
                arg(&[message]);
            }
            Request::ApplicationVersionSet { version } => {
                arg(&["--"]);
                arg(&[version]);
            }
            Request::StateSet { .. } => {
                arg(&["--file"]);
                arg(&["-"]);
            }
            Request::StateDelete { key } => arg(&[key]),
        }
    }
}

/// `n` in decimal, written into the end of `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}
