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
    /// The variables, each written `NAME=value` and a NUL; `None` if a value held a NUL
    /// (the key would not tell the variables apart).
    key: Option<String>,
    /// The environment `HookEnv::from_vars` gave for them.
    pub(crate) env: HookEnv,
}

impl EnvCache {
    /// The environment for `vars` (hook `hook`): the last run's if its variables were the
    /// same, parsed by `HookEnv::from_vars` otherwise (its error if the runtime refuses
    /// them).
    pub(crate) fn take(&self, vars: &Vars<'_>, hook: &str) -> Result<Entry, EnvError> {
        let cached = self.0.lock().ok().and_then(|mut c| c.take());
        let mut buffer = String::new();
        if let Some(entry) = cached {
            match entry.key {
                Some(key) if matches(&key, vars) => {
                    return Ok(Entry {
                        key: Some(key),
                        env: entry.env,
                    })
                }
                // Its buffer serves the new key.
                Some(key) => buffer = key,
                None => {}
            }
        }
        buffer.clear();
        Ok(Entry {
            key: write_key(buffer, vars),
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

/// `vars` written into `key`, each as `NAME=value` and a NUL; `None` if a value holds a
/// NUL.
fn write_key(mut key: String, vars: &Vars<'_>) -> Option<String> {
    for (name, value) in vars {
        if value.contains('\0') {
            return None;
        }
        key.push_str(name);
        key.push('=');
        key.push_str(value);
        key.push('\0');
    }
    Some(key)
}

/// Whether `key` is what [`write_key`] writes for `vars` (compared in place).
fn matches(key: &str, vars: &Vars<'_>) -> bool {
    let mut rest = key.as_bytes();
    for (name, value) in vars {
        if value.contains('\0') {
            return false;
        }
        for part in [name.as_bytes(), b"=", value.as_bytes(), b"\0"] {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        }
    }
    rest.is_empty()
}

/// `HookEnv::from_vars` over `vars`.
fn parse(vars: &Vars<'_>, hook: &str) -> Result<HookEnv, EnvError> {
    let lookup = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    HookEnv::from_vars(lookup)?.ok_or_else(|| EnvError::Missing {
        var: "JUJU_DISPATCH_PATH",
        hook: hook.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &[(&'static str, &'a str)]) -> Vec<(&'static str, Cow<'a, str>)> {
        pairs.iter().map(|(k, v)| (*k, Cow::Borrowed(*v))).collect()
    }

    #[test]
    fn a_key_matches_exactly_its_variables() {
        let base = vars(&[("JUJU_HOOK_NAME", "start"), ("JUJU_MODEL_NAME", "m")]);
        let key = write_key(String::new(), &base).expect("no NUL");
        assert!(matches(&key, &base));
        for other in [
            vars(&[("JUJU_HOOK_NAME", "start"), ("JUJU_MODEL_NAME", "n")]),
            vars(&[("JUJU_HOOK_NAME", "start")]),
            vars(&[("JUJU_HOOK_NAME", "start"), ("JUJU_MODEL_UUID", "m")]),
            vars(&[
                ("JUJU_HOOK_NAME", "start"),
                ("JUJU_MODEL_NAME", "m"),
                ("JUJU_VERSION", "3.6.14"),
            ]),
            vars(&[("JUJU_HOOK_NAME", "start=JUJU_MODEL_NAME=m")]),
            // A NUL could stand for the separator: never a match, never a key.
            vars(&[("JUJU_HOOK_NAME", "start\0JUJU_MODEL_NAME=m")]),
        ] {
            assert!(!matches(&key, &other), "{other:?}");
        }
        assert_eq!(
            write_key(String::new(), &vars(&[("JUJU_HOOK_NAME", "a\0")])),
            None
        );
    }
}
