//! The hook sequences Juju runs when units come and go (juju-protocol.md §4): a new unit's
//! deploy sequence, its pebble-ready hooks, and the joins new units cause.

use super::model::{app_of_unit, Effect, HookStep, Model, Relation, Step};
use super::storage;

/// `install` → `*-relation-created` → `leader-elected` / `leader-settings-changed` →
/// `config-changed` → `start` → `<storage>-storage-attached` per instance →
/// `<container>-pebble-ready` (§4.1: on Kubernetes storage-attached comes after `start`).
pub fn install_sequence(model: &Model, unit: &str, leader: bool, cause: &str) -> Vec<Step> {
    let mut steps = vec![Step::hook(HookStep::new(unit, "install", cause))];
    let app = app_of_unit(unit);
    for rel in model
        .relations
        .values()
        .filter(|r| !r.dying && r.side(app).is_some())
    {
        steps.push(Step::relation(
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
    steps.push(Step::hook(HookStep::new(unit, leadership, cause)));
    steps.push(Step::hook(HookStep::new(unit, "config-changed", cause)));
    steps.push(Step::hook(HookStep::new(unit, "start", cause)));
    steps.extend(storage::attached_steps(model, unit, cause));
    steps.extend(pebble_ready(model, unit, cause));
    steps
}

/// `<container>-pebble-ready` on `unit` for each of the charm's containers.
pub fn pebble_ready(model: &Model, unit: &str, cause: &str) -> Vec<Step> {
    model
        .meta_of(unit)
        .containers
        .iter()
        .map(|c| {
            Step::hook(HookStep {
                workload: Some(c.name.clone()),
                ..HookStep::new(unit, &format!("{}-pebble-ready", c.name), cause)
            })
        })
        .collect()
}

/// The joins a set of new units of one application causes, in Juju's order
/// (`internal/worker/uniter/relation/resolver.go`): on every peer relation each new unit
/// sees every other unit join, and the existing units see each new unit join; on other
/// relations each new unit first runs the application-level `-relation-changed` when the
/// other application's bag is already set ("trigger all app hooks first"), then sees the
/// other side's units join (sorted by name), and the other side's deployed units see it
/// join.
pub fn join_sequence(model: &Model, new_units: &[String], cause: &str) -> Vec<Step> {
    let Some(app) = new_units.first().map(|u| app_of_unit(u)) else {
        return vec![];
    };
    let mut steps = Vec::new();
    for rel in model.relations.values().filter(|r| !r.dying) {
        let Some(side) = rel.side(app) else { continue };
        if rel.is_peer() {
            let units = model.units_of(app);
            for other in &units {
                if new_units.contains(other) {
                    continue;
                }
                for new in new_units {
                    steps.extend(Step::join(other, rel, new, cause));
                }
            }
            for new in new_units {
                if !side.app_data.is_empty() {
                    steps.push(Step::relation(new, rel, "changed", None, None, cause));
                }
                for other in units.iter().filter(|o| *o != new) {
                    steps.extend(Step::join(new, rel, other, cause));
                }
            }
        } else {
            let remote = rel.units_of_other_side(app);
            for new in new_units {
                steps.extend(first_sight(rel, app, new, &remote, cause));
            }
            for r in remote.iter().filter(|r| rel.units.contains_key(*r)) {
                for new in new_units {
                    steps.extend(Step::join(r, rel, new, cause));
                }
            }
        }
    }
    steps
}

/// What `unit` (of `app`) runs when it first sees the other side of `rel`: the
/// application-level `-relation-changed` if the other application's bag is set, then
/// `-relation-joined` / `-relation-changed` for each of `remote` (Juju's resolver: app
/// hooks first, then joins in unit-name order, each followed by its `-changed`).
pub fn first_sight(
    rel: &Relation,
    app: &str,
    unit: &str,
    remote: &[String],
    cause: &str,
) -> Vec<Step> {
    let mut steps = Vec::new();
    if rel.side(app).is_some_and(|s| !s.remote_app_data.is_empty()) {
        steps.push(Step::relation(unit, rel, "changed", None, None, cause));
    }
    let mut sorted = remote.to_vec();
    sorted.sort();
    for r in &sorted {
        steps.extend(Step::join(unit, rel, r, cause));
    }
    steps
}
