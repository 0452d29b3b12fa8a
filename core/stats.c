/* Statistics over records. */
#include "core/stats.h"

#include <stdlib.h>
#include <string.h>

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
	u32map_init(&s->files);
	u32map_init(&s->procs);
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
		u32map_put(&s->procs, pid, p);
	}
	return p;
}

void stats_add(struct stats *s, const struct ior_rec *rec)
{
	const struct syscall_info *info = syscall_by_nr(rec->nr);
	int byte_class = info ? info->byte_class : BYTES_NONE;
	struct stats_proc *p;

	if (rec->nr >= 0 && rec->nr < IOR_NR_MAX) {
		struct stats_syscall *sc = &s->sys[rec->nr];

		row_add(&sc->row, rec, byte_class);
		sc->hist.n[stats_bucket(rec->duration_ns)]++;
	}
	row_add(&s->total, rec, byte_class);
	if (rec->file) {
		struct stats_file *f = u32map_get(&s->files, rec->file);

		if (!f) {
			f = xcalloc(1, sizeof(*f));
			f->path = rec->file;
			u32map_put(&s->files, rec->file, f);
		}
		row_add(&f->row, rec, byte_class);
	}
	p = proc_get(s, rec->pid);
	p->comm = rec->comm;
	row_add(&p->row, rec, byte_class);
}

static void sink_event(void *ctx, const struct ior_rec *rec)
{
	stats_add(ctx, rec);
}

static void sink_proc(void *ctx, const struct ior_proc_ev *ev)
{
	struct stats *s = ctx;
	struct stats_proc *p;

	if (ev->kind != PROC_START)
		return;
	p = proc_get(s, ev->pid);
	p->ppid = ev->ppid;
	p->comm = ev->comm;
}

static void sink_lost(void *ctx, uint64_t total)
{
	struct stats *s = ctx;

	s->lost = total;
}

const struct sink_ops stats_sink_ops = {
	.event = sink_event,
	.proc = sink_proc,
	.lost = sink_lost,
};
