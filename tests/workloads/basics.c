/* Workload for the integration tests: known syscall sequences, one scenario
 * per run. usage: basics SCENARIO DIR */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *dir;
static int shared_fd = -1;
static int intr_pipe[2];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static const char *in_dir(const char *name)
{
	static char path[8192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void *thread_main(void *arg)
{
	char c;

	(void)arg;
	syscall(SYS_gettid);
	if (pread(shared_fd, &c, 1, 0) != 1)
		die("pread");
	return NULL;
}

/* Four threads read one shared descriptor. */
static void threads(void)
{
	pthread_t t[4];

	shared_fd = open(in_dir("shared.txt"), O_RDWR | O_CREAT, 0600);
	if (shared_fd < 0 || write(shared_fd, "x", 1) != 1)
		die("shared");
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, thread_main, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
}

static void on_alarm(int sig)
{
	(void)sig;
	if (write(intr_pipe[1], "!", 1) != 1)
		_exit(3);
}

/* A blocking read interrupted by a signal: without SA_RESTART it fails with
 * EINTR; with SA_RESTART the kernel restarts it (ERESTARTSYS at exit). */
static void interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 50000 } };
	char c;

	if (pipe(intr_pipe))
		die("pipe");
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	if (read(intr_pipe[0], &c, 1) != -1 || errno != EINTR)
		die("expected EINTR");
	if (read(intr_pipe[0], &c, 1) != 1) /* the byte the handler wrote */
		die("read");
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	if (read(intr_pipe[0], &c, 1) != 1)
		die("restarted read");
}

/* getppid denied by seccomp: only the exit tracepoint fires. */
static void seccomp(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		die("seccomp");
	if (syscall(SYS_getppid) != -1 || errno != EPERM)
		die("getppid not denied");
}

static void comm(void)
{
	prctl(PR_SET_NAME, "renamed-worker");
	syscall(SYS_getpid);
}

/* Files whose names hold a newline, a tab, an escape sequence and invalid
 * UTF-8. */
static void hostile(void)
{
	const char *names[] = { "new\nline", "tab\there", "esc\x1b[31mred", "bad\xff\xfeutf8" };

	for (int i = 0; i < 4; i++) {
		int fd = open(in_dir(names[i]), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0 || close(fd) || unlink(in_dir(names[i])))
			die("hostile");
	}
}

/* A 4000-byte path that works, and one longer than PATH_MAX that cannot. */
static void longpath(void)
{
	char path[8192], comp[256];
	size_t len;
	int fd;

	memset(comp, 'd', 200);
	comp[200] = '\0';
	snprintf(path, sizeof(path), "%s", dir);
	while (strlen(path) + 202 < 3900) {
		strcat(path, "/");
		strcat(path, comp);
		if (mkdir(path, 0700) && errno != EEXIST)
			die("mkdir");
	}
	len = strlen(path);
	snprintf(path + len, sizeof(path) - len, "/%.*s", (int)(4000 - len - 1), comp);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || close(fd))
		die("long open");
	memset(path, 'x', 5000);
	path[0] = '/';
	path[5000] = '\0';
	if (open(path, O_RDONLY) != -1 || errno != ENAMETOOLONG)
		die("expected ENAMETOOLONG");
}

static void epoll(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int p[2], ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0 || pipe(p))
		die("epoll");
	ev.data.fd = p[0];
	if (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev))
		die("epoll_ctl");
	epoll_wait(ep, &ev, 1, 0);
	epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
}

static void memory(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	p = mremap(p, 8192, 16384, MREMAP_MAYMOVE);
	if (p == MAP_FAILED || munmap(p, 16384))
		die("mremap");
}

static void sleeps(void)
{
	struct timespec ts = { 0, 1000000 };

	nanosleep(&ts, NULL);
	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

/* fd 5 plain, fd 6 CLOEXEC (via F_SETFD), then exec "fdcheck". */
static void cloexec(char *self)
{
	int fd = open(in_dir("keep.txt"), O_RDWR | O_CREAT, 0600);

	if (fd < 0 || dup2(fd, 5) != 5 || dup2(fd, 6) != 6 || fcntl(6, F_SETFD, FD_CLOEXEC))
		die("setup");
	close(fd);
	execl(self, self, "fdcheck", dir, (char *)NULL);
	die("exec");
}

static void fdcheck(void)
{
	if (write(5, "k", 1) != 1)
		die("fd 5 should survive exec");
	if (write(6, "c", 1) != -1 || errno != EBADF)
		die("fd 6 should be closed by exec");
}

/* TCP over loopback: bind, listen, connect, accept, one message. */
static void sockets(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), c, conn;
	char buf[8];

	if (s < 0 || bind(s, (void *)&a, sizeof(a)) || listen(s, 1) ||
	    getsockname(s, (void *)&a, &len))
		die("listen");
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (void *)&a, sizeof(a)))
		die("connect");
	conn = accept4(s, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0 || send(c, "ping", 4, 0) != 4 || recv(conn, buf, sizeof(buf), 0) != 4)
		die("send/recv");
	close(conn);
	close(c);
	close(s);
}

/* One failing call in several families. */
static void failures(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(1),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timespec ts = { 0, 2000000000L };
	char c;
	int s;

	open(in_dir("does-not-exist"), O_RDONLY); /* FS: ENOENT */
	if (read(12345, &c, 1) != -1)		  /* FS: EBADF */
		die("read");
	s = socket(AF_INET, SOCK_STREAM, 0);
	connect(s, (void *)&a, sizeof(a));			      /* Network: ECONNREFUSED */
	mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); /* Memory: EINVAL */
	kill(2000000000, 0);					      /* Signals: ESRCH */
	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);		      /* Time: EINVAL */
	syscall(SYS_sched_setaffinity, 0, 0, NULL);		      /* Sched: EINVAL */
}

/* rename/link/symlink, with a relative path resolved against a new cwd. */
static void renames(void)
{
	int fd = open(in_dir("a.txt"), O_WRONLY | O_CREAT, 0600);

	if (fd < 0 || close(fd) || chdir(dir))
		die("setup");
	if (rename("a.txt", "b.txt") || link("b.txt", "c.txt") || symlink("b.txt", "d.txt") ||
	    renameat2(AT_FDCWD, "c.txt", AT_FDCWD, "e.txt", RENAME_NOREPLACE))
		die("rename");
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	dir = argc > 2 ? argv[2] : "/tmp";
	if (!strcmp(what, "threads"))
		threads();
	else if (!strcmp(what, "interrupted"))
		interrupted();
	else if (!strcmp(what, "seccomp"))
		seccomp();
	else if (!strcmp(what, "comm"))
		comm();
	else if (!strcmp(what, "hostile"))
		hostile();
	else if (!strcmp(what, "longpath"))
		longpath();
	else if (!strcmp(what, "epoll"))
		epoll();
	else if (!strcmp(what, "memory"))
		memory();
	else if (!strcmp(what, "sleeps"))
		sleeps();
	else if (!strcmp(what, "cloexec"))
		cloexec(argv[0]);
	else if (!strcmp(what, "fdcheck"))
		fdcheck();
	else if (!strcmp(what, "sockets"))
		sockets();
	else if (!strcmp(what, "failures"))
		failures();
	else if (!strcmp(what, "renames"))
		renames();
	else {
		fprintf(stderr, "usage: basics SCENARIO DIR\n");
		return 2;
	}
	return 0;
}
