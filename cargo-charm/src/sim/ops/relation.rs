//! Relations to a simulated remote application: `relate`, `set-data`, `unrelate`.

use super::super::charm::valid_name;
use super::super::model::{address_keys, Effect, Model, Relation, RelationUnit, Step};
use super::super::sequence::first_sight;
use super::super::{Sim, Summary};
use super::lookup::{check_endpoint, find_relation};
use crate::error::{Error, Result};
use jujuc::BagData;

fn parse_bag(pairs: &[(String, String)]) -> BagData {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
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

/// `relate`: a relation of `app` to a simulated remote application; every unit runs
/// `-relation-created`, then, in Juju's order, the application-level `-relation-changed`
/// when the remote application's data is given, and `-relation-joined` /
/// `-relation-changed` per remote unit.
pub fn relate(sim: &mut Sim, app: &str, a: &RelateArgs) -> Result<Summary> {
    let model = &sim.model;
    let role = check_endpoint(model, app, &a.endpoint)?;
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
    if a.remote_app == app {
        return Err(Error::msg(format!(
            "{:?} is this application; peer relations exist from deploy",
            a.remote_app
        )));
    }
    if model.app(&a.remote_app).is_some() {
        return Err(Error::msg(format!(
            "{:?} is a deployed application: relate them with `sim integrate {app}:{} {}`",
            a.remote_app, a.endpoint, a.remote_app
        )));
    }
    if model.relations.values().any(|r| {
        !r.dying
            && r.side(app)
                .is_some_and(|s| s.endpoint == a.endpoint && s.remote_app == a.remote_app)
    }) {
        return Err(Error::msg(format!(
            "relation {app}:{} {}:{} already exists",
            a.endpoint,
            a.remote_app,
            a.remote_endpoint.as_deref().unwrap_or(&a.endpoint)
        )));
    }
    check_limit(model, app, &a.endpoint)?;
    let meta = &model.app(app).expect("checked").meta;
    let (_, ep) = meta.endpoint(&a.endpoint).expect("checked");
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
    let units = sim.model.units_of(app);
    let rel = Relation {
        id,
        app: app.to_string(),
        endpoint: a.endpoint.clone(),
        interface,
        role: role.to_string(),
        remote_app: a.remote_app.clone(),
        remote_endpoint: a
            .remote_endpoint
            .clone()
            .unwrap_or_else(|| a.endpoint.clone()),
        app_data: BagData::new(),
        units: units
            .iter()
            .map(|u| (u.clone(), RelationUnit::default()))
            .collect(),
        remote_app_data: parse_bag(&a.app_data),
        remote_units,
        dying: false,
    };
    let cause = "relate";
    let mut steps: Vec<Step> = units
        .iter()
        .map(|u| Step::relation(u, &rel, "created", None, Some(Effect::Create), cause))
        .collect();
    let remote: Vec<String> = rel.remote_units.keys().cloned().collect();
    for u in &units {
        steps.extend(first_sight(&rel, app, u, &remote, cause));
    }
    sim.model.relations.insert(id, rel);
    sim.execute(steps)
}

/// Refuses a new relation on `app:endpoint` beyond the endpoint's `limit`, in Juju's words.
pub(super) fn check_limit(model: &Model, app: &str, endpoint: &str) -> Result<()> {
    let meta = &model.app(app).expect("checked").meta;
    let (_, ep) = meta.endpoint(endpoint).expect("checked");
    let existing = model
        .relations
        .values()
        .filter(|r| !r.dying && r.side(app).is_some_and(|s| s.endpoint == endpoint))
        .count() as u64;
    match ep.limit.map(u64::from) {
        Some(limit) if existing >= limit => Err(Error::msg(format!(
            "establishing a new relation for {app}:{endpoint} would exceed its maximum relation limit of {limit}"
        ))),
        _ => Ok(()),
    }
}

/// `set-data`: changes the remote application's bag (`target` = the application) or one
/// remote unit's bag; `""` deletes a key. Every local unit that sees the bag runs
/// `-relation-changed`. Returns `None` when nothing changed.
pub fn set_data(
    sim: &mut Sim,
    app: &str,
    endpoint: &str,
    target: &str,
    pairs: &[(String, String)],
) -> Result<Option<Summary>> {
    let remote_app = target.split('/').next().unwrap_or(target);
    if check_endpoint(&sim.model, app, endpoint)? == "peer" {
        return Err(Error::msg(format!(
            "endpoint {endpoint:?} is a peer endpoint: its bags belong to the charm's own units"
        )));
    }
    let id = find_relation(&sim.model, app, endpoint, remote_app)?;
    if sim.model.app(remote_app).is_some() {
        return Err(Error::msg(format!(
            "{remote_app:?} is a deployed application: its charm sets its relation data"
        )));
    }
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
            Step::relation(
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
pub fn unrelate(sim: &mut Sim, app: &str, endpoint: &str, remote_app: &str) -> Result<Summary> {
    if check_endpoint(&sim.model, app, endpoint)? == "peer" {
        return Err(Error::msg(format!(
            "endpoint {endpoint:?} is a peer endpoint: peer relations cannot be removed"
        )));
    }
    let id = find_relation(&sim.model, app, endpoint, remote_app)?;
    let steps = teardown(&mut sim.model, id, "unrelate");
    sim.execute(steps)
}

/// Marks relation `id` dying and returns its teardown: each unit in it (by name, both
/// sides') runs `-relation-departed` for each unit it has seen join, then
/// `-relation-broken`; then the relation is removed.
pub(super) fn teardown(model: &mut Model, id: u64, cause: &str) -> Vec<Step> {
    let rel = model.relations.get_mut(&id).expect("found");
    rel.dying = true;
    let rel = rel.clone();
    let mut steps = Vec::new();
    for (u, ru) in &rel.units {
        for r in &ru.joined {
            steps.push(Step::relation(
                u,
                &rel,
                "departed",
                Some(r),
                Some(Effect::Depart),
                cause,
            ));
        }
        if ru.created {
            steps.push(Step::relation(u, &rel, "broken", None, None, cause));
        }
    }
    steps.push(Step::RemoveRelation { relation: id });
    steps
}
