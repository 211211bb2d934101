//! The per-dispatch [`Model`]: what a handler sees of Juju. Reads are cached for the whole
//! dispatch; writes are staged and flushed at its end, only if every handler succeeded.

use crate::error::Result;
use crate::event::{Event, HookEnv};
use crate::hooktools::cmd::{self, BagData};
use crate::hooktools::{HookTools, ToolError};
use crate::log::LogLevel;
use crate::pebble::Client;
use crate::port::Port;
use crate::relation::{DeclaredEndpoint, Sel};
use crate::status::Status;
use serde_json::{Map, Value};
use std::any::Any;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

mod action;
mod cache;
pub mod config;
mod container;
mod network;
mod other;
mod relation;
pub mod secret;
mod state;
mod status;
mod storage;

pub use container::{Container, ContainerName};

/// One bag as read from Juju, with this dispatch's staged writes.
#[derive(Debug, Default)]
struct BagState {
    /// The unit or application the bag belongs to.
    owner: String,
    original: BagData,
    staged: BagData,
}

impl BagState {
    /// The bag as the charm sees it: borrowed while nothing is staged, built otherwise.
    fn current_view(&self) -> Cow<'_, BagData> {
        if self.staged.is_empty() {
            Cow::Borrowed(&self.original)
        } else {
            Cow::Owned(self.current())
        }
    }

    fn current(&self) -> BagData {
        let mut out = self.original.clone();
        for (k, v) in &self.staged {
            if v.is_empty() {
                out.remove(k);
            } else {
                out.insert(k.clone(), v.clone());
            }
        }
        out
    }

    /// The bytes of keys and values [`BagState::current`] would hold (as Juju counts
    /// them for its size limit), without building it.
    fn current_bytes(&self) -> usize {
        let size = |(k, v): (&String, &String)| {
            if v.is_empty() {
                0
            } else {
                k.len() + v.len()
            }
        };
        let kept: usize = self
            .original
            .iter()
            .filter(|(k, _)| !self.staged.contains_key(*k))
            .map(size)
            .sum();
        kept + self.staged.iter().map(size).sum::<usize>()
    }

    /// The writes that change something: new or different values, and deletions of keys
    /// that exist (the staged writes themselves, borrowed, when every one does).
    fn changes(&self) -> Cow<'_, BagData> {
        let changes = |(k, v): &(&String, &String)| match self.original.get(*k) {
            Some(old) => old != *v,
            None => !v.is_empty(),
        };
        if self.staged.iter().all(|kv| changes(&kv)) {
            return Cow::Borrowed(&self.staged);
        }
        Cow::Owned(
            self.staged
                .iter()
                .filter(changes)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )
    }
}

/// What a handler sees of Juju during one dispatch.
///
/// `is-leader`, `config-get`, `relation-ids`, `relation-list` and each bag's `relation-get`
/// run at most once per dispatch, as do `state-get`, each secret's `secret-get`, and the
/// network, storage, resource and credential reads. Relation writes, charm-state writes,
/// port changes and statuses are staged and applied by the runtime after the last handler
/// returned `Ok`: one `relation-set` per changed bag, the charm state, then ports, then
/// one `status-set` for the unit (and one for the app, on the leader). A failed dispatch
/// applies nothing. Secret changes, `storage-add`, `juju-log` and the action tools are
/// calls made at once (Juju itself applies secret changes and storage requests only when
/// the hook succeeds).
pub struct Model<'a> {
    env: &'a HookEnv,
    tools: &'a mut dyn HookTools,
    endpoints: &'static [DeclaredEndpoint],
    leader: Option<bool>,
    config: Option<Map<String, Value>>,
    action_params: Option<Map<String, Value>>,
    // The per-dispatch caches are ordered maps: a handful of entries each, found with a
    // few comparisons instead of hashing every key with SipHash.
    relation_ids: BTreeMap<&'static str, Vec<u64>>,
    units: BTreeMap<u64, Vec<String>>,
    remote_apps: BTreeMap<u64, String>,
    /// Boxed: a node of unboxed states is over a kilobyte, past the allocator's cache of
    /// small blocks (every dispatch that reads a bag makes one).
    bags: BTreeMap<(relation::RelKey, Sel), Box<BagState>>,
    unit_statuses: Vec<Status>,
    app_statuses: Vec<Status>,
    ports: BTreeMap<Port, bool>,
    /// Each container's per-dispatch cache (a `container::SharedCache`), type-erased so a
    /// charm that never calls `container()` links none of the plan types' code.
    containers: RefCell<BTreeMap<String, Rc<dyn Any>>>,
    /// Secrets, charm state, networks, storage, resources: cached reads, staged state.
    juju: cache::JujuCache,
}

impl<'a> Model<'a> {
    /// A model for one dispatch. The runtime builds it; tests use `charm_runtime::testing`.
    pub fn new(
        env: &'a HookEnv,
        tools: &'a mut dyn HookTools,
        endpoints: &'static [DeclaredEndpoint],
    ) -> Self {
        Model {
            env,
            tools,
            endpoints,
            leader: None,
            config: None,
            action_params: None,
            relation_ids: BTreeMap::new(),
            units: BTreeMap::new(),
            remote_apps: BTreeMap::new(),
            bags: BTreeMap::new(),
            unit_statuses: Vec::new(),
            app_statuses: Vec::new(),
            ports: BTreeMap::new(),
            containers: RefCell::new(BTreeMap::new()),
            juju: cache::JujuCache::default(),
        }
    }

    /// The workload container `name`'s Pebble (`model.container(Self::DEMO_SERVER)`).
    ///
    /// The handle does not borrow the model, so a handler can keep it while adding
    /// statuses; handles of the same container share this dispatch's plan cache.
    pub fn container(&self, name: ContainerName) -> Container {
        self.container_named(name.name)
    }

    /// The container called `name` (e.g. the one a `pebble-ready` event names).
    pub fn container_named(&self, name: &str) -> Container {
        let mut caches = self.containers.borrow_mut();
        let entry = caches
            .entry(name.to_owned())
            .or_insert_with(|| container::SharedCache::default() as Rc<dyn Any>);
        // Only this function inserts, always a `SharedCache`.
        let cache = Rc::clone(entry)
            .downcast::<RefCell<container::ContainerCache>>()
            .unwrap_or_default();
        Container::new(Client::new(name, self.env.pebble.to_connector()), cache)
    }

    /// The event being handled.
    pub fn event(&self) -> &Event {
        &self.env.event
    }

    /// The dispatch environment (unit, model, Juju version, charm directory).
    pub fn env(&self) -> &HookEnv {
        self.env
    }

    /// This unit's name, `app/N`.
    pub fn unit_name(&self) -> &str {
        &self.env.unit_name
    }

    /// This application's name.
    pub fn app_name(&self) -> &str {
        &self.env.app_name
    }

    /// The hook tools, for calls the model does not wrap.
    pub fn tools(&mut self) -> &mut dyn HookTools {
        self.tools
    }

    /// Whether this unit is the leader (`is-leader`, asked once per dispatch; Juju
    /// guarantees the answer for 30 s).
    pub fn is_leader(&mut self) -> Result<bool, ToolError> {
        if let Some(l) = self.leader {
            return Ok(l);
        }
        let l = cmd::is_leader(self.tools)?;
        self.leader = Some(l);
        Ok(l)
    }

    /// The raw config (`config-get`, once per dispatch). The charm's typed config is
    /// `model.config()` ([`ModelConfig`](config::ModelConfig)).
    pub fn config_values(&mut self) -> Result<&Map<String, Value>, ToolError> {
        if self.config.is_none() {
            self.config = Some(cmd::config_get(self.tools)?);
        }
        Ok(self.config.as_ref().expect("just filled"))
    }

    /// Sends a line to the Juju debug log (`juju-log`), at once.
    pub fn log(&mut self, level: LogLevel, message: impl AsRef<str>) -> Result<(), ToolError> {
        cmd::juju_log(self.tools, level, message.as_ref())
    }

    /// Sets the workload version shown by `juju status` (`application-version-set`), at once.
    pub fn set_workload_version(&mut self, version: &str) -> Result<(), ToolError> {
        cmd::application_version_set(self.tools, version)
    }

    /// Sets the unit's status at once (`status-set`), as ops' `unit.status = ...` does: for
    /// a status shown *while* the dispatch works (e.g. maintenance while Pebble restarts a
    /// service). Collect-status still sets the unit's status at the end of the dispatch.
    pub fn set_status_now(&mut self, status: &Status) -> Result<(), ToolError> {
        cmd::status_set(self.tools, false, status)
    }

    /// Adds a unit status; the highest-priority one added during the dispatch is set at
    /// its end (collect-status).
    pub fn add_status(&mut self, status: Status) {
        self.unit_statuses.push(status);
    }

    /// Adds an application status; set at the end of the dispatch, on the leader only.
    pub fn add_app_status(&mut self, status: Status) {
        self.app_statuses.push(status);
    }

    /// Opens a port at the end of the dispatch.
    pub fn open_port(&mut self, port: Port) {
        self.ports.insert(port, true);
    }

    /// Closes a port at the end of the dispatch.
    pub fn close_port(&mut self, port: Port) {
        self.ports.insert(port, false);
    }

    /// The ports currently open (`opened-ports`), without this dispatch's staged changes.
    pub fn opened_ports(&mut self) -> Result<Vec<Port>, ToolError> {
        cmd::opened_ports(self.tools)
    }

    /// Opens exactly these ports: stages closing every other opened port and opening the
    /// ones not open yet (like ops' `Unit.set_ports`).
    pub fn set_ports(&mut self, ports: &[Port]) -> Result<(), ToolError> {
        let open = self.opened_ports()?;
        for p in &open {
            if !ports.contains(p) {
                self.close_port(*p);
            }
        }
        for p in ports {
            if open.contains(p) {
                // Already open: forget any close staged earlier in this dispatch.
                self.ports.remove(p);
            } else {
                self.open_port(*p);
            }
        }
        Ok(())
    }

    // ----- end of dispatch -----

    /// Applies the staged writes: one `relation-set` per changed bag, the charm state
    /// (`state-set`, `state-delete`), the port changes (closes, then opens),
    /// then the collected statuses. The runtime calls this once, after every handler
    /// returned `Ok`.
    pub fn commit(&mut self) -> Result<()> {
        let mut writes = Vec::new();
        for ((rel, bag), state) in &self.bags {
            let changes = state.changes();
            if !changes.is_empty() {
                // Juju's limit on the whole bag, checked for every bag before any write.
                cmd::check_relation_settings_bytes(
                    rel.endpoint,
                    rel.id,
                    *bag == Sel::App,
                    state.current_bytes(),
                )?;
                writes.push((*rel, *bag == Sel::App, changes));
            }
        }
        for (rel, app, changes) in writes {
            cmd::relation_set(self.tools, rel.endpoint, rel.id, app, &changes)?;
        }
        self.commit_state()?;
        let ports = std::mem::take(&mut self.ports);
        for (port, _) in ports.iter().filter(|(_, open)| !**open) {
            cmd::close_port(self.tools, port)?;
        }
        for (port, _) in ports.iter().filter(|(_, open)| **open) {
            cmd::open_port(self.tools, port)?;
        }
        if let Some(s) = Status::highest(&self.unit_statuses) {
            cmd::status_set(self.tools, false, s)?;
        }
        if !self.app_statuses.is_empty() && self.is_leader()? {
            if let Some(s) = Status::highest(&self.app_statuses) {
                cmd::status_set(self.tools, true, s)?;
            }
        }
        Ok(())
    }

    /// The relations whose bags this dispatch read or wrote, `endpoint:id` (for
    /// diagnostics).
    pub fn touched_relations(&self) -> BTreeSet<String> {
        self.bags.keys().map(|(r, _)| r.to_string()).collect()
    }
}
