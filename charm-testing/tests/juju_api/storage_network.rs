//! Storage, networks, resources, the cloud credential and goal state, as the charm reads
//! them from the in-memory Juju.

use super::{ctx, peers};
use charm_runtime::LogLevel;
use charm_testing::{Event, Network, State, Storage};
use serde_json::json;

#[test]
fn an_attached_instance_knows_where_it_is_and_asks_for_another() {
    let data = Storage::new("data").location("/srv/data/0");
    let state = State::builder()
        .relation(peers())
        .storage(data.clone())
        .build();
    let out = ctx().run(Event::storage_attached(&data), &state).unwrap();
    assert_eq!(
        out.logs_at(LogLevel::Info),
        ["data/0 at /srv/data/0; 1 attached"]
    );
    // The location came from the event; the list from storage-list.
    assert_eq!(out.calls_to("storage-get"), 0);
    assert_eq!(out.storage_requests, [("data".to_string(), 1)]);
    assert!(out
        .command_lines()
        .contains(&"storage-add data=1".to_string()));

    let second = Storage::new("data").index(1);
    let state = state.to_builder().storage(second.clone()).build();
    let out = ctx().run(Event::storage_attached(&second), &state).unwrap();
    assert_eq!(
        out.logs_at(LogLevel::Info),
        ["data/1 at /var/lib/juju/storage/data/1; 2 attached"]
    );
    assert!(out.storage_requests.is_empty());
}

#[test]
fn info_reads_network_resource_credential_and_goal_state() {
    let website = Network::new("website").info(json!({
        "bind-addresses": [{"mac-address": "", "interface-name": "eth0",
            "addresses": [{"hostname": "", "value": "10.1.0.5", "cidr": "10.1.0.0/16"}]}],
        "egress-subnets": ["10.1.0.5/32"],
        "ingress-addresses": ["203.0.113.7"],
    }));
    let state = State::builder()
        .relation(peers())
        .network(website)
        .resource("blob", "/var/lib/juju/resources/blob/blob.tgz")
        .planned_units(3)
        .cloud_spec(json!({"type": "kubernetes", "name": "microk8s",
            "credential": {"auth-type": "certificate", "attrs": {"ClientKeyData": "KEY"}}}))
        .build();
    let out = ctx().run(Event::action("info", ()), &state).unwrap();
    assert_eq!(
        out.action_results_nested(),
        json!({
            "website": {"ingress": "203.0.113.7", "bind": "10.1.0.5", "egress": "[\"10.1.0.5/32\"]"},
            "blob": "/var/lib/juju/resources/blob/blob.tgz",
            "cloud": "kubernetes",
            "planned-units": "3",
        })
    );
    assert_eq!(
        out.command_lines(),
        [
            "network-get --format=json website",
            "resource-get blob",
            "credential-get --format=json",
            "goal-state --format=json",
            "action-set blob=/var/lib/juju/resources/blob/blob.tgz cloud=kubernetes planned-units=3 website.bind=10.1.0.5 website.egress=[\"10.1.0.5/32\"] website.ingress=203.0.113.7",
        ]
    );

    // No resource attached, an untrusted application, the default network.
    let state = State::builder().relation(peers()).build();
    let out = ctx().run(Event::action("info", ()), &state).unwrap();
    let results = out.action_results_nested();
    assert_eq!(results["website"]["ingress"], "192.0.2.0");
    let blob = results["blob"].as_str().unwrap();
    assert!(
        blob.starts_with("unavailable: resource blob is not available"),
        "{blob}"
    );
    let cloud = results["cloud"].as_str().unwrap();
    assert!(cloud.contains("run `juju trust keeper`"), "{cloud}");
    assert_eq!(results["planned-units"], "1");
}
