# The demo charm (demo-api-charm, the Rust port of the juju-sdk-tutorial-k8s charm): deploy the
# packed .charm with 2 units and its OCI image resource, check it waits for its database, and
# that its started counter survives pod churn.

import json
import logging
import pathlib

import jubilant
import pytest
import yaml

logger = logging.getLogger(__name__)

ROOT = pathlib.Path(__file__).resolve().parents[2]
METADATA = yaml.safe_load((ROOT / "charmcraft.yaml").read_text())
APP_NAME = METADATA["name"]


def started_counter(juju: jubilant.Juju, unit: str) -> int:
    """The leader's count of workload starts, from the peer relation's application bag."""
    info = juju.show_unit(unit)
    (peer,) = [r for r in info.relation_info if r.endpoint == "fastapi-peer"]
    return json.loads(peer.app_data["unit_stats"])["started_counter"]


@pytest.mark.juju_setup
def test_deploy(demo_charm: pathlib.Path, juju: jubilant.Juju):
    """Deploy the charm; without a database it is blocked."""
    resources = {
        "demo-server-image": METADATA["resources"]["demo-server-image"]["upstream-source"]
    }
    juju.deploy(demo_charm, app=APP_NAME, num_units=2, resources=resources)
    status = juju.wait(jubilant.all_blocked)
    app = status.apps[APP_NAME]
    assert app.scale == 2
    assert app.charm_name == APP_NAME
    assert app.app_status.message == "Waiting for database relation"
    leaders = [name for name, unit in app.units.items() if unit.leader]
    assert leaders == [f"{APP_NAME}/0"]
    assert all(unit.open_ports == ["8000/tcp"] for unit in app.units.values())


def test_action_needs_a_database(juju: jubilant.Juju):
    """get-db-info fails as the charm says while no database is related."""
    with pytest.raises(jubilant.TaskError) as e:
        juju.run(f"{APP_NAME}/leader", "get-db-info")
    assert e.value.task.status == "failed"
    assert e.value.task.message == "No database connected"


def test_config(juju: jubilant.Juju):
    """Config reads back typed, and a change reaches every unit's opened port."""
    assert juju.config(APP_NAME)["server-port"] == 8000
    juju.config(APP_NAME, {"server-port": 8080})
    juju.wait(
        lambda status: all(
            u.open_ports == ["8080/tcp"] for u in status.apps[APP_NAME].units.values()
        )
    )
    juju.config(APP_NAME, reset="server-port")
    assert juju.config(APP_NAME)["server-port"] == 8000


def test_started_counter_after_pod_churn(juju: jubilant.Juju, sim):
    """Deleting the leader's pod restarts the workload: the counter in the peer bag moves."""
    before = started_counter(juju, f"{APP_NAME}/0")
    assert before >= 1
    assert juju.model is not None
    sim(juju.model, "delete-pod", f"{APP_NAME}/0")  # kubectl delete pod, on a cluster
    juju.wait(jubilant.all_blocked)
    assert started_counter(juju, f"{APP_NAME}/0") == before + 1


def test_scale(juju: jubilant.Juju):
    """Units come and go as on Kubernetes."""
    juju.add_unit(APP_NAME)
    juju.wait(lambda status: len(status.apps[APP_NAME].units) == 3)
    juju.remove_unit(APP_NAME, num_units=1)
    status = juju.wait(lambda status: len(status.apps[APP_NAME].units) == 2)
    assert sorted(status.apps[APP_NAME].units) == [f"{APP_NAME}/0", f"{APP_NAME}/1"]


def test_debug_log(juju: jubilant.Juju):
    """The units' log lines are there, as `juju debug-log` prints them."""
    log = juju.debug_log(limit=1000)
    assert f"unit-{APP_NAME}-0: " in log
