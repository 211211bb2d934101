# The demo charm (demo-api-charm, the Rust port of the juju-sdk-tutorial-k8s charm): deploy the
# packed .charm with 2 units and its OCI image resource, integrate it with a PostgreSQL
# provider (fixtures/fake-postgresql, deployed as postgresql-k8s), read the database through
# its action, follow its started counter through pod churn, and remove the relation.

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
DB_APP = "postgresql-k8s"


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


@pytest.mark.juju_setup
def test_database_integration(fake_postgresql_charm: pathlib.Path, juju: jubilant.Juju):
    """Related to a PostgreSQL provider, every unit is active."""
    juju.deploy(fake_postgresql_charm, app=DB_APP, trust=True)
    juju.integrate(APP_NAME, DB_APP)
    status = juju.wait(jubilant.all_active)
    assert status.apps[APP_NAME].relations["database"][0].related_app == DB_APP
    assert status.apps[DB_APP].relations["database"][0].related_app == APP_NAME


def test_get_db_info(juju: jubilant.Juju):
    """The action reads the provider's answer: endpoints, and credentials on request."""
    task = juju.run(f"{APP_NAME}/leader", "get-db-info")
    assert task.results["db-host"] == f"{DB_APP}-primary.{juju.model}.svc.cluster.local"
    assert task.results["db-port"] == "5432"
    assert "db-password" not in task.results
    task = juju.run(f"{APP_NAME}/1", "get-db-info", {"show-password": True})
    assert task.results["db-username"].startswith("relation_id_")
    assert len(task.results["db-password"]) == 16


def test_relation_data(juju: jubilant.Juju):
    """show-unit: each side sees the other's application bag and units."""
    (db,) = [r for r in juju.show_unit(f"{APP_NAME}/0").relation_info if r.endpoint == "database"]
    assert db.related_endpoint == "database"
    assert db.app_data["endpoints"].endswith(":5432")
    assert sorted(db.related_units) == [f"{DB_APP}/0"]
    (req,) = [r for r in juju.show_unit(f"{DB_APP}/0").relation_info if r.endpoint == "database"]
    assert req.app_data["database"] == "names_db"
    assert sorted(req.related_units) == [f"{APP_NAME}/0", f"{APP_NAME}/1"]


def test_started_counter_after_pod_churn(juju: jubilant.Juju, sim):
    """Deleting the leader's pod restarts the workload: the counter in the peer bag moves."""
    before = started_counter(juju, f"{APP_NAME}/0")
    assert before >= 1
    assert juju.model is not None
    sim(juju.model, "delete-pod", f"{APP_NAME}/0")  # kubectl delete pod, on a cluster
    juju.wait(jubilant.all_active)
    assert started_counter(juju, f"{APP_NAME}/0") == before + 1


def test_remove_relation(juju: jubilant.Juju):
    """Without its database the charm is blocked again."""
    juju.remove_relation(APP_NAME, DB_APP)
    status = juju.wait(lambda status: jubilant.all_blocked(status, APP_NAME))
    assert status.apps[APP_NAME].app_status.message == "Waiting for database relation"
    assert "database" not in status.apps[APP_NAME].relations


def test_credentials_in_a_secret(juju: jubilant.Juju):
    """Credentials sent as a Juju secret reach the action too."""
    juju.config(DB_APP, {"credentials": "secret"})
    juju.integrate(f"{APP_NAME}:database", f"{DB_APP}:database")
    juju.wait(jubilant.all_active)
    task = juju.run(f"{APP_NAME}/leader", "get-db-info", {"show-password": True})
    (secret,) = [s for s in juju.secrets() if s.owner == DB_APP]
    revealed = juju.show_secret(secret.uri, reveal=True)
    assert isinstance(revealed, jubilant.RevealedSecret)
    assert revealed.content["password"] == task.results["db-password"]
    assert revealed.content["username"] == task.results["db-username"]


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
