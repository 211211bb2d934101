//! A charm as the simulator deploys it, over the runtime's one metadata model
//! ([`CharmMetadata`], read from the charm's `metadata.yaml`, `config.yaml` and
//! `actions.yaml`, or a `charmcraft.yaml`, whatever language the charm is written in): the
//! checks on its directory, the checks Juju makes on user input (config values against
//! option types, action parameters against their JSON schema), where Juju mounts storage,
//! and reading the metadata of models saved before the simulator used the runtime's model.

use crate::error::{Error, Result};
use crate::{pack, runs_on};
use charm_runtime::metadata::{
    CharmMetadata, ConfigOption, ConfigValue, MetadataError, OptionType, Role, Storage,
    StorageRange,
};
use serde::{Deserialize, Deserializer};
use serde_json::{json, Map, Value};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Reads a charm directory. A charm needs an executable `dispatch` (or a `hooks/`
/// directory) and a `metadata.yaml` (or a `charmcraft.yaml` with the same keys), whose
/// `name` is a valid application name.
pub fn load(dir: &Path) -> Result<CharmMetadata> {
    let what = dir.display();
    if !dir.is_dir() {
        return Err(Error::msg(format!(
            "{what} is not a charm: not a directory"
        )));
    }
    let meta = CharmMetadata::from_charm_dir(dir)
        .map_err(|e| Error::msg(format!("{what} is not a charm: {e}")))?;
    if !valid_name(&meta.name) {
        return Err(Error::msg(format!(
            "{what} is not a charm: its metadata has no valid `name` ({:?})",
            meta.name
        )));
    }
    let executable = std::fs::metadata(dir.join("dispatch"))
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false);
    if !executable && !dir.join("hooks").is_dir() {
        return Err(Error::msg(format!(
            "{what} is not a charm: no executable `dispatch`"
        )));
    }
    if executable {
        check_dispatch(dir)?;
    }
    Ok(meta)
}

/// The check `pack` makes ([`runs_on`]): a binary `dispatch` must be built for the
/// architecture and glibc of the bases in the charm's `manifest.yaml` (when it has one),
/// and, since the simulator runs it here, for this machine's architecture.
fn check_dispatch(dir: &Path) -> Result<()> {
    let path = dir.join("dispatch");
    let shown = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|e| Error::msg(format!("reading {shown}: {e}")))?;
    let Some(needs) = runs_on::read(&bytes).map_err(|e| Error::msg(format!("{shown} is {e}")))?
    else {
        return Ok(());
    };
    let manifest = dir.join("manifest.yaml");
    if manifest.is_file() {
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| Error::msg(format!("reading {}: {e}", manifest.display())))?;
        let bases = runs_on::declared_bases(&text)
            .map_err(|e| Error::msg(format!("{}: {e}", manifest.display())))?;
        runs_on::check_against(&shown, &needs, &bases)?;
    }
    let host = pack::host_arch();
    if needs.arch != host {
        return Err(Error::msg(format!(
            "{shown} is built for {}, but the simulator runs hooks on this machine ({host})",
            needs.arch
        )));
    }
    Ok(())
}

/// How many instances of `storage` a unit may have (exactly one without `multiple`).
pub fn range(storage: &Storage) -> StorageRange {
    storage.multiple.unwrap_or(StorageRange::ONE)
}

/// Where Juju mounts instance `index` of `storage` (its `FilesystemMountPoint`): the
/// declared location as is for a single-instance storage; otherwise
/// `<location>/<name>/<index>`, `<location>` defaulting to `/var/lib/juju/storage`.
pub fn juju_location(storage: &Storage, index: u32) -> String {
    match &storage.location {
        Some(l) if range(storage).max == Some(1) => l.clone(),
        l => format!(
            "{}/{}/{index}",
            l.as_deref()
                .unwrap_or("/var/lib/juju/storage")
                .trim_end_matches('/'),
            storage.name
        ),
    }
}

/// An endpoint's role as the model saves it: `peer`, `provides` or `requires`.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Peer => "peer",
        Role::Provides => "provides",
        Role::Requires => "requires",
    }
}

/// Every endpoint name, in metadata order.
pub fn endpoint_names(meta: &CharmMetadata) -> Vec<String> {
    meta.endpoints().map(|e| e.name.clone()).collect()
}

/// The config option names, sorted.
pub fn option_names(meta: &CharmMetadata) -> Vec<String> {
    let mut names: Vec<String> = meta.config.iter().map(|o| o.name.clone()).collect();
    names.sort();
    names
}

/// An option's default as the JSON `config-get` prints.
pub fn config_default(option: &ConfigOption) -> Option<Value> {
    Some(match option.default.as_ref()? {
        ConfigValue::String(s) => Value::from(s.as_str()),
        ConfigValue::Int(i) => Value::from(*i),
        ConfigValue::Float(f) => Value::from(*f),
        ConfigValue::Boolean(b) => Value::Bool(*b),
    })
}

/// A config value typed by its option, as `juju config app key=value` types it.
pub fn config_value(meta: &CharmMetadata, key: &str, raw: &str) -> Result<Value> {
    let opt = meta.config_option(key).ok_or_else(|| {
        Error::msg(format!(
            "unknown option {key:?} (options of {}: {})",
            meta.name,
            list(&option_names(meta))
        ))
    })?;
    let bad = |want: &str| Error::msg(format!("option {key:?}: expected {want}, got {raw:?}"));
    Ok(match opt.kind {
        OptionType::Int => Value::from(raw.trim().parse::<i64>().map_err(|_| bad("int"))?),
        OptionType::Float => {
            let f: f64 = raw.trim().parse().map_err(|_| bad("float"))?;
            serde_json::Number::from_f64(f)
                .map(Value::Number)
                .ok_or_else(|| bad("float"))?
        }
        OptionType::Boolean => match raw.trim() {
            "true" | "True" | "TRUE" | "yes" | "on" => Value::Bool(true),
            "false" | "False" | "FALSE" | "no" | "off" => Value::Bool(false),
            _ => return Err(bad("boolean")),
        },
        OptionType::Secret => {
            if !raw.starts_with("secret:") {
                return Err(bad("a secret URI (secret:...)"));
            }
            Value::from(raw)
        }
        OptionType::String => Value::from(raw),
    })
}

/// Checks `juju run` parameters given as `key=value` pairs (values read as `juju run`
/// reads them: [`super::params`]) against the action's schema and fills in defaults.
pub fn action_params(
    meta: &CharmMetadata,
    action: &str,
    raw: &[(String, String)],
) -> Result<Map<String, Value>> {
    check_action_params(meta, action, super::params::from_pairs(Map::new(), raw)?)
}

/// Checks parameters against the action's schema and fills in defaults, as Juju does
/// before the action runs.
pub fn check_action_params(
    meta: &CharmMetadata,
    action: &str,
    mut params: Map<String, Value>,
) -> Result<Map<String, Value>> {
    let declared = meta.action(action).ok_or_else(|| {
        let mut names: Vec<String> = meta.actions.iter().map(|a| a.name.clone()).collect();
        names.sort();
        Error::msg(format!(
            "action {action:?} not defined for {} (actions: {})",
            meta.name,
            list(&names)
        ))
    })?;
    for (k, v) in &params {
        match declared.params.iter().find(|p| p.name == *k) {
            None if !declared.additional_properties => {
                let mut names: Vec<String> =
                    declared.params.iter().map(|p| p.name.clone()).collect();
                names.sort();
                return Err(Error::msg(format!(
                    "action {action:?}: parameter {k:?} is not allowed (parameters: {})",
                    list(&names)
                )));
            }
            None => {}
            Some(p) => check_type(action, k, v, &p.json_schema())?,
        }
    }
    for req in declared.params.iter().filter(|p| p.required) {
        if !params.contains_key(&req.name) {
            return Err(Error::msg(format!(
                "action {action:?}: parameter {:?} is required",
                req.name
            )));
        }
    }
    for p in &declared.params {
        if let Some(d) = &p.default {
            params.entry(p.name.clone()).or_insert_with(|| d.clone());
        }
    }
    Ok(params)
}

/// Checks one parameter's JSON-schema `type` (and `enum`), with a message like Juju's.
fn check_type(action: &str, key: &str, v: &Value, schema: &Map<String, Value>) -> Result<()> {
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

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
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

/// The charm metadata of a saved model (`app.meta` in `model.json`): the runtime's
/// [`CharmMetadata`], or the simulator's own earlier shape (with `options`), which is turned
/// back into the Juju files it was read from and read again.
pub fn saved_metadata<'de, D: Deserializer<'de>>(d: D) -> Result<CharmMetadata, D::Error> {
    let value = Value::deserialize(d)?;
    if value.get("options").is_none() {
        return serde_json::from_value(value).map_err(serde::de::Error::custom);
    }
    let earlier: EarlierMeta = serde_json::from_value(value).map_err(serde::de::Error::custom)?;
    earlier.into_metadata().map_err(|e| {
        serde::de::Error::custom(format!("app.meta (saved by an earlier cargo-charm): {e}"))
    })
}

/// `app.meta` as cargo-charm saved it before the simulator used the runtime's metadata.
#[derive(Deserialize)]
struct EarlierMeta {
    name: String,
    peers: Vec<EarlierEndpoint>,
    provides: Vec<EarlierEndpoint>,
    requires: Vec<EarlierEndpoint>,
    containers: Vec<String>,
    /// Declarations, or (older still) bare names.
    #[serde(default)]
    storage: Vec<EarlierStorage>,
    /// Name → `{type, default, description}`, as in `config.yaml`.
    options: Map<String, Value>,
    actions: Map<String, Value>,
}

#[derive(Deserialize)]
struct EarlierEndpoint {
    name: String,
    interface: String,
    limit: Option<u64>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum EarlierStorage {
    Declared {
        name: String,
        #[serde(rename = "type")]
        kind: String,
        location: Option<String>,
        min: u64,
        max: Option<u64>,
    },
    Name(String),
}

/// A JSON object with its entries in the given order, from their JSON texts (JSON is YAML,
/// and `serde_json::Map` would sort the entries).
fn ordered_object(entries: impl IntoIterator<Item = (String, String)>) -> String {
    let entries: Vec<String> = entries
        .into_iter()
        .map(|(k, v)| format!("{}: {v}", Value::from(k)))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

impl EarlierMeta {
    /// The `metadata.yaml`, `config.yaml` and `actions.yaml` this was read from (as JSON,
    /// which is YAML), read again. Lists keep the saved order, the metadata's: storage
    /// numbering and listings follow it.
    fn into_metadata(self) -> std::result::Result<CharmMetadata, MetadataError> {
        let endpoints = |list: Vec<EarlierEndpoint>| {
            ordered_object(list.into_iter().map(|e| {
                let declared = json!({"interface": e.interface, "limit": e.limit});
                (e.name, declared.to_string())
            }))
        };
        let storage = ordered_object(self.storage.into_iter().map(|s| match s {
            EarlierStorage::Declared {
                name,
                kind,
                location,
                min,
                max,
            } => {
                let range = match max {
                    Some(max) => format!("{min}-{max}"),
                    None => format!("{min}-"),
                };
                let declared =
                    json!({"type": kind, "location": location, "multiple": {"range": range}});
                (name, declared.to_string())
            }
            EarlierStorage::Name(name) => (name, json!({"type": "filesystem"}).to_string()),
        }));
        let containers = ordered_object(self.containers.into_iter().map(|c| (c, "{}".into())));
        let metadata = ordered_object([
            ("name".into(), Value::from(self.name).to_string()),
            ("peers".into(), endpoints(self.peers)),
            ("provides".into(), endpoints(self.provides)),
            ("requires".into(), endpoints(self.requires)),
            ("containers".into(), containers),
            ("storage".into(), storage),
        ]);
        // Actions were saved with `additional_properties` for `additionalProperties`.
        let actions: Map<String, Value> = self
            .actions
            .into_iter()
            .map(|(name, mut a)| {
                if let Some(a) = a.as_object_mut() {
                    if let Some(extra) = a.remove("additional_properties") {
                        a.insert("additionalProperties".into(), extra);
                    }
                }
                (name, a)
            })
            .collect();
        let config = json!({ "options": self.options }).to_string();
        let actions = Value::Object(actions).to_string();
        let mut meta = CharmMetadata::from_juju_files(&metadata, Some(&config), Some(&actions))?;
        // A storage saved as `1-1` is one without `multiple`.
        for s in &mut meta.storage {
            if s.multiple == Some(StorageRange::ONE) {
                s.multiple = None;
            }
        }
        Ok(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use charm_runtime::metadata::StorageKind;

    #[test]
    fn storage_locations() {
        let mut s = Storage {
            name: "data".into(),
            kind: StorageKind::Filesystem,
            description: None,
            location: None,
            multiple: None,
        };
        assert_eq!(juju_location(&s, 0), "/var/lib/juju/storage/data/0");
        s.location = Some("/srv/data".into());
        assert_eq!(juju_location(&s, 4), "/srv/data");
        s.multiple = Some(StorageRange {
            min: 1,
            max: Some(3),
        });
        assert_eq!(juju_location(&s, 4), "/srv/data/data/4");
        s.multiple = Some(StorageRange { min: 1, max: None });
        assert_eq!(juju_location(&s, 2), "/srv/data/data/2");
    }

    #[derive(Deserialize)]
    struct Saved {
        #[serde(deserialize_with = "saved_metadata")]
        meta: CharmMetadata,
    }

    /// `app.meta` as an earlier cargo-charm saved it for a charm with storage, config,
    /// actions, containers and endpoints (the `old-charm` of the simulator's tests).
    fn earlier() -> Value {
        json!({
            "name": "old-charm",
            "peers": [{"name": "replicas", "interface": "old_peers", "limit": null}],
            "provides": [],
            "requires": [{"name": "db", "interface": "pg", "limit": 1}],
            "containers": ["app"],
            "storage": [
                {"name": "data", "type": "filesystem", "location": null, "min": 1, "max": 3},
                {"name": "logs", "type": "filesystem", "location": "/srv/logs", "min": 1, "max": 1},
                {"name": "scratch", "type": "block", "location": null, "min": 0, "max": null},
                "cache"
            ],
            "options": {
                "name": {"type": "string", "default": null, "description": "no type"},
                "port": {"type": "int", "default": 8080, "description": null},
                "ratio": {"type": "float", "default": 1, "description": null}
            },
            "actions": {
                "go": {
                    "params": {
                        "any": {},
                        "mode": {"enum": ["fast", "slow"], "type": "string"},
                        "n": {"default": 3, "type": "integer"}
                    },
                    "required": ["mode"],
                    "additional_properties": false
                },
                "snap": {"params": {}, "required": [], "additional_properties": true}
            }
        })
    }

    #[test]
    fn models_saved_earlier_still_load() {
        let saved: Saved = serde_json::from_value(json!({ "meta": earlier() })).unwrap();
        let meta = saved.meta;
        assert_eq!(meta.name, "old-charm");
        assert_eq!(endpoint_names(&meta), ["replicas", "db"]);
        assert_eq!(meta.endpoint("db").unwrap().1.limit, Some(1));
        assert_eq!(meta.container("app").unwrap().resource, "");
        let ranges: Vec<(&str, StorageRange, StorageKind)> = meta
            .storage
            .iter()
            .map(|s| (s.name.as_str(), range(s), s.kind))
            .collect();
        let r = |min, max| StorageRange { min, max };
        assert_eq!(
            ranges,
            [
                ("data", r(1, Some(3)), StorageKind::Filesystem),
                ("logs", r(1, Some(1)), StorageKind::Filesystem),
                ("scratch", r(0, None), StorageKind::Block),
                ("cache", r(1, Some(1)), StorageKind::Filesystem),
            ]
        );
        assert_eq!(meta.storage("logs").unwrap().multiple, None);
        assert_eq!(juju_location(meta.storage("logs").unwrap(), 1), "/srv/logs");
        assert_eq!(option_names(&meta), ["name", "port", "ratio"]);
        assert_eq!(config_default(meta.config_option("name").unwrap()), None);
        assert_eq!(
            config_default(meta.config_option("ratio").unwrap()),
            Some(json!(1))
        );
        assert_eq!(config_value(&meta, "port", "9000").unwrap(), json!(9000));
        let run = |raw: &[(&str, &str)]| {
            let raw: Vec<(String, String)> = raw
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            action_params(&meta, "go", &raw).map_err(|e| e.message)
        };
        assert_eq!(
            run(&[("mode", "fast")]).unwrap(),
            *json!({"mode": "fast", "n": 3}).as_object().unwrap()
        );
        assert!(run(&[("mode", "medium")])
            .unwrap_err()
            .contains("must be one of"));
        assert!(run(&[("mode", "fast"), ("x", "1")])
            .unwrap_err()
            .contains("parameter \"x\" is not allowed (parameters: any, mode, n)"));
        assert!(meta.action("snap").unwrap().additional_properties);

        // Saved again, it is the runtime's shape, which loads as is.
        let again: Saved =
            serde_json::from_value(json!({ "meta": serde_json::to_value(&meta).unwrap() }))
                .unwrap();
        assert_eq!(again.meta, meta);
    }

    #[test]
    fn a_corrupt_saved_metadata_is_an_error() {
        let mut bad = earlier();
        bad["storage"][0]["type"] = json!("tape");
        let e = serde_json::from_value::<Saved>(json!({ "meta": bad }))
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("app.meta (saved by an earlier cargo-charm): metadata.yaml: storage.data.type: unknown variant `tape`"),
            "{e}"
        );
        let e = serde_json::from_value::<Saved>(json!({ "meta": {"name": 3} }))
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("invalid type"), "{e}");
    }
}
