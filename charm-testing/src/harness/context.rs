//! [`Context`]: runs one event of a charm against a [`State`] through the runtime's real
//! dispatch and the in-memory Juju ([`jujuc`]), and returns what came out.

use super::check::{self, Inconsistency, Who};
use super::env::EnvCache;
use super::event::{EventKind, RelHook, WorkloadHook};
use super::pebble::{PebbleCall, Workloads};
use super::state::{
    default_network_info, Container, Relation, RelationKind, Secret, SecretOwner, State,
    WorkloadStatus,
};
use super::tools::RunTools;
use super::Event;
use crate::memory::MemoryTools;
use charm_runtime::event::EnvError;
use charm_runtime::metadata::{CharmMetadata, ConfigValue, Scope, StorageKind};
use charm_runtime::{Charm, LogLevel, Outcome, Port};
use jujuc::{
    self, ActionWorld, CallLog, HookContext, HookInfo, RelationWorld, SecretWorld, StatusValue,
    StorageWorld, UnitWorld,
};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::mem::take;

/// The Juju version a [`Context`] reports unless set (the same as `ops.testing`'s).
pub const DEFAULT_JUJU_VERSION: &str = "3.6.14";

/// Runs events of charm `C`: the unit under test (application name, unit number), the Juju
/// version, and the charm's metadata, taken once from `C::metadata()` (no YAML files).
///
/// A context holds no state between runs: every [`Context::run`] starts from the
/// [`State`] it is given, so one context serves a whole test module.
pub struct Context<C: Charm> {
    meta: CharmMetadata,
    config_defaults: Map<String, Value>,
    default_networks: BTreeMap<String, Value>,
    app_name: String,
    unit_id: u32,
    unit_name: String,
    /// `JUJU_CHARM_DIR`, which follows from the unit (made when the unit changes, not on
    /// every run).
    charm_dir: String,
    juju_version: String,
    allow_missing_peers: bool,
    /// The last run's dispatch environment, for the next run with the same variables.
    env_cache: EnvCache,
    _charm: PhantomData<fn() -> C>,
}

impl<C: Charm> Default for Context<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: Charm> fmt::Debug for Context<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("charm", &self.meta.name)
            .field("unit", &self.unit_name)
            .field("juju_version", &self.juju_version)
            .finish()
    }
}

/// The charm directory Juju gives unit `<app>/<id>`.
fn charm_dir(app_name: &str, unit_id: u32) -> String {
    format!("/var/lib/juju/agents/unit-{app_name}-{unit_id}/charm")
}

fn config_value(v: &ConfigValue) -> Value {
    match v {
        ConfigValue::String(s) => Value::String(s.clone()),
        ConfigValue::Int(i) => Value::from(*i),
        ConfigValue::Float(f) => Value::from(*f),
        ConfigValue::Boolean(b) => Value::Bool(*b),
    }
}

impl<C: Charm> Context<C> {
    /// A context for unit 0 of an application named like the charm, on Juju
    /// [`DEFAULT_JUJU_VERSION`].
    pub fn new() -> Self {
        let meta = C::metadata();
        let config_defaults = meta
            .config
            .iter()
            .filter_map(|o| Some((o.name.clone(), config_value(o.default.as_ref()?))))
            .collect();
        let default_networks = meta
            .peers
            .iter()
            .chain(&meta.provides)
            .chain(&meta.requires)
            .filter(|e| e.scope != Some(Scope::Container))
            .map(|e| e.name.clone())
            .chain(["juju-info".to_string()])
            .map(|b| (b, default_network_info()))
            .collect();
        let app_name = meta.name.clone();
        Context {
            unit_name: format!("{app_name}/0"),
            charm_dir: charm_dir(&app_name, 0),
            app_name,
            meta,
            config_defaults,
            default_networks,
            unit_id: 0,
            juju_version: DEFAULT_JUJU_VERSION.into(),
            allow_missing_peers: false,
            env_cache: EnvCache::default(),
            _charm: PhantomData,
        }
    }

    /// Sets the application name (the charm name unless set).
    pub fn with_app_name(mut self, name: &str) -> Self {
        self.app_name = name.to_string();
        self.unit_name = format!("{}/{}", self.app_name, self.unit_id);
        self.charm_dir = charm_dir(&self.app_name, self.unit_id);
        self
    }

    /// Sets the unit number (0 unless set).
    pub fn with_unit_id(mut self, id: u32) -> Self {
        self.unit_id = id;
        self.unit_name = format!("{}/{}", self.app_name, self.unit_id);
        self.charm_dir = charm_dir(&self.app_name, self.unit_id);
        self
    }

    /// Sets the Juju version (`JUJU_VERSION`).
    pub fn with_juju_version(mut self, version: &str) -> Self {
        self.juju_version = version.to_string();
        self
    }

    /// Accepts states without a declared peer relation. Juju always creates peer relations
    /// when it deploys the application, so the checker normally rejects such a state; this
    /// lets a test cover code written for that case anyway.
    pub fn allow_missing_peer_relations(mut self) -> Self {
        self.allow_missing_peers = true;
        self
    }

    /// The charm's metadata.
    pub fn metadata(&self) -> &CharmMetadata {
        &self.meta
    }

    /// The application name.
    pub fn app_name(&self) -> &str {
        &self.app_name
    }

    /// The unit number.
    pub fn unit_id(&self) -> u32 {
        self.unit_id
    }

    /// The unit name, `<app>/<n>`.
    pub fn unit_name(&self) -> &str {
        &self.unit_name
    }

    /// The Juju version.
    pub fn juju_version(&self) -> &str {
        &self.juju_version
    }

    fn who(&self) -> Who<'_> {
        Who {
            app_name: &self.app_name,
            unit_id: self.unit_id,
            juju_version: &self.juju_version,
            allow_missing_peers: self.allow_missing_peers,
        }
    }

    /// Runs only the consistency checker (see [`super::check`] for the rules).
    pub fn check(&self, event: &Event, state: &State) -> Result<(), Inconsistency> {
        check::check(&self.meta, &self.who(), event, state).map(|_| ())
    }

    /// Runs one event: checks the input, builds Juju's view of it, runs the charm's
    /// dispatch exactly as under Juju (`charm_runtime::dispatch`: routing, cached reads,
    /// access rules, collect-status at the end of every hook and action, commit only on
    /// success) against the in-memory hook tools, and returns the resulting state with
    /// what the charm did on the side. [`Event::collect_status`] runs the collect-status
    /// handlers alone.
    ///
    /// Errors: [`RunError::Inconsistent`] if Juju could not produce the input (nothing
    /// runs); [`RunError::Failed`] if a handler (or the commit) failed, carrying the
    /// charm's error and the output of the failed hook, in which nothing staged was
    /// applied, as in Juju.
    pub fn run(&self, event: Event, state: &State) -> Result<Output, RunError> {
        let params =
            check::check(&self.meta, &self.who(), &event, state).map_err(RunError::Inconsistent)?;
        let hook_name = event.hook_name();
        let mut env = self
            .env_cache
            .take(&self.hook_vars(&event, &hook_name, state), &hook_name)
            .map_err(RunError::Environment)?;
        let workloads = Workloads::start(&state.containers).map_err(RunError::Container)?;
        env.env.pebble = workloads.access();
        let mut world = self.world(&event, state, params);
        let mut hook = HookContext {
            info: self.hook_info(&event, hook_name, state),
            ..HookContext::default()
        };
        let outcome = {
            let mut tools = RunTools {
                tools: MemoryTools {
                    world: &mut world,
                    hook: &mut hook,
                },
                default_networks: Some(&self.default_networks),
            };
            let outcome = match event.kind {
                EventKind::CollectStatus => {
                    charm_runtime::dispatch::collect_status::<C>(&env.env, &mut tools)
                }
                _ => charm_runtime::dispatch::<C>(&env.env, &mut tools),
            };
            // What `charm_runtime::run` does after a failed dispatch.
            charm_runtime::dispatch::report(&env.env, &mut tools, &outcome);
            outcome
        };
        self.env_cache.put_back(env);
        let handled = !matches!(outcome, Outcome::Unhandled);
        if !matches!(outcome, Outcome::Failed(_)) {
            jujuc::commit(&mut world, &hook);
        }
        let (containers, pebble_calls) = workloads
            .finish(&state.containers)
            .map_err(RunError::Container)?;
        let output = Output::new(
            to_state(state, world, containers),
            hook,
            handled,
            pebble_calls,
        );
        match outcome {
            Outcome::Failed(error) => Err(RunError::Failed(Box::new(Failure {
                hook: event.hook_name(),
                error,
                output,
            }))),
            _ => Ok(output),
        }
    }

    /// The `JUJU_*` variables Juju would set, which the runtime's own
    /// `HookEnv::from_vars` parses (so the event goes through the real classification;
    /// see [`EnvCache`]).
    fn hook_vars<'s>(
        &'s self,
        event: &'s Event,
        hook: &'s str,
        state: &'s State,
    ) -> Vec<(&'static str, Cow<'s, str>)> {
        // Borrowed where the value exists already: the lookup copies each value once.
        let mut vars: Vec<(&'static str, Cow<'_, str>)> = Vec::with_capacity(16);
        let dispatch_path = match &event.kind {
            EventKind::Action { name, id, .. } => {
                vars.push(("JUJU_ACTION_NAME", name.into()));
                vars.push(("JUJU_ACTION_UUID", id.into()));
                format!("actions/{name}")
            }
            _ => ["hooks/", hook].concat(),
        };
        vars.push(("JUJU_DISPATCH_PATH", dispatch_path.into()));
        vars.push(("JUJU_HOOK_NAME", hook.into()));
        vars.push(("JUJU_UNIT_NAME", self.unit_name.as_str().into()));
        vars.push(("JUJU_MODEL_NAME", state.model_name.as_str().into()));
        vars.push(("JUJU_MODEL_UUID", state.model_uuid.as_str().into()));
        vars.push(("JUJU_VERSION", self.juju_version.as_str().into()));
        vars.push(("JUJU_CHARM_DIR", self.charm_dir.as_str().into()));
        vars.push((
            "JUJU_CONTEXT_ID",
            [self.unit_name.as_str(), "-", hook, "-1"].concat().into(),
        ));
        match &event.kind {
            EventKind::Unit(_) | EventKind::CollectStatus | EventKind::Action { .. } => {}
            EventKind::Relation {
                hook: kind,
                relation,
                remote_unit,
                departing_self,
            } => {
                let remote_app = self.remote_app_of(relation.id, state);
                vars.push(("JUJU_RELATION", relation.endpoint.as_str().into()));
                vars.push((
                    "JUJU_RELATION_ID",
                    format!("{}:{}", relation.endpoint, relation.id).into(),
                ));
                if let Some(u) = remote_unit {
                    let unit = format!("{remote_app}/{u}");
                    if *kind == RelHook::Departed {
                        let departing = if *departing_self {
                            self.unit_name.clone()
                        } else {
                            unit.clone()
                        };
                        vars.push(("JUJU_DEPARTING_UNIT", departing.into()));
                    }
                    vars.push(("JUJU_REMOTE_UNIT", unit.into()));
                }
                vars.push(("JUJU_REMOTE_APP", remote_app.into()));
            }
            EventKind::Workload {
                hook: kind,
                container,
            } => {
                vars.push(("JUJU_WORKLOAD_NAME", container.as_str().into()));
                match kind {
                    WorkloadHook::Ready => {}
                    WorkloadHook::Notice(n) => {
                        vars.push(("JUJU_NOTICE_ID", n.id.as_str().into()));
                        vars.push(("JUJU_NOTICE_TYPE", n.notice_type.as_str().into()));
                        vars.push(("JUJU_NOTICE_KEY", n.key.as_str().into()));
                    }
                    WorkloadHook::CheckFailed(c) | WorkloadHook::CheckRecovered(c) => {
                        vars.push(("JUJU_PEBBLE_CHECK_NAME", c.name.as_str().into()));
                    }
                }
            }
            EventKind::Storage { storage, .. } => {
                let s = state
                    .storage(&storage.name, storage.index)
                    .unwrap_or(storage);
                vars.push(("JUJU_STORAGE_ID", s.storage_id().into()));
                vars.push(("JUJU_STORAGE_LOCATION", s.location.as_str().into()));
                vars.push(("JUJU_STORAGE_KIND", self.storage_kind(&s.name).into()));
            }
            EventKind::Secret {
                id,
                label,
                revision,
                ..
            } => {
                vars.push(("JUJU_SECRET_ID", id.as_str().into()));
                let label = state
                    .secret(id)
                    .and_then(|s| s.label.clone())
                    .or(label.clone());
                if let Some(l) = label {
                    vars.push(("JUJU_SECRET_LABEL", l.into()));
                }
                if let Some(r) = revision {
                    vars.push(("JUJU_SECRET_REVISION", r.to_string().into()));
                }
            }
        }
        vars
    }

    fn remote_app_of(&self, relation_id: u64, state: &State) -> String {
        state
            .relation(relation_id)
            .map(|r| r.remote_app(&self.app_name).to_string())
            .unwrap_or_default()
    }

    fn storage_kind(&self, name: &str) -> &'static str {
        match self.meta.storage.iter().find(|s| s.name == name) {
            Some(s) if s.kind == StorageKind::Block => "block",
            _ => "filesystem",
        }
    }

    fn hook_info(&self, event: &Event, hook: String, state: &State) -> HookInfo {
        let mut info = HookInfo {
            hook,
            ..HookInfo::default()
        };
        match &event.kind {
            EventKind::Relation {
                hook,
                relation,
                remote_unit,
                departing_self,
            } => {
                let app = self.remote_app_of(relation.id, state);
                info.relation_id = Some(relation.id);
                info.remote_unit = remote_unit.map(|u| format!("{app}/{u}"));
                if *hook == RelHook::Departed {
                    info.departing_unit = if *departing_self {
                        Some(self.unit_name.clone())
                    } else {
                        info.remote_unit.clone()
                    };
                }
                info.remote_app = Some(app);
            }
            EventKind::Storage { storage, .. } => info.storage_id = Some(storage.storage_id()),
            EventKind::Action { .. } => info.is_action = true,
            EventKind::Unit("collect-metrics") => info.restricted = true,
            _ => {}
        }
        info
    }

    /// Juju's view of `state` for this event.
    fn world(&self, event: &Event, state: &State, params: Option<Map<String, Value>>) -> UnitWorld {
        let mut config = self.config_defaults.clone();
        for (k, v) in &state.config {
            config.insert(k.clone(), v.clone());
        }
        let broken = match &event.kind {
            EventKind::Relation {
                hook: RelHook::Broken,
                relation,
                ..
            } => Some(relation.id),
            _ => None,
        };
        let relations = state
            .relations
            .iter()
            .map(|r| self.relation_world(r, broken == Some(r.id)))
            .collect();
        // The defaults for the other bindings are added on the first `network-get`
        // (`RunTools`).
        let networks = state
            .networks
            .iter()
            .map(|n| (n.binding.clone(), n.info.clone()))
            .collect();
        let action = match &event.kind {
            EventKind::Action { name, .. } => Some(ActionWorld {
                name: name.clone(),
                params: params.unwrap_or_default(),
            }),
            _ => None,
        };
        UnitWorld {
            unit: self.unit_name.clone(),
            leader: state.leader,
            model_name: state.model_name.clone(),
            model_uuid: state.model_uuid.clone(),
            config,
            relations,
            opened_ports: state.opened_ports.iter().map(Port::to_string).collect(),
            unit_status: status_value(&state.unit_status),
            app_status: status_value(&state.app_status),
            workload_version: state.workload_version.clone(),
            state: state.stored_state.clone(),
            secrets: state.secrets.iter().map(secret_world).collect(),
            storages: state
                .storages
                .iter()
                .map(|s| StorageWorld {
                    name: s.name.clone(),
                    index: s.index,
                    kind: self.storage_kind(&s.name).into(),
                    location: s.location.clone(),
                })
                .collect(),
            networks,
            resources: state.resources.clone(),
            action,
            planned_units: (0..state.planned_units)
                .map(|i| {
                    if i == self.unit_id {
                        self.unit_name.clone()
                    } else {
                        format!("{}/{i}", self.app_name)
                    }
                })
                .collect(),
            unset_config_options: self
                .meta
                .config
                .iter()
                .filter(|o| o.default.is_none() && !state.config.contains_key(&o.name))
                .map(|o| o.name.clone())
                .collect(),
            cloud_spec: state.cloud_spec.clone(),
            ..UnitWorld::default()
        }
    }

    fn relation_world(&self, r: &Relation, broken: bool) -> RelationWorld {
        let peer = r.kind == RelationKind::Peer;
        let remote_app = r.remote_app(&self.app_name).to_string();
        RelationWorld {
            id: r.id,
            endpoint: r.endpoint.clone(),
            peer,
            remote_units: r
                .remote_units_data
                .iter()
                .map(|(n, b)| (format!("{remote_app}/{n}"), b.clone()))
                .collect(),
            remote_app,
            local_app_data: r.local_app_data.clone(),
            local_unit_data: r.local_unit_data.clone(),
            remote_app_data: if peer {
                r.local_app_data.clone()
            } else {
                r.remote_app_data.clone()
            },
            alive: !broken,
            remote_model_uuid: r.remote_model_uuid.clone(),
        }
    }
}

fn status_value(s: &WorkloadStatus) -> StatusValue {
    StatusValue {
        status: s.name().to_string(),
        message: s.message().to_string(),
    }
}

/// The status Juju holds, as the state's type; its message is moved, not copied.
fn workload_status(s: StatusValue) -> WorkloadStatus {
    let StatusValue { status, message } = s;
    // Asked with an empty message first (no allocation): only a known name takes the
    // message.
    match WorkloadStatus::from_name(&status, String::new()) {
        None => WorkloadStatus::Error(format!("{status}: {message}")),
        Some(_) => WorkloadStatus::from_name(&status, message).unwrap_or(WorkloadStatus::Unknown),
    }
}

fn secret_world(s: &Secret) -> SecretWorld {
    SecretWorld {
        id: s.id.clone(),
        owner: s.owner.map(|o| o.as_str().to_string()),
        label: s.label.clone(),
        description: s.description.clone(),
        revisions: s.revisions.clone(),
        tracked: s.tracked,
        rotate: s.rotate.clone(),
        expire: s.expire.clone(),
        grants: s.grants.clone(),
    }
}

fn secret_from_world(s: SecretWorld) -> Secret {
    Secret {
        id: s.id,
        owner: match s.owner.as_deref() {
            Some("application") | Some("app") => Some(SecretOwner::App),
            Some(_) => Some(SecretOwner::Unit),
            None => None,
        },
        label: s.label,
        description: s.description,
        revisions: s.revisions,
        tracked: s.tracked,
        rotate: s.rotate,
        expire: s.expire,
        grants: s.grants,
    }
}

/// The output state: the input with what Juju now holds for the unit. Each part is
/// copied once: what Juju holds is moved out of `world` (and `containers`) — what the run
/// can change, and the copies of the input that no tool writes (model name and UUID,
/// resources, cloud spec, a relation's endpoint, remote application and its bag) — the
/// rest is cloned from `input` (the destructuring names every field, so a new one cannot
/// be forgotten).
fn to_state(input: &State, world: UnitWorld, containers: Vec<Container>) -> State {
    let State {
        leader,
        config,
        relations,
        containers: _,
        secrets: _,
        opened_ports: _,
        storages,
        networks,
        resources: _,
        unit_status: _,
        app_status: _,
        workload_version: _,
        model_name: _,
        model_uuid: _,
        planned_units,
        stored_state: _,
        cloud_spec: _,
    } = input;
    let UnitWorld {
        relations: mut world_relations,
        opened_ports: world_ports,
        unit_status,
        app_status,
        workload_version,
        state: stored_state,
        secrets,
        model_name,
        model_uuid,
        resources,
        cloud_spec,
        ..
    } = world;
    let relations = relations
        .iter()
        .map(|rel| {
            let own = world_relations.iter_mut().find(|w| w.id == rel.id);
            relation_with(rel, own)
        })
        .collect();
    State {
        leader: *leader,
        config: config.clone(),
        relations,
        containers,
        secrets: secrets.into_iter().map(secret_from_world).collect(),
        opened_ports: world_ports.iter().filter_map(|p| p.parse().ok()).collect(),
        storages: storages.clone(),
        networks: networks.clone(),
        resources,
        unit_status: workload_status(unit_status),
        app_status: workload_status(app_status),
        workload_version,
        model_name,
        model_uuid,
        planned_units: *planned_units,
        stored_state,
        cloud_spec,
    }
}

/// `rel` as Juju now holds it: its local bags (the application's, then this unit's) and
/// the copies of `rel`'s own values that no tool writes (its endpoint, remote
/// application, remote application bag if not a peer's, remote model) taken from `world`,
/// Juju's view of it; a copy of `rel` when the world has none.
fn relation_with(rel: &Relation, world: Option<&mut RelationWorld>) -> Relation {
    let Relation {
        endpoint,
        id,
        kind,
        interface,
        local_app_data: _,
        local_unit_data: _,
        remote_app_name,
        remote_app_data,
        remote_units_data,
        remote_model_uuid,
    } = rel;
    let Some(w) = world else {
        return rel.clone();
    };
    // Built from `rel` by `relation_world`: the same values, unless a tool wrote them
    // (only the local bags, and a peer's remote application bag, which is its own).
    debug_assert!(w.endpoint == *endpoint && w.remote_model_uuid == *remote_model_uuid);
    let peer = *kind == RelationKind::Peer;
    Relation {
        endpoint: take(&mut w.endpoint),
        id: *id,
        kind: *kind,
        interface: interface.clone(),
        local_app_data: take(&mut w.local_app_data),
        local_unit_data: take(&mut w.local_unit_data),
        remote_app_name: if peer {
            remote_app_name.clone()
        } else {
            take(&mut w.remote_app)
        },
        remote_app_data: if peer {
            remote_app_data.clone()
        } else {
            take(&mut w.remote_app_data)
        },
        remote_units_data: remote_units_data.clone(),
        remote_model_uuid: take(&mut w.remote_model_uuid),
    }
}

// ------------------------------------------------------------------------------------------
// Output

/// One `juju-log` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Its level.
    pub level: LogLevel,
    /// Its message.
    pub message: String,
}

/// What a run produced: the output [`State`] and the side channels.
#[derive(Debug, Clone)]
pub struct Output {
    /// The state after the event: relation bags, ports, statuses, workload version,
    /// secrets and charm state as Juju now holds them, containers as their Pebbles now hold
    /// them (layers, service and check states, notices, files; mounts written back);
    /// everything else as in the input.
    pub state: State,
    /// Whether any of the charm's code ran: a handler routed the event, or a
    /// collect-status handler (which runs for every hook and action but `collect-metrics`).
    /// If not, no hook tool was called.
    pub handled: bool,
    /// `juju-log` lines, in order (a failed hook ends with the runtime's ERROR line).
    pub juju_log: Vec<LogLine>,
    /// Every unit status set during the event, in order (the last one is the output
    /// state's; `ops.testing` instead lists the statuses replaced).
    pub unit_status_history: Vec<WorkloadStatus>,
    /// Every application status set during the event, in order.
    pub app_status_history: Vec<WorkloadStatus>,
    /// Every workload version set during the event, in order.
    pub workload_version_history: Vec<String>,
    /// `action-set` results, flat with dotted keys as the charm set them.
    pub action_results: BTreeMap<String, String>,
    /// `action-log` messages.
    pub action_logs: Vec<String>,
    /// The `action-fail` message, if the action was failed (the hook still succeeds and
    /// commits, as in Juju).
    pub action_failure: Option<String>,
    /// `storage-add` requests: (storage name, count). Juju attaches new storage later,
    /// with `-storage-attached` events.
    pub storage_requests: Vec<(String, u64)>,
    /// Every request the charm made to a container's Pebble, in order (see [`PebbleCall`]
    /// for what is kept of each).
    pub pebble_calls: Vec<PebbleCall>,
    /// Every hook-tool call the charm made, in order, with its exit code and stderr (read
    /// as a slice of [`CallRecord`](jujuc::CallRecord)s, built when first read).
    pub tool_calls: CallLog,
}

impl Output {
    fn new(state: State, hook: HookContext, handled: bool, pebble_calls: Vec<PebbleCall>) -> Self {
        Output {
            state,
            handled,
            juju_log: hook
                .logs
                .into_iter()
                .map(|(level, message)| LogLine {
                    level: LogLevel::parse(&level).unwrap_or(LogLevel::Info),
                    message,
                })
                .collect(),
            unit_status_history: hook
                .unit_status_history
                .into_iter()
                .map(workload_status)
                .collect(),
            app_status_history: hook
                .app_status_history
                .into_iter()
                .map(workload_status)
                .collect(),
            workload_version_history: hook.workload_version_history,
            action_results: hook.action_results,
            action_logs: hook.action_logs,
            action_failure: hook.action_failed,
            storage_requests: hook.storage_adds,
            pebble_calls,
            tool_calls: hook.calls,
        }
    }

    /// How many times the charm called `tool` (e.g. `relation-get`).
    pub fn calls_to(&self, tool: &str) -> usize {
        self.tool_calls
            .iter()
            .filter(|c| c.argv.first().is_some_and(|t| t == tool))
            .count()
    }

    /// Every hook-tool call as a command line (argv joined by spaces), for exact
    /// assertions.
    pub fn command_lines(&self) -> Vec<String> {
        self.tool_calls.iter().map(|c| c.argv.join(" ")).collect()
    }

    /// Every Pebble request as `METHOD path?query` ([`PebbleCall::line`]), for exact
    /// assertions.
    pub fn pebble_lines(&self) -> Vec<String> {
        self.pebble_calls.iter().map(PebbleCall::line).collect()
    }

    /// A container of the output state, by name (shorthand for
    /// `out.state.container(name)`).
    pub fn container(&self, name: &str) -> Option<&Container> {
        self.state.container(name)
    }

    /// The `juju-log` messages at `level`.
    pub fn logs_at(&self, level: LogLevel) -> Vec<&str> {
        self.juju_log
            .iter()
            .filter(|l| l.level == level)
            .map(|l| l.message.as_str())
            .collect()
    }

    /// A relation of the output state, by id (shorthand for `out.state.relation(id)`).
    pub fn relation(&self, id: u64) -> Option<&Relation> {
        self.state.relation(id)
    }

    /// The action results nested by their dotted keys, as `juju run` shows them.
    pub fn action_results_nested(&self) -> Value {
        let mut root = Map::new();
        for (k, v) in &self.action_results {
            let mut node = &mut root;
            let mut parts = k.split('.').peekable();
            while let Some(part) = parts.next() {
                if parts.peek().is_none() {
                    node.insert(part.to_string(), Value::String(v.clone()));
                } else {
                    let entry = node
                        .entry(part.to_string())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if !entry.is_object() {
                        *entry = Value::Object(Map::new());
                    }
                    node = entry.as_object_mut().expect("just made an object");
                }
            }
        }
        Value::Object(root)
    }
}

// ------------------------------------------------------------------------------------------
// Errors

/// A charm that failed: its error and the output of the failed hook.
pub struct Failure {
    /// The hook (or action) that failed.
    pub hook: String,
    /// The charm's error, as `charm_runtime::dispatch` returned it (with the handler
    /// name as context); `error.downcast_ref::<T>()` gets a typed error back.
    pub error: charm_runtime::Error,
    /// What Juju holds after the failed hook: nothing staged was applied (relation data,
    /// ports, secrets and charm state are as in the input), while what takes effect at once
    /// (statuses set with `status-set`, the workload version, logs, action output, and
    /// whatever the charm did to its containers through Pebble) is kept. Juju would also show the unit in `error` status until the retried hook succeeds;
    /// the state here is what the retry starts from.
    pub output: Output,
}

impl fmt::Debug for Failure {
    /// The error, then the hook-tool calls and log lines that led to it (the whole output
    /// is in `output`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the charm failed in `{}`: {}", self.hook, self.error)?;
        writeln!(f, "hook-tool calls:")?;
        for c in &self.output.tool_calls {
            write!(f, "  {} -> {}", c.argv.join(" "), c.code)?;
            if !c.stderr.is_empty() {
                write!(f, " {}", c.stderr.trim_end())?;
            }
            writeln!(f)?;
        }
        writeln!(f, "juju-log:")?;
        for l in &self.output.juju_log {
            writeln!(f, "  {}: {}", l.level.as_str(), l.message)?;
        }
        Ok(())
    }
}

/// Why [`Context::run`] did not return an output.
pub enum RunError {
    /// Juju could never produce this input; nothing ran.
    Inconsistent(Inconsistency),
    /// The charm failed (a handler returned an error or panicked, or the commit failed).
    Failed(Box<Failure>),
    /// The event could not be turned into a dispatch environment that the runtime accepts.
    Environment(EnvError),
    /// A container's Pebble could not be set up or read back: an I/O error in its
    /// temporary root directory or with a mount's host path (the message says which).
    Container(String),
}

impl RunError {
    /// The charm's error, if the charm failed.
    pub fn charm_error(&self) -> Option<&charm_runtime::Error> {
        self.failure().map(|f| &f.error)
    }

    /// The failure, if the charm failed.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            RunError::Failed(f) => Some(f),
            _ => None,
        }
    }

    /// The problems, if the input was inconsistent.
    pub fn inconsistency(&self) -> Option<&Inconsistency> {
        match self {
            RunError::Inconsistent(i) => Some(i),
            _ => None,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Inconsistent(i) => write!(f, "{i}"),
            RunError::Failed(fail) => {
                write!(f, "the charm failed in `{}`: {}", fail.hook, fail.error)
            }
            RunError::Environment(e) => write!(f, "the event's environment is not valid: {e}"),
            RunError::Container(e) => write!(f, "the harness could not serve a container: {e}"),
        }
    }
}

impl fmt::Debug for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Failed(fail) => write!(f, "{fail:?}"),
            other => write!(f, "{other}"),
        }
    }
}

impl std::error::Error for RunError {}
