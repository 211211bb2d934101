//! Secrets, as ops's `Secret` and `Application/Unit.add_secret` offer them: add, read
//! (tracked, refreshed, peeked; cached per dispatch), metadata, new revisions, grants,
//! removal. Every call is made at once (Juju applies secret changes when the hook
//! succeeds); every error names the secret, never its content.

use super::Model;
use crate::hooktools::cmd::{self, SecretRead};
use crate::hooktools::{HookTools, ToolError};
use crate::relation::{Relation, RelationRole};
use crate::secret::{
    Expire, Rotate, Secret, SecretContent, SecretError, SecretInfo, SecretMeta, SecretOwner,
};

/// A secret being added: its content, owner and metadata, sent by [`NewSecret::add`].
/// Made by [`Model::add_secret`].
#[must_use = "call `.add()` to create the secret"]
pub struct NewSecret<'m, 'a> {
    model: &'m mut Model<'a>,
    content: SecretContent,
    owner: SecretOwner,
    meta: SecretMeta,
}

/// `cmd::secret_grant` or `cmd::secret_revoke`: the same arguments.
type AccessTool = fn(&mut dyn HookTools, &str, u64, Option<&str>) -> Result<(), ToolError>;

impl NewSecret<'_, '_> {
    /// Owned by this unit instead of the application.
    pub fn unit_owned(mut self) -> Self {
        self.owner = SecretOwner::Unit;
        self
    }

    /// The owner's name for it (unique among the owner's secrets), to find it again with
    /// [`Secret::from_label`].
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.meta.label = Some(label.into());
        self
    }

    /// A description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.meta.description = Some(description.into());
        self
    }

    /// When the first revision expires.
    pub fn expire(mut self, expire: Expire) -> Self {
        self.meta.expire = Some(expire);
        self
    }

    /// The rotation policy.
    pub fn rotate(mut self, rotate: Rotate) -> Self {
        self.meta.rotate = Some(rotate);
        self
    }

    /// Creates the secret (`secret-add`, at once) and returns its handle (id, and label if
    /// given); its content is cached, so reading it back costs no call. An application
    /// secret needs the leader.
    pub fn add(self) -> Result<Secret, SecretError> {
        let named = Secret {
            id: None,
            label: self.meta.label.clone(),
        };
        self.content.validate()?;
        let id = cmd::secret_add(self.model.tools, &self.content, self.owner, &self.meta)
            .map_err(|e| SecretError::from_tool(&named, e))?;
        let secret = Secret {
            id: Some(self.model.canonical_id(&id)),
            label: self.meta.label,
        };
        if let (Some(id), Some(label)) = (&secret.id, &secret.label) {
            self.model.juju.secret_ids.insert(label.clone(), id.clone());
        }
        self.model.juju.secrets.insert(secret.clone(), self.content);
        Ok(secret)
    }
}

/// New content and/or metadata for a secret this unit manages, sent by
/// [`SecretUpdate::set`]. Made by [`Model::update_secret`].
#[must_use = "call `.set()` to update the secret"]
pub struct SecretUpdate<'m, 'a> {
    model: &'m mut Model<'a>,
    secret: Secret,
    content: Option<SecretContent>,
    meta: SecretMeta,
}

impl SecretUpdate<'_, '_> {
    /// New content: a new revision, if it differs from the latest (Juju ≥ 3.6).
    pub fn content(mut self, content: impl Into<SecretContent>) -> Self {
        self.content = Some(content.into());
        self
    }

    /// A new label.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.meta.label = Some(label.into());
        self
    }

    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.meta.description = Some(description.into());
        self
    }

    /// A new expiry.
    pub fn expire(mut self, expire: Expire) -> Self {
        self.meta.expire = Some(expire);
        self
    }

    /// A new rotation policy.
    pub fn rotate(mut self, rotate: Rotate) -> Self {
        self.meta.rotate = Some(rotate);
        self
    }

    /// Sends the update (`secret-set`, at once); nothing to update is an error. A secret
    /// known by label only is looked up first (`secret-info-get --label`, once per
    /// dispatch). As in ops, the cached content stays what this unit tracks: read the new
    /// revision with [`Model::refresh_secret`].
    pub fn set(self) -> Result<(), SecretError> {
        if self.content.is_none() && self.meta == SecretMeta::default() {
            return Err(SecretError::NothingToSet {
                secret: self.secret.to_string(),
            });
        }
        if let Some(c) = &self.content {
            c.validate()?;
        }
        let id = self.model.secret_id(&self.secret)?;
        cmd::secret_set(self.model.tools, &id, self.content.as_ref(), &self.meta)
            .map_err(|e| SecretError::from_tool(&self.secret, e))
    }
}

impl<'a> Model<'a> {
    /// Starts a new secret holding `content`, owned by the application unless
    /// [`unit_owned`](NewSecret::unit_owned); [`add`](NewSecret::add) creates it.
    ///
    /// ```no_run
    /// # use charm_runtime::prelude::*;
    /// # fn f(model: &mut Model, password: String) -> Result<()> {
    /// let secret = model
    ///     .add_secret([("password", password)])
    ///     .label("admin-password")
    ///     .add()?;
    /// # Ok(()) }
    /// ```
    pub fn add_secret(&mut self, content: impl Into<SecretContent>) -> NewSecret<'_, 'a> {
        NewSecret {
            model: self,
            content: content.into(),
            owner: SecretOwner::App,
            meta: SecretMeta::default(),
        }
    }

    /// Starts an update of a secret this unit manages; [`set`](SecretUpdate::set) sends it.
    pub fn update_secret(&mut self, secret: impl Into<Secret>) -> SecretUpdate<'_, 'a> {
        SecretUpdate {
            model: self,
            secret: secret.into(),
            content: None,
            meta: SecretMeta::default(),
        }
    }

    /// Sets new content (a new revision): `update_secret(secret).content(content).set()`.
    pub fn set_secret_content(
        &mut self,
        secret: impl Into<Secret>,
        content: impl Into<SecretContent>,
    ) -> Result<(), SecretError> {
        self.update_secret(secret).content(content).set()
    }

    /// The content of the revision this unit tracks (`secret-get`). Read once per
    /// dispatch per handle: asking again with the same handle costs no call until
    /// [`refresh_secret`](Model::refresh_secret) or an update.
    ///
    /// The handle may be a [`Secret`] (by id, label or both: an id with a label sets this
    /// observer's label), a secret-typed config option (`&config.api_token`), or the
    /// event of a `secret-*` hook.
    pub fn secret_content(
        &mut self,
        secret: impl Into<Secret>,
    ) -> Result<SecretContent, SecretError> {
        let secret = self.canonical(secret.into());
        if let Some(c) = self.juju.secrets.get(&secret) {
            return Ok(c.clone());
        }
        self.read_secret(secret, SecretRead::Tracked)
    }

    /// Tracks the latest revision and returns its content (`secret-get --refresh`); the
    /// cache holds it from then on.
    pub fn refresh_secret(
        &mut self,
        secret: impl Into<Secret>,
    ) -> Result<SecretContent, SecretError> {
        let secret = self.canonical(secret.into());
        self.read_secret(secret, SecretRead::Refresh)
    }

    /// The latest revision's content, without tracking it (`secret-get --peek`, every
    /// time; the cached tracked content stays).
    pub fn peek_secret(&mut self, secret: impl Into<Secret>) -> Result<SecretContent, SecretError> {
        let secret = self.canonical(secret.into());
        cmd::secret_get(self.tools, &secret, SecretRead::Peek)
            .map_err(|e| SecretError::from_tool(&secret, e))
    }

    fn read_secret(
        &mut self,
        secret: Secret,
        mode: SecretRead,
    ) -> Result<SecretContent, SecretError> {
        let content = cmd::secret_get(self.tools, &secret, mode)
            .map_err(|e| SecretError::from_tool(&secret, e))?;
        self.juju.secrets.insert(secret, content.clone());
        Ok(content)
    }

    /// Forgets cached content of every handle naming this id or label.
    fn forget_secret(&mut self, id: &str, label: Option<&str>) {
        self.juju.secrets.retain(|s, _| {
            s.id.as_deref() != Some(id) && (label.is_none() || s.label.as_deref() != label)
        });
    }

    /// The canonical form of a secret id, as ops writes it: ids with the `secret:` prefix
    /// as they are, bare ids as `secret://<model-uuid>/<id>`.
    fn canonical_id(&self, id: &str) -> String {
        let id = id.trim();
        if id.starts_with("secret:") {
            id.to_string()
        } else {
            format!("secret://{}/{id}", self.env.model_uuid)
        }
    }

    fn canonical(&self, mut secret: Secret) -> Secret {
        secret.id = secret.id.map(|id| self.canonical_id(&id));
        secret
    }

    /// The id the managing calls need: the handle's, or (label only) the one
    /// `secret-info-get --label` gives, asked once per label per dispatch, as ops's
    /// `_ensure_id`.
    fn secret_id(&mut self, secret: &Secret) -> Result<String, SecretError> {
        if let Some(id) = &secret.id {
            return Ok(self.canonical_id(id));
        }
        let Some(label) = &secret.label else {
            return Err(SecretError::NoId {
                secret: secret.to_string(),
            });
        };
        if let Some(id) = self.juju.secret_ids.get(label) {
            return Ok(id.clone());
        }
        let id = self.secret_info(secret)?.id;
        self.juju.secret_ids.insert(label.clone(), id.clone());
        Ok(id)
    }

    /// A secret's metadata (`secret-info-get`; owners only: for anyone else Juju says
    /// the secret is not found). Its id is in canonical form (`secret://<model-uuid>/<id>`,
    /// as ops gives it).
    pub fn secret_info(&mut self, secret: impl Into<Secret>) -> Result<SecretInfo, SecretError> {
        let secret = self.canonical(secret.into());
        let mut info = cmd::secret_info_get(self.tools, &secret)
            .map_err(|e| SecretError::from_tool(&secret, e))?;
        info.id = self.canonical_id(&info.id);
        Ok(info)
    }

    /// Lets the remote application of `relation` read the secret (`secret-grant`).
    pub fn grant_secret<R: RelationRole>(
        &mut self,
        secret: impl Into<Secret>,
        relation: &Relation<R>,
    ) -> Result<(), SecretError> {
        self.access(cmd::secret_grant, secret.into(), relation, None)
    }

    /// Lets one remote unit of `relation` read the secret (`secret-grant --unit`).
    pub fn grant_secret_to_unit<R: RelationRole>(
        &mut self,
        secret: impl Into<Secret>,
        relation: &Relation<R>,
        unit: &str,
    ) -> Result<(), SecretError> {
        self.access(cmd::secret_grant, secret.into(), relation, Some(unit))
    }

    /// `secret-grant` or `secret-revoke` (`tool`) of `secret` on `relation`.
    fn access<R: RelationRole>(
        &mut self,
        tool: AccessTool,
        secret: Secret,
        relation: &Relation<R>,
        unit: Option<&str>,
    ) -> Result<(), SecretError> {
        let id = self.secret_id(&secret)?;
        tool(self.tools, &id, relation.id, unit).map_err(|e| SecretError::from_tool(&secret, e))
    }

    /// Takes back what [`grant_secret`](Model::grant_secret) gave (`secret-revoke`).
    pub fn revoke_secret<R: RelationRole>(
        &mut self,
        secret: impl Into<Secret>,
        relation: &Relation<R>,
    ) -> Result<(), SecretError> {
        self.access(cmd::secret_revoke, secret.into(), relation, None)
    }

    /// Takes back one unit's access (`secret-revoke --unit`).
    pub fn revoke_secret_from_unit<R: RelationRole>(
        &mut self,
        secret: impl Into<Secret>,
        relation: &Relation<R>,
        unit: &str,
    ) -> Result<(), SecretError> {
        self.access(cmd::secret_revoke, secret.into(), relation, Some(unit))
    }

    /// Removes the secret, every revision (`secret-remove`); its cached content is
    /// forgotten.
    pub fn remove_secret(&mut self, secret: impl Into<Secret>) -> Result<(), SecretError> {
        self.remove(secret.into(), None)
    }

    /// Removes one revision (`secret-remove --revision`), typically the one a
    /// `secret-remove` event names once no observer tracks it.
    pub fn remove_secret_revision(
        &mut self,
        secret: impl Into<Secret>,
        revision: u64,
    ) -> Result<(), SecretError> {
        self.remove(secret.into(), Some(revision))
    }

    fn remove(&mut self, secret: Secret, revision: Option<u64>) -> Result<(), SecretError> {
        let id = self.secret_id(&secret)?;
        cmd::secret_remove(self.tools, &id, revision)
            .map_err(|e| SecretError::from_tool(&secret, e))?;
        if revision.is_none() {
            self.forget_secret(&id, secret.label.as_deref());
        }
        Ok(())
    }

    /// The ids of the secrets this unit manages (`secret-ids`).
    pub fn secret_ids(&mut self) -> Result<Vec<String>, SecretError> {
        cmd::secret_ids(self.tools).map_err(|e| SecretError::Tool {
            secret: "(all)".into(),
            error: e,
        })
    }

    /// The secret a `secret-changed`, `-rotate`, `-remove` or `-expired` event is about
    /// (its id, and its label if it has one); the revision is the event's
    /// (`model.event().secret()`).
    pub fn event_secret(&self) -> Option<Secret> {
        self.event().secret().map(Secret::from)
    }
}
