//! Where metadata is rendered: the typed charm metadata that `#[charm]` generates (the way
//! kube-derive generates `crd()`), and its rendering to `charmcraft.yaml` and to the files
//! charmcraft puts in a `.charm` (`metadata.yaml`, `config.yaml`, `actions.yaml`).
//!
//! The macros never write files: ordinary code calls [`CharmMetadata::to_charmcraft_yaml`].

mod render;

pub use render::GENERATED_HEADER;

/// Everything `charmcraft.yaml` says about a charm.
#[derive(Debug, Clone, PartialEq, Default)]
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
#[derive(Debug, Clone, PartialEq, Default)]
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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Build {
    /// Path of the charm crate relative to `charmcraft.yaml`.
    pub crate_dir: String,
    /// Name of the binary cargo builds.
    pub binary: String,
}

/// A workload container.
#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    /// Container name.
    pub name: String,
    /// The `oci-image` resource it runs.
    pub resource: String,
}

/// A resource.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `global` (the default).
    Global,
    /// `container` (subordinates).
    Container,
}

/// A relation endpoint.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
pub struct Storage {
    /// Storage name.
    pub name: String,
    /// `filesystem` or `block`.
    pub kind: StorageKind,
    /// Description.
    pub description: Option<String>,
    /// Mount location.
    pub location: Option<String>,
}

/// The type of a storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageKind {
    /// `filesystem`
    Filesystem,
    /// `block`
    Block,
}

/// The type of a config option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A config option's default value.
#[derive(Debug, Clone, PartialEq)]
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

/// A config option.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq)]
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
}
