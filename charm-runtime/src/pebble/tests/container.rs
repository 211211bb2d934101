//! The model's container handle: the per-dispatch plan cache, ops' restart fallback, and
//! the harness seam (an in-process connector set on `HookEnv::pebble`).

use super::server::{async_change, change, error, read_request, sync, Server};
use crate::event::Event;
use crate::model::{ContainerName, Model};
use crate::pebble::{Layer, PebbleAccess, Service};
use crate::tests::{env, Scripted};
use serde_json::json;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

const WORKLOAD: ContainerName = ContainerName::new("workload");

/// An env whose containers' sockets live in the scripted server's directory layout:
/// `<dir>/workload/pebble.socket`.
fn env_for(server: &Server) -> crate::HookEnv {
    let dir = server.path.parent().unwrap().to_path_buf();
    let containers = dir.join("containers");
    std::fs::create_dir_all(containers.join("workload")).unwrap();
    std::os::unix::fs::symlink(&server.path, containers.join("workload/pebble.socket")).unwrap();
    let mut e = env("app/0", Event::Start);
    e.pebble = PebbleAccess::sockets(containers);
    e
}

const PLAN: &str = "services:\n  svc:\n    override: replace\n    command: /bin/svc\n";

#[test]
fn the_plan_is_read_once_per_dispatch_until_a_layer_is_added() {
    let s = Server::start(vec![
        sync(json!(PLAN)),
        sync(json!(true)),
        sync(json!(PLAN)),
        async_change("1"),
        sync(change("1", true, None)),
        sync(json!(PLAN)),
    ]);
    let e = env_for(&s);
    let mut tools = Scripted::default();
    let model = Model::new(&e, &mut tools, &[]);
    let c = model.container(WORKLOAD);
    assert_eq!(c.name(), "workload");
    let first = c.get_plan().unwrap();
    // Another handle of the same container shares the cache.
    assert_eq!(model.container(WORKLOAD).get_plan().unwrap(), first);
    assert_eq!(s.seen().len(), 1);
    let layer = Layer::new().service("svc", Service::new("/bin/svc").enabled());
    c.add_layer("l", &layer, true).unwrap();
    c.get_plan().unwrap();
    c.get_plan().unwrap();
    c.replan().unwrap();
    c.get_plan().unwrap();
    let lines: Vec<String> = s.seen().iter().map(|r| r.line().to_owned()).collect();
    assert_eq!(
        lines,
        [
            "GET /v1/plan?format=yaml HTTP/1.1",
            "POST /v1/layers HTTP/1.1",
            "GET /v1/plan?format=yaml HTTP/1.1",
            "POST /v1/services HTTP/1.1",
            "GET /v1/changes/1/wait?timeout=4.000s HTTP/1.1",
            "GET /v1/plan?format=yaml HTTP/1.1",
        ]
    );
}

#[test]
fn a_failed_plan_read_is_not_cached() {
    let s = Server::start(vec![
        error(500, "Internal Server Error", "x", ""),
        sync(json!(PLAN)),
    ]);
    let e = env_for(&s);
    let mut tools = Scripted::default();
    let model = Model::new(&e, &mut tools, &[]);
    let c = model.container(WORKLOAD);
    assert!(c.get_plan().is_err());
    assert!(c.get_plan().unwrap().services.contains_key("svc"));
}

#[test]
fn restart_falls_back_to_stop_and_start_on_400() {
    let s = Server::start(vec![
        error(400, "Bad Request", "invalid action \"restart\"", ""),
        sync(
            json!([{"name": "a", "startup": "enabled", "current": "active"},
                    {"name": "b", "startup": "enabled", "current": "inactive"}]),
        ),
        async_change("2"),
        sync(change("2", true, None)),
        async_change("3"),
        sync(change("3", true, None)),
    ]);
    let e = env_for(&s);
    let mut tools = Scripted::default();
    let model = Model::new(&e, &mut tools, &[]);
    model.container(WORKLOAD).restart(&["a", "b"]).unwrap();
    let seen = s.seen();
    assert_eq!(
        seen[0].json(),
        json!({"action": "restart", "services": ["a", "b"]})
    );
    assert_eq!(seen[1].line(), "GET /v1/services?names=a%2Cb HTTP/1.1");
    assert_eq!(seen[2].json(), json!({"action": "stop", "services": ["a"]}));
    assert_eq!(
        seen[4].json(),
        json!({"action": "start", "services": ["a", "b"]})
    );
}

#[test]
fn get_service_exists_and_is_dir() {
    let s = Server::start(vec![
        sync(json!([{"name": "svc", "startup": "enabled", "current": "active"}])),
        sync(json!([])),
        sync(json!([{"path": "/etc", "name": "etc", "type": "directory",
                     "permissions": "755", "last-modified": "2024-06-01T10:00:00Z",
                     "user-id": 0, "user": "root", "group-id": 0, "group": "root"}])),
        error(
            404,
            "Not Found",
            "stat /x: no such file or directory",
            "not-found",
        ),
        error(403, "Forbidden", "permission denied", "permission-denied"),
    ]);
    let e = env_for(&s);
    let mut tools = Scripted::default();
    let model = Model::new(&e, &mut tools, &[]);
    let c = model.container(WORKLOAD);
    assert!(c.get_service("svc").unwrap().unwrap().is_running());
    assert!(c.get_service("gone").unwrap().is_none());
    assert!(c.is_dir("/etc").unwrap());
    assert!(!c.exists("/x").unwrap());
    assert_eq!(c.exists("/secret").unwrap_err().api_code(), Some(403));
    assert_eq!(
        s.seen()[2].line(),
        "GET /v1/files?path=%2Fetc&itself=true&action=list HTTP/1.1"
    );
}

#[test]
fn a_missing_container_socket_reads_as_not_ready() {
    let mut e = env("app/0", Event::Start);
    e.pebble = PebbleAccess::sockets(super::server::temp_dir());
    let mut tools = Scripted::default();
    let model = Model::new(&e, &mut tools, &[]);
    let c = model.container(WORKLOAD);
    assert!(!c.can_connect());
    let err = c.get_plan().unwrap_err();
    assert!(err.is_cannot_connect(), "{err}");
    assert!(err
        .to_string()
        .contains("workload/pebble.socket (container restarted?)"));
    // The handle does not borrow the model: statuses can be added while it lives.
    let mut model = model;
    model.add_status(crate::waiting("waiting for Pebble"));
    assert_eq!(c.name(), "workload");
}

#[test]
fn a_harness_serves_pebble_in_process_through_a_connector() {
    // What a test harness does: each connection is one end of a socket pair, the other end
    // served on a thread (here: answer system-info with the container's name).
    let asked: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&asked);
    let connector = move |container: &str| {
        let (client_end, mut server_end) = UnixStream::pair()?;
        log.lock().unwrap().push(container.to_owned());
        let version = container.to_owned();
        std::thread::spawn(move || {
            let _ = read_request(&mut server_end);
            let body = json!({"type": "sync", "status-code": 200, "status": "OK",
                              "result": {"version": version}})
            .to_string();
            let _ = write!(
                server_end,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
        });
        Ok(client_end)
    };
    let mut e = env("app/0", Event::Start);
    e.pebble = PebbleAccess::connector(connector);
    let mut tools = Scripted::default();
    let model = Model::new(&e, &mut tools, &[]);
    assert_eq!(
        model.container(WORKLOAD).get_system_info().unwrap().version,
        "workload"
    );
    assert!(model.container_named("sidecar").can_connect());
    assert_eq!(*asked.lock().unwrap(), ["workload", "sidecar"]);
}
