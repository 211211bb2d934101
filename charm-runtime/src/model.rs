//! The per-dispatch [`Model`]: what a handler sees of Juju. Reads are cached for the whole
//! dispatch; writes are staged and flushed at its end, only if every handler succeeded.

use crate::config::CharmConfig;
use crate::databag::Databag;
use crate::error::Result;
use crate::event::{Event, HookEnv};
use crate::hooktools::cmd::{self, BagData};
use crate::hooktools::{HookTools, ToolError};
use crate::log::LogLevel;
use crate::pebble::Client;
use crate::port::Port;
use crate::relation::{Bag, Endpoint, Relation, RelationError};
use crate::status::Status;
use serde_json::{Map, Value};
use std::any::Any;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

mod container;

pub use container::{Container, ContainerName};

/// One bag as read from Juju, with this dispatch's staged writes.
#[derive(Debug, Default)]
struct BagState {
    original: BagData,
    staged: BagData,
}

impl BagState {
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

    /// The writes that change something: new or different values, and deletions of keys
    /// that exist.
    fn changes(&self) -> BagData {
        self.staged
            .iter()
            .filter(|(k, v)| match self.original.get(*k) {
                Some(old) => old != *v,
                None => !v.is_empty(),
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// What a handler sees of Juju during one dispatch.
///
/// `is-leader`, `config-get`, `relation-ids`, `relation-list` and each bag's `relation-get`
/// run at most once per dispatch. Relation writes, port changes and statuses are staged
/// and applied by the runtime after the last handler returned `Ok`: one `relation-set` per
/// changed bag, then ports, then one `status-set` for the unit (and one for the app, on the
/// leader). A failed dispatch applies nothing.
pub struct Model<'a> {
    env: &'a HookEnv,
    tools: &'a mut dyn HookTools,
    endpoints: &'static [Endpoint],
    leader: Option<bool>,
    config: Option<Map<String, Value>>,
    action_params: Option<Map<String, Value>>,
    relation_ids: HashMap<&'static str, Vec<u64>>,
    units: HashMap<u64, Vec<String>>,
    remote_apps: HashMap<u64, String>,
    bags: BTreeMap<(Relation, Bag), BagState>,
    unit_statuses: Vec<Status>,
    app_statuses: Vec<Status>,
    ports: BTreeMap<Port, bool>,
    /// Each container's per-dispatch cache (a `container::SharedCache`), type-erased so a
    /// charm that never calls `container()` links none of the plan types' code.
    containers: RefCell<HashMap<String, Rc<dyn Any>>>,
}

impl<'a> Model<'a> {
    /// A model for one dispatch. The runtime builds it; tests use `charm_runtime::testing`.
    pub fn new(
        env: &'a HookEnv,
        tools: &'a mut dyn HookTools,
        endpoints: &'static [Endpoint],
    ) -> Self {
        Model {
            env,
            tools,
            endpoints,
            leader: None,
            config: None,
            action_params: None,
            relation_ids: HashMap::new(),
            units: HashMap::new(),
            remote_apps: HashMap::new(),
            bags: BTreeMap::new(),
            unit_statuses: Vec::new(),
            app_statuses: Vec::new(),
            ports: BTreeMap::new(),
            containers: RefCell::new(HashMap::new()),
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

    /// The raw config (`config-get`, once per dispatch).
    pub fn config_values(&mut self) -> Result<&Map<String, Value>, ToolError> {
        if self.config.is_none() {
            self.config = Some(cmd::config_get(self.tools)?);
        }
        Ok(self.config.as_ref().expect("just filled"))
    }

    /// The typed config.
    pub fn config<C: CharmConfig>(&mut self) -> Result<C> {
        let values = self.config_values()?;
        Ok(C::from_config(values)?)
    }

    /// Sends a line to the Juju debug log (`juju-log`), at once.
    pub fn log(&mut self, level: LogLevel, message: impl AsRef<str>) -> Result<(), ToolError> {
        cmd::juju_log(self.tools, level, message.as_ref())
    }

    /// Sets the workload version shown by `juju status` (`application-version-set`), at once.
    pub fn set_workload_version(&mut self, version: &str) -> Result<(), ToolError> {
        cmd::application_version_set(self.tools, version)
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

    // ----- actions -----

    /// The running action's parameters (`action-get`, once per dispatch). Juju has already
    /// checked them against the action's schema and filled in defaults.
    pub fn action_params_raw(&mut self) -> Result<&Map<String, Value>, ToolError> {
        if self.action_params.is_none() {
            self.action_params = Some(cmd::action_get(self.tools)?);
        }
        Ok(self.action_params.as_ref().expect("just filled"))
    }

    /// The running action's parameters, decoded into `P` (for example a `#[json_value]`
    /// struct with `#[serde(rename_all = "kebab-case")]`). A parameter that does not fit is
    /// an error naming it.
    pub fn action_params<P: serde::de::DeserializeOwned>(&mut self) -> Result<P> {
        let name = match self.event() {
            Event::Action(a) => a.name.clone(),
            other => {
                return Err(crate::Error::msg(format!(
                    "action parameters asked for in hook `{}`, which is not an action",
                    other.hook_name()
                )))
            }
        };
        let raw = Value::Object(self.action_params_raw()?.clone());
        serde_json::from_value(raw)
            .map_err(|e| crate::Error::msg(format!("parameters of action `{name}`: {e}")))
    }

    /// Sets action results (`action-set`, at once). Keys are dotted for nesting and must
    /// match Juju's pattern (lowercase letters, digits, `-`); `stdout`, `stderr` and their
    /// `-encoding` keys are reserved.
    pub fn set_action_results<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        results: impl IntoIterator<Item = (K, V)>,
    ) -> Result<()> {
        let mut map = BagData::new();
        for (k, v) in results {
            let k = k.as_ref();
            let valid = !k.is_empty()
                && k.split('.').all(|seg| {
                    !seg.is_empty()
                        && !seg.starts_with('-')
                        && !seg.ends_with('-')
                        && seg
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                });
            if !valid {
                return Err(crate::Error::msg(format!(
                    "action result key `{k}` is invalid: use lowercase letters, digits and `-`, dotted for nesting"
                )));
            }
            if ["stdout", "stdout-encoding", "stderr", "stderr-encoding"].contains(&k) {
                return Err(crate::Error::msg(format!(
                    "action result key `{k}` is reserved by Juju"
                )));
            }
            map.insert(k.to_string(), v.as_ref().to_string());
        }
        if !map.is_empty() {
            cmd::action_set(self.tools, &map)?;
        }
        Ok(())
    }

    /// Sends a progress message to the user running the action (`action-log`).
    pub fn action_log(&mut self, message: &str) -> Result<(), ToolError> {
        cmd::action_log(self.tools, message)
    }

    /// Marks the action failed with this message (`action-fail`); the handler goes on
    /// running and the dispatch still commits, as in Juju.
    pub fn action_fail(&mut self, message: &str) -> Result<(), ToolError> {
        cmd::action_fail(self.tools, message)
    }

    // ----- relations -----

    /// The relations of an endpoint (`relation-ids`, once per endpoint per dispatch).
    pub fn relations(&mut self, endpoint: Endpoint) -> Result<Vec<Relation>, RelationError> {
        if !self.relation_ids.contains_key(endpoint.name) {
            let ids = cmd::relation_ids(self.tools, endpoint.name)?;
            self.relation_ids.insert(endpoint.name, ids);
        }
        Ok(self.relation_ids[endpoint.name]
            .iter()
            .map(|&id| Relation {
                endpoint: endpoint.name,
                id,
                role: endpoint.role,
            })
            .collect())
    }

    /// The one relation of an endpoint, or `None`; more than one is an error
    /// (use [`Model::relations`] for endpoints without `limit: 1`).
    pub fn relation(&mut self, endpoint: Endpoint) -> Result<Option<Relation>, RelationError> {
        let mut rels = self.relations(endpoint)?;
        match rels.len() {
            0 | 1 => Ok(rels.pop()),
            count => Err(RelationError::TooMany {
                endpoint: endpoint.name.into(),
                count,
            }),
        }
    }

    /// The relation the current relation event is about.
    pub fn event_relation(&self) -> Result<Option<Relation>, RelationError> {
        let Some(r) = self.env.event.relation() else {
            return Ok(None);
        };
        let ep = self
            .endpoints
            .iter()
            .find(|e| e.name == r.endpoint)
            .ok_or_else(|| RelationError::UndeclaredEndpoint {
                endpoint: r.endpoint.clone(),
            })?;
        Ok(Some(Relation {
            endpoint: ep.name,
            id: r.id,
            role: ep.role,
        }))
    }

    /// The remote units of a relation (`relation-list`, once per relation per dispatch).
    /// For peers: the other units of this application.
    pub fn units(&mut self, relation: &Relation) -> Result<Vec<String>, RelationError> {
        if !self.units.contains_key(&relation.id) {
            let u = cmd::relation_list(self.tools, relation.endpoint, relation.id)?;
            self.units.insert(relation.id, u);
        }
        Ok(self.units[&relation.id].clone())
    }

    /// The remote application's name. For peers it is this application; in a relation
    /// hook it comes from `JUJU_REMOTE_APP`; otherwise `relation-list --app` is asked once.
    pub fn remote_app(&mut self, relation: &Relation) -> Result<String, RelationError> {
        if relation.is_peer() {
            return Ok(self.env.app_name.clone());
        }
        if let Some(r) = self.env.event.relation() {
            if r.id == relation.id && !r.remote_app.is_empty() {
                return Ok(r.remote_app.clone());
            }
        }
        if !self.remote_apps.contains_key(&relation.id) {
            let a = cmd::relation_app(self.tools, relation.endpoint, relation.id)?;
            self.remote_apps.insert(relation.id, a);
        }
        Ok(self.remote_apps[&relation.id].clone())
    }

    fn check_read(&mut self, relation: &Relation, bag: &Bag) -> Result<(), RelationError> {
        if *bag == Bag::App && !relation.is_peer() && !self.is_leader()? {
            return Err(RelationError::NotLeaderRead {
                unit: self.env.unit_name.clone(),
                relation: relation.to_string(),
            });
        }
        Ok(())
    }

    fn check_write(&mut self, relation: &Relation, bag: &Bag) -> Result<(), RelationError> {
        match bag {
            Bag::Unit => Ok(()),
            Bag::App => {
                if self.is_leader()? {
                    Ok(())
                } else {
                    Err(RelationError::NotLeaderWrite {
                        unit: self.env.unit_name.clone(),
                        relation: relation.to_string(),
                    })
                }
            }
            Bag::RemoteApp | Bag::RemoteUnit(_) => Err(RelationError::NotOwner {
                unit: self.env.unit_name.clone(),
                relation: relation.to_string(),
                bag: bag.to_string(),
            }),
        }
    }

    /// Loads a bag from Juju once per dispatch (after the access check).
    fn bag_state(
        &mut self,
        relation: &Relation,
        bag: &Bag,
    ) -> Result<&mut BagState, RelationError> {
        let key = (*relation, bag.clone());
        if !self.bags.contains_key(&key) {
            let (owner, app) = match bag {
                Bag::Unit => (self.env.unit_name.clone(), false),
                Bag::App => (self.env.app_name.clone(), true),
                Bag::RemoteApp => (self.remote_app(relation)?, true),
                Bag::RemoteUnit(u) => (u.clone(), false),
            };
            let original =
                cmd::relation_get(self.tools, relation.endpoint, relation.id, &owner, app)?;
            self.bags.insert(
                key.clone(),
                BagState {
                    original,
                    staged: BagData::new(),
                },
            );
        }
        Ok(self.bags.get_mut(&key).expect("just inserted"))
    }

    /// A whole bag, as Juju has it plus this dispatch's staged writes.
    pub fn bag(&mut self, relation: &Relation, bag: Bag) -> Result<BagData, RelationError> {
        self.check_read(relation, &bag)?;
        Ok(self.bag_state(relation, &bag)?.current())
    }

    /// One value of a bag.
    pub fn get(
        &mut self,
        relation: &Relation,
        bag: Bag,
        key: &str,
    ) -> Result<Option<String>, RelationError> {
        Ok(self.bag(relation, bag)?.remove(key))
    }

    /// Stages a write; `""` deletes the key. Checked against the access rules at once,
    /// sent at the end of the dispatch.
    pub fn set(
        &mut self,
        relation: &Relation,
        bag: Bag,
        key: &str,
        value: impl Into<String>,
    ) -> Result<(), RelationError> {
        self.set_many(
            relation,
            bag,
            [(key.to_string(), value.into())].into_iter().collect(),
        )
    }

    fn set_many(
        &mut self,
        relation: &Relation,
        bag: Bag,
        values: BagData,
    ) -> Result<(), RelationError> {
        self.check_write(relation, &bag)?;
        if values.keys().any(|k| k.is_empty()) {
            return Err(RelationError::EmptyKey {
                relation: relation.to_string(),
                bag: bag.to_string(),
            });
        }
        let state = self.bag_state(relation, &bag)?;
        state.staged.extend(values);
        Ok(())
    }

    /// Loads a typed bag. A value that does not decode is an error naming relation, bag and
    /// key; nothing is changed.
    pub fn load<D: Databag>(&mut self, relation: &Relation, bag: Bag) -> Result<D, RelationError> {
        let data = self.bag(relation, bag.clone())?;
        D::from_bag(&data).map_err(|field| RelationError::Decode {
            relation: relation.to_string(),
            bag: bag.to_string(),
            field,
        })
    }

    /// Stages a typed bag: every key the struct declares (`None` fields delete theirs).
    /// Keys the struct does not declare are left alone.
    pub fn save<D: Databag>(
        &mut self,
        relation: &Relation,
        bag: Bag,
        data: &D,
    ) -> Result<(), RelationError> {
        let values = data.to_bag().map_err(|field| RelationError::Decode {
            relation: relation.to_string(),
            bag: bag.to_string(),
            field,
        })?;
        self.set_many(relation, bag, values)
    }

    // ----- end of dispatch -----

    /// Applies the staged writes: one `relation-set` per changed bag, the port changes (closes, then opens),
    /// then the collected statuses. The runtime calls this once, after every handler
    /// returned `Ok`.
    pub fn commit(&mut self) -> Result<()> {
        let mut writes = Vec::new();
        for ((rel, bag), state) in &self.bags {
            let changes = state.changes();
            if !changes.is_empty() {
                writes.push((*rel, *bag == Bag::App, changes));
            }
        }
        for (rel, app, changes) in writes {
            cmd::relation_set(self.tools, rel.endpoint, rel.id, app, &changes)?;
        }
        let ports = std::mem::take(&mut self.ports);
        for (port, _) in ports.iter().filter(|(_, open)| !**open) {
            cmd::close_port(self.tools, port)?;
        }
        for (port, _) in ports.iter().filter(|(_, open)| **open) {
            cmd::open_port(self.tools, port)?;
        }
        if let Some(s) = Status::highest(&self.unit_statuses).cloned() {
            cmd::status_set(self.tools, false, &s)?;
        }
        if !self.app_statuses.is_empty() && self.is_leader()? {
            let s = Status::highest(&self.app_statuses)
                .cloned()
                .expect("non-empty");
            cmd::status_set(self.tools, true, &s)?;
        }
        Ok(())
    }

    /// The relations whose bags this dispatch read or wrote (for diagnostics).
    pub fn touched_relations(&self) -> BTreeSet<Relation> {
        self.bags.keys().map(|(r, _)| *r).collect()
    }
}
