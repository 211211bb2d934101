//! Notices as operations on the state (see [`crate::notices`] for the model).

use crate::duration::go_quote;
use crate::notices::{
    valid_custom_key, NoticeFilter, NoticeRecord, EXPIRE_AFTER_NANOS, MAX_KEY_LENGTH,
};
use crate::state::Pebble;
use charm_runtime::pebble::types;
use std::collections::BTreeMap;
use std::time::Duration;

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
