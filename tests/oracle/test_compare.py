"""Self-test of compare (python3 tests/oracle/test_compare.py): the k-th
thread a thread creates is paired with the k-th of the other run, even when
the futex calls of pthread_join differ around the clones (issue 11: a make
check failed when the threads workload's second wave was paired crosswise,
r0.dat against r1.dat); and a rule that goes by a syscall's name explains a
record in one run only when the other run made that call too (issue 9: an
ior that dropped every futex passed as futex-timing)."""

import os
import random
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402

NR = {"clone3": 435, "clone": 56, "futex": 202, "rt_sigprocmask": 14, "mmap": 9,
      "mprotect": 10, "wait4": 61, "close": 3, "exit_group": 231}


def rec(side, name, ret=0):
    return SimpleNamespace(side=side, name=name, nr=NR[name], ret=ret, errno=None, fdargs=[],
                           retfd_path=None, fd=None, file=None)


def main_thread(side, base, rnd):
    """oracle_threads' main thread: four workers, their joins, a second wave
    of two threads each joined at once, a fork; a join makes 0 to n futex
    calls, as the scheduler has it."""
    out = []
    for k in range(4):
        if k:
            out += [rec(side, "mmap"), rec(side, "mprotect"), rec(side, "rt_sigprocmask")]
        out += [rec(side, "clone3", base + k), rec(side, "rt_sigprocmask")]
    out += [rec(side, "futex") for _ in range(rnd.randint(0, 12))]
    for k in range(4, 6):
        out += [rec(side, "rt_sigprocmask"), rec(side, "clone3", base + k),
                rec(side, "rt_sigprocmask")]
        out += [rec(side, "futex") for _ in range(rnd.randint(0, 6))]
    out += [rec(side, "clone", base + 6), rec(side, "wait4"), rec(side, "close"),
            rec(side, "exit_group")]
    return out


def unaligned_verdicts(s_names, i_names):
    """Run Compare.unaligned on every strace record of a one-process pair
    where strace made s_names and ior i_names (none of them aligned):
    (explained, counted against agreement)."""
    c = compare.Compare.__new__(compare.Compare)
    c.res = compare.Result()
    mk = lambda side, name: SimpleNamespace(side=side, name=name, nr=NR[name], pid=1, tid=1,
                                             ret=0, errno=None, interrupted=False, prev=None,
                                             next=None, fdargs=[], fd=None, file=None)
    c.S = SimpleNamespace(recs=[mk("strace", n) for n in s_names], is_thread={})
    c.I = SimpleNamespace(recs=[mk("ior", n) for n in i_names], is_thread={})
    c.tidmap, c.pidmap, c.name_counts = {1: 1}, {1: 1}, None
    for r in c.S.recs:
        c.unaligned(r, None)
    return sum(c.res.n_expl.values()), c.res.n_bad["core"]


def main():
    # ior made fewer futex calls: the extra ones are futex-timing
    if unaligned_verdicts(["futex"] * 5, ["futex"] * 2) != (5, 0):
        print("test_compare: futex calls in both runs not explained", file=sys.stderr)
        return 1
    # ior made none: nothing pairs them, they count against agreement
    if unaligned_verdicts(["futex"] * 5, ["close"]) != (0, 5):
        print("test_compare: futex calls ior dropped were explained by name alone",
              file=sys.stderr)
        return 1
    rnd = random.Random(11)
    for _ in range(2000):
        pairs = compare.align(main_thread("strace", 100, rnd), main_thread("ior", 200, rnd))
        clones = [(s.ret, i.ret) for s, i in pairs if s and i and s.name.startswith("clone")]
        want = [(100 + k, 200 + k) for k in range(7)]
        if clones != want:
            print(f"test_compare: clones paired {clones}, want {want}", file=sys.stderr)
            return 1
    print("test_compare: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
