//! Property tests: every hook tool's reply through the typed calls and through a whole
//! dispatch (the model), from an in-memory backend answering with generated output (valid,
//! truncated, wrong types, random JSON, garbage, empty, `null`, up to 2 MB) or a failure
//! (any exit code, any stderr). Each call ends in a value or a typed error that names the
//! tool and is bounded; data that may be secret never reaches an error; a dispatch never
//! writes after a failure. Case counts are fixed (`ProptestConfig::cases`) so CI stays fast.

mod common;

use charm_runtime::hooktools::{cmd, HookTools, ToolCall, ToolError};
use charm_runtime::prelude::*;
use charm_runtime::secret::{Secret, SecretContent, SecretMeta, SecretOwner};
use charm_runtime::{dispatch, HookEnv, Outcome, Port};
use common::gen::{failure, reply, SECRET};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Cases per property (recorded in docs/guarantees.md).
const CASES: u32 = 2_000;
const DISPATCH_CASES: u32 = 1_000;

/// The longest error text allowed: the bounded stderr (4 KiB), a bounded output (200 B),
/// the call with bounded arguments, and the words around them.
const MAX_ERROR: usize = 8 * 1024;

/// Valid replies of the tools below, so generated replies are often almost right.
const GOOD: &[&str] = &[
    r#"["db:1","db:22"]"#,
    r#"["pg/0","pg/1"]"#,
    r#""pg""#,
    r#"{"password":"S3CRET-d0-not-leak","host":"h"}"#,
    r#"{"uuid":"0b1c2d3e-0000-4000-8000-000000000000"}"#,
    r#"{"port":8080,"name":"S3CRET-d0-not-leak"}"#,
    "true",
    r#"{"secret:abc":{"revision":3,"label":"l","owner":"application","rotation":"daily"}}"#,
    r#"["secret:abc"]"#,
    "secret:d1b2k8hnm2h3bq5rpmn0\n",
    r#"{"units":{"a/0":{"status":"active","since":"x"}},"relations":{}}"#,
    r#"{"type":"kubernetes","name":"k8s","credential":{"auth-type":"userpass","attrs":{"password":"S3CRET-d0-not-leak"}}}"#,
    r#"{"bind-addresses":[{"interface-name":"eth0","addresses":[{"value":"10.0.0.2","cidr":"10.0.0.0/24"}]}],"ingress-addresses":["10.0.0.2"],"egress-subnets":["10.0.0.2/32"]}"#,
    r#"["data/0"]"#,
    r#"{"kind":"filesystem","location":"/srv/data"}"#,
    r#"["8080/tcp","53/udp","icmp"]"#,
    "/var/lib/juju/resources/bin\n",
];

/// One answer for every call of a case.
#[derive(Debug, Clone)]
enum Answer {
    Out(String),
    Fail(i32, String),
}

fn answer() -> BoxedStrategy<Answer> {
    prop_oneof![
        4 => reply(GOOD).prop_map(Answer::Out),
        1 => failure().prop_map(|(c, e)| Answer::Fail(c, e)),
    ]
    .boxed()
}

/// An in-memory backend giving `answer` to every call.
struct Always(Answer, Vec<ToolCall>);

impl HookTools for Always {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        self.1.push(call.clone());
        match &self.0 {
            Answer::Out(s) => Ok(s.clone()),
            Answer::Fail(code, stderr) => Err(ToolError::from_exit(call, *code, stderr)),
        }
    }
}

/// Checks one call's result: an error names `tool`, is bounded, and (when `confidential`
/// and the tool did not fail with a stderr of its own) holds no planted secret.
fn check<T: std::fmt::Debug>(
    tool: &str,
    r: Result<T, ToolError>,
    confidential: bool,
) -> Result<(), TestCaseError> {
    let Err(e) = r else { return Ok(()) };
    let text = e.to_string();
    let debug = format!("{e:?}");
    prop_assert!(
        text.contains(tool),
        "{tool}: {}",
        &text[..text.len().min(300)]
    );
    prop_assert!(text.len() <= MAX_ERROR, "{tool}: {} bytes", text.len());
    prop_assert!(
        debug.len() <= 2 * MAX_ERROR,
        "{tool}: Debug is {} bytes",
        debug.len()
    );
    let from_stderr = e.stderr().is_some_and(|s| s.contains(SECRET));
    if confidential && !from_stderr {
        prop_assert!(!text.contains(SECRET), "{tool} leaked: {text}");
        prop_assert!(!debug.contains(SECRET), "{tool} leaked in Debug: {debug}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every reading call, on any reply.
    #[test]
    fn every_reply_is_a_value_or_a_typed_error(a in answer()) {
        let mut t = Always(a, Vec::new());
        check("relation-ids", cmd::relation_ids(&mut t, "db"), false)?;
        check("relation-list", cmd::relation_list(&mut t, "db", 1), false)?;
        check("relation-list", cmd::relation_app(&mut t, "db", 1), false)?;
        check("relation-get", cmd::relation_get(&mut t, "db", 1, "pg/0", false), true)?;
        check("relation-model-get", cmd::relation_model_get(&mut t, "db", 1), false)?;
        check("state-get", cmd::state_get(&mut t), true)?;
        check("config-get", cmd::config_get(&mut t), true)?;
        check("action-get", cmd::action_get(&mut t), true)?;
        check("is-leader", cmd::is_leader(&mut t), false)?;
        let s = Secret::from_id("secret:abc");
        check("secret-get", cmd::secret_get(&mut t, &s, cmd::SecretRead::Tracked), true)?;
        if let Ok(content) = cmd::secret_get(&mut t, &s, cmd::SecretRead::Peek) {
            // Keys only: the same keys with other values show the same, and the planted
            // secret shows only where a key holds it.
            let shown = format!("{content:?} {content}");
            let other: SecretContent = content.keys().map(|k| (k, "other")).collect();
            prop_assert_eq!(&shown, &format!("{other:?} {other}"), "SecretContent shows a value");
            if !content.keys().any(|k| k.contains(SECRET)) {
                prop_assert!(!shown.contains(SECRET), "SecretContent shows a value: {}", shown);
            }
        }
        check("secret-info-get", cmd::secret_info_get(&mut t, &s), false)?;
        check("secret-ids", cmd::secret_ids(&mut t), false)?;
        check("goal-state", cmd::goal_state(&mut t), false)?;
        let cred = cmd::credential_get(&mut t);
        if let Ok(spec) = &cred {
            // The credential's attribute values do not show: other values, the same Debug.
            let mut other = spec.clone();
            if let Some(c) = other.credential.as_mut() {
                c.attributes.values_mut().for_each(|v| *v = "other".into());
            }
            prop_assert_eq!(format!("{spec:?}"), format!("{other:?}"), "CloudSpec Debug shows a credential");
        }
        check("credential-get", cred, true)?;
        check("network-get", cmd::network_get(&mut t, "db", None), false)?;
        check("storage-list", cmd::storage_list(&mut t, "data"), false)?;
        check("opened-ports", cmd::opened_ports(&mut t), false)?;
        check("resource-get", cmd::resource_get(&mut t, "bin"), false)?;
    }

    /// Every writing call with secret values, on any answer: the values never reach an
    /// error (or a call's `Display`/`Debug`), whatever the tool printed or how it failed.
    #[test]
    fn written_values_never_reach_an_error(a in answer(), with_files in prop::bool::weighted(0.25)) {
        let mut t = Always(a, Vec::new());
        let secret_map = BTreeMap::from([("db-password".to_string(), SECRET.to_string())]);
        let content = SecretContent::from([("password", SECRET)]);
        let meta = SecretMeta::default();
        let mut results: Vec<(&str, Result<(), ToolError>)> = vec![
            ("action-set", cmd::action_set(&mut t, &secret_map)),
            ("action-log", cmd::action_log(&mut t, SECRET)),
            ("relation-set", cmd::relation_set(&mut t, "db", 1, false, &secret_map)),
            ("state-set", cmd::state_set(&mut t, &secret_map)),
        ];
        // A quarter of the cases: each of these writes and removes content files (disk
        // time, not CPU).
        if with_files {
            results.push(("secret-add", cmd::secret_add(&mut t, &content, SecretOwner::App, &meta).map(|_| ())));
            results.push(("secret-set", cmd::secret_set(&mut t, "secret:abc", Some(&content), &meta)));
        }
        for (tool, r) in results {
            check(tool, r, true)?;
        }
        for call in &t.1 {
            let shown = format!("{call} {call:?} {}", call.describe());
            prop_assert!(!shown.contains(SECRET), "a call shows a value: {}", shown);
            // Secret content goes in files: never on argv or stdin.
            if call.tool.starts_with("secret-") {
                prop_assert!(!call.argv().concat().contains(SECRET));
                prop_assert!(call.stdin.is_none());
            }
        }
    }
}

// ---- whole dispatches ----------------------------------------------------------------------

#[derive(Default)]
struct Prober;

#[charm(
    name = "prober",
    summary = "Reads and writes",
    description = "For property tests."
)]
#[peer("replicas", interface = "prober_peers")]
impl Prober {
    /// Reads leadership, config, a bag, the charm state; stages a bag write, state, a port
    /// and a status.
    #[on(start)]
    fn start(&self, model: &mut Model) -> Result<()> {
        let leader = model.leader()?;
        let config_keys = model.config_values()?.len();
        if let Some(rel) = model.relation(Self::REPLICAS)? {
            let seen = model.bag(&rel, Bag::Unit)?.len();
            model.set(&rel, Own::Unit, "seen", format!("{seen} {config_keys}"))?;
            if let Some(l) = leader {
                model.set(&rel, Own::App(l), "password", CHARM_SECRET)?;
            }
        }
        let n: u64 = model.load_state("n")?;
        model.save_state("n", &n.saturating_add(1))?;
        model.open_port(Port::Tcp(8080));
        model.add_status(active("ok"));
        Ok(())
    }
}

/// What the charm writes in its app bag: no error or report may show it.
const CHARM_SECRET: &str = "CHARM-WROTE-pa55w0rd";

/// Tools that write.
const WRITES: &[&str] = &[
    "relation-set",
    "state-set",
    "state-delete",
    "status-set",
    "open-port",
    "close-port",
];

/// Answers per tool, recording each call with whether it failed.
struct PerTool(BTreeMap<&'static str, Answer>, Vec<(ToolCall, bool)>);

impl HookTools for PerTool {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        let answer = self
            .0
            .get(call.tool)
            .cloned()
            .unwrap_or(Answer::Out(String::new()));
        let r = match answer {
            Answer::Out(s) => Ok(s),
            Answer::Fail(code, stderr) => Err(ToolError::from_exit(call, code, &stderr)),
        };
        self.1.push((call.clone(), r.is_err()));
        r
    }
}

fn per_tool() -> impl Strategy<Value = BTreeMap<&'static str, Answer>> {
    // Mostly right answers, so dispatches get far; any of them may be anything.
    let tool = |good: &'static [&'static str]| {
        prop_oneof![
            6 => prop::sample::select(good.to_vec()).prop_map(|s| Answer::Out(s.to_string())),
            2 => answer(),
        ]
        .boxed()
    };
    (
        tool(&["true", "false"]),
        tool(&[r#"{"port": 8080}"#, "{}"]),
        tool(&[r#"["replicas:0"]"#, "[]"]),
        tool(&[r#"{"ingress-address": "10.0.0.2"}"#, "{}"]),
        tool(&[r#"{"n": "3"}"#, "{}", r#"{"n": "18446744073709551615"}"#]),
        tool(&[""]),
        tool(&[""]),
        tool(&[""]),
        tool(&[""]),
    )
        .prop_map(
            |(leader, config, ids, get, state, rset, sset, status, port)| {
                BTreeMap::from([
                    ("is-leader", leader),
                    ("config-get", config),
                    ("relation-ids", ids),
                    ("relation-get", get),
                    ("state-get", state),
                    ("relation-set", rset),
                    ("state-set", sset),
                    ("status-set", status),
                    ("open-port", port),
                ])
            },
        )
}

fn start_env() -> HookEnv {
    let vars = [
        ("JUJU_DISPATCH_PATH", "hooks/start"),
        ("JUJU_UNIT_NAME", "prober/0"),
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

proptest! {
    #![proptest_config(ProptestConfig { cases: DISPATCH_CASES, failure_persistence: None, ..ProptestConfig::default() })]

    /// A dispatch on any answers: committed or failed, never a panic; a handler that
    /// failed leaves no write; a commit stops at the first failed write; no error or
    /// report holds the secret the charm wrote.
    #[test]
    fn a_dispatch_never_writes_after_a_failure(answers in per_tool()) {
        let env = start_env();
        let mut t = PerTool(answers, Vec::new());
        let outcome = dispatch::<Prober>(&env, &mut t);
        let calls: Vec<_> = t.1.iter().filter(|(c, _)| c.tool != "juju-log").collect();
        let is_write = |c: &ToolCall| WRITES.contains(&c.tool);
        match &outcome {
            Outcome::Committed => {
                prop_assert!(calls.iter().all(|(_, failed)| !failed));
                prop_assert!(calls.iter().any(|(c, _)| c.tool == "status-set"));
            }
            Outcome::Failed(e) => {
                let text = e.to_string();
                prop_assert!(!text.contains(CHARM_SECRET), "{text}");
                prop_assert!(text.len() <= MAX_ERROR + 200, "{} bytes", text.len());
                if text.starts_with("handler `start`") {
                    prop_assert!(!calls.iter().any(|(c, _)| is_write(c)), "a failed handler wrote: {calls:?}");
                } else {
                    // Failed in the commit: the last call is the write that failed.
                    let (last, failed) = calls.last().expect("a commit made calls");
                    prop_assert!(is_write(last) && *failed, "{text}: {calls:?}");
                }
                let mut log = charm_runtime::hooktools::Recorder::new(PerTool(BTreeMap::new(), Vec::new()));
                let report = charm_runtime::dispatch::report(&env, &mut log, &outcome).unwrap();
                prop_assert!(!report.contains(CHARM_SECRET));
                for c in &log.calls {
                    prop_assert!(c.argv().iter().all(|a| a.len() <= charm_runtime::dispatch::MAX_REPORT_BYTES));
                }
            }
            other => prop_assert!(false, "{other:?}"),
        }
        for (c, _) in &t.1 {
            let shown = format!("{c} {c:?} {}", c.describe());
            prop_assert!(!shown.contains(CHARM_SECRET), "{}", shown);
        }
    }
}
