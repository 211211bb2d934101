//! Fidelity against the reference client: an unmodified Python ops 3.9.0 charm
//! (fixtures/ops-counter) deployed on the simulator. ops validates the dispatch
//! environment, calls the hook tools with its own argv and parses their output; where ops
//! and the simulator disagree, the simulator is wrong.
//!
//! Needs the repository's venv (`bash tools/python-venv.sh`; `tools/test.sh` makes it).

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
    let charm = root().join("fixtures/ops-counter");
    m.sim(&["deploy", charm.to_str().unwrap(), "-n", "2"]).ok();
    let peer = m.relation("ops-counter/0", "replicas");
    assert_eq!(counter(&peer["application-data"]), Some(1));

    for n in 2..=4 {
        m.sim(&["delete-pod", "ops-counter/0"]).ok();
        let peer = m.relation("ops-counter/0", "replicas");
        assert_eq!(counter(&peer["application-data"]), Some(n));
    }
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
    let charm = root().join("fixtures/ops-counter");
    m.sim(&["deploy", charm.to_str().unwrap()]).ok();
    m.sim(&["config", "greeting=hi", "port=9000"]).ok();
    let u = m.unit("ops-counter/0");
    assert_eq!(u["workload-status"]["message"], "hi on port 9000");
    assert_eq!(u["opened-ports"], serde_json::json!(["9000/tcp"]));

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
