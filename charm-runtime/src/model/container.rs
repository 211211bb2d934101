//! Workload containers: the name constants `#[container]` generates and the handle
//! [`Model::container`](crate::Model::container) returns, with ops' `Container` operations
//! on the container's Pebble.

use crate::pebble::{
    Change, CheckInfo, CheckLevel, Client, FileInfo, FileOptions, Layer, Notice, NoticeFilter,
    PebbleError, Plan, ServiceInfo, SystemInfo,
};
use std::cell::RefCell;
use std::rc::Rc;

/// A declared workload container. `#[charm]` generates one associated const per
/// `#[container]`, named after it in upper snake case (`DemoCharm::DEMO_SERVER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContainerName {
    /// The container name, e.g. `demo-server`.
    pub name: &'static str,
}

impl ContainerName {
    /// The container called `name`.
    pub const fn new(name: &'static str) -> Self {
        ContainerName { name }
    }
}

/// What one dispatch remembers about a container: the plan, until something may change it.
#[derive(Debug, Default)]
pub(crate) struct ContainerCache {
    plan: Option<Plan>,
}

/// Shared per-dispatch cache of one container.
pub(crate) type SharedCache = Rc<RefCell<ContainerCache>>;

/// A workload container's Pebble, as a handler sees it (ops' `Container`).
///
/// Every operation is a request to Pebble at once (nothing is staged). An operation fails
/// with [`PebbleError::is_cannot_connect`] while the container is not up yet: handlers
/// treat that as "not ready" (a waiting status, and the next `pebble-ready` retries). The
/// plan is read once per dispatch; [`add_layer`](Container::add_layer) and
/// [`replan`](Container::replan) forget it.
///
/// ```no_run
/// # use charm_runtime::prelude::*;
/// # use charm_runtime::Container;
/// use charm_runtime::pebble::{Layer, Service};
/// # fn f(model: &mut Model, c: Container) -> Result<()> {
/// let layer = Layer::new().service("web", Service::new("/bin/web --port 8080").enabled());
/// match c.get_plan() {
///     Ok(plan) if plan.services == layer.services => {}
///     Ok(_) => {
///         c.add_layer("web", &layer, true)?;
///         c.replan()?;
///     }
///     Err(e) if e.is_cannot_connect() => model.add_status(waiting("waiting for Pebble")),
///     Err(e) => return Err(e.into()),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Container {
    client: Client,
    cache: SharedCache,
}

type Result<T, E = PebbleError> = std::result::Result<T, E>;

impl Container {
    pub(crate) fn new(client: Client, cache: SharedCache) -> Self {
        Container { client, cache }
    }

    /// The container's name.
    pub fn name(&self) -> &str {
        self.client.container()
    }

    /// The Pebble client, for operations the handle does not wrap (changes, notify, …).
    /// Calls made through it do not clear the handle's plan cache.
    pub fn pebble(&self) -> &Client {
        &self.client
    }

    fn forget_plan(&self) {
        self.cache.borrow_mut().plan = None;
    }

    /// Whether Pebble answers now (ops `can_connect`: a point-in-time answer; handlers may
    /// also just try and treat [`PebbleError::is_cannot_connect`] as "not ready").
    pub fn can_connect(&self) -> bool {
        self.client.can_connect()
    }

    /// Pebble's version and boot ID.
    pub fn get_system_info(&self) -> Result<SystemInfo> {
        self.client.get_system_info()
    }

    /// Adds a layer (ops `add_layer`); with `combine`, merges it into the layer with the
    /// same label. Forgets the cached plan.
    pub fn add_layer(&self, label: &str, layer: &Layer, combine: bool) -> Result<()> {
        self.forget_plan();
        self.client.add_layer(label, layer, combine)
    }

    /// The combined plan (ops `get_plan`), read once per dispatch until a layer is added.
    pub fn get_plan(&self) -> Result<Plan> {
        if let Some(plan) = &self.cache.borrow().plan {
            return Ok(plan.clone());
        }
        let plan = self.client.get_plan()?;
        self.cache.borrow_mut().plan = Some(plan.clone());
        Ok(plan)
    }

    /// Replans (ops `replan`): (re)starts changed and `startup: enabled` services, waiting
    /// for the change.
    pub fn replan(&self) -> Result<()> {
        self.forget_plan();
        self.client.replan_services().map(drop)
    }

    /// Starts the `startup: enabled` services (ops `autostart`).
    pub fn autostart(&self) -> Result<()> {
        self.client.autostart_services().map(drop)
    }

    /// Starts services (ops `start`).
    pub fn start(&self, services: &[&str]) -> Result<()> {
        self.client.start_services(services).map(drop)
    }

    /// Stops services (ops `stop`).
    pub fn stop(&self, services: &[&str]) -> Result<()> {
        self.client.stop_services(services).map(drop)
    }

    /// Restarts services, starting stopped ones (ops `restart`). A Pebble without the
    /// `restart` action answers 400; then the running ones are stopped and all started,
    /// as ops does.
    pub fn restart(&self, services: &[&str]) -> Result<()> {
        match self.client.restart_services(services) {
            Ok(_) => Ok(()),
            Err(e) if e.api_code() == Some(400) => {
                let running: Vec<String> = self
                    .client
                    .get_services(services)?
                    .into_iter()
                    .filter(ServiceInfo::is_running)
                    .map(|s| s.name)
                    .collect();
                if !running.is_empty() {
                    let names: Vec<&str> = running.iter().map(String::as_str).collect();
                    self.client.stop_services(&names)?;
                }
                self.client.start_services(services).map(drop)
            }
            Err(e) => Err(e),
        }
    }

    /// Service states (ops `get_services`); no names lists all.
    pub fn get_services(&self, names: &[&str]) -> Result<Vec<ServiceInfo>> {
        self.client.get_services(names)
    }

    /// One service's state, `None` if the plan has no such service (ops `get_service`
    /// raises `ModelError` then).
    pub fn get_service(&self, name: &str) -> Result<Option<ServiceInfo>> {
        Ok(self
            .client
            .get_services(&[name])?
            .into_iter()
            .find(|s| s.name == name))
    }

    /// Sends a signal (e.g. `"SIGHUP"`) to services (ops `send_signal`).
    pub fn send_signal(&self, signal: &str, services: &[&str]) -> Result<()> {
        self.client.send_signal(signal, services)
    }

    /// Check states (ops `get_checks`); no names lists all, `level` filters.
    pub fn get_checks(&self, level: Option<CheckLevel>, names: &[&str]) -> Result<Vec<CheckInfo>> {
        self.client.get_checks(level, names)
    }

    /// One check's state, `None` if there is no such check (ops `get_check`).
    pub fn get_check(&self, name: &str) -> Result<Option<CheckInfo>> {
        Ok(self
            .client
            .get_checks(None, &[name])?
            .into_iter()
            .find(|c| c.name == name))
    }

    /// Starts checks; returns those started (ops `start_checks`, Juju ≥ 3.6.4).
    pub fn start_checks(&self, checks: &[&str]) -> Result<Vec<String>> {
        self.client.start_checks(checks)
    }

    /// Stops checks; returns those stopped (ops `stop_checks`, Juju ≥ 3.6.4).
    pub fn stop_checks(&self, checks: &[&str]) -> Result<Vec<String>> {
        self.client.stop_checks(checks)
    }

    /// Writes a file (ops `push`).
    pub fn push(&self, path: &str, content: impl AsRef<[u8]>, options: &FileOptions) -> Result<()> {
        self.client.push(path, content.as_ref(), options)
    }

    /// Reads a file (ops `pull` with `encoding=None`).
    pub fn pull(&self, path: &str) -> Result<Vec<u8>> {
        self.client.pull(path)
    }

    /// Reads a UTF-8 text file (ops `pull`); invalid UTF-8 is replaced.
    pub fn pull_text(&self, path: &str) -> Result<String> {
        self.client
            .pull(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// Lists a directory, or describes a file with `itself` (ops `list_files`).
    pub fn list_files(
        &self,
        path: &str,
        pattern: Option<&str>,
        itself: bool,
    ) -> Result<Vec<FileInfo>> {
        self.client.list_files(path, pattern, itself)
    }

    /// Whether `path` exists (ops `exists`).
    pub fn exists(&self, path: &str) -> Result<bool> {
        match self.client.list_files(path, None, true) {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Whether `path` is a directory (ops `isdir`).
    pub fn is_dir(&self, path: &str) -> Result<bool> {
        match self.client.list_files(path, None, true) {
            Ok(files) => Ok(files
                .first()
                .is_some_and(|f| f.type_ == crate::pebble::FileType::Directory)),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Makes a directory (ops `make_dir`).
    pub fn make_dir(&self, path: &str, options: &FileOptions) -> Result<()> {
        self.client.make_dir(path, options)
    }

    /// Removes a file or directory (ops `remove_path`).
    pub fn remove_path(&self, path: &str, recursive: bool) -> Result<()> {
        self.client.remove_path(path, recursive)
    }

    /// One notice (ops `get_notice`).
    pub fn get_notice(&self, id: &str) -> Result<Notice> {
        self.client.get_notice(id)
    }

    /// Notices matching `filter` (ops `get_notices`).
    pub fn get_notices(&self, filter: &NoticeFilter) -> Result<Vec<Notice>> {
        self.client.get_notices(filter)
    }

    /// A change by ID.
    pub fn get_change(&self, id: &str) -> Result<Change> {
        self.client.get_change(id)
    }

    /// Not implemented yet (Pebble's websocket protocol): always `NotSupported`.
    pub fn exec(&self, command: &[&str]) -> Result<()> {
        self.client.exec(command)
    }
}
