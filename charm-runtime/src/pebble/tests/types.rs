use crate::pebble::*;
use serde_json::json;
use std::time::Duration;

#[test]
fn envelopes_read_and_write_pebbles_names() {
    let sync: Envelope = serde_json::from_value(json!({
        "type": "sync", "status-code": 200, "status": "OK", "result": {"version": "1.32.0"}
    }))
    .unwrap();
    assert_eq!(sync.type_, ResponseType::Synchronous);
    let info: SystemInfo = serde_json::from_value(sync.result.clone()).unwrap();
    assert_eq!(info.version, "1.32.0");
    let asy: Envelope = serde_json::from_value(json!({
        "type": "async", "status-code": 202, "status": "Accepted", "change": "7"
    }))
    .unwrap();
    assert_eq!(asy.change.as_deref(), Some("7"));
    assert!(asy.result.is_null());
    assert_eq!(
        serde_json::to_value(&asy).unwrap(),
        json!({"type": "async", "status-code": 202, "status": "Accepted", "change": "7"})
    );
    let err: Envelope = serde_json::from_value(json!({
        "type": "error", "status-code": 404, "status": "Not Found",
        "result": {"message": "not found", "kind": "not-found"}
    }))
    .unwrap();
    let r: ErrorResult = serde_json::from_value(err.result).unwrap();
    assert_eq!(
        (r.message.as_str(), r.kind.as_str()),
        ("not found", "not-found")
    );
}

#[test]
fn response_payloads_round_trip() {
    let svc = json!({"name": "s", "startup": "enabled", "current": "backoff",
                     "current-since": "2024-01-01T00:00:00Z"});
    let info: ServiceInfo = serde_json::from_value(svc.clone()).unwrap();
    assert_eq!(info.current, ServiceStatus::Backoff);
    assert!(!info.is_running());
    assert_eq!(serde_json::to_value(&info).unwrap(), svc);

    let change = json!({
        "id": "1", "kind": "start", "summary": "Start service \"s\"", "status": "Error",
        "tasks": [{"id": "2", "kind": "start", "summary": "x", "status": "Error",
                   "log": ["2024-01-01T00:00:00Z ERROR boom"],
                   "progress": {"label": "", "done": 1, "total": 1},
                   "spawn-time": "2024-01-01T00:00:00Z", "ready-time": "2024-01-01T00:00:01Z",
                   "data": {"exit-code": 1}}],
        "ready": true, "err": "cannot perform the following tasks:\n- x",
        "spawn-time": "2024-01-01T00:00:00Z", "ready-time": "2024-01-01T00:00:01Z"
    });
    let c: Change = serde_json::from_value(change.clone()).unwrap();
    assert_eq!(c.tasks[0].data["exit-code"], json!(1));
    assert_eq!(serde_json::to_value(&c).unwrap(), change);

    let file = json!({"path": "/a/b", "name": "b", "type": "file", "size": 3,
                      "permissions": "644", "last-modified": "2024-01-01T00:00:00Z",
                      "user-id": null, "user": "", "group-id": 0, "group": "root"});
    let f: FileInfo = serde_json::from_value(file.clone()).unwrap();
    assert_eq!(
        (f.mode(), f.user_id, f.group_id),
        (Some(0o644), None, Some(0))
    );
    assert_eq!(serde_json::to_value(&f).unwrap(), file);

    let check = json!({"name": "c", "level": "ready", "startup": "enabled", "status": "down",
                       "successes": 0, "failures": 3, "threshold": 3, "change-id": "9"});
    let ci: CheckInfo = serde_json::from_value(check.clone()).unwrap();
    assert_eq!(ci.status, CheckStatus::Down);
    assert_eq!(serde_json::to_value(&ci).unwrap(), check);
    // Older Pebble: no startup, no successes, empty level.
    let old: CheckInfo =
        serde_json::from_value(json!({"name": "c", "level": "", "status": "up", "threshold": 3}))
            .unwrap();
    assert_eq!(
        (old.level, old.startup, old.successes),
        (None, Startup::Enabled, None)
    );

    let notice = json!({"id": "4", "user-id": null, "type": "custom", "key": "example.com/a",
                        "first-occurred": "t1", "last-occurred": "t2", "last-repeated": "t3",
                        "occurrences": 2, "last-data": {"k": "v"}, "repeat-after": "1h0m0s",
                        "expire-after": "168h0m0s"});
    let n: Notice = serde_json::from_value(notice.clone()).unwrap();
    assert_eq!(n.repeat_after, Some(Duration::from_secs(3600)));
    assert_eq!(n.expire_after, Some(Duration::from_secs(168 * 3600)));
    assert_eq!(serde_json::to_value(&n).unwrap(), notice);
}
