//! A charm author's own crate, outside this workspace, as a new user would write it: a
//! handler returning `anyhow::Result`, `<binary> metadata` for its `charmcraft.yaml`, then
//! `cargo charm pack` and `sim deploy` run from the crate's directory. On pebble-ready the
//! charm adds a layer to its container's Pebble in the simulator, replans and reports the
//! service's state.

mod common;

use common::{cargo_charm_in, root, scratch, Model};
use std::path::Path;
use std::process::Command;

const MANIFEST: &str = r#"[package]
name = "mycharm"
version = "0.1.0"
edition = "2021"

[dependencies]
charm-runtime = { path = "RUNTIME" }
anyhow = "1"

[workspace]
"#;

const MAIN: &str = r#"use anyhow::Context as _;
use charm_runtime::pebble::{Layer, Service};
use charm_runtime::prelude::*;

#[derive(Default)]
struct MyCharm;

#[charm(name = "my-charm", summary = "Mine", description = "A charm of my own.")]
#[peer("replicas", interface = "my_peers")]
#[container("workload", resource = "workload-image")]
impl MyCharm {
    #[on(start)]
    fn start(&self, model: &mut Model) -> anyhow::Result<()> {
        let n: u32 = "7".parse().context("parsing")?;
        model.add_status(active(format!("n={n}")));
        Ok(())
    }

    #[on(pebble_ready("workload"))]
    fn workload_ready(&self, model: &mut Model) -> anyhow::Result<()> {
        let layer = Layer::new()
            .summary("mine")
            .service("mine", Service::new("/bin/mine --serve").enabled());
        let c = model.container(Self::WORKLOAD);
        let before = c.get_plan().context("reading the plan")?.services.len();
        c.add_layer("mine", &layer, true)?;
        c.replan()?;
        let current = c
            .get_service("mine")?
            .map(|s| s.current.to_string())
            .unwrap_or_default();
        model.add_status(active(format!("mine is {current} (plan had {before})")));
        Ok(())
    }
}

fn main() -> std::process::ExitCode {
    charm_runtime::run::<MyCharm>()
}
"#;

/// Writes the crate (with this workspace's `Cargo.lock`, so the same versions are used and
/// nothing new is fetched) and returns its directory.
fn write_crate() -> std::path::PathBuf {
    write_crate_as("mycharm", MAIN)
}

/// [`write_crate`] for package `name` with `main` as its `src/main.rs`. Cargo keeps one
/// build per package name in the shared target directory, so each source gets a name of
/// its own (the same name with other sources, from another scratch directory, could be
/// taken as up to date).
fn write_crate_as(name: &str, main: &str) -> std::path::PathBuf {
    let dir = scratch(&format!("outside-{name}")).join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let runtime = root().join("charm-runtime");
    std::fs::write(
        dir.join("Cargo.toml"),
        MANIFEST
            .replace("RUNTIME", runtime.to_str().unwrap())
            .replace(r#"name = "mycharm""#, &format!("name = {name:?}")),
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

fn target_dir() -> std::path::PathBuf {
    // Shared with the workspace, so the runtime and its dependencies are not built again.
    root().join("target")
}

#[test]
fn a_crate_of_its_own_gets_its_own_metadata_pack_location_and_runs() {
    let dir = write_crate();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet"])
        .env("CARGO_TARGET_DIR", target_dir())
        .current_dir(&dir)
        .status()
        .unwrap();
    assert!(status.success(), "cargo build of the outside crate failed");

    // `<binary> metadata` prints a charmcraft.yaml for this crate, at its own root.
    let out = Command::new(target_dir().join("debug/mycharm"))
        .arg("metadata")
        .output()
        .unwrap();
    assert!(out.status.success());
    let yaml = String::from_utf8(out.stdout).unwrap();
    let header: Vec<&str> = yaml.lines().take_while(|l| l.starts_with('#')).collect();
    assert!(
        header.iter().all(|l| !l.contains("demo")),
        "header mentions the demo: {header:?}"
    );
    assert!(
        header
            .iter()
            .any(|l| l.contains("mycharm metadata > charmcraft.yaml")),
        "{header:?}"
    );
    assert!(
        yaml.contains("    rust-path:\n    - .\n"),
        "the crate is the charmcraft project root:\n{yaml}"
    );
    assert!(yaml.contains("      bin/mycharm: dispatch\n"), "{yaml}");

    // `cargo charm pack` from the crate writes under the target directory, and says where.
    let pack = Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
        .args(["pack", "-q"])
        .env("CARGO_TARGET_DIR", target_dir())
        .current_dir(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&pack.stdout);
    assert!(
        pack.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&pack.stderr)
    );
    let charm = Path::new(stdout.trim());
    assert_eq!(charm, target_dir().join("charm/my-charm_amd64.charm"));
    assert!(charm.is_file());
    assert!(
        !dir.join("my-charm_amd64.charm").exists(),
        "pack wrote into the crate directory"
    );

    // Deployed, the anyhow handler ran and set its status.
    let model = Model {
        state: dir.join("state"),
    };
    let state = model.state.to_str().unwrap();
    cargo_charm_in(
        &dir,
        &[
            "sim",
            "deploy",
            charm.to_str().unwrap(),
            "--state",
            state,
            "-q",
        ],
    )
    .ok();
    let status = cargo_charm_in(&dir, &["sim", "status", "--state", state]).ok();
    assert!(status.contains("my-charm/0*  active"), "{status}");
    // The runtime's client reached the unit's Pebble: the layer, replan, the service.
    assert!(status.contains("mine is active (plan had 0)"), "{status}");
    assert!(
        status.contains("my-charm/0*  workload   mine: active"),
        "{status}"
    );
    let plan = model
        .sim(&["pebble", "my-charm/0", "workload", "plan"])
        .ok();
    assert!(plan.contains("command: /bin/mine --serve"), "{plan}");
    // A new pod: the container starts empty again and pebble-ready configures it.
    model.sim(&["delete-pod", "my-charm/0"]).ok();
    let u = model.unit("my-charm/0");
    assert_eq!(
        u["workload-status"]["message"],
        "mine is active (plan had 0)"
    );
    assert_eq!(
        u["containers"]["workload"]["services"]["mine"]["current"],
        "active"
    );
    // The anyhow handler of `start` set its status before pebble-ready set the last one.
    let calls = model.sim(&["events", "--calls"]).ok();
    let start = calls
        .split("\n#")
        .find(|e| e.contains(" deploy my-charm/0 start:"))
        .unwrap_or_else(|| panic!("{calls}"));
    assert!(
        start.contains("status-set --application=False active -- n=7"),
        "{start}"
    );

    // Declared for ubuntu@20.04 (glibc 2.31), the binary linked here (it needs 2.34 on a
    // glibc 2.34+ machine) is refused by `pack` before a `.charm` is written (issue 11 §3).
    std::fs::remove_file(charm).unwrap();
    let old_base = MAIN.replace(
        r#"description = "A charm of my own.")]"#,
        r#"description = "A charm of my own.", base = "ubuntu@20.04")]"#,
    );
    assert_ne!(old_base, MAIN);
    let focal = write_crate_as("mycharm-focal", &old_base);
    let pack = Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
        .args(["pack", "-q"])
        .env("CARGO_TARGET_DIR", target_dir())
        .current_dir(&focal)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&pack.stderr);
    assert_eq!(pack.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    for part in [
        "ERROR the charm binary ",
        "release/mycharm-focal needs glibc 2.3",
        "but the charm's base ubuntu@20.04 has glibc 2.31: it would fail to start there",
        "in a ubuntu:20.04 container",
        "CARGO_BUILD_TARGET=x86_64-unknown-linux-musl",
    ] {
        assert!(lines[0].contains(part), "{part:?} not in {}", lines[0]);
    }
    assert!(!charm.exists(), "a refused charm was written");
}
