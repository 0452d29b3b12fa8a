/* Run a command and print its wall time on stderr as "timeit: SECONDS", so a
 * benchmark measures the workload and not the tracer's start and drain.
 * usage: timeit CMD [ARGS...] */
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	int status = 0;
	pid_t pid;

	if (argc < 2) {
		fputs("usage: timeit CMD [ARGS...]\n", stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror("timeit: exec");
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		perror("timeit");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "timeit: %.6f\n",
		(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
