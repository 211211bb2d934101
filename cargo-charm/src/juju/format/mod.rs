//! Juju 3.6's output shapes, as the `juju` CLI prints them: each output is a set of
//! serializable structs whose fields are in the order of Juju's Go structs (so JSON and
//! YAML come out in Juju's key order), with Go's `omitempty` as `skip_serializing_if`.
//!
//! - [`status`]: `juju status --format json|yaml` and the tabular view
//!   (`cmd/juju/status/formatted.go`, `output_tabular.go`);
//! - [`unit`](mod@unit): `juju show-unit` (`cmd/juju/application/showunit.go`);
//! - [`task`]: `juju run` / `juju exec` results (`cmd/juju/action/common.go`);
//! - [`model`]: `juju models`, `juju show-model`, `juju version`;
//! - [`secret`]: `juju show-secret` (`cmd/juju/secrets`);
//! - [`config`]: `juju config APP` (`cmd/juju/application/config.go`);
//! - [`json`] and [`time`]: Go's JSON encoding and Juju's time formats.
//!
//! `cargo charm sim status` and `sim show-unit` print the same shapes with `--format`.

pub mod config;
pub mod json;
pub mod model;
pub mod secret;
pub mod status;
pub mod tabular;
pub mod task;
pub mod time;
pub mod unit;

use crate::error::{Error, Result};
use serde::Serialize;

/// An output format a command was asked for with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `--format json`: compact JSON, as Go's `encoding/json` writes it.
    Json,
    /// `--format yaml`.
    Yaml,
    /// The command's human view (`tabular` for `status`, `plain` for `run`, ...).
    Human,
}

impl Format {
    /// Parses a `--format` value among the `human` names a command accepts for its own view
    /// (`tabular`, `plain`, `default`...).
    pub fn parse(value: &str, human: &[&str]) -> Result<Format> {
        match value {
            "json" => Ok(Format::Json),
            "yaml" => Ok(Format::Yaml),
            v if human.contains(&v) => Ok(Format::Human),
            v => {
                let mut known: Vec<&str> = vec!["json", "yaml"];
                known.extend(human);
                known.sort_unstable();
                Err(Error::usage(format!(
                    "invalid value {v:?} for option --format: unknown format {v:?} (formats: {})",
                    known.join(", ")
                )))
            }
        }
    }
}

/// `value` as JSON (Go's encoding, one line and a newline) or YAML; `None` for
/// [`Format::Human`], which the command renders itself.
pub fn machine<T: Serialize>(value: &T, format: Format) -> Option<String> {
    match format {
        Format::Json => Some(json::to_string(value) + "\n"),
        Format::Yaml => Some(yaml(value)),
        Format::Human => None,
    }
}

/// `value` as YAML, as `juju ... --format yaml` prints it.
pub fn yaml<T: Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}
