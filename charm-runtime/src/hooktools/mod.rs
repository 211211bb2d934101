//! Where hook tools are called: the [`HookTools`] trait every backend implements, the
//! process backend that spawns Juju's tools ([`ProcessTools`]), the typed calls with their
//! exact argv ([`cmd`]), and the mapping of exit status and stderr to [`ToolError`].

mod backend;
mod call;
pub mod cmd;
mod error;
mod process;

pub use backend::{HookTools, Recorder};
pub use call::ToolCall;
pub use error::ToolError;
pub use process::ProcessTools;
