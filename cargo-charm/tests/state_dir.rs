//! Which directories the simulator may touch (issue 11): only a state directory it made,
//! marked as such when it made it. A user's directory that merely holds names a state
//! directory holds (`build/`, `charm/`, `run/`, `tools/`, `units/`) is never destroyed,
//! deployed into or locked, whatever the command.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// A tiny charm with one unit and no containers.
fn tiny_charm(dir: &Path) -> PathBuf {
    shell_charm(
        &dir.join("tiny"),
        "name: tiny\nsummary: s\ndescription: d\n",
        None,
        "exit 0",
    )
}

fn sim_in(state: &Path, args: &[&str]) -> Run {
    let mut all = vec!["sim"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--state", state.to_str().unwrap(), "-q"]);
    cargo_charm(&all)
}

/// A user's directory holding `names` (each a directory with a file in it).
fn users_dir(name: &str, names: &[&str]) -> PathBuf {
    let dir = scratch(name).join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    for n in names {
        std::fs::create_dir_all(dir.join(n)).unwrap();
        std::fs::write(dir.join(n).join("precious.txt"), format!("my {n}")).unwrap();
    }
    dir
}

#[test]
fn destroy_never_deletes_a_directory_the_simulator_did_not_make() {
    let charm = tiny_charm(&scratch("tiny-for-destroy"));
    let cases: &[&[&str]] = &[
        &["build"],
        &["charm"],
        &["run"],
        &["tools"],
        &["units"],
        &["build", "charm", "run", "tools", "units"],
    ];
    for names in cases {
        let dir = users_dir(&format!("destroy-users-{}", names.join("-")), names);
        let before = snapshot(&dir);
        for args in [
            &["destroy"][..],
            &["status"],
            &["events"],
            &["delete-pod", "tiny/0"],
            &["deploy", charm.to_str().unwrap()],
        ] {
            let r = sim_in(&dir, args);
            assert_eq!(r.code, 1, "{names:?} {args:?}: {}", r.stderr);
            assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
            assert!(
                r.stderr.contains("is not a cargo-charm state directory"),
                "{names:?} {args:?}: {}",
                r.stderr
            );
            assert_eq!(snapshot(&dir), before, "{names:?} {args:?} changed it");
            assert!(!dir.join("lock").exists(), "{args:?} left a lock file");
        }
    }
}

#[test]
fn deploy_never_wipes_an_existing_units_directory() {
    let charm = tiny_charm(&scratch("deploy-units-charm"));
    let dir = users_dir("deploy-units", &["units"]);
    let before = snapshot(&dir);
    let r = sim_in(&dir, &["deploy", charm.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(snapshot(&dir), before);
    assert_eq!(
        std::fs::read_to_string(dir.join("units/precious.txt")).unwrap(),
        "my units"
    );
}

#[test]
fn no_command_leaves_a_lock_in_a_directory_that_is_not_a_state_directory() {
    let dir = scratch("no-lock").join("plain");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let before = snapshot(&dir);
    for args in [
        &["status"][..],
        &["events"],
        &["debug-log"],
        &["show-unit", "x/0"],
        &["config"],
        &["config", "a=b"],
        &["scale", "2"],
        &["destroy"],
        &["deploy", "/nonexistent.charm"],
    ] {
        let r = sim_in(&dir, args);
        assert_ne!(r.code, 0, "{args:?}");
        assert_eq!(snapshot(&dir), before, "{args:?} changed the directory");
    }
    // An empty directory is not a state directory either, until `deploy` makes it one.
    let empty = scratch("no-lock-empty").join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    for args in [&["status"][..], &["destroy"], &["scale", "2"]] {
        assert_ne!(sim_in(&empty, args).code, 0);
        assert!(snapshot(&empty).is_empty(), "{args:?} wrote into it");
    }
}

#[test]
fn deploy_marks_what_it_makes_and_destroy_removes_exactly_that() {
    let charm = tiny_charm(&scratch("marked-charm"));
    // A new directory, and an existing empty one: both become state directories.
    let parent = scratch("marked");
    for state in [parent.join("new/state"), parent.join("empty")] {
        if state.ends_with("empty") {
            std::fs::create_dir_all(&state).unwrap();
        }
        sim_in(&state, &["deploy", charm.to_str().unwrap()]).ok();
        assert!(state.join(".cargo-charm-state").is_file());
        sim_in(&state, &["status"]).ok();
        sim_in(&state, &["destroy"]).ok();
        assert!(!state.exists(), "destroy removes the directory it made");
    }
    // A user's file put into a state directory stops destroy; nothing is removed.
    let state = parent.join("mixed");
    sim_in(&state, &["deploy", charm.to_str().unwrap()]).ok();
    std::fs::write(state.join("mine.txt"), "mine").unwrap();
    let before = snapshot(&state);
    let r = sim_in(&state, &["destroy"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("holds `mine.txt`"), "{}", r.stderr);
    assert_eq!(snapshot(&state), before);
    std::fs::remove_file(state.join("mine.txt")).unwrap();
    sim_in(&state, &["destroy"]).ok();
    assert!(!state.exists());
}
