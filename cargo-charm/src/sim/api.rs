//! The simulator as a library, for front ends (the `juju` front end): one function per
//! operation on the model in a state directory. Each opens the directory (locked for the
//! call), runs what an interrupted command left queued, checks its input completely
//! before changing anything, runs the hooks Juju would run, and returns plain data.
//!
//! Units may be named `<app>/leader` wherever a unit is named ([`unit_name`]).
//!
//! - models: [`create_model`], [`destroy`], [`has_model`];
//! - applications: [`deploy`] (a `.charm`, a charm directory, a crate, or a store name
//!   through the Charmhub stand-in, [`super::charmhub`]), [`add_unit`], [`remove_unit`],
//!   [`remove_application`], [`refresh`];
//! - relations: [`integrate`], [`remove_relation`];
//! - config: [`config`], [`set_config`];
//! - actions: [`run_action`] (parameters as `juju run` parses them: [`parse_params`]);
//! - hook errors: [`resolve`];
//! - reading: [`status`], [`show_unit`], [`secrets`], [`debug_log`], [`tasks`].

// The `juju` front end (the `juju` module, on its own branch) is this module's caller; in
// a build without it, parts of the API have no caller yet.
#![allow(dead_code)]

use super::model::{app_of_unit, LogLine, Model, Task, JUJU_VERSION};
use super::ops::{self, CharmSource, End};
use super::store::Store;
use super::{charm, charmhub, show, Sim, Summary, Verbosity};
use crate::error::{Error, Result};
use crate::workspace::Locate;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// The front end prints its own output: the simulator says nothing but errors.
const QUIET: Verbosity = Verbosity {
    quiet: true,
    verbose: false,
};

/// What an operation ran.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    /// Dispatches run.
    pub ran: usize,
    /// Hooks that failed: (unit, hook, exit code). Their units are in error until
    /// [`resolve`]d.
    pub failed: Vec<(String, String, i32)>,
}

impl From<Summary> for Outcome {
    fn from(s: Summary) -> Outcome {
        Outcome {
            ran: s.ran,
            failed: s.failed,
        }
    }
}

/// Whether `dir` holds a model.
pub fn has_model(dir: &Path) -> bool {
    dir.join("model.json").is_file()
}

/// Opens the model in `dir` to change it (an interrupted operation's steps run first,
/// and the failed hooks of units in error are retried).
fn open(dir: &Path) -> Result<Sim> {
    open_with(dir, true)
}

/// [`open`], with or without the retries.
fn open_with(dir: &Path, retries: bool) -> Result<Sim> {
    let store = Store::open(dir, false)?;
    let mut sim = Sim::open(store, QUIET)?;
    sim.resume_with(retries)?;
    Ok(sim)
}

/// Opens the model in `dir` to read it, its history included.
fn open_read(dir: &Path) -> Result<Sim> {
    let store = Store::open(dir, false)?;
    let mut sim = Sim::open(store, QUIET)?;
    sim.read_history()?;
    Ok(sim)
}

/// Creates an empty model called `name` in `dir` (created if missing; it must be empty or
/// a state directory without a model).
pub fn create_model(dir: &Path, name: &str) -> Result<()> {
    let store = Store::open(dir, true)?;
    if store.has_model() {
        return Err(Error::msg(format!(
            "a model already exists in {}",
            store.dir.display()
        )));
    }
    store.check_ours()?;
    let model = Model::new(name, crate::fsutil::uuid4());
    let mut sim = Sim::new(store, model, QUIET);
    sim.install_tools()?;
    sim.save()
}

/// Destroys the model in `dir`: its units' Pebble servers stopped, the directory removed.
/// Nothing to do when `dir` does not exist.
pub fn destroy(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let store = Store::open(dir, false)?;
    store.check_ours()?;
    super::pebble::process::stop_all_in(&store)?;
    store.destroy()
}

/// What to deploy.
#[derive(Debug, Clone, Default)]
pub struct DeployRequest {
    /// A `.charm` file, a charm directory or a charm crate (a path), or a store charm's
    /// name (mapped to a local charm by the Charmhub stand-in).
    pub charm: String,
    /// The application name (default: the store name of a store charm, else the charm's
    /// name).
    pub app: Option<String>,
    /// Units (at least 1).
    pub units: u32,
    /// `--config key=value`.
    pub config: Vec<(String, String)>,
    /// `--resource name=value`.
    pub resources: Vec<(String, String)>,
    /// `--trust`.
    pub trust: bool,
    /// `--channel` (store charms only).
    pub channel: Option<String>,
}

/// Whether a `deploy` argument names a local charm (a path) rather than a store charm:
/// it starts with `.` or `/`, as `juju deploy` requires of local charms.
pub fn is_local(charm: &str) -> bool {
    charm.starts_with('.') || charm.starts_with('/')
}

/// Deploys an application into the model in `dir` (a model is created there, called
/// `sim`, if there is none). Returns the application's name and what ran.
pub fn deploy(dir: &Path, r: &DeployRequest) -> Result<(String, Outcome)> {
    let loc = Locate {
        manifest_path: None,
        package: None,
        quiet: true,
    };
    let (source, origin) = if is_local(&r.charm) {
        (CharmSource::resolve(Some(&r.charm), &loc)?, None)
    } else {
        let (path, origin) = charmhub::resolve(&r.charm, r.channel.as_deref())?;
        let arg = path.display().to_string();
        (CharmSource::resolve(Some(&arg), &loc)?, Some(origin))
    };
    let d = ops::Deploy {
        app: r.app.clone(),
        config: r.config.clone(),
        resources: r.resources.clone(),
        trust: r.trust,
        origin,
        ..ops::Deploy::new(source, r.units)
    };
    let store = Store::open(dir, true)?;
    let (_, summary) = ops::deploy(store, &d, QUIET)?;
    let app = summary.deployed.clone().unwrap_or_default();
    Ok((app, summary.into()))
}

/// Relates two deployed applications (`app` or `app:endpoint` each). Returns the relation
/// id and what ran.
pub fn integrate(dir: &Path, a: &str, b: &str) -> Result<(u64, Outcome)> {
    let (a, b) = (End::parse(a)?, End::parse(b)?);
    let mut sim = open(dir)?;
    let (id, s) = ops::integrate(&mut sim, &a, &b)?;
    Ok((id, s.into()))
}

/// Removes the relation between `a` and `b` (`app` or `app:endpoint` each).
pub fn remove_relation(dir: &Path, a: &str, b: &str) -> Result<Outcome> {
    let (a, b) = (End::parse(a)?, End::parse(b)?);
    let mut sim = open(dir)?;
    ops::remove_relation(&mut sim, &a, &b).map(Outcome::from)
}

/// Adds `count` units to `app`.
pub fn add_unit(dir: &Path, app: &str, count: u32) -> Result<Outcome> {
    let mut sim = open(dir)?;
    ops::the_app(&sim.model, Some(app))?;
    if count == 0 {
        return Err(Error::usage("must add at least one unit"));
    }
    ops::add_units(&mut sim, app, count).map(Outcome::from)
}

/// Removes units (each torn down as Juju does).
pub fn remove_unit(dir: &Path, units: &[String]) -> Result<Outcome> {
    let mut sim = open(dir)?;
    let names = units
        .iter()
        .map(|u| unit_name(&sim.model, u))
        .collect::<Result<Vec<_>>>()?;
    ops::remove_units(&mut sim, &names).map(Outcome::from)
}

/// Removes application `app`: its relations go (both sides run their teardown), then its
/// units.
pub fn remove_application(dir: &Path, app: &str) -> Result<Outcome> {
    let mut sim = open(dir)?;
    ops::remove_application(&mut sim, app).map(Outcome::from)
}

/// Refreshes `app` to the charm at `path` (`juju refresh --path`): a new revision, a
/// fresh charm directory on every unit, `upgrade-charm` and `config-changed` on each.
pub fn refresh(dir: &Path, app: &str, path: &str) -> Result<Outcome> {
    let loc = Locate {
        manifest_path: None,
        package: None,
        quiet: true,
    };
    let source = CharmSource::resolve(Some(path), &loc)?;
    let mut sim = open(dir)?;
    ops::refresh(&mut sim, app, &source).map(Outcome::from)
}

/// The unit `name` names in the model in `dir`: a unit, or `<app>/leader`.
pub fn resolve_unit(dir: &Path, name: &str) -> Result<String> {
    unit_name(&open_read(dir)?.model, name)
}

/// The units of application `app`, by number (an error naming it if it is not deployed).
pub fn units_of(dir: &Path, app: &str) -> Result<Vec<String>> {
    let model = open_read(dir)?.model;
    let app = ops::the_app(&model, Some(app))?;
    Ok(model.units_of(&app))
}

/// The unit `name` names in `model`: a unit, or `<app>/leader`.
pub fn unit_name(model: &Model, name: &str) -> Result<String> {
    ops::unit_name(model, name)
}

/// One config option of an application, as `juju config APP` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigEntry {
    /// The option's name.
    pub name: String,
    /// `string`, `int`, `float`, `boolean` or `secret`.
    pub kind: String,
    /// Its description.
    pub description: String,
    /// Its default, if it has one.
    pub default: Option<Value>,
    /// Its value: the user's, else the default.
    pub value: Option<Value>,
    /// `user` when the user set it, else `default` (`unset` without a default).
    pub source: String,
}

/// The config of `app`: its charm's options, sorted by name.
pub fn config(dir: &Path, app: &str) -> Result<(String, Vec<ConfigEntry>)> {
    let sim = open_read(dir)?;
    let name = ops::the_app(&sim.model, Some(app))?;
    let a = sim.model.app(&name).expect("checked");
    let mut out: Vec<ConfigEntry> = a
        .meta
        .config
        .iter()
        .map(|opt| {
            let default = charm::config_default(opt);
            let user = a.config.get(&opt.name).cloned();
            let source = match (&user, &default) {
                (Some(_), _) => "user",
                (None, Some(_)) => "default",
                (None, None) => "unset",
            };
            ConfigEntry {
                name: opt.name.clone(),
                kind: serde_json::to_value(opt.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                description: opt.description.clone().unwrap_or_default(),
                value: user.or_else(|| default.clone()),
                default,
                source: source.into(),
            }
        })
        .collect();
    out.sort_by(|x, y| x.name.cmp(&y.name));
    Ok((a.meta.name.clone(), out))
}

/// Sets and resets options of `app`; `config-changed` on each unit when something
/// changed (`None`: nothing changed).
pub fn set_config(
    dir: &Path,
    app: &str,
    sets: &[(String, String)],
    resets: &[String],
) -> Result<Option<Outcome>> {
    let mut sim = open(dir)?;
    let app = ops::the_app(&sim.model, Some(app))?;
    Ok(ops::config(&mut sim, &app, sets, resets)?.map(Outcome::from))
}

/// Action parameters from `key=value` arguments, as `juju run` parses them: each value
/// is YAML (`yes`, `on`, `true` are booleans, `3` an integer), and a dotted key makes
/// nested maps (`a.b=1` is `{a: {b: 1}}`).
pub fn parse_params(args: &[String]) -> Result<Map<String, Value>> {
    super::params::parse_key_values(args)
}

/// `juju run --params FILE key=value...`: the file's YAML map, overridden by the
/// arguments (parsed as [`parse_params`] does).
pub fn parse_params_with_file(file: &str, args: &[String]) -> Result<Map<String, Value>> {
    let base = super::params::from_file(file)?;
    let mut out = base;
    for (k, v) in parse_params(args)? {
        merge_into(&mut out, k, v);
    }
    Ok(out)
}

/// Sets `k` to `v` in `map`, merging nested maps (`a.b=1` over a file's `a: {c: 2}`).
fn merge_into(map: &mut Map<String, Value>, k: String, v: Value) {
    match (map.get_mut(&k), v) {
        (Some(Value::Object(old)), Value::Object(new)) => {
            for (k2, v2) in new {
                merge_into(old, k2, v2);
            }
        }
        (_, v) => {
            map.insert(k, v);
        }
    }
}

/// Runs `action` on `unit` (or `<app>/leader`) with `params` (checked against the
/// action's schema, defaults filled). Returns the task, completed or failed.
pub fn run_action(
    dir: &Path,
    unit: &str,
    action: &str,
    params: Map<String, Value>,
) -> Result<Task> {
    let mut sim = open(dir)?;
    let unit = unit_name(&sim.model, unit)?;
    ops::run_action_with(&mut sim, &unit, action, params)
}

/// `juju exec`: runs `commands` (shell text) on `unit` (or `<app>/leader`) in a hook
/// context of its charm container. Returns the task: `completed`, with the exit code,
/// stdout and stderr.
pub fn exec(dir: &Path, unit: &str, commands: &str) -> Result<Task> {
    let mut sim = open(dir)?;
    let unit = unit_name(&sim.model, unit)?;
    ops::exec(&mut sim, &unit, commands)
}

/// The model's action tasks, oldest first.
pub fn tasks(dir: &Path) -> Result<Vec<Task>> {
    Ok(open_read(dir)?.model.tasks)
}

/// `juju resolve`: clears `unit`'s hook error. With `retry`, the failed hook runs again
/// first (and the unit stays in error if it fails again); without, it is skipped.
pub fn resolve(dir: &Path, unit: &str, retry: bool) -> Result<Outcome> {
    let mut sim = open_with(dir, false)?;
    let unit = unit_name(&sim.model, unit)?;
    ops::resolve(&mut sim, &unit, retry).map(Outcome::from)
}

/// A workload or agent status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusView {
    /// `active`, `blocked`, `error`, `idle`, `executing`...
    pub current: String,
    /// Its message.
    pub message: String,
    /// Unix time it was last set (the last hook of the unit, approximately).
    pub since: i64,
}

/// A unit in [`status`].
#[derive(Debug, Clone, Serialize)]
pub struct UnitView {
    /// `app/N`.
    pub name: String,
    /// Whether it leads its application.
    pub leader: bool,
    /// Workload status as Juju shows it (`error` / `hook failed: "<hook>"` while in error).
    pub workload: StatusView,
    /// Agent status: `idle`, `executing` while steps are queued for it, `error` while in
    /// error (then `message` names the hook).
    pub agent: StatusView,
    /// Pod address.
    pub address: String,
    /// Opened ports (`8000/tcp`).
    pub ports: Vec<String>,
    /// The Kubernetes pod name (`app-N`).
    pub provider_id: String,
    /// Workload version.
    pub workload_version: String,
    /// `alive` or `dying`.
    pub life: String,
}

/// An application in [`status`].
#[derive(Debug, Clone, Serialize)]
pub struct AppView {
    /// The application's name.
    pub name: String,
    /// The charm's name.
    pub charm: String,
    /// The charm's revision.
    pub charm_rev: u32,
    /// `local` or (through the Charmhub stand-in) `charmhub`.
    pub charm_origin: String,
    /// The channel of a store charm.
    pub channel: Option<String>,
    /// Where the charm came from (a path).
    pub charm_source: String,
    /// Application status: what the leader set, else derived from the units as Juju does.
    pub status: StatusView,
    /// Whether the leader set the status.
    pub status_set: bool,
    /// The first unit's workload version.
    pub workload_version: String,
    /// Number of units.
    pub scale: usize,
    /// The service address.
    pub address: String,
    /// `deploy --trust`.
    pub trust: bool,
    /// Its units, by number.
    pub units: Vec<UnitView>,
    /// Its endpoints' relations: endpoint → related applications.
    pub relations: BTreeMap<String, Vec<String>>,
    /// The endpoint bindings (every endpoint, on the default space `""`).
    pub endpoints: Vec<String>,
}

/// A relation in [`status`].
#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    /// Relation id.
    pub id: u64,
    /// `app:endpoint` of the provider (for peers, the one end).
    pub provider: String,
    /// `app:endpoint` of the requirer (for peers, the same end).
    pub requirer: String,
    /// Interface.
    pub interface: String,
    /// `peer` or `regular`.
    pub kind: String,
    /// `joined`, or `broken` while it is being removed.
    pub status: String,
}

/// The whole model, as `juju status` needs it.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    /// The model's name.
    pub model: String,
    /// Its UUID.
    pub uuid: String,
    /// The Juju version the simulator reports.
    pub version: String,
    /// Applications, by name.
    pub apps: Vec<AppView>,
    /// Relations, by id.
    pub relations: Vec<RelationView>,
    /// Steps of an interrupted operation still queued.
    pub queued: usize,
}

/// The model in `dir`, as `juju status` shows it.
pub fn status(dir: &Path) -> Result<Snapshot> {
    Ok(snapshot(&open_read(dir)?.model))
}

/// When `unit` last ran something (or anything last ran, for `None`).
fn last_event(model: &Model, unit: Option<&str>) -> i64 {
    model
        .events
        .iter()
        .rev()
        .find(|e| unit.is_none_or(|u| e.unit == u))
        .map(|e| e.at)
        .unwrap_or_else(crate::fsutil::now_secs)
}

/// [`status`] of a loaded model.
pub fn snapshot(model: &Model) -> Snapshot {
    let apps = model
        .apps
        .values()
        .map(|app| {
            let units = app
                .units
                .values()
                .map(|u| {
                    let since = last_event(model, Some(&u.name));
                    let shown = show::shown_status(model, &u.name);
                    let queued = model.queue.iter().any(|s| match s {
                        super::model::Step::Hook(h) => h.unit == u.name,
                        _ => false,
                    });
                    let agent = match (&u.error, queued) {
                        (Some(hook), _) => ("error", format!("hook failed: {hook:?}")),
                        (None, true) => ("executing", String::new()),
                        (None, false) => ("idle", String::new()),
                    };
                    UnitView {
                        name: u.name.clone(),
                        leader: model.is_leader(&u.name),
                        workload: StatusView {
                            current: shown.status,
                            message: shown.message,
                            since,
                        },
                        agent: StatusView {
                            current: agent.0.into(),
                            message: agent.1,
                            since,
                        },
                        address: u.address.clone(),
                        ports: u.ports.iter().cloned().collect(),
                        provider_id: u.name.replace('/', "-"),
                        workload_version: u.workload_version.clone(),
                        life: u.life.clone(),
                    }
                })
                .collect();
            let status = show::derived_app_status(model, app);
            let mut relations: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for r in model.relations.values() {
                if let Some(side) = r.side(&app.name) {
                    relations
                        .entry(side.endpoint.to_string())
                        .or_default()
                        .push(side.remote_app.to_string());
                }
            }
            AppView {
                name: app.name.clone(),
                charm: app.meta.name.clone(),
                charm_rev: app.revision,
                charm_origin: if app.store.is_some() {
                    "charmhub"
                } else {
                    "local"
                }
                .into(),
                channel: app.store.as_ref().map(|s| s.channel.clone()),
                charm_source: app.charm_source.clone(),
                status: StatusView {
                    current: status.status,
                    message: status.message,
                    since: last_event(model, None),
                },
                status_set: app.status.is_some(),
                workload_version: app
                    .units
                    .values()
                    .map(|u| u.workload_version.clone())
                    .find(|v| !v.is_empty())
                    .unwrap_or_default(),
                scale: app.units.len(),
                address: app.address.clone(),
                trust: app.trust,
                units,
                relations,
                endpoints: charm::endpoint_names(&app.meta),
            }
        })
        .collect();
    let relations = model
        .relations
        .values()
        .map(|r| {
            let first = format!("{}:{}", r.app, r.endpoint);
            let other = format!("{}:{}", r.remote_app, r.remote_endpoint);
            let (provider, requirer) = match r.role.as_str() {
                "requires" => (other, first),
                "peer" => (first.clone(), first),
                _ => (first, other),
            };
            RelationView {
                id: r.id,
                provider,
                requirer,
                interface: r.interface.clone(),
                kind: if r.is_peer() { "peer" } else { "regular" }.into(),
                status: if r.dying { "broken" } else { "joined" }.into(),
            }
        })
        .collect();
    Snapshot {
        model: model.name.clone(),
        uuid: model.uuid.clone(),
        version: JUJU_VERSION.into(),
        apps,
        relations,
        queued: model.queue.len(),
    }
}

/// One relation of a unit, as `juju show-unit` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRelation {
    /// Relation id.
    pub id: u64,
    /// The unit's endpoint.
    pub endpoint: String,
    /// The other side's endpoint.
    pub related_endpoint: String,
    /// The other application's bag (for peers, the application's own).
    pub application_data: BTreeMap<String, String>,
    /// The unit's own bag.
    pub local_unit: BTreeMap<String, String>,
    /// The other side's units in scope (for peers, the other units) and their bags.
    pub related_units: BTreeMap<String, BTreeMap<String, String>>,
}

/// One unit, as `juju show-unit` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitDetail {
    /// `app/N`.
    pub name: String,
    /// Workload version.
    pub workload_version: String,
    /// Opened ports.
    pub opened_ports: Vec<String>,
    /// The charm URL (`local:<charm>-<rev>`, or `ch:<charm>-<rev>` for store charms).
    pub charm: String,
    /// Whether it leads.
    pub leader: bool,
    /// `alive` or `dying`.
    pub life: String,
    /// Its relations, by id.
    pub relations: Vec<UnitRelation>,
    /// The pod name.
    pub provider_id: String,
    /// Pod address.
    pub address: String,
}

/// `unit` (or `<app>/leader`), as `juju show-unit` shows it.
pub fn show_unit(dir: &Path, unit: &str) -> Result<UnitDetail> {
    let model = open_read(dir)?.model;
    let unit = unit_name(&model, unit)?;
    Ok(unit_detail(&model, &unit))
}

/// [`show_unit`] of a loaded model and an existing unit.
pub fn unit_detail(model: &Model, unit: &str) -> UnitDetail {
    let u = model.unit(unit).expect("checked");
    let app = model.app_of(unit).expect("checked");
    let relations = model
        .relations
        .values()
        .filter_map(|rel| {
            let ru = rel.units.get(unit)?;
            let side = rel.side(&app.name)?;
            let related_units = rel
                .units_of_other_side(&app.name)
                .into_iter()
                .filter(|o| o != unit)
                .filter(|o| !rel.units.contains_key(o) || model.unit(o).is_some())
                .filter_map(|o| rel.unit_bag(&o).map(|b| (o.clone(), b.clone())))
                .collect();
            Some(UnitRelation {
                id: rel.id,
                endpoint: side.endpoint.to_string(),
                related_endpoint: side.remote_endpoint.to_string(),
                application_data: if rel.is_peer() {
                    rel.app_data.clone()
                } else {
                    side.remote_app_data.clone()
                },
                local_unit: ru.data.clone(),
                related_units,
            })
        })
        .collect();
    let scheme = if app.store.is_some() { "ch" } else { "local" };
    UnitDetail {
        name: unit.to_string(),
        workload_version: u.workload_version.clone(),
        opened_ports: u.ports.iter().cloned().collect(),
        charm: format!("{scheme}:{}-{}", app.meta.name, app.revision),
        leader: model.is_leader(unit),
        life: u.life.clone(),
        relations,
        provider_id: unit.replace('/', "-"),
        address: u.address.clone(),
    }
}

/// A secret, as `juju show-secret` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SecretView {
    /// `secret:<id>`.
    pub uri: String,
    /// The owner: `application-<app>` or `unit-<app>-<n>` (Juju's tags); for a simulated
    /// application's secret, `application-<app>`.
    pub owner: String,
    /// The owner's label, if any.
    pub label: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// The latest revision.
    pub revision: u64,
    /// Rotation policy.
    pub rotation: Option<String>,
    /// Expiry.
    pub expire: Option<String>,
    /// The latest revision's content.
    pub content: BTreeMap<String, String>,
}

/// Every secret in the model in `dir`.
pub fn secrets(dir: &Path) -> Result<Vec<SecretView>> {
    let model = open_read(dir)?.model;
    Ok(model
        .secrets
        .iter()
        .map(|s| {
            let owner = match (&s.owner_unit, &s.owner_app, &s.app) {
                (Some(u), _, _) => format!("unit-{}", u.replace('/', "-")),
                (None, Some(a), _) | (None, None, Some(a)) => format!("application-{a}"),
                (None, None, None) => model
                    .app_names()
                    .first()
                    .map(|a| format!("application-{a}"))
                    .unwrap_or_default(),
            };
            let (revision, content) = s
                .secret
                .revisions
                .iter()
                .next_back()
                .map(|(r, c)| (*r, c.clone()))
                .unwrap_or_default();
            SecretView {
                uri: s.secret.id.clone(),
                owner,
                label: s.secret.label.clone(),
                description: s.secret.description.clone(),
                revision,
                rotation: s.secret.rotate.clone(),
                expire: s.secret.expire.clone(),
                content,
            }
        })
        .collect())
}

/// The units' log lines, oldest first; with `limit`, only the last `limit`.
pub fn debug_log(dir: &Path, limit: Option<usize>) -> Result<Vec<LogLine>> {
    let logs = open_read(dir)?.model.logs;
    let skip = limit.map_or(0, |l| logs.len().saturating_sub(l));
    Ok(logs.into_iter().skip(skip).collect())
}

/// A log line as `juju debug-log` prints it:
/// `unit-app-0: HH:MM:SS LEVEL unit.app/0.<source> message`.
pub fn log_line(l: &LogLine) -> String {
    show::log_line(l)
}

/// The application of a unit name (`app/0` → `app`).
pub fn app_of(unit: &str) -> &str {
    app_of_unit(unit)
}

#[cfg(test)]
mod tests {
    //! The API end to end, with shell charms that call no hook tool (in a unit test the
    //! tools would be the test binary).

    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A charm directory: `metadata.yaml`, optional `config.yaml` / `actions.yaml`, and a
    /// `dispatch` running `script`.
    fn charm(dir: &Path, meta: &str, config: &str, actions: &str, script: &str) -> String {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("metadata.yaml"), meta).unwrap();
        if !config.is_empty() {
            std::fs::write(dir.join("config.yaml"), config).unwrap();
        }
        if !actions.is_empty() {
            std::fs::write(dir.join("actions.yaml"), actions).unwrap();
        }
        let dispatch = dir.join("dispatch");
        std::fs::write(&dispatch, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&dispatch, std::fs::Permissions::from_mode(0o755)).unwrap();
        dir.display().to_string()
    }

    fn request(charm: &str, units: u32) -> DeployRequest {
        DeployRequest {
            charm: charm.into(),
            units,
            ..Default::default()
        }
    }

    #[test]
    fn two_applications_through_the_api() {
        let tmp = tempfile::tempdir().unwrap();
        let state = tmp.path().join("state");
        let db = charm(
            &tmp.path().join("db"),
            "name: db\nsummary: s\ndescription: d\nprovides:\n  database:\n    interface: pg\n",
            "",
            "",
            "true",
        );
        let app = charm(
            &tmp.path().join("app"),
            "name: app\nsummary: s\ndescription: d\nrequires:\n  db:\n    interface: pg\n",
            "options:\n  fail:\n    type: boolean\n    default: false\n  name:\n    type: string\n",
            "go:\n  params:\n    flag:\n      type: boolean\n    n:\n      type: integer\n      default: 3\n",
            // config-changed fails while the marker file exists.
            r#"[ "$JUJU_HOOK_NAME" = config-changed ] && [ -e "$JUJU_CHARM_DIR/../../../fail" ] && exit 1; true"#,
        );

        create_model(&state, "testing").unwrap();
        assert!(has_model(&state));
        assert!(create_model(&state, "again").is_err());
        let (name, out) = deploy(&state, &request(&app, 2)).unwrap();
        assert_eq!(name, "app");
        assert!(out.failed.is_empty());
        let (name, _) = deploy(
            &state,
            &DeployRequest {
                app: Some("pg".into()),
                trust: true,
                ..request(&db, 1)
            },
        )
        .unwrap();
        assert_eq!(name, "pg");
        // The same charm again, under another name: a third application.
        assert_eq!(deploy(&state, &request(&db, 1)).unwrap().0, "db");
        let e = deploy(&state, &request(&app, 1)).err().unwrap();
        assert!(
            e.message.contains("(application app is deployed)"),
            "{}",
            e.message
        );
        // A store name without a mapping.
        let e = deploy(&state, &request("postgresql-k8s", 1)).err().unwrap();
        assert!(e.message.contains("Charmhub stand-in"), "{}", e.message);

        let (id, _) = integrate(&state, "app", "pg").unwrap();
        let s = status(&state).unwrap();
        assert_eq!(s.model, "testing");
        let names: Vec<&str> = s.apps.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["app", "db", "pg"]);
        let pg = s.apps.iter().find(|a| a.name == "pg").unwrap();
        assert_eq!((pg.charm.as_str(), pg.charm_rev, pg.trust), ("db", 0, true));
        assert_eq!(pg.relations["database"], ["app"]);
        let a = s.apps.iter().find(|a| a.name == "app").unwrap();
        assert_eq!(a.units.len(), 2);
        assert!(a.units[0].leader && !a.units[1].leader);
        assert_eq!(a.units[0].agent.current, "idle");
        let rel = s.relations.iter().find(|r| r.id == id).unwrap();
        assert_eq!(
            (rel.provider.as_str(), rel.requirer.as_str()),
            ("pg:database", "app:db")
        );

        let u = show_unit(&state, "app/leader").unwrap();
        assert_eq!(u.name, "app/0");
        let r = u.relations.iter().find(|r| r.id == id).unwrap();
        assert_eq!(
            (r.endpoint.as_str(), r.related_endpoint.as_str()),
            ("db", "database")
        );
        assert!(r.related_units["pg/0"].contains_key("ingress-address"));
        let u = show_unit(&state, "pg/0").unwrap();
        let r = &u.relations[0];
        assert_eq!(
            r.related_units.keys().collect::<Vec<_>>(),
            ["app/0", "app/1"]
        );

        // Config.
        let (charm_name, entries) = config(&state, "app").unwrap();
        assert_eq!(charm_name, "app");
        assert_eq!(entries[0].name, "fail");
        assert_eq!(entries[0].source, "default");
        assert_eq!(entries[1].source, "unset");
        assert!(
            set_config(&state, "app", &[("name".into(), "x".into())], &[])
                .unwrap()
                .is_some()
        );
        assert!(
            set_config(&state, "app", &[("name".into(), "x".into())], &[])
                .unwrap()
                .is_none()
        );
        assert_eq!(config(&state, "app").unwrap().1[1].source, "user");

        // Actions: params as juju run reads them, on app/leader.
        let params = parse_params(&["flag=yes".to_string()]).unwrap();
        let task = run_action(&state, "app/leader", "go", params).unwrap();
        assert_eq!(task.unit, "app/0");
        assert_eq!(task.status, "completed");
        assert_eq!(
            Value::Object(task.params),
            serde_json::json!({"flag": true, "n": 3})
        );
        let e = run_action(
            &state,
            "app/0",
            "go",
            parse_params(&["flag=maybe".into()]).unwrap(),
        )
        .unwrap_err();
        assert!(
            e.message.contains("must be of type boolean"),
            "{}",
            e.message
        );
        let file = parse_params_with_file("n: 5\nflag: false\n", &["flag=on".into()]).unwrap();
        assert_eq!(
            Value::Object(file),
            serde_json::json!({"n": 5, "flag": true})
        );

        // A failing hook: the unit is in error until resolved.
        std::fs::write(state.join("fail"), "").unwrap();
        let out = set_config(&state, "app", &[("name".into(), "y".into())], &[])
            .unwrap()
            .unwrap();
        assert_eq!(out.failed.len(), 2);
        let s = status(&state).unwrap();
        let u0 = &s.apps[0].units[0];
        assert_eq!(u0.workload.current, "error");
        assert_eq!(u0.agent.current, "error");
        assert_eq!(u0.agent.message, "hook failed: \"config-changed\"");
        std::fs::remove_file(state.join("fail")).unwrap();
        resolve(&state, "app/0", true).unwrap();
        resolve(&state, "app/1", false).unwrap();
        let s = status(&state).unwrap();
        assert!(s.apps[0].units.iter().all(|u| u.agent.current == "idle"));
        assert!(resolve(&state, "app/0", true).is_err());

        // Units, relations and applications go.
        add_unit(&state, "pg", 1).unwrap();
        assert_eq!(
            show_unit(&state, "app/0").unwrap().relations[0]
                .related_units
                .len(),
            2
        );
        remove_unit(&state, &["pg/1".into()]).unwrap();
        remove_relation(&state, "pg", "app:db").unwrap();
        assert!(show_unit(&state, "app/0").unwrap().relations.is_empty());
        remove_application(&state, "pg").unwrap();
        let s = status(&state).unwrap();
        assert_eq!(s.apps.len(), 2);
        assert!(secrets(&state).unwrap().is_empty());
        assert!(debug_log(&state, Some(1)).unwrap().len() <= 1);
        assert_eq!(resolve_unit(&state, "db/leader").unwrap(), "db/0");
        destroy(&state).unwrap();
        assert!(!state.exists());
    }
}
