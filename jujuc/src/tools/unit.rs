//! `config-get`, `is-leader`, `status-get`, `status-set`, `application-version-set`,
//! `juju-log`.

use super::args::{boolean, parse, value, FORMAT};
use super::format::{q, render, Format};
use super::{Ctx, Fail, Out, ToolResult};
use crate::world::StatusValue;
use serde_json::{Map, Value};

const ALL_FORMATS: &[Format] = &[Format::Smart, Format::Yaml, Format::Json];

/// `config-get [<key>] [--all]`: all options that are set or have a default; one option's
/// value (`null` if unknown, not an error); with `--all`, also the options without a value
/// (as `null`).
pub(crate) fn config_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("config-get", argv, &[FORMAT, boolean(&["all", "a"])])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    let key = a.pos.first().cloned().unwrap_or_default();
    if !key.is_empty() && a.on("all") {
        return Err(Fail::usage(format!(
            "cannot use argument --all together with key {}",
            q(&key)
        )));
    }
    a.no_more(1)?;
    let value = if key.is_empty() {
        Value::Object(config(ctx, a.on("all")))
    } else {
        ctx.world.config.get(&key).cloned().unwrap_or(Value::Null)
    };
    Ok(Out::print(render(format, &value)))
}

/// Every option that is set or has a default; with `all`, also the unset ones (`null`).
pub(crate) fn config(ctx: &Ctx<'_>, all: bool) -> Map<String, Value> {
    let mut m = ctx.world.config.clone();
    if all {
        for k in &ctx.world.unset_config_options {
            m.entry(k.clone()).or_insert(Value::Null);
        }
    }
    m
}

/// `is-leader`: `true` / `false` (smart: `True` / `False`).
pub(crate) fn is_leader(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("is-leader", argv, &[FORMAT])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    a.no_more(0)?;
    Ok(Out::print(render(format, &Value::Bool(ctx.world.leader))))
}

fn status_name(s: &StatusValue) -> String {
    if s.status.is_empty() {
        "unknown".into()
    } else {
        s.status.clone()
    }
}

/// Juju's `toDetails`: the status, plus message and (empty) data with `--include-data`.
fn details(s: &StatusValue, include_data: bool) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("status".into(), Value::String(status_name(s)));
    if include_data {
        m.insert("message".into(), Value::String(s.message.clone()));
        m.insert("status-data".into(), Value::Object(Map::new()));
    }
    m
}

/// `status-get [--include-data] [--application]`: without data in the smart format, just
/// the status name; otherwise the details. The application form (leader only) nests the
/// units' details under `application-status.units` (Juju's `status-get.go`).
pub(crate) fn status_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse(
        "status-get",
        argv,
        &[
            FORMAT,
            boolean(&["include-data"]),
            boolean(&["application"]),
        ],
    )?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    a.no_more(0)?;
    let include = a.on("include-data");
    let w = &ctx.world;
    if a.on("application") {
        if !w.leader {
            return Err(Fail::run(
                "finding application status: this unit is not the leader",
            ));
        }
        if !include && format == Format::Smart {
            return Ok(Out::print(render(
                format,
                &Value::String(status_name(&w.app_status)),
            )));
        }
        let mut units = Map::new();
        units.insert(
            w.unit.clone(),
            Value::Object(details(&w.unit_status, include)),
        );
        for (u, s) in &w.other_unit_statuses {
            units.insert(u.clone(), Value::Object(details(s, include)));
        }
        let mut app = details(&w.app_status, include);
        app.insert("units".into(), Value::Object(units));
        let mut top = Map::new();
        top.insert("application-status".into(), Value::Object(app));
        return Ok(Out::print(render(format, &Value::Object(top))));
    }
    if !include && format == Format::Smart {
        return Ok(Out::print(render(
            format,
            &Value::String(status_name(&w.unit_status)),
        )));
    }
    Ok(Out::print(render(
        format,
        &Value::Object(details(&w.unit_status, include)),
    )))
}

const SETTABLE: [&str; 4] = ["maintenance", "blocked", "waiting", "active"];

/// `status-set [--application] <status> [<message>]`: takes effect at once (world and
/// history). Only the four settable statuses (exit 2 otherwise); the application status
/// needs the leader.
pub(crate) fn status_set(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("status-set", argv, &[boolean(&["application"])])?;
    let Some(status) = a.pos.first() else {
        return Err(Fail::usage("invalid args, require <status> [message]"));
    };
    check_settable(status)?;
    let message = a.pos.get(1).map_or("", String::as_str);
    a.no_more(2)?;
    set_status(ctx, a.on("application"), status, message)?;
    Ok(Out::none())
}

/// `status-set`'s `Init` check: one of the four settable statuses (exit 2 otherwise).
pub(crate) fn check_settable(status: &str) -> Result<(), Fail> {
    if SETTABLE.contains(&status) {
        Ok(())
    } else {
        Err(Fail::usage(format!(
            "invalid status {}, expected one of [{}]",
            q(status),
            SETTABLE.join(" ")
        )))
    }
}

/// Sets a (checked) status at once: the application's needs the leader.
pub(crate) fn set_status(
    ctx: &mut Ctx<'_>,
    application: bool,
    status: &str,
    message: &str,
) -> Result<(), Fail> {
    if application && !ctx.world.leader {
        return Err(Fail::run("this unit is not the leader"));
    }
    let (now, history) = if application {
        (&mut ctx.world.app_status, &mut ctx.hook.app_status_history)
    } else {
        (
            &mut ctx.world.unit_status,
            &mut ctx.hook.unit_status_history,
        )
    };
    // The world's status is overwritten in place (its buffers reused).
    now.status.clear();
    now.status.push_str(status);
    now.message.clear();
    now.message.push_str(message);
    history.push(now.clone());
    Ok(())
}

/// `application-version-set <version>`: at once.
pub(crate) fn application_version_set(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("application-version-set", argv, &[])?;
    let Some(version) = a.pos.first().cloned() else {
        return Err(Fail::usage("no version specified"));
    };
    a.no_more(1)?;
    set_version(ctx, version);
    Ok(Out::none())
}

/// Sets the workload version at once.
pub(crate) fn set_version(ctx: &mut Ctx<'_>, version: String) {
    ctx.world.workload_version.clone_from(&version);
    ctx.hook.workload_version_history.push(version);
}

/// loggo's `ParseLevel`.
fn parse_level(s: &str) -> Option<&'static str> {
    Some(match s.trim().to_ascii_uppercase().as_str() {
        "TRACE" => "TRACE",
        "DEBUG" => "DEBUG",
        "INFO" => "INFO",
        "WARN" | "WARNING" => "WARNING",
        "ERROR" => "ERROR",
        "CRITICAL" => "CRITICAL",
        _ => return None,
    })
}

/// `juju-log [--debug] [-l|--log-level <LEVEL>] <message...>`: the arguments joined by
/// spaces, at once. An invalid level logs a warning and then the message at INFO. In a
/// relation hook the message is prefixed with `<endpoint>:<id>: `.
pub(crate) fn juju_log(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse(
        "juju-log",
        argv,
        &[
            boolean(&["debug"]),
            value(&["log-level", "l"]),
            value(&["format"]),
        ],
    )?;
    if a.pos.is_empty() {
        return Err(Fail::usage("no message specified"));
    }
    let message = a.pos.join(" ");
    let mut out = Out::none();
    if a.get("format").is_some() {
        out = out.warn("--format flag deprecated for command \"juju-log\"");
    }
    log(ctx, a.on("debug"), a.get("log-level"), &message);
    Ok(out)
}

/// Logs `message` at once: at DEBUG with `debug`, else at `level` (`-l`; INFO if absent,
/// empty or invalid, after a warning for an invalid one); prefixed with
/// `<endpoint>:<id>: ` in a relation hook.
pub(crate) fn log(ctx: &mut Ctx<'_>, debug: bool, level: Option<&str>, message: &str) {
    let level = if debug {
        "DEBUG"
    } else {
        match level {
            None | Some("") => "INFO",
            Some(l) => parse_level(l).unwrap_or_else(|| {
                ctx.hook.logs.push((
                    "WARNING".into(),
                    format!("Specified log level of {} is not valid", q(l)),
                ));
                "INFO"
            }),
        }
    };
    let line = match ctx.hook_relation() {
        Some(r) => format!("{}:{}: {message}", r.endpoint, r.id),
        None => message.to_string(),
    };
    ctx.hook.logs.push((level.to_string(), line));
}
