//! # charm-runtime
//!
//! Write Juju charms in Rust. A charm is a type with an annotated `impl` block:
//! `#[charm(...)]` declares the metadata that becomes `charmcraft.yaml`, `#[on(...)]`
//! routes events to methods, and the binary's `main` calls [`run`].
//!
//! ```
//! use charm_runtime::prelude::*;
//!
//! #[derive(Default)]
//! struct Hello;
//!
//! #[charm(name = "hello", summary = "Says hello", description = "A tiny charm.")]
//! #[peer("replicas", interface = "hello_peers")]
//! impl Hello {
//!     #[on(start)]
//!     fn start(&self, model: &mut Model) -> Result<()> {
//!         model.add_status(active("hello"));
//!         Ok(())
//!     }
//! }
//!
//! let meta = <Hello as Charm>::metadata();
//! assert_eq!(meta.name, "hello");
//! assert_eq!(Hello::REPLICAS.name, "replicas");
//! ```
//!
//! Where things live: [`event`] parses the `JUJU_*` environment, [`hooktools`] calls
//! Juju's tools, [`model`] caches reads and stages writes, [`metadata`] renders
//! `charmcraft.yaml`, [`dispatch`] runs one event end to end.

#![warn(missing_docs)]

pub mod config;
pub mod databag;
pub mod dispatch;
mod error;
pub mod event;
pub mod hooktools;
pub mod json;
pub mod log;
pub mod metadata;
pub mod model;
pub mod port;
pub mod relation;
pub mod status;

pub use charm_macros::{
    action, charm, container, json_value, on, peer, provides, requires, resource, storage,
    CharmConfig, Databag,
};
pub use config::{CharmConfig, ConfigError};
pub use databag::Databag;
pub use dispatch::{dispatch, run, Charm, Handler, On, Outcome};
pub use error::{Context, Error, Result};
pub use event::{Event, HookEnv};
pub use log::LogLevel;
pub use model::Model;
pub use port::Port;
pub use relation::{Bag, Endpoint, Relation, RelationError};
pub use status::{active, blocked, maintenance, waiting, Status};

/// Re-exported for generated code and for `#[json_value]` types.
pub use serde;
/// Re-exported so charms need no direct dependency.
pub use serde_json;

/// Everything a charm usually needs: `use charm_runtime::prelude::*;`.
pub mod prelude {
    pub use crate::{
        action, active, blocked, charm, container, json_value, maintenance, on, peer, provides,
        requires, resource, storage, waiting, Bag, Charm, CharmConfig, Context, Databag, Error,
        LogLevel, Model, Port, Relation, Result, Status,
    };
}

/// Support for generated code; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::config::{option as config_option, read_option as config_read};
    pub use crate::databag::{read_field, read_optional_field, write_field, write_optional_field};
    pub use crate::dispatch::WorkloadHook;
    pub use crate::event::{RelationEventKind, SecretEventKind, StorageEventKind};
    pub use crate::metadata;
    pub use std::collections::BTreeMap;
    pub use std::string::String;
    pub use std::vec::Vec;

    /// What a handler may return: `()` or `Result<(), E>` with `E: Into<Error>`.
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

    /// Short constructors for the `metadata()` that `#[charm]` generates.
    pub mod meta {
        pub use crate::metadata::{
            Action, ActionParam, Build, CharmMetadata, Container, Endpoint, Links, ParamType,
            Resource, ResourceKind, Scope, Storage, StorageKind,
        };
        pub use core::option::Option::{None, Some};
        use serde_json::Value;

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

        /// A JSON value.
        pub fn json(v: impl Into<Value>) -> Value {
            v.into()
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

        /// A workload container.
        pub fn container(name: &str, resource: &str) -> Container {
            Container {
                name: s(name),
                resource: s(resource),
                mounts: Vec::new(),
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

        /// An action parameter.
        pub fn param(
            name: &str,
            kind: ParamType,
            description: Option<&str>,
            default: Option<Value>,
            required: bool,
        ) -> ActionParam {
            ActionParam {
                name: s(name),
                kind,
                description: description.map(s),
                default,
                required,
                schema: None,
            }
        }
    }
}

#[cfg(test)]
mod tests;
