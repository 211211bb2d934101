//! What one dispatch remembers of the Juju reads this part of the model makes (secrets,
//! charm state, networks, storage, resources, the cloud spec), and the charm-state writes
//! it stages. One field of [`Model`](super::Model), so the model's core stays small.

use super::BagState;
use crate::cloud::CloudSpec;
use crate::network::Network;
use crate::secret::{Secret, SecretContent};
use crate::storage::{Storage, StorageInfo};
use std::collections::HashMap;
use std::path::PathBuf;

/// Per-dispatch caches and staged charm-state writes.
#[derive(Default)]
pub(crate) struct JujuCache {
    /// Content of the tracked revision, by the handle it was read with.
    pub secrets: HashMap<Secret, SecretContent>,
    /// Secret ids found by label (`secret-info-get --label`), for the calls that need one.
    pub secret_ids: HashMap<String, String>,
    /// The charm state as read (`state-get`, all keys) and this dispatch's writes (`""`
    /// stages a deletion: stored values are JSON, never empty).
    pub state: Option<BagState>,
    /// `network-get` answers, by binding and relation.
    pub networks: HashMap<(String, Option<u64>), Network>,
    /// `storage-list` answers, by storage name.
    pub storages: HashMap<String, Vec<Storage>>,
    /// `storage-get` answers, by instance.
    pub storage_info: HashMap<Storage, StorageInfo>,
    /// `resource-get` answers, by resource.
    pub resources: HashMap<String, PathBuf>,
    /// The `credential-get` answer.
    pub cloud: Option<CloudSpec>,
}
