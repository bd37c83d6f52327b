#!/usr/bin/env bash
# Set up, build, and run the whole test suite (C unit tests + integration
# tests against real Python targets).  Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
bash scripts/build.sh build
exec bash tests/run_tests.sh build
