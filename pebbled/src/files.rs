//! A container's filesystem, as Pebble's files API sees it (`internals/daemon/api_files.go`,
//! `internals/osutil/mkdir.go`, `internals/osutil/io.go`, `internals/osutil/user.go`).
//!
//! The container's `/` is a host directory given by the caller, and other host
//! directories may be mounted at container paths ([`ContainerFs::with_mounts`]: storage a
//! charm mounts into the container). Every path is resolved
//! component by component under it, as if the server ran `chroot`ed there: `..` stops at
//! the root, and symlinks (absolute or relative, in any component) are followed *inside*
//! the root, so no request reaches a host file outside it. Errors are worded as Go's `os`
//! package words them (`stat /x: no such file or directory`), with the container path the
//! client gave, and classified as Pebble classifies them (`not-found`,
//! `permission-denied`, `generic-file-error`).
//!
//! Ownership: the server never `chown`s host files. A request's `user`/`user-id`/`group`/
//! `group-id` is checked as Pebble checks it (`osutil.NormalizeUidGid`) against the
//! container's own `/etc/passwd` and `/etc/group` when the root has them (an unknown name
//! is Pebble's error); when it does not, names are taken as given. The resulting owner is
//! recorded in an [`Owners`] map, which `list` reports; a file with no record is reported
//! as owned by `root` (0:0), as files Pebble (running as root) creates are.

use std::collections::{BTreeMap, VecDeque};
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use charm_runtime::pebble::types::{FileInfo, FileType};
use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::duration::go_quote;
use crate::gopath;
use crate::pattern;

/// Linux's limit on symlinks followed while resolving one path.
const MAX_SYMLINKS: usize = 40;

const EBUSY: i32 = 16;
const ENOTDIR: i32 = 20;
const EEXIST: i32 = 17;
const EINVAL: i32 = 22;
const ELOOP: i32 = 40;

/// How Pebble classifies a file error (`errorKind` in `response.go`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileErrorKind {
    /// `not-found`: the path (or a parent) does not exist.
    NotFound,
    /// `permission-denied`: `EACCES` or `EPERM`.
    PermissionDenied,
    /// `generic-file-error`: anything else.
    Generic,
}

impl FileErrorKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            FileErrorKind::NotFound => "not-found",
            FileErrorKind::PermissionDenied => "permission-denied",
            FileErrorKind::Generic => "generic-file-error",
        }
    }

    /// The status `list` answers with (`fileErrorToStatus`).
    pub fn status(self) -> u16 {
        match self {
            FileErrorKind::NotFound => 404,
            FileErrorKind::PermissionDenied => 403,
            FileErrorKind::Generic => 400,
        }
    }
}

/// A file operation's failure: Pebble's kind and Go's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    /// The classification.
    pub kind: FileErrorKind,
    /// The message, e.g. `stat /etc/x: no such file or directory`.
    pub message: String,
}

impl FileError {
    fn generic(message: impl Into<String>) -> Self {
        FileError {
            kind: FileErrorKind::Generic,
            message: message.into(),
        }
    }

    /// Go's `*os.PathError`: `<op> <path>: <errno text>`.
    fn path(op: &str, path: &str, err: &io::Error) -> Self {
        FileError {
            kind: kind_of(err),
            message: format!("{op} {path}: {}", errno_text(err)),
        }
    }

    /// Go's `*os.LinkError`: `<op> <old> <new>: <errno text>`.
    fn link(op: &str, old: &str, new: &str, err: &io::Error) -> Self {
        FileError {
            kind: kind_of(err),
            message: format!("{op} {old} {new}: {}", errno_text(err)),
        }
    }

    /// Prefixes the message (Go's `fmt.Errorf("...: %w", err)`), keeping the kind.
    fn wrap(self, context: &str) -> Self {
        FileError {
            kind: self.kind,
            message: format!("{context}: {}", self.message),
        }
    }
}

fn kind_of(err: &io::Error) -> FileErrorKind {
    match err.kind() {
        io::ErrorKind::NotFound => FileErrorKind::NotFound,
        io::ErrorKind::PermissionDenied => FileErrorKind::PermissionDenied,
        _ => FileErrorKind::Generic,
    }
}

/// Go's text for an errno (its table matches the C library's, lower-cased).
fn errno_text(err: &io::Error) -> String {
    let known = match err.raw_os_error() {
        Some(1) => "operation not permitted",
        Some(2) => "no such file or directory",
        Some(5) => "input/output error",
        Some(13) => "permission denied",
        Some(16) => "device or resource busy",
        Some(17) => "file exists",
        Some(18) => "invalid cross-device link",
        Some(20) => "not a directory",
        Some(21) => "is a directory",
        Some(22) => "invalid argument",
        Some(28) => "no space left on device",
        Some(30) => "read-only file system",
        Some(36) => "file name too long",
        Some(39) => "directory not empty",
        Some(40) => "too many levels of symbolic links",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let text = err.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text.to_string(),
    }
}

fn errno(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}

/// Who owns a file or directory, as recorded from a write or make-dirs request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// Numeric user id, when known.
    #[serde(rename = "user-id", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u32>,
    /// User name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Numeric group id, when known.
    #[serde(rename = "group-id", default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<u32>,
    /// Group name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl Owner {
    /// `root:root` (0:0): the owner of a file nobody asked to `chown`.
    pub fn root() -> Self {
        Owner {
            user_id: Some(0),
            user: Some("root".into()),
            group_id: Some(0),
            group: Some("root".into()),
        }
    }
}

/// Recorded owners, by resolved container path.
pub type Owners = BTreeMap<String, Owner>;

/// A file to write: one entry of a write request's `files` (`writeFilesItem`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct WriteItem {
    /// Absolute container path.
    pub path: String,
    /// Create missing parent directories (0755).
    #[serde(rename = "make-dirs")]
    pub make_dirs: bool,
    /// Three octal digits; `""` means 644.
    pub permissions: String,
    /// Owner's user id.
    #[serde(rename = "user-id")]
    pub user_id: Option<i64>,
    /// Owner's user name.
    pub user: String,
    /// Owner's group id.
    #[serde(rename = "group-id")]
    pub group_id: Option<i64>,
    /// Owner's group name.
    pub group: String,
}

/// A directory to create: one entry of a make-dirs request's `dirs` (`makeDirsItem`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct MakeDirItem {
    /// Absolute container path.
    pub path: String,
    /// Create missing parents too (and accept an existing directory).
    #[serde(rename = "make-parents")]
    pub make_parents: bool,
    /// Three octal digits; `""` means 755.
    pub permissions: String,
    /// Owner's user id.
    #[serde(rename = "user-id")]
    pub user_id: Option<i64>,
    /// Owner's user name.
    pub user: String,
    /// Owner's group id.
    #[serde(rename = "group-id")]
    pub group_id: Option<i64>,
    /// Owner's group name.
    pub group: String,
}

/// The non-empty components of a `/`-separated path.
fn components(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .map(str::to_string)
        .collect()
}

/// A path resolved under the root.
struct Resolved {
    host: PathBuf,
    container: String,
}

/// The `passwd`/`group` entries of the container, when it has the files.
struct UserDb {
    users: Option<Vec<(String, u32, u32)>>,
    groups: Option<Vec<(String, u32)>>,
}

/// Storage mounted into a container: container path (absolute, `/`-separated) → the host
/// directory seen there.
pub type Mounts = BTreeMap<String, PathBuf>;

/// A container's filesystem rooted at a host directory, with host directories mounted at
/// some of its paths (storage a charm declares in the container's `mounts`).
#[derive(Clone, Debug)]
pub struct ContainerFs {
    root: PathBuf,
    /// Mount points as path components, longest first, with their host directories.
    mounts: Vec<(Vec<String>, PathBuf)>,
}

fn nonabsolute(path: &str) -> FileError {
    FileError::generic(format!("paths must be absolute, got {}", go_quote(path)))
}

/// Pebble's `parsePermissions`: three octal digits, or the default when empty.
fn parse_permissions(text: &str, default: u32) -> Result<u32, FileError> {
    if text.is_empty() {
        return Ok(default);
    }
    match u32::from_str_radix(text, 8) {
        Ok(mode) if text.len() == 3 => Ok(mode),
        _ => Err(FileError::generic(format!(
            "permissions must be a 3-digit octal string, got {}",
            go_quote(text)
        ))),
    }
}

fn file_type(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_file() {
        "file"
    } else if kind.is_dir() {
        "directory"
    } else if kind.is_symlink() {
        "symlink"
    } else if kind.is_socket() {
        "socket"
    } else if kind.is_fifo() {
        "named-pipe"
    } else if kind.is_block_device() || kind.is_char_device() {
        "device"
    } else {
        "unknown"
    }
}

/// A name for a temporary file that no other write uses.
fn temp_suffix() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u8(0);
    hasher.finish() as u32
}

impl ContainerFs {
    /// The filesystem whose `/` is the host directory `root` (which must exist).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ContainerFs {
            root: root.into(),
            mounts: Vec::new(),
        }
    }

    /// The same filesystem with `mounts`: below each mount point, paths resolve in its
    /// host directory (symlinks still stay inside the container's view).
    pub fn with_mounts(mut self, mounts: &Mounts) -> Self {
        let mut table: Vec<(Vec<String>, PathBuf)> = mounts
            .iter()
            .map(|(at, host)| (components(at), host.clone()))
            .filter(|(at, _)| !at.is_empty())
            .collect();
        table.sort_by_key(|(at, _)| std::cmp::Reverse(at.len()));
        self.mounts = table;
        self
    }

    /// The host path of a resolved container path (its components): under the deepest
    /// mount point that contains it, else under the root.
    fn host_of(&self, stack: &[String]) -> PathBuf {
        for (at, host) in &self.mounts {
            if stack.starts_with(at) {
                let mut path = host.clone();
                path.extend(&stack[at.len()..]);
                return path;
            }
        }
        let mut path = self.root.clone();
        path.extend(stack);
        path
    }

    /// Whether a resolved container path is `/` or a mount point (neither can be removed).
    fn is_mount_point(&self, container: &str) -> bool {
        container == "/"
            || self
                .mounts
                .iter()
                .any(|(at, _)| components(container) == *at)
    }

    /// The host directory that is the container's `/`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Resolves an absolute container path under the root, following symlinks inside the
    /// root (the last component only when `follow_last`). Missing components are fine: the
    /// operation on the result reports them.
    fn resolve(&self, path: &str, follow_last: bool) -> io::Result<Resolved> {
        let mut pending: VecDeque<String> = path.split('/').map(str::to_string).collect();
        let mut stack: Vec<String> = Vec::new();
        let mut followed = 0;
        while let Some(part) = pending.pop_front() {
            match part.as_str() {
                "" | "." => continue,
                ".." => {
                    stack.pop();
                    continue;
                }
                _ => {}
            }
            let is_last = pending.iter().all(|rest| rest.is_empty() || rest == ".");
            if !is_last || follow_last {
                stack.push(part.clone());
                let candidate = self.host_of(&stack);
                stack.pop();
                if let Ok(meta) = fs::symlink_metadata(&candidate) {
                    if meta.file_type().is_symlink() {
                        followed += 1;
                        if followed > MAX_SYMLINKS {
                            return Err(errno(ELOOP));
                        }
                        let target = fs::read_link(&candidate)?;
                        let target = target.to_string_lossy().into_owned();
                        if target.starts_with('/') {
                            stack.clear();
                        }
                        for (at, piece) in target.split('/').enumerate() {
                            pending.insert(at, piece.to_string());
                        }
                        continue;
                    }
                }
            }
            stack.push(part);
        }
        Ok(Resolved {
            host: self.host_of(&stack),
            container: format!("/{}", stack.join("/")),
        })
    }

    /// Reads a regular file (`readFile` in `api_files.go`).
    pub fn read(&self, path: &str) -> Result<Vec<u8>, FileError> {
        if !gopath::is_abs(path) {
            return Err(nonabsolute(path));
        }
        let resolved = self
            .resolve(path, true)
            .map_err(|err| FileError::path("stat", path, &err))?;
        let meta = fs::symlink_metadata(&resolved.host)
            .map_err(|err| FileError::path("stat", path, &err))?;
        if !meta.is_file() {
            return Err(FileError::generic(format!(
                "can only read a regular file: {}",
                go_quote(path)
            )));
        }
        fs::read(&resolved.host).map_err(|err| FileError::path("open", path, &err))
    }

    fn info(
        &self,
        full_path: &str,
        meta: &fs::Metadata,
        resolved: &str,
        owners: &Owners,
        db: &UserDb,
    ) -> FileInfo {
        let owner = owners.get(resolved).cloned().unwrap_or_else(Owner::root);
        let user = owner
            .user
            .clone()
            .or_else(|| owner.user_id.and_then(|id| db.user_name(id)))
            .unwrap_or_default();
        let group = owner
            .group
            .clone()
            .or_else(|| owner.group_id.and_then(|id| db.group_name(id)))
            .unwrap_or_default();
        let modified = meta
            .modified()
            .map(Timestamp::from_system_time)
            .unwrap_or_default();
        FileInfo {
            path: full_path.to_string(),
            name: gopath::base(full_path),
            type_: FileType::from(file_type(meta)),
            size: meta.is_file().then_some(meta.len()),
            permissions: format!("{:03o}", meta.mode() & 0o777),
            last_modified: modified.rfc3339(),
            user_id: owner.user_id,
            user,
            group_id: owner.group_id,
            group,
        }
    }

    /// Lists a directory, or describes one file (or the directory itself with `itself`),
    /// filtered by a `path.Match` pattern on names (`listFiles` in `api_files.go`). The
    /// caller checks that `path` is absolute (a 400 before any file access).
    pub fn list(
        &self,
        path: &str,
        pattern: &str,
        itself: bool,
        owners: &Owners,
    ) -> Result<Vec<FileInfo>, FileError> {
        let resolved = self
            .resolve(path, true)
            .map_err(|err| FileError::path("stat", path, &err))?;
        let meta =
            fs::metadata(&resolved.host).map_err(|err| FileError::path("stat", path, &err))?;
        let db = self.user_db();
        let mut entries: Vec<(String, fs::Metadata, String)> = Vec::new();
        let dir;
        if !meta.is_dir() || itself {
            dir = gopath::dir(path);
            entries.push((gopath::base(path), meta, resolved.container.clone()));
        } else {
            dir = path.to_string();
            let reading =
                fs::read_dir(&resolved.host).map_err(|err| FileError::path("open", path, &err))?;
            let mut names: Vec<String> = Vec::new();
            for entry in reading {
                let entry = entry.map_err(|err| FileError::path("readdirent", path, &err))?;
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
            names.sort();
            for name in names {
                let host = resolved.host.join(&name);
                let entry_meta = fs::symlink_metadata(&host)
                    .map_err(|err| FileError::path("lstat", &gopath::join(path, &name), &err))?;
                let container = gopath::join(&resolved.container, &name);
                entries.push((name, entry_meta, container));
            }
        }
        let mut result = Vec::new();
        for (name, meta, container) in entries {
            if !pattern.is_empty()
                && !pattern::matches(pattern, &name).map_err(FileError::generic)?
            {
                continue;
            }
            let full_path = gopath::join(&dir, &name);
            result.push(self.info(&full_path, &meta, &container, owners, &db));
        }
        Ok(result)
    }

    /// Writes a file atomically (a temporary `name.<n>~` renamed over the target), creating
    /// parents when asked (`writeFile` in `api_files.go`).
    pub fn write(
        &self,
        item: &WriteItem,
        content: &[u8],
        owners: &mut Owners,
    ) -> Result<(), FileError> {
        if !gopath::is_abs(&item.path) {
            return Err(nonabsolute(&item.path));
        }
        let owner = self
            .normalize_owner(item.user_id, item.group_id, &item.user, &item.group)
            .map_err(|err| err.wrap("cannot look up user and group"))?;
        if item.make_dirs {
            self.make_dir_all(
                &gopath::dir(&item.path),
                0o755,
                true,
                owner.as_ref(),
                owners,
            )
            .map_err(|err| err.wrap("cannot create directory"))?;
        }
        let mode = parse_permissions(&item.permissions, 0o644)?;
        let base = gopath::base(&item.path);
        let dir = gopath::dir(&item.path);
        if base.contains('*') {
            return Err(FileError::generic(format!(
                "cannot create tempfile for filename containing '*': {}",
                go_quote(&base)
            )));
        }
        let temp_name = format!("{base}.{}~", temp_suffix());
        let temp_path = gopath::join(&dir, &temp_name);
        let parent = self
            .resolve(&dir, true)
            .map_err(|err| FileError::path("open", &temp_path, &err))?;
        let host_temp = parent.host.join(&temp_name);
        let target = parent.host.join(&base);
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&host_temp)
            .map_err(|err| FileError::path("open", &temp_path, &err))?;
        let finish = (|| -> Result<(), FileError> {
            file.set_permissions(fs::Permissions::from_mode(mode))
                .map_err(|err| FileError::path("chmod", &temp_path, &err))?;
            file.write_all(content)
                .map_err(|err| FileError::path("write", &temp_path, &err))?;
            file.sync_all()
                .map_err(|err| FileError::path("sync", &temp_path, &err))?;
            fs::rename(&host_temp, &target)
                .map_err(|err| FileError::link("rename", &temp_path, &item.path, &err))
        })();
        if finish.is_err() {
            let _ = fs::remove_file(&host_temp);
        }
        finish?;
        let container = gopath::join(&parent.container, &base);
        match owner {
            Some(owner) => owners.insert(container, owner),
            None => owners.remove(&container),
        };
        Ok(())
    }

    /// Creates a directory (`makeDir` in `api_files.go`, over `osutil.Mkdir`).
    pub fn make_dir(&self, item: &MakeDirItem, owners: &mut Owners) -> Result<(), FileError> {
        if !gopath::is_abs(&item.path) {
            return Err(nonabsolute(&item.path));
        }
        let mode = parse_permissions(&item.permissions, 0o755)?;
        let owner = self
            .normalize_owner(item.user_id, item.group_id, &item.user, &item.group)
            .map_err(|err| err.wrap("cannot look up user and group"))?;
        self.make_dir_all(&item.path, mode, item.make_parents, owner.as_ref(), owners)
    }

    /// `osutil.Mkdir` with `Chmod` set, and `MakeParents` and `ExistOK` both as
    /// `make_parents` (how Pebble calls it).
    fn make_dir_all(
        &self,
        path: &str,
        mode: u32,
        make_parents: bool,
        owner: Option<&Owner>,
        owners: &mut Owners,
    ) -> Result<(), FileError> {
        let path = gopath::clean(path);
        if let Ok(meta) = self
            .resolve(&path, true)
            .and_then(|resolved| fs::metadata(resolved.host))
        {
            if !meta.is_dir() {
                return Err(FileError::path("mkdir", &path, &errno(ENOTDIR)));
            }
            if make_parents {
                return Ok(());
            }
            return Err(FileError::path("mkdir", &path, &errno(EEXIST)));
        }
        self.make_dir_recursive(&path, mode, make_parents, owner, owners)
    }

    fn make_dir_recursive(
        &self,
        path: &str,
        mode: u32,
        make_parents: bool,
        owner: Option<&Owner>,
        owners: &mut Owners,
    ) -> Result<(), FileError> {
        if let Ok(meta) = self
            .resolve(path, true)
            .and_then(|resolved| fs::metadata(resolved.host))
        {
            if meta.is_dir() {
                return Ok(());
            }
            return Err(FileError::path("mkdir", path, &errno(ENOTDIR)));
        }
        if make_parents {
            let parent = gopath::dir(path);
            if parent != "/" {
                self.make_dir_recursive(&parent, mode, make_parents, owner, owners)?;
            }
        }
        self.make_one_dir(path, mode, owner, owners)
    }

    /// `osutil`'s single `mkdir`: `<path>.mkdir-new`, chmod, rename into place.
    fn make_one_dir(
        &self,
        path: &str,
        mode: u32,
        owner: Option<&Owner>,
        owners: &mut Owners,
    ) -> Result<(), FileError> {
        let candidate = format!("{path}.mkdir-new");
        let resolved = self
            .resolve(&candidate, false)
            .map_err(|err| FileError::path("mkdir", &candidate, &err))?;
        if resolved.container == "/" {
            return Err(FileError::path("mkdir", &candidate, &errno(EEXIST)));
        }
        match fs::DirBuilder::new().mode(mode).create(&resolved.host) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(FileError::path("mkdir", &candidate, &err)),
        }
        fs::set_permissions(&resolved.host, fs::Permissions::from_mode(mode))
            .map_err(|err| FileError::path("chmod", &candidate, &err))?;
        let base = gopath::base(path);
        let target = resolved.host.with_file_name(&base);
        fs::rename(&resolved.host, &target)
            .map_err(|err| FileError::link("rename", &candidate, path, &err))?;
        let container = gopath::join(&gopath::dir(&resolved.container), &base);
        match owner {
            Some(owner) => owners.insert(container, owner.clone()),
            None => owners.remove(&container),
        };
        Ok(())
    }

    /// Removes a file or an empty directory, or a whole tree with `recursive` (nothing to
    /// remove is then no error), as `os.Remove` / `os.RemoveAll` (`removePath` in
    /// `api_files.go`). The root and mount points are never removed: `device or resource
    /// busy`.
    pub fn remove(
        &self,
        path: &str,
        recursive: bool,
        owners: &mut Owners,
    ) -> Result<(), FileError> {
        if !gopath::is_abs(path) {
            return Err(nonabsolute(path));
        }
        if recursive && (path == "." || path.ends_with("/.")) {
            return Err(FileError::path("RemoveAll", path, &errno(EINVAL)));
        }
        let op = if recursive { "unlinkat" } else { "remove" };
        let resolved = self
            .resolve(path, false)
            .map_err(|err| FileError::path(op, path, &err))?;
        if self.is_mount_point(&resolved.container) {
            return Err(FileError::path(op, path, &errno(EBUSY)));
        }
        if recursive {
            match fs::symlink_metadata(&resolved.host) {
                Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
                Err(err) if err.raw_os_error() == Some(ENOTDIR) => return Ok(()),
                Err(err) => return Err(FileError::path("lstat", path, &err)),
                Ok(meta) if meta.is_dir() => fs::remove_dir_all(&resolved.host)
                    .map_err(|err| FileError::path("unlinkat", path, &err))?,
                Ok(_) => fs::remove_file(&resolved.host)
                    .map_err(|err| FileError::path("unlinkat", path, &err))?,
            }
        } else if let Err(unlink) = fs::remove_file(&resolved.host) {
            if let Err(rmdir) = fs::remove_dir(&resolved.host) {
                // Both failed: rmdir's error is the real one unless the path is no
                // directory (Go's os.Remove reasoning).
                let err = if rmdir.raw_os_error() == Some(ENOTDIR) {
                    unlink
                } else {
                    rmdir
                };
                return Err(FileError::path("remove", path, &err));
            }
        }
        let prefix = format!("{}/", resolved.container);
        owners.retain(|recorded, _| {
            recorded != &resolved.container && !recorded.starts_with(&prefix)
        });
        Ok(())
    }

    fn user_db(&self) -> UserDb {
        let read = |path: &str| -> Option<String> {
            let resolved = self.resolve(path, true).ok()?;
            fs::read_to_string(resolved.host).ok()
        };
        let fields = |text: String| -> Vec<Vec<String>> {
            text.lines()
                .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
                .map(|line| line.split(':').map(str::to_string).collect())
                .collect()
        };
        let users = read("/etc/passwd").map(|text| {
            fields(text)
                .into_iter()
                .filter_map(|f| {
                    Some((
                        f.first()?.clone(),
                        f.get(2)?.parse().ok()?,
                        f.get(3)?.parse().ok()?,
                    ))
                })
                .collect()
        });
        let groups = read("/etc/group").map(|text| {
            fields(text)
                .into_iter()
                .filter_map(|f| Some((f.first()?.clone(), f.get(2)?.parse().ok()?)))
                .collect()
        });
        UserDb { users, groups }
    }

    /// `osutil.NormalizeUidGid` against the container's user database (see the module
    /// doc for a root without one). `None` when no owner was asked for.
    fn normalize_owner(
        &self,
        user_id: Option<i64>,
        group_id: Option<i64>,
        user: &str,
        group: &str,
    ) -> Result<Option<Owner>, FileError> {
        if user_id.is_none() && user.is_empty() && group_id.is_none() && group.is_empty() {
            return Ok(None);
        }
        let to_id =
            |id: i64| u32::try_from(id).map_err(|_| FileError::generic(format!("invalid id {id}")));
        let mut uid = user_id.map(to_id).transpose()?;
        let mut gid = group_id.map(to_id).transpose()?;
        let db = self.user_db();
        if !user.is_empty() {
            if let Some(users) = &db.users {
                let found = users.iter().find(|(name, _, _)| name == user);
                let (_, found_uid, _) = found
                    .ok_or_else(|| FileError::generic(format!("user: unknown user {user}")))?;
                if let Some(given) = uid.filter(|given| given != found_uid) {
                    return Err(FileError::generic(format!(
                        "user {} UID ({found_uid}) does not match user-id ({given})",
                        go_quote(user)
                    )));
                }
                uid = Some(*found_uid);
            }
        }
        if !group.is_empty() {
            if let Some(groups) = &db.groups {
                let found = groups.iter().find(|(name, _)| name == group);
                let (_, found_gid) = found
                    .ok_or_else(|| FileError::generic(format!("group: unknown group {group}")))?;
                if let Some(given) = gid.filter(|given| given != found_gid) {
                    return Err(FileError::generic(format!(
                        "group {} GID ({found_gid}) does not match group-id ({given})",
                        go_quote(group)
                    )));
                }
                gid = Some(*found_gid);
            }
        }
        if uid.is_none() && user.is_empty() {
            return Err(FileError::generic("must specify user, not just group"));
        }
        if gid.is_none() && group.is_empty() {
            if let (Some(id), Some(users)) = (uid, &db.users) {
                let found = users.iter().find(|(_, found_uid, _)| *found_uid == id);
                let (_, _, primary) = found
                    .ok_or_else(|| FileError::generic(format!("user: unknown userid {id}")))?;
                gid = Some(*primary);
            }
        }
        let user_name = if user.is_empty() {
            uid.and_then(|id| db.user_name(id))
        } else {
            Some(user.to_string())
        };
        let group_name = if group.is_empty() {
            gid.and_then(|id| db.group_name(id))
        } else {
            Some(group.to_string())
        };
        Ok(Some(Owner {
            user_id: uid,
            user: user_name,
            group_id: gid,
            group: group_name,
        }))
    }
}

impl UserDb {
    fn user_name(&self, id: u32) -> Option<String> {
        self.users
            .as_ref()?
            .iter()
            .find(|(_, uid, _)| *uid == id)
            .map(|(name, _, _)| name.clone())
    }

    fn group_name(&self, id: u32) -> Option<String> {
        self.groups
            .as_ref()?
            .iter()
            .find(|(_, gid)| *gid == id)
            .map(|(name, _)| name.clone())
    }
}
