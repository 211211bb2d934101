//! The Juju SDK tutorial's `demo-api-charm`, written with `charm-runtime`: the charm of the
//! "Preserve your charm's data" chapter with the actions chapter's `get-db-info`, the
//! open-port chapter's ports and the observability chapter's endpoints.
//!
//! - **Workload** ([`workload`]): the FastAPI server in the `demo-server` container, run by
//!   Pebble from the layer `fastapi_demo` (combined, then replanned) on
//!   `demo-server-pebble-ready` and `config-changed`, and whenever the database
//!   credentials change; nothing is touched when the plan already runs it. Pebble not
//!   answering is "not ready yet", never a failed hook. The workload version comes from the
//!   server's `/version`.
//! - **`server-port`** ([`config`]): 22 or a value that is not a TCP port is reported as
//!   `blocked` (the workload keeps its port); otherwise the port is opened (the previous
//!   one closed) and the service moved to it.
//! - **`database`** ([`database`]): the `postgresql_client` requirer as data_platform_libs
//!   speaks it, credentials from plain fields or the `secret-user` secret. Data the charm
//!   cannot use is `blocked`, naming the key, and the workload keeps its last good
//!   credentials.
//! - **`get-db-info`**: host and port, and with `show-password=true` the credentials.
//! - **The start counter** ([`counter`]).
//! - **`metrics-endpoint`** ([`metrics`]): the scrape job; `grafana-dashboard` and
//!   `logging` are declared for the next chapter.
//! - **Status**: the tutorial's collect-status, at the end of every dispatch.

pub mod config;
pub mod counter;
pub mod database;
pub mod metrics;
pub mod workload;

pub use config::{Config, InvalidPort};
pub use counter::{PeerData, UnitStats};
pub use database::{Database, DatabaseInfo, DatabaseRequires};
pub use workload::workload_layer;

use charm_runtime::log;
use charm_runtime::prelude::*;
use workload::ServiceState;

/// The charm. A new value is built for every dispatch; it holds no state of its own.
#[derive(Default)]
pub struct DemoCharm;

/// The `database` requirer, asking for `names_db`.
pub const DATABASE: DatabaseRequires = DatabaseRequires::new(DemoCharm::DATABASE, "names_db");

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
#[requires("logging", interface = "loki_push_api", optional = true)]
#[provides("metrics-endpoint", interface = "prometheus_scrape", optional = true)]
#[provides("grafana-dashboard", interface = "grafana_dashboard", optional = true)]
#[action(
    "get-db-info",
    description = "Fetches Database authentication information",
    params = GetDbInfo
)]
impl DemoCharm {
    /// Counts pod starts: the leader in the app bag, other units in their own unit bag.
    #[on(start)]
    fn count_start(&self, model: &mut Model) -> Result<()> {
        counter::count_start(model, Self::FASTAPI_PEER)
    }

    /// Asks the database for `names_db` and for its credentials as secrets (leader only:
    /// it is the application's request).
    #[on(relation_created("database"))]
    fn request_database(&self, model: &mut Model) -> Result<()> {
        DATABASE.request(model)
    }

    /// The provider changed the credentials secret: track the new revision (before
    /// [`configure`](Self::configure) reads it).
    #[on(secret_changed)]
    fn refresh_credentials(&self, model: &mut Model) -> Result<()> {
        DATABASE.refresh_if_ours(model)
    }

    /// Opens the configured port and closes the previous one; an invalid port changes
    /// nothing (collect-status reports it).
    #[on(config_changed)]
    fn open_port(&self, model: &mut Model) -> Result<()> {
        if let Ok(port) = model.config()?.port() {
            model.set_ports(&[Port::Tcp(port)])?;
        }
        Ok(())
    }

    /// Runs the workload as config and database say, then reads its version.
    /// `update-status` catches a version that was not readable yet.
    #[on(
        pebble_ready("demo-server"),
        config_changed,
        update_status,
        relation_changed("database"),
        relation_broken("database"),
        secret_changed
    )]
    fn configure(&self, model: &mut Model) -> Result<()> {
        let port = match model.config()?.port() {
            Ok(port) => port,
            Err(invalid) => {
                log::warn!("{invalid}");
                return Ok(());
            }
        };
        let db = DATABASE.database(model)?;
        match workload::update(model, Self::DEMO_SERVER, port, &db)? {
            workload::Update::NotReady => Ok(()),
            _ => workload::update_version(model, port),
        }
    }

    /// Tells Prometheus where to scrape (every unit its address, the leader the job).
    #[on(relation_joined("metrics-endpoint"), config_changed, update_status)]
    fn publish_scrape_job(&self, model: &mut Model) -> Result<()> {
        let port = model.config()?.port().ok();
        let charm_name = Self::metadata().name;
        metrics::publish(model, Self::METRICS_ENDPOINT, &charm_name, port)
    }

    /// Reports how to reach the database; the credentials only with `show-password=true`.
    #[on(action("get-db-info"))]
    fn get_db_info(&self, model: &mut Model, params: GetDbInfo) -> Result<()> {
        let db = match DATABASE.database(model)? {
            Database::Ready(db) => db,
            Database::Unusable(why) => {
                model.action_fail(&format!("Unusable database relation: {why}"))?;
                return Ok(());
            }
            Database::NotRelated | Database::Waiting => {
                model.action_fail("No database connected")?;
                return Ok(());
            }
        };
        let mut results = vec![("db-host", db.host), ("db-port", db.port)];
        if params.show_password {
            results.push(("db-username", db.username));
            results.push(("db-password", db.password));
        }
        model.set_action_results(results)?;
        Ok(())
    }

    /// The unit status, at the end of every dispatch (the tutorial's collect-status, with
    /// its unreachable "waiting" made reachable). Bad input is reported, never a hook
    /// error.
    #[on(collect_status)]
    fn collect_status(&self, model: &mut Model) -> Result<()> {
        if let Err(invalid) = model.config()?.port() {
            model.add_status(blocked(invalid.to_string()));
        }
        match DATABASE.database(model)? {
            Database::NotRelated => model.add_status(blocked("Waiting for database relation")),
            Database::Waiting => model.add_status(waiting("Waiting for database relation")),
            Database::Unusable(why) => {
                model.add_status(blocked(format!("Unusable database relation: {why}")))
            }
            Database::Ready(_) => {}
        }
        match workload::service_state(model, Self::DEMO_SERVER) {
            ServiceState::NoPebble => {
                model.add_status(maintenance("Waiting for Pebble in workload container"))
            }
            ServiceState::Stopped => {
                model.add_status(maintenance("Waiting for the service to start up"))
            }
            ServiceState::Running => {}
        }
        model.add_status(active(""));
        Ok(())
    }
}

/// The parameters of `get-db-info`.
#[derive(ActionParams)]
pub struct GetDbInfo {
    /// Show username and password in output information
    #[param(default = false)]
    pub show_password: bool,
}
