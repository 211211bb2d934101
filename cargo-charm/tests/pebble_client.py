"""ops.pebble.Client (ops 3.9.0) against a simulated unit's Pebble socket, for the tests in
cargo-charm/tests/pebble.rs: run by the tests themselves (another tool pointed at a live
socket) and by the shell charms' hooks (a charm reaching its Pebble).

Usage: python pebble_client.py SOCKET COMMAND [ARGS...]

  identify NAME          add a layer whose service `who` runs `/bin/who-am-i NAME`, replan
  push PATH TEXT         push TEXT to PATH (make_dirs)
  pull PATH              print the file, or `not-found: <message>`
  services               `name current` per service of the plan
  plan                   the plan as YAML

Errors print `<ExceptionType>: <message>` on stdout and exit 1.
"""

import sys

import ops
from ops import pebble

assert ops.__version__ == '3.9.0', ops.__version__


def main(socket, command, *args):
    client = pebble.Client(socket_path=socket)
    if command == 'identify':
        (name,) = args
        client.add_layer(
            'identity',
            {
                'summary': name,
                'services': {
                    'who': {
                        'override': 'replace',
                        'command': f'/bin/who-am-i {name}',
                        'startup': 'enabled',
                    }
                },
            },
            combine=True,
        )
        client.replan_services()
        print('ok')
    elif command == 'push':
        path, text = args
        client.push(path, text, make_dirs=True)
        print('ok')
    elif command == 'pull':
        (path,) = args
        try:
            print(client.pull(path).read(), end='')
        except pebble.PathError as e:
            print(f'{e.kind}: {e.message}')
    elif command == 'services':
        for s in client.get_services():
            print(s.name, s.current.value)
    elif command == 'plan':
        print(client.get_plan().to_yaml(), end='')
    else:
        raise SystemExit(f'unknown command {command!r}')


if __name__ == '__main__':
    try:
        main(*sys.argv[1:])
    except (pebble.Error, OSError) as e:
        print(f'{type(e).__name__}: {e}')
        sys.exit(1)
