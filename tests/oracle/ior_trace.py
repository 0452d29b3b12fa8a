"""Read an `ior record` session into records (docs/session-schema.md).

Strings are read as bytes (`text_factory = bytes`): ior stores paths as the
raw bytes the kernel saw, which need not be UTF-8."""

import sqlite3

from record import Rec


def parse(db_path):
    """(recs in id order, info) where info holds the session's counts, the
    syscall table (nr -> name, byte class), and per pid the processes rows."""
    db = sqlite3.connect(db_path)
    db.text_factory = bytes
    recs = []
    rows = db.execute(
        "SELECT id, ts_ns, pid, tid, nr, syscall, ret, errno, fd, file, arg_path, old_file, bytes,"
        " byte_class, interrupted, noreturn, truncated, enter_missing, epoll_target_fd,"
        " flags, addr FROM events_v ORDER BY id")
    for (rid, ts, pid, tid, nr, name, ret, errno, fd, file, arg_path, old_file, nbytes, bclass,
         intr, noret, trunc, emiss, etfd, flags, addr) in rows:
        r = Rec("ior", tid)
        r.seq, r.ts = rid, ts / 1e9
        r.pid, r.nr, r.name, r.ret = pid, nr, name.decode(), ret
        r.errno = errno.decode() if errno else None
        r.interrupted, r.noreturn = bool(intr), bool(noret)
        r.truncated, r.enter_missing = bool(trunc), bool(emiss)
        r.fd, r.file, r.arg_path, r.old_file = fd, file, arg_path, old_file
        r.byte_class = bclass.decode() if bclass else None
        r.bytes = nbytes
        r.epoll_target_fd = etfd
        r.flags = flags.decode() if flags else None
        r.addr = addr
        if r.noreturn:
            r.ret = None
        recs.append(r)
    info = {}
    (info["lost"], info["recorded"], info["schema"]) = db.execute(
        "SELECT events_lost, events_recorded, schema_version FROM session").fetchone()
    info["syscalls"] = {nr: (name.decode(), bc.decode() if bc else None)
                        for nr, name, bc in db.execute(
                            "SELECT nr, name, byte_class FROM syscalls")}
    info["procs"] = {}
    for pid, ppid, exe, code in db.execute(
            "SELECT p.pid, p.ppid, x.s, p.exit_code FROM processes p"
            " LEFT JOIN strings x ON x.id = p.exe ORDER BY p.id"):
        info["procs"].setdefault(pid, []).append((ppid, exe, code))
    db.close()
    return recs, info
