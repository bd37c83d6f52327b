#!/usr/bin/env bash
# Build one static x86_64 heapscope that runs on any x86_64 Linux with a
# kernel >= 3.10, whatever its libc, with nothing else installed: glibc,
# ncursesw/tinfo, libelf, zlib and zstd are linked in from Debian 12's .a files;
# terminfo entries for xterm, xterm-256color, screen, tmux, tmux-256color,
# linux and vt100 are built in (tui/termdb.h).  libdw is not linked: the
# binary does not use it at run time.
#
#   bash scripts/static.sh [BUILD_DIR]     (default: build-static)
#
# The last line of output is the path of the stripped binary
# (BUILD_DIR/heapscope); copy that one file to the host.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-static}

# The static archives (.a) ship in the -dev packages; libc6-dev has
# libc.a.  (libdw-dev and libbz2-dev: meson.build looks for libdw, whose
# static form needs libbz2.a, for its unit tests.)
HEAPSCOPE_SETUP_EXTRA="${HEAPSCOPE_SETUP_EXTRA:-} zlib1g-dev libzstd-dev libc6-dev libncurses-dev libelf-dev libdw-dev libbz2-dev" \
	bash scripts/setup-debian.sh

if [ ! -f "$build/build.ninja" ]; then
	# -Os and section GC keep it small; no PIE: a static PIE needs
	# glibc's static-pie support, which buys nothing here.
	meson setup "$build" -Dbuildtype=minsize -Dprefer_static=true -Db_pie=false \
		-Dc_args='-ffunction-sections -fdata-sections' \
		-Dc_link_args='-static -Wl,--gc-sections' >/dev/null
fi
ninja -C "$build" cli/heapscope >/dev/null

out=$build/heapscope
strip -o "$out" "$build/cli/heapscope"
lddout=$(ldd "$out" 2>&1 || true)
case $lddout in
*"not a dynamic executable"*) ;;
*)
	echo "static.sh: $out is dynamically linked:" >&2
	echo "$lddout" >&2
	exit 1
	;;
esac
size=$(stat -c %s "$out")
echo "static.sh: static x86_64 binary, $size bytes" >&2
if [ "$size" -gt $((4 * 1024 * 1024)) ]; then
	echo "static.sh: $out is $size bytes, over the 4 MiB goal" >&2
	exit 1
fi
case $out in
/*) echo "$out" ;;
*) echo "$PWD/$out" ;;
esac
