//! `relation-ids`, `relation-list`, `relation-get`, `relation-set`, `relation-model-get`,
//! and the relation-data access rules of juju-protocol.md §3.

use super::args::{self, boolean, key_values, parse, value, FORMAT, RELATION};
use super::format::{parse_settings, q, render, Format};
use super::{app_of, valid_app, valid_unit, Ctx, Fail, Out, ToolResult};
use crate::world::{BagData, RelationWrite};
use serde_json::Value;

const ALL_FORMATS: &[Format] = &[Format::Smart, Format::Yaml, Format::Json];
const APP: args::Flag = boolean(&["app"]);

fn strings(items: impl IntoIterator<Item = String>) -> Value {
    Value::Array(items.into_iter().map(Value::String).collect())
}

fn bag_value(bag: &BagData) -> Value {
    Value::Object(
        bag.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// `relation-ids [<endpoint>]`: the live relations of the endpoint (default: the hook's),
/// as `endpoint:id` strings sorted as strings (Go `sort.Strings`).
pub(crate) fn relation_ids(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("relation-ids", argv, &[FORMAT])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    let name = match a.pos.first() {
        Some(n) => n.clone(),
        None => ctx
            .hook_relation()
            .map(|r| r.endpoint.clone())
            .ok_or_else(|| Fail::usage("no endpoint name specified"))?,
    };
    a.no_more(1)?;
    let ids = live_ids(ctx, &name)
        .into_iter()
        .map(|id| format!("{name}:{id}"));
    Ok(Out::print(render(format, &strings(ids))))
}

/// The ids of the endpoint's live relations, in `relation-ids`' order: their
/// `endpoint:id` strings sorted as strings (Go `sort.Strings`), so `:10` before `:9`.
pub(crate) fn live_ids(ctx: &Ctx<'_>, endpoint: &str) -> Vec<u64> {
    let mut ids: Vec<u64> = ctx
        .world
        .relations
        .iter()
        .filter(|r| r.endpoint == endpoint && r.alive)
        .map(|r| r.id)
        .collect();
    if ids.len() > 1 {
        let (mut a, mut b) = ([0u8; 20], [0u8; 20]);
        ids.sort_by(|x, y| decimal(*x, &mut a).cmp(decimal(*y, &mut b)));
    }
    ids
}

/// `n`'s decimal digits, written into `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// `relation-list [-r <id>] [--app]`: the remote units (never this unit; not the remote
/// unit that left, in `-relation-departed`; none in `-relation-broken`), or with `--app` the remote
/// application's name (this application for peers).
pub(crate) fn relation_list(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("relation-list", argv, &[FORMAT, RELATION, APP])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    let id = ctx.relation_id(&a)?;
    a.no_more(0)?;
    let rel = ctx.relation_or_fail(id)?;
    if a.on("app") {
        let app = if rel.peer {
            ctx.app().to_string()
        } else {
            rel.remote_app.clone()
        };
        return Ok(Out::print(render(format, &Value::String(app))));
    }
    members(ctx, id).map(|units| Out::print(render(format, &strings(units))))
}

/// `relation-list`'s units of relation `id` (see [`relation_list`]).
pub(crate) fn members(ctx: &Ctx<'_>, id: u64) -> Result<Vec<String>, Fail> {
    let rel = ctx.relation_or_fail(id)?;
    let info = &ctx.hook.info;
    let this_hook = info.relation_id == Some(id);
    let broken = this_hook && info.hook.ends_with("-relation-broken");
    // Juju's context factory removes JUJU_REMOTE_UNIT (the unit that left the relation)
    // from the member list, whichever unit is departing (`relation.cache.RemoveMember`).
    let departing = if this_hook && info.hook.ends_with("-relation-departed") {
        info.remote_unit.clone()
    } else {
        None
    };
    let units: Vec<String> = if broken {
        Vec::new()
    } else {
        rel.remote_units
            .keys()
            .filter(|u| **u != ctx.world.unit && Some(*u) != departing.as_ref())
            .cloned()
            .collect()
    };
    Ok(units)
}

/// This hook's staged writes to one of this unit's bags.
fn staged<'h>(ctx: &'h Ctx<'_>, id: u64, app: bool) -> Option<&'h BagData> {
    ctx.hook
        .relation_writes
        .iter()
        .find(|w| w.relation_id == id && w.app == app)
        .map(|w| &w.changes)
}

/// `relation-get [-r <id>] [--app] [<key>|-] [<unit-or-app>]`.
///
/// Which bag, as Juju's `RelationGetCommand.determineUnitOrAppName`: an explicit unit (or,
/// with `--app`, an application or a unit standing for its application), else
/// `JUJU_REMOTE_UNIT`, else `JUJU_REMOTE_APP` (which implies `--app`). The hook's own unit
/// bag and, on the leader, its own application bag are read from the hook context, so
/// they include this hook's `relation-set` writes; everything else is "read from the
/// controller" (the world), which refuses a non-leader's read of its own application bag
/// on a non-peer relation with `permission denied`.
pub(crate) fn relation_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("relation-get", argv, &[FORMAT, RELATION, APP])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    let id = ctx.relation_id(&a)?;
    let key = match a.pos.first().map(String::as_str) {
        None | Some("-") => String::new(),
        Some(k) => k.to_string(),
    };
    let mut app = a.on("app");
    let target = if let Some(user) = a.pos.get(1) {
        owner_of(user, app)?.to_string()
    } else {
        let info = &ctx.hook.info;
        let remote_unit = info.remote_unit.clone().filter(|u| !u.is_empty());
        let remote_app = info.remote_app.clone().filter(|u| !u.is_empty());
        if app {
            remote_app.ok_or_else(|| Fail::usage("no unit or application specified"))?
        } else if let Some(u) = remote_unit {
            u
        } else if let Some(ra) = remote_app {
            app = true;
            ra
        } else {
            return Err(Fail::usage("no unit or application specified"));
        }
    };
    a.no_more(2)?;
    let bag = read_bag(ctx, id, app, &target)?;
    let value = if key.is_empty() {
        bag_value(&bag)
    } else {
        bag.get(&key)
            .map_or(Value::Null, |v| Value::String(v.clone()))
    };
    Ok(Out::print(render(format, &value)))
}

/// Whose bag an explicit `relation-get` argument names: with `--app`, an application or a
/// unit standing for its application; without, a unit.
pub(crate) fn owner_of(user: &str, app: bool) -> Result<&str, Fail> {
    if app {
        if valid_app(user) {
            Ok(user)
        } else if valid_unit(user) {
            Ok(app_of(user))
        } else {
            Err(Fail::usage(format!("invalid application name {}", q(user))))
        }
    } else if valid_unit(user) {
        Ok(user)
    } else if valid_app(user) {
        Err(Fail::usage(format!(
            "expected unit name, got application name {}",
            q(user)
        )))
    } else {
        Err(Fail::usage(format!("invalid unit name {}", q(user))))
    }
}

/// The bag `relation-get` reads: `target`'s (an application's when `app`) in relation
/// `id`, under the access rules of [`relation_get`].
pub(crate) fn read_bag(ctx: &Ctx<'_>, id: u64, app: bool, target: &str) -> Result<BagData, Fail> {
    let rel = ctx.relation_or_fail(id)?;
    let own_app = ctx.app();
    let local = target == ctx.world.unit || (target == own_app && ctx.world.leader);
    Ok(if local {
        let mut bag = if app {
            rel.local_app_data.clone()
        } else {
            rel.local_unit_data.clone()
        };
        if let Some(changes) = staged(ctx, id, app) {
            super::apply_changes(&mut bag, changes);
        }
        bag
    } else if !app {
        if let Some(bag) = rel.remote_units.get(target) {
            bag.clone()
        } else {
            let unit_app = app_of(target);
            let in_relation = if rel.peer {
                unit_app == own_app
            } else {
                unit_app == rel.remote_app
            };
            if in_relation {
                // (unverified) the controller's wording for a unit it has no settings for.
                return Err(Fail::run(format!(
                    "cannot read settings for unit {} in relation {}: settings not found",
                    q(target),
                    q(&format!("{}:{}", rel.endpoint, rel.id))
                )));
            }
            return Err(Fail::run("permission denied"));
        }
    } else if target == own_app {
        // Not the leader: the controller allows peer application bags only.
        if rel.peer {
            rel.local_app_data.clone()
        } else {
            return Err(Fail::run("permission denied"));
        }
    } else if target == rel.remote_app {
        rel.remote_app_data.clone()
    } else {
        return Err(Fail::run("permission denied"));
    })
}

/// `relation-set [-r <id>] [--app] [--file <path>|-] [key=value ...]`: staged until the
/// hook commits. The file is a YAML (or JSON) map; `key=value` arguments override it; a
/// value of `""` deletes the key; keys not mentioned stay. `--app` needs the leader
/// (`cannot write relation settings`, exit 1).
pub(crate) fn relation_set(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse(
        "relation-set",
        argv,
        &[RELATION, APP, value(&["file"]), value(&["format"])],
    )?;
    let id = ctx.relation_id(&a)?;
    let overrides = key_values(&a.pos)?;
    let mut out = Out::none();
    if a.get("format").is_some() {
        out = out.warn("--format flag deprecated for command \"relation-set\"");
    }
    let mut settings = match a.get("file") {
        None => BagData::new(),
        Some(path) => parse_settings(&read_file_arg(ctx, path)?).map_err(Fail::run)?,
    };
    settings.extend(overrides);
    stage_relation_set(ctx, id, a.on("app"), settings)?;
    Ok(out)
}

/// Stages `relation-set`'s `settings` for relation `id` (the application bag when `app`):
/// the relation must exist, and the application bag needs the leader.
pub(crate) fn stage_relation_set(
    ctx: &mut Ctx<'_>,
    id: u64,
    app: bool,
    settings: BagData,
) -> Result<(), Fail> {
    ctx.relation_or_fail(id)?;
    if app && !ctx.world.leader {
        return Err(Fail::run("cannot write relation settings"));
    }
    if !settings.is_empty() {
        let writes = &mut ctx.hook.relation_writes;
        match writes
            .iter_mut()
            .find(|w| w.relation_id == id && w.app == app)
        {
            Some(w) => w.changes.extend(settings),
            None => writes.push(RelationWrite {
                relation_id: id,
                app,
                changes: settings,
            }),
        }
    }
    Ok(())
}

/// Reads a `--file` argument: `-` is stdin, anything else a path on this machine.
pub(crate) fn read_file_arg(ctx: &Ctx<'_>, path: &str) -> Result<String, Fail> {
    if path == "-" {
        return Ok(ctx.stdin.unwrap_or("").to_string());
    }
    std::fs::read_to_string(path).map_err(|e| Fail::run(go_io_error(path, &e)))
}

/// An I/O error worded as Go's `os.Open` words it.
pub(crate) fn go_io_error(path: &str, e: &std::io::Error) -> String {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    format!("open {path}: {why}")
}

/// `relation-model-get [-r <id>]`: `{"uuid": "<the remote application's model>"}`.
pub(crate) fn relation_model_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("relation-model-get", argv, &[FORMAT, RELATION])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    let id = ctx.relation_id(&a)?;
    a.no_more(0)?;
    let rel = ctx.relation_or_fail(id)?;
    let uuid = rel
        .remote_model_uuid
        .clone()
        .unwrap_or_else(|| ctx.world.model_uuid.clone());
    let mut m = serde_json::Map::new();
    m.insert("uuid".into(), Value::String(uuid));
    Ok(Out::print(render(format, &Value::Object(m))))
}
