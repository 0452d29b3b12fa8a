#!/usr/bin/env python3
"""Seed inputs for fuzz_tracker: well-formed record sequences (the layout of
bpf/ior_event.h, wire format 1), one file each. usage: seeds.py DIR"""

import os
import struct
import sys

HDR = "<HBBIIHBBQQQq"  # size type flags tgid tid nr nargs nitems ts dur gap ret
EV_SYSCALL, EV_FORK, EV_EXIT, EV_COMM, EV_EXEC = 1, 2, 3, 4, 5
ITEM_ARG0, ITEM_FDPAIR, ITEM_OPEN_HOW, ITEM_COMM, ITEM_FILENAME = 0, 9, 10, 14, 15
ITEM_SOCKADDR, ITEM_CWD, ITEM_FDINFO, ITEM_FDPATH = 8, 13, 16, 17
NR = {"read": 0, "openat": 257, "close": 3, "pipe2": 293, "recvmsg": 47, "execve": 59,
      "rename": 82, "getcwd": 79, "connect": 42, "dup2": 33, "openat2": 437, "chdir": 80}


def item(tag, payload, flags=0):
    pad = (-len(payload)) % 8
    return struct.pack("<HBBI", len(payload), tag, flags, 0) + payload + b"\0" * pad


def record(etype, nr=0, ret=0, args=(0,) * 6, items=(), tid=1, flags=0):
    body = struct.pack("<6Q", *[a & (2**64 - 1) for a in args]) + b"".join(items)
    size = struct.calcsize(HDR) + len(body)
    hdr = struct.pack(HDR, size, etype, flags, 1, tid, nr, 6, len(items), 1000, 10, 5, ret)
    return hdr + body


def fdinfo(fd, mode, ino=77):
    return item(ITEM_FDINFO, struct.pack("<QIi", ino, mode, fd))


def frame(recs):
    return b"".join(struct.pack("<H", len(r)) + r for r in recs)


AT_FDCWD = -100
SEEDS = {
    "open-read-close": [
        record(EV_SYSCALL, NR["openat"], 3, (AT_FDCWD, 0x1000, 0o2000000, 0, 0, 0),
               [item(ITEM_ARG0 + 1, b"/etc/passwd"), fdinfo(3, 0o100644),
                item(ITEM_FDPATH, b"passwd\0etc\0")]),
        record(EV_SYSCALL, NR["read"], 100, (3, 0, 100, 0, 0, 0)),
        record(EV_SYSCALL, NR["close"], 0, (3, 0, 0, 0, 0, 0)),
    ],
    "pipe-dup-recvmsg": [
        record(EV_SYSCALL, NR["pipe2"], 0, (0x2000, 0, 0, 0, 0, 0),
               [item(ITEM_FDPAIR, struct.pack("<ii", 4, 5)), fdinfo(4, 0o10600),
                fdinfo(5, 0o10600)]),
        record(EV_SYSCALL, NR["dup2"], 1, (4, 1, 0, 0, 0, 0)),
        record(EV_SYSCALL, NR["recvmsg"], 1, (6, 0x3000, 0, 0, 0, 0),
               [fdinfo(9, 0o100644), item(ITEM_FDPATH, b"x\0tmp\0")]),
    ],
    "fork-exec-comm": [
        record(EV_FORK, 0, 0, (2, 2, 0, 0, 0, 0)),
        record(EV_COMM, 0, 0, items=[item(ITEM_COMM, b"worker")], tid=2),
        record(EV_EXEC, 0, 0, (2, 0, 0, 0, 0, 0), [item(ITEM_FILENAME, b"/bin/true")], tid=2),
        record(EV_SYSCALL, NR["execve"], 0, (0x1000, 0, 0, 0, 0, 0),
               [item(ITEM_ARG0, b"/bin/true")], tid=2),
        record(EV_EXIT, 0, 0, tid=2, flags=0),
    ],
    "paths-and-addresses": [
        record(EV_SYSCALL, NR["chdir"], 0, items=[item(ITEM_ARG0, b"/tmp/d\nx\x1b[31m")]),
        record(EV_SYSCALL, NR["rename"], 0,
               items=[item(ITEM_ARG0, b"a\xff\xfe"), item(ITEM_ARG0 + 1, b"../b")]),
        record(EV_SYSCALL, NR["getcwd"], 7, items=[item(ITEM_CWD, b"/tmp/d")]),
        record(EV_SYSCALL, NR["connect"], 0, (3, 0x1000, 16, 0, 0, 0),
               [item(ITEM_SOCKADDR, struct.pack("<HH4s8x", 2, 0x5000, bytes([127, 0, 0, 1])))]),
        record(EV_SYSCALL, NR["openat2"], 5, (AT_FDCWD, 0x1000, 0x2000, 24, 0, 0),
               [item(ITEM_ARG0 + 1, b"f" * 300, 1),
                item(ITEM_OPEN_HOW, struct.pack("<QQQ", 0o100, 0o644, 0))]),
    ],
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, recs in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(frame(recs))


if __name__ == "__main__":
    main()
