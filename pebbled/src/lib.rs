//! Pebble's side, as `jujuc` is Juju's: one implementation of Pebble's semantics (the
//! layered plan and its merge rules, services, changes, health checks, notices, the files
//! API) for the in-memory harness and for `cargo charm sim`, which serves it on a
//! per-unit socket. Every JSON shape, status code, error kind and message follows
//! canonical/pebble (v1.32); each module names the Pebble source it follows.
//!
//! - [`Pebble`] is one container's state, serialisable to JSON, deterministic given a
//!   [`Clock`]. Its methods are the operations (add a layer, run a services action,
//!   start checks, add a notice) and what a harness or simulator does from outside
//!   (fail a check, crash a service).
//! - [`api::handle`] is the HTTP API as a function of a parsed request.
//! - [`SharedPebble`], [`serve_connection`] and [`Server`] serve it over unix sockets
//!   (`UnixStream::pair()` works too); the `pebbled` binary (package `pebbled-server`,
//!   in `pebbled/server`) runs one server.
//!
//! What is not Pebble: no command is ever run (services are recorded as started or
//! stopped, checks are never probed, `/v1/exec` answers 501), and file ownership is
//! recorded rather than applied (see [`files`]).

#![warn(missing_docs)]

pub mod api;
mod changes;
mod checks;
pub mod clock;
pub mod duration;
pub mod files;
mod gopath;
pub mod http;
pub mod multipart;
mod notices;
mod ops;
pub mod pattern;
pub mod plan;
mod server;
mod services;
mod state;

pub use api::Caller;
pub use changes::{ChangeRecord, Status, TaskRecord};
pub use checks::CheckRecord;
pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use notices::{valid_custom_key, NoticeFilter, NoticeRecord};
pub use server::{serve_connection, Server, SharedPebble};
pub use services::{ApiError, ServiceRecord, ServiceState};
pub use state::{Pebble, PEBBLE_VERSION};
