//! Storage attached to the unit: its instances, where they are, and `storage-add`.

use super::Model;
use crate::hooktools::cmd;
use crate::storage::{Storage, StorageError, StorageInfo};
use std::path::PathBuf;

impl Model<'_> {
    /// The attached instances of storage `name` (`storage-list`, once per name per
    /// dispatch).
    pub fn storages(&mut self, name: &str) -> Result<Vec<Storage>, StorageError> {
        if let Some(list) = self.juju.storages.get(name) {
            return Ok(list.clone());
        }
        let list = cmd::storage_list(self.tools, name)?;
        self.juju.storages.insert(name.to_string(), list.clone());
        Ok(list)
    }

    /// The one attached instance of storage `name`, or `None`; more than one is an error
    /// (use [`Model::storages`] for storage with `multiple`).
    pub fn storage(&mut self, name: &str) -> Result<Option<Storage>, StorageError> {
        let mut list = self.storages(name)?;
        match list.len() {
            0 | 1 => Ok(list.pop()),
            count => Err(StorageError::TooMany {
                name: name.to_string(),
                count,
            }),
        }
    }

    /// An instance's kind and location (`storage-get`, once per instance per dispatch;
    /// for the instance of a storage event, from the event's environment when Juju gave
    /// its location).
    pub fn storage_info(&mut self, storage: &Storage) -> Result<StorageInfo, StorageError> {
        if let Some(info) = self.juju.storage_info.get(storage) {
            return Ok(info.clone());
        }
        let info = cmd::storage_get(self.tools, storage)
            .map_err(|e| StorageError::from_get(storage, e))?;
        self.juju.storage_info.insert(storage.clone(), info.clone());
        Ok(info)
    }

    /// Where an instance is mounted: `JUJU_STORAGE_LOCATION` for the instance of a
    /// storage event (no call), else [`storage_info`](Model::storage_info)'s location.
    pub fn storage_location(&mut self, storage: &Storage) -> Result<PathBuf, StorageError> {
        if let Some(ev) = self.event().storage() {
            if ev.name == storage.name && ev.index == storage.index {
                if let Some(loc) = &ev.location {
                    return Ok(PathBuf::from(loc));
                }
            }
        }
        Ok(self.storage_info(storage)?.location)
    }

    /// Asks Juju for `count` more instances of storage `name` (`storage-add name=count`,
    /// at once). They arrive later, each with a `<name>-storage-attached` event.
    pub fn add_storage(&mut self, name: &str, count: u32) -> Result<(), StorageError> {
        let refused = |stderr: String| StorageError::AddRefused {
            name: name.to_string(),
            count,
            stderr,
        };
        if count == 0 {
            return Err(refused("the count must be at least 1".into()));
        }
        cmd::storage_add(self.tools, name, count).map_err(|e| match e.stderr() {
            Some(stderr) => refused(stderr.to_string()),
            None => StorageError::Tool(e),
        })
    }

    /// The instance a `-storage-attached` or `-storage-detaching` event is about.
    pub fn event_storage(&self) -> Option<Storage> {
        self.event()
            .storage()
            .map(|s| Storage::new(s.name.clone(), s.index))
    }
}
