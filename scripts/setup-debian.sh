#!/usr/bin/env bash
# Install what heapscope needs to build and test on Debian 12 (run as root).
# Idempotent and offline-friendly: apt is only called for missing packages.
set -euo pipefail

# Tests need, besides: gdb (ground truth cross-checks), clang + lld
# (tiny 32-bit and aarch64 ELF targets), libclang-rt-14-dev (libFuzzer) and
# python3-numpy, python3-pandas (owned buffers of arrays, tests/integration/test_buffers.py).
pkgs=(meson ninja-build pkg-config gcc libc6-dev libncurses-dev libelf-dev libdw-dev
      tmux python3 python3-pytest procps util-linux elfutils
      libcap2-bin man-db zlib1g-dev libzstd-dev gdb clang lld libclang-rt-14-dev
      python3-numpy python3-pandas)
[ "${HEAPSCOPE_SETUP_EXTRA:-}" ] && read -r -a extra <<<"$HEAPSCOPE_SETUP_EXTRA" && pkgs+=("${extra[@]}")

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "setup: missing packages: ${missing[*]}; run as root (sudo $0)" >&2
		exit 1
	fi
	echo "setup: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
