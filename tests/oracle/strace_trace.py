"""Parse the output of `strace -f -n -q -y -xx -s 0 -ttt -T -o FILE` into
records (docs/oracle.md, "Running strace").

Every string strace prints under -xx is hex (`"\\x2f\\x74"`), and so is every
-y descriptor path (`3<\\x2f\\x65...>`): the bytes come back exactly, and no
quote, bracket or angle bracket can hide inside a string, which keeps the
argument splitter simple. -s 0 prints data buffers as `""...`; paths are
printed whole (up to PATH_MAX, then `"..."`). -n prefixes the syscall number,
so names are compared by number (strace spells a few differently)."""

import re

from record import Rec

LINE = re.compile(rb"^(\d+)\s+(?:(\d+\.\d+)\s+)?(.*)$")
NR = re.compile(rb"^\[\s*(\d+)\]\s+(.*)$")
START = re.compile(rb"^([a-z_][a-z0-9_]*)\(")
RESUMED = re.compile(rb"^<\.\.\. ([a-z_][a-z0-9_]*) resumed>(.*)$")
RET = re.compile(rb"^\s*=\s+(\?|0x[0-9a-f]+|-?\d+)(<(?:[^>]*)>(?:\(deleted\))?)?"
                 rb"(?:\s+(E[A-Z0-9_]+)\s)?")
DURATION = re.compile(rb"\s+<\d+\.\d+>$")
EXITED = re.compile(rb"^\+\+\+ (exited with (\d+)|killed by (SIG[A-Z0-9]+)(?: \(core dumped\))?) \+\+\+$")
FDTOK = re.compile(rb"^(-?\d+|AT_FDCWD)<((?:\\x[0-9a-f]{2})*)>(\(deleted\))?$")
STRTOK = re.compile(rb'^"((?:\\x[0-9a-f]{2})*)"(\.\.\.)?$')
HEX = re.compile(rb"\\x([0-9a-f]{2})")


def unhex(s):
    """\\xNN... (strace -xx) back to raw bytes."""
    return bytes(int(h, 16) for h in HEX.findall(s))


def fd_path(token):
    """`<hex>` or `<hex>(deleted)` after a returned descriptor: the path as
    /proc/PID/fd shows it. strace 6.1 prints a deleted file's ' (deleted)'
    suffix outside the brackets and without the space; put it back."""
    deleted = token.endswith(b"(deleted)")
    if deleted:
        token = token[:-len(b"(deleted)")]
    return unhex(token[1:-1]) + (b" (deleted)" if deleted else b"")


def split_args(text):
    """Split the text between a call's parentheses into its top-level
    arguments; returns (args, rest) where rest follows the closing ')'."""
    args, depth, start, i, n = [], 0, 0, 0, len(text)
    in_str = False
    while i < n:
        c = text[i]
        if in_str:
            if c == 0x22:  # '"'; -xx strings hold no quote
                in_str = False
        elif c == 0x22:
            in_str = True
        elif c in b"([{":
            depth += 1
        elif c in b")]}":
            if depth == 0:
                a = text[start:i].strip()
                if a:
                    args.append(a)
                return args, text[i + 1:]
            depth -= 1
        elif c == 0x3C and depth == 0:  # '<' of a -y path: skip to '>'
            j = text.find(b">", i)
            if j > 0:
                i = j
        elif c == 0x2C and depth == 0:
            args.append(text[start:i].strip())
            start = i + 1
        i += 1
    return None, b""


def parse_call(nr, body, tid, ts=0.0):
    """One complete call line (after joining unfinished/resumed) -> Rec."""
    m = START.match(body)
    if not m:
        return None
    args, rest = split_args(body[m.end():])
    if args is None:
        return None
    rest = DURATION.sub(b"", rest)
    rm = RET.match(rest)
    if not rm:
        return None
    r = Rec("strace", tid)
    r.nr, r.ts = nr, ts
    r.sname = m.group(1).decode()
    r.raw = body
    ret, fdpath, err = rm.groups()
    if ret == b"?":
        if err and err.startswith(b"ERESTART"):
            r.interrupted = True
            r.errno = err.decode()
        else:
            r.noreturn = True
    else:
        if ret.startswith(b"0x"):
            r.ret = int(ret, 16)
        elif len(ret) > 1 and ret.startswith(b"0"):
            r.ret = int(ret, 8)  # umask's old mask is printed in octal
        else:
            r.ret = int(ret)
        if err:
            r.errno = err.decode()
        if fdpath is not None:
            r.retfd_path = fd_path(fdpath)
    for pos, a in enumerate(args):
        fm = FDTOK.match(a)
        if fm:
            num = fm.group(1)
            path = unhex(fm.group(2)) + (b" (deleted)" if fm.group(3) else b"")
            r.fdargs.append((pos, None if num == b"AT_FDCWD" else int(num), path))
            continue
        sm = STRTOK.match(a)
        if sm:
            r.strs.append((pos, unhex(sm.group(1)), sm.group(2) is not None))
    r.args = args
    return r


def parse(path):
    """Records in file order and the exits: (recs, {tid: ('exit', code) |
    ('signal', name)}). A call left unfinished when its task ended (strace
    prints no resumed line for it) becomes a noreturn record."""
    recs, pending, exits = [], {}, {}
    with open(path, "rb") as f:
        for line in f:
            m = LINE.match(line.rstrip(b"\n"))
            if not m:
                continue
            tid, body = int(m.group(1)), m.group(3)
            ts = float(m.group(2)) if m.group(2) else 0.0
            nm = NR.match(body)
            nr = None
            if nm:
                nr, body = int(nm.group(1)), nm.group(2)
            if body.startswith(b"---"):
                continue
            if body.startswith(b"+++"):
                em = EXITED.match(body)
                if em:
                    exits[tid] = ("exit", int(em.group(2))) if em.group(2) is not None \
                        else ("signal", em.group(3).decode())
                if tid in pending:
                    pnr, pbody, pts = pending.pop(tid)
                    r = parse_call(pnr, pbody + b") = ?", tid, pts)
                    if r:
                        recs.append(r)
                continue
            if body.endswith(b"<unfinished ...>"):
                pending[tid] = (nr, body[: -len(b"<unfinished ...>")].rstrip(), ts)
                continue
            rm = RESUMED.match(body)
            if rm:
                pnr, pbody, ts = pending.pop(tid, (nr, rm.group(1) + b"(", ts))
                body = pbody + rm.group(2)
                nr = pnr if pnr is not None else nr
            r = parse_call(nr, body, tid, ts)
            if r:
                recs.append(r)
    return recs, exits
