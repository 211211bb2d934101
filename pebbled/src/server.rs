//! Serving the API: a [`SharedPebble`] (the state behind a lock, optionally saved to a
//! file after each change), [`serve_connection`] for one stream (a socket pair in a
//! harness), and [`Server`], a unix-socket listener with a thread per connection and a
//! clean shutdown.

use std::io::{BufReader, Write};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::api::{self, Caller, Outcome};
use crate::http::{self, ReadError, Request, Response};
use crate::state::Pebble;

struct Inner {
    state: Mutex<Pebble>,
    changed: Condvar,
    persist: Option<PathBuf>,
    caller: Caller,
    stopping: AtomicBool,
}

/// One container's Pebble shared between connections (cheap to clone).
#[derive(Clone)]
pub struct SharedPebble {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SharedPebble {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedPebble")
            .field("persist", &self.inner.persist)
            .finish_non_exhaustive()
    }
}

impl SharedPebble {
    /// Shares `state`; requests come from uid 0 (root, as Juju runs charms).
    pub fn new(state: Pebble) -> Self {
        SharedPebble::with_options(state, None, Caller::default())
    }

    /// Shares `state`, saving it to `persist` after every request that can change it,
    /// with requests attributed to `caller`.
    pub fn with_options(state: Pebble, persist: Option<PathBuf>, caller: Caller) -> Self {
        SharedPebble {
            inner: Arc::new(Inner {
                state: Mutex::new(state),
                changed: Condvar::new(),
                persist,
                caller,
                stopping: AtomicBool::new(false),
            }),
        }
    }

    /// The state, locked (a panic elsewhere never poisons it for good).
    pub fn lock(&self) -> MutexGuard<'_, Pebble> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Changes the state from outside the API (a simulator failing a check, adding a
    /// notice), then wakes change waiters and saves it.
    pub fn update<R>(&self, change: impl FnOnce(&mut Pebble) -> R) -> R {
        let mut state = self.lock();
        let result = change(&mut state);
        self.after_change(&state);
        result
    }

    fn after_change(&self, state: &Pebble) {
        if let Some(path) = &self.inner.persist {
            if let Err(err) = state.save(path) {
                eprintln!("pebbled: {err}");
            }
        }
        self.inner.changed.notify_all();
    }

    /// Answers one request, waiting (without holding the state) when it asks to wait for
    /// a change.
    pub fn handle(&self, request: &Request) -> Response {
        let mut state = self.lock();
        let outcome = api::handle(&mut state, request, self.inner.caller);
        if request.method == "POST" {
            self.after_change(&state);
        }
        match outcome {
            Outcome::Respond(response) => response,
            Outcome::WaitChange { id, timeout_nanos } => {
                let deadline = timeout_nanos
                    .map(|nanos| Instant::now() + Duration::from_nanos(nanos.max(0) as u64));
                loop {
                    let ready = state.change(&id).is_none_or(|change| change.ready);
                    let stopping = self.inner.stopping.load(Ordering::SeqCst);
                    let remaining =
                        deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
                    if ready || stopping || remaining.is_some_and(|left| left.is_zero()) {
                        return api::wait_result(&state, &id, timeout_nanos);
                    }
                    let slice = remaining
                        .unwrap_or(Duration::from_secs(1))
                        .min(Duration::from_secs(1));
                    state = match self.inner.changed.wait_timeout(state, slice) {
                        Ok((guard, _)) => guard,
                        Err(poisoned) => poisoned.into_inner().0,
                    };
                }
            }
        }
    }

    fn stop_waiters(&self) {
        self.inner.stopping.store(true, Ordering::SeqCst);
        self.inner.changed.notify_all();
    }
}

/// Serves HTTP/1.1 requests on one stream until the peer closes it, asks to close, or
/// sends something unparseable (answered as Go's server answers it). Never panics on
/// input.
pub fn serve_connection(stream: UnixStream, state: &SharedPebble) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        let request = match http::read_request(&mut reader, &mut writer) {
            Ok(request) => request,
            Err(err) => {
                if let Some(reply) = err.reply() {
                    let _ = writer.write_all(&reply);
                    let _ = writer.flush();
                }
                if !matches!(err, ReadError::Closed) {
                    let _ = writer.shutdown(std::net::Shutdown::Both);
                }
                return;
            }
        };
        let response = state.handle(&request);
        if response.write_to(&mut writer, request.wants_close).is_err() || request.wants_close {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

type Connections = Arc<Mutex<Vec<(u64, UnixStream)>>>;

/// A running unix-socket server; [`Server::shutdown`] (or dropping it) stops it.
#[derive(Debug)]
pub struct Server {
    socket: PathBuf,
    state: SharedPebble,
    stopping: Arc<AtomicBool>,
    connections: Connections,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Listens on `socket` (a stale socket file there is replaced) and serves `state`,
    /// one thread per connection.
    pub fn bind(socket: &Path, state: SharedPebble) -> std::io::Result<Server> {
        if let Ok(meta) = std::fs::symlink_metadata(socket) {
            if meta.file_type().is_socket() {
                std::fs::remove_file(socket)?;
            }
        }
        let listener = UnixListener::bind(socket)?;
        let stopping = Arc::new(AtomicBool::new(false));
        let connections: Connections = Arc::default();
        let acceptor = {
            let (stopping, connections, state) =
                (stopping.clone(), connections.clone(), state.clone());
            let next_id = AtomicU64::new(0);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let id = next_id.fetch_add(1, Ordering::SeqCst);
                    if let Ok(clone) = stream.try_clone() {
                        connections
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push((id, clone));
                    }
                    let (connections, state) = (connections.clone(), state.clone());
                    std::thread::spawn(move || {
                        serve_connection(stream, &state);
                        connections
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .retain(|(other, _)| *other != id);
                    });
                }
            })
        };
        Ok(Server {
            socket: socket.to_path_buf(),
            state,
            stopping,
            connections,
            acceptor: Some(acceptor),
        })
    }

    /// The socket's path.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// The state it serves.
    pub fn state(&self) -> &SharedPebble {
        &self.state
    }

    /// Stops accepting, closes open connections, wakes change waiters, removes the socket.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        self.stopping.store(true, Ordering::SeqCst);
        self.state.stop_waiters();
        // Wake the blocking accept.
        let _ = UnixStream::connect(&self.socket);
        let _ = acceptor.join();
        for (_, stream) in self
            .connections
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        let _ = std::fs::remove_file(&self.socket);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
