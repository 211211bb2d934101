//! The simulator's model semantics with shell-script charms that call the hook tools
//! directly: commit on success, discard on failure (statuses stay), the error state and
//! recovery, and the state directory surviving kills.

mod common;

use common::*;
use std::process::Command;
use std::time::{Duration, Instant};

const META: &str =
    "name: shell-charm\nsummary: s\ndescription: d\npeers:\n  peers:\n    interface: shell_peers\n";
const CONFIG: &str = "options:\n  fail:\n    type: boolean\n    default: false\n";

/// `start` writes its unit bag, opens a port, sets a status, logs, and fails when the
/// `fail` option is true; other hooks do nothing.
const SCRIPT: &str = r#"
case "$JUJU_HOOK_NAME" in
start)
  rid=$(relation-ids peers --format=json | tr -d '[]"')
  relation-set -r "$rid" written=yes || exit 3
  state-set counted=yes || exit 3
  open-port 9000 || exit 3
  status-set maintenance -- "about to decide" || exit 3
  juju-log --log-level WARNING -- "start ran"
  if [ "$(config-get fail --format=json)" = true ]; then
    echo "failing on purpose" >&2
    exit 1
  fi
  status-set active -- ok || exit 3
  ;;
esac
"#;

#[test]
fn failed_hook_discards_writes_keeps_status_and_recovers() {
    let m = Model::new("failing");
    let charm = shell_charm(&m.state.with_file_name("charm"), META, Some(CONFIG), SCRIPT);
    m.sim(&["deploy", charm.to_str().unwrap(), "--config", "fail=true"])
        .ok();

    // start failed: the unit is in error; its writes were discarded.
    let u = m.unit("shell-charm/0");
    assert_eq!(u["workload-status"]["current"], "error");
    assert_eq!(u["workload-status"]["message"], r#"hook failed: "start""#);
    assert_eq!(u["opened-ports"], serde_json::json!([]));
    let peers = m.relation("shell-charm/0", "peers");
    assert!(
        peers["local-unit"]["data"].get("written").is_none(),
        "{peers:#}"
    );
    let status = m.sim(&["status"]).ok();
    assert!(status.contains(r#"hook failed: "start""#), "{status}");
    let start = m
        .events()
        .into_iter()
        .find(|e| e["hook"] == "start")
        .unwrap();
    assert_eq!(start["exit_code"], 1);
    assert_eq!(start["calls"].as_array().unwrap().len(), 7);
    let log = m.sim(&["debug-log"]).ok();
    assert!(
        log.contains("WARNING unit.shell-charm/0.juju-log start ran"),
        "{log}"
    );
    assert!(
        log.contains("WARNING unit.shell-charm/0.start failing on purpose"),
        "{log}"
    );

    // A unit in error runs no other hook until its failed hook succeeds on a retry or is
    // resolved (Juju's uniter, nextOpHookError). The config change first retries start
    // (still failing: the retry runs before the change); its config-changed waits.
    let before = m.events().len();
    m.sim(&["config", "fail=false"]).ok();
    let ran: Vec<(String, i64)> = m.events()[before..]
        .iter()
        .map(|e| {
            (
                e["hook"].as_str().unwrap().to_string(),
                e["exit_code"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ran, [("start".to_string(), 1)]);
    let u = m.unit("shell-charm/0");
    assert_eq!(u["workload-status"]["message"], r#"hook failed: "start""#);

    // resolve --no-retry skips it: the waiting config-changed runs; the failed hook's
    // status stays (Juju), its writes are gone.
    m.sim(&["resolve", "shell-charm/0", "--no-retry"]).ok();
    assert_eq!(m.hooks().last().unwrap().1, "config-changed");
    let u = m.unit("shell-charm/0");
    assert_eq!(u["workload-status"]["current"], "maintenance");
    assert_eq!(u["workload-status"]["message"], "about to decide");
    assert_eq!(u["opened-ports"], serde_json::json!([]));

    // start again, succeeding: now everything is committed.
    m.sim(&["dispatch", "shell-charm/0", "start"]).ok();
    let u = m.unit("shell-charm/0");
    assert_eq!(u["workload-status"]["current"], "active");
    assert_eq!(u["opened-ports"], serde_json::json!(["9000/tcp"]));
    let peers = m.relation("shell-charm/0", "peers");
    assert_eq!(peers["local-unit"]["data"]["written"], "yes");

    // A failing `dispatch` exits 1 and says so.
    m.sim(&["config", "fail=true"]).ok();
    let r = m.sim(&["dispatch", "shell-charm/0", "start"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(r#"hook "start" failed"#), "{}", r.stderr);
}

#[test]
fn hook_environment_is_built_from_scratch() {
    let m = Model::new("environment");
    let script =
        r#"env | sort > "$JUJU_CHARM_DIR/../env-$JUJU_HOOK_NAME"; pwd > "$JUJU_CHARM_DIR/../cwd""#;
    let charm = shell_charm(&m.state.with_file_name("charm"), META, None, script);
    let deployed = Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
        .args(["sim", "deploy", charm.to_str().unwrap(), "-n", "2", "-q"])
        .args(["--state", m.state.to_str().unwrap()])
        .env("SOMETHING_FROM_THE_CALLER", "1")
        .status()
        .unwrap();
    assert!(deployed.success());
    let unit_dir = m.state.join("units/shell-charm-1");
    let env = std::fs::read_to_string(unit_dir.join("env-peers-relation-joined")).unwrap();
    for line in [
        "JUJU_DISPATCH_PATH=hooks/peers-relation-joined",
        "JUJU_HOOK_NAME=peers-relation-joined",
        "JUJU_UNIT_NAME=shell-charm/1",
        "JUJU_RELATION=peers",
        "JUJU_RELATION_ID=peers:0",
        "JUJU_REMOTE_APP=shell-charm",
        "JUJU_REMOTE_UNIT=shell-charm/0",
        "JUJU_MODEL_NAME=sim",
        "JUJU_VERSION=3.6.4",
    ] {
        assert!(env.lines().any(|l| l == line), "{line} missing:\n{env}");
    }
    assert!(!env.contains("SOMETHING_FROM_THE_CALLER"));
    let path = env.lines().find(|l| l.starts_with("PATH=")).unwrap();
    assert!(
        path.starts_with(&format!("PATH={}", m.state.join("tools").display())),
        "{path}"
    );
    let cwd = std::fs::read_to_string(unit_dir.join("cwd")).unwrap();
    assert_eq!(cwd.trim(), unit_dir.join("charm").display().to_string());
    assert!(m.state.join("tools/relation-get").exists());
}

#[test]
fn a_killed_command_leaves_a_consistent_model_that_resumes() {
    let m = Model::new("killed");
    // install sleeps on every unit, so the deploy can be killed halfway.
    let script = r#"case "$JUJU_HOOK_NAME" in install) sleep 0.3;; start) status-set active -- started;; esac"#;
    let charm = shell_charm(&m.state.with_file_name("charm"), META, None, script);
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
        .args(["sim", "deploy", charm.to_str().unwrap(), "-n", "3", "-q"])
        .args(["--state", m.state.to_str().unwrap()])
        .spawn()
        .unwrap();
    // Wait until the first unit's install is done and some queue is left, then SIGKILL.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(bytes) = std::fs::read(m.state.join("model.json")) {
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                if v["history"]["events"]["records"]
                    .as_u64()
                    .is_some_and(|n| n >= 2)
                {
                    break;
                }
            }
        }
        assert!(Instant::now() < deadline, "deploy never progressed");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    // Readable and consistent: some hooks ran, some are queued.
    let v: serde_json::Value = serde_json::from_slice(&m.model_bytes()).unwrap();
    let queued = v["queue"].as_array().unwrap().len();
    assert!(queued > 0, "the kill came too late to test anything");
    let status = m.sim(&["status"]).ok();
    assert!(
        status.contains(&format!(
            "{queued} step(s) of an interrupted operation are queued"
        )),
        "{status}"
    );

    // The next command that changes the model finishes the interrupted deploy first.
    let r = cargo_charm(&[
        "sim",
        "dispatch",
        "shell-charm/0",
        "update-status",
        "--state",
        m.state.to_str().unwrap(),
    ]);
    assert!(r.stderr.contains("resuming"), "{}", r.stderr);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for unit in ["shell-charm/0", "shell-charm/1", "shell-charm/2"] {
        assert_eq!(
            m.unit(unit)["workload-status"]["message"],
            "started",
            "{unit}"
        );
    }
    let v: serde_json::Value = serde_json::from_slice(&m.model_bytes()).unwrap();
    assert_eq!(v["queue"].as_array().unwrap().len(), 0);
}

#[test]
fn concurrent_commands_wait_for_the_lock() {
    let m = Model::new("locked");
    let script = r#"case "$JUJU_HOOK_NAME" in update-status) sleep 0.5;; esac"#;
    let charm = shell_charm(&m.state.with_file_name("charm"), META, None, script);
    m.sim(&["deploy", charm.to_str().unwrap()]).ok();
    let state = m.state.to_str().unwrap();
    let mut slow = Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
        .args([
            "sim",
            "dispatch",
            "shell-charm/0",
            "update-status",
            "-q",
            "--state",
            state,
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    let r = cargo_charm(&[
        "sim",
        "dispatch",
        "shell-charm/0",
        "update-status",
        "--state",
        state,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("waiting for another cargo-charm command"),
        "{}",
        r.stderr
    );
    assert!(slow.wait().unwrap().success());
    let updates = m
        .hooks()
        .into_iter()
        .filter(|(_, h)| h == "update-status")
        .count();
    assert_eq!(updates, 2);
}

#[test]
fn departing_units_stay_readable_during_departed() {
    let m = Model::new("departed");
    let meta = "name: watcher\nsummary: s\ndescription: d\nrequires:\n  db:\n    interface: pg\n";
    let script = r#"
case "$JUJU_HOOK_NAME" in
db-relation-departed|db-relation-broken)
  juju-log -- "$JUJU_HOOK_NAME remote=$JUJU_REMOTE_UNIT departing=$JUJU_DEPARTING_UNIT list=$(relation-list --format=json) data=$(relation-get --format=json - "${JUJU_REMOTE_UNIT:-pg/1}" 2>&1)"
  ;;
esac
"#;
    let charm = shell_charm(&m.state.with_file_name("charm"), meta, None, script);
    m.sim(&["deploy", charm.to_str().unwrap()]).ok();
    m.sim(&[
        "relate",
        "db",
        "pg",
        "--units",
        "2",
        "--unit-data",
        "role=replica",
    ])
    .ok();
    m.sim(&["unrelate", "db", "pg"]).ok();
    let log = m.sim(&["debug-log"]).ok();
    assert!(
        log.contains(r#"db-relation-departed remote=pg/0 departing=pg/0 list=["pg/1"] data={"#),
        "{log}"
    );
    assert!(log.contains(r#""role":"replica""#), "{log}");
    assert!(
        log.contains(r#"db-relation-departed remote=pg/1 departing=pg/1 list=[] data={"#),
        "{log}"
    );
    assert!(
        log.contains("db-relation-broken remote= departing= list=[]"),
        "{log}"
    );
    let hooks: Vec<String> = m.hooks().into_iter().map(|(_, h)| h).collect();
    assert_eq!(
        hooks[hooks.len() - 3..],
        [
            "db-relation-departed",
            "db-relation-departed",
            "db-relation-broken"
        ]
    );
}

/// `app.meta` in `model.json` as cargo-charm saved it before the simulator used the
/// runtime's metadata model: the charm of these tests, with the `fail` option.
const EARLIER_META: &str = r#"{
  "name": "shell-charm",
  "peers": [{"name": "peers", "interface": "shell_peers", "limit": null}],
  "provides": [],
  "requires": [],
  "containers": [],
  "storage": [],
  "options": {"fail": {"type": "boolean", "default": false, "description": null}},
  "actions": {}
}"#;

#[test]
fn a_model_saved_by_an_earlier_cargo_charm_still_loads() {
    let m = Model::new("earlier-meta");
    let charm = shell_charm(&m.state.with_file_name("charm"), META, Some(CONFIG), SCRIPT);
    m.sim(&["deploy", charm.to_str().unwrap()]).ok();
    let path = m.state.join("model.json");
    let mut saved: serde_json::Value = serde_json::from_slice(&m.model_bytes()).unwrap();
    saved["apps"]["shell-charm"]["meta"] = serde_json::from_str(EARLIER_META).unwrap();
    std::fs::write(&path, serde_json::to_vec_pretty(&saved).unwrap()).unwrap();

    // Read as the charm's metadata: its options, its endpoints.
    assert_eq!(m.sim(&["config"]).ok(), "fail: false\n");
    let r = m.sim(&["config", "nope=1"]);
    assert!(
        r.stderr
            .contains(r#"unknown option "nope" (options of shell-charm: fail)"#),
        "{}",
        r.stderr
    );
    m.sim(&["config", "fail=true"]).ok();
    let u = m.unit("shell-charm/0");
    assert_eq!(u["workload-status"]["current"], "active");
    // The next save writes the runtime's shape, which loads as well.
    let resaved: serde_json::Value = serde_json::from_slice(&m.model_bytes()).unwrap();
    assert!(resaved["apps"]["shell-charm"]["meta"]
        .get("options")
        .is_none());
    assert_eq!(
        resaved["apps"]["shell-charm"]["meta"]["config"][0]["name"],
        "fail"
    );
    m.sim(&["status"]).ok();

    // A corrupt one is refused, naming what is wrong.
    saved["apps"]["shell-charm"]["meta"]["options"]["fail"]["type"] = "yes-or-no".into();
    std::fs::write(&path, serde_json::to_vec_pretty(&saved).unwrap()).unwrap();
    let r = m.sim(&["status"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("is corrupt: model.json: app.meta (saved by an earlier cargo-charm): config.yaml: options.fail.type: unknown variant `yes-or-no`"),
        "{}",
        r.stderr
    );
}

/// A model saved in format 2 (its history inside `model.json`, no `history/`) loads: its
/// events read as before, and the first command that saves moves them, once, into the
/// history files (format 3, now 4).
#[test]
fn a_format_2_model_moves_its_history_into_the_history_files() {
    let m = Model::new("format-2");
    let charm = shell_charm(&m.state.with_file_name("charm"), META, Some(CONFIG), SCRIPT);
    m.sim(&["deploy", charm.to_str().unwrap()]).ok();
    let events = committed_history(&m.state, "events");
    let logs = committed_history(&m.state, "logs");
    assert!(!events.is_empty() && !logs.is_empty());
    let mut v2: serde_json::Value = serde_json::from_slice(&m.model_bytes()).unwrap();
    let obj = v2.as_object_mut().unwrap();
    obj.remove("history");
    obj.insert("format".into(), 2.into());
    obj.insert("events".into(), events.clone().into());
    obj.insert("logs".into(), logs.clone().into());
    obj.insert("tasks".into(), serde_json::json!([]));
    std::fs::write(
        m.state.join("model.json"),
        serde_json::to_vec_pretty(&v2).unwrap(),
    )
    .unwrap();
    std::fs::remove_dir_all(m.state.join("history")).unwrap();

    // Read as it is (a reading command saves nothing).
    assert_eq!(m.events(), events);
    assert!(!m.state.join("history").exists());
    // A change: the old history first, then the new dispatch, each once.
    m.sim(&["dispatch", "shell-charm/0", "update-status"]).ok();
    let saved: serde_json::Value = serde_json::from_slice(&m.model_bytes()).unwrap();
    assert_eq!(saved["format"], 4);
    assert!(saved.get("events").is_none() && saved.get("logs").is_none());
    let now = committed_history(&m.state, "events");
    assert_eq!(now.len(), events.len() + 1);
    assert_eq!(now[..events.len()], events[..]);
    assert_eq!(now[events.len()]["hook"], "update-status");
    assert_eq!(committed_history(&m.state, "logs"), logs);
    assert_eq!(m.events(), now);
}
