//! config-get, is-leader, status-get, status-set, application-version-set, juju-log.

use super::{db_hook, err, world, T};
use crate::StatusValue;

fn status(s: &str, m: &str) -> StatusValue {
    StatusValue {
        status: s.into(),
        message: m.into(),
    }
}

#[test]
fn config_get_all_one_and_unknown() {
    let mut t = T::start();
    assert_eq!(
        t.ok(&["config-get", "--format=json"]),
        "{\"debug\":false,\"name\":\"demo\",\"port\":8080}\n"
    );
    assert_eq!(t.ok(&["config-get", "--format=json", "port"]), "8080\n");
    assert_eq!(t.ok(&["config-get", "--format=json", "nope"]), "null\n");
    // Smart: strings bare, bools True/False, unknown nothing.
    assert_eq!(t.ok(&["config-get", "name"]), "demo\n");
    assert_eq!(t.ok(&["config-get", "debug"]), "False\n");
    assert_eq!(t.ok(&["config-get", "nope"]), "");
    assert_eq!(
        t.ok(&["config-get"]),
        "debug: false\nname: demo\nport: 8080\n"
    );
}

#[test]
fn config_get_all_includes_unset_options() {
    let mut t = T::start();
    t.w.unset_config_options.insert("token".into());
    assert_eq!(
        t.ok(&["config-get", "--format=json", "--all"]),
        "{\"debug\":false,\"name\":\"demo\",\"port\":8080,\"token\":null}\n"
    );
    assert_eq!(
        t.ok(&["config-get", "--format=json", "-a"]),
        "{\"debug\":false,\"name\":\"demo\",\"port\":8080,\"token\":null}\n"
    );
    assert!(!t.ok(&["config-get", "--format=json"]).contains("token"));
    assert_eq!(
        t.fail(&["config-get", "--all", "port"]),
        err(2, "cannot use argument --all together with key \"port\"")
    );
    assert_eq!(
        t.fail(&["config-get", "port", "name"]),
        err(2, "unrecognized args: [\"name\"]")
    );
}

#[test]
fn is_leader() {
    let mut t = T::start();
    assert_eq!(t.ok(&["is-leader", "--format=json"]), "true\n");
    assert_eq!(t.ok(&["is-leader"]), "True\n");
    t.w.leader = false;
    assert_eq!(t.ok(&["is-leader", "--format=json"]), "false\n");
    assert_eq!(t.ok(&["is-leader"]), "False\n");
}

#[test]
fn status_get_unit() {
    let mut t = T::start();
    assert_eq!(
        t.ok(&[
            "status-get",
            "--include-data",
            "--format=json",
            "--application=false"
        ]),
        "{\"message\":\"\",\"status\":\"unknown\",\"status-data\":{}}\n"
    );
    assert_eq!(t.ok(&["status-get"]), "unknown\n");
    assert_eq!(
        t.ok(&["status-get", "--format=json"]),
        "{\"status\":\"unknown\"}\n"
    );
    assert_eq!(
        t.ok(&["status-get", "--include-data"]),
        "message: \"\"\nstatus: unknown\nstatus-data: {}\n"
    );
}

#[test]
fn status_get_application_nests_units() {
    let mut t = T::start();
    t.w.unit_status = status("active", "");
    t.w.other_unit_statuses
        .insert("app/1".into(), status("waiting", "for db"));
    assert_eq!(
        t.ok(&["status-get", "--include-data", "--format=json", "--application=true"]),
        concat!(
            "{\"application-status\":{\"message\":\"ready\",\"status\":\"active\",\"status-data\":{},",
            "\"units\":{\"app/0\":{\"message\":\"\",\"status\":\"active\",\"status-data\":{}},",
            "\"app/1\":{\"message\":\"for db\",\"status\":\"waiting\",\"status-data\":{}}}}}\n"
        )
    );
    assert_eq!(t.ok(&["status-get", "--application"]), "active\n");
    t.w.leader = false;
    assert_eq!(
        t.fail(&[
            "status-get",
            "--include-data",
            "--format=json",
            "--application=true"
        ]),
        err(1, "finding application status: this unit is not the leader")
    );
}

#[test]
fn status_set_takes_effect_at_once() {
    let mut t = T::start();
    t.ok(&[
        "status-set",
        "--application=False",
        "maintenance",
        "--",
        "-installing-",
    ]);
    assert_eq!(t.w.unit_status, status("maintenance", "-installing-"));
    t.ok(&["status-set", "--application=True", "active", "--", ""]);
    assert_eq!(t.w.app_status, status("active", ""));
    t.ok(&["status-set", "blocked"]);
    assert_eq!(
        t.h.unit_status_history,
        vec![status("maintenance", "-installing-"), status("blocked", "")]
    );
    assert_eq!(t.h.app_status_history, vec![status("active", "")]);
    assert_eq!(
        t.ok(&["status-get", "--include-data", "--format=json"]),
        "{\"message\":\"\",\"status\":\"blocked\",\"status-data\":{}}\n"
    );
}

#[test]
fn status_set_errors() {
    let mut t = T::start();
    assert_eq!(
        t.fail(&["status-set", "--application=False", "error", "--", "x"]),
        err(
            2,
            "invalid status \"error\", expected one of [maintenance blocked waiting active]"
        )
    );
    assert_eq!(
        t.fail(&["status-set"]),
        err(2, "invalid args, require <status> [message]")
    );
    assert_eq!(
        t.fail(&["status-set", "active", "a", "b"]),
        err(2, "unrecognized args: [\"b\"]")
    );
    assert_eq!(
        t.fail(&["status-set", "--application=maybe", "active"]),
        err(
            2,
            "invalid value \"maybe\" for option --application: strconv.ParseBool: parsing \"maybe\": invalid syntax"
        )
    );
    t.w.leader = false;
    assert_eq!(
        t.fail(&["status-set", "--application=True", "active", "--", "x"]),
        err(1, "this unit is not the leader")
    );
    assert!(t.h.app_status_history.is_empty());
    assert_eq!(t.w.app_status, world().app_status);
}

#[test]
fn application_version_set() {
    let mut t = T::start();
    t.ok(&["application-version-set", "--", "-1.2.3"]);
    assert_eq!(t.w.workload_version, "-1.2.3");
    assert_eq!(t.h.workload_version_history, vec!["-1.2.3".to_string()]);
    assert_eq!(
        t.fail(&["application-version-set"]),
        err(2, "no version specified")
    );
}

#[test]
fn juju_log_levels_and_message() {
    let mut t = T::start();
    t.ok(&["juju-log", "--log-level", "DEBUG", "--", "--hello"]);
    t.ok(&["juju-log", "two", "words"]);
    t.ok(&["juju-log", "-l", "warning", "w"]);
    t.ok(&["juju-log", "--debug", "d"]);
    t.ok(&["juju-log", "--log-level", "CRITICAL", "--", "c"]);
    t.ok(&["juju-log", "--log-level", "LOUD", "--", "x"]);
    let logs: Vec<(&str, &str)> =
        t.h.logs
            .iter()
            .map(|(l, m)| (l.as_str(), m.as_str()))
            .collect();
    assert_eq!(
        logs,
        [
            ("DEBUG", "--hello"),
            ("INFO", "two words"),
            ("WARNING", "w"),
            ("DEBUG", "d"),
            ("CRITICAL", "c"),
            ("WARNING", "Specified log level of \"LOUD\" is not valid"),
            ("INFO", "x"),
        ]
    );
    assert_eq!(t.fail(&["juju-log"]), err(2, "no message specified"));
    assert_eq!(
        t.fail(&["juju-log", "--log-level"]),
        err(2, "flag needs an argument: --log-level")
    );
}

#[test]
fn juju_log_in_a_relation_hook_prefixes_the_relation() {
    let mut t = T::new(world(), db_hook("changed"));
    t.ok(&["juju-log", "--log-level", "INFO", "--", "hi"]);
    assert_eq!(t.h.logs, vec![("INFO".to_string(), "db:4: hi".to_string())]);
}
