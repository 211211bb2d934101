//! The hook tools. The simulator puts symlinks named after every tool on the hook's
//! `PATH`, all pointing at the cargo-charm binary (as Juju's tools all point at `jujuc`);
//! started under a tool's name, the binary loads the dispatch's world and context from
//! the directory in [`HOOK_DIR_VAR`], runs the tool with `jujuc::run_tool`,
//! saves both back and exits as the tool would.

use crate::fsutil::{self, Lock};
use jujuc::{run_tool, HookContext, UnitWorld};
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// The variable that tells the tools where the current dispatch's files are.
pub const HOOK_DIR_VAR: &str = "CARGO_CHARM_HOOK_DIR";

/// Every hook tool of juju-protocol.md §2 (the names the tools directory holds).
pub use jujuc::TOOLS;

/// Whether the program was started as a hook tool.
pub fn is_tool(name: &str) -> bool {
    TOOLS.contains(&name)
}

/// Whether the tool reads its input from stdin (`--file -`).
// Not a parser: jujuc parses the argv; this peek only decides whether to read stdin first.
fn reads_stdin(args: &[String]) -> bool {
    args.windows(2).any(|w| w[0] == "--file" && w[1] == "-") || args.iter().any(|a| a == "--file=-")
}

fn fail(tool: &str, msg: &str) -> ExitCode {
    eprintln!("ERROR {tool}: {msg}");
    ExitCode::from(1)
}

/// Runs as the hook tool `tool`.
pub fn main(tool: &str, args: Vec<String>) -> ExitCode {
    let Some(dir) = std::env::var_os(HOOK_DIR_VAR) else {
        return fail(
            tool,
            &format!("not running in a hook of `cargo charm sim` ({HOOK_DIR_VAR} is not set)"),
        );
    };
    let dir = Path::new(&dir);
    let stdin = if reads_stdin(&args) {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            return fail(tool, &format!("reading stdin: {e}"));
        }
        Some(s)
    } else {
        None
    };
    // The dispatch made the lock file; a call after the dispatch ended finds none (and
    // creates nothing in a directory being removed).
    let _lock = match Lock::existing(&dir.join("lock")) {
        Ok(l) => l,
        Err(e) => return fail(tool, &e.message),
    };
    let load = |name: &str| -> Result<Vec<u8>, String> {
        std::fs::read(dir.join(name)).map_err(|e| format!("reading {name}: {e}"))
    };
    let world: Result<UnitWorld, String> = load("world.json")
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| format!("world.json: {e}")));
    let context: Result<HookContext, String> = load("context.json")
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| format!("context.json: {e}")));
    let (mut world, mut context) = match (world, context) {
        (Ok(w), Ok(c)) => (w, c),
        (Err(e), _) | (_, Err(e)) => return fail(tool, &e),
    };
    let world_before = world.clone();
    let out = run_tool(&mut world, &mut context, tool, &args, stdin.as_deref());
    let save = |name: &str, bytes: Vec<u8>| fsutil::write_replace(&dir.join(name), &bytes, false);
    // The world changes only on immediate effects (status, version, secret ids).
    let saved = if world == world_before {
        Ok(())
    } else {
        serde_json::to_vec(&world)
            .map_err(|e| e.to_string())
            .and_then(|w| save("world.json", w).map_err(|e| e.message))
    };
    let saved = saved
        .and_then(|_| serde_json::to_vec(&context).map_err(|e| e.to_string()))
        .and_then(|c| save("context.json", c).map_err(|e| e.message));
    if let Err(e) = saved {
        return fail(tool, &e);
    }
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(out.code.clamp(0, 255) as u8)
}
