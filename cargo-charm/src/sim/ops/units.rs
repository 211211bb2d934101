//! Commands on units: `delete-pod` (pod churn), `leader`, `scale`.

use super::super::model::{Effect, HookStep, RelationUnit, Step, Unit};
use super::super::sequence::{install_sequence, join_sequence, pebble_ready};
use super::super::storage;
use super::super::{Sim, Summary};
use super::lookup::check_unit;
use crate::error::Result;

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
    sim.execute(steps)
}

/// `leader`: moves leadership; the new leader runs `leader-elected`, the others
/// `leader-settings-changed`. Returns `None` if `unit` already leads.
pub fn leader(sim: &mut Sim, unit: &str) -> Result<Option<Summary>> {
    check_unit(&sim.model, unit)?;
    if sim.model.is_leader(unit) {
        return Ok(None);
    }
    sim.model.app.leader = Some(unit.to_string());
    let mut steps = vec![Step::hook(HookStep::new(unit, "leader-elected", "leader"))];
    for u in sim.model.unit_names() {
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
            let unit = Unit::new(&app, n);
            let name = unit.name.clone();
            sim.store.fresh_charm_copy(&name)?;
            for rel in sim.model.relations.values_mut().filter(|r| !r.dying) {
                rel.units.insert(name.clone(), RelationUnit::default());
            }
            sim.model.units.insert(n, unit);
            storage::provision(&sim.store, &mut sim.model, &name)?;
            new.push(name);
        }
        sim.start_pebbles(&new)?;
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
                if rel.is_peer() {
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
            }
            steps.extend(storage::detaching_steps(&sim.model, u, cause));
            steps.push(Step::hook(HookStep::new(u, "remove", cause)));
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
                steps.push(Step::hook(HookStep::new(&n, "leader-elected", cause)));
            }
        }
    }
    sim.execute(steps).map(Some)
}
