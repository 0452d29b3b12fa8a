/* Unit tests for the status line of ior record. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"

static void three_stalls(void *ctx, uint64_t *count, uint64_t *ns)
{
	(void)ctx;
	*count = 3;
	*ns = 2500000;
}

/* Writer stalls are shown apart from the kernel's lost records, and only
 * when there were some. */
Test(status, writer_stalls_apart_from_lost)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct status s;

	status_init(&s, out);
	status_sink_ops.lost(&s, 7);
	status_finish(&s);
	fflush(out);
	cr_assert(strstr(buf, "7 lost"), "%s", buf);
	cr_assert_null(strstr(buf, "stalled"), "%s", buf);
	s.stalls_fn = three_stalls;
	status_sink_ops.flush(&s);
	status_finish(&s);
	fclose(out);
	cr_assert(strstr(buf, "7 lost, writer stalled 3 times (2 ms)"), "%s", buf);
	free(buf);
}
