//! `juju models`, `juju show-model` (Juju 3.6 `cmd/juju/common.ModelInfo`,
//! `cmd/juju/controller/listmodels`) and `juju version --all`.

use super::status::StatusInfo;
use serde::Serialize;
use std::collections::BTreeMap;

/// `common.ModelInfo` (the parts a simulated model has).
#[derive(Debug, Clone, Serialize)]
pub struct ModelInfo {
    /// `admin/<name>`.
    pub name: String,
    /// The model's own name.
    #[serde(rename = "short-name")]
    pub short_name: String,
    /// Its UUID.
    #[serde(rename = "model-uuid")]
    pub model_uuid: String,
    /// `caas`.
    #[serde(rename = "model-type")]
    pub model_type: String,
    /// The controller's UUID.
    #[serde(rename = "controller-uuid")]
    pub controller_uuid: String,
    /// The controller's name.
    #[serde(rename = "controller-name")]
    pub controller_name: String,
    /// Always false.
    #[serde(rename = "is-controller")]
    pub is_controller: bool,
    /// `admin`.
    pub owner: String,
    /// The cloud.
    pub cloud: String,
    /// The region.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    /// `kubernetes`.
    #[serde(rename = "type")]
    pub provider_type: String,
    /// `alive`.
    pub life: String,
    /// `available`.
    pub status: StatusInfo,
    /// The users and their access.
    pub users: BTreeMap<String, ModelUser>,
    /// The agent version.
    #[serde(rename = "agent-version")]
    pub agent_version: String,
}

/// `common.ModelUserInfo`.
#[derive(Debug, Clone, Serialize)]
pub struct ModelUser {
    /// `admin`.
    pub access: String,
    /// `just now` or `never connected`.
    #[serde(rename = "last-connection")]
    pub last_connection: String,
}

/// `juju models --format json|yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct ModelList {
    /// Every model.
    pub models: Vec<ModelInfo>,
    /// The current model, if any.
    #[serde(rename = "current-model", skip_serializing_if = "String::is_empty")]
    pub current_model: String,
}

/// `versionDetail` (`juju version --all`).
#[derive(Debug, Clone, Serialize)]
pub struct VersionDetail {
    /// `3.6.4-genericlinux-amd64`.
    pub version: String,
    /// `gc` for Juju; the simulator says what it is.
    pub compiler: String,
    /// Not an official Juju build.
    pub official: bool,
}

/// The binary version Juju prints: `<version>-genericlinux-<arch>`.
pub fn binary_version(version: &str) -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "powerpc64" => "ppc64el",
        other => other,
    };
    format!("{version}-genericlinux-{arch}")
}
