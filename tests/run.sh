#!/usr/bin/env bash
# The README's test command: install what the tests need, then run the whole suite.
# Debian's chromium (the browser tests) and haproxy (the classroom test) are installed when
# missing and we are root; under CI=true a missing one makes its tests fail, never skip.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's ${missing[*]} for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "No ${missing[*]} and not root: the tests that need them will skip (outside CI)."
  fi
fi
# Two workers (the machines have two cores), each taking whole modules (--dist loadfile), so every
# browser or server module still starts one app server of its own: 8 minutes instead of 15.
# Each worker's BLAS runs on one thread, as the app's server does (ui/common/process.py): with two
# workers on two cores, OpenBLAS's spinning threads fought the other worker's and slowed a text
# model's training 50x (14 s for 20 steps instead of 0.3 s).
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
exec python3 -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
