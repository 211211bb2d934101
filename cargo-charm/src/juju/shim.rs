//! `cargo charm juju-shim DIR`: a `juju` symlink to this binary in DIR, so that with DIR
//! first on `PATH` every `juju` command (jubilant's included) runs the simulator's.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Writes `DIR/juju` → the running binary (replacing an earlier link, never a file that is
/// not a symlink) and returns the link's path.
pub fn install(dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::msg(format!("creating {}: {e}", dir.display())))?;
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(|e| Error::msg(format!("finding the cargo-charm binary: {e}")))?;
    let link = dir.join("juju");
    match std::fs::symlink_metadata(&link) {
        Ok(m) if m.file_type().is_symlink() => std::fs::remove_file(&link)
            .map_err(|e| Error::msg(format!("replacing {}: {e}", link.display())))?,
        Ok(_) => {
            return Err(Error::msg(format!(
                "{} exists and is not a symlink (a real juju?); choose another directory",
                link.display()
            )))
        }
        Err(_) => {}
    }
    std::os::unix::fs::symlink(&exe, &link).map_err(|e| {
        Error::msg(format!(
            "linking {} to {}: {e}",
            link.display(),
            exe.display()
        ))
    })?;
    Ok(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_relinks_but_keeps_files() {
        let dir = tempfile::tempdir().unwrap();
        let link = install(dir.path()).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        install(dir.path()).unwrap();
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("juju"), "#!/bin/sh\n").unwrap();
        let err = install(other.path()).unwrap_err();
        assert!(err.message.contains("not a symlink"), "{}", err.message);
    }
}
