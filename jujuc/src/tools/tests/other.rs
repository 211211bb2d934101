//! Ports, network-get, storage, resource-get, goal-state, credential-get, juju-reboot.

use super::{action, err, world, T};
use serde_json::json;

#[test]
fn ports_are_staged_and_opened_ports_shows_committed_ones() {
    let mut t = T::start();
    t.w.opened_ports.insert("443/tcp".into());
    t.ok(&["open-port", "8080/tcp"]);
    t.ok(&["open-port", "icmp"]);
    t.ok(&["open-port", "80"]);
    t.ok(&["open-port", "8000-8999/UDP"]);
    t.ok(&["close-port", "443/tcp"]);
    t.ok(&["open-port", "--endpoints", "a,b", "53/udp"]);
    assert_eq!(
        t.h.port_changes,
        vec![
            ("8080/tcp".to_string(), true),
            ("icmp".to_string(), true),
            ("80/tcp".to_string(), true),
            ("8000-8999/udp".to_string(), true),
            ("443/tcp".to_string(), false),
            ("53/udp".to_string(), true),
        ]
    );
    // Pending changes are not listed.
    assert_eq!(t.ok(&["opened-ports", "--format=json"]), "[\"443/tcp\"]\n");
    t.commit();
    assert_eq!(
        t.ok(&["opened-ports", "--format=json"]),
        "[\"icmp\",\"53/udp\",\"80/tcp\",\"8000-8999/udp\",\"8080/tcp\"]\n"
    );
    assert_eq!(
        t.ok(&["opened-ports", "--format=json", "--endpoints"]),
        "[\"icmp (*)\",\"53/udp (*)\",\"80/tcp (*)\",\"8000-8999/udp (*)\",\"8080/tcp (*)\"]\n"
    );
    assert_eq!(
        t.ok(&["opened-ports"]),
        "icmp\n53/udp\n80/tcp\n8000-8999/udp\n8080/tcp\n"
    );
}

#[test]
fn port_errors() {
    let mut t = T::start();
    assert_eq!(
        t.fail(&["open-port", "8080/ftp"]),
        err(
            2,
            "invalid protocol \"ftp\", expected \"tcp\", \"udp\", or \"icmp\""
        )
    );
    assert_eq!(t.fail(&["open-port"]), err(2, "no port or range specified"));
    assert_eq!(
        t.fail(&["close-port", "http"]),
        err(2, "invalid port range \"http\"")
    );
    assert_eq!(
        t.fail(&["open-port", "0"]),
        err(
            2,
            "port range bounds must be between 1 and 65535, and the first bound must not exceed the last: \"0\""
        )
    );
    assert_eq!(
        t.fail(&["open-port", "90-80"]),
        err(
            2,
            "port range bounds must be between 1 and 65535, and the first bound must not exceed the last: \"90-80\""
        )
    );
    assert!(t.h.port_changes.is_empty());
    let o = t.run(&["open-port", "--format", "json", "80"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (0, "--format flag deprecated for command \"open-port\"")
    );
}

fn network_world() -> T {
    let mut t = T::start();
    t.w.networks.insert(
        "db".into(),
        json!({
            "bind-addresses": [{
                "mac-address": "aa:bb",
                "interface-name": "eth0",
                "addresses": [{"hostname": "", "value": "10.1.2.3", "cidr": "10.1.2.0/24"}]
            }],
            "egress-subnets": ["10.1.2.0/24"],
            "ingress-addresses": ["10.1.2.3"]
        }),
    );
    t
}

#[test]
fn network_get() {
    let mut t = network_world();
    assert_eq!(
        t.ok(&["network-get", "--format=json", "db"]),
        concat!(
            "{\"bind-addresses\":[{\"mac-address\":\"aa:bb\",\"interface-name\":\"eth0\",",
            "\"addresses\":[{\"hostname\":\"\",\"value\":\"10.1.2.3\",\"cidr\":\"10.1.2.0/24\"}]}],",
            "\"egress-subnets\":[\"10.1.2.0/24\"],\"ingress-addresses\":[\"10.1.2.3\"]}\n"
        )
    );
    assert_eq!(
        t.ok(&["network-get", "--format=json", "-r", "4", "db"]),
        t.ok(&["network-get", "--format=json", "db"])
    );
    assert_eq!(
        t.ok(&["network-get", "db", "--ingress-address"]),
        "10.1.2.3\n"
    );
    assert_eq!(
        t.ok(&[
            "network-get",
            "db",
            "--format=json",
            "--bind-address",
            "--egress-subnets"
        ]),
        "{\"bind-address\":\"10.1.2.3\",\"egress-subnets\":[\"10.1.2.0/24\"]}\n"
    );
    assert_eq!(
        t.fail(&["network-get", "--format=json", "nope"]),
        err(1, "no network config found for binding \"nope\"")
    );
    assert_eq!(
        t.fail(&["network-get", "--format=json", "-r", "42", "db"]),
        err(2, "invalid value \"42\" for option -r: relation not found")
    );
    assert_eq!(t.fail(&["network-get"]), err(2, "no arguments specified"));
}

#[test]
fn storage_list_get_add() {
    let mut t = T::start();
    assert_eq!(
        t.ok(&["storage-list", "--format=json"]),
        "[\"data/0\",\"cache/1\"]\n"
    );
    assert_eq!(
        t.ok(&["storage-list", "--format=json", "data"]),
        "[\"data/0\"]\n"
    );
    assert_eq!(
        t.ok(&["storage-get", "--format=json", "-s", "data/0"]),
        "{\"kind\":\"filesystem\",\"location\":\"/srv/data\"}\n"
    );
    assert_eq!(
        t.ok(&["storage-get", "--format=json", "-s", "cache/1", "location"]),
        "\"/dev/sdb\"\n"
    );
    assert_eq!(
        t.fail(&["storage-get", "--format=json"]),
        err(2, "no storage instance specified")
    );
    assert_eq!(
        t.fail(&["storage-get", "-s", "data/9"]),
        err(
            2,
            "invalid value \"data/9\" for option -s: storage not found"
        )
    );
    assert_eq!(
        t.fail(&["storage-get", "-s", "data"]),
        err(
            2,
            "invalid value \"data\" for option -s: invalid storage ID \"data\""
        )
    );
    assert_eq!(
        t.fail(&["storage-get", "-s", "data/0", "size"]),
        err(1, "invalid storage attribute \"size\"")
    );
    // In a storage hook, -s defaults to the hook's storage.
    t.h.info.storage_id = Some("data/0".into());
    assert_eq!(t.ok(&["storage-get", "location"]), "/srv/data\n");
    t.ok(&["storage-add", "data=3", "logs"]);
    assert_eq!(
        t.h.storage_adds,
        vec![("data".to_string(), 3), ("logs".to_string(), 1)]
    );
    assert_eq!(
        t.fail(&["storage-add"]),
        err(2, "storage add requires a storage directive")
    );
    assert_eq!(
        t.fail(&["storage-add", "data=lots"]),
        err(2, "only count can be specified for \"data\"")
    );
}

#[test]
fn resource_get() {
    let mut t = T::start();
    t.w.resources.insert(
        "image".into(),
        "/var/lib/juju/resources/image/file.tgz".into(),
    );
    assert_eq!(
        t.ok(&["resource-get", "image"]),
        "/var/lib/juju/resources/image/file.tgz"
    );
    assert_eq!(
        t.fail(&["resource-get", "other"]),
        err(
            1,
            "could not download resource: resource \"other\" not found"
        )
    );
    assert_eq!(
        t.fail(&["resource-get"]),
        err(2, "missing required resource name")
    );
}

#[test]
fn goal_state() {
    let mut t = T::start();
    assert_eq!(
        t.ok(&["goal-state", "--format=json"]),
        concat!(
            "{\"units\":{\"app/0\":{\"status\":\"active\",\"since\":\"2025-01-01 00:00:00Z\"},",
            "\"app/1\":{\"status\":\"active\",\"since\":\"2025-01-01 00:00:00Z\"}},",
            "\"relations\":{",
            "\"db\":{\"pg\":{\"status\":\"joined\",\"since\":\"2025-01-01 00:00:00Z\"},",
            "\"pg/0\":{\"status\":\"active\",\"since\":\"2025-01-01 00:00:00Z\"},",
            "\"pg/1\":{\"status\":\"active\",\"since\":\"2025-01-01 00:00:00Z\"},",
            "\"pg2\":{\"status\":\"joined\",\"since\":\"2025-01-01 00:00:00Z\"}},",
            "\"peers\":{\"app/1\":{\"status\":\"active\",\"since\":\"2025-01-01 00:00:00Z\"}},",
            "\"web\":{\"ingress\":{\"status\":\"joined\",\"since\":\"2025-01-01 00:00:00Z\"}}}}\n"
        )
    );
    assert!(t
        .ok(&["goal-state"])
        .starts_with("units:\n  app/0:\n    status: active\n"));
}

#[test]
fn credential_get() {
    let mut t = T::start();
    assert_eq!(
        t.fail(&["credential-get", "--format=json"]),
        err(1, "cannot access cloud credentials: permission denied")
    );
    t.w.cloud_spec = Some(
        json!({"name": "k8s", "type": "kubernetes", "credential": {"auth-type": "certificate", "attrs": {"b": "2", "a": "1"}}}),
    );
    assert_eq!(
        t.ok(&["credential-get", "--format=json"]),
        "{\"type\":\"kubernetes\",\"name\":\"k8s\",\"credential\":{\"auth-type\":\"certificate\",\"attrs\":{\"a\":\"1\",\"b\":\"2\"}}}\n"
    );
}

#[test]
fn juju_reboot_on_kubernetes_logs_and_succeeds() {
    let mut t = T::start();
    t.ok(&["juju-reboot"]);
    t.ok(&["juju-reboot", "--now"]);
    assert_eq!(t.h.logs.len(), 2);
    assert_eq!(t.h.logs[0].0, "ERROR");
    let mut w = world();
    let h = action(&mut w, json!({}));
    let mut t = T::new(w, h);
    assert_eq!(
        t.fail(&["juju-reboot"]),
        err(1, "juju-reboot is not supported when running an action.")
    );
}

#[test]
fn network_get_smart_is_yaml_with_struct_order() {
    let mut t = network_world();
    assert_eq!(
        t.ok(&["network-get", "db"]),
        concat!(
            "bind-addresses:\n",
            "- mac-address: aa:bb\n",
            "  interface-name: eth0\n",
            "  addresses:\n",
            "  - hostname: \"\"\n",
            "    value: 10.1.2.3\n",
            "    cidr: 10.1.2.0/24\n",
            "egress-subnets:\n",
            "- 10.1.2.0/24\n",
            "ingress-addresses:\n",
            "- 10.1.2.3\n"
        )
    );
}
