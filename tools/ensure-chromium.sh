#!/usr/bin/env bash
# The headless browser of the browser tests (tests/browser/): Debian's chromium, driven by Playwright's
# Python API. Installed here when missing, so a fresh clone's `make test` and CI have it (CI runs as root).
# Playwright's own browser download is not used: `playwright install` needs a host we cannot reach.
set -euo pipefail
CHROMIUM="${ASSISTANT_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "tools/ensure-chromium.sh: $CHROMIUM is missing and cannot be installed from here;" \
         "install Debian's chromium (apt-get install chromium) or the browser tests are skipped" >&2
    exit 0
fi
echo "tools/ensure-chromium.sh: installing Debian's chromium for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
test -x "$CHROMIUM"
