//! Ports (`open-port`, `close-port`, `opened-ports`), `network-get`, storage
//! (`storage-list`, `storage-get`, `storage-add`), `resource-get`, `goal-state`,
//! `credential-get`, `juju-reboot`.

use super::args::{self, boolean, parse, value, FORMAT, RELATION};
use super::format::{ordered, q, render, render_node, Format};
use super::{parse_go_int, Ctx, Fail, Out, ToolResult};
use serde_json::{Map, Value};
use std::cmp::Ordering;

const ALL_FORMATS: &[Format] = &[Format::Smart, Format::Yaml, Format::Json];

// ----- ports -----

/// A port range as Juju's `network.PortRange` holds it (ICMP has no ports).
#[derive(Debug, Clone, PartialEq, Eq)]
struct PortRange {
    from: i64,
    to: i64,
    protocol: String,
}

impl PortRange {
    fn parse(s: &str) -> Result<PortRange, String> {
        let s = s.to_ascii_lowercase();
        if s == "icmp" {
            return Ok(PortRange {
                from: -1,
                to: -1,
                protocol: "icmp".into(),
            });
        }
        let (ports, proto) = s.split_once('/').unwrap_or((&s, "tcp"));
        if !matches!(proto, "tcp" | "udp") {
            // (unverified wording; ops's tests fake it as `ERROR bad protocol`)
            return Err(format!(
                "invalid protocol {}, expected \"tcp\", \"udp\", or \"icmp\"",
                q(proto)
            ));
        }
        let (from, to) = match ports.split_once('-') {
            Some((a, b)) => (parse_go_int(a), parse_go_int(b)),
            None => (parse_go_int(ports), parse_go_int(ports)),
        };
        let (Some(from), Some(to)) = (from, to) else {
            return Err(format!("invalid port range {}", q(&s)));
        };
        if from < 1 || to > 65535 || from > to {
            return Err(format!(
                "port range bounds must be between 1 and 65535, and the first bound must not exceed the last: {}",
                q(&s)
            ));
        }
        Ok(PortRange {
            from,
            to,
            protocol: proto.into(),
        })
    }

    /// Juju's `PortRange.String`: `icmp`, `80/tcp`, `8000-8999/udp`.
    fn render(&self) -> String {
        if self.protocol == "icmp" {
            "icmp".into()
        } else if self.from == self.to {
            format!("{}/{}", self.from, self.protocol)
        } else {
            format!("{}-{}/{}", self.from, self.to, self.protocol)
        }
    }

    /// Juju's `SortPortRanges` order: from, then to, then protocol.
    fn cmp(&self, other: &PortRange) -> Ordering {
        (self.from, self.to, &self.protocol).cmp(&(other.from, other.to, &other.protocol))
    }
}

/// `open-port` / `close-port [--endpoints a,b] <port>[/<proto>] | <from>-<to>[/<proto>] |
/// icmp`: staged until the hook commits. The world does not model per-endpoint ports, so
/// `--endpoints` is accepted and the change applies to the port as a whole.
pub(crate) fn open_close_port(ctx: &mut Ctx<'_>, argv: &[String], open: bool) -> ToolResult {
    let name = if open { "open-port" } else { "close-port" };
    let a = parse(name, argv, &[value(&["format"]), value(&["endpoints"])])?;
    let Some(spec) = a.pos.first() else {
        return Err(Fail::usage("no port or range specified"));
    };
    let port = PortRange::parse(spec).map_err(Fail::usage)?;
    a.no_more(1)?;
    let mut out = Out::none();
    if a.get("format").is_some() {
        out = out.warn(format!("--format flag deprecated for command {}", q(name)));
    }
    ctx.hook.port_changes.push((port.render(), open));
    Ok(out)
}

/// `opened-ports [--endpoints]`: the ports open before this hook (pending changes are
/// not listed, as in Juju), sorted as Juju sorts them; with `--endpoints` each item ends
/// with ` (*)` (all endpoints).
pub(crate) fn opened_ports(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("opened-ports", argv, &[FORMAT, boolean(&["endpoints"])])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    a.no_more(0)?;
    // A restricted context has no port ranges at all.
    let mut ports: Vec<PortRange> = if ctx.hook.info.restricted {
        Vec::new()
    } else {
        ctx.world
            .opened_ports
            .iter()
            .filter_map(|p| PortRange::parse(p).ok())
            .collect()
    };
    ports.sort_by(PortRange::cmp);
    let items: Vec<Value> = ports
        .iter()
        .map(|p| {
            let s = p.render();
            Value::String(if a.on("endpoints") {
                format!("{s} (*)")
            } else {
                s
            })
        })
        .collect();
    Ok(Out::print(render(format, &Value::Array(items))))
}

// ----- network -----

fn first_bind_address(v: &Value) -> Option<Value> {
    let addr = v.get("bind-addresses")?.get(0)?.get("addresses")?.get(0)?;
    addr.get("value").or_else(|| addr.get("address")).cloned()
}

/// `network-get [-r <id>] <binding> [--bind-address] [--ingress-address]
/// [--egress-subnets] [--primary-address]`: the binding's network config from the world
/// (or the selected parts of it).
pub(crate) fn network_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse(
        "network-get",
        argv,
        &[
            FORMAT,
            RELATION,
            boolean(&["primary-address"]),
            boolean(&["bind-address"]),
            boolean(&["ingress-address"]),
            boolean(&["egress-subnets"]),
        ],
    )?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    ctx.relation_flag(&a)?;
    let Some(binding) = a.pos.first() else {
        return Err(Fail::usage("no arguments specified"));
    };
    if binding.is_empty() {
        return Err(Fail::usage("no binding name specified"));
    }
    a.no_more(1)?;
    let Some(info) = ctx.world.networks.get(binding) else {
        return Err(Fail::run(format!(
            "no network config found for binding {}",
            q(binding)
        )));
    };
    let keys: Vec<&str> = ["bind-address", "ingress-address", "egress-subnets"]
        .into_iter()
        .filter(|k| a.on(k))
        .collect();
    let no_address = || {
        Fail::run(format!(
            "no addresses attached to space for binding {}",
            q(binding)
        ))
    };
    if a.on("primary-address") {
        if !keys.is_empty() {
            return Err(Fail::run(
                "--primary-address must be the only flag specified",
            ));
        }
        let addr = first_bind_address(info).ok_or_else(no_address)?;
        return Ok(Out::print(render(format, &addr)));
    }
    if keys.is_empty() {
        // Juju's display structs, fields in declaration order.
        let doc = ordered(
            info,
            &[
                "bind-addresses",
                "egress-subnets",
                "ingress-addresses",
                "mac-address",
                "interface-name",
                "addresses",
                "hostname",
                "value",
                "cidr",
            ],
        );
        return Ok(Out::print(render_node(format, &doc)));
    }
    let mut m = Map::new();
    for k in &keys {
        let v = match *k {
            "egress-subnets" => info
                .get("egress-subnets")
                .cloned()
                .unwrap_or(Value::Array(vec![])),
            "ingress-address" => match info.get("ingress-addresses").and_then(|v| v.get(0)) {
                Some(v) => v.clone(),
                None => first_bind_address(info).ok_or_else(no_address)?,
            },
            _ => first_bind_address(info).ok_or_else(no_address)?,
        };
        m.insert(k.to_string(), v);
    }
    let value = if keys.len() == 1 {
        m.remove(keys[0]).unwrap_or(Value::Null)
    } else {
        Value::Object(m)
    };
    Ok(Out::print(render(format, &value)))
}

// ----- storage -----

/// `storage-list [<name>]`: attached storage ids (`data/0`).
pub(crate) fn storage_list(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("storage-list", argv, &[FORMAT])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    let name = a.pos.first().cloned();
    a.no_more(1)?;
    let ids: Vec<Value> = ctx
        .world
        .storages
        .iter()
        .filter(|s| name.as_ref().is_none_or(|n| *n == s.name))
        .map(|s| Value::String(format!("{}/{}", s.name, s.index)))
        .collect();
    Ok(Out::print(render(format, &Value::Array(ids))))
}

fn valid_storage_id(id: &str) -> bool {
    match id.split_once('/') {
        Some((name, n)) => {
            name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// `storage-get [-s <name>/<index>] [kind|location]`: `{"kind": …, "location": …}` or one
/// attribute. Without `-s`, the hook's storage (`JUJU_STORAGE_ID`).
pub(crate) fn storage_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("storage-get", argv, &[FORMAT, value(&["s"])])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    let find = |id: &str| {
        ctx.world
            .storages
            .iter()
            .find(|s| format!("{}/{}", s.name, s.index) == id)
    };
    let storage = match a.get("s") {
        Some(id) => {
            if !valid_storage_id(id) {
                return Err(args::invalid_value(
                    "-s",
                    id,
                    &format!("invalid storage ID {}", q(id)),
                ));
            }
            find(id).ok_or_else(|| args::invalid_value("-s", id, "storage not found"))?
        }
        None => match &ctx.hook.info.storage_id {
            None => return Err(Fail::usage("no storage instance specified")),
            Some(id) => find(id).ok_or_else(|| Fail::run("storage not found"))?,
        },
    };
    a.no_more(1)?;
    let mut m = Map::new();
    m.insert("kind".into(), Value::String(storage.kind.clone()));
    m.insert("location".into(), Value::String(storage.location.clone()));
    let value = match a.pos.first() {
        None => Value::Object(m),
        Some(k) => m
            .remove(k)
            .ok_or_else(|| Fail::run(format!("invalid storage attribute {}", q(k))))?,
    };
    Ok(Out::print(render(format, &value)))
}

/// `storage-add <name>[=<count>] ...`: recorded in `hook.storage_adds` (Juju queues the
/// request until the hook ends; the storage arrives later with `-storage-attached`).
pub(crate) fn storage_add(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("storage-add", argv, &[])?;
    if a.pos.is_empty() {
        return Err(Fail::usage("storage add requires a storage directive"));
    }
    let mut requests: Vec<(String, u64)> = Vec::new();
    for d in &a.pos {
        let (name, count) = match d.split_once('=') {
            Some((n, c)) => {
                let count = c.parse::<u64>().ok().filter(|c| *c > 0).ok_or_else(|| {
                    Fail::usage(format!("only count can be specified for {}", q(n)))
                })?;
                (n.to_string(), count)
            }
            None => (d.clone(), 1),
        };
        if requests.iter().any(|(n, _)| *n == name) {
            return Err(Fail::usage(format!(
                "storage {} specified more than once",
                q(&name)
            )));
        }
        requests.push((name, count));
    }
    ctx.hook.storage_adds.extend(requests);
    Ok(Out::none())
}

// ----- resources, goal state, credentials, reboot -----

/// `resource-get <name>`: the resource's local path (printed without a newline, as Juju
/// does); a resource the world does not have fails.
pub(crate) fn resource_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("resource-get", argv, &[])?;
    let Some(name) = a.pos.first() else {
        return Err(Fail::usage("missing required resource name"));
    };
    a.no_more(1)?;
    match ctx.world.resources.get(name) {
        Some(path) => Ok(Out::print(path.clone())),
        // (unverified) the wording of the controller's not-found error.
        None => Err(Fail::run(format!(
            "could not download resource: resource {} not found",
            q(name)
        ))),
    }
}

/// The `since` this model gives every goal (the world has no clock).
const GOAL_SINCE: &str = "2025-01-01 00:00:00Z";

fn goal(status: &str) -> Value {
    let mut m = Map::new();
    m.insert("status".into(), Value::String(status.into()));
    m.insert("since".into(), Value::String(GOAL_SINCE.into()));
    Value::Object(m)
}

/// `goal-state`: `{"units": {<unit>: goal}, "relations": {<endpoint>: {<app-or-unit>:
/// goal}}}`. Units are the world's planned units (`active`); each live relation lists the
/// remote application (`joined`) and its units (`active`). An approximation of Juju's goal
/// state, which the world does not model in full.
pub(crate) fn goal_state(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("goal-state", argv, &[FORMAT])?;
    let format = a.format(&[Format::Yaml, Format::Json], Format::Yaml)?;
    a.no_more(0)?;
    let w = &ctx.world;
    let mut units = Map::new();
    let planned = if w.planned_units.is_empty() {
        vec![w.unit.clone()]
    } else {
        w.planned_units.clone()
    };
    for u in planned {
        units.insert(u, goal("active"));
    }
    let mut relations = Map::new();
    for r in w.relations.iter().filter(|r| r.alive) {
        let entry = relations
            .entry(r.endpoint.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = entry {
            if !r.peer {
                m.insert(r.remote_app.clone(), goal("joined"));
            }
            for u in r.remote_units.keys() {
                m.insert(u.clone(), goal("active"));
            }
        }
    }
    let mut top = Map::new();
    top.insert("units".into(), Value::Object(units));
    top.insert("relations".into(), Value::Object(relations));
    // A Go struct: units, then relations; each goal is status, then since.
    let doc = ordered(
        &Value::Object(top),
        &["units", "relations", "status", "since"],
    );
    Ok(Out::print(render_node(format, &doc)))
}

/// `credential-get`: the world's cloud spec; an untrusted application is refused.
pub(crate) fn credential_get(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("credential-get", argv, &[FORMAT])?;
    let format = a.format(ALL_FORMATS, Format::Smart)?;
    a.no_more(0)?;
    match &ctx.world.cloud_spec {
        // Juju's `params.CloudSpec`, fields in declaration order.
        Some(spec) => Ok(Out::print(render_node(
            format,
            &ordered(
                spec,
                &[
                    "type",
                    "name",
                    "region",
                    "endpoint",
                    "identity-endpoint",
                    "storage-endpoint",
                    "credential",
                    "cacertificates",
                    "skip-tls-verify",
                    "is-controller-cloud",
                    "auth-type",
                    "attrs",
                    "redacted",
                ],
            ),
        ))),
        // The controller answers ErrPerm for an application without `juju trust`.
        None => Err(Fail::run(
            "cannot access cloud credentials: permission denied",
        )),
    }
}

/// `juju-reboot [--now]`: not allowed in actions; on Kubernetes (what this world models)
/// Juju logs an error and the call succeeds, so the hook goes on.
pub(crate) fn juju_reboot(ctx: &mut Ctx<'_>, argv: &[String]) -> ToolResult {
    let a = parse("juju-reboot", argv, &[boolean(&["now"])])?;
    a.no_more(0)?;
    if ctx.hook.info.is_action {
        return Err(Fail::run(
            "juju-reboot is not supported when running an action.",
        ));
    }
    ctx.hook.logs.push((
        "ERROR".into(),
        "juju-reboot: rebooting is not supported on Kubernetes; the request is ignored".into(),
    ));
    Ok(Out::none())
}
