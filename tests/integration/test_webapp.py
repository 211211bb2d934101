# The webapp example (examples/webapp): deploy the packed .charm with 2 units, check the admin
# password the leader keeps in a Juju secret, rotate it with the action, and follow config
# changes.

import logging
import pathlib

import jubilant
import pytest

logger = logging.getLogger(__name__)

APP_NAME = "webapp"


def admin_secret(juju: jubilant.Juju) -> jubilant.RevealedSecret:
    """The application-owned secret holding the admin password."""
    (secret,) = [s for s in juju.secrets() if s.owner == APP_NAME]
    revealed = juju.show_secret(secret.uri, reveal=True)
    assert isinstance(revealed, jubilant.RevealedSecret)
    return revealed


@pytest.mark.juju_setup
def test_deploy(webapp_charm: pathlib.Path, juju: jubilant.Juju):
    """Deploy the charm; without a database it is blocked."""
    juju.deploy(
        webapp_charm,
        app=APP_NAME,
        num_units=2,
        resources={"webapp-image": "ghcr.io/example/webapp:1.0"},
    )
    status = juju.wait(jubilant.all_blocked)
    assert status.apps[APP_NAME].app_status.message == "Needs a database relation"
    assert all(u.open_ports == ["8080/tcp"] for u in status.apps[APP_NAME].units.values())


def test_admin_password_secret(juju: jubilant.Juju):
    """The leader created the admin password and shared its id with the peers."""
    secret = admin_secret(juju)
    assert secret.revision == 1
    assert len(secret.content["password"]) == 24
    peers = [r for r in juju.show_unit(f"{APP_NAME}/1").relation_info if r.endpoint == "peers"]
    assert peers[0].app_data["admin-secret-id"].endswith(secret.uri.unique_identifier)


def test_rotate_admin_password(juju: jubilant.Juju):
    """The action makes a new revision of the secret, on the leader only."""
    task = juju.run(f"{APP_NAME}/leader", "rotate-admin-password", {"length": 32})
    assert task.status == "completed"
    secret = admin_secret(juju)
    assert secret.revision == 2
    assert len(secret.content["password"]) == 32
    with pytest.raises(jubilant.TaskError) as e:
        juju.run(f"{APP_NAME}/1", "rotate-admin-password")
    assert e.value.task.message == "Run this action on the leader unit"


def test_bad_action_parameter(juju: jubilant.Juju):
    """Parameters are checked against the action's schema before anything runs."""
    with pytest.raises(jubilant.CLIError):
        juju.run(f"{APP_NAME}/leader", "rotate-admin-password", {"length": "long"})


def test_config(juju: jubilant.Juju):
    """Typed config: a new port reaches every unit; a value the charm cannot use blocks it."""
    config = juju.config(APP_NAME)
    assert config["port"] == 8080
    assert config["debug"] is False
    assert config["request-timeout"] == 30.0
    juju.config(APP_NAME, {"port": 9090, "debug": True})
    juju.wait(
        lambda status: all(
            u.open_ports == ["9090/tcp"] for u in status.apps[APP_NAME].units.values()
        )
    )
    with pytest.raises(jubilant.CLIError):
        juju.config(APP_NAME, {"port": "not-a-number"})
    juju.config(APP_NAME, reset=["port", "debug"])
    assert juju.config(APP_NAME)["port"] == 8080


def test_exec(juju: jubilant.Juju):
    """`juju exec` runs shell commands in the unit's hook context: the hook tools work."""
    task = juju.exec("echo $JUJU_UNIT_NAME; relation-ids peers", unit=f"{APP_NAME}/leader")
    unit, relation = task.stdout.split()
    assert unit in (f"{APP_NAME}/0", f"{APP_NAME}/1")
    assert relation.startswith("peers:")
    assert juju.exec("is-leader", unit=unit).stdout.strip() == "True"
    with pytest.raises(jubilant.TaskError) as e:
        juju.exec("echo nope >&2; exit 3", unit=f"{APP_NAME}/1")
    assert e.value.task.return_code == 3
    assert e.value.task.stderr == "nope\n"
    # Juju joins the arguments with spaces and runs the text with the shell, so a message
    # with spaces is quoted. What the hook tools change is committed when it exits 0.
    juju.exec("status-set", "maintenance", "'poked by exec'", unit=f"{APP_NAME}/1")
    unit_status = juju.status().apps[APP_NAME].units[f"{APP_NAME}/1"].workload_status
    assert (unit_status.current, unit_status.message) == ("maintenance", "poked by exec")
