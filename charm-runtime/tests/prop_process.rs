//! Property tests of the process backend with real tools: generated shell behaviours
//! (any exit code, stderr of any size in text or not UTF-8, stdout valid or not or not
//! UTF-8, reading stdin or not, sleeping) against inputs of any size. Each call returns in bounded time with the
//! tool's own verdict: exit 0 having read everything gives its stdout; anything else is a
//! typed, bounded error. Few cases: each spawns a process.

mod common;

use charm_runtime::hooktools::{HookTools, ProcessTools, ToolCall, ToolError};
use common::fake_tools::{fake_tools, within};
use proptest::prelude::*;
use std::time::Duration;

/// Cases (recorded in docs/guarantees.md).
const CASES: u32 = 60;

#[derive(Debug, Clone)]
struct Behaviour {
    code: u8,
    stderr_bytes: usize,
    /// The byte stderr is made of: text, or one that is not UTF-8.
    stderr_byte: &'static str,
    stdout: &'static str,
    reads_stdin: bool,
    sleep_ms: u64,
    stdin_bytes: usize,
}

fn behaviour() -> impl Strategy<Value = Behaviour> {
    (
        prop_oneof![Just(0u8), Just(1), Just(2), any::<u8>()],
        prop_oneof![Just(0usize), 1usize..300, 60_000usize..400_000],
        prop::sample::select(vec!["e", "\\377"]),
        prop::sample::select(vec!["true", "[\"db:1\"]", "{", "", "\\377\\376", "null"]),
        any::<bool>(),
        prop_oneof![Just(0u64), 1u64..300],
        prop_oneof![Just(0usize), 1usize..100, 60_000usize..400_000],
    )
        .prop_map(
            |(code, stderr_bytes, stderr_byte, stdout, reads_stdin, sleep_ms, stdin_bytes)| {
                Behaviour {
                    code,
                    stderr_bytes,
                    stderr_byte,
                    stdout,
                    reads_stdin,
                    sleep_ms,
                    stdin_bytes,
                }
            },
        )
}

fn script(b: &Behaviour) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "head -c {} /dev/zero | tr '\\0' '{}' >&2\n",
        b.stderr_bytes, b.stderr_byte
    ));
    if b.reads_stdin {
        s.push_str("cat > /dev/null\n");
    }
    if b.sleep_ms > 0 {
        s.push_str(&format!("sleep 0.{:03}\n", b.sleep_ms));
    }
    s.push_str(&format!("printf '{}'\nexit {}\n", b.stdout, b.code));
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_tool_behaviour_ends_in_its_verdict(b in behaviour()) {
        let (tools, _lock) = fake_tools();
        tools.case(&script(&b));
        let stdin = (b.stdin_bytes > 0).then(|| format!("{{\"k\": \"{}\"}}", "v".repeat(b.stdin_bytes)));
        let r = within(Duration::from_secs(20), move || {
            let mut call = ToolCall::new("relation-set", ["-r", "db:1", "--file", "-"]);
            if let Some(s) = stdin {
                call = call.with_stdin(s);
            }
            ProcessTools.call(&call)
        });
        match &r {
            Ok(out) => {
                prop_assert_eq!(b.code, 0);
                prop_assert!(b.stdout != "\\377\\376");
                prop_assert_eq!(out.as_str(), b.stdout);
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert!(text.len() <= 8 * 1024, "{} bytes", text.len());
                prop_assert!(text.contains("relation-set"), "{text}");
                match e {
                    ToolError::Failed { code, .. } if b.code != 0 => prop_assert_eq!(*code, i32::from(b.code)),
                    // Exit 0 without reading all of the input (even a small one, if the tool
                    // was gone before it was written).
                    ToolError::Failed { code: 0, .. } => {
                        prop_assert!(b.code == 0 && !b.reads_stdin && b.stdin_bytes > 0)
                    }
                    ToolError::BadOutput { .. } => prop_assert!(b.code == 0 && b.stdout == "\\377\\376"),
                    ToolError::PermissionDenied { .. } | ToolError::RelationNotFound { .. } => prop_assert!(b.code != 0),
                    other => prop_assert!(false, "{other:?}"),
                }
            }
        }
        if b.code == 0 && b.reads_stdin && b.stdout != "\\377\\376" {
            prop_assert!(r.is_ok(), "{r:?}");
        }
    }
}
