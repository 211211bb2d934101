//! [`HookTools`]: what every backend implements, and the [`Recorder`] wrapper.

use super::call::ToolCall;
use super::error::ToolError;

/// Something that runs hook tools: Juju's real tools ([`ProcessTools`](super::ProcessTools)), or an in-memory
/// model of them in tests. Implementations return the tool's stdout on exit status 0, and a
/// [`ToolError`] built with [`ToolError::from_exit`] otherwise.
pub trait HookTools {
    /// Runs one tool and returns its stdout.
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError>;
}

impl<T: HookTools + ?Sized> HookTools for &mut T {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        (**self).call(call)
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
}
