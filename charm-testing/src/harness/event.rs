//! The event a test runs: one constructor per Juju hook kind, taking the relation,
//! container, secret, storage or action it is about.

use super::state::{CheckInfo, Container, Notice, Relation, RelationKind, Secret, Storage};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_ACTION_ID: AtomicU64 = AtomicU64::new(1);

/// One Juju event to run. Build it with the constructor named after the hook
/// (`Event::start()`, `Event::relation_changed(&rel, 0)`, `Event::action("backup", ())`).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub(crate) kind: EventKind,
}

/// The relation an event is about, as the event saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RelationRef {
    pub endpoint: String,
    pub id: u64,
    pub kind: RelationKind,
}

/// Which relation hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelHook {
    Created,
    Joined,
    Changed,
    Departed,
    Broken,
}

impl RelHook {
    pub fn suffix(self) -> &'static str {
        match self {
            RelHook::Created => "created",
            RelHook::Joined => "joined",
            RelHook::Changed => "changed",
            RelHook::Departed => "departed",
            RelHook::Broken => "broken",
        }
    }
}

/// Which workload hook, with its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WorkloadHook {
    Ready,
    Notice(Notice),
    CheckFailed(CheckInfo),
    CheckRecovered(CheckInfo),
}

/// Which secret hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecretHook {
    Changed,
    Rotate,
    Remove,
    Expired,
}

impl SecretHook {
    pub fn suffix(self) -> &'static str {
        match self {
            SecretHook::Changed => "changed",
            SecretHook::Rotate => "rotate",
            SecretHook::Remove => "remove",
            SecretHook::Expired => "expired",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EventKind {
    /// A hook without data: `install`, `start`, ...
    Unit(&'static str),
    /// Only the charm's collect-status handlers, in an `update-status` environment.
    CollectStatus,
    Relation {
        hook: RelHook,
        relation: RelationRef,
        remote_unit: Option<u32>,
        /// `None`: the remote unit departs; `Some(())`: this unit departs.
        departing_self: bool,
    },
    Workload {
        hook: WorkloadHook,
        container: String,
    },
    Storage {
        attached: bool,
        storage: Storage,
    },
    Secret {
        hook: SecretHook,
        id: String,
        label: Option<String>,
        revision: Option<u64>,
    },
    Action {
        name: String,
        params: Result<Map<String, Value>, String>,
        id: String,
    },
}

impl Event {
    fn unit(hook: &'static str) -> Self {
        Event {
            kind: EventKind::Unit(hook),
        }
    }

    /// `install`
    pub fn install() -> Self {
        Self::unit("install")
    }
    /// `start`
    pub fn start() -> Self {
        Self::unit("start")
    }
    /// `stop`
    pub fn stop() -> Self {
        Self::unit("stop")
    }
    /// `remove`
    pub fn remove() -> Self {
        Self::unit("remove")
    }
    /// `config-changed`
    pub fn config_changed() -> Self {
        Self::unit("config-changed")
    }
    /// `update-status`
    pub fn update_status() -> Self {
        Self::unit("update-status")
    }
    /// `upgrade-charm`
    pub fn upgrade_charm() -> Self {
        Self::unit("upgrade-charm")
    }
    /// `leader-elected`
    pub fn leader_elected() -> Self {
        Self::unit("leader-elected")
    }
    /// `leader-settings-changed`
    pub fn leader_settings_changed() -> Self {
        Self::unit("leader-settings-changed")
    }
    /// Not a Juju hook: runs only the charm's collect-status handlers (then commits), to
    /// evaluate a state's status on its own, as `ops.testing`'s
    /// `ctx.on.collect_unit_status()` does. Juju runs collect-status at the end of every
    /// hook; this runs it in the environment of an `update-status` hook, without the
    /// handlers routed that hook.
    pub fn collect_status() -> Self {
        Event {
            kind: EventKind::CollectStatus,
        }
    }
    /// `collect-metrics` (restricted context)
    pub fn collect_metrics() -> Self {
        Self::unit("collect-metrics")
    }
    /// `pre-series-upgrade`
    pub fn pre_series_upgrade() -> Self {
        Self::unit("pre-series-upgrade")
    }
    /// `post-series-upgrade`
    pub fn post_series_upgrade() -> Self {
        Self::unit("post-series-upgrade")
    }

    fn relation(hook: RelHook, rel: &Relation, remote_unit: Option<u32>) -> Self {
        Event {
            kind: EventKind::Relation {
                hook,
                relation: RelationRef {
                    endpoint: rel.endpoint.clone(),
                    id: rel.id,
                    kind: rel.kind,
                },
                remote_unit,
                departing_self: false,
            },
        }
    }

    /// `<endpoint>-relation-created`
    pub fn relation_created(rel: &Relation) -> Self {
        Self::relation(RelHook::Created, rel, None)
    }

    /// `<endpoint>-relation-joined`: `remote_unit` (its number) joined.
    pub fn relation_joined(rel: &Relation, remote_unit: u32) -> Self {
        Self::relation(RelHook::Joined, rel, Some(remote_unit))
    }

    /// `<endpoint>-relation-changed`: a remote unit's bag changed (`Some(n)` or just `n`),
    /// or only the remote application's bag (`None`).
    pub fn relation_changed(rel: &Relation, remote_unit: impl Into<Option<u32>>) -> Self {
        Self::relation(RelHook::Changed, rel, remote_unit.into())
    }

    /// `<endpoint>-relation-departed`: `remote_unit` departed (see
    /// [`Event::departing_this_unit`] for this unit leaving).
    pub fn relation_departed(rel: &Relation, remote_unit: u32) -> Self {
        Self::relation(RelHook::Departed, rel, Some(remote_unit))
    }

    /// `<endpoint>-relation-broken`: the relation is being removed (the charm no longer
    /// sees it among the endpoint's relations).
    pub fn relation_broken(rel: &Relation) -> Self {
        Self::relation(RelHook::Broken, rel, None)
    }

    /// For `relation-departed`: it is this unit that leaves the relation
    /// (`JUJU_DEPARTING_UNIT` is this unit), not the remote unit.
    pub fn departing_this_unit(mut self) -> Self {
        if let EventKind::Relation { departing_self, .. } = &mut self.kind {
            *departing_self = true;
        }
        self
    }

    fn workload(hook: WorkloadHook, container: &Container) -> Self {
        Event {
            kind: EventKind::Workload {
                hook,
                container: container.name.clone(),
            },
        }
    }

    /// `<container>-pebble-ready` (the container must be in the state and able to connect:
    /// Juju sends workload events only while Pebble is up).
    pub fn pebble_ready(container: &Container) -> Self {
        Self::workload(WorkloadHook::Ready, container)
    }

    /// `<container>-pebble-custom-notice` for a custom notice of the container (the
    /// charm reads it from Pebble by the id the event carries).
    pub fn pebble_custom_notice(container: &Container, notice: &Notice) -> Self {
        Self::workload(WorkloadHook::Notice(notice.clone()), container)
    }

    /// `<container>-pebble-check-failed` for a check of the container.
    pub fn pebble_check_failed(container: &Container, check: &CheckInfo) -> Self {
        Self::workload(WorkloadHook::CheckFailed(check.clone()), container)
    }

    /// `<container>-pebble-check-recovered` for a check of the container.
    pub fn pebble_check_recovered(container: &Container, check: &CheckInfo) -> Self {
        Self::workload(WorkloadHook::CheckRecovered(check.clone()), container)
    }

    /// `<storage>-storage-attached`
    pub fn storage_attached(storage: &Storage) -> Self {
        Event {
            kind: EventKind::Storage {
                attached: true,
                storage: storage.clone(),
            },
        }
    }

    /// `<storage>-storage-detaching`
    pub fn storage_detaching(storage: &Storage) -> Self {
        Event {
            kind: EventKind::Storage {
                attached: false,
                storage: storage.clone(),
            },
        }
    }

    fn secret(hook: SecretHook, secret: &Secret, revision: Option<u64>) -> Self {
        Event {
            kind: EventKind::Secret {
                hook,
                id: secret.id.clone(),
                label: secret.label.clone(),
                revision,
            },
        }
    }

    /// `secret-changed` (sent to observers): a newer revision than the tracked one exists.
    pub fn secret_changed(secret: &Secret) -> Self {
        Self::secret(SecretHook::Changed, secret, None)
    }

    /// `secret-rotate` (sent to the owner).
    pub fn secret_rotate(secret: &Secret) -> Self {
        Self::secret(SecretHook::Rotate, secret, None)
    }

    /// `secret-remove` (sent to the owner): `revision` is no longer tracked by anyone.
    pub fn secret_remove(secret: &Secret, revision: u64) -> Self {
        Self::secret(SecretHook::Remove, secret, Some(revision))
    }

    /// `secret-expired` (sent to the owner): `revision` expired.
    pub fn secret_expired(secret: &Secret, revision: u64) -> Self {
        Self::secret(SecretHook::Expired, secret, Some(revision))
    }

    /// An action, with its parameters as the user gave them (`juju run unit name k=v`):
    /// a JSON object, a map, `[("key", value), ...]`, or `()` for none. The consistency
    /// checker validates them against the declared schema and fills in defaults, as Juju
    /// does.
    pub fn action(name: &str, params: impl IntoParams) -> Self {
        Event {
            kind: EventKind::Action {
                name: name.to_string(),
                params: params.into_params(),
                id: NEXT_ACTION_ID.fetch_add(1, Ordering::Relaxed).to_string(),
            },
        }
    }

    /// Sets an action's id (`JUJU_ACTION_UUID`).
    pub fn with_action_id(mut self, action_id: &str) -> Self {
        if let EventKind::Action { id, .. } = &mut self.kind {
            *id = action_id.to_string();
        }
        self
    }

    /// The Juju hook name, e.g. `fastapi-peer-relation-changed`; the action name for
    /// actions; `update-status` for [`Event::collect_status`].
    pub fn hook_name(&self) -> String {
        match &self.kind {
            EventKind::Unit(h) => (*h).to_string(),
            EventKind::CollectStatus => "update-status".to_string(),
            EventKind::Relation { hook, relation, .. } => {
                format!("{}-relation-{}", relation.endpoint, hook.suffix())
            }
            EventKind::Workload { hook, container } => format!(
                "{container}-{}",
                match hook {
                    WorkloadHook::Ready => "pebble-ready",
                    WorkloadHook::Notice(_) => "pebble-custom-notice",
                    WorkloadHook::CheckFailed(_) => "pebble-check-failed",
                    WorkloadHook::CheckRecovered(_) => "pebble-check-recovered",
                }
            ),
            EventKind::Storage { attached, storage } => format!(
                "{}-storage-{}",
                storage.name,
                if *attached { "attached" } else { "detaching" }
            ),
            EventKind::Secret { hook, .. } => format!("secret-{}", hook.suffix()),
            EventKind::Action { name, .. } => name.clone(),
        }
    }
}

/// Action parameters as a test gives them; see [`Event::action`].
pub trait IntoParams {
    /// The parameters as a JSON object, or why they are not one.
    fn into_params(self) -> Result<Map<String, Value>, String>;
}

impl IntoParams for () {
    fn into_params(self) -> Result<Map<String, Value>, String> {
        Ok(Map::new())
    }
}

impl IntoParams for Value {
    fn into_params(self) -> Result<Map<String, Value>, String> {
        match self {
            Value::Object(m) => Ok(m),
            Value::Null => Ok(Map::new()),
            other => Err(format!(
                "action parameters must be a JSON object, not {other}"
            )),
        }
    }
}

impl IntoParams for Map<String, Value> {
    fn into_params(self) -> Result<Map<String, Value>, String> {
        Ok(self)
    }
}

impl<K: Into<String>, V: Into<Value>, const N: usize> IntoParams for [(K, V); N] {
    fn into_params(self) -> Result<Map<String, Value>, String> {
        Ok(self
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect())
    }
}

impl<K: Into<String>, V: Into<Value>> IntoParams for Vec<(K, V)> {
    fn into_params(self) -> Result<Map<String, Value>, String> {
        Ok(self
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect())
    }
}

impl<K: Into<String>, V: Into<Value>> IntoParams for BTreeMap<K, V> {
    fn into_params(self) -> Result<Map<String, Value>, String> {
        Ok(self
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect())
    }
}

impl<K: Into<String>, V: Into<Value>, S> IntoParams for HashMap<K, V, S> {
    fn into_params(self) -> Result<Map<String, Value>, String> {
        Ok(self
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect())
    }
}
