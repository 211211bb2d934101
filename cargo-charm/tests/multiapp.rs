//! Several applications in one simulated model: the demo and the fake PostgreSQL
//! (fixtures/fake-postgresql) integrated, both sides' hooks in Juju's order; hook errors
//! holding a unit until it is resolved; the Charmhub stand-in.

mod common;

use common::*;
use serde_json::Value;

const DEMO: &str = "demo-api-charm";
const PG: &str = "fake-postgresql";

/// The fake PostgreSQL crate (deployed as a crate: packed by `deploy`).
fn fake_postgresql() -> String {
    root()
        .join("fixtures/fake-postgresql")
        .display()
        .to_string()
}

/// `(hook, remote unit or "app")` of `unit`'s relation hooks from event `from` on.
fn relation_hooks(m: &Model, unit: &str, from: usize) -> Vec<String> {
    m.events()
        .into_iter()
        .skip(from)
        .filter(|e| e["unit"] == unit && e["relation"].is_string())
        .map(|e| {
            let about = e["remote_unit"].as_str().unwrap_or("app").to_string();
            let hook = e["hook"].as_str().unwrap();
            if hook.ends_with("-created") || hook.ends_with("-broken") {
                hook.to_string()
            } else {
                format!("{hook} {about}")
            }
        })
        .collect()
}

fn status(m: &Model, unit: &str) -> (String, String) {
    let u = m.unit(unit);
    let s = &u["workload-status"];
    (
        s["current"].as_str().unwrap().to_string(),
        s["message"].as_str().unwrap().to_string(),
    )
}

#[test]
fn the_demo_and_a_real_database_charm_integrate_in_juju_order() {
    let m = Model::new("multiapp-demo");
    m.sim(&["deploy", demo_charm().to_str().unwrap(), "-n", "2"])
        .ok();
    m.sim(&["deploy", &fake_postgresql()]).ok();
    // Two applications: commands about one of them name it.
    let r = m.sim(&["config"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "the model has several applications ({DEMO}, {PG}): name one with --app"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(m.sim(&["config", "--app", PG]).ok(), "credentials: plain\n");
    assert_eq!(
        status(&m, &format!("{DEMO}/0")),
        ("blocked".into(), "Waiting for database relation".into())
    );

    let before = m.events().len();
    m.sim(&["integrate", DEMO, PG]).ok();
    // The provider: the requirer's request (set by its leader in -relation-created) is
    // there before it has seen the requirer's units, so the application-level
    // -relation-changed runs before the joins (Juju's relation resolver: app hooks first).
    assert_eq!(
        relation_hooks(&m, &format!("{PG}/0"), before),
        [
            "database-relation-created",
            "database-relation-changed app",
            &format!("database-relation-joined {DEMO}/0"),
            &format!("database-relation-changed {DEMO}/0"),
            &format!("database-relation-joined {DEMO}/1"),
            &format!("database-relation-changed {DEMO}/1"),
        ]
    );
    // The requirer: the provider answered in its own -relation-created (the request was
    // already there), before the requirer's units had seen the provider's unit: they too
    // run the application-level -relation-changed first.
    for unit in [format!("{DEMO}/0"), format!("{DEMO}/1")] {
        assert_eq!(
            relation_hooks(&m, &unit, before),
            [
                "database-relation-created",
                "database-relation-changed app",
                &format!("database-relation-joined {PG}/0"),
                &format!("database-relation-changed {PG}/0"),
            ],
            "{unit}"
        );
    }
    // Every -relation-created ran before any unit saw the other side.
    let events = m.events();
    let created: Vec<usize> = events
        .iter()
        .enumerate()
        .skip(before)
        .filter(|(_, e)| e["hook"] == "database-relation-created")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(created, [before, before + 1, before + 2]);

    // Both sides see each other's data.
    let db = m.relation(&format!("{DEMO}/1"), "database");
    let endpoints = format!("{PG}-primary.sim.svc.cluster.local:5432");
    assert_eq!(db["application-data"]["endpoints"], endpoints.as_str());
    assert_eq!(db["application-data"]["database"], "names_db");
    let username = db["application-data"]["username"].as_str().unwrap();
    let password = db["application-data"]["password"].as_str().unwrap();
    assert_eq!(username, format!("relation_id_{}", db["relation-id"]));
    assert_eq!(password.len(), 16);
    assert!(db["related-units"][format!("{PG}/0")]["data"]["ingress-address"].is_string());
    let pg = m.relation(&format!("{PG}/0"), "database");
    assert_eq!(pg["related-endpoint"], "database");
    assert_eq!(pg["application-data"]["database"], "names_db");
    let related: Vec<&String> = pg["related-units"].as_object().unwrap().keys().collect();
    assert_eq!(related, [&format!("{DEMO}/0"), &format!("{DEMO}/1")]);
    // `--format json` is `juju show-unit`'s own output: no workload status, and on a
    // relation that is not a peer relation no data of the unit's own (Go's JSON writes
    // the empty `local-unit` struct); the default view has both.
    let juju = m.juju_unit(&format!("{DEMO}/1"));
    assert!(juju.get("workload-status").is_none(), "{juju}");
    assert!(m
        .unit(&format!("{DEMO}/1"))
        .get("workload-status")
        .is_some());
    let info = juju["relation-info"].as_array().unwrap();
    let juju_db = info.iter().find(|r| r["endpoint"] == "database").unwrap();
    assert_eq!(
        juju_db["local-unit"],
        serde_json::json!({"in-scope": false, "data": null})
    );
    assert!(
        db["local-unit"]["data"]["ingress-address"].is_string(),
        "{db}"
    );
    assert_eq!(juju_db["application-data"], db["application-data"]);
    let juju_peer = info
        .iter()
        .find(|r| r["endpoint"] == "fastapi-peer")
        .unwrap();
    assert_eq!(juju_peer["local-unit"]["in-scope"], true);

    // The demo runs with the credentials; the action (on the leader, by `<app>/leader`)
    // reports them.
    for unit in [format!("{DEMO}/0"), format!("{DEMO}/1")] {
        assert_eq!(
            status(&m, &unit),
            ("active".into(), String::new()),
            "{unit}"
        );
    }
    assert_eq!(status(&m, &format!("{PG}/0")).0, "active");
    let out = m
        .sim(&[
            "run",
            &format!("{DEMO}/leader"),
            "get-db-info",
            "show-password=yes",
        ])
        .ok();
    assert!(
        out.contains(&format!("db-host: {PG}-primary.sim.svc.cluster.local")),
        "{out}"
    );
    assert!(out.contains("db-port: '5432'"), "{out}");
    assert!(out.contains(&format!("db-username: {username}")), "{out}");
    assert!(out.contains(&format!("db-password: {password}")), "{out}");
    let status_table = m.sim(&["status"]).ok();
    let row: Vec<&str> = status_table
        .lines()
        .find(|l| l.starts_with(&format!("{PG}:database")))
        .unwrap_or_else(|| panic!("no integration row: {status_table}"))
        .split_whitespace()
        .collect();
    assert_eq!(
        row,
        [
            &format!("{PG}:database"),
            &format!("{DEMO}:database"),
            "postgresql_client",
            "regular"
        ]
    );

    // A new demo unit joins the relation: the provider's answer is there, so it runs the
    // application-level -relation-changed before it sees the provider's unit join; the
    // provider sees it join.
    let before = m.events().len();
    m.sim(&["scale", "3", "--app", DEMO]).ok();
    let new = relation_hooks(&m, &format!("{DEMO}/2"), before);
    let db_hooks: Vec<&String> = new.iter().filter(|h| h.starts_with("database")).collect();
    assert_eq!(
        db_hooks,
        [
            "database-relation-created",
            "database-relation-changed app",
            &format!("database-relation-joined {PG}/0"),
            &format!("database-relation-changed {PG}/0"),
        ]
    );
    assert_eq!(
        relation_hooks(&m, &format!("{PG}/0"), before),
        [
            format!("database-relation-joined {DEMO}/2"),
            format!("database-relation-changed {DEMO}/2"),
        ]
    );
    assert_eq!(status(&m, &format!("{DEMO}/2")).0, "active");

    // remove-relation: both sides depart and break; the demo is blocked again.
    let before = m.events().len();
    m.sim(&["remove-relation", &format!("{PG}:database"), DEMO])
        .ok();
    assert_eq!(
        relation_hooks(&m, &format!("{DEMO}/0"), before),
        [
            format!("database-relation-departed {PG}/0"),
            "database-relation-broken".to_string()
        ]
    );
    assert_eq!(
        relation_hooks(&m, &format!("{PG}/0"), before),
        [
            format!("database-relation-departed {DEMO}/0"),
            format!("database-relation-departed {DEMO}/1"),
            format!("database-relation-departed {DEMO}/2"),
            "database-relation-broken".to_string()
        ]
    );
    assert_eq!(
        status(&m, &format!("{DEMO}/0")),
        ("blocked".into(), "Waiting for database relation".into())
    );
    let r = m.sim(&["remove-relation", DEMO, PG]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not found"), "{}", r.stderr);
}

#[test]
fn credentials_in_a_secret_reach_the_requirer_through_the_grant() {
    let m = Model::new("multiapp-secret");
    m.sim(&["deploy", demo_charm().to_str().unwrap()]).ok();
    m.sim(&[
        "deploy",
        &fake_postgresql(),
        "--app",
        "pg",
        "--config",
        "credentials=secret",
    ])
    .ok();
    m.sim(&["integrate", &format!("{DEMO}:database"), "pg:database"])
        .ok();
    let db = m.relation(&format!("{DEMO}/0"), "database");
    let uri = db["application-data"]["secret-user"].as_str().unwrap();
    assert!(uri.starts_with("secret:"), "{db:#}");
    assert!(db["application-data"].get("password").is_none());
    assert_eq!(
        status(&m, &format!("{DEMO}/0")),
        ("active".into(), String::new())
    );
    let out = m
        .sim(&[
            "run",
            &format!("{DEMO}/0"),
            "get-db-info",
            "show-password=true",
        ])
        .ok();
    assert!(out.contains("db-username: relation_id_"), "{out}");
    // The grant goes with the relation: the demo can no longer read the secret.
    m.sim(&["remove-relation", DEMO, "pg"]).ok();
    assert_eq!(
        status(&m, &format!("{DEMO}/0")),
        ("blocked".into(), "Waiting for database relation".into())
    );
}

const FLAKY_META: &str = "name: flaky\nsummary: s\ndescription: d\n";
const FLAKY_CONFIG: &str = "options:\n  fail:\n    type: boolean\n    default: false\n";
const FLAKY_ACTIONS: &str = "ping:\n  description: answers\n";
/// Fails config-changed while `fail` is true; answers `ping`.
const FLAKY: &str = r#"case "$JUJU_DISPATCH_PATH" in
  actions/ping) action-set pong=yes;;
  hooks/config-changed) [ "$(config-get fail --format=json)" = true ] && exit 3; status-set active;;
esac"#;

fn flaky(m: &Model) -> String {
    let dir = shell_charm(
        &m.state.with_file_name("flaky"),
        FLAKY_META,
        Some(FLAKY_CONFIG),
        FLAKY,
    );
    std::fs::write(dir.join("actions.yaml"), FLAKY_ACTIONS).unwrap();
    dir.display().to_string()
}

fn hooks_since(m: &Model, from: usize) -> Vec<(String, String)> {
    m.hooks().into_iter().skip(from).collect()
}

fn pair(u: &str, h: &str) -> (String, String) {
    (u.to_string(), h.to_string())
}

#[test]
fn a_failed_hook_holds_its_unit_until_it_is_retried_or_resolved() {
    let m = Model::new("multiapp-errors");
    m.sim(&["deploy", &flaky(&m), "-n", "2"]).ok();
    assert_eq!(status(&m, "flaky/1").0, "active");

    // config-changed fails on both units: each is in error, as Juju shows it.
    let r = m.sim(&["config", "fail=true"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for unit in ["flaky/0", "flaky/1"] {
        assert_eq!(
            status(&m, unit),
            ("error".into(), "hook failed: \"config-changed\"".into())
        );
    }

    // Another hook waits; the failed hook is retried first (the simulator's compressed
    // back-off: at the start of each command that changes the model) and fails again.
    let before = m.events().len();
    let r = m.sim(&["dispatch", "flaky/0", "update-status"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        hooks_since(&m, before),
        [
            pair("flaky/0", "config-changed"),
            pair("flaky/1", "config-changed")
        ]
    );
    let queued: Vec<Value> = serde_json::from_slice::<Value>(&m.model_bytes()).unwrap()["queue"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0]["hook"], "update-status");
    let table = m.sim(&["status"]).ok();
    assert!(
        table.contains("1 step(s) wait for units in error"),
        "{table}"
    );

    // Actions still run on a unit in error.
    let out = m.sim(&["run", "flaky/0", "ping"]).ok();
    assert!(out.contains("pong: yes"), "{out}");

    // Fixing the cause: the retry at the start of the command still sees fail=true; the
    // config-changed the change causes waits behind it.
    m.sim(&["config", "fail=false"]).ok();
    assert_eq!(status(&m, "flaky/0").0, "error");

    // resolve: the failed hook runs again (now it succeeds), then what waited.
    let before = m.events().len();
    m.sim(&["resolve", "flaky/0"]).ok();
    assert_eq!(
        hooks_since(&m, before),
        [
            pair("flaky/0", "config-changed"),
            pair("flaky/0", "update-status"),
            pair("flaky/0", "config-changed"),
        ]
    );
    assert_eq!(status(&m, "flaky/0"), ("active".into(), String::new()));
    assert_eq!(status(&m, "flaky/1").0, "error");

    // resolve --no-retry: the failed hook is skipped, what waited runs.
    let before = m.events().len();
    m.sim(&["resolve", "flaky/1", "--no-retry"]).ok();
    assert_eq!(hooks_since(&m, before), [pair("flaky/1", "config-changed")]);
    assert_eq!(status(&m, "flaky/1"), ("active".into(), String::new()));

    let r = m.sim(&["resolve", "flaky/1"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("unit \"flaky/1\" is not in an error state"),
        "{}",
        r.stderr
    );
}

#[test]
fn store_charms_deploy_through_the_charmhub_stand_in() {
    let m = Model::new("multiapp-charmhub");
    let r = m.sim(&["deploy", "postgresql-k8s"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("charm \"postgresql-k8s\" is not in the local Charmhub stand-in (neither CARGO_CHARM_CHARMHUB nor CARGO_CHARM_CHARMHUB_MAP is set)"),
        "{}",
        r.stderr
    );
    assert!(!m.state.join("model.json").exists());

    let map = m.state.with_file_name("charmhub.yaml");
    std::fs::write(&map, format!("postgresql-k8s: {}\n", fake_postgresql())).unwrap();
    let env = [("CARGO_CHARM_CHARMHUB_MAP", map.to_str().unwrap())];
    let r = m.sim_env(&["deploy", "mysql-k8s"], &env);
    assert!(
        r.stderr.contains(&format!(
            "CARGO_CHARM_CHARMHUB_MAP={} does not name it",
            map.display()
        )),
        "{}",
        r.stderr
    );
    m.sim_env(&["deploy", "postgresql-k8s"], &env).ok();
    // Named as the store names it, the charm is the fake.
    let u = m.unit("postgresql-k8s/0");
    assert_eq!(u["charm"], "local:fake-postgresql-0");
    assert_eq!(status(&m, "postgresql-k8s/0").0, "active");
}
