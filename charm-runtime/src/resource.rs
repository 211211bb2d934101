//! Resources: the error of a `resource-get` that cannot give a resource's file.

use crate::hooktools::ToolError;
use std::fmt;

/// A `resource-get` that failed, naming the resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceError {
    /// Juju has no file for the resource: it is not declared, or was never attached (a
    /// local charm deployed without `--resource`), or could not be downloaded.
    NotAvailable {
        /// The resource name.
        resource: String,
        /// Juju's message.
        stderr: String,
    },
    /// The tool could not run at all, or printed nothing usable.
    Tool(ToolError),
}

impl fmt::Display for ResourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResourceError::NotAvailable { resource, stderr } => write!(
                f,
                "resource {resource} is not available (is it declared, and attached with `juju attach-resource` or `--resource`?): {stderr}"
            ),
            ResourceError::Tool(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ResourceError {}

impl From<ToolError> for ResourceError {
    fn from(e: ToolError) -> Self {
        ResourceError::Tool(e)
    }
}
