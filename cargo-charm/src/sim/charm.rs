//! A charm as Juju reads it from its directory: `metadata.yaml`, `config.yaml` and
//! `actions.yaml` (or a `charmcraft.yaml` holding all three, for unpacked source charms),
//! whatever language the charm is written in. Also the checks Juju makes on user input:
//! config values against option types, action parameters against their JSON schema.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// What the simulator needs from a charm's metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CharmMeta {
    /// Charm name.
    pub name: String,
    /// Peer endpoints.
    pub peers: Vec<EndpointMeta>,
    /// Provided endpoints.
    pub provides: Vec<EndpointMeta>,
    /// Required endpoints.
    pub requires: Vec<EndpointMeta>,
    /// Workload containers.
    pub containers: Vec<String>,
    /// Storage declarations, in metadata order.
    #[serde(deserialize_with = "storage_list")]
    pub storage: Vec<StorageMeta>,
    /// Config options.
    pub options: BTreeMap<String, OptionMeta>,
    /// Actions.
    pub actions: BTreeMap<String, ActionMeta>,
}

/// A relation endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointMeta {
    /// Endpoint name.
    pub name: String,
    /// Interface.
    pub interface: String,
    /// `limit`, if any.
    pub limit: Option<u64>,
}

/// A storage declaration (`storage:` in metadata, juju-protocol.md §6.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageMeta {
    /// Storage name.
    pub name: String,
    /// `filesystem` or `block`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The declared `location`, if any.
    pub location: Option<String>,
    /// The fewest instances (`multiple: range`'s lower bound; 1 without `multiple`): what
    /// each unit gets at deploy.
    pub min: u64,
    /// The most instances a unit may have (`None`: no limit, `N-` / `N+`).
    pub max: Option<u64>,
}

impl StorageMeta {
    /// A declaration known only by name (models saved before storage was simulated).
    fn named(name: String) -> StorageMeta {
        StorageMeta {
            name,
            kind: "filesystem".into(),
            location: None,
            min: 1,
            max: Some(1),
        }
    }

    /// Where Juju mounts instance `index` (its `FilesystemMountPoint`): the declared
    /// location as is for a single-instance storage; otherwise `<location>/<name>/<index>`,
    /// `<location>` defaulting to `/var/lib/juju/storage`.
    pub fn juju_location(&self, index: u64) -> String {
        match &self.location {
            Some(l) if self.max == Some(1) => l.clone(),
            l => format!(
                "{}/{}/{index}",
                l.as_deref()
                    .unwrap_or("/var/lib/juju/storage")
                    .trim_end_matches('/'),
                self.name
            ),
        }
    }
}

/// `storage` as saved: declarations, or (older models) bare names.
fn storage_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<StorageMeta>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Saved {
        Meta(StorageMeta),
        Name(String),
    }
    let saved: Vec<Saved> = Vec::deserialize(d)?;
    Ok(saved
        .into_iter()
        .map(|s| match s {
            Saved::Meta(m) => m,
            Saved::Name(n) => StorageMeta::named(n),
        })
        .collect())
}

/// Parses `multiple: {range: ...}`: `N`, `N-M`, `N-` or `N+` (min, max).
fn storage_range(name: &str, range: &Value) -> Result<(u64, Option<u64>)> {
    let bad = || {
        Error::msg(format!(
            "metadata: storage `{name}`: invalid multiple range {range} (expected N, N-M, N- or N+)"
        ))
    };
    let text = match range {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return Err(bad()),
    };
    let num = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
    let (min, max) = if let Some(lo) = text.strip_suffix('+').or_else(|| text.strip_suffix('-')) {
        (num(lo)?, None)
    } else if let Some((lo, hi)) = text.split_once('-') {
        (num(lo)?, Some(num(hi)?))
    } else {
        let n = num(&text)?;
        (n, Some(n))
    };
    if max.is_some_and(|m| m < min || m == 0) {
        return Err(bad());
    }
    Ok((min, max))
}

fn storages(v: &Value) -> Result<Vec<StorageMeta>> {
    let Some(map) = v.get("storage").filter(|s| !s.is_null()) else {
        return Ok(vec![]);
    };
    let map = map
        .as_object()
        .ok_or_else(|| Error::msg("metadata: `storage` is not a mapping"))?;
    map.iter()
        .map(|(name, s)| {
            let kind = s.get("type").and_then(Value::as_str).unwrap_or_default();
            if kind != "filesystem" && kind != "block" {
                return Err(Error::msg(format!(
                    "metadata: storage `{name}` needs `type: filesystem` or `type: block`"
                )));
            }
            let (min, max) = match s.get("multiple").and_then(|m| m.get("range")) {
                Some(r) => storage_range(name, r)?,
                None => (1, Some(1)),
            };
            Ok(StorageMeta {
                name: name.clone(),
                kind: kind.to_string(),
                location: s
                    .get("location")
                    .and_then(Value::as_str)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string),
                min,
                max,
            })
        })
        .collect()
}

/// A config option.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OptionMeta {
    /// `string`, `int`, `float`, `boolean` or `secret`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Default value.
    pub default: Option<Value>,
    /// Description.
    pub description: Option<String>,
}

/// An action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionMeta {
    /// Parameters: name → JSON schema.
    pub params: Map<String, Value>,
    /// Required parameters.
    pub required: Vec<String>,
    /// Whether unlisted parameters are accepted (Juju 3 default: true).
    pub additional_properties: bool,
}

fn yaml_file(dir: &Path, name: &str) -> Result<Option<Value>> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let v: serde_yaml::Value = serde_yaml::from_str(&text)
                .map_err(|e| Error::msg(format!("{name} is not valid YAML: {e}")))?;
            let v = serde_json::to_value(v).map_err(|e| Error::msg(format!("{name}: {e}")))?;
            Ok(Some(v))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::msg(format!("reading {}: {e}", path.display()))),
    }
}

fn endpoints(v: &Value, section: &str) -> Result<Vec<EndpointMeta>> {
    let Some(map) = v.get(section).filter(|s| !s.is_null()) else {
        return Ok(vec![]);
    };
    let map = map
        .as_object()
        .ok_or_else(|| Error::msg(format!("metadata: `{section}` is not a mapping")))?;
    map.iter()
        .map(|(name, e)| {
            let interface = e.get("interface").and_then(Value::as_str).ok_or_else(|| {
                Error::msg(format!("metadata: endpoint `{name}` has no interface"))
            })?;
            Ok(EndpointMeta {
                name: name.clone(),
                interface: interface.to_string(),
                limit: e.get("limit").and_then(Value::as_u64),
            })
        })
        .collect()
}

fn names(v: &Value, section: &str) -> Vec<String> {
    v.get(section)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

impl CharmMeta {
    /// Reads a charm directory. A charm needs an executable `dispatch` (or a `hooks/`
    /// directory) and a `metadata.yaml` (or a `charmcraft.yaml` with the same keys).
    pub fn load(dir: &Path) -> Result<CharmMeta> {
        let what = dir.display();
        if !dir.is_dir() {
            return Err(Error::msg(format!(
                "{what} is not a charm: not a directory"
            )));
        }
        let charmcraft = yaml_file(dir, "charmcraft.yaml")?;
        let meta = match yaml_file(dir, "metadata.yaml")? {
            Some(m) => m,
            None => charmcraft.clone().ok_or_else(|| {
                Error::msg(format!(
                    "{what} is not a charm: no metadata.yaml (or charmcraft.yaml)"
                ))
            })?,
        };
        if !meta.is_object() {
            return Err(Error::msg(format!(
                "{what} is not a charm: its metadata is not a mapping"
            )));
        }
        let name = meta
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| valid_name(n))
            .ok_or_else(|| {
                Error::msg(format!(
                    "{what} is not a charm: its metadata has no valid `name`"
                ))
            })?
            .to_string();
        let dispatch = dir.join("dispatch");
        let executable = std::fs::metadata(&dispatch)
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false);
        if !executable && !dir.join("hooks").is_dir() {
            return Err(Error::msg(format!(
                "{what} is not a charm: no executable `dispatch`"
            )));
        }
        let config = match yaml_file(dir, "config.yaml")? {
            Some(c) => Some(c),
            None => charmcraft.as_ref().and_then(|c| c.get("config").cloned()),
        };
        let actions = match yaml_file(dir, "actions.yaml")? {
            Some(a) => Some(a),
            None => charmcraft.as_ref().and_then(|c| c.get("actions").cloned()),
        };
        let mut options = BTreeMap::new();
        if let Some(opts) = config
            .as_ref()
            .and_then(|c| c.get("options"))
            .and_then(Value::as_object)
        {
            for (name, o) in opts {
                let kind = o
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("string")
                    .to_string();
                if !["string", "int", "float", "boolean", "secret"].contains(&kind.as_str()) {
                    return Err(Error::msg(format!(
                        "config option `{name}` has unknown type `{kind}`"
                    )));
                }
                options.insert(
                    name.clone(),
                    OptionMeta {
                        kind,
                        default: o.get("default").cloned().filter(|d| !d.is_null()),
                        description: o
                            .get("description")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                    },
                );
            }
        }
        let mut action_map = BTreeMap::new();
        if let Some(acts) = actions.as_ref().and_then(Value::as_object) {
            for (name, a) in acts {
                action_map.insert(
                    name.clone(),
                    ActionMeta {
                        params: a
                            .get("params")
                            .and_then(Value::as_object)
                            .cloned()
                            .unwrap_or_default(),
                        required: a
                            .get("required")
                            .and_then(Value::as_array)
                            .map(|r| {
                                r.iter()
                                    .filter_map(|x| x.as_str().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        additional_properties: a
                            .get("additionalProperties")
                            .and_then(Value::as_bool)
                            .unwrap_or(true),
                    },
                );
            }
        }
        Ok(CharmMeta {
            name,
            peers: endpoints(&meta, "peers")?,
            provides: endpoints(&meta, "provides")?,
            requires: endpoints(&meta, "requires")?,
            containers: names(&meta, "containers"),
            storage: storages(&meta)?,
            options,
            actions: action_map,
        })
    }

    /// The endpoint named `name` and its role (`peer`, `provides`, `requires`).
    pub fn endpoint(&self, name: &str) -> Option<(&'static str, &EndpointMeta)> {
        let find = |l: &'_ [EndpointMeta]| l.iter().position(|e| e.name == name);
        if let Some(i) = find(&self.peers) {
            return Some(("peer", &self.peers[i]));
        }
        if let Some(i) = find(&self.provides) {
            return Some(("provides", &self.provides[i]));
        }
        find(&self.requires).map(|i| ("requires", &self.requires[i]))
    }

    /// The storage declared as `name`.
    pub fn storage(&self, name: &str) -> Option<&StorageMeta> {
        self.storage.iter().find(|s| s.name == name)
    }

    /// Every endpoint name, in metadata order.
    pub fn endpoint_names(&self) -> Vec<String> {
        self.peers
            .iter()
            .chain(&self.provides)
            .chain(&self.requires)
            .map(|e| e.name.clone())
            .collect()
    }

    /// A config value typed by its option, as `juju config app key=value` types it.
    pub fn config_value(&self, key: &str, raw: &str) -> Result<Value> {
        let opt = self.options.get(key).ok_or_else(|| {
            Error::msg(format!(
                "unknown option {key:?} (options of {}: {})",
                self.name,
                list(self.options.keys())
            ))
        })?;
        let bad = |want: &str| Error::msg(format!("option {key:?}: expected {want}, got {raw:?}"));
        Ok(match opt.kind.as_str() {
            "int" => Value::from(raw.trim().parse::<i64>().map_err(|_| bad("int"))?),
            "float" => {
                let f: f64 = raw.trim().parse().map_err(|_| bad("float"))?;
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| bad("float"))?
            }
            "boolean" => match raw.trim() {
                "true" | "True" | "TRUE" | "yes" | "on" => Value::Bool(true),
                "false" | "False" | "FALSE" | "no" | "off" => Value::Bool(false),
                _ => return Err(bad("boolean")),
            },
            "secret" => {
                if !raw.starts_with("secret:") {
                    return Err(bad("a secret URI (secret:...)"));
                }
                Value::from(raw)
            }
            _ => Value::from(raw),
        })
    }

    /// Checks `juju run` parameters against the action's schema and fills in defaults, as
    /// Juju does before the action runs. `raw` values are parsed as YAML scalars
    /// (`n=3` is an integer, `flag=true` a boolean), as `juju run` parses them.
    pub fn action_params(
        &self,
        action: &str,
        raw: &[(String, String)],
    ) -> Result<Map<String, Value>> {
        let meta = self.actions.get(action).ok_or_else(|| {
            Error::msg(format!(
                "action {action:?} not defined for {} (actions: {})",
                self.name,
                list(self.actions.keys())
            ))
        })?;
        let mut params = Map::new();
        for (k, v) in raw {
            let value = match serde_yaml::from_str::<serde_yaml::Value>(v) {
                Ok(y) if !v.is_empty() => {
                    serde_json::to_value(y).unwrap_or(Value::from(v.as_str()))
                }
                _ => Value::from(v.as_str()),
            };
            let value = match value {
                Value::Null => Value::from(v.as_str()),
                other => other,
            };
            params.insert(k.clone(), value);
        }
        for (k, v) in &params {
            match meta.params.get(k) {
                None if !meta.additional_properties => {
                    return Err(Error::msg(format!(
                        "action {action:?}: parameter {k:?} is not allowed (parameters: {})",
                        list(meta.params.keys())
                    )))
                }
                None => {}
                Some(schema) => check_type(action, k, v, schema)?,
            }
        }
        for req in &meta.required {
            if !params.contains_key(req) {
                return Err(Error::msg(format!(
                    "action {action:?}: parameter {req:?} is required"
                )));
            }
        }
        for (k, schema) in &meta.params {
            if let Some(d) = schema.get("default") {
                params.entry(k.clone()).or_insert_with(|| d.clone());
            }
        }
        Ok(params)
    }
}

/// Checks one parameter's JSON-schema `type` (and `enum`), with a message like Juju's.
fn check_type(action: &str, key: &str, v: &Value, schema: &Value) -> Result<()> {
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let ok = types.is_empty()
        || types.iter().any(|t| match *t {
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            "null" => v.is_null(),
            _ => true,
        });
    if !ok {
        return Err(Error::msg(format!(
            "action {action:?}: parameter {key:?} must be of type {}, got {}",
            types.join(" or "),
            v
        )));
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(v) {
            return Err(Error::msg(format!(
                "action {action:?}: parameter {key:?} must be one of {}, got {v}",
                Value::Array(allowed.clone())
            )));
        }
    }
    Ok(())
}

fn list<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<&str> = names.map(String::as_str).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// A valid application / charm name: lowercase letters, digits and dashes, starting with a
/// letter, not ending with a dash.
pub fn valid_name(n: &str) -> bool {
    n.starts_with(|c: char| c.is_ascii_lowercase())
        && !n.ends_with('-')
        && n.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_ranges_and_locations() {
        let r = |s: &str| storage_range("data", &Value::from(s));
        assert_eq!(r("2").unwrap(), (2, Some(2)));
        assert_eq!(r("0-3").unwrap(), (0, Some(3)));
        assert_eq!(r("1-").unwrap(), (1, None));
        assert_eq!(r("1+").unwrap(), (1, None));
        assert_eq!(
            storage_range("data", &Value::from(3)).unwrap(),
            (3, Some(3))
        );
        for bad in ["", "x", "3-1", "0", "-2"] {
            assert!(r(bad).is_err(), "{bad:?}");
        }
        let mut m = StorageMeta::named("data".into());
        assert_eq!(m.juju_location(0), "/var/lib/juju/storage/data/0");
        m.location = Some("/srv/data".into());
        assert_eq!(m.juju_location(4), "/srv/data");
        m.max = Some(3);
        assert_eq!(m.juju_location(4), "/srv/data/data/4");
    }

    #[test]
    fn storage_of_older_models_is_read_by_name() {
        let meta: CharmMeta =
            serde_json::from_value(serde_json::json!({"name": "x", "peers": [], "provides": [],
                "requires": [], "containers": [], "storage": ["data"], "options": {},
                "actions": {}}))
            .unwrap();
        assert_eq!(meta.storage, [StorageMeta::named("data".into())]);
        let back: CharmMeta = serde_json::from_value(serde_json::to_value(&meta).unwrap()).unwrap();
        assert_eq!(back, meta);
    }
}
