//! Exact argv of every typed hook-tool call, output parsing, and error mapping.

use super::Scripted;
use crate::hooktools::cmd::{self, BagData, SecretRead};
use crate::hooktools::{ToolCall, ToolError};
use crate::log::LogLevel;
use crate::port::Port;
use crate::secret::Secret;
use crate::status;
use crate::storage::{Storage, StorageKind};
use std::path::Path;

fn argv(s: &Scripted) -> Vec<Vec<String>> {
    s.calls.iter().map(|c| c.argv()).collect()
}

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn relation_calls_have_ops_argv() {
    let mut t = Scripted::default()
        .answer("relation-ids db --format=json", r#"["db:1","db:4"]"#)
        .answer("relation-list --format=json -r db:1", r#"["pg/0","pg/1"]"#)
        .answer("relation-list --format=json --app -r db:1", r#""pg""#)
        .answer("relation-get --format=json -r db:1 - me/0", r#"{"a":"1"}"#)
        .answer(
            "relation-get --format=json -r db:1 --app - pg",
            r#"{"b":"2"}"#,
        );
    assert_eq!(cmd::relation_ids(&mut t, "db").unwrap(), vec![1, 4]);
    assert_eq!(
        cmd::relation_list(&mut t, "db", 1).unwrap(),
        v(&["pg/0", "pg/1"])
    );
    assert_eq!(cmd::relation_app(&mut t, "db", 1).unwrap(), "pg");
    assert_eq!(
        cmd::relation_get(&mut t, "db", 1, "me/0", false).unwrap()["a"],
        "1"
    );
    assert_eq!(
        cmd::relation_get(&mut t, "db", 1, "pg", true).unwrap()["b"],
        "2"
    );
    let changes = BagData::from([
        ("k".to_string(), "v".to_string()),
        ("gone".into(), "".into()),
    ]);
    cmd::relation_set(&mut t, "db", 1, true, &changes).unwrap();
    cmd::relation_set(&mut t, "db", 1, false, &changes).unwrap();
    let a = argv(&t);
    assert_eq!(a[0], v(&["relation-ids", "db", "--format=json"]));
    assert_eq!(a[1], v(&["relation-list", "--format=json", "-r", "db:1"]));
    assert_eq!(
        a[2],
        v(&["relation-list", "--format=json", "--app", "-r", "db:1"])
    );
    assert_eq!(
        a[3],
        v(&["relation-get", "--format=json", "-r", "db:1", "-", "me/0"])
    );
    assert_eq!(
        a[4],
        v(&[
            "relation-get",
            "--format=json",
            "-r",
            "db:1",
            "--app",
            "-",
            "pg"
        ])
    );
    assert_eq!(
        a[5],
        v(&["relation-set", "-r", "db:1", "--app", "--file", "-"])
    );
    assert_eq!(
        t.calls[5].stdin.as_deref(),
        Some(r#"{"gone": "", "k": "v"}"#)
    );
    assert_eq!(a[6], v(&["relation-set", "-r", "db:1", "--file", "-"]));
}

#[test]
fn relation_ids_empty_and_null() {
    let mut t = Scripted::default().answer("relation-ids x --format=json", "[]\n");
    assert!(cmd::relation_ids(&mut t, "x").unwrap().is_empty());
    let mut t = Scripted::default().answer("relation-get --format=json -r x:0 - a/0", "null");
    assert!(cmd::relation_get(&mut t, "x", 0, "a/0", false)
        .unwrap()
        .is_empty());
}

#[test]
fn bad_output_names_the_call() {
    let mut t = Scripted::default().answer("relation-ids db --format=json", r#"["db:x"]"#);
    let e = cmd::relation_ids(&mut t, "db").unwrap_err();
    assert!(matches!(e, ToolError::BadOutput { .. }));
    assert!(
        e.to_string().contains("relation-ids db --format=json"),
        "{e}"
    );
    let mut t = Scripted::default().answer("is-leader --format=json", "maybe");
    assert!(matches!(
        cmd::is_leader(&mut t).unwrap_err(),
        ToolError::BadOutput { .. }
    ));
}

#[test]
fn other_calls_have_ops_argv() {
    let mut t = Scripted::default()
        .answer("is-leader --format=json", "true")
        .answer("config-get --format=json", r#"{"server-port":8000}"#)
        .answer("opened-ports --format=json", r#"["8080/tcp","icmp"]"#)
        .answer("action-get --format=json", r#"{"show-password":true}"#)
        .answer("state-get --format=json", "null")
        .answer(
            "secret-get --format=json secret:abc --peek",
            r#"{"username":"u"}"#,
        )
        .answer(
            "storage-get --format=json -s data/0",
            r#"{"kind":"filesystem","location":"/srv"}"#,
        )
        .answer("resource-get img", "/var/lib/juju/img\n")
        .answer(
            "network-get --format=json db",
            r#"{"ingress-addresses":["10.0.0.1"]}"#,
        );
    for c in [
        "action-set",
        "action-log",
        "action-fail",
        "state-set",
        "state-delete",
    ] {
        t = t.answer(
            &match c {
                "action-set" => "action-set db-host=<redacted> db-port=<redacted>".to_string(),
                "action-log" => "action-log -- <redacted>".into(),
                "action-fail" => "action-fail -- -no db".into(),
                "state-set" => "state-set --file -".into(),
                _ => "state-delete k".into(),
            },
            "",
        );
    }
    assert!(cmd::is_leader(&mut t).unwrap());
    assert_eq!(cmd::config_get(&mut t).unwrap()["server-port"], 8000);
    cmd::status_set(&mut t, false, &status::blocked("-x needs y")).unwrap();
    cmd::status_set(&mut t, true, &status::active("")).unwrap();
    cmd::juju_log(&mut t, LogLevel::Warning, "-dash first").unwrap();
    cmd::application_version_set(&mut t, "1.0.1").unwrap();
    cmd::open_port(&mut t, &Port::Tcp(8000)).unwrap();
    cmd::close_port(&mut t, &Port::Udp(53)).unwrap();
    assert_eq!(
        cmd::opened_ports(&mut t).unwrap(),
        vec![Port::Tcp(8080), Port::Icmp]
    );
    assert_eq!(cmd::action_get(&mut t).unwrap()["show-password"], true);
    let results = BagData::from([
        ("db-host".into(), "h".into()),
        ("db-port".into(), "5432".into()),
    ]);
    cmd::action_set(&mut t, &results).unwrap();
    cmd::action_log(&mut t, "working").unwrap();
    cmd::action_fail(&mut t, "-no db").unwrap();
    assert!(cmd::state_get(&mut t).unwrap().is_empty());
    cmd::state_set(&mut t, &BagData::from([("k".into(), "v".into())])).unwrap();
    cmd::state_delete(&mut t, "k").unwrap();
    assert_eq!(
        cmd::secret_get(&mut t, &Secret::from_id("secret:abc"), SecretRead::Peek)
            .unwrap()
            .get("username"),
        Some("u")
    );
    let info = cmd::storage_get(&mut t, &Storage::new("data", 0)).unwrap();
    assert_eq!(info.location, Path::new("/srv"));
    assert_eq!(info.kind, StorageKind::Filesystem);
    assert_eq!(
        cmd::resource_get(&mut t, "img").unwrap(),
        Path::new("/var/lib/juju/img")
    );
    assert_eq!(
        cmd::network_get(&mut t, "db", None)
            .unwrap()
            .ingress_address()
            .map(ToString::to_string)
            .as_deref(),
        Some("10.0.0.1")
    );
    let a = argv(&t);
    let expected: Vec<Vec<String>> = vec![
        v(&["is-leader", "--format=json"]),
        v(&["config-get", "--format=json"]),
        v(&[
            "status-set",
            "--application=False",
            "blocked",
            "--",
            "-x needs y",
        ]),
        v(&["status-set", "--application=True", "active", "--", ""]),
        v(&["juju-log", "--log-level", "WARNING", "--", "-dash first"]),
        v(&["application-version-set", "--", "1.0.1"]),
        v(&["open-port", "8000/tcp"]),
        v(&["close-port", "53/udp"]),
        v(&["opened-ports", "--format=json"]),
        v(&["action-get", "--format=json"]),
        v(&["action-set", "db-host=h", "db-port=5432"]),
        v(&["action-log", "--", "working"]),
        v(&["action-fail", "--", "-no db"]),
        v(&["state-get", "--format=json"]),
        v(&["state-set", "--file", "-"]),
        v(&["state-delete", "k"]),
        v(&["secret-get", "--format=json", "secret:abc", "--peek"]),
        v(&["storage-get", "--format=json", "-s", "data/0"]),
        v(&["resource-get", "img"]),
        v(&["network-get", "--format=json", "db"]),
    ];
    assert_eq!(a, expected);
    assert_eq!(t.calls[14].stdin.as_deref(), Some(r#"{"k": "v"}"#));
}

#[test]
fn error_mapping_follows_ops() {
    let call = |tool: &'static str| ToolCall::new(tool, ["-r", "db:6"]);
    let e = ToolError::from_exit(
        &call("relation-get"),
        2,
        "ERROR invalid value \"db:6\" for option -r: relation not found\n",
    );
    assert!(matches!(e, ToolError::RelationNotFound { .. }), "{e:?}");
    assert!(e.to_string().contains("relation-get -r db:6"));
    let e = ToolError::from_exit(&call("network-get"), 1, "ERROR Relation Not Found");
    assert!(matches!(e, ToolError::RelationNotFound { .. }));
    let e = ToolError::from_exit(&call("secret-get"), 1, "ERROR secret \"123\" not found");
    assert!(matches!(e, ToolError::SecretNotFound { .. }));
    let e = ToolError::from_exit(
        &call("relation-set"),
        1,
        "ERROR cannot write relation settings",
    );
    assert!(matches!(e, ToolError::PermissionDenied { .. }));
    let e = ToolError::from_exit(&call("status-set"), 1, "ERROR this unit is not the leader");
    assert!(matches!(e, ToolError::PermissionDenied { .. }));
    let e = ToolError::from_exit(&call("config-get"), 1, "ERROR permission denied");
    assert!(matches!(e, ToolError::PermissionDenied { .. }));
    // "not found" from a non-secret tool is a plain failure.
    let e = ToolError::from_exit(&call("config-get"), 2, "ERROR thing not found\n");
    match &e {
        ToolError::Failed { code, stderr, .. } => {
            assert_eq!(*code, 2);
            assert_eq!(stderr, "ERROR thing not found");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .contains("config-get -r db:6` failed with exit code 2"),
        "{e}"
    );
}

#[test]
fn spawn_failure_is_a_clear_error() {
    use crate::hooktools::{HookTools, ProcessTools};
    let e = ProcessTools
        .call(&ToolCall::new("charm-runtime-no-such-tool", ["x"]))
        .unwrap_err();
    assert!(matches!(e, ToolError::Spawn { .. }));
    assert!(e.to_string().contains("charm-runtime-no-such-tool"));
}
