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
            r#"relation-set -r fastapi-peer:1 --app --file - <<< {"unit_stats": "{\"started_counter\": 2}"}"#,
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
            r#"relation-set -r fastapi-peer:1 --file - <<< {"unit_stats": "{\"started_counter\": 1}"}"#,
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

/// The peer relation's application bag (leader) or this unit's bag (follower) already at
/// `u64::MAX`: the count refuses to wrap to 0 (issue 11, demo). The hook fails, naming the
/// relation, bag and key, nothing is written (no `relation-set`, no status), and Juju keeps
/// the stored value untouched.
#[test]
fn a_counter_at_its_maximum_refuses_and_writes_nothing() {
    let max = format!(
        r#"{{"unit_stats": "{{\"started_counter\": {}}}"}}"#,
        u64::MAX
    );
    for (leader, unit, bag, read) in [
        (
            true,
            "demo-api-charm/0",
            "application bag",
            "relation-get --format=json -r fastapi-peer:1 --app - demo-api-charm",
        ),
        (
            false,
            "demo-api-charm/1",
            "unit bag",
            "relation-get --format=json -r fastapi-peer:1 - demo-api-charm/1",
        ),
    ] {
        let j = scripted(if leader { "max-leader" } else { "max-follower" }, leader);
        j.answer(read, &max);
        let out = j.dispatch(unit, "start", &[]);
        assert_eq!(out.status.code(), Some(1), "{unit}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let expected = format!(
            "hook `start` failed: handler `count_start`: relation fastapi-peer:1, {bag}, key \
             `unit_stats`: started_counter is 18446744073709551615, the largest it can be; \
             this start is not counted"
        );
        assert!(stderr.contains(&expected), "{stderr}");
        let calls = j.calls();
        assert!(
            !calls
                .iter()
                .any(|c| c.starts_with("relation-set") || c.starts_with("status-set")),
            "{calls:#?}"
        );
        assert_eq!(
            calls.last().unwrap(),
            &format!("juju-log --log-level ERROR -- {expected}")
        );
    }
}

/// The database password the demo reads from its `secret-user` secret.
const DB_PASSWORD: &str = "S3CRET-db-pa55";

/// `get-db-info show-password=true` against a provider that sent its credentials in a
/// secret.
fn db_info(name: &str) -> FakeJuju {
    let j = scripted(name, true);
    j.answer("action-get --format=json", r#"{"show-password": true}"#)
        .answer("relation-ids database --format=json", r#"["database:2"]"#)
        .answer(
            "relation-list --format=json --app -r database:2",
            r#""postgresql-k8s""#,
        )
        .answer(
            "relation-get --format=json -r database:2 --app - postgresql-k8s",
            r#"{"endpoints": "10.1.0.5:5432", "secret-user": "secret:d1b2k8hnm2h3bq5rpmn0"}"#,
        )
        .answer(
            "secret-get --format=json secret:d1b2k8hnm2h3bq5rpmn0 --label database.2.user.secret",
            &format!(r#"{{"username": "relation-2", "password": "{DB_PASSWORD}"}}"#),
        )
        .answer(ACTION_SET, "");
    j
}

const ACTION_SET: &str =
    "action-set db-host=10.1.0.5 db-password=S3CRET-db-pa55 db-port=5432 db-username=relation-2";

/// Secret paths of the demo (issue 11): `get-db-info` with `show-password`. The password
/// reaches Juju only as an action result (`action-set`'s argv, where Juju takes results),
/// and never a `juju-log` line, stderr or an error, on success and when a step fails:
/// `action-set` refused, the secret not readable, the secret's content in a shape Juju
/// never prints.
#[test]
fn get_db_info_shows_the_password_only_in_the_action_results() {
    let action = [
        ("JUJU_DISPATCH_PATH", "actions/get-db-info"),
        ("JUJU_ACTION_NAME", "get-db-info"),
        ("JUJU_ACTION_UUID", "4"),
    ];
    let secret_get =
        "secret-get --format=json secret:d1b2k8hnm2h3bq5rpmn0 --label database.2.user.secret";
    // (path, what changes, exit code, what stderr must say)
    type Setup = fn(&FakeJuju);
    let paths: [(&str, Setup, i32, &str); 4] = [
        ("ok", |_| {}, 0, ""),
        (
            "action-set refused",
            |j| {
                j.fail(
                    ACTION_SET,
                    1,
                    "ERROR cannot set action results: not running an action",
                );
            },
            1,
            "`action-set db-host=<redacted> db-password=<redacted> db-port=<redacted> \
             db-username=<redacted>` failed with exit code 1: ERROR cannot set action results",
        ),
        (
            "secret not readable",
            |j| {
                j.fail(
                    "secret-get --format=json secret:d1b2k8hnm2h3bq5rpmn0 --label database.2.user.secret",
                    1,
                    "ERROR permission denied",
                );
            },
            1,
            "permission denied",
        ),
        (
            "content in a shape Juju never prints",
            |j| {
                j.answer(
                    "secret-get --format=json secret:d1b2k8hnm2h3bq5rpmn0 --label database.2.user.secret",
                    &format!(r#"{{"username": "relation-2", "password": ["{DB_PASSWORD}"]}}"#),
                );
            },
            1,
            "bytes, not shown: they may be confidential",
        ),
    ];
    for (name, setup, code, says) in paths {
        let j = db_info(&format!("db-info-{}", name.replace(' ', "-")));
        setup(&j);
        let out = j.dispatch("demo-api-charm/0", "get-db-info", &action);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(!stderr.contains(DB_PASSWORD), "{name}: stderr: {stderr}");
        let calls = j.calls();
        assert!(calls.iter().any(|c| c.starts_with(secret_get)), "{name}");
        for c in &calls {
            if c != ACTION_SET {
                assert!(!c.contains(DB_PASSWORD), "{name}: {c}");
            }
        }
        if code != 0 {
            let log = calls.last().unwrap();
            assert!(
                log.starts_with("juju-log --log-level ERROR -- hook `get-db-info` failed")
                    && log.contains(says),
                "{name}: {log}"
            );
        } else {
            assert!(calls.contains(&ACTION_SET.to_string()), "{calls:#?}");
        }
    }
}
