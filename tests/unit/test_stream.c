/* Unit tests for the recent-events stream: a ring of the newest records. */
#include <criterion/criterion.h>

#include "core/stream.h"

Test(stream, keeps_the_newest_in_order)
{
	struct stream s;
	struct ior_rec r = { 0 };

	stream_init(&s, 3); /* rounded up to 4 */
	cr_assert_eq(s.cap, 4);
	cr_assert_null(stream_newest(&s, 0));
	for (int i = 1; i <= 6; i++) {
		r.ts_ns = (uint64_t)i;
		stream_push(&s, &r);
	}
	cr_assert_eq(stream_len(&s), 4);
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(stream_newest(&s, i)->ts_ns, 6 - i);
	cr_assert_null(stream_newest(&s, 4));
	stream_fini(&s);
}

Test(stream, is_a_sink)
{
	struct stream s;
	struct pipeline p = { 0 };
	struct ior_rec r = { .pid = 42 };

	stream_init(&s, 8);
	cr_assert_eq(pipeline_add(&p, &stream_sink_ops, &s), 0);
	pipeline_event(&p, &r);
	cr_assert_eq(stream_len(&s), 1);
	cr_assert_eq(stream_newest(&s, 0)->pid, 42);
	stream_fini(&s);
}
