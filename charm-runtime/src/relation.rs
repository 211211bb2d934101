//! Relations: endpoints, relation handles, the four kinds of bag, and the access rules of
//! juju-protocol.md §3, checked before Juju is called.

use crate::databag::FieldError;
use crate::hooktools::ToolError;
use crate::metadata::Role;
use std::fmt;

/// A declared relation endpoint. `#[charm]` generates one associated const per endpoint,
/// named after it in upper snake case (`DemoCharm::FASTAPI_PEER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// The endpoint name, e.g. `fastapi-peer`.
    pub name: &'static str,
    /// Whether it is a peer, provides or requires endpoint.
    pub role: Role,
}

impl Endpoint {
    /// A peer endpoint.
    pub const fn peer(name: &'static str) -> Self {
        Endpoint {
            name,
            role: Role::Peer,
        }
    }
    /// A provides endpoint.
    pub const fn provides(name: &'static str) -> Self {
        Endpoint {
            name,
            role: Role::Provides,
        }
    }
    /// A requires endpoint.
    pub const fn requires(name: &'static str) -> Self {
        Endpoint {
            name,
            role: Role::Requires,
        }
    }
}

/// One relation of an endpoint: `<endpoint>:<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Relation {
    /// The endpoint.
    pub endpoint: &'static str,
    /// The relation id.
    pub id: u64,
    /// The endpoint's role.
    pub role: Role,
}

impl Relation {
    /// True for peer relations.
    pub fn is_peer(&self) -> bool {
        self.role == Role::Peer
    }
}

impl PartialOrd for Role {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Role {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.endpoint, self.id)
    }
}

/// Which bag of a relation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bag {
    /// This unit's own bag (read and write).
    Unit,
    /// This application's bag (write: leader only; read: leader only on non-peer relations).
    App,
    /// The remote application's bag (read only). For peers, this is the local app.
    RemoteApp,
    /// A remote unit's bag (read only). For peers, another unit of this application.
    RemoteUnit(String),
}

impl fmt::Display for Bag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bag::Unit => f.write_str("unit bag"),
            Bag::App => f.write_str("application bag"),
            Bag::RemoteApp => f.write_str("remote application bag"),
            Bag::RemoteUnit(u) => write!(f, "bag of remote unit {u}"),
        }
    }
}

/// An error about relations and their data, naming the relation, bag and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelationError {
    /// A non-leader tried to write its application bag.
    NotLeaderWrite {
        /// This unit.
        unit: String,
        /// The relation.
        relation: String,
    },
    /// A non-leader tried to read its own application bag of a non-peer relation.
    NotLeaderRead {
        /// This unit.
        unit: String,
        /// The relation.
        relation: String,
    },
    /// A write to a bag this unit does not own.
    NotOwner {
        /// This unit.
        unit: String,
        /// The relation.
        relation: String,
        /// The bag.
        bag: String,
    },
    /// An empty key.
    EmptyKey {
        /// The relation.
        relation: String,
        /// The bag.
        bag: String,
    },
    /// More than one relation on an endpoint where one was asked for.
    TooMany {
        /// The endpoint.
        endpoint: String,
        /// How many there are.
        count: usize,
    },
    /// A value that does not decode into the typed bag (or does not encode).
    Decode {
        /// The relation.
        relation: String,
        /// The bag.
        bag: String,
        /// The key and the problem.
        field: FieldError,
    },
    /// A relation that Juju does not know (or that is gone).
    NotFound {
        /// The relation.
        relation: String,
    },
    /// The relation event's endpoint is not declared by the charm.
    UndeclaredEndpoint {
        /// The endpoint.
        endpoint: String,
    },
    /// A hook tool failed.
    Tool(ToolError),
}

impl fmt::Display for RelationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RelationError::NotLeaderWrite { unit, relation } => write!(
                f,
                "{unit} is not leader and cannot write the application bag of relation {relation}"
            ),
            RelationError::NotLeaderRead { unit, relation } => write!(
                f,
                "{unit} is not leader and cannot read its own application bag of relation {relation} (only peer relations allow that)"
            ),
            RelationError::NotOwner { unit, relation, bag } => write!(
                f,
                "{unit} cannot write the {bag} of relation {relation}: a unit writes only its own unit bag and (as leader) its application bag"
            ),
            RelationError::EmptyKey { relation, bag } => {
                write!(f, "empty key written to the {bag} of relation {relation}")
            }
            RelationError::TooMany { endpoint, count } => write!(
                f,
                "endpoint {endpoint} has {count} relations; use `relations()` to get them all"
            ),
            RelationError::Decode {
                relation,
                bag,
                field,
            } => write!(f, "relation {relation}, {bag}, {field}"),
            RelationError::NotFound { relation } => write!(f, "relation {relation} not found"),
            RelationError::UndeclaredEndpoint { endpoint } => {
                write!(f, "endpoint {endpoint} is not declared by this charm")
            }
            RelationError::Tool(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RelationError {}

impl From<ToolError> for RelationError {
    fn from(e: ToolError) -> Self {
        RelationError::Tool(e)
    }
}
