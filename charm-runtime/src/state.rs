//! Charm state kept by Juju on the controller (`state-get`/`state-set`/`state-delete`):
//! the limits Juju enforces and what can go wrong ([`StateError`]). The
//! [`Model`](crate::Model) methods are `load_state`, `save_state` and `delete_state`.

use crate::hooktools::ToolError;
use std::fmt;

/// The longest key Juju stores, in bytes (`core/quota.MaxCharmStateKeySize`).
pub const MAX_KEY_BYTES: usize = 256;

/// The longest value Juju stores, in bytes (`core/quota.MaxCharmStateValueSize`, 64 KiB).
/// The controller also limits a unit's whole state (`max-charm-state-size`, 2 MiB by
/// default), which the runtime cannot know: `state-set` fails at commit past it.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

/// A charm-state call that failed, naming the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateError {
    /// An empty key.
    EmptyKey,
    /// A key longer than [`MAX_KEY_BYTES`].
    KeyTooLong {
        /// The key.
        key: String,
    },
    /// A value whose JSON is longer than [`MAX_VALUE_BYTES`].
    ValueTooLarge {
        /// The key.
        key: String,
        /// The JSON's length in bytes.
        bytes: usize,
    },
    /// A stored value that does not decode into the type asked for.
    Decode {
        /// The key.
        key: String,
        /// What was wrong.
        problem: String,
    },
    /// A value that does not encode as JSON (a map with non-string keys, say).
    Encode {
        /// The key.
        key: String,
        /// What was wrong.
        problem: String,
    },
    /// A hook tool failed (in a restricted context such as `collect-metrics`, Juju has
    /// no charm state).
    Tool(ToolError),
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateError::EmptyKey => f.write_str("charm state keys must not be empty"),
            StateError::KeyTooLong { key } => write!(
                f,
                "charm state key \"{}\" is {} bytes; Juju stores keys of at most {MAX_KEY_BYTES}",
                crate::event::names::shown(key),
                key.len()
            ),
            StateError::ValueTooLarge { key, bytes } => write!(
                f,
                "charm state value of {key:?} is {bytes} bytes of JSON; Juju stores values of at most {MAX_VALUE_BYTES} (keep large data in the workload's storage)"
            ),
            StateError::Decode { key, problem } => {
                write!(f, "charm state value of {key:?} does not decode: {problem}")
            }
            StateError::Encode { key, problem } => {
                write!(f, "charm state value of {key:?} does not encode: {problem}")
            }
            StateError::Tool(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for StateError {}

impl From<ToolError> for StateError {
    fn from(e: ToolError) -> Self {
        StateError::Tool(e)
    }
}
