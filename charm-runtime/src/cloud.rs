//! The cloud this model runs on and the credential Juju holds for it (`credential-get`,
//! for trusted applications: `juju trust <app>`), typed as ops's `CloudSpec`.
//!
//! The credential's attributes are confidential: `Debug` shows their names only.

use crate::hooktools::ToolError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// The model's cloud and credential, as `credential-get --format=json` prints them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CloudSpec {
    /// The cloud type (`kubernetes`, `lxd`, `ec2`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// The cloud name.
    pub name: String,
    /// The region, if any.
    #[serde(default)]
    pub region: Option<String>,
    /// The API endpoint, if any.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// The identity endpoint, if any.
    #[serde(default)]
    pub identity_endpoint: Option<String>,
    /// The storage endpoint, if any.
    #[serde(default)]
    pub storage_endpoint: Option<String>,
    /// The credential.
    #[serde(default)]
    pub credential: Option<CloudCredential>,
    /// CA certificates (PEM).
    #[serde(default, rename = "cacertificates")]
    pub ca_certificates: Vec<String>,
    /// Whether TLS verification is skipped.
    #[serde(default)]
    pub skip_tls_verify: bool,
    /// Whether this is the controller's own cloud.
    #[serde(default)]
    pub is_controller_cloud: bool,
}

/// A cloud credential. `Debug` shows the attribute names, never their values.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CloudCredential {
    /// The authentication type (`certificate`, `oauth2`, `userpass`, ...).
    pub auth_type: String,
    /// The attributes (keys, tokens, passwords).
    #[serde(default, rename = "attrs")]
    pub attributes: BTreeMap<String, String>,
    /// Attributes Juju redacted.
    #[serde(default)]
    pub redacted: Vec<String>,
}

impl fmt::Debug for CloudCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudCredential")
            .field("auth_type", &self.auth_type)
            .field("attributes", &self.attributes.keys().collect::<Vec<_>>())
            .field("redacted", &self.redacted)
            .finish()
    }
}

/// A `credential-get` that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialError {
    /// The application is not trusted: run `juju trust <app>` (on Kubernetes,
    /// `credential-get` also needs Juju 3.6.10 or later).
    NotTrusted {
        /// The application.
        app: String,
        /// Juju's message.
        stderr: String,
    },
    /// Another hook-tool failure.
    Tool(ToolError),
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialError::NotTrusted { app, stderr } => write!(
                f,
                "application {app} may not read the cloud credential: run `juju trust {app}` ({stderr})"
            ),
            CredentialError::Tool(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CredentialError {}

impl From<ToolError> for CredentialError {
    fn from(e: ToolError) -> Self {
        CredentialError::Tool(e)
    }
}
