//! Support for generated code; not a public API.
//!
//! The macros name every runtime item they use through this module
//! (`::charm_runtime::__private::Charm`, or `<path>::__private::Charm` with a
//! `crate = "<path>"` override), never through the public modules, so reorganising those
//! never breaks generated code. The bodies they generate are short calls of the functions
//! here, which keeps `cargo expand` output readable.

// `#[charm]`: the trait and its parts, the event enums of `On`, the endpoint consts and
// their roles, the config join, the handlers' action parameters.
pub use crate::config::NoConfig;
pub use crate::dispatch::{Charm, Handler, On, WorkloadHook};
pub use crate::event::{RelationEventKind, SecretEventKind, StorageEventKind};
pub use crate::metadata::CharmMetadata;
pub use crate::model::config::ModelConfig;
pub use crate::model::{ContainerName, Model};
pub use crate::relation::{DeclaredEndpoint, Endpoint, Peer, Provides, Requires};

// `#[derive(CharmConfig)]`.
pub use crate::config::{option as config_option, read_option as config_read};
pub use crate::config::{CharmConfig, ConfigError};
pub use crate::metadata::ConfigOption;

// `#[derive(ActionParams)]`.
pub use crate::metadata::ActionParam;
pub use crate::params::{param as action_param, read_param as action_read};
pub use crate::params::{ActionParams, ParamError};

// `#[derive(Databag)]`.
pub use crate::databag::{Codec, Databag, FieldCodec, FieldError, Json, Raw};
pub use crate::databag::{JsonMissing, RawMissing};
pub use crate::hooktools::cmd::BagData;

// `#[json_value]`: serde's derives, and `#[serde(crate = "...::__private::serde")]`.
pub use serde;

pub use std::string::String;
pub use std::vec::Vec;

/// What `CharmConfig::from_config` reads: the JSON object `config-get` printed.
pub type ConfigValues = serde_json::Map<String, serde_json::Value>;

/// What a handler may return: `()` or `Result<(), E>` with `E: Into<Error>` (every std
/// error, `anyhow::Error`, `String`, `&str`).
#[diagnostic::on_unimplemented(
    message = "a handler returns `()` or `Result<(), E>` with `E: Into<charm_runtime::Error>`, not `{Self}`",
    label = "this handler's return type"
)]
pub trait HandlerReturn {
    /// Converts into the runtime's result.
    fn into_result(self) -> crate::Result<()>;
}

impl HandlerReturn for () {
    fn into_result(self) -> crate::Result<()> {
        Ok(())
    }
}

impl<E: Into<crate::Error>> HandlerReturn for Result<(), E> {
    fn into_result(self) -> crate::Result<()> {
        self.map_err(Into::into)
    }
}

/// Converts a handler's return value.
pub fn handler_result<R: HandlerReturn>(r: R) -> crate::Result<()> {
    r.into_result()
}

/// The running action's parameters, for a handler that takes them as its third argument.
pub fn action_params<P: ActionParams>(model: &mut Model<'_>) -> crate::Result<P> {
    model.action_params()
}

/// Short constructors for the `metadata()` that `#[charm]` generates.
pub mod meta {
    pub use crate::metadata::{
        Action, ActionParam, Build, CharmMetadata, Container, Endpoint, Links, Mount, Resource,
        ResourceKind, Scope, Storage, StorageKind,
    };
    pub use core::option::Option::{None, Some};
    /// An owned string.
    pub fn s(v: &str) -> String {
        v.to_owned()
    }

    /// Owned strings.
    pub fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// An array as a `Vec`.
    pub fn list<T, const N: usize>(items: [T; N]) -> Vec<T> {
        items.into()
    }

    /// A relation endpoint.
    pub fn endpoint(
        name: &str,
        interface: &str,
        limit: Option<u32>,
        optional: Option<bool>,
        scope: Option<Scope>,
    ) -> Endpoint {
        Endpoint {
            name: s(name),
            interface: s(interface),
            limit,
            optional,
            scope,
        }
    }

    /// A workload container, with the storage mounted into it.
    pub fn container(name: &str, resource: &str, mounts: Vec<Mount>) -> Container {
        Container {
            name: s(name),
            resource: s(resource),
            mounts,
        }
    }

    /// A storage mounted into a container.
    pub fn mount(storage: &str, location: Option<&str>) -> Mount {
        Mount {
            storage: s(storage),
            location: location.map(s),
        }
    }

    /// A resource.
    pub fn resource(
        name: &str,
        kind: ResourceKind,
        description: Option<&str>,
        upstream_source: Option<&str>,
        filename: Option<&str>,
    ) -> Resource {
        Resource {
            name: s(name),
            kind,
            description: description.map(s),
            upstream_source: upstream_source.map(s),
            filename: filename.map(s),
        }
    }

    /// A storage.
    pub fn storage(
        name: &str,
        kind: StorageKind,
        description: Option<&str>,
        location: Option<&str>,
    ) -> Storage {
        Storage {
            name: s(name),
            kind,
            description: description.map(s),
            location: location.map(s),
            multiple: None,
        }
    }

    /// An action.
    pub fn action(
        name: &str,
        description: Option<&str>,
        additional_properties: bool,
        params: Vec<ActionParam>,
    ) -> Action {
        Action {
            name: s(name),
            description: description.map(s),
            params,
            additional_properties,
        }
    }
}
