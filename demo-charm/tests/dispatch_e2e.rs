//! End to end: the built demo binary runs as `dispatch` with the JUJU_* variables set and
//! fake hook-tool executables first on PATH that record their argv and serve canned JSON.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};

use charm_runtime::prelude::*;

use jujuc::TOOLS;

struct FakeJuju {
    dir: PathBuf,
}

impl FakeJuju {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("demo-e2e-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::create_dir_all(dir.join("answers")).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fake-juju/hook-tool");
        for t in TOOLS {
            std::os::unix::fs::symlink(&script, dir.join("bin").join(t)).unwrap();
        }
        FakeJuju { dir }
    }

    fn key(cmdline: &str) -> String {
        cmdline.replace([' ', '/'], "_")
    }

    fn answer(&self, cmdline: &str, stdout: &str) -> &Self {
        std::fs::write(self.dir.join("answers").join(Self::key(cmdline)), stdout).unwrap();
        self
    }

    fn fail(&self, cmdline: &str, code: i32, stderr: &str) -> &Self {
        let f = self
            .dir
            .join("answers")
            .join(format!("{}.fail", Self::key(cmdline)));
        std::fs::write(f, format!("{code}\n{stderr}\n")).unwrap();
        self
    }

    /// Runs the demo binary for one hook.
    fn dispatch(&self, unit: &str, hook: &str, extra: &[(&str, &str)]) -> Output {
        self.dispatch_with(
            Command::new(env!("CARGO_BIN_EXE_demo-charm")),
            unit,
            hook,
            extra,
        )
    }

    /// Runs `cmd` as the charm's `dispatch` for one hook.
    fn dispatch_with(
        &self,
        mut cmd: Command,
        unit: &str,
        hook: &str,
        extra: &[(&str, &str)],
    ) -> Output {
        let path = format!(
            "{}:{}",
            self.dir.join("bin").display(),
            std::env::var("PATH").unwrap()
        );
        cmd.env_clear()
            .env("PATH", path)
            .env("FAKE_JUJU_DIR", &self.dir)
            .env("JUJU_DISPATCH_PATH", format!("hooks/{hook}"))
            .env("JUJU_HOOK_NAME", hook)
            .env("JUJU_UNIT_NAME", unit)
            .env("JUJU_MODEL_NAME", "charm-model")
            .env("JUJU_MODEL_UUID", "00000000-0000-4000-8000-000000000000")
            .env("JUJU_VERSION", "3.6.4")
            .env("JUJU_CHARM_DIR", &self.dir)
            .current_dir(&self.dir);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    /// Every recorded call as a command line (stdin appended as ` <<< ...`).
    fn calls(&self) -> Vec<String> {
        let Ok(text) = std::fs::read_to_string(self.dir.join("calls")) else {
            return Vec::new();
        };
        text.lines()
            .map(|l| {
                let mut out = String::new();
                for (i, f) in l.split('\u{1f}').enumerate() {
                    if let Some(stdin) = f.strip_prefix("stdin=") {
                        out.push_str(&format!(" <<< {}", stdin.trim_end()));
                    } else {
                        if i > 0 {
                            out.push(' ');
                        }
                        out.push_str(f);
                    }
                }
                out
            })
            .collect()
    }
}

impl Drop for FakeJuju {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn peer_env() -> Vec<(&'static str, &'static str)> {
    Vec::new()
}

fn scripted(name: &str, leader: bool) -> FakeJuju {
    let j = FakeJuju::new(name);
    j.answer("relation-ids fastapi-peer --format=json", r#"["fastapi-peer:1"]"#)
        .answer("is-leader --format=json", if leader { "true" } else { "false" })
        .answer(
            "relation-get --format=json -r fastapi-peer:1 --app - demo-api-charm",
            r#"{"unit_stats": "{\"started_counter\": 1}"}"#,
        )
        .answer(
            "relation-get --format=json -r fastapi-peer:1 - demo-api-charm/1",
            r#"{"egress-subnets":"10.1.0.0/16","ingress-address":"10.1.2.3","private-address":"10.1.2.3"}"#,
        )
        .answer("config-get --format=json", r#"{"server-port": 8000}"#)
        .answer("relation-ids database --format=json", "[]");
    j
}

fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn leader_start_counts_in_the_app_bag() {
    let j = scripted("leader", true);
    let out = j.dispatch("demo-api-charm/0", "start", &peer_env());
    assert_ok(&out);
    assert_eq!(
        j.calls(),
        [
            "relation-ids fastapi-peer --format=json",
            "is-leader --format=json",
            "relation-get --format=json -r fastapi-peer:1 --app - demo-api-charm",
            "config-get --format=json",
            "relation-ids database --format=json",
            r#"relation-set -r fastapi-peer:1 --app --file - <<< {"unit_stats":"{\"started_counter\": 2}"}"#,
            "status-set --application=False blocked -- Waiting for database relation",
        ]
    );
}

#[test]
fn non_leader_start_counts_in_its_own_unit_bag() {
    let j = scripted("follower", false);
    let out = j.dispatch("demo-api-charm/1", "start", &peer_env());
    assert_ok(&out);
    assert_eq!(
        j.calls(),
        [
            "relation-ids fastapi-peer --format=json",
            "is-leader --format=json",
            "relation-get --format=json -r fastapi-peer:1 - demo-api-charm/1",
            "config-get --format=json",
            "relation-ids database --format=json",
            r#"relation-set -r fastapi-peer:1 --file - <<< {"unit_stats":"{\"started_counter\": 1}"}"#,
            "status-set --application=False blocked -- Waiting for database relation",
        ]
    );
}

/// The demo has a collect-status handler, so an event it has no handler for costs exactly
/// collect-status's calls (as in ops, which evaluates status after every hook): config,
/// the database relation, and the status.
#[test]
fn unhandled_event_runs_only_collect_status() {
    let hooks: [(&str, &[(&str, &str)]); 5] = [
        ("stop", &[]),
        ("install", &[]),
        ("leader-elected", &[]),
        ("upgrade-charm", &[]),
        (
            "fastapi-peer-relation-changed",
            &[
                ("JUJU_RELATION", "fastapi-peer"),
                ("JUJU_RELATION_ID", "fastapi-peer:1"),
                ("JUJU_REMOTE_APP", "demo-api-charm"),
                ("JUJU_REMOTE_UNIT", "demo-api-charm/1"),
            ],
        ),
    ];
    for (hook, extra) in hooks {
        let j = scripted(hook, true);
        let out = j.dispatch("demo-api-charm/0", hook, extra);
        assert_ok(&out);
        assert_eq!(
            j.calls(),
            [
                "config-get --format=json",
                "relation-ids database --format=json",
                "status-set --application=False blocked -- Waiting for database relation",
            ],
            "{hook}"
        );
    }
}

/// `update-status` re-checks the workload and the scrape job: without a Pebble socket
/// (no container here) and without a `metrics-endpoint` relation that costs two reads
/// more than collect-status alone, and no write.
#[test]
fn update_status_reconciles_with_two_more_reads() {
    let j = scripted("update-status", true);
    j.answer("relation-ids metrics-endpoint --format=json", "[]");
    let out = j.dispatch("demo-api-charm/0", "update-status", &[]);
    assert_ok(&out);
    let calls = j.calls();
    assert_eq!(
        calls
            .iter()
            .filter(|c| !c.starts_with("juju-log"))
            .collect::<Vec<_>>(),
        [
            "config-get --format=json",
            "relation-ids database --format=json",
            "relation-ids metrics-endpoint --format=json",
            "status-set --application=False blocked -- Waiting for database relation",
        ]
    );
    assert!(
        calls.contains(
            &"juju-log --log-level INFO -- Pebble is not ready yet in demo-server".to_string()
        ),
        "{calls:#?}"
    );
}

/// A charm with a `start` handler and no collect-status handler. This test binary runs
/// it as a charm's `dispatch` in a child process (see [`quiet_charm_child`]).
#[derive(Default)]
struct Quiet;

#[charm(name = "quiet", summary = "Quiet", description = "Handles start only.")]
impl Quiet {
    #[on(start)]
    fn start(&self, model: &mut Model) {
        model.add_status(active("started"));
    }
}

/// Set in the child process that plays the quiet charm.
const QUIET_CHILD: &str = "DEMO_E2E_QUIET_CHARM";

/// Not a test on its own: in the child process started by
/// [`no_handler_and_no_collector_spawns_nothing`] (which sets [`QUIET_CHILD`]), this is
/// the quiet charm's `main`; in a normal test run it returns at once.
#[test]
fn quiet_charm_child() {
    if std::env::var_os(QUIET_CHILD).is_none() {
        return;
    }
    let code = charm_runtime::run::<Quiet>();
    std::process::exit(if code == ExitCode::SUCCESS { 0 } else { 1 });
}

/// The zero-cost rule, measured on a real process: a charm with neither a handler for the
/// event nor a collect-status handler spawns no hook tool; its `start` handler does run.
#[test]
fn no_handler_and_no_collector_spawns_nothing() {
    let quiet = |j: &FakeJuju, hook: &str| {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args(["--exact", "quiet_charm_child", "--test-threads=1", "-q"]);
        j.dispatch_with(cmd, "quiet/0", hook, &[(QUIET_CHILD, "1")])
    };
    for hook in [
        "update-status",
        "install",
        "leader-elected",
        "config-changed",
    ] {
        let j = FakeJuju::new(&format!("quiet-{hook}"));
        let out = quiet(&j, hook);
        assert_ok(&out);
        assert_eq!(j.calls(), Vec::<String>::new(), "{hook}");
    }
    let j = FakeJuju::new("quiet-start");
    assert_ok(&quiet(&j, "start"));
    assert_eq!(
        j.calls(),
        ["status-set --application=False active -- started"]
    );
}

/// Where collect-status does not run (Juju's restricted context, as in ops), an event the
/// charm has no handler for spawns no hook tool at all.
#[test]
fn restricted_hook_spawns_nothing() {
    let j = scripted("restricted", true);
    let out = j.dispatch("demo-api-charm/0", "collect-metrics", &[]);
    assert_ok(&out);
    assert_eq!(j.calls(), Vec::<String>::new());
}

#[test]
fn malformed_unit_stats_fails_the_hook_and_writes_nothing() {
    let j = scripted("malformed", true);
    j.answer(
        "relation-get --format=json -r fastapi-peer:1 --app - demo-api-charm",
        r#"{"unit_stats": "{\"started_counter\": \"many\"}"}"#,
    );
    let out = j.dispatch("demo-api-charm/0", "start", &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("hook `start` failed"), "{stderr}");
    assert!(
        stderr.contains("fastapi-peer:1") && stderr.contains("`unit_stats`"),
        "{stderr}"
    );
    let calls = j.calls();
    assert!(
        !calls
            .iter()
            .any(|c| c.starts_with("relation-set") || c.starts_with("status-set")),
        "{calls:#?}"
    );
    let log = calls.last().unwrap();
    assert!(
        log.starts_with("juju-log --log-level ERROR -- hook `start` failed"),
        "{log}"
    );
    assert!(log.contains("`unit_stats`"), "{log}");
}

#[test]
fn failing_tool_fails_the_hook_and_flushes_nothing() {
    let j = scripted("toolfail", true);
    j.fail("config-get --format=json", 1, "ERROR cannot get config");
    let out = j.dispatch("demo-api-charm/0", "start", &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("config-get --format=json` failed with exit code 1: ERROR cannot get config"),
        "{stderr}"
    );
    assert!(!j.calls().iter().any(|c| c.starts_with("relation-set")));
}

#[test]
fn missing_peer_relation_is_not_a_failure() {
    let j = scripted("nopeer", true);
    j.answer("relation-ids fastapi-peer --format=json", "[]");
    let out = j.dispatch("demo-api-charm/0", "start", &[]);
    assert_ok(&out);
    let calls = j.calls();
    assert!(
        calls
            .iter()
            .any(|c| c
                .starts_with("juju-log --log-level WARNING -- fastapi-peer does not exist yet")),
        "{calls:#?}"
    );
    assert!(!calls.iter().any(|c| c.starts_with("relation-set")));
}

#[test]
fn malformed_environment_is_reported_not_panicked() {
    let j = scripted("badenv", true);
    let out = j.dispatch(
        "demo-api-charm/0",
        "database-relation-changed",
        &[
            ("JUJU_RELATION", "database"),
            ("JUJU_RELATION_ID", "database:x"),
            ("JUJU_REMOTE_APP", "pg"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("JUJU_RELATION_ID"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(j.calls().is_empty());
}

#[test]
fn outside_juju_prints_metadata() {
    let out = Command::new(env!("CARGO_BIN_EXE_demo-charm"))
        .arg("metadata")
        .env_remove("JUJU_DISPATCH_PATH")
        .output()
        .unwrap();
    assert_ok(&out);
    let yaml = String::from_utf8(out.stdout).unwrap();
    assert!(yaml.contains("name: demo-api-charm"), "{yaml}");
    let out = Command::new(env!("CARGO_BIN_EXE_demo-charm"))
        .env_remove("JUJU_DISPATCH_PATH")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
