//! The `database` endpoint (`postgresql_client`), requirer side, on the wire as
//! data_platform_libs' `DatabaseRequires` (`charms.data_platform_libs.v0.data_interfaces`,
//! LIBPATCH 29 to 31, the versions the tutorial vendors) speaks it:
//!
//! - on `-relation-created` the leader writes, in its application bag,
//!   `database` = `names_db` and `requested-secrets` = the JSON list of the fields it wants
//!   as secrets (`["username", "password", "tls", "tls-ca", "uris"]`, `json.dumps`'
//!   spacing);
//! - the provider answers in its application bag: `endpoints` (`host:port`, several joined
//!   by `,`: the first is used), and the credentials either as plain `username` and
//!   `password` or, since secrets were requested, in the secret whose URI is `secret-user`
//!   (content keys `username`, `password`, `uris`). A field found in the secret wins over
//!   the plain field, as the library's `fetch_relation_data` resolves them.
//!
//! The library reads the secret under the label `database.<relation id>.user.secret`, so
//! that `secret-changed` names it; this module does the same, and refreshes it when that
//! event comes. Not reproduced: the library's snapshot of the provider's bag in each unit's
//! bag (`data`), which it keeps only to compute its own events; this charm compares the
//! whole desired workload with the running one instead.
//!
//! Nothing here puts a password in an error or a log line: errors name relations, bags,
//! keys and secret ids; [`DatabaseInfo`]'s `Debug` hides the password.

use charm_runtime::prelude::*;
use charm_runtime::relation::Requires;
use charm_runtime::Endpoint;
use charm_runtime::{Secret, SecretError};
use std::collections::BTreeMap;
use std::fmt;

/// The fields asked for as secrets: the library's `RequirerData.SECRET_FIELDS`.
pub const REQUESTED_SECRETS: [&str; 5] = ["username", "password", "tls", "tls-ca", "uris"];

/// What the requirer's leader writes on `-relation-created`.
#[derive(Databag, Debug, Default, PartialEq)]
pub struct DatabaseRequest {
    /// The database to create.
    #[databag(raw)]
    pub database: Option<String>,
    /// The fields the provider should send as secrets, a JSON list.
    #[databag(rename = "requested-secrets")]
    pub requested_secrets: Option<Vec<String>>,
}

/// What the provider sends in its application bag: plain strings.
#[derive(Databag, Debug, Default, PartialEq)]
#[databag(raw)]
pub struct DatabaseData {
    /// `host:port`, comma-separated for several hosts.
    pub endpoints: Option<String>,
    /// User name, when not sent in a secret.
    pub username: Option<String>,
    /// Password, when not sent in a secret.
    pub password: Option<String>,
    /// The URI of the secret holding `username` and `password`.
    #[databag(rename = "secret-user")]
    pub secret_user: Option<String>,
}

/// How to reach the database, from the provider's data.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseInfo {
    /// Host of the first endpoint.
    pub host: String,
    /// Port of the first endpoint, as the provider wrote it (digits).
    pub port: String,
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

impl fmt::Debug for DatabaseInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseInfo")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl DatabaseInfo {
    /// The workload's environment: `DEMO_SERVER_DB_HOST`, `_PORT`, `_USER`, `_PASSWORD`.
    pub fn environment(&self) -> BTreeMap<String, String> {
        [
            ("DEMO_SERVER_DB_HOST", &self.host),
            ("DEMO_SERVER_DB_PORT", &self.port),
            ("DEMO_SERVER_DB_USER", &self.username),
            ("DEMO_SERVER_DB_PASSWORD", &self.password),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }
}

/// Where the database relation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// There is no `database` relation: a human must `juju integrate`.
    NotRelated,
    /// Related; the provider has not sent endpoints and credentials yet.
    Waiting,
    /// Everything needed to connect.
    Ready(DatabaseInfo),
    /// The provider sent something this charm cannot use; the text names the relation,
    /// bag and key (never a secret value).
    Unusable(String),
}

/// The requirer of one endpoint, asking for one database (the library's
/// `DatabaseRequires(charm, relation_name, database_name)`).
#[derive(Debug, Clone, Copy)]
pub struct DatabaseRequires {
    /// The endpoint.
    pub endpoint: Endpoint<Requires>,
    /// The database to ask for.
    pub database_name: &'static str,
}

impl DatabaseRequires {
    /// The requirer of `endpoint`, asking for `database_name`.
    pub const fn new(endpoint: Endpoint<Requires>, database_name: &'static str) -> Self {
        DatabaseRequires {
            endpoint,
            database_name,
        }
    }

    /// Leader only, on `-relation-created`: asks for the database and for the
    /// credentials as secrets.
    pub fn request(&self, model: &mut Model) -> Result<()> {
        let Some(rel) = model.event_relation(self.endpoint)? else {
            return Ok(());
        };
        let Some(leader) = model.leader()? else {
            return Ok(());
        };
        let request = DatabaseRequest {
            database: Some(self.database_name.to_string()),
            requested_secrets: Some(REQUESTED_SECRETS.map(String::from).to_vec()),
        };
        model.save(&rel, Own::App(leader), &request)?;
        Ok(())
    }

    /// On `secret-changed` for the credentials secret: track its new revision, so this
    /// dispatch reads the new password. Other secrets are not this requirer's.
    pub fn refresh_if_ours(&self, model: &mut Model) -> Result<()> {
        let Some(secret) = model.event_secret() else {
            return Ok(());
        };
        let Some(rel) = model.relation(self.endpoint)? else {
            return Ok(());
        };
        if secret.label.as_deref() != Some(user_secret_label(&rel).as_str()) {
            return Ok(());
        }
        match model.refresh_secret(secret) {
            Ok(_) => Ok(()),
            // Revoked with the relation on its way out: the status will say so.
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Reads the provider's data (cached for the dispatch). Hook-tool failures are
    /// errors; data that cannot be used is [`Database::Unusable`].
    pub fn database(&self, model: &mut Model) -> Result<Database> {
        let Some(rel) = model.relation(self.endpoint)? else {
            return Ok(Database::NotRelated);
        };
        let data: DatabaseData = model.load(&rel, Bag::RemoteApp)?;
        let unusable = |key: &str, problem: String| {
            Database::Unusable(format!(
                "relation {rel}, remote application bag, key `{key}`: {problem}"
            ))
        };
        let (mut username, mut password) = (data.username, data.password);
        if let Some(uri) = &data.secret_user {
            let handle = Secret::from_id(uri.as_str()).with_label(user_secret_label(&rel));
            match model.secret_content(handle) {
                Ok(content) => {
                    if let Some(u) = content.get("username") {
                        username = Some(u.to_string());
                    }
                    if let Some(p) = content.get("password") {
                        password = Some(p.to_string());
                    }
                }
                Err(e @ SecretError::NotFound { .. }) => {
                    return Ok(unusable("secret-user", e.to_string()))
                }
                Err(e) => return Err(e.into()),
            }
        }
        let (Some(endpoints), Some(username), Some(password)) =
            (data.endpoints, username, password)
        else {
            return Ok(Database::Waiting);
        };
        match first_endpoint(&endpoints) {
            Some((host, port)) => Ok(Database::Ready(DatabaseInfo {
                host: host.to_string(),
                port: port.to_string(),
                username,
                password,
            })),
            None => Ok(unusable(
                "endpoints",
                format!("{endpoints:?} is not `host:port`"),
            )),
        }
    }
}

/// The label under which the library (and this charm) reads the `secret-user` secret:
/// `<endpoint>.<relation id>.user.secret`.
pub fn user_secret_label(rel: &Relation<Requires>) -> String {
    format!("{}.{}.user.secret", rel.endpoint, rel.id)
}

/// The first of `host:port[,host:port...]`, if it is one: a host, and a port of 1 to
/// 65535 written in digits.
pub fn first_endpoint(endpoints: &str) -> Option<(&str, &str)> {
    let first = endpoints.split(',').next()?.trim();
    let (host, port) = first.rsplit_once(':')?;
    let port_ok = !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u16>().is_ok_and(|p| p != 0);
    (!host.is_empty() && port_ok).then_some((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        assert_eq!(first_endpoint("db:5432"), Some(("db", "5432")));
        assert_eq!(
            first_endpoint("10.0.0.1:5432,10.0.0.2:5433"),
            Some(("10.0.0.1", "5432"))
        );
        assert_eq!(first_endpoint(" db:1 , x"), Some(("db", "1")));
        assert_eq!(first_endpoint("[::1]:5432"), Some(("[::1]", "5432")));
        for bad in [
            "", "db", "db:", ":5432", "db:port", "db:0", "db:65536", "db:+5", ",db:5432",
        ] {
            assert_eq!(first_endpoint(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let info = DatabaseInfo {
            host: "h".into(),
            port: "1".into(),
            username: "u".into(),
            password: "s3cret-value".into(),
        };
        let text = format!("{info:?} {:?}", Database::Ready(info.clone()));
        assert!(!text.contains("s3cret"), "{text}");
        assert_eq!(
            info.environment()["DEMO_SERVER_DB_PASSWORD"],
            "s3cret-value"
        );
    }
}
