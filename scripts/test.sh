#!/usr/bin/env bash
# Run every test: the engine and the CLI, then the page in headless Chromium.
# Installs what is missing first: dcmtk (dcmdump checks every output), dicom3tools (dciodvfy
# checks the tcia preset's outputs), Chromium (the page tests) and python3-venv from Debian (needs root or sudo), the Python environment in .venv,
# and the page's npm packages and wheels (python build.py runs `npm ci`).
# Extra arguments go to pytest, e.g.  scripts/test.sh -k cli
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
command -v npm >/dev/null || { echo "npm (Node 20) is needed to build the page" >&2; exit 1; }

missing=()
command -v dcmdump >/dev/null 2>&1 || missing+=(dcmtk)
command -v dciodvfy >/dev/null 2>&1 || missing+=(dicom3tools)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ! -x .venv/bin/python ] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q -e ".[test]"
.venv/bin/python build.py
exec .venv/bin/python -m pytest -q "$@"
