//! What Pebble's API returns, with Pebble's JSON names: the response envelope and the
//! `result` payloads the client reads.
//!
//! Shapes and `omitempty` rules follow Pebble's `internals/daemon/response.go` (`respJSON`,
//! `errorResult`), `api_services.go` (`serviceInfo`), `api_changes.go` (`changeInfo`,
//! `taskInfo`), `api_files.go` (`fileInfo`, `fileResult`), `api_checks.go` (`checkInfo`),
//! `api.go` (system info) and `overlord/state/notices.go` (`Notice`), so a server can
//! serialise them and ops' `from_dict` methods read them. Timestamps are kept as Pebble's
//! RFC 3339 text (no date library on the charm's path).

use super::duration;
use super::layer::{CheckLevel, Startup};
use super::strenum::pebble_enum;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

pebble_enum! {
    /// The envelope's `type`. (The variants are not called `Sync`/`Async`: a public item
    /// named `Sync` would make rustc print `std::marker::Sync` in charms' diagnostics.)
    pub enum ResponseType {
        /// `sync`: the request is done; `result` holds its answer.
        Synchronous => "sync",
        /// `async`: the request started a change; `change` holds its ID.
        Asynchronous => "async",
        /// `error`: the request failed; `result` is an [`ErrorResult`].
        Error => "error",
    }
}

/// The JSON envelope of every Pebble response except a file read's multipart body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// `sync`, `async` or `error`.
    #[serde(rename = "type")]
    pub type_: ResponseType,
    /// The HTTP status code, repeated.
    #[serde(rename = "status-code")]
    pub status_code: u16,
    /// The HTTP status text (`"OK"`, `"Accepted"`, `"Not Found"`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
    /// The change an async request started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// The answer; absent when Go's `omitempty` dropped a nil result.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub result: Value,
}

/// An error envelope's `result`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorResult {
    /// What went wrong (Pebble always writes it, possibly empty).
    #[serde(default)]
    pub message: String,
    /// A machine-readable kind (`not-found`, `permission-denied`, `generic-file-error`, …).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Extra data for some kinds.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub value: Value,
}

/// `GET /v1/system-info`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SystemInfo {
    /// Pebble's version.
    pub version: String,
    /// This boot's ID.
    #[serde(default)]
    pub boot_id: String,
    /// The HTTP listen address, if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub http_address: String,
    /// The HTTPS listen address, if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub https_address: String,
}

pebble_enum! {
    /// A service's state (`current`).
    pub enum ServiceStatus {
        /// Running.
        Active => "active",
        /// Not running.
        Inactive => "inactive",
        /// Failed, and not being restarted.
        Error => "error",
        /// Exited and waiting to be restarted.
        Backoff => "backoff",
    }
}

/// One entry of `GET /v1/services`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ServiceInfo {
    /// The service's name.
    pub name: String,
    /// `enabled` or `disabled`.
    pub startup: Startup,
    /// `active`, `inactive`, `error` or `backoff`.
    pub current: ServiceStatus,
    /// When it entered its current state (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_since: Option<String>,
}

impl ServiceInfo {
    /// Whether the service is running (ops' `is_running`).
    pub fn is_running(&self) -> bool {
        self.current == ServiceStatus::Active
    }
}

/// A change: what an async request started (`GET /v1/changes/{id}`, `.../wait`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Change {
    /// Its ID.
    pub id: String,
    /// `start`, `stop`, `restart`, `replan`, `autostart`, `exec`, …
    pub kind: String,
    /// A human summary.
    pub summary: String,
    /// `Do`, `Doing`, `Done`, `Error`, `Hold`, `Abort`, `Undo`, `Undoing`, `Wait`.
    pub status: String,
    /// Its tasks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<Task>,
    /// Whether it finished (successfully or not).
    pub ready: bool,
    /// Why it failed; present only when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err: Option<String>,
    /// When it was created (RFC 3339).
    pub spawn_time: String,
    /// When it finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_time: Option<String>,
    /// Change data (an exec's `exit-code` lives on its task).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, Value>,
}

/// One task of a change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Task {
    /// Its ID.
    pub id: String,
    /// `start`, `stop`, `exec`, …
    pub kind: String,
    /// A human summary.
    pub summary: String,
    /// Same values as [`Change::status`].
    pub status: String,
    /// Log lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<String>,
    /// Progress.
    #[serde(default)]
    pub progress: TaskProgress,
    /// When it was created (RFC 3339).
    pub spawn_time: String,
    /// When it finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_time: Option<String>,
    /// Task data (`exit-code` for exec).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, Value>,
}

/// A task's progress.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskProgress {
    /// What is being counted.
    #[serde(default)]
    pub label: String,
    /// How many are done.
    #[serde(default)]
    pub done: u64,
    /// How many there are.
    #[serde(default)]
    pub total: u64,
}

pebble_enum! {
    /// A file's type in `list_files`.
    pub enum FileType {
        /// A regular file.
        File => "file",
        /// A directory.
        Directory => "directory",
        /// A symbolic link.
        Symlink => "symlink",
        /// A Unix socket.
        Socket => "socket",
        /// A FIFO.
        NamedPipe => "named-pipe",
        /// A device node.
        Device => "device",
        /// Anything else.
        Unknown => "unknown",
    }
}

/// One entry of `GET /v1/files?action=list`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FileInfo {
    /// The full path.
    pub path: String,
    /// The base name.
    pub name: String,
    /// What kind of file.
    #[serde(rename = "type")]
    pub type_: FileType,
    /// The size in bytes (regular files only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// The permission bits as octal text, e.g. `"644"` (see [`FileInfo::mode`]).
    pub permissions: String,
    /// Last modification time (RFC 3339).
    pub last_modified: String,
    /// The owner's user ID (Pebble writes `null` when unknown).
    #[serde(default)]
    pub user_id: Option<u32>,
    /// The owner's user name.
    #[serde(default)]
    pub user: String,
    /// The group ID (Pebble writes `null` when unknown).
    #[serde(default)]
    pub group_id: Option<u32>,
    /// The group name.
    #[serde(default)]
    pub group: String,
}

impl FileInfo {
    /// The permission bits as a number (`0o644`), or `None` if `permissions` is not octal.
    pub fn mode(&self) -> Option<u32> {
        u32::from_str_radix(&self.permissions, 8).ok()
    }
}

/// One path's outcome in a files response (write, make-dirs, remove, and the `response`
/// part of a read).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileResult {
    /// The path the entry is about.
    pub path: String,
    /// What went wrong for this path, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorResult>,
}

pebble_enum! {
    /// A check's state (`status`).
    pub enum CheckStatus {
        /// Passing (failures below the threshold).
        Up => "up",
        /// Failing (failures at or above the threshold).
        Down => "down",
        /// Not running.
        Inactive => "inactive",
    }
}

fn startup_enabled() -> Startup {
    Startup::Enabled
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// One entry of `GET /v1/checks`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CheckInfo {
    /// The check's name.
    pub name: String,
    /// Its level, if set.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "none_if_empty"
    )]
    pub level: Option<CheckLevel>,
    /// `enabled` or `disabled` (older Pebbles do not send it: enabled, as ops assumes).
    #[serde(default = "startup_enabled")]
    pub startup: Startup,
    /// `up`, `down` or `inactive`.
    pub status: CheckStatus,
    /// Successful runs since it was started (Pebble ≥ 1.23; `None` before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successes: Option<u32>,
    /// Failures since the last success.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failures: u32,
    /// Failures that make it down.
    pub threshold: u32,
    /// The change driving the check (none while inactive).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "none_if_empty"
    )]
    pub change_id: Option<String>,
    /// The change that drove it before it was stopped.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "none_if_empty"
    )]
    pub prev_change_id: Option<String>,
}

pebble_enum! {
    /// A notice's type.
    pub enum NoticeType {
        /// Recorded by a client (`notify`), with a key like `example.com/path`.
        Custom => "custom",
        /// A change's status changed; the key is the change ID.
        ChangeUpdate => "change-update",
        /// A warning was recorded; the key is its message.
        Warning => "warning",
    }
}

/// One notice (`GET /v1/notices`, `GET /v1/notices/{id}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Notice {
    /// Its ID.
    pub id: String,
    /// The user who may see it; `None` (Pebble writes `null`) means public.
    #[serde(default)]
    pub user_id: Option<u32>,
    /// Its type.
    #[serde(rename = "type")]
    pub type_: NoticeType,
    /// Its key.
    pub key: String,
    /// First occurrence (RFC 3339).
    pub first_occurred: String,
    /// Last occurrence.
    pub last_occurred: String,
    /// Last time it was repeated.
    pub last_repeated: String,
    /// How many times it occurred.
    pub occurrences: u64,
    /// Data from the last occurrence.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub last_data: BTreeMap<String, String>,
    /// How long after a repeat before it repeats again.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "duration::option"
    )]
    pub repeat_after: Option<Duration>,
    /// How long after the last occurrence until Pebble drops it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "duration::option"
    )]
    pub expire_after: Option<Duration>,
}

/// An empty string or null read as `None` (Pebble's `level: ""`, `change-id: ""`).
fn none_if_empty<'de, D: Deserializer<'de>, T: for<'a> From<&'a str>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    let s = Option::<String>::deserialize(d)?;
    Ok(s.filter(|s| !s.is_empty()).map(|s| T::from(s.as_str())))
}
