//! `juju show-secret` (Juju 3.6 `cmd/juju/secrets`, `secretDisplayDetails`):
//! `{id: {revision, checksum, expires, rotation, owner, description, label, created,
//! updated, content}}`, with the content under `Data` in JSON (Go's struct field name; the
//! YAML view inlines it).

use jujuc::BagData;
use serde::Serialize;
use std::collections::BTreeMap;

/// `secretDisplayDetails`.
#[derive(Debug, Clone, Serialize)]
pub struct SecretDetails {
    /// The latest revision.
    pub revision: u64,
    /// The content's checksum (Juju 3.6 prints one with `--reveal`; the simulator, which
    /// keeps no hash of the content, leaves it out, as Juju before 3.6 did).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub checksum: String,
    /// Expiry time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Rotation policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation: Option<String>,
    /// The owner: an application or a unit.
    pub owner: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The owner's label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Creation time (RFC 3339).
    pub created: String,
    /// Last update (RFC 3339).
    pub updated: String,
    /// The content, with `--reveal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<SecretContent>,
}

/// `secretValueDetails`.
#[derive(Debug, Clone, Serialize)]
pub struct SecretContent {
    /// The key-value pairs.
    #[serde(rename = "Data")]
    pub data: BagData,
}

/// The YAML view of the content: inlined (`content: {key: value}`).
#[derive(Debug, Clone, Serialize)]
struct YamlDetails<'a> {
    #[serde(flatten)]
    details: &'a SecretDetails,
}

/// `{id: details}` as JSON or YAML.
pub fn show(id: &str, d: &SecretDetails, json: bool) -> String {
    if json {
        let map = BTreeMap::from([(id.to_string(), d)]);
        return super::json::to_string(&map) + "\n";
    }
    let mut inline = d.clone();
    let content = inline.content.take();
    let mut v = serde_yaml::to_value(&YamlDetails { details: &inline }).unwrap_or_default();
    if let (Some(c), serde_yaml::Value::Mapping(m)) = (content, &mut v) {
        m.insert(
            "content".into(),
            serde_yaml::to_value(&c.data).unwrap_or_default(),
        );
    }
    let mut top = serde_yaml::Mapping::new();
    top.insert(id.into(), v);
    super::yaml(&top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_data_yaml_inlines() {
        let d = SecretDetails {
            revision: 1,
            checksum: String::new(),
            expires: None,
            rotation: None,
            owner: "db".into(),
            description: None,
            label: Some("creds".into()),
            created: "2025-01-01T00:00:00Z".into(),
            updated: "2025-01-01T00:00:00Z".into(),
            content: Some(SecretContent {
                data: BagData::from([("password".to_string(), "p".to_string())]),
            }),
        };
        let j = show("abc", &d, true);
        assert_eq!(
            j,
            concat!(
                r#"{"abc":{"revision":1,"owner":"db","label":"creds","created":"2025-01-01T00:00:00Z","#,
                r#""updated":"2025-01-01T00:00:00Z","content":{"Data":{"password":"p"}}}}"#,
                "\n"
            )
        );
        let y = show("abc", &d, false);
        assert!(y.contains("content:\n    password: p"), "{y}");
    }
}
