//! Tests of the harness: the consistency checker's rules and messages, and runs of a charm
//! that declares one of everything.

use super::*;
use charm_runtime::prelude::*;
use charm_runtime::ModelConfig;
use serde_json::json;

// Explicit imports win over the prelude's globs of the same name.
use super::{Container, Context, Relation};

#[derive(CharmConfig)]
struct Cfg {
    /// The port.
    #[config(default = 8000)]
    port: i64,
    /// A name.
    #[config(default = "full")]
    name: String,
    /// A ratio without a default.
    ratio: Option<f64>,
}

#[derive(Databag, Debug, Default, PartialEq)]
struct Counter {
    count: Option<u64>,
}

/// The parameters of `backup`.
#[derive(ActionParams)]
struct Backup {
    target: String,
    #[param(default = 3)]
    retries: u32,
    #[param(default = 0.5)]
    ratio: f64,
    #[param(default = false)]
    verbose: bool,
}

#[derive(Default)]
struct Full;

#[charm(name = "full", summary = "One of everything", description = "A test charm.", config = Cfg)]
#[peer("replicas", interface = "full_peers")]
#[requires("db", interface = "pg", limit = 1)]
#[provides("metrics", interface = "prom")]
#[requires("host", interface = "juju-host", scope = "container")]
#[container("web", resource = "web-image")]
#[resource("blob", kind = "file", filename = "blob.tgz")]
#[storage("data", kind = "filesystem", location = "/data")]
#[action("backup", params = Backup)]
#[action("free", additional_properties = true)]
impl Full {
    /// Counts starts in the peer app bag (leader) or unit bag.
    #[on(start)]
    fn start(&self, model: &mut Model) -> Result<()> {
        let peers = model
            .relation(Self::REPLICAS)?
            .expect("checker guarantees it");
        let bag = match model.leader()? {
            Some(leader) => Own::App(leader),
            None => Own::Unit,
        };
        let mut c: Counter = model.load(&peers, bag)?;
        *c.count.get_or_insert(0) += 1;
        model.save(&peers, bag, &c)?;
        Ok(())
    }

    /// Opens the configured port and sets the workload version.
    #[on(config_changed)]
    fn configure(&self, model: &mut Model) -> Result<()> {
        let cfg = ModelConfig::<Self>::config(model)?; // two charms in this crate
        model.set_workload_version(&format!("v-{}", cfg.name))?;
        let port = u16::try_from(cfg.port).map_err(|_| Error::msg("bad port"))?;
        model.set_ports(&[Port::Tcp(port)])?;
        Ok(())
    }

    /// Copies the remote app's `x` into the local app bag; fails (after staging) on `fail`.
    #[on(relation_changed("db"))]
    fn db_changed(&self, model: &mut Model) -> Result<()> {
        let rel = model.event_relation(Self::DB)?.expect("a relation event");
        let remote = model.bag(&rel, Bag::RemoteApp)?;
        model.log(
            LogLevel::Debug,
            format!(
                "remote unit {:?}",
                model.event().relation().and_then(|r| r.remote_unit.clone())
            ),
        )?;
        if let Some(x) = remote.get("x") {
            model.set(&rel, Bag::Unit, "seen", x.clone())?;
        }
        if remote.contains_key("fail") {
            model.add_status(blocked("never set"));
            return Err(Error::msg("remote asked me to fail"));
        }
        Ok(())
    }

    /// Logs what `relation-ids` says while the relation is broken.
    #[on(relation_broken("db"))]
    fn db_broken(&self, model: &mut Model) -> Result<()> {
        let n = model.relations(Self::DB)?.len();
        model.log(LogLevel::Info, format!("db relations: {n}"))?;
        Ok(())
    }

    /// Logs who is left and who departs.
    #[on(relation_departed("metrics"))]
    fn departed(&self, model: &mut Model) -> Result<()> {
        let rel = model
            .event_relation(Self::METRICS)?
            .expect("a relation event");
        let units: Vec<String> = model
            .units(&rel)?
            .into_iter()
            .map(|u| model.remote_unit_name(&rel, u))
            .collect::<std::result::Result<_, _>>()?;
        let departing = model
            .event()
            .relation()
            .and_then(|r| r.departing_unit.clone());
        model.log(
            LogLevel::Info,
            format!("left {units:?}, departing {departing:?}"),
        )?;
        Ok(())
    }

    /// Panics on request.
    #[on(update_status)]
    fn update(&self, model: &mut Model) -> Result<()> {
        let cfg = ModelConfig::<Self>::config(model)?;
        if cfg.name == "panic" || cfg.ratio == Some(-1.0) {
            panic!("asked to panic");
        }
        Ok(())
    }

    /// Results and failure.
    #[on(action("backup"))]
    fn backup(&self, model: &mut Model, params: Backup) -> Result<()> {
        model.action_log("backing up")?;
        if params.target == "nowhere" {
            model.action_fail("no such target")?;
            return Ok(());
        }
        model.set_action_results([
            ("target", params.target),
            ("retries", params.retries.to_string()),
            ("nested.ratio", params.ratio.to_string()),
            ("verbose", params.verbose.to_string()),
        ])?;
        Ok(())
    }

    /// Reads the secret of the event.
    #[on(secret_changed)]
    fn secret(&self, model: &mut Model) -> Result<()> {
        let secret = model.event_secret().expect("a secret event");
        let content = model.refresh_secret(&secret)?;
        model.log(
            LogLevel::Info,
            format!("secret {content:?}: {:?}", content.get("password")),
        )?;
        Ok(())
    }

    /// Reads its storage location.
    #[on(storage_attached("data"))]
    fn storage(&self, model: &mut Model) -> Result<()> {
        let data = model.event_storage().expect("a storage event");
        let info = model.storage_info(&data)?;
        model.log(
            LogLevel::Info,
            format!("{data} at {}", info.location.display()),
        )?;
        model.add_storage("data", 2)?;
        Ok(())
    }

    /// Pebble is up.
    #[on(pebble_ready("web"))]
    fn ready(&self, model: &mut Model) {
        model.add_status(maintenance("starting"));
    }

    #[on(collect_status)]
    fn status(&self, model: &mut Model) {
        model.add_status(active("ready"));
        model.add_app_status(active("app ready"));
    }
}

fn ctx() -> Context<Full> {
    Context::new()
}

fn peers() -> Relation {
    Relation::peer("replicas")
}

fn base() -> StateBuilder {
    State::builder().relation(peers())
}

fn problems(event: Event, state: &State) -> Vec<String> {
    match ctx().run(event, state) {
        Err(RunError::Inconsistent(i)) => i.problems,
        Err(other) => panic!("expected an inconsistency, got {other}"),
        Ok(_) => panic!("expected an inconsistency, the run succeeded"),
    }
}

fn one_problem(event: Event, state: &State) -> String {
    let p = problems(event, state);
    assert_eq!(p.len(), 1, "expected one problem, got {p:#?}");
    p.into_iter().next().unwrap()
}

// ---- the checker ---------------------------------------------------------------------------

#[test]
fn consistent_input_passes() {
    let web = Container::new("web").can_connect(true);
    let state = base()
        .config("port", 9000)
        .config("ratio", 1)
        .relation(Relation::new("db").remote_app_name("pg"))
        .relation(Relation::subordinate("host").remote_app_name("ubuntu"))
        .container(web.clone())
        .storage(Storage::new("data"))
        .resource("blob", "/tmp/blob.tgz")
        .network(Network::new("db"))
        .build();
    ctx().check(&Event::pebble_ready(&web), &state).unwrap();
}

#[test]
fn undeclared_config_key() {
    let m = one_problem(Event::start(), &base().config("colour", "red").build());
    assert!(m.contains("config option `colour` is not declared"), "{m}");
    assert!(m.contains("`port`, `name`, `ratio`"), "{m}");
}

#[test]
fn config_wrong_types() {
    let p = problems(
        Event::start(),
        &base()
            .config("port", "8000")
            .config("name", 3)
            .config("ratio", "x")
            .build(),
    );
    assert_eq!(p.len(), 3, "{p:#?}");
    assert!(p[0].contains("`name` is declared as string, but the state gives an integer 3"));
    assert!(p[1].contains("`port` is declared as int, but the state gives a string \"8000\""));
    assert!(p[2].contains("`ratio` is declared as float"));
    // A float for an int is wrong too; an int for a float is fine.
    assert_eq!(
        problems(Event::start(), &base().config("port", 1.5).build()).len(),
        1
    );
    ctx()
        .check(&Event::start(), &base().config("ratio", 2).build())
        .unwrap();
}

#[test]
fn undeclared_endpoint() {
    let m = one_problem(
        Event::start(),
        &base().relation(Relation::new("cache")).build(),
    );
    assert!(m.contains("endpoint `cache` is not declared"), "{m}");
    assert!(m.contains("`replicas`, `metrics`, `db`, `host`"), "{m}");
}

#[test]
fn peer_given_as_regular_and_reverse() {
    let wrong_peer = Relation::new("replicas").id(70);
    let state = State::builder().relation(wrong_peer).build();
    let m = one_problem(Event::start(), &state);
    assert!(
        m.contains("relation replicas:70 is given as a regular relation, but `replicas` is a peer endpoint: build it with `Relation::peer(\"replicas\")`"),
        "{m}"
    );
    let wrong_regular = Relation::peer("db").id(71);
    let m = one_problem(Event::start(), &base().relation(wrong_regular).build());
    assert!(
        m.contains("relation db:71 is given as a peer relation, but `db` is a requires endpoint"),
        "{m}"
    );
}

#[test]
fn subordinate_kind_must_match_scope() {
    let m = one_problem(
        Event::start(),
        &base().relation(Relation::new("host").id(72)).build(),
    );
    assert!(
        m.contains("`host` is a requires endpoint with `scope: container`"),
        "{m}"
    );
    assert!(m.contains("Relation::subordinate(\"host\")"), "{m}");
    let m = one_problem(
        Event::start(),
        &base()
            .relation(Relation::subordinate("metrics").id(73))
            .build(),
    );
    assert!(m.contains("given as a subordinate relation"), "{m}");
    let two_units = Relation::subordinate("host").remote_unit(1, [("a", "b")]);
    let m = one_problem(Event::start(), &base().relation(two_units).build());
    assert!(m.contains("has 2 remote units"), "{m}");
}

#[test]
fn duplicate_relation_ids() {
    let state = base()
        .relation(Relation::new("metrics").id(80))
        .relation_unchecked(Relation::new("metrics").id(80).remote_app_name("other"))
        .build();
    let m = one_problem(Event::start(), &state);
    assert!(m.contains("duplicate relation id 80"), "{m}");
}

#[test]
fn limits_and_single_peer() {
    let state = base()
        .relation(Relation::new("db"))
        .relation(Relation::new("db"))
        .relation(Relation::peer("replicas"))
        .build();
    let p = problems(Event::start(), &state);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(p[0].contains("endpoint `db` has 2 relations in the state, more than its `limit: 1`"));
    assert!(p[1].contains("peer endpoint `replicas` has 2 relations"));
}

#[test]
fn interface_must_match() {
    let m = one_problem(
        Event::start(),
        &base()
            .relation(Relation::new("db").id(81).interface("mysql"))
            .build(),
    );
    assert!(
        m.contains("relation db:81 has interface `mysql`, but endpoint `db` is declared with interface `pg`"),
        "{m}"
    );
}

#[test]
fn regular_relation_to_itself() {
    let m = one_problem(
        Event::start(),
        &base()
            .relation(Relation::new("db").remote_app_name("full"))
            .build(),
    );
    assert!(
        m.contains("remote application `full`, the application under test"),
        "{m}"
    );
}

#[test]
fn peer_bag_keyed_by_unit_under_test() {
    let rel = peers()
        .id(82)
        .peer_data(0, [("k", "v")])
        .peer_data(1, [("k", "v")]);
    let m = one_problem(Event::start(), &State::builder().relation(rel).build());
    assert!(
        m.contains("peer relation replicas:82 has a bag for unit full/0 among the other units, but that is the unit under test"),
        "{m}"
    );
    // For unit 1 the same state is fine but for unit 1's own bag.
    let rel = peers().peer_data(0, [("k", "v")]);
    Context::<Full>::new()
        .with_unit_id(1)
        .check(&Event::start(), &State::builder().relation(rel).build())
        .unwrap();
}

#[test]
fn empty_bag_key() {
    let rel = Relation::new("db").id(83).remote_app_data([("", "x")]);
    let m = one_problem(Event::start(), &base().relation(rel).build());
    assert!(
        m.contains("relation db:83 has an empty key in its remote application bag"),
        "{m}"
    );
}

#[test]
fn missing_peer_relation_is_reported_except_where_juju_allows_it() {
    let m = one_problem(Event::start(), &State::default());
    assert!(
        m.contains("peer relation `replicas` is missing from the state: Juju creates it when the application is deployed"),
        "{m}"
    );
    for e in [Event::install(), Event::stop(), Event::remove()] {
        ctx().check(&e, &State::default()).unwrap();
    }
    ctx()
        .allow_missing_peer_relations()
        .check(&Event::start(), &State::default())
        .unwrap();
}

#[test]
fn relation_event_needs_its_relation() {
    let db = Relation::new("db").id(84);
    let m = one_problem(Event::relation_changed(&db, 0), &base().build());
    assert!(
        m.contains(
            "event `db-relation-changed` is about relation db:84, which is not in the state"
        ),
        "{m}"
    );
    // Same id on another endpoint is not the same relation.
    let other = Relation::new("metrics").id(84);
    let m = one_problem(
        Event::relation_changed(&db, 0),
        &base().relation(other).build(),
    );
    assert!(
        m.contains("relation 84 in the state is on endpoint `metrics`"),
        "{m}"
    );
}

#[test]
fn relation_event_remote_unit_must_exist() {
    let db = Relation::new("db").remote_app_name("pg");
    let m = one_problem(
        Event::relation_joined(&db, 3),
        &base().relation(db.clone()).build(),
    );
    assert!(
        m.contains("names remote unit pg/3, which is not among the remote units of relation"),
        "{m}"
    );
    assert!(m.contains("`pg/0`"), "{m}");
    let p = peers().peer_data(1, [("a", "b")]);
    let m = one_problem(
        Event::relation_changed(&p, 0),
        &State::builder().relation(p.clone()).build(),
    );
    assert!(
        m.contains("names full/0 as the remote unit, but that is the unit under test"),
        "{m}"
    );
    // A departed unit is gone from the relation already: accepted.
    let gone = db.clone().no_remote_units();
    ctx()
        .check(
            &Event::relation_departed(&gone, 0),
            &base().relation(gone.clone()).build(),
        )
        .unwrap();
}

#[test]
fn workload_events_need_a_declared_container_in_the_state() {
    let web = Container::new("web");
    let m = one_problem(Event::pebble_ready(&web), &base().build());
    assert!(
        m.contains("event `web-pebble-ready` is about container `web`, which is not in the state"),
        "{m}"
    );
    let db = Container::new("database").can_connect(true);
    let p = problems(
        Event::pebble_ready(&db),
        &base().container(db.clone()).build(),
    );
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(p[0].contains("container `database` is not declared by the charm (declared: `web`)"));
    assert!(p[1].contains(
        "event `database-pebble-ready` is about container `database`, which is not declared"
    ));
}

#[test]
fn notices_and_checks_must_be_in_the_container() {
    let notice = Notice::new("example.com/done");
    let web = Container::new("web").can_connect(true);
    let m = one_problem(
        Event::pebble_custom_notice(&web, &notice),
        &base().container(web.clone()).build(),
    );
    assert!(m.contains("is about notice"), "{m}");
    assert!(m.contains("key `example.com/done`"), "{m}");
    let check = CheckInfo::new("alive").down(3);
    let m = one_problem(
        Event::pebble_check_failed(&web, &check),
        &base().container(web.clone()).build(),
    );
    assert!(
        m.contains("is about check `alive`, which is not among the check infos"),
        "{m}"
    );
    // In the container, but the check is not in the plan.
    let web2 = web.clone().check_info(check.clone());
    let m = one_problem(
        Event::pebble_check_failed(&web2, &check),
        &base().container(web2.clone()).build(),
    );
    assert!(
        m.contains("container `web` has check info `alive`, but its plan has no checks"),
        "{m}"
    );
    // With the check in a layer it is consistent; old Juju versions lack the event.
    let web3 = web2.layer_json(
        "base",
        json!({"checks": {"alive": {"override": "replace", "http": {"url": "http://localhost"}}}}),
    );
    let state = base().container(web3.clone()).build();
    ctx()
        .check(&Event::pebble_check_failed(&web3, &check), &state)
        .unwrap();
    let m = Context::<Full>::new()
        .with_juju_version("3.4.2")
        .check(&Event::pebble_check_failed(&web3, &check), &state)
        .unwrap_err();
    assert!(m.problems[0].contains("exists from Juju 3.6 (the context says 3.4.2)"));
}

#[test]
fn container_contents_are_checked() {
    let web = Container::new("web")
        .layer_json(
            "base",
            json!({"services": {"srv": {"override": "replace", "command": "x"}}}),
        )
        .service_status("srv", ServiceStatus::Active)
        .service_status("ghost", ServiceStatus::Active)
        .file("relative/path", "x")
        .layer_json("bad", json!(["not", "an", "object"]));
    let p = problems(Event::start(), &base().container(web).build());
    assert_eq!(p.len(), 3, "{p:#?}");
    assert!(p[0].contains("container `web`: layer `bad` is not a JSON object"));
    assert!(p[1].contains(
        "status for service `ghost`, which is not in its plan (services in the plan: `srv`)"
    ));
    assert!(p[2].contains("file path `relative/path` is not absolute"));
}

#[test]
fn plan_merges_layers() {
    let web = Container::new("web")
        .layer_json("a", json!({"services": {"s": {"override": "replace", "command": "a", "environment": {"A": "1"}}}}))
        .layer_json("b", json!({"services": {"s": {"override": "merge", "environment": {"B": "2"}}, "t": {"override": "replace", "command": "t"}}}))
        .layer_json("c", json!({"services": {"t": {"override": "replace", "command": "t2"}}}));
    let plan: serde_json::Value = serde_json::to_value(web.plan()).unwrap();
    // Pebble's `Service.Merge` keeps the lower layer's `override` (plan.go).
    assert_eq!(
        plan,
        json!({"services": {
            "s": {"override": "replace", "command": "a", "environment": {"A": "1", "B": "2"}},
            "t": {"override": "replace", "command": "t2"},
        }})
    );
    assert_eq!(web.service_status_of("s"), Some(ServiceStatus::Inactive));
    assert_eq!(web.service_status_of("nope"), None);
    assert_eq!(
        Container::new("web").plan(),
        charm_runtime::pebble::Plan::default()
    );
}

#[test]
fn undeclared_storage_resource_network() {
    let state = base()
        .storage(Storage::new("logs"))
        .resource("image", "/x")
        .network(Network::new("host"))
        .network(Network::new("nowhere"))
        .build();
    let p = problems(Event::start(), &state);
    assert_eq!(p.len(), 4, "{p:#?}");
    assert!(p[0].contains("storage `logs` is not declared by the charm (declared: `data`)"));
    assert!(p[1]
        .contains("resource `image` is not declared by the charm (declared: `web-image`, `blob`)"));
    assert!(p[2].contains("network binding `host` is neither"));
    assert!(p[3].contains("network binding `nowhere` is neither"));
}

#[test]
fn storage_events() {
    let data = Storage::new("data");
    let m = one_problem(Event::storage_attached(&data), &base().build());
    assert!(
        m.contains("storage `data/0`, which is not attached in the state"),
        "{m}"
    );
    let logs = Storage::new("logs");
    let p = problems(
        Event::storage_attached(&logs),
        &base().storage(logs.clone()).build(),
    );
    assert!(p.iter().any(|m| m
        .contains("event `logs-storage-attached` is about storage `logs`, which is not declared")));
}

#[test]
fn actions_undeclared_unknown_params_wrong_types_required() {
    let m = one_problem(Event::action("restore", ()), &base().build());
    assert!(
        m.contains("action `restore` is not declared by the charm (declared: `backup`, `free`)"),
        "{m}"
    );
    let p = problems(
        Event::action(
            "backup",
            json!({"target": 3, "retries": "3", "colour": "red"}),
        ),
        &base().build(),
    );
    assert_eq!(p.len(), 3, "{p:#?}");
    assert!(p.iter().any(|m| m.contains("action `backup` has no parameter `colour` (declared: `target`, `retries`, `ratio`, `verbose`)")));
    assert!(p.iter().any(|m| m
        .contains("parameter `retries` must be an integer, but the event gives a string \"3\"")));
    assert!(p.iter().any(
        |m| m.contains("parameter `target` must be a string, but the event gives an integer 3")
    ));
    let m = one_problem(Event::action("backup", ()), &base().build());
    assert!(
        m.contains("required parameter `target` is not given"),
        "{m}"
    );
    let m = one_problem(Event::action("backup", json!([1])), &base().build());
    assert!(m.contains("action parameters must be a JSON object"), "{m}");
    // additionalProperties: anything goes.
    ctx()
        .check(&Event::action("free", [("anything", 1)]), &base().build())
        .unwrap();
}

#[test]
fn secrets_are_checked() {
    let observed = Secret::new([("a", "b")]);
    let owned = Secret::new([("a", "b")])
        .owner(SecretOwner::App)
        .label("mine");
    let state = base()
        .secret(observed.clone())
        .secret(owned.clone())
        .build();
    ctx()
        .check(&Event::secret_changed(&observed), &state)
        .unwrap();
    ctx().check(&Event::secret_rotate(&owned), &state).unwrap();
    let m = one_problem(Event::secret_changed(&owned), &state);
    assert!(
        m.contains("which this application owns; Juju sends secret-changed only to observers"),
        "{m}"
    );
    let m = one_problem(Event::secret_remove(&observed, 1), &state);
    assert!(
        m.contains("which this unit only observes; Juju sends secret-remove only to the owner"),
        "{m}"
    );
    let m = one_problem(Event::secret_expired(&owned, 7), &state);
    assert!(m.contains("revision 7 of secret"), "{m}");
    let missing = Secret::new([("x", "y")]);
    let m = one_problem(Event::secret_changed(&missing), &state);
    assert!(
        m.contains(&format!(
            "is about secret `{}`, which is not in the state",
            missing.id
        )),
        "{m}"
    );
    let bad = Secret::new([("x", "y")]).id("secret:nope").tracked(4);
    let p = problems(Event::start(), &base().secret(bad).build());
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(p[0].contains("secret id `secret:nope` is not a Juju secret URI"));
    assert!(p[1].contains("tracks revision 4, which it does not have (revisions: 1)"));
    let old = Context::<Full>::new().with_juju_version("2.9.44");
    let p = old.check(&Event::start(), &state).unwrap_err().problems;
    assert!(
        p[0].contains("Juju supports from 3.0 (the context says 2.9.44)"),
        "{p:#?}"
    );
}

#[test]
fn every_problem_is_reported() {
    let state = State::builder()
        .config("colour", "red")
        .relation(Relation::new("cache"))
        .container(Container::new("db"))
        .build();
    let p = problems(Event::action("nope", ()), &state);
    assert_eq!(p.len(), 5, "{p:#?}");
    let text = ctx()
        .run(Event::action("nope", ()), &state)
        .unwrap_err()
        .to_string();
    assert!(
        text.starts_with(
            "inconsistent test input (Juju could never produce this), 5 problems:\n  - "
        ),
        "{text}"
    );
}

#[test]
fn bad_context() {
    let c = Context::<Full>::new()
        .with_app_name("Bad_Name")
        .with_juju_version("three");
    let p = c
        .check(&Event::start(), &base().build())
        .unwrap_err()
        .problems;
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(p[0].contains("Juju version `three`"));
    assert!(p[1].contains("application name `Bad_Name`"));
}

// ---- runs ----------------------------------------------------------------------------------

#[test]
fn leader_start_writes_the_app_bag() {
    let p = peers().id(5);
    let state = State::builder().leader(true).relation(p.clone()).build();
    let out = ctx().run(Event::start(), &state).unwrap();
    assert!(out.handled);
    assert_eq!(out.relation(5).unwrap().local_app_data["count"], "1");
    assert_eq!(out.state.unit_status(), &active("ready"));
    assert_eq!(out.state.app_status(), &active("app ready"));
    assert_eq!(
        out.unit_status_history,
        [WorkloadStatus::Active("ready".into())]
    );
    // The input is untouched.
    assert!(state.relation(5).unwrap().local_app_data.is_empty());
    assert_eq!(out.calls_to("relation-set"), 1);
    assert_eq!(
        out.command_lines(),
        [
            "relation-ids replicas --format=json",
            "is-leader --format=json",
            "relation-get --format=json -r replicas:5 --app - full",
            "relation-set -r replicas:5 --app --file -",
            "status-set --application=False active -- ready",
            "status-set --application=True active -- app ready",
        ]
    );
}

#[test]
fn non_leader_start_writes_its_unit_bag() {
    let p = peers().id(6).local_unit_data([("count", "41")]);
    let out = ctx()
        .run(Event::start(), &State::builder().relation(p).build())
        .unwrap();
    assert_eq!(out.relation(6).unwrap().local_unit_data["count"], "42");
    assert!(out.relation(6).unwrap().local_app_data.is_empty());
    // Not the leader: no app status.
    assert_eq!(out.state.app_status(), &WorkloadStatus::Unknown);
}

#[test]
fn config_defaults_and_ports_and_version() {
    let state = base().opened_port(Port::Tcp(22)).build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.state.opened_ports().iter().copied().collect::<Vec<_>>(),
        [Port::Tcp(8000)]
    );
    assert_eq!(out.state.workload_version(), "v-full");
    assert_eq!(out.workload_version_history, ["v-full"]);
    let out = ctx()
        .run(
            Event::config_changed(),
            &base().config("port", 9000).config("name", "x").build(),
        )
        .unwrap();
    assert!(out.state.opened_ports().contains(&Port::Tcp(9000)));
    assert_eq!(out.state.workload_version(), "v-x");
}

#[test]
fn failure_commits_nothing_and_carries_the_error() {
    let db = Relation::new("db")
        .id(7)
        .remote_app_name("pg")
        .remote_app_data([("x", "1"), ("fail", "yes")]);
    let state = base()
        .relation(db.clone())
        .unit_status(active("before"))
        .build();
    let err = ctx()
        .run(Event::relation_changed(&db, 0), &state)
        .unwrap_err();
    let f = err.failure().expect("a charm failure");
    assert_eq!(f.hook, "db-relation-changed");
    assert_eq!(
        f.error.to_string(),
        "handler `db_changed`: remote asked me to fail"
    );
    assert_eq!(f.output.state, state, "nothing committed, no status set");
    // Juju prefixes log lines of relation hooks with the relation.
    assert_eq!(
        f.output.logs_at(LogLevel::Error),
        ["db:7: hook `db-relation-changed` failed: handler `db_changed`: remote asked me to fail"]
    );
    assert!(err
        .to_string()
        .contains("the charm failed in `db-relation-changed`"));
    // Without `fail` the same write is committed.
    let ok = db.clone().remote_app_data([("x", "1")]);
    let out = ctx()
        .run(
            Event::relation_changed(&ok, 0),
            &base().relation(ok.clone()).build(),
        )
        .unwrap();
    assert_eq!(out.relation(7).unwrap().local_unit_data["seen"], "1");
    assert_eq!(
        out.logs_at(LogLevel::Debug),
        ["db:7: remote unit Some(\"pg/0\")"]
    );
}

#[test]
fn departed_unit_is_not_listed() {
    let m = Relation::new("metrics")
        .id(30)
        .remote_app_name("prom")
        .remote_unit(1, [("a", "b")]);
    let state = base().relation(m.clone()).build();
    let out = ctx().run(Event::relation_departed(&m, 1), &state).unwrap();
    assert_eq!(
        out.logs_at(LogLevel::Info),
        ["metrics:30: left [\"prom/0\"], departing Some(\"prom/1\")"]
    );
    let out = ctx()
        .run(
            Event::relation_departed(&m, 1).departing_this_unit(),
            &state,
        )
        .unwrap();
    // (Juju also leaves prom/1 out of relation-list here; jujuc lists it: reported.)
    let line = out.logs_at(LogLevel::Info)[0];
    assert!(line.ends_with("departing Some(\"full/0\")"), "{line}");
}

#[test]
fn panics_are_failures() {
    let err = ctx()
        .run(
            Event::update_status(),
            &base().config("name", "panic").build(),
        )
        .unwrap_err();
    assert_eq!(
        err.charm_error().unwrap().to_string(),
        "a handler panicked: asked to panic"
    );
}

/// An event without a handler still runs collect-status (as ops does): only the statuses
/// change.
#[test]
fn unhandled_events_run_collect_status_only() {
    let state = base().leader(true).build();
    let out = ctx().run(Event::leader_elected(), &state).unwrap();
    assert!(out.handled);
    assert_eq!(
        out.command_lines(),
        [
            "status-set --application=False active -- ready",
            "is-leader --format=json",
            "status-set --application=True active -- app ready",
        ]
    );
    let expected = state
        .to_builder()
        .unit_status(active("ready"))
        .app_status(active("app ready"))
        .build();
    assert_eq!(out.state, expected);
}

/// What no tool writes comes back as it went in: model name and UUID, resources, cloud
/// spec, and each relation's endpoint, interface, remote application, bags and remote
/// model (the output takes Juju's copies of them).
#[test]
fn what_no_tool_writes_comes_back_unchanged() {
    let state = State::builder()
        .leader(true)
        .relation(
            peers()
                .local_app_data([("a", "1")])
                .local_unit_data([("u", "2")])
                .remote_app_data([("peer-remote", "unused")])
                .peer_data(1, [("p", "3")]),
        )
        .relation(
            Relation::new("db")
                .interface("pg")
                .remote_app_name("pg")
                .remote_model_uuid("0b9c8b4e-31d3-4f6e-8a5b-3c2d1e0f9a87")
                .local_app_data([("la", "x")])
                .remote_app_data([("user", "u1")])
                .remote_units_data([(0, [("host", "h0")]), (3, [("host", "h3")])]),
        )
        .resource("blob", "/tmp/blob.tgz")
        .model_name("elsewhere")
        .model_uuid("5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c")
        .cloud_spec(serde_json::json!({"type": "lxd", "name": "localhost"}))
        .build();
    let out = ctx().run(Event::leader_elected(), &state).unwrap();
    let expected = state
        .to_builder()
        .unit_status(active("ready"))
        .app_status(active("app ready"))
        .build();
    assert_eq!(out.state, expected);
}

/// One context serves runs of different events and states in any order, from any thread:
/// each gives what a fresh context gives (the environment kept from the last run is used
/// only for the same variables).
#[test]
fn a_context_runs_any_sequence_of_events_as_fresh_contexts_do() {
    fn same<T: Sync + Send>(_: &T) {}
    let shared = ctx();
    same(&shared);
    let plain = base().leader(true).build();
    let elsewhere = base().leader(true).model_name("elsewhere").build();
    let db = Relation::new("db").remote_app_name("pg");
    let with_db = base().leader(true).relation(db.clone()).build();
    let runs = [
        (Event::start(), &plain),
        (Event::start(), &plain),
        (Event::update_status(), &plain),
        (Event::start(), &elsewhere),
        (Event::relation_changed(&db, None), &with_db),
        (Event::relation_changed(&db, 0), &with_db),
        (Event::start(), &plain),
    ];
    let seen = |out: &Output| (out.command_lines(), out.state.clone());
    for (event, state) in &runs {
        let fresh = ctx().run(event.clone(), state).unwrap();
        let again = shared.run(event.clone(), state).unwrap();
        assert_eq!(seen(&again), seen(&fresh), "{}", event.hook_name());
    }
    std::thread::scope(|s| {
        for (event, state) in &runs {
            let shared = &shared;
            s.spawn(move || {
                let fresh = ctx().run(event.clone(), state).unwrap();
                let again = shared.run(event.clone(), state).unwrap();
                assert_eq!(seen(&again), seen(&fresh), "{}", event.hook_name());
            });
        }
    });
}

/// `Event::collect_status()` runs the collectors alone: here `update-status`'s handler,
/// which would panic, does not run.
#[test]
fn collect_status_alone_runs_only_the_collectors() {
    let state = base().leader(true).config("name", "panic").build();
    assert!(ctx().run(Event::update_status(), &state).is_err());
    let out = ctx().run(Event::collect_status(), &state).unwrap();
    assert!(out.handled);
    assert_eq!(out.state.unit_status(), &active("ready"));
    assert_eq!(out.state.app_status(), &active("app ready"));
    assert_eq!(out.calls_to("config-get"), 0);
}

/// Starts, and has no collect-status handler.
#[derive(Default)]
struct Bare;

#[charm(name = "bare", summary = "Bare", description = "A test charm.")]
impl Bare {
    #[on(start)]
    fn start(&self, model: &mut Model) {
        model.add_status(active("started"));
    }
}

/// No handler and no collect-status handler: nothing runs, no hook tool is called.
#[test]
fn unhandled_events_of_a_charm_without_collect_status_change_nothing() {
    let state = State::default();
    for e in [
        Event::leader_elected(),
        Event::update_status(),
        Event::collect_status(),
    ] {
        let out = Context::<Bare>::new().run(e, &state).unwrap();
        assert!(!out.handled);
        assert!(out.tool_calls.is_empty());
        assert_eq!(out.state, state);
    }
    let out = Context::<Bare>::new().run(Event::start(), &state).unwrap();
    assert_eq!(out.state.unit_status(), &active("started"));
}

#[test]
fn actions_get_defaults_results_logs_and_failure() {
    let out = ctx()
        .run(Event::action("backup", [("target", "s3")]), &base().build())
        .unwrap();
    assert_eq!(out.action_logs, ["backing up"]);
    assert_eq!(out.action_results["target"], "s3");
    assert_eq!(out.action_results["retries"], "3");
    assert_eq!(
        out.action_results_nested(),
        json!({"target": "s3", "retries": "3", "nested": {"ratio": "0.5"}, "verbose": "false"})
    );
    assert_eq!(out.action_failure, None);
    let out = ctx()
        .run(
            Event::action("backup", [("target", "nowhere")]),
            &base().build(),
        )
        .unwrap();
    assert_eq!(out.action_failure.as_deref(), Some("no such target"));
}

#[test]
fn broken_relation_is_not_listed() {
    let db = Relation::new("db").remote_app_name("pg");
    let out = ctx()
        .run(
            Event::relation_broken(&db),
            &base().relation(db.clone()).build(),
        )
        .unwrap();
    assert_eq!(
        out.logs_at(LogLevel::Info),
        [format!("db:{}: db relations: 0", db.id)]
    );
    // It is still in the output state: Juju removes it after the hook.
    assert!(out.relation(db.id).is_some());
}

#[test]
fn secrets_storage_and_workload_events_run() {
    let s = Secret::new([("password", "old")]).latest_content([("password", "new")]);
    let out = ctx()
        .run(Event::secret_changed(&s), &base().secret(s.clone()).build())
        .unwrap();
    assert_eq!(
        out.logs_at(LogLevel::Info),
        ["secret SecretContent { keys: [\"password\"] }: Some(\"new\")"]
    );
    assert_eq!(
        out.state.secret(&s.id).unwrap().tracked,
        2,
        "refresh committed"
    );

    let data = Storage::new("data").location("/srv/data");
    let out = ctx()
        .run(
            Event::storage_attached(&data),
            &base().storage(data.clone()).build(),
        )
        .unwrap();
    assert_eq!(out.logs_at(LogLevel::Info), ["data/0 at /srv/data"]);
    assert_eq!(out.storage_requests, [("data".to_string(), 2)]);

    let web = Container::new("web").can_connect(true);
    let out = ctx()
        .run(
            Event::pebble_ready(&web),
            &base().container(web.clone()).build(),
        )
        .unwrap();
    assert_eq!(out.state.unit_status(), &maintenance("starting"));
    assert!(out.pebble_calls.is_empty());
    assert_eq!(out.state.container("web"), Some(&web));
}

#[test]
fn context_options_reach_the_charm() {
    let c = Context::<Full>::new()
        .with_app_name("other")
        .with_unit_id(3);
    assert_eq!(c.unit_name(), "other/3");
    let p = peers().id(9).peer_data(0, [("count", "1")]);
    let out = c
        .run(Event::start(), &State::builder().relation(p).build())
        .unwrap();
    assert!(out
        .command_lines()
        .contains(&"relation-get --format=json -r replicas:9 - other/3".to_string()));
}

#[test]
fn relation_ids_are_unique_and_settable() {
    let a = Relation::new("db");
    let b = Relation::new("db");
    assert_ne!(a.id, b.id);
    assert_eq!(Relation::new("db").id(3).id, 3);
}

#[test]
fn to_builder_derives_a_variant() {
    let s = base().leader(true).build();
    let t = s.to_builder().leader(false).build();
    assert!(s.leader());
    assert!(!t.leader());
    assert_eq!(s.relations(), t.relations());
}
