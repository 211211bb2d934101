//! Containers in the harness: a charm that runs its workload through Pebble (layers,
//! replan, files, notices, checks), tested through `Context::run` against the in-memory
//! Pebble, and the consistency checker's container rules. One test binary, one module per
//! topic.

mod checker;
mod connect;
mod files;
mod layers;
mod notices_checks;

use charm_runtime::pebble::{
    Check, FileOptions, Layer, NoticeFilter, Override, PebbleError, Service,
};
use charm_runtime::prelude::{
    active, charm, maintenance, waiting, ActionParams, CharmConfig, Error, LogLevel, Model, Result,
};
use charm_runtime::ModelConfig as _;
use charm_runtime::{event::WorkloadEventKind, Event as HookEvent};
use charm_testing::{Container, Context};

#[derive(CharmConfig)]
pub struct Cfg {
    /// The workload's log level.
    #[config(default = "info")]
    log_level: String,
}

/// A charm running one service, `srv`, in container `web` (and nothing in `sidecar`).
#[derive(Default)]
pub struct Workload;

/// The charm's own layer: `srv`, started by replan, with an HTTP check.
pub fn base_layer() -> Layer {
    Layer::new()
        .summary("web layer")
        .service("srv", Service::new("/bin/srv --port 8080").enabled())
        .check("up", Check::http("http://localhost:8080/health"))
}

/// The layer config-changed merges into the charm's own (`combine`).
pub fn log_layer(level: &str) -> Layer {
    Layer::new().service(
        "srv",
        Service::default()
            .with_override(Override::Merge)
            .env("LOG_LEVEL", level),
    )
}

/// A handler's answer to a Pebble error: "not ready yet" ends the handler quietly.
fn ready_or<T>(r: std::result::Result<T, PebbleError>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_cannot_connect() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The parameters of `pull`, `make-dir` and `remove`.
#[derive(ActionParams)]
pub struct PathParam {
    path: String,
}

/// The parameters of `push`.
#[derive(ActionParams)]
pub struct Push {
    path: String,
    content: String,
}

/// The parameters of `list`.
#[derive(ActionParams)]
pub struct List {
    path: String,
    #[param(default = "")]
    pattern: String,
}

/// The parameters of `notify`.
#[derive(ActionParams)]
pub struct Notify {
    key: String,
}

#[charm(name = "workload", summary = "Runs srv", description = "A test charm.", config = Cfg)]
#[container("web")]
#[container("sidecar")]
#[action("push", params = Push)]
#[action("pull", params = PathParam)]
#[action("list", params = List)]
#[action("make-dir", params = PathParam)]
#[action("remove", params = PathParam)]
#[action("notify", params = Notify)]
#[action("stop-srv")]
impl Workload {
    /// Adds the layer and replans.
    #[on(pebble_ready("web"))]
    fn ready(&self, model: &mut Model) -> Result<()> {
        let web = model.container(Self::WEB);
        web.add_layer("web", &base_layer(), true)?;
        web.replan()?;
        Ok(())
    }

    /// Merges the log level into the layer and replans; waits while Pebble is away.
    #[on(config_changed)]
    fn configure(&self, model: &mut Model) -> Result<()> {
        let cfg = model.config()?;
        let web = model.container(Self::WEB);
        if ready_or(web.add_layer("web", &log_layer(&cfg.log_level), true))?.is_none() {
            model.log(LogLevel::Info, "web is not up yet")?;
            return Ok(());
        }
        web.replan()?;
        Ok(())
    }

    /// Active when `srv` runs; waiting while Pebble is away.
    #[on(collect_status)]
    fn status(&self, model: &mut Model) -> Result<()> {
        let web = model.container(Self::WEB);
        match ready_or(web.get_service("srv"))? {
            None => model.add_status(waiting("waiting for Pebble in web")),
            Some(Some(s)) if s.is_running() => model.add_status(active("srv is running")),
            Some(_) => model.add_status(maintenance("srv is not running")),
        }
        Ok(())
    }

    /// Logs the notice as Pebble reports it.
    #[on(pebble_custom_notice("web"))]
    fn notice(&self, model: &mut Model) -> Result<()> {
        let HookEvent::Workload(w) = model.event() else {
            return Err(Error::msg("not a workload event"));
        };
        let WorkloadEventKind::CustomNotice { id, .. } = &w.kind else {
            return Err(Error::msg("not a notice event"));
        };
        let notice = model.container(Self::WEB).get_notice(id)?;
        let data: Vec<String> = notice
            .last_data
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        model.log(
            LogLevel::Info,
            format!(
                "notice {} {} x{} [{}]",
                notice.id,
                notice.key,
                notice.occurrences,
                data.join(",")
            ),
        )?;
        Ok(())
    }

    /// Restarts `srv` when its check fails; logs the check's state.
    #[on(pebble_check_failed("web"), pebble_check_recovered("web"))]
    fn check_changed(&self, model: &mut Model) -> Result<()> {
        let HookEvent::Workload(w) = model.event() else {
            return Err(Error::msg("not a workload event"));
        };
        let (name, failed) = match &w.kind {
            WorkloadEventKind::CheckFailed { check } => (check.clone(), true),
            WorkloadEventKind::CheckRecovered { check } => (check.clone(), false),
            _ => return Err(Error::msg("not a check event")),
        };
        let web = model.container(Self::WEB);
        let info = web
            .get_check(&name)?
            .ok_or_else(|| Error::msg(format!("no check {name}")))?;
        model.log(
            LogLevel::Info,
            format!(
                "check {} is {} with {} failures of {}",
                info.name, info.status, info.failures, info.threshold
            ),
        )?;
        if failed {
            web.restart(&["srv"])?;
        }
        Ok(())
    }

    #[on(action("push"))]
    fn push(&self, model: &mut Model, p: Push) -> Result<()> {
        let opts = FileOptions::new().make_parents().permissions(0o640);
        model.container(Self::WEB).push(&p.path, p.content, &opts)?;
        Ok(())
    }

    #[on(action("pull"))]
    fn pull(&self, model: &mut Model, p: PathParam) -> Result<()> {
        let text = model.container(Self::WEB).pull_text(&p.path)?;
        model.set_action_results([("content", text)])?;
        Ok(())
    }

    #[on(action("list"))]
    fn list(&self, model: &mut Model, p: List) -> Result<()> {
        let pattern = Some(p.pattern.as_str()).filter(|p| !p.is_empty());
        let files = model
            .container(Self::WEB)
            .list_files(&p.path, pattern, false)?;
        let names: Vec<String> = files
            .iter()
            .map(|f| format!("{}:{}:{}", f.name, f.type_, f.permissions))
            .collect();
        model.set_action_results([("files", names.join(" "))])?;
        Ok(())
    }

    #[on(action("make-dir"))]
    fn make_dir(&self, model: &mut Model, p: PathParam) -> Result<()> {
        let opts = FileOptions::new().make_parents();
        model.container(Self::WEB).make_dir(&p.path, &opts)?;
        Ok(())
    }

    #[on(action("remove"))]
    fn remove(&self, model: &mut Model, p: PathParam) -> Result<()> {
        model.container(Self::WEB).remove_path(&p.path, true)?;
        Ok(())
    }

    #[on(action("notify"))]
    fn notify(&self, model: &mut Model, p: Notify) -> Result<()> {
        let web = model.container(Self::WEB);
        let id = web.pebble().notify("custom", &p.key, None, None)?;
        let seen = web.get_notices(&NoticeFilter {
            keys: vec![p.key],
            ..NoticeFilter::default()
        })?;
        model.set_action_results([("id", id), ("seen", seen.len().to_string())])?;
        Ok(())
    }

    #[on(action("stop-srv"))]
    fn stop_srv(&self, model: &mut Model) -> Result<()> {
        model.container(Self::WEB).stop(&["srv"])?;
        Ok(())
    }
}

pub fn ctx() -> Context<Workload> {
    Context::new()
}

/// `web`, reachable, with nothing in it yet.
pub fn web() -> Container {
    Container::new("web").can_connect(true)
}
