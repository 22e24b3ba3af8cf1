#!/usr/bin/env bash
# Run every test: the Python engine and CLI, then the page in headless Chromium.
# Installs what is missing first: dcmtk and Chromium (Debian packages, needs root or sudo),
# the Python virtual environment in .venv, and the page's npm packages (through build.py).
# Extra arguments go to pytest, e.g. scripts/test.sh -k cli
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v dcmdump >/dev/null || missing+=(dcmtk)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

.venv/bin/python build.py
exec .venv/bin/python -m pytest -q "$@"
