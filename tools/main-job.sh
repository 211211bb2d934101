#!/usr/bin/env bash
# The main job: the tutorial charm's story, locally, with `cargo charm sim` (a simulated
# Juju model speaking Juju's protocol to the charm; see cargo-charm/).
#
#   1. build the demo charm in release mode and pack demo-api-charm_amd64.charm;
#   2. deploy it with 2 units (install, fastapi-peer-relation-created, leader-elected /
#      leader-settings-changed, config-changed, start, demo-server-pebble-ready, peers join):
#      blocked, "Waiting for database relation";
#   3. relate a database provider that has sent nothing (waiting), then let it send its
#      endpoint and, in a secret it grants through the relation, the credentials (active;
#      the Pebble plan gets the DEMO_SERVER_DB_* environment);
#   4. server-port=22 (blocked, nothing replanned or opened), then 8080 (moved);
#   5. the get-db-info action;
#   6. delete the leader's pod (stop; new pod: upgrade-charm, config-changed, start,
#      pebble-ready) and show-unit demo-api-charm/0: the peer application bag holds
#      unit_stats: '{"started_counter": 2}';
#   7. break the database relation (blocked again, the credentials leave the plan);
#   8. the status table, the leader's Pebble plan, and the per-event wall time and
#      hook-tool calls.
#
# The same story runs against the tutorial's Python charm in cargo-charm/tests/side_by_side.rs.
# The model stays in target/charm-sim: inspect it afterwards with
# `cargo run -q -p cargo-charm -- sim <command>` (status, events --calls, debug-log, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

# Not quiet: on a fresh machine these builds take minutes, and cargo shows what it compiles
# (cargo-charm here, the demo charm in release mode under `sim deploy`).
cargo build -p cargo-charm
cc() {
    printf '\n$ cargo charm %s\n' "$*"
    target/debug/cargo-charm "$@"
}

target/debug/cargo-charm sim destroy -q
cc sim deploy -p demo-charm -n 2
cc sim relate database postgresql-k8s
printf '\n$ cargo charm sim add-secret postgresql-k8s username=relation-1 password=...\n'
secret=$(target/debug/cargo-charm sim add-secret postgresql-k8s username=relation-1 password=dEm0-pa55)
echo "$secret"
cc sim set-data database postgresql-k8s endpoints=10.1.0.5:5432 "secret-user=$secret"
cc sim status
cc sim config server-port=22
cc sim config server-port=8080
cc sim run demo-api-charm/0 get-db-info
cc sim delete-pod demo-api-charm/0
cc sim show-unit demo-api-charm/0
cc sim unrelate database postgresql-k8s
cc sim status
cc sim pebble demo-api-charm/0 demo-server plan
cc sim events

# The first unit_stats of show-unit is the peer application bag's (the related units come after).
counter=$(target/debug/cargo-charm sim show-unit demo-api-charm/0 |
    sed -n "s/^ *unit_stats: '{\"started_counter\": \([0-9]*\)}'$/\1/p" | head -n1)
if [[ "$counter" != 2 ]]; then
    echo "main-job: FAILED: expected started_counter 2 after one pod deletion, got '${counter}'" >&2
    exit 1
fi
failed=$(target/debug/cargo-charm sim events --json | grep -c '"exit_code": [^0]' || true)
if [[ "$failed" != 0 ]]; then
    echo "main-job: FAILED: ${failed} hook(s) did not exit 0 (see the events above)" >&2
    exit 1
fi
printf '\nmain-job: OK: started_counter is 2 after deleting the leader'"'"'s pod, every hook exited 0; .charm: %s bytes\n' \
    "$(stat -c %s target/charm-sim/build/demo-api-charm_amd64.charm)"
