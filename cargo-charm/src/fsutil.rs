//! File-system helpers: atomic writes (tempfile's `persist`), locks (`File::lock`), copying
//! charm directories, time formatting, model UUIDs.

use crate::error::{Context, Error, Result};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Writes `bytes` to `path` atomically: a temporary file next to it, fsync, rename over
/// `path`, fsync of the directory. A reader sees the old or the new contents, never a mix,
/// whatever happens to this process.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_replace(path, bytes, true)
}

/// Like [`write_atomic`] but without the fsyncs when `durable` is false: readers still
/// never see a partial file, but a power loss may lose the write. For a dispatch's scratch
/// files, which a crash makes irrelevant anyway (the hook runs again).
///
/// The temporary file is `.<name>.tmp<random>` in the same directory (removed if anything
/// fails before the rename).
pub fn write_replace(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let write = || -> std::io::Result<()> {
        // 0666 less the umask, as `fs::write` creates files (tempfile's default is 0600).
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp"))
            .permissions(std::fs::Permissions::from_mode(0o666))
            .tempfile_in(dir)?;
        tmp.write_all(bytes)?;
        if durable {
            tmp.as_file().sync_all()?;
        }
        tmp.persist(path).map_err(|e| e.error)?;
        if durable {
            // Make the rename itself durable.
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    };
    write().map_err(|e| Error::msg(format!("writing {}: {e}", path.display())))
}

/// An exclusive advisory lock on a file (flock), released on drop.
pub struct Lock {
    file: File,
}

impl Lock {
    /// Takes the lock on `path` (created if missing), waiting for other holders; `waiting`
    /// is called once if the lock is busy.
    pub fn exclusive(path: &Path, waiting: impl FnOnce()) -> Result<Lock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .context(format!("opening lock {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                waiting();
                file.lock().context(format!("locking {}", path.display()))?;
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(Error::msg(format!("locking {}: {e}", path.display())))
            }
        }
        Ok(Lock { file })
    }

    /// Takes the lock on `path`, which must exist (never created), waiting for other
    /// holders.
    pub fn existing(path: &Path) -> Result<Lock> {
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .context(format!("opening lock {}", path.display()))?;
        file.lock().context(format!("locking {}", path.display()))?;
        Ok(Lock { file })
    }

    /// Whether the locked file is still the one at `path` (not removed or replaced while
    /// this process waited for it).
    pub fn is_at(&self, path: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        match (self.file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Copies the directory `from` to `to` (which must not exist): regular files keep their
/// permission bits; a symlink stays a symlink, and one whose relative target points
/// outside `from` is rewritten to the absolute path it pointed at, so the copy works from
/// its new place (a charm's `venv -> ../../.venv`).
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    let root = from
        .canonicalize()
        .context(format!("reading {}", from.display()))?;
    copy_rec(&root, &root, to)
}

fn copy_rec(root: &Path, from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).context(format!("creating {}", to.display()))?;
    let mut entries: Vec<_> = fs::read_dir(from)
        .context(format!("reading {}", from.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let meta = fs::symlink_metadata(&src)?;
        if meta.file_type().is_symlink() {
            let target = fs::read_link(&src)?;
            let target = if target.is_relative() {
                let resolved = normalize(&from.join(&target));
                if resolved.starts_with(root) {
                    target
                } else {
                    resolved
                }
            } else {
                target
            };
            symlink(&target, &dst).context(format!("creating {}", dst.display()))?;
        } else if meta.is_dir() {
            copy_rec(root, &src, &dst)?;
        } else {
            fs::copy(&src, &dst).context(format!("copying {}", src.display()))?;
            fs::set_permissions(&dst, fs::Permissions::from_mode(meta.permissions().mode()))?;
        }
    }
    Ok(())
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Removes a directory tree if it exists.
pub fn remove_dir(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::msg(format!("removing {}: {e}", path.display()))),
    }
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

// Hand-written: two fixed UTC formats of epoch seconds need only this conversion; a date
// crate (chrono, time, jiff) would be a dependency for ten lines.
/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `2026-01-04T06:29:46Z`.
pub fn rfc3339(secs: i64) -> String {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// `06:29:46` (UTC), as `juju debug-log` prints times.
pub fn hms(secs: i64) -> String {
    let t = secs.rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

/// A random version-4 UUID (model UUIDs).
pub fn uuid4() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(315_532_800), "1980-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_767_508_186), "2026-01-04T06:29:46Z");
        assert_eq!(hms(1_767_508_186), "06:29:46");
    }

    #[test]
    fn uuids_are_random_v4() {
        let (a, b) = (uuid4(), uuid4());
        assert_ne!(a, b);
        let u = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(u.get_version(), Some(uuid::Version::Random));
        assert_ne!(u, uuid::Uuid::nil());
    }

    #[test]
    fn atomic_writes_replace_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.json");
        write_atomic(&path, b"one").unwrap();
        write_replace(&path, b"two", false).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["model.json"]);

        // The mode any file `fs::write` makes (0666 less the umask), not tempfile's 0600.
        let plain = dir.path().join("plain");
        fs::write(&plain, b"").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain));
        fs::remove_file(&plain).unwrap();
        let err = write_atomic(&dir.path().join("missing/x"), b"").unwrap_err();
        assert!(err.message.starts_with("writing "), "{}", err.message);
    }
}
