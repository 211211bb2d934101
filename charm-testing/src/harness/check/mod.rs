//! The consistency checker: rejects, before the charm runs, inputs Juju could never
//! produce. Every problem is reported (not only the first), each naming the offending item.
//!
//! The rules, by area (see [`Inconsistency`] for the error):
//!
//! - **Context**: the application name and Juju version are well formed.
//! - **Config**: every key is a declared option; every value has the option's type
//!   (`int` an integer, `float` a number, `boolean` a bool, `string` a string, `secret` a
//!   `secret:` URI and Juju ≥ 3.4).
//! - **Relations**: the endpoint is declared; its kind matches the declaration (a peer
//!   endpoint as [`Relation::peer`], a `scope: container` endpoint as
//!   [`Relation::subordinate`], anything else as [`Relation::new`]); the interface, if
//!   given, matches; ids are unique; no more relations than the endpoint's `limit` and
//!   exactly one per peer endpoint; a regular relation's remote application is not this
//!   application; a subordinate relation has exactly one remote unit; a peer relation's
//!   other units do not include the unit under test; no bag has an empty key; every
//!   declared peer relation is present (Juju creates it when the application is deployed)
//!   except in `install`, `stop` and `remove`, unless
//!   [`Context::allow_missing_peer_relations`](super::Context::allow_missing_peer_relations).
//! - **Containers**: declared; layers are layers (a JSON object, valid YAML), one per
//!   label, and Pebble accepts them (its own validation, from `pebbled`); service statuses
//!   only for services in the plan, and statuses Pebble reports; check infos only for
//!   checks in the plan, one per check, with the plan's level and threshold, `up` below the
//!   threshold and `down` at it; notice ids unique, one notice per user, type and key in a
//!   container, Pebble's notice types, custom keys as Pebble accepts them, at least one
//!   occurrence; mount locations absolute, not overlapping, their host paths existing;
//!   file paths absolute, naming files, outside the mounts.
//! - **Secrets**: ids are `secret:` URIs and unique; labels unique; at least one revision;
//!   the tracked revision exists; grants name relations in the state; Juju ≥ 3.0.
//! - **Storage, resources, networks, ports**: storages and resources declared; one storage
//!   per (name, index); network bindings are declared non-subordinate endpoints or
//!   `juju-info`; no port 0.
//! - **The event**: a relation event's relation is in the state (same id and endpoint), and
//!   its remote unit is one of the relation's remote units (for peers: not this unit); a
//!   workload event's container is declared, in the state and can connect (Juju sends
//!   workload events when Pebble is up), its notice (a custom one) or check in that
//!   container; a storage event's storage declared and attached; a secret event's secret in
//!   the state, `secret-changed` only for an observer and `secret-rotate`, `-remove`,
//!   `-expired` only for the owner, with an existing revision; an action is declared, its
//!   parameters are known (unless the action allows additional properties), of the
//!   declared types, the required ones given, and the defaults are filled in, as Juju
//!   does; the event exists in the Juju version (custom notices from 3.4, check events
//!   from 3.6).

mod containers;
#[cfg(test)]
mod tests;
mod words;

use super::event::{EventKind, RelHook, SecretHook};
use super::state::{Relation, RelationKind, State};
use super::Event;
use charm_runtime::metadata::{CharmMetadata, OptionType, ParamType, Role, Scope};
use containers::{check_containers, check_workload_event};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use words::{at_least, list, parse_version, version_str, Version};

/// The test input is something Juju could never produce; nothing was run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistency {
    /// What was wrong, one sentence per problem, each naming the offending item.
    pub problems: Vec<String>,
}

impl fmt::Display for Inconsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "inconsistent test input (Juju could never produce this), {} problem{}:",
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Inconsistency {}

/// What the context tells the checker.
pub(crate) struct Who<'a> {
    pub app_name: &'a str,
    pub unit_id: u32,
    pub juju_version: &'a str,
    pub allow_missing_peers: bool,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a float",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A secret URI as Juju makes them: `secret:` and 20 characters of `[0-9a-v]`
/// (a model-qualified `secret://<model-uuid>/<id>` is accepted too).
pub(crate) fn is_secret_uri(s: &str) -> bool {
    let id = if let Some(rest) = s.strip_prefix("secret://") {
        match rest.rsplit_once('/') {
            Some((_, id)) => id,
            None => return false,
        }
    } else if let Some(id) = s.strip_prefix("secret:") {
        id
    } else {
        return false;
    };
    id.len() == 20
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'v').contains(&b))
}

fn is_valid_app_name(name: &str) -> bool {
    // Juju: lowercase letters, digits and dashes; starts with a letter; no segment of
    // only digits after a dash; not ending with a dash.
    // One pass over the bytes: each dash-separated segment is non-empty (no `--`, no
    // trailing dash), and after the first has a non-digit.
    let bytes = name.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_lowercase) {
        return false;
    }
    let mut first_segment = true;
    let mut segment_len = 0;
    let mut segment_has_letter = false;
    for &b in bytes {
        match b {
            b'-' => {
                if segment_len == 0 || (!first_segment && !segment_has_letter) {
                    return false;
                }
                first_segment = false;
                segment_len = 0;
                segment_has_letter = false;
            }
            b'a'..=b'z' => {
                segment_len += 1;
                segment_has_letter = true;
            }
            b'0'..=b'9' => segment_len += 1,
            _ => return false,
        }
    }
    segment_len > 0 && (first_segment || segment_has_letter)
}

/// Checks `event` against `state` and the metadata; on success returns the action
/// parameters with their defaults filled in (for actions).
pub(crate) fn check(
    meta: &CharmMetadata,
    who: &Who<'_>,
    event: &Event,
    state: &State,
) -> Result<Option<Map<String, Value>>, Inconsistency> {
    let mut p = Vec::new();
    let version = match parse_version(who.juju_version) {
        Some(v) => v,
        None => {
            p.push(format!(
                "Juju version `{}` is not `<major>.<minor>.<patch>`",
                who.juju_version
            ));
            Version::FALLBACK
        }
    };
    let version = version.as_slice();
    if !is_valid_app_name(who.app_name) {
        p.push(format!(
            "application name `{}` is not a valid Juju application name (lowercase letters, digits and dashes, starting with a letter)",
            who.app_name
        ));
    }
    check_config(meta, version, state, &mut p);
    check_relations(meta, who, event, state, &mut p);
    check_containers(meta, state, &mut p);
    check_secrets(version, state, &mut p);
    check_other(meta, state, &mut p);
    let params = check_event(meta, who, version, event, state, &mut p);
    if p.is_empty() {
        Ok(params)
    } else {
        Err(Inconsistency { problems: p })
    }
}

fn check_config(meta: &CharmMetadata, version: &[u64], state: &State, p: &mut Vec<String>) {
    for (key, value) in state.config() {
        let Some(opt) = meta.config_option(key) else {
            p.push(format!(
                "config option `{key}` is not declared by the charm (declared: {})",
                list(meta.config.iter().map(|o| &o.name))
            ));
            continue;
        };
        let ok = match opt.kind {
            OptionType::String => value.is_string(),
            OptionType::Int => value.is_i64() || value.is_u64(),
            OptionType::Float => value.is_number(),
            OptionType::Boolean => value.is_boolean(),
            OptionType::Secret => value.as_str().is_some_and(is_secret_uri),
        };
        let kind = match opt.kind {
            OptionType::String => "string",
            OptionType::Int => "int",
            OptionType::Float => "float",
            OptionType::Boolean => "boolean",
            OptionType::Secret => "secret",
        };
        if !ok {
            let expected = if opt.kind == OptionType::Secret {
                "a secret URI (`secret:<20 characters>`)".to_string()
            } else {
                format!("of type {kind}")
            };
            p.push(format!(
                "config option `{key}` is declared as {kind}, but the state gives {} {value}; Juju only accepts values {expected}",
                type_name(value)
            ));
        }
        if opt.kind == OptionType::Secret && !at_least(version, &[3, 4]) {
            p.push(format!(
                "config option `{key}` has type secret, which Juju supports from 3.4 (the context says {})",
                version_str(version)
            ));
        }
    }
}

fn bag_keys(rel: &Relation, p: &mut Vec<String>) {
    let empty_key = |bag: &str, p: &mut Vec<String>| {
        p.push(format!(
            "relation {}:{} has an empty key in its {bag}; Juju never stores one",
            rel.endpoint, rel.id
        ));
    };
    if rel.local_app_data.contains_key("") {
        empty_key("local application bag", p);
    }
    if rel.local_unit_data.contains_key("") {
        empty_key("local unit bag", p);
    }
    if rel.kind != RelationKind::Peer && rel.remote_app_data.contains_key("") {
        empty_key("remote application bag", p);
    }
    for (n, b) in &rel.remote_units_data {
        if b.contains_key("") {
            empty_key(&format!("bag of remote unit {n}"), p);
        }
    }
}

/// A relation as messages name it, `<endpoint>:<id>` (formatted only when a message is).
struct RelName<'a>(&'a Relation);

impl std::fmt::Display for RelName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.0.endpoint, self.0.id)
    }
}

fn check_relations(
    meta: &CharmMetadata,
    who: &Who<'_>,
    event: &Event,
    state: &State,
    p: &mut Vec<String>,
) {
    let mut seen_ids = BTreeSet::new();
    let mut per_endpoint: BTreeMap<&str, usize> = BTreeMap::new();
    for rel in state.relations() {
        let name = RelName(rel);
        if !seen_ids.insert(rel.id) {
            p.push(format!(
                "duplicate relation id {}: more than one relation in the state has it (set distinct ids with `Relation::id`)",
                rel.id
            ));
        }
        bag_keys(rel, p);
        let Some((role, ep)) = meta.endpoint(&rel.endpoint) else {
            let declared: Vec<&str> = meta
                .peers
                .iter()
                .chain(&meta.provides)
                .chain(&meta.requires)
                .map(|e| e.name.as_str())
                .collect();
            p.push(format!(
                "relation {name}: endpoint `{}` is not declared by the charm (declared: {})",
                rel.endpoint,
                list(declared)
            ));
            continue;
        };
        *per_endpoint.entry(ep.name.as_str()).or_default() += 1;
        let expected = match (role, ep.scope) {
            (Role::Peer, _) => RelationKind::Peer,
            (_, Some(Scope::Container)) => RelationKind::Subordinate,
            _ => RelationKind::Regular,
        };
        if rel.kind != expected {
            let ctor = match expected {
                RelationKind::Peer => "Relation::peer",
                RelationKind::Subordinate => "Relation::subordinate",
                RelationKind::Regular => "Relation::new",
            };
            let decl = match (role, ep.scope) {
                (Role::Peer, _) => "a peer endpoint".to_string(),
                (r, Some(Scope::Container)) => format!(
                    "a {} endpoint with `scope: container`",
                    if r == Role::Provides {
                        "provides"
                    } else {
                        "requires"
                    }
                ),
                (r, _) => format!(
                    "a {} endpoint",
                    if r == Role::Provides {
                        "provides"
                    } else {
                        "requires"
                    }
                ),
            };
            p.push(format!(
                "relation {name} is given as a {}, but `{}` is {decl}: build it with `{ctor}(\"{}\")`",
                rel.kind, rel.endpoint, rel.endpoint
            ));
        }
        if let Some(iface) = &rel.interface {
            if *iface != ep.interface {
                p.push(format!(
                    "relation {name} has interface `{iface}`, but endpoint `{}` is declared with interface `{}`",
                    rel.endpoint, ep.interface
                ));
            }
        }
        match rel.kind {
            RelationKind::Peer => {
                if rel.remote_units_data.contains_key(&who.unit_id) {
                    p.push(format!(
                        "peer relation {name} has a bag for unit {}/{} among the other units, but that is the unit under test: put its data in `local_unit_data`",
                        who.app_name, who.unit_id
                    ));
                }
            }
            RelationKind::Regular => {
                if rel.remote_app_name == who.app_name {
                    p.push(format!(
                        "relation {name} has remote application `{}`, the application under test; Juju relates an application to itself only through peer endpoints",
                        rel.remote_app_name
                    ));
                }
            }
            RelationKind::Subordinate => {
                if rel.remote_units_data.len() != 1 {
                    p.push(format!(
                        "subordinate relation {name} has {} remote units; a subordinate unit is attached to exactly one",
                        rel.remote_units_data.len()
                    ));
                }
            }
        }
        if rel.kind != RelationKind::Peer && !is_valid_app_name(&rel.remote_app_name) {
            p.push(format!(
                "relation {name}: remote application name `{}` is not a valid Juju application name",
                rel.remote_app_name
            ));
        }
    }
    for (endpoint, count) in &per_endpoint {
        let Some((role, ep)) = meta.endpoint(endpoint) else {
            continue;
        };
        if role == Role::Peer && *count > 1 {
            p.push(format!(
                "peer endpoint `{endpoint}` has {count} relations in the state; Juju creates exactly one"
            ));
        } else if let Some(limit) = ep.limit {
            if *count as u64 > u64::from(limit) {
                p.push(format!(
                    "endpoint `{endpoint}` has {count} relations in the state, more than its `limit: {limit}`; Juju refuses to create them"
                ));
            }
        }
    }
    let peers_may_be_missing = who.allow_missing_peers
        || matches!(
            event.kind,
            EventKind::Unit("install") | EventKind::Unit("stop") | EventKind::Unit("remove")
        );
    if !peers_may_be_missing {
        for ep in &meta.peers {
            if !per_endpoint.contains_key(ep.name.as_str()) {
                p.push(format!(
                    "peer relation `{}` is missing from the state: Juju creates it when the application is deployed, so every hook after `install` sees it (add `Relation::peer(\"{}\")`, or call `Context::allow_missing_peer_relations()` to test code for the impossible case)",
                    ep.name, ep.name
                ));
            }
        }
    }
}

fn check_secrets(version: &[u64], state: &State, p: &mut Vec<String>) {
    if !state.secrets().is_empty() && !at_least(version, &[3, 0]) {
        p.push(format!(
            "the state has secrets, which Juju supports from 3.0 (the context says {})",
            version_str(version)
        ));
    }
    let mut ids = BTreeSet::new();
    let mut labels = BTreeSet::new();
    for s in state.secrets() {
        if !is_secret_uri(&s.id) {
            p.push(format!(
                "secret id `{}` is not a Juju secret URI (`secret:` and 20 characters of 0-9 and a-v)",
                s.id
            ));
        }
        if !ids.insert(s.id.as_str()) {
            p.push(format!("secret `{}` is in the state twice", s.id));
        }
        if let Some(l) = &s.label {
            if !labels.insert(l.as_str()) {
                p.push(format!(
                    "secret label `{l}` is used by two secrets; Juju labels are unique per unit"
                ));
            }
        }
        if s.revisions.is_empty() {
            p.push(format!("secret `{}` has no revision", s.id));
        } else if !s.revisions.contains_key(&s.tracked) {
            p.push(format!(
                "secret `{}` tracks revision {}, which it does not have (revisions: {})",
                s.id,
                s.tracked,
                s.revisions
                    .keys()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if s.revisions.contains_key(&0) {
            p.push(format!(
                "secret `{}` has a revision 0; Juju numbers revisions from 1",
                s.id
            ));
        }
        for rel_id in s.grants.keys() {
            if state.relation(*rel_id).is_none() {
                p.push(format!(
                    "secret `{}` is granted on relation id {rel_id}, which is not in the state",
                    s.id
                ));
            }
        }
        if s.owner.is_none() && !s.grants.is_empty() {
            p.push(format!(
                "secret `{}` has grants but no owner; only the owner sees a secret's grants",
                s.id
            ));
        }
    }
}

fn check_other(meta: &CharmMetadata, state: &State, p: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    for s in state.storages() {
        if !meta.storage.iter().any(|d| d.name == s.name) {
            p.push(format!(
                "storage `{}` is not declared by the charm (declared: {})",
                s.name,
                list(meta.storage.iter().map(|s| &s.name))
            ));
        }
        if !seen.insert((s.name.as_str(), s.index)) {
            p.push(format!(
                "storage `{}` is attached twice; each (name, index) is one instance",
                s.storage_id()
            ));
        }
    }
    for name in state.resources().keys() {
        if !meta.resources.iter().any(|r| r.name == *name) {
            p.push(format!(
                "resource `{name}` is not declared by the charm (declared: {})",
                list(meta.resources.iter().map(|r| &r.name))
            ));
        }
    }
    for n in state.networks() {
        let ok = n.binding == "juju-info"
            || meta
                .endpoint(&n.binding)
                .is_some_and(|(_, ep)| ep.scope != Some(Scope::Container));
        if !ok {
            p.push(format!(
                "network binding `{}` is neither a declared (non-subordinate) endpoint nor `juju-info`",
                n.binding
            ));
        }
    }
    for port in state.opened_ports() {
        if matches!(
            port,
            charm_runtime::Port::Tcp(0) | charm_runtime::Port::Udp(0)
        ) {
            p.push(format!("opened port `{port}`: Juju never opens port 0"));
        }
    }
}

fn check_event(
    meta: &CharmMetadata,
    who: &Who<'_>,
    version: &[u64],
    event: &Event,
    state: &State,
    p: &mut Vec<String>,
) -> Option<Map<String, Value>> {
    // A unit event has nothing more to check (and no message to name it in).
    if matches!(event.kind, EventKind::Unit(_) | EventKind::CollectStatus) {
        return None;
    }
    let hook = event.hook_name();
    match &event.kind {
        EventKind::Unit(_) | EventKind::CollectStatus => {}
        EventKind::Relation {
            hook: kind,
            relation,
            remote_unit,
            departing_self,
        } => {
            let Some(rel) = state.relation(relation.id) else {
                p.push(format!(
                    "event `{hook}` is about relation {}:{}, which is not in the state (add the relation to the state and build the event from it)",
                    relation.endpoint, relation.id
                ));
                return None;
            };
            if rel.endpoint != relation.endpoint {
                p.push(format!(
                    "event `{hook}` is about relation {}:{}, but relation {} in the state is on endpoint `{}`",
                    relation.endpoint, relation.id, relation.id, rel.endpoint
                ));
                return None;
            }
            if let Some(u) = remote_unit {
                let app = rel.remote_app(who.app_name);
                if rel.kind == RelationKind::Peer && *u == who.unit_id {
                    p.push(format!(
                        "event `{hook}` names {app}/{u} as the remote unit, but that is the unit under test"
                    ));
                } else if *kind != RelHook::Departed && !rel.remote_units_data.contains_key(u) {
                    p.push(format!(
                        "event `{hook}` names remote unit {app}/{u}, which is not among the remote units of relation {}:{} ({})",
                        rel.endpoint,
                        rel.id,
                        list(rel.remote_unit_names(who.app_name))
                    ));
                }
            }
            if *departing_self && *kind != RelHook::Departed {
                p.push(format!(
                    "event `{hook}`: only relation-departed has a departing unit"
                ));
            }
        }
        EventKind::Workload {
            hook: kind,
            container,
        } => check_workload_event(meta, version, &hook, kind, container, state, p),
        EventKind::Storage { storage, .. } => {
            if !meta.storage.iter().any(|d| d.name == storage.name) {
                p.push(format!(
                    "event `{hook}` is about storage `{}`, which is not declared by the charm (declared: {})",
                    storage.name,
                    list(meta.storage.iter().map(|s| &s.name))
                ));
            } else if state.storage(&storage.name, storage.index).is_none() {
                p.push(format!(
                    "event `{hook}` is about storage `{}`, which is not attached in the state",
                    storage.storage_id()
                ));
            }
        }
        EventKind::Secret {
            hook: kind,
            id,
            revision,
            ..
        } => {
            let Some(s) = state.secret(id) else {
                p.push(format!(
                    "event `{hook}` is about secret `{id}`, which is not in the state"
                ));
                return None;
            };
            match (kind, s.owner) {
                (SecretHook::Changed, Some(o)) => p.push(format!(
                    "event `{hook}` is about secret `{id}`, which this {} owns; Juju sends secret-changed only to observers",
                    if o == super::state::SecretOwner::App { "application" } else { "unit" }
                )),
                (SecretHook::Rotate | SecretHook::Remove | SecretHook::Expired, None) => {
                    p.push(format!(
                        "event `{hook}` is about secret `{id}`, which this unit only observes; Juju sends {hook} only to the owner"
                    ))
                }
                _ => {}
            }
            if let Some(r) = revision {
                if !s.revisions.contains_key(r) {
                    p.push(format!(
                        "event `{hook}` is about revision {r} of secret `{id}`, which it does not have"
                    ));
                }
            }
        }
        EventKind::Action { name, params, .. } => return check_action(meta, name, params, p),
    }
    None
}

fn check_action(
    meta: &CharmMetadata,
    name: &str,
    params: &Result<Map<String, Value>, String>,
    p: &mut Vec<String>,
) -> Option<Map<String, Value>> {
    let Some(action) = meta.action(name) else {
        p.push(format!(
            "action `{name}` is not declared by the charm (declared: {})",
            list(meta.actions.iter().map(|a| &a.name))
        ));
        return None;
    };
    let given = match params {
        Ok(m) => m,
        Err(e) => {
            p.push(format!("action `{name}`: {e}"));
            return None;
        }
    };
    let mut out = given.clone();
    for (k, v) in given {
        match action.params.iter().find(|d| d.name == *k) {
            None if !action.additional_properties => p.push(format!(
                "action `{name}` has no parameter `{k}` (declared: {})",
                list(action.params.iter().map(|d| &d.name))
            )),
            None => {}
            Some(decl) => {
                let ok = match decl.kind {
                    ParamType::String => v.is_string(),
                    ParamType::Integer => v.is_i64() || v.is_u64(),
                    ParamType::Number => v.is_number(),
                    ParamType::Boolean => v.is_boolean(),
                };
                if !ok {
                    let want = match decl.kind {
                        ParamType::String => "a string",
                        ParamType::Integer => "an integer",
                        ParamType::Number => "a number",
                        ParamType::Boolean => "a boolean",
                    };
                    p.push(format!(
                        "action `{name}`: parameter `{k}` must be {want}, but the event gives {} {v}",
                        type_name(v)
                    ));
                }
            }
        }
    }
    for decl in &action.params {
        if out.contains_key(&decl.name) {
            continue;
        }
        if let Some(d) = &decl.default {
            out.insert(decl.name.clone(), d.clone());
        } else if decl.required {
            p.push(format!(
                "action `{name}`: required parameter `{}` is not given; Juju refuses to run the action",
                decl.name
            ));
        }
    }
    Some(out)
}
