//! The webapp example (examples/webapp) on the simulator, and its Python ops 3.9.0
//! reference (examples/webapp/python) through the same scenario: deploy two units, relate a
//! database and a website, rotate the admin password, bad config and bad relation data
//! reported as `blocked`, pod churn keeping the password. The two charms must behave alike.
//!
//! The Python run needs the repository's venv (`bash tools/python-venv.sh`; `tools/test.sh`
//! makes it) and mount namespaces (ops reaches Pebble at /charm/containers), as
//! ops_fidelity.rs does.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the two charms differ: their own error texts and number formatting, and whether
/// the charm reaches Pebble only through the mount namespace (ops does).
struct Texts {
    needs_namespace: bool,
    invalid_port: &'static str,
    bad_endpoints: &'static str,
    request_timeout: &'static str,
}

const RUST: Texts = Texts {
    needs_namespace: false,
    invalid_port:
        "Invalid config: config option `port`: 70000 is out of range for `u16` (0..=65535)",
    bad_endpoints: "Unusable database relation: endpoints \"nope\" is not host:port",
    request_timeout: "30",
};

const PYTHON: Texts = Texts {
    needs_namespace: true,
    invalid_port: "Invalid config: port 70000 is out of range (0..=65535)",
    bad_endpoints: "Unusable database relation: endpoints 'nope' is not host:port",
    request_timeout: "30.0",
};

/// `(status, message)` of a unit's workload.
fn status(m: &Model, unit: &str) -> (String, String) {
    let s = &m.unit(unit)["workload-status"];
    (
        s["current"].as_str().unwrap().to_string(),
        s["message"].as_str().unwrap_or_default().to_string(),
    )
}

fn blocked(message: &str) -> (String, String) {
    ("blocked".into(), message.into())
}

fn active() -> (String, String) {
    ("active".into(), String::new())
}

/// The `webapp` service of a unit's plan (`null` when there is none).
fn service(m: &Model, unit: &str) -> Value {
    let yaml = m.sim(&["pebble", unit, "webapp", "plan"]).ok();
    let plan: Value = serde_yaml::from_str(&yaml).unwrap();
    plan["services"]["webapp"].clone()
}

fn admin_password(m: &Model, unit: &str) -> String {
    service(m, unit)["environment"]["ADMIN_PASSWORD"]
        .as_str()
        .unwrap_or_else(|| panic!("{unit} has no ADMIN_PASSWORD"))
        .to_string()
}

/// Every hook of the run exited 0.
fn assert_no_hook_failed(m: &Model) {
    let failed: Vec<String> = m
        .events()
        .iter()
        .filter(|e| e["exit_code"] != 0)
        .map(|e| format!("{} {}", e["unit"], e["hook"]))
        .collect();
    let log = m.sim(&["debug-log"]).ok();
    assert!(failed.is_empty(), "failed hooks: {failed:?}\n{log}");
}

const NO_NAMESPACE: &str = "warning: hooks run without a mount namespace";

fn scenario(m: &Model, charm: &Path, texts: &Texts) {
    let deployed = m.sim(&["deploy", charm.to_str().unwrap(), "-n", "2"]);
    assert!(
        !(texts.needs_namespace && deployed.stderr.contains(NO_NAMESPACE)),
        "hooks could not run in a private mount namespace, so ops cannot reach Pebble at /charm/containers (see ops_fidelity.rs):\n{}",
        deployed.stderr
    );
    deployed.ok();
    for unit in ["webapp/0", "webapp/1"] {
        assert_eq!(status(m, unit), blocked("Needs a database relation"));
        assert!(service(m, unit).is_null(), "no workload without a database");
    }
    // The leader created the admin password secret and shared its id with the peers.
    let peers = m.relation("webapp/1", "peers");
    let id = peers["application-data"]["admin-secret-id"]
        .as_str()
        .unwrap();
    assert!(id.starts_with("secret:"), "{peers:#}");
    // The storage is mounted into the workload container.
    let files = m.sim(&["pebble", "webapp/0", "webapp", "files", "/var/lib/webapp"]);
    assert_eq!(files.code, 0, "{}", files.stderr);

    m.sim(&[
        "relate",
        "database",
        "pg",
        "--app-data",
        "endpoints=10.0.0.5:5432",
        "username=webapp_user",
        "password=db-PW",
    ])
    .ok();
    m.sim(&["relate", "website", "haproxy"]).ok();
    let password = admin_password(m, "webapp/0");
    assert_eq!(password.len(), 24);
    for unit in ["webapp/0", "webapp/1"] {
        assert_eq!(status(m, unit), active(), "{unit}");
        let svc = service(m, unit);
        assert_eq!(
            svc["command"],
            "/usr/bin/webapp --port=8080 --data-dir=/var/lib/webapp"
        );
        let env = &svc["environment"];
        assert_eq!(
            env["DATABASE_URL"],
            "postgresql://webapp_user:db-PW@10.0.0.5:5432/webapp"
        );
        assert_eq!(
            env["ADMIN_PASSWORD"],
            password.as_str(),
            "{unit}: read by id"
        );
        assert_eq!(env["SITE_NAME"], "webapp");
        assert_eq!(env["DEBUG"], "false");
        assert_eq!(env["REQUEST_TIMEOUT"], texts.request_timeout);
        assert_eq!(m.unit(unit)["opened-ports"][0], "8080/tcp");
        // The website gets this unit's address and port, as plain strings.
        let web = m.relation(unit, "website");
        let bag = &web["local-unit"]["data"];
        assert_eq!(bag["hostname"], bag["ingress-address"]);
        assert_eq!(bag["port"], "8080");
    }
    // The leader asked for the database as a plain string.
    let db = m.relation("webapp/0", "database");
    assert_eq!(db["local-application-data"]["database"], "webapp");

    // The action: leader only, a typed length.
    let r = m.sim(&["run", "webapp/1", "rotate-admin-password"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Run this action on the leader unit"),
        "{}",
        r.stderr
    );
    m.sim(&["run", "webapp/0", "rotate-admin-password", "length=32"])
        .ok();
    let rotated = admin_password(m, "webapp/0");
    assert_eq!(rotated.len(), 32);
    assert_ne!(rotated, password);
    // The other unit takes it at its next hook.
    m.sim(&["dispatch", "webapp/1", "update-status"]).ok();
    assert_eq!(admin_password(m, "webapp/1"), rotated);

    // Bad input is blocked, naming it, never a hook error; fixing it recovers.
    m.sim(&["config", "port=70000"]).ok();
    assert_eq!(status(m, "webapp/0"), blocked(texts.invalid_port));
    m.sim(&["config", "port=9000", "debug=true", "site-name=Shop"])
        .ok();
    assert_eq!(status(m, "webapp/0"), active());
    let svc = service(m, "webapp/1");
    assert!(svc["command"].as_str().unwrap().contains("--port=9000"));
    assert_eq!(svc["environment"]["DEBUG"], "true");
    assert_eq!(svc["environment"]["SITE_NAME"], "Shop");
    assert_eq!(m.unit("webapp/1")["opened-ports"][0], "9000/tcp");
    m.sim(&["set-data", "database", "pg", "endpoints=nope"])
        .ok();
    assert_eq!(status(m, "webapp/1"), blocked(texts.bad_endpoints));
    m.sim(&["set-data", "database", "pg", "endpoints=10.0.0.6:5432"])
        .ok();
    assert_eq!(status(m, "webapp/1"), active());

    // Pod churn: a fresh pod and an empty Pebble; the password comes back from the secret.
    m.sim(&["delete-pod", "webapp/0"]).ok();
    assert_eq!(admin_password(m, "webapp/0"), rotated);
    assert_eq!(status(m, "webapp/0"), active());

    // The database goes: blocked again, with no handler for relation-broken.
    m.sim(&["unrelate", "database", "pg"]).ok();
    assert_eq!(status(m, "webapp/0"), blocked("Needs a database relation"));
    assert_no_hook_failed(m);
}

#[test]
fn the_rust_charm_on_the_simulator() {
    let m = Model::new("webapp-rust");
    scenario(&m, &root().join("examples/webapp"), &RUST);
}

/// The Python reference as charmcraft would pack it: `src/charm.py`, the files charmcraft
/// renders from `charmcraft.yaml`, the `charm` plugin's `dispatch`, and ops 3.9.0 (the
/// repository's venv).
fn python_charm() -> PathBuf {
    let py = root().join(".venv/bin/python");
    let ok = Command::new(&py)
        .args([
            "-c",
            "import ops, sys; sys.exit(ops.__version__ != '3.9.0')",
        ])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "{} with ops 3.9.0 is missing: run `bash tools/python-venv.sh` (tools/test.sh does)",
        py.display()
    );
    let src = root().join("examples/webapp/python");
    let dir = scratch("webapp-python-charm");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::copy(src.join("src/charm.py"), dir.join("src/charm.py")).unwrap();
    let project: serde_yaml::Mapping =
        serde_yaml::from_str(&std::fs::read_to_string(src.join("charmcraft.yaml")).unwrap())
            .unwrap();
    let mut metadata = serde_yaml::Mapping::new();
    for (key, value) in &project {
        match key.as_str().unwrap() {
            "config" => write_yaml(&dir.join("config.yaml"), value),
            "actions" => write_yaml(&dir.join("actions.yaml"), value),
            "type" | "base" | "platforms" | "parts" => {}
            _ => {
                metadata.insert(key.clone(), value.clone());
            }
        }
    }
    write_yaml(&dir.join("metadata.yaml"), &metadata);
    std::fs::copy(
        root().join("fixtures/ops-counter/dispatch"),
        dir.join("dispatch"),
    )
    .unwrap();
    std::os::unix::fs::symlink(root().join(".venv"), dir.join("venv")).unwrap();
    dir
}

fn write_yaml(path: &Path, value: &impl serde::Serialize) {
    std::fs::write(path, serde_yaml::to_string(value).unwrap()).unwrap();
}

#[test]
fn the_python_reference_does_the_same() {
    let charm = python_charm();
    let m = Model::new("webapp-python");
    scenario(&m, &charm, &PYTHON);
}
