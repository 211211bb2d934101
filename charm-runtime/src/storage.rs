//! Storage: the instances attached to this unit ([`Storage`], `data/0`), where they are
//! mounted, and what can go wrong ([`StorageError`]). The [`Model`](crate::Model) methods
//! are `storages`, `storage`, `storage_location`, `add_storage` and `event_storage`.

use crate::hooktools::ToolError;
pub use crate::metadata::StorageKind;
use std::fmt;
use std::path::PathBuf;

/// One attached storage instance, `<name>/<index>` (`JUJU_STORAGE_ID`'s form).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Storage {
    /// The storage name, as declared (`data`).
    pub name: String,
    /// The instance's index (`0`).
    pub index: u32,
}

impl Storage {
    /// The instance `name/index`.
    pub fn new(name: impl Into<String>, index: u32) -> Self {
        Storage {
            name: name.into(),
            index,
        }
    }

    /// Parses a storage id, `<name>/<index>`.
    pub fn parse(id: &str) -> Option<Storage> {
        let (name, index) = id.rsplit_once('/')?;
        if name.is_empty() || index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Storage::new(name, index.parse().ok()?))
    }

    /// The id Juju's tools take: `<name>/<index>`.
    pub fn id(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.name, self.index)
    }
}

/// What `storage-get` says about an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageInfo {
    /// `filesystem` or `block`.
    pub kind: StorageKind,
    /// Where it is mounted (a filesystem) or its device path (a block device).
    pub location: PathBuf,
}

/// A storage call that failed, naming the storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The instance is not attached to this unit (or no longer).
    NotAttached {
        /// The instance, `data/0`.
        storage: String,
        /// Juju's message.
        stderr: String,
    },
    /// More than one instance where one was asked for.
    TooMany {
        /// The storage name.
        name: String,
        /// How many are attached.
        count: usize,
    },
    /// `storage-add` refused the request (an undeclared storage, or more than its
    /// `multiple` range allows).
    AddRefused {
        /// The storage name.
        name: String,
        /// How many were asked for.
        count: u32,
        /// Juju's message.
        stderr: String,
    },
    /// Another hook-tool failure.
    Tool(ToolError),
}

impl StorageError {
    /// Maps a failed `storage-get` of `storage`: Juju says `storage not found` for an
    /// instance it does not have.
    pub(crate) fn from_get(storage: &Storage, e: ToolError) -> Self {
        match e.stderr() {
            Some(stderr) if stderr.to_ascii_lowercase().contains("not found") => {
                StorageError::NotAttached {
                    storage: storage.id(),
                    stderr: stderr.to_string(),
                }
            }
            _ => StorageError::Tool(e),
        }
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::NotAttached { storage, stderr } => {
                write!(
                    f,
                    "storage {storage} is not attached to this unit ({stderr})"
                )
            }
            StorageError::TooMany { name, count } => write!(
                f,
                "storage {name} has {count} instances attached; use `storages()` to get them all"
            ),
            StorageError::AddRefused {
                name,
                count,
                stderr,
            } => write!(
                f,
                "cannot add {count} instance(s) of storage {name}: {stderr}"
            ),
            StorageError::Tool(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for StorageError {}

impl From<ToolError> for StorageError {
    fn from(e: ToolError) -> Self {
        StorageError::Tool(e)
    }
}
