/* Benchmark and demo workload: a file mix over N files in DIR — create,
 * write, read, rename, stat, unlink — no fsync. usage: filemix DIR [N] */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	long n = argc > 2 ? atol(argv[2]) : 5000;
	char a[4096], b[4096], buf[4096];
	struct stat st;

	memset(buf, 'x', sizeof(buf));
	if (mkdir(dir, 0700) && errno != EEXIST) {
		perror("filemix: mkdir");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(a, sizeof(a), "%s/f%ld.tmp", dir, i);
		snprintf(b, sizeof(b), "%s/f%ld.dat", dir, i);
		fd = open(a, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, buf, (size_t)(1 + i % 4096)) < 0 || close(fd)) {
			perror("filemix: write");
			return 1;
		}
		if (rename(a, b) || stat(b, &st)) {
			perror("filemix: rename");
			return 1;
		}
		fd = open(b, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || read(fd, buf, sizeof(buf)) < 0 || close(fd)) {
			perror("filemix: read");
			return 1;
		}
	}
	for (long i = 0; i < n; i++) {
		snprintf(b, sizeof(b), "%s/f%ld.dat", dir, i);
		if (unlink(b)) {
			perror("filemix: unlink");
			return 1;
		}
	}
	stat(a, &st); /* fails: ENOENT, so the demo shows an error */
	rmdir(dir);
	return 0;
}
