#!/usr/bin/env bash
# Prepare the Debian-built CPythons that the test matrix reads (production
# builds: stripped, as distros ship them), idempotently, into a cache
# directory (default /var/cache/heapscope, or $HEAPSCOPE_CACHE):
#
#   $CACHE/sid                 debootstrap --variant=minbase sid, with
#                              python3.13, python3.14, python3.15, their
#                              -dbg packages (DWARF of the stripped builds,
#                              for tests/unit/test_layout_dwarf.c) and
#                              libpython3.X-dev (the headers it checks)
#   $CACHE/sid/opt/deb13       Debian 13 (trixie)'s python3.13 (3.13.5),
#                              unpacked with dpkg -x from its
#                              python3.13-minimal, libpython3.13-minimal,
#                              libpython3.13-stdlib (+ -dbg, -dev) debs; it
#                              needs a newer glibc than Debian 12's, so it
#                              runs inside the sid root with PYTHONHOME
#
# Targets run chrooted into $CACHE/sid: heapscope stays on the host and
# reads the target's ELF files through /proc/PID/root, which is also the
# container case.  Each step leaves a stamp file, so a rerun costs nothing;
# concurrent runs wait on a lock.  The last lines list what is there.
#
# usage: scripts/interpreters.sh [--print]   (--print: only the manifest)
set -euo pipefail

CACHE=${HEAPSCOPE_CACHE:-/var/cache/heapscope}
MIRROR=${HEAPSCOPE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${HEAPSCOPE_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
SID=$CACHE/sid
DEB13=$SID/opt/deb13
SID_PKGS="python3.13 python3.14 python3.15 python3.13-dbg python3.14-dbg python3.15-dbg
          libpython3.13-dev libpython3.14-dev libpython3.15-dev"
DEB13_PKGS="python3.13-minimal libpython3.13-minimal libpython3.13-stdlib
            python3.13-dbg libpython3.13-dbg libpython3.13-dev"
APT_OPTS=(-o Acquire::Check-Valid-Until=false -o Acquire::Retries=3)

manifest() {
	echo "interpreters in $CACHE:"
	for v in 3.13 3.14 3.15; do
		if [ -x "$SID/usr/bin/python$v" ]; then
			printf '  sid %-5s %s\n' "$v" "$(chroot "$SID" /usr/bin/python$v -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo '?')"
		fi
	done
	if [ -x "$DEB13/usr/bin/python3.13" ]; then
		printf '  deb13 3.13 %s\n' "$(chroot "$SID" env PYTHONHOME=/opt/deb13/usr /opt/deb13/usr/bin/python3.13 -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo '?')"
	fi
}

if [ "${1:-}" = --print ]; then
	manifest
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "interpreters.sh: needs root (debootstrap, chroot)" >&2
	exit 1
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

# Never rm -rf a tree with something mounted inside (a /proc bind mount
# left by hand would otherwise be walked into).
safe_rm() {
	local d
	for d in "$@"; do
		[ -e "$d" ] || continue
		if grep -q " $(realpath "$d")[/ ]" /proc/mounts; then
			echo "interpreters.sh: $d has mounts inside; unmount them first:" >&2
			grep " $(realpath "$d")[/ ]" /proc/mounts >&2
			exit 1
		fi
		rm -rf "$d"
	done
}

need_host_pkg() {
	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
			echo "interpreters.sh: installing $p" >&2
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null ||
				{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null; }
		fi
	done
}

# 1. the sid root
if [ ! -f "$SID/.heapscope-base" ]; then
	need_host_pkg debootstrap debian-archive-keyring
	safe_rm "$SID.tmp"
	echo "interpreters.sh: debootstrap sid into $SID (about a minute)" >&2
	debootstrap --variant=minbase sid "$SID.tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
		{ tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
	# The mirror's sid Release file is a dated snapshot.
	echo 'Acquire::Check-Valid-Until "false";' >"$SID.tmp/etc/apt/apt.conf.d/99heapscope"
	safe_rm "$SID"
	mv "$SID.tmp" "$SID"
	touch "$SID/.heapscope-base"
fi

# 2. the interpreters, their DWARF and headers
stamp=$SID/.heapscope-pkgs-$(echo $SID_PKGS | md5sum | cut -c1-12)
if [ ! -f "$stamp" ]; then
	echo "interpreters.sh: apt-get install in sid: $(echo $SID_PKGS)" >&2
	chroot "$SID" apt-get "${APT_OPTS[@]}" update -qq >"$CACHE/apt.log" 2>&1 ||
		{ tail -20 "$CACHE/apt.log" >&2; exit 1; }
	chroot "$SID" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -qq \
		--no-install-recommends $SID_PKGS >>"$CACHE/apt.log" 2>&1 ||
		{ tail -20 "$CACHE/apt.log" >&2; exit 1; }
	chroot "$SID" apt-get clean
	touch "$stamp"
fi

# 3. Debian 13's python3.13, unpacked (not installed: it would clash with
#    sid's python3.13 of the same name)
stamp=$DEB13/.heapscope-$(echo $DEB13_PKGS | md5sum | cut -c1-12)
if [ ! -f "$stamp" ]; then
	apt_dir=$CACHE/apt-trixie
	safe_rm "$apt_dir" "$DEB13"
	mkdir -p "$apt_dir/etc/apt/sources.list.d" "$apt_dir/etc/apt/preferences.d" \
		"$apt_dir/var/lib/apt/lists/partial" "$apt_dir/var/cache/apt/archives/partial" \
		"$apt_dir/var/lib/dpkg" "$apt_dir/debs"
	touch "$apt_dir/var/lib/dpkg/status"
	kr=/usr/share/keyrings/debian-archive-keyring.gpg
	cat >"$apt_dir/etc/apt/sources.list" <<EOF
deb [signed-by=$kr] $MIRROR trixie main
deb [signed-by=$kr] $MIRROR trixie-updates main
deb [signed-by=$kr] $SECURITY trixie-security main
EOF
	O=(-o "Dir=$apt_dir" -o "Dir::State::status=$apt_dir/var/lib/dpkg/status"
	   -o APT::Architecture=amd64 -o APT::Sandbox::User=root "${APT_OPTS[@]}")
	echo "interpreters.sh: fetching Debian 13's python3.13 packages" >&2
	apt-get "${O[@]}" update -qq >"$CACHE/apt-trixie.log" 2>&1 ||
		{ tail -20 "$CACHE/apt-trixie.log" >&2; exit 1; }
	(cd "$apt_dir/debs" && apt-get "${O[@]}" download $DEB13_PKGS) >>"$CACHE/apt-trixie.log" 2>&1 ||
		{ tail -20 "$CACHE/apt-trixie.log" >&2; exit 1; }
	mkdir -p "$DEB13"
	for d in "$apt_dir"/debs/*.deb; do
		dpkg -x "$d" "$DEB13"
	done
	rm -rf "$apt_dir"
	touch "$stamp"
fi

# 4. numpy for sid's default python (3.14), for the owned-buffer tests on
#    numpy 2.x (Debian 12's python3-numpy on the host is 1.x).  A step of
#    its own, so adding it installs only this and upgrades nothing.
stamp=$SID/.heapscope-numpy
if [ ! -f "$stamp" ]; then
	echo "interpreters.sh: apt-get install in sid: python3-numpy" >&2
	chroot "$SID" apt-get "${APT_OPTS[@]}" update -qq >"$CACHE/apt-numpy.log" 2>&1 ||
		{ tail -20 "$CACHE/apt-numpy.log" >&2; exit 1; }
	chroot "$SID" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -qq \
		--no-install-recommends python3-numpy >>"$CACHE/apt-numpy.log" 2>&1 ||
		{ tail -20 "$CACHE/apt-numpy.log" >&2; exit 1; }
	chroot "$SID" apt-get clean
	touch "$stamp"
fi

manifest
