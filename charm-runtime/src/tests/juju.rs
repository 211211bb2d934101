//! Storage, networks, resources, the cloud credential, goal state, reboots, charm state
//! and action results: exact argv, output parsing, per-dispatch caching, error mapping.

use super::{env, Fake};
use crate::cloud::CredentialError;
use crate::dispatch::{dispatch, Charm, Handler, On, Outcome};
use crate::event::{ActionEvent, Event, StorageEvent, StorageEventKind};
use crate::hooktools::{cmd, ToolCall, ToolError};
use crate::metadata::CharmMetadata;
use crate::model::Model;
use crate::network::{Address, NetworkError, Subnet};
use crate::relation::{DeclaredEndpoint, Endpoint, Own, Peer, Relation, Requires};

const DB: Endpoint<Requires> = Endpoint::requires("db");
use crate::resource::ResourceError;
use crate::state::{StateError, MAX_VALUE_BYTES};
use crate::storage::{Storage, StorageError, StorageKind};
use crate::Result;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

fn lines(calls: &[ToolCall]) -> Vec<String> {
    calls.iter().map(|c| c.argv().join(" ")).collect()
}

// ---- storage ------------------------------------------------------------------------------

fn storage_tools() -> Fake<impl FnMut(&ToolCall) -> Result<String, (i32, String)>> {
    Fake::new(|c: &ToolCall| match (c.tool, c.args.join(" ").as_str()) {
        ("storage-list", "--format=json data") => Ok(r#"["data/0","data/1"]"#.into()),
        ("storage-list", "--format=json logs") => Ok(r#"["logs/3"]"#.into()),
        ("storage-list", _) => Ok("[]".into()),
        ("storage-get", "--format=json -s data/1") => {
            Ok(r#"{"kind":"block","location":"/dev/sdb"}"#.into())
        }
        ("storage-get", a) => Err((
            2,
            format!(
                "ERROR invalid value \"{}\" for option -s: storage not found\n",
                a.rsplit(' ').next().unwrap()
            ),
        )),
        ("storage-add", "data=0") => Err((2, "ERROR only count can be specified\n".into())),
        ("storage-add", "cache=1") => Err((1, "ERROR storage \"cache\" not found\n".into())),
        ("storage-add", _) => Ok(String::new()),
        _ => Err((1, format!("ERROR unexpected {c}"))),
    })
}

#[test]
fn storage_calls_are_ops_argv_cached_and_name_the_storage() {
    let e = env(
        "app/0",
        Event::Storage(StorageEvent {
            kind: StorageEventKind::Attached,
            name: "logs".into(),
            index: 3,
            location: Some("/srv/logs".into()),
        }),
    );
    let mut t = storage_tools();
    let mut m = Model::new(&e, &mut t, &[]);
    let data = m.storages("data").unwrap();
    assert_eq!(data, [Storage::new("data", 0), Storage::new("data", 1)]);
    assert_eq!(m.storages("data").unwrap().len(), 2, "cached");
    assert_eq!(
        m.storage("data"),
        Err(StorageError::TooMany {
            name: "data".into(),
            count: 2
        })
    );
    assert_eq!(m.storage("none").unwrap(), None);
    let info = m.storage_info(&data[1]).unwrap();
    assert_eq!(info.kind, StorageKind::Block);
    assert_eq!(info.location, Path::new("/dev/sdb"));
    assert_eq!(m.storage_location(&data[1]).unwrap(), Path::new("/dev/sdb"));
    // The event's instance: its location comes from the environment, no call.
    let logs = m.event_storage().unwrap();
    assert_eq!(logs.id(), "logs/3");
    assert_eq!(m.storage_location(&logs).unwrap(), Path::new("/srv/logs"));
    let gone = m.storage_info(&Storage::new("data", 9)).unwrap_err();
    assert!(
        matches!(&gone, StorageError::NotAttached { storage, .. } if storage == "data/9"),
        "{gone:?}"
    );
    assert!(gone.to_string().contains("data/9"), "{gone}");
    m.add_storage("data", 2).unwrap();
    let zero = m.add_storage("data", 0).unwrap_err();
    assert!(zero.to_string().contains("at least 1"), "{zero}");
    let undeclared = m.add_storage("cache", 1).unwrap_err();
    assert!(
        matches!(&undeclared, StorageError::AddRefused { name, .. } if name == "cache"),
        "{undeclared:?}"
    );
    drop(m);
    assert_eq!(
        lines(&t.calls),
        [
            "storage-list --format=json data",
            "storage-list --format=json none",
            "storage-get --format=json -s data/1",
            "storage-get --format=json -s data/9",
            "storage-add data=2",
            "storage-add cache=1",
        ]
    );
}

// ---- network ------------------------------------------------------------------------------

const NETWORK: &str = r#"{
  "bind-addresses": [
    {"mac-address": "aa:bb", "interface-name": "eth0",
     "addresses": [{"hostname": "", "value": "10.1.2.3", "cidr": "10.1.2.0/24"},
                   {"hostname": "", "value": "fd00::3", "cidr": ""}]},
    {"interface-name": "lo", "addresses": [{"address": "127.0.0.1", "cidr": "127.0.0.0/8"}]}
  ],
  "egress-subnets": ["10.1.2.3/32"],
  "ingress-addresses": ["10.1.2.3", "web.internal"]
}"#;

#[test]
fn network_get_is_typed_as_ops_reads_it() {
    let mut t = Fake::new(|_: &ToolCall| Ok(NETWORK.to_string()));
    let net = cmd::network_get(&mut t, "website", Some(4)).unwrap();
    assert_eq!(lines(&t.calls), ["network-get --format=json -r 4 website"]);
    assert_eq!(net.interfaces.len(), 3, "one per address");
    let eth0 = &net.interfaces[0];
    assert_eq!(
        (eth0.name.as_str(), eth0.mac_address.as_str()),
        ("eth0", "aa:bb")
    );
    assert_eq!(
        net.bind_address(),
        Some(&Address::Ip("10.1.2.3".parse().unwrap()))
    );
    let subnet: Subnet = "10.1.2.0/24".parse().unwrap();
    assert_eq!(eth0.subnet, Some(subnet));
    assert!(subnet.contains("10.1.2.200".parse().unwrap()));
    assert!(!subnet.contains("10.1.3.1".parse().unwrap()));
    // An empty cidr: the address alone.
    assert_eq!(
        net.interfaces[1].subnet.map(|s| s.to_string()).as_deref(),
        Some("fd00::3/128")
    );
    // Juju < 2.9's `address`.
    assert_eq!(
        net.interfaces[2]
            .address
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("127.0.0.1")
    );
    assert_eq!(
        net.ingress_addresses[1],
        Address::Host("web.internal".into())
    );
    assert_eq!(net.egress_subnets[0].to_string(), "10.1.2.3/32");
}

#[test]
fn bindings_are_cached_and_errors_name_the_binding() {
    let mut t = Fake::new(|c: &ToolCall| match c.args.join(" ").as_str() {
        "--format=json db" | "--format=json juju-info" => Ok(NETWORK.to_string()),
        "--format=json -r 9 db" => Err((
            2,
            "ERROR invalid value \"9\" for option -r: relation not found\n".into(),
        )),
        "--format=json broken" => Ok(r#"{"egress-subnets": ["10.0.0.0/99"]}"#.into()),
        _ => Err((
            1,
            format!(
                "ERROR no network config found for binding \"{}\"\n",
                c.args.last().unwrap()
            ),
        )),
    });
    let e = env("app/0", Event::Start);
    let mut m = Model::new(&e, &mut t, &[]);
    m.binding("db").unwrap();
    m.binding("db").unwrap();
    // A relation Juju no longer knows: the endpoint's own network, as ops does.
    let gone = Relation::new(DB, 9);
    assert_eq!(m.relation_binding(&gone).unwrap().interfaces.len(), 3);
    let err = m.binding("nope").unwrap_err();
    assert!(
        matches!(&err, NetworkError::UnknownBinding { binding, .. } if binding == "nope"),
        "{err:?}"
    );
    let err = m.binding("broken").unwrap_err();
    assert!(
        matches!(&err, NetworkError::BadOutput { binding, problem } if binding == "broken" && problem.contains("prefix")),
        "{err:?}"
    );
    drop(m);
    assert_eq!(
        lines(&t.calls),
        [
            "network-get --format=json db",
            "network-get --format=json -r 9 db",
            "network-get --format=json nope",
            "network-get --format=json broken",
        ]
    );
}

// ---- resources, credentials, goal state -------------------------------------------------------

#[test]
fn resources_credentials_and_goal_state() {
    let mut t = Fake::new(|c: &ToolCall| {
        match (c.tool, c.args.join(" ").as_str()) {
        ("resource-get", "image") => Ok("/var/lib/juju/agents/unit-app-0/resources/image/image.tgz\n".into()),
        ("resource-get", _) => Err((1, "ERROR could not download resource: resource \"blob\" not found\n".into())),
        ("credential-get", _) => Ok(r#"{"type":"kubernetes","name":"k8s","credential":{"auth-type":"oauth2","attrs":{"Token":"tok-SECRET"}},"cacertificates":["PEM"],"is-controller-cloud":true}"#.into()),
        ("relation-model-get", _) => Ok(r#"{"uuid": "0a1b-remote"}"#.into()),
        ("goal-state", _) => Ok(r#"{"units":{"app/0":{"status":"active","since":"2026-01-04 06:29:46Z"},"app/1":{"status":"dying","since":"x"},"app/2":{"status":"waiting","since":"x"}},"relations":{"db":{"pg":{"status":"joined","since":"x"}}}}"#.into()),
        _ => Err((1, format!("ERROR unexpected {c}"))),
    }
    });
    let e = env("app/0", Event::Start);
    let mut m = Model::new(&e, &mut t, &[]);
    let p = m.resource("image").unwrap();
    assert!(p.ends_with("image/image.tgz"), "{}", p.display());
    m.resource("image").unwrap();
    let err = m.resource("blob").unwrap_err();
    assert!(
        matches!(&err, ResourceError::NotAvailable { resource, .. } if resource == "blob"),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("resource blob is not available"),
        "{err}"
    );
    let spec = m.cloud_spec().unwrap();
    assert_eq!(
        (spec.kind.as_str(), spec.name.as_str()),
        ("kubernetes", "k8s")
    );
    assert!(spec.is_controller_cloud);
    let cred = spec.credential.as_ref().unwrap();
    assert_eq!(cred.attributes["Token"], "tok-SECRET");
    assert!(!format!("{spec:?}").contains("tok-SECRET"), "{spec:?}");
    m.cloud_spec().unwrap();
    let goal = m.goal_state().unwrap();
    assert_eq!(goal.relations["db"]["pg"].status, "joined");
    assert_eq!(m.planned_units().unwrap(), 2, "dying units are not planned");
    let db = Relation::new(DB, 7);
    assert_eq!(m.remote_model_uuid(&db).unwrap(), "0a1b-remote");
    drop(m);
    assert_eq!(
        lines(&t.calls),
        [
            "resource-get image",
            "resource-get blob",
            "credential-get --format=json",
            "goal-state --format=json",
            "goal-state --format=json",
            "relation-model-get --format=json -r db:7",
        ]
    );
}

#[test]
fn credential_errors_say_trust_and_never_quote_the_output() {
    let mut t = Fake::new(|_: &ToolCall| {
        Err((
            1,
            "ERROR cannot access cloud credentials: permission denied\n".into(),
        ))
    });
    let e = env("app/0", Event::Start);
    let err = Model::new(&e, &mut t, &[]).cloud_spec().unwrap_err();
    assert!(
        matches!(&err, CredentialError::NotTrusted { app, .. } if app == "app"),
        "{err:?}"
    );
    assert!(err.to_string().contains("juju trust app"), "{err}");
    let mut t = Fake::new(|_: &ToolCall| Ok(r#"{"type": 3, "token": "tok-SECRET"}"#.into()));
    let err = cmd::credential_get(&mut t).unwrap_err();
    assert!(!err.to_string().contains("tok-SECRET"), "{err}");
}

// ---- reboot ------------------------------------------------------------------------------------

#[derive(Default)]
struct Rebooter;

const PEERS: Endpoint<Peer> = Endpoint::peer("peers");

impl Rebooter {
    fn now(&mut self, m: &mut Model) -> Result<()> {
        let r = m.relation(PEERS)?.expect("peers");
        m.set(&r, Own::Unit, "staged", "yes")?;
        m.save_state("staged", &true)?;
        m.reboot_now()?;
        unreachable!("reboot_now returns Err");
    }
    fn later(&mut self, m: &mut Model) -> Result<()> {
        m.reboot()?;
        Ok(())
    }
}

impl Charm for Rebooter {
    type Config = crate::config::NoConfig;
    const ENDPOINTS: &'static [DeclaredEndpoint] = &[PEERS.declared()];
    const HANDLERS: &'static [Handler<Self>] = &[
        Handler {
            name: "now",
            on: &[On::Install],
            call: |c, m| c.now(m),
        },
        Handler {
            name: "later",
            on: &[On::Start, On::Action("go")],
            call: |c, m| c.later(m),
        },
    ];
    fn metadata() -> CharmMetadata {
        CharmMetadata::default()
    }
}

fn reboot_tools() -> Fake<impl FnMut(&ToolCall) -> Result<String, (i32, String)>> {
    Fake::new(|c: &ToolCall| match c.tool {
        "relation-ids" => Ok(r#"["peers:1"]"#.into()),
        "relation-get" => Ok("{}".into()),
        "state-get" => Ok("{}".into()),
        "juju-reboot" => Ok(String::new()),
        _ => Err((1, format!("ERROR unexpected {c}"))),
    })
}

#[test]
fn reboot_now_stops_the_dispatch_and_applies_nothing() {
    let mut t = reboot_tools();
    let out = dispatch::<Rebooter>(&env("app/0", Event::Install), &mut t);
    assert!(matches!(out, Outcome::Rebooting), "{out:?}");
    assert_eq!(out.exit_code(), 0);
    assert_eq!(
        lines(&t.calls),
        [
            "relation-ids peers --format=json",
            "relation-get --format=json -r peers:1 - app/0",
            "state-get --format=json",
            "juju-reboot --now",
        ],
        "no relation-set, no state-set: nothing staged is applied"
    );
    let mut t = reboot_tools();
    let out = dispatch::<Rebooter>(&env("app/0", Event::Start), &mut t);
    assert!(matches!(out, Outcome::Committed), "{out:?}");
    assert_eq!(lines(&t.calls), ["juju-reboot"]);
    let mut t = reboot_tools();
    let action = Event::Action(ActionEvent {
        name: "go".into(),
        id: "1".into(),
    });
    let out = dispatch::<Rebooter>(&env("app/0", action), &mut t);
    let Outcome::Failed(e) = out else {
        panic!("{out:?}")
    };
    assert!(e.to_string().contains("not allowed in actions"), "{e}");
    assert!(
        !lines(&t.calls).iter().any(|l| l.starts_with("juju-reboot")),
        "refused before any call"
    );
}

// ---- charm state -------------------------------------------------------------------------------

#[derive(Serialize, Deserialize, Default, Debug, PartialEq)]
struct Counter {
    started: u64,
}

fn state_tools(
    initial: &'static str,
) -> Fake<impl FnMut(&ToolCall) -> Result<String, (i32, String)>> {
    Fake::new(move |c: &ToolCall| match c.tool {
        "state-get" => Ok(initial.into()),
        "state-set" | "state-delete" => Ok(String::new()),
        _ => Err((1, format!("ERROR unexpected {c}"))),
    })
}

#[test]
fn charm_state_is_read_once_staged_and_flushed_on_commit() {
    let mut t = state_tools(r#"{"counter": "{\"started\":4}", "old": "1", "same": "\"x\""}"#);
    let e = env("app/0", Event::Start);
    {
        let mut m = Model::new(&e, &mut t, &[]);
        let mut c: Counter = m.load_state("counter").unwrap();
        assert_eq!(c, Counter { started: 4 });
        c.started += 1;
        m.save_state("counter", &c).unwrap();
        // Reads see the staged value; the state is read once.
        assert_eq!(m.load_state::<Counter>("counter").unwrap().started, 5);
        assert_eq!(
            m.load_state::<Counter>("missing").unwrap(),
            Counter::default()
        );
        m.save_state("same", "x").unwrap();
        m.delete_state("old").unwrap();
        m.delete_state("never-there").unwrap();
        m.commit().unwrap();
    }
    assert_eq!(
        lines(&t.calls),
        [
            "state-get --format=json",
            "state-set --file -",
            "state-delete old",
        ]
    );
    assert_eq!(
        t.calls[1].stdin.as_deref(),
        Some(r#"{"counter": "{\"started\":5}"}"#),
        "only what changed"
    );
}

#[test]
fn charm_state_limits_and_errors_name_the_key() {
    let mut t = state_tools(r#"{"bad": "not json"}"#);
    let e = env("app/0", Event::Start);
    let mut m = Model::new(&e, &mut t, &[]);
    let err = m.load_state::<Counter>("bad").unwrap_err();
    assert!(
        matches!(&err, StateError::Decode { key, .. } if key == "bad"),
        "{err:?}"
    );
    let big = "x".repeat(MAX_VALUE_BYTES);
    let err = m.save_state("big", &big).unwrap_err();
    assert_eq!(
        err,
        StateError::ValueTooLarge {
            key: "big".into(),
            bytes: MAX_VALUE_BYTES + 2
        }
    );
    assert!(err.to_string().contains("65536"), "{err}");
    let long = "k".repeat(257);
    assert!(matches!(
        m.save_state(&long, &1),
        Err(StateError::KeyTooLong { .. })
    ));
    assert_eq!(m.load_state::<Counter>(""), Err(StateError::EmptyKey));
    let map: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
    assert!(matches!(
        m.save_state("map", &map),
        Err(StateError::Encode { .. })
    ));
    drop(m);
    assert_eq!(lines(&t.calls), ["state-get --format=json"]);
}

#[test]
fn a_failed_dispatch_writes_no_charm_state() {
    #[derive(Default)]
    struct Failing;
    impl Charm for Failing {
        type Config = crate::config::NoConfig;
        const ENDPOINTS: &'static [DeclaredEndpoint] = &[];
        const HANDLERS: &'static [Handler<Self>] = &[Handler {
            name: "count_then_fail",
            on: &[On::Start],
            call: |_, m| {
                m.save_state("counter", &Counter { started: 1 })?;
                Err(crate::Error::msg("boom"))
            },
        }];
        fn metadata() -> CharmMetadata {
            CharmMetadata::default()
        }
    }
    let mut t = state_tools("null");
    let out = dispatch::<Failing>(&env("app/0", Event::Start), &mut t);
    assert!(matches!(out, Outcome::Failed(_)));
    assert_eq!(lines(&t.calls), ["state-get --format=json"]);
}

// ---- action results ------------------------------------------------------------------------------

fn action_env() -> crate::event::HookEnv {
    env(
        "app/0",
        Event::Action(ActionEvent {
            name: "info".into(),
            id: "1".into(),
        }),
    )
}

#[test]
fn nested_results_are_flattened_and_checked_before_the_call() {
    #[derive(Serialize)]
    struct Db {
        host: String,
        port: u16,
        replicas: Vec<String>,
        password: Option<String>,
    }
    #[derive(Serialize)]
    struct Results {
        db: Db,
        ok: bool,
    }
    let mut t = Fake::new(|_: &ToolCall| Ok(String::new()));
    let e = action_env();
    let mut m = Model::new(&e, &mut t, &[]);
    m.set_results(&Results {
        db: Db {
            host: "10.0.0.1".into(),
            port: 5432,
            replicas: vec!["a".into(), "b".into()],
            password: None,
        },
        ok: true,
    })
    .unwrap();
    m.set_action_results([
        ("cfg", json!({"a": {"b": 1}, "c": "d"})),
        ("flat.key", json!("v")),
    ])
    .unwrap();
    let dup = m
        .set_action_results([("a.b", json!("1")), ("a", json!({"b": "2"}))])
        .unwrap_err();
    assert!(dup.to_string().contains("`a.b` is given twice"), "{dup}");
    let reserved = m.set_results(&json!({"out": {"stdout": "x"}})).unwrap_err();
    assert!(
        reserved.to_string().contains("`out.stdout` uses `stdout`"),
        "{reserved}"
    );
    let bad = m.set_results(&json!({"Host": "x"})).unwrap_err();
    assert!(bad.to_string().contains("`Host`"), "{bad}");
    let bad = m.set_results(&json!({"a": {"-b": "x"}})).unwrap_err();
    assert!(bad.to_string().contains("`a.-b`"), "{bad}");
    assert!(m.set_results(&"just a string").is_err());
    drop(m);
    assert_eq!(
        t.argv(),
        [
            vec![
                "action-set",
                "db.host=10.0.0.1",
                "db.port=5432",
                r#"db.replicas=["a","b"]"#,
                "ok=true"
            ],
            vec!["action-set", "cfg.a.b=1", "cfg.c=d", "flat.key=v"],
        ],
        "nothing is sent for rejected results"
    );
    // Values are redacted wherever the call is shown.
    assert_eq!(
        t.calls[0].to_string(),
        "action-set db.host=<redacted> db.port=<redacted> db.replicas=<redacted> ok=<redacted>"
    );
    let err = ToolError::from_exit(&t.calls[0], 1, "ERROR not running an action");
    assert!(!err.to_string().contains("10.0.0.1"), "{err}");
}
