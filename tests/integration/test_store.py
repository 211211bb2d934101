# A test that deploys a store charm by name, exactly as canonical/operator's
# examples/k8s-3-postgresql/tests/integration/test_charm.py does. Against a real Juju it comes
# from Charmhub; against the simulator, its Charmhub stand-in maps postgresql-k8s to a local
# charm (tools/integration.sh: CARGO_CHARM_CHARMHUB=postgresql-k8s=<fake-postgresql .charm>).

import logging
import pathlib

import jubilant
import pytest
import yaml

logger = logging.getLogger(__name__)

ROOT = pathlib.Path(__file__).resolve().parents[2]
METADATA = yaml.safe_load((ROOT / "charmcraft.yaml").read_text())
APP_NAME = METADATA["name"]


@pytest.mark.juju_setup
def test_deploy(demo_charm: pathlib.Path, juju: jubilant.Juju):
    """Deploy the charm under test; it is blocked until it has a database."""
    resources = {
        "demo-server-image": METADATA["resources"]["demo-server-image"]["upstream-source"]
    }
    juju.deploy(demo_charm, app=APP_NAME, resources=resources)
    juju.wait(jubilant.all_blocked)


@pytest.mark.juju_setup
def test_database_integration(juju: jubilant.Juju):
    """Verify that the charm integrates with the database from the store."""
    juju.deploy("postgresql-k8s", channel="14/stable", trust=True)
    juju.integrate(APP_NAME, "postgresql-k8s")
    status = juju.wait(jubilant.all_active)
    db = status.apps["postgresql-k8s"]
    assert db.charm_origin == "charmhub"
    assert db.charm_channel == "14/stable"
    assert juju.config("postgresql-k8s", app_config=True)["trust"] is True
