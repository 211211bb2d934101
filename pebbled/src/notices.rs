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

/// Pebble's `defaultNoticeExpireAfter`: a week.
pub(crate) const EXPIRE_AFTER_NANOS: i64 = 7 * 24 * 3600 * 1_000_000_000;
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

    pub(crate) fn expired(&self, now: Timestamp) -> bool {
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
    pub(crate) fn matches(&self, notice: &NoticeRecord) -> bool {
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
