#!/usr/bin/env python3
"""Per-event cost of the demo charm and of the tutorial's ops charm, through `cargo charm sim`.

Run by tools/bench.sh (which builds what it needs); prints one JSON document on stdout.

For each side (the packed Rust demo, the ops 3.9.0 fixture charm) a model with 2 units is
deployed and related to a database provider that has sent its endpoint and credentials
(so every event runs the whole "active" path). Then each event is dispatched `--runs`
times after `--warmup` runs, the two sides alternating (which side goes first alternates
too); the simulator's own per-hook record (`-v`: wall time of the charm process, hook-tool
calls) is what is kept. Per event: the median wall time, the calls, and the peak RSS of the
charm's process tree (a second pass with `dispatch` wrapped in GNU time: its `%M` is the
largest of the charm process and the hook tools it ran, which wait4 reports together).

The floor: the same simulator running, as `dispatch`, a trivial static binary (`int
main(){return 0;}`), plus the event's hook-tool calls times the measured cost of one call (a
static C `dispatch` spawning `is-leader` 20 times, minus the same calling it 0 times, over
20), plus the event's Pebble requests times the measured cost of one request (a static C
`dispatch` of a charm with a container sending 20 `GET /v1/system-info` requests, one
connection each, to the container's Pebble socket, minus the same sending none, over 20).
The Pebble requests of each event are counted in a separate, untimed pass: `dispatch` run
with an LD_PRELOAD shim (built here with gcc) that counts `connect` calls to a
`pebble.socket` (both charms open one connection per request).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

LEADER = "demo-api-charm/0"
FOLLOWER = "demo-api-charm/1"

# (label, sim arguments, which hooks of the command count: a (unit, hook label) filter or
# None for every hook the command ran)
EVENTS = [
    ("install", ["dispatch", LEADER, "install"], (LEADER, "install")),
    ("leader-elected", ["dispatch", LEADER, "leader-elected"], (LEADER, "leader-elected")),
    ("config-changed", ["dispatch", LEADER, "config-changed"], (LEADER, "config-changed")),
    ("start (leader)", ["dispatch", LEADER, "start"], (LEADER, "start")),
    ("start (non-leader)", ["dispatch", FOLLOWER, "start"], (FOLLOWER, "start")),
    ("update-status", ["dispatch", LEADER, "update-status"], (LEADER, "update-status")),
    (
        "demo-server-pebble-ready",
        ["dispatch", LEADER, "demo-server-pebble-ready"],
        (LEADER, "demo-server-pebble-ready"),
    ),
    (
        "database-relation-changed",
        ["dispatch", LEADER, "database-relation-changed"],
        (LEADER, "database-relation-changed (postgresql-k8s/0)"),
    ),
    ("pod churn (delete-pod, all hooks)", ["delete-pod", FOLLOWER], None),
]

HOOK_LINE = re.compile(
    r"^\s+(?P<unit>\S+)\s+(?P<label>.+?)\s+exit (?P<code>-?\d+)\s+(?P<ms>[\d.]+) ms\s+(?P<calls>\d+) tool call\(s\)$"
)

STATIC_FLOOR_C = "int main(void) { return 0; }\n"
FLOOR_METADATA = "name: floor\nsummary: floor\ndescription: floor\n"
# The cheapest caller of a hook tool: a static C program spawning `is-leader` N times.
CALLS_C = r"""#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
extern char **environ;
int main(void) {
    char *argv[] = {"is-leader", "--format=json", 0};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
    for (int i = 0; i < %d; i++) {
        pid_t pid;
        int st;
        if (posix_spawnp(&pid, "is-leader", &fa, 0, argv, environ) != 0) return 1;
        if (waitpid(pid, &st, 0) < 0 || st != 0) return 1;
    }
    return 0;
}
"""
PER_CALL_N = 20
# The cheapest Pebble client: a static C program sending N requests to its container's
# Pebble, one connection each (as the charms do), reading each reply to the end.
PEBBLE_C = r"""#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
int main(void) {
    const char *dir = getenv("CHARM_CONTAINERS_DIR");
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strcpy(addr.sun_path, dir && *dir ? dir : "/charm/containers");
    strcat(addr.sun_path, "/c/pebble.socket");
    const char req[] = "GET /v1/system-info HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    char buf[4096];
    for (int i = 0; i < %d; i++) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) return 1;
        if (write(fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1)) return 1;
        long got = 0, n;
        while ((n = read(fd, buf, sizeof buf)) > 0) got += n;
        close(fd);
        if (got == 0) return 1;
    }
    return 0;
}
"""
# Counts the connects to a Pebble socket of the process (and what it runs) into $COUNT_FILE.
CONNECT_SHIM_C = r"""#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
int connect(int fd, const struct sockaddr *addr, socklen_t len) {
    static int (*real)(int, const struct sockaddr *, socklen_t);
    if (!real) real = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "connect");
    const char *out = getenv("COUNT_FILE");
    if (out && addr && addr->sa_family == AF_UNIX &&
        strstr(((const struct sockaddr_un *)addr)->sun_path, "pebble.socket")) {
        FILE *f = fopen(out, "a");
        if (f) { fputs("pebble\n", f); fclose(f); }
    }
    return real(fd, addr, len);
}
"""
PEBBLE_METADATA = (
    "name: floor\nsummary: floor\ndescription: floor\ncontainers:\n  c:\n    resource: img\n"
    "resources:\n  img:\n    type: oci-image\n    description: floor\n"
)


class Sim:
    def __init__(self, cargo_charm, state):
        self.cc = str(cargo_charm)
        self.state = str(state)

    def run(self, *args, verbose=False):
        cmd = [self.cc, "sim", *args, "--state", self.state]
        cmd.append("-v" if verbose else "-q")
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
        return out

    def hooks(self, *args):
        """Runs a hook-running command; returns [(unit, label, exit, ms, calls)]."""
        err = self.run(*args, verbose=True).stderr
        rows = []
        for line in err.splitlines():
            m = HOOK_LINE.match(line)
            if m:
                rows.append(
                    (m["unit"], m["label"], int(m["code"]), float(m["ms"]), int(m["calls"]))
                )
        if not rows:
            sys.exit(f"bench: no hook ran for sim {args}:\n{err}")
        return rows

    def destroy(self):
        if Path(self.state).exists():
            subprocess.run([self.cc, "sim", "destroy", "--state", self.state, "-q"])


def select(rows, which):
    chosen = [r for r in rows if which is None or (r[0], r[1]) == which]
    if not chosen:
        sys.exit(f"bench: no hook matched {which} in {rows}")
    for r in chosen:
        if r[2] != 0:
            sys.exit(f"bench: hook {r} failed")
    return sum(r[3] for r in chosen), sum(r[4] for r in chosen), len(chosen)


def deploy_story(sim, charm):
    sim.destroy()
    sim.run("deploy", str(charm), "-n", "2")
    sim.run("relate", "database", "postgresql-k8s")
    cmd = [sim.cc, "sim", "add-secret", "postgresql-k8s", "username=relation-1",
           "password=bench-pw", "--state", sim.state]
    secret = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    sim.run("set-data", "database", "postgresql-k8s", "endpoints=10.1.0.5:5432",
            f"secret-user={secret}")


def wrap_dispatch(state, rss_file, wrapper=None):
    """Wraps `dispatch` of the pristine charm and of every unit's copy in GNU time (or in
    `wrapper`, a command line to put before `./dispatch.real`)."""
    # The pristine copies (charms/<app>; `charm` before several applications) and each
    # unit's copy, which a churned pod gets afresh from the pristine one.
    root = Path(state)
    dirs = [d for d in [root / "charm", *sorted((root / "charms").glob("*"))] if d.is_dir()]
    dirs += sorted((root / "units").glob("*/charm"))
    for d in dirs:
        real = d / "dispatch.real"
        if not real.exists():
            (d / "dispatch").rename(real)
        w = d / "dispatch"
        run = wrapper or f"/usr/bin/time -a -o {rss_file} -f %M"
        w.write_text(f"#!/bin/sh\nexec {run} ./dispatch.real\n")
        w.chmod(0o755)


def floor_charm(root, name, dispatch_bytes, executable_c=None, metadata=FLOOR_METADATA):
    d = root / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    (d / "metadata.yaml").write_text(metadata.replace("floor", name))
    if executable_c is not None:
        src = root / f"{name}.c"
        src.write_text(executable_c)
        subprocess.run(["gcc", "-O2", "-static", "-o", str(d / "dispatch"), str(src)], check=True)
    else:
        (d / "dispatch").write_text(dispatch_bytes)
        (d / "dispatch").chmod(0o755)
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cargo-charm", required=True)
    ap.add_argument("--rust-charm", required=True, help="the packed demo .charm")
    ap.add_argument("--python-charm", required=True, help="fixtures/tutorial-charm")
    ap.add_argument("--work", required=True, help="scratch directory")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()
    work = Path(a.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()

    sides = {
        "rust": Sim(a.cargo_charm, work / "rust"),
        "ops": Sim(a.cargo_charm, work / "ops"),
    }
    charms = {"rust": a.rust_charm, "ops": a.python_charm}
    for name, sim in sides.items():
        deploy_story(sim, charms[name])

    # The floor's charms, measured in the same rounds as the two sides.
    floors = work / "floor"
    floors.mkdir(exist_ok=True)
    floor_sims = {}
    for name, c_source, meta in [
        ("static", STATIC_FLOOR_C, FLOOR_METADATA),
        ("calls0", CALLS_C % 0, FLOOR_METADATA),
        (f"calls{PER_CALL_N}", CALLS_C % PER_CALL_N, FLOOR_METADATA),
        ("pebble0", PEBBLE_C % 0, PEBBLE_METADATA),
        (f"pebble{PER_CALL_N}", PEBBLE_C % PER_CALL_N, PEBBLE_METADATA),
    ]:
        fs = Sim(a.cargo_charm, floors / f"{name}-state")
        fs.destroy()
        fs.run("deploy", str(floor_charm(floors, name, None, c_source, meta)))
        floor_sims[name] = fs
    floor_ms = {name: [] for name in floor_sims}

    # Warm-up, then the measured runs, alternating sides and which side goes first.
    results = {name: {label: [] for label, _, _ in EVENTS} for name in sides}
    order = list(sides)
    for r in range(a.warmup + a.runs):
        for label, args, which in EVENTS:
            for name in order if r % 2 == 0 else reversed(order):
                sample = select(sides[name].hooks(*args), which)
                if r >= a.warmup:
                    results[name][label].append(sample)
        for name, fs in floor_sims.items():
            unit = f"{name}/0"
            ms = select(fs.hooks("dispatch", unit, "update-status"), (unit, "update-status"))[0]
            if r >= a.warmup:
                floor_ms[name].append(ms)

    # Peak RSS: one more pass with dispatch wrapped in GNU time.
    rss = {name: {} for name in sides}
    for name, sim in sides.items():
        rss_file = work / f"{name}.rss"
        wrap_dispatch(sim.state, rss_file)
        for label, args, which in EVENTS:
            rss_file.write_text("")
            sim.hooks(*args)
            vals = [int(x) for x in rss_file.read_text().split() if x.isdigit()]
            rss[name][label] = max(vals) if vals else None

    # Pebble requests per event: one more pass with dispatch counting its connects.
    shim_src = work / "connect_shim.c"
    shim_src.write_text(CONNECT_SHIM_C)
    shim = work / "connect_shim.so"
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(shim), str(shim_src), "-ldl"],
                   check=True)
    pebble_requests = {name: {} for name in sides}
    for name, sim in sides.items():
        count = work / f"{name}.pebble"
        wrap_dispatch(sim.state, None, f"env LD_PRELOAD={shim} COUNT_FILE={count}")
        for label, args, which in EVENTS:
            count.write_text("")
            sim.hooks(*args)
            pebble_requests[name][label] = len(count.read_text().split())

    exec_ms = statistics.median(floor_ms["static"])
    per_call_ms = (
        statistics.median(floor_ms[f"calls{PER_CALL_N}"]) - statistics.median(floor_ms["calls0"])
    ) / PER_CALL_N
    per_pebble_ms = (
        statistics.median(floor_ms[f"pebble{PER_CALL_N}"]) - statistics.median(floor_ms["pebble0"])
    ) / PER_CALL_N
    for fs in floor_sims.values():
        fs.destroy()
    # One hook tool's own peak RSS (it is in the process-tree figure of every charm).
    tool_rss_file = floors / "tool.rss"
    tool_rss_file.write_text("")
    tool = floor_charm(
        floors, "toolrss",
        f"#!/bin/sh\n/usr/bin/time -a -o {tool_rss_file} -f %M is-leader --format=json >/dev/null\n",
    )
    s = Sim(a.cargo_charm, floors / "toolrss-state")
    s.destroy()
    s.run("deploy", str(tool))
    s.hooks("dispatch", "toolrss/0", "update-status")
    tool_rss = max(int(x) for x in tool_rss_file.read_text().split() if x.isdigit())
    s.destroy()

    out = {
        "runs": a.runs,
        "warmup": a.warmup,
        "exec_static_ms": exec_ms,
        "per_call_ms": per_call_ms,
        "per_pebble_ms": per_pebble_ms,
        "tool_peak_rss_kb": tool_rss,
        "events": [],
        "seconds": None,
    }
    for label, _, _ in EVENTS:
        row = {"event": label}
        for name in sides:
            samples = results[name][label]
            wall = statistics.median(s[0] for s in samples)
            calls = statistics.median(s[1] for s in samples)
            hooks = samples[0][2]
            pebble = pebble_requests[name][label]
            floor = hooks * exec_ms + calls * per_call_ms + pebble * per_pebble_ms
            row[name] = {
                "wall_ms": wall,
                "calls": calls,
                "pebble_requests": pebble,
                "hooks": hooks,
                "peak_rss_kb": rss[name][label],
                "floor_ms": floor,
                "vs_floor": wall / floor if floor else None,
            }
        out["events"].append(row)
    for sim in sides.values():
        sim.destroy()
    out["seconds"] = time.time() - started
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
