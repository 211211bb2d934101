#!/usr/bin/env python3
"""A small web application on Kubernetes: the Python ops reference of examples/webapp."""

import dataclasses
import secrets

import ops

ADMIN_SECRET = 'admin-secret-id'  # The peer application bag's key for the secret's id.


@dataclasses.dataclass(frozen=True, kw_only=True)
class WebappConfig:
    site_name: str = 'webapp'
    port: int = 8080
    debug: bool = False
    request_timeout: float = 30.0
    smtp_password: ops.Secret | None = None

    def __post_init__(self):
        if not 0 <= self.port <= 65535:
            raise ValueError(f'port {self.port} is out of range (0..=65535)')


@dataclasses.dataclass(frozen=True, kw_only=True)
class RotateAdminPasswordParams:
    length: int = 24


@dataclasses.dataclass(frozen=True, kw_only=True)
class DatabaseData:
    endpoints: str | None = None
    username: str | None = None
    password: str | None = None


class WebappCharm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.container = self.unit.get_container('webapp')
        framework.observe(self.on.leader_elected, self._on_leader_elected)
        for event in (
            self.on.config_changed,
            self.on.upgrade_charm,
            self.on.update_status,
            self.on.webapp_pebble_ready,
            self.on.data_storage_attached,
            self.on.peers_relation_changed,
            self.on.database_relation_created,
            self.on.database_relation_changed,
            self.on.database_relation_broken,
            self.on.website_relation_joined,
            self.on.secret_changed,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.rotate_admin_password_action, self._on_rotate_admin_password)
        framework.observe(self.on.collect_unit_status, self._on_collect_status)

    def _on_leader_elected(self, event: ops.LeaderElectedEvent):
        """Create the admin password once and share its secret's id with the other units."""
        peers = self.model.get_relation('peers')
        if peers is not None and ADMIN_SECRET not in peers.data[self.app]:
            secret = self.app.add_secret({'password': secrets.token_urlsafe(24)[:24]})
            peers.data[self.app][ADMIN_SECRET] = secret.id
        self._reconcile(event)

    def _reconcile(self, event: ops.EventBase):
        """Make ports, website, database request and workload follow the current state."""
        config = self.load_config(WebappConfig, errors='blocked')
        self.unit.set_ports(config.port)
        hostname = str(self.model.get_binding('website').network.ingress_address)
        for relation in self.model.relations['website']:
            relation.data[self.unit].update({'hostname': hostname, 'port': str(config.port)})
        database = self.model.get_relation('database')
        if database is not None and self.unit.is_leader():
            database.data[self.app]['database'] = 'webapp'
        try:
            database_url = self._database_url()
            smtp_password = self._smtp_password(config)
        except (ValueError, KeyError, ops.ModelError):
            return  # collect-status reports it
        admin_password = self._admin_password()
        if database_url is None or admin_password is None or not self.container.can_connect():
            return
        layer = self._layer(config, database_url, admin_password, smtp_password)
        self.container.add_layer('webapp', layer, combine=True)
        self.container.replan()

    def _on_rotate_admin_password(self, event: ops.ActionEvent):
        """Replace the admin password; this unit uses it at once, the others at their next hook."""
        params = event.load_params(RotateAdminPasswordParams, errors='fail')
        secret_id = self._admin_secret_id()
        if not self.unit.is_leader():
            event.fail('Run this action on the leader unit')
        elif secret_id is None:
            event.fail('There is no admin password yet')
        else:
            password = secrets.token_urlsafe(params.length)[: params.length]
            self.model.get_secret(id=secret_id).set_content({'password': password})
            self._reconcile(event)

    def _on_collect_status(self, event: ops.CollectStatusEvent):
        config = self.load_config(WebappConfig, errors='blocked')
        try:
            self._smtp_password(config)
        except (KeyError, ops.ModelError) as e:
            event.add_status(ops.BlockedStatus(f'Invalid smtp-password: {e}'))
        if not self.model.storages['data']:
            event.add_status(ops.WaitingStatus('Waiting for the data storage'))
        if self.model.get_relation('database') is None:
            event.add_status(ops.BlockedStatus('Needs a database relation'))
        else:
            try:
                if self._database_url() is None:
                    event.add_status(ops.WaitingStatus('Waiting for database credentials'))
            except ValueError as e:
                event.add_status(ops.BlockedStatus(f'Unusable database relation: {e}'))
        if self._admin_secret_id() is None:
            event.add_status(ops.WaitingStatus('Waiting for the admin password'))
        if not self.container.can_connect():
            event.add_status(ops.MaintenanceStatus('Waiting for Pebble'))
        event.add_status(ops.ActiveStatus())

    def _layer(
        self, config: WebappConfig, database_url: str, admin_password: str, smtp_password: str
    ) -> ops.pebble.LayerDict:
        return {
            'summary': 'webapp layer',
            'services': {
                'webapp': {
                    'override': 'replace',
                    'summary': 'webapp',
                    'command': f'/usr/bin/webapp --port={config.port} --data-dir=/var/lib/webapp',
                    'startup': 'enabled',
                    'environment': {
                        'SITE_NAME': config.site_name,
                        'DEBUG': str(config.debug).lower(),
                        'REQUEST_TIMEOUT': str(config.request_timeout),
                        'DATABASE_URL': database_url,
                        'ADMIN_PASSWORD': admin_password,
                        'SMTP_PASSWORD': smtp_password,
                    },
                },
            },
        }

    def _database_url(self) -> str | None:
        """Return the database's URL, once the provider has sent endpoints and credentials."""
        relation = self.model.get_relation('database')
        if relation is None or relation.app is None:
            return None
        data = relation.load(DatabaseData, relation.app, decoder=str)
        if not (data.endpoints and data.username and data.password):
            return None
        endpoint = data.endpoints.split(',')[0]
        host, _, port = endpoint.rpartition(':')
        if not host or not port.isdigit() or int(port) > 65535:
            raise ValueError(f'endpoints {data.endpoints!r} is not host:port')
        return f'postgresql://{data.username}:{data.password}@{endpoint}/webapp'

    def _admin_secret_id(self) -> str | None:
        """Return the admin password secret's id, once the leader has shared it."""
        peers = self.model.get_relation('peers')
        return peers.data[self.app].get(ADMIN_SECRET) if peers else None

    def _admin_password(self) -> str | None:
        """Return the admin password (any unit reads it by the id the leader shared)."""
        secret_id = self._admin_secret_id()
        if secret_id is None:
            return None
        return self.model.get_secret(id=secret_id).get_content(refresh=True)['password']

    def _smtp_password(self, config: WebappConfig) -> str:
        """Return the smtp-password secret's password, or '' when the option is unset."""
        if config.smtp_password is None:
            return ''
        return config.smtp_password.get_content()['password']


if __name__ == '__main__':  # pragma: nocover
    ops.main(WebappCharm)
