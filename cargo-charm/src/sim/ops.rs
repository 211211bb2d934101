//! The commands that change the model. Each checks all of its input first (a bad input
//! changes nothing), then queues the hooks Juju would run, in Juju's order
//! (juju-protocol.md §4), and runs them.

use super::charm::{valid_name, CharmMeta};
use super::model::{
    ActionCall, App, Counters, Effect, HookStep, Model, Relation, RelationUnit, Step, Task, Unit,
    FORMAT,
};
use super::storage;
use super::store::Store;
use super::world::address_keys;
use super::{Sim, Summary, Verbosity};
use crate::error::{Error, Result};
use crate::workspace::Locate;
use crate::{archive, fsutil, pack, workspace};
use jujuc::{BagData, StatusValue};
use serde_json::Map;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Where `deploy` gets the charm.
#[derive(Debug, Clone)]
pub enum CharmSource {
    /// A charm crate: packed first (`cargo charm pack`).
    Crate(Locate),
    /// A `.charm` file.
    CharmFile(PathBuf),
    /// An unpacked charm directory.
    Dir(PathBuf),
}

impl CharmSource {
    /// Classifies `deploy`'s argument: none is the charm crate around the current directory;
    /// a file is a `.charm`; a directory with an executable `dispatch` is an unpacked charm,
    /// one with a `Cargo.toml` is a crate.
    pub fn resolve(arg: Option<&str>, loc: &Locate) -> Result<CharmSource> {
        let Some(arg) = arg else {
            return Ok(CharmSource::Crate(loc.clone()));
        };
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path)
            .map_err(|e| Error::msg(format!("charm {arg:?} not found: {e}")))?;
        if meta.is_file() {
            return Ok(CharmSource::CharmFile(path));
        }
        let dispatch = path.join("dispatch");
        let executable = std::fs::metadata(&dispatch)
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false);
        if !executable && path.join("Cargo.toml").is_file() {
            return Ok(CharmSource::Crate(Locate {
                manifest_path: Some(path.join("Cargo.toml")),
                package: loc.package.clone(),
                quiet: loc.quiet,
            }));
        }
        Ok(CharmSource::Dir(path))
    }
}

/// Unpacks or copies the charm into `<state>/charm.new`, checks it is a charm, and moves it
/// to `<state>/charm`. Returns its metadata and a description of where it came from.
fn stage_charm(store: &Store, source: &CharmSource, quiet: bool) -> Result<(CharmMeta, String)> {
    let staging = store.dir.join("charm.new");
    fsutil::remove_dir(&staging)?;
    let described = match source {
        CharmSource::Crate(loc) => {
            let krate = workspace::find(loc)?;
            let packed = pack::pack(&krate, "release", &store.build_dir(), quiet)?;
            unpack(&packed.path, &staging)?;
            packed.path.display().to_string()
        }
        CharmSource::CharmFile(path) => {
            unpack(path, &staging)?;
            std::path::absolute(path)?.display().to_string()
        }
        CharmSource::Dir(dir) => {
            CharmMeta::load(dir)?;
            fsutil::copy_dir(dir, &staging)?;
            std::path::absolute(dir)?.display().to_string()
        }
    };
    let meta = match CharmMeta::load(&staging) {
        Ok(m) => m,
        Err(e) => {
            let _ = fsutil::remove_dir(&staging);
            let msg = e
                .message
                .replace(&staging.display().to_string(), &described);
            return Err(Error::msg(msg));
        }
    };
    fsutil::remove_dir(&store.charm_dir())?;
    std::fs::rename(&staging, store.charm_dir())?;
    Ok((meta, described))
}

/// Unzips a `.charm` (files and their modes; see [`archive::extract`] for what is refused);
/// a refused archive leaves nothing behind.
fn unpack(path: &Path, into: &Path) -> Result<()> {
    archive::extract(path, into, archive::CHARM_LIMITS).inspect_err(|_| {
        let _ = fsutil::remove_dir(into);
    })
}

fn unit_address(n: u32) -> String {
    format!("10.1.{}.{}", n / 200, n % 200 + 10)
}

fn new_unit(app: &str, n: u32) -> Unit {
    Unit {
        name: format!("{app}/{n}"),
        address: unit_address(n),
        status: StatusValue {
            status: "waiting".into(),
            message: "installing agent".into(),
        },
        error: None,
        workload_version: String::new(),
        ports: Default::default(),
        state: BagData::new(),
        life: "alive".into(),
        pod: 0,
        tracked_secrets: BTreeMap::new(),
        secret_seq: 0,
        storage: vec![],
    }
}

/// A hook step on `unit`.
pub fn hook(unit: &str, name: &str, cause: &str) -> HookStep {
    HookStep {
        unit: unit.to_string(),
        hook: name.to_string(),
        cause: cause.to_string(),
        ..Default::default()
    }
}

fn rel_hook(
    unit: &str,
    rel: &Relation,
    kind: &str,
    remote: Option<&str>,
    effect: Option<Effect>,
    cause: &str,
) -> Step {
    Step::hook(HookStep {
        relation: Some(rel.id),
        remote_unit: remote.map(str::to_string),
        departing_unit: (kind == "departed").then(|| remote.unwrap_or_default().to_string()),
        effect,
        ..hook(unit, &format!("{}-relation-{kind}", rel.endpoint), cause)
    })
}

/// `install` → `*-relation-created` → `leader-elected` / `leader-settings-changed` →
/// `config-changed` → `start` → `<storage>-storage-attached` per instance →
/// `<container>-pebble-ready` (§4.1: on Kubernetes storage-attached comes after `start`).
fn install_sequence(model: &Model, unit: &str, leader: bool, cause: &str) -> Vec<Step> {
    let mut steps = vec![Step::hook(hook(unit, "install", cause))];
    for rel in model.relations.values().filter(|r| !r.dying) {
        steps.push(rel_hook(
            unit,
            rel,
            "created",
            None,
            Some(Effect::Create),
            cause,
        ));
    }
    let leadership = if leader {
        "leader-elected"
    } else {
        "leader-settings-changed"
    };
    steps.push(Step::hook(hook(unit, leadership, cause)));
    steps.push(Step::hook(hook(unit, "config-changed", cause)));
    steps.push(Step::hook(hook(unit, "start", cause)));
    steps.extend(storage::attached_steps(model, unit, cause));
    steps.extend(pebble_ready(model, unit, cause));
    steps
}

fn pebble_ready(model: &Model, unit: &str, cause: &str) -> Vec<Step> {
    model
        .app
        .meta
        .containers
        .iter()
        .map(|c| {
            Step::hook(HookStep {
                workload: Some(c.clone()),
                ..hook(unit, &format!("{c}-pebble-ready"), cause)
            })
        })
        .collect()
}

/// `-relation-joined` then `-relation-changed` on `unit` for `remote`.
fn join(unit: &str, rel: &Relation, remote: &str, cause: &str) -> Vec<Step> {
    vec![
        rel_hook(unit, rel, "joined", Some(remote), Some(Effect::Join), cause),
        rel_hook(unit, rel, "changed", Some(remote), None, cause),
    ]
}

/// The joins a set of new units causes: on every peer relation each new unit sees every
/// other unit join, and the existing units see each new unit join; on other relations the
/// new units see the remote units join.
fn join_sequence(model: &Model, new_units: &[String], cause: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for rel in model.relations.values().filter(|r| !r.dying) {
        if rel.is_peer() {
            for other in model.unit_names() {
                if new_units.contains(&other) {
                    continue;
                }
                for new in new_units {
                    steps.extend(join(&other, rel, new, cause));
                }
            }
            for new in new_units {
                for other in model.unit_names().iter().filter(|o| *o != new) {
                    steps.extend(join(new, rel, other, cause));
                }
            }
        } else {
            for new in new_units {
                for remote in rel.remote_units.keys() {
                    steps.extend(join(new, rel, remote, cause));
                }
                if !rel.remote_app_data.is_empty() {
                    steps.push(rel_hook(new, rel, "changed", None, None, cause));
                }
            }
        }
    }
    steps
}

/// `deploy`: a new model with the charm and `units` units, each running Juju's deploy
/// sequence; unit 0 is the leader.
pub fn deploy(
    store: Store,
    source: &CharmSource,
    units: u32,
    config: &[(String, String)],
    verbosity: Verbosity,
) -> Result<(Sim, Summary)> {
    if store.has_model() {
        let app = store
            .load()
            .map(|m| format!(" (application {} is deployed)", m.app.name))
            .unwrap_or_default();
        return Err(Error::msg(format!(
            "a model already exists in {}{app}; run `cargo charm sim destroy` first or pass another --state",
            store.dir.display()
        )));
    }
    store.check_ours()?;
    if units == 0 {
        return Err(Error::usage("--num-units must be at least 1"));
    }
    fsutil::remove_dir(&store.dir.join("units"))?;
    let (meta, source_desc) = stage_charm(&store, source, verbosity.quiet)?;
    let cleanup = |store: &Store| {
        let _ = fsutil::remove_dir(&store.charm_dir());
        let _ = fsutil::remove_dir(&store.dir.join("units"));
    };
    let mut user_config = Map::new();
    for (k, v) in config {
        match meta.config_value(k, v) {
            Ok(value) => {
                user_config.insert(k.clone(), value);
            }
            Err(e) => {
                cleanup(&store);
                return Err(e);
            }
        }
    }
    let app = meta.name.clone();
    let mut model = Model {
        format: FORMAT,
        name: "sim".into(),
        uuid: fsutil::uuid4(),
        app: App {
            name: app.clone(),
            charm_source: source_desc,
            meta: meta.clone(),
            config: user_config,
            status: None,
            leader: Some(format!("{app}/0")),
            address: "10.152.183.10".into(),
        },
        units: BTreeMap::new(),
        relations: BTreeMap::new(),
        secrets: vec![],
        queue: Default::default(),
        events: vec![],
        logs: vec![],
        tasks: vec![],
        next: Counters::default(),
    };
    let mut names = Vec::new();
    for n in 0..units {
        let unit = new_unit(&app, n);
        let name = unit.name.clone();
        model.units.insert(n, unit);
        let made = store
            .fresh_charm_copy(&name)
            .and_then(|_| storage::provision(&store, &mut model, &name));
        if let Err(e) = made {
            cleanup(&store);
            return Err(e);
        }
        names.push(name);
    }
    model.next.unit = units;
    for ep in &meta.peers {
        let id = model.next.relation;
        model.next.relation += 1;
        model.relations.insert(
            id,
            Relation {
                id,
                endpoint: ep.name.clone(),
                interface: ep.interface.clone(),
                role: "peer".into(),
                remote_app: app.clone(),
                remote_endpoint: ep.name.clone(),
                app_data: BagData::new(),
                units: names
                    .iter()
                    .map(|u| (u.clone(), RelationUnit::default()))
                    .collect(),
                remote_app_data: BagData::new(),
                remote_units: BTreeMap::new(),
                dying: false,
            },
        );
    }
    let mut steps = Vec::new();
    for (i, name) in names.iter().enumerate() {
        steps.extend(install_sequence(&model, name, i == 0, "deploy"));
    }
    steps.extend(join_sequence(&model, &names, "deploy"));
    let mut sim = Sim {
        store,
        model,
        verbosity,
    };
    sim.install_tools()?;
    let summary = sim.execute(steps)?;
    Ok((sim, summary))
}

/// The unit named `name`, or a one-line error listing the units.
pub fn check_unit(model: &Model, name: &str) -> Result<()> {
    if model.unit(name).is_some() {
        return Ok(());
    }
    Err(Error::msg(format!(
        "unit {name:?} not found (units: {})",
        list(&model.unit_names())
    )))
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// `delete-pod`: Kubernetes pod churn (§4.3): `stop` on the old pod; a new pod with a
/// fresh charm directory runs `upgrade-charm`, `config-changed`,
/// `leader-settings-changed` (non-leaders), `start`, `<container>-pebble-ready`.
///
/// Storage stays as it is: same instances, same contents, no new `-storage-attached`.
/// juju-protocol.md does not say this in so many words; what it does say: §4.3 lists the
/// new pod's events (no storage hook among them) and says the charm directory is lost
/// because it is an `emptyDir`, i.e. only pod-lifetime volumes are; a unit's storage is a
/// PersistentVolumeClaim of its StatefulSet pod (§4.3 "each unit is one StatefulSet pod"),
/// which Kubernetes keeps and re-binds to the replacement pod. That the uniter does not
/// re-run `-storage-attached` rests on it keeping its storage hook state on the
/// controller (like the `state-set` data of §5, which survives pod deletion), not on the
/// spec.
pub fn delete_pod(sim: &mut Sim, unit: &str) -> Result<Summary> {
    check_unit(&sim.model, unit)?;
    let cause = "delete-pod";
    let mut steps = vec![
        Step::hook(hook(unit, "stop", cause)),
        Step::FreshPod {
            unit: unit.to_string(),
        },
        Step::hook(hook(unit, "upgrade-charm", cause)),
        Step::hook(hook(unit, "config-changed", cause)),
    ];
    if !sim.model.is_leader(unit) {
        steps.push(Step::hook(hook(unit, "leader-settings-changed", cause)));
    }
    steps.push(Step::hook(hook(unit, "start", cause)));
    steps.extend(pebble_ready(&sim.model, unit, cause));
    sim.execute(steps)
}

/// `config`: sets (typed, checked) and resets options; `config-changed` on every unit when
/// something changed. Returns `None` when nothing changed.
pub fn config(
    sim: &mut Sim,
    sets: &[(String, String)],
    resets: &[String],
) -> Result<Option<Summary>> {
    let meta = &sim.model.app.meta;
    let mut new = sim.model.app.config.clone();
    for key in resets {
        if !meta.options.contains_key(key) {
            return Err(Error::msg(format!(
                "unknown option {key:?} (options of {}: {})",
                meta.name,
                list(&meta.options.keys().cloned().collect::<Vec<_>>())
            )));
        }
        new.remove(key);
    }
    for (k, v) in sets {
        let value = meta.config_value(k, v)?;
        new.insert(k.clone(), value);
    }
    let before = sim.model.effective_config();
    sim.model.app.config = new;
    if sim.model.effective_config() == before {
        return Ok(None);
    }
    let steps = sim
        .model
        .unit_names()
        .iter()
        .map(|u| Step::hook(hook(u, "config-changed", "config")))
        .collect();
    sim.execute(steps).map(Some)
}

fn parse_bag(pairs: &[(String, String)]) -> BagData {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The non-peer relation on `endpoint` with `remote_app`.
fn find_relation(model: &Model, endpoint: &str, remote_app: &str) -> Result<u64> {
    check_endpoint(model, endpoint)?;
    model
        .relations
        .values()
        .find(|r| r.endpoint == endpoint && r.remote_app == remote_app && !r.dying)
        .map(|r| r.id)
        .ok_or_else(|| {
            let related: Vec<String> = model
                .relations
                .values()
                .filter(|r| r.endpoint == endpoint && !r.dying)
                .map(|r| r.remote_app.clone())
                .collect();
            Error::msg(format!(
                "{} is not related to {remote_app:?} on endpoint {endpoint:?} (related: {})",
                model.app.name,
                list(&related)
            ))
        })
}

fn check_endpoint(model: &Model, endpoint: &str) -> Result<&'static str> {
    model
        .app
        .meta
        .endpoint(endpoint)
        .map(|(role, _)| role)
        .ok_or_else(|| {
            Error::msg(format!(
                "application {:?} has no endpoint {endpoint:?} (endpoints: {})",
                model.app.name,
                list(&model.app.meta.endpoint_names())
            ))
        })
}

/// Options of `relate`.
#[derive(Debug, Clone, Default)]
pub struct RelateArgs {
    /// The local endpoint.
    pub endpoint: String,
    /// The remote application.
    pub remote_app: String,
    /// The remote endpoint (default: the local endpoint's name).
    pub remote_endpoint: Option<String>,
    /// The remote application's bag.
    pub app_data: Vec<(String, String)>,
    /// Every remote unit's bag.
    pub unit_data: Vec<(String, String)>,
    /// Remote units.
    pub units: u32,
}

/// `relate`: a relation to a simulated remote application; every unit runs
/// `-relation-created`, then `-relation-joined` / `-relation-changed` per remote unit
/// (and `-relation-changed` for the remote application's data).
pub fn relate(sim: &mut Sim, a: &RelateArgs) -> Result<Summary> {
    let model = &sim.model;
    let role = check_endpoint(model, &a.endpoint)?;
    if role == "peer" {
        return Err(Error::msg(format!(
            "endpoint {:?} is a peer endpoint: peer relations exist from deploy",
            a.endpoint
        )));
    }
    if !valid_name(&a.remote_app) {
        return Err(Error::msg(format!(
            "invalid application name {:?}",
            a.remote_app
        )));
    }
    if a.remote_app == model.app.name {
        return Err(Error::msg(format!(
            "{:?} is this application; peer relations exist from deploy",
            a.remote_app
        )));
    }
    if model
        .relations
        .values()
        .any(|r| r.endpoint == a.endpoint && r.remote_app == a.remote_app && !r.dying)
    {
        return Err(Error::msg(format!(
            "relation {}:{} {}:{} already exists",
            model.app.name,
            a.endpoint,
            a.remote_app,
            a.remote_endpoint.as_deref().unwrap_or(&a.endpoint)
        )));
    }
    let (_, ep) = model.app.meta.endpoint(&a.endpoint).expect("checked");
    let existing = model
        .relations
        .values()
        .filter(|r| r.endpoint == a.endpoint && !r.dying)
        .count() as u64;
    if let Some(limit) = ep.limit {
        if existing >= limit {
            return Err(Error::msg(format!(
                "establishing a new relation for {}:{} would exceed its maximum relation limit of {limit}",
                model.app.name, a.endpoint
            )));
        }
    }
    let interface = ep.interface.clone();
    let id = sim.model.next.relation;
    sim.model.next.relation += 1;
    let unit_bag = parse_bag(&a.unit_data);
    let remote_units = (0..a.units)
        .map(|n| {
            let mut bag = address_keys(&format!("10.1.{}.{}", 100 + n / 200, n % 200 + 10));
            bag.extend(unit_bag.clone());
            (format!("{}/{n}", a.remote_app), bag)
        })
        .collect();
    let rel = Relation {
        id,
        endpoint: a.endpoint.clone(),
        interface,
        role: role.to_string(),
        remote_app: a.remote_app.clone(),
        remote_endpoint: a
            .remote_endpoint
            .clone()
            .unwrap_or_else(|| a.endpoint.clone()),
        app_data: BagData::new(),
        units: sim
            .model
            .unit_names()
            .into_iter()
            .map(|u| (u, RelationUnit::default()))
            .collect(),
        remote_app_data: parse_bag(&a.app_data),
        remote_units,
        dying: false,
    };
    let cause = "relate";
    let mut steps = Vec::new();
    for u in sim.model.unit_names() {
        steps.push(rel_hook(
            &u,
            &rel,
            "created",
            None,
            Some(Effect::Create),
            cause,
        ));
    }
    for u in sim.model.unit_names() {
        for r in rel.remote_units.keys() {
            steps.extend(join(&u, &rel, r, cause));
        }
        if !rel.remote_app_data.is_empty() {
            steps.push(rel_hook(&u, &rel, "changed", None, None, cause));
        }
    }
    sim.model.relations.insert(id, rel);
    sim.execute(steps)
}

/// `set-data`: changes the remote application's bag (`target` = the application) or one
/// remote unit's bag; `""` deletes a key. Every local unit that sees the bag runs
/// `-relation-changed`. Returns `None` when nothing changed.
pub fn set_data(
    sim: &mut Sim,
    endpoint: &str,
    target: &str,
    pairs: &[(String, String)],
) -> Result<Option<Summary>> {
    let remote_app = target.split('/').next().unwrap_or(target);
    if check_endpoint(&sim.model, endpoint)? == "peer" {
        return Err(Error::msg(format!(
            "endpoint {endpoint:?} is a peer endpoint: its bags belong to the charm's own units"
        )));
    }
    let id = find_relation(&sim.model, endpoint, remote_app)?;
    let rel = sim.model.relations.get_mut(&id).expect("found");
    let unit_target = target.contains('/');
    if unit_target && !rel.remote_units.contains_key(target) {
        return Err(Error::msg(format!(
            "unit {target:?} not found in relation {} (remote units: {})",
            rel.key(),
            rel.remote_units
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let bag = if unit_target {
        rel.remote_units.get_mut(target).expect("checked")
    } else {
        &mut rel.remote_app_data
    };
    let before = bag.clone();
    for (k, v) in pairs {
        if v.is_empty() {
            bag.remove(k);
        } else {
            bag.insert(k.clone(), v.clone());
        }
    }
    if *bag == before {
        return Ok(None);
    }
    let rel = rel.clone();
    let steps = rel
        .units
        .iter()
        .filter(|(_, ru)| ru.created && (!unit_target || ru.joined.contains(target)))
        .map(|(u, _)| {
            rel_hook(
                u,
                &rel,
                "changed",
                unit_target.then_some(target),
                None,
                "set-data",
            )
        })
        .collect();
    sim.execute(steps).map(Some)
}

/// `unrelate`: every unit runs `-relation-departed` for each remote unit, then
/// `-relation-broken`; then the relation is gone.
pub fn unrelate(sim: &mut Sim, endpoint: &str, remote_app: &str) -> Result<Summary> {
    if check_endpoint(&sim.model, endpoint)? == "peer" {
        return Err(Error::msg(format!(
            "endpoint {endpoint:?} is a peer endpoint: peer relations cannot be removed"
        )));
    }
    let id = find_relation(&sim.model, endpoint, remote_app)?;
    let rel = sim.model.relations.get_mut(&id).expect("found");
    rel.dying = true;
    let rel = rel.clone();
    let cause = "unrelate";
    let mut steps = Vec::new();
    for (u, ru) in &rel.units {
        for r in &ru.joined {
            steps.push(rel_hook(
                u,
                &rel,
                "departed",
                Some(r),
                Some(Effect::Depart),
                cause,
            ));
        }
        if ru.created {
            steps.push(rel_hook(u, &rel, "broken", None, None, cause));
        }
    }
    steps.push(Step::RemoveRelation { relation: id });
    sim.execute(steps)
}

/// `run`: an action on a unit, its parameters checked and defaults filled as Juju does.
pub fn run_action(
    sim: &mut Sim,
    unit: &str,
    action: &str,
    raw: &[(String, String)],
) -> Result<Task> {
    check_unit(&sim.model, unit)?;
    let params = sim.model.app.meta.action_params(action, raw)?;
    let id = sim.model.next.task + 1;
    sim.model.next.task = id;
    let step = Step::hook(HookStep {
        action: Some(ActionCall {
            id,
            name: action.to_string(),
            params,
        }),
        ..hook(unit, action, "run")
    });
    let summary = sim.execute(vec![step])?;
    summary
        .tasks
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| Error::msg("the action did not run"))
}

/// `leader`: moves leadership; the new leader runs `leader-elected`, the others
/// `leader-settings-changed`. Returns `None` if `unit` already leads.
pub fn leader(sim: &mut Sim, unit: &str) -> Result<Option<Summary>> {
    check_unit(&sim.model, unit)?;
    if sim.model.is_leader(unit) {
        return Ok(None);
    }
    sim.model.app.leader = Some(unit.to_string());
    let mut steps = vec![Step::hook(hook(unit, "leader-elected", "leader"))];
    for u in sim.model.unit_names() {
        if u != unit {
            steps.push(Step::hook(hook(&u, "leader-settings-changed", "leader")));
        }
    }
    sim.execute(steps).map(Some)
}

/// `scale`: adds units (each gets its storage and runs the deploy sequence; peers see it
/// join) or removes the highest-numbered ones (teardown, §4.4: `stop`,
/// `-relation-departed` / `-relation-broken`, `-storage-detaching`, `remove`; the others
/// see it depart; a new leader is elected if the leader goes; the unit's storage goes with
/// it).
pub fn scale(sim: &mut Sim, target: u32) -> Result<Option<Summary>> {
    let current = sim.model.units.len() as u32;
    if target == current {
        return Ok(None);
    }
    let cause = "scale";
    let mut steps = Vec::new();
    if target > current {
        let app = sim.model.app.name.clone();
        let mut new = Vec::new();
        for _ in current..target {
            let n = sim.model.next.unit;
            sim.model.next.unit += 1;
            let unit = new_unit(&app, n);
            let name = unit.name.clone();
            sim.store.fresh_charm_copy(&name)?;
            for rel in sim.model.relations.values_mut().filter(|r| !r.dying) {
                rel.units.insert(name.clone(), RelationUnit::default());
            }
            sim.model.units.insert(n, unit);
            storage::provision(&sim.store, &mut sim.model, &name)?;
            new.push(name);
        }
        let elect = sim.model.app.leader.is_none();
        for (i, u) in new.iter().enumerate() {
            let leader = elect && i == 0;
            if leader {
                sim.model.app.leader = Some(u.clone());
            }
            steps.extend(install_sequence(&sim.model, u, leader, cause));
        }
        steps.extend(join_sequence(&sim.model, &new, cause));
    } else {
        let going: Vec<String> = sim
            .model
            .units
            .values()
            .rev()
            .take((current - target) as usize)
            .map(|u| u.name.clone())
            .collect();
        for u in &going {
            if let Some(unit) = sim.model.unit_mut(u) {
                unit.life = "dying".into();
            }
        }
        // Units leave one after the other: a unit that already left is no longer seen.
        let mut gone: Vec<&String> = Vec::new();
        for u in &going {
            steps.push(Step::hook(hook(u, "stop", cause)));
            for rel in sim.model.relations.values() {
                let Some(ru) = rel.units.get(u) else { continue };
                for r in ru.joined.iter().filter(|r| !gone.contains(r)) {
                    // The departing unit itself: JUJU_DEPARTING_UNIT is itself.
                    let mut step =
                        rel_hook(u, rel, "departed", Some(r), Some(Effect::Depart), cause);
                    if let Step::Hook(h) = &mut step {
                        h.departing_unit = Some(u.clone());
                    }
                    steps.push(step);
                }
                if !rel.is_peer() && ru.created {
                    steps.push(rel_hook(u, rel, "broken", None, None, cause));
                }
                if rel.is_peer() {
                    for (other, oru) in &rel.units {
                        if other != u && !gone.contains(&other) && oru.joined.contains(u) {
                            steps.push(rel_hook(
                                other,
                                rel,
                                "departed",
                                Some(u),
                                Some(Effect::Depart),
                                cause,
                            ));
                        }
                    }
                }
            }
            steps.extend(storage::detaching_steps(&sim.model, u, cause));
            steps.push(Step::hook(hook(u, "remove", cause)));
            steps.push(Step::RemoveUnit { unit: u.clone() });
            gone.push(u);
        }
        let leader_going = sim
            .model
            .app
            .leader
            .as_ref()
            .is_some_and(|l| going.contains(l));
        if leader_going {
            let next = sim
                .model
                .units
                .values()
                .find(|u| !going.contains(&u.name))
                .map(|u| u.name.clone());
            sim.model.app.leader = next.clone();
            if let Some(n) = next {
                steps.push(Step::hook(hook(&n, "leader-elected", cause)));
            }
        }
    }
    sim.execute(steps).map(Some)
}

/// Options of `dispatch`.
#[derive(Debug, Clone, Default)]
pub struct DispatchArgs {
    /// `--relation ID` (relation hooks on an endpoint with several relations).
    pub relation: Option<u64>,
    /// `--remote-unit UNIT`.
    pub remote_unit: Option<String>,
    /// `--secret ID` (secret hooks).
    pub secret: Option<String>,
    /// `--revision N` (secret-remove, secret-expired).
    pub revision: Option<u64>,
    /// `--check NAME` (pebble check hooks).
    pub check: Option<String>,
    /// `--notice-key KEY` (pebble-custom-notice).
    pub notice_key: Option<String>,
    /// `--storage NAME/INDEX` (storage hooks on a unit with several instances).
    pub storage: Option<String>,
}

const UNIT_HOOKS: &[&str] = &[
    "install",
    "start",
    "stop",
    "remove",
    "config-changed",
    "update-status",
    "upgrade-charm",
    "leader-elected",
    "leader-settings-changed",
    "collect-metrics",
];

/// `dispatch`: one event on one unit, with the model as it is (no membership changes).
pub fn dispatch_one(sim: &mut Sim, unit: &str, name: &str, a: &DispatchArgs) -> Result<Summary> {
    check_unit(&sim.model, unit)?;
    let model = &sim.model;
    let meta = &model.app.meta;
    let unknown = || {
        Error::msg(format!(
            "unknown hook {name:?} for {} (unit hooks: {}; or <endpoint>-relation-<created|joined|changed|departed|broken>, <container>-pebble-<ready|custom-notice|check-failed|check-recovered>, <storage>-storage-<attached|detaching>, secret-<changed|rotate|remove|expired>; actions run with `sim run`)",
            meta.name,
            UNIT_HOOKS.join(", ")
        ))
    };
    let mut step = hook(unit, name, "dispatch");
    if UNIT_HOOKS.contains(&name) {
        return sim.execute(vec![Step::hook(step)]);
    }
    // Relation hooks: the endpoint is a declared one.
    for kind in ["created", "joined", "changed", "departed", "broken"] {
        let Some(endpoint) = name.strip_suffix(&format!("-relation-{kind}")) else {
            continue;
        };
        if meta.endpoint(endpoint).is_none() {
            return Err(unknown());
        }
        let candidates: Vec<&Relation> = model
            .relations
            .values()
            .filter(|r| r.endpoint == endpoint)
            .filter(|r| a.relation.is_none_or(|id| r.id == id))
            .collect();
        let rel = match candidates.as_slice() {
            [one] => *one,
            [] => {
                return Err(Error::msg(format!(
                    "no relation on endpoint {endpoint:?}{}; create one with `sim relate`",
                    a.relation
                        .map(|i| format!(" with id {i}"))
                        .unwrap_or_default()
                )))
            }
            _ => {
                return Err(Error::msg(format!(
                    "several relations on endpoint {endpoint:?}; choose one with --relation ID"
                )))
            }
        };
        let joined = rel
            .units
            .get(unit)
            .map(|ru| ru.joined.clone())
            .unwrap_or_default();
        let remote = match kind {
            "created" | "broken" => None,
            _ => match &a.remote_unit {
                Some(r) => {
                    let known = if rel.is_peer() {
                        rel.units.contains_key(r)
                    } else {
                        rel.remote_units.contains_key(r)
                    };
                    if !known || r == unit {
                        return Err(Error::msg(format!(
                            "unit {r:?} is not a remote unit of relation {}",
                            rel.key()
                        )));
                    }
                    Some(r.clone())
                }
                None => joined.iter().next().cloned(),
            },
        };
        if matches!(kind, "joined" | "departed") && remote.is_none() {
            return Err(Error::msg(format!(
                "{name} needs a remote unit and relation {} has none; pass --remote-unit",
                rel.key()
            )));
        }
        step.relation = Some(rel.id);
        step.departing_unit = (kind == "departed").then(|| remote.clone().unwrap_or_default());
        step.remote_unit = remote;
        return sim.execute(vec![Step::hook(step)]);
    }
    for (suffix, needs) in [
        ("-pebble-ready", None),
        ("-pebble-custom-notice", Some("notice")),
        ("-pebble-check-failed", Some("check")),
        ("-pebble-check-recovered", Some("check")),
    ] {
        let Some(container) = name.strip_suffix(suffix) else {
            continue;
        };
        if !meta.containers.iter().any(|c| c == container) {
            return Err(unknown());
        }
        step.workload = Some(container.to_string());
        match needs {
            Some("notice") => {
                step.extra_env.insert("JUJU_NOTICE_ID".into(), "1".into());
                step.extra_env
                    .insert("JUJU_NOTICE_TYPE".into(), "custom".into());
                step.extra_env.insert(
                    "JUJU_NOTICE_KEY".into(),
                    a.notice_key
                        .clone()
                        .unwrap_or_else(|| "example.com/notice".into()),
                );
            }
            Some(_) => {
                let check = a
                    .check
                    .clone()
                    .ok_or_else(|| Error::usage(format!("{name} needs --check NAME")))?;
                step.extra_env
                    .insert("JUJU_PEBBLE_CHECK_NAME".into(), check);
            }
            None => {}
        }
        return sim.execute(vec![Step::hook(step)]);
    }
    // Storage hooks (before secret hooks: a storage may be called `secret`).
    for kind in ["attached", "detaching"] {
        let Some(storage) = name.strip_suffix(&format!("-storage-{kind}")) else {
            continue;
        };
        if meta.storage(storage).is_none() {
            return Err(unknown());
        }
        let u = model.unit(unit).expect("checked");
        let ids: Vec<String> = u
            .storage
            .iter()
            .filter(|s| s.name == storage)
            .map(|s| s.id())
            .collect();
        let id = match (&a.storage, ids.as_slice()) {
            (Some(id), _) if ids.contains(id) => id.clone(),
            (Some(id), _) => {
                return Err(Error::msg(format!(
                    "storage {id:?} not found on {unit} ({storage} storage of {unit}: {})",
                    list(&ids)
                )))
            }
            (None, [one]) => one.clone(),
            (None, []) => {
                return Err(Error::msg(format!(
                    "{unit} has no {storage:?} storage (a hook can add some with storage-add)"
                )))
            }
            (None, _) => {
                return Err(Error::msg(format!(
                    "{unit} has several {storage:?} storage instances ({}); choose one with --storage NAME/INDEX",
                    ids.join(", ")
                )))
            }
        };
        step = storage::storage_hook(unit, &id, kind, "dispatch");
        return sim.execute(vec![Step::hook(step)]);
    }
    if let Some(kind) = name.strip_prefix("secret-") {
        if !["changed", "rotate", "remove", "expired"].contains(&kind) {
            return Err(unknown());
        }
        let id = a
            .secret
            .clone()
            .ok_or_else(|| Error::usage(format!("{name} needs --secret ID")))?;
        let secret = model
            .secrets
            .iter()
            .find(|s| s.secret.id == id || s.secret.id.ends_with(&format!(":{id}")))
            .ok_or_else(|| Error::msg(format!("secret {id:?} not found")))?;
        step.extra_env
            .insert("JUJU_SECRET_ID".into(), secret.secret.id.clone());
        step.extra_env.insert(
            "JUJU_SECRET_LABEL".into(),
            secret.secret.label.clone().unwrap_or_default(),
        );
        let revision = a
            .revision
            .or_else(|| secret.secret.revisions.keys().copied().max())
            .unwrap_or(1);
        step.extra_env
            .insert("JUJU_SECRET_REVISION".into(), revision.to_string());
        return sim.execute(vec![Step::hook(step)]);
    }
    Err(unknown())
}
