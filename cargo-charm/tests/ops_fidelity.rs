//! Fidelity against the reference client: an unmodified Python ops 3.9.0 charm
//! (fixtures/ops-counter) deployed on the simulator. ops validates the dispatch
//! environment, calls the hook tools with its own argv and parses their output; where ops
//! and the simulator disagree, the simulator is wrong.
//!
//! The charm's workload container has a Pebble in the simulator: ops' own
//! `pebble.Client` reaches it at `/charm/containers/workload/pebble.socket` from inside
//! the hook's mount namespace, adds its layer and replans.
//!
//! Needs the repository's venv (`bash tools/python-venv.sh`; `tools/test.sh` makes it),
//! and mount namespaces (root, or unprivileged user namespaces): without them these tests
//! fail, saying what to enable.

mod common;

use common::*;
use serde_json::Value;
use std::process::Command;

fn python() -> std::path::PathBuf {
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
    py
}

/// Every hook exited 0 and ops made no tool call that failed.
fn assert_clean(m: &Model) {
    let events = m.events();
    let mut problems = Vec::new();
    for e in &events {
        if e["exit_code"] != 0 {
            problems.push(format!(
                "{} {}: exit {}",
                e["unit"], e["hook"], e["exit_code"]
            ));
        }
        for c in e["calls"].as_array().unwrap() {
            if c["code"] != 0 {
                problems.push(format!(
                    "{} {}: {} -> {} {}",
                    e["unit"], e["hook"], c["argv"], c["code"], c["stderr"]
                ));
            }
        }
    }
    let log = m.sim(&["debug-log"]).ok();
    for line in log.lines() {
        if line.contains(" ERROR ") || line.contains("Traceback") {
            problems.push(line.to_string());
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

const NO_NAMESPACE: &str = "warning: hooks run without a mount namespace";

/// `sim deploy` of the ops charm; fails, saying what to enable, if its hooks could not run
/// in a mount namespace (ops would then not reach Pebble).
fn deploy(m: &Model, args: &[&str]) {
    let charm = root().join("fixtures/ops-counter");
    let mut all = vec!["deploy", charm.to_str().unwrap()];
    all.extend_from_slice(args);
    let r = m.sim(&all);
    assert!(
        !r.stderr.contains(NO_NAMESPACE),
        "hooks could not run in a private mount namespace, so ops cannot reach Pebble at /charm/containers; this machine (or CI) needs root or unprivileged user namespaces, and CAP_SYS_ADMIN inside a container:\n{}",
        r.stderr
    );
    r.ok();
}

/// The `counter` service of a unit's workload container, as show-unit shows it.
fn counter_service(m: &Model, unit: &str) -> Value {
    m.unit(unit)["containers"]["workload"]["services"]["counter"].clone()
}

fn plan(m: &Model, unit: &str) -> String {
    m.sim(&["pebble", unit, "workload", "plan"]).ok()
}

fn action(m: &Model, unit: &str, args: &[&str]) -> std::collections::BTreeMap<String, String> {
    let mut all = vec!["run", unit, "get-count"];
    all.extend_from_slice(args);
    let out = m.sim(&all).ok();
    out.lines()
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_string(), v.trim_matches('\'').to_string()))
        .collect()
}

#[test]
fn ops_charm_counts_starts_across_three_pod_deletions() {
    python();
    let m = Model::new("ops-counter");
    deploy(&m, &["-n", "2"]);
    let peer = m.relation("ops-counter/0", "replicas");
    assert_eq!(counter(&peer["application-data"]), Some(1));
    // pebble-ready: ops' client added the layer and replanned, in each unit's own Pebble.
    for unit in ["ops-counter/0", "ops-counter/1"] {
        let plan = plan(&m, unit);
        assert!(
            plan.contains("command: /bin/counter-server --port 8080"),
            "{plan}"
        );
        assert!(plan.contains(&format!("UNIT: {unit}\n")), "{plan}");
        let service = counter_service(&m, unit);
        assert_eq!(service["current"], "active", "{service}");
        assert_eq!(service["startup"], "enabled", "{service}");
    }
    let mut since = counter_service(&m, "ops-counter/0")["since"].clone();
    assert!(since.as_str().is_some_and(|s| s.ends_with('Z')), "{since}");

    for n in 2..=4 {
        m.sim(&["delete-pod", "ops-counter/0"]).ok();
        let peer = m.relation("ops-counter/0", "replicas");
        assert_eq!(counter(&peer["application-data"]), Some(n));
        // The new pod's container started with no plan; pebble-ready added it again and
        // the service started anew.
        let service = counter_service(&m, "ops-counter/0");
        assert_eq!(service["current"], "active", "{service}");
        assert_ne!(service["since"], since);
        since = service["since"].clone();
    }
    let log = m.sim(&["debug-log", "--unit", "ops-counter/0"]).ok();
    assert_eq!(
        log.matches("pebble-ready: the plan has 0 service(s)")
            .count(),
        4,
        "{log}"
    );
    assert_eq!(
        log.matches("added the ops-counter layer").count(),
        4,
        "{log}"
    );
    // The other unit's Pebble saw none of it.
    assert!(plan(&m, "ops-counter/1").contains("UNIT: ops-counter/1\n"));
    // The non-leader counted nothing (leader-only), and saw the leader's writes.
    let peer1 = m.relation("ops-counter/1", "replicas");
    assert_eq!(counter(&peer1["application-data"]), Some(4));
    assert!(peer1["local-unit"]["data"].get("unit_stats").is_none());
    // config-changed set a status and wrote unit data; ops committed both.
    assert_eq!(peer1["local-unit"]["data"]["greeting"], "hello");
    let u0 = m.unit("ops-counter/0");
    assert_eq!(u0["workload-status"]["current"], "active");
    assert_eq!(u0["workload-status"]["message"], "hello on port 8080");
    assert_eq!(u0["opened-ports"], serde_json::json!(["8080/tcp"]));

    // StoredState lives in the charm directory: the new pod starts from zero.
    let r = action(&m, "ops-counter/0", &["verbose=true"]);
    assert_eq!(r["count"], "4");
    assert_eq!(r["pod-starts"], "1");
    assert_eq!(r["greeting"], "hello");
    let r = action(&m, "ops-counter/1", &[]);
    assert_eq!(r["pod-starts"], "1");
    assert!(!r.contains_key("greeting"));

    assert_clean(&m);
}

#[test]
fn ops_charm_through_config_relations_leadership_and_scaling() {
    python();
    let m = Model::new("ops-lifecycle");
    deploy(&m, &[]);
    m.sim(&["config", "greeting=hi", "port=9000"]).ok();
    let u = m.unit("ops-counter/0");
    assert_eq!(u["workload-status"]["message"], "hi on port 9000");
    assert_eq!(u["opened-ports"], serde_json::json!(["9000/tcp"]));
    // config-changed re-applied the layer of the configured workload.
    let plan = plan(&m, "ops-counter/0");
    assert!(
        plan.contains("command: /bin/counter-server --port 9000"),
        "{plan}"
    );
    assert!(plan.contains("GREETING: hi\n"), "{plan}");

    m.sim(&[
        "relate",
        "backend",
        "web",
        "--units",
        "2",
        "--app-data",
        "url=http://web",
    ])
    .ok();
    m.sim(&["set-data", "backend", "web/1", "weight=3"]).ok();
    m.sim(&["set-data", "backend", "web", "url="]).ok();
    m.sim(&["unrelate", "backend", "web"]).ok();
    m.sim(&["scale", "3"]).ok();
    m.sim(&["leader", "ops-counter/2"]).ok();
    m.sim(&["delete-pod", "ops-counter/2"]).ok();
    m.sim(&["scale", "1"]).ok();
    m.sim(&["dispatch", "ops-counter/0", "update-status"]).ok();
    m.sim(&["dispatch", "ops-counter/0", "workload-pebble-ready"])
        .ok();
    assert_eq!(m.unit("ops-counter/0")["leader"], true);
    let peer = m.relation("ops-counter/0", "replicas");
    // Starts counted by the leader of the moment: deploy (0), pod of unit 2 (leader).
    assert_eq!(counter(&peer["application-data"]), Some(2));
    assert_clean(&m);
}

#[test]
fn ops_reads_custom_notices_and_checks_back_from_the_units_pebble() {
    python();
    let m = Model::new("ops-notices");
    deploy(&m, &[]);
    let unit = "ops-counter/0";
    m.sim(&[
        "dispatch",
        unit,
        "workload-pebble-custom-notice",
        "--notice-key",
        "example.com/db",
        "--notice-data",
        "a=1",
        "b=two",
    ])
    .ok();
    m.sim(&[
        "dispatch",
        unit,
        "workload-pebble-custom-notice",
        "--notice-key",
        "example.com/db",
    ])
    .ok();
    // The id Juju passed is the notice's: ops loaded it from Pebble by that id.
    let notices = m.sim(&["pebble", unit, "workload", "notices"]).ok();
    let id = notices
        .lines()
        .find(|l| l.contains("example.com/db"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("{notices}"))
        .to_string();
    let log = m.sim(&["debug-log"]).ok();
    assert!(
        log.contains(&format!(
            r#"notice {id} example.com/db occurrences=1 data={{"a": "1", "b": "two"}}"#
        )),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "notice {id} example.com/db occurrences=2 data={{}}"
        )),
        "{log}"
    );
    let events = m.events();
    let notice_events: Vec<&Value> = events
        .iter()
        .filter(|e| e["hook"] == "workload-pebble-custom-notice")
        .collect();
    assert_eq!(notice_events.len(), 2);

    // check-failed: the check reached its threshold in Pebble before the hook ran.
    m.sim(&[
        "dispatch",
        unit,
        "workload-pebble-check-failed",
        "--check",
        "alive",
    ])
    .ok();
    let log = m.sim(&["debug-log"]).ok();
    assert!(
        log.contains("check alive is down after 3 failure(s)"),
        "{log}"
    );
    assert_eq!(
        m.unit(unit)["containers"]["workload"]["checks"]["alive"],
        "down"
    );
    m.sim(&[
        "dispatch",
        unit,
        "workload-pebble-check-recovered",
        "--check",
        "alive",
    ])
    .ok();
    let log = m.sim(&["debug-log"]).ok();
    assert!(log.contains("check alive is up again"), "{log}");
    assert_eq!(
        m.unit(unit)["containers"]["workload"]["checks"]["alive"],
        "up"
    );
    // A check the plan does not have: Juju would never send the hook.
    let r = m.sim(&[
        "dispatch",
        unit,
        "workload-pebble-check-failed",
        "--check",
        "ready",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(r#"container "workload" of ops-counter/0 has no check "ready" in its plan"#),
        "{}",
        r.stderr
    );
    // A bad notice key is Pebble's own error.
    let r = m.sim(&[
        "dispatch",
        unit,
        "workload-pebble-custom-notice",
        "--notice-key",
        "no-domain",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(r#"invalid key "no-domain" (must be in "example.com/path" format)"#),
        "{}",
        r.stderr
    );
    assert_clean(&m);
}

#[test]
fn without_a_namespace_ops_cannot_reach_pebble_and_is_told_so() {
    python();
    let m = Model::new("ops-no-namespace");
    let charm = root().join("fixtures/ops-counter");
    let r = m.sim_env(
        &["deploy", charm.to_str().unwrap()],
        &[("CARGO_CHARM_SIM_NAMESPACES", "off")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches(NO_NAMESPACE).count(), 1, "{}", r.stderr);
    // ops' client got ConnectionError; the charm coped, as the tutorial says it should.
    let log = m.sim(&["debug-log"]).ok();
    assert!(
        log.contains("Unable to connect to Pebble: Could not connect to Pebble: socket not found at '/charm/containers/workload/pebble.socket'"),
        "{log}"
    );
    let u = m.unit("ops-counter/0");
    assert_eq!(u["workload-status"]["current"], "waiting");
    assert_eq!(u["workload-status"]["message"], "waiting for Pebble");
    assert_eq!(
        u["containers"]["workload"]["services"],
        serde_json::json!({})
    );
}

#[test]
fn a_deflated_charm_as_charmcraft_writes_it_deploys() {
    // Re-pack the demo charm with Python's zipfile, deflated, keeping the Unix modes.
    let py = python();
    let dir = scratch("deflated");
    let out = dir.join("demo-api-charm_amd64.charm");
    let script = r#"
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        new = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 2, 3, 4, 6))
        new.external_attr = info.external_attr
        new.create_system = 3
        new.compress_type = zipfile.ZIP_DEFLATED
        zout.writestr(new, zin.read(info.filename))
"#;
    let status = Command::new(&py)
        .args([
            "-c",
            script,
            demo_charm().to_str().unwrap(),
            out.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    // Python's archive, deflated (by zlib, not by cargo-charm's writer), with its own times.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    assert_eq!(zip.len(), 5);
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
        assert_eq!(entry.last_modified().map(|t| t.year()), Some(2025));
    }
    let m = Model::new("deflated-model");
    m.sim(&["deploy", out.to_str().unwrap(), "-n", "2"]).ok();
    let peer = m.relation("demo-api-charm/0", "fastapi-peer");
    assert_eq!(counter(&peer["application-data"]), Some(1));
    let events: Vec<Value> = m.events();
    assert!(events.iter().all(|e| e["exit_code"] == 0));
}
