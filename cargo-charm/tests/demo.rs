//! The demo charm on the simulator: Juju's deploy order, the start counter in the peer
//! application bag, pod churn, non-leaders, relations, actions.

mod common;

use common::*;

const APP: &str = "demo-api-charm";

fn unit_hooks(m: &Model, unit: &str, from: usize) -> Vec<String> {
    m.hooks()
        .into_iter()
        .skip(from)
        .filter(|(u, _)| u == unit)
        .map(|(_, h)| h)
        .collect()
}

#[test]
fn deploy_two_units_counts_starts_and_pod_churn_adds_one() {
    let m = Model::new("demo-deploy");
    let charm = demo_charm().to_str().unwrap();
    m.sim(&["deploy", charm, "-n", "2"]).ok();

    // Juju's deploy order (§4.1), then the peers join.
    let leader_hooks = unit_hooks(&m, "demo-api-charm/0", 0);
    assert_eq!(
        leader_hooks,
        [
            "install",
            "fastapi-peer-relation-created",
            "leader-elected",
            "config-changed",
            "start",
            "demo-server-pebble-ready",
            "fastapi-peer-relation-joined",
            "fastapi-peer-relation-changed",
        ]
    );
    assert_eq!(
        unit_hooks(&m, "demo-api-charm/1", 0)[..6],
        [
            "install",
            "fastapi-peer-relation-created",
            "leader-settings-changed",
            "config-changed",
            "start",
            "demo-server-pebble-ready",
        ]
    );
    assert!(m.events().iter().all(|e| e["exit_code"] == 0));

    // The leader counts in the application bag, byte for byte as the tutorial.
    let peer = m.relation("demo-api-charm/0", "fastapi-peer");
    assert_eq!(
        peer["application-data"]["unit_stats"],
        r#"{"started_counter": 1}"#
    );
    assert_eq!(peer["related-endpoint"], "fastapi-peer");
    assert_eq!(peer["relation-id"], 0);
    assert!(peer["related-units"]["demo-api-charm/1"]["in-scope"]
        .as_bool()
        .unwrap());
    // The non-leader counts its own pod's starts in its own unit bag.
    let peer1 = m.relation("demo-api-charm/1", "fastapi-peer");
    assert_eq!(counter(&peer1["local-unit"]["data"]), Some(1));
    assert_eq!(counter(&peer1["application-data"]), Some(1));
    assert_eq!(m.unit("demo-api-charm/0")["leader"], true);
    assert_eq!(m.unit("demo-api-charm/1")["leader"], false);
    assert_eq!(m.unit("demo-api-charm/0")["opened-ports"][0], "8000/tcp");

    // Delete the leader's pod: stop, then the new pod's sequence (§4.3); the counter is 2.
    let before = m.events().len();
    m.sim(&["delete-pod", "demo-api-charm/0"]).ok();
    assert_eq!(
        unit_hooks(&m, "demo-api-charm/0", before),
        [
            "stop",
            "upgrade-charm",
            "config-changed",
            "start",
            "demo-server-pebble-ready"
        ]
    );
    let peer = m.relation("demo-api-charm/0", "fastapi-peer");
    assert_eq!(counter(&peer["application-data"]), Some(2));
    // The other unit sees the leader's application-bag write (and the leader does not).
    assert_eq!(
        unit_hooks(&m, "demo-api-charm/1", before),
        ["fastapi-peer-relation-changed"]
    );
    let last = m.events().last().unwrap().clone();
    assert_eq!(last["remote_unit"], serde_json::Value::Null);

    // A non-leader's pod: leader-settings-changed too; its own counter moves, not the app's.
    let before = m.events().len();
    m.sim(&["delete-pod", "demo-api-charm/1"]).ok();
    assert_eq!(
        unit_hooks(&m, "demo-api-charm/1", before),
        [
            "stop",
            "upgrade-charm",
            "config-changed",
            "leader-settings-changed",
            "start",
            "demo-server-pebble-ready"
        ]
    );
    let peer1 = m.relation("demo-api-charm/1", "fastapi-peer");
    assert_eq!(counter(&peer1["local-unit"]["data"]), Some(2));
    assert_eq!(counter(&peer1["application-data"]), Some(2));
    // The leader saw the non-leader's unit-bag write.
    assert_eq!(
        unit_hooks(&m, "demo-api-charm/0", before),
        ["fastapi-peer-relation-changed"]
    );

    let status = m.sim(&["status"]).ok();
    assert!(status.contains("demo-api-charm/0*"), "{status}");
    assert!(status.contains("Waiting for database relation"), "{status}");
}

#[test]
fn delete_pod_gives_a_fresh_charm_directory() {
    let m = Model::new("demo-fresh-pod");
    m.sim(&["deploy", demo_charm().to_str().unwrap()]).ok();
    let dir = m.state.join("units/demo-api-charm-0/charm");
    std::fs::write(dir.join("written-by-the-charm"), "x").unwrap();
    m.sim(&["delete-pod", "demo-api-charm/0"]).ok();
    assert!(dir.join("dispatch").exists());
    assert!(!dir.join("written-by-the-charm").exists());
}

#[test]
fn config_relate_action_leader_scale() {
    let m = Model::new("demo-ops");
    m.sim(&["deploy", demo_charm().to_str().unwrap(), "-n", "2"])
        .ok();

    // config: typed, config-changed everywhere, ports follow.
    let before = m.events().len();
    m.sim(&["config", "server-port=8080"]).ok();
    let hooks: Vec<_> = m.hooks().into_iter().skip(before).collect();
    assert_eq!(hooks.len(), 2);
    assert!(hooks.iter().all(|(_, h)| h == "config-changed"));
    assert_eq!(m.unit("demo-api-charm/1")["opened-ports"][0], "8080/tcp");
    // Same value again: no hook.
    let before = m.events().len();
    m.sim(&["config", "server-port=8080"]).ok();
    assert_eq!(m.events().len(), before);

    // The action without a database fails as the charm says; exit 1.
    let r = m.sim(&["run", "demo-api-charm/0", "get-db-info"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("No database connected"), "{}", r.stderr);

    // relate: created on every unit; the remote application's data is already set, so its
    // -relation-changed comes before the remote units join (Juju's relation resolver:
    // "trigger all app hooks first"), then joined/changed per remote unit.
    let before = m.events().len();
    m.sim(&[
        "relate",
        "database",
        "postgresql-k8s",
        "--app-data",
        "endpoints=10.0.0.5:5432",
        "username=u",
        "password=p",
    ])
    .ok();
    assert_eq!(
        unit_hooks(&m, "demo-api-charm/0", before),
        [
            "database-relation-created",
            "database-relation-changed",
            "database-relation-joined",
            "database-relation-changed"
        ]
    );
    let db = m.relation("demo-api-charm/1", "database");
    assert_eq!(db["application-data"]["endpoints"], "10.0.0.5:5432");
    // The leader asked for a database in its own application bag.
    assert_eq!(db["local-application-data"]["database"], "names_db");
    assert!(db["related-units"]["postgresql-k8s/0"].is_object());
    // limit: 1
    let r = m.sim(&["relate", "database", "other-db"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("maximum relation limit of 1"),
        "{}",
        r.stderr
    );

    // The action: defaults filled, typed params.
    let out = m.sim(&["run", "demo-api-charm/1", "get-db-info"]).ok();
    assert!(out.contains("db-host: 10.0.0.5"), "{out}");
    assert!(!out.contains("db-password"), "{out}");
    let out = m
        .sim(&[
            "run",
            "demo-api-charm/1",
            "get-db-info",
            "show-password=true",
        ])
        .ok();
    assert!(out.contains("db-password: p"), "{out}");

    // set-data: relation-changed on every unit.
    let before = m.events().len();
    m.sim(&["set-data", "database", "postgresql-k8s", "password=q"])
        .ok();
    assert_eq!(m.events().len(), before + 2);
    let out = m
        .sim(&[
            "run",
            "demo-api-charm/0",
            "get-db-info",
            "show-password=true",
        ])
        .ok();
    assert!(out.contains("db-password: q"), "{out}");

    // unrelate: departed per remote unit, then broken.
    let before = m.events().len();
    m.sim(&["unrelate", "database", "postgresql-k8s"]).ok();
    assert_eq!(
        unit_hooks(&m, "demo-api-charm/0", before),
        ["database-relation-departed", "database-relation-broken"]
    );
    let u = m.unit("demo-api-charm/0");
    assert_eq!(u["relation-info"].as_array().unwrap().len(), 1);

    // leader: elected on the new leader, settings-changed on the others.
    let before = m.events().len();
    m.sim(&["leader", "demo-api-charm/1"]).ok();
    assert_eq!(
        unit_hooks(&m, "demo-api-charm/1", before),
        ["leader-elected"]
    );
    assert_eq!(
        unit_hooks(&m, "demo-api-charm/0", before),
        ["leader-settings-changed"]
    );
    assert_eq!(m.unit("demo-api-charm/1")["leader"], true);

    // scale up: the new unit installs and joins; scale down: teardown and departures.
    let before = m.events().len();
    m.sim(&["scale", "3"]).ok();
    let new = unit_hooks(&m, "demo-api-charm/2", before);
    assert_eq!(
        new[..6],
        [
            "install",
            "fastapi-peer-relation-created",
            "leader-settings-changed",
            "config-changed",
            "start",
            "demo-server-pebble-ready"
        ]
    );
    assert!(unit_hooks(&m, "demo-api-charm/0", before)
        .contains(&"fastapi-peer-relation-joined".to_string()));
    let before = m.events().len();
    m.sim(&["scale", "1"]).ok();
    let gone = unit_hooks(&m, "demo-api-charm/2", before);
    assert_eq!(gone.first().map(String::as_str), Some("stop"));
    assert_eq!(gone.last().map(String::as_str), Some("remove"));
    // The leader (unit 1) went: unit 0 is elected.
    assert!(unit_hooks(&m, "demo-api-charm/0", before).contains(&"leader-elected".to_string()));
    assert_eq!(m.unit("demo-api-charm/0")["leader"], true);
    let status = m.sim(&["status"]).ok();
    assert!(!status.contains("demo-api-charm/1"), "{status}");
    assert!(!m.state.join("units/demo-api-charm-1").exists());

    // dispatch: any single hook.
    let before = m.events().len();
    m.sim(&["dispatch", "demo-api-charm/0", "update-status"])
        .ok();
    m.sim(&[
        "dispatch",
        "demo-api-charm/0",
        "fastapi-peer-relation-changed",
    ])
    .ok();
    assert_eq!(
        unit_hooks(&m, "demo-api-charm/0", before),
        ["update-status", "fastapi-peer-relation-changed"]
    );

    // The events table and the calls.
    let table = m.sim(&["events"]).ok();
    assert!(table.contains("relation-set"), "{table}");
    let calls = m
        .sim(&["events", "--calls", "--unit", "demo-api-charm/0"])
        .ok();
    assert!(
        calls.contains("relation-set -r fastapi-peer:0 --app --file -"),
        "{calls}"
    );
}

#[test]
fn deploy_without_a_charm_packs_the_crate_around_the_current_directory() {
    let m = Model::new("demo-from-crate");
    let out = cargo_charm_in(
        &root().join("demo-charm/src"),
        &["sim", "deploy", "--state", m.state.to_str().unwrap(), "-q"],
    );
    out.ok();
    let peer = m.relation("demo-api-charm/0", "fastapi-peer");
    assert_eq!(counter(&peer["application-data"]), Some(1));
    assert!(m.state.join(format!("build/{APP}_amd64.charm")).is_file());
}
