//! Unit tests of the demo charm, state-transition style (`charm_testing`, the Rust
//! `ops.testing`), one group per row of the behaviour checklist
//! (`tutorial-and-ops.md` §5): every test is named `row_NN_...` after the row it checks.
//! The tutorial's own tests (§4.3, §4.4, §4.7) are among them, named in their docs.
//! After the rows: the status is re-evaluated on every dispatch, and bad input never
//! fails a hook.

use charm_runtime::{active, blocked, maintenance, waiting, Charm, LogLevel, Port, RelationError};
use charm_testing::{
    Container, Context, Event, Output, Relation, RunError, Secret, ServiceStatus, State,
};
use demo_charm::{workload_layer, DemoCharm};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const PEER: &str = "fastapi-peer";
const SSH: &str = "Invalid port number, 22 is reserved for SSH";
const WAITING_DB: &str = "Waiting for database relation";
const PASSWORD: &str = "b4r-s3cret-pw";

fn ctx() -> Context<DemoCharm> {
    Context::new()
}

/// The peer relation with this application bag.
fn peers_with(app_bag: &[(&str, &str)]) -> Relation {
    Relation::peer(PEER).local_app_data(app_bag.iter().copied())
}

/// The provider's side of `database` with nothing sent yet.
fn database() -> Relation {
    Relation::new("database")
        .interface("postgresql_client")
        .remote_app_name("postgresql-k8s")
}

/// The provider's side of `database` once it has sent plain credentials.
fn database_with_credentials(host_port: &str) -> Relation {
    database().remote_app_data([
        ("endpoints", host_port),
        ("username", "foo"),
        ("password", PASSWORD),
    ])
}

fn leader_state(peers: Relation) -> State {
    State::builder()
        .leader(true)
        .relation(peers)
        .container(Container::new("demo-server").can_connect(true))
        .build()
}

/// A leader whose workload already runs on `port` with `env`.
fn running_state(port: u16, env: &BTreeMap<String, String>) -> State {
    State::builder()
        .leader(true)
        .relation(Relation::peer(PEER))
        .container(running(port, env))
        .build()
}

fn running(port: u16, env: &BTreeMap<String, String>) -> Container {
    Container::new("demo-server")
        .can_connect(true)
        .layer("fastapi_demo", workload_layer(port, env))
        .service_status("fastapi-service", ServiceStatus::Active)
}

fn env(host: &str, port: &str, user: &str, password: &str) -> BTreeMap<String, String> {
    [
        ("DEMO_SERVER_DB_HOST", host),
        ("DEMO_SERVER_DB_PORT", port),
        ("DEMO_SERVER_DB_USER", user),
        ("DEMO_SERVER_DB_PASSWORD", password),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn no_env() -> BTreeMap<String, String> {
    BTreeMap::new()
}

/// The service's environment in the output plan.
fn service_env(out: &Output) -> BTreeMap<String, String> {
    out.container("demo-server").unwrap().plan().services["fastapi-service"]
        .environment
        .clone()
}

fn ports(out: &Output) -> Vec<Port> {
    out.state.opened_ports().iter().copied().collect()
}

/// Whether the dispatch added a layer and replanned.
fn replanned(out: &Output) -> bool {
    let lines = out.pebble_lines();
    lines.iter().any(|l| l == "POST /v1/layers") && lines.iter().any(|l| l == "POST /v1/services")
}

fn results(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A one-shot HTTP server on 127.0.0.1 answering `GET /version` with `body`; returns its
/// port and the request it received.
fn version_server(body: &'static str) -> (u16, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut req = Vec::new();
        let mut buf = [0u8; 1024];
        while !req.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = s.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            req.extend_from_slice(&buf[..n]);
        }
        write!(
            s,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        String::from_utf8(req).unwrap()
    });
    (port, server)
}

// ---- row 1: metadata -------------------------------------------------------------------------

/// Row 1: name, title, summary, description and `assumes` come from `#[charm]` (the
/// golden file is `tests/charmcraft_yaml.rs`).
#[test]
fn row_01_metadata_is_the_tutorials() {
    let meta = DemoCharm::metadata();
    assert_eq!(meta.name, "demo-api-charm");
    let yaml = meta.to_charmcraft_yaml();
    for line in [
        "name: demo-api-charm",
        "title: demo-fastapi-k8s",
        "summary: FastAPI Demo charm for Kubernetes",
        "- juju >= 3.1",
        "- k8s-api",
    ] {
        assert!(yaml.lines().any(|l| l.trim() == line), "{line}\n{yaml}");
    }
    assert!(yaml.contains("This is a demo charm built on top of a small Python FastAPI server."));
}

// ---- row 2: container and resource -----------------------------------------------------------

/// Row 2: the container and its OCI image resource are declared, and
/// `demo-server-pebble-ready` reaches the charm (the layer is added).
#[test]
fn row_02_container_resource_and_pebble_ready() {
    let yaml = DemoCharm::metadata().to_charmcraft_yaml();
    for needle in [
        "containers:\n  demo-server:\n    resource: demo-server-image",
        "demo-server-image:\n    type: oci-image",
        "upstream-source: ghcr.io/canonical/api_demo_server:1.0.1",
    ] {
        assert!(yaml.contains(needle), "{needle}\n{yaml}");
    }
    let state = leader_state(Relation::peer(PEER));
    let container = state.container("demo-server").unwrap().clone();
    let out = ctx().run(Event::pebble_ready(&container), &state).unwrap();
    assert!(out.handled);
    assert!(replanned(&out));
}

// ---- row 3: config default -------------------------------------------------------------------

/// Row 3: without user config `server-port` is 8000 (Juju sends the default).
#[test]
fn row_03_server_port_defaults_to_8000() {
    let out = ctx()
        .run(Event::config_changed(), &leader_state(Relation::peer(PEER)))
        .unwrap();
    assert_eq!(ports(&out), [Port::Tcp(8000)]);
    assert!(
        out.container("demo-server").unwrap().plan().services["fastapi-service"]
            .command
            .ends_with("--port=8000")
    );
    let yaml = DemoCharm::metadata().to_charmcraft_yaml();
    assert!(yaml.contains(
        "server-port:\n      type: int\n      default: 8000\n      description: Default port on which FastAPI is available"
    ), "{yaml}");
}

// ---- row 4: port 22 and other invalid ports --------------------------------------------------

/// Row 4 (§4.3 `test_port_configuration` with 22, §4.7 `test_config_changed_invalid_port`):
/// blocked with the tutorial's text, no replan, 22 not opened, the running workload and
/// its port untouched; the status outranks the missing database.
#[test]
fn row_04_port_22_is_blocked_not_replanned_not_opened() {
    let state = running_state(8000, &no_env())
        .to_builder()
        .opened_port(Port::Tcp(8000))
        .config("server-port", 22)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(out.state.unit_status(), &blocked(SSH));
    assert_eq!(
        ports(&out),
        [Port::Tcp(8000)],
        "the old port stays, 22 never opens"
    );
    assert_eq!(
        out.pebble_lines(),
        ["GET /v1/services?names=fastapi-service"]
    );
    assert_eq!(out.state.containers(), state.containers());
    assert_eq!(out.logs_at(LogLevel::Warning), [SSH]);
    assert_eq!(
        out.unit_status_history.len(),
        1,
        "one status-set per dispatch"
    );
    // pebble-ready with 22 does not add the layer either.
    let fresh = leader_state(Relation::peer(PEER))
        .to_builder()
        .config("server-port", 22)
        .build();
    let c = fresh.container("demo-server").unwrap().clone();
    let out = ctx().run(Event::pebble_ready(&c), &fresh).unwrap();
    assert!(!replanned(&out));
    assert_eq!(out.state.unit_status(), &blocked(SSH));
}

/// Row 4, beyond 22: a value that is not a TCP port is blocked naming the value, never a
/// failed hook; nothing is opened, the workload keeps its port.
#[test]
fn row_04_a_value_that_is_not_a_tcp_port_is_blocked_naming_it() {
    for bad in [70000_i64, -1, 0] {
        let state = running_state(8000, &no_env())
            .to_builder()
            .opened_port(Port::Tcp(8000))
            .config("server-port", bad)
            .build();
        for event in [Event::config_changed(), Event::update_status()] {
            let out = ctx().run(event, &state).unwrap();
            assert_eq!(
                out.state.unit_status(),
                &blocked(format!(
                    "Invalid port number, {bad} is not a TCP port (1 to 65535)"
                ))
            );
            assert_eq!(ports(&out), [Port::Tcp(8000)]);
            assert!(!replanned(&out));
        }
    }
}

// ---- row 5: the Pebble layer -----------------------------------------------------------------

/// Row 5 (§4.3/§4.7 `test_pebble_layer`): pebble-ready adds the layer with `combine` and
/// replans; the plan is the tutorial's (no `environment` without a database), the service
/// runs, the unit is still blocked on the database.
#[test]
fn row_05_pebble_ready_runs_the_fastapi_service() {
    let state = leader_state(Relation::peer(PEER));
    let container = state.container("demo-server").unwrap().clone();
    let out = ctx().run(Event::pebble_ready(&container), &state).unwrap();

    let c = out.container("demo-server").unwrap();
    let layer = c.layer_of("fastapi_demo").unwrap();
    assert_eq!(layer, &workload_layer(8000, &no_env()));
    assert_eq!(layer.summary, "FastAPI demo service");
    assert_eq!(
        layer.description,
        "Pebble config layer for the FastAPI demo server"
    );
    let plan = charm_runtime::serde_json::to_value(c.plan()).unwrap();
    assert_eq!(
        plan,
        charm_runtime::serde_json::json!({"services": {"fastapi-service": {
            "override": "replace",
            "summary": "fastapi demo",
            "command": "uvicorn api_demo_server.app:app --host=0.0.0.0 --port=8000",
            "startup": "enabled",
        }}})
    );
    assert_eq!(c.service_statuses["fastapi-service"], ServiceStatus::Active);
    assert_eq!(out.state.unit_status(), &blocked(WAITING_DB));
    let lines = out.pebble_lines();
    assert_eq!(
        lines[..3],
        [
            "GET /v1/plan?format=yaml",
            "POST /v1/layers",
            "POST /v1/services"
        ]
    );
    assert_eq!(out.pebble_calls[1].json().unwrap()["combine"], true);
    assert_eq!(out.pebble_calls[1].json().unwrap()["label"], "fastapi_demo");
    assert_eq!(out.pebble_calls[2].json().unwrap()["action"], "replan");
}

/// Row 5 (§4.7 `test_config_changed`): a new port is a new command, replanned; the same
/// config again changes nothing (the plan already runs it: one GET, no layer, no replan).
#[test]
fn row_05_config_changed_moves_the_service_and_then_leaves_it_alone() {
    let state = running_state(8000, &no_env())
        .to_builder()
        .config("server-port", 8080)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    let c = out.container("demo-server").unwrap();
    assert!(c.plan().services["fastapi-service"]
        .command
        .ends_with("--port=8080"));
    assert_eq!(c.service_statuses["fastapi-service"], ServiceStatus::Active);
    assert!(replanned(&out));

    for event in [
        Event::config_changed(),
        Event::update_status(),
        Event::pebble_ready(c),
    ] {
        let again = ctx().run(event, &out.state).unwrap();
        assert!(!replanned(&again), "{:?}", again.pebble_lines());
        assert_eq!(again.pebble_lines()[0], "GET /v1/plan?format=yaml");
        assert_eq!(again.container("demo-server"), out.container("demo-server"));
    }
}

// ---- row 6: Pebble errors tolerated ----------------------------------------------------------

/// Row 6: Pebble not answering is "not ready yet": no failed hook on any event that
/// configures the workload, the status says so, pebble-ready comes later.
#[test]
fn row_06_pebble_not_up_yet_is_not_an_error() {
    let db = database_with_credentials("example.com:5432");
    let state = State::builder()
        .leader(true)
        .relation(Relation::peer(PEER))
        .relation(db.clone())
        .container(Container::new("demo-server"))
        .build();
    for event in [
        Event::config_changed(),
        Event::relation_changed(&db, 0),
        Event::update_status(),
    ] {
        let out = ctx().run(event, &state).unwrap();
        // (Juju prefixes a relation hook's log lines with the relation.)
        let info = out.logs_at(LogLevel::Info);
        assert_eq!(info.len(), 1, "{info:?}");
        assert!(info[0].ends_with("Pebble is not ready yet in demo-server"));
        assert_eq!(out.state.containers(), state.containers());
        assert_eq!(
            out.state.unit_status(),
            &maintenance("Waiting for Pebble in workload container")
        );
    }
}

// ---- row 7: workload version -----------------------------------------------------------------

/// Row 7: after configuring the workload the charm reads `GET /version` from it and sets
/// the workload version.
#[test]
fn row_07_workload_version_comes_from_the_server() {
    let (port, server) = version_server(r#"{"version": "1.0.0"}"#);
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .config("server-port", i64::from(port))
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    let request = server.join().unwrap();
    assert!(
        request.starts_with("GET /version HTTP/1.1\r\n"),
        "{request}"
    );
    assert_eq!(out.state.workload_version(), "1.0.0");
    assert_eq!(out.calls_to("application-version-set"), 1);
    assert!(out.logs_at(LogLevel::Warning).is_empty());
}

/// Row 7: when the server does not answer (nothing listens: the simulator's case), the
/// previous version stays, a warning says why, and it is quick (a refused connection).
#[test]
fn row_07_no_version_keeps_the_previous_one_and_warns() {
    let port = closed_port();
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .config("server-port", i64::from(port))
        .workload_version("0.9.0")
        .build();
    let started = Instant::now();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.state.workload_version(), "0.9.0");
    assert_eq!(out.calls_to("application-version-set"), 0);
    let warnings = out.logs_at(LogLevel::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with(&format!(
            "unable to get version from API: GET http://localhost:{port}/version: cannot connect: "
        )),
        "{}",
        warnings[0]
    );
}

/// Row 7: an answer that is not the expected JSON keeps the version too.
#[test]
fn row_07_a_bad_version_answer_keeps_the_previous_one() {
    let (port, server) = version_server(r#"{"name": "demo"}"#);
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .config("server-port", i64::from(port))
        .workload_version("0.9.0")
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    server.join().unwrap();
    assert_eq!(out.state.workload_version(), "0.9.0");
    assert!(out.logs_at(LogLevel::Warning)[0].ends_with("the answer has no string `version`"));
}

// ---- row 8: the peer relation ----------------------------------------------------------------

/// Row 8: `fastapi-peer` is a peer endpoint (`fastapi_demo_peers`); a state that gives it
/// as a regular relation is rejected before the charm runs.
#[test]
fn row_08_fastapi_peer_is_a_peer_endpoint() {
    let yaml = DemoCharm::metadata().to_charmcraft_yaml();
    assert!(yaml.contains("peers:\n  fastapi-peer:\n    interface: fastapi_demo_peers"));
    let state = State::builder()
        .leader(true)
        .relation_unchecked(Relation::new(PEER))
        .build();
    let err = ctx().run(Event::start(), &state).unwrap_err();
    let problems = &err.inconsistency().expect("inconsistent").problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains("fastapi-peer") && p.contains("peer")),
        "{problems:#?}"
    );
}

// ---- row 9: the counter ----------------------------------------------------------------------

fn app_bag_after_start(peers: Relation) -> BTreeMap<String, String> {
    let id = peers.id;
    let out = ctx().run(Event::start(), &leader_state(peers)).unwrap();
    out.relation(id).unwrap().local_app_data.clone()
}

/// Row 9: a fresh counter starts at 1, byte for byte as the tutorial writes it.
#[test]
fn row_09_counter_starts_at_one() {
    let bag = app_bag_after_start(peers_with(&[]));
    assert_eq!(bag["unit_stats"], r#"{"started_counter": 1}"#);
}

/// Row 9: 5 becomes 6; other keys are kept.
#[test]
fn row_09_counter_counts_on_and_keeps_other_keys() {
    let bag = app_bag_after_start(peers_with(&[
        ("unit_stats", r#"{"started_counter": 5}"#),
        ("other", "x"),
    ]));
    assert_eq!(bag["unit_stats"], r#"{"started_counter": 6}"#);
    assert_eq!(bag["other"], "x");
    assert_eq!(bag.len(), 2);
}

/// Row 9: a numeric string is accepted (the tutorial's `int(counter)`).
#[test]
fn row_09_counter_accepts_a_numeric_string() {
    let bag = app_bag_after_start(peers_with(&[("unit_stats", r#"{"started_counter": "0"}"#)]));
    assert_eq!(bag["unit_stats"], r#"{"started_counter": 1}"#);
}

/// Row 9: the counter refuses to wrap at `u64::MAX`: a clear error, nothing written.
#[test]
fn row_09_counter_refuses_to_overflow() {
    let max = format!(r#"{{"started_counter": {}}}"#, u64::MAX);
    let peers = peers_with(&[("unit_stats", &max)]).id(9);
    let state = leader_state(peers);
    let err = ctx().run(Event::start(), &state).unwrap_err();
    let failure = err.failure().expect("a charm failure");
    assert_eq!(
        failure.error.to_string(),
        "handler `count_start`: relation fastapi-peer:9, application bag, key `unit_stats`: \
         started_counter is 18446744073709551615, the largest it can be; this start is not counted"
    );
    assert_eq!(failure.output.state, state, "nothing committed");
    assert_eq!(failure.output.calls_to("relation-set"), 0);
}

/// Row 9: malformed `unit_stats` is an error naming relation, bag and key; nothing is
/// written.
#[test]
fn row_09_malformed_unit_stats_is_an_error_and_changes_nothing() {
    for bad in [
        r#"{"started_counter": "many"}"#,
        "not json",
        r#"{"started": 1}"#,
        r#"{"started_counter": -1}"#,
    ] {
        let peers = peers_with(&[("unit_stats", bad)]).id(42);
        let state = leader_state(peers.clone());
        let err = ctx().run(Event::start(), &state).unwrap_err();
        let failure = err.failure().expect("a charm failure");
        let msg = failure.error.to_string();
        assert!(
            msg.starts_with(
                "handler `count_start`: relation fastapi-peer:42, application bag, key `unit_stats`: "
            ),
            "{msg}"
        );
        match failure.error.downcast_ref::<RelationError>() {
            Some(RelationError::Decode { field, .. }) => assert_eq!(field.key, "unit_stats"),
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert_eq!(failure.output.state, state, "nothing committed");
        assert_eq!(failure.output.calls_to("relation-set"), 0);
        assert_eq!(failure.output.calls_to("status-set"), 0);
    }
}

/// Row 9: the exact hook-tool calls of a leader's `start`: the counter's three,
/// collect-status's two (config is read once, the database relation once), then the
/// commit.
#[test]
fn row_09_leader_start_makes_exactly_these_calls() {
    let peers = peers_with(&[("unit_stats", r#"{"started_counter": 1}"#)]).id(7);
    let out = ctx().run(Event::start(), &leader_state(peers)).unwrap();
    assert_eq!(
        out.command_lines(),
        [
            "relation-ids fastapi-peer --format=json",
            "is-leader --format=json",
            "relation-get --format=json -r fastapi-peer:7 --app - demo-api-charm",
            "config-get --format=json",
            "relation-ids database --format=json",
            "relation-set -r fastapi-peer:7 --app --file -",
            "status-set --application=False blocked -- Waiting for database relation",
        ]
    );
    assert_eq!(
        out.tool_calls[5].stdin.as_deref(),
        Some(r#"{"unit_stats": "{\"started_counter\": 2}"}"#)
    );
    assert!(out.tool_calls.iter().all(|c| c.code == 0));
}

// ---- row 10: non-leaders ---------------------------------------------------------------------

/// Row 10: a non-leader's `start` does not fail: it counts its own pod's starts in its
/// own unit bag; the application bag (the leader's) is left alone.
#[test]
fn row_10_non_leader_counts_in_its_unit_bag() {
    let peers = peers_with(&[("unit_stats", r#"{"started_counter": 9}"#)])
        .peer_data(1, [("unit_stats", r#"{"started_counter": 4}"#)]);
    let state = leader_state(peers.clone())
        .to_builder()
        .leader(false)
        .build();
    let out = ctx().run(Event::start(), &state).unwrap();
    let rel = out.relation(peers.id).unwrap();
    assert_eq!(
        rel.local_unit_data["unit_stats"],
        r#"{"started_counter": 1}"#
    );
    assert_eq!(rel.local_app_data, peers.local_app_data);
    assert_eq!(rel.local_unit_data["private-address"], "192.0.2.0");
    assert_eq!(
        rel.remote_units_data[&1]["unit_stats"],
        r#"{"started_counter": 4}"#
    );
}

// ---- row 11: no peer relation ----------------------------------------------------------------

/// Row 11: Juju creates the peer relation when it deploys the application, so `start`
/// without it is rejected before the charm runs, naming the relation.
#[test]
fn row_11_no_peer_relation_is_rejected() {
    let state = State::builder().leader(true).build();
    let err = ctx().run(Event::start(), &state).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("peer relation `fastapi-peer` is missing from the state"),
        "{msg}"
    );
}

/// Row 11: the charm's own guard for that impossible case: a warning, nothing counted,
/// and `install` (where ops cannot read peer data) touches no peer data at all.
#[test]
fn row_11_no_peer_relation_guard_warns() {
    let state = State::builder().leader(true).build();
    let out = ctx()
        .allow_missing_peer_relations()
        .run(Event::start(), &state)
        .unwrap();
    assert_eq!(
        out.logs_at(LogLevel::Warning),
        ["fastapi-peer does not exist yet; this start is not counted"]
    );
    assert_eq!(out.calls_to("relation-set"), 0);
    assert_eq!(out.calls_to("is-leader"), 0);
    let out = ctx()
        .run(Event::install(), &leader_state(Relation::peer(PEER)))
        .unwrap();
    assert!(!out
        .command_lines()
        .iter()
        .any(|c| c.contains("fastapi-peer")));
}

// ---- row 12: the database request ------------------------------------------------------------

/// Row 12: on `database-relation-created` the leader writes exactly what
/// data_platform_libs' requirer writes: `database` and `requested-secrets` (a JSON list,
/// `json.dumps`' spacing), in its application bag; a non-leader writes nothing.
#[test]
fn row_12_leader_requests_the_database_and_its_secrets() {
    let db = database();
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(db.clone())
        .build();
    let out = ctx().run(Event::relation_created(&db), &state).unwrap();
    let rel = out.relation(db.id).unwrap();
    assert_eq!(
        rel.local_app_data,
        results(&[
            ("database", "names_db"),
            (
                "requested-secrets",
                r#"["username", "password", "tls", "tls-ca", "uris"]"#
            ),
        ])
    );
    assert_eq!(rel.local_unit_data, db.local_unit_data);
    let state = state.to_builder().leader(false).build();
    let out = ctx().run(Event::relation_created(&db), &state).unwrap();
    assert!(out.relation(db.id).unwrap().local_app_data.is_empty());
    assert_eq!(out.calls_to("relation-set"), 0);
}

// ---- row 13: credentials ---------------------------------------------------------------------

/// Row 13 (§4.7 `test_relation_data`): plain credentials become the workload's
/// environment.
#[test]
fn row_13_plain_credentials_reach_the_workload() {
    let db = database_with_credentials("example.com:5432");
    let state = running_state(8000, &no_env())
        .to_builder()
        .relation(db.clone())
        .build();
    let out = ctx()
        .run(Event::relation_changed(&db, None), &state)
        .unwrap();
    assert_eq!(
        service_env(&out),
        env("example.com", "5432", "foo", PASSWORD)
    );
    assert_eq!(out.state.unit_status(), &active(""));
}

/// Row 13: with several endpoints the first is used.
#[test]
fn row_13_the_first_of_several_endpoints_is_used() {
    let db = database_with_credentials("10.1.0.7:5433,10.1.0.8:5432");
    let state = running_state(8000, &no_env())
        .to_builder()
        .relation(db.clone())
        .build();
    let out = ctx()
        .run(Event::relation_changed(&db, None), &state)
        .unwrap();
    let e = service_env(&out);
    assert_eq!(e["DEMO_SERVER_DB_HOST"], "10.1.0.7");
    assert_eq!(e["DEMO_SERVER_DB_PORT"], "5433");
}

/// Rows 13 and 22: a provider that honours `requested-secrets` sends `secret-user`; the
/// charm reads the secret (labelled as data_platform_libs labels it) and its credentials
/// win over plain fields.
#[test]
fn row_13_credentials_from_the_secret_user_secret() {
    let secret = Secret::new([("username", "relation-7"), ("password", PASSWORD)]);
    let db = database().id(7).remote_app_data([
        ("endpoints", "10.1.0.9:5432"),
        ("secret-user", secret.id.as_str()),
        ("username", "stale-plain-user"),
    ]);
    let state = running_state(8000, &no_env())
        .to_builder()
        .relation(db.clone())
        .secret(secret.clone())
        .build();
    let out = ctx()
        .run(Event::relation_changed(&db, None), &state)
        .unwrap();
    assert_eq!(
        service_env(&out),
        env("10.1.0.9", "5432", "relation-7", PASSWORD)
    );
    // Read once for the dispatch (the workload and the status share it).
    let gets: Vec<_> = out
        .command_lines()
        .into_iter()
        .filter(|c| c.starts_with("secret-get"))
        .collect();
    assert_eq!(
        gets,
        [format!(
            "secret-get --format=json {} --label database.7.user.secret",
            secret.id
        )]
    );
    assert_eq!(
        out.state.secret(&secret.id).unwrap().label.as_deref(),
        Some("database.7.user.secret")
    );
    assert_eq!(out.state.unit_status(), &active(""));
}

// ---- row 14: re-render on credential changes -------------------------------------------------

/// Row 14: the layer follows the credentials: a new password replans; the same data
/// again touches nothing; a broken relation takes the credentials out of the workload.
#[test]
fn row_14_relation_changes_rerender_the_layer_only_when_it_changes() {
    let db = database_with_credentials("example.com:5432");
    let old = env("example.com", "5432", "foo", "old-password");
    let state = running_state(8000, &old)
        .to_builder()
        .relation(db.clone())
        .build();
    let out = ctx()
        .run(Event::relation_changed(&db, None), &state)
        .unwrap();
    assert!(replanned(&out));
    assert_eq!(
        service_env(&out),
        env("example.com", "5432", "foo", PASSWORD)
    );
    // Transient status while Pebble restarts the service (row 17), then collect-status.
    assert_eq!(
        out.unit_status_history[..1],
        [maintenance("Assembling Pebble layers")]
    );

    let again = ctx()
        .run(Event::relation_changed(&db, 0), &out.state)
        .unwrap();
    assert!(!replanned(&again));
    assert_eq!(again.calls_to("status-set"), 1);

    let broken = ctx().run(Event::relation_broken(&db), &out.state).unwrap();
    assert!(replanned(&broken));
    assert_eq!(service_env(&broken), no_env());
    assert_eq!(broken.state.unit_status(), &blocked(WAITING_DB));
}

/// Row 14: `secret-changed` for the credentials secret tracks the new revision and
/// replans with the new password.
#[test]
fn row_14_a_rotated_password_reaches_the_workload() {
    let secret = Secret::new([("username", "relation-3"), ("password", "first-pw")])
        .label("database.3.user.secret")
        .latest_content([("username", "relation-3"), ("password", PASSWORD)]);
    let db = database().id(3).remote_app_data([
        ("endpoints", "db:5432"),
        ("secret-user", secret.id.as_str()),
    ]);
    let state = running_state(8000, &env("db", "5432", "relation-3", "first-pw"))
        .to_builder()
        .relation(db)
        .secret(secret.clone())
        .build();
    // Another event reads the tracked revision: nothing changes.
    let out = ctx().run(Event::update_status(), &state).unwrap();
    assert!(!replanned(&out));
    let out = ctx().run(Event::secret_changed(&secret), &state).unwrap();
    assert!(replanned(&out));
    assert_eq!(service_env(&out)["DEMO_SERVER_DB_PASSWORD"], PASSWORD);
    assert_eq!(out.state.secret(&secret.id).unwrap().tracked, 2);
}

// ---- row 15: environment ---------------------------------------------------------------------

/// Row 15: exactly the four `DEMO_SERVER_DB_*` variables, and no `environment` at all
/// before credentials exist (the relation is there, the provider has not answered).
#[test]
fn row_15_environment_has_the_four_variables_only_with_credentials() {
    let db = database();
    let state = running_state(8000, &no_env())
        .to_builder()
        .relation(db.clone())
        .build();
    let out = ctx().run(Event::relation_changed(&db, 0), &state).unwrap();
    assert!(!replanned(&out));
    assert!(service_env(&out).is_empty());
    let yaml = workload_layer(8000, &no_env()).to_yaml().unwrap();
    assert!(!yaml.contains("environment"), "{yaml}");

    let db = database_with_credentials("h:1");
    let state = running_state(8000, &no_env())
        .to_builder()
        .relation(db.clone())
        .build();
    let out = ctx().run(Event::relation_changed(&db, 0), &state).unwrap();
    assert_eq!(
        service_env(&out).keys().collect::<Vec<_>>(),
        [
            "DEMO_SERVER_DB_HOST",
            "DEMO_SERVER_DB_PASSWORD",
            "DEMO_SERVER_DB_PORT",
            "DEMO_SERVER_DB_USER"
        ]
    );
}

// ---- row 16: collect-status ------------------------------------------------------------------

/// Row 16 (§4.7 `test_no_database_blocked`): collect-status alone on a bare state.
#[test]
fn row_16_no_database_is_blocked() {
    let out = ctx()
        .run(Event::collect_status(), &leader_state(Relation::peer(PEER)))
        .unwrap();
    assert_eq!(out.state.unit_status(), &blocked(WAITING_DB));
}

/// Row 16 (finding 0.3): with the relation but no credentials yet the unit waits (the
/// tutorial's charm could never reach this status).
#[test]
fn row_16_database_without_credentials_is_waiting() {
    let state = running_state(8000, &no_env())
        .to_builder()
        .relation(database())
        .build();
    let out = ctx().run(Event::update_status(), &state).unwrap();
    assert_eq!(out.state.unit_status(), &waiting(WAITING_DB));
}

/// Row 16: the statuses in the tutorial's order, each winning over the next.
#[test]
fn row_16_statuses_in_order() {
    let db = database_with_credentials("example.com:5432");
    let good = env("example.com", "5432", "foo", PASSWORD);
    let cases: Vec<(State, charm_runtime::Status)> = vec![
        // 22 outranks the missing relation.
        (
            running_state(8000, &no_env())
                .to_builder()
                .config("server-port", 22)
                .build(),
            blocked(SSH),
        ),
        (running_state(8000, &no_env()), blocked(WAITING_DB)),
        // Maintenance (the unit's own work) outranks waiting (another application).
        (
            leader_state(Relation::peer(PEER))
                .to_builder()
                .relation(database())
                .container(Container::new("demo-server"))
                .build(),
            maintenance("Waiting for Pebble in workload container"),
        ),
        (
            running_state(8000, &no_env())
                .to_builder()
                .relation(database())
                .build(),
            waiting(WAITING_DB),
        ),
        // Pebble up, no layer yet: ops' get_service raises ModelError, "Waiting for Pebble".
        (
            leader_state(Relation::peer(PEER))
                .to_builder()
                .relation(db.clone())
                .build(),
            maintenance("Waiting for Pebble in workload container"),
        ),
        (
            State::builder()
                .leader(true)
                .relation(Relation::peer(PEER))
                .relation(db.clone())
                .container(
                    running(8000, &good).service_status("fastapi-service", ServiceStatus::Inactive),
                )
                .build(),
            maintenance("Waiting for the service to start up"),
        ),
        (
            running_state(8000, &good).to_builder().relation(db).build(),
            active(""),
        ),
    ];
    for (state, want) in cases {
        let out = ctx().run(Event::collect_status(), &state).unwrap();
        assert_eq!(out.state.unit_status(), &want);
    }
}

/// Row 16: data the provider sent that cannot be used is `blocked`, naming the key,
/// instead of failing every hook (which would also drop the dispatch's other writes).
#[test]
fn row_16_unusable_database_data_is_blocked_naming_the_key() {
    let db = database_with_credentials("no-port-here").id(3);
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(db.clone())
        .build();
    for e in [Event::relation_changed(&db, 0), Event::update_status()] {
        let out = ctx().run(e, &state).unwrap();
        assert_eq!(
            out.state.unit_status(),
            &blocked(
                "Unusable database relation: relation database:3, remote application bag, \
                 key `endpoints`: \"no-port-here\" is not `host:port`"
            )
        );
    }
    // The start counter is still written in the same dispatch.
    let out = ctx().run(Event::start(), &state).unwrap();
    assert_eq!(out.calls_to("relation-set"), 1);
}

/// Row 16: a `secret-user` the unit cannot read is blocked naming the key; the workload
/// keeps the last good credentials and still follows a port change.
#[test]
fn row_16_unreadable_secret_is_blocked_and_the_workload_keeps_serving() {
    let good = env("db", "5432", "u", PASSWORD);
    let db = database().id(4).remote_app_data([
        ("endpoints", "db:5432"),
        ("secret-user", "secret:d0000000000000000000"),
    ]);
    let state = running_state(8000, &good)
        .to_builder()
        .relation(db)
        .config("server-port", 8081)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked(
            "Unusable database relation: relation database:4, remote application bag, key \
             `secret-user`: secret secret:d0000000000000000000 (label \"database.4.user.secret\") \
             not found (or not granted to this unit)"
        )
    );
    let plan = out.container("demo-server").unwrap().plan();
    assert!(plan.services["fastapi-service"]
        .command
        .ends_with("--port=8081"));
    assert_eq!(service_env(&out), good);
    assert_eq!(ports(&out), [Port::Tcp(8081)]);
}

// ---- row 17: transient maintenance -----------------------------------------------------------

/// Row 17: while the layer is replaced the unit shows `Assembling Pebble layers`; the
/// final status is collect-status's. Nothing to replace: no transient status.
#[test]
fn row_17_assembling_pebble_layers_while_replanning() {
    let state = leader_state(Relation::peer(PEER));
    let container = state.container("demo-server").unwrap().clone();
    let out = ctx().run(Event::pebble_ready(&container), &state).unwrap();
    assert_eq!(
        out.unit_status_history,
        [maintenance("Assembling Pebble layers"), blocked(WAITING_DB)]
    );
    let again = ctx()
        .run(Event::pebble_ready(&container), &out.state)
        .unwrap();
    assert_eq!(again.calls_to("status-set"), 1);
}

// ---- row 18: the action ----------------------------------------------------------------------

/// Row 18 (§4.4 `test_get_db_info_action`, §4.7 `..._show_password`): with the flag, all
/// four values.
#[test]
fn row_18_get_db_info_shows_the_password_when_asked() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(database_with_credentials("127.0.0.1:5432"))
        .build();
    let out = ctx()
        .run(
            Event::action("get-db-info", [("show-password", true)]),
            &state,
        )
        .unwrap();
    assert_eq!(
        out.action_results,
        results(&[
            ("db-host", "127.0.0.1"),
            ("db-port", "5432"),
            ("db-username", "foo"),
            ("db-password", PASSWORD),
        ])
    );
    assert_eq!(out.action_failure, None);
}

/// Row 18 (§4.7 `test_get_db_info_action`): without `show-password` only host and port.
/// Juju fills the parameter's default (`false`), and so does the harness.
#[test]
fn row_18_get_db_info_hides_the_password_by_default() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(database_with_credentials("example.com:5432"))
        .build();
    let out = ctx().run(Event::action("get-db-info", ()), &state).unwrap();
    assert_eq!(
        out.action_results,
        results(&[("db-host", "example.com"), ("db-port", "5432")])
    );
    assert!(out
        .tool_calls
        .iter()
        .any(|c| c.argv == ["action-get", "--format=json"]));
}

/// Row 18: no database (no relation, or no credentials yet) fails the action with the
/// tutorial's message; the hook itself succeeds. Unusable data says what is wrong.
#[test]
fn row_18_get_db_info_fails_without_a_database() {
    for state in [
        leader_state(Relation::peer(PEER)),
        leader_state(Relation::peer(PEER))
            .to_builder()
            .relation(database())
            .build(),
    ] {
        let out = ctx()
            .run(
                Event::action("get-db-info", [("show-password", false)]),
                &state,
            )
            .unwrap();
        assert_eq!(out.action_failure.as_deref(), Some("No database connected"));
        assert!(out.action_results.is_empty());
    }
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(database_with_credentials("nope").id(5))
        .build();
    let out = ctx().run(Event::action("get-db-info", ()), &state).unwrap();
    assert_eq!(
        out.action_failure.as_deref(),
        Some(
            "Unusable database relation: relation database:5, remote application bag, key \
             `endpoints`: \"nope\" is not `host:port`"
        )
    );
}

/// Row 18: Juju rejects parameters the action does not declare, and wrong types.
#[test]
fn row_18_get_db_info_rejects_bad_parameters() {
    let err = ctx()
        .run(
            Event::action("get-db-info", [("show-password", "yes")]),
            &leader_state(Relation::peer(PEER)),
        )
        .unwrap_err();
    let RunError::Inconsistent(i) = err else {
        panic!("expected an inconsistency: {err}")
    };
    assert_eq!(
        i.problems,
        ["action `get-db-info`: parameter `show-password` must be a boolean, but the event gives a string \"yes\""]
    );
}

// ---- row 19: observability -------------------------------------------------------------------

/// Row 19: the COS endpoints are declared, optional, with their interfaces.
#[test]
fn row_19_cos_endpoints_are_declared() {
    let yaml = DemoCharm::metadata().to_charmcraft_yaml();
    for needle in [
        "metrics-endpoint:\n    interface: prometheus_scrape\n    optional: true",
        "grafana-dashboard:\n    interface: grafana_dashboard\n    optional: true",
        "logging:\n    interface: loki_push_api\n    optional: true",
    ] {
        assert!(yaml.contains(needle), "{needle}\n{yaml}");
    }
    let provides = yaml.split("provides:").nth(1).unwrap();
    assert!(provides
        .split("requires:")
        .next()
        .unwrap()
        .contains("metrics-endpoint"));
}

/// Row 19: the leader publishes its scrape job as the prometheus_scrape library writes it,
/// every unit its address; a port change moves the job; a non-leader writes only its own
/// bag.
#[test]
fn row_19_the_scrape_job_is_published() {
    let metrics = Relation::new("metrics-endpoint")
        .remote_app_name("prometheus")
        .id(11);
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(metrics.clone())
        .model_name("charm-model")
        .model_uuid("00000000-0000-4000-8000-000000000000")
        .build();
    let out = ctx()
        .run(Event::relation_joined(&metrics, 0), &state)
        .unwrap();
    let rel = out.relation(11).unwrap();
    assert_eq!(
        rel.local_app_data,
        results(&[
            (
                "scrape_metadata",
                r#"{"model": "charm-model", "model_uuid": "00000000-0000-4000-8000-000000000000", "application": "demo-api-charm", "unit": "demo-api-charm/0", "charm_name": "demo-api-charm"}"#
            ),
            (
                "scrape_jobs",
                r#"[{"metrics_path": "/metrics", "static_configs": [{"targets": ["*:8000"]}]}]"#
            ),
        ])
    );
    assert_eq!(
        rel.local_unit_data["prometheus_scrape_unit_address"],
        "192.0.2.0"
    );
    assert_eq!(
        rel.local_unit_data["prometheus_scrape_unit_name"],
        "demo-api-charm/0"
    );

    let moved = out.state.to_builder().config("server-port", 8080).build();
    let out = ctx().run(Event::config_changed(), &moved).unwrap();
    assert!(out.relation(11).unwrap().local_app_data["scrape_jobs"].contains(r#"["*:8080"]"#));

    let follower = state.to_builder().leader(false).build();
    let out = ctx()
        .run(Event::relation_joined(&metrics, 0), &follower)
        .unwrap();
    let rel = out.relation(11).unwrap();
    assert!(rel.local_app_data.is_empty());
    assert_eq!(
        rel.local_unit_data["prometheus_scrape_unit_name"],
        "demo-api-charm/0"
    );
}

// ---- row 20: ports ---------------------------------------------------------------------------

/// Row 20 (§4.4 `test_open_port`, §4.3 `test_port_configuration` with 1234): exactly the
/// configured port is open, the previous one closed; config is read once per dispatch.
#[test]
fn row_20_config_changed_opens_the_port_and_closes_the_previous_one() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .opened_port(Port::Tcp(5000))
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(ports(&out), [Port::Tcp(8000)]);
    assert_eq!(out.calls_to("config-get"), 1);
    let state = out.state.to_builder().config("server-port", 1234).build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(ports(&out), [Port::Tcp(1234)]);
    assert_eq!(out.state.unit_status(), &blocked(WAITING_DB));
}

// ---- row 21: harness parity ------------------------------------------------------------------

/// Row 21: the metadata comes from the charm's code, and the harness's consistency checker
/// rejects undeclared config and endpoints by name before the charm runs.
#[test]
fn row_21_undeclared_config_and_endpoints_are_rejected() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .config("port", 80)
        .relation(Relation::new("db"))
        .build();
    let err = ctx().run(Event::config_changed(), &state).unwrap_err();
    let problems = &err.inconsistency().expect("inconsistent").problems;
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0]
        .contains("config option `port` is not declared by the charm (declared: `server-port`)"));
    assert!(problems[1].contains("endpoint `db` is not declared by the charm"));
}

// ---- row 22: secrets -------------------------------------------------------------------------

/// Row 22: the password never reaches a log line, a hook-tool argument other than the
/// action results it was asked for, or an error message, whatever happens.
#[test]
fn row_22_the_password_is_never_logged() {
    let secret = Secret::new([("username", "u"), ("password", PASSWORD)]);
    let via_secret = database().id(6).remote_app_data([
        ("endpoints", "db:5432"),
        ("secret-user", secret.id.as_str()),
    ]);
    let plain = database_with_credentials("db:5432");
    let malformed = database_with_credentials("db:x");
    let mut texts = Vec::new();
    for db in [via_secret, plain, malformed] {
        let state = leader_state(Relation::peer(PEER))
            .to_builder()
            .relation(db.clone())
            .secret(secret.clone())
            .build();
        for event in [
            Event::relation_changed(&db, None),
            Event::config_changed(),
            Event::action("get-db-info", ()),
            Event::secret_changed(&secret),
        ] {
            match ctx().run(event, &state) {
                Ok(out) => {
                    texts.extend(out.juju_log.iter().map(|l| l.message.clone()));
                    texts.extend(out.tool_calls.iter().map(|c| c.argv.join(" ")));
                    texts.push(out.state.unit_status().message().to_string());
                    texts.extend(out.action_failure.clone());
                }
                Err(e) => texts.push(e.to_string()),
            }
        }
        // A failed dispatch: the error text.
        let broken = state.to_builder().config("server-port", "x").build();
        if let Err(e) = ctx().run(Event::config_changed(), &broken) {
            texts.push(e.to_string());
        }
    }
    assert!(texts.len() > 30, "{texts:#?}");
    for t in &texts {
        assert!(!t.contains(PASSWORD), "{t}");
    }
}

// ---- the status never goes stale (collect-status after every event) ------------------------

/// Events the demo has no handler for still run collect-status (as ops does): the status
/// is refreshed, and nothing else is called or changed.
#[test]
fn unhandled_events_refresh_the_status() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .unit_status(active(""))
        .build();
    for e in [
        Event::install(),
        Event::leader_elected(),
        Event::upgrade_charm(),
        Event::stop(),
    ] {
        let out = ctx().run(e, &state).unwrap();
        assert!(out.handled);
        assert_eq!(
            out.command_lines(),
            [
                "config-get --format=json",
                "relation-ids database --format=json",
                "status-set --application=False blocked -- Waiting for database relation",
            ]
        );
        assert_eq!(
            out.pebble_lines(),
            ["GET /v1/services?names=fastapi-service"]
        );
        let expected = state.to_builder().unit_status(blocked(WAITING_DB)).build();
        assert_eq!(out.state, expected);
    }
}

/// `database-relation-broken`: the unit used to stay `active`.
#[test]
fn database_relation_broken_blocks_the_unit() {
    let db = database_with_credentials("example.com:5432");
    let state = running_state(8000, &env("example.com", "5432", "foo", PASSWORD))
        .to_builder()
        .relation(db.clone())
        .unit_status(active(""))
        .build();
    let out = ctx().run(Event::relation_broken(&db), &state).unwrap();
    assert_eq!(out.state.unit_status(), &blocked(WAITING_DB));
}

/// The credentials arriving: the unit used to stay `waiting`.
#[test]
fn credentials_arriving_make_the_unit_active() {
    let db = database_with_credentials("example.com:5432");
    let state = running_state(8000, &no_env())
        .to_builder()
        .relation(db.clone())
        .unit_status(waiting(WAITING_DB))
        .build();
    let out = ctx().run(Event::relation_changed(&db, 0), &state).unwrap();
    assert_eq!(out.state.unit_status(), &active(""));
}

/// An action refreshes the status too.
#[test]
fn an_action_refreshes_the_status() {
    let state = running_state(8000, &env("example.com", "5432", "foo", PASSWORD))
        .to_builder()
        .relation(database_with_credentials("example.com:5432"))
        .unit_status(waiting(WAITING_DB))
        .build();
    let out = ctx().run(Event::action("get-db-info", ()), &state).unwrap();
    assert_eq!(out.action_results["db-host"], "example.com");
    assert_eq!(out.state.unit_status(), &active(""));
}
