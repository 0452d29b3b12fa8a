/* Benchmark workload: N pread()s of 1 byte from one file (default 2,000,000).
 * usage: sysloop [N] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000000;
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
	return 0;
}
