//! From a state's [`Container`] to a `pebbled` [`Pebble`] and back: the layers added in
//! order, services moved to their statuses, checks driven to their counters, notices put
//! in place with their ids; and afterwards, the layers, statuses, checks and notices read
//! back. Every step goes through `pebbled`'s own operations, so plan merging, service and
//! check semantics are Pebble's (the same code `cargo charm sim` serves).

use super::super::state::{CheckInfo, Container, Notice};
use charm_runtime::pebble::{self as wire, CheckStatus, NoticeType};
use pebbled::{NoticeFilter, NoticeRecord, Pebble, SystemClock};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Pebble's `defaultNoticeExpireAfter` (a week): notices from the state get it.
const NOTICE_EXPIRE_AFTER_NANOS: i64 = 7 * 24 * 3600 * 1_000_000_000;

/// The task log line a check failure set from the state leaves.
const SEEDED_FAILURE: &str = "check failed (as the test's state says)";

/// What Pebble held right after seeding, to tell what the run changed.
pub(crate) struct Baseline {
    checks: Vec<wire::CheckInfo>,
    notices: Vec<wire::Notice>,
}

/// A Pebble holding `c`'s layers, service statuses, check states and notices, with its
/// files API rooted at `root` (if it has one yet). Errors name what Pebble refused (the consistency checker
/// rejects such states first, so this is a second line).
pub(crate) fn build(c: &Container, root: Option<&Path>) -> Result<(Pebble, Baseline), String> {
    let mut pebble = Pebble::new(Arc::new(SystemClock));
    pebble.root = root.map(Path::to_path_buf);
    if !c.notices.is_empty() {
        pebble = with_notices(pebble, &c.notices)?;
    }
    for (label, layer) in &c.layers {
        pebble
            .add_layer(label, layer.clone(), false)
            .map_err(|e| format!("layer `{label}`: {}", e.message()))?;
    }
    for (service, status) in &c.service_statuses {
        pebble
            .set_service_status(service, status.clone())
            .map_err(|e| format!("service `{service}`: {e}"))?;
    }
    for info in &c.check_infos {
        seed_check(&mut pebble, info).map_err(|e| format!("check `{}`: {e}", info.name))?;
    }
    let baseline = Baseline {
        checks: pebble.check_infos(None, &[]),
        notices: pebble.notices(&NoticeFilter::default()),
    };
    Ok((pebble, baseline))
}

/// Puts the notices in place with their ids. Pebble numbers the notices it records itself,
/// and `pebbled` has no operation that adds one with a given id, so they go in through its
/// serialised form; later notices are numbered after the highest numeric id.
fn with_notices(pebble: Pebble, notices: &[Notice]) -> Result<Pebble, String> {
    let now = pebble.now();
    let records: Vec<NoticeRecord> = notices
        .iter()
        .map(|n| NoticeRecord {
            id: n.id.clone(),
            user_id: n.user_id,
            notice_type: n.notice_type.clone(),
            key: n.key.clone(),
            first_occurred: now,
            last_occurred: now,
            last_repeated: now,
            occurrences: n.occurrences,
            last_data: n.last_data.clone(),
            repeat_after: 0,
            expire_after: NOTICE_EXPIRE_AFTER_NANOS,
        })
        .collect();
    let last = notices
        .iter()
        .filter_map(|n| n.id.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let not_stored = |e: serde_json::Error| format!("cannot put the notices in Pebble: {e}");
    let mut json = serde_json::to_value(&pebble).map_err(not_stored)?;
    json["notices"] = serde_json::to_value(records).map_err(not_stored)?;
    json["last_notice_id"] = last.into();
    let mut seeded: Pebble = serde_json::from_value(json).map_err(not_stored)?;
    seeded.set_clock(Arc::new(SystemClock));
    Ok(seeded)
}

/// Drives a check to the state's counters the way probes would: started if it should run,
/// `successes` successes, then `failures` failures (which take it down at the threshold),
/// stopped if it should be inactive.
fn seed_check(pebble: &mut Pebble, info: &CheckInfo) -> Result<(), String> {
    let name = vec![info.name.clone()];
    let running = |p: &Pebble| {
        p.check_infos(None, &name)
            .first()
            .is_some_and(|c| c.status != CheckStatus::Inactive)
    };
    if !running(pebble) {
        pebble.start_checks(&name)?;
    }
    for _ in 0..info.successes {
        pebble.check_succeeded(&info.name)?;
    }
    for _ in 0..info.failures {
        pebble.check_failed(&info.name, SEEDED_FAILURE)?;
    }
    if info.status == CheckStatus::Inactive {
        pebble.stop_checks(&name)?;
    }
    Ok(())
}

/// `input` as `pebble` now holds it: layers, service statuses, check infos (those the
/// input listed, and any the run created or changed), notices (likewise, except Pebble's
/// change-update notices about the run's changes: changes are not part of the state).
pub(crate) fn read_back(input: &Container, pebble: &Pebble, baseline: &Baseline) -> Container {
    let mut out = input.clone();
    out.layers = pebble
        .layers()
        .iter()
        .map(|r| (r.label.clone(), r.layer.clone()))
        .collect();
    out.service_statuses = pebble
        .service_infos(&[])
        .into_iter()
        .filter(|s| s.current_since.is_some())
        .map(|s| (s.name, s.current))
        .collect();
    // Checks the input listed keep their order; others follow by name.
    let mut checks: BTreeMap<String, wire::CheckInfo> = pebble
        .check_infos(None, &[])
        .into_iter()
        .map(|c| (c.name.clone(), c))
        .collect();
    let mut infos: Vec<wire::CheckInfo> = input
        .check_infos
        .iter()
        .filter_map(|c| checks.remove(&c.name))
        .collect();
    infos.extend(
        checks
            .into_values()
            .filter(|c| !baseline.checks.contains(c)),
    );
    out.check_infos = infos
        .into_iter()
        .map(|c| CheckInfo {
            name: c.name,
            level: c.level,
            status: c.status,
            successes: c.successes.unwrap_or(0),
            failures: c.failures,
            threshold: c.threshold,
        })
        .collect();
    // Input notices keep their order; new ones follow in Pebble's order.
    let mut now: BTreeMap<String, wire::Notice> = pebble
        .notices(&NoticeFilter::default())
        .into_iter()
        .map(|n| (n.id.clone(), n))
        .collect();
    let mut notices: Vec<wire::Notice> = input
        .notices
        .iter()
        .filter_map(|n| now.remove(&n.id))
        .collect();
    notices.extend(
        pebble
            .notices(&NoticeFilter::default())
            .into_iter()
            .filter(|n| {
                now.contains_key(&n.id)
                    && n.type_ != NoticeType::ChangeUpdate
                    && !baseline.notices.contains(n)
            }),
    );
    out.notices = notices
        .into_iter()
        .map(|n| Notice {
            id: n.id,
            notice_type: n.type_.as_str().to_string(),
            key: n.key,
            user_id: n.user_id,
            occurrences: n.occurrences,
            last_data: n.last_data,
        })
        .collect();
    out
}
