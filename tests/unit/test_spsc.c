/* Unit tests for the reader -> writer queue. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>

#include "core/spsc.h"

Test(spsc, fifo_full_empty_wraparound)
{
	struct spsc *q = spsc_new(4, sizeof(uint64_t));

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
	struct spsc *q = spsc_new(1024, sizeof(uint64_t));
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
