# Integration tests written as charm authors write them: jubilant + pytest-jubilant, modelled
# on canonical/operator's examples/k8s-*/tests/integration. They run unchanged against a real
# Juju; tools/integration.sh runs them against the simulator by putting
# `cargo charm juju-shim`'s `juju` first on PATH.
#
# The charms come from the environment, as the operator examples' CHARM_PATH: DEMO_CHARM,
# WEBAPP_CHARM and FAKE_POSTGRESQL_CHARM are packed .charm files (tools/integration.sh packs
# them). test_store.py deploys postgresql-k8s from "Charmhub": against the simulator, its
# Charmhub stand-in maps the name to fixtures/fake-postgresql (CARGO_CHARM_CHARMHUB).

import os
import pathlib
import shutil
import subprocess

import pytest


def _charm(var: str) -> pathlib.Path:
    charm = os.environ.get(var)
    assert charm, f"set {var} to the packed .charm (tools/integration.sh does)"
    path = pathlib.Path(charm).resolve()
    assert path.is_file(), f"{path} is not a file"
    return path


@pytest.fixture(scope="session")
def demo_charm() -> pathlib.Path:
    """The demo charm (demo-api-charm), packed."""
    return _charm("DEMO_CHARM")


@pytest.fixture(scope="session")
def webapp_charm() -> pathlib.Path:
    """The webapp example, packed."""
    return _charm("WEBAPP_CHARM")


@pytest.fixture(scope="session")
def fake_postgresql_charm() -> pathlib.Path:
    """fixtures/fake-postgresql, a postgresql_client provider, packed."""
    return _charm("FAKE_POSTGRESQL_CHARM")


@pytest.fixture(scope="session")
def sim():
    """Run `cargo charm sim COMMAND ... --state <model's state directory>` on a model.

    Only for what Juju's CLI cannot do and jubilant has no call for (deleting a pod); a real
    cluster would use kubectl here. The `juju` on PATH is the simulator's (a symlink to the
    cargo-charm binary) and keeps each model's state under $CARGO_CHARM_JUJU_HOME.
    """
    juju = shutil.which("juju")
    assert juju, "no juju on PATH"
    cargo_charm = os.path.realpath(juju)
    home = os.environ["CARGO_CHARM_JUJU_HOME"]

    def run(model: str, *args: str) -> str:
        short = model.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
        state = os.path.join(home, "models", short)
        done = subprocess.run(
            [cargo_charm, "sim", *args, "--state", state, "-q"],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    return run
