//! Helpers the checker's rule modules share: Juju versions, and lists of names as the
//! messages write them.

/// A Juju version as numbers, `3.6.14` → `[3, 6, 14]`.
pub(super) fn parse_version(v: &str) -> Option<Vec<u64>> {
    // Juju versions may carry a tag: 3.6-beta2, 3.6.1.2.
    let core = v.split(['-', '+']).next()?;
    let parts: Option<Vec<u64>> = core.split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| (2..=4).contains(&p.len()))
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
