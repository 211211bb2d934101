//! Leadership as a type: writing an application bag takes the `Leader` proof that only
//! `model.leader()?` gives, so the seed's bug (every non-leader writing the peer application
//! bag) does not compile; nor does a write to a remote bag, on any relation.
use charm_runtime::prelude::*;

#[derive(Databag, Default)]
struct Counter {
    count: Option<u64>,
}

#[derive(Default)]
struct Demo;

#[charm(name = "demo", summary = "Demo", description = "Demo.")]
#[peer("replicas", interface = "demo_peers")]
#[requires("database", interface = "postgresql_client")]
impl Demo {
    #[on(start)]
    fn count_start(&self, model: &mut Model) -> Result<()> {
        let peers = model.relation(Self::REPLICAS)?.expect("Juju creates peers");
        let mut data: Counter = model.load(&peers, Bag::App)?;
        *data.count.get_or_insert(0) += 1;
        model.save(&peers, Bag::App, &data)?;
        Ok(())
    }

    #[on(relation_created("database"))]
    fn request(&self, model: &mut Model) -> Result<()> {
        let Some(db) = model.event_relation(Self::DATABASE)? else {
            return Ok(());
        };
        model.set(&db, Bag::App, "database", "names_db")?;
        model.set(&db, Bag::RemoteApp, "database", "names_db")?;
        for unit in model.units(&db)? {
            model.set(&db, Bag::RemoteUnit(unit), "seen", "yes")?;
        }
        Ok(())
    }
}

fn main() {}
