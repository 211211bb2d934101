//! Between the global model and one unit's view of it: [`unit_world`] builds the
//! `UnitWorld` jujuc answers from; [`merge`] writes a committed world back into the model
//! and returns the `-relation-changed` hooks other units get for it.

use super::charm;
use super::model::{app_of_unit, HookStep, Model, Relation, Secret, Step};
use jujuc::{HookInfo, RelationWorld, SecretWorld, StatusValue, StorageWorld, UnitWorld};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// What `network-get` prints for a binding on a unit with this address.
fn network(address: &str) -> Value {
    json!({
        "bind-addresses": [{
            "mac-address": "",
            "interface-name": "eth0",
            "addresses": [{"hostname": "", "value": address, "cidr": "10.1.0.0/16"}],
            "macaddress": "",
            "interfacename": "eth0",
        }],
        "egress-subnets": [format!("{address}/32")],
        "ingress-addresses": [address],
    })
}

/// The relations `unit` can see: those whose `-relation-created` it has run.
pub fn unit_world(model: &Model, unit: &str) -> UnitWorld {
    let u = model.unit(unit).expect("unit exists");
    let app = model.app_of(unit).expect("unit exists");
    let leader = model.is_leader(unit);
    let mut relations = Vec::new();
    for rel in model.relations.values() {
        let Some(ru) = rel.units.get(unit).filter(|ru| ru.created) else {
            continue;
        };
        let Some(side) = rel.side(&app.name) else {
            continue;
        };
        let remote_units = ru
            .joined
            .iter()
            .filter_map(|r| rel.unit_bag(r).map(|d| (r.clone(), d.clone())))
            .collect();
        let remote_app_data = if rel.is_peer() {
            rel.app_data.clone()
        } else {
            side.remote_app_data.clone()
        };
        relations.push(RelationWorld {
            id: rel.id,
            endpoint: side.endpoint.to_string(),
            peer: rel.is_peer(),
            remote_app: side.remote_app.to_string(),
            local_app_data: side.app_data.clone(),
            local_unit_data: ru.data.clone(),
            remote_app_data,
            remote_units,
            alive: !rel.dying,
            ..Default::default()
        });
    }
    let mut networks = std::collections::BTreeMap::new();
    for ep in charm::endpoint_names(&app.meta)
        .into_iter()
        .chain(["juju-info".to_string()])
    {
        networks.insert(ep, network(&u.address));
    }
    let secrets = model
        .secrets
        .iter()
        .filter(|s| visible(model, s, unit))
        .map(|s| {
            let mut sw = if observes(s, unit) {
                let mut sw = observed(&s.secret);
                sw.label = u.secret_labels.get(&sw.id).cloned();
                sw
            } else {
                s.secret.clone()
            };
            if let Some(t) = u.tracked_secrets.get(&sw.id) {
                sw.tracked = *t;
            }
            sw
        })
        .collect();
    let other_unit_statuses = app
        .units
        .values()
        .filter(|o| o.name != unit)
        .map(|o| (o.name.clone(), o.status.clone()))
        .collect();
    let config = model.effective_config(&app.name);
    let unset_config_options = charm::option_names(&app.meta)
        .into_iter()
        .filter(|k| !config.contains_key(k))
        .collect();
    UnitWorld {
        unit: unit.to_string(),
        leader,
        model_name: model.name.clone(),
        model_uuid: model.uuid.clone(),
        config,
        relations,
        opened_ports: u.ports.clone(),
        unit_status: u.status.clone(),
        app_status: app.status.clone().unwrap_or(StatusValue {
            status: "unknown".into(),
            message: String::new(),
        }),
        workload_version: u.workload_version.clone(),
        state: u.state.clone(),
        secrets,
        networks,
        planned_units: app
            .units
            .values()
            .filter(|o| o.life == "alive")
            .map(|o| o.name.clone())
            .collect(),
        other_unit_statuses,
        unset_config_options,
        secret_seq: u.secret_seq,
        storages: u
            .storage
            .iter()
            .filter(|s| s.attached)
            .map(storage_world)
            .collect(),
        ..Default::default()
    }
}

/// A storage instance as `storage-list` / `storage-get` show it.
pub fn storage_world(s: &super::model::StorageInstance) -> StorageWorld {
    StorageWorld {
        name: s.name.clone(),
        index: s.index,
        kind: s.kind.clone(),
        location: s.location.clone(),
    }
}

/// Whether `unit` can see the secret: application-owned secrets are the application's;
/// unit-owned ones are their unit's; a remote application's, granted through a relation,
/// while that relation lives and the unit has joined it (run its `-relation-created`).
fn visible(model: &Model, s: &Secret, unit: &str) -> bool {
    if let Some(owner) = &s.owner_app {
        let app = app_of_unit(unit);
        return model.relations.values().any(|r| {
            !r.is_peer()
                && !r.dying
                && r.side(app).is_some_and(|side| side.remote_app == owner)
                && r.units.get(unit).is_some_and(|ru| ru.created)
        });
    }
    if observes(s, unit) {
        return granted(model, s, unit);
    }
    match s.secret.owner.as_deref() {
        Some("unit") => s.owner_unit.as_deref() == Some(unit),
        _ => true,
    }
}

/// Whether `unit` sees `s` as an observer: a secret another deployed application's hook
/// added.
fn observes(s: &Secret, unit: &str) -> bool {
    s.app.as_deref().is_some_and(|a| a != app_of_unit(unit))
}

/// Whether `s` is granted to `unit` (`secret-grant --relation R [--unit U]`): through a
/// live relation `unit` has joined (run its `-relation-created`), to its whole
/// application or to it.
fn granted(model: &Model, s: &Secret, unit: &str) -> bool {
    s.secret.grants.iter().any(|(id, units)| {
        model.relations.get(id).is_some_and(|r| {
            !r.dying
                && r.units.get(unit).is_some_and(|ru| ru.created)
                && (units.is_empty() || units.contains(unit))
        })
    })
}

/// A secret as an observer sees it: no owner, none of the owner's label, grants or
/// metadata; its content by revision.
fn observed(s: &SecretWorld) -> SecretWorld {
    SecretWorld {
        id: s.id.clone(),
        revisions: s.revisions.clone(),
        ..Default::default()
    }
}

/// The `HookInfo` of a step.
pub fn hook_info(model: &Model, step: &HookStep) -> HookInfo {
    let rel = step.relation.and_then(|id| model.relations.get(&id));
    let app = app_of_unit(&step.unit);
    HookInfo {
        hook: step.hook.clone(),
        relation_id: step.relation,
        remote_unit: step.remote_unit.clone(),
        remote_app: rel
            .and_then(|r| r.side(app))
            .map(|s| s.remote_app.to_string()),
        is_action: step.action.is_some(),
        restricted: step.hook == "collect-metrics",
        departing_unit: step.departing_unit.clone(),
        storage_id: step.storage.clone(),
    }
}

/// Writes the committed world of `unit` back into the model: its unit bags, the
/// application bags (leader only), ports, state, secrets. Returns the
/// `-relation-changed` hooks the changes cause on other units of deployed applications
/// (its peers, and the units at the other end of a relation; simulated applications run
/// nothing), for the caller to queue.
pub fn merge(model: &mut Model, unit: &str, before: &UnitWorld, after: &UnitWorld) -> Vec<Step> {
    let mut triggered = Vec::new();
    let leader = model.is_leader(unit);
    let app = app_of_unit(unit).to_string();
    for rel_after in &after.relations {
        let Some(rel_before) = before.relations.iter().find(|r| r.id == rel_after.id) else {
            continue;
        };
        let Some(rel) = model.relations.get_mut(&rel_after.id) else {
            continue;
        };
        let unit_changed = rel_before.local_unit_data != rel_after.local_unit_data;
        let app_changed = leader && rel_before.local_app_data != rel_after.local_app_data;
        if unit_changed {
            if let Some(ru) = rel.units.get_mut(unit) {
                ru.data = rel_after.local_unit_data.clone();
            }
        }
        if app_changed {
            if let Some(bag) = rel.app_bag_mut(&app) {
                *bag = rel_after.local_app_data.clone();
            }
        }
        if rel.dying {
            continue;
        }
        let rel: &Relation = rel;
        for (other, ou) in &rel.units {
            // Peers: the application's other units; otherwise the other application's.
            let same_app = app_of_unit(other) == app;
            if other == unit || same_app != rel.is_peer() {
                continue;
            }
            if unit_changed && ou.joined.contains(unit) {
                triggered.push(changed(rel, other, Some(unit)));
            }
            // Also for a unit that has not run its -relation-created yet: it sees the
            // application's data once it has (before its joins, see `queue_triggered`).
            if app_changed {
                triggered.push(changed(rel, other, None));
            }
        }
    }
    let secrets_before: BTreeSet<&str> = before.secrets.iter().map(|s| s.id.as_str()).collect();
    let u = model.unit_mut(unit).expect("unit exists");
    u.ports = after.opened_ports.clone();
    u.state = after.state.clone();
    u.secret_seq = after.secret_seq;
    for s in &after.secrets {
        u.tracked_secrets.insert(s.id.clone(), s.tracked);
        // An observer's world has no owner: its label is the consumer's own.
        if s.owner.is_none() {
            if let Some(label) = &s.label {
                u.secret_labels.insert(s.id.clone(), label.clone());
            }
        }
    }
    merge_secrets(model, unit, &secrets_before, &after.secrets);
    let new_revisions: Vec<&str> = after
        .secrets
        .iter()
        .filter(|s| s.owner.is_some() && latest(s) > before_latest(before, &s.id))
        .map(|s| s.id.as_str())
        .collect();
    triggered.extend(secret_changed(model, &new_revisions));
    triggered
}

fn latest(s: &SecretWorld) -> u64 {
    s.revisions.keys().copied().max().unwrap_or(0)
}

fn before_latest(before: &UnitWorld, id: &str) -> u64 {
    before.secrets.iter().find(|s| s.id == id).map_or(0, latest)
}

/// `secret-changed` on every unit that observes one of `ids` (a secret another application
/// owns, granted to it), has read a revision of it (tracks one: Juju sends the hook to
/// consumers only) and was not yet told of its newest revision.
fn secret_changed(model: &mut Model, ids: &[&str]) -> Vec<Step> {
    let mut steps = Vec::new();
    for id in ids {
        let Some(s) = model.secrets.iter().find(|s| s.secret.id == *id) else {
            continue;
        };
        let newest = latest(&s.secret);
        let consumers: Vec<String> = model
            .units()
            .filter(|u| observes(s, &u.name) && visible(model, s, &u.name))
            .filter(|u| {
                u.tracked_secrets
                    .get(*id)
                    .is_some_and(|t| *t > 0 && *t < newest)
            })
            .filter(|u| u.secret_changed.get(*id).is_none_or(|n| *n < newest))
            .map(|u| u.name.clone())
            .collect();
        for name in consumers {
            let Some(u) = model.unit_mut(&name) else {
                continue;
            };
            u.secret_changed.insert(id.to_string(), newest);
            let mut step = HookStep::new(&name, "secret-changed", "secret revision added");
            step.extra_env
                .insert("JUJU_SECRET_ID".into(), id.to_string());
            step.extra_env.insert(
                "JUJU_SECRET_LABEL".into(),
                u.secret_labels.get(*id).cloned().unwrap_or_default(),
            );
            step.extra_env
                .insert("JUJU_SECRET_REVISION".into(), newest.to_string());
            steps.push(Step::hook(step));
        }
    }
    steps
}

/// `-relation-changed` on `unit` about `remote` (a unit) or the other application's bag.
fn changed(rel: &Relation, unit: &str, remote: Option<&str>) -> Step {
    Step::relation(unit, rel, "changed", remote, None, "relation data changed")
}

fn merge_secrets(model: &mut Model, unit: &str, before: &BTreeSet<&str>, after: &[SecretWorld]) {
    let after_ids: BTreeSet<&str> = after.iter().map(|s| s.id.as_str()).collect();
    // Removed by this unit (observers remove nothing).
    model.secrets.retain(|s| {
        observes(s, unit)
            || !before.contains(s.secret.id.as_str())
            || after_ids.contains(s.secret.id.as_str())
    });
    let app = app_of_unit(unit).to_string();
    for s in after {
        let owner_unit = (s.owner.as_deref() == Some("unit")).then(|| unit.to_string());
        match model.secrets.iter_mut().find(|g| g.secret.id == s.id) {
            // Observed: the unit's tracked revision is all it changes (saved with the unit).
            Some(g) if observes(g, unit) => {}
            Some(g) => {
                let tracked = g.secret.tracked;
                g.secret = s.clone();
                g.secret.tracked = tracked.max(s.revisions.keys().copied().max().unwrap_or(0));
                if owner_unit.is_some() {
                    g.owner_unit = owner_unit;
                }
            }
            None => model.secrets.push(Secret {
                secret: s.clone(),
                owner_unit,
                owner_app: None,
                app: Some(app.clone()),
            }),
        }
    }
}
