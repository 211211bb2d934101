//! Relations and their bags: cached reads, access rules checked before any tool is called,
//! staged writes.

use super::{BagState, Model};
use crate::databag::Databag;
use crate::event::RelationEventKind;
use crate::hooktools::cmd::{self, BagData};
use crate::relation::{Bag, Endpoint, Relation, RelationError};

impl Model<'_> {
    /// The relations of an endpoint (`relation-ids`, once per endpoint per dispatch).
    ///
    /// In a `-relation-broken` hook the broken relation is left out, as ops leaves it out
    /// of `Model.relations` (Juju 3.4 and later leave it out of `relation-ids` already;
    /// earlier versions list it). [`Model::event_relation`] still names it.
    pub fn relations(&mut self, endpoint: Endpoint) -> Result<Vec<Relation>, RelationError> {
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
            .map(|&id| Relation {
                endpoint: endpoint.name,
                id,
                role: endpoint.role,
            })
            .collect())
    }

    /// The one relation of an endpoint, or `None`; more than one is an error
    /// (use [`Model::relations`] for endpoints without `limit: 1`).
    pub fn relation(&mut self, endpoint: Endpoint) -> Result<Option<Relation>, RelationError> {
        let mut rels = self.relations(endpoint)?;
        match rels.len() {
            0 | 1 => Ok(rels.pop()),
            count => Err(RelationError::TooMany {
                endpoint: endpoint.name.into(),
                count,
            }),
        }
    }

    /// The relation the current relation event is about.
    pub fn event_relation(&self) -> Result<Option<Relation>, RelationError> {
        let Some(r) = self.env.event.relation() else {
            return Ok(None);
        };
        let ep = self
            .endpoints
            .iter()
            .find(|e| e.name == r.endpoint)
            .ok_or_else(|| RelationError::UndeclaredEndpoint {
                endpoint: r.endpoint.clone(),
            })?;
        Ok(Some(Relation {
            endpoint: ep.name,
            id: r.id,
            role: ep.role,
        }))
    }

    /// The remote units of a relation (`relation-list`, once per relation per dispatch).
    /// For peers: the other units of this application.
    pub fn units(&mut self, relation: &Relation) -> Result<Vec<String>, RelationError> {
        if !self.units.contains_key(&relation.id) {
            let u = cmd::relation_list(self.tools, relation.endpoint, relation.id)?;
            self.units.insert(relation.id, u);
        }
        Ok(self.units[&relation.id].clone())
    }

    /// The remote application's name. For peers it is this application; in a relation
    /// hook it comes from `JUJU_REMOTE_APP`; otherwise `relation-list --app` is asked once.
    pub fn remote_app(&mut self, relation: &Relation) -> Result<String, RelationError> {
        if relation.is_peer() {
            return Ok(self.env.app_name.clone());
        }
        if let Some(r) = self.env.event.relation() {
            if r.id == relation.id && !r.remote_app.is_empty() {
                return Ok(r.remote_app.clone());
            }
        }
        if !self.remote_apps.contains_key(&relation.id) {
            let a = cmd::relation_app(self.tools, relation.endpoint, relation.id)?;
            self.remote_apps.insert(relation.id, a);
        }
        Ok(self.remote_apps[&relation.id].clone())
    }

    fn check_read(&mut self, relation: &Relation, bag: &Bag) -> Result<(), RelationError> {
        if *bag == Bag::App && !relation.is_peer() && !self.is_leader()? {
            return Err(RelationError::NotLeaderRead {
                unit: self.env.unit_name.clone(),
                relation: relation.to_string(),
            });
        }
        Ok(())
    }

    fn check_write(&mut self, relation: &Relation, bag: &Bag) -> Result<(), RelationError> {
        match bag {
            Bag::Unit => Ok(()),
            Bag::App => {
                if self.is_leader()? {
                    Ok(())
                } else {
                    Err(RelationError::NotLeaderWrite {
                        unit: self.env.unit_name.clone(),
                        relation: relation.to_string(),
                    })
                }
            }
            Bag::RemoteApp | Bag::RemoteUnit(_) => Err(RelationError::NotOwner {
                unit: self.env.unit_name.clone(),
                relation: relation.to_string(),
                bag: bag.to_string(),
            }),
        }
    }

    /// Loads a bag from Juju once per dispatch (after the access check).
    fn bag_state(
        &mut self,
        relation: &Relation,
        bag: &Bag,
    ) -> Result<&mut BagState, RelationError> {
        let key = (*relation, bag.clone());
        if !self.bags.contains_key(&key) {
            let (owner, app) = match bag {
                Bag::Unit => (self.env.unit_name.clone(), false),
                Bag::App => (self.env.app_name.clone(), true),
                Bag::RemoteApp => (self.remote_app(relation)?, true),
                Bag::RemoteUnit(u) => (u.clone(), false),
            };
            let original =
                cmd::relation_get(self.tools, relation.endpoint, relation.id, &owner, app)?;
            self.bags.insert(
                key.clone(),
                BagState {
                    original,
                    staged: BagData::new(),
                },
            );
        }
        Ok(self.bags.get_mut(&key).expect("just inserted"))
    }

    /// A whole bag, as Juju has it plus this dispatch's staged writes.
    pub fn bag(&mut self, relation: &Relation, bag: Bag) -> Result<BagData, RelationError> {
        self.check_read(relation, &bag)?;
        Ok(self.bag_state(relation, &bag)?.current())
    }

    /// One value of a bag.
    pub fn get(
        &mut self,
        relation: &Relation,
        bag: Bag,
        key: &str,
    ) -> Result<Option<String>, RelationError> {
        Ok(self.bag(relation, bag)?.remove(key))
    }

    /// Stages a write; `""` deletes the key. Checked against the access rules at once,
    /// sent at the end of the dispatch.
    pub fn set(
        &mut self,
        relation: &Relation,
        bag: Bag,
        key: &str,
        value: impl Into<String>,
    ) -> Result<(), RelationError> {
        self.set_many(
            relation,
            bag,
            [(key.to_string(), value.into())].into_iter().collect(),
        )
    }

    fn set_many(
        &mut self,
        relation: &Relation,
        bag: Bag,
        values: BagData,
    ) -> Result<(), RelationError> {
        self.check_write(relation, &bag)?;
        if values.keys().any(|k| k.is_empty()) {
            return Err(RelationError::EmptyKey {
                relation: relation.to_string(),
                bag: bag.to_string(),
            });
        }
        let state = self.bag_state(relation, &bag)?;
        state.staged.extend(values);
        Ok(())
    }

    /// Loads a typed bag. A value that does not decode is an error naming relation, bag and
    /// key; nothing is changed.
    pub fn load<D: Databag>(&mut self, relation: &Relation, bag: Bag) -> Result<D, RelationError> {
        let data = self.bag(relation, bag.clone())?;
        D::from_bag(&data).map_err(|field| RelationError::Decode {
            relation: relation.to_string(),
            bag: bag.to_string(),
            field,
        })
    }

    /// Stages a typed bag: every key the struct declares (`None` fields delete theirs).
    /// Keys the struct does not declare are left alone.
    pub fn save<D: Databag>(
        &mut self,
        relation: &Relation,
        bag: Bag,
        data: &D,
    ) -> Result<(), RelationError> {
        let values = data.to_bag().map_err(|field| RelationError::Decode {
            relation: relation.to_string(),
            bag: bag.to_string(),
            field,
        })?;
        self.set_many(relation, bag, values)
    }
}
