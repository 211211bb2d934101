//! Helpers shared by the integration tests: run the cargo-charm binary, pack the demo
//! charm once per test binary, scratch state directories, shell-script charms.

#![allow(dead_code)]

pub mod counting;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fresh scratch directory under cargo's per-target temp dir.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cargo-charm-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a cargo-charm invocation did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Asserts success and returns stdout.
    pub fn ok(self) -> String {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self.stdout
    }
}

/// Runs `cargo-charm ARGS` from the workspace root.
pub fn cargo_charm(args: &[&str]) -> Run {
    cargo_charm_in(&root(), args)
}

/// Runs `cargo-charm ARGS` from `dir`.
pub fn cargo_charm_in(dir: &Path, args: &[&str]) -> Run {
    Run::from(
        Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap(),
    )
}

/// The demo charm packed by `cargo charm pack` (once per test binary). The workspace has
/// two charm crates (the demo and examples/webapp), so it is named.
pub fn demo_charm() -> &'static Path {
    static CHARM: OnceLock<PathBuf> = OnceLock::new();
    CHARM.get_or_init(|| {
        let out = scratch("packed");
        let args = [
            "pack",
            "-q",
            "-p",
            "demo-charm",
            "-o",
            out.to_str().unwrap(),
        ];
        let stdout = cargo_charm(&args).ok();
        PathBuf::from(stdout.trim())
    })
}

/// A simulated model in its own state directory; dropping it destroys the model, so no
/// Pebble server outlives the test.
pub struct Model {
    pub state: PathBuf,
}

impl Drop for Model {
    fn drop(&mut self) {
        if self.state.exists() {
            let _ = self.sim(&["destroy"]);
        }
        if let Some(dir) = self.state.parent().filter(|d| d.starts_with(SHORT)) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Where [`Model::short`] puts its state directories.
const SHORT: &str = "/tmp/cargo-charm-tests";

impl Model {
    /// A model directory (nothing deployed yet).
    pub fn new(name: &str) -> Model {
        Model {
            state: scratch(name).join("state"),
        }
    }

    /// A model directory with a short path (under /tmp, removed on drop), for tests that
    /// connect to its sockets from outside: a unix socket path is limited to 107 bytes, and
    /// the target directory may be deep.
    pub fn short(name: &str) -> Model {
        let dir = Path::new(SHORT).join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Model {
            state: dir.join("state"),
        }
    }

    /// `cargo-charm sim ARGS --state DIR -q`.
    pub fn sim(&self, args: &[&str]) -> Run {
        self.sim_env(args, &[])
    }

    /// [`Model::sim`] with extra environment variables.
    pub fn sim_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all = vec!["sim"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--state", self.state.to_str().unwrap(), "-q"]);
        Run::from(
            Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
                .args(&all)
                .envs(env.iter().copied())
                .current_dir(root())
                .output()
                .unwrap(),
        )
    }

    /// `show-unit UNIT` (the simulator's view, YAML), parsed, the unit's entry.
    pub fn unit(&self, unit: &str) -> serde_json::Value {
        let out = self.sim(&["show-unit", unit]).ok();
        let v: serde_json::Value = serde_yaml::from_str(&out).unwrap();
        v[unit].clone()
    }

    /// `show-unit UNIT --format json` (`juju show-unit`'s output), parsed, the unit's entry.
    pub fn juju_unit(&self, unit: &str) -> serde_json::Value {
        let out = self.sim(&["show-unit", unit, "--format", "json"]).ok();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v[unit].clone()
    }

    /// The relation-info entry of `endpoint` for `unit`.
    pub fn relation(&self, unit: &str, endpoint: &str) -> serde_json::Value {
        let u = self.unit(unit);
        u["relation-info"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["endpoint"] == endpoint)
            .cloned()
            .unwrap_or_else(|| panic!("{unit} has no relation on {endpoint}: {u:#}"))
    }

    /// Every event record.
    pub fn events(&self) -> Vec<serde_json::Value> {
        let out = self.sim(&["events", "--json"]).ok();
        serde_json::from_str(&out).unwrap()
    }

    /// `(unit, hook)` of every event, in order.
    pub fn hooks(&self) -> Vec<(String, String)> {
        self.events()
            .iter()
            .map(|e| {
                (
                    e["unit"].as_str().unwrap().to_string(),
                    e["hook"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// The raw bytes of model.json.
    pub fn model_bytes(&self) -> Vec<u8> {
        std::fs::read(self.state.join("model.json")).unwrap()
    }
}

/// The committed records of history file `kind` (`events`, `logs`, `tasks`) of the state
/// directory `state`: `history/<kind>.jsonl` up to the extent `model.json` commits.
pub fn committed_history(state: &Path, kind: &str) -> Vec<serde_json::Value> {
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state.join("model.json")).unwrap()).unwrap();
    let extent = &model["history"][kind];
    let bytes = extent["bytes"].as_u64().unwrap() as usize;
    let records = extent["records"].as_u64().unwrap() as usize;
    let file =
        std::fs::read(state.join("history").join(format!("{kind}.jsonl"))).unwrap_or_default();
    let out: Vec<serde_json::Value> = file[..bytes]
        .split_inclusive(|b| *b == b'\n')
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(out.len(), records, "{}: {kind}", state.display());
    out
}

/// Writes a charm directory whose `dispatch` is a shell script (the body sees the JUJU_*
/// variables and the hook tools on PATH).
pub fn shell_charm(dir: &Path, metadata: &str, config: Option<&str>, script: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("metadata.yaml"), metadata).unwrap();
    if let Some(c) = config {
        std::fs::write(dir.join("config.yaml"), c).unwrap();
    }
    let dispatch = dir.join("dispatch");
    std::fs::write(&dispatch, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&dispatch, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir.to_path_buf()
}

/// The `unit_stats` counter in a bag, if any.
pub fn counter(bag: &serde_json::Value) -> Option<u64> {
    let stats = bag["unit_stats"].as_str()?;
    let v: serde_json::Value = serde_json::from_str(stats).unwrap();
    v["started_counter"].as_u64()
}

/// Every file under `dir` (relative path → contents; directories and sockets by kind,
/// symlinks by their target, never followed: `tools/` links to the cargo-charm binary).
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            let kind = std::fs::symlink_metadata(&p).unwrap().file_type();
            if kind.is_dir() {
                out.insert(rel, b"<dir>".to_vec());
                walk(root, &p, out);
            } else if kind.is_symlink() {
                out.insert(
                    rel,
                    std::fs::read_link(&p)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                );
            } else if kind.is_file() {
                out.insert(rel, std::fs::read(&p).unwrap());
            } else {
                out.insert(rel, b"<socket>".to_vec());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}
