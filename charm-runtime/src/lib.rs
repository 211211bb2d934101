//! # charm-runtime
//!
//! Write Juju charms in Rust. See the README for the tour.

#![warn(missing_docs)]

pub mod event;
pub mod metadata;
