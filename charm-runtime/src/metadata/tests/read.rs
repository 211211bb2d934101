//! Reading: the rendered files read back to the same model; any charm's files (a Python
//! charm's `metadata.yaml` with what `#[charm]` never writes) read and render back; bad
//! files give errors that name the file and the key.

use super::super::{
    CharmMetadata, ConfigValue, MetadataError, Mount, OptionType, ParamType, ResourceKind, Scope,
    StorageKind, StorageRange,
};
use super::{demo, minimal, tricky};
use serde_json::json;
use std::path::PathBuf;

/// `meta` as its `.charm` files say it: without base, platforms or build, and every list
/// of named things sorted by name (charmcraft writes the files with their keys sorted).
fn as_packed(meta: &CharmMetadata) -> CharmMetadata {
    fn by_name<T>(items: &mut [T], name: fn(&T) -> &str) {
        items.sort_by(|a, b| name(a).cmp(name(b)));
    }
    let mut m = CharmMetadata {
        base: String::new(),
        platforms: vec![],
        build: Default::default(),
        ..meta.clone()
    };
    by_name(&mut m.containers, |c| &c.name);
    by_name(&mut m.resources, |r| &r.name);
    for endpoints in [&mut m.peers, &mut m.provides, &mut m.requires] {
        by_name(endpoints, |e| &e.name);
    }
    by_name(&mut m.storage, |s| &s.name);
    by_name(&mut m.config, |o| &o.name);
    by_name(&mut m.actions, |a| &a.name);
    for a in &mut m.actions {
        by_name(&mut a.params, |p| &p.name);
    }
    m
}

/// What the `.charm` files of `meta` read back to.
fn from_charm_files(meta: &CharmMetadata) -> CharmMetadata {
    CharmMetadata::from_juju_files(
        &meta.to_metadata_yaml(),
        meta.to_config_yaml().as_deref(),
        meta.to_actions_yaml().as_deref(),
    )
    .unwrap()
}

#[test]
fn read_charmcraft_yaml_round_trips() {
    for meta in [demo(), minimal(), tricky()] {
        let text = meta.to_charmcraft_yaml();
        assert_eq!(
            CharmMetadata::from_charmcraft_yaml(&text).unwrap(),
            meta,
            "{text}"
        );
    }
}

#[test]
fn read_charm_files_round_trip() {
    for meta in [demo(), minimal(), tricky()] {
        assert_eq!(from_charm_files(&meta), as_packed(&meta));
    }
}

/// A Python charm's files, with what `#[charm]` never writes.
const PY_METADATA: &str = "\
name: py-charm
display-name: Py
maintainers: [One <one@example.com>, Two <two@example.com>]
issues: [https://example.com/issues]
assumes:
  - k8s-api
  - any-of: [juju >= 3.1, juju < 2]
containers:
  app:
    resource: app-image
    mounts:
      - storage: data
        location: /data
  sidecar:
    bases: [{name: ubuntu, channel: '22.04'}]
resources:
  app-image:
    type: oci-image
  blob: {}
peers:
  replicas:
    interface: py_peers
provides:
  logs:
    interface: loki
    scope: container
    optional: true
requires:
  db:
    interface: pg
    limit: 1
storage:
  data:
    type: filesystem
    multiple:
      range: 1-3
  cache:
    type: block
    location: ''
    multiple:
      range: 2
  logs:
    type: filesystem
    location: /srv/logs
    multiple:
      range: 1+
subordinate: false
series: [jammy]
";

const PY_CONFIG: &str = "\
options:
  name:
    description: no type, no default
  ratio:
    type: float
    default: 1
  port:
    type: int
    default: 8080
";

const PY_ACTIONS: &str = "\
go:
  description: Go.
  params:
    n:
      type: integer
      default: 3
    mode:
      type: string
      enum: [fast, slow]
    items:
      type: array
    any: {}
  required: [mode]
snap: {}
";

#[test]
fn read_any_charms_files() {
    let meta =
        CharmMetadata::from_juju_files(PY_METADATA, Some(PY_CONFIG), Some(PY_ACTIONS)).unwrap();
    assert_eq!(meta.name, "py-charm");
    assert_eq!(meta.title.as_deref(), Some("Py"));
    assert_eq!((meta.summary.as_str(), meta.description.as_str()), ("", ""));
    assert_eq!(meta.links.contact.as_deref(), Some("One <one@example.com>"));
    assert_eq!(
        meta.links.issues.as_deref(),
        Some("https://example.com/issues")
    );
    assert_eq!(meta.assumes, ["k8s-api"]);

    let app = meta.container("app").unwrap();
    assert_eq!(app.resource, "app-image");
    assert_eq!(
        app.mounts,
        [Mount {
            storage: "data".into(),
            location: Some("/data".into())
        }]
    );
    assert_eq!(meta.container("sidecar").unwrap().resource, "");
    assert_eq!(meta.resources[0].kind, ResourceKind::OciImage);
    assert_eq!(meta.resources[1].kind, ResourceKind::File);

    let (_, logs) = meta.endpoint("logs").unwrap();
    assert_eq!(
        (logs.scope, logs.optional),
        (Some(Scope::Container), Some(true))
    );
    assert_eq!(meta.endpoint("db").unwrap().1.limit, Some(1));
    let names: Vec<&str> = meta.endpoints().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["replicas", "logs", "db"]);

    let data = meta.storage("data").unwrap();
    assert_eq!(data.kind, StorageKind::Filesystem);
    assert_eq!(
        data.multiple,
        Some(StorageRange {
            min: 1,
            max: Some(3)
        })
    );
    let cache = meta.storage("cache").unwrap();
    assert_eq!(cache.kind, StorageKind::Block);
    assert_eq!(cache.location, None);
    assert_eq!(
        cache.multiple,
        Some(StorageRange {
            min: 2,
            max: Some(2)
        })
    );
    assert_eq!(
        meta.storage("logs").unwrap().multiple,
        Some(StorageRange { min: 1, max: None })
    );

    let name = meta.config_option("name").unwrap();
    assert_eq!((name.kind, &name.default), (OptionType::String, &None));
    // As written: a float option's integer default stays an integer.
    assert_eq!(
        meta.config_option("ratio").unwrap().default,
        Some(ConfigValue::Int(1))
    );
    assert_eq!(
        meta.config_option("port").unwrap().default,
        Some(ConfigValue::Int(8080))
    );

    let go = meta.action("go").unwrap();
    assert!(go.additional_properties);
    let n = &go.params[0];
    assert_eq!((n.kind, n.schema.is_none()), (ParamType::Integer, true));
    assert_eq!(n.default, Some(json!(3)));
    let mode = &go.params[1];
    assert!(mode.required && !n.required);
    assert_eq!(
        serde_json::Value::Object(mode.json_schema()),
        json!({"type": "string", "enum": ["fast", "slow"]})
    );
    assert_eq!(
        serde_json::Value::Object(go.params[2].json_schema()),
        json!({"type": "array"})
    );
    assert_eq!(go.params[3].json_schema(), serde_json::Map::new());
    assert_eq!(
        serde_json::Value::Object(n.json_schema()),
        json!({"type": "integer", "default": 3})
    );
    let snap = meta.action("snap").unwrap();
    assert!(snap.params.is_empty() && snap.additional_properties);
}

#[test]
fn read_charms_files_render_and_read_back() {
    let meta =
        CharmMetadata::from_juju_files(PY_METADATA, Some(PY_CONFIG), Some(PY_ACTIONS)).unwrap();
    assert_eq!(from_charm_files(&meta), as_packed(&meta));
    let text = meta.to_charmcraft_yaml();
    assert_eq!(CharmMetadata::from_charmcraft_yaml(&text).unwrap(), meta);
    assert!(
        text.contains("\n    mounts:\n    - storage: data\n      location: /data\n"),
        "{text}"
    );
    assert!(
        text.contains("\n    multiple:\n      range: '1-'\n"),
        "{text}"
    );
    assert!(
        text.contains("\n    multiple:\n      range: '1-3'\n"),
        "{text}"
    );
}

#[test]
fn read_storage_range_text() {
    let r = |s: &str| s.parse::<StorageRange>();
    assert_eq!(
        r("2"),
        Ok(StorageRange {
            min: 2,
            max: Some(2)
        })
    );
    assert_eq!(
        r("0-3"),
        Ok(StorageRange {
            min: 0,
            max: Some(3)
        })
    );
    assert_eq!(r("1-"), Ok(StorageRange { min: 1, max: None }));
    assert_eq!(r("1+"), Ok(StorageRange { min: 1, max: None }));
    for bad in ["", "x", "3-1", "0", "-2", "1-x"] {
        let e = r(bad).unwrap_err();
        assert!(e.starts_with("invalid multiple range"), "{bad:?}: {e}");
    }
    for text in ["2", "0-3", "1-"] {
        assert_eq!(r(text).unwrap().to_string(), text);
    }
    assert_eq!(StorageRange::ONE.to_string(), "1");
}

/// The error `from_juju_files` gives for these files.
fn error(metadata: &str, config: Option<&str>, actions: Option<&str>) -> String {
    CharmMetadata::from_juju_files(metadata, config, actions)
        .unwrap_err()
        .to_string()
}

#[test]
fn read_errors_name_the_file_and_key() {
    let md = "name: x\n";
    for (metadata, config, actions, expect) in [
        ("name: [unclosed\n", None, None, "metadata.yaml is not valid YAML: "),
        ("- a\n", None, None, "metadata.yaml: not a mapping"),
        ("", None, None, "metadata.yaml: not a mapping"),
        ("summary: s\n", None, None, "metadata.yaml: no `name`"),
        (
            "name: x\nstorage:\n  data:\n    location: /x\n",
            None,
            None,
            "metadata.yaml: storage `data` needs `type: filesystem` or `type: block`",
        ),
        (
            "name: x\nstorage:\n  data:\n    type: fs\n",
            None,
            None,
            "metadata.yaml: storage.data.type: unknown variant `fs`, expected `filesystem` or `block`",
        ),
        (
            "name: x\nstorage:\n  data:\n    type: block\n    multiple:\n      range: 3-1\n",
            None,
            None,
            "metadata.yaml: storage `data`: invalid multiple range \"3-1\"",
        ),
        (
            "name: x\npeers:\n  p:\n    limit: 1\n",
            None,
            None,
            "metadata.yaml: peers.p: missing field `interface`",
        ),
        (
            "name: x\nrequires:\n  db:\n    interface: pg\n  db:\n    interface: pg\n",
            None,
            None,
            "metadata.yaml is not valid YAML: requires: duplicate entry with key \"db\"",
        ),
        (
            "name: x\nprovides:\n  p:\n    interface: i\n    scope: everywhere\n",
            None,
            None,
            "metadata.yaml: provides.p.scope: unknown variant `everywhere`",
        ),
        (
            md,
            Some("options:\n  port:\n    type: integer\n"),
            None,
            "config.yaml: options.port.type: unknown variant `integer`",
        ),
        (
            md,
            Some("options:\n  port:\n    type: int\n    default: [1]\n"),
            None,
            "config.yaml: options.port.default: invalid type: sequence, expected a string, a number or a boolean",
        ),
        (md, Some("options: 3\n"), None, "config.yaml: options: invalid type"),
        (
            md,
            None,
            Some("go:\n  params:\n    a: {type: string}\n  required: [b]\n"),
            "actions.yaml: action `go`: `required` names `b`, which is not one of its params",
        ),
        (md, None, Some("go: 3\n"), "actions.yaml: go: invalid type"),
    ] {
        let e = error(metadata, config, actions);
        assert!(e.starts_with(expect), "{metadata:?} {config:?} {actions:?}:\n{e}");
    }
}

#[test]
fn read_empty_config_and_actions_are_none() {
    let meta = CharmMetadata::from_juju_files("name: x\n", Some(""), Some("# none\n")).unwrap();
    assert!(meta.config.is_empty() && meta.actions.is_empty());
    let meta =
        CharmMetadata::from_juju_files("name: x\npeers:\n", Some("options:\n"), None).unwrap();
    assert!(meta.peers.is_empty() && meta.config.is_empty());
}

/// A fresh directory under the system's temp directory.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("charm-runtime-read-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn read_charm_dir_falls_back_to_charmcraft_yaml() {
    // Only a charmcraft.yaml: everything comes from it.
    let dir = scratch("charmcraft");
    std::fs::write(dir.join("charmcraft.yaml"), demo().to_charmcraft_yaml()).unwrap();
    assert_eq!(CharmMetadata::from_charm_dir(&dir).unwrap(), demo());

    // metadata.yaml and config.yaml win over it; actions, base, platforms and build still
    // come from it.
    let mut other = minimal();
    other.name = "other".into();
    std::fs::write(dir.join("metadata.yaml"), other.to_metadata_yaml()).unwrap();
    std::fs::write(dir.join("config.yaml"), "options: {}\n").unwrap();
    let meta = CharmMetadata::from_charm_dir(&dir).unwrap();
    assert_eq!(meta.name, "other");
    assert!(meta.config.is_empty() && meta.containers.is_empty());
    assert_eq!(meta.actions, demo().actions);
    assert_eq!(
        (&meta.base, &meta.platforms, &meta.build),
        (&demo().base, &demo().platforms, &demo().build)
    );

    // The .charm files alone.
    let dir = scratch("packed");
    for (name, text) in demo().to_charm_files("4.5.0", "t") {
        std::fs::write(dir.join(name), text).unwrap();
    }
    assert_eq!(
        CharmMetadata::from_charm_dir(&dir).unwrap(),
        from_charm_files(&demo())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn read_charm_dir_errors() {
    let dir = scratch("errors");
    assert_eq!(
        CharmMetadata::from_charm_dir(&dir),
        Err(MetadataError::NoMetadata)
    );
    assert_eq!(
        MetadataError::NoMetadata.to_string(),
        "no metadata.yaml (or charmcraft.yaml)"
    );
    // A charmcraft.yaml that leaves the metadata to a metadata.yaml that is not there.
    std::fs::write(dir.join("charmcraft.yaml"), "type: charm\nbases: []\n").unwrap();
    assert_eq!(
        CharmMetadata::from_charm_dir(&dir).unwrap_err().to_string(),
        "charmcraft.yaml: no `name`"
    );
    std::fs::write(dir.join("metadata.yaml"), "name: x\n").unwrap();
    std::fs::write(dir.join("actions.yaml"), "go: [\n").unwrap();
    let e = CharmMetadata::from_charm_dir(&dir).unwrap_err();
    assert!(
        matches!(&e, MetadataError::NotYaml { file, .. } if file == "actions.yaml"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn model_serializes_and_reads_back() {
    let meta =
        CharmMetadata::from_juju_files(PY_METADATA, Some(PY_CONFIG), Some(PY_ACTIONS)).unwrap();
    for m in [demo(), tricky(), meta] {
        let json = serde_json::to_string(&m).unwrap();
        let back: CharmMetadata = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m, "{json}");
    }
}
