//! Killing `cargo charm sim` mid-command (issue 11 §2): SIGKILL to the cargo-charm process
//! alone, or to its whole process group, at many points across deploy, pod churn and
//! relate. Afterwards the next command recovers (it stops any hook left running and runs
//! the interrupted step again), the state loads, every hook's writes are all-or-nothing,
//! each unit's start counter equals the number of its `start` hooks that completed, no
//! unit is stuck, and the command after that works as usual.
//!
//! The charm counts, in each unit's own bags, with two keys written by one `relation-set`
//! (`n` and `copy`, always equal if the hook's writes are all-or-nothing): its starts in
//! the peer relation, its `db` relation hooks in the `db` relation.

mod common;

use common::counting::*;
use common::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `cargo-charm sim ARGS --state STATE -q` started in a process group of its own.
fn spawn(state: &Path, args: &[&str]) -> Child {
    use std::os::unix::process::CommandExt;
    Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
        .arg("sim")
        .args(args)
        .args(["--state", state.to_str().unwrap(), "-q"])
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap()
}

/// SIGKILL to the command alone (`group` false) or to its whole process group.
fn kill(child: &mut Child, group: bool) {
    if group {
        let pgid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
        let _ = rustix::process::kill_process_group(pgid, rustix::process::Signal::KILL);
    } else {
        let _ = child.kill();
    }
    child.wait().unwrap();
}

/// Runs `args` uninterrupted and returns how long it took.
fn timed(state: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    sim(state, args).ok();
    t.elapsed()
}

/// The command that comes next after a kill: it recovers, and must succeed.
fn recover(state: &Path, charm: &Path, what: &str) {
    let r = if state.join("model.json").exists() {
        sim(state, &["leader", &format!("{APP}/0")])
    } else {
        // Killed before the model was first saved: deploy again.
        sim(state, &["deploy", charm.to_str().unwrap(), "-n", "2"])
    };
    assert_eq!(r.code, 0, "{what}: the next command failed: {}", r.stderr);
}

/// `n` kill points spread over `duration`, alternating kill alone and kill the group.
fn points(n: usize, duration: Duration) -> impl Iterator<Item = (usize, Duration, bool)> {
    (0..n).map(move |i| (i, duration.mul_f64((i as f64 + 0.5) / n as f64), i % 2 == 1))
}

/// How many series of kill points run at once, each on a state directory of its own
/// (a command here mostly waits for the processes it starts: three series take the time
/// of about one and a half).
const LANES: usize = 3;

/// Runs `each(lane, i, at, group)` for the `n` [`points`] over `duration`, point `i` in
/// lane `i % LANES`, the lanes at once and each lane's points in order.
fn in_lanes(n: usize, duration: Duration, each: impl Fn(usize, usize, Duration, bool) + Sync) {
    std::thread::scope(|s| {
        for lane in 0..LANES {
            let each = &each;
            s.spawn(move || {
                for (i, at, group) in points(n, duration).filter(|(i, _, _)| i % LANES == lane) {
                    each(lane, i, at, group);
                }
            });
        }
    });
}

/// Deploys; kills; recovers; checks; then a pod churn must count one more start.
#[test]
fn killed_deploys_recover() {
    let dir = scratch("kill-deploy");
    let log = dir.join("hooks.log");
    let charm = counter_charm(&dir.join("charm"), "0.02", &log);
    let probe = dir.join("probe");
    let took = timed(&probe, &["deploy", charm.to_str().unwrap(), "-n", "2"]);
    check(&probe, "uninterrupted deploy");
    sim(&probe, &["destroy"]).ok();
    in_lanes(34, took, |_, i, at, group| {
        let state = dir.join(format!("s{i}"));
        let what = format!("deploy killed at {at:?} (group: {group})");
        let mut child = spawn(&state, &["deploy", charm.to_str().unwrap(), "-n", "2"]);
        std::thread::sleep(at);
        kill(&mut child, group);
        recover(&state, &charm, &what);
        check(&state, &what);
        if i % 4 == 0 {
            let before = committed_history(&state, "events").len();
            sim(&state, &["delete-pod", &format!("{APP}/1")]).ok();
            check(&state, &format!("{what}, then delete-pod"));
            assert!(committed_history(&state, "events").len() > before);
        }
        sim(&state, &["destroy"]).ok();
        assert!(!state.exists());
    });
}

/// A deploy long enough for its queue's front to be kept in `queue/<gen>.jsonl` (6 units:
/// about 100 steps, the peer joins), killed at points across its run: the next command
/// finishes it from the base file and `model.json`, nothing lost or run twice.
#[test]
fn killed_long_deploys_recover_from_the_queue_file() {
    let dir = scratch("kill-long-deploy");
    let log = dir.join("hooks.log");
    let charm = counter_charm(&dir.join("charm"), "0", &log);
    let deploy = ["deploy", charm.to_str().unwrap(), "-n", "6"];
    let probe = dir.join("probe");
    let took = timed(&probe, &deploy);
    check(&probe, "uninterrupted long deploy");
    sim(&probe, &["destroy"]).ok();
    let with_base = std::sync::atomic::AtomicUsize::new(0);
    in_lanes(12, took, |_, i, at, group| {
        let state = dir.join(format!("s{i}"));
        let what = format!("long deploy killed at {at:?} (group: {group})");
        let mut child = spawn(&state, &deploy);
        std::thread::sleep(at);
        kill(&mut child, group);
        let bases = std::fs::read_dir(state.join("queue"))
            .map(|d| d.count())
            .unwrap_or(0);
        if bases > 0 {
            with_base.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let r = if state.join("model.json").exists() {
            sim(&state, &["leader", &format!("{APP}/0")])
        } else {
            sim(&state, &deploy)
        };
        assert_eq!(r.code, 0, "{what}: the next command failed: {}", r.stderr);
        check(&state, &what);
        let units = model(&state)["apps"][APP]["units"]
            .as_object()
            .map_or(0, |u| u.len());
        assert_eq!(units, 6, "{what}");
        // Every unit saw every other join exactly once.
        let joins = committed_history(&state, "events")
            .iter()
            .filter(|e| {
                e["hook"].as_str().unwrap().ends_with("-relation-joined") && e["exit_code"] == 0
            })
            .count();
        assert_eq!(joins, 6 * 5, "{what}");
        sim(&state, &["destroy"]).ok();
    });
    assert!(
        with_base.into_inner() > 0,
        "no kill point found a queue file: the test does not test it"
    );
}

/// One model; delete-pod killed at points across its run, each followed by recovery.
#[test]
fn killed_pod_churn_recovers() {
    let dir = scratch("kill-churn");
    let log = dir.join("hooks.log");
    let charm = counter_charm(&dir.join("charm"), "0.02", &log);
    let states: Vec<_> = (0..LANES).map(|l| dir.join(format!("state{l}"))).collect();
    for state in &states {
        sim(state, &["deploy", charm.to_str().unwrap(), "-n", "2"]).ok();
    }
    let took = timed(&states[0], &["delete-pod", &format!("{APP}/0")]);
    check(&states[0], "uninterrupted delete-pod");
    in_lanes(34, took, |lane, i, at, group| {
        let state = &states[lane];
        let unit = format!("{APP}/{}", i % 2);
        let what = format!("delete-pod {unit} killed at {at:?} (group: {group})");
        let mut child = spawn(state, &["delete-pod", &unit]);
        std::thread::sleep(at);
        kill(&mut child, group);
        recover(state, &charm, &what);
        check(state, &what);
    });
    for state in &states {
        sim(state, &["destroy"]).ok();
    }
}

/// One model; relate and unrelate killed at points across their runs.
#[test]
fn killed_relate_and_unrelate_recover() {
    let dir = scratch("kill-relate");
    let log = dir.join("hooks.log");
    let charm = counter_charm(&dir.join("charm"), "0.02", &log);
    let states: Vec<_> = (0..LANES).map(|l| dir.join(format!("state{l}"))).collect();
    for state in &states {
        sim(state, &["deploy", charm.to_str().unwrap(), "-n", "2"]).ok();
    }
    let relate = [
        "relate",
        "db",
        "postgresql",
        "--units",
        "2",
        "--app-data",
        "a=b",
    ];
    let took_relate = timed(&states[0], &relate);
    check(&states[0], "uninterrupted relate");
    let took_unrelate = timed(&states[0], &["unrelate", "db", "postgresql"]);
    check(&states[0], "uninterrupted unrelate");
    in_lanes(17, took_relate, |lane, i, at, group| {
        let state = &states[lane];
        let what = format!("relate killed at {at:?} (group: {group})");
        let mut child = spawn(state, &relate);
        std::thread::sleep(at);
        kill(&mut child, group);
        recover(state, &charm, &what);
        check(state, &what);
        // Unrelate, killed at the matching point of its own run.
        let at = took_unrelate.mul_f64((i as f64 + 0.5) / 17.0);
        let what = format!("unrelate killed at {at:?} (group: {group})");
        let related = model(state)["relations"]
            .as_object()
            .unwrap()
            .values()
            .any(|r| r["endpoint"] == "db" && r["dying"] == false);
        if !related {
            // The kill came before relate saved anything: relate again, uninterrupted.
            sim(state, &relate).ok();
        }
        let mut child = spawn(state, &["unrelate", "db", "postgresql"]);
        std::thread::sleep(at);
        kill(&mut child, group);
        recover(state, &charm, &what);
        check(state, &what);
        let still = model(state)["relations"]
            .as_object()
            .unwrap()
            .values()
            .any(|r| r["endpoint"] == "db");
        if still {
            sim(state, &["unrelate", "db", "postgresql"]).ok();
        }
    });
    for state in &states {
        sim(state, &["destroy"]).ok();
    }
}

/// The defect the red team found, step by step: the command is killed while `start`
/// sleeps; the orphaned hook wakes up after the next command has started the step again.
/// Before the fix that command reused the same run directory, the orphan's write landed in
/// it, and the one `start` that completed was counted twice.
#[test]
fn a_hook_orphaned_by_a_kill_is_stopped_and_counted_once() {
    let dir = scratch("kill-orphan");
    let log = dir.join("hooks.log");
    let charm = counter_charm(&dir.join("charm"), "1", &log);
    let state = dir.join("state");
    let mut child = spawn(&state, &["deploy", charm.to_str().unwrap(), "-n", "1"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let orphan = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if let Some(line) = text.lines().find(|l| l.starts_with("hooks/start ")) {
            break line.split(' ').nth(1).unwrap().to_string();
        }
        assert!(Instant::now() < deadline, "start never ran: {text}");
        std::thread::sleep(Duration::from_millis(5));
    };
    std::thread::sleep(Duration::from_millis(300));
    kill(&mut child, false);
    assert!(
        !hooks_running(&state).is_empty(),
        "the hook (pid {orphan}) outlives the killed command"
    );
    let r = sim(&state, &["leader", &format!("{APP}/0")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("Directory not empty"), "{}", r.stderr);
    check(&state, "deploy killed while start slept");
    let m = model(&state);
    let bag = &m["relations"]["0"]["units"][format!("{APP}/0")]["data"];
    assert_eq!(bag["n"], "1", "one start completed: {bag}");
    // The orphan never wrote anything: it was stopped before the step ran again.
    std::thread::sleep(Duration::from_millis(1200));
    let m2 = model(&state);
    assert_eq!(m2["relations"], m["relations"]);
    sim(&state, &["destroy"]).ok();
}

/// A hook busy calling hook tools when its command is killed: the next command stops it
/// before it touches the run directory. Before the fix that command removed and reused the
/// same directory while the orphan kept writing into it, and failed with `ERROR removing
/// .../run/N: Directory not empty` (or counted the orphan's writes).
#[test]
fn a_busy_orphan_is_stopped_before_its_directory_is_removed() {
    let dir = scratch("kill-busy");
    let log = dir.join("hooks.log");
    let charm = shell_charm(
        &dir.join("charm"),
        "name: busy\nsummary: s\ndescription: d\n",
        None,
        &format!(
            r#"echo "$JUJU_DISPATCH_PATH $$" >> {}
case "$JUJU_DISPATCH_PATH" in
hooks/start)
  i=0; while [ $i -lt 200 ]; do status-set maintenance "busy $i"; i=$((i+1)); done ;;
esac"#,
            log.display()
        ),
    );
    for round in 0..3 {
        let state = dir.join(format!("state{round}"));
        let _ = std::fs::remove_file(&log);
        let mut child = spawn(&state, &["deploy", charm.to_str().unwrap()]);
        let deadline = Instant::now() + Duration::from_secs(20);
        while !std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("hooks/start")
        {
            assert!(Instant::now() < deadline, "start never ran");
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(100));
        kill(&mut child, round % 2 == 1);
        let r = sim(&state, &["leader", "busy/0"]);
        assert_eq!(r.code, 0, "round {round}: {}", r.stderr);
        assert!(hooks_running(&state).is_empty(), "round {round}");
        // The start that completed is the one the model shows.
        let m = model(&state);
        let starts = committed_history(&state, "events")
            .iter()
            .filter(|e| e["hook"] == "start" && e["exit_code"] == 0)
            .count();
        assert_eq!(starts, 1, "round {round}");
        assert_eq!(
            m["apps"]["busy"]["units"]["0"]["status"]["message"],
            "busy 199"
        );
        sim(&state, &["destroy"]).ok();
    }
}

/// A hook that leaves a process behind calling a hook tool in a loop: the tool calls that
/// come after the dispatch ended find no dispatch (and write nothing), and removing the
/// run directory never fails (it was `ERROR removing .../run/N: Directory not empty`).
#[test]
fn tools_called_after_the_hook_ended_write_nothing() {
    let dir = scratch("kill-late-tools");
    let charm = shell_charm(
        &dir.join("charm"),
        "name: late\nsummary: s\ndescription: d\n",
        None,
        r#"case "$JUJU_DISPATCH_PATH" in
hooks/install)
  ( i=0; while [ $i -lt 200 ]; do status-set maintenance "late $i" 2>/dev/null; juju-log "late $i" 2>/dev/null; i=$((i+1)); done ) >/dev/null 2>&1 &
  ;;
esac"#,
    );
    for round in 0..2 {
        let state = dir.join(format!("state{round}"));
        let r = sim(&state, &["deploy", charm.to_str().unwrap(), "-n", "2"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        for _ in 0..3 {
            let r = sim(&state, &["delete-pod", "late/0"]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            assert!(!r.stderr.contains("Directory not empty"), "{}", r.stderr);
        }
        // The loops end on their own; then nothing is left in run/.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !hooks_running(&state).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        sim(&state, &["status"]).ok();
        let left: Vec<_> = std::fs::read_dir(state.join("run"))
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "{left:?}");
        sim(&state, &["destroy"]).ok();
    }
}
