//! `cargo charm`: being written.
fn main() {}
