//! Step construction: the hooks Juju queues, built from the model's own types. Commands,
//! sequences and storage call these; nothing here calls up into them.

use super::{app_of_unit, Effect, HookStep, Relation, Step, Unit};
use jujuc::{BagData, StatusValue};
use std::collections::BTreeMap;

impl HookStep {
    /// A hook step on `unit`.
    pub fn new(unit: &str, name: &str, cause: &str) -> HookStep {
        HookStep {
            unit: unit.to_string(),
            hook: name.to_string(),
            cause: cause.to_string(),
            ..Default::default()
        }
    }

    /// A storage hook step on `unit` for instance `id` (`<name>-storage-<kind>`).
    pub fn storage(unit: &str, id: &str, kind: &str, cause: &str) -> HookStep {
        let name = id.split_once('/').map_or(id, |(n, _)| n);
        HookStep {
            storage: Some(id.to_string()),
            ..HookStep::new(unit, &format!("{name}-storage-{kind}"), cause)
        }
    }
}

impl Step {
    /// `<endpoint>-relation-<kind>` on `unit` (the endpoint of its application's end of
    /// `rel`), about `remote` (a unit), with `effect`.
    pub fn relation(
        unit: &str,
        rel: &Relation,
        kind: &str,
        remote: Option<&str>,
        effect: Option<Effect>,
        cause: &str,
    ) -> Step {
        let endpoint = rel
            .side(app_of_unit(unit))
            .map_or(rel.endpoint.as_str(), |s| s.endpoint);
        Step::hook(HookStep {
            relation: Some(rel.id),
            remote_unit: remote.map(str::to_string),
            departing_unit: (kind == "departed").then(|| remote.unwrap_or_default().to_string()),
            effect,
            ..HookStep::new(unit, &format!("{endpoint}-relation-{kind}"), cause)
        })
    }

    /// `-relation-joined` then `-relation-changed` on `unit` for `remote`.
    pub fn join(unit: &str, rel: &Relation, remote: &str, cause: &str) -> Vec<Step> {
        vec![
            Step::relation(unit, rel, "joined", Some(remote), Some(Effect::Join), cause),
            Step::relation(unit, rel, "changed", Some(remote), None, cause),
        ]
    }
}

impl Unit {
    /// Unit `n` of `app`, as Juju creates it: waiting for its agent, at its pod address.
    pub fn new(app: &str, n: u32, address: String) -> Unit {
        Unit {
            name: format!("{app}/{n}"),
            address,
            status: StatusValue {
                status: "waiting".into(),
                message: "installing agent".into(),
            },
            error: None,
            failed: None,
            workload_version: String::new(),
            ports: Default::default(),
            state: BagData::new(),
            life: "alive".into(),
            pod: 0,
            tracked_secrets: BTreeMap::new(),
            secret_labels: BTreeMap::new(),
            secret_changed: BTreeMap::new(),
            secret_seq: 0,
            storage: vec![],
        }
    }
}
