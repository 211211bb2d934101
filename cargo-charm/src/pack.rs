//! `cargo charm pack`: build the charm, check that its binary runs in the base it declares
//! ([`runs_on`]), and write `<name>_<platform>.charm`.

use crate::archive::{self, human_size};
use crate::error::{Context, Error, Result};
use crate::fsutil;
use crate::progress::Progress;
use crate::runs_on;
use crate::workspace::{self, CharmCrate};
use std::path::{Path, PathBuf};

/// A packed charm.
#[derive(Debug, Clone)]
pub struct Packed {
    /// The `.charm` file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// The entries, in archive order.
    pub files: Vec<String>,
}

/// The Juju architecture name of this machine.
pub fn host_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "powerpc64" => "ppc64el",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        other => other,
    }
}

/// `charmcraft-started-at`: `$SOURCE_DATE_EPOCH` when set (reproducible-builds convention),
/// else the zip epoch, so that the same sources give the same bytes.
fn started_at() -> Result<String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v
                .trim()
                .parse()
                .map_err(|_| Error::usage(format!("SOURCE_DATE_EPOCH={v:?} is not a number")))?;
            Ok(fsutil::rfc3339(secs))
        }
        Err(_) => Ok("1980-01-01T00:00:00Z".to_string()),
    }
}

/// The platform to pack for: the charm's platform for this machine's architecture
/// (`amd64`, or a multi-base `ubuntu@24.04:amd64`).
fn choose_platform(charmcraft_yaml: &str) -> Result<String> {
    let doc: serde_yaml::Value =
        serde_yaml::from_str(charmcraft_yaml).context("the charm's charmcraft.yaml")?;
    let names: Vec<String> = doc["platforms"]
        .as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let arch = host_arch();
    names
        .iter()
        .find(|p| p.as_str() == arch || p.rsplit(':').next() == Some(arch))
        .cloned()
        .ok_or_else(|| {
            Error::msg(format!(
                "the charm's platforms ({}) do not include this machine's architecture `{arch}`",
                names.join(", ")
            ))
        })
}

/// Builds `krate` with `profile` and packs it into `out_dir`.
pub fn pack(krate: &CharmCrate, profile: &str, out_dir: &Path, quiet: bool) -> Result<Packed> {
    let exe = krate.build(profile, quiet)?;
    let version = format!("cargo-charm {}", env!("CARGO_PKG_VERSION"));
    let started = started_at()?;
    // A release build leaves the metadata command out (it is ~90 KiB of every dispatch
    // binary): the metadata then comes from a dev build of the same crate.
    let mut meta_exe = exe.clone();
    let all = match workspace::charm_files(&meta_exe, &version, &started, "")? {
        Some(all) => all,
        None => {
            meta_exe = krate.build("dev", quiet)?;
            workspace::charm_files(&meta_exe, &version, &started, "")?.ok_or_else(|| {
                Error::msg(format!(
                    "{} has no `metadata` command either: build the dev profile with debug \
                     assertions, or enable the `charm-runtime/metadata-cli` feature",
                    meta_exe.display()
                ))
            })?
        }
    };
    let charmcraft = all
        .get("charmcraft.yaml")
        .ok_or_else(|| Error::msg("the charm binary printed no charmcraft.yaml"))?;
    let name = charm_name(charmcraft)?;
    let platform = choose_platform(charmcraft)?;
    let files = workspace::charm_files(&meta_exe, &version, &started, &platform)?
        .ok_or_else(|| Error::msg("the charm binary stopped printing its metadata"))?;
    let file_name = format!("{name}_{}.charm", platform.replace(':', "-"));
    let binary = std::fs::read(&exe).context(format!("reading {}", exe.display()))?;
    let manifest = files
        .get("manifest.yaml")
        .ok_or_else(|| Error::msg("the charm binary printed no manifest.yaml"))?;
    let shown = format!("the charm binary {}", exe.display());
    if let Some(needs) = runs_on::check(&shown, &binary, manifest)? {
        if !quiet {
            let bases = runs_on::declared_bases(manifest).unwrap_or_default();
            eprintln!(
                "{:>12} dispatch: {}",
                "Checked",
                runs_on::describe(&needs, &bases)
            );
        }
    }
    let progress = Progress::start("Packing", &file_name, quiet);
    let mut entries = vec![archive::Entry::file("dispatch", 0o755, binary)];
    for (file, text) in &files {
        if file != "charmcraft.yaml" {
            entries.push(archive::Entry::file(file, 0o644, text.clone().into_bytes()));
        }
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let bytes = archive::write(&entries).map_err(|e| Error::msg(format!("packing: {e}")))?;
    std::fs::create_dir_all(out_dir).context(format!("creating {}", out_dir.display()))?;
    let path = out_dir.join(&file_name);
    fsutil::write_atomic(&path, &bytes)?;
    progress.finish(
        "Packed",
        &format!("{} ({})", path.display(), human_size(bytes.len() as u64)),
    );
    Ok(Packed {
        path,
        size: bytes.len() as u64,
        files: entries.into_iter().map(|e| e.name).collect(),
    })
}

fn charm_name(charmcraft_yaml: &str) -> Result<String> {
    let doc: serde_yaml::Value =
        serde_yaml::from_str(charmcraft_yaml).context("the charm's charmcraft.yaml")?;
    doc["name"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| Error::msg("the charm's charmcraft.yaml has no name"))
}
