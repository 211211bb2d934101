//! Commands on units: `delete-pod` (pod churn), `leader`, `scale`.

use super::super::model::{app_of_unit, Effect, HookStep, RelationUnit, Step};
use super::super::sequence::{install_sequence, join_sequence, pebble_ready};
use super::super::storage;
use super::super::{Sim, Summary};
use super::deploy;
use super::lookup::check_unit;
use crate::error::{Error, Result};

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
    let steps = new_pod(sim, unit, "delete-pod");
    sim.execute(steps)
}

/// The steps of `unit`'s pod being replaced (§4.3): `stop`, a fresh charm directory and
/// containers, `upgrade-charm`, `config-changed`, `leader-settings-changed`
/// (non-leaders), `start`, `<container>-pebble-ready`.
pub(super) fn new_pod(sim: &Sim, unit: &str, cause: &str) -> Vec<Step> {
    let mut steps = vec![
        Step::hook(HookStep::new(unit, "stop", cause)),
        Step::FreshPod {
            unit: unit.to_string(),
        },
        Step::hook(HookStep::new(unit, "upgrade-charm", cause)),
        Step::hook(HookStep::new(unit, "config-changed", cause)),
    ];
    if !sim.model.is_leader(unit) {
        steps.push(Step::hook(HookStep::new(
            unit,
            "leader-settings-changed",
            cause,
        )));
    }
    steps.push(Step::hook(HookStep::new(unit, "start", cause)));
    steps.extend(pebble_ready(&sim.model, unit, cause));
    steps
}

/// `leader`: moves leadership; the new leader runs `leader-elected`, the others
/// `leader-settings-changed`. Returns `None` if `unit` already leads.
pub fn leader(sim: &mut Sim, unit: &str) -> Result<Option<Summary>> {
    check_unit(&sim.model, unit)?;
    if sim.model.is_leader(unit) {
        return Ok(None);
    }
    let app = app_of_unit(unit).to_string();
    sim.model.app_mut(&app).expect("checked").leader = Some(unit.to_string());
    let mut steps = vec![Step::hook(HookStep::new(unit, "leader-elected", "leader"))];
    for u in sim.model.units_of(&app) {
        if u != unit {
            steps.push(Step::hook(HookStep::new(
                &u,
                "leader-settings-changed",
                "leader",
            )));
        }
    }
    sim.execute(steps).map(Some)
}

/// `scale`: adds units to `app` (each gets its storage and runs the deploy sequence; its
/// peers and the units at the other end of its relations see it join) or removes its
/// highest-numbered ones (teardown, §4.4: `stop`, `-relation-departed` /
/// `-relation-broken`, `-storage-detaching`, `remove`; the others see it depart; a new
/// leader is elected if the leader goes; the unit's storage goes with it).
pub fn scale(sim: &mut Sim, app: &str, target: u32) -> Result<Option<Summary>> {
    let current = sim.model.units_of(app).len() as u32;
    if target == current {
        return Ok(None);
    }
    if target > current {
        return add_units(sim, app, target - current).map(Some);
    }
    let going: Vec<String> = sim
        .model
        .units_of(app)
        .into_iter()
        .rev()
        .take((current - target) as usize)
        .collect();
    remove_units(sim, &going).map(Some)
}

/// `add-unit`: `count` new units of `app`, each with its storage, running the deploy
/// sequence; its peers and the units at the other end of its relations see them join.
pub fn add_units(sim: &mut Sim, app: &str, count: u32) -> Result<Summary> {
    let cause = "scale";
    let new = deploy::create_units(sim, app, count)?;
    for name in &new {
        for rel in sim
            .model
            .relations
            .values_mut()
            .filter(|r| !r.dying && r.side(app).is_some())
        {
            rel.units.insert(name.clone(), RelationUnit::default());
        }
    }
    sim.start_pebbles(&new)?;
    let elect = sim.model.app(app).is_some_and(|a| a.leader.is_none());
    let mut steps = Vec::new();
    for (i, u) in new.iter().enumerate() {
        let leader = elect && i == 0;
        if leader {
            sim.model.app_mut(app).expect("exists").leader = Some(u.clone());
        }
        steps.extend(install_sequence(&sim.model, u, leader, cause));
    }
    steps.extend(join_sequence(&sim.model, &new, cause));
    sim.execute(steps)
}

/// `remove-unit`: the units go one after the other (teardown, §4.4); a new leader is
/// elected if the leader goes.
pub fn remove_units(sim: &mut Sim, going: &[String]) -> Result<Summary> {
    for u in going {
        check_unit(&sim.model, u)?;
    }
    let steps = unit_teardown(sim, going, "scale");
    sim.execute(steps)
}

/// The teardown of `going` (existing units), one after the other; marks them dying and
/// elects new leaders where the leader goes.
pub(super) fn unit_teardown(sim: &mut Sim, going: &[String], cause: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for u in going {
        if let Some(unit) = sim.model.unit_mut(u) {
            unit.life = "dying".into();
        }
    }
    // Units leave one after the other: a unit that already left is no longer seen.
    let mut gone: Vec<&String> = Vec::new();
    for u in going {
        steps.push(Step::hook(HookStep::new(u, "stop", cause)));
        for rel in sim.model.relations.values() {
            let Some(ru) = rel.units.get(u) else { continue };
            for r in ru.joined.iter().filter(|r| !gone.contains(r)) {
                // The departing unit itself: JUJU_DEPARTING_UNIT is itself.
                let mut step =
                    Step::relation(u, rel, "departed", Some(r), Some(Effect::Depart), cause);
                if let Step::Hook(h) = &mut step {
                    h.departing_unit = Some(u.clone());
                }
                steps.push(step);
            }
            if !rel.is_peer() && ru.created {
                steps.push(Step::relation(u, rel, "broken", None, None, cause));
            }
            // The units that saw it join (peers, or the other application's) see it go.
            for (other, oru) in &rel.units {
                if other != u && !gone.contains(&other) && oru.joined.contains(u) {
                    steps.push(Step::relation(
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
        steps.extend(storage::detaching_steps(&sim.model, u, cause));
        steps.push(Step::hook(HookStep::new(u, "remove", cause)));
        steps.push(Step::RemoveUnit { unit: u.clone() });
        gone.push(u);
    }
    let mut apps: Vec<&str> = going.iter().map(|u| app_of_unit(u)).collect();
    apps.dedup();
    for app in apps {
        let leader_going = sim
            .model
            .app(app)
            .and_then(|a| a.leader.as_ref())
            .is_some_and(|l| going.contains(l));
        if leader_going {
            let next = sim
                .model
                .units_of(app)
                .into_iter()
                .find(|u| !going.contains(u));
            sim.model.app_mut(app).expect("exists").leader = next.clone();
            if let Some(n) = next {
                steps.push(Step::hook(HookStep::new(&n, "leader-elected", cause)));
            }
        }
    }
    steps
}

/// `resolve`: clears `unit`'s hook error. With `retry`, its failed hook runs again first
/// (failing again, the unit stays in error); without, the hook is skipped. Either way, the
/// hooks that waited for the unit then run.
pub fn resolve(sim: &mut Sim, unit: &str, retry: bool) -> Result<Summary> {
    check_unit(&sim.model, unit)?;
    let u = sim.model.unit(unit).expect("checked");
    if u.error.is_none() {
        return Err(Error::msg(format!(
            "unit {unit:?} is not in an error state"
        )));
    }
    sim.model.resolve(unit, retry);
    sim.save()?;
    sim.run_queue()
}
