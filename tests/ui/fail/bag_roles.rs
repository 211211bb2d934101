//! Endpoints typed by role: a peer relation has no remote application (its application bag
//! is `Bag::App`), and only the leader reads its own application bag of a provides or
//! requires relation.
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[peer("replicas", interface = "demo_peers")]
#[requires("database", interface = "postgresql_client")]
#[provides("website", interface = "http")]
impl Demo {
    #[on(start)]
    fn start(&self, model: &mut Model) -> Result<()> {
        if let Some(peers) = model.relation(Self::REPLICAS)? {
            model.bag(&peers, Bag::RemoteApp)?;
        }
        if let Some(db) = model.relation(Self::DATABASE)? {
            model.get(&db, Bag::App, "database")?;
        }
        for web in model.relations(Self::WEBSITE)? {
            model.bag(&web, Bag::App)?;
        }
        Ok(())
    }
}

fn main() {}
