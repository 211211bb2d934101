//! Helpers the checker's rule modules share: Juju versions, and lists of names as the
//! messages write them.

/// A Juju version as numbers: two to four of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Version {
    parts: [u64; 4],
    len: usize,
}

impl Version {
    /// What the checker goes on with when the context's version does not parse.
    pub(super) const FALLBACK: Version = Version {
        parts: [3, 6, 0, 0],
        len: 3,
    };

    /// The version `parts` (two to four numbers).
    pub(super) fn new(parts: &[u64]) -> Option<Version> {
        if !(2..=4).contains(&parts.len()) {
            return None;
        }
        let mut v = Version {
            parts: [0; 4],
            len: parts.len(),
        };
        v.parts[..parts.len()].copy_from_slice(parts);
        Some(v)
    }

    /// The numbers.
    pub(super) fn as_slice(&self) -> &[u64] {
        &self.parts[..self.len]
    }
}

/// A Juju version as numbers, `3.6.14` → `[3, 6, 14]` (parsed without allocating).
pub(super) fn parse_version(v: &str) -> Option<Version> {
    // Juju versions may carry a tag: 3.6-beta2, 3.6.1.2.
    let core = v.split(['-', '+']).next()?;
    let mut parts = [0; 4];
    let mut len = 0;
    for p in core.split('.') {
        *parts.get_mut(len)? = p.parse().ok()?;
        len += 1;
    }
    Version::new(&parts[..len])
}

/// Whether `version` is at least `want` (compared on `want`'s length).
pub(super) fn at_least(version: &[u64], want: &[u64]) -> bool {
    version.iter().take(want.len()).cmp(want.iter()) != std::cmp::Ordering::Less
}

/// Names in backquotes, joined by commas; `none` for none.
pub(super) fn list(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let v: Vec<String> = names
        .into_iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// A version as `3.6.14`.
pub(super) fn version_str(v: &[u64]) -> String {
    v.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_as_two_to_four_numbers() {
        let parsed = |v: &str| parse_version(v).map(|v| v.as_slice().to_vec());
        assert_eq!(parsed("3.6.14"), Some(vec![3, 6, 14]));
        assert_eq!(parsed("3.6-beta2"), Some(vec![3, 6]));
        assert_eq!(parsed("3.6.1.2"), Some(vec![3, 6, 1, 2]));
        assert_eq!(parsed("2.9.45+ubuntu"), Some(vec![2, 9, 45]));
        for bad in ["3", "3.6.1.2.5", "3..6", "", "x.y", "3.6.", "-3.6"] {
            assert_eq!(parsed(bad), None, "{bad}");
        }
        assert_eq!(Version::FALLBACK.as_slice(), [3, 6, 0]);
    }
}
