//! Routing, collect-status, `any`, commit-on-success and panic handling, with hand-written
//! `Charm` impls (what `#[charm]` generates).

use super::{env, Scripted};
use crate::dispatch::{collect_status, dispatch, Charm, Handler, On, Outcome};
use crate::event::{ActionEvent, Event, RelationEvent, RelationEventKind};
use crate::metadata::CharmMetadata;
use crate::relation::{Bag, DeclaredEndpoint, Endpoint, Peer};
use crate::{status, Error, Model, Result};

#[derive(Default)]
struct Test {
    seen: Vec<&'static str>,
}

const PEER: Endpoint<Peer> = Endpoint::peer("peers");

fn meta(name: &str) -> CharmMetadata {
    CharmMetadata {
        name: name.into(),
        ..Default::default()
    }
}

impl Test {
    fn write(&mut self, m: &mut Model) -> Result<()> {
        self.seen.push("write");
        let r = m.relation(PEER)?.expect("peer relation");
        m.set(&r, Bag::Unit, "k", "v")?;
        Ok(())
    }
    fn fail(&mut self, m: &mut Model) -> Result<()> {
        m.add_status(status::blocked("never set"));
        Err(Error::msg("boom"))
    }
    fn panic(&mut self, _m: &mut Model) -> Result<()> {
        panic!("handler bug")
    }
    fn act(&mut self, _m: &mut Model) -> Result<()> {
        self.seen.push("act");
        Ok(())
    }
    /// The collector: its status names the handlers that ran before it, on the same charm.
    fn status(&mut self, m: &mut Model) -> Result<()> {
        let ran = if self.seen.is_empty() {
            "nothing".to_string()
        } else {
            self.seen.join(",")
        };
        m.add_status(status::active(format!("ran: {ran}")));
        Ok(())
    }
}

impl Charm for Test {
    type Config = crate::config::NoConfig;
    const ENDPOINTS: &'static [DeclaredEndpoint] = &[PEER.declared()];
    const HANDLERS: &'static [Handler<Self>] = &[
        Handler {
            name: "write",
            on: &[On::Start, On::Relation(RelationEventKind::Changed, "peers")],
            call: |c, m| c.write(m),
        },
        Handler {
            name: "fail",
            on: &[On::Stop, On::ConfigChanged],
            call: |c, m| c.fail(m),
        },
        Handler {
            name: "fail",
            on: &[On::ConfigChanged],
            call: |c, m| c.write(m),
        },
        Handler {
            name: "panic",
            on: &[On::Remove],
            call: |c, m| c.panic(m),
        },
        Handler {
            name: "act",
            on: &[On::Action("go")],
            call: |c, m| c.act(m),
        },
        Handler {
            name: "status",
            on: &[On::CollectStatus],
            call: |c, m| c.status(m),
        },
    ];
    fn metadata() -> CharmMetadata {
        meta("test")
    }
}

fn tools() -> Scripted {
    Scripted::default()
        .answer("relation-ids peers --format=json", r#"["peers:1"]"#)
        .answer("relation-get --format=json -r peers:1 - test/0", "{}")
}

fn action(name: &str) -> Event {
    Event::Action(ActionEvent {
        name: name.into(),
        id: "1".into(),
    })
}

fn relation_event(kind: RelationEventKind, endpoint: &str) -> Event {
    Event::Relation(RelationEvent {
        kind,
        endpoint: endpoint.into(),
        id: 1,
        remote_app: "test".into(),
        remote_unit: Some("test/1".into()),
        departing_unit: None,
    })
}

#[test]
fn handled_event_runs_handlers_then_collect_status_then_commits() {
    let mut t = tools();
    let out = dispatch::<Test>(&env("test/0", Event::Start), &mut t);
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    assert_eq!(out.exit_code(), 0);
    assert_eq!(
        t.cmdlines(),
        [
            "relation-ids peers --format=json",
            "relation-get --format=json -r peers:1 - test/0",
            "relation-set -r peers:1 --file -",
            "status-set --application=False active -- ran: write",
        ]
    );
}

#[test]
fn relation_selector_matches_endpoint_and_kind() {
    let mut t = tools();
    let out = dispatch::<Test>(
        &env(
            "test/0",
            relation_event(RelationEventKind::Changed, "peers"),
        ),
        &mut t,
    );
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    assert!(t
        .cmdlines()
        .contains(&"relation-set -r peers:1 --file -".into()));
    for e in [
        relation_event(RelationEventKind::Joined, "peers"),
        relation_event(RelationEventKind::Changed, "other"),
    ] {
        let mut t = tools();
        let out = dispatch::<Test>(&env("test/0", e), &mut t);
        assert!(matches!(out, Outcome::Committed), "{out:?}");
        // `write` was not routed; collect-status still ran.
        assert_eq!(
            t.cmdlines(),
            ["status-set --application=False active -- ran: nothing"]
        );
    }
}

/// ops 3.9.0 `_main.py` `_Manager._emit`: `_evaluate_status` after every event, observed
/// or not. The status cannot go stale because an event had no handler.
#[test]
fn unhandled_event_still_runs_collect_status() {
    let mut t = tools();
    let out = dispatch::<Test>(&env("test/0", Event::UpdateStatus), &mut t);
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    assert_eq!(out.exit_code(), 0);
    assert_eq!(
        t.cmdlines(),
        ["status-set --application=False active -- ran: nothing"]
    );
}

/// Actions too: ops does not tell them apart when it evaluates status.
#[test]
fn actions_run_collect_status_after_their_handler() {
    let mut t = tools();
    let out = dispatch::<Test>(&env("test/0", action("go")), &mut t);
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    assert_eq!(
        t.cmdlines(),
        ["status-set --application=False active -- ran: act"]
    );
}

/// ops skips `_evaluate_status` in the restricted context (no `is-leader` there).
#[test]
fn restricted_context_runs_nothing() {
    let mut t = tools();
    let out = dispatch::<Test>(&env("test/0", Event::CollectMetrics), &mut t);
    assert!(matches!(out, Outcome::Unhandled), "{out:?}");
    assert!(t.calls.is_empty(), "{:?}", t.cmdlines());
}

#[test]
fn failing_handler_stops_and_flushes_nothing() {
    let mut t = tools();
    let out = dispatch::<Test>(&env("test/0", Event::ConfigChanged), &mut t);
    let Outcome::Failed(e) = &out else {
        panic!("{out:?}")
    };
    assert_eq!(e.to_string(), "handler `fail`: boom");
    assert_eq!(out.exit_code(), 1);
    // The second handler and collect-status never ran, nothing was written, no status set.
    assert!(t.calls.is_empty(), "{:?}", t.cmdlines());
}

#[test]
fn panicking_handler_is_caught_and_flushes_nothing() {
    let mut t = tools();
    let out = dispatch::<Test>(&env("test/0", Event::Remove), &mut t);
    let Outcome::Failed(e) = &out else {
        panic!("{out:?}")
    };
    assert!(
        e.to_string().contains("a handler panicked: handler bug"),
        "{e}"
    );
    assert!(t.calls.is_empty());
}

#[test]
fn collect_status_alone_runs_only_the_collectors() {
    let mut t = tools();
    let out = collect_status::<Test>(&env("test/0", Event::Start), &mut t);
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    assert_eq!(
        t.cmdlines(),
        ["status-set --application=False active -- ran: nothing"]
    );
}

// ---- a charm without collect-status ----------------------------------------------------------

/// Handles `start` only, and has no collect-status handler.
#[derive(Default)]
struct Quiet;

impl Charm for Quiet {
    type Config = crate::config::NoConfig;
    const ENDPOINTS: &'static [DeclaredEndpoint] = &[];
    const HANDLERS: &'static [Handler<Self>] = &[Handler {
        name: "start",
        on: &[On::Start],
        call: |_, m| {
            m.add_status(status::active("started"));
            Ok(())
        },
    }];
    fn metadata() -> CharmMetadata {
        meta("quiet")
    }
}

/// The zero-cost rule: no handler and no collector, no hook tool (`Scripted` records every
/// call the runtime makes, so this is every process the charm would spawn).
#[test]
fn no_handler_and_no_collector_calls_nothing() {
    for e in [
        Event::UpdateStatus,
        Event::Install,
        action("go"),
        relation_event(RelationEventKind::Changed, "peers"),
    ] {
        let mut t = tools();
        let out = dispatch::<Quiet>(&env("quiet/0", e), &mut t);
        assert!(matches!(out, Outcome::Unhandled), "{out:?}");
        assert_eq!(out.exit_code(), 0);
        assert!(t.calls.is_empty(), "{:?}", t.cmdlines());
    }
    let mut t = tools();
    assert!(matches!(
        collect_status::<Quiet>(&env("quiet/0", Event::Start), &mut t),
        Outcome::Unhandled
    ));
    assert!(t.calls.is_empty());
    // Its handler still sets the status it adds.
    let mut t = tools();
    let out = dispatch::<Quiet>(&env("quiet/0", Event::Start), &mut t);
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    assert_eq!(
        t.cmdlines(),
        ["status-set --application=False active -- started"]
    );
}

// ---- collectors: errors, no status, app status -------------------------------------------

/// A collector that fails, one that adds nothing, and one that adds an app status.
#[derive(Default)]
struct Collectors;

impl Charm for Collectors {
    type Config = crate::config::NoConfig;
    const ENDPOINTS: &'static [DeclaredEndpoint] = &[PEER.declared()];
    const HANDLERS: &'static [Handler<Self>] = &[
        Handler {
            name: "write",
            on: &[On::Start],
            call: |_, m| {
                let r = m.relation(PEER)?.expect("peer relation");
                m.set(&r, Bag::Unit, "k", "v")?;
                Ok(())
            },
        },
        Handler {
            name: "silent",
            on: &[On::CollectStatus],
            call: |_, _| Ok(()),
        },
        Handler {
            name: "broken",
            on: &[On::CollectStatus],
            call: |_, m| match m.event() {
                Event::ConfigChanged => Err(Error::msg("cannot tell")),
                Event::LeaderElected => {
                    m.add_app_status(status::waiting("app"));
                    Ok(())
                }
                _ => Ok(()),
            },
        },
    ];
    fn metadata() -> CharmMetadata {
        meta("test")
    }
}

/// ops 3.9.0 `charm.py` `_evaluate_status`: `if unit._collected_statuses:` — a collector
/// that adds nothing leaves the status as it was (no `status-set`).
#[test]
fn collectors_that_add_nothing_leave_the_status_alone() {
    let mut t = tools();
    let out = dispatch::<Collectors>(&env("test/0", Event::UpdateStatus), &mut t);
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    assert!(t.calls.is_empty(), "{:?}", t.cmdlines());
    // After a handler's writes: the writes, still no status-set.
    let mut t = tools();
    dispatch::<Collectors>(&env("test/0", Event::Start), &mut t);
    assert!(!t.cmdlines().iter().any(|c| c.starts_with("status-set")));
    assert!(t
        .cmdlines()
        .contains(&"relation-set -r peers:1 --file -".into()));
}

/// A collector's error is a hook error, like any handler's: nothing staged is applied.
#[test]
fn a_failing_collector_fails_the_hook() {
    let mut t = tools();
    let out = dispatch::<Collectors>(&env("test/0", Event::ConfigChanged), &mut t);
    let Outcome::Failed(e) = &out else {
        panic!("{out:?}")
    };
    assert_eq!(e.to_string(), "handler `broken`: cannot tell");
    assert!(t.calls.is_empty(), "{:?}", t.cmdlines());
}

/// App statuses are set on the leader only; `is-leader` is asked only when one was added.
#[test]
fn app_status_is_set_on_the_leader_only() {
    for (leader, expected) in [
        (
            "true",
            &[
                "is-leader --format=json",
                "status-set --application=True waiting -- app",
            ][..],
        ),
        ("false", &["is-leader --format=json"][..]),
    ] {
        let mut t = tools().answer("is-leader --format=json", leader);
        dispatch::<Collectors>(&env("test/0", Event::LeaderElected), &mut t);
        assert_eq!(t.cmdlines(), expected);
    }
}

// ---- `any` -------------------------------------------------------------------------------------

thread_local! {
    static RAN: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn ran(what: String) {
    RAN.with(|r| r.borrow_mut().push(what));
}

fn take_ran() -> Vec<String> {
    RAN.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

/// A reconciler on `any` (listed with `start` as well), a dedicated action handler, one
/// handler that is both `any` and a collector, and a collector.
#[derive(Default)]
struct Reconciler;

impl Charm for Reconciler {
    type Config = crate::config::NoConfig;
    const ENDPOINTS: &'static [DeclaredEndpoint] = &[];
    const HANDLERS: &'static [Handler<Self>] = &[
        Handler {
            name: "reconcile",
            on: &[On::Start, On::Any],
            call: |_, m| {
                ran(format!("reconcile {}", m.event().hook_name()));
                Ok(())
            },
        },
        Handler {
            name: "go",
            on: &[On::Action("go")],
            call: |_, _| {
                ran("go".into());
                Ok(())
            },
        },
        Handler {
            name: "both",
            on: &[On::Any, On::CollectStatus],
            call: |_, _| {
                ran("both".into());
                Ok(())
            },
        },
        Handler {
            name: "status",
            on: &[On::CollectStatus],
            call: |_, _| {
                ran("status".into());
                Ok(())
            },
        },
    ];
    fn metadata() -> CharmMetadata {
        meta("rec")
    }
}

#[test]
fn any_runs_once_for_every_hook_but_not_for_actions() {
    for (event, hook) in [
        (Event::Start, "start"),
        (Event::UpdateStatus, "update-status"),
        (Event::Stop, "stop"),
        (
            relation_event(RelationEventKind::Broken, "db"),
            "db-relation-broken",
        ),
    ] {
        let out = dispatch::<Reconciler>(&env("rec/0", event), &mut Scripted::default());
        assert!(matches!(out, Outcome::Committed), "{out:?}");
        // Once, though `start` matches two selectors; `both` once, with the collectors.
        assert_eq!(
            take_ran(),
            [format!("reconcile {hook}"), "both".into(), "status".into()]
        );
    }
    let out = dispatch::<Reconciler>(&env("rec/0", action("go")), &mut Scripted::default());
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    assert_eq!(take_ran(), ["go", "both", "status"]);
    // Nothing in the restricted context.
    let out = dispatch::<Reconciler>(
        &env("rec/0", Event::CollectMetrics),
        &mut Scripted::default(),
    );
    assert!(matches!(out, Outcome::Unhandled), "{out:?}");
    assert!(take_ran().is_empty());
}

#[test]
fn any_matches_every_hook_kind_but_actions_and_restricted() {
    let hooks = [
        Event::Install,
        Event::Start,
        Event::Stop,
        Event::Remove,
        Event::ConfigChanged,
        Event::UpdateStatus,
        Event::UpgradeCharm,
        Event::LeaderElected,
        Event::LeaderSettingsChanged,
        Event::PreSeriesUpgrade,
        Event::PostSeriesUpgrade,
        relation_event(RelationEventKind::Created, "x"),
    ];
    for e in &hooks {
        assert!(On::Any.matches(e), "{e:?}");
    }
    assert!(!On::Any.matches(&action("go")));
    assert!(!On::Any.matches(&Event::CollectMetrics));
}
