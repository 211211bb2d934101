//! Charm state on the controller (the tutorial's first strategy, surviving pod churn), the
//! `log` facade, and reboots.

use super::{ctx, peers, Starts};
use charm_runtime::LogLevel;
use charm_testing::{Event, LogLine, RunError, State};

#[test]
fn the_start_counter_lives_in_charm_state_and_survives_pod_churn() {
    let state = State::builder().relation(peers()).build();
    let first = ctx().run(Event::start(), &state).unwrap();
    assert_eq!(first.state.stored_state()["starts"], r#"{"count":1}"#);
    // Pod churn: a fresh charm container, the same controller. Juju runs upgrade-charm,
    // config-changed and start again; the state is where it was.
    let churned = ctx().run(Event::upgrade_charm(), &first.state).unwrap();
    let second = ctx().run(Event::start(), &churned.state).unwrap();
    assert_eq!(second.state.stored_state()["starts"], r#"{"count":2}"#);
    assert_eq!(
        second.command_lines(),
        [
            "state-get --format=json",
            "juju-log --log-level WARNING -- start number 2",
            "juju-log --log-level INFO -- counted",
            "state-set --file -",
        ],
        "the log line reaches juju-log before the next tool call, state-set at commit"
    );
    assert_eq!(
        second.juju_log,
        [
            LogLine {
                level: LogLevel::Warning,
                message: "start number 2".into()
            },
            LogLine {
                level: LogLevel::Info,
                message: "counted".into()
            },
        ]
    );
    let parsed: Starts = serde_json::from_str(&second.state.stored_state()["starts"]).unwrap();
    assert_eq!(parsed, Starts { count: 2 });
}

#[test]
fn reboot_now_stops_the_hook_and_applies_nothing_staged() {
    let state = State::builder().relation(peers()).build();
    let out = ctx().run(Event::install(), &state).unwrap();
    assert!(out.handled);
    assert_eq!(out.calls_to("juju-reboot"), 1);
    assert!(out
        .command_lines()
        .contains(&"juju-reboot --now".to_string()));
    assert_eq!(out.calls_to("relation-set"), 0);
    assert_eq!(out.calls_to("state-set"), 0);
    assert!(out.state.stored_state().is_empty());
    assert!(!out.state.relations()[0]
        .local_unit_data
        .contains_key("rebooting"));
    // On Kubernetes (what the in-memory Juju is) Juju only logs that it cannot reboot.
    assert!(out.logs_at(LogLevel::Error)[0].contains("not supported on Kubernetes"));

    // After the hook, from an ordinary hook: one call.
    let out = ctx().run(Event::upgrade_charm(), &state).unwrap();
    assert_eq!(out.command_lines(), ["juju-reboot"]);

    // Never from an action: refused before Juju is asked.
    let err = ctx().run(Event::action("reboot", ()), &state).unwrap_err();
    let RunError::Failed(f) = err else {
        panic!("{err}")
    };
    assert!(
        f.error
            .to_string()
            .contains("not allowed in actions (action `reboot`)"),
        "{}",
        f.error
    );
    assert_eq!(f.output.calls_to("juju-reboot"), 0);
}
