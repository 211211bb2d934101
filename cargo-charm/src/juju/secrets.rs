//! `juju show-secret` and `juju secrets`.

use super::format::secret::{self, SecretContent, SecretDetails};
use super::format::{self, time, Format};
use super::home::Home;
use super::opts::ModelOpt;
use super::sim_access;
use crate::error::{Error, Result};
use crate::sim::model::{Model, Secret};
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

/// Who owns the secret, as Juju names it: an application or a unit.
fn owner(model: &Model, s: &Secret) -> String {
    if let Some(app) = &s.owner_app {
        return app.clone();
    }
    match (s.secret.owner.as_deref(), &s.owner_unit) {
        (Some("unit"), Some(u)) => u.clone(),
        _ => model.app.name.clone(),
    }
}

fn details(model: &Model, s: &Secret, reveal: Option<u64>) -> Result<SecretDetails> {
    let latest = s.secret.revisions.keys().max().copied().unwrap_or(0);
    let at = model.events.first().map_or(0, |e| e.at);
    let content = match reveal {
        None => None,
        Some(rev) => {
            let rev = if rev == 0 { latest } else { rev };
            let data = s
                .secret
                .revisions
                .get(&rev)
                .ok_or_else(|| Error::msg(format!("secret revision {rev} not found")))?;
            Some(SecretContent { data: data.clone() })
        }
    };
    Ok(SecretDetails {
        revision: latest,
        checksum: String::new(),
        expires: s.secret.expire.clone(),
        rotation: s.secret.rotate.clone(),
        owner: owner(model, s),
        description: s.secret.description.clone(),
        label: s.secret.label.clone(),
        created: time::rfc3339(at),
        updated: time::rfc3339(at),
        content,
    })
}

/// The model's secrets that have an owner (observers' copies are not secrets of their own).
fn owned(model: &Model) -> impl Iterator<Item = &Secret> {
    model
        .secrets
        .iter()
        .filter(|s| s.secret.owner.is_some() || s.owner_app.is_some())
}

pub fn show_secret(home: &Home, a: ShowSecretArgs) -> Result<()> {
    let format = Format::parse(&a.format, &[])?;
    let rec = home.resolve(a.model.model.as_deref())?;
    let sim = sim_access::read(home, &rec)?;
    let want = unique_id(&a.id);
    let found = sim.as_ref().and_then(|sim| {
        owned(&sim.model)
            .find(|s| unique_id(&s.secret.id) == want)
            .map(|s| (&sim.model, s))
    });
    let Some((model, s)) = found else {
        return Err(Error::msg(format!("secret {:?} not found", a.id)));
    };
    let reveal = (a.reveal || a.revision.is_some()).then(|| a.revision.unwrap_or(0));
    let d = details(model, s, reveal)?;
    print!("{}", secret::show(want, &d, format == Format::Json));
    Ok(())
}

pub fn secrets(home: &Home, a: SecretsArgs) -> Result<()> {
    let format = Format::parse(&a.format, &["tabular"])?;
    let rec = home.resolve(a.model.model.as_deref())?;
    let sim = sim_access::read(home, &rec)?;
    let mut all: BTreeMap<String, SecretDetails> = BTreeMap::new();
    if let Some(sim) = &sim {
        for s in owned(&sim.model) {
            let d = details(&sim.model, s, a.reveal.then_some(0))?;
            if a.owner.as_deref().is_some_and(|o| o != d.owner) {
                continue;
            }
            all.insert(unique_id(&s.secret.id).to_string(), d);
        }
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
