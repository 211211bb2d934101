//! The hook sequences Juju runs when units come and go (juju-protocol.md §4): a new unit's
//! deploy sequence, its pebble-ready hooks, and the joins new units cause.

use super::model::{Effect, HookStep, Model, Step};
use super::storage;

/// `install` → `*-relation-created` → `leader-elected` / `leader-settings-changed` →
/// `config-changed` → `start` → `<storage>-storage-attached` per instance →
/// `<container>-pebble-ready` (§4.1: on Kubernetes storage-attached comes after `start`).
pub fn install_sequence(model: &Model, unit: &str, leader: bool, cause: &str) -> Vec<Step> {
    let mut steps = vec![Step::hook(HookStep::new(unit, "install", cause))];
    for rel in model.relations.values().filter(|r| !r.dying) {
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
        .app
        .meta
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

/// The joins a set of new units causes: on every peer relation each new unit sees every
/// other unit join, and the existing units see each new unit join; on other relations the
/// new units see the remote units join.
pub fn join_sequence(model: &Model, new_units: &[String], cause: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for rel in model.relations.values().filter(|r| !r.dying) {
        if rel.is_peer() {
            for other in model.unit_names() {
                if new_units.contains(&other) {
                    continue;
                }
                for new in new_units {
                    steps.extend(Step::join(&other, rel, new, cause));
                }
            }
            for new in new_units {
                for other in model.unit_names().iter().filter(|o| *o != new) {
                    steps.extend(Step::join(new, rel, other, cause));
                }
            }
        } else {
            for new in new_units {
                for remote in rel.remote_units.keys() {
                    steps.extend(Step::join(new, rel, remote, cause));
                }
                if !rel.remote_app_data.is_empty() {
                    steps.push(Step::relation(new, rel, "changed", None, None, cause));
                }
            }
        }
    }
    steps
}
