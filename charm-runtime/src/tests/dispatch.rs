//! Routing, collect-status, commit-on-success and panic handling, with a hand-written
//! `Charm` impl (what `#[charm]` generates).

use super::{env, Scripted};
use crate::dispatch::{dispatch, Charm, Handler, On, Outcome};
use crate::event::{Event, RelationEvent, RelationEventKind};
use crate::metadata::CharmMetadata;
use crate::relation::{Bag, DeclaredEndpoint, Endpoint, Peer};
use crate::{status, Error, Model, Result};

#[derive(Default)]
struct Test {
    seen: Vec<&'static str>,
}

const PEER: Endpoint<Peer> = Endpoint::peer("peers");

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
    fn status(&mut self, m: &mut Model) -> Result<()> {
        assert_eq!(
            self.seen,
            ["write"],
            "collect-status runs last, on the same charm"
        );
        m.add_status(status::active("ok"));
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
            name: "status",
            on: &[On::CollectStatus],
            call: |c, m| c.status(m),
        },
    ];
    fn metadata() -> CharmMetadata {
        CharmMetadata {
            name: "test".into(),
            ..Default::default()
        }
    }
}

fn tools() -> Scripted {
    Scripted::default()
        .answer("relation-ids peers --format=json", r#"["peers:1"]"#)
        .answer("relation-get --format=json -r peers:1 - test/0", "{}")
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
            "status-set --application=False active -- ok",
        ]
    );
}

#[test]
fn relation_selector_matches_endpoint_and_kind() {
    let ev = |kind, endpoint: &str| {
        Event::Relation(RelationEvent {
            kind,
            endpoint: endpoint.into(),
            id: 1,
            remote_app: "test".into(),
            remote_unit: Some("test/1".into()),
            departing_unit: None,
        })
    };
    let mut t = tools();
    assert!(matches!(
        dispatch::<Test>(
            &env("test/0", ev(RelationEventKind::Changed, "peers")),
            &mut t
        ),
        Outcome::Committed
    ));
    for e in [
        ev(RelationEventKind::Joined, "peers"),
        ev(RelationEventKind::Changed, "other"),
    ] {
        let mut t = tools();
        assert!(matches!(
            dispatch::<Test>(&env("test/0", e), &mut t),
            Outcome::Unhandled
        ));
        assert!(t.calls.is_empty());
    }
}

#[test]
fn unhandled_event_calls_nothing() {
    let mut t = tools();
    let out = dispatch::<Test>(&env("test/0", Event::UpdateStatus), &mut t);
    assert!(matches!(out, Outcome::Unhandled));
    assert_eq!(out.exit_code(), 0);
    assert!(t.calls.is_empty());
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
    // The second handler never ran, nothing was written, no status was set.
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
