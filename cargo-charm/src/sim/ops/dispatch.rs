//! `dispatch`: one event on one unit, with the model as it is (no membership changes).

use super::super::model::{app_of_unit, HookStep, Model, Relation, Step};
use super::super::pebble::{admin, Workload};
use super::super::{Sim, Summary};
use super::lookup::{check_unit, list};
use crate::error::{Error, Result};
use std::collections::BTreeMap;

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
    /// `--notice-data k=v` (pebble-custom-notice).
    pub notice_data: Vec<(String, String)>,
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
/// A custom notice or a check hook first makes its container's Pebble hold what Juju
/// would have seen there (see [`workload_state`]).
pub fn dispatch_one(sim: &mut Sim, unit: &str, name: &str, a: &DispatchArgs) -> Result<Summary> {
    check_unit(&sim.model, unit)?;
    let mut step = hook_step(&sim.model, unit, name, a)?;
    workload_state(sim, &mut step, a)?;
    sim.execute(vec![Step::hook(step)])
}

/// What Juju reacts to, made real in the container's Pebble before the hook runs:
/// - `-pebble-custom-notice`: the notice is recorded (as the workload's `pebble notify`
///   would) and its id is `JUJU_NOTICE_ID`, so the charm can read it back;
/// - `-pebble-check-failed`: a running check that is up fails until it reaches its
///   threshold (Pebble's `perform-check` change errors, a `recover-check` starts);
/// - `-pebble-check-recovered`: a check that is down succeeds once (the recovery ends).
///
/// A check already in the state the hook announces is left as it is; one that is not in
/// the plan or not running is an error (Juju never sends the hook then).
fn workload_state(sim: &Sim, step: &mut HookStep, a: &DispatchArgs) -> Result<()> {
    let Some(container) = step.workload.clone() else {
        return Ok(());
    };
    let w = Workload::new(&sim.store, &step.unit, &container);
    if step.hook.ends_with("-pebble-custom-notice") {
        let key = step
            .extra_env
            .get("JUJU_NOTICE_KEY")
            .cloned()
            .unwrap_or_default();
        let data: BTreeMap<String, String> = a.notice_data.iter().cloned().collect();
        let id = admin::notify(&w, &key, &data)?;
        step.extra_env.insert("JUJU_NOTICE_ID".into(), id);
        return Ok(());
    }
    let name = step
        .extra_env
        .get("JUJU_PEBBLE_CHECK_NAME")
        .cloned()
        .unwrap_or_default();
    if step.hook.ends_with("-pebble-check-failed") {
        admin::fail_check(&w, &name)
    } else if step.hook.ends_with("-pebble-check-recovered") {
        admin::recover_check(&w, &name)
    } else {
        Ok(())
    }
}

/// The step for hook `name` on `unit`: a unit hook as is, or a relation, workload, storage
/// or secret hook with the context its family needs. The families are tried in this order:
/// storage before secret, since a storage may be called `secret`.
fn hook_step(model: &Model, unit: &str, name: &str, a: &DispatchArgs) -> Result<HookStep> {
    let step = HookStep::new(unit, name, "dispatch");
    if UNIT_HOOKS.contains(&name) {
        return Ok(step);
    }
    let found = relation_hook(model, step.clone(), a)
        .or_else(|| workload_hook(model, step.clone(), a))
        .or_else(|| storage_hook(model, unit, name, a))
        .or_else(|| secret_hook(model, step.clone(), a));
    found.unwrap_or_else(|| Err(unknown_hook(unit, name)))
}

fn unknown_hook(unit: &str, name: &str) -> Error {
    Error::msg(format!(
        "unknown hook {name:?} for {} (unit hooks: {}; or <endpoint>-relation-<created|joined|changed|departed|broken>, <container>-pebble-<ready|custom-notice|check-failed|check-recovered>, <storage>-storage-<attached|detaching>, secret-<changed|rotate|remove|expired>; actions run with `sim run`)",
        app_of_unit(unit),
        UNIT_HOOKS.join(", ")
    ))
}

/// `<endpoint>-relation-<kind>` on a declared endpoint: the relation (`--relation` when the
/// endpoint has several) and the remote unit (`--remote-unit`, default: the first joined).
/// `None` when `step` is no relation hook.
fn relation_hook(model: &Model, step: HookStep, a: &DispatchArgs) -> Option<Result<HookStep>> {
    let (endpoint, kind) = ["created", "joined", "changed", "departed", "broken"]
        .into_iter()
        .find_map(|kind| {
            let endpoint = step.hook.strip_suffix(&format!("-relation-{kind}"))?;
            Some((endpoint.to_string(), kind))
        })?;
    if model.meta_of(&step.unit).endpoint(&endpoint).is_none() {
        return Some(Err(unknown_hook(&step.unit, &step.hook)));
    }
    Some(relation_context(model, step, &endpoint, kind, a))
}

/// Fills in the relation and remote unit of a `-relation-<kind>` step on `endpoint`.
fn relation_context(
    model: &Model,
    mut step: HookStep,
    endpoint: &str,
    kind: &str,
    a: &DispatchArgs,
) -> Result<HookStep> {
    let rel = the_relation(model, &step.unit, endpoint, a.relation)?;
    let remote = match kind {
        "created" | "broken" => None,
        _ => remote_unit(rel, &step.unit, a.remote_unit.as_deref())?,
    };
    if matches!(kind, "joined" | "departed") && remote.is_none() {
        return Err(Error::msg(format!(
            "{} needs a remote unit and relation {} has none; pass --remote-unit",
            step.hook,
            rel.key()
        )));
    }
    step.relation = Some(rel.id);
    step.departing_unit = (kind == "departed").then(|| remote.clone().unwrap_or_default());
    step.remote_unit = remote;
    Ok(step)
}

/// The one relation on `unit`'s `endpoint` (with id `id` if given).
fn the_relation<'m>(
    model: &'m Model,
    unit: &str,
    endpoint: &str,
    id: Option<u64>,
) -> Result<&'m Relation> {
    let app = app_of_unit(unit);
    let candidates: Vec<&Relation> = model
        .relations
        .values()
        .filter(|r| r.side(app).is_some_and(|s| s.endpoint == endpoint))
        .filter(|r| id.is_none_or(|id| r.id == id))
        .collect();
    match candidates.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::msg(format!(
            "no relation on endpoint {endpoint:?}{}; create one with `sim relate`",
            id.map(|i| format!(" with id {i}")).unwrap_or_default()
        ))),
        _ => Err(Error::msg(format!(
            "several relations on endpoint {endpoint:?}; choose one with --relation ID"
        ))),
    }
}

/// The remote unit a relation hook on `unit` is about: `given` (checked), or the first unit
/// `unit` has seen join.
fn remote_unit(rel: &Relation, unit: &str, given: Option<&str>) -> Result<Option<String>> {
    let Some(r) = given else {
        return Ok(rel
            .units
            .get(unit)
            .and_then(|ru| ru.joined.iter().next().cloned()));
    };
    let known = rel
        .units_of_other_side(app_of_unit(unit))
        .iter()
        .any(|o| o == r);
    if !known || r == unit {
        return Err(Error::msg(format!(
            "unit {r:?} is not a remote unit of relation {}",
            rel.key()
        )));
    }
    Ok(Some(r.to_string()))
}

/// `<container>-pebble-<ready|custom-notice|check-failed|check-recovered>` on a declared
/// container, with the notice or check variables Juju sets. `None` when `step` is no
/// workload hook.
fn workload_hook(model: &Model, mut step: HookStep, a: &DispatchArgs) -> Option<Result<HookStep>> {
    let (container, suffix) = [
        "-pebble-ready",
        "-pebble-custom-notice",
        "-pebble-check-failed",
        "-pebble-check-recovered",
    ]
    .into_iter()
    .find_map(|suffix| Some((step.hook.strip_suffix(suffix)?.to_string(), suffix)))?;
    if model.meta_of(&step.unit).container(&container).is_none() {
        return Some(Err(unknown_hook(&step.unit, &step.hook)));
    }
    step.workload = Some(container);
    match suffix {
        "-pebble-custom-notice" => {
            let key = a
                .notice_key
                .clone()
                .unwrap_or_else(|| "example.com/notice".into());
            step.extra_env
                .insert("JUJU_NOTICE_TYPE".into(), "custom".into());
            step.extra_env.insert("JUJU_NOTICE_KEY".into(), key);
        }
        "-pebble-check-failed" | "-pebble-check-recovered" => {
            let Some(check) = a.check.clone() else {
                return Some(Err(Error::usage(format!(
                    "{} needs --check NAME",
                    step.hook
                ))));
            };
            step.extra_env
                .insert("JUJU_PEBBLE_CHECK_NAME".into(), check);
        }
        _ => {}
    }
    Some(Ok(step))
}

/// `<storage>-storage-<attached|detaching>` on a declared storage, for the instance
/// `--storage` names (default: the unit's only instance of it). `None` when `name` is no
/// storage hook.
fn storage_hook(
    model: &Model,
    unit: &str,
    name: &str,
    a: &DispatchArgs,
) -> Option<Result<HookStep>> {
    let (storage, kind) = ["attached", "detaching"]
        .into_iter()
        .find_map(|kind| Some((name.strip_suffix(&format!("-storage-{kind}"))?, kind)))?;
    if model.meta_of(unit).storage(storage).is_none() {
        return Some(Err(unknown_hook(unit, name)));
    }
    let ids: Vec<String> = model
        .unit(unit)
        .map(|u| {
            u.storage
                .iter()
                .filter(|s| s.name == storage)
                .map(|s| s.id())
                .collect()
        })
        .unwrap_or_default();
    let id = match (&a.storage, ids.as_slice()) {
        (Some(id), _) if ids.contains(id) => id.clone(),
        (Some(id), _) => {
            return Some(Err(Error::msg(format!(
                "storage {id:?} not found on {unit} ({storage} storage of {unit}: {})",
                list(&ids)
            ))))
        }
        (None, [one]) => one.clone(),
        (None, []) => {
            return Some(Err(Error::msg(format!(
                "{unit} has no {storage:?} storage (a hook can add some with storage-add)"
            ))))
        }
        (None, _) => {
            return Some(Err(Error::msg(format!(
                "{unit} has several {storage:?} storage instances ({}); choose one with --storage NAME/INDEX",
                ids.join(", ")
            ))))
        }
    };
    Some(Ok(HookStep::storage(unit, &id, kind, "dispatch")))
}

/// `secret-<changed|rotate|remove|expired>` for the secret `--secret` names, with its
/// label and revision (`--revision`, default: the latest). `None` when `step` is no secret
/// hook.
fn secret_hook(model: &Model, mut step: HookStep, a: &DispatchArgs) -> Option<Result<HookStep>> {
    let kind = step.hook.strip_prefix("secret-")?;
    if !["changed", "rotate", "remove", "expired"].contains(&kind) {
        return Some(Err(unknown_hook(&step.unit, &step.hook)));
    }
    let Some(id) = a.secret.clone() else {
        return Some(Err(Error::usage(format!(
            "{} needs --secret ID",
            step.hook
        ))));
    };
    let Some(secret) = model
        .secrets
        .iter()
        .find(|s| s.secret.id == id || s.secret.id.ends_with(&format!(":{id}")))
    else {
        return Some(Err(Error::msg(format!("secret {id:?} not found"))));
    };
    let revision = a
        .revision
        .or_else(|| secret.secret.revisions.keys().copied().max())
        .unwrap_or(1);
    let env = &mut step.extra_env;
    env.insert("JUJU_SECRET_ID".into(), secret.secret.id.clone());
    env.insert(
        "JUJU_SECRET_LABEL".into(),
        secret.secret.label.clone().unwrap_or_default(),
    );
    env.insert("JUJU_SECRET_REVISION".into(), revision.to_string());
    Some(Ok(step))
}
