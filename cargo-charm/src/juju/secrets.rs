//! `juju show-secret` and `juju secrets`.

use super::format::secret::{self, SecretDetails};
use super::format::{self, Format};
use super::home::Home;
use super::opts::ModelOpt;
use super::{sim_access, snapshot};
use crate::error::{Error, Result};
use crate::sim::api;
use clap::Args;
use std::collections::BTreeMap;

/// `juju show-secret`.
#[derive(Debug, Args)]
pub struct ShowSecretArgs {
    /// The secret's URI or ID
    #[arg(value_name = "ID|NAME")]
    pub id: String,
    /// Reveal secret values instead of redacting them
    #[arg(long)]
    pub reveal: bool,
    /// Show the secret revisions metadata
    #[arg(long)]
    pub revisions: bool,
    /// Show the specified revision of the secret
    #[arg(long, value_name = "N")]
    pub revision: Option<u64>,
    /// Specify output format (json|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "yaml")]
    pub format: String,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// `juju secrets`.
#[derive(Debug, Args)]
pub struct SecretsArgs {
    /// Include secret content values
    #[arg(long)]
    pub reveal: bool,
    /// Include secrets for the specified owner
    #[arg(long, value_name = "OWNER")]
    pub owner: Option<String>,
    /// Specify output format (json|tabular|yaml)
    #[arg(long, value_name = "FORMAT", default_value = "tabular")]
    pub format: String,
    /// Which model.
    #[command(flatten)]
    pub model: ModelOpt,
}

/// The unique id of a secret URI (`secret:ID`, `secret://MODEL/ID` or `ID`).
fn unique_id(uri: &str) -> &str {
    let s = uri.strip_prefix("secret:").unwrap_or(uri);
    s.rsplit('/').next().unwrap_or(s)
}

pub fn show_secret(home: &Home, a: ShowSecretArgs) -> Result<()> {
    let format = Format::parse(&a.format, &[])?;
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    if a.revisions {
        // TODO(sim::api): the revisions' metadata.
        return Err(super::outcome::unsupported(
            "show-secret --revisions",
            "the simulator keeps no revision metadata (show the latest with --reveal)",
        ));
    }
    let want = unique_id(&a.id);
    let all = api::secrets(&dir)?;
    let s = all
        .iter()
        .find(|s| unique_id(&s.uri) == want)
        .ok_or_else(|| Error::msg(format!("secret {:?} not found", a.id)))?;
    if let Some(r) = a.revision.filter(|r| *r != s.revision) {
        // TODO(sim::api): earlier revisions' content.
        return Err(Error::msg(format!(
            "secret {:?} revision {r}: the simulator shows the latest revision ({}) only",
            a.id, s.revision
        )));
    }
    let d = snapshot::secret(s, a.reveal || a.revision.is_some(), rec.created);
    print!("{}", secret::show(want, &d, format == Format::Json));
    Ok(())
}

pub fn secrets(home: &Home, a: SecretsArgs) -> Result<()> {
    let format = Format::parse(&a.format, &["tabular"])?;
    let rec = home.resolve(a.model.model.as_deref())?;
    let dir = sim_access::dir(home, &rec)?;
    let mut all: BTreeMap<String, SecretDetails> = BTreeMap::new();
    for s in api::secrets(&dir)? {
        let d = snapshot::secret(&s, a.reveal, rec.created);
        if a.owner.as_deref().is_some_and(|o| o != d.owner) {
            continue;
        }
        all.insert(unique_id(&s.uri).to_string(), d);
    }
    match format::machine(&all, format) {
        Some(out) => print!("{out}"),
        None => {
            let mut rows = vec![[
                "ID",
                "Name",
                "Owner",
                "Rotation",
                "Revision",
                "Last updated",
            ]
            .map(String::from)
            .to_vec()];
            for (id, d) in &all {
                rows.push(vec![
                    id.clone(),
                    "-".into(),
                    d.owner.clone(),
                    d.rotation.clone().unwrap_or_else(|| "never".into()),
                    d.revision.to_string(),
                    d.updated.clone(),
                ]);
            }
            print!("{}", format::tabular::table(&rows, &[4]));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(unique_id("secret:abc"), "abc");
        assert_eq!(unique_id("secret://uuid/abc"), "abc");
        assert_eq!(unique_id("abc"), "abc");
    }
}
