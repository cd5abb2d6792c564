#!/usr/bin/env bash
# Installs a Debian package when the command it provides is missing (as root, with apt-get), else says how.
#   scripts/ensure_package.sh COMMAND PACKAGE PURPOSE
# Chromium for the browser tests (Playwright's own browser download does not work offline);
# gcc for `make compile`.
set -euo pipefail
command=$1 package=$2 purpose=$3
if command -v "$command" >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's $package for $purpose..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  exit 0
fi
echo "$purpose needs Debian's $package. Install it with:" >&2
echo "    sudo apt-get install $package" >&2
exit 1
