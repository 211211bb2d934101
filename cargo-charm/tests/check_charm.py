#!/usr/bin/env python3
"""Check a .charm packed by `cargo charm pack` with real tools (run by tools/test.sh).

    .venv/bin/python cargo-charm/tests/check_charm.py CHARM OUT_DIR

1. Python's zipfile reads it and every CRC matches (`testzip`); every entry was made on
   Unix and `dispatch` has mode 0755 in its external attributes.
2. It is unpacked into OUT_DIR the way Juju's extractor does (juju/utils/zip: the mode bits
   of the zip entries are kept).
3. `dispatch` is an executable file.
4. ops 3.9.0 reads the charm root as it does at run time: `ops.CharmMeta.from_charm_root`
   (metadata.yaml, actions.yaml, config.yaml).

Prints a JSON summary; any failure exits 1 with the reason.
"""

import json
import os
import pathlib
import stat
import sys
import zipfile

import ops


def fail(msg: str) -> None:
    print(f"check_charm: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    charm, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    with zipfile.ZipFile(charm) as z:
        bad = z.testzip()
        if bad is not None:
            fail(f"{bad}: CRC mismatch")
        names = z.namelist()
        for info in z.infolist():
            if info.create_system != 3:
                fail(f"{info.filename}: not made on Unix (create_system={info.create_system})")
            mode = info.external_attr >> 16
            if info.filename == "dispatch" and mode != (stat.S_IFREG | 0o755):
                fail(f"dispatch: mode {oct(mode)}, want 0o100755")
            path = pathlib.Path(z.extract(info, out))
            os.chmod(path, mode & 0o7777)
    for required in ("dispatch", "metadata.yaml", "manifest.yaml"):
        if required not in names:
            fail(f"{required} missing (entries: {names})")
    dispatch = out / "dispatch"
    if not (dispatch.is_file() and os.access(dispatch, os.X_OK)):
        fail("dispatch is not an executable file after unpacking")
    meta = ops.CharmMeta.from_charm_root(out)
    print(
        json.dumps(
            {
                "entries": names,
                "size": charm.stat().st_size,
                "ops": {
                    "name": meta.name,
                    "peers": sorted(meta.peers),
                    "requires": sorted(meta.requires),
                    "containers": sorted(meta.containers),
                    "config": sorted(meta.config),
                    "actions": sorted(meta.actions),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
