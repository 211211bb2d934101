//! Typed requests: a backend's typed answer is recorded as the argv it stands for, no
//! answer falls back to argv, and a reply of the wrong kind is an error naming the call.

use crate::hooktools::{cmd, HookTools, Recorder, Reply, Request, ToolCall, ToolError};

/// Answers `is-leader` typed (with `reply`), fails every argv call.
struct Typed(Reply);

impl HookTools for Typed {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        panic!("{call} ran as argv")
    }

    fn answer(&mut self, request: &Request<'_>) -> Option<Result<Reply, ToolError>> {
        matches!(request, Request::IsLeader).then(|| Ok(self.0.clone()))
    }
}

/// Answers nothing typed; prints `true` for every argv call.
struct Argv;

impl HookTools for Argv {
    fn call(&mut self, _: &ToolCall) -> Result<String, ToolError> {
        Ok("true".into())
    }
}

#[test]
fn a_typed_answer_is_recorded_as_the_argv_it_stands_for() {
    let mut tools = Recorder::new(Typed(Reply::Bool(true)));
    assert!(cmd::is_leader(&mut tools).unwrap());
    let lines: Vec<String> = tools.calls.iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["is-leader --format=json"]);
}

#[test]
fn without_a_typed_answer_the_call_runs_as_argv_and_is_recorded_once() {
    let mut tools = Recorder::new(Argv);
    assert!(cmd::is_leader(&mut tools).unwrap());
    assert_eq!(tools.calls.len(), 1);
    assert_eq!(tools.calls[0].to_string(), "is-leader --format=json");
}

#[test]
fn a_reply_of_the_wrong_kind_is_a_bad_output_error_naming_the_call() {
    let mut tools = Typed(Reply::Names(vec![]));
    let err = cmd::is_leader(&mut tools).unwrap_err();
    assert!(matches!(err, ToolError::BadOutput { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("is-leader --format=json"), "{msg}");
    assert!(msg.contains("answered names"), "{msg}");
}
