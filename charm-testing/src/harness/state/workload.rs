//! What a container's Pebble reports about the workload besides services: [`Notice`]s and
//! health checks' states ([`CheckInfo`]).

use super::bag::{bag, BagData};
use charm_runtime::pebble::{CheckLevel, CheckStatus};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_NOTICE: AtomicU64 = AtomicU64::new(1);

/// A Pebble notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Notice id (unique per process unless set, as in `ops.testing`).
    pub id: String,
    /// Notice type: `custom` unless set (`change-update` and `warning` are Pebble's own).
    pub notice_type: String,
    /// Key, e.g. `example.com/backup-done` (for a change-update notice, the change id).
    pub key: String,
    /// The user who may see it; `None` (the default) is public. A notice the charm records
    /// gets its user id, 0 (Juju runs charms as root).
    pub user_id: Option<u32>,
    /// How many times it occurred.
    pub occurrences: u64,
    /// Data of the last occurrence.
    pub last_data: BagData,
}

impl Notice {
    /// A `custom` notice with this key, occurred once.
    pub fn new(key: &str) -> Self {
        Notice {
            id: NEXT_NOTICE.fetch_add(1, Ordering::Relaxed).to_string(),
            notice_type: "custom".into(),
            key: key.to_string(),
            user_id: None,
            occurrences: 1,
            last_data: BagData::new(),
        }
    }

    /// Sets the id.
    pub fn id(mut self, id: &str) -> Self {
        self.id = id.to_string();
        self
    }

    /// Sets the type.
    pub fn notice_type(mut self, t: &str) -> Self {
        self.notice_type = t.to_string();
        self
    }

    /// Sets the user who may see it.
    pub fn user_id(mut self, uid: u32) -> Self {
        self.user_id = Some(uid);
        self
    }

    /// Sets how many times it occurred.
    pub fn occurrences(mut self, n: u64) -> Self {
        self.occurrences = n;
        self
    }

    /// Sets the last data.
    pub fn last_data<K: Into<String>, V: Into<String>>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.last_data = bag(data);
        self
    }
}

/// A Pebble health check's state.
///
/// Pebble counts failures since the last success; at `threshold` of them the check is
/// `down`. A check in the plan without a state here is as Pebble starts it: `up` with no
/// failures if it starts enabled, `inactive` if it does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInfo {
    /// Check name (as in the plan).
    pub name: String,
    /// Its level; must match the plan.
    pub level: Option<CheckLevel>,
    /// `up`, `down` or `inactive` (stopped).
    pub status: CheckStatus,
    /// Successful runs counted by the current run of the check.
    pub successes: u32,
    /// Failures since the last success.
    pub failures: u32,
    /// Failures before the check is down (3 unless set); must match the plan.
    pub threshold: u32,
}

impl CheckInfo {
    /// An `up` check with no failures.
    pub fn new(name: &str) -> Self {
        CheckInfo {
            name: name.to_string(),
            level: None,
            status: CheckStatus::Up,
            successes: 0,
            failures: 0,
            threshold: 3,
        }
    }

    /// Sets the level (`CheckLevel::Alive`, or `"alive"`).
    pub fn level(mut self, level: impl Into<CheckLevel>) -> Self {
        self.level = Some(level.into());
        self
    }

    /// Marks it `down` with this many failures (at least the threshold).
    pub fn down(mut self, failures: u32) -> Self {
        self.status = CheckStatus::Down;
        self.failures = failures;
        self
    }

    /// Sets the failures since the last success (below the threshold for an `up` check).
    pub fn failures(mut self, failures: u32) -> Self {
        self.failures = failures;
        self
    }

    /// Sets the successful runs.
    pub fn successes(mut self, successes: u32) -> Self {
        self.successes = successes;
        self
    }

    /// Marks it stopped (`inactive`), keeping its counters.
    pub fn inactive(mut self) -> Self {
        self.status = CheckStatus::Inactive;
        self
    }

    /// Sets the threshold.
    pub fn threshold(mut self, threshold: u32) -> Self {
        self.threshold = threshold;
        self
    }
}
