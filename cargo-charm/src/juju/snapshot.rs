//! What the front end reads from a simulated model ([`crate::sim::api`]'s plain data), in
//! Juju's shapes ([`super::format`](mod@super::format)).

use super::format::config::OptionInfo;
use super::format::secret::{SecretContent, SecretDetails};
use super::format::status::{
    AppRelation, AppStatus, Base, ControllerStatus, ModelStatus, RelationRow, Status, StatusInfo,
    UnitStatus,
};
use super::format::task::TaskResult;
use super::format::time;
use super::format::unit::{RelationData, UnitInfo, UnitRelationData};
use super::home::{ModelRecord, CONTROLLER};
use crate::fsutil;
use crate::sim::api::{ConfigEntry, SecretView, Snapshot, StatusView, UnitDetail};
use crate::sim::model::{Model, Task, JUJU_VERSION};
use std::collections::BTreeMap;

/// The cloud and region every simulated model is on.
pub const CLOUD: (&str, &str) = ("local", "k8s");

fn info(s: &StatusView) -> StatusInfo {
    StatusInfo {
        current: s.current.clone(),
        message: s.message.clone(),
        since: time::since(s.since),
        version: String::new(),
    }
}

/// The interface and peer-ness of each relation, by id.
fn relation_kinds(snap: &Snapshot) -> BTreeMap<u64, (String, bool)> {
    snap.relations
        .iter()
        .map(|r| (r.id, (r.interface.clone(), r.kind == "peer")))
        .collect()
}

/// `juju status` of the model `rec`.
pub fn status(rec: &ModelRecord, snap: &Snapshot) -> Status {
    let now = fsutil::now_secs();
    let mut out = Status {
        model: ModelStatus {
            name: rec.name.clone(),
            kind: "caas".into(),
            controller: CONTROLLER.into(),
            cloud: CLOUD.0.into(),
            region: CLOUD.1.into(),
            version: snap.version.clone(),
            model_status: StatusInfo {
                current: "available".into(),
                since: time::since(rec.created),
                ..StatusInfo::default()
            },
            sla: "unsupported".into(),
        },
        machines: BTreeMap::new(),
        applications: BTreeMap::new(),
        storage: BTreeMap::new(),
        controller: ControllerStatus {
            timestamp: time::clock(now),
        },
        relations: vec![],
    };
    // endpoint (app:endpoint) → interface, for the applications' relation lists.
    let mut interfaces: BTreeMap<String, String> = BTreeMap::new();
    for r in &snap.relations {
        interfaces.insert(r.provider.clone(), r.interface.clone());
        interfaces.insert(r.requirer.clone(), r.interface.clone());
        out.relations.push(RelationRow {
            provider: r.provider.clone(),
            requirer: r.requirer.clone(),
            interface: r.interface.clone(),
            kind: r.kind.clone(),
            message: if r.status == "joined" {
                String::new()
            } else {
                r.status.clone()
            },
        });
    }
    for app in &snap.apps {
        let units = app
            .units
            .iter()
            .map(|u| {
                let mut agent = info(&u.agent);
                agent.version = JUJU_VERSION.into();
                (
                    u.name.clone(),
                    UnitStatus {
                        workload_status: info(&u.workload),
                        juju_status: agent,
                        leader: u.leader,
                        open_ports: u.ports.clone(),
                        address: u.address.clone(),
                        provider_id: u.provider_id.clone(),
                    },
                )
            })
            .collect();
        let relations = app
            .relations
            .iter()
            .map(|(endpoint, related)| {
                let interface = interfaces
                    .get(&format!("{}:{endpoint}", app.name))
                    .cloned()
                    .unwrap_or_default();
                let list = related
                    .iter()
                    .map(|r| AppRelation {
                        related_application: r.clone(),
                        interface: interface.clone(),
                        scope: "global".into(),
                    })
                    .collect();
                (endpoint.clone(), list)
            })
            .collect();
        let mut endpoint_bindings = BTreeMap::from([(String::new(), "alpha".to_string())]);
        for e in &app.endpoints {
            endpoint_bindings.insert(e.clone(), "alpha".into());
        }
        let store = app.charm_origin == "charmhub";
        out.applications.insert(
            app.name.clone(),
            AppStatus {
                charm: if store {
                    app.charm.clone()
                } else {
                    format!("local:{}-{}", app.charm, app.charm_rev)
                },
                base: Some(Base {
                    name: "ubuntu".into(),
                    channel: "22.04".into(),
                }),
                charm_origin: app.charm_origin.clone(),
                charm_name: app.charm.clone(),
                charm_rev: app.charm_rev,
                charm_channel: app.channel.clone().unwrap_or_default(),
                scale: app.scale,
                provider_id: String::new(),
                address: app.address.clone(),
                exposed: false,
                life: String::new(),
                application_status: info(&app.status),
                relations,
                units,
                version: app.workload_version.clone(),
                endpoint_bindings,
            },
        );
    }
    out
}

/// `juju status --format json|yaml` of a simulator state directory's model (`cargo charm
/// sim status --format`): named as the simulator names it.
pub fn sim_status(model: &Model, format: super::format::Format) -> String {
    let rec = ModelRecord {
        name: model.name.clone(),
        uuid: model.uuid.clone(),
        created: model.events.first().map_or_else(fsutil::now_secs, |e| e.at),
        constraints: BTreeMap::new(),
        config: BTreeMap::new(),
    };
    let snap = crate::sim::api::snapshot(model);
    let s = status(&rec, &snap);
    super::format::machine(&s, format).unwrap_or_default()
}

/// `sim show-unit UNIT --format json|yaml`: `juju show-unit`'s output for a loaded model
/// and an existing unit.
pub fn sim_show_unit(model: &Model, unit: &str, format: super::format::Format) -> String {
    let snap = crate::sim::api::snapshot(model);
    let info = unit_info(crate::sim::api::unit_detail(model, unit), &snap);
    super::format::unit::show_units(vec![(unit.to_string(), info)], format)
}

/// `juju show-unit UNIT`, given the model's status (for the relations' kinds).
pub fn unit_info(d: UnitDetail, snap: &Snapshot) -> UnitInfo {
    let kinds = relation_kinds(snap);
    let relation_info = d
        .relations
        .into_iter()
        .map(|r| {
            let peer = kinds.get(&r.id).is_some_and(|(_, p)| *p);
            RelationData {
                relation_id: r.id,
                endpoint: r.endpoint,
                cross_model: false,
                related_endpoint: r.related_endpoint,
                application_data: r.application_data,
                // Juju lists the unit itself among the related units of a peer relation
                // only (see format::unit).
                local_unit: peer.then_some(UnitRelationData {
                    in_scope: true,
                    data: Some(r.local_unit),
                }),
                related_units: r
                    .related_units
                    .into_iter()
                    .map(|(n, data)| {
                        (
                            n,
                            UnitRelationData {
                                in_scope: true,
                                data: Some(data),
                            },
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    UnitInfo {
        workload_version: d.workload_version,
        opened_ports: (!d.opened_ports.is_empty()).then_some(d.opened_ports),
        charm: d.charm,
        leader: d.leader,
        life: d.life,
        relation_info,
        provider_id: d.provider_id,
        address: d.address,
    }
}

/// The charm's options, for `juju config`.
pub fn options(entries: Vec<ConfigEntry>) -> Vec<OptionInfo> {
    entries
        .into_iter()
        .map(|e| OptionInfo {
            user: (e.source == "user").then(|| e.value.clone()).flatten(),
            name: e.name,
            kind: e.kind,
            description: e.description,
            default: e.default,
        })
        .collect()
}

/// A Juju tag (`application-x`, `unit-x-0`) as `juju secrets` names the owner.
fn owner_name(tag: &str) -> String {
    if let Some(app) = tag.strip_prefix("application-") {
        return app.to_string();
    }
    if let Some(unit) = tag.strip_prefix("unit-") {
        if let Some((app, n)) = unit.rsplit_once('-') {
            return format!("{app}/{n}");
        }
    }
    tag.to_string()
}

/// A secret, for `juju show-secret` / `juju secrets`.
pub fn secret(s: &SecretView, reveal: bool, at: i64) -> SecretDetails {
    SecretDetails {
        revision: s.revision,
        checksum: String::new(),
        expires: s.expire.clone(),
        rotation: s.rotation.clone(),
        owner: owner_name(&s.owner),
        description: s.description.clone(),
        label: s.label.clone(),
        created: time::rfc3339(at),
        updated: time::rfc3339(at),
        content: reveal.then(|| SecretContent {
            data: s.content.clone(),
        }),
    }
}

/// A task the simulator ran, for `juju run`.
pub fn task(t: &Task) -> TaskResult {
    TaskResult {
        id: t.id.to_string(),
        unit: t.unit.clone(),
        status: t.status.clone(),
        message: t.message.clone(),
        results: t.results.clone(),
        log: t.logs.clone(),
        stdout: t.stdout.clone(),
        stderr: t.stderr.clone(),
        return_code: t.return_code,
        at: fsutil::now_secs(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners() {
        assert_eq!(owner_name("application-db"), "db");
        assert_eq!(owner_name("unit-my-app-3"), "my-app/3");
    }
}
