#!/usr/bin/env bash
# Make sure the named Debian packages are installed (the tests drive Chromium, zbar, poppler...).
# As root, installs what is missing with apt-get; otherwise says what to install and fails.
set -euo pipefail

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian system: make sure these (or your system's equivalents) are installed: $*" >&2
  exit 0
fi
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "These Debian packages are needed: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
