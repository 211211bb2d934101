//! Where hook tools are called: the [`HookTools`] trait every backend implements, the
//! process backend that spawns Juju's tools ([`ProcessTools`]), the typed calls with their
//! exact argv ([`cmd`]), the typed requests an in-memory backend may answer directly
//! ([`Request`], [`Reply`]), and the mapping of exit status and stderr to [`ToolError`].

mod backend;
mod call;
pub mod cmd;
mod error;
mod process;
mod pump;
mod request;

pub use backend::{HookTools, Recorder};
pub use call::{ToolCall, SHOWN_ARG_BYTES};
pub use error::{ToolError, MAX_STDERR_SHOWN};
pub use process::{
    ProcessTools, MAX_ARG_BYTES, MAX_STDOUT_BYTES, STDERR_KEPT_BYTES, TOOL_DEADLINE,
};
pub use request::{Reply, Request};
