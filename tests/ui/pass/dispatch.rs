//! The generated handlers run: a dispatch through in-memory hook tools routes the event to
//! the right methods (`&self` and `&mut self`, `()` and `Result` returns), then runs the
//! collect-status handler (on every dispatch), `any` runs for every hook, and a handler's
//! error fails the dispatch.

use charm_runtime::hooktools::{HookTools, ToolCall, ToolError};
use charm_runtime::prelude::*;
use charm_runtime::{dispatch, HookEnv, Outcome};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());
static STARTS: AtomicUsize = AtomicUsize::new(0);

fn log(s: &str) {
    LOG.lock().unwrap().push(s.to_string());
}

#[derive(Default)]
struct Counter {
    seen: u32,
}

#[charm(name = "counter", summary = "Counts", description = "Counts events.")]
#[requires("database", interface = "postgresql_client")]
#[action("fail", description = "Always fails")]
impl Counter {
    #[on(start)]
    fn count_start(&mut self, _model: &mut Model) -> Result<()> {
        self.seen += 1;
        STARTS.fetch_add(1, Ordering::SeqCst);
        log("count_start");
        Ok(())
    }

    #[on(start, relation_changed("database"))]
    fn reconcile(&self, model: &mut Model) {
        log(&format!(
            "reconcile seen={} hook={}",
            self.seen,
            model.event().hook_name()
        ));
    }

    #[on(action("fail"))]
    fn fail(&self, _model: &mut Model) -> std::result::Result<(), std::io::Error> {
        Err(std::io::Error::other("no"))
    }

    #[on(collect_status)]
    fn status(&self, model: &mut Model) {
        log("status");
        model.add_status(active("counting"));
    }
}

/// Handles `start` only, and has no collect-status handler.
#[derive(Default)]
struct Quiet;

#[charm(name = "quiet", summary = "Quiet", description = "Starts.")]
impl Quiet {
    #[on(start)]
    fn start(&self, _model: &mut Model) {}
}

/// Reconciles on `any` hook (`start` listed too, which changes nothing), with a dedicated
/// action handler.
#[derive(Default)]
struct Holistic;

#[charm(name = "holistic", summary = "Holistic", description = "Reconciles.")]
#[action("go", description = "Goes")]
impl Holistic {
    #[on(start, any)]
    fn reconcile(&self, model: &mut Model) {
        log(&format!("any {}", model.event().hook_name()));
    }

    #[on(action("go"))]
    fn go(&self, _model: &mut Model) {
        log("go");
    }
}

/// Hook tools that answer every call with empty output and record it.
#[derive(Default)]
struct Tools(Vec<String>);

impl HookTools for Tools {
    fn call(&mut self, call: &ToolCall) -> std::result::Result<String, ToolError> {
        self.0.push(call.to_string());
        Ok(String::new())
    }
}

fn env(vars: &[(&str, &str)]) -> HookEnv {
    let base = [
        ("JUJU_UNIT_NAME", "counter/0"),
        ("JUJU_MODEL_NAME", "m"),
        ("JUJU_MODEL_UUID", "u"),
        ("JUJU_VERSION", "3.6.0"),
    ];
    let all: Vec<(&str, &str)> = base.iter().chain(vars).copied().collect();
    HookEnv::from_vars(|k| {
        all.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    })
    .unwrap()
    .unwrap()
}

fn main() {
    let mut tools = Tools::default();
    let outcome = dispatch::<Counter>(&env(&[("JUJU_DISPATCH_PATH", "hooks/start")]), &mut tools);
    assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
    assert_eq!(STARTS.load(Ordering::SeqCst), 1);
    assert_eq!(
        *LOG.lock().unwrap(),
        ["count_start", "reconcile seen=1 hook=start", "status"]
    );
    assert_eq!(tools.0.len(), 1, "{:?}", tools.0);
    assert!(
        tools.0[0].starts_with("status-set") && tools.0[0].ends_with("counting"),
        "{:?}",
        tools.0
    );

    // An event no handler is routed still runs collect-status (as ops does)...
    LOG.lock().unwrap().clear();
    let mut tools = Tools::default();
    let outcome = dispatch::<Counter>(&env(&[("JUJU_DISPATCH_PATH", "hooks/install")]), &mut tools);
    assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
    assert_eq!(*LOG.lock().unwrap(), ["status"]);
    assert_eq!(tools.0.len(), 1, "{:?}", tools.0);

    // ...and a charm without collect-status runs nothing and calls no hook tool.
    let mut tools = Tools::default();
    let outcome = dispatch::<Quiet>(&env(&[("JUJU_DISPATCH_PATH", "hooks/install")]), &mut tools);
    assert!(matches!(outcome, Outcome::Unhandled), "{outcome:?}");
    assert!(tools.0.is_empty());

    // `any` runs for every hook, once, with the event; not for actions.
    LOG.lock().unwrap().clear();
    for hook in ["hooks/install", "hooks/start", "actions/go"] {
        let mut vars = vec![("JUJU_DISPATCH_PATH", hook)];
        if hook.starts_with("actions/") {
            vars.push(("JUJU_ACTION_UUID", "2"));
        }
        let outcome = dispatch::<Holistic>(&env(&vars), &mut Tools::default());
        assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
    }
    assert_eq!(*LOG.lock().unwrap(), ["any install", "any start", "go"]);

    // A handler's error fails the dispatch, naming the handler.
    let outcome = dispatch::<Counter>(
        &env(&[
            ("JUJU_DISPATCH_PATH", "actions/fail"),
            ("JUJU_ACTION_UUID", "1"),
        ]),
        &mut Tools::default(),
    );
    let Outcome::Failed(err) = outcome else {
        panic!("expected a failure")
    };
    assert!(err.to_string().contains("handler `fail`"), "{err}");
    assert!(err.to_string().contains("no"), "{err}");
}
