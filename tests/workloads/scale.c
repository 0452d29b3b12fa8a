/* Scale workloads (tests/bench/scale.sh, tests/integration/test_scale.c):
 * each does a counted number of marker calls, so that a recording can be
 * checked against what the workload knows it did.
 *   scale fork N        N children, 64 at a time; each calls getppid once
 *   scale threads N     N threads alive at once; each calls gettid once
 *   scale fds N FILE    opens FILE (not empty) N times, all kept open (fewer
 *                       if the hard RLIMIT_NOFILE cannot be raised: the count
 *                       is printed), pread()s 1 byte from the last one, then
 *                       close_range(3, ~0)
 *   scale wide N        holds a descriptor at the highest number allowed,
 *                       and forks N children that all live at once (each
 *                       inherits it) and call getppid once
 *   scale exec N        calls getpid, then re-execs itself N more times
 *   scale pidreuse DIR  two children with the same pid, one after the other
 *                       (the next pid set through ns_last_pid): the first
 *                       opens DIR/first (fd 3) and exits holding it; the
 *                       second writes to fd 3 (EBADF: not the first's file),
 *                       opens DIR/second and writes to it. Exit 2: the pid
 *                       could not be reused (others forked meanwhile).
 *   scale churn FILES PROCS DIR
 *                       opens FILES distinct names DIR/d<i/1000>/f<i>
 *                       (ENOENT: nothing is created), then forks PROCS
 *                       children, 64 at a time, each opening one
 *                       path and closing it (memory under churn). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "scale: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Run fn(i) in each of n children, at most 64 alive at a time. */
static void children(long n, void (*fn)(long i))
{
	long started = 0, alive = 0;
	int status;

	while (started < n || alive) {
		if (started < n && alive < 64) {
			pid_t pid = fork();

			if (pid < 0)
				die("fork");
			if (pid == 0) {
				fn(started);
				_exit(0);
			}
			started++;
			alive++;
			continue;
		}
		if (wait(&status) < 0)
			die("wait");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			exit(1);
		alive--;
	}
}

static void fork_child(long i)
{
	(void)i;
	syscall(SYS_getppid);
}

static pthread_barrier_t all_up;

static void *thread_main(void *arg)
{
	(void)arg;
	syscall(SYS_gettid);
	pthread_barrier_wait(&all_up);
	return NULL;
}

static int threads(long n)
{
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_barrier_init(&all_up, NULL, (unsigned)n + 1);
	for (long i = 0; i < n; i++) {
		errno = pthread_create(&t[i], &attr, thread_main, NULL);
		if (errno)
			die("pthread_create");
	}
	pthread_barrier_wait(&all_up);
	for (long i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("scale: %ld threads\n", n);
	return 0;
}

static int fds(long n, const char *file)
{
	struct rlimit rl;
	int fd = -1;
	char c;

	/* Up to the hard limit: raising that needs CAP_SYS_RESOURCE, which a
	 * container's root may lack. The count done is printed. */
	if (getrlimit(RLIMIT_NOFILE, &rl))
		die("getrlimit");
	if (rl.rlim_max != RLIM_INFINITY && (rlim_t)n + 64 > rl.rlim_max) {
		struct rlimit want = { (rlim_t)n + 64, (rlim_t)n + 64 };

		if (setrlimit(RLIMIT_NOFILE, &want) == 0)
			rl = want;
		else
			n = (long)rl.rlim_max - 64;
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	for (long i = 0; i < n; i++)
		if ((fd = open(file, O_RDONLY)) < 0)
			die("open");
	if (pread(fd, &c, 1, 0) != 1)
		die("pread");
	if (syscall(SYS_close_range, 3, ~0u, 0))
		die("close_range");
	printf("scale: %ld descriptors open at once, the last %d\n", n, fd);
	return 0;
}

static int wide(long n)
{
	struct rlimit rl;
	int go[2], high;
	char c;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		die("getrlimit");
	rl.rlim_cur = rl.rlim_max > 1 << 20 ? 1 << 20 : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	high = (int)rl.rlim_cur - 1;
	if (dup2(0, high) != high || pipe(go))
		die("dup2");
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			close(go[1]);
			syscall(SYS_getppid);
			if (read(go[0], &c, 1) < 0) /* until the parent closes it */
				_exit(1);
			_exit(0);
		}
	}
	close(go[1]);
	while (wait(NULL) > 0)
		;
	printf("scale: %ld children holding fd %d\n", n, high);
	return 0;
}

static int exec_chain(long n, char **argv)
{
	char next[32];
	char *args[] = { argv[0], "exec", next, NULL };

	syscall(SYS_getpid);
	if (n <= 0)
		return 0;
	snprintf(next, sizeof(next), "%ld", n - 1);
	execv("/proc/self/exe", args);
	die("execv");
	return 1;
}

/* Set the next pid to be handed out (ns_last_pid: the last one given). */
static int set_last_pid(pid_t last)
{
	FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "%d", (int)last) > 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int pidreuse(const char *dir)
{
	char first[4096], second[4096];

	/* fd 3 must be free (a wrapper such as flock may pass one down). */
	syscall(SYS_close_range, 3, ~0u, 0);
	snprintf(first, sizeof(first), "%s/first", dir);
	snprintf(second, sizeof(second), "%s/second", dir);
	for (int attempt = 0; attempt < 50; attempt++) {
		pid_t a, b;
		int status;

		a = fork();
		if (a < 0)
			die("fork");
		if (a == 0) {
			int fd = open(first, O_WRONLY | O_CREAT | O_TRUNC, 0600);

			if (fd != 3 || write(fd, "1", 1) != 1)
				_exit(1);
			_exit(0); /* exits holding fd 3 */
		}
		waitpid(a, &status, 0);
		if (set_last_pid(a - 1))
			die("ns_last_pid");
		b = fork();
		if (b < 0)
			die("fork");
		if (b == 0) {
			int fd;

			if (getpid() != a)
				_exit(3); /* another process took the pid: try again */
			if (write(3, "2", 1) != -1 || errno != EBADF)
				_exit(1);
			fd = open(second, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			if (fd != 3 || write(fd, "22", 2) != 2)
				_exit(1);
			_exit(0);
		}
		waitpid(b, &status, 0);
		if (b != a) {
			unlink(first);
			continue;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			return 1;
		printf("scale: pid %d reused\n", (int)a);
		return 0;
	}
	fprintf(stderr, "scale: pid not reused in 50 attempts\n");
	return 2;
}

static const char *churn_dir;

static void churn_path(long i, char *buf, size_t size)
{
	snprintf(buf, size, "%s/d%ld/f%ld", churn_dir, i / 1000, i);
}

static void churn_child(long i)
{
	char path[4096];
	int fd;

	churn_path(i, path, sizeof(path));
	fd = open(path, O_RDONLY);
	if (fd >= 0)
		close(fd);
}

static int churn(long files, long procs, const char *dir)
{
	char path[4096];

	churn_dir = dir;
	for (long i = 0; i < files; i++) {
		churn_path(i, path, sizeof(path));
		if (open(path, O_RDONLY) >= 0 || errno != ENOENT)
			die("open of a name that does not exist");
	}
	children(procs, churn_child);
	printf("scale: %ld paths, %ld processes\n", files, procs);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 2 && !strcmp(argv[1], "fork")) {
		children(n, fork_child);
		printf("scale: %ld children\n", n);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "threads"))
		return threads(n);
	if (argc > 3 && !strcmp(argv[1], "fds"))
		return fds(n, argv[3]);
	if (argc > 2 && !strcmp(argv[1], "wide"))
		return wide(n);
	if (argc > 2 && !strcmp(argv[1], "exec"))
		return exec_chain(n, argv);
	if (argc > 2 && !strcmp(argv[1], "pidreuse"))
		return pidreuse(argv[2]);
	if (argc > 4 && !strcmp(argv[1], "churn"))
		return churn(n, atol(argv[3]), argv[4]);
	fprintf(stderr, "usage: scale fork|threads|wide|exec N | fds N FILE | pidreuse DIR | "
			"churn FILES PROCS DIR\n");
	return 2;
}
