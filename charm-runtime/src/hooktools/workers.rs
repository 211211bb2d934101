//! Reused threads for the process backend's pipes. A tool call reads its stdout and stderr
//! at once (and may write its stdin), one thread each; starting a thread costs about 50 µs
//! on a small machine, two per call, so a thread that has finished with its pipe waits for
//! the next call's instead of ending. A thread still busy (a pipe a leftover process holds
//! open) is simply not reused: the next call gets a new one.

use std::sync::mpsc::{self, SendError, Sender};
use std::sync::{Mutex, PoisonError};

/// What a worker runs: the work, returning how to report its end.
type Job = Box<dyn FnOnce() -> Report + Send>;

/// How a job reports that it is done. It runs once the worker is idle again, so the caller
/// that hears it finds the worker free for its next call.
pub(super) type Report = Box<dyn FnOnce() + Send>;

/// The idle workers, each waiting for a job on its channel.
static IDLE: Mutex<Vec<Sender<Job>>> = Mutex::new(Vec::new());

/// Runs `job` on an idle worker, or on a new one if none is idle.
pub(super) fn run(job: impl FnOnce() -> Report + Send + 'static) {
    let mut job: Job = Box::new(job);
    loop {
        let idle = IDLE.lock().unwrap_or_else(PoisonError::into_inner).pop();
        match idle {
            Some(worker) => match worker.send(job) {
                Ok(()) => return,
                // A worker that is gone (its thread panicked): try the next.
                Err(SendError(back)) => job = back,
            },
            None => break,
        }
    }
    let (tx, rx) = mpsc::channel::<Job>();
    std::thread::spawn(move || {
        let mut next = Some(job);
        while let Some(job) = next.take() {
            let report = job();
            IDLE.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(tx.clone());
            report();
            next = rx.recv().ok();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;
    use std::time::Duration;

    #[test]
    fn a_worker_is_reused_once_it_has_reported() {
        let (tx, rx) = channel();
        let mut threads = std::collections::BTreeSet::new();
        for i in 0..20 {
            let tx = tx.clone();
            run(move || {
                let id = std::thread::current().id();
                Box::new(move || tx.send((i, id)).unwrap())
            });
            // Sequential calls, as a hook's tool calls are: each waits for the report.
            let (got, id) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
            assert_eq!(got, i);
            threads.insert(format!("{id:?}"));
        }
        // Other tests share the pool and may take an idle worker in between, so this
        // cannot be one thread; but the workers were reused.
        assert!(threads.len() < 20, "{threads:?}");
    }

    #[test]
    fn a_busy_worker_is_not_waited_for() {
        let (release, blocked) = channel::<()>();
        let (tx, rx) = channel();
        let first = tx.clone();
        run(move || {
            // Holds its worker until released, as a pipe a leftover process keeps open.
            let _ = blocked.recv();
            Box::new(move || first.send("first").unwrap())
        });
        run(move || Box::new(move || tx.send("second").unwrap()));
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), "second");
        release.send(()).unwrap();
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), "first");
    }
}
