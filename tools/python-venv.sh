#!/usr/bin/env bash
# Create (or reuse) the Python virtualenv at <repo>/.venv holding the real tools the
# Rust code is checked against: charmcraft (the charmcraft.yaml model and packer), ops
# (CharmMeta, how a charm reads metadata/config/actions) and ops-scenario; and the
# integration-test client charm authors use, jubilant with pytest-jubilant (and pytest),
# which tests/integration drives against `cargo charm juju-shim`'s juju.
#
# Usage: tools/python-venv.sh        # prints the venv's python path on the last line
#
# Idempotent: when .venv/.pins already lists exactly the pins below (and the Python that
# made the venv), nothing is installed. Set PYTHON to choose the interpreter (default
# python3). A failing pip install is an error, never skipped.
#
# System requirements (checked on Debian 12 with Python 3.11): Python >= 3.10 with the
# venv module (Debian/Ubuntu system Python: `apt-get install -y python3-venv`). Every
# dependency of charmcraft 4.5.0 installs from a binary wheel on x86_64 (pygit2,
# cryptography, pydantic-core, PyNaCl, lxml, ... bundle their C libraries), so no
# compiler, libgit2 or other -dev package is needed. Installing needs PyPI only.
set -euo pipefail

PINS=(
    "ops==3.9.0"
    "ops-scenario==8.9.0"
    "charmcraft==4.5.0"
    "jubilant==1.14.0"
    "pytest-jubilant==2.3.0"
    "pytest==9.2.0"
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.pins"
PYTHON="${PYTHON:-python3}"

die() {
    echo "python-venv.sh: ERROR: $*" >&2
    exit 1
}

command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found; install Python >= 3.10"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
    die "$("$PYTHON" --version 2>&1) is too old: charmcraft 4.5.0 and ops 3.9.0 need Python >= 3.10"

want="$(printf '%s\n' "python=$("$PYTHON" -c 'import sys; print(sys.version.split()[0])')" "${PINS[@]}")"

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
    echo "python-venv.sh: $VENV is up to date" >&2
    echo "$VENV/bin/python"
    exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    echo "python-venv.sh: creating $VENV with $PYTHON" >&2
    "$PYTHON" -m venv "$VENV" ||
        die "'$PYTHON -m venv' failed; on Debian/Ubuntu install the venv module: apt-get install -y python3-venv"
fi

rm -f "$STAMP"
echo "python-venv.sh: installing ${PINS[*]}" >&2
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2 ||
    die "upgrading pip in $VENV failed (is PyPI reachable?)"
"$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off "${PINS[@]}" >&2 ||
    die "pip install ${PINS[*]} failed; see the pip output above"

# Prove the install is usable before stamping it.
"$VENV/bin/python" -c 'import charmcraft, charmcraft.parts, charmcraft.models.project, ops, ops.testing, scenario, jubilant, pytest, pytest_jubilant' ||
    die "the packages installed but do not import; see the traceback above"

echo "$want" >"$STAMP"
echo "python-venv.sh: $VENV ready" >&2
echo "$VENV/bin/python"
