//! Sibling attributes go after `#[charm(...)]`: one written before it is reported (and
//! still applied, so there is no cascade of errors).
use charm_runtime::prelude::*;

#[derive(Default)]
struct Demo;

#[peer("replicas", interface = "demo_peers")]
#[charm(name = "demo", summary = "Demo", description = "Demo.")]
impl Demo {
    #[on(relation_changed("replicas"))]
    fn changed(&self, _model: &mut Model) {}
}

#[action("backup")]
struct NotACharm;

fn main() {
    let _ = Demo::REPLICAS;
}
