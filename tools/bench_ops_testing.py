#!/usr/bin/env python3
"""The ops.testing side of the harness benchmark (tools/bench.sh runs it).

A Python ops charm with the demo charm's counter and collect-status logic (demo-charm/src/lib.rs),
run in ops.testing (ops 3.9.0, ops-scenario 8.9.0): the leader's `start` with the peer relation
`fastapi-peer` holding `unit_stats = {"started_counter": 5}`; every run must produce 6.

Prints one JSON line: {"side": "ops.testing", "runs": N, "seconds": S, "runs_per_sec": R, ...}.

Usage: .venv/bin/python tools/bench_ops_testing.py [--seconds S]
"""

import argparse
import importlib.metadata
import json
import logging
import platform
import sys
import time

import ops
from ops import testing

PEER = "fastapi-peer"
logger = logging.getLogger(__name__)

META = {
    "name": "demo-api-charm",
    "containers": {"demo-server": {"resource": "demo-server-image"}},
    "resources": {"demo-server-image": {"type": "oci-image"}},
    "peers": {PEER: {"interface": "fastapi_demo_peers"}},
    "requires": {"database": {"interface": "postgresql_client", "limit": 1}},
}
CONFIG = {"options": {"server-port": {"type": "int", "default": 8000}}}
ACTIONS = {
    "get-db-info": {
        "params": {"show-password": {"type": "boolean", "default": False}},
    }
}


class DemoCharm(ops.CharmBase):
    """The demo's `start` counter and collect-status (config, database, Pebble), as in
    demo-charm/src/lib.rs."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._count)
        framework.observe(self.on.collect_unit_status, self._on_collect_status)

    def _count(self, event: ops.StartEvent):
        peers = self.model.get_relation(PEER)
        if peers is None:
            logger.warning("fastapi-peer does not exist yet; this start is not counted")
            return
        bag = peers.data[self.app] if self.unit.is_leader() else peers.data[self.unit]
        raw = bag.get("unit_stats")
        stats = json.loads(raw) if raw else {}
        counter = int(str(stats.get("started_counter", 0)))
        bag["unit_stats"] = json.dumps({"started_counter": counter + 1})

    def _database_info(self):
        rel = self.model.get_relation("database")
        if rel is None:
            return None
        data = rel.data[rel.app]
        if not all(k in data for k in ("endpoints", "username", "password")):
            return None
        host, _, port = data["endpoints"].split(",")[0].strip().rpartition(":")
        return host, port, data["username"], data["password"]

    def _on_collect_status(self, event: ops.CollectStatusEvent):
        if self.config["server-port"] == 22:
            event.add_status(ops.BlockedStatus("Invalid port number, 22 is reserved for SSH"))
        if self.model.get_relation("database") is None:
            event.add_status(ops.BlockedStatus("Waiting for database relation"))
        elif self._database_info() is None:
            event.add_status(ops.WaitingStatus("Waiting for database relation"))
        try:
            service = self.unit.get_container("demo-server").get_service("fastapi-service")
            if not service.is_running():
                event.add_status(ops.MaintenanceStatus("Waiting for the service to start up"))
        except (ops.ModelError, ops.pebble.ConnectionError):
            event.add_status(ops.MaintenanceStatus("Waiting for Pebble in workload container"))
        event.add_status(ops.ActiveStatus())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to measure")
    args = parser.parse_args()

    ctx = testing.Context(DemoCharm, meta=META, config=CONFIG, actions=ACTIONS)
    peers = testing.PeerRelation(PEER, local_app_data={"unit_stats": '{"started_counter": 5}'})
    # The container exists but Pebble is not up yet (both sides), so collect-status asks it.
    container = testing.Container("demo-server", can_connect=False)
    state_in = testing.State(leader=True, relations={peers}, containers={container})

    def once():
        out = ctx.run(ctx.on.start(), state_in)
        got = out.get_relation(peers.id).local_app_data["unit_stats"]
        if got != '{"started_counter": 6}':
            raise SystemExit(f"wrong result: {got!r}")
        if out.unit_status != ops.BlockedStatus("Waiting for database relation"):
            raise SystemExit(f"wrong status: {out.unit_status!r}")

    for _ in range(20):  # warm up
        once()
    runs = 0
    start = time.perf_counter()
    deadline = start + args.seconds
    while True:
        once()
        runs += 1
        now = time.perf_counter()
        if now >= deadline:
            break
    seconds = now - start
    print(
        json.dumps(
            {
                "side": "ops.testing",
                "runs": runs,
                "seconds": round(seconds, 3),
                "runs_per_sec": round(runs / seconds, 1),
                "python": platform.python_version(),
                "ops": ops.__version__,
                "ops_scenario": importlib.metadata.version("ops-scenario"),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
