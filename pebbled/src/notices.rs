//! Notices (`internals/overlord/state/notices.go`, `internals/daemon/api_notices.go`):
//! one record per (user, type, key), counting occurrences, with `last-data`, repeat-after
//! (a reoccurrence inside the window does not move `last-repeated`), expiry after seven
//! days, and the API's filters (`types`, `keys`, `user-id`/`users`, `after`). Custom keys
//! are checked as Pebble checks them.

use std::collections::BTreeMap;
use std::time::Duration;

use charm_runtime::pebble::types::{self, NoticeType};
use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::duration::go_quote;
use crate::state::Pebble;

/// Pebble's `defaultNoticeExpireAfter`: a week.
const EXPIRE_AFTER_NANOS: i64 = 7 * 24 * 3600 * 1_000_000_000;
/// Pebble's `maxNoticeKeyLength`.
pub const MAX_KEY_LENGTH: usize = 256;
/// Pebble's `maxNoticeDataSize` (bytes of the `data` JSON).
pub const MAX_DATA_SIZE: usize = 4 * 1024;

/// One notice as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeRecord {
    /// Its id (notices count from 1).
    pub id: String,
    /// Who may see it; `None` is public.
    pub user_id: Option<u32>,
    /// `custom`, `change-update` or `warning`.
    pub notice_type: String,
    /// Its key.
    pub key: String,
    /// First occurrence.
    pub first_occurred: Timestamp,
    /// Last occurrence.
    pub last_occurred: Timestamp,
    /// Last time it repeated (the list is ordered by this).
    pub last_repeated: Timestamp,
    /// How many times it occurred.
    pub occurrences: u64,
    /// Data of the last occurrence.
    pub last_data: BTreeMap<String, String>,
    /// The repeat-after of the last occurrence, nanoseconds (0: always repeat).
    pub repeat_after: i64,
    /// How long after the last occurrence it is dropped, nanoseconds.
    pub expire_after: i64,
}

impl NoticeRecord {
    /// The notice as the API shows it.
    pub fn to_wire(&self) -> types::Notice {
        let duration = |nanos: i64| (nanos > 0).then(|| Duration::from_nanos(nanos as u64));
        types::Notice {
            id: self.id.clone(),
            user_id: self.user_id,
            type_: NoticeType::from(self.notice_type.as_str()),
            key: self.key.clone(),
            first_occurred: self.first_occurred.rfc3339_nano(),
            last_occurred: self.last_occurred.rfc3339_nano(),
            last_repeated: self.last_repeated.rfc3339_nano(),
            occurrences: self.occurrences,
            last_data: self.last_data.clone(),
            repeat_after: duration(self.repeat_after),
            expire_after: duration(self.expire_after),
        }
    }

    fn expired(&self, now: Timestamp) -> bool {
        self.last_occurred.add_nanos(i128::from(self.expire_after)) < now
    }
}

/// Which notices a query wants (`state.NoticeFilter`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoticeFilter {
    /// Only this user's notices and public ones; `None`: everyone's.
    pub user_id: Option<u32>,
    /// Only these types (empty: any).
    pub types: Vec<String>,
    /// Only these keys (empty: any).
    pub keys: Vec<String>,
    /// Only notices repeated after this instant.
    pub after: Option<Timestamp>,
}

impl NoticeFilter {
    fn matches(&self, notice: &NoticeRecord) -> bool {
        if let (Some(wanted), Some(owner)) = (self.user_id, notice.user_id) {
            if wanted != owner {
                return false;
            }
        }
        (self.types.is_empty() || self.types.contains(&notice.notice_type))
            && (self.keys.is_empty() || self.keys.contains(&notice.key))
            && self.after.is_none_or(|after| notice.last_repeated > after)
    }
}

/// Pebble's `customKeyRegexp`: `^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+(/[a-z0-9]+(-[a-z0-9]+)*)+$`,
/// that is a dotted domain of at least two labels, then one or more `/segment`s, where
/// labels and segments are lower-case alphanumeric runs joined by single hyphens.
pub fn valid_custom_key(key: &str) -> bool {
    let word = |text: &str| {
        !text.is_empty()
            && text.split('-').all(|run| {
                !run.is_empty()
                    && run
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    };
    let mut segments = key.split('/');
    let domain = segments.next().unwrap_or_default();
    let labels: Vec<&str> = domain.split('.').collect();
    let rest: Vec<&str> = segments.collect();
    labels.len() >= 2
        && labels.iter().all(|label| word(label))
        && !rest.is_empty()
        && rest.iter().all(|segment| word(segment))
}

impl Pebble {
    /// Records an occurrence of a notice (`State.AddNotice`); returns its id.
    pub(crate) fn record_notice(
        &mut self,
        user_id: Option<u32>,
        notice_type: &str,
        key: &str,
        data: BTreeMap<String, String>,
        repeat_after: Option<i64>,
    ) -> String {
        let now = self.now();
        let repeat_after = repeat_after.unwrap_or(0);
        let existing = self.notices.iter_mut().find(|notice| {
            notice.user_id == user_id
                && notice.notice_type == notice_type
                && notice.key == key
                && !notice.expired(now)
        });
        let notice = match existing {
            Some(notice) => {
                notice.occurrences += 1;
                if repeat_after == 0
                    || now > notice.last_repeated.add_nanos(i128::from(repeat_after))
                {
                    notice.last_repeated = now;
                }
                notice
            }
            None => {
                self.notices.retain(|notice| {
                    !(notice.user_id == user_id
                        && notice.notice_type == notice_type
                        && notice.key == key)
                });
                self.last_notice_id += 1;
                self.notices.push(NoticeRecord {
                    id: self.last_notice_id.to_string(),
                    user_id,
                    notice_type: notice_type.to_string(),
                    key: key.to_string(),
                    first_occurred: now,
                    last_occurred: now,
                    last_repeated: now,
                    occurrences: 1,
                    last_data: BTreeMap::new(),
                    repeat_after: 0,
                    expire_after: EXPIRE_AFTER_NANOS,
                });
                self.notices.last_mut().expect("just pushed")
            }
        };
        notice.last_occurred = now;
        notice.last_data = data;
        notice.repeat_after = repeat_after;
        notice.id.clone()
    }

    /// Adds a custom notice as `POST /v1/notices` does, key checks and all; `Err` is
    /// Pebble's 400 message. For the simulator or a harness: a workload "calling
    /// `pebble notify`".
    pub fn notify(
        &mut self,
        user_id: Option<u32>,
        key: &str,
        data: BTreeMap<String, String>,
        repeat_after: Option<Duration>,
    ) -> Result<String, String> {
        if !valid_custom_key(key) {
            return Err(format!(
                "invalid key {} (must be in \"example.com/path\" format)",
                go_quote(key)
            ));
        }
        if key.len() > MAX_KEY_LENGTH {
            return Err(format!("key must be {MAX_KEY_LENGTH} bytes or less"));
        }
        let repeat_after = repeat_after.map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        Ok(self.record_notice(user_id, "custom", key, data, repeat_after))
    }

    /// The notices a filter selects, ordered by last-repeated time (`State.Notices`).
    pub fn notices(&self, filter: &NoticeFilter) -> Vec<types::Notice> {
        let now = self.now();
        let mut selected: Vec<&NoticeRecord> = self
            .notices
            .iter()
            .filter(|notice| !notice.expired(now) && filter.matches(notice))
            .collect();
        selected.sort_by_key(|notice| {
            (
                notice.last_repeated,
                notice.id.parse::<u64>().unwrap_or(u64::MAX),
            )
        });
        selected.into_iter().map(NoticeRecord::to_wire).collect()
    }

    /// Notice `id`, if it exists and has not expired.
    pub fn notice_record(&self, id: &str) -> Option<&NoticeRecord> {
        let now = self.now();
        self.notices
            .iter()
            .find(|notice| notice.id == id && !notice.expired(now))
    }
}

#[cfg(test)]
mod tests {
    use super::valid_custom_key;

    #[test]
    fn custom_keys_as_pebble_checks_them() {
        for key in ["example.com/a", "a-b.c-d.io/x/y-z", "canonical.com/db/0"] {
            assert!(valid_custom_key(key), "{key}");
        }
        for key in [
            "example/a",
            "example.com",
            "Example.com/a",
            "example.com/",
            "ex--a.com/x",
            "-a.com/x",
            "a.com/x_y",
            "",
        ] {
            assert!(!valid_custom_key(key), "{key}");
        }
    }
}
