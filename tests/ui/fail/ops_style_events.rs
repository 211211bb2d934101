//! Event names as ops spells them (`self.on.database_relation_changed`) get the form to
//! write instead, with the endpoint, container, storage or action as its argument.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[requires("database", interface = "postgresql_client")]
#[container("demo-server")]
impl Demo {
    #[on(database_relation_changed)]
    fn db(&self, _model: &mut Model) {}

    #[on(demo_server_pebble_ready)]
    fn ready(&self, _model: &mut Model) {}

    #[on(get_db_info_action, data_storage_attached)]
    fn other(&self, _model: &mut Model) {}
}

fn main() {}
