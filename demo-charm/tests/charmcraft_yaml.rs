//! The checked-in `charmcraft.yaml` at the workspace root is generated from the demo
//! charm's code. This test fails when they differ; `UPDATE_CHARMCRAFT=1` rewrites it.

use charm_runtime::Charm;
use demo_charm::DemoCharm;
use std::path::Path;

#[test]
fn charmcraft_yaml_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../charmcraft.yaml");
    let generated = DemoCharm::metadata().to_charmcraft_yaml();
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk == generated {
        return;
    }
    if std::env::var_os("UPDATE_CHARMCRAFT").is_some() {
        std::fs::write(&path, &generated).unwrap();
        eprintln!("updated {}; commit it", path.display());
        return;
    }
    panic!(
        "{} is out of date with the demo charm's code.\n\
         Regenerate it with `UPDATE_CHARMCRAFT=1 cargo test -p demo-charm --test charmcraft_yaml`.\n\
         --- generated ---\n{generated}",
        path.display()
    );
}

/// The header's regeneration command is true: `demo-charm metadata > charmcraft.yaml`
/// writes exactly the generated file.
#[test]
fn the_header_names_the_command_that_regenerates_it() {
    let generated = DemoCharm::metadata().to_charmcraft_yaml();
    assert!(
        generated
            .lines()
            .nth(1)
            .is_some_and(|l| l == "# Regenerate with: demo-charm metadata > charmcraft.yaml"),
        "{generated}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_demo-charm"))
        .arg("metadata")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), generated);
}
