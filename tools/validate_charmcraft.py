#!/usr/bin/env python3
"""Check a charmcraft.yaml with the real charmcraft (4.5.0) and ops (3.9.0).

Run tools/python-venv.sh first; then (it re-executes itself under .venv/bin/python when
started with a Python that lacks charmcraft):

    tools/validate_charmcraft.py charmcraft.yaml
    tools/validate_charmcraft.py charmcraft.yaml --compare-charm-dir DIR

What it does, in order; any failure prints the tool's own error text to stderr and exits 1:

1. charmcraft's project model, the way `charmcraft pack` loads a project
   (charmcraft/services/project.py `ProjectService._app_preprocess_project` and
   `CharmcraftProject.from_yaml_file`): `charmcraft.parts.setup_parts()` registers the
   plugins charmcraft allows (every craft-parts plugin but colcon and ruby, plus charm,
   python, poetry, uv, reactive), the `preprocess` steps run (default parts, and merging a
   metadata.yaml / config.yaml / actions.yaml next to the file, as pack would), then
   `CharmcraftProject.unmarshal(data)`. That picks `PlatformCharm` (or `BasesCharm`) and
   validates every part with its plugin's properties model, so `plugin: rust` with
   `rust-path` is checked by craft-parts' `RustPluginProperties`.
2. The build plan, from craft_platforms (`get_platforms_charm_build_plan`): the
   base/platform pairs pack would build.
3. The files charmcraft would put in the .charm: metadata.yaml from
   `charmcraft.models.metadata.CharmMetadata.from_charm(project)`, config.yaml and
   actions.yaml from the project's `config`/`actions` (services/package.py), each dumped
   with `yaml.safe_dump(sort_keys=True)` as PackageService does.
4. Juju's own load-time rules that neither charmcraft 4.5.0 (whose project model keeps
   peers/requires/resources/config/actions as free-form dicts) nor ops check, re-implemented
   here from juju/juju `internal/charm` (see shared docs juju-protocol.md section 6.2):
   action names match `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`, action params use no `$ref`
   or `$schema`, config/resource/storage types are known, every endpoint has an
   interface, and every container's resource is an `oci-image` resource.
5. ops: `ops.CharmMeta.from_yaml(metadata, actions, config)`, which is what ops builds at
   run time from those three files (ops 3.9.0's `from_yaml` takes metadata.yaml text, then
   actions.yaml and config.yaml text; `CharmMeta` itself does not read a `config` or
   `actions` key out of charmcraft.yaml, so the mediated files from step 3 are passed).
   Then `ops.testing.Context` (ops-scenario) is built from the same dicts.
6. Unless --no-cli: the real CLI, `charmcraft expand-extensions`, in a scratch copy of the
   project directory's charmcraft.yaml: this goes through craft-application's whole
   ProjectService (grammar, platforms, environment expansion) as `charmcraft pack` does.
7. With --compare-charm-dir DIR: DIR's metadata.yaml, config.yaml and actions.yaml (what
   charm-runtime renders) must parse to the same data as charmcraft's from step 3 (a file
   charmcraft would not write must be absent), and DIR/manifest.yaml's `bases` must match
   the build plan.

On success a JSON summary goes to stdout:
{"charmcraft": "ok", "project_class": ..., "build_plan": [...],
 "ops": {"peers": {name: interface}, "requires": {...}, "provides": {...},
         "containers": [...], "resources": {name: type},
         "config": {name: {"type", "default"}}, "actions": {name: [params]}},
 "juju": "ok", "cli": "ok" | "skipped", "compared": [files]}
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from typing import Any, NoReturn


def _ensure_venv() -> None:
    """Re-run under <repo>/.venv/bin/python when this Python lacks charmcraft."""
    try:
        import charmcraft  # noqa: F401
        import ops  # noqa: F401
    except ImportError:
        venv_python = pathlib.Path(__file__).resolve().parent.parent / ".venv/bin/python"
        if venv_python.exists() and not os.environ.get("VALIDATE_CHARMCRAFT_REEXEC"):
            os.environ["VALIDATE_CHARMCRAFT_REEXEC"] = "1"
            os.execv(str(venv_python), [str(venv_python), __file__, *sys.argv[1:]])
        print(
            "validate_charmcraft: charmcraft/ops are not importable; run "
            "tools/python-venv.sh and use .venv/bin/python",
            file=sys.stderr,
        )
        sys.exit(2)


_ensure_venv()

import yaml  # noqa: E402 - from the venv, after _ensure_venv


def fail(stage: str, message: str) -> NoReturn:
    print(f"validate_charmcraft: {stage}: FAILED\n{message.rstrip()}", file=sys.stderr)
    sys.exit(1)


def describe(exc: BaseException) -> str:
    """The most useful text of an exception from charmcraft/craft-*/pydantic/ops."""
    parts = [f"{type(exc).__name__}: {exc}"]
    for attr in ("details", "resolution"):
        value = getattr(exc, attr, None)
        if value:
            parts.append(f"{attr}: {value}")
    return "\n".join(parts)


def load_project(path: pathlib.Path, raw: dict[str, Any]):
    """Step 1: charmcraft's project model."""
    import pydantic
    from craft_application import errors as app_errors

    import charmcraft.parts
    from charmcraft import preprocess
    from charmcraft.models.project import CharmcraftProject

    charmcraft.parts.setup_parts()
    data = copy.deepcopy(raw)
    project_dir = path.parent
    # The same preprocessing, in the same order, as charmcraft's ProjectService (extensions
    # are applied first there; charm-runtime never declares any).
    preprocess.add_default_parts(data)
    preprocess.add_config(project_dir, data)
    preprocess.add_actions(project_dir, data)
    preprocess.add_metadata(project_dir, data)
    try:
        return CharmcraftProject.unmarshal(data)
    except pydantic.ValidationError as err:
        # The same message charmcraft prints for a bad charmcraft.yaml.
        raise app_errors.CraftValidationError.from_pydantic(
            err, file_name=path.name
        ) from err


def build_plan(project) -> list[dict[str, str]]:
    """Step 2: what `charmcraft pack` would build."""
    import craft_platforms

    from charmcraft.models.project import BasesCharm

    if isinstance(project, BasesCharm):
        return [{"bases": "legacy `bases` charm: build plan not computed"}]
    marshalled = project.marshal()
    plan = craft_platforms.charm.get_platforms_charm_build_plan(
        base=marshalled.get("base"),
        platforms=marshalled.get("platforms"),
        build_base=marshalled.get("build-base"),
    )
    return [
        {
            "platform": info.platform,
            "build_on": str(info.build_on),
            "build_for": str(info.build_for),
            "base": f"{info.build_base.distribution}@{info.build_base.series}",
        }
        for info in plan
    ]


def charm_files(project) -> dict[str, Any]:
    """Step 3: the metadata/config/actions data charmcraft writes into the .charm."""
    from charmcraft.models.metadata import CharmMetadata

    marshalled = project.marshal()
    return {
        "metadata.yaml": CharmMetadata.from_charm(project).marshal(),
        # PackageService writes no file when the key is absent or empty.
        "config.yaml": marshalled.get("config") or None,
        "actions.yaml": marshalled.get("actions") or None,
    }


def dump(data: Any) -> str | None:
    return None if data is None else yaml.safe_dump(data, sort_keys=True)


def check_ops(files: dict[str, Any]) -> dict[str, Any]:
    """Step 5: ops' CharmMeta and ops-scenario's Context from the mediated files."""
    import ops
    import ops.testing

    meta = ops.CharmMeta.from_yaml(
        dump(files["metadata.yaml"]),
        dump(files["actions.yaml"]),
        dump(files["config.yaml"]),
    )

    class _Charm(ops.CharmBase):
        pass

    ops.testing.Context(
        _Charm,
        meta=files["metadata.yaml"],
        actions=files["actions.yaml"],
        config=files["config.yaml"],
    )

    def relations(rels: dict[str, Any]) -> dict[str, str]:
        return {name: rel.interface_name for name, rel in sorted(rels.items())}

    return {
        "name": meta.name,
        "peers": relations(meta.peers),
        "requires": relations(meta.requires),
        "provides": relations(meta.provides),
        "containers": sorted(meta.containers),
        "resources": {name: res.type for name, res in sorted(meta.resources.items())},
        "storage": {name: st.type for name, st in sorted(meta.storages.items())},
        "config": {
            name: {"type": opt.type, "default": opt.default}
            for name, opt in sorted(meta.config.items())
        },
        "actions": {
            name: sorted(action.parameters)
            for name, action in sorted(meta.actions.items())
        },
        "assumes": [str(a) for a in meta.assumes.features],
    }


ACTION_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
CONFIG_TYPES = {"string", "int", "float", "boolean", "secret"}
RESOURCE_TYPES = {"file", "oci-image"}
STORAGE_TYPES = {"filesystem", "block"}


def check_juju(files: dict[str, Any]) -> None:
    """Step 4: rules Juju 3 applies when it reads the charm (not charmcraft or ops)."""
    problems: list[str] = []
    meta = files["metadata.yaml"] or {}
    for section in ("peers", "provides", "requires"):
        for name, rel in (meta.get(section) or {}).items():
            if not isinstance(rel, dict) or not rel.get("interface"):
                problems.append(f"{section}.{name}: no interface")
            elif "scope" in rel and rel["scope"] not in ("global", "container"):
                problems.append(f"{section}.{name}: bad scope {rel['scope']!r}")
    resources = meta.get("resources") or {}
    for name, res in resources.items():
        if not isinstance(res, dict) or res.get("type", "file") not in RESOURCE_TYPES:
            problems.append(f"resources.{name}: type must be one of {sorted(RESOURCE_TYPES)}")
    for name, container in (meta.get("containers") or {}).items():
        res_name = (container or {}).get("resource")
        if res_name is not None:
            res = resources.get(res_name)
            if not isinstance(res, dict) or res.get("type") != "oci-image":
                problems.append(
                    f"containers.{name}: resource {res_name!r} is not an oci-image resource"
                )
    for name, st in (meta.get("storage") or {}).items():
        if not isinstance(st, dict) or st.get("type") not in STORAGE_TYPES:
            problems.append(f"storage.{name}: type must be one of {sorted(STORAGE_TYPES)}")
    for name, opt in ((files["config.yaml"] or {}).get("options") or {}).items():
        if not isinstance(opt, dict) or opt.get("type") not in CONFIG_TYPES:
            problems.append(f"config.options.{name}: type must be one of {sorted(CONFIG_TYPES)}")

    def forbidden_keys(schema: Any, where: str) -> None:
        if isinstance(schema, dict):
            for key, value in schema.items():
                if key in ("$ref", "$schema"):
                    problems.append(f"{where}: {key!r} is not allowed")
                forbidden_keys(value, where)
        elif isinstance(schema, list):
            for value in schema:
                forbidden_keys(value, where)

    for name, action in (files["actions.yaml"] or {}).items():
        if not ACTION_NAME.match(name):
            problems.append(f"actions.{name}: name must match {ACTION_NAME.pattern}")
        if not isinstance(action, dict):
            problems.append(f"actions.{name}: not a mapping")
            continue
        params = action.get("params") or {}
        if not isinstance(params, dict):
            problems.append(f"actions.{name}.params: not a mapping")
        forbidden_keys(action, f"actions.{name}")
    if problems:
        raise ValueError("\n".join(problems))


def run_cli(path: pathlib.Path) -> None:
    """Step 6: `charmcraft expand-extensions` on a scratch copy of the project file."""
    charmcraft_bin = pathlib.Path(sys.executable).parent / "charmcraft"
    if not charmcraft_bin.exists():
        found = shutil.which("charmcraft")
        if not found:
            raise RuntimeError(
                f"no charmcraft executable next to {sys.executable} or on PATH"
            )
        charmcraft_bin = pathlib.Path(found)
    with tempfile.TemporaryDirectory(prefix="validate-charmcraft-") as tmp:
        shutil.copy(path, pathlib.Path(tmp) / "charmcraft.yaml")
        for sibling in ("metadata.yaml", "config.yaml", "actions.yaml"):
            if (path.parent / sibling).is_file():
                shutil.copy(path.parent / sibling, pathlib.Path(tmp) / sibling)
        env = dict(os.environ)
        env.setdefault("XDG_RUNTIME_DIR", tmp)
        proc = subprocess.run(
            [str(charmcraft_bin), "expand-extensions"],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    if proc.returncode != 0:
        raise RuntimeError(
            f"`charmcraft expand-extensions` exited {proc.returncode}\n"
            f"{proc.stderr.strip()}\n{proc.stdout.strip()}"
        )
    expanded = yaml.safe_load(proc.stdout)
    if not isinstance(expanded, dict) or expanded.get("type") != "charm":
        raise RuntimeError(f"unexpected expand-extensions output:\n{proc.stdout}")


def compare(files: dict[str, Any], plan: list[dict[str, str]], directory: pathlib.Path):
    """Step 7: charm-runtime's rendered files against charmcraft's."""
    problems: list[str] = []
    compared: list[str] = []
    for name, expected in files.items():
        file = directory / name
        if expected is None:
            if file.exists():
                problems.append(f"{name}: charmcraft writes no {name}, but {file} exists")
            continue
        if not file.is_file():
            problems.append(f"{name}: missing {file}")
            continue
        actual = yaml.safe_load(file.read_text())
        compared.append(name)
        if actual != expected:
            problems.append(
                f"{name} differs from charmcraft's.\n"
                f"--- charmcraft:\n{dump(expected)}--- {file}:\n{dump(actual)}"
            )
    manifest_file = directory / "manifest.yaml"
    if manifest_file.is_file():
        compared.append("manifest.yaml")
        manifest = yaml.safe_load(manifest_file.read_text()) or {}
        expected_bases: dict[tuple[str, str], list[str]] = {}
        for item in plan:
            if "base" not in item:
                continue
            name, channel = item["base"].split("@", 1)
            archs = expected_bases.setdefault((name, channel), [])
            if item["build_for"] not in archs:
                archs.append(item["build_for"])
        actual_bases = {
            (b.get("name"), str(b.get("channel"))): list(b.get("architectures", []))
            for b in manifest.get("bases") or []
        }
        if expected_bases and actual_bases != expected_bases:
            problems.append(
                f"manifest.yaml bases {actual_bases} != build plan {expected_bases}"
            )
        for key in ("charmcraft-version", "charmcraft-started-at", "analysis"):
            if key not in manifest:
                problems.append(f"manifest.yaml: missing {key!r}")
    if problems:
        raise RuntimeError("\n".join(problems))
    return compared


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Validate a charmcraft.yaml with the real charmcraft and ops."
    )
    parser.add_argument("charmcraft_yaml", type=pathlib.Path)
    parser.add_argument(
        "--compare-charm-dir",
        type=pathlib.Path,
        help="directory with charm-runtime's metadata.yaml/config.yaml/actions.yaml"
        "/manifest.yaml to compare with what charmcraft would write",
    )
    parser.add_argument(
        "--no-cli",
        action="store_true",
        help="skip running `charmcraft expand-extensions`",
    )
    args = parser.parse_args()
    path: pathlib.Path = args.charmcraft_yaml.resolve()

    try:
        raw = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        fail("read", describe(exc))
    if not isinstance(raw, dict):
        fail("read", f"{path} is a {type(raw).__name__}, not a mapping")

    try:
        project = load_project(path, raw)
    except Exception as exc:  # noqa: BLE001 - any failure is a validation failure
        fail("charmcraft", describe(exc))
    try:
        plan = build_plan(project)
    except Exception as exc:  # noqa: BLE001
        fail("charmcraft build plan", describe(exc))
    try:
        files = charm_files(project)
    except Exception as exc:  # noqa: BLE001
        fail("charmcraft metadata", describe(exc))
    try:
        check_juju(files)
    except Exception as exc:  # noqa: BLE001
        fail("juju rules", describe(exc))

    try:
        ops_summary = check_ops(files)
    except Exception as exc:  # noqa: BLE001
        fail("ops", describe(exc) + "\n" + traceback.format_exc(limit=3))

    cli = "skipped"
    if not args.no_cli:
        try:
            run_cli(path)
        except Exception as exc:  # noqa: BLE001
            fail("charmcraft CLI", describe(exc))
        cli = "ok"

    compared: list[str] = []
    if args.compare_charm_dir:
        try:
            compared = compare(files, plan, args.compare_charm_dir)
        except Exception as exc:  # noqa: BLE001
            fail("compare", describe(exc))

    summary = {
        "charmcraft": "ok",
        "project_class": type(project).__name__,
        "build_plan": plan,
        "ops": ops_summary,
        "juju": "ok",
        "cli": cli,
        "compared": compared,
    }
    json.dump(summary, sys.stdout, indent=2, sort_keys=True, default=str)
    print()


if __name__ == "__main__":
    main()
