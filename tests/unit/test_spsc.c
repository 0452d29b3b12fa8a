/* Unit tests for the reader -> writer queue. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "core/spsc.h"

Test(spsc, fifo_full_empty_wraparound)
{
	struct spsc *q = spsc_new(4, sizeof(uint64_t), -1);

	for (uint64_t round = 0; round < 10; round++) {
		for (uint64_t i = 0; i < 4; i++)
			cr_assert(spsc_push(q, &(uint64_t){ round * 10 + i }));
		cr_assert_not(spsc_push(q, &(uint64_t){ 99 }), "full");
		for (uint64_t i = 0; i < 4; i++) {
			const uint64_t *v = spsc_peek(q);

			cr_assert_not_null(v);
			cr_assert_eq(*v, round * 10 + i);
			spsc_pop(q);
		}
		cr_assert_null(spsc_peek(q), "empty");
	}
	spsc_free(q);
}

#define N 2000000

static void *consumer(void *arg)
{
	struct spsc *q = arg;
	uint64_t expect = 0;

	while (expect < N) {
		const uint64_t *v = spsc_peek(q);

		if (!v)
			continue;
		if (*v != expect)
			return (void *)1;
		expect++;
		spsc_pop(q);
	}
	return NULL;
}

Test(spsc, two_threads_keep_order)
{
	struct spsc *q = spsc_new(1024, sizeof(uint64_t), -1);
	pthread_t t;
	void *bad;

	pthread_create(&t, NULL, consumer, q);
	for (uint64_t i = 0; i < N; i++)
		while (!spsc_push(q, &i))
			;
	pthread_join(t, &bad);
	cr_assert_null(bad, "consumer saw a value out of order");
	spsc_free(q);
}

static int tmpfile_fd(void)
{
	int fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	cr_assert_geq(fd, 0, "O_TMPFILE in /tmp");
	return fd;
}

/* A full ring with a spill file: pushes never fail, and the consumer gets
 * every slot in order, across ring, file and ring again. */
Test(spsc, spill_keeps_order_one_thread)
{
	struct spsc *q = spsc_new(8, sizeof(uint64_t), tmpfile_fd());
	uint64_t next = 0, expect = 0;

	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 100000; i++, next++)
			cr_assert(spsc_push(q, &next), "push %llu", (unsigned long long)next);
		spsc_flush(q);
		/* Drain half, then push a little more, then drain all. */
		for (int i = 0; i < 50000; i++) {
			const uint64_t *v = spsc_peek(q);

			cr_assert_not_null(v);
			cr_assert_eq(*v, expect, "got %llu, expected %llu", (unsigned long long)*v,
				     (unsigned long long)expect);
			expect++;
			spsc_pop(q);
		}
		for (int i = 0; i < 10; i++, next++)
			cr_assert(spsc_push(q, &next));
		spsc_flush(q);
		for (const uint64_t *v; (v = spsc_peek(q)); spsc_pop(q))
			cr_assert_eq(*v, expect++);
		cr_assert_eq(expect, next, "all came out");
	}
	cr_assert_gt(spsc_spilled(q), 0);
	spsc_free(q);
}

static void *spill_consumer(void *arg)
{
	struct spsc *q = arg;
	uint64_t expect = 0;

	while (expect < N) {
		const uint64_t *v = spsc_peek(q);

		if (!v)
			continue;
		if (*v != expect)
			return (void *)1;
		expect++;
		spsc_pop(q);
		if (expect % 100000 == 0)
			usleep(2000); /* fall behind now and then: the producer spills */
	}
	return NULL;
}

Test(spsc, spill_two_threads_keep_order)
{
	struct spsc *q = spsc_new(64, sizeof(uint64_t), tmpfile_fd());
	pthread_t t;
	void *bad;

	pthread_create(&t, NULL, spill_consumer, q);
	for (uint64_t i = 0; i < N; i++) {
		while (!spsc_push(q, &i))
			;
		if (i % 1000 == 0)
			spsc_flush(q);
	}
	/* The tail may sit in the producer's buffer: flush until taken. */
	for (int i = 0; i < 1000; i++) {
		spsc_flush(q);
		usleep(1000);
	}
	pthread_join(t, &bad);
	cr_assert_null(bad, "consumer saw a value out of order");
	cr_assert_gt(spsc_spilled(q), 0, "the test spilled");
	spsc_free(q);
}

/* A spill file that cannot be written (read-only): the queue falls back to
 * the ring, refuses when full, and loses and reorders nothing. */
Test(spsc, spill_write_failure_falls_back)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct spsc *q = spsc_new(4, sizeof(uint64_t), fd);
	uint64_t next = 0, expect = 0;
	int refused = 0;

	for (int i = 0; i < 200000; i++) {
		if (spsc_push(q, &next))
			next++;
		else
			refused++;
		if (i % 3 == 0) {
			const uint64_t *v = spsc_peek(q);

			if (v) {
				cr_assert_eq(*v, expect);
				expect++;
				spsc_pop(q);
			}
		}
	}
	for (const uint64_t *v; (v = spsc_peek(q)); spsc_pop(q))
		cr_assert_eq(*v, expect++);
	cr_assert_eq(expect, next);
	cr_assert_gt(refused, 0, "a full ring refuses");
	spsc_free(q);
}
