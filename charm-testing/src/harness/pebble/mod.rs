//! The containers' Pebbles during one run: one in-memory `pebbled` instance per container
//! that can connect, reached by the runtime's real Pebble client through the connector
//! seam (`HookEnv::pebble`): each connection is one end of a `UnixStream::pair()`, the other
//! served on a thread, so the client's HTTP, envelopes and multipart bodies run for real.
//! Every request is recorded as a [`PebbleCall`].
//!
//! A container that cannot connect (or is not in the state) refuses the connection, which
//! the client reports as its cannot-connect error.

mod calls;
mod fs;
mod seed;

pub use calls::{PebbleCall, PushedFile, MAX_BODY_SUMMARY};

use super::state::Container;
use charm_runtime::pebble::{Connector, PebbleAccess};
use pebbled::http::{read_request, ReadError};
use pebbled::SharedPebble;
use std::collections::BTreeMap;
use std::io::{self, BufReader};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

/// One container's Pebble for a run, and its filesystem: made when the run starts if the
/// state gives files or mounts, else on the first files request (most runs never make one).
struct Backend {
    pebble: SharedPebble,
    root: Mutex<Option<fs::Root>>,
    /// Why the root could not be made on demand, reported after the run.
    root_error: Mutex<Option<String>>,
}

impl Backend {
    fn ensure_root(&self) {
        let mut root = self.root.lock().unwrap_or_else(PoisonError::into_inner);
        if root.is_some() {
            return;
        }
        match fs::Root::new(&BTreeMap::new(), &BTreeMap::new()) {
            Ok(made) => {
                let path = made.path().to_path_buf();
                self.pebble.update(|p| p.root = Some(path));
                *root = Some(made);
            }
            Err(e) => {
                *self
                    .root_error
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(e);
            }
        }
    }
}

/// What the connector shares with the serving threads.
#[derive(Default)]
struct Served {
    backends: BTreeMap<String, Arc<Backend>>,
    calls: Mutex<Vec<PebbleCall>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// Why the connector refuses a container: a unit type, so refusing allocates no message.
#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "the state's container cannot connect (`Container::can_connect(false)`, or not in the state)",
        )
    }
}

impl std::error::Error for Refused {}

/// The connector handed to the runtime.
struct HarnessConnector(Arc<Served>);

impl Connector for HarnessConnector {
    fn connect(&self, container: &str) -> io::Result<UnixStream> {
        let Some(backend) = self.0.backends.get(container) else {
            return Err(io::Error::new(io::ErrorKind::ConnectionRefused, Refused));
        };
        let (client, server) = UnixStream::pair()?;
        let (backend, served, name) = (
            Arc::clone(backend),
            Arc::clone(&self.0),
            container.to_string(),
        );
        let thread = std::thread::Builder::new()
            .name(format!("pebble-{container}"))
            .spawn(move || serve(server, &name, &backend, &served))?;
        self.0
            .threads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(thread);
        Ok(client)
    }

    fn describe(&self, container: &str) -> String {
        [
            "the harness's in-memory Pebble of container `",
            container,
            "`",
        ]
        .concat()
    }

    /// A socket pair and a serving thread: never blocks, so the client needs no helper
    /// thread to time the connect out.
    fn may_block(&self) -> bool {
        false
    }
}

/// Serves one connection as `pebbled::serve_connection` does, recording each request with
/// the status it got before the response goes out.
fn serve(stream: UnixStream, container: &str, backend: &Backend, served: &Served) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        let request = match read_request(&mut reader, &mut writer) {
            Ok(request) => request,
            Err(err) => {
                if let Some(reply) = err.reply() {
                    let _ = io::Write::write_all(&mut writer, &reply);
                }
                if !matches!(err, ReadError::Closed) {
                    let _ = writer.shutdown(std::net::Shutdown::Both);
                }
                return;
            }
        };
        if request.path.starts_with("/v1/files") {
            backend.ensure_root();
        }
        let response = backend.pebble.handle(&request);
        served
            .calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(PebbleCall::new(container, &request, response.status));
        if response.write_to(&mut writer, request.wants_close).is_err() || request.wants_close {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

/// The Pebbles of one run.
pub(crate) struct Workloads {
    baselines: BTreeMap<String, seed::Baseline>,
    served: Arc<Served>,
}

impl Workloads {
    /// A Pebble for each container that can connect, seeded from the state.
    pub(crate) fn start(containers: &[Container]) -> Result<Workloads, String> {
        let mut baselines = BTreeMap::new();
        let mut backends = BTreeMap::new();
        for c in containers.iter().filter(|c| c.can_connect) {
            let fail = |e: String| format!("container `{}`: {e}", c.name);
            let root = if c.files.is_empty() && c.mounts.is_empty() {
                None
            } else {
                Some(fs::Root::new(&c.mounts, &c.files).map_err(fail)?)
            };
            let (pebble, baseline) =
                seed::build(c, root.as_ref().map(fs::Root::path)).map_err(fail)?;
            baselines.insert(c.name.clone(), baseline);
            backends.insert(
                c.name.clone(),
                Arc::new(Backend {
                    pebble: SharedPebble::new(pebble),
                    root: Mutex::new(root),
                    root_error: Mutex::new(None),
                }),
            );
        }
        let served = Served {
            backends,
            ..Served::default()
        };
        Ok(Workloads {
            baselines,
            served: Arc::new(served),
        })
    }

    /// How the charm reaches them.
    pub(crate) fn access(&self) -> PebbleAccess {
        PebbleAccess::connector(HarnessConnector(Arc::clone(&self.served)))
    }

    /// After the dispatch: waits for the serving threads, writes the mounts back, and
    /// returns the containers as their Pebbles now hold them, with the calls made.
    pub(crate) fn finish(
        self,
        containers: &[Container],
    ) -> Result<(Vec<Container>, Vec<PebbleCall>), String> {
        let threads = std::mem::take(
            &mut *self
                .served
                .threads
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for t in threads {
            // A serving thread never panics on input; if one did, its call is missing.
            let _ = t.join();
        }
        let calls = std::mem::take(
            &mut *self
                .served
                .calls
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        let mut out = Vec::with_capacity(containers.len());
        for c in containers {
            let (Some(backend), Some(baseline)) = (
                self.served.backends.get(&c.name),
                self.baselines.get(&c.name),
            ) else {
                out.push(c.clone());
                continue;
            };
            let fail = |e: String| format!("container `{}`: {e}", c.name);
            if let Some(e) = backend
                .root_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
            {
                return Err(fail(e));
            }
            let mut back = seed::read_back(c, &backend.pebble.lock(), baseline);
            let root = backend.root.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(root) = root.as_ref() {
                back.files = root.files().map_err(fail)?;
                root.sync_mounts().map_err(fail)?;
            }
            out.push(back);
        }
        Ok((out, calls))
    }
}
