#!/usr/bin/env python3
"""Syscall coverage: run build/workloads/coverage under `ior record -f` and
report, for every row of the syscall table (docs/syscalls.md), whether it
was seen succeeding and failing, whether ior recorded it with the table's
family and byte class, and whether the descriptor or path it was given shows
in `file`. Rows not exercised need a reason in tests/coverage/reasons.txt;
rows seen only succeeding (or only failing) need one in
tests/coverage/expect-GROUP.txt ("NAME cannot-fail: why" or "NAME
cannot-succeed: why"). --group G runs one hand-written group
(tests/workloads/coverage_G.c) alone and lists what it did.

  coverage.py [--ior build/ior] [--workloads build/workloads]
              [--write gen/coverage.txt] [--check]

--write puts one status per syscall into gen/coverage.txt (then `make gen`
shows it in docs/syscalls.md); --check exits 1 when a target is missed
(fewer than MIN_SEEN syscalls seen, lost events, a wrong family, byte class
or missing path, a row not both succeeding and failing without a reason, or
an unexplained row)."""

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

MIN_SEEN = 330
NOPATH = b"/nonexistent-ior-coverage/x"

# The byte classes SPEC section 3 fixes, by name: checked against what ior
# recorded, independently of the generated table (which docs/syscalls.md
# and ior both come from, so comparing those two could not fail).
SPEC_BYTE_CLASS = {}
for _n in ("read pread64 readv preadv preadv2 recvfrom recvmsg getxattr lgetxattr "
           "fgetxattr getxattrat listxattr llistxattr flistxattr listxattrat mq_timedreceive "
           "msgrcv").split():
    SPEC_BYTE_CLASS[_n] = "READ"
for _n in "write pwrite64 writev pwritev pwritev2 sendto sendmsg".split():
    SPEC_BYTE_CLASS[_n] = "WRITE"
for _n in "sendfile64 sendfile splice tee vmsplice copy_file_range".split():
    SPEC_BYTE_CLASS[_n] = "TRANSFER"
# Calls that move no bytes by their return value although it is a count or
# an offset: SPEC's msgsnd, mq_timedsend and lseek, and recvmmsg/sendmmsg,
# which return a number of messages (docs/syscalls.md).
SPEC_NO_BYTES = {"msgsnd", "mq_timedsend", "lseek", "recvmmsg", "sendmmsg"}
# SPEC section 3's family placement examples.
SPEC_FAMILY = {"alarm": "Time", "adjtimex": "Time", "file_getattr": "FS",
               "file_setattr": "FS", "fanotify_init": "IPC", "fanotify_mark": "IPC",
               "kexec_load": "Security", "kexec_file_load": "Security", "vmsplice": "Network",
               "splice": "Network", "tee": "Network", "sendfile64": "Network",
               "arch_prctl": "Process"}
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def table_rows():
    """name -> (x86_64 nr or None, family, byte class or None, captured)."""
    rows = {}
    with open(os.path.join(ROOT, "docs", "syscalls.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\| `([a-z0-9_]+)` \| ([0-9–]+) \| [0-9–]+ \| (\w+) \| (\S+) \| (.*?) \|",
                         line)
            if m:
                nr = None if m.group(2) == "–" else int(m.group(2))
                bclass = None if m.group(4) == "–" else m.group(4)
                rows[m.group(1)] = (nr, m.group(3), bclass, m.group(5))
    return rows


def reasons():
    out = {}
    with open(os.path.join(HERE, "reasons.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, why = line.partition(" ")
                out[name] = why.strip()
    return out


def expectations():
    """name -> (kind, reason) from tests/coverage/expect-*.txt, where kind is
    'cannot-succeed' or 'cannot-fail'."""
    out = {}
    for fn in sorted(os.listdir(HERE)):
        if not (fn.startswith("expect-") and fn.endswith(".txt")):
            continue
        with open(os.path.join(HERE, fn), encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                name, _, rest = line.partition(" ")
                kind, _, why = rest.partition(":")
                if kind not in ("cannot-succeed", "cannot-fail"):
                    sys.exit(f"coverage: {fn}: {name}: expected 'cannot-succeed:' or 'cannot-fail:'")
                out[name] = (kind, why.strip())
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ior", default=os.path.join(ROOT, "build", "ior"))
    ap.add_argument("--workloads", default=os.path.join(ROOT, "build", "workloads"))
    ap.add_argument("--write")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--group", help="run one hand-written group alone and list what it did")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ior-coverage-")
    db_path = os.path.join(tmp, "s.db")
    subprocess.run([os.path.abspath(a.ior), "record", "-q", "-f", "-o", db_path, "--",
                    os.path.join(os.path.abspath(a.workloads), "coverage"), tmp]
                   + ([a.group] if a.group else []),
                   check=True, stdin=subprocess.DEVNULL)
    db = sqlite3.connect(db_path)
    db.text_factory = bytes
    scratch = os.path.join(tmp, "coverage-scratch").encode()
    seen = {}
    for name, fam, bclass, ok, bad, files in db.execute(
            "SELECT syscall, family, byte_class,"
            " sum(errno IS NULL AND interrupted = 0),"
            " sum(errno IS NOT NULL AND interrupted = 0),"
            " group_concat(DISTINCT CAST(file AS BLOB))"
            " FROM events_v GROUP BY syscall"):
        seen[name.decode()] = (fam.decode() if fam else None,
                               bclass.decode() if bclass else None, ok, bad, files or b"")
    # Bytes: a successful READ/WRITE/TRANSFER call moved what it returned;
    # every other call (and every failure) moved nothing.
    bytes_wrong = {}
    for name, n in db.execute(
            "SELECT syscall, count(*) FROM events_v WHERE"
            " (byte_class IS NOT NULL AND errno IS NULL AND interrupted = 0 AND ret >= 0"
            "  AND bytes != ret)"
            " OR ((byte_class IS NULL OR errno IS NOT NULL) AND bytes != 0)"
            " GROUP BY syscall"):
        bytes_wrong[name.decode()] = n
    lost = db.execute("SELECT events_lost FROM session").fetchone()[0]
    if a.group:
        for name, (fam, bclass, ok, bad, files) in sorted(seen.items()):
            print(f"  {name:24} {fam:9} ok {ok:4} failed {bad:4}  {files[:60]!r}")
        print(f"coverage: group {a.group}: {len(seen)} syscalls, {lost} lost")
        return 0
    rows, why, expect = table_rows(), reasons(), expectations()
    problems, status = [], {}
    for name, (nr, fam, bclass, captured) in sorted(rows.items()):
        if nr is None:
            status[name] = "not on x86_64"
            continue
        if name not in seen:
            if name not in why:
                problems.append(f"{name}: not exercised and no reason in reasons.txt")
            status[name] = "not exercised: " + why.get(name, "?")
            continue
        rfam, rbclass, ok, bad, files = seen[name]
        if rfam != fam:
            problems.append(f"{name}: family {rfam}, table says {fam}")
        if rbclass != bclass:
            problems.append(f"{name}: byte class {rbclass}, table says {bclass}")
        if name in SPEC_FAMILY and rfam != SPEC_FAMILY[name]:
            problems.append(f"{name}: family {rfam}, SPEC says {SPEC_FAMILY[name]}")
        if rbclass != SPEC_BYTE_CLASS.get(name) and (name in SPEC_BYTE_CLASS or
                                                     name in SPEC_NO_BYTES):
            problems.append(f"{name}: byte class {rbclass}, SPEC says "
                            f"{SPEC_BYTE_CLASS.get(name)}")
        if name in bytes_wrong:
            problems.append(f"{name}: {bytes_wrong[name]} records whose bytes are not what "
                            f"the call moved")
        # The workload gives fd roles descriptor 0 (its scratch file) and path
        # roles NOPATH: where the table says so, `file` must show them.
        if captured in ("fd",) and scratch not in files and name not in why:
            problems.append(f"{name}: fd 0 not resolved to the scratch file ({files[:80]!r})")
        # A path role must show a path the workload used: NOPATH, or one in
        # its directory (any "/" passed before, whatever the path was).
        if captured.startswith("path") or captured.startswith("dirfd+path"):
            if NOPATH not in files and tmp.encode() not in files and name not in why:
                problems.append(f"{name}: path argument not recorded ({files[:80]!r})")
        kind, reason = expect.get(name, (None, ""))
        if ok and bad:
            status[name] = "succeeded and failed"
            if kind:
                problems.append(f"{name}: succeeded and failed, but expect-*.txt says {kind}")
        elif ok:
            status[name] = "succeeded; cannot fail: " + reason if kind == "cannot-fail" else \
                "succeeded, never failed"
        else:
            status[name] = "failed; cannot succeed: " + reason if kind == "cannot-succeed" else \
                "failed, never succeeded"
        if status[name].endswith("never failed") or status[name].endswith("never succeeded"):
            problems.append(f"{name}: {status[name]}, and no reason in expect-*.txt")
    n_seen = sum(1 for n in rows if n in seen)
    both = sum(1 for s in status.values() if s.startswith("succeeded and"))
    print(f"coverage: {n_seen} of {len(rows)} syscalls exercised ({both} both succeeding and"
          f" failing), {len(seen)} distinct names recorded, {lost} lost")
    for name, st in sorted(status.items()):
        if a.verbose or st.startswith("not"):
            print(f"  {name:24} {st}")
    for p in problems:
        print("  PROBLEM " + p)
    if a.write:
        with open(a.write, "w", encoding="utf-8") as f:
            f.write("# Written by tests/coverage/coverage.py --write (make coverage).\n")
            for name, st in sorted(status.items()):
                if name in rows and rows[name][0] is not None:
                    f.write(f"{name} {st}\n")
    failed = n_seen < MIN_SEEN or lost != 0 or bool(problems)
    print(f"coverage: {0 if failed else 1} passed, {1 if failed else 0} failed")
    return 1 if (a.check and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
