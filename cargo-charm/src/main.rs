//! `cargo charm`: pack a Rust charm into a `.charm` a real Juju accepts, and run charms
//! (Rust or not) on a local simulated Juju model that speaks Juju's protocol: the same
//! dispatch environment, the same hook tools (with `jujuc` answering as
//! Juju does), the same event order.
//!
//! Installed, it runs as `cargo charm <command>`; inside this repository as
//! `cargo run -p cargo-charm -- <command>`. Started under the name of a hook tool
//! (`relation-get`, ...), the binary is that tool (see [`sim::tool`]); started as `juju`
//! (`cargo charm juju-shim DIR` makes the link) or as `cargo charm juju`, it is the Juju CLI
//! over simulated models (see [`juju`]).

#![warn(missing_docs)]

mod archive;
mod cli;
mod commands;
mod error;
mod exe;
mod fsutil;
mod juju;
mod pack;
mod progress;
mod runs_on;
mod sim;
mod usage;
mod workspace;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    let argv0 = args
        .first()
        .and_then(|a| Path::new(a).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // `juju` (the `juju-shim` symlink): the Juju CLI over the simulator.
    if argv0 == "juju" {
        return juju::main(args.split_off(1));
    }
    // A hook tool (a symlink named after it): no command-line parsing of ours at all.
    if sim::tool::is_tool(&argv0) {
        return sim::tool::main(&argv0, args.split_off(1));
    }
    args.remove(0);
    // `cargo charm ...` runs `cargo-charm charm ...`.
    if args.first().map(String::as_str) == Some("charm") {
        args.remove(0);
    }
    // `cargo charm juju ARGS`: the same as the `juju` symlink, arguments untouched.
    if args.first().map(String::as_str) == Some("juju") {
        return juju::main(args.split_off(1));
    }
    let result = usage::parse::<cli::Cli>(&args).and_then(|cli| match cli {
        Some(cli) => commands::run(cli),
        None => Ok(()),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ERROR {}", e.message);
            ExitCode::from(e.code)
        }
    }
}
