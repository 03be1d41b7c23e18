#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu): it
# installs what grading needs. Each step is skipped when it is already done, so running it
# again changes nothing. Written by `igcourse gradescope`; see docs/gradescope.md.
set -euo pipefail
SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VENV="$SOURCE/.venv"
export DEBIAN_FRONTEND=noninteractive
export IGCOURSE_DATA_DIR="$SOURCE/.data"
# bubblewrap fences each submission's code in (igcourse/sandbox/isolation.py).
APT_PACKAGES=(bubblewrap python3-venv)
DATASETS=(@DATASETS@)

say() { printf '[igcourse setup] %s\n' "$*"; }

missing_packages() {
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

apt_install() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

newer_than_3_10() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

# 1. System packages, and Python 3.11 or newer (Ubuntu 22.04's own python3 is 3.10).
apt_install "${APT_PACKAGES[@]}"
PYTHON=python3
if ! newer_than_3_10 "$PYTHON"; then
  apt_install python3.11 python3.11-venv
  PYTHON=python3.11
fi

# 2. The grading environment: the course's pinned packages, in a virtual environment.
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV with $("$PYTHON" -V)"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.igcourse-installed"
want=$(sha256sum "$SOURCE/requirements.txt" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing the pinned Python packages (a few minutes)"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -r "$SOURCE/requirements.txt"
  echo "$want" > "$stamp"
fi

# 3. The data the hidden checks read: Debian's package where Ubuntu has it, else a verified
#    download into $IGCOURSE_DATA_DIR (`igcourse data fetch` does nothing when it is there).
for name in "${DATASETS[@]}"; do
  if [ "$name" = fashion-mnist ] && apt-cache show dataset-fashion-mnist >/dev/null 2>&1; then
    apt_install dataset-fashion-mnist || true
  fi
  (cd "$SOURCE" && PYTHONPATH="$SOURCE" "$VENV/bin/python" -m igcourse.cli data fetch "$name" --quiet)
done

# 4. A last look: the engine imports, and how the sandbox fences submissions in here; where it
#    cannot (no bubblewrap, and a Python environment that an unprivileged user cannot run),
#    grading would refuse every submission, so the build fails.
cd "$SOURCE"
PYTHONPATH="$SOURCE" "$VENV/bin/python" -c '
import sys
import igcourse, keras, nbformat, pytest, tensorflow
from igcourse.sandbox.isolation import Isolation
isolation = Isolation()
print("[igcourse setup] sandbox:", isolation.describe())
sys.exit(1 if isolation.refusal() else 0)
'
say "ready"
