"""The oracle's workloads (docs/oracle.md, "Workloads"): real programs run as
they are, plus three small C programs in tests/workloads/ (oracle_*.c).

Each workload is run twice in the same directory path, recreated and set up
the same way before each run: `setup` (untraced shell, or a Python
function), then `argv` under the tracer. `{W}` is the workloads build
directory, `{D}` the working directory, `{PY}` Debian's python3."""

import random

PY = "/usr/bin/python3"

# Fixed dates and identity: the same commit, so the same object names.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Oracle", "GIT_AUTHOR_EMAIL": "oracle@example.org",
    "GIT_COMMITTER_NAME": "Oracle", "GIT_COMMITTER_EMAIL": "oracle@example.org",
    "GIT_AUTHOR_DATE": "2000-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2000-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def big_file(d):
    """400,000 lines of pseudo-random words (~9 MB), the same every time:
    large enough for sort to use its threads."""
    rnd = random.Random(42)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    with open(f"{d}/big.txt", "w") as f:
        for i in range(400000):
            f.write(f"{rnd.choice(words)} {rnd.randrange(10**9)} {i}\n")


def sqlite_script(d):
    with open(f"{d}/load.sql", "w") as f:
        f.write("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER);\nBEGIN;\n")
        for i in range(10000):
            f.write(f"INSERT INTO t(name, n) VALUES ('row{i}', {i * 7 % 1000});\n")
        f.write("COMMIT;\nCREATE INDEX t_n ON t(n);\n"
                "SELECT count(*), sum(n) FROM t;\n"
                "SELECT name FROM t WHERE n = 42 ORDER BY id LIMIT 3;\n"
                "SELECT n, count(*) FROM t GROUP BY n ORDER BY 2 DESC, 1 LIMIT 5;\n")


PY_SCRIPT = r'''
import csv, json, os, tempfile, hashlib, shutil
rows = list(csv.reader(open("data.csv")))
total = sum(int(r[1]) for r in rows[1:])
os.makedirs("out/sub", exist_ok=True)
with open("out/summary.json", "w") as f:
    json.dump({"rows": len(rows) - 1, "total": total}, f)
h = hashlib.sha256()
for root, dirs, files in os.walk("/usr/include/linux/netfilter"):
    dirs.sort()
    for name in sorted(files):
        with open(os.path.join(root, name), "rb") as f:
            h.update(f.read())
with tempfile.NamedTemporaryFile("w", dir="out", delete=False) as t:
    t.write(h.hexdigest())
os.rename(t.name, "out/sub/digest.txt")
shutil.copy("out/summary.json", "out/sub/summary.json")
import subprocess
r = subprocess.run(["/bin/cat", "out/sub/summary.json"], capture_output=True, check=True)
print(total, open("out/sub/digest.txt").read()[:16], len(r.stdout))
'''


def py_script(d):
    with open(f"{d}/script.py", "w") as f:
        f.write(PY_SCRIPT)
    with open(f"{d}/data.csv", "w") as f:
        f.write("name,value\n")
        for i in range(2000):
            f.write(f"n{i},{i % 97}\n")


STDLIB = ("abc argparse ast asyncio base64 bisect calendar collections configparser "
          "contextlib copy csv dataclasses datetime decimal difflib email enum fnmatch "
          "fractions functools getopt glob gzip hashlib heapq hmac html http.client "
          "importlib inspect io ipaddress itertools json logging lzma math mimetypes "
          "multiprocessing operator os pathlib pickle platform pprint queue random re "
          "secrets selectors shlex shutil signal socket sqlite3 statistics string struct "
          "subprocess tarfile tempfile textwrap threading time timeit tokenize traceback "
          "typing unittest urllib.parse uuid warnings weakref xml.etree.ElementTree zipfile "
          "zlib").split()

SH_PIPELINE = (
    "cat /etc/services | tr a-z A-Z | sort | uniq -c > out.txt 2> err.txt; "
    "wc -l < out.txt >> out.txt; "
    "grep -c tcp < /etc/services > n.txt; "
    "exec 3> fd3.txt; echo three >&3; exec 3>&-; "
    "(ls /nonexistent 2>&1; echo done) | cat > sub.txt; "
    "{ echo a; echo b; } >> out.txt; "
    "cat < /etc/hostname | tee copy.txt > /dev/null; "
    "mv copy.txt moved.txt && cat moved.txt n.txt > both.txt && rm both.txt")

DD = (
    "dd if=/dev/zero of=z1 bs=1 count=2000 status=none; "
    "dd if=/dev/zero of=z512 bs=512 count=100 status=none; "
    "dd if=/dev/zero of=z4k bs=4k count=64 status=none conv=fsync; "
    "dd if=/dev/zero of=z64k bs=64k count=16 status=none; "
    "dd if=z64k of=z1m bs=1M count=2 status=none; "
    "dd if=z4k of=zmix ibs=1000 obs=3000 status=none; "
    "dd if=z512 of=z4k bs=3000 skip=1 seek=2 conv=notrunc status=none; "
    "dd if=/etc/services of=/dev/null bs=777 status=none; "
    "dd if=/nonexistent of=x status=none 2>/dev/null; "
    "dd if=z4k bs=8k status=none | dd of=zpipe bs=1k status=none")

# A trapped signal interrupts a blocked wait (ERESTARTSYS, the handler,
# rt_sigreturn, the restart); a daemonized grandchild outlives its parent;
# an exec chain replaces the shell.
SIGNALS = (
    "trap 'echo usr1 >> sig.txt' USR1; "
    "( sleep 0.2; kill -USR1 $$ ) & "
    "sleep 1 & wait $!; wait; "
    "( setsid sh -c 'sleep 0.3; echo late > late.txt' & ); "
    "exec env TAG=1 sh -c 'echo chain > chain.txt'")

GCC_SRC = r'''#include <stdio.h>
#include <string.h>
static int square(int x) { return x * x; }
int main(int argc, char **argv)
{
	printf("%d %zu\n", square(argc), strlen(argv[0]));
	return 0;
}
'''


def gcc_src(d):
    with open(f"{d}/hello.c", "w") as f:
        f.write(GCC_SRC)


# Files get fixed old mtimes: a file modified in the same second as the index
# is "racily clean" to git, which then re-reads it, and whether the second
# turned over depends on the tracer's speed (Documentation/technical/racy-git).
GIT = (
    "git init -q repo && cd repo && "
    "cp /etc/services /etc/protocols . && mkdir sub && cp /etc/hostname sub/ && "
    "touch -d @946684800 services protocols sub/hostname && "
    "git add . && git commit -q -m first && "
    "echo change >> protocols && touch -d @946684801 protocols && "
    "git add protocols && git commit -q -m second && "
    "git log --stat > ../log.txt && git status --short > ../status.txt && "
    "git diff HEAD~1 --stat > /dev/null && git rev-parse HEAD > ../head.txt")

# name: dict(argv, setup, fast, env, check, deterministic). deterministic: one
# process at a time, no threads, no pipe between live processes, no
# asynchronous signal: both runs make the same calls, so its raw agreement
# (no EXPLAIN rule counted) must meet the targets (oracle.status).
WORKLOADS = {
    "ls-lR": dict(deterministic=True, argv=["ls", "-lR", "/usr/include/linux"], fast=True),
    "cp-r": dict(deterministic=True, argv=["cp", "-r", "/usr/include/linux", "copy"], fast=True),
    "cp-r-big": dict(deterministic=True, setup="mkdir copy", argv=["cp", "-r", "/usr/include", "/usr/share/doc",
                                               "copy"], fast=False),
    "tar-c": dict(deterministic=True, argv=["tar", "cf", "a.tar", "-C", "/usr/include", "linux"], fast=True),
    "tar-x": dict(deterministic=True, setup="tar cf a.tar -C /usr/include linux", argv=["tar", "xf", "a.tar"],
                  fast=True),
    "find": dict(deterministic=True, argv=["find", "/usr/include", "/usr/share/zoneinfo", "-name", "*.h",
                       "-size", "+8k", "-o", "-type", "l", "-name", "U*"], fast=True),
    "sort": dict(setup=big_file, argv=["sort", "-o", "sorted.txt", "big.txt"], fast=False),
    "sh-pipeline": dict(argv=["sh", "-c", SH_PIPELINE], fast=True),
    "dd": dict(argv=["sh", "-c", DD], fast=True),
    # 100,000 records as fast as dd goes: the lost-event check under load
    "dd-many": dict(deterministic=True, argv=["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=50000",
                          "status=none"], fast=False),
    "signals": dict(argv=["sh", "-c", SIGNALS], fast=True),
    "git": dict(argv=["sh", "-c", GIT], env=GIT_ENV, fast=False),
    "python3-import": dict(argv=[PY, "-c", "import " + ", ".join(STDLIB)], fast=False),
    "python3-script": dict(setup=py_script, argv=[PY, "script.py"], fast=False),
    "sqlite3": dict(deterministic=True, setup=sqlite_script, argv=["sqlite3", "t.db", ".read load.sql"],
                    fast=True),
    "gcc": dict(setup=gcc_src, argv=["gcc", "-O2", "-Wall", "-o", "hello", "hello.c"],
                fast=False),
    "epoll-sockets": dict(argv=["{W}/oracle_epoll", "{D}"], fast=True),
    "threads": dict(argv=["{W}/oracle_threads", "{D}"], fast=True),
    # newlines, tabs, escape sequences, invalid UTF-8, a 4095-byte path:
    # compared byte for byte, and checked against the names it creates
    "hostile-names": dict(deterministic=True, argv=["{W}/oracle_hostile", "{D}"], fast=True,
                          expect=["{W}/oracle_hostile", "{D}", "--list"]),
}
