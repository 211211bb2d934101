//! [`Storage`]: an attached storage instance.

/// An attached storage instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storage {
    /// Storage name, as declared.
    pub name: String,
    /// Index (0 unless set).
    pub index: u32,
    /// Where it is mounted (`/var/lib/juju/storage/<name>/<index>` unless set).
    pub location: String,
}

impl Storage {
    /// Instance 0 of a storage.
    pub fn new(name: &str) -> Self {
        Storage {
            name: name.to_string(),
            index: 0,
            location: format!("/var/lib/juju/storage/{name}/0"),
        }
    }

    /// Sets the index (and the default location with it).
    pub fn index(mut self, index: u32) -> Self {
        if self.location == format!("/var/lib/juju/storage/{}/{}", self.name, self.index) {
            self.location = format!("/var/lib/juju/storage/{}/{index}", self.name);
        }
        self.index = index;
        self
    }

    /// Sets the location.
    pub fn location(mut self, location: &str) -> Self {
        self.location = location.to_string();
        self
    }

    /// `<name>/<index>`, as `JUJU_STORAGE_ID` has it.
    pub fn storage_id(&self) -> String {
        format!("{}/{}", self.name, self.index)
    }
}
