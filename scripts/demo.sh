#!/usr/bin/env bash
# Set up, build, and open heapscope on the bundled demo target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
bash scripts/build.sh build
exec ./build/cli/heapscope --demo "$@"
