#!/usr/bin/env bash
# The benchmark: the Rust demo against the tutorial's ops 3.9.0 charm, in one run, written
# to BENCHMARKS.md (with the command, machine, load average and date).
#
#   1. Sizes: the dispatch binary and the .charm `cargo charm pack -p demo-charm` writes;
#      the ops charm's .charm as charmcraft would pack it (tools/bench_ops_charm_size.py:
#      charmcraft cannot pack here, so its layout is rebuilt; that script says how).
#   2. Per event, through the simulator (tools/bench_sim.py): the packed demo and
#      fixtures/tutorial-charm, each deployed with 2 units and a ready database relation;
#      install, leader-elected, config-changed, start (leader and non-leader),
#      update-status, pebble-ready, relation-changed and a pod churn; sides alternating,
#      median of RUNS runs after WARMUP: wall time, hook-tool calls, peak RSS, the floor
#      (exec of a trivial static binary + calls x the measured cost of one call) and the
#      distance from it.
#   3. The state-transition harness: charm_testing against ops.testing (the demo's start
#      as the leader), ROUNDS rounds of SECONDS each, alternating.
#   4. Build times (full run only): a cold release build of the demo in an empty target
#      directory, then an incremental one after touching demo-charm/src/lib.rs, and an
#      incremental `cargo charm pack` (release + the dev build it reads metadata from).
#
# Usage: bash tools/bench.sh            (the full run, ~10 minutes; writes BENCHMARKS.md)
#        bash tools/bench.sh --quick    (3 runs, no build timing; writes
#                                        target/bench/BENCHMARKS.quick.md; tools/test.sh
#                                        runs it so the benchmark never rots. It asserts
#                                        nothing about time.)
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
if [[ "${1:-}" == "--quick" ]]; then
    QUICK=1
elif [[ $# -gt 0 ]]; then
    echo "usage: bash tools/bench.sh [--quick]" >&2
    exit 2
fi
if [[ $QUICK == 1 ]]; then
    RUNS=3 WARMUP=1 SECS=0.3 ROUNDS=1 OUT=target/bench/BENCHMARKS.quick.md
    CMD="bash tools/bench.sh --quick"
else
    RUNS=20 WARMUP=2 SECS=5 ROUNDS=3 OUT=BENCHMARKS.md
    CMD="bash tools/bench.sh"
fi
WORK=target/bench
mkdir -p "$WORK"
START=$(date +%s)

echo "==> Python venv (ops 3.9.0, ops-scenario 8.9.0)" >&2
PY="$(bash tools/python-venv.sh | tail -n 1)"

echo "==> building cargo-charm (release) and packing the demo" >&2
cargo build --release -q -p cargo-charm
TARGET="$(cargo metadata --format-version 1 --no-deps | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
CC="$TARGET/release/cargo-charm"
CHARM="$("$CC" pack -q -p demo-charm -o "$WORK")"
DISPATCH_BYTES="$(unzip -p "$CHARM" dispatch | wc -c)"
CHARM_BYTES="$(stat -c %s "$CHARM")"
OPS_SIZE="$("$PY" tools/bench_ops_charm_size.py fixtures/tutorial-charm "$WORK/ops-tutorial.charm")"

echo "==> per-event benchmark through the simulator ($RUNS runs after $WARMUP warm-up, alternating)" >&2
"$PY" tools/bench_sim.py --cargo-charm "$CC" --rust-charm "$CHARM" \
    --python-charm fixtures/tutorial-charm --work "$WORK/sim" \
    --runs "$RUNS" --warmup "$WARMUP" >"$WORK/sim.json"

echo "==> harness benchmark: charm_testing vs ops.testing ($ROUNDS x ${SECS}s each)" >&2
cargo build --profile bench-harness -q -p demo-charm --example bench_harness
: >"$WORK/harness.jsonl"
for round in $(seq 1 "$ROUNDS"); do
    "$TARGET/bench-harness/examples/bench_harness" --seconds "$SECS" >>"$WORK/harness.jsonl"
    "$PY" tools/bench_ops_testing.py --seconds "$SECS" >>"$WORK/harness.jsonl"
done

BUILD='{}'
if [[ $QUICK == 0 ]]; then
    echo "==> build times: cold, incremental, incremental pack" >&2
    COLD="$WORK/cold-target"
    rm -rf "$COLD"
    t0=$(date +%s.%N)
    CARGO_TARGET_DIR="$COLD" cargo build --release -q -p demo-charm
    t1=$(date +%s.%N)
    touch demo-charm/src/lib.rs
    CARGO_TARGET_DIR="$COLD" cargo build --release -q -p demo-charm
    t2=$(date +%s.%N)
    rm -rf "$COLD"
    touch demo-charm/src/lib.rs
    "$CC" pack -q -p demo-charm -o "$WORK" >/dev/null
    t3=$(date +%s.%N)
    BUILD="{\"cold_s\": $(echo "$t1 - $t0" | bc), \"incremental_s\": $(echo "$t2 - $t1" | bc), \"incremental_pack_s\": $(echo "$t3 - $t2" | bc)}"
fi

"$PY" tools/bench_report.py \
    --sim "$WORK/sim.json" --harness "$WORK/harness.jsonl" --build "$BUILD" \
    --dispatch-bytes "$DISPATCH_BYTES" --charm-bytes "$CHARM_BYTES" --ops-size "$OPS_SIZE" \
    --command "$CMD" --seconds "$(($(date +%s) - START))" --out "$OUT"
echo "==> wrote $OUT" >&2
