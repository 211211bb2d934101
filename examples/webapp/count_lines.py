#!/usr/bin/env python3
"""Counts the lines of the webapp charm in Rust and in Python ops + charmcraft.yaml.

Usage: python3 examples/webapp/count_lines.py [--check]

With --check, exits 1 when the Rust charm has more code lines than the Python one.

Two counts per file: raw (every line, as `wc -l`) and code (non-blank lines that are not
comments). Comments are `//` lines in Rust (`//!`, `///` included), `#` lines and
docstrings in Python, `#` lines in YAML. One exception: a Rust doc comment on a field of a
`#[derive(CharmConfig)]` or `#[derive(ActionParams)]` struct is the option's or the
parameter's description in the generated metadata, the counterpart of a `description:`
line in charmcraft.yaml, so it counts as code.
"""

import ast
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
RUST = ['src/lib.rs', 'src/main.rs']
PYTHON = ['python/src/charm.py', 'python/charmcraft.yaml']
METADATA_DERIVES = ('CharmConfig', 'ActionParams')


def rust_code(lines: list[str]) -> int:
    count, derive_seen, in_metadata_struct = 0, False, False
    for line in lines:
        s = line.strip()
        if s.startswith('#[derive(') and any(d in s for d in METADATA_DERIVES):
            derive_seen = True
        elif s.startswith(('struct ', 'pub struct ')):
            in_metadata_struct, derive_seen = derive_seen and s.endswith('{'), False
        elif in_metadata_struct and s == '}':
            in_metadata_struct = False
        if not s or (s.startswith('//') and not (in_metadata_struct and s.startswith('///'))):
            continue
        count += 1
    return count


def python_code(lines: list[str]) -> int:
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(''.join(lines))):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                docstrings.update(range(first.lineno, first.end_lineno + 1))
    return sum(
        1
        for n, line in enumerate(lines, 1)
        if line.strip() and not line.strip().startswith('#') and n not in docstrings
    )


def yaml_code(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip() and not line.strip().startswith('#'))


def count(path: str) -> tuple[int, int]:
    lines = (HERE / path).read_text().splitlines(keepends=True)
    code = {'.rs': rust_code, '.py': python_code, '.yaml': yaml_code}[pathlib.Path(path).suffix]
    return len(lines), code(lines)


def main() -> None:
    code_totals = []
    for title, files in (('Rust', RUST), ('Python ops + charmcraft.yaml', PYTHON)):
        raw_total = code_total = 0
        for path in files:
            raw, code = count(path)
            raw_total, code_total = raw_total + raw, code_total + code
            print(f'  {path:28} {raw:4} raw {code:4} code')
        print(f'{title}: {raw_total} raw, {code_total} code\n')
        code_totals.append(code_total)
    rust, python = code_totals
    if '--check' in sys.argv[1:] and rust > python:
        sys.exit(f'the Rust charm has {rust} code lines, more than the Python one ({python})')


if __name__ == '__main__':
    main()
