#!/usr/bin/env bash
# Configure (once) and build heapscope into BUILD (default: build).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
[ -f "$build/build.ninja" ] || meson setup "$build" "$@" >/dev/null
ninja -C "$build" >/dev/null
