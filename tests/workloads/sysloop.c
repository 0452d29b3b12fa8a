/* Benchmark workload: N pread()s of 1 byte from one file (default 2,000,000),
 * then, if PAUSE_MS is given, one nanosleep of that long before exiting (a
 * tracer whose ring overflowed drains it meanwhile, so the last calls and
 * the exit are delivered: tests count N + the fixed calls around the loop).
 * usage: sysloop [N [PAUSE_MS]] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000000;
	long pause_ms = argc > 2 ? atol(argv[2]) : 0;
	struct timespec a, b;
	char c;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		perror("sysloop: open");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		if (pread(fd, &c, 1, 0) != 1) {
			perror("sysloop: pread");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "sysloop: %ld preads in %.3f s\n", n,
		(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	close(fd);
	if (pause_ms > 0) {
		struct timespec ts = { pause_ms / 1000, (pause_ms % 1000) * 1000000 };

		nanosleep(&ts, NULL);
	}
	return 0;
}
