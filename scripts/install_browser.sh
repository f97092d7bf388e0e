#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's headless-browser test when it is missing
# (idempotent: does nothing when a chromium is on PATH). Needs root or sudo for apt-get.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "==> installing chromium (Debian package) for tests/python/test_dashboard_browser.py"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium >/dev/null
