#!/usr/bin/env bash
# Installs Debian's Chromium when it is missing: the HTML report's test (HtmlReportTests) opens the report in it,
# headless. Without root or apt it says so and leaves that test inconclusive.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "chromium: not installed, and installing it needs root and apt-get; the HTML report test will be inconclusive"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo 'install failed')"
