#!/usr/bin/env bash
# The main job: the seed tutorial's "Validate your charm", locally, with `cargo charm sim`
# (a simulated Juju model speaking Juju's protocol to the charm; see cargo-charm/).
#
#   1. build the demo charm in release mode and pack demo-api-charm_amd64.charm;
#   2. deploy it with 2 units (install, fastapi-peer-relation-created, leader-elected /
#      leader-settings-changed, config-changed, start, demo-server-pebble-ready, peers join);
#   3. show-unit demo-api-charm/0: the peer application bag holds
#      unit_stats: '{"started_counter": 1}';
#   4. delete the leader's pod (stop; new pod: upgrade-charm, config-changed, start,
#      pebble-ready) and show it again: the counter is 2;
#   5. the status table, and the per-event wall time and hook-tool calls.
#
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
cc sim show-unit demo-api-charm/0
cc sim delete-pod demo-api-charm/0
cc sim show-unit demo-api-charm/0
cc sim status
cc sim events

# The first unit_stats of show-unit is the peer application bag's (the related units come after).
counter=$(target/debug/cargo-charm sim show-unit demo-api-charm/0 |
    sed -n "s/^ *unit_stats: '{\"started_counter\": \([0-9]*\)}'$/\1/p" | head -n1)
if [[ "$counter" != 2 ]]; then
    echo "main-job: FAILED: expected started_counter 2 after one pod deletion, got '${counter}'" >&2
    exit 1
fi
printf '\nmain-job: OK: started_counter is 2 after deleting the leader'"'"'s pod; .charm: %s bytes\n' \
    "$(stat -c %s target/charm-sim/build/demo-api-charm_amd64.charm)"
