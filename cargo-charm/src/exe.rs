//! The `cargo-charm` binary itself, which the simulator runs again as hook tools, hook
//! wrapper (`__hook`) and Pebble server.

use std::io;
use std::path::PathBuf;

/// The path of the `cargo-charm` binary. In this crate's unit tests the running program
/// is the test harness, so the binary cargo builds beside it (`target/<profile>/cargo-charm`)
/// is used instead.
pub fn path() -> io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    if cfg!(test) {
        // target/<profile>/deps/cargo_charm-<hash> -> target/<profile>/cargo-charm
        if let Some(profile_dir) = exe.parent().and_then(|deps| deps.parent()) {
            let bin = profile_dir.join("cargo-charm");
            if bin.is_file() {
                return Ok(bin);
            }
        }
    }
    Ok(exe)
}
