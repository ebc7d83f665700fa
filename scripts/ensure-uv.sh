#!/usr/bin/env bash
# Print the path of a uv binary; install it from PyPI into var/bootstrap when missing.
set -eu
if command -v uv >/dev/null 2>&1; then command -v uv; exit 0; fi
if [ -x var/bootstrap/bin/uv ]; then echo "$PWD/var/bootstrap/bin/uv"; exit 0; fi
mkdir -p var
echo "uv ontbreekt; installeren in var/bootstrap … / installing uv into var/bootstrap …" >&2
python3 -m venv var/bootstrap >&2 || { echo "Installeer python3-venv: apt-get install -y python3-venv" >&2; exit 1; }
var/bootstrap/bin/pip install -q uv >&2
echo "$PWD/var/bootstrap/bin/uv"
