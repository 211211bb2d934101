//! What a charm reaches through Juju, against the in-memory Juju (`jujuc`): secrets,
//! storage, networks, resources, credentials, goal state, charm state, the `log` facade,
//! action results and reboots, through a charm that uses each the way a real one would.
//! One test binary, one module per topic.

mod secrets;
mod state_log;
mod storage_network;

use charm_runtime::config::SecretUri;
use charm_runtime::log;
use charm_runtime::prelude::*;
use charm_runtime::{Rotate, Secret};
use charm_testing::{Context, Relation};
use serde_json::json;

/// The admin password the leader generates (a fixed value, so tests can look for it).
pub const PASSWORD: &str = "generated-PW-1-do-not-leak";
/// The password rotation sets.
pub const ROTATED: &str = "rotated-PW-2-do-not-leak";
/// The label of the admin password secret.
pub const LABEL: &str = "admin-password";

#[derive(CharmConfig)]
pub struct Cfg {
    /// An API token secret the user granted to the application.
    api_token: Option<SecretUri>,
}

#[json_value]
#[derive(Default, Debug, PartialEq)]
pub struct Starts {
    pub count: u64,
}

#[derive(Default)]
pub struct Keeper;

#[charm(name = "keeper", summary = "Keeps things", description = "A test charm.", config = Cfg)]
#[peer("peers", interface = "keeper_peers")]
#[provides("website", interface = "http")]
#[requires("db", interface = "pg")]
#[resource("blob", kind = "file", filename = "blob.tgz")]
#[storage("data", kind = "filesystem", location = "/data")]
#[action("get-password")]
#[action("info")]
#[action("reboot")]
impl Keeper {
    /// The leader makes sure the admin password secret exists and shares its id with the
    /// other units in the peer application bag.
    #[on(leader_elected)]
    fn ensure_password(&self, model: &mut Model) -> Result<()> {
        match model.secret_content(Secret::from_label(LABEL)) {
            Ok(_) => return Ok(()),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
        let secret = model
            .add_secret([("password", PASSWORD)])
            .label(LABEL)
            .description("the admin login")
            .rotate(Rotate::Monthly)
            .add()?;
        let peers = model.relation(Self::PEERS)?.expect("peers exist");
        let leader = model.leader()?.expect("leader-elected runs on the leader");
        model.set(
            &peers,
            Own::App(leader),
            "admin-secret",
            secret.id.clone().unwrap_or_default(),
        )?;
        log::info!("admin password created: {secret}");
        Ok(())
    }

    /// Any unit: the password, through the id the leader shared.
    #[on(action("get-password"))]
    fn get_password(&self, model: &mut Model) -> Result<()> {
        let peers = model.relation(Self::PEERS)?.expect("peers exist");
        let Some(id) = model.get(&peers, Bag::App, "admin-secret")? else {
            model.action_fail("no admin password yet")?;
            return Ok(());
        };
        let content = model.secret_content(Secret::from_id(id))?;
        model.set_results(&json!({"admin": {"password": content.require("password")?}}))?;
        Ok(())
    }

    /// The database may read the admin password.
    #[on(relation_joined("db"))]
    fn share(&self, model: &mut Model) -> Result<()> {
        let rel = model.event_relation(Self::DB)?.expect("a relation event");
        model.grant_secret(Secret::from_label(LABEL), &rel)?;
        Ok(())
    }

    /// The database is gone: so is its access.
    #[on(relation_departed("db"))]
    fn unshare(&self, model: &mut Model) -> Result<()> {
        let rel = model.event_relation(Self::DB)?.expect("a relation event");
        let unit = model
            .event()
            .relation()
            .and_then(|r| r.departing_unit.clone())
            .expect("a departing unit");
        model.revoke_secret_from_unit(Secret::from_label(LABEL), &rel, &unit)?;
        Ok(())
    }

    /// Rotation: a new revision.
    #[on(secret_rotate)]
    fn rotate(&self, model: &mut Model) -> Result<()> {
        let secret = model.event_secret().expect("a secret event");
        model.set_secret_content(&secret, [("password", ROTATED)])?;
        Ok(())
    }

    /// A revision nobody tracks any more: removed.
    #[on(secret_remove)]
    fn prune(&self, model: &mut Model) -> Result<()> {
        let secret = model.event_secret().expect("a secret event");
        let revision = model
            .event()
            .secret()
            .and_then(|s| s.revision)
            .expect("a revision");
        model.remove_secret_revision(&secret, revision)?;
        Ok(())
    }

    /// An observed secret changed: track the new revision.
    #[on(secret_changed)]
    fn follow(&self, model: &mut Model) -> Result<()> {
        let secret = model.event_secret().expect("a secret event");
        let content = model.refresh_secret(&secret)?;
        log::debug!("secret {secret} now has {content}");
        Ok(())
    }

    /// The API token from config: a secret-typed option resolves to its secret.
    #[on(config_changed)]
    fn configure(&self, model: &mut Model) -> Result<()> {
        let cfg: Cfg = model.config()?;
        let Some(uri) = cfg.api_token else {
            model.add_status(blocked("api-token is not set"));
            return Ok(());
        };
        match model.secret_content(&uri) {
            Ok(c) if c.get("token").is_some() => model.add_status(active("")),
            Ok(c) => model.add_status(blocked(format!("api-token has no `token` ({c})"))),
            Err(e) if e.is_not_found() => {
                model.add_status(blocked("api-token secret is not granted to keeper"))
            }
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    /// Counts starts in the charm state on the controller (the tutorial's "first
    /// strategy", which here survives pod churn), and says so through `log`.
    #[on(start)]
    fn count(&self, model: &mut Model) -> Result<()> {
        let mut starts: Starts = model.load_state("starts")?;
        starts.count += 1;
        model.save_state("starts", &starts)?;
        log::warn!("start number {}", starts.count);
        model.log(LogLevel::Info, "counted")?;
        Ok(())
    }

    /// Storage: where it is, how many, and one more while there are fewer than two.
    #[on(storage_attached("data"))]
    fn attached(&self, model: &mut Model) -> Result<()> {
        let data = model.event_storage().expect("a storage event");
        let at = model.storage_location(&data)?;
        let all = model.storages("data")?;
        log::info!("{data} at {}; {} attached", at.display(), all.len());
        if all.len() < 2 {
            model.add_storage("data", 1)?;
        }
        Ok(())
    }

    /// Everything else, as nested results.
    #[on(action("info"))]
    fn info(&self, model: &mut Model) -> Result<()> {
        let net = model.binding(Self::WEBSITE.name)?;
        let blob = match model.resource("blob") {
            Ok(p) => p.display().to_string(),
            Err(e) => format!("unavailable: {e}"),
        };
        let cloud = match model.cloud_spec() {
            Ok(spec) => spec.kind,
            Err(e) => format!("{e}"),
        };
        let planned = model.planned_units()?;
        model.set_results(&json!({
            "website": {
                "ingress": net.ingress_address().map(ToString::to_string),
                "bind": net.bind_address().map(ToString::to_string),
                "egress": net.egress_subnets.iter().map(ToString::to_string).collect::<Vec<_>>(),
            },
            "blob": blob,
            "cloud": cloud,
            "planned-units": planned,
        }))?;
        Ok(())
    }

    /// Reboots at once (refused in an action) or after the hook.
    #[on(install, action("reboot"))]
    fn reboot(&self, model: &mut Model) -> Result<()> {
        let peers = model.relation(Self::PEERS)?.expect("peers exist");
        model.set(&peers, Bag::Unit, "rebooting", "yes")?;
        model.save_state("rebooting", &true)?;
        model.reboot_now()?;
        Ok(())
    }

    /// After a reboot, counts it.
    #[on(upgrade_charm)]
    fn later(&self, model: &mut Model) -> Result<()> {
        model.reboot()?;
        Ok(())
    }
}

pub fn ctx() -> Context<Keeper> {
    Context::new()
}

pub fn peers() -> Relation {
    Relation::peer("peers")
}
