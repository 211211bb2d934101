//! Reading any charm's metadata files into a [`CharmMetadata`]: the `metadata.yaml`,
//! `config.yaml` and `actions.yaml` Juju reads from a charm directory (whatever language
//! the charm is written in), or a `charmcraft.yaml` that holds all three. Each file is
//! parsed into its view struct (`views.rs`), then checked and turned into the model.
//!
//! Errors name the file and the key: `metadata.yaml: storage.data.type: unknown variant
//! ...`, `metadata.yaml: storage `data` needs ...`.

use super::views::{
    ActionsYaml, CharmcraftYaml, ConfigYaml, ContainerYaml, EndpointYaml, MetadataYaml, Named,
    ParamYaml, PartYaml, ResourceYaml, StorageYaml,
};
use super::{
    Action, ActionParam, Build, CharmMetadata, ConfigOption, Container, Endpoint, Links,
    MetadataError, Mount, ParamType, Resource, Storage,
};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `text` (the contents of `file`) as the view `T`. A YAML syntax error is
/// [`MetadataError::NotYaml`]; an empty document is `T::default()` when `empty_ok`; any
/// other shape error names the key.
fn parse<T: DeserializeOwned + Default>(
    file: &str,
    text: &str,
    empty_ok: bool,
) -> Result<T, MetadataError> {
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| MetadataError::NotYaml {
            file: file.to_string(),
            message: e.to_string(),
        })?;
    match value {
        serde_yaml::Value::Null if empty_ok => Ok(T::default()),
        serde_yaml::Value::Mapping(_) => {
            serde_yaml::from_str(text).map_err(|e| MetadataError::invalid(file, e.to_string()))
        }
        _ => Err(MetadataError::invalid(file, "not a mapping")),
    }
}

fn container((name, c): (String, ContainerYaml)) -> Container {
    Container {
        name,
        resource: c.resource,
        mounts: c
            .mounts
            .into_iter()
            .map(|m| Mount {
                storage: m.storage,
                location: m.location,
            })
            .collect(),
    }
}

fn resource((name, r): (String, ResourceYaml)) -> Resource {
    Resource {
        name,
        kind: r.kind,
        description: r.description,
        upstream_source: r.upstream_source,
        filename: r.filename,
    }
}

fn endpoints(section: Named<EndpointYaml>) -> Vec<Endpoint> {
    section
        .into_iter()
        .map(|(name, e)| Endpoint {
            name,
            interface: e.interface,
            limit: e.limit,
            optional: e.optional,
            scope: e.scope,
        })
        .collect()
}

fn storages(file: &str, section: Named<StorageYaml>) -> Result<Vec<Storage>, MetadataError> {
    section
        .into_iter()
        .map(|(name, s)| {
            let kind = s.kind.ok_or_else(|| {
                MetadataError::invalid(
                    file,
                    format!("storage `{name}` needs `type: filesystem` or `type: block`"),
                )
            })?;
            let multiple =
                match s.multiple {
                    Some(m) => Some(m.range.parse().map_err(|e| {
                        MetadataError::invalid(file, format!("storage `{name}`: {e}"))
                    })?),
                    None => None,
                };
            Ok(Storage {
                name,
                kind,
                description: s.description,
                location: s.location.filter(|l| !l.is_empty()),
                multiple,
            })
        })
        .collect()
}

fn config(config: ConfigYaml) -> Vec<ConfigOption> {
    config
        .options
        .into_iter()
        .map(|(name, o)| ConfigOption {
            name,
            kind: o.kind,
            default: o.default,
            description: o.description,
        })
        .collect()
}

fn param(name: String, p: ParamYaml, required: bool) -> ActionParam {
    match p {
        ParamYaml::Typed(t) => ActionParam {
            name,
            kind: t.kind,
            description: t.description,
            default: t.default,
            required,
            schema: None,
        },
        ParamYaml::Schema(schema) => {
            let kind = schema
                .get("type")
                .and_then(|t| serde_json::from_value::<ParamType>(t.clone()).ok())
                .unwrap_or(ParamType::String);
            ActionParam {
                name,
                kind,
                description: schema
                    .get("description")
                    .and_then(|d| d.as_str())
                    .map(str::to_string),
                default: schema.get("default").cloned(),
                required,
                schema: Some(schema),
            }
        }
    }
}

fn actions(file: &str, actions: ActionsYaml) -> Result<Vec<Action>, MetadataError> {
    actions
        .into_iter()
        .map(|(name, a)| {
            if let Some(unknown) = a
                .required
                .iter()
                .find(|r| !a.params.0.iter().any(|(p, _)| p == *r))
            {
                return Err(MetadataError::invalid(
                    file,
                    format!("action `{name}`: `required` names `{unknown}`, which is not one of its params"),
                ));
            }
            let params = a
                .params
                .into_iter()
                .map(|(p, schema)| {
                    let required = a.required.contains(&p);
                    param(p, schema, required)
                })
                .collect();
            Ok(Action {
                name,
                description: a.description,
                params,
                additional_properties: a.additional_properties,
            })
        })
        .collect()
}

/// The build a `charm` part made by the `rust` plugin describes: its `rust-path` and the
/// binary `organize` moves to `dispatch`. Empty for other parts.
fn build(parts: Named<PartYaml>) -> Build {
    let Some((_, part)) = parts.into_iter().find(|(name, _)| name == "charm") else {
        return Build::default();
    };
    if part.plugin.as_deref() != Some("rust") {
        return Build::default();
    }
    let binary = part
        .organize
        .into_iter()
        .find(|(_, to)| to == "dispatch")
        .map(|(from, _)| from.strip_prefix("bin/").unwrap_or(&from).to_string());
    Build {
        crate_dir: part.rust_path.into_iter().next().unwrap_or_default(),
        binary: binary.unwrap_or_default(),
    }
}

/// The model of a `metadata.yaml` view: everything but config, actions, base, platforms
/// and build.
fn from_metadata_view(file: &str, m: MetadataYaml) -> Result<CharmMetadata, MetadataError> {
    if m.name.is_empty() {
        return Err(MetadataError::invalid(file, "no `name`"));
    }
    Ok(CharmMetadata {
        name: m.name,
        title: m.display_name,
        summary: m.summary,
        description: m.description,
        links: Links {
            contact: m.maintainers.into_iter().next(),
            documentation: m.docs,
            issues: m.issues,
            source: m.source,
            website: m.website,
        },
        assumes: m.assumes,
        containers: m.containers.into_iter().map(container).collect(),
        resources: m.resources.into_iter().map(resource).collect(),
        peers: endpoints(m.peers),
        provides: endpoints(m.provides),
        requires: endpoints(m.requires),
        storage: storages(file, m.storage)?,
        ..CharmMetadata::default()
    })
}

/// The model of a `charmcraft.yaml` view. A `charmcraft.yaml` that keeps its metadata in
/// a `metadata.yaml` (no `name`) gives an empty name.
fn from_charmcraft_view(file: &str, c: CharmcraftYaml) -> Result<CharmMetadata, MetadataError> {
    Ok(CharmMetadata {
        name: c.name,
        title: c.title,
        summary: c.summary,
        description: c.description,
        links: Links {
            contact: c.links.contact,
            documentation: c.links.documentation,
            issues: c.links.issues,
            source: c.links.source,
            website: c.links.website,
        },
        assumes: c.assumes,
        base: c.base.unwrap_or_default(),
        platforms: c.platforms.into_iter().map(|(name, _)| name).collect(),
        build: build(c.parts),
        containers: c.containers.into_iter().map(container).collect(),
        resources: c.resources.into_iter().map(resource).collect(),
        peers: endpoints(c.peers),
        provides: endpoints(c.provides),
        requires: endpoints(c.requires),
        storage: storages(file, c.storage)?,
        config: c.config.map(config).unwrap_or_default(),
        actions: actions(file, c.actions)?,
    })
}

/// A file of `dir`, or `None` when it does not exist.
fn read_file(dir: &Path, name: &str) -> Result<Option<String>, MetadataError> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(MetadataError::Unreadable {
            path,
            message: e.to_string(),
        }),
    }
}

impl CharmMetadata {
    /// Reads the files Juju reads from a charm: `metadata.yaml`, and `config.yaml` and
    /// `actions.yaml` when the charm has them. `base`, `platforms` and `build` are not in
    /// these files and stay empty.
    ///
    /// Reading is as lenient as Juju: `summary` and `description` may be missing, a config
    /// option without `type` is a `string`, an action without `additionalProperties`
    /// accepts other parameters, keys the model does not describe are ignored, and so are
    /// composite `assumes` expressions (`any-of`, `all-of`). The first of several
    /// `maintainers` becomes `links.contact`.
    pub fn from_juju_files(
        metadata_yaml: &str,
        config_yaml: Option<&str>,
        actions_yaml: Option<&str>,
    ) -> Result<CharmMetadata, MetadataError> {
        let mut meta = from_metadata_view(
            "metadata.yaml",
            parse("metadata.yaml", metadata_yaml, false)?,
        )?;
        if let Some(text) = config_yaml {
            meta.config = config(parse("config.yaml", text, true)?);
        }
        if let Some(text) = actions_yaml {
            meta.actions = actions("actions.yaml", parse("actions.yaml", text, true)?)?;
        }
        Ok(meta)
    }

    /// Reads a `charmcraft.yaml` that holds a charm's metadata, config and actions (what
    /// [`CharmMetadata::to_charmcraft_yaml`] writes, and the unified `charmcraft.yaml` of
    /// charms in other languages). The `build` is read back from a `charm` part built by
    /// the `rust` plugin. Lenient as [`CharmMetadata::from_juju_files`] is.
    pub fn from_charmcraft_yaml(text: &str) -> Result<CharmMetadata, MetadataError> {
        let file = "charmcraft.yaml";
        let meta = from_charmcraft_view(file, parse(file, text, false)?)?;
        if meta.name.is_empty() {
            return Err(MetadataError::invalid(file, "no `name`"));
        }
        Ok(meta)
    }

    /// Reads a charm directory as Juju does: `metadata.yaml`, `config.yaml` and
    /// `actions.yaml`, each falling back to the matching part of a `charmcraft.yaml` (a
    /// source charm keeps everything there). `base`, `platforms` and `build` come from the
    /// `charmcraft.yaml`, if any. See [`CharmMetadata::from_juju_files`] for what is read.
    pub fn from_charm_dir(dir: &Path) -> Result<CharmMetadata, MetadataError> {
        let charmcraft = match read_file(dir, "charmcraft.yaml")? {
            Some(text) => Some(from_charmcraft_view(
                "charmcraft.yaml",
                parse("charmcraft.yaml", &text, true)?,
            )?),
            None => None,
        };
        let mut meta = match (read_file(dir, "metadata.yaml")?, &charmcraft) {
            (Some(text), _) => CharmMetadata::from_juju_files(&text, None, None)?,
            (None, Some(c)) if c.name.is_empty() => {
                return Err(MetadataError::invalid("charmcraft.yaml", "no `name`"))
            }
            (None, Some(c)) => c.clone(),
            (None, None) => return Err(MetadataError::NoMetadata),
        };
        meta.config = match read_file(dir, "config.yaml")? {
            Some(text) => config(parse("config.yaml", &text, true)?),
            None => charmcraft
                .as_ref()
                .map(|c| c.config.clone())
                .unwrap_or_default(),
        };
        meta.actions = match read_file(dir, "actions.yaml")? {
            Some(text) => actions("actions.yaml", parse("actions.yaml", &text, true)?)?,
            None => charmcraft
                .as_ref()
                .map(|c| c.actions.clone())
                .unwrap_or_default(),
        };
        if let Some(c) = charmcraft {
            meta.base = c.base;
            meta.platforms = c.platforms;
            meta.build = c.build;
        }
        Ok(meta)
    }
}
