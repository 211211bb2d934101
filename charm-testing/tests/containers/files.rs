//! Files: host paths mounted into the container (push and pull round-trip through them,
//! changes are written back), files seeded in the state and read back from the output,
//! listing, directories and removal, Pebble's errors.

use super::{ctx, web};
use charm_testing::{Event, Output, RunError, State};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn action(name: &str, params: &[(&str, &str)], state: &State) -> Output {
    ctx()
        .run(Event::action(name, params.to_vec()), state)
        .unwrap()
}

fn action_err(name: &str, params: &[(&str, &str)], state: &State) -> String {
    match ctx().run(Event::action(name, params.to_vec()), state) {
        Err(RunError::Failed(f)) => f.error.to_string(),
        Err(other) => panic!("expected the charm to fail, got {other}"),
        Ok(_) => panic!("expected the charm to fail, it succeeded"),
    }
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn push_and_pull_round_trip_through_a_mount() {
    let host = tempfile::tempdir().unwrap();
    fs::write(host.path().join("existing.conf"), "port: 8080\n").unwrap();
    let state = State::builder()
        .container(web().mount("/etc/srv", host.path()))
        .build();

    // Pull: the charm reads what the test put in the host directory.
    let out = action("pull", &[("path", "/etc/srv/existing.conf")], &state);
    assert_eq!(out.action_results["content"], "port: 8080\n");
    assert_eq!(
        out.pebble_lines(),
        [
            "GET /v1/files?action=read&path=/etc/srv/existing.conf",
            "GET /v1/services?names=srv"
        ]
    );

    // Push: the test finds the file in the host directory, with its permissions.
    let out = action(
        "push",
        &[
            ("path", "/etc/srv/conf.d/new.conf"),
            ("content", "debug: true\n"),
        ],
        &state,
    );
    let pushed = host.path().join("conf.d/new.conf");
    assert_eq!(fs::read_to_string(&pushed).unwrap(), "debug: true\n");
    assert_eq!(mode(&pushed), 0o640);
    // Files in mounts are not in `files`: they are in the host path.
    assert!(out.container("web").unwrap().files.is_empty());
    assert_eq!(
        out.container("web").unwrap().mounts["/etc/srv"],
        host.path()
    );

    // And the charm reads it back in the next run.
    let out = action("pull", &[("path", "/etc/srv/conf.d/new.conf")], &out.state);
    assert_eq!(out.action_results["content"], "debug: true\n");
}

#[test]
fn a_single_file_can_be_mounted() {
    let host = tempfile::tempdir().unwrap();
    let file = host.path().join("srv.conf");
    fs::write(&file, "a\n").unwrap();
    let state = State::builder()
        .container(web().mount("/etc/srv.conf", &file))
        .build();
    let out = action("pull", &[("path", "/etc/srv.conf")], &state);
    assert_eq!(out.action_results["content"], "a\n");
    action(
        "push",
        &[("path", "/etc/srv.conf"), ("content", "b\n")],
        &state,
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "b\n");
}

#[test]
fn files_outside_mounts_live_in_the_state() {
    let state = State::builder()
        .container(web().file("/srv/seed.txt", "seeded"))
        .build();
    let out = action("pull", &[("path", "/srv/seed.txt")], &state);
    assert_eq!(out.action_results["content"], "seeded");

    let out = action(
        "push",
        &[("path", "/var/lib/srv/state.json"), ("content", "{}")],
        &state,
    );
    let c = out.container("web").unwrap();
    assert_eq!(
        c.file_text("/var/lib/srv/state.json").as_deref(),
        Some("{}")
    );
    assert_eq!(c.file_text("/srv/seed.txt").as_deref(), Some("seeded"));
    assert_eq!(c.files.len(), 2);

    // The output is the next run's input.
    let out = action("pull", &[("path", "/var/lib/srv/state.json")], &out.state);
    assert_eq!(out.action_results["content"], "{}");
}

#[test]
fn list_files_sees_mounts_and_seeded_files() {
    let host = tempfile::tempdir().unwrap();
    fs::write(host.path().join("a.txt"), "a").unwrap();
    fs::write(host.path().join("b.log"), "b").unwrap();
    fs::create_dir(host.path().join("sub")).unwrap();
    let state = State::builder()
        .container(web().mount("/data", host.path()).file("/data2/c.txt", "c"))
        .build();

    let out = action("list", &[("path", "/data")], &state);
    let listed = &out.action_results["files"];
    let names: Vec<&str> = listed
        .split(' ')
        .map(|f| f.rsplit_once(':').unwrap().0)
        .collect();
    assert_eq!(names, ["a.txt:file", "b.log:file", "sub:directory"]);

    let out = action("list", &[("path", "/data"), ("pattern", "*.txt")], &state);
    assert!(out.action_results["files"].starts_with("a.txt:file:"));
    assert!(!out.action_results["files"].contains(' '));
    assert_eq!(
        out.pebble_calls[0].query,
        // ops' order: path, pattern, then action.
        [
            ("path".to_string(), "/data".to_string()),
            ("pattern".to_string(), "*.txt".to_string()),
            ("action".to_string(), "list".to_string()),
        ]
    );

    let out = action("list", &[("path", "/data2")], &state);
    assert!(out.action_results["files"].starts_with("c.txt:file:"));

    let err = action_err("list", &[("path", "/nope")], &state);
    assert!(err.contains("not-found"), "{err}");
}

#[test]
fn directories_and_removal_are_written_back_to_the_mount() {
    let host = tempfile::tempdir().unwrap();
    fs::write(host.path().join("old.txt"), "old").unwrap();
    fs::create_dir_all(host.path().join("cache/deep")).unwrap();
    fs::write(host.path().join("cache/deep/x"), "x").unwrap();
    let state = State::builder()
        .container(web().mount("/var/srv", host.path()))
        .build();

    action("make-dir", &[("path", "/var/srv/new/inner")], &state);
    assert!(host.path().join("new/inner").is_dir());

    action("remove", &[("path", "/var/srv/old.txt")], &state);
    assert!(!host.path().join("old.txt").exists());

    action("remove", &[("path", "/var/srv/cache")], &state);
    assert!(!host.path().join("cache").exists());
    assert!(host.path().join("new/inner").is_dir());

    // Removing the mount point itself leaves the host path alone.
    action("remove", &[("path", "/var/srv")], &state);
    assert!(host.path().join("new/inner").is_dir());
}

#[test]
fn pebbles_file_errors_reach_the_charm() {
    let state = State::builder().container(web()).build();
    let err = action_err("pull", &[("path", "/etc/missing")], &state);
    assert!(
        err.contains("not-found - stat /etc/missing: no such file or directory"),
        "{err}"
    );
    let err = action_err("push", &[("path", "relative"), ("content", "x")], &state);
    assert!(err.contains("paths must be absolute"), "{err}");
}

#[test]
fn a_container_that_cannot_connect_leaves_its_mount_alone() {
    let host = tempfile::tempdir().unwrap();
    fs::write(host.path().join("keep.txt"), "keep").unwrap();
    let state = State::builder()
        .container(web().can_connect(false).mount("/data", host.path()))
        .build();
    let err = action_err("push", &[("path", "/data/new"), ("content", "x")], &state);
    assert!(err.contains("cannot connect"), "{err}");
    assert!(!host.path().join("new").exists());
    assert_eq!(
        fs::read_to_string(host.path().join("keep.txt")).unwrap(),
        "keep"
    );
}
