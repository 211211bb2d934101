//! A synchronous client of Pebble, the workload container's service manager, as
//! `ops.pebble.Client` (ops 3.9.0) speaks to it: HTTP/1.1 over the container's Unix socket,
//! `/charm/containers/<container>/pebble.socket`.
//!
//! Handlers reach it through the model: `model.container(Self::WORKLOAD)` gives a
//! [`Container`](crate::model::Container) handle with these operations and a per-dispatch
//! plan cache. [`Client`] is the same client without the model, for tools and tests.
//!
//! - [`layer`]: the layer and plan schema ([`Layer`], [`Service`], [`Check`], [`Plan`]).
//! - [`types`]: what Pebble returns; [`requests`]: what the client sends.
//! - [`http`]: the transport and its [`Connector`] seam; [`multipart`]: file bodies.
//! - [`PebbleError`]: what went wrong; [`PebbleError::is_cannot_connect`] is the "not
//!   ready yet" case.

mod access;
mod client;
mod duration;
mod error;
pub mod http;
pub mod layer;
mod layer_read;
mod layer_write;
pub mod multipart;
pub mod requests;
mod strenum;
pub mod types;

pub use access::{PebbleAccess, CONTAINERS_DIR_VAR, DEFAULT_CONTAINERS_DIR};
pub use client::{
    format_timeout, ChangeState, Client, FileOptions, NoticeFilter, Result, DEFAULT_CHANGE_TIMEOUT,
    DEFAULT_POLL_DELAY, DEFAULT_TIMEOUT,
};
pub use duration::{format_go as format_duration, parse_go as parse_duration, DurationError};
pub use error::{ErrorKind, PebbleError};
pub use http::{socket_path, Connector, SocketDir, SocketPath};
pub use layer::{
    Check, CheckLevel, ExecCheck, Extra, HttpCheck, Layer, LayerError, LogTarget, LogTargetType,
    Override, Plan, Service, ServiceAction, Startup, TcpCheck, UnknownField,
};
pub use types::{
    Change, CheckInfo, CheckStatus, Envelope, ErrorResult, FileInfo, FileResult, FileType, Notice,
    NoticeType, ResponseType, ServiceInfo, ServiceStatus, SystemInfo, Task, TaskProgress,
};

#[cfg(test)]
mod tests;
