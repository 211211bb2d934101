//! Parsing the `JUJU_*` environment of a dispatch into a [`HookEnv`] (juju-protocol.md
//! §1.2–1.3).
//!
//! The event is classified from the environment, never from the hook name alone: an
//! action by its `actions/` dispatch path, then a relation event by `JUJU_RELATION`, a
//! storage event by `JUJU_STORAGE_ID`, a workload event by `JUJU_WORKLOAD_NAME`, a secret
//! event by `JUJU_SECRET_ID`, and anything else must be a unit hook. The kind of a
//! relation, storage or workload event is what is left of the hook name once the known
//! prefix (`<endpoint>-relation-`, `<storage>-storage-`, `<container>-`) is stripped, so
//! names containing dashes or `-relation-` are handled correctly.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::pebble::{PebbleAccess, CONTAINERS_DIR_VAR};

use super::names::{self, shown};
use super::{
    ActionEvent, Event, RelationEvent, RelationEventKind, SecretEvent, SecretEventKind,
    StorageEvent, StorageEventKind, WorkloadEvent, WorkloadEventKind,
};

/// The `JUJU_VERSION` assumed for `collect-metrics`, where Juju may not set it (as ops does).
const DEFAULT_JUJU_VERSION: &str = "0.0.0";

/// The parsed environment of one dispatch: who we are, where we run, and which event
/// fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookEnv {
    /// The unit name, `app/N` (`JUJU_UNIT_NAME`).
    pub unit_name: String,
    /// The application name: the part of the unit name before `/`.
    pub app_name: String,
    /// The unit number: the part of the unit name after `/`.
    pub unit_number: u32,
    /// The model name (`JUJU_MODEL_NAME`).
    pub model_name: String,
    /// The model UUID (`JUJU_MODEL_UUID`).
    pub model_uuid: String,
    /// The Juju agent version (`JUJU_VERSION`); `0.0.0` for `collect-metrics` when unset.
    pub juju_version: String,
    /// The charm directory (`JUJU_CHARM_DIR`, else the legacy `CHARM_DIR`, else `.`).
    pub charm_dir: PathBuf,
    /// `JUJU_DISPATCH_PATH` as Juju set it, e.g. `hooks/install` or `actions/backup`.
    pub dispatch_path: String,
    /// The hook name, e.g. `db-relation-changed` (`JUJU_HOOK_NAME`, else the last
    /// component of the dispatch path). For actions, the action name.
    pub hook_name: String,
    /// The hook context id (`JUJU_CONTEXT_ID`) hook tools use, when set.
    pub context_id: Option<String>,
    /// The event that fired, with its data.
    pub event: Event,
    /// How the workload containers' Pebbles are reached: sockets under `/charm/containers`
    /// unless `CHARM_CONTAINERS_DIR` names another directory (the simulator and tests set
    /// it; Juju does not), or an in-process connector a test harness sets.
    pub pebble: PebbleAccess,
}

/// Why the dispatch environment could not be turned into a [`HookEnv`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvError {
    /// A variable the hook needs is unset or empty.
    Missing {
        /// The variable, e.g. `JUJU_RELATION_ID`.
        var: &'static str,
        /// The hook (or action) that needs it.
        hook: String,
    },
    /// A variable is set but its value cannot be parsed, or has a shape Juju never gives
    /// it (a unit name that is not `<application>/<number>` by Juju's rules, say).
    Malformed {
        /// The variable, e.g. `JUJU_RELATION_ID`.
        var: &'static str,
        /// The value given, as errors quote it: at most its first
        /// [`SHOWN_VALUE_BYTES`](super::names::SHOWN_VALUE_BYTES) bytes, then its length.
        value: String,
        /// The expected shape, e.g. `` `<endpoint>:<id>` ``.
        expected: &'static str,
    },
    /// A variable's value is not valid UTF-8 (Juju only sends UTF-8).
    NotUnicode {
        /// The variable.
        var: &'static str,
        /// How long the value is, in bytes.
        bytes: usize,
    },
    /// Two variables contradict each other, e.g. `JUJU_RELATION=database` with
    /// `JUJU_RELATION_ID=fastapi-peer:0`: Juju derives one from the other.
    Conflict {
        /// The variable whose value is refused.
        var: &'static str,
        /// Its value (bounded as in [`EnvError::Malformed`]).
        value: String,
        /// The variable it contradicts.
        other: &'static str,
        /// What `var` must look like given `other`.
        expected: String,
    },
    /// The hook name is not one this runtime knows.
    UnknownHook {
        /// The hook name.
        hook: String,
    },
    /// A variable says one kind of event but the hook name says another, e.g.
    /// `JUJU_RELATION=db` with a hook name not of the form `db-relation-<kind>`.
    HookMismatch {
        /// The variable, e.g. `JUJU_RELATION`.
        var: &'static str,
        /// Its value.
        value: String,
        /// The hook name it does not match.
        hook: String,
    },
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvError::Missing { var, hook } => {
                write!(f, "{var} is not set, but hook `{hook}` needs it")
            }
            EnvError::Malformed {
                var,
                value,
                expected,
            } => write!(f, "{var}=`{value}` is malformed: expected {expected}"),
            EnvError::NotUnicode { var, bytes } => write!(
                f,
                "{var} is not valid UTF-8 ({bytes} bytes): Juju only sends UTF-8"
            ),
            EnvError::Conflict {
                var,
                value,
                other,
                expected,
            } => write!(
                f,
                "{var}=`{value}` contradicts {other}: expected {expected}"
            ),
            EnvError::UnknownHook { hook } => write!(f, "unknown hook `{hook}`"),
            EnvError::HookMismatch { var, value, hook } => {
                write!(f, "{var}=`{value}` does not match hook `{hook}`")?;
                match *var {
                    "JUJU_RELATION" => write!(
                        f,
                        ": expected `{value}-relation-<created|joined|changed|departed|broken>`"
                    ),
                    "JUJU_STORAGE_ID" => {
                        let name = value.split('/').next().unwrap_or(value);
                        write!(f, ": expected `{name}-storage-<attached|detaching>`")
                    }
                    "JUJU_WORKLOAD_NAME" => write!(
                        f,
                        ": expected `{value}-pebble-<ready|custom-notice|check-failed|check-recovered>`"
                    ),
                    "JUJU_SECRET_ID" => {
                        write!(f, ": expected `secret-<changed|rotate|remove|expired>`")
                    }
                    "JUJU_HOOK_NAME" => {
                        write!(f, ": expected the last component of JUJU_DISPATCH_PATH")
                    }
                    _ => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for EnvError {}

/// Variable lookup with Juju's convention that an empty value means unset. `get` gives a
/// variable's value as UTF-8 (a raw value that is not is an error naming its variable).
struct Vars<F> {
    get: F,
}

/// The bound of [`Vars`]' lookup.
trait Lookup: Fn(&'static str) -> Result<Option<String>, EnvError> {}
impl<F: Fn(&'static str) -> Result<Option<String>, EnvError>> Lookup for F {}

impl<F: Lookup> Vars<F> {
    /// The value of `var`, or `None` when it is unset or empty.
    fn opt(&self, var: &'static str) -> Result<Option<String>, EnvError> {
        Ok((self.get)(var)?.filter(|v| !v.is_empty()))
    }

    /// The value of `var`, or [`EnvError::Missing`] naming `hook`.
    fn req(&self, var: &'static str, hook: &str) -> Result<String, EnvError> {
        self.opt(var)?.ok_or_else(|| EnvError::Missing {
            var,
            hook: shown(hook),
        })
    }

    /// [`Vars::opt`], checked with `valid` (Juju's rule for the value's shape).
    fn opt_checked(
        &self,
        var: &'static str,
        valid: fn(&str) -> bool,
        expected: &'static str,
    ) -> Result<Option<String>, EnvError> {
        match self.opt(var)? {
            Some(v) if !valid(&v) => Err(malformed(var, &v, expected)),
            v => Ok(v),
        }
    }

    /// [`Vars::req`], checked with `valid`.
    fn req_checked(
        &self,
        var: &'static str,
        hook: &str,
        valid: fn(&str) -> bool,
        expected: &'static str,
    ) -> Result<String, EnvError> {
        let v = self.req(var, hook)?;
        if valid(&v) {
            Ok(v)
        } else {
            Err(malformed(var, &v, expected))
        }
    }
}

/// [`EnvError::Malformed`], quoting a bounded prefix of `value`.
fn malformed(var: &'static str, value: &str, expected: &'static str) -> EnvError {
    EnvError::Malformed {
        var,
        value: shown(value),
        expected,
    }
}

const UNIT_SHAPE: &str = "`<app>/<unit-number>`";
const APP_SHAPE: &str = "an application name (Juju's rule: lowercase letters, digits and `-`)";
const ENDPOINT_SHAPE: &str =
    "an endpoint name (Juju's rule: lowercase letters, digits, `-` and `_`)";

impl HookEnv {
    /// Reads the dispatch environment of this process.
    ///
    /// Returns `Ok(None)` when `JUJU_DISPATCH_PATH` is unset (or empty), meaning the
    /// process is not running under Juju (Juju ≥ 2.8 always sets it).
    pub fn from_env() -> Result<Option<HookEnv>, EnvError> {
        Self::from_os_vars(|var| std::env::var_os(var))
    }

    /// Parses a dispatch environment given as a lookup function (the testable core of
    /// [`HookEnv::from_env`]).
    ///
    /// An empty value counts as unset, as Juju sets some variables to `""`. Returns
    /// `Ok(None)` when `JUJU_DISPATCH_PATH` is unset or empty.
    pub fn from_vars<F: Fn(&str) -> Option<String>>(get: F) -> Result<Option<HookEnv>, EnvError> {
        // Already UTF-8: read as it is.
        Self::parse(Vars {
            get: |var: &'static str| Ok(get(var)),
        })
    }

    /// [`HookEnv::from_vars`] over raw values, as the process environment holds them: a
    /// value that is not UTF-8 is [`EnvError::NotUnicode`] naming its variable, never
    /// replaced and used.
    ///
    /// Every name and id is checked against the shape Juju gives it (see the `names`
    /// rules in this module's source: unit, application, endpoint, storage, action and
    /// model names, relation, action and secret ids), and variables Juju derives from one
    /// another must agree: `JUJU_RELATION_ID` is `<JUJU_RELATION>:<id>` and `JUJU_ACTION_NAME`
    /// is the action of `JUJU_DISPATCH_PATH`. Errors quote at most a bounded prefix of a
    /// bad value.
    pub fn from_os_vars<F: Fn(&str) -> Option<OsString>>(
        get: F,
    ) -> Result<Option<HookEnv>, EnvError> {
        Self::parse(Vars {
            get: |var: &'static str| match get(var) {
                None => Ok(None),
                Some(v) => v.into_string().map(Some).map_err(|v| EnvError::NotUnicode {
                    var,
                    bytes: v.len(),
                }),
            },
        })
    }

    /// [`HookEnv::from_os_vars`] over values already read as UTF-8.
    fn parse<F: Lookup>(vars: Vars<F>) -> Result<Option<HookEnv>, EnvError> {
        let Some(dispatch_path) = vars.opt("JUJU_DISPATCH_PATH")? else {
            return Ok(None);
        };

        let malformed_path = || {
            malformed(
                "JUJU_DISPATCH_PATH",
                &dispatch_path,
                "`hooks/<hook-name>` or `actions/<action-name>`",
            )
        };
        let (is_action, leaf) = if let Some(rest) = dispatch_path.strip_prefix("actions/") {
            (true, rest)
        } else if let Some(rest) = dispatch_path.strip_prefix("hooks/") {
            (false, rest)
        } else {
            return Err(malformed_path());
        };
        let leaf_ok = if is_action {
            names::is_action(leaf)
        } else {
            names::is_hook(leaf)
        };
        if !leaf_ok {
            return Err(malformed_path());
        }

        // For actions ops documents JUJU_HOOK_NAME as empty; the action name stands in, and
        // must be the action the dispatch path names.
        let hook_name = if is_action {
            match vars.opt("JUJU_ACTION_NAME")? {
                Some(name) if name != leaf => {
                    return Err(EnvError::Conflict {
                        var: "JUJU_ACTION_NAME",
                        value: shown(&name),
                        other: "JUJU_DISPATCH_PATH",
                        expected: format!("`{leaf}`, the action of `actions/{leaf}`"),
                    })
                }
                // The value read is the name: kept, not copied again.
                Some(name) => name,
                None => leaf.to_owned(),
            }
        } else {
            match vars.opt("JUJU_HOOK_NAME")? {
                Some(name) if name != leaf => {
                    return Err(EnvError::HookMismatch {
                        var: "JUJU_HOOK_NAME",
                        value: shown(&name),
                        hook: leaf.to_owned(),
                    })
                }
                Some(name) => name,
                None => leaf.to_owned(),
            }
        };

        let unit_name = vars.req("JUJU_UNIT_NAME", &hook_name)?;
        let (app_name, unit_number) = names::unit(&unit_name)
            .map(|(app, n)| (app.to_owned(), n))
            .ok_or_else(|| malformed("JUJU_UNIT_NAME", &unit_name, UNIT_SHAPE))?;
        let model_name = vars.req_checked(
            "JUJU_MODEL_NAME",
            &hook_name,
            names::is_model,
            "a model name (Juju's rule: lowercase letters, digits and `-`)",
        )?;
        let model_uuid = vars.req("JUJU_MODEL_UUID", &hook_name)?;

        let event = if is_action {
            Event::Action(ActionEvent {
                name: hook_name.clone(),
                id: vars.req_checked(
                    "JUJU_ACTION_UUID",
                    &hook_name,
                    names::is_action_id,
                    "an action id (a number, or a UUID)",
                )?,
            })
        } else if let Some(endpoint) =
            vars.opt_checked("JUJU_RELATION", names::is_endpoint, ENDPOINT_SHAPE)?
        {
            relation_event(&vars, endpoint, &hook_name)?
        } else if let Some(storage_id) = vars.opt("JUJU_STORAGE_ID")? {
            storage_event(&vars, storage_id, &hook_name)?
        } else if let Some(container) = vars.opt_checked(
            "JUJU_WORKLOAD_NAME",
            names::is_endpoint,
            "a container name (lowercase letters, digits, `-` and `_`)",
        )? {
            workload_event(&vars, container, &hook_name)?
        } else if let Some(secret_id) = vars.opt_checked(
            "JUJU_SECRET_ID",
            names::is_secret_uri,
            "a secret URI (`secret:<id>` or `secret://<model-uuid>/<id>`)",
        )? {
            secret_event(&vars, secret_id, &hook_name)?
        } else {
            unit_event(&hook_name)?
        };

        let juju_version = if event == Event::CollectMetrics {
            vars.opt("JUJU_VERSION")?
                .unwrap_or_else(|| DEFAULT_JUJU_VERSION.to_owned())
        } else {
            vars.req("JUJU_VERSION", &hook_name)?
        };

        let charm_dir = match vars.opt("JUJU_CHARM_DIR")? {
            Some(dir) => PathBuf::from(dir),
            None => vars
                .opt("CHARM_DIR")?
                .map_or_else(|| PathBuf::from("."), PathBuf::from),
        };

        Ok(Some(HookEnv {
            unit_name,
            app_name,
            unit_number,
            model_name,
            model_uuid,
            juju_version,
            charm_dir,
            dispatch_path,
            hook_name,
            context_id: vars.opt("JUJU_CONTEXT_ID")?,
            event,
            pebble: vars
                .opt(CONTAINERS_DIR_VAR)?
                .map_or_else(PebbleAccess::default, PebbleAccess::sockets),
        }))
    }
}

/// The id of `JUJU_RELATION_ID`: `<endpoint>:<id>` whose endpoint is `JUJU_RELATION`, or
/// a bare id (what ops also reads).
fn parse_relation_id(value: &str, endpoint: &str) -> Result<u64, EnvError> {
    let (named, digits) = match value.rsplit_once(':') {
        Some((named, digits)) => (Some(named), digits),
        None => (None, value),
    };
    let id = names::number(digits)
        .ok_or_else(|| malformed("JUJU_RELATION_ID", value, "`<endpoint>:<id>`"))?;
    match named {
        Some(named) if named != endpoint => Err(EnvError::Conflict {
            var: "JUJU_RELATION_ID",
            value: shown(value),
            other: "JUJU_RELATION",
            expected: format!("`{endpoint}:<id>`"),
        }),
        _ => Ok(id),
    }
}

/// Classifies a relation hook for `endpoint` (`JUJU_RELATION`).
fn relation_event<F: Lookup>(
    vars: &Vars<F>,
    endpoint: String,
    hook: &str,
) -> Result<Event, EnvError> {
    let kind = hook
        .strip_prefix(endpoint.as_str())
        .and_then(|rest| rest.strip_prefix("-relation-"))
        .and_then(|suffix| match suffix {
            "created" => Some(RelationEventKind::Created),
            "joined" => Some(RelationEventKind::Joined),
            "changed" => Some(RelationEventKind::Changed),
            "departed" => Some(RelationEventKind::Departed),
            "broken" => Some(RelationEventKind::Broken),
            _ => None,
        });
    let Some(kind) = kind else {
        return Err(EnvError::HookMismatch {
            var: "JUJU_RELATION",
            value: endpoint,
            hook: shown(hook),
        });
    };

    let raw_id = vars.req("JUJU_RELATION_ID", hook)?;
    let id = parse_relation_id(&raw_id, &endpoint)?;
    let remote_app = vars.req_checked("JUJU_REMOTE_APP", hook, names::is_application, APP_SHAPE)?;
    let is_unit = |s: &str| names::unit(s).is_some();
    // `changed` may carry no unit when only the remote app bag changed.
    let remote_unit = match kind {
        RelationEventKind::Joined | RelationEventKind::Departed => {
            Some(vars.req_checked("JUJU_REMOTE_UNIT", hook, is_unit, UNIT_SHAPE)?)
        }
        _ => vars.opt_checked("JUJU_REMOTE_UNIT", is_unit, UNIT_SHAPE)?,
    };
    let departing_unit = match kind {
        RelationEventKind::Departed => {
            Some(vars.req_checked("JUJU_DEPARTING_UNIT", hook, is_unit, UNIT_SHAPE)?)
        }
        _ => None,
    };

    Ok(Event::Relation(RelationEvent {
        kind,
        endpoint,
        id,
        remote_app,
        remote_unit,
        departing_unit,
    }))
}

/// Classifies a storage hook for `storage_id` (`JUJU_STORAGE_ID`, `<name>/<index>`).
fn storage_event<F: Lookup>(
    vars: &Vars<F>,
    storage_id: String,
    hook: &str,
) -> Result<Event, EnvError> {
    let parsed = storage_id
        .split_once('/')
        .filter(|(name, _)| names::is_application(name))
        .and_then(|(name, index)| {
            let index = u32::try_from(names::number(index)?).ok()?;
            Some((name.to_owned(), index))
        });
    let Some((name, index)) = parsed else {
        return Err(malformed(
            "JUJU_STORAGE_ID",
            &storage_id,
            "`<storage-name>/<index>`",
        ));
    };

    let kind = hook
        .strip_prefix(name.as_str())
        .and_then(|rest| rest.strip_prefix("-storage-"))
        .and_then(|suffix| match suffix {
            "attached" => Some(StorageEventKind::Attached),
            "detaching" => Some(StorageEventKind::Detaching),
            _ => None,
        });
    let Some(kind) = kind else {
        return Err(EnvError::HookMismatch {
            var: "JUJU_STORAGE_ID",
            value: storage_id,
            hook: shown(hook),
        });
    };

    Ok(Event::Storage(StorageEvent {
        kind,
        name,
        index,
        location: vars.opt("JUJU_STORAGE_LOCATION")?,
    }))
}

/// Classifies a workload (Pebble) hook for `container` (`JUJU_WORKLOAD_NAME`).
fn workload_event<F: Lookup>(
    vars: &Vars<F>,
    container: String,
    hook: &str,
) -> Result<Event, EnvError> {
    let suffix = hook
        .strip_prefix(container.as_str())
        .and_then(|rest| rest.strip_prefix('-'));
    let kind = match suffix {
        Some("pebble-ready") => WorkloadEventKind::PebbleReady,
        Some("pebble-custom-notice") => WorkloadEventKind::CustomNotice {
            id: vars.req("JUJU_NOTICE_ID", hook)?,
            notice_type: vars.req("JUJU_NOTICE_TYPE", hook)?,
            key: vars.req("JUJU_NOTICE_KEY", hook)?,
        },
        Some("pebble-check-failed") => WorkloadEventKind::CheckFailed {
            check: vars.req("JUJU_PEBBLE_CHECK_NAME", hook)?,
        },
        Some("pebble-check-recovered") => WorkloadEventKind::CheckRecovered {
            check: vars.req("JUJU_PEBBLE_CHECK_NAME", hook)?,
        },
        _ => {
            return Err(EnvError::HookMismatch {
                var: "JUJU_WORKLOAD_NAME",
                value: container,
                hook: shown(hook),
            })
        }
    };
    Ok(Event::Workload(WorkloadEvent { kind, container }))
}

/// Classifies a secret hook for `secret_id` (`JUJU_SECRET_ID`).
fn secret_event<F: Lookup>(
    vars: &Vars<F>,
    secret_id: String,
    hook: &str,
) -> Result<Event, EnvError> {
    let kind = match hook.strip_prefix("secret-") {
        Some("changed") => SecretEventKind::Changed,
        Some("rotate") => SecretEventKind::Rotate,
        Some("remove") => SecretEventKind::Remove,
        Some("expired") => SecretEventKind::Expired,
        _ => {
            return Err(EnvError::HookMismatch {
                var: "JUJU_SECRET_ID",
                value: secret_id,
                hook: shown(hook),
            })
        }
    };

    let revision = match vars.opt("JUJU_SECRET_REVISION")? {
        Some(raw) => match names::number(&raw) {
            Some(revision) => Some(revision),
            None => {
                return Err(malformed(
                    "JUJU_SECRET_REVISION",
                    &raw,
                    "a non-negative integer",
                ))
            }
        },
        None => None,
    };
    if revision.is_none() && matches!(kind, SecretEventKind::Remove | SecretEventKind::Expired) {
        return Err(EnvError::Missing {
            var: "JUJU_SECRET_REVISION",
            hook: shown(hook),
        });
    }

    Ok(Event::Secret(SecretEvent {
        kind,
        id: secret_id,
        label: vars.opt("JUJU_SECRET_LABEL")?,
        revision,
    }))
}

/// Classifies a hook that carries no relation, storage, workload or secret variable.
fn unit_event(hook: &str) -> Result<Event, EnvError> {
    Ok(match hook {
        "install" => Event::Install,
        "start" => Event::Start,
        "stop" => Event::Stop,
        "remove" => Event::Remove,
        "config-changed" => Event::ConfigChanged,
        "update-status" => Event::UpdateStatus,
        "upgrade-charm" => Event::UpgradeCharm,
        "leader-elected" => Event::LeaderElected,
        "leader-settings-changed" => Event::LeaderSettingsChanged,
        "collect-metrics" => Event::CollectMetrics,
        "pre-series-upgrade" => Event::PreSeriesUpgrade,
        "post-series-upgrade" => Event::PostSeriesUpgrade,
        _ => {
            // Not a classification, only a better error: a hook that looks like it
            // needs a context variable that is absent is reported as missing it.
            return Err(match context_var_for(hook) {
                Some(var) => EnvError::Missing {
                    var,
                    hook: shown(hook),
                },
                None => EnvError::UnknownHook { hook: shown(hook) },
            });
        }
    })
}

/// The variable Juju would set for a hook whose name has the shape of a relation,
/// storage, workload or secret hook. Used only to word errors.
fn context_var_for(hook: &str) -> Option<&'static str> {
    let has_suffix = |infix: &str, suffixes: &[&str]| {
        suffixes.iter().any(|suffix| {
            hook.strip_suffix(suffix)
                .and_then(|rest| rest.strip_suffix(infix))
                .is_some_and(|name| !name.is_empty())
        })
    };
    if matches!(
        hook,
        "secret-changed" | "secret-rotate" | "secret-remove" | "secret-expired"
    ) {
        Some("JUJU_SECRET_ID")
    } else if has_suffix(
        "-relation-",
        &["created", "joined", "changed", "departed", "broken"],
    ) {
        Some("JUJU_RELATION")
    } else if has_suffix("-storage-", &["attached", "detaching"]) {
        Some("JUJU_STORAGE_ID")
    } else if has_suffix(
        "-pebble-",
        &["ready", "custom-notice", "check-failed", "check-recovered"],
    ) {
        Some("JUJU_WORKLOAD_NAME")
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
