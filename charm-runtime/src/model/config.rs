//! `model.config()`: the charm's own config type, read from the model's cached `config-get`.

use super::Model;
use crate::config::{CharmConfig, DeclaredConfig};
use crate::dispatch::Charm;
use crate::error::Result;
use crate::hooktools::ToolError;
use serde_json::{Map, Value};

/// Where [`ModelConfig`] reads the values: the model's cached `config-get`.
pub trait ConfigSource {
    /// What `config-get --format=json` printed (once per dispatch).
    fn config_values(&mut self) -> Result<&Map<String, Value>, ToolError>;
}

impl ConfigSource for Model<'_> {
    fn config_values(&mut self) -> Result<&Map<String, Value>, ToolError> {
        Model::config_values(self)
    }
}

/// `model.config()`: the charm's own config type, with no annotation. `#[charm]` implements
/// it for its charm `C` (one impl per charm crate, which is how `model.config()` knows
/// which type to return); the prelude brings it into scope. A crate with several charms
/// names the one it means: `ModelConfig::<MyCharm>::config(model)`.
pub trait ModelConfig<C: Charm>: ConfigSource {
    /// The charm's config, loaded from `config-get` (once per dispatch). An option whose
    /// value does not fit its field is an error naming the option.
    fn config(&mut self) -> Result<C::Config>
    where
        C::Config: DeclaredConfig,
    {
        Ok(C::Config::from_config(self.config_values()?)?)
    }
}
