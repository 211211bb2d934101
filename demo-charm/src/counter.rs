//! The start counter of the "Preserve your charm's data" chapter.
//!
//! On every `start` (which Kubernetes pod churn repeats), the leader adds one to
//! `started_counter` in `unit_stats` in the application bag of the peer relation
//! `fastapi-peer`, stored as `{"started_counter": N}` exactly as the tutorial's Python
//! charm stores it, so it survives pod deletion.
//!
//! Non-leaders: the tutorial's code crashes there (only the leader may write the
//! application bag); here that code does not compile, since writing the application bag
//! takes the `Leader` proof `model.leader()?` gives only the leader. A non-leader counts its
//! own pod's starts in its own unit bag of `fastapi-peer`, under the same key and format.
//! Before the peer relation exists, `start` logs a warning and counts nothing.
//!
//! At `u64::MAX` the counter refuses to wrap: the hook fails with an error naming the
//! relation, bag and key, and nothing is written.

use charm_runtime::prelude::*;
use charm_runtime::relation::Peer;
use charm_runtime::Endpoint;

/// What the tutorial keeps under `unit_stats`: `{"started_counter": N}`.
#[json_value]
#[derive(Debug, Default, Clone, PartialEq)]
pub struct UnitStats {
    /// Pod starts counted so far. A numeric string (`"5"`) is accepted, as the tutorial's
    /// `int(counter)` accepted it.
    #[serde(deserialize_with = "charm_runtime::json::int_or_string")]
    pub started_counter: u64,
}

/// The keys this charm uses in the bags of `fastapi-peer`.
#[derive(Databag, Debug, Default, PartialEq)]
pub struct PeerData {
    /// The start counter.
    pub unit_stats: Option<UnitStats>,
}

/// Counts one start on the peer relation of `endpoint`: the leader in the application
/// bag, other units in their own bag.
pub fn count_start(model: &mut Model, endpoint: Endpoint<Peer>) -> Result<()> {
    let Some(peers) = model.relation(endpoint)? else {
        model.log(
            LogLevel::Warning,
            "fastapi-peer does not exist yet; this start is not counted",
        )?;
        return Ok(());
    };
    let (bag, bag_name) = match model.leader()? {
        Some(leader) => (Own::App(leader), "application bag"),
        None => (Own::Unit, "unit bag"),
    };
    let mut data: PeerData = model.load(&peers, bag)?;
    let stats = data.unit_stats.get_or_insert_default();
    stats.started_counter = stats.started_counter.checked_add(1).ok_or_else(|| {
        Error::msg(format!(
            "relation {peers}, {bag_name}, key `unit_stats`: started_counter is {}, the \
             largest it can be; this start is not counted",
            u64::MAX
        ))
    })?;
    model.save(&peers, bag, &data)?;
    Ok(())
}
