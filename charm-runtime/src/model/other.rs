//! Resources, the cloud credential, goal state and reboots.

use super::Model;
use crate::cloud::{CloudSpec, CredentialError};
use crate::error::{Error, RebootNow};
use crate::event::Event;
use crate::goal::GoalState;
use crate::hooktools::{cmd, ToolError};
use crate::relation::{Relation, RelationError, RelationRole};
use crate::resource::ResourceError;
use std::convert::Infallible;
use std::path::PathBuf;

impl Model<'_> {
    /// The local path of a resource's file (`resource-get`, once per resource per
    /// dispatch). A resource Juju cannot give (not declared, not attached, not
    /// downloadable) is [`ResourceError::NotAvailable`], naming it.
    pub fn resource(&mut self, name: &str) -> Result<PathBuf, ResourceError> {
        if let Some(p) = self.juju.resources.get(name) {
            return Ok(p.clone());
        }
        let path = cmd::resource_get(self.tools, name).map_err(|e| match e.stderr() {
            Some(stderr) => ResourceError::NotAvailable {
                resource: name.to_string(),
                stderr: stderr.to_string(),
            },
            None => ResourceError::Tool(e),
        })?;
        self.juju.resources.insert(name.to_string(), path.clone());
        Ok(path)
    }

    /// The model's cloud and its credential (`credential-get`, once per dispatch). Only a
    /// trusted application may read it (`juju trust <app>`); otherwise
    /// [`CredentialError::NotTrusted`].
    pub fn cloud_spec(&mut self) -> Result<CloudSpec, CredentialError> {
        if let Some(spec) = &self.juju.cloud {
            return Ok(spec.clone());
        }
        let spec = cmd::credential_get(self.tools).map_err(|e| match e {
            ToolError::PermissionDenied { stderr, .. } => CredentialError::NotTrusted {
                app: self.env.app_name.clone(),
                stderr,
            },
            e => CredentialError::Tool(e),
        })?;
        self.juju.cloud = Some(spec.clone());
        Ok(spec)
    }

    /// The UUID of the model a relation's remote application is in
    /// (`relation-model-get`, Juju ≥ 3.6.2): another model's for a cross-model relation,
    /// this one's otherwise (ops's `Relation.remote_model.uuid`).
    pub fn remote_model_uuid<R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
    ) -> Result<String, RelationError> {
        Ok(cmd::relation_model_get(
            self.tools,
            relation.endpoint,
            relation.id,
        )?)
    }

    /// The goal state (`goal-state`): the units the application should have and what
    /// each endpoint should be related to.
    pub fn goal_state(&mut self) -> Result<GoalState, ToolError> {
        cmd::goal_state(self.tools)
    }

    /// How many units the application should have, counting this one and leaving out
    /// those going away (ops's `planned_units`, from `goal-state`).
    pub fn planned_units(&mut self) -> Result<usize, ToolError> {
        Ok(self.goal_state()?.planned_units())
    }

    /// Asks Juju to reboot the machine once this hook has ended (`juju-reboot`). Machine
    /// charms only: on Kubernetes Juju logs an error and does nothing. Not allowed in
    /// actions (refused before any call).
    pub fn reboot(&mut self) -> Result<(), Error> {
        self.check_reboot()?;
        Ok(cmd::juju_reboot(self.tools, false)?)
    }

    /// Reboots the machine now (`juju-reboot --now`): Juju kills this process and runs the
    /// hook again after the reboot, so this never returns `Ok`. It returns
    /// `Err(RebootNow)`, which the handler passes on with `?`: the runtime then stops the
    /// dispatch, applies nothing staged (the re-run hook stages it again) and exits 0, as
    /// ops exits after the call. On Kubernetes Juju does not reboot, and the hook is not
    /// run again. Not allowed in actions.
    pub fn reboot_now(&mut self) -> Result<Infallible, Error> {
        self.check_reboot()?;
        cmd::juju_reboot(self.tools, true)?;
        Err(RebootNow.into())
    }

    fn check_reboot(&self) -> Result<(), Error> {
        if let Event::Action(a) = self.event() {
            return Err(Error::msg(format!(
                "juju-reboot is not allowed in actions (action `{}`)",
                a.name
            )));
        }
        Ok(())
    }
}
