//! The data: what Juju knows (as one unit sees it) and what one hook has done.

use crate::calls::CallLog;
#[cfg(doc)]
use crate::calls::CallRecord;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A relation bag: string keys to string values.
pub type BagData = BTreeMap<String, String>;

/// Juju's model as one unit sees it during one hook.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitWorld {
    /// This unit, `app/N`.
    pub unit: String,
    /// Whether this unit is the leader.
    pub leader: bool,
    /// Model name.
    pub model_name: String,
    /// Model UUID.
    pub model_uuid: String,
    /// Effective config: every option that is set or has a default (what `config-get`
    /// prints); options with no value are absent.
    pub config: Map<String, Value>,
    /// The relations this unit's application is in.
    pub relations: Vec<RelationWorld>,
    /// Opened ports, as `opened-ports` prints them (`8080/tcp`, `icmp`).
    pub opened_ports: BTreeSet<String>,
    /// The unit's status.
    pub unit_status: StatusValue,
    /// The application's status.
    pub app_status: StatusValue,
    /// The workload version.
    pub workload_version: String,
    /// Server-side unit state (`state-get`/`state-set`).
    pub state: BagData,
    /// Secrets this unit owns or can see.
    pub secrets: Vec<SecretWorld>,
    /// Attached storage.
    pub storages: Vec<StorageWorld>,
    /// `network-get` answers by binding name (the JSON Juju prints).
    pub networks: BTreeMap<String, Value>,
    /// Resource paths by resource name (`resource-get`).
    pub resources: BTreeMap<String, String>,
    /// The action being run, when the hook is an action.
    pub action: Option<ActionWorld>,
    /// Units of the application that are alive (for `goal-state`).
    pub planned_units: Vec<String>,
    /// The statuses of the application's other units, by unit name (what the leader's
    /// `status-get --application` lists under `units`, next to this unit's own status).
    #[serde(default)]
    pub other_unit_statuses: BTreeMap<String, StatusValue>,
    /// Config options that have neither a value nor a default: `config-get --all` prints
    /// them as `null`; they are not in [`UnitWorld::config`].
    #[serde(default)]
    pub unset_config_options: BTreeSet<String>,
    /// What `credential-get` prints (the cloud spec, as JSON); `None` when the application
    /// is not trusted (`juju trust`), which makes `credential-get` fail.
    #[serde(default)]
    pub cloud_spec: Option<Value>,
    /// How many secret ids this unit has had generated (`secret-add`); ids are derived from
    /// it, so they are deterministic. Bumped at once, like Juju's id allocation, even if the
    /// hook then fails.
    #[serde(default)]
    pub secret_seq: u64,
}

/// A status and its message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusValue {
    /// `active`, `blocked`, `maintenance`, `waiting`, `unknown` or `error`.
    pub status: String,
    /// The message.
    pub message: String,
}

/// One relation, as this unit sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RelationWorld {
    /// Relation id.
    pub id: u64,
    /// The local endpoint.
    pub endpoint: String,
    /// True for peer relations.
    pub peer: bool,
    /// The remote application (for peers, this application).
    pub remote_app: String,
    /// This application's bag.
    pub local_app_data: BagData,
    /// This unit's bag.
    pub local_unit_data: BagData,
    /// The remote application's bag (for peers, the same as `local_app_data`).
    pub remote_app_data: BagData,
    /// The remote units and their bags (for peers: the other units of this application).
    pub remote_units: BTreeMap<String, BagData>,
    /// False once the relation is being removed (`relation-ids` leaves it out).
    pub alive: bool,
    /// The remote application's model UUID (`relation-model-get`), for cross-model
    /// relations; `None` means this model.
    #[serde(default)]
    pub remote_model_uuid: Option<String>,
}

/// A secret this unit owns or observes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SecretWorld {
    /// The secret URI, `secret:<id>`.
    pub id: String,
    /// `application` or `unit` for an owner; `None` for an observer.
    pub owner: Option<String>,
    /// Label, as the owner (or this observer) set it.
    pub label: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Content by revision.
    pub revisions: BTreeMap<u64, BagData>,
    /// The revision this unit tracks.
    pub tracked: u64,
    /// Rotation policy.
    pub rotate: Option<String>,
    /// Expiry (RFC 3339).
    pub expire: Option<String>,
    /// Grants: relation id → units (empty: the whole application).
    pub grants: BTreeMap<u64, BTreeSet<String>>,
}

/// Attached storage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StorageWorld {
    /// Storage name.
    pub name: String,
    /// Index.
    pub index: u32,
    /// `filesystem` or `block`.
    pub kind: String,
    /// Mount location.
    pub location: String,
}

/// The action being run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionWorld {
    /// Action name.
    pub name: String,
    /// Parameters, already checked against the schema and with defaults filled.
    pub params: Map<String, Value>,
}

/// Which relation and remote unit the hook is about (what `-r` and the unit argument
/// default to), and whether it is an action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookInfo {
    /// The hook name, e.g. `start` or `fastapi-peer-relation-changed` (the action name for
    /// actions).
    pub hook: String,
    /// `JUJU_RELATION_ID`'s id, in relation hooks.
    pub relation_id: Option<u64>,
    /// `JUJU_REMOTE_UNIT`.
    pub remote_unit: Option<String>,
    /// `JUJU_REMOTE_APP`.
    pub remote_app: Option<String>,
    /// True for actions.
    pub is_action: bool,
    /// True in restricted contexts (`collect-metrics`).
    pub restricted: bool,
    /// `JUJU_STORAGE_ID` (`data/0`), in storage hooks: what `storage-get` reads without `-s`.
    #[serde(default)]
    pub storage_id: Option<String>,
    /// `JUJU_DEPARTING_UNIT`, in `-relation-departed` hooks (`relation-list` leaves it out).
    #[serde(default)]
    pub departing_unit: Option<String>,
}

/// Staged writes to one of this unit's bags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationWrite {
    /// Relation id.
    pub relation_id: u64,
    /// True for the application bag, false for this unit's bag.
    pub app: bool,
    /// Key → value; `""` deletes the key.
    pub changes: BagData,
}

/// What one hook has done so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HookContext {
    /// The hook.
    pub info: HookInfo,
    /// Staged relation writes, one entry per (relation, bag), in first-write order.
    pub relation_writes: Vec<RelationWrite>,
    /// Staged port changes, in order: (port, open?).
    pub port_changes: Vec<(String, bool)>,
    /// Staged state writes: key → `Some(value)` or `None` (delete).
    pub state_writes: BTreeMap<String, Option<String>>,
    /// Staged secret changes (the world's secret list as it will be after commit), if any.
    pub secrets_after: Option<Vec<SecretWorld>>,
    /// `juju-log` lines: (level, message).
    pub logs: Vec<(String, String)>,
    /// Every unit status set, in order (immediate).
    pub unit_status_history: Vec<StatusValue>,
    /// Every app status set, in order (immediate).
    pub app_status_history: Vec<StatusValue>,
    /// Every workload version set, in order (immediate).
    pub workload_version_history: Vec<String>,
    /// `action-set` results (flat dotted keys).
    pub action_results: BTreeMap<String, String>,
    /// `action-log` messages.
    pub action_logs: Vec<String>,
    /// `action-fail` message, if called.
    pub action_failed: Option<String>,
    /// Every call, in order (read as a slice of [`CallRecord`]s).
    pub calls: CallLog,
    /// `storage-add` requests, in order: (storage name, count). Juju queues them until the
    /// hook ends; [`commit`](super::commit) leaves them here for the caller to act on (new
    /// storage arrives later as `-storage-attached` events).
    #[serde(default)]
    pub storage_adds: Vec<(String, u64)>,
}
