//! [`Request`] and [`Reply`]: the hot hook-tool calls as typed data, for backends that can
//! answer them without argv and without printing and re-reading the tool's output.
//!
//! Every request stands for one exact argv, [`Request::call`] (what a backend records and
//! what errors quote); [`HookTools::answer`](super::HookTools::answer) returns `None` when
//! a backend has no typed answer, and the call then runs as argv through
//! [`HookTools::call`](super::HookTools::call) (the process backend always does that).

use crate::log::LogLevel;
use crate::status::Status;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A relation bag or the unit state: string keys to string values.
type BagData = BTreeMap<String, String>;

/// One hook-tool call as data. Each variant names the argv it stands for
/// ([`Request::call`] builds it); a backend that answers it must answer exactly as the
/// tool would for that argv (same data, same errors).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Request<'a> {
    /// `relation-ids <endpoint> --format=json`.
    RelationIds {
        /// The endpoint.
        endpoint: &'a str,
    },
    /// `relation-list --format=json -r <endpoint>:<id>`.
    RelationList {
        /// The relation's endpoint.
        endpoint: &'a str,
        /// The relation id.
        id: u64,
    },
    /// `relation-get --format=json -r <endpoint>:<id> [--app] - <owner>`: a whole bag.
    RelationGet {
        /// The relation's endpoint.
        endpoint: &'a str,
        /// The relation id.
        id: u64,
        /// The unit or application whose bag is read.
        owner: &'a str,
        /// Whether it is an application bag.
        app: bool,
    },
    /// `relation-set -r <endpoint>:<id> [--app] --file -`, the changes as JSON on stdin.
    RelationSet {
        /// The relation's endpoint.
        endpoint: &'a str,
        /// The relation id.
        id: u64,
        /// Whether it is the application bag.
        app: bool,
        /// The changes (`""` deletes a key): what stdin carries.
        changes: &'a BagData,
    },
    /// `config-get --format=json`.
    ConfigGet,
    /// `is-leader --format=json`.
    IsLeader,
    /// `status-set --application=<True|False> <status> -- <message>`.
    StatusSet {
        /// Whether it is the application's status.
        application: bool,
        /// The status.
        status: &'a Status,
    },
    /// `juju-log --log-level <level> -- <message>`.
    JujuLog {
        /// The level.
        level: LogLevel,
        /// One line (already split at the argument limit).
        message: &'a str,
    },
    /// `application-version-set -- <version>`.
    ApplicationVersionSet {
        /// The version.
        version: &'a str,
    },
    /// `state-get --format=json`.
    StateGet,
    /// `state-set --file -`, the values as JSON on stdin.
    StateSet {
        /// The values: what stdin carries.
        values: &'a BagData,
    },
    /// `state-delete <key>`.
    StateDelete {
        /// The key.
        key: &'a str,
    },
}

/// A typed answer to a [`Request`]: what the charm side would have read from the tool's
/// output.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Reply {
    /// The tool succeeded and prints nothing the charm reads.
    Done,
    /// `is-leader`.
    Bool(bool),
    /// `relation-ids`: the ids, in the tool's order.
    RelationIds(Vec<u64>),
    /// `relation-list`: unit names.
    Names(Vec<String>),
    /// `relation-get`, `state-get`: a bag.
    Bag(BagData),
    /// `config-get`: the options.
    Config(Map<String, Value>),
}

impl Reply {
    /// The reply's kind, for the message about a backend that answered the wrong kind.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Reply::Done => "done",
            Reply::Bool(_) => "a boolean",
            Reply::RelationIds(_) => "relation ids",
            Reply::Names(_) => "names",
            Reply::Bag(_) => "a bag",
            Reply::Config(_) => "config",
        }
    }
}
