#!/usr/bin/env bash
# Benchmark: the state-transition test harness (charm_testing) against ops.testing.
#
# Runs the same test on both sides, in one invocation: the demo charm's `start` as the
# leader with the peer relation `fastapi-peer` holding {"started_counter": 5}, asserting
# the counter becomes 6 and the unit is blocked waiting for the database.
#   - Rust:   demo-charm/examples/bench_harness.rs (release build)
#   - Python: tools/bench_ops_testing.py, an ops charm with the same counter and
#             collect-status logic, in ops.testing (ops 3.9.0, ops-scenario 8.9.0, in the
#             venv tools/python-venv.sh creates)
# Each side runs ROUNDS times for SECONDS seconds, alternating; the median runs/s of each
# side and their ratio are written to BENCHMARKS.md (with the machine and the date).
#
# Usage: bash tools/bench.sh [SECONDS] [ROUNDS]     (defaults: 5 seconds, 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${1:-5}"
ROUNDS="${2:-3}"

echo "==> Python venv (ops 3.9.0, ops-scenario 8.9.0)" >&2
PY="$(bash tools/python-venv.sh | tail -n 1)"

echo "==> building the Rust side (release)" >&2
cargo build --release -q -p demo-charm --example bench_harness
BIN="$(cargo metadata --format-version 1 --no-deps | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/examples/bench_harness"

results=()
for round in $(seq 1 "$ROUNDS"); do
    echo "==> round $round/$ROUNDS: charm-testing (${SECS}s)" >&2
    results+=("$("$BIN" --seconds "$SECS")")
    echo "==> round $round/$ROUNDS: ops.testing (${SECS}s)" >&2
    results+=("$("$PY" tools/bench_ops_testing.py --seconds "$SECS")")
done

CPU="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
NPROC="$(nproc)"
DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
RUSTC="$(rustc --version)"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT
printf '%s\n' "${results[@]}" >"$RESULTS"

"$PY" - "$RESULTS" "$CPU" "$NPROC" "$DATE" "$RUSTC" "$SECS" "$ROUNDS" "$LOAD" <<'EOF'
import json, statistics, sys

path, cpu, nproc, date, rustc, secs, rounds, load = sys.argv[1:9]
with open(path) as f:
    rows = [json.loads(line) for line in f if line.strip()]
by_side = {}
for r in rows:
    by_side.setdefault(r["side"], []).append(r)
rust = by_side["charm-testing"]
py = by_side["ops.testing"]
rust_rps = statistics.median(r["runs_per_sec"] for r in rust)
py_rps = statistics.median(r["runs_per_sec"] for r in py)
ratio = rust_rps / py_rps
verdict = "meets" if ratio >= 100 else "MISSES"

def per_run(rps):
    us = 1e6 / rps
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.1f} µs"

def each(side):
    return ", ".join(f'{r["runs_per_sec"]:,.0f}' for r in side)

md = f"""# Benchmarks

## State-transition tests: `charm_testing` vs `ops.testing`

The same test on both sides: the demo charm's `start` as the leader, with the peer relation
`fastapi-peer` holding `unit_stats = {{"started_counter": 5}}`; each run asserts the counter
became 6 and the unit status is `blocked: Waiting for database relation`. The context and the
input state are built once; each run is one `run(start, state)` plus the assertions.

- Rust: [`demo-charm/examples/bench_harness.rs`](demo-charm/examples/bench_harness.rs), the
  real demo charm through `charm_runtime::dispatch` and the in-memory Juju (release build).
- Python: [`tools/bench_ops_testing.py`](tools/bench_ops_testing.py), an ops charm with the
  same counter and collect-status logic, in `ops.testing` (ops {py[0].get("ops", "?")},
  ops-scenario {py[0].get("ops_scenario", "?")}, Python {py[0].get("python", "?")}).

Command (one invocation runs both sides, alternating, {rounds} rounds of {secs} s each; the
table gives the median):

```sh
bash tools/bench.sh {secs} {rounds}
```

| | runs/s (median) | per run | rounds (runs/s) |
|---|---:|---:|---|
| `charm_testing` | {rust_rps:,.0f} | {per_run(rust_rps)} | {each(rust)} |
| `ops.testing` | {py_rps:,.1f} | {per_run(py_rps)} | {each(py)} |

**Ratio: {ratio:,.0f}× faster** than `ops.testing` ({verdict} the 100× target).

Machine: {nproc} CPUs, {cpu} (from `/proc/cpuinfo`); {rustc}; load average when the
measurement ended: {load}. Date: {date}.
"""
with open("BENCHMARKS.md", "w") as f:
    f.write(md)
print(md)
EOF
