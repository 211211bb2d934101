//! `charm_runtime::run` as Juju runs it: this test binary re-runs itself as the charm
//! (`child`, with the `JUJU_*` environment and a `PATH` of shell scripts standing in for
//! the hook tools), and the parent reads the child's exit status, its stderr and the
//! argv each tool got. What it pins: a failure report is bounded in argv and whole on
//! stderr; a `juju-log` that fails leaves the report on stderr with a note; an
//! environment Juju would never give is refused before any tool runs, in one short line.

use charm_runtime::prelude::*;
use std::ffi::OsString;
use std::fs;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

#[derive(Default)]
struct Failing;

#[charm(name = "failing", summary = "Fails", description = "Fails on request.")]
impl Failing {
    /// Fails with a 300 KB message.
    #[on(install)]
    fn install(&self, _model: &mut Model) -> Result<()> {
        Err(Error::msg(format!("boom {} end", "x".repeat(300_000))))
    }

    /// Reads the config (whose tool fails with a 200 KB stderr).
    #[on(config_changed)]
    fn config_changed(&self, model: &mut Model) -> Result<()> {
        model.config_values()?;
        Ok(())
    }

    /// Succeeds and sets a status.
    #[on(start)]
    fn start(&self, model: &mut Model) -> Result<()> {
        model.add_status(active("started"));
        Ok(())
    }
}

/// The charm, when this binary runs as one.
#[test]
fn child() {
    if std::env::var_os("CHARM_RUN_CHILD").is_none() {
        return;
    }
    let code = charm_runtime::run::<Failing>();
    std::process::exit(if code == ExitCode::SUCCESS { 0 } else { 1 });
}

/// A fake tool: appends its argv (NUL-separated, each record ended by a `\x01` byte) to
/// `<tool>.argv`,
/// then does what `FAKE_<TOOL>` (an environment variable) says, in shell.
const TOOL: &str = r#"#!/bin/sh
name=$(basename "$0")
{ for a in "$@"; do printf '%s\0' "$a"; done; printf '\001'; } >> "$FAKE_DIR/$name.argv"
var=FAKE_$(echo "$name" | tr 'a-z-' 'A-Z_')
eval "script=\${$var:-}"
if [ -n "$script" ]; then eval "$script"; fi
"#;

struct Run {
    dir: PathBuf,
    status: std::process::ExitStatus,
    stderr: String,
}

impl Run {
    /// The argv of every call of `tool`, in order.
    fn calls(&self, tool: &str) -> Vec<Vec<String>> {
        let raw = fs::read(self.dir.join(format!("{tool}.argv"))).unwrap_or_default();
        raw.split(|b| *b == 1)
            .filter(|r| !r.is_empty())
            .map(|r| {
                r.split(|b| *b == 0)
                    .filter(|a| !a.is_empty())
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect()
            })
            .collect()
    }

    /// Whether any tool ran.
    fn any_tool_ran(&self) -> bool {
        fs::read_dir(&self.dir)
            .unwrap()
            .any(|e| e.unwrap().path().extension().is_some_and(|x| x == "argv"))
    }
}

/// Runs the charm for `hook` with `vars` on top of a valid environment.
fn run(name: &str, hook: &str, vars: &[(&str, OsString)]) -> Run {
    let dir = std::env::temp_dir().join(format!("charm-run-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    for tool in ["juju-log", "config-get", "status-set", "is-leader"] {
        let p = bin.join(tool);
        fs::write(&p, TOOL).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("CHARM_RUN_CHILD", "1")
        .env("FAKE_DIR", &dir)
        .env("JUJU_DISPATCH_PATH", format!("hooks/{hook}"))
        .env("JUJU_HOOK_NAME", hook)
        .env("JUJU_UNIT_NAME", "failing/0")
        .env("JUJU_MODEL_NAME", "m")
        .env("JUJU_MODEL_UUID", "0b1c2d3e-0000-4000-8000-000000000000")
        .env("JUJU_VERSION", "3.6.4");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        dir,
        status: out.status,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn cleanup(run: Run) {
    let _ = fs::remove_dir_all(&run.dir);
}

/// The report of a failed hook reaches `juju-log` once, cut to a bound with a marker (the
/// report used to be split over several calls, each near Linux's limit on one argument),
/// and whole on stderr.
#[test]
fn a_huge_failure_report_is_bounded_in_argv_and_whole_on_stderr() {
    let r = run("huge-report", "install", &[]);
    assert_eq!(r.status.code(), Some(1));
    let logs = r.calls("juju-log");
    assert_eq!(
        logs.len(),
        1,
        "one juju-log call: {:?}",
        logs.iter().map(|a| a.len()).collect::<Vec<_>>()
    );
    let args = &logs[0];
    assert_eq!(&args[..3], ["--log-level", "ERROR", "--"]);
    let line = &args[3];
    assert!(
        line.len() <= charm_runtime::dispatch::MAX_REPORT_BYTES,
        "{} bytes",
        line.len()
    );
    assert!(
        line.starts_with("hook `install` failed: handler `install`: boom xxx"),
        "{}",
        &line[..80]
    );
    assert!(
        line.ends_with("the whole report is on the hook's stderr]"),
        "{}",
        &line[line.len() - 120..]
    );
    assert!(r.stderr.contains(" end"), "the whole report is on stderr");
    assert!(r.stderr.len() > 300_000);
    cleanup(r);
}

/// A tool failing with a 200 KB stderr: the error keeps a bounded part of it, and the report
/// goes to `juju-log` in one call.
#[test]
fn a_tool_failing_with_a_huge_stderr_is_reported_once_and_bounded() {
    let r = run(
        "huge-stderr",
        "config-changed",
        &[(
            "FAKE_CONFIG_GET",
            "head -c 200000 /dev/zero | tr '\\0' e >&2; echo 'ERROR permission denied' >&2; exit 1"
                .into(),
        )],
    );
    assert_eq!(r.status.code(), Some(1));
    let logs = r.calls("juju-log");
    assert_eq!(
        logs.len(),
        1,
        "{:?}",
        logs.iter()
            .map(|a| a
                .iter()
                .map(|s| s.chars().take(150).collect::<String>())
                .collect::<Vec<_>>())
            .collect::<Vec<_>>()
    );
    let line = &logs[0][3];
    assert!(line.len() < 6_000, "{} bytes", line.len());
    assert!(
        line.contains("permission denied (") && line.contains("ERROR permission denied)"),
        "{}",
        &line[line.len() - 200..]
    );
    cleanup(r);
}

/// `juju-log` itself failing: the report goes to stderr with a note saying why.
#[test]
fn a_failing_juju_log_leaves_the_report_on_stderr_with_a_note() {
    let r = run(
        "juju-log-fails",
        "install",
        &[(
            "FAKE_JUJU_LOG",
            "echo 'ERROR no hook context' >&2; exit 1".into(),
        )],
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(
        r.stderr.contains("juju-log failed (`juju-log --log-level ERROR -- hook `install` failed: handler `install`: boom xxx"),
        "{}",
        &r.stderr[..300.min(r.stderr.len())]
    );
    assert!(r.stderr.contains(
        "ERROR no hook context); the line it carried follows\nERROR: hook `install` failed"
    ));
    cleanup(r);
}

/// A unit name that is not UTF-8: refused, naming the variable, before any tool runs (it
/// used to be replaced lossily and used).
#[test]
fn a_unit_name_that_is_not_utf8_is_refused_before_any_tool_runs() {
    let r = run(
        "non-utf8",
        "start",
        &[(
            "JUJU_UNIT_NAME",
            OsString::from_vec(b"fail\xffing/0".to_vec()),
        )],
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(
        r.stderr.contains(
            "the Juju environment is not usable: JUJU_UNIT_NAME is not valid UTF-8 (10 bytes)"
        ),
        "{}",
        r.stderr
    );
    assert!(!r.any_tool_ran(), "{:?}", r.calls("status-set"));
    cleanup(r);
}

/// A 100 KB variable Juju would never send: one short line naming it.
#[test]
fn a_huge_bad_variable_gives_one_short_line() {
    let r = run(
        "huge-var",
        "start",
        &[(
            "JUJU_UNIT_NAME",
            format!("-{}/0", "x".repeat(100_000)).into(),
        )],
    );
    assert_eq!(r.status.code(), Some(1));
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains("JUJU_UNIT_NAME"))
        .unwrap();
    assert!(line.len() < 300, "{} bytes", line.len());
    assert!(!r.any_tool_ran());
    cleanup(r);
}

/// The control case: a valid environment runs the handler and sets its status.
#[test]
fn a_valid_environment_runs() {
    let r = run("valid", "start", &[]);
    assert_eq!(r.status.code(), Some(0), "{}", r.stderr);
    assert_eq!(
        r.calls("status-set"),
        [["--application=False", "active", "--", "started"]]
    );
    cleanup(r);
}
