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
//! Juju's tools, [`model`] caches reads and stages writes, [`pebble`] talks to workload
//! containers, [`metadata`] renders `charmcraft.yaml`, [`dispatch`](mod@dispatch) runs one
//! event end to end. The types of what a charm reaches through Juju have a module each:
//! [`secret`], [`storage`](mod@storage), [`network`], [`state`] (charm state on the controller),
//! [`cloud`] (`credential-get`), [`goal`] (`goal-state`), [`resource`](mod@resource); [`log`] makes
//! `log::warn!` and friends reach `juju-log`.

#![warn(missing_docs)]

pub mod cloud;
pub mod config;
pub mod databag;
pub mod dispatch;
mod error;
pub mod event;
pub mod goal;
pub mod hooktools;
pub mod http;
pub mod json;
pub mod log;
pub mod metadata;
pub mod model;
pub mod network;
pub mod params;
pub mod pebble;
pub mod port;
mod redact;
pub mod relation;
pub mod resource;
pub mod secret;
pub mod state;
pub mod status;
pub mod storage;

pub use charm_macros::{
    action, charm, container, json_value, on, peer, provides, requires, resource, storage,
    ActionParams, CharmConfig, Databag,
};
pub use config::{CharmConfig, ConfigError, NoConfig};
pub use databag::Databag;
pub use dispatch::{dispatch, run, Charm, Handler, On, Outcome};
pub use error::{Context, Error, RebootNow, Result};
pub use event::{Event, HookEnv};
pub use log::LogLevel;
pub use model::config::ModelConfig;
pub use model::secret::{NewSecret, SecretUpdate};
pub use model::{Container, ContainerName, Model};
pub use network::{Network, NetworkError};
pub use params::ActionParams;
pub use pebble::PebbleError;
pub use port::Port;
pub use relation::{Bag, Endpoint, Leader, Own, Relation, RelationError, UnitId};
pub use secret::{Expire, Rotate, Secret, SecretContent, SecretError};
pub use state::StateError;
pub use status::{active, blocked, maintenance, waiting, Status};
pub use storage::{Storage, StorageError};

/// Re-exported so charms can name serde items (a `deserialize_with` function, say) without
/// a serde dependency of their own.
pub use serde;
/// Re-exported so charms need no direct dependency.
pub use serde_json;

/// Everything a charm usually needs: `use charm_runtime::prelude::*;`.
///
/// Pebble's types are not in it (`use charm_runtime::pebble::{Layer, Service};`): the testing
/// crate has a `Container` and a `Layer` of its own, and two globs offering one name make it
/// ambiguous.
///
/// Its one trait brought into scope is [`ModelConfig`] (anonymously), for `model.config()`;
/// the runtime's [`Context`] (`.context(...)` on results) is imported by name when wanted,
/// and a charm that uses anyhow imports `anyhow::Context` instead, in any form.
pub mod prelude {
    pub use crate::model::config::ModelConfig as _;
    pub use crate::{
        action, active, blocked, charm, container, json_value, maintenance, on, peer, provides,
        requires, resource, storage, waiting, ActionParams, Bag, Charm, CharmConfig, Databag,
        Error, LogLevel, Model, Own, Port, Relation, Result, Status,
    };
}

#[doc(hidden)]
pub mod __private;

#[cfg(test)]
mod tests;
