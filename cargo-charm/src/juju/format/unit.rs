//! `juju show-unit --format json|yaml` (Juju 3.6 `cmd/juju/application/showunit.go`):
//! `{unit: UnitInfo}` with `UnitInfo`, `RelationData` and `UnitRelationData` mirrored field by
//! field.
//!
//! Two Go details matter to clients: `local-unit` is a struct with `omitempty`, which Go's
//! JSON encoder never omits (a relation the unit is not a member of on its own side, i.e.
//! every non-peer relation, shows `{"in-scope":false,"data":null}`) while YAML omits the
//! zero value; and `opened-ports` without ports is a nil slice (`null` in JSON, `[]` in
//! YAML). [`UnitInfo::for_format`] applies both.

use super::Format;
use jujuc::BagData;
use serde::Serialize;
use std::collections::BTreeMap;

fn is_false(b: &bool) -> bool {
    !b
}

/// `UnitInfo`.
#[derive(Debug, Clone, Serialize)]
pub struct UnitInfo {
    /// The workload version.
    #[serde(rename = "workload-version", skip_serializing_if = "String::is_empty")]
    pub workload_version: String,
    /// Opened ports (`8000/tcp`); `None` when none (Go's nil slice).
    #[serde(rename = "opened-ports")]
    pub opened_ports: Option<Vec<String>>,
    /// The charm URL (`local:demo-api-charm-0`).
    pub charm: String,
    /// Whether it leads.
    pub leader: bool,
    /// `alive` or `dying`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub life: String,
    /// The relations the unit's application is in, with data.
    #[serde(rename = "relation-info", skip_serializing_if = "Vec::is_empty")]
    pub relation_info: Vec<RelationData>,
    /// The pod name.
    #[serde(rename = "provider-id", skip_serializing_if = "String::is_empty")]
    pub provider_id: String,
    /// The pod address.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
}

/// `RelationData`.
#[derive(Debug, Clone, Serialize)]
pub struct RelationData {
    /// Relation id.
    #[serde(rename = "relation-id")]
    pub relation_id: u64,
    /// The unit's endpoint.
    pub endpoint: String,
    /// Cross-model relations only.
    #[serde(rename = "cross-model", skip_serializing_if = "is_false")]
    pub cross_model: bool,
    /// The other application's endpoint.
    #[serde(rename = "related-endpoint")]
    pub related_endpoint: String,
    /// The other application's bag (for peers, the application's own).
    #[serde(rename = "application-data")]
    pub application_data: BagData,
    /// The unit's own bag: peer relations only (see the module documentation).
    #[serde(rename = "local-unit", skip_serializing_if = "Option::is_none")]
    pub local_unit: Option<UnitRelationData>,
    /// The units at the other end (for peers, the other units), by name.
    #[serde(rename = "related-units", skip_serializing_if = "BTreeMap::is_empty")]
    pub related_units: BTreeMap<String, UnitRelationData>,
}

/// `UnitRelationData`.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRelationData {
    /// Whether the unit is in the relation's scope.
    #[serde(rename = "in-scope")]
    pub in_scope: bool,
    /// Its bag (`None`: Go's nil map, `null`).
    pub data: Option<BagData>,
}

impl RelationData {
    /// Whether `show-unit` prints the relation: Juju leaves out relations without any data
    /// (no application data, related units or local unit data).
    pub fn shown(&self) -> bool {
        !self.application_data.is_empty()
            || !self.related_units.is_empty()
            || self
                .local_unit
                .as_ref()
                .and_then(|l| l.data.as_ref())
                .is_some_and(|d| !d.is_empty())
    }
}

impl UnitInfo {
    /// The value as Juju prints it in `format` (see the module documentation).
    pub fn for_format(mut self, format: Format) -> UnitInfo {
        self.relation_info.retain(RelationData::shown);
        match format {
            Format::Json => {
                for r in &mut self.relation_info {
                    r.local_unit.get_or_insert(UnitRelationData {
                        in_scope: false,
                        data: None,
                    });
                }
            }
            _ => {
                self.opened_ports.get_or_insert_with(Vec::new);
            }
        }
        self
    }
}

/// `juju show-unit`'s output for several units: `{name: info}`.
pub fn show_units(units: Vec<(String, UnitInfo)>, format: Format) -> String {
    let map: BTreeMap<String, UnitInfo> = units
        .into_iter()
        .map(|(n, u)| (n, u.for_format(format)))
        .collect();
    // show-unit has no view of its own: the default is YAML.
    match format {
        Format::Json => super::json::to_string(&map) + "\n",
        _ => super::yaml(&map),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> UnitInfo {
        UnitInfo {
            workload_version: String::new(),
            opened_ports: None,
            charm: "local:a-0".into(),
            leader: true,
            life: "alive".into(),
            relation_info: vec![
                RelationData {
                    relation_id: 1,
                    endpoint: "db".into(),
                    cross_model: false,
                    related_endpoint: "database".into(),
                    application_data: BagData::from([("k".to_string(), "v".to_string())]),
                    local_unit: None,
                    related_units: BTreeMap::new(),
                },
                RelationData {
                    relation_id: 2,
                    endpoint: "empty".into(),
                    cross_model: false,
                    related_endpoint: "x".into(),
                    application_data: BagData::new(),
                    local_unit: None,
                    related_units: BTreeMap::new(),
                },
            ],
            provider_id: "a-0".into(),
            address: "10.1.0.1".into(),
        }
    }

    #[test]
    fn json_as_go_encodes_it() {
        let out = show_units(vec![("a/0".into(), info())], Format::Json);
        assert_eq!(
            out,
            concat!(
                r#"{"a/0":{"opened-ports":null,"charm":"local:a-0","leader":true,"life":"alive","#,
                r#""relation-info":[{"relation-id":1,"endpoint":"db","related-endpoint":"database","#,
                r#""application-data":{"k":"v"},"local-unit":{"in-scope":false,"data":null}}],"#,
                r#""provider-id":"a-0","address":"10.1.0.1"}}"#,
                "\n"
            )
        );
    }

    #[test]
    fn yaml_omits_the_zero_local_unit() {
        let out = show_units(vec![("a/0".into(), info())], Format::Yaml);
        assert!(out.contains("opened-ports: []"), "{out}");
        assert!(!out.contains("local-unit"), "{out}");
        assert!(!out.contains("empty"), "{out}");
    }
}
