//! Code generation, one module per macro. Generated code names the runtime by absolute
//! paths (`::charm_runtime::...`) and calls small generic helpers in its `__private` module.

pub mod charm;
pub mod config;
pub mod databag;
pub mod json_value;
