//! Rendering: `charmcraft.yaml` and the `.charm` files, their key order and quoting.

use super::super::{
    ActionParam, ConfigOption, ConfigValue, Endpoint, OptionType, ParamType, Scope,
};
use super::{demo, keys, minimal, parse, tricky, TRICKY};
use serde_yaml::Value;

/// Prints the demo's files. With `RENDER_OUT_DIR=<dir>` it also writes
/// `<dir>/charmcraft.yaml`, `<dir>/tricky/charmcraft.yaml` and the `.charm` files in
/// `<dir>/charm/` (apart: charmcraft refuses a `config.yaml` next to a
/// `charmcraft.yaml` with `config:`), for checking with the real tools:
/// `RENDER_OUT_DIR=/tmp/r cargo test -p charm-runtime render_print -- --nocapture`, then
/// `.venv/bin/python tools/validate_charmcraft.py /tmp/r/charmcraft.yaml
/// --compare-charm-dir /tmp/r/charm`.
#[test]
fn render_print_demo_files() {
    let meta = demo();
    let files = [
        ("charmcraft.yaml", meta.to_charmcraft_yaml()),
        ("charm/metadata.yaml", meta.to_metadata_yaml()),
        ("charm/config.yaml", meta.to_config_yaml().unwrap()),
        ("charm/actions.yaml", meta.to_actions_yaml().unwrap()),
        (
            "charm/manifest.yaml",
            meta.to_manifest_yaml("4.5.0", "2025-01-01T00:00:00+00:00"),
        ),
        ("tricky/charmcraft.yaml", tricky().to_charmcraft_yaml()),
    ];
    for (name, text) in &files[..5] {
        println!("--- {name}\n{text}");
    }
    if let Some(dir) = std::env::var_os("RENDER_OUT_DIR") {
        let dir = std::path::PathBuf::from(dir);
        for (name, text) in &files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }
}

#[test]
fn render_charmcraft_yaml_structure() {
    let text = demo().to_charmcraft_yaml();
    let header = demo().generated_header();
    assert!(text.starts_with(&header));
    assert!(header.lines().all(|l| l.starts_with("# ")));
    assert_eq!(header.lines().count(), 2);
    assert!(
        header.ends_with("# Regenerate with: demo-charm metadata > charmcraft.yaml\n"),
        "{header}"
    );
    let v = parse(&text);
    assert_eq!(
        keys(&v),
        [
            "type",
            "name",
            "title",
            "summary",
            "description",
            "links",
            "assumes",
            "base",
            "platforms",
            "parts",
            "containers",
            "resources",
            "peers",
            "requires",
            "config",
            "actions",
        ]
    );
    assert_eq!(v["type"], "charm");
    assert_eq!(v["name"], "demo-api-charm");
    assert_eq!(v["title"], "demo-fastapi-k8s");
    assert_eq!(v["summary"], "FastAPI Demo charm for Kubernetes");
    assert!(v["description"].as_str().unwrap().contains("\n"));
    assert_eq!(v["links"]["documentation"], "https://example.com/docs");
    assert_eq!(v["links"]["contact"], "Demo Team <demo@example.com>");
    assert_eq!(keys(&v["links"]), ["contact", "documentation"]);
    assert_eq!(v["assumes"][0], "juju >= 3.1");
    assert_eq!(v["assumes"][1], "k8s-api");
    assert_eq!(v["base"], "ubuntu@22.04");
    assert_eq!(keys(&v["platforms"]), ["amd64"]);
    assert_eq!(v["platforms"]["amd64"], Value::Null);
    assert!(text.contains("\nplatforms:\n  amd64:\n"));

    let part = &v["parts"]["charm"];
    assert_eq!(part["plugin"], "rust");
    assert_eq!(part["source"], ".");
    assert_eq!(part["rust-path"][0], "demo-charm");
    assert_eq!(part["organize"]["bin/demo-charm"], "dispatch");
    assert_eq!(part["prime"][0], "dispatch");

    assert_eq!(
        v["containers"]["demo-server"]["resource"],
        "demo-server-image"
    );
    let image = &v["resources"]["demo-server-image"];
    assert_eq!(image["type"], "oci-image");
    assert_eq!(
        image["upstream-source"],
        "ghcr.io/canonical/api_demo_server:1.0.1"
    );
    assert!(image.get("filename").is_none());
    assert_eq!(
        v["peers"]["fastapi-peer"]["interface"],
        "fastapi_demo_peers"
    );
    assert_eq!(keys(&v["peers"]["fastapi-peer"]), ["interface"]);
    assert_eq!(v["requires"]["database"]["interface"], "postgresql_client");
    assert_eq!(v["requires"]["database"]["limit"], 1);

    let port = &v["config"]["options"]["server-port"];
    assert_eq!(keys(port), ["type", "default", "description"]);
    assert_eq!(port["type"], "int");
    assert_eq!(port["default"], 8000);

    let action = &v["actions"]["get-db-info"];
    assert_eq!(
        action["description"],
        "Fetches database authentication information"
    );
    let param = &action["params"]["show-password"];
    assert_eq!(param["type"], "boolean");
    assert_eq!(param["default"], false);
    assert!(action.get("required").is_none());
    assert_eq!(action["additionalProperties"], false);
}

#[test]
fn render_required_params_and_endpoint_options() {
    let mut meta = demo();
    meta.actions[0].params.push(ActionParam {
        name: "user".into(),
        kind: ParamType::String,
        description: None,
        default: None,
        required: true,
        schema: None,
    });
    meta.provides.push(Endpoint {
        name: "logging".into(),
        interface: "loki_push_api".into(),
        limit: None,
        optional: Some(true),
        scope: Some(Scope::Container),
    });
    let v = meta.to_charmcraft_value();
    let action = &v["actions"]["get-db-info"];
    assert_eq!(action["required"], parse("[user]"));
    assert_eq!(keys(&action["params"]["user"]), ["type"]);
    assert_eq!(v["provides"]["logging"]["optional"], true);
    assert_eq!(v["provides"]["logging"]["scope"], "container");
}

#[test]
fn render_omits_empty_sections() {
    let meta = minimal();
    let v = parse(&meta.to_charmcraft_yaml());
    assert_eq!(
        keys(&v),
        [
            "type",
            "name",
            "summary",
            "description",
            "base",
            "platforms"
        ]
    );
    assert_eq!(meta.to_config_yaml(), None);
    assert_eq!(meta.to_actions_yaml(), None);
    let md = parse(&meta.to_metadata_yaml());
    assert_eq!(keys(&md), ["description", "name", "summary"]);
}

#[test]
fn render_metadata_yaml() {
    let v = parse(&demo().to_metadata_yaml());
    assert_eq!(
        keys(&v),
        [
            "assumes",
            "containers",
            "description",
            "display-name",
            "docs",
            "maintainers",
            "name",
            "peers",
            "requires",
            "resources",
            "summary",
        ]
    );
    assert_eq!(v["display-name"], "demo-fastapi-k8s");
    assert_eq!(v["docs"], "https://example.com/docs");
    assert_eq!(v["maintainers"][0], "Demo Team <demo@example.com>");
    assert_eq!(
        v["containers"]["demo-server"]["resource"],
        "demo-server-image"
    );
    assert_eq!(v["resources"]["demo-server-image"]["type"], "oci-image");
    assert_eq!(
        keys(&v["resources"]["demo-server-image"]),
        ["description", "type", "upstream-source"]
    );
    assert_eq!(v["requires"]["database"]["limit"], 1);
    assert!(v.get("config").is_none() && v.get("actions").is_none());
}

#[test]
fn render_config_and_actions_yaml() {
    let meta = demo();
    let config = parse(&meta.to_config_yaml().unwrap());
    assert_eq!(keys(&config), ["options"]);
    let port = &config["options"]["server-port"];
    assert_eq!(keys(port), ["default", "description", "type"]);
    assert_eq!(port["default"], 8000);

    let actions = parse(&meta.to_actions_yaml().unwrap());
    let action = &actions["get-db-info"];
    assert_eq!(
        keys(action),
        ["additionalProperties", "description", "params"]
    );
    assert_eq!(action["params"]["show-password"]["default"], false);
}

#[test]
fn render_manifest_yaml() {
    let text = demo().to_manifest_yaml("4.5.0", "2025-01-01T00:00:00+00:00");
    let v = parse(&text);
    assert_eq!(
        keys(&v),
        [
            "analysis",
            "bases",
            "charmcraft-started-at",
            "charmcraft-version"
        ]
    );
    assert_eq!(
        v["bases"],
        parse("[{name: ubuntu, channel: '22.04', architectures: [amd64]}]")
    );
    assert_eq!(v["bases"][0]["channel"], "22.04");
    assert_eq!(
        v["analysis"]["attributes"],
        parse("[{name: language, result: rust}, {name: framework, result: charm-runtime}]")
    );
    assert_eq!(v["charmcraft-version"], "4.5.0");
    assert_eq!(v["charmcraft-started-at"], "2025-01-01T00:00:00+00:00");

    let mut multi = minimal();
    multi.platforms = vec!["amd64".into(), "arm64".into(), "ubuntu@22.04:amd64".into()];
    let v = parse(&multi.to_manifest_yaml("4.5.0", "t"));
    assert_eq!(
        v["bases"],
        parse(
            "[{name: ubuntu, channel: '24.04', architectures: [amd64, arm64]}, \
             {name: ubuntu, channel: '22.04', architectures: [amd64]}]"
        )
    );
}

#[test]
fn render_float_string_and_numeric_looking_values() {
    let mut meta = minimal();
    meta.config = vec![
        ConfigOption {
            name: "ratio".into(),
            kind: OptionType::Float,
            default: Some(ConfigValue::Float(0.5)),
            description: None,
        },
        ConfigOption {
            name: "version".into(),
            kind: OptionType::String,
            default: Some(ConfigValue::String("1.10".into())),
            description: None,
        },
        ConfigOption {
            name: "flag".into(),
            kind: OptionType::String,
            default: Some(ConfigValue::String("true".into())),
            description: None,
        },
    ];
    let v = parse(&meta.to_charmcraft_yaml());
    let options = &v["config"]["options"];
    assert_eq!(options["ratio"]["default"], 0.5);
    // Strings that look like other scalars stay strings.
    assert_eq!(options["version"]["default"], "1.10");
    assert_eq!(options["flag"]["default"], "true");
    assert_eq!(keys(&options["ratio"]), ["type", "default"]);
}

#[test]
fn render_tricky_strings_round_trip() {
    let meta = tricky();
    for text in [
        meta.to_charmcraft_yaml(),
        meta.to_metadata_yaml(),
        meta.to_config_yaml().unwrap(),
    ] {
        let v = parse(&text);
        if let Some(assumes) = v.get("assumes") {
            let got: Vec<&str> = assumes
                .as_sequence()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            assert_eq!(got, TRICKY, "{text}");
        }
        if let Some(d) = v.get("description") {
            assert_eq!(d.as_str(), Some(meta.description.as_str()), "{text}");
        }
        let options = v
            .get("options")
            .or_else(|| v.get("config").map(|c| &c["options"]));
        if let Some(options) = options {
            for (i, s) in TRICKY.iter().enumerate() {
                let o = &options[format!("o{i}").as_str()];
                assert_eq!(o["default"].as_str(), Some(*s), "{i}: {s:?}\n{text}");
                assert_eq!(o["description"].as_str(), Some(*s), "{i}: {s:?}");
            }
        }
    }
}

#[test]
fn render_numbers() {
    let mut meta = minimal();
    meta.config = [3.0, 0.25, -1.5, 1e20, 1e-7]
        .iter()
        .enumerate()
        .map(|(i, f)| ConfigOption {
            name: format!("f{i}"),
            kind: OptionType::Float,
            default: Some(ConfigValue::Float(*f)),
            description: None,
        })
        .collect();
    let text = meta.to_config_yaml().unwrap();
    assert!(text.contains("default: 3.0\n"), "{text}");
    let v = parse(&text);
    for (i, f) in [3.0, 0.25, -1.5, 1e20, 1e-7].iter().enumerate() {
        assert_eq!(
            v["options"][format!("f{i}").as_str()]["default"].as_f64(),
            Some(*f)
        );
    }
}

#[test]
fn render_is_deterministic() {
    let a = demo();
    let b = demo();
    assert_eq!(a.to_charmcraft_yaml(), b.to_charmcraft_yaml());
    assert_eq!(a.to_charmcraft_yaml(), a.to_charmcraft_yaml());
    assert_eq!(a.to_metadata_yaml(), b.to_metadata_yaml());
    assert_eq!(a.to_config_yaml(), b.to_config_yaml());
    assert_eq!(a.to_actions_yaml(), b.to_actions_yaml());
    assert_eq!(
        a.to_manifest_yaml("4.5.0", "t"),
        b.to_manifest_yaml("4.5.0", "t")
    );
}

#[test]
fn render_without_build_has_no_parts() {
    let mut meta = demo();
    meta.build.binary.clear();
    assert!(meta.to_charmcraft_value().get("parts").is_none());
    assert!(meta
        .to_charmcraft_yaml()
        .contains("\n# Regenerate with: <charm binary> metadata > charmcraft.yaml\n"));
}
