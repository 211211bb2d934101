//! The `log` backend and the queue of lines it sends to `juju-log` (see the module
//! documentation of [`crate::log`]).

use super::level::LogLevel;
use crate::hooktools::{cmd, HookTools, Reply, Request, ToolCall, ToolError};
use std::cell::RefCell;

thread_local! {
    /// The lines queued by the dispatch running on this thread, if one is.
    static QUEUE: RefCell<Option<Vec<(LogLevel, String)>>> = const { RefCell::new(None) };
}

/// Queues a line for the dispatch running on this thread; without one, writes it to
/// stderr.
pub(crate) fn line(level: LogLevel, message: String) {
    let unqueued = QUEUE.with(|q| match q.borrow_mut().as_mut() {
        Some(queue) => {
            queue.push((level, message));
            None
        }
        None => Some(message),
    });
    if let Some(message) = unqueued {
        eprintln!("{}: {message}", level.as_str());
    }
}

fn take_queued() -> Vec<(LogLevel, String)> {
    QUEUE.with(|q| {
        q.borrow_mut()
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    })
}

/// The runtime's `log` backend.
struct JujuLogger;

static LOGGER: JujuLogger = JujuLogger;

impl log::Log for JujuLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        line(record.level().into(), record.args().to_string());
    }

    fn flush(&self) {}
}

/// Installs the runtime's `log` backend at level `Debug`, unless a backend is installed
/// already (the charm's own, or ours from an earlier dispatch in this process). The
/// runtime calls it at the start of every dispatch.
pub fn install() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
}

/// A hook-tool backend that sends the lines queued on this thread to `juju-log` before
/// each call it passes on, and once more when flushed or dropped. While it lives, this
/// thread's `log` records are queued for it.
pub struct Flushing<'a> {
    inner: &'a mut dyn HookTools,
    /// Whether this value started the queue (and so ends it when dropped).
    owns_queue: bool,
}

impl<'a> Flushing<'a> {
    /// Starts queueing this thread's lines for `inner`.
    pub fn new(inner: &'a mut dyn HookTools) -> Self {
        let owns_queue = QUEUE.with(|q| {
            let mut q = q.borrow_mut();
            let fresh = q.is_none();
            if fresh {
                *q = Some(Vec::new());
            }
            fresh
        });
        Flushing { inner, owns_queue }
    }

    /// Sends the queued lines now: one `juju-log` per line (a line `juju-log` refuses
    /// goes to stderr instead, after a note saying why: logging never fails a dispatch,
    /// and never drops a line silently).
    pub fn flush(&mut self) {
        for (level, message) in take_queued() {
            if let Err(e) = cmd::juju_log(self.inner, level, &message) {
                eprintln!("juju-log failed ({e}); the line it carried follows");
                eprintln!("{}: {message}", level.as_str());
            }
        }
    }
}

impl HookTools for Flushing<'_> {
    fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
        self.flush();
        self.inner.call(call)
    }

    /// Sends the queued lines first, as [`HookTools::call`] does, so a typed answer
    /// keeps the calls in the order they were made.
    fn answer(&mut self, request: &Request<'_>) -> Option<Result<Reply, ToolError>> {
        self.flush();
        self.inner.answer(request)
    }
}

impl Drop for Flushing<'_> {
    fn drop(&mut self) {
        self.flush();
        if self.owns_queue {
            QUEUE.with(|q| *q.borrow_mut() = None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::LogLevel;

    #[derive(Default)]
    struct Calls(Vec<Vec<String>>);

    impl HookTools for Calls {
        fn call(&mut self, call: &ToolCall) -> Result<String, ToolError> {
            self.0.push(call.argv());
            if call.tool == "is-leader" {
                Ok("true".into())
            } else {
                Ok(String::new())
            }
        }
    }

    #[test]
    fn records_go_to_juju_log_before_the_next_call_in_order() {
        install();
        let mut calls = Calls::default();
        {
            let mut tools = Flushing::new(&mut calls);
            log::warn!("first {}", 1);
            log::info!("second");
            log::trace!("filtered out at the default level");
            assert_eq!(cmd::is_leader(&mut tools), Ok(true));
            log::error!("last");
        }
        let lines: Vec<String> = calls.0.iter().map(|a| a.join(" ")).collect();
        assert_eq!(
            lines,
            [
                "juju-log --log-level WARNING -- first 1",
                "juju-log --log-level INFO -- second",
                "is-leader --format=json",
                "juju-log --log-level ERROR -- last",
            ]
        );
        // The queue ended with the backend: nothing is left for the next dispatch.
        assert!(QUEUE.with(|q| q.borrow().is_none()));
    }

    #[test]
    fn level_names() {
        assert_eq!(LogLevel::from(log::Level::Warn).as_str(), "WARNING");
        assert_eq!(LogLevel::parse("critical"), Some(LogLevel::Error));
        assert_eq!(LogLevel::parse("loud"), None);
    }
}
