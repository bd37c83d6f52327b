"""Write small ELF cores (tests/fuzz/core_corpus/) for fuzz_corefile: an
ELF header, a PT_NOTE with NT_PRSTATUS x threads, NT_PRPSINFO, NT_FILE and
NT_AUXV, and PT_LOAD segments: a writable one, a read-only one holding an
ELF header with a build-id note (a mapped library's first page), code not
dumped (p_filesz 0); variants with more segments, PN_XNUM, a cut note.

    python3 tests/fuzz/make_core_seeds.py tests/fuzz/core_corpus
"""
import os
import struct
import sys

PAGE = 4096


def note(name, ntype, desc):
    n = name + b"\0"
    pad = lambda b: b + b"\0" * ((4 - len(b) % 4) % 4)  # noqa: E731
    return struct.pack("<III", len(n), len(desc), ntype) + pad(n) + pad(desc)


def lib_page(build_id):
    """An ELF header (ET_DYN) whose PT_NOTE holds a GNU build id."""
    eh = bytearray(PAGE)
    bid = note(b"GNU", 3, build_id)
    phoff, nph = 64, 2
    noteoff = phoff + nph * 56
    eh[0:64] = (b"\x7fELF\x02\x01\x01" + b"\0" * 9 +
                struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, phoff, 0, 0, 64, 56, nph, 64, 0, 0))
    eh[phoff:phoff + 56] = struct.pack("<IIQQQQQQ", 1, 5, 0, 0, 0, 2 * PAGE, 2 * PAGE, PAGE)
    eh[phoff + 56:phoff + 112] = struct.pack("<IIQQQQQQ", 4, 4, noteoff, noteoff, noteoff,
                                             len(bid), len(bid), 4)
    eh[noteoff:noteoff + len(bid)] = bid
    return bytes(eh)


def core(threads=2, nrw=1, xnum=False, cut_note=False, files=True):
    base_lib = 0x7f0000000000
    base_rw = 0x555500000000
    segs = []   # (vaddr, memsz, flags, data)
    segs.append((base_lib, PAGE, 4, lib_page(bytes(range(20)))))
    segs.append((base_lib + PAGE, PAGE, 5, b""))                   # code, not dumped
    for i in range(nrw):
        data = bytearray(PAGE)
        for k in range(0, PAGE, 8):
            data[k:k + 8] = struct.pack("<Q", base_rw + (k * 7 + i * 64) % (nrw * PAGE))
        data[100:120] = b"hello, core\0".ljust(20, b"\0")
        segs.append((base_rw + i * PAGE, PAGE, 6, bytes(data)))
    notes = b""
    for t in range(threads):
        pr = bytearray(336)
        pr[12:14] = struct.pack("<h", 6)
        pr[32:36] = struct.pack("<i", 4242 + t)
        notes += note(b"CORE", 1, bytes(pr))
    ps = bytearray(136)
    ps[24:28] = struct.pack("<i", 4242)
    ps[40:56] = b"python3".ljust(16, b"\0")
    ps[56:136] = b"python3 app.py --serve".ljust(80, b"\0")
    notes += note(b"CORE", 3, bytes(ps))
    if files:
        names = [b"/usr/lib/libpython3.11.so.1.0", b"/usr/bin/python3"]
        nt = struct.pack("<QQ", 2, PAGE)
        nt += struct.pack("<QQQ", base_lib, base_lib + 2 * PAGE, 0)
        nt += struct.pack("<QQQ", 0x400000, 0x401000, 0)
        nt += b"".join(n + b"\0" for n in names)
        notes += note(b"CORE", 0x46494c45, nt)
    auxv = struct.pack("<QQQQQQ", 9, 0x400100, 25, base_rw + 16, 0, 0)
    notes += note(b"CORE", 6, auxv)
    if cut_note:
        notes = notes[:-10]
    nph = 1 + len(segs)
    phoff = 64
    off = phoff + nph * 56
    out_ph = [(4, 0, off, 0, len(notes), 0)]
    off += len(notes)
    blobs = [notes]
    for vaddr, memsz, flags, data in segs:
        out_ph.append((1, flags, off, vaddr, len(data), memsz))
        off += len(data)
        blobs.append(data)
    ehnum = 0xffff if xnum else nph
    shoff = off if xnum else 0
    eh = (b"\x7fELF\x02\x01\x01" + b"\0" * 9 +
          struct.pack("<HHIQQQIHHHHHH", 4, 62, 1, 0, phoff, shoff, 0, 64, 56, ehnum,
                      64 if xnum else 0, 1 if xnum else 0, 0))
    ph = b"".join(struct.pack("<IIQQQQQQ", t, fl, o, va, 0, fs, ms, 1)
                  for t, fl, o, va, fs, ms in out_ph)
    body = eh + ph + b"".join(blobs)
    if xnum:
        body += struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, nph, 0, 0)
    return body


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    variants = {
        "basic": core(),
        "one-thread": core(threads=1),
        "many-rw": core(nrw=6),
        "xnum": core(xnum=True),
        "cut-note": core(cut_note=True),
        "no-files": core(files=False),
        "threads-8": core(threads=8, nrw=3),
    }
    for name, data in variants.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print("wrote %d seeds to %s" % (len(variants), out))


if __name__ == "__main__":
    main()
