/* `ior report`: a session replayed into the stats sink, printed as text:
 * per-family syscall tables (as strace -c, with percentiles), top files,
 * errors, processes, lost events. */
#include "core/report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/decode.h"
#include "core/escape.h"
#include "core/intern.h"
#include "core/replay.h"
#include "core/session.h"
#include "core/stats.h"
#include "core/syscalls.h"
#include "core/xalloc.h"

#define TOP_FILES 15

/* Errors by (syscall, errno): a small sink beside stats. */
struct errors {
	struct u32map counts; /* nr << 12 | errno -> (void *)count */
};

static void errors_event(void *ctx, const struct ior_rec *rec)
{
	struct errors *e = ctx;
	uint32_t key;

	if (!(rec->rec_flags & REC_FAILED) || rec->nr < 0)
		return;
	key = (uint32_t)rec->nr << 12 | (uint32_t)(-rec->ret & 0xfff);
	u32map_put(&e->counts, key, (void *)((uintptr_t)u32map_get(&e->counts, key) + 1));
}

static const struct sink_ops errors_ops = { .event = errors_event };

static const char *str(const struct intern *in, ior_str id, char *buf, size_t size)
{
	size_t len;
	const char *s = id ? intern_str(in, id, &len) : NULL;

	if (!s)
		return "-";
	return escape_bytes(s, len, buf, size);
}

static double us(uint64_t ns)
{
	return (double)ns / 1000.0;
}

/* Text from the session for the terminal: as it is when printable (a
 * command line is stored shell-quoted), else escaped, so that no escape
 * sequence of a hostile name or an older session reaches the terminal. */
static const char *safe(const char *s, char *buf, size_t size)
{
	if (escape_is_plain(s, strlen(s)))
		return s;
	return escape_bytes(s, strlen(s), buf, size);
}

static void print_header(FILE *out, const char *path, const struct session_info *info)
{
	char a[64], b[64], buf[4200];
	time_t start = (time_t)(info->start_ns / 1000000000ull);
	time_t end = (time_t)(info->last_ns / 1000000000ull);
	struct tm tm;

	strftime(a, sizeof(a), "%Y-%m-%d %H:%M:%S", localtime_r(&start, &tm));
	strftime(b, sizeof(b), "%H:%M:%S", localtime_r(&end, &tm));
	fprintf(out, "Session  %s (schema %d, recorded by ior %s)\n", safe(path, buf, sizeof(buf)),
		info->schema_version, safe(info->ior_version, buf, sizeof(buf)));
	fprintf(out, "Target   %s\n", safe(info->target, buf, sizeof(buf)));
	fprintf(out, "Command  %s\n", safe(info->cmdline, buf, sizeof(buf)));
	fprintf(out, "Kernel   %s", safe(info->kernel, buf, sizeof(buf)));
	fprintf(out, " %s", safe(info->arch, buf, sizeof(buf)));
	fprintf(out, " on %s\n", safe(info->host, buf, sizeof(buf)));
	fprintf(out, "Time     %s .. %s (%.3f s)%s\n", a, b,
		info->last_ns > info->start_ns ? (double)(info->last_ns - info->start_ns) / 1e9 : 0,
		info->end_ns ? ""
			     : "\n         CUT SHORT: the recording never finished (ior was "
			       "killed or is still recording); it ends at the last event kept");
	fprintf(out, "Events   %llu recorded, %llu LOST%s\n",
		(unsigned long long)info->events_recorded, (unsigned long long)info->events_lost,
		info->events_lost ? "  <-- the kernel could not deliver these" : "");
	if (info->writer_stalls)
		fprintf(out,
			"Stalls   the recorder waited %llu times (%.3f s in all) for the "
			"session writer\n",
			(unsigned long long)info->writer_stalls,
			(double)info->writer_stall_ns / 1e9);
	fputc('\n', out);
}

static int cmp_nr_time(const void *a, const void *b, void *ctx)
{
	const struct stats *s = ctx;
	uint64_t ta = s->sys[*(const int *)a].row.total_ns,
		 tb = s->sys[*(const int *)b].row.total_ns;

	return ta < tb ? 1 : ta > tb ? -1 : 0;
}

/* A bucket's midpoint can pass the true maximum: never show more. */
static double pct_us(const struct stats_hist *hist, const struct stats_row *row, double q)
{
	uint64_t v = stats_quantile(hist, row->calls, q);

	return us(v < row->max_ns ? v : row->max_ns);
}

static void print_row(FILE *out, const char *name, const struct stats_row *row,
		      const struct stats_hist *hist, uint64_t all_ns)
{
	fprintf(out, "  %-22s %6.2f %10.6f %9llu %7llu %9.1f %9.1f %9.1f %9.1f %12llu\n", name,
		all_ns ? 100.0 * (double)row->total_ns / (double)all_ns : 0,
		(double)row->total_ns / 1e9, (unsigned long long)row->calls,
		(unsigned long long)row->errors,
		row->calls ? us(row->total_ns) / (double)row->calls : 0, pct_us(hist, row, 0.5),
		pct_us(hist, row, 0.99), us(row->max_ns),
		(unsigned long long)(row->bytes[BYTES_READ] + row->bytes[BYTES_WRITE] +
				     row->bytes[BYTES_TRANSFER]));
}

static void print_families(FILE *out, struct stats *s)
{
	int order[IOR_NR_MAX], n = 0;
	char name[32];

	for (int nr = 0; nr < IOR_NR_MAX; nr++)
		if (s->sys[nr].row.calls)
			order[n++] = nr;
	qsort_r(order, (size_t)n, sizeof(order[0]), cmp_nr_time, s);
	for (int fam = 0; fam < FAMILY_COUNT; fam++) {
		struct stats_row total = { 0 };
		struct stats_hist *hist = xcalloc(1, sizeof(*hist));
		bool any = false;

		for (int i = 0; i < n; i++) {
			const struct syscall_info *info = syscall_by_nr(order[i]);
			int f = info ? info->family : FAMILY_MISC;

			if (f != fam)
				continue;
			if (!any)
				fprintf(out, "%-24s %6s %10s %9s %7s %9s %9s %9s %9s %12s\n",
					family_name(fam), "% time", "seconds", "calls", "errors",
					"mean us", "p50 us", "p99 us", "max us", "bytes");
			any = true;
			print_row(out, syscall_name(order[i], name, sizeof(name)),
				  &s->sys[order[i]].row, &s->sys[order[i]].hist, s->total.total_ns);
			stats_row_merge(&total, &s->sys[order[i]].row);
			stats_hist_merge(hist, &s->sys[order[i]].hist);
		}
		if (any) {
			print_row(out, "total", &total, hist, s->total.total_ns);
			fputc('\n', out);
		}
		free(hist);
	}
}

static int cmp_file_bytes(const void *a, const void *b)
{
	const struct stats_file *fa = *(const struct stats_file *const *)a;
	const struct stats_file *fb = *(const struct stats_file *const *)b;
	uint64_t ba = fa->row.bytes[1] + fa->row.bytes[2] + fa->row.bytes[3];
	uint64_t bb = fb->row.bytes[1] + fb->row.bytes[2] + fb->row.bytes[3];

	if (ba != bb)
		return ba < bb ? 1 : -1;
	return fa->row.calls < fb->row.calls ? 1 : fa->row.calls > fb->row.calls ? -1 : 0;
}

static void print_files(FILE *out, struct stats *s, const struct intern *in)
{
	struct stats_file **files = xcalloc(s->files.count + 1, sizeof(*files));
	size_t n = 0, pos = 0;
	struct stats_file *f;
	char buf[1024];

	while ((f = u32map_next(&s->files, &pos, NULL)))
		files[n++] = f;
	qsort(files, n, sizeof(*files), cmp_file_bytes);
	fprintf(out, "Top files by bytes\n  %12s %12s %12s %9s %7s  %s\n", "read", "written",
		"transferred", "calls", "errors", "file");
	for (size_t i = 0; i < n && i < TOP_FILES; i++)
		fprintf(out, "  %12llu %12llu %12llu %9llu %7llu  %s\n",
			(unsigned long long)files[i]->row.bytes[BYTES_READ],
			(unsigned long long)files[i]->row.bytes[BYTES_WRITE],
			(unsigned long long)files[i]->row.bytes[BYTES_TRANSFER],
			(unsigned long long)files[i]->row.calls,
			(unsigned long long)files[i]->row.errors,
			str(in, files[i]->path, buf, sizeof(buf)));
	if (n > TOP_FILES)
		fprintf(out, "  (%zu more files)\n", n - TOP_FILES);
	fputc('\n', out);
	free(files);
}

static int cmp_count(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return x[1] < y[1] ? 1 : x[1] > y[1] ? -1 : (x[0] > y[0]) - (x[0] < y[0]);
}

static void print_errors(FILE *out, struct errors *e)
{
	uint64_t(*rows)[2] = xcalloc(e->counts.count + 1, sizeof(*rows));
	size_t n = 0, pos = 0;
	uint32_t key;
	void *v;
	char name[32];

	while ((v = u32map_next(&e->counts, &pos, &key))) {
		rows[n][0] = key;
		rows[n][1] = (uintptr_t)v;
		n++;
	}
	qsort(rows, n, sizeof(*rows), cmp_count);
	fprintf(out, "Errors\n  %9s  %-22s %s\n", "count", "syscall", "errno");
	if (!n)
		fprintf(out, "  (none)\n");
	for (size_t i = 0; i < n; i++) {
		int nr = (int)(rows[i][0] >> 12), err = (int)(rows[i][0] & 0xfff);
		const char *en = decode_errno_name(err);

		fprintf(out, "  %9llu  %-22s %s\n", (unsigned long long)rows[i][1],
			syscall_name(nr, name, sizeof(name)), en ? en : "?");
	}
	fputc('\n', out);
	free(rows);
}

static int cmp_proc(const void *a, const void *b)
{
	const struct stats_proc *pa = *(const struct stats_proc *const *)a;
	const struct stats_proc *pb = *(const struct stats_proc *const *)b;

	return (pa->pid > pb->pid) - (pa->pid < pb->pid);
}

static void print_procs(FILE *out, struct stats *s, const struct intern *in)
{
	struct stats_proc **procs = xcalloc(s->procs.count + 1, sizeof(*procs)), *p;
	size_t n = 0, pos = 0;
	struct stats_row total = { 0 };
	char buf[256];

	while ((p = u32map_next(&s->procs, &pos, NULL)))
		procs[n++] = p;
	qsort(procs, n, sizeof(*procs), cmp_proc);
	fprintf(out, "Processes\n  %8s %8s %-16s %9s %7s %12s %10s\n", "pid", "ppid", "comm",
		"calls", "errors", "bytes", "seconds");
	for (size_t i = 0; i < n; i++) {
		const struct stats_row *r = &procs[i]->row;

		fprintf(out, "  %8u %8u %-16s %9llu %7llu %12llu %10.6f\n", procs[i]->pid,
			procs[i]->ppid, str(in, procs[i]->comm, buf, sizeof(buf)),
			(unsigned long long)r->calls, (unsigned long long)r->errors,
			(unsigned long long)(r->bytes[1] + r->bytes[2] + r->bytes[3]),
			(double)r->total_ns / 1e9);
		stats_row_merge(&total, r);
	}
	fprintf(out, "  %8s %8s %-16s %9llu %7llu %12llu %10.6f\n", "", "", "whole tree",
		(unsigned long long)total.calls, (unsigned long long)total.errors,
		(unsigned long long)(total.bytes[1] + total.bytes[2] + total.bytes[3]),
		(double)total.total_ns / 1e9);
	free(procs);
}

int report_run(const char *path, FILE *out, struct ior_err *err)
{
	struct session_info info;
	struct pipeline pipe = { 0 };
	struct errors errors;
	struct intern *strings;
	struct stats *stats;
	sqlite3 *db;
	int rc;

	if ((rc = session_open(path, &db, &info, err)))
		return rc;
	strings = intern_new();
	stats = xmalloc(sizeof(*stats));
	stats_init(stats);
	stats->files_max = SIZE_MAX; /* a report is exact: no file folded */
	stats->procs_max = SIZE_MAX; /* nor any process */
	u32map_init(&errors.counts);
	pipeline_add(&pipe, &stats_sink_ops, stats);
	pipeline_add(&pipe, &errors_ops, &errors);
	rc = replay_run(db, &info, strings, &pipe, err);
	if (!rc) {
		print_header(out, path, &info);
		print_families(out, stats);
		print_files(out, stats, strings);
		print_errors(out, &errors);
		print_procs(out, stats, strings);
		fprintf(out, "\nLost events: %llu\n", (unsigned long long)info.events_lost);
	}
	u32map_fini(&errors.counts);
	stats_fini(stats);
	free(stats);
	intern_free(strings);
	sqlite3_close(db);
	return rc;
}
