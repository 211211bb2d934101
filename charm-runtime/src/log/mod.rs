//! Logging to Juju: the `juju-log` levels ([`LogLevel`]) and the backend of the `log`
//! facade, so a charm writes `log::warn!("...")` and the line reaches `juju-log
//! --log-level WARNING` (Juju's debug-log), as ops's `JujuLogHandler` does for Python's
//! `logging`.
//!
//! How a record travels: the runtime installs its `log` backend once per process (a
//! backend the charm installed first is kept), at level `Debug` as ops does (Juju's
//! `logging-config` then filters; `log::set_max_level` changes it). During a dispatch a
//! record is queued on the dispatching thread and sent, one `juju-log` call per record,
//! just before the next hook-tool call the dispatch makes, and at the end of the dispatch
//! (whether it succeeded or not). So the debug-log shows lines and tool calls in the
//! order the charm made them, and a record costs no process until something else talks
//! to Juju anyway.
//!
//! Trade-off: one `juju-log` per record (ops's choice) rather than one call for all of a
//! dispatch's records. A batch would save a process spawn per line but would merge
//! lines of different levels into one debug-log entry and lose their order against the
//! other tool calls; the deferral above already removes the calls from the handler's
//! path. A record is written at the time of the next tool call, not at the time it was
//! made: a line logged before a long Pebble operation reaches Juju after it.
//!
//! Records made outside a dispatch (the `metadata` command) or on another thread (a
//! thread the charm spawned) go to stderr, which Juju logs at WARNING. The runtime's own
//! lines (a failed dispatch's error, an unknown hook) take the same queue.

mod juju;
mod level;

/// The `log` crate's macros and level controls, so a charm logs without depending on
/// `log` itself: `use charm_runtime::log;` then `log::warn!("...")`.
pub use ::log::{
    debug, error, info, log, log_enabled, max_level, set_max_level, trace, warn, Level, LevelFilter,
};
pub(crate) use juju::line;
pub use juju::{install, Flushing};
pub use level::LogLevel;
