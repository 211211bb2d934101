//! Finding the charm crate like cargo finds a package (the current directory or
//! `--manifest-path`, then `-p`), building it, and asking the binary for its metadata.

use crate::error::{Context, Error, Result};
use crate::progress::Progress;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where to look: the global options `--manifest-path` and `-p/--package`.
#[derive(Debug, Clone, Default)]
pub struct Locate {
    /// `--manifest-path`.
    pub manifest_path: Option<PathBuf>,
    /// `-p`/`--package`.
    pub package: Option<String>,
    /// `-q`/`--quiet`.
    pub quiet: bool,
}

/// A charm crate of a cargo workspace.
#[derive(Debug, Clone)]
pub struct CharmCrate {
    /// Package name.
    pub package: String,
    /// The binary target that becomes `dispatch`.
    pub bin: String,
    /// The workspace root's `Cargo.toml`.
    pub workspace_manifest: PathBuf,
    /// cargo's target directory for the workspace.
    pub target_dir: PathBuf,
}

/// `cargo metadata --no-deps` for the workspace that `loc` points at.
// Read as a `serde_json::Value` (as are `cargo build`'s JSON messages): a handful of fields;
// the cargo_metadata crate would add semver, camino and cargo-platform for them.
fn metadata(loc: &Locate) -> Result<Value> {
    let mut cmd = Command::new(cargo());
    cmd.args([
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
        "--offline",
    ]);
    if let Some(m) = &loc.manifest_path {
        cmd.arg("--manifest-path").arg(m);
    }
    let out = cmd
        .stderr(Stdio::piped())
        .output()
        .context("cannot run `cargo metadata`")?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("failed");
        return Err(Error::msg(format!(
            "cannot find a cargo project{}: {}",
            loc.manifest_path
                .as_ref()
                .map(|m| format!(" at {}", m.display()))
                .unwrap_or_default(),
            first.trim_start_matches("error: ")
        )));
    }
    serde_json::from_slice(&out.stdout).context("`cargo metadata` printed invalid JSON")
}

/// The `cargo` to run: `$CARGO` (set when we run as `cargo charm` or under `cargo run`).
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// cargo's target directory for the workspace around the current directory (or
/// `--manifest-path`), without building anything.
pub fn target_dir(loc: &Locate) -> Result<PathBuf> {
    let meta = metadata(loc)?;
    meta["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| Error::msg("`cargo metadata` gave no target directory"))
}

/// The nearest `Cargo.toml` at or above `dir`.
fn nearest_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|m| m.is_file())
}

fn is_charm(pkg: &Value) -> bool {
    pkg["name"] != "cargo-charm"
        && pkg["dependencies"]
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["name"] == "charm-runtime"))
        && bin_targets(pkg).next().is_some()
}

fn bin_targets(pkg: &Value) -> impl Iterator<Item = &str> {
    pkg["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| {
            t["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bin"))
        })
        .filter_map(|t| t["name"].as_str())
}

/// Finds the charm crate: `-p NAME`; else the package whose manifest is `--manifest-path`
/// or the nearest `Cargo.toml` above the current directory; else (a virtual workspace
/// root) the workspace's only charm crate (a package with a binary that depends on
/// `charm-runtime`).
pub fn find(loc: &Locate) -> Result<CharmCrate> {
    let meta = metadata(loc)?;
    let packages = meta["packages"].as_array().cloned().unwrap_or_default();
    let manifest_of = |p: &Value| PathBuf::from(p["manifest_path"].as_str().unwrap_or_default());
    let here = match &loc.manifest_path {
        Some(m) => Some(std::path::absolute(m)?),
        None => nearest_manifest(&std::env::current_dir()?),
    };
    let here = here.and_then(|h| h.canonicalize().ok());
    let chosen = if let Some(name) = &loc.package {
        packages
            .iter()
            .find(|p| p["name"] == name.as_str())
            .ok_or_else(|| Error::msg(format!("package `{name}` is not in this workspace")))?
    } else if let Some(p) = packages
        .iter()
        .find(|p| manifest_of(p).canonicalize().ok() == here)
    {
        p
    } else {
        let charms: Vec<&Value> = packages.iter().filter(|p| is_charm(p)).collect();
        match charms.as_slice() {
            [one] => *one,
            [] => return Err(Error::msg("no charm crate in this workspace (a package with a binary that depends on charm-runtime)")),
            many => {
                let names: Vec<&str> = many.iter().filter_map(|p| p["name"].as_str()).collect();
                return Err(Error::msg(format!(
                    "several charm crates in this workspace ({}); choose one with -p",
                    names.join(", ")
                )));
            }
        }
    };
    let name = chosen["name"].as_str().unwrap_or_default().to_string();
    if !is_charm(chosen) {
        return Err(Error::msg(format!(
            "package `{name}` is not a charm crate (it needs a binary target and a dependency on charm-runtime)"
        )));
    }
    let bins: Vec<&str> = bin_targets(chosen).collect();
    let bin = match bins.as_slice() {
        [one] => one.to_string(),
        many => many
            .iter()
            .find(|b| **b == name)
            .map(|b| b.to_string())
            .ok_or_else(|| {
                Error::msg(format!(
                    "package `{name}` has several binaries ({}) and none is named after it",
                    many.join(", ")
                ))
            })?,
    };
    let root = PathBuf::from(meta["workspace_root"].as_str().unwrap_or_default());
    let target_dir = meta["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(CharmCrate {
        package: name,
        bin,
        workspace_manifest: root.join("Cargo.toml"),
        target_dir,
    })
}

impl CharmCrate {
    /// Where `cargo charm pack` writes the `.charm` unless told otherwise:
    /// `<target-dir>/charm`.
    pub fn default_charm_dir(&self) -> PathBuf {
        self.target_dir.join("charm")
    }

    /// `cargo build --profile <profile>` of the charm binary; returns the executable.
    ///
    /// Not quiet, a `Building` line comes first and cargo's own progress (its `Compiling`
    /// lines, or its progress bar on a terminal) follows on stderr: a first release build
    /// takes minutes. `quiet` passes `--quiet` to cargo (errors and warnings still show).
    pub fn build(&self, profile: &str, quiet: bool) -> Result<PathBuf> {
        let progress = Progress::start(
            "Building",
            &format!("{} ({profile} profile)", self.package),
            quiet,
        );
        let mut cmd = Command::new(cargo());
        cmd.args([
            "build",
            "--profile",
            profile,
            "-p",
            &self.package,
            "--bin",
            &self.bin,
        ])
        .arg("--manifest-path")
        .arg(&self.workspace_manifest)
        .args(["--message-format", "json-render-diagnostics"]);
        if quiet {
            cmd.arg("--quiet");
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot run `cargo build`")?;
        let stdout = child.stdout.take().expect("piped");
        let mut exe = None;
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            let Ok(msg) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            if msg["reason"] == "compiler-artifact" && msg["target"]["name"] == self.bin.as_str() {
                if let Some(e) = msg["executable"].as_str() {
                    exe = Some(PathBuf::from(e));
                }
            }
        }
        let status = child.wait()?;
        if !status.success() {
            return Err(Error::msg(format!(
                "`cargo build -p {}` failed (see the compiler output above)",
                self.package
            )));
        }
        let exe = exe.ok_or_else(|| Error::msg("cargo build reported no executable"))?;
        progress.finish("Built", &exe.display().to_string());
        Ok(exe)
    }
}

/// Runs `<binary> metadata --format json ...` and returns its files by name; `None` when the
/// binary was built without the metadata command (a release build: it exits with
/// [`charm_runtime::dispatch::NO_METADATA_CLI`]).
pub fn charm_files(
    exe: &Path,
    charmcraft_version: &str,
    started_at: &str,
    platform: &str,
) -> Result<Option<BTreeMap<String, String>>> {
    let out = Command::new(exe)
        .args(["metadata", "--format", "json"])
        .args(["--charmcraft-version", charmcraft_version])
        .args(["--started-at", started_at])
        .args(["--platform", platform])
        .env_remove("JUJU_DISPATCH_PATH")
        .output()
        .with_context_of(exe)?;
    if out.status.code() == Some(i32::from(charm_runtime::dispatch::NO_METADATA_CLI)) {
        return Ok(None);
    }
    if !out.status.success() {
        return Err(Error::msg(format!(
            "`{} metadata --format json` failed: {}",
            exe.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    serde_json::from_slice(&out.stdout).map(Some).map_err(|e| {
        Error::msg(format!(
            "`{} metadata --format json` printed no file map ({e}); is it built with this charm-runtime?",
            exe.display()
        ))
    })
}

trait WithContextOf<T> {
    fn with_context_of(self, exe: &Path) -> Result<T>;
}

impl<T> WithContextOf<T> for std::io::Result<T> {
    fn with_context_of(self, exe: &Path) -> Result<T> {
        self.map_err(|e| Error::msg(format!("cannot run {}: {e}", exe.display())))
    }
}
