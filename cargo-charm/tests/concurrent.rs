//! Two (or more) commands at once on one state directory (issue 11 §2), as real
//! concurrent processes: they take turns (the state directory's lock), each sees what the
//! one before it did, and the state stays consistent: no step lost or counted twice (each
//! unit's start counter equals its completed `start` hooks, dispatch numbers unique), no
//! hook left running, no run directory left, and `destroy` racing with other commands
//! leaves either a model that works or no directory at all.

mod common;

use common::counting::*;
use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Starts `cargo-charm sim ARGS --state STATE -q` (output captured).
fn start(state: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
        .arg("sim")
        .args(args)
        .args(["--state", state.to_str().unwrap(), "-q"])
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Starts every command at once, then waits for all: `(args, exit code, stderr)`.
fn at_once<'a>(state: &Path, commands: &[&'a [&'a str]]) -> Vec<(&'a [&'a str], i32, String)> {
    let children: Vec<Child> = commands.iter().map(|c| start(state, c)).collect();
    children
        .into_iter()
        .zip(commands)
        .map(|(child, c)| {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            (*c, out.status.code().unwrap_or(-1), stderr)
        })
        .collect()
}

/// Stderr without the line a command prints while it waits for the lock.
fn errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| !l.starts_with("waiting for another cargo-charm command using "))
        .collect()
}

fn starts(state: &Path) -> usize {
    committed_history(state, "events")
        .iter()
        .filter(|e| e["hook"] == "start" && e["exit_code"] == 0)
        .count()
}

#[test]
fn deploys_at_once_make_one_model() {
    let dir = scratch("concurrent-deploy");
    let charm = counter_charm(&dir.join("charm"), "0", &dir.join("hooks.log"));
    let charm = charm.to_str().unwrap();
    for round in 0..3 {
        let state = dir.join(format!("state{round}"));
        let deploy: &[&str] = &["deploy", charm, "-n", "2"];
        let ran = at_once(&state, &[deploy, deploy, deploy, deploy]);
        let ok = ran.iter().filter(|(_, code, _)| *code == 0).count();
        assert_eq!(ok, 1, "round {round}: {ran:?}");
        for (_, code, stderr) in ran.iter().filter(|(_, code, _)| *code != 0) {
            assert_eq!(*code, 1);
            let lines = errors(stderr);
            assert_eq!(lines.len(), 1, "{stderr}");
            assert!(
                lines[0].starts_with("ERROR a model already exists in "),
                "{stderr}"
            );
        }
        check(&state, &format!("round {round}"));
        assert_eq!(starts(&state), 2);
        sim(&state, &["destroy"]).ok();
        assert!(!state.exists());
    }
}

#[test]
fn changes_at_once_all_happen_once() {
    let dir = scratch("concurrent-changes");
    let charm = counter_charm(&dir.join("charm"), "0.01", &dir.join("hooks.log"));
    let state = dir.join("state");
    sim(&state, &["deploy", charm.to_str().unwrap(), "-n", "2"]).ok();
    sim(&state, &["relate", "db", "postgresql", "--units", "1"]).ok();
    const ROUNDS: usize = 4;
    let mut commands_run = 0;
    for round in 0..ROUNDS {
        let before = starts(&state);
        let leader = format!("{APP}/{}", round % 2);
        let data = format!("round={round}");
        let mut commands: Vec<&[&str]> = vec![
            &["delete-pod", "counter/0"],
            &["delete-pod", "counter/1"],
            &["add-secret", "postgresql", "token=t"],
            &["status"],
            &["show-unit", "counter/1"],
        ];
        let leader_cmd = ["leader", leader.as_str()];
        commands.push(&leader_cmd);
        let set_data = ["set-data", "db", "postgresql", data.as_str()];
        commands.push(&set_data);
        let relate: &[&str] = &["relate", "db", "mysql", "--units", "2"];
        let unrelate: &[&str] = &["unrelate", "db", "mysql"];
        match round {
            1 => commands.push(relate),
            3 => commands.push(unrelate),
            _ => {}
        }
        let ran = at_once(&state, &commands);
        commands_run += ran.len();
        for (c, code, stderr) in &ran {
            assert_eq!(*code, 0, "round {round}: {c:?}: {stderr}");
            assert!(errors(stderr).is_empty(), "round {round}: {c:?}: {stderr}");
        }
        let what = format!("round {round}");
        check(&state, &what);
        // Each delete-pod ran its unit's start once: two more, never three or one.
        assert_eq!(starts(&state), before + 2, "{what}");
        let m = model(&state);
        assert_eq!(
            m["apps"]["counter"]["leader"],
            Value::from(leader.as_str()),
            "{what}"
        );
        assert_eq!(m["secrets"].as_array().unwrap().len(), round + 1, "{what}");
        let relations: Vec<&Value> = m["relations"].as_object().unwrap().values().collect();
        let pg = relations
            .iter()
            .find(|r| r["remote_app"] == "postgresql")
            .unwrap();
        assert_eq!(pg["remote_app_data"]["round"], round.to_string(), "{what}");
        let mysql = relations.iter().any(|r| r["remote_app"] == "mysql");
        assert_eq!(mysql, (1..3).contains(&round), "{what}");
    }
    sim(&state, &["destroy"]).ok();
    eprintln!("{ROUNDS} rounds, {commands_run} commands run at once");
}

#[test]
fn destroy_racing_other_commands_leaves_a_model_or_nothing() {
    let dir = scratch("concurrent-destroy");
    let charm = counter_charm(&dir.join("charm"), "0", &dir.join("hooks.log"));
    let charm = charm.to_str().unwrap();
    for round in 0..3 {
        let state = dir.join(format!("state{round}"));
        sim(&state, &["deploy", charm, "-n", "2"]).ok();
        let deploy: &[&str] = &["deploy", charm, "-n", "2"];
        let ran = at_once(
            &state,
            &[
                &["delete-pod", "counter/0"],
                &["destroy"],
                &["status"],
                &["leader", "counter/1"],
                deploy,
            ],
        );
        for (c, code, stderr) in &ran {
            let lines = errors(stderr);
            match code {
                0 => assert!(lines.is_empty(), "round {round}: {c:?}: {stderr}"),
                1 => {
                    assert_eq!(lines.len(), 1, "round {round}: {c:?}: {stderr}");
                    assert!(
                        lines[0].starts_with("ERROR no model in ")
                            || lines[0].starts_with("ERROR a model already exists in "),
                        "round {round}: {c:?}: {stderr}"
                    );
                }
                _ => panic!("round {round}: {c:?}: exit {code}: {stderr}"),
            }
        }
        assert_eq!(ran[1].1, 0, "destroy always succeeds: {}", ran[1].2);
        let outcome: Vec<String> = ran
            .iter()
            .map(|(c, code, _)| format!("{} {code}", c[0]))
            .collect();
        eprintln!("round {round}: {}", outcome.join(", "));
        // The deploy that came after the destroy made a new model, else nothing is left.
        if state.exists() {
            assert_eq!(
                ran[4].1, 0,
                "round {round}: a directory is left without a deploy"
            );
            check(&state, &format!("round {round}, deployed again"));
            sim(&state, &["destroy"]).ok();
        }
        assert!(!state.exists(), "round {round}");
        assert!(hooks_running(&state).is_empty(), "round {round}");
    }
}
