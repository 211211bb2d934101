//! The smallest charm: defaults for base, platforms and build; no config; no handlers; the
//! runtime reached through `crate = ...`; sibling attributes with their full path, or
//! unimported (`#[charm]` reads and strips them before rustc resolves them).

mod renamed {
    pub use charm_runtime as rt;
}

#[derive(Default)]
struct Tiny;

#[charm_runtime::charm(name = "tiny", summary = "A tiny charm", description = "Tiny.", crate = renamed::rt)]
#[charm_runtime::peer("replicas", interface = "tiny_peers")]
#[requires("db", interface = "pgsql")]
impl Tiny {}

fn main() {
    use charm_runtime::Charm;
    let meta = Tiny::metadata();
    assert_eq!(meta.name, "tiny");
    assert_eq!(meta.title, None);
    assert_eq!(meta.base, "ubuntu@22.04");
    assert_eq!(meta.platforms, ["amd64"]);
    assert_eq!(meta.build.crate_dir, ".");
    assert_eq!(meta.build.binary, env!("CARGO_PKG_NAME"));
    assert!(meta.config.is_empty() && meta.actions.is_empty() && meta.containers.is_empty());
    assert_eq!(meta.peers[0].name, "replicas");
    assert!(Tiny::HANDLERS.is_empty());
    assert_eq!(Tiny::ENDPOINTS, [Tiny::REPLICAS.declared(), Tiny::DB.declared()]);
    assert_eq!(meta.requires[0].interface, "pgsql");
}
