//! A synchronous client of Pebble, the workload container's service manager, as
//! `ops.pebble.Client` (ops 3.9.0) speaks to it: HTTP/1.1 over the container's Unix socket.
//!
//! [`layer`] holds the layer and plan schema, [`types`] what Pebble returns, [`requests`]
//! what the client sends.

mod duration;
pub mod layer;
pub mod requests;
mod strenum;
pub mod types;

pub use duration::{format_go as format_duration, parse_go as parse_duration, DurationError};
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
