//! `action-get`, `action-set`, `action-log`, `action-fail`. Outside an action each fails
//! at run time with `not running an action` (exit 1), as Juju's hook context does; usage
//! errors (bad keys, reserved keys) come first, with exit 2.

use super::args::{parse, FORMAT};
use super::format::{q, render, Format};
use super::{Ctx, Fail, Out, ToolResult};
use serde_json::Value;

const ALL_FORMATS: &[Format] = &[Format::Smart, Format::Yaml, Format::Json];
const RESERVED: [&str; 4] = ["stdout", "stdout-encoding", "stderr", "stderr-encoding"];

fn not_action() -> Fail {
    Fail::run("not running an action")
}

/// `action-get [<key>[.<key>...]]`: all parameters, or one (possibly nested) value;
/// `null` if absent.
pub(crate) fn action_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("action-get", argv, &[FORMAT])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    a.no_more(1)?;
    if !ctx.hook.info.is_action {
        return Err(not_action());
    }
    let params = ctx
        .world
        .action
        .as_ref()
        .map(|a| a.params.clone())
        .unwrap_or_default();
    let value = match a.pos.first() {
        None => Value::Object(params),
        Some(path) => {
            let mut cur = Some(Value::Object(params));
            for key in path.split('.') {
                cur = match cur {
                    Some(Value::Object(mut m)) => m.remove(key),
                    _ => None,
                };
            }
            cur.unwrap_or(Value::Null)
        }
    };
    Ok(Out::print(render(format, &value)))
}

/// Juju's action-name rule, used for each dotted segment of a result key.
fn valid_key_segment(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !s.is_empty() && s.starts_with(ok) && s.ends_with(ok) && s.chars().all(|c| ok(c) || c == '-')
}

/// `action-set <key>=<value> ...`: results, stored flat with dotted keys. Setting a key
/// replaces whatever was at that path (a value under it, or a value it is now under), as
/// Juju's nested results map does.
pub(crate) fn action_set(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("action-set", argv, &[])?;
    let mut pairs = Vec::new();
    for arg in &a.pos {
        let Some((key, value)) = arg.split_once('=') else {
            return Err(Fail::usage(format!(
                "argument {} must be of the form key...=value",
                q(arg)
            )));
        };
        for seg in key.split('.') {
            if !valid_key_segment(seg) {
                return Err(Fail::usage(format!(
                    "key {} must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods",
                    q(seg)
                )));
            }
            if RESERVED.contains(&seg) {
                return Err(Fail::usage(format!(
                    "cannot set reserved action key {}",
                    q(seg)
                )));
            }
        }
        pairs.push((key.to_string(), value.to_string()));
    }
    if !ctx.hook.info.is_action {
        return Err(not_action());
    }
    let results = &mut ctx.hook.action_results;
    for (key, value) in pairs {
        let under = format!("{key}.");
        results.retain(|k, _| !k.starts_with(&under) && !under.starts_with(&format!("{k}.")));
        results.insert(key, value);
    }
    Ok(Out::none())
}

/// `action-log <message...>`: a progress message (the arguments joined by spaces).
pub(crate) fn action_log(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("action-log", argv, &[])?;
    if a.pos.is_empty() {
        return Err(Fail::usage("no message specified"));
    }
    if !ctx.hook.info.is_action {
        return Err(not_action());
    }
    ctx.hook.action_logs.push(a.pos.join(" "));
    Ok(Out::none())
}

/// `action-fail [<message>]`: marks the action failed (the hook goes on running); without
/// a message Juju uses a default one.
pub(crate) fn action_fail(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("action-fail", argv, &[])?;
    let message = a.pos.first().cloned().unwrap_or_else(|| {
        "action failed without reason given, check action for errors".to_string()
    });
    a.no_more(1)?;
    if !ctx.hook.info.is_action {
        return Err(not_action());
    }
    ctx.hook.action_failed = Some(message);
    Ok(Out::none())
}
