//! Secret paths: every operation of the charm API that touches secret content or
//! credentials, through a whole dispatch, on success and on each of its failure paths.
//! For each path the test looks at everything that leaves the charm or is shown: the argv
//! and stdin of every hook-tool call, every `juju-log` line (the charm's own logging of
//! the values it got, and the failure report), the `Display`/`Debug` of each call, the
//! error (`Display`, `Debug`, alternate form) and the report printed on stderr. The planted
//! value may appear only where Juju takes it: in the content files of `secret-add` and
//! `secret-set` (0600, removed after the call), on the stdin of `relation-set` and
//! `state-set`, and in the argv of `action-set` and `action-log` (Juju takes action
//! results and messages on argv, as from ops). Each path also says what its error must
//! name instead (a key, a tool, Juju's message), so the test cannot pass by saying nothing.
//!
//! A second sweep runs paths through real processes (shell scripts standing in for Juju's
//! tools), where the process backend's own failures (an argument over Linux's limit, a
//! tool that refuses without reading its stdin) and real stderr come in. The count of
//! paths is recorded in docs/guarantees.md (47 + 6). More through real processes:
//! tests/secret_process.rs (content files), tests/run_process.rs (`charm_runtime::run`,
//! its stderr and `juju-log`).

mod common;

use charm_runtime::config::SecretUri;
use charm_runtime::hooktools::{HookTools, ProcessTools, Recorder, ToolCall, ToolError};
use charm_runtime::log;
use charm_runtime::prelude::*;
use charm_runtime::secret::{Secret, SecretContent};
use charm_runtime::{dispatch, HookEnv, Outcome};
use common::fake_tools::{fake_tools, within};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::Duration;

/// The value that must not show outside the channels Juju takes it on.
const SECRET: &str = "S3CRET-pa55-w0rd";

#[derive(CharmConfig)]
struct Config {
    /// A credential as a plain string option.
    db_password: Option<String>,
    /// A port (its value is the planted secret in one path: a value that does not fit).
    #[config(default = 8080)]
    port: u16,
    /// A secret-typed option: a URI whose content is read.
    smtp: Option<SecretUri>,
}

/// What the database provider sends.
#[derive(Databag)]
#[databag(raw)]
struct DbData {
    password: Option<String>,
    port: Option<u16>,
}

/// The `probe` action's one parameter: which operation to run.
#[derive(ActionParams)]
struct Probe {
    op: String,
}

/// An action whose parameters hold a credential.
#[derive(ActionParams)]
#[allow(dead_code)]
struct Restore {
    backup_password: String,
    #[param(default = 3)]
    count: u8,
}

#[derive(Default)]
struct Vault;

#[charm(
    name = "vault",
    summary = "Touches secrets",
    description = "Every operation on secret content and credentials.",
    config = Config
)]
#[requires("db", interface = "pg")]
#[action("probe", description = "Runs one operation", params = Probe)]
#[action("restore", description = "Takes a credential", params = Restore)]
impl Vault {
    #[on(action("probe"))]
    fn probe(&self, model: &mut Model, p: Probe) -> Result<()> {
        run_op(model, &p.op)
    }

    #[on(action("restore"))]
    fn restore(&self, _model: &mut Model, p: Restore) -> Result<()> {
        log::info!("restoring {} copies", p.count);
        Ok(())
    }
}

fn content() -> SecretContent {
    SecretContent::from([("password", SECRET), ("username", "admin")])
}

/// One operation, as a charm would write it; it logs what it got the way a careless charm
/// would (`{:?}` and `{}` of the values' types), so those must be safe.
fn run_op(model: &mut Model, op: &str) -> Result<()> {
    let id = || Secret::from_id("secret:d1b2k8hnm2h3bq5rpmn0");
    match op {
        "secret-add" => {
            let s = model.add_secret(content()).label("db").add()?;
            log::info!("added {s}");
        }
        "secret-add-bad-key" => {
            model.add_secret([("Password", SECRET)]).add()?;
        }
        "secret-add-empty" => {
            model.add_secret(SecretContent::new()).add()?;
        }
        "secret-set" => model.set_secret_content(id(), content())?,
        "secret-get" => {
            let c = model.secret_content(id())?;
            log::info!("got {c:?} / {c}");
            let password = c.require("password")?;
            assert_eq!(password, SECRET, "the value itself is right");
        }
        "secret-get-missing-key" => {
            let c = model.secret_content(id())?;
            c.require("token")?;
        }
        "secret-peek" => {
            let c = model.peek_secret(Secret::from_label("db"))?;
            log::info!("peeked {c:?}");
        }
        "secret-refresh" => {
            let c = model.refresh_secret(id())?;
            log::info!("refreshed {c}");
        }
        "config" => {
            let cfg = model.config()?;
            assert_eq!(cfg.db_password.as_deref(), Some(SECRET));
            log::info!("port {}", cfg.port);
        }
        "config-secret" => {
            let cfg = model.config()?;
            let uri = cfg.smtp.expect("the option is set");
            let c = model.secret_content(&uri)?;
            log::info!("smtp {c:?}");
        }
        "action-set" => {
            model.set_action_results([("db-password", SECRET), ("db-host", "10.0.0.9")])?
        }
        "action-set-nested" => model.set_results(&serde_json::json!({
            "db": {"password": SECRET, "host": "10.0.0.9"}
        }))?,
        "action-set-bad-key" => model.set_action_results([("DB_Password", SECRET)])?,
        "action-set-huge" => {
            let huge = format!("{SECRET}{}", "x".repeat(200_000));
            model.set_action_results([("db-password", huge)])?
        }
        "action-log" => model.action_log(&format!("the password is {SECRET}"))?,
        "relation-read" => {
            let rel = model.relation(Vault::DB)?.expect("related");
            let d: DbData = model.load(&rel, Bag::RemoteApp)?;
            assert_eq!(d.password.as_deref(), Some(SECRET));
        }
        "relation-write" => {
            let rel = model.relation(Vault::DB)?.expect("related");
            let leader = model.leader()?.expect("leader");
            // A new value (the bag holds the old one: an unchanged value is not sent).
            model.set(&rel, Own::App(leader), "password", format!("{SECRET}-new"))?;
        }
        "relation-write-huge" => {
            let rel = model.relation(Vault::DB)?.expect("related");
            let leader = model.leader()?.expect("leader");
            let huge = SECRET.repeat((17 << 20) / SECRET.len());
            model.set(&rel, Own::App(leader), "password", huge)?;
        }
        "state-write" => model.save_state("creds", &format!("{SECRET}-new"))?,
        "state-read" => {
            let n: u32 = model.load_state("creds")?;
            log::info!("state {n}");
        }
        "credential-get" => {
            let spec = model.cloud_spec()?;
            log::info!("cloud {spec:?}");
        }
        other => panic!("no operation {other}"),
    }
    Ok(())
}

/// How one tool answers in a path.
#[derive(Clone)]
enum Answer {
    Out(String),
    Fail(i32, &'static str),
}

/// Juju, as far as these operations go: default answers, with one path's changes.
struct Juju {
    answers: BTreeMap<&'static str, Answer>,
    /// Every call, in order.
    calls: Vec<ToolCall>,
    /// What each content file held while `secret-add`/`secret-set` ran: path, text, mode.
    files: Vec<(PathBuf, String, u32)>,
}

impl Juju {
    fn new(op: &str) -> Self {
        let out = |s: &str| Answer::Out(s.to_string());
        let answers = BTreeMap::from([
            ("action-get", out(&format!(r#"{{"op": "{op}"}}"#))),
            ("is-leader", out("true")),
            ("relation-ids", out(r#"["db:1"]"#)),
            ("relation-list", out(r#"["pg/0"]"#)),
            (
                "relation-get",
                out(&format!(r#"{{"password": "{SECRET}", "port": "5432"}}"#)),
            ),
            (
                "config-get",
                out(&format!(
                    r#"{{"db-password": "{SECRET}", "port": 8080, "smtp": "secret:cs8m"}}"#
                )),
            ),
            (
                "secret-get",
                out(&format!(
                    r#"{{"password": "{SECRET}", "username": "admin"}}"#
                )),
            ),
            ("secret-add", out("secret:d1b2k8hnm2h3bq5rpmn0\n")),
            ("state-get", out(&format!(r#"{{"creds": "\"{SECRET}\""}}"#))),
            (
                "credential-get",
                out(&format!(
                    r#"{{"type": "kubernetes", "name": "k8s", "credential": {{"auth-type": "oauth2", "attrs": {{"Token": "{SECRET}"}}}}}}"#
                )),
            ),
        ]);
        Juju {
            answers,
            calls: Vec::new(),
            files: Vec::new(),
        }
    }
}

impl HookTools for Juju {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        self.calls.push(call.clone());
        // Juju's secret tools read the content files while they run.
        let secret_tool = matches!(call.tool, "secret-add" | "secret-set");
        let files = call.args.iter().filter(|_| secret_tool);
        for (_, path) in files.filter_map(|a| a.split_once("#file=")) {
            let path = PathBuf::from(path);
            let text = std::fs::read_to_string(&path).expect("the content file exists");
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            self.files.push((path, text, mode));
        }
        if call.tool == "relation-list" && call.args.iter().any(|a| a == "--app") {
            return Ok(r#""pg""#.into());
        }
        match self.answers.get(call.tool).cloned() {
            Some(Answer::Out(s)) => Ok(s),
            Some(Answer::Fail(code, stderr)) => Err(ToolError::from_exit(call, code, stderr)),
            None => Ok(String::new()),
        }
    }
}

/// What a path changes in Juju's answers.
#[derive(Clone, Copy)]
enum Change {
    /// Nothing: the success path.
    None,
    /// The tool fails with this exit code and stderr.
    Fail(&'static str, i32, &'static str),
    /// The tool prints this (with `{S}` replaced by the secret) and exits 0.
    Print(&'static str, &'static str),
    /// `TMPDIR` names a directory that does not exist (content files cannot be written).
    NoTempDir,
}

/// One path: the action and operation, what changes, whether the dispatch must commit,
/// and what its error must say (empty for a success).
struct Case {
    action: &'static str,
    op: &'static str,
    change: Change,
    error_names: &'static [&'static str],
}

const fn ok(action: &'static str, op: &'static str) -> Case {
    Case {
        action,
        op,
        change: Change::None,
        error_names: &[],
    }
}

const fn fails(op: &'static str, change: Change, error_names: &'static [&'static str]) -> Case {
    Case {
        action: "probe",
        op,
        change,
        error_names,
    }
}

const NOT_LEADER: &str = "ERROR this unit is not the leader";
const NOT_FOUND: &str = "ERROR secret \"cs8m\" not found";
const DENIED: &str = "ERROR permission denied";

/// Every path: 47 in all.
const PATHS: &[Case] = &[
    // secret-add: content only in private files.
    ok("probe", "secret-add"),
    fails(
        "secret-add",
        Change::Fail("secret-add", 1, NOT_LEADER),
        &["may not manage secret with label \"db\"", "not the leader"],
    ),
    fails(
        "secret-add",
        Change::Fail("secret-add", 2, "ERROR invalid value"),
        &["secret-add", "exit code 2", "password#file="],
    ),
    fails(
        "secret-add",
        Change::Print("secret-add", "\n"),
        &["no secret URI printed"],
    ),
    fails(
        "secret-add",
        Change::NoTempDir,
        &["secret-add", "temporary file"],
    ),
    fails("secret-add-bad-key", Change::None, &["Password"]),
    fails("secret-add-empty", Change::None, &["at least one key"]),
    // secret-set.
    ok("probe", "secret-set"),
    fails(
        "secret-set",
        Change::Fail("secret-set", 1, DENIED),
        &[
            "may not manage secret secret:d1b2k8hnm2h3bq5rpmn0",
            "permission denied",
        ],
    ),
    fails(
        "secret-set",
        Change::Fail("secret-set", 1, NOT_FOUND),
        &["not found"],
    ),
    fails(
        "secret-set",
        Change::NoTempDir,
        &["secret-set", "temporary file"],
    ),
    // secret-get: content returned, never quoted.
    ok("probe", "secret-get"),
    ok("probe", "secret-peek"),
    ok("probe", "secret-refresh"),
    fails(
        "secret-get",
        Change::Fail("secret-get", 1, NOT_FOUND),
        &["not found"],
    ),
    fails(
        "secret-get",
        Change::Fail("secret-get", 1, DENIED),
        &["permission denied"],
    ),
    fails(
        "secret-get",
        Change::Print("secret-get", r#"{"password": ["{S}"]}"#),
        &["secret-get", "not shown"],
    ),
    fails(
        "secret-get",
        Change::Print("secret-get", r#"{"password": "{S}", "user"#),
        &["secret-get", "not shown"],
    ),
    fails(
        "secret-get",
        Change::Print("secret-get", "{S}"),
        &["secret-get", "not shown"],
    ),
    fails(
        "secret-get-missing-key",
        Change::None,
        &["token", "password, username"],
    ),
    fails(
        "secret-peek",
        Change::Fail("secret-get", 1, NOT_FOUND),
        &["not found"],
    ),
    // Config: a credential option, a secret-typed option.
    ok("probe", "config"),
    ok("probe", "config-secret"),
    fails(
        "config",
        Change::Print("config-get", r#"{"db-password": "{S}", "port": "{S}"}"#),
        &["`port`", "a string"],
    ),
    fails(
        "config",
        Change::Print("config-get", r#"{"db-password": "{S}""#),
        &["config-get", "not shown"],
    ),
    fails(
        "config-secret",
        Change::Fail("secret-get", 1, NOT_FOUND),
        &["not found"],
    ),
    // Action results and messages: on argv (Juju's channel), redacted everywhere else.
    ok("probe", "action-set"),
    ok("probe", "action-set-nested"),
    fails(
        "action-set",
        Change::Fail("action-set", 1, "ERROR not running an action"),
        &["db-password=<redacted>", "not running an action"],
    ),
    fails("action-set-bad-key", Change::None, &["DB_Password"]),
    ok("probe", "action-log"),
    fails(
        "action-log",
        Change::Fail("action-log", 1, "ERROR not running an action"),
        &["action-log -- <redacted>"],
    ),
    // Action parameters holding a credential.
    ok("restore", "-"),
    Case {
        action: "restore",
        op: "-",
        change: Change::Print(
            "action-get",
            r#"{"backup-password": "{S}", "count": "{S}"}"#,
        ),
        error_names: &["`count`", "a string"],
    },
    Case {
        action: "restore",
        op: "-",
        change: Change::Print("action-get", r#"{"backup-password": "{S}", "count": 3"#),
        error_names: &["action-get", "not shown"],
    },
    // Relation data: values on stdin, named by key.
    ok("probe", "relation-read"),
    fails(
        "relation-read",
        Change::Print("relation-get", r#"{"password": "{S}", "port": "{S}"}"#),
        &["`port`", "bytes"],
    ),
    fails(
        "relation-read",
        Change::Print("relation-get", r#"{"password": "{S}"#),
        &["relation-get", "not shown"],
    ),
    ok("probe", "relation-write"),
    fails(
        "relation-write",
        Change::Fail("relation-set", 1, DENIED),
        &["relation-set", "keys password"],
    ),
    fails(
        "relation-write-huge",
        Change::None,
        &["relation-set", "16777216"],
    ),
    // Charm state.
    ok("probe", "state-write"),
    fails(
        "state-write",
        Change::Fail("state-set", 1, "ERROR quota exceeded"),
        &["state-set", "keys creds"],
    ),
    fails("state-read", Change::None, &["\"creds\"", "expected u32"]),
    // Credentials.
    ok("probe", "credential-get"),
    fails(
        "credential-get",
        Change::Print(
            "credential-get",
            r#"{"type": "k8s", "credential": {"attrs": "{S}"}}"#,
        ),
        &["credential-get", "not shown"],
    ),
    fails(
        "credential-get",
        Change::Fail("credential-get", 1, DENIED),
        &["juju trust"],
    ),
];

fn action_env(action: &str) -> HookEnv {
    let path = format!("actions/{action}");
    let vars = [
        ("JUJU_DISPATCH_PATH", path.as_str()),
        ("JUJU_ACTION_NAME", action),
        ("JUJU_ACTION_UUID", "7"),
        ("JUJU_UNIT_NAME", "vault/0"),
        ("JUJU_MODEL_NAME", "m"),
        ("JUJU_MODEL_UUID", "0b1c2d3e-0000-4000-8000-000000000000"),
        ("JUJU_VERSION", "3.6.4"),
    ];
    HookEnv::from_vars(|k| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    })
    .unwrap()
    .unwrap()
}

/// Where a call may carry the value: the channel Juju takes it on.
fn may_carry(call: &ToolCall) -> (bool, bool) {
    let argv = matches!(call.tool, "action-set" | "action-log");
    let stdin = matches!(call.tool, "relation-set" | "state-set");
    (argv, stdin)
}

/// Notes a problem if `text` shows the secret.
fn bad(problems: &mut Vec<String>, what: &str, text: &str) {
    if let Some(at) = text.find(SECRET) {
        let mut from = at.saturating_sub(80);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        problems.push(format!(
            "{what} shows the value: ...{}",
            &text[from..at + SECRET.len()]
        ));
    }
}

/// Runs one path and checks everything it shows; returns what failed, if anything.
fn check(path: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let (action, op) = (path.action, path.op);
    let env = action_env(action);
    let mut juju = Juju::new(op);
    if action == "restore" {
        juju.answers.insert(
            "action-get",
            Answer::Out(format!(r#"{{"backup-password": "{SECRET}", "count": 3}}"#)),
        );
    }
    let tmp = std::env::temp_dir();
    match path.change {
        Change::None => {}
        Change::Fail(tool, code, stderr) => {
            juju.answers.insert(tool, Answer::Fail(code, stderr));
        }
        Change::Print(tool, text) => {
            juju.answers
                .insert(tool, Answer::Out(text.replace("{S}", SECRET)));
        }
        Change::NoTempDir => std::env::set_var("TMPDIR", tmp.join("charm-secret-paths-missing")),
    }
    let outcome = dispatch::<Vault>(&env, &mut juju);
    std::env::set_var("TMPDIR", &tmp);

    // What the dispatch ended in, and what it must say.
    match (&outcome, path.error_names.is_empty()) {
        (Outcome::Committed, true) => {}
        (Outcome::Failed(e), false) => {
            for text in [e.to_string(), format!("{e:?}"), format!("{e:#}")] {
                bad(&mut problems, "the error", &text);
            }
            let text = e.to_string();
            for name in path.error_names {
                if !text.contains(name) {
                    problems.push(format!("the error does not name {name:?}: {text}"));
                }
            }
            let mut log = Juju::new(op);
            let report = charm_runtime::dispatch::report(&env, &mut log, &outcome)
                .expect("a failure is reported");
            bad(&mut problems, "the report on stderr", &report);
            let logged = log.calls.iter().filter(|c| c.tool == "juju-log").count();
            if logged != 1 {
                problems.push(format!("the report went to juju-log {logged} times"));
            }
            juju.calls.extend(log.calls);
        }
        (other, _) => problems.push(format!(
            "unexpected outcome {other:?}; calls {:?}",
            juju.calls
                .iter()
                .map(|c| c.argv().join(" "))
                .collect::<Vec<_>>()
        )),
    }

    // Every call: argv and stdin only on Juju's channels; Display, Debug, describe never.
    for call in &juju.calls {
        let (argv_ok, stdin_ok) = may_carry(call);
        if !argv_ok {
            bad(
                &mut problems,
                &format!("the argv of {}", call.tool),
                &call.argv().join(" "),
            );
        }
        if !stdin_ok {
            bad(
                &mut problems,
                &format!("the stdin of {}", call.tool),
                call.stdin.as_deref().unwrap_or(""),
            );
        }
        bad(
            &mut problems,
            &format!("a {} call as shown", call.tool),
            &format!("{call} {call:?} {}", call.describe()),
        );
    }

    // Content files: private, removed after the call, and the only place content went.
    for (file, text, mode) in &juju.files {
        if *mode != 0o600 {
            problems.push(format!("{} has mode {mode:o}", file.display()));
        }
        if file.exists() || file.parent().is_some_and(|d| d.exists()) {
            problems.push(format!("{} was not removed", file.display()));
        }
        if !text.is_empty() && !content().iter().any(|(_, v)| v == text) {
            problems.push(format!("{} held {text:?}", file.display()));
        }
    }
    let wrote_content = matches!(path.op, "secret-add" | "secret-set")
        && matches!(
            path.change,
            Change::None | Change::Fail(..) | Change::Print(..)
        );
    if wrote_content && !juju.files.iter().any(|(_, t, _)| t == SECRET) {
        problems.push("the content did not reach the tool's files".into());
    }
    problems
}

#[test]
fn no_secret_shows_outside_jujus_channels_on_any_path() {
    // The lock of the fake tools: one path changes TMPDIR, which the other test uses.
    let (_, _lock) = fake_tools();
    let mut failures = Vec::new();
    for (i, path) in PATHS.iter().enumerate() {
        for p in check(path) {
            failures.push(format!(
                "path {i} ({} {}): {p}",
                path.op,
                describe(path.change)
            ));
        }
    }
    assert_eq!(PATHS.len(), 47, "docs/guarantees.md counts the paths");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn describe(change: Change) -> String {
    match change {
        Change::None => "as is".into(),
        Change::Fail(tool, code, stderr) => format!("{tool} exits {code}: {stderr}"),
        Change::Print(tool, text) => format!("{tool} prints {text}"),
        Change::NoTempDir => "no temporary directory".into(),
    }
}

/// One path through real processes: what the tools do (POSIX shell, sourced by every
/// tool; `$t` is the tool's name), the operation, and what the error must name.
struct ProcessCase {
    op: &'static str,
    tools: &'static str,
    error_names: &'static [&'static str],
}

/// Answers every dispatch needs; a case's own lines come first.
const COMMON: &str = r#"
  is-leader) echo true ;;
  relation-ids) echo '["db:1"]' ;;
  relation-get) echo '{}' ;;
  secret-add) echo secret:d1b2k8hnm2h3bq5rpmn0 ;;
esac
"#;

const PROCESS_PATHS: &[ProcessCase] = &[
    // The red team's case: a failed action-set showed `db-password=...` on stderr and in
    // juju-log at ERROR.
    ProcessCase {
        op: "action-set",
        tools: "  action-set) echo 'ERROR cannot set action results: not running an action' >&2; exit 1 ;;",
        error_names: &["db-password=<redacted>", "not running an action", "exit code 1"],
    },
    // Over Linux's limit on one argument: refused before spawning, the key named.
    ProcessCase {
        op: "action-set-huge",
        tools: "  action-set) echo ran > \"$FAKE_TOOLS_DIR/ran\" ;;",
        error_names: &["argument 1 (db-password=<redacted>)", "131071"],
    },
    ProcessCase {
        op: "secret-add",
        tools: "  secret-add) echo 'ERROR this unit is not the leader' >&2; exit 1 ;;",
        error_names: &["not the leader"],
    },
    // A refusal without reading stdin: its message, and the keys, never the values.
    ProcessCase {
        op: "relation-write",
        tools: "  relation-set) echo 'ERROR permission denied' >&2; exit 1 ;;",
        error_names: &["relation-set -r db:1 --app --file - (stdin: keys password)", "permission denied"],
    },
    ProcessCase {
        op: "secret-get",
        tools: "  secret-get) printf '{\"password\": [\"%s\"]}' \"$SECRET\" ;;",
        error_names: &["secret-get", "not shown"],
    },
    ProcessCase {
        op: "credential-get",
        tools: "  credential-get) printf '{\"credential\": \"%s\"' \"$SECRET\" ;;",
        error_names: &["credential-get", "not shown"],
    },
];

/// Runs one path through real tools; returns what failed.
fn check_process(case: &ProcessCase, dir: &std::path::Path) -> Vec<String> {
    let mut problems = Vec::new();
    let got = dir.join("got");
    let ran = dir.join("ran");
    let _ = std::fs::remove_file(&ran);
    let env = action_env("probe");
    let outcome = within(Duration::from_secs(30), move || {
        let mut tools = ProcessTools;
        let outcome = dispatch::<Vault>(&env, &mut tools);
        let mut log = Recorder::new(ProcessTools);
        let report = charm_runtime::dispatch::report(&env, &mut log, &outcome);
        (outcome, report)
    });
    let (outcome, report) = outcome;
    match (&outcome, report) {
        (Outcome::Failed(e), Some(report)) => {
            for text in [e.to_string(), format!("{e:?}"), format!("{e:#}"), report] {
                bad(&mut problems, "the error", &text);
            }
            let text = e.to_string();
            for name in case.error_names {
                if !text.contains(name) {
                    problems.push(format!("the error does not name {name:?}: {text}"));
                }
            }
        }
        (other, _) => problems.push(format!("expected a failure, got {other:?}")),
    }
    // What each tool got: one record per call, `tool arg...` (none reads its stdin).
    let record = std::fs::read_to_string(&got).unwrap_or_default();
    for call in record.split('\u{1}').filter(|c| !c.trim().is_empty()) {
        let tool = call.split_whitespace().next().unwrap_or_default();
        if !matches!(
            tool,
            "action-set" | "action-log" | "relation-set" | "state-set"
        ) {
            bad(&mut problems, &format!("what {tool} got"), call);
        }
    }
    if !record.contains("juju-log --log-level ERROR -- hook `probe` failed") {
        problems.push(format!("no report reached juju-log: {record}"));
    }
    if case.op == "action-set-huge" && ran.exists() {
        problems.push("action-set ran with an argument Linux refuses".into());
    }
    problems
}

#[test]
fn no_secret_shows_through_real_tools_on_any_path() {
    let (tools, _lock) = fake_tools();
    std::env::set_var("SECRET", SECRET);
    let mut failures = Vec::new();
    for case in PROCESS_PATHS {
        tools.case(&format!(
            r#"t=$(basename "$0")
{{ printf '%s ' "$t" "$@"; printf '\001'; }} >> "$FAKE_TOOLS_DIR/got"
case "$t" in
{}
  action-get) echo '{{"op": "{}"}}' ;;
{COMMON}"#,
            case.tools, case.op
        ));
        for p in check_process(case, &tools.dir) {
            failures.push(format!("{}: {p}", case.op));
        }
    }
    assert_eq!(
        PROCESS_PATHS.len(),
        6,
        "docs/guarantees.md counts the paths"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
