/* Oracle workload (tests/oracle): a multi-threaded program. Four workers
 * each write, read back, stat and rename their own file and read a shared
 * descriptor, meet at a barrier, then share a mutex; a second wave of two
 * threads reuses the first wave's stacks; then a forked child exits with 7.
 * Workers open their files in turn (worker i after worker i - 1), so each
 * gets the same descriptor number in every run; the per-thread sequences
 * are fixed, and only the futex calls behind the turnstile, the barrier and
 * the mutex depend on the scheduler.
 * usage: oracle_threads DIR */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 4
#define CHUNKS	16

static char dir[4096];
static int shared_fd;
static pthread_barrier_t barrier, opened;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cond = PTHREAD_COND_INITIALIZER;
static long counter, turn;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void name_in_dir(char *out, size_t size, const char *fmt, long i)
{
	char name[64];

	snprintf(name, sizeof(name), fmt, i);
	snprintf(out, size, "%s/%s", dir, name);
}

static void *worker(void *arg)
{
	long i = (long)arg;
	char path[4200], renamed[4200], buf[4096], tname[16];
	struct stat st;
	int fd;

	snprintf(tname, sizeof(tname), "worker-%ld", i);
	prctl(PR_SET_NAME, tname);
	name_in_dir(path, sizeof(path), "t%ld.dat", i);
	name_in_dir(renamed, sizeof(renamed), "r%ld.dat", i);
	memset(buf, 'a' + (int)i, sizeof(buf));
	pthread_mutex_lock(&lock);
	while (turn != i)
		pthread_cond_wait(&turn_cond, &lock);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
	turn++;
	pthread_cond_broadcast(&turn_cond);
	pthread_mutex_unlock(&lock);
	if (fd < 0)
		die("open");
	/* no worker closes before all have opened: the numbers stay put */
	pthread_barrier_wait(&opened);
	for (int k = 0; k < CHUNKS; k++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			die("write");
	fsync(fd);
	lseek(fd, 0, SEEK_SET);
	for (int k = 0; k < CHUNKS; k++)
		if (read(fd, buf, sizeof(buf)) != sizeof(buf))
			die("read");
	if (read(fd, buf, sizeof(buf)) != 0)
		die("eof");
	if (pread(shared_fd, buf, 100, i * 100) != 100)
		die("pread");
	if (fstat(fd, &st))
		die("fstat");
	close(fd);
	if (rename(path, renamed))
		die("rename");
	pthread_barrier_wait(&barrier);
	for (int k = 0; k < 100; k++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *second(void *arg)
{
	char path[4200];
	struct stat st;

	name_in_dir(path, sizeof(path), "r%ld.dat", (long)arg);
	if (stat(path, &st) || unlink(path))
		die("second");
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[WORKERS];
	char buf[4200];
	int status;
	pid_t pid;

	if (argc < 2 || !realpath(argv[1], dir))
		die("usage: oracle_threads DIR");
	snprintf(buf, sizeof(buf), "%s/shared.dat", dir);
	shared_fd = open(buf, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
	memset(buf, 's', sizeof(buf));
	if (shared_fd < 0 || write(shared_fd, buf, sizeof(buf)) != sizeof(buf))
		die("shared");
	pthread_barrier_init(&barrier, NULL, WORKERS);
	pthread_barrier_init(&opened, NULL, WORKERS);
	for (long i = 0; i < WORKERS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			die("pthread_create");
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	if (counter != WORKERS * 100)
		die("counter");
	/* the second wave: a joined thread's stack is cached and reused */
	for (long i = 0; i < 2; i++) {
		if (pthread_create(&t[i], NULL, second, (void *)i))
			die("pthread_create");
		pthread_join(t[i], NULL);
	}
	pid = fork();
	if (pid == 0) {
		if (pwrite(shared_fd, "child", 5, 0) != 5)
			die("child");
		_exit(7);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || WEXITSTATUS(status) != 7)
		die("wait");
	close(shared_fd);
	return 0;
}
