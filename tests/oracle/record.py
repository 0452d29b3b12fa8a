"""One syscall record, as either tracer saw it (docs/oracle.md)."""


class Rec:
    __slots__ = (
        "side", "pid", "tid", "nr", "name", "sname", "ret", "errno", "noreturn", "interrupted",
        # strace: top-level args, -y fd args [(pos, fd or None for AT_FDCWD, path)],
        # string args [(pos, bytes, cut)], the path -y shows after a returned fd
        "args", "fdargs", "strs", "retfd_path", "raw",
        # ior: the events_v columns
        "fd", "file", "arg_path", "old_file", "bytes", "byte_class", "truncated",
        "enter_missing", "epoll_target_fd", "seq", "cwd", "ts", "prev", "next",
        "flags", "addr",
    )

    def __init__(self, side, tid):
        self.side, self.tid, self.pid = side, tid, tid
        self.nr = self.name = self.sname = self.ret = self.errno = None
        self.noreturn = self.interrupted = self.truncated = self.enter_missing = False
        self.args, self.fdargs, self.strs = [], [], []
        self.retfd_path = self.raw = None
        self.fd = self.file = self.arg_path = self.old_file = self.bytes = None
        self.byte_class = self.epoll_target_fd = None
        self.flags = self.addr = None
        self.seq = 0
        self.cwd = self.prev = self.next = None
        self.ts = 0.0

    def ok(self):
        """Completed without an error, a restart or never returning."""
        return not (self.noreturn or self.interrupted or self.errno)
