#!/usr/bin/env bash
# Runs every test of the project. On a fresh machine it first sets up what the tests need
# (the Python venv with ops and charmcraft used as real validators). Any missing piece
# fails loudly; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Python venv with ops 3.9.0, ops-scenario 8.9.0, charmcraft 4.5.0"
bash tools/python-venv.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (unit, end-to-end, trybuild, doctests)"
cargo test --workspace

step "charmcraft.yaml accepted by charmcraft 4.5.0 and read by ops 3.9.0"
.venv/bin/python tools/validate_charmcraft.py charmcraft.yaml

step "all tests passed"
