//! The typed path ([`HookTools::answer`] answered by `jujuc::Typed`) against the argv path
//! (`jujuc::run_tool`) for every typed request: the same results, the same errors, the
//! same recorded calls and the same effects on the hook and the world, in ordinary,
//! non-leader, relation and restricted hooks.

use super::MemoryTools;
use charm_runtime::hooktools::{cmd, HookTools, Reply, Request, ToolCall, ToolError};
use charm_runtime::{blocked, waiting, LogLevel};
use jujuc::{commit, HookContext, HookInfo, RelationWorld, UnitWorld};
use serde_json::json;
use std::collections::BTreeMap;

fn bag(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `app/0` with the peer relation `peers:1`, `db:4` to `pg` and config of every JSON kind.
fn world(leader: bool) -> UnitWorld {
    let rel = |id, endpoint: &str, peer, remote_app: &str, units: &[&str]| RelationWorld {
        id,
        endpoint: endpoint.into(),
        peer,
        remote_app: remote_app.into(),
        local_app_data: bag(&[("shared", "yes")]),
        local_unit_data: bag(&[("me", "0")]),
        remote_app_data: bag(&[("user", "u1")]),
        remote_units: units
            .iter()
            .map(|u| (u.to_string(), bag(&[("host", u)])))
            .collect(),
        alive: true,
        remote_model_uuid: None,
    };
    let config = json!({"port": 8080, "ratio": 1.0, "name": "x\u{1F600}\"", "debug": false});
    UnitWorld {
        unit: "app/0".into(),
        leader,
        relations: vec![
            rel(1, "peers", true, "app", &["app/1", "app/2"]),
            rel(4, "db", false, "pg", &["pg/0", "pg/1"]),
            rel(10, "db", false, "pg", &[]),
        ],
        config: config.as_object().expect("a map").clone(),
        state: bag(&[("kept", "1")]),
        ..Default::default()
    }
}

fn hook(info: HookInfo) -> HookContext {
    HookContext {
        info,
        ..Default::default()
    }
}

fn start() -> HookInfo {
    HookInfo {
        hook: "start".into(),
        ..Default::default()
    }
}

/// Runs only argv: the backend's typed answers hidden.
struct ArgvOnly<'a>(MemoryTools<'a>);

impl HookTools for ArgvOnly<'_> {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        self.0.call(call)
    }
}

/// Counts the typed answers given.
struct Counting<'a>(MemoryTools<'a>, usize);

impl HookTools for Counting<'_> {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        self.0.call(call)
    }

    fn answer(&mut self, request: &Request<'_>) -> Option<Result<Reply, ToolError>> {
        let answer = self.0.answer(request);
        self.1 += usize::from(answer.is_some());
        answer
    }
}

/// Every typed call, right and wrong; each result (value or error) as a line.
fn script(t: &mut dyn HookTools) -> Vec<String> {
    let big = bag(&[("k", &"v".repeat(65 * 1024))]);
    let out = vec![
        format!("{:?}", cmd::relation_ids(t, "db")),
        format!("{:?}", cmd::relation_ids(t, "peers")),
        format!("{:?}", cmd::relation_ids(t, "nope")),
        format!("{:?}", cmd::relation_ids(t, "--format=yaml")),
        format!("{:?}", cmd::relation_list(t, "peers", 1)),
        format!("{:?}", cmd::relation_list(t, "db", 4)),
        format!("{:?}", cmd::relation_list(t, "db", 9)),
        format!("{:?}", cmd::relation_get(t, "peers", 1, "app/0", false)),
        format!("{:?}", cmd::relation_get(t, "peers", 1, "app", true)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "app", true)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "pg/0", false)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "pg/0", true)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "pg", true)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "pg", false)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "pg/7", false)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "zz/1", false)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "zz", true)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "Bad!", false)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "-x", false)),
        format!("{:?}", cmd::relation_get(t, "db", 9, "pg/0", false)),
        format!(
            "{:?}",
            cmd::relation_set(t, "db", 4, true, &bag(&[("a", "1"), ("db-name", "")]))
        ),
        format!(
            "{:?}",
            cmd::relation_set(t, "db", 4, false, &bag(&[("u", "2")]))
        ),
        format!(
            "{:?}",
            cmd::relation_set(t, "db", 9, false, &bag(&[("u", "2")]))
        ),
        format!("{:?}", cmd::relation_get(t, "db", 4, "app", true)),
        format!("{:?}", cmd::relation_get(t, "db", 4, "app/0", false)),
        format!("{:?}", cmd::config_get(t)),
        format!("{:?}", cmd::is_leader(t)),
        format!("{:?}", cmd::status_set(t, false, &blocked("no db"))),
        format!("{:?}", cmd::status_set(t, true, &waiting(""))),
        format!("{:?}", cmd::juju_log(t, LogLevel::Warning, "careful")),
        format!("{:?}", cmd::juju_log(t, LogLevel::Debug, "")),
        format!("{:?}", cmd::application_version_set(t, "1.2")),
        format!("{:?}", cmd::state_get(t)),
        format!("{:?}", cmd::state_set(t, &bag(&[("a", "x"), ("b", "")]))),
        format!("{:?}", cmd::state_set(t, &big)),
        format!("{:?}", cmd::state_delete(t, "kept")),
        format!("{:?}", cmd::state_delete(t, "-k")),
        format!("{:?}", cmd::state_get(t)),
    ];
    out
}

/// Runs `script` both ways from the same start; asserts the same results, hook and
/// committed world, and that the typed way answered at least `typed` calls.
fn same_both_ways(w: UnitWorld, info: HookInfo, typed: usize) {
    let (mut w1, mut h1) = (w.clone(), hook(info.clone()));
    let (mut w2, mut h2) = (w, hook(info));
    let argv = script(&mut ArgvOnly(MemoryTools {
        world: &mut w1,
        hook: &mut h1,
    }));
    let mut counting = Counting(
        MemoryTools {
            world: &mut w2,
            hook: &mut h2,
        },
        0,
    );
    let answered = script(&mut counting);
    assert!(counting.1 >= typed, "only {} typed answers", counting.1);
    for (a, b) in argv.iter().zip(&answered) {
        assert_eq!(a, b);
    }
    assert_eq!(argv.len(), answered.len());
    assert_eq!(h1, h2, "the same calls, logs, statuses and staged writes");
    commit(&mut w1, &h1);
    commit(&mut w2, &h2);
    assert_eq!(w1, w2, "the same world after commit");
}

#[test]
fn a_leaders_typed_calls_match_argv() {
    same_both_ways(world(true), start(), 30);
}

#[test]
fn a_non_leaders_typed_calls_match_argv() {
    same_both_ways(world(false), start(), 30);
}

#[test]
fn typed_calls_in_a_departed_hook_match_argv() {
    let info = HookInfo {
        hook: "peers-relation-departed".into(),
        relation_id: Some(1),
        remote_unit: Some("app/2".into()),
        remote_app: Some("app".into()),
        departing_unit: Some("app/2".into()),
        ..Default::default()
    };
    same_both_ways(world(true), info, 30);
}

#[test]
fn typed_calls_in_a_restricted_context_fail_like_argv() {
    let info = HookInfo {
        hook: "collect-metrics".into(),
        restricted: true,
        ..Default::default()
    };
    same_both_ways(world(true), info, 30);
}

#[test]
fn the_typed_path_answers_the_checked_results() {
    let (mut w, mut h) = (world(true), hook(start()));
    let mut t = MemoryTools {
        world: &mut w,
        hook: &mut h,
    };
    // `relation-ids` sorts as Go's sort.Strings does: "db:10" before "db:4".
    assert_eq!(cmd::relation_ids(&mut t, "db").unwrap(), [10, 4]);
    let err = cmd::relation_get(&mut t, "db", 9, "pg/0", false).unwrap_err();
    assert!(
        err.to_string()
            .contains(r#"invalid value "db:9" for option -r: relation not found"#),
        "{err}"
    );
    assert_eq!(
        h.calls.iter().map(|c| c.argv.join(" ")).collect::<Vec<_>>(),
        [
            "relation-ids db --format=json",
            "relation-get --format=json -r db:9 - pg/0",
        ]
    );
    assert_eq!(h.calls[1].code, 2);
}
