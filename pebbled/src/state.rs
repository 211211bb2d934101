//! The whole state of one container's Pebble, serialisable to JSON so a simulator can
//! keep it between processes: layers and the combined plan, services, checks, changes,
//! notices, recorded file owners. Deterministic given its [`Clock`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use charm_runtime::pebble::layer::{Layer, Plan};
use serde::{Deserialize, Serialize};

use crate::changes::ChangeRecord;
use crate::checks::CheckRecord;
use crate::clock::{Clock, SystemClock, Timestamp};
use crate::files::{ContainerFs, Mounts, Owners};
use crate::notices::NoticeRecord;
use crate::plan::{self, LayerError, LayerRecord};
use crate::services::ServiceRecord;

/// The Pebble version this server follows, as `system-info` reports it.
pub const PEBBLE_VERSION: &str = "v1.32.1";

fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

/// One container's Pebble: everything its API reads and changes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pebble {
    /// `version` in system-info.
    pub version: String,
    /// `boot-id` in system-info.
    pub boot_id: String,
    /// The host directory that is the container's `/` (no files API without one).
    pub root: Option<PathBuf>,
    /// Host directories mounted into the container (storage in the container's `mounts`),
    /// by container path.
    #[serde(default)]
    pub mounts: Mounts,
    pub(crate) layers: Vec<LayerRecord>,
    pub(crate) plan: Plan,
    pub(crate) services: BTreeMap<String, ServiceRecord>,
    pub(crate) checks: BTreeMap<String, CheckRecord>,
    pub(crate) changes: Vec<ChangeRecord>,
    pub(crate) notices: Vec<NoticeRecord>,
    pub(crate) owners: Owners,
    #[serde(default)]
    pub(crate) start_failures: BTreeMap<String, i32>,
    pub(crate) last_change_id: u64,
    pub(crate) last_task_id: u64,
    pub(crate) last_notice_id: u64,
    #[serde(skip, default = "system_clock")]
    clock: Arc<dyn Clock>,
}

/// The kernel's boot id (what Pebble reports in `system-info`), read once per process: it
/// does not change while the machine is up, and reading it for every in-memory Pebble was
/// 18% of a harness run (charm-testing builds one per container per run).
fn boot_id() -> &'static str {
    static BOOT_ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BOOT_ID.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
            .map(|text| text.trim().to_string())
            .unwrap_or_default()
    })
}

impl Default for Pebble {
    fn default() -> Self {
        Pebble::new(system_clock())
    }
}

impl Pebble {
    /// An empty Pebble (no layers) whose "now" comes from `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Pebble {
            version: PEBBLE_VERSION.to_string(),
            boot_id: boot_id().to_string(),
            root: None,
            mounts: Mounts::new(),
            layers: Vec::new(),
            plan: Plan::default(),
            services: BTreeMap::new(),
            checks: BTreeMap::new(),
            changes: Vec::new(),
            notices: Vec::new(),
            owners: Owners::new(),
            start_failures: BTreeMap::new(),
            last_change_id: 0,
            last_task_id: 0,
            last_notice_id: 0,
            clock,
        }
    }

    /// Gives the container a filesystem: `root` is the host directory seen as `/`.
    pub fn with_root(mut self, root: impl Into<PathBuf>) -> Self {
        self.root = Some(root.into());
        self
    }

    /// Mounts the host directory `host` at the container path `at` (absolute): files below
    /// `at` live there, as storage mounted into a workload container does.
    pub fn with_mount(mut self, at: impl Into<String>, host: impl Into<PathBuf>) -> Self {
        self.mounts.insert(at.into(), host.into());
        self
    }

    /// Replaces the clock (after [`Pebble::from_json`], which starts on the system clock).
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    /// The current instant.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The container's filesystem, if it has a root.
    pub fn fs(&self) -> Option<ContainerFs> {
        self.root
            .as_ref()
            .map(|root| ContainerFs::new(root).with_mounts(&self.mounts))
    }

    /// Recorded owners of files and directories (by container path).
    pub fn owners(&self) -> &Owners {
        &self.owners
    }

    /// Mutable access to the recorded owners, for the files API.
    pub(crate) fn owners_mut(&mut self) -> &mut Owners {
        &mut self.owners
    }

    /// The layers, lowest first.
    pub fn layers(&self) -> &[LayerRecord] {
        &self.layers
    }

    /// The combined plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The plan as `GET /v1/plan?format=yaml` returns it.
    pub fn plan_yaml(&self) -> String {
        serde_yaml::to_string(&self.plan).unwrap_or_else(|_| "{}\n".to_string())
    }

    /// Adds a layer given as YAML, as `POST /v1/layers` does: appended on top, or with
    /// `combine` merged into the layer of the same label (appended when there is none).
    pub fn add_layer_yaml(
        &mut self,
        label: &str,
        yaml: &str,
        combine: bool,
    ) -> Result<(), LayerError> {
        let layer = plan::parse_layer(label, yaml)?;
        self.add_layer(label, layer, combine)
    }

    /// Adds a typed layer (see [`Pebble::add_layer_yaml`]). The layer is validated as a
    /// parsed one would be, except for YAML-level errors it cannot have.
    pub fn add_layer(
        &mut self,
        label: &str,
        layer: Layer,
        combine: bool,
    ) -> Result<(), LayerError> {
        let yaml =
            serde_yaml::to_string(&layer).map_err(|err| LayerError::Format(err.to_string()))?;
        let layer = plan::parse_layer(label, &yaml)?;
        let mut layers = self.layers.clone();
        match layers.iter().position(|record| record.label == label) {
            Some(index) if combine => {
                let existing = &layers[index];
                let combined = plan::combine_layers(&[(label, &existing.layer), (label, &layer)])?;
                layers[index].layer = combined;
            }
            Some(_) => return Err(LayerError::LabelExists(label.to_string())),
            None => {
                let order = layers
                    .last()
                    .map_or(1000, |last| (last.order / 1000 + 1) * 1000);
                layers.push(LayerRecord {
                    order,
                    label: label.to_string(),
                    layer,
                });
            }
        }
        let plan = plan::combine_plan(&layers)?;
        self.layers = layers;
        self.plan = plan;
        self.plan_changed();
        Ok(())
    }

    /// The state as JSON (the clock is not part of it).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// A state read back from [`Pebble::to_json`], on the system clock.
    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|err| format!("invalid Pebble state: {err}"))
    }

    /// Reads a state file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        Pebble::from_json(&text)
    }

    /// Writes a state file atomically (a temporary beside it, renamed over it).
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let temp = path.with_extension("tmp");
        std::fs::write(&temp, self.to_json())
            .map_err(|err| format!("cannot write {}: {err}", temp.display()))?;
        std::fs::rename(&temp, path)
            .map_err(|err| format!("cannot write {}: {err}", path.display()))
    }
}
