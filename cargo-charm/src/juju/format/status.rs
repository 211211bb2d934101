//! `juju status --format json|yaml` (Juju 3.6 `cmd/juju/status/formatted.go`): the
//! structs below mirror `formattedStatus` and its parts field by field, in Go's order, with
//! Go's `omitempty`; the tabular view is [`super::tabular::status`].

use serde::Serialize;
use std::collections::BTreeMap;

fn is_false(b: &bool) -> bool {
    !b
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// `formattedStatus`.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// `model`.
    pub model: ModelStatus,
    /// `machines` (none on Kubernetes).
    pub machines: BTreeMap<String, serde_json::Value>,
    /// `applications`.
    pub applications: BTreeMap<String, AppStatus>,
    /// `storage`: Juju prints `{}` when the model has none.
    pub storage: BTreeMap<String, serde_json::Value>,
    /// `controller`.
    pub controller: ControllerStatus,
    /// The integrations, for the tabular view only (Go: `json:"-"`).
    #[serde(skip)]
    pub relations: Vec<RelationRow>,
}

/// `modelStatus`.
#[derive(Debug, Clone, Serialize)]
pub struct ModelStatus {
    /// Model name.
    pub name: String,
    /// `caas` (a Kubernetes model).
    #[serde(rename = "type")]
    pub kind: String,
    /// Controller name.
    pub controller: String,
    /// Cloud name.
    pub cloud: String,
    /// Cloud region.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    /// Agent version.
    pub version: String,
    /// `model-status`.
    #[serde(rename = "model-status")]
    pub model_status: StatusInfo,
    /// `sla`: `unsupported`.
    pub sla: String,
}

/// `statusInfoContents`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StatusInfo {
    /// The status value.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub current: String,
    /// Its message.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Since when (`24 Feb 2025 12:03:17Z`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub since: String,
    /// The agent version (agent statuses).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
}

/// `formattedBase`.
#[derive(Debug, Clone, Serialize)]
pub struct Base {
    /// `ubuntu`.
    pub name: String,
    /// `22.04`.
    pub channel: String,
}

/// `applicationStatus`.
#[derive(Debug, Clone, Serialize)]
pub struct AppStatus {
    /// `local:<name>-<rev>` for a local charm, the charm's name for a store charm.
    pub charm: String,
    /// The charm's base.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<Base>,
    /// `local` or `charmhub`.
    #[serde(rename = "charm-origin")]
    pub charm_origin: String,
    /// The charm's name.
    #[serde(rename = "charm-name")]
    pub charm_name: String,
    /// The charm's revision.
    #[serde(rename = "charm-rev")]
    pub charm_rev: u32,
    /// The store channel.
    #[serde(rename = "charm-channel", skip_serializing_if = "String::is_empty")]
    pub charm_channel: String,
    /// Number of units.
    #[serde(skip_serializing_if = "is_zero")]
    pub scale: usize,
    /// The Kubernetes service's id.
    #[serde(rename = "provider-id", skip_serializing_if = "String::is_empty")]
    pub provider_id: String,
    /// The service address.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// Always false in the simulator.
    pub exposed: bool,
    /// `dying` while being removed.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub life: String,
    /// `application-status`.
    #[serde(rename = "application-status")]
    pub application_status: StatusInfo,
    /// Endpoint → related applications.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub relations: BTreeMap<String, Vec<AppRelation>>,
    /// Units by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub units: BTreeMap<String, UnitStatus>,
    /// The workload version.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Endpoint → space (`alpha`), with `""` for the default.
    #[serde(
        rename = "endpoint-bindings",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub endpoint_bindings: BTreeMap<String, String>,
}

/// `applicationStatusRelation`.
#[derive(Debug, Clone, Serialize)]
pub struct AppRelation {
    /// The application at the other end.
    #[serde(rename = "related-application")]
    pub related_application: String,
    /// The interface.
    pub interface: String,
    /// `global`.
    pub scope: String,
}

/// `unitStatus`.
#[derive(Debug, Clone, Serialize)]
pub struct UnitStatus {
    /// `workload-status`.
    #[serde(rename = "workload-status")]
    pub workload_status: StatusInfo,
    /// `juju-status` (the agent).
    #[serde(rename = "juju-status")]
    pub juju_status: StatusInfo,
    /// Whether it leads.
    #[serde(skip_serializing_if = "is_false")]
    pub leader: bool,
    /// Opened ports (`8000/tcp`).
    #[serde(rename = "open-ports", skip_serializing_if = "Vec::is_empty")]
    pub open_ports: Vec<String>,
    /// The pod address.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// The pod name.
    #[serde(rename = "provider-id", skip_serializing_if = "String::is_empty")]
    pub provider_id: String,
}

/// `controllerStatus`.
#[derive(Debug, Clone, Serialize)]
pub struct ControllerStatus {
    /// When the status was taken (`12:04:55Z`).
    pub timestamp: String,
}

/// One row of the tabular view's integrations.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationRow {
    /// `app:endpoint` of the provider (or of either side for peers).
    pub provider: String,
    /// `app:endpoint` of the requirer.
    pub requirer: String,
    /// The interface.
    pub interface: String,
    /// `regular` or `peer`.
    pub kind: String,
    /// `joining`, `removing`... or empty.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(s: &str, m: &str) -> StatusInfo {
        StatusInfo {
            current: s.into(),
            message: m.into(),
            ..Default::default()
        }
    }

    #[test]
    fn json_has_go_order_and_omits_empty_fields() {
        let unit = UnitStatus {
            workload_status: st("active", ""),
            juju_status: st("idle", ""),
            leader: false,
            open_ports: vec![],
            address: "10.1.0.1".into(),
            provider_id: "a-0".into(),
        };
        let s = super::super::json::to_string(&unit);
        assert_eq!(
            s,
            r#"{"workload-status":{"current":"active"},"juju-status":{"current":"idle"},"address":"10.1.0.1","provider-id":"a-0"}"#
        );
    }
}
