//! The same charm twice, through the same story on the simulator: the Rust demo
//! (demo-charm/, packed by `cargo charm pack`) and the Juju SDK tutorial's charm written
//! with ops 3.9.0 (fixtures/tutorial-charm, its departures from the tutorial's code listed
//! in its `src/charm.py`).
//!
//! The story: deploy 2 units; relate a database provider that has sent nothing; the
//! provider sends its endpoint and, in a secret it grants through the relation
//! (`secret-user`), the credentials; `server-port=22`; `server-port=8080`; `get-db-info`;
//! delete the leader's pod; break the database relation. After every step both models
//! show the same workload status on every unit, the same opened ports, the same Pebble
//! plan and services, and the same `unit_stats` in the peer application bag. The one
//! documented difference: a non-leader's own starts, which the Rust charm counts in its
//! unit bag and the Python charm (whose tutorial code would fail there) does not count.
//!
//! Needs the repository's venv and mount namespaces, as tests/ops_fidelity.rs does.

mod common;

use common::*;
use serde_json::{json, Value};
use std::process::Command;

const LEADER: &str = "demo-api-charm/0";
const FOLLOWER: &str = "demo-api-charm/1";
const UNITS: [&str; 2] = [LEADER, FOLLOWER];
const NO_NAMESPACE: &str = "warning: hooks run without a mount namespace";

fn check_python() {
    let py = root().join(".venv/bin/python");
    let ok = Command::new(&py)
        .args([
            "-c",
            "import ops, requests, sys; sys.exit(ops.__version__ != '3.9.0')",
        ])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "{} with ops 3.9.0 and requests is missing: run `bash tools/python-venv.sh` (tools/test.sh does)",
        py.display()
    );
}

/// One charm's model and what its story step printed.
struct Side {
    name: &'static str,
    model: Model,
}

impl Side {
    fn sim(&self, args: &[&str]) -> String {
        let r = self.model.sim(args);
        assert!(
            !r.stderr.contains(NO_NAMESPACE),
            "hooks could not run in a private mount namespace, so ops cannot reach Pebble; this machine needs root or unprivileged user namespaces:\n{}",
            r.stderr
        );
        assert_eq!(
            r.code, 0,
            "{}: sim {args:?} failed\nstdout:\n{}\nstderr:\n{}",
            self.name, r.stdout, r.stderr
        );
        r.stdout
    }

    /// What the story compares, for every unit.
    fn view(&self) -> Value {
        let mut units = serde_json::Map::new();
        for unit in UNITS {
            let u = self.model.unit(unit);
            let peer = relation(&u, "fastapi-peer");
            let mut services = u["containers"]["demo-server"]["services"].clone();
            for s in services
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
            {
                s.as_object_mut().unwrap().remove("since");
            }
            units.insert(
                unit.to_string(),
                json!({
                    "workload-status": u["workload-status"],
                    "opened-ports": u["opened-ports"],
                    "plan": self.sim(&["pebble", unit, "demo-server", "plan"]),
                    "services": services,
                    "unit_stats": peer["application-data"]["unit_stats"],
                }),
            );
        }
        Value::Object(units)
    }

    /// `unit_stats` in the unit's own bag of the peer relation.
    fn own_unit_stats(&self, unit: &str) -> Value {
        relation(&self.model.unit(unit), "fastapi-peer")["local-unit"]["data"]["unit_stats"].clone()
    }

    /// Every hook so far exited 0.
    fn assert_no_failed_hook(&self) {
        let failed: Vec<String> = self
            .model
            .events()
            .iter()
            .filter(|e| e["exit_code"] != 0)
            .map(|e| format!("{} {} exit {}", e["unit"], e["hook"], e["exit_code"]))
            .collect();
        assert!(failed.is_empty(), "{}: {failed:#?}", self.name);
    }
}

fn relation(unit: &Value, endpoint: &str) -> Value {
    unit["relation-info"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["endpoint"] == endpoint)
        .cloned()
        .unwrap_or(Value::Null)
}

/// Runs one story step on both sides and compares them; returns the Rust side's view.
fn step(sides: &[Side; 2], what: &str, mut f: impl FnMut(&Side)) -> Value {
    for side in sides {
        f(side);
        side.assert_no_failed_hook();
    }
    let [rust, python] = sides;
    let (r, p) = (rust.view(), python.view());
    assert_eq!(
        r, p,
        "after {what:?} the two charms differ\nRust:\n{r:#}\nPython:\n{p:#}"
    );
    // The documented difference: a non-leader's own starts.
    assert_eq!(
        python.own_unit_stats(FOLLOWER),
        Value::Null,
        "after {what:?}"
    );
    assert_eq!(
        rust.own_unit_stats(FOLLOWER),
        r#"{"started_counter": 1}"#,
        "after {what:?}"
    );
    r
}

fn status(view: &Value, unit: &str) -> (String, String) {
    let s = &view[unit]["workload-status"];
    (
        s["current"].as_str().unwrap().to_string(),
        s["message"].as_str().unwrap().to_string(),
    )
}

fn all_units(view: &Value, current: &str, message: &str) {
    for unit in UNITS {
        assert_eq!(
            status(view, unit),
            (current.to_string(), message.to_string()),
            "{unit}: {view:#}"
        );
    }
}

fn plan(view: &Value, unit: &str) -> String {
    view[unit]["plan"].as_str().unwrap().to_string()
}

#[test]
fn the_rust_and_the_python_charm_tell_the_same_story() {
    check_python();
    let sides = [
        Side {
            name: "Rust",
            model: Model::new("side-rust"),
        },
        Side {
            name: "Python",
            model: Model::new("side-python"),
        },
    ];
    let python_charm = root().join("fixtures/tutorial-charm");
    let sources = [demo_charm().to_path_buf(), python_charm.clone()];

    // 1. Deploy 2 units.
    let v = step(&sides, "deploy", |s| {
        let src = &sources[usize::from(s.name == "Python")];
        s.sim(&["deploy", src.to_str().unwrap(), "-n", "2"]);
    });
    all_units(&v, "blocked", "Waiting for database relation");
    for unit in UNITS {
        assert_eq!(v[unit]["opened-ports"], json!(["8000/tcp"]));
        assert!(
            plan(&v, unit).contains("--port=8000\n"),
            "{}",
            plan(&v, unit)
        );
        assert!(!plan(&v, unit).contains("environment"));
        assert_eq!(v[unit]["services"]["fastapi-service"]["current"], "active");
    }
    assert_eq!(v[LEADER]["unit_stats"], r#"{"started_counter": 1}"#);
    // Both are the same charm: the fixture's metadata is what `cargo charm pack` generates.
    for file in ["metadata.yaml", "config.yaml", "actions.yaml"] {
        let read = |dir: &std::path::Path| -> serde_yaml::Value {
            serde_yaml::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap()
        };
        assert_eq!(
            read(&sides[0].model.state.join("charms/demo-api-charm")),
            read(&python_charm),
            "{file}"
        );
    }

    // 2. A database provider that has sent nothing yet.
    let v = step(&sides, "relate database", |s| {
        s.sim(&["relate", "database", "postgresql-k8s"]);
    });
    all_units(&v, "waiting", "Waiting for database relation");
    for side in &sides {
        let db = relation(&side.model.unit(LEADER), "database");
        assert_eq!(
            db["local-application-data"],
            json!({
                "database": "names_db",
                "requested-secrets": r#"["username", "password", "tls", "tls-ca", "uris"]"#,
            }),
            "{}",
            side.name
        );
    }

    // 3. The credentials, in a secret the provider grants through the relation.
    let v = step(&sides, "credentials", |s| {
        let uri = s.sim(&[
            "add-secret",
            "postgresql-k8s",
            "username=relation-1",
            "password=dEm0-pa55",
        ]);
        let uri = format!("secret-user={}", uri.trim());
        s.sim(&[
            "set-data",
            "database",
            "postgresql-k8s",
            "endpoints=10.1.0.5:5432",
            &uri,
        ]);
    });
    all_units(&v, "active", "");
    for unit in UNITS {
        let p = plan(&v, unit);
        for line in [
            "DEMO_SERVER_DB_HOST: 10.1.0.5",
            "DEMO_SERVER_DB_PORT: '5432'",
            "DEMO_SERVER_DB_USER: relation-1",
            "DEMO_SERVER_DB_PASSWORD: dEm0-pa55",
        ] {
            assert!(p.contains(line), "{unit}: {line}\n{p}");
        }
    }
    let with_credentials = plan(&v, LEADER);

    // 4. Port 22: blocked, nothing replanned or opened.
    let v = step(&sides, "server-port=22", |s| {
        s.sim(&["config", "server-port=22"]);
    });
    all_units(&v, "blocked", "Invalid port number, 22 is reserved for SSH");
    for unit in UNITS {
        assert_eq!(v[unit]["opened-ports"], json!(["8000/tcp"]));
        assert_eq!(plan(&v, unit), with_credentials);
    }

    // 5. Port 8080: moved.
    let v = step(&sides, "server-port=8080", |s| {
        s.sim(&["config", "server-port=8080"]);
    });
    all_units(&v, "active", "");
    for unit in UNITS {
        assert_eq!(v[unit]["opened-ports"], json!(["8080/tcp"]));
        assert_eq!(
            plan(&v, unit),
            with_credentials.replace("--port=8000", "--port=8080")
        );
    }

    // 6. The action, with and without the password.
    let mut outputs = Vec::new();
    step(&sides, "get-db-info", |s| {
        let with = s.sim(&["run", LEADER, "get-db-info", "show-password=true"]);
        let without = s.sim(&["run", FOLLOWER, "get-db-info"]);
        outputs.push((with, without));
    });
    assert_eq!(outputs[0], outputs[1]);
    let (with, without) = &outputs[0];
    for line in [
        "db-host: 10.1.0.5",
        "db-port: '5432'",
        "db-username: relation-1",
        "db-password: dEm0-pa55",
    ] {
        assert!(with.contains(line), "{line}\n{with}");
    }
    assert!(!without.contains("db-password"), "{without}");

    // 7. Delete the leader's pod: the counter is 2, the workload comes back as it was.
    let before = v.clone();
    let v = step(&sides, "delete-pod", |s| {
        s.sim(&["delete-pod", LEADER]);
    });
    all_units(&v, "active", "");
    assert_eq!(v[LEADER]["unit_stats"], r#"{"started_counter": 2}"#);
    assert_eq!(plan(&v, LEADER), plan(&before, LEADER));

    // 8. Break the database relation: blocked, the credentials leave the workload.
    let v = step(&sides, "unrelate database", |s| {
        s.sim(&["unrelate", "database", "postgresql-k8s"]);
    });
    all_units(&v, "blocked", "Waiting for database relation");
    for unit in UNITS {
        assert!(
            !plan(&v, unit).contains("environment"),
            "{}",
            plan(&v, unit)
        );
        assert!(plan(&v, unit).contains("--port=8080\n"));
        assert_eq!(v[unit]["opened-ports"], json!(["8080/tcp"]));
    }

    // The end of the story, for the record (`cargo test -- --nocapture` shows it).
    eprintln!(
        "$ cargo charm sim status\n{}\n$ cargo charm sim pebble {LEADER} demo-server plan\n{}",
        sides[0].sim(&["status"]),
        plan(&v, LEADER)
    );
}
