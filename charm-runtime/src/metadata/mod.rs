//! A charm's metadata: one model of what `charmcraft.yaml` says about a charm, in both
//! directions.
//!
//! - `#[charm]` generates a [`CharmMetadata`] from the charm's code (the way kube-derive
//!   generates `crd()`); ordinary code renders it to `charmcraft.yaml`
//!   ([`CharmMetadata::to_charmcraft_yaml`]) and to the files charmcraft puts in a `.charm`
//!   ([`CharmMetadata::to_charm_files`]). The macros never write files.
//! - Any charm's files (Rust or not) read back into the same model:
//!   [`CharmMetadata::from_charm_dir`], [`CharmMetadata::from_juju_files`],
//!   [`CharmMetadata::from_charmcraft_yaml`]. `cargo charm sim` reads deployed charms so.
//!
//! The model derives `Serialize`/`Deserialize` in its own shape (the simulator saves it);
//! the files' shapes are separate view structs. This file holds the model only: the views
//! (`views.rs`), the reading (`read.rs`), the rendering (`render.rs`) and the YAML emitter
//! (`yaml.rs`) build on it.

mod error;
mod read;
mod render;
mod views;
mod yaml;

#[cfg(test)]
mod tests;

pub use error::MetadataError;

use serde::{Deserialize, Serialize};

/// Everything `charmcraft.yaml` says about a charm.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CharmMetadata {
    /// Charmhub name, lowercase with dashes.
    pub name: String,
    /// Human title (`display-name` in `metadata.yaml`).
    pub title: Option<String>,
    /// One line, at most 78 characters.
    pub summary: String,
    /// Longer description.
    pub description: String,
    /// Project links.
    pub links: Links,
    /// `assumes` entries, e.g. `juju >= 3.1` and `k8s-api`.
    pub assumes: Vec<String>,
    /// The run base, e.g. `ubuntu@22.04`.
    pub base: String,
    /// Platform names, e.g. `amd64`.
    pub platforms: Vec<String>,
    /// How charmcraft builds the charm binary.
    pub build: Build,
    /// Workload containers (Kubernetes charms).
    pub containers: Vec<Container>,
    /// Resources (one `oci-image` per container).
    pub resources: Vec<Resource>,
    /// Peer endpoints.
    pub peers: Vec<Endpoint>,
    /// Endpoints this charm provides.
    pub provides: Vec<Endpoint>,
    /// Endpoints this charm requires.
    pub requires: Vec<Endpoint>,
    /// Storage declarations.
    pub storage: Vec<Storage>,
    /// Config options.
    pub config: Vec<ConfigOption>,
    /// Actions.
    pub actions: Vec<Action>,
}

/// The `links` section.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Links {
    /// `contact`
    pub contact: Option<String>,
    /// `documentation`
    pub documentation: Option<String>,
    /// `issues`
    pub issues: Option<String>,
    /// `source`
    pub source: Option<String>,
    /// `website`
    pub website: Option<String>,
}

/// How the charm binary is built by `charmcraft pack`: craft-parts' `rust` plugin builds
/// the crate and the binary is installed at the charm root as `dispatch`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Build {
    /// Path of the charm crate relative to `charmcraft.yaml`.
    pub crate_dir: String,
    /// Name of the binary cargo builds.
    pub binary: String,
}

/// A workload container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Container {
    /// Container name.
    pub name: String,
    /// The `oci-image` resource it runs (empty for a container declared without one).
    pub resource: String,
    /// Storage mounted into the container.
    pub mounts: Vec<Mount>,
}

/// A storage mounted into a container (`mounts:` of a container).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mount {
    /// The storage's name.
    pub storage: String,
    /// Where it is mounted in the container.
    pub location: Option<String>,
}

/// A resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Resource name.
    pub name: String,
    /// `oci-image` or `file`.
    pub kind: ResourceKind,
    /// Description.
    pub description: Option<String>,
    /// For `oci-image`: the image reference tests and CI deploy.
    pub upstream_source: Option<String>,
    /// For `file`: the file name.
    pub filename: Option<String>,
}

/// The type of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    /// `oci-image`
    OciImage,
    /// `file`
    File,
}

/// Which section an endpoint is declared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// `peers`
    Peer,
    /// `provides`
    Provides,
    /// `requires`
    Requires,
}

/// The scope of a relation endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// `global` (the default).
    Global,
    /// `container` (subordinates).
    Container,
}

/// A relation endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    /// Endpoint name.
    pub name: String,
    /// Interface name.
    pub interface: String,
    /// `limit`
    pub limit: Option<u32>,
    /// `optional`
    pub optional: Option<bool>,
    /// `scope`
    pub scope: Option<Scope>,
}

/// A storage declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Storage {
    /// Storage name.
    pub name: String,
    /// `filesystem` or `block`.
    pub kind: StorageKind,
    /// Description.
    pub description: Option<String>,
    /// Mount location.
    pub location: Option<String>,
    /// `multiple: {range: ...}`: how many instances a unit may have. `None`: exactly one.
    pub multiple: Option<StorageRange>,
}

/// The type of a storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StorageKind {
    /// `filesystem`
    Filesystem,
    /// `block`
    Block,
}

/// A storage's `multiple: {range: ...}`: `N` (exactly N), `N-M`, or `N-` / `N+` (at least
/// N). The text form is what [`std::fmt::Display`] writes and [`str::parse`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageRange {
    /// The fewest instances: what each unit gets at deploy.
    pub min: u32,
    /// The most instances a unit may have; `None`: no limit.
    pub max: Option<u32>,
}

impl StorageRange {
    /// Exactly one instance: a storage declared without `multiple`.
    pub const ONE: StorageRange = StorageRange {
        min: 1,
        max: Some(1),
    };
}

impl std::fmt::Display for StorageRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.max {
            Some(max) if max == self.min => write!(f, "{max}"),
            Some(max) => write!(f, "{}-{max}", self.min),
            None => write!(f, "{}-", self.min),
        }
    }
}

impl std::str::FromStr for StorageRange {
    type Err = String;

    /// Reads `N`, `N-M`, `N-` or `N+`; refuses a range whose maximum is 0 or below its
    /// minimum.
    fn from_str(text: &str) -> Result<StorageRange, String> {
        let bad = || format!("invalid multiple range {text:?} (expected N, N-M, N- or N+)");
        let text = text.trim();
        let num = |s: &str| s.trim().parse::<u32>().map_err(|_| bad());
        let (min, max) = if let Some(lo) = text.strip_suffix('+').or_else(|| text.strip_suffix('-'))
        {
            (num(lo)?, None)
        } else if let Some((lo, hi)) = text.split_once('-') {
            (num(lo)?, Some(num(hi)?))
        } else {
            let n = num(text)?;
            (n, Some(n))
        };
        if max.is_some_and(|m| m < min || m == 0) {
            return Err(bad());
        }
        Ok(StorageRange { min, max })
    }
}

/// The type of a config option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OptionType {
    /// `string`
    String,
    /// `int`
    Int,
    /// `float`
    Float,
    /// `boolean`
    Boolean,
    /// `secret` (a secret URI string)
    Secret,
}

/// A config option's default value, as written (a `float` option's default may be an
/// integer). It serializes as the plain value (`8000`, `"hello"`, `true`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ConfigValue {
    /// A string (also for `secret`).
    String(String),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Boolean(bool),
}

impl<'de> Deserialize<'de> for ConfigValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl serde::de::Visitor<'_> for ValueVisitor {
            type Value = ConfigValue;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, a number or a boolean")
            }

            fn visit_str<E>(self, v: &str) -> Result<ConfigValue, E> {
                Ok(ConfigValue::String(v.to_string()))
            }

            fn visit_i64<E>(self, v: i64) -> Result<ConfigValue, E> {
                Ok(ConfigValue::Int(v))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ConfigValue, E> {
                i64::try_from(v)
                    .map(ConfigValue::Int)
                    .map_err(|_| E::custom(format!("{v} is too large for an int")))
            }

            fn visit_f64<E>(self, v: f64) -> Result<ConfigValue, E> {
                Ok(ConfigValue::Float(v))
            }

            fn visit_bool<E>(self, v: bool) -> Result<ConfigValue, E> {
                Ok(ConfigValue::Boolean(v))
            }
        }

        d.deserialize_any(ValueVisitor)
    }
}

/// A config option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigOption {
    /// Option name, e.g. `server-port`.
    pub name: String,
    /// Its type.
    pub kind: OptionType,
    /// Its default, if any.
    pub default: Option<ConfigValue>,
    /// Its description.
    pub description: Option<String>,
}

/// An action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// Action name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Parameters (a JSON-schema property each).
    pub params: Vec<ActionParam>,
    /// Whether parameters not listed are accepted.
    pub additional_properties: bool,
}

/// The JSON-schema type of an action parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamType {
    /// `string`
    String,
    /// `integer`
    Integer,
    /// `number`
    Number,
    /// `boolean`
    Boolean,
}

/// An action parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionParam {
    /// Parameter name.
    pub name: String,
    /// JSON-schema type.
    pub kind: ParamType,
    /// Description.
    pub description: Option<String>,
    /// Default value, filled in by Juju when the parameter is not given.
    pub default: Option<serde_json::Value>,
    /// Whether the parameter must be given.
    pub required: bool,
    /// The parameter's whole JSON schema as an `actions.yaml` wrote it, when it says more
    /// than `kind`, `description` and `default` can: another `type` (`array`, `object`, a
    /// list of types), no `type` at all, or keywords such as `enum` and `minimum`. Charms
    /// in other languages have such parameters; `#[action]` never makes one. When set, it
    /// is the parameter's schema and `kind` is only its nearest [`ParamType`] (`String`
    /// when none fits).
    pub schema: Option<serde_json::Map<String, serde_json::Value>>,
}

impl ActionParam {
    /// The parameter's JSON schema: [`Self::schema`] when set, else `type` from `kind`
    /// with `description` and `default`.
    pub fn json_schema(&self) -> serde_json::Map<String, serde_json::Value> {
        if let Some(schema) = &self.schema {
            return schema.clone();
        }
        let mut schema = serde_json::Map::new();
        schema.insert("type".into(), self.kind.as_str().into());
        if let Some(d) = &self.description {
            schema.insert("description".into(), d.as_str().into());
        }
        if let Some(d) = &self.default {
            schema.insert("default".into(), d.clone());
        }
        schema
    }
}

impl ParamType {
    /// The JSON-schema name: `string`, `integer`, `number` or `boolean`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Integer => "integer",
            ParamType::Number => "number",
            ParamType::Boolean => "boolean",
        }
    }
}

impl CharmMetadata {
    /// The endpoint with this name, in any of the three sections, with its role.
    pub fn endpoint(&self, name: &str) -> Option<(Role, &Endpoint)> {
        let find = |list: &'_ [Endpoint]| list.iter().position(|e| e.name == name);
        if let Some(i) = find(&self.peers) {
            return Some((Role::Peer, &self.peers[i]));
        }
        if let Some(i) = find(&self.provides) {
            return Some((Role::Provides, &self.provides[i]));
        }
        find(&self.requires).map(|i| (Role::Requires, &self.requires[i]))
    }

    /// Every endpoint: peers, then provides, then requires, each in declared order.
    pub fn endpoints(&self) -> impl Iterator<Item = &Endpoint> {
        self.peers
            .iter()
            .chain(&self.provides)
            .chain(&self.requires)
    }

    /// The config option with this name.
    pub fn config_option(&self, name: &str) -> Option<&ConfigOption> {
        self.config.iter().find(|o| o.name == name)
    }

    /// The action with this name.
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.name == name)
    }

    /// The container with this name.
    pub fn container(&self, name: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.name == name)
    }

    /// The storage with this name.
    pub fn storage(&self, name: &str) -> Option<&Storage> {
        self.storage.iter().find(|s| s.name == name)
    }
}
