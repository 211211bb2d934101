//! Storage in the simulator, with a shell-script charm that declares two storages: the
//! instances each unit gets, `-storage-attached` after `start` (Kubernetes order), the
//! JUJU_STORAGE_* variables, storage-list / storage-get answers, a real directory that
//! survives pod churn, storage-add (within and beyond `multiple`), `-storage-detaching`
//! before `remove` on scale down, and `dispatch` of storage hooks.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `data`: several allowed (1 at deploy, at most 2), default location; `logs`: one, at a
/// declared location.
const META: &str = "name: store-charm
summary: s
description: d
storage:
  data:
    type: filesystem
    multiple:
      range: 1-2
  logs:
    type: filesystem
    location: /srv/logs
";

/// Every hook appends `<unit> <hook> ...` to the trace file; storage hooks record the
/// JUJU_STORAGE_* variables and the tools' answers; `data-storage-attached` writes into
/// its storage; `update-status` asks for one more `data`.
fn script(trace: &Path) -> String {
    format!(
        r#"
trace="{trace}"
me="$JUJU_UNIT_NAME $JUJU_HOOK_NAME"
case "$JUJU_HOOK_NAME" in
start)
  echo "$me id=${{JUJU_STORAGE_ID-unset}} list=$(storage-list --format=json)" >> "$trace"
  ;;
*-storage-attached|*-storage-detaching)
  get=$(storage-get --format=json) || exit 3
  loc=$(storage-get --format=json location | tr -d '"') || exit 3
  echo "$me id=$JUJU_STORAGE_ID kind=$JUJU_STORAGE_KIND env-loc=$JUJU_STORAGE_LOCATION loc=$loc list=$(storage-list --format=json) get=$get" >> "$trace"
  if [ "$JUJU_HOOK_NAME" = data-storage-attached ]; then
    echo "written by $JUJU_UNIT_NAME in $JUJU_HOOK_NAME" >> "$loc/hello" || exit 3
  fi
  ;;
update-status)
  echo "$me data0=$(storage-get --format=json -s data/0 location)" >> "$trace"
  storage-add data=1 || exit 3
  ;;
esac
"#,
        trace = trace.display()
    )
}

fn setup(name: &str) -> (Model, PathBuf) {
    let m = Model::new(name);
    let base = m.state.parent().unwrap().to_path_buf();
    let trace = base.join("trace");
    let charm = shell_charm(&base.join("charm"), META, None, &script(&trace));
    m.sim(&["deploy", charm.to_str().unwrap()]).ok();
    (m, trace)
}

/// The trace lines of `unit`'s `hook`, without the `<unit> <hook> ` prefix.
fn traced(trace: &Path, unit: &str, hook: &str) -> Vec<String> {
    let prefix = format!("{unit} {hook} ");
    std::fs::read_to_string(trace)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix).map(str::to_string))
        .collect()
}

/// `(hook, storage id)` of `unit`'s events whose cause is `cause`.
fn unit_events(m: &Model, unit: &str, cause: &str) -> Vec<(String, Option<String>)> {
    m.events()
        .iter()
        .filter(|e| e["unit"] == unit && e["cause"] == cause)
        .map(|e| {
            (
                e["hook"].as_str().unwrap().to_string(),
                e["storage"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn ev(hook: &str, storage: Option<&str>) -> (String, Option<String>) {
    (hook.to_string(), storage.map(str::to_string))
}

/// The state directory as the simulator names it (canonical).
fn state(m: &Model) -> PathBuf {
    m.state.canonicalize().unwrap()
}

#[test]
fn deploy_attaches_storage_after_start_with_real_directories() {
    let (m, trace) = setup("storage-deploy");
    let unit = "store-charm/0";
    // §4.1 on Kubernetes: storage-attached after start, one per instance; `multiple`'s
    // minimum for data (1), one logs (storage in name order); ids from one model-wide sequence.
    assert_eq!(
        unit_events(&m, unit, "deploy"),
        [
            ev("install", None),
            ev("leader-elected", None),
            ev("config-changed", None),
            ev("start", None),
            ev("data-storage-attached", Some("data/0")),
            ev("logs-storage-attached", Some("logs/1")),
        ]
    );
    // In start nothing is attached yet; storage-list grows as each is attached.
    assert_eq!(traced(&trace, unit, "start"), ["id=unset list=[]"]);
    let root = state(&m).join("units/store-charm-0/root");
    let data0 = root.join("var/lib/juju/storage/data/0");
    let logs1 = root.join("srv/logs");
    assert!(data0.is_dir() && logs1.is_dir());
    let (d, l) = (data0.display(), logs1.display());
    assert_eq!(
        traced(&trace, unit, "data-storage-attached"),
        [format!(
            r#"id=data/0 kind=filesystem env-loc={d} loc={d} list=["data/0"] get={{"kind":"filesystem","location":"{d}"}}"#
        )]
    );
    assert_eq!(
        traced(&trace, unit, "logs-storage-attached"),
        [format!(
            r#"id=logs/1 kind=filesystem env-loc={l} loc={l} list=["data/0","logs/1"] get={{"kind":"filesystem","location":"{l}"}}"#
        )]
    );
    assert_eq!(
        std::fs::read_to_string(data0.join("hello")).unwrap(),
        "written by store-charm/0 in data-storage-attached\n"
    );

    // show-unit lists the unit's storage; status --storage has a storage section.
    let u = m.unit(unit);
    assert_eq!(
        u["storage"],
        serde_json::json!({
            "data/0": {"kind": "filesystem", "location": d.to_string(), "status": "attached"},
            "logs/1": {"kind": "filesystem", "location": l.to_string(), "status": "attached"},
        })
    );
    let status = m.sim(&["status", "--storage"]).ok();
    assert!(status.contains("Storage Unit"), "{status}");
    let row = status
        .lines()
        .find(|l| l.contains("data/0"))
        .unwrap_or_else(|| panic!("{status}"));
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells,
        [unit, "data/0", "filesystem", &d.to_string(), "attached"]
    );
    assert!(!m.sim(&["status"]).ok().contains("Storage Unit"));
    let events = m.sim(&["events"]).ok();
    assert!(
        events.contains("data-storage-attached (data/0)"),
        "{events}"
    );
}

#[test]
fn storage_add_pod_churn_and_scale() {
    let (m, trace) = setup("storage-lifecycle");
    let unit = "store-charm/0";
    let root = state(&m).join("units/store-charm-0/root");

    // storage-add data=1 in a successful hook: a new instance, attached after the hook.
    m.sim(&["dispatch", unit, "update-status"]).ok();
    let data0 = root.join("var/lib/juju/storage/data/0");
    assert_eq!(
        traced(&trace, unit, "update-status"),
        [format!(r#"data0="{}""#, data0.display())]
    );
    assert_eq!(
        unit_events(&m, unit, "storage-add"),
        [ev("data-storage-attached", Some("data/2"))]
    );
    let data2 = root.join("var/lib/juju/storage/data/2");
    assert!(data2.join("hello").is_file());
    let attached = traced(&trace, unit, "data-storage-attached");
    assert!(
        attached[1].contains(r#"list=["data/0","logs/1","data/2"]"#),
        "{attached:?}"
    );

    // A third data instance exceeds `multiple: 1-2`: Juju refuses it when it commits
    // the hook, so the hook fails and nothing is added.
    let r = m.sim(&["dispatch", unit, "update-status"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(r#"hook "update-status" failed"#),
        "{}",
        r.stderr
    );
    let log = m.sim(&["debug-log", "--level", "ERROR"]).ok();
    assert!(log.contains("cannot add storage"), "{log}");
    assert_eq!(m.unit(unit)["workload-status"]["current"], "error");
    assert_eq!(m.unit(unit)["storage"].as_object().unwrap().len(), 3);

    // The unit is in error, so it runs nothing else until resolved: skip the failed hook.
    m.sim(&["resolve", unit, "--no-retry"]).ok();

    // Pod churn: the storage and its contents stay, no new storage-attached; the charm
    // directory is fresh.
    std::fs::write(state(&m).join("units/store-charm-0/charm/marker"), "x").unwrap();
    m.sim(&["delete-pod", unit]).ok();
    let churn = unit_events(&m, unit, "delete-pod");
    assert!(churn.iter().all(|(_, s)| s.is_none()), "{churn:?}");
    assert_eq!(churn.last().unwrap().0, "start");
    assert!(!state(&m).join("units/store-charm-0/charm/marker").exists());
    assert_eq!(
        std::fs::read_to_string(data0.join("hello")).unwrap(),
        "written by store-charm/0 in data-storage-attached\n"
    );
    assert_eq!(m.unit(unit)["storage"]["data/0"]["status"], "attached");

    // Scale up: the new unit gets its own storage, attached after its start.
    m.sim(&["scale", "2"]).ok();
    let new = "store-charm/1";
    assert_eq!(
        unit_events(&m, new, "scale"),
        [
            ev("install", None),
            ev("leader-settings-changed", None),
            ev("config-changed", None),
            ev("start", None),
            ev("data-storage-attached", Some("data/3")),
            ev("logs-storage-attached", Some("logs/4")),
        ]
    );
    let new_root = state(&m).join("units/store-charm-1/root");
    assert!(new_root.join("var/lib/juju/storage/data/3/hello").is_file());
    assert!(traced(&trace, new, "logs-storage-attached")[0].contains(r#"list=["data/3","logs/4"]"#));

    // Scale down: teardown detaches the storage before remove; it goes with the unit.
    m.sim(&["scale", "1"]).ok();
    let teardown: Vec<(String, Option<String>)> =
        unit_events(&m, new, "scale").into_iter().skip(6).collect();
    assert_eq!(
        teardown,
        [
            ev("stop", None),
            ev("data-storage-detaching", Some("data/3")),
            ev("logs-storage-detaching", Some("logs/4")),
            ev("remove", None),
        ]
    );
    let detaching = traced(&trace, new, "logs-storage-detaching");
    assert!(
        detaching[0].starts_with("id=logs/4 kind=filesystem")
            && detaching[0].contains(r#"list=["data/3","logs/4"]"#),
        "{detaching:?}"
    );
    assert!(!state(&m).join("units/store-charm-1").exists());
}

/// A bad command: one `ERROR` line containing `expect`, exit 1, the model unchanged.
fn refused(m: &Model, args: &[&str], expect: &str) {
    let before = m.model_bytes();
    let r = m.sim(args);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: not one line:\n{}", r.stderr);
    assert!(lines[0].starts_with("ERROR "), "{args:?}: {}", lines[0]);
    assert!(
        lines[0].contains(expect),
        "{args:?}: {expect:?} not in {}",
        lines[0]
    );
    assert_eq!(r.code, 1, "{args:?}: {}", lines[0]);
    assert_eq!(m.model_bytes(), before, "{args:?} changed the model");
}

#[test]
fn dispatch_storage_hooks() {
    let (m, trace) = setup("storage-dispatch");
    let unit = "store-charm/0";
    let logs = state(&m).join("units/store-charm-0/root/srv/logs");

    // One instance of the storage: no --storage needed; JUJU_STORAGE_* are set.
    m.sim(&["dispatch", unit, "logs-storage-detaching"]).ok();
    let c = logs.display();
    assert_eq!(
        traced(&trace, unit, "logs-storage-detaching"),
        [format!(
            r#"id=logs/1 kind=filesystem env-loc={c} loc={c} list=["data/0","logs/1"] get={{"kind":"filesystem","location":"{c}"}}"#
        )]
    );
    m.sim(&[
        "dispatch",
        unit,
        "data-storage-attached",
        "--storage",
        "data/0",
    ])
    .ok();
    assert_eq!(traced(&trace, unit, "data-storage-attached").len(), 2);

    refused(
        &m,
        &[
            "dispatch",
            unit,
            "data-storage-attached",
            "--storage",
            "data/9",
        ],
        r#"storage "data/9" not found on store-charm/0 (data storage of store-charm/0: data/0)"#,
    );
    refused(
        &m,
        &[
            "dispatch",
            unit,
            "data-storage-detaching",
            "--storage",
            "logs/1",
        ],
        r#"storage "logs/1" not found on store-charm/0"#,
    );
    refused(
        &m,
        &["dispatch", unit, "cache-storage-attached"],
        r#"unknown hook "cache-storage-attached" for store-charm"#,
    );

    // Two instances: --storage chooses.
    m.sim(&["dispatch", unit, "update-status"]).ok();
    refused(
        &m,
        &["dispatch", unit, "data-storage-detaching"],
        r#"store-charm/0 has several "data" storage instances (data/0, data/2); choose one with --storage"#,
    );
    m.sim(&[
        "dispatch",
        unit,
        "data-storage-detaching",
        "--storage",
        "data/2",
    ])
    .ok();
    let last = m.events().last().cloned().unwrap_or(Value::Null);
    assert_eq!(last["hook"], "data-storage-detaching");
    assert_eq!(last["storage"], "data/2");
}

#[test]
fn bad_storage_metadata_is_refused() {
    let m = Model::new("storage-bad-meta");
    let base = m.state.parent().unwrap().to_path_buf();
    for (meta, expect) in [
        (
            "name: bad\nstorage:\n  data:\n    location: /x\n",
            "storage `data` needs `type: filesystem` or `type: block`",
        ),
        (
            "name: bad\nstorage:\n  data:\n    type: filesystem\n    multiple:\n      range: 3-1\n",
            "storage `data`: invalid multiple range",
        ),
    ] {
        let charm = shell_charm(&base.join("charm"), meta, None, "true");
        let r = m.sim(&["deploy", charm.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains(expect), "{}", r.stderr);
        assert!(!m.state.join("model.json").exists());
    }
}
