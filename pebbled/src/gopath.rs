//! Go's `path` package (slash-separated, lexical): `Clean`, `Base`, `Dir`, `Join`, `IsAbs`.
//! Pebble builds the paths it reports with these, quirks included (`Dir("/a/b/")` is
//! `"/a/b"`), so the files API reproduces them to report the same paths.

/// Go's `path.IsAbs`.
pub fn is_abs(path: &str) -> bool {
    path.starts_with('/')
}

/// Go's `path.Clean`: the shortest equivalent path (`.` for empty, `..` resolved
/// lexically, never above `/`).
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            name => parts.push(name),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `path.Base`: the last element, trailing slashes removed (`"/"` for all slashes,
/// `"."` for empty).
pub fn base(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".to_string();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// Go's `path.Dir`: everything before the last slash, cleaned.
pub fn dir(path: &str) -> String {
    let cut = path.rfind('/').map_or(0, |at| at + 1);
    clean(&path[..cut])
}

/// Go's `path.Join` of two elements: joined with a slash and cleaned (an empty element is
/// skipped).
pub fn join(first: &str, second: &str) -> String {
    match (first.is_empty(), second.is_empty()) {
        (true, true) => String::new(),
        (true, false) => clean(second),
        (false, true) => clean(first),
        (false, false) => clean(&format!("{first}/{second}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_go_path() {
        assert_eq!(clean("/a/../../b/./c//"), "/b/c");
        assert_eq!(clean("a/../.."), "..");
        assert_eq!(clean(""), ".");
        assert_eq!(base("/a/b/"), "b");
        assert_eq!(base("///"), "/");
        assert_eq!(dir("/a/b/"), "/a/b");
        assert_eq!(dir("/a/b"), "/a");
        assert_eq!(dir("/"), "/");
        assert_eq!(dir("x"), ".");
        assert_eq!(join("/a/b", "c"), "/a/b/c");
        assert_eq!(join("/", "/"), "/");
        assert!(is_abs("/x") && !is_abs("x"));
    }
}
