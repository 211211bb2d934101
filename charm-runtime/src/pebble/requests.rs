//! The JSON bodies the client sends, exactly as ops 3.9.0's `ops/pebble.py` builds them
//! (keys, and which keys are left out when unset), so a server can parse them with the same
//! types. Pebble's side: `internals/daemon/api_plan.go` (layers), `api_services.go`,
//! `api_checks.go`, `api_changes.go`, `api_signals.go`, `api_notices.go`, `api_files.go`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn is_false(b: &bool) -> bool {
    !*b
}

/// `POST /v1/layers` (ops `Client.add_layer`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayersRequest {
    /// Always `add`.
    pub action: String,
    /// Combine into the layer with the same label instead of appending a new one.
    #[serde(default)]
    pub combine: bool,
    /// Pebble ≥ 1.13 inserts the layer inside a layers sub-directory (ops never sets it).
    #[serde(default, skip_serializing_if = "is_false")]
    pub inner: bool,
    /// The layer's label.
    pub label: String,
    /// Always `yaml`.
    pub format: String,
    /// The layer's YAML text.
    pub layer: String,
}

/// `POST /v1/services` (ops `Client._services_action`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesRequest {
    /// `start`, `stop`, `restart`, `replan` or `autostart`.
    pub action: String,
    /// The services (empty for `replan` and `autostart`).
    #[serde(default)]
    pub services: Vec<String>,
}

/// `POST /v1/checks` (ops `Client._checks_action`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecksRequest {
    /// `start` or `stop`.
    pub action: String,
    /// The checks.
    #[serde(default)]
    pub checks: Vec<String>,
}

/// `POST /v1/changes/{id}` (ops `Client.abort_change`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequest {
    /// Always `abort`.
    pub action: String,
}

/// `POST /v1/signals` (ops `Client.send_signal`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalsRequest {
    /// The signal's name, e.g. `SIGHUP`.
    pub signal: String,
    /// The services to signal.
    #[serde(default)]
    pub services: Vec<String>,
}

/// `POST /v1/notices` (ops `Client.notify`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRequest {
    /// Always `add`.
    pub action: String,
    /// The notice type (clients may only add `custom`).
    #[serde(rename = "type")]
    pub type_: String,
    /// The key, `example.com/path`.
    pub key: String,
    /// Data for this occurrence (left out when `None`, as ops does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<BTreeMap<String, String>>,
    /// Go duration text, written as ops does: seconds with three decimals (`"3600.000s"`).
    #[serde(
        default,
        rename = "repeat-after",
        skip_serializing_if = "Option::is_none"
    )]
    pub repeat_after: Option<String>,
}

/// Permissions and ownership for a written file or a made directory; unset fields are left
/// out of the JSON (ops `Client._make_auth_dict`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FileOwnership {
    /// Permission bits as three-or-more octal digits (`"644"`, ops' `format(mode, '03o')`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<String>,
    /// Owner user ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u32>,
    /// Owner user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Group ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<u32>,
    /// Group name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// One file of a write (the multipart `request` part of `POST /v1/files`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct WriteFile {
    /// Absolute path.
    pub path: String,
    /// Create missing parent directories (sent only when true).
    #[serde(default, skip_serializing_if = "is_false")]
    pub make_dirs: bool,
    /// Mode and owner.
    #[serde(flatten)]
    pub ownership: FileOwnership,
}

/// One directory of a make-dirs request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct MakeDir {
    /// Absolute path.
    pub path: String,
    /// Create missing parents (sent only when true).
    #[serde(default, skip_serializing_if = "is_false")]
    pub make_parents: bool,
    /// Mode and owner.
    #[serde(flatten)]
    pub ownership: FileOwnership,
}

/// One path of a remove request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovePath {
    /// Absolute path.
    pub path: String,
    /// Remove a directory and its contents (sent only when true).
    #[serde(default, skip_serializing_if = "is_false")]
    pub recursive: bool,
}

/// `POST /v1/files`: `write` (as the multipart `request` part), `make-dirs` or `remove`
/// (as a JSON body). Only the list for the action is written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilesRequest {
    /// `write`, `make-dirs` or `remove`.
    pub action: String,
    /// Files to write.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<WriteFile>,
    /// Directories to make.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dirs: Vec<MakeDir>,
    /// Paths to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<RemovePath>,
}
