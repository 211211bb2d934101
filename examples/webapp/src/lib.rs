//! `webapp`: a small web application on Kubernetes, the second example charm.
//!
//! One reconciler (`#[on(any)]`) makes the workload follow the config, the `database`
//! relation (postgresql_client) and the admin password; it also opens the port, publishes
//! the unit's address on `website` (http) and asks the database for `webapp`. The leader
//! creates the admin password once, in a Juju secret whose id it shares with the other
//! units in the peer relation's application bag; `rotate-admin-password` replaces it.
//! Collect-status says what the unit waits for, and reports unusable input as `blocked`.

use charm_runtime::config::SecretUri;
use charm_runtime::pebble::{Layer, Service};
use charm_runtime::prelude::*;
use charm_runtime::secret::{generate_password, Secret};

/// The peer application bag's key for the admin password secret's id.
const ADMIN_SECRET: &str = "admin-secret-id";

/// The charm's config options.
#[derive(CharmConfig)]
pub struct Config {
    /// The site's name, shown in page titles.
    #[config(default = "webapp")]
    pub site_name: String,
    /// The port the web server listens on.
    #[config(default = 8080)]
    pub port: u16,
    /// Verbose logs and detailed error pages.
    #[config(default = false)]
    pub debug: bool,
    /// Seconds before a request times out.
    #[config(default = 30.0)]
    pub request_timeout: f64,
    /// A secret holding the SMTP server's `password`, for outgoing mail.
    pub smtp_password: Option<SecretUri>,
}

/// The parameters of `rotate-admin-password`.
#[derive(ActionParams)]
pub struct RotateAdminPassword {
    /// Length of the new password.
    #[param(default = 24)]
    pub length: u8,
}

/// What the database sends (postgresql_client): plain strings.
#[derive(Databag)]
#[databag(raw)]
struct DatabaseData {
    endpoints: String,
    username: String,
    password: String,
}

/// The charm.
#[derive(Default)]
pub struct Webapp;

#[charm(
    name = "webapp",
    summary = "A small web application",
    description = "A web application backed by PostgreSQL, with an admin password kept in a Juju secret.",
    assumes("k8s-api"),
    config = Config
)]
#[container(
    "webapp",
    upstream_source = "ghcr.io/example/webapp:1.0",
    mounts(storage = "data", location = "/var/lib/webapp")
)]
#[storage("data", description = "Uploaded files")]
#[peer("peers", interface = "webapp_peers")]
#[requires("database", interface = "postgresql_client", limit = 1)]
#[provides("website", interface = "http")]
#[action(
    "rotate-admin-password",
    description = "Replaces the admin password (on the leader)",
    params = RotateAdminPassword
)]
impl Webapp {
    /// The leader creates the admin password once and shares its secret's id.
    #[on(leader_elected)]
    fn create_admin_password(&self, model: &mut Model) -> Result<()> {
        let (Some(peers), Some(leader)) = (model.relation(Self::PEERS)?, model.leader()?) else {
            return Ok(());
        };
        if model.get(&peers, Bag::App, ADMIN_SECRET)?.is_none() {
            let content = [("password", generate_password(24)?)];
            let id = model.add_secret(content).add()?.id.unwrap_or_default();
            model.set(&peers, Own::App(leader), ADMIN_SECRET, id)?;
        }
        Ok(())
    }

    /// Every hook: ports, website, database request and workload follow the current state.
    #[on(any)]
    fn reconcile(&self, model: &mut Model) -> Result<()> {
        let Ok(config) = model.config() else {
            return Ok(()); // collect-status reports it
        };
        model.set_ports(&[Port::Tcp(config.port)])?;
        let network = model.binding(Self::WEBSITE.name)?;
        let hostname = network
            .ingress_address()
            .map(ToString::to_string)
            .unwrap_or_default();
        for rel in model.relations(Self::WEBSITE)? {
            model.set(&rel, Bag::Unit, "hostname", &hostname)?;
            model.set(&rel, Bag::Unit, "port", config.port.to_string())?;
        }
        if let (Some(db), Some(leader)) = (model.relation(Self::DATABASE)?, model.leader()?) {
            model.set(&db, Own::App(leader), "database", "webapp")?;
        }
        let (Ok(Some(database_url)), Ok(smtp_password), Some(admin_password)) = (
            database_url(model),
            smtp_password(model, &config),
            admin_password(model)?,
        ) else {
            return Ok(()); // collect-status says what is missing
        };
        let web = model.container(Self::WEBAPP);
        if web.can_connect() {
            let layer = layer(&config, &database_url, &admin_password, &smtp_password);
            web.add_layer("webapp", &layer, true)?;
            web.replan()?;
        }
        Ok(())
    }

    /// A new admin password (leader only); this unit's workload gets it at once, the
    /// others at their next hook.
    #[on(action("rotate-admin-password"))]
    fn rotate_admin_password(&self, model: &mut Model, params: RotateAdminPassword) -> Result<()> {
        let secret_id = admin_secret_id(model)?;
        if model.leader()?.is_none() {
            return Ok(model.action_fail("Run this action on the leader unit")?);
        }
        let Some(id) = secret_id else {
            return Ok(model.action_fail("There is no admin password yet")?);
        };
        let password = generate_password(params.length.into())?;
        model.set_secret_content(Secret::from_id(id), [("password", password)])?;
        self.reconcile(model)
    }

    /// What the unit waits for; input it cannot use is `blocked`, not a hook error.
    #[on(collect_status)]
    fn collect_status(&self, model: &mut Model) -> Result<()> {
        let Some(config) = model.ok_or_blocked("Invalid config", |m| m.config()) else {
            return Ok(());
        };
        model.ok_or_blocked("Invalid smtp-password", |m| smtp_password(m, &config));
        if model.storage("data")?.is_none() {
            model.add_status(waiting("Waiting for the data storage"));
        }
        if model.relation(Self::DATABASE)?.is_none() {
            model.add_status(blocked("Needs a database relation"));
        } else if let Some(None) = model.ok_or_blocked("Unusable database relation", database_url) {
            model.add_status(waiting("Waiting for database credentials"));
        }
        if admin_secret_id(model)?.is_none() {
            model.add_status(waiting("Waiting for the admin password"));
        }
        if !model.container(Self::WEBAPP).can_connect() {
            model.add_status(maintenance("Waiting for Pebble"));
        }
        model.add_status(active(""));
        Ok(())
    }
}

/// The workload's Pebble layer.
pub fn layer(config: &Config, db_url: &str, admin_password: &str, smtp_password: &str) -> Layer {
    let command = format!(
        "/usr/bin/webapp --port={} --data-dir=/var/lib/webapp",
        config.port
    );
    let service = Service::new(command)
        .summary("webapp")
        .env("SITE_NAME", &config.site_name)
        .env("DEBUG", config.debug.to_string())
        .env("REQUEST_TIMEOUT", config.request_timeout.to_string())
        .env("DATABASE_URL", db_url)
        .env("ADMIN_PASSWORD", admin_password)
        .env("SMTP_PASSWORD", smtp_password)
        .enabled();
    Layer::new()
        .summary("webapp layer")
        .service("webapp", service)
}

/// The database's URL, once the provider has sent endpoints and credentials.
fn database_url(model: &mut Model) -> Result<Option<String>> {
    let Some(rel) = model.relation(Webapp::DATABASE)? else {
        return Ok(None);
    };
    let Some(DatabaseData {
        endpoints,
        username,
        password,
    }) = model.load(&rel, Bag::RemoteApp)?
    else {
        return Ok(None); // not sent yet
    };
    let endpoint = endpoints.split(',').next().unwrap_or_default();
    if endpoint
        .rsplit_once(':')
        .is_none_or(|(host, port)| host.is_empty() || port.parse::<u16>().is_err())
    {
        return Err(Error::msg(format!(
            "endpoints {endpoints:?} is not host:port"
        )));
    }
    Ok(Some(format!(
        "postgresql://{username}:{password}@{endpoint}/webapp"
    )))
}

/// The admin password secret's id, once the leader has shared it.
fn admin_secret_id(model: &mut Model) -> Result<Option<String>> {
    match model.relation(Webapp::PEERS)? {
        Some(peers) => Ok(model.get(&peers, Bag::App, ADMIN_SECRET)?),
        None => Ok(None),
    }
}

/// The admin password (any unit reads it by the id the leader shared).
fn admin_password(model: &mut Model) -> Result<Option<String>> {
    let Some(id) = admin_secret_id(model)? else {
        return Ok(None);
    };
    let content = model.refresh_secret(Secret::from_id(id))?;
    Ok(Some(content.require("password")?.to_owned()))
}

/// The SMTP password from the `smtp-password` secret, or `""` when the option is unset.
fn smtp_password(model: &mut Model, config: &Config) -> Result<String> {
    let Some(uri) = &config.smtp_password else {
        return Ok(String::new());
    };
    Ok(model.secret_content(uri)?.require("password")?.to_owned())
}
