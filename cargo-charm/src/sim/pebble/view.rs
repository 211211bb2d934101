//! What the containers look like from outside, read from each server's saved state (the
//! server saves it after every change, so nothing here talks to a server): the
//! `containers:` of `show-unit`, the containers table of `status`, and the views of
//! `sim pebble` (`plan`, `services`, `checks`, `notices`, `files PATH`), shaped like the
//! `pebble` CLI's.

use super::Workload;
use crate::error::{Error, Result};
use crate::sim::table::table;
use pebbled::{NoticeFilter, Pebble};
use serde_yaml::{Mapping, Value};

fn load(w: &Workload) -> Result<Pebble> {
    w.load().map_err(Error::msg)
}

/// `show-unit`'s `containers:`: each container's services (current state, startup, since
/// when) and checks (status), as far as its plan has any.
pub fn unit_containers(workloads: &[Workload]) -> Option<Value> {
    if workloads.is_empty() {
        return None;
    }
    let mut out = Mapping::new();
    for w in workloads {
        let mut m = Mapping::new();
        match load(w) {
            Err(e) => {
                m.insert("error".into(), e.message.into());
            }
            Ok(state) => {
                let mut services = Mapping::new();
                for s in state.service_infos(&[]) {
                    let mut sm = Mapping::new();
                    sm.insert("current".into(), s.current.as_str().into());
                    sm.insert("startup".into(), s.startup.as_str().into());
                    if let Some(since) = s.current_since {
                        sm.insert("since".into(), since.into());
                    }
                    services.insert(s.name.into(), Value::Mapping(sm));
                }
                m.insert("services".into(), Value::Mapping(services));
                let checks: Mapping = state
                    .check_infos(None, &[])
                    .into_iter()
                    .map(|c| (c.name.into(), c.status.as_str().into()))
                    .collect();
                if !checks.is_empty() {
                    m.insert("checks".into(), Value::Mapping(checks));
                }
            }
        }
        out.insert(w.container.clone().into(), Value::Mapping(m));
    }
    Some(Value::Mapping(out))
}

/// One `status` row per container: `[unit, container, "svc: state, ..."]` (`unit` as the
/// units table writes it, `*` for the leader).
pub fn status_rows(workloads: &[(String, Workload)]) -> Vec<Vec<String>> {
    workloads
        .iter()
        .map(|(unit, w)| {
            let services = match load(w) {
                Err(_) => "unknown (state unreadable)".to_string(),
                Ok(state) => {
                    let infos = state.service_infos(&[]);
                    if infos.is_empty() {
                        "no services".to_string()
                    } else {
                        infos
                            .iter()
                            .map(|s| format!("{}: {}", s.name, s.current))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                }
            };
            vec![unit.clone(), w.container.clone(), services]
        })
        .collect()
}

/// `sim pebble ... plan`: the plan as `GET /v1/plan?format=yaml` returns it.
pub fn plan(w: &Workload) -> Result<String> {
    Ok(load(w)?.plan_yaml())
}

/// `sim pebble ... services`: like `pebble services`.
pub fn services(w: &Workload) -> Result<String> {
    let state = load(w)?;
    let infos = state.service_infos(&[]);
    if infos.is_empty() {
        return Ok("Plan has no services.\n".into());
    }
    let mut rows = vec![vec![
        "Service".into(),
        "Startup".into(),
        "Current".into(),
        "Since".into(),
    ]];
    for s in infos {
        rows.push(vec![
            s.name,
            s.startup.to_string(),
            s.current.to_string(),
            s.current_since.unwrap_or_else(|| "-".into()),
        ]);
    }
    Ok(table(&rows))
}

/// `sim pebble ... checks`: like `pebble checks`.
pub fn checks(w: &Workload) -> Result<String> {
    let state = load(w)?;
    let infos = state.check_infos(None, &[]);
    if infos.is_empty() {
        return Ok("Plan has no health checks.\n".into());
    }
    let mut rows = vec![vec![
        "Check".into(),
        "Level".into(),
        "Startup".into(),
        "Status".into(),
        "Successes".into(),
        "Failures".into(),
        "Change".into(),
    ]];
    for c in infos {
        rows.push(vec![
            c.name,
            c.level.map_or("-".into(), |l| l.to_string()),
            c.startup.to_string(),
            c.status.to_string(),
            c.successes.map_or("-".into(), |n| n.to_string()),
            format!("{}/{}", c.failures, c.threshold),
            c.change_id.unwrap_or_else(|| "-".into()),
        ]);
    }
    Ok(table(&rows))
}

/// `sim pebble ... notices`: like `pebble notices` (every user's).
pub fn notices(w: &Workload) -> Result<String> {
    let state = load(w)?;
    let notices = state.notices(&NoticeFilter::default());
    if notices.is_empty() {
        return Ok("No notices.\n".into());
    }
    let mut rows = vec![vec![
        "ID".into(),
        "User".into(),
        "Type".into(),
        "Key".into(),
        "First".into(),
        "Repeated".into(),
        "Occurrences".into(),
    ]];
    for n in notices {
        rows.push(vec![
            n.id,
            n.user_id.map_or("public".into(), |u| u.to_string()),
            n.type_.to_string(),
            n.key,
            n.first_occurred,
            n.last_repeated,
            n.occurrences.to_string(),
        ]);
    }
    Ok(table(&rows))
}

/// `sim pebble ... files PATH`: like `pebble ls -l PATH` (a directory's entries, or the
/// file itself), through the same files code the server uses (its root and mounts).
pub fn files(w: &Workload, path: &str) -> Result<String> {
    let state = load(w)?;
    let fs = state
        .fs()
        .ok_or_else(|| Error::msg(format!("{} has no file system", w.label())))?;
    let infos = fs
        .list(path, "", false, state.owners())
        .map_err(|e| Error::msg(format!("{} ({})", e.message, w.label())))?;
    let mut rows = vec![vec![
        "Permissions".into(),
        "User".into(),
        "Group".into(),
        "Size".into(),
        "Modified".into(),
        "Path".into(),
    ]];
    for f in infos {
        rows.push(vec![
            format!("{}{}", type_letter(f.type_.as_str()), f.permissions),
            f.user,
            f.group,
            f.size.map_or("-".into(), |s| s.to_string()),
            f.last_modified,
            f.path,
        ]);
    }
    Ok(table(&rows))
}

/// `sim pebble ... pull PATH`: a file's bytes.
pub fn pull(w: &Workload, path: &str) -> Result<Vec<u8>> {
    let state = load(w)?;
    let fs = state
        .fs()
        .ok_or_else(|| Error::msg(format!("{} has no file system", w.label())))?;
    fs.read(path)
        .map_err(|e| Error::msg(format!("{} ({})", e.message, w.label())))
}

fn type_letter(kind: &str) -> &'static str {
    match kind {
        "directory" => "d",
        "symlink" => "l",
        "socket" => "s",
        "named-pipe" => "p",
        "device" => "c",
        _ => "-",
    }
}
