//! Rendering [`CharmMetadata`] to `charmcraft.yaml` and to the files charmcraft writes into
//! a `.charm` (`metadata.yaml`, `config.yaml`, `actions.yaml`, `manifest.yaml`): the model
//! fills the view structs of `views.rs`, which the emitter of `yaml.rs` writes.
//!
//! `charmcraft.yaml` keeps the views' fixed, readable key order. The `.charm` files are
//! written with every mapping's keys sorted, as charmcraft does
//! (`yaml.safe_dump(..., sort_keys=True)`), so they compare equal to what `charmcraft pack`
//! would have produced.

use super::views::{
    ActionYaml, ActionsYaml, AnalysisYaml, AttributeYaml, CharmcraftYaml, ConfigYaml,
    ContainerYaml, EndpointYaml, LinksYaml, ManifestBaseYaml, ManifestYaml, MetadataYaml,
    MountYaml, MultipleYaml, Named, OptionYaml, ParamYaml, PartYaml, ResourceYaml, Shorthand,
    StorageYaml, TypedParamYaml,
};
use super::yaml;
use super::{
    Action, ActionParam, CharmMetadata, ConfigOption, Container, Endpoint, Resource, Storage,
};
use serde::Serialize;
use serde_yaml::Value;

/// A view as a YAML value, mapping keys in field order.
fn to_value<T: Serialize>(view: &T) -> Value {
    // The views hold strings, numbers, booleans, JSON values and maps with string keys,
    // all of which yaml_serde's value serializer takes.
    serde_yaml::to_value(view).expect("metadata views serialize to YAML values")
}

/// A view as a `.charm` file: keys sorted, as charmcraft writes them.
fn charm_file<T: Serialize>(view: &T) -> String {
    yaml::document(&yaml::sorted(to_value(view)))
}

/// `name: view(item)` for each item, in declared order.
fn named<T, V>(items: &[T], name: impl Fn(&T) -> &str, view: impl Fn(&T) -> V) -> Named<V> {
    items
        .iter()
        .map(|i| (name(i).to_string(), view(i)))
        .collect()
}

fn container(c: &Container) -> ContainerYaml {
    ContainerYaml {
        resource: c.resource.clone(),
        mounts: c
            .mounts
            .iter()
            .map(|m| MountYaml {
                storage: m.storage.clone(),
                location: m.location.clone(),
            })
            .collect(),
    }
}

fn resource(r: &Resource) -> ResourceYaml {
    ResourceYaml {
        kind: r.kind,
        description: r.description.clone(),
        filename: r.filename.clone(),
        upstream_source: r.upstream_source.clone(),
    }
}

fn endpoint(e: &Endpoint) -> EndpointYaml {
    EndpointYaml {
        interface: e.interface.clone(),
        limit: e.limit,
        optional: e.optional,
        scope: e.scope,
    }
}

fn storage(s: &Storage) -> StorageYaml {
    StorageYaml {
        kind: Some(s.kind),
        description: s.description.clone(),
        location: s.location.clone(),
        multiple: s.multiple.map(|m| MultipleYaml {
            range: m.to_string(),
        }),
    }
}

fn config_option(o: &ConfigOption) -> OptionYaml {
    OptionYaml {
        kind: o.kind,
        default: o.default.clone(),
        description: o.description.clone(),
    }
}

fn action_param(p: &ActionParam) -> ParamYaml {
    match &p.schema {
        Some(schema) => ParamYaml::Schema(schema.clone()),
        None => ParamYaml::Typed(TypedParamYaml {
            kind: p.kind,
            description: p.description.clone(),
            default: p.default.clone(),
        }),
    }
}

fn action(a: &Action) -> ActionYaml {
    ActionYaml {
        description: a.description.clone(),
        params: named(&a.params, |p| &p.name, action_param),
        required: a
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name.clone())
            .collect(),
        additional_properties: a.additional_properties,
    }
}

/// Splits `ubuntu@22.04` into `("ubuntu", "22.04")`.
fn split_base(base: &str) -> (&str, &str) {
    base.split_once('@').unwrap_or((base, ""))
}

impl CharmMetadata {
    /// The comment block at the top of the generated `charmcraft.yaml`: where it comes
    /// from, and the command that regenerates it (the charm binary's `metadata`).
    pub fn generated_header(&self) -> String {
        let binary = match self.build.binary.as_str() {
            "" => "<charm binary>",
            b => b,
        };
        format!(
            "# Generated from the charm's Rust code by charm-runtime. Do not edit.\n\
             # Regenerate with: {binary} metadata > charmcraft.yaml\n"
        )
    }

    /// The `config` section (`{options: {...}}`), or `None` without options.
    fn config_view(&self) -> Option<ConfigYaml> {
        (!self.config.is_empty()).then(|| ConfigYaml {
            options: named(&self.config, |o| &o.name, config_option),
        })
    }

    /// The `actions` section.
    fn actions_view(&self) -> ActionsYaml {
        named(&self.actions, |a| &a.name, action)
    }

    /// The `parts` section: one `charm` part built by craft-parts' `rust` plugin, which
    /// runs `cargo install --locked --path <crate_dir>` into the part's `bin/`; the binary
    /// is then moved to the charm root as `dispatch`. Empty when the build is not set.
    fn parts_view(&self) -> Named<PartYaml> {
        let build = &self.build;
        if build.crate_dir.is_empty() || build.binary.is_empty() {
            return Named::default();
        }
        let part = PartYaml {
            plugin: Some("rust".into()),
            source: Some(".".into()),
            rust_path: vec![build.crate_dir.clone()],
            organize: Named(vec![(format!("bin/{}", build.binary), "dispatch".into())]),
            prime: vec!["dispatch".into()],
        };
        Named(vec![("charm".into(), part)])
    }

    /// `charmcraft.yaml` as a view, keys in a fixed, readable order: `type`, `name`,
    /// `title`, `summary`, `description`, `links`, `assumes`, `base`, `platforms`, `parts`,
    /// `containers`, `resources`, `peers`, `provides`, `requires`, `storage`, `config`,
    /// `actions`. Empty sections and unset fields are left out.
    fn charmcraft_view(&self) -> CharmcraftYaml {
        let l = &self.links;
        CharmcraftYaml {
            kind: "charm".into(),
            name: self.name.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            description: self.description.clone(),
            links: LinksYaml {
                contact: l.contact.clone(),
                documentation: l.documentation.clone(),
                issues: l.issues.clone(),
                source: l.source.clone(),
                website: l.website.clone(),
            },
            assumes: self.assumes.clone(),
            base: (!self.base.is_empty()).then(|| self.base.clone()),
            platforms: self
                .platforms
                .iter()
                .map(|p| (p.clone(), Shorthand))
                .collect(),
            parts: self.parts_view(),
            containers: named(&self.containers, |c| &c.name, container),
            resources: named(&self.resources, |r| &r.name, resource),
            peers: named(&self.peers, |e| &e.name, endpoint),
            provides: named(&self.provides, |e| &e.name, endpoint),
            requires: named(&self.requires, |e| &e.name, endpoint),
            storage: named(&self.storage, |s| &s.name, storage),
            config: self.config_view(),
            actions: self.actions_view(),
        }
    }

    /// The whole `charmcraft.yaml` as a YAML value (see [`Self::to_charmcraft_yaml`] for
    /// the key order).
    pub fn to_charmcraft_value(&self) -> Value {
        to_value(&self.charmcraft_view())
    }

    /// `charmcraft.yaml`: [`Self::generated_header`] followed by the keys in a fixed,
    /// readable order: `type`, `name`, `title`, `summary`, `description`, `links`,
    /// `assumes`, `base`, `platforms`, `parts`, `containers`, `resources`, `peers`,
    /// `provides`, `requires`, `storage`, `config`, `actions`. Empty sections and unset
    /// fields are left out.
    pub fn to_charmcraft_yaml(&self) -> String {
        let mut out = self.generated_header();
        out.push_str(&yaml::document(&self.to_charmcraft_value()));
        out
    }

    /// The `metadata.yaml` charmcraft writes into the `.charm`: `name`, `display-name`
    /// (from `title`), `summary`, `description`, `maintainers` (from `links.contact`),
    /// `docs` (from `links.documentation`), `issues`, `source`, `website`, `assumes`,
    /// `containers`, `resources`, `peers`, `provides`, `requires`, `storage`. Keys are
    /// sorted, as charmcraft writes them.
    pub fn to_metadata_yaml(&self) -> String {
        let l = &self.links;
        charm_file(&MetadataYaml {
            name: self.name.clone(),
            display_name: self.title.clone(),
            summary: self.summary.clone(),
            description: self.description.clone(),
            maintainers: l.contact.iter().cloned().collect(),
            docs: l.documentation.clone(),
            issues: l.issues.clone(),
            source: l.source.clone(),
            website: l.website.clone(),
            assumes: self.assumes.clone(),
            containers: named(&self.containers, |c| &c.name, container),
            resources: named(&self.resources, |r| &r.name, resource),
            peers: named(&self.peers, |e| &e.name, endpoint),
            provides: named(&self.provides, |e| &e.name, endpoint),
            requires: named(&self.requires, |e| &e.name, endpoint),
            storage: named(&self.storage, |s| &s.name, storage),
        })
    }

    /// The `config.yaml` charmcraft writes into the `.charm` (an `options:` map, keys
    /// sorted), or `None` when the charm has no config options.
    pub fn to_config_yaml(&self) -> Option<String> {
        self.config_view().map(|c| charm_file(&c))
    }

    /// The `actions.yaml` charmcraft writes into the `.charm` (keys sorted), or `None`
    /// when the charm has no actions.
    pub fn to_actions_yaml(&self) -> Option<String> {
        (!self.actions.is_empty()).then(|| charm_file(&self.actions_view()))
    }

    /// The `manifest.yaml` charmcraft writes into the `.charm`. `bases` comes from `base`
    /// (`ubuntu@22.04` gives `{name: ubuntu, channel: "22.04"}`) with every platform as an
    /// architecture; a multi-base platform name `ubuntu@24.04:amd64` gives its own base.
    /// `analysis` reports `language: rust` and `framework: charm-runtime`.
    pub fn to_manifest_yaml(&self, charmcraft_version: &str, started_at: &str) -> String {
        let mut bases: Vec<ManifestBaseYaml> = Vec::new();
        for platform in &self.platforms {
            let (base, arch) = platform
                .split_once(':')
                .unwrap_or((self.base.as_str(), platform));
            let (name, channel) = split_base(base);
            match bases
                .iter_mut()
                .find(|b| b.name == name && b.channel == channel)
            {
                Some(b) if b.architectures.iter().any(|a| a == arch) => {}
                Some(b) => b.architectures.push(arch.to_string()),
                None => bases.push(ManifestBaseYaml {
                    architectures: vec![arch.to_string()],
                    channel: channel.to_string(),
                    name: name.to_string(),
                }),
            }
        }
        let attribute = |name: &str, result: &str| AttributeYaml {
            name: name.into(),
            result: result.into(),
        };
        charm_file(&ManifestYaml {
            analysis: AnalysisYaml {
                attributes: vec![
                    attribute("language", "rust"),
                    attribute("framework", "charm-runtime"),
                ],
            },
            bases,
            charmcraft_started_at: started_at.to_string(),
            charmcraft_version: charmcraft_version.to_string(),
        })
    }

    /// The generated files charmcraft puts in a `.charm`, in the order a packer writes them:
    /// `metadata.yaml`, then `config.yaml` and `actions.yaml` when the charm has config
    /// options or actions, then `manifest.yaml` (see [`Self::to_manifest_yaml`] for the two
    /// arguments). Used by `cargo charm pack` through the binary's `metadata --format json`.
    pub fn to_charm_files(
        &self,
        charmcraft_version: &str,
        started_at: &str,
    ) -> Vec<(&'static str, String)> {
        let mut files = vec![("metadata.yaml", self.to_metadata_yaml())];
        if let Some(config) = self.to_config_yaml() {
            files.push(("config.yaml", config));
        }
        if let Some(actions) = self.to_actions_yaml() {
            files.push(("actions.yaml", actions));
        }
        files.push((
            "manifest.yaml",
            self.to_manifest_yaml(charmcraft_version, started_at),
        ));
        files
    }
}
