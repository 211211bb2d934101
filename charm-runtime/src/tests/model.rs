//! The per-dispatch model: caching, staged writes, access rules, typed bags, commit.

use super::{env, Scripted};
use crate::databag::{self, Databag, FieldError};
use crate::event::{Event, RelationEvent, RelationEventKind};
use crate::hooktools::cmd::BagData;
use crate::model::Model;
use crate::params::{ActionParams, ParamError};
use crate::relation::{
    Bag, DeclaredEndpoint, Endpoint, Leader, Own, Peer, Relation, RelationError, Requires, UnitId,
};
use crate::status;
use serde_json::{Map, Value};

const PEER: Endpoint<Peer> = Endpoint::peer("fastapi-peer");
const DB: Endpoint<Requires> = Endpoint::requires("database");
const ENDPOINTS: &[DeclaredEndpoint] = &[PEER.declared(), DB.declared()];

fn peer_rel() -> Relation<Peer> {
    Relation::new(PEER, 3)
}

fn db_rel() -> Relation<Requires> {
    Relation::new(DB, 7)
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
        let leader = m.leader().unwrap().expect("the leader");
        assert_eq!(m.get(&r, Bag::App, "other").unwrap().as_deref(), Some("x"));
        m.set(&r, Own::App(leader), "other", "y").unwrap();
        assert_eq!(m.get(&r, Bag::App, "other").unwrap().as_deref(), Some("y"));
        m.set(&r, Own::App(leader), "other", "").unwrap();
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
        let app = Own::App(m.leader().unwrap().unwrap());
        m.set(&r, app, "a", "1").unwrap();
        m.set(&r, app, "b", "2").unwrap();
        m.set(&r, app, "other", "x").unwrap(); // unchanged value: not sent
        m.set(&r, app, "missing", "").unwrap(); // deleting a missing key: not sent
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
    assert_eq!(sets[0].stdin.as_deref(), Some(r#"{"a": "1", "b": "2"}"#));
}

/// Without leadership there is no `Leader`; one carried over from another dispatch (made
/// here by hand) is refused before Juju is called.
#[test]
fn non_leader_cannot_write_app_bag_before_calling_juju() {
    let e = env("demo/1", Event::Start);
    let mut t = base(false);
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    assert_eq!(m.leader().unwrap(), None);
    let stale = Own::App(Leader::proof());
    let err = m.set(&peer_rel(), stale, "k", "v").unwrap_err();
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
    let err = m.bag(&db_rel(), Own::App(Leader::proof())).unwrap_err();
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

/// Remote bags have no `WriteBag` impl (a compile error, see the trybuild cases); the
/// model's own check still refuses them, naming the bag.
#[test]
fn nobody_writes_remote_bags() {
    use crate::relation::Sel;
    let e = env("demo/0", Event::Start);
    let mut t = base(true);
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    for (sel, bag) in [
        (Sel::RemoteApp, "remote application bag"),
        (Sel::RemoteUnit(0), "bag of remote unit #0"),
    ] {
        let err = m
            .set_sel(&db_rel(), sel, [("k".into(), "v".into())].into())
            .unwrap_err();
        assert!(matches!(err, RelationError::NotOwner { .. }), "{err:?}");
        assert!(err.to_string().contains(bag), "{err}");
    }
    assert!(matches!(
        m.set(&db_rel(), Bag::Unit, "", "v").unwrap_err(),
        RelationError::EmptyKey { .. }
    ));
    drop(m);
    assert!(t.cmdlines().is_empty(), "{:#?}", t.cmdlines());
}

/// Remote units are `Copy` numbers; their bags are read from `app/N` of the relation's
/// remote application (named by a listed unit, so no `relation-list --app`).
#[test]
fn remote_units_are_numbers_of_the_remote_app() {
    let e = env("demo/0", Event::Start);
    let mut t = base(true)
        .answer(
            "relation-list --format=json -r database:7",
            r#"["pg/0","pg/3"]"#,
        )
        .answer(
            "relation-get --format=json -r database:7 - pg/3",
            r#"{"host":"10.0.0.9"}"#,
        );
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    let units = m.units(&db_rel()).unwrap();
    assert_eq!(units, [UnitId(0), UnitId(3)]);
    let last = units[1];
    assert_eq!(
        m.get(&db_rel(), Bag::RemoteUnit(last), "host")
            .unwrap()
            .as_deref(),
        Some("10.0.0.9")
    );
    assert_eq!(m.remote_unit_name(&db_rel(), last).unwrap(), "pg/3");
    drop(m);
    assert!(!t.cmdlines().iter().any(|l| l.contains("--app -r")));
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
    assert_eq!(m.event_relation(PEER).unwrap(), None);
    let r = m.event_relation(DB).unwrap().unwrap();
    assert_eq!(r, db_rel());
    assert_eq!(m.event_unit(), Some(UnitId(0)));
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
    const REQUIRED: &'static [&'static str] = &["count"];
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
    let err = m.load::<Stats, _>(&peer_rel(), Bag::Unit).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("fastapi-peer:3") && msg.contains("unit bag") && msg.contains("`count`"),
        "{msg}"
    );
    let err = m.load::<Stats, _>(&peer_rel(), Bag::App).unwrap_err();
    assert!(err.to_string().contains("`count`: missing"), "{err}");
    // Saving writes JSON values in Python's format; None deletes.
    let app = Own::App(m.leader().unwrap().unwrap());
    m.save(
        &peer_rel(),
        app,
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
        app,
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
    let raw: BagData = m.load(&peer_rel(), Bag::RemoteUnit(UnitId(1))).unwrap();
    assert!(raw.is_empty(), "{raw:?}");
}

/// `Option<D>`: `None` while a required key is missing, an error naming the key when one
/// is there but wrong, `Some` once complete; saving `None` deletes every declared key.
#[test]
fn an_optional_bag_waits_for_its_required_keys() {
    let e = env("demo/0", Event::Start);
    let mut t = base(true)
        .answer(
            "relation-get --format=json -r fastapi-peer:3 - demo/0",
            r#"{"count":"1","unit_stats":"{}","private-address":"10.1.1.1"}"#,
        )
        .answer(
            "relation-get --format=json -r fastapi-peer:3 - demo/1",
            r#"{"unit_stats":"nope","count":"7"}"#,
        );
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    // The application bag has `unit_stats` but not `count`: not there yet.
    let waiting: Option<Stats> = m.load(&peer_rel(), Bag::App).unwrap();
    assert_eq!(waiting, None);
    // Complete, and read as `Stats` reads it.
    let unit: Option<Stats> = m.load(&peer_rel(), Bag::Unit).unwrap();
    assert_eq!(
        unit,
        Some(Stats {
            unit_stats: Some(serde_json::json!({})),
            count: 1
        })
    );
    // Complete but wrong: the error names the key.
    let err = m
        .load::<Option<Stats>, _>(&peer_rel(), Bag::RemoteUnit(UnitId(1)))
        .unwrap_err();
    assert!(
        err.to_string().contains("key `unit_stats`: cannot decode"),
        "{err}"
    );
    // Saving `None` deletes both keys; undeclared keys stay.
    m.save(&peer_rel(), Bag::Unit, &None::<Stats>).unwrap();
    let bag = m.bag(&peer_rel(), Bag::Unit).unwrap();
    assert!(
        !bag.contains_key("unit_stats") && !bag.contains_key("count"),
        "{bag:?}"
    );
    assert_eq!(bag["private-address"], "10.1.1.1");
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
    m.set(&peer_rel(), Own::App(Leader::proof()), "k", "v")
        .unwrap();
    m.add_status(status::active(""));
    let err = m.commit().unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    drop(m);
    assert!(!t.cmdlines().iter().any(|l| l.starts_with("status-set")));
}

/// What `#[derive(ActionParams)]` generates, by hand (the derive names `::charm_runtime`).
struct P {
    show_password: bool,
}

impl ActionParams for P {
    fn params() -> Vec<crate::metadata::ActionParam> {
        vec![crate::params::param::<bool>(
            "show-password",
            "",
            Some(false),
        )]
    }
    fn from_params(values: &Map<String, Value>) -> Result<Self, ParamError> {
        Ok(P {
            show_password: crate::params::read_param(values, "show-password", Some(false))?,
        })
    }
}

#[derive(Debug)]
struct Wrong;

impl ActionParams for Wrong {
    fn params() -> Vec<crate::metadata::ActionParam> {
        Vec::new()
    }
    fn from_params(values: &Map<String, Value>) -> Result<Self, ParamError> {
        crate::params::read_param::<u32>(values, "limit", None)?;
        Ok(Wrong)
    }
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
        assert!(m.action_params::<P>().unwrap().show_password);
        let err = m.action_params::<Wrong>().unwrap_err().to_string();
        assert_eq!(
            err,
            "action `get-db-info`: parameter `limit`: missing, and it has no default"
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

/// In `-relation-broken` the broken relation is not among the endpoint's relations (Juju
/// before 3.4 still lists it in `relation-ids`), as ops leaves it out of `Model.relations`;
/// the event still names it, and other endpoints are unaffected.
#[test]
fn broken_relation_is_left_out_during_its_broken_hook() {
    let broken = Event::Relation(RelationEvent {
        kind: RelationEventKind::Broken,
        endpoint: "database".into(),
        id: 7,
        remote_app: "pg".into(),
        remote_unit: None,
        departing_unit: None,
    });
    let e = env("demo/1", broken);
    let mut t = base(true);
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    assert_eq!(m.relation(DB).unwrap(), None);
    assert_eq!(m.event_relation(DB).unwrap(), Some(db_rel()));
    assert_eq!(m.relation(PEER).unwrap(), Some(peer_rel()));
    // Any other relation hook lists it.
    let changed = Event::Relation(RelationEvent {
        kind: RelationEventKind::Changed,
        endpoint: "database".into(),
        id: 7,
        remote_app: "pg".into(),
        remote_unit: Some("pg/0".into()),
        departing_unit: None,
    });
    let e = env("demo/1", changed);
    let mut t = base(true);
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    assert_eq!(m.relation(DB).unwrap(), Some(db_rel()));
}

/// `ok_or_blocked`: the value, or a `blocked` status naming the input and no value.
#[test]
fn ok_or_blocked_reports_bad_input_as_blocked() {
    let e = env("demo/1", Event::UpdateStatus);
    let mut t = base(true);
    let mut m = Model::new(&e, &mut t, ENDPOINTS);
    let port = m.ok_or_blocked("Invalid port", |_| "8080".parse::<u16>());
    assert_eq!(port, Some(8080));
    let port = m.ok_or_blocked("Invalid port", |_| "80800".parse::<u16>());
    assert_eq!(port, None);
    // The closure gets the model, for reads that need it.
    let db = m.ok_or_blocked("Invalid database relation data", |m| {
        let rel = m.relation(DB)?.expect("related");
        let bag = m.bag(&rel, Bag::RemoteApp)?;
        bag.get("password")
            .cloned()
            .ok_or(crate::Error::msg("no `password`"))
    });
    assert_eq!(db, None);
    m.commit().unwrap();
    assert_eq!(
        t.cmdlines().last().unwrap(),
        "status-set --application=False blocked -- Invalid port: number too large to fit in target type"
    );
}
