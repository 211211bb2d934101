//! The simulated model: everything Juju's controller would know, as JSON in
//! `<state>/model.json`.

use super::charm;
use super::history::Committed;
use super::queuefile::{Base, Steps};
use charm_runtime::metadata::CharmMetadata;
use jujuc::{BagData, CallRecord, SecretWorld, StatusValue};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

mod effects;
mod errors;
mod queue;
mod saved;
mod steps;

pub use saved::{inline_queue, take_history, upgrade};

/// The version of `model.json`'s layout: 4 since a long queue's front is kept in a file
/// of its own (`queue/`, `queue_base`); 3 since the history (events, logs, tasks) is kept
/// in files of its own (`history/`); 2 since a model holds several applications. Earlier
/// formats are upgraded as they load ([`upgrade`], [`take_history`], [`inline_queue`]).
pub const FORMAT: u32 = 4;

/// The Juju version the simulator reports (`JUJU_VERSION`).
pub const JUJU_VERSION: &str = "3.6.4";

/// The whole model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    /// [`FORMAT`].
    pub format: u32,
    /// Model name.
    pub name: String,
    /// Model UUID.
    pub uuid: String,
    /// The deployed applications, by name.
    pub apps: BTreeMap<String, App>,
    /// Relations, by id.
    pub relations: BTreeMap<u64, Relation>,
    /// Secrets.
    pub secrets: Vec<Secret>,
    /// Steps still to run (hooks and pod/unit/relation changes). Saved after every step, so
    /// an interrupted operation resumes where it stopped. In `model.json`: the steps after
    /// [`Model::queue_base`]'s (all of them when there is none).
    pub queue: VecDeque<Step>,
    /// Where the front of a long queue is kept (`queue/<generation>.jsonl`, see
    /// [`super::queuefile`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_base: Option<Base>,
    /// The steps of [`Model::queue_base`] as saved or loaded.
    #[serde(skip)]
    pub queue_saved: Steps<Step>,
    /// How much of each history file (`history/*.jsonl`, see [`super::history`]) is
    /// committed: the model's history is kept out of `model.json`.
    #[serde(default)]
    pub history: Committed,
    /// Dispatches: those recorded since the model was loaded, after the committed ones
    /// when the history was read ([`super::store::Store::read_history`]).
    #[serde(skip)]
    pub events: Vec<EventRecord>,
    /// Unit log lines (`juju-log`, the charm's stdout and stderr), likewise.
    #[serde(skip)]
    pub logs: Vec<LogLine>,
    /// Action runs, likewise.
    #[serde(skip)]
    pub tasks: Vec<Task>,
    /// How many of `events`, `logs` and `tasks` are already in the history files (the
    /// rest is appended at the next save).
    #[serde(skip)]
    pub appended: Appended,
    /// Id counters.
    pub next: Counters,
}

/// How many of the model's in-memory history records are in the history files already.
#[derive(Debug, Clone, Copy, Default)]
pub struct Appended {
    /// Of [`Model::events`].
    pub events: usize,
    /// Of [`Model::logs`].
    pub logs: usize,
    /// Of [`Model::tasks`].
    pub tasks: usize,
}

/// Id counters (never reused, as in Juju).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Counters {
    /// Next relation id.
    pub relation: u64,
    /// Next action task id.
    pub task: u64,
    /// Next dispatch sequence number.
    pub dispatch: u64,
    /// Next storage instance number: one sequence for the whole model and every storage
    /// name, as Juju numbers them (`data/0`, `logs/1`, `data/2`).
    #[serde(default)]
    pub storage: u32,
    /// Secrets added for remote applications so far (their ids derive from it).
    #[serde(default)]
    pub secret: u64,
}

/// One application.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct App {
    /// Application name (by default the charm's name).
    pub name: String,
    /// Where the charm came from (a path).
    pub charm_source: String,
    /// Its pristine unpacked charm, relative to the state directory (`charms/<app>`;
    /// `charm` for a model saved in format 1).
    pub charm_dir: String,
    /// The charm's revision: 0 at deploy, +1 per refresh.
    #[serde(default)]
    pub revision: u32,
    /// For a charm deployed by its store name through the Charmhub stand-in: that name and
    /// channel.
    #[serde(default)]
    pub store: Option<StoreOrigin>,
    /// `deploy --trust`.
    #[serde(default)]
    pub trust: bool,
    /// `deploy --resource name=value`, as given.
    #[serde(default)]
    pub resources: BTreeMap<String, String>,
    /// The charm's metadata, read from its unpacked directory (models saved before the
    /// simulator used the runtime's metadata load too).
    #[serde(deserialize_with = "charm::saved_metadata")]
    pub meta: CharmMetadata,
    /// Config values set by the user (`deploy --config`, `config`).
    pub config: Map<String, Value>,
    /// Application status, when the leader set one.
    pub status: Option<StatusValue>,
    /// The leader unit.
    pub leader: Option<String>,
    /// The application (Kubernetes service) address.
    pub address: String,
    /// Its units, by unit number.
    pub units: BTreeMap<u32, Unit>,
    /// The next unit number (never reused, as in Juju).
    pub next_unit: u32,
}

/// Where a store charm came from (`deploy postgresql-k8s --channel 14/stable`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreOrigin {
    /// The charm's name in the store.
    pub name: String,
    /// The channel asked for (`latest/stable` when none was).
    pub channel: String,
}

impl App {
    /// Unit names, by unit number.
    pub fn unit_names(&self) -> Vec<String> {
        self.units.values().map(|u| u.name.clone()).collect()
    }
}
/// One unit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Unit {
    /// `app/N`.
    pub name: String,
    /// Pod address.
    pub address: String,
    /// Workload status as the charm set it.
    pub status: StatusValue,
    /// The hook that failed, while the unit is in error.
    pub error: Option<String>,
    /// The failed hook's step, while the unit is in error: a retry runs it again.
    #[serde(default)]
    pub failed: Option<HookStep>,
    /// Workload version.
    pub workload_version: String,
    /// Opened ports.
    pub ports: BTreeSet<String>,
    /// Server-side unit state (`state-set`).
    pub state: BagData,
    /// `alive` or `dying`.
    pub life: String,
    /// Pod generation: 0 for the first pod, +1 per `delete-pod`.
    pub pod: u32,
    /// Secret revisions this unit tracks, by secret id (observers).
    pub tracked_secrets: BTreeMap<String, u64>,
    /// The labels this unit gave secrets it observes (`secret-get ID --label L`), by id:
    /// Juju keeps a consumer's label per consumer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secret_labels: BTreeMap<String, String>,
    /// For secrets it observes: the newest revision a `secret-changed` was queued for on
    /// this unit, by id (Juju sends one per new revision, whether or not the unit then
    /// refreshes).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secret_changed: BTreeMap<String, u64>,
    /// How many secret ids this unit has generated (jujuc derives ids from it).
    #[serde(default)]
    pub secret_seq: u64,
    /// Its storage instances, in creation order.
    #[serde(default)]
    pub storage: Vec<StorageInstance>,
}

impl Unit {
    /// The storage instance `name/index` of this unit.
    pub fn storage_instance(&self, id: &str) -> Option<&StorageInstance> {
        self.storage.iter().find(|s| s.id() == id)
    }
}

/// One storage instance, attached to its unit for the unit's lifetime (Kubernetes keeps the
/// volume across pods).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageInstance {
    /// The storage name.
    pub name: String,
    /// Its number (model-wide, [`Counters::storage`]).
    pub index: u32,
    /// `filesystem` or `block`.
    pub kind: String,
    /// The location the charm sees (`storage-get location`, `JUJU_STORAGE_LOCATION`): Juju's
    /// mount point under the unit's simulated root, `<state>/units/<app>-<n>/root/...`; a
    /// real directory for filesystem storage.
    pub location: String,
    /// True once its `-storage-attached` hook has started: from then on `storage-list`
    /// shows it.
    pub attached: bool,
}

impl StorageInstance {
    /// `name/index`, as `JUJU_STORAGE_ID` and `storage-list` write it.
    pub fn id(&self) -> String {
        format!("{}/{}", self.name, self.index)
    }
}

/// A relation between two endpoints: `app:endpoint` (a deployed application) and
/// `remote_app:remote_endpoint`, another deployed application, a simulated one (`relate`)
/// or, for peers, the application itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Relation {
    /// Relation id.
    pub id: u64,
    /// The first application (a deployed one).
    pub app: String,
    /// Its endpoint.
    pub endpoint: String,
    /// Its interface.
    pub interface: String,
    /// `peer`, `provides` or `requires`: the role of [`Relation::endpoint`].
    pub role: String,
    /// The other application (the application itself for peers).
    pub remote_app: String,
    /// The other application's endpoint.
    pub remote_endpoint: String,
    /// The first application's bag.
    pub app_data: BagData,
    /// Units of deployed applications in the relation (both sides'), and their part in it.
    pub units: BTreeMap<String, RelationUnit>,
    /// The other application's bag; unused for peers.
    pub remote_app_data: BagData,
    /// The units of a simulated other application and their bags (empty when the other
    /// application is deployed: its units are in [`Relation::units`]).
    pub remote_units: BTreeMap<String, BagData>,
    /// True once removal started (`unrelate`): `relation-ids` leaves it out.
    pub dying: bool,
}

impl Relation {
    /// True for a peer relation.
    pub fn is_peer(&self) -> bool {
        self.role == "peer"
    }

    /// `endpoint:id` of the first application, as `JUJU_RELATION_ID` and `relation-ids`
    /// write it there.
    pub fn key(&self) -> String {
        format!("{}:{}", self.endpoint, self.id)
    }

    /// The relation as `app` sees it (`None` if `app` is in neither end).
    pub fn side(&self, app: &str) -> Option<Side<'_>> {
        if app == self.app {
            Some(Side {
                endpoint: &self.endpoint,
                remote_app: &self.remote_app,
                remote_endpoint: &self.remote_endpoint,
                app_data: &self.app_data,
                remote_app_data: &self.remote_app_data,
            })
        } else if app == self.remote_app {
            Some(Side {
                endpoint: &self.remote_endpoint,
                remote_app: &self.app,
                remote_endpoint: &self.endpoint,
                app_data: &self.remote_app_data,
                remote_app_data: &self.app_data,
            })
        } else {
            None
        }
    }

    /// `app`'s bag in the relation, to change it.
    pub fn app_bag_mut(&mut self, app: &str) -> Option<&mut BagData> {
        if app == self.app {
            Some(&mut self.app_data)
        } else if app == self.remote_app {
            Some(&mut self.remote_app_data)
        } else {
            None
        }
    }

    /// The bag of unit `name`: a deployed unit in scope or a simulated remote unit.
    pub fn unit_bag(&self, name: &str) -> Option<&BagData> {
        self.units
            .get(name)
            .map(|ru| &ru.data)
            .or_else(|| self.remote_units.get(name))
    }

    /// Whether the relation joins `a:ea` and `b:eb` (either way round).
    pub fn joins(&self, a: &str, ea: &str, b: &str, eb: &str) -> bool {
        let ends = |x: &str, ex: &str, y: &str, ey: &str| {
            self.app == x
                && self.endpoint == ex
                && self.remote_app == y
                && self.remote_endpoint == ey
        };
        ends(a, ea, b, eb) || ends(b, eb, a, ea)
    }

    /// The units in scope of the application at the other end from `app`'s: deployed units
    /// of that application, or the simulated ones; for peers, `app`'s own units.
    pub fn units_of_other_side(&self, app: &str) -> Vec<String> {
        let other = match self.side(app) {
            Some(s) => s.remote_app.to_string(),
            None => return vec![],
        };
        let mut names: Vec<String> = self
            .units
            .keys()
            .filter(|u| app_of_unit(u) == other)
            .cloned()
            .collect();
        names.extend(self.remote_units.keys().cloned());
        names
    }
}

/// A relation seen from one of its applications.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The application's endpoint.
    pub endpoint: &'a str,
    /// The application at the other end.
    pub remote_app: &'a str,
    /// Its endpoint.
    pub remote_endpoint: &'a str,
    /// The application's bag.
    pub app_data: &'a BagData,
    /// The other application's bag.
    pub remote_app_data: &'a BagData,
}

impl Side<'_> {
    /// `endpoint:id`, as `JUJU_RELATION_ID` writes it on this side.
    pub fn key(&self, id: u64) -> String {
        format!("{}:{id}", self.endpoint)
    }
}

/// The pod address with index `k`: `10.1.0.10`, `10.1.0.11`, ...
pub fn pod_address(k: u32) -> String {
    format!("10.1.{}.{}", k / 200, k % 200 + 10)
}

/// The application of a unit name (`app/0` → `app`).
pub fn app_of_unit(unit: &str) -> &str {
    unit.rsplit_once('/').map_or(unit, |(a, _)| a)
}

/// A local unit's part in a relation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RelationUnit {
    /// `-relation-created` has run (the relation is visible to the unit).
    pub created: bool,
    /// Remote units this unit has seen join (and not depart).
    pub joined: BTreeSet<String>,
    /// The unit's bag.
    pub data: BagData,
}

/// A secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Secret {
    /// The secret as its owner sees it.
    pub secret: SecretWorld,
    /// For unit-owned secrets: the owning unit.
    pub owner_unit: Option<String>,
    /// For a secret a related (simulated) application owns and granted to this one through
    /// their relation (`add-secret`): that application. The units see it while the
    /// relation lives.
    #[serde(default)]
    pub owner_app: Option<String>,
    /// For a secret a deployed application's hook added: that application (its units
    /// own it; other applications' units observe it through `secret-grant`).
    #[serde(default)]
    pub app: Option<String>,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "kebab-case")]
pub enum Step {
    /// Dispatch a hook or an action.
    Hook(Box<HookStep>),
    /// Kubernetes made a new pod for the unit: a fresh copy of the charm directory.
    FreshPod {
        /// The unit.
        unit: String,
    },
    /// The unit's teardown is over: remove it from the model.
    RemoveUnit {
        /// The unit.
        unit: String,
    },
    /// Every unit has run `-relation-broken`: remove the relation.
    RemoveRelation {
        /// Relation id.
        relation: u64,
    },
    /// Every unit of the application is gone: remove it (and its peer relations).
    RemoveApplication {
        /// The application.
        app: String,
    },
}

impl Step {
    /// A [`Step::Hook`].
    pub fn hook(h: HookStep) -> Step {
        Step::Hook(Box::new(h))
    }
}

/// One dispatch to run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HookStep {
    /// The unit.
    pub unit: String,
    /// Hook name (`install`, `db-relation-changed`, ...), or the action name.
    pub hook: String,
    /// For relation hooks: the relation id.
    pub relation: Option<u64>,
    /// `JUJU_REMOTE_UNIT`.
    pub remote_unit: Option<String>,
    /// `JUJU_DEPARTING_UNIT`.
    pub departing_unit: Option<String>,
    /// `JUJU_WORKLOAD_NAME`.
    pub workload: Option<String>,
    /// `JUJU_STORAGE_ID`, in storage hooks (`data/0`).
    #[serde(default)]
    pub storage: Option<String>,
    /// Extra `JUJU_*` variables (`JUJU_NOTICE_*`, `JUJU_PEBBLE_CHECK_NAME`, secrets).
    pub extra_env: BTreeMap<String, String>,
    /// For actions: task id and parameters (validated, defaults filled).
    pub action: Option<ActionCall>,
    /// What the hook changes in the model just before it runs (relation membership).
    pub effect: Option<Effect>,
    /// The command that queued it, for `events`.
    pub cause: String,
}

/// A model change a hook carries out when it starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// The unit enters the relation's scope (`-relation-created`).
    Create,
    /// The remote unit joins (`-relation-joined`).
    Join,
    /// The remote unit departs (`-relation-departed`).
    Depart,
    /// The storage instance is attached (`-storage-attached`).
    Attach,
}

/// An action invocation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionCall {
    /// Task id (`JUJU_ACTION_UUID`).
    pub id: u64,
    /// Action name.
    pub name: String,
    /// Parameters.
    pub params: Map<String, Value>,
}

/// The action name Juju gives `juju exec` tasks: the commands run in a hook context of
/// the unit, as an action whose `command` parameter holds them. Charms cannot define it
/// (Juju reserves the `juju-` prefix for action names).
pub const EXEC_ACTION: &str = "juju-exec";

impl ActionCall {
    /// For a `juju exec` task, the shell commands it runs.
    pub fn exec_commands(&self) -> Option<&str> {
        if self.name == EXEC_ACTION {
            self.params.get("command").and_then(Value::as_str)
        } else {
            None
        }
    }
}

/// One dispatch that ran.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventRecord {
    /// Sequence number.
    pub seq: u64,
    /// Unix time it started.
    pub at: i64,
    /// The unit.
    pub unit: String,
    /// Hook or action name.
    pub hook: String,
    /// True for actions.
    pub action: bool,
    /// `JUJU_RELATION_ID`, in relation hooks.
    pub relation: Option<String>,
    /// `JUJU_REMOTE_UNIT`, when set.
    pub remote_unit: Option<String>,
    /// `JUJU_STORAGE_ID`, in storage hooks.
    #[serde(default)]
    pub storage: Option<String>,
    /// Exit code (128 + signal when killed; -1 if it could not start).
    pub exit_code: i32,
    /// Wall time, milliseconds.
    pub wall_ms: f64,
    /// The hook-tool calls it made.
    pub calls: Vec<CallRecord>,
    /// The command that queued it.
    pub cause: String,
}

/// One unit log line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogLine {
    /// Unix time.
    pub at: i64,
    /// The unit.
    pub unit: String,
    /// The hook (or action) that wrote it.
    pub hook: String,
    /// `juju-log` for juju-log lines, else the hook name (stdout / stderr lines).
    pub source: String,
    /// TRACE, DEBUG, INFO, WARNING, ERROR.
    pub level: String,
    /// The text.
    pub message: String,
}

/// One action run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Task {
    /// Task id.
    pub id: u64,
    /// The unit.
    pub unit: String,
    /// Action name.
    pub action: String,
    /// Parameters.
    pub params: Map<String, Value>,
    /// `completed` or `failed`.
    pub status: String,
    /// The failure message.
    pub message: String,
    /// `action-set` results (flat dotted keys).
    pub results: BTreeMap<String, String>,
    /// `action-log` messages.
    pub logs: Vec<String>,
    /// The process's stdout.
    pub stdout: String,
    /// The process's stderr.
    pub stderr: String,
    /// Exit code.
    pub return_code: i32,
}

impl Model {
    /// The application named `name`.
    pub fn app(&self, name: &str) -> Option<&App> {
        self.apps.get(name)
    }

    /// The application named `name`, mutably.
    pub fn app_mut(&mut self, name: &str) -> Option<&mut App> {
        self.apps.get_mut(name)
    }

    /// The application of unit `unit` (which need not exist).
    pub fn app_of(&self, unit: &str) -> Option<&App> {
        self.apps.get(app_of_unit(unit))
    }

    /// The charm metadata of `unit`'s application.
    ///
    /// # Panics
    /// If the unit's application is not in the model (callers check the unit first).
    pub fn meta_of(&self, unit: &str) -> &CharmMetadata {
        &self
            .app_of(unit)
            .expect("the unit's application exists")
            .meta
    }

    /// Every unit: applications by name, units by number.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.apps.values().flat_map(|a| a.units.values())
    }

    /// The unit named `name`.
    pub fn unit(&self, name: &str) -> Option<&Unit> {
        self.app_of(name)?.units.values().find(|u| u.name == name)
    }

    /// The unit named `name`, mutably.
    pub fn unit_mut(&mut self, name: &str) -> Option<&mut Unit> {
        self.apps
            .get_mut(app_of_unit(name))?
            .units
            .values_mut()
            .find(|u| u.name == name)
    }

    /// Whether `name` is its application's leader.
    pub fn is_leader(&self, name: &str) -> bool {
        self.app_of(name)
            .is_some_and(|a| a.leader.as_deref() == Some(name))
    }

    /// The effective config of application `app`: defaults overlaid with the values the
    /// user set; options with no value are left out (what `config-get` prints).
    pub fn effective_config(&self, app: &str) -> Map<String, Value> {
        let mut out = Map::new();
        let Some(app) = self.app(app) else {
            return out;
        };
        for opt in &app.meta.config {
            let value = app.config.get(&opt.name).cloned();
            if let Some(v) = value.or_else(|| charm::config_default(opt)) {
                if !v.is_null() {
                    out.insert(opt.name.clone(), v);
                }
            }
        }
        out
    }

    /// Every unit name: applications by name, units by number.
    pub fn unit_names(&self) -> Vec<String> {
        self.units().map(|u| u.name.clone()).collect()
    }

    /// The names of `app`'s units, by number (none for an application not in the model).
    pub fn units_of(&self, app: &str) -> Vec<String> {
        self.app(app).map(App::unit_names).unwrap_or_default()
    }

    /// Application names, sorted.
    pub fn app_names(&self) -> Vec<String> {
        self.apps.keys().cloned().collect()
    }

    /// An empty model called `name`.
    pub fn new(name: &str, uuid: String) -> Model {
        Model {
            format: FORMAT,
            name: name.to_string(),
            uuid,
            apps: BTreeMap::new(),
            relations: BTreeMap::new(),
            secrets: vec![],
            queue: VecDeque::new(),
            queue_base: None,
            queue_saved: Steps::default(),
            history: Committed::default(),
            events: vec![],
            logs: vec![],
            tasks: vec![],
            appended: Appended::default(),
            next: Counters::default(),
        }
    }

    /// The next unit of application `app` (which exists), numbered from its counter, at
    /// the first pod address no unit of the model has (unit `n` of the first application
    /// gets the `n`th address).
    pub fn new_unit(&mut self, app: &str) -> Unit {
        let used: BTreeSet<String> = self.units().map(|u| u.address.clone()).collect();
        let a = self.apps.get_mut(app).expect("the application exists");
        let n = a.next_unit;
        a.next_unit += 1;
        let mut k = n;
        while used.contains(&pod_address(k)) {
            k += 1;
        }
        Unit::new(app, n, pod_address(k))
    }
}

/// The keys Juju puts in a unit's bag when it enters a relation's scope.
pub fn address_keys(address: &str) -> BagData {
    BagData::from([
        ("egress-subnets".to_string(), format!("{address}/32")),
        ("ingress-address".to_string(), address.to_string()),
        ("private-address".to_string(), address.to_string()),
    ])
}
