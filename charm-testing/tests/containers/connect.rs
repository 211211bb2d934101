//! Pebble that does not answer: the client's cannot-connect error, handled as "waiting".

use super::{base_layer, ctx, web};
use charm_runtime::waiting;
use charm_runtime::LogLevel;
use charm_testing::{Container, Event, RunError, ServiceStatus, State};

#[test]
fn cannot_connect_is_handled_as_waiting() {
    let away = Container::new("web")
        .layer("web", base_layer())
        .service_status("srv", ServiceStatus::Active);
    let state = State::builder()
        .config("log-level", "debug")
        .container(away.clone())
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(out.logs_at(LogLevel::Info), ["web is not up yet"]);
    assert_eq!(
        out.state.unit_status(),
        &waiting("waiting for Pebble in web")
    );
    // Refused connections are not requests: nothing reached Pebble, nothing changed.
    assert!(out.pebble_calls.is_empty());
    assert_eq!(out.container("web"), Some(&away));
}

#[test]
fn a_declared_container_missing_from_the_state_cannot_connect() {
    let out = ctx()
        .run(Event::config_changed(), &State::builder().build())
        .unwrap();
    assert_eq!(
        out.state.unit_status(),
        &waiting("waiting for Pebble in web")
    );
    assert!(out.state.containers().is_empty());
}

#[test]
fn the_error_is_the_runtimes_cannot_connect() {
    let state = State::builder().container(web().can_connect(false)).build();
    let err = ctx()
        .run(Event::action("pull", [("path", "/x")]), &state)
        .unwrap_err();
    let RunError::Failed(failure) = err else {
        panic!("expected a charm failure, got {err}")
    };
    let pebble = failure
        .error
        .downcast_ref::<charm_runtime::PebbleError>()
        .expect("a PebbleError");
    assert!(pebble.is_cannot_connect());
    assert_eq!(pebble.container, "web");
    let text = pebble.to_string();
    assert!(
        text.contains("the harness's in-memory Pebble of container `web`"),
        "{text}"
    );
    assert!(text.contains("can_connect(false)"), "{text}");
}

#[test]
fn only_the_container_asked_is_reached() {
    // `sidecar` is up, `web` is not: the charm only talks to `web`, and waits.
    let state = State::builder()
        .container(Container::new("sidecar").can_connect(true))
        .container(Container::new("web"))
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &waiting("waiting for Pebble in web")
    );
    assert!(out.pebble_calls.is_empty());
}
