//! Relations between two deployed applications: `integrate` and `remove-relation`, both
//! sides' charms running their hooks in Juju's order.

use super::super::charm;
use super::super::model::{Effect, Model, Relation, RelationUnit, Step};
use super::super::sequence::first_sight;
use super::super::{Sim, Summary};
use super::lookup::{check_endpoint, list, no_app};
use super::relation::{check_limit, teardown};
use crate::error::{Error, Result};
use jujuc::BagData;

/// One end as the user names it: `app` or `app:endpoint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct End {
    /// The application.
    pub app: String,
    /// The endpoint, when given.
    pub endpoint: Option<String>,
}

impl End {
    /// Parses `app` or `app:endpoint`.
    pub fn parse(s: &str) -> Result<End> {
        let (app, endpoint) = match s.split_once(':') {
            Some((a, e)) if !e.is_empty() => (a, Some(e.to_string())),
            Some(_) => {
                return Err(Error::usage(format!(
                    "invalid endpoint {s:?}: empty endpoint name"
                )))
            }
            None => (s, None),
        };
        if !charm::valid_name(app) {
            return Err(Error::usage(format!("invalid application name {app:?}")));
        }
        Ok(End {
            app: app.to_string(),
            endpoint,
        })
    }
}

impl std::fmt::Display for End {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.endpoint {
            Some(e) => write!(f, "{}:{e}", self.app),
            None => write!(f, "{}", self.app),
        }
    }
}

/// The endpoint pairs `a` and `b` could be related on: same interface, one `provides`
/// and the other `requires`, as Juju infers them (`juju integrate`).
fn candidates(model: &Model, a: &End, b: &End) -> Result<Vec<(String, String, String)>> {
    for end in [a, b] {
        let app = model.app(&end.app).ok_or_else(|| no_app(model, &end.app))?;
        if let Some(e) = &end.endpoint {
            check_endpoint(model, &app.name, e)?;
        }
    }
    let meta_a = &model.app(&a.app).expect("checked").meta;
    let meta_b = &model.app(&b.app).expect("checked").meta;
    let mut out = Vec::new();
    for ea in meta_a.provides.iter().chain(&meta_a.requires) {
        if a.endpoint.as_ref().is_some_and(|e| *e != ea.name) {
            continue;
        }
        let role_a = charm::role_name(meta_a.endpoint(&ea.name).expect("declared").0);
        for eb in meta_b.provides.iter().chain(&meta_b.requires) {
            if b.endpoint.as_ref().is_some_and(|e| *e != eb.name) {
                continue;
            }
            let role_b = charm::role_name(meta_b.endpoint(&eb.name).expect("declared").0);
            if ea.interface == eb.interface && role_a != role_b {
                out.push((ea.name.clone(), eb.name.clone(), ea.interface.clone()));
            }
        }
    }
    Ok(out)
}

/// The relation `integrate` would make, checked as Juju checks it: exactly one matching
/// endpoint pair, not related yet, within both endpoints' limits.
fn plan(model: &Model, a: &End, b: &End) -> Result<(String, String, String)> {
    if a.app == b.app {
        return Err(Error::msg(format!(
            "cannot relate {a} to {b}: an application is related to itself through its peer endpoints, which exist from deploy"
        )));
    }
    let found = candidates(model, a, b)?;
    let (ea, eb, interface) = match found.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(Error::msg(format!(
                "no relations found between {a} and {b} (no {}provides/requires endpoint pair with the same interface)",
                if a.endpoint.is_some() || b.endpoint.is_some() { "such " } else { "" }
            )))
        }
        many => {
            let options: Vec<String> = many
                .iter()
                .map(|(x, y, _)| format!("\"{}:{x} {}:{y}\"", a.app, b.app))
                .collect();
            return Err(Error::msg(format!(
                "ambiguous relation: \"{a} {b}\" could refer to {}",
                options.join("; ")
            )));
        }
    };
    if model
        .relations
        .values()
        .any(|r| !r.dying && r.joins(&a.app, &ea, &b.app, &eb))
    {
        return Err(Error::msg(format!(
            "relation {}:{ea} {}:{eb} already exists",
            a.app, b.app
        )));
    }
    check_limit(model, &a.app, &ea)?;
    check_limit(model, &b.app, &eb)?;
    Ok((ea, eb, interface))
}

/// `integrate`: relates two deployed applications. Every unit of both runs
/// `-relation-created` (the first application's units, then the second's); then each unit
/// sees the other side: the application-level `-relation-changed` first when the other
/// application's bag is set, then `-relation-joined` / `-relation-changed` per unit of the
/// other side. What the hooks write reaches the other side as `-relation-changed`
/// ([`crate::sim::model::Model::queue_triggered`]). Returns the relation id and what ran.
pub fn integrate(sim: &mut Sim, a: &End, b: &End) -> Result<(u64, Summary)> {
    let (ea, eb, interface) = plan(&sim.model, a, b)?;
    let role = check_endpoint(&sim.model, &a.app, &ea)?;
    let id = sim.model.next.relation;
    sim.model.next.relation += 1;
    let units_a = sim.model.units_of(&a.app);
    let units_b = sim.model.units_of(&b.app);
    let rel = Relation {
        id,
        app: a.app.clone(),
        endpoint: ea,
        interface,
        role: role.to_string(),
        remote_app: b.app.clone(),
        remote_endpoint: eb,
        app_data: BagData::new(),
        units: units_a
            .iter()
            .chain(&units_b)
            .map(|u| (u.clone(), RelationUnit::default()))
            .collect(),
        remote_app_data: BagData::new(),
        remote_units: Default::default(),
        dying: false,
    };
    let cause = "integrate";
    let mut steps: Vec<Step> = units_a
        .iter()
        .chain(&units_b)
        .map(|u| Step::relation(u, &rel, "created", None, Some(Effect::Create), cause))
        .collect();
    for u in &units_a {
        steps.extend(first_sight(&rel, &a.app, u, &units_b, cause));
    }
    for u in &units_b {
        steps.extend(first_sight(&rel, &b.app, u, &units_a, cause));
    }
    sim.model.relations.insert(id, rel);
    let summary = sim.execute(steps)?;
    Ok((id, summary))
}

/// `remove-relation`: the relation between `a` and `b` (on the given endpoints) goes:
/// every unit in it runs `-relation-departed` for each unit it has seen join, then
/// `-relation-broken`.
pub fn remove_relation(sim: &mut Sim, a: &End, b: &End) -> Result<Summary> {
    for end in [a, b] {
        if sim.model.app(&end.app).is_none() && !is_simulated(&sim.model, &end.app) {
            return Err(no_app(&sim.model, &end.app));
        }
    }
    let matching: Vec<u64> = sim
        .model
        .relations
        .values()
        .filter(|r| !r.dying && !r.is_peer())
        .filter(|r| {
            let fits = |x: &End, y: &End| {
                r.app == x.app
                    && r.remote_app == y.app
                    && x.endpoint.as_ref().is_none_or(|e| *e == r.endpoint)
                    && y.endpoint.as_ref().is_none_or(|e| *e == r.remote_endpoint)
            };
            fits(a, b) || fits(b, a)
        })
        .map(|r| r.id)
        .collect();
    let id = match matching.as_slice() {
        [one] => *one,
        [] => {
            let existing: Vec<String> = sim
                .model
                .relations
                .values()
                .filter(|r| !r.dying && !r.is_peer())
                .map(|r| {
                    format!(
                        "{}:{} {}:{}",
                        r.app, r.endpoint, r.remote_app, r.remote_endpoint
                    )
                })
                .collect();
            return Err(Error::msg(format!(
                "relation \"{a} {b}\" not found (relations: {})",
                list(&existing)
            )));
        }
        _ => {
            return Err(Error::msg(format!(
                "ambiguous relation: \"{a} {b}\" matches several relations; name the endpoints"
            )))
        }
    };
    let steps = teardown(&mut sim.model, id, "remove-relation");
    sim.execute(steps)
}

/// Whether `app` is a simulated application some relation names (`relate`).
fn is_simulated(model: &Model, app: &str) -> bool {
    model.relations.values().any(|r| r.remote_app == app)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_parse_as_juju_writes_them() {
        assert_eq!(
            End::parse("demo:database").unwrap(),
            End {
                app: "demo".into(),
                endpoint: Some("database".into())
            }
        );
        assert_eq!(End::parse("pg").unwrap().endpoint, None);
        assert!(End::parse("pg:")
            .unwrap_err()
            .message
            .contains("empty endpoint"));
        assert!(End::parse("Bad:x")
            .unwrap_err()
            .message
            .contains("invalid application name"));
        assert_eq!(End::parse("a:b").unwrap().to_string(), "a:b");
    }
}
