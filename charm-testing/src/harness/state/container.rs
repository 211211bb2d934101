//! [`Container`]: a workload container as the unit sees it through its Pebble — whether
//! Pebble answers, the layers it holds (and so its plan), service and check states,
//! notices, and its files (host paths mounted at container paths, and seeded files).

use super::workload::{CheckInfo, Notice};
use charm_runtime::pebble::{Layer, Plan, ServiceStatus};
use pebbled::clock::{ManualClock, Timestamp};
use pebbled::Pebble;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A workload container and its Pebble.
///
/// During [`Context::run`](crate::Context::run) a container that can connect is served by
/// one in-memory Pebble (the `pebbled` crate, the implementation `cargo charm sim` serves):
/// it starts with these layers, service and check states, notices and files, the charm's
/// real Pebble client talks to it, and the output state holds what it holds afterwards.
///
/// Files: [`mount`](Container::mount) makes a host file or directory the container's
/// content at a path, read and written in place as far as the test can tell (the host copy
/// is updated after the run, see [`Container::mounts`]); [`file`](Container::file) seeds
/// one file in the container itself, and [`files`](Container::files) in the output holds
/// every regular file the container has outside its mounts.
///
/// ```
/// use charm_runtime::pebble::{Layer, Service, ServiceStatus};
/// use charm_testing::Container;
///
/// let web = Container::new("web")
///     .can_connect(true)
///     .layer("base", Layer::new().service("srv", Service::new("/bin/srv").enabled()))
///     .service_status("srv", ServiceStatus::Active)
///     .file("/etc/srv.conf", "port: 8080\n");
/// assert_eq!(web.plan().services["srv"].command, "/bin/srv");
/// assert_eq!(web.file_text("/etc/srv.conf").as_deref(), Some("port: 8080\n"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Container {
    /// Container name, as declared.
    pub name: String,
    /// Whether Pebble answers (false unless set, as in `ops.testing`). When false, every
    /// Pebble request of the charm fails with the runtime's cannot-connect error.
    pub can_connect: bool,
    /// Layers by label, lowest first, as Pebble holds them (one per label: a layer added
    /// with `combine` is merged into the one with its label).
    pub layers: Vec<(String, Layer)>,
    /// Service statuses by name, for services that have been started at least once
    /// (services in the plan without one are `inactive`, never started).
    pub service_statuses: BTreeMap<String, ServiceStatus>,
    /// Host paths (files or directories) by the container path they appear at. The
    /// container sees a copy made when the run starts; after the run the host path is
    /// updated to match (files written, changed or removed by the charm), so tests read
    /// the results where they put the inputs. Only a run changes the host path: nothing is
    /// written for a container that cannot connect, nor for a path the charm removed
    /// entirely (the mount point itself).
    pub mounts: BTreeMap<String, PathBuf>,
    /// Regular files by absolute container path, outside the mounts. In the output state:
    /// every regular file the container holds outside its mounts (empty directories are
    /// not kept).
    pub files: BTreeMap<String, Vec<u8>>,
    /// Notices. In the output state: those the input listed (updated), then the notices
    /// the run recorded, except Pebble's own change-update notices about the run's changes
    /// (changes are not part of the state).
    pub notices: Vec<Notice>,
    /// Health checks' states. In the output state: those the input listed, and every check
    /// the run started, changed or created.
    pub check_infos: Vec<CheckInfo>,
    /// Layers given as JSON or YAML that are not layers: (label, why), reported by the
    /// consistency checker.
    pub(crate) invalid_layers: Vec<(String, String)>,
}

impl Container {
    /// A container whose Pebble does not answer yet.
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

    /// Adds a layer on top, or replaces the layer with this label where it is.
    pub fn layer(mut self, label: &str, layer: Layer) -> Self {
        match self.layers.iter_mut().find(|(l, _)| l == label) {
            Some((_, old)) => *old = layer,
            None => self.layers.push((label.to_string(), layer)),
        }
        self
    }

    /// Adds a layer written as JSON (`serde_json::json!({"services": {...}})`), with
    /// Pebble's field names. Anything that is not a layer is reported by the consistency
    /// checker.
    pub fn layer_json(mut self, label: &str, layer: Value) -> Self {
        if !layer.is_object() {
            self.invalid_layers
                .push((label.to_string(), "is not a JSON object".to_string()));
            return self;
        }
        match serde_json::from_value::<Layer>(layer) {
            Ok(layer) => self.layer(label, layer),
            Err(e) => {
                self.invalid_layers
                    .push((label.to_string(), format!("is not a Pebble layer: {e}")));
                self
            }
        }
    }

    /// Adds a layer written as YAML, as Pebble reads it. Anything that is not a layer is
    /// reported by the consistency checker.
    pub fn layer_yaml(mut self, label: &str, yaml: &str) -> Self {
        match Layer::from_yaml(yaml) {
            Ok(layer) => self.layer(label, layer),
            Err(e) => {
                self.invalid_layers
                    .push((label.to_string(), format!("is not a Pebble layer: {e}")));
                self
            }
        }
    }

    /// Sets a service's status (as if it had been started, and then stopped or failed).
    pub fn service_status(mut self, service: &str, status: ServiceStatus) -> Self {
        self.service_statuses.insert(service.to_string(), status);
        self
    }

    /// Mounts a host file or directory at an absolute container path (see
    /// [`Container::mounts`]: the host copy is updated after each run).
    pub fn mount(mut self, location: &str, source: impl Into<PathBuf>) -> Self {
        self.mounts.insert(location.to_string(), source.into());
        self
    }

    /// Puts a file in the container, outside the mounts.
    pub fn file(mut self, path: &str, content: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.to_string(), content.into());
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

    /// The layer with this label.
    pub fn layer_of(&self, label: &str) -> Option<&Layer> {
        self.layers
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, layer)| layer)
    }

    /// A file outside the mounts, as text (invalid UTF-8 replaced).
    pub fn file_text(&self, path: &str) -> Option<String> {
        self.files
            .get(path)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The notice with this id.
    pub fn notice_by_id(&self, id: &str) -> Option<&Notice> {
        self.notices.iter().find(|n| n.id == id)
    }

    /// The state of the check with this name.
    pub fn check_info_of(&self, name: &str) -> Option<&CheckInfo> {
        self.check_infos.iter().find(|c| c.name == name)
    }

    /// The plan: the layers combined as Pebble combines them (the same code: `pebbled`).
    /// Layers Pebble would refuse are reported by the consistency checker; the plan here
    /// then stops below the first of them (see [`Container::try_plan`]).
    pub fn plan(&self) -> Plan {
        self.plan_and_refusal().0
    }

    /// The plan, and the first layer Pebble refuses with its message, if any.
    pub(crate) fn plan_and_refusal(&self) -> (Plan, Option<(String, String)>) {
        combine(&self.layers)
    }

    /// The plan, or why Pebble would refuse one of the layers (the layer's label and
    /// Pebble's message).
    pub fn try_plan(&self) -> Result<Plan, (String, String)> {
        match self.plan_and_refusal() {
            (plan, None) => Ok(plan),
            (_, Some(refused)) => Err(refused),
        }
    }

    /// A service's status: as set, else `Inactive` for a service in the plan, else `None`.
    pub fn service_status_of(&self, service: &str) -> Option<ServiceStatus> {
        self.service_statuses.get(service).cloned().or_else(|| {
            self.plan()
                .services
                .contains_key(service)
                .then_some(ServiceStatus::Inactive)
        })
    }
}

/// The layers added in order to an empty Pebble: the plan, up to the first layer Pebble
/// refuses if any, with that layer's label and Pebble's message.
fn combine(layers: &[(String, Layer)]) -> (Plan, Option<(String, String)>) {
    if layers.is_empty() {
        // An empty Pebble's plan, without building one.
        return (Plan::default(), None);
    }
    let clock = Arc::new(ManualClock::new(Timestamp::from_unix_secs(0)));
    let mut pebble = Pebble::new(clock);
    for (label, layer) in layers {
        if let Err(e) = pebble.add_layer(label, layer.clone(), false) {
            return (pebble.plan().clone(), Some((label.clone(), e.message())));
        }
    }
    (pebble.plan().clone(), None)
}
