#!/usr/bin/env python3
"""Writes BENCHMARKS.md from what tools/bench.sh measured (see that script)."""

import argparse
import json
import os
import platform
import statistics
import subprocess
import time


def kib(n):
    return f"{n / 1024:,.0f} KiB" if n is not None else "–"


def mib(kb):
    return f"{kb / 1024:.1f} MiB" if kb is not None else "–"


# The analysis of the targets not met, from the profiles taken when this was written
# (2026-11-30): see the commits that changed it.
GAPS = open(__file__.replace("bench_report.py", "bench_gaps.md")).read()
# The simulator's scale figures (`deploy -n 50`, `delete-pod` after 10 and 1,000 events),
# measured by tools/sim_scale_bench.py, which takes minutes more than this run: kept as
# written when they were measured.
SCALE = open(__file__.replace("bench_report.py", "bench_scale.md")).read()


def main():
    ap = argparse.ArgumentParser()
    for a in ["--sim", "--harness", "--build", "--dispatch-bytes", "--charm-bytes",
              "--ops-size", "--command", "--seconds", "--out"]:
        ap.add_argument(a, required=True)
    a = ap.parse_args()
    sim = json.load(open(a.sim))
    rows = [json.loads(line) for line in open(a.harness) if line.strip()]
    build = json.loads(a.build)
    ops_size = json.loads(a.ops_size)
    dispatch_bytes, charm_bytes = int(a.dispatch_bytes), int(a.charm_bytes)

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    rust = [r for r in rows if r["side"] == "charm-testing"]
    py = [r for r in rows if r["side"] == "ops.testing"]
    rust_rps = statistics.median(r["runs_per_sec"] for r in rust)
    py_rps = statistics.median(r["runs_per_sec"] for r in py)

    def per_run(rps):
        us = 1e6 / rps
        return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.1f} µs"

    ev = []
    for e in sim["events"]:
        r, o = e["rust"], e["ops"]
        ev.append(
            f"| {e['event']} | {r['wall_ms']:.1f} | {o['wall_ms']:.1f} | "
            f"**{o['wall_ms'] / r['wall_ms']:.0f}×** | {r['calls']:g} | {o['calls']:g} | "
            f"{r['pebble_requests']} | {o['pebble_requests']} | "
            f"{mib(r['peak_rss_kb'])} | {mib(o['peak_rss_kb'])} | {r['floor_ms']:.1f} | "
            f"{r['vs_floor']:.2f}× | {o['vs_floor']:.1f}× |"
        )
    ratios = [e["ops"]["wall_ms"] / e["rust"]["wall_ms"] for e in sim["events"]]
    worst_floor = max(e["rust"]["vs_floor"] for e in sim["events"])

    build_md = "Not measured in the quick run."
    if build:
        build_md = (
            f"| cold `cargo build --release -p demo-charm` (empty target directory) | "
            f"{build['cold_s']:.0f} s |\n"
            f"| incremental (after touching `demo-charm/src/lib.rs`) | "
            f"{build['incremental_s']:.1f} s |\n"
            f"| incremental `cargo charm pack -p demo-charm` (release + the dev build "
            f"it reads the metadata from) | {build['incremental_pack_s']:.1f} s |"
        )
        build_md = "| | wall time |\n|---|---:|\n" + build_md

    md = f"""# Benchmarks

Everything below comes from one command, which measures both sides in the same run:

```sh
{a.command}
```

Machine: {os.cpu_count()} CPUs, {cpu}; {rustc}; load average when it ended: {load}
(the machine is shared: other builds were running). Date: {date}. The run took
{int(a.seconds) // 60} min {int(a.seconds) % 60} s.

## Headlines

- Per event, through the simulator: the Rust demo is **{min(ratios):.0f}–{max(ratios):.0f}×
  faster** than the same charm in ops 3.9.0, and at most **{worst_floor:.2f}×** its floor.
- State-transition tests: `charm_testing` runs **{rust_rps / py_rps:,.0f}×** as many tests a
  second as `ops.testing`.
- `.charm`: **{kib(charm_bytes)}** (dispatch binary {kib(dispatch_bytes)}) against
  {kib(ops_size['bytes'])} for the ops charm with its venv.

## Per event, through the simulator

Both charms deployed with 2 units (`cargo charm sim deploy`), related to a database
provider that has sent its endpoint and credentials, so every event takes the charm's full
"active" path (Pebble plan, secret, status). Each event is dispatched with `cargo charm sim
dispatch` (`delete-pod` for the churn), the two sides alternating, median of
{sim['runs']} runs after {sim['warmup']} warm-up runs
([`tools/bench_sim.py`](tools/bench_sim.py)). Wall time is the simulator's own record of the
charm process (fork to exit, the hook tools it runs included); calls are hook-tool calls;
Pebble requests are the requests the charm sent to its container's Pebble (counted in an
untimed pass by an LD_PRELOAD shim counting `connect`s to a `pebble.socket`: both charms
open one connection per request).

The floor is what the simulator cannot go below for the event: exec of a trivial static
binary as `dispatch` ({sim['exec_static_ms']:.2f} ms, measured the same way), plus the
event's hook-tool calls times the measured cost of one call ({sim['per_call_ms']:.2f} ms: a
static C `dispatch` spawning `is-leader` 20 times against 0 times; the simulator's tool is
a process that loads and saves the dispatch's state, as Juju's `jujuc` is a process that
asks the unit agent), plus the event's Pebble requests times the measured cost of one
request ({sim['per_pebble_ms']:.2f} ms: a static C `dispatch` sending 20 `GET
/v1/system-info` requests to its container's Pebble against 0, one connection each). The
Rust charm's requests are the ones its semantics need (collect-status reads the services;
a plan change is a layer and a replan), so they count like its tool calls. A pod churn's
floor counts one exec per hook. Peak RSS is GNU time's `%M` for `dispatch`, which
counts the largest of the charm process and the hook tools it waited for (one hook tool
alone peaks at {mib(sim['tool_peak_rss_kb'])}, so a smaller charm shows as that).

| event | Rust ms | ops ms | ops/Rust | Rust calls | ops calls | Rust Pebble requests | ops Pebble requests | Rust peak RSS | ops peak RSS | floor ms | Rust/floor | ops/floor |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
{chr(10).join(ev)}


## The calls of `start` (leader, database ready), and why each is needed

No call is repeated within a dispatch: the runtime caches each read for the dispatch
(`config-get`, `is-leader`, `relation-ids`, `relation-get` per bag, `secret-get` per
secret, the Pebble plan), writes are staged and committed once at the end, and an event
with neither a handler nor a collect-status handler makes no call at all
(`charm-runtime` dispatch tests). The demo's `start`, as the simulator records it:

| # | call | why |
|---|---|---|
| 1 | `relation-ids fastapi-peer` | the peer relation's id: Juju gives it in the environment only in that relation's own hooks |
| 2 | `is-leader` | the leader counts in the application bag, others in their unit bag |
| 3 | `relation-get -r fastapi-peer:N --app - demo-api-charm` | the current counter (unit bag for a non-leader) |
| 4 | `config-get` | collect-status: `server-port` valid? |
| 5 | `relation-ids database` | collect-status: is there a database relation? |
| 6 | `relation-list --app -r database:N` | the remote application's name, to read its bag (Juju sets `JUJU_REMOTE_APP` only in that relation's hooks; ops makes the same call) |
| 7 | `relation-get -r database:N --app - postgresql-k8s` | the provider's endpoints and `secret-user` |
| 8 | `secret-get <uri> --label database.N.user.secret` | the credentials (the status says whether they are usable) |
| 9 | `relation-set -r fastapi-peer:N --app --file -` | the new counter, committed at the end |
| 10 | `status-set active ''` | the unit's status, from collect-status |

`configure` is not routed `start`, so `start` reaches Pebble only through collect-status's
`get_services`, which is an HTTP request on the container's socket, not a hook-tool call.

**Skipping a `status-set` equal to the last one this unit set** (measured: it would save
one call, {sim['per_call_ms']:.2f} ms in the simulator, on every steady-state event) is not adopted. The
charm would need to remember what it last set (a file in the charm directory, which lives as
long as the pod), and Juju changes a unit's status behind the charm's back: it sets
`maintenance: installing charm software` before `install`, shows `error` after a failed hook
and puts back the status it keeps after `juju resolve`, and anyone can run
`juju exec --unit U -- status-set ...`. After any of those a skipped `status-set` would leave
Juju showing a status the charm no longer means, until something else changes. Asking Juju
first (`status-get`) costs the same call it saves.

## Sizes

| | bytes |
|---|---:|
| dispatch binary (`cargo charm pack -p demo-charm`, stripped) | {dispatch_bytes:,} |
| demo `.charm` | {charm_bytes:,} |
| ops tutorial charm `.charm`, with its venv | {ops_size['bytes']:,} |

The ops charm cannot be packed by charmcraft here (it needs LXD, Multipass or
`--destructive-mode` on the charm's base), so
[`tools/bench_ops_charm_size.py`](tools/bench_ops_charm_size.py) rebuilds its layout: the
charm's files plus `venv/` with the installed files of its requirements' closure
({", ".join(ops_size['distributions'])}), deflated as charmcraft's zipfile does.

## State-transition tests: `charm_testing` vs `ops.testing`

The same test on both sides: the demo charm's `start` as the leader, with the peer relation
`fastapi-peer` holding `unit_stats = {{"started_counter": 5}}`; each run asserts the counter
became 6 and the unit status is `blocked: Waiting for database relation`. The context and the
input state are built once; each run is one `run(start, state)` plus the assertions.
Rust: [`demo-charm/examples/bench_harness.rs`](demo-charm/examples/bench_harness.rs);
Python: [`tools/bench_ops_testing.py`](tools/bench_ops_testing.py) (ops
{py[0].get("ops", "?")}, ops-scenario {py[0].get("ops_scenario", "?")}, Python
{py[0].get("python", "?")}). {len(rust)} round(s) per side, alternating; the median:

| | runs/s (median) | per run | rounds (runs/s) |
|---|---:|---:|---|
| `charm_testing` | {rust_rps:,.0f} | {per_run(rust_rps)} | {", ".join(f"{r['runs_per_sec']:,.0f}" for r in rust)} |
| `ops.testing` | {py_rps:,.1f} | {per_run(py_rps)} | {", ".join(f"{r['runs_per_sec']:,.0f}" for r in py)} |

**Ratio: {rust_rps / py_rps:,.0f}×.**

{GAPS}
## Build times

{build_md}

{SCALE}"""
    with open(a.out, "w") as f:
        f.write(md)
    print(md)


if __name__ == "__main__":
    main()
