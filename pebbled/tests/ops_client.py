"""Drives a `pebbled` server with the unmodified ops.pebble.Client (ops 3.9.0).

Usage: python ops_client.py PEBBLED_BINARY WORK_DIR

Starts the binary on a socket in WORK_DIR and checks every client operation a charm uses,
and the error cases, against what real Pebble answers: the exception type ops raises and
the message text from Pebble's source (internals/daemon/api_*.go, internals/plan/plan.go,
internals/overlord/planstate/manager.go, Go's os errors). Exits non-zero on the first
failed check, printing it.
"""

import datetime
import http.client
import json
import os
import socket
import subprocess
import sys
import time

import ops
from ops import pebble

assert ops.__version__ == '3.9.0', ops.__version__


def expect_error(exc_type, call, message, code=None, kind=None):
    """Runs `call`, which must raise `exc_type` with exactly `message` (and code/kind)."""
    try:
        call()
    except exc_type as e:
        got = e.message
        assert got == message, f'{exc_type.__name__} message {got!r} != {message!r}'
        if code is not None:
            assert e.code == code, f'code {e.code} != {code}'
        if kind is not None:
            assert e.kind == kind, f'kind {e.kind!r} != {kind!r}'
        return e
    raise AssertionError(f'expected {exc_type.__name__}: {message}')


class Admin:
    """The non-Pebble /pebbled/ endpoints, spoken with http.client over the socket."""

    def __init__(self, path):
        self.path = path

    def post(self, endpoint, body):
        conn = http.client.HTTPConnection('localhost')
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(self.path)
        conn.sock = sock
        conn.request('POST', f'/pebbled/{endpoint}', json.dumps(body), {'Content-Type': 'application/json'})
        resp = conn.getresponse()
        data = json.loads(resp.read())
        conn.close()
        assert resp.status == 200, data
        return data['result']


def start_server(binary, work):
    sock = os.path.join(work, 'pebble.socket')
    root = os.path.join(work, 'root')
    proc = subprocess.Popen([binary, '--socket', sock, '--root', root, '--state', os.path.join(work, 'state.json')])
    deadline = time.time() + 20
    while time.time() < deadline:
        if os.path.exists(sock):
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(sock)
                s.close()
                return proc, sock, root
            except OSError:
                pass
        if proc.poll() is not None:
            raise AssertionError(f'pebbled exited with {proc.returncode}')
        time.sleep(0.05)
    proc.kill()
    raise AssertionError('pebbled did not start listening')


BASE = {
    'summary': 'base layer',
    'services': {
        'web': {
            'override': 'replace',
            'command': '/bin/web --port 8080',
            'startup': 'enabled',
            'environment': {'MODE': 'prod'},
        },
        'worker': {
            'override': 'replace',
            'command': '/bin/worker',
            'requires': ['web'],
            'after': ['web'],
        },
    },
    'checks': {
        'up': {'override': 'replace', 'level': 'ready', 'http': {'url': 'http://localhost:8080/'}},
        'tcp': {'override': 'replace', 'startup': 'disabled', 'tcp': {'port': 8080}},
    },
}


def check_system_and_layers(client):
    info = client.get_system_info()
    assert info.version == 'v1.32.1', info.version
    assert client.get_plan().to_dict() == {}, client.get_plan().to_dict()

    client.add_layer('base', BASE)
    plan = client.get_plan()
    assert set(plan.services) == {'web', 'worker'}
    assert plan.services['web'].command == '/bin/web --port 8080'
    assert plan.services['web'].startup == 'enabled'
    assert plan.checks['up'].threshold == 3, plan.checks['up'].to_dict()

    # Duplicate label without combine: planstate.LabelExists.
    expect_error(pebble.APIError, lambda: client.add_layer('base', BASE), 'layer "base" already exists', code=400)

    # combine=True merges into the existing label by the override rules.
    client.add_layer(
        'base',
        {'services': {'web': {'override': 'merge', 'environment': {'DEBUG': '1'}, 'after': ['db']}}},
        combine=True,
    )
    web = client.get_plan().services['web']
    assert web.environment == {'MODE': 'prod', 'DEBUG': '1'}, web.environment
    assert web.command == '/bin/web --port 8080'
    assert web.after == ['db']

    # A new top layer replacing a service.
    client.add_layer('override', 'services:\n  worker:\n    override: replace\n    command: /bin/worker2\n')
    worker = client.get_plan().services['worker']
    assert worker.command == '/bin/worker2' and worker.requires == [], worker.to_dict()

    # Bad layers, with Pebble's texts (plan.go).
    expect_error(
        pebble.APIError,
        lambda: client.add_layer('bad', 'services:\n  svc:\n    command: x\n'),
        'layer "bad" must define "override" for service "svc"',
        code=400,
    )
    expect_error(
        pebble.APIError,
        lambda: client.add_layer('bad', 'services:\n  svc:\n    override: merge\n'),
        'plan must define "command" for service "svc"',
        code=400,
    )
    expect_error(
        pebble.APIError,
        lambda: client.add_layer('bad', 'services:\n  svc:\n    override: replace\n    command: x\n    requires: [nope]\n'),
        'service "nope" does not exist',
        code=400,
    )
    expect_error(
        pebble.APIError,
        lambda: client.add_layer('bad', 'services:\n  svc:\n    override: replace\n    command: x\n    kill-delay: soon\n'),
        'cannot parse layer "bad" section "services": invalid duration "soon"',
        code=400,
    )
    expect_error(
        pebble.APIError,
        lambda: client.add_layer('pebble-x', {'summary': 'x'}),
        'cannot use reserved label prefix "pebble-"',
        code=400,
    )
    expect_error(
        pebble.APIError,
        lambda: client.add_layer('bad', "services:\n  svc:\n    override: replace\n    command: echo 'x\n"),
        'plan service "svc" command invalid: cannot parse service "svc" command: EOF found when expecting closing quote',
        code=400,
    )
    # A failed add leaves the plan as it was.
    assert 'svc' not in client.get_plan().services


def check_services(client, admin):
    by_name = {s.name: s for s in client.get_services()}
    assert by_name['web'].current == pebble.ServiceStatus.INACTIVE
    assert by_name['web'].startup == pebble.ServiceStartup.ENABLED
    assert by_name['worker'].startup == pebble.ServiceStartup.DISABLED

    change_id = client.replan_services()
    change = client.get_change(change_id)
    assert change.kind == 'replan' and change.ready and change.status == 'Done', change
    assert change.summary == 'Replan service "web"', change.summary
    web = client.get_services(['web'])[0]
    assert web.is_running()
    raw = client._request('GET', '/v1/services', {'names': 'web'})['result'][0]
    assert raw['current-since'].endswith('Z'), raw
    assert not client.get_services(['worker'])[0].is_running()

    # web is already running: logged as Pebble logs it.
    change_id = client.start_services(['worker', 'web'])
    change = client.get_change(change_id)
    assert change.summary == 'Start service "worker" and 1 more', change.summary
    assert [t.summary for t in change.tasks] == ['Start service "web"', 'Start service "worker"'], change.tasks
    assert change.tasks[0].log[0].endswith('INFO Service "web" already started.'), change.tasks[0].log
    assert all(s.is_running() for s in client.get_services())

    client.stop_services(['worker'])
    assert not client.get_services(['worker'])[0].is_running()
    change_id = client.restart_services(['web'])
    kinds = [t.kind for t in client.get_change(change_id).tasks]
    assert kinds == ['stop', 'start'], kinds
    assert client.get_services(['web'])[0].is_running()

    # Replan with nothing changed: no tasks, "Replan - no services"? web is enabled and
    # running, so Pebble still starts it (a no-op task).
    change = client.get_change(client.replan_services())
    assert change.ready

    # Unknown service: api_services.go "cannot %s services: %v", plan.go's text.
    expect_error(
        pebble.APIError,
        lambda: client.start_services(['nope']),
        'cannot start services: service "nope" does not exist',
        code=400,
    )
    expect_error(pebble.APIError, lambda: client.stop_services(['nope']), 'cannot stop services: service "nope" does not exist')

    # A start that fails: the change errors and ops raises ChangeError.
    admin.post('start-failure', {'service': 'worker', 'exit-code': 1})
    try:
        client.start_services(['worker'])
        raise AssertionError('expected ChangeError')
    except pebble.ChangeError as e:
        assert e.err == (
            'cannot perform the following tasks:\n'
            '- Start service "worker" (service start attempt: exited quickly with code 1, will restart)'
        ), e.err
        assert e.change.status == 'Error'
    assert client.get_services(['worker'])[0].current == 'backoff'  # ops keeps unknown statuses as str
    admin.post('start-failure', {'service': 'worker', 'exit-code': None})
    client.start_services(['worker'])
    assert client.get_services(['worker'])[0].is_running()

    # Changes list and wait.
    ready = client.get_changes(pebble.ChangeState.READY)
    assert all(c.ready for c in ready) and len(ready) >= 5
    assert client.wait_change(change_id).id == change_id
    expect_error(pebble.APIError, lambda: client.get_change('999'), 'cannot find change with id "999"', code=404)

    # Signals: api_signals.go / servstate SendSignal.
    client.send_signal('SIGHUP', ['web'])
    client.stop_services(['worker'])
    expect_error(
        pebble.APIError,
        lambda: client.send_signal('SIGHUP', ['worker']),
        'cannot send signal to "worker": service is not running',
        code=500,
    )
    expect_error(
        pebble.APIError,
        lambda: client.send_signal('SIGFOO', ['web']),
        'cannot send signal to "web": invalid signal name "SIGFOO"',
        code=500,
    )


def check_files(client, root):
    client.push('/etc/app/config.yaml', 'key: value\n', make_dirs=True, permissions=0o600)
    with client.pull('/etc/app/config.yaml') as f:
        assert f.read() == 'key: value\n'
    assert os.stat(os.path.join(root, 'etc/app/config.yaml')).st_mode & 0o777 == 0o600
    blob = bytes(range(256)) * 40 + b'\r\n--boundary-like\r\n'
    client.push('/data/blob.bin', blob, make_dirs=True)
    with client.pull('/data/blob.bin', encoding=None) as f:
        assert f.read() == blob
    client.push('/data/notes.txt', 'hello', user='app', group='app')

    infos = client.list_files('/data')
    assert [i.name for i in infos] == ['blob.bin', 'notes.txt'], infos
    assert infos[0].type == pebble.FileType.FILE and infos[0].size == len(blob)
    assert infos[0].permissions == 0o644 and infos[0].user == 'root' and infos[0].user_id == 0
    assert infos[1].user == 'app' and infos[1].group == 'app'
    assert [i.name for i in client.list_files('/data', pattern='*.txt')] == ['notes.txt']
    itself = client.list_files('/data', itself=True)
    assert len(itself) == 1 and itself[0].type == pebble.FileType.DIRECTORY and itself[0].path == '/data'

    client.make_dir('/srv/a/b', make_parents=True, permissions=0o750)
    assert client.list_files('/srv/a/b', itself=True)[0].permissions == 0o750
    client.make_dir('/srv/a/b', make_parents=True)  # exists: fine with make_parents

    # Errors: Go's os error texts with the container path, Pebble's kinds.
    expect_error(
        pebble.PathError, lambda: client.pull('/nope.txt'), 'stat /nope.txt: no such file or directory', kind='not-found'
    )
    expect_error(
        pebble.PathError, lambda: client.pull('/data'), 'can only read a regular file: "/data"', kind='generic-file-error'
    )
    expect_error(
        pebble.APIError, lambda: client.list_files('/missing'), 'stat /missing: no such file or directory', code=404
    )
    expect_error(
        pebble.APIError, lambda: client.list_files('relative'), 'path must be absolute, got "relative"', code=400
    )
    expect_error(
        pebble.PathError,
        lambda: client.make_dir('/srv/a/b'),
        'mkdir /srv/a/b: file exists',
        kind='generic-file-error',
    )
    expect_error(
        pebble.PathError,
        lambda: client.make_dir('/x/y'),
        'mkdir /x/y.mkdir-new: no such file or directory',
        kind='not-found',
    )
    try:
        client.push('/no/such/dir/file', 'x')
        raise AssertionError('expected PathError')
    except pebble.PathError as e:
        assert e.kind == 'not-found', e.kind
        assert e.message.startswith('open /no/such/dir/file.') and e.message.endswith('~: no such file or directory'), e.message
    expect_error(
        pebble.PathError,
        lambda: client.remove_path('/srv/a'),
        'remove /srv/a: directory not empty',
        kind='generic-file-error',
    )
    expect_error(
        pebble.PathError,
        lambda: client.remove_path('/gone'),
        'remove /gone: no such file or directory',
        kind='not-found',
    )
    client.remove_path('/srv/a', recursive=True)
    client.remove_path('/gone', recursive=True)  # nothing to remove: no error
    assert [i.name for i in client.list_files('/srv')] == []

    # The root is a jail: '..' and symlinks stay inside it.
    client.push('/../../escape.txt', 'inside')
    assert os.path.exists(os.path.join(root, 'escape.txt'))
    os.symlink('/etc', os.path.join(root, 'link'))
    with client.pull('/link/app/config.yaml') as f:
        assert f.read() == 'key: value\n'
    os.symlink('../../../../../../../etc/hostname', os.path.join(root, 'sneaky'))
    expect_error(pebble.PathError, lambda: client.pull('/sneaky'), 'stat /sneaky: no such file or directory')


def check_checks(client):
    checks = {c.name: c for c in client.get_checks()}
    assert checks['up'].status == pebble.CheckStatus.UP and checks['up'].level == pebble.CheckLevel.READY
    assert checks['up'].threshold == 3 and checks['up'].failures == 0 and checks['up'].change_id
    assert checks['tcp'].status == pebble.CheckStatus.INACTIVE and checks['tcp'].startup == pebble.CheckStartup.DISABLED
    assert [c.name for c in client.get_checks(level=pebble.CheckLevel.READY)] == ['up']
    assert [c.name for c in client.get_checks(names=['tcp'])] == ['tcp']

    assert client.start_checks(['tcp', 'up']) == ['tcp']
    assert client.get_checks(names=['tcp'])[0].status == pebble.CheckStatus.UP
    assert client.stop_checks(['tcp']) == ['tcp']
    assert client.stop_checks(['tcp']) == []
    assert client.get_checks(names=['tcp'])[0].status == pebble.CheckStatus.INACTIVE
    expect_error(
        pebble.APIError, lambda: client.start_checks(['nope']), 'cannot start checks: cannot find checks in plan: nope', code=400
    )


def check_check_failure(client, admin):
    up = client.get_checks(names=['up'])[0]
    for _ in range(3):
        admin.post('check', {'check': 'up', 'result': 'fail', 'error': 'connection refused'})
    down = client.get_checks(names=['up'])[0]
    assert down.status == pebble.CheckStatus.DOWN and down.failures == 3, down
    failed = client.get_change(up.change_id)
    assert failed.kind == 'perform-check' and failed.status == 'Error'
    # Change.Err lists every ERROR line of the failed task: each failure logged one.
    line = '- Perform HTTP check "up" (connection refused)'
    assert failed.err == 'cannot perform the following tasks:\n' + '\n'.join([line] * 3), failed.err
    recover = client.get_change(down.change_id)
    assert recover.kind == 'recover-check' and not recover.ready
    admin.post('check', {'check': 'up', 'result': 'pass'})
    again = client.get_checks(names=['up'])[0]
    assert again.status == pebble.CheckStatus.UP and again.successes == 1 and again.failures == 0
    # Juju sees check failures as change-update notices of perform-check changes.
    updates = client.get_notices(types=[pebble.NoticeType.CHANGE_UPDATE], keys=[up.change_id])
    assert updates[0].last_data == {'kind': 'perform-check', 'check-name': 'up'}, updates


def check_notices(client):
    first = client.notify(pebble.NoticeType.CUSTOM, 'example.com/thing', data={'a': '1'})
    again = client.notify(pebble.NoticeType.CUSTOM, 'example.com/thing', data={'a': '2'})
    assert first == again
    notice = client.get_notice(first)
    assert notice.occurrences == 2 and notice.last_data == {'a': '2'} and notice.user_id == 0
    assert notice.expire_after == datetime.timedelta(days=7)
    other = client.notify(pebble.NoticeType.CUSTOM, 'example.com/other', repeat_after=datetime.timedelta(hours=1))
    assert client.get_notice(other).repeat_after == datetime.timedelta(hours=1)
    customs = client.get_notices(types=[pebble.NoticeType.CUSTOM])
    assert [n.key for n in customs] == ['example.com/thing', 'example.com/other'], customs
    assert [n.id for n in client.get_notices(keys=['example.com/other'])] == [other]
    assert any(n.type == pebble.NoticeType.CHANGE_UPDATE for n in client.get_notices())
    assert client.get_notices(types=['not-a-type']) == []
    expect_error(pebble.APIError, lambda: client.get_notice('9999'), 'cannot find notice with ID "9999"', code=404)
    expect_error(
        pebble.APIError,
        lambda: client.notify(pebble.NoticeType.CUSTOM, 'bad key'),
        'invalid key "bad key" (must be in "example.com/path" format)',
        code=400,
    )


def check_protocol(client):
    # exec is not supported here: a clear 501 error envelope.
    e = expect_error(
        pebble.APIError,
        lambda: client.exec(['true']),
        'exec is not supported by this Pebble (pebbled records services but runs no commands)',
        code=501,
    )
    assert e.body['type'] == 'error'
    # Unknown endpoint: daemon.go's NotFoundHandler.
    expect_error(pebble.APIError, lambda: client._request('GET', '/v1/nope'), 'invalid API endpoint requested', code=404)
    expect_error(pebble.APIError, lambda: client._request('DELETE', '/v1/plan'), 'method "DELETE" not allowed', code=405)
    expect_error(pebble.APIError, lambda: client._request('GET', '/v1/plan'), 'invalid format ""', code=400)


def main():
    binary, work = sys.argv[1], sys.argv[2]
    proc, sock, root = start_server(binary, work)
    try:
        client = pebble.Client(socket_path=sock)
        admin = Admin(sock)
        check_system_and_layers(client)
        check_services(client, admin)
        check_files(client, root)
        check_checks(client)
        check_check_failure(client, admin)
        check_notices(client)
        check_protocol(client)
        # The state survives a restart of the server (--state).
        proc.terminate()
        proc.wait(10)
        proc, sock, root = start_server(binary, work)
        client = pebble.Client(socket_path=sock)
        assert set(client.get_plan().services) == {'web', 'worker'}
        assert client.get_services(['web'])[0].is_running()
    finally:
        proc.terminate()
        proc.wait(10)
    print('ops.pebble.Client suite passed')


if __name__ == '__main__':
    main()
