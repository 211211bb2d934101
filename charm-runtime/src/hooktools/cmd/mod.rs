//! The typed hook-tool calls: each function builds the exact argv that ops sends
//! (juju-protocol.md §2; ops 3.9 `ops/hookcmds/*.py`, `ops/model.py` `_ModelBackend`) and
//! parses the tool's output. Nothing else in the runtime builds argv. The hot calls are
//! [`Request`](super::Request)s first, answered typed by a backend that can
//! ([`HookTools::answer`](super::HookTools::answer)); their argv is built in one place,
//! [`Request::call`](super::Request::call).
//!
//! One file per tool family: [`relation`] (relation-*), [`unit`](mod@unit) (config, leadership,
//! status, version, logging), [`action`] (action-*), [`state`] (state-*), [`secret`]
//! (secret-*), [`port`] (ports), [`network`] (network-get), [`storage`] (storage-*),
//! [`other`] (resources, goal state, credentials, reboot). Every function is re-exported
//! here, so callers write `cmd::relation_get(...)`.

pub mod action;
mod argv;
pub mod network;
pub mod other;
pub mod port;
pub mod relation;
pub mod secret;
pub mod state;
pub mod storage;
pub mod unit;
mod util;

pub use action::*;
pub use network::*;
pub use other::*;
pub use port::*;
pub use relation::*;
pub use secret::*;
pub use state::*;
pub use storage::*;
pub use unit::*;
pub use util::BagData;
