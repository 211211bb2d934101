//! `pebbled`: one container's Pebble on a unix socket, for tests and for the simulator to
//! spawn (a package apart from the library: see its Cargo.toml). `pebbled --socket PATH --root DIR [--state FILE] [--uid N]`.

use std::path::PathBuf;

use clap::Parser;
use pebbled::{Caller, Pebble, Server, SharedPebble};

/// Serves Pebble's API for one container on a unix socket.
#[derive(Parser, Debug)]
#[command(name = "pebbled", version)]
struct Args {
    /// The unix socket to listen on (a stale socket there is replaced).
    #[arg(long)]
    socket: PathBuf,
    /// The host directory that is the container's `/` (created if missing).
    #[arg(long)]
    root: PathBuf,
    /// A JSON file holding the state: read at start if it exists, written after each change.
    #[arg(long)]
    state: Option<PathBuf>,
    /// The uid requests are attributed to (custom notices record it).
    #[arg(long, default_value_t = 0)]
    uid: u32,
}

fn main() {
    let args = Args::parse();
    if let Err(err) = run(args) {
        eprintln!("pebbled: {err}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), String> {
    std::fs::create_dir_all(&args.root)
        .map_err(|err| format!("cannot create {}: {err}", args.root.display()))?;
    let mut state = match &args.state {
        Some(path) if path.exists() => Pebble::load(path)?,
        _ => Pebble::default(),
    };
    state.root = Some(args.root.clone());
    let shared = SharedPebble::with_options(state, args.state.clone(), Caller { uid: args.uid });
    let server = Server::bind(&args.socket, shared)
        .map_err(|err| format!("cannot listen on {}: {err}", args.socket.display()))?;
    eprintln!("pebbled: listening on {}", server.socket().display());
    loop {
        std::thread::park();
    }
}
