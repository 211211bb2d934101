//! The process backend against real processes: tools that write before they read, refuse
//! without reading, flood stderr, print bytes that are not UTF-8, leave a process holding
//! their pipes, die of a signal, or are given an argument Linux refuses. Each defect these
//! tests pin failed (or hung) with the backend that wrote all of stdin before reading.

mod common;

use charm_runtime::hooktools::{cmd, HookTools, ProcessTools, ToolCall, ToolError};
use common::fake_tools::{fake_tools, within};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(20);

/// A bag of `n` bytes of values, for `relation-set --file -`.
fn big_bag(n: usize) -> BTreeMap<String, String> {
    BTreeMap::from([("blob".to_string(), "v".repeat(n))])
}

/// Deadlock: a tool that writes 200 KB to stderr before it reads its 200 KB of input. The
/// old backend wrote all of stdin first: both sides blocked on full pipes, forever.
#[test]
fn a_tool_that_writes_before_reading_does_not_deadlock() {
    let (tools, _lock) = fake_tools();
    tools.case(
        r#"head -c 200000 /dev/zero | tr '\0' e >&2
cat > "$FAKE_TOOLS_DIR/got"
"#,
    );
    let bag = big_bag(200_000);
    let sent = bag.clone();
    within(LIMIT, move || {
        cmd::relation_set(&mut ProcessTools, "db", 3, false, &sent)
    })
    .expect("the tool exits 0");
    let got: BTreeMap<String, String> = serde_json::from_slice(&tools.got()).unwrap();
    assert_eq!(got, bag, "the tool read all of its input");
}

/// A real refusal masked: a tool that exits 1 without reading its input was reported as
/// `Broken pipe ... (is this running under Juju?)`, hiding its exit code and its message.
#[test]
fn a_refusal_without_reading_stdin_is_reported_with_its_status_and_stderr() {
    let (tools, _lock) = fake_tools();
    tools.case("echo 'ERROR permission denied' >&2\nexit 1\n");
    let err = within(LIMIT, || {
        cmd::relation_set(&mut ProcessTools, "db", 3, true, &big_bag(1_000_000))
    })
    .unwrap_err();
    match &err {
        ToolError::PermissionDenied { call, stderr } => {
            assert_eq!(stderr, "ERROR permission denied");
            assert_eq!(
                call,
                "relation-set -r db:3 --app --file - (stdin: keys blob)"
            );
        }
        other => panic!("expected the refusal, got {other:?}"),
    }
    let text = err.to_string();
    assert!(!text.contains("Broken pipe"), "{text}");
    assert!(!text.contains("running under Juju"), "{text}");

    // Not a recognised refusal: the exit code is in the error.
    tools.case("echo 'ERROR quota exceeded' >&2\nexit 7\n");
    let err = within(LIMIT, || {
        cmd::state_set(&mut ProcessTools, &big_bag(1_000_000))
    })
    .unwrap_err();
    assert!(
        matches!(&err, ToolError::Failed { code: 7, stderr, .. } if stderr == "ERROR quota exceeded"),
        "{err:?}"
    );
}

/// Exit 0 without reading the input: the data may not have been applied, so it is not a
/// success.
#[test]
fn exit_zero_without_reading_the_input_is_an_error() {
    let (tools, _lock) = fake_tools();
    tools.case("exit 0\n");
    let err = within(LIMIT, || {
        cmd::relation_set(&mut ProcessTools, "db", 3, false, &big_bag(1_000_000))
    })
    .unwrap_err();
    assert!(matches!(err, ToolError::Failed { code: 0, .. }), "{err:?}");
    assert!(
        err.to_string().contains("without reading all of its input"),
        "{err}"
    );
}

/// A flood on stderr is drained (the tool finishes) and the error keeps a bounded part:
/// its beginning and its end, where Juju's `ERROR` line is.
#[test]
fn a_stderr_flood_is_drained_and_bounded() {
    let (tools, _lock) = fake_tools();
    tools.case(
        r#"head -c 10000000 /dev/zero | tr '\0' f >&2
echo >&2
echo 'ERROR the last line' >&2
exit 1
"#,
    );
    let err = within(LIMIT, || {
        ProcessTools.call(&ToolCall::new("config-get", ["--format=json"]))
    })
    .unwrap_err();
    let text = err.to_string();
    assert!(text.len() < 5_000, "{} bytes", text.len());
    assert!(
        text.ends_with("ERROR the last line"),
        "{}",
        &text[text.len() - 100..]
    );
    assert!(
        text.contains("bytes not shown"),
        "a marker says what was cut"
    );
    assert!(
        text.contains("failed with exit code 1"),
        "the exit code is named"
    );
}

/// Output that is not UTF-8 is an error naming the offset; the old backend replaced the
/// bytes and used the result (a wrong path, here).
#[test]
fn output_that_is_not_utf8_is_an_error() {
    let (tools, _lock) = fake_tools();
    tools.case(r"printf '/var/lib/juju/res/\377file\n'");
    let err = within(LIMIT, || cmd::resource_get(&mut ProcessTools, "bin")).unwrap_err();
    match &err {
        ToolError::BadOutput { problem, .. } => {
            assert_eq!(problem, "not UTF-8 (invalid byte at offset 18)")
        }
        other => panic!("{other:?}"),
    }
}

/// An argument longer than Linux passes: a clear error naming the argument as the call
/// shows it (here a redacted action result: the key, never the value), not a spawn
/// failure blaming the environment.
#[test]
fn an_argument_over_the_linux_limit_is_refused_before_spawning() {
    let (tools, _lock) = fake_tools();
    tools.case("echo called > \"$FAKE_TOOLS_DIR/got\"\n");
    let results = BTreeMap::from([
        ("db-password".to_string(), "s3cret-".repeat(30_000)),
        ("user".to_string(), "admin".to_string()),
    ]);
    let err = within(LIMIT, move || cmd::action_set(&mut ProcessTools, &results)).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ToolError::TooLarge { .. }), "{err:?}");
    assert!(
        text.contains("argument 1 (db-password=<redacted>) is 210012 bytes"),
        "{text}"
    );
    assert!(!text.contains("s3cret"), "{text}");
    assert!(!text.contains("running under Juju"), "{text}");
    assert!(tools.got().is_empty(), "the tool was not run");
}

/// A tool that exits but leaves a process holding its stdout: the call returns soon after
/// the tool exited, with what it printed (the old backend waited for the pipe's end: for
/// as long as the leftover process lived).
#[test]
fn a_leftover_process_holding_the_pipes_does_not_hang_the_call() {
    let (tools, _lock) = fake_tools();
    tools.case("echo true\nsleep 60 &\nexit 0\n");
    let start = Instant::now();
    let leader = within(LIMIT, || cmd::is_leader(&mut ProcessTools)).unwrap();
    assert!(leader);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

/// A tool killed by a signal: a failure that says so.
#[test]
fn a_tool_killed_by_a_signal_is_a_failure_naming_the_signal() {
    let (tools, _lock) = fake_tools();
    tools.case("echo 'partial' >&2\nkill -9 $$\n");
    let err = within(LIMIT, || cmd::is_leader(&mut ProcessTools)).unwrap_err();
    match &err {
        ToolError::Failed {
            code: -1, stderr, ..
        } => {
            assert!(stderr.contains("killed by signal 9"), "{stderr}")
        }
        other => panic!("{other:?}"),
    }
}

/// A tool that floods stdout for ever is stopped at the limit: a bounded error, no hang,
/// no unbounded buffer.
#[test]
fn an_endless_stdout_is_stopped_at_the_limit() {
    let (tools, _lock) = fake_tools();
    tools.case("exec yes\n");
    let err = within(Duration::from_secs(60), || {
        ProcessTools.call(&ToolCall::new("relation-get", ["--format=json"]))
    })
    .unwrap_err();
    assert!(matches!(err, ToolError::TooLarge { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("more than 67108864 bytes on stdout"),
        "{err}"
    );
}

/// A tool that is not there: the spawn error asks whether this runs under Juju; other
/// spawn failures do not.
#[test]
fn a_missing_tool_asks_whether_this_runs_under_juju() {
    let err = ProcessTools
        .call(&ToolCall::new("charm-runtime-no-such-tool", ["x"]))
        .unwrap_err();
    assert!(
        matches!(
            &err,
            ToolError::Spawn {
                not_found: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("is this running under Juju?"),
        "{err}"
    );
}

/// A tool that never exits (a stuck unit agent: Juju's client waits on its socket for
/// ever) is stopped at the deadline: a typed error naming the call, how long it ran and
/// what it wrote on stderr, instead of a hook that never ends. The old backend waited
/// for it for as long as it ran. (Juju and ops never time a tool out; the runtime stops it
/// after `TOOL_DEADLINE`, five minutes; here a short deadline stands in.)
#[test]
fn a_tool_that_never_exits_is_stopped_at_its_deadline() {
    let (tools, _lock) = fake_tools();
    let deadline = Duration::from_millis(500);
    // Sleeping with its pipes open, then with them closed (nothing left to read: only the
    // process says it is still running).
    for script in [
        "echo 'waiting for the agent' >&2\nexec sleep 60\n",
        "exec >&- 2>&- </dev/null\nexec sleep 60\n",
    ] {
        tools.case(script);
        let start = Instant::now();
        let err = within(LIMIT, move || {
            ProcessTools.call_within(
                &ToolCall::new("relation-get", ["--format=json", "-r", "db:1", "-", "pg/0"]),
                deadline,
            )
        })
        .unwrap_err();
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        match &err {
            ToolError::TimedOut { call, after, .. } => {
                assert_eq!(call, "relation-get --format=json -r db:1 - pg/0");
                assert!(*after >= deadline, "{after:?}");
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        let text = err.to_string();
        assert!(
            text.starts_with(
                "`relation-get --format=json -r db:1 - pg/0` had not finished after 0."
            ),
            "{text}"
        );
        if script.starts_with("echo") {
            assert!(
                text.ends_with("was stopped: waiting for the agent"),
                "{text}"
            );
        }
    }
    assert_eq!(
        charm_runtime::hooktools::TOOL_DEADLINE,
        Duration::from_secs(300),
        "`juju exec`'s default timeout"
    );
}
