/* Oracle workload (tests/oracle): a server on epoll and a forked client over
 * loopback — TCP with accept4, send/recv of fixed sizes, sendfile, a UDP
 * exchange, SCM_RIGHTS over a UNIX socketpair, an eventfd, and splice/tee/
 * vmsplice through pipes; then the other descriptor kinds on epoll (timerfd,
 * signalfd, inotify, pidfd) and a memfd. Every step waits for the previous one's answer,
 * so each epoll_wait sees one ready descriptor and each read gets all it
 * asked for: the sequence is the same from run to run.
 * usage: oracle_epoll DIR */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static const size_t sizes[] = { 1, 100, 1000, 4096, 20000 };
#define NSIZES	      (sizeof(sizes) / sizeof(sizes[0]))
#define SENDFILE_SIZE 5000

static char buf[65536];
static char dir[4096];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static const char *in_dir(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k <= 0)
			die("write");
		p += k;
		n -= (size_t)k;
	}
}

static void recv_all(int fd, size_t n)
{
	if (recv(fd, buf, n, MSG_WAITALL) != (ssize_t)n)
		die("recv");
}

static void ack_wait(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		die("ack");
}

/* splice, tee and vmsplice between a file and pipes: no peer, no timing. */
static void transfers(void)
{
	int in = open("/etc/services", O_RDONLY | O_CLOEXEC);
	int out = open(in_dir("spliced.txt"), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
	int p1[2], p2[2];
	struct iovec iov = { buf, 512 };

	if (in < 0 || out < 0 || pipe2(p1, O_CLOEXEC) || pipe2(p2, O_CLOEXEC))
		die("transfers");
	if (splice(in, NULL, p1[1], NULL, 4096, 0) != 4096)
		die("splice in");
	if (tee(p1[0], p2[1], 4096, 0) != 4096)
		die("tee");
	if (splice(p1[0], NULL, out, NULL, 4096, 0) != 4096)
		die("splice out");
	if (read(p2[0], buf, 4096) != 4096)
		die("read tee");
	memset(buf, 'v', 512);
	if (vmsplice(p2[1], &iov, 1, 0) != 512)
		die("vmsplice");
	if (read(p2[0], buf, 512) != 512)
		die("read vmsplice");
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
	close(in);
	close(out);
}

static void client(uint16_t tcp_port, uint16_t udp_port, int ctl, int efd)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int u, f, passed;
	char cmsgbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { "F", 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cmsgbuf,
			     .msg_controllen = sizeof(cmsgbuf) };
	struct cmsghdr *cm;
	uint64_t one = 1;

	a.sin_port = htons(tcp_port);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	memset(buf, 'c', sizeof(buf));
	for (size_t i = 0; i < NSIZES; i++) {
		write_all(c, buf, sizes[i]);
		recv_all(c, sizes[i]);
	}
	f = open("/etc/services", O_RDONLY | O_CLOEXEC);
	if (f < 0 || sendfile(c, f, NULL, SENDFILE_SIZE) != SENDFILE_SIZE)
		die("sendfile");
	close(f);
	recv_all(c, SENDFILE_SIZE);
	shutdown(c, SHUT_WR);
	if (read(c, buf, 1) != 0) /* the server closed: EOF */
		die("eof");
	close(c);

	/* a descriptor passed to the server: ior must name it there */
	passed = open(in_dir("passed.txt"), O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
	if (passed < 0 || write(passed, "passed\n", 7) != 7)
		die("passed");
	lseek(passed, 0, SEEK_SET);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &passed, sizeof(int));
	if (sendmsg(ctl, &mh, 0) != 1)
		die("sendmsg");
	close(passed);
	ack_wait(ctl);

	u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	a.sin_port = htons(udp_port);
	if (u < 0 || sendto(u, buf, 64, 0, (struct sockaddr *)&a, sizeof(a)) != 64)
		die("sendto");
	if (recvfrom(u, buf, sizeof(buf), 0, NULL, NULL) != 32)
		die("recvfrom");
	close(u);
	if (write(efd, &one, sizeof(one)) != sizeof(one))
		die("eventfd write");
	ack_wait(ctl);
	exit(3);
}

static int tcp_listener(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int one = 1;
	int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		die("listen");
	*port = ntohs(a.sin_port);
	return l;
}

static int udp_socket(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (u < 0 || bind(u, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(u, (struct sockaddr *)&a, &len))
		die("udp");
	*port = ntohs(a.sin_port);
	return u;
}

static void add(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		die("epoll_ctl");
}

/* One ready descriptor, as the lockstep protocol promises. */
static int wait_one(int ep)
{
	struct epoll_event ev[4];

	if (epoll_wait(ep, ev, 4, 10000) != 1)
		die("epoll_wait");
	return ev[0].data.fd;
}

static int receive_fd(int ctl)
{
	char cmsgbuf[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cmsgbuf,
			     .msg_controllen = sizeof(cmsgbuf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(ctl, &mh, MSG_CMSG_CLOEXEC) != 1)
		die("recvmsg");
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		die("no fd");
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* Descriptors that are no files, each made ready once and read. */
static void other_kinds(void)
{
	struct itimerspec its = { .it_value = { 0, 1000000 } };
	struct inotify_event *ie;
	struct signalfd_siginfo si;
	struct pollfd pfd;
	sigset_t mask;
	uint64_t ticks;
	int ep, tfd, sfd, ifd, mfd, pidfd, status;
	pid_t pid;
	char *map;

	ep = epoll_create1(EPOLL_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	ifd = inotify_init1(IN_CLOEXEC);
	if (ep < 0 || tfd < 0 || sfd < 0 || ifd < 0)
		die("other kinds");
	add(ep, tfd);
	if (timerfd_settime(tfd, 0, &its, NULL) || wait_one(ep) != tfd ||
	    read(tfd, &ticks, sizeof(ticks)) != sizeof(ticks))
		die("timerfd");
	epoll_ctl(ep, EPOLL_CTL_DEL, tfd, NULL);
	add(ep, sfd);
	raise(SIGUSR1);
	if (wait_one(ep) != sfd || read(sfd, &si, sizeof(si)) != sizeof(si))
		die("signalfd");
	epoll_ctl(ep, EPOLL_CTL_DEL, sfd, NULL);
	add(ep, ifd);
	if (inotify_add_watch(ifd, dir, IN_CREATE) < 0)
		die("inotify_add_watch");
	close(open(in_dir("watched.txt"), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	if (wait_one(ep) != ifd || read(ifd, buf, sizeof(buf)) < (ssize_t)sizeof(*ie))
		die("inotify");
	mfd = memfd_create("oracle-memfd", MFD_CLOEXEC);
	if (mfd < 0 || ftruncate(mfd, 8192) || write(mfd, "memfd", 5) != 5)
		die("memfd");
	map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, mfd, 0);
	if (map == MAP_FAILED || munmap(map, 8192))
		die("mmap memfd");
	pid = fork();
	if (pid == 0)
		_exit(0);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	if (pidfd < 0 || poll(&pfd, 1, 10000) != 1 || waitpid(pid, &status, 0) != pid)
		die("pidfd");
	close(pidfd);
	close(mfd);
	close(ifd);
	close(sfd);
	close(tfd);
	close(ep);
}

int main(int argc, char **argv)
{
	uint16_t tcp_port, udp_port;
	int l, u, ep, efd, sv[2], conn, fd, status;
	struct pollfd pfd;
	struct timeval tv = { 0, 0 };
	fd_set rd;
	uint64_t v;
	pid_t pid;

	if (argc < 2 || !realpath(argv[1], dir))
		die("usage: oracle_epoll DIR");
	transfers();
	l = tcp_listener(&tcp_port);
	u = udp_socket(&udp_port);
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (efd < 0 || ep < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		die("setup");
	add(ep, l);
	add(ep, u);
	add(ep, efd);
	add(ep, sv[0]);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(l);
		close(u);
		close(ep);
		close(sv[0]);
		client(tcp_port, udp_port, sv[1], efd);
	}
	close(sv[1]);

	if (wait_one(ep) != l)
		die("not the listener");
	conn = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		die("accept4");
	for (size_t i = 0; i < NSIZES; i++) {
		recv_all(conn, sizes[i]);
		write_all(conn, buf, sizes[i]);
	}
	recv_all(conn, SENDFILE_SIZE);
	write_all(conn, buf, SENDFILE_SIZE);
	if (read(conn, buf, 1) != 0) /* the client's shutdown */
		die("shutdown");
	close(conn);

	if (wait_one(ep) != sv[0])
		die("not the socketpair");
	fd = receive_fd(sv[0]);
	if (read(fd, buf, sizeof(buf)) != 7)
		die("read passed fd");
	close(fd);
	pfd = (struct pollfd){ .fd = sv[0], .events = POLLIN };
	if (poll(&pfd, 1, 0) != 0)
		die("poll");
	FD_ZERO(&rd);
	FD_SET(u, &rd);
	if (select(u + 1, &rd, NULL, NULL, &tv) != 0)
		die("select");
	if (write(sv[0], "k", 1) != 1)
		die("ack");

	if (wait_one(ep) != u)
		die("not udp");
	{
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);

		if (recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen) != 64 ||
		    sendto(u, buf, 32, 0, (struct sockaddr *)&from, flen) != 32)
			die("udp echo");
	}
	if (wait_one(ep) != efd || read(efd, &v, sizeof(v)) != sizeof(v))
		die("eventfd");
	if (read(efd, &v, sizeof(v)) != -1 || errno != EAGAIN)
		die("eventfd empty");
	epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL);
	if (write(sv[0], "k", 1) != 1)
		die("ack");
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 3)
		die("child");
	close(ep);
	close(efd);
	close(l);
	close(u);
	close(sv[0]);
	other_kinds();
	return 0;
}
