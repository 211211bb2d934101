//! The input and output of a test: [`State`] and the things in it.
//!
//! A `State` is Juju's model as the unit under test sees it: leadership, config, relations
//! and their bags, workload containers, secrets, ports, storage, networks, statuses. It is
//! built once with [`State::builder`] and never changes; [`Context::run`](crate::Context::run)
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

mod bag;
mod container;
mod network;
mod relation;
mod secret;
mod status;
mod storage;
mod workload;

pub use bag::{default_unit_bag, BagData, DEFAULT_ADDRESS};
pub use container::Container;
pub use network::{default_network_info, Network};
pub use relation::{next_relation_id, Relation, RelationKind};
pub use secret::{Secret, SecretOwner};
pub use status::WorkloadStatus;
pub use storage::Storage;
pub use workload::{CheckInfo, Notice};

use charm_runtime::Port;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

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
