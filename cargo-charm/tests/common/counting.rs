//! The counting charm of the kill and concurrency tests, and the checks that a state
//! directory is consistent after commands were killed or ran at once.

use super::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const APP: &str = "counter";

/// The counting charm; `start` sleeps `start_sleep` seconds before it counts, and every
/// hook appends `<hook> <pid>` to `log` when it begins.
pub fn counter_charm(dir: &Path, start_sleep: &str, log: &Path) -> PathBuf {
    let script = format!(
        r#"echo "$JUJU_DISPATCH_PATH $$" >> {log}
count() {{
  n=$(relation-get -r "$1" n "$JUJU_UNIT_NAME")
  n=$((${{n:-0}} + 1))
  relation-set -r "$1" n=$n copy=$n
}}
case "$JUJU_DISPATCH_PATH" in
hooks/start)
  sleep {start_sleep}
  count "$(relation-ids peers)" ;;
hooks/db-relation-created|hooks/db-relation-joined|hooks/db-relation-changed)
  count "$JUJU_RELATION_ID" ;;
esac"#,
        log = log.display()
    );
    shell_charm(
        dir,
        "name: counter\nsummary: s\ndescription: d\npeers:\n  peers:\n    interface: counter_peers\nrequires:\n  db:\n    interface: pgsql\n",
        None,
        &script,
    )
}

/// `cargo-charm sim ARGS --state STATE -q`.
pub fn sim(state: &Path, args: &[&str]) -> Run {
    let mut all = vec!["sim"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--state", state.to_str().unwrap(), "-q"]);
    cargo_charm(&all)
}

pub fn model(state: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(state.join("model.json")).unwrap()).unwrap()
}

/// Processes whose environment names a run directory of `state`: hooks still running.
pub fn hooks_running(state: &Path) -> Vec<String> {
    let needle = format!("CARGO_CHARM_HOOK_DIR={}/run/", state.display());
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let zombie = std::fs::read_to_string(e.path().join("stat"))
            .map(|s| {
                s.rsplit(')')
                    .next()
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('Z')
            })
            .unwrap_or(true);
        let env = std::fs::read(e.path().join("environ")).unwrap_or_default();
        if !zombie
            && env
                .split(|b| *b == 0)
                .any(|v| v.starts_with(needle.as_bytes()))
        {
            out.push(name);
        }
    }
    out
}

/// Everything that must hold once a command has run to the end (after a kill, the
/// recovering command included). `what` names the kill point in failures.
pub fn check(state: &Path, what: &str) {
    assert!(
        hooks_running(state).is_empty(),
        "{what}: hooks still running: {:?}",
        hooks_running(state)
    );
    let run = state.join("run");
    if run.exists() {
        let left: Vec<_> = std::fs::read_dir(&run).unwrap().flatten().collect();
        assert!(left.is_empty(), "{what}: run directories left: {left:?}");
    }
    // The state loads, through cargo-charm too.
    sim(state, &["status"]).ok();
    let m = model(state);
    assert_eq!(
        m["queue"],
        Value::Array(vec![]),
        "{what}: steps left queued"
    );
    let events = &committed_history(state, "events");
    let mut seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    let n = seqs.len();
    seqs.dedup();
    assert_eq!(
        seqs.len(),
        n,
        "{what}: a dispatch sequence number was reused"
    );
    let units = m["apps"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|a| a["units"].as_object().unwrap().values());
    for u in units {
        let unit = u["name"].as_str().unwrap();
        assert_eq!(u["error"], Value::Null, "{what}: {unit} is in error");
        assert_eq!(u["life"], "alive", "{what}: {unit} is stuck dying");
        for rel in m["relations"].as_object().unwrap().values() {
            let key = format!("{}:{}", rel["endpoint"].as_str().unwrap(), rel["id"]);
            let counted: &[&str] = if rel["endpoint"] == "peers" {
                &["start"]
            } else {
                &[
                    "db-relation-created",
                    "db-relation-joined",
                    "db-relation-changed",
                ]
            };
            let completed = events
                .iter()
                .filter(|e| {
                    e["unit"] == unit
                        && e["exit_code"] == 0
                        && counted.contains(&e["hook"].as_str().unwrap())
                        && (rel["endpoint"] == "peers" || e["relation"] == key.as_str())
                })
                .count();
            let bag = &rel["units"][unit]["data"];
            let n = bag["n"].as_str().map_or(0, |n| n.parse::<usize>().unwrap());
            assert_eq!(
                bag["n"], bag["copy"],
                "{what}: {unit} {key}: a hook's writes were split: {bag}"
            );
            assert_eq!(
                n, completed,
                "{what}: {unit} {key}: counted {n}, {completed} hook(s) completed"
            );
        }
    }
}
