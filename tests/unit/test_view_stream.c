/* Unit tests for the Stream screen's model: args and results decoded from
 * fixture records, the filter, hostile names escaped, follow/hold, and
 * scroll-back read from a session made by the real store. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/intern.h"
#include "core/store.h"
#include "core/syscalls.h"
#include "tui/text.h"
#include "tui/theme.h"
#include "tui/view_stream.h"

#define T0 1700000000000000000ull

static void init(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
	text_init();
	text_set_ascii(false);
}

TestSuite(view_stream, .init = init);

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

/* A hand-made snapshot: strings appended, records oldest first (stored
 * newest first as the real one). */
struct fixture {
	struct snapshot s;
	char strings[8192];
	struct snapshot_event ev[64];
	size_t n;
};

static uint32_t str(struct fixture *f, const char *s)
{
	uint32_t off = (uint32_t)f->s.strings_len;

	if (!s)
		return 0;
	memcpy(f->strings + off, s, strlen(s) + 1);
	f->s.strings_len += strlen(s) + 1;
	return off;
}

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->s.strings = f->strings;
	f->s.strings_len = 1;
}

static struct snapshot_event *add(struct fixture *f, const char *sys, int64_t ret, const char *comm,
				  const char *file)
{
	struct snapshot_event *e = &f->ev[f->n++];

	memset(e, 0, sizeof(*e));
	e->rec.ts_ns = T0 + f->n * 1000;
	e->rec.pid = e->rec.tid = 10;
	e->rec.nr = (int16_t)nr_of(sys);
	e->rec.ret = ret;
	e->rec.fd = REC_FD_NONE;
	e->rec.duration_ns = 1500;
	if (ret < 0 && ret >= -4095)
		e->rec.rec_flags |= REC_FAILED;
	e->comm = str(f, comm);
	e->file = str(f, file);
	return e;
}

/* Publish: recent[] newest first. */
static void publish(struct fixture *f, struct snapshot_event *recent)
{
	for (size_t i = 0; i < f->n; i++)
		recent[i] = f->ev[f->n - 1 - i];
	f->s.recent = recent;
	f->s.nrecent = f->n;
	f->s.events = f->n;
}

static int args(const struct fixture *f, const struct snapshot_event *e, int cols, char *out)
{
	return view_stream_args(out, 512, &f->s, e, cols, 0);
}

Test(view_stream, rename_shows_old_and_new)
{
	struct fixture f;
	struct snapshot_event *e;
	char out[512];
	int w;

	fixture_init(&f);
	e = add(&f, "rename", 0, "filemix", "/work/demo/f199.dat");
	e->old_file = str(&f, "/work/demo/f199.tmp");
	args(&f, e, 200, out);
	cr_assert_str_eq(out, "old:/work/demo/f199.tmp -> new:/work/demo/f199.dat");
	/* Narrow: both paths cut in the middle, the file names kept. */
	w = args(&f, e, 34, out);
	cr_assert_leq(w, 34);
	cr_assert(strstr(out, "old:") && strstr(out, " -> new:"), "%s", out);
	cr_assert(strstr(out, "f199.tmp") && strstr(out, "f199.dat"), "%s", out);
	cr_assert(strstr(out, "\u2026"), "%s", out);
}

Test(view_stream, read_shows_fd_path_and_bytes)
{
	struct fixture f;
	struct snapshot_event *e;
	char out[512], res[64];
	int role;

	fixture_init(&f);
	e = add(&f, "read", 200, "filemix", "/work/demo/f199.dat");
	e->rec.fd = 3;
	e->rec.bytes = 200;
	args(&f, e, 200, out);
	cr_assert_str_eq(out, "3 \u2192 /work/demo/f199.dat  200 B");
	cr_assert_str_eq(view_stream_result(res, sizeof(res), &e->rec, &role), "= 200");
	cr_assert_eq(role, THEME_NORMAL);
}

Test(view_stream, openat_shows_path_and_flags)
{
	struct fixture f;
	struct snapshot_event *e;
	char out[512], res[64];
	int role;

	fixture_init(&f);
	e = add(&f, "openat", 3, "filemix", "/work/demo/f199.tmp");
	e->rec.fd = 3; /* the new descriptor */
	e->flags = str(&f, "O_WRONLY|O_CREAT|O_TRUNC");
	args(&f, e, 200, out);
	cr_assert_str_eq(out, "/work/demo/f199.tmp O_WRONLY|O_CREAT|O_TRUNC");
	cr_assert_str_eq(view_stream_result(res, sizeof(res), &e->rec, &role), "= 3");
}

Test(view_stream, failed_shows_errno_name_in_error_role)
{
	struct fixture f;
	struct snapshot_event *e;
	char out[512], res[64];
	int role;

	fixture_init(&f);
	e = add(&f, "openat", -2, "ls", "/nonexistent");
	e->flags = str(&f, "O_RDONLY");
	args(&f, e, 200, out);
	cr_assert_str_eq(out, "/nonexistent O_RDONLY");
	cr_assert_str_eq(view_stream_result(res, sizeof(res), &e->rec, &role), "ENOENT");
	cr_assert_eq(role, THEME_ERROR);
}

Test(view_stream, interrupted_and_noreturn_are_marked)
{
	struct fixture f;
	struct snapshot_event *e;
	char res[64];
	int role;

	fixture_init(&f);
	e = add(&f, "read", -512, "sh", NULL);
	e->rec.rec_flags = REC_INTERRUPTED;
	cr_assert_str_eq(view_stream_result(res, sizeof(res), &e->rec, &role), "ERESTARTSYS?");
	cr_assert_eq(role, THEME_WARNING);
	e = add(&f, "exit_group", 0, "sh", NULL);
	e->rec.rec_flags = REC_NORETURN;
	cr_assert_str_eq(view_stream_result(res, sizeof(res), &e->rec, &role), "no return");
	cr_assert_eq(role, THEME_DIM);
}

Test(view_stream, epoll_sleep_and_address_space)
{
	struct fixture f;
	struct snapshot_event *e;
	char out[512];

	fixture_init(&f);
	e = add(&f, "epoll_ctl", 0, "srv", "anon_inode:[eventpoll]");
	e->rec.fd = 5;
	e->rec.rec_flags |= REC_HAS_EPOLL;
	e->rec.epoll_op = 1;
	e->rec.epoll_target_fd = 4;
	e->rec.epoll_events = 0x1 | (1u << 31);
	args(&f, e, 200, out);
	cr_assert_str_eq(out, "5 \u2192 anon_inode:[eventpoll]  ADD fd 4 EPOLLIN|EPOLLET");
	e = add(&f, "nanosleep", 0, "sleep", NULL);
	e->rec.rec_flags |= REC_HAS_SLEEP;
	e->rec.requested_sleep_ns = 300000000;
	args(&f, e, 200, out);
	cr_assert_str_eq(out, "sleep 300ms");
	e = add(&f, "munmap", 0, "sh", NULL);
	e->rec.rec_flags |= REC_HAS_ASB;
	e->rec.address_space_bytes = -8192;
	args(&f, e, 200, out);
	cr_assert_str_eq(out, "-8.0 KiB");
}

Test(view_stream, hostile_names_are_escaped_in_the_cells)
{
	struct fixture f;
	struct snapshot_event recent[8];
	struct stream_cells cells;
	struct filter flt;
	struct view_ctx ctx = { .snap = &f.s, .filter = &flt, .search = "" };
	struct view_stream *v = view_stream_new();

	fixture_init(&f);
	filter_init(&flt);
	add(&f, "openat", 3, "bad\x1b]0;x\a", "/tmp/\x1b[31mRED.txt\nx\xff");
	publish(&f, recent);
	view_stream_build(v, &ctx);
	cr_assert_eq(view_stream_count(v), 1);
	view_stream_cells(v, 0, 80, 0, &cells);
	cr_assert_str_eq(cells.args, "/tmp/\\x1b[31mRED.txt\\nx\\xff");
	cr_assert_str_eq(cells.comm, "bad\\x1b]0;x\\x07");
	for (const char *p = cells.args; *p; p++)
		cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f);
	view_stream_free(v);
}

Test(view_stream, pid_tid_and_the_filter)
{
	struct fixture f;
	struct snapshot_event recent[8], *e;
	struct stream_cells cells;
	struct filter flt;
	struct view_ctx ctx = { .snap = &f.s, .filter = &flt, .search = "" };
	struct view_stream *v = view_stream_new();
	struct drill d = { .kind = DRILL_SYSCALL };

	fixture_init(&f);
	filter_init(&flt);
	add(&f, "openat", 3, "a", "/x");
	e = add(&f, "read", 1, "a", "/x");
	e->rec.tid = 11;
	add(&f, "openat", -2, "a", "/y");
	publish(&f, recent);
	view_stream_build(v, &ctx);
	cr_assert_eq(view_stream_count(v), 3);
	view_stream_cells(v, 1, 80, 0, &cells);
	cr_assert_str_eq(cells.pid, "10/11");
	view_stream_cells(v, 0, 80, 0, &cells);
	cr_assert_str_eq(cells.pid, "10");
	d.value = nr_of("openat");
	filter_push(&flt, &d);
	view_stream_build(v, &ctx);
	cr_assert_eq(view_stream_count(v), 2);
	cr_assert_eq(view_stream_selected(v), 1, "following: the newest is selected");
	snprintf(flt.query, sizeof(flt.query), "ENOENT");
	view_stream_build(v, &ctx);
	cr_assert_eq(view_stream_count(v), 1);
	view_stream_free(v);
}

Test(view_stream, moving_up_holds_end_follows_again)
{
	struct fixture f;
	struct snapshot_event recent[16];
	struct filter flt;
	struct view_ctx ctx = { .snap = &f.s, .filter = &flt, .search = "" };
	struct view_stream *v = view_stream_new();
	struct drill push;

	fixture_init(&f);
	filter_init(&flt);
	for (int i = 0; i < 5; i++)
		add(&f, "read", 1, "a", "/x");
	publish(&f, recent);
	view_stream_build(v, &ctx);
	cr_assert(view_stream_following(v));
	cr_assert_eq(view_stream_action(v, &ctx, ACT_UP, &push), VIEW_HANDLED);
	cr_assert_not(view_stream_following(v));
	cr_assert_eq(view_stream_selected(v), 3);
	add(&f, "write", 1, "a", "/x");
	publish(&f, recent);
	view_stream_build(v, &ctx);
	cr_assert_eq(view_stream_count(v), 5, "held: the new record waits");
	cr_assert_eq(view_stream_selected(v), 3);
	view_stream_action(v, &ctx, ACT_END, &push);
	cr_assert(view_stream_following(v));
	cr_assert_eq(view_stream_count(v), 6);
	cr_assert_eq(view_stream_selected(v), 5);
	/* Enter drills into the record's process. */
	cr_assert_eq(view_stream_action(v, &ctx, ACT_DRILL, &push), VIEW_PUSH);
	cr_assert_eq(push.kind, DRILL_PID);
	cr_assert_eq(push.value, 10);
	view_stream_free(v);
}

Test(view_stream, search_moves_to_matches)
{
	struct fixture f;
	struct snapshot_event recent[16];
	struct filter flt;
	struct view_ctx ctx = { .snap = &f.s, .filter = &flt, .search = "needle" };
	struct view_stream *v = view_stream_new();
	struct drill push;

	fixture_init(&f);
	filter_init(&flt);
	add(&f, "read", 1, "a", "/needle/1");
	add(&f, "read", 1, "a", "/x");
	add(&f, "read", 1, "a", "/needle/2");
	add(&f, "read", 1, "a", "/x");
	publish(&f, recent);
	view_stream_build(v, &ctx);
	view_stream_action(v, &ctx, ACT_SEARCH_PREV, &push);
	cr_assert_eq(view_stream_selected(v), 2);
	view_stream_action(v, &ctx, ACT_SEARCH_PREV, &push);
	cr_assert_eq(view_stream_selected(v), 0);
	view_stream_action(v, &ctx, ACT_SEARCH_NEXT, &push);
	cr_assert_eq(view_stream_selected(v), 2);
	view_stream_free(v);
}

/* --- Scroll-back from a real session ---------------------------------------- */

#define NREC  1200
#define NRING 100

static void make_session(const char *path)
{
	struct store *st;
	struct ior_err err = { 0 };
	struct store_meta meta = { .cmdline = "ior record", .target = "test", .start_ns = T0 };
	struct intern *in = intern_new();
	const char *strs[] = { "worker", "/data/file", "/data/old" };

	cr_assert_eq(store_open(&st, path, false, &meta, &err), 0, "%s", err.msg);
	for (int i = 0; i < 3; i++) {
		ior_str id = intern_get(in, strs[i], strlen(strs[i]), NULL);

		store_sink_ops.string(st, id, intern_str(in, id, NULL), strlen(strs[i]));
	}
	for (int i = 1; i <= NREC; i++) {
		struct ior_rec r = { .ts_ns = T0 + (uint64_t)i * 1000,
				     .pid = 10,
				     .tid = 10,
				     .comm = 1,
				     .file = 2,
				     .fd = 3,
				     .nr = (int16_t)nr_of(i % 2 ? "read" : "write"),
				     .ret = i,
				     .bytes = i };

		if (i == 7) { /* one rename, to check the extras come back */
			r.nr = (int16_t)nr_of("rename");
			r.fd = REC_FD_NONE;
			r.old_file = 3;
			r.ret = 0;
			r.bytes = 0;
		}
		store_sink_ops.event(st, &r);
	}
	cr_assert_eq(store_close(st, T0 + 10000000, &err), 0, "%s", err.msg);
	intern_free(in);
}

Test(view_stream, scroll_back_reads_older_pages_from_the_session)
{
	char dir[] = "/tmp/ior-vs-XXXXXX", path[64], cmd[128];
	struct fixture *f = calloc(1, sizeof(*f));
	struct snapshot_event *recent = calloc(NRING, sizeof(*recent));
	struct filter flt;
	struct view_ctx ctx = { .filter = &flt, .search = "" };
	struct view_stream *v = view_stream_new();
	struct drill push;
	uint64_t id;
	char out[512];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	make_session(path);
	/* The ring: the newest NRING records, as the snapshot would hold them. */
	fixture_init(f);
	for (int i = NREC - NRING + 1; i <= NREC; i++) {
		struct snapshot_event *e = &recent[NREC - i];

		e->rec = (struct ior_rec){ .ts_ns = T0 + (uint64_t)i * 1000,
					   .pid = 10,
					   .tid = 10,
					   .fd = 3,
					   .nr = (int16_t)nr_of(i % 2 ? "read" : "write"),
					   .ret = i,
					   .bytes = i };
	}
	f->s.recent = recent;
	f->s.nrecent = NRING;
	f->s.events = NREC;
	ctx.snap = &f->s;
	ctx.session = path;
	filter_init(&flt);
	view_stream_build(v, &ctx);
	cr_assert_eq(view_stream_count(v), NRING);
	view_stream_event(v, 0, &id);
	cr_assert_eq(id, NREC - NRING + 1);
	view_stream_action(v, &ctx, ACT_HOME, &push);
	view_stream_action(v, &ctx, ACT_UP, &push);
	cr_assert_eq(view_stream_count(v), NRING + STREAM_PAGE);
	cr_assert_eq(view_stream_selected(v), STREAM_PAGE - 1);
	view_stream_event(v, view_stream_selected(v), &id);
	cr_assert_eq(id, NREC - NRING);
	/* Page up to the start: the rename comes back with its old name. */
	for (int k = 0; k < 3; k++) {
		view_stream_action(v, &ctx, ACT_HOME, &push);
		view_stream_action(v, &ctx, ACT_PAGE_UP, &push);
	}
	cr_assert_eq(view_stream_count(v), NREC);
	view_stream_event(v, 0, &id);
	cr_assert_eq(id, 1);
	view_stream_args(out, sizeof(out), view_stream_strings(v), view_stream_event(v, 6, NULL),
			 200, 0);
	cr_assert_str_eq(out, "old:/data/old -> new:/data/file");
	view_stream_args(out, sizeof(out), view_stream_strings(v), view_stream_event(v, 0, NULL),
			 200, 0);
	cr_assert_str_eq(out, "3 \u2192 /data/file  1 B");
	/* The filter applies to what was read back too. */
	snprintf(flt.query, sizeof(flt.query), "rename");
	view_stream_build(v, &ctx);
	cr_assert_eq(view_stream_count(v), 1);
	view_stream_free(v);
	free(recent);
	free(f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(view_stream, scroll_back_refuses_ids_that_do_not_match)
{
	char dir[] = "/tmp/ior-vs-XXXXXX", path[64], cmd[128];
	struct snapshot_event recent[10];
	struct fixture *f = calloc(1, sizeof(*f));
	struct filter flt;
	struct view_ctx ctx = { .filter = &flt, .search = "" };
	struct view_stream *v = view_stream_new();
	struct drill push;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	make_session(path);
	fixture_init(f);
	for (int i = 0; i < 10; i++)
		recent[i].rec =
			(struct ior_rec){ .ts_ns = T0 + (uint64_t)(NREC - i) * 1000,
					  .pid = 10,
					  .tid = 10,
					  .fd = 3,
					  .nr = (int16_t)nr_of((NREC - i) % 2 ? "read" : "write") };
	f->s.recent = recent;
	f->s.nrecent = 10;
	f->s.events = NREC - 5; /* a source that counted differently */
	ctx.snap = &f->s;
	ctx.session = path;
	filter_init(&flt);
	view_stream_build(v, &ctx);
	view_stream_action(v, &ctx, ACT_HOME, &push);
	view_stream_action(v, &ctx, ACT_UP, &push);
	cr_assert_eq(view_stream_count(v), 10, "nothing read that would not join up");
	view_stream_free(v);
	free(f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}
