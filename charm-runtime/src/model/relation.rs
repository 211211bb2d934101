//! Relations and their bags: leadership, cached reads, access rules (typed, and checked
//! again before any tool is called), staged writes.

use super::{BagState, Model};
use crate::databag::Databag;
use crate::event::RelationEventKind;
use crate::hooktools::cmd::{self, BagData};
use crate::hooktools::ToolError;
use crate::relation::{
    Endpoint, Leader, ReadBag, Relation, RelationError, RelationRole, Sel, UnitId, WriteBag,
};
use std::borrow::Cow;

/// A relation without its role type: the model's cache key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct RelKey {
    pub endpoint: &'static str,
    pub id: u64,
    pub peer: bool,
}

impl<R: RelationRole> From<&Relation<R>> for RelKey {
    fn from(r: &Relation<R>) -> Self {
        RelKey {
            endpoint: r.endpoint,
            id: r.id,
            peer: r.is_peer(),
        }
    }
}

impl std::fmt::Display for RelKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.endpoint, self.id)
    }
}

impl Model<'_> {
    /// The proof that this unit is the leader, or `None` (`is-leader`, asked once per
    /// dispatch; Juju guarantees the answer for 30 s). Writing an application bag takes
    /// it: `if let Some(leader) = model.leader()? { model.set(&rel, Own::App(leader), ..)?; }`.
    pub fn leader(&mut self) -> Result<Option<Leader>, ToolError> {
        Ok(self.is_leader()?.then(Leader::proof))
    }

    fn check_declared(&self, name: &str) -> Result<(), RelationError> {
        if self.endpoints.is_empty() || self.endpoints.iter().any(|e| e.name == name) {
            Ok(())
        } else {
            Err(RelationError::UndeclaredEndpoint {
                endpoint: name.into(),
            })
        }
    }

    /// The relations of an endpoint (`relation-ids`, once per endpoint per dispatch).
    ///
    /// In a `-relation-broken` hook the broken relation is left out, as ops leaves it out
    /// of `Model.relations` (Juju 3.4 and later leave it out of `relation-ids` already;
    /// earlier versions list it). [`Model::event_relation`] still names it.
    pub fn relations<R: RelationRole>(
        &mut self,
        endpoint: Endpoint<R>,
    ) -> Result<Vec<Relation<R>>, RelationError> {
        self.check_declared(endpoint.name)?;
        if !self.relation_ids.contains_key(endpoint.name) {
            let mut ids = cmd::relation_ids(self.tools, endpoint.name)?;
            if let Some(r) = self.env.event.relation() {
                if r.kind == RelationEventKind::Broken && r.endpoint == endpoint.name {
                    ids.retain(|&id| id != r.id);
                }
            }
            self.relation_ids.insert(endpoint.name, ids);
        }
        Ok(self.relation_ids[endpoint.name]
            .iter()
            .map(|&id| Relation::new(endpoint, id))
            .collect())
    }

    /// The one relation of an endpoint, or `None`; more than one is an error
    /// (use [`Model::relations`] for endpoints without `limit: 1`).
    pub fn relation<R: RelationRole>(
        &mut self,
        endpoint: Endpoint<R>,
    ) -> Result<Option<Relation<R>>, RelationError> {
        let mut rels = self.relations(endpoint)?;
        match rels.len() {
            0 | 1 => Ok(rels.pop()),
            count => Err(RelationError::TooMany {
                endpoint: endpoint.name.into(),
                count,
            }),
        }
    }

    /// The relation the current event is about, if it is a relation event of `endpoint`
    /// (`model.event_relation(Self::DATABASE)?`); `None` for any other event.
    pub fn event_relation<R: RelationRole>(
        &self,
        endpoint: Endpoint<R>,
    ) -> Result<Option<Relation<R>>, RelationError> {
        self.check_declared(endpoint.name)?;
        Ok(self
            .env
            .event
            .relation()
            .filter(|r| r.endpoint == endpoint.name)
            .map(|r| Relation::new(endpoint, r.id)))
    }

    /// The remote unit of the current relation event (`JUJU_REMOTE_UNIT`: the unit that
    /// joined, changed or departed), for [`Bag::RemoteUnit`](crate::Bag::RemoteUnit);
    /// `None` in other events and in `-relation-created` / `-relation-broken`.
    pub fn event_unit(&self) -> Option<UnitId> {
        let r = self.env.event.relation()?;
        unit_number(r.remote_unit.as_deref()?)
    }

    /// The remote units' names (`relation-list`, once per relation per dispatch).
    fn unit_names(&mut self, relation: RelKey) -> Result<&[String], RelationError> {
        if !self.units.contains_key(&relation.id) {
            let u = cmd::relation_list(self.tools, relation.endpoint, relation.id)?;
            self.units.insert(relation.id, u);
        }
        Ok(&self.units[&relation.id])
    }

    /// The remote units of a relation (`relation-list`, once per relation per dispatch),
    /// for [`Bag::RemoteUnit`](crate::Bag::RemoteUnit). For peers: the other units of this
    /// application.
    pub fn units<R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
    ) -> Result<Vec<UnitId>, RelationError> {
        let names = self.unit_names(relation.into())?;
        Ok(names.iter().filter_map(|n| unit_number(n)).collect())
    }

    /// A remote unit's name, `app/N`.
    pub fn remote_unit_name<R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
        unit: UnitId,
    ) -> Result<String, RelationError> {
        let app = self.remote_app_of(relation.into())?;
        Ok(format!("{app}/{}", unit.0))
    }

    /// The remote application's name. For peers it is this application; in a relation
    /// hook it comes from `JUJU_REMOTE_APP`; otherwise `relation-list --app` is asked once.
    pub fn remote_app<R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
    ) -> Result<String, RelationError> {
        self.remote_app_of(relation.into())
    }

    fn remote_app_of(&mut self, relation: RelKey) -> Result<String, RelationError> {
        if relation.peer {
            return Ok(self.env.app_name.clone());
        }
        if let Some(r) = self.env.event.relation() {
            if r.id == relation.id && !r.remote_app.is_empty() {
                return Ok(r.remote_app.clone());
            }
        }
        // A listed remote unit names its application.
        if let Some(app) = self
            .units
            .get(&relation.id)
            .and_then(|names| names.first())
            .and_then(|n| n.rsplit_once('/'))
        {
            return Ok(app.0.to_string());
        }
        if !self.remote_apps.contains_key(&relation.id) {
            let a = cmd::relation_app(self.tools, relation.endpoint, relation.id)?;
            self.remote_apps.insert(relation.id, a);
        }
        Ok(self.remote_apps[&relation.id].clone())
    }

    /// The bag's name in messages: a remote unit by its full name once it is known.
    fn bag_label(&self, relation: RelKey, bag: Sel) -> String {
        match self.bags.get(&(relation, bag)) {
            Some(state) if matches!(bag, Sel::RemoteUnit(_)) => {
                format!("bag of remote unit {}", state.owner)
            }
            _ => bag.label(),
        }
    }

    /// Juju's read rule the types cannot see: a [`Leader`] from another dispatch.
    fn check_read(&mut self, relation: RelKey, bag: Sel) -> Result<(), RelationError> {
        if bag == Sel::App && !relation.peer && !self.is_leader()? {
            return Err(RelationError::NotLeaderRead {
                unit: self.env.unit_name.clone(),
                relation: relation.to_string(),
            });
        }
        Ok(())
    }

    /// Juju's write rules, checked again before anything is staged.
    fn check_write(&mut self, relation: RelKey, bag: Sel) -> Result<(), RelationError> {
        match bag {
            Sel::Unit => Ok(()),
            Sel::App if self.is_leader()? => Ok(()),
            Sel::App => Err(RelationError::NotLeaderWrite {
                unit: self.env.unit_name.clone(),
                relation: relation.to_string(),
            }),
            Sel::RemoteApp | Sel::RemoteUnit(_) => Err(RelationError::NotOwner {
                unit: self.env.unit_name.clone(),
                relation: relation.to_string(),
                bag: self.bag_label(relation, bag),
            }),
        }
    }

    /// Loads a bag from Juju once per dispatch (after the access check).
    fn bag_state(&mut self, relation: RelKey, bag: Sel) -> Result<&mut BagState, RelationError> {
        let key = (relation, bag);
        if !self.bags.contains_key(&key) {
            let (owner, app) = match bag {
                Sel::Unit => (self.env.unit_name.clone(), false),
                Sel::App => (self.env.app_name.clone(), true),
                Sel::RemoteApp => (self.remote_app_of(relation)?, true),
                Sel::RemoteUnit(n) => (format!("{}/{n}", self.remote_app_of(relation)?), false),
            };
            let original =
                cmd::relation_get(self.tools, relation.endpoint, relation.id, &owner, app)?;
            self.bags.insert(
                key,
                Box::new(BagState {
                    owner,
                    original,
                    staged: BagData::new(),
                }),
            );
        }
        Ok(self.bags.get_mut(&key).expect("just inserted"))
    }

    /// The bag as the charm sees it, once the access rules allow the read: borrowed while
    /// nothing is staged in it (no copy), built with the staged writes otherwise.
    fn view(&mut self, relation: RelKey, bag: Sel) -> Result<Cow<'_, BagData>, RelationError> {
        self.check_read(relation, bag)?;
        Ok(self.bag_state(relation, bag)?.current_view())
    }

    /// A whole bag, as Juju has it plus this dispatch's staged writes.
    pub fn bag<R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
        bag: impl ReadBag<R>,
    ) -> Result<BagData, RelationError> {
        Ok(self.view(relation.into(), bag.sel())?.into_owned())
    }

    /// One value of a bag.
    pub fn get<R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
        bag: impl ReadBag<R>,
        key: &str,
    ) -> Result<Option<String>, RelationError> {
        // The one value, copied (not the whole bag).
        Ok(self.view(relation.into(), bag.sel())?.get(key).cloned())
    }

    /// Stages a write; `""` deletes the key. Checked against the access rules at once,
    /// sent at the end of the dispatch.
    pub fn set<R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
        bag: impl WriteBag<R>,
        key: &str,
        value: impl Into<String>,
    ) -> Result<(), RelationError> {
        let values = [(key.to_string(), value.into())].into_iter().collect();
        self.set_many(relation.into(), bag.sel(), values)
    }

    /// Stages writes to a bag chosen at run time; the runtime's own tests use it to check
    /// the rules the types already enforce.
    #[cfg(test)]
    pub(crate) fn set_sel<R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
        bag: Sel,
        values: BagData,
    ) -> Result<(), RelationError> {
        self.set_many(relation.into(), bag, values)
    }

    fn set_many(
        &mut self,
        relation: RelKey,
        bag: Sel,
        values: BagData,
    ) -> Result<(), RelationError> {
        self.check_write(relation, bag)?;
        if values.keys().any(|k| k.is_empty()) {
            return Err(RelationError::EmptyKey {
                relation: relation.to_string(),
                bag: bag.label(),
            });
        }
        let state = self.bag_state(relation, bag)?;
        state.staged.extend(values);
        Ok(())
    }

    /// Loads a typed bag. A value that does not decode is an error naming relation, bag and
    /// key; nothing is changed.
    pub fn load<D: Databag, R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
        bag: impl ReadBag<R>,
    ) -> Result<D, RelationError> {
        let (key, sel) = (RelKey::from(relation), bag.sel());
        let decoded = D::from_bag(&*self.view(key, sel)?);
        decoded.map_err(|field| RelationError::Decode {
            relation: key.to_string(),
            bag: self.bag_label(key, sel),
            field,
        })
    }

    /// Stages a typed bag: every key the struct declares (`None` fields delete theirs).
    /// Keys the struct does not declare are left alone.
    pub fn save<D: Databag, R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
        bag: impl WriteBag<R>,
        data: &D,
    ) -> Result<(), RelationError> {
        let (key, sel) = (RelKey::from(relation), bag.sel());
        let values = data.to_bag().map_err(|field| RelationError::Decode {
            relation: key.to_string(),
            bag: sel.label(),
            field,
        })?;
        self.set_many(key, sel, values)
    }
}

/// The number of a unit name, `app/N`.
fn unit_number(name: &str) -> Option<UnitId> {
    name.rsplit_once('/')
        .and_then(|(_, n)| n.parse().ok())
        .map(UnitId)
}
