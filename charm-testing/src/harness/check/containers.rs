//! The checker's rules for containers and workload events (see the [module docs](super)).

use super::super::event::WorkloadHook;
use super::super::state::{Container, State};
use super::words::{at_least, list, version_str};
use charm_runtime::metadata::CharmMetadata;
use charm_runtime::pebble::{CheckLevel, CheckStatus, Plan, ServiceStatus};
use std::collections::BTreeSet;
use std::path::Path;

/// A container path without its trailing slashes (`/` stays `/`).
fn norm(path: &str) -> &str {
    let t = path.trim_end_matches('/');
    if t.is_empty() {
        "/"
    } else {
        t
    }
}

/// Whether container path `path` is `location` or inside it.
fn inside(path: &str, location: &str) -> bool {
    let (path, location) = (norm(path), norm(location));
    location == "/"
        || path == location
        || path
            .strip_prefix(location)
            .is_some_and(|rest| rest.starts_with('/'))
}

pub(super) fn check_containers(meta: &CharmMetadata, state: &State, p: &mut Vec<String>) {
    let mut notice_ids = BTreeSet::new();
    for c in state.containers() {
        if meta.container(&c.name).is_none() {
            p.push(format!(
                "container `{}` is not declared by the charm (declared: {})",
                c.name,
                list(meta.containers.iter().map(|c| &c.name))
            ));
        }
        let plan = check_layers(c, p);
        check_services(c, &plan, p);
        check_checks(c, &plan, p);
        for n in &c.notices {
            if !notice_ids.insert(n.id.as_str()) {
                p.push(format!(
                    "notice id `{}` is used twice; Pebble notice ids are unique",
                    n.id
                ));
            }
        }
        check_notices(c, p);
        check_files(c, p);
    }
}

/// Reports layers Pebble would refuse; returns the plan (up to the first refused layer).
fn check_layers(c: &Container, p: &mut Vec<String>) -> Plan {
    for (label, why) in &c.invalid_layers {
        p.push(format!("container `{}`: layer `{label}` {why}", c.name));
    }
    let mut labels = BTreeSet::new();
    let mut twice = false;
    for (label, _) in &c.layers {
        if !labels.insert(label.as_str()) {
            twice = true;
            p.push(format!(
                "container `{}` has two layers labelled `{label}`; Pebble keeps one layer per label",
                c.name
            ));
        }
    }
    let (plan, refused) = c.plan_and_refusal();
    if let (Some((label, message)), false) = (refused, twice) {
        p.push(format!(
            "container `{}`: Pebble refuses layer `{label}`: {message}",
            c.name
        ));
    }
    plan
}

fn check_services(c: &Container, plan: &Plan, p: &mut Vec<String>) {
    let services = plan.services.keys();
    for (svc, status) in &c.service_statuses {
        if !plan.services.contains_key(svc) {
            p.push(format!(
                "container `{}` has a status for service `{svc}`, which is not in its plan (services in the plan: {}); Pebble only knows planned services",
                c.name,
                list(services.clone())
            ));
        }
        if let ServiceStatus::Other(s) = status {
            p.push(format!(
                "container `{}`: service `{svc}` has status `{s}`, which Pebble never reports (it reports `active`, `inactive`, `backoff` and `error`)",
                c.name
            ));
        }
    }
}

fn check_checks(c: &Container, plan: &Plan, p: &mut Vec<String>) {
    let mut names = BTreeSet::new();
    for info in &c.check_infos {
        if !names.insert(info.name.as_str()) {
            p.push(format!(
                "container `{}` has two check infos for `{}`",
                c.name, info.name
            ));
        }
        let Some(def) = plan.checks.get(&info.name) else {
            p.push(format!(
                "container `{}` has check info `{}`, but its plan has {}",
                c.name,
                info.name,
                if plan.checks.is_empty() {
                    "no checks".to_string()
                } else {
                    format!("only the checks {}", list(plan.checks.keys()))
                }
            ));
            continue;
        };
        if info.level != def.level {
            p.push(format!(
                "container `{}`: check `{}` has level {:?}, but the plan says {:?}",
                c.name,
                info.name,
                info.level.as_ref().map(CheckLevel::as_str),
                def.level.as_ref().map(CheckLevel::as_str)
            ));
        }
        let plan_threshold = def.threshold.unwrap_or(3);
        if info.threshold != plan_threshold {
            p.push(format!(
                "container `{}`: check `{}` has threshold {}, but the plan says {plan_threshold}",
                c.name, info.name, info.threshold
            ));
        }
        let failures = match info.failures {
            1 => "1 failure".to_string(),
            n => format!("{n} failures"),
        };
        match &info.status {
            CheckStatus::Up if info.failures >= plan_threshold => p.push(format!(
                "container `{}`: check `{}` is up with {failures}, but Pebble takes a check down at its threshold ({plan_threshold}); use `CheckInfo::down`",
                c.name, info.name
            )),
            CheckStatus::Down if info.failures < plan_threshold => p.push(format!(
                "container `{}`: check `{}` is down with {failures}, but Pebble takes a check down only at its threshold ({plan_threshold})",
                c.name, info.name
            )),
            CheckStatus::Other(s) => p.push(format!(
                "container `{}`: check `{}` has status `{s}`, which Pebble never reports (it reports `up`, `down` and `inactive`)",
                c.name, info.name
            )),
            _ => {}
        }
    }
}

fn check_notices(c: &Container, p: &mut Vec<String>) {
    let mut keys = BTreeSet::new();
    for n in &c.notices {
        if !keys.insert((n.user_id, n.notice_type.as_str(), n.key.as_str())) {
            p.push(format!(
                "container `{}` has two `{}` notices with key `{}`{}; Pebble keeps one notice per user, type and key (set `occurrences` to count repeats)",
                c.name,
                n.notice_type,
                n.key,
                match n.user_id {
                    Some(uid) => format!(" for user {uid}"),
                    None => String::new(),
                }
            ));
        }
        match n.notice_type.as_str() {
            "custom" if !pebbled::valid_custom_key(&n.key) => p.push(format!(
                "notice `{}` has key `{}`, which Pebble refuses for a custom notice (it must look like `example.com/path`)",
                n.id, n.key
            )),
            "custom" | "change-update" | "warning" => {}
            other => p.push(format!(
                "notice `{}` has type `{other}`; Pebble's notice types are `custom`, `change-update` and `warning`",
                n.id
            )),
        }
        if n.occurrences == 0 {
            p.push(format!(
                "notice `{}` has 0 occurrences; a notice exists once it occurred",
                n.id
            ));
        }
    }
}

fn check_files(c: &Container, p: &mut Vec<String>) {
    for (location, source) in &c.mounts {
        if !location.starts_with('/') {
            p.push(format!(
                "container `{}`: mount location `{location}` is not absolute",
                c.name
            ));
        }
        if std::fs::symlink_metadata(source).is_err() {
            p.push(format!(
                "container `{}`: mount `{location}` has host path `{}`, which does not exist",
                c.name,
                source.display()
            ));
        }
    }
    let locations: Vec<&String> = c.mounts.keys().collect();
    for (i, a) in locations.iter().enumerate() {
        for b in &locations[i + 1..] {
            if inside(a, b) || inside(b, a) {
                p.push(format!(
                    "container `{}`: mounts `{a}` and `{b}` overlap",
                    c.name
                ));
            }
        }
    }
    for path in c.files.keys() {
        if !path.starts_with('/') {
            p.push(format!(
                "container `{}`: file path `{path}` is not absolute",
                c.name
            ));
            continue;
        }
        if Path::new(path).file_name().is_none() || path.ends_with('/') {
            p.push(format!(
                "container `{}`: file path `{path}` names a directory, not a file",
                c.name
            ));
        }
        if let Some(m) = locations.iter().find(|m| inside(path, m)) {
            p.push(format!(
                "container `{}`: file `{path}` is inside mount `{m}`; put it in the mount's host path instead",
                c.name
            ));
        }
    }
}

/// A workload event: its container is declared, in the state and reachable; its notice or
/// check is there; the event exists in the Juju version.
pub(super) fn check_workload_event(
    meta: &CharmMetadata,
    version: &[u64],
    hook: &str,
    kind: &WorkloadHook,
    container: &str,
    state: &State,
    p: &mut Vec<String>,
) {
    if meta.container(container).is_none() {
        p.push(format!(
            "event `{hook}` is about container `{container}`, which is not declared by the charm (declared: {})",
            list(meta.containers.iter().map(|c| &c.name))
        ));
    }
    let Some(c) = state.container(container) else {
        p.push(format!(
            "event `{hook}` is about container `{container}`, which is not in the state (Juju sends workload events only for existing containers; add `Container::new(\"{container}\")`)"
        ));
        return;
    };
    if !c.can_connect {
        p.push(format!(
            "event `{hook}` is about container `{container}`, which cannot connect: Juju sends it only when the container's Pebble is up (set `Container::can_connect(true)`)"
        ));
    }
    match kind {
        WorkloadHook::Ready => {}
        WorkloadHook::Notice(n) => {
            if !at_least(version, &[3, 4]) {
                p.push(format!(
                    "event `{hook}` exists from Juju 3.4 (the context says {})",
                    version_str(version)
                ));
            }
            if !c.notices.iter().any(|x| x.id == n.id) {
                p.push(format!(
                    "event `{hook}` is about notice `{}` (key `{}`), which is not among the notices of container `{container}`",
                    n.id, n.key
                ));
            } else if n.notice_type != "custom" {
                p.push(format!(
                    "event `{hook}` is about notice `{}` of type `{}`; Juju sends it only for custom notices",
                    n.id, n.notice_type
                ));
            }
        }
        WorkloadHook::CheckFailed(ci) | WorkloadHook::CheckRecovered(ci) => {
            if !at_least(version, &[3, 6]) {
                p.push(format!(
                    "event `{hook}` exists from Juju 3.6 (the context says {})",
                    version_str(version)
                ));
            }
            if !c.check_infos.iter().any(|x| x.name == ci.name) {
                p.push(format!(
                    "event `{hook}` is about check `{}`, which is not among the check infos of container `{container}`",
                    ci.name
                ));
            }
        }
    }
}
