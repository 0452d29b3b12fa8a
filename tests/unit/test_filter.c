/* The shared filter: families, drill-down stack, query, breadcrumb. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/syscalls.h"
#include "tui/filter.h"

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

Test(filter, families_toggle_and_cycle)
{
	struct filter f;

	filter_init(&f);
	cr_assert(!filter_active(&f));
	cr_assert(filter_syscall(&f, nr_of("openat")));
	filter_toggle_family(&f, FAMILY_FS);
	cr_assert(filter_active(&f));
	cr_assert(!filter_syscall(&f, nr_of("openat")));
	cr_assert(filter_syscall(&f, nr_of("mmap")));
	filter_cycle_family(&f, 1); /* from several: wraps to the first */
	cr_assert_eq(f.families, 1u << FAMILY_FS);
	filter_cycle_family(&f, 1);
	cr_assert_eq(f.families, 1u << FAMILY_NETWORK);
	filter_cycle_family(&f, -1);
	filter_cycle_family(&f, -1);
	cr_assert_eq(f.families, 1u << FAMILY_MISC);
	filter_clear(&f);
	cr_assert_eq(f.families, FILTER_ALL_FAMILIES);
}

Test(filter, push_pop_and_depth)
{
	struct filter f;
	struct drill d = { .kind = DRILL_PID, .value = 42 };

	filter_init(&f);
	for (int i = 0; i < FILTER_DEPTH; i++)
		cr_assert(filter_push(&f, &d));
	cr_assert(!filter_push(&f, &d), "the stack is bounded");
	cr_assert_eq(filter_pid(&f), 42);
	for (int i = 0; i < FILTER_DEPTH; i++)
		cr_assert(filter_pop(&f));
	cr_assert(!filter_pop(&f));
	cr_assert_eq(filter_pid(&f), 0);
}

Test(filter, files_by_family_prefix_and_query)
{
	struct filter f;
	struct drill dir = { .kind = DRILL_FILE };

	filter_init(&f);
	cr_assert(filter_file(&f, "/etc/passwd", 1u << FAMILY_FS));
	f.families = 1u << FAMILY_NETWORK;
	cr_assert(!filter_file(&f, "/etc/passwd", 1u << FAMILY_FS), "touched only by FS");
	cr_assert(filter_file(&f, "/etc/passwd", (1u << FAMILY_FS) | (1u << FAMILY_NETWORK)));
	filter_init(&f);
	strcpy(dir.text, "/etc/");
	filter_push(&f, &dir);
	cr_assert(filter_file(&f, "/etc/passwd", 1));
	cr_assert(!filter_file(&f, "/etcetera", 1));
	filter_init(&f);
	strcpy(f.query, "pass");
	cr_assert(filter_file(&f, "/etc/passwd", 1));
	cr_assert(!filter_file(&f, "/etc/group", 1));
}

static struct snapshot_event event(struct snapshot *s, const char *syscall, uint32_t pid,
				   int64_t ret)
{
	struct snapshot_event e = { 0 };

	(void)s;
	e.rec.nr = (int16_t)nr_of(syscall);
	e.rec.pid = pid;
	e.rec.tid = pid + 1;
	e.rec.ret = ret;
	if (ret < 0)
		e.rec.rec_flags |= REC_FAILED;
	e.comm = 1; /* "cat" */
	e.file = 5; /* "/etc/hostname" */
	return e;
}

Test(filter, events_by_every_part)
{
	static char strings[] = "\0cat\0/etc/hostname";
	struct snapshot s = { .strings = strings, .strings_len = sizeof(strings) };
	struct snapshot_event ok = event(&s, "openat", 100, 3), bad = event(&s, "openat", 100, -2);
	struct filter f;
	struct drill d = { .kind = DRILL_ERRNO, .value = 2 };

	filter_init(&f);
	cr_assert(filter_event(&f, &s, &ok));
	filter_push(&f, &d);
	cr_assert(!filter_event(&f, &s, &ok));
	cr_assert(filter_event(&f, &s, &bad));
	filter_init(&f);
	strcpy(f.query, "ENOENT");
	cr_assert(filter_event(&f, &s, &bad));
	cr_assert(!filter_event(&f, &s, &ok));
	strcpy(f.query, "101"); /* the tid */
	cr_assert(filter_event(&f, &s, &ok));
	strcpy(f.query, "openat");
	cr_assert(filter_event(&f, &s, &ok));
	strcpy(f.query, "hostname");
	cr_assert(filter_event(&f, &s, &ok));
	strcpy(f.query, "ca");
	cr_assert(filter_event(&f, &s, &ok), "comm part");
	strcpy(f.query, "nothing-like-it");
	cr_assert(!filter_event(&f, &s, &ok));
}

Test(filter, breadcrumb)
{
	static const char *const names[] = { "Overview",  "Families", "Syscalls", "Files",
					     "Processes", "Stream",   "Latency",  "Flame" };
	struct filter f;
	struct drill pid = { .kind = DRILL_PID, .value = 4242, .screen = 3 };
	struct drill sc = { .kind = DRILL_SYSCALL, .screen = 3 };
	char buf[256];

	filter_init(&f);
	filter_describe(&f, names, buf, sizeof(buf));
	cr_assert_str_eq(buf, "");
	f.families = (1u << FAMILY_FS) | (1u << FAMILY_NETWORK);
	sc.value = nr_of("openat");
	filter_push(&f, &pid);
	filter_push(&f, &sc);
	filter_describe(&f, names, buf, sizeof(buf));
	cr_assert_str_eq(buf, "[FS Network] Files \u203a pid 4242 \u203a openat");
}
