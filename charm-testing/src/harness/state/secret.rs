//! [`Secret`]: a secret the unit owns or observes, with its revisions.

use super::bag::{bag, BagData};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_SECRET: AtomicU64 = AtomicU64::new(1);

/// Who owns a secret, from the unit's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretOwner {
    /// The application owns it (the leader manages it).
    App,
    /// This unit owns it.
    Unit,
}

impl SecretOwner {
    /// `application` or `unit`, as Juju names it.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretOwner::App => "application",
            SecretOwner::Unit => "unit",
        }
    }
}

/// A secret the unit owns or observes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// `secret:<20 characters>` (unique per process unless set).
    pub id: String,
    /// The owner, or `None` when the unit only observes it (another app granted it).
    pub owner: Option<SecretOwner>,
    /// Label.
    pub label: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Content by revision.
    pub revisions: BTreeMap<u64, BagData>,
    /// The revision the unit tracks.
    pub tracked: u64,
    /// Rotation policy (`hourly`, `daily`, ...).
    pub rotate: Option<String>,
    /// Expiry (RFC 3339).
    pub expire: Option<String>,
    /// Grants by relation id: the units granted (empty: the whole remote application).
    pub grants: BTreeMap<u64, BTreeSet<String>>,
}

impl Secret {
    /// An observed secret with one revision (1), tracked, holding `content`.
    pub fn new<K: Into<String>, V: Into<String>>(
        content: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let n = NEXT_SECRET.fetch_add(1, Ordering::Relaxed);
        Secret {
            id: format!("secret:cs{n:018x}"),
            owner: None,
            label: None,
            description: None,
            revisions: [(1, bag(content))].into_iter().collect(),
            tracked: 1,
            rotate: None,
            expire: None,
            grants: BTreeMap::new(),
        }
    }

    /// Sets the id.
    pub fn id(mut self, id: &str) -> Self {
        self.id = id.to_string();
        self
    }

    /// Sets the owner.
    pub fn owner(mut self, owner: SecretOwner) -> Self {
        self.owner = Some(owner);
        self
    }

    /// Sets the label.
    pub fn label(mut self, label: &str) -> Self {
        self.label = Some(label.to_string());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: &str) -> Self {
        self.description = Some(description.to_string());
        self
    }

    /// Adds a newer revision with this content (the tracked revision stays).
    pub fn latest_content<K: Into<String>, V: Into<String>>(
        mut self,
        content: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let next = self.latest_revision() + 1;
        self.revisions.insert(next, bag(content));
        self
    }

    /// Sets one revision's content.
    pub fn revision<K: Into<String>, V: Into<String>>(
        mut self,
        revision: u64,
        content: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.revisions.insert(revision, bag(content));
        self
    }

    /// Sets the tracked revision.
    pub fn tracked(mut self, revision: u64) -> Self {
        self.tracked = revision;
        self
    }

    /// Sets the rotation policy.
    pub fn rotate(mut self, policy: &str) -> Self {
        self.rotate = Some(policy.to_string());
        self
    }

    /// Sets the expiry.
    pub fn expire(mut self, when: &str) -> Self {
        self.expire = Some(when.to_string());
        self
    }

    /// Grants the secret on a relation: to these remote units, or (none given) to the
    /// whole remote application.
    pub fn grant<S: Into<String>>(
        mut self,
        relation_id: u64,
        units: impl IntoIterator<Item = S>,
    ) -> Self {
        self.grants
            .entry(relation_id)
            .or_default()
            .extend(units.into_iter().map(Into::into));
        self
    }

    /// The newest revision.
    pub fn latest_revision(&self) -> u64 {
        self.revisions.keys().next_back().copied().unwrap_or(0)
    }

    /// The tracked revision's content.
    pub fn tracked_content(&self) -> Option<&BagData> {
        self.revisions.get(&self.tracked)
    }

    /// The newest revision's content.
    pub fn latest_content_of(&self) -> Option<&BagData> {
        self.revisions.values().next_back()
    }
}
