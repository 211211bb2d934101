#!/usr/bin/env bash
# The jubilant integration suites (tests/integration/), run against the simulator: the same
# tests run unchanged against a real Juju. What a charm author does to point an existing
# jubilant test at the simulator is the PATH line below:
#
#   cargo charm juju-shim DIR && export PATH=DIR:$PATH
#
# Usage: tools/integration.sh [SUITE...]   # suites: demo webapp store (default: all)
#
# The store suite deploys `postgresql-k8s` by its store name: the simulator's Charmhub
# stand-in maps it to fixtures/fake-postgresql (CARGO_CHARM_CHARMHUB=name=path).
#
# Needs the venv (tools/python-venv.sh: jubilant 1.14.0, pytest-jubilant 2.3.0). Prints each
# suite's wall time.
set -euo pipefail
cd "$(dirname "$0")/.."

suites=("$@")
[[ ${#suites[@]} -gt 0 ]] || suites=(demo webapp store)

out=target/integration
mkdir -p "$out"
cargo build -q -p cargo-charm
cargo_charm=target/debug/cargo-charm
DEMO_CHARM=$(realpath "$($cargo_charm pack -q -p demo-charm -o "$out/charms")")
WEBAPP_CHARM=$(realpath "$($cargo_charm pack -q --manifest-path examples/webapp/Cargo.toml -o "$out/charms")")
FAKE_POSTGRESQL_CHARM=$(realpath "$($cargo_charm pack -q --manifest-path fixtures/fake-postgresql/Cargo.toml -o "$out/charms")")
export DEMO_CHARM WEBAPP_CHARM FAKE_POSTGRESQL_CHARM
# The Charmhub stand-in: `juju deploy postgresql-k8s` deploys the fake provider.
export CARGO_CHARM_CHARMHUB="postgresql-k8s=$FAKE_POSTGRESQL_CHARM"

# The simulator's juju, first on PATH; its models under a fresh juju home.
$cargo_charm juju-shim "$out/bin" >/dev/null 2>&1
export PATH="$PWD/$out/bin:$PATH"
export CARGO_CHARM_JUJU_HOME="$PWD/$out/juju"
rm -rf "$CARGO_CHARM_JUJU_HOME"
test "$(command -v juju)" = "$PWD/$out/bin/juju" || { echo "juju on PATH is $(command -v juju)" >&2; exit 1; }

for suite in "${suites[@]}"; do
    start=$(date +%s%N)
    # Only the pytest-jubilant plugin: the venv's craft-application registers a pytest plugin
    # that takes seconds to import.
    PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 .venv/bin/python -m pytest -q -p no:cacheprovider \
        -p pytest_jubilant._main "tests/integration/test_$suite.py"
    ms=$((($(date +%s%N) - start) / 1000000))
    printf 'integration suite %s: %d.%03d s\n' "$suite" $((ms / 1000)) $((ms % 1000))
done
