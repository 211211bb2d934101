//! Tests of the Pebble client, one file per part.

mod duration;
mod layer;
mod types;
