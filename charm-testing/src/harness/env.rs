//! [`EnvCache`]: the dispatch environment of a context's last run, kept for its next run
//! with the same `JUJU_*` variables.
//!
//! Every run hands the runtime the variables Juju would set and lets
//! `HookEnv::from_vars` classify them, as under Juju. A test module (or a benchmark)
//! often runs the same event against states that share the model, so the variables are
//! often the same as last time: then the environment parsed last time is the one
//! `from_vars` would parse again, and is borrowed instead (its Pebble access is set for
//! each run). A context shared between threads lends it to one run at a time; the others
//! parse their own.

use super::RunError;
use charm_runtime::event::EnvError;
use charm_runtime::pebble::PebbleAccess;
use charm_runtime::HookEnv;
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Mutex;

/// The variables of one run: name and value, in the order they are set.
pub(crate) type Vars<'a> = [(&'static str, Cow<'a, str>)];

/// The last run's environment, if it can be used again (see the module documentation).
#[derive(Default)]
pub(crate) struct EnvCache(Mutex<Option<Entry>>);

/// A run's environment, with the variables it was parsed from.
pub(crate) struct Entry {
    /// The variables, each written `NAME=value` and a NUL (values holding a NUL are not
    /// kept).
    key: String,
    /// The previous key's buffer, reused for the next run's.
    scratch: String,
    /// Whether `key` stands for the variables (no value held a NUL).
    keyed: bool,
    /// The environment `HookEnv::from_vars` gave for them.
    pub(crate) env: HookEnv,
}

impl EnvCache {
    /// The environment for `vars` (hook `hook`): the last run's if its variables were the
    /// same, parsed by `HookEnv::from_vars` otherwise ([`RunError::Environment`] if the
    /// runtime refuses them).
    pub(crate) fn take(&self, vars: &Vars<'_>, hook: &str) -> Result<Entry, RunError> {
        let cached = self.0.lock().ok().and_then(|mut c| c.take());
        let (old_key, mut key, old_env) = match cached {
            Some(e) if e.keyed => (e.key, e.scratch, Some(e.env)),
            Some(e) => (String::new(), e.scratch, None),
            None => (String::new(), String::new(), None),
        };
        key.clear();
        let keyed = write_key(&mut key, vars);
        if let Some(env) = old_env {
            if keyed && key == old_key {
                return Ok(Entry {
                    key: old_key,
                    scratch: key,
                    keyed,
                    env,
                });
            }
        }
        Ok(Entry {
            key,
            scratch: old_key,
            keyed,
            env: parse(vars, hook)?,
        })
    }

    /// Keeps `entry` for the next run (without the run's Pebble access).
    pub(crate) fn put_back(&self, mut entry: Entry) {
        entry.env.pebble = PebbleAccess::Sockets(PathBuf::new());
        if let Ok(mut c) = self.0.lock() {
            *c = Some(entry);
        }
    }
}

/// Writes `vars` into `key`, each as `NAME=value` and a NUL; false if a value holds a
/// NUL (the key would not tell the variables apart).
fn write_key(key: &mut String, vars: &Vars<'_>) -> bool {
    for (name, value) in vars {
        if value.contains('\0') {
            return false;
        }
        key.push_str(name);
        key.push('=');
        key.push_str(value);
        key.push('\0');
    }
    true
}

/// `HookEnv::from_vars` over `vars`.
fn parse(vars: &Vars<'_>, hook: &str) -> Result<HookEnv, RunError> {
    let lookup = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    match HookEnv::from_vars(lookup) {
        Ok(Some(env)) => Ok(env),
        Ok(None) => Err(RunError::Environment(EnvError::Missing {
            var: "JUJU_DISPATCH_PATH",
            hook: hook.to_string(),
        })),
        Err(e) => Err(RunError::Environment(e)),
    }
}
