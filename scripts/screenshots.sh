#!/usr/bin/env bash
# Regenerate screenshots/*.png: drive `heapscope --demo` in a private tmux
# server, capture each screen with `tmux capture-pane -e -p` (real output,
# escape sequences included), convert the capture to CP437 ANSI and render
# it with ansilove.  Nothing is drawn by hand.
#
#   bash scripts/screenshots.sh [BUILD_DIR]     (default: build; relative to
#                                                the repository, or absolute)
#
# Needs tmux, python3 and ansilove (installed with apt-get if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=screenshots
sock=heapscope-shots-$$
cols=120 rows=36

if ! command -v ansilove >/dev/null; then
	echo "screenshots: installing ansilove" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ansilove >/dev/null
fi
bash scripts/build.sh "$build"
case $build in
/*) hs=$build/cli/heapscope ;;
*) hs=$PWD/$build/cli/heapscope ;;
esac
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT

t() { tmux -L "$sock" -f /dev/null "$@"; }

# wait_for TEXT: poll the screen until TEXT shows (15 s at most)
wait_for() {
	for _ in $(seq 150); do
		t capture-pane -p -t s | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "screenshots: timed out waiting for '$1'; screen:" >&2
	t capture-pane -p -t s >&2
	exit 1
}

keys() { t send-keys -t s "$@"; sleep 0.4; }

# shot NAME: capture the pane as it is now and render NAME.png (only the
# names listed in $SHOTS when it is set: SHOTS="memory overview")
shot() {
	case " ${SHOTS:-$1} " in *" $1 "*) ;; *) return 0 ;; esac
	sleep 0.3
	t capture-pane -e -p -N -t s >"$tmp/$1.utf8"
	python3 - "$tmp/$1.utf8" "$tmp/$1.ans" "$cols" "$rows" <<'PY'
# UTF-8 + xterm SGR (as tmux emits it) -> CP437 + the SGR subset ansilove
# knows: default colours (39/49) become explicit gray-on-black, and the
# explorer's few non-ASCII glyphs get their nearest CP437 characters.
import re, sys, unicodedata
src, dst, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
text = open(src, encoding="utf-8", errors="replace").read()
# (The ellipsis is a middle dot, not '~': '~' marks lazily read values.)
glyphs = {"\u2192": b"\x10", "\u2026": b"\xfa", "\u203a": b"\xaf", "\u25be": b"\x1f",
          "\u25b4": b"\x1e", "\u0394": b"\xeb", "\u2502": b"\xb3", "\u25b8": b"\x10",
          "\u2588": b"\xdb"}

def sgr(m):
    params = [p for p in m.group(1).split(";") if p != ""] or ["0"]
    keep = []
    for p in params:
        p = {"39": "37", "49": "40"}.get(p, p)
        if p in ("0", "1", "7") or (len(p) == 2 and p[0] in "34" and p[1] in "01234567"):
            keep.append(p)
    return "\x1b[%sm" % ";".join(keep) if keep else ""

def cell(ch):
    """CP437 bytes for one character, as many as the cells it takes."""
    if ch in glyphs:
        return glyphs[ch]
    try:
        return ch.encode("cp437")
    except UnicodeEncodeError:
        return b"??" if unicodedata.east_asian_width(ch) in "WF" else b"?"

# Every line becomes exactly `cols` cells and no newline: ansilove wraps at
# -c columns by itself.  Short lines are padded with the attributes in
# effect, which is what the terminal's erase-to-end-of-line (bce) did.
out = bytearray(b"\x1b[0m")
for line in text.split("\n")[:rows]:
    used = 0
    for part in re.split(r"(\x1b\[[0-9;]*m)", re.sub(r"\x1b\[([0-9;]*)m", sgr, line)):
        if part.startswith("\x1b["):
            out += part.encode()
            continue
        for ch in part:
            b = cell(ch)
            if used + len(b) > cols:
                break
            out += b
            used += len(b)
    out += b" " * (cols - used)
open(dst, "wb").write(bytes(out))
PY
	ansilove -q -f terminus -c "$cols" -o "$out/$1.png" "$tmp/$1.ans" >/dev/null
	echo "screenshots: $out/$1.png"
}

t new-session -d -s s -x "$cols" -y "$rows" \
	"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 $hs --demo; sleep 60"
wait_for "Top types by size"
shot overview
keys t
wait_for "gen0"
shot types
keys / && t send-keys -t s -l Request && keys Enter
wait_for "Types /Request"
keys Enter
wait_for "<Request rid="
keys R                        # the retained column, biggest first
wait_for "retained"
keys g
shot instances
keys w                        # the retainers pane under the list
wait_for "Retainers of"
keys Down Down
shot retainers
keys w
keys Enter
wait_for "Fields ("
shot inspect
keys b
wait_for "How it is reached from a root"
shot referrers
keys T
wait_for "Thread "
shot threads
keys / && t send-keys -t s -l pending && sleep 0.4   # a search as you type: the cursor on the match
wait_for "search: pending"
shot search
keys Enter
keys t
sleep 3                       # the demo leaks 25 requests a second
keys / && t send-keys -t s C-u && keys Enter
keys r
wait_for "snapshot #2"
keys d
keys g
shot delta
keys O                        # the sort menu: which key sorts which column
wait_for "Sort Types by"
shot sortmenu
keys Escape
keys '?'
wait_for "Moving around"
shot help
keys BSpace
keys S                        # after r: the findings carry growth evidence
wait_for "Suspects ("
shot suspects
keys D                        # the first finding (the cache) in the dominator tree
wait_for "all roots"
keys Enter                    # the cursor is on it: unfold its entries
wait_for "['req-"
shot dominators
keys M                        # where the RSS goes
wait_for "# bytes in allocated blocks"
shot memory
keys q
t kill-server

# The same explorer without colours or UTF-8, at 80x24 (a new server: the
# old one may still be shutting down).
sock=$sock-vt100
cols=80 rows=24
t new-session -d -s s -x "$cols" -y "$rows" \
	"env TERM=vt100 NO_COLOR=1 LANG=C LC_ALL=C $hs --demo; sleep 60"
wait_for "Top types by size"
keys t
wait_for "gen0"
shot types-vt100-80x24
keys q
