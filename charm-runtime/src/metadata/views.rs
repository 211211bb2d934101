//! The metadata files' own shapes, as serde structs: `charmcraft.yaml`, and the
//! `metadata.yaml`, `config.yaml`, `actions.yaml` and `manifest.yaml` charmcraft puts in a
//! `.charm`. Rendering fills them from the model (`render.rs`); reading parses a file into
//! them and builds the model (`read.rs`).
//!
//! Field order is the order `charmcraft.yaml` is written in (the `.charm` files have their
//! keys sorted afterwards). Unset fields and empty sections are left out. Reading is lenient
//! where Juju is: sections may be absent or null, keys the model does not describe are
//! ignored.

use super::{ConfigValue, OptionType, ParamType, ResourceKind, Scope, StorageKind};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

/// `charmcraft.yaml`, keys in a fixed, readable order.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct CharmcraftYaml {
    /// `charm`.
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "LinksYaml::is_empty")]
    pub links: LinksYaml,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "requirements"
    )]
    pub assumes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub platforms: Named<Shorthand>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub parts: Named<PartYaml>,
    // The sections `metadata.yaml` has too.
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub containers: Named<ContainerYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub resources: Named<ResourceYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub peers: Named<EndpointYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub provides: Named<EndpointYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub requires: Named<EndpointYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub storage: Named<StorageYaml>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<ConfigYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub actions: ActionsYaml,
}

/// `charmcraft.yaml`'s `links`. charmcraft also takes a list for `contact`, `issues`,
/// `source` and `website`; the model keeps the first entry.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct LinksYaml {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first"
    )]
    pub contact: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first"
    )]
    pub documentation: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first"
    )]
    pub issues: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first"
    )]
    pub source: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first"
    )]
    pub website: Option<String>,
}

impl LinksYaml {
    fn is_empty(&self) -> bool {
        [
            &self.contact,
            &self.documentation,
            &self.issues,
            &self.source,
            &self.website,
        ]
        .iter()
        .all(|l| l.is_none())
    }
}

/// A platform's value. Written as null: charmcraft's shorthand `platforms: {amd64: }`,
/// which it expands to `{build-on: [amd64], build-for: [amd64]}`. Read and ignored (the
/// model keeps platform names only).
#[derive(Debug)]
pub(super) struct Shorthand;

impl Serialize for Shorthand {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

impl<'de> Deserialize<'de> for Shorthand {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(d)?;
        Ok(Shorthand)
    }
}

/// A craft-parts part. The model's build is a `charm` part built by the `rust` plugin,
/// which runs `cargo install --locked --path <rust-path>` into the part's `bin/`; the binary
/// is then moved to the charm root as `dispatch`. Other plugins' keys are ignored.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct PartYaml {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rust_path: Vec<String>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub organize: Named<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prime: Vec<String>,
}

/// `metadata.yaml`: what Juju reads (charmcraft writes it from `charmcraft.yaml`, with
/// `title` as `display-name` and the links as `maintainers`, `docs`, `issues`, `source`
/// and `website`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct MetadataYaml {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub description: String,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub maintainers: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first"
    )]
    pub docs: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first"
    )]
    pub issues: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first"
    )]
    pub source: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first"
    )]
    pub website: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "requirements"
    )]
    pub assumes: Vec<String>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub containers: Named<ContainerYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub resources: Named<ResourceYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub peers: Named<EndpointYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub provides: Named<EndpointYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub requires: Named<EndpointYaml>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub storage: Named<StorageYaml>,
}

/// A workload container. Other keys (`bases`, `uid`, ...) are ignored.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct ContainerYaml {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<MountYaml>,
}

/// One of a container's `mounts`.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct MountYaml {
    pub storage: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// A resource. Without `type`, a `file`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct ResourceYaml {
    #[serde(rename = "type", default = "file")]
    pub kind: ResourceKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream_source: Option<String>,
}

fn file() -> ResourceKind {
    ResourceKind::File
}

/// A relation endpoint.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct EndpointYaml {
    pub interface: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
}

/// A storage. `type` is optional here so that reading can say which storage lacks it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StorageYaml {
    #[serde(rename = "type", default)]
    pub kind: Option<StorageKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple: Option<MultipleYaml>,
}

/// `multiple: {range: ...}`; the range is text (`1-3`) or a number (`2`).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct MultipleYaml {
    #[serde(deserialize_with = "text_or_number")]
    pub range: String,
}

/// `config.yaml`, and `charmcraft.yaml`'s `config`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct ConfigYaml {
    #[serde(default)]
    pub options: Named<OptionYaml>,
}

/// A config option. Without `type`, a `string` (as Juju reads it).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct OptionYaml {
    #[serde(rename = "type", default = "string")]
    pub kind: OptionType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<ConfigValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

fn string() -> OptionType {
    OptionType::String
}

/// `actions.yaml`, and `charmcraft.yaml`'s `actions`.
pub(super) type ActionsYaml = Named<ActionYaml>;

/// An action. Without `additionalProperties`, other parameters are accepted (Juju 3).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct ActionYaml {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub params: Named<ParamYaml>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    #[serde(rename = "additionalProperties", default = "yes")]
    pub additional_properties: bool,
}

fn yes() -> bool {
    true
}

/// An action parameter: a JSON schema. Most say a `type` the model has, and perhaps a
/// `description` and a `default` ([`ParamYaml::Typed`]); any other schema is kept whole.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum ParamYaml {
    /// `type` (one of [`ParamType`]'s), `description`, `default`, and nothing else.
    Typed(TypedParamYaml),
    /// Any other JSON schema.
    Schema(Map<String, Value>),
}

/// See [`ParamYaml::Typed`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TypedParamYaml {
    #[serde(rename = "type")]
    pub kind: ParamType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
}

/// The `manifest.yaml` charmcraft writes into a `.charm`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct ManifestYaml {
    pub analysis: AnalysisYaml,
    pub bases: Vec<ManifestBaseYaml>,
    pub charmcraft_started_at: String,
    pub charmcraft_version: String,
}

/// `manifest.yaml`'s `analysis`.
#[derive(Debug, Serialize)]
pub(super) struct AnalysisYaml {
    pub attributes: Vec<AttributeYaml>,
}

/// One `analysis` attribute (`language: rust`, ...).
#[derive(Debug, Serialize)]
pub(super) struct AttributeYaml {
    pub name: String,
    pub result: String,
}

/// One of `manifest.yaml`'s `bases`.
#[derive(Debug, Serialize)]
pub(super) struct ManifestBaseYaml {
    pub architectures: Vec<String>,
    pub channel: String,
    pub name: String,
}

/// A YAML mapping from names to `T`, kept in the file's order (`peers: {db: ..., ...}`).
/// Null reads as empty. (The YAML parser refuses a name given twice.)
#[derive(Debug)]
pub(super) struct Named<T>(pub Vec<(String, T)>);

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named(Vec::new())
    }
}

impl<T> Named<T> {
    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> FromIterator<(String, T)> for Named<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        Named(iter.into_iter().collect())
    }
}

impl<T> IntoIterator for Named<T> {
    type Item = (String, T);
    type IntoIter = std::vec::IntoIter<(String, T)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Named<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NamedVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for NamedVisitor<T> {
            type Value = Named<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from names to entries")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Named<T>, E> {
                Ok(Named::default())
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Named<T>, A::Error> {
                let mut out: Vec<(String, T)> = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    out.push((name, map.next_value()?));
                }
                Ok(Named(out))
            }
        }

        d.deserialize_map(NamedVisitor(PhantomData))
    }
}

/// A string or a list of strings, as a list.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

/// A string, or the first of a list of strings.
fn first<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(one_or_many(d)?.into_iter().next())
}

/// `assumes`: the plain requirements (`juju >= 3.1`, `k8s-api`). Composite `any-of` /
/// `all-of` expressions are not kept: the model has no place for them.
fn requirements<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let entries = Option::<Vec<serde_yaml::Value>>::deserialize(d)?.unwrap_or_default();
    Ok(entries
        .into_iter()
        .filter_map(|e| e.as_str().map(str::to_string))
        .collect())
}

/// A scalar as text: `1-3` or `2`.
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrNumber {
        Text(String),
        Number(u64),
    }
    Ok(match TextOrNumber::deserialize(d)? {
        TextOrNumber::Text(s) => s,
        TextOrNumber::Number(n) => n.to_string(),
    })
}
