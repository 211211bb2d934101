//! Where events are parsed: the typed [`Event`] a dispatch handles, classified from the
//! `JUJU_*` environment Juju gives the `dispatch` process (juju-protocol.md §1.2–1.3).

mod env;
pub mod names;

pub use env::{EnvError, HookEnv};

/// One Juju event, with the data Juju passes along with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `install`: the first hook a unit runs.
    Install,
    /// `start`: runs after install and again after every Kubernetes pod churn.
    Start,
    /// `stop`: the unit (or its pod) is going away.
    Stop,
    /// `remove`: the very last hook of a unit.
    Remove,
    /// `config-changed`.
    ConfigChanged,
    /// `update-status`: fired periodically.
    UpdateStatus,
    /// `upgrade-charm`: a new charm revision, or a new pod on Kubernetes.
    UpgradeCharm,
    /// `leader-elected`: this unit became the leader.
    LeaderElected,
    /// `leader-settings-changed`: sent to non-leaders (deprecated in Juju 4).
    LeaderSettingsChanged,
    /// `collect-metrics` (legacy, restricted context).
    CollectMetrics,
    /// `pre-series-upgrade` (machine charms only).
    PreSeriesUpgrade,
    /// `post-series-upgrade` (machine charms only).
    PostSeriesUpgrade,
    /// `<endpoint>-relation-{created,joined,changed,departed,broken}`.
    Relation(RelationEvent),
    /// `<storage>-storage-{attached,detaching}`.
    Storage(StorageEvent),
    /// `<container>-pebble-{ready,custom-notice,check-failed,check-recovered}`.
    Workload(WorkloadEvent),
    /// `secret-{changed,rotate,remove,expired}`.
    Secret(SecretEvent),
    /// An action (`actions/<name>`).
    Action(ActionEvent),
}

/// Which of the five relation hooks fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationEventKind {
    /// `-relation-created`
    Created,
    /// `-relation-joined`
    Joined,
    /// `-relation-changed`
    Changed,
    /// `-relation-departed`
    Departed,
    /// `-relation-broken`
    Broken,
}

/// A relation hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationEvent {
    /// Which hook.
    pub kind: RelationEventKind,
    /// The endpoint name (`JUJU_RELATION`).
    pub endpoint: String,
    /// The relation id: the integer after the last `:` of `JUJU_RELATION_ID`.
    pub id: u64,
    /// The remote application (`JUJU_REMOTE_APP`); for peers, the local app.
    pub remote_app: String,
    /// The remote unit (`JUJU_REMOTE_UNIT`); `None` for created and broken.
    pub remote_unit: Option<String>,
    /// The departing unit (`JUJU_DEPARTING_UNIT`), only for departed.
    pub departing_unit: Option<String>,
}

/// Which of the two storage hooks fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StorageEventKind {
    /// `-storage-attached`
    Attached,
    /// `-storage-detaching`
    Detaching,
}

/// A storage hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageEvent {
    /// Which hook.
    pub kind: StorageEventKind,
    /// The storage name: the part of `JUJU_STORAGE_ID` before `/`.
    pub name: String,
    /// The storage index: the part of `JUJU_STORAGE_ID` after `/`.
    pub index: u32,
    /// `JUJU_STORAGE_LOCATION`, when Juju sets it.
    pub location: Option<String>,
}

/// Which of the four workload (Pebble) hooks fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkloadEventKind {
    /// `-pebble-ready`
    PebbleReady,
    /// `-pebble-custom-notice`, with the notice's id, type and key.
    CustomNotice {
        /// `JUJU_NOTICE_ID`
        id: String,
        /// `JUJU_NOTICE_TYPE`
        notice_type: String,
        /// `JUJU_NOTICE_KEY`
        key: String,
    },
    /// `-pebble-check-failed`, with the check name.
    CheckFailed {
        /// `JUJU_PEBBLE_CHECK_NAME`
        check: String,
    },
    /// `-pebble-check-recovered`, with the check name.
    CheckRecovered {
        /// `JUJU_PEBBLE_CHECK_NAME`
        check: String,
    },
}

/// A workload (Pebble) hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadEvent {
    /// Which hook.
    pub kind: WorkloadEventKind,
    /// The container name (`JUJU_WORKLOAD_NAME`).
    pub container: String,
}

/// Which of the four secret hooks fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretEventKind {
    /// `secret-changed` (observers)
    Changed,
    /// `secret-rotate` (owners)
    Rotate,
    /// `secret-remove` (owners)
    Remove,
    /// `secret-expired` (owners)
    Expired,
}

/// A secret hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretEvent {
    /// Which hook.
    pub kind: SecretEventKind,
    /// The secret URI (`JUJU_SECRET_ID`).
    pub id: String,
    /// The secret label (`JUJU_SECRET_LABEL`), if any.
    pub label: Option<String>,
    /// The revision (`JUJU_SECRET_REVISION`), required for remove and expired.
    pub revision: Option<u64>,
}

/// An action invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionEvent {
    /// The action name with its dashes (`JUJU_ACTION_NAME`).
    pub name: String,
    /// The action id (`JUJU_ACTION_UUID`).
    pub id: String,
}

impl Event {
    /// The Juju hook name of this event, e.g. `fastapi-peer-relation-changed`, or
    /// the action name for actions.
    pub fn hook_name(&self) -> String {
        match self {
            Event::Install => "install".into(),
            Event::Start => "start".into(),
            Event::Stop => "stop".into(),
            Event::Remove => "remove".into(),
            Event::ConfigChanged => "config-changed".into(),
            Event::UpdateStatus => "update-status".into(),
            Event::UpgradeCharm => "upgrade-charm".into(),
            Event::LeaderElected => "leader-elected".into(),
            Event::LeaderSettingsChanged => "leader-settings-changed".into(),
            Event::CollectMetrics => "collect-metrics".into(),
            Event::PreSeriesUpgrade => "pre-series-upgrade".into(),
            Event::PostSeriesUpgrade => "post-series-upgrade".into(),
            Event::Relation(r) => format!("{}-relation-{}", r.endpoint, r.kind.suffix()),
            Event::Storage(s) => format!("{}-storage-{}", s.name, s.kind.suffix()),
            Event::Workload(w) => format!("{}-{}", w.container, w.kind.suffix()),
            Event::Secret(s) => format!("secret-{}", s.kind.suffix()),
            Event::Action(a) => a.name.clone(),
        }
    }

    /// The relation this event is about, for relation hooks.
    pub fn relation(&self) -> Option<&RelationEvent> {
        match self {
            Event::Relation(r) => Some(r),
            _ => None,
        }
    }

    /// The secret this event is about, for `secret-*` hooks.
    pub fn secret(&self) -> Option<&SecretEvent> {
        match self {
            Event::Secret(s) => Some(s),
            _ => None,
        }
    }

    /// The storage instance this event is about, for storage hooks.
    pub fn storage(&self) -> Option<&StorageEvent> {
        match self {
            Event::Storage(s) => Some(s),
            _ => None,
        }
    }

    /// True for hooks that run in Juju's restricted context (`collect-metrics`), where
    /// most hook tools are unavailable.
    pub fn is_restricted(&self) -> bool {
        matches!(self, Event::CollectMetrics)
    }
}

impl RelationEventKind {
    /// The hook-name suffix, e.g. `changed`.
    pub fn suffix(self) -> &'static str {
        match self {
            RelationEventKind::Created => "created",
            RelationEventKind::Joined => "joined",
            RelationEventKind::Changed => "changed",
            RelationEventKind::Departed => "departed",
            RelationEventKind::Broken => "broken",
        }
    }
}

impl StorageEventKind {
    /// The hook-name suffix, e.g. `attached`.
    pub fn suffix(self) -> &'static str {
        match self {
            StorageEventKind::Attached => "attached",
            StorageEventKind::Detaching => "detaching",
        }
    }
}

impl WorkloadEventKind {
    /// The hook-name suffix, e.g. `pebble-ready`.
    pub fn suffix(&self) -> &'static str {
        match self {
            WorkloadEventKind::PebbleReady => "pebble-ready",
            WorkloadEventKind::CustomNotice { .. } => "pebble-custom-notice",
            WorkloadEventKind::CheckFailed { .. } => "pebble-check-failed",
            WorkloadEventKind::CheckRecovered { .. } => "pebble-check-recovered",
        }
    }
}

impl SecretEventKind {
    /// The hook-name suffix, e.g. `changed`.
    pub fn suffix(self) -> &'static str {
        match self {
            SecretEventKind::Changed => "changed",
            SecretEventKind::Rotate => "rotate",
            SecretEventKind::Remove => "remove",
            SecretEventKind::Expired => "expired",
        }
    }
}
