//! Juju secrets: their content ([`SecretContent`], which never prints its values), the
//! handle naming a secret ([`Secret`]), its metadata ([`SecretInfo`], [`Rotate`],
//! [`Expire`]) and what can go wrong ([`SecretError`]). The [`Model`](crate::Model)
//! methods (`add_secret`, `get_secret`, `secret_content`, ...) use them.
//!
//! Content never leaves the process in a command line: the runtime hands it to
//! `secret-add`/`secret-set` as `key#file=<path>` (files of mode 0600 in a directory of
//! mode 0700, removed as soon as the tool returns, whether it succeeded or not), the way
//! ops does since CVE-2024-41129. No error message, log line, `Debug` or `Display` of
//! these types contains a content value.

use crate::config::SecretUri;
use crate::event::SecretEvent;
use crate::hooktools::ToolError;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A secret's content: keys to string values. `Debug` and `Display` show the keys only.
///
/// ```
/// use charm_runtime::secret::SecretContent;
/// let c = SecretContent::from([("username", "admin"), ("password", "hunter2")]);
/// assert_eq!(c.get("password"), Some("hunter2"));
/// assert_eq!(format!("{c:?}"), r#"SecretContent { keys: ["password", "username"] }"#);
/// assert_eq!(c.to_string(), "secret content with keys password, username");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretContent(BTreeMap<String, String>);

impl SecretContent {
    /// Empty content (Juju refuses to store it: add at least one key).
    pub fn new() -> Self {
        SecretContent::default()
    }

    /// Sets a key; returns `self` for chaining.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(key, value);
        self
    }

    /// Sets a key.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.0.insert(key.into(), value.into());
    }

    /// Removes a key; true if it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        self.0.remove(key).is_some()
    }

    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The value of a key, or an error naming the key (and the keys there are).
    pub fn require(&self, key: &str) -> Result<&str, SecretError> {
        self.get(key).ok_or_else(|| SecretError::MissingKey {
            key: key.to_string(),
            keys: self.0.keys().cloned().collect(),
        })
    }

    /// The keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// The keys and values, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The content as a map.
    pub fn into_map(self) -> BTreeMap<String, String> {
        self.0
    }

    /// Checks the content as Juju will: at least one key, and every key matching
    /// `^[a-z](?:-?[a-z0-9]){2,}$` (lowercase, at least 3 characters, starting with a
    /// letter, single hyphens between letters or digits).
    pub fn validate(&self) -> Result<(), SecretError> {
        if self.0.is_empty() {
            return Err(SecretError::EmptyContent);
        }
        match self.0.keys().find(|k| !valid_key(k)) {
            Some(k) => Err(SecretError::InvalidKey { key: k.clone() }),
            None => Ok(()),
        }
    }
}

/// Juju's secret content key rule (`core/secrets`): `^([a-z](?:-?[a-z0-9]){2,})$`.
pub fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_lowercase()) {
        return false;
    }
    let (mut groups, mut after_hyphen) = (0, false);
    for c in chars {
        match c {
            '-' if !after_hyphen => after_hyphen = true,
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => {
                groups += 1;
                after_hyphen = false;
            }
            _ => return false,
        }
    }
    !after_hyphen && groups >= 2
}

impl fmt::Debug for SecretContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretContent")
            .field("keys", &self.0.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl fmt::Display for SecretContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.keys().collect();
        write!(f, "secret content with keys {}", keys.join(", "))
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for SecretContent {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        SecretContent(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl<K: Into<String>, V: Into<String>, const N: usize> From<[(K, V); N]> for SecretContent {
    fn from(items: [(K, V); N]) -> Self {
        items.into_iter().collect()
    }
}

impl From<BTreeMap<String, String>> for SecretContent {
    fn from(map: BTreeMap<String, String>) -> Self {
        SecretContent(map)
    }
}

impl From<std::collections::HashMap<String, String>> for SecretContent {
    fn from(map: std::collections::HashMap<String, String>) -> Self {
        map.into_iter().collect()
    }
}

/// Names a secret: by its id (`secret:...`, `secret://<model-uuid>/...` or the bare id),
/// by its label, or both (then Juju looks it up by id and, for an observer, sets the
/// label: how an observer labels a secret it was granted).
///
/// It holds no content: [`Model::secret_content`](crate::Model::secret_content) reads it
/// (once per dispatch).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Secret {
    /// The id.
    pub id: Option<String>,
    /// The label.
    pub label: Option<String>,
}

impl Secret {
    /// The secret with this id.
    pub fn from_id(id: impl Into<String>) -> Self {
        Secret {
            id: Some(id.into()),
            label: None,
        }
    }

    /// The secret with this label.
    pub fn from_label(label: impl Into<String>) -> Self {
        Secret {
            id: None,
            label: Some(label.into()),
        }
    }

    /// The same secret, also naming this label (with an id: sets the label as this unit's
    /// name for the secret).
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.id, &self.label) {
            (Some(id), Some(l)) => write!(f, "{id} (label {l:?})"),
            (Some(id), None) => f.write_str(id),
            (None, Some(l)) => write!(f, "with label {l:?}"),
            (None, None) => f.write_str("(unnamed)"),
        }
    }
}

/// A handle passed by reference works wherever one is taken by value.
impl From<&Secret> for Secret {
    fn from(s: &Secret) -> Self {
        s.clone()
    }
}

/// A secret-typed config option resolves to the secret it names.
impl From<&SecretUri> for Secret {
    fn from(uri: &SecretUri) -> Self {
        Secret::from_id(uri.0.clone())
    }
}

/// The secret a `secret-*` event is about (its id, and its label if Juju gave one).
impl From<&SecretEvent> for Secret {
    fn from(e: &SecretEvent) -> Self {
        Secret {
            id: Some(e.id.clone()),
            label: e.label.clone(),
        }
    }
}

/// Who owns a new secret, and so who manages it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SecretOwner {
    /// The application (Juju's default): only the leader manages it; it outlives units.
    #[default]
    App,
    /// This unit: it manages it alone, and it goes when the unit goes.
    Unit,
}

impl SecretOwner {
    /// `application` or `unit`, as `--owner` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretOwner::App => "application",
            SecretOwner::Unit => "unit",
        }
    }
}

/// A rotation policy: Juju sends the owner `secret-rotate` this often.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rotate {
    /// `never` (Juju's default).
    Never,
    /// `hourly`
    Hourly,
    /// `daily`
    Daily,
    /// `weekly`
    Weekly,
    /// `monthly`
    Monthly,
    /// `quarterly`
    Quarterly,
    /// `yearly`
    Yearly,
}

impl Rotate {
    const ALL: [Rotate; 7] = [
        Rotate::Never,
        Rotate::Hourly,
        Rotate::Daily,
        Rotate::Weekly,
        Rotate::Monthly,
        Rotate::Quarterly,
        Rotate::Yearly,
    ];

    /// The policy's name, as `--rotate` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Rotate::Never => "never",
            Rotate::Hourly => "hourly",
            Rotate::Daily => "daily",
            Rotate::Weekly => "weekly",
            Rotate::Monthly => "monthly",
            Rotate::Quarterly => "quarterly",
            Rotate::Yearly => "yearly",
        }
    }

    /// Reads a policy name.
    pub fn parse(name: &str) -> Option<Rotate> {
        Rotate::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// When a secret's current revision expires (Juju then sends the owner `secret-expired`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expire {
    /// This long after the call.
    After(Duration),
    /// At this time.
    At(SystemTime),
}

impl Expire {
    /// What `--expire` takes: a Go duration (`3600s`, `1500ms`) or an RFC 3339 UTC time.
    pub fn to_arg(self) -> String {
        match self {
            Expire::After(d) if d.subsec_nanos() == 0 => format!("{}s", d.as_secs()),
            Expire::After(d) => format!("{}ms", d.as_millis().max(1)),
            Expire::At(t) => rfc3339(t),
        }
    }
}

/// A time as RFC 3339 UTC, to the second (`2026-01-04T06:29:46Z`), as ops's
/// `datetime_to_rfc3339` writes it for `--expire`.
fn rfc3339(t: SystemTime) -> String {
    let secs = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    };
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// What `secret-add` and `secret-set` take besides content: the label, description,
/// expiry and rotation policy. Unset fields are not sent (`secret-set` leaves them as
/// they are).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretMeta {
    /// The owner's name for the secret, unique among the owner's secrets.
    pub label: Option<String>,
    /// A description.
    pub description: Option<String>,
    /// When the revision expires.
    pub expire: Option<Expire>,
    /// The rotation policy.
    pub rotate: Option<Rotate>,
}

/// A secret's metadata, as its owner sees it (`secret-info-get`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretInfo {
    /// The secret's id as Juju prints it here: the bare id, without `secret:`.
    pub id: String,
    /// The label, if any.
    pub label: Option<String>,
    /// The latest revision.
    pub revision: u64,
    /// Who owns it, if Juju said.
    pub owner: Option<SecretOwner>,
    /// The description, if any.
    pub description: Option<String>,
    /// When the latest revision expires (RFC 3339), if it does.
    pub expires: Option<String>,
    /// The rotation policy, if any.
    pub rotation: Option<Rotate>,
    /// When it rotates next (RFC 3339), if it does.
    pub rotates: Option<String>,
}

/// A secret call that failed, naming the secret (its id or label) and, for bad content,
/// the key. Never a content value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretError {
    /// The secret does not exist, or this unit may not see it (an observer that was not
    /// granted it; metadata is for owners only).
    NotFound {
        /// The secret.
        secret: String,
    },
    /// This unit may not manage the secret: an application secret managed by a
    /// non-leader, or a secret this unit only observes.
    PermissionDenied {
        /// The secret.
        secret: String,
        /// Juju's message.
        stderr: String,
    },
    /// A handle with neither id nor label.
    NoId {
        /// The secret.
        secret: String,
    },
    /// An update with neither content nor metadata.
    NothingToSet {
        /// The secret.
        secret: String,
    },
    /// A content key that Juju would refuse.
    InvalidKey {
        /// The key.
        key: String,
    },
    /// Content without any key.
    EmptyContent,
    /// The content lacks a key that was required.
    MissingKey {
        /// The key asked for.
        key: String,
        /// The keys there are.
        keys: Vec<String>,
    },
    /// A `secret-*` tool failed otherwise (its message names the call; content is never
    /// in argv, and the output of `secret-get` is never quoted).
    Tool {
        /// The secret.
        secret: String,
        /// The failure.
        error: ToolError,
    },
}

impl SecretError {
    /// True when the secret does not exist or is not visible to this unit: the usual
    /// "create it first" case (`Err(e) if e.is_not_found()`).
    pub fn is_not_found(&self) -> bool {
        matches!(self, SecretError::NotFound { .. })
    }

    /// Maps a failed `secret-*` call about `secret`, as ops does (`not found` is
    /// [`SecretError::NotFound`]) plus Juju's permission messages.
    pub(crate) fn from_tool(secret: &Secret, e: ToolError) -> Self {
        let name = secret.to_string();
        match e {
            ToolError::SecretNotFound { .. } => SecretError::NotFound { secret: name },
            ToolError::PermissionDenied { stderr, .. } => SecretError::PermissionDenied {
                secret: name,
                stderr,
            },
            error => SecretError::Tool {
                secret: name,
                error,
            },
        }
    }
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretError::NotFound { secret } => write!(
                f,
                "secret {secret} not found (or not granted to this unit)"
            ),
            SecretError::PermissionDenied { secret, stderr } => write!(
                f,
                "this unit may not manage secret {secret} (application secrets are managed by the leader): {stderr}"
            ),
            SecretError::NoId { secret } => {
                write!(f, "secret {secret} has neither an id nor a label")
            }
            SecretError::NothingToSet { secret } => write!(
                f,
                "update of secret {secret} sets nothing: give content, a label, a description, an expiry or a rotation policy"
            ),
            SecretError::InvalidKey { key } => write!(
                f,
                "secret content key {key:?} is invalid: use at least 3 lowercase letters, digits and single hyphens, starting with a letter"
            ),
            SecretError::EmptyContent => f.write_str("secret content must have at least one key"),
            SecretError::MissingKey { key, keys } => write!(
                f,
                "secret content has no key {key:?} (it has: {})",
                keys.join(", ")
            ),
            SecretError::Tool { secret, error } => write!(f, "secret {secret}: {error}"),
        }
    }
}

impl std::error::Error for SecretError {}

/// The 64 characters of a generated password: URL-safe base64's (6 bits each).
const PASSWORD_CHARS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A random password of `length` characters (`A-Z a-z 0-9 - _`, 6 bits of entropy each),
/// for the content of a new secret: what Python charms take from `secrets.token_urlsafe`.
/// The bytes come from the kernel's random source, `/dev/urandom` (as `os.urandom`);
/// failing to read it is an error naming it.
///
/// ```
/// let password = charm_runtime::secret::generate_password(24).unwrap();
/// assert_eq!(password.len(), 24);
/// ```
pub fn generate_password(length: usize) -> std::io::Result<String> {
    let mut bytes = vec![0; length];
    File::open(RANDOM_SOURCE)
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| io::Error::new(e.kind(), format!("cannot read {RANDOM_SOURCE}: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(PASSWORD_CHARS[usize::from(b % 64)]))
        .collect())
}

/// Where [`generate_password`] reads random bytes.
const RANDOM_SOURCE: &str = "/dev/urandom";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_keys_follow_juju() {
        for ok in ["abc", "a-b-c", "pass-word", "a12", "key1-2"] {
            assert!(valid_key(ok), "{ok}");
        }
        for bad in [
            "", "ab", "Abc", "1ab", "a--b", "abc-", "-abc", "a_b", "a.b", "a/bc",
        ] {
            assert!(!valid_key(bad), "{bad}");
        }
        assert_eq!(
            SecretContent::new().validate(),
            Err(SecretError::EmptyContent)
        );
        assert_eq!(
            SecretContent::from([("ok-key", "v"), ("../x", "v")]).validate(),
            Err(SecretError::InvalidKey { key: "../x".into() })
        );
    }

    #[test]
    fn expire_args() {
        assert_eq!(Expire::After(Duration::from_secs(3600)).to_arg(), "3600s");
        assert_eq!(
            Expire::After(Duration::from_millis(1500)).to_arg(),
            "1500ms"
        );
        let t = UNIX_EPOCH + Duration::from_secs(1_767_508_186);
        assert_eq!(Expire::At(t).to_arg(), "2026-01-04T06:29:46Z");
        assert_eq!(Expire::At(UNIX_EPOCH).to_arg(), "1970-01-01T00:00:00Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(Expire::At(leap).to_arg(), "2000-02-29T00:00:00Z");
    }

    /// Every character from the alphabet, the length asked for, no two alike.
    #[test]
    fn generated_passwords() {
        let a = generate_password(64).unwrap();
        let b = generate_password(64).unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| PASSWORD_CHARS.contains(&c)), "{a}");
        assert_ne!(a, b, "384 random bits twice");
        assert_eq!(generate_password(0).unwrap(), "");
        // Over many draws every character turns up (the alphabet has no dead entries).
        let many = generate_password(20_000).unwrap();
        assert!(PASSWORD_CHARS.iter().all(|c| many.as_bytes().contains(c)));
    }

    #[test]
    fn nothing_prints_values() {
        let c = SecretContent::from([("password", "hunter2-value")]);
        let err = c.require("token").unwrap_err();
        for text in [
            format!("{c:?}"),
            c.to_string(),
            err.to_string(),
            format!("{err:?}"),
        ] {
            assert!(!text.contains("hunter2"), "{text}");
        }
        assert!(err.to_string().contains("\"token\""));
        assert!(err.to_string().contains("password"));
    }
}
