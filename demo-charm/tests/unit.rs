//! Unit tests of the demo charm, state-transition style (`charm_testing`, the Rust
//! `ops.testing`): the tutorial's tests that apply to what the demo has (tutorial-and-ops.md
//! §4.3, §4.4, §4.7), and the peer counter.
//!
//! The layer/plan assertions of `test_pebble_layer` and `test_config_changed` run against
//! the harness's in-memory Pebble (at the end). Not ported, because the demo's layer has no
//! database environment yet: `test_relation_data`.

use charm_runtime::{active, blocked, waiting, LogLevel, Port, RelationError};
use charm_testing::{Container, Context, Event, Relation, RunError, ServiceStatus, State};
use demo_charm::DemoCharm;

const PEER: &str = "fastapi-peer";

fn ctx() -> Context<DemoCharm> {
    Context::new()
}

/// The peer relation with this application bag.
fn peers_with(app_bag: &[(&str, &str)]) -> Relation {
    Relation::peer(PEER).local_app_data(app_bag.iter().copied())
}

/// The provider's side of `database` once postgresql-k8s has sent credentials.
fn database_with_credentials(host_port: &str) -> Relation {
    Relation::new("database")
        .interface("postgresql_client")
        .remote_app_name("postgresql-k8s")
        .remote_app_data([
            ("endpoints", host_port),
            ("username", "foo"),
            ("password", "bar"),
        ])
}

fn leader_state(peers: Relation) -> State {
    State::builder()
        .leader(true)
        .relation(peers)
        .container(Container::new("demo-server").can_connect(true))
        .build()
}

// ---- the tutorial's tests ------------------------------------------------------------------

/// §4.3 `test_port_configuration` (22): blocked, and 22 is not opened.
#[test]
fn port_22_is_blocked_and_not_opened() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .config("server-port", 22)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked("Invalid port number, 22 is reserved for SSH")
    );
    assert!(out.state.opened_ports().is_empty());
    assert_eq!(
        out.logs_at(LogLevel::Warning),
        ["Invalid port number, 22 is reserved for SSH"]
    );
}

/// §4.3 `test_port_configuration` (1234): the port is opened; still waiting for the
/// database relation.
#[test]
fn other_ports_are_opened() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .config("server-port", 1234)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.state.opened_ports().iter().copied().collect::<Vec<_>>(),
        [Port::Tcp(1234)]
    );
    assert_eq!(
        out.state.unit_status(),
        &blocked("Waiting for database relation")
    );
}

/// A port out of `u16`'s range is an error naming the option (read exactly, never
/// clamped); nothing is committed.
#[test]
fn an_out_of_range_port_fails_naming_the_option() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .config("server-port", 70000)
        .build();
    let err = ctx().run(Event::config_changed(), &state).unwrap_err();
    let failure = err.failure().expect("a charm failure");
    assert_eq!(
        failure.error.to_string(),
        "handler `configure`: config option `server-port`: 70000 is out of range for `u16` (0..=65535)"
    );
    assert_eq!(failure.output.state, state, "nothing committed");
    assert_eq!(failure.output.calls_to("open-port"), 0);
}

/// §4.4 `test_open_port`: config-changed with the peer relation opens exactly 8000/tcp (the
/// default), closing what was open before.
#[test]
fn config_changed_opens_the_default_port() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .opened_port(Port::Tcp(5000))
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.state.opened_ports().iter().copied().collect::<Vec<_>>(),
        [Port::Tcp(8000)]
    );
    // One config-get for the handler and collect-status together (cached per dispatch).
    assert_eq!(out.calls_to("config-get"), 1);
}

/// §4.7 `test_config_changed_invalid_port`: port 22 outranks the missing relation.
#[test]
fn port_22_outranks_the_missing_database() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .config("server-port", 22)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.unit_status_history.len(),
        1,
        "one status-set per dispatch"
    );
    assert_eq!(
        out.state.unit_status(),
        &blocked("Invalid port number, 22 is reserved for SSH")
    );
}

/// §4.7 `test_no_database_blocked`: without the relation the unit is blocked.
#[test]
fn no_database_is_blocked() {
    let out = ctx()
        .run(Event::config_changed(), &leader_state(Relation::peer(PEER)))
        .unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked("Waiting for database relation")
    );
}

/// Finding 0.3: with the relation but no credentials yet the unit waits (the tutorial's
/// charm could never reach this status).
#[test]
fn database_without_credentials_is_waiting() {
    let db = Relation::new("database").remote_app_name("postgresql-k8s");
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(db)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &waiting("Waiting for database relation")
    );
}

/// With credentials the unit is active.
#[test]
fn database_with_credentials_is_active() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(database_with_credentials("example.com:5432"))
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(out.state.unit_status(), &active(""));
}

/// §4.4 `test_get_db_info_action` / §4.7 `test_get_db_info_action_show_password`.
#[test]
fn get_db_info_shows_the_password_when_asked() {
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
        [
            ("db-host", "127.0.0.1"),
            ("db-port", "5432"),
            ("db-username", "foo"),
            ("db-password", "bar"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    );
    assert_eq!(out.action_failure, None);
}

/// §4.7 `test_get_db_info_action`: without `show-password` only host and port. Juju fills
/// the parameter's default (`false`), and so does the harness (`ops.testing` does not).
#[test]
fn get_db_info_hides_the_password_by_default() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(database_with_credentials("example.com:5432"))
        .build();
    let out = ctx().run(Event::action("get-db-info", ()), &state).unwrap();
    assert_eq!(out.action_results.len(), 2, "{:?}", out.action_results);
    assert_eq!(out.action_results["db-host"], "example.com");
    assert_eq!(out.action_results["db-port"], "5432");
    assert!(out
        .tool_calls
        .iter()
        .any(|c| c.argv == ["action-get", "--format=json"]));
}

/// §4.1: no database → the action fails with the tutorial's message (the hook succeeds).
#[test]
fn get_db_info_fails_without_a_database() {
    let out = ctx()
        .run(
            Event::action("get-db-info", [("show-password", false)]),
            &leader_state(Relation::peer(PEER)),
        )
        .unwrap();
    assert_eq!(out.action_failure.as_deref(), Some("No database connected"));
    assert!(out.action_results.is_empty());
}

/// Juju rejects parameters the action does not declare, and wrong types.
#[test]
fn get_db_info_rejects_bad_parameters() {
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

/// §3.4: on `database-relation-created` the leader asks for `names_db`.
#[test]
fn leader_requests_the_database() {
    let db = Relation::new("database").remote_app_name("postgresql-k8s");
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(db.clone())
        .build();
    let out = ctx().run(Event::relation_created(&db), &state).unwrap();
    assert_eq!(
        out.relation(db.id).unwrap().local_app_data["database"],
        "names_db"
    );
    // A non-leader does not (only the leader may write the application bag).
    let state = state.to_builder().leader(false).build();
    let out = ctx().run(Event::relation_created(&db), &state).unwrap();
    assert!(out.relation(db.id).unwrap().local_app_data.is_empty());
}

// ---- the counter ---------------------------------------------------------------------------

fn app_bag_after_start(peers: Relation) -> std::collections::BTreeMap<String, String> {
    let id = peers.id;
    let out = ctx().run(Event::start(), &leader_state(peers)).unwrap();
    out.relation(id).unwrap().local_app_data.clone()
}

#[test]
fn counter_starts_at_one() {
    let bag = app_bag_after_start(peers_with(&[]));
    assert_eq!(bag["unit_stats"], r#"{"started_counter": 1}"#);
}

#[test]
fn counter_counts_on() {
    let bag = app_bag_after_start(peers_with(&[("unit_stats", r#"{"started_counter": 5}"#)]));
    assert_eq!(bag["unit_stats"], r#"{"started_counter": 6}"#);
}

#[test]
fn counter_accepts_a_numeric_string() {
    let bag = app_bag_after_start(peers_with(&[("unit_stats", r#"{"started_counter": "5"}"#)]));
    assert_eq!(bag["unit_stats"], r#"{"started_counter": 6}"#);
}

#[test]
fn counter_keeps_other_keys() {
    let bag = app_bag_after_start(peers_with(&[("other", "x")]));
    assert_eq!(bag["other"], "x");
    assert_eq!(bag.len(), 2);
}

/// A non-leader counts its own pod's starts in its own unit bag; the application bag
/// (which only the leader may write) is left alone.
#[test]
fn non_leader_counts_in_its_unit_bag() {
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
    // Juju's own keys in the unit bag are kept.
    assert_eq!(rel.local_unit_data["private-address"], "192.0.2.0");
    // The other unit's bag is not ours.
    assert_eq!(
        rel.remote_units_data[&1]["unit_stats"],
        r#"{"started_counter": 4}"#
    );
}

/// Juju creates the peer relation when it deploys the application, so `start` without it
/// is rejected before the charm runs, naming the relation.
#[test]
fn no_peer_relation_is_rejected() {
    let state = State::builder().leader(true).build();
    let err = ctx().run(Event::start(), &state).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("peer relation `fastapi-peer` is missing from the state"),
        "{msg}"
    );
}

/// The charm's own guard for the impossible case: a warning and nothing counted.
#[test]
fn no_peer_relation_guard_warns() {
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
}

/// Malformed `unit_stats`: the error names relation, bag and key; nothing is written.
#[test]
fn malformed_unit_stats_is_an_error_and_changes_nothing() {
    for bad in [
        r#"{"started_counter": "many"}"#,
        "not json",
        r#"{"started": 1}"#,
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

/// The exact hook-tool calls of a leader's `start`: the counter's three, collect-status's
/// two (config is read once, the database relation once), then the commit.
#[test]
fn leader_start_makes_exactly_these_calls() {
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
        Some(r#"{"unit_stats":"{\"started_counter\": 2}"}"#)
    );
    assert!(out.tool_calls.iter().all(|c| c.code == 0));
}

/// Events the demo has no handler for still run collect-status (as ops does): the status
/// is refreshed, and nothing else is called or changed.
#[test]
fn unhandled_events_refresh_the_status() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .unit_status(active(""))
        .build();
    for e in [
        Event::update_status(),
        Event::install(),
        Event::leader_elected(),
        Event::upgrade_charm(),
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
        let expected = state
            .to_builder()
            .unit_status(blocked("Waiting for database relation"))
            .build();
        assert_eq!(out.state, expected);
    }
}

// ---- the status never goes stale (collect-status after every event) ------------------------

/// `database-relation-broken` has no handler in the demo: the unit used to stay `active`.
#[test]
fn database_relation_broken_blocks_the_unit() {
    let db = database_with_credentials("example.com:5432");
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(db.clone())
        .unit_status(active(""))
        .build();
    let out = ctx().run(Event::relation_broken(&db), &state).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked("Waiting for database relation")
    );
}

/// `database-relation-changed` with the credentials has no handler either: the unit used
/// to stay `waiting`.
#[test]
fn credentials_arriving_make_the_unit_active() {
    let db = database_with_credentials("example.com:5432");
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(db.clone())
        .unit_status(waiting("Waiting for database relation"))
        .build();
    let out = ctx().run(Event::relation_changed(&db, 0), &state).unwrap();
    assert_eq!(out.state.unit_status(), &active(""));
    assert_eq!(out.calls_to("status-set"), 1);
}

/// An action refreshes the status too.
#[test]
fn an_action_refreshes_the_status() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .relation(database_with_credentials("example.com:5432"))
        .unit_status(waiting("Waiting for database relation"))
        .build();
    let out = ctx().run(Event::action("get-db-info", ()), &state).unwrap();
    assert_eq!(out.action_results["db-host"], "example.com");
    assert_eq!(out.state.unit_status(), &active(""));
}

/// Data the provider sent that the charm cannot use is reported as `blocked`, naming it,
/// instead of failing every hook (which would also drop the dispatch's other writes).
#[test]
fn unusable_database_data_is_blocked_not_an_error() {
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

/// The tutorial's `test_no_database_blocked` runs collect-status alone on a bare state.
#[test]
fn collect_status_alone_on_a_bare_state_is_blocked() {
    let out = ctx()
        .run(Event::collect_status(), &leader_state(Relation::peer(PEER)))
        .unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked("Waiting for database relation")
    );
}

/// The metadata comes from the charm's code: undeclared things are rejected by name.
#[test]
fn undeclared_config_and_endpoints_are_rejected() {
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
    assert!(problems[1].contains(
        "endpoint `db` is not declared by the charm (declared: `fastapi-peer`, `database`)"
    ));
}

// ---- the workload's Pebble layer (tutorial §4.3 `test_pebble_layer`, §4.7 `test_config_changed`)

/// §4.3/§4.7 `test_pebble_layer`: pebble-ready adds the layer and replans; the plan is the
/// tutorial's, the service runs, and the unit is still blocked on the database.
#[test]
fn pebble_ready_runs_the_fastapi_service() {
    let state = leader_state(Relation::peer(PEER));
    let container = state.container("demo-server").unwrap().clone();
    let out = ctx().run(Event::pebble_ready(&container), &state).unwrap();

    let c = out.container("demo-server").unwrap();
    assert_eq!(
        c.layer_of("fastapi_demo"),
        Some(&demo_charm::workload_layer(8000))
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
    assert_eq!(
        out.state.unit_status(),
        &blocked("Waiting for database relation")
    );
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
}

/// §4.7 `test_config_changed`: a new port is a new command, replanned; the same port again
/// changes nothing (the plan already runs it).
#[test]
fn config_changed_moves_the_service_to_the_new_port() {
    let state = leader_state(Relation::peer(PEER))
        .to_builder()
        .config("server-port", 8080)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    let c = out.container("demo-server").unwrap();
    assert!(c.plan().services["fastapi-service"]
        .command
        .ends_with("--port=8080"));
    assert_eq!(c.service_statuses["fastapi-service"], ServiceStatus::Active);

    let again = ctx().run(Event::config_changed(), &out.state).unwrap();
    assert_eq!(again.pebble_lines(), ["GET /v1/plan?format=yaml"]);
    assert_eq!(again.container("demo-server"), out.container("demo-server"));
}

/// Checklist #6: Pebble not up yet is not an error; pebble-ready comes later.
#[test]
fn pebble_not_up_yet_is_not_an_error() {
    let state = State::builder()
        .leader(true)
        .relation(Relation::peer(PEER))
        .container(Container::new("demo-server"))
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.logs_at(LogLevel::Info),
        ["Pebble is not ready yet in demo-server"]
    );
    assert!(out.pebble_calls.is_empty());
    assert_eq!(out.state.containers(), state.containers());
}
