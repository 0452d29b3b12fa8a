/* The floor bench's loader: run a command under one of the floor probes
 * (tests/bench/floor.bpf.c) and, for the ring probe, a consumer thread that
 * only counts the records (ring_buffer__consume every 10 ms). Prints
 * "floor: MODE records N lost N" on stderr after the command ends.
 * usage: floor empty|stash|ring -- CMD [ARGS...] */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "floor.skel.h"
#include "tests/bench/floor_event.h"

#define POLL_MS 10

struct consumer {
	struct ring_buffer *ring;
	atomic_bool stop; /* relaxed: only ends the loop, no data rides on it */
	uint64_t records;
};

static int count_record(void *ctx, void *data, size_t size)
{
	struct consumer *c = ctx;

	(void)data;
	(void)size;
	c->records++;
	return 0;
}

static void *consumer_main(void *arg)
{
	struct consumer *c = arg;
	struct timespec nap = { 0, POLL_MS * 1000000L };

	while (!atomic_load_explicit(&c->stop, memory_order_relaxed)) {
		ring_buffer__consume(c->ring);
		nanosleep(&nap, NULL);
	}
	ring_buffer__consume(c->ring);
	return NULL;
}

static uint64_t lost_total(struct floor_bpf *skel)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t per_cpu[ncpus > 0 ? ncpus : 1], total = 0;
	uint32_t zero = 0;

	if (ncpus <= 0 || bpf_map_lookup_elem(bpf_map__fd(skel->maps.lost), &zero, per_cpu))
		return 0;
	for (int i = 0; i < ncpus; i++)
		total += per_cpu[i];
	return total;
}

static int usage(void)
{
	fputs("usage: floor empty|stash|ring -- CMD [ARGS...]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct consumer cons = { 0 };
	struct floor_bpf *skel = NULL;
	pthread_t thread;
	bool have_thread = false;
	int go[2], status = 0, rc = 1;
	const char *mode;
	pid_t child;

	if (argc < 4 || strcmp(argv[2], "--") != 0)
		return usage();
	mode = argv[1];
	if (strcmp(mode, "empty") && strcmp(mode, "stash") && strcmp(mode, "ring"))
		return usage();
	if (pipe2(go, O_CLOEXEC)) {
		perror("floor: pipe");
		return 1;
	}
	/* The child waits for the probes: its pid is the target, known now. */
	child = fork();
	if (child < 0) {
		perror("floor: fork");
		return 1;
	}
	if (child == 0) {
		char byte;

		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(126);
		execvp(argv[3], argv + 3);
		perror("floor: exec");
		_exit(127);
	}
	close(go[0]);

	skel = floor_bpf__open();
	if (!skel) {
		perror("floor: open");
		goto out;
	}
	skel->rodata->target_tgid = (uint32_t)child;
	{
		struct bpf_program *prog;

		bpf_object__for_each_program(prog, skel->obj)
		{
			const char *name = bpf_program__name(prog);

			bpf_program__set_autoload(prog, !strncmp(name + 6, mode, strlen(mode)) &&
								name[6 + strlen(mode)] == '_');
		}
	}
	if ((errno = -floor_bpf__load(skel)) || (errno = -floor_bpf__attach(skel))) {
		perror("floor: load/attach");
		goto out;
	}
	if (!strcmp(mode, "ring")) {
		cons.ring =
			ring_buffer__new(bpf_map__fd(skel->maps.events), count_record, &cons, NULL);
		if (!cons.ring || pthread_create(&thread, NULL, consumer_main, &cons)) {
			perror("floor: consumer");
			goto out;
		}
		have_thread = true;
	}
	if (write(go[1], "g", 1) != 1) {
		perror("floor: start");
		goto out;
	}
	close(go[1]);
	go[1] = -1;
	if (waitpid(child, &status, 0) < 0) {
		perror("floor: wait");
		goto out;
	}
	child = -1;
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
out:
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	if (have_thread) {
		atomic_store_explicit(&cons.stop, true, memory_order_relaxed);
		pthread_join(thread, NULL);
	}
	if (skel)
		fprintf(stderr, "floor: %s records %llu lost %llu\n", mode,
			(unsigned long long)cons.records, (unsigned long long)lost_total(skel));
	ring_buffer__free(cons.ring);
	floor_bpf__destroy(skel);
	return rc;
}
