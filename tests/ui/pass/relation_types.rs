//! Every bag a relation's role allows, through a real dispatch: a non-leader reads the peer
//! application bag and writes its own unit bag; the leader writes (and on a requires
//! relation reads) its application bag through the `Leader` proof; remote bags are read
//! on provides and requires relations, remote units by their `Copy` number; raw databags;
//! `model.config()` without annotation; an action handler gets its parameters typed.

use charm_runtime::hooktools::{HookTools, ToolCall, ToolError};
use charm_runtime::prelude::*;
use charm_runtime::relation::{Peer, Requires};
use charm_runtime::{dispatch, HookEnv, Outcome};

#[derive(CharmConfig)]
struct Config {
    /// The database to ask for.
    #[config(default = "names_db")]
    database: String,
}

#[derive(Databag, Default)]
#[databag(raw)]
struct Request {
    database: Option<String>,
}

#[derive(Databag)]
#[databag(raw)]
struct Credentials {
    username: Option<String>,
}

#[derive(ActionParams)]
struct Greet {
    /// Whom to greet.
    #[param(default = "world")]
    name: String,
}

#[derive(Default)]
struct Typed;

#[charm(name = "typed", summary = "Typed", description = "Typed bags.", config = Config)]
#[peer("replicas", interface = "typed_peers")]
#[requires("database", interface = "postgresql_client")]
#[provides("website", interface = "http")]
#[action("greet", params = Greet)]
impl Typed {
    #[on(start)]
    fn start(&self, model: &mut Model) -> Result<()> {
        let config = model.config()?;
        let peers: Relation<Peer> = model.relation(Self::REPLICAS)?.expect("peers");
        let shared = model.get(&peers, Bag::App, "shared")?;
        model.set(&peers, Bag::Unit, "seen", shared.unwrap_or_default())?;
        for unit in model.units(&peers)? {
            let theirs = model.bag(&peers, Bag::RemoteUnit(unit))?;
            model.set(&peers, Own::Unit, "peer", theirs.len().to_string())?;
        }
        let db: Relation<Requires> = model.relation(Self::DATABASE)?.expect("database");
        let creds: Credentials = model.load(&db, Bag::RemoteApp)?;
        model.set(&db, Bag::Unit, "user", creds.username.unwrap_or_default())?;
        if let Some(leader) = model.leader()? {
            let mut request: Request = model.load(&db, Own::App(leader))?;
            request.database.get_or_insert(config.database);
            model.save(&db, Own::App(leader), &request)?;
        }
        for web in model.relations(Self::WEBSITE)? {
            model.bag(&web, Bag::RemoteApp)?;
        }
        Ok(())
    }

    #[on(action("greet"))]
    fn greet(&self, model: &mut Model, params: Greet) -> Result<()> {
        model.set_action_results([("greeting", format!("hello {}", params.name))])?;
        Ok(())
    }
}

/// Hook tools with canned answers, recording every call.
struct Tools {
    leader: bool,
    calls: Vec<String>,
}

impl HookTools for Tools {
    fn call(&mut self, call: &ToolCall) -> std::result::Result<String, ToolError> {
        let line = call.to_string();
        // The real argv: Display redacts values that may be confidential (action-set).
        let argv: Vec<&str> = std::iter::once(call.tool)
            .chain(call.args.iter().map(String::as_str))
            .collect();
        self.calls.push(argv.join(" "));
        let out = match line.as_str() {
            "config-get --format=json" => "{}",
            "is-leader --format=json" if self.leader => "true",
            "is-leader --format=json" => "false",
            "relation-ids replicas --format=json" => r#"["replicas:1"]"#,
            "relation-ids database --format=json" => r#"["database:2"]"#,
            "relation-ids website --format=json" => "[]",
            "relation-list --format=json -r replicas:1" => r#"["typed/1"]"#,
            "relation-list --format=json --app -r database:2" => r#""pg""#,
            "relation-get --format=json -r replicas:1 --app - typed" => r#"{"shared":"yes"}"#,
            "relation-get --format=json -r replicas:1 - typed/1" => r#"{"a":"1","b":"2"}"#,
            "relation-get --format=json -r replicas:1 - typed/0" => "{}",
            "relation-get --format=json -r database:2 --app - pg" => r#"{"username":"u1"}"#,
            "relation-get --format=json -r database:2 - typed/0" => "{}",
            "relation-get --format=json -r database:2 --app - typed" => "{}",
            "action-get --format=json" => r#"{"name":"juju"}"#,
            _ => "",
        };
        Ok(out.to_string())
    }
}

fn env(hook: &str) -> HookEnv {
    let vars = [
        ("JUJU_UNIT_NAME", "typed/0"),
        ("JUJU_MODEL_NAME", "m"),
        ("JUJU_MODEL_UUID", "u"),
        ("JUJU_VERSION", "3.6.0"),
        ("JUJU_DISPATCH_PATH", hook),
        ("JUJU_ACTION_UUID", "1"),
    ];
    HookEnv::from_vars(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
        .unwrap()
        .unwrap()
}

fn run(leader: bool, hook: &str) -> Vec<String> {
    let mut tools = Tools {
        leader,
        calls: Vec::new(),
    };
    let outcome = dispatch::<Typed>(&env(hook), &mut tools);
    assert!(matches!(outcome, Outcome::Committed), "{outcome:?}");
    tools.calls
}

fn main() {
    let follower = run(false, "hooks/start");
    assert!(
        follower.contains(&"relation-set -r replicas:1 --file -".to_string()),
        "{follower:#?}"
    );
    assert!(!follower.iter().any(|c| c.contains("--app --file")), "{follower:#?}");

    let leader = run(true, "hooks/start");
    assert!(
        leader.contains(&"relation-set -r database:2 --app --file -".to_string()),
        "{leader:#?}"
    );

    let greet = run(false, "actions/greet");
    assert!(
        greet.contains(&"action-set greeting=hello juju".to_string()),
        "{greet:#?}"
    );
}
