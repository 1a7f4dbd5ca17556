#!/usr/bin/env bash
# The README's test command: install what the tests need, then run the whole suite.
# Debian's chromium is installed for the browser tests when missing and we are root;
# under CI=true a missing browser makes those tests fail, never skip.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "No chromium and not root: the browser tests will skip (outside CI)."
  fi
fi
exec python3 -m pytest "$@"
