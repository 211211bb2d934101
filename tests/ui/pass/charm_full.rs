//! A charm using every declaration and every event kind.

use charm_runtime::metadata::{ParamType, ResourceKind, Role, Scope, StorageKind};
use charm_runtime::prelude::*;
use charm_runtime::On;

#[derive(CharmConfig)]
struct DemoConfig {
    /// Port the server listens on.
    #[config(default = 8000)]
    server_port: u16,
}

/// The parameters of `get-db-info`.
#[derive(ActionParams)]
struct GetDbInfo {
    /// Show username and password
    #[param(default = false)]
    show_password: bool,
}

/// The parameters of `restore`.
#[derive(ActionParams)]
#[allow(dead_code)]
struct Restore {
    backup_id: String,
    limit: Option<i64>,
    #[param(default = 0.5)]
    ratio: f64,
    #[param(default = 3)]
    retries: u32,
    /// Hosts to restore to.
    hosts: Vec<String>,
}

#[derive(Default)]
struct Demo {
    calls: u32,
}

#[charm(
    name = "demo-api-charm",
    title = "Demo API",
    summary = "FastAPI Demo charm for Kubernetes",
    description = "A demo charm.\nIt has everything.",
    assumes("juju >= 3.1", "k8s-api"),
    base = "ubuntu@24.04",
    platforms("amd64", "arm64"),
    links(documentation = "https://example.com/docs", source = "https://example.com/src"),
    config = DemoConfig,
    crate_dir = "charms/demo",
    binary = "demo-dispatch",
)]
#[peer("fastapi-peer", interface = "fastapi_demo_peers")]
#[requires(
    "database",
    interface = "postgresql_client",
    limit = 1,
    optional = false
)]
#[provides(
    "metrics-endpoint",
    interface = "prometheus_scrape",
    scope = "container",
    optional = true
)]
#[container(
    "demo-server",
    upstream_source = "ghcr.io/canonical/api_demo_server:1.0.1",
    description = "OCI image from GitHub Container Repository",
    mounts(storage = "data", location = "/srv/data"),
    mounts(storage = "scratch")
)]
#[container("sidecar", resource = "sidecar-oci")]
#[resource(
    "blob",
    kind = "file",
    filename = "blob.tar.gz",
    description = "A file"
)]
#[storage(
    "data",
    kind = "filesystem",
    location = "/data",
    description = "Server data"
)]
#[storage("scratch", kind = "block")]
#[action(
    "get-db-info",
    description = "Fetches database authentication information",
    params = GetDbInfo,
)]
#[action("restore", additional_properties = true, params = Restore)]
#[action("ping")]
/// Docs on the impl block stay where they are.
impl Demo {
    #[on(
        install,
        start,
        stop,
        remove,
        config_changed,
        update_status,
        upgrade_charm
    )]
    fn lifecycle(&mut self, model: &mut Model) -> Result<()> {
        let config = model.config()?;
        self.calls += u32::from(config.server_port);
        Ok(())
    }

    #[on(leader_elected, leader_settings_changed)]
    fn leader(&self, _model: &mut Model) {}

    #[on(
        relation_created("database"),
        relation_joined("database"),
        relation_changed("fastapi-peer"),
        relation_departed("metrics-endpoint"),
        relation_broken("database")
    )]
    fn relations(&self, _model: &mut Model) -> std::result::Result<(), std::io::Error> {
        Ok(())
    }

    #[on(storage_attached("data"), storage_detaching("scratch"))]
    fn storage(&mut self, _model: &mut Model) -> Result<()> {
        Ok(())
    }

    #[on(
        pebble_ready("demo-server"),
        pebble_custom_notice("demo-server"),
        pebble_check_failed("sidecar"),
        pebble_check_recovered("sidecar")
    )]
    fn workload(&mut self, _model: &mut Model) -> Result<()> {
        Ok(())
    }

    #[on(secret_changed, secret_rotate, secret_remove, secret_expired)]
    fn secrets(&mut self, _model: &mut Model) -> Result<()> {
        Ok(())
    }

    #[on(action("get-db-info"))]
    fn get_db_info(&mut self, _model: &mut Model, params: GetDbInfo) -> Result<()> {
        self.calls += u32::from(params.show_password);
        Ok(())
    }

    #[on(action("restore"))]
    fn restore(&mut self, _model: &mut Model, params: Restore) -> Result<()> {
        self.calls += params.retries;
        Ok(())
    }

    #[on(action("ping"))]
    fn ping(&mut self, _model: &mut Model) {}

    #[on(collect_status)]
    fn status(&self, model: &mut Model) {
        model.add_status(active(""));
    }

    /// A helper without `#[on]` is left alone.
    fn helper(&self) -> u32 {
        self.calls
    }
}

fn main() {
    use charm_runtime::__private::{
        RelationEventKind, SecretEventKind, StorageEventKind, WorkloadHook,
    };

    // Endpoint consts, in declaration order.
    assert_eq!(
        Demo::FASTAPI_PEER,
        charm_runtime::Endpoint::peer("fastapi-peer")
    );
    assert_eq!(
        Demo::DATABASE,
        charm_runtime::Endpoint::requires("database")
    );
    assert_eq!(Demo::METRICS_ENDPOINT.role(), Role::Provides);
    assert_eq!(
        Demo::ENDPOINTS,
        &[
            Demo::FASTAPI_PEER.declared(),
            Demo::DATABASE.declared(),
            Demo::METRICS_ENDPOINT.declared()
        ]
    );

    // Handlers, in declaration order, with their events.
    let names: Vec<&str> = Demo::HANDLERS.iter().map(|h| h.name).collect();
    assert_eq!(
        names,
        [
            "lifecycle",
            "leader",
            "relations",
            "storage",
            "workload",
            "secrets",
            "get_db_info",
            "restore",
            "ping",
            "status"
        ]
    );
    assert_eq!(
        Demo::HANDLERS[0].on,
        &[
            On::Install,
            On::Start,
            On::Stop,
            On::Remove,
            On::ConfigChanged,
            On::UpdateStatus,
            On::UpgradeCharm
        ]
    );
    assert_eq!(
        Demo::HANDLERS[1].on,
        &[On::LeaderElected, On::LeaderSettingsChanged]
    );
    assert_eq!(
        Demo::HANDLERS[2].on,
        &[
            On::Relation(RelationEventKind::Created, "database"),
            On::Relation(RelationEventKind::Joined, "database"),
            On::Relation(RelationEventKind::Changed, "fastapi-peer"),
            On::Relation(RelationEventKind::Departed, "metrics-endpoint"),
            On::Relation(RelationEventKind::Broken, "database"),
        ]
    );
    assert_eq!(
        Demo::HANDLERS[3].on,
        &[
            On::Storage(StorageEventKind::Attached, "data"),
            On::Storage(StorageEventKind::Detaching, "scratch")
        ]
    );
    assert_eq!(
        Demo::HANDLERS[4].on,
        &[
            On::Workload(WorkloadHook::PebbleReady, "demo-server"),
            On::Workload(WorkloadHook::CustomNotice, "demo-server"),
            On::Workload(WorkloadHook::CheckFailed, "sidecar"),
            On::Workload(WorkloadHook::CheckRecovered, "sidecar"),
        ]
    );
    assert_eq!(
        Demo::HANDLERS[5].on,
        &[
            On::Secret(SecretEventKind::Changed),
            On::Secret(SecretEventKind::Rotate),
            On::Secret(SecretEventKind::Remove),
            On::Secret(SecretEventKind::Expired),
        ]
    );
    assert_eq!(Demo::HANDLERS[6].on, &[On::Action("get-db-info")]);
    assert_eq!(Demo::HANDLERS[7].on, &[On::Action("restore")]);
    assert_eq!(Demo::HANDLERS[9].on, &[On::CollectStatus]);

    // The metadata.
    let meta = Demo::metadata();
    assert_eq!(meta.name, "demo-api-charm");
    assert_eq!(meta.title.as_deref(), Some("Demo API"));
    assert_eq!(meta.summary, "FastAPI Demo charm for Kubernetes");
    assert_eq!(meta.description, "A demo charm.\nIt has everything.");
    assert_eq!(meta.assumes, ["juju >= 3.1", "k8s-api"]);
    assert_eq!(meta.base, "ubuntu@24.04");
    assert_eq!(meta.platforms, ["amd64", "arm64"]);
    assert_eq!(
        meta.links.documentation.as_deref(),
        Some("https://example.com/docs")
    );
    assert_eq!(
        meta.links.source.as_deref(),
        Some("https://example.com/src")
    );
    assert_eq!(meta.links.contact, None);
    assert_eq!(meta.build.crate_dir, "charms/demo");
    assert_eq!(meta.build.binary, "demo-dispatch");

    assert_eq!(meta.containers.len(), 2);
    assert_eq!(
        meta.container("demo-server").unwrap().resource,
        "demo-server-image"
    );
    assert_eq!(meta.container("sidecar").unwrap().resource, "sidecar-oci");
    let mounts: Vec<(&str, Option<&str>)> = meta.container("demo-server").unwrap().mounts
        .iter()
        .map(|m| (m.storage.as_str(), m.location.as_deref()))
        .collect();
    assert_eq!(mounts, [("data", Some("/srv/data")), ("scratch", None)]);
    assert!(meta.container("sidecar").unwrap().mounts.is_empty());
    let res: Vec<(&str, ResourceKind)> = meta
        .resources
        .iter()
        .map(|r| (r.name.as_str(), r.kind))
        .collect();
    assert_eq!(
        res,
        [
            ("demo-server-image", ResourceKind::OciImage),
            ("sidecar-oci", ResourceKind::OciImage),
            ("blob", ResourceKind::File)
        ]
    );
    assert_eq!(
        meta.resources[0].upstream_source.as_deref(),
        Some("ghcr.io/canonical/api_demo_server:1.0.1")
    );
    assert_eq!(meta.resources[2].filename.as_deref(), Some("blob.tar.gz"));

    let (role, db) = meta.endpoint("database").unwrap();
    assert_eq!(role, Role::Requires);
    assert_eq!(
        (db.interface.as_str(), db.limit, db.optional),
        ("postgresql_client", Some(1), Some(false))
    );
    let (role, metrics) = meta.endpoint("metrics-endpoint").unwrap();
    assert_eq!(role, Role::Provides);
    assert_eq!(
        (metrics.scope, metrics.optional),
        (Some(Scope::Container), Some(true))
    );
    assert_eq!(meta.peers[0].interface, "fastapi_demo_peers");
    assert_eq!((meta.peers[0].limit, meta.peers[0].scope), (None, None));

    assert_eq!(meta.storage.len(), 2);
    assert_eq!(meta.storage[0].kind, StorageKind::Filesystem);
    assert_eq!(meta.storage[0].location.as_deref(), Some("/data"));
    assert_eq!(meta.storage[1].kind, StorageKind::Block);

    assert_eq!(meta.config.len(), 1);
    assert_eq!(
        meta.config_option("server-port")
            .unwrap()
            .description
            .as_deref(),
        Some("Port the server listens on.")
    );

    let info = meta.action("get-db-info").unwrap();
    assert!(!info.additional_properties);
    assert_eq!(info.params[0].name, "show-password");
    assert_eq!(info.params[0].kind, ParamType::Boolean);
    assert_eq!(info.params[0].default, Some(serde_json::json!(false)));
    assert!(!info.params[0].required);
    assert_eq!(
        info.params[0].description.as_deref(),
        Some("Show username and password")
    );
    let restore = meta.action("restore").unwrap();
    assert!(restore.additional_properties);
    assert_eq!(restore.description, None);
    let params: Vec<(&str, ParamType, bool)> = restore
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.kind, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("backup-id", ParamType::String, true),
            ("limit", ParamType::Integer, false),
            ("ratio", ParamType::Number, false),
            ("retries", ParamType::Integer, false),
            ("hosts", ParamType::String, true),
        ]
    );
    assert_eq!(restore.params[2].default, Some(serde_json::json!(0.5)));
    assert_eq!(restore.params[3].default, Some(serde_json::json!(3)));
    assert_eq!(
        serde_json::Value::Object(restore.params[4].json_schema()),
        serde_json::json!({"type": "array", "items": {"type": "string"}, "description": "Hosts to restore to."})
    );
    let ping = meta.action("ping").unwrap();
    assert!(ping.params.is_empty() && !ping.additional_properties);

    // It renders.
    let yaml = meta.to_charmcraft_yaml();
    assert!(yaml.contains("name: demo-api-charm"), "{yaml}");
    assert!(yaml.contains("demo-server-image"), "{yaml}");
    assert!(
        yaml.contains("    mounts:\n    - storage: data\n      location: /srv/data\n"),
        "{yaml}"
    );

    assert_eq!(Demo::default().helper(), 0);
}
