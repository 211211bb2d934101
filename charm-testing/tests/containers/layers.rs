//! Layers, the plan and services: the charm adds its layer and replans, merges config into
//! it with `combine`, and the output state shows what Pebble holds; the calls it made are
//! recorded.

use super::{base_layer, ctx, log_layer, web};
use charm_runtime::pebble::{Layer, Service};
use charm_runtime::{active, maintenance};
use charm_testing::{CheckInfo, Container, Event, Notice, ServiceStatus, State};
use std::collections::BTreeMap;

fn statuses(pairs: &[(&str, ServiceStatus)]) -> BTreeMap<String, ServiceStatus> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

#[test]
fn pebble_ready_adds_the_layer_replans_and_the_service_is_active() {
    let state = State::builder().container(web()).build();
    let out = ctx().run(Event::pebble_ready(&web()), &state).unwrap();

    let c = out.container("web").unwrap();
    assert_eq!(c.layers, vec![("web".to_string(), base_layer())]);
    assert_eq!(c.plan().services["srv"].command, "/bin/srv --port 8080");
    assert_eq!(
        c.service_statuses,
        statuses(&[("srv", ServiceStatus::Active)])
    );
    assert_eq!(c.service_status_of("srv"), Some(ServiceStatus::Active));
    // The layer's check started when the layer was added.
    assert_eq!(c.check_infos, [CheckInfo::new("up")]);
    // Pebble's change-update notices about the run's changes are not state.
    assert!(c.notices.is_empty());
    // collect-status asked Pebble too.
    assert_eq!(out.state.unit_status(), &active("srv is running"));

    let lines = out.pebble_lines();
    assert_eq!(lines[0], "POST /v1/layers");
    assert_eq!(lines[1], "POST /v1/services");
    assert!(
        lines[2].starts_with("GET /v1/changes/") && lines[2].contains("/wait?timeout="),
        "{lines:?}"
    );
    assert_eq!(lines[3], "GET /v1/services?names=srv");
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(out.pebble_calls.iter().all(|c| c.container == "web"));
    assert_eq!(
        out.pebble_calls
            .iter()
            .map(|c| c.status)
            .collect::<Vec<_>>(),
        [200, 202, 200, 200]
    );

    let add = out.pebble_calls[0].json().unwrap();
    assert_eq!(add["action"], "add");
    assert_eq!(add["label"], "web");
    assert_eq!(add["combine"], true);
    let sent = Layer::from_yaml(add["layer"].as_str().unwrap()).unwrap();
    assert_eq!(sent, base_layer());
    let replan = out.pebble_calls[1].json().unwrap();
    assert_eq!(replan["action"], "replan");
}

#[test]
fn config_changed_merges_into_the_layer_and_replan_keeps_the_service_running() {
    let running = web()
        .layer("web", base_layer())
        .service_status("srv", ServiceStatus::Active);
    let state = State::builder()
        .config("log-level", "debug")
        .container(running)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();

    let c = out.container("web").unwrap();
    // One layer still: `combine` merged the change into the layer labelled `web`.
    assert_eq!(c.layers.len(), 1);
    let srv = &c.layer_of("web").unwrap().services["srv"];
    assert_eq!(srv.command, "/bin/srv --port 8080");
    assert_eq!(srv.environment["LOG_LEVEL"], "debug");
    assert_eq!(c.plan().services["srv"].environment["LOG_LEVEL"], "debug");
    // The service's config changed, so replan restarted it: active.
    assert_eq!(
        c.service_statuses,
        statuses(&[("srv", ServiceStatus::Active)])
    );
    assert_eq!(out.state.unit_status(), &active("srv is running"));
    let add = out.pebble_calls[0].json().unwrap();
    assert_eq!(add["combine"], true);
    let sent = Layer::from_yaml(add["layer"].as_str().unwrap()).unwrap();
    assert_eq!(sent, log_layer("debug"));

    // The output is the next run's input: a second change merges again.
    let next = out.state.to_builder().config("log-level", "warn").build();
    let out = ctx().run(Event::config_changed(), &next).unwrap();
    let c = out.container("web").unwrap();
    assert_eq!(c.layers.len(), 1);
    assert_eq!(c.plan().services["srv"].environment["LOG_LEVEL"], "warn");
    assert_eq!(c.plan().services["srv"].command, "/bin/srv --port 8080");
}

#[test]
fn layers_merge_by_pebbles_rules_in_the_state() {
    let lower = Layer::new().service("srv", Service::new("/bin/srv").env("A", "1"));
    let upper = Layer::new()
        .service("srv", super::log_layer("debug").services["srv"].clone())
        .service("other", Service::new("/bin/other"));
    let c = Container::new("web")
        .layer("base", lower)
        .layer("extra", upper);
    let plan = c.plan();
    assert_eq!(plan.services["srv"].command, "/bin/srv");
    assert_eq!(plan.services["srv"].environment["A"], "1");
    assert_eq!(plan.services["srv"].environment["LOG_LEVEL"], "debug");
    assert_eq!(plan.services["other"].command, "/bin/other");
    // Replacing a label keeps its place.
    let c = c.layer(
        "base",
        Layer::new().service("srv", Service::new("/bin/new")),
    );
    assert_eq!(c.layers[0].0, "base");
    assert_eq!(c.plan().services["srv"].command, "/bin/new");
    assert_eq!(c.service_status_of("other"), Some(ServiceStatus::Inactive));
}

#[test]
fn json_and_yaml_layers_are_the_typed_layer() {
    let from_json = Container::new("web").layer_json(
        "web",
        serde_json::json!({
            "summary": "web layer",
            "services": {"srv": {"override": "replace", "command": "/bin/srv --port 8080", "startup": "enabled"}},
            "checks": {"up": {"override": "replace", "http": {"url": "http://localhost:8080/health"}}},
        }),
    );
    let from_yaml = Container::new("web").layer_yaml(
        "web",
        "summary: web layer\nservices:\n  srv:\n    override: replace\n    command: /bin/srv --port 8080\n    startup: enabled\nchecks:\n  up:\n    override: replace\n    http:\n      url: http://localhost:8080/health\n",
    );
    assert_eq!(from_json.layer_of("web"), Some(&base_layer()));
    assert_eq!(from_yaml.layer_of("web"), Some(&base_layer()));
}

#[test]
fn a_run_that_only_reads_pebble_gives_the_state_back() {
    let c = web()
        .layer("web", base_layer())
        .service_status("srv", ServiceStatus::Error)
        .check_info(CheckInfo::new("up").failures(1).successes(4))
        .notice(Notice::new("example.com/seen").occurrences(3))
        .file("/etc/srv/srv.conf", "port: 8080\n");
    let state = State::builder().container(c).build();
    // `install` has no handler: only collect-status runs, and it only reads srv's state.
    let out = ctx().run(Event::install(), &state).unwrap();
    assert_eq!(out.pebble_lines(), ["GET /v1/services?names=srv"]);
    let expected = state
        .to_builder()
        .unit_status(maintenance("srv is not running"))
        .build();
    assert_eq!(out.state, expected);
}

#[test]
fn service_states_come_back_from_pebble() {
    let failed = web()
        .layer("web", base_layer())
        .service_status("srv", ServiceStatus::Error);
    let state = State::builder().container(failed.clone()).build();
    // An action runs, then collect-status asks Pebble: the failed service is not running.
    let out = ctx().run(Event::action("stop-srv", ()), &state).unwrap();
    assert_eq!(out.state.unit_status(), &maintenance("srv is not running"));

    let out = ctx().run(Event::pebble_ready(&failed), &state).unwrap();
    // replan starts a service that is not running.
    assert_eq!(
        out.container("web").unwrap().service_statuses,
        statuses(&[("srv", ServiceStatus::Active)])
    );

    let running = out.state;
    let out = ctx().run(Event::action("stop-srv", ()), &running).unwrap();
    assert_eq!(
        out.container("web").unwrap().service_statuses,
        statuses(&[("srv", ServiceStatus::Inactive)])
    );
    assert_eq!(out.state.unit_status(), &maintenance("srv is not running"));
}

#[test]
fn the_call_log_summarises_bodies() {
    let long = "x".repeat(charm_testing::MAX_BODY_SUMMARY + 100);
    let c = web();
    let state = State::builder().container(c.clone()).build();
    let out = ctx()
        .run(
            Event::action(
                "push",
                [("path", "/srv/big.txt"), ("content", long.as_str())],
            ),
            &state,
        )
        .unwrap();
    let push = &out.pebble_calls[0];
    assert_eq!(push.line(), "POST /v1/files");
    assert_eq!(push.status, 200);
    // The metadata, not the content.
    let meta = push.json().unwrap();
    assert_eq!(meta["action"], "write");
    assert_eq!(meta["files"][0]["path"], "/srv/big.txt");
    assert_eq!(meta["files"][0]["make-dirs"], true);
    assert_eq!(meta["files"][0]["permissions"], "640");
    assert!(!push.body.as_deref().unwrap().contains("xxxx"));
    assert_eq!(push.pushed.len(), 1);
    assert_eq!(push.pushed[0].path, "/srv/big.txt");
    assert_eq!(push.pushed[0].size, long.len());
    // The file is in the container, whole.
    assert_eq!(
        out.container("web").unwrap().files["/srv/big.txt"],
        long.as_bytes()
    );

    // A JSON body longer than the limit is cut, with its size.
    let state = State::builder()
        .config("log-level", long.as_str())
        .container(web().layer("web", base_layer()))
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(out.pebble_calls[0].line(), "POST /v1/layers");
    let add = out.pebble_calls[0].body.as_deref().unwrap();
    assert!(!add.contains(&long));
    assert!(add.len() < long.len());
    assert!(add.ends_with(" bytes)"), "{}", &add[add.len() - 40..]);
    assert!(out.pebble_calls[0].json().is_none());
    // The whole layer reached Pebble.
    let c = out.container("web").unwrap();
    assert_eq!(c.plan().services["srv"].environment["LOG_LEVEL"], long);
    assert_eq!(out.pebble_calls[2].query_get("timeout"), Some("4.000s"));
}
