//! `state-get`, `state-set`, `state-delete`: server-side unit state. Writes are staged in
//! the hook context and committed with the hook; reads see them (Juju's context caches
//! the state and applies writes to the cache).

use super::args::{boolean, key_values, parse, value, FORMAT};
use super::format::{parse_settings, q, render, Format};
use super::relation::read_file_arg;
use super::{Ctx, Fail, Out, ToolResult};
use crate::world::BagData;
use serde_json::Value;

const ALL_FORMATS: &[Format] = &[Format::Smart, Format::Yaml, Format::Json];

/// `core/quota`: the longest key Juju stores.
pub(crate) const MAX_KEY: usize = 256;
/// `core/quota`: the longest value Juju stores (64 KiB).
pub(crate) const MAX_VALUE: usize = 64 * 1024;

/// The unit state as this hook sees it: the world's with the staged writes applied.
pub(crate) fn current(ctx: &Ctx<'_>) -> BagData {
    let mut state = ctx.world.state.clone();
    for (k, v) in &ctx.hook.state_writes {
        match v {
            Some(v) => {
                state.insert(k.clone(), v.clone());
            }
            None => {
                state.remove(k);
            }
        }
    }
    state
}

/// `state-get [<key>|-] [--strict]`: all of the state, or one value. A missing key prints
/// an empty value, unless `--strict` (then `"<key>" not found`, exit 1).
///
/// An empty state prints `{}` (juju-protocol.md §2.4: Juju 4 may print `null`, which
/// readers must accept; this model prints what Juju 3.6 documents).
pub(crate) fn state_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("state-get", argv, &[FORMAT, boolean(&["strict"])])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    let key = match a.pos.first().map(String::as_str) {
        None | Some("-") => String::new(),
        Some(k) => k.to_string(),
    };
    a.no_more(1)?;
    let state = current(ctx);
    if key.is_empty() {
        let m = state
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        return Ok(Out::print(render(format, &Value::Object(m))));
    }
    match state.get(&key) {
        Some(v) => Ok(Out::print(render(format, &Value::String(v.clone())))),
        None if a.on("strict") => Err(Fail::run(format!("{} not found", q(&key)))),
        None => Ok(Out::print(render(format, &Value::String(String::new())))),
    }
}

/// `state-set [--file <path>|-] [key=value ...]`: staged. Arguments override the file.
/// Keys over 256 bytes and values over 64 KiB fail (exit 1), as `core/quota` does.
pub(crate) fn state_set(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("state-set", argv, &[value(&["file"])])?;
    let overrides = key_values(&a.pos)?;
    let mut values = match a.get("file") {
        None => BagData::new(),
        Some(path) => parse_settings(&read_file_arg(ctx, path)?).map_err(Fail::run)?,
    };
    values.extend(overrides);
    stage_state(ctx, values)?;
    Ok(Out::none())
}

/// Stages `state-set`'s values, refusing keys and values over `core/quota`'s limits.
pub(crate) fn stage_state(ctx: &mut Ctx<'_>, values: BagData) -> Result<(), Fail> {
    for (k, v) in &values {
        if k.len() > MAX_KEY {
            return Err(Fail::run(format!(
                "max allowed key length ({MAX_KEY}) exceeded"
            )));
        }
        if v.len() > MAX_VALUE {
            return Err(Fail::run(format!(
                "max allowed value length ({MAX_VALUE}) exceeded"
            )));
        }
    }
    for (k, v) in values {
        ctx.hook.state_writes.insert(k, Some(v));
    }
    Ok(())
}

/// `state-delete <key>`: staged; deleting a missing key is a no-op.
pub(crate) fn state_delete(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("state-delete", argv, &[])?;
    let Some(key) = a.pos.first().cloned() else {
        return Err(Fail::usage("no key specified"));
    };
    a.no_more(1)?;
    stage_delete(ctx, key);
    Ok(Out::none())
}

/// Stages the deletion of `key` (a missing key is a no-op at commit).
pub(crate) fn stage_delete(ctx: &mut Ctx<'_>, key: String) {
    ctx.hook.state_writes.insert(key, None);
}
