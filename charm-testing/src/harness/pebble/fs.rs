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
