#!/usr/bin/env python3
"""Size of the tutorial's ops charm as charmcraft would pack it, approximated.

`charmcraft pack` needs a build environment (LXD/Multipass, or --destructive-mode on the
charm's base) that this machine does not offer, so the `.charm` is rebuilt the way
charmcraft's `charm` plugin lays it out: the charm's own files (dispatch, src/,
metadata.yaml, config.yaml, actions.yaml, a manifest) plus `venv/` holding the installed
dependency closure of its requirements (ops 3.9.0 and requests: the files each installed
distribution's RECORD lists, without bytecode caches and the `bin/` scripts), deflated
with zipfile's default level as charmcraft writes it. Run with the venv's Python, whose
site-packages holds those distributions. Prints the size in bytes and the file count as
JSON.

Usage: bench_ops_charm_size.py CHARM_DIR OUT.charm
"""

import importlib.metadata as md
import json
import re
import sys
import zipfile
from pathlib import Path

REQUIREMENTS = ["ops", "requests"]


def closure(names):
    seen = {}
    todo = list(names)
    while todo:
        name = re.split(r"[<>=!~;\[ ]", todo.pop(), maxsplit=1)[0].strip()
        key = name.lower().replace("_", "-")
        if not key or key in seen:
            continue
        dist = md.distribution(name)
        seen[key] = dist
        for req in dist.requires or []:
            if "extra ==" in req:
                continue
            todo.append(req)
    return seen


def main():
    charm_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    dists = closure(REQUIREMENTS)
    files = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ["dispatch", "metadata.yaml", "config.yaml", "actions.yaml"]:
            z.write(charm_dir / name, name)
            files += 1
        for path in sorted((charm_dir / "src").glob("*.py")):
            z.write(path, f"src/{path.name}")
            files += 1
        z.writestr("manifest.yaml", "analysis:\n  attributes: []\ncharmcraft-version: 4.5.0\n")
        files += 1
        for dist in dists.values():
            for f in dist.files or []:
                rel = str(f)
                if "__pycache__" in rel or rel.startswith("..") or rel.endswith(".pyc"):
                    continue
                src = Path(dist.locate_file(f))
                if src.is_file():
                    z.write(src, f"venv/{rel}")
                    files += 1
    print(json.dumps({
        "bytes": out.stat().st_size,
        "files": files,
        "distributions": sorted(f"{d.metadata['Name']} {d.version}" for d in dists.values()),
    }))


if __name__ == "__main__":
    main()
