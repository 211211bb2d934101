//! State-transition tests of the webapp charm, one section per feature: config of every
//! type, the Pebble layer, the `database` requirer's raw fields, the `website` provider,
//! the admin password in a secret shared through the peer relation, the action, storage,
//! and collect-status (bad input is `blocked`, never a hook error).

use charm_runtime::metadata::OptionType;
use charm_runtime::serde_json::json;
use charm_runtime::{active, blocked, maintenance, waiting, Charm, Port};
use charm_testing::{
    Container, Context, Event, Network, Output, Relation, RunError, Secret, SecretOwner,
    ServiceStatus, State, StateBuilder, Storage,
};
use std::collections::BTreeMap;
use webapp::Webapp;

const ADMIN_PASSWORD: &str = "admin-PW-from-the-secret";

fn ctx() -> Context<Webapp> {
    Context::new()
}

/// The admin password secret, owned by the application.
fn admin_secret() -> Secret {
    Secret::new([("password", ADMIN_PASSWORD)]).owner(SecretOwner::App)
}

/// The peer relation, with the admin secret's id shared in its application bag.
fn peers_sharing(secret: &Secret) -> Relation {
    Relation::peer("peers").local_app_data([("admin-secret-id", secret.id.as_str())])
}

/// postgresql-k8s's side of `database` with this application bag.
fn database(app_data: &[(&str, &str)]) -> Relation {
    Relation::new("database")
        .interface("postgresql_client")
        .remote_app_name("postgresql-k8s")
        .remote_app_data(app_data.iter().copied())
}

fn credentials() -> Relation {
    database(&[
        ("endpoints", "pg.example:5432,pg2.example:5432"),
        ("username", "webapp_user"),
        ("password", "db-PW"),
    ])
}

fn webapp_container() -> Container {
    Container::new("webapp").can_connect(true)
}

/// The leader, the admin password shared, Pebble up; no database, no storage.
fn base() -> StateBuilder {
    let secret = admin_secret();
    State::builder()
        .leader(true)
        .relation(peers_sharing(&secret))
        .secret(secret)
        .container(webapp_container())
}

/// Everything the workload needs: [`base`], the database credentials and the storage.
fn ready() -> State {
    base()
        .relation(credentials())
        .storage(Storage::new("data"))
        .build()
}

/// The environment of the `webapp` service in the plan after the run.
fn service_env(out: &Output) -> BTreeMap<String, String> {
    let plan = out.container("webapp").unwrap().plan();
    plan.services["webapp"]
        .environment
        .clone()
        .into_iter()
        .collect()
}

fn command(out: &Output) -> String {
    let plan = out.container("webapp").unwrap().plan();
    plan.services["webapp"].command.clone()
}

// ---- config: string, int, bool, float, secret --------------------------------------------

/// The options as charmcraft.yaml declares them: every type, with defaults.
#[test]
fn config_options_have_their_types_and_defaults() {
    let meta = Webapp::metadata();
    let kinds: Vec<(&str, OptionType)> = meta
        .config
        .iter()
        .map(|o| (o.name.as_str(), o.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("site-name", OptionType::String),
            ("port", OptionType::Int),
            ("debug", OptionType::Boolean),
            ("request-timeout", OptionType::Float),
            ("smtp-password", OptionType::Secret),
        ]
    );
}

/// With the defaults, every option reaches the workload.
#[test]
fn defaults_reach_the_workload() {
    let out = ctx().run(Event::config_changed(), &ready()).unwrap();
    assert_eq!(
        command(&out),
        "/usr/bin/webapp --port=8080 --data-dir=/var/lib/webapp"
    );
    let env = service_env(&out);
    assert_eq!(env["SITE_NAME"], "webapp");
    assert_eq!(env["DEBUG"], "false");
    assert_eq!(env["REQUEST_TIMEOUT"], "30");
    assert_eq!(env["SMTP_PASSWORD"], "");
    assert_eq!(out.state.unit_status(), &active(""));
}

/// Set values of each type, the SMTP password from the secret the option names.
#[test]
fn set_options_reach_the_workload() {
    let smtp = Secret::new([("password", "smtp-PW")]);
    let state = ready()
        .to_builder()
        .config("site-name", "My shop")
        .config("port", 9000)
        .config("debug", true)
        .config("request-timeout", 2.5)
        .config("smtp-password", smtp.id.as_str())
        .secret(smtp)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert!(command(&out).contains("--port=9000"), "{}", command(&out));
    let env = service_env(&out);
    assert_eq!(env["SITE_NAME"], "My shop");
    assert_eq!(env["DEBUG"], "true");
    assert_eq!(env["REQUEST_TIMEOUT"], "2.5");
    assert_eq!(env["SMTP_PASSWORD"], "smtp-PW");
    assert_eq!(
        out.state.opened_ports().iter().copied().collect::<Vec<_>>(),
        [Port::Tcp(9000)]
    );
    assert_eq!(out.state.unit_status(), &active(""));
}

/// A port out of range is bad input: `blocked`, naming the option, not a hook error; the
/// workload keeps its plan.
#[test]
fn an_out_of_range_port_is_blocked() {
    let state = ready().to_builder().config("port", 70000).build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked(
            "Invalid config: config option `port`: 70000 is out of range for `u16` (0..=65535)"
        )
    );
    assert!(out.pebble_calls.is_empty());
    assert!(out.state.opened_ports().is_empty());
}

/// An `smtp-password` secret the application was not granted, or without `password`:
/// blocked, naming the option; the workload is not started without it.
#[test]
fn an_unusable_smtp_secret_is_blocked() {
    let missing = ready()
        .to_builder()
        .config("smtp-password", "secret:cs000000000000000099")
        .build();
    let out = ctx().run(Event::config_changed(), &missing).unwrap();
    let status = out.state.unit_status();
    assert_eq!(status.name(), "blocked");
    assert!(
        status.message().starts_with("Invalid smtp-password: "),
        "{status:?}"
    );
    assert!(out.container("webapp").unwrap().plan().services.is_empty());

    let no_key = Secret::new([("token", "x")]);
    let state = ready()
        .to_builder()
        .config("smtp-password", no_key.id.as_str())
        .secret(no_key)
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked("Invalid smtp-password: secret content has no key \"password\" (it has: token)")
    );
}

// ---- Pebble: layer and replan ------------------------------------------------------------

/// pebble-ready with everything there: the layer is added and the service started.
#[test]
fn pebble_ready_starts_the_service() {
    let state = ready();
    let out = ctx()
        .run(Event::pebble_ready(&webapp_container()), &state)
        .unwrap();
    let c = out.container("webapp").unwrap();
    assert_eq!(c.service_statuses["webapp"], ServiceStatus::Active);
    let layer = c.layer_of("webapp").expect("the webapp layer");
    assert_eq!(layer.summary, "webapp layer");
    assert_eq!(
        out.pebble_lines()[..3],
        [
            "GET /v1/system-info",
            "POST /v1/layers",
            "POST /v1/services"
        ]
    );
    assert_eq!(out.pebble_calls[1].json().unwrap()["combine"], true);
    assert_eq!(out.state.unit_status(), &active(""));
}

/// A config change replans with the new command; the service keeps running.
#[test]
fn a_config_change_replans() {
    let first = ctx().run(Event::config_changed(), &ready()).unwrap();
    let state = first.state.to_builder().config("port", 8081).build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert!(command(&out).contains("--port=8081"));
    assert_eq!(
        out.container("webapp").unwrap().service_statuses["webapp"],
        ServiceStatus::Active
    );
}

/// Pebble not up yet: no error, nothing asked of it but whether it is up; the status says so.
#[test]
fn pebble_not_up_yet_waits() {
    let state = ready()
        .to_builder()
        .container(Container::new("webapp"))
        .build();
    let out = ctx().run(Event::config_changed(), &state).unwrap();
    assert_eq!(out.state.unit_status(), &maintenance("Waiting for Pebble"));
    assert!(out.pebble_calls.is_empty());
}

// ---- database: a postgresql_client requirer with raw fields -------------------------------

/// The leader asks for the `webapp` database as a plain string; a follower does not write.
#[test]
fn the_leader_requests_the_database_as_a_plain_string() {
    let db = database(&[]);
    let state = base()
        .relation(db.clone())
        .storage(Storage::new("data"))
        .build();
    let out = ctx().run(Event::relation_created(&db), &state).unwrap();
    assert_eq!(
        out.relation(db.id).unwrap().local_app_data["database"],
        "webapp"
    );
    let follower = state.to_builder().leader(false).build();
    let out = ctx().run(Event::relation_created(&db), &follower).unwrap();
    assert!(out.relation(db.id).unwrap().local_app_data.is_empty());
}

/// The provider's plain strings become the URL (first endpoint).
#[test]
fn credentials_become_the_database_url() {
    let db = credentials();
    let state = base()
        .relation(db.clone())
        .storage(Storage::new("data"))
        .build();
    let out = ctx().run(Event::relation_changed(&db, 0), &state).unwrap();
    assert_eq!(
        service_env(&out)["DATABASE_URL"],
        "postgresql://webapp_user:db-PW@pg.example:5432/webapp"
    );
}

/// No relation: blocked. Related but not everything sent yet: waiting, and no workload.
#[test]
fn the_database_is_waited_for() {
    let no_db = base().storage(Storage::new("data")).build();
    let out = ctx().run(Event::config_changed(), &no_db).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked("Needs a database relation")
    );
    assert!(out.container("webapp").unwrap().plan().services.is_empty());

    for partial in [database(&[]), database(&[("endpoints", "pg:5432")])] {
        let state = no_db.to_builder().relation(partial.clone()).build();
        let out = ctx()
            .run(Event::relation_changed(&partial, 0), &state)
            .unwrap();
        assert_eq!(
            out.state.unit_status(),
            &waiting("Waiting for database credentials")
        );
        assert!(out.container("webapp").unwrap().plan().services.is_empty());
    }
}

/// Endpoints that are not `host:port`: blocked, naming them; the dispatch's other writes
/// (the database request, the port) are still made.
#[test]
fn unusable_endpoints_are_blocked_not_an_error() {
    let db = database(&[
        ("endpoints", "no-port-here"),
        ("username", "u"),
        ("password", "p"),
    ]);
    let state = base()
        .relation(db.clone())
        .storage(Storage::new("data"))
        .build();
    let out = ctx().run(Event::relation_changed(&db, 0), &state).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked("Unusable database relation: endpoints \"no-port-here\" is not host:port")
    );
    assert_eq!(
        out.relation(db.id).unwrap().local_app_data["database"],
        "webapp"
    );
    assert_eq!(out.state.opened_ports().len(), 1);
}

// ---- website: an http provider ----------------------------------------------------------

/// Each `website` relation gets this unit's ingress address and port, as plain strings.
#[test]
fn website_gets_hostname_and_port() {
    let website = Relation::new("website")
        .interface("http")
        .remote_app_name("haproxy");
    let state = ready()
        .to_builder()
        .relation(website.clone())
        .network(Network::new("website").info(json!({
            "bind-addresses": [{"mac-address": "", "interface-name": "eth0",
                "addresses": [{"hostname": "", "value": "10.1.0.5", "cidr": "10.1.0.0/16"}]}],
            "egress-subnets": ["10.1.0.5/32"],
            "ingress-addresses": ["10.152.183.7"],
        })))
        .config("port", 8443)
        .build();
    let out = ctx()
        .run(Event::relation_joined(&website, 0), &state)
        .unwrap();
    let bag = &out.relation(website.id).unwrap().local_unit_data;
    assert_eq!(bag["hostname"], "10.152.183.7");
    assert_eq!(bag["port"], "8443");
}

// ---- the admin password: a secret shared through the peer relation ------------------------

/// leader-elected: the leader creates an application-owned secret and shares its id in the
/// peer application bag; the workload starts with it in the same dispatch.
#[test]
fn the_leader_creates_and_shares_the_admin_password() {
    let state = State::builder()
        .leader(true)
        .relation(Relation::peer("peers"))
        .relation(credentials())
        .storage(Storage::new("data"))
        .container(webapp_container())
        .build();
    let out = ctx().run(Event::leader_elected(), &state).unwrap();
    assert_eq!(out.state.secrets().len(), 1);
    let secret = &out.state.secrets()[0];
    assert_eq!(secret.owner, Some(SecretOwner::App));
    let password = &secret.latest_content_of().unwrap()["password"];
    assert_eq!(password.len(), 24);
    assert!(password
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    let peers = &out
        .state
        .relations_of("peers")
        .next()
        .unwrap()
        .local_app_data;
    assert_eq!(peers["admin-secret-id"], secret.id);
    assert_eq!(&service_env(&out)["ADMIN_PASSWORD"], password);
    assert_eq!(out.state.unit_status(), &active(""));
    // Never through a command line.
    assert!(out
        .tool_calls
        .iter()
        .all(|c| !c.argv.join(" ").contains(password.as_str())));

    // Elected again: the same secret.
    let again = ctx().run(Event::leader_elected(), &out.state).unwrap();
    assert_eq!(again.state.secrets(), out.state.secrets());
    assert_eq!(again.calls_to("secret-add"), 0);
}

/// A follower reads the password by the id the leader shared.
#[test]
fn a_follower_reads_the_password_by_id() {
    let state = ready().to_builder().leader(false).build();
    let out = ctx()
        .run(Event::pebble_ready(&webapp_container()), &state)
        .unwrap();
    assert_eq!(service_env(&out)["ADMIN_PASSWORD"], ADMIN_PASSWORD);
    let get = out
        .command_lines()
        .into_iter()
        .find(|l| l.starts_with("secret-get"))
        .unwrap();
    assert!(get.contains(&admin_secret_id(&state)), "{get}");
    // A follower writes no bag: only the leader requests the database.
    assert_eq!(out.calls_to("relation-set"), 0);
}

/// Before the leader has shared it, a follower waits and starts nothing.
#[test]
fn a_follower_waits_for_the_password() {
    let state = State::builder()
        .leader(false)
        .relation(Relation::peer("peers"))
        .relation(credentials())
        .storage(Storage::new("data"))
        .container(webapp_container())
        .build();
    let out = ctx().run(Event::leader_settings_changed(), &state).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &waiting("Waiting for the admin password")
    );
    assert!(out.container("webapp").unwrap().plan().services.is_empty());
}

fn admin_secret_id(state: &State) -> String {
    state.relations_of("peers").next().unwrap().local_app_data["admin-secret-id"].clone()
}

// ---- the action: rotate-admin-password with a typed parameter -----------------------------

/// On the leader: a new revision of the asked length, and this unit's workload has it.
#[test]
fn rotate_makes_a_new_revision_and_replans() {
    let state = ready();
    let id = admin_secret_id(&state);
    let out = ctx()
        .run(
            Event::action("rotate-admin-password", [("length", 40)]),
            &state,
        )
        .unwrap();
    assert_eq!(out.action_failure, None);
    let secret = out.state.secret(&id).unwrap();
    assert_eq!(secret.latest_revision(), 2);
    let password = &secret.latest_content_of().unwrap()["password"];
    assert_eq!(password.len(), 40);
    assert_ne!(password, ADMIN_PASSWORD);
    assert_eq!(&service_env(&out)["ADMIN_PASSWORD"], password);

    // The default length, filled in as Juju does.
    let out = ctx()
        .run(Event::action("rotate-admin-password", ()), &state)
        .unwrap();
    let secret = out.state.secret(&id).unwrap();
    assert_eq!(secret.latest_content_of().unwrap()["password"].len(), 24);
}

/// Elsewhere it fails with a reason, and changes nothing.
#[test]
fn rotate_fails_off_the_leader_or_before_the_password() {
    let follower = ready().to_builder().leader(false).build();
    let out = ctx()
        .run(Event::action("rotate-admin-password", ()), &follower)
        .unwrap();
    assert_eq!(
        out.action_failure.as_deref(),
        Some("Run this action on the leader unit")
    );
    assert_eq!(out.state.secrets(), follower.secrets());

    let no_password = State::builder()
        .leader(true)
        .relation(Relation::peer("peers"))
        .container(webapp_container())
        .build();
    let out = ctx()
        .run(Event::action("rotate-admin-password", ()), &no_password)
        .unwrap();
    assert_eq!(
        out.action_failure.as_deref(),
        Some("There is no admin password yet")
    );
}

/// The parameter is typed: Juju rejects a string; the charm a length beyond `u8`.
#[test]
fn rotate_checks_its_parameter() {
    let err = ctx()
        .run(
            Event::action("rotate-admin-password", [("length", "long")]),
            &ready(),
        )
        .unwrap_err();
    let RunError::Inconsistent(i) = err else {
        panic!("expected an inconsistency: {err}")
    };
    assert_eq!(
        i.problems,
        ["action `rotate-admin-password`: parameter `length` must be an integer, but the event gives a string \"long\""]
    );
    let err = ctx()
        .run(
            Event::action("rotate-admin-password", [("length", 300)]),
            &ready(),
        )
        .unwrap_err();
    assert_eq!(
        err.failure().expect("a charm failure").error.to_string(),
        "handler `rotate_admin_password`: action `rotate-admin-password`: \
         parameter `length`: 300 is out of range for `u8`"
    );
}

// ---- storage ----------------------------------------------------------------------------

/// The storage is mounted into the workload container at the data directory.
#[test]
fn the_data_storage_is_mounted_into_the_container() {
    let meta = Webapp::metadata();
    let storage = &meta.storage[0];
    assert_eq!(storage.name, "data");
    let mounts: Vec<(&str, &str)> = meta.containers[0]
        .mounts
        .iter()
        .map(|m| {
            (
                m.storage.as_str(),
                m.location.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(mounts, [("data", "/var/lib/webapp")]);
}

/// Without the storage attached, the unit waits for it.
#[test]
fn the_unit_waits_for_its_storage() {
    let without = base().relation(credentials()).build();
    let out = ctx().run(Event::update_status(), &without).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &waiting("Waiting for the data storage")
    );
    let data = Storage::new("data");
    let with = without.to_builder().storage(data.clone()).build();
    let out = ctx().run(Event::storage_attached(&data), &with).unwrap();
    assert_eq!(out.state.unit_status(), &active(""));
}

// ---- collect-status on every event -------------------------------------------------------

/// Events the charm has no dedicated handler for refresh the status too (database gone).
#[test]
fn the_status_follows_the_database_going_away() {
    let db = credentials();
    let state = base()
        .relation(db.clone())
        .storage(Storage::new("data"))
        .unit_status(active(""))
        .build();
    let out = ctx().run(Event::relation_broken(&db), &state).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked("Needs a database relation")
    );
}
