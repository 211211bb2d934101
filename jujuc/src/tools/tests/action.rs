//! action-get, action-set, action-log, action-fail.

use super::{action, bag, err, world, T};
use serde_json::json;

fn in_action() -> T {
    let mut w = world();
    let h = action(
        &mut w,
        json!({"force": true, "count": 3, "target": {"host": "h1", "port": 5432}}),
    );
    T::new(w, h)
}

#[test]
fn action_get_all_and_dotted_keys() {
    let mut t = in_action();
    assert_eq!(
        t.ok(&["action-get", "--format=json"]),
        "{\"count\":3,\"force\":true,\"target\":{\"host\":\"h1\",\"port\":5432}}\n"
    );
    assert_eq!(
        t.ok(&["action-get", "--format=json", "target.port"]),
        "5432\n"
    );
    assert_eq!(
        t.ok(&["action-get", "--format=json", "target"]),
        "{\"host\":\"h1\",\"port\":5432}\n"
    );
    assert_eq!(
        t.ok(&["action-get", "--format=json", "target.nope"]),
        "null\n"
    );
    assert_eq!(
        t.ok(&["action-get", "--format=json", "force.deeper"]),
        "null\n"
    );
    assert_eq!(t.ok(&["action-get", "target.host"]), "h1\n");
    assert_eq!(t.ok(&["action-get", "target"]), "host: h1\nport: 5432\n");
    assert_eq!(
        t.fail(&["action-get", "a", "b"]),
        err(2, "unrecognized args: [\"b\"]")
    );
}

#[test]
fn action_set_stores_flat_dotted_keys() {
    let mut t = in_action();
    t.ok(&["action-set", "outfile.size=10G", "foo.bar=2"]);
    t.ok(&[
        "action-set",
        "foo.baz.val=3",
        "foo.bar.zab=4",
        "foo.baz=1",
        "msg=a=b",
    ]);
    assert_eq!(
        t.h.action_results,
        bag(&[
            ("foo.bar.zab", "4"),
            ("foo.baz", "1"),
            ("msg", "a=b"),
            ("outfile.size", "10G")
        ])
    );
}

#[test]
fn action_set_key_errors() {
    let mut t = in_action();
    assert_eq!(
        t.fail(&["action-set", "Bad=1"]),
        err(
            2,
            "key \"Bad\" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods"
        )
    );
    assert_eq!(
        t.fail(&["action-set", "a.-b=1"]),
        err(
            2,
            "key \"-b\" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods"
        )
    );
    assert_eq!(
        t.fail(&["action-set", "stdout=1"]),
        err(2, "cannot set reserved action key \"stdout\"")
    );
    assert_eq!(
        t.fail(&["action-set", "x.stderr-encoding=1"]),
        err(2, "cannot set reserved action key \"stderr-encoding\"")
    );
    assert_eq!(
        t.fail(&["action-set", "novalue"]),
        err(2, "argument \"novalue\" must be of the form key...=value")
    );
    assert!(t.h.action_results.is_empty());
}

#[test]
fn action_log_and_fail() {
    let mut t = in_action();
    t.ok(&["action-log", "--", "50%", "done"]);
    t.ok(&["action-fail", "--", "it broke"]);
    assert_eq!(t.h.action_logs, vec!["50% done".to_string()]);
    assert_eq!(t.h.action_failed.as_deref(), Some("it broke"));
    t.ok(&["action-fail"]);
    assert_eq!(
        t.h.action_failed.as_deref(),
        Some("action failed without reason given, check action for errors")
    );
    assert_eq!(t.fail(&["action-log"]), err(2, "no message specified"));
    assert_eq!(
        t.fail(&["action-fail", "a", "b"]),
        err(2, "unrecognized args: [\"b\"]")
    );
}

#[test]
fn outside_an_action_they_fail_at_run_time() {
    let mut t = T::start();
    for argv in [
        &["action-get", "--format=json"][..],
        &["action-set", "a=b"],
        &["action-log", "--", "x"],
        &["action-fail", "--", "x"],
    ] {
        assert_eq!(t.fail(argv), err(1, "not running an action"), "{argv:?}");
    }
    // Usage errors still come first.
    assert_eq!(
        t.fail(&["action-set", "stdout=x"]),
        err(2, "cannot set reserved action key \"stdout\"")
    );
    assert!(t.h.action_failed.is_none() && t.h.action_logs.is_empty());
}
