/* Unit tests for the Files screen: its model built from hand-made
 * snapshots (roll-ups, filters, subsets from the flame triples), the
 * descriptor panel, and what it draws for hostile paths. */
#include <criterion/criterion.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/syscalls.h"
#include "tui/text.h"
#include "tui/theme.h"
#include "tui/view_files.h"

static void utf8_locale(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "the C.UTF-8 locale");
	text_init();
}

TestSuite(view_files, .init = utf8_locale);

/* A snapshot put together by hand; fixed capacities are plenty here. */
struct fixture {
	struct snapshot s;
	char strings[4096];
	struct snapshot_file files[16];
	struct snapshot_proc procs[8];
	struct snapshot_flame flame[16];
	struct snapshot_fd fds[64];
	struct filter filter;
	struct view_ctx ctx;
	struct view_files v;
};

static int nr_of(const char *name)
{
	return syscall_native_nr(syscall_by_name(name));
}

static uint16_t fam_of(const char *syscall)
{
	return STATS_FAMILY_BIT(syscall_by_name(syscall)->family);
}

static void setup(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->s.strings = f->strings;
	f->s.strings_len = 1; /* "" at offset 0 */
	f->s.files = f->files;
	f->s.procs = f->procs;
	f->s.flame = f->flame;
	f->s.fds = f->fds;
	filter_init(&f->filter);
	f->ctx.snap = &f->s;
	f->ctx.filter = &f->filter;
	f->ctx.screen = 3;
	f->ctx.search = "";
	view_files_init(&f->v);
}

static void teardown(struct fixture *f)
{
	view_files_fini(&f->v);
}

static uint32_t str(struct fixture *f, const char *text)
{
	uint32_t off = (uint32_t)f->s.strings_len;
	size_t len = strlen(text) + 1;

	cr_assert_lt(off + len, sizeof(f->strings));
	memcpy(f->strings + off, text, len);
	f->s.strings_len += len;
	return off;
}

static struct snapshot_file *file(struct fixture *f, const char *path, uint16_t families,
				  uint64_t calls)
{
	struct snapshot_file *fl = &f->files[f->s.nfiles++];

	fl->path = str(f, path);
	fl->families = families;
	fl->nprocs = 1;
	fl->row.calls = calls;
	fl->row.total_ns = calls * 1000;
	fl->row.max_ns = 5000;
	f->s.files_total = f->s.nfiles;
	return fl;
}

static void triple(struct fixture *f, const char *comm, const char *syscall, const char *path,
		   uint64_t calls, uint64_t bytes)
{
	struct snapshot_flame *t = &f->flame[f->s.nflame++];
	uint32_t path_off = 0;

	/* The same text at the same offset, as the snapshot's dedup does. */
	for (size_t i = 0; path && i < f->s.nfiles; i++)
		if (!strcmp(f->strings + f->files[i].path, path))
			path_off = f->files[i].path;
	t->comm = str(f, comm);
	t->file = path_off ? path_off : path ? str(f, path) : 0;
	t->nr = nr_of(syscall);
	t->calls = calls;
	t->bytes = bytes;
	t->total_ns = calls * 100;
	f->s.flame_total = f->s.nflame;
}

static const struct table_row *row(struct fixture *f, const char *id)
{
	for (size_t i = 0; i < f->v.t.nrows; i++)
		if (!strcmp(f->v.t.rows[i].id, id))
			return &f->v.t.rows[i];
	return NULL;
}

static double key(struct fixture *f, const char *id, int col)
{
	const struct table_row *r = row(f, id);

	cr_assert_not_null(r, "row %s", id);
	return r->key[col];
}

Test(view_files, flat_rows_carry_the_file_rows_and_triple_counts)
{
	struct fixture f;
	struct snapshot_file *a;

	setup(&f);
	a = file(&f, "/etc/a", fam_of("read"), 7);
	a->opens = 2;
	a->nprocs = 3;
	a->row.bytes[BYTES_READ] = 300;
	a->row.errors = 1;
	triple(&f, "cat", "read", "/etc/a", 4, 300);
	triple(&f, "cat", "openat", "/etc/a", 2, 0);
	view_files_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 1);
	cr_assert_str_eq(row(&f, "f:/etc/a")->cell[VIEW_FILES_PATH], "/etc/a");
	cr_assert_eq(key(&f, "f:/etc/a", VIEW_FILES_CALLS), 7);
	cr_assert_eq(key(&f, "f:/etc/a", VIEW_FILES_OPENS), 2);
	cr_assert_eq(key(&f, "f:/etc/a", VIEW_FILES_READS), 4, "reads from the triples");
	cr_assert_eq(key(&f, "f:/etc/a", VIEW_FILES_READ_B), 300);
	cr_assert_eq(key(&f, "f:/etc/a", VIEW_FILES_ERR), 1);
	cr_assert_eq(key(&f, "f:/etc/a", VIEW_FILES_MAX), 5000);
	cr_assert_eq(key(&f, "f:/etc/a", VIEW_FILES_PROCS), 3);
	cr_assert_eq(row(&f, "f:/etc/a")->drill.kind, DRILL_FILE);
	cr_assert_str_eq(row(&f, "f:/etc/a")->drill.text, "/etc/a");
	cr_assert(!f.v.subset);
	cr_assert(!f.v.transfer, "no TRANSFER bytes: no column");
	teardown(&f);
}

Test(view_files, title_counts_the_files_beyond_the_top_n)
{
	struct fixture f;

	setup(&f);
	file(&f, "/a", fam_of("read"), 1);
	f.s.files_total = 1234;
	view_files_build(&f.v, &f.ctx);
	cr_assert(strstr(f.v.title, "the 1 busiest of 1,234 listed"), "%s", f.v.title);
	teardown(&f);
}

Test(view_files, directory_tree_rolls_up_its_files)
{
	struct fixture f;
	struct snapshot_file *x, *y, *z;

	setup(&f);
	x = file(&f, "/a/x", fam_of("read"), 10);
	x->row.bytes[BYTES_READ] = 100;
	x->row.max_ns = 9000;
	y = file(&f, "/a/y", fam_of("write"), 5);
	y->row.bytes[BYTES_WRITE] = 50;
	y->row.errors = 2;
	z = file(&f, "/a/b/z", fam_of("read"), 1);
	z->opens = 1;
	file(&f, "/c", fam_of("read"), 2);
	f.ctx.tree = true;
	view_files_build(&f.v, &f.ctx);

	cr_assert_eq(key(&f, "d:/a/", VIEW_FILES_CALLS), 16);
	cr_assert_eq(key(&f, "d:/a/", VIEW_FILES_READ_B), 100);
	cr_assert_eq(key(&f, "d:/a/", VIEW_FILES_WRITTEN_B), 50);
	cr_assert_eq(key(&f, "d:/a/", VIEW_FILES_ERR), 2);
	cr_assert_eq(key(&f, "d:/a/", VIEW_FILES_OPENS), 1);
	cr_assert_eq(key(&f, "d:/a/", VIEW_FILES_MAX), 9000, "the max of its files");
	cr_assert_eq(key(&f, "d:/", VIEW_FILES_CALLS), 18);
	cr_assert_str_eq(row(&f, "d:/a/")->cell[VIEW_FILES_PATH], "a/", "named under its parent");
	cr_assert_str_eq(row(&f, "f:/a/x")->cell[VIEW_FILES_PATH], "x");
	cr_assert_eq(row(&f, "f:/a/x")->depth, 2);
	cr_assert_str_eq(row(&f, "d:/a/")->drill.text, "/a/", "a directory drills by prefix");
	/* The third level starts folded: /a/b/ is there, z under it is not. */
	cr_assert(row(&f, "d:/a/b/")->folded);
	cr_assert_null(row(&f, "f:/a/b/z"));
	view_files_set_open(&f.v, "d:/a/b/", true);
	view_files_build(&f.v, &f.ctx);
	cr_assert_not_null(row(&f, "f:/a/b/z"));
	cr_assert_eq(key(&f, "d:/a/b/", VIEW_FILES_CALLS), 1);
	view_files_set_open(&f.v, "d:/a/", false);
	view_files_build(&f.v, &f.ctx);
	cr_assert_null(row(&f, "f:/a/x"), "folded away");
	cr_assert_eq(key(&f, "d:/a/", VIEW_FILES_CALLS), 16, "a folded directory keeps its sums");
	teardown(&f);
}

Test(view_files, directories_with_one_directory_merge)
{
	struct fixture f;

	setup(&f);
	file(&f, "/usr/lib/libc.so.6", fam_of("read"), 3);
	file(&f, "/usr/lib/libm.so.6", fam_of("read"), 4);
	f.ctx.tree = true;
	view_files_build(&f.v, &f.ctx);
	cr_assert_null(row(&f, "d:/"));
	cr_assert_null(row(&f, "d:/usr/"));
	cr_assert_str_eq(row(&f, "d:/usr/lib/")->cell[VIEW_FILES_PATH], "/usr/lib/");
	cr_assert_eq(row(&f, "d:/usr/lib/")->parent, -1);
	cr_assert_eq(key(&f, "d:/usr/lib/", VIEW_FILES_CALLS), 7);
	cr_assert_eq(f.v.t.nrows, 3);
	teardown(&f);
}

Test(view_files, family_filter_hides_a_file_only_other_families_touched)
{
	struct fixture f;

	setup(&f);
	file(&f, "/etc/fs-only", fam_of("read"), 3);
	file(&f, "socket:[77]", fam_of("sendto"), 5);
	f.filter.families = STATS_FAMILY_BIT(FAMILY_FS);
	view_files_build(&f.v, &f.ctx);
	cr_assert_not_null(row(&f, "f:/etc/fs-only"));
	cr_assert_null(row(&f, "f:socket:[77]"));
	cr_assert_eq(key(&f, "f:/etc/fs-only", VIEW_FILES_CALLS), 3, "wholly FS: its own row");
	cr_assert(!f.v.subset);
	teardown(&f);
}

Test(view_files, family_filter_counts_only_its_calls_of_a_mixed_file)
{
	struct fixture f;

	setup(&f);
	file(&f, "/lib/libc.so.6", fam_of("read") | fam_of("mmap"), 9);
	triple(&f, "sh", "read", "/lib/libc.so.6", 2, 832);
	triple(&f, "sh", "mmap", "/lib/libc.so.6", 7, 0);
	f.filter.families = STATS_FAMILY_BIT(FAMILY_FS);
	view_files_build(&f.v, &f.ctx);
	cr_assert_eq(key(&f, "f:/lib/libc.so.6", VIEW_FILES_CALLS), 2);
	cr_assert_eq(key(&f, "f:/lib/libc.so.6", VIEW_FILES_READ_B), 832);
	cr_assert_eq(key(&f, "f:/lib/libc.so.6", VIEW_FILES_MAX), -1, "unknown for a subset");
	cr_assert(f.v.subset);
	teardown(&f);
}

Test(view_files, syscall_drill_uses_the_flame_triples)
{
	struct fixture f;
	struct drill d = { .kind = DRILL_SYSCALL };

	setup(&f);
	file(&f, "/a", fam_of("read"), 10);
	file(&f, "/b", fam_of("write"), 10);
	triple(&f, "cat", "read", "/a", 3, 30);
	triple(&f, "cat", "openat", "/a", 1, 0);
	triple(&f, "cat", "openat", "/b", 1, 0);
	triple(&f, "cat", "write", "/b", 9, 90);
	triple(&f, "dd", "read", "/c", 4, 40); /* past the listed files */
	d.value = nr_of("read");
	filter_push(&f.filter, &d);
	view_files_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 2, "/a and /c read; /b did not");
	cr_assert_null(row(&f, "f:/b"));
	cr_assert_eq(key(&f, "f:/a", VIEW_FILES_CALLS), 3);
	cr_assert_eq(key(&f, "f:/a", VIEW_FILES_READ_B), 30);
	cr_assert_eq(key(&f, "f:/a", VIEW_FILES_READS), 3);
	cr_assert_eq(key(&f, "f:/c", VIEW_FILES_CALLS), 4);
	cr_assert(strstr(f.v.title, "of read \u00b7 via the flame triples"), "%s", f.v.title);

	/* The query as a syscall name does the same. */
	filter_pop(&f.filter);
	snprintf(f.filter.query, sizeof(f.filter.query), "openat");
	view_files_build(&f.v, &f.ctx);
	cr_assert_eq(key(&f, "f:/a", VIEW_FILES_CALLS), 1);
	cr_assert_eq(key(&f, "f:/a", VIEW_FILES_OPENS), 1, "a successful openat opens");
	cr_assert_eq(key(&f, "f:/b", VIEW_FILES_CALLS), 1);
	cr_assert_null(row(&f, "f:/c"));
	teardown(&f);
}

Test(view_files, pid_drill_goes_through_its_comm)
{
	struct fixture f;
	struct drill d = { .kind = DRILL_PID, .value = 42 };

	setup(&f);
	file(&f, "/a", fam_of("read"), 10);
	file(&f, "/b", fam_of("read"), 10);
	triple(&f, "make", "read", "/a", 6, 60);
	triple(&f, "cc", "read", "/b", 4, 40);
	f.procs[f.s.nprocs++] = (struct snapshot_proc){ .pid = 41, .comm = str(&f, "cc") };
	f.procs[f.s.nprocs++] = (struct snapshot_proc){ .pid = 42, .comm = str(&f, "make") };
	filter_push(&f.filter, &d);
	view_files_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 1);
	cr_assert_eq(key(&f, "f:/a", VIEW_FILES_CALLS), 6);
	cr_assert(strstr(f.v.title, "comm make (pid 42's)"), "%s", f.v.title);

	/* A pid as the query: the same, not "no path matches 42". */
	filter_pop(&f.filter);
	snprintf(f.filter.query, sizeof(f.filter.query), "41");
	view_files_build(&f.v, &f.ctx);
	cr_assert_eq(f.v.t.nrows, 1);
	cr_assert_eq(key(&f, "f:/b", VIEW_FILES_CALLS), 4);
	teardown(&f);
}

Test(view_files, transfer_bytes_bring_their_column)
{
	struct fixture f;

	setup(&f);
	file(&f, "/x", fam_of("sendfile"), 1)->row.bytes[BYTES_TRANSFER] = 4096;
	view_files_build(&f.v, &f.ctx);
	cr_assert(f.v.transfer);
	cr_assert_eq(key(&f, "f:/x", VIEW_FILES_XFER_B), 4096);
	teardown(&f);
}

/* The panel's lines as text, segments at their columns. */
static void panel_text(const struct view_files_fds *p, char lines[][512], int nlines)
{
	for (int l = 0; l < nlines; l++) {
		memset(lines[l], ' ', 511);
		lines[l][511] = '\0';
	}
	for (size_t i = 0; i < p->nseg; i++) {
		const struct view_files_fds_seg *s = &p->seg[i];
		size_t len = strlen(s->text);

		cr_assert_lt(s->line, nlines);
		cr_assert_lt(s->col + len, 511);
		memcpy(lines[s->line] + s->col, s->text, len);
	}
	for (int l = 0; l < nlines; l++) {
		size_t end = strlen(lines[l]);

		while (end && lines[l][end - 1] == ' ')
			lines[l][--end] = '\0';
	}
}

Test(view_files, descriptor_panel_types_and_marks)
{
	struct fixture f;
	struct view_files_fds p = { 0 };
	char lines[4][512];

	setup(&f);
	f.procs[f.s.nprocs++] = (struct snapshot_proc){ .pid = 4251, .comm = str(&f, "cc1plus") };
	f.s.fds_pid = 4251;
	f.fds[f.s.nfds++] = (struct snapshot_fd){ 0, str(&f, "/dev/pts/3"), false };
	f.fds[f.s.nfds++] = (struct snapshot_fd){ 1, str(&f, "pipe:[7330]"), false };
	f.fds[f.s.nfds++] = (struct snapshot_fd){ 3, str(&f, "/usr/include/stdio.h"), true };
	f.fds[f.s.nfds++] = (struct snapshot_fd){ 4, 0, false };
	view_files_fds_layout(&p, &f.s, 120, 4);
	panel_text(&p, lines, 4);
	cr_assert_str_eq(lines[0], "pid 4251 cc1plus \u2014 descriptors");
	cr_assert_str_eq(lines[1], "  0 /dev/pts/3 (tty)   1 pipe:[7330]   3 /usr/include/stdio.h "
				   "(cloexec)   4 (unknown)");
	cr_assert_eq(p.lines, 2);
	view_files_fds_fini(&p);

	f.s.fds_pid = 0;
	view_files_fds_layout(&p, &f.s, 120, 4);
	cr_assert_eq(p.lines, 0, "no table asked for: no panel");
	teardown(&f);
}

Test(view_files, descriptor_panel_wraps_then_says_how_many_more)
{
	struct fixture f;
	struct view_files_fds p = { 0 };
	char lines[3][512], path[64];

	setup(&f);
	f.s.fds_pid = 9;
	for (int i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/tmp/file-%02d", i);
		f.fds[f.s.nfds++] = (struct snapshot_fd){ i, str(&f, path), false };
	}
	view_files_fds_layout(&p, &f.s, 80, 3);
	panel_text(&p, lines, 3);
	cr_assert_eq(p.lines, 3);
	cr_assert(strstr(lines[0], "pid 9 ? \u2014 descriptors"), "%s", lines[0]);
	cr_assert(strstr(lines[1], "0 /tmp/file-00"), "%s", lines[1]);
	cr_assert(strstr(lines[2], " more"), "%s", lines[2]);
	for (int l = 0; l < 3; l++)
		cr_assert_leq(text_width(lines[l]), 80, "line %d: %s", l, lines[l]);
	/* Every descriptor is either shown or counted. */
	{
		int shown = 0, more = 0;
		const char *m = strchr(lines[2], '+');

		for (size_t i = 0; i < p.nseg; i++)
			shown += p.seg[i].role == THEME_ACCENT && p.seg[i].line > 0;
		cr_assert_not_null(m);
		more = atoi(m + 1);
		cr_assert_eq(shown + more, 40, "%d shown + %d more", shown, more);
	}
	view_files_fds_fini(&p);
	teardown(&f);
}

#define HOSTILE "/tmp/\x1b[31mRED\n\xff.txt"
#define ESCAPED "/tmp/\\x1b[31mRED\\n\\xff.txt"

/* Draw the screen on a curses terminal that writes to /dev/null and read
 * the text back off curses' own screen. */
static void draw_to_text(struct fixture *f, char lines[][1024], int nlines, int cols)
{
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	void *state = view_files_ops.create();

	cr_assert(out && in);
	setenv("TERM", "xterm-256color", 1);
	scr = newterm("xterm-256color", out, in);
	cr_assert_not_null(scr, "a curses terminal");
	resizeterm(nlines, cols);
	view_files_ops.build(state, &f->ctx);
	view_files_ops.draw(state, &f->ctx, 0, 0, nlines, cols);
	for (int l = 0; l < nlines; l++) {
		wchar_t w[1024];

		mvinnwstr(l, 0, w, cols);
		cr_assert_neq(wcstombs(lines[l], w, 1024), (size_t)-1);
	}
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	view_files_ops.destroy(state);
}

Test(view_files, hostile_paths_are_drawn_escaped)
{
	struct fixture f;
	char lines[12][1024];
	bool table = false, panel = false, title = false;

	setup(&f);
	file(&f, HOSTILE, fam_of("read"), 3);
	f.procs[f.s.nprocs++] = (struct snapshot_proc){ .pid = 7, .comm = str(&f, "x\x1b]0;t\a") };
	f.s.fds_pid = 7;
	f.fds[f.s.nfds++] = (struct snapshot_fd){ 3, f.files[0].path, false };
	draw_to_text(&f, lines, 12, 120);
	for (int l = 0; l < 12; l++) {
		for (const char *c = lines[l]; *c; c++)
			cr_assert((unsigned char)*c >= 0x20, "raw byte 0x%02x on line %d", *c, l);
		table |= strncmp(lines[l], ESCAPED, strlen(ESCAPED)) == 0;
		panel |= strstr(lines[l], "3 " ESCAPED) != NULL;
		title |= strstr(lines[l], "pid 7 x\\x1b]0;t\\x07 \u2014 descriptors") != NULL;
	}
	cr_assert(table, "the table row: %s", lines[2]);
	cr_assert(panel, "the descriptor panel");
	cr_assert(title, "the comm escaped");
	teardown(&f);
}

Test(view_files, hostile_directory_names_are_drawn_escaped)
{
	struct fixture f;
	char lines[12][1024];
	bool dir = false;

	setup(&f);
	file(&f, "/tmp/\x1b[2J/a", fam_of("read"), 1);
	file(&f, "/tmp/\x1b[2J/b", fam_of("read"), 1);
	file(&f, "/etc/x", fam_of("read"), 1);
	f.ctx.tree = true;
	draw_to_text(&f, lines, 12, 120);
	for (int l = 0; l < 12; l++) {
		for (const char *c = lines[l]; *c; c++)
			cr_assert((unsigned char)*c >= 0x20, "raw byte 0x%02x on line %d", *c, l);
		dir |= strstr(lines[l], "tmp/\\x1b[2J/") != NULL;
	}
	cr_assert(dir);
	teardown(&f);
}
