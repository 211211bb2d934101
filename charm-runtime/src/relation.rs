//! Relations: endpoints typed by their role, relation handles, the bags of a relation as
//! types, and leadership as a proof. Juju's access rules (juju-protocol.md §3) are in the
//! types where the role or leadership decides them, so breaking one is a compile error:
//!
//! | Bag | read | write |
//! |---|---|---|
//! | [`Bag::Unit`] (this unit's) | any relation | any relation |
//! | [`Bag::App`] (this application's) | peer relations | never: write [`Own::App`] |
//! | [`Own::App(leader)`](Own::App) | any relation | any relation |
//! | [`Bag::RemoteApp`] | provides and requires relations | never |
//! | [`Bag::RemoteUnit(unit)`](Bag::RemoteUnit) | any relation | never |
//!
//! A [`Leader`] comes only from [`Model::leader`](crate::Model::leader), so a non-leader
//! cannot even write the code that writes its application bag. The model still checks the
//! rules before calling Juju, as ops does, for the one case types cannot see: a `Leader`
//! carried over from another dispatch.

use crate::databag::FieldError;
use crate::hooktools::ToolError;
use crate::metadata::Role;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

pub(crate) mod sealed {
    /// Where a bag selector points: the model's cache key.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Sel {
        Unit,
        App,
        RemoteApp,
        RemoteUnit(u32),
    }

    /// Sealed: only this module's types are roles and bags.
    pub trait Sealed {}

    /// Sealed: the bag a selector points at.
    pub trait Select: Copy {
        fn sel(self) -> Sel;
    }
}

pub(crate) use sealed::Sel;

impl Sel {
    /// How messages name the bag (a remote unit by number; the model names it fully when
    /// it knows the unit's name).
    pub(crate) fn label(self) -> String {
        match self {
            Sel::Unit => "unit bag".into(),
            Sel::App => "application bag".into(),
            Sel::RemoteApp => "remote application bag".into(),
            Sel::RemoteUnit(n) => format!("bag of remote unit #{n}"),
        }
    }
}

/// The role of an endpoint, as a type: [`Peer`], [`Provides`] or [`Requires`]. It is a
/// parameter of [`Endpoint`] and [`Relation`], so the bags a relation has are known at
/// compile time.
pub trait RelationRole: sealed::Sealed + 'static {
    /// The role as a value.
    const ROLE: Role;
}

/// The role of a `#[peer]` endpoint (a type, never a value).
#[derive(Debug)]
pub enum Peer {}

/// The role of a `#[provides]` endpoint (a type, never a value).
#[derive(Debug)]
pub enum Provides {}

/// The role of a `#[requires]` endpoint (a type, never a value).
#[derive(Debug)]
pub enum Requires {}

impl sealed::Sealed for Peer {}
impl sealed::Sealed for Provides {}
impl sealed::Sealed for Requires {}

impl RelationRole for Peer {
    const ROLE: Role = Role::Peer;
}
impl RelationRole for Provides {
    const ROLE: Role = Role::Provides;
}
impl RelationRole for Requires {
    const ROLE: Role = Role::Requires;
}

/// A declared relation endpoint, typed by its role. `#[charm]` generates one associated
/// const per endpoint, named after it in upper snake case (`DemoCharm::FASTAPI_PEER:
/// Endpoint<Peer>`).
pub struct Endpoint<R> {
    /// The endpoint name, e.g. `fastapi-peer`.
    pub name: &'static str,
    role: PhantomData<fn() -> R>,
}

impl<R: RelationRole> Endpoint<R> {
    /// The endpoint called `name`, with the role `R`.
    pub const fn new(name: &'static str) -> Self {
        Endpoint {
            name,
            role: PhantomData,
        }
    }

    /// Whether it is a peer, provides or requires endpoint.
    pub const fn role(&self) -> Role {
        R::ROLE
    }

    /// The endpoint without its role type, for [`Charm::ENDPOINTS`](crate::Charm::ENDPOINTS).
    pub const fn declared(self) -> DeclaredEndpoint {
        DeclaredEndpoint {
            name: self.name,
            role: R::ROLE,
        }
    }
}

impl Endpoint<Peer> {
    /// A peer endpoint.
    pub const fn peer(name: &'static str) -> Self {
        Endpoint::new(name)
    }
}

impl Endpoint<Provides> {
    /// A provides endpoint.
    pub const fn provides(name: &'static str) -> Self {
        Endpoint::new(name)
    }
}

impl Endpoint<Requires> {
    /// A requires endpoint.
    pub const fn requires(name: &'static str) -> Self {
        Endpoint::new(name)
    }
}

impl<R> Clone for Endpoint<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for Endpoint<R> {}
impl<R> PartialEq for Endpoint<R> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl<R> Eq for Endpoint<R> {}
impl<R> Hash for Endpoint<R> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}
impl<R: RelationRole> fmt::Debug for Endpoint<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Endpoint<{:?}>({:?})", R::ROLE, self.name)
    }
}

/// An endpoint as [`Charm::ENDPOINTS`](crate::Charm::ENDPOINTS) lists it: name and role as
/// values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeclaredEndpoint {
    /// The endpoint name.
    pub name: &'static str,
    /// Its role.
    pub role: Role,
}

/// One relation of an endpoint, `<endpoint>:<id>`, typed by the endpoint's role.
pub struct Relation<R> {
    /// The endpoint.
    pub endpoint: &'static str,
    /// The relation id.
    pub id: u64,
    role: PhantomData<fn() -> R>,
}

impl<R: RelationRole> Relation<R> {
    /// Relation `id` of `endpoint`.
    pub const fn new(endpoint: Endpoint<R>, id: u64) -> Self {
        Relation {
            endpoint: endpoint.name,
            id,
            role: PhantomData,
        }
    }

    /// The endpoint's role.
    pub const fn role(&self) -> Role {
        R::ROLE
    }

    /// True for peer relations.
    pub fn is_peer(&self) -> bool {
        R::ROLE == Role::Peer
    }
}

impl<R> Clone for Relation<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for Relation<R> {}
impl<R> PartialEq for Relation<R> {
    fn eq(&self, other: &Self) -> bool {
        (self.endpoint, self.id) == (other.endpoint, other.id)
    }
}
impl<R> Eq for Relation<R> {}
impl<R> Hash for Relation<R> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.endpoint, self.id).hash(state);
    }
}
impl<R> PartialOrd for Relation<R> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<R> Ord for Relation<R> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.endpoint, self.id).cmp(&(other.endpoint, other.id))
    }
}
impl<R: RelationRole> fmt::Debug for Relation<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Relation<{:?}>({}:{})", R::ROLE, self.endpoint, self.id)
    }
}
impl<R> fmt::Display for Relation<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.endpoint, self.id)
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

/// A remote unit of a relation, by its number: `postgresql/3` is `UnitId(3)` on its
/// relation (for a peer relation, another unit of this application). `Copy`, as
/// [`Model::units`](crate::Model::units) lists them; the model knows the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(pub u32);

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Proof that this unit is the leader in this dispatch: only
/// [`Model::leader`](crate::Model::leader) makes one, after `is-leader` said so. Writing an
/// application bag takes it ([`Own::App`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Leader {
    _proof: (),
}

impl Leader {
    /// Only the model makes proofs.
    pub(crate) const fn proof() -> Self {
        Leader { _proof: () }
    }
}

/// The bags of a relation, one type each, so the relation's role decides at compile time
/// which ones can be read and none of them can be written (see the [module
/// docs](crate::relation)). Writes go to [`Own`] bags.
///
/// ```
/// # use charm_runtime::prelude::*;
/// # fn f(model: &mut Model, db: Relation<charm_runtime::relation::Requires>) -> Result<()> {
/// let remote = model.bag(&db, Bag::RemoteApp)?;
/// for unit in model.units(&db)? {
///     let unit_bag = model.bag(&db, Bag::RemoteUnit(unit))?;
/// }
/// # Ok(()) }
/// ```
#[allow(non_snake_case)]
pub mod Bag {
    use super::UnitId;

    /// This unit's own bag: read and written on any relation.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Unit;

    /// This application's bag, for reading on a peer relation (where every unit may).
    /// On other relations only the leader reads it, and only the leader writes it on any:
    /// both through [`Own::App`](super::Own::App).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct App;

    /// The remote application's bag (read only). A peer relation has none: its
    /// application bag is [`App`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct RemoteApp;

    /// A remote unit's bag (read only); on a peer relation, another unit of this
    /// application.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct RemoteUnit(pub UnitId);
}

/// A bag this unit writes: its own unit bag, or, as leader, its application bag. `Copy`,
/// so one value serves a load and the save after it.
///
/// ```
/// # use charm_runtime::prelude::*;
/// # fn f(model: &mut Model, peers: Relation<charm_runtime::relation::Peer>) -> Result<()> {
/// let bag = match model.leader()? {
///     Some(leader) => Own::App(leader),
///     None => Own::Unit,
/// };
/// model.set(&peers, bag, "ready", "true")?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Own {
    /// This unit's bag.
    Unit,
    /// This application's bag, written (and on non-peer relations read) by the leader.
    App(Leader),
}

/// A bag that can be read on a relation whose endpoint has role `R`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a relation bag",
    label = "not a bag",
    note = "bags are `Bag::Unit`, `Bag::App`, `Bag::RemoteApp`, `Bag::RemoteUnit(unit)` and `Own::Unit` / `Own::App(leader)`"
)]
pub trait ReadBag<R>: sealed::Select {}

/// A bag this unit may write on a relation whose endpoint has role `R`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a bag this unit writes",
    label = "not writable",
    note = "a unit writes its own unit bag (`Bag::Unit` or `Own::Unit`) and, as leader, its application bag (`Own::App(leader)`, with `Some(leader) = model.leader()?`)"
)]
pub trait WriteBag<R>: sealed::Select {}

/// The roles on which a non-leader may read its own application bag: peers only.
#[diagnostic::on_unimplemented(
    message = "only the leader reads its own application bag of a non-peer relation",
    label = "`Bag::App` on a `{Self}` endpoint needs the leader",
    note = "read it as the leader: `Own::App(leader)`, with `Some(leader) = model.leader()?` (every unit reads `Bag::App` of a peer relation)"
)]
pub trait NonLeaderReadable: sealed::Sealed {}
impl NonLeaderReadable for Peer {}

/// The roles whose relations have a remote application: provides and requires.
#[diagnostic::on_unimplemented(
    message = "a peer relation has no remote application",
    label = "no `Bag::RemoteApp` on a `{Self}` endpoint",
    note = "the application bag of a peer relation is `Bag::App`, shared by this application's units"
)]
pub trait HasRemoteApp: sealed::Sealed {}
impl HasRemoteApp for Provides {}
impl HasRemoteApp for Requires {}

/// No role: `Bag::App` names the bag for reading; the leader writes it as `Own::App`.
#[diagnostic::on_unimplemented(
    message = "only the leader writes the application bag",
    label = "`Bag::App` is not writable; the leader writes `Own::App(leader)`",
    note = "get the proof first: `if let Some(leader) = model.leader()? {{ model.set(&relation, Own::App(leader), ...)?; }}`"
)]
pub trait WritableWithoutLeader: sealed::Sealed {}

/// No role: remote bags belong to other units and applications.
#[diagnostic::on_unimplemented(
    message = "a unit never writes a remote bag",
    label = "remote bags are read only",
    note = "a unit writes its own unit bag (`Bag::Unit`) and, as leader, its application bag (`Own::App(leader)`)"
)]
pub trait RemoteWritable: sealed::Sealed {}

impl sealed::Select for Bag::Unit {
    fn sel(self) -> Sel {
        Sel::Unit
    }
}
impl sealed::Select for Bag::App {
    fn sel(self) -> Sel {
        Sel::App
    }
}
impl sealed::Select for Bag::RemoteApp {
    fn sel(self) -> Sel {
        Sel::RemoteApp
    }
}
impl sealed::Select for Bag::RemoteUnit {
    fn sel(self) -> Sel {
        Sel::RemoteUnit(self.0 .0)
    }
}
impl sealed::Select for Own {
    fn sel(self) -> Sel {
        match self {
            Own::Unit => Sel::Unit,
            Own::App(_) => Sel::App,
        }
    }
}

impl<R: RelationRole> ReadBag<R> for Bag::Unit {}
impl<R: RelationRole> ReadBag<R> for Own {}
impl<R: RelationRole> ReadBag<R> for Bag::RemoteUnit {}
impl<R: RelationRole + NonLeaderReadable> ReadBag<R> for Bag::App {}
impl<R: RelationRole + HasRemoteApp> ReadBag<R> for Bag::RemoteApp {}

impl<R: RelationRole> WriteBag<R> for Bag::Unit {}
impl<R: RelationRole> WriteBag<R> for Own {}
impl<R: RelationRole + WritableWithoutLeader> WriteBag<R> for Bag::App {}
impl<R: RelationRole + RemoteWritable> WriteBag<R> for Bag::RemoteApp {}
impl<R: RelationRole + RemoteWritable> WriteBag<R> for Bag::RemoteUnit {}

/// An error about relations and their data, naming the relation, bag and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelationError {
    /// A non-leader tried to write its application bag (with a [`Leader`] from another
    /// dispatch: the types allow nothing else).
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
    /// The endpoint is not one this charm declares (an endpoint const of another charm).
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
