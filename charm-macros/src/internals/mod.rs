//! The macros' internals, layered so imports flow one way (serde_derive's order):
//! `read` finds the attributes of an item and `attr` parses each into the `model`; `check`
//! validates the finished model. Below them are leaves: `ctxt` (the error accumulator),
//! `event` (the table of events), `names` (Juju's name rules and suggestions) and `types`
//! (reading types as written).

pub mod attr;
pub mod check;
pub mod ctxt;
pub mod event;
pub mod model;
pub mod names;
pub mod read;
pub mod types;
