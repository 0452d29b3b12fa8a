/* Benchmark workload: NPROCS processes that each create and remove their
 * share of NFILES distinct files in DIR, then the parent waits SECONDS with
 * its syscalls quiet, so a UI can be measured over a big, still session.
 * usage: manyfiles DIR NFILES NPROCS SECONDS */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long nfiles, nprocs, secs;

	if (argc != 5) {
		fputs("usage: manyfiles DIR NFILES NPROCS SECONDS\n", stderr);
		return 2;
	}
	nfiles = atol(argv[2]);
	nprocs = atol(argv[3]);
	secs = atol(argv[4]);
	mkdir(argv[1], 0755);
	for (long p = 0; p < nprocs; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("manyfiles: fork");
			return 1;
		}
		if (pid == 0) {
			char path[4096];

			for (long i = p; i < nfiles; i += nprocs) {
				int fd;

				snprintf(path, sizeof(path), "%s/f%ld", argv[1], i);
				fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
				if (fd >= 0)
					close(fd);
				unlink(path);
			}
			_exit(0);
		}
		if (p % 16 == 15) /* a few at a time: this is not a fork bomb */
			while (wait(NULL) > 0)
				;
	}
	while (wait(NULL) > 0)
		;
	sleep((unsigned)secs);
	return 0;
}
