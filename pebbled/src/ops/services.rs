//! Services as operations on the state (see [`crate::services`] for the model).

use crate::changes::Status;
use crate::duration::go_quote;
use crate::plan;
use crate::services::{title, transition, ApiError, ServiceRecord, ServiceState, SIGNALS};
use crate::state::Pebble;
use charm_runtime::pebble::layer::Startup;
use charm_runtime::pebble::types::{ServiceInfo, ServiceStatus};

impl Pebble {
    /// `GET /v1/services`: the plan's services (all, or those named), by name, with their
    /// status; a never-started service is `inactive` with no `current-since`.
    pub fn service_infos(&self, names: &[String]) -> Vec<ServiceInfo> {
        self.plan
            .services
            .iter()
            .filter(|(name, _)| names.is_empty() || names.contains(name))
            .map(|(name, config)| {
                let record = self.services.get(name);
                ServiceInfo {
                    name: name.clone(),
                    startup: if config.startup == Some(Startup::Enabled) {
                        Startup::Enabled
                    } else {
                        Startup::Disabled
                    },
                    current: record.map_or(ServiceStatus::Inactive, |record| record.state.status()),
                    current_since: record.map(|record| record.current_since.rfc3339_nano()),
                }
            })
            .collect()
    }

    /// The record of a service that has been started, if any.
    pub fn service_record(&self, name: &str) -> Option<&ServiceRecord> {
        self.services.get(name)
    }

    /// Moves a service to a state as if its process had done so (crashed: `Error` or
    /// `Backoff`; `Active`/`Inactive` too). For a harness or simulator; Pebble's API
    /// cannot do this.
    pub fn set_service_status(&mut self, name: &str, status: ServiceStatus) -> Result<(), String> {
        let config = self
            .plan
            .services
            .get(name)
            .cloned()
            .ok_or_else(|| format!("service {} does not exist", go_quote(name)))?;
        let state = match status {
            ServiceStatus::Active => ServiceState::Running,
            ServiceStatus::Inactive => ServiceState::Stopped,
            ServiceStatus::Backoff => ServiceState::Backoff,
            ServiceStatus::Error => ServiceState::Exited,
            ServiceStatus::Other(other) => {
                return Err(format!("unknown service status {}", go_quote(&other)))
            }
        };
        let now = self.now();
        let record = self
            .services
            .entry(name.to_string())
            .or_insert(ServiceRecord {
                state: ServiceState::Stopped,
                config,
                current_since: now,
                last_signal: None,
            });
        transition(record, state, now);
        Ok(())
    }

    /// The last signal sent to a service.
    pub fn last_signal(&self, name: &str) -> Option<&str> {
        self.services
            .get(name)
            .and_then(|record| record.last_signal.as_deref())
    }

    /// `POST /v1/services`: runs the action as a change and returns its id.
    pub fn services_action(&mut self, action: &str, names: &[String]) -> Result<String, ApiError> {
        let mut names = names.to_vec();
        match action {
            "replan" | "autostart" if !names.is_empty() => {
                return Err(ApiError::bad_request(format!(
                    "{action} accepts no service names"
                )))
            }
            "autostart" => {
                let enabled: Vec<String> = self
                    .plan
                    .services
                    .iter()
                    .filter(|(_, service)| service.startup == Some(Startup::Enabled))
                    .map(|(name, _)| name.clone())
                    .collect();
                let lanes = plan::start_order(&self.plan, &enabled).map_err(ApiError::server)?;
                names = lanes.into_iter().flatten().collect();
                if names.is_empty() {
                    return Err(ApiError {
                        status: 400,
                        message: "no default services".into(),
                        kind: Some("no-default-services"),
                    });
                }
            }
            "replan" => {}
            _ if names.is_empty() => {
                return Err(ApiError::bad_request(format!(
                    "must specify services for {action} action"
                )))
            }
            _ => {}
        }
        let cannot =
            |err: String| ApiError::bad_request(format!("cannot {action} services: {err}"));
        // Tasks as (kind, service) in order; `counted` are the services the summary counts.
        let (tasks, counted): (Vec<(&str, String)>, Vec<String>) = match action {
            "start" | "autostart" => {
                let lanes = plan::start_order(&self.plan, &names).map_err(cannot)?;
                let flat: Vec<String> = lanes.into_iter().flatten().collect();
                (
                    flat.iter().map(|name| ("start", name.clone())).collect(),
                    flat,
                )
            }
            "stop" => {
                let lanes = plan::stop_order(&self.plan, &names).map_err(cannot)?;
                let flat: Vec<String> = lanes.into_iter().flatten().collect();
                (
                    flat.iter().map(|name| ("stop", name.clone())).collect(),
                    flat,
                )
            }
            "restart" => {
                let stop_lanes = plan::stop_order(&self.plan, &names).map_err(cannot)?;
                let stops: Vec<String> = stop_lanes
                    .into_iter()
                    .flatten()
                    .filter(|name| names.contains(name))
                    .collect();
                let start_lanes = plan::start_order(&self.plan, &names).map_err(cannot)?;
                let starts: Vec<String> = start_lanes.into_iter().flatten().collect();
                let mut tasks: Vec<(&str, String)> =
                    stops.into_iter().map(|name| ("stop", name)).collect();
                tasks.extend(starts.iter().map(|name| ("start", name.clone())));
                (tasks, starts)
            }
            "replan" => {
                let (stops, starts) = self.replan_lists().map_err(cannot)?;
                let mut affected: Vec<String> =
                    stops.iter().chain(starts.iter()).cloned().collect();
                affected.sort();
                affected.dedup();
                names = affected.clone();
                let mut tasks: Vec<(&str, String)> =
                    stops.into_iter().map(|name| ("stop", name)).collect();
                tasks.extend(starts.into_iter().map(|name| ("start", name)));
                self.replan_checks();
                (tasks, affected)
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "invalid action {}",
                    go_quote(action)
                )))
            }
        };
        let summary = if tasks.is_empty() {
            format!("{} - no services", title(action))
        } else if counted.len() == 1 {
            format!("{} service {}", title(action), go_quote(&names[0]))
        } else {
            format!(
                "{} service {} and {} more",
                title(action),
                go_quote(&names[0]),
                counted.len() - 1
            )
        };
        let index = self.new_change(action, &summary, Default::default());
        if tasks.is_empty() {
            self.set_change_status(index, Status::Done);
            return Ok(self.changes[index].id.clone());
        }
        if !names.is_empty() {
            self.changes[index].service_names = names.clone();
        }
        let ids: Vec<usize> = tasks
            .iter()
            .map(|(kind, name)| {
                let verb = if *kind == "start" { "Start" } else { "Stop" };
                self.add_task(index, kind, &format!("{verb} service {}", go_quote(name)))
            })
            .collect();
        for (task, (kind, name)) in ids.into_iter().zip(tasks) {
            self.set_task_status(index, task, Status::Doing);
            let outcome = if kind == "start" {
                self.do_start(&name)
            } else {
                Ok(self.do_stop(&name))
            };
            match outcome {
                Ok(log) => {
                    if let Some(message) = log {
                        self.task_log(index, task, "INFO", &message);
                    }
                    self.set_task_status(index, task, Status::Done);
                }
                Err(message) => {
                    self.task_log(index, task, "ERROR", &message);
                    self.set_task_status(index, task, Status::Error);
                }
            }
        }
        Ok(self.changes[index].id.clone())
    }

    /// Makes every start of `name` fail as a process exiting at once with `exit_code`
    /// would (`None` clears it): the start task errors with Pebble's message and the
    /// service goes to `backoff` or `error` by its `on-success`/`on-failure` action.
    pub fn set_start_failure(&mut self, name: &str, exit_code: Option<i32>) {
        match exit_code {
            Some(code) => self.start_failures.insert(name.to_string(), code),
            None => self.start_failures.remove(name),
        };
    }

    /// `doStart` without a process: `Ok` with the task log line, if any, or `Err` with the
    /// task's error (a start made to fail by [`Pebble::set_start_failure`]).
    fn do_start(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(config) = self.plan.services.get(name).cloned() else {
            return Err(format!("cannot find service {} in plan", go_quote(name)));
        };
        let now = self.now();
        let failure = self.start_failures.get(name).copied();
        if let Some(record) = self
            .services
            .get_mut(name)
            .filter(|record| record.state == ServiceState::Running)
        {
            record.config = config;
            return Ok(Some(format!("Service {} already started.", go_quote(name))));
        }
        let record = self
            .services
            .entry(name.to_string())
            .or_insert_with(|| ServiceRecord {
                state: ServiceState::Stopped,
                config: config.clone(),
                current_since: now,
                last_signal: None,
            });
        record.config = config.clone();
        let Some(code) = failure else {
            transition(record, ServiceState::Running, now);
            return Ok(None);
        };
        // `exited`: the action for this exit (`getAction`), restart by default.
        let action = if code == 0 {
            config.on_success.clone()
        } else {
            config.on_failure.clone()
        };
        let action = action.map_or("restart".to_string(), |action| action.as_str().to_string());
        let state = match action.as_str() {
            "restart" => ServiceState::Backoff,
            "ignore" if code == 0 => ServiceState::Stopped,
            _ => ServiceState::Exited,
        };
        transition(record, state, now);
        Err(format!(
            "service start attempt: exited quickly with code {code}, will {action}"
        ))
    }

    /// `doStop` without a process: returns the task log line, if any.
    fn do_stop(&mut self, name: &str) -> Option<String> {
        let now = self.now();
        let Some(record) = self.services.get_mut(name) else {
            return Some(format!(
                "Service {} has never been started.",
                go_quote(name)
            ));
        };
        match record.state {
            ServiceState::Stopped => Some(format!("Service {} already stopped.", go_quote(name))),
            ServiceState::Exited => {
                transition(record, ServiceState::Stopped, now);
                Some(format!("Service {} had already exited.", go_quote(name)))
            }
            ServiceState::Running | ServiceState::Backoff => {
                transition(record, ServiceState::Stopped, now);
                None
            }
        }
    }

    /// `ServiceManager.Replan`: services whose configuration changed since they were
    /// started are stopped and started again; enabled services are started.
    fn replan_lists(&mut self) -> Result<(Vec<String>, Vec<String>), String> {
        let mut restart = Vec::new();
        for (name, record) in &mut self.services {
            if let Some(config) = self.plan.services.get(name) {
                if *config == record.config {
                    continue;
                }
                record.config = config.clone();
            }
            restart.push(name.clone());
        }
        let start: Vec<String> = self
            .plan
            .services
            .iter()
            .filter(|(name, service)| {
                restart.contains(name) || service.startup == Some(Startup::Enabled)
            })
            .map(|(name, _)| name.clone())
            .collect();
        let stop_lanes = plan::stop_order(&self.plan, &restart)?;
        let start_lanes = plan::start_order(&self.plan, &start)?;
        Ok((
            stop_lanes.into_iter().flatten().collect(),
            start_lanes.into_iter().flatten().collect(),
        ))
    }

    /// `POST /v1/signals`: `Err` is Pebble's message (a 500), one clause per service.
    pub fn send_signal(&mut self, signal: &str, names: &[String]) -> Result<(), String> {
        let mut errors = Vec::new();
        for name in names {
            match self.services.get_mut(name) {
                None => errors.push(format!(
                    "cannot send signal to {}: service is not running",
                    go_quote(name)
                )),
                Some(record) if record.state != ServiceState::Running => errors.push(format!(
                    "cannot send signal to {}: service is not running",
                    go_quote(name)
                )),
                Some(_) if !SIGNALS.contains(&signal) => errors.push(format!(
                    "cannot send signal to {}: invalid signal name {}",
                    go_quote(name),
                    go_quote(signal)
                )),
                Some(record) => record.last_signal = Some(signal.to_string()),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("; "))
        }
    }
}
