"""Compare one workload's strace records with its ior records
(docs/oracle.md, "How records are compared").

1. Threads and processes: strace's tids are grouped into processes from the
   clone calls (CLONE_THREAD or not); ior records carry pid and tid.
2. Pairing: the first process of each run is paired; then, inside each pair
   of threads, the aligned clone/fork/vfork calls pair the children they
   created, recursively: a process is known by its place in the fork tree.
   Children no aligned call paired are paired in order of creation among
   those of the same kind (thread/process) and the same exec'd programs.
3. Alignment: each pair of threads' call sequences are aligned (difflib) on
   (syscall number, descriptor); inside a block that differs, again on the
   number alone, so a call whose descriptor differs is still compared. When
   both threads made as many successful clones, the k-th with the k-th, and
   only the calls between them are aligned (see align()).
4. Checks of every aligned pair: outcome (ret, errno, noreturn, restart),
   pid, the descriptor and the path behind it, path arguments (as passed and
   resolved), both paths of renames and links, bytes and byte class.
   Unaligned records are mismatches unless a rule explains them."""

import collections
import difflib
import re
import signal

import rules
from strace_trace import unhex

CLONES = {"clone", "clone3", "fork", "vfork"}
ADDRESS_CALLS = {"mmap", "mremap", "brk", "shmat"}
PID_CALLS = CLONES | {"getpid", "gettid", "getppid", "set_tid_address", "wait4", "waitid",
                      "getpgid", "getpgrp", "getsid", "setsid", "setpgid"}
CLOCK_CALLS = {"time", "times", "gettimeofday", "clock_gettime", "clock_getres"}
POLL_CALLS = {"poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait",
              "epoll_pwait2"}
WAIT_CALLS = {"wait4", "waitid"}
SLEEP_CALLS = {"sched_yield", "nanosleep", "clock_nanosleep"}
SIGNAL_CALLS = {"rt_sigreturn", "restart_syscall"}
STREAM_IO = {"read", "write", "readv", "writev", "recvfrom", "sendto", "recvmsg", "sendmsg",
             "recvmmsg", "sendmmsg", "splice", "tee", "sendfile", "pread64", "pwrite64"}
THREAD_STACK_CALLS = {"mmap", "mprotect", "munmap", "madvise"}

# The byte classes SPEC section 3 fixes, by syscall name (checked against
# ior's byte_class of every aligned record).
BYTE_CLASS = {}
for _n in ("read pread64 readv preadv preadv2 recvfrom recvmsg getxattr lgetxattr fgetxattr "
           "getxattrat listxattr llistxattr flistxattr listxattrat mq_timedreceive msgrcv"
           ).split():
    BYTE_CLASS[_n] = "READ"
for _n in "write pwrite64 writev pwritev pwritev2 sendto sendmsg".split():
    BYTE_CLASS[_n] = "WRITE"
for _n in "sendfile splice tee vmsplice copy_file_range".split():
    BYTE_CLASS[_n] = "TRANSFER"

# Path arguments by strace name: name -> (index of the path, index of its
# dirfd or None). The path is resolved against the dirfd's -y path
# (AT_FDCWD<cwd> included) or, without a dirfd, the process's cwd.
PATH_ARG = {
    "open": (0, None), "creat": (0, None), "openat": (1, 0), "openat2": (1, 0),
    "access": (0, None), "faccessat": (1, 0), "faccessat2": (1, 0), "stat": (0, None),
    "lstat": (0, None), "newfstatat": (1, 0), "statx": (1, 0), "readlink": (0, None),
    "readlinkat": (1, 0), "mkdir": (0, None), "mkdirat": (1, 0), "rmdir": (0, None),
    "unlink": (0, None), "unlinkat": (1, 0), "chdir": (0, None), "chroot": (0, None),
    "truncate": (0, None), "chmod": (0, None), "fchmodat": (1, 0), "fchmodat2": (1, 0),
    "chown": (0, None), "lchown": (0, None), "fchownat": (1, 0), "utime": (0, None),
    "utimes": (0, None), "utimensat": (1, 0), "futimesat": (1, 0), "mknod": (0, None),
    "mknodat": (1, 0), "execve": (0, None), "execveat": (1, 0), "statfs": (0, None),
    "getxattr": (0, None), "lgetxattr": (0, None), "setxattr": (0, None),
    "lsetxattr": (0, None), "listxattr": (0, None), "llistxattr": (0, None),
    "removexattr": (0, None), "lremovexattr": (0, None), "inotify_add_watch": (1, None),
    "umount2": (0, None), "swapon": (0, None), "swapoff": (0, None), "acct": (0, None),
    "name_to_handle_at": (1, 0), "fanotify_mark": (4, 3), "open_tree": (1, 0),
    "getxattrat": (1, 0), "setxattrat": (1, 0), "listxattrat": (1, 0),
    "removexattrat": (1, 0), "file_getattr": (1, 0), "file_setattr": (1, 0),
}
# name -> (old path, its dirfd, new path, its dirfd)
TWO_PATHS = {"rename": (0, None, 1, None), "renameat": (1, 0, 3, 2),
             "renameat2": (1, 0, 3, 2), "link": (0, None, 1, None), "linkat": (1, 0, 3, 2)}
# name -> (target, link path, its dirfd): the target is stored as passed
SYMLINKS = {"symlink": (0, 1, None), "symlinkat": (0, 2, 1)}
# Calls that create a descriptor and act on none (a dirfd is no descriptor
# acted on): ior's fd is the new one.
DIRFD_CREATORS = {"openat", "openat2", "open_tree", "open_by_handle_at"}

RANDOM_NAMES = [
    re.compile(rb"(/cc)([A-Za-z0-9]{6})(\.[a-z]+)"),        # gcc
    re.compile(rb"(/sort)([A-Za-z0-9]{6})$"),               # sort
    re.compile(rb"(tmp_obj_|tmp_idx_|tmp_pack_)([A-Za-z0-9]{6})"),  # git
    re.compile(rb"(/\.git/t)([A-Za-z0-9]{6})$"),            # git init's symlink test
    re.compile(rb"(/etilqs_)([A-Za-z0-9]{16})"),            # sqlite
    re.compile(rb"(/tmp)([a-z0-9_]{8})(/|$)"),              # python tempfile
]
INODE = re.compile(rb"^(pipe|socket|anon_inode):\[(\d+)\]$")
PROC_PID = re.compile(rb"^/proc/(\d+)(/|$)")
MEMORY_CALLS = {"mmap", "munmap", "mremap", "brk", "mprotect", "madvise"}


def resolve(base, rel):
    """ior's lexical resolution (core/path.c): rel against base, with '.'
    and '..' folded, never above '/'."""
    parts = []
    absolute = rel.startswith(b"/") or (base is not None and base.startswith(b"/"))
    src = [rel] if rel.startswith(b"/") or base is None else [base, rel]
    for s in src:
        for c in s.split(b"/"):
            if c in (b"", b"."):
                continue
            if c == b"..":
                if parts:
                    parts.pop()
                continue
            parts.append(c)
    out = b"/".join(parts)
    if absolute:
        return b"/" + out
    return out or b"."



OPEN_FLAGS_ARG = {"open": 1, "openat": 2}
HOW_FLAGS = re.compile(rb"flags=([A-Z0-9_|x]+)")
SA_FAMILY = re.compile(rb"^\{sa_family=(AF_[A-Z0-9]+)")
SA_PORT = re.compile(rb"sin6?_port=htons\((\d+)\)")
SA_INET = re.compile(rb'inet_addr\("([^"]*)"\)')
SA_INET6 = re.compile(rb'inet_pton\(AF_INET6, "([^"]*)"')
SA_UNIX = re.compile(rb'sun_path=(@?)"([^"]*)"')
PORT = re.compile(rb"^(AF_INET6? .*):(\d+)$")


def strace_open_flags(s):
    """The set of flag names strace printed for an open call, or None."""
    if s.name == "openat2" and len(s.args) > 2:
        m = HOW_FLAGS.search(s.args[2])
        return set(m.group(1).decode().split("|")) if m else None
    pos = OPEN_FLAGS_ARG.get(s.name)
    if pos is None or len(s.args) <= pos:
        return None
    return set(s.args[pos].decode().split("|"))


def strace_sockaddr(s):
    """strace's decoded socket address, written as ior writes it ("AF_INET
    127.0.0.1:80", "AF_INET6 [::1]:80", "AF_UNIX /path", "AF_UNIX @name"),
    or None when the call shows none (a NULL or unwritten address)."""
    for a in s.args:
        m = SA_FAMILY.match(a)
        if not m:
            continue
        fam = m.group(1).decode()
        port = SA_PORT.search(a)
        if fam == "AF_INET" and port and SA_INET.search(a):
            host = unhex(SA_INET.search(a).group(1)).decode()
            return f"AF_INET {host}:{port.group(1).decode()}".encode()
        if fam == "AF_INET6" and port and SA_INET6.search(a):
            host = unhex(SA_INET6.search(a).group(1)).decode()
            return f"AF_INET6 [{host}]:{port.group(1).decode()}".encode()
        if fam == "AF_UNIX":
            u = SA_UNIX.search(a)
            if not u:
                return b"AF_UNIX (unnamed)"
            return b"AF_UNIX " + u.group(1) + unhex(u.group(2))
        return None
    return None

class Bijection:
    """A one-to-one mapping built as pairs are seen: the same strace value
    must always meet the same ior value."""

    def __init__(self):
        self.fwd, self.back = {}, {}

    def check(self, a, b):
        if a in self.fwd or b in self.back:
            return self.fwd.get(a) == b and self.back.get(b) == a
        self.fwd[a], self.back[b] = b, a
        return True


class Result:
    """What one workload's comparison found. Each metric (core: name, ret,
    errno and pid; path; bytes) counts records compared, records that agree
    (after NORMALIZE rules), records whose difference an EXPLAIN rule covers,
    and mismatches; tree counts the process-structure checks."""

    METRICS = ("core", "path", "bytes", "args", "tree")

    def __init__(self):
        self.s_total = self.i_total = self.matched = 0
        self.n = collections.Counter()
        self.ok = collections.Counter()
        self.n_expl = collections.Counter()
        self.n_known = collections.Counter()
        self.known = collections.defaultdict(list)      # bug -> [(s, i, what)]
        self.n_bad = collections.Counter()
        self.normalized = collections.Counter()   # rule -> uses
        self.explained = collections.defaultdict(list)  # rule -> [(s, i, what)]
        # rule -> [(s, i, what)]: records a rule would explain by name, but
        # the other run has no such call to pair them with (counted bad)
        self.unwitnessed = collections.defaultdict(list)
        self.mismatch = collections.defaultdict(list)   # kind -> [(s, i, what)]
        self.spelling = collections.Counter()     # (strace name, ior name)
        self.tree = {}
        self.multiset = []                        # (threads, name, strace n, ior n, why)
        self.lost = 0
        self.hostile = None

    def count(self, metric, outcome):
        """One record's verdict on a metric: True, a rule's name, or False."""
        self.n[metric] += 1
        if outcome is True:
            self.ok[metric] += 1
        elif isinstance(outcome, str) and outcome.startswith("known:"):
            self.n_known[metric] += 1
        elif outcome:
            self.n_expl[metric] += 1
        else:
            self.n_bad[metric] += 1

    def explain(self, rule, s, i, what=""):
        assert rule in rules.EXPLAIN, rule
        self.explained[rule].append((s, i, what))
        return rule

    def known_bug(self, bug, s, i, what=""):
        assert bug in rules.KNOWN, bug
        self.known[bug].append((s, i, what))
        return "known:" + bug

    def bad(self, kind, s, i, what=""):
        self.mismatch[kind].append((s, i, what))
        return False

    def norm(self, rule):
        assert rule in rules.NORMALIZE, rule
        self.normalized[rule] += 1
        return True

    def pct(self, metric):
        return 100.0 * self.ok[metric] / self.n[metric] if self.n[metric] else 100.0

    def pct_explained(self, metric):
        """Agreement once explained differences and known engine bugs count."""
        n = self.n[metric]
        return 100.0 * (self.ok[metric] + self.n_expl[metric] + self.n_known[metric]) / n \
            if n else 100.0

    def unexplained(self):
        return sum(len(v) for v in self.mismatch.values())


class Side:
    """One run's records grouped by thread, with its process tree."""

    def __init__(self, recs, syscalls):
        self.recs = recs
        self.threads = collections.OrderedDict()
        for r in recs:
            if r.name is None:
                r.name = syscalls.get(r.nr, (r.sname,))[0] if r.nr is not None else r.sname
            th = self.threads.setdefault(r.tid, [])
            r.prev = th[-1] if th else None
            if th:
                th[-1].next = r
            th.append(r)
        self.children = collections.defaultdict(list)  # tid -> [(rec, child tid)]
        self.is_thread = {}
        self.tgid = {}

    def root(self):
        return next(iter(self.threads)) if self.threads else None


def strace_side(recs, syscalls, workdir):
    """Group strace records; find each tid's process from the clone calls,
    and each record's cwd (for paths given without a dirfd)."""
    side = Side(recs, syscalls)
    parent = {}
    for r in recs:
        if r.name in CLONES and r.ret is not None and r.ret > 0 and not r.errno:
            thread = any(b"CLONE_THREAD" in a for a in r.args)
            parent[r.ret] = r.tid
            side.is_thread[r.ret] = thread
            side.children[r.tid].append((r, r.ret))

    def tgid(t):
        seen = []
        while side.is_thread.get(t) and t in parent and t not in seen:
            seen.append(t)
            t = parent[t]
        return t
    for t in side.threads:
        side.tgid[t] = tgid(t)
    for r in recs:
        r.pid = side.tgid.get(r.tid, r.tid)
    # cwd per process, in file order; children inherit it
    cwd = {}
    for r in recs:
        c = cwd.get(r.pid)
        if c is None:
            c = cwd.get(side.tgid.get(parent.get(r.pid), parent.get(r.pid)), workdir)
        for pos, fd, path in r.fdargs:
            if fd is None:
                c = path  # AT_FDCWD<cwd>: strace read it at this call
        r.cwd = c
        if r.ok() and r.name == "chdir" and r.strs:
            c = resolve(c, r.strs[0][1])
        elif r.ok() and r.name == "fchdir" and r.fdargs:
            c = r.fdargs[0][2]
        cwd[r.pid] = c
        if r.name in CLONES and r.ret and r.ret > 0 and not side.is_thread.get(r.ret):
            cwd[r.ret] = c
    return side


def ior_side(recs, syscalls):
    side = Side(recs, syscalls)
    for r in recs:
        side.tgid[r.tid] = r.pid
    for r in recs:
        if r.name in CLONES and r.ret is not None and r.ret > 0:
            child = r.ret
            side.is_thread[child] = side.tgid.get(child) == r.pid and child != r.pid
            side.children[r.tid].append((r, child))
    return side


def s_fd(r):
    """The descriptor a strace record acts on, in ior's terms (events_v.fd):
    the first -y decorated descriptor argument, or the new descriptor of a
    call that acts on none."""
    first = next((fd for pos, fd, path in r.fdargs if fd is not None), None)
    if r.retfd_path is not None and r.ret is not None and r.ret >= 0 and \
            (first is None or r.name in DIRFD_CREATORS):
        return r.ret
    return first


def i_fd(r):
    return r.fd if r.fd is not None and r.fd >= 0 and r.file is not None else None


def align(ss, ii):
    """[(s or None, i or None)] for two threads' records. When both threads
    made as many successful clones, of the same calls, they are anchors: the
    k-th child of a thread is the same task in both runs, and only the calls
    between two anchors are aligned together. Otherwise a run of futex calls
    (a pthread_join that waited in one run, not in the other) can align a
    clone with its sibling's and pair a thread with the wrong one (issue 11:
    threads' second wave, r0.dat against r1.dat)."""
    sa = [k for k, r in enumerate(ss) if forked(r)]
    ib = [k for k, r in enumerate(ii) if forked(r)]
    if not sa or len(sa) != len(ib) or any(ss[a].nr != ii[b].nr for a, b in zip(sa, ib)):
        return align_run(ss, ii)
    out, ps, pi = [], 0, 0
    for a, b in zip(sa, ib):
        out.extend(align_run(ss[ps:a], ii[pi:b]))
        out.append((ss[a], ii[b]))
        ps, pi = a + 1, b + 1
    out.extend(align_run(ss[ps:], ii[pi:]))
    return out


def forked(r):
    """A clone/fork/vfork that made a child (its parent's record)."""
    return r.name in CLONES and r.ret is not None and r.ret > 0 and not r.errno


def align_run(ss, ii):
    """align() between two anchors."""
    out = []
    a = [(r.nr, s_fd(r)) for r in ss]
    b = [(r.nr, i_fd(r)) for r in ii]
    # common prefix and suffix first: most of a workload agrees
    lo = 0
    while lo < len(a) and lo < len(b) and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < len(a) - lo and hi < len(b) - lo and a[-1 - hi] == b[-1 - hi]:
        hi += 1
    for k in range(lo):
        out.append((ss[k], ii[k]))
    mid = []
    sm = difflib.SequenceMatcher(None, a[lo:len(a) - hi], b[lo:len(b) - hi], autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        a0, a1, b0, b1 = a0 + lo, a1 + lo, b0 + lo, b1 + lo
        if op == "equal":
            mid.extend(zip(ss[a0:a1], ii[b0:b1]))
            continue
        # a block that differs: align it again on the syscall number alone
        sub = difflib.SequenceMatcher(None, [r.nr for r in ss[a0:a1]],
                                      [r.nr for r in ii[b0:b1]], autojunk=False)
        for op2, c0, c1, d0, d1 in sub.get_opcodes():
            if op2 == "equal":
                mid.extend(zip(ss[a0 + c0:a0 + c1], ii[b0 + d0:b0 + d1]))
            else:
                mid.extend((r, None) for r in ss[a0 + c0:a0 + c1])
                mid.extend((None, r) for r in ii[b0 + d0:b0 + d1])
    out.extend(mid)
    for k in range(hi):
        out.append((ss[len(ss) - hi + k], ii[len(ii) - hi + k]))
    return out


def exec_key(recs):
    return tuple(p for p in (exec_path(r) for r in recs) if p is not None)


def exec_path(r):
    if r.name not in ("execve", "execveat") or not r.ok():
        return None
    if r.side == "strace":
        return r.strs[0][1] if r.strs else b""
    return r.arg_path if r.arg_path is not None else r.file


def combine(outcomes):
    """Several checks of one record: False if any failed, else a rule if one
    explained a difference, else True."""
    if any(o is False for o in outcomes):
        return False
    return next((o for o in outcomes if isinstance(o, str)), True)


class Compare:
    def __init__(self, s_recs, s_exits, i_recs, i_info, workdir, strace_pid):
        self.res = Result()
        self.res.lost = i_info["lost"]
        syscalls = i_info["syscalls"]
        self.S = strace_side(s_recs, syscalls, workdir)
        self.I = ior_side(i_recs, syscalls)
        self.s_exits, self.i_procs = s_exits, i_info["procs"]
        self.res.s_total, self.res.i_total = len(s_recs), len(i_recs)
        self.tidmap = {}       # strace tid -> ior tid
        self.name_counts = None  # side -> Counter((pid, name)), for witnessed()
        self.inodes = Bijection()
        self.ports = Bijection()
        self.randoms = Bijection()
        self.strace_pid = strace_pid
        self.threaded = {"strace": {self.S.tgid.get(t) for t, th in self.S.is_thread.items() if th},
                         "ior": {self.I.tgid.get(t) for t, th in self.I.is_thread.items() if th}}
        self.renames = []      # (old, new) resolved, from ior's records
        for r in i_recs:
            if r.name in TWO_PATHS and r.name.startswith("rename") and r.ok() and r.old_file:
                self.renames.append((r.old_file, r.file))

    # --- pairing -----------------------------------------------------------
    def run(self):
        s_root, i_root = self.S.root(), self.I.root()
        pairs = collections.deque()
        if s_root is not None and i_root is not None:
            pairs.append((s_root, i_root))
            self.tidmap[s_root] = i_root
        aligned = []
        while pairs:
            st, it = pairs.popleft()
            al = align(self.S.threads.get(st, []), self.I.threads.get(it, []))
            aligned.append((st, it, al))
            paired_s, paired_i = set(), set()
            for s, i in al:
                if s and i and s.name in CLONES and s.ret and i.ret and s.ret > 0 and i.ret > 0 \
                        and not s.errno and not i.errno:
                    if s.ret not in self.tidmap and i.ret not in self.tidmap.values():
                        self.tidmap[s.ret] = i.ret
                        pairs.append((s.ret, i.ret))
                    paired_s.add(s.ret)
                    paired_i.add(i.ret)
            # children the alignment did not pair: by kind and exec'd programs
            left_s = [c for _, c in self.S.children.get(st, []) if c not in paired_s
                      and c not in self.tidmap]
            left_i = [c for _, c in self.I.children.get(it, []) if c not in paired_i
                      and c not in self.tidmap.values()]
            for c in left_s:
                key = (self.S.is_thread.get(c, False), exec_key(self.S.threads.get(c, [])))
                for d in left_i:
                    if (self.I.is_thread.get(d, False),
                            exec_key(self.I.threads.get(d, []))) == key:
                        left_i.remove(d)
                        self.tidmap[c] = d
                        pairs.append((c, d))
                        break
        # pids through the pairing; the first process's parent is the tracer
        self.pidmap = dict(self.tidmap)
        i_parent = self.i_procs.get(i_root, [(None,)])[0][0] if i_root else None
        self.pidmap[self.strace_pid] = i_parent
        left = collections.defaultdict(lambda: ([], []))  # process pair -> unaligned
        for st, it, al in aligned:
            for s, i in al:
                if s and i:
                    self.res.matched += 1
                    self.compare_pair(s, i)
                else:
                    key = (self.S.tgid.get(st, st), self.I.tgid.get(it, it))
                    left[key][0 if s else 1].append(s or i)
        paired_i = set(self.tidmap.values())
        for t, recs in self.S.threads.items():
            if t not in self.tidmap:
                key = (self.S.tgid.get(t, t), self.pidmap.get(self.S.tgid.get(t, t)))
                left[key][0].extend(recs)
        for t, recs in self.I.threads.items():
            if t not in paired_i:
                pid = self.I.tgid.get(t, t)
                key = (next((k for k, v in self.pidmap.items() if v == pid), None), pid)
                left[key][1].extend(recs)
        for key, (ss, ii) in left.items():
            self.compare_leftovers(key, ss, ii)
        self.compare_counts()
        self.compare_tree()
        return self.res

    def compare_leftovers(self, key, ss, ii):
        """Records the thread alignment left alone, per process pair: the same
        call made by another thread of the process or at another place among
        its calls (thread-work), or moved by the allocator (aslr-alloc), is
        paired and compared; the rest are unaligned records, explained by a
        rule or mismatches."""
        ss = sorted(ss, key=lambda r: r.ts)
        ii = sorted(ii, key=lambda r: r.ts)
        pool = collections.defaultdict(collections.deque)
        for r in ii:
            pool[(r.nr, i_fd(r), r.errno)].append(r)
        used = set()
        for s in ss:
            # calls a timing rule explains are not searched for elsewhere
            q = pool.get((s.nr, s_fd(s), s.errno)) if not self.timing_rule(s) else None
            i = q.popleft() if q else None
            if i is None or key[0] is None or key[1] is None:
                self.unaligned(s, None)
                continue
            if self.tidmap.get(s.tid) != i.tid or s.pid in self.threaded["strace"]:
                why = "thread-work"
            elif s.name in MEMORY_CALLS and s_fd(s) is None:
                why = "aslr-alloc"
            else:
                why = "moved"
            used.add(id(i))
            self.res.matched += 1
            self.compare_pair(s, i, why)
        for i in ii:
            if id(i) not in used:
                self.unaligned(None, i)

    def compare_counts(self):
        """The multiset of syscalls per process pair (all its threads)."""
        s_count = collections.defaultdict(collections.Counter)
        i_count = collections.defaultdict(collections.Counter)
        for r in self.S.recs:
            s_count[r.pid][r.name] += 1
        for r in self.I.recs:
            i_count[r.pid][r.name] += 1
        for sp, ip in self.pidmap.items():
            if sp not in s_count and ip not in i_count:
                continue
            a, b = s_count.get(sp, collections.Counter()), i_count.get(ip, collections.Counter())
            for name in sorted(set(a) | set(b)):
                if a[name] != b[name]:
                    why = collections.Counter()
                    for rule, items in self.res.explained.items():
                        for s, i, what in items:
                            r = s or i
                            if r.name == name and r.pid == (sp if r is s else ip) and \
                                    what.startswith("only in"):
                                why[rule] += 1
                    for kind, items in self.res.mismatch.items():
                        for s, i, what in items:
                            r = s or i
                            if r and r.name == name and (s is None or i is None):
                                why["MISMATCH " + kind] += 1
                    self.res.multiset.append(((sp, ip), name, a[name], b[name],
                                              ", ".join(f"{k} {v}" for k, v in why.items())))

    def unaligned(self, s, i):
        """A record without a partner: explained by a rule or a mismatch.
        Returns the rule's name, or None."""
        r = s or i
        side = self.S if s else self.I
        kind = "unaligned"
        if r.tid not in (self.tidmap if s else set(self.tidmap.values())):
            kind = "unpaired-thread" if side.is_thread.get(r.tid) else "unpaired-process"
        rule = self.timing_rule(r)
        if rule and not self.witnessed(r):
            # A rule that goes by the syscall's name alone explains a record
            # only when the other run's paired process made that call too
            # (more or fewer times, as the rule says): an ior that dropped
            # every futex must not pass as futex-timing. Without a witness
            # the record counts against agreement (not as a mismatch: a
            # single EINTR in one run is still possible).
            self.res.unwitnessed[rule].append((s, i, "only in " + r.side +
                                               f"; no {r.name} at all in the other run's process"))
            self.res.count("core", False)
            return None
        if rule:
            self.res.explain(rule, s, i, "only in " + r.side)
        else:
            self.res.bad(kind, s, i, "only in " + r.side)
        self.res.count("core", rule or False)
        return rule

    def witnessed(self, r):
        """Did the other run's process paired with r's make a call of r's
        name?"""
        if self.name_counts is None:
            self.name_counts = {
                "strace": collections.Counter((x.pid, x.name) for x in self.S.recs),
                "ior": collections.Counter((x.pid, x.name) for x in self.I.recs)}
        if r.side == "strace":
            other, pid = "ior", self.pidmap.get(r.pid)
        else:
            other = "strace"
            pid = next((k for k, v in self.pidmap.items() if v == r.pid), None)
        counts = self.name_counts.get(other)
        return pid is not None and counts is not None and counts[(pid, r.name)] > 0

    def timing_rule(self, r):
        """The rule that explains a record appearing in one run only."""
        name = r.name
        if name in ("futex", "futex_wait", "futex_wake", "futex_waitv"):
            return "futex-timing"
        if name in POLL_CALLS:
            return "readiness"
        if name in WAIT_CALLS:
            return "reap"
        if name in ("rt_sigprocmask", "rt_sigsuspend") and any(
                n is not None and n.name in WAIT_CALLS | {"rt_sigsuspend"}
                for n in (r.prev, r.next)):
            return "reap"  # a shell's wait loop blocks signals around each wait4
        if name in SLEEP_CALLS:
            return "sleep-loop"
        if name == "getrandom":
            return "random-draws"
        if name in SIGNAL_CALLS or r.interrupted or r.errno == "EINTR":
            return "signal-timing"
        if name in STREAM_IO and (self.is_stream(r) or self.copies_stream(r)):
            return "pipe-pace"
        if name in THREAD_STACK_CALLS and self.in_thread_process(r):
            return "thread-stack"
        return None

    def copies_stream(self, r):
        """A write of what the thread's previous call read from a pipe or
        socket: its size follows that read's."""
        p = r.prev
        return r.name in ("write", "writev", "sendto", "sendmsg") and p is not None and \
            p.name in ("read", "readv", "recvfrom", "recvmsg") and self.is_stream(p) and \
            p.ret is not None and p.ret == r.ret and r.ret is not None and r.ret > 0

    def in_thread_process(self, r):
        side = self.S if r.side == "strace" else self.I
        return any(side.is_thread.get(t) and side.tgid.get(t) == r.pid for t in side.is_thread)

    def is_stream(self, r):
        p = self.path_of_fd(r)
        return p is not None and (p.startswith(b"pipe:") or p.startswith(b"socket:"))

    @staticmethod
    def path_of_fd(r):
        if r.side == "strace":
            return next((p for pos, fd, p in r.fdargs if fd is not None), None)
        return r.file if r.fd is not None else None

    # --- fields --------------------------------------------------------------
    def compare_pair(self, s, i, why=None):
        """Compare a pair of records; why says how the pair was made when not
        by the alignment of one thread pair (compare_leftovers)."""
        res = self.res
        core = self.compare_outcome(s, i)
        tid_ok = self.tidmap.get(s.tid) == i.tid or why == "thread-work"
        if self.pidmap.get(s.pid) != i.pid or not tid_ok:
            core = res.bad("pid", s, i, f"strace pid {s.pid} pairs with ior pid "
                           f"{self.pidmap.get(s.pid)}, record has {i.pid}")
        elif why == "thread-work":
            res.norm("thread-work")
        elif why == "aslr-alloc":
            res.norm("aslr-alloc")
        elif why == "moved" and (self.after_signal(s) or self.after_signal(i)):
            core = res.explain("signal-timing", s, i,
                               "moved with the signal that triggered it")
        elif why == "moved":
            core = res.bad("moved", s, i, "the same call at another place in the thread")
        if i.enter_missing:
            # nothing in these workloads is denied by seccomp or started mid-call
            core = res.bad("enter-missing", s, i, "ior saw only the exit of this call")
        if s.sname != i.name:
            res.spelling[(s.sname, i.name)] += 1
            res.norm("by-number")
        res.count("core", core)
        p = self.compare_paths(s, i)
        if p is not None:
            res.count("path", p)
        b = self.compare_bytes(s, i, core)
        if b is not None:
            res.count("bytes", b)
        a = self.compare_args(s, i)
        if a is not None:
            res.count("args", a)

    @staticmethod
    def after_signal(r, within=16):
        """Does r come shortly after a signal landed in its thread (an
        rt_sigreturn, or a call the signal interrupted)? A handler's work,
        or a shell's trap run once the handler has returned, happens there."""
        p = r.prev
        for _ in range(within):
            if p is None:
                return False
            if p.name in SIGNAL_CALLS or p.interrupted or p.errno == "EINTR":
                return True
            p = p.prev
        return False

    def compare_outcome(self, s, i):
        res = self.res
        if s.noreturn or i.noreturn:
            if s.noreturn and i.noreturn:
                return res.norm("noreturn")
            if i.noreturn and s.name == "rt_sigreturn":
                return res.norm("sigreturn")
            return res.bad("outcome", s, i, "noreturn on one side only")
        if s.interrupted or i.interrupted:
            if s.interrupted and i.interrupted and s.errno == i.errno:
                return res.norm("restart")
            if s.interrupted != i.interrupted:
                return res.explain("signal-timing", s, i, "interrupted in one run only")
            return res.bad("errno", s, i)
        if s.errno or i.errno:
            if s.errno == i.errno:
                return res.norm("errno-form")
            rule = self.value_rule(s, i)
            if rule:
                return res.explain(rule, s, i, f"errno {s.errno} vs {i.errno}")
            return res.bad("errno", s, i)
        if s.name in ADDRESS_CALLS:
            return res.norm("aslr")
        if s.name in CLOCK_CALLS:
            return res.norm("clock")
        if s.name in PID_CALLS and s.ret and s.ret > 0:
            mapped = self.pidmap.get(s.ret, s.ret)
            if mapped == i.ret:
                return res.norm("pid-map") if s.ret != i.ret else True
            rule = self.value_rule(s, i)
            if rule:
                return res.explain(rule, s, i, f"pid {s.ret} (ior {mapped}) vs {i.ret}")
            return res.bad("ret", s, i, f"pid {s.ret} pairs with {mapped}")
        if s.ret == i.ret:
            return True
        rule = self.value_rule(s, i)
        if rule:
            return res.explain(rule, s, i, f"ret {s.ret} vs {i.ret}")
        return res.bad("ret", s, i)

    def value_rule(self, s, i):
        """The rule that explains two different results of one call."""
        if s.name.startswith("futex"):
            return "futex-timing"
        if s.name in POLL_CALLS:
            return "readiness"
        if s.name in WAIT_CALLS:
            return "reap"
        if s.name in STREAM_IO and (self.is_stream(s) or self.is_stream(i)):
            return "pipe-pace"
        if self.copies_stream(s) and self.copies_stream(i):
            return "pipe-pace"
        if s.retfd_path is not None and i.ret is not None and i.ret >= 0 and \
                s.pid in self.threaded["strace"] and \
                self.same_path(s.retfd_path, i.file, True) is True:
            return "fd-race"
        p = self.path_of_fd(s)
        if s.name in ("read", "pread64") and p and (p.startswith(b"/proc/") or
                                                     p.startswith(b"/sys/")):
            return "procfs"
        if s.errno == "EINTR" or i.errno == "EINTR":
            return "signal-timing"
        return None

    # --- paths ---------------------------------------------------------------
    def same_path(self, sp, ip, fd_path=False):
        """Compare a strace path with an ior path under the normalizing rules:
        True, the name of an explaining rule, or False."""
        if sp == ip:
            return True
        if ip is None or sp is None:
            return False
        m1, m2 = PROC_PID.match(sp), PROC_PID.match(ip)
        if m1 and m2 and str(self.pidmap.get(int(m1.group(1)))).encode() == m2.group(1) and \
                sp[m1.end():] == ip[m2.end():]:
            return self.res.norm("pid-map")
        m1, m2 = INODE.match(sp), INODE.match(ip)
        if m1 and m2 and m1.group(1) == m2.group(1):
            return self.inodes.check(sp, ip) and self.res.norm("inode")
        if fd_path and sp.endswith(b" (deleted)") and not ip.endswith(b" (deleted)"):
            if self.same_path(sp[:-10], ip, fd_path) is True:
                return self.res.norm("deleted")
        for pat in RANDOM_NAMES:
            ms, mi = list(pat.finditer(sp)), list(pat.finditer(ip))
            if ms and len(ms) == len(mi):
                ts, ti = pat.sub(rb"\1XXXXXX", sp), pat.sub(rb"\1XXXXXX", ip)
                if ts == ti and all(self.randoms.check(a.group(2), b.group(2))
                                    for a, b in zip(ms, mi)):
                    return self.res.norm("random-name")
        if fd_path:
            for old, new in self.renames:
                if ip == old or ip.startswith(old + b"/"):
                    if new + ip[len(old):] == sp:
                        return "renamed-after-open"
        return False

    def path_check(self, ok, what, s, i, sp, ip):
        """Record one path check's verdict (see same_path) and return it."""
        if ok is True:
            return True
        if isinstance(ok, str):
            return self.res.explain(ok, s, i, f"{what}: strace {show(sp)} ior {show(ip)}")
        return self.res.bad(what, s, i, f"strace {show(sp)} ior {show(ip)}")

    def compare_paths(self, s, i):
        """All path checks of a pair: None when there is nothing to compare."""
        res = self.res
        checks = []
        name = s.name
        sfd = s_fd(s)
        fdargs = {pos: (fd, p) for pos, fd, p in s.fdargs}
        strs = {pos: (b, cut) for pos, b, cut in s.strs}

        def base(dir_idx):
            if dir_idx is not None and dir_idx in fdargs:
                return fdargs[dir_idx][1]
            return s.cwd

        def check_str(idx, dir_idx, got_passed, got_resolved, label, resolved_only=False):
            if idx not in strs:
                return
            want, cut = strs[idx]
            if cut:
                # path-max: strace printed a prefix; ior must say truncated
                got = got_passed if got_passed is not None else got_resolved
                ok = bool(i.truncated and got and
                          (want.startswith(got[:len(want)]) or got.startswith(want)))
                if ok:
                    res.norm("path-max")
                checks.append(self.path_check(ok, label + "-truncated", s, i, want, got))
                return
            if not resolved_only:
                checks.append(self.path_check(self.same_path(want, got_passed), label, s, i,
                                              want, got_passed))
            if got_resolved is not False:
                exp = resolve(base(dir_idx), want)
                checks.append(self.path_check(self.same_path(exp, got_resolved),
                                              label + "-resolved", s, i, exp, got_resolved))

        passed = i.arg_path if i.arg_path is not None else i.file
        if name in TWO_PATHS:
            o, od, n, nd = TWO_PATHS[name]
            check_str(o, od, None, i.old_file, "old-path", resolved_only=True)
            check_str(n, nd, passed, i.file, "path-arg")
        elif name in SYMLINKS:
            t, n, nd = SYMLINKS[name]
            if t in strs:
                checks.append(self.path_check(self.same_path(strs[t][0], i.old_file),
                                              "symlink-target", s, i, strs[t][0], i.old_file))
            check_str(n, nd, passed, i.file, "path-arg")
        elif name in PATH_ARG:
            idx, dir_idx = PATH_ARG[name]
            new_fd = s.retfd_path is not None and s.ok()
            # a new descriptor: ior's file is the kernel's name of it
            check_str(idx, dir_idx, passed, False if new_fd else i.file, "path-arg")
            if new_fd:
                checks.append(self.path_check(self.same_path(s.retfd_path, i.file, True),
                                              "fd-path", s, i, s.retfd_path, i.file))
        elif sfd is not None:
            want = next((p for pos, fd, p in s.fdargs if fd == sfd), s.retfd_path)
            checks.append(self.path_check(self.same_path(want, i.file, True), "fd-path", s, i,
                                          want, i.file))
        elif i.file is not None and i.fd is not None and i.fd >= 0:
            # ior names a descriptor strace found not open
            checks.append(self.path_check(False, "fd-stale", s, i, None, i.file))
        got_fd = i.fd if i.fd is not None and i.fd >= 0 else None
        if (sfd is not None or i_fd(i) is not None) and sfd != got_fd:
            race = s.pid in self.threaded["strace"] and checks and all(c is True for c in checks)
            checks.append(self.path_check("fd-race" if race else False, "fd-number", s, i,
                                          str(sfd).encode(), str(got_fd).encode()))
        if name == "epoll_ctl" and len(s.args) > 2:
            m = re.match(rb"^(-?\d+)", s.args[2])
            want = int(m.group(1)) if m else None
            if want != i.epoll_target_fd:
                checks.append(self.path_check(False, "epoll-target", s, i, str(want).encode(),
                                              str(i.epoll_target_fd).encode()))
        if i.truncated and not any(cut for _, _, cut in s.strs):
            checks.append(self.path_check(False, "truncated-flag", s, i, None, None))
        return combine(checks) if checks else None

    # --- bytes ---------------------------------------------------------------
    def compare_bytes(self, s, i, core):
        """Byte class and count of a pair; None for calls without a class.
        A count that differs under a rule already explained in core is not
        listed twice."""
        res = self.res
        want_class = BYTE_CLASS.get(i.name)
        if want_class is None and i.byte_class is None:
            return None
        if want_class != i.byte_class:
            return res.bad("byte-class", s, i, f"SPEC says {want_class}, ior says "
                           f"{i.byte_class}")
        want = s.ret if s.ok() and s.ret is not None and s.ret > 0 else 0
        if i.bytes == want:
            return True
        if isinstance(core, str):
            return core
        rule = self.value_rule(s, i)
        if rule:
            return res.explain(rule, s, i, f"bytes {want} vs {i.bytes}")
        return res.bad("bytes", s, i, f"strace {want} ior {i.bytes}")

    # --- decoded arguments ---------------------------------------------------
    def compare_args(self, s, i):
        """Open flags (open, openat, creat's implied ones are not shown by
        strace; openat2's come from its struct open_how) and socket addresses
        (connect, bind, sendto, recvfrom, accept, getsockname...), as strace
        decodes them against ior's `flags` and `addr`. None when the call has
        neither."""
        res = self.res
        want = strace_open_flags(s)
        if want is not None:
            got = set(i.flags.split("|")) if i.flags else set()
            if got == want:
                return True
            return res.bad("flags", s, i, f"strace {'|'.join(sorted(want))} ior {i.flags}")
        want = strace_sockaddr(s)
        if want is not None:
            if i.addr == want:
                return True
            # ports the kernel picked (bind to port 0, connect's local end)
            # differ between runs: the same port in one run is the same in
            # the other, everywhere
            w, g = PORT.match(want), PORT.match(i.addr or b"")
            if w and g and w.group(1) == g.group(1) and w.group(2) != b"0" and \
                    self.ports.check(w.group(2), g.group(2)):
                return res.norm("port-map")
            return res.bad("addr", s, i, f"strace {show(want)} ior {show(i.addr)}")
        return None

    # --- process tree --------------------------------------------------------
    def compare_tree(self):
        res = self.res
        tree = res.tree
        s_procs = [t for t in self.S.threads if not self.S.is_thread.get(t)]
        i_procs = [t for t in self.I.threads if not self.I.is_thread.get(t)]
        s_thr = [t for t in self.S.threads if self.S.is_thread.get(t)]
        i_thr = [t for t in self.I.threads if self.I.is_thread.get(t)]
        tree["processes"] = (len(s_procs), len(i_procs),
                             sum(1 for t in s_procs if t in self.tidmap))
        tree["threads"] = (len(s_thr), len(i_thr), sum(1 for t in s_thr if t in self.tidmap))
        for t in s_procs:
            if t not in self.tidmap:
                res.count("tree", res.bad("unpaired-process", None, None,
                                          f"strace pid {t} has no partner"))
                continue
            it = self.tidmap[t]
            se, ie = self.exec_list(self.S, t), self.exec_list(self.I, it)
            res.count("tree", se == ie or res.bad(
                "exec", None, None, f"strace pid {t} exec'd {[show(x) for x in se]}, "
                f"ior pid {it} {[show(x) for x in ie]}"))
            sx, ix = self.s_exits.get(t), self.i_exit(it)
            res.count("tree", sx == ix or res.bad(
                "exit-status", None, None, f"strace pid {t} {sx}, ior pid {it} {ix}"))
            sp = next((p for p, kids in self.S.children.items() if any(c == t for _, c in kids)),
                      None)
            ip = next((p for p, kids in self.I.children.items() if any(c == it for _, c in kids)),
                      None)
            res.count("tree", self.tidmap.get(sp) == ip or res.bad(
                "parent", None, None, f"strace pid {t} created by {sp}, ior pid {it} by {ip}"))
        for t in i_procs:
            if t not in self.tidmap.values():
                res.count("tree", res.bad("unpaired-process", None, None,
                                          f"ior pid {t} has no partner"))
        for t in s_thr:
            res.count("tree", t in self.tidmap or res.bad(
                "unpaired-thread", None, None, f"strace tid {t} has no partner"))

    def exec_list(self, side, t):
        out = []
        for th, recs in side.threads.items():
            if side.tgid.get(th) == side.tgid.get(t):
                out.extend(p for p in (exec_path(r) for r in recs) if p is not None)
        return out

    def i_exit(self, pid):
        rows = self.i_procs.get(pid)
        if not rows or rows[-1][2] is None:
            return None
        code = rows[-1][2]
        if code & 0x7f:
            try:
                return ("signal", signal.Signals(code & 0x7f).name)
            except ValueError:
                return ("signal", str(code & 0x7f))
        return ("exit", (code >> 8) & 0xff)


def show(b, limit=200):
    """Escape bytes for the terminal: printable ASCII as is, \\n \\t \\\\ and
    \\xNN for everything else (control bytes, escape sequences, invalid UTF-8,
    any non-ASCII byte); long values are cut in the middle with their length."""
    if b is None:
        return "-"
    if not isinstance(b, (bytes, bytearray)):
        return str(b)
    out = []
    for c in b:
        if c == 0x5C:
            out.append("\\\\")
        elif c == 0x0A:
            out.append("\\n")
        elif c == 0x09:
            out.append("\\t")
        elif 0x20 <= c < 0x7F:
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    s = "".join(out)
    if len(s) > limit:
        s = f"{s[:limit // 2]}...({len(b)} bytes)...{s[-limit // 2:]}"
    return '"' + s + '"'
