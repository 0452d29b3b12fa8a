/* Screen 4, Files: per path opens, calls, reads and writes, bytes, errors,
 * latency and how many processes; F5 turns it into a directory tree whose
 * directories sum their files; below, the descriptor table of the process
 * drilled into. */
#include "tui/view_files.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/syscalls.h"
#include "core/xalloc.h"
#include "tui/fmt.h"
#include "tui/text.h"
#include "tui/theme.h"
#include "tui/view_util.h"

#define PATH_MIN_COLS 28 /* the path column keeps at least this many */

static const struct table_col cols[VIEW_FILES_COLS] = {
	[VIEW_FILES_PATH] = { "PATH", 0, false, 0, TEXT_CUT_MIDDLE, true },
	[VIEW_FILES_OPENS] = { "OPENS", 6, true, 4, TEXT_CUT_END, false },
	[VIEW_FILES_CALLS] = { "CALLS", 9, true, 0, TEXT_CUT_END, false },
	[VIEW_FILES_READS] = { "READS", 7, true, 9, TEXT_CUT_END, false },
	[VIEW_FILES_WRITES] = { "WRITES", 7, true, 8, TEXT_CUT_END, false },
	[VIEW_FILES_READ_B] = { "READ B", 8, true, 0, TEXT_CUT_END, false },
	[VIEW_FILES_WRITTEN_B] = { "WRITTEN B", 10, true, 0, TEXT_CUT_END, false },
	[VIEW_FILES_XFER_B] = { "XFER B", 8, true, 5, TEXT_CUT_END, false },
	[VIEW_FILES_ERR] = { "ERR", 6, true, 0, TEXT_CUT_END, false },
	[VIEW_FILES_MEAN] = { "MEAN", 6, true, 3, TEXT_CUT_END, false },
	[VIEW_FILES_MAX] = { "MAX", 6, true, 6, TEXT_CUT_END, false },
	[VIEW_FILES_PROCS] = { "PROCS", 6, true, 7, TEXT_CUT_END, false },
};

/* A file's numbers: the whole file's statistics row (exact), or the sums of
 * the flame triples that pass the filter. */
struct agg {
	uint32_t path;	   /* snapshot string offset */
	uint16_t families; /* the file's (listed) or its triples' families */
	bool exact;	   /* the whole row: max and procs are known */
	bool listed;	   /* in snapshot->files */
	bool passes;	   /* filter_file said yes */
	uint32_t nprocs;
	uint64_t opens, calls, reads, writes, errors, total_ns, max_ns;
	uint64_t bytes[4]; /* by enum ior_byte_class */
};

/* What part of the calls the filter asks for, beyond the path. */
struct subset {
	bool by_syscall;     /* a syscall drill or a syscall name as the query */
	bool none;	     /* contradictory (two comms, an unknown pid): nothing */
	uint16_t families;   /* allowed families */
	const char *comm;    /* only this comm's calls; NULL: any */
	struct filter paths; /* ctx->filter for filter_file (a pid query taken out) */
	char what[512];	     /* "comm make, openat" for the title, raw */
};

void view_files_init(struct view_files *v)
{
	memset(v, 0, sizeof(*v));
	memcpy(v->cols, cols, sizeof(cols));
	table_init(&v->t, v->cols, VIEW_FILES_COLS, VIEW_FILES_CALLS, true);
	u64map_init(&v->toggled, sizeof(bool));
}

void view_files_fini(struct view_files *v)
{
	table_fini(&v->t);
	u64map_fini(&v->toggled);
}

/* FNV-1a: a directory's identity in the fold set (a collision only swaps a
 * fold). */
static uint64_t hash_id(const char *id)
{
	uint64_t h = 1469598103934665603ull;

	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

static bool is_open(const struct view_files *v, const char *id, int depth)
{
	const bool *flipped = u64map_get(&v->toggled, hash_id(id));
	bool open = depth < 2; /* the top two levels open at first */

	return flipped && *flipped ? !open : open;
}

static int depth_of(const struct view_files *v, const char *id)
{
	for (size_t i = 0; i < v->t.nrows; i++)
		if (!strcmp(v->t.rows[i].id, id))
			return v->t.rows[i].depth;
	return 0;
}

void view_files_set_open(struct view_files *v, const char *id, bool open)
{
	bool *flipped;

	if (is_open(v, id, depth_of(v, id)) == open)
		return;
	flipped = u64map_put(&v->toggled, hash_id(id), NULL);
	*flipped = !*flipped;
}

static const struct snapshot_proc *proc_of(const struct snapshot *s, uint32_t pid)
{
	size_t lo = 0, hi = s->nprocs;

	while (lo < hi) { /* procs are by pid */
		size_t mid = lo + (hi - lo) / 2;

		if (s->procs[mid].pid == pid)
			return &s->procs[mid];
		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* One more part of the subset's description ("comm make, openat"). */
static void what_add(struct subset *sub, const char *prefix, const char *text)
{
	size_t len = strlen(sub->what);

	snprintf(sub->what + len, sizeof(sub->what) - len, "%s%s%s", len ? ", " : "", prefix, text);
}

static void subset_comm(struct subset *sub, const char *comm)
{
	if (!comm || (sub->comm && strcmp(sub->comm, comm)))
		sub->none = true;
	else
		sub->comm = comm;
}

/* A pid's calls, as far as the triples know them: its comm's. */
static void subset_pid(struct subset *sub, const struct snapshot *s, uint32_t pid)
{
	const struct snapshot_proc *p = proc_of(s, pid);
	const char *comm = p ? snapshot_str(s, p->comm) : NULL;

	char text[320];

	if (comm)
		snprintf(text, sizeof(text), "comm %s (pid %u's)", comm, pid);
	else
		snprintf(text, sizeof(text), "pid %u (not in the process list)", pid);
	what_add(sub, "", text);
	subset_comm(sub, comm);
}

static bool parse_pid(const char *q, long *pid)
{
	char *end;

	if (!*q)
		return false;
	*pid = strtol(q, &end, 10);
	return !*end && *pid > 0;
}

static void subset_init(struct subset *sub, const struct view_ctx *ctx)
{
	const struct filter *f = ctx->filter;
	char name[32];
	long pid;

	memset(sub, 0, sizeof(*sub));
	sub->paths = *f;
	sub->families = f->families;
	if (f->families != FILTER_ALL_FAMILIES)
		for (int i = 0; i < FAMILY_COUNT; i++)
			if (f->families & (1u << i))
				what_add(sub, "", family_name(i));
	for (int i = 0; i < f->depth; i++) {
		const struct drill *d = &f->stack[i];

		switch (d->kind) {
		case DRILL_FAMILY:
			sub->families &= (uint16_t)(1u << d->value);
			what_add(sub, "", family_name(d->value));
			break;
		case DRILL_SYSCALL:
			sub->by_syscall = true;
			what_add(sub, "", syscall_name(d->value, name, sizeof(name)));
			break;
		case DRILL_COMM:
			what_add(sub, "comm ", d->text);
			subset_comm(sub, d->text);
			break;
		case DRILL_PID:
			subset_pid(sub, ctx->snap, (uint32_t)d->value);
			break;
		case DRILL_FILE:
		case DRILL_ERRNO:
			break;
		}
	}
	if (syscall_by_name(f->query)) {
		sub->by_syscall = true;
		what_add(sub, "", f->query);
	} else if (parse_pid(f->query, &pid)) {
		/* filter_file would match no path against a number: a pid. */
		sub->paths.query[0] = '\0';
		subset_pid(sub, ctx->snap, (uint32_t)pid);
	}
}

/* Does the subset hold every call of a file of these families? */
static bool subset_covers(const struct subset *sub, uint16_t families)
{
	return !sub->none && !sub->comm && !sub->by_syscall && !(families & ~sub->families);
}

static bool subset_triple(const struct subset *sub, const struct view_ctx *ctx,
			  const struct snapshot_flame *fl)
{
	const char *comm = snapshot_str(ctx->snap, fl->comm);

	if (sub->none || !filter_syscall(ctx->filter, fl->nr))
		return false;
	return !sub->comm || (comm && !strcmp(comm, sub->comm));
}

struct aggs {
	struct agg *v;
	size_t n, cap;
	struct u64map by_path; /* string offset -> index + 1 */
};

static struct agg *aggs_get(struct aggs *a, uint32_t path, bool add)
{
	size_t *slot = add ? u64map_put(&a->by_path, path, NULL) : u64map_get(&a->by_path, path);

	if (!slot)
		return NULL;
	if (!*slot) {
		if (a->n == a->cap) {
			a->cap = a->cap ? a->cap * 2 : 256;
			a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
		}
		memset(&a->v[a->n], 0, sizeof(a->v[0]));
		a->v[a->n].path = path;
		*slot = ++a->n;
	}
	return &a->v[*slot - 1];
}

static void agg_add_triple(struct agg *a, const struct snapshot_flame *fl)
{
	const struct syscall_info *info = syscall_by_nr(fl->nr);
	int cls = info ? info->byte_class : BYTES_NONE;

	a->calls += fl->calls;
	a->errors += fl->errors;
	a->total_ns += fl->total_ns;
	a->bytes[cls] += fl->bytes; /* a triple's bytes are of its syscall's class */
	if (info && (info->flags & SYSCALL_RET_FD))
		a->opens += fl->calls - fl->errors;
	if (info)
		a->families |= STATS_FAMILY_BIT(info->family);
}

static void agg_add_counts(struct agg *a, const struct snapshot_flame *fl)
{
	const struct syscall_info *info = syscall_by_nr(fl->nr);

	if (info && info->byte_class == BYTES_READ)
		a->reads += fl->calls;
	else if (info && info->byte_class == BYTES_WRITE)
		a->writes += fl->calls;
}

/* The files and their numbers under ctx's filter, into a->v (passes set). */
static void aggs_collect(struct aggs *a, const struct view_ctx *ctx, const struct subset *sub)
{
	const struct snapshot *s = ctx->snap;

	for (size_t i = 0; i < s->nfiles; i++) {
		const struct snapshot_file *file = &s->files[i];
		struct agg *g = aggs_get(a, file->path, true);

		g->listed = true;
		g->families = file->families;
		g->nprocs = file->nprocs;
		g->passes = filter_file(&sub->paths, snapshot_str(s, file->path), file->families);
		g->exact = subset_covers(sub, file->families);
		if (!g->exact)
			continue;
		g->opens = file->opens;
		g->calls = file->row.calls;
		g->errors = file->row.errors;
		g->total_ns = file->row.total_ns;
		g->max_ns = file->row.max_ns;
		memcpy(g->bytes, file->row.bytes, sizeof(g->bytes));
	}
	for (size_t i = 0; i < s->nflame; i++) {
		const struct snapshot_flame *fl = &s->flame[i];
		struct agg *g;

		if (!fl->file)
			continue;
		g = aggs_get(a, fl->file, false);
		if (g && g->exact) {
			agg_add_counts(g, fl);
			continue;
		}
		if (!subset_triple(sub, ctx, fl))
			continue;
		/* A file past the busiest listed ones: only a subset shows it. */
		if (!g && subset_covers(sub, FILTER_ALL_FAMILIES))
			continue;
		g = g ? g : aggs_get(a, fl->file, true);
		agg_add_triple(g, fl);
		agg_add_counts(g, fl);
	}
	for (size_t i = 0; i < a->n; i++) {
		struct agg *g = &a->v[i];

		if (!g->listed)
			g->passes = filter_file(&sub->paths, snapshot_str(s, g->path), g->families);
		if (!g->exact && !g->calls)
			g->passes = false; /* the subset never named it */
	}
}

static void count_cell(struct table *t, size_t row, int col, uint64_t n)
{
	char buf[FMT_BUF];
	const char *text = fmt_count(buf, sizeof(buf), n);

	if ((int)strlen(text) > cols[col].width)
		text = fmt_si(buf, sizeof(buf), n);
	table_set(t, row, col, text, (double)n);
	if (!n)
		t->rows[row].cell_role[col] = THEME_DIM;
}

static void bytes_cell(struct table *t, size_t row, int col, uint64_t n)
{
	char buf[FMT_BUF];

	table_set(t, row, col, n ? fmt_bytes(buf, sizeof(buf), n) : "-", (double)n);
	if (!n)
		t->rows[row].cell_role[col] = THEME_DIM;
}

/* Unknown for this row: a dim "-" that sorts below every number. */
static void unknown_cell(struct table *t, size_t row, int col)
{
	table_set(t, row, col, "-", -1);
	t->rows[row].cell_role[col] = THEME_DIM;
}

static void agg_cells(struct table *t, size_t row, const struct agg *g, bool dir)
{
	char buf[FMT_BUF];
	uint64_t mean = g->calls ? g->total_ns / g->calls : 0;

	count_cell(t, row, VIEW_FILES_OPENS, g->opens);
	count_cell(t, row, VIEW_FILES_CALLS, g->calls);
	count_cell(t, row, VIEW_FILES_READS, g->reads);
	count_cell(t, row, VIEW_FILES_WRITES, g->writes);
	bytes_cell(t, row, VIEW_FILES_READ_B, g->bytes[BYTES_READ]);
	bytes_cell(t, row, VIEW_FILES_WRITTEN_B, g->bytes[BYTES_WRITE]);
	bytes_cell(t, row, VIEW_FILES_XFER_B, g->bytes[BYTES_TRANSFER]);
	count_cell(t, row, VIEW_FILES_ERR, g->errors);
	if (g->errors)
		t->rows[row].cell_role[VIEW_FILES_ERR] = THEME_ERROR;
	table_set(t, row, VIEW_FILES_MEAN, fmt_duration(buf, sizeof(buf), mean), (double)mean);
	if (g->exact || (dir && g->max_ns))
		table_set(t, row, VIEW_FILES_MAX, fmt_duration(buf, sizeof(buf), g->max_ns),
			  (double)g->max_ns);
	else
		unknown_cell(t, row, VIEW_FILES_MAX);
	/* Distinct pids do not add up over a directory. */
	if (g->exact && !dir)
		count_cell(t, row, VIEW_FILES_PROCS, g->nprocs);
	else
		unknown_cell(t, row, VIEW_FILES_PROCS);
}

static void set_drill(struct table *t, size_t row, const char *path, int screen)
{
	struct table_row *r = table_row(t, row);

	if (strlen(path) >= sizeof(r->drill.text))
		return; /* too long to drill by: the row stays, Enter does nothing */
	r->has_drill = true;
	r->drill = (struct drill){ .kind = DRILL_FILE, .screen = screen };
	strcpy(r->drill.text, path);
}

static void build_flat(struct view_files *v, const struct view_ctx *ctx, const struct aggs *a)
{
	char id[1024];

	for (size_t i = 0; i < a->n; i++) {
		const struct agg *g = &a->v[i];
		const char *path = snapshot_str(ctx->snap, g->path);
		size_t row;

		if (!g->passes)
			continue;
		/* The tree's id for the same file: the selection survives F5. */
		snprintf(id, sizeof(id), "f:%s", path);
		row = table_add(&v->t, id, -1);
		table_set(&v->t, row, VIEW_FILES_PATH, path, 0);
		agg_cells(&v->t, row, g, false);
		set_drill(&v->t, row, path, ctx->screen);
	}
}

/* The directory tree: a node per directory prefix ("/usr/lib/") and per
 * file, parents before children. */
struct node {
	char *prefix;	  /* a directory's path up to its '/', owned; NULL: a file */
	const char *path; /* a file's path (the snapshot's) */
	int parent;	  /* node index, -1 at the top */
	int children;	  /* direct children */
	int depth;	  /* after merging */
	bool merged;	  /* folded into its only child directory */
	struct agg sum;	  /* a file's numbers, a directory's roll-up */
	bool all_exact;	  /* a directory: every file under it is exact */
};

struct tree {
	struct node *v;
	size_t n, cap;
};

static int tree_add(struct tree *tr, char *prefix, const char *path, int parent)
{
	struct node *nd;

	if (tr->n == tr->cap) {
		tr->cap = tr->cap ? tr->cap * 2 : 256;
		tr->v = xrealloc(tr->v, tr->cap * sizeof(*tr->v));
	}
	nd = &tr->v[tr->n];
	memset(nd, 0, sizeof(*nd));
	nd->prefix = prefix;
	nd->path = path;
	nd->parent = parent;
	nd->all_exact = true;
	if (parent >= 0)
		tr->v[parent].children++;
	return (int)tr->n++;
}

struct path_ref {
	const char *path;
	const struct agg *agg;
};

static int path_ref_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct path_ref *)pa)->path, ((const struct path_ref *)pb)->path);
}

/* Sorted paths make every directory's files one run: a stack of the open
 * directories follows them. */
static void tree_fill(struct tree *tr, const struct path_ref *refs, size_t n)
{
	int *stack = xcalloc(1, sizeof(int));
	size_t depth = 0, stack_cap = 1;

	for (size_t i = 0; i < n; i++) {
		const char *p = refs[i].path;
		size_t len = strlen(p), from;
		int leaf;

		while (depth && strncmp(p, tr->v[stack[depth - 1]].prefix,
					strlen(tr->v[stack[depth - 1]].prefix)))
			depth--;
		from = depth ? strlen(tr->v[stack[depth - 1]].prefix) : 0;
		for (size_t k = from; k + 1 < len; k++) {
			if (p[k] != '/')
				continue;
			if (depth == stack_cap) {
				stack_cap *= 2;
				stack = xrealloc(stack, stack_cap * sizeof(*stack));
			}
			stack[depth] = tree_add(tr, xstrndup(p, k + 1), NULL,
						depth ? stack[depth - 1] : -1);
			depth++;
		}
		leaf = tree_add(tr, NULL, p, depth ? stack[depth - 1] : -1);
		tr->v[leaf].sum = *refs[i].agg;
	}
	free(stack);
	/* Roll up: children come after their parents. */
	for (size_t i = tr->n; i-- > 0;) {
		struct node *nd = &tr->v[i], *up;

		if (nd->parent < 0)
			continue;
		up = &tr->v[nd->parent];
		up->sum.opens += nd->sum.opens;
		up->sum.calls += nd->sum.calls;
		up->sum.reads += nd->sum.reads;
		up->sum.writes += nd->sum.writes;
		up->sum.errors += nd->sum.errors;
		up->sum.total_ns += nd->sum.total_ns;
		for (int c = 0; c < 4; c++)
			up->sum.bytes[c] += nd->sum.bytes[c];
		if (nd->sum.max_ns > up->sum.max_ns)
			up->sum.max_ns = nd->sum.max_ns;
		up->all_exact &= nd->prefix ? nd->all_exact : nd->sum.exact;
	}
	/* "/" holding only "usr/" holding only "lib/" shows as "/usr/lib/". */
	for (size_t i = 0; i < tr->n; i++) {
		struct node *nd = &tr->v[i];

		while (nd->prefix && nd->parent >= 0 && tr->v[nd->parent].children == 1) {
			tr->v[nd->parent].merged = true;
			nd->parent = tr->v[nd->parent].parent;
		}
		nd->depth = nd->parent >= 0 ? tr->v[nd->parent].depth + 1 : 0;
	}
}

static void build_tree(struct view_files *v, const struct view_ctx *ctx, const struct aggs *a)
{
	struct path_ref *refs = xcalloc(a->n ? a->n : 1, sizeof(*refs));
	struct tree tr = { 0 };
	int *row_of;
	size_t n = 0;
	char *id = NULL;
	size_t id_cap = 0;

	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].passes)
			refs[n++] = (struct path_ref){ snapshot_str(ctx->snap, a->v[i].path),
						       &a->v[i] };
	qsort(refs, n, sizeof(*refs), path_ref_cmp);
	tree_fill(&tr, refs, n);
	row_of = xcalloc(tr.n ? tr.n : 1, sizeof(*row_of));
	for (size_t i = 0; i < tr.n; i++) {
		struct node *nd = &tr.v[i];
		const char *full = nd->prefix ? nd->prefix : nd->path;
		size_t from = nd->parent >= 0 ? strlen(tr.v[nd->parent].prefix) : 0;
		size_t need = strlen(full) + 3;
		int parent = nd->parent >= 0 ? row_of[nd->parent] : -1;
		size_t row;

		if (nd->merged)
			continue;
		if (need > id_cap) {
			id_cap = need * 2;
			id = xrealloc(id, id_cap);
		}
		snprintf(id, id_cap, "%c:%s", nd->prefix ? 'd' : 'f', full);
		row = table_add(&v->t, id, parent);
		row_of[i] = (int)row;
		table_set(&v->t, row, VIEW_FILES_PATH, full + from, 0);
		if (nd->prefix) {
			nd->sum.exact = nd->all_exact;
			v->t.rows[row].folded = !is_open(v, id, nd->depth);
			v->t.rows[row].role = THEME_ACCENT;
		}
		agg_cells(&v->t, row, &nd->sum, nd->prefix != NULL);
		set_drill(&v->t, row, full, ctx->screen);
	}
	for (size_t i = 0; i < tr.n; i++)
		free(tr.v[i].prefix);
	free(tr.v);
	free(row_of);
	free(refs);
	free(id);
}

static void set_title(struct view_files *v, const struct view_ctx *ctx, const struct subset *sub,
		      size_t shown)
{
	const struct snapshot *s = ctx->snap;
	char n1[FMT_BUF], n2[FMT_BUF], n3[FMT_BUF];
	size_t len;

	if (sub->what[0])
		snprintf(v->title, sizeof(v->title), "%s file%s of %s%s",
			 fmt_count(n1, sizeof(n1), shown), shown == 1 ? "" : "s", sub->what,
			 v->subset ? " \u00b7 via the flame triples" : "");
	else
		snprintf(v->title, sizeof(v->title), "%s file%s", fmt_count(n1, sizeof(n1), shown),
			 shown == 1 ? "" : "s");
	len = strlen(v->title);
	if (s->nfiles < s->files_total)
		snprintf(v->title + len, sizeof(v->title) - len,
			 " \u00b7 the %s busiest of %s listed",
			 fmt_count(n2, sizeof(n2), s->nfiles),
			 fmt_count(n3, sizeof(n3), s->files_total));
	len = strlen(v->title);
	if (s->files_folded)
		snprintf(v->title + len, sizeof(v->title) - len,
			 " \u00b7 %s rarely used folded into %s",
			 fmt_count(n2, sizeof(n2), s->files_folded), STATS_OTHER_FILES);
	len = strlen(v->title);
	snprintf(v->title + len, sizeof(v->title) - len, " \u00b7 %s",
		 ctx->tree ? "directory tree (F5: flat)" : "flat (F5: directory tree)");
	len = strlen(v->title);
	if (s->nflame < s->flame_total)
		snprintf(v->title + len, sizeof(v->title) - len,
			 " \u00b7 reads/writes%s from the heaviest %s of %s triples",
			 v->subset ? " and subsets" : "", fmt_count(n2, sizeof(n2), s->nflame),
			 fmt_count(n3, sizeof(n3), s->flame_total));
}

void view_files_build(struct view_files *v, const struct view_ctx *ctx)
{
	struct subset sub;
	struct aggs a = { 0 };
	size_t shown = 0;

	table_clear(&v->t);
	v->title[0] = '\0';
	v->transfer = v->subset = false;
	if (!ctx->snap)
		return;
	u64map_init(&a.by_path, sizeof(size_t));
	subset_init(&sub, ctx);
	aggs_collect(&a, ctx, &sub);
	for (size_t i = 0; i < a.n; i++) {
		if (!a.v[i].passes)
			continue;
		shown++;
		v->transfer |= a.v[i].bytes[BYTES_TRANSFER] > 0;
		v->subset |= !a.v[i].exact;
	}
	if (ctx->tree)
		build_tree(v, ctx, &a);
	else
		build_flat(v, ctx, &a);
	set_title(v, ctx, &sub, shown);
	table_sort(&v->t);
	u64map_fini(&a.by_path);
	free(a.v);
}

/* Hide the transfer column when nothing moved TRANSFER bytes, and drop
 * columns (highest drop first) until the path keeps PATH_MIN_COLS: the
 * table's own dropping would leave a path 12 columns wide. */
static void fit_columns(struct view_files *v, int w)
{
	int total = 0;

	memcpy(v->cols, cols, sizeof(cols));
	if (!v->transfer)
		v->cols[VIEW_FILES_XFER_B].width = 0;
	for (int c = 1; c < VIEW_FILES_COLS; c++)
		total += v->cols[c].width + 1;
	while (w - total < PATH_MIN_COLS) {
		int worst = -1;

		for (int c = 1; c < VIEW_FILES_COLS; c++)
			if (v->cols[c].width && v->cols[c].drop &&
			    (worst < 0 || v->cols[c].drop > v->cols[worst].drop))
				worst = c;
		if (worst < 0)
			break;
		total -= v->cols[worst].width;
		v->cols[worst].width = 0;
	}
	for (int c = 1; c < VIEW_FILES_COLS; c++)
		if (!v->cols[c].width)
			v->cols[c].drop = 0;
}

static bool col_shown(const struct view_files *v, int c)
{
	return c == VIEW_FILES_PATH || v->cols[c].width > 0;
}

/* ---- the descriptor panel ---------------------------------------------- */

static void seg_add(struct view_files_fds *p, int line, int col, int role, const char *text)
{
	if (p->nseg == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->seg = xrealloc(p->seg, p->cap * sizeof(*p->seg));
	}
	p->seg[p->nseg++] = (struct view_files_fds_seg){ line, col, role, xstrdup(text) };
}

void view_files_fds_fini(struct view_files_fds *p)
{
	for (size_t i = 0; i < p->nseg; i++)
		free(p->seg[i].text);
	free(p->seg);
	memset(p, 0, sizeof(*p));
}

/* What kind of descriptor a path names, when the path does not say. */
static const char *fd_type(const char *path)
{
	if (!path)
		return "unknown";
	if (!strncmp(path, "/dev/pts/", 9) || !strncmp(path, "/dev/tty", 8) ||
	    !strcmp(path, "/dev/console"))
		return "tty";
	if (!strncmp(path, "/dev/", 5))
		return "device";
	return NULL; /* a file, or socket:[…] pipe:[…] anon_inode:… that say it */
}

struct fd_entry {
	char num[16], path[1024], tags[48];
	int wnum, wpath, wtags, width;
};

static void fd_entry(struct fd_entry *e, const struct snapshot *s, const struct snapshot_fd *fd,
		     int path_cols)
{
	const char *path = snapshot_str(s, fd->path);
	const char *type = fd_type(path);

	snprintf(e->num, sizeof(e->num), "%d", fd->fd);
	e->wnum = (int)strlen(e->num);
	e->wpath = path ? text_fit(e->path, sizeof(e->path), path, path_cols, TEXT_CUT_MIDDLE) : 0;
	snprintf(e->tags, sizeof(e->tags), "%s%s%s%s%s", type ? "(" : "", type ? type : "",
		 type ? ")" : "", type && fd->cloexec ? " " : "", fd->cloexec ? "(cloexec)" : "");
	e->wtags = (int)strlen(e->tags);
	e->width = e->wnum + (e->wpath ? 1 + e->wpath : 0) + (e->wtags ? 1 + e->wtags : 0);
}

static void fd_place(struct view_files_fds *p, const struct fd_entry *e, int line, int col)
{
	seg_add(p, line, col, THEME_ACCENT, e->num);
	col += e->wnum + 1;
	if (e->wpath) {
		seg_add(p, line, col, THEME_NORMAL, e->path);
		col += e->wpath + 1;
	}
	if (e->wtags)
		seg_add(p, line, col, THEME_DIM, e->tags);
}

#define FD_GAP	  3 /* columns between two descriptors */
#define FD_INDENT 2

void view_files_fds_layout(struct view_files_fds *p, const struct snapshot *s, int w, int max_lines)
{
	const struct snapshot_proc *proc;
	char title[640], comm[256], more[48];
	int line = 1, col = FD_INDENT;
	/* A path takes at most half a wide line, so that more descriptors fit,
	 * and leaves room for its number and marks on a narrow one. */
	int path_cols = w >= 100 ? w / 2 : w - FD_INDENT - 34;

	view_files_fds_fini(p);
	if (!s || !s->fds_pid || max_lines < 1 || w < 20)
		return;
	proc = proc_of(s, s->fds_pid);
	text_fit(comm, sizeof(comm), proc ? snapshot_str(s, proc->comm) : "?", 32, TEXT_CUT_END);
	snprintf(title, sizeof(title), "pid %u %s \u2014 %s", s->fds_pid, comm,
		 s->nfds ? "descriptors" : "no open descriptors known");
	seg_add(p, 0, 0, THEME_ACCENT, title);
	p->lines = 1;
	if (path_cols < 8)
		path_cols = 8;
	for (size_t i = 0; i < s->nfds && max_lines > 1; i++) {
		struct fd_entry e;

		fd_entry(&e, s, &s->fds[i], path_cols);
		for (;;) {
			bool last_line = line == max_lines - 1;
			/* The last line keeps room for "+N more" after this one. */
			int reserve = last_line && i + 1 < s->nfds
					      ? FD_GAP + snprintf(more, sizeof(more), "+%zu more",
								  s->nfds - i - 1)
					      : 0;

			if (col + e.width + reserve <= w || (col == FD_INDENT && !last_line)) {
				fd_place(p, &e, line, col);
				col += e.width + FD_GAP;
				p->lines = line + 1;
				break;
			}
			if (!last_line) {
				line++;
				col = FD_INDENT;
				continue;
			}
			snprintf(more, sizeof(more), "+%zu more", s->nfds - i);
			seg_add(p, line, col, THEME_DIM, more);
			p->lines = line + 1;
			return;
		}
	}
}

void view_files_fds_draw(const struct view_files_fds *p, int y, int x)
{
	for (size_t i = 0; i < p->nseg; i++) {
		attrset(theme_attr(p->seg[i].role));
		mvaddstr(y + p->seg[i].line, x + p->seg[i].col, p->seg[i].text);
	}
	attrset(theme_attr(THEME_NORMAL));
}

int view_files_fds_budget(int h)
{
	int lines = h / 5;

	if (h < 12)
		return 2;
	return lines < 3 ? 3 : lines > 6 ? 6 : lines;
}

/* ---- the screen -------------------------------------------------------- */

struct state {
	struct view_files v;
	struct view_files_fds fds;
};

static void *create(void)
{
	struct state *st = xcalloc(1, sizeof(*st));

	view_files_init(&st->v);
	return st;
}

static void destroy(void *state)
{
	struct state *st = state;

	if (!st)
		return;
	view_files_fini(&st->v);
	view_files_fds_fini(&st->fds);
	free(st);
}

static void build(void *state, const struct view_ctx *ctx)
{
	view_files_build(&((struct state *)state)->v, ctx);
}

static void draw(void *state, const struct view_ctx *ctx, int y, int x, int h, int w)
{
	struct state *st = state;
	char buf[2048];
	int table_h;

	if (!ctx->snap) {
		view_draw_message(y, x, h, w, "no data yet");
		return;
	}
	view_files_fds_layout(&st->fds, ctx->snap, w, view_files_fds_budget(h));
	attrset(theme_attr(THEME_DIM));
	mvhline(y, x, ' ', w);
	text_fit(buf, sizeof(buf), st->v.title, w - 1, TEXT_CUT_END);
	mvaddstr(y, x + 1, buf);
	attrset(theme_attr(THEME_NORMAL));
	st->v.table_line = 1;
	table_h = h - 1 - st->fds.lines;
	fit_columns(&st->v, w);
	if (!st->v.t.nrows) {
		table_draw(&st->v.t, y + 1, x, 1, w, ctx->search);
		view_draw_message(y + 2, x, table_h - 1, w,
				  filter_active(ctx->filter) ? "no file passes the filter"
							     : "no file named yet");
	} else {
		table_draw(&st->v.t, y + 1, x, table_h, w, ctx->search);
	}
	view_files_fds_draw(&st->fds, y + 1 + table_h, x);
}

/* Right unfolds (or steps into), Left folds (or steps out to the parent). */
static enum view_result fold_key(struct view_files *v, const struct view_ctx *ctx, bool right)
{
	const struct table_row *r = table_selected(&v->t);

	if (!ctx->tree || !r)
		return VIEW_HANDLED;
	if (right && r->has_children && r->folded) {
		view_files_set_open(v, r->id, true);
	} else if (right && r->has_children) {
		table_move(&v->t, 1);
		return VIEW_HANDLED;
	} else if (!right && r->has_children && !r->folded) {
		view_files_set_open(v, r->id, false);
	} else if (!right && r->parent >= 0) {
		table_move(&v->t, (long)r->parent - (long)v->t.sel);
		return VIEW_HANDLED;
	} else {
		return VIEW_HANDLED;
	}
	view_files_build(v, ctx);
	return VIEW_HANDLED;
}

static enum view_result action(void *state, const struct view_ctx *ctx, enum action a,
			       struct drill *push)
{
	struct state *st = state;

	(void)push;
	switch (a) {
	case ACT_LEFT:
	case ACT_RIGHT:
		return fold_key(&st->v, ctx, a == ACT_RIGHT);
	case ACT_SORT_NEXT_F6:
	case ACT_SORT_PREV:
		/* Skip the columns this width hides. */
		do
			table_sort_cycle(&st->v.t, a == ACT_SORT_PREV ? -1 : 1);
		while (!col_shown(&st->v, st->v.t.sort_col));
		view_files_build(&st->v, ctx);
		return VIEW_HANDLED;
	default:
		return VIEW_UNHANDLED;
	}
}

static enum view_result click(void *state, const struct view_ctx *ctx, int line, int col,
			      bool double_click, struct drill *push)
{
	struct state *st = state;
	struct view_files *v = &st->v;
	const struct table_row *r;
	int marker;

	if (line < v->table_line || line > v->table_line + v->t.height)
		return VIEW_HANDLED; /* the title, the descriptors */
	if (line == v->table_line) {
		table_sort_by(&v->t, table_col_at(&v->t, COLS, col));
		view_files_build(v, ctx);
		return VIEW_HANDLED;
	}
	if (!table_click(&v->t, line - v->table_line - 1))
		return VIEW_HANDLED;
	r = table_selected(&v->t);
	marker = 2 * r->depth;
	if (r->has_children && col >= marker && col < marker + 2) {
		view_files_set_open(v, r->id, r->folded);
		view_files_build(v, ctx);
		return VIEW_HANDLED;
	}
	if (double_click && r->has_drill) {
		*push = r->drill;
		return VIEW_PUSH;
	}
	return VIEW_HANDLED;
}

static struct table *table(void *state)
{
	return &((struct state *)state)->v.t;
}

const struct view_ops view_files_ops = {
	.name = "Files",
	.title = "Files",
	.create = create,
	.destroy = destroy,
	.build = build,
	.draw = draw,
	.action = action,
	.table = table,
	.click = click,
};
