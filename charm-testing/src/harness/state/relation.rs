//! [`Relation`]: one relation of the unit's application, with every bag the unit can see.

use super::bag::{bag, default_unit_bag, BagData};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where the automatic ids start: above the small ids tests set by hand, so that a
/// relation given `.id(7)` never meets one numbered automatically in the same state.
const FIRST_AUTOMATIC_ID: u64 = 100;

static NEXT_RELATION_ID: AtomicU64 = AtomicU64::new(FIRST_AUTOMATIC_ID);

/// The id the next [`Relation`] gets. Every relation built gets a new one (from 100 up),
/// unique in the test process, so relations built separately never collide; set one with
/// [`Relation::id`] (below 100 to stay clear of the automatic ones) when a test asserts
/// on it.
pub fn next_relation_id() -> u64 {
    NEXT_RELATION_ID.fetch_add(1, Ordering::Relaxed)
}

/// Which kind of relation: it must match how the endpoint is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationKind {
    /// A `provides`/`requires` endpoint with global scope, related to another application.
    Regular,
    /// A `peers` endpoint: the other units of this application.
    Peer,
    /// A `provides`/`requires` endpoint with `scope: container`: the one principal (or
    /// subordinate) unit this unit is attached to.
    Subordinate,
}

impl fmt::Display for RelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RelationKind::Regular => "regular relation",
            RelationKind::Peer => "peer relation",
            RelationKind::Subordinate => "subordinate relation",
        })
    }
}

/// One relation of the unit's application, with every bag the unit can see.
///
/// Built with [`Relation::new`] (regular), [`Relation::peer`] or [`Relation::subordinate`],
/// then chained setters. Defaults, as Juju has them when a unit first joins: this unit's
/// bag holds Juju's address keys; a regular relation has one remote unit (`remote/0`)
/// whose bag holds them too; a peer relation has no other units; all other bags are empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The local endpoint.
    pub endpoint: String,
    /// The relation id (unique per process unless set).
    pub id: u64,
    /// Regular, peer or subordinate.
    pub kind: RelationKind,
    /// The interface, if given; it must match the metadata's.
    pub interface: Option<String>,
    /// This application's bag.
    pub local_app_data: BagData,
    /// This unit's bag.
    pub local_unit_data: BagData,
    /// The remote application (for peers: unused, it is this application).
    pub remote_app_name: String,
    /// The remote application's bag (for peers: unused, it is `local_app_data`).
    pub remote_app_data: BagData,
    /// The remote units' bags by unit number. For peers: the *other* units of this
    /// application; for subordinates: exactly one unit.
    pub remote_units_data: BTreeMap<u32, BagData>,
    /// The remote application's model UUID for a cross-model relation; `None`: this model.
    pub remote_model_uuid: Option<String>,
}

impl Relation {
    fn with_kind(endpoint: &str, kind: RelationKind) -> Self {
        let remote_units_data = match kind {
            RelationKind::Peer => BTreeMap::new(),
            _ => [(0, default_unit_bag())].into_iter().collect(),
        };
        Relation {
            endpoint: endpoint.to_string(),
            id: next_relation_id(),
            kind,
            interface: None,
            local_app_data: BagData::new(),
            local_unit_data: default_unit_bag(),
            remote_app_name: "remote".into(),
            remote_app_data: BagData::new(),
            remote_units_data,
            remote_model_uuid: None,
        }
    }

    /// A relation of a `provides`/`requires` endpoint to another application (`remote`,
    /// with one unit `remote/0`, unless set).
    pub fn new(endpoint: &str) -> Self {
        Self::with_kind(endpoint, RelationKind::Regular)
    }

    /// The relation of a `peers` endpoint (no other units unless added with
    /// [`Relation::peer_data`]).
    pub fn peer(endpoint: &str) -> Self {
        Self::with_kind(endpoint, RelationKind::Peer)
    }

    /// A relation of a `scope: container` endpoint: one remote unit (`remote/0` unless set
    /// with [`Relation::remote_app_name`] and [`Relation::remote_unit_id`]).
    pub fn subordinate(endpoint: &str) -> Self {
        Self::with_kind(endpoint, RelationKind::Subordinate)
    }

    /// Sets the relation id.
    pub fn id(mut self, id: u64) -> Self {
        self.id = id;
        self
    }

    /// Sets the interface (checked against the metadata).
    pub fn interface(mut self, interface: &str) -> Self {
        self.interface = Some(interface.to_string());
        self
    }

    /// Replaces this application's bag.
    pub fn local_app_data<K: Into<String>, V: Into<String>>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.local_app_data = bag(data);
        self
    }

    /// Replaces this unit's bag (Juju's address keys included: give them if the charm reads
    /// them).
    pub fn local_unit_data<K: Into<String>, V: Into<String>>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.local_unit_data = bag(data);
        self
    }

    /// Makes it a cross-model relation: the remote application is in this model.
    pub fn remote_model_uuid(mut self, uuid: &str) -> Self {
        self.remote_model_uuid = Some(uuid.to_string());
        self
    }

    /// Sets the remote application's name.
    pub fn remote_app_name(mut self, name: &str) -> Self {
        self.remote_app_name = name.to_string();
        self
    }

    /// Replaces the remote application's bag.
    pub fn remote_app_data<K: Into<String>, V: Into<String>>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.remote_app_data = bag(data);
        self
    }

    /// Replaces all remote units (for peers: the other units) and their bags.
    pub fn remote_units_data<B, K, V>(mut self, units: impl IntoIterator<Item = (u32, B)>) -> Self
    where
        B: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.remote_units_data = units.into_iter().map(|(n, b)| (n, bag(b))).collect();
        self
    }

    /// Adds (or replaces) one remote unit and its bag.
    pub fn remote_unit<K: Into<String>, V: Into<String>>(
        mut self,
        unit: u32,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.remote_units_data.insert(unit, bag(data));
        self
    }

    /// Removes every remote unit (a relation whose remote units have all departed).
    pub fn no_remote_units(mut self) -> Self {
        self.remote_units_data.clear();
        self
    }

    /// For peers: adds (or replaces) another unit of this application and its bag.
    pub fn peer_data<K: Into<String>, V: Into<String>>(
        self,
        unit: u32,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.remote_unit(unit, data)
    }

    /// For subordinates: the number of the one remote unit (its bag is kept).
    pub fn remote_unit_id(mut self, unit: u32) -> Self {
        let data = std::mem::take(&mut self.remote_units_data)
            .into_values()
            .next()
            .unwrap_or_else(default_unit_bag);
        self.remote_units_data.insert(unit, data);
        self
    }

    /// The remote unit names, `<app>/<n>`, given this application's name (used for peers).
    pub fn remote_unit_names(&self, app_name: &str) -> Vec<String> {
        let app = self.remote_app(app_name);
        self.remote_units_data
            .keys()
            .map(|n| format!("{app}/{n}"))
            .collect()
    }

    /// The remote application's name, given this application's name (used for peers).
    pub fn remote_app<'a>(&'a self, app_name: &'a str) -> &'a str {
        if self.kind == RelationKind::Peer {
            app_name
        } else {
            &self.remote_app_name
        }
    }
}
