//! The per-dispatch model: caching, staged writes, access rules, typed bags, commit.

use super::{env, Scripted};
use crate::databag::{self, Databag, FieldError};
use crate::event::{Event, RelationEvent, RelationEventKind};
use crate::hooktools::cmd::BagData;
use crate::metadata::Role;
use crate::model::Model;
use crate::relation::{Bag, Endpoint, Relation, RelationError};
use crate::status;

const PEER: Endpoint = Endpoint::peer("fastapi-peer");
const DB: Endpoint = Endpoint::requires("database");
const ENDPOINTS: &[Endpoint] = &[PEER, DB];

fn peer_rel() -> Relation {
    Relation {
        endpoint: "fastapi-peer",
        id: 3,
        role: Role::Peer,
    }
}

fn db_rel() -> Relation {
    Relation {
        endpoint: "database",
        id: 7,
        role: Role::Requires,
    }
}

fn base(leader: bool) -> Scripted {
    Scripted::default()
        .answer(
            "is-leader --format=json",
            if leader { "true" } else { "false" },
        )
        .answer(
            "relation-ids fastapi-peer --format=json",
            r#"["fastapi-peer:3"]"#,
        )
        .answer("relation-ids database --format=json", r#"["database:7"]"#)
        .answer(
            "relation-get --format=json -r fastapi-peer:3 --app - demo",
            r#"{"unit_stats":"{\"started_counter\": 5}","other":"x"}"#,
        )
        .answer(
            "relation-get --format=json -r fastapi-peer:3 - demo/1",
            r#"{"ingress-address":"10.0.0.2","private-address":"10.0.0.2"}"#,
        )
        .answer(
            "relation-get --format=json -r database:7 --app - demo",
            "{}",
        )
        .answer("relation-list --format=json --app -r database:7", r#""pg""#)
        .answer(
            "relation-get --format=json -r database:7 --app - pg",
            r#"{"endpoints":"pg:5432","username":"u"}"#,
        )
}

#[test]
fn reads_are_cached_and_see_staged_writes() {
    let e = env("demo/1", Event::Start);
    let mut t = base(true);
    {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        let r = m.relation(PEER).unwrap().unwrap();
        assert_eq!(r, peer_rel());
        assert_eq!(m.relation(PEER).unwrap(), Some(peer_rel()));
        assert!(m.is_leader().unwrap());
        assert!(m.is_leader().unwrap());
        assert_eq!(m.get(&r, Bag::App, "other").unwrap().as_deref(), Some("x"));
        m.set(&r, Bag::App, "other", "y").unwrap();
        assert_eq!(m.get(&r, Bag::App, "other").unwrap().as_deref(), Some("y"));
        m.set(&r, Bag::App, "other", "").unwrap();
        assert_eq!(m.get(&r, Bag::App, "other").unwrap(), None);
        assert!(m.bag(&r, Bag::App).unwrap().contains_key("unit_stats"));
    }
    let lines = t.cmdlines();
    let count = |p: &str| lines.iter().filter(|l| l.starts_with(p)).count();
    assert_eq!(count("relation-ids"), 1, "{lines:#?}");
    assert_eq!(count("is-leader"), 1, "{lines:#?}");
    assert_eq!(count("relation-get"), 1, "{lines:#?}");
    assert_eq!(count("relation-set"), 0, "nothing is written before commit");
}

#[test]
fn commit_writes_one_relation_set_per_changed_bag_only() {
    let e = env("demo/1", Event::Start);
    let mut t = base(true);
    {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        let r = peer_rel();
        m.set(&r, Bag::App, "a", "1").unwrap();
        m.set(&r, Bag::App, "b", "2").unwrap();
        m.set(&r, Bag::App, "other", "x").unwrap(); // unchanged value: not sent
        m.set(&r, Bag::App, "missing", "").unwrap(); // deleting a missing key: not sent
        m.set(&r, Bag::Unit, "ingress-address", "10.0.0.2").unwrap(); // unchanged bag
        m.commit().unwrap();
    }
    let sets: Vec<_> = t
        .calls
        .iter()
        .filter(|c| c.tool == "relation-set")
        .collect();
    assert_eq!(sets.len(), 1, "{:#?}", t.cmdlines());
    assert_eq!(
        sets[0].to_string(),
        "relation-set -r fastapi-peer:3 --app --file -"
    );
    assert_eq!(sets[0].stdin.as_deref(), Some(r#"{"a":"1","b":"2"}"#));
}

#[test]
fn non_leader_cannot_write_app_bag_before_calling_juju() {
    let e = env("demo/1", Event::Start);
    let mut t = base(false);
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    let err = m.set(&peer_rel(), Bag::App, "k", "v").unwrap_err();
    assert!(matches!(err, RelationError::NotLeaderWrite { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("demo/1") && msg.contains("fastapi-peer:3") && msg.contains("application bag"),
        "{msg}"
    );
    // Peer app bags are readable by every unit.
    assert!(m
        .bag(&peer_rel(), Bag::App)
        .unwrap()
        .contains_key("unit_stats"));
    m.commit().unwrap();
    drop(m);
    assert!(!t.cmdlines().iter().any(|l| l.starts_with("relation-set")));
}

#[test]
fn non_leader_cannot_read_own_app_bag_of_non_peer_relation() {
    let e = env("demo/1", Event::Start);
    let mut t = base(false);
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    let err = m.bag(&db_rel(), Bag::App).unwrap_err();
    assert!(
        matches!(err, RelationError::NotLeaderRead { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("database:7"));
    // The remote app bag is fine, leader or not.
    assert_eq!(
        m.get(&db_rel(), Bag::RemoteApp, "username")
            .unwrap()
            .as_deref(),
        Some("u")
    );
    drop(m);
    assert!(
        !t.cmdlines().iter().any(|l| l.contains("--app - demo")),
        "{:#?}",
        t.cmdlines()
    );
}

#[test]
fn nobody_writes_remote_bags() {
    let e = env("demo/0", Event::Start);
    let mut t = base(true);
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    for bag in [Bag::RemoteApp, Bag::RemoteUnit("pg/0".into())] {
        let err = m.set(&db_rel(), bag.clone(), "k", "v").unwrap_err();
        assert!(matches!(err, RelationError::NotOwner { .. }), "{err:?}");
        assert!(err.to_string().contains(&bag.to_string()));
    }
    assert!(matches!(
        m.set(&db_rel(), Bag::Unit, "", "v").unwrap_err(),
        RelationError::EmptyKey { .. }
    ));
}

#[test]
fn remote_app_comes_from_the_event_when_it_can() {
    let ev = Event::Relation(RelationEvent {
        kind: RelationEventKind::Changed,
        endpoint: "database".into(),
        id: 7,
        remote_app: "pg".into(),
        remote_unit: Some("pg/0".into()),
        departing_unit: None,
    });
    let e = env("demo/0", ev);
    let mut t = base(true);
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    let r = m.event_relation().unwrap().unwrap();
    assert_eq!(r, db_rel());
    assert_eq!(m.remote_app(&r).unwrap(), "pg");
    assert_eq!(m.remote_app(&peer_rel()).unwrap(), "demo");
    drop(m);
    assert!(!t.cmdlines().iter().any(|l| l.starts_with("relation-list")));
}

#[test]
fn too_many_relations_is_an_error() {
    let e = env("demo/0", Event::Start);
    let mut t = Scripted::default().answer(
        "relation-ids database --format=json",
        r#"["database:1","database:2"]"#,
    );
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    assert_eq!(m.relations(DB).unwrap().len(), 2);
    let err = m.relation(DB).unwrap_err();
    assert!(
        err.to_string()
            .contains("endpoint database has 2 relations"),
        "{err}"
    );
}

#[derive(Debug, PartialEq)]
struct Stats {
    unit_stats: Option<serde_json::Value>,
    count: u32,
}

impl Databag for Stats {
    const KEYS: &'static [&'static str] = &["unit_stats", "count"];
    fn from_bag(bag: &BagData) -> Result<Self, FieldError> {
        Ok(Stats {
            unit_stats: databag::read_optional_field(bag, "unit_stats")?,
            count: databag::read_field(bag, "count")?,
        })
    }
    fn to_bag(&self) -> Result<BagData, FieldError> {
        let mut b = BagData::new();
        databag::write_optional_field(&mut b, "unit_stats", &self.unit_stats)?;
        databag::write_field(&mut b, "count", &self.count)?;
        Ok(b)
    }
}

#[test]
fn typed_bags_decode_errors_name_relation_bag_and_key() {
    let e = env("demo/0", Event::Start);
    let mut t = base(true).answer(
        "relation-get --format=json -r fastapi-peer:3 - demo/0",
        r#"{"count":"not json","private-address":"10.1.1.1"}"#,
    );
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    let err = m.load::<Stats>(&peer_rel(), Bag::Unit).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("fastapi-peer:3") && msg.contains("unit bag") && msg.contains("`count`"),
        "{msg}"
    );
    let err = m.load::<Stats>(&peer_rel(), Bag::App).unwrap_err();
    assert!(err.to_string().contains("`count`: missing"), "{err}");
    // Saving writes JSON values in Python's format; None deletes.
    m.save(
        &peer_rel(),
        Bag::App,
        &Stats {
            unit_stats: Some(serde_json::json!({"started_counter": 6})),
            count: 2,
        },
    )
    .unwrap();
    let bag = m.bag(&peer_rel(), Bag::App).unwrap();
    assert_eq!(bag["unit_stats"], r#"{"started_counter": 6}"#);
    assert_eq!(bag["count"], "2");
    assert_eq!(bag["other"], "x", "undeclared keys are left alone");
    m.save(
        &peer_rel(),
        Bag::App,
        &Stats {
            unit_stats: None,
            count: 2,
        },
    )
    .unwrap();
    assert!(!m
        .bag(&peer_rel(), Bag::App)
        .unwrap()
        .contains_key("unit_stats"));
    // Juju's own keys are ignored by the untyped databag.
    let raw: BagData = m
        .load(&peer_rel(), Bag::RemoteUnit("demo/1".into()))
        .unwrap();
    assert!(raw.is_empty(), "{raw:?}");
}

#[test]
fn statuses_collected_and_set_once_app_only_on_leader() {
    let e = env("demo/0", Event::Start);
    let mut t = base(false);
    {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        m.add_status(status::active(""));
        m.add_status(status::blocked("first"));
        m.add_status(status::blocked("second"));
        m.add_app_status(status::waiting("app"));
        m.commit().unwrap();
    }
    let sets: Vec<_> = t
        .cmdlines()
        .into_iter()
        .filter(|l| l.starts_with("status-set"))
        .collect();
    assert_eq!(
        sets,
        vec!["status-set --application=False blocked -- first"]
    );

    let mut t = base(true);
    {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        m.add_app_status(status::active("ok"));
        m.add_app_status(status::maintenance("busy"));
        m.commit().unwrap();
    }
    assert_eq!(
        t.cmdlines(),
        vec![
            "is-leader --format=json",
            "status-set --application=True maintenance -- busy"
        ]
    );
}

#[test]
fn ports_are_staged_and_deduplicated() {
    let e = env("demo/0", Event::ConfigChanged);
    let mut t = base(true).answer("opened-ports --format=json", r#"["8000/tcp","9000/tcp"]"#);
    {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        m.set_ports(&[crate::Port::Tcp(8080)]).unwrap();
        m.open_port(crate::Port::Tcp(8080));
        m.commit().unwrap();
    }
    assert_eq!(
        t.cmdlines(),
        vec![
            "opened-ports --format=json",
            "close-port 8000/tcp",
            "close-port 9000/tcp",
            "open-port 8080/tcp"
        ]
    );
}

#[test]
fn a_failing_write_at_commit_is_an_error() {
    let e = env("demo/0", Event::Start);
    let mut t = base(true).fail(
        "relation-set -r fastapi-peer:3 --app --file -",
        1,
        "ERROR cannot write relation settings",
    );
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    m.set(&peer_rel(), Bag::App, "k", "v").unwrap();
    m.add_status(status::active(""));
    let err = m.commit().unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    drop(m);
    assert!(!t.cmdlines().iter().any(|l| l.starts_with("status-set")));
}

#[test]
fn actions_params_results_log_fail() {
    use crate::event::ActionEvent;
    let e = env(
        "demo/0",
        Event::Action(ActionEvent {
            name: "get-db-info".into(),
            id: "1".into(),
        }),
    );
    let mut t = Scripted::default()
        .answer("action-get --format=json", r#"{"show-password": true}"#)
        .answer("action-set db-host=<redacted> db-port=<redacted>", "")
        .answer("action-log -- <redacted>", "")
        .answer("action-fail -- No database connected", "");
    {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "kebab-case")]
        struct P {
            show_password: bool,
        }
        assert!(m.action_params::<P>().unwrap().show_password);
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Wrong {
            limit: u32,
        }
        let err = m.action_params::<Wrong>().unwrap_err().to_string();
        assert!(
            err.contains("get-db-info") && err.contains("limit"),
            "{err}"
        );
        m.set_action_results([("db-host", "h"), ("db-port", "5432")])
            .unwrap();
        assert!(m
            .set_action_results([("Bad_Key", "x")])
            .unwrap_err()
            .to_string()
            .contains("Bad_Key"));
        assert!(m
            .set_action_results([("stdout", "x")])
            .unwrap_err()
            .to_string()
            .contains("reserved"));
        m.action_log("fetching").unwrap();
        m.action_fail("No database connected").unwrap();
    }
    // Messages show results and progress redacted, as ops does; the tools get them.
    assert_eq!(
        t.cmdlines(),
        [
            "action-get --format=json",
            "action-set db-host=<redacted> db-port=<redacted>",
            "action-log -- <redacted>",
            "action-fail -- No database connected"
        ]
    );
    assert_eq!(
        t.calls[1].argv(),
        ["action-set", "db-host=h", "db-port=5432"]
    );
    assert_eq!(t.calls[2].argv(), ["action-log", "--", "fetching"]);
}

#[test]
fn set_ports_leaves_open_ports_alone() {
    let e = env("demo/0", Event::ConfigChanged);
    let mut t = base(true).answer("opened-ports --format=json", r#"["8000/tcp"]"#);
    {
        let mut m = Model::new(&e, &mut t, ENDPOINTS);
        m.set_ports(&[crate::Port::Tcp(8000)]).unwrap();
        m.commit().unwrap();
    }
    assert_eq!(t.cmdlines(), vec!["opened-ports --format=json"]);
}
