#!/usr/bin/env bash
# One command for everything: sets up what is missing, then runs the course engine.
#   ./course.sh demo      build every chapter and show what the course does
#   ./course.sh test      the whole test suite
#   ./course.sh <args>    any igcourse command, e.g. ./course.sh build --check
# Set-up is idempotent: Debian data packages (as root), a virtual environment in .venv,
# and the pinned Python packages of requirements.txt, each only when missing or changed.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=${IGCOURSE_VENV:-.venv}
# bubblewrap fences the grading sandbox in (igcourse/sandbox/isolation.py).
DEBIAN_PACKAGES=(dataset-fashion-mnist libdlib-data opencv-doc bubblewrap)

say() { printf '[course] %s\n' "$*" >&2; }

missing_debian_packages() {
  command -v dpkg-query >/dev/null || return 0
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_debian_packages() {
  local missing=("$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "These Debian packages are missing: ${missing[*]}"
    say "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  say "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
}

command -v "$PYTHON" >/dev/null || { say "No $PYTHON found: install Python 3.11 or newer."; exit 1; }
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { say "Python 3.11 or newer is needed; $PYTHON is $("$PYTHON" -V 2>&1)."; exit 1; }

needed=("${DEBIAN_PACKAGES[@]}")
# Debian's own Python needs python3-venv for `python -m venv` to work.
if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  needed+=("python3-venv")
fi
mapfile -t missing < <(missing_debian_packages "${needed[@]}")
install_debian_packages "${missing[@]}"

if [ ! -x "$VENV/bin/python" ]; then
  say "Creating the virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi

# TensorFlow's C++ log shows errors only (its start-up lines: see quiet_tensorflow below).
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}

# pip's own messages at warning level and above, so its errors show in full. Not shown: its
# advice to upgrade it, and setuptools' notice that comes with every editable install
# ("Editable installation. Please be careful with folders ..."). A pip index that does not
# exist on this machine is named once per package ("WARNING: Location ... is ignored").
PIP=("$VENV/bin/python" -m pip install -q --disable-pip-version-check)
pip_install() { "${PIP[@]}" "$@" 2>&1 | grep -v '^WARNING: Location' >&2 || true; }
EDITABLE_NOTICE="ignore:Editable installation:UserWarning"

stamp="$VENV/.igcourse-installed"
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing the pinned Python packages (first time: a few minutes)"
  pip_install --upgrade pip
  pip_install -r requirements.txt
  PYTHONWARNINGS="${PYTHONWARNINGS:+$PYTHONWARNINGS,}$EDITABLE_NOTICE" pip_install --no-deps -e .
  # The first import of TensorFlow logs its start-up lines whatever TF_CPP_MIN_LOG_LEVEL says;
  # quiet_tensorflow drops them, and shows everything if the import fails.
  "$VENV/bin/python" -c "from igcourse.student import quiet_tensorflow; quiet_tensorflow(); \
import tensorflow, keras, nbgrader, cv2, dlib" \
    || { say "The Python packages did not install; see the messages above."; exit 1; }
  echo "$want" > "$stamp"
fi
case "${1:-}" in
  test)
    shift
    "$VENV/bin/ruff" check .
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  "" | -h | --help)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    exec "$VENV/bin/igcourse" "$@"
    ;;
esac
