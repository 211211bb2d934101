//! What the front end reads from a simulated model, in Juju's shapes ([`super::format`](mod@super::format)).
//!
//! TODO(multiapp sim::api): this reads the single-application model directly (`Model::app`,
//! `Model::units`); it moves onto the simulator's status-snapshot API once several
//! applications share a model.

use super::format::config::OptionInfo;
use super::format::status::{
    self, AppRelation, AppStatus, Base, ControllerStatus, ModelStatus, RelationRow, Status,
    StatusInfo, UnitStatus,
};
use super::format::task::TaskResult;
use super::format::time;
use super::format::unit::{RelationData, UnitInfo, UnitRelationData};
use super::home::{ModelRecord, CONTROLLER};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::sim::model::{Model, Task, JUJU_VERSION};
use crate::sim::{charm, show};
use std::collections::BTreeMap;

/// The cloud and region every simulated model is on.
pub const CLOUD: (&str, &str) = ("local", "k8s");

/// The charm URL of a locally deployed charm.
pub fn charm_url(model: &Model) -> String {
    format!("local:{}-0", model.app.meta.name)
}

/// When `unit` last ran a hook (its statuses' `since`), else when anything last ran.
fn last_change(model: &Model, unit: Option<&str>) -> i64 {
    model
        .events
        .iter()
        .rev()
        .find(|e| unit.is_none_or(|u| e.unit == u))
        .map(|e| e.at)
        .unwrap_or_else(fsutil::now_secs)
}

fn info(current: &str, message: &str, at: i64) -> StatusInfo {
    StatusInfo {
        current: current.into(),
        message: message.into(),
        since: time::since(at),
        version: String::new(),
    }
}

/// `juju status` of the model `rec`; `model` is `None` before anything is deployed.
pub fn status(rec: &ModelRecord, model: Option<&Model>) -> Status {
    let now = fsutil::now_secs();
    let mut out = Status {
        model: ModelStatus {
            name: rec.name.clone(),
            kind: "caas".into(),
            controller: CONTROLLER.into(),
            cloud: CLOUD.0.into(),
            region: CLOUD.1.into(),
            version: JUJU_VERSION.into(),
            model_status: info("available", "", rec.created),
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
    let Some(model) = model else {
        return out;
    };
    let app = &model.app;
    let mut units = BTreeMap::new();
    for u in model.units.values() {
        let at = last_change(model, Some(&u.name));
        let shown = show::shown_status(model, &u.name);
        let agent = if u.life == "dying" {
            "executing"
        } else {
            "idle"
        };
        units.insert(
            u.name.clone(),
            UnitStatus {
                workload_status: info(&shown.status, &shown.message, at),
                juju_status: StatusInfo {
                    version: JUJU_VERSION.into(),
                    ..info(agent, "", at)
                },
                leader: model.is_leader(&u.name),
                open_ports: u.ports.iter().cloned().collect(),
                address: u.address.clone(),
                provider_id: u.name.replace('/', "-"),
            },
        );
    }
    let application_status = match &app.status {
        Some(s) => info(&s.status, &s.message, last_change(model, None)),
        None => {
            let all: Vec<&StatusInfo> = units.values().map(|u| &u.workload_status).collect();
            status::derive(&all)
        }
    };
    let mut relations: BTreeMap<String, Vec<AppRelation>> = BTreeMap::new();
    for r in model.relations.values() {
        relations
            .entry(r.endpoint.clone())
            .or_default()
            .push(AppRelation {
                related_application: r.remote_app.clone(),
                interface: r.interface.clone(),
                scope: "global".into(),
            });
        let local = format!("{}:{}", app.name, r.endpoint);
        let remote = format!("{}:{}", r.remote_app, r.remote_endpoint);
        let (provider, requirer) = if r.role == "requires" {
            (remote, local)
        } else {
            (local, remote)
        };
        out.relations.push(RelationRow {
            provider,
            requirer,
            interface: r.interface.clone(),
            kind: if r.is_peer() { "peer" } else { "regular" }.into(),
            message: if r.dying {
                "removing".into()
            } else {
                String::new()
            },
        });
    }
    let meta = &app.meta;
    let mut endpoint_bindings = BTreeMap::from([(String::new(), "alpha".to_string())]);
    for ep in meta
        .peers
        .iter()
        .chain(&meta.provides)
        .chain(&meta.requires)
    {
        endpoint_bindings.insert(ep.name.clone(), "alpha".into());
    }
    let (base, channel) = meta.base.split_once('@').unwrap_or(("ubuntu", "22.04"));
    out.applications.insert(
        app.name.clone(),
        AppStatus {
            charm: charm_url(model),
            base: Some(Base {
                name: base.into(),
                channel: channel.into(),
            }),
            charm_origin: "local".into(),
            charm_name: meta.name.clone(),
            charm_rev: 0,
            charm_channel: String::new(),
            scale: model.units.len(),
            provider_id: String::new(),
            address: app.address.clone(),
            exposed: false,
            life: String::new(),
            application_status,
            relations,
            units,
            version: model
                .units
                .values()
                .map(|u| u.workload_version.clone())
                .find(|v| !v.is_empty())
                .unwrap_or_default(),
            endpoint_bindings,
        },
    );
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
    let s = status(&rec, Some(model));
    super::format::machine(&s, format).unwrap_or_default()
}

/// `juju show-unit UNIT`.
pub fn unit_info(model: &Model, unit: &str) -> Result<UnitInfo> {
    let u = model
        .unit(unit)
        .ok_or_else(|| Error::msg(format!("unit {unit:?} not found")))?;
    let mut relation_info = Vec::new();
    for r in model.relations.values() {
        let Some(ru) = r.units.get(unit) else {
            continue;
        };
        let mut related_units = BTreeMap::new();
        let local_unit = if r.is_peer() {
            for (other, oru) in &r.units {
                if other != unit && model.unit(other).is_some() {
                    related_units.insert(
                        other.clone(),
                        UnitRelationData {
                            in_scope: oru.created,
                            data: Some(oru.data.clone()),
                        },
                    );
                }
            }
            Some(UnitRelationData {
                in_scope: ru.created,
                data: Some(ru.data.clone()),
            })
        } else {
            for (name, data) in &r.remote_units {
                related_units.insert(
                    name.clone(),
                    UnitRelationData {
                        in_scope: true,
                        data: Some(data.clone()),
                    },
                );
            }
            None
        };
        relation_info.push(RelationData {
            relation_id: r.id,
            endpoint: r.endpoint.clone(),
            cross_model: false,
            related_endpoint: r.remote_endpoint.clone(),
            application_data: if r.is_peer() {
                r.app_data.clone()
            } else {
                r.remote_app_data.clone()
            },
            local_unit,
            related_units,
        });
    }
    Ok(UnitInfo {
        workload_version: u.workload_version.clone(),
        opened_ports: if u.ports.is_empty() {
            None
        } else {
            Some(u.ports.iter().cloned().collect())
        },
        charm: charm_url(model),
        leader: model.is_leader(unit),
        life: u.life.clone(),
        relation_info,
        provider_id: unit.replace('/', "-"),
        address: u.address.clone(),
    })
}

/// The charm's options with their defaults and the user's values, for `juju config`.
pub fn options(model: &Model) -> Vec<OptionInfo> {
    model
        .app
        .meta
        .config
        .iter()
        .map(|o| OptionInfo {
            name: o.name.clone(),
            kind: serde_json::to_value(o.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "string".into()),
            description: o.description.clone().unwrap_or_default(),
            default: charm::config_default(o),
            user: model.app.config.get(&o.name).cloned(),
        })
        .collect()
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
