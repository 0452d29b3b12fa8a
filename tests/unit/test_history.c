/* Unit tests for reading records back from a session by id range. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/history.h"
#include "core/intern.h"
#include "core/store.h"
#include "core/syscalls.h"

#define T0 1700000000000000000ull

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

struct seen {
	uint64_t ids[64];
	struct history_row rows[64];
	char file[64][64], old[64][64];
	int n;
};

static void collect(void *ctx, const struct history_row *row)
{
	struct seen *s = ctx;

	s->ids[s->n] = row->id;
	s->rows[s->n] = *row;
	snprintf(s->file[s->n], sizeof(s->file[0]), "%s", row->file ? row->file : "");
	snprintf(s->old[s->n], sizeof(s->old[0]), "%s", row->old_file ? row->old_file : "");
	s->n++;
}

Test(history, pages_by_id_with_every_field)
{
	char dir[] = "/tmp/ior-hist-XXXXXX", path[64], cmd[128];
	struct store_meta meta = { .cmdline = "ior record", .target = "t", .start_ns = T0 };
	const char *strs[] = { "w", "/f", "/old" };
	struct intern *in = intern_new();
	struct ior_err err = { 0 };
	struct history *h;
	struct store *st;
	struct seen s = { 0 };

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	cr_assert_eq(store_open(&st, path, false, &meta, &err), 0, "%s", err.msg);
	for (int i = 0; i < 3; i++) {
		ior_str id = intern_get(in, strs[i], strlen(strs[i]), NULL);

		store_sink_ops.string(st, id, intern_str(in, id, NULL), strlen(strs[i]));
	}
	for (int i = 1; i <= 40; i++) {
		struct ior_rec r = { .ts_ns = T0 + (uint64_t)i,
				     .pid = 5,
				     .tid = 6,
				     .comm = 1,
				     .fd = REC_FD_NONE,
				     .nr = (int16_t)nr_of("getpid"),
				     .ret = 5 };

		if (i == 10) {
			r.nr = (int16_t)nr_of("renameat2");
			r.file = 2;
			r.old_file = 3;
			r.ret = -2;
			r.rec_flags = REC_FAILED;
		} else if (i == 11) {
			r.nr = (int16_t)nr_of("epoll_ctl");
			r.fd = 4;
			r.rec_flags = REC_HAS_EPOLL;
			r.epoll_op = 3;
			r.epoll_target_fd = 9;
			r.epoll_events = 5;
			r.ret = 0;
		} else if (i == 12) {
			r.nr = (int16_t)nr_of("read");
			r.ret = -512;
			r.rec_flags = REC_INTERRUPTED;
		}
		store_sink_ops.event(st, &r);
	}
	cr_assert_eq(store_close(st, T0 + 1000, &err), 0, "%s", err.msg);
	intern_free(in);

	cr_assert_eq(history_open(&h, path, &err), 0, "%s", err.msg);
	cr_assert_eq(history_last_id(h, &err), 40);
	cr_assert_eq(history_range(h, 9, 13, collect, &s, &err), 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(s.ids[i], 9 + (uint64_t)i);
	cr_assert_eq(s.rows[0].rec.pid, 5);
	cr_assert_eq(s.rows[0].rec.tid, 6);
	cr_assert_eq(s.rows[0].rec.ts_ns, T0 + 9);
	cr_assert_str_eq(s.file[1], "/f");
	cr_assert_str_eq(s.old[1], "/old");
	cr_assert(s.rows[1].rec.rec_flags & REC_FAILED);
	cr_assert_eq(s.rows[1].rec.ret, -2);
	cr_assert_eq(s.rows[2].rec.epoll_op, 3);
	cr_assert_eq(s.rows[2].rec.epoll_target_fd, 9);
	cr_assert_eq(s.rows[2].rec.epoll_events, 5);
	cr_assert_eq(s.rows[2].rec.fd, 4);
	cr_assert(s.rows[3].rec.rec_flags & REC_INTERRUPTED);
	cr_assert_not(s.rows[3].rec.rec_flags & REC_FAILED, "a restart code is no failure");
	cr_assert_eq(s.rows[4].rec.fd, REC_FD_NONE);
	s.n = 0;
	cr_assert_eq(history_range(h, 41, 100, collect, &s, &err), 0);
	cr_assert_eq(history_range(h, 5, 4, collect, &s, &err), 0);
	history_close(h);
	cr_assert_lt(history_open(&h, "/nonexistent/s.db", &err), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}
