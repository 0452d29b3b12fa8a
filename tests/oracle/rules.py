"""The documented rules of the oracle (docs/oracle.md, "Rules").

Two kinds, both counted and printed for every workload, never silent:
- NORMALIZE: the two tracers state the same fact in different forms (strace
  prints '= ?' where ior sets noreturn); after the rule the records agree.
- EXPLAIN: the two runs really differed, for a reason outside both tracers
  (the scheduler, the clock, ASLR); the record disagrees, and the rule says
  why. A difference no rule covers is a mismatch."""

NORMALIZE = {
    "by-number": "syscalls are matched by number (strace -n); strace's spelling of a "
    "name is shown next to ior's kernel-table name when they differ",
    "errno-form": "strace prints a failure as '-1 ENOENT'; ior stores ret = -errno and "
    "the errno name: the names are compared",
    "noreturn": "strace prints '= ?' for a call that never returned (exit, exit_group, "
    "execve's old image, a task killed inside a call); ior sets noreturn",
    "restart": "an interrupted call is '= ? ERESTARTSYS' in strace; ior keeps ret = "
    "-512 with errno ERESTARTSYS and interrupted = 1: the restart codes are compared",
    "sigreturn": "strace prints rt_sigreturn's restored register as its return value; "
    "ior marks rt_sigreturn noreturn (it never returns to its caller)",
    "aslr": "addresses returned by mmap, mremap, brk and shmat differ between runs "
    "(ASLR): only success is compared, never the address",
    "pid-map": "pids and tids (returned by clone, fork, getpid, gettid, wait4, "
    "set_tid_address..., and getppid of the first process, which is the tracer), and "
    "/proc/PID/... paths, are compared through the pairing of the two process trees",
    "clock": "values that are clock readings (time, times, gettimeofday, clock_gettime "
    "when not in the vDSO) differ between runs: not compared",
    "inode": "pipe:[N], socket:[N] and anon_inode:[...] numbers differ between runs: "
    "compared as a one-to-one mapping (the same pipe in one run must be the same pipe "
    "in the other everywhere)",
    "random-name": "mkstemp-style names (gcc's /tmp/ccXXXXXX.s, sort's /tmp/sortXXXXXX, "
    "git's tmp_obj_XXXXXX, sqlite's etilqs_..., python's tmpXXXXXXXX) differ between "
    "runs: compared as a one-to-one mapping of the random part",
    "deleted": "strace -y reads /proc/PID/fd at each call and marks a file unlinked since "
    "with '(deleted)' (strace 6.1 prints N<path>(deleted); the harness restores /proc's "
    "' (deleted)' suffix); ior names a descriptor when it is created, so a regular file "
    "unlinked later keeps its name: compared without the suffix",
    "path-max": "a path longer than PATH_MAX - 1 (refused with ENAMETOOLONG): strace "
    "prints its first 4096 bytes and '...', ior keeps 4096 bytes and sets truncated; "
    "compared on the common prefix, and ior must say truncated",
    "thread-work": "in a multi-threaded process, which thread makes a call, and where it "
    "falls among that thread's calls, is up to the scheduler (sort writes its output from "
    "whichever thread finished a merge): calls left over by the per-thread alignment are "
    "paired within the process by (syscall, descriptor, errno) and compared on every "
    "field but the tid",
    "aslr-alloc": "an anonymous mmap/munmap/brk/madvise that sits at another place in the "
    "thread's sequence: allocators whose bookkeeping depends on the addresses they got "
    "(CPython's obmalloc radix tree) allocate at other moments when ASLR moves them; "
    "shown to disappear with ASLR off (setarch -R). Paired with its twin and compared on every field (the position is no field)",
    "port-map": "ports the kernel picks (a bind to port 0, a connect's local end) differ "
    "between runs: compared as a one-to-one mapping (the same port in one run must be "
    "the same port in the other everywhere)",
    "socket-name": "strace -y (not -yy) is used so that sockets read socket:[inode] on "
    "both sides, as /proc shows them; -yy would print TCP:[addr:port] instead",
}

EXPLAIN = {
    "futex-timing": "futex calls and their results depend on which thread got a lock "
    "or word first: extra or missing futex calls, and EAGAIN/ETIMEDOUT/woken counts",
    "pipe-pace": "how many bytes a read or write of a pipe or socket moves (and so how "
    "many calls it takes) depends on the peer's pace; strace slows every process down, "
    "so the peer's pace differs between the runs. A write that passes on what the "
    "thread's previous read got from a pipe (cat, tee) follows that read's size",
    "readiness": "poll, select and epoll_wait report what was ready when they looked: "
    "the count, and the number of wait loops, depend on the peer's pace",
    "reap": "wait4/waitid loops: how often a parent polls (WNOHANG returning 0) or is "
    "interrupted before a child exits, and which child it reaps first; with them the "
    "rt_sigprocmask/rt_sigsuspend calls a shell makes around each wait4",
    "signal-timing": "where an asynchronous signal (SIGCHLD...) lands: which call it "
    "interrupts (ERESTART*, EINTR, restart_syscall), the rt_sigreturn that follows, and "
    "where the work it triggers (a handler's calls, a shell's trap) falls in the thread",
    "sleep-loop": "sched_yield / nanosleep loops that wait on another task run as many "
    "times as the other task takes",
    "random-draws": "glibc's mkstemp (sysdeps/posix/tempname.c) draws its random bits with "
    "getrandom and draws again when a value falls in the unfair tail of the range "
    "(rejection sampling): how many getrandom calls a temporary name takes is random",
    "procfs": "reads of /proc and /sys files whose content changes from run to run "
    "(counters, pids): sizes differ",
    "thread-stack": "glibc caches a finished thread's stack: whether a new thread reuses "
    "one (no mmap/mprotect) or maps a new one depends on whether the previous thread "
    "had finished; which thread frees (munmap/madvise) it likewise",
    "fd-race": "threads of one process that create descriptors at the same time get the "
    "lowest free numbers in the order they run: the numbers (and the creating call's "
    "return value) may be swapped between runs; the paths must still agree",
    "renamed-after-open": "the file behind a descriptor was renamed after it was "
    "opened: strace -y shows the new name (read at each call), ior the name at open",
}

# Engine bugs the oracle found and that are not fixed yet: matched by a
# precise predicate, listed with both sides under KNOWN ENGINE BUG, counted
# apart (not as agreement), and reported as "xfail". Remove an entry when
# its fix lands; a run where an entry matches nothing says so.
KNOWN = {}

ALL = dict(NORMALIZE, **EXPLAIN)
