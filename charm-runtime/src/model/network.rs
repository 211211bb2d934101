//! Networks: `network-get` for a binding, typed.

use super::Model;
use crate::hooktools::{cmd, ToolError};
use crate::network::{Network, NetworkError};
use crate::relation::{Relation, RelationRole};

impl Model<'_> {
    /// The network of a binding: an endpoint (`Self::DATABASE.name`), an extra binding or
    /// `juju-info` (`network-get`, once per binding per dispatch): the address to bind
    /// to, the ingress addresses to publish, the egress subnets, the interfaces.
    ///
    /// ```no_run
    /// # use charm_runtime::prelude::*;
    /// # fn f(model: &mut Model) -> Result<()> {
    /// let net = model.binding("website")?;
    /// let url = format!("http://{}:8080", net.ingress_address().expect("an address"));
    /// # Ok(()) }
    /// ```
    pub fn binding(&mut self, name: &str) -> Result<Network, NetworkError> {
        self.network(name, None)
    }

    /// The network of a relation's endpoint as seen for that relation (`network-get -r`;
    /// cross-model relations can have their own). If Juju no longer knows the relation,
    /// the endpoint's own network, as ops does.
    pub fn relation_binding<R: RelationRole>(
        &mut self,
        relation: &Relation<R>,
    ) -> Result<Network, NetworkError> {
        match self.network(relation.endpoint, Some(relation.id)) {
            Err(NetworkError::Tool(ToolError::RelationNotFound { .. })) => {
                self.network(relation.endpoint, None)
            }
            other => other,
        }
    }

    fn network(&mut self, name: &str, relation: Option<u64>) -> Result<Network, NetworkError> {
        let key = (name.to_string(), relation);
        if let Some(n) = self.juju.networks.get(&key) {
            return Ok(n.clone());
        }
        let net = cmd::network_get(self.tools, name, relation).map_err(|e| match e {
            ToolError::BadOutput { problem, .. } => NetworkError::BadOutput {
                binding: name.to_string(),
                problem,
            },
            e => NetworkError::from_tool(name, e),
        })?;
        self.juju.networks.insert(key, net.clone());
        Ok(net)
    }
}
