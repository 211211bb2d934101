//! The holistic charm of docs/status-and-reconcile.md, run through the harness: one
//! `#[on(any)]` reconciler, a dedicated action handler, and collect-status, with no
//! deferral: what a missing prerequisite waits for is the next event, `update-status` at
//! the latest.

use charm_runtime::pebble::{Layer, Service};
use charm_runtime::prelude::*;
use charm_runtime::Event as Hook;
use charm_testing::{Container, Context, Event, Relation, ServiceStatus, State};

/// The greeter's config.
#[derive(CharmConfig)]
pub struct Config {
    /// What the server answers.
    #[config(default = "hello")]
    greeting: String,
}

/// A web server that needs a database and greets.
#[derive(Default)]
pub struct Greeter;

/// The server's layer for this greeting and database.
fn layer(greeting: &str, db: &str) -> Layer {
    Layer::new().service(
        "greeter",
        Service::new(format!("greeter --greeting={greeting} --db={db}")).enabled(),
    )
}

/// The database's address, once the provider has sent it.
fn db_address(model: &mut Model) -> Result<Option<String>> {
    let Some(rel) = model.relation(Greeter::DB)? else {
        return Ok(None);
    };
    Ok(model.bag(&rel, Bag::RemoteApp)?.get("endpoints").cloned())
}

#[charm(name = "greeter", summary = "Greets", description = "A holistic charm.", config = Config)]
#[container("web")]
#[requires("db", interface = "postgresql_client", limit = 1)]
#[action("restart", description = "Restarts the server")]
impl Greeter {
    /// Every hook: make the workload match the config and the database. Idempotent, so
    /// running it on every event is harmless; what is missing is reported by
    /// collect-status, and the event that brings it runs this again.
    #[on(any)]
    fn reconcile(&self, model: &mut Model) -> Result<()> {
        if matches!(model.event(), Hook::Stop | Hook::Remove) {
            return Ok(()); // going away: nothing to converge to
        }
        let config: Config = model.config()?;
        let Some(db) = db_address(model)? else {
            return Ok(()); // relation-changed runs this again
        };
        let want = layer(&config.greeting, &db);
        let web = model.container(Self::WEB);
        match web.get_plan() {
            Ok(plan) if plan.services == want.services => Ok(()),
            Ok(_) => {
                web.add_layer("greeter", &want, true)?;
                web.replan()?;
                Ok(())
            }
            Err(e) if e.is_cannot_connect() => Ok(()), // pebble-ready runs this again
            Err(e) => Err(e.into()),
        }
    }

    /// An action is a request with its own handler; `any` does not run for it.
    #[on(action("restart"))]
    fn restart(&self, model: &mut Model) -> Result<()> {
        model.container(Self::WEB).restart(&["greeter"])?;
        Ok(())
    }

    /// What the unit is waiting for, at the end of every dispatch.
    #[on(collect_status)]
    fn status(&self, model: &mut Model) -> Result<()> {
        if model.relation(Self::DB)?.is_none() {
            model.add_status(blocked("needs a database relation"));
        } else if db_address(model)?.is_none() {
            model.add_status(waiting("waiting for the database"));
        }
        match model.container(Self::WEB).get_service("greeter") {
            Ok(Some(s)) if s.is_running() => model.add_status(active("")),
            Ok(_) => model.add_status(maintenance("starting the server")),
            Err(e) if e.is_cannot_connect() => model.add_status(maintenance("waiting for Pebble")),
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }
}

fn ctx() -> Context<Greeter> {
    Context::new()
}

fn db() -> Relation {
    Relation::new("db")
        .remote_app_name("postgresql")
        .remote_app_data([("endpoints", "pg:5432")])
}

fn state(web: Container, db: Option<Relation>) -> State {
    let mut b = State::builder().container(web);
    if let Some(db) = db {
        b = b.relation(db);
    }
    b.build()
}

fn pebble_up() -> Container {
    Container::new("web").can_connect(true)
}

#[test]
fn pebble_not_up_yet_waits_without_an_error() {
    let out = ctx()
        .run(
            Event::config_changed(),
            &state(Container::new("web"), Some(db())),
        )
        .unwrap();
    assert_eq!(out.state.unit_status(), &maintenance("waiting for Pebble"));
}

/// pebble-ready has no handler of its own: the reconciler runs for it.
#[test]
fn pebble_ready_runs_the_reconciler() {
    let st = state(pebble_up(), Some(db()));
    let web = st.container("web").unwrap().clone();
    let out = ctx().run(Event::pebble_ready(&web), &st).unwrap();
    let c = out.container("web").unwrap();
    assert_eq!(c.layer_of("greeter"), Some(&layer("hello", "pg:5432")));
    assert_eq!(c.service_statuses["greeter"], ServiceStatus::Active);
    assert_eq!(out.state.unit_status(), &active(""));
    // Running it again changes nothing: one read of the plan, one of the service.
    let again = ctx().run(Event::config_changed(), &out.state).unwrap();
    assert_eq!(
        again.pebble_lines(),
        ["GET /v1/plan?format=yaml", "GET /v1/services?names=greeter"]
    );
}

/// No deferral: the config change came while Pebble was down, and nothing was queued. The
/// next event (here the periodic update-status) runs the reconciler, which catches up.
#[test]
fn the_next_event_catches_up_instead_of_a_deferred_one() {
    let down = state(Container::new("web"), Some(db()))
        .to_builder()
        .config("greeting", "hi")
        .build();
    let out = ctx().run(Event::config_changed(), &down).unwrap();
    assert!(out.pebble_calls.is_empty());
    let up = out.state.to_builder().container(pebble_up()).build();
    let out = ctx().run(Event::update_status(), &up).unwrap();
    assert_eq!(
        out.container("web").unwrap().layer_of("greeter"),
        Some(&layer("hi", "pg:5432"))
    );
    assert_eq!(out.state.unit_status(), &active(""));
}

#[test]
fn relation_broken_blocks() {
    let db = db();
    let st = state(pebble_up(), Some(db.clone()))
        .to_builder()
        .unit_status(active(""))
        .build();
    let out = ctx().run(Event::relation_broken(&db), &st).unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked("needs a database relation")
    );
}

/// The action runs its own handler and collect-status, not the reconciler.
#[test]
fn actions_do_not_reconcile() {
    let web = pebble_up()
        .layer("greeter", layer("hello", "pg:5432"))
        .service_status("greeter", ServiceStatus::Active);
    let out = ctx()
        .run(Event::action("restart", ()), &state(web, Some(db())))
        .unwrap();
    let lines = out.pebble_lines();
    // The restart, then collect-status's read; never the reconciler's plan read.
    assert_eq!(lines.first().map(String::as_str), Some("POST /v1/services"));
    assert_eq!(
        lines.last().map(String::as_str),
        Some("GET /v1/services?names=greeter")
    );
    assert!(!lines.iter().any(|l| l.contains("/v1/plan")), "{lines:?}");
    assert_eq!(out.state.unit_status(), &active(""));
}

#[test]
fn collect_status_alone_does_not_reconcile() {
    let out = ctx()
        .run(Event::collect_status(), &state(pebble_up(), None))
        .unwrap();
    assert_eq!(
        out.state.unit_status(),
        &blocked("needs a database relation")
    );
    assert_eq!(out.pebble_lines(), ["GET /v1/services?names=greeter"]);
}
