//! Unit tests of the runtime against a scripted hook-tool backend.

mod cmd;
mod dispatch;
mod juju;
mod limits;
mod model;
mod secret;
mod typed;

use crate::event::{Event, HookEnv};
use crate::hooktools::{HookTools, ToolCall, ToolError};
use std::collections::HashMap;
use std::path::PathBuf;

/// A backend that answers calls from a script keyed by the command line, records every
/// call, and fails calls it has no answer for.
#[derive(Default)]
pub struct Scripted {
    pub answers: HashMap<String, Result<String, (i32, String)>>,
    pub calls: Vec<ToolCall>,
}

impl Scripted {
    pub fn answer(mut self, cmdline: &str, stdout: &str) -> Self {
        self.answers.insert(cmdline.into(), Ok(stdout.into()));
        self
    }

    pub fn fail(mut self, cmdline: &str, code: i32, stderr: &str) -> Self {
        self.answers
            .insert(cmdline.into(), Err((code, stderr.into())));
        self
    }

    /// The command lines called, in order.
    pub fn cmdlines(&self) -> Vec<String> {
        self.calls.iter().map(|c| c.to_string()).collect()
    }
}

impl HookTools for Scripted {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        self.calls.push(call.clone());
        let line = call.to_string();
        match self.answers.get(&line) {
            Some(Ok(out)) => Ok(out.clone()),
            Some(Err((code, err))) => Err(ToolError::from_exit(call, *code, err)),
            // Writes succeed silently unless scripted otherwise.
            None if matches!(
                call.tool,
                "relation-set"
                    | "status-set"
                    | "juju-log"
                    | "open-port"
                    | "close-port"
                    | "application-version-set"
            ) =>
            {
                Ok(String::new())
            }
            None => Err(ToolError::from_exit(
                call,
                1,
                &format!("ERROR unscripted call: {line}"),
            )),
        }
    }
}

/// A backend that answers every call with a function of the call (stdout, or exit code
/// and stderr) and records the calls.
pub struct Fake<F> {
    pub answer: F,
    pub calls: Vec<ToolCall>,
}

impl<F: FnMut(&ToolCall) -> Result<String, (i32, String)>> Fake<F> {
    pub fn new(answer: F) -> Self {
        Fake {
            answer,
            calls: Vec::new(),
        }
    }

    /// The calls made, as argv (the real arguments, not the redacted ones).
    pub fn argv(&self) -> Vec<Vec<String>> {
        self.calls.iter().map(|c| c.argv()).collect()
    }
}

impl<F: FnMut(&ToolCall) -> Result<String, (i32, String)>> HookTools for Fake<F> {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        self.calls.push(call.clone());
        (self.answer)(call).map_err(|(code, err)| ToolError::from_exit(call, code, &err))
    }
}

pub fn env(unit: &str, event: Event) -> HookEnv {
    let (app, n) = unit.split_once('/').unwrap();
    HookEnv {
        unit_name: unit.into(),
        app_name: app.into(),
        unit_number: n.parse().unwrap(),
        model_name: "m".into(),
        model_uuid: "uuid".into(),
        juju_version: "3.6.4".into(),
        charm_dir: PathBuf::from("."),
        dispatch_path: format!("hooks/{}", event.hook_name()),
        hook_name: event.hook_name(),
        context_id: None,
        event,
        pebble: Default::default(),
    }
}
