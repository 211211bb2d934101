#!/usr/bin/env bash
# The main job, until the local simulator lands: build the demo charm in release mode and
# run its `start` as Juju would (the binary as `dispatch`, JUJU_* set), against the fake
# hook tools of the end-to-end tests, for a leader and a non-leader, printing every
# hook-tool call it makes.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p demo-charm
bin="$PWD/target/release/demo-charm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/answers"
for t in relation-ids relation-list relation-get relation-set config-get is-leader status-set \
         juju-log application-version-set open-port close-port opened-ports; do
  ln -s "$PWD/demo-charm/tests/fake-juju/hook-tool" "$work/bin/$t"
done
answer() { printf '%s' "$2" > "$work/answers/$(printf '%s' "$1" | tr ' /' '__')"; }
answer "relation-ids fastapi-peer --format=json" '["fastapi-peer:1"]'
answer "relation-get --format=json -r fastapi-peer:1 --app - demo-api-charm" '{"unit_stats": "{\"started_counter\": 1}"}'
answer "relation-get --format=json -r fastapi-peer:1 - demo-api-charm/1" '{"ingress-address": "10.1.2.3"}'
answer "config-get --format=json" '{"server-port": 8000}'
answer "relation-ids database --format=json" '[]'

run() { # unit leader
  answer "is-leader --format=json" "$2"
  : > "$work/calls"
  env -i PATH="$work/bin:$PATH" FAKE_JUJU_DIR="$work" JUJU_DISPATCH_PATH=hooks/start \
    JUJU_HOOK_NAME=start JUJU_UNIT_NAME="$1" JUJU_MODEL_NAME=charm-model \
    JUJU_MODEL_UUID=00000000-0000-4000-8000-000000000000 JUJU_VERSION=3.6.4 \
    JUJU_CHARM_DIR="$work" "$bin"
  echo "== start on $1 (leader: $2): exit $?, hook-tool calls:"
  tr '\037' ' ' < "$work/calls" | sed 's/ stdin=/ <<< /; s/^/   /'
}
run demo-api-charm/0 true
run demo-api-charm/1 false
echo "== release binary: $(stat -c %s "$bin") bytes"
