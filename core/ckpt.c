/* Checkpoint blobs: the statistics' tables as varints (non-empty histogram
 * buckets only), deflated. Layout: "IORK", the
 * format, the inflated size, then the deflated body:
 *   total row; syscalls (nr, row, gap sums, latency and gap buckets);
 *   files; file-pid pairs; errors; flame triples in first-seen order;
 *   processes (pid, comm, families, last record, row); files folded.
 * Format 2 keeps every process (format 1: those with calls), each with the
 * record count when its row was made (after its last record), and ends
 * with the processes folded and the count for the next fold's retry. */
#include "core/ckpt.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/xalloc.h"

#define MAGIC	 "IORK"
#define HEAD	 16	      /* magic, format, inflated size */
#define BODY_MAX (1ull << 32) /* a larger inflated size is corrupt */

struct out {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct out *o, const void *v, size_t n)
{
	if (o->len + n > o->cap) {
		o->cap = (o->len + n) * 2;
		o->p = xrealloc(o->p, o->cap);
	}
	memcpy(o->p + o->len, v, n);
	o->len += n;
}

/* Numbers as LEB128 varints: most counts and ids are small, and a row of
 * zeros takes a byte a field. */
static void put64(struct out *o, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	put(o, b, n);
}

static void put32(struct out *o, uint32_t v)
{
	put64(o, v);
}

static void put_row(struct out *o, const struct stats_row *r)
{
	put64(o, r->calls);
	put64(o, r->errors);
	put64(o, r->interrupted);
	for (int i = 0; i < 4; i++)
		put64(o, r->bytes[i]);
	put64(o, r->total_ns);
	put64(o, r->max_ns);
}

static void put_hist(struct out *o, const struct stats_hist *h)
{
	uint32_t n = 0;

	for (int b = 0; b < STATS_BUCKETS; b++)
		n += h->n[b] != 0;
	put32(o, n);
	for (uint32_t b = 0; b < STATS_BUCKETS; b++)
		if (h->n[b]) {
			put32(o, b);
			put32(o, h->n[b]);
		}
}

static void put_body(struct out *o, const struct stats *s, uint32_t format)
{
	uint32_t n = 0;
	size_t pos = 0;
	uint64_t key;
	const struct stats_file *f;
	const struct stats_proc *p;
	const uint64_t *count;
	ior_str last_file = 0;

	put_row(o, &s->total);
	for (int nr = 0; nr < IOR_NR_MAX; nr++)
		n += s->sys[nr].row.calls != 0;
	put32(o, n);
	for (uint32_t nr = 0; nr < IOR_NR_MAX; nr++) {
		const struct stats_syscall *sc = &s->sys[nr];

		if (!sc->row.calls)
			continue;
		put32(o, nr);
		put_row(o, &sc->row);
		put64(o, sc->gap_calls);
		put64(o, sc->gap_total_ns);
		put_hist(o, &sc->hist);
		put_hist(o, &sc->gap);
	}
	put32(o, (uint32_t)s->files.count);
	while ((f = u32map_next(&s->files, &pos, NULL))) {
		put32(o, f->path);
		put32(o, f->families);
		put32(o, f->nprocs);
		put64(o, f->opens);
		put_row(o, &f->row);
	}
	put64(o, s->file_pids.count);
	pos = 0;
	while (u64map_next(&s->file_pids, &pos, &key))
		put64(o, key);
	put32(o, (uint32_t)s->errors.count);
	pos = 0;
	while ((count = u64map_next(&s->errors, &pos, &key))) {
		put64(o, key);
		put64(o, *count);
	}
	put32(o, (uint32_t)s->flames.n);
	for (size_t i = 0; i < s->flames.n; i++) {
		const struct stats_flame *fl = &s->flames.v[i];
		int64_t step = (int64_t)fl->file - (int64_t)last_file;

		/* Triples come in first-seen order, as files do: the file as a
		 * step from the previous triple's is a byte or two. */
		put32(o, fl->comm);
		put64(o, step < 0 ? (uint64_t)(-step) * 2 - 1 : (uint64_t)step * 2);
		last_file = fl->file;
		put32(o, (uint32_t)fl->nr);
		put64(o, s->flames.calls[i]);
		put64(o, fl->bytes);
		put64(o, fl->total_ns);
		put64(o, fl->errors);
	}
	/* Format 2: every process, those without calls too, as the fold of
	 * processes counts them (a loader applies the process events of those
	 * held again, from their since on). */
	n = 0;
	pos = 0;
	while ((p = u32map_next(&s->procs, &pos, NULL)))
		n += format >= 2 || p->row.calls;
	put32(o, n);
	pos = 0;
	while ((p = u32map_next(&s->procs, &pos, NULL))) {
		if (format < 2 && !p->row.calls)
			continue;
		put32(o, p->pid);
		put32(o, p->comm);
		put32(o, p->families);
		put64(o, p->last_rec);
		if (format >= 2)
			put64(o, p->since);
		put_row(o, &p->row);
	}
	put64(o, s->files_folded);
	if (format >= 2) {
		put64(o, s->procs_folded);
		put64(o, s->procs_retry);
	}
}

void *ckpt_save(const struct stats *s, size_t *len)
{
	return ckpt_save_format(s, CKPT_FORMAT, len);
}

void *ckpt_save_format(const struct stats *s, uint32_t format, size_t *len)
{
	struct out body = { 0 };
	unsigned char *blob;
	uLongf zlen;
	uint64_t raw;

	put_body(&body, s, format);
	raw = body.len;
	zlen = compressBound(body.len);
	blob = xmalloc(HEAD + zlen);
	memcpy(blob, MAGIC, 4);
	memcpy(blob + 4, &format, 4);
	memcpy(blob + 8, &raw, 8);
	if (compress2(blob + HEAD, &zlen, body.p, body.len, 1) != Z_OK)
		abort(); /* only on a short buffer or no memory: compressBound rules out the first */
	free(body.p);
	*len = HEAD + zlen;
	return blob;
}

struct in {
	const unsigned char *p, *end;
	bool bad;
};

static void get(struct in *in, void *v, size_t n)
{
	if ((size_t)(in->end - in->p) < n) {
		in->bad = true;
		memset(v, 0, n);
		return;
	}
	memcpy(v, in->p, n);
	in->p += n;
}

static uint64_t get64(struct in *in)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		unsigned char b;

		get(in, &b, 1);
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	in->bad = true; /* more than 10 bytes */
	return 0;
}

static uint32_t get32(struct in *in)
{
	uint64_t v = get64(in);

	if (v > UINT32_MAX)
		in->bad = true;
	return (uint32_t)v;
}

static void get_row(struct in *in, struct stats_row *r)
{
	r->calls = get64(in);
	r->errors = get64(in);
	r->interrupted = get64(in);
	for (int i = 0; i < 4; i++)
		r->bytes[i] = get64(in);
	r->total_ns = get64(in);
	r->max_ns = get64(in);
}

static void get_hist(struct in *in, struct stats_hist *h)
{
	uint32_t n = get32(in);

	for (uint32_t i = 0; i < n && !in->bad; i++) {
		uint32_t b = get32(in), v = get32(in);

		if (b >= STATS_BUCKETS)
			in->bad = true;
		else
			h->n[b] = v;
	}
}

/* A count of entries of at least min bytes each that the rest can hold. */
static uint64_t get_count(struct in *in, uint64_t n, size_t min)
{
	if (n > (uint64_t)(in->end - in->p) / min)
		in->bad = true;
	return in->bad ? 0 : n;
}

static void get_body(struct in *in, struct stats *s, uint32_t format)
{
	ior_str last_file = 0;
	uint64_t n;

	get_row(in, &s->total);
	n = get_count(in, get32(in), 1);
	for (uint64_t i = 0; i < n && !in->bad; i++) {
		uint32_t nr = get32(in);
		struct stats_syscall *sc;

		if (nr >= IOR_NR_MAX) {
			in->bad = true;
			break;
		}
		sc = &s->sys[nr];
		get_row(in, &sc->row);
		sc->gap_calls = get64(in);
		sc->gap_total_ns = get64(in);
		get_hist(in, &sc->hist);
		get_hist(in, &sc->gap);
	}
	n = get_count(in, get32(in), 14);
	for (uint64_t i = 0; i < n && !in->bad; i++) {
		struct stats_file *f = xcalloc(1, sizeof(*f));

		f->path = get32(in);
		f->families = (uint16_t)get32(in);
		f->nprocs = get32(in);
		f->opens = get64(in);
		get_row(in, &f->row);
		if (!f->path || u32map_get(&s->files, f->path)) {
			free(f);
			in->bad = true;
			break;
		}
		u32map_put(&s->files, f->path, f);
	}
	n = get_count(in, get64(in), 1);
	for (uint64_t i = 0; i < n && !in->bad; i++)
		u64map_put(&s->file_pids, get64(in), NULL);
	n = get_count(in, get32(in), 2);
	for (uint64_t i = 0; i < n && !in->bad; i++) {
		uint64_t key = get64(in);

		*(uint64_t *)u64map_put(&s->errors, key, NULL) = get64(in);
	}
	n = get_count(in, get32(in), 7);
	for (uint64_t i = 0; i < n && !in->bad; i++) {
		ior_str comm = get32(in);
		uint64_t step = get64(in);
		int64_t file = (int64_t)last_file +
			       (step & 1 ? -(int64_t)((step + 1) / 2) : (int64_t)(step / 2));
		int nr = (int)get32(in);
		size_t at;
		struct stats_flame *fl;

		if (file < 0 || file > UINT32_MAX) {
			in->bad = true;
			break;
		}
		last_file = (ior_str)file;
		at = stats_flame(s, comm, nr, last_file);
		fl = &s->flames.v[at];
		if (at != i) {
			in->bad = true; /* a triple twice */
			break;
		}
		s->flames.calls[at] = get64(in);
		fl->bytes = get64(in);
		fl->total_ns = get64(in);
		fl->errors = get64(in);
	}
	n = get_count(in, get32(in), format >= 2 ? 14 : 13);
	for (uint64_t i = 0; i < n && !in->bad; i++) {
		struct stats_proc *p = xcalloc(1, sizeof(*p));

		p->pid = get32(in);
		p->comm = get32(in);
		p->families = (uint16_t)get32(in);
		p->last_rec = get64(in);
		if (format >= 2)
			p->since = get64(in);
		get_row(in, &p->row);
		p->exited = p->pid == STATS_PROC_OTHER; /* no process event is about it */
		if (u32map_get(&s->procs, p->pid)) {
			free(p);
			in->bad = true;
			break;
		}
		u32map_put(&s->procs, p->pid, p);
	}
	s->files_folded = get64(in);
	if (format >= 2) {
		s->procs_folded = get64(in);
		s->procs_retry = (size_t)get64(in);
	}
	if (in->p != in->end)
		in->bad = true;
}

uint32_t ckpt_format(const void *blob, size_t len)
{
	uint32_t format;

	if (len < HEAD || memcmp(blob, MAGIC, 4))
		return 0;
	memcpy(&format, (const unsigned char *)blob + 4, 4);
	return format;
}

int ckpt_load(struct stats *s, const void *blob, size_t len, struct ior_err *err)
{
	const unsigned char *b = blob;
	uint32_t format;
	uint64_t raw;
	uLongf got;
	unsigned char *body;
	struct in in;

	if (len < HEAD || memcmp(b, MAGIC, 4))
		return ior_err_set(err, -EINVAL, "checkpoint: not a checkpoint");
	memcpy(&format, b + 4, 4);
	memcpy(&raw, b + 8, 8);
	if (format < 1 || format > CKPT_FORMAT)
		return ior_err_set(err, -EINVAL, "checkpoint: format %u, not 1 to %d", format,
				   CKPT_FORMAT);
	/* deflate shrinks 1,032 to 1 at best: a larger claim is a lie that
	 * would only cost memory (a hostile session's). */
	if (raw > BODY_MAX || raw > (uint64_t)(len - HEAD) * 1032 + 64)
		return ior_err_set(err, -EINVAL, "checkpoint: corrupt size");
	body = xmalloc(raw ? raw : 1);
	got = raw;
	if (uncompress(body, &got, b + HEAD, len - HEAD) != Z_OK || got != raw) {
		free(body);
		return ior_err_set(err, -EINVAL, "checkpoint: corrupt data");
	}
	in = (struct in){ .p = body, .end = body + raw };
	get_body(&in, s, format);
	free(body);
	if (in.bad) {
		size_t files_max = s->files_max, procs_max = s->procs_max;

		stats_fini(s);
		stats_init(s);
		s->files_max = files_max;
		s->procs_max = procs_max;
		return ior_err_set(err, -EINVAL, "checkpoint: corrupt tables");
	}
	return 0;
}
