//! [`Container`]: a workload container and its Pebble (layers, services, files, execs,
//! notices, checks).

use super::bag::{bag, BagData};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_NOTICE: AtomicU64 = AtomicU64::new(1);

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
/// run: containers go through [`Context::run`](crate::Context::run) unchanged and
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
