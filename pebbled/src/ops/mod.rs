//! The operations on a [`crate::Pebble`], one module per area, kept apart from the
//! record types the state holds (so the state and its parts do not import each other).

mod changes;
mod checks;
mod notices;
mod services;
