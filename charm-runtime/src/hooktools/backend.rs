//! [`HookTools`]: what every backend implements, and the [`Recorder`] wrapper.

use super::call::ToolCall;
use super::error::ToolError;
use super::request::{Reply, Request};

/// Something that runs hook tools: Juju's real tools ([`ProcessTools`](super::ProcessTools)), or an in-memory
/// model of them in tests. Implementations return the tool's stdout on exit status 0, and a
/// [`ToolError`] built with [`ToolError::from_exit`] otherwise.
///
/// A backend that can answer the hot calls without argv (an in-memory Juju) also
/// implements [`HookTools::answer`]; the default answers nothing, so every call runs as
/// argv through [`HookTools::call`].
pub trait HookTools {
    /// Runs one tool and returns its stdout.
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError>;

    /// Answers `request` without running it as argv: `None` if this backend has no typed
    /// answer for it (the caller then runs [`Request::call`] with [`HookTools::call`]),
    /// else what the tool would have answered, an error being the one that call would
    /// have failed with. A backend that answers counts the call as made (records it,
    /// applies it) exactly as if [`Request::call`] had run.
    fn answer(&mut self, request: &Request<'_>) -> Option<Result<Reply, ToolError>> {
        let _ = request;
        None
    }
}

impl<T: HookTools + ?Sized> HookTools for &mut T {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        (**self).call(call)
    }

    fn answer(&mut self, request: &Request<'_>) -> Option<Result<Reply, ToolError>> {
        (**self).answer(request)
    }
}

/// A [`HookTools`] wrapper that records every call it passes on, for tests and the
/// `events` log of the simulator.
#[derive(Debug, Default)]
pub struct Recorder<T> {
    /// The wrapped backend.
    pub inner: T,
    /// Every call made, in order.
    pub calls: Vec<ToolCall>,
}

impl<T: HookTools> Recorder<T> {
    /// Wraps a backend.
    pub fn new(inner: T) -> Self {
        Recorder {
            inner,
            calls: Vec::new(),
        }
    }
}

impl<T: HookTools> HookTools for Recorder<T> {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        self.calls.push(call.clone());
        self.inner.call(call)
    }

    /// Records `call` only when the inner backend answers it (otherwise the caller runs
    /// it through [`HookTools::call`], which records it).
    fn answer(&mut self, request: &Request<'_>) -> Option<Result<Reply, ToolError>> {
        let reply = self.inner.answer(request)?;
        self.calls.push(request.call());
        Some(reply)
    }
}
