//! A container's filesystem for one run: a temporary host directory that Pebble serves as
//! the container's `/`, holding the seeded files and a copy of each mount; after the run,
//! the files outside the mounts are read back and each mount's host path is brought in line
//! with the container's copy.
//!
//! Why copies: Pebble's files API (the `pebbled` crate) resolves every path inside the
//! container's root and follows symlinks there, never out to the host, so a mount cannot be
//! a symlink to the host path as in `ops.testing`. Copying in and mirroring back gives the
//! same result for a test, which only looks before and after a run.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The host path of container path `path` under `root`.
fn host(root: &Path, path: &str) -> PathBuf {
    root.join(path.trim_start_matches('/'))
}

fn context(what: String) -> impl FnOnce(io::Error) -> String {
    move |e| format!("{what}: {e}")
}

/// A container's root directory for one run.
pub(crate) struct Root {
    dir: TempDir,
    /// Mount locations (container paths) and their host sources.
    mounts: Vec<(String, PathBuf)>,
}

impl Root {
    /// A fresh root with `files` written and each mount's source copied to its location.
    pub(crate) fn new(
        mounts: &BTreeMap<String, PathBuf>,
        files: &BTreeMap<String, Vec<u8>>,
    ) -> Result<Root, String> {
        let dir = tempfile::Builder::new()
            .prefix("charm-testing-container-")
            .tempdir()
            .map_err(context("cannot make a temporary container root".into()))?;
        for (location, source) in mounts {
            let target = host(dir.path(), location);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(context(format!(
                    "cannot make the parent of mount `{location}`"
                )))?;
            }
            copy_tree(source, &target).map_err(context(format!(
                "cannot copy `{}` into the container at mount `{location}`",
                source.display()
            )))?;
        }
        for (path, content) in files {
            let target = host(dir.path(), path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)
                    .map_err(context(format!("cannot make the parent of file `{path}`")))?;
            }
            fs::write(&target, content).map_err(context(format!("cannot seed file `{path}`")))?;
        }
        Ok(Root {
            dir,
            mounts: mounts.iter().map(|(l, s)| (l.clone(), s.clone())).collect(),
        })
    }

    /// The host directory served as `/`.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Every regular file outside the mounts, by container path.
    pub(crate) fn files(&self) -> Result<BTreeMap<String, Vec<u8>>, String> {
        let mut out = BTreeMap::new();
        let skip: Vec<PathBuf> = self
            .mounts
            .iter()
            .map(|(l, _)| host(self.path(), l))
            .collect();
        collect(self.path(), self.path(), &skip, &mut out)
            .map_err(context("cannot read the container's files back".into()))?;
        Ok(out)
    }

    /// Brings each mount's host source in line with the container's copy (unless the
    /// charm removed the mount point itself).
    pub(crate) fn sync_mounts(&self) -> Result<(), String> {
        for (location, source) in &self.mounts {
            let copy = host(self.path(), location);
            if fs::symlink_metadata(&copy).is_err() {
                continue;
            }
            mirror(&copy, source).map_err(context(format!(
                "cannot write mount `{location}` back to `{}`",
                source.display()
            )))?;
        }
        Ok(())
    }
}

fn collect(
    root: &Path,
    dir: &Path,
    skip: &[PathBuf],
    out: &mut BTreeMap<String, Vec<u8>>,
) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if skip.contains(&path) {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(root, &path, skip, out)?;
        } else if kind.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.insert(format!("/{}", rel.to_string_lossy()), fs::read(&path)?);
        }
    }
    Ok(())
}

/// Copies a file, directory tree or symlink (as a symlink), keeping permission bits.
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(from)?;
    if meta.file_type().is_symlink() {
        symlink(fs::read_link(from)?, to)
    } else if meta.is_dir() {
        fs::create_dir(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        fs::set_permissions(to, meta.permissions())
    } else {
        fs::copy(from, to).map(drop)
    }
}

fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes `to` match `from`: same tree, contents, permission bits and symlinks. Files whose
/// content and mode already match are not rewritten.
fn mirror(from: &Path, to: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(from)?;
    let existing = fs::symlink_metadata(to).ok();
    let kind = meta.file_type();
    if kind.is_symlink() {
        let target = fs::read_link(from)?;
        if existing.is_some_and(|m| m.file_type().is_symlink()) && fs::read_link(to)? == target {
            return Ok(());
        }
        remove_any(to)?;
        return symlink(target, to);
    }
    if meta.is_dir() {
        if !existing.as_ref().is_some_and(|m| m.is_dir()) {
            remove_any(to)?;
            fs::create_dir(to)?;
        }
        let mut names = std::collections::BTreeSet::new();
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            names.insert(entry.file_name());
            mirror(&entry.path(), &to.join(entry.file_name()))?;
        }
        for entry in fs::read_dir(to)? {
            let entry = entry?;
            if !names.contains(&entry.file_name()) {
                remove_any(&entry.path())?;
            }
        }
        if fs::metadata(to)?.permissions().mode() != meta.permissions().mode() {
            fs::set_permissions(to, meta.permissions())?;
        }
        return Ok(());
    }
    let same = match &existing {
        Some(m) if m.is_file() => {
            m.permissions().mode() == meta.permissions().mode()
                && m.len() == meta.len()
                && fs::read(to)? == fs::read(from)?
        }
        _ => false,
    };
    if !same {
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            remove_any(to)?;
        }
        fs::copy(from, to)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn write(path: &Path, content: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }

    #[test]
    fn mounts_are_copied_in_and_mirrored_back() {
        let host = tempfile::tempdir().unwrap();
        let src = host.path().join("src");
        write(&src.join("keep.txt"), "keep");
        write(&src.join("change.txt"), "old");
        write(&src.join("gone/deep.txt"), "gone");
        write(&src.join("becomes-dir"), "file");
        symlink("keep.txt", src.join("link")).unwrap();
        let keep_inode = fs::metadata(src.join("keep.txt")).unwrap().ino();

        let mounts = BTreeMap::from([("/srv/data".to_string(), src.clone())]);
        let files = BTreeMap::from([("/etc/x".to_string(), b"x".to_vec())]);
        let root = Root::new(&mounts, &files).unwrap();
        let inside = root.path().join("srv/data");
        assert_eq!(fs::read_to_string(inside.join("keep.txt")).unwrap(), "keep");
        assert_eq!(
            fs::read_link(inside.join("link")).unwrap(),
            Path::new("keep.txt")
        );

        // What a charm might do through Pebble.
        fs::write(inside.join("change.txt"), "new").unwrap();
        fs::set_permissions(inside.join("change.txt"), fs::Permissions::from_mode(0o600)).unwrap();
        fs::remove_dir_all(inside.join("gone")).unwrap();
        fs::remove_file(inside.join("becomes-dir")).unwrap();
        write(&inside.join("becomes-dir/inner.txt"), "inner");
        write(&root.path().join("var/new.txt"), "outside");

        root.sync_mounts().unwrap();
        assert_eq!(fs::read_to_string(src.join("change.txt")).unwrap(), "new");
        assert_eq!(mode_of(&src.join("change.txt")), 0o600);
        assert!(!src.join("gone").exists());
        assert_eq!(
            fs::read_to_string(src.join("becomes-dir/inner.txt")).unwrap(),
            "inner"
        );
        // Unchanged files are left as they are (the same file, not a copy).
        assert_eq!(
            fs::metadata(src.join("keep.txt")).unwrap().ino(),
            keep_inode
        );
        assert_eq!(
            fs::read_link(src.join("link")).unwrap(),
            Path::new("keep.txt")
        );

        // Files outside the mounts come back by container path; the mount's do not.
        let back = root.files().unwrap();
        assert_eq!(back.keys().collect::<Vec<_>>(), ["/etc/x", "/var/new.txt"]);
        assert_eq!(back["/var/new.txt"], b"outside");
    }

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_removed_mount_point_leaves_the_host_path_alone() {
        let host = tempfile::tempdir().unwrap();
        write(&host.path().join("a.txt"), "a");
        let mounts = BTreeMap::from([("/data".to_string(), host.path().to_path_buf())]);
        let root = Root::new(&mounts, &BTreeMap::new()).unwrap();
        fs::remove_dir_all(root.path().join("data")).unwrap();
        root.sync_mounts().unwrap();
        assert_eq!(fs::read_to_string(host.path().join("a.txt")).unwrap(), "a");
    }

    #[test]
    fn a_missing_source_is_a_clear_error() {
        let mounts = BTreeMap::from([("/data".to_string(), PathBuf::from("/nonexistent/x"))]);
        let err = Root::new(&mounts, &BTreeMap::new()).err().unwrap();
        assert!(
            err.starts_with("cannot copy `/nonexistent/x` into the container at mount `/data`:"),
            "{err}"
        );
    }
}
