//! Each operation's request (method, path, query, JSON body) as ops 3.9.0 sends it, and
//! how its answer is read: layers and plan, services and changes, checks, notices,
//! signals.

use super::server::{async_change, change, error, sync, Reply, Server};
use crate::pebble::{
    CheckLevel, CheckStatus, ErrorKind, Layer, NoticeFilter, Service, ServiceStatus, Startup,
};
use serde_json::json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

#[test]
fn add_layer_sends_the_layer_in_ops_body_as_json_that_reads_as_its_yaml() {
    let s = Server::start(vec![sync(json!(true))]);
    let layer = Layer::new()
        .summary("demo")
        .service("svc", Service::new("/bin/svc").enabled());
    s.client().add_layer("base", &layer, true).unwrap();
    let req = &s.seen()[0];
    assert_eq!(req.line(), "POST /v1/layers HTTP/1.1");
    assert_eq!(
        req.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(req.header("accept").as_deref(), Some("application/json"));
    assert_eq!(
        req.json(),
        json!({"action": "add", "combine": true, "label": "base", "format": "yaml",
               "layer": layer.to_json().unwrap()})
    );
    // Pebble parses `layer` as YAML: the JSON reads as the same YAML values ops' text does.
    let sent: serde_yaml::Value =
        serde_yaml::from_str(req.json()["layer"].as_str().unwrap()).unwrap();
    let ops: serde_yaml::Value = serde_yaml::from_str(&layer.to_yaml().unwrap()).unwrap();
    assert_eq!(sent, ops);
}

#[test]
fn get_plan_reads_the_yaml_result() {
    let yaml = "services:\n    svc:\n        override: replace\n        command: sleep 1\n        startup: enabled\n";
    let s = Server::start(vec![sync(json!(yaml)), sync(json!(null))]);
    let plan = s.client().get_plan().unwrap();
    assert_eq!(plan.services["svc"].command, "sleep 1");
    assert_eq!(plan.services["svc"].startup, Some(Startup::Enabled));
    assert_eq!(s.seen()[0].line(), "GET /v1/plan?format=yaml HTTP/1.1");
    // An empty plan may come back as a null result.
    assert!(s.client().get_plan().unwrap().services.is_empty());
}

#[test]
fn a_plan_that_is_not_yaml_is_a_protocol_error() {
    let s = Server::start(vec![sync(json!("services: [unclosed"))]);
    let e = s.client().get_plan().unwrap_err();
    assert!(matches!(*e.kind, ErrorKind::Protocol { .. }), "{e}");
    assert!(e.to_string().contains("invalid Pebble plan YAML"), "{e}");
}

#[test]
fn get_services_joins_names_with_commas() {
    let s = Server::start(vec![sync(json!([
        {"name": "a", "startup": "enabled", "current": "active", "current-since": "2024-06-01T10:00:00Z"},
        {"name": "b", "startup": "disabled", "current": "inactive"}
    ]))]);
    let list = s.client().get_services(&["a", "b"]).unwrap();
    assert_eq!(s.seen()[0].line(), "GET /v1/services?names=a%2Cb HTTP/1.1");
    assert_eq!(list[0].current, ServiceStatus::Active);
    assert!(list[0].is_running() && !list[1].is_running());
    s.client().get_services(&[]).unwrap();
    assert_eq!(s.seen()[1].line(), "GET /v1/services HTTP/1.1");
}

#[test]
fn start_posts_the_action_and_waits_with_ops_timeout_format() {
    let s = Server::start(vec![async_change("42"), sync(change("42", true, None))]);
    let id = s.client().start_services(&["svc"]).unwrap();
    assert_eq!(id, "42");
    let seen = s.seen();
    assert_eq!(seen[0].line(), "POST /v1/services HTTP/1.1");
    assert_eq!(
        seen[0].json(),
        json!({"action": "start", "services": ["svc"]})
    );
    // Client timeout 2 s in these tests: each wait slice is max(2 - 1, 1) = 1 s.
    assert_eq!(
        seen[1].line(),
        "GET /v1/changes/42/wait?timeout=1.000s HTTP/1.1"
    );
}

#[test]
fn replan_and_autostart_send_an_empty_service_list() {
    let s = Server::start(vec![
        async_change("1"),
        sync(change("1", true, None)),
        async_change("2"),
        sync(change("2", true, None)),
    ]);
    s.client().replan_services().unwrap();
    s.client().autostart_services().unwrap();
    let seen = s.seen();
    assert_eq!(seen[0].json(), json!({"action": "replan", "services": []}));
    assert_eq!(
        seen[2].json(),
        json!({"action": "autostart", "services": []})
    );
}

#[test]
fn with_default_timeout_the_wait_slice_is_four_seconds() {
    let s = Server::start(vec![async_change("7"), sync(change("7", true, None))]);
    s.client()
        .with_timeout(crate::pebble::DEFAULT_TIMEOUT)
        .stop_services(&["svc"])
        .unwrap();
    assert_eq!(
        s.seen()[1].line(),
        "GET /v1/changes/7/wait?timeout=4.000s HTTP/1.1"
    );
}

#[test]
fn a_zero_change_timeout_does_not_wait() {
    let s = Server::start(vec![async_change("9")]);
    let id = s
        .client()
        .with_change_timeout(Duration::ZERO)
        .restart_services(&["svc"])
        .unwrap();
    assert_eq!(id, "9");
    assert_eq!(s.seen().len(), 1);
}

#[test]
fn a_failed_change_is_a_change_error() {
    let err = "cannot perform the following tasks:\n- Start service \"svc\" (exited quickly)";
    let s = Server::start(vec![async_change("5"), sync(change("5", true, Some(err)))]);
    let e = s.client().start_services(&["svc"]).unwrap_err();
    match &*e.kind {
        ErrorKind::Change { err: got, change } => {
            assert_eq!(got, err);
            assert_eq!(change.id, "5");
            assert_eq!(change.status, "Error");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(e.change().map(|c| c.ready), Some(true));
    assert!(
        e.to_string()
            .contains("change 5 (start) failed: cannot perform"),
        "{e}"
    );
}

#[test]
fn no_wait_endpoint_falls_back_to_polling() {
    let s = Server::start(vec![
        async_change("3"),
        error(404, "Not Found", "not found", ""),
        sync(change("3", false, None)),
        sync(change("3", true, None)),
    ]);
    s.client().start_services(&["svc"]).unwrap();
    let lines: Vec<String> = s.seen().iter().map(|r| r.line().to_owned()).collect();
    assert_eq!(
        lines,
        [
            "POST /v1/services HTTP/1.1",
            "GET /v1/changes/3/wait?timeout=1.000s HTTP/1.1",
            "GET /v1/changes/3 HTTP/1.1",
            "GET /v1/changes/3 HTTP/1.1",
        ]
    );
}

#[test]
fn polling_gives_up_at_the_deadline() {
    let s = Server::start(vec![
        async_change("3"),
        error(404, "Not Found", "not found", ""),
        sync(change("3", false, None)),
    ]);
    let e = s
        .client()
        .with_change_timeout(Duration::from_millis(100))
        .start_services(&["svc"])
        .unwrap_err();
    assert!(matches!(*e.kind, ErrorKind::Timeout { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("timed out waiting for change 3 (0.1 seconds)"),
        "{e}"
    );
}

#[test]
fn a_504_ends_a_wait_slice_and_the_deadline_is_a_timeout() {
    let s = Server::start(vec![
        async_change("8"),
        error(
            504,
            "Gateway Timeout",
            "timed out waiting for change after 1s",
            "",
        ),
    ]);
    let started = Instant::now();
    let e = s
        .client()
        .with_change_timeout(Duration::from_millis(250))
        .start_services(&["svc"])
        .unwrap_err();
    assert!(matches!(*e.kind, ErrorKind::Timeout { .. }), "{e}");
    assert!(
        e.to_string().contains("timed out waiting for change 8"),
        "{e}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    let seen = s.seen();
    assert!(seen.len() >= 2);
    // The first slice is the whole 0.25 s (less than the 1 s cap).
    assert_eq!(
        seen[1].line(),
        "GET /v1/changes/8/wait?timeout=0.250s HTTP/1.1"
    );
}

#[test]
fn other_wait_errors_are_returned() {
    let s = Server::start(vec![
        async_change("8"),
        error(500, "Internal Server Error", "boom", ""),
    ]);
    let e = s.client().start_services(&["svc"]).unwrap_err();
    assert_eq!(e.api_code(), Some(500));
}

#[test]
fn an_async_answer_without_change_is_a_protocol_error() {
    let s = Server::start(vec![sync(json!(null))]);
    let e = s.client().start_services(&["svc"]).unwrap_err();
    assert!(e.to_string().contains("no change ID"), "{e}");
}

#[test]
fn changes_and_abort() {
    let s = Server::start(vec![
        sync(json!([change("1", true, None)])),
        sync(change("1", true, None)),
    ]);
    let list = s
        .client()
        .get_changes(crate::pebble::ChangeState::All, Some("svc"))
        .unwrap();
    assert_eq!(list.len(), 1);
    s.client().abort_change("1").unwrap();
    let seen = s.seen();
    assert_eq!(
        seen[0].line(),
        "GET /v1/changes?select=all&for=svc HTTP/1.1"
    );
    assert_eq!(seen[1].line(), "POST /v1/changes/1 HTTP/1.1");
    assert_eq!(seen[1].json(), json!({"action": "abort"}));
}

#[test]
fn checks_query_and_actions() {
    let s = Server::start(vec![
        sync(
            json!([{"name": "up", "level": "alive", "startup": "enabled", "status": "up",
                     "successes": 3, "threshold": 3, "change-id": "4"}]),
        ),
        sync(json!({"changed": ["up"]})),
        sync(json!({"changed": null})),
    ]);
    let checks = s
        .client()
        .get_checks(Some(CheckLevel::Alive), &["up", "down"])
        .unwrap();
    assert_eq!(checks[0].status, CheckStatus::Up);
    assert_eq!(s.client().start_checks(&["up"]).unwrap(), ["up"]);
    assert!(s.client().stop_checks(&["up"]).unwrap().is_empty());
    let seen = s.seen();
    assert_eq!(
        seen[0].line(),
        "GET /v1/checks?level=alive&names=up&names=down HTTP/1.1"
    );
    assert_eq!(seen[1].json(), json!({"action": "start", "checks": ["up"]}));
    assert_eq!(seen[2].json(), json!({"action": "stop", "checks": ["up"]}));
}

#[test]
fn notices_as_ops_sends_them() {
    let notice = json!({"id": "12", "user-id": 1000, "type": "custom", "key": "example.com/a",
                        "first-occurred": "2024-06-01T10:00:00Z",
                        "last-occurred": "2024-06-01T10:00:00Z",
                        "last-repeated": "2024-06-01T10:00:00Z", "occurrences": 1});
    let s = Server::start(vec![
        sync(json!({"id": "12"})),
        sync(notice.clone()),
        sync(json!([notice])),
        sync(json!({"id": "13"})),
    ]);
    let data = BTreeMap::from([("k".to_string(), "v".to_string())]);
    let id = s
        .client()
        .notify(
            "custom",
            "example.com/a",
            Some(&data),
            Some(Duration::from_secs(3600)),
        )
        .unwrap();
    assert_eq!(id, "12");
    assert_eq!(s.client().get_notice("12").unwrap().user_id, Some(1000));
    let filter = NoticeFilter {
        all_users: true,
        user_id: Some(0),
        types: vec!["custom".into(), "change-update".into()],
        keys: vec!["example.com/a".into()],
    };
    assert_eq!(s.client().get_notices(&filter).unwrap().len(), 1);
    s.client()
        .notify("custom", "example.com/b", None, None)
        .unwrap();
    let seen = s.seen();
    assert_eq!(seen[0].line(), "POST /v1/notices HTTP/1.1");
    assert_eq!(
        seen[0].json(),
        json!({"action": "add", "type": "custom", "key": "example.com/a",
               "data": {"k": "v"}, "repeat-after": "3600.000s"})
    );
    assert_eq!(seen[1].line(), "GET /v1/notices/12 HTTP/1.1");
    assert_eq!(
        seen[2].line(),
        "GET /v1/notices?users=all&user-id=0&types=custom&types=change-update&keys=example.com%2Fa HTTP/1.1"
    );
    assert_eq!(
        seen[3].json(),
        json!({"action": "add", "type": "custom", "key": "example.com/b"})
    );
}

#[test]
fn send_signal_body() {
    let s = Server::start(vec![sync(json!(true))]);
    s.client().send_signal("SIGHUP", &["a", "b"]).unwrap();
    let req = &s.seen()[0];
    assert_eq!(req.line(), "POST /v1/signals HTTP/1.1");
    assert_eq!(
        req.json(),
        json!({"signal": "SIGHUP", "services": ["a", "b"]})
    );
}

#[test]
fn exec_is_not_supported_yet() {
    let s = Server::start(vec![Reply::Hangup]);
    let e = s.client().exec(&["ls"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "pebble in container `workload`: POST /v1/exec: not supported: \
         exec (Pebble's websocket protocol) is not implemented yet"
    );
    assert!(s.seen().is_empty());
}
