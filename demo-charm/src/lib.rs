//! The Juju SDK tutorial's `demo-api-charm` at the "Preserve your charm's data" stage,
//! written with `charm-runtime`.
//!
//! The counter: on every `start` (which Kubernetes pod churn repeats), the leader adds one
//! to `started_counter` in `unit_stats` in the application bag of the peer relation
//! `fastapi-peer`, stored as `{"started_counter": N}` exactly as the tutorial's Python
//! charm stores it, so it survives pod deletion.
//!
//! Non-leaders: the tutorial's code crashes there (only the leader may write the
//! application bag); here that code does not compile, since writing the application bag
//! takes the `Leader` proof `model.leader()?` gives only the leader. A non-leader counts its
//! own pod's starts in its own unit bag of `fastapi-peer`, under the same key and format.
//! Before the peer relation exists, `start` logs a warning and counts nothing.

use charm_runtime::pebble::{Layer, Service};
use charm_runtime::prelude::*;

/// The charm. A new value is built for every dispatch; it holds no state of its own.
#[derive(Default)]
pub struct DemoCharm;

/// The charm's config options.
#[derive(CharmConfig, Debug, PartialEq)]
pub struct Config {
    /// Default port on which FastAPI is available
    #[config(default = 8000)]
    pub server_port: u16,
}

/// What the tutorial keeps under `unit_stats`: `{"started_counter": N}`.
#[json_value]
#[derive(Debug, Default, Clone, PartialEq)]
pub struct UnitStats {
    /// Pod starts counted so far. A numeric string (`"5"`) is accepted, as the tutorial's
    /// `int(counter)` accepted it.
    #[serde(deserialize_with = "charm_runtime::json::int_or_string")]
    pub started_counter: u64,
}

/// The keys this charm uses in the bags of `fastapi-peer`.
#[derive(Databag, Debug, Default, PartialEq)]
pub struct PeerData {
    /// The start counter.
    pub unit_stats: Option<UnitStats>,
}

#[charm(
    name = "demo-api-charm",
    title = "demo-fastapi-k8s",
    summary = "FastAPI Demo charm for Kubernetes",
    description = "This is a demo charm built on top of a small Python FastAPI server. \
                   This charm can be integrated with the PostgreSQL charm and COS Lite bundle \
                   (Canonical Observability Stack).",
    assumes("juju >= 3.1", "k8s-api"),
    config = Config,
    // charmcraft.yaml is at the workspace root, this crate in its `demo-charm` directory.
    crate_dir = "demo-charm",
)]
#[container(
    "demo-server",
    resource = "demo-server-image",
    description = "OCI image from GitHub Container Repository",
    upstream_source = "ghcr.io/canonical/api_demo_server:1.0.1"
)]
#[peer("fastapi-peer", interface = "fastapi_demo_peers")]
#[requires("database", interface = "postgresql_client", limit = 1)]
#[action(
    "get-db-info",
    description = "Fetches Database authentication information",
    params = GetDbInfo
)]
impl DemoCharm {
    /// Counts pod starts: the leader in the app bag, other units in their own unit bag.
    #[on(start)]
    fn count_start(&self, model: &mut Model) -> Result<()> {
        let Some(peers) = model.relation(Self::FASTAPI_PEER)? else {
            model.log(
                LogLevel::Warning,
                "fastapi-peer does not exist yet; this start is not counted",
            )?;
            return Ok(());
        };
        let bag = match model.leader()? {
            Some(leader) => Own::App(leader),
            None => Own::Unit,
        };
        let mut data: PeerData = model.load(&peers, bag)?;
        data.unit_stats.get_or_insert_default().started_counter += 1;
        model.save(&peers, bag, &data)?;
        Ok(())
    }

    /// Opens the configured port, unless it is 22, and runs the workload on it.
    #[on(config_changed, pebble_ready("demo-server"))]
    fn configure(&self, model: &mut Model) -> Result<()> {
        let config = model.config()?;
        if config.server_port == 22 {
            model.log(
                LogLevel::Warning,
                "Invalid port number, 22 is reserved for SSH",
            )?;
            return Ok(());
        }
        model.set_ports(&[Port::Tcp(config.server_port)])?;
        update_layer(model, config.server_port)
    }

    /// Asks the database for `names_db` (leader only: it is the application's request).
    #[on(relation_created("database"))]
    fn request_database(&self, model: &mut Model) -> Result<()> {
        let rel = model.event_relation(Self::DATABASE)?;
        if let (Some(rel), Some(leader)) = (rel, model.leader()?) {
            model.set(&rel, Own::App(leader), "database", "names_db")?;
        }
        Ok(())
    }

    /// Reports how to reach the database; the credentials only with `show-password=true`.
    #[on(action("get-db-info"))]
    fn get_db_info(&self, model: &mut Model, params: GetDbInfo) -> Result<()> {
        let Some(db) = database_info(model)? else {
            model.action_fail("No database connected")?;
            return Ok(());
        };
        let mut results = vec![("db-host", db.host), ("db-port", db.port)];
        if params.show_password {
            results.push(("db-username", db.username));
            results.push(("db-password", db.password));
        }
        model.set_action_results(results)?;
        Ok(())
    }

    /// The unit status, at the end of every dispatch (the tutorial's collect-status). Data
    /// the provider sent that cannot be used is reported as `blocked`, not as a hook error.
    #[on(collect_status)]
    fn collect_status(&self, model: &mut Model) -> Result<()> {
        let config = model.config()?;
        if config.server_port == 22 {
            model.add_status(blocked("Invalid port number, 22 is reserved for SSH"));
        }
        if model.relation(Self::DATABASE)?.is_none() {
            model.add_status(blocked("Waiting for database relation"));
        } else {
            match database_info(model) {
                Ok(Some(_)) => {}
                Ok(None) => model.add_status(waiting("Waiting for database relation")),
                Err(e) => model.add_status(blocked(format!("Unusable database relation: {e}"))),
            }
        }
        model.add_status(active(""));
        Ok(())
    }
}

/// The workload's Pebble layer: the FastAPI server on `port`.
pub fn workload_layer(port: u16) -> Layer {
    Layer::new()
        .summary("FastAPI demo service")
        .description("Pebble config layer for the FastAPI demo server")
        .service(
            "fastapi-service",
            Service::new(format!(
                "uvicorn api_demo_server.app:app --host=0.0.0.0 --port={port}"
            ))
            .summary("fastapi demo")
            .enabled(),
        )
}

/// Adds the workload layer (combined into `fastapi_demo`) and replans, unless the plan
/// already runs it. Pebble not answering yet is not an error: `demo-server-pebble-ready`
/// runs this again once it does.
fn update_layer(model: &mut Model, port: u16) -> Result<()> {
    let layer = workload_layer(port);
    let container = model.container(DemoCharm::DEMO_SERVER);
    match container.get_plan() {
        Ok(plan) if plan.services == layer.services => Ok(()),
        Ok(_) => {
            container.add_layer("fastapi_demo", &layer, true)?;
            container.replan()?;
            Ok(())
        }
        Err(e) if e.is_cannot_connect() => {
            model.log(LogLevel::Info, "Pebble is not ready yet in demo-server")?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// The parameters of `get-db-info`.
#[derive(ActionParams)]
pub struct GetDbInfo {
    /// Show username and password in output information
    #[param(default = false)]
    pub show_password: bool,
}

/// What the provider of `postgresql_client` sends in its application bag: plain strings.
#[derive(Databag)]
#[databag(raw)]
pub struct DatabaseData {
    /// `host:port`, comma-separated for several hosts.
    pub endpoints: Option<String>,
    /// User name.
    pub username: Option<String>,
    /// Password.
    pub password: Option<String>,
}

/// What the database provider has sent: host, port, username and password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseInfo {
    /// Host of the first endpoint.
    pub host: String,
    /// Port of the first endpoint.
    pub port: String,
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// Reads the provider's application bag of `database`. `None` until the relation exists
/// and the provider has sent `endpoints` (`host:port`, comma-separated for several hosts;
/// the first is used), `username` and `password`.
pub fn database_info(model: &mut Model) -> Result<Option<DatabaseInfo>> {
    let Some(rel) = model.relation(DemoCharm::DATABASE)? else {
        return Ok(None);
    };
    let DatabaseData {
        endpoints: Some(endpoints),
        username: Some(username),
        password: Some(password),
    } = model.load(&rel, Bag::RemoteApp)?
    else {
        return Ok(None);
    };
    let first = endpoints.split(',').next().unwrap_or_default().trim();
    let Some((host, port)) = first.rsplit_once(':') else {
        return Err(Error::msg(format!(
            "relation {rel}, remote application bag, key `endpoints`: {endpoints:?} is not `host:port`"
        )));
    };
    Ok(Some(DatabaseInfo {
        host: host.to_string(),
        port: port.to_string(),
        username,
        password,
    }))
}
