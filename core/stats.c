/* Statistics over records. */
#include "core/stats.h"

#include <stdlib.h>
#include <string.h>

#include "core/intern.h"
#include "core/syscalls.h"
#include "core/xalloc.h"

int stats_bucket(uint64_t v)
{
	int e;

	if (v < 16)
		return (int)v;
	e = 63 - __builtin_clzll(v); /* 4..63 */
	return 16 + (e - 4) * STATS_SUB + (int)((v >> (e - 4)) & (STATS_SUB - 1));
}

uint64_t stats_bucket_value(int bucket)
{
	int e, sub;
	uint64_t lo, width;

	if (bucket < 16)
		return (uint64_t)bucket;
	e = (bucket - 16) / STATS_SUB + 4;
	sub = (bucket - 16) % STATS_SUB;
	width = 1ull << (e - 4);
	lo = (1ull << e) + (uint64_t)sub * width;
	return lo + width / 2;
}

uint64_t stats_quantile(const struct stats_hist *h, uint64_t count, double q)
{
	uint64_t rank, seen = 0;

	if (!count)
		return 0;
	rank = (uint64_t)(q * (double)count);
	if (rank >= count)
		rank = count - 1;
	for (int b = 0; b < STATS_BUCKETS; b++) {
		seen += h->n[b];
		if (seen > rank)
			return stats_bucket_value(b);
	}
	return stats_bucket_value(STATS_BUCKETS - 1);
}

void stats_hist_merge(struct stats_hist *dst, const struct stats_hist *src)
{
	for (int b = 0; b < STATS_BUCKETS; b++)
		dst->n[b] += src->n[b];
}

void stats_row_merge(struct stats_row *dst, const struct stats_row *src)
{
	dst->calls += src->calls;
	dst->errors += src->errors;
	dst->interrupted += src->interrupted;
	for (int i = 0; i < 4; i++)
		dst->bytes[i] += src->bytes[i];
	dst->total_ns += src->total_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
}

void stats_init(struct stats *s)
{
	memset(s, 0, sizeof(*s));
	s->sys = xcalloc(IOR_NR_MAX, sizeof(*s->sys));
	s->files_max = STATS_FILES_MAX;
	s->procs_max = STATS_PROCS_MAX;
	u32map_init(&s->files);
	u32map_init(&s->procs);
	u64map_init(&s->file_pids, 0);
	u64map_init(&s->errors, sizeof(uint64_t));
}

static void free_values(struct u32map *m)
{
	size_t pos = 0;
	void *v;

	while ((v = u32map_next(m, &pos, NULL)))
		free(v);
	u32map_fini(m);
}

void stats_fini(struct stats *s)
{
	free_values(&s->files);
	free_values(&s->procs);
	u64map_fini(&s->file_pids);
	u64map_fini(&s->errors);
	free(s->sys);
	free(s->flames.v);
	free(s->flames.calls);
	free(s->flames.index);
}

static void row_add(struct stats_row *row, const struct ior_rec *rec, int byte_class)
{
	row->calls++;
	if (rec->rec_flags & REC_FAILED)
		row->errors++;
	if (rec->rec_flags & REC_INTERRUPTED)
		row->interrupted++;
	if (byte_class > 0 && byte_class < 4)
		row->bytes[byte_class] += (uint64_t)rec->bytes;
	row->total_ns += rec->duration_ns;
	if (rec->duration_ns > row->max_ns)
		row->max_ns = rec->duration_ns;
}

static struct stats_proc *proc_get(struct stats *s, uint32_t pid)
{
	struct stats_proc *p = u32map_get(&s->procs, pid);

	if (!p) {
		p = xcalloc(1, sizeof(*p));
		p->pid = pid;
		p->since = s->total.calls;
		u32map_put(&s->procs, pid, p);
	}
	return p;
}

static uint32_t flame_hash(ior_str comm, int nr, ior_str file)
{
	uint64_t h = ((uint64_t)comm << 32 | file) * 0x9e3779b97f4a7c15ull;

	h ^= (uint64_t)(uint32_t)nr * 0xc2b2ae3d27d4eb4full;
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

static void flames_reindex(struct stats_flames *fl)
{
	size_t mask;

	fl->index_cap = fl->index_cap ? fl->index_cap * 2 : 256;
	free(fl->index);
	fl->index = xcalloc(fl->index_cap, sizeof(*fl->index));
	mask = fl->index_cap - 1;
	for (size_t e = 0; e < fl->n; e++) {
		const struct stats_flame *f = &fl->v[e];
		size_t i = flame_hash(f->comm, f->nr, f->file) & mask;

		while (fl->index[i])
			i = (i + 1) & mask;
		fl->index[i] = (uint32_t)e + 1;
	}
}

/* The triple's index, added (zeroed) the first time it is seen. */
static size_t flame_get(struct stats_flames *fl, ior_str comm, int nr, ior_str file)
{
	size_t mask, i;
	struct stats_flame *f;

	if (!fl->index_cap)
		flames_reindex(fl);
	mask = fl->index_cap - 1;
	for (i = flame_hash(comm, nr, file) & mask; fl->index[i]; i = (i + 1) & mask) {
		f = &fl->v[fl->index[i] - 1];
		if (f->comm == comm && f->nr == nr && f->file == file)
			return fl->index[i] - 1;
	}
	if (fl->n == fl->cap) {
		fl->cap = fl->cap ? fl->cap * 2 : 256;
		fl->v = xrealloc(fl->v, fl->cap * sizeof(*fl->v));
		fl->calls = xrealloc(fl->calls, fl->cap * sizeof(*fl->calls));
	}
	fl->calls[fl->n] = 0;
	f = &fl->v[fl->n];
	*f = (struct stats_flame){ .comm = comm, .nr = nr, .file = file };
	fl->index[i] = (uint32_t)++fl->n;
	if (fl->n * 2 > fl->index_cap)
		flames_reindex(fl);
	return fl->n - 1;
}

size_t stats_flame(struct stats *s, ior_str comm, int nr, ior_str file)
{
	return flame_get(&s->flames, comm, nr, file);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[0..n) (the lower one of an even count; 0 for none);
 * sorts v. */
static uint64_t median_of(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n ? v[(n - 1) / 2] : 0;
}

/* Keep only the file-pid pairs keep() says yes to. */
static void keep_pairs(struct stats *s,
		       bool (*keep)(const struct stats *s, uint64_t key, const void *ctx),
		       const void *ctx)
{
	struct u64map pairs;
	size_t pos = 0;
	uint64_t key;

	u64map_init(&pairs, 0);
	while (u64map_next(&s->file_pids, &pos, &key))
		if (keep(s, key, ctx))
			u64map_put(&pairs, key, NULL);
	u64map_fini(&s->file_pids);
	s->file_pids = pairs;
}

static bool pair_of_a_file_kept(const struct stats *s, uint64_t key, const void *ctx)
{
	(void)ctx;
	return u32map_get(&s->files, (uint32_t)(key >> 32)) != NULL;
}

/* Fold the half of the files with the fewest calls (those at or below the
 * median) into STATS_FILE_OTHER, with their file-pid pairs and flame
 * triples. Deterministic: the same records give the same folds, so a
 * replay from a checkpoint folds as a replay from the start does. */
static void files_fold(struct stats *s)
{
	struct stats_file *f, *other = u32map_get(&s->files, STATS_FILE_OTHER);
	struct stats_flames old = s->flames;
	size_t pos = 0, n = 0, nfold = 0;
	uint64_t *calls = xmalloc(s->files.count * sizeof(*calls)), median;
	uint32_t path, *fold;

	while ((f = u32map_next(&s->files, &pos, NULL)))
		if (f->path != STATS_FILE_OTHER)
			calls[n++] = f->row.calls;
	median = median_of(calls, n);
	free(calls);
	if (!other) {
		other = xcalloc(1, sizeof(*other));
		other->path = STATS_FILE_OTHER;
		u32map_put(&s->files, STATS_FILE_OTHER, other);
	}
	fold = xmalloc(s->files.count * sizeof(*fold));
	for (pos = 0; (f = u32map_next(&s->files, &pos, &path));)
		if (path != STATS_FILE_OTHER && f->row.calls <= median)
			fold[nfold++] = path;
	for (size_t i = 0; i < nfold; i++) {
		f = u32map_take(&s->files, fold[i]);
		stats_row_merge(&other->row, &f->row);
		other->families |= f->families;
		other->nprocs += f->nprocs;
		other->opens += f->opens;
		free(f);
	}
	free(fold);
	s->files_folded += nfold;
	/* The pairs of the files kept, and of the other files. */
	keep_pairs(s, pair_of_a_file_kept, NULL);
	/* The triples again, in their order, those of folded files merged. */
	memset(&s->flames, 0, sizeof(s->flames));
	for (size_t i = 0; i < old.n; i++) {
		const struct stats_flame *t = &old.v[i];
		ior_str file =
			!t->file || u32map_get(&s->files, t->file) ? t->file : STATS_FILE_OTHER;
		size_t at = flame_get(&s->flames, t->comm, t->nr, file);
		struct stats_flame *d = &s->flames.v[at];

		s->flames.calls[at] += old.calls[i];
		d->bytes += t->bytes;
		d->total_ns += t->total_ns;
		d->errors += t->errors;
	}
	free(old.v);
	free(old.calls);
	free(old.index);
	for (int i = 0; i < STATS_MEMOS; i++) { /* files and triple indices moved */
		s->memo[i].f = NULL;
		s->memo[i].has_flame = false;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct pid_set {
	const uint32_t *pids; /* sorted */
	size_t n;
};

static bool pair_of_a_pid_kept(const struct stats *s, uint64_t key, const void *ctx)
{
	const struct pid_set *folded = ctx;
	uint32_t pid = (uint32_t)key;

	(void)s;
	return !bsearch(&pid, folded->pids, folded->n, sizeof(pid), cmp_u32);
}

/* Fold the exited processes with the fewest calls (those at or below the
 * median of the exited) into STATS_PROC_OTHER; running ones stay.
 * Deterministic like files_fold. The memos of the folded are emptied. */
static void procs_fold(struct stats *s)
{
	struct stats_proc *p, *other = u32map_get(&s->procs, STATS_PROC_OTHER);
	size_t pos = 0, n = 0, nfold = 0;
	uint64_t *calls = xmalloc((s->procs.count + 1) * sizeof(*calls)), median;
	uint32_t pid, *fold;

	while ((p = u32map_next(&s->procs, &pos, &pid)))
		if (pid != STATS_PROC_OTHER && p->exited)
			calls[n++] = p->row.calls;
	median = median_of(calls, n);
	free(calls);
	fold = xmalloc((n + 1) * sizeof(*fold));
	for (pos = 0; n && (p = u32map_next(&s->procs, &pos, &pid));)
		if (pid != STATS_PROC_OTHER && p->exited && p->row.calls <= median)
			fold[nfold++] = pid;
	if (nfold && !other) {
		other = xcalloc(1, sizeof(*other));
		other->pid = STATS_PROC_OTHER;
		other->exited = true;
		other->since = s->total.calls;
		u32map_put(&s->procs, STATS_PROC_OTHER, other);
	}
	for (size_t i = 0; i < nfold; i++) {
		p = u32map_take(&s->procs, fold[i]);
		stats_row_merge(&other->row, &p->row);
		other->families |= p->families;
		if (p->last_rec > other->last_rec)
			other->last_rec = p->last_rec;
		free(p);
	}
	if (nfold) {
		/* Their file-pid pairs go: a file's nprocs keeps them, and a hot
		 * file (the loader's cache, libc) named by every short process
		 * would otherwise hold a pair for each of them. */
		qsort(fold, nfold, sizeof(*fold), cmp_u32);
		keep_pairs(s, pair_of_a_pid_kept, &(struct pid_set){ fold, nfold });
	}
	free(fold);
	for (int i = 0; i < STATS_MEMOS; i++) /* those of the folded (no longer their pid's) */
		if (s->memo[i].p && u32map_get(&s->procs, s->memo[i].pid) != s->memo[i].p)
			memset(&s->memo[i], 0, sizeof(s->memo[i]));
	s->procs_folded += nfold;
	/* Too few had exited: try again once a quarter more have come. */
	s->procs_retry = 0;
	if (s->procs.count > s->procs_max)
		s->procs_retry = s->procs.count + s->procs.count / 4;
}

int stats_errno(const struct ior_rec *rec)
{
	return rec->ret < 0 && rec->ret >= -INT32_MAX ? (int)-rec->ret : 0;
}

void stats_memo_reset(struct stats *s)
{
	memset(s->memo, 0, sizeof(s->memo));
}

/* The memo of rec's thread, refilled (process looked up) when it held
 * another thread or process. */
static struct stats_memo *memo_get(struct stats *s, const struct ior_rec *rec)
{
	struct stats_memo *m = &s->memo[rec->tid & (STATS_MEMOS - 1)];

	if (!m->p || m->tid != rec->tid || m->pid != rec->pid) {
		*m = (struct stats_memo){ .tid = rec->tid, .pid = rec->pid };
		m->p = proc_get(s, rec->pid);
	}
	if (!m->has_info || m->info_nr != rec->nr) {
		m->info = syscall_by_nr(rec->nr);
		m->info_nr = rec->nr;
		m->has_info = true;
	}
	return m;
}

/* The record's file entry, added the first time it is seen; counts the
 * pid in nprocs the first time it names the file. */
static struct stats_file *file_get(struct stats *s, struct stats_memo *m, const struct ior_rec *rec)
{
	struct stats_file *f;
	bool added;

	if (m->f && m->file == rec->file)
		return m->f; /* (file, pid) was put when the memo was filled */
	f = u32map_get(&s->files, rec->file);
	if (!f) {
		if (s->files.count >= s->files_max)
			files_fold(s); /* forgets m's file and triple, keeps its process */
		f = xcalloc(1, sizeof(*f));
		f->path = rec->file;
		u32map_put(&s->files, rec->file, f);
	}
	u64map_put(&s->file_pids, (uint64_t)rec->file << 32 | rec->pid, &added);
	f->nprocs += added;
	m->f = f;
	m->file = rec->file;
	return f;
}

static size_t flame_memo_get(struct stats *s, struct stats_memo *m, const struct ior_rec *rec)
{
	if (!m->has_flame || m->flame_comm != rec->comm || m->flame_nr != rec->nr ||
	    m->flame_file != rec->file) {
		m->flame = (uint32_t)flame_get(&s->flames, rec->comm, rec->nr, rec->file);
		m->flame_comm = rec->comm;
		m->flame_nr = rec->nr;
		m->flame_file = rec->file;
		m->has_flame = true;
	}
	return m->flame;
}

void stats_add(struct stats *s, const struct ior_rec *rec)
{
	struct stats_memo *m = memo_get(s, rec);
	const struct syscall_info *info = m->info;
	int byte_class = info ? info->byte_class : BYTES_NONE;
	uint16_t family = STATS_FAMILY_BIT(info ? info->family : FAMILY_MISC);
	bool failed = rec->rec_flags & REC_FAILED;
	struct stats_flame *fl;
	struct stats_proc *p;
	size_t i;

	if (rec->nr >= 0 && rec->nr < IOR_NR_MAX) {
		struct stats_syscall *sc = &s->sys[rec->nr];

		row_add(&sc->row, rec, byte_class);
		sc->hist.n[stats_bucket(rec->duration_ns)]++;
		if (rec->gap_ns) {
			sc->gap.n[stats_bucket(rec->gap_ns)]++;
			sc->gap_calls++;
			sc->gap_total_ns += rec->gap_ns;
		}
	}
	row_add(&s->total, rec, byte_class);
	if (rec->file) {
		struct stats_file *f = file_get(s, m, rec);

		row_add(&f->row, rec, byte_class);
		f->families |= family;
		/* A restart code is not a descriptor either: ret >= 0. */
		if (info && (info->flags & SYSCALL_RET_FD) && !failed && rec->ret >= 0)
			f->opens++;
	}
	p = m->p;
	p->comm = rec->comm;
	p->last_rec = s->total.calls;
	p->families |= family;
	row_add(&p->row, rec, byte_class);
	i = flame_memo_get(s, m, rec);
	s->flames.calls[i]++;
	fl = &s->flames.v[i];
	if (byte_class > 0 && byte_class < 4)
		fl->bytes += (uint64_t)rec->bytes;
	fl->total_ns += rec->duration_ns;
	fl->errors += failed;
	if (failed)
		++*(uint64_t *)u64map_put(&s->errors, STATS_ERROR_KEY(rec->nr, stats_errno(rec)),
					  NULL);
	if (s->procs.count > s->procs_max && s->procs.count > s->procs_retry)
		procs_fold(s);
}

void stats_proc_event(struct stats *s, const struct ior_proc_ev *ev)
{
	struct stats_proc *p;

	if (ev->kind < PROC_START || ev->kind > PROC_EXIT)
		return; /* a corrupt session's */
	p = proc_get(s, ev->pid);
	switch (ev->kind) {
	case PROC_START:
		/* A pid seen again after its exit is a new process (pid reuse):
		 * its counts go on adding up, its state starts over. */
		p->ppid = ev->ppid;
		p->comm = ev->comm;
		p->exe = ev->exe;
		p->start_ns = ev->ts_ns;
		p->exited = false;
		p->exit_code = 0;
		p->exit_ns = 0;
		break;
	case PROC_EXEC:
		p->comm = ev->comm;
		if (ev->exe)
			p->exe = ev->exe;
		break;
	case PROC_COMM:
		/* Only the leader's rename is the process's (ps shows that one). */
		if (ev->tid == ev->pid)
			p->comm = ev->comm;
		break;
	case PROC_EXIT:
		p->exited = true;
		p->exit_code = ev->exit_code;
		p->exit_ns = ev->ts_ns;
		break;
	default:
		break;
	}
}

static void sink_event(void *ctx, const struct ior_rec *rec)
{
	stats_add(ctx, rec);
}

static void sink_proc(void *ctx, const struct ior_proc_ev *ev)
{
	stats_proc_event(ctx, ev);
}

static void sink_lost(void *ctx, uint64_t total)
{
	struct stats *s = ctx;

	s->lost = total;
}

/* The names a snapshot of these statistics shows: files, processes'
 * comms and executables, the flame graph's triples. */
static void sink_keep_strings(void *ctx, struct intern *in)
{
	struct stats *s = ctx;
	struct stats_proc *p;
	size_t pos = 0;
	uint32_t id;

	while (u32map_next(&s->files, &pos, &id))
		if (id != STATS_FILE_OTHER)
			intern_keep(in, id);
	for (pos = 0; (p = u32map_next(&s->procs, &pos, NULL));) {
		intern_keep(in, p->comm);
		intern_keep(in, p->exe);
	}
	for (size_t i = 0; i < s->flames.n; i++) {
		intern_keep(in, s->flames.v[i].comm);
		if (s->flames.v[i].file != STATS_FILE_OTHER)
			intern_keep(in, s->flames.v[i].file);
	}
}

const struct sink_ops stats_sink_ops = {
	.event = sink_event,
	.proc = sink_proc,
	.lost = sink_lost,
	.keep_strings = sink_keep_strings,
};
