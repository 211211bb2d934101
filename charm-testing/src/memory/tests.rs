//! charm-runtime's real `dispatch` over [`MemoryTools`]: the runtime and jujuc's model of
//! Juju agree on argv, outputs, errors and commit.

use super::MemoryTools;
use charm_runtime::dispatch::{dispatch, Charm, Handler, On, Outcome};
use charm_runtime::event::{Event, HookEnv, RelationEvent, RelationEventKind};
use charm_runtime::metadata::CharmMetadata;
use charm_runtime::relation::{Bag, DeclaredEndpoint, Endpoint, Own, Peer, Requires};
use charm_runtime::{status, Model, Result};
use jujuc::{commit, HookContext, HookInfo, RelationWorld, UnitWorld};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn bag(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Unit `app/0` (the leader) with peer relation `peers:1` (peer `app/1`) and `db:4` to `pg`
/// (units `pg/0`, `pg/1`).
fn world() -> UnitWorld {
    UnitWorld {
        unit: "app/0".into(),
        leader: true,
        model_name: "m".into(),
        model_uuid: "11111111-2222-3333-4444-555555555555".into(),
        relations: vec![
            RelationWorld {
                id: 1,
                endpoint: "peers".into(),
                peer: true,
                remote_app: "app".into(),
                local_app_data: bag(&[("shared", "yes")]),
                local_unit_data: bag(&[("me", "0")]),
                remote_app_data: bag(&[("shared", "yes")]),
                remote_units: [("app/1".to_string(), bag(&[("me", "1")]))]
                    .into_iter()
                    .collect(),
                alive: true,
                remote_model_uuid: None,
            },
            RelationWorld {
                id: 4,
                endpoint: "db".into(),
                peer: false,
                remote_app: "pg".into(),
                local_app_data: bag(&[("db-name", "demo")]),
                local_unit_data: bag(&[("ingress", "10.1.0.5")]),
                remote_app_data: bag(&[("user", "u1"), ("password", "p1")]),
                remote_units: [
                    ("pg/0".to_string(), bag(&[("host", "10.0.0.1")])),
                    ("pg/1".to_string(), bag(&[("host", "10.0.0.2")])),
                ]
                .into_iter()
                .collect(),
                alive: true,
                remote_model_uuid: None,
            },
        ],
        ..Default::default()
    }
}

const PEERS: Endpoint<Peer> = Endpoint::peer("peers");
const DB: Endpoint<Requires> = Endpoint::requires("db");

/// A charm written as `#[charm]` would generate it.
#[derive(Default)]
struct Demo;

impl Demo {
    /// The leader shares a value through the peer application bag; every unit records its
    /// own address and copies the database user it sees in the remote application bag.
    fn start(&mut self, m: &mut Model) -> Result<()> {
        let peers = m.relation(PEERS)?.expect("peer relation");
        if let Some(leader) = m.leader()? {
            m.set(&peers, Own::App(leader), "cluster", "formed")?;
        }
        m.set(&peers, Bag::Unit, "address", "10.0.0.7")?;
        let db = m.relation(DB)?;
        if let Some(db) = db {
            let user = m.get(&db, Bag::RemoteApp, "user")?.unwrap_or_default();
            m.set(&db, Bag::Unit, "seen-user", user)?;
        }
        m.open_port(charm_runtime::Port::Tcp(8080));
        m.add_status(status::active("started"));
        Ok(())
    }

    fn changed(&mut self, m: &mut Model) -> Result<()> {
        let r = m.event_relation(DB)?.expect("relation event");
        let units = m.units(&r)?;
        let host = m.get(&r, Bag::RemoteUnit(units[0]), "host")?;
        m.log(charm_runtime::LogLevel::Info, format!("host {host:?}"))?;
        m.add_status(status::waiting("for more"));
        Ok(())
    }
}

impl Charm for Demo {
    type Config = charm_runtime::NoConfig;
    const ENDPOINTS: &'static [DeclaredEndpoint] = &[PEERS.declared(), DB.declared()];
    const HANDLERS: &'static [Handler<Self>] = &[
        Handler {
            name: "start",
            on: &[On::Start],
            call: |c, m| c.start(m),
        },
        Handler {
            name: "changed",
            on: &[On::Relation(RelationEventKind::Changed, "db")],
            call: |c, m| c.changed(m),
        },
    ];
    fn metadata() -> CharmMetadata {
        CharmMetadata {
            name: "app".into(),
            ..Default::default()
        }
    }
}

fn env(w: &UnitWorld, event: Event) -> HookEnv {
    HookEnv {
        unit_name: w.unit.clone(),
        app_name: "app".into(),
        unit_number: 0,
        model_name: w.model_name.clone(),
        model_uuid: w.model_uuid.clone(),
        juju_version: "3.6.4".into(),
        charm_dir: PathBuf::from("."),
        dispatch_path: format!("hooks/{}", event.hook_name()),
        hook_name: event.hook_name(),
        context_id: None,
        event,
        pebble: Default::default(),
    }
}

fn run(w: &mut UnitWorld, h: &mut HookContext, event: Event) -> Outcome {
    let env = env(w, event);
    let mut tools = MemoryTools {
        world: &mut *w,
        hook: &mut *h,
    };
    let out = dispatch::<Demo>(&env, &mut tools);
    if matches!(out, Outcome::Committed) {
        commit(w, h);
    }
    out
}

fn start_hook() -> HookContext {
    HookContext {
        info: HookInfo {
            hook: "start".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn argv0(h: &HookContext) -> Vec<String> {
    h.calls.iter().map(|c| c.argv.join(" ")).collect()
}

#[test]
fn leader_writes_the_peer_app_bag_and_commit_applies_it() {
    let mut w = world();
    let mut h = start_hook();
    let out = run(&mut w, &mut h, Event::Start);
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    let peers = w.relations.iter().find(|r| r.id == 1).unwrap();
    assert_eq!(
        peers.local_app_data,
        bag(&[("cluster", "formed"), ("shared", "yes")])
    );
    assert_eq!(peers.remote_app_data, peers.local_app_data);
    assert_eq!(
        peers.local_unit_data,
        bag(&[("address", "10.0.0.7"), ("me", "0")])
    );
    let db = w.relations.iter().find(|r| r.id == 4).unwrap();
    assert_eq!(db.local_unit_data["seen-user"], "u1");
    assert!(w.opened_ports.contains("8080/tcp"));
    assert_eq!(
        (
            w.unit_status.status.as_str(),
            w.unit_status.message.as_str()
        ),
        ("active", "started")
    );
    // Every call succeeded, and the runtime issued exactly the argv of §2.
    assert!(h.calls.iter().all(|c| c.code == 0), "{:?}", h.calls);
    let calls = argv0(&h);
    assert!(
        calls.contains(&"relation-set -r peers:1 --app --file -".to_string()),
        "{calls:?}"
    );
    assert!(
        calls.contains(&"open-port 8080/tcp".to_string()),
        "{calls:?}"
    );
    assert_eq!(
        calls.last().unwrap(),
        "status-set --application=False active -- started"
    );
}

/// A non-leader has no `Leader` proof, so the charm cannot write the application bag (the
/// runtime's own check of a stale proof is a charm-runtime unit test): its start commits
/// its unit bag and leaves the application bag alone.
#[test]
fn a_non_leader_writes_its_unit_bag_and_never_the_app_bag() {
    let mut w = world();
    w.leader = false;
    let before = w.clone();
    let mut h = start_hook();
    let out = run(&mut w, &mut h, Event::Start);
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    let calls = argv0(&h);
    assert!(
        !calls
            .iter()
            .any(|c| c.starts_with("relation-set -r peers:1 --app")),
        "{calls:?}"
    );
    assert!(
        calls.contains(&"relation-set -r peers:1 --file -".to_string()),
        "{calls:?}"
    );
    let peers = |w: &UnitWorld| w.relations.iter().find(|r| r.id == 1).unwrap().clone();
    assert_eq!(peers(&w).local_app_data, peers(&before).local_app_data);
    assert_eq!(peers(&w).local_unit_data["address"], "10.0.0.7");
}

#[test]
fn relation_hook_defaults_flow_through_the_runtime() {
    let mut w = world();
    let mut h = HookContext {
        info: HookInfo {
            hook: "db-relation-changed".into(),
            relation_id: Some(4),
            remote_unit: Some("pg/1".into()),
            remote_app: Some("pg".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let event = Event::Relation(RelationEvent {
        kind: RelationEventKind::Changed,
        endpoint: "db".into(),
        id: 4,
        remote_app: "pg".into(),
        remote_unit: Some("pg/1".into()),
        departing_unit: None,
    });
    let out = run(&mut w, &mut h, event);
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    assert_eq!(
        h.logs,
        vec![(
            "INFO".to_string(),
            "db:4: host Some(\"10.0.0.1\")".to_string()
        )]
    );
    assert_eq!(w.unit_status.status, "waiting");
}
