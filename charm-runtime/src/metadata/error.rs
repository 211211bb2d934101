//! Why a charm's metadata files could not be read.

use std::fmt;
use std::path::PathBuf;

/// A charm's metadata files could not be read: each variant names the file and what was
/// wrong in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataError {
    /// The directory has neither `metadata.yaml` nor `charmcraft.yaml`.
    NoMetadata,
    /// A file exists but could not be read.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// A file is not YAML.
    NotYaml {
        /// The file name, e.g. `metadata.yaml`.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// A file is YAML but says something a charm's metadata cannot: the message names
    /// the key (`storage.data.type`, `config option port`, ...).
    Invalid {
        /// The file name, e.g. `metadata.yaml`.
        file: String,
        /// What is wrong, and where in the file.
        message: String,
    },
}

impl MetadataError {
    /// An [`MetadataError::Invalid`] in `file`.
    pub(crate) fn invalid(file: &str, message: impl Into<String>) -> MetadataError {
        MetadataError::Invalid {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetadataError::NoMetadata => write!(f, "no metadata.yaml (or charmcraft.yaml)"),
            MetadataError::Unreadable { path, message } => {
                write!(f, "reading {}: {message}", path.display())
            }
            MetadataError::NotYaml { file, message } => {
                write!(f, "{file} is not valid YAML: {message}")
            }
            MetadataError::Invalid { file, message } => write!(f, "{file}: {message}"),
        }
    }
}

impl std::error::Error for MetadataError {}
