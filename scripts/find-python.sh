#!/usr/bin/env bash
# Print the path of a Python 3.12+ interpreter, found by running it:
# first on PATH, then among pyenv's installed versions, then via `uv python install`.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for name in python3.13 python3.12 python3 python; do
  if command -v "$name" >/dev/null 2>&1 && ok "$(command -v "$name")"; then command -v "$name"; exit 0; fi
done
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3; do
  if [ -x "$candidate" ] && ok "$candidate"; then echo "$candidate"; exit 0; fi
done
if [ -n "${UV:-}" ] && [ -x "$UV" ]; then
  "$UV" python install 3.12 >&2 && "$UV" python find 3.12 && exit 0
fi
cat >&2 <<'MSG'
Geen Python 3.12 of nieuwer gevonden (Django 6 heeft die nodig).
No Python 3.12 or newer found (Django 6 needs it).
Installeer er een, bijvoorbeeld / install one, e.g.:
  apt-get install -y python3.12   (Debian 13 / Ubuntu 24.04)
  pyenv install 3.12              (https://github.com/pyenv/pyenv)
  uv python install 3.12
MSG
exit 1
