//! The key test: the unmodified `ops.pebble.Client` (ops 3.9.0, from the workspace's
//! `.venv`) drives the `pebbled` binary through `ops_client.py`: every client operation a
//! charm uses, and the error cases with the exception types and messages real Pebble gives.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn ops_pebble_client_suite_passes_against_pebbled() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let pebbled = manifest.parent().expect("the server sits in pebbled/");
    let workspace = pebbled.parent().expect("pebbled sits in the workspace");
    let python = workspace.join(".venv/bin/python");
    assert!(
        python.exists(),
        "the test venv is missing: {} (tools/python-venv.sh creates it with ops 3.9.0)",
        python.display()
    );
    let work = tempfile::tempdir().expect("a temporary directory");
    let output = Command::new(&python)
        .arg(pebbled.join("tests/ops_client.py"))
        .arg(env!("CARGO_BIN_EXE_pebbled"))
        .arg(work.path())
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "ops_client.py failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stdout.contains("ops.pebble.Client suite passed"),
        "{stdout}"
    );
}
