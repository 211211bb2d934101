//! Tests of the Pebble client, one file per part; `server` is a scripted Pebble on a real
//! Unix socket.

mod container;
mod duration;
mod files;
mod layer;
mod operations;
mod server;
mod transport;
mod types;
