//! Pebble's layer and plan schema as typed data: what `add_layer` sends (as JSON, which is
//! YAML: see [`Layer::to_json`]) and what
//! `get_plan` reads back.
//!
//! Field names, their order and their value sets follow Pebble's `internals/plan/plan.go`
//! (`Layer`, `Service`, `Check`, `HTTPCheck`, `TCPCheck`, `ExecCheck`, `LogTarget`), the
//! schema ops' `Layer`/`Plan`/`ServiceDict`/`CheckDict`/`LogTargetDict` also write. As in
//! Pebble, an empty string, list or map means "not set" and is not written.
//!
//! These are plain data: merging layers into a plan (the `override` rules, `combine`) is the
//! server's job and lives with the in-memory Pebble, which uses these same types.
//!
//! **Unknown fields are kept, not rejected.** Each struct has an `extra` map holding any key
//! it does not know, written back unchanged. So a plan from a newer Pebble still reads, and a
//! layer with a typo reaches Pebble, which rejects it with its own message (Pebble parses
//! with `KnownFields(true)`); a server built on these types calls [`Layer::unknown_fields`]
//! to do the same.
//!
//! Serialisation is serde's derive; reading (`from_yaml` and every `Deserialize` impl) goes
//! through a JSON value and a hand-written reader (`layer_read.rs`, which also holds
//! `from_yaml`), which keeps a charm's
//! binary small and names the field in errors (`services.web.user-id: expected an integer
//! from 0 to 4294967295, got -1`).
//!
//! ```
//! use charm_runtime::pebble::{Check, Layer, Service};
//! use std::time::Duration;
//!
//! let layer = Layer::new()
//!     .summary("demo server layer")
//!     .service(
//!         "demo-server",
//!         Service::new("/usr/bin/demo-server --port 8080")
//!             .enabled()
//!             .env("LOG_LEVEL", "info")
//!             .backoff_delay(Duration::from_millis(500)),
//!     )
//!     .check("up", Check::http("http://localhost:8080/health").period(Duration::from_secs(5)));
//! let yaml = layer.to_yaml().unwrap();
//! assert!(yaml.contains("backoff-delay: 500ms"));
//! assert_eq!(Layer::from_yaml(&yaml).unwrap(), layer);
//! ```

use super::duration;
use super::strenum::pebble_enum;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Keys a struct does not know, kept as read (see the module docs); sorted by key.
pub type Extra = serde_json::Map<String, Value>;

pebble_enum! {
    /// How a layer's entry combines with the same-named entry of the layers below it
    /// (`override:`; required in every layer that Pebble accepts).
    pub enum Override {
        /// Fields set here replace or extend those below.
        Merge => "merge",
        /// This entry replaces the one below entirely.
        Replace => "replace",
    }
}

pebble_enum! {
    /// Whether a service or check starts on `replan`/`autostart` (`startup:`). Services
    /// default to disabled, checks to enabled.
    pub enum Startup {
        /// Started by replan and autostart.
        Enabled => "enabled",
        /// Started only when asked by name.
        Disabled => "disabled",
    }
}

pebble_enum! {
    /// What Pebble does when a service exits or a check fails (`on-success`, `on-failure`,
    /// `on-check-failure`).
    pub enum ServiceAction {
        /// Restart the service (with backoff). The default.
        Restart => "restart",
        /// Shut Pebble down (with a failure exit code on `on-failure`/check failure).
        Shutdown => "shutdown",
        /// Do nothing.
        Ignore => "ignore",
        /// Shut Pebble down with a failure exit code (`on-success` only).
        FailureShutdown => "failure-shutdown",
        /// Shut Pebble down with a success exit code (`on-failure`, `on-check-failure`).
        SuccessShutdown => "success-shutdown",
    }
}

pebble_enum! {
    /// A check's level (`level:`): unset, `alive` or `ready`.
    pub enum CheckLevel {
        /// Liveness: failing means the workload is not alive.
        Alive => "alive",
        /// Readiness: failing means the workload is not ready (an alive failure is also a
        /// ready failure).
        Ready => "ready",
    }
}

pebble_enum! {
    /// Where a log target forwards logs (`type:`).
    pub enum LogTargetType {
        /// Grafana Loki's push API.
        Loki => "loki",
        /// OpenTelemetry's logs HTTP API.
        OpenTelemetry => "opentelemetry",
        /// Syslog.
        Syslog => "syslog",
    }
}

/// One layer of Pebble configuration: what `add_layer` sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Layer {
    /// What this layer is for.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// A longer description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Services by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub services: BTreeMap<String, Service>,
    /// Health checks by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, Check>,
    /// Log forwarding targets by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub log_targets: BTreeMap<String, LogTarget>,
    /// Top-level keys this type does not know (Pebble's section extensions, or typos).
    #[serde(flatten, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// The combined configuration Pebble runs: what `get_plan` returns (`GET /v1/plan?format=yaml`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Plan {
    /// Services by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub services: BTreeMap<String, Service>,
    /// Health checks by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, Check>,
    /// Log forwarding targets by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub log_targets: BTreeMap<String, LogTarget>,
    /// Top-level keys this type does not know (Pebble's section extensions).
    #[serde(flatten, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// A service in a layer or plan. Every field is optional; in a plan `command` is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Service {
    /// One line about the service.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// A longer description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Started by replan/autostart or not (Pebble's default: disabled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup: Option<Startup>,
    /// How this entry combines with the layers below (required by Pebble in a layer).
    #[serde(rename = "override", skip_serializing_if = "Option::is_none")]
    pub override_: Option<Override>,
    /// The command, run directly (not by a shell); default arguments may follow in `[ ... ]`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub command: String,
    /// Services this one starts after.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
    /// Services this one starts before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<String>,
    /// Services that must be started with this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    /// The workload this service runs in (Pebble ≥ 1.20's `workloads:` section).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub workload: String,
    /// Environment variables for the command.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub environment: BTreeMap<String, String>,
    /// The user ID to run as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u32>,
    /// The user name to run as.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// The group ID to run as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<u32>,
    /// The group name to run as.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// The working directory (default: the user's home directory).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    /// What to do when the service exits with status 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_success: Option<ServiceAction>,
    /// What to do when the service exits with a non-zero status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_failure: Option<ServiceAction>,
    /// What to do when a named check fails.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub on_check_failure: BTreeMap<String, ServiceAction>,
    /// The first restart delay (Pebble's default: 500ms).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "duration::option::serialize"
    )]
    pub backoff_delay: Option<Duration>,
    /// The factor each restart multiplies the delay by (Pebble's default: 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backoff_factor: Option<f64>,
    /// The longest restart delay (Pebble's default: 30s).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "duration::option::serialize"
    )]
    pub backoff_limit: Option<Duration>,
    /// How long Pebble waits after SIGTERM before SIGKILL (Pebble's default: 5s).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "duration::option::serialize"
    )]
    pub kill_delay: Option<Duration>,
    /// Keys this type does not know, kept as read.
    #[serde(flatten, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// A health check in a layer or plan: one of `http`, `tcp` or `exec`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Check {
    /// How this entry combines with the layers below (required by Pebble in a layer).
    #[serde(rename = "override", skip_serializing_if = "Option::is_none")]
    pub override_: Option<Override>,
    /// `alive`, `ready`, or unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<CheckLevel>,
    /// Started by replan or not (Pebble's default: enabled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup: Option<Startup>,
    /// How often the check runs (Pebble's default: 10s).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "duration::option::serialize"
    )]
    pub period: Option<Duration>,
    /// How long one run may take (Pebble's default: 3s).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "duration::option::serialize"
    )]
    pub timeout: Option<Duration>,
    /// Consecutive failures before the check is down (Pebble's default: 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<u32>,
    /// An HTTP GET that must answer 2xx.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpCheck>,
    /// A TCP port that must accept a connection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpCheck>,
    /// A command that must exit 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecCheck>,
    /// Keys this type does not know, kept as read.
    #[serde(flatten, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// An HTTP check's settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct HttpCheck {
    /// The URL to GET.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Request headers.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Keys this type does not know, kept as read.
    #[serde(flatten, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// A TCP check's settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct TcpCheck {
    /// The port to connect to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The host to connect to (Pebble's default: localhost).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// Keys this type does not know, kept as read.
    #[serde(flatten, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// An exec check's settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ExecCheck {
    /// The command to run (not through a shell).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub command: String,
    /// Run in this service's context (its environment, user, group, working directory).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_context: String,
    /// Environment variables.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub environment: BTreeMap<String, String>,
    /// The user ID to run as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u32>,
    /// The user name to run as.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// The group ID to run as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<u32>,
    /// The group name to run as.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// The working directory.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    /// Keys this type does not know, kept as read.
    #[serde(flatten, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// A log forwarding target.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct LogTarget {
    /// The protocol.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<LogTargetType>,
    /// The server's URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub location: String,
    /// Services whose logs go here: names, `all`, or `-name` / `-all` to remove.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// How this entry combines with the layers below (required by Pebble in a layer).
    #[serde(rename = "override", skip_serializing_if = "Option::is_none")]
    pub override_: Option<Override>,
    /// Labels added to every forwarded line.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Keys this type does not know, kept as read.
    #[serde(flatten, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// A layer or plan text that is not valid YAML of the expected shape (or a value that
/// cannot be written as YAML).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerError {
    /// `"layer"` or `"plan"`.
    pub what: &'static str,
    /// The YAML library's message, with its line and column where it has them.
    pub message: String,
}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid Pebble {} YAML: {}", self.what, self.message)
    }
}

impl std::error::Error for LayerError {}

fn to_yaml<T: Serialize>(what: &'static str, value: &T) -> Result<String, LayerError> {
    serde_yaml::to_string(value).map_err(|e| LayerError {
        what,
        message: e.to_string(),
    })
}
/// A key one of the layer's structs did not know, as [`Layer::unknown_fields`] lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownField {
    /// Where it is, dotted: `services.web.comand`, `checks.up.http.uri`, `workloads`.
    pub path: String,
    /// The key itself.
    pub field: String,
    /// The Pebble (Go) type that lacks it, for Pebble's wording ("field comand not found
    /// in type plan.Service"); `None` at the top level ("unknown section").
    pub pebble_type: Option<&'static str>,
}

impl Layer {
    /// An empty layer; add to it with the builder methods.
    pub fn new() -> Self {
        Self::default()
    }

    /// The layer's YAML, as `add_layer` sends it.
    pub fn to_yaml(&self) -> Result<String, LayerError> {
        to_yaml("layer", self)
    }

    /// Sets the summary.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Adds (or replaces) a service.
    pub fn service(mut self, name: impl Into<String>, service: Service) -> Self {
        self.services.insert(name.into(), service);
        self
    }

    /// Adds (or replaces) a check.
    pub fn check(mut self, name: impl Into<String>, check: Check) -> Self {
        self.checks.insert(name.into(), check);
        self
    }

    /// Adds (or replaces) a log target.
    pub fn log_target(mut self, name: impl Into<String>, target: LogTarget) -> Self {
        self.log_targets.insert(name.into(), target);
        self
    }

    /// Every key that no struct of this layer knows, in a stable order (top level first,
    /// then services, checks, log targets by name). Pebble rejects a layer with any.
    pub fn unknown_fields(&self) -> Vec<UnknownField> {
        let mut out: Vec<UnknownField> = self
            .extra
            .keys()
            .map(|k| UnknownField {
                path: k.clone(),
                field: k.clone(),
                pebble_type: None,
            })
            .collect();
        let mut add = |prefix: String, extra: &Extra, ty: &'static str| {
            out.extend(extra.keys().map(|k| UnknownField {
                path: format!("{prefix}.{k}"),
                field: k.clone(),
                pebble_type: Some(ty),
            }));
        };
        for (name, s) in &self.services {
            add(format!("services.{name}"), &s.extra, "plan.Service");
        }
        for (name, c) in &self.checks {
            let p = format!("checks.{name}");
            add(p.clone(), &c.extra, "plan.Check");
            if let Some(h) = &c.http {
                add(format!("{p}.http"), &h.extra, "plan.HTTPCheck");
            }
            if let Some(t) = &c.tcp {
                add(format!("{p}.tcp"), &t.extra, "plan.TCPCheck");
            }
            if let Some(e) = &c.exec {
                add(format!("{p}.exec"), &e.extra, "plan.ExecCheck");
            }
        }
        for (name, t) in &self.log_targets {
            add(format!("log-targets.{name}"), &t.extra, "plan.LogTarget");
        }
        out
    }
}

impl Plan {
    /// The plan's YAML.
    pub fn to_yaml(&self) -> Result<String, LayerError> {
        to_yaml("plan", self)
    }
}

impl Service {
    /// A service running `command`, with `override: replace` (the usual choice for a
    /// charm's own layer).
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
            override_: Some(Override::Replace),
            ..Self::default()
        }
    }

    /// Sets `override` (`Override::Merge`: this entry updates the same-named one below).
    pub fn with_override(mut self, o: Override) -> Self {
        self.override_ = Some(o);
        self
    }

    /// Sets `startup: enabled` (started by replan and autostart).
    pub fn enabled(self) -> Self {
        self.startup(Startup::Enabled)
    }

    /// Sets `startup`.
    pub fn startup(mut self, startup: Startup) -> Self {
        self.startup = Some(startup);
        self
    }

    /// Sets the summary.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Sets the command.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = command.into();
        self
    }

    /// Adds a service this one starts after.
    pub fn after(mut self, service: impl Into<String>) -> Self {
        self.after.push(service.into());
        self
    }

    /// Adds a service this one starts before.
    pub fn before(mut self, service: impl Into<String>) -> Self {
        self.before.push(service.into());
        self
    }

    /// Adds a service this one requires.
    pub fn requires(mut self, service: impl Into<String>) -> Self {
        self.requires.push(service.into());
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.environment.insert(key.into(), value.into());
        self
    }

    /// Sets the user name to run as.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = user.into();
        self
    }

    /// Sets the user ID to run as.
    pub fn user_id(mut self, uid: u32) -> Self {
        self.user_id = Some(uid);
        self
    }

    /// Sets the group name to run as.
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = group.into();
        self
    }

    /// Sets the group ID to run as.
    pub fn group_id(mut self, gid: u32) -> Self {
        self.group_id = Some(gid);
        self
    }

    /// Sets the working directory.
    pub fn working_dir(mut self, dir: impl Into<String>) -> Self {
        self.working_dir = dir.into();
        self
    }

    /// Sets `on-success`.
    pub fn on_success(mut self, action: ServiceAction) -> Self {
        self.on_success = Some(action);
        self
    }

    /// Sets `on-failure`.
    pub fn on_failure(mut self, action: ServiceAction) -> Self {
        self.on_failure = Some(action);
        self
    }

    /// Sets what to do when `check` fails.
    pub fn on_check_failure(mut self, check: impl Into<String>, action: ServiceAction) -> Self {
        self.on_check_failure.insert(check.into(), action);
        self
    }

    /// Sets `backoff-delay`.
    pub fn backoff_delay(mut self, d: Duration) -> Self {
        self.backoff_delay = Some(d);
        self
    }

    /// Sets `backoff-factor`.
    pub fn backoff_factor(mut self, factor: f64) -> Self {
        self.backoff_factor = Some(factor);
        self
    }

    /// Sets `backoff-limit`.
    pub fn backoff_limit(mut self, d: Duration) -> Self {
        self.backoff_limit = Some(d);
        self
    }

    /// Sets `kill-delay`.
    pub fn kill_delay(mut self, d: Duration) -> Self {
        self.kill_delay = Some(d);
        self
    }
}

impl Check {
    fn with_probe(f: impl FnOnce(&mut Self)) -> Self {
        let mut c = Self {
            override_: Some(Override::Replace),
            ..Self::default()
        };
        f(&mut c);
        c
    }

    /// An HTTP check of `url`, with `override: replace`.
    pub fn http(url: impl Into<String>) -> Self {
        let url = url.into();
        Self::with_probe(|c| {
            c.http = Some(HttpCheck {
                url,
                ..HttpCheck::default()
            })
        })
    }

    /// A TCP check of `port` (on localhost unless [`Check::host`] says otherwise), with
    /// `override: replace`.
    pub fn tcp(port: u16) -> Self {
        Self::with_probe(|c| {
            c.tcp = Some(TcpCheck {
                port: Some(port),
                ..TcpCheck::default()
            })
        })
    }

    /// An exec check running `command`, with `override: replace`.
    pub fn exec(command: impl Into<String>) -> Self {
        let command = command.into();
        Self::with_probe(|c| {
            c.exec = Some(ExecCheck {
                command,
                ..ExecCheck::default()
            })
        })
    }

    /// Sets `override` (`Override::Merge`: this entry updates the same-named one below).
    pub fn with_override(mut self, o: Override) -> Self {
        self.override_ = Some(o);
        self
    }

    /// Sets the level.
    pub fn level(mut self, level: CheckLevel) -> Self {
        self.level = Some(level);
        self
    }

    /// Sets `startup`.
    pub fn startup(mut self, startup: Startup) -> Self {
        self.startup = Some(startup);
        self
    }

    /// Sets the period.
    pub fn period(mut self, d: Duration) -> Self {
        self.period = Some(d);
        self
    }

    /// Sets the timeout.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Sets the failure threshold.
    pub fn threshold(mut self, n: u32) -> Self {
        self.threshold = Some(n);
        self
    }

    /// Adds an HTTP header (making this an HTTP check if it was not one).
    pub fn header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.http
            .get_or_insert_with(HttpCheck::default)
            .headers
            .insert(key.into(), value.into());
        self
    }

    /// Sets the TCP host (making this a TCP check if it was not one).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.tcp.get_or_insert_with(TcpCheck::default).host = host.into();
        self
    }
}

impl LogTarget {
    /// A target of `type_` at `location`, with `override: replace` and no services yet.
    pub fn new(type_: LogTargetType, location: impl Into<String>) -> Self {
        Self {
            type_: Some(type_),
            location: location.into(),
            override_: Some(Override::Replace),
            ..Self::default()
        }
    }

    /// Sets `override` (`Override::Merge`: this entry updates the same-named one below).
    pub fn with_override(mut self, o: Override) -> Self {
        self.override_ = Some(o);
        self
    }

    /// Adds a service (`all`, a name, or `-name` to remove one).
    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.services.push(service.into());
        self
    }

    /// Sets a label.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }
}
