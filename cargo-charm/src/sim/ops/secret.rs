//! `add-secret`: a secret a simulated remote application owns and grants to this
//! application through their relation, as a provider charm does (`secret-add`, then
//! `secret-grant` on the relation) before naming it in its relation data (e.g.
//! data_platform_libs' `secret-user`).

use super::super::model::{Model, Secret};
use crate::error::{Error, Result};
use jujuc::{BagData, SecretWorld};

/// The characters of a Juju secret id (an xid: base32hex, lower case).
const ALPHABET: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// Adds a secret owned by `remote_app` with one revision holding `content`, visible to
/// the units of this application while a relation with `remote_app` lives; returns its
/// URI (`secret:<20 characters>`). Nothing runs: Juju sends no hook for a grant.
pub fn add_secret(
    model: &mut Model,
    app: &str,
    remote_app: &str,
    content: &[(String, String)],
) -> Result<String> {
    let related: Vec<&str> = model
        .relations
        .values()
        .filter(|r| !r.is_peer() && !r.dying)
        .filter_map(|r| r.side(app).map(|s| s.remote_app))
        .filter(|r| model.app(r).is_none())
        .collect();
    if !related.contains(&remote_app) {
        return Err(Error::msg(format!(
            "{remote_app:?} is not related to {app}, so it cannot grant it a secret (related applications: {})",
            if related.is_empty() {
                "none".to_string()
            } else {
                related.join(", ")
            }
        )));
    }
    if content.is_empty() {
        return Err(Error::usage("a secret needs content: KEY=VALUE ..."));
    }
    let mut bag = BagData::new();
    for (k, v) in content {
        if !charm_runtime::secret::valid_key(k) {
            return Err(Error::msg(format!(
                "secret content key {k:?} is invalid: use at least 3 lowercase letters, digits and single hyphens, starting with a letter"
            )));
        }
        if v.is_empty() {
            return Err(Error::msg(format!(
                "secret content key {k:?} has an empty value"
            )));
        }
        if bag.insert(k.clone(), v.clone()).is_some() {
            return Err(Error::msg(format!(
                "secret content key {k:?} is given twice"
            )));
        }
    }
    let id = loop {
        model.next.secret += 1;
        let id = format!(
            "secret:{}",
            secret_id(&format!(
                "{}/{remote_app}/{}",
                model.uuid, model.next.secret
            ))
        );
        if !model.secrets.iter().any(|s| s.secret.id == id) {
            break id;
        }
    };
    model.secrets.push(Secret {
        secret: SecretWorld {
            id: id.clone(),
            owner: None,
            revisions: [(1, bag)].into_iter().collect(),
            // Not tracked yet: the first `secret-get` tracks the latest revision.
            tracked: 0,
            ..Default::default()
        },
        owner_unit: None,
        owner_app: Some(remote_app.to_string()),
        app: None,
    });
    Ok(id)
}

/// 20 characters of [`ALPHABET`] from a 128-bit FNV-1a of `seed`: the same seed, the same
/// id, so models replay identically.
fn secret_id(seed: &str) -> String {
    let fnv = |basis: u64| {
        seed.bytes().fold(basis, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let bits =
        (u128::from(fnv(0xcbf2_9ce4_8422_2325)) << 64) | u128::from(fnv(0x8422_2325_cbf2_9ce4));
    (0..20)
        .map(|i| ALPHABET[((bits >> (123 - 5 * i)) & 31) as usize] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::super::model::{pod_address, App, Relation, RelationUnit, Unit};
    use super::super::super::world::unit_world;
    use super::*;
    use charm_runtime::metadata::CharmMetadata;

    fn model() -> Model {
        let meta = CharmMetadata::from_charmcraft_yaml(
            "name: demo\nsummary: s\ndescription: d\nrequires:\n  db:\n    interface: pg\n",
        )
        .unwrap();
        let mut m = Model::new("m", "00000000-0000-4000-8000-000000000000".into());
        m.apps.insert(
            "demo".into(),
            App {
                name: "demo".into(),
                charm_source: "x".into(),
                charm_dir: "charms/demo".into(),
                revision: 0,
                store: None,
                trust: false,
                resources: Default::default(),
                meta,
                config: Default::default(),
                status: None,
                leader: Some("demo/0".into()),
                address: "10.0.0.1".into(),
                units: [(0, Unit::new("demo", 0, pod_address(0)))]
                    .into_iter()
                    .collect(),
                next_unit: 1,
            },
        );
        m
    }

    fn relate(m: &mut Model, remote: &str, created: bool) {
        let id = m.next.relation;
        m.next.relation += 1;
        let units = [(
            "demo/0".to_string(),
            RelationUnit {
                created,
                ..Default::default()
            },
        )]
        .into_iter()
        .collect();
        m.relations.insert(
            id,
            Relation {
                id,
                app: "demo".into(),
                endpoint: "db".into(),
                interface: "pg".into(),
                role: "requires".into(),
                remote_app: remote.into(),
                remote_endpoint: "db".into(),
                app_data: BagData::new(),
                units,
                remote_app_data: BagData::new(),
                remote_units: Default::default(),
                dying: false,
            },
        );
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_related_applications_secret_is_visible_while_the_relation_lives() {
        let mut m = model();
        relate(&mut m, "pg", true);
        let id = add_secret(
            &mut m,
            "demo",
            "pg",
            &pairs(&[("username", "u"), ("password", "p")]),
        )
        .unwrap();
        assert!(id.starts_with("secret:"));
        assert_eq!(id.len(), "secret:".len() + 20);
        assert!(id["secret:".len()..].bytes().all(|b| ALPHABET.contains(&b)));
        let w = unit_world(&m, "demo/0");
        let s = w.secrets.iter().find(|s| s.id == id).expect("visible");
        assert_eq!(s.owner, None, "observed, not owned");
        assert_eq!(s.revisions[&1]["password"], "p");
        // The relation going away takes the grant with it.
        m.relations.values_mut().for_each(|r| r.dying = true);
        assert!(unit_world(&m, "demo/0").secrets.is_empty());
    }

    #[test]
    fn ids_are_deterministic_and_distinct() {
        let (mut a, mut b) = (model(), model());
        relate(&mut a, "pg", true);
        relate(&mut b, "pg", true);
        let c = pairs(&[("password", "p")]);
        let a1 = add_secret(&mut a, "demo", "pg", &c).unwrap();
        let a2 = add_secret(&mut a, "demo", "pg", &c).unwrap();
        assert_ne!(a1, a2);
        assert_eq!(add_secret(&mut b, "demo", "pg", &c).unwrap(), a1);
    }

    #[test]
    fn bad_input_changes_nothing() {
        let mut m = model();
        relate(&mut m, "pg", false);
        let e = add_secret(&mut m, "demo", "other", &pairs(&[("password", "p")])).unwrap_err();
        assert_eq!(
            e.message,
            "\"other\" is not related to demo, so it cannot grant it a secret (related applications: pg)"
        );
        for (content, msg) in [
            (vec![], "a secret needs content: KEY=VALUE ..."),
            (
                pairs(&[("Password", "p")]),
                "secret content key \"Password\" is invalid",
            ),
            (
                pairs(&[("password", "")]),
                "secret content key \"password\" has an empty value",
            ),
            (
                pairs(&[("password", "a"), ("password", "b")]),
                "secret content key \"password\" is given twice",
            ),
        ] {
            let e = add_secret(&mut m, "demo", "pg", &content).unwrap_err();
            assert!(e.message.starts_with(msg), "{}", e.message);
        }
        assert!(m.secrets.is_empty());
        // Not yet created on the unit: related, but not visible.
        add_secret(&mut m, "demo", "pg", &pairs(&[("password", "p")])).unwrap();
        assert!(unit_world(&m, "demo/0").secrets.is_empty());
    }
}
