/* Snapshots for the UI: built on the source thread, handed over through
 * three buffers (the source fills one while the UI reads another; the third
 * sits between them), so neither thread waits for the other. */
#include "core/snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "core/intern.h"
#include "core/xalloc.h"

/* How often the sink looks at the clock: every this many records. */
#define CLOCK_EVERY 1024

const char *snapshot_str(const struct snapshot *s, uint32_t off)
{
	return off && off < s->strings_len ? s->strings + off : NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Make room for need elements of size bytes in *p (capacity *cap). */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	*cap = n;
	return xrealloc(p, n * size);
}

/* Copy text into s once per build under key (a string id, or above them
 * a name of ior's own); its offset, 0 for none. */
static uint32_t put_text(struct snapshot_box *b, struct snapshot *s, uint64_t key, const char *text)
{
	uint32_t *off;
	bool added;
	size_t len;

	off = u64map_put(&b->dedup, key, &added);
	if (!added)
		return *off;
	len = strlen(text);
	if (s->strings_len + len + 1 > UINT32_MAX)
		return 0; /* *off stays 0: "none" from now on in this build */
	s->strings = grow(s->strings, &s->strings_cap, s->strings_len + len + 1, 1);
	memcpy(s->strings + s->strings_len, text, len + 1);
	*off = (uint32_t)s->strings_len;
	s->strings_len += len + 1;
	return *off;
}

/* Copy the string of id into s once per build; its offset, 0 for none. */
static uint32_t put_str(struct snapshot_box *b, struct snapshot *s, ior_str id)
{
	const char *text;

	if (id == STATS_FILE_OTHER)
		text = STATS_OTHER_FILES;
	else if (!id || !(text = u32map_get(&b->str, id)))
		return 0;
	return put_text(b, s, id, text);
}

static void fill_row(struct snapshot_row *out, const struct stats_row *row,
		     const struct stats_hist *hist)
{
	out->row = *row;
	out->p50_ns = stats_quantile(hist, row->calls, 0.5);
	out->p99_ns = stats_quantile(hist, row->calls, 0.99);
}

static uint64_t row_bytes(const struct stats_row *row)
{
	return row->bytes[1] + row->bytes[2] + row->bytes[3];
}

/* Is file a less busy than b (fewer bytes, then fewer calls)? */
static int less_busy(const struct stats_file *a, const struct stats_file *b)
{
	uint64_t ab = row_bytes(&a->row), bb = row_bytes(&b->row);

	return ab != bb ? ab < bb : a->row.calls < b->row.calls;
}

static int more_busy_cmp(const void *pa, const void *pb)
{
	const struct stats_file *a = *(const struct stats_file *const *)pa;
	const struct stats_file *b = *(const struct stats_file *const *)pb;

	return less_busy(b, a) ? -1 : less_busy(a, b) ? 1 : 0;
}

static int proc_cmp(const void *pa, const void *pb)
{
	const struct snapshot_proc *a = pa, *b = pb;

	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

/* Restore the min-heap (least busy on top) below i. */
static void sift_down(const struct stats_file **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct stats_file *t;

		if (l < n && less_busy(h[l], h[m]))
			m = l;
		if (r < n && less_busy(h[r], h[m]))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void sift_up(const struct stats_file **h, size_t i)
{
	while (i > 0 && less_busy(h[i], h[(i - 1) / 2])) {
		const struct stats_file *t = h[i];

		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

/* The files_max busiest files, busiest first: a min-heap over one pass, so
 * a session with many files costs n log(files_max), not a full sort. */
static void build_files(struct snapshot_box *b, struct snapshot *s)
{
	const struct stats_file **heap = xcalloc(b->files_max ? b->files_max : 1, sizeof(*heap));
	const struct stats_file *f;
	size_t pos = 0, n = 0;

	s->files_total = 0;
	s->files_folded = b->stats->files_folded;
	while ((f = u32map_next(&b->stats->files, &pos, NULL))) {
		s->files_total++;
		if (n < b->files_max) {
			heap[n] = f;
			sift_up(heap, n++);
		} else if (n && less_busy(heap[0], f)) {
			heap[0] = f;
			sift_down(heap, n, 0);
		}
	}
	qsort(heap, n, sizeof(*heap), more_busy_cmp);
	s->files = grow(s->files, &s->files_cap, n, sizeof(*s->files));
	for (size_t i = 0; i < n; i++) {
		struct snapshot_file *out = &s->files[i];

		out->path = put_str(b, s, heap[i]->path);
		out->families = heap[i]->families;
		out->nprocs = heap[i]->nprocs;
		out->opens = heap[i]->opens;
		out->row = heap[i]->row;
	}
	s->nfiles = n;
	free(heap);
}

/* The writer's stalls, when the source has them (live). */
static void build_stalls(struct snapshot_box *b, struct snapshot *s)
{
	/* acquire: pairs with the release in snapshot_box_set_stall_source,
	 * so stalls_ctx, written before it, is seen whole. */
	snapshot_stalls_fn fn = atomic_load_explicit(&b->stalls_fn, memory_order_acquire);

	s->writer_stalls = s->writer_stall_ns = 0;
	if (fn)
		fn(b->stalls_ctx, &s->writer_stalls, &s->writer_stall_ns);
}

static void build_syscalls(struct snapshot_box *b, struct snapshot *s)
{
	struct stats_hist *fam = xcalloc(FAMILY_COUNT + 1, sizeof(*fam));
	struct stats_hist *all = &fam[FAMILY_COUNT];
	struct stats_row rows[FAMILY_COUNT] = { 0 };
	size_t n = 0;

	s->gap_calls = s->gap_total_ns = 0;
	for (int nr = 0; nr < IOR_NR_MAX; nr++) {
		const struct stats_syscall *sc = &b->stats->sys[nr];
		const struct syscall_info *info;
		int f;

		if (!sc->row.calls)
			continue;
		info = syscall_by_nr(nr);
		f = info ? info->family : FAMILY_MISC;
		s->sys = grow(s->sys, &s->sys_cap, n + 1, sizeof(*s->sys));
		s->sys[n].nr = nr;
		fill_row(&s->sys[n].r, &sc->row, &sc->hist);
		s->sys[n].lat = sc->hist;
		s->sys[n].gap = sc->gap;
		s->sys[n].gap_calls = sc->gap_calls;
		s->sys[n++].gap_total_ns = sc->gap_total_ns;
		s->gap_calls += sc->gap_calls;
		s->gap_total_ns += sc->gap_total_ns;
		stats_row_merge(&rows[f], &sc->row);
		stats_hist_merge(&fam[f], &sc->hist);
		stats_hist_merge(all, &sc->hist);
	}
	s->nsys = n;
	for (int f = 0; f < FAMILY_COUNT; f++)
		fill_row(&s->family[f], &rows[f], &fam[f]);
	fill_row(&s->total, &b->stats->total, all);
	free(fam);
}

static void build_procs(struct snapshot_box *b, struct snapshot *s)
{
	const struct stats_proc *p;
	size_t pos = 0, n = 0;

	s->procs_folded = b->stats->procs_folded;
	while ((p = u32map_next(&b->stats->procs, &pos, NULL))) {
		struct snapshot_proc *out;

		s->procs = grow(s->procs, &s->procs_cap, n + 1, sizeof(*s->procs));
		out = &s->procs[n++];
		out->pid = p->pid;
		out->ppid = p->ppid;
		out->comm =
			p->pid == STATS_PROC_OTHER
				? put_text(b, s, 1ull << 32, STATS_OTHER_PROCS) /* no string id */
				: put_str(b, s, p->comm);
		out->exe = put_str(b, s, p->exe);
		out->families = p->families;
		out->exited = p->exited;
		out->exit_code = p->exit_code;
		out->start_ns = p->start_ns;
		out->exit_ns = p->exit_ns;
		out->row = p->row;
	}
	if (n > 1) /* s->procs is still NULL when no process was ever seen */
		qsort(s->procs, n, sizeof(*s->procs), proc_cmp);
	s->nprocs = n;
}

/* Is triple a lighter than b (fewer calls; of equal ones, the later seen)? */
static int lighter(const uint64_t *calls, uint32_t a, uint32_t b)
{
	return calls[a] != calls[b] ? calls[a] < calls[b] : a > b;
}

static void flame_sift_down(const uint64_t *calls, uint32_t *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		uint32_t t;

		if (l < n && lighter(calls, h[l], h[m]))
			m = l;
		if (r < n && lighter(calls, h[r], h[m]))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* The flame_max heaviest triples by calls, in no particular order (the UI
 * groups and orders them by its own metric): all of them in first-seen
 * order when they fit; else a min-heap of indices over one pass of the
 * calls array, n log flame_max at worst. */
static void build_flame(struct snapshot_box *b, struct snapshot *s)
{
	const struct stats_flames *fl = &b->stats->flames;
	const uint64_t *calls = fl->calls;
	size_t k = fl->n < b->flame_max ? fl->n : b->flame_max;
	uint32_t *heap = xcalloc(k ? k : 1, sizeof(*heap));

	for (size_t i = 0; i < k; i++)
		heap[i] = (uint32_t)i;
	if (k && k < fl->n) {
		for (size_t i = k / 2; i-- > 0;)
			flame_sift_down(calls, heap, k, i);
		for (size_t i = k; i < fl->n; i++) {
			/* the common case, one load and compare: lighter than
			 * the lightest kept (a tie goes to the one seen first) */
			if (calls[i] > calls[heap[0]]) {
				heap[0] = (uint32_t)i;
				flame_sift_down(calls, heap, k, 0);
			}
		}
	}
	s->flame = grow(s->flame, &s->flame_cap, k, sizeof(*s->flame));
	for (size_t i = 0; i < k; i++) {
		const struct stats_flame *f = &fl->v[heap[i]];

		s->flame[i] = (struct snapshot_flame){
			.comm = put_str(b, s, f->comm),
			.file = put_str(b, s, f->file),
			.nr = f->nr,
			.calls = calls[heap[i]],
			.bytes = f->bytes,
			.total_ns = f->total_ns,
			.errors = f->errors,
		};
	}
	s->nflame = k;
	s->flame_total = fl->n;
	free(heap);
}

static int error_cmp(const void *pa, const void *pb)
{
	const struct snapshot_error *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->nr != b->nr)
		return a->nr < b->nr ? -1 : 1;
	return a->err < b->err ? -1 : a->err > b->err;
}

/* The errors_max commonest (syscall, errno) pairs. They are few (hundreds
 * at most: syscalls that fail times the errnos they fail with): a sort. */
static void build_errors(struct snapshot_box *b, struct snapshot *s)
{
	const struct u64map *m = &b->stats->errors;
	size_t pos = 0, n = 0;
	const uint64_t *count;
	uint64_t key;

	s->errors = grow(s->errors, &s->errors_cap, m->count, sizeof(*s->errors));
	while ((count = u64map_next(m, &pos, &key)))
		s->errors[n++] = (struct snapshot_error){
			.nr = STATS_ERROR_NR(key),
			.err = STATS_ERROR_ERR(key),
			.count = *count,
		};
	if (n > 1)
		qsort(s->errors, n, sizeof(*s->errors), error_cmp);
	s->errors_total = n;
	s->nerrors = n < b->errors_max ? n : b->errors_max;
}

struct fd_ctx {
	struct snapshot_box *b;
	struct snapshot *s;
};

static void add_fd(void *ctx, int fd, ior_str path, bool cloexec)
{
	struct fd_ctx *c = ctx;
	struct snapshot *s = c->s;

	s->fds = grow(s->fds, &s->fds_cap, s->nfds + 1, sizeof(*s->fds));
	s->fds[s->nfds++] = (struct snapshot_fd){
		.fd = fd,
		.path = put_str(c->b, s, path),
		.cloexec = cloexec,
	};
}

static void build_fds(struct snapshot_box *b, struct snapshot *s)
{
	/* relaxed: the pid is the whole message; nothing else is published
	 * with it, and a request seen one build late costs nothing. */
	uint32_t pid = atomic_load_explicit(&b->want_fds, memory_order_relaxed);
	/* acquire: pairs with the release in snapshot_box_set_fd_lister, so
	 * fd_lister_ctx, written before it, is seen whole. */
	snapshot_fd_lister_fn lister = atomic_load_explicit(&b->fd_lister, memory_order_acquire);
	struct fd_ctx c = { b, s };

	s->nfds = 0;
	s->fds_pid = pid && lister ? pid : 0;
	if (s->fds_pid)
		lister(b->fd_lister_ctx, pid, add_fd, &c);
}

static void build_recent(struct snapshot_box *b, struct snapshot *s)
{
	size_t n = b->stream ? stream_len(b->stream) : 0;

	if (n > b->recent_max)
		n = b->recent_max;
	s->recent = grow(s->recent, &s->recent_cap, n, sizeof(*s->recent));
	for (size_t i = 0; i < n; i++) {
		const struct ior_rec *r = stream_newest(b->stream, i);
		struct snapshot_event *e = &s->recent[i];

		e->rec = *r;
		e->comm = put_str(b, s, r->comm);
		e->file = put_str(b, s, r->file);
		e->old_file = put_str(b, s, r->old_file);
		e->arg_path = put_str(b, s, r->arg_path);
		e->flags = put_str(b, s, r->flags);
		e->addr = put_str(b, s, r->addr);
	}
	s->nrecent = n;
}

static void build(struct snapshot_box *b, struct snapshot *s)
{
	u64map_clear(&b->dedup);
	s->strings = grow(s->strings, &s->strings_cap, 1, 1);
	s->strings[0] = '\0';
	s->strings_len = 1;
	s->built_ns = now_ns();
	s->events = b->events;
	s->cursor_ns = b->cursor_ns;
	s->cursor_id = b->cursor_id;
	s->span_start_ns = b->span_start_ns;
	s->span_end_ns = b->span_end_ns;
	s->span_events = b->span_events;
	s->speed = b->speed;
	s->paused = b->paused;
	s->at_end = b->at_end;
	s->lost = b->lost;
	build_stalls(b, s);
	build_syscalls(b, s);
	build_files(b, s);
	build_procs(b, s);
	build_flame(b, s);
	build_errors(b, s);
	build_fds(b, s);
	build_recent(b, s);
}

void snapshot_box_publish(struct snapshot_box *b)
{
	struct snapshot *s = &b->buf[b->back];
	uint64_t one = 1;
	unsigned old;

	build(b, s);
	s->seq = ++b->published;
	b->last_ns = s->built_ns;
	/* release: the UI's exchange that takes this buffer sees all of it;
	 * acquire: the buffer we get back was given up by the UI's exchange,
	 * after its last read of it, so our next build cannot race that read. */
	old = atomic_exchange_explicit(&b->middle, b->back | SNAPSHOT_FRESH, memory_order_acq_rel);
	b->back = old & ~SNAPSHOT_FRESH;
	/* Fails (EAGAIN) only when the counter is full: the UI is behind, and
	 * it takes the newest snapshot anyway, so the result does not matter. */
	ssize_t unused = write(b->efd, &one, sizeof(one));

	(void)unused;
}

const struct snapshot *snapshot_box_acquire(struct snapshot_box *b)
{
	/* relaxed: only whether to look; the exchange orders the reads. */
	if (atomic_load_explicit(&b->middle, memory_order_relaxed) & SNAPSHOT_FRESH) {
		/* acq_rel: acquire the source's writes to the buffer we take,
		 * release our reads of the one we give back. */
		unsigned old = atomic_exchange_explicit(&b->middle, b->front, memory_order_acq_rel);

		b->front = old & ~SNAPSHOT_FRESH;
	}
	return b->buf[b->front].seq ? &b->buf[b->front] : NULL;
}

void snapshot_box_set_stall_source(struct snapshot_box *b, snapshot_stalls_fn fn, void *ctx)
{
	b->stalls_ctx = ctx;
	/* release: as in snapshot_box_set_fd_lister (see build_stalls). */
	atomic_store_explicit(&b->stalls_fn, fn, memory_order_release);
}

void snapshot_box_set_fd_lister(struct snapshot_box *b, snapshot_fd_lister_fn fn, void *ctx)
{
	b->fd_lister_ctx = ctx;
	/* release: the source thread that sees fn sees ctx (see build_fds). */
	atomic_store_explicit(&b->fd_lister, fn, memory_order_release);
}

void snapshot_box_want_fds(struct snapshot_box *b, uint32_t pid)
{
	/* relaxed: see build_fds; the snapshot that answers comes back through
	 * the buffer exchange, which orders everything in it. */
	atomic_store_explicit(&b->want_fds, pid, memory_order_relaxed);
}

int snapshot_box_fd(const struct snapshot_box *b)
{
	return b->efd;
}

int snapshot_box_init(struct snapshot_box *b, const struct stats *stats,
		      const struct stream *stream, uint64_t period_ns, size_t files_max,
		      size_t recent_max, struct ior_err *err)
{
	memset(b, 0, sizeof(*b));
	b->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (b->efd < 0)
		return ior_err_set(err, -errno, "snapshot: eventfd: %s", strerror(errno));
	atomic_init(&b->middle, 0);
	b->front = 1;
	b->back = 2;
	b->stats = stats;
	b->stream = stream;
	b->period_ns = period_ns;
	b->files_max = files_max;
	b->recent_max = recent_max;
	b->flame_max = SNAPSHOT_FLAME_MAX;
	b->errors_max = SNAPSHOT_ERRORS_MAX;
	atomic_init(&b->want_fds, 0);
	atomic_init(&b->fd_lister, NULL);
	atomic_init(&b->stalls_fn, NULL);
	u64map_init(&b->dedup, sizeof(uint32_t));
	u32map_init(&b->str);
	return 0;
}

void snapshot_box_fini(struct snapshot_box *b)
{
	for (int i = 0; i < 3; i++) {
		struct snapshot *s = &b->buf[i];

		free(s->sys);
		free(s->files);
		free(s->procs);
		free(s->flame);
		free(s->errors);
		free(s->fds);
		free(s->recent);
		free(s->strings);
	}
	u32map_fini(&b->str);
	u64map_fini(&b->dedup);
	if (b->efd >= 0)
		close(b->efd);
	b->efd = -1;
}

static void maybe_publish(struct snapshot_box *b)
{
	if (now_ns() - b->last_ns >= b->period_ns)
		snapshot_box_publish(b);
}

static void sink_string(void *ctx, ior_str id, const char *s, size_t len)
{
	struct snapshot_box *b = ctx;

	(void)len; /* the source's strings are NUL-terminated */
	u32map_put(&b->str, id, (void *)s);
}

/* The source's table was swept: the texts kept moved, the rest are gone. */
static void sink_strings_moved(void *ctx, const struct intern *in)
{
	struct snapshot_box *b = ctx;
	struct u32map kept;
	size_t pos = 0;
	uint32_t id;

	u32map_init(&kept);
	while (u32map_next(&b->str, &pos, &id)) {
		const char *s = intern_str(in, id, NULL);

		if (s)
			u32map_put(&kept, id, (void *)s);
	}
	u32map_fini(&b->str);
	b->str = kept;
}

static void sink_event(void *ctx, const struct ior_rec *rec)
{
	struct snapshot_box *b = ctx;

	(void)rec; /* the stats and stream sinks before this one took it */
	if (++b->events % CLOCK_EVERY == 0)
		maybe_publish(b);
}

static void sink_lost(void *ctx, uint64_t total)
{
	((struct snapshot_box *)ctx)->lost = total;
}

static void sink_flush(void *ctx)
{
	maybe_publish(ctx);
}

const struct sink_ops snapshot_sink_ops = {
	.string = sink_string,
	.event = sink_event,
	.lost = sink_lost,
	.flush = sink_flush,
	.strings_moved = sink_strings_moved,
};
