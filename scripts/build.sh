#!/usr/bin/env bash
# Configure (once) and build heapscope into BUILD (default: build).
# Options after BUILD go to `meson setup`, or to `meson configure` when
# BUILD exists already (e.g. -Dtest_hooks=true for a test build).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$@" >/dev/null
elif [ $# -gt 0 ]; then
	meson configure "$build" "$@" >/dev/null
fi
ninja -C "$build" >/dev/null
