//! The input and output of a test: [`State`] and the things in it.
//!
//! A `State` is Juju's model as the unit under test sees it: leadership, config, relations
//! and their bags, workload containers, secrets, ports, storage, networks, statuses. It is
//! built once with [`State::builder`] and never changes; [`Context::run`](super::Context::run)
//! takes it by reference and returns a new one. To derive a variant, call
//! [`State::to_builder`].
//!
//! The parts (`Relation`, `Container`, `Secret`, ...) are plain values with public fields,
//! built by chaining methods named like their fields:
//!
//! ```
//! use charm_testing::{Relation, State};
//! let peers = Relation::peer("fastapi-peer").local_app_data([("unit_stats", r#"{"started_counter": 5}"#)]);
//! let state = State::builder().leader(true).relation(peers.clone()).build();
//! assert_eq!(state.relation(peers.id).unwrap().local_app_data["unit_stats"], r#"{"started_counter": 5}"#);
//! ```

use charm_runtime::Port;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// A relation bag: string keys to string values.
pub type BagData = BTreeMap<String, String>;

/// The address Juju's default bag keys and the default network use (TEST-NET-1, as
/// `ops.testing` does).
pub const DEFAULT_ADDRESS: &str = "192.0.2.0";

/// The keys Juju puts in every unit bag, with their default test values.
pub fn default_unit_bag() -> BagData {
    ["egress-subnets", "ingress-address", "private-address"]
        .into_iter()
        .map(|k| (k.to_string(), DEFAULT_ADDRESS.to_string()))
        .collect()
}

fn bag<K: Into<String>, V: Into<String>>(data: impl IntoIterator<Item = (K, V)>) -> BagData {
    data.into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

static NEXT_RELATION_ID: AtomicU64 = AtomicU64::new(1);
static NEXT_SECRET: AtomicU64 = AtomicU64::new(1);
static NEXT_NOTICE: AtomicU64 = AtomicU64::new(1);

/// The id the next [`Relation`] gets. Every relation built gets a new one, unique in the
/// test process, so relations built separately never collide; set one with
/// [`Relation::id`] when a test asserts on it.
pub fn next_relation_id() -> u64 {
    NEXT_RELATION_ID.fetch_add(1, Ordering::Relaxed)
}

// ------------------------------------------------------------------------------------------
// Statuses

/// A unit or application status as Juju reports it: the four a charm can set, plus Juju's
/// own `unknown` and `error`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum WorkloadStatus {
    /// `unknown`: nothing was set yet (the default).
    #[default]
    Unknown,
    /// `active`
    Active(String),
    /// `blocked`
    Blocked(String),
    /// `maintenance`
    Maintenance(String),
    /// `waiting`
    Waiting(String),
    /// `error`: set by Juju when a hook fails (as input only).
    Error(String),
}

impl WorkloadStatus {
    /// The status name: `active`, `blocked`, ...
    pub fn name(&self) -> &'static str {
        match self {
            WorkloadStatus::Unknown => "unknown",
            WorkloadStatus::Active(_) => "active",
            WorkloadStatus::Blocked(_) => "blocked",
            WorkloadStatus::Maintenance(_) => "maintenance",
            WorkloadStatus::Waiting(_) => "waiting",
            WorkloadStatus::Error(_) => "error",
        }
    }

    /// The message (empty for `unknown`).
    pub fn message(&self) -> &str {
        match self {
            WorkloadStatus::Unknown => "",
            WorkloadStatus::Active(m)
            | WorkloadStatus::Blocked(m)
            | WorkloadStatus::Maintenance(m)
            | WorkloadStatus::Waiting(m)
            | WorkloadStatus::Error(m) => m,
        }
    }

    /// Parses a status name and message; `None` for a name Juju does not have.
    pub fn from_name(name: &str, message: impl Into<String>) -> Option<Self> {
        let m = message.into();
        Some(match name {
            "unknown" | "" => WorkloadStatus::Unknown,
            "active" => WorkloadStatus::Active(m),
            "blocked" => WorkloadStatus::Blocked(m),
            "maintenance" => WorkloadStatus::Maintenance(m),
            "waiting" => WorkloadStatus::Waiting(m),
            "error" => WorkloadStatus::Error(m),
            _ => return None,
        })
    }
}

impl From<charm_runtime::Status> for WorkloadStatus {
    fn from(s: charm_runtime::Status) -> Self {
        use charm_runtime::Status as S;
        match s {
            S::Active(m) => WorkloadStatus::Active(m),
            S::Blocked(m) => WorkloadStatus::Blocked(m),
            S::Maintenance(m) => WorkloadStatus::Maintenance(m),
            S::Waiting(m) => WorkloadStatus::Waiting(m),
        }
    }
}

impl PartialEq<charm_runtime::Status> for WorkloadStatus {
    fn eq(&self, other: &charm_runtime::Status) -> bool {
        self.name() == other.name() && self.message() == other.message()
    }
}

impl PartialEq<WorkloadStatus> for charm_runtime::Status {
    fn eq(&self, other: &WorkloadStatus) -> bool {
        other == self
    }
}

impl fmt::Display for WorkloadStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message().is_empty() {
            f.write_str(self.name())
        } else {
            write!(f, "{}: {}", self.name(), self.message())
        }
    }
}

// ------------------------------------------------------------------------------------------
// Relations

/// Which kind of relation: it must match how the endpoint is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationKind {
    /// A `provides`/`requires` endpoint with global scope, related to another application.
    Regular,
    /// A `peers` endpoint: the other units of this application.
    Peer,
    /// A `provides`/`requires` endpoint with `scope: container`: the one principal (or
    /// subordinate) unit this unit is attached to.
    Subordinate,
}

impl fmt::Display for RelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RelationKind::Regular => "regular relation",
            RelationKind::Peer => "peer relation",
            RelationKind::Subordinate => "subordinate relation",
        })
    }
}

/// One relation of the unit's application, with every bag the unit can see.
///
/// Built with [`Relation::new`] (regular), [`Relation::peer`] or [`Relation::subordinate`],
/// then chained setters. Defaults, as Juju has them when a unit first joins: this unit's
/// bag holds Juju's address keys; a regular relation has one remote unit (`remote/0`)
/// whose bag holds them too; a peer relation has no other units; all other bags are empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The local endpoint.
    pub endpoint: String,
    /// The relation id (unique per process unless set).
    pub id: u64,
    /// Regular, peer or subordinate.
    pub kind: RelationKind,
    /// The interface, if given; it must match the metadata's.
    pub interface: Option<String>,
    /// This application's bag.
    pub local_app_data: BagData,
    /// This unit's bag.
    pub local_unit_data: BagData,
    /// The remote application (for peers: unused, it is this application).
    pub remote_app_name: String,
    /// The remote application's bag (for peers: unused, it is `local_app_data`).
    pub remote_app_data: BagData,
    /// The remote units' bags by unit number. For peers: the *other* units of this
    /// application; for subordinates: exactly one unit.
    pub remote_units_data: BTreeMap<u32, BagData>,
    /// The remote application's model UUID for a cross-model relation; `None`: this model.
    pub remote_model_uuid: Option<String>,
}

impl Relation {
    fn with_kind(endpoint: &str, kind: RelationKind) -> Self {
        let remote_units_data = match kind {
            RelationKind::Peer => BTreeMap::new(),
            _ => [(0, default_unit_bag())].into_iter().collect(),
        };
        Relation {
            endpoint: endpoint.to_string(),
            id: next_relation_id(),
            kind,
            interface: None,
            local_app_data: BagData::new(),
            local_unit_data: default_unit_bag(),
            remote_app_name: "remote".into(),
            remote_app_data: BagData::new(),
            remote_units_data,
            remote_model_uuid: None,
        }
    }

    /// A relation of a `provides`/`requires` endpoint to another application (`remote`,
    /// with one unit `remote/0`, unless set).
    pub fn new(endpoint: &str) -> Self {
        Self::with_kind(endpoint, RelationKind::Regular)
    }

    /// The relation of a `peers` endpoint (no other units unless added with
    /// [`Relation::peer_data`]).
    pub fn peer(endpoint: &str) -> Self {
        Self::with_kind(endpoint, RelationKind::Peer)
    }

    /// A relation of a `scope: container` endpoint: one remote unit (`remote/0` unless set
    /// with [`Relation::remote_app_name`] and [`Relation::remote_unit_id`]).
    pub fn subordinate(endpoint: &str) -> Self {
        Self::with_kind(endpoint, RelationKind::Subordinate)
    }

    /// Sets the relation id.
    pub fn id(mut self, id: u64) -> Self {
        self.id = id;
        self
    }

    /// Sets the interface (checked against the metadata).
    pub fn interface(mut self, interface: &str) -> Self {
        self.interface = Some(interface.to_string());
        self
    }

    /// Replaces this application's bag.
    pub fn local_app_data<K: Into<String>, V: Into<String>>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.local_app_data = bag(data);
        self
    }

    /// Replaces this unit's bag (Juju's address keys included: give them if the charm reads
    /// them).
    pub fn local_unit_data<K: Into<String>, V: Into<String>>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.local_unit_data = bag(data);
        self
    }

    /// Makes it a cross-model relation: the remote application is in this model.
    pub fn remote_model_uuid(mut self, uuid: &str) -> Self {
        self.remote_model_uuid = Some(uuid.to_string());
        self
    }

    /// Sets the remote application's name.
    pub fn remote_app_name(mut self, name: &str) -> Self {
        self.remote_app_name = name.to_string();
        self
    }

    /// Replaces the remote application's bag.
    pub fn remote_app_data<K: Into<String>, V: Into<String>>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.remote_app_data = bag(data);
        self
    }

    /// Replaces all remote units (for peers: the other units) and their bags.
    pub fn remote_units_data<B, K, V>(mut self, units: impl IntoIterator<Item = (u32, B)>) -> Self
    where
        B: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.remote_units_data = units.into_iter().map(|(n, b)| (n, bag(b))).collect();
        self
    }

    /// Adds (or replaces) one remote unit and its bag.
    pub fn remote_unit<K: Into<String>, V: Into<String>>(
        mut self,
        unit: u32,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.remote_units_data.insert(unit, bag(data));
        self
    }

    /// Removes every remote unit (a relation whose remote units have all departed).
    pub fn no_remote_units(mut self) -> Self {
        self.remote_units_data.clear();
        self
    }

    /// For peers: adds (or replaces) another unit of this application and its bag.
    pub fn peer_data<K: Into<String>, V: Into<String>>(
        self,
        unit: u32,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.remote_unit(unit, data)
    }

    /// For subordinates: the number of the one remote unit (its bag is kept).
    pub fn remote_unit_id(mut self, unit: u32) -> Self {
        let data = std::mem::take(&mut self.remote_units_data)
            .into_values()
            .next()
            .unwrap_or_else(default_unit_bag);
        self.remote_units_data.insert(unit, data);
        self
    }

    /// The remote unit names, `<app>/<n>`, given this application's name (used for peers).
    pub fn remote_unit_names(&self, app_name: &str) -> Vec<String> {
        let app = self.remote_app(app_name);
        self.remote_units_data
            .keys()
            .map(|n| format!("{app}/{n}"))
            .collect()
    }

    /// The remote application's name, given this application's name (used for peers).
    pub fn remote_app<'a>(&'a self, app_name: &'a str) -> &'a str {
        if self.kind == RelationKind::Peer {
            app_name
        } else {
            &self.remote_app_name
        }
    }
}

// ------------------------------------------------------------------------------------------
// Containers

/// A Pebble service's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceStatus {
    /// Running.
    Active,
    /// Stopped (the default for a service in the plan).
    Inactive,
    /// Failed.
    Error,
}

/// A Pebble layer: the JSON object Pebble takes (`summary`, `description`, `services`,
/// `checks`, `log-targets`), with service and check fields as Pebble names them. Anything
/// but an object is reported by the consistency checker.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layer(pub Value);

impl Layer {
    /// A layer from JSON (`serde_json::json!({...})`).
    pub fn new(layer: Value) -> Self {
        Layer(layer)
    }

    /// One section (`services`, `checks`, `log-targets`) as a map.
    pub fn section(&self, name: &str) -> Option<&Map<String, Value>> {
        self.0.get(name).and_then(Value::as_object)
    }
}

/// A command the workload container answers to (`exec`), by argv prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exec {
    /// The argv prefix this answer matches.
    pub command_prefix: Vec<String>,
    /// Exit code.
    pub return_code: i32,
    /// Stdout.
    pub stdout: String,
    /// Stderr.
    pub stderr: String,
}

impl Exec {
    /// A command that succeeds with no output.
    pub fn new<S: Into<String>>(command_prefix: impl IntoIterator<Item = S>) -> Self {
        Exec {
            command_prefix: command_prefix.into_iter().map(Into::into).collect(),
            return_code: 0,
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    /// Sets the exit code.
    pub fn return_code(mut self, code: i32) -> Self {
        self.return_code = code;
        self
    }

    /// Sets stdout.
    pub fn stdout(mut self, s: &str) -> Self {
        self.stdout = s.to_string();
        self
    }

    /// Sets stderr.
    pub fn stderr(mut self, s: &str) -> Self {
        self.stderr = s.to_string();
        self
    }
}

/// A Pebble notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Notice id (unique per process unless set).
    pub id: String,
    /// Notice type (`custom` unless set).
    pub notice_type: String,
    /// Key, e.g. `example.com/backup-done`.
    pub key: String,
    /// How many times it occurred.
    pub occurrences: u32,
    /// Data of the last occurrence.
    pub last_data: BagData,
}

impl Notice {
    /// A `custom` notice with this key.
    pub fn new(key: &str) -> Self {
        Notice {
            id: NEXT_NOTICE.fetch_add(1, Ordering::Relaxed).to_string(),
            notice_type: "custom".into(),
            key: key.to_string(),
            occurrences: 1,
            last_data: BagData::new(),
        }
    }

    /// Sets the id.
    pub fn id(mut self, id: &str) -> Self {
        self.id = id.to_string();
        self
    }

    /// Sets the type.
    pub fn notice_type(mut self, t: &str) -> Self {
        self.notice_type = t.to_string();
        self
    }

    /// Sets the last data.
    pub fn last_data<K: Into<String>, V: Into<String>>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.last_data = bag(data);
        self
    }
}

/// A Pebble health check's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInfo {
    /// Check name (as in the plan).
    pub name: String,
    /// `alive`, `ready` or `None` (unset); must match the plan.
    pub level: Option<String>,
    /// `up` or `down`.
    pub status: String,
    /// Consecutive failures.
    pub failures: u32,
    /// Failures before the check is down (3 unless set); must match the plan.
    pub threshold: u32,
}

impl CheckInfo {
    /// An `up` check with no failures.
    pub fn new(name: &str) -> Self {
        CheckInfo {
            name: name.to_string(),
            level: None,
            status: "up".into(),
            failures: 0,
            threshold: 3,
        }
    }

    /// Sets the level.
    pub fn level(mut self, level: &str) -> Self {
        self.level = Some(level.to_string());
        self
    }

    /// Marks it `down` with this many failures.
    pub fn down(mut self, failures: u32) -> Self {
        self.status = "down".into();
        self.failures = failures;
        self
    }

    /// Sets the threshold.
    pub fn threshold(mut self, threshold: u32) -> Self {
        self.threshold = threshold;
        self
    }
}

/// A workload container and its Pebble.
///
/// The runtime has no Pebble client yet, so a charm cannot reach a container during a
/// run: containers go through [`Context::run`](super::Context::run) unchanged and
/// `Output::pebble_calls` is empty. They are checked against the metadata, and workload
/// events need their container here.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Container {
    /// Container name, as declared.
    pub name: String,
    /// Whether Pebble answers (false unless set, as in `ops.testing`).
    pub can_connect: bool,
    /// Layers by label, in the order they were added.
    pub layers: Vec<(String, Layer)>,
    /// Service statuses by name (services in the plan without one are inactive).
    pub service_statuses: BTreeMap<String, ServiceStatus>,
    /// Files by absolute path.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Commands the container answers.
    pub execs: Vec<Exec>,
    /// Notices.
    pub notices: Vec<Notice>,
    /// Health checks' states.
    pub check_infos: Vec<CheckInfo>,
}

impl Container {
    /// A container that Pebble does not answer yet.
    pub fn new(name: &str) -> Self {
        Container {
            name: name.to_string(),
            ..Default::default()
        }
    }

    /// Sets whether Pebble answers.
    pub fn can_connect(mut self, yes: bool) -> Self {
        self.can_connect = yes;
        self
    }

    /// Adds a layer (a JSON object, see [`Layer`]).
    pub fn layer(mut self, label: &str, layer: Value) -> Self {
        self.layers.push((label.to_string(), Layer::new(layer)));
        self
    }

    /// Sets a service's status.
    pub fn service_status(mut self, service: &str, status: ServiceStatus) -> Self {
        self.service_statuses.insert(service.to_string(), status);
        self
    }

    /// Puts a file in the container.
    pub fn file(mut self, path: &str, content: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.to_string(), content.into());
        self
    }

    /// Adds a command answer.
    pub fn exec(mut self, exec: Exec) -> Self {
        self.execs.push(exec);
        self
    }

    /// Adds a notice.
    pub fn notice(mut self, notice: Notice) -> Self {
        self.notices.push(notice);
        self
    }

    /// Adds a check's state.
    pub fn check_info(mut self, info: CheckInfo) -> Self {
        self.check_infos.push(info);
        self
    }

    /// The plan: the layers combined in order, as Pebble combines them. A service or check
    /// with `override: merge` merges its fields into the earlier definition (maps merged
    /// key by key, lists appended); any other override replaces it. Empty sections are
    /// left out, so a container without layers has the plan `{}`.
    pub fn plan(&self) -> Value {
        let mut plan = Map::new();
        for (_, layer) in &self.layers {
            for section in ["services", "checks", "log-targets"] {
                let Some(items) = layer.section(section) else {
                    continue;
                };
                let out = plan
                    .entry(section.to_string())
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("sections are objects");
                for (name, def) in items {
                    let merge = def.get("override").and_then(Value::as_str) == Some("merge");
                    match (merge, out.get_mut(name)) {
                        (true, Some(Value::Object(old))) => {
                            if let Value::Object(new) = def {
                                merge_fields(old, new);
                            }
                        }
                        _ => {
                            out.insert(name.clone(), def.clone());
                        }
                    }
                }
            }
        }
        Value::Object(plan)
    }

    /// The services in the plan.
    pub fn plan_services(&self) -> BTreeSet<String> {
        self.plan_section("services")
    }

    /// The checks in the plan.
    pub fn plan_checks(&self) -> BTreeSet<String> {
        self.plan_section("checks")
    }

    fn plan_section(&self, section: &str) -> BTreeSet<String> {
        self.layers
            .iter()
            .filter_map(|(_, l)| l.section(section))
            .flat_map(|m| m.keys().cloned())
            .collect()
    }

    /// A service's status: as set, else `Inactive` for a service in the plan, else `None`.
    pub fn service_status_of(&self, service: &str) -> Option<ServiceStatus> {
        self.service_statuses.get(service).copied().or_else(|| {
            self.plan_services()
                .contains(service)
                .then_some(ServiceStatus::Inactive)
        })
    }
}

fn merge_fields(old: &mut Map<String, Value>, new: &Map<String, Value>) {
    for (k, v) in new {
        match (old.get_mut(k), v) {
            (Some(Value::Object(o)), Value::Object(n)) => {
                for (nk, nv) in n {
                    o.insert(nk.clone(), nv.clone());
                }
            }
            (Some(Value::Array(o)), Value::Array(n)) => o.extend(n.iter().cloned()),
            _ => {
                old.insert(k.clone(), v.clone());
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// Secrets

/// Who owns a secret, from the unit's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretOwner {
    /// The application owns it (the leader manages it).
    App,
    /// This unit owns it.
    Unit,
}

impl SecretOwner {
    /// `application` or `unit`, as Juju names it.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretOwner::App => "application",
            SecretOwner::Unit => "unit",
        }
    }
}

/// A secret the unit owns or observes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// `secret:<20 characters>` (unique per process unless set).
    pub id: String,
    /// The owner, or `None` when the unit only observes it (another app granted it).
    pub owner: Option<SecretOwner>,
    /// Label.
    pub label: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Content by revision.
    pub revisions: BTreeMap<u64, BagData>,
    /// The revision the unit tracks.
    pub tracked: u64,
    /// Rotation policy (`hourly`, `daily`, ...).
    pub rotate: Option<String>,
    /// Expiry (RFC 3339).
    pub expire: Option<String>,
    /// Grants by relation id: the units granted (empty: the whole remote application).
    pub grants: BTreeMap<u64, BTreeSet<String>>,
}

impl Secret {
    /// An observed secret with one revision (1), tracked, holding `content`.
    pub fn new<K: Into<String>, V: Into<String>>(
        content: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let n = NEXT_SECRET.fetch_add(1, Ordering::Relaxed);
        Secret {
            id: format!("secret:cs{n:018x}"),
            owner: None,
            label: None,
            description: None,
            revisions: [(1, bag(content))].into_iter().collect(),
            tracked: 1,
            rotate: None,
            expire: None,
            grants: BTreeMap::new(),
        }
    }

    /// Sets the id.
    pub fn id(mut self, id: &str) -> Self {
        self.id = id.to_string();
        self
    }

    /// Sets the owner.
    pub fn owner(mut self, owner: SecretOwner) -> Self {
        self.owner = Some(owner);
        self
    }

    /// Sets the label.
    pub fn label(mut self, label: &str) -> Self {
        self.label = Some(label.to_string());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: &str) -> Self {
        self.description = Some(description.to_string());
        self
    }

    /// Adds a newer revision with this content (the tracked revision stays).
    pub fn latest_content<K: Into<String>, V: Into<String>>(
        mut self,
        content: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let next = self.latest_revision() + 1;
        self.revisions.insert(next, bag(content));
        self
    }

    /// Sets one revision's content.
    pub fn revision<K: Into<String>, V: Into<String>>(
        mut self,
        revision: u64,
        content: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.revisions.insert(revision, bag(content));
        self
    }

    /// Sets the tracked revision.
    pub fn tracked(mut self, revision: u64) -> Self {
        self.tracked = revision;
        self
    }

    /// Sets the rotation policy.
    pub fn rotate(mut self, policy: &str) -> Self {
        self.rotate = Some(policy.to_string());
        self
    }

    /// Sets the expiry.
    pub fn expire(mut self, when: &str) -> Self {
        self.expire = Some(when.to_string());
        self
    }

    /// Grants the secret on a relation: to these remote units, or (none given) to the
    /// whole remote application.
    pub fn grant<S: Into<String>>(
        mut self,
        relation_id: u64,
        units: impl IntoIterator<Item = S>,
    ) -> Self {
        self.grants
            .entry(relation_id)
            .or_default()
            .extend(units.into_iter().map(Into::into));
        self
    }

    /// The newest revision.
    pub fn latest_revision(&self) -> u64 {
        self.revisions.keys().next_back().copied().unwrap_or(0)
    }

    /// The tracked revision's content.
    pub fn tracked_content(&self) -> Option<&BagData> {
        self.revisions.get(&self.tracked)
    }

    /// The newest revision's content.
    pub fn latest_content_of(&self) -> Option<&BagData> {
        self.revisions.values().next_back()
    }
}

// ------------------------------------------------------------------------------------------
// Storage, networks

/// An attached storage instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storage {
    /// Storage name, as declared.
    pub name: String,
    /// Index (0 unless set).
    pub index: u32,
    /// Where it is mounted (`/var/lib/juju/storage/<name>/<index>` unless set).
    pub location: String,
}

impl Storage {
    /// Instance 0 of a storage.
    pub fn new(name: &str) -> Self {
        Storage {
            name: name.to_string(),
            index: 0,
            location: format!("/var/lib/juju/storage/{name}/0"),
        }
    }

    /// Sets the index (and the default location with it).
    pub fn index(mut self, index: u32) -> Self {
        if self.location == format!("/var/lib/juju/storage/{}/{}", self.name, self.index) {
            self.location = format!("/var/lib/juju/storage/{}/{index}", self.name);
        }
        self.index = index;
        self
    }

    /// Sets the location.
    pub fn location(mut self, location: &str) -> Self {
        self.location = location.to_string();
        self
    }

    /// `<name>/<index>`, as `JUJU_STORAGE_ID` has it.
    pub fn storage_id(&self) -> String {
        format!("{}/{}", self.name, self.index)
    }
}

/// A binding's network, as `network-get` prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// The binding: an endpoint name or `juju-info`.
    pub binding: String,
    /// What `network-get --format=json <binding>` prints.
    pub info: Value,
}

impl Network {
    /// The default network: one interface with address `192.0.2.0` in `192.0.2.0/24`.
    pub fn new(binding: &str) -> Self {
        Network {
            binding: binding.to_string(),
            info: default_network_info(),
        }
    }

    /// Replaces what `network-get` prints.
    pub fn info(mut self, info: Value) -> Self {
        self.info = info;
        self
    }
}

/// What `network-get` prints for a binding no [`Network`] overrides.
pub fn default_network_info() -> Value {
    serde_json::json!({
        "bind-addresses": [{
            "mac-address": "",
            "interface-name": "",
            "addresses": [{"hostname": "", "value": DEFAULT_ADDRESS, "cidr": "192.0.2.0/24"}],
        }],
        "egress-subnets": ["192.0.2.0/24"],
        "ingress-addresses": [DEFAULT_ADDRESS],
    })
}

// ------------------------------------------------------------------------------------------
// State

/// Juju's model as the unit under test sees it: the input of a test and its result.
///
/// Built with [`State::builder`]; read with the getters. Defaults: not leader, no config
/// set (declared defaults apply), no relations, containers, secrets, ports, storage or
/// resources, status `unknown`, model `test-model`, one planned unit.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub(crate) leader: bool,
    pub(crate) config: Map<String, Value>,
    pub(crate) relations: Vec<Relation>,
    pub(crate) containers: Vec<Container>,
    pub(crate) secrets: Vec<Secret>,
    pub(crate) opened_ports: BTreeSet<Port>,
    pub(crate) storages: Vec<Storage>,
    pub(crate) networks: Vec<Network>,
    pub(crate) resources: BTreeMap<String, String>,
    pub(crate) unit_status: WorkloadStatus,
    pub(crate) app_status: WorkloadStatus,
    pub(crate) workload_version: String,
    pub(crate) model_name: String,
    pub(crate) model_uuid: String,
    pub(crate) planned_units: u32,
    pub(crate) stored_state: BagData,
    pub(crate) cloud_spec: Option<Value>,
}

impl Default for State {
    fn default() -> Self {
        State {
            leader: false,
            config: Map::new(),
            relations: Vec::new(),
            containers: Vec::new(),
            secrets: Vec::new(),
            opened_ports: BTreeSet::new(),
            storages: Vec::new(),
            networks: Vec::new(),
            resources: BTreeMap::new(),
            unit_status: WorkloadStatus::Unknown,
            app_status: WorkloadStatus::Unknown,
            workload_version: String::new(),
            model_name: "test-model".into(),
            model_uuid: "f4c1c2d0-5b8e-4c1a-9d3e-2a7b6c5d4e3f".into(),
            planned_units: 1,
            stored_state: BagData::new(),
            cloud_spec: None,
        }
    }
}

impl State {
    /// A builder for a state, starting from the defaults.
    pub fn builder() -> StateBuilder {
        StateBuilder {
            state: State::default(),
        }
    }

    /// A builder starting from this state, to derive a variant.
    pub fn to_builder(&self) -> StateBuilder {
        StateBuilder {
            state: self.clone(),
        }
    }

    /// Whether the unit is the leader.
    pub fn leader(&self) -> bool {
        self.leader
    }

    /// The config values set (defaults are not included; the charm sees them filled in).
    pub fn config(&self) -> &Map<String, Value> {
        &self.config
    }

    /// Every relation.
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    /// The relation with this id.
    pub fn relation(&self, id: u64) -> Option<&Relation> {
        self.relations.iter().find(|r| r.id == id)
    }

    /// The relations of an endpoint.
    pub fn relations_of<'a>(
        &'a self,
        endpoint: &'a str,
    ) -> impl Iterator<Item = &'a Relation> + 'a {
        self.relations
            .iter()
            .filter(move |r| r.endpoint == endpoint)
    }

    /// Every container.
    pub fn containers(&self) -> &[Container] {
        &self.containers
    }

    /// The container with this name.
    pub fn container(&self, name: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.name == name)
    }

    /// Every secret.
    pub fn secrets(&self) -> &[Secret] {
        &self.secrets
    }

    /// The secret with this id.
    pub fn secret(&self, id: &str) -> Option<&Secret> {
        self.secrets.iter().find(|s| s.id == id)
    }

    /// The secret with this label.
    pub fn secret_by_label(&self, label: &str) -> Option<&Secret> {
        self.secrets
            .iter()
            .find(|s| s.label.as_deref() == Some(label))
    }

    /// The opened ports.
    pub fn opened_ports(&self) -> &BTreeSet<Port> {
        &self.opened_ports
    }

    /// Every attached storage.
    pub fn storages(&self) -> &[Storage] {
        &self.storages
    }

    /// The storage with this name and index.
    pub fn storage(&self, name: &str, index: u32) -> Option<&Storage> {
        self.storages
            .iter()
            .find(|s| s.name == name && s.index == index)
    }

    /// Every network set.
    pub fn networks(&self) -> &[Network] {
        &self.networks
    }

    /// The network of a binding, if set.
    pub fn network(&self, binding: &str) -> Option<&Network> {
        self.networks.iter().find(|n| n.binding == binding)
    }

    /// Resource paths by name.
    pub fn resources(&self) -> &BTreeMap<String, String> {
        &self.resources
    }

    /// The unit's status.
    pub fn unit_status(&self) -> &WorkloadStatus {
        &self.unit_status
    }

    /// The application's status.
    pub fn app_status(&self) -> &WorkloadStatus {
        &self.app_status
    }

    /// The workload version.
    pub fn workload_version(&self) -> &str {
        &self.workload_version
    }

    /// The model name.
    pub fn model_name(&self) -> &str {
        &self.model_name
    }

    /// The model UUID.
    pub fn model_uuid(&self) -> &str {
        &self.model_uuid
    }

    /// How many units the application should have.
    pub fn planned_units(&self) -> u32 {
        self.planned_units
    }

    /// Juju's server-side charm state (`state-get`/`state-set`).
    pub fn stored_state(&self) -> &BagData {
        &self.stored_state
    }

    /// The cloud spec `credential-get` prints, when the application is trusted.
    pub fn cloud_spec(&self) -> Option<&Value> {
        self.cloud_spec.as_ref()
    }
}

/// Builds a [`State`]; see [`State::builder`].
#[derive(Debug, Clone)]
#[must_use = "call .build() to get the State"]
pub struct StateBuilder {
    state: State,
}

impl StateBuilder {
    /// The state.
    pub fn build(self) -> State {
        self.state
    }

    /// Sets leadership.
    pub fn leader(mut self, leader: bool) -> Self {
        self.state.leader = leader;
        self
    }

    /// Sets one config option (`serde_json::Value`, or anything converting into it).
    pub fn config(mut self, option: &str, value: impl Into<Value>) -> Self {
        self.state.config.insert(option.to_string(), value.into());
        self
    }

    /// Removes a config option set earlier (its default applies again).
    pub fn unset_config(mut self, option: &str) -> Self {
        self.state.config.remove(option);
        self
    }

    /// Adds a relation, or replaces the one with the same id.
    pub fn relation(mut self, relation: Relation) -> Self {
        match self
            .state
            .relations
            .iter_mut()
            .find(|r| r.id == relation.id)
        {
            Some(r) => *r = relation,
            None => self.state.relations.push(relation),
        }
        self
    }

    /// Adds a relation even if one with the same id is there (for testing the checker).
    pub fn relation_unchecked(mut self, relation: Relation) -> Self {
        self.state.relations.push(relation);
        self
    }

    /// Removes the relation with this id.
    pub fn remove_relation(mut self, id: u64) -> Self {
        self.state.relations.retain(|r| r.id != id);
        self
    }

    /// Adds a container, or replaces the one with the same name.
    pub fn container(mut self, container: Container) -> Self {
        match self
            .state
            .containers
            .iter_mut()
            .find(|c| c.name == container.name)
        {
            Some(c) => *c = container,
            None => self.state.containers.push(container),
        }
        self
    }

    /// Adds a secret, or replaces the one with the same id.
    pub fn secret(mut self, secret: Secret) -> Self {
        match self.state.secrets.iter_mut().find(|s| s.id == secret.id) {
            Some(s) => *s = secret,
            None => self.state.secrets.push(secret),
        }
        self
    }

    /// Marks a port opened.
    pub fn opened_port(mut self, port: Port) -> Self {
        self.state.opened_ports.insert(port);
        self
    }

    /// Attaches a storage instance (replacing one with the same name and index).
    pub fn storage(mut self, storage: Storage) -> Self {
        self.state
            .storages
            .retain(|s| !(s.name == storage.name && s.index == storage.index));
        self.state.storages.push(storage);
        self
    }

    /// Sets a binding's network.
    pub fn network(mut self, network: Network) -> Self {
        self.state.networks.retain(|n| n.binding != network.binding);
        self.state.networks.push(network);
        self
    }

    /// Sets a resource's local path.
    pub fn resource(mut self, name: &str, path: &str) -> Self {
        self.state
            .resources
            .insert(name.to_string(), path.to_string());
        self
    }

    /// Sets the unit status (`charm_runtime::active("...")`, or a [`WorkloadStatus`]).
    pub fn unit_status(mut self, status: impl Into<WorkloadStatus>) -> Self {
        self.state.unit_status = status.into();
        self
    }

    /// Sets the application status.
    pub fn app_status(mut self, status: impl Into<WorkloadStatus>) -> Self {
        self.state.app_status = status.into();
        self
    }

    /// Sets the workload version.
    pub fn workload_version(mut self, version: &str) -> Self {
        self.state.workload_version = version.to_string();
        self
    }

    /// Sets the model name.
    pub fn model_name(mut self, name: &str) -> Self {
        self.state.model_name = name.to_string();
        self
    }

    /// Sets the model UUID.
    pub fn model_uuid(mut self, uuid: &str) -> Self {
        self.state.model_uuid = uuid.to_string();
        self
    }

    /// Sets how many units the application should have.
    pub fn planned_units(mut self, n: u32) -> Self {
        self.state.planned_units = n;
        self
    }

    /// Trusts the application (`juju trust`): `credential-get` prints this cloud spec
    /// (JSON, as Juju prints it).
    pub fn cloud_spec(mut self, spec: Value) -> Self {
        self.state.cloud_spec = Some(spec);
        self
    }

    /// Sets a key of Juju's server-side charm state (`state-get`).
    pub fn stored_state(mut self, key: &str, value: &str) -> Self {
        self.state
            .stored_state
            .insert(key.to_string(), value.to_string());
        self
    }
}
